/* requote.c - pricing a held sale again with the same engine the terminal
 * used, and flagging what does not match.
 *
 * The terminal quoted with what it knew: its roster copy and the uses it
 * held (its own sales, plus what the centre told it when online).  The
 * centre knows every canteen's sales, so a meal subsidised twice in one
 * period at two canteens (one of them offline) shows up here: the later of
 * the two (by created_utc, then id) is re-quoted with the earlier one as a
 * use, the limit refuses it, and the sale is flagged double_use.
 *
 * The roster is today's, not the one at the sale's moment: an elder whose
 * categories changed since may be flagged too.  Flags are for people to
 * look at, never automatic refusals. */
#include "ingest.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../core/subsidy.h"

#define USES_CAP 1024 /* uses in one window (a month at most) */

zc_date central_usage_from(zc_date d)
{
    zc_date week = zc_week_start(d), month = {d.y, d.m, 1};
    return zc_date_cmp(week, month) < 0 ? week : month;
}

static int flag(central_store *st, const zc_sale_doc *d, const char *kind, int64_t now,
                zc_err *err, const char *fmt, ...) __attribute__((format(printf, 6, 7)));
static int flag(central_store *st, const zc_sale_doc *d, const char *kind, int64_t now,
                zc_err *err, const char *fmt, ...)
{
    char detail[400];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(detail, sizeof detail, fmt, ap);
    va_end(ap);
    return central_store_flag(st, d->id, kind, detail, now, err);
}

/* The amount the quote gave a rule (0 when it did not apply). */
static zc_fen quoted(const zc_quote *q, const char *rule)
{
    for (int i = 0; i < q->napplied; i++)
        if (strcmp(q->applied[i].rule, rule) == 0)
            return q->applied[i].fen;
    return 0;
}

static bool limit_reason(zc_reason r)
{
    return r == ZC_R_LIMIT_PERIOD || r == ZC_R_LIMIT_DAY || r == ZC_R_LIMIT_WEEK ||
           r == ZC_R_LIMIT_MONTH || r == ZC_R_CAP_DAY || r == ZC_R_CAP_WEEK || r == ZC_R_CAP_MONTH;
}

/* Compares the sale with the quote; on a difference flags it with the first
 * rule that differs and, when a limit refused it and the elder had used that
 * limit at another canteen, as double_use naming that sale.  The flags of
 * an earlier re-quote are replaced: a sale flagged because an earlier sale
 * had not arrived yet is cleared when it does. */
static int compare(central_store *st, const zc_sale_doc *d, const zc_quote *q, const central_use *uses,
                   int nuses, int64_t now, zc_err *err)
{
    bool same = q->subsidy == d->subsidy && q->napplied == d->nrules;
    for (int i = 0; same && i < d->nrules; i++)
        same = quoted(q, d->rules[i].rule) == d->rules[i].fen;
    int ret = central_store_flag_clear(st, d->id, "subsidy_mismatch", err);
    if (ret == ZC_OK)
        ret = central_store_flag_clear(st, d->id, "double_use", err);
    if (ret || same)
        return ret;
    char why[200] = "";
    const central_use *other = NULL;
    for (int i = 0; i < d->nrules && !why[0]; i++) {
        const zc_sale_rule *r = &d->rules[i];
        if (quoted(q, r->rule) == r->fen)
            continue;
        for (int k = 0; k < q->nrefusals; k++) {
            const zc_refusal *f = &q->refusals[k];
            if (strcmp(f->rule, r->rule) != 0)
                continue;
            snprintf(why, sizeof why, "%s: %s (%s)", f->rule, zc_reason_code(f->reason), f->detail);
            for (int u = nuses - 1; u >= 0 && limit_reason(f->reason) && !other; u--)
                if (strcmp(uses[u].u.key, r->key) == 0 && strcmp(uses[u].canteen, d->canteen) != 0)
                    other = &uses[u];
        }
        if (!why[0])
            snprintf(why, sizeof why, "%s: the policy gives %lld fen", r->rule,
                     (long long)quoted(q, r->rule));
    }
    if (!why[0] && q->napplied > 0)
        snprintf(why, sizeof why, "%s applies but the sale does not claim it", q->applied[0].rule);
    if (other)
        return flag(st, d, "double_use", now, err,
                    "claimed %lld fen, the policy allows %lld fen: %s; already used on %04d-%02d-%02d "
                    "%s at canteen %s (sale %s)", (long long)d->subsidy, (long long)q->subsidy, why,
                    other->u.date.y, other->u.date.m, other->u.date.d, other->u.period,
                    other->canteen, other->sale_id);
    return flag(st, d, "subsidy_mismatch", now, err, "claimed %lld fen, the policy allows %lld fen%s%s",
                (long long)d->subsidy, (long long)q->subsidy, why[0] ? ": " : "", why);
}

int central_requote(central_store *st, const zc_sale_doc *d, int64_t now, zc_err *err)
{
    const zc_policy *pol = NULL;
    const zc_calendar *cal = NULL; /* the one published last; NULL: none */
    zc_elder elder;
    zc_canteen canteen;
    zc_cart cart;
    zc_datetime at;
    zc_quote *q = NULL;
    central_use *uses = NULL;
    zc_use *plain = NULL;
    zc_err why = {""};
    int nuses = 0, ret;
    if (d->elder[0] && (ret = central_store_elder_get(st, d->elder, &elder, err)) != ZC_OK)
        return ret == ZC_ENOTFOUND
                   ? flag(st, d, "elder_unknown", now, err, "elder %s is not on the centre's roster; "
                          "the subsidy of %lld fen could not be checked", d->elder,
                          (long long)d->subsidy)
                   : ret;
    ret = central_store_policy_get(st, d->policy, d->policy_version, &pol, err);
    if (ret == ZC_ENOTFOUND)
        return flag(st, d, "policy_unknown", now, err, "the centre holds no policy %s version %s; "
                    "the subsidy of %lld fen could not be checked", d->policy, d->policy_version,
                    (long long)d->subsidy);
    if (ret)
        return ret;
    if ((ret = central_store_canteen_get(st, d->canteen, &canteen, &why)))
        return ret == ZC_ENOTFOUND ? flag(st, d, "requote_failed", now, err, "%s", why.msg)
                                   : zc_errf(err, ret, "%s", why.msg);
    if ((ret = central_store_calendar_current(st, &cal, NULL, err)))
        return ret;
    if (zc_datetime_parse(d->local_time, &at) != ZC_OK)
        return flag(st, d, "requote_failed", now, err, "local_time \"%s\" is not a time",
                    d->local_time);
    memset(&cart, 0, sizeof cart);
    cart.n = d->nlines;
    memcpy(cart.lines, d->lines, sizeof cart.lines[0] * (size_t)d->nlines);
    uses = malloc(sizeof *uses * USES_CAP);
    plain = malloc(sizeof *plain * USES_CAP);
    q = malloc(sizeof *q);
    if (!uses || !plain || !q) {
        ret = zc_errf(err, ZC_ENOMEM, "out of memory checking sale %s", d->id);
        goto out;
    }
    if (d->elder[0]) {
        central_sale_key before = {d->created_utc, d->id};
        ret = central_store_uses(st, d->elder, central_usage_from(at.date), at.date, &before, uses,
                                 USES_CAP, &nuses, &why);
        if (ret == ZC_ETOOBIG) {
            ret = flag(st, d, "requote_failed", now, err, "%s", why.msg);
            goto out;
        }
        if (ret) {
            ret = zc_errf(err, ret, "%s", why.msg);
            goto out;
        }
        for (int i = 0; i < nuses; i++)
            plain[i] = uses[i].u;
    }
    zc_quote_in in = {
        .policy = pol, .elder = d->elder[0] ? &elder : NULL, .canteen = &canteen, .cart = &cart,
        .at = at, .period = d->period[0] ? d->period : NULL, .uses = plain, .nuses = nuses,
        .calendar = cal,
    };
    if (zc_quote_compute(&in, q, &why) != ZC_OK) {
        ret = flag(st, d, "requote_failed", now, err, "%s", why.msg);
        goto out;
    }
    ret = compare(st, d, q, uses, nuses, now, err);
out:
    free(uses);
    free(plain);
    free(q);
    return ret;
}
