/* cstore_console.c - the district console's store in SQLite
 * (cstore_console.h).  Like cstore_admin.c these run a few times per person
 * per day, so statements are prepared per call. */
#include "cstore_console.h"

#include <sodium.h>
#include <stdlib.h>
#include <string.h>

#include "cstore_int.h"

/* Prepares sql into *s (finalized by the caller, also on failure). */
static int prep(central_store *st, const char *sql, sqlite3_stmt **s, zc_err *err)
{
    int rc = sqlite3_prepare_v2(st->db, sql, -1, s, NULL);
    return rc == SQLITE_OK ? ZC_OK : cs_dbfail(st, rc, "the console's tables", err);
}

/* Steps s to its end; ZC_OK or the failure. */
static int done(central_store *st, sqlite3_stmt *s, const char *what, zc_err *err)
{
    int rc = sqlite3_step(s);
    return rc == SQLITE_DONE ? ZC_OK : cs_dbfail(st, rc, what, err);
}

int cs_audit(central_store *st, const char *actor, const char *action, const char *target,
             const char *before, const char *after, int64_t now, zc_err *err)
{
    sqlite3_stmt *s = NULL;
    int ret = prep(st, "INSERT INTO audit (at_utc, actor, action, target, before, after) "
                       "VALUES (?, ?, ?, ?, substr(?, 1, ?), substr(?, 1, ?))", &s, err);
    if (ret == ZC_OK) {
        sqlite3_bind_int64(s, 1, now);
        sqlite3_bind_text(s, 2, actor ? actor : "cli", -1, SQLITE_STATIC);
        sqlite3_bind_text(s, 3, action, -1, SQLITE_STATIC);
        sqlite3_bind_text(s, 4, target ? target : "", -1, SQLITE_STATIC);
        sqlite3_bind_text(s, 5, before ? before : "", -1, SQLITE_STATIC);
        sqlite3_bind_int(s, 6, CENTRAL_AUDIT_TEXT_MAX - 1);
        sqlite3_bind_text(s, 7, after ? after : "", -1, SQLITE_STATIC);
        sqlite3_bind_int(s, 8, CENTRAL_AUDIT_TEXT_MAX - 1);
        ret = done(st, s, "writing the audit trail", err);
    }
    sqlite3_finalize(s);
    return ret;
}

int central_store_admin_scope(central_store *st, const char *name, central_admin_scope *out,
                              zc_err *err)
{
    char code[16];
    sqlite3_stmt *s = NULL;
    memset(out, 0, sizeof *out);
    int ret = prep(st, "SELECT role FROM admin WHERE name = ?", &s, err);
    if (ret)
        goto out;
    sqlite3_bind_text(s, 1, name, -1, SQLITE_STATIC);
    int rc = sqlite3_step(s);
    if (rc != SQLITE_ROW) {
        ret = rc == SQLITE_DONE ? ZC_ENOTFOUND : cs_dbfail(st, rc, "reading the admin", err);
        goto out;
    }
    cs_col_text(s, 0, code, sizeof code);
    if (!central_admin_role_parse(code, &out->role)) {
        ret = zc_errf(err, ZC_EDB, "the admin %s has an unknown role %s", name, code);
        goto out;
    }
    sqlite3_finalize(s);
    s = NULL;
    if ((ret = prep(st, "SELECT canteen_id FROM admin_canteen WHERE admin = ? ORDER BY canteen_id",
                    &s, err)))
        goto out;
    sqlite3_bind_text(s, 1, name, -1, SQLITE_STATIC);
    while ((rc = sqlite3_step(s)) == SQLITE_ROW && out->ncanteens < CENTRAL_ADMIN_CANTEENS)
        cs_col_text(s, 0, out->canteens[out->ncanteens++], ZC_ID_MAX);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        ret = cs_dbfail(st, rc, "reading the admin's canteens", err);
out:
    sqlite3_finalize(s);
    return ret;
}

int central_store_admin_list(central_store *st, int (*fn)(void *ctx, const central_admin_row *r),
                             void *ctx, zc_err *err)
{
    char code[16];
    sqlite3_stmt *s = NULL;
    int rc, ret = prep(st, "SELECT a.name, a.role, coalesce((SELECT group_concat(canteen_id, ',') "
                           "FROM (SELECT canteen_id FROM admin_canteen c WHERE c.admin = a.name "
                           "ORDER BY canteen_id)), ''), a.failed, a.locked_until, "
                           "coalesce(a.last_login_utc, 0) FROM admin a ORDER BY a.name", &s, err);
    while (ret == ZC_OK && (rc = sqlite3_step(s)) == SQLITE_ROW) {
        central_admin_row r = {0};
        cs_col_text(s, 0, r.name, sizeof r.name);
        cs_col_text(s, 1, code, sizeof code);
        if (!central_admin_role_parse(code, &r.role))
            r.role = CENTRAL_ROLE_AUDITOR; /* the CHECK allows no other; read-only if ever */
        cs_col_text(s, 2, r.canteens, sizeof r.canteens);
        r.failed = sqlite3_column_int(s, 3);
        r.locked_until = sqlite3_column_int64(s, 4);
        r.last_login = sqlite3_column_int64(s, 5);
        ret = fn(ctx, &r);
    }
    if (ret == ZC_OK && rc != SQLITE_DONE)
        ret = cs_dbfail(st, rc, "listing the admins", err);
    sqlite3_finalize(s);
    return ret;
}

/* Runs one statement with name (and an optional second text) bound. */
static int exec2(central_store *st, const char *sql, const char *a, const char *b, zc_err *err)
{
    sqlite3_stmt *s = NULL;
    int ret = prep(st, sql, &s, err);
    if (ret == ZC_OK) {
        sqlite3_bind_text(s, 1, a, -1, SQLITE_STATIC);
        if (b)
            sqlite3_bind_text(s, 2, b, -1, SQLITE_STATIC);
        ret = done(st, s, "changing the password", err);
    }
    sqlite3_finalize(s);
    return ret;
}

int central_store_admin_password(central_store *st, const char *actor, const char *action,
                                 const char *name, const char *password, const char *keep_token,
                                 int64_t now, zc_err *err)
{
    char hash[ZC_PIN_HASH_MAX], keep[ZC_SHA256_HEX] = "";
    sqlite3_stmt *s = NULL;
    int ret = zc_password_hash(password, hash, err);
    if (ret)
        return ret;
    if (keep_token)
        zc_sha256_hex(keep_token, strlen(keep_token), keep);
    if ((ret = cs_exec(st, "BEGIN IMMEDIATE", "changing the password", err)))
        goto out;
    if ((ret = prep(st, "UPDATE admin SET pw_hash = ?, failed = 0, locked_until = 0 WHERE name = ?",
                    &s, err)))
        goto out;
    sqlite3_bind_text(s, 1, hash, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 2, name, -1, SQLITE_STATIC);
    if ((ret = done(st, s, "changing the password", err)))
        goto out;
    if (sqlite3_changes(st->db) != 1) {
        ret = zc_errf(err, ZC_ENOTFOUND, "there is no admin %s", name);
        goto out;
    }
    if ((ret = exec2(st, "DELETE FROM admin_session WHERE admin = ? AND token_hash <> ?", name, keep,
                     err)) ||
        (ret = exec2(st, "DELETE FROM admin_device WHERE admin = ?", name, NULL, err)) ||
        (ret = cs_audit(st, actor, action, name, "password=(old)", "password=(new); sessions ended",
                        now, err)))
        goto out;
    ret = cs_exec(st, "COMMIT", "changing the password", err);
out:
    sqlite3_finalize(s);
    if (ret && sqlite3_get_autocommit(st->db) == 0)
        sqlite3_exec(st->db, "ROLLBACK", NULL, NULL, NULL);
    sodium_memzero(hash, sizeof hash);
    return ret;
}

int central_store_admin_device_new(central_store *st, const char *name, int64_t now,
                                   char token[CENTRAL_ADMIN_TOKEN_HEX], zc_err *err)
{
    char hash[ZC_SHA256_HEX];
    sqlite3_stmt *s = NULL;
    zc_random_hex(32, token);
    zc_sha256_hex(token, strlen(token), hash);
    int ret = prep(st, "DELETE FROM admin_device WHERE expires_utc <= ?", &s, err);
    if (ret)
        goto out;
    sqlite3_bind_int64(s, 1, now);
    if ((ret = done(st, s, "removing expired devices", err)))
        goto out;
    sqlite3_finalize(s);
    s = NULL;
    if ((ret = prep(st, "INSERT INTO admin_device (token_hash, admin, expires_utc) VALUES (?, ?, ?)",
                    &s, err)))
        goto out;
    sqlite3_bind_text(s, 1, hash, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 2, name, -1, SQLITE_STATIC);
    sqlite3_bind_int64(s, 3, now + CENTRAL_ADMIN_DEVICE_S);
    ret = done(st, s, "trusting the browser", err);
out:
    sqlite3_finalize(s);
    if (ret)
        token[0] = '\0';
    return ret;
}

int central_store_admin_device_ok(central_store *st, const char *name, const char *token,
                                  int64_t now, zc_err *err)
{
    char hash[ZC_SHA256_HEX];
    sqlite3_stmt *s = NULL;
    size_t n = token ? strnlen(token, CENTRAL_ADMIN_TOKEN_HEX) : 0;
    if (n != CENTRAL_ADMIN_TOKEN_HEX - 1 || !name)
        return ZC_ENOTFOUND;
    zc_sha256_hex(token, n, hash);
    int ret = prep(st, "SELECT 1 FROM admin_device WHERE token_hash = ? AND admin = ? AND "
                       "expires_utc > ?", &s, err);
    if (ret == ZC_OK) {
        sqlite3_bind_text(s, 1, hash, -1, SQLITE_STATIC);
        sqlite3_bind_text(s, 2, name, -1, SQLITE_STATIC);
        sqlite3_bind_int64(s, 3, now);
        int rc = sqlite3_step(s);
        ret = rc == SQLITE_ROW    ? ZC_OK
              : rc == SQLITE_DONE ? ZC_ENOTFOUND
                                  : cs_dbfail(st, rc, "reading the browser's trust", err);
    }
    sqlite3_finalize(s);
    return ret;
}

int central_store_audit_list(central_store *st, int64_t before_id, int limit,
                             int (*fn)(void *ctx, const central_audit_row *r), void *ctx,
                             zc_err *err)
{
    sqlite3_stmt *s = NULL;
    int rc = SQLITE_DONE;
    int ret = prep(st, "SELECT id, at_utc, actor, action, target, before, after FROM audit "
                       "WHERE ? = 0 OR id < ? ORDER BY id DESC LIMIT ?", &s, err);
    if (ret == ZC_OK) {
        sqlite3_bind_int64(s, 1, before_id);
        sqlite3_bind_int64(s, 2, before_id);
        sqlite3_bind_int(s, 3, limit);
    }
    while (ret == ZC_OK && (rc = sqlite3_step(s)) == SQLITE_ROW) {
        central_audit_row r;
        r.id = sqlite3_column_int64(s, 0);
        r.at = sqlite3_column_int64(s, 1);
        cs_col_text(s, 2, r.actor, sizeof r.actor);
        cs_col_text(s, 3, r.action, sizeof r.action);
        cs_col_text(s, 4, r.target, sizeof r.target);
        cs_col_text(s, 5, r.before, sizeof r.before);
        cs_col_text(s, 6, r.after, sizeof r.after);
        ret = fn(ctx, &r);
    }
    if (ret == ZC_OK && rc != SQLITE_DONE)
        ret = cs_dbfail(st, rc, "reading the audit trail", err);
    sqlite3_finalize(s);
    return ret;
}

int central_store_upload_put(central_store *st, const char *admin, const char *source,
                             const char *text, size_t len, int64_t now,
                             char id[CENTRAL_UPLOAD_ID_HEX], zc_err *err)
{
    sqlite3_stmt *s = NULL;
    zc_random_hex(16, id);
    int ret = prep(st, "DELETE FROM roster_upload WHERE created_utc <= ?", &s, err);
    if (ret)
        goto out;
    sqlite3_bind_int64(s, 1, now - CENTRAL_UPLOAD_S);
    if ((ret = done(st, s, "removing old uploads", err)))
        goto out;
    sqlite3_finalize(s);
    s = NULL;
    if ((ret = prep(st, "INSERT INTO roster_upload (id, admin, source, text, created_utc) "
                        "VALUES (?, ?, ?, ?, ?)", &s, err)))
        goto out;
    sqlite3_bind_text(s, 1, id, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 2, admin, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 3, source, -1, SQLITE_STATIC);
    sqlite3_bind_blob64(s, 4, text, len, SQLITE_STATIC);
    sqlite3_bind_int64(s, 5, now);
    ret = done(st, s, "keeping the uploaded roster", err);
out:
    sqlite3_finalize(s);
    if (ret)
        id[0] = '\0';
    return ret;
}

int central_store_upload_take(central_store *st, const char *admin, const char *id, int64_t now,
                              char **text, size_t *len, char source[CENTRAL_UPLOAD_SOURCE_MAX],
                              zc_err *err)
{
    sqlite3_stmt *s = NULL;
    *text = NULL;
    *len = 0;
    source[0] = '\0';
    int ret = prep(st, "DELETE FROM roster_upload WHERE id = ? AND admin = ? RETURNING source, text, "
                       "created_utc", &s, err);
    if (ret)
        goto out;
    sqlite3_bind_text(s, 1, id, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 2, admin, -1, SQLITE_STATIC);
    int rc = sqlite3_step(s);
    if (rc == SQLITE_ROW && sqlite3_column_int64(s, 2) > now - CENTRAL_UPLOAD_S) {
        int n = sqlite3_column_bytes(s, 1);
        const void *blob = sqlite3_column_blob(s, 1);
        cs_col_text(s, 0, source, CENTRAL_UPLOAD_SOURCE_MAX);
        if (!(*text = malloc((size_t)n + 1))) {
            ret = zc_errf(err, ZC_ENOMEM, "out of memory reading the uploaded roster");
            goto out;
        }
        if (n)
            memcpy(*text, blob, (size_t)n);
        (*text)[n] = '\0';
        *len = (size_t)n;
    }
    if (rc == SQLITE_ROW)
        rc = sqlite3_step(s); /* runs the DELETE ... RETURNING to its end */
    if (rc != SQLITE_DONE && rc != SQLITE_ROW)
        ret = cs_dbfail(st, rc, "reading the uploaded roster", err);
    else if (!*text)
        ret = ZC_ENOTFOUND;
out:
    sqlite3_finalize(s);
    if (ret && *text) {
        free(*text);
        *text = NULL;
        *len = 0;
    }
    return ret;
}
