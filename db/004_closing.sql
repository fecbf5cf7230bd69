-- 004: the daily closing summaries the sync worker reports to the centre
-- (POST /api/v1/closing, docs/sync-protocol.md; app/sync/sync_closing.c).
--
-- One row per local date that has sales.  The triggers below bump `gen`
-- whenever a sale of that date is committed or voided, so the worker finds
-- the dates whose totals changed without scanning the sales.  When the
-- centre has stored a date's summary, the worker records what it sent and
-- the gen it covered (sent_gen): a date is due again while gen > sent_gen.
CREATE TABLE closing (
    local_date  TEXT PRIMARY KEY NOT NULL,  -- 'YYYY-MM-DD'
    gen         INTEGER NOT NULL DEFAULT 1, -- bumped by every change to the date's sales
    sent_gen    INTEGER NOT NULL DEFAULT 0, -- the gen the last stored report covered
    -- what the centre last stored (NULL until the first report)
    count       INTEGER,
    gross_fen   INTEGER,
    subsidy_fen INTEGER,
    pay_fen     INTEGER,
    by_source   TEXT,                       -- the JSON array as sent
    last_seq    INTEGER,
    chain_head  TEXT,
    sent_utc    INTEGER,
    attempts    INTEGER NOT NULL DEFAULT 0 CHECK (attempts >= 0),
    last_error  TEXT                        -- why the last try failed; NULL after a success
) WITHOUT ROWID;

CREATE TRIGGER closing_on_sale AFTER INSERT ON sale
BEGIN
    INSERT INTO closing (local_date) VALUES (NEW.local_date)
        ON CONFLICT (local_date) DO UPDATE SET gen = gen + 1;
END;
CREATE TRIGGER closing_on_void AFTER UPDATE OF status ON sale WHEN NEW.status <> OLD.status
BEGIN
    UPDATE closing SET gen = gen + 1 WHERE local_date = NEW.local_date;
END;

-- the dates sold on before this upgrade have not been reported either
INSERT INTO closing (local_date) SELECT DISTINCT local_date FROM sale;
