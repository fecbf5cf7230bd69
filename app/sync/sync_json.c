/* sync_json.c - reading the centre's JSON strictly and writing ours exactly.
 *
 * Every field read names its path on failure ("elders[3].birth_date: ...")
 * so a bad page can be reported to the centre's operators as it is.  Whole
 * numbers travel as JSON numbers: cJSON keeps them as doubles, which hold
 * every integer up to 2^53 exactly (fen, seq and epoch seconds are far
 * below), and anything fractional or out of range is refused. */
#include "sync_int.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#define EXACT_MAX 9007199254740992.0 /* 2^53 */

int sync_json_str(const cJSON *o, const char *name, char *buf, size_t n, bool required,
                  const char *path, zc_err *err)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, name);
    buf[0] = '\0';
    if (!v || cJSON_IsNull(v))
        return required ? zc_errf(err, ZC_EINVAL, "%s.%s: is missing", path, name) : ZC_OK;
    if (!cJSON_IsString(v) || !v->valuestring)
        return zc_errf(err, ZC_EINVAL, "%s.%s: must be a string", path, name);
    if (required && !v->valuestring[0])
        return zc_errf(err, ZC_EINVAL, "%s.%s: is empty", path, name);
    /* a copy, not snprintf: a roster page reads 100,000 of these */
    size_t len = strnlen(v->valuestring, n);
    if (len >= n)
        return zc_errf(err, ZC_EINVAL, "%s.%s: is longer than %zu bytes", path, name, n - 1);
    memcpy(buf, v->valuestring, len + 1);
    return ZC_OK;
}

int sync_json_int(const cJSON *o, const char *name, int64_t lo, int64_t hi, bool required,
                  int64_t *out, const char *path, zc_err *err)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, name);
    int64_t x;
    *out = 0;
    if (!v || cJSON_IsNull(v))
        return required ? zc_errf(err, ZC_EINVAL, "%s.%s: is missing", path, name) : ZC_OK;
    if (cJSON_IsNumber(v)) {
        double d = v->valuedouble;
        if (!isfinite(d) || d != floor(d) || fabs(d) > EXACT_MAX)
            return zc_errf(err, ZC_EINVAL, "%s.%s: must be a whole number", path, name);
        x = (int64_t)d;
    } else if (cJSON_IsString(v) && v->valuestring && v->valuestring[0]) {
        char *end;
        errno = 0;
        long long ll = strtoll(v->valuestring, &end, 10);
        if (errno || *end)
            return zc_errf(err, ZC_EINVAL, "%s.%s: \"%.40s\" is not a whole number", path, name,
                           v->valuestring);
        x = (int64_t)ll;
    } else if (cJSON_IsString(v) && !required) {
        return ZC_OK; /* "" = absent, as in the CSV */
    } else {
        return zc_errf(err, ZC_EINVAL, "%s.%s: must be a number", path, name);
    }
    if (x < lo || x > hi)
        return zc_errf(err, ZC_EINVAL, "%s.%s: must be %lld..%lld, not %lld", path, name,
                       (long long)lo, (long long)hi, (long long)x);
    *out = x;
    return ZC_OK;
}

int sync_json_bool(const cJSON *o, const char *name, bool *out, const char *path, zc_err *err)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, name);
    *out = false;
    if (!v || cJSON_IsNull(v))
        return ZC_OK;
    if (cJSON_IsBool(v)) {
        *out = cJSON_IsTrue(v);
        return ZC_OK;
    }
    if (cJSON_IsNumber(v) && (v->valuedouble == 0 || v->valuedouble == 1)) {
        *out = v->valuedouble == 1;
        return ZC_OK;
    }
    if (cJSON_IsString(v) && v->valuestring) {
        const char *s = v->valuestring;
        if (!*s || strcmp(s, "0") == 0 || strcmp(s, "false") == 0)
            return ZC_OK;
        if (strcmp(s, "1") == 0 || strcmp(s, "true") == 0) {
            *out = true;
            return ZC_OK;
        }
    }
    return zc_errf(err, ZC_EINVAL, "%s.%s: must be true or false", path, name);
}

int sync_json_date(const cJSON *o, const char *name, zc_date *out, const char *path, zc_err *err)
{
    char buf[16];
    *out = (zc_date){0, 0, 0};
    int ret = sync_json_str(o, name, buf, sizeof buf, false, path, err);
    if (ret || !buf[0])
        return ret;
    if (zc_date_parse(buf, out) != ZC_OK) {
        *out = (zc_date){0, 0, 0};
        return zc_errf(err, ZC_EINVAL, "%s.%s: \"%s\" is not a date (YYYY-MM-DD)", path, name, buf);
    }
    return ZC_OK;
}

cJSON *sync_json_add_int(cJSON *o, const char *name, int64_t v)
{
    return cJSON_AddNumberToObject(o, name, (double)v);
}
