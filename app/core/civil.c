/* civil.c - proleptic Gregorian dates and wall-clock times.
 *
 * Date arithmetic uses day numbers (days since 1970-01-01, Howard Hinnant's
 * civil-from-days algorithms), so weeks and months never depend on the C
 * library or the time zone.  Zones and the process zone are in zone.c. */
#include "civil.h"

#include <stdio.h>
#include <string.h>

int64_t zc_days_from_civil(zc_date d)
{
    int64_t y = d.y - (d.m <= 2);
    int64_t era = (y >= 0 ? y : y - 399) / 400;
    int64_t yoe = y - era * 400;                              /* [0, 399] */
    int64_t mp = (d.m + 9) % 12;                              /* March = 0 */
    int64_t doy = (153 * mp + 2) / 5 + d.d - 1;               /* [0, 365] */
    int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;      /* [0, 146096] */
    return era * 146097 + doe - 719468;
}

zc_date zc_civil_from_days(int64_t days)
{
    int64_t z = days + 719468;
    int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    int64_t doe = z - era * 146097;
    int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    int64_t mp = (5 * doy + 2) / 153;
    int64_t d = doy - (153 * mp + 2) / 5 + 1;
    int64_t m = mp < 10 ? mp + 3 : mp - 9;
    int64_t y = yoe + era * 400 + (m <= 2);
    zc_date out = {(int)y, (int)m, (int)d};
    return out;
}

bool zc_leap_year(int y)
{
    return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

int zc_days_in_month(int y, int m)
{
    static const int dim[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (m < 1 || m > 12)
        return 0;
    return m == 2 && zc_leap_year(y) ? 29 : dim[m - 1];
}

bool zc_date_valid(zc_date d)
{
    return d.y >= 1900 && d.y <= 2999 && d.m >= 1 && d.m <= 12 && d.d >= 1 &&
           d.d <= zc_days_in_month(d.y, d.m);
}

bool zc_date_is_set(zc_date d)
{
    return d.y != 0;
}

int zc_date_cmp(zc_date a, zc_date b)
{
    if (a.y != b.y)
        return a.y < b.y ? -1 : 1;
    if (a.m != b.m)
        return a.m < b.m ? -1 : 1;
    if (a.d != b.d)
        return a.d < b.d ? -1 : 1;
    return 0;
}

int zc_weekday(zc_date d)
{
    /* 1970-01-01 was a Thursday (ISO 4). */
    int64_t days = zc_days_from_civil(d);
    int64_t w = (days + 3) % 7; /* Monday = 0 */
    if (w < 0)
        w += 7;
    return (int)w + 1;
}

zc_date zc_week_start(zc_date d)
{
    return zc_civil_from_days(zc_days_from_civil(d) - (zc_weekday(d) - 1));
}

/* Completed years: the birthday counts once (m, d) is reached.  A 29 Feb
 * birthday is not reached on 28 Feb of a common year, so it comes on 1 Mar. */
int zc_age_on(zc_date birth, zc_date on)
{
    int age = on.y - birth.y;
    if (on.m < birth.m || (on.m == birth.m && on.d < birth.d))
        age--;
    return age; /* negative exactly when on < birth */
}

/* Reads exactly n decimal digits from s; -1 if any is not a digit. */
static int digits(const char *s, int n)
{
    int v = 0;
    for (int i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9')
            return -1;
        v = v * 10 + (s[i] - '0');
    }
    return v;
}

int zc_date_parse(const char *s, zc_date *out)
{
    if (!s || !out || strlen(s) != 10 || s[4] != '-' || s[7] != '-')
        return ZC_EINVAL;
    zc_date d = {digits(s, 4), digits(s + 5, 2), digits(s + 8, 2)};
    if (d.y < 0 || d.m < 0 || d.d < 0 || !zc_date_valid(d))
        return ZC_EINVAL;
    *out = d;
    return ZC_OK;
}

int zc_datetime_parse(const char *s, zc_datetime *out)
{
    char date[11];
    zc_datetime t;
    if (!s || !out || strlen(s) != 16 || (s[10] != ' ' && s[10] != 'T') || s[13] != ':')
        return ZC_EINVAL;
    memcpy(date, s, 10);
    date[10] = '\0';
    if (zc_date_parse(date, &t.date) != ZC_OK)
        return ZC_EINVAL;
    t.hh = digits(s + 11, 2);
    t.mm = digits(s + 14, 2);
    if (t.hh < 0 || t.hh > 23 || t.mm < 0 || t.mm > 59)
        return ZC_EINVAL;
    *out = t;
    return ZC_OK;
}

int zc_hhmm_parse(const char *s, int *minutes)
{
    if (!s || !minutes || strlen(s) != 5 || s[2] != ':')
        return ZC_EINVAL;
    int hh = digits(s, 2), mm = digits(s + 3, 2);
    if (hh < 0 || mm < 0 || mm > 59 || hh > 24 || (hh == 24 && mm != 0))
        return ZC_EINVAL;
    *minutes = hh * 60 + mm;
    return ZC_OK;
}

char *zc_date_fmt(zc_date d, char *buf, int n)
{
    if (buf && n > 0)
        snprintf(buf, (size_t)n, "%04d-%02d-%02d", d.y, d.m, d.d);
    return buf;
}

char *zc_datetime_fmt(zc_datetime t, char *buf, int n)
{
    if (buf && n > 0)
        snprintf(buf, (size_t)n, "%04d-%02d-%02d %02d:%02d", t.date.y, t.date.m, t.date.d, t.hh,
                 t.mm);
    return buf;
}

int zc_minute_of_day(zc_datetime t)
{
    return t.hh * 60 + t.mm;
}
