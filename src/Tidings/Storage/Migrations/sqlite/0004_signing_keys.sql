-- The server's own keys for signing outgoing webhooks the Copernica way (rsa-sha256, draft-cavage-http-signatures).
-- The signing key is the most recently activated one that is not retired; every key whose retired_at is still in the
-- future (or unset) stays published, so receivers can verify calls signed just before a rotation.
CREATE TABLE webhook_signing_keys (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    selector TEXT NOT NULL UNIQUE,
    algorithm TEXT NOT NULL,
    private_key BLOB NOT NULL,      -- PKCS#8 DER
    public_key BLOB NOT NULL,       -- SubjectPublicKeyInfo DER
    created INTEGER NOT NULL,       -- Unix ms
    activated INTEGER,              -- Unix ms it became the signing key; NULL: not (yet) signing
    retired_at INTEGER              -- Unix ms it stops being published; NULL: no end planned
);
CREATE INDEX ix_webhook_signing_keys_retired ON webhook_signing_keys(retired_at);
