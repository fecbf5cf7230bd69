-- central/004_rejected.sql - sales the centre refused, and why.
--
-- A refused sale (its content does not give its hash, its money does not
-- add up, its canteen is unknown ...) is not stored; without this table the
-- operator would see only a missing sequence number.  One row per terminal
-- and sale id: a sale refused again updates its reason and count.

CREATE TABLE rejected (
    terminal_id TEXT NOT NULL REFERENCES terminal (id),
    sale_id     TEXT NOT NULL,
    seq         INTEGER NOT NULL,
    local_date  TEXT NOT NULL,
    reason      TEXT NOT NULL,
    times       INTEGER NOT NULL DEFAULT 1,
    first_utc   INTEGER NOT NULL,
    last_utc    INTEGER NOT NULL,
    PRIMARY KEY (terminal_id, sale_id)
) WITHOUT ROWID;
CREATE INDEX rejected_month ON rejected (terminal_id, local_date);
