/* fuzz_central_req.c - libFuzzer target: the centre reading a terminal's
 * request (app/core/wire.c, then app/central/api.c and ingest.c on a scratch
 * central database), everything after server.c has authenticated T-0001.
 *
 * The first byte picks what the rest is:
 *   0 a push body, read by the wire layer alone (round trip checked);
 *   1 a closing body;  2, 3, 4 the query string of roster, policies, usage;
 *   5 a push body whose sales get their true hashes before it is handed to
 *     the API, so the fuzzer reaches the money checks, duplicates, conflicts
 *     and the re-quote instead of stopping at "hash mismatch";
 *   6 a push body handed over as it is.
 * Every answer must be a JSON object with a status the protocol allows. */
#include <cjson/cJSON.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../app/central/api.h"
#include "../../app/core/wire.h"
#include "../../app/core/embed.h"
#include "fuzz_store.h"

static central_store *centre(void)
{
    static central_store *st;
    static const char roster[] =
        "elder_id,name,birth_date,categories,reg_city,reg_district,reg_town,res_city,res_district,cards\n"
        "E0000001,张桂英,1940-03-15,,110000,110105,110105010,110000,110105,00000000A1\n"
        "E0000002,李建国,1961-05-20,dibao,110000,110105,110105010,110000,110105,00000000A2\n";
    zc_err err = {""};
    long rows = 0, changed = 0;
    bool existed = false;
    if (st)
        return st;
    const char *path = fuzz_path("c.db");
    zc_canteen c = {"C-0001", "双井老年餐桌", "110000", "110105", "110105010", ""};
    central_terminal t = {"T-0001", "C-0001", "", "hex10"};
    zc_sha256_hex("token", 5, t.token_hash);
    const char *bj = embed_get("db/policies/beijing.json");
    FILE *f = fmemopen((void *)roster, sizeof roster - 1, "r");
    if (zc_tz_set("Asia/Shanghai", &err) != ZC_OK || !f ||
        central_store_open(path, CENTRAL_STORE_CREATE, &st, &err) != ZC_OK ||
        central_store_canteen_add(st, &c, &err) != ZC_OK ||
        central_store_terminal_add(st, &t, &err) != ZC_OK ||
        central_store_policy_publish(st, bj, strlen(bj), &existed, &err) != ZC_OK ||
        central_store_roster_import(st, f, NULL, &rows, &changed, &err) != ZC_OK) {
        fprintf(stderr, "fuzz: scratch centre: %s\n", err.msg);
        abort();
    }
    fclose(f);
    return st;
}

/* The query string "a=1&b=2" as the server would hand its arguments over. */
typedef struct query {
    char buf[512];
    const char *name[8], *value[8];
    int n;
} query;

static const char *query_arg(void *ctx, const char *name)
{
    const query *q = ctx;
    for (int i = 0; i < q->n; i++)
        if (strcmp(q->name[i], name) == 0)
            return q->value[i];
    return NULL;
}

static void query_split(query *q, const char *s, size_t len)
{
    size_t n = len < sizeof q->buf - 1 ? len : sizeof q->buf - 1;
    memcpy(q->buf, s, n);
    q->buf[n] = '\0';
    q->n = 0;
    for (char *p = q->buf; p && *p && q->n < 8;) {
        char *amp = strchr(p, '&'), *eq;
        if (amp)
            *amp = '\0';
        if ((eq = strchr(p, '='))) {
            *eq = '\0';
            q->name[q->n] = p;
            q->value[q->n++] = eq + 1;
        }
        p = amp ? amp + 1 : NULL;
    }
}

/* Mode 0: the wire layer alone.  What it accepts has a canonical text, and
 * what the centre writes back from it reads the same. */
static void wire_only(const char *body, size_t len)
{
    const cJSON *sales, *voids, *m;
    cJSON *root = NULL;
    char path[32], hash[ZC_SHA256_HEX], again[ZC_SHA256_HEX];
    zc_err err;
    int i = 0;
    if (zc_wire_parse(body, len, &root, &err) != ZC_OK) {
        if (root || !err.msg[0])
            abort();
        return;
    }
    zc_sale_doc *d = malloc(sizeof *d), *d2 = malloc(sizeof *d2);
    if (d && d2 && zc_wire_batch(root, &sales, &voids, &err) == ZC_OK) {
        cJSON_ArrayForEach(m, sales)
        {
            snprintf(path, sizeof path, "sales[%d]", i++);
            memset(d, 0, sizeof *d);
            if (zc_wire_sale(m, path, d, hash, &err) != ZC_OK)
                continue;
            if (zc_salecanon_hash(d, again, &err) != ZC_OK)
                abort();
            cJSON *back = zc_wire_sale_json(d, hash);
            if (back && (zc_wire_sale(back, "back", d2, again, &err) != ZC_OK ||
                         strcmp(hash, again) != 0))
                abort();
            cJSON_Delete(back);
        }
        i = 0;
        cJSON_ArrayForEach(m, voids)
        {
            zc_wire_void v;
            snprintf(path, sizeof path, "voids[%d]", i++);
            (void)zc_wire_void_read(m, path, &v, &err);
        }
    }
    free(d);
    free(d2);
    cJSON_Delete(root);
}

/* Mode 5: gives every well-formed sale its true hash; returns the new body
 * (free()) or NULL when the body is not a well-formed push. */
static char *fix_hashes(const char *body, size_t len)
{
    cJSON *root = NULL, *sales, *m;
    char hash[ZC_SHA256_HEX], path[32];
    zc_err err;
    char *out = NULL;
    int i = 0;
    zc_sale_doc *d = malloc(sizeof *d);
    if (!d || zc_wire_parse(body, len, &root, &err) != ZC_OK)
        goto out;
    sales = cJSON_GetObjectItemCaseSensitive(root, "sales");
    cJSON_ArrayForEach(m, sales)
    {
        snprintf(path, sizeof path, "sales[%d]", i++);
        memset(d, 0, sizeof *d);
        if (zc_wire_sale(m, path, d, hash, &err) == ZC_OK && zc_salecanon_hash(d, hash, &err) == ZC_OK)
            cJSON_ReplaceItemInObjectCaseSensitive(m, "hash", cJSON_CreateString(hash));
    }
    out = cJSON_PrintUnformatted(root);
out:
    cJSON_Delete(root);
    free(d);
    return out;
}

static void api(int route, const char *body, size_t len, query *q)
{
    static central_terminal t = {"T-0001", "C-0001", "", "hex10"};
    central_request rq = {route, &t, body, len, query_arg, q, 1763868600, NULL};
    central_response rs = {0, NULL, 0};
    central_api_handle(centre(), &rq, &rs);
    cJSON *j = rs.body ? cJSON_ParseWithLength(rs.body, rs.len) : NULL;
    /* 200, a refusal the protocol names, or 503 when the database says so; never a 500 */
    if (!cJSON_IsObject(j) || (rs.status != 200 && rs.status != 400 && rs.status != 404 &&
                               rs.status != 413 && rs.status != 503))
        abort();
    cJSON_Delete(j);
    free(rs.body);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const int routes[] = {API_SALES, API_CLOSING, API_ROSTER, API_POLICIES, API_USAGE,
                                 API_SALES, API_SALES};
    query q = {.n = 0};
    if (size < 1)
        return 0;
    int mode = data[0] % 7;
    size_t len = size - 1;
    /* the server hands the body over NUL-terminated, with its length */
    char *body = malloc(len + 1);
    if (!body)
        return 0;
    memcpy(body, data + 1, len);
    body[len] = '\0';
    if (mode == 0) {
        wire_only(body, len);
    } else if (mode >= 2 && mode <= 4) {
        query_split(&q, body, len);
        api(routes[mode], NULL, 0, &q);
    } else if (mode == 5) {
        char *fixed = fix_hashes(body, len);
        if (fixed)
            api(API_SALES, fixed, strlen(fixed), &q);
        free(fixed);
    } else {
        api(routes[mode], body, len, &q);
    }
    free(body);
    return 0;
}
