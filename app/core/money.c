/* money.c - yuan text <-> integer fen, and the one rounding rule (down). */
#include "money.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

/* Accepts only [0-9]+ optionally followed by '.' and one or two digits.
 * strtoll reads the yuan part; we check ourselves that it starts with a digit
 * (strtoll would also take blanks and signs). */
int zc_fen_parse(const char *s, zc_fen *out)
{
    char *end = NULL;
    long long yuan;
    zc_fen frac = 0;
    if (!s || !out || s[0] < '0' || s[0] > '9')
        return ZC_EINVAL;
    errno = 0;
    yuan = strtoll(s, &end, 10);
    if (errno == ERANGE || yuan < 0 || yuan > ZC_FEN_MAX / 100)
        return ZC_EINVAL;
    if (*end == '.') {
        const char *f = end + 1;
        if (f[0] < '0' || f[0] > '9')
            return ZC_EINVAL;
        frac = (f[0] - '0') * 10;
        if (f[1] >= '0' && f[1] <= '9') {
            frac += f[1] - '0';
            end = (char *)f + 2;
        } else {
            end = (char *)f + 1;
        }
    }
    if (*end != '\0')
        return ZC_EINVAL;
    zc_fen total = (zc_fen)yuan * 100 + frac;
    if (total > ZC_FEN_MAX)
        return ZC_EINVAL;
    *out = total;
    return ZC_OK;
}

char *zc_fen_fmt(zc_fen f, char *buf, int n)
{
    if (!buf || n <= 0)
        return buf;
    uint64_t mag = f < 0 ? (uint64_t)0 - (uint64_t)f : (uint64_t)f;
    snprintf(buf, (size_t)n, "%s%llu.%02llu", f < 0 ? "-" : "", (unsigned long long)(mag / 100),
             (unsigned long long)(mag % 100));
    return buf;
}

/* Splits a = q*den + r so that q*num and r*num stay far from overflow for
 * money sizes (a <= ZC_FEN_MAX, num <= a few 10^4).  Invalid arguments
 * (negative a or num, den <= 0) give 0: never claim money on nonsense. */
zc_fen zc_fen_muldiv(zc_fen a, int64_t num, int64_t den)
{
    if (a <= 0 || num <= 0 || den <= 0)
        return 0;
    int64_t q = a / den, r = a % den;
    return q * num + (r * num) / den;
}
