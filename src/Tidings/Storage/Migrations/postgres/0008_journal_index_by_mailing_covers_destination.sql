-- Every event append maintains each journal index, and ix_journal_destination (destination_id, type, occurred) was
-- the costly one: opens and clicks arrive in random destination order, so each insert dirtied its own index page.
-- A destination's events are found through its mailing instead: the mailing index (appended at its end as time goes
-- on) now also holds destination_id, so a destination's statistics and lists read only the index.
DROP INDEX IF EXISTS ix_journal_destination;
DROP INDEX IF EXISTS ix_journal_mailing;
CREATE INDEX ix_journal_mailing ON journal(mailing_id, type, occurred, destination_id) WHERE mailing_id IS NOT NULL;
