-- central/001_init.sql - the central service's schema, version 1.
--
-- Applied by central_store_open in one transaction that also sets PRAGMA
-- user_version = 1.  Later changes go in 002_*.sql; a shipped migration is
-- never edited (comments aside).  db/embed.sh compiles the files into the
-- binary; app/central/schema.c lists them in version order.
--
-- Conventions as on the terminal: dates TEXT 'YYYY-MM-DD' (NULL = open),
-- moments INTEGER epoch seconds (*_utc), money INTEGER fen, enums TEXT with
-- a CHECK.  ID numbers are never stored in clear: a keyed hash with meta
-- id_salt (id_hash) and the last four characters (id_last4).  Tokens are
-- stored as their SHA-256 only.

-- id_salt, qr_pubkey, qr_secret, roster_change (the last change number).
CREATE TABLE meta (
    key   TEXT PRIMARY KEY NOT NULL,
    value TEXT NOT NULL
) WITHOUT ROWID;

CREATE TABLE canteen (
    id          TEXT PRIMARY KEY NOT NULL CHECK (id <> ''),
    name        TEXT NOT NULL CHECK (name <> ''),
    city        TEXT NOT NULL DEFAULT '',
    district    TEXT NOT NULL DEFAULT '',
    town        TEXT NOT NULL DEFAULT '',
    created_utc INTEGER NOT NULL
) WITHOUT ROWID;

CREATE TABLE terminal (
    id            TEXT PRIMARY KEY NOT NULL CHECK (id <> ''),
    canteen_id    TEXT NOT NULL REFERENCES canteen (id),
    token_hash    TEXT NOT NULL CHECK (length(token_hash) = 64),
    card_format   TEXT NOT NULL DEFAULT 'hex10'
                  CHECK (card_format = 'hex10' OR card_format = 'dec10' OR
                         card_format = 'dec8' OR card_format = 'facility'),
    created_utc   INTEGER NOT NULL,
    last_seen_utc INTEGER
) WITHOUT ROWID;

-- The roster.  change_no orders the changes terminals pull (GET /roster);
-- fingerprint (SHA-256 of the row and its cards) lets a re-import of an
-- unchanged elder keep its change_no, so terminals do not pull it again.
CREATE TABLE elder (
    id               TEXT PRIMARY KEY NOT NULL,
    name             TEXT NOT NULL CHECK (name <> ''),
    birth            TEXT NOT NULL,
    gender           TEXT NOT NULL DEFAULT '' CHECK (gender = '' OR gender = 'M' OR gender = 'F'),
    id_hash          TEXT,
    id_last4         TEXT,
    phone            TEXT,
    reg_city         TEXT NOT NULL DEFAULT '',
    reg_district     TEXT NOT NULL DEFAULT '',
    reg_town         TEXT NOT NULL DEFAULT '',
    res_city         TEXT NOT NULL DEFAULT '',
    res_district     TEXT NOT NULL DEFAULT '',
    res_town         TEXT NOT NULL DEFAULT '',
    categories       TEXT NOT NULL DEFAULT '',
    disability_grade INTEGER NOT NULL DEFAULT 0 CHECK (disability_grade BETWEEN 0 AND 4),
    care_home        INTEGER NOT NULL DEFAULT 0 CHECK (care_home = 0 OR care_home = 1),
    status           TEXT NOT NULL DEFAULT 'active'
                     CHECK (status = 'active' OR status = 'suspended' OR status = 'deceased'),
    valid_from       TEXT,
    valid_to         TEXT,
    fingerprint      TEXT NOT NULL,
    change_no        INTEGER NOT NULL,
    updated_utc      INTEGER NOT NULL
) WITHOUT ROWID;
CREATE UNIQUE INDEX elder_change ON elder (change_no);
CREATE UNIQUE INDEX elder_id_hash ON elder (id_hash) WHERE id_hash IS NOT NULL;

-- Cards.  status_utc: when the status last changed (a card blocked before a
-- sale's moment flags the sale).
CREATE TABLE card (
    uid         TEXT PRIMARY KEY NOT NULL
                CHECK (length(uid) = 10 AND uid NOT GLOB '*[^0-9A-F]*'),
    elder_id    TEXT NOT NULL REFERENCES elder (id),
    status      TEXT NOT NULL DEFAULT 'active'
                CHECK (status = 'active' OR status = 'lost' OR status = 'blocked'),
    valid_from  TEXT,
    valid_to    TEXT,
    status_utc  INTEGER NOT NULL,
    updated_utc INTEGER NOT NULL
) WITHOUT ROWID;
CREATE INDEX card_elder ON card (elder_id);

-- Published policy versions; never changed.  id is the pull cursor.
CREATE TABLE policy (
    id             INTEGER PRIMARY KEY AUTOINCREMENT,
    policy_id      TEXT NOT NULL,
    version        TEXT NOT NULL,
    effective_from TEXT NOT NULL,
    effective_to   TEXT,
    json           TEXT NOT NULL,
    published_utc  INTEGER NOT NULL,
    UNIQUE (policy_id, version)
);

-- Sales as the terminals sent them (the columns the hash covers), exactly
-- once: id is the idempotency key, (terminal_id, seq) is unique too.
-- elder_id has no foreign key: a sale for an elder the centre does not know
-- is stored and flagged, never refused.
CREATE TABLE sale (
    id             TEXT PRIMARY KEY NOT NULL,
    terminal_id    TEXT NOT NULL REFERENCES terminal (id),
    seq            INTEGER NOT NULL CHECK (seq >= 1),
    canteen_id     TEXT NOT NULL REFERENCES canteen (id),
    operator_id    TEXT NOT NULL,
    elder_id       TEXT NOT NULL DEFAULT '',
    card_uid       TEXT NOT NULL DEFAULT '',
    created_utc    INTEGER NOT NULL,
    local_time     TEXT NOT NULL,
    local_date     TEXT NOT NULL,
    period         TEXT NOT NULL DEFAULT '',
    policy_id      TEXT NOT NULL,
    policy_version TEXT NOT NULL,
    gross_fen      INTEGER NOT NULL CHECK (gross_fen >= 0),
    subsidy_fen    INTEGER NOT NULL CHECK (subsidy_fen >= 0),
    pay_fen        INTEGER NOT NULL CHECK (pay_fen >= 0),
    pay_method     TEXT NOT NULL CHECK (pay_method = 'cash' OR pay_method = 'mobile'),
    pay_ref        TEXT NOT NULL DEFAULT '',
    tendered_fen   INTEGER NOT NULL DEFAULT 0 CHECK (tendered_fen >= 0),
    prev_hash      TEXT NOT NULL,
    hash           TEXT NOT NULL,
    received_utc   INTEGER NOT NULL,
    UNIQUE (terminal_id, seq),
    CHECK (gross_fen = subsidy_fen + pay_fen)
);
CREATE INDEX sale_elder_date ON sale (elder_id, local_date);
CREATE INDEX sale_terminal_date ON sale (terminal_id, local_date);

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

CREATE TABLE sale_subsidy (
    sale_id TEXT NOT NULL REFERENCES sale (id),
    part_no INTEGER NOT NULL CHECK (part_no >= 1),
    rule_id TEXT NOT NULL,
    source  TEXT NOT NULL,
    fen     INTEGER NOT NULL CHECK (fen >= 0),
    PRIMARY KEY (sale_id, part_no)
) WITHOUT ROWID;

CREATE TABLE sale_rule (
    sale_id    TEXT NOT NULL REFERENCES sale (id),
    rule_id    TEXT NOT NULL,
    limit_key  TEXT NOT NULL,
    period     TEXT NOT NULL DEFAULT '',
    local_date TEXT NOT NULL,
    fen        INTEGER NOT NULL CHECK (fen >= 0),
    PRIMARY KEY (sale_id, rule_id)
) WITHOUT ROWID;

-- A void is an event of its own (the sale row is never changed).
CREATE TABLE sale_void (
    sale_id      TEXT PRIMARY KEY NOT NULL REFERENCES sale (id),
    at_utc       INTEGER NOT NULL,
    operator_id  TEXT NOT NULL,
    reason       TEXT NOT NULL,
    received_utc INTEGER NOT NULL
) WITHOUT ROWID;

-- A sale id (or a terminal's seq) sent again with other content: both
-- canonical texts are kept; what is held is never overwritten.
CREATE TABLE conflict (
    id           INTEGER PRIMARY KEY,
    terminal_id  TEXT NOT NULL,
    sale_id      TEXT NOT NULL,
    kind         TEXT NOT NULL CHECK (kind = 'same_id' OR kind = 'same_seq'),
    held_id      TEXT NOT NULL,
    held_text    TEXT NOT NULL,
    sent_text    TEXT NOT NULL,
    received_utc INTEGER NOT NULL
);

-- A sale whose prev is not the hash of the same terminal's seq-1.
CREATE TABLE chain_break (
    terminal_id  TEXT NOT NULL,
    seq          INTEGER NOT NULL,
    expected     TEXT NOT NULL,
    got          TEXT NOT NULL,
    detected_utc INTEGER NOT NULL,
    PRIMARY KEY (terminal_id, seq)
) WITHOUT ROWID;

-- What the centre noticed about a stored sale (docs/sync-protocol.md).
CREATE TABLE flag (
    sale_id     TEXT NOT NULL REFERENCES sale (id),
    kind        TEXT NOT NULL,
    detail      TEXT NOT NULL,
    created_utc INTEGER NOT NULL,
    PRIMARY KEY (sale_id, kind)
) WITHOUT ROWID;

-- A terminal's daily closing, as it reported it (the latest wins).
CREATE TABLE closing (
    terminal_id  TEXT NOT NULL REFERENCES terminal (id),
    date         TEXT NOT NULL,
    count        INTEGER NOT NULL,
    gross_fen    INTEGER NOT NULL,
    subsidy_fen  INTEGER NOT NULL,
    pay_fen      INTEGER NOT NULL,
    by_source    TEXT NOT NULL,  -- JSON array as received
    last_seq     INTEGER NOT NULL,
    chain_head   TEXT NOT NULL,
    received_utc INTEGER NOT NULL,
    PRIMARY KEY (terminal_id, date)
) WITHOUT ROWID;

-- History is append-only.
CREATE TRIGGER sale_no_delete BEFORE DELETE ON sale
BEGIN
    SELECT RAISE(ABORT, 'sales are never deleted');
END;
CREATE TRIGGER sale_no_change BEFORE UPDATE ON sale
BEGIN
    SELECT RAISE(ABORT, 'a stored sale cannot be changed');
END;
CREATE TRIGGER sale_line_no_change BEFORE UPDATE ON sale_line
BEGIN
    SELECT RAISE(ABORT, 'sale lines cannot be changed');
END;
CREATE TRIGGER sale_line_no_delete BEFORE DELETE ON sale_line
BEGIN
    SELECT RAISE(ABORT, 'sale lines cannot be deleted');
END;
CREATE TRIGGER sale_void_no_change BEFORE UPDATE ON sale_void
BEGIN
    SELECT RAISE(ABORT, 'a void cannot be changed');
END;
CREATE TRIGGER sale_void_no_delete BEFORE DELETE ON sale_void
BEGIN
    SELECT RAISE(ABORT, 'a void cannot be deleted');
END;
CREATE TRIGGER conflict_no_change BEFORE UPDATE ON conflict
BEGIN
    SELECT RAISE(ABORT, 'conflicts cannot be changed');
END;
