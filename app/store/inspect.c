/* inspect.c - read-only look-ups for the command line and the kiosk's
 * benchmark: the stored policy versions, SQLite's integrity check and a
 * random sample of active cards.  Rare calls: statements are prepared per
 * call, not kept in the store's cache. */
#include <string.h>

#include "store_int.h"

int store_policy_each(store_t *st, void (*fn)(void *arg, const store_policy_row *r), void *arg,
                      zc_err *err)
{
    sqlite3_stmt *s = NULL;
    int rc = sqlite3_prepare_v2(st->db, "SELECT policy_id, version, effective_from, "
                                "IFNULL(effective_to,'(open)') FROM policy ORDER BY effective_from, "
                                "policy_id, version", -1, &s, NULL);
    int ret = ZC_OK;
    if (rc != SQLITE_OK) {
        ret = store_dbfail(st, rc, "listing the policies", err);
        goto out;
    }
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
        store_policy_row r;
        store_col_text(s, 0, r.id, sizeof r.id);
        store_col_text(s, 1, r.version, sizeof r.version);
        store_col_text(s, 2, r.from, sizeof r.from);
        store_col_text(s, 3, r.to, sizeof r.to);
        fn(arg, &r);
    }
out:
    sqlite3_finalize(s);
    return ret;
}

int store_integrity(store_t *st, char *why, size_t n)
{
    sqlite3_stmt *s = NULL;
    int ret = ZC_EDB;
    snprintf(why, n, "error");
    if (sqlite3_prepare_v2(st->db, "PRAGMA integrity_check", -1, &s, NULL) == SQLITE_OK &&
        sqlite3_step(s) == SQLITE_ROW) {
        const unsigned char *t = sqlite3_column_text(s, 0);
        if (t && strcmp((const char *)t, "ok") == 0)
            ret = ZC_OK;
        else if (t)
            snprintf(why, n, "%s", (const char *)t);
    }
    sqlite3_finalize(s);
    return ret;
}

int store_card_sample(store_t *st, uint64_t *uids, int cap, int *n, zc_err *err)
{
    sqlite3_stmt *s = NULL;
    *n = 0;
    int ret = ZC_OK, rc = sqlite3_prepare_v2(st->db, "SELECT uid FROM card WHERE status = 'active' "
                                             "ORDER BY random() LIMIT ?", -1, &s, NULL);
    if (rc != SQLITE_OK) {
        ret = store_dbfail(st, rc, "reading cards", err);
        goto out;
    }
    sqlite3_bind_int(s, 1, cap);
    while (*n < cap && sqlite3_step(s) == SQLITE_ROW) {
        const char *uid_s = (const char *)sqlite3_column_text(s, 0);
        if (uid_s && zc_card_uid_parse(uid_s, &uids[*n], NULL) == ZC_OK)
            (*n)++;
    }
out:
    sqlite3_finalize(s);
    return ret;
}
