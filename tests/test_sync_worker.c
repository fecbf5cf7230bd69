/* test_sync_worker.c - the background sync thread against a real HTTP(S)
 * server on 127.0.0.1 (tests/test_sync_fake.h): online within a round,
 * offline within 3 s of the centre going away and online again at the next
 * success, backoff that grows, a prompt stop while a transfer hangs, kicks,
 * the online usage check (answered, filtered, timed out, used in a sale),
 * and TLS with a CA made here by openssl (trusted only via ca_file). */
#include "check.h"
#include "test_sync_fake.h"

#include <sys/stat.h>

#define LUNCH "2026-11-23 11:30"

static fake F;
static term T;

static store_t *up(void)
{
    fake_init(&F, "T-0001", "tok-123");
    CHECK(fake_start(&F, 0, NULL, NULL));
    return term_open(&T, &F);
}

static void down(void)
{
    term_close(&T);
    fake_free(&F);
}

static double now_s(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

/* Polls the worker's status until want(status) or timeout seconds. */
static bool wait_for(sync_t *s, bool (*want)(const sync_status_t *), double timeout,
                     sync_status_t *out)
{
    double end = now_s() + timeout;
    do {
        sync_status(s, out);
        if (want(out))
            return true;
        usleep(20000);
    } while (now_s() < end);
    return false;
}

static bool is_online(const sync_status_t *st)
{
    return st->online && st->unsent == 0;
}

static bool is_offline(const sync_status_t *st)
{
    return !st->online && st->failures > 0;
}

static sync_t *start(const sync_tune *t)
{
    zc_err err = {""};
    sync_t *s = sync_start_tuned(T.db, t, &err);
    if (!s)
        fprintf(stderr, "  start: %s\n", err.msg);
    CHECK(s != NULL);
    return s;
}

static void t_online_offline(void)
{
    store_t *st = up();
    store_sale_res r;
    sync_status_t ss;
    sync_tune t;
    test_tune(&t);
    term_sell(st, "E0000001", "A1", LUNCH, &r);
    sync_t *s = start(&t);
    CHECK(wait_for(s, is_online, 3, &ss));
    CHECK(ss.last_success > 0);
    CHECK_INT(F.nsales, 1);
    CHECK_STR(tq_text(st, "SELECT value FROM meta WHERE key = 'online'"), "1");
    /* the centre goes away: offline within 3 s, and the status bar sees it */
    int port = F.port;
    fake_stop(&F);
    double t0 = now_s();
    CHECK(wait_for(s, is_offline, 3, &ss));
    CHECK(now_s() - t0 < 3.0);
    CHECK(strstr(ss.last_error, "offline") != NULL);
    CHECK_STR(tq_text(st, "SELECT value FROM meta WHERE key = 'online'"), "0");
    CHECK(strstr(tq_text(st, "SELECT value FROM meta WHERE key = 'sync_error'"), "offline") != NULL);
    /* sales go on offline; back online at the next success, and they are sent */
    term_sell(st, NULL, "D1", LUNCH, &r);
    CHECK(fake_start(&F, port, NULL, NULL));
    CHECK(wait_for(s, is_online, 3, &ss));
    CHECK_INT(ss.failures, 0);
    CHECK_INT(ss.backoff_ms, 0);
    CHECK_STR(ss.last_error, "");
    CHECK_INT(F.nsales, 2); /* the restarted centre kept the first; the second arrived once */
    CHECK_STR(F.sales[1].id, r.id);
    CHECK_INT(F.sales[0].posts, 1);
    CHECK_INT(F.sales[1].posts, 1);
    sync_stop(s);
    down();
}

static void t_backoff_grows(void)
{
    store_t *st = up();
    store_sale_res r;
    sync_status_t ss;
    sync_tune t;
    test_tune(&t);
    t.backoff_min_ms = 50;
    t.backoff_max_ms = 1600;
    term_sell(st, NULL, "D1", LUNCH, &r);
    fake_set(&F, FAKE_500, "");
    sync_t *s = start(&t);
    long seen[8] = {0};
    double end = now_s() + 3;
    while (now_s() < end) {
        sync_status(s, &ss);
        if (ss.failures >= 1 && ss.failures < 8 && !seen[ss.failures])
            seen[ss.failures] = ss.backoff_ms;
        if (seen[5])
            break;
        usleep(5000);
    }
    sync_stop(s);
    for (int i = 1; i <= 5; i++) {
        CHECK(seen[i] > 0);
        if (i > 1)
            CHECK(seen[i] > seen[i - 1]);
    }
    CHECK(seen[1] >= 50 && seen[1] <= 63);
    CHECK(!ss.online);
    CHECK_INT(ss.unsent, 1);
    CHECK_INT(unsent_rows(st), 1);
    down();
}

static void t_stop_prompt(void)
{
    up();
    sync_tune t;
    test_tune(&t);
    t.probe_ms = 30000; /* the transfer would hang for half a minute */
    F.slow_ms = 30000;
    fake_set(&F, FAKE_SLOW, "");
    sync_t *s = start(&t);
    usleep(300000);
    CHECK(fake_count(&F, &F.requests) >= 1);
    double t0 = now_s();
    sync_stop(s);
    CHECK(now_s() - t0 < 1.5);
    down();
}

static void t_kick(void)
{
    store_t *st = up();
    store_sale_res r;
    sync_status_t ss;
    sync_tune t;
    test_tune(&t);
    t.interval_ms = 60000;
    sync_t *s = start(&t);
    CHECK(wait_for(s, is_online, 3, &ss));
    term_sell(st, NULL, "D2", LUNCH, &r);
    double t0 = now_s();
    sync_kick(s);
    while (fake_count(&F, &F.nsales) == 0 && now_s() - t0 < 2)
        usleep(10000);
    CHECK_INT(F.nsales, 1);
    CHECK(now_s() - t0 < 1);
    sync_stop(s);
    down();
}

/* Polls take() until the answer is in (or 2 s). */
static int take(sync_t *s, const char *elder, zc_use *u, int cap, int *n)
{
    int rc;
    double end = now_s() + 2;
    while ((rc = sync_usage_take(s, elder, u, cap, n)) == ZC_ENOTFOUND && now_s() < end)
        usleep(10000);
    return rc;
}

static void t_usage(void)
{
    store_t *st = up();
    store_sale_res r, r2;
    zc_use u[8];
    int n = -1;
    sync_tune t;
    test_tune(&t);
    term_sell(st, NULL, "D3", LUNCH, &r);
    /* one lunch at another canteen, and this terminal's own sale (dropped) */
    snprintf(F.usage, sizeof F.usage,
             "{\"uses\":[{\"date\":\"2026-11-23\",\"period\":\"lunch\",\"key\":\"bj-daily\","
             "\"fen\":500,\"canteen\":\"C-0002\",\"sale_id\":\"9b1c0f3e-0000-4000-8000-000000000001\"},"
             "{\"date\":\"2026-11-23\",\"period\":\"lunch\",\"key\":\"bj-daily\",\"fen\":500,"
             "\"canteen\":\"C-0001\",\"sale_id\":\"%s\"}]}", r.id);
    sync_t *s = start(&t);
    CHECK_INT(sync_usage_take(s, "E0000001", u, 8, &n), ZC_EINVAL); /* nothing asked yet */
    CHECK_OK(sync_usage_ask(s, "E0000001", (zc_date){2026, 11, 23}));
    CHECK_OK(take(s, "E0000001", u, 8, &n));
    CHECK_INT(n, 1);
    CHECK_STR(u[0].key, "bj-daily");
    CHECK_STR(u[0].period, "lunch");
    CHECK_INT(u[0].fen, 500);
    CHECK_INT(u[0].date.d, 23);
    CHECK_INT(sync_usage_take(s, "E0000002", u, 8, &n), ZC_EINVAL);
    CHECK_INT(sync_usage_take(s, "E0000001", u, 0, &n), ZC_ETOOBIG);
    /* the sale commits with them: the day's subsidy was had elsewhere */
    zc_elder e;
    zc_err err = {""};
    zc_cart cart = {0};
    zc_line l = {.code = "A1", .name = "套餐A", .unit_fen = 1500, .qty = 1, .eligible = true};
    CHECK_OK(take(s, "E0000001", u, 8, &n));
    CHECK_OK(store_elder_get(st, "E0000001", &e, &err));
    CHECK_OK(zc_cart_add(&cart, &l));
    store_sale_req req = {.operator_id = "c1", .elder = &e, .cart = &cart, .pay = STORE_PAY_CASH,
                          .extra_uses = u, .nextra = n};
    CHECK_OK(zc_datetime_parse(LUNCH, &req.at));
    req.at_utc = zc_tz_epoch(req.at);
    CHECK_OK(store_sale_commit(st, &req, &r2, &err));
    CHECK_INT(r2.quote.subsidy, 0);
    /* a centre slower than the usage limit: the answer is "could not ask" */
    F.slow_ms = 1500;
    fake_set(&F, FAKE_SLOW, "/api/v1/usage");
    double t0 = now_s();
    CHECK_OK(sync_usage_ask(s, "E0000002", (zc_date){2026, 11, 23}));
    CHECK_INT(take(s, "E0000002", u, 8, &n), ZC_EIO);
    CHECK(now_s() - t0 < 1.0);
    CHECK_INT(n, 0);
    sync_stop(s);
    down();
}

/* ---- TLS ---- */

static char *slurp(const char *path)
{
    FILE *f = fopen(path, "rb");
    char *buf = NULL;
    long n;
    if (f && fseek(f, 0, SEEK_END) == 0 && (n = ftell(f)) > 0 && fseek(f, 0, SEEK_SET) == 0 &&
        (buf = calloc(1, (size_t)n + 1)) && fread(buf, 1, (size_t)n, f) != (size_t)n) {
        free(buf);
        buf = NULL;
    }
    if (f)
        fclose(f);
    return buf;
}

/* A CA and a server certificate for 127.0.0.1 signed by it, in dir; and a
 * second CA that signed nothing. */
static bool make_certs(const char *dir)
{
    char cmd[2048];
    snprintf(cmd, sizeof cmd,
             "cd %s && "
             "openssl req -x509 -newkey rsa:2048 -nodes -keyout ca.key -out ca.pem -days 2 "
             "-subj /CN=zhucan-test-ca 2>/dev/null && "
             "openssl req -x509 -newkey rsa:2048 -nodes -keyout other.key -out other.pem -days 2 "
             "-subj /CN=someone-else 2>/dev/null && "
             "openssl req -newkey rsa:2048 -nodes -keyout srv.key -out srv.csr "
             "-subj /CN=127.0.0.1 2>/dev/null && "
             "printf 'subjectAltName=IP:127.0.0.1\\n' > ext.cnf && "
             "openssl x509 -req -in srv.csr -CA ca.pem -CAkey ca.key -CAcreateserial -out srv.pem "
             "-days 2 -extfile ext.cnf 2>/dev/null",
             dir);
    return system(cmd) == 0;
}

static void t_tls(void)
{
    zc_err err = {""};
    char path[256], url[64];
    sync_report rep;
    fake_init(&F, "T-0001", "tok-123");
    store_t *st = term_open(&T, &F);
    CHECK(make_certs(T.dir));
    snprintf(path, sizeof path, "%s/srv.pem", T.dir);
    char *cert = slurp(path);
    snprintf(path, sizeof path, "%s/srv.key", T.dir);
    char *key = slurp(path);
    CHECK(cert && key);
    CHECK(fake_start(&F, 0, cert, key));
    snprintf(url, sizeof url, "https://127.0.0.1:%d", F.port);
    CHECK_OK(store_meta_set(st, "server_url", url, &err));
    store_sale_res r;
    term_sell(st, NULL, "D4", LUNCH, &r);
    /* the system's CAs do not know the test CA: refused, clearly */
    CHECK(sync_run_once(T.db, &rep, NULL, &err) != ZC_OK);
    CHECK(strstr(err.msg, "certificate not trusted: set ca_file") != NULL);
    /* another CA: refused too */
    snprintf(path, sizeof path, "%s/other.pem", T.dir);
    CHECK_OK(store_meta_set(st, "ca_file", path, &err));
    CHECK(sync_run_once(T.db, &rep, NULL, &err) != ZC_OK);
    CHECK(strstr(err.msg, "certificate not trusted") != NULL);
    CHECK_INT(F.nsales, 0);
    CHECK_INT(F.requests, 0); /* not one request reached an untrusted server */
    /* the right CA: verified and sent */
    snprintf(path, sizeof path, "%s/ca.pem", T.dir);
    CHECK_OK(store_meta_set(st, "ca_file", path, &err));
    int rc = sync_run_once(T.db, &rep, NULL, &err);
    if (rc)
        fprintf(stderr, "  tls: %s\n", err.msg);
    CHECK_OK(rc);
    CHECK_INT(rep.stored, 1);
    CHECK_INT(F.nsales, 1);
    /* verified by name as well: "localhost" is not in the certificate */
    snprintf(url, sizeof url, "https://localhost:%d", F.port);
    CHECK_OK(store_meta_set(st, "server_url", url, &err));
    CHECK(sync_run_once(T.db, &rep, NULL, &err) != ZC_OK);
    free(cert);
    free(key);
    term_close(&T);
    fake_free(&F);
}

static const check_case cases[] = {
    {"online_offline", t_online_offline},
    {"backoff_grows", t_backoff_grows},
    {"stop_prompt", t_stop_prompt},
    {"kick", t_kick},
    {"usage", t_usage},
    {"tls", t_tls},
    {0, 0},
};

int main(int argc, char **argv)
{
    return check_main("test_sync_worker", cases, argc, argv);
}
