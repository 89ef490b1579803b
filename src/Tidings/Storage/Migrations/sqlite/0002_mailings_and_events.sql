-- Mailings, their destinations, and what the event journal needs to serve log files, statistics and replays.
CREATE TABLE mailings (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    account_id INTEGER NOT NULL REFERENCES accounts(id),
    target_type TEXT NOT NULL,
    target_id INTEGER NOT NULL,
    database_id INTEGER NOT NULL,
    collection_id INTEGER NOT NULL DEFAULT 0,
    template_id INTEGER NOT NULL DEFAULT 0,
    subject TEXT NOT NULL DEFAULT '',
    from_name TEXT NOT NULL DEFAULT '',
    from_email TEXT NOT NULL DEFAULT '',
    sender_domain TEXT NOT NULL DEFAULT '',
    tags TEXT NOT NULL DEFAULT '[]',
    links TEXT NOT NULL DEFAULT '[]',
    type TEXT NOT NULL DEFAULT 'mass',
    status TEXT NOT NULL DEFAULT 'preparing',
    expansion_cursor INTEGER NOT NULL DEFAULT 0,
    destinations INTEGER NOT NULL DEFAULT 0,
    created INTEGER NOT NULL
);
CREATE INDEX ix_mailings_account ON mailings(account_id, id);
CREATE INDEX ix_mailings_status ON mailings(status);

-- One row per message sent: who got it, its message id (what the MTA reports on) and its tracking token.
CREATE TABLE destinations (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    account_id INTEGER NOT NULL,
    mailing_id INTEGER NOT NULL,
    message_id TEXT NOT NULL UNIQUE,
    token TEXT NOT NULL UNIQUE,
    profile_id INTEGER NOT NULL,
    subprofile_id INTEGER,
    database_id INTEGER NOT NULL,
    collection_id INTEGER NOT NULL DEFAULT 0,
    email TEXT NOT NULL DEFAULT '',
    sent INTEGER NOT NULL
);
CREATE INDEX ix_destinations_mailing ON destinations(mailing_id, id);
CREATE INDEX ix_destinations_profile ON destinations(profile_id);

ALTER TABLE journal ADD COLUMN mailing_id INTEGER;
ALTER TABLE journal ADD COLUMN destination_id INTEGER;
ALTER TABLE journal ADD COLUMN dedupe_key TEXT;
CREATE UNIQUE INDEX ux_journal_dedupe ON journal(account_id, dedupe_key) WHERE dedupe_key IS NOT NULL;
CREATE INDEX ix_journal_type_time ON journal(account_id, type, occurred);
CREATE INDEX ix_journal_mailing ON journal(mailing_id, type, occurred) WHERE mailing_id IS NOT NULL;

-- Where each journal consumer (statistics, webhooks, …) has got to.
CREATE TABLE consumer_cursors (
    name TEXT PRIMARY KEY,
    seq INTEGER NOT NULL
);
