-- 001_init.sql - the terminal's schema, version 1.
--
-- Applied by store_open in one transaction, which then sets PRAGMA
-- user_version = 1.  Later changes go in 002_*.sql and so on; a shipped
-- migration is never edited.
--
-- Conventions: dates are TEXT 'YYYY-MM-DD' (NULL = open-ended), moments are
-- INTEGER epoch seconds (*_utc), money is INTEGER fen and never negative,
-- enums are TEXT with a CHECK.  Enum CHECKs are written as OR chains, not
-- IN lists: SQLite builds a temporary table for an IN list on every row
-- written, which made a million-row roster import twice as slow.  ID
-- numbers are never stored in clear: only a keyed hash (id_hash) and the
-- last four characters (id_last4).

-- Terminal configuration: terminal_id, canteen_id, card_format, tz, id_salt ...
CREATE TABLE meta (
    key   TEXT PRIMARY KEY NOT NULL,
    value TEXT NOT NULL
) WITHOUT ROWID;

-- The one canteen this terminal serves.
CREATE TABLE canteen (
    one      INTEGER PRIMARY KEY CHECK (one = 1),
    id       TEXT NOT NULL,
    name     TEXT NOT NULL,
    city     TEXT NOT NULL DEFAULT '',
    district TEXT NOT NULL DEFAULT '',
    town     TEXT NOT NULL DEFAULT ''
);

-- The roster.
CREATE TABLE elder (
    id               TEXT PRIMARY KEY NOT NULL,
    name             TEXT NOT NULL CHECK (name <> ''),
    birth            TEXT NOT NULL,
    gender           TEXT NOT NULL DEFAULT '' CHECK (gender = '' OR gender = 'M' OR gender = 'F'),
    id_hash          TEXT,          -- keyed BLAKE2b of the ID number (meta id_salt)
    id_last4         TEXT,
    phone            TEXT,
    phone_tail       TEXT,          -- last 4 digits of phone, for suffix search
    reg_city         TEXT NOT NULL DEFAULT '',
    reg_district     TEXT NOT NULL DEFAULT '',
    reg_town         TEXT NOT NULL DEFAULT '',
    res_city         TEXT NOT NULL DEFAULT '',
    res_district     TEXT NOT NULL DEFAULT '',
    res_town         TEXT NOT NULL DEFAULT '',
    categories       TEXT NOT NULL DEFAULT '',  -- "dibao;disabled_care:2"
    disability_grade INTEGER NOT NULL DEFAULT 0 CHECK (disability_grade BETWEEN 0 AND 4),
    care_home        INTEGER NOT NULL DEFAULT 0 CHECK (care_home = 0 OR care_home = 1),
    status           TEXT NOT NULL DEFAULT 'active'
                     CHECK (status = 'active' OR status = 'suspended' OR status = 'deceased'),
    valid_from       TEXT,
    valid_to         TEXT,
    updated_at       INTEGER NOT NULL
) WITHOUT ROWID;
CREATE INDEX elder_last4 ON elder (id_last4);
CREATE UNIQUE INDEX elder_id_hash ON elder (id_hash) WHERE id_hash IS NOT NULL;
CREATE INDEX elder_phone ON elder (phone_tail, phone);
CREATE INDEX elder_name ON elder (name);

-- Cards: the 40-bit chip UID as 10 upper-case hex digits, and its low 32 /
-- 24 bits for readers that only type those.
CREATE TABLE card (
    uid        TEXT PRIMARY KEY NOT NULL
               CHECK (length(uid) = 10 AND uid NOT GLOB '*[^0-9A-F]*'),
    lo24       INTEGER NOT NULL,
    lo32       INTEGER NOT NULL,
    elder_id   TEXT NOT NULL REFERENCES elder (id) ON DELETE CASCADE,
    status     TEXT NOT NULL DEFAULT 'active'
               CHECK (status = 'active' OR status = 'lost' OR status = 'blocked'),
    valid_from TEXT,
    valid_to   TEXT,
    updated_at INTEGER NOT NULL,
    CHECK (lo24 = (lo32 & 16777215))
) WITHOUT ROWID;
CREATE INDEX card_lo24 ON card (lo24);
CREATE INDEX card_elder ON card (elder_id);

CREATE TABLE operator (
    id           TEXT PRIMARY KEY NOT NULL CHECK (id <> ''),
    name         TEXT NOT NULL,
    role         TEXT NOT NULL CHECK (role = 'cashier' OR role = 'supervisor' OR role = 'admin'),
    pin_hash     TEXT NOT NULL,      -- argon2id encoded
    failed       INTEGER NOT NULL DEFAULT 0 CHECK (failed >= 0),
    locked_until INTEGER NOT NULL DEFAULT 0,
    active       INTEGER NOT NULL DEFAULT 1 CHECK (active = 0 OR active = 1)
);

CREATE TABLE menu_item (
    code      TEXT PRIMARY KEY NOT NULL CHECK (code <> ''),
    name      TEXT NOT NULL,
    category  TEXT NOT NULL
              CHECK (category = 'set_meal' OR category = 'dish' OR category = 'staple' OR
                     category = 'soup' OR category = 'drink' OR category = 'other'),
    price_fen INTEGER NOT NULL CHECK (price_fen >= 0),
    eligible  INTEGER NOT NULL DEFAULT 0 CHECK (eligible = 0 OR eligible = 1),
    periods   TEXT NOT NULL DEFAULT '',   -- "lunch,dinner"; '' = every period
    active    INTEGER NOT NULL DEFAULT 1 CHECK (active = 0 OR active = 1),
    sort      INTEGER NOT NULL DEFAULT 0
);

-- Policy versions as received; rows are never changed (same id+version with
-- other text is refused), so a parsed policy can be cached by id.
CREATE TABLE policy (
    id             INTEGER PRIMARY KEY AUTOINCREMENT,
    policy_id      TEXT NOT NULL,
    version        TEXT NOT NULL,
    effective_from TEXT NOT NULL,
    effective_to   TEXT,
    json           TEXT NOT NULL,
    added_utc      INTEGER NOT NULL,
    UNIQUE (policy_id, version)
);
CREATE INDEX policy_from ON policy (effective_from);

-- Sales.  seq is the terminal's gap-free sequence; hash chains each sale to
-- the previous one (canonical text documented in app/store/sale.c).
CREATE TABLE sale (
    id               TEXT PRIMARY KEY NOT NULL,   -- UUID v4, the idempotency key
    seq              INTEGER UNIQUE NOT NULL CHECK (seq >= 1),
    terminal_id      TEXT NOT NULL,
    canteen_id       TEXT NOT NULL,
    operator_id      TEXT NOT NULL,
    elder_id         TEXT,
    card_uid         TEXT,
    created_utc      INTEGER NOT NULL,
    local_time       TEXT NOT NULL,               -- 'YYYY-MM-DD HH:MM'
    local_date       TEXT NOT NULL,
    period           TEXT NOT NULL DEFAULT '',
    policy_id        TEXT NOT NULL,
    policy_version   TEXT NOT NULL,
    gross_fen        INTEGER NOT NULL CHECK (gross_fen >= 0),
    subsidy_fen      INTEGER NOT NULL CHECK (subsidy_fen >= 0),
    pay_fen          INTEGER NOT NULL CHECK (pay_fen >= 0),
    pay_method       TEXT NOT NULL CHECK (pay_method = 'cash' OR pay_method = 'mobile'),
    pay_ref          TEXT,
    tendered_fen     INTEGER NOT NULL DEFAULT 0 CHECK (tendered_fen >= 0),
    status           TEXT NOT NULL DEFAULT 'done' CHECK (status = 'done' OR status = 'voided'),
    void_utc         INTEGER,
    void_operator_id TEXT,
    void_reason      TEXT,
    prev_hash        TEXT NOT NULL,
    hash             TEXT NOT NULL,
    CHECK (gross_fen = subsidy_fen + pay_fen)
);
CREATE INDEX sale_elder_date ON sale (elder_id, local_date);
CREATE INDEX sale_date ON sale (local_date);

CREATE TABLE sale_line (
    sale_id  TEXT NOT NULL REFERENCES sale (id),
    line_no  INTEGER NOT NULL CHECK (line_no >= 1),
    code     TEXT NOT NULL,
    name     TEXT NOT NULL,
    unit_fen INTEGER NOT NULL CHECK (unit_fen >= 0),
    qty      INTEGER NOT NULL CHECK (qty >= 1),
    eligible INTEGER NOT NULL CHECK (eligible = 0 OR eligible = 1),
    PRIMARY KEY (sale_id, line_no)
) WITHOUT ROWID;

-- Each funding source's share of each applied rule.
CREATE TABLE sale_subsidy (
    sale_id TEXT NOT NULL REFERENCES sale (id),
    part_no INTEGER NOT NULL CHECK (part_no >= 1),
    rule_id TEXT NOT NULL,
    source  TEXT NOT NULL,
    fen     INTEGER NOT NULL CHECK (fen >= 0),
    PRIMARY KEY (sale_id, part_no)
) WITHOUT ROWID;

-- One row per applied rule: what the elder's later limits count against.
CREATE TABLE sale_rule (
    sale_id    TEXT NOT NULL REFERENCES sale (id),
    rule_id    TEXT NOT NULL,
    limit_key  TEXT NOT NULL,
    period     TEXT NOT NULL DEFAULT '',
    local_date TEXT NOT NULL,
    fen        INTEGER NOT NULL CHECK (fen >= 0),
    PRIMARY KEY (sale_id, rule_id)
) WITHOUT ROWID;
CREATE INDEX sale_rule_key ON sale_rule (limit_key, local_date);

-- What the sync worker still has to send (a sale, later maybe its void).
CREATE TABLE outbox (
    id          INTEGER PRIMARY KEY,
    sale_id     TEXT NOT NULL REFERENCES sale (id),
    kind        TEXT NOT NULL CHECK (kind = 'sale' OR kind = 'void'),
    created_utc INTEGER NOT NULL,
    sent_utc    INTEGER,
    attempts    INTEGER NOT NULL DEFAULT 0 CHECK (attempts >= 0),
    last_error  TEXT,
    UNIQUE (sale_id, kind)
);
CREATE INDEX outbox_unsent ON outbox (id) WHERE sent_utc IS NULL;

-- Who did what, hash-chained like the sales.
CREATE TABLE audit (
    id          INTEGER PRIMARY KEY,
    at_utc      INTEGER NOT NULL,
    operator_id TEXT NOT NULL DEFAULT '',
    action      TEXT NOT NULL,
    subject     TEXT NOT NULL DEFAULT '',
    detail      TEXT NOT NULL DEFAULT '',
    prev_hash   TEXT NOT NULL,
    hash        TEXT NOT NULL
);

-- History is append-only: sales are voided, never deleted or rewritten.
CREATE TRIGGER sale_no_delete BEFORE DELETE ON sale
BEGIN
    SELECT RAISE(ABORT, 'sales are never deleted; void the sale instead');
END;
CREATE TRIGGER sale_no_rewrite
BEFORE UPDATE OF id, seq, terminal_id, canteen_id, operator_id, elder_id, card_uid,
                 created_utc, local_time, local_date, period, policy_id, policy_version,
                 gross_fen, subsidy_fen, pay_fen, pay_method, pay_ref, tendered_fen,
                 prev_hash, hash ON sale
BEGIN
    SELECT RAISE(ABORT, 'a stored sale cannot be changed; void it and sell again');
END;
CREATE TRIGGER sale_no_unvoid BEFORE UPDATE OF status ON sale WHEN OLD.status = 'voided'
BEGIN
    SELECT RAISE(ABORT, 'a voided sale stays voided');
END;
CREATE TRIGGER sale_line_no_change BEFORE UPDATE ON sale_line
BEGIN
    SELECT RAISE(ABORT, 'sale lines cannot be changed');
END;
CREATE TRIGGER sale_line_no_delete BEFORE DELETE ON sale_line
BEGIN
    SELECT RAISE(ABORT, 'sale lines cannot be deleted');
END;
CREATE TRIGGER audit_no_change BEFORE UPDATE ON audit
BEGIN
    SELECT RAISE(ABORT, 'the audit log cannot be changed');
END;
CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit
BEGIN
    SELECT RAISE(ABORT, 'the audit log cannot be deleted');
END;
