/* report.c - the numbers behind `zhucan report` and the kiosk's 报表 screen
 * (report.h).
 *
 * Every sum is one SQL aggregate over the sales of a date range (index
 * sale_date); voided sales are counted, never summed.  By rule and by
 * source, each sale's parts are first summed per sale and key, so a sale
 * with two parts from one source counts as one meal of that source. */
#include "report.h"
#include "store_raw.h"

#include <sqlite3.h>
#include <stdio.h>
#include <string.h>

/* The measures of one group; the key and the seq range come first and last. */
#define MEASURES(S, FEN)                                                                            \
    "sum(" S ".status = 'done'), sum(" S ".status = 'voided'), "                                    \
    "sum(CASE WHEN " S ".status = 'done' THEN " S ".gross_fen ELSE 0 END), "                        \
    "sum(CASE WHEN " S ".status = 'done' THEN " FEN " ELSE 0 END), "                                \
    "sum(CASE WHEN " S ".status = 'done' AND " S ".pay_method = 'cash' THEN " S ".pay_fen ELSE 0 END), " \
    "sum(CASE WHEN " S ".status = 'done' AND " S ".pay_method = 'mobile' THEN " S ".pay_fen ELSE 0 END)"

static const char sql_total[] = "SELECT '', " MEASURES("s", "s.subsidy_fen")
                                ", min(s.seq), max(s.seq) FROM sale s WHERE s.local_date BETWEEN ?1 AND ?2";
/* periods in the order of the day (breakfast, lunch, dinner) */
static const char sql_period[] = "SELECT s.period, " MEASURES("s", "s.subsidy_fen")
                                 ", 0, 0 FROM sale s WHERE s.local_date BETWEEN ?1 AND ?2 "
                                 "GROUP BY s.period ORDER BY min(substr(s.local_time, 12)), s.period";
static const char sql_day[] = "SELECT s.local_date, " MEASURES("s", "s.subsidy_fen")
                              ", 0, 0 FROM sale s WHERE s.local_date BETWEEN ?1 AND ?2 "
                              "GROUP BY s.local_date ORDER BY s.local_date";
#define BY_PART(COL)                                                                               \
    "WITH k AS (SELECT p.sale_id, p." COL " AS key, sum(p.fen) AS fen FROM sale s "                \
    "JOIN sale_subsidy p ON p.sale_id = s.id WHERE s.local_date BETWEEN ?1 AND ?2 "                \
    "GROUP BY p.sale_id, p." COL ") SELECT k.key, " MEASURES("s", "k.fen")                          \
    ", 0, 0 FROM k JOIN sale s ON s.id = k.sale_id GROUP BY k.key ORDER BY k.key"
static const char sql_rule[] = BY_PART("rule_id");
static const char sql_source[] = BY_PART("source");

static int db_fail(store_t *st, zc_err *err, const char *what)
{
    int code = sqlite3_errcode(store_db(st)) == SQLITE_FULL ? ZC_EFULL : ZC_EDB;
    return zc_errf(err, code, "%s: %s", what, sqlite3_errmsg(store_db(st)));
}

static void col_text(sqlite3_stmt *s, int i, char *buf, size_t n)
{
    const unsigned char *t = sqlite3_column_text(s, i);
    snprintf(buf, n, "%s", t ? (const char *)t : "");
}

static void read_row(sqlite3_stmt *s, store_report_row *r)
{
    memset(r, 0, sizeof *r);
    col_text(s, 0, r->key, sizeof r->key);
    r->meals = (long)sqlite3_column_int64(s, 1);
    r->voids = (long)sqlite3_column_int64(s, 2);
    r->gross = sqlite3_column_int64(s, 3);
    r->subsidy = sqlite3_column_int64(s, 4);
    r->cash = sqlite3_column_int64(s, 5);
    r->mobile = sqlite3_column_int64(s, 6);
}

/* Runs one grouped query over from..to into rows (cap of them); *n rows. */
static int grouped(store_t *st, const char *sql, const char *from, const char *to,
                   store_report_row *rows, int cap, int *n, const char *what, zc_err *err)
{
    sqlite3_stmt *s = NULL;
    int rc, ret = ZC_OK;
    *n = 0;
    if (sqlite3_prepare_v2(store_db(st), sql, -1, &s, NULL) != SQLITE_OK)
        return db_fail(st, err, what);
    sqlite3_bind_text(s, 1, from, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 2, to, -1, SQLITE_STATIC);
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
        if (*n >= cap) {
            ret = zc_errf(err, ZC_ETOOBIG, "%s: more than %d groups from %s to %s", what, cap, from, to);
            break;
        }
        read_row(s, &rows[(*n)++]);
    }
    if (ret == ZC_OK && rc != SQLITE_DONE)
        ret = db_fail(st, err, what);
    sqlite3_finalize(s);
    return ret;
}

static int check_range(zc_date from, zc_date to, zc_err *err)
{
    if (!zc_date_valid(from) || !zc_date_valid(to))
        return zc_errf(err, ZC_EINVAL, "a report needs real dates (YYYY-MM-DD)");
    int64_t days = zc_days_from_civil(to) - zc_days_from_civil(from) + 1;
    if (days < 1)
        return zc_errf(err, ZC_EINVAL, "the report's end date comes before its start date");
    if (days > STORE_REPORT_MAX_DAYS)
        return zc_errf(err, ZC_EINVAL, "a report covers at most %d days; this range has %lld",
                       STORE_REPORT_MAX_DAYS, (long long)days);
    return ZC_OK;
}

int store_report_range(store_t *st, zc_date from, zc_date to, store_report *out, zc_err *err)
{
    store_report_row one;
    int ret;
    memset(out, 0, sizeof *out);
    if ((ret = check_range(from, to, err)))
        return ret;
    zc_date_fmt(from, out->from, sizeof out->from);
    zc_date_fmt(to, out->to, sizeof out->to);

    /* the total, with the range's seq span */
    sqlite3_stmt *s = NULL;
    if (sqlite3_prepare_v2(store_db(st), sql_total, -1, &s, NULL) != SQLITE_OK)
        return db_fail(st, err, "the report's totals");
    sqlite3_bind_text(s, 1, out->from, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 2, out->to, -1, SQLITE_STATIC);
    if (sqlite3_step(s) == SQLITE_ROW) {
        read_row(s, &out->total);
        out->first_seq = sqlite3_column_int64(s, 7);
        out->last_seq = sqlite3_column_int64(s, 8);
    } else {
        ret = db_fail(st, err, "the report's totals");
    }
    sqlite3_finalize(s);
    if (ret)
        return ret;

    if ((ret = grouped(st, sql_period, out->from, out->to, out->by_period, STORE_REPORT_MAX_KEYS,
                       &out->nperiod, "the report by meal period", err)) ||
        (ret = grouped(st, sql_rule, out->from, out->to, out->by_rule, STORE_REPORT_MAX_KEYS, &out->nrule,
                       "the report by subsidy rule", err)) ||
        (ret = grouped(st, sql_source, out->from, out->to, out->by_source, STORE_REPORT_MAX_KEYS,
                       &out->nsource, "the report by funding source", err)))
        return ret;

    /* every date of the range, then the days that had sales in their place */
    int64_t d0 = zc_days_from_civil(from);
    out->nday = (int)(zc_days_from_civil(to) - d0 + 1);
    for (int i = 0; i < out->nday; i++)
        zc_date_fmt(zc_civil_from_days(d0 + i), out->by_day[i].key, sizeof out->by_day[i].key);
    if (sqlite3_prepare_v2(store_db(st), sql_day, -1, &s, NULL) != SQLITE_OK)
        return db_fail(st, err, "the report by day");
    sqlite3_bind_text(s, 1, out->from, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 2, out->to, -1, SQLITE_STATIC);
    int rc;
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
        zc_date d;
        read_row(s, &one);
        if (zc_date_parse(one.key, &d) != ZC_OK)
            continue; /* not a date: cannot be in the range */
        int64_t i = zc_days_from_civil(d) - d0;
        if (i >= 0 && i < out->nday)
            out->by_day[i] = one;
    }
    if (rc != SQLITE_DONE)
        ret = db_fail(st, err, "the report by day");
    sqlite3_finalize(s);
    return ret;
}

void store_report_month(zc_date d, zc_date *first, zc_date *last)
{
    *first = (zc_date){d.y, d.m, 1};
    zc_date next = d.m == 12 ? (zc_date){d.y + 1, 1, 1} : (zc_date){d.y, d.m + 1, 1};
    *last = zc_civil_from_days(zc_days_from_civil(next) - 1);
}

int store_report_ledger(store_t *st, zc_date from, zc_date to,
                        int (*fn)(void *ctx, const store_ledger_line *l), void *ctx, zc_err *err)
{
    sqlite3_stmt *s = NULL;
    char a[11], b[11], name[ZC_NAME_MAX];
    store_ledger_line l;
    int rc, ret;
    if ((ret = check_range(from, to, err)))
        return ret;
    zc_date_fmt(from, a, sizeof a);
    zc_date_fmt(to, b, sizeof b);
    if (sqlite3_prepare_v2(store_db(st),
                           "SELECT s.seq, s.id, s.local_time, s.period, IFNULL(s.elder_id, ''), "
                           "IFNULL(e.name, ''), p.rule_id, p.source, p.fen FROM sale s "
                           "JOIN sale_subsidy p ON p.sale_id = s.id LEFT JOIN elder e ON e.id = s.elder_id "
                           "WHERE s.status = 'done' AND s.local_date BETWEEN ?1 AND ?2 "
                           "ORDER BY s.seq, p.part_no",
                           -1, &s, NULL) != SQLITE_OK)
        return db_fail(st, err, "the subsidy ledger");
    sqlite3_bind_text(s, 1, a, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 2, b, -1, SQLITE_STATIC);
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
        memset(&l, 0, sizeof l);
        l.seq = sqlite3_column_int64(s, 0);
        col_text(s, 1, l.sale_id, sizeof l.sale_id);
        col_text(s, 2, l.local_time, sizeof l.local_time);
        col_text(s, 3, l.period, sizeof l.period);
        col_text(s, 4, l.elder_id, sizeof l.elder_id);
        col_text(s, 5, name, sizeof name);
        if (name[0])
            zc_name_mask(name, l.elder_masked, sizeof l.elder_masked);
        col_text(s, 6, l.rule_id, sizeof l.rule_id);
        col_text(s, 7, l.source, sizeof l.source);
        l.fen = sqlite3_column_int64(s, 8);
        if ((ret = fn(ctx, &l)))
            break;
    }
    if (ret == ZC_OK && rc != SQLITE_DONE)
        ret = db_fail(st, err, "the subsidy ledger");
    sqlite3_finalize(s);
    return ret;
}

int store_report_unsent(store_t *st, int (*fn)(void *ctx, const store_unsent_row *r), void *ctx,
                        long *n, long *held, zc_err *err)
{
    sqlite3_stmt *s = NULL;
    store_unsent_row r;
    int rc, ret = ZC_OK;
    long cnt = 0, nheld = 0;
    if (sqlite3_prepare_v2(store_db(st),
                           "SELECT s.seq, s.id, o.kind, s.local_time, s.gross_fen, s.subsidy_fen, "
                           "o.attempts, IFNULL(o.held, ''), IFNULL(o.last_error, '') FROM outbox o "
                           "JOIN sale s ON s.id = o.sale_id WHERE o.sent_utc IS NULL ORDER BY o.id",
                           -1, &s, NULL) != SQLITE_OK)
        return db_fail(st, err, "the unsent sales");
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
        memset(&r, 0, sizeof r);
        r.seq = sqlite3_column_int64(s, 0);
        col_text(s, 1, r.sale_id, sizeof r.sale_id);
        col_text(s, 2, r.kind, sizeof r.kind);
        col_text(s, 3, r.local_time, sizeof r.local_time);
        r.gross = sqlite3_column_int64(s, 4);
        r.subsidy = sqlite3_column_int64(s, 5);
        r.attempts = (long)sqlite3_column_int64(s, 6);
        col_text(s, 7, r.held, sizeof r.held);
        col_text(s, 8, r.reason, sizeof r.reason);
        cnt++;
        nheld += r.held[0] != '\0';
        if (fn && (ret = fn(ctx, &r)))
            break;
    }
    if (ret == ZC_OK && rc != SQLITE_DONE)
        ret = db_fail(st, err, "the unsent sales");
    sqlite3_finalize(s);
    if (n)
        *n = cnt;
    if (held)
        *held = nheld;
    return ret;
}

int store_report_shift_get(store_t *st, int64_t id, store_shift *out, zc_err *err)
{
    sqlite3_stmt *s = NULL;
    int rc;
    memset(out, 0, sizeof *out);
    if (sqlite3_prepare_v2(store_db(st),
                           "SELECT id, operator_id, opened_utc, IFNULL(closed_utc, 0), float_fen, "
                           "IFNULL(counted_fen, 0) FROM shift WHERE ?1 = 0 OR id = ?1 "
                           "ORDER BY closed_utc IS NULL DESC, id DESC LIMIT 1",
                           -1, &s, NULL) != SQLITE_OK)
        return db_fail(st, err, "reading the shift");
    sqlite3_bind_int64(s, 1, id);
    rc = sqlite3_step(s);
    if (rc == SQLITE_ROW) {
        out->id = sqlite3_column_int64(s, 0);
        col_text(s, 1, out->operator_id, sizeof out->operator_id);
        out->opened_utc = sqlite3_column_int64(s, 2);
        out->closed_utc = sqlite3_column_int64(s, 3);
        out->float_fen = sqlite3_column_int64(s, 4);
        out->counted_fen = sqlite3_column_int64(s, 5);
        rc = ZC_OK;
    } else if (rc == SQLITE_DONE) {
        rc = id ? zc_errf(err, ZC_ENOTFOUND, "there is no shift %lld", (long long)id)
                : zc_errf(err, ZC_ENOTFOUND, "no shift has been opened on this terminal yet");
    } else {
        rc = db_fail(st, err, "reading the shift");
    }
    sqlite3_finalize(s);
    return rc;
}

int store_report_shift_ids(store_t *st, int64_t *ids, int cap, int *n, zc_err *err)
{
    sqlite3_stmt *s = NULL;
    int rc;
    *n = 0;
    if (sqlite3_prepare_v2(store_db(st), "SELECT id FROM shift ORDER BY id DESC LIMIT ?1", -1, &s, NULL) !=
        SQLITE_OK)
        return db_fail(st, err, "listing shifts");
    sqlite3_bind_int(s, 1, cap);
    while ((rc = sqlite3_step(s)) == SQLITE_ROW && *n < cap)
        ids[(*n)++] = sqlite3_column_int64(s, 0);
    sqlite3_finalize(s);
    if (rc != SQLITE_DONE && rc != SQLITE_ROW)
        return db_fail(st, err, "listing shifts");
    return ZC_OK;
}
