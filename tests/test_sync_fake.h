/* test_sync_fake.h - a small but real central service for the sync tests:
 * libmicrohttpd on 127.0.0.1 (optionally with TLS) serving the protocol of
 * docs/sync-protocol.md from canned data, plus switches for the ways a
 * network and a centre fail (garbled or truncated JSON, 401, 500, slow and
 * oversized replies, a reply lost after the centre committed).
 *
 * It checks what a real centre checks: the token and terminal headers, and
 * the hash of every pushed sale, rebuilt from the JSON as the canonical
 * text "zhucan-sale-v1" (app/store/sale.c) - so a test passing here means
 * the terminal's JSON carries exactly what the hash covers.  It holds each
 * sale id once (duplicate when the same hash comes again, conflict when
 * another), and counts everything the tests assert on.
 *
 * The second half sets up the terminal side: a demo terminal database in a
 * temporary folder configured for the fake centre, sales, and queries.
 * Include check.h first. */
#ifndef ZC_TEST_SYNC_FAKE_H
#define ZC_TEST_SYNC_FAKE_H

#include <arpa/inet.h>
#include <stdatomic.h>
#include <cjson/cJSON.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <dirent.h>
#include <sqlite3.h>

#include "../app/core/embed.h"
#include "../app/core/secure.h"
#include "../app/store/store.h"
#include "../app/store/store_raw.h"
#include "../app/sync/sync_int.h"

#define FAKE_MAX_SALES 4096
#define FAKE_MAX_PAGES 8

typedef enum fake_mode {
    FAKE_OK = 0,
    FAKE_GARBLED,        /* 200 with broken JSON */
    FAKE_TRUNCATED,      /* 200 with JSON cut in the middle */
    FAKE_401,
    FAKE_500,
    FAKE_SLOW,           /* waits slow_ms, then answers normally */
    FAKE_HUGE,           /* 200 with huge_bytes of valid JSON */
    FAKE_LOSE_REPLY,     /* stores the batch, then answers 500 (the reply is lost) */
    FAKE_NO_RESULTS,     /* 200 {"results":[]} and stores nothing */
} fake_mode;

typedef struct fake_sale {
    char id[40];
    char hash[65];
    int64_t seq, gross, subsidy, pay;
    int posts;      /* times this id was pushed */
    bool voided;
} fake_sale;

typedef struct fake {
    struct MHD_Daemon *d;
    int port;
    pthread_mutex_t mu;
    atomic_bool quit;            /* ends slow handlers */
    /* behaviour, set by the test */
    fake_mode mode;
    char mode_path[64];          /* the mode applies to URLs starting with this ("" = all) */
    long slow_ms;
    size_t huge_bytes;
    char token[64], terminal[32];
    char reject_id[40];          /* answer "rejected" for this sale id */
    char config[2048];
    char *roster[FAKE_MAX_PAGES];   /* page k is served for after="" (k=0) or after="k" */
    int nroster;
    char *policies[FAKE_MAX_PAGES];
    int npolicies;
    char usage[4096];
    /* what happened */
    fake_sale sales[FAKE_MAX_SALES];
    int nsales;
    int hash_bad;                /* pushed sales whose hash did not match their content */
    int requests, sales_posts, roster_gets, usage_gets, unauthorized;
    char last_body_sale[4096];   /* the first sale of the last POST, as sent */
} fake;

/* ---- the canonical text, rebuilt from the JSON ---- */

typedef struct fbuf {
    char *p;
    size_t len, cap;
} fbuf;

static inline void fb_put(fbuf *b, const char *s, size_t n)
{
    if (b->len + n + 1 > b->cap) {
        size_t cap = b->cap ? b->cap * 2 : 1024;
        while (cap < b->len + n + 1)
            cap *= 2;
        b->p = realloc(b->p, cap);
        b->cap = cap;
    }
    memcpy(b->p + b->len, s, n);
    b->len += n;
    b->p[b->len] = '\0';
}

static inline void fb_text(fbuf *b, const char *s)
{
    static const char hex[] = "0123456789abcdef";
    for (; s && *s; s++) {
        unsigned char c = (unsigned char)*s;
        if (c < 0x20 || c == 0x7f || c == '\\' || c == '|') {
            char e[4] = {'\\', 'x', hex[c >> 4], hex[c & 15]};
            fb_put(b, e, 4);
        } else {
            fb_put(b, (const char *)&c, 1);
        }
    }
}

static inline const char *fj_str(const cJSON *o, const char *k)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, k);
    return cJSON_IsString(v) ? v->valuestring : NULL;
}

static inline int64_t fj_int(const cJSON *o, const char *k)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, k);
    return cJSON_IsNumber(v) ? (int64_t)v->valuedouble : -1;
}

static inline void fb_kv(fbuf *b, const char *k, const cJSON *o)
{
    fb_put(b, k, strlen(k));
    fb_put(b, "=", 1);
    fb_text(b, fj_str(o, k));
    fb_put(b, "\n", 1);
}

static inline void fb_num(fbuf *b, int64_t v)
{
    char n[24];
    fb_put(b, n, (size_t)snprintf(n, sizeof n, "%lld", (long long)v));
}

static inline void fb_kn(fbuf *b, const char *k, const cJSON *o)
{
    fb_put(b, k, strlen(k));
    fb_put(b, "=", 1);
    fb_num(b, fj_int(o, k));
    fb_put(b, "\n", 1);
}

static inline int fake_rule_cmp(const void *a, const void *b)
{
    const char *x = fj_str(*(const cJSON *const *)a, "rule"), *y = fj_str(*(const cJSON *const *)b, "rule");
    return strcmp(x ? x : "", y ? y : "");
}

/* The hash the sale's JSON content implies. */
static inline void fake_sale_hash(const cJSON *s, char out[65])
{
    static const char *const head[] = {"id", "seq", "terminal", "canteen", "operator", "elder",
                                       "card", "created_utc", "local_time", "period", "policy",
                                       "policy_version", "gross", "subsidy", "pay", "pay_method",
                                       "pay_ref", "tendered"};
    static const bool num[] = {0, 1, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 1, 1, 0, 0, 1};
    fbuf b = {0};
    const cJSON *it;
    const cJSON *rules[64];
    int nr = 0;
    fb_put(&b, "zhucan-sale-v1\n", 15);
    for (size_t i = 0; i < sizeof head / sizeof head[0]; i++)
        num[i] ? fb_kn(&b, head[i], s) : fb_kv(&b, head[i], s);
    cJSON_ArrayForEach(it, cJSON_GetObjectItemCaseSensitive(s, "lines"))
    {
        fb_put(&b, "line=", 5);
        fb_num(&b, fj_int(it, "no"));
        fb_put(&b, "|", 1);
        fb_text(&b, fj_str(it, "code"));
        fb_put(&b, "|", 1);
        fb_text(&b, fj_str(it, "name"));
        fb_put(&b, "|", 1);
        fb_num(&b, fj_int(it, "unit_fen"));
        fb_put(&b, "|", 1);
        fb_num(&b, fj_int(it, "qty"));
        fb_put(&b, cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(it, "eligible")) ? "|1\n" : "|0\n", 3);
    }
    cJSON_ArrayForEach(it, cJSON_GetObjectItemCaseSensitive(s, "rules"))
        if (nr < 64)
            rules[nr++] = it;
    qsort(rules, (size_t)nr, sizeof rules[0], fake_rule_cmp);
    for (int i = 0; i < nr; i++) {
        fb_put(&b, "rule=", 5);
        fb_text(&b, fj_str(rules[i], "rule"));
        fb_put(&b, "|", 1);
        fb_text(&b, fj_str(rules[i], "key"));
        fb_put(&b, "|", 1);
        fb_text(&b, fj_str(rules[i], "period"));
        fb_put(&b, "|", 1);
        fb_text(&b, fj_str(rules[i], "date"));
        fb_put(&b, "|", 1);
        fb_num(&b, fj_int(rules[i], "fen"));
        fb_put(&b, "\n", 1);
    }
    cJSON_ArrayForEach(it, cJSON_GetObjectItemCaseSensitive(s, "parts"))
    {
        fb_put(&b, "part=", 5);
        fb_num(&b, fj_int(it, "no"));
        fb_put(&b, "|", 1);
        fb_text(&b, fj_str(it, "rule"));
        fb_put(&b, "|", 1);
        fb_text(&b, fj_str(it, "source"));
        fb_put(&b, "|", 1);
        fb_num(&b, fj_int(it, "fen"));
        fb_put(&b, "\n", 1);
    }
    fb_kv(&b, "prev", s);
    zc_sha256_hex(b.p, b.len, out);
    free(b.p);
}

/* ---- the service ---- */

static inline fake_sale *fake_find(fake *f, const char *id)
{
    for (int i = 0; i < f->nsales; i++)
        if (strcmp(f->sales[i].id, id) == 0)
            return &f->sales[i];
    return NULL;
}

/* Handles POST /sales; the answer into a malloc'd string. */
static inline char *fake_sales(fake *f, const char *body, size_t len, bool store)
{
    cJSON *in = cJSON_ParseWithLength(body, len), *out = cJSON_CreateObject(), *it;
    cJSON *res = cJSON_AddArrayToObject(out, "results"), *vres = cJSON_AddArrayToObject(out, "void_results");
    bool first = true;
    cJSON_ArrayForEach(it, cJSON_GetObjectItemCaseSensitive(in, "sales"))
    {
        char want[65];
        const char *id = fj_str(it, "id"), *hash = fj_str(it, "hash"), *status = "stored";
        if (first) {
            char *t = cJSON_PrintUnformatted(it);
            snprintf(f->last_body_sale, sizeof f->last_body_sale, "%s", t);
            cJSON_free(t);
            first = false;
        }
        fake_sale_hash(it, want);
        fake_sale *s = id ? fake_find(f, id) : NULL;
        if (!id || !hash || strcmp(want, hash) != 0) {
            f->hash_bad++;
            status = "rejected";
        } else if (strcmp(id, f->reject_id) == 0) {
            status = "rejected";
        } else if (s) {
            status = strcmp(s->hash, hash) == 0 ? "duplicate" : "conflict";
            s->posts++;
        } else if (store && f->nsales < FAKE_MAX_SALES) {
            s = &f->sales[f->nsales++];
            memset(s, 0, sizeof *s);
            snprintf(s->id, sizeof s->id, "%s", id);
            snprintf(s->hash, sizeof s->hash, "%s", hash);
            s->seq = fj_int(it, "seq");
            s->gross = fj_int(it, "gross");
            s->subsidy = fj_int(it, "subsidy");
            s->pay = fj_int(it, "pay");
            s->posts = 1;
        }
        cJSON *r = cJSON_CreateObject();
        cJSON_AddStringToObject(r, "id", id ? id : "");
        cJSON_AddStringToObject(r, "status", status);
        if (strcmp(status, "rejected") == 0)
            cJSON_AddStringToObject(r, "reason", strcmp(want, hash ? hash : "") ? "hash mismatch" : "test");
        if (strcmp(status, "conflict") == 0)
            cJSON_AddStringToObject(r, "reason", "same id, other content");
        cJSON_AddItemToArray(res, r);
    }
    cJSON_ArrayForEach(it, cJSON_GetObjectItemCaseSensitive(in, "voids"))
    {
        const char *id = fj_str(it, "sale_id");
        fake_sale *s = id ? fake_find(f, id) : NULL;
        cJSON *r = cJSON_CreateObject();
        cJSON_AddStringToObject(r, "sale_id", id ? id : "");
        cJSON_AddStringToObject(r, "status", !s ? "unknown_sale" : s->voided ? "duplicate" : "stored");
        if (s && store)
            s->voided = true;
        cJSON_AddItemToArray(vres, r);
    }
    cJSON_AddNumberToObject(out, "server_time", (double)time(NULL) + 7); /* 7 s ahead */
    char *t = cJSON_PrintUnformatted(out);
    cJSON_Delete(in);
    cJSON_Delete(out);
    return t;
}

/* A page k of pages for cursor after ("" = 0). */
static inline const char *fake_page(char **pages, int n, const char *after)
{
    long k = 0;
    if (after && *after) {
        char *end;
        k = strtol(after, &end, 10);
        if (*end)
            return NULL;
    }
    return k >= 0 && k < n ? pages[k] : NULL;
}

typedef struct fake_req {
    char *body;
    size_t len, cap;
} fake_req;

static inline enum MHD_Result fake_reply(struct MHD_Connection *con, unsigned status, const char *body,
                                         size_t len)
{
    struct MHD_Response *r = MHD_create_response_from_buffer(len, (void *)body, MHD_RESPMEM_MUST_COPY);
    MHD_add_response_header(r, "Content-Type", "application/json");
    enum MHD_Result ret = MHD_queue_response(con, status, r);
    MHD_destroy_response(r);
    return ret;
}

static inline enum MHD_Result fake_handler(void *cls, struct MHD_Connection *con, const char *url,
                                           const char *method, const char *version,
                                           const char *upload, size_t *upload_size, void **con_cls)
{
    fake *f = cls;
    fake_req *q = *con_cls;
    (void)version;
    if (!q) {
        *con_cls = q = calloc(1, sizeof *q);
        return MHD_YES;
    }
    if (*upload_size) {
        if (q->len + *upload_size + 1 > q->cap) {
            q->cap = (q->len + *upload_size + 1) * 2;
            q->body = realloc(q->body, q->cap);
        }
        memcpy(q->body + q->len, upload, *upload_size);
        q->len += *upload_size;
        q->body[q->len] = '\0';
        *upload_size = 0;
        return MHD_YES;
    }
    pthread_mutex_lock(&f->mu);
    f->requests++;
    fake_mode mode = strncmp(url, f->mode_path, strlen(f->mode_path)) == 0 ? f->mode : FAKE_OK;
    long slow = f->slow_ms;
    pthread_mutex_unlock(&f->mu);
    if (mode == FAKE_SLOW)
        for (long waited = 0; waited < slow && !atomic_load(&f->quit); waited += 10)
            usleep(10000);
    const char *auth = MHD_lookup_connection_value(con, MHD_HEADER_KIND, "Authorization");
    const char *term = MHD_lookup_connection_value(con, MHD_HEADER_KIND, "X-Zhucan-Terminal");
    char want[96], buf[256];
    snprintf(want, sizeof want, "Bearer %s", f->token);
    if (mode == FAKE_401 || !auth || strcmp(auth, want) != 0 || !term || strcmp(term, f->terminal) != 0) {
        pthread_mutex_lock(&f->mu);
        f->unauthorized++;
        pthread_mutex_unlock(&f->mu);
        static const char e[] = "{\"error\":\"unknown terminal or token\"}";
        return fake_reply(con, 401, e, sizeof e - 1);
    }
    if (mode == FAKE_500) {
        static const char e[] = "{\"error\":\"database is on fire\"}";
        return fake_reply(con, 500, e, sizeof e - 1);
    }
    if (mode == FAKE_GARBLED) {
        static const char e[] = "{\"results\": [ {\"id\": oops } ]}";
        return fake_reply(con, 200, e, sizeof e - 1);
    }
    if (mode == FAKE_TRUNCATED) {
        static const char e[] = "{\"elders\":[{\"elder_id\":\"E9\",\"name\":\"";
        return fake_reply(con, 200, e, sizeof e - 1);
    }
    if (mode == FAKE_HUGE) {
        size_t n = f->huge_bytes;
        char *big = malloc(n + 1);
        memset(big, ' ', n);
        memcpy(big, "{\"pad\":\"", 8);
        memset(big + 8, 'x', n - 10);
        memcpy(big + n - 2, "\"}", 2);
        enum MHD_Result r = fake_reply(con, 200, big, n);
        free(big);
        return r;
    }
    char *out = NULL;
    const char *page = NULL;
    unsigned status = 200;
    pthread_mutex_lock(&f->mu);
    if (strcmp(url, "/api/v1/time") == 0) {
        snprintf(buf, sizeof buf, "{\"server_time\":%lld}", (long long)time(NULL) + 7);
        out = strdup(buf);
    } else if (strcmp(url, "/api/v1/config") == 0) {
        out = strdup(f->config);
    } else if (strcmp(url, "/api/v1/sales") == 0 && strcmp(method, "POST") == 0) {
        f->sales_posts++;
        if (mode == FAKE_NO_RESULTS) {
            out = strdup("{\"results\":[],\"void_results\":[]}");
        } else {
            out = fake_sales(f, q->body ? q->body : "", q->len, true);
            if (mode == FAKE_LOSE_REPLY) {
                free(out);
                out = strdup("{\"error\":\"lost\"}");
                status = 500;
            }
        }
    } else if (strcmp(url, "/api/v1/roster") == 0) {
        f->roster_gets++;
        page = fake_page(f->roster, f->nroster,
                         MHD_lookup_connection_value(con, MHD_GET_ARGUMENT_KIND, "after"));
        out = strdup(page ? page : "{\"elders\":[],\"next\":\"\",\"more\":false}");
    } else if (strcmp(url, "/api/v1/policies") == 0) {
        page = fake_page(f->policies, f->npolicies,
                         MHD_lookup_connection_value(con, MHD_GET_ARGUMENT_KIND, "after"));
        out = strdup(page ? page : "{\"policies\":[],\"next\":\"\",\"more\":false}");
    } else if (strcmp(url, "/api/v1/usage") == 0) {
        f->usage_gets++;
        out = strdup(f->usage);
    } else {
        out = strdup("{\"error\":\"no such endpoint\"}");
        status = 404;
    }
    pthread_mutex_unlock(&f->mu);
    enum MHD_Result r = fake_reply(con, status, out, strlen(out));
    free(out);
    return r;
}

static inline void fake_done(void *cls, struct MHD_Connection *con, void **con_cls,
                             enum MHD_RequestTerminationCode why)
{
    (void)cls, (void)con, (void)why;
    fake_req *q = *con_cls;
    if (q)
        free(q->body);
    free(q);
    *con_cls = NULL;
}

/* Starts the centre on 127.0.0.1:port (0 = any free port).  cert/key (PEM
 * text, may be NULL) turn on TLS. */
static inline bool fake_start(fake *f, int port, const char *cert, const char *key)
{
    struct sockaddr_in sa;
    memset(&sa, 0, sizeof sa);
    sa.sin_family = AF_INET;
    sa.sin_port = htons((uint16_t)port);
    sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    atomic_store(&f->quit, false);
    unsigned flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_THREAD_PER_CONNECTION;
    if (cert)
        flags |= MHD_USE_TLS;
    if (cert)
        f->d = MHD_start_daemon(flags, 0, NULL, NULL, fake_handler, f, MHD_OPTION_SOCK_ADDR, &sa,
                                MHD_OPTION_LISTENING_ADDRESS_REUSE, 1u, MHD_OPTION_NOTIFY_COMPLETED,
                                fake_done, f, MHD_OPTION_HTTPS_MEM_CERT, cert, MHD_OPTION_HTTPS_MEM_KEY,
                                key, MHD_OPTION_END);
    else
        f->d = MHD_start_daemon(flags, 0, NULL, NULL, fake_handler, f, MHD_OPTION_SOCK_ADDR, &sa,
                                MHD_OPTION_LISTENING_ADDRESS_REUSE, 1u, MHD_OPTION_NOTIFY_COMPLETED,
                                fake_done, f, MHD_OPTION_END);
    if (!f->d)
        return false;
    const union MHD_DaemonInfo *di = MHD_get_daemon_info(f->d, MHD_DAEMON_INFO_BIND_PORT);
    f->port = di ? di->port : 0;
    return f->port > 0;
}

static inline void fake_stop(fake *f)
{
    if (f->d) {
        atomic_store(&f->quit, true);
        MHD_stop_daemon(f->d);
        f->d = NULL;
    }
}

/* A fresh centre with the terminal's credentials and an empty roster. */
static inline void fake_init(fake *f, const char *terminal, const char *token)
{
    memset(f, 0, sizeof *f);
    pthread_mutex_init(&f->mu, NULL);
    snprintf(f->terminal, sizeof f->terminal, "%s", terminal);
    snprintf(f->token, sizeof f->token, "%s", token);
    snprintf(f->config, sizeof f->config,
             "{\"terminal_id\":\"%s\",\"canteen\":{\"id\":\"C-0001\",\"name\":\"朝阳路社区食堂\","
             "\"city\":\"110000\",\"district\":\"110105\",\"town\":\"110105010\"},"
             "\"id_salt\":\"00112233445566778899aabbccddeeff\",\"qr_pubkey\":"
             "\"%064d\",\"card_format\":\"hex10\"}", terminal, 7);
    snprintf(f->usage, sizeof f->usage, "{\"uses\":[]}");
}

static inline void fake_free(fake *f)
{
    fake_stop(f);
    for (int i = 0; i < f->nroster; i++)
        free(f->roster[i]);
    for (int i = 0; i < f->npolicies; i++)
        free(f->policies[i]);
    f->nroster = f->npolicies = 0;
    pthread_mutex_destroy(&f->mu);
}

/* A counter read while the centre may be serving (under its lock). */
static inline int fake_count(fake *f, const int *counter)
{
    pthread_mutex_lock(&f->mu);
    int v = *counter;
    pthread_mutex_unlock(&f->mu);
    return v;
}

static inline void fake_set(fake *f, fake_mode mode, const char *path)
{
    pthread_mutex_lock(&f->mu);
    f->mode = mode;
    snprintf(f->mode_path, sizeof f->mode_path, "%s", path ? path : "");
    pthread_mutex_unlock(&f->mu);
}

/* ---- the terminal side ---- */

typedef struct term {
    char dir[64];
    char db[128];
    store_t *st;
} term;

/* A demo terminal (fixture elders only, Beijing policy) set up to sync
 * with f (server_url, terminal_id T-0001, sync_token). */
static inline store_t *term_open(term *t, const fake *f)
{
    zc_err err = {""};
    char url[64];
    memset(t, 0, sizeof *t);
    snprintf(t->dir, sizeof t->dir, "/tmp/zc_sync_XXXXXX");
    if (!mkdtemp(t->dir)) {
        perror("mkdtemp");
        exit(2);
    }
    snprintf(t->db, sizeof t->db, "%s/till.db", t->dir);
    if (zc_tz_set("Asia/Shanghai", &err) != ZC_OK)
        fprintf(stderr, "  tz: %s\n", err.msg);
    CHECK_OK(store_open(t->db, STORE_CREATE, &t->st, &err));
    const char *bj = embed_get("db/policies/beijing.json");
    int rc = t->st && bj ? store_demo_fill(t->st, bj, 0, 1, &err) : ZC_EINVAL;
    if (rc)
        fprintf(stderr, "  demo: %s\n", err.msg);
    CHECK_OK(rc);
    snprintf(url, sizeof url, "http://127.0.0.1:%d", f->port);
    CHECK_OK(store_meta_set(t->st, "server_url", url, &err));
    CHECK_OK(store_meta_set(t->st, "terminal_id", f->terminal, &err));
    CHECK_OK(store_meta_set(t->st, "sync_token", f->token, &err));
    return t->st;
}

static inline void term_close(term *t)
{
    store_close(t->st);
    t->st = NULL;
    DIR *d = opendir(t->dir);
    struct dirent *e;
    char p[400];
    while (d && (e = readdir(d))) {
        if (strcmp(e->d_name, ".") && strcmp(e->d_name, "..")) {
            snprintf(p, sizeof p, "%s/%s", t->dir, e->d_name);
            unlink(p);
        }
    }
    if (d)
        closedir(d);
    rmdir(t->dir);
}

static inline int64_t tq_int(store_t *st, const char *sql)
{
    sqlite3_stmt *s = NULL;
    int64_t v = -1;
    if (sqlite3_prepare_v2(store_db(st), sql, -1, &s, NULL) == SQLITE_OK &&
        sqlite3_step(s) == SQLITE_ROW)
        v = sqlite3_column_int64(s, 0);
    sqlite3_finalize(s);
    return v;
}

static inline const char *tq_text(store_t *st, const char *sql)
{
    static char buf[512];
    sqlite3_stmt *s = NULL;
    buf[0] = '\0';
    if (sqlite3_prepare_v2(store_db(st), sql, -1, &s, NULL) == SQLITE_OK &&
        sqlite3_step(s) == SQLITE_ROW && sqlite3_column_text(s, 0))
        snprintf(buf, sizeof buf, "%s", (const char *)sqlite3_column_text(s, 0));
    sqlite3_finalize(s);
    return buf;
}

/* Outbox rows not acknowledged by the centre. */
static inline long unsent_rows(store_t *st)
{
    return (long)tq_int(st, "SELECT count(*) FROM outbox WHERE sent_utc IS NULL");
}

/* Sells the space-separated menu codes to elder_id (NULL = public) at
 * local time when ("YYYY-MM-DD HH:MM"); the sale id into res. */
static inline void term_sell(store_t *st, const char *elder_id, const char *codes, const char *when,
                             store_sale_res *res)
{
    static zc_elder e;
    static zc_cart cart;
    store_sale_req req;
    char buf[128];
    zc_err err = {""};
    memset(&req, 0, sizeof req);
    memset(&cart, 0, sizeof cart);
    if (elder_id) {
        CHECK_OK(store_elder_get(st, elder_id, &e, &err));
        req.elder = &e;
    }
    snprintf(buf, sizeof buf, "%s ", codes);
    for (char *t = buf, *sp; (sp = strchr(t, ' ')) != NULL; t = sp + 1) {
        *sp = '\0';
        store_item it;
        if (!*t || store_item_get(st, t, &it, &err) != ZC_OK)
            continue;
        zc_line l = {.unit_fen = it.price_fen, .qty = 1, .eligible = it.eligible};
        snprintf(l.code, sizeof l.code, "%s", it.code);
        snprintf(l.name, sizeof l.name, "%s", it.name);
        CHECK_OK(zc_cart_add(&cart, &l));
    }
    CHECK_OK(zc_datetime_parse(when, &req.at));
    req.at_utc = zc_tz_epoch(req.at);
    req.operator_id = "c1";
    req.cart = &cart;
    req.pay = STORE_PAY_CASH;
    int rc = store_sale_commit(st, &req, res, &err);
    if (rc)
        fprintf(stderr, "  sell: %s\n", err.msg);
    CHECK_OK(rc);
}

/* Production limits, shortened so failures show in a fraction of a second. */
static inline void test_tune(sync_tune *t)
{
    sync_tune_default(t);
    t->connect_ms = 1000;
    t->probe_ms = 1000;
    t->request_ms = 2000;
    t->page_ms = 2000;
    t->push_ms = 2000;
    t->push_per_sale_ms = 0;
    t->usage_ms = 400;
    t->interval_ms = 100;
    t->backoff_min_ms = 50;
    t->backoff_max_ms = 400;
}

/* One round on st's own connection with tune t (NULL = test_tune). */
static inline int term_round(store_t *st, const sync_tune *t, sync_report *rep, zc_err *err)
{
    sync_tune def;
    sync_conn *c = NULL;
    sync_report ignore;
    if (!t) {
        test_tune(&def);
        t = &def;
    }
    memset(rep ? rep : &ignore, 0, sizeof ignore);
    int ret = sync_conn_open(st, t, NULL, &c, err);
    if (ret == ZC_OK)
        ret = sync_round(c, rep ? rep : &ignore, err);
    sync_conn_close(c);
    return ret;
}

#endif
