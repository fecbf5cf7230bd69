/* test_calendar.c - the official calendar: the shipped file's 2026 days,
 * the fallback for a year not published, and validation messages. */
#include "../app/core/calendar.h"
#include "check.h"

static const char SHIPPED[] = "db/calendar/cn.json";

static void t_shipped_2026(void)
{
    zc_calendar *c = NULL;
    zc_err e = {""};
    int rc = zc_calendar_load(SHIPPED, &c, &e);
    if (rc)
        fprintf(stderr, "  %s\n", e.msg);
    CHECK_OK(rc);
    CHECK_STR(zc_calendar_id(c), "cn");
    static const struct {
        const char *name, *date;
        zc_day_kind want;
        bool official;
    } v[] = {
        {"new year's day, Thursday", "2026-01-01", ZC_DAY_HOLIDAY, true},
        {"new year Saturday off", "2026-01-03", ZC_DAY_HOLIDAY, true},
        {"worked Sunday after new year", "2026-01-04", ZC_DAY_WORKDAY, true},
        {"ordinary Monday", "2026-01-05", ZC_DAY_WORKDAY, true},
        {"ordinary Saturday", "2026-01-10", ZC_DAY_WEEKEND, true},
        {"ordinary Sunday", "2026-01-11", ZC_DAY_WEEKEND, true},
        {"worked Saturday before spring festival", "2026-02-14", ZC_DAY_WORKDAY, true},
        {"spring festival first day off (Sunday)", "2026-02-15", ZC_DAY_HOLIDAY, true},
        {"spring festival Monday off", "2026-02-23", ZC_DAY_HOLIDAY, true},
        {"day after spring festival", "2026-02-24", ZC_DAY_WORKDAY, true},
        {"worked Saturday after spring festival", "2026-02-28", ZC_DAY_WORKDAY, true},
        {"qingming Monday", "2026-04-06", ZC_DAY_HOLIDAY, true},
        {"labour day Tuesday", "2026-05-05", ZC_DAY_HOLIDAY, true},
        {"worked Saturday after labour day", "2026-05-09", ZC_DAY_WORKDAY, true},
        {"dragon boat Friday", "2026-06-19", ZC_DAY_HOLIDAY, true},
        {"worked Sunday before national day", "2026-09-20", ZC_DAY_WORKDAY, true},
        {"mid-autumn Friday", "2026-09-25", ZC_DAY_HOLIDAY, true},
        {"national day", "2026-10-01", ZC_DAY_HOLIDAY, true},
        {"national day Wednesday", "2026-10-07", ZC_DAY_HOLIDAY, true},
        {"Thursday after national day", "2026-10-08", ZC_DAY_WORKDAY, true},
        {"worked Saturday after national day", "2026-10-10", ZC_DAY_WORKDAY, true},
        {"2027 not published: Friday 1 Jan", "2027-01-01", ZC_DAY_WORKDAY, false},
        {"2027 not published: Saturday", "2027-01-02", ZC_DAY_WEEKEND, false},
        {"2025 not in the file: Saturday", "2025-12-27", ZC_DAY_WEEKEND, false},
    };
    for (size_t i = 0; c && i < sizeof v / sizeof v[0]; i++) {
        zc_date d;
        bool official = !v[i].official;
        CHECK_OK(zc_date_parse(v[i].date, &d));
        zc_day_kind k = zc_calendar_day(c, d, &official);
        if (k != v[i].want || official != v[i].official)
            fprintf(stderr, "  case \"%s\": %s official %d\n", v[i].name, zc_day_kind_code(k),
                    official);
        CHECK_INT(k, v[i].want);
        CHECK_INT(official, v[i].official);
    }
    zc_calendar_free(c);
}

static void t_no_calendar(void)
{
    bool official = true;
    CHECK_INT(zc_calendar_day(NULL, (zc_date){2026, 10, 1}, &official), ZC_DAY_WORKDAY);
    CHECK(!official);
    CHECK_INT(zc_calendar_day(NULL, (zc_date){2026, 10, 3}, NULL), ZC_DAY_WEEKEND);
    CHECK_STR(zc_day_kind_code(ZC_DAY_HOLIDAY), "holiday");
    CHECK_STR(zc_day_kind_code(ZC_DAY_COUNT), "");
    zc_calendar_free(NULL);
}

#define YEAR(body) "{\"calendar\":\"cn\",\"version\":\"1\",\"years\":[" body "]}"
#define Y26(more) "{\"year\":2026,\"source\":\"notice\",\"holidays\":[{\"from\":\"2026-10-01\"," \
                  "\"to\":\"2026-10-07\"}]" more "}"

static void t_broken(void)
{
    static const struct {
        const char *name, *json, *path;
    } v[] = {
        {"typo at the top", "{\"calendar\":\"cn\",\"version\":\"1\",\"yeras\":[]}", "yeras"},
        {"no years", "{\"calendar\":\"cn\",\"version\":\"1\",\"years\":[]}", "years"},
        {"year out of range", YEAR("{\"year\":1800,\"published\":false}"), "years[0].year"},
        {"year twice", YEAR("{\"year\":2027,\"published\":false},{\"year\":2027,\"published\":false}"),
         "years[1].year"},
        {"unpublished with days", YEAR("{\"year\":2027,\"published\":false,\"workdays\":[]}"),
         "years[0].published"},
        {"published not bool", YEAR("{\"year\":2027,\"published\":\"no\"}"), "years[0].published"},
        {"no source", YEAR("{\"year\":2026,\"holidays\":[{\"from\":\"2026-10-01\",\"to\":\"2026-10-07\"}]}"),
         "years[0].source"},
        {"no holidays", YEAR("{\"year\":2026,\"source\":\"n\"}"), "years[0].holidays"},
        {"typo in a holiday", YEAR("{\"year\":2026,\"source\":\"n\",\"holidays\":[{\"from\":"
                                   "\"2026-10-01\",\"too\":\"2026-10-07\"}]}"),
         "years[0].holidays[0].too"},
        {"holiday in another year", YEAR("{\"year\":2026,\"source\":\"n\",\"holidays\":[{\"from\":"
                                         "\"2027-10-01\",\"to\":\"2027-10-07\"}]}"),
         "years[0].holidays[0]"},
        {"holiday inverted", YEAR("{\"year\":2026,\"source\":\"n\",\"holidays\":[{\"from\":"
                                  "\"2026-10-07\",\"to\":\"2026-10-01\"}]}"),
         "years[0].holidays[0].to"},
        {"holiday too long", YEAR("{\"year\":2026,\"source\":\"n\",\"holidays\":[{\"from\":"
                                  "\"2026-10-01\",\"to\":\"2026-10-31\"}]}"),
         "years[0].holidays[0]"},
        {"holidays overlap", YEAR("{\"year\":2026,\"source\":\"n\",\"holidays\":[{\"from\":"
                                  "\"2026-10-01\",\"to\":\"2026-10-07\"},{\"from\":\"2026-10-07\","
                                  "\"to\":\"2026-10-08\"}]}"),
         "years[0].holidays[1]"},
        {"impossible date", YEAR(Y26(",\"workdays\":[\"2026-02-30\"]")), "years[0].workdays[0]"},
        {"worked weekday", YEAR(Y26(",\"workdays\":[\"2026-10-09\"]")), "years[0].workdays[0]"},
        {"worked day inside the holiday", YEAR(Y26(",\"workdays\":[\"2026-10-03\"]")),
         "years[0].workdays[0]"},
        {"worked day twice", YEAR(Y26(",\"workdays\":[\"2026-10-10\",\"2026-10-10\"]")),
         "years[0].workdays[1]"},
        {"worked day in another year", YEAR(Y26(",\"workdays\":[\"2027-01-02\"]")),
         "years[0].workdays[0]"},
    };
    for (size_t i = 0; i < sizeof v / sizeof v[0]; i++) {
        zc_calendar *c = NULL;
        zc_err e = {""};
        char want[128];
        int rc = zc_calendar_parse(v[i].json, strlen(v[i].json), &c, &e);
        snprintf(want, sizeof want, "%s: ", v[i].path);
        int ok = rc == ZC_EINVAL && c == NULL && strncmp(e.msg, want, strlen(want)) == 0;
        if (!ok)
            fprintf(stderr, "  case \"%s\": rc %d, message \"%s\", wanted \"%s\"\n", v[i].name, rc,
                    e.msg, want);
        CHECK(ok);
        zc_calendar_free(c);
    }
    zc_calendar *c = NULL;
    zc_err e = {""};
    const char *ok = YEAR(Y26(",\"workdays\":[\"2026-10-10\",\"2026-09-20\"]"));
    CHECK_OK(zc_calendar_parse(ok, strlen(ok), &c, &e));
    zc_calendar_free(c);
    CHECK_INT(zc_calendar_parse("[1]", 3, &c, &e), ZC_EINVAL);
    CHECK_INT(zc_calendar_parse("{} x", 4, &c, &e), ZC_EINVAL);
    CHECK_INT(zc_calendar_load("db/calendar/nope.json", &c, &e), ZC_ENOTFOUND);
    CHECK(strncmp(e.msg, "db/calendar/nope.json: ", 23) == 0);
}

static const check_case cases[] = {
    {"shipped_2026", t_shipped_2026},
    {"no_calendar", t_no_calendar},
    {"broken", t_broken},
    {0, 0},
};

int main(int argc, char **argv) { return check_main("test_calendar", cases, argc, argv); }
