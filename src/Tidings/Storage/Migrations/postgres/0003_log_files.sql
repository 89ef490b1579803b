-- Log files stream one (account, type) of the journal in seq order: with this index the rows come out in file order
-- without a sort, and a resuming download (after=<seq>) starts right where it stopped.
CREATE INDEX ix_journal_type_seq ON journal(account_id, type, seq);
