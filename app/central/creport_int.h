/* creport_int.h - private to creport*.c: the month and the JSON helpers the
 * three reports share. */
#ifndef ZC_CENTRAL_CREPORT_INT_H
#define ZC_CENTRAL_CREPORT_INT_H

#include <cjson/cJSON.h>
#include <stdbool.h>
#include <stdint.h>

#include "../core/civil.h"
#include "../core/err.h"

/* A month "YYYY-MM" and its first and last local dates. */
typedef struct creport_month {
    char month[8];
    char from[16]; /* "YYYY-MM-01" */
    char to[16];   /* its last day */
    zc_date first;
    int days;
} creport_month;

/* Parses month; ZC_EINVAL with a message naming the expected form. */
int creport_month_parse(const char *month, creport_month *out, zc_err *err) ZC_MUST;

/* Adds a number or a string member; false when out of memory. */
bool creport_num(cJSON *o, const char *key, int64_t v);
bool creport_str(cJSON *o, const char *key, const char *v);
/* A new object appended to arr (NULL when out of memory). */
cJSON *creport_row(cJSON *arr);
/* ZC_ENOMEM with a message about the report. */
int creport_oom(zc_err *err);

#endif
