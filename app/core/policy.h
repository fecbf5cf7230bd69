/* policy.h - a city's meal-subsidy policy, loaded from versioned JSON.
 *
 * The JSON format is documented in docs/policy.md; db/policies/ has real
 * examples.  A parsed policy is immutable and may be shared read-only
 * between threads. */
#ifndef ZC_POLICY_H
#define ZC_POLICY_H

#include <stddef.h>

#include "civil.h"
#include "err.h"
#include "model.h"

#define ZC_MAX_PERIODS 8
#define ZC_MAX_RULES 32

typedef struct zc_policy zc_policy;

/* A meal period with its time window [from, to) in minutes after midnight. */
typedef struct zc_period {
    char id[ZC_CODE_MAX];     /* "breakfast", "lunch", "dinner" */
    char name[ZC_NAME_MAX];   /* "午餐" */
    int from_min, to_min;
} zc_period;

/* Parses and validates a policy.  On failure err names the exact field, as a
 * path: "rules[2].benefit.percent: must be between 1 and 100".
 * On success *out is owned by the caller (zc_policy_free). */
int zc_policy_parse(const char *json, size_t len, zc_policy **out, zc_err *err) ZC_MUST;
/* Reads a file (at most 1 MiB) and parses it; err names the file too. */
int zc_policy_load(const char *path, zc_policy **out, zc_err *err) ZC_MUST;
void zc_policy_free(zc_policy *p); /* NULL is fine */

const char *zc_policy_id(const zc_policy *p);      /* "beijing" */
const char *zc_policy_version(const zc_policy *p); /* "2024.1" */
const char *zc_policy_name(const zc_policy *p);    /* display name */
zc_date zc_policy_from(const zc_policy *p);        /* first day in force */
zc_date zc_policy_to(const zc_policy *p);          /* last day; y == 0 open */
bool zc_policy_in_force(const zc_policy *p, zc_date d);

int zc_policy_nperiods(const zc_policy *p);
const zc_period *zc_policy_period(const zc_policy *p, int i);
/* The period whose window contains the minute, or NULL outside all windows. */
const zc_period *zc_policy_period_at(const zc_policy *p, int minute_of_day);
const zc_period *zc_policy_period_by_id(const zc_policy *p, const char *id);

/* True when the policy is for canteen k: its top-level "canteens" /
 * "canteen_types" list k's id or type, or it lists neither.  A policy that
 * lists some is never for an unknown canteen (k NULL). */
bool zc_policy_applies_at(const zc_policy *p, const zc_canteen *k);
/* True when the policy lists "canteens" or "canteen_types". */
bool zc_policy_scoped(const zc_policy *p);

/* Picks, among n policies, the one in force on date d at canteen k (NULL:
 * only policies for every canteen), or NULL.  Order: the latest
 * effective_from; on equal dates one scoped to canteens beats one for every
 * canteen; then the one listed last (the store lists in the order stored,
 * so the later stored wins, as in store_policy_for). */
const zc_policy *zc_policy_select_at(const zc_policy *const *v, int n, zc_date d,
                                     const zc_canteen *k);
/* zc_policy_select_at for no particular canteen. */
const zc_policy *zc_policy_select(const zc_policy *const *v, int n, zc_date d);

#endif
