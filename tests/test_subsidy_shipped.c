/* test_subsidy_shipped.c - the policies in db/policies/ against results
 * worked out by hand from the programmes they encode (docs/policy.md lists them), and
 * the quote's sums checked over many generated sales. */
#include "subsidy_fixture.h"

#include <stdlib.h>

static zc_policy *load(const char *name)
{
    char path[96];
    zc_policy *p = NULL;
    zc_err e = {""};
    snprintf(path, sizeof path, "db/policies/%s.json", name);
    if (zc_policy_load(path, &p, &e) != 0) {
        fprintf(stderr, "  %s\n", e.msg);
        check_failed_now++;
    }
    return p;
}

/* ---- Beijing: 5 yuan a day, lunch or dinner, bill > 5 yuan ---------------- */

static void t_beijing(void)
{
    zc_policy *p = load("beijing");
    if (!p)
        return;
    zc_canteen k = fx_canteen("110000", "110105", "110105001"); /* Chaoyang */
    static const struct {
        const char *name, *birth, *cats, *reg_city, *at;
        zc_fen meal;
        zc_reason why;
        const char *detail;
        zc_fen subsidy;
    } v[] = {
        {"82, Beijing 户籍", "1942-01-10", "", "110000", "2024-03-04 11:30", 1200, ZC_R_NONE, "", 500},
        {"65 dibao", "1959-01-10", "dibao", "110000", "2024-03-04 17:00", 1200, ZC_R_NONE, "", 500},
        {"65 severe disability", "1959-01-10", "severe_disability", "110000", "2024-03-04 12:00",
         800, ZC_R_NONE, "", 500},
        {"65, no category", "1959-01-10", "", "110000", "2024-03-04 11:30", 1200,
         ZC_R_CATEGORY_MISSING, "holds none of tekun", 0},
        {"82 from Tianjin", "1942-01-10", "", "120000", "2024-03-04 11:30", 1200,
         ZC_R_NOT_REGISTERED, "120000 is not 110000", 0},
        {"58 dibao", "1966-01-10", "dibao", "110000", "2024-03-04 11:30", 1200, ZC_R_TOO_YOUNG,
         "age 58 < 60", 0},
        {"meal exactly 5 yuan", "1942-01-10", "", "110000", "2024-03-04 11:30", 500,
         ZC_R_BELOW_MIN_BILL, "500 is not > 500", 0},
        {"meal 5.01 yuan", "1942-01-10", "", "110000", "2024-03-04 11:30", 501, ZC_R_NONE, "", 500},
        {"breakfast", "1942-01-10", "", "110000", "2024-03-04 07:30", 1200,
         ZC_R_PERIOD_NOT_COVERED, "breakfast", 0},
        {"mid-afternoon", "1942-01-10", "", "110000", "2024-03-04 15:00", 1200,
         ZC_R_OUTSIDE_PERIOD, "15:00", 0},
    };
    for (size_t i = 0; i < sizeof v / sizeof v[0]; i++) {
        zc_elder e = fx_elder(v[i].birth, v[i].cats);
        zc_cart c = fx_meal(v[i].meal);
        zc_quote q;
        fx_reg(&e, v[i].reg_city, "110105", "");
        fx_add(&c, "drink", 300, 1, false);
        CHECK_OK(fx_quote(p, &e, &k, &c, v[i].at, NULL, NULL, 0, &q));
        if (v[i].why == ZC_R_NONE) {
            if (!fx_applied(&q, "bj-daily"))
                fprintf(stderr, "  case %s\n", v[i].name);
            EXPECT_APPLIED(&q, "bj-daily", v[i].subsidy);
            CHECK_INT(fx_part(&q, "bj-daily", "district"), v[i].subsidy);
            CHECK_INT(q.applied[0].left_day, 0);
        } else {
            EXPECT_REFUSED(&q, "bj-daily", v[i].why, v[i].detail);
        }
        CHECK_INT(q.pay, v[i].meal + 300 - v[i].subsidy);
        fx_invariants(&q);
    }
    /* once a day: dinner after a subsidised lunch */
    zc_elder e = fx_elder("1942-01-10", "");
    fx_reg(&e, "110000", "110105", "");
    zc_use u = fx_use("2024-03-04", "lunch", "bj-daily", 500);
    zc_cart c = fx_meal(1500);
    zc_quote q;
    CHECK_OK(fx_quote(p, &e, &k, &c, "2024-03-04 17:30", NULL, &u, 1, &q));
    EXPECT_REFUSED(&q, "bj-daily", ZC_R_LIMIT_DAY, "1 of 1 used today");
    CHECK_INT(q.pay, 1500);
    /* no card: full price */
    CHECK_OK(fx_quote(p, NULL, &k, &c, "2024-03-04 11:30", NULL, NULL, 0, &q));
    CHECK_INT(q.pay, 1500);
    CHECK_INT(q.refusals[0].reason, ZC_R_NO_ELDER);
    /* before the policy began */
    CHECK_OK(fx_quote(p, &e, &k, &c, "2023-12-31 11:30", NULL, NULL, 0, &q));
    EXPECT_REFUSED(&q, "bj-daily", ZC_R_POLICY_NOT_IN_FORCE, "2024-01-01");
    zc_policy_free(p);
}

/* ---- Tianjin: 3 yuan a meal, once a day, 5 a week -------------------------- */

static void t_tianjin(void)
{
    zc_policy *p = load("tianjin");
    if (!p)
        return;
    zc_canteen k = fx_canteen("120000", "120101", "");
    static const struct {
        const char *name, *birth, *cats;
        int grade;
        bool care_home;
        zc_reason why;
        const char *detail;
    } v[] = {
        {"81", "1943-01-10", "", 0, false, ZC_R_NONE, ""},
        {"75 living alone", "1949-01-10", "living_alone", 0, false, ZC_R_NONE, ""},
        {"72 gugua", "1952-01-10", "gugua", 0, false, ZC_R_NONE, ""},
        {"65 dibao with disabled_care", "1959-01-10", "dibao;disabled_care:1", 0, false, ZC_R_NONE,
         ""},
        {"65 grade 2", "1959-01-10", "", 2, false, ZC_R_NONE, ""},
        {"75 with no category", "1949-01-10", "", 0, false, ZC_R_CATEGORY_MISSING,
         "holds none of gugua"},
        /* the 60-69 alternative gets further (past age and categories) than
         * the dibao one, so its reason is shown */
        {"65 dibao without disabled_care", "1959-01-10", "dibao", 0, false, ZC_R_DISABILITY,
         "no disability grade"},
        {"65 dibao, grade 3, no disabled_care", "1959-01-10", "dibao", 3, false, ZC_R_DISABILITY,
         "grade 3"},
        {"65 grade 3", "1959-01-10", "", 3, false, ZC_R_DISABILITY, "grade 3"},
        {"72 grade 1 (70s need a category)", "1952-01-10", "", 1, false, ZC_R_CATEGORY_MISSING,
         "holds none"},
        {"85 in a care home", "1939-01-10", "", 0, true, ZC_R_CARE_HOME, "care home"},
    };
    for (size_t i = 0; i < sizeof v / sizeof v[0]; i++) {
        zc_elder e = fx_elder(v[i].birth, v[i].cats);
        zc_cart c = fx_meal(1000);
        zc_quote q;
        fx_reg(&e, "120000", "120101", "");
        e.disability_grade = v[i].grade;
        e.care_home = v[i].care_home;
        CHECK_OK(fx_quote(p, &e, &k, &c, "2024-03-04 11:30", NULL, NULL, 0, &q));
        if (v[i].why == ZC_R_NONE) {
            if (!fx_applied(&q, "tj-meal"))
                fprintf(stderr, "  case %s\n", v[i].name);
            EXPECT_APPLIED(&q, "tj-meal", 300);
            CHECK_INT(fx_part(&q, "tj-meal", "city"), 150);
            CHECK_INT(fx_part(&q, "tj-meal", "district"), 150);
            CHECK_INT(q.pay, 700);
        } else {
            EXPECT_REFUSED(&q, "tj-meal", v[i].why, v[i].detail);
            CHECK_INT(q.pay, 1000);
        }
        fx_invariants(&q);
    }

    /* the week: Mon 2024-03-04 .. Fri used; Saturday refused; next Monday fine */
    zc_elder e = fx_elder("1943-01-10", "");
    fx_reg(&e, "120000", "120101", "");
    zc_use u[5];
    for (int i = 0; i < 5; i++) {
        char d[24];
        snprintf(d, sizeof d, "2024-03-%02d", 4 + i);
        u[i] = fx_use(d, i % 2 ? "dinner" : "lunch", "tj-meal", 300);
    }
    zc_cart c = fx_meal(1000);
    zc_quote q;
    CHECK_OK(fx_quote(p, &e, &k, &c, "2024-03-09 11:30", NULL, u, 5, &q));
    EXPECT_REFUSED(&q, "tj-meal", ZC_R_LIMIT_WEEK, "5 of 5 used this week");
    CHECK_OK(fx_quote(p, &e, &k, &c, "2024-03-10 18:30", NULL, u, 5, &q));
    EXPECT_REFUSED(&q, "tj-meal", ZC_R_LIMIT_WEEK, "5 of 5");
    CHECK_OK(fx_quote(p, &e, &k, &c, "2024-03-11 11:30", NULL, u, 5, &q));
    EXPECT_APPLIED(&q, "tj-meal", 300);
    CHECK_INT(q.applied[0].left_week, 4);
    /* four used: Saturday lunch is the last of the week */
    CHECK_OK(fx_quote(p, &e, &k, &c, "2024-03-09 11:30", NULL, u, 4, &q));
    EXPECT_APPLIED(&q, "tj-meal", 300);
    CHECK_INT(q.applied[0].left_week, 0);
    CHECK_INT(q.applied[0].left_day, 0);
    /* Friday dinner after Friday lunch: once a day */
    CHECK_OK(fx_quote(p, &e, &k, &c, "2024-03-08 17:00", NULL, u, 5, &q));
    EXPECT_REFUSED(&q, "tj-meal", ZC_R_LIMIT_DAY, "1 of 1");
    zc_policy_free(p);
}

/* ---- Shanghai Xuhui: discount group then subsidy group ---------------------- */

static void t_shanghai(void)
{
    zc_policy *p = load("shanghai-xuhui");
    if (!p)
        return;
    zc_canteen k = fx_canteen("310000", "310104", "");
    static const struct {
        const char *name, *birth, *reg_city, *res_district;
        zc_fen meal, extra; /* eligible set meal, non-eligible extra */
        zc_fen disc60, disc80, daily;
        zc_reason daily_why;
    } v[] = {
        /* 10% of 1500 = 150; 300 on the 1350 left; pays 1050 */
        {"70, registered resident", "1954-01-10", "310000", "310104", 1500, 0, 150, 0, 300, 0},
        /* 15% of 1500 = 225 beats 150; pays 1500-225-300 = 975 */
        {"85, registered resident", "1939-01-10", "310000", "310104", 1500, 0, 0, 225, 300, 0},
        /* resident from Anhui: discount only */
        {"70 from Anhui", "1954-01-10", "340000", "310104", 1500, 0, 150, 0, 0,
         ZC_R_NOT_REGISTERED},
        /* 1499: 149.9 rounds down to 149; daily needs >= 1500 */
        {"bill 14.99", "1954-01-10", "310000", "310104", 1499, 0, 149, 0, 0,
         ZC_R_BELOW_MIN_BILL},
        /* 10% of 1299 eligible only = 129; the soup does not count for either */
        {"bill 12.99 + soup", "1954-01-10", "310000", "310104", 1299, 500, 129, 0, 0,
         ZC_R_BELOW_MIN_BILL},
        /* lives in Minhang: no discount, no daily */
        {"70 living in Minhang", "1954-01-10", "310000", "310112", 1500, 0, 0, 0, 0,
         ZC_R_NOT_RESIDENT},
        {"59", "1965-01-10", "310000", "310104", 1500, 0, 0, 0, 0, ZC_R_TOO_YOUNG},
    };
    for (size_t i = 0; i < sizeof v / sizeof v[0]; i++) {
        zc_elder e = fx_elder(v[i].birth, "");
        zc_cart c = fx_meal(v[i].meal);
        zc_quote q;
        fx_reg(&e, v[i].reg_city, "", "");
        fx_res(&e, "310000", v[i].res_district, "");
        if (v[i].extra)
            fx_add(&c, "soup", v[i].extra, 1, false);
        CHECK_OK(fx_quote(p, &e, &k, &c, "2024-03-04 11:30", NULL, NULL, 0, &q));
        if (v[i].disc60)
            EXPECT_APPLIED(&q, "xh-disc-60", v[i].disc60);
        else
            CHECK(fx_applied(&q, "xh-disc-60") == NULL);
        if (v[i].disc80) {
            EXPECT_APPLIED(&q, "xh-disc-80", v[i].disc80);
            EXPECT_REFUSED(&q, "xh-disc-60", ZC_R_OUTRANKED, "xh-disc-80 gives 225");
        } else {
            CHECK(fx_applied(&q, "xh-disc-80") == NULL);
        }
        if (v[i].daily) {
            EXPECT_APPLIED(&q, "xh-daily", v[i].daily);
            CHECK_INT(fx_part(&q, "xh-daily", "city"), v[i].daily / 2);
            CHECK_INT(fx_part(&q, "xh-daily", "district"), v[i].daily - v[i].daily / 2);
        } else {
            EXPECT_REFUSED(&q, "xh-daily", v[i].daily_why, "");
        }
        zc_fen want = v[i].meal + v[i].extra - v[i].disc60 - v[i].disc80 - v[i].daily;
        if (q.pay != want)
            fprintf(stderr, "  case %s\n", v[i].name);
        CHECK_INT(q.pay, want);
        fx_invariants(&q);
    }
    /* stacking order: the discount is on the applied list first */
    zc_elder e = fx_elder("1954-01-10", "");
    fx_reg(&e, "310000", "", "");
    fx_res(&e, "310000", "310104", "");
    zc_cart c = fx_meal(2000);
    zc_quote q;
    CHECK_OK(fx_quote(p, &e, &k, &c, "2024-03-04 07:00", NULL, NULL, 0, &q));
    CHECK_STR(q.period, "breakfast");
    CHECK_INT(q.napplied, 2);
    CHECK_STR(q.applied[0].group, "discount");
    CHECK_STR(q.applied[1].group, "subsidy");
    CHECK_INT(q.pay, 2000 - 200 - 300);
    zc_policy_free(p);
}

/* ---- Guangzhou: tiered fixed price on one set meal, split by place ------------ */

static void t_guangzhou(void)
{
    zc_policy *p = load("guangzhou");
    if (!p)
        return;
    zc_canteen k = fx_canteen("440100", "440106", "440106010"); /* Tianhe */
    static const struct {
        const char *name, *birth, *cats, *reg_city, *reg_district, *reg_town;
        const char *winner;
        zc_fen subsidy, city, district, town;
    } v[] = {
        /* 1200 meal, tier 1 pays 100: 1100 = 440 + 440 + 220 */
        {"dibao, home town", "1954-01-10", "dibao", "440100", "440106", "440106010", "gz-tier1",
         1100, 440, 440, 220},
        /* tier 2 pays 300: 900 = 360 + 360 + 180 */
        {"82, home town", "1942-01-10", "", "440100", "440106", "440106010", "gz-tier2", 900, 360,
         360, 180},
        {"low income", "1959-01-10", "low_income", "440100", "440106", "440106010", "gz-tier2", 900,
         360, 360, 180},
        /* tier 3 pays 500: 700 = 280 + 280 + 140 */
        {"65, home town", "1959-01-10", "", "440100", "440106", "440106010", "gz-tier3", 700, 280,
         280, 140},
        /* same district, another town: the town's 140 is lost */
        {"65, other town", "1959-01-10", "", "440100", "440106", "440106020", "gz-tier3", 560, 280,
         280, 0},
        /* from Yuexiu: only the city pays */
        {"65 from Yuexiu", "1959-01-10", "", "440100", "440104", "440104001", "gz-tier3", 280, 280,
         0, 0},
        {"dibao from Yuexiu", "1954-01-10", "dibao", "440100", "440104", "440104001", "gz-tier1",
         440, 440, 0, 0},
        {"65 from Shenzhen", "1959-01-10", "", "440300", "440304", "", NULL, 0, 0, 0, 0},
    };
    for (size_t i = 0; i < sizeof v / sizeof v[0]; i++) {
        zc_elder e = fx_elder(v[i].birth, v[i].cats);
        zc_cart c;
        zc_quote q;
        memset(&c, 0, sizeof c);
        fx_add(&c, "set", 1200, 2, true); /* two set meals: only one is at the elder price */
        fx_add(&c, "tea", 200, 1, false);
        fx_reg(&e, v[i].reg_city, v[i].reg_district, v[i].reg_town);
        CHECK_OK(fx_quote(p, &e, &k, &c, "2024-03-04 12:00", NULL, NULL, 0, &q));
        if (v[i].winner) {
            if (!fx_applied(&q, v[i].winner))
                fprintf(stderr, "  case %s\n", v[i].name);
            EXPECT_APPLIED(&q, v[i].winner, v[i].subsidy);
            CHECK_INT(q.napplied, 1);
            CHECK_INT(fx_part(&q, v[i].winner, "city"), v[i].city);
            CHECK_INT(fx_part(&q, v[i].winner, "district"), v[i].district);
            CHECK_INT(fx_part(&q, v[i].winner, "town"), v[i].town);
            CHECK_STR(q.applied[0].key, "gz-meal");
        } else {
            CHECK_INT(q.napplied, 0);
            EXPECT_REFUSED(&q, "gz-tier3", ZC_R_NOT_REGISTERED, "440300");
        }
        CHECK_INT(q.pay, 2600 - v[i].subsidy);
        fx_invariants(&q);
    }
    /* tier 1 outranks tier 3 for a dibao elder */
    zc_elder e = fx_elder("1954-01-10", "dibao");
    fx_reg(&e, "440100", "440106", "440106010");
    zc_cart c = fx_meal(1200);
    zc_quote q;
    CHECK_OK(fx_quote(p, &e, &k, &c, "2024-03-04 12:00", NULL, NULL, 0, &q));
    EXPECT_REFUSED(&q, "gz-tier3", ZC_R_OUTRANKED, "gz-tier1 gives 1100");
    EXPECT_REFUSED(&q, "gz-tier2", ZC_R_CATEGORY_MISSING, "");
    CHECK_INT(q.pay, 100);
    /* one per meal, shared by the tiers; dinner is a new meal */
    zc_use u = fx_use("2024-03-04", "lunch", "gz-meal", 1100);
    CHECK_OK(fx_quote(p, &e, &k, &c, "2024-03-04 12:30", NULL, &u, 1, &q));
    EXPECT_REFUSED(&q, "gz-tier1", ZC_R_LIMIT_PERIOD, "1 of 1 used this lunch");
    EXPECT_REFUSED(&q, "gz-tier3", ZC_R_LIMIT_PERIOD, "");
    CHECK_INT(q.pay, 1200);
    CHECK_OK(fx_quote(p, &e, &k, &c, "2024-03-04 17:30", NULL, &u, 1, &q));
    EXPECT_APPLIED(&q, "gz-tier1", 1100);
    /* a cheap 4-yuan meal is already below the 5-yuan price */
    zc_elder plain = fx_elder("1959-01-10", "");
    fx_reg(&plain, "440100", "440106", "440106010");
    c = fx_meal(400);
    CHECK_OK(fx_quote(p, &plain, &k, &c, "2024-03-04 12:00", NULL, NULL, 0, &q));
    EXPECT_REFUSED(&q, "gz-tier3", ZC_R_NOTHING_LEFT, "not above the price 500");
    CHECK_INT(q.pay, 400);
    /* unknown canteen: only the unconditional city share */
    c = fx_meal(1200);
    CHECK_OK(fx_quote(p, &plain, NULL, &c, "2024-03-04 12:00", NULL, NULL, 0, &q));
    EXPECT_APPLIED(&q, "gz-tier3", 280);
    zc_policy_free(p);
}

/* ---- generated sales: the sums hold whatever the input ---------------------- */

static void t_invariants(void)
{
    static const char *const names[] = {"beijing", "tianjin", "shanghai-xuhui", "guangzhou"};
    static const char *const cats[] = {"", "dibao", "tekun;disabled_care:2", "living_alone",
                                       "low_income", "gugua;dibao_edge"};
    static const char *const cities[] = {"110000", "120000", "310000", "440100"};
    static const char *const districts[] = {"110105", "120101", "310104", "440106", "440104"};
    unsigned seed = 12345;
    int quotes = 0, with_subsidy = 0;
    for (size_t pi = 0; pi < 4; pi++) {
        zc_policy *p = load(names[pi]);
        if (!p)
            continue;
        for (int n = 0; n < 400; n++) {
            char birth[11], at[17];
            seed = seed * 1103515245u + 12345u;
            snprintf(birth, sizeof birth, "19%02u-%02u-%02u", 20 + (seed >> 8) % 50,
                     1 + (seed >> 4) % 12, 1 + (seed >> 12) % 28);
            snprintf(at, sizeof at, "2024-03-%02u %02u:%02u", 1 + (seed >> 3) % 28,
                     6 + (seed >> 9) % 14, (seed >> 15) % 60);
            zc_elder e = fx_elder(birth, cats[(seed >> 5) % 6]);
            fx_reg(&e, cities[(seed >> 7) % 4], districts[(seed >> 11) % 5], "");
            fx_res(&e, cities[(seed >> 13) % 4], districts[(seed >> 17) % 5], "");
            e.disability_grade = (int)((seed >> 19) % 5);
            zc_cart c;
            memset(&c, 0, sizeof c);
            int lines = 1 + (int)((seed >> 21) % 4);
            for (int l = 0; l < lines; l++) {
                char code[16];
                seed = seed * 1103515245u + 12345u;
                snprintf(code, sizeof code, "d%d", l);
                fx_add(&c, code, (zc_fen)((seed >> 8) % 3000), 1 + (int)((seed >> 4) % 3),
                       (seed >> 16) % 2);
            }
            zc_canteen k = fx_canteen(cities[pi], districts[pi], "");
            zc_use u[3] = {fx_use("2024-03-01", "lunch", "bj-daily", 500),
                           fx_use("2024-03-02", "dinner", "tj-meal", 300),
                           fx_use("2024-03-03", "lunch", "gz-meal", 700)};
            zc_quote q;
            CHECK_OK(fx_quote(p, &e, &k, &c, at, NULL, u, 3, &q));
            fx_invariants(&q);
            /* subsidies on eligible lines never exceed them */
            CHECK(q.subsidy <= q.gross);
            CHECK(q.napplied + q.nrefusals >= 1);
            quotes++;
            with_subsidy += q.subsidy > 0;
        }
        zc_policy_free(p);
    }
    CHECK_INT(quotes, 1600);
    CHECK(with_subsidy > 50); /* the generator does reach the rules */
}

static const check_case cases[] = {
    {"beijing", t_beijing},
    {"tianjin", t_tianjin},
    {"shanghai", t_shanghai},
    {"guangzhou", t_guangzhou},
    {"invariants", t_invariants},
    {0, 0},
};

int main(int argc, char **argv) { return check_main("test_subsidy_shipped", cases, argc, argv); }
