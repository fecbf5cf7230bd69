-- 002: cashier shifts (open with a float, close with a cash count).
CREATE TABLE shift (
    id          INTEGER PRIMARY KEY,
    operator_id TEXT NOT NULL,
    opened_utc  INTEGER NOT NULL,
    closed_utc  INTEGER,
    closed_by   TEXT,
    float_fen   INTEGER NOT NULL CHECK (float_fen >= 0),
    counted_fen INTEGER CHECK (counted_fen >= 0)
);
-- at most one open shift per terminal
CREATE UNIQUE INDEX shift_one_open ON shift((closed_utc IS NULL)) WHERE closed_utc IS NULL;
