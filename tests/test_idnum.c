/* test_idnum.c - GB 11643 resident ID numbers.
 *
 * Check digits are worked out here with the standard's weighted sum, not by
 * calling the function under test. */
#include "../app/core/card.h"

#include <string.h>

#include "check.h"

/* GB 11643: sum of digit * weight, mod 11, indexes "10X98765432". */
static char expected_check(const char *first17)
{
    static const int w[17] = {7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2};
    int sum = 0;
    for (int i = 0; i < 17; i++)
        sum += (first17[i] - '0') * w[i];
    return "10X98765432"[sum % 11];
}

/* Appends the correct check character to 17 digits: out must hold 19. */
static void complete(const char *first17, char out[19])
{
    memcpy(out, first17, 17);
    out[17] = expected_check(first17);
    out[18] = '\0';
}

static const struct {
    const char *base;
    int y, m, d;
} valid[] = {
    {"11010519491231002", 1949, 12, 31},
    {"44030419800229123", 1980, 2, 29}, /* leap day */
    {"31011520000229000", 2000, 2, 29}, /* leap century */
    {"65010219000101999", 1900, 1, 1},
    {"51010720241015555", 2024, 10, 15},
    {"23010219370707888", 1937, 7, 7},
};

static void t_known_vector(void)
{
    /* the example printed in GB 11643-1999 */
    CHECK_OK(zc_idnum_check("11010519491231002X", NULL));
    CHECK_OK(zc_idnum_check("11010519491231002x", NULL));
    CHECK_INT(zc_idnum_check_char("11010519491231002"), 'X');
    CHECK_INT(expected_check("11010519491231002"), 'X');
}

static void t_valid(void)
{
    char id[19];
    for (size_t i = 0; i < sizeof valid / sizeof valid[0]; i++) {
        zc_err err = {""};
        complete(valid[i].base, id);
        CHECK_INT(zc_idnum_check_char(valid[i].base), id[17]);
        CHECK_OK(zc_idnum_check(id, &err));
        if (err.msg[0])
            fprintf(stderr, "    %s: %s\n", id, err.msg);
        zc_date b = {0, 0, 0};
        CHECK_OK(zc_idnum_birth(id, &b));
        CHECK_INT(b.y, valid[i].y);
        CHECK_INT(b.m, valid[i].m);
        CHECK_INT(b.d, valid[i].d);
    }
}

/* Over a thousand sequence numbers, the function agrees with the sum above,
 * and every check character, X included, turns up. */
static void t_check_char_sweep(void)
{
    char base[18] = "32010619561104000";
    int seen[11] = {0};
    for (int seq = 0; seq < 1000; seq++) {
        base[14] = (char)('0' + seq / 100);
        base[15] = (char)('0' + seq / 10 % 10);
        base[16] = (char)('0' + seq % 10);
        char want = expected_check(base);
        CHECK_INT(zc_idnum_check_char(base), want);
        seen[strchr("10X98765432", want) - "10X98765432"]++;
        char id[19];
        complete(base, id);
        CHECK_OK(zc_idnum_check(id, NULL));
        if (want == 'X') {
            id[17] = 'x';
            CHECK_OK(zc_idnum_check(id, NULL));
        }
    }
    for (int i = 0; i < 11; i++)
        CHECK(seen[i] > 0);
    CHECK_INT(zc_idnum_check_char("1101051949123100"), '?'); /* 16 digits */
    CHECK_INT(zc_idnum_check_char("1101051949123100A"), '?');
    CHECK_INT(zc_idnum_check_char(NULL), '?');
}

static void t_wrong_check_digit(void)
{
    char id[19], msg[64];
    for (size_t i = 0; i < sizeof valid / sizeof valid[0]; i++) {
        complete(valid[i].base, id);
        char right = id[17];
        for (const char *c = "0123456789X"; *c; c++) {
            if (*c == right)
                continue;
            zc_err err = {""};
            id[17] = *c;
            CHECK_INT(zc_idnum_check(id, &err), ZC_EINVAL);
            snprintf(msg, sizeof msg, "should be %c, not %c", right, *c);
            CHECK(strstr(err.msg, msg) != NULL);
            zc_date b;
            CHECK_INT(zc_idnum_birth(id, &b), ZC_EINVAL);
        }
    }
    /* one mistyped digit in the body is caught too */
    complete("11010519491231002", id);
    id[3] = id[3] == '9' ? '0' : (char)(id[3] + 1);
    CHECK_INT(zc_idnum_check(id, NULL), ZC_EINVAL);
}

static void t_bad_birth(void)
{
    static const struct {
        const char *name, *base;
    } tab[] = {
        {"month 13", "11010519491331002"},
        {"month 00", "11010519490031002"},
        {"30 February", "11010519500230002"},
        {"29 February 1900", "11010519000229002"},
        {"29 February 2023", "11010520230229002"},
        {"31 April", "11010519800431002"},
        {"day 00", "11010519491200002"},
        {"day 32", "11010519490132002"},
        {"year 1899", "11010518991231002"},
    };
    char id[19];
    for (size_t i = 0; i < sizeof tab / sizeof tab[0]; i++) {
        zc_err err = {""};
        check_current = tab[i].name;
        complete(tab[i].base, id); /* right check digit: only the date is wrong */
        CHECK_INT(zc_idnum_check(id, &err), ZC_EINVAL);
        CHECK(strstr(err.msg, "birth date") != NULL);
        zc_date b = {1, 2, 3};
        CHECK_INT(zc_idnum_birth(id, &b), ZC_EINVAL);
        CHECK(b.y == 1 && b.m == 2 && b.d == 3);
    }
    check_current = "bad_birth";
}

static void t_bad_shape(void)
{
    static const struct {
        const char *name, *in, *says;
    } tab[] = {
        {"empty", "", "no ID number"},
        {"17 chars", "11010519491231002", "18 characters, got 17"},
        {"19 chars", "11010519491231002X1", "18 characters, got more than 18"},
        {"way too long", "1101051949123100211010519491231002", "got more than 18"},
        {"letter inside", "1101A519491231002X", "character 5 is not a digit"},
        {"X inside", "1101051949123100X2", "character 17 is not a digit"},
        {"space inside", "110105 9491231002X", "character 7"},
        {"leading space", " 11010519491231002", "character 1"},
        {"ends in Y", "11010519491231002Y", "end in a digit or X"},
        {"ends in space", "11010519491231002 ", "end in a digit or X"},
        {"fullwidth-ish byte", "11010519491231002\xef", "end in a digit or X"},
    };
    for (size_t i = 0; i < sizeof tab / sizeof tab[0]; i++) {
        zc_err err = {""};
        check_current = tab[i].name;
        CHECK_INT(zc_idnum_check(tab[i].in, &err), ZC_EINVAL);
        CHECK(strstr(err.msg, tab[i].says) != NULL);
        if (!strstr(err.msg, tab[i].says))
            fprintf(stderr, "    message was: %s\n", err.msg);
    }
    check_current = "bad_shape";
    CHECK_INT(zc_idnum_check(NULL, NULL), ZC_EINVAL);
    zc_date b;
    CHECK_INT(zc_idnum_birth(NULL, &b), ZC_EINVAL);
    CHECK_INT(zc_idnum_birth("11010519491231002X", NULL), ZC_EINVAL);
}

static const check_case cases[] = {
    {"known_vector", t_known_vector},
    {"valid", t_valid},
    {"check_char_sweep", t_check_char_sweep},
    {"wrong_check_digit", t_wrong_check_digit},
    {"bad_birth", t_bad_birth},
    {"bad_shape", t_bad_shape},
    {0},
};

int main(int argc, char **argv) { return check_main("test_idnum", cases, argc, argv); }
