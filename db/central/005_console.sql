-- central/005_console.sql - the district console (issue 13): roles, the
-- canteens a manager may see, trusted browsers, and the audit trail.
--
-- Roles: 'district' (the civil-affairs office: everything), 'manager' (its
-- own canteens only, listed in admin_canteen), 'auditor' (reads everything,
-- changes nothing).  Accounts made before roles existed saw everything, so
-- they stay 'district'.
--
-- A browser that signed in with the right password gets a device token
-- (cookie zhucan_device, kept here as its SHA-256): the account's backoff
-- after wrong passwords does not apply to it, so strangers guessing cannot
-- lock the real user out (OWASP "device cookies").
--
-- audit: one row per change made through the page or the admin command,
-- with who, when, what and the values before and after (never a password
-- or a token).  Append-only.

ALTER TABLE admin ADD COLUMN role TEXT NOT NULL DEFAULT 'district'
    CHECK (role IN ('district', 'manager', 'auditor'));

CREATE TABLE admin_canteen (
    admin      TEXT NOT NULL REFERENCES admin (name) ON DELETE CASCADE,
    canteen_id TEXT NOT NULL REFERENCES canteen (id),
    PRIMARY KEY (admin, canteen_id)
) WITHOUT ROWID;

CREATE TABLE admin_device (
    token_hash  TEXT PRIMARY KEY NOT NULL CHECK (length(token_hash) = 64),
    admin       TEXT NOT NULL REFERENCES admin (name) ON DELETE CASCADE,
    expires_utc INTEGER NOT NULL
) WITHOUT ROWID;
CREATE INDEX admin_device_expiry ON admin_device (expires_utc);

CREATE TABLE audit (
    id      INTEGER PRIMARY KEY AUTOINCREMENT,
    at_utc  INTEGER NOT NULL,
    actor   TEXT NOT NULL,            -- an admin name, or 'cli' for the command line
    action  TEXT NOT NULL,            -- e.g. 'admin.add', 'admin.password'
    target  TEXT NOT NULL DEFAULT '', -- what was changed (an account, a card, ...)
    before  TEXT NOT NULL DEFAULT '', -- the values before, as short "key=value" text
    after   TEXT NOT NULL DEFAULT ''
);
CREATE INDEX audit_at ON audit (at_utc);
CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit
    BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only'); END;
CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit
    BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only'); END;

-- A roster file uploaded on the page and previewed, waiting to be applied
-- by the same account (the text converted to UTF-8).  Kept an hour at most.
CREATE TABLE roster_upload (
    id          TEXT PRIMARY KEY NOT NULL CHECK (length(id) = 32),
    admin       TEXT NOT NULL REFERENCES admin (name) ON DELETE CASCADE,
    source      TEXT NOT NULL,   -- "name.csv (GBK, sha256 1a2b3c4d)"
    text        BLOB NOT NULL,
    created_utc INTEGER NOT NULL
) WITHOUT ROWID;

-- A terminal revoked on the page: its token hash is replaced by a random
-- one (no token matches it any more) and the moment is kept here.
ALTER TABLE terminal ADD COLUMN revoked_utc INTEGER;
