-- Hourly event counts, maintained by the statistics consumer in the transaction that moves its cursor (so a crash
-- neither loses nor double counts), kept when journal retention removes the events: the statistics charts and the
-- log files page's event counts read these rows, never the journal.
-- Per account, mailing (0: an event of no mailing, e.g. a profile change), start of the UTC hour the event occurred
-- in (Unix ms) and journal type (attempt = sent, delivery, bounce, failure, open, click, …): how many events (total)
-- and how many of them were their destination's first of its statistics metric (unique_count; the error metric
-- takes bounces and failures together, so a destination's first error counts in the hour and type it came with).
CREATE TABLE statistics_hours (
    account_id INTEGER NOT NULL,
    mailing_id INTEGER NOT NULL,
    hour INTEGER NOT NULL,
    type TEXT NOT NULL,
    total INTEGER NOT NULL DEFAULT 0,
    unique_count INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (account_id, mailing_id, hour, type)
);

-- The account's events over time (home page, log files page), whatever the mailing.
CREATE INDEX ix_statistics_hours_account_hour ON statistics_hours(account_id, hour);

-- The events the consumer counted before this table existed, as far as the journal still holds them (retention may
-- have removed older ones). Unique: no earlier event of the same metric for the destination in the journal.
INSERT INTO statistics_hours (account_id, mailing_id, hour, type, total, unique_count)
SELECT j.account_id, COALESCE(j.mailing_id, 0), (j.occurred / 3600000) * 3600000, j.type, COUNT(*),
    SUM(CASE WHEN j.mailing_id IS NULL OR j.destination_id IS NULL
                  OR j.type NOT IN ('delivery', 'failure', 'bounce', 'open', 'click', 'unsubscribe', 'abuse', 'retry') THEN 0
             WHEN EXISTS (SELECT 1 FROM journal e WHERE e.destination_id = j.destination_id AND e.seq < j.seq
                  AND (e.type = j.type OR (e.type IN ('failure', 'bounce') AND j.type IN ('failure', 'bounce')))) THEN 0
             ELSE 1 END)
FROM journal j
WHERE j.seq <= COALESCE((SELECT seq FROM consumer_cursors WHERE name = 'statistics'), 0)
GROUP BY j.account_id, COALESCE(j.mailing_id, 0), (j.occurred / 3600000) * 3600000, j.type;
