-- central/003_admin.sql - the operators' read-only web page (/admin):
-- admin accounts and their sessions.
--
-- Passwords are argon2id strings; five wrong passwords in a row lock the
-- account for five minutes (failed, locked_until), as PINs on terminals.
-- Session cookies and one-time sign-in links are random tokens stored as
-- their SHA-256 only, with an expiry; a link is deleted when it is used.

CREATE TABLE admin (
    name           TEXT PRIMARY KEY NOT NULL CHECK (name <> ''),
    pw_hash        TEXT NOT NULL CHECK (pw_hash LIKE '$argon2id$%'),
    failed         INTEGER NOT NULL DEFAULT 0,
    locked_until   INTEGER NOT NULL DEFAULT 0,
    created_utc    INTEGER NOT NULL,
    last_login_utc INTEGER
) WITHOUT ROWID;

CREATE TABLE admin_session (
    token_hash  TEXT PRIMARY KEY NOT NULL CHECK (length(token_hash) = 64),
    admin       TEXT NOT NULL REFERENCES admin (name) ON DELETE CASCADE,
    kind        TEXT NOT NULL CHECK (kind = 'session' OR kind = 'link'),
    created_utc INTEGER NOT NULL,
    expires_utc INTEGER NOT NULL
) WITHOUT ROWID;
CREATE INDEX admin_session_expiry ON admin_session (expires_utc);
