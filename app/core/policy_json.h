/* policy_json.h - strict JSON member readers for the policy parser only.
 *
 * All return ZC_OK or ZC_EINVAL with err = "<path>.<key>: <problem>".
 * "Absent" includes JSON null; absent optional members leave outputs as
 * documented and set *present (when given) to false. */
#ifndef ZC_POLICY_JSON_H
#define ZC_POLICY_JSON_H

#include <cjson/cJSON.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "civil.h"
#include "err.h"
#include "model.h"

#define POL_PATH_MAX 160

/* Allowed characters of a string member. */
enum pol_charset {
    CS_TEXT, /* anything but control characters */
    CS_CODE, /* [a-z0-9_]: categories, periods, groups, sources, regions */
    CS_ID,   /* [A-Za-z0-9_.-]: policy, version, rule ids, limit keys */
};

/* buf (POL_PATH_MAX bytes) = path "." key, or path "[" i "]". Return buf. */
const char *pol_join(char *buf, const char *path, const char *key);
const char *pol_index_path(char *buf, const char *path, int i);
/* Formats "<path>: <what>" into err; returns ZC_EINVAL. */
int pol_bad(zc_err *err, const char *path, const char *what);

/* Rejects [ / { nesting deeper than POL_MAX_DEPTH outside strings. */
int pol_depth_ok(const char *s, size_t len, zc_err *err);
/* Every member of obj must be in names (NULL-terminated) and appear once;
 * an unknown one is reported with the nearest known name as a hint. */
int pol_known_fields(const cJSON *obj, const char *path, const char *const *names,
                     zc_err *err);
/* The member, or NULL when absent or null. */
const cJSON *pol_member(const cJSON *obj, const char *key);

/* Non-empty string of charset cs, shorter than cap, copied to out. */
int pol_str_field(const cJSON *obj, const char *path, const char *key, bool required, int cs,
                  char *out, size_t cap, bool *present, zc_err *err);
/* A whole number in [min, max]; m is the value itself, p its full path. */
int pol_int_value(const cJSON *m, const char *p, int64_t min, int64_t max, int64_t *out,
                  zc_err *err);
int pol_int_field(const cJSON *obj, const char *path, const char *key, bool required,
                  int64_t min, int64_t max, int64_t *out, bool *present, zc_err *err);
/* Required number with at most two decimals, returned times 100. */
int pol_dec2_field(const cJSON *obj, const char *path, const char *key, int min100, int max100,
                   int *out, zc_err *err);
/* String that must be one of words (NULL-terminated): *out = its index,
 * or dflt when absent. */
int pol_enum_field(const cJSON *obj, const char *path, const char *key, bool required,
                   const char *const *words, int dflt, int *out, zc_err *err);
/* "YYYY-MM-DD"; absent leaves *out zero (open). */
int pol_date_field(const cJSON *obj, const char *path, const char *key, bool required,
                   zc_date *out, zc_err *err);
/* Array with min..max entries / object; *out NULL when absent. */
int pol_array_field(const cJSON *obj, const char *path, const char *key, bool required, int min,
                    int max, const cJSON **out, zc_err *err);
int pol_object_field(const cJSON *obj, const char *path, const char *key, bool required,
                     const cJSON **out, zc_err *err);
/* Array of distinct category codes, at most POL_MAX_CATS. */
int pol_codes_field(const cJSON *obj, const char *path, const char *key,
                    char (*out)[ZC_CODE_MAX], int *n, zc_err *err);
/* Optional free-text "note" (at most 2000 bytes); never read. */
int pol_note_field(const cJSON *obj, const char *path, zc_err *err);

#endif
