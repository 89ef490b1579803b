-- The journal records a call carried, so an attempt's request body can be written again from the journal on view
-- (the dashboard's attempt page): their seq numbers, comma-separated, in the order they were sent. A batch's
-- webhook-id is only a digest of its events' ids, which cannot be turned back into them. NULL for attempts recorded
-- before this migration.
ALTER TABLE webhook_attempts ADD COLUMN members TEXT;
