/* idnum.c - Chinese resident ID numbers (GB 11643-1999).
 *
 * An 18-character number: 6 digits of region, 8 digits of birth date
 * (YYYYMMDD), 3 digits of sequence, and a check character computed from the
 * first 17 digits with the weights 2^(17-i) mod 11.  The number is checked
 * exactly as given (no trimming): callers pass what they will hash and store. */
#include "card.h"

#include <string.h>

#define IDNUM_LEN 18

static const int weights[17] = {7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2};
static const char check_chars[] = "10X98765432";

/* The check character for 17 digits, or '?' when they are not 17 digits. */
char zc_idnum_check_char(const char *first17)
{
    if (!first17)
        return '?';
    int sum = 0;
    for (int i = 0; i < 17; i++) {
        char c = first17[i];
        if (c < '0' || c > '9')
            return '?';
        sum += (c - '0') * weights[i];
    }
    return check_chars[sum % 11];
}

/* Reads the YYYYMMDD at s[6..13]; assumes they are digits. */
static zc_date birth_of(const char *s)
{
    zc_date d = {0, 0, 0};
    for (int i = 6; i < 10; i++)
        d.y = d.y * 10 + (s[i] - '0');
    d.m = (s[10] - '0') * 10 + (s[11] - '0');
    d.d = (s[12] - '0') * 10 + (s[13] - '0');
    return d;
}

/* Checks length, characters, birth date and check digit, in that order, so
 * the message names the first thing a person should look at. */
int zc_idnum_check(const char *s, zc_err *err)
{
    if (!s || !*s)
        return zc_errf(err, ZC_EINVAL, "no ID number was entered; enter the 18 characters");
    size_t n = strnlen(s, IDNUM_LEN + 1);
    if (n != IDNUM_LEN)
        return zc_errf(err, ZC_EINVAL, "ID number must be 18 characters, got %s%zu; check it",
                       n > IDNUM_LEN ? "more than " : "", n > IDNUM_LEN ? (size_t)IDNUM_LEN : n);
    for (int i = 0; i < 17; i++)
        if (s[i] < '0' || s[i] > '9')
            return zc_errf(err, ZC_EINVAL,
                           "ID number must be 17 digits and then a digit or X, but character %d "
                           "is not a digit; check it", i + 1);
    char last = s[17];
    if (last == 'x')
        last = 'X';
    if (!((last >= '0' && last <= '9') || last == 'X'))
        return zc_errf(err, ZC_EINVAL,
                       "ID number must end in a digit or X, but the 18th character is neither; "
                       "check it");
    zc_date b = birth_of(s);
    if (!zc_date_valid(b))
        return zc_errf(err, ZC_EINVAL,
                       "ID number holds the birth date %04d-%02d-%02d, which does not exist; "
                       "check characters 7 to 14", b.y, b.m, b.d);
    char want = zc_idnum_check_char(s);
    if (want != last)
        return zc_errf(err, ZC_EINVAL,
                       "ID number check digit should be %c, not %c; one of the characters was "
                       "mistyped, check them all", want, last);
    return ZC_OK;
}

int zc_idnum_birth(const char *s, zc_date *out)
{
    if (!out)
        return ZC_EINVAL;
    int rc = zc_idnum_check(s, NULL);
    if (rc != ZC_OK)
        return rc;
    *out = birth_of(s);
    return ZC_OK;
}
