/* closing.c - the daily closings the sync reports (outbox.h): which dates
 * are due, each date's summary read from one snapshot, and what the centre
 * stored.  The closing table's gen is bumped by the sale and void
 * triggers (db/), so a date is due again whenever its sales change. */
#include "outbox.h"

#include <string.h>

#include "store_int.h"

/* Runs a statement that yields one row of one integer into *v (0 when NULL). */
static int one_int(store_t *st, sqlite3_stmt *s, int64_t *v, const char *what, zc_err *err)
{
    int rc = sqlite3_step(s);
    *v = rc == SQLITE_ROW ? sqlite3_column_int64(s, 0) : 0;
    store_done(s);
    return rc == SQLITE_ROW || rc == SQLITE_DONE ? ZC_OK : store_sync_fail(st, rc, what, err);
}

int store_closing_shift(store_t *st, int64_t *id, zc_err *err)
{
    sqlite3_stmt *s;
    int ret = store_prep(st, Q_CL_SHIFT, "SELECT coalesce(max(id), 0) FROM shift WHERE closed_utc IS "
                         "NOT NULL", &s, err);
    return ret ? ret : one_int(st, s, id, "reading the shifts", err);
}

int store_closing_due(store_t *st, bool all, const char *today, char (*dates)[STORE_DATE_LEN], int cap,
                      int *n, zc_err *err)
{
    sqlite3_stmt *s;
    int rc, ret = store_prep(st, Q_CL_DUE, "SELECT local_date FROM closing WHERE gen > sent_gen AND "
                             "(?1 OR local_date < ?2) ORDER BY local_date LIMIT ?3", &s, err);
    *n = 0;
    if (ret)
        return ret;
    sqlite3_bind_int(s, 1, all);
    sqlite3_bind_text(s, 2, today, -1, SQLITE_STATIC);
    sqlite3_bind_int(s, 3, cap);
    while ((rc = sqlite3_step(s)) == SQLITE_ROW && *n < cap)
        store_col_text(s, 0, dates[(*n)++], STORE_DATE_LEN);
    store_done(s);
    return rc == SQLITE_ROW || rc == SQLITE_DONE ? ZC_OK
                                                 : store_sync_fail(st, rc, "reading the closings due", err);
}

/* The parts of the summary, read inside store_closing_summary's transaction. */
static int read_summary(store_t *st, store_closing *c, zc_err *err)
{
    sqlite3_stmt *s;
    int rc, ret;
    if ((ret = store_prep(st, Q_CL_GEN, "SELECT gen FROM closing WHERE local_date = ?", &s, err)))
        return ret;
    sqlite3_bind_text(s, 1, c->date, -1, SQLITE_STATIC);
    if ((ret = one_int(st, s, &c->gen, "reading the closings", err)))
        return ret;
    int64_t pending;
    if ((ret = store_prep(st, Q_CL_PENDING,
                          "SELECT EXISTS (SELECT 1 FROM outbox o JOIN sale s ON s.id = o.sale_id "
                          "WHERE o.sent_utc IS NULL AND o.held IS NULL AND s.local_date = ?)", &s, err)))
        return ret;
    sqlite3_bind_text(s, 1, c->date, -1, SQLITE_STATIC);
    if ((ret = one_int(st, s, &pending, "reading the outbox", err)))
        return ret;
    c->pending = pending != 0;
    if ((ret = store_prep(st, Q_CL_TOTALS,
                          "SELECT coalesce(sum(status = 'done'), 0), coalesce(sum(CASE WHEN status "
                          "= 'done' THEN gross_fen END), 0), coalesce(sum(CASE WHEN status = 'done' "
                          "THEN subsidy_fen END), 0), coalesce(sum(CASE WHEN status = 'done' THEN "
                          "pay_fen END), 0), coalesce(max(seq), 0) FROM sale WHERE local_date = ?",
                          &s, err)))
        return ret;
    sqlite3_bind_text(s, 1, c->date, -1, SQLITE_STATIC);
    rc = sqlite3_step(s);
    if (rc == SQLITE_ROW) {
        c->count = sqlite3_column_int64(s, 0);
        c->gross = sqlite3_column_int64(s, 1);
        c->subsidy = sqlite3_column_int64(s, 2);
        c->pay = sqlite3_column_int64(s, 3);
        c->last_seq = sqlite3_column_int64(s, 4);
    }
    store_done(s);
    if (rc != SQLITE_ROW)
        return store_sync_fail(st, rc, "adding up the day's sales", err);
    /* the chain's head at the end of the date; 64 zeros when it has no sale */
    snprintf(c->chain_head, sizeof c->chain_head, "%064d", 0);
    if ((ret = store_prep(st, Q_CL_HEAD, "SELECT hash FROM sale WHERE seq = ?", &s, err)))
        return ret;
    sqlite3_bind_int64(s, 1, c->last_seq);
    if ((rc = sqlite3_step(s)) == SQLITE_ROW)
        store_col_text(s, 0, c->chain_head, sizeof c->chain_head);
    store_done(s);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        return store_sync_fail(st, rc, "reading the sale chain", err);
    if ((ret = store_prep(st, Q_CL_SOURCES,
                          "SELECT p.source, sum(p.fen) FROM sale_subsidy p JOIN sale s ON s.id = "
                          "p.sale_id WHERE s.local_date = ? AND s.status = 'done' GROUP BY p.source "
                          "ORDER BY p.source", &s, err)))
        return ret;
    sqlite3_bind_text(s, 1, c->date, -1, SQLITE_STATIC);
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
        if (c->nsrc == STORE_CLOSING_SOURCES) {
            store_done(s);
            return zc_errf(err, ZC_ETOOBIG, "the sales of %s name more than %d funding sources; the "
                           "protocol carries at most %d in a closing", c->date, STORE_CLOSING_SOURCES,
                           STORE_CLOSING_SOURCES);
        }
        store_col_text(s, 0, c->src[c->nsrc].source, sizeof c->src[0].source);
        c->src[c->nsrc++].fen = sqlite3_column_int64(s, 1);
    }
    store_done(s);
    return rc == SQLITE_DONE ? ZC_OK : store_sync_fail(st, rc, "adding up the day's subsidy", err);
}

int store_closing_summary(store_t *st, const char *date, store_closing *c, zc_err *err)
{
    memset(c, 0, sizeof *c);
    snprintf(c->date, sizeof c->date, "%s", date);
    int rc = sqlite3_exec(st->db, "BEGIN", NULL, NULL, NULL);
    if (rc != SQLITE_OK)
        return store_sync_fail(st, rc, "reading the day's sales", err);
    int ret = read_summary(st, c, err);
    rc = sqlite3_exec(st->db, ret ? "ROLLBACK" : "COMMIT", NULL, NULL, NULL);
    if (ret == ZC_OK && rc != SQLITE_OK)
        ret = store_sync_fail(st, rc, "reading the day's sales", err);
    return ret;
}

int store_closing_sent(store_t *st, const store_closing *c, const char *by_source, int64_t now,
                       zc_err *err)
{
    sqlite3_stmt *s;
    int ret = store_prep(st, Q_CL_SENT,
                         "UPDATE closing SET sent_gen = max(sent_gen, ?2), count = ?3, gross_fen "
                         "= ?4, subsidy_fen = ?5, pay_fen = ?6, by_source = ?7, last_seq = ?8, "
                         "chain_head = ?9, sent_utc = ?10, attempts = attempts + 1, last_error = "
                         "NULL WHERE local_date = ?1", &s, err);
    if (ret)
        return ret;
    sqlite3_bind_text(s, 1, c->date, -1, SQLITE_STATIC);
    sqlite3_bind_int64(s, 2, c->gen);
    sqlite3_bind_int64(s, 3, c->count);
    sqlite3_bind_int64(s, 4, c->gross);
    sqlite3_bind_int64(s, 5, c->subsidy);
    sqlite3_bind_int64(s, 6, c->pay);
    sqlite3_bind_text(s, 7, by_source, -1, SQLITE_STATIC);
    sqlite3_bind_int64(s, 8, c->last_seq);
    sqlite3_bind_text(s, 9, c->chain_head, -1, SQLITE_STATIC);
    sqlite3_bind_int64(s, 10, now);
    return store_sync_run(st, s, "recording the closing sent", err);
}

void store_closing_failed(store_t *st, const char *date, const char *why)
{
    sqlite3_stmt *s;
    if (store_prep(st, Q_CL_FAILED, "UPDATE closing SET attempts = attempts + 1, last_error = ?2 WHERE "
                   "local_date = ?1", &s, NULL) != ZC_OK)
        return;
    sqlite3_bind_text(s, 1, date, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 2, why, -1, SQLITE_STATIC);
    (void)sqlite3_step(s);
    store_done(s);
}
