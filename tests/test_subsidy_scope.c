/* test_subsidy_scope.c - where, when and how a meal is served: rules for
 * working days from the official calendar, rules and policies scoped to
 * canteens, a card valid only at its issuing canteen, delivered meals and
 * delivery-fee lines; and the two combining behaviours scenarios rely on
 * (equal effective dates, a losing rule of a "max" group uses no count). */
#include "../app/core/calendar.h"
#include "subsidy_fixture.h"

/* Quotes like fx_quote, with a calendar and dine-in/delivered. */
static int quote(const zc_policy *p, const zc_elder *e, const zc_canteen *k, const zc_cart *c,
                 const char *at, const zc_calendar *cal, bool delivered, const zc_use *uses,
                 int nuses, zc_quote *q)
{
    zc_quote_in in;
    zc_err err = {""};
    memset(&in, 0, sizeof in);
    in.policy = p;
    in.elder = e;
    in.canteen = k;
    in.cart = c;
    in.uses = uses;
    in.nuses = nuses;
    in.calendar = cal;
    in.delivered = delivered;
    if (zc_datetime_parse(at, &in.at) != 0)
        fprintf(stderr, "  bad time %s\n", at);
    int rc = zc_quote_compute(&in, q, &err);
    if (rc)
        fprintf(stderr, "  quote failed: %s\n", err.msg);
    return rc;
}

static zc_canteen canteen(const char *id, const char *type)
{
    zc_canteen k = fx_canteen("440400", "440402", "");
    snprintf(k.id, sizeof k.id, "%s", id);
    snprintf(k.type, sizeof k.type, "%s", type);
    return k;
}

static void add_fee(zc_cart *c, zc_fen fen)
{
    zc_line l;
    memset(&l, 0, sizeof l);
    snprintf(l.code, sizeof l.code, "DELIVERY");
    snprintf(l.name, sizeof l.name, "送餐费");
    l.unit_fen = fen;
    l.qty = 1;
    l.kind = ZC_LINE_DELIVERY_FEE;
    if (zc_cart_add(c, &l) != 0)
        fprintf(stderr, "  cannot add the fee\n");
}

/* Shenzhen-style: lunch on working days only, 调休 weekends included,
 * public holidays not. */
static void t_working_days(void)
{
    zc_calendar *cal = NULL;
    zc_err e = {""};
    CHECK_OK(zc_calendar_load("db/calendar/cn.json", &cal, &e));
    zc_policy *p = fx_policy(FX_SUM, "{\"id\":\"sz\",\"group\":\"g\",\"days\":[\"workday\"],"
                                     "\"periods\":[\"lunch\"],\"benefit\":{\"type\":\"fixed_off\","
                                     "\"fen\":300}," FX_CITY "}");
    zc_elder el = fx_elder("1940-01-01", "");
    zc_cart c = fx_meal(1200);
    static const struct {
        const char *name, *at;
        bool with_calendar;
        zc_fen fen;         /* 0: refused day_not_covered */
        const char *detail; /* of the refusal */
    } v[] = {
        {"ordinary Monday", "2026-01-05 11:30", true, 300, ""},
        {"ordinary Saturday", "2026-01-10 11:30", true, 0, "2026-01-10 is a weekend"},
        {"worked Sunday (调休)", "2026-09-20 11:30", true, 300, ""},
        {"worked Saturday (调休)", "2026-10-10 11:30", true, 300, ""},
        {"1 October, a Thursday", "2026-10-01 11:30", true, 0, "2026-10-01 is a holiday"},
        {"spring festival Monday", "2026-02-23 11:30", true, 0, "is a holiday"},
        {"2027 not published yet: Friday 1 January", "2027-01-01 11:30", true, 300, ""},
        {"2027 not published yet: Saturday", "2027-01-02 11:30", true, 0,
         "weekend (no official calendar for the year)"},
        {"no calendar: 1 October counts as a Thursday", "2026-10-01 11:30", false, 300, ""},
        {"no calendar: worked Sunday counts as a Sunday", "2026-09-20 11:30", false, 0,
         "weekend (no official calendar"},
    };
    for (size_t i = 0; p && i < sizeof v / sizeof v[0]; i++) {
        zc_quote q;
        check_current = v[i].name;
        CHECK_OK(quote(p, &el, NULL, &c, v[i].at, v[i].with_calendar ? cal : NULL, false, NULL, 0,
                       &q));
        if (v[i].fen)
            EXPECT_APPLIED(&q, "sz", v[i].fen);
        else
            EXPECT_REFUSED(&q, "sz", ZC_R_DAY_NOT_COVERED, v[i].detail);
        CHECK_INT(q.pay, 1200 - v[i].fen);
        fx_invariants(&q);
    }
    zc_policy_free(p);
    /* weekend and holiday together: the rest days */
    p = fx_policy(FX_SUM, "{\"id\":\"rest\",\"group\":\"g\",\"days\":[\"weekend\",\"holiday\"],"
                          "\"benefit\":{\"type\":\"fixed_off\",\"fen\":100}," FX_CITY "}");
    zc_quote q;
    CHECK_OK(quote(p, &el, NULL, &c, "2026-10-01 11:30", cal, false, NULL, 0, &q));
    EXPECT_APPLIED(&q, "rest", 100);
    CHECK_OK(quote(p, &el, NULL, &c, "2026-09-20 11:30", cal, false, NULL, 0, &q));
    EXPECT_REFUSED(&q, "rest", ZC_R_DAY_NOT_COVERED, "is a workday");
    zc_policy_free(p);
    zc_calendar_free(cal);
}

/* Zhuhai-style: the district's subsidy everywhere, then one canteen's own
 * 10 % on what is left, paid by that canteen's operator. */
#define ZHUHAI_GROUPS "{\"id\":\"district\",\"combine\":\"sum\"},{\"id\":\"canteen\",\"combine\":\"sum\"}"
#define ZHUHAI_RULES \
    "{\"id\":\"zh-district\",\"group\":\"district\",\"benefit\":{\"type\":\"fixed_off\",\"fen\":300}," \
    "\"funding\":[{\"source\":\"district\",\"rest\":true}]}," \
    "{\"id\":\"zh-youte-addon\",\"group\":\"canteen\",\"canteens\":[\"ZH-YOUTE\"]," \
    "\"benefit\":{\"type\":\"percent_off\",\"percent\":10}," \
    "\"funding\":[{\"source\":\"operator\",\"rest\":true}]}," \
    "{\"id\":\"ck-addon\",\"group\":\"canteen\",\"canteen_types\":[\"central_kitchen\"]," \
    "\"benefit\":{\"type\":\"fixed_off\",\"fen\":50},\"funding\":[{\"source\":\"operator\",\"rest\":true}]}"

static void t_canteen_addon(void)
{
    zc_policy *p = fx_policy_v("1", "2020-01-01", NULL, NULL, ZHUHAI_GROUPS, ZHUHAI_RULES);
    zc_elder el = fx_elder("1940-01-01", "");
    zc_cart c = fx_meal(1000);
    static const struct {
        const char *name, *id, *type;
        zc_fen pay, addon, ck;
    } v[] = {
        {"the canteen with the add-on", "ZH-YOUTE", "", 630, 70, 0},
        {"another canteen of the district", "ZH-XIANGZHOU", "", 700, 0, 0},
        {"a central kitchen", "ZH-CK1", "central_kitchen", 650, 0, 50},
        {"the add-on canteen, typed", "ZH-YOUTE", "central_kitchen", 580, 70, 50},
        {"an unknown canteen", NULL, "", 700, 0, 0},
    };
    for (size_t i = 0; p && i < sizeof v / sizeof v[0]; i++) {
        zc_canteen k = canteen(v[i].id ? v[i].id : "", v[i].type);
        zc_quote q;
        check_current = v[i].name;
        CHECK_OK(quote(p, &el, v[i].id ? &k : NULL, &c, "2026-03-02 11:30", NULL, false, NULL, 0,
                       &q));
        EXPECT_APPLIED(&q, "zh-district", 300);
        CHECK_INT(fx_part(&q, "zh-district", "district"), 300);
        if (v[i].addon) {
            EXPECT_APPLIED(&q, "zh-youte-addon", v[i].addon);
            CHECK_INT(fx_part(&q, "zh-youte-addon", "operator"), v[i].addon);
        } else {
            EXPECT_REFUSED(&q, "zh-youte-addon", ZC_R_CANTEEN_NOT_COVERED, "is not covered");
        }
        if (v[i].ck)
            EXPECT_APPLIED(&q, "ck-addon", v[i].ck);
        else
            EXPECT_REFUSED(&q, "ck-addon", ZC_R_CANTEEN_NOT_COVERED, "is not covered");
        CHECK_INT(q.pay, v[i].pay);
        fx_invariants(&q);
    }
    zc_policy_free(p);
}

/* Wuxi Binhu-style: a card's subsidy only at the canteen that issued it. */
static void t_issuing_canteen(void)
{
    zc_policy *p = fx_policy(FX_SUM, "{\"id\":\"bh\",\"group\":\"g\",\"issuing_canteen_only\":true,"
                                     "\"benefit\":{\"type\":\"fixed_off\",\"fen\":400}," FX_CITY "}");
    zc_cart c = fx_meal(1200);
    static const struct {
        const char *name, *card_from, *at_canteen;
        zc_fen fen;
        const char *detail;
    } v[] = {
        {"at the issuing canteen", "WX-BH-01", "WX-BH-01", 400, ""},
        {"at another canteen", "WX-BH-01", "WX-BH-02", 0, "card issued by WX-BH-01, this is WX-BH-02"},
        {"card without an issuing canteen", "", "WX-BH-01", 0, "card issued by (none)"},
        {"canteen unknown", "WX-BH-01", NULL, 0, "an unknown canteen"},
    };
    for (size_t i = 0; p && i < sizeof v / sizeof v[0]; i++) {
        zc_elder el = fx_elder("1940-01-01", "");
        zc_canteen k = canteen(v[i].at_canteen ? v[i].at_canteen : "", "");
        zc_quote q;
        check_current = v[i].name;
        snprintf(el.canteen, sizeof el.canteen, "%s", v[i].card_from);
        CHECK_OK(quote(p, &el, v[i].at_canteen ? &k : NULL, &c, "2026-03-02 11:30", NULL, false,
                       NULL, 0, &q));
        if (v[i].fen)
            EXPECT_APPLIED(&q, "bh", v[i].fen);
        else
            EXPECT_REFUSED(&q, "bh", ZC_R_NOT_ISSUING_CANTEEN, v[i].detail);
        fx_invariants(&q);
    }
    zc_policy_free(p);
}

/* Delivered meals and delivery-fee lines.  The cart: a 15-yuan set meal and
 * a 5-yuan delivery fee when delivered. */
#define DELIVERY_RULES \
    "{\"id\":\"meal-delivered\",\"group\":\"g\",\"served\":\"delivered\"," \
    "\"who\":{\"disability_grade\":[1,2,3,4]},\"benefit\":{\"type\":\"fixed_off\",\"fen\":300}," \
    FX_CITY "}," \
    "{\"id\":\"meal-dine-in\",\"group\":\"g\",\"served\":\"dine_in\"," \
    "\"benefit\":{\"type\":\"fixed_off\",\"fen\":100}," FX_CITY "}," \
    "{\"id\":\"fee-100\",\"group\":\"g\",\"items\":\"delivery_fee\",\"who\":{\"age_min\":100}," \
    "\"benefit\":{\"type\":\"fixed_off\",\"fen\":200},\"funding\":[{\"source\":\"district\",\"rest\":true}]}," \
    "{\"id\":\"fee-free\",\"group\":\"g\",\"items\":\"delivery_fee\"," \
    "\"who\":{\"categories_any\":[\"dibao\",\"tekun\"],\"disability_grade\":[1,2,3,4]}," \
    "\"benefit\":{\"type\":\"free\"},\"funding\":[{\"source\":\"district\",\"rest\":true}]}"

static void t_delivered(void)
{
    zc_policy *p = fx_policy(FX_SUM, DELIVERY_RULES);
    static const struct {
        const char *name, *birth, *cats;
        int grade;
        bool delivered;
        zc_fen meal_dlv, meal_dine, fee100, feefree, pay;
    } v[] = {
        {"dine-in, 80, disabled", "1946-01-01", "", 2, false, 0, 100, 0, 0, 1400},
        {"delivered, 80, disabled", "1946-01-01", "", 2, true, 300, 0, 0, 0, 1700},
        {"delivered, 101, not disabled", "1925-01-01", "", 0, true, 0, 0, 200, 0, 1800},
        {"delivered, 101, disabled", "1925-01-01", "", 2, true, 300, 0, 200, 0, 1500},
        {"delivered, disabled dibao: free delivery", "1946-01-01", "dibao", 2, true, 300, 0, 0, 500,
         1200},
        {"delivered, 101, disabled tekun: fee 2 then the rest free", "1925-01-01", "tekun", 1, true,
         300, 0, 200, 300, 1200},
    };
    for (size_t i = 0; p && i < sizeof v / sizeof v[0]; i++) {
        zc_elder el = fx_elder(v[i].birth, v[i].cats);
        zc_cart c = fx_meal(1500);
        zc_quote q;
        check_current = v[i].name;
        el.disability_grade = v[i].grade;
        if (v[i].delivered)
            add_fee(&c, 500);
        CHECK_OK(quote(p, &el, NULL, &c, "2026-03-02 11:30", NULL, v[i].delivered, NULL, 0, &q));
        CHECK_INT(q.gross, v[i].delivered ? 2000 : 1500);
        CHECK_INT(q.eligible, 1500); /* the fee is never an eligible dish */
        const zc_fen want[4] = {v[i].meal_dlv, v[i].meal_dine, v[i].fee100, v[i].feefree};
        const char *const rule[4] = {"meal-delivered", "meal-dine-in", "fee-100", "fee-free"};
        for (int r = 0; r < 4; r++)
            if (want[r])
                EXPECT_APPLIED(&q, rule[r], want[r]);
            else
                CHECK(fx_applied(&q, rule[r]) == NULL);
        CHECK_INT(q.pay, v[i].pay);
        fx_invariants(&q);
    }
    /* the refusals say why */
    zc_elder el = fx_elder("1925-01-01", "");
    el.disability_grade = 2;
    zc_cart c = fx_meal(1500);
    zc_quote q;
    CHECK_OK(quote(p, &el, NULL, &c, "2026-03-02 11:30", NULL, false, NULL, 0, &q));
    EXPECT_REFUSED(&q, "meal-delivered", ZC_R_SERVED_NOT_COVERED, "the rule is for delivered meals");
    EXPECT_REFUSED(&q, "fee-100", ZC_R_NO_ELIGIBLE_ITEMS, "no delivery fee in the cart");
    add_fee(&c, 500);
    CHECK_OK(quote(p, &el, NULL, &c, "2026-03-02 11:30", NULL, true, NULL, 0, &q));
    EXPECT_REFUSED(&q, "meal-dine-in", ZC_R_SERVED_NOT_COVERED, "the rule is for dine-in");
    zc_policy_free(p);

    /* "all" covers the fee, "eligible" never does */
    p = fx_policy(FX_MAX, "{\"id\":\"all\",\"group\":\"g\",\"items\":\"all\",\"benefit\":{\"type\":"
                          "\"free\"}," FX_CITY "},{\"id\":\"elig\",\"group\":\"g\",\"benefit\":"
                          "{\"type\":\"free\"}," FX_CITY "}");
    CHECK_OK(quote(p, &el, NULL, &c, "2026-03-02 11:30", NULL, true, NULL, 0, &q));
    EXPECT_APPLIED(&q, "all", 2000);
    EXPECT_REFUSED(&q, "elig", ZC_R_OUTRANKED, "all gives 2000, this rule 1500");
    zc_policy_free(p);

    /* a fee line marked eligible is a programming error */
    c.lines[1].eligible = true;
    p = fx_policy(FX_MAX, "{\"id\":\"r\",\"group\":\"g\",\"benefit\":{\"type\":\"free\"}," FX_CITY "}");
    zc_quote_in in;
    zc_err err = {""};
    memset(&in, 0, sizeof in);
    in.policy = p;
    in.cart = &c;
    CHECK_OK(zc_datetime_parse("2026-03-02 11:30", &in.at));
    CHECK_INT(zc_quote_compute(&in, &q, &err), ZC_EINVAL);
    CHECK(strstr(err.msg, "marked eligible") != NULL);
    zc_policy_free(p);
}

/* A rule that loses in a "max" group is refused outranked and adds no use
 * to its key: a later rule sharing that key still has its count. */
static void t_loser_uses_no_count(void)
{
    zc_policy *p = fx_policy_v(
        "1", "2020-01-01", NULL, NULL,
        "{\"id\":\"best\",\"combine\":\"max\"},{\"id\":\"extra\",\"combine\":\"sum\"}",
        "{\"id\":\"small\",\"group\":\"best\",\"benefit\":{\"type\":\"fixed_off\",\"fen\":200},"
        "\"limits\":{\"key\":\"k-small\",\"per_day\":1}," FX_CITY "},"
        "{\"id\":\"big\",\"group\":\"best\",\"benefit\":{\"type\":\"fixed_off\",\"fen\":500},"
        "\"limits\":{\"key\":\"k-big\",\"per_day\":1}," FX_CITY "},"
        "{\"id\":\"same-key\",\"group\":\"extra\",\"benefit\":{\"type\":\"fixed_off\",\"fen\":100},"
        "\"limits\":{\"key\":\"k-small\",\"per_day\":1}," FX_CITY "}");
    zc_elder el = fx_elder("1940-01-01", "");
    zc_cart c = fx_meal(1200);
    zc_quote q;
    CHECK_OK(quote(p, &el, NULL, &c, "2026-03-02 11:30", NULL, false, NULL, 0, &q));
    EXPECT_APPLIED(&q, "big", 500);
    EXPECT_REFUSED(&q, "small", ZC_R_OUTRANKED, "big gives 500, this rule 200");
    EXPECT_APPLIED(&q, "same-key", 100); /* k-small was not used by the loser */
    CHECK_STR(fx_applied(&q, "big")->key, "k-big");
    /* the next meal of the day: only the applied keys count as used */
    zc_use u[2] = {fx_use("2026-03-02", "lunch", "k-big", 500),
                   fx_use("2026-03-02", "lunch", "k-small", 100)};
    CHECK_OK(quote(p, &el, NULL, &c, "2026-03-02 17:30", NULL, false, u, 1, &q));
    EXPECT_APPLIED(&q, "small", 200); /* big used up today; small never counted */
    CHECK_OK(quote(p, &el, NULL, &c, "2026-03-02 17:30", NULL, false, u, 2, &q));
    EXPECT_REFUSED(&q, "small", ZC_R_LIMIT_DAY, "1 of 1 used today");
    zc_policy_free(p);
    /* equal offers in a max group: the first declared wins */
    p = fx_policy(FX_MAX, "{\"id\":\"a\",\"group\":\"g\",\"benefit\":{\"type\":\"fixed_off\",\"fen\":300},"
                          FX_CITY "},{\"id\":\"b\",\"group\":\"g\",\"benefit\":{\"type\":\"fixed_off\","
                          "\"fen\":300}," FX_CITY "}");
    CHECK_OK(quote(p, &el, NULL, &c, "2026-03-02 11:30", NULL, false, NULL, 0, &q));
    EXPECT_APPLIED(&q, "a", 300);
    EXPECT_REFUSED(&q, "b", ZC_R_OUTRANKED, "a gives 300");
    zc_policy_free(p);
}

/* Choosing the version in force at a canteen, and the tie-break of equal
 * effective dates. */
static void t_select(void)
{
    const char *r = "{\"id\":\"r\",\"group\":\"g\",\"benefit\":{\"type\":\"free\"}," FX_CITY "}";
    zc_policy *district = fx_policy_v("district", "2026-01-01", NULL, NULL, FX_MAX, r);
    zc_policy *same_day = fx_policy_v("same-day", "2026-01-01", NULL, NULL, FX_MAX, r);
    zc_policy *youte = fx_policy_v("youte", "2026-01-01", NULL, "\"canteens\":[\"ZH-YOUTE\"],",
                                   FX_MAX, r);
    zc_policy *kitchens = fx_policy_v("kitchens", "2025-06-01", NULL,
                                      "\"canteen_types\":[\"central_kitchen\"],", FX_MAX, r);
    zc_policy *later = fx_policy_v("later", "2026-07-01", NULL, NULL, FX_MAX, r);
    CHECK(district && same_day && youte && kitchens && later);
    zc_canteen yt = canteen("ZH-YOUTE", ""), other = canteen("ZH-XIANGZHOU", ""),
               ck = canteen("ZH-CK1", "central_kitchen");
    const zc_policy *const two[] = {district, same_day};
    const zc_policy *const all[] = {youte, district, kitchens, later};
    zc_date mar = {2026, 3, 2}, aug = {2026, 8, 3};
    static const struct {
        const char *name;
        int set; /* 0: two, 1: all */
        int date;
        int at; /* 0: none, 1: youte, 2: other, 3: central kitchen */
        const char *want;
    } v[] = {
        {"equal dates: the one listed (stored) last", 0, 0, 0, "same-day"},
        {"equal dates at a canteen: still the last", 0, 0, 2, "same-day"},
        {"the canteen's own version beats the district's of the same date", 1, 0, 1, "youte"},
        {"another canteen gets the district's", 1, 0, 2, "district"},
        {"no canteen: only versions for every canteen", 1, 0, 0, "district"},
        {"an older type-scoped version loses to a newer district one", 1, 0, 3, "district"},
        {"a later district version beats the canteen's", 1, 1, 1, "later"},
    };
    const zc_canteen *at[] = {NULL, &yt, &other, &ck};
    for (size_t i = 0; district && same_day && youte && kitchens && later && i < sizeof v / sizeof v[0];
         i++) {
        check_current = v[i].name;
        const zc_policy *s = v[i].set ? zc_policy_select_at(all, 4, v[i].date ? aug : mar, at[v[i].at])
                                      : zc_policy_select_at(two, 2, v[i].date ? aug : mar, at[v[i].at]);
        CHECK(s != NULL);
        if (s)
            CHECK_STR(zc_policy_version(s), v[i].want);
    }
    CHECK(zc_policy_applies_at(youte, &yt));
    CHECK(!zc_policy_applies_at(youte, &other));
    CHECK(!zc_policy_applies_at(youte, NULL));
    CHECK(zc_policy_applies_at(kitchens, &ck));
    CHECK(zc_policy_applies_at(district, NULL));
    CHECK(zc_policy_select(all, 4, (zc_date){2025, 7, 1}) == NULL); /* only kitchens then */
    /* a version for other canteens prices nothing, should it ever be used */
    zc_elder el = fx_elder("1940-01-01", "");
    zc_cart c = fx_meal(1200);
    zc_quote q;
    CHECK_OK(quote(youte, &el, &other, &c, "2026-03-02 11:30", NULL, false, NULL, 0, &q));
    EXPECT_REFUSED(&q, "r", ZC_R_CANTEEN_NOT_COVERED, "policy test youte is for other canteens, not ZH-XIANGZHOU");
    CHECK_INT(q.pay, 1200);
    CHECK_OK(quote(youte, &el, &yt, &c, "2026-03-02 11:30", NULL, false, NULL, 0, &q));
    EXPECT_APPLIED(&q, "r", 1200);
    zc_policy_free(district);
    zc_policy_free(same_day);
    zc_policy_free(youte);
    zc_policy_free(kitchens);
    zc_policy_free(later);
}

static const check_case cases[] = {
    {"working_days", t_working_days},
    {"canteen_addon", t_canteen_addon},
    {"issuing_canteen", t_issuing_canteen},
    {"delivered", t_delivered},
    {"loser_uses_no_count", t_loser_uses_no_count},
    {"select", t_select},
    {0, 0},
};

int main(int argc, char **argv) { return check_main("test_subsidy_scope", cases, argc, argv); }
