-- Columns of secrets whose every value is encrypted bound to its row (format v2): values there in the older form (v1),
-- bound to the column only, are refused from then on, since they can only have been copied or restored from a backup.
CREATE TABLE secret_columns_bound (
    purpose TEXT PRIMARY KEY,   -- table.column, e.g. webhook_secrets.secret
    since BIGINT NOT NULL       -- Unix ms
);
