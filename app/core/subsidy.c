/* subsidy.c - the quote engine: policy + elder + cart + moment + uses -> quote.
 *
 * The policy's groups are applied in their declared order.  Each group sees
 * what earlier groups left of the bill; inside a "max" group every rule is
 * priced against that same remainder and the highest wins (ties: the first
 * declared), inside a "sum" group the rules apply one after the other, each
 * on what the previous left.  Pricing one rule goes through fixed gates, and
 * the first gate that fails is the refusal the cashier sees:
 *
 *   canteen -> issuing canteen -> who -> day -> dine-in/delivered -> period
 *   -> items -> minimum bill -> use counts -> what is left of the base ->
 *   benefit amount -> amount caps -> funding split
 *
 * The base a rule works on is tracked as three running totals: what earlier
 * rules took from eligible dish lines (items "eligible"/"one_eligible"),
 * from delivery-fee lines (items "delivery_fee") and from the whole bill
 * (items "all").  A rule on eligible lines may take at most eligible -
 * taken_from_eligible, one on the fee at most fee - taken_from_fee, and
 * nothing may take more than gross - everything taken, so the elder never
 * pays below zero and subsidies on eligible lines never exceed them.  For
 * "one_eligible" earlier takes are assumed to come from the other eligible
 * units first (exact for the usual one-meal cart).
 *
 * All arithmetic is integer fen; percentages round down. */
#include "subsidy.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "policy_int.h"

/* The fixed facts of one quote. */
typedef struct ctx {
    const zc_quote_in *in;
    const zc_policy *pol;
    const zc_elder *el;
    zc_date date;
    int period;          /* index into pol->periods, -1 outside all windows */
    int age;             /* on the sale date; -1 when the birth date is unknown */
    zc_day_kind day;     /* kind of the sale date */
    bool day_official;   /* day comes from a published calendar year */
    zc_fen gross, elig, unit_max;
    zc_fen fee;          /* delivery-fee lines */
    zc_quote *q;         /* applied so far count as uses of this sale */
} ctx;

/* What earlier rules of this sale took. */
typedef struct state {
    zc_fen taken_elig, taken_fee, taken_all;
} state;

/* One rule priced: fen > 0 with parts, or a refusal. */
typedef struct cand {
    zc_fen fen;
    zc_part parts[POL_MAX_FUNDING];
    int nparts;
    int left_day, left_week;
    zc_reason reason;
    char detail[128];
} cand;

__attribute__((format(printf, 2, 3))) static void say(char *dst, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(dst, 128, fmt, ap);
    va_end(ap);
}

static zc_fen min_fen(zc_fen a, zc_fen b)
{
    return a < b ? a : b;
}

static const char *or_none(const char *s)
{
    return s && s[0] ? s : "(none)";
}

/* ---- who ---------------------------------------------------------------- */

/* Gates of one "who" alternative, in checking order.  When no alternative
 * matches, the refusal shown is from the one that got furthest. */
enum { W_AGE_MIN, W_AGE_MAX, W_CATS, W_NONE, W_GRADE, W_REG, W_RES, W_CARE, W_PASS };

static int min_level(const pol_who *w, const char *code)
{
    for (int i = 0; i < w->nlevels; i++)
        if (strcmp(w->levels[i].code, code) == 0)
            return w->levels[i].level;
    return 0;
}

/* The elder's level of code, or -1 when the elder does not hold it. */
static int held_level(const zc_elder *e, const char *code)
{
    for (int i = 0; i < e->ncats && i < ZC_MAX_CATS; i++)
        if (strcmp(e->cats[i].code, code) == 0)
            return e->cats[i].level;
    return -1;
}

static bool area_ok(const pol_area *a, const char *city, const char *district, const char *town,
                    const char *what, char *detail)
{
    if (a->city[0] && strcmp(a->city, city) != 0) {
        say(detail, "%s city %s is not %s", what, or_none(city), a->city);
        return false;
    }
    if (a->district[0] && strcmp(a->district, district) != 0) {
        say(detail, "%s district %s is not %s", what, or_none(district), a->district);
        return false;
    }
    if (a->town[0] && strcmp(a->town, town) != 0) {
        say(detail, "%s town %s is not %s", what, or_none(town), a->town);
        return false;
    }
    return true;
}

static int who_gate(const ctx *c, const pol_who *w, zc_reason *reason, char *detail)
{
    const zc_elder *e = c->el;
    if (c->age < 0 && (w->age_min >= 0 || w->age_max >= 0)) {
        *reason = w->age_min >= 0 ? ZC_R_TOO_YOUNG : ZC_R_TOO_OLD;
        say(detail, "birth date unknown");
        return W_AGE_MIN;
    }
    if (w->age_min >= 0 && c->age < w->age_min) {
        *reason = ZC_R_TOO_YOUNG;
        say(detail, "age %d < %d", c->age, w->age_min);
        return W_AGE_MIN;
    }
    if (w->age_max >= 0 && c->age > w->age_max) {
        *reason = ZC_R_TOO_OLD;
        say(detail, "age %d > %d", c->age, w->age_max);
        return W_AGE_MAX;
    }
    *reason = ZC_R_CATEGORY_MISSING;
    if (w->nany) {
        bool any = false;
        for (int i = 0; i < w->nany && !any; i++)
            any = held_level(e, w->any[i]) >= min_level(w, w->any[i]) &&
                  held_level(e, w->any[i]) >= 0;
        if (!any) {
            char list[100] = "";
            size_t pos = 0;
            for (int i = 0; i < w->nany && pos < sizeof list; i++) {
                int n = snprintf(list + pos, sizeof list - pos, "%s%s", i ? "," : "", w->any[i]);
                pos += n > 0 ? (size_t)n : 0;
            }
            say(detail, "holds none of %s", list);
            return W_CATS;
        }
    }
    for (int i = 0; i < w->nall; i++) {
        int have = held_level(e, w->all[i]), need = min_level(w, w->all[i]);
        if (have < 0) {
            say(detail, "lacks %s", w->all[i]);
            return W_CATS;
        }
        if (have < need) {
            say(detail, "%s level %d < %d", w->all[i], have, need);
            return W_CATS;
        }
    }
    for (int i = 0; i < w->nnone; i++) {
        if (held_level(e, w->none[i]) >= 0) {
            *reason = ZC_R_CATEGORY_EXCLUDED;
            say(detail, "holds excluded %s", w->none[i]);
            return W_NONE;
        }
    }
    if (w->grades && !(e->disability_grade >= 1 && e->disability_grade <= 4 &&
                       (w->grades & (1u << e->disability_grade)))) {
        *reason = ZC_R_DISABILITY;
        if (e->disability_grade)
            say(detail, "disability grade %d does not qualify", e->disability_grade);
        else
            say(detail, "no disability grade");
        return W_GRADE;
    }
    if (w->has_reg && !area_ok(&w->reg, e->reg_city, e->reg_district, e->reg_town,
                               "registration", detail)) {
        *reason = ZC_R_NOT_REGISTERED;
        return W_REG;
    }
    if (w->has_res && !area_ok(&w->res, e->res_city, e->res_district, e->res_town, "residence",
                               detail)) {
        *reason = ZC_R_NOT_RESIDENT;
        return W_RES;
    }
    if ((w->care == POL_CARE_EXCLUDE && e->care_home) || (w->care == POL_CARE_ONLY && !e->care_home)) {
        *reason = ZC_R_CARE_HOME;
        say(detail, e->care_home ? "lives in a care home" : "does not live in a care home");
        return W_CARE;
    }
    *reason = ZC_R_NONE;
    return W_PASS;
}

/* Years between the elder's age and the age bound an alternative failed
 * on; 0 for other gates.  Among alternatives stopped at the same gate the
 * nearest age is the most useful to tell ("age 58 < 60", not "< 80"). */
static int age_gap(const ctx *c, const pol_who *w, int gate)
{
    if (c->age < 0)
        return 0;
    if (gate == W_AGE_MIN)
        return w->age_min - c->age;
    if (gate == W_AGE_MAX)
        return c->age - w->age_max;
    return 0;
}

/* True if any alternative matches; otherwise the refusal of the one that
 * got furthest through the gates (ties: nearest age, then first listed). */
static bool who_ok(const ctx *c, const pol_rule *r, cand *out)
{
    int best = -1, best_gap = 0;
    if (r->nwho == 0)
        return true;
    for (int i = 0; i < r->nwho; i++) {
        zc_reason why;
        char detail[128] = "";
        int g = who_gate(c, &r->who[i], &why, detail);
        if (g == W_PASS)
            return true;
        int gap = age_gap(c, &r->who[i], g);
        if (g > best || (g == best && gap < best_gap)) {
            best = g;
            best_gap = gap;
            out->reason = why;
            memcpy(out->detail, detail, sizeof detail);
        }
    }
    return false;
}

/* ---- limits ------------------------------------------------------------- */

typedef struct usage {
    int period_day, day, week, month; /* uses */
    zc_fen fen_day, fen_week, fen_month;
} usage;

static void add_use(usage *u, const ctx *c, zc_date d, const char *period, zc_fen fen)
{
    int64_t dn = zc_days_from_civil(d), today = zc_days_from_civil(c->date);
    int64_t monday = zc_days_from_civil(zc_week_start(c->date));
    if (dn == today) {
        u->day++;
        u->fen_day += fen;
        if (c->period >= 0 && strcmp(period, c->pol->periods[c->period].id) == 0)
            u->period_day++;
    }
    if (dn >= monday && dn < monday + 7) {
        u->week++;
        u->fen_week += fen;
    }
    if (d.y == c->date.y && d.m == c->date.m) {
        u->month++;
        u->fen_month += fen;
    }
}

/* Earlier uses of key plus the rules of this sale already applied. */
static usage count_uses(const ctx *c, const char *key)
{
    usage u;
    memset(&u, 0, sizeof u);
    for (int i = 0; i < c->in->nuses; i++) {
        const zc_use *x = &c->in->uses[i];
        if (strcmp(x->key, key) == 0)
            add_use(&u, c, x->date, x->period, x->fen > 0 ? x->fen : 0);
    }
    for (int i = 0; i < c->q->napplied; i++)
        if (strcmp(c->q->applied[i].key, key) == 0)
            add_use(&u, c, c->date, c->q->period, c->q->applied[i].fen);
    return u;
}

static bool limits_ok(const ctx *c, const pol_limits *l, const usage *u, cand *out)
{
    const char *pname = c->period >= 0 ? c->pol->periods[c->period].id : "";
    if (l->per_period_day && u->period_day >= l->per_period_day) {
        out->reason = ZC_R_LIMIT_PERIOD;
        say(out->detail, "%d of %d used this %s", u->period_day, l->per_period_day, pname);
    } else if (l->per_day && u->day >= l->per_day) {
        out->reason = ZC_R_LIMIT_DAY;
        say(out->detail, "%d of %d used today", u->day, l->per_day);
    } else if (l->per_week && u->week >= l->per_week) {
        out->reason = ZC_R_LIMIT_WEEK;
        say(out->detail, "%d of %d used this week", u->week, l->per_week);
    } else if (l->per_month && u->month >= l->per_month) {
        out->reason = ZC_R_LIMIT_MONTH;
        say(out->detail, "%d of %d used this month", u->month, l->per_month);
    } else {
        return true;
    }
    return false;
}

/* Clips *amount to what the amount caps leave; false when one is used up. */
static bool caps_ok(const pol_limits *l, const usage *u, zc_fen *amount, cand *out)
{
    const zc_fen cap[3] = {l->cap_day, l->cap_week, l->cap_month};
    const zc_fen used[3] = {u->fen_day, u->fen_week, u->fen_month};
    const zc_reason why[3] = {ZC_R_CAP_DAY, ZC_R_CAP_WEEK, ZC_R_CAP_MONTH};
    const char *const when[3] = {"today", "this week", "this month"};
    for (int i = 0; i < 3; i++) {
        if (!cap[i])
            continue;
        zc_fen left = cap[i] - used[i];
        if (left <= 0) {
            out->reason = why[i];
            say(out->detail, "cap %lld fen used up %s", (long long)cap[i], when[i]);
            return false;
        }
        *amount = min_fen(*amount, left);
    }
    return true;
}

/* ---- funding ------------------------------------------------------------ */

static bool home_ok(const ctx *c, int cond)
{
    const zc_elder *e = c->el;
    const zc_canteen *k = c->in->canteen;
    bool reg = c->pol->home == POL_HOME_REGISTRATION;
    const char *city = reg ? e->reg_city : e->res_city;
    const char *district = reg ? e->reg_district : e->res_district;
    const char *town = reg ? e->reg_town : e->res_town;
    if (cond == POL_IF_ALWAYS)
        return true;
    if (!k)
        return false;
    if (cond == POL_IF_HOME_CITY)
        return city[0] && strcmp(city, k->city) == 0;
    if (cond == POL_IF_HOME_DISTRICT)
        return district[0] && strcmp(district, k->district) == 0;
    return town[0] && strcmp(town, k->town) == 0;
}

/* Splits amount among the rule's sources in order.  A source whose only_if
 * fails still takes its share out of what remains, but gives 0: the elder
 * pays that part.  Parts of 0 are not recorded. */
static zc_fen split(const ctx *c, const pol_rule *r, zc_fen amount, cand *out)
{
    zc_fen left = amount, given = 0;
    out->nparts = 0;
    for (int i = 0; i < r->nfund; i++) {
        const pol_fund *f = &r->fund[i];
        zc_fen share = f->kind == POL_FUND_FEN   ? min_fen(f->fen, left)
                       : f->kind == POL_FUND_PCT ? min_fen(zc_fen_muldiv(amount, f->pct100, 10000), left)
                                                 : left;
        left -= share;
        if (share <= 0 || !home_ok(c, f->only_if))
            continue;
        zc_part *p = &out->parts[out->nparts++];
        snprintf(p->rule, sizeof p->rule, "%s", r->id);
        snprintf(p->source, sizeof p->source, "%s", f->source);
        p->fen = share;
        given += share;
    }
    return given;
}

/* ---- where and when ----------------------------------------------------- */

/* The gates before "who": canteen scope and the card's issuing canteen. */
static bool place_ok(const ctx *c, const pol_rule *r, cand *out)
{
    const zc_canteen *k = c->in->canteen;
    if (!pol_scope_has(&r->at, k)) {
        out->reason = ZC_R_CANTEEN_NOT_COVERED;
        say(out->detail, "canteen %s (type %s) is not covered", k ? or_none(k->id) : "unknown",
            k ? or_none(k->type) : "unknown");
        return false;
    }
    if (r->issuing_only && (!k || !c->el->canteen[0] || strcmp(c->el->canteen, k->id) != 0)) {
        out->reason = ZC_R_NOT_ISSUING_CANTEEN;
        say(out->detail, "card issued by %s, this is %s", or_none(c->el->canteen),
            k ? or_none(k->id) : "an unknown canteen");
        return false;
    }
    return true;
}

/* The gates after "who": kind of day and dine-in or delivered. */
static bool when_ok(const ctx *c, const pol_rule *r, cand *out)
{
    if (r->days && !(r->days & (1u << c->day))) {
        char d[11];
        out->reason = ZC_R_DAY_NOT_COVERED;
        say(out->detail, "%s is a %s%s", zc_date_fmt(c->date, d, sizeof d),
            zc_day_kind_code(c->day), c->day_official ? "" : " (no official calendar for the year)");
        return false;
    }
    if ((r->served == POL_SERVED_DINE_IN && c->in->delivered) ||
        (r->served == POL_SERVED_DELIVERED && !c->in->delivered)) {
        out->reason = ZC_R_SERVED_NOT_COVERED;
        say(out->detail, c->in->delivered ? "a delivered meal; the rule is for dine-in"
                                          : "eaten at the canteen; the rule is for delivered meals");
        return false;
    }
    return true;
}

/* ---- one rule ----------------------------------------------------------- */

static const char *const items_word[] = {"eligible", "bill", "eligible", "delivery fee"};

/* Prices rule r against the state st; out->fen > 0 means it applies. */
static void price_rule(const ctx *c, const pol_rule *r, const state *st, cand *out)
{
    memset(out, 0, sizeof *out);
    if (!place_ok(c, r, out) || !who_ok(c, r, out) || !when_ok(c, r, out))
        return;
    if (c->period < 0) {
        out->reason = ZC_R_OUTSIDE_PERIOD;
        say(out->detail, "%02d:%02d is in no meal period", c->in->at.hh, c->in->at.mm);
        return;
    }
    if (!(r->periods & (1u << c->period))) {
        out->reason = ZC_R_PERIOD_NOT_COVERED;
        say(out->detail, "%s is not covered", c->pol->periods[c->period].id);
        return;
    }
    zc_fen bill = r->items == POL_ITEMS_ALL            ? c->gross
                  : r->items == POL_ITEMS_DELIVERY_FEE ? c->fee
                                                       : c->elig;
    if (bill <= 0) {
        out->reason = ZC_R_NO_ELIGIBLE_ITEMS;
        say(out->detail, r->items == POL_ITEMS_ALL            ? "the cart is empty"
                         : r->items == POL_ITEMS_DELIVERY_FEE ? "no delivery fee in the cart"
                                                              : "no subsidy-eligible dish in the cart");
        return;
    }
    if (r->min_bill && (r->min_bill_gt ? bill <= r->min_bill : bill < r->min_bill)) {
        out->reason = ZC_R_BELOW_MIN_BILL;
        say(out->detail, "%s %lld is not %s %lld", items_word[r->items], (long long)bill,
            r->min_bill_gt ? ">" : ">=", (long long)r->min_bill);
        return;
    }
    usage u = count_uses(c, r->lim.key);
    if (!limits_ok(c, &r->lim, &u, out))
        return;

    /* what earlier groups left of this rule's base */
    zc_fen rest_all = c->gross - st->taken_all - st->taken_elig - st->taken_fee;
    zc_fen rest_elig = min_fen(c->elig - st->taken_elig, rest_all);
    zc_fen base = r->items == POL_ITEMS_ALL            ? rest_all
                  : r->items == POL_ITEMS_ELIGIBLE     ? rest_elig
                  : r->items == POL_ITEMS_DELIVERY_FEE ? min_fen(c->fee - st->taken_fee, rest_all)
                                                       : min_fen(c->unit_max, rest_elig);
    if (base <= 0) {
        out->reason = ZC_R_NOTHING_LEFT;
        say(out->detail, "earlier rules already cover the whole %s", items_word[r->items]);
        return;
    }
    zc_fen amount = 0;
    switch (r->benefit) {
    case POL_FIXED_OFF: amount = min_fen(r->fen, base); break;
    case POL_PERCENT_OFF:
        amount = zc_fen_muldiv(base, r->percent100, 10000);
        if (r->cap_fen)
            amount = min_fen(amount, r->cap_fen);
        break;
    case POL_FIXED_PRICE: amount = base > r->fen ? base - r->fen : 0; break;
    default: amount = base;
    }
    if (amount <= 0) {
        out->reason = ZC_R_NOTHING_LEFT;
        if (r->benefit == POL_FIXED_PRICE)
            say(out->detail, "%lld is not above the price %lld", (long long)base,
                (long long)r->fen);
        else
            say(out->detail, "the discount on %lld rounds down to 0", (long long)base);
        return;
    }
    if (!caps_ok(&r->lim, &u, &amount, out))
        return;
    zc_fen given = split(c, r, amount, out);
    if (given <= 0) {
        const zc_canteen *k = c->in->canteen;
        out->reason = ZC_R_NO_FUNDING;
        say(out->detail, "no source pays at this canteen (%s %s)", k ? "district" : "canteen",
            k ? or_none(k->district) : "unknown");
        return;
    }
    out->fen = given;
    out->left_day = r->lim.per_day ? r->lim.per_day - u.day - 1 : -1;
    out->left_week = r->lim.per_week ? r->lim.per_week - u.week - 1 : -1;
}

/* ---- the quote ---------------------------------------------------------- */

static void refuse(zc_quote *q, const char *rule, zc_reason why, const char *detail)
{
    if (q->nrefusals >= ZC_MAX_RULES)
        return;
    zc_refusal *f = &q->refusals[q->nrefusals++];
    snprintf(f->rule, sizeof f->rule, "%s", rule);
    f->reason = why;
    snprintf(f->detail, sizeof f->detail, "%s", detail);
}

static void apply(const ctx *c, const pol_rule *r, const cand *k, state *st)
{
    zc_quote *q = c->q;
    zc_applied *a = &q->applied[q->napplied++];
    snprintf(a->rule, sizeof a->rule, "%s", r->id);
    snprintf(a->name, sizeof a->name, "%s", r->name);
    snprintf(a->group, sizeof a->group, "%s", c->pol->groups[r->group].id);
    snprintf(a->key, sizeof a->key, "%s", r->lim.key);
    a->fen = k->fen;
    a->left_day = k->left_day;
    a->left_week = k->left_week;
    for (int i = 0; i < k->nparts && q->nparts < ZC_MAX_PARTS; i++)
        q->parts[q->nparts++] = k->parts[i];
    if (r->items == POL_ITEMS_ALL)
        st->taken_all += k->fen;
    else if (r->items == POL_ITEMS_DELIVERY_FEE)
        st->taken_fee += k->fen;
    else
        st->taken_elig += k->fen;
    q->subsidy += k->fen;
}

static void run_group(const ctx *c, int g, state *st)
{
    const zc_policy *pol = c->pol;
    cand k, best;
    int best_rule = -1;
    memset(&best, 0, sizeof best);
    if (pol->groups[g].combine == POL_SUM) {
        for (int i = 0; i < pol->nrules; i++) {
            if (pol->rules[i].group != g)
                continue;
            price_rule(c, &pol->rules[i], st, &k);
            if (k.fen > 0)
                apply(c, &pol->rules[i], &k, st);
            else
                refuse(c->q, pol->rules[i].id, k.reason, k.detail);
        }
        return;
    }
    /* max: price all on the same state, then keep the highest */
    zc_fen offer[ZC_MAX_RULES] = {0};
    for (int i = 0; i < pol->nrules; i++) {
        if (pol->rules[i].group != g)
            continue;
        price_rule(c, &pol->rules[i], st, &k);
        offer[i] = k.fen;
        if (k.fen <= 0)
            refuse(c->q, pol->rules[i].id, k.reason, k.detail);
        else if (best_rule < 0 || k.fen > best.fen) {
            best = k;
            best_rule = i;
        }
    }
    if (best_rule < 0)
        return;
    for (int i = 0; i < pol->nrules; i++) {
        if (pol->rules[i].group == g && offer[i] > 0 && i != best_rule) {
            char d[128];
            say(d, "%s gives %lld, this rule %lld", pol->rules[best_rule].id,
                (long long)best.fen, (long long)offer[i]);
            refuse(c->q, pol->rules[i].id, ZC_R_OUTRANKED, d);
        }
    }
    apply(c, &pol->rules[best_rule], &best, st);
}

static int check_input(const zc_quote_in *in, zc_err *err)
{
    if (!in || !in->policy || !in->cart)
        return zc_errf(err, ZC_EINVAL, "quote: policy and cart are required");
    if (in->cart->n < 0 || in->cart->n > ZC_MAX_LINES)
        return zc_errf(err, ZC_EINVAL, "quote: cart has %d lines", in->cart->n);
    for (int i = 0; i < in->cart->n; i++) {
        const zc_line *l = &in->cart->lines[i];
        if (l->unit_fen < 0 || l->qty < 1 || l->unit_fen > ZC_FEN_MAX || l->qty > 100000 ||
            l->unit_fen * l->qty > ZC_FEN_MAX)
            return zc_errf(err, ZC_EINVAL, "quote: cart line %d (%.40s) has price %lld x %d",
                           i + 1, l->code, (long long)l->unit_fen, l->qty);
        if ((l->kind != ZC_LINE_DISH && l->kind != ZC_LINE_DELIVERY_FEE) ||
            (l->kind == ZC_LINE_DELIVERY_FEE && l->eligible))
            return zc_errf(err, ZC_EINVAL, "quote: cart line %d (%.40s) is of kind %d%s", i + 1,
                           l->code, l->kind, l->eligible ? " and marked eligible" : "");
    }
    if (in->nuses < 0 || (in->nuses > 0 && !in->uses))
        return zc_errf(err, ZC_EINVAL, "quote: %d uses but no array", in->nuses);
    if (!zc_date_valid(in->at.date) || in->at.hh < 0 || in->at.hh > 23 || in->at.mm < 0 ||
        in->at.mm > 59)
        return zc_errf(err, ZC_EINVAL, "quote: the sale time is not a real local time");
    return ZC_OK;
}

int zc_quote_compute(const zc_quote_in *in, zc_quote *out, zc_err *err)
{
    ctx c;
    state st = {0, 0, 0};
    int rc;
    if (!out)
        return zc_errf(err, ZC_EINVAL, "quote: no output");
    memset(out, 0, sizeof *out);
    if ((rc = check_input(in, err)))
        return rc;
    memset(&c, 0, sizeof c);
    c.in = in;
    c.pol = in->policy;
    c.el = in->elder;
    c.date = in->at.date;
    c.q = out;

    /* the period: the cashier's choice, else the clock */
    const zc_period *pe = NULL;
    if (in->period && in->period[0]) {
        pe = zc_policy_period_by_id(c.pol, in->period);
        if (!pe)
            return zc_errf(err, ZC_EINVAL, "quote: meal period \"%.40s\" is not in policy %s",
                           in->period, c.pol->id);
    } else {
        pe = zc_policy_period_at(c.pol, zc_minute_of_day(in->at));
    }
    c.period = pe ? (int)(pe - c.pol->periods) : -1;
    snprintf(out->period, sizeof out->period, "%s", pe ? pe->id : "");

    for (int i = 0; i < in->cart->n; i++) {
        const zc_line *l = &in->cart->lines[i];
        c.gross += l->unit_fen * l->qty;
        if (l->kind == ZC_LINE_DELIVERY_FEE)
            c.fee += l->unit_fen * l->qty;
        else if (l->eligible) {
            c.elig += l->unit_fen * l->qty;
            c.unit_max = l->unit_fen > c.unit_max ? l->unit_fen : c.unit_max;
        }
    }
    out->gross = c.gross;
    out->eligible = c.elig;
    snprintf(out->policy_id, sizeof out->policy_id, "%s", c.pol->id);
    snprintf(out->policy_version, sizeof out->policy_version, "%s", c.pol->version);

    /* gates for the whole sale */
    const zc_elder *e = c.el;
    char d[128], d2[11];
    if (!e) {
        refuse(out, "", ZC_R_NO_ELDER, "no elder identified: public price");
    } else if (!zc_policy_in_force(c.pol, c.date)) {
        char a[11], b[11];
        say(d, "policy %s %s runs %s to %s", c.pol->id, c.pol->version,
            zc_date_fmt(c.pol->from, a, sizeof a),
            zc_date_is_set(c.pol->to) ? zc_date_fmt(c.pol->to, b, sizeof b) : "open");
        for (int i = 0; i < c.pol->nrules; i++)
            refuse(out, c.pol->rules[i].id, ZC_R_POLICY_NOT_IN_FORCE, d);
    } else if (!zc_policy_applies_at(c.pol, in->canteen)) {
        say(d, "policy %s %s is for other canteens, not %s", c.pol->id, c.pol->version,
            in->canteen ? or_none(in->canteen->id) : "an unknown canteen");
        for (int i = 0; i < c.pol->nrules; i++)
            refuse(out, c.pol->rules[i].id, ZC_R_CANTEEN_NOT_COVERED, d);
    } else if (e->status != ZC_ELDER_ACTIVE) {
        refuse(out, "", ZC_R_ELDER_INACTIVE,
               e->status == ZC_ELDER_DECEASED ? "elder is recorded as deceased"
                                              : "elder is suspended");
    } else if (zc_date_is_set(e->valid_from) && zc_date_cmp(c.date, e->valid_from) < 0) {
        say(d, "eligible from %s", zc_date_fmt(e->valid_from, d2, sizeof d2));
        refuse(out, "", ZC_R_ELDER_NOT_VALID, d);
    } else if (zc_date_is_set(e->valid_to) && zc_date_cmp(c.date, e->valid_to) > 0) {
        say(d, "eligible until %s", zc_date_fmt(e->valid_to, d2, sizeof d2));
        refuse(out, "", ZC_R_ELDER_NOT_VALID, d);
    } else {
        c.age = zc_date_valid(e->birth) ? zc_age_on(e->birth, c.date) : -1;
        c.day = zc_calendar_day(in->calendar, c.date, &c.day_official);
        for (int g = 0; g < c.pol->ngroups; g++)
            run_group(&c, g, &st);
    }
    out->pay = out->gross - out->subsidy; /* >= 0: no rule takes more than rest_all */
    return ZC_OK;
}
