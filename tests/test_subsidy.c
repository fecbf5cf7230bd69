/* test_subsidy.c - the quote engine: who, when, which items, benefits,
 * funding splits, groups.  Limits and versions: test_subsidy_limits.c;
 * the shipped policies: test_subsidy_shipped.c. */
#include "subsidy_fixture.h"

#define LUNCH "2024-03-04 11:30" /* a Monday */

/* One rule, max group, 500 off eligible lines, city pays. */
#define R500(who) \
    "{\"id\":\"r\",\"group\":\"g\",\"who\":" who \
    ",\"benefit\":{\"type\":\"fixed_off\",\"fen\":500}," FX_CITY "}"

static void t_no_elder(void)
{
    zc_policy *p = fx_policy(FX_MAX, R500("{}"));
    zc_cart c = fx_meal(1200);
    zc_quote q;
    CHECK_OK(fx_quote(p, NULL, NULL, &c, LUNCH, NULL, NULL, 0, &q));
    CHECK_INT(q.napplied, 0);
    CHECK_INT(q.nrefusals, 1);
    CHECK_STR(q.refusals[0].rule, "");
    CHECK_INT(q.refusals[0].reason, ZC_R_NO_ELDER);
    CHECK_INT(q.pay, 1200);
    CHECK_STR(q.policy_id, "test");
    CHECK_STR(q.policy_version, "1");
    CHECK_STR(q.period, "lunch");
    fx_invariants(&q);
    zc_policy_free(p);
}

static void t_elder_status(void)
{
    zc_policy *p = fx_policy(FX_MAX, R500("{}"));
    zc_cart c = fx_meal(1200);
    static const struct {
        const char *name;
        zc_elder_status status;
        const char *from, *to; /* validity, NULL open */
        zc_reason why;         /* ZC_R_NONE: applies */
    } v[] = {
        {"active, open", ZC_ELDER_ACTIVE, NULL, NULL, ZC_R_NONE},
        {"suspended", ZC_ELDER_SUSPENDED, NULL, NULL, ZC_R_ELDER_INACTIVE},
        {"deceased", ZC_ELDER_DECEASED, NULL, NULL, ZC_R_ELDER_INACTIVE},
        {"valid from tomorrow", ZC_ELDER_ACTIVE, "2024-03-05", NULL, ZC_R_ELDER_NOT_VALID},
        {"valid from today", ZC_ELDER_ACTIVE, "2024-03-04", NULL, ZC_R_NONE},
        {"valid until today", ZC_ELDER_ACTIVE, NULL, "2024-03-04", ZC_R_NONE},
        {"valid until yesterday", ZC_ELDER_ACTIVE, "2020-01-01", "2024-03-03",
         ZC_R_ELDER_NOT_VALID},
    };
    for (size_t i = 0; i < sizeof v / sizeof v[0]; i++) {
        zc_elder e = fx_elder("1940-01-01", "");
        zc_quote q;
        e.status = v[i].status;
        if (v[i].from)
            CHECK_OK(zc_date_parse(v[i].from, &e.valid_from));
        if (v[i].to)
            CHECK_OK(zc_date_parse(v[i].to, &e.valid_to));
        CHECK_OK(fx_quote(p, &e, NULL, &c, LUNCH, NULL, NULL, 0, &q));
        if (v[i].why == ZC_R_NONE) {
            EXPECT_APPLIED(&q, "r", 500);
        } else {
            CHECK_INT(q.napplied, 0);
            CHECK_INT(q.nrefusals, 1);
            CHECK_INT(q.refusals[0].reason, v[i].why);
            CHECK_STR(q.refusals[0].rule, "");
        }
        fx_invariants(&q);
    }
    zc_policy_free(p);
}

static void t_age(void)
{
    zc_policy *p = fx_policy(FX_MAX, R500("{\"age_min\":80,\"age_max\":89}"));
    zc_cart c = fx_meal(1200);
    static const struct {
        const char *name, *birth, *at;
        zc_reason why;
        const char *detail;
    } v[] = {
        {"80th birthday today", "1944-03-04", "2024-03-04 11:30", ZC_R_NONE, ""},
        {"80th birthday tomorrow", "1944-03-05", "2024-03-04 11:30", ZC_R_TOO_YOUNG, "age 79 < 80"},
        {"leap-day born, leap year, on 29 Feb", "1944-02-29", "2024-02-29 11:30", ZC_R_NONE, ""},
        {"leap-day born, leap year, on 28 Feb", "1944-02-29", "2024-02-28 11:30", ZC_R_TOO_YOUNG,
         "age 79 < 80"},
        {"day before birthday, common year", "1941-02-28", "2021-02-27 11:30", ZC_R_TOO_YOUNG,
         "age 79"},
        {"90th birthday", "1934-03-04", "2024-03-04 11:30", ZC_R_TOO_OLD, "age 90 > 89"},
        {"day before 90th", "1934-03-05", "2024-03-04 11:30", ZC_R_NONE, ""},
    };
    for (size_t i = 0; i < sizeof v / sizeof v[0]; i++) {
        zc_elder e = fx_elder(v[i].birth, "");
        zc_quote q;
        CHECK_OK(fx_quote(p, &e, NULL, &c, v[i].at, NULL, NULL, 0, &q));
        if (v[i].why == ZC_R_NONE)
            EXPECT_APPLIED(&q, "r", 500);
        else
            EXPECT_REFUSED(&q, "r", v[i].why, v[i].detail);
    }
    zc_policy_free(p);

    /* 29 Feb birthdays in common years come on 1 March */
    p = fx_policy(FX_MAX, R500("{\"age_min\":79}"));
    zc_elder e = fx_elder("1944-02-29", "");
    zc_quote q;
    CHECK_OK(fx_quote(p, &e, NULL, &c, "2023-02-28 11:30", NULL, NULL, 0, &q));
    EXPECT_REFUSED(&q, "r", ZC_R_TOO_YOUNG, "age 78 < 79");
    CHECK_OK(fx_quote(p, &e, NULL, &c, "2023-03-01 11:30", NULL, NULL, 0, &q));
    EXPECT_APPLIED(&q, "r", 500);
    /* an unknown birth date never passes an age gate */
    e.birth.y = 0;
    CHECK_OK(fx_quote(p, &e, NULL, &c, LUNCH, NULL, NULL, 0, &q));
    EXPECT_REFUSED(&q, "r", ZC_R_TOO_YOUNG, "birth date unknown");
    zc_policy_free(p);
}

static void t_categories(void)
{
    zc_policy *p = fx_policy(
        FX_MAX, R500("{\"categories_any\":[\"tekun\",\"dibao\"],\"categories_all\":[\"disabled_care\"],"
                     "\"categories_none\":[\"youfu\"],\"category_levels\":{\"disabled_care\":2,"
                     "\"dibao\":1}}"));
    zc_cart c = fx_meal(1200);
    static const struct {
        const char *cats;
        zc_reason why;
        const char *detail;
    } v[] = {
        {"tekun;disabled_care:2", ZC_R_NONE, ""},
        {"dibao:1;disabled_care:3", ZC_R_NONE, ""},
        {"dibao;disabled_care:2", ZC_R_CATEGORY_MISSING, "holds none of tekun,dibao"},
        {"low_income;disabled_care:2", ZC_R_CATEGORY_MISSING, "holds none of tekun,dibao"},
        {"tekun", ZC_R_CATEGORY_MISSING, "lacks disabled_care"},
        {"tekun;disabled_care:1", ZC_R_CATEGORY_MISSING, "disabled_care level 1 < 2"},
        {"tekun;disabled_care:2;youfu", ZC_R_CATEGORY_EXCLUDED, "holds excluded youfu"},
        {"", ZC_R_CATEGORY_MISSING, "holds none"},
    };
    for (size_t i = 0; i < sizeof v / sizeof v[0]; i++) {
        zc_elder e = fx_elder("1950-01-01", v[i].cats);
        zc_quote q;
        CHECK_OK(fx_quote(p, &e, NULL, &c, LUNCH, NULL, NULL, 0, &q));
        if (v[i].why == ZC_R_NONE)
            EXPECT_APPLIED(&q, "r", 500);
        else
            EXPECT_REFUSED(&q, "r", v[i].why, v[i].detail);
    }
    zc_policy_free(p);
}

static void t_places(void)
{
    zc_policy *p = fx_policy(
        FX_MAX, R500("{\"registration\":{\"city\":\"110000\"},\"residence\":{\"district\":"
                     "\"110105\",\"town\":\"110105001\"},\"disability_grade\":[1,2],"
                     "\"care_home\":\"exclude\"}"));
    zc_cart c = fx_meal(1200);
    static const struct {
        const char *name, *reg_city, *res_district, *res_town;
        int grade;
        bool care_home;
        zc_reason why;
        const char *detail;
    } v[] = {
        {"all fine", "110000", "110105", "110105001", 2, false, ZC_R_NONE, ""},
        {"grade 1", "110000", "110105", "110105001", 1, false, ZC_R_NONE, ""},
        {"registered elsewhere", "120000", "110105", "110105001", 1, false, ZC_R_NOT_REGISTERED,
         "registration city 120000 is not 110000"},
        {"no registration", "", "110105", "110105001", 1, false, ZC_R_NOT_REGISTERED,
         "(none)"},
        {"lives in another district", "110000", "110108", "110105001", 1, false,
         ZC_R_NOT_RESIDENT, "residence district 110108 is not 110105"},
        {"lives in another town", "110000", "110105", "110105002", 1, false, ZC_R_NOT_RESIDENT,
         "residence town"},
        {"grade 3", "110000", "110105", "110105001", 3, false, ZC_R_DISABILITY,
         "disability grade 3"},
        {"no grade", "110000", "110105", "110105001", 0, false, ZC_R_DISABILITY,
         "no disability grade"},
        {"care home", "110000", "110105", "110105001", 1, true, ZC_R_CARE_HOME, "care home"},
    };
    for (size_t i = 0; i < sizeof v / sizeof v[0]; i++) {
        zc_elder e = fx_elder("1950-01-01", "");
        zc_quote q;
        fx_reg(&e, v[i].reg_city, "", "");
        fx_res(&e, "110000", v[i].res_district, v[i].res_town);
        e.disability_grade = v[i].grade;
        e.care_home = v[i].care_home;
        CHECK_OK(fx_quote(p, &e, NULL, &c, LUNCH, NULL, NULL, 0, &q));
        if (v[i].why == ZC_R_NONE)
            EXPECT_APPLIED(&q, "r", 500);
        else
            EXPECT_REFUSED(&q, "r", v[i].why, v[i].detail);
    }
    zc_policy_free(p);

    /* care_home "only" */
    p = fx_policy(FX_MAX, R500("{\"care_home\":\"only\"}"));
    zc_elder e = fx_elder("1950-01-01", "");
    zc_quote q;
    CHECK_OK(fx_quote(p, &e, NULL, &c, LUNCH, NULL, NULL, 0, &q));
    EXPECT_REFUSED(&q, "r", ZC_R_CARE_HOME, "does not live in a care home");
    e.care_home = true;
    CHECK_OK(fx_quote(p, &e, NULL, &c, LUNCH, NULL, NULL, 0, &q));
    EXPECT_APPLIED(&q, "r", 500);
    zc_policy_free(p);
}

static void t_alternatives(void)
{
    /* like Tianjin: 80+, or 70+ living alone, or 60-69 with grade 1-2 */
    zc_policy *p = fx_policy(
        FX_MAX, R500("[{\"age_min\":80},{\"age_min\":70,\"categories_any\":[\"living_alone\"]},"
                     "{\"age_min\":60,\"age_max\":69,\"disability_grade\":[1,2]}]"));
    zc_cart c = fx_meal(1200);
    static const struct {
        const char *birth, *cats;
        int grade;
        zc_reason why;
        const char *detail;
    } v[] = {
        {"1940-01-01", "", 0, ZC_R_NONE, ""},             /* 84 */
        {"1950-01-01", "living_alone", 0, ZC_R_NONE, ""}, /* 74 */
        {"1960-01-01", "", 2, ZC_R_NONE, ""},             /* 64 */
        /* 74 alone-less: the 70+ alternative got furthest */
        {"1950-01-01", "", 0, ZC_R_CATEGORY_MISSING, "living_alone"},
        /* 64 with grade 3: the grade alternative got furthest */
        {"1960-01-01", "", 3, ZC_R_DISABILITY, "grade 3"},
        /* 55: every alternative stops at age; the nearest bound is reported */
        {"1969-01-01", "", 1, ZC_R_TOO_YOUNG, "age 55 < 60"},
        /* 95: the first alternative; the others need not match */
        {"1929-01-01", "", 0, ZC_R_NONE, ""},
    };
    for (size_t i = 0; i < sizeof v / sizeof v[0]; i++) {
        zc_elder e = fx_elder(v[i].birth, v[i].cats);
        zc_quote q;
        e.disability_grade = v[i].grade;
        CHECK_OK(fx_quote(p, &e, NULL, &c, LUNCH, NULL, NULL, 0, &q));
        if (v[i].why == ZC_R_NONE)
            EXPECT_APPLIED(&q, "r", 500);
        else
            EXPECT_REFUSED(&q, "r", v[i].why, v[i].detail);
    }
    zc_policy_free(p);
}

static void t_periods(void)
{
    zc_policy *p = fx_policy(
        FX_MAX, "{\"id\":\"r\",\"group\":\"g\",\"periods\":[\"lunch\",\"dinner\"],"
                "\"benefit\":{\"type\":\"fixed_off\",\"fen\":500}," FX_CITY "}");
    zc_elder e = fx_elder("1940-01-01", "");
    zc_cart c = fx_meal(1200);
    static const struct {
        const char *at, *override, *period;
        zc_reason why;
        const char *detail;
    } v[] = {
        {"2024-03-04 10:30", NULL, "lunch", ZC_R_NONE, ""},
        {"2024-03-04 13:29", NULL, "lunch", ZC_R_NONE, ""},
        {"2024-03-04 13:30", NULL, "", ZC_R_OUTSIDE_PERIOD, "13:30 is in no meal period"},
        {"2024-03-04 10:29", NULL, "", ZC_R_OUTSIDE_PERIOD, "10:29"},
        {"2024-03-04 07:00", NULL, "breakfast", ZC_R_PERIOD_NOT_COVERED,
         "breakfast is not covered"},
        {"2024-03-04 18:59", NULL, "dinner", ZC_R_NONE, ""},
        /* the cashier says "lunch" at 14:10 (a late lunch) */
        {"2024-03-04 14:10", "lunch", "lunch", ZC_R_NONE, ""},
        {"2024-03-04 11:00", "breakfast", "breakfast", ZC_R_PERIOD_NOT_COVERED, "breakfast"},
        {"2024-03-04 11:00", "", "lunch", ZC_R_NONE, ""},
    };
    for (size_t i = 0; i < sizeof v / sizeof v[0]; i++) {
        zc_quote q;
        CHECK_OK(fx_quote(p, &e, NULL, &c, v[i].at, v[i].override, NULL, 0, &q));
        CHECK_STR(q.period, v[i].period);
        if (v[i].why == ZC_R_NONE)
            EXPECT_APPLIED(&q, "r", 500);
        else
            EXPECT_REFUSED(&q, "r", v[i].why, v[i].detail);
    }
    /* an override the policy does not know is a programming error */
    zc_quote_in in;
    zc_quote q;
    zc_err err = {""};
    memset(&in, 0, sizeof in);
    in.policy = p;
    in.elder = &e;
    in.cart = &c;
    in.period = "supper";
    CHECK_OK(zc_datetime_parse(LUNCH, &in.at));
    CHECK_INT(zc_quote_compute(&in, &q, &err), ZC_EINVAL);
    CHECK(strstr(err.msg, "supper") != NULL);
    zc_policy_free(p);
}

static void t_min_bill(void)
{
    static const struct {
        const char *op;
        zc_fen bill;
        bool applies;
    } v[] = {
        {">", 500, false}, {">", 501, true}, {">=", 500, true}, {">=", 499, false},
    };
    for (size_t i = 0; i < sizeof v / sizeof v[0]; i++) {
        char rule[512];
        snprintf(rule, sizeof rule,
                 "{\"id\":\"r\",\"group\":\"g\",\"min_bill_fen\":500,\"min_bill_op\":\"%s\","
                 "\"benefit\":{\"type\":\"fixed_off\",\"fen\":300}," FX_CITY "}",
                 v[i].op);
        zc_policy *p = fx_policy(FX_MAX, rule);
        zc_elder e = fx_elder("1940-01-01", "");
        zc_cart c = fx_meal(v[i].bill);
        fx_add(&c, "drink", 1000, 1, false); /* not eligible: does not count */
        zc_quote q;
        CHECK_OK(fx_quote(p, &e, NULL, &c, LUNCH, NULL, NULL, 0, &q));
        if (v[i].applies) {
            EXPECT_APPLIED(&q, "r", 300);
            CHECK_INT(q.pay, v[i].bill + 1000 - 300);
        } else {
            EXPECT_REFUSED(&q, "r", ZC_R_BELOW_MIN_BILL, v[i].op);
        }
        fx_invariants(&q);
        zc_policy_free(p);
    }
    /* the default operator is ">=" */
    zc_policy *p = fx_policy(FX_MAX, "{\"id\":\"r\",\"group\":\"g\",\"min_bill_fen\":500,"
                                     "\"benefit\":{\"type\":\"free\"}," FX_CITY "}");
    zc_elder e = fx_elder("1940-01-01", "");
    zc_cart c = fx_meal(500);
    zc_quote q;
    CHECK_OK(fx_quote(p, &e, NULL, &c, LUNCH, NULL, NULL, 0, &q));
    EXPECT_APPLIED(&q, "r", 500);
    zc_policy_free(p);
}

/* Items and benefits: base eligible/all/one_eligible, each benefit type. */
static void t_benefits(void)
{
    static const struct {
        const char *name, *items, *benefit;
        zc_fen want; /* 0: refused nothing_left */
    } v[] = {
        /* cart: 2 x set 1299 (eligible), 1 x soup 300 (eligible), 1 x beer 700 (not) */
        {"fixed off", "eligible", "{\"type\":\"fixed_off\",\"fen\":500}", 500},
        {"fixed off above the base", "eligible", "{\"type\":\"fixed_off\",\"fen\":9999}", 2898},
        {"fixed off above the bill, all", "all", "{\"type\":\"fixed_off\",\"fen\":9999}", 3598},
        {"10 percent rounds down", "eligible", "{\"type\":\"percent_off\",\"percent\":10}", 289},
        {"12.5 percent rounds down", "one_eligible", "{\"type\":\"percent_off\",\"percent\":12.5}",
         162},
        {"percent capped", "eligible", "{\"type\":\"percent_off\",\"percent\":50,\"cap_fen\":1000}",
         1000},
        {"percent of all", "all", "{\"type\":\"percent_off\",\"percent\":25}", 899},
        {"free", "eligible", "{\"type\":\"free\"}", 2898},
        {"free, one unit", "one_eligible", "{\"type\":\"free\"}", 1299},
        {"free, all", "all", "{\"type\":\"free\"}", 3598},
        {"fixed price below the bill", "one_eligible", "{\"type\":\"fixed_price\",\"fen\":300}", 999},
        {"fixed price for all eligible", "eligible", "{\"type\":\"fixed_price\",\"fen\":300}", 2598},
        {"fixed price above the unit", "one_eligible", "{\"type\":\"fixed_price\",\"fen\":1500}", 0},
        {"fixed price equal to the unit", "one_eligible", "{\"type\":\"fixed_price\",\"fen\":1299}",
         0},
        {"fixed price zero", "one_eligible", "{\"type\":\"fixed_price\",\"fen\":0}", 1299},
    };
    for (size_t i = 0; i < sizeof v / sizeof v[0]; i++) {
        char rule[512];
        snprintf(rule, sizeof rule,
                 "{\"id\":\"r\",\"group\":\"g\",\"items\":\"%s\",\"benefit\":%s," FX_CITY "}",
                 v[i].items, v[i].benefit);
        zc_policy *p = fx_policy(FX_MAX, rule);
        zc_elder e = fx_elder("1940-01-01", "");
        zc_cart c;
        memset(&c, 0, sizeof c);
        fx_add(&c, "soup", 300, 1, true);
        fx_add(&c, "set", 1299, 2, true);
        fx_add(&c, "beer", 700, 1, false);
        zc_quote q;
        CHECK_OK(fx_quote(p, &e, NULL, &c, LUNCH, NULL, NULL, 0, &q));
        CHECK_INT(q.gross, 3598);
        CHECK_INT(q.eligible, 2898);
        if (v[i].want) {
            if (!fx_applied(&q, "r"))
                fprintf(stderr, "  case %s\n", v[i].name);
            EXPECT_APPLIED(&q, "r", v[i].want);
            CHECK_INT(q.pay, 3598 - v[i].want);
        } else {
            EXPECT_REFUSED(&q, "r", ZC_R_NOTHING_LEFT, "not above the price");
            CHECK_INT(q.pay, 3598);
        }
        fx_invariants(&q);
        zc_policy_free(p);
    }
}

static void t_small_amounts(void)
{
    zc_policy *p = fx_policy(FX_MAX, "{\"id\":\"r\",\"group\":\"g\",\"benefit\":{\"type\":"
                                     "\"percent_off\",\"percent\":10}," FX_CITY "}");
    zc_elder e = fx_elder("1940-01-01", "");
    zc_quote q;
    zc_cart c = fx_meal(9); /* 10% of 9 fen is 0.9 fen: rounds to nothing */
    CHECK_OK(fx_quote(p, &e, NULL, &c, LUNCH, NULL, NULL, 0, &q));
    EXPECT_REFUSED(&q, "r", ZC_R_NOTHING_LEFT, "rounds down to 0");
    c = fx_meal(10);
    CHECK_OK(fx_quote(p, &e, NULL, &c, LUNCH, NULL, NULL, 0, &q));
    EXPECT_APPLIED(&q, "r", 1);
    /* nothing eligible, empty cart */
    memset(&c, 0, sizeof c);
    fx_add(&c, "beer", 700, 1, false);
    CHECK_OK(fx_quote(p, &e, NULL, &c, LUNCH, NULL, NULL, 0, &q));
    EXPECT_REFUSED(&q, "r", ZC_R_NO_ELIGIBLE_ITEMS, "no subsidy-eligible dish");
    CHECK_INT(q.pay, 700);
    memset(&c, 0, sizeof c);
    CHECK_OK(fx_quote(p, &e, NULL, &c, LUNCH, NULL, NULL, 0, &q));
    EXPECT_REFUSED(&q, "r", ZC_R_NO_ELIGIBLE_ITEMS, "");
    CHECK_INT(q.pay, 0);
    zc_policy_free(p);
}

/* Funding: 1000 fen subsidy split in every form. */
static void t_funding(void)
{
    static const struct {
        const char *name, *funding;
        const char *home_district, *home_town; /* elder's registration */
        bool canteen;
        zc_fen city, district, town, op, given;
    } v[] = {
        {"rest only", "[{\"source\":\"district\",\"rest\":true}]", "D1", "T1", true, 0, 1000, 0, 0,
         1000},
        {"fen then rest", "[{\"source\":\"city\",\"fen\":300},{\"source\":\"district\",\"rest\":true}]",
         "D1", "T1", true, 300, 700, 0, 0, 1000},
        {"fen above the amount", "[{\"source\":\"city\",\"fen\":3000},{\"source\":\"district\","
                                 "\"rest\":true}]",
         "D1", "T1", true, 1000, 0, 0, 0, 1000},
        {"thirds round down, rest takes the fen", "[{\"source\":\"city\",\"pct\":33.33},"
                                                  "{\"source\":\"district\",\"pct\":33.33},"
                                                  "{\"source\":\"town\",\"rest\":true}]",
         "D1", "T1", true, 333, 333, 334, 0, 1000},
        {"pct without rest leaves the elder the gap", "[{\"source\":\"city\",\"pct\":60}]", "D1",
         "T1", true, 600, 0, 0, 0, 600},
        {"fen without rest", "[{\"source\":\"city\",\"fen\":250}]", "D1", "T1", true, 250, 0, 0, 0,
         250},
        {"only_if district passes", "[{\"source\":\"city\",\"pct\":50},{\"source\":\"district\","
                                    "\"rest\":true,\"only_if\":\"home_district\"}]",
         "D1", "T9", true, 500, 500, 0, 0, 500 + 500},
        {"only_if district fails", "[{\"source\":\"city\",\"pct\":50},{\"source\":\"district\","
                                   "\"rest\":true,\"only_if\":\"home_district\"}]",
         "D2", "T1", true, 500, 0, 0, 0, 500},
        {"failed share is not moved to rest", "[{\"source\":\"town\",\"pct\":30,\"only_if\":"
                                              "\"home_town\"},{\"source\":\"operator\",\"rest\":true}]",
         "D1", "T2", true, 0, 0, 0, 700, 700},
        {"only_if town passes", "[{\"source\":\"town\",\"pct\":30,\"only_if\":\"home_town\"},"
                                "{\"source\":\"operator\",\"rest\":true}]",
         "D1", "T1", true, 0, 0, 300, 700, 1000},
        {"only_if city", "[{\"source\":\"city\",\"rest\":true,\"only_if\":\"home_city\"}]", "D1",
         "T1", true, 1000, 0, 0, 0, 1000},
        {"no canteen: home conditions fail", "[{\"source\":\"city\",\"pct\":50},{\"source\":"
                                             "\"district\",\"rest\":true,\"only_if\":\"home_district\"}]",
         "D1", "T1", false, 500, 0, 0, 0, 500},
    };
    for (size_t i = 0; i < sizeof v / sizeof v[0]; i++) {
        char rule[600];
        snprintf(rule, sizeof rule,
                 "{\"id\":\"r\",\"group\":\"g\",\"benefit\":{\"type\":\"fixed_off\",\"fen\":1000},"
                 "\"funding\":%s}",
                 v[i].funding);
        zc_policy *p = fx_policy(FX_MAX, rule);
        zc_elder e = fx_elder("1940-01-01", "");
        fx_reg(&e, "C1", v[i].home_district, v[i].home_town);
        zc_canteen k = fx_canteen("C1", "D1", "T1");
        zc_cart c = fx_meal(1500);
        zc_quote q;
        CHECK_OK(fx_quote(p, &e, v[i].canteen ? &k : NULL, &c, LUNCH, NULL, NULL, 0, &q));
        if (!fx_applied(&q, "r"))
            fprintf(stderr, "  case %s\n", v[i].name);
        EXPECT_APPLIED(&q, "r", v[i].given);
        CHECK_INT(fx_part(&q, "r", "city"), v[i].city);
        CHECK_INT(fx_part(&q, "r", "district"), v[i].district);
        CHECK_INT(fx_part(&q, "r", "town"), v[i].town);
        CHECK_INT(fx_part(&q, "r", "operator"), v[i].op);
        CHECK_INT(q.pay, 1500 - v[i].given);
        fx_invariants(&q);
        zc_policy_free(p);
    }

    /* every source conditional and none holds: no_funding */
    zc_policy *p = fx_policy(
        FX_MAX, "{\"id\":\"r\",\"group\":\"g\",\"benefit\":{\"type\":\"fixed_off\",\"fen\":1000},"
                "\"funding\":[{\"source\":\"district\",\"pct\":50,\"only_if\":\"home_district\"},"
                "{\"source\":\"town\",\"rest\":true,\"only_if\":\"home_town\"}]}");
    zc_elder e = fx_elder("1940-01-01", "");
    fx_reg(&e, "C1", "D2", "T2");
    zc_canteen k = fx_canteen("C1", "D1", "T1");
    zc_cart c = fx_meal(1500);
    zc_quote q;
    CHECK_OK(fx_quote(p, &e, &k, &c, LUNCH, NULL, NULL, 0, &q));
    EXPECT_REFUSED(&q, "r", ZC_R_NO_FUNDING, "D1");
    CHECK_INT(q.pay, 1500);
    CHECK_INT(q.nparts, 0);
    zc_policy_free(p);
}

/* "home": residence makes only_if look at where the elder lives. */
static void t_home(void)
{
    static const char rule[] =
        "{\"id\":\"r\",\"group\":\"g\",\"benefit\":{\"type\":\"fixed_off\",\"fen\":400},"
        "\"funding\":[{\"source\":\"district\",\"rest\":true,\"only_if\":\"home_district\"}]}";
    zc_policy *reg = fx_policy(FX_MAX, rule);
    zc_policy *res = fx_policy_v("1", "2020-01-01", NULL, "\"home\":\"residence\",", FX_MAX, rule);
    zc_elder e = fx_elder("1940-01-01", "");
    fx_reg(&e, "C1", "D1", "");
    fx_res(&e, "C1", "D2", "");
    zc_canteen k = fx_canteen("C1", "D2", "");
    zc_cart c = fx_meal(1000);
    zc_quote q;
    CHECK_OK(fx_quote(reg, &e, &k, &c, LUNCH, NULL, NULL, 0, &q));
    EXPECT_REFUSED(&q, "r", ZC_R_NO_FUNDING, "");
    CHECK_OK(fx_quote(res, &e, &k, &c, LUNCH, NULL, NULL, 0, &q));
    EXPECT_APPLIED(&q, "r", 400);
    zc_policy_free(reg);
    zc_policy_free(res);
}

/* max: highest wins, ties go to the first declared; sum: all add up. */
static void t_combine(void)
{
    static const char rules[] =
        "{\"id\":\"a\",\"group\":\"g\",\"benefit\":{\"type\":\"fixed_off\",\"fen\":300}," FX_CITY "},"
        "{\"id\":\"b\",\"group\":\"g\",\"who\":{\"categories_any\":[\"dibao\"]},"
        "\"benefit\":{\"type\":\"fixed_off\",\"fen\":500}," FX_CITY "},"
        "{\"id\":\"c\",\"group\":\"g\",\"who\":{\"age_min\":90},"
        "\"benefit\":{\"type\":\"fixed_off\",\"fen\":500}," FX_CITY "}";
    zc_policy *pmax = fx_policy(FX_MAX, rules);
    zc_policy *psum = fx_policy(FX_SUM, rules);
    zc_cart c = fx_meal(1200);
    zc_quote q;

    zc_elder plain = fx_elder("1940-01-01", "");
    CHECK_OK(fx_quote(pmax, &plain, NULL, &c, LUNCH, NULL, NULL, 0, &q));
    EXPECT_APPLIED(&q, "a", 300);
    EXPECT_REFUSED(&q, "b", ZC_R_CATEGORY_MISSING, "dibao");
    EXPECT_REFUSED(&q, "c", ZC_R_TOO_YOUNG, "< 90");

    zc_elder dibao = fx_elder("1940-01-01", "dibao");
    CHECK_OK(fx_quote(pmax, &dibao, NULL, &c, LUNCH, NULL, NULL, 0, &q));
    EXPECT_APPLIED(&q, "b", 500);
    EXPECT_REFUSED(&q, "a", ZC_R_OUTRANKED, "b gives 500");
    CHECK_INT(q.pay, 700);

    /* b and c tie at 500: b is declared first */
    zc_elder both = fx_elder("1930-01-01", "dibao");
    CHECK_OK(fx_quote(pmax, &both, NULL, &c, LUNCH, NULL, NULL, 0, &q));
    EXPECT_APPLIED(&q, "b", 500);
    EXPECT_REFUSED(&q, "c", ZC_R_OUTRANKED, "b gives 500");
    CHECK_INT(q.napplied, 1);

    /* sum: 300 + 500 + 500 but the meal is 1200: the last gets 400 */
    CHECK_OK(fx_quote(psum, &both, NULL, &c, LUNCH, NULL, NULL, 0, &q));
    EXPECT_APPLIED(&q, "a", 300);
    EXPECT_APPLIED(&q, "b", 500);
    EXPECT_APPLIED(&q, "c", 400);
    CHECK_INT(q.pay, 0);
    fx_invariants(&q);

    /* sum on a smaller meal: the third finds nothing left */
    c = fx_meal(700);
    CHECK_OK(fx_quote(psum, &both, NULL, &c, LUNCH, NULL, NULL, 0, &q));
    EXPECT_APPLIED(&q, "a", 300);
    EXPECT_APPLIED(&q, "b", 400);
    EXPECT_REFUSED(&q, "c", ZC_R_NOTHING_LEFT, "whole eligible");
    CHECK_INT(q.pay, 0);
    fx_invariants(&q);
    zc_policy_free(pmax);
    zc_policy_free(psum);
}

/* Groups apply in declared order; later groups see what is left. */
static void t_stacking(void)
{
    static const char groups[] =
        "{\"id\":\"discount\",\"combine\":\"max\"},{\"id\":\"subsidy\",\"combine\":\"max\"}";
    /* rules listed subsidy-first: the group order decides, not the rule order */
    static const char rules[] =
        "{\"id\":\"free\",\"group\":\"subsidy\",\"benefit\":{\"type\":\"fixed_price\",\"fen\":200},"
        "\"items\":\"one_eligible\"," FX_CITY "},"
        "{\"id\":\"disc\",\"group\":\"discount\",\"benefit\":{\"type\":\"percent_off\",\"percent\":"
        "20}," FX_CITY "},"
        "{\"id\":\"all\",\"group\":\"subsidy2\",\"items\":\"all\",\"benefit\":{\"type\":"
        "\"fixed_off\",\"fen\":5000}," FX_CITY "}";
    char g3[256];
    snprintf(g3, sizeof g3, "%s,{\"id\":\"subsidy2\",\"combine\":\"sum\"}", groups);
    zc_policy *p = fx_policy(g3, rules);
    zc_elder e = fx_elder("1940-01-01", "");
    zc_cart c = fx_meal(1000);
    fx_add(&c, "beer", 600, 1, false);
    zc_quote q;
    CHECK_OK(fx_quote(p, &e, NULL, &c, LUNCH, NULL, NULL, 0, &q));
    /* 20% of 1000 = 200; fixed price 200 on the 800 left = 600; "all" takes the
     * rest of the whole bill: 1600 - 800 = 800 */
    EXPECT_APPLIED(&q, "disc", 200);
    EXPECT_APPLIED(&q, "free", 600);
    EXPECT_APPLIED(&q, "all", 800);
    CHECK_STR(q.applied[0].rule, "disc");
    CHECK_STR(q.applied[1].rule, "free");
    CHECK_STR(q.applied[0].group, "discount");
    CHECK_INT(q.pay, 0);
    CHECK_INT(q.subsidy, 1600);
    fx_invariants(&q);
    zc_policy_free(p);
}

static void t_bad_input(void)
{
    zc_policy *p = fx_policy(FX_MAX, R500("{}"));
    zc_cart c = fx_meal(1200);
    zc_quote q;
    zc_err err = {""};
    zc_quote_in in;
    memset(&in, 0, sizeof in);
    in.policy = p;
    in.cart = &c;
    CHECK_OK(zc_datetime_parse(LUNCH, &in.at));
    CHECK_OK(zc_quote_compute(&in, &q, &err));
    CHECK_INT(zc_quote_compute(&in, NULL, &err), ZC_EINVAL);
    CHECK_INT(zc_quote_compute(NULL, &q, &err), ZC_EINVAL);
    in.policy = NULL;
    CHECK_INT(zc_quote_compute(&in, &q, &err), ZC_EINVAL);
    in.policy = p;
    in.cart = NULL;
    CHECK_INT(zc_quote_compute(&in, &q, &err), ZC_EINVAL);
    in.cart = &c;
    c.lines[0].unit_fen = -1;
    CHECK_INT(zc_quote_compute(&in, &q, &err), ZC_EINVAL);
    c.lines[0].unit_fen = 100;
    c.lines[0].qty = 0;
    CHECK_INT(zc_quote_compute(&in, &q, &err), ZC_EINVAL);
    c.lines[0].qty = 1;
    in.nuses = 2;
    CHECK_INT(zc_quote_compute(&in, &q, &err), ZC_EINVAL);
    in.nuses = 0;
    in.at.date.m = 13;
    CHECK_INT(zc_quote_compute(&in, &q, &err), ZC_EINVAL);
    zc_policy_free(p);
}

static void t_reasons(void)
{
    int bad = 0;
    for (int r = 0; r < ZC_R_COUNT; r++) {
        const char *code = zc_reason_code((zc_reason)r);
        if (!code[0] || strcmp(code, "unknown") == 0)
            bad++;
        for (int s = 0; s < r; s++)
            if (strcmp(code, zc_reason_code((zc_reason)s)) == 0 ||
                (r && s && strcmp(zc_reason_text((zc_reason)r, "zh"),
                                  zc_reason_text((zc_reason)s, "zh")) == 0))
                bad++;
        if (r && (!zc_reason_text((zc_reason)r, "zh")[0] || !zc_reason_text((zc_reason)r, "en")[0]))
            bad++;
    }
    CHECK_INT(bad, 0);
    CHECK_STR(zc_reason_code(ZC_R_TOO_YOUNG), "too_young");
    CHECK_STR(zc_reason_code(ZC_R_LIMIT_WEEK), "limit_week");
    CHECK_STR(zc_reason_code(ZC_R_NO_FUNDING), "no_funding");
    CHECK_STR(zc_reason_text(ZC_R_TOO_YOUNG, "zh"), "年龄未到");
    CHECK_STR(zc_reason_text(ZC_R_LIMIT_WEEK, "zh-CN"), "本周次数已用完");
    CHECK_STR(zc_reason_text(ZC_R_TOO_YOUNG, "en"), "too young");
    CHECK_STR(zc_reason_text(ZC_R_TOO_YOUNG, NULL), "too young");
    CHECK_STR(zc_reason_code(ZC_R_COUNT), "unknown");
    CHECK_STR(zc_reason_text((zc_reason)-1, "zh"), "未知原因");
}

static const check_case cases[] = {
    {"no_elder", t_no_elder},
    {"elder_status", t_elder_status},
    {"age", t_age},
    {"categories", t_categories},
    {"places", t_places},
    {"alternatives", t_alternatives},
    {"periods", t_periods},
    {"min_bill", t_min_bill},
    {"benefits", t_benefits},
    {"small_amounts", t_small_amounts},
    {"funding", t_funding},
    {"home", t_home},
    {"combine", t_combine},
    {"stacking", t_stacking},
    {"bad_input", t_bad_input},
    {"reasons", t_reasons},
    {0, 0},
};

int main(int argc, char **argv) { return check_main("test_subsidy", cases, argc, argv); }
