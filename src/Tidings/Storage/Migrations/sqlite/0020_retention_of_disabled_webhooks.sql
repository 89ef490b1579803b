-- A disabled webhook's waiting retries hold journal records back from retention only for Webhooks:Dispatch:DisabledHold
-- after it was disabled; records retention removed after that are counted as lost on the webhook, so its status (and a
-- notice to the account) says so. A replay whose range reaches back past retention says which part it could not send.
ALTER TABLE webhooks ADD COLUMN disabled_at INTEGER;               -- Unix ms it was disabled; NULL while enabled
ALTER TABLE webhooks ADD COLUMN lost_events INTEGER NOT NULL DEFAULT 0; -- waiting deliveries whose events retention removed
ALTER TABLE webhooks ADD COLUMN lost_from INTEGER;                 -- lowest journal seq of those events
ALTER TABLE webhooks ADD COLUMN lost_to INTEGER;                   -- highest journal seq of those events
ALTER TABLE webhooks ADD COLUMN lost_at INTEGER;                   -- Unix ms of the last loss
ALTER TABLE webhook_replays ADD COLUMN lost TEXT;            -- what part of the replay was no longer in the journal
-- Webhooks disabled before this version: the hold starts now.
UPDATE webhooks SET disabled_at = CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER) WHERE enabled = 0;
