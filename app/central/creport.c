/* creport.c - the operator's month (creport.h): the settlement (the claim
 * per canteen and funding source, the days, the per-elder ledger) and the
 * reconciliation of each terminal's closings with what the centre holds.
 * The anomalies are in creport_anom.c.
 *
 * The split: cstore_month.c runs the SQL and hands back typed rows; these
 * files decide what the rows mean (what is missing, what differs, why) and
 * build the cJSON objects the command line and the admin page render. */
#include "../core/clock.h"
#include "creport.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "../core/csvout.h"
#include "creport_int.h"
#include "cstore_month.h"

#define MISSING_LISTED 200 /* missing seqs listed per terminal (the count is exact) */
#define WHY_LISTED 10      /* missing seqs named in the "why" sentence */

/* ---- shared helpers ---- */

int creport_month_parse(const char *month, creport_month *out, zc_err *err)
{
    char buf[16];
    memset(out, 0, sizeof *out);
    if (!month || strlen(month) != 7 || month[4] != '-')
        return zc_errf(err, ZC_EINVAL, "the month must be YYYY-MM, like 2026-03, not \"%s\"",
                       month ? month : "");
    snprintf(buf, sizeof buf, "%s-01", month);
    if (zc_date_parse(buf, &out->first) != ZC_OK)
        return zc_errf(err, ZC_EINVAL, "the month must be YYYY-MM, like 2026-03, not \"%s\"", month);
    out->days = zc_days_in_month(out->first.y, out->first.m);
    zc_date last = {out->first.y, out->first.m, out->days};
    snprintf(out->month, sizeof out->month, "%s", month);
    zc_date_fmt(out->first, out->from, sizeof out->from);
    zc_date_fmt(last, out->to, sizeof out->to);
    return ZC_OK;
}

bool creport_num(cJSON *o, const char *key, int64_t v)
{
    return cJSON_AddNumberToObject(o, key, (double)v) != NULL;
}

bool creport_str(cJSON *o, const char *key, const char *v)
{
    return cJSON_AddStringToObject(o, key, v ? v : "") != NULL;
}

cJSON *creport_row(cJSON *arr)
{
    cJSON *o = cJSON_CreateObject();
    if (o && !cJSON_AddItemToArray(arr, o)) {
        cJSON_Delete(o);
        return NULL;
    }
    return o;
}

int creport_oom(zc_err *err)
{
    return zc_errf(err, ZC_ENOMEM, "out of memory building the month report");
}

/* The object in arr whose "id" (or key) member is s, or NULL. */
static cJSON *find(cJSON *arr, const char *key, const char *s)
{
    cJSON *o;
    cJSON_ArrayForEach(o, arr) {
        const char *v = cJSON_GetStringValue(cJSON_GetObjectItem(o, key));
        if (v && strcmp(v, s) == 0)
            return o;
    }
    return NULL;
}

/* Adds meals and fen to the {"source","meals","subsidy_fen"} entry of arr. */
static bool add_source(cJSON *arr, const char *source, int64_t meals, zc_fen fen)
{
    cJSON *o = find(arr, "source", source);
    if (!o)
        return (o = creport_row(arr)) && creport_str(o, "source", source) &&
               creport_num(o, "meals", meals) && creport_num(o, "subsidy_fen", fen);
    cJSON *m = cJSON_GetObjectItem(o, "meals"), *f = cJSON_GetObjectItem(o, "subsidy_fen");
    cJSON_SetNumberValue(m, m->valuedouble + (double)meals);
    cJSON_SetNumberValue(f, f->valuedouble + (double)fen);
    return true;
}

/* ---- settlement ---- */

typedef struct claim {
    cJSON *canteens, *totals, *total_sources, *days;
    int64_t meals, voids;
    zc_fen gross, subsidy, pay;
    const creport_month *m;
} claim;

static int on_canteen(void *ctx, const central_claim_row *r)
{
    claim *c = ctx;
    cJSON *o = creport_row(c->canteens);
    if (!o || !creport_str(o, "id", r->canteen) || !creport_str(o, "name", r->name) ||
        !creport_num(o, "meals", r->meals) || !creport_num(o, "gross_fen", r->gross) ||
        !creport_num(o, "subsidy_fen", r->subsidy) || !creport_num(o, "pay_fen", r->pay) ||
        !creport_num(o, "voids", r->voids) || !cJSON_AddArrayToObject(o, "sources"))
        return ZC_ENOMEM;
    c->meals += r->meals;
    c->voids += r->voids;
    c->gross += r->gross;
    c->subsidy += r->subsidy;
    c->pay += r->pay;
    return ZC_OK;
}

static int on_source(void *ctx, const central_claim_row *r)
{
    claim *c = ctx;
    cJSON *o = find(c->canteens, "id", r->canteen);
    if (!o) /* a sale naming a canteen the centre no longer lists: cannot happen (FK) */
        return ZC_OK;
    return add_source(cJSON_GetObjectItem(o, "sources"), r->source, r->meals, r->subsidy) &&
                   add_source(c->total_sources, r->source, r->meals, r->subsidy)
               ? ZC_OK
               : ZC_ENOMEM;
}

static int on_day(void *ctx, const central_claim_row *r)
{
    claim *c = ctx;
    zc_date d;
    if (zc_date_parse(r->date, &d) != ZC_OK || d.d < 1 || d.d > c->m->days)
        return ZC_OK;
    cJSON *o = cJSON_GetArrayItem(c->days, d.d - 1);
    cJSON_SetNumberValue(cJSON_GetObjectItem(o, "meals"), (double)r->meals);
    cJSON_SetNumberValue(cJSON_GetObjectItem(o, "subsidy_fen"), (double)r->subsidy);
    return ZC_OK;
}

static int on_ledger(void *ctx, const central_ledger_row *r)
{
    cJSON *arr = ctx, *o = creport_row(arr);
    char masked[ZC_NAME_MAX];
    zc_name_mask(r->elder_name, masked, sizeof masked);
    return o && creport_str(o, "sale_id", r->sale_id) && creport_str(o, "time", r->time) &&
                   creport_str(o, "canteen", r->canteen) && creport_str(o, "terminal", r->terminal) &&
                   creport_str(o, "elder_id", r->elder_id) && creport_str(o, "elder", masked) &&
                   creport_str(o, "rule", r->rule) && creport_str(o, "source", r->source) &&
                   creport_num(o, "fen", r->fen)
               ? ZC_OK
               : ZC_ENOMEM;
}

/* A store call's result: a callback's ZC_ENOMEM gets its message here. */
static int done(int ret, zc_err *err)
{
    return ret == ZC_ENOMEM ? creport_oom(err) : ret;
}

int central_report_settlement(central_store *st, const char *month, const char *canteen,
                              bool with_ledger, cJSON *out, zc_err *err)
{
    creport_month m;
    claim c;
    int ret = creport_month_parse(month, &m, err);
    if (ret)
        return ret;
    memset(&c, 0, sizeof c);
    c.m = &m;
    if (!creport_str(out, "month", m.month) ||
        !(canteen ? creport_str(out, "canteen", canteen) : cJSON_AddNullToObject(out, "canteen") != NULL) ||
        !creport_str(out, "from", m.from) || !creport_str(out, "to", m.to) ||
        !(c.canteens = cJSON_AddArrayToObject(out, "canteens")) ||
        !(c.totals = cJSON_AddObjectToObject(out, "totals")) ||
        !(c.days = cJSON_AddArrayToObject(out, "days")))
        return creport_oom(err);
    for (int d = 1; d <= m.days; d++) {
        char date[16];
        cJSON *o = creport_row(c.days);
        zc_date_fmt((zc_date){m.first.y, m.first.m, d}, date, sizeof date);
        if (!o || !creport_str(o, "date", date) || !creport_num(o, "meals", 0) ||
            !creport_num(o, "subsidy_fen", 0))
            return creport_oom(err);
    }
    if ((ret = done(central_store_claim_canteens(st, m.from, m.to, canteen, on_canteen, &c, err), err)))
        return ret;
    if (canteen && cJSON_GetArraySize(c.canteens) == 0)
        return zc_errf(err, ZC_ENOTFOUND, "the centre has no canteen %s; see `zhucan-central "
                       "canteen add`", canteen);
    if (!creport_num(c.totals, "meals", c.meals) || !creport_num(c.totals, "gross_fen", c.gross) ||
        !creport_num(c.totals, "subsidy_fen", c.subsidy) || !creport_num(c.totals, "pay_fen", c.pay) ||
        !creport_num(c.totals, "voids", c.voids) ||
        !(c.total_sources = cJSON_AddArrayToObject(c.totals, "sources")))
        return creport_oom(err);
    if ((ret = done(central_store_claim_sources(st, m.from, m.to, canteen, on_source, &c, err), err)) ||
        (ret = done(central_store_claim_days(st, m.from, m.to, canteen, on_day, &c, err), err)))
        return ret;
    if (with_ledger) {
        cJSON *ledger = cJSON_AddArrayToObject(out, "ledger");
        if (!ledger)
            return creport_oom(err);
        ret = done(central_store_claim_ledger(st, m.from, m.to, canteen, on_ledger, ledger, err), err);
    }
    return ret;
}

/* ---- reconcile ---- */

/* What one terminal's month collects while its rows are read. */
typedef struct recon {
    central_store *st;
    const creport_month *m;
    char today[16];
    cJSON *terminals;
    int problems;
    zc_err *err;
    int64_t missing[MISSING_LISTED];
} recon;

static bool why(cJSON *arr, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static bool why(cJSON *arr, const char *fmt, ...)
{
    char buf[600];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    cJSON *s = cJSON_CreateString(buf);
    if (s && !cJSON_AddItemToArray(arr, s)) {
        cJSON_Delete(s);
        return false;
    }
    return s != NULL;
}

/* The terminal object being filled and its "why". */
typedef struct term_ctx {
    recon *r;
    cJSON *t, *why;
    cJSON *missing_closings, *mismatched, *conflicts, *breaks, *refused;
    int64_t held_sales;      /* the month's non-voided sales held, summed over its days */
    zc_fen held_subsidy;
} term_ctx;

static int on_tday(void *ctx, const central_day_check *d)
{
    term_ctx *tc = ctx;
    tc->held_sales += d->held_count;
    tc->held_subsidy += d->held_subsidy;
    if (!d->closed) {
        if (d->held_all == 0 || strcmp(d->date, tc->r->today) >= 0)
            return ZC_OK; /* nothing sold, or the day is not over: no closing is due yet */
        cJSON *s = cJSON_CreateString(d->date);
        if (!s || !cJSON_AddItemToArray(tc->missing_closings, s)) {
            cJSON_Delete(s);
            return ZC_ENOMEM;
        }
        return why(tc->why, "%s: no closing from the terminal, though the centre holds %lld sales "
                   "of that day (%lld not voided, %lld fen subsidy)", d->date, (long long)d->held_all,
                   (long long)d->held_count, (long long)d->held_subsidy)
                   ? ZC_OK
                   : ZC_ENOMEM;
    }
    if (d->closing_count == d->held_count && d->closing_subsidy == d->held_subsidy &&
        d->closing_gross == d->held_gross && d->closing_pay == d->held_pay)
        return ZC_OK;
    cJSON *o = creport_row(tc->mismatched);
    if (!o || !creport_str(o, "date", d->date) || !creport_num(o, "closing_count", d->closing_count) ||
        !creport_num(o, "held_count", d->held_count) ||
        !creport_num(o, "closing_subsidy_fen", d->closing_subsidy) ||
        !creport_num(o, "held_subsidy_fen", d->held_subsidy) ||
        !creport_num(o, "closing_gross_fen", d->closing_gross) ||
        !creport_num(o, "held_gross_fen", d->held_gross))
        return ZC_ENOMEM;
    return why(tc->why, "%s: the terminal's closing says %lld sales, %lld fen gross, %lld fen "
               "subsidy; the centre holds %lld sales, %lld fen gross, %lld fen subsidy", d->date,
               (long long)d->closing_count, (long long)d->closing_gross,
               (long long)d->closing_subsidy, (long long)d->held_count, (long long)d->held_gross,
               (long long)d->held_subsidy)
               ? ZC_OK
               : ZC_ENOMEM;
}

static int on_conflict(void *ctx, const central_chain_row *c)
{
    term_ctx *tc = ctx;
    cJSON *o = creport_row(tc->conflicts);
    if (!o || !creport_str(o, "sale_id", c->sale_id) || !creport_str(o, "kind", c->kind) ||
        !creport_num(o, "received_utc", c->at_utc))
        return ZC_ENOMEM;
    return why(tc->why, strcmp(c->kind, "same_id") == 0
                            ? "sale %s was sent again with other content; the centre kept the first"
                            : "sale %s was sent with a sequence number the centre holds for another "
                              "sale; the held one was kept", c->sale_id)
               ? ZC_OK
               : ZC_ENOMEM;
}

static int on_break(void *ctx, const central_chain_row *c)
{
    term_ctx *tc = ctx;
    cJSON *o = creport_row(tc->breaks);
    if (!o || !creport_num(o, "seq", c->seq) || !creport_str(o, "expected", c->expected) ||
        !creport_str(o, "got", c->got))
        return ZC_ENOMEM;
    return why(tc->why, "seq %lld does not chain to seq %lld: the earlier sale was changed after "
               "it was made, or another sale took its place", (long long)c->seq,
               (long long)c->seq - 1)
               ? ZC_OK
               : ZC_ENOMEM;
}

static int on_refused(void *ctx, const central_chain_row *c)
{
    term_ctx *tc = ctx;
    cJSON *o = creport_row(tc->refused);
    if (!o || !creport_num(o, "seq", c->seq) || !creport_str(o, "sale_id", c->sale_id) ||
        !creport_str(o, "reason", c->reason) || !creport_num(o, "times", c->times) ||
        !creport_num(o, "received_utc", c->at_utc))
        return ZC_ENOMEM;
    return why(tc->why, "seq %lld (sale %s) reached the centre but was refused: %s", (long long)c->seq,
               c->sale_id, c->reason)
               ? ZC_OK
               : ZC_ENOMEM;
}

/* "17, 18, 40 and 3 more" */
static void list_seqs(const int64_t *v, int n, int64_t total, char *buf, size_t len)
{
    size_t k = 0;
    buf[0] = '\0';
    for (int i = 0; i < n && i < WHY_LISTED && k < len; i++) {
        int w = snprintf(buf + k, len - k, "%s%lld", i ? ", " : "", (long long)v[i]);
        k += w > 0 ? (size_t)w : 0;
    }
    if (total > WHY_LISTED && k < len)
        snprintf(buf + k, len - k, " and %lld more", (long long)(total - WHY_LISTED));
}

static int on_terminal(void *ctx, const central_term_month *tm)
{
    recon *r = ctx;
    term_ctx tc = {r, NULL, NULL, NULL, NULL, NULL, NULL, NULL, 0, 0};
    cJSON *t = creport_row(r->terminals), *seqs;
    int n = 0, ret;
    int64_t total = 0;
    if (!t || !creport_str(t, "id", tm->id) || !creport_str(t, "canteen", tm->canteen) ||
        !creport_str(t, "status", "ok") || !creport_num(t, "closings", tm->closings) ||
        !creport_num(t, "max_seq", tm->max_held) || !creport_num(t, "seq_from", tm->seq_before + 1) ||
        !creport_num(t, "seq_to", tm->seq_last) || !(seqs = cJSON_AddArrayToObject(t, "missing_seqs")) ||
        !(tc.missing_closings = cJSON_AddArrayToObject(t, "missing_closings")) ||
        !(tc.mismatched = cJSON_AddArrayToObject(t, "mismatched_days")) ||
        !(tc.conflicts = cJSON_AddArrayToObject(t, "conflicts")) ||
        !(tc.breaks = cJSON_AddArrayToObject(t, "chain_breaks")) ||
        !(tc.refused = cJSON_AddArrayToObject(t, "refused")) ||
        !(tc.why = cJSON_AddArrayToObject(t, "why")))
        return ZC_ENOMEM;
    tc.t = t;
    /* sales of the month lie between the last seq known before it and the
     * last known in it (held or named by a closing) */
    if ((ret = central_store_missing_seqs(r->st, tm->id, tm->seq_before, tm->seq_last, r->missing,
                                          MISSING_LISTED, &n, &total, r->err)))
        return ret;
    for (int i = 0; i < n; i++) {
        cJSON *v = cJSON_CreateNumber((double)r->missing[i]);
        if (!v || !cJSON_AddItemToArray(seqs, v)) {
            cJSON_Delete(v);
            return ZC_ENOMEM;
        }
    }
    if (!creport_num(t, "missing", total))
        return ZC_ENOMEM;
    if (total > 0) {
        char list[300];
        list_seqs(r->missing, n, total, list, sizeof list);
        if (!why(tc.why, "%lld sale%s of seq %lld..%lld never reached the centre: seq %s",
                 (long long)total, total == 1 ? "" : "s", (long long)tm->seq_before + 1,
                 (long long)tm->seq_last, list))
            return ZC_ENOMEM;
    }
    if ((ret = central_store_month_days(r->st, tm->id, r->m->from, r->m->to, on_tday, &tc, r->err)) ||
        (ret = central_store_month_conflicts(r->st, tm->id, r->m->from, r->m->to, on_conflict, &tc,
                                             r->err)) ||
        (ret = central_store_month_breaks(r->st, tm->id, r->m->from, r->m->to, on_break, &tc, r->err)) ||
        (ret = central_store_month_refused(r->st, tm->id, r->m->from, r->m->to, on_refused, &tc,
                                           r->err)))
        return ret;
    if (!creport_num(t, "held_sales", tc.held_sales) ||
        !creport_num(t, "held_subsidy_fen", tc.held_subsidy))
        return ZC_ENOMEM;
    if (cJSON_GetArraySize(tc.why) > 0) {
        cJSON *s = cJSON_CreateString("problems");
        if (!s || !cJSON_ReplaceItemInObject(t, "status", s)) {
            cJSON_Delete(s);
            return ZC_ENOMEM;
        }
        r->problems++;
    }
    return ZC_OK;
}

int central_report_reconcile(central_store *st, const char *month, cJSON *out, zc_err *err)
{
    recon *r = calloc(1, sizeof *r);
    creport_month m;
    int ret = creport_month_parse(month, &m, err);
    if (ret || !r) {
        free(r);
        return ret ? ret : creport_oom(err);
    }
    r->st = st;
    r->m = &m;
    r->err = err;
    zc_date_fmt(zc_tz_local(zc_now()).date, r->today, sizeof r->today);
    if (!creport_str(out, "month", m.month) || !creport_str(out, "from", m.from) ||
        !creport_str(out, "to", m.to) || !(r->terminals = cJSON_AddArrayToObject(out, "terminals")))
        ret = creport_oom(err);
    else if ((ret = done(central_store_month_terminals(st, m.from, m.to, on_terminal, r, err), err)) ==
             ZC_OK && !creport_num(out, "problems", r->problems))
        ret = creport_oom(err);
    free(r);
    return ret;
}

/* The claim's CSV: one row per canteen and funding source. */
void central_report_settlement_csv(const cJSON *r, zc_csvout *w)
{
    const cJSON *c, *s;
    static const char *const head[] = {"month", "canteen", "canteen_name", "source", "meals",
                                       "subsidy_fen", "subsidy_yuan"};
    const char *month = cJSON_GetStringValue(cJSON_GetObjectItem(r, "month"));
    for (size_t i = 0; i < sizeof head / sizeof head[0]; i++)
        zc_csvout_str(w, head[i]);
    zc_csvout_row(w);
    cJSON_ArrayForEach(c, cJSON_GetObjectItem(r, "canteens")) {
        cJSON_ArrayForEach(s, cJSON_GetObjectItem(c, "sources")) {
            int64_t fen = (int64_t)cJSON_GetNumberValue(cJSON_GetObjectItem(s, "subsidy_fen"));
            zc_csvout_str(w, month);
            zc_csvout_str(w, cJSON_GetStringValue(cJSON_GetObjectItem(c, "id")));
            zc_csvout_str(w, cJSON_GetStringValue(cJSON_GetObjectItem(c, "name")));
            zc_csvout_str(w, cJSON_GetStringValue(cJSON_GetObjectItem(s, "source")));
            zc_csvout_int(w, (int64_t)cJSON_GetNumberValue(cJSON_GetObjectItem(s, "meals")));
            zc_csvout_money(w, fen);
            zc_csvout_row(w);
        }
    }
}
