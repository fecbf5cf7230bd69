/* outbox.c - the outbox side of sync in the database (outbox.h): the rows
 * to send, the centre's answers, and the sync state kept in meta.
 *
 * A sale is sent exactly as it was committed: app/sync builds its JSON from
 * store_sale_doc (sale.c), the stored rows, never from a quote.  A row is
 * marked sent only when the centre answered stored or duplicate for it, in
 * the same transaction that records every other answer of the batch. */
#include "outbox.h"

#include <stdlib.h>
#include <string.h>

#include "store_int.h"

int store_sync_fail(store_t *st, int rc, const char *what, zc_err *err)
{
    const char *why = sqlite3_errmsg(st->db);
    switch (rc & 0xff) {
    case SQLITE_FULL:
        return zc_errf(err, ZC_EFULL, "disk full: %s was not saved; free space on the terminal", what);
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
        return zc_errf(err, ZC_ELOCKED, "the database was busy (%s); sync will try again", what);
    case SQLITE_CONSTRAINT:
        return zc_errf(err, ZC_ECONFLICT, "the database refused %s: %s", what, why);
    default:
        return zc_errf(err, ZC_EDB, "database error with %s: %s", what, why);
    }
}

int store_sync_run(store_t *st, sqlite3_stmt *s, const char *what, zc_err *err)
{
    int rc = sqlite3_step(s);
    store_done(s);
    return rc == SQLITE_DONE ? ZC_OK : store_sync_fail(st, rc, what, err);
}

int store_sync_exec(store_t *st, const char *sql, const char *what, zc_err *err)
{
    int rc = sqlite3_exec(st->db, sql, NULL, NULL, NULL);
    return rc == SQLITE_OK ? ZC_OK : store_sync_fail(st, rc, what, err);
}

int store_meta_put(store_t *st, const char *key, const char *value, zc_err *err)
{
    sqlite3_stmt *s;
    int ret = store_prep(st, Q_SYNC_META_GET, "SELECT value FROM meta WHERE key = ?", &s, err);
    if (ret)
        return ret;
    sqlite3_bind_text(s, 1, key, -1, SQLITE_STATIC);
    int rc = sqlite3_step(s);
    bool same = rc == SQLITE_ROW && sqlite3_column_text(s, 0) &&
                strcmp((const char *)sqlite3_column_text(s, 0), value) == 0;
    store_done(s);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        return store_sync_fail(st, rc, "reading the sync state", err);
    if (same)
        return ZC_OK;
    if ((ret = store_prep(st, Q_SYNC_META_SET, "INSERT INTO meta (key, value) VALUES (?1, ?2) ON "
                          "CONFLICT (key) DO UPDATE SET value = excluded.value", &s, err)))
        return ret;
    sqlite3_bind_text(s, 1, key, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 2, value, -1, SQLITE_STATIC);
    return store_sync_run(st, s, "saving the sync state", err);
}

/* Appends the rows the statement yields (outbox id, sale id) at items[*n]. */
static int collect(store_t *st, sqlite3_stmt *s, store_outbox_item *items, int *n, bool is_void,
                   zc_err *err)
{
    int rc;
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
        store_outbox_item *it = &items[(*n)++];
        it->outbox_id = sqlite3_column_int64(s, 0);
        store_col_text(s, 1, it->sale_id, sizeof it->sale_id);
        it->is_void = is_void;
    }
    store_done(s);
    return rc == SQLITE_DONE ? ZC_OK : store_sync_fail(st, rc, "reading the outbox", err);
}

int store_outbox_pending(store_t *st, int max, store_outbox_item *items, int *nsales, int *nvoids,
                         zc_err *err)
{
    sqlite3_stmt *s;
    int n = 0, ret;
    *nsales = *nvoids = 0;
    /* oldest first: the outbox id follows the commit order (and so seq) */
    if ((ret = store_prep(st, Q_OB_PEND_SALES,
                          "SELECT id, sale_id FROM outbox WHERE sent_utc IS NULL AND held IS NULL "
                          "AND kind = 'sale' ORDER BY id LIMIT ?", &s, err)))
        return ret;
    sqlite3_bind_int(s, 1, max);
    if ((ret = collect(st, s, items, &n, false, err)))
        return ret;
    *nsales = n;
    /* a void goes only after the centre holds its sale */
    if ((ret = store_prep(st, Q_OB_PEND_VOIDS,
                          "SELECT o.id, o.sale_id FROM outbox o WHERE o.kind = 'void' AND "
                          "o.sent_utc IS NULL AND o.held IS NULL AND EXISTS (SELECT 1 FROM outbox "
                          "k WHERE k.sale_id = o.sale_id AND k.kind = 'sale' AND k.sent_utc IS NOT "
                          "NULL) ORDER BY o.id LIMIT ?", &s, err)))
        return ret;
    sqlite3_bind_int(s, 1, max);
    if ((ret = collect(st, s, items, &n, true, err)))
        return ret;
    *nvoids = n - *nsales;
    return ZC_OK;
}

void store_void_out_free(store_void_out *v)
{
    if (!v)
        return;
    free(v->reason);
    v->reason = NULL;
}

int store_outbox_void(store_t *st, const char *id, store_void_out *out, zc_err *err)
{
    sqlite3_stmt *s;
    memset(out, 0, sizeof *out);
    int ret = store_prep(st, Q_OB_VOID, "SELECT void_utc, void_operator_id, void_reason FROM sale WHERE "
                         "id = ? AND status = 'voided'", &s, err);
    if (ret)
        return ret;
    sqlite3_bind_text(s, 1, id, -1, SQLITE_STATIC);
    int rc = sqlite3_step(s);
    if (rc == SQLITE_ROW) {
        const unsigned char *r = sqlite3_column_text(s, 2);
        out->at_utc = sqlite3_column_int64(s, 0);
        store_col_text(s, 1, out->op, sizeof out->op);
        if (!(out->reason = strdup(r ? (const char *)r : "")))
            ret = zc_errf(err, ZC_ENOMEM, "out of memory building the voids to send");
    } else if (rc == SQLITE_DONE) {
        ret = zc_errf(err, ZC_EDB, "the outbox holds a void of sale %s, which is not voided; run "
                      "zhucan verify", id);
    } else {
        ret = store_sync_fail(st, rc, "reading a void to send", err);
    }
    store_done(s);
    return ret;
}

/* Runs the UPDATE of one outbox row for answer a. */
static int mark(store_t *st, const store_ack *a, int64_t now, zc_err *err)
{
    static const struct {
        int slot;
        const char *sql;
    } q[] = {
        [STORE_ACK_SENT] = {Q_OB_SENT, "UPDATE outbox SET sent_utc = ?1, attempts = attempts + 1, "
                                       "last_error = NULL WHERE id = ?2 AND sent_utc IS NULL"},
        [STORE_ACK_HELD] = {Q_OB_HELD, "UPDATE outbox SET held = ?3, attempts = attempts + 1, "
                                       "last_error = ?4 WHERE id = ?2 AND sent_utc IS NULL"},
        [STORE_ACK_RETRY] = {Q_OB_RETRY, "UPDATE outbox SET attempts = attempts + 1, last_error = ?4 "
                                         "WHERE id = ?2 AND sent_utc IS NULL"},
    };
    sqlite3_stmt *s;
    int ret = store_prep(st, q[a->how].slot, q[a->how].sql, &s, err);
    if (ret)
        return ret;
    if (a->how == STORE_ACK_SENT)
        sqlite3_bind_int64(s, 1, now);
    sqlite3_bind_int64(s, 2, a->outbox_id);
    if (a->how == STORE_ACK_HELD)
        sqlite3_bind_text(s, 3, a->held, -1, SQLITE_STATIC);
    if (a->how != STORE_ACK_SENT)
        sqlite3_bind_text(s, 4, a->why, -1, SQLITE_STATIC);
    return store_sync_run(st, s, "recording the centre's answer", err);
}

int store_outbox_ack(store_t *st, const store_ack *a, int n, int64_t now, bool hold_orphans,
                     const char *what, zc_err *err)
{
    sqlite3_stmt *s;
    int ret = store_sync_exec(st, "BEGIN IMMEDIATE", what, err);
    if (ret)
        return ret;
    for (int i = 0; i < n && ret == ZC_OK; i++)
        ret = mark(st, &a[i], now, err);
    /* a void of a sale the centre will never hold cannot be sent either */
    if (ret == ZC_OK && hold_orphans &&
        (ret = store_prep(st, Q_OB_ORPHANS,
                          "UPDATE outbox SET held = 'unknown_sale', last_error = 'its sale was "
                          "refused by the centre; not sent' WHERE kind = 'void' AND sent_utc IS "
                          "NULL AND held IS NULL AND sale_id IN (SELECT sale_id FROM outbox WHERE "
                          "kind = 'sale' AND held IS NOT NULL)", &s, err)) == ZC_OK)
        ret = store_sync_run(st, s, "recording the centre's answer", err);
    if (ret == ZC_OK)
        ret = store_sync_exec(st, "COMMIT", what, err);
    if (ret)
        store_rollback(st);
    return ret;
}

int store_outbox_unsent(store_t *st, long *unsent, long *held)
{
    sqlite3_stmt *s;
    *unsent = *held = 0;
    int ret = store_prep(st, Q_OB_UNSENT, "SELECT count(*), count(held) FROM outbox WHERE sent_utc IS "
                         "NULL", &s, NULL);
    if (ret)
        return ret;
    int rc = sqlite3_step(s);
    if (rc == SQLITE_ROW) {
        *unsent = (long)sqlite3_column_int64(s, 0);
        *held = (long)sqlite3_column_int64(s, 1);
    }
    store_done(s);
    return rc == SQLITE_ROW ? ZC_OK : store_sync_fail(st, rc, "counting unsent sales", NULL);
}

int store_sale_is_local(store_t *st, const char *sale_id, bool *yes)
{
    sqlite3_stmt *s;
    *yes = false;
    int ret = store_prep(st, Q_OB_SALE_LOCAL, "SELECT 1 FROM sale WHERE id = ?", &s, NULL);
    if (ret)
        return ret;
    sqlite3_bind_text(s, 1, sale_id, -1, SQLITE_STATIC);
    int rc = sqlite3_step(s);
    *yes = rc == SQLITE_ROW;
    store_done(s);
    return rc == SQLITE_ROW || rc == SQLITE_DONE ? ZC_OK : store_sync_fail(st, rc, "reading sales", NULL);
}
