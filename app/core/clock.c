/* clock.c - the wall clock, pinned by ZHUCAN_NOW in tests (see clock.h).
 *
 * The pin is kept as an offset from the real clock, taken once at
 * zc_clock_init; zc_now() only reads it afterwards, so no lock is needed
 * as long as init runs before the threads (both mains do). */
#include "clock.h"

#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "civil.h"

static int64_t offset; /* pinned minus real, seconds; 0 when not pinned */

int64_t zc_now(void) { return (int64_t)time(NULL) + offset; }

/* Two digits at s, in [lo, hi]. */
static bool two(const char *s, int lo, int hi, int *out)
{
    if (s[0] < '0' || s[0] > '9' || s[1] < '0' || s[1] > '9')
        return false;
    *out = (s[0] - '0') * 10 + (s[1] - '0');
    return *out >= lo && *out <= hi;
}

int zc_clock_parse(const char *s, int64_t *epoch, zc_err *err)
{
    zc_date d;
    char date[11];
    int hh, mm, ss = 0, oh, om, sign;
    const char *p;
    size_t n = s ? strlen(s) : 0;
    if (n > 0 && n <= 12 && strspn(s, "0123456789") == n) {
        char *end;
        errno = 0;
        long long v = strtoll(s, &end, 10);
        if (errno || *end)
            goto bad;
        *epoch = (int64_t)v;
        return ZC_OK;
    }
    /* YYYY-MM-DD[T ]HH:MM[:SS](Z|+HH:MM|-HH:MM) */
    if (n < 17 || n > 25)
        goto bad;
    memcpy(date, s, 10);
    date[10] = '\0';
    if (zc_date_parse(date, &d) != ZC_OK || (s[10] != 'T' && s[10] != ' '))
        goto bad;
    p = s + 11;
    if (!two(p, 0, 23, &hh) || p[2] != ':' || !two(p + 3, 0, 59, &mm))
        goto bad;
    p += 5;
    if (*p == ':') {
        if (!two(p + 1, 0, 59, &ss))
            goto bad;
        p += 3;
    }
    if (*p == 'Z' && p[1] == '\0') {
        oh = om = 0;
        sign = 1;
    } else if ((*p == '+' || *p == '-') && two(p + 1, 0, 14, &oh) && p[3] == ':' &&
               two(p + 4, 0, 59, &om) && p[6] == '\0') {
        sign = *p == '+' ? 1 : -1;
    } else {
        goto bad;
    }
    *epoch = zc_days_from_civil(d) * 86400 + hh * 3600 + mm * 60 + ss - sign * (oh * 3600 + om * 60);
    return ZC_OK;
bad:
    return zc_errf(err, ZC_EINVAL,
                   "ZHUCAN_NOW=\"%.40s\" is not a moment; use epoch seconds or "
                   "2026-12-03T09:00:00+08:00",
                   s ? s : "");
}

int zc_clock_init(zc_err *err)
{
    const char *v = getenv("ZHUCAN_NOW");
    int64_t pinned;
    int ret;
    offset = 0;
    if (!v || !*v)
        return ZC_OK;
    if ((ret = zc_clock_parse(v, &pinned, err)))
        return ret;
    offset = pinned - (int64_t)time(NULL);
    return ZC_OK;
}
