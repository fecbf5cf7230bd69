/* cstore_month.c - the month reads of the SQLite backend (cstore_month.h):
 * the claim, each terminal's month against its closings, and the raw
 * material of the anomalies.  creport*.c decides what the rows mean.
 *
 * The reports are run by an operator a few times a month, so statements
 * are prepared per call (not cached in st->q).  Each SQL text is a named
 * constant so central_store_month_plans can show the plan of exactly the
 * statement that runs; db/central/002_reports.sql has the indexes they
 * rely on (sale_month, sale_card_time, sale_terminal_date_seq). */
#include "cstore_int.h"
#include "cstore_month.h"

#include <string.h>

#define NOT_VOID(s) "NOT EXISTS (SELECT 1 FROM sale_void v WHERE v.sale_id = " s ".id)"

static const char q_canteens[] =
    "SELECT c.id, c.name, coalesce(x.meals, 0), coalesce(x.voids, 0), coalesce(x.g, 0), "
    "coalesce(x.sb, 0), coalesce(x.p, 0) FROM canteen c LEFT JOIN (SELECT s.canteen_id AS cid, "
    "count(*) FILTER (WHERE v.sale_id IS NULL) AS meals, count(v.sale_id) AS voids, "
    "sum(s.gross_fen) FILTER (WHERE v.sale_id IS NULL) AS g, "
    "sum(s.subsidy_fen) FILTER (WHERE v.sale_id IS NULL) AS sb, "
    "sum(s.pay_fen) FILTER (WHERE v.sale_id IS NULL) AS p "
    "FROM sale s LEFT JOIN sale_void v ON v.sale_id = s.id WHERE s.local_date BETWEEN ?1 AND ?2 "
    "AND (?3 IS NULL OR s.canteen_id = ?3) GROUP BY s.canteen_id) x ON x.cid = c.id "
    "WHERE ?3 IS NULL OR c.id = ?3 ORDER BY c.id";

static const char q_sources[] =
    "SELECT s.canteen_id, p.source, count(DISTINCT s.id), sum(p.fen) FROM sale s "
    "JOIN sale_subsidy p ON p.sale_id = s.id WHERE s.local_date BETWEEN ?1 AND ?2 "
    "AND (?3 IS NULL OR s.canteen_id = ?3) AND " NOT_VOID("s") " GROUP BY s.canteen_id, p.source "
    "ORDER BY s.canteen_id, p.source";

static const char q_days[] =
    "SELECT s.local_date, count(*), sum(s.subsidy_fen) FROM sale s WHERE s.local_date BETWEEN ?1 "
    "AND ?2 AND (?3 IS NULL OR s.canteen_id = ?3) AND " NOT_VOID("s") " GROUP BY s.local_date "
    "ORDER BY s.local_date";

static const char q_ledger[] =
    "SELECT s.id, s.local_time, s.canteen_id, s.terminal_id, s.elder_id, coalesce(e.name, ''), "
    "p.rule_id, p.source, p.fen FROM sale s JOIN sale_subsidy p ON p.sale_id = s.id "
    "LEFT JOIN elder e ON e.id = s.elder_id WHERE s.local_date BETWEEN ?1 AND ?2 "
    "AND (?3 IS NULL OR s.canteen_id = ?3) AND " NOT_VOID("s") " "
    "ORDER BY s.elder_id, s.local_time, s.id, p.part_no";

/* seq_before and seq_last take the closings too: a terminal's closing says
 * where its day ended even when the centre lacks that day's last sales. */
static const char q_terminals[] =
    "SELECT t.id, t.canteen_id, "
    "(SELECT count(*) FROM closing c WHERE c.terminal_id = t.id AND c.date BETWEEN ?1 AND ?2), "
    "max((SELECT coalesce(max(s.seq), 0) FROM sale s INDEXED BY sale_terminal_date_seq WHERE "
    "s.terminal_id = t.id AND s.local_date < ?1), (SELECT coalesce(max(c.last_seq), 0) FROM "
    "closing c WHERE c.terminal_id = t.id AND c.date < ?1)), "
    "max((SELECT coalesce(max(s.seq), 0) FROM sale s WHERE s.terminal_id = t.id AND "
    "s.local_date BETWEEN ?1 AND ?2), (SELECT coalesce(max(c.last_seq), 0) FROM closing c WHERE "
    "c.terminal_id = t.id AND c.date BETWEEN ?1 AND ?2)), "
    "(SELECT coalesce(max(s.seq), 0) FROM sale s WHERE s.terminal_id = t.id AND "
    "s.local_date BETWEEN ?1 AND ?2) "
    "FROM terminal t ORDER BY t.id";

/* a terminal's days: what the centre holds, and its closings (merged in C:
 * a month has at most 31 dates, and a UNION would need a temporary table) */
static const char q_held_days[] =
    "SELECT s.local_date, count(*), count(*) FILTER (WHERE v.sale_id IS NULL), "
    "coalesce(sum(s.gross_fen) FILTER (WHERE v.sale_id IS NULL), 0), "
    "coalesce(sum(s.subsidy_fen) FILTER (WHERE v.sale_id IS NULL), 0), "
    "coalesce(sum(s.pay_fen) FILTER (WHERE v.sale_id IS NULL), 0) "
    "FROM sale s LEFT JOIN sale_void v ON v.sale_id = s.id WHERE s.terminal_id = ?1 AND "
    "s.local_date BETWEEN ?2 AND ?3 GROUP BY s.local_date ORDER BY s.local_date";

static const char q_closing_days[] =
    "SELECT date, count, gross_fen, subsidy_fen, pay_fen FROM closing WHERE terminal_id = ?1 AND "
    "date BETWEEN ?2 AND ?3 ORDER BY date";

/* runs of missing seqs: each held seq with the next one, two sentinels */
static const char q_missing[] =
    "WITH s AS (SELECT ?2 AS seq UNION ALL SELECT seq FROM sale WHERE terminal_id = ?1 AND "
    "seq > ?2 AND seq <= ?3 UNION ALL SELECT ?3 + 1) SELECT seq + 1, nxt - 1 FROM (SELECT seq, "
    "lead(seq) OVER (ORDER BY seq) AS nxt FROM s) WHERE nxt > seq + 1 ORDER BY seq";

static const char q_conflicts[] =
    "SELECT c.sale_id, c.kind, c.received_utc FROM conflict c JOIN sale h ON h.id = c.held_id "
    "WHERE c.terminal_id = ?1 AND h.local_date BETWEEN ?2 AND ?3 ORDER BY c.id";

static const char q_breaks[] =
    "SELECT b.seq, b.expected, b.got, b.detected_utc FROM chain_break b JOIN sale s ON "
    "s.terminal_id = b.terminal_id AND s.seq = b.seq WHERE b.terminal_id = ?1 AND "
    "s.local_date BETWEEN ?2 AND ?3 ORDER BY b.seq";

static const char q_refused[] =
    "SELECT r.sale_id, r.seq, r.reason, r.times, r.last_utc FROM rejected r WHERE r.terminal_id = ?1 "
    "AND r.local_date BETWEEN ?2 AND ?3 AND NOT EXISTS (SELECT 1 FROM sale s WHERE s.id = r.sale_id) "
    "ORDER BY r.seq";

#define SALE_COLS                                                                                  \
    "s.id, s.terminal_id, s.canteen_id, s.operator_id, s.elder_id, s.card_uid, s.local_time, "    \
    "s.local_date, s.period, s.policy_id, s.policy_version, s.subsidy_fen"
#define SALE_NCOLS 12

static const char q_flags[] =
    "SELECT " SALE_COLS ", f.kind, f.detail FROM flag f JOIN sale s ON s.id = f.sale_id "
    "WHERE s.local_date BETWEEN ?1 AND ?2 AND " NOT_VOID("s") " ORDER BY s.local_date, s.id, f.kind";

static const char q_elder_sales[] =
    "SELECT " SALE_COLS " FROM sale s WHERE s.local_date BETWEEN ?1 AND ?2 AND "
    "(s.elder_id <> '' OR s.subsidy_fen > 0) AND " NOT_VOID("s") " "
    "ORDER BY s.local_date, s.local_time, s.id";

/* the latest earlier sale of the card at another canteen within ?3 s */
static const char q_pairs[] =
    "SELECT " SALE_COLS ", e.id, e.canteen_id, e.local_time, s.created_utc - e.created_utc, "
    "s.created_utc, e.created_utc "
    "FROM sale s JOIN sale e ON e.rowid = (SELECT e2.rowid FROM sale e2 WHERE "
    "e2.card_uid = s.card_uid AND e2.card_uid <> '' AND e2.created_utc BETWEEN "
    "s.created_utc - ?3 AND s.created_utc AND e2.canteen_id <> s.canteen_id AND "
    "(e2.created_utc < s.created_utc OR e2.id < s.id) AND " NOT_VOID("e2") " "
    "ORDER BY e2.created_utc DESC LIMIT 1) "
    "WHERE s.local_date BETWEEN ?1 AND ?2 AND s.card_uid <> '' AND " NOT_VOID("s") " "
    "ORDER BY s.local_date, s.local_time, s.id";

static const char q_cashiers[] =
    "SELECT s.canteen_id, s.operator_id, count(*), count(v.sale_id) FROM sale s "
    "LEFT JOIN sale_void v ON v.sale_id = s.id WHERE s.local_date BETWEEN ?1 AND ?2 "
    "GROUP BY s.canteen_id, s.operator_id ORDER BY s.canteen_id, s.operator_id";

/* Prepares sql with text parameters t[0..nt-1] (NULL binds NULL) as ?1...
 * and, when has_num, the integer num as ?(nt+1).  *out is finalized by the
 * caller. */
static int prep(central_store *st, const char *sql, const char *const *t, int nt, bool has_num,
                int64_t num, sqlite3_stmt **out, zc_err *err)
{
    int rc = sqlite3_prepare_v2(st->db, sql, -1, out, NULL);
    if (rc != SQLITE_OK)
        return cs_dbfail(st, rc, "preparing a month report", err);
    for (int i = 0; i < nt; i++)
        if (t[i])
            sqlite3_bind_text(*out, i + 1, t[i], -1, SQLITE_STATIC);
    if (has_num)
        sqlite3_bind_int64(*out, nt + 1, num);
    return ZC_OK;
}

/* Steps s to the end calling row(s, ctx) for each row; finalizes s. */
static int each(central_store *st, sqlite3_stmt *s, int (*row)(sqlite3_stmt *, void *), void *ctx,
                zc_err *err)
{
    int rc, ret = ZC_OK;
    while ((rc = sqlite3_step(s)) == SQLITE_ROW)
        if ((ret = row(s, ctx)))
            break;
    if (ret == ZC_OK && rc != SQLITE_DONE)
        ret = cs_dbfail(st, rc, "reading a month report", err);
    sqlite3_finalize(s);
    return ret;
}

static int run(central_store *st, const char *sql, const char *const *t, int nt, bool has_num,
               int64_t num, int (*row)(sqlite3_stmt *, void *), void *ctx, zc_err *err)
{
    sqlite3_stmt *s = NULL;
    int ret = prep(st, sql, t, nt, has_num, num, &s, err);
    return ret ? ret : each(st, s, row, ctx, err);
}

/* A callback and its context, for the row readers below. */
typedef struct call {
    void *fn;
    void *ctx;
} call;

/* ---- settlement ---- */

static int canteen_row(sqlite3_stmt *s, void *p)
{
    const call *c = p;
    central_claim_row r;
    memset(&r, 0, sizeof r);
    cs_col_text(s, 0, r.canteen, sizeof r.canteen);
    cs_col_text(s, 1, r.name, sizeof r.name);
    r.meals = sqlite3_column_int64(s, 2);
    r.voids = sqlite3_column_int64(s, 3);
    r.gross = sqlite3_column_int64(s, 4);
    r.subsidy = sqlite3_column_int64(s, 5);
    r.pay = sqlite3_column_int64(s, 6);
    return ((central_claim_fn)c->fn)(c->ctx, &r);
}

int central_store_claim_canteens(central_store *st, const char *from, const char *to,
                                 const char *canteen, central_claim_fn fn, void *ctx, zc_err *err)
{
    const char *t[] = {from, to, canteen};
    call c = {(void *)fn, ctx};
    return run(st, q_canteens, t, 3, false, 0, canteen_row, &c, err);
}

static int source_row(sqlite3_stmt *s, void *p)
{
    const call *c = p;
    central_claim_row r;
    memset(&r, 0, sizeof r);
    cs_col_text(s, 0, r.canteen, sizeof r.canteen);
    cs_col_text(s, 1, r.source, sizeof r.source);
    r.meals = sqlite3_column_int64(s, 2);
    r.subsidy = sqlite3_column_int64(s, 3);
    return ((central_claim_fn)c->fn)(c->ctx, &r);
}

int central_store_claim_sources(central_store *st, const char *from, const char *to,
                                const char *canteen, central_claim_fn fn, void *ctx, zc_err *err)
{
    const char *t[] = {from, to, canteen};
    call c = {(void *)fn, ctx};
    return run(st, q_sources, t, 3, false, 0, source_row, &c, err);
}

static int day_row(sqlite3_stmt *s, void *p)
{
    const call *c = p;
    central_claim_row r;
    memset(&r, 0, sizeof r);
    cs_col_text(s, 0, r.date, sizeof r.date);
    r.meals = sqlite3_column_int64(s, 1);
    r.subsidy = sqlite3_column_int64(s, 2);
    return ((central_claim_fn)c->fn)(c->ctx, &r);
}

int central_store_claim_days(central_store *st, const char *from, const char *to,
                             const char *canteen, central_claim_fn fn, void *ctx, zc_err *err)
{
    const char *t[] = {from, to, canteen};
    call c = {(void *)fn, ctx};
    return run(st, q_days, t, 3, false, 0, day_row, &c, err);
}

static int ledger_row(sqlite3_stmt *s, void *p)
{
    const call *c = p;
    central_ledger_row r;
    cs_col_text(s, 0, r.sale_id, sizeof r.sale_id);
    cs_col_text(s, 1, r.time, sizeof r.time);
    cs_col_text(s, 2, r.canteen, sizeof r.canteen);
    cs_col_text(s, 3, r.terminal, sizeof r.terminal);
    cs_col_text(s, 4, r.elder_id, sizeof r.elder_id);
    cs_col_text(s, 5, r.elder_name, sizeof r.elder_name);
    cs_col_text(s, 6, r.rule, sizeof r.rule);
    cs_col_text(s, 7, r.source, sizeof r.source);
    r.fen = sqlite3_column_int64(s, 8);
    return ((central_ledger_fn)c->fn)(c->ctx, &r);
}

int central_store_claim_ledger(central_store *st, const char *from, const char *to,
                               const char *canteen, central_ledger_fn fn, void *ctx, zc_err *err)
{
    const char *t[] = {from, to, canteen};
    call c = {(void *)fn, ctx};
    return run(st, q_ledger, t, 3, false, 0, ledger_row, &c, err);
}

/* ---- reconcile ---- */

static int term_row(sqlite3_stmt *s, void *p)
{
    const call *c = p;
    central_term_month t;
    memset(&t, 0, sizeof t);
    cs_col_text(s, 0, t.id, sizeof t.id);
    cs_col_text(s, 1, t.canteen, sizeof t.canteen);
    t.closings = sqlite3_column_int64(s, 2);
    t.seq_before = sqlite3_column_int64(s, 3);
    t.seq_last = sqlite3_column_int64(s, 4);
    t.max_held = sqlite3_column_int64(s, 5);
    return ((central_term_month_fn)c->fn)(c->ctx, &t);
}

int central_store_month_terminals(central_store *st, const char *from, const char *to,
                                  central_term_month_fn fn, void *ctx, zc_err *err)
{
    const char *t[] = {from, to};
    call c = {(void *)fn, ctx};
    return run(st, q_terminals, t, 2, false, 0, term_row, &c, err);
}

#define MONTH_DAYS 31

/* The dates of one terminal's month, filled by the two readers below. */
typedef struct tdays {
    central_day_check d[MONTH_DAYS];
    int n;
} tdays;

/* The entry for date in t, added (in date order) when new; NULL past 31. */
static central_day_check *tday_at(tdays *t, const char *date)
{
    int i = 0;
    while (i < t->n && strcmp(t->d[i].date, date) < 0)
        i++;
    if (i < t->n && strcmp(t->d[i].date, date) == 0)
        return &t->d[i];
    if (t->n >= MONTH_DAYS)
        return NULL;
    memmove(&t->d[i + 1], &t->d[i], sizeof t->d[0] * (size_t)(t->n - i));
    t->n++;
    memset(&t->d[i], 0, sizeof t->d[i]);
    snprintf(t->d[i].date, sizeof t->d[i].date, "%s", date);
    return &t->d[i];
}

static int held_day_row(sqlite3_stmt *s, void *p)
{
    const char *date = (const char *)sqlite3_column_text(s, 0);
    central_day_check *d = tday_at(p, date ? date : "");
    if (!d)
        return ZC_ETOOBIG;
    d->held_all = sqlite3_column_int64(s, 1);
    d->held_count = sqlite3_column_int64(s, 2);
    d->held_gross = sqlite3_column_int64(s, 3);
    d->held_subsidy = sqlite3_column_int64(s, 4);
    d->held_pay = sqlite3_column_int64(s, 5);
    return ZC_OK;
}

static int closing_day_row(sqlite3_stmt *s, void *p)
{
    const char *date = (const char *)sqlite3_column_text(s, 0);
    central_day_check *d = tday_at(p, date ? date : "");
    if (!d)
        return ZC_ETOOBIG;
    d->closed = true;
    d->closing_count = sqlite3_column_int64(s, 1);
    d->closing_gross = sqlite3_column_int64(s, 2);
    d->closing_subsidy = sqlite3_column_int64(s, 3);
    d->closing_pay = sqlite3_column_int64(s, 4);
    return ZC_OK;
}

int central_store_month_days(central_store *st, const char *terminal, const char *from,
                             const char *to, central_day_fn fn, void *ctx, zc_err *err)
{
    const char *t[] = {terminal, from, to};
    tdays days;
    days.n = 0;
    int ret = run(st, q_held_days, t, 3, false, 0, held_day_row, &days, err);
    if (ret == ZC_OK)
        ret = run(st, q_closing_days, t, 3, false, 0, closing_day_row, &days, err);
    if (ret == ZC_ETOOBIG)
        return zc_errf(err, ret, "more than %d dates between %s and %s", MONTH_DAYS, from, to);
    for (int i = 0; i < days.n && ret == ZC_OK; i++)
        ret = fn(ctx, &days.d[i]);
    return ret;
}

int central_store_missing_seqs(central_store *st, const char *terminal, int64_t after,
                               int64_t upto, int64_t *out, int cap, int *n, int64_t *total,
                               zc_err *err)
{
    sqlite3_stmt *s = NULL;
    int rc, ret;
    *n = 0;
    *total = 0;
    if (upto <= after)
        return ZC_OK;
    if ((ret = prep(st, q_missing, &terminal, 1, false, 0, &s, err)))
        return ret;
    sqlite3_bind_int64(s, 2, after);
    sqlite3_bind_int64(s, 3, upto);
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
        int64_t lo = sqlite3_column_int64(s, 0), hi = sqlite3_column_int64(s, 1);
        *total += hi - lo + 1;
        for (int64_t q = lo; q <= hi && *n < cap; q++)
            out[(*n)++] = q;
    }
    if (rc != SQLITE_DONE)
        ret = cs_dbfail(st, rc, "reading a terminal's sequence", err);
    sqlite3_finalize(s);
    return ret;
}

static int conflict_row(sqlite3_stmt *s, void *p)
{
    const call *c = p;
    central_chain_row r;
    memset(&r, 0, sizeof r);
    cs_col_text(s, 0, r.sale_id, sizeof r.sale_id);
    cs_col_text(s, 1, r.kind, sizeof r.kind);
    r.at_utc = sqlite3_column_int64(s, 2);
    return ((central_chain_fn)c->fn)(c->ctx, &r);
}

int central_store_month_conflicts(central_store *st, const char *terminal, const char *from,
                                  const char *to, central_chain_fn fn, void *ctx, zc_err *err)
{
    const char *t[] = {terminal, from, to};
    call c = {(void *)fn, ctx};
    return run(st, q_conflicts, t, 3, false, 0, conflict_row, &c, err);
}

static int break_row(sqlite3_stmt *s, void *p)
{
    const call *c = p;
    central_chain_row r;
    memset(&r, 0, sizeof r);
    r.seq = sqlite3_column_int64(s, 0);
    cs_col_text(s, 1, r.expected, sizeof r.expected);
    cs_col_text(s, 2, r.got, sizeof r.got);
    r.at_utc = sqlite3_column_int64(s, 3);
    return ((central_chain_fn)c->fn)(c->ctx, &r);
}

int central_store_month_breaks(central_store *st, const char *terminal, const char *from,
                               const char *to, central_chain_fn fn, void *ctx, zc_err *err)
{
    const char *t[] = {terminal, from, to};
    call c = {(void *)fn, ctx};
    return run(st, q_breaks, t, 3, false, 0, break_row, &c, err);
}

static int refused_row(sqlite3_stmt *s, void *p)
{
    const call *c = p;
    central_chain_row r;
    memset(&r, 0, sizeof r);
    cs_col_text(s, 0, r.sale_id, sizeof r.sale_id);
    r.seq = sqlite3_column_int64(s, 1);
    cs_col_text(s, 2, r.reason, sizeof r.reason);
    r.times = sqlite3_column_int64(s, 3);
    r.at_utc = sqlite3_column_int64(s, 4);
    return ((central_chain_fn)c->fn)(c->ctx, &r);
}

int central_store_month_refused(central_store *st, const char *terminal, const char *from,
                                const char *to, central_chain_fn fn, void *ctx, zc_err *err)
{
    const char *t[] = {terminal, from, to};
    call c = {(void *)fn, ctx};
    return run(st, q_refused, t, 3, false, 0, refused_row, &c, err);
}

/* ---- anomalies ---- */

static void sale_cols(sqlite3_stmt *s, central_month_sale *m)
{
    memset(m, 0, sizeof *m);
    cs_col_text(s, 0, m->id, sizeof m->id);
    cs_col_text(s, 1, m->terminal, sizeof m->terminal);
    cs_col_text(s, 2, m->canteen, sizeof m->canteen);
    cs_col_text(s, 3, m->op, sizeof m->op);
    cs_col_text(s, 4, m->elder, sizeof m->elder);
    cs_col_text(s, 5, m->card, sizeof m->card);
    cs_col_text(s, 6, m->local_time, sizeof m->local_time);
    cs_col_text(s, 7, m->local_date, sizeof m->local_date);
    cs_col_text(s, 8, m->period, sizeof m->period);
    cs_col_text(s, 9, m->policy, sizeof m->policy);
    cs_col_text(s, 10, m->policy_version, sizeof m->policy_version);
    m->subsidy = sqlite3_column_int64(s, 11);
}

static int flag_row(sqlite3_stmt *s, void *p)
{
    const call *c = p;
    central_month_sale m;
    sale_cols(s, &m);
    cs_col_text(s, SALE_NCOLS, m.flag_kind, sizeof m.flag_kind);
    cs_col_text(s, SALE_NCOLS + 1, m.detail, sizeof m.detail);
    return ((central_month_sale_fn)c->fn)(c->ctx, &m);
}

int central_store_month_flags(central_store *st, const char *from, const char *to,
                              central_month_sale_fn fn, void *ctx, zc_err *err)
{
    const char *t[] = {from, to};
    call c = {(void *)fn, ctx};
    return run(st, q_flags, t, 2, false, 0, flag_row, &c, err);
}

static int sale_row(sqlite3_stmt *s, void *p)
{
    const call *c = p;
    central_month_sale m;
    sale_cols(s, &m);
    return ((central_month_sale_fn)c->fn)(c->ctx, &m);
}

int central_store_month_elder_sales(central_store *st, const char *from, const char *to,
                                    central_month_sale_fn fn, void *ctx, zc_err *err)
{
    const char *t[] = {from, to};
    call c = {(void *)fn, ctx};
    return run(st, q_elder_sales, t, 2, false, 0, sale_row, &c, err);
}

static int pair_row(sqlite3_stmt *s, void *p)
{
    const call *c = p;
    central_card_pair r;
    sale_cols(s, &r.later);
    cs_col_text(s, SALE_NCOLS, r.earlier_id, sizeof r.earlier_id);
    cs_col_text(s, SALE_NCOLS + 1, r.earlier_canteen, sizeof r.earlier_canteen);
    cs_col_text(s, SALE_NCOLS + 2, r.earlier_time, sizeof r.earlier_time);
    r.gap_s = sqlite3_column_int64(s, SALE_NCOLS + 3);
    r.later_utc = sqlite3_column_int64(s, SALE_NCOLS + 4);
    r.earlier_utc = sqlite3_column_int64(s, SALE_NCOLS + 5);
    return ((central_card_pair_fn)c->fn)(c->ctx, &r);
}

int central_store_card_pairs(central_store *st, const char *from, const char *to, int64_t window,
                             central_card_pair_fn fn, void *ctx, zc_err *err)
{
    const char *t[] = {from, to};
    call c = {(void *)fn, ctx};
    return run(st, q_pairs, t, 2, true, window, pair_row, &c, err);
}

static int cashier_row(sqlite3_stmt *s, void *p)
{
    const call *c = p;
    central_cashier_row r;
    memset(&r, 0, sizeof r);
    cs_col_text(s, 0, r.canteen, sizeof r.canteen);
    cs_col_text(s, 1, r.op, sizeof r.op);
    r.sales = sqlite3_column_int64(s, 2);
    r.voids = sqlite3_column_int64(s, 3);
    return ((central_cashier_fn)c->fn)(c->ctx, &r);
}

int central_store_month_cashiers(central_store *st, const char *from, const char *to,
                                 central_cashier_fn fn, void *ctx, zc_err *err)
{
    const char *t[] = {from, to};
    call c = {(void *)fn, ctx};
    return run(st, q_cashiers, t, 2, false, 0, cashier_row, &c, err);
}

/* ---- plans ---- */

int central_store_month_plans(central_store *st, char *out, size_t n, zc_err *err)
{
    static const struct {
        const char *name, *sql;
    } qs[] = {
        {"settlement canteens", q_canteens}, {"settlement sources", q_sources},
        {"settlement days", q_days},         {"ledger", q_ledger},
        {"reconcile terminals", q_terminals}, {"reconcile held days", q_held_days},
        {"reconcile closings", q_closing_days},
        {"flags", q_flags},                  {"meal-programme sales", q_elder_sales},
        {"card pairs", q_pairs},             {"cashiers", q_cashiers},
    };
    size_t len = 0;
    int ret = ZC_OK;
    out[0] = '\0';
    for (size_t i = 0; i < sizeof qs / sizeof qs[0] && ret == ZC_OK; i++) {
        char sql[4096];
        sqlite3_stmt *s = NULL;
        snprintf(sql, sizeof sql, "EXPLAIN QUERY PLAN %s", qs[i].sql);
        int rc = sqlite3_prepare_v2(st->db, sql, -1, &s, NULL);
        if (rc != SQLITE_OK)
            return cs_dbfail(st, rc, "explaining a month report", err);
        while ((rc = sqlite3_step(s)) == SQLITE_ROW && len < n) {
            const char *d = (const char *)sqlite3_column_text(s, 3);
            int w = snprintf(out + len, n - len, "%s: %s\n", qs[i].name, d ? d : "");
            len += w > 0 ? (size_t)w : 0;
        }
        if (rc != SQLITE_DONE && rc != SQLITE_ROW)
            ret = cs_dbfail(st, rc, "explaining a month report", err);
        sqlite3_finalize(s);
    }
    if (ret == ZC_OK && len >= n)
        ret = zc_errf(err, ZC_ETOOBIG, "the query plans do not fit in %zu bytes", n);
    return ret;
}
