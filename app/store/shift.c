/* shift.c - cashier shifts, Z reports and the recent-sales list (shift.h),
 * and the WAL checkpoint controls the kiosk uses (store.h). */
#include "shift.h"
#include "store_raw.h"

#include <sqlite3.h>
#include <stdio.h>
#include <string.h>

/* Copies column i as text into buf ("" for NULL). */
static void col_text(sqlite3_stmt *s, int i, char *buf, size_t n)
{
    const unsigned char *t = sqlite3_column_text(s, i);
    snprintf(buf, n, "%s", t ? (const char *)t : "");
}

static int db_fail(store_t *st, zc_err *err, const char *what)
{
    int code = sqlite3_errcode(store_db(st)) == SQLITE_FULL ? ZC_EFULL : ZC_EDB;
    return zc_errf(err, code, "%s: %s", what, sqlite3_errmsg(store_db(st)));
}

static void read_shift(sqlite3_stmt *s, store_shift *out)
{
    memset(out, 0, sizeof *out);
    out->id = sqlite3_column_int64(s, 0);
    col_text(s, 1, out->operator_id, sizeof out->operator_id);
    out->opened_utc = sqlite3_column_int64(s, 2);
    out->closed_utc = sqlite3_column_int64(s, 3);
    out->float_fen = sqlite3_column_int64(s, 4);
    out->counted_fen = sqlite3_column_int64(s, 5);
}

int store_shift_current(store_t *st, store_shift *out, zc_err *err)
{
    sqlite3_stmt *s = NULL;
    int rc;
    if (sqlite3_prepare_v2(store_db(st),
                           "SELECT id, operator_id, opened_utc, IFNULL(closed_utc,0), float_fen, "
                           "IFNULL(counted_fen,0) FROM shift WHERE closed_utc IS NULL",
                           -1, &s, NULL) != SQLITE_OK)
        return db_fail(st, err, "reading the open shift");
    rc = sqlite3_step(s);
    if (rc == SQLITE_ROW) {
        read_shift(s, out);
        rc = ZC_OK;
    } else if (rc == SQLITE_DONE) {
        rc = zc_errf(err, ZC_ENOTFOUND, "no shift is open");
    } else {
        rc = db_fail(st, err, "reading the open shift");
    }
    sqlite3_finalize(s);
    return rc;
}

int store_shift_open(store_t *st, const char *operator_id, zc_fen float_fen, int64_t now_utc,
                     store_shift *out, zc_err *err)
{
    sqlite3 *db = store_db(st);
    sqlite3_stmt *s = NULL;
    char detail[64];
    int rc;
    if (float_fen < 0 || float_fen > ZC_FEN_MAX)
        return zc_errf(err, ZC_EINVAL, "the opening cash must be between 0 and %lld fen",
                       (long long)ZC_FEN_MAX);
    if (store_shift_current(st, out, NULL) == ZC_OK)
        return zc_errf(err, ZC_ECONFLICT, "a shift opened by %s is still open; close it first",
                       out->operator_id);
    if (sqlite3_exec(db, "BEGIN IMMEDIATE", NULL, NULL, NULL) != SQLITE_OK)
        return db_fail(st, err, "opening the shift");
    if (sqlite3_prepare_v2(db, "INSERT INTO shift(operator_id, opened_utc, float_fen) VALUES(?,?,?)", -1,
                           &s, NULL) != SQLITE_OK) {
        rc = db_fail(st, err, "opening the shift");
        goto out;
    }
    sqlite3_bind_text(s, 1, operator_id, -1, SQLITE_STATIC);
    sqlite3_bind_int64(s, 2, now_utc);
    sqlite3_bind_int64(s, 3, float_fen);
    if (sqlite3_step(s) != SQLITE_DONE) {
        rc = db_fail(st, err, "opening the shift");
        goto out;
    }
    memset(out, 0, sizeof *out);
    out->id = sqlite3_last_insert_rowid(db);
    snprintf(out->operator_id, sizeof out->operator_id, "%s", operator_id);
    out->opened_utc = now_utc;
    out->float_fen = float_fen;
    snprintf(detail, sizeof detail, "float=%lld", (long long)float_fen);
    rc = store_audit(st, operator_id, "shift_open", "", detail, err);
out:
    sqlite3_finalize(s);
    if (rc == ZC_OK && sqlite3_exec(db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK)
        rc = db_fail(st, err, "opening the shift");
    if (rc != ZC_OK)
        sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
    return rc;
}

int store_shift_report(store_t *st, const store_shift *sh, int64_t now_utc, store_zreport *out,
                       zc_err *err)
{
    sqlite3 *db = store_db(st);
    sqlite3_stmt *s = NULL;
    int64_t until = sh->closed_utc ? sh->closed_utc : now_utc;
    int rc = ZC_OK;

    memset(out, 0, sizeof *out);
    out->shift = *sh;
    /* sales of the shift window, by status and method */
    if (sqlite3_prepare_v2(db,
                           "SELECT status, pay_method, count(*), sum(gross_fen), sum(subsidy_fen), "
                           "sum(pay_fen), sum(elder_id IS NOT NULL), min(seq), max(seq) FROM sale "
                           "WHERE created_utc >= ? AND created_utc <= ? GROUP BY status, pay_method",
                           -1, &s, NULL) != SQLITE_OK)
        return db_fail(st, err, "computing the Z report");
    sqlite3_bind_int64(s, 1, sh->opened_utc);
    sqlite3_bind_int64(s, 2, until);
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
        const char *status = (const char *)sqlite3_column_text(s, 0);
        const char *method = (const char *)sqlite3_column_text(s, 1);
        long cnt = (long)sqlite3_column_int64(s, 2);
        int64_t lo = sqlite3_column_int64(s, 7), hi = sqlite3_column_int64(s, 8);
        if (!out->first_seq || lo < out->first_seq)
            out->first_seq = lo;
        if (hi > out->last_seq)
            out->last_seq = hi;
        if (status && strcmp(status, "voided") == 0) {
            out->voids += cnt;
            continue;
        }
        out->sales += cnt;
        out->gross += sqlite3_column_int64(s, 3);
        out->subsidy += sqlite3_column_int64(s, 4);
        out->elders += (long)sqlite3_column_int64(s, 6);
        zc_fen pay = sqlite3_column_int64(s, 5);
        out->pay += pay;
        if (method && strcmp(method, "mobile") == 0)
            out->mobile += pay;
        else
            out->cash += pay;
    }
    sqlite3_finalize(s);
    s = NULL;
    if (rc != SQLITE_DONE)
        return db_fail(st, err, "computing the Z report");
    out->cash_expected = sh->float_fen + out->cash;

    if (sqlite3_prepare_v2(db,
                           "SELECT p.source, count(*), sum(p.fen) FROM sale_subsidy p JOIN sale s "
                           "ON s.id = p.sale_id WHERE s.status = 'done' AND s.created_utc >= ? AND "
                           "s.created_utc <= ? GROUP BY p.source ORDER BY p.source",
                           -1, &s, NULL) != SQLITE_OK)
        return db_fail(st, err, "computing the Z report");
    sqlite3_bind_int64(s, 1, sh->opened_utc);
    sqlite3_bind_int64(s, 2, until);
    while ((rc = sqlite3_step(s)) == SQLITE_ROW && out->nsources < SHIFT_MAX_SOURCES) {
        int i = out->nsources++;
        col_text(s, 0, out->by_source[i].source, sizeof out->by_source[i].source);
        out->by_source[i].parts = (long)sqlite3_column_int64(s, 1);
        out->by_source[i].fen = sqlite3_column_int64(s, 2);
    }
    sqlite3_finalize(s);
    if (rc != SQLITE_DONE && rc != SQLITE_ROW)
        return db_fail(st, err, "computing the Z report");
    return ZC_OK;
}

int store_shift_close(store_t *st, const char *operator_id, zc_fen counted_fen, int64_t now_utc,
                      store_zreport *out, zc_err *err)
{
    sqlite3 *db = store_db(st);
    sqlite3_stmt *s = NULL;
    store_shift sh;
    char detail[128];
    int rc;
    if (counted_fen < 0 || counted_fen > ZC_FEN_MAX)
        return zc_errf(err, ZC_EINVAL, "the counted cash must be between 0 and %lld fen",
                       (long long)ZC_FEN_MAX);
    if (sqlite3_exec(db, "BEGIN IMMEDIATE", NULL, NULL, NULL) != SQLITE_OK)
        return db_fail(st, err, "closing the shift");
    rc = store_shift_current(st, &sh, err);
    if (rc)
        goto out;
    if (sqlite3_prepare_v2(db, "UPDATE shift SET closed_utc = ?, closed_by = ?, counted_fen = ? WHERE id = ?",
                           -1, &s, NULL) != SQLITE_OK) {
        rc = db_fail(st, err, "closing the shift");
        goto out;
    }
    sqlite3_bind_int64(s, 1, now_utc);
    sqlite3_bind_text(s, 2, operator_id, -1, SQLITE_STATIC);
    sqlite3_bind_int64(s, 3, counted_fen);
    sqlite3_bind_int64(s, 4, sh.id);
    if (sqlite3_step(s) != SQLITE_DONE) {
        rc = db_fail(st, err, "closing the shift");
        goto out;
    }
    sh.closed_utc = now_utc;
    sh.counted_fen = counted_fen;
    rc = store_shift_report(st, &sh, now_utc, out, err);
    if (rc)
        goto out;
    snprintf(detail, sizeof detail, "counted=%lld expected=%lld sales=%ld", (long long)counted_fen,
             (long long)out->cash_expected, out->sales);
    rc = store_audit(st, operator_id, "shift_close", "", detail, err);
out:
    sqlite3_finalize(s);
    if (rc == ZC_OK && sqlite3_exec(db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK)
        rc = db_fail(st, err, "closing the shift");
    if (rc != ZC_OK)
        sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
    return rc;
}

int store_sale_recent(store_t *st, store_sale_row *out, int cap, int *n, zc_err *err)
{
    sqlite3_stmt *s = NULL;
    int rc;
    *n = 0;
    if (sqlite3_prepare_v2(store_db(st),
                           "SELECT s.id, s.seq, s.local_time, s.operator_id, IFNULL(s.elder_id,''), "
                           "IFNULL(e.name,''), s.gross_fen, s.subsidy_fen, s.pay_fen, s.pay_method, "
                           "s.status = 'voided', NOT EXISTS (SELECT 1 FROM outbox o WHERE o.sale_id = s.id "
                           "AND o.sent_utc IS NULL) FROM sale s LEFT JOIN elder e ON e.id = s.elder_id "
                           "ORDER BY s.seq DESC LIMIT ?",
                           -1, &s, NULL) != SQLITE_OK)
        return db_fail(st, err, "listing recent sales");
    sqlite3_bind_int(s, 1, cap);
    while ((rc = sqlite3_step(s)) == SQLITE_ROW && *n < cap) {
        store_sale_row *r = &out[(*n)++];
        memset(r, 0, sizeof *r);
        col_text(s, 0, r->id, sizeof r->id);
        r->seq = sqlite3_column_int64(s, 1);
        col_text(s, 2, r->local_time, sizeof r->local_time);
        col_text(s, 3, r->operator_id, sizeof r->operator_id);
        col_text(s, 4, r->elder_id, sizeof r->elder_id);
        col_text(s, 5, r->elder_name, sizeof r->elder_name);
        r->gross = sqlite3_column_int64(s, 6);
        r->subsidy = sqlite3_column_int64(s, 7);
        r->pay = sqlite3_column_int64(s, 8);
        col_text(s, 9, r->pay_method, sizeof r->pay_method);
        r->voided = sqlite3_column_int(s, 10) != 0;
        r->sent = sqlite3_column_int(s, 11) != 0;
    }
    sqlite3_finalize(s);
    if (rc != SQLITE_DONE && rc != SQLITE_ROW)
        return db_fail(st, err, "listing recent sales");
    return ZC_OK;
}

int store_autocheckpoint(store_t *st, int pages, zc_err *err)
{
    char sql[64];
    if (pages < 0)
        return zc_errf(err, ZC_EINVAL, "autocheckpoint pages must be >= 0");
    snprintf(sql, sizeof sql, "PRAGMA wal_autocheckpoint = %d", pages);
    if (sqlite3_exec(store_db(st), sql, NULL, NULL, NULL) != SQLITE_OK)
        return db_fail(st, err, "setting the WAL checkpoint interval");
    return ZC_OK;
}

int store_checkpoint(store_t *st, int *wal_pages, zc_err *err)
{
    int log = 0, done = 0;
    int rc = sqlite3_wal_checkpoint_v2(store_db(st), NULL, SQLITE_CHECKPOINT_PASSIVE, &log, &done);
    if (wal_pages)
        *wal_pages = log;
    if (rc != SQLITE_OK && rc != SQLITE_BUSY)
        return db_fail(st, err, "checkpointing the WAL");
    return ZC_OK;
}
