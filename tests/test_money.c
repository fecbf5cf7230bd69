/* test_money.c - yuan text <-> fen and rounding down. */
#include "../app/core/money.h"
#include "check.h"

static void t_parse(void)
{
    static const struct {
        const char *s;
        int rc;
        zc_fen fen;
    } v[] = {
        {"12", 0, 1200},
        {"12.5", 0, 1250},
        {"12.50", 0, 1250},
        {"0.05", 0, 5},
        {"0", 0, 0},
        {"007.10", 0, 710},
        {"1000000000", 0, ZC_FEN_MAX},
        {"1000000000.00", 0, ZC_FEN_MAX},
        {"1000000000.01", ZC_EINVAL, 0},
        {"99999999999999999999", ZC_EINVAL, 0},
        {"-1", ZC_EINVAL, 0},
        {"+1", ZC_EINVAL, 0},
        {" 1", ZC_EINVAL, 0},
        {"1 ", ZC_EINVAL, 0},
        {"1.", ZC_EINVAL, 0},
        {".5", ZC_EINVAL, 0},
        {"1.234", ZC_EINVAL, 0},
        {"1,5", ZC_EINVAL, 0},
        {"abc", ZC_EINVAL, 0},
        {"", ZC_EINVAL, 0},
        {"1e3", ZC_EINVAL, 0},
        {"0x10", ZC_EINVAL, 0},
    };
    for (size_t i = 0; i < sizeof v / sizeof v[0]; i++) {
        zc_fen f = -99;
        int rc = zc_fen_parse(v[i].s, &f);
        if (rc != v[i].rc)
            fprintf(stderr, "  input \"%s\"\n", v[i].s);
        CHECK_INT(rc, v[i].rc);
        CHECK_INT(f, v[i].rc == 0 ? v[i].fen : -99); /* untouched on failure */
    }
    zc_fen f;
    CHECK_INT(zc_fen_parse(NULL, &f), ZC_EINVAL);
}

static void t_fmt(void)
{
    static const struct {
        zc_fen f;
        const char *s;
    } v[] = {
        {0, "0.00"},     {5, "0.05"},       {1250, "12.50"},       {-305, "-3.05"},
        {-5, "-0.05"},   {100, "1.00"},     {ZC_FEN_MAX, "1000000000.00"},
        {INT64_MIN, "-92233720368547758.08"},
    };
    char buf[32];
    for (size_t i = 0; i < sizeof v / sizeof v[0]; i++)
        CHECK_STR(zc_fen_fmt(v[i].f, buf, sizeof buf), v[i].s);
    /* round trip for a range of amounts */
    int bad = 0;
    for (zc_fen x = 0; x < 20000; x += 7) {
        zc_fen back = -1;
        if (zc_fen_parse(zc_fen_fmt(x, buf, sizeof buf), &back) != 0 || back != x)
            bad++;
    }
    CHECK_INT(bad, 0);
}

static void t_muldiv(void)
{
    static const struct {
        zc_fen a;
        int64_t num, den;
        zc_fen want;
    } v[] = {
        {1234, 10, 100, 123},        /* 123.4 -> 123 */
        {1299, 15, 100, 194},        /* 194.85 -> 194 */
        {1000, 3333, 10000, 333},    /* 33.33 % */
        {999, 1, 3, 333},
        {1, 1, 2, 0},
        {0, 50, 100, 0},
        {ZC_FEN_MAX, 9999, 10000, ZC_FEN_MAX / 10000 * 9999},
        {ZC_FEN_MAX - 1, 3333, 10000, 33329999999},  /* 99999999999*0.3333 = 33329999999.6667 */
        {-5, 1, 2, 0},               /* invalid: never negative money */
        {100, 1, 0, 0},
    };
    for (size_t i = 0; i < sizeof v / sizeof v[0]; i++)
        CHECK_INT(zc_fen_muldiv(v[i].a, v[i].num, v[i].den), v[i].want);
}

static const check_case cases[] = {
    {"parse", t_parse},
    {"fmt", t_fmt},
    {"muldiv", t_muldiv},
    {0, 0},
};

int main(int argc, char **argv) { return check_main("test_money", cases, argc, argv); }
