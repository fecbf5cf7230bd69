/* civil.h - calendar dates, wall-clock times and the terminal's time zone.
 *
 * The subsidy engine reasons in the canteen's local civil time: a sale on
 * "2026-03-01 11:05" belongs to that date's lunch and to the Monday-Sunday
 * week containing it.  Epoch seconds only appear at the edges (the clock,
 * the database's created_utc), converted with zc_zone_* and zc_tz_* below. */
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

/* ---- time zones (zone.c) ----
 * A zone is an immutable value read from the tz database; conversions take
 * it as an argument and change nothing process-wide, so threads may share
 * one.  The process zone used by zc_tz_local/zc_tz_epoch is swapped
 * atomically by zc_tz_set; TZ is never set. */
typedef struct zc_zone zc_zone;

/* Loads zone `name` (e.g. "Europe/Berlin") from /usr/share/zoneinfo into a
 * new zone; *out is the caller's, freed with zc_zone_free.  Asia/Shanghai
 * falls back to a fixed UTC+8 zone when the tz database is missing. */
int zc_zone_load(const char *name, zc_zone **out, zc_err *err) ZC_MUST;
/* As zc_zone_load, from the zoneinfo tree at dir (tests). */
int zc_zone_load_dir(const char *dir, const char *name, zc_zone **out, zc_err *err) ZC_MUST;
/* Frees a loaded zone; accepts NULL.  Never a zone from zc_tz_current. */
void zc_zone_free(zc_zone *z);
/* The name the zone was loaded by; owned by the zone. */
const char *zc_zone_name(const zc_zone *z);
/* UTC offset in seconds (east positive) in force at epoch. */
int32_t zc_zone_offset(const zc_zone *z, int64_t epoch);
/* Epoch seconds -> local wall time in z. */
zc_datetime zc_zone_local(const zc_zone *z, int64_t epoch);
/* Local wall time -> epoch seconds: the first occurrence when ambiguous; a
 * time in a gap is read with the offset before the gap, as mktime does. */
int64_t zc_zone_epoch(const zc_zone *z, zc_datetime t);

/* Checks that `name` is a zone that can be loaded, without installing it. */
int zc_tz_check(const char *name, zc_err *err) ZC_MUST;
/* Sets the process time zone (one per process: the terminal's zone), e.g.
 * "Asia/Shanghai", by an atomic swap; readers on other threads see the old
 * or the new zone, whole.  Zones once set are kept for the process's life
 * (at most 32 names; a name set before is reused, not read again).  Same
 * fallback for Asia/Shanghai as zc_zone_load. */
int zc_tz_set(const char *name, zc_err *err) ZC_MUST;
/* The process zone: the last zc_tz_set, else the zone the environment names
 * (TZ, else /etc/localtime, else UTC).  Owned by the process, never freed. */
const zc_zone *zc_tz_current(void);
/* Epoch seconds -> local wall time in the process zone. */
zc_datetime zc_tz_local(int64_t epoch);
/* Local wall time -> epoch seconds (first occurrence when ambiguous). */
int64_t zc_tz_epoch(zc_datetime t);

#endif
