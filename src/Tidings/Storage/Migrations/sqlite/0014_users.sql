-- People who sign in to the dashboard (and, later, the SOAP API's login). A user belongs to one account; the e-mail
-- address (stored lower-cased) is unique across the server. Lockout state is kept here so every node shares it.
CREATE TABLE users (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    account_id INTEGER NOT NULL REFERENCES accounts(id),
    email TEXT NOT NULL,
    password_hash TEXT NOT NULL,            -- ASP.NET Core Identity's PasswordHasher format (PBKDF2)
    role TEXT NOT NULL,                     -- admin | editor | read-only
    must_change_password INTEGER NOT NULL,  -- 1 after a one-time password: the next sign-in must set a new one
    security_stamp TEXT NOT NULL,           -- changes with the password: sign-ins made before it end
    failed_sign_ins INTEGER NOT NULL DEFAULT 0,
    locked_until INTEGER,                   -- Unix ms; NULL: not locked
    created INTEGER NOT NULL,               -- Unix ms
    last_sign_in INTEGER                    -- Unix ms
);
CREATE UNIQUE INDEX ux_users_email ON users(email);
CREATE INDEX ix_users_account ON users(account_id);

-- ASP.NET Core Data Protection's key ring (sign-in cookies, antiforgery tokens), each key's XML encrypted with the
-- master key, so sign-ins survive restarts and every node reads the same keys.
CREATE TABLE data_protection_keys (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    friendly_name TEXT NOT NULL,
    xml TEXT NOT NULL,                      -- encrypted (data_protection_keys.xml, bound to the row)
    created INTEGER NOT NULL                -- Unix ms
);
