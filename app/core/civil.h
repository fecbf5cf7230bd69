/* civil.h - calendar dates, wall-clock times and the terminal's time zone.
 *
 * The subsidy engine reasons in the canteen's local civil time: a sale on
 * "2026-03-01 11:05" belongs to that date's lunch and to the Monday-Sunday
 * week containing it.  Epoch seconds only appear at the edges (the clock,
 * the database's created_utc), converted with zc_tz_* below. */
#ifndef ZC_CIVIL_H
#define ZC_CIVIL_H

#include <stdbool.h>
#include <stdint.h>

#include "err.h"

/* A proleptic Gregorian date.  y == 0 means "no date" (open-ended). */
typedef struct zc_date {
    int y, m, d;
} zc_date;

/* A local wall-clock moment, minute resolution. */
typedef struct zc_datetime {
    zc_date date;
    int hh, mm; /* 0..23, 0..59 */
} zc_datetime;

/* Days since 1970-01-01 (negative before). */
int64_t zc_days_from_civil(zc_date d);
zc_date zc_civil_from_days(int64_t days);

bool zc_date_valid(zc_date d);   /* real calendar date, 1900..2999 */
bool zc_date_is_set(zc_date d);  /* y != 0 */
bool zc_leap_year(int y);
int zc_days_in_month(int y, int m);
int zc_date_cmp(zc_date a, zc_date b); /* <0, 0, >0 */

/* ISO weekday: 1 = Monday ... 7 = Sunday. */
int zc_weekday(zc_date d);
/* The Monday of the calendar week (Mon-Sun) containing d. */
zc_date zc_week_start(zc_date d);
/* Completed years of age on `on` for someone born on `birth`.  A person born
 * on 29 February gains a year on 1 March in common years. Negative if on < birth. */
int zc_age_on(zc_date birth, zc_date on);

/* Parses exactly "YYYY-MM-DD"; rejects impossible dates. */
int zc_date_parse(const char *s, zc_date *out) ZC_MUST;
/* Parses exactly "YYYY-MM-DD HH:MM" (also accepts a 'T' separator). */
int zc_datetime_parse(const char *s, zc_datetime *out) ZC_MUST;
/* Parses "HH:MM" into minutes after midnight (0..1439; "24:00" gives 1440). */
int zc_hhmm_parse(const char *s, int *minutes) ZC_MUST;

/* Formats "YYYY-MM-DD" into buf (at least 11 bytes). Returns buf. */
char *zc_date_fmt(zc_date d, char *buf, int n);
/* Formats "YYYY-MM-DD HH:MM" into buf (at least 17 bytes). Returns buf. */
char *zc_datetime_fmt(zc_datetime t, char *buf, int n);
int zc_minute_of_day(zc_datetime t);

/* Sets the process time zone (one per process: the terminal's zone), e.g.
 * "Asia/Shanghai".  Falls back to a fixed UTC+8 rule for Asia/Shanghai when
 * the tz database is missing; other names must exist in /usr/share/zoneinfo. */
int zc_tz_set(const char *name, zc_err *err) ZC_MUST;
/* Epoch seconds -> local wall time in the process zone. */
zc_datetime zc_tz_local(int64_t epoch);
/* Local wall time -> epoch seconds (first occurrence when ambiguous). */
int64_t zc_tz_epoch(zc_datetime t);

#endif
