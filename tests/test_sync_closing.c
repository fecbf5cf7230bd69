/* test_sync_closing.c - the terminal's daily closing summaries
 * (app/sync/sync_closing.c, POST /api/v1/closing).
 *
 * Against the real central server on 127.0.0.1 (tests/test_central_fixture.h)
 * with the real sync client: days that are over are reported once, today
 * only after a shift closes, a void after the report sends the day again,
 * a day waits while its sales are unsent; the centre stores exactly what
 * the terminal sent and it equals the terminal's sales to the fen (count,
 * gross, subsidy, pay, subsidy by funding source, the chain's head).
 * Against the fake centre (tests/test_sync_fake.h, which knows no
 * closings): a refused closing does not fail the round and waits before it
 * is tried again; a centre that stops answering fails the round.  And the
 * migration reports the days sold on before it. */
#include "test_central_fixture.h"
#include "test_sync_fake.h"

#include <stdlib.h>

#include "../app/core/clock.h"
#include "../app/store/shift.h"
#include "../app/store/store_raw.h"

/* The local date `offset` days from today, "YYYY-MM-DD". */
static const char *day(int offset)
{
    static char buf[4][16];
    static int k;
    k = (k + 1) % 4;
    zc_date d = zc_tz_local(zc_now()).date;
    d = zc_civil_from_days(zc_days_from_civil(d) + offset);
    return zc_date_fmt(d, buf[k], sizeof buf[k]);
}

/* "YYYY-MM-DD HH:MM" on the day `offset` days from today. */
static const char *at(int offset, const char *hhmm)
{
    static char buf[4][32];
    static int k;
    k = (k + 1) % 4;
    snprintf(buf[k], sizeof buf[k], "%s %s", day(offset), hhmm);
    return buf[k];
}

static store_sale_res sell(store_t *st, const char *elder, const char *card, const char *when)
{
    store_sale_res r;
    memset(&r, 0, sizeof r);
    CHECK_OK(fx_sell(st, elder, card, when, 0, &r));
    return r;
}

/* What the terminal holds for a date: count, gross, subsidy, pay of its
 * non-voided sales, its highest seq, that sale's hash, and the subsidy by
 * source as the JSON array text the protocol carries. */
typedef struct totals {
    int64_t n[4];
    int64_t last_seq;
    char head[ZC_SHA256_HEX];
    char by_source[400];
} totals;

static void load_totals(sqlite3 *db, const char *sql_sums, const char *sql_head, const char *sql_src,
                        const char *date, const char *terminal, totals *t)
{
    sqlite3_stmt *s = NULL;
    memset(t, 0, sizeof *t);
    if (sqlite3_prepare_v2(db, sql_sums, -1, &s, NULL) == SQLITE_OK) {
        sqlite3_bind_text(s, 1, date, -1, SQLITE_STATIC);
        sqlite3_bind_text(s, 2, terminal, -1, SQLITE_STATIC);
        if (sqlite3_step(s) == SQLITE_ROW)
            for (int i = 0; i < 4; i++)
                t->n[i] = sqlite3_column_int64(s, i);
    }
    sqlite3_finalize(s);
    if (sqlite3_prepare_v2(db, sql_head, -1, &s, NULL) == SQLITE_OK) {
        sqlite3_bind_text(s, 1, date, -1, SQLITE_STATIC);
        sqlite3_bind_text(s, 2, terminal, -1, SQLITE_STATIC);
        if (sqlite3_step(s) == SQLITE_ROW) {
            t->last_seq = sqlite3_column_int64(s, 0);
            fx_col(s, 1, t->head, sizeof t->head);
        }
    }
    sqlite3_finalize(s);
    cJSON *arr = cJSON_CreateArray();
    if (sqlite3_prepare_v2(db, sql_src, -1, &s, NULL) == SQLITE_OK) {
        sqlite3_bind_text(s, 1, date, -1, SQLITE_STATIC);
        sqlite3_bind_text(s, 2, terminal, -1, SQLITE_STATIC);
        while (sqlite3_step(s) == SQLITE_ROW) {
            cJSON *m = cJSON_CreateObject();
            cJSON_AddStringToObject(m, "source", (const char *)sqlite3_column_text(s, 0));
            cJSON_AddNumberToObject(m, "fen", (double)sqlite3_column_int64(s, 1));
            cJSON_AddItemToArray(arr, m);
        }
    }
    sqlite3_finalize(s);
    char *text = cJSON_PrintUnformatted(arr);
    snprintf(t->by_source, sizeof t->by_source, "%s", text ? text : "");
    cJSON_free(text);
    cJSON_Delete(arr);
}

/* The terminal's own sales of date (the terminal argument is ignored). */
static void term_totals_of(store_t *st, const char *date, totals *t)
{
    load_totals(store_db(st),
                "SELECT count(*), coalesce(sum(gross_fen), 0), coalesce(sum(subsidy_fen), 0), "
                "coalesce(sum(pay_fen), 0) FROM sale WHERE local_date = ?1 AND status = 'done' "
                "AND ?2 IS NOT NULL",
                "SELECT seq, hash FROM sale WHERE local_date = ?1 AND ?2 IS NOT NULL ORDER BY seq "
                "DESC LIMIT 1",
                "SELECT p.source, sum(p.fen) FROM sale_subsidy p JOIN sale s ON s.id = p.sale_id "
                "WHERE s.local_date = ?1 AND s.status = 'done' AND ?2 IS NOT NULL GROUP BY p.source "
                "ORDER BY p.source",
                date, "T-0001", t);
}

/* The closing the centre stored for the terminal and date (n[0] = -1 when none). */
static void centre_closing(const char *terminal, const char *date, totals *t)
{
    sqlite3 *db = NULL;
    memset(t, 0, sizeof *t);
    t->n[0] = -1;
    if (sqlite3_open_v2(fx_path("central.db"), &db, SQLITE_OPEN_READONLY, NULL) == SQLITE_OK)
        load_totals(db,
                    "SELECT count, gross_fen, subsidy_fen, pay_fen FROM closing WHERE date = ?1 AND "
                    "terminal_id = ?2",
                    "SELECT last_seq, chain_head FROM closing WHERE date = ?1 AND terminal_id = ?2",
                    "SELECT j.value ->> 'source', j.value ->> 'fen' FROM closing c, "
                    "json_each(c.by_source) j WHERE c.date = ?1 AND c.terminal_id = ?2",
                    date, terminal, t);
    sqlite3_close(db);
    if (t->last_seq == 0)
        t->n[0] = -1; /* no row */
}

/* The centre holds a closing for date equal to the terminal's sales, to the
 * fen, and its report says it matches the centre's own totals. */
static void check_reported(store_t *st, const char *date)
{
    totals mine, cen;
    term_totals_of(st, date, &mine);
    centre_closing("T-0001", date, &cen);
    for (int i = 0; i < 4; i++)
        CHECK_INT(cen.n[i], mine.n[i]);
    CHECK_INT(cen.last_seq, mine.last_seq);
    CHECK_STR(cen.head, mine.head);
    CHECK_STR(cen.by_source, mine.by_source);
    cJSON *r = fx_report("T-0001");
    const cJSON *c;
    int found = 0;
    cJSON_ArrayForEach(c, cJSON_GetObjectItem(r, "closings"))
    {
        if (strcmp(fx_str(c, "date"), date) != 0)
            continue;
        found++;
        CHECK(cJSON_IsTrue(cJSON_GetObjectItem(c, "matches")));
        CHECK_INT(fx_num(c, "centre_gross", NULL), mine.n[1]);
        CHECK_INT(fx_num(c, "centre_subsidy", NULL), mine.n[2]);
    }
    CHECK_INT(found, 1);
    cJSON_Delete(r);
}

static bool centre_has(const char *date)
{
    totals t;
    centre_closing("T-0001", date, &t);
    return t.n[0] >= 0;
}

/* A centre with the fixture's roster and terminal T-0001 pointed at it. */
static store_t *up(void)
{
    zc_err err = {""};
    char url[128];
    fx_centre();
    fx_start(NULL, NULL);
    store_t *st = fx_terminal("T-0001", "C-0001");
    snprintf(url, sizeof url, "http://127.0.0.1:%d", fx_port);
    CHECK_OK(store_meta_set(st, "server_url", url, &err));
    CHECK_OK(store_meta_set(st, "sync_token", TOK1, &err));
    return st;
}

static int round_once(sync_report *rep)
{
    zc_err err = {""};
    memset(rep, 0, sizeof *rep);
    int rc = sync_run_once(fx_path("T-0001.db"), rep, NULL, &err);
    if (rc)
        fprintf(stderr, "  sync: %s\n", err.msg);
    return rc;
}

static void shift(store_t *st)
{
    store_shift sh;
    store_zreport z;
    zc_err err = {""};
    int64_t now = zc_now();
    CHECK_OK(store_shift_open(st, "c1", 10000, now, &sh, &err));
    CHECK_OK(store_shift_close(st, "c1", 10000, now, &z, &err));
}

/* ---- against the real centre ---- */

static void t_days_over(void)
{
    store_t *st = up();
    sync_report rep;
    zc_err err = {""};
    /* two days ago: an 80-year-old's subsidised lunch, a dibao elder, a public sale */
    sell(st, "E0000001", "00000000A1", at(-2, "11:30"));
    sell(st, "E0000002", "00000000A2", at(-2, "11:40"));
    sell(st, NULL, NULL, at(-2, "12:00"));
    /* yesterday: two sales, one voided */
    sell(st, "E0000001", "00000000A1", at(-1, "11:30"));
    store_sale_res v = sell(st, "E0000003", "00000000A3", at(-1, "17:30"));
    CHECK_OK(store_sale_void(st, v.id, "s1", "wrong dish", &err));
    /* today: not over, no shift closed */
    sell(st, "E0000001", "00000000A1", at(0, "00:05"));
    CHECK_OK(round_once(&rep));
    CHECK_INT(rep.stored, 6);
    CHECK_INT(rep.closings, 2);
    check_reported(st, day(-2));
    check_reported(st, day(-1));
    CHECK(!centre_has(day(0)));
    totals t;
    term_totals_of(st, day(-2), &t);
    CHECK_INT(t.n[0], 3);
    CHECK(t.n[2] >= 500); /* the subsidy is in it */
    CHECK(strstr(t.by_source, "\"fen\"") != NULL);
    term_totals_of(st, day(-1), &t);
    CHECK_INT(t.n[0], 1); /* the voided sale is not counted ... */
    CHECK_INT(t.last_seq, 5); /* ... but the chain's head is its seq */
    /* the terminal recorded what it sent */
    CHECK_INT(tq_int(st, "SELECT count(*) FROM closing WHERE sent_gen = gen AND sent_utc > 0"), 2);
    CHECK_STR(tq_text(st, "SELECT value FROM meta WHERE key = 'closing_error'"), "");
    /* nothing changed: nothing sent again */
    CHECK_OK(round_once(&rep));
    CHECK_INT(rep.closings, 0);
    CHECK_INT(fx_sql_int("SELECT count(*) FROM closing"), 2);
    store_close(st);
    fx_end();
}

static void t_shift_close(void)
{
    store_t *st = up();
    sync_report rep;
    sell(st, "E0000001", "00000000A1", at(0, "00:05"));
    sell(st, NULL, NULL, at(0, "00:10"));
    CHECK_OK(round_once(&rep));
    CHECK_INT(rep.closings, 0);
    CHECK(!centre_has(day(0)));
    /* the cashier closes the shift: today is reported */
    shift(st);
    CHECK_OK(round_once(&rep));
    CHECK_INT(rep.closings, 1);
    check_reported(st, day(0));
    /* a later sale waits for the next shift close ... */
    sell(st, "E0000002", "00000000A2", at(0, "00:15"));
    CHECK_OK(round_once(&rep));
    CHECK_INT(rep.stored, 1);
    CHECK_INT(rep.closings, 0);
    totals t;
    centre_closing("T-0001", day(0), &t);
    CHECK_INT(t.n[0], 2);
    /* ... which replaces the day's closing at the centre */
    shift(st);
    CHECK_OK(round_once(&rep));
    CHECK_INT(rep.closings, 1);
    check_reported(st, day(0));
    centre_closing("T-0001", day(0), &t);
    CHECK_INT(t.n[0], 3);
    CHECK_INT(fx_sql_int("SELECT count(*) FROM closing"), 1);
    /* a shift that sold nothing new sends nothing */
    shift(st);
    CHECK_OK(round_once(&rep));
    CHECK_INT(rep.closings, 0);
    store_close(st);
    fx_end();
}

static void t_void_after_report(void)
{
    store_t *st = up();
    sync_report rep;
    zc_err err = {""};
    sell(st, "E0000001", "00000000A1", at(-1, "11:30"));
    store_sale_res b = sell(st, "E0000002", "00000000A2", at(-1, "11:35"));
    CHECK_OK(round_once(&rep));
    CHECK_INT(rep.closings, 1);
    check_reported(st, day(-1));
    /* the supervisor voids yesterday's sale this morning: the day goes again */
    CHECK_OK(store_sale_void(st, b.id, "s1", "charged twice", &err));
    CHECK_OK(round_once(&rep));
    CHECK_INT(rep.voids, 1);
    CHECK_INT(rep.closings, 1);
    check_reported(st, day(-1));
    totals t;
    centre_closing("T-0001", day(-1), &t);
    CHECK_INT(t.n[0], 1);
    store_close(st);
    fx_end();
}

/* A day whose sales are not all at the centre waits for them. */
static void t_waits_for_sales(void)
{
    store_t *st = up();
    sync_tune tune;
    sync_conn *c = NULL;
    sync_report rep;
    zc_err err = {""};
    test_tune(&tune);
    sell(st, "E0000001", "00000000A1", at(-3, "11:30"));
    CHECK_OK(sync_conn_open(st, &tune, NULL, &c, &err));
    memset(&rep, 0, sizeof rep);
    CHECK_OK(sync_round(c, &rep, &err));
    CHECK_INT(rep.closings, 1);
    /* a late sale on that day, not pushed yet (closings alone, no push) */
    sell(st, NULL, NULL, at(-3, "18:00"));
    memset(&rep, 0, sizeof rep);
    CHECK_OK(sync_closing_send(c, &rep, &err));
    CHECK_INT(rep.closings, 0);
    totals t;
    centre_closing("T-0001", day(-3), &t);
    CHECK_INT(t.n[0], 1);
    /* the round pushes it first, then the day */
    memset(&rep, 0, sizeof rep);
    CHECK_OK(sync_round(c, &rep, &err));
    CHECK_INT(rep.stored, 1);
    CHECK_INT(rep.closings, 1);
    check_reported(st, day(-3));
    sync_conn_close(c);
    store_close(st);
    fx_end();
}

/* ---- against the fake centre, which answers 404 to closings ---- */

static void t_refused(void)
{
    static fake f;
    static term tm;
    sync_tune tune;
    sync_conn *c = NULL;
    sync_report rep;
    zc_err err = {""};
    fake_init(&f, "T-0001", "tok-123");
    CHECK(fake_start(&f, 0, NULL, NULL));
    store_t *st = term_open(&tm, &f);
    store_sale_res r;
    term_sell(st, "E0000001", "A1", at(-1, "11:30"), &r);
    test_tune(&tune);
    CHECK_OK(sync_conn_open(st, &tune, NULL, &c, &err));
    /* the sales go; the refused closing does not fail the round */
    memset(&rep, 0, sizeof rep);
    int rc = sync_round(c, &rep, &err);
    if (rc)
        fprintf(stderr, "  round: %s\n", err.msg);
    CHECK_OK(rc);
    CHECK_INT(rep.stored, 1);
    CHECK_INT(rep.closings, 0);
    CHECK(strlen(tq_text(st, "SELECT value FROM meta WHERE key = 'closing_error'")) > 0);
    CHECK_INT(tq_int(st, "SELECT attempts FROM closing"), 1);
    CHECK(strlen(tq_text(st, "SELECT last_error FROM closing")) > 0);
    CHECK_INT(tq_int(st, "SELECT sent_gen FROM closing"), 0);
    /* the next round does not ask again before closing_retry_ms ... */
    memset(&rep, 0, sizeof rep);
    CHECK_OK(sync_round(c, &rep, &err));
    CHECK_INT(tq_int(st, "SELECT attempts FROM closing"), 1);
    sync_conn_close(c);
    /* ... a fresh connection (a restart) does */
    CHECK_OK(term_round(st, NULL, NULL, &err));
    CHECK_INT(tq_int(st, "SELECT attempts FROM closing"), 2);
    /* a centre that stops answering mid-closing fails the round */
    tune.request_ms = 300;
    f.slow_ms = 1500;
    fake_set(&f, FAKE_SLOW, "/api/v1/closing");
    rc = term_round(st, &tune, NULL, &err);
    CHECK_INT(rc, ZC_EIO);
    CHECK(strstr(err.msg, "closing") != NULL);
    fake_set(&f, FAKE_OK, NULL);
    term_close(&tm);
    fake_free(&f);
}

/* ---- the migration ---- */

static void t_migration(void)
{
    char dir[] = "/tmp/zc_closing_XXXXXX", path[64];
    store_t *st = NULL;
    zc_err err = {""};
    CHECK(mkdtemp(dir) != NULL);
    snprintf(path, sizeof path, "%s/t.db", dir);
    CHECK_OK(store_open(path, STORE_CREATE, &st, &err));
    CHECK_OK(store_demo_fill(st, embed_get("db/policies/beijing.json"), 0, 1, &err));
    sell(st, "E0000001", "00000000A1", at(-5, "11:30"));
    sell(st, NULL, NULL, at(-4, "11:30"));
    sell(st, NULL, NULL, at(-4, "12:30"));
    CHECK_INT(tq_int(st, "SELECT count(*) FROM closing"), 2);
    CHECK_INT(tq_int(st, "SELECT max(gen) FROM closing"), 2);
    /* as a database from before 004 would be */
    CHECK_OK(sqlite3_exec(store_db(st), "DROP TRIGGER closing_on_sale; DROP TRIGGER closing_on_void; "
                          "DROP TABLE closing; DROP TABLE roster_bulk_index; DROP TABLE menu_price; "
                          "DROP TABLE calendar; "
                          "ALTER TABLE menu_item DROP COLUMN unit; ALTER TABLE menu_item DROP COLUMN sold_out_on; "
                          "PRAGMA user_version = 3;", NULL, NULL, NULL));
    store_close(st);
    CHECK_OK(store_open(path, 0, &st, &err));
    CHECK_INT(tq_int(st, "SELECT count(*) FROM closing WHERE gen > sent_gen"), 2);
    store_close(st);
    char p2[96];
    snprintf(p2, sizeof p2, "rm -rf %s", dir);
    CHECK_INT(system(p2), 0);
}

static const check_case cases[] = {
    {"days_over", t_days_over},
    {"shift_close", t_shift_close},
    {"void_after_report", t_void_after_report},
    {"waits_for_sales", t_waits_for_sales},
    {"refused", t_refused},
    {"migration", t_migration},
    {NULL, NULL},
};

int main(int argc, char **argv)
{
    zc_err err = {""};
    /* "today" is a pinned Wednesday morning: a run near midnight must not
     * see its "today" turn into "yesterday" between a sale and the sync */
    if (setenv("ZHUCAN_NOW", "2026-11-25T10:00:00+08:00", 1) != 0 || zc_clock_init(&err) != ZC_OK ||
        zc_secure_init() != ZC_OK || sync_global_init(&err) != ZC_OK || zc_tz_set("Asia/Shanghai", &err))
        return 2;
    return check_main("test_sync_closing", cases, argc, argv);
}
