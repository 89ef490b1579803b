-- How far the journal has taken up the intake log (a byte position in its segment files), moved in the same
-- transaction as the journal rows made from it, so each acknowledged event becomes exactly one row.
CREATE TABLE journal_intake (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    position INTEGER NOT NULL
);
