/* creport_anom.c - what looks wrong in a month (creport.h, anomalies).
 *
 * Some of it the centre decided at ingest and kept as flags on the sales
 * (requote.c, ingest.c): a double use across canteens (over_limit), a
 * subsidy its re-quote does not give (requote_differs), a blacklisted or
 * unknown card (flag).  The rest is looked for here, over the whole month:
 *  - card_two_canteens: the same card at two canteens within CARD_WINDOW_MIN
 *    minutes - one card cannot be at two counters that fast (lent, cloned);
 *  - outside_window: a meal-programme sale (an elder or a subsidy) at a time
 *    outside every meal window of its policy, or outside the window of the
 *    period it names (a period forced at the till);
 *  - void_rate: a cashier whose void rate is above VOID_RATE_FACTOR times the
 *    month's median and who voided at least VOID_MIN_COUNT sales.
 * Voided sales claim nothing, so they are never flagged themselves. */
#include "creport.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "creport_int.h"
#include "cstore_month.h"

#define CARD_WINDOW_MIN 30   /* minutes: the same card at two canteens */
#define VOID_RATE_FACTOR 3   /* times the month's median void rate */
#define VOID_MIN_COUNT 5     /* fewer voids than this is never unusual */
#define VOID_MIN_SALES 20    /* cashiers with fewer sales do not set the median */
#define CASHIERS_MAX 100000  /* cashiers in one month */
#define POLICIES_MAX 16      /* policy versions looked at in one month */

static const char *const kinds[] = {"over_limit", "requote_differs", "card_two_canteens",
                                    "outside_window", "void_rate", "flag"};
#define NKINDS (int)(sizeof kinds / sizeof kinds[0])

/* A policy version's meal windows, copied out of the store's cache. */
typedef struct windows {
    char policy[ZC_ID_MAX], version[ZC_ID_MAX];
    bool known; /* the centre holds this version */
    int n;
    zc_period p[ZC_MAX_PERIODS];
} windows;

typedef struct anom {
    central_store *st;
    cJSON *rows;
    int count[NKINDS];
    windows pol[POLICIES_MAX];
    int npol;
    zc_err *err;
    central_cashier_row *cashiers; /* owned, grown as rows come */
    int ncashiers, cap;
} anom;

/* Appends a row; the sale's members come from s (may be NULL).  zh is the
 * same explanation in Chinese (the web page's), fmt... the English one
 * (`why`, for scripts and the command line). */
static int row(anom *a, int kind, const central_month_sale *s, const char *canteen,
               const char *op, const char *zh, const char *fmt, ...) __attribute__((format(printf, 7, 8)));
static int row(anom *a, int kind, const central_month_sale *s, const char *canteen,
               const char *op, const char *zh, const char *fmt, ...)
{
    char buf[800];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    cJSON *o = creport_row(a->rows);
    if (!o || !creport_str(o, "kind", kinds[kind]) || !creport_str(o, "date", s ? s->local_date : "") ||
        !creport_str(o, "time", s ? s->local_time : "") || !creport_str(o, "sale_id", s ? s->id : "") ||
        !creport_str(o, "elder_id", s ? s->elder : "") ||
        !creport_str(o, "canteen", s ? s->canteen : canteen) ||
        !creport_str(o, "terminal", s ? s->terminal : "") || !creport_str(o, "operator", s ? s->op : op) ||
        !creport_num(o, "subsidy_fen", s ? s->subsidy : 0) || !creport_str(o, "why", buf) ||
        !creport_str(o, "why_zh", zh))
        return ZC_ENOMEM;
    a->count[kind]++;
    return ZC_OK;
}

enum { K_OVER, K_REQUOTE, K_CARD, K_WINDOW, K_VOID, K_FLAG };

/* ---- flags kept at ingest ---- */

/* What an ingest flag means, in Chinese (its detail, from the terminal's
 * data, follows in the sentence as recorded). */
static const char *flag_zh(const char *kind)
{
    static const struct {
        const char *kind, *zh;
    } t[] = {
        {"double_use", "跨饭堂超出上限：按这位老人此前在其他饭堂的用餐重新计算，这笔补贴超过了政策上限（多为终端离线时在两处用餐）"},
        {"subsidy_mismatch", "中心按该政策版本和中心花名册重新计算，补贴与终端不同"},
        {"requote_failed", "中心无法重新计算这笔补贴"},
        {"elder_unknown", "中心花名册上没有这位老人"},
        {"policy_unknown", "中心没有这笔销售所用的政策版本"},
        {"card_lost", "这张卡在销售之前已在中心挂失"},
        {"card_blocked", "这张卡在销售之前已在中心停用"},
        {"card_unknown", "这张卡不在中心花名册上"},
        {"card_other_elder", "这张卡在中心属于另一位老人"},
        {"canteen_mismatch", "终端所属的饭堂与销售记录的饭堂不同"},
    };
    for (size_t i = 0; i < sizeof t / sizeof t[0]; i++)
        if (strcmp(kind, t[i].kind) == 0)
            return t[i].zh;
    return "中心标记";
}

static int on_flag(void *ctx, const central_month_sale *s)
{
    anom *a = ctx;
    const char *k = s->flag_kind;
    char zh[800];
    snprintf(zh, sizeof zh, "%s（记录：%s）", flag_zh(k), s->detail);
    if (strcmp(k, "double_use") == 0)
        return row(a, K_OVER, s, NULL, NULL, zh, "over the limit across canteens (offline double "
                   "use): %s", s->detail);
    if (strcmp(k, "subsidy_mismatch") == 0 || strcmp(k, "requote_failed") == 0 ||
        strcmp(k, "elder_unknown") == 0 || strcmp(k, "policy_unknown") == 0)
        return row(a, K_REQUOTE, s, NULL, NULL, zh, "the centre's re-quote (%s): %s", k, s->detail);
    return row(a, K_FLAG, s, NULL, NULL, zh, "%s: %s", k, s->detail);
}

/* ---- card at two canteens ---- */

static int on_pair(void *ctx, const central_card_pair *p)
{
    anom *a = ctx;
    char t0[24], t1[24], zh[800];
    /* the times the window measured (created_utc), whatever local_time says */
    zc_datetime_fmt(zc_tz_local(p->earlier_utc), t0, sizeof t0);
    zc_datetime_fmt(zc_tz_local(p->later_utc), t1, sizeof t1);
    snprintf(zh, sizeof zh, "卡 %s 于 %s 在饭堂 %s 用过（单号 %s），%lld 分钟后又在本饭堂 %s 使用（%s）；"
             "同一张卡 %d 分钟内不可能出现在两个饭堂，是否借用或复制？%s", p->later.card, t0,
             p->earlier_canteen, p->earlier_id, (long long)(p->gap_s / 60), p->later.canteen, t1,
             CARD_WINDOW_MIN,
             strcmp(t0, p->earlier_time) || strcmp(t1, p->later.local_time)
                 ? "（两笔交易记录的本地时间与此不符，见其时间不符标记）" : "");
    return row(a, K_CARD, &p->later, NULL, NULL, zh,
               "card %s was used at canteen %s at %s (sale %s) and here at canteen %s at %s, "
               "%lld minutes later; one card cannot be at two canteens within %d minutes (lent "
               "or copied?)%s", p->later.card, p->earlier_canteen, t0, p->earlier_id,
               p->later.canteen, t1, (long long)(p->gap_s / 60), CARD_WINDOW_MIN,
               strcmp(t0, p->earlier_time) || strcmp(t1, p->later.local_time)
                   ? "; the sales' local times say otherwise (see their time_mismatch flags)" : "");
}

/* ---- outside the meal windows ---- */

/* The windows of the sale's policy version, from the local cache or the
 * store; NULL when more versions than POLICIES_MAX turn up in one month. */
static const windows *windows_of(anom *a, const central_month_sale *s, int *ret)
{
    const zc_policy *p = NULL;
    *ret = ZC_OK;
    for (int i = 0; i < a->npol; i++)
        if (strcmp(a->pol[i].policy, s->policy) == 0 && strcmp(a->pol[i].version, s->policy_version) == 0)
            return &a->pol[i];
    if (a->npol >= POLICIES_MAX)
        return NULL;
    windows *w = &a->pol[a->npol++];
    memset(w, 0, sizeof *w);
    snprintf(w->policy, sizeof w->policy, "%s", s->policy);
    snprintf(w->version, sizeof w->version, "%s", s->policy_version);
    int rc = central_store_policy_get(a->st, s->policy, s->policy_version, &p, a->err);
    if (rc == ZC_OK) {
        w->known = true;
        w->n = zc_policy_nperiods(p);
        for (int i = 0; i < w->n && i < ZC_MAX_PERIODS; i++)
            w->p[i] = *zc_policy_period(p, i);
    } else if (rc != ZC_ENOTFOUND) {
        *ret = rc;
    }
    return w;
}

/* "lunch 10:30-13:30" */
static void window_text(const zc_period *p, char *buf, size_t n)
{
    snprintf(buf, n, "%s %02d:%02d-%02d:%02d", p->id, p->from_min / 60, p->from_min % 60,
             p->to_min / 60, p->to_min % 60);
}

static int on_elder_sale(void *ctx, const central_month_sale *s)
{
    anom *a = ctx;
    zc_datetime at;
    int ret;
    const windows *w = windows_of(a, s, &ret);
    /* an unknown policy is flagged policy_unknown at ingest already */
    if (ret || !w || !w->known || zc_datetime_parse(s->local_time, &at) != ZC_OK)
        return ret;
    int m = zc_minute_of_day(at);
    const zc_period *in = NULL, *named = NULL;
    for (int i = 0; i < w->n; i++) {
        if (m >= w->p[i].from_min && m < w->p[i].to_min && !in)
            in = &w->p[i];
        if (s->period[0] && strcmp(w->p[i].id, s->period) == 0)
            named = &w->p[i];
    }
    char list[600] = "", one[128], zh[900];
    size_t k = 0;
    for (int i = 0; i < w->n && k < sizeof list; i++) {
        window_text(&w->p[i], one, sizeof one);
        int x = snprintf(list + k, sizeof list - k, "%s%s", i ? ", " : "", one);
        k += x > 0 ? (size_t)x : 0;
    }
    if (!in) {
        snprintf(zh, sizeof zh, "%s 售出，不在政策 %s %s 的任何供餐时段（%s）内%s%s%s；补贴 %lld 分",
                 s->local_time + 11, s->policy, s->policy_version, list,
                 s->period[0] ? "；收银台记为 " : "", s->period, s->period[0] ? " 时段" : "",
                 (long long)s->subsidy);
        return row(a, K_WINDOW, s, NULL, NULL, zh, "sold at %s, outside every meal window of %s %s "
                   "(%s)%s%s%s; subsidy %lld fen", s->local_time + 11, s->policy, s->policy_version,
                   list, s->period[0] ? "; recorded as " : "", s->period, s->period[0] ? " at the till" : "",
                   (long long)s->subsidy);
    }
    if (named && named != in) {
        window_text(named, one, sizeof one);
        snprintf(zh, sizeof zh, "%s 售出，在 %s 时段内，收银台却记为 %s（%s）；补贴 %lld 分",
                 s->local_time + 11, in->id, named->id, one, (long long)s->subsidy);
        return row(a, K_WINDOW, s, NULL, NULL, zh, "sold at %s, in the %s window, but recorded as %s "
                   "(%s) at the till; subsidy %lld fen", s->local_time + 11, in->id, named->id, one,
                   (long long)s->subsidy);
    }
    return ZC_OK;
}

/* ---- void rates ---- */

static int on_cashier(void *ctx, const central_cashier_row *r)
{
    anom *a = ctx;
    if (a->ncashiers >= CASHIERS_MAX)
        return zc_errf(a->err, ZC_ETOOBIG, "more than %d cashiers sold in one month", CASHIERS_MAX);
    if (a->ncashiers == a->cap) {
        int cap = a->cap ? 2 * a->cap : 64;
        central_cashier_row *p = realloc(a->cashiers, sizeof *p * (size_t)cap);
        if (!p)
            return ZC_ENOMEM;
        a->cashiers = p;
        a->cap = cap;
    }
    a->cashiers[a->ncashiers++] = *r;
    return ZC_OK;
}

static int cmp_double(const void *x, const void *y)
{
    double a = *(const double *)x, b = *(const double *)y;
    return a < b ? -1 : a > b;
}

/* Flags the cashiers whose void rate is unusual for the month. */
static int void_rates(anom *a)
{
    int n = 0, ret = ZC_OK;
    double *rates = malloc(sizeof *rates * (size_t)(a->ncashiers + 1));
    if (!rates)
        return ZC_ENOMEM;
    for (int pass = 0; pass < 2 && n == 0; pass++) /* all cashiers when none sold enough */
        for (int i = 0; i < a->ncashiers; i++)
            if (a->cashiers[i].sales > 0 && (pass == 1 || a->cashiers[i].sales >= VOID_MIN_SALES))
                rates[n++] = (double)a->cashiers[i].voids / (double)a->cashiers[i].sales;
    qsort(rates, (size_t)n, sizeof *rates, cmp_double);
    double median = n == 0 ? 0 : n % 2 ? rates[n / 2] : (rates[n / 2 - 1] + rates[n / 2]) / 2;
    for (int i = 0; i < a->ncashiers && ret == ZC_OK; i++) {
        const central_cashier_row *c = &a->cashiers[i];
        double rate = c->sales ? (double)c->voids / (double)c->sales : 0;
        if (c->voids < VOID_MIN_COUNT || rate <= VOID_RATE_FACTOR * median)
            continue;
        char zh[600];
        snprintf(zh, sizeof zh, "收银员 %s（饭堂 %s）本月作废 %lld / %lld 笔（%.1f%%）；%d 位收银员的中位数为 "
                 "%.1f%%；超过中位数 %d 倍且至少 %d 笔即提示", c->op, c->canteen, (long long)c->voids,
                 (long long)c->sales, 100 * rate, n, 100 * median, VOID_RATE_FACTOR, VOID_MIN_COUNT);
        ret = row(a, K_VOID, NULL, c->canteen, c->op, zh,
                  "cashier %s at canteen %s: %lld of %lld sales voided (%.1f%%); the month's median "
                  "over %d cashiers is %.1f%%; flagged above %d times the median with at least %d "
                  "voids", c->op, c->canteen, (long long)c->voids, (long long)c->sales, 100 * rate, n,
                  100 * median, VOID_RATE_FACTOR, VOID_MIN_COUNT);
    }
    free(rates);
    return ret;
}

int central_report_anomalies(central_store *st, const char *month, cJSON *out, zc_err *err)
{
    creport_month m;
    cJSON *counts;
    anom *a = calloc(1, sizeof *a);
    int ret = creport_month_parse(month, &m, err);
    if (ret || !a) {
        free(a);
        return ret ? ret : creport_oom(err);
    }
    a->st = st;
    a->err = err;
    if (!creport_str(out, "month", m.month) || !creport_str(out, "from", m.from) ||
        !creport_str(out, "to", m.to) || !(a->rows = cJSON_AddArrayToObject(out, "anomalies"))) {
        ret = creport_oom(err);
        goto out;
    }
    if ((ret = central_store_month_flags(st, m.from, m.to, on_flag, a, err)) ||
        (ret = central_store_card_pairs(st, m.from, m.to, CARD_WINDOW_MIN * 60, on_pair, a, err)) ||
        (ret = central_store_month_elder_sales(st, m.from, m.to, on_elder_sale, a, err)) ||
        (ret = central_store_month_cashiers(st, m.from, m.to, on_cashier, a, err)) ||
        (ret = void_rates(a)))
        goto out;
    if (!(counts = cJSON_AddObjectToObject(out, "counts"))) {
        ret = ZC_ENOMEM;
        goto out;
    }
    for (int k = 0; k < NKINDS && ret == ZC_OK; k++)
        if (!creport_num(counts, kinds[k], a->count[k]))
            ret = ZC_ENOMEM;
out:
    if (ret == ZC_ENOMEM)
        ret = creport_oom(err);
    free(a->cashiers);
    free(a);
    return ret;
}
