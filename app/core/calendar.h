/* calendar.h - the official calendar of working days, weekends and public
 * holidays, loaded from data the centre publishes.
 *
 * China moves working days every year (调休): the State Council's notice
 * names the public-holiday days off and the weekend days worked instead.
 * Policies may limit a rule to some kinds of day ("days" in docs/policy.md);
 * the engine asks this module which kind a date is.  The format is in
 * docs/policy.md ("Calendar"); db/calendar/ has the shipped file.  A parsed
 * calendar is immutable and may be shared read-only between threads. */
#ifndef ZC_CALENDAR_H
#define ZC_CALENDAR_H

#include <stdbool.h>
#include <stddef.h>

#include "civil.h"
#include "err.h"

#define ZC_CAL_MAX_YEARS 16   /* years in one calendar */
#define ZC_CAL_MAX_RANGES 16  /* holiday periods in one year */
#define ZC_CAL_MAX_WORKDAYS 16 /* weekend days worked in one year */

typedef struct zc_calendar zc_calendar;

/* The three kinds are disjoint: every date is exactly one. */
typedef enum zc_day_kind {
    ZC_DAY_WORKDAY = 0, /* Monday-Friday not off, or a weekend day worked (调休) */
    ZC_DAY_WEEKEND,     /* an ordinary Saturday or Sunday off */
    ZC_DAY_HOLIDAY,     /* a day off of a public-holiday period (放假) */
    ZC_DAY_COUNT
} zc_day_kind;

/* Parses and validates a calendar; err names the field path
 * ("years[0].workdays[1]: 2026-01-05 is a Monday ...").
 * On success *out is owned by the caller (zc_calendar_free). */
int zc_calendar_parse(const char *json, size_t len, zc_calendar **out, zc_err *err) ZC_MUST;
/* Reads a file (at most 64 KiB) and parses it; err names the file too. */
int zc_calendar_load(const char *path, zc_calendar **out, zc_err *err) ZC_MUST;
void zc_calendar_free(zc_calendar *c); /* NULL is fine */

const char *zc_calendar_id(const zc_calendar *c);      /* "cn" */
const char *zc_calendar_version(const zc_calendar *c); /* "2026.1" */

/* The kind of day d.  *official (may be NULL) is false when c is NULL or
 * holds no published arrangement for d's year: then Monday-Friday count as
 * working days and Saturday-Sunday as weekend, with no holidays. */
zc_day_kind zc_calendar_day(const zc_calendar *c, zc_date d, bool *official);

/* Stable code of a kind: "workday", "weekend", "holiday" ("" past the end). */
const char *zc_day_kind_code(zc_day_kind k);

#endif
