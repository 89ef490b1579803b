-- Every event insert maintains each journal index. ix_journal_account (account_id, seq) serves no query: consumers read
-- by seq (the primary key), log files by (account_id, type, seq) and (account_id, type, occurred).
DROP INDEX IF EXISTS ix_journal_account;
