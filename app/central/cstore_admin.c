/* cstore_admin.c - admin accounts and sessions in SQLite (cstore_admin.h).
 *
 * These statements run a few times per login, not per sale, so they are
 * prepared per call instead of taking slots in the shared statement cache.
 * A password is checked outside the write transaction (argon2 is slow on
 * purpose) and the counters are then updated under the write lock, re-read
 * there, as the terminal does with PINs (app/store/operator.c). */
#include "cstore_admin.h"

#include <sodium.h>
#include <string.h>

#include "console_throttle.h"
#include "cstore_int.h"

/* Verified instead of a stored hash when the name is unknown, so that an
 * unknown name costs the same time as a wrong password.  Its password was
 * random and is forgotten. */
static const char no_such_admin[] =
    "$argon2id$v=19$m=65536,t=2,p=1$rd3jeX080Jy31ReYol79xw$S3IIe0VN5NYfPoXgrFTQCneFkzel8cgw+Ts7spHpoYs";

bool central_admin_name_ok(const char *name)
{
    size_t n = name ? strnlen(name, CENTRAL_ADMIN_NAME_MAX) : 0;
    if (n == 0 || n >= CENTRAL_ADMIN_NAME_MAX)
        return false;
    for (; *name; name++)
        if (!((*name >= '0' && *name <= '9') || (*name >= 'A' && *name <= 'Z') ||
              (*name >= 'a' && *name <= 'z') || *name == '-' || *name == '_' || *name == '.'))
            return false;
    return true;
}

/* The one table of roles: code as stored, name on the page. */
static const struct {
    const char *code, *label;
} roles[CENTRAL_ROLE_COUNT] = {
    [CENTRAL_ROLE_DISTRICT] = {"district", "区级管理员"},
    [CENTRAL_ROLE_MANAGER] = {"manager", "饭堂负责人"},
    [CENTRAL_ROLE_AUDITOR] = {"auditor", "审计员"},
};

const char *central_admin_role_code(central_admin_role r)
{
    return r >= 0 && r < CENTRAL_ROLE_COUNT ? roles[r].code : "?";
}

const char *central_admin_role_label(central_admin_role r)
{
    return r >= 0 && r < CENTRAL_ROLE_COUNT ? roles[r].label : "?";
}

bool central_admin_role_parse(const char *code, central_admin_role *out)
{
    for (int i = 0; code && i < CENTRAL_ROLE_COUNT; i++)
        if (!strcmp(code, roles[i].code)) {
            *out = (central_admin_role)i;
            return true;
        }
    return false;
}

bool central_admin_scope_has(const central_admin_scope *sc, const char *canteen)
{
    if (sc->role != CENTRAL_ROLE_MANAGER)
        return true;
    for (int i = 0; canteen && i < sc->ncanteens; i++)
        if (!strcmp(sc->canteens[i], canteen))
            return true;
    return false;
}

/* A token is exactly 64 lower-case hex digits (what token_new makes). */
static bool token_ok(const char *t)
{
    size_t n = t ? strnlen(t, CENTRAL_ADMIN_TOKEN_HEX) : 0;
    if (n != CENTRAL_ADMIN_TOKEN_HEX - 1)
        return false;
    for (; *t; t++)
        if (!((*t >= '0' && *t <= '9') || (*t >= 'a' && *t <= 'f')))
            return false;
    return true;
}

/* Prepares sql into *s (finalized by the caller, also on failure). */
static int prep(central_store *st, const char *sql, sqlite3_stmt **s, zc_err *err)
{
    int rc = sqlite3_prepare_v2(st->db, sql, -1, s, NULL);
    return rc == SQLITE_OK ? ZC_OK : cs_dbfail(st, rc, "the admin accounts", err);
}

/* Checks a scope's shape: a manager holds 1 to CENTRAL_ADMIN_CANTEENS
 * canteens, nobody else any. */
static int scope_ok(const central_admin_scope *sc, zc_err *err)
{
    if (sc->role < 0 || sc->role >= CENTRAL_ROLE_COUNT)
        return zc_errf(err, ZC_EINVAL, "unknown role");
    if (sc->role == CENTRAL_ROLE_MANAGER && (sc->ncanteens < 1 || sc->ncanteens > CENTRAL_ADMIN_CANTEENS))
        return zc_errf(err, ZC_EINVAL, "a canteen manager needs 1 to %d canteens (--canteen ID)",
                       CENTRAL_ADMIN_CANTEENS);
    if (sc->role != CENTRAL_ROLE_MANAGER && sc->ncanteens)
        return zc_errf(err, ZC_EINVAL, "only a canteen manager (role manager) has canteens");
    return ZC_OK;
}

/* Inserts the account row and its canteens (inside a transaction). */
static int add_rows(central_store *st, const char *name, const char *hash,
                    const central_admin_scope *sc, int64_t now, zc_err *err)
{
    sqlite3_stmt *s = NULL;
    int ret = prep(st, "INSERT INTO admin (name, pw_hash, created_utc, role) VALUES (?, ?, ?, ?)",
                   &s, err);
    if (ret)
        goto out;
    sqlite3_bind_text(s, 1, name, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 2, hash, -1, SQLITE_STATIC);
    sqlite3_bind_int64(s, 3, now);
    sqlite3_bind_text(s, 4, central_admin_role_code(sc->role), -1, SQLITE_STATIC);
    int rc = sqlite3_step(s);
    if ((rc & 0xff) == SQLITE_CONSTRAINT) {
        ret = zc_errf(err, ZC_ECONFLICT, "the admin %s already exists; choose another name", name);
        goto out;
    } else if (rc != SQLITE_DONE) {
        ret = cs_dbfail(st, rc, "adding the admin", err);
        goto out;
    }
    sqlite3_finalize(s);
    s = NULL;
    if ((ret = prep(st, "INSERT OR IGNORE INTO admin_canteen (admin, canteen_id) SELECT ?, id "
                        "FROM canteen WHERE id = ?", &s, err)))
        goto out;
    for (int i = 0; i < sc->ncanteens; i++) {
        sqlite3_reset(s);
        sqlite3_bind_text(s, 1, name, -1, SQLITE_STATIC);
        sqlite3_bind_text(s, 2, sc->canteens[i], -1, SQLITE_STATIC);
        if ((rc = sqlite3_step(s)) != SQLITE_DONE) {
            ret = cs_dbfail(st, rc, "adding the admin's canteens", err);
            goto out;
        }
        if (sqlite3_changes(st->db) != 1) {
            ret = zc_errf(err, ZC_ENOTFOUND, "there is no canteen %s (or it is named twice); see "
                          "`zhucan-central canteen add`", sc->canteens[i]);
            goto out;
        }
    }
out:
    sqlite3_finalize(s);
    return ret;
}

int central_store_admin_add(central_store *st, const char *actor, const char *name,
                            const char *password, const central_admin_scope *scope, int64_t now,
                            zc_err *err)
{
    char hash[ZC_PIN_HASH_MAX], after[CENTRAL_ADMIN_CANTEENS * ZC_ID_MAX + 32];
    static const central_admin_scope district = {.role = CENTRAL_ROLE_DISTRICT};
    const central_admin_scope *sc = scope ? scope : &district;
    if (!central_admin_name_ok(name))
        return zc_errf(err, ZC_EINVAL, "an admin name is 1 to %d letters, digits, '-', '_' or '.'",
                       CENTRAL_ADMIN_NAME_MAX - 1);
    int ret = scope_ok(sc, err);
    if (ret == ZC_OK)
        ret = zc_password_hash(password, hash, err);
    if (ret)
        return ret;
    size_t o = (size_t)snprintf(after, sizeof after, "role=%s", central_admin_role_code(sc->role));
    for (int i = 0; i < sc->ncanteens && o < sizeof after; i++)
        o += (size_t)snprintf(after + o, sizeof after - o, "%s%s", i ? "," : " canteens=",
                              sc->canteens[i]);
    if ((ret = cs_exec(st, "BEGIN IMMEDIATE", "adding the admin", err)))
        goto out;
    if ((ret = add_rows(st, name, hash, sc, now, err)) ||
        (ret = cs_audit(st, actor, "admin.add", name, "", after, now, err)))
        goto out;
    ret = cs_exec(st, "COMMIT", "adding the admin", err);
out:
    if (ret && sqlite3_get_autocommit(st->db) == 0)
        sqlite3_exec(st->db, "ROLLBACK", NULL, NULL, NULL);
    sodium_memzero(hash, sizeof hash);
    return ret;
}

/* Reads an account's hash and lock; ZC_ENOTFOUND (no message) when unknown. */
static int admin_read(central_store *st, const char *name, char hash[ZC_PIN_HASH_MAX], int *failed,
                      int64_t *locked_until, zc_err *err)
{
    sqlite3_stmt *s = NULL;
    int ret = prep(st, "SELECT pw_hash, failed, locked_until FROM admin WHERE name = ?", &s, err);
    if (ret == ZC_OK) {
        sqlite3_bind_text(s, 1, name, -1, SQLITE_STATIC);
        int rc = sqlite3_step(s);
        if (rc == SQLITE_ROW) {
            cs_col_text(s, 0, hash, ZC_PIN_HASH_MAX);
            *failed = sqlite3_column_int(s, 1);
            *locked_until = sqlite3_column_int64(s, 2);
        } else {
            ret = rc == SQLITE_DONE ? ZC_ENOTFOUND : cs_dbfail(st, rc, "reading the admin", err);
        }
    }
    sqlite3_finalize(s);
    return ret;
}

/* Counts a checked attempt under the write lock; *locked_until is the lock
 * after it (0 = none). */
static int record_attempt(central_store *st, const char *name, bool right, int64_t now,
                          int *failed, int64_t *locked_until, zc_err *err)
{
    char hash[ZC_PIN_HASH_MAX];
    sqlite3_stmt *s = NULL;
    int ret = cs_exec(st, "BEGIN IMMEDIATE", "the admin login", err);
    if (ret)
        return ret;
    if ((ret = admin_read(st, name, hash, failed, locked_until, err)))
        goto out;
    if (*locked_until && *locked_until <= now) /* the wait ran out; the count goes on */
        *locked_until = 0;
    if (right) {
        *failed = 0;
        *locked_until = 0;
    } else if (++*failed >= CENTRAL_ADMIN_MAX_WRONG) {
        *locked_until = now + console_backoff_s(*failed, CENTRAL_ADMIN_MAX_WRONG, CENTRAL_ADMIN_LOCK_S);
    }
    if ((ret = prep(st, "UPDATE admin SET failed = ?, locked_until = ?, last_login_utc = "
                        "CASE WHEN ? THEN ? ELSE last_login_utc END WHERE name = ?", &s, err)))
        goto out;
    sqlite3_bind_int(s, 1, *failed);
    sqlite3_bind_int64(s, 2, *locked_until);
    sqlite3_bind_int(s, 3, right);
    sqlite3_bind_int64(s, 4, now);
    sqlite3_bind_text(s, 5, name, -1, SQLITE_STATIC);
    int rc = sqlite3_step(s);
    if (rc != SQLITE_DONE) {
        ret = cs_dbfail(st, rc, "the admin login", err);
        goto out;
    }
    ret = cs_exec(st, "COMMIT", "the admin login", err);
out:
    sqlite3_finalize(s);
    if (ret)
        sqlite3_exec(st->db, "ROLLBACK", NULL, NULL, NULL);
    return ret;
}

int central_store_admin_login(central_store *st, const char *name, const char *password,
                              bool trusted, int64_t now, int64_t *until, zc_err *err)
{
    char hash[ZC_PIN_HASH_MAX];
    int failed = 0;
    int64_t locked = 0;
    static const char wrong[] = "wrong name or password";
    if (until)
        *until = 0;
    if (zc_password_valid(password, NULL) != ZC_OK) /* never right; the same for every name */
        return zc_errf(err, ZC_EREFUSED, "%s", wrong);
    int ret = central_admin_name_ok(name) ? admin_read(st, name, hash, &failed, &locked, err)
                                          : ZC_ENOTFOUND;
    if (ret == ZC_ENOTFOUND) {
        int never = zc_password_verify(no_such_admin, password); /* spends the time */
        (void)never;
        return zc_errf(err, ZC_EREFUSED, "%s", wrong);
    }
    if (ret)
        return ret;
    if (locked > now && !trusted) {
        if (until)
            *until = locked;
        return zc_errf(err, ZC_ELOCKED, "the admin %s waits after %d wrong passwords; try again "
                       "in %d seconds", name, failed, (int)(locked - now));
    }
    bool right = zc_password_verify(hash, password) == ZC_OK;
    sodium_memzero(hash, sizeof hash);
    if ((ret = record_attempt(st, name, right, now, &failed, &locked, err)))
        return ret;
    if (right)
        return ZC_OK;
    if (locked && !trusted) {
        if (until)
            *until = locked;
        return zc_errf(err, ZC_ELOCKED, "the admin %s is now locked for %d seconds after %d wrong "
                       "passwords", name, (int)(locked - now), failed);
    }
    return zc_errf(err, ZC_EREFUSED, "%s", wrong);
}

int central_store_admin_token_new(central_store *st, const char *name,
                                  central_admin_token_kind kind, int64_t now, int lifetime_s,
                                  char token[CENTRAL_ADMIN_TOKEN_HEX], zc_err *err)
{
    char hash[ZC_SHA256_HEX];
    sqlite3_stmt *s = NULL;
    int ret;
    token[0] = '\0';
    if (lifetime_s <= 0)
        return zc_errf(err, ZC_EINVAL, "internal error: a token must live a while");
    if ((ret = prep(st, "DELETE FROM admin_session WHERE expires_utc <= ?", &s, err)))
        goto out;
    sqlite3_bind_int64(s, 1, now);
    if (sqlite3_step(s) != SQLITE_DONE) {
        ret = cs_dbfail(st, sqlite3_errcode(st->db), "removing expired sessions", err);
        goto out;
    }
    sqlite3_finalize(s);
    s = NULL;
    zc_random_hex(32, token);
    zc_sha256_hex(token, strlen(token), hash);
    if ((ret = prep(st, "INSERT INTO admin_session (token_hash, admin, kind, created_utc, "
                        "expires_utc) SELECT ?, name, ?, ?, ? FROM admin WHERE name = ?", &s, err)))
        goto out;
    sqlite3_bind_text(s, 1, hash, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 2, kind == CENTRAL_ADMIN_LINK ? "link" : "session", -1, SQLITE_STATIC);
    sqlite3_bind_int64(s, 3, now);
    sqlite3_bind_int64(s, 4, now + lifetime_s);
    sqlite3_bind_text(s, 5, name, -1, SQLITE_STATIC);
    if (sqlite3_step(s) != SQLITE_DONE)
        ret = cs_dbfail(st, sqlite3_errcode(st->db), "creating the session", err);
    else if (sqlite3_changes(st->db) != 1)
        ret = zc_errf(err, ZC_ENOTFOUND, "there is no admin %s; add one with `zhucan-central admin "
                      "add`", name);
out:
    sqlite3_finalize(s);
    if (ret)
        token[0] = '\0';
    return ret;
}

/* Finds a token of a kind; with take, deletes it in the same statement's
 * transaction so that a link works once even when two requests race. */
static int token_find(central_store *st, const char *token, const char *kind, bool take,
                      int64_t now, char name[CENTRAL_ADMIN_NAME_MAX], zc_err *err)
{
    char hash[ZC_SHA256_HEX];
    sqlite3_stmt *s = NULL;
    name[0] = '\0';
    if (!token_ok(token))
        return ZC_ENOTFOUND;
    zc_sha256_hex(token, strlen(token), hash);
    int ret = prep(st, take ? "DELETE FROM admin_session WHERE token_hash = ? AND kind = ? "
                              "RETURNING admin, expires_utc"
                            : "SELECT admin, expires_utc FROM admin_session WHERE token_hash = ? "
                              "AND kind = ?", &s, err);
    if (ret == ZC_OK) {
        sqlite3_bind_text(s, 1, hash, -1, SQLITE_STATIC);
        sqlite3_bind_text(s, 2, kind, -1, SQLITE_STATIC);
        int rc = sqlite3_step(s);
        if (rc == SQLITE_ROW && sqlite3_column_int64(s, 1) > now)
            cs_col_text(s, 0, name, CENTRAL_ADMIN_NAME_MAX);
        else if (rc != SQLITE_ROW && rc != SQLITE_DONE)
            ret = cs_dbfail(st, rc, "reading the session", err);
        if (rc == SQLITE_ROW)
            rc = sqlite3_step(s); /* runs a DELETE ... RETURNING to its end */
        if (ret == ZC_OK && rc != SQLITE_DONE)
            ret = cs_dbfail(st, rc, "reading the session", err);
    }
    sqlite3_finalize(s);
    if (ret == ZC_OK && !name[0])
        ret = ZC_ENOTFOUND;
    return ret;
}

int central_store_admin_session(central_store *st, const char *token, int64_t now,
                                char name[CENTRAL_ADMIN_NAME_MAX], zc_err *err)
{
    return token_find(st, token, "session", false, now, name, err);
}

int central_store_admin_link_use(central_store *st, const char *token, int64_t now,
                                 char name[CENTRAL_ADMIN_NAME_MAX], zc_err *err)
{
    return token_find(st, token, "link", true, now, name, err);
}

int central_store_admin_token_end(central_store *st, const char *token, zc_err *err)
{
    char hash[ZC_SHA256_HEX];
    sqlite3_stmt *s = NULL;
    if (!token_ok(token))
        return ZC_OK;
    zc_sha256_hex(token, strlen(token), hash);
    int ret = prep(st, "DELETE FROM admin_session WHERE token_hash = ?", &s, err);
    if (ret == ZC_OK) {
        sqlite3_bind_text(s, 1, hash, -1, SQLITE_STATIC);
        int rc = sqlite3_step(s);
        if (rc != SQLITE_DONE)
            ret = cs_dbfail(st, rc, "ending the session", err);
    }
    sqlite3_finalize(s);
    return ret;
}
