/* audit.c - the audit log: who did what, when, hash-chained.
 *
 * Each row's hash is SHA-256 over its canonical text (format at the top of
 * sale.c, same escaping as sales) including the previous row's hash, so a
 * row changed, removed or inserted outside Zhucan breaks the chain from
 * there on; store_audit_verify finds the first such row.  Rows are numbered
 * 1, 2, 3 ... without gaps, under the write lock of the caller's
 * transaction. */
#include "../core/clock.h"
#include "store_int.h"

#include "../core/salecanon.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

static int audit_hash(int64_t id, int64_t at, const char *op, const char *action,
                      const char *subject, const char *detail, const char *prev,
                      char out[ZC_SHA256_HEX])
{
    zc_canon b = {0};
    zc_buf_put(&b, "zhucan-audit-v1\n", 16);
    zc_canon_kn(&b, "id", id);
    zc_canon_kn(&b, "at_utc", at);
    zc_canon_kv(&b, "operator", op);
    zc_canon_kv(&b, "action", action);
    zc_canon_kv(&b, "subject", subject);
    zc_canon_kv(&b, "detail", detail);
    zc_canon_kv(&b, "prev", prev);
    return zc_canon_hash(&b, out);
}

int store_audit_write(store_t *st, int64_t at, const char *operator_id, const char *action,
                      const char *subject, const char *detail, zc_err *err)
{
    sqlite3_stmt *s;
    char prev[ZC_SHA256_HEX] = STORE_ZERO_HASH, hash[ZC_SHA256_HEX];
    int64_t id = 1;
    const char *op = operator_id ? operator_id : "", *sub = subject ? subject : "",
               *det = detail ? detail : "";
    if (!action || !*action)
        return zc_errf(err, ZC_EINVAL, "internal error: an audit row needs an action");
    int ret = store_prep(st, Q_AUDIT_LAST, "SELECT id, hash FROM audit ORDER BY id DESC LIMIT 1", &s,
                         err);
    if (ret)
        return ret;
    int rc = sqlite3_step(s);
    if (rc == SQLITE_ROW) {
        id = sqlite3_column_int64(s, 0) + 1;
        store_col_text(s, 1, prev, sizeof prev);
    }
    store_done(s);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        return store_dbfail(st, rc, "the audit log", err);
    if ((ret = audit_hash(id, at, op, action, sub, det, prev, hash)))
        return zc_errf(err, ret, "out of memory writing the audit log");
    if ((ret = store_prep(st, Q_AUDIT_INSERT,
                          "INSERT INTO audit (id, at_utc, operator_id, action, subject, detail, "
                          "prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?)", &s, err)))
        return ret;
    sqlite3_bind_int64(s, 1, id);
    sqlite3_bind_int64(s, 2, at);
    sqlite3_bind_text(s, 3, op, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 4, action, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 5, sub, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 6, det, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 7, prev, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 8, hash, -1, SQLITE_STATIC);
    rc = sqlite3_step(s);
    store_done(s);
    return rc == SQLITE_DONE ? ZC_OK : store_dbfail(st, rc, "the audit log", err);
}

/* Appends in its own transaction, or in the caller's when one is open. */
int store_audit(store_t *st, const char *operator_id, const char *action, const char *subject,
                const char *detail, zc_err *err)
{
    bool own = sqlite3_get_autocommit(st->db) != 0;
    int ret = own ? store_begin(st, "the audit log", err) : ZC_OK;
    if (ret == ZC_OK)
        ret = store_audit_write(st, zc_now(), operator_id, action, subject, detail, err);
    if (ret == ZC_OK && own)
        ret = store_commit(st, "the audit log", err);
    if (ret != ZC_OK && own)
        store_rollback(st);
    return ret;
}

int store_audit_verify(store_t *st, int64_t *nrows, zc_err *err)
{
    sqlite3_stmt *s;
    char prev[ZC_SHA256_HEX] = STORE_ZERO_HASH, hash[ZC_SHA256_HEX], want[ZC_SHA256_HEX];
    int64_t n = 0;
    *nrows = 0;
    int ret = store_prep(st, Q_AUDIT_WALK,
                         "SELECT id, at_utc, operator_id, action, subject, detail, prev_hash, hash "
                         "FROM audit ORDER BY id", &s, err);
    if (ret)
        return ret;
    int rc;
    while (ret == ZC_OK && (rc = sqlite3_step(s)) == SQLITE_ROW) {
        int64_t id = sqlite3_column_int64(s, 0);
        const char *t[4];
        for (int i = 0; i < 4; i++) {
            t[i] = (const char *)sqlite3_column_text(s, 2 + i);
            t[i] = t[i] ? t[i] : "";
        }
        store_col_text(s, 6, hash, sizeof hash);
        if (id != n + 1 || strcmp(hash, prev) != 0)
            ret = zc_errf(err, ZC_ECONFLICT, "the audit log is broken at row %lld: %s; the database "
                          "was changed outside Zhucan, call support", (long long)id,
                          id != n + 1 ? "a row is missing" : "it does not follow the row before");
        else if ((ret = audit_hash(id, sqlite3_column_int64(s, 1), t[0], t[1], t[2], t[3], prev,
                                   want)) != ZC_OK)
            ret = zc_errf(err, ret, "out of memory checking the audit log");
        else if (store_col_text(s, 7, hash, sizeof hash), strcmp(hash, want) != 0)
            ret = zc_errf(err, ZC_ECONFLICT, "the audit log is broken at row %lld: its content does "
                          "not match its hash; the database was changed outside Zhucan, call support",
                          (long long)id);
        snprintf(prev, sizeof prev, "%s", hash);
        n += ret == ZC_OK;
    }
    if (ret == ZC_OK && rc != SQLITE_DONE)
        ret = store_dbfail(st, rc, "checking the audit log", err);
    store_done(s);
    *nrows = n;
    return ret;
}
