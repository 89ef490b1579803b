-- Standard Webhooks secrets of each webhook. A webhook has one current secret per kind (expires NULL); a rotation
-- gives the replaced one an expiry, and it keeps signing until then so receivers can switch without losing calls.
CREATE TABLE webhook_secrets (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    webhook_id INTEGER NOT NULL,               -- webhooks.id; removed with the webhook
    account_id INTEGER NOT NULL,
    kind TEXT NOT NULL,                     -- hmac (whsec_, signs v1) | ed25519 (whsk_, signs v1a)
    secret TEXT NOT NULL,                   -- whsec_<base64> or whsk_<base64 seed + public key>
    created INTEGER NOT NULL,                  -- Unix ms
    expires INTEGER                            -- Unix ms it stops signing; NULL: the current one
);
CREATE INDEX ix_webhook_secrets_webhook ON webhook_secrets(webhook_id);
-- Two nodes creating a webhook's first secret at once must not both succeed.
CREATE UNIQUE INDEX ux_webhook_secrets_current ON webhook_secrets(webhook_id, kind) WHERE expires IS NULL;
