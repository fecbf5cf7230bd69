/* api.c - the endpoint handlers (api.h).  Each builds a cJSON reply; a
 * failure becomes {"error": "..."} with 400 (the request is wrong), 404,
 * 503 (the database is busy or full: retry later) or 500. */
#include "api.h"

#include <cjson/cJSON.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../core/buf.h"
#include "ingest.h"
#include "../core/wire.h"

#define ROSTER_LIMIT_MAX 5000
#define ROSTER_LIMIT_DEFAULT 1000
#define POLICY_LIMIT_MAX 100
#define POLICY_LIMIT_DEFAULT 20
#define USES_CAP 1024
#define OWN_LIMIT_MAX ZC_WIRE_BATCH_MAX /* a page is one push batch's worth */
#define OWN_LIMIT_DEFAULT 100

static const struct {
    const char *method, *path;
    bool auth, body;
} routes[] = {
    [API_HEALTH] = {"GET", "/api/v1/health", false, false},
    [API_TIME] = {"GET", "/api/v1/time", true, false},
    [API_CONFIG] = {"GET", "/api/v1/config", true, false},
    [API_SALES] = {"POST", "/api/v1/sales", true, true},
    [API_ROSTER] = {"GET", "/api/v1/roster", true, false},
    [API_POLICIES] = {"GET", "/api/v1/policies", true, false},
    [API_USAGE] = {"GET", "/api/v1/usage", true, false},
    [API_CLOSING] = {"POST", "/api/v1/closing", true, true},
    [API_OWN_SALES] = {"GET", "/api/v1/own-sales", true, false},
};

int central_api_route(const char *method, const char *path, bool *auth, bool *body)
{
    int found = API_NOT_FOUND;
    for (int i = 0; i < (int)(sizeof routes / sizeof routes[0]); i++) {
        if (strcmp(path, routes[i].path) != 0)
            continue;
        if (strcmp(method, routes[i].method) != 0) {
            found = API_BAD_METHOD;
            continue;
        }
        *auth = routes[i].auth;
        *body = routes[i].body;
        return i;
    }
    return found;
}

/* ---- replies ---- */

static void set_json(central_response *rs, int status, cJSON *o)
{
    char *text = o ? cJSON_PrintUnformatted(o) : NULL;
    cJSON_Delete(o);
    if (!text) {
        static const char oom[] = "{\"error\":\"out of memory\"}";
        rs->status = 500;
        rs->body = malloc(sizeof oom);
        rs->len = rs->body ? sizeof oom - 1 : 0;
        if (rs->body)
            memcpy(rs->body, oom, sizeof oom);
        return;
    }
    rs->status = status;
    rs->body = text;
    rs->len = strlen(text);
}

void central_api_error(central_response *rs, int status, const char *msg)
{
    cJSON *o = cJSON_CreateObject();
    if (o && !cJSON_AddStringToObject(o, "error", msg)) {
        cJSON_Delete(o);
        o = NULL;
    }
    set_json(rs, status, o);
}

/* The HTTP status for a failure code. */
static int status_of(int code)
{
    switch (code) {
    case ZC_EINVAL:
    case ZC_ETOOBIG:
        return 400;
    case ZC_ENOTFOUND:
        return 404;
    case ZC_ELOCKED:
    case ZC_EFULL:
    case ZC_EIO:
    case ZC_EDB:
        return 503;
    default:
        return 500;
    }
}

static void fail(central_response *rs, int code, const zc_err *err)
{
    central_api_error(rs, status_of(code), err->msg[0] ? err->msg : zc_strerror(code));
}

/* A query argument as a whole number in [min, max], dflt when absent. */
static int arg_int(const central_request *rq, const char *name, int64_t min, int64_t max,
                   int64_t dflt, int64_t *out, zc_err *err)
{
    const char *v = rq->arg(rq->arg_ctx, name);
    *out = dflt;
    if (!v)
        return ZC_OK;
    char *end = NULL;
    errno = 0;
    long long x = strtoll(v, &end, 10);
    if (errno || end == v || *end || x < min || x > max)
        return zc_errf(err, ZC_EINVAL, "%s: must be a whole number %lld..%lld", name, (long long)min,
                       (long long)max);
    *out = (int64_t)x;
    return ZC_OK;
}

/* ---- handlers: each returns the reply object, or NULL with code/err set ---- */

static cJSON *h_health(void)
{
    cJSON *o = cJSON_CreateObject();
    if (o && (!cJSON_AddTrueToObject(o, "ok") || !cJSON_AddStringToObject(o, "version", "1"))) {
        cJSON_Delete(o);
        return NULL;
    }
    return o;
}

static cJSON *h_time(const central_request *rq)
{
    cJSON *o = cJSON_CreateObject();
    if (o && !cJSON_AddNumberToObject(o, "server_time", (double)rq->now)) {
        cJSON_Delete(o);
        return NULL;
    }
    return o;
}

static cJSON *h_config(central_store *st, const central_request *rq, int *code, zc_err *err)
{
    zc_canteen c;
    char pk[80] = "";
    if ((*code = central_store_canteen_get(st, rq->terminal->canteen_id, &c, err)))
        return NULL;
    if (central_store_meta_get(st, "qr_pubkey", pk, sizeof pk) != ZC_OK)
        pk[0] = '\0';
    cJSON *o = cJSON_CreateObject(), *can;
    bool ok = o && cJSON_AddStringToObject(o, "terminal_id", rq->terminal->id) &&
              (can = cJSON_AddObjectToObject(o, "canteen")) && cJSON_AddStringToObject(can, "id", c.id) &&
              cJSON_AddStringToObject(can, "name", c.name) && cJSON_AddStringToObject(can, "city", c.city) &&
              cJSON_AddStringToObject(can, "district", c.district) &&
              cJSON_AddStringToObject(can, "town", c.town) &&
              cJSON_AddStringToObject(o, "id_salt", central_store_salt(st)) &&
              cJSON_AddStringToObject(o, "qr_pubkey", pk) &&
              cJSON_AddStringToObject(o, "card_format", rq->terminal->card_format);
    if (!ok) {
        cJSON_Delete(o);
        *code = zc_errf(err, ZC_ENOMEM, "out of memory");
        return NULL;
    }
    return o;
}

static cJSON *h_sales(central_store *st, const central_request *rq, int *code, zc_err *err)
{
    cJSON *root = NULL, *reply = cJSON_CreateObject();
    if (!reply) {
        *code = zc_errf(err, ZC_ENOMEM, "out of memory");
        return NULL;
    }
    if ((*code = zc_wire_parse(rq->body ? rq->body : "", rq->len, &root, err)) == ZC_OK)
        *code = central_ingest_batch(st, rq->group, rq->terminal, root, rq->now, reply, err);
    cJSON_Delete(root);
    if (*code) {
        cJSON_Delete(reply);
        return NULL;
    }
    return reply;
}

/* Roster pages are the centre's biggest replies (5000 elders, megabytes):
 * they are written straight into one growing buffer rather than built as
 * a cJSON tree of 100,000 nodes and printed. */
typedef struct jbuf {
    zc_buf b;   /* the reply's text (no maximum: the page limit bounds it) */
    long items; /* elders written so far */
} jbuf;

static void jb_put(jbuf *b, const char *s, size_t n)
{
    zc_buf_put(&b->b, s, n);
}

static void jb_text(jbuf *b, const char *s)
{
    zc_buf_text(&b->b, s);
}

/* s as a JSON string (quotes, backslashes and control characters escaped;
 * UTF-8 as it is, as cJSON writes it). */
static void jb_str(jbuf *b, const char *s)
{
    const char *run = s;
    jb_put(b, "\"", 1);
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        if (c >= 0x20 && c != '"' && c != '\\')
            continue;
        char esc[8];
        jb_put(b, run, (size_t)(s - run));
        snprintf(esc, sizeof esc, c == '"' ? "\\\"" : c == '\\' ? "\\\\" : "\\u%04x", c);
        jb_text(b, esc);
        run = s + 1;
    }
    jb_put(b, run, (size_t)(s - run));
    jb_put(b, "\"", 1);
}

/* ,"key":"value" (no comma when first) */
static void jb_kv(jbuf *b, const char *key, const char *value, bool first)
{
    jb_text(b, first ? "\"" : ",\"");
    jb_text(b, key);
    jb_text(b, "\":");
    jb_str(b, value);
}

static const char *date_or_empty(zc_date d, char *buf, int n)
{
    return d.y ? zc_date_fmt(d, buf, n) : "";
}

/* Appends one ELDER object (and a comma before all but the first) to the
 * jbuf ctx. */
static int put_elder(void *ctx, const central_elder_row *r)
{
    jbuf *b = ctx;
    const zc_elder *e = &r->e;
    char b1[16], num[48], cats[ZC_MAX_CATS * (ZC_CODE_MAX + 4)], g[2] = {r->gender, 0};
    jb_text(b, b->items++ ? ",{" : "{");
    jb_kv(b, "elder_id", e->id, true);
    jb_kv(b, "name", e->name, false);
    jb_kv(b, "birth_date", zc_date_fmt(e->birth, b1, sizeof b1), false);
    jb_kv(b, "gender", g, false);
    jb_kv(b, "phone", r->phone, false);
    jb_kv(b, "reg_city", e->reg_city, false);
    jb_kv(b, "reg_district", e->reg_district, false);
    jb_kv(b, "reg_town", e->reg_town, false);
    jb_kv(b, "res_city", e->res_city, false);
    jb_kv(b, "res_district", e->res_district, false);
    jb_kv(b, "res_town", e->res_town, false);
    jb_kv(b, "categories", zc_cats_fmt(e->cats, e->ncats, cats, sizeof cats), false);
    snprintf(num, sizeof num, ",\"disability_grade\":%d", e->disability_grade);
    jb_text(b, num);
    jb_text(b, e->care_home ? ",\"care_home\":true" : ",\"care_home\":false");
    jb_kv(b, "status", e->status == ZC_ELDER_SUSPENDED  ? "suspended"
                       : e->status == ZC_ELDER_DECEASED ? "deceased"
                                                        : "active", false);
    jb_kv(b, "valid_from", date_or_empty(e->valid_from, b1, sizeof b1), false);
    jb_kv(b, "valid_to", date_or_empty(e->valid_to, b1, sizeof b1), false);
    jb_kv(b, "id_hash", r->id_hash, false);
    jb_kv(b, "id_last4", r->id_last4, false);
    jb_text(b, ",\"cards\":[");
    for (int i = 0; i < r->ncards; i++) {
        const central_card *c = &r->cards[i];
        jb_text(b, i ? ",{" : "{");
        jb_kv(b, "uid", c->uid, true);
        jb_kv(b, "status", c->status, false);
        jb_kv(b, "valid_from", date_or_empty(c->valid_from, b1, sizeof b1), false);
        jb_kv(b, "valid_to", date_or_empty(c->valid_to, b1, sizeof b1), false);
        jb_text(b, "}");
    }
    jb_text(b, "]}");
    return b->b.failed ? ZC_ENOMEM : ZC_OK;
}

/* GET /roster: {"elders":[...],"next":"<cursor>","more":bool} into rs. */
static void h_roster(central_store *st, const central_request *rq, central_response *rs)
{
    int64_t after, limit, next = 0;
    bool more = false;
    jbuf b = {0};
    zc_err err = {""};
    char tail[64];
    int code = arg_int(rq, "after", 0, INT64_MAX, 0, &after, &err);
    if (code == ZC_OK)
        code = arg_int(rq, "limit", 1, ROSTER_LIMIT_MAX, ROSTER_LIMIT_DEFAULT, &limit, &err);
    if (code == ZC_OK) {
        jb_text(&b, "{\"elders\":[");
        code = b.b.failed ? ZC_ENOMEM : central_store_roster_page(st, after, (int)limit, put_elder, &b, &next,
                                                             &more, &err);
    }
    if (code == ZC_OK) {
        snprintf(tail, sizeof tail, "],\"next\":\"%lld\",\"more\":%s}", (long long)next,
                 more ? "true" : "false");
        jb_text(&b, tail);
        if (!zc_buf_take(&b.b, &rs->body, &rs->len))
            code = ZC_ENOMEM;
    }
    if (code == ZC_ENOMEM)
        code = zc_errf(&err, ZC_ENOMEM, "out of memory");
    if (code) {
        zc_buf_free(&b.b);
        fail(rs, code, &err);
        return;
    }
    rs->status = 200;
}

/* What put_policy needs: the page's array and the asking terminal's
 * canteen, so a version scoped to other canteens is left out. */
typedef struct policy_page {
    cJSON *arr;
    central_store *st;
    const zc_canteen *canteen;
} policy_page;

static int put_policy(void *ctx, const char *policy, const char *version, const char *json)
{
    policy_page *pg = ctx;
    const zc_policy *p = NULL;
    zc_err why;
    /* published text always parses; should it not, send it and let the terminal say so */
    if (central_store_policy_get(pg->st, policy, version, &p, &why) == ZC_OK &&
        !zc_policy_applies_at(p, pg->canteen))
        return ZC_OK;
    cJSON *o = cJSON_CreateObject();
    if (!o || !cJSON_AddItemToArray(pg->arr, o)) {
        cJSON_Delete(o);
        return ZC_ENOMEM;
    }
    return cJSON_AddStringToObject(o, "policy", policy) && cJSON_AddStringToObject(o, "version", version) &&
                   cJSON_AddStringToObject(o, "json", json)
               ? ZC_OK
               : ZC_ENOMEM;
}

/* The calendar published last, as {"calendar", "version", "json"} in o;
 * nothing when none is published. */
static int put_calendar(central_store *st, cJSON *o, zc_err *err)
{
    const zc_calendar *cal = NULL;
    const char *json = NULL;
    cJSON *c;
    int code = central_store_calendar_current(st, &cal, &json, err);
    if (code || !cal)
        return code;
    if (!(c = cJSON_AddObjectToObject(o, "calendar")) ||
        !cJSON_AddStringToObject(c, "calendar", zc_calendar_id(cal)) ||
        !cJSON_AddStringToObject(c, "version", zc_calendar_version(cal)) ||
        !cJSON_AddStringToObject(c, "json", json))
        return zc_errf(err, ZC_ENOMEM, "out of memory");
    return ZC_OK;
}

/* GET /policies: one page after the cursor, of the versions for the
 * terminal's canteen, and the calendar in use. */
static cJSON *h_policies(central_store *st, const central_request *rq, int *code, zc_err *err)
{
    int64_t after, limit, next = 0;
    bool more = false;
    char buf[24];
    zc_canteen k;
    if ((*code = arg_int(rq, "after", 0, INT64_MAX, 0, &after, err)) ||
        (*code = arg_int(rq, "limit", 1, POLICY_LIMIT_MAX, POLICY_LIMIT_DEFAULT, &limit, err)) ||
        (*code = central_store_canteen_get(st, rq->terminal->canteen_id, &k, err)))
        return NULL;
    cJSON *o = cJSON_CreateObject(), *arr = o ? cJSON_AddArrayToObject(o, "policies") : NULL;
    if (!arr) {
        cJSON_Delete(o);
        *code = zc_errf(err, ZC_ENOMEM, "out of memory");
        return NULL;
    }
    policy_page pg = {arr, st, &k};
    *code = central_store_policy_page(st, after, (int)limit, put_policy, &pg, &next, &more, err);
    if (*code == ZC_ENOMEM)
        *code = zc_errf(err, ZC_ENOMEM, "out of memory");
    snprintf(buf, sizeof buf, "%lld", (long long)next);
    if (*code == ZC_OK && (!cJSON_AddStringToObject(o, "next", buf) || !cJSON_AddBoolToObject(o, "more", more)))
        *code = zc_errf(err, ZC_ENOMEM, "out of memory");
    if (*code == ZC_OK)
        *code = put_calendar(st, o, err);
    if (*code) {
        cJSON_Delete(o);
        return NULL;
    }
    return o;
}

static cJSON *h_usage(central_store *st, const central_request *rq, int *code, zc_err *err)
{
    const char *elder = rq->arg(rq->arg_ctx, "elder"), *ds = rq->arg(rq->arg_ctx, "date");
    zc_date d;
    int n = 0;
    char b[16];
    if (!elder || !*elder || strlen(elder) >= ZC_ID_MAX) {
        *code = zc_errf(err, ZC_EINVAL, "elder: must be an elder id of 1 to %d characters",
                        ZC_ID_MAX - 1);
        return NULL;
    }
    if (!ds || zc_date_parse(ds, &d) != ZC_OK) {
        *code = zc_errf(err, ZC_EINVAL, "date: must be a date YYYY-MM-DD");
        return NULL;
    }
    central_use *uses = malloc(sizeof *uses * USES_CAP);
    cJSON *o = cJSON_CreateObject(), *arr = o ? cJSON_AddArrayToObject(o, "uses") : NULL;
    if (!uses || !arr) {
        *code = zc_errf(err, ZC_ENOMEM, "out of memory");
        goto out;
    }
    if ((*code = central_store_uses(st, elder, central_usage_from(d), d, NULL, uses, USES_CAP, &n, err)))
        goto out;
    for (int i = 0; i < n && *code == ZC_OK; i++) {
        const central_use *u = &uses[i];
        cJSON *x = cJSON_CreateObject();
        if (!x || !cJSON_AddItemToArray(arr, x) ||
            !cJSON_AddStringToObject(x, "date", zc_date_fmt(u->u.date, b, sizeof b)) ||
            !cJSON_AddStringToObject(x, "period", u->u.period) ||
            !cJSON_AddStringToObject(x, "key", u->u.key) ||
            !cJSON_AddNumberToObject(x, "fen", (double)u->u.fen) ||
            !cJSON_AddStringToObject(x, "canteen", u->canteen) ||
            !cJSON_AddStringToObject(x, "sale_id", u->sale_id))
            *code = zc_errf(err, ZC_ENOMEM, "out of memory");
    }
out:
    free(uses);
    if (*code) {
        cJSON_Delete(o);
        return NULL;
    }
    return o;
}

static cJSON *h_closing(central_store *st, const central_request *rq, int *code, zc_err *err)
{
    cJSON *root = NULL, *o = NULL;
    zc_wire_closing c;
    if ((*code = zc_wire_parse(rq->body ? rq->body : "", rq->len, &root, err)) ||
        (*code = zc_wire_closing_read(root, &c, err)) ||
        (*code = central_store_closing_put(st, rq->terminal->id, &c, rq->now, err)))
        goto out;
    o = cJSON_CreateObject();
    if (!o || !cJSON_AddStringToObject(o, "status", "stored")) {
        cJSON_Delete(o);
        o = NULL;
        *code = zc_errf(err, ZC_ENOMEM, "out of memory");
    }
out:
    cJSON_Delete(root);
    return o;
}

/* Appends one held sale (as it was pushed) and its void, if any, to the
 * reply's arrays. */
static int put_own(central_store *st, const central_own_row *r, zc_sale_doc *d, cJSON *sales,
                   cJSON *voids, zc_err *err)
{
    int ret = central_store_sale_load(st, r->id, d, err);
    if (ret)
        return ret;
    cJSON *o = zc_wire_sale_json(d, r->hash), *v = NULL;
    if (!o || !cJSON_AddItemToArray(sales, o)) {
        cJSON_Delete(o);
        return zc_errf(err, ZC_ENOMEM, "out of memory");
    }
    if (!r->voided)
        return ZC_OK;
    if (!(v = zc_wire_void_json(&r->v)) || !cJSON_AddItemToArray(voids, v)) {
        cJSON_Delete(v);
        return zc_errf(err, ZC_ENOMEM, "out of memory");
    }
    return ZC_OK;
}

/* GET /own-sales: the calling terminal's own held sales after a seq, for a
 * terminal restored from a backup to take back what it had sent. */
static cJSON *h_own_sales(central_store *st, const central_request *rq, int *code, zc_err *err)
{
    int64_t after, limit;
    int n = 0;
    bool more = false;
    char buf[24];
    cJSON *o = NULL, *sales, *voids;
    central_own_row *rows = NULL;
    zc_sale_doc *d = NULL;
    if ((*code = arg_int(rq, "after", 0, INT64_MAX, 0, &after, err)) ||
        (*code = arg_int(rq, "limit", 1, OWN_LIMIT_MAX, OWN_LIMIT_DEFAULT, &limit, err)))
        return NULL;
    rows = malloc(sizeof *rows * (size_t)limit);
    d = malloc(sizeof *d);
    o = cJSON_CreateObject();
    sales = o ? cJSON_AddArrayToObject(o, "sales") : NULL;
    voids = sales ? cJSON_AddArrayToObject(o, "voids") : NULL;
    if (!rows || !d || !voids) {
        *code = zc_errf(err, ZC_ENOMEM, "out of memory");
        goto out;
    }
    if ((*code = central_store_own_page(st, rq->terminal->id, after, (int)limit, rows, &n, &more, err)))
        goto out;
    for (int i = 0; i < n && *code == ZC_OK; i++)
        *code = put_own(st, &rows[i], d, sales, voids, err);
    snprintf(buf, sizeof buf, "%lld", (long long)(n ? rows[n - 1].seq : after));
    if (*code == ZC_OK && (!cJSON_AddStringToObject(o, "next", buf) || !cJSON_AddBoolToObject(o, "more", more)))
        *code = zc_errf(err, ZC_ENOMEM, "out of memory");
out:
    free(rows);
    free(d);
    if (*code) {
        cJSON_Delete(o);
        return NULL;
    }
    return o;
}

void central_api_handle(central_store *st, const central_request *rq, central_response *rs)
{
    zc_err err = {""};
    int code = ZC_OK;
    cJSON *o = NULL;
    memset(rs, 0, sizeof *rs);
    if (rq->route != API_HEALTH && (!st || !rq->terminal)) {
        central_api_error(rs, 500, "internal error: no database or no terminal");
        return;
    }
    switch (rq->route) {
    case API_HEALTH: o = h_health(); break;
    case API_TIME: o = h_time(rq); break;
    case API_CONFIG: o = h_config(st, rq, &code, &err); break;
    case API_SALES: o = h_sales(st, rq, &code, &err); break;
    case API_ROSTER: h_roster(st, rq, rs); return;
    case API_POLICIES: o = h_policies(st, rq, &code, &err); break;
    case API_USAGE: o = h_usage(st, rq, &code, &err); break;
    case API_CLOSING: o = h_closing(st, rq, &code, &err); break;
    case API_OWN_SALES: o = h_own_sales(st, rq, &code, &err); break;
    default: central_api_error(rs, 404, "no such endpoint"); return;
    }
    if (code)
        fail(rs, code, &err);
    else
        set_json(rs, 200, o); /* NULL o (out of memory) becomes a 500 */
}
