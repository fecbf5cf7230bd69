/* test_central_fixture.h - real parts for the central service's tests:
 *
 *  - a central database with two canteens, two terminals (known tokens), the
 *    Beijing policy and a roster matching the terminal demo's fixture elders;
 *  - the real server (central_server_start) on 127.0.0.1 with an ephemeral
 *    port, plain or HTTPS with a CA made here with the openssl CLI;
 *  - real terminal stores (store_demo_fill) that commit real sales
 *    (store_sale_commit), read back as zc_sale_doc and sent as JSON;
 *  - libcurl requests with bounded timeouts.
 * Included by the test_central*.c files only; everything is static. */
#ifndef ZC_TEST_CENTRAL_FIXTURE_H
#define ZC_TEST_CENTRAL_FIXTURE_H

#include <cjson/cJSON.h>
#include <curl/curl.h>
#include <dirent.h>
#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../app/central/cstore.h"
#include "../app/central/server.h"
#include "../app/core/wire.h"
#include "../app/core/clock.h"
#include "../app/core/embed.h"
#include "../app/core/salecanon.h"
#include "../app/store/store.h"
#include "../app/store/store_raw.h"
#include "check.h"

#define TOK1 "token-of-terminal-one-0123456789abcdef"
#define TOK2 "token-of-terminal-two-fedcba9876543210"
#define LUNCH "2026-11-23 11:30" /* a Monday */

/* each test file uses some of these */
#define FX static __attribute__((unused))

FX char fx_dir[256];

/* The roster at the centre: the demo's fixture elders (app/store/demo.c). */
FX const char fx_roster[] =
    "elder_id,name,birth_date,categories,reg_city,reg_district,reg_town,res_city,res_district,"
    "cards\n"
    "E0000001,张桂英,1940-03-15,,110000,110105,110105010,110000,110105,00000000A1\n"
    "E0000002,李建国,1961-05-20,dibao,110000,110105,110105010,110000,110105,00000000A2\n"
    "E0000003,王秀兰,1964-04-10,,110000,110105,110105010,110000,110105,00000000A3\n"
    "E0000008,黄德明,1941-02-14,,130000,130102,130102001,110000,110105,00000000A8\n";

FX const char *fx_path(const char *name)
{
    static char p[4][400];
    static int k;
    k = (k + 1) % 4;
    snprintf(p[k], sizeof p[k], "%s/%s", fx_dir, name);
    return p[k];
}

FX void fx_rmdir(void)
{
    DIR *d = opendir(fx_dir);
    struct dirent *e;
    char p[600];
    while (d && (e = readdir(d))) {
        if (strcmp(e->d_name, ".") && strcmp(e->d_name, "..")) {
            snprintf(p, sizeof p, "%s/%s", fx_dir, e->d_name);
            unlink(p);
        }
    }
    if (d)
        closedir(d);
    rmdir(fx_dir);
}

/* ---- the centre ---- */

FX int fx_terminal_add(central_store *st, const char *id, const char *canteen, const char *tok)
{
    central_terminal t;
    zc_err err = {""};
    memset(&t, 0, sizeof t);
    snprintf(t.id, sizeof t.id, "%s", id);
    snprintf(t.canteen_id, sizeof t.canteen_id, "%s", canteen);
    snprintf(t.card_format, sizeof t.card_format, "hex10");
    zc_sha256_hex(tok, strlen(tok), t.token_hash);
    int rc = central_store_terminal_add(st, &t, &err);
    if (rc)
        fprintf(stderr, "  terminal add: %s\n", err.msg);
    return rc;
}

/* A fresh directory and central database, filled. */
FX void fx_centre(void)
{
    zc_err err = {""};
    central_store *st = NULL;
    long rows = 0, changed = 0;
    bool existed = false;
    snprintf(fx_dir, sizeof fx_dir, "/tmp/zc_central_XXXXXX");
    if (!mkdtemp(fx_dir)) {
        perror("mkdtemp");
        exit(2);
    }
    if (zc_tz_set("Asia/Shanghai", &err) != ZC_OK)
        fprintf(stderr, "  tz: %s\n", err.msg);
    CHECK_OK(central_store_open(fx_path("central.db"), CENTRAL_STORE_CREATE, &st, &err));
    if (!st) {
        fprintf(stderr, "  open: %s\n", err.msg);
        return;
    }
    zc_canteen c1 = {"C-0001", "双井老年餐桌", "110000", "110105", "110105010", ""};
    zc_canteen c2 = {"C-0002", "劲松老年餐桌", "110000", "110105", "110105010", ""};
    CHECK_OK(central_store_canteen_add(st, &c1, &err));
    CHECK_OK(central_store_canteen_add(st, &c2, &err));
    CHECK_OK(fx_terminal_add(st, "T-0001", "C-0001", TOK1));
    CHECK_OK(fx_terminal_add(st, "T-0002", "C-0002", TOK2));
    const char *bj = embed_get("db/policies/beijing.json");
    CHECK_OK(central_store_policy_publish(st, bj, strlen(bj), &existed, &err));
    FILE *f = fmemopen((void *)fx_roster, sizeof fx_roster - 1, "r");
    int rc = central_store_roster_import(st, f, stderr, &rows, &changed, &err);
    if (rc)
        fprintf(stderr, "  roster: %s\n", err.msg);
    CHECK_OK(rc);
    CHECK_INT(rows, 4);
    fclose(f);
    central_store_close(st);
}

FX central_store *fx_db(void)
{
    central_store *st = NULL;
    zc_err err = {""};
    if (central_store_open(fx_path("central.db"), 0, &st, &err) != ZC_OK)
        fprintf(stderr, "  open: %s\n", err.msg);
    return st;
}

/* The report (owned: cJSON_Delete), optionally for one terminal. */
FX cJSON *fx_report(const char *terminal)
{
    central_store *st = fx_db();
    cJSON *o = cJSON_CreateObject();
    zc_err err = {""};
    if (!st || central_store_report(st, terminal, o, &err) != ZC_OK)
        fprintf(stderr, "  report: %s\n", err.msg);
    central_store_close(st);
    return o;
}

/* A number in the report at "section.index.member" style paths. */
FX double fx_num(const cJSON *o, const char *a, const char *b)
{
    const cJSON *x = cJSON_GetObjectItem(o, a);
    return cJSON_GetNumberValue(b ? cJSON_GetObjectItem(x, b) : x);
}

FX int64_t fx_sql_int(const char *sql)
{
    sqlite3 *db = NULL;
    sqlite3_stmt *s = NULL;
    int64_t v = -1;
    if (sqlite3_open_v2(fx_path("central.db"), &db, SQLITE_OPEN_READONLY, NULL) == SQLITE_OK &&
        sqlite3_prepare_v2(db, sql, -1, &s, NULL) == SQLITE_OK && sqlite3_step(s) == SQLITE_ROW)
        v = sqlite3_column_int64(s, 0);
    sqlite3_finalize(s);
    sqlite3_close(db);
    return v;
}

FX central_server *fx_srv;
FX int fx_port;
FX bool fx_tls;

FX void fx_start(const char *cert, const char *key)
{
    zc_err err = {""};
    central_server_cfg cfg = {.db_path = fx_path("central.db"), .listen = "127.0.0.1:0",
                              .tls_cert = cert, .tls_key = key, .threads = 4};
    int rc = central_server_start(&cfg, &fx_srv, &err);
    if (rc)
        fprintf(stderr, "  server: %s\n", err.msg);
    CHECK_OK(rc);
    fx_port = central_server_port(fx_srv);
    fx_tls = cert != NULL;
    CHECK(fx_port > 0);
}

FX void fx_end(void)
{
    central_server_stop(fx_srv);
    fx_srv = NULL;
    fx_rmdir();
}

/* ---- HTTP with libcurl ---- */

typedef struct fx_buf {
    char *p;
    size_t n;
} fx_buf;

FX size_t fx_write(char *data, size_t sz, size_t nm, void *ud)
{
    fx_buf *b = ud;
    size_t n = sz * nm;
    if (b->n + n > ((size_t)16 << 20))
        return 0; /* bounded: 16 MiB of reply is a bug */
    char *p = realloc(b->p, b->n + n + 1);
    if (!p)
        return 0;
    memcpy(p + b->n, data, n);
    b->p = p;
    b->n += n;
    b->p[b->n] = '\0';
    return n;
}

typedef struct fx_http {
    long status;      /* 0 when the transfer failed */
    CURLcode code;
    cJSON *json;      /* parsed reply, or NULL */
    char text[400];   /* the start of the reply */
} fx_http;

/* One request.  terminal/token NULL: no such header.  body NULL: GET.
 * cafile: the CA to trust for https (NULL = the system's). */
FX fx_http fx_req_ca(const char *path, const char *terminal, const char *token, const char *body,
                         size_t len, const char *cafile)
{
    fx_http h = {0, CURLE_OK, NULL, ""};
    fx_buf b = {NULL, 0};
    char url[256], line[256];
    struct curl_slist *hd = NULL;
    CURL *c = curl_easy_init();
    if (!c)
        return h;
    snprintf(url, sizeof url, "%s://127.0.0.1:%d%s", fx_tls ? "https" : "http", fx_port, path);
    curl_easy_setopt(c, CURLOPT_URL, url);
    curl_easy_setopt(c, CURLOPT_TIMEOUT, 20L);
    curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT, 5L);
    curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, fx_write);
    curl_easy_setopt(c, CURLOPT_WRITEDATA, &b);
    curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
    if (cafile)
        curl_easy_setopt(c, CURLOPT_CAINFO, cafile);
    if (terminal) {
        snprintf(line, sizeof line, "X-Zhucan-Terminal: %s", terminal);
        hd = curl_slist_append(hd, line);
    }
    if (token) {
        snprintf(line, sizeof line, "Authorization: Bearer %s", token);
        hd = curl_slist_append(hd, line);
    }
    hd = curl_slist_append(hd, "Content-Type: application/json");
    hd = curl_slist_append(hd, "Expect:");
    curl_easy_setopt(c, CURLOPT_HTTPHEADER, hd);
    if (body) {
        curl_easy_setopt(c, CURLOPT_POSTFIELDS, body);
        curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)len);
    }
    h.code = curl_easy_perform(c);
    if (h.code == CURLE_OK)
        curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &h.status);
    if (b.p) {
        snprintf(h.text, sizeof h.text, "%s", b.p);
        h.json = cJSON_Parse(b.p);
    }
    free(b.p);
    curl_slist_free_all(hd);
    curl_easy_cleanup(c);
    return h;
}

FX fx_http fx_req(const char *path, const char *terminal, const char *token, const char *body)
{
    return fx_req_ca(path, terminal, token, body, body ? strlen(body) : 0, NULL);
}

FX const char *fx_str(const cJSON *o, const char *key)
{
    const char *s = cJSON_GetStringValue(cJSON_GetObjectItem(o, key));
    return s ? s : "";
}

/* results[i].status of a push reply */
FX const char *fx_result(const fx_http *h, int i, const char *key)
{
    return fx_str(cJSON_GetArrayItem(cJSON_GetObjectItem(h->json, "results"), i), key);
}

/* ---- terminals ---- */

/* A terminal database with the demo canteen, menu, operators and fixture
 * elders, as terminal `id` of canteen `canteen`. */
FX store_t *fx_terminal(const char *id, const char *canteen)
{
    store_t *st = NULL;
    zc_err err = {""};
    char name[64];
    snprintf(name, sizeof name, "%s.db", id);
    CHECK_OK(store_open(fx_path(name), STORE_CREATE, &st, &err));
    if (!st)
        return NULL;
    CHECK_OK(store_meta_set(st, "terminal_id", id, &err));
    CHECK_OK(store_meta_set(st, "canteen_id", canteen, &err));
    int rc = store_demo_fill(st, embed_get("db/policies/beijing.json"), 0, 1, &err);
    if (rc)
        fprintf(stderr, "  demo: %s\n", err.msg);
    CHECK_OK(rc);
    return st;
}

/* Commits a sale of one set meal A1 (15 yuan) to elder (NULL: public price)
 * with card, at local time `at` plus `extra` seconds; fills res. */
FX int fx_sell(store_t *st, const char *elder_id, const char *card, const char *at, int extra,
                   store_sale_res *res)
{
    zc_err err = {""};
    zc_elder e;
    zc_cart cart;
    store_item it;
    zc_datetime t;
    memset(&cart, 0, sizeof cart);
    if (zc_datetime_parse(at, &t) != ZC_OK || store_item_get(st, "A1", &it, &err) != ZC_OK)
        return ZC_EINVAL;
    zc_line l = {"", "", it.price_fen, 1, it.eligible, ZC_LINE_DISH};
    snprintf(l.code, sizeof l.code, "%s", it.code);
    snprintf(l.name, sizeof l.name, "%s", it.name);
    if (zc_cart_add(&cart, &l) != ZC_OK)
        return ZC_EINVAL;
    if (elder_id && store_elder_get(st, elder_id, &e, &err) != ZC_OK)
        return ZC_ENOTFOUND;
    store_sale_req req = {
        .operator_id = "c1", .elder = elder_id ? &e : NULL, .card_uid = card, .cart = &cart,
        .at_utc = zc_tz_epoch(t) + extra, .at = t, .pay = STORE_PAY_CASH, .tendered_fen = 2000,
    };
    int rc = store_sale_commit(st, &req, res, &err);
    if (rc)
        fprintf(stderr, "  sell: %s\n", err.msg);
    return rc;
}

FX void fx_col(sqlite3_stmt *s, int i, char *buf, size_t n)
{
    const char *t = (const char *)sqlite3_column_text(s, i);
    snprintf(buf, n, "%s", t ? t : "");
}

/* Reads a terminal's sale back as the sync client would send it. */
FX int fx_load(store_t *st, const char *id, zc_sale_doc *d, char hash[ZC_SHA256_HEX])
{
    sqlite3 *db = store_db(st);
    sqlite3_stmt *s = NULL;
    memset(d, 0, sizeof *d);
    if (sqlite3_prepare_v2(db, "SELECT id, seq, terminal_id, canteen_id, operator_id, elder_id, "
                           "card_uid, created_utc, local_time, period, policy_id, policy_version, "
                           "gross_fen, subsidy_fen, pay_fen, pay_method, pay_ref, tendered_fen, "
                           "prev_hash, hash FROM sale WHERE id = ?", -1, &s, NULL) != SQLITE_OK)
        return ZC_EDB;
    sqlite3_bind_text(s, 1, id, -1, SQLITE_STATIC);
    if (sqlite3_step(s) != SQLITE_ROW) {
        sqlite3_finalize(s);
        return ZC_ENOTFOUND;
    }
    fx_col(s, 0, d->id, sizeof d->id);
    d->seq = sqlite3_column_int64(s, 1);
    fx_col(s, 2, d->terminal, sizeof d->terminal);
    fx_col(s, 3, d->canteen, sizeof d->canteen);
    fx_col(s, 4, d->op, sizeof d->op);
    fx_col(s, 5, d->elder, sizeof d->elder);
    fx_col(s, 6, d->card, sizeof d->card);
    d->created_utc = sqlite3_column_int64(s, 7);
    fx_col(s, 8, d->local_time, sizeof d->local_time);
    fx_col(s, 9, d->period, sizeof d->period);
    fx_col(s, 10, d->policy, sizeof d->policy);
    fx_col(s, 11, d->policy_version, sizeof d->policy_version);
    d->gross = sqlite3_column_int64(s, 12);
    d->subsidy = sqlite3_column_int64(s, 13);
    d->pay = sqlite3_column_int64(s, 14);
    fx_col(s, 15, d->pay_method, sizeof d->pay_method);
    fx_col(s, 16, d->pay_ref, sizeof d->pay_ref);
    d->tendered = sqlite3_column_int64(s, 17);
    fx_col(s, 18, d->prev, sizeof d->prev);
    fx_col(s, 19, hash, ZC_SHA256_HEX);
    sqlite3_finalize(s);
    sqlite3_prepare_v2(db, "SELECT code, name, unit_fen, qty, eligible FROM sale_line WHERE sale_id "
                       "= ? ORDER BY line_no", -1, &s, NULL);
    sqlite3_bind_text(s, 1, id, -1, SQLITE_STATIC);
    while (sqlite3_step(s) == SQLITE_ROW && d->nlines < ZC_MAX_LINES) {
        zc_line *l = &d->lines[d->nlines++];
        fx_col(s, 0, l->code, sizeof l->code);
        fx_col(s, 1, l->name, sizeof l->name);
        l->unit_fen = sqlite3_column_int64(s, 2);
        l->qty = sqlite3_column_int(s, 3);
        l->eligible = sqlite3_column_int(s, 4) != 0;
    }
    sqlite3_finalize(s);
    sqlite3_prepare_v2(db, "SELECT rule_id, limit_key, period, local_date, fen FROM sale_rule WHERE "
                       "sale_id = ?", -1, &s, NULL);
    sqlite3_bind_text(s, 1, id, -1, SQLITE_STATIC);
    while (sqlite3_step(s) == SQLITE_ROW && d->nrules < ZC_MAX_RULES) {
        zc_sale_rule *r = &d->rules[d->nrules++];
        fx_col(s, 0, r->rule, sizeof r->rule);
        fx_col(s, 1, r->key, sizeof r->key);
        fx_col(s, 2, r->period, sizeof r->period);
        fx_col(s, 3, r->date, sizeof r->date);
        r->fen = sqlite3_column_int64(s, 4);
    }
    sqlite3_finalize(s);
    sqlite3_prepare_v2(db, "SELECT rule_id, source, fen FROM sale_subsidy WHERE sale_id = ? ORDER BY "
                       "part_no", -1, &s, NULL);
    sqlite3_bind_text(s, 1, id, -1, SQLITE_STATIC);
    while (sqlite3_step(s) == SQLITE_ROW && d->nparts < ZC_MAX_PARTS) {
        zc_part *p = &d->parts[d->nparts++];
        fx_col(s, 0, p->rule, sizeof p->rule);
        fx_col(s, 1, p->source, sizeof p->source);
        p->fen = sqlite3_column_int64(s, 2);
    }
    sqlite3_finalize(s);
    return ZC_OK;
}

/* {"sales":[docs...]} as text (owned: free()).  hashes[i] NULL: recompute. */
FX char *fx_batch(const zc_sale_doc *docs, const char *const *hashes, int n)
{
    cJSON *o = cJSON_CreateObject(), *arr = cJSON_AddArrayToObject(o, "sales");
    for (int i = 0; i < n; i++) {
        char h[ZC_SHA256_HEX];
        zc_err err;
        if (!hashes || !hashes[i])
            CHECK_OK(zc_salecanon_hash(&docs[i], h, &err));
        else
            snprintf(h, sizeof h, "%s", hashes[i]);
        cJSON_AddItemToArray(arr, zc_wire_sale_json(&docs[i], h));
    }
    char *text = cJSON_PrintUnformatted(o);
    cJSON_Delete(o);
    return text;
}

/* Sells and loads one sale in one go. */
FX void fx_sale(store_t *st, const char *elder, const char *card, const char *at, int extra,
                    zc_sale_doc *d)
{
    store_sale_res res;
    char hash[ZC_SHA256_HEX];
    memset(d, 0, sizeof *d);
    CHECK_OK(fx_sell(st, elder, card, at, extra, &res));
    CHECK_OK(fx_load(st, res.id, d, hash));
    CHECK_STR(hash, res.hash);
}

/* Pushes docs as terminal/token and returns the reply. */
FX fx_http fx_push(const char *terminal, const char *token, const zc_sale_doc *docs, int n)
{
    char *body = fx_batch(docs, NULL, n);
    fx_http h = fx_req("/api/v1/sales", terminal, token, body);
    free(body);
    return h;
}

FX void fx_done(fx_http *h)
{
    cJSON_Delete(h->json);
    h->json = NULL;
}

#endif
