/* test_civil.c - dates, ages, weeks, parsing and the process time zone. */
#include "../app/core/civil.h"
#include "check.h"

#include <stdlib.h>

static zc_date D(int y, int m, int d)
{
    zc_date x = {y, m, d};
    return x;
}

static void t_days_roundtrip(void)
{
    static const struct {
        zc_date d;
        int64_t days;
    } v[] = {
        {{1970, 1, 1}, 0},      {{1969, 12, 31}, -1},   {{2000, 3, 1}, 11017},
        {{2000, 2, 29}, 11016}, {{1900, 1, 1}, -25567}, {{2024, 1, 1}, 19723},
    };
    for (size_t i = 0; i < sizeof v / sizeof v[0]; i++) {
        CHECK_INT(zc_days_from_civil(v[i].d), v[i].days);
        zc_date b = zc_civil_from_days(v[i].days);
        CHECK_INT(zc_date_cmp(b, v[i].d), 0);
    }
    /* every day of 1900..2999 round-trips and is consecutive */
    int64_t first = zc_days_from_civil(D(1900, 1, 1)), last = zc_days_from_civil(D(2999, 12, 31));
    int bad = 0;
    zc_date prev = zc_civil_from_days(first - 1);
    for (int64_t k = first; k <= last; k++) {
        zc_date d = zc_civil_from_days(k);
        if (!zc_date_valid(d) || zc_days_from_civil(d) != k || zc_date_cmp(prev, d) >= 0)
            bad++;
        prev = d;
    }
    CHECK_INT(bad, 0);
}

static void t_valid(void)
{
    static const struct {
        zc_date d;
        int ok;
    } v[] = {
        {{2024, 2, 29}, 1}, {{2023, 2, 29}, 0}, {{1900, 2, 29}, 0}, {{2000, 2, 29}, 1},
        {{2024, 4, 31}, 0}, {{2024, 12, 31}, 1}, {{2024, 13, 1}, 0}, {{2024, 0, 1}, 0},
        {{1899, 12, 31}, 0}, {{3000, 1, 1}, 0},  {{2024, 1, 0}, 0},
    };
    for (size_t i = 0; i < sizeof v / sizeof v[0]; i++)
        CHECK_INT(zc_date_valid(v[i].d), v[i].ok);
    CHECK_INT(zc_days_in_month(2024, 2), 29);
    CHECK_INT(zc_days_in_month(2100, 2), 28);
    CHECK_INT(zc_days_in_month(2024, 13), 0);
    CHECK(!zc_date_is_set(D(0, 0, 0)));
    CHECK(zc_date_is_set(D(2024, 1, 1)));
}

static void t_weekday(void)
{
    static const struct {
        zc_date d;
        int wd;
        zc_date monday;
    } v[] = {
        {{2024, 1, 1}, 1, {2024, 1, 1}},    /* Monday */
        {{2024, 1, 7}, 7, {2024, 1, 1}},    /* Sunday */
        {{2024, 1, 8}, 1, {2024, 1, 8}},
        {{2026, 3, 1}, 7, {2026, 2, 23}},   /* Sunday, week starts in February */
        {{2025, 1, 1}, 3, {2024, 12, 30}},  /* week across a year */
        {{1970, 1, 1}, 4, {1969, 12, 29}},
        {{1969, 12, 28}, 7, {1969, 12, 22}},
    };
    for (size_t i = 0; i < sizeof v / sizeof v[0]; i++) {
        CHECK_INT(zc_weekday(v[i].d), v[i].wd);
        CHECK_INT(zc_date_cmp(zc_week_start(v[i].d), v[i].monday), 0);
    }
}

static void t_age(void)
{
    static const struct {
        const char *name;
        zc_date birth, on;
        int age;
    } v[] = {
        {"birthday itself", {1944, 5, 10}, {2024, 5, 10}, 80},
        {"day before birthday", {1944, 5, 10}, {2024, 5, 9}, 79},
        {"later month", {1944, 5, 10}, {2024, 6, 1}, 80},
        {"earlier month", {1944, 5, 10}, {2024, 4, 30}, 79},
        {"29 Feb in leap year on 29 Feb", {1944, 2, 29}, {2024, 2, 29}, 80},
        {"29 Feb in leap year on 28 Feb", {1944, 2, 29}, {2024, 2, 28}, 79},
        {"29 Feb, common year, 28 Feb", {1944, 2, 29}, {2023, 2, 28}, 78},
        {"29 Feb, common year, 1 Mar", {1944, 2, 29}, {2023, 3, 1}, 79},
        {"born today", {2024, 3, 3}, {2024, 3, 3}, 0},
        {"before birth", {2024, 3, 3}, {2024, 3, 2}, -1},
        {"long before birth", {2024, 3, 3}, {2020, 6, 1}, -4},
    };
    for (size_t i = 0; i < sizeof v / sizeof v[0]; i++) {
        int got = zc_age_on(v[i].birth, v[i].on);
        if (got != v[i].age)
            fprintf(stderr, "  case %s\n", v[i].name);
        CHECK_INT(got, v[i].age);
    }
}

static void t_parse(void)
{
    static const struct {
        const char *s;
        int rc;
        zc_date d;
    } v[] = {
        {"2024-02-29", 0, {2024, 2, 29}}, {"2023-02-29", ZC_EINVAL, {0, 0, 0}},
        {"2024-2-29", ZC_EINVAL, {0, 0, 0}}, {"2024-02-29 ", ZC_EINVAL, {0, 0, 0}},
        {"2024/02/29", ZC_EINVAL, {0, 0, 0}}, {"+024-02-09", ZC_EINVAL, {0, 0, 0}},
        {"", ZC_EINVAL, {0, 0, 0}},          {"1899-12-31", ZC_EINVAL, {0, 0, 0}},
        {"2024-00-10", ZC_EINVAL, {0, 0, 0}}, {"2024-01-1a", ZC_EINVAL, {0, 0, 0}},
    };
    for (size_t i = 0; i < sizeof v / sizeof v[0]; i++) {
        zc_date d = {0, 0, 0};
        CHECK_INT(zc_date_parse(v[i].s, &d), v[i].rc);
        if (v[i].rc == 0)
            CHECK_INT(zc_date_cmp(d, v[i].d), 0);
    }
    zc_date d;
    CHECK_INT(zc_date_parse(NULL, &d), ZC_EINVAL);

    static const struct {
        const char *s;
        int rc, hh, mm;
    } t[] = {
        {"2024-03-01 11:05", 0, 11, 5}, {"2024-03-01T23:59", 0, 23, 59},
        {"2024-03-01 24:00", ZC_EINVAL, 0, 0}, {"2024-03-01 11:60", ZC_EINVAL, 0, 0},
        {"2024-03-01_11:05", ZC_EINVAL, 0, 0}, {"2024-03-01 11:05:00", ZC_EINVAL, 0, 0},
        {"2024-02-30 11:05", ZC_EINVAL, 0, 0},
    };
    for (size_t i = 0; i < sizeof t / sizeof t[0]; i++) {
        zc_datetime x;
        CHECK_INT(zc_datetime_parse(t[i].s, &x), t[i].rc);
        if (t[i].rc == 0) {
            CHECK_INT(x.hh, t[i].hh);
            CHECK_INT(x.mm, t[i].mm);
            CHECK_INT(zc_minute_of_day(x), t[i].hh * 60 + t[i].mm);
        }
    }

    static const struct {
        const char *s;
        int rc, min;
    } h[] = {
        {"00:00", 0, 0},       {"06:30", 0, 390},      {"23:59", 0, 1439},
        {"24:00", 0, 1440},    {"24:01", ZC_EINVAL, 0}, {"6:30", ZC_EINVAL, 0},
        {"12:60", ZC_EINVAL, 0}, {"25:00", ZC_EINVAL, 0}, {"12-30", ZC_EINVAL, 0},
        {"-1:00", ZC_EINVAL, 0},
    };
    for (size_t i = 0; i < sizeof h / sizeof h[0]; i++) {
        int m = -7;
        CHECK_INT(zc_hhmm_parse(h[i].s, &m), h[i].rc);
        if (h[i].rc == 0)
            CHECK_INT(m, h[i].min);
    }
}

static void t_fmt(void)
{
    char buf[32];
    CHECK_STR(zc_date_fmt(D(2024, 2, 9), buf, sizeof buf), "2024-02-09");
    zc_datetime t = {{2024, 12, 31}, 7, 5};
    CHECK_STR(zc_datetime_fmt(t, buf, sizeof buf), "2024-12-31 07:05");
    char small[5];
    CHECK_STR(zc_date_fmt(D(2024, 2, 9), small, sizeof small), "2024");
}

static void t_tz(void)
{
    zc_err e = {""};
    CHECK_OK(zc_tz_set("Asia/Shanghai", &e));
    /* 2024-03-01 03:05 UTC is 11:05 in Beijing */
    zc_datetime l = zc_tz_local(1709262300);
    char buf[20];
    CHECK_STR(zc_datetime_fmt(l, buf, sizeof buf), "2024-03-01 11:05");
    CHECK_INT(zc_tz_epoch(l), 1709262300);

    CHECK_INT(zc_tz_set("Mars/Olympus", &e), ZC_EINVAL);
    CHECK(strstr(e.msg, "Mars/Olympus") != NULL);
    CHECK_INT(zc_tz_set("../../etc/passwd", &e), ZC_EINVAL);
    CHECK_INT(zc_tz_set("", &e), ZC_EINVAL);
    CHECK_INT(zc_tz_set(NULL, &e), ZC_EINVAL);

    CHECK_OK(zc_tz_set("UTC", &e));
    l = zc_tz_local(1709262300);
    CHECK_STR(zc_datetime_fmt(l, buf, sizeof buf), "2024-03-01 03:05");
    /* the zone stays as it was after a refused name */
    CHECK_INT(zc_tz_set("Nowhere/City", &e), ZC_EINVAL);
    CHECK_STR(getenv("TZ"), "UTC");
    CHECK_OK(zc_tz_set("Asia/Shanghai", &e));
}

static void t_tz_ambiguous(void)
{
    zc_err e = {""};
    /* Europe/Berlin 2024-10-27 02:30 happens twice; the first is 00:30 UTC */
    if (zc_tz_set("Europe/Berlin", &e) != 0) {
        fprintf(stderr, "  (skipped: no Europe/Berlin zone)\n");
        return;
    }
    zc_datetime t = {{2024, 10, 27}, 2, 30};
    CHECK_INT(zc_tz_epoch(t), 1729989000);
    CHECK_OK(zc_tz_set("Asia/Shanghai", &e));
}

static const check_case cases[] = {
    {"days_roundtrip", t_days_roundtrip},
    {"valid", t_valid},
    {"weekday", t_weekday},
    {"age", t_age},
    {"parse", t_parse},
    {"fmt", t_fmt},
    {"tz", t_tz},
    {"tz_ambiguous", t_tz_ambiguous},
    {0, 0},
};

int main(int argc, char **argv) { return check_main("test_civil", cases, argc, argv); }
