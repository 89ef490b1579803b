-- GET consumption. Authenticated API calls per account and hour (start of the hour, Unix ms), counted in memory and
-- added here in batches (Consumption:ApiCallFlushInterval).
CREATE TABLE api_calls (
    account_id BIGINT NOT NULL,
    hour BIGINT NOT NULL,
    calls BIGINT NOT NULL,
    PRIMARY KEY (account_id, hour)
);

-- Emails of a period are the account's destinations (one per attempt) by the time they were sent; the journal's
-- attempt records are not used, as log file retention deletes them.
CREATE INDEX ix_destinations_account_sent ON destinations(account_id, sent);
