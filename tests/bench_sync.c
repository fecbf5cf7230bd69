/* bench_sync.c - `make bench`: the sync figures of issue 4, against a real
 * `build/zhucan-central serve` on 127.0.0.1 (an ephemeral port), with a
 * roster of ELDERS elders (default 1 million) generated here.
 *
 *  1. the centre's roster import (rows/s), as the operator runs it;
 *  2. the roster pulled into an empty terminal by the real sync client
 *     (sync_run_once: pages of 2000, each applied in one transaction, a
 *     bulk load with the indexes built at the end): s, elders/s, and the
 *     longest write transaction (what a sale on the till could wait for);
 *  3. a backlog of 10,000 unsent sales pushed by the real sync client
 *     (batches of 500): sales/s, against curl (libcurl, one keep-alive
 *     connection) POSTing the very same request bodies to a copy of the same
 *     centre database in the same run - so the ratio is what the terminal's
 *     side costs on top of the transport and the centre's own work
 *     (target >= 5,000 sales/s);
 *  4. the centre under 50 concurrent terminals, each a thread with its own
 *     connection POSTing its chained sales: sustained sales/s and request
 *     latency p50/p99, once with one sale per request (what the kiosk does:
 *     it pushes after every sale) and once with batches of 20 (catching up
 *     after an outage) (target >= 2,000 sales/s).
 *
 * The sales of 3 are committed by the terminal's store (the durable path,
 * with synchronous=OFF only while the backlog is set up); those of 4 are
 * quoted with the core engine and the terminal's pulled roster and policy,
 * chained and hashed as a terminal would, so the centre re-quotes real
 * sales.  Every sale goes to an elder at most once a day, so no figure
 * carries double-use flags. */
#include <curl/curl.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "../app/core/clock.h"
#include "../app/core/embed.h"
#include "../app/core/wire.h"
#include "../app/store/store.h"
#include "../app/store/store_raw.h"
#include "../app/sync/sync_int.h"

#define BACKLOG 10000
#define TERMINALS 50
#define PUSH_BATCH 500

static const char *build_dir = "build";
static char dir[] = "/tmp/zhucan-sbench.XXXXXX";
static char cpath[8][200]; /* rotating path buffers */

static const char *path(const char *name)
{
    static int k;
    k = (k + 1) % 8;
    snprintf(cpath[k], sizeof cpath[k], "%s/%s", dir, name);
    return cpath[k];
}

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

static double pct(double *v, long n, double p)
{
    qsort(v, (size_t)n, sizeof *v, cmp_double);
    return v[(long)(p * (double)(n - 1))];
}

static uint64_t card_of(long i) { return 0xB000000000ULL + (uint64_t)i * 7919u; }

static void elder_id(long i, char *buf, size_t n) { snprintf(buf, n, "B%07ld", i); }

/* An n-row roster CSV with valid, unique ID numbers in region 110114 (the
 * demo's fixtures live elsewhere); the gender follows the ID's 17th digit. */
static int write_roster(const char *file, long n)
{
    FILE *f = fopen(file, "w");
    if (!f)
        return -1;
    fputs("elder_id,name,id_number,birth_date,gender,phone,reg_city,reg_district,categories,cards\n", f);
    for (long i = 0; i < n; i++) {
        /* a birth date per thousand rows over 40 years (13 is coprime with
         * 14600), the sequence 000..999 inside it: unique ID numbers */
        zc_date birth = zc_civil_from_days(zc_days_from_civil((zc_date){1926, 1, 1}) + (i / 1000) * 13 % 14600);
        long seq = i % 1000;
        char id17[32], uid[11], eid[ZC_ID_MAX];
        snprintf(id17, sizeof id17, "110114%04d%02d%02d%03ld", birth.y % 10000, birth.m % 100,
                 birth.d % 100, seq);
        elder_id(i, eid, sizeof eid);
        const char *cat = i % 10 == 0 ? "dibao" : i % 7 == 0 ? "living_alone" : "";
        fprintf(f, "%s,王%s,%s%c,%04d-%02d-%02d,%c,139%08ld,110000,110105,%s,%s\n", eid,
                seq % 2 ? "建国" : "秀英", id17, zc_idnum_check_char(id17), birth.y, birth.m, birth.d,
                seq % 2 ? 'M' : 'F', i, cat, zc_card_uid_fmt(card_of(i), uid, sizeof uid));
    }
    return fclose(f);
}

static int copy_file(const char *from, const char *to)
{
    char buf[1 << 16];
    size_t k;
    int rc = 0;
    FILE *a = fopen(from, "rb"), *b = fopen(to, "wb");
    if (!a || !b)
        rc = -1;
    while (rc == 0 && (k = fread(buf, 1, sizeof buf, a)) > 0)
        if (fwrite(buf, 1, k, b) != k)
            rc = -1;
    if (a)
        fclose(a);
    if (b && fclose(b) != 0)
        rc = -1;
    return rc;
}

/* ---- the centre, through its command line ---- */

/* Runs zhucan-central with args (a shell fragment of safe words); its
 * first stdout line into out (may be NULL).  0 on exit status 0. */
static int central(const char *args, char *out, size_t n)
{
    char cmd[8192], line[256] = "";
    snprintf(cmd, sizeof cmd, "%s/zhucan-central %s 2>%s", build_dir, args, path("central.err"));
    FILE *p = popen(cmd, "r");
    if (!p)
        return -1;
    if (!fgets(line, sizeof line, p))
        line[0] = '\0';
    while (fgetc(p) != EOF) {
    }
    int st = pclose(p);
    line[strcspn(line, "\n")] = '\0';
    if (out)
        snprintf(out, n, "%s", line);
    if (st != 0) {
        fprintf(stderr, "zhucan-central %s failed; see %s\n", args, path("central.err"));
        return -1;
    }
    return 0;
}

typedef struct server {
    pid_t pid;
    int port;
    FILE *out; /* its stdout */
} server;

/* Starts `zhucan-central serve` on db at 127.0.0.1 with a free port. */
static int serve(const char *db, server *s)
{
    int fd[2];
    char exe[600], line[256];
    memset(s, 0, sizeof *s);
    snprintf(exe, sizeof exe, "%s/zhucan-central", build_dir);
    int errfd = open(path("serve.err"), O_WRONLY | O_CREAT | O_APPEND, 0600);
    if (errfd < 0 || pipe(fd) != 0)
        return -1;
    s->pid = fork();
    if (s->pid < 0)
        return -1;
    if (s->pid == 0) {
        dup2(fd[1], 1);
        dup2(errfd, 2); /* its "stopping" lines */
        close(fd[0]);
        close(fd[1]);
        close(errfd);
        execl(exe, exe, "serve", "--db", db, "--listen", "127.0.0.1:0", (char *)NULL);
        _exit(127);
    }
    close(fd[1]);
    close(errfd);
    s->out = fdopen(fd[0], "r");
    if (!s->out || !fgets(line, sizeof line, s->out)) {
        fprintf(stderr, "zhucan-central serve did not start\n");
        return -1;
    }
    const char *colon = strrchr(line, ':');
    char *end;
    long port = colon ? strtol(colon + 1, &end, 10) : 0;
    if (!colon || port <= 0 || port > 65535 || (*end != '\n' && *end != '\0')) {
        fprintf(stderr, "zhucan-central serve said: %s", line);
        return -1;
    }
    s->port = (int)port;
    return 0;
}

static void serve_stop(server *s)
{
    if (s->pid > 0) {
        kill(s->pid, SIGTERM);
        waitpid(s->pid, NULL, 0);
        s->pid = 0;
    }
    if (s->out)
        fclose(s->out);
    s->out = NULL;
}

/* ---- HTTP with libcurl ---- */

typedef struct reply {
    char *p;
    size_t n;
} reply;

static size_t on_data(char *data, size_t sz, size_t nm, void *ud)
{
    reply *r = ud;
    size_t k = sz * nm;
    if (r->n + k > ((size_t)16 << 20))
        return 0;
    char *p = realloc(r->p, r->n + k + 1);
    if (!p)
        return 0;
    memcpy(p + r->n, data, k);
    r->p = p;
    r->n += k;
    r->p[r->n] = '\0';
    return k;
}

typedef struct client {
    CURL *c;
    struct curl_slist *hd;
    char url[128];
} client;

static int client_open(client *cl, int port, const char *terminal, const char *token)
{
    char line[256];
    memset(cl, 0, sizeof *cl);
    if (!(cl->c = curl_easy_init()))
        return -1;
    snprintf(cl->url, sizeof cl->url, "http://127.0.0.1:%d/api/v1/sales", port);
    snprintf(line, sizeof line, "X-Zhucan-Terminal: %s", terminal);
    cl->hd = curl_slist_append(cl->hd, line);
    snprintf(line, sizeof line, "Authorization: Bearer %s", token);
    cl->hd = curl_slist_append(cl->hd, line);
    cl->hd = curl_slist_append(cl->hd, "Content-Type: application/json");
    cl->hd = curl_slist_append(cl->hd, "Expect:");
    curl_easy_setopt(cl->c, CURLOPT_URL, cl->url);
    curl_easy_setopt(cl->c, CURLOPT_HTTPHEADER, cl->hd);
    curl_easy_setopt(cl->c, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(cl->c, CURLOPT_TIMEOUT, 120L);
    curl_easy_setopt(cl->c, CURLOPT_WRITEFUNCTION, on_data);
    return 0;
}

static void client_close(client *cl)
{
    curl_slist_free_all(cl->hd);
    curl_easy_cleanup(cl->c);
}

/* POSTs body; the number of sales the centre answered "stored", or -1. */
static long post(client *cl, const char *body, size_t len)
{
    reply r = {NULL, 0};
    long status = 0, stored = -1;
    curl_easy_setopt(cl->c, CURLOPT_POSTFIELDS, body);
    curl_easy_setopt(cl->c, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)len);
    curl_easy_setopt(cl->c, CURLOPT_WRITEDATA, &r);
    CURLcode rc = curl_easy_perform(cl->c);
    if (rc == CURLE_OK)
        curl_easy_getinfo(cl->c, CURLINFO_RESPONSE_CODE, &status);
    if (rc == CURLE_OK && status == 200 && r.p) {
        stored = 0;
        for (const char *p = r.p; (p = strstr(p, "\"status\":\"stored\"")) != NULL; p++)
            stored++;
    } else {
        fprintf(stderr, "POST: %s, HTTP %ld: %.200s\n", curl_easy_strerror(rc), status, r.p ? r.p : "");
    }
    free(r.p);
    return stored;
}

/* ---- the terminal ---- */

static int term_setup(const char *db, int port, const char *token, zc_err *err)
{
    store_t *st = NULL;
    char url[64];
    snprintf(url, sizeof url, "http://127.0.0.1:%d", port);
    int ret = store_open(db, STORE_CREATE, &st, err);
    if (ret == ZC_OK)
        ret = store_meta_set(st, "terminal_id", "T-0001", err);
    if (ret == ZC_OK)
        ret = store_meta_set(st, "server_url", url, err);
    if (ret == ZC_OK)
        ret = store_meta_set(st, "sync_token", token, err);
    if (ret == ZC_OK)
        ret = store_meta_set(st, "tz", "Asia/Shanghai", err);
    store_close(st);
    return ret;
}

static zc_cart set_meal(void)
{
    zc_cart cart;
    memset(&cart, 0, sizeof cart);
    zc_line l = {"A1", "套餐A 两荤一素", 1500, 1, true, ZC_LINE_DISH};
    cart.lines[0] = l;
    cart.n = 1;
    return cart;
}

/* Commits the backlog: sale i to elder i mod n at today 11:30, durably
 * committed but with synchronous=OFF while setting up. */
static int make_backlog(store_t *st, long n, zc_err *err)
{
    store_operator op = {.id = "c1", .name = "王芳", .role = STORE_ROLE_CASHIER, .active = true};
    zc_cart cart = set_meal();
    zc_datetime at = {zc_tz_local(zc_now()).date, 11, 30};
    int ret = store_operator_add(st, &op, "1111", err);
    sqlite3_exec(store_db(st), "PRAGMA synchronous=OFF", NULL, NULL, NULL);
    for (long i = 0; ret == ZC_OK && i < BACKLOG; i++) {
        char eid[ZC_ID_MAX], uid[11];
        zc_elder e;
        store_sale_res res;
        elder_id(i % n, eid, sizeof eid);
        if ((ret = store_elder_get(st, eid, &e, err)))
            break;
        store_sale_req req = {.operator_id = "c1", .elder = &e,
                              .card_uid = zc_card_uid_fmt(card_of(i % n), uid, sizeof uid),
                              .cart = &cart, .at_utc = zc_tz_epoch(at) + i % 3600, .at = at,
                              .pay = STORE_PAY_CASH};
        ret = store_sale_commit(st, &req, &res, err);
    }
    sqlite3_exec(store_db(st), "PRAGMA synchronous=FULL", NULL, NULL, NULL);
    return ret;
}

/* The request bodies the sync client will send for the backlog, read with
 * its own code (sync_batch_load) inside a transaction that is rolled back,
 * so the outbox is left as it was.  *bodies owned by the caller. */
static int capture_bodies(store_t *st, char ***bodies, int *nb, zc_err *err)
{
    sync_batch b = {0};
    cJSON *body = NULL;
    int ret = ZC_OK;
    *bodies = calloc(BACKLOG / PUSH_BATCH + 2, sizeof **bodies);
    *nb = 0;
    if (!*bodies)
        goto out;
    sqlite3_exec(store_db(st), "BEGIN", NULL, NULL, NULL);
    while ((ret = sync_batch_load(st, PUSH_BATCH, &b, &body, err)) == ZC_OK && b.n > 0 &&
           *nb < BACKLOG / PUSH_BATCH + 2) {
        (*bodies)[(*nb)++] = cJSON_PrintUnformatted(body);
        cJSON_Delete(body);
        body = NULL;
        for (int i = 0; i < b.n; i++) {
            char sql[96];
            snprintf(sql, sizeof sql, "UPDATE outbox SET sent_utc = 1 WHERE id = %lld",
                     (long long)b.items[i].outbox_id);
            sqlite3_exec(store_db(st), sql, NULL, NULL, NULL);
        }
    }
    sqlite3_exec(store_db(st), "ROLLBACK", NULL, NULL, NULL);
out:
    cJSON_Delete(body);
    sync_batch_free(&b);
    return ret;
}

/* ---- 50 terminals ---- */

typedef struct term_load {
    char id[16], token[80];
    int64_t seq;      /* the terminal's last seq so far */
    char prev[ZC_SHA256_HEX]; /* and its hash ("" before the first) */
    char **bodies;    /* one per request */
    size_t *lens;
    int nreq;
    double *lat;      /* seconds per request */
    long stored;
    int port;
    pthread_barrier_t *go;
} term_load;

/* Quotes and chains `per` sales of terminal t (0-based) in batches of
 * `batch`; elders and days chosen so no elder eats twice a day. */
static int make_load(store_t *st, const zc_canteen *cant, int t, int per, int batch, long n, long round,
                     term_load *L, zc_err *err)
{
    zc_cart cart = set_meal();
    zc_sale_doc *d = calloc(1, sizeof *d);
    zc_policy *pol = NULL;
    cJSON *arr = NULL, *root = NULL;
    int ret = d ? ZC_OK : ZC_ENOMEM;
    if (!L->prev[0])
        snprintf(L->prev, sizeof L->prev, "%s", ZC_ZERO_HASH);
    L->nreq = (per + batch - 1) / batch;
    L->bodies = calloc((size_t)L->nreq, sizeof *L->bodies);
    L->lens = calloc((size_t)L->nreq, sizeof *L->lens);
    L->lat = calloc((size_t)L->nreq, sizeof *L->lat);
    if (!L->bodies || !L->lens || !L->lat)
        ret = ZC_ENOMEM;
    zc_date today = zc_tz_local(zc_now()).date;
    for (int k = 0; ret == ZC_OK && k < per; k++) {
        /* global index over every terminal and both rounds; days before today */
        long g = (round * TERMINALS + t) * (long)per + k;
        zc_datetime at = {zc_civil_from_days(zc_days_from_civil(today) - 1 - g / n), 12, 0};
        char eid[ZC_ID_MAX];
        zc_elder e;
        zc_quote q;
        elder_id(g % n, eid, sizeof eid);
        zc_policy_free(pol);
        pol = NULL;
        if ((ret = store_elder_get(st, eid, &e, err)) || (ret = store_policy_for(st, at.date, &pol, err)))
            break;
        zc_quote_in in = {.policy = pol, .elder = &e, .canteen = cant, .cart = &cart, .at = at};
        if ((ret = zc_quote_compute(&in, &q, err)))
            break;
        memset(d, 0, sizeof *d);
        zc_uuid4(d->id);
        d->seq = ++L->seq;
        snprintf(d->terminal, sizeof d->terminal, "%s", L->id);
        snprintf(d->canteen, sizeof d->canteen, "%s", cant->id);
        snprintf(d->op, sizeof d->op, "c1");
        snprintf(d->elder, sizeof d->elder, "%s", eid);
        zc_card_uid_fmt(card_of(g % n), d->card, sizeof d->card);
        d->created_utc = zc_tz_epoch(at) + k;
        zc_datetime_fmt(at, d->local_time, sizeof d->local_time);
        snprintf(d->period, sizeof d->period, "%s", q.period);
        snprintf(d->policy, sizeof d->policy, "%s", q.policy_id);
        snprintf(d->policy_version, sizeof d->policy_version, "%s", q.policy_version);
        d->gross = q.gross;
        d->subsidy = q.subsidy;
        d->pay = q.pay;
        snprintf(d->pay_method, sizeof d->pay_method, "cash");
        d->nlines = cart.n;
        memcpy(d->lines, cart.lines, sizeof d->lines[0] * (size_t)cart.n);
        d->nrules = q.napplied;
        for (int i = 0; i < q.napplied; i++) {
            zc_sale_rule *r = &d->rules[i];
            snprintf(r->rule, sizeof r->rule, "%s", q.applied[i].rule);
            snprintf(r->key, sizeof r->key, "%s", q.applied[i].key[0] ? q.applied[i].key : q.applied[i].rule);
            snprintf(r->period, sizeof r->period, "%s", q.period);
            zc_date_fmt(at.date, r->date, sizeof r->date);
            r->fen = q.applied[i].fen;
        }
        d->nparts = q.nparts;
        memcpy(d->parts, q.parts, sizeof d->parts[0] * (size_t)q.nparts);
        snprintf(d->prev, sizeof d->prev, "%s", L->prev);
        if ((ret = zc_salecanon_hash(d, L->prev, err)))
            break;
        if (!root) {
            root = cJSON_CreateObject();
            arr = cJSON_AddArrayToObject(root, "sales");
        }
        cJSON_AddItemToArray(arr, zc_wire_sale_json(d, L->prev));
        if ((k + 1) % batch == 0 || k + 1 == per) {
            int r = k / batch;
            L->bodies[r] = cJSON_PrintUnformatted(root);
            L->lens[r] = L->bodies[r] ? strlen(L->bodies[r]) : 0;
            cJSON_Delete(root);
            root = NULL;
            if (!L->bodies[r])
                ret = ZC_ENOMEM;
        }
    }
    cJSON_Delete(root);
    zc_policy_free(pol);
    free(d);
    return ret;
}

static void *load_thread(void *arg)
{
    term_load *L = arg;
    client cl;
    if (client_open(&cl, L->port, L->id, L->token) != 0)
        return NULL;
    pthread_barrier_wait(L->go);
    for (int r = 0; r < L->nreq; r++) {
        double t0 = now_s();
        long k = post(&cl, L->bodies[r], L->lens[r]);
        L->lat[r] = now_s() - t0;
        if (k < 0)
            break;
        L->stored += k;
    }
    client_close(&cl);
    return NULL;
}

static void load_free(term_load *L)
{
    for (int r = 0; L->bodies && r < L->nreq; r++)
        cJSON_free(L->bodies[r]);
    free(L->bodies);
    free(L->lens);
    free(L->lat);
    L->bodies = NULL;
    L->lens = NULL;
    L->lat = NULL;
}

/* 50 terminals at once, `per` sales each in requests of `batch`. */
static int concurrent(store_t *st, term_load *L, int port, int per, int batch, long n, long round)
{
    zc_canteen cant;
    zc_err err = {""};
    pthread_t th[TERMINALS];
    pthread_barrier_t go;
    int ret = store_canteen_get(st, &cant, &err);
    for (int t = 0; ret == ZC_OK && t < TERMINALS; t++) {
        L[t].port = port;
        L[t].stored = 0;
        L[t].go = &go;
        ret = make_load(st, &cant, t, per, batch, n, round, &L[t], &err);
    }
    if (ret) {
        fprintf(stderr, "making the sales: %s\n", err.msg);
        return -1;
    }
    pthread_barrier_init(&go, NULL, TERMINALS + 1);
    for (int t = 0; t < TERMINALS; t++)
        pthread_create(&th[t], NULL, load_thread, &L[t]);
    pthread_barrier_wait(&go);
    double t0 = now_s();
    for (int t = 0; t < TERMINALS; t++)
        pthread_join(th[t], NULL);
    double dt = now_s() - t0;
    pthread_barrier_destroy(&go);
    long nreq = 0, stored = 0, k = 0;
    for (int t = 0; t < TERMINALS; t++) {
        nreq += L[t].nreq;
        stored += L[t].stored;
    }
    double *lat = malloc(sizeof *lat * (size_t)nreq);
    for (int t = 0; lat && t < TERMINALS; t++)
        for (int r = 0; r < L[t].nreq; r++)
            lat[k++] = L[t].lat[r];
    long total = (long)TERMINALS * per;
    if (stored != total || !lat) {
        fprintf(stderr, "the centre stored %ld of %ld sales\n", stored, total);
        free(lat);
        return -1;
    }
    double p50 = pct(lat, nreq, 0.5), p99 = pct(lat, nreq, 0.99);
    printf("centre ingest, %d concurrent terminals, %d sale%s per request: %ld sales in %.2f s = %.0f "
           "sales/s; request latency p50 %.1f ms, p99 %.1f ms (target >= 2,000 sales/s)\n",
           TERMINALS, batch, batch == 1 ? "" : "s", total, dt, (double)total / dt, p50 * 1e3, p99 * 1e3);
    free(lat);
    for (int t = 0; t < TERMINALS; t++)
        load_free(&L[t]);
    return 0;
}

int main(void)
{
    long n = 1000000;
    const char *env = getenv("ELDERS");
    char cmd[800], token[80], args[4096], **bodies = NULL;
    store_t *st = NULL;
    zc_err err = {""};
    server A = {0}, B = {0};
    static term_load L[TERMINALS];
    int rc = 1, nb = 0;
    sync_report rep;

    if (env) {
        char *end;
        n = strtol(env, &end, 10);
        if (end == env || *end)
            n = 1000000;
    }
    if (n < 1000)
        n = 1000;
    if (getenv("BUILD") && *getenv("BUILD"))
        build_dir = getenv("BUILD");
    snprintf(cmd, sizeof cmd, "%s/zhucan-central", build_dir);
    if (access(cmd, X_OK) != 0) {
        fprintf(stderr, "%s is missing: build it first (make all)\n", cmd);
        return 1;
    }
    if (!mkdtemp(dir) || zc_secure_init() != 0 || sync_global_init(&err) != ZC_OK ||
        zc_tz_set("Asia/Shanghai", &err) != ZC_OK) {
        fprintf(stderr, "setup: %s\n", err.msg);
        return 1;
    }
    if (write_roster(path("roster.csv"), n) != 0) {
        fprintf(stderr, "could not write the roster in %s\n", dir);
        goto out;
    }
    FILE *pf = fopen(path("beijing.json"), "w");
    if (!pf || fputs(embed_get("db/policies/beijing.json"), pf) < 0 || fclose(pf) != 0)
        goto out;

    /* the centre: a canteen, T-0001 and 50 more terminals, the policy, the roster */
    snprintf(args, sizeof args, "init --db %s", path("central.db"));
    if (central(args, NULL, 0))
        goto out;
    snprintf(args, sizeof args, "canteen add --db %s --id C-0001 --name bench --city 110000 "
             "--district 110105 --town 110105010", path("central.db"));
    if (central(args, NULL, 0))
        goto out;
    snprintf(args, sizeof args, "terminal add --db %s --id T-0001 --canteen C-0001", path("central.db"));
    if (central(args, token, sizeof token))
        goto out;
    for (int t = 0; t < TERMINALS; t++) {
        snprintf(L[t].id, sizeof L[t].id, "T-B%02d", t + 1);
        snprintf(args, sizeof args, "terminal add --db %s --id %.15s --canteen C-0001", path("central.db"),
                 L[t].id);
        if (central(args, L[t].token, sizeof L[t].token))
            goto out;
    }
    snprintf(args, sizeof args, "policy publish --db %s %s", path("central.db"), path("beijing.json"));
    if (central(args, NULL, 0))
        goto out;
    snprintf(args, sizeof args, "roster import --db %s %s", path("central.db"), path("roster.csv"));
    double t0 = now_s();
    if (central(args, NULL, 0))
        goto out;
    double dt = now_s() - t0;
    printf("centre roster import (zhucan-central roster import): %ld elders in %.2f s = %.0f rows/s\n", n,
           dt, (double)n / dt);
    /* a copy of the centre as it is now, for the curl baseline */
    if (copy_file(path("central.db"), path("central-base.db")) != 0)
        goto out;

    /* 2. the roster into an empty terminal */
    if (serve(path("central.db"), &A) != 0)
        goto out;
    if (term_setup(path("t.db"), A.port, token, &err) != ZC_OK) {
        fprintf(stderr, "terminal: %s\n", err.msg);
        goto out;
    }
    t0 = now_s();
    if (sync_run_once(path("t.db"), &rep, NULL, &err) != ZC_OK || rep.elders != n) {
        fprintf(stderr, "roster pull: %s (%ld elders)\n", err.msg, rep.elders);
        goto out;
    }
    dt = now_s() - t0;
    printf("roster pull into an empty terminal (sync, pages of 2000): %ld elders in %.2f s = %.0f "
           "elders/s; longest write transaction: a page %ld ms, an index build %ld ms (target: "
           "seconds)\n", n, dt, (double)n / dt, rep.roster_page_ms, rep.roster_index_ms);

    /* 3. the backlog */
    if (store_open(path("t.db"), 0, &st, &err) != ZC_OK || make_backlog(st, n, &err) != ZC_OK ||
        capture_bodies(st, &bodies, &nb, &err) != ZC_OK) {
        fprintf(stderr, "backlog: %s\n", err.msg);
        goto out;
    }
    store_close(st);
    st = NULL;
    size_t bytes = 0;
    for (int i = 0; i < nb; i++)
        bytes += bodies[i] ? strlen(bodies[i]) : 0;
    if (serve(path("central-base.db"), &B) != 0)
        goto out;
    client cl;
    if (client_open(&cl, B.port, "T-0001", token) != 0)
        goto out;
    long stored = 0;
    t0 = now_s();
    for (int i = 0; i < nb; i++) {
        long k = bodies[i] ? post(&cl, bodies[i], strlen(bodies[i])) : -1;
        if (k < 0)
            break;
        stored += k;
    }
    double dt_curl = now_s() - t0;
    client_close(&cl);
    serve_stop(&B);
    if (stored != BACKLOG) {
        fprintf(stderr, "curl baseline: the centre stored %ld of %d\n", stored, BACKLOG);
        goto out;
    }
    t0 = now_s();
    if (sync_run_once(path("t.db"), &rep, NULL, &err) != ZC_OK || rep.stored != BACKLOG) {
        fprintf(stderr, "push: %s (%ld stored)\n", err.msg, rep.stored);
        goto out;
    }
    dt = now_s() - t0;
    printf("backlog push (sync client, batches of %d): %d sales in %.2f s = %.0f sales/s; curl POSTing "
           "the same %d bodies (%.1f MB) to a copy of the centre: %.2f s = %.0f sales/s; ratio %.2fx "
           "(target >= 5,000 sales/s)\n", PUSH_BATCH, BACKLOG, dt, BACKLOG / dt, nb, (double)bytes / 1e6,
           dt_curl, BACKLOG / dt_curl, dt / dt_curl);

    /* 4. 50 terminals at once */
    if (store_open(path("t.db"), 0, &st, &err) != ZC_OK) {
        fprintf(stderr, "terminal: %s\n", err.msg);
        goto out;
    }
    if (concurrent(st, L, A.port, 200, 1, n, 0) != 0 || concurrent(st, L, A.port, 400, 20, n, 1) != 0)
        goto out;
    rc = 0;
out:
    store_close(st);
    serve_stop(&A);
    serve_stop(&B);
    for (int i = 0; bodies && i < nb; i++)
        cJSON_free(bodies[i]);
    free(bodies);
    for (int t = 0; t < TERMINALS; t++)
        load_free(&L[t]);
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    if (system(cmd) != 0)
        rc = 1;
    return rc;
}
