-- Statistics, maintained incrementally by the statistics consumer (cursor 'statistics' in consumer_cursors), so that
-- reading a mailing's statistics never scans its events.

-- Per mailing and metric (deliveries, errors, impressions, clicks, unsubscribes, abuses, retries): how many events
-- (total) and how many destinations have at least one (unique_count). Metric 'settled': destinations with a delivery
-- or an error (unique_count). Metrics 'dominant.<result>': destinations with that dominant result (unique_count).
CREATE TABLE mailing_statistics (
    mailing_id INTEGER NOT NULL,
    metric TEXT NOT NULL,
    total INTEGER NOT NULL DEFAULT 0,
    unique_count INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (mailing_id, metric)
);

-- Per destination that has had a result: its event counts and its dominant result as a rank: 0 none, 1 delivered
-- (no response), 2 error, 3 impression, 4 click, 5 unsubscribe, 6 complaint (abuse); the highest rank reached wins.
CREATE TABLE destination_results (
    destination_id INTEGER PRIMARY KEY,
    mailing_id INTEGER NOT NULL,
    impressions INTEGER NOT NULL DEFAULT 0,
    clicks INTEGER NOT NULL DEFAULT 0,
    errors INTEGER NOT NULL DEFAULT 0,
    deliveries INTEGER NOT NULL DEFAULT 0,
    unsubscribes INTEGER NOT NULL DEFAULT 0,
    abuses INTEGER NOT NULL DEFAULT 0,
    retries INTEGER NOT NULL DEFAULT 0,
    dominant INTEGER NOT NULL DEFAULT 0
);

-- The event lists and statistics of one destination (ms/destination/{id}/clicks, …).
CREATE INDEX ix_journal_destination ON journal(destination_id, type, occurred) WHERE destination_id IS NOT NULL;
