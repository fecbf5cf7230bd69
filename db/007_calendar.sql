-- 007: the official calendar of working days, weekends and public holidays
-- (docs/policy.md, "Calendar"), which policy rules with "days" need.  It
-- arrives from the centre with the policies (or `zhucan calendar add`); the
-- version stored last is the one in use.
CREATE TABLE calendar (
    id          INTEGER PRIMARY KEY,
    calendar_id TEXT NOT NULL,     -- "cn"
    version     TEXT NOT NULL,     -- "2026.1"
    json        BLOB NOT NULL,     -- the text as published; parsed when used
    added_utc   INTEGER NOT NULL,
    UNIQUE (calendar_id, version)
);
