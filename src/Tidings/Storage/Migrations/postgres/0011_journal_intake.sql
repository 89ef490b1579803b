-- How far the journal has taken up the intake log (a byte position in its segment files), moved in the same
-- transaction as the journal rows made from it. The intake log is used with SQLite only; the table keeps both
-- providers' schemas alike.
CREATE TABLE journal_intake (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    position BIGINT NOT NULL
);
