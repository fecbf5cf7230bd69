-- 006: the official calendar of working days, weekends and public holidays
-- (docs/policy.md, "Calendar"), published with `zhucan-central calendar
-- publish` and sent to every terminal with its policy page; the version
-- published last is the one in use, here and on the terminals.
CREATE TABLE calendar (
    id            INTEGER PRIMARY KEY,
    calendar_id   TEXT NOT NULL,
    version       TEXT NOT NULL,
    json          TEXT NOT NULL,
    published_utc INTEGER NOT NULL,
    UNIQUE (calendar_id, version)
);
