/* subsidy_fixture.h - builders shared by the test_subsidy*.c files:
 * elders, carts, canteens, uses, policies from JSON pieces, and a quote
 * call that reports failures.  Everything is static inline so a file that
 * uses only part of it still compiles without warnings. */
#ifndef ZC_SUBSIDY_FIXTURE_H
#define ZC_SUBSIDY_FIXTURE_H

#include "../app/core/policy.h"
#include "../app/core/subsidy.h"
#include "check.h"

/* An active elder born on birth ("YYYY-MM-DD") holding cats ("dibao;x:2"). */
static inline zc_elder fx_elder(const char *birth, const char *cats)
{
    zc_elder e;
    zc_err err = {""};
    memset(&e, 0, sizeof e);
    snprintf(e.id, sizeof e.id, "E-%s", birth);
    snprintf(e.name, sizeof e.name, "张三英");
    if (zc_date_parse(birth, &e.birth) != 0)
        fprintf(stderr, "  fixture: bad birth %s\n", birth);
    if (zc_cats_parse(cats ? cats : "", e.cats, ZC_MAX_CATS, &e.ncats, &err) != 0)
        fprintf(stderr, "  fixture: %s\n", err.msg);
    e.status = ZC_ELDER_ACTIVE;
    return e;
}

static inline void fx_reg(zc_elder *e, const char *city, const char *district, const char *town)
{
    snprintf(e->reg_city, sizeof e->reg_city, "%s", city);
    snprintf(e->reg_district, sizeof e->reg_district, "%s", district);
    snprintf(e->reg_town, sizeof e->reg_town, "%s", town);
}

static inline void fx_res(zc_elder *e, const char *city, const char *district, const char *town)
{
    snprintf(e->res_city, sizeof e->res_city, "%s", city);
    snprintf(e->res_district, sizeof e->res_district, "%s", district);
    snprintf(e->res_town, sizeof e->res_town, "%s", town);
}

static inline zc_canteen fx_canteen(const char *city, const char *district, const char *town)
{
    zc_canteen k;
    memset(&k, 0, sizeof k);
    snprintf(k.id, sizeof k.id, "K1");
    snprintf(k.city, sizeof k.city, "%s", city);
    snprintf(k.district, sizeof k.district, "%s", district);
    snprintf(k.town, sizeof k.town, "%s", town);
    return k;
}

static inline void fx_add(zc_cart *c, const char *code, zc_fen unit, int qty, bool eligible)
{
    zc_line l;
    memset(&l, 0, sizeof l);
    snprintf(l.code, sizeof l.code, "%s", code);
    snprintf(l.name, sizeof l.name, "%s", code);
    l.unit_fen = unit;
    l.qty = qty;
    l.eligible = eligible;
    if (zc_cart_add(c, &l) != 0)
        fprintf(stderr, "  fixture: cannot add %s\n", code);
}

/* A cart of one eligible set meal at fen (and nothing else). */
static inline zc_cart fx_meal(zc_fen fen)
{
    zc_cart c;
    memset(&c, 0, sizeof c);
    fx_add(&c, "set", fen, 1, true);
    return c;
}

static inline zc_use fx_use(const char *date, const char *period, const char *key, zc_fen fen)
{
    zc_use u;
    memset(&u, 0, sizeof u);
    if (zc_date_parse(date, &u.date) != 0)
        fprintf(stderr, "  fixture: bad use date %s\n", date);
    snprintf(u.period, sizeof u.period, "%s", period);
    snprintf(u.key, sizeof u.key, "%s", key);
    u.fen = fen;
    return u;
}

/* A policy with five periods (night 00:00-06:00, breakfast 06:00-09:00,
 * lunch 10:30-13:30, dinner 16:30-19:00, late 19:00-24:00; gaps 09:00-10:30
 * and 13:30-16:30), the given groups and rules (JSON array bodies) and
 * extra root fields (e.g. "\"home\":\"residence\","), or NULL on a parse
 * error, which is reported. */
static inline zc_policy *fx_policy_v(const char *version, const char *from, const char *to,
                                     const char *extra, const char *groups, const char *rules)
{
    static char json[16384];
    zc_policy *p = NULL;
    zc_err e = {""};
    char to_s[32];
    snprintf(to_s, sizeof to_s, "%s%s%s", to ? "\"" : "", to ? to : "null", to ? "\"" : "");
    snprintf(json, sizeof json,
             "{\"policy\":\"test\",\"version\":\"%s\",\"name\":\"Test\",%s"
             "\"effective_from\":\"%s\",\"effective_to\":%s,"
             "\"periods\":[{\"id\":\"night\",\"from\":\"00:00\",\"to\":\"06:00\"},"
             "{\"id\":\"breakfast\",\"from\":\"06:00\",\"to\":\"09:00\"},"
             "{\"id\":\"lunch\",\"from\":\"10:30\",\"to\":\"13:30\"},"
             "{\"id\":\"dinner\",\"from\":\"16:30\",\"to\":\"19:00\"},"
             "{\"id\":\"late\",\"from\":\"19:00\",\"to\":\"24:00\"}],"
             "\"groups\":[%s],\"rules\":[%s]}",
             version, extra ? extra : "", from, to_s, groups, rules);
    if (zc_policy_parse(json, strlen(json), &p, &e) != 0) {
        fprintf(stderr, "  fixture policy: %s\n", e.msg);
        check_failed_now++;
    }
    return p;
}

static inline zc_policy *fx_policy(const char *groups, const char *rules)
{
    return fx_policy_v("1", "2020-01-01", NULL, NULL, groups, rules);
}

#define FX_MAX "{\"id\":\"g\",\"combine\":\"max\"}"
#define FX_SUM "{\"id\":\"g\",\"combine\":\"sum\"}"
#define FX_CITY "\"funding\":[{\"source\":\"city\",\"rest\":true}]"

/* Runs a quote at "YYYY-MM-DD HH:MM"; reports a failure when rc != 0. */
static inline int fx_quote(const zc_policy *p, const zc_elder *e, const zc_canteen *k,
                           const zc_cart *c, const char *at, const char *period,
                           const zc_use *uses, int nuses, zc_quote *q)
{
    zc_quote_in in;
    zc_err err = {""};
    memset(&in, 0, sizeof in);
    in.policy = p;
    in.elder = e;
    in.canteen = k;
    in.cart = c;
    in.period = period;
    in.uses = uses;
    in.nuses = nuses;
    if (zc_datetime_parse(at, &in.at) != 0)
        fprintf(stderr, "  fixture: bad time %s\n", at);
    int rc = zc_quote_compute(&in, q, &err);
    if (rc)
        fprintf(stderr, "  quote failed: %s\n", err.msg);
    return rc;
}

/* The applied entry of rule id, or NULL. */
static inline const zc_applied *fx_applied(const zc_quote *q, const char *rule)
{
    for (int i = 0; i < q->napplied; i++)
        if (strcmp(q->applied[i].rule, rule) == 0)
            return &q->applied[i];
    return NULL;
}

/* The refusal of rule id, or NULL. */
static inline const zc_refusal *fx_refusal(const zc_quote *q, const char *rule)
{
    for (int i = 0; i < q->nrefusals; i++)
        if (strcmp(q->refusals[i].rule, rule) == 0)
            return &q->refusals[i];
    return NULL;
}

/* Share of source for rule, 0 when absent. */
static inline zc_fen fx_part(const zc_quote *q, const char *rule, const char *source)
{
    for (int i = 0; i < q->nparts; i++)
        if (strcmp(q->parts[i].rule, rule) == 0 && strcmp(q->parts[i].source, source) == 0)
            return q->parts[i].fen;
    return 0;
}

/* The sums every quote must satisfy: pay = gross - subsidy >= 0, subsidy =
 * sum of applied = sum of parts, each applied = its parts. */
static inline void fx_invariants(const zc_quote *q)
{
    zc_fen applied = 0, parts = 0;
    for (int i = 0; i < q->napplied; i++) {
        zc_fen own = 0;
        for (int j = 0; j < q->nparts; j++)
            if (strcmp(q->parts[j].rule, q->applied[i].rule) == 0)
                own += q->parts[j].fen;
        CHECK_INT(own, q->applied[i].fen);
        CHECK(q->applied[i].fen > 0);
        applied += q->applied[i].fen;
    }
    for (int j = 0; j < q->nparts; j++) {
        CHECK(q->parts[j].fen > 0);
        parts += q->parts[j].fen;
    }
    CHECK_INT(applied, q->subsidy);
    CHECK_INT(parts, q->subsidy);
    CHECK_INT(q->pay, q->gross - q->subsidy);
    CHECK(q->pay >= 0);
}

/* Checks one rule's outcome: applied with fen (> 0), or refused with why. */
#define EXPECT_APPLIED(q, rule, want_fen) \
    do { \
        const zc_applied *a_ = fx_applied((q), (rule)); \
        CHECK(a_ != NULL); \
        if (a_) \
            CHECK_INT(a_->fen, (want_fen)); \
        else if (fx_refusal((q), (rule))) \
            fprintf(stderr, "  %s refused: %s (%s)\n", (rule), \
                    zc_reason_code(fx_refusal((q), (rule))->reason), \
                    fx_refusal((q), (rule))->detail); \
    } while (0)

#define EXPECT_REFUSED(q, rule, why, detail_has) \
    do { \
        const zc_refusal *r_ = fx_refusal((q), (rule)); \
        CHECK(r_ != NULL); \
        CHECK(fx_applied((q), (rule)) == NULL); \
        if (r_) { \
            CHECK_STR(zc_reason_code(r_->reason), zc_reason_code(why)); \
            if (!strstr(r_->detail, (detail_has))) \
                fprintf(stderr, "  detail \"%s\" lacks \"%s\"\n", r_->detail, (detail_has)); \
            CHECK(strstr(r_->detail, (detail_has)) != NULL); \
        } \
    } while (0)

#endif
