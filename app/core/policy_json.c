/* policy_json.c - strict readers for JSON members, used by policy_parse.c.
 *
 * Each reader takes the path of the enclosing object ("rules[2].benefit")
 * and the member name, and on a problem fills zc_err with
 * "<path>.<member>: <what is wrong>" so the person editing the file can go
 * straight to it.  JSON null counts as absent everywhere.  Paths longer
 * than POL_PATH_MAX are cut and marked with '~'. */
#include "policy_json.h"
#include "policy_int.h" /* POL_MAX_DEPTH, POL_MAX_CATS */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "jsontext.h"

/* field path: "rules[2]" + "benefit" -> "rules[2].benefit" */
const char *pol_join(char *buf, const char *path, const char *key)
{
    if (snprintf(buf, POL_PATH_MAX, "%s%s%s", path, path[0] ? "." : "", key) >= POL_PATH_MAX)
        buf[POL_PATH_MAX - 2] = '~'; /* mark the cut; still points at the field */
    return buf;
}

const char *pol_index_path(char *buf, const char *path, int i)
{
    if (snprintf(buf, POL_PATH_MAX, "%s[%d]", path, i) >= POL_PATH_MAX)
        buf[POL_PATH_MAX - 2] = '~';
    return buf;
}

int pol_bad(zc_err *err, const char *path, const char *what)
{
    return zc_errf(err, ZC_EINVAL, "%s: %s", path, what);
}

/* Refuses text nested deeper than POL_MAX_DEPTH (scanned up to len), and
 * strings holding control characters (cJSON would cut at a \u0000). */
int pol_depth_ok(const char *s, size_t len, zc_err *err)
{
    if (zc_json_depth(s, len) > POL_MAX_DEPTH)
        return zc_errf(err, ZC_EINVAL,
                       "policy: nested deeper than %d levels; this is not a policy file",
                       POL_MAX_DEPTH);
    long ctl = zc_json_control(s, len);
    if (ctl >= 0)
        return zc_errf(err, ZC_EINVAL, "policy: a string holds a control character (NUL, line "
                       "break, tab ...) at byte %ld; names and texts must be printable", ctl);
    return ZC_OK;
}

/* Edit distance capped small: enough to suggest a field for a typo. */
static int distance(const char *a, const char *b)
{
    int prev[40], cur[40];
    size_t la = strlen(a), lb = strlen(b);
    if (la >= 39 || lb >= 39)
        return 99;
    for (size_t j = 0; j <= lb; j++)
        prev[j] = (int)j;
    for (size_t i = 1; i <= la; i++) {
        cur[0] = (int)i;
        for (size_t j = 1; j <= lb; j++) {
            int sub = prev[j - 1] + (a[i - 1] != b[j - 1]);
            int del = prev[j] + 1, ins = cur[j - 1] + 1;
            cur[j] = sub < del ? (sub < ins ? sub : ins) : (del < ins ? del : ins);
        }
        memcpy(prev, cur, sizeof prev);
    }
    return prev[lb];
}

/* Every member of obj must be one of names (NULL-terminated), once. */
int pol_known_fields(const cJSON *obj, const char *path, const char *const *names,
                        zc_err *err)
{
    char p[POL_PATH_MAX];
    for (const cJSON *c = obj->child; c; c = c->next) {
        bool found = false;
        const char *best = NULL;
        int best_d = 3;
        for (const char *const *n = names; *n; n++) {
            if (strcmp(*n, c->string) == 0)
                found = true;
            int d = distance(*n, c->string);
            if (d < best_d) {
                best_d = d;
                best = *n;
            }
        }
        pol_join(p, path, c->string);
        if (!found) {
            if (best)
                return zc_errf(err, ZC_EINVAL, "%s: unknown field; did you mean \"%s\"?", p, best);
            return pol_bad(err, p, "unknown field; see docs/policy.md for the fields allowed here");
        }
        for (const cJSON *d = obj->child; d != c; d = d->next)
            if (strcmp(d->string, c->string) == 0)
                return pol_bad(err, p, "appears twice; keep one");
    }
    return ZC_OK;
}

/* A member, with JSON null treated as absent. */
const cJSON *pol_member(const cJSON *obj, const char *key)
{
    const cJSON *m = cJSON_GetObjectItemCaseSensitive(obj, key);
    return cJSON_IsNull(m) ? NULL : m;
}

static bool charset_ok(const char *s, int cs)
{
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        unsigned char c = *p;
        bool lower = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
        if (cs == CS_TEXT && c < 0x20)
            return false;
        if (cs == CS_CODE && !lower)
            return false;
        if (cs == CS_ID && !lower && !(c >= 'A' && c <= 'Z') && c != '-' && c != '.')
            return false;
    }
    return true;
}

/* Copies string member key into out; absent is an error only if required. */
int pol_str_field(const cJSON *obj, const char *path, const char *key, bool required,
                     int cs, char *out, size_t cap, bool *present, zc_err *err)
{
    char p[POL_PATH_MAX];
    const cJSON *m = pol_member(obj, key);
    pol_join(p, path, key);
    if (present)
        *present = m != NULL;
    if (!m)
        return required ? pol_bad(err, p, "is required") : ZC_OK;
    if (!cJSON_IsString(m))
        return pol_bad(err, p, "must be a string");
    size_t len = strlen(m->valuestring);
    if (len == 0)
        return pol_bad(err, p, "must not be empty");
    if (len >= cap)
        return zc_errf(err, ZC_EINVAL, "%s: longer than %zu bytes", p, cap - 1);
    if (!charset_ok(m->valuestring, cs))
        return pol_bad(err, p,
                   cs == CS_CODE ? "must use only a-z, 0-9 and _"
                   : cs == CS_ID ? "must use only letters, digits, _, - and ."
                                 : "must not contain control characters");
    memcpy(out, m->valuestring, len + 1);
    return ZC_OK;
}

/* A whole number in [min, max] (exactly representable: |v| < 2^53). */
int pol_int_value(const cJSON *m, const char *p, int64_t min, int64_t max, int64_t *out,
                     zc_err *err)
{
    if (!cJSON_IsNumber(m))
        return pol_bad(err, p, "must be a whole number");
    double v = m->valuedouble;
    if (v < -9e15 || v > 9e15 || v != (double)(int64_t)v)
        return pol_bad(err, p, "must be a whole number");
    int64_t i = (int64_t)v;
    if (i < min || i > max)
        return zc_errf(err, ZC_EINVAL, "%s: must be between %lld and %lld", p, (long long)min,
                       (long long)max);
    *out = i;
    return ZC_OK;
}

int pol_int_field(const cJSON *obj, const char *path, const char *key, bool required,
                     int64_t min, int64_t max, int64_t *out, bool *present, zc_err *err)
{
    char p[POL_PATH_MAX];
    const cJSON *m = pol_member(obj, key);
    pol_join(p, path, key);
    if (present)
        *present = m != NULL;
    if (!m)
        return required ? pol_bad(err, p, "is required") : ZC_OK;
    return pol_int_value(m, p, min, max, out, err);
}

/* A number with at most two decimals in [min100/100, max100/100], returned
 * times 100 ("33.33" -> 3333).  The double only carries the JSON text here;
 * no money is computed in floating point. */
int pol_dec2_field(const cJSON *obj, const char *path, const char *key, int min100,
                      int max100, int *out, zc_err *err)
{
    char p[POL_PATH_MAX];
    const cJSON *m = pol_member(obj, key);
    pol_join(p, path, key);
    if (!m)
        return pol_bad(err, p, "is required");
    if (!cJSON_IsNumber(m) || m->valuedouble < -1e6 || m->valuedouble > 1e6)
        return pol_bad(err, p, "must be a number");
    double x = m->valuedouble * 100.0;
    int64_t r = (int64_t)(x >= 0 ? x + 0.5 : x - 0.5);
    double diff = x - (double)r;
    if (diff > 1e-6 || diff < -1e-6)
        return pol_bad(err, p, "may have at most two decimals");
    if (r < min100 || r > max100)
        return zc_errf(err, ZC_EINVAL, "%s: must be between %d and %d", p, min100 / 100,
                       max100 / 100);
    *out = (int)r;
    return ZC_OK;
}

/* A string member that must be one of words[] (NULL-terminated); *out is its
 * index, or dflt when absent. */
int pol_enum_field(const cJSON *obj, const char *path, const char *key, bool required,
                      const char *const *words, int dflt, int *out, zc_err *err)
{
    char p[POL_PATH_MAX], list[120] = "";
    const cJSON *m = pol_member(obj, key);
    size_t pos = 0;
    pol_join(p, path, key);
    *out = dflt;
    if (!m)
        return required ? pol_bad(err, p, "is required") : ZC_OK;
    for (int i = 0; words[i]; i++) {
        if (cJSON_IsString(m) && strcmp(m->valuestring, words[i]) == 0) {
            *out = i;
            return ZC_OK;
        }
        int w = snprintf(list + pos, sizeof list - pos, "%s\"%s\"", i ? ", " : "", words[i]);
        if (w > 0 && (size_t)w < sizeof list - pos)
            pos += (size_t)w;
    }
    return zc_errf(err, ZC_EINVAL, "%s: must be one of %s", p, list);
}

int pol_date_field(const cJSON *obj, const char *path, const char *key, bool required,
                      zc_date *out, zc_err *err)
{
    char p[POL_PATH_MAX];
    const cJSON *m = pol_member(obj, key);
    pol_join(p, path, key);
    out->y = out->m = out->d = 0;
    if (!m)
        return required ? pol_bad(err, p, "is required") : ZC_OK;
    if (!cJSON_IsString(m) || zc_date_parse(m->valuestring, out) != ZC_OK)
        return pol_bad(err, p, "must be a real date written YYYY-MM-DD");
    return ZC_OK;
}

int pol_array_field(const cJSON *obj, const char *path, const char *key, bool required,
                       int min, int max, const cJSON **out, zc_err *err)
{
    char p[POL_PATH_MAX];
    const cJSON *m = pol_member(obj, key);
    pol_join(p, path, key);
    *out = m;
    if (!m)
        return required ? pol_bad(err, p, "is required") : ZC_OK;
    if (!cJSON_IsArray(m))
        return pol_bad(err, p, "must be an array");
    int n = cJSON_GetArraySize(m);
    if (n < min)
        return min == 1 ? pol_bad(err, p, "must not be empty")
                        : zc_errf(err, ZC_EINVAL, "%s: needs at least %d entries", p, min);
    if (n > max)
        return zc_errf(err, ZC_EINVAL, "%s: has %d entries, at most %d are allowed", p, n, max);
    return ZC_OK;
}

int pol_object_field(const cJSON *obj, const char *path, const char *key, bool required,
                        const cJSON **out, zc_err *err)
{
    char p[POL_PATH_MAX];
    const cJSON *m = pol_member(obj, key);
    pol_join(p, path, key);
    *out = m;
    if (!m)
        return required ? pol_bad(err, p, "is required") : ZC_OK;
    if (!cJSON_IsObject(m))
        return pol_bad(err, p, "must be an object");
    return ZC_OK;
}

/* An array of distinct category codes. */
int pol_codes_field(const cJSON *obj, const char *path, const char *key,
                       char (*out)[ZC_CODE_MAX], int *n, zc_err *err)
{
    char p[POL_PATH_MAX], q[POL_PATH_MAX];
    const cJSON *a;
    int rc = pol_array_field(obj, path, key, false, 0, POL_MAX_CATS, &a, err);
    *n = 0;
    if (rc || !a)
        return rc;
    pol_join(p, path, key);
    for (const cJSON *c = a->child; c; c = c->next) {
        pol_index_path(q, p, *n);
        if (!cJSON_IsString(c) || !c->valuestring[0])
            return pol_bad(err, q, "must be a category code string such as \"dibao\"");
        if (strlen(c->valuestring) >= ZC_CODE_MAX || !charset_ok(c->valuestring, CS_CODE))
            return pol_bad(err, q, "category codes use only a-z, 0-9 and _ (at most 23)");
        for (int i = 0; i < *n; i++)
            if (strcmp(out[i], c->valuestring) == 0)
                return zc_errf(err, ZC_EINVAL, "%s: \"%s\" is listed twice", q, c->valuestring);
        snprintf(out[*n], ZC_CODE_MAX, "%s", c->valuestring);
        (*n)++;
    }
    return ZC_OK;
}

/* "note": free text for people (where the rule comes from); never read. */
int pol_note_field(const cJSON *obj, const char *path, zc_err *err)
{
    char p[POL_PATH_MAX];
    const cJSON *m = pol_member(obj, "note");
    if (m && (!cJSON_IsString(m) || strlen(m->valuestring) > 2000))
        return pol_bad(err, pol_join(p, path, "note"), "must be a string of at most 2000 bytes");
    return ZC_OK;
}
