-- Webhook configuration (REST POST webhooks / webhook/{id}) and the domains an account has proven it owns.
-- The delivery engine reads both: a webhook delivers only to a handler whose host lies under a validated domain.
CREATE TABLE webhooks (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    account_id INTEGER NOT NULL,
    handler TEXT NOT NULL,                  -- absolute http(s) URL
    triggers TEXT NOT NULL,                 -- JSON array: create, update, delete, click, delivery, open, bounce, failure, unsubscribe
    callers TEXT NOT NULL,                  -- JSON array: ms, publisher
    database_id INTEGER,                     -- NULL: every database of the account
    collection_id INTEGER,                   -- NULL: the database itself (or every collection)
    format TEXT NOT NULL DEFAULT 'form',    -- form (bracketed form encoding, Copernica's default) | json
    signing TEXT NOT NULL DEFAULT 'copernica', -- copernica | standard | both | none
    max_concurrency INTEGER NOT NULL,
    max_per_second INTEGER NOT NULL,
    batch_max_events INTEGER NOT NULL,
    batch_max_ms INTEGER NOT NULL,
    enabled INTEGER NOT NULL DEFAULT 1,
    created INTEGER NOT NULL,                -- Unix ms
    disabled_reason TEXT                    -- why the server disabled it (NULL when enabled or disabled by the user)
);
CREATE INDEX ix_webhooks_account ON webhooks(account_id, id);
CREATE INDEX ix_webhooks_database ON webhooks(database_id);
CREATE INDEX ix_webhooks_collection ON webhooks(collection_id);

CREATE TABLE validated_domains (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    account_id INTEGER NOT NULL,
    domain TEXT NOT NULL,                   -- lower case, IDN in ASCII (punycode) form
    txt_token TEXT NOT NULL,                -- published as TXT _tidings-challenge.<domain> "tidings-verification=<token>"
    file_name TEXT NOT NULL,                -- legacy verification file, e.g. tidings-verification-<hex>.txt
    file_content TEXT NOT NULL,
    created INTEGER NOT NULL,                -- Unix ms
    validated_at INTEGER,                    -- Unix ms; NULL: not (yet) validated
    method TEXT,                            -- dns | file
    UNIQUE (account_id, domain)
);
