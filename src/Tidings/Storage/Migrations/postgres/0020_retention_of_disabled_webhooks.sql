-- A disabled webhook's waiting retries hold journal records back from retention only for Webhooks:Dispatch:DisabledHold
-- after it was disabled; records retention removed after that are counted as lost on the webhook, so its status (and a
-- notice to the account) says so. A replay whose range reaches back past retention says which part it could not send.
ALTER TABLE webhooks ADD COLUMN disabled_at BIGINT;               -- Unix ms it was disabled; NULL while enabled
ALTER TABLE webhooks ADD COLUMN lost_events BIGINT NOT NULL DEFAULT 0; -- waiting deliveries whose events retention removed
ALTER TABLE webhooks ADD COLUMN lost_from BIGINT;                 -- lowest journal seq of those events
ALTER TABLE webhooks ADD COLUMN lost_to BIGINT;                   -- highest journal seq of those events
ALTER TABLE webhooks ADD COLUMN lost_at BIGINT;                   -- Unix ms of the last loss
ALTER TABLE webhook_replays ADD COLUMN lost TEXT;            -- what part of the replay was no longer in the journal
-- Webhooks disabled before this version: the hold starts now.
UPDATE webhooks SET disabled_at = CAST(EXTRACT(EPOCH FROM now()) * 1000 AS BIGINT) WHERE enabled = 0;
