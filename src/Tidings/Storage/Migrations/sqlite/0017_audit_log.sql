-- Who changed what in an account, and when: webhooks, domains, webhook secrets, replays and retries, access tokens and
-- users, whether the change came through REST, the dashboard or the command line. The actor is a user's e-mail address
-- or a token's name and id, never a token value or a secret.
CREATE TABLE audit_log (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    account_id INTEGER NOT NULL REFERENCES accounts(id),
    created INTEGER NOT NULL,               -- Unix ms: when the change was made
    actor_kind TEXT NOT NULL,               -- user | token | command-line | system
    actor TEXT NOT NULL,                    -- "alice@example.com (user 3)", "token 'default' (id 5)", …
    action TEXT NOT NULL,                   -- created | changed | deleted | validated | enabled | disabled | …
    target_type TEXT NOT NULL,              -- webhook | domain | webhook-secret | replay | access-token | user
    target_id TEXT NOT NULL,
    detail TEXT NOT NULL
);
CREATE INDEX ix_audit_log_account ON audit_log(account_id, id);
CREATE INDEX ix_audit_log_account_target ON audit_log(account_id, target_type, id);
