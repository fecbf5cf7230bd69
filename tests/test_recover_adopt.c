/* test_recover_adopt.c - taking back sales from the centre after a restore
 * (store_sale_adopt, sync_recover_page) on a real SQLite file: a sale that
 * does not hash to its hash, belongs to another terminal, or does not chain
 * to the local head is refused with nothing written; a page with one bad
 * sale is refused whole; good ones go in verbatim with their outbox rows
 * sent and their voids; and selling waits while restored_pending is set. */
#include "../app/core/wire.h"
#include "../app/core/embed.h"
#include "../app/store/store.h"
#include "../app/store/store_raw.h"
#include "../app/sync/sync_int.h"
#include "check.h"

#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static char dir[] = "/tmp/zc_recover_XXXXXX", path[64];

static int64_t q_int(store_t *st, const char *sql)
{
    sqlite3_stmt *s = NULL;
    int64_t v = -1;
    if (sqlite3_prepare_v2(store_db(st), sql, -1, &s, NULL) == SQLITE_OK && sqlite3_step(s) == SQLITE_ROW)
        v = sqlite3_column_int64(s, 0);
    sqlite3_finalize(s);
    return v;
}

static const char *q_text(store_t *st, const char *sql)
{
    static char buf[256];
    sqlite3_stmt *s = NULL;
    buf[0] = '\0';
    if (sqlite3_prepare_v2(store_db(st), sql, -1, &s, NULL) == SQLITE_OK && sqlite3_step(s) == SQLITE_ROW &&
        sqlite3_column_text(s, 0))
        snprintf(buf, sizeof buf, "%s", (const char *)sqlite3_column_text(s, 0));
    sqlite3_finalize(s);
    return buf;
}

/* Sells S1 at the public price (seq 1 of a fresh demo till). */
static int sell(store_t *st, zc_err *err)
{
    store_item it;
    zc_cart cart = {.n = 0};
    store_sale_req req = {.operator_id = "c1", .cart = &cart, .pay = STORE_PAY_CASH};
    store_sale_res res;
    CHECK_OK(store_item_get(st, "S1", &it, err));
    zc_line l = {.unit_fen = it.price_fen, .qty = 1, .eligible = it.eligible};
    snprintf(l.code, sizeof l.code, "%s", it.code);
    snprintf(l.name, sizeof l.name, "%s", it.name);
    CHECK_OK(zc_cart_add(&cart, &l));
    CHECK_OK(zc_datetime_parse("2026-11-23 11:30", &req.at));
    req.at_utc = zc_tz_epoch(req.at);
    return store_sale_commit(st, &req, &res, err);
}

/* A fresh demo till with one sale of its own. */
static store_t *setup(void)
{
    store_t *st = NULL;
    zc_err err = {""};
    snprintf(dir, sizeof dir, "/tmp/zc_recover_XXXXXX");
    CHECK(mkdtemp(dir) != NULL);
    snprintf(path, sizeof path, "%s/till.db", dir);
    CHECK_OK(zc_tz_set("Asia/Shanghai", &err));
    CHECK_OK(store_open(path, STORE_CREATE, &st, &err));
    CHECK_OK(store_demo_fill(st, embed_get("db/policies/beijing.json"), 0, 1, &err));
    CHECK_OK(sell(st, &err));
    return st;
}

static void teardown(store_t *st)
{
    char p[128];
    store_close(st);
    const char *ext[] = {"", "-wal", "-shm"};
    for (int i = 0; i < 3; i++) {
        snprintf(p, sizeof p, "%s%s", path, ext[i]);
        unlink(p);
    }
    rmdir(dir);
}

/* The sale the centre would hold after the local head: seq, prev and hash
 * right; public price, one line. */
static void next_doc(store_t *st, zc_sale_doc *d, char hash[ZC_SHA256_HEX], const char *id)
{
    memset(d, 0, sizeof *d);
    snprintf(d->id, sizeof d->id, "%s", id);
    d->seq = q_int(st, "SELECT max(seq) FROM sale") + 1;
    snprintf(d->prev, sizeof d->prev, "%s", q_text(st, "SELECT hash FROM sale ORDER BY seq DESC LIMIT 1"));
    snprintf(d->terminal, sizeof d->terminal, "%s", q_text(st, "SELECT terminal_id FROM sale WHERE seq = 1"));
    snprintf(d->canteen, sizeof d->canteen, "%s", q_text(st, "SELECT canteen_id FROM sale WHERE seq = 1"));
    snprintf(d->op, sizeof d->op, "c1");
    d->created_utc = q_int(st, "SELECT created_utc FROM sale WHERE seq = 1") + 60 * d->seq;
    snprintf(d->local_time, sizeof d->local_time, "2026-11-23 11:4%d", (int)(d->seq % 10));
    snprintf(d->period, sizeof d->period, "%s", q_text(st, "SELECT period FROM sale WHERE seq = 1"));
    snprintf(d->policy, sizeof d->policy, "%s", q_text(st, "SELECT policy_id FROM sale WHERE seq = 1"));
    snprintf(d->policy_version, sizeof d->policy_version, "%s",
             q_text(st, "SELECT policy_version FROM sale WHERE seq = 1"));
    d->gross = d->pay = 300;
    snprintf(d->pay_method, sizeof d->pay_method, "cash");
    zc_line *l = &d->lines[d->nlines++];
    snprintf(l->code, sizeof l->code, "S1");
    snprintf(l->name, sizeof l->name, "素菜");
    l->unit_fen = 300;
    l->qty = 1;
    zc_err err = {""};
    CHECK_OK(zc_salecanon_hash(d, hash, &err));
}

#define ID2 "00000000-0000-4000-8000-000000000002"
#define ID3 "00000000-0000-4000-8000-000000000003"

static void t_adopt_checks(void)
{
    store_t *st = setup();
    zc_sale_doc *d = calloc(1, sizeof *d);
    char hash[ZC_SHA256_HEX], good[ZC_SHA256_HEX];
    zc_err err = {""};
    next_doc(st, d, good, ID2);
    /* altered on the way: the hash no longer matches */
    d->gross = d->pay = 1;
    CHECK_INT(store_sale_adopt(st, d, good, NULL, &err), ZC_EREFUSED);
    CHECK(strstr(err.msg, "does not match its hash") != NULL);
    /* another terminal's, hashed right */
    next_doc(st, d, hash, ID2);
    snprintf(d->terminal, sizeof d->terminal, "T-9999");
    CHECK_OK(zc_salecanon_hash(d, hash, &err));
    CHECK_INT(store_sale_adopt(st, d, hash, NULL, &err), ZC_EREFUSED);
    CHECK(strstr(err.msg, "T-9999") != NULL);
    /* hashed right but not chained to the local head */
    next_doc(st, d, hash, ID2);
    d->prev[0] = d->prev[0] == 'a' ? 'b' : 'a';
    CHECK_OK(zc_salecanon_hash(d, hash, &err));
    CHECK_INT(store_sale_adopt(st, d, hash, NULL, &err), ZC_EREFUSED);
    CHECK(strstr(err.msg, "does not continue") != NULL);
    /* a seq ahead of the head */
    next_doc(st, d, hash, ID2);
    d->seq++;
    CHECK_OK(zc_salecanon_hash(d, hash, &err));
    CHECK_INT(store_sale_adopt(st, d, hash, NULL, &err), ZC_EREFUSED);
    CHECK_INT(q_int(st, "SELECT count(*) FROM sale"), 1);
    CHECK_INT(q_int(st, "SELECT count(*) FROM outbox"), 1);
    /* the right one, voided at the centre */
    next_doc(st, d, hash, ID2);
    store_void_in v = {1700000000, "s1", "打错了"};
    CHECK_OK(store_sale_adopt(st, d, hash, &v, &err));
    CHECK_STR(q_text(st, "SELECT hash FROM sale WHERE seq = 2"), hash);
    CHECK_STR(q_text(st, "SELECT status FROM sale WHERE seq = 2"), "voided");
    CHECK_INT(q_int(st, "SELECT count(*) FROM outbox WHERE sale_id = '" ID2 "' AND sent_utc IS NOT NULL"), 2);
    CHECK_INT(q_int(st, "SELECT count(*) FROM audit WHERE action = 'recover'"), 1);
    /* the same again no longer continues the chain */
    CHECK_INT(store_sale_adopt(st, d, hash, NULL, &err), ZC_EREFUSED);
    int64_t n = 0;
    CHECK_OK(store_chain_verify(st, &n, &err));
    CHECK_INT(n, 2);
    free(d);
    teardown(st);
}

/* A page of two sales as the centre sends it; the second altered when bad. */
static cJSON *page(store_t *st, bool bad)
{
    zc_sale_doc *d = calloc(1, sizeof *d);
    char hash[ZC_SHA256_HEX];
    cJSON *o = cJSON_CreateObject(), *sales = cJSON_AddArrayToObject(o, "sales");
    cJSON_AddArrayToObject(o, "voids");
    cJSON_AddFalseToObject(o, "more");
    next_doc(st, d, hash, ID2);
    cJSON_AddItemToArray(sales, zc_wire_sale_json(d, hash));
    char prev[ZC_SHA256_HEX];
    snprintf(prev, sizeof prev, "%s", hash);
    int64_t seq = d->seq;
    next_doc(st, d, hash, ID3);
    d->seq = seq + 1;
    snprintf(d->prev, sizeof d->prev, "%s", prev);
    zc_err err = {""};
    CHECK_OK(zc_salecanon_hash(d, hash, &err));
    if (bad)
        d->lines[0].qty = 2; /* the hash says 1 */
    cJSON_AddItemToArray(sales, zc_wire_sale_json(d, hash));
    free(d);
    return o;
}

static void t_page(void)
{
    store_t *st = setup();
    zc_err err = {""};
    long taken = 0;
    bool more = true;
    cJSON *bad = page(st, true), *good = page(st, false);
    CHECK_INT(sync_recover_page(st, bad, &taken, &more, &err), ZC_EREFUSED);
    CHECK(strstr(err.msg, "sale 3 from the centre does not match its hash") != NULL);
    CHECK_INT(taken, 0);
    CHECK_INT(q_int(st, "SELECT count(*) FROM sale"), 1); /* not even sale 2 */
    CHECK_OK(sync_recover_page(st, good, &taken, &more, &err));
    CHECK_INT(taken, 2);
    CHECK(!more);
    CHECK_INT(q_int(st, "SELECT count(*) FROM outbox WHERE sent_utc IS NULL"), 1); /* sale 1, its own */
    int64_t n = 0;
    CHECK_OK(store_chain_verify(st, &n, &err));
    CHECK_INT(n, 3);
    cJSON_Delete(bad);
    cJSON_Delete(good);
    teardown(st);
}

static void t_pending(void)
{
    store_t *st = setup();
    zc_err err = {""};
    CHECK_OK(store_meta_set(st, "restored_pending", "1", &err));
    CHECK_OK(sell(st, &err)); /* no centre: nothing to wait for */
    CHECK_OK(store_meta_set(st, "server_url", "http://127.0.0.1:9", &err));
    CHECK_INT(sell(st, &err), ZC_EREFUSED);
    CHECK_STR(err.msg, STORE_RESTORED_MSG);
    CHECK_INT(q_int(st, "SELECT count(*) FROM sale"), 2);
    CHECK_OK(store_meta_set(st, "restored_pending", "0", &err));
    CHECK_OK(sell(st, &err));
    teardown(st);
}

static const check_case cases[] = {
    {"adopt_checks", t_adopt_checks},
    {"page", t_page},
    {"pending", t_pending},
    {0},
};

int main(int argc, char **argv)
{
    return check_main("test_recover_adopt", cases, argc, argv);
}
