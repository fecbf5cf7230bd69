/* test_sale.c - committing sales against the demo canteen under the Beijing
 * policy: what each fixture elder gets, the rows one sale writes, usage and
 * voids, rollback when an insert fails half-way, a full disk, the hash
 * chain, two connections selling at once, and a crash right after commit. */
#include "../app/core/embed.h"
#include "../app/store/store.h"
#include "../app/store/store_raw.h"
#include "check.h"

#include <dirent.h>
#include <pthread.h>
#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

/* ---- helpers ---- */

static char dir[256];

static void tmp_end(void)
{
    DIR *d = opendir(dir);
    struct dirent *e;
    char p[600];
    while (d && (e = readdir(d))) {
        if (strcmp(e->d_name, ".") && strcmp(e->d_name, "..")) {
            snprintf(p, sizeof p, "%s/%s", dir, e->d_name);
            unlink(p);
        }
    }
    if (d)
        closedir(d);
    rmdir(dir);
}

static const char *db_path(void)
{
    static char p[400];
    snprintf(p, sizeof p, "%s/till.db", dir);
    return p;
}

static store_t *reopen(void)
{
    store_t *st = NULL;
    zc_err err = {""};
    CHECK_OK(store_open(db_path(), STORE_CREATE, &st, &err));
    return st;
}

/* A fresh demo database (fixtures only) with the Beijing policy. */
static store_t *setup(void)
{
    zc_err err = {""};
    snprintf(dir, sizeof dir, "/tmp/zc_sale_XXXXXX");
    if (!mkdtemp(dir)) {
        perror("mkdtemp");
        exit(2);
    }
    if (zc_tz_set("Asia/Shanghai", &err) != ZC_OK)
        fprintf(stderr, "  tz: %s\n", err.msg);
    store_t *st = reopen();
    const char *bj = embed_get("db/policies/beijing.json");
    CHECK(bj != NULL);
    int rc = st && bj ? store_demo_fill(st, bj, 0, 1, &err) : ZC_EINVAL;
    if (rc)
        fprintf(stderr, "  demo: %s\n", err.msg);
    CHECK_OK(rc);
    return st;
}

static void teardown(store_t *st)
{
    store_close(st);
    tmp_end();
}

static int64_t q_int(store_t *st, const char *sql)
{
    sqlite3_stmt *s = NULL;
    int64_t v = -1;
    if (sqlite3_prepare_v2(store_db(st), sql, -1, &s, NULL) == SQLITE_OK &&
        sqlite3_step(s) == SQLITE_ROW)
        v = sqlite3_column_int64(s, 0);
    sqlite3_finalize(s);
    return v;
}

static const char *q_text(store_t *st, const char *sql)
{
    static char buf[256];
    sqlite3_stmt *s = NULL;
    buf[0] = '\0';
    if (sqlite3_prepare_v2(store_db(st), sql, -1, &s, NULL) == SQLITE_OK &&
        sqlite3_step(s) == SQLITE_ROW && sqlite3_column_text(s, 0))
        snprintf(buf, sizeof buf, "%s", (const char *)sqlite3_column_text(s, 0));
    sqlite3_finalize(s);
    return buf;
}

/* Fills a cart from space-separated menu codes ("A2 S1 S1"). */
static void cart_of(store_t *st, const char *codes, zc_cart *c)
{
    char buf[128];
    memset(c, 0, sizeof *c);
    snprintf(buf, sizeof buf, "%s ", codes);
    for (char *t = buf, *sp; (sp = strchr(t, ' ')) != NULL; t = sp + 1) {
        *sp = '\0';
        if (!*t)
            continue;
        store_item it;
        zc_err err;
        CHECK_OK(store_item_get(st, t, &it, &err));
        zc_line l = {.unit_fen = it.price_fen, .qty = 1, .eligible = it.eligible};
        snprintf(l.code, sizeof l.code, "%s", it.code);
        snprintf(l.name, sizeof l.name, "%s", it.name);
        CHECK_OK(zc_cart_add(c, &l));
    }
}

/* Sells codes to elder_id (NULL = public) at local time "YYYY-MM-DD HH:MM". */
static int sell(store_t *st, const char *op, const char *elder_id, const char *codes,
                const char *when, store_sale_res *res, zc_err *err)
{
    static zc_elder e;
    static zc_cart cart;
    store_sale_req req;
    memset(&req, 0, sizeof req);
    if (elder_id) {
        CHECK_OK(store_elder_get(st, elder_id, &e, err));
        req.elder = &e;
    }
    cart_of(st, codes, &cart);
    CHECK_OK(zc_datetime_parse(when, &req.at));
    req.at_utc = zc_tz_epoch(req.at);
    req.operator_id = op;
    req.cart = &cart;
    req.pay = STORE_PAY_CASH;
    return store_sale_commit(st, &req, res, err);
}

static bool refused_for(const zc_quote *q, zc_reason r)
{
    for (int i = 0; i < q->nrefusals; i++)
        if (q->refusals[i].reason == r)
            return true;
    return false;
}

/* ---- what each fixture elder gets (docs/demo.md) ---- */

static void t_fixtures(void)
{
    store_t *st = setup();
    static const struct {
        const char *elder, *codes, *when;
        zc_fen subsidy;
        zc_reason why; /* expected refusal when subsidy is 0 */
    } cases[] = {
        {"E0000001", "A2", "2026-03-02 11:30", 500, ZC_R_NONE},      /* 80+ */
        {"E0000002", "A2", "2026-03-02 11:31", 500, ZC_R_NONE},      /* dibao at 64 */
        {"E0000003", "A2", "2026-03-02 11:32", 0, ZC_R_CATEGORY_MISSING}, /* 61, no category */
        {"E0000007", "A2", "2026-03-02 11:33", 0, ZC_R_ELDER_INACTIVE},
        {"E0000008", "A2", "2026-03-02 11:34", 0, ZC_R_NOT_REGISTERED},
        {"E0000009", "A1", "2026-03-02 17:00", 1000 - 500, ZC_R_NONE}, /* care home: Beijing pays */
        {"E0000010", "A3", "2026-03-02 18:00", 500, ZC_R_NONE},      /* 29 Feb birthday, 82 */
        {"E0000001", "A2", "2026-03-02 17:30", 0, ZC_R_LIMIT_DAY},   /* second meal today */
        {"E0000004", "A2", "2026-03-02 08:00", 0, ZC_R_PERIOD_NOT_COVERED}, /* breakfast */
        {"E0000005", "S1 T1 K1", "2026-03-02 12:00", 0, ZC_R_NO_ELIGIBLE_ITEMS},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        store_sale_res res;
        zc_err err = {""};
        int rc = sell(st, "c1", cases[i].elder, cases[i].codes, cases[i].when, &res, &err);
        CHECK_OK(rc);
        if (rc)
            fprintf(stderr, "  %s: %s\n", cases[i].elder, err.msg);
        if (res.quote.subsidy != cases[i].subsidy)
            fprintf(stderr, "  case %zu (%s)\n", i, cases[i].elder);
        CHECK_INT(res.quote.subsidy, cases[i].subsidy);
        CHECK_INT(res.quote.pay, res.quote.gross - cases[i].subsidy);
        CHECK_INT(res.seq, (int64_t)i + 1);
        if (cases[i].why != ZC_R_NONE) {
            if (!refused_for(&res.quote, cases[i].why))
                fprintf(stderr, "  case %zu: expected refusal %s\n", i,
                        zc_reason_code(cases[i].why));
            CHECK(refused_for(&res.quote, cases[i].why));
        }
    }
    teardown(st);
}

/* ---- the rows of one sale ---- */

static void t_commit_rows(void)
{
    store_t *st = setup();
    store_sale_res res;
    zc_err err = {""};
    CHECK_OK(sell(st, "c2", "E0000001", "A2 S1 T1", "2026-03-02 11:30", &res, &err));
    CHECK_INT(res.seq, 1);
    CHECK_INT(strlen(res.id), 36);
    CHECK_INT(res.id[14], '4');
    CHECK_INT(strlen(res.hash), 64);
    CHECK_INT(res.quote.gross, 1200 + 100 + 200);
    CHECK_INT(res.quote.subsidy, 500);
    CHECK_INT(res.quote.pay, 1000);
    CHECK_STR(q_text(st, "SELECT terminal_id || '/' || canteen_id || '/' || operator_id || '/' || "
                         "elder_id || '/' || local_date || '/' || local_time || '/' || period || '/' "
                         "|| policy_id || '@' || policy_version || '/' || status || '/' || pay_method "
                         "FROM sale"),
              "T-0001/C-0001/c2/E0000001/2026-03-02/2026-03-02 11:30/lunch/beijing@2024.1/done/cash");
    CHECK_INT(q_int(st, "SELECT gross_fen * 1000000 + subsidy_fen * 1000 + pay_fen FROM sale"),
              1500LL * 1000000 + 500 * 1000 + 1000);
    CHECK_STR(q_text(st, "SELECT prev_hash FROM sale"),
              "0000000000000000000000000000000000000000000000000000000000000000");
    CHECK_STR(q_text(st, "SELECT hash FROM sale"), res.hash);
    CHECK_INT(q_int(st, "SELECT count(*) FROM sale_line"), 3);
    CHECK_STR(q_text(st, "SELECT group_concat(code || 'x' || qty, ',') FROM (SELECT * FROM sale_line "
                         "ORDER BY line_no)"), "A2x1,S1x1,T1x1");
    CHECK_INT(q_int(st, "SELECT sum(fen) FROM sale_subsidy"), 500);
    CHECK_STR(q_text(st, "SELECT source FROM sale_subsidy"), "district");
    CHECK_INT(q_int(st, "SELECT count(*) FROM sale_rule"), 1);
    CHECK_STR(q_text(st, "SELECT rule_id || '/' || period || '/' || local_date || '/' || fen FROM "
                         "sale_rule"), "bj-daily/lunch/2026-03-02/500");
    CHECK_STR(q_text(st, "SELECT limit_key FROM sale_rule"), res.quote.applied[0].key);
    CHECK_STR(q_text(st, "SELECT kind FROM outbox WHERE sent_utc IS NULL"), "sale");
    CHECK_STR(q_text(st, "SELECT subject FROM audit WHERE action = 'sale'"), res.id);
    CHECK(strstr(q_text(st, "SELECT detail FROM audit WHERE action = 'sale'"), "seq=1 ") != NULL);
    CHECK(strstr(q_text(st, "SELECT detail FROM audit WHERE action = 'sale'"), "pay=1000") != NULL);
    long unsent = 0;
    CHECK_OK(store_unsent_count(st, &unsent));
    CHECK_INT(unsent, 1);
    /* a public-price sale: no elder, no rule rows */
    CHECK_OK(sell(st, "c2", NULL, "A2", "2026-03-02 11:35", &res, &err));
    CHECK_INT(res.quote.subsidy, 0);
    CHECK_INT(res.seq, 2);
    CHECK_INT(q_int(st, "SELECT count(*) FROM sale WHERE seq = 2 AND elder_id IS NULL"), 1);
    CHECK_INT(q_int(st, "SELECT count(*) FROM sale_rule"), 1);
    char h1[80];
    snprintf(h1, sizeof h1, "%s", q_text(st, "SELECT hash FROM sale WHERE seq = 1"));
    CHECK_STR(q_text(st, "SELECT prev_hash FROM sale WHERE seq = 2"), h1);
    teardown(st);
}

/* ---- refusals that write nothing ---- */

static void t_errors(void)
{
    store_t *st = setup();
    store_sale_res res;
    zc_err err = {""};
    zc_cart empty = {.n = 0};
    store_sale_req req = {.operator_id = "c1", .cart = &empty, .pay = STORE_PAY_CASH};
    CHECK_OK(zc_datetime_parse("2026-03-02 11:30", &req.at));
    CHECK_INT(store_sale_commit(st, &req, &res, &err), ZC_EINVAL);
    CHECK(strstr(err.msg, "cart is empty") != NULL);
    CHECK_INT(sell(st, "zz", "E0000001", "A2", "2026-03-02 11:30", &res, &err), ZC_EINVAL);
    CHECK(strstr(err.msg, "operator zz") != NULL);
    CHECK_INT(sqlite3_exec(store_db(st), "UPDATE operator SET active = 0 WHERE id = 'c2'", NULL, NULL,
                           NULL), SQLITE_OK);
    CHECK_INT(sell(st, "c2", "E0000001", "A2", "2026-03-02 11:30", &res, &err), ZC_EINVAL);
    CHECK_INT(sell(st, "c1", "E0000001", "A2", "2023-06-01 11:30", &res, &err), ZC_ENOTFOUND);
    CHECK(strstr(err.msg, "2023-06-01") != NULL);
    /* too little cash, a malformed card */
    zc_cart cart;
    cart_of(st, "A2", &cart);
    req.cart = &cart;
    req.tendered_fen = 500;
    CHECK_INT(store_sale_commit(st, &req, &res, &err), ZC_EINVAL);
    CHECK(strstr(err.msg, "less than") != NULL);
    req.tendered_fen = 2000;
    req.card_uid = "12345";
    CHECK_INT(store_sale_commit(st, &req, &res, &err), ZC_EINVAL);
    CHECK_INT(q_int(st, "SELECT count(*) FROM sale"), 0);
    CHECK_INT(q_int(st, "SELECT count(*) FROM audit WHERE action = 'sale'"), 0);
    req.card_uid = "00000000a1"; /* normalised */
    CHECK_OK(store_sale_commit(st, &req, &res, &err));
    CHECK_STR(q_text(st, "SELECT card_uid || '/' || tendered_fen FROM sale"), "00000000A1/2000");
    teardown(st);
}

/* ---- usage and voids ---- */

static void t_usage_and_void(void)
{
    store_t *st = setup();
    store_sale_res lunch, dinner, again;
    zc_err err = {""};
    CHECK_OK(sell(st, "c1", "E0000001", "A2", "2026-03-02 11:30", &lunch, &err));
    CHECK_INT(lunch.quote.subsidy, 500);
    CHECK_OK(sell(st, "c1", "E0000001", "A2", "2026-03-02 17:30", &dinner, &err));
    CHECK_INT(dinner.quote.subsidy, 0);
    CHECK(refused_for(&dinner.quote, ZC_R_LIMIT_DAY));
    /* voids: reason required, supervisor only, once */
    CHECK_INT(store_sale_void(st, lunch.id, "s1", "", &err), ZC_EINVAL);
    CHECK_INT(store_sale_void(st, lunch.id, "c1", "wrong dish", &err), ZC_EREFUSED);
    CHECK(strstr(err.msg, "supervisor") != NULL);
    CHECK_INT(store_sale_void(st, "no-such-sale", "s1", "x", &err), ZC_ENOTFOUND);
    CHECK_INT(q_int(st, "SELECT count(*) FROM sale WHERE status = 'voided'"), 0);
    CHECK_OK(store_sale_void(st, lunch.id, "s1", "elder changed her mind", &err));
    CHECK_INT(store_sale_void(st, lunch.id, "a1", "again", &err), ZC_ECONFLICT);
    CHECK(strstr(err.msg, "already voided") != NULL);
    CHECK_STR(q_text(st, "SELECT status || '/' || void_operator_id || '/' || void_reason FROM sale "
                         "WHERE seq = 1"), "voided/s1/elder changed her mind");
    CHECK_INT(q_int(st, "SELECT count(*) FROM outbox WHERE kind = 'void'"), 1);
    CHECK_INT(q_int(st, "SELECT count(*) FROM audit WHERE action = 'void'"), 1);
    long unsent = 0;
    CHECK_OK(store_unsent_count(st, &unsent));
    CHECK_INT(unsent, 3);
    /* the meal went back to the allowance */
    CHECK_OK(sell(st, "c1", "E0000001", "A2", "2026-03-02 17:45", &again, &err));
    CHECK_INT(again.quote.subsidy, 500);
    CHECK_OK(store_unsent_count(st, &unsent));
    CHECK_INT(unsent, 4);
    /* voiding does not break the chain */
    int64_t n = 0;
    CHECK_OK(store_chain_verify(st, &n, &err));
    CHECK_INT(n, 3);
    CHECK_INT(sqlite3_exec(store_db(st), "UPDATE sale SET status = 'done' WHERE seq = 1", NULL, NULL,
                           NULL) & 0xff, SQLITE_CONSTRAINT);
    teardown(st);
}

static void t_usage_window(void)
{
    store_t *st = setup();
    zc_err err = {""};
    static const char *const days[] = {"2026-03-29", "2026-03-30", "2026-03-31", "2026-04-01",
                                       "2026-04-02", "2026-04-28"};
    char key[ZC_ID_MAX] = "";
    for (size_t i = 0; i < sizeof days / sizeof days[0]; i++) {
        char when[32];
        store_sale_res res;
        snprintf(when, sizeof when, "%s 12:00", days[i]);
        CHECK_OK(sell(st, "c1", "E0000001", "A1", when, &res, &err));
        CHECK_INT(res.quote.subsidy, 500);
        snprintf(key, sizeof key, "%s", res.quote.applied[0].key);
    }
    static const struct {
        zc_date d;
        int n; /* uses from min(Monday, 1st) up to d */
    } cases[] = {
        {{2026, 4, 2}, 4},  /* Monday 03-30 .. 04-02 */
        {{2026, 3, 29}, 1}, /* Sunday: week from 03-23, month from 03-01 */
        {{2026, 4, 27}, 2}, /* from 04-01 (week starts 04-27) */
        {{2026, 4, 30}, 3}, /* from 04-01 */
        {{2026, 5, 1}, 1},  /* Friday: week from 04-27 */
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        zc_use uses[16];
        int n = -1;
        CHECK_OK(store_usage_load(st, "E0000001", cases[i].d, uses, 16, &n, &err));
        CHECK_INT(n, cases[i].n);
        for (int k = 0; k < n; k++) {
            CHECK_STR(uses[k].key, key);
            CHECK_INT(uses[k].fen, 500);
            CHECK_STR(uses[k].period, "lunch");
            CHECK(zc_date_cmp(uses[k].date, cases[i].d) <= 0);
        }
    }
    zc_use one[2];
    int n = 0;
    CHECK_INT(store_usage_load(st, "E0000001", (zc_date){2026, 4, 2}, one, 2, &n, &err), ZC_ETOOBIG);
    CHECK_OK(store_usage_load(st, "E0000002", (zc_date){2026, 4, 2}, one, 2, &n, &err));
    CHECK_INT(n, 0);
    /* a use known from the centre blocks today's subsidy */
    zc_use extra = {{2026, 5, 4}, "lunch", "", 500};
    snprintf(extra.key, sizeof extra.key, "%s", key);
    zc_elder e;
    zc_cart cart;
    CHECK_OK(store_elder_get(st, "E0000001", &e, &err));
    cart_of(st, "A2", &cart);
    store_sale_req req = {.operator_id = "c1", .elder = &e, .cart = &cart, .pay = STORE_PAY_MOBILE,
                          .pay_ref = "WX-20260504-0001", .extra_uses = &extra, .nextra = 1};
    CHECK_OK(zc_datetime_parse("2026-05-04 17:00", &req.at));
    req.at_utc = zc_tz_epoch(req.at);
    store_sale_res res;
    CHECK_OK(store_sale_commit(st, &req, &res, &err));
    CHECK_INT(res.quote.subsidy, 0);
    CHECK(refused_for(&res.quote, ZC_R_LIMIT_DAY));
    CHECK_STR(q_text(st, "SELECT pay_method || '/' || pay_ref FROM sale ORDER BY seq DESC"),
              "mobile/WX-20260504-0001");
    teardown(st);
}

/* ---- nothing left behind ---- */

static int64_t rows_total(store_t *st)
{
    return q_int(st, "SELECT (SELECT count(*) FROM sale) + (SELECT count(*) FROM sale_line) + "
                     "(SELECT count(*) FROM sale_subsidy) + (SELECT count(*) FROM sale_rule) + "
                     "(SELECT count(*) FROM outbox) + (SELECT count(*) FROM audit)");
}

static void t_rollback_midway(void)
{
    store_t *st = setup();
    store_sale_res res;
    zc_err err = {""};
    CHECK_OK(sell(st, "c1", "E0000001", "A2", "2026-03-02 11:30", &res, &err));
    static const char *const traps[] = {
        "CREATE TRIGGER trap BEFORE INSERT ON outbox BEGIN SELECT RAISE(ABORT, 'trap'); END",
        "CREATE TRIGGER trap BEFORE INSERT ON audit BEGIN SELECT RAISE(ABORT, 'trap'); END",
        "CREATE TRIGGER trap BEFORE INSERT ON sale_rule BEGIN SELECT RAISE(ABORT, 'trap'); END",
    };
    for (size_t i = 0; i < sizeof traps / sizeof traps[0]; i++) {
        int64_t before = rows_total(st);
        CHECK_INT(sqlite3_exec(store_db(st), traps[i], NULL, NULL, NULL), SQLITE_OK);
        int rc = sell(st, "c1", "E0000002", "A2", "2026-03-02 11:40", &res, &err);
        CHECK(rc != ZC_OK);
        CHECK(strstr(err.msg, "trap") != NULL);
        CHECK_INT(res.seq, 0);
        CHECK_INT(rows_total(st), before);
        CHECK_INT(q_int(st, "SELECT count(*) FROM sale WHERE elder_id = 'E0000002'"), 0);
        CHECK_INT(sqlite3_exec(store_db(st), "DROP TRIGGER trap", NULL, NULL, NULL), SQLITE_OK);
    }
    /* the next sale gets the next seq, and E0000002's allowance is intact */
    CHECK_OK(sell(st, "c1", "E0000002", "A2", "2026-03-02 11:41", &res, &err));
    CHECK_INT(res.seq, 2);
    CHECK_INT(res.quote.subsidy, 500);
    int64_t n = 0;
    CHECK_OK(store_chain_verify(st, &n, &err));
    CHECK_INT(n, 2);
    teardown(st);
}

static void t_disk_full(void)
{
    store_t *st = setup();
    zc_err err = {""};
    store_sale_res res;
    /* a cart big enough to need new pages; the file may not grow */
    static zc_cart cart;
    memset(&cart, 0, sizeof cart);
    for (int i = 0; i < 60; i++) {
        zc_line l = {.unit_fen = 100, .qty = 1};
        snprintf(l.code, sizeof l.code, "X%02d", i);
        snprintf(l.name, sizeof l.name, "很长很长的菜名用来把页面填满很长很长的菜名用来把页面填满 %02u",
                 (unsigned)i % 100u);
        CHECK_OK(zc_cart_add(&cart, &l));
    }
    store_sale_req req = {.operator_id = "c1", .cart = &cart, .pay = STORE_PAY_CASH};
    CHECK_OK(zc_datetime_parse("2026-03-02 11:30", &req.at));
    req.at_utc = zc_tz_epoch(req.at);
    int64_t pages = q_int(st, "PRAGMA page_count");
    char sql[64];
    snprintf(sql, sizeof sql, "PRAGMA max_page_count = %lld", (long long)pages);
    CHECK_INT(sqlite3_exec(store_db(st), sql, NULL, NULL, NULL), SQLITE_OK);
    int64_t before = rows_total(st);
    CHECK_INT(store_sale_commit(st, &req, &res, &err), ZC_EFULL);
    CHECK_STR(err.msg, "disk full: the sale was NOT saved; free space and try again");
    CHECK_INT(rows_total(st), before);
    CHECK_INT(sqlite3_exec(store_db(st), "PRAGMA max_page_count = 1073741823", NULL, NULL, NULL),
              SQLITE_OK);
    CHECK_OK(store_sale_commit(st, &req, &res, &err));
    CHECK_INT(res.seq, 1);
    CHECK_INT(q_int(st, "SELECT count(*) FROM sale_line"), 60);
    teardown(st);
}

/* ---- the chain ---- */

static void t_chain(void)
{
    store_t *st = setup();
    zc_err err = {""};
    store_sale_res res;
    int64_t n = -1;
    CHECK_OK(store_chain_verify(st, &n, &err));
    CHECK_INT(n, 0);
    for (int i = 0; i < 6; i++) {
        char when[32];
        snprintf(when, sizeof when, "2026-03-%02d 12:00", 2 + i);
        CHECK_OK(sell(st, "c1", i % 2 ? NULL : "E0000001", "A2 S1", when, &res, &err));
    }
    /* text values with the escaped bytes still verify */
    zc_cart cart;
    memset(&cart, 0, sizeof cart);
    zc_line odd = {.code = "Z|1", .name = "加\\料|\n特\x01别", .unit_fen = 300, .qty = 2};
    CHECK_OK(zc_cart_add(&cart, &odd));
    store_sale_req req = {.operator_id = "c1", .cart = &cart, .pay = STORE_PAY_CASH};
    CHECK_OK(zc_datetime_parse("2026-03-09 12:00", &req.at));
    CHECK_OK(store_sale_commit(st, &req, &res, &err));
    CHECK_OK(store_chain_verify(st, &n, &err));
    CHECK_INT(n, 7);
    /* tampering is found, at the first bad seq */
    static const struct {
        const char *sql;
        int64_t good;
        const char *where;
    } tamper[] = {
        {"DROP TRIGGER sale_line_no_change; UPDATE sale_line SET name = '红烧肉' WHERE sale_id = "
         "(SELECT id FROM sale WHERE seq = 7)", 6, "seq 7: its content"},
        {"DROP TRIGGER sale_no_rewrite; UPDATE sale SET gross_fen = gross_fen - 100, pay_fen = "
         "pay_fen - 100 WHERE seq = 4", 3, "seq 4: its content"},
        {"UPDATE sale SET hash = (SELECT hash FROM sale WHERE seq = 1) WHERE seq = 2", 1,
         "seq 2: its content"},
    };
    for (size_t i = 0; i < sizeof tamper / sizeof tamper[0]; i++) {
        CHECK_INT(sqlite3_exec(store_db(st), tamper[i].sql, NULL, NULL, NULL), SQLITE_OK);
        CHECK_INT(store_chain_verify(st, &n, &err), ZC_ECONFLICT);
        CHECK_INT(n, tamper[i].good);
        if (!strstr(err.msg, tamper[i].where))
            fprintf(stderr, "  got: %s\n", err.msg);
        CHECK(strstr(err.msg, tamper[i].where) != NULL);
    }
    teardown(st);
}

static void t_chain_gap(void)
{
    store_t *st = setup();
    zc_err err = {""};
    store_sale_res res;
    for (int i = 0; i < 4; i++)
        CHECK_OK(sell(st, "c1", NULL, "A3", "2026-03-02 12:00", &res, &err));
    CHECK_INT(sqlite3_exec(store_db(st), "DROP TRIGGER sale_no_delete; DROP TRIGGER "
                           "sale_line_no_delete; DELETE FROM sale_line WHERE sale_id = (SELECT id "
                           "FROM sale WHERE seq = 3); DELETE FROM outbox WHERE sale_id = (SELECT id "
                           "FROM sale WHERE seq = 3); DELETE FROM sale WHERE seq = 3", NULL, NULL,
                           NULL), SQLITE_OK);
    int64_t n = 0;
    CHECK_INT(store_chain_verify(st, &n, &err), ZC_ECONFLICT);
    CHECK_INT(n, 2);
    CHECK(strstr(err.msg, "seq 4: the sale before it is missing") != NULL);
    teardown(st);
}

/* ---- concurrency and crashes ---- */

typedef struct worker {
    int ok, fail;
    char msg[320];
} worker;

static void *sell_many(void *arg)
{
    worker *w = arg;
    store_t *st = NULL;
    zc_err err = {""};
    if (store_open(db_path(), 0, &st, &err) != ZC_OK) {
        snprintf(w->msg, sizeof w->msg, "%s", err.msg);
        w->fail = 1;
        return NULL;
    }
    zc_cart cart;
    memset(&cart, 0, sizeof cart);
    zc_line l = {.code = "A2", .name = "套餐B", .unit_fen = 1200, .qty = 1, .eligible = true};
    if (zc_cart_add(&cart, &l) != ZC_OK)
        w->fail++;
    store_sale_req req = {.operator_id = "c1", .cart = &cart, .pay = STORE_PAY_CASH};
    req.at = (zc_datetime){{2026, 3, 2}, 12, 0};
    for (int i = 0; i < 40; i++) {
        store_sale_res res;
        if (store_sale_commit(st, &req, &res, &err) == ZC_OK) {
            w->ok++;
        } else {
            w->fail++;
            snprintf(w->msg, sizeof w->msg, "%s", err.msg);
        }
    }
    store_close(st);
    return NULL;
}

static void t_two_connections(void)
{
    store_t *st = setup();
    pthread_t th[2];
    worker w[2];
    memset(w, 0, sizeof w);
    for (int i = 0; i < 2; i++)
        CHECK_INT(pthread_create(&th[i], NULL, sell_many, &w[i]), 0);
    for (int i = 0; i < 2; i++)
        CHECK_INT(pthread_join(th[i], NULL), 0);
    for (int i = 0; i < 2; i++) {
        if (w[i].fail)
            fprintf(stderr, "  worker %d: %s\n", i, w[i].msg);
        CHECK_INT(w[i].ok, 40);
    }
    CHECK_INT(q_int(st, "SELECT count(*) FROM sale"), 80);
    CHECK_INT(q_int(st, "SELECT max(seq) - min(seq) + 1 FROM sale"), 80);
    int64_t n = 0;
    zc_err err;
    CHECK_OK(store_chain_verify(st, &n, &err));
    CHECK_INT(n, 80);
    teardown(st);
}

static void t_crash_after_commit(void)
{
    store_t *st = setup();
    store_close(st);
    pid_t pid = fork();
    if (pid == 0) { /* the child sells and dies without closing anything */
        store_t *c = NULL;
        store_sale_res res;
        zc_err err;
        if (store_open(db_path(), 0, &c, &err) != ZC_OK)
            _exit(3);
        int rc = sell(c, "c1", "E0000001", "A2", "2026-03-02 11:30", &res, &err);
        _exit(rc == ZC_OK ? 0 : 4);
    }
    int status = -1;
    CHECK_INT(waitpid(pid, &status, 0), pid);
    CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0);
    st = reopen();
    CHECK_INT(q_int(st, "SELECT count(*) FROM sale WHERE elder_id = 'E0000001'"), 1);
    CHECK_INT(q_int(st, "SELECT count(*) FROM outbox"), 1);
    int64_t n = 0;
    zc_err err;
    CHECK_OK(store_chain_verify(st, &n, &err));
    CHECK_INT(n, 1);
    teardown(st);
}

static const check_case cases[] = {
    {"fixtures", t_fixtures},
    {"commit_rows", t_commit_rows},
    {"errors", t_errors},
    {"usage_and_void", t_usage_and_void},
    {"usage_window", t_usage_window},
    {"rollback_midway", t_rollback_midway},
    {"disk_full", t_disk_full},
    {"chain", t_chain},
    {"chain_gap", t_chain_gap},
    {"two_connections", t_two_connections},
    {"crash_after_commit", t_crash_after_commit},
    {0},
};

int main(int argc, char **argv) { return check_main("test_sale", cases, argc, argv); }
