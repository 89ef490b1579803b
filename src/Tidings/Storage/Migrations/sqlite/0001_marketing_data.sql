-- Accounts, tokens and the marketing data model. Profile and subprofile field values live in one table per
-- database (database_<id>_profiles) and per collection (collection_<id>_subprofiles), with one typed column per
-- field (f<fieldid>); those tables are created and altered at run time by the Profiles feature.
CREATE TABLE accounts (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    name TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    company TEXT NOT NULL DEFAULT '',
    created INTEGER NOT NULL
);

CREATE TABLE access_tokens (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    account_id INTEGER NOT NULL REFERENCES accounts(id),
    name TEXT NOT NULL,
    token_hash BLOB NOT NULL UNIQUE,
    prefix TEXT NOT NULL,
    can_write INTEGER NOT NULL,
    created INTEGER NOT NULL,
    revoked INTEGER
);

CREATE TABLE databases (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    account_id INTEGER NOT NULL REFERENCES accounts(id),
    name TEXT NOT NULL,
    name_key TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    archived INTEGER NOT NULL DEFAULT 0,
    created INTEGER NOT NULL,
    unsubscribe_behavior TEXT NOT NULL DEFAULT 'nothing',
    unsubscribe_fields TEXT NOT NULL DEFAULT '{}',
    intentions TEXT NOT NULL DEFAULT '{"email":true,"sms":false,"fax":false,"pdf":false}'
);
CREATE UNIQUE INDEX ux_databases_name ON databases(account_id, name_key);

CREATE TABLE collections (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    account_id INTEGER NOT NULL REFERENCES accounts(id),
    database_id INTEGER NOT NULL REFERENCES databases(id),
    name TEXT NOT NULL,
    name_key TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    created INTEGER NOT NULL,
    unsubscribe_behavior TEXT NOT NULL DEFAULT 'nothing',
    unsubscribe_fields TEXT NOT NULL DEFAULT '{}',
    intentions TEXT NOT NULL DEFAULT '{"email":true,"sms":false,"fax":false,"pdf":false}'
);
CREATE UNIQUE INDEX ux_collections_name ON collections(database_id, name_key);

-- collection_id is 0 for database fields.
CREATE TABLE fields (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    account_id INTEGER NOT NULL REFERENCES accounts(id),
    database_id INTEGER NOT NULL REFERENCES databases(id),
    collection_id INTEGER NOT NULL DEFAULT 0,
    name TEXT NOT NULL,
    name_key TEXT NOT NULL,
    type TEXT NOT NULL,
    default_value TEXT NOT NULL DEFAULT '',
    displayed INTEGER NOT NULL DEFAULT 0,
    ordered INTEGER NOT NULL DEFAULT 0,
    length INTEGER NOT NULL DEFAULT 255,
    textlines INTEGER NOT NULL DEFAULT 1,
    hidden INTEGER NOT NULL DEFAULT 0,
    indexed INTEGER NOT NULL DEFAULT 0,
    locked INTEGER NOT NULL DEFAULT 0
);
CREATE UNIQUE INDEX ux_fields_name ON fields(database_id, collection_id, name_key);

CREATE TABLE interests (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    account_id INTEGER NOT NULL REFERENCES accounts(id),
    database_id INTEGER NOT NULL REFERENCES databases(id),
    name TEXT NOT NULL,
    name_key TEXT NOT NULL,
    group_name TEXT NOT NULL DEFAULT ''
);
CREATE UNIQUE INDEX ux_interests_name ON interests(database_id, name_key);

-- Registries that give every profile and subprofile an account-wide id and tell where its row lives.
CREATE TABLE profiles (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    account_id INTEGER NOT NULL,
    database_id INTEGER NOT NULL
);

CREATE TABLE subprofiles (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    account_id INTEGER NOT NULL,
    collection_id INTEGER NOT NULL,
    profile_id INTEGER NOT NULL
);
CREATE INDEX ix_subprofiles_profile ON subprofiles(profile_id);

CREATE TABLE profile_interests (
    profile_id INTEGER NOT NULL,
    interest_id INTEGER NOT NULL,
    PRIMARY KEY (profile_id, interest_id)
);
CREATE INDEX ix_profile_interests_interest ON profile_interests(interest_id);

-- The event journal: one append-only, ordered log of everything a customer may hear about. The Profiles feature
-- appends its change-capture records here in the same transaction as the change itself.
CREATE TABLE journal (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    event_id TEXT NOT NULL UNIQUE,
    account_id INTEGER NOT NULL,
    type TEXT NOT NULL,
    occurred INTEGER NOT NULL,
    payload TEXT NOT NULL
);
CREATE INDEX ix_journal_account ON journal(account_id, seq);
