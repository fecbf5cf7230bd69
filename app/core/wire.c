/* wire.c - strict readers and writers for the sync protocol's JSON (wire.h).
 *
 * Strings are taken as bytes with a length bound (the terminal's own
 * bounds, so anything it can produce fits) and must be valid UTF-8; the
 * canonical text escapes control characters, so none are refused here.
 * Numbers must be whole and in range (a double holds them exactly up to
 * 2^53, far above any bound used). */
#include "wire.h"

#include <cjson/cJSON.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "jsontext.h"

#define PATH_MAX_ 160

/* ---- helpers ---- */

/* "<path>.<key>: <what>" (or "<path>: <what>" when key is NULL). */
static int bad(zc_err *err, const char *path, const char *key, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
static int bad(zc_err *err, const char *path, const char *key, const char *fmt, ...)
{
    char what[200];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(what, sizeof what, fmt, ap);
    va_end(ap);
    if (key && *path)
        return zc_errf(err, ZC_EINVAL, "%s.%s: %s", path, key, what);
    return zc_errf(err, ZC_EINVAL, "%s: %s", key ? key : path, what);
}

/* Every member of o must be in names (NULL-terminated), once. */
static int known(const cJSON *o, const char *path, const char *const *names, zc_err *err)
{
    for (const cJSON *m = o->child; m; m = m->next) {
        bool ok = false;
        for (const char *const *n = names; *n && !ok; n++)
            ok = m->string && strcmp(m->string, *n) == 0;
        if (!ok)
            return bad(err, path, m->string ? m->string : "?", "is not a known field");
        for (const cJSON *k = m->next; k; k = k->next)
            if (k->string && strcmp(k->string, m->string) == 0)
                return bad(err, path, m->string, "appears twice");
    }
    return ZC_OK;
}

static const cJSON *need(const cJSON *o, const char *path, const char *key, zc_err *err)
{
    const cJSON *m = cJSON_GetObjectItemCaseSensitive(o, key);
    if (!m || cJSON_IsNull(m))
        (void)bad(err, path, key, "is missing");
    return m && !cJSON_IsNull(m) ? m : NULL;
}

/* A string member of at least min and fewer than cap bytes, copied to out. */
static int str_field(const cJSON *o, const char *path, const char *key, size_t min, char *out,
                     size_t cap, zc_err *err)
{
    const cJSON *m = need(o, path, key, err);
    if (!m)
        return ZC_EINVAL;
    if (!cJSON_IsString(m) || !m->valuestring)
        return bad(err, path, key, "must be a string");
    size_t n = strlen(m->valuestring);
    if (n < min || n >= cap)
        return min ? bad(err, path, key, "must be 1 to %zu bytes", cap - 1)
                   : bad(err, path, key, "must be at most %zu bytes", cap - 1);
    if (!zc_utf8_valid(m->valuestring))
        return bad(err, path, key, "is not valid UTF-8");
    memcpy(out, m->valuestring, n + 1);
    return ZC_OK;
}

static int int_field(const cJSON *o, const char *path, const char *key, int64_t min, int64_t max,
                     int64_t *out, zc_err *err)
{
    const cJSON *m = need(o, path, key, err);
    if (!m)
        return ZC_EINVAL;
    double v = cJSON_IsNumber(m) ? m->valuedouble : NAN;
    if (!cJSON_IsNumber(m) || v != floor(v) || v < (double)min || v > (double)max)
        return bad(err, path, key, "must be a whole number %lld..%lld", (long long)min,
                   (long long)max);
    *out = (int64_t)v;
    return ZC_OK;
}

static int bool_field(const cJSON *o, const char *path, const char *key, bool *out, zc_err *err)
{
    const cJSON *m = need(o, path, key, err);
    if (!m)
        return ZC_EINVAL;
    if (!cJSON_IsBool(m))
        return bad(err, path, key, "must be true or false");
    *out = cJSON_IsTrue(m);
    return ZC_OK;
}

/* An array member with min..max entries (*out borrowed). */
static int array_field(const cJSON *o, const char *path, const char *key, int min, int max,
                       const cJSON **out, zc_err *err)
{
    const cJSON *m = need(o, path, key, err);
    if (!m)
        return ZC_EINVAL;
    if (!cJSON_IsArray(m))
        return bad(err, path, key, "must be an array");
    int n = cJSON_GetArraySize(m);
    if (n < min || n > max)
        return bad(err, path, key, "must have %d to %d entries, not %d", min, max, n);
    *out = m;
    return ZC_OK;
}

static bool hex64_ok(const char *s)
{
    if (strlen(s) != 64)
        return false;
    for (; *s; s++)
        if (!((*s >= '0' && *s <= '9') || (*s >= 'a' && *s <= 'f')))
            return false;
    return true;
}

bool zc_wire_uuid_ok(const char *s)
{
    if (strlen(s) != 36)
        return false;
    for (int i = 0; i < 36; i++) {
        char c = s[i];
        bool dash = i == 8 || i == 13 || i == 18 || i == 23;
        if (dash ? c != '-' : !((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f')))
            return false;
    }
    return true;
}

static bool card_ok(const char *s)
{
    if (!*s)
        return true;
    if (strlen(s) != 10)
        return false;
    for (; *s; s++)
        if (!((*s >= '0' && *s <= '9') || (*s >= 'A' && *s <= 'F')))
            return false;
    return true;
}

/* ---- parsing ---- */

int zc_wire_parse(const char *body, size_t len, cJSON **out, zc_err *err)
{
    *out = NULL;
    if (zc_json_depth(body, len) > ZC_WIRE_JSON_DEPTH)
        return zc_errf(err, ZC_EINVAL, "body: JSON nested deeper than %d levels",
                       ZC_WIRE_JSON_DEPTH);
    long ctl = zc_json_control(body, len);
    if (ctl >= 0)
        return zc_errf(err, ZC_EINVAL, "body: a string holds a control character (NUL, line "
                       "break, tab ...) at byte %ld; text fields must be printable", ctl);
    const char *end = NULL;
    cJSON *root = cJSON_ParseWithLengthOpts(body, len, &end, 0);
    size_t at = end && end >= body ? (size_t)(end - body) : 0;
    if (!root)
        return zc_errf(err, ZC_EINVAL, "body: malformed JSON near byte %zu", at);
    while (at < len && (body[at] == ' ' || body[at] == '\t' || body[at] == '\r' || body[at] == '\n'))
        at++;
    if (at < len) {
        cJSON_Delete(root);
        return zc_errf(err, ZC_EINVAL, "body: unexpected text after the JSON at byte %zu", at);
    }
    if (!cJSON_IsObject(root)) {
        cJSON_Delete(root);
        return zc_errf(err, ZC_EINVAL, "body: must be a JSON object");
    }
    *out = root;
    return ZC_OK;
}

int zc_wire_batch(const cJSON *root, const cJSON **sales, const cJSON **voids, zc_err *err)
{
    static const char *const names[] = {"sales", "voids", NULL};
    int ret = known(root, "", names, err);
    *voids = NULL;
    if (ret || (ret = array_field(root, "", "sales", 0, ZC_WIRE_BATCH_MAX, sales, err)))
        return ret;
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(root, "voids");
    if (v && !cJSON_IsNull(v))
        ret = array_field(root, "", "voids", 0, ZC_WIRE_BATCH_MAX, voids, err);
    return ret;
}

static int sale_line(const cJSON *o, const char *path, int i, zc_line *l, zc_err *err)
{
    static const char *const names[] = {"no", "code", "name", "unit_fen", "qty", "eligible", NULL};
    int64_t no, unit, qty;
    if (!cJSON_IsObject(o))
        return bad(err, path, NULL, "must be an object");
    int ret = known(o, path, names, err);
    if (ret || (ret = int_field(o, path, "no", 1, ZC_MAX_LINES, &no, err)))
        return ret;
    if (no != i + 1)
        return bad(err, path, "no", "must be %d (lines are numbered in order from 1)", i + 1);
    if ((ret = str_field(o, path, "code", 1, l->code, sizeof l->code, err)) ||
        (ret = str_field(o, path, "name", 0, l->name, sizeof l->name, err)) ||
        (ret = int_field(o, path, "unit_fen", 0, ZC_FEN_MAX, &unit, err)) ||
        (ret = int_field(o, path, "qty", 1, ZC_WIRE_QTY_MAX, &qty, err)) ||
        (ret = bool_field(o, path, "eligible", &l->eligible, err)))
        return ret;
    l->unit_fen = unit;
    l->qty = (int)qty;
    return ZC_OK;
}

static int sale_rule(const cJSON *o, const char *path, zc_sale_rule *r, zc_err *err)
{
    static const char *const names[] = {"rule", "key", "period", "date", "fen", NULL};
    zc_date d;
    if (!cJSON_IsObject(o))
        return bad(err, path, NULL, "must be an object");
    int ret = known(o, path, names, err);
    if (ret || (ret = str_field(o, path, "rule", 1, r->rule, sizeof r->rule, err)) ||
        (ret = str_field(o, path, "key", 1, r->key, sizeof r->key, err)) ||
        (ret = str_field(o, path, "period", 0, r->period, sizeof r->period, err)) ||
        (ret = str_field(o, path, "date", 1, r->date, sizeof r->date, err)) ||
        (ret = int_field(o, path, "fen", 0, ZC_FEN_MAX, &r->fen, err)))
        return ret;
    if (zc_date_parse(r->date, &d) != ZC_OK)
        return bad(err, path, "date", "must be a date YYYY-MM-DD");
    return ZC_OK;
}

static int sale_part(const cJSON *o, const char *path, int i, zc_part *p, zc_err *err)
{
    static const char *const names[] = {"no", "rule", "source", "fen", NULL};
    int64_t no;
    if (!cJSON_IsObject(o))
        return bad(err, path, NULL, "must be an object");
    int ret = known(o, path, names, err);
    if (ret || (ret = int_field(o, path, "no", 1, ZC_MAX_PARTS, &no, err)))
        return ret;
    if (no != i + 1)
        return bad(err, path, "no", "must be %d (parts are numbered in order from 1)", i + 1);
    if ((ret = str_field(o, path, "rule", 1, p->rule, sizeof p->rule, err)) ||
        (ret = str_field(o, path, "source", 1, p->source, sizeof p->source, err)) ||
        (ret = int_field(o, path, "fen", 0, ZC_FEN_MAX, &p->fen, err)))
        return ret;
    return ZC_OK;
}

/* The scalar members of a SALE. */
static int sale_head(const cJSON *o, const char *path, zc_sale_doc *d, char hash[ZC_SHA256_HEX],
                     zc_err *err)
{
    zc_datetime t;
    int ret;
    if ((ret = str_field(o, path, "id", 1, d->id, sizeof d->id, err)))
        return ret;
    if (!zc_wire_uuid_ok(d->id))
        return bad(err, path, "id", "must be a lower-case UUID (36 characters)");
    if ((ret = int_field(o, path, "seq", 1, (int64_t)1 << 53, &d->seq, err)) ||
        (ret = str_field(o, path, "terminal", 1, d->terminal, sizeof d->terminal, err)) ||
        (ret = str_field(o, path, "canteen", 1, d->canteen, sizeof d->canteen, err)) ||
        (ret = str_field(o, path, "operator", 1, d->op, sizeof d->op, err)) ||
        (ret = str_field(o, path, "elder", 0, d->elder, sizeof d->elder, err)) ||
        (ret = str_field(o, path, "card", 0, d->card, sizeof d->card, err)))
        return ret;
    if (!card_ok(d->card))
        return bad(err, path, "card", "must be \"\" or 10 upper-case hex digits");
    if ((ret = int_field(o, path, "created_utc", 0, (int64_t)1 << 53, &d->created_utc, err)) ||
        (ret = str_field(o, path, "local_time", 1, d->local_time, sizeof d->local_time, err)))
        return ret;
    if (strlen(d->local_time) != 16 || d->local_time[10] != ' ' ||
        zc_datetime_parse(d->local_time, &t) != ZC_OK)
        return bad(err, path, "local_time", "must be \"YYYY-MM-DD HH:MM\"");
    if ((ret = str_field(o, path, "period", 0, d->period, sizeof d->period, err)) ||
        (ret = str_field(o, path, "policy", 1, d->policy, sizeof d->policy, err)) ||
        (ret = str_field(o, path, "policy_version", 1, d->policy_version, sizeof d->policy_version,
                         err)) ||
        (ret = int_field(o, path, "gross", 0, ZC_FEN_MAX, &d->gross, err)) ||
        (ret = int_field(o, path, "subsidy", 0, ZC_FEN_MAX, &d->subsidy, err)) ||
        (ret = int_field(o, path, "pay", 0, ZC_FEN_MAX, &d->pay, err)) ||
        (ret = str_field(o, path, "pay_method", 1, d->pay_method, sizeof d->pay_method, err)))
        return ret;
    if (strcmp(d->pay_method, "cash") && strcmp(d->pay_method, "mobile"))
        return bad(err, path, "pay_method", "must be \"cash\" or \"mobile\"");
    if ((ret = str_field(o, path, "pay_ref", 0, d->pay_ref, sizeof d->pay_ref, err)) ||
        (ret = int_field(o, path, "tendered", 0, ZC_FEN_MAX, &d->tendered, err)) ||
        (ret = str_field(o, path, "prev", 1, d->prev, sizeof d->prev, err)) ||
        (ret = str_field(o, path, "hash", 1, hash, ZC_SHA256_HEX, err)))
        return ret;
    if (!hex64_ok(d->prev))
        return bad(err, path, "prev", "must be 64 lower-case hex digits");
    if (!hex64_ok(hash))
        return bad(err, path, "hash", "must be 64 lower-case hex digits");
    return ZC_OK;
}

int zc_wire_sale(const cJSON *o, const char *path, zc_sale_doc *d, char hash[ZC_SHA256_HEX],
                      zc_err *err)
{
    static const char *const names[] = {
        "id", "seq", "terminal", "canteen", "operator", "elder", "card", "created_utc",
        "local_time", "period", "policy", "policy_version", "gross", "subsidy", "pay",
        "pay_method", "pay_ref", "tendered", "lines", "rules", "parts", "prev", "hash", NULL};
    const cJSON *arr, *m;
    char p[PATH_MAX_];
    int ret, i;
    memset(d, 0, sizeof *d);
    if (!cJSON_IsObject(o))
        return bad(err, path, NULL, "must be an object");
    if ((ret = known(o, path, names, err)) || (ret = sale_head(o, path, d, hash, err)))
        return ret;
    if ((ret = array_field(o, path, "lines", 1, ZC_MAX_LINES, &arr, err)))
        return ret;
    i = 0;
    cJSON_ArrayForEach(m, arr) {
        snprintf(p, sizeof p, "%s.lines[%d]", path, i);
        if ((ret = sale_line(m, p, i, &d->lines[i], err)))
            return ret;
        d->nlines = ++i;
    }
    if ((ret = array_field(o, path, "rules", 0, ZC_MAX_RULES, &arr, err)))
        return ret;
    i = 0;
    cJSON_ArrayForEach(m, arr) {
        snprintf(p, sizeof p, "%s.rules[%d]", path, i);
        if ((ret = sale_rule(m, p, &d->rules[i], err)))
            return ret;
        for (int k = 0; k < i; k++)
            if (strcmp(d->rules[k].rule, d->rules[i].rule) == 0)
                return bad(err, p, "rule", "\"%s\" is also rules[%d]", d->rules[i].rule, k);
        d->nrules = ++i;
    }
    if ((ret = array_field(o, path, "parts", 0, ZC_MAX_PARTS, &arr, err)))
        return ret;
    i = 0;
    cJSON_ArrayForEach(m, arr) {
        snprintf(p, sizeof p, "%s.parts[%d]", path, i);
        if ((ret = sale_part(m, p, i, &d->parts[i], err)))
            return ret;
        d->nparts = ++i;
    }
    return ZC_OK;
}

int zc_wire_void_read(const cJSON *o, const char *path, zc_wire_void *v, zc_err *err)
{
    static const char *const names[] = {"sale_id", "at_utc", "operator", "reason", NULL};
    memset(v, 0, sizeof *v);
    if (!cJSON_IsObject(o))
        return bad(err, path, NULL, "must be an object");
    int ret = known(o, path, names, err);
    if (ret || (ret = str_field(o, path, "sale_id", 1, v->sale_id, sizeof v->sale_id, err)))
        return ret;
    if (!zc_wire_uuid_ok(v->sale_id))
        return bad(err, path, "sale_id", "must be a lower-case UUID (36 characters)");
    if ((ret = int_field(o, path, "at_utc", 0, (int64_t)1 << 53, &v->at_utc, err)) ||
        (ret = str_field(o, path, "operator", 1, v->op, sizeof v->op, err)) ||
        (ret = str_field(o, path, "reason", 1, v->reason, sizeof v->reason, err)))
        return ret;
    return ZC_OK;
}

int zc_wire_closing_read(const cJSON *root, zc_wire_closing *c, zc_err *err)
{
    static const char *const names[] = {"date", "count", "gross", "subsidy", "pay", "by_source",
                                        "last_seq", "chain_head", NULL};
    static const char *const src_names[] = {"source", "fen", NULL};
    const cJSON *arr, *m;
    zc_date d;
    char p[PATH_MAX_];
    int ret = known(root, "", names, err), i = 0;
    memset(c, 0, sizeof *c);
    if (ret || (ret = str_field(root, "", "date", 1, c->date, sizeof c->date, err)))
        return ret;
    if (zc_date_parse(c->date, &d) != ZC_OK)
        return bad(err, "", "date", "must be a date YYYY-MM-DD");
    if ((ret = int_field(root, "", "count", 0, (int64_t)1 << 53, &c->count, err)) ||
        (ret = int_field(root, "", "gross", 0, (int64_t)1 << 53, &c->gross, err)) ||
        (ret = int_field(root, "", "subsidy", 0, (int64_t)1 << 53, &c->subsidy, err)) ||
        (ret = int_field(root, "", "pay", 0, (int64_t)1 << 53, &c->pay, err)) ||
        (ret = array_field(root, "", "by_source", 0, ZC_WIRE_SOURCES_MAX, &arr, err)) ||
        (ret = int_field(root, "", "last_seq", 0, (int64_t)1 << 53, &c->last_seq, err)) ||
        (ret = str_field(root, "", "chain_head", 1, c->chain_head, sizeof c->chain_head, err)))
        return ret;
    if (!hex64_ok(c->chain_head))
        return bad(err, "", "chain_head", "must be 64 lower-case hex digits");
    cJSON_ArrayForEach(m, arr) {
        char src[ZC_CODE_MAX];
        int64_t fen;
        snprintf(p, sizeof p, "by_source[%d]", i++);
        if (!cJSON_IsObject(m))
            return bad(err, p, NULL, "must be an object");
        if ((ret = known(m, p, src_names, err)) ||
            (ret = str_field(m, p, "source", 1, src, sizeof src, err)) ||
            (ret = int_field(m, p, "fen", 0, (int64_t)1 << 53, &fen, err)))
            return ret;
    }
    /* stored as received, re-printed compactly (bounded: 16 short entries) */
    char *text = cJSON_PrintUnformatted(arr);
    if (!text)
        return zc_errf(err, ZC_ENOMEM, "out of memory reading the closing");
    ret = strlen(text) < sizeof c->by_source ? ZC_OK : bad(err, "", "by_source", "is too long");
    if (ret == ZC_OK)
        memcpy(c->by_source, text, strlen(text) + 1);
    cJSON_free(text);
    return ret;
}

/* ---- writing ---- */

cJSON *zc_wire_sale_json(const zc_sale_doc *d, const char *hash)
{
    cJSON *o = cJSON_CreateObject(), *arr, *x;
    bool ok = o != NULL;
    ok = ok && cJSON_AddStringToObject(o, "id", d->id) &&
         cJSON_AddNumberToObject(o, "seq", (double)d->seq) &&
         cJSON_AddStringToObject(o, "terminal", d->terminal) &&
         cJSON_AddStringToObject(o, "canteen", d->canteen) &&
         cJSON_AddStringToObject(o, "operator", d->op) &&
         cJSON_AddStringToObject(o, "elder", d->elder) &&
         cJSON_AddStringToObject(o, "card", d->card) &&
         cJSON_AddNumberToObject(o, "created_utc", (double)d->created_utc) &&
         cJSON_AddStringToObject(o, "local_time", d->local_time) &&
         cJSON_AddStringToObject(o, "period", d->period) &&
         cJSON_AddStringToObject(o, "policy", d->policy) &&
         cJSON_AddStringToObject(o, "policy_version", d->policy_version) &&
         cJSON_AddNumberToObject(o, "gross", (double)d->gross) &&
         cJSON_AddNumberToObject(o, "subsidy", (double)d->subsidy) &&
         cJSON_AddNumberToObject(o, "pay", (double)d->pay) &&
         cJSON_AddStringToObject(o, "pay_method", d->pay_method) &&
         cJSON_AddStringToObject(o, "pay_ref", d->pay_ref) &&
         cJSON_AddNumberToObject(o, "tendered", (double)d->tendered);
    if (ok && (ok = (arr = cJSON_AddArrayToObject(o, "lines")) != NULL))
        for (int i = 0; ok && i < d->nlines; i++) {
            const zc_line *l = &d->lines[i];
            ok = (x = cJSON_CreateObject()) && cJSON_AddItemToArray(arr, x) &&
                 cJSON_AddNumberToObject(x, "no", i + 1) && cJSON_AddStringToObject(x, "code", l->code) &&
                 cJSON_AddStringToObject(x, "name", l->name) &&
                 cJSON_AddNumberToObject(x, "unit_fen", (double)l->unit_fen) &&
                 cJSON_AddNumberToObject(x, "qty", l->qty) &&
                 cJSON_AddBoolToObject(x, "eligible", l->eligible);
        }
    if (ok && (ok = (arr = cJSON_AddArrayToObject(o, "rules")) != NULL))
        for (int i = 0; ok && i < d->nrules; i++) {
            const zc_sale_rule *r = &d->rules[i];
            ok = (x = cJSON_CreateObject()) && cJSON_AddItemToArray(arr, x) &&
                 cJSON_AddStringToObject(x, "rule", r->rule) && cJSON_AddStringToObject(x, "key", r->key) &&
                 cJSON_AddStringToObject(x, "period", r->period) &&
                 cJSON_AddStringToObject(x, "date", r->date) &&
                 cJSON_AddNumberToObject(x, "fen", (double)r->fen);
        }
    if (ok && (ok = (arr = cJSON_AddArrayToObject(o, "parts")) != NULL))
        for (int i = 0; ok && i < d->nparts; i++) {
            const zc_part *p = &d->parts[i];
            ok = (x = cJSON_CreateObject()) && cJSON_AddItemToArray(arr, x) &&
                 cJSON_AddNumberToObject(x, "no", i + 1) && cJSON_AddStringToObject(x, "rule", p->rule) &&
                 cJSON_AddStringToObject(x, "source", p->source) &&
                 cJSON_AddNumberToObject(x, "fen", (double)p->fen);
        }
    ok = ok && cJSON_AddStringToObject(o, "prev", d->prev) && cJSON_AddStringToObject(o, "hash", hash);
    if (!ok) {
        cJSON_Delete(o);
        return NULL;
    }
    return o;
}

cJSON *zc_wire_void_json(const zc_wire_void *v)
{
    cJSON *o = cJSON_CreateObject();
    bool ok = o && cJSON_AddStringToObject(o, "sale_id", v->sale_id) &&
              cJSON_AddNumberToObject(o, "at_utc", (double)v->at_utc) &&
              cJSON_AddStringToObject(o, "operator", v->op) &&
              cJSON_AddStringToObject(o, "reason", v->reason);
    if (!ok) {
        cJSON_Delete(o);
        return NULL;
    }
    return o;
}
