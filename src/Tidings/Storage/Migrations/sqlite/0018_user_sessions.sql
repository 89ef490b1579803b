-- Sessions of users who log in over the SOAP API's legacy `login` (cookie soap_session). Kept in the database so that
-- they survive restarts and work on every node. Only a hash of the session's secret value is kept.
CREATE TABLE user_sessions (
    token_hash TEXT PRIMARY KEY,            -- SHA-256 of the cookie's value, lower-case hex
    user_id INTEGER NOT NULL,
    security_stamp TEXT NOT NULL,           -- the user's stamp at login: a password change or reset ends the session
    created INTEGER NOT NULL,               -- Unix ms
    last_used INTEGER NOT NULL,             -- Unix ms, brought forward at most once a minute
    expires INTEGER NOT NULL                -- Unix ms: last use plus the idle timeout, never past created plus the maximum age
);
CREATE INDEX ix_user_sessions_user ON user_sessions(user_id);
CREATE INDEX ix_user_sessions_expires ON user_sessions(expires);
