/* test_subsidy_limits.c - use counts, amount caps, shared keys, calendar
 * boundaries and policy versions switching at midnight. */
#include "subsidy_fixture.h"

static zc_policy *limited(const char *limits, zc_fen fen)
{
    char rule[512];
    snprintf(rule, sizeof rule,
             "{\"id\":\"r\",\"group\":\"g\",\"benefit\":{\"type\":\"fixed_off\",\"fen\":%lld},"
             "\"limits\":%s," FX_CITY "}",
             (long long)fen, limits);
    return fx_policy(FX_MAX, rule);
}

static void t_per_day(void)
{
    zc_policy *p = limited("{\"per_day\":1}", 500);
    zc_elder e = fx_elder("1940-01-01", "");
    zc_cart c = fx_meal(1200);
    zc_quote q;
    static const struct {
        const char *name, *use_date, *use_key, *at;
        bool applies;
    } v[] = {
        {"used earlier today", "2024-03-04", "r", "2024-03-04 17:00", false},
        {"used yesterday", "2024-03-03", "r", "2024-03-04 11:00", true},
        {"used yesterday, late at night", "2024-03-03", "r", "2024-03-04 00:00", true},
        {"other key today", "2024-03-04", "other", "2024-03-04 17:00", true},
    };
    for (size_t i = 0; i < sizeof v / sizeof v[0]; i++) {
        zc_use u = fx_use(v[i].use_date, "lunch", v[i].use_key, 500);
        CHECK_OK(fx_quote(p, &e, NULL, &c, v[i].at, NULL, &u, 1, &q));
        if (v[i].applies) {
            EXPECT_APPLIED(&q, "r", 500);
            CHECK_INT(q.applied[0].left_day, 0);
            CHECK_INT(q.applied[0].left_week, -1);
            CHECK_STR(q.applied[0].key, "r");
        } else {
            EXPECT_REFUSED(&q, "r", ZC_R_LIMIT_DAY, "1 of 1 used today");
        }
    }
    /* no limits at all: -1 both */
    zc_policy_free(p);
    p = fx_policy(FX_MAX, "{\"id\":\"r\",\"group\":\"g\",\"benefit\":{\"type\":\"fixed_off\","
                          "\"fen\":100}," FX_CITY "}");
    CHECK_OK(fx_quote(p, &e, NULL, &c, "2024-03-04 11:00", NULL, NULL, 0, &q));
    CHECK_INT(q.applied[0].left_day, -1);
    CHECK_INT(q.applied[0].left_week, -1);
    zc_policy_free(p);
}

static void t_per_period(void)
{
    zc_policy *p = limited("{\"per_period_day\":1,\"per_day\":2}", 500);
    zc_elder e = fx_elder("1940-01-01", "");
    zc_cart c = fx_meal(1200);
    zc_quote q;
    zc_use u = fx_use("2024-03-04", "lunch", "r", 500);
    CHECK_OK(fx_quote(p, &e, NULL, &c, "2024-03-04 12:00", NULL, &u, 1, &q));
    EXPECT_REFUSED(&q, "r", ZC_R_LIMIT_PERIOD, "1 of 1 used this lunch");
    CHECK_OK(fx_quote(p, &e, NULL, &c, "2024-03-04 17:00", NULL, &u, 1, &q));
    EXPECT_APPLIED(&q, "r", 500);
    CHECK_INT(q.applied[0].left_day, 0);
    /* yesterday's lunch does not count */
    u = fx_use("2024-03-03", "lunch", "r", 500);
    CHECK_OK(fx_quote(p, &e, NULL, &c, "2024-03-04 12:00", NULL, &u, 1, &q));
    EXPECT_APPLIED(&q, "r", 500);
    CHECK_INT(q.applied[0].left_day, 1);
    zc_policy_free(p);
}

/* Weeks run Monday 00:00 to Sunday 23:59. 2024-03-04 is a Monday. */
static void t_per_week(void)
{
    zc_policy *p = limited("{\"per_day\":1,\"per_week\":5}", 300);
    zc_elder e = fx_elder("1940-01-01", "");
    zc_cart c = fx_meal(1200);
    zc_quote q;
    zc_use u[6];
    for (int i = 0; i < 5; i++) {
        char d[24];
        snprintf(d, sizeof d, "2024-03-%02d", 4 + i);
        u[i] = fx_use(d, "lunch", "r", 300);
    }
    u[5] = fx_use("2024-03-03", "lunch", "r", 300); /* the Sunday before: last week */

    CHECK_OK(fx_quote(p, &e, NULL, &c, "2024-03-10 23:59", NULL, u, 6, &q));
    CHECK_STR(q.period, "late");
    EXPECT_REFUSED(&q, "r", ZC_R_LIMIT_WEEK, "5 of 5 used this week");
    CHECK_INT(q.pay, 1200);

    CHECK_OK(fx_quote(p, &e, NULL, &c, "2024-03-11 00:00", NULL, u, 6, &q));
    CHECK_STR(q.period, "night");
    EXPECT_APPLIED(&q, "r", 300);
    CHECK_INT(q.applied[0].left_week, 4);
    CHECK_INT(q.applied[0].left_day, 0);

    /* four used: the fifth on Sunday is the last */
    CHECK_OK(fx_quote(p, &e, NULL, &c, "2024-03-10 23:59", NULL, u + 1, 5, &q));
    EXPECT_APPLIED(&q, "r", 300);
    CHECK_INT(q.applied[0].left_week, 0);

    /* uses of the next week do not count for this Sunday (a centre re-check
     * may pass them), nor this week's for last Sunday */
    zc_use next[5];
    for (int i = 0; i < 5; i++) {
        char d[24];
        snprintf(d, sizeof d, "2024-03-%02d", 11 + i);
        next[i] = fx_use(d, "lunch", "r", 300);
    }
    zc_use mix[5] = {u[1], u[2], u[3], u[4], next[0]}; /* 4 this week + next Monday */
    CHECK_OK(fx_quote(p, &e, NULL, &c, "2024-03-10 18:00", NULL, mix, 5, &q));
    EXPECT_APPLIED(&q, "r", 300);
    CHECK_INT(q.applied[0].left_week, 0);
    CHECK_OK(fx_quote(p, &e, NULL, &c, "2024-03-03 18:00", NULL, u, 5, &q));
    EXPECT_APPLIED(&q, "r", 300);

    /* a week across a month and a year: Mon 2024-12-30 .. Sun 2025-01-05 */
    zc_use y[5] = {fx_use("2024-12-30", "lunch", "r", 300), fx_use("2024-12-31", "lunch", "r", 300),
                   fx_use("2025-01-01", "lunch", "r", 300), fx_use("2025-01-02", "lunch", "r", 300),
                   fx_use("2025-01-03", "lunch", "r", 300)};
    CHECK_OK(fx_quote(p, &e, NULL, &c, "2025-01-05 12:00", NULL, y, 5, &q));
    EXPECT_REFUSED(&q, "r", ZC_R_LIMIT_WEEK, "5 of 5");
    CHECK_OK(fx_quote(p, &e, NULL, &c, "2025-01-06 12:00", NULL, y, 5, &q));
    EXPECT_APPLIED(&q, "r", 300);
    zc_policy_free(p);
}

static void t_per_month(void)
{
    zc_policy *p = limited("{\"per_month\":2}", 300);
    zc_elder e = fx_elder("1940-01-01", "");
    zc_cart c = fx_meal(1200);
    zc_quote q;
    zc_use u[3] = {fx_use("2024-01-30", "lunch", "r", 300), fx_use("2024-01-31", "lunch", "r", 300),
                   fx_use("2023-02-15", "lunch", "r", 300) /* a year ago */};
    CHECK_OK(fx_quote(p, &e, NULL, &c, "2024-01-31 17:00", NULL, u, 3, &q));
    EXPECT_REFUSED(&q, "r", ZC_R_LIMIT_MONTH, "2 of 2 used this month");
    CHECK_OK(fx_quote(p, &e, NULL, &c, "2024-02-01 00:00", NULL, u, 3, &q));
    EXPECT_APPLIED(&q, "r", 300);
    CHECK_OK(fx_quote(p, &e, NULL, &c, "2024-02-29 23:59", NULL, u, 3, &q));
    EXPECT_APPLIED(&q, "r", 300);
    zc_policy_free(p);
}

/* Amount caps clip what is left, across the periods of a day, the days of
 * a week, the weeks of a month. */
static void t_caps(void)
{
    static const struct {
        const char *name, *limits, *at;
        int nuses;
        const char *dates[3], *periods[3];
        zc_fen fens[3];
        zc_fen want; /* 0: refused */
        zc_reason why;
    } v[] = {
        {"day cap untouched", "{\"cap_day_fen\":800}", "2024-03-04 12:00", 0, {0}, {0}, {0}, 500,
         0},
        {"day cap clips dinner", "{\"cap_day_fen\":800}", "2024-03-04 17:00", 1,
         {"2024-03-04"}, {"lunch"}, {500}, 300, 0},
        {"day cap used up", "{\"cap_day_fen\":800}", "2024-03-04 20:00", 2,
         {"2024-03-04", "2024-03-04"}, {"lunch", "dinner"}, {500, 300}, 0, ZC_R_CAP_DAY},
        {"day cap new day", "{\"cap_day_fen\":800}", "2024-03-05 00:00", 2,
         {"2024-03-04", "2024-03-04"}, {"lunch", "dinner"}, {500, 300}, 500, 0},
        {"week cap clips", "{\"cap_week_fen\":1200}", "2024-03-06 12:00", 2,
         {"2024-03-04", "2024-03-05"}, {"lunch", "lunch"}, {500, 500}, 200, 0},
        {"week cap used up Sunday", "{\"cap_week_fen\":1200}", "2024-03-10 12:00", 3,
         {"2024-03-04", "2024-03-05", "2024-03-06"}, {"lunch", "lunch", "lunch"}, {500, 500, 200},
         0, ZC_R_CAP_WEEK},
        {"week cap new week", "{\"cap_week_fen\":1200}", "2024-03-11 12:00", 3,
         {"2024-03-04", "2024-03-05", "2024-03-06"}, {"lunch", "lunch", "lunch"}, {500, 500, 200},
         500, 0},
        {"month cap clips", "{\"cap_month_fen\":1000}", "2024-03-31 12:00", 1, {"2024-03-01"},
         {"lunch"}, {700}, 300, 0},
        {"month cap used up", "{\"cap_month_fen\":1000}", "2024-03-31 12:00", 2,
         {"2024-03-01", "2024-03-15"}, {"lunch", "lunch"}, {700, 300}, 0, ZC_R_CAP_MONTH},
        {"month cap next month", "{\"cap_month_fen\":1000}", "2024-04-01 12:00", 2,
         {"2024-03-01", "2024-03-15"}, {"lunch", "lunch"}, {700, 300}, 500, 0},
    };
    zc_elder e = fx_elder("1940-01-01", "");
    zc_cart c = fx_meal(1200);
    for (size_t i = 0; i < sizeof v / sizeof v[0]; i++) {
        zc_policy *p = limited(v[i].limits, 500);
        zc_use u[3];
        zc_quote q;
        for (int k = 0; k < v[i].nuses; k++)
            u[k] = fx_use(v[i].dates[k], v[i].periods[k], "r", v[i].fens[k]);
        CHECK_OK(fx_quote(p, &e, NULL, &c, v[i].at, NULL, u, v[i].nuses, &q));
        if (v[i].want) {
            if (!fx_applied(&q, "r"))
                fprintf(stderr, "  case %s\n", v[i].name);
            EXPECT_APPLIED(&q, "r", v[i].want);
            CHECK_INT(fx_part(&q, "r", "city"), v[i].want);
        } else {
            EXPECT_REFUSED(&q, "r", v[i].why, "used up");
        }
        fx_invariants(&q);
        zc_policy_free(p);
    }
}

/* Rules sharing a key share counts, also inside one sale. */
static void t_shared_key(void)
{
    zc_policy *p = fx_policy(
        "{\"id\":\"g1\",\"combine\":\"max\"},{\"id\":\"g2\",\"combine\":\"sum\"}",
        "{\"id\":\"a\",\"group\":\"g1\",\"benefit\":{\"type\":\"fixed_off\",\"fen\":300},"
        "\"limits\":{\"key\":\"k\",\"per_day\":1}," FX_CITY "},"
        "{\"id\":\"b\",\"group\":\"g2\",\"benefit\":{\"type\":\"fixed_off\",\"fen\":200},"
        "\"limits\":{\"key\":\"k\",\"per_day\":1}," FX_CITY "},"
        "{\"id\":\"c\",\"group\":\"g2\",\"benefit\":{\"type\":\"fixed_off\",\"fen\":100},"
        "\"limits\":{\"key\":\"k\",\"per_day\":3,\"cap_day_fen\":350}," FX_CITY "}");
    zc_elder e = fx_elder("1940-01-01", "");
    zc_cart c = fx_meal(1200);
    zc_quote q;
    CHECK_OK(fx_quote(p, &e, NULL, &c, "2024-03-04 12:00", NULL, NULL, 0, &q));
    EXPECT_APPLIED(&q, "a", 300);
    CHECK_STR(fx_applied(&q, "a")->key, "k");
    EXPECT_REFUSED(&q, "b", ZC_R_LIMIT_DAY, "1 of 1 used today");
    /* c allows 3 a day but its 350 cap has 300 spent by a: gives 50 */
    EXPECT_APPLIED(&q, "c", 50);
    CHECK_INT(fx_applied(&q, "c")->left_day, 1);
    fx_invariants(&q);

    zc_use u = fx_use("2024-03-04", "lunch", "k", 100);
    CHECK_OK(fx_quote(p, &e, NULL, &c, "2024-03-04 17:00", NULL, &u, 1, &q));
    EXPECT_REFUSED(&q, "a", ZC_R_LIMIT_DAY, "1 of 1");
    EXPECT_REFUSED(&q, "b", ZC_R_LIMIT_DAY, "1 of 1");
    EXPECT_APPLIED(&q, "c", 100);
    zc_policy_free(p);
}

/* Two versions; the one in force on the sale date prices it. */
static void t_version_midnight(void)
{
#define VRULE(fen) \
    "{\"id\":\"r\",\"group\":\"g\",\"benefit\":{\"type\":\"fixed_off\",\"fen\":" #fen "}," FX_CITY "}"
    static const char r1[] = VRULE(300), r2[] = VRULE(500);
    zc_policy *v1 = fx_policy_v("v1", "2024-01-01", "2024-06-30", NULL, FX_MAX, r1);
    zc_policy *v2 = fx_policy_v("v2", "2024-07-01", NULL, NULL, FX_MAX, r2);
    const zc_policy *all[] = {v1, v2};
    zc_elder e = fx_elder("1940-01-01", "");
    zc_cart c = fx_meal(1200);
    static const struct {
        const char *at, *version;
        zc_fen fen;
    } v[] = {
        {"2024-06-30 23:59", "v1", 300},
        {"2024-07-01 00:00", "v2", 500},
    };
    for (size_t i = 0; i < sizeof v / sizeof v[0]; i++) {
        zc_datetime t;
        zc_quote q;
        CHECK_OK(zc_datetime_parse(v[i].at, &t));
        const zc_policy *p = zc_policy_select(all, 2, t.date);
        CHECK(p != NULL);
        if (!p)
            continue;
        CHECK_OK(fx_quote(p, &e, NULL, &c, v[i].at, NULL, NULL, 0, &q));
        CHECK_STR(q.policy_version, v[i].version);
        EXPECT_APPLIED(&q, "r", v[i].fen);
    }
    /* pricing with a version out of force refuses every rule */
    zc_quote q;
    CHECK_OK(fx_quote(v1, &e, NULL, &c, "2024-07-01 00:00", NULL, NULL, 0, &q));
    EXPECT_REFUSED(&q, "r", ZC_R_POLICY_NOT_IN_FORCE, "2024-01-01 to 2024-06-30");
    CHECK_INT(q.pay, 1200);
    zc_policy_free(v1);
    zc_policy_free(v2);
}

static const check_case cases[] = {
    {"per_day", t_per_day},
    {"per_period", t_per_period},
    {"per_week", t_per_week},
    {"per_month", t_per_month},
    {"caps", t_caps},
    {"shared_key", t_shared_key},
    {"version_midnight", t_version_midnight},
    {0, 0},
};

int main(int argc, char **argv) { return check_main("test_subsidy_limits", cases, argc, argv); }
