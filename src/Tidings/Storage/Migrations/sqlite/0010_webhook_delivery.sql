-- Webhook delivery state. Each enabled webhook follows the journal with its own cursor (consumer_cursors row
-- 'webhook:<id>'), so a slow or dead receiver only holds back itself, and its backlog stays in the journal.
-- Deliveries that failed (and replays) wait in webhook_deliveries until they are due again.
ALTER TABLE webhooks ADD COLUMN ordered INTEGER NOT NULL DEFAULT 0;      -- 1: one profile's events in journal order
ALTER TABLE webhooks ADD COLUMN failing_since INTEGER;                  -- Unix ms of the first failure since the last success
ALTER TABLE webhooks ADD COLUMN last_success INTEGER;                   -- Unix ms

CREATE TABLE webhook_deliveries (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    webhook_id INTEGER NOT NULL,
    account_id INTEGER NOT NULL,
    journal_seq INTEGER NOT NULL,
    event_id TEXT NOT NULL,
    profile_key TEXT,                        -- for ordered webhooks: the profile (or subprofile) the event is about
    status TEXT NOT NULL,                    -- pending | failed | delivered
    attempts INTEGER NOT NULL DEFAULT 0,
    first_attempt INTEGER,                   -- Unix ms
    last_attempt INTEGER,                    -- Unix ms
    next_attempt INTEGER NOT NULL,           -- Unix ms: when it is due (pending)
    last_status INTEGER,                     -- HTTP status of the last attempt; NULL: no response
    last_error TEXT,
    replay_id INTEGER,                         -- the replay that queued it (NULL: a failed first attempt)
    created INTEGER NOT NULL
);
CREATE INDEX ix_webhook_deliveries_due ON webhook_deliveries(webhook_id, status, next_attempt);
CREATE INDEX ix_webhook_deliveries_replay ON webhook_deliveries(replay_id) WHERE replay_id IS NOT NULL;
CREATE INDEX ix_webhook_deliveries_seq ON webhook_deliveries(status, journal_seq);

-- Every attempt: when, what came back, how long it took.
CREATE TABLE webhook_attempts (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    webhook_id INTEGER NOT NULL,
    account_id INTEGER NOT NULL,
    event_id TEXT NOT NULL,                  -- the webhook-id sent (an event id, or a batch id)
    events INTEGER NOT NULL,                 -- events in the call (batches: more than 1)
    attempt INTEGER NOT NULL,                -- 1 for the first try of (the first event of) the call
    attempted INTEGER NOT NULL,              -- Unix ms
    status INTEGER,                          -- HTTP status; NULL: no response
    latency_ms INTEGER NOT NULL,
    error TEXT,
    response TEXT,                           -- the first bytes of the response body
    remote_ip TEXT
);
CREATE INDEX ix_webhook_attempts_webhook ON webhook_attempts(webhook_id, id);
CREATE INDEX ix_webhook_attempts_time ON webhook_attempts(attempted);

-- Replays asked for through the REST API, with their progress.
CREATE TABLE webhook_replays (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    webhook_id INTEGER NOT NULL,
    account_id INTEGER NOT NULL,
    kind TEXT NOT NULL,                      -- failed | range
    range_from INTEGER,                      -- Unix ms (range)
    range_to INTEGER,                        -- Unix ms (range)
    status TEXT NOT NULL,                    -- running | done | failed
    scanned INTEGER NOT NULL DEFAULT 0,      -- journal records looked at
    total INTEGER NOT NULL DEFAULT 0,        -- journal records to look at (estimate for ranges)
    queued INTEGER NOT NULL DEFAULT 0,       -- deliveries queued
    position INTEGER NOT NULL DEFAULT 0,     -- journal seq scanned up to (a range replay resumes here after a restart)
    error TEXT,
    created INTEGER NOT NULL,
    finished INTEGER
);
CREATE INDEX ix_webhook_replays_webhook ON webhook_replays(webhook_id, id);

-- What the server wants an account to know (e.g. a webhook it disabled).
CREATE TABLE account_notices (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    account_id INTEGER NOT NULL,
    kind TEXT NOT NULL,
    subject_id INTEGER,
    message TEXT NOT NULL,
    created INTEGER NOT NULL
);
CREATE INDEX ix_account_notices_account ON account_notices(account_id, id);
