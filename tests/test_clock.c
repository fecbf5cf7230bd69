/* test_clock.c - the one wall clock: ZHUCAN_NOW parsing and pinning. */
#include <stdlib.h>
#include <time.h>

#include "../app/core/civil.h"
#include "../app/core/clock.h"
#include "check.h"

static void t_parse(void)
{
    static const struct {
        const char *in;
        int ok;
        int64_t want;
    } rows[] = {
        {"1798732770", 1, 1798732770},
        {"2026-12-31T23:59:30+08:00", 1, 1798732770},
        {"2026-12-31 23:59:30+08:00", 1, 1798732770},
        {"2026-12-31T15:59:30Z", 1, 1798732770},
        {"2026-12-31T23:59+08:00", 1, 1798732740},
        {"2028-02-29T12:00:00+08:00", 1, 1835409600},
        {"2027-01-01T00:00:30-05:00", 1, 1798779630},
        {"2027-02-29T12:00:00+08:00", 0, 0}, /* no such day */
        {"2026-12-31T24:00:00+08:00", 0, 0},
        {"2026-12-31T23:59:30", 0, 0},       /* no offset: which zone? */
        {"2026-12-31T23:59:30+08:00x", 0, 0},
        {"yesterday", 0, 0},
        {"", 0, 0},
        {"-5", 0, 0},
    };
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        int64_t got = -1;
        zc_err err = {""};
        int rc = zc_clock_parse(rows[i].in, &got, &err);
        if ((rc == ZC_OK) != rows[i].ok)
            fprintf(stderr, "  row \"%s\": rc %d (%s)\n", rows[i].in, rc, err.msg);
        CHECK_INT(rc == ZC_OK, rows[i].ok);
        if (rows[i].ok)
            CHECK_INT(got, rows[i].want);
        else
            CHECK(strstr(err.msg, "ZHUCAN_NOW") != NULL);
    }
}

static void t_pin(void)
{
    zc_err err = {""};
    CHECK_OK(setenv("ZHUCAN_NOW", "2027-01-01T00:00:30+08:00", 1));
    CHECK_OK(zc_clock_init(&err));
    int64_t now = zc_now();
    /* the pinned moment, running on by at most a few seconds */
    CHECK(now >= 1798732830 && now < 1798732830 + 5);
    CHECK_OK(zc_tz_set("Asia/Shanghai", &err));
    zc_datetime l = zc_tz_local(now);
    CHECK_INT(l.date.y * 10000 + l.date.m * 100 + l.date.d, 20270101);
    CHECK_INT(setenv("ZHUCAN_NOW", "bad", 1), 0);
    CHECK_INT(zc_clock_init(&err), ZC_EINVAL);
    CHECK_OK(unsetenv("ZHUCAN_NOW"));
    CHECK_OK(zc_clock_init(&err));
    int64_t real = (int64_t)time(NULL);
    CHECK(zc_now() >= real && zc_now() <= real + 1);
}

static const check_case cases[] = {
    {"parse", t_parse},
    {"pin", t_pin},
    {NULL, NULL},
};

int main(int argc, char **argv) { return check_main("test_clock", cases, argc, argv); }
