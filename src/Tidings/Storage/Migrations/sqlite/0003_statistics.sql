-- Statistics, maintained incrementally by the statistics consumer (cursor 'statistics' in consumer_cursors), so that
-- reading a mailing's statistics never scans its events.

-- Per mailing and metric (deliveries, errors, impressions, clicks, unsubscribes, abuses, retries, settled, and the
-- dominant results dominant.<result>): how many events (total) and how many destinations have at least one (unique).
CREATE TABLE mailing_statistics (
    mailing_id INTEGER NOT NULL,
    metric TEXT NOT NULL,
    total INTEGER NOT NULL DEFAULT 0,
    unique_count INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (mailing_id, metric)
);

-- Per destination that has had a result: its event counts and its dominant result (rank, see docs/api.md).
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
