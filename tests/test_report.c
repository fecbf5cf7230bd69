/* test_report.c - the terminal's reports (app/store/report.c, app/till/report_fmt.c)
 * on a generated month: lunch and dinner sales of three elders and walk-ins,
 * cash and mobile, voids, under a policy with two rules funded by three
 * sources.  Every figure is checked against what the generator committed
 * and against independent SQL on the same file. */
#include "../app/core/embed.h"
#include "../app/store/store_raw.h"
#include "../app/till/report_fmt.h"
#include "../app/till/till.h"
#include "check.h"

#include <dirent.h>
#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* Everyone 60+ gets 10% off (the operator pays); 70+ also get 3 yuan off
 * (half city, half district). */
static const char policy[] =
    "{\"policy\":\"rpt\",\"version\":\"1\",\"name\":\"报表测试\",\"effective_from\":\"2026-01-01\","
    "\"effective_to\":null,\"home\":\"residence\","
    "\"periods\":[{\"id\":\"lunch\",\"name\":\"午餐\",\"from\":\"10:30\",\"to\":\"13:30\"},"
    "{\"id\":\"dinner\",\"name\":\"晚餐\",\"from\":\"16:30\",\"to\":\"19:00\"}],"
    "\"groups\":[{\"id\":\"discount\",\"combine\":\"max\"},{\"id\":\"subsidy\",\"combine\":\"max\"}],"
    "\"rules\":[{\"id\":\"t-disc\",\"name\":\"九折\",\"group\":\"discount\",\"who\":{\"age_min\":60},"
    "\"items\":\"eligible\",\"benefit\":{\"type\":\"percent_off\",\"percent\":10},"
    "\"funding\":[{\"source\":\"operator\",\"rest\":true}]},"
    "{\"id\":\"t-meal\",\"name\":\"每餐3元\",\"group\":\"subsidy\",\"who\":{\"age_min\":70},"
    "\"items\":\"eligible\",\"benefit\":{\"type\":\"fixed_off\",\"fen\":300},"
    "\"funding\":[{\"source\":\"city\",\"pct\":50},{\"source\":\"district\",\"rest\":true}]}]}";

static char dir[256];
static char db[400];

/* What the generator committed, by its own count. */
static struct {
    long done, voided;
    zc_fen gross, subsidy, cash, mobile;
    long lunch_done;
    zc_fen day5_gross;
    long days_with_sales;
} gen;

static void rm_tree(const char *path)
{
    DIR *d = opendir(path);
    struct dirent *e;
    char p[700];
    while (d && (e = readdir(d))) {
        if (strcmp(e->d_name, ".") && strcmp(e->d_name, "..")) {
            snprintf(p, sizeof p, "%s/%s", path, e->d_name);
            struct stat sb;
            if (stat(p, &sb) == 0 && S_ISDIR(sb.st_mode))
                rm_tree(p);
            else
                unlink(p);
        }
    }
    if (d)
        closedir(d);
    rmdir(path);
}

static int64_t q_int(store_t *st, const char *sql)
{
    sqlite3_stmt *s = NULL;
    int64_t v = -1;
    if (sqlite3_prepare_v2(store_db(st), sql, -1, &s, NULL) == SQLITE_OK && sqlite3_step(s) == SQLITE_ROW)
        v = sqlite3_column_int64(s, 0);
    else
        fprintf(stderr, "  sql failed: %s: %s\n", sql, sqlite3_errmsg(store_db(st)));
    sqlite3_finalize(s);
    return v;
}

static void sell(till_t *t, const char *card, const char *items, const char *when, bool mobile, bool do_void)
{
    zc_err err = {""};
    zc_datetime at;
    zc_cart cart;
    till_ident id = {0};
    store_sale_res res;
    CHECK_OK(zc_datetime_parse(when, &at));
    if (card && till_identify(t, card, at.date, &id, &err) != ZC_OK) {
        CHECK(!"identify failed");
        fprintf(stderr, "  %s: %s\n", card, err.msg);
        return;
    }
    CHECK_OK(till_cart_parse(t, items, &cart, &err));
    store_sale_req req = {.operator_id = "c1", .elder = card ? &id.elder : NULL, .cart = &cart,
                          .at_utc = zc_tz_epoch(at), .at = at, .pay = mobile ? STORE_PAY_MOBILE : STORE_PAY_CASH,
                          .pay_ref = mobile ? "WX123" : NULL};
    int rc = store_sale_commit(till_store(t), &req, &res, &err);
    CHECK_OK(rc);
    if (rc) {
        fprintf(stderr, "  sell: %s\n", err.msg);
        return;
    }
    if (do_void) {
        CHECK_OK(store_sale_void(till_store(t), res.id, "s1", "点错菜品", &err));
        gen.voided++;
        return;
    }
    gen.done++;
    gen.gross += res.quote.gross;
    gen.subsidy += res.quote.subsidy;
    if (mobile)
        gen.mobile += res.quote.pay;
    else
        gen.cash += res.quote.pay;
    if (strstr(when, "11:"))
        gen.lunch_done++;
    if (strncmp(when, "2026-11-05", 10) == 0)
        gen.day5_gross += res.quote.gross;
}

/* A demo canteen (fixtures), the test policy, and November 2026: on each
 * weekday three elders and a walk-in at lunch, two elders at dinner; every
 * third day a mobile payment; on the 5th and 6th a voided sale. */
static till_t *setup(void)
{
    zc_err err = {""};
    store_t *st = NULL;
    till_t *t = NULL;
    memset(&gen, 0, sizeof gen);
    snprintf(dir, sizeof dir, "/tmp/zc_report_XXXXXX");
    if (!mkdtemp(dir)) {
        perror("mkdtemp");
        exit(2);
    }
    snprintf(db, sizeof db, "%s/till.db", dir);
    CHECK_OK(zc_tz_set("Asia/Shanghai", &err));
    CHECK_OK(store_open(db, STORE_CREATE, &st, &err));
    const char *bj = embed_get("db/policies/beijing.json");
    CHECK_OK(st && bj ? store_demo_fill(st, bj, 0, 1, &err) : ZC_EINVAL);
    CHECK_OK(store_policy_add(st, policy, strlen(policy), &err));
    if (err.msg[0])
        fprintf(stderr, "  setup: %s\n", err.msg);
    store_close(st);
    CHECK_OK(till_open(db, 0, &t, &err));
    for (int day = 1; t && day <= 30; day++) {
        zc_date d = {2026, 11, day};
        if (zc_weekday(d) >= 6)
            continue; /* 1 = Monday .. 7 = Sunday */
        char lunch[48], dinner[48];
        snprintf(lunch, sizeof lunch, "2026-11-%02d 11:%02d", day, 10 + day);
        snprintf(dinner, sizeof dinner, "2026-11-%02d 17:%02d", day, 10 + day);
        bool mob = day % 3 == 0;
        sell(t, "00000000A1", "A1,S1", lunch, mob, false);
        sell(t, "00000000A2", "A2", lunch, false, day == 5);
        sell(t, "00000000A3", "A3,S1x2", lunch, false, false);
        sell(t, NULL, "A1", lunch, mob, false);
        sell(t, "00000000A1", "A2", dinner, false, false);
        sell(t, "00000000A2", "A1", dinner, mob, day == 6);
        gen.days_with_sales++;
    }
    return t;
}

static void teardown(till_t *t)
{
    till_close(t);
    rm_tree(dir);
}

static const store_report_row *find(const store_report_row *rows, int n, const char *key)
{
    for (int i = 0; i < n; i++)
        if (strcmp(rows[i].key, key) == 0)
            return &rows[i];
    return NULL;
}

static void test_month(void)
{
    till_t *t = setup();
    store_t *st = till_store(t);
    store_report *r = calloc(1, sizeof *r);
    zc_err err = {""};
    zc_date a, b;
    store_report_month((zc_date){2026, 11, 17}, &a, &b);
    CHECK_INT(b.d, 30);
    CHECK_OK(store_report_range(st, a, b, r, &err));
    /* the generator's own figures */
    CHECK(gen.done > 100);
    CHECK_INT(r->total.meals, gen.done);
    CHECK_INT(r->total.voids, gen.voided);
    CHECK_INT(r->total.voids, 2);
    CHECK_INT(r->total.gross, gen.gross);
    CHECK_INT(r->total.subsidy, gen.subsidy);
    CHECK_INT(r->total.cash, gen.cash);
    CHECK_INT(r->total.mobile, gen.mobile);
    CHECK_INT(r->total.gross, r->total.subsidy + r->total.cash + r->total.mobile);
    CHECK(gen.mobile > 0 && gen.cash > 0);
    /* independent SQL */
    CHECK_INT(r->total.gross, q_int(st, "SELECT sum(gross_fen) FROM sale WHERE status='done' AND local_date "
                                        "BETWEEN '2026-11-01' AND '2026-11-30'"));
    CHECK_INT(r->last_seq, q_int(st, "SELECT max(seq) FROM sale"));
    /* periods, lunch first */
    CHECK_INT(r->nperiod, 2);
    CHECK_STR(r->by_period[0].key, "lunch");
    CHECK_STR(r->by_period[1].key, "dinner");
    CHECK_INT(r->by_period[0].meals, gen.lunch_done);
    CHECK_INT(r->by_period[1].subsidy, q_int(st, "SELECT sum(subsidy_fen) FROM sale WHERE status='done' AND "
                                                 "period='dinner'"));
    CHECK_INT(r->by_period[0].voids + r->by_period[1].voids, 2);
    CHECK_INT(r->by_period[0].gross + r->by_period[1].gross, r->total.gross);
    /* rules and sources: their subsidy adds up to the total */
    CHECK_INT(r->nrule, 2);
    CHECK_INT(r->nsource, 3);
    zc_fen sum = 0;
    for (int i = 0; i < r->nsource; i++)
        sum += r->by_source[i].subsidy;
    CHECK_INT(sum, r->total.subsidy);
    sum = 0;
    for (int i = 0; i < r->nrule; i++)
        sum += r->by_rule[i].subsidy;
    CHECK_INT(sum, r->total.subsidy);
    const store_report_row *city = find(r->by_source, r->nsource, "city");
    const store_report_row *meal = find(r->by_rule, r->nrule, "t-meal");
    const store_report_row *disc = find(r->by_rule, r->nrule, "t-disc");
    CHECK(city && meal && disc);
    if (city && meal && disc) {
        CHECK_INT(city->subsidy, q_int(st, "SELECT sum(p.fen) FROM sale_subsidy p JOIN sale s ON s.id = "
                                           "p.sale_id WHERE s.status='done' AND p.source='city'"));
        /* only E0000001 (86) is 70+: two meals a weekday */
        CHECK_INT(meal->meals, 2 * gen.days_with_sales);
        CHECK_INT(city->meals, meal->meals);
        CHECK_INT(meal->voids, 0);
        /* the discount: three elders at lunch (one voided), two at dinner (one voided) */
        CHECK_INT(disc->meals, 5 * gen.days_with_sales - 2);
        CHECK_INT(disc->voids, 2);
        CHECK_INT(disc->meals, q_int(st, "SELECT count(DISTINCT p.sale_id) FROM sale_subsidy p JOIN sale s ON "
                                         "s.id = p.sale_id WHERE s.status='done' AND p.rule_id='t-disc'"));
    }
    /* days: all 30, weekends empty, sums add up */
    CHECK_INT(r->nday, 30);
    CHECK_STR(r->by_day[4].key, "2026-11-05");
    CHECK_INT(r->by_day[4].gross, gen.day5_gross);
    CHECK_INT(r->by_day[4].voids, 1);
    CHECK_INT(r->by_day[0].meals, 0); /* a Sunday */
    long meals = 0;
    for (int i = 0; i < r->nday; i++)
        meals += r->by_day[i].meals;
    CHECK_INT(meals, r->total.meals);
    free(r);
    teardown(t);
}

static void test_day_and_ranges(void)
{
    till_t *t = setup();
    store_t *st = till_store(t);
    store_report *r = calloc(1, sizeof *r);
    zc_err err = {""};
    CHECK_OK(store_report_range(st, (zc_date){2026, 11, 6}, (zc_date){2026, 11, 6}, r, &err));
    CHECK_INT(r->nday, 1);
    CHECK_INT(r->total.meals, 5);
    CHECK_INT(r->total.voids, 1);
    CHECK_INT(r->total.meals + r->total.voids,
              q_int(st, "SELECT count(*) FROM sale WHERE local_date = '2026-11-06'"));
    /* an empty day is all zeros, not an error */
    CHECK_OK(store_report_range(st, (zc_date){2026, 11, 7}, (zc_date){2026, 11, 7}, r, &err));
    CHECK_INT(r->total.meals, 0);
    CHECK_INT(r->nperiod, 0);
    CHECK_INT(r->last_seq, 0);
    /* bad ranges are refused with words */
    CHECK_INT(store_report_range(st, (zc_date){2026, 11, 7}, (zc_date){2026, 11, 6}, r, &err), ZC_EINVAL);
    CHECK(strstr(err.msg, "before") != NULL);
    CHECK_INT(store_report_range(st, (zc_date){2025, 1, 1}, (zc_date){2026, 11, 6}, r, &err), ZC_EINVAL);
    CHECK(strstr(err.msg, "366") != NULL);
    CHECK_INT(store_report_range(st, (zc_date){2026, 2, 30}, (zc_date){2026, 3, 1}, r, &err), ZC_EINVAL);
    free(r);
    teardown(t);
}

static int count_line(void *ctx, const store_ledger_line *l)
{
    int64_t *c = ctx;
    c[0]++;
    c[1] += l->fen;
    if (!l->elder_masked[0] || strstr(l->elder_masked, "*") == NULL)
        c[2]++; /* every ledger line names a masked elder */
    return ZC_OK;
}

static void test_ledger(void)
{
    till_t *t = setup();
    store_t *st = till_store(t);
    zc_err err = {""};
    int64_t c[3] = {0, 0, 0};
    CHECK_OK(store_report_ledger(st, (zc_date){2026, 11, 1}, (zc_date){2026, 11, 30}, count_line, c, &err));
    CHECK_INT(c[0], q_int(st, "SELECT count(*) FROM sale_subsidy p JOIN sale s ON s.id = p.sale_id WHERE "
                              "s.status = 'done'"));
    CHECK_INT(c[1], gen.subsidy);
    CHECK_INT(c[2], 0);
    /* as CSV: BOM, header, one row per line, masked names */
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    CHECK_OK(till_report_write_ledger(st, (zc_date){2026, 11, 2}, (zc_date){2026, 11, 2}, TILL_FMT_CSV, f, &err));
    fclose(f);
    CHECK(buf && strncmp(buf, "\xEF\xBB\xBF序号,时间,餐次,老人编号,老人,", 3 + 40) == 0);
    CHECK(buf && strstr(buf, "张*英") != NULL && strstr(buf, "张桂英") == NULL);
    CHECK(buf && strstr(buf, ",t-meal,city,市级,150,1.50,") != NULL);
    free(buf);
    teardown(t);
}

static int keep_row(void *ctx, const store_unsent_row *r)
{
    store_unsent_row *out = ctx;
    if (r->held[0])
        *out = *r;
    return ZC_OK;
}

static void test_unsent(void)
{
    till_t *t = setup();
    store_t *st = till_store(t);
    zc_err err = {""};
    long n = 0, held = 0;
    store_unsent_row got = {0};
    int64_t total = q_int(st, "SELECT count(*) FROM outbox");
    CHECK(total > 100);
    /* the centre acknowledged all but the last ten rows, and refused seq 3 */
    CHECK_INT(sqlite3_exec(store_db(st), "UPDATE outbox SET sent_utc = 1 WHERE id <= (SELECT max(id) - 10 FROM "
                                         "outbox); UPDATE outbox SET sent_utc = NULL, held = 'conflict', "
                                         "last_error = 'same id, other content' WHERE sale_id = (SELECT id FROM "
                                         "sale WHERE seq = 3)",
                           NULL, NULL, NULL),
              SQLITE_OK);
    CHECK_OK(store_report_unsent(st, keep_row, &got, &n, &held, &err));
    CHECK_INT(n, 11);
    CHECK_INT(held, 1);
    CHECK_INT(got.seq, 3);
    CHECK_STR(got.held, "conflict");
    CHECK_STR(got.reason, "same id, other content");
    CHECK_INT(n, q_int(st, "SELECT count(*) FROM outbox WHERE sent_utc IS NULL"));
    teardown(t);
}

static void test_shift_and_export(void)
{
    till_t *t = setup();
    store_t *st = till_store(t);
    zc_err err = {""};
    store_shift sh;
    store_zreport z;
    store_report *r = calloc(1, sizeof *r);
    char files[TILL_EXPORT_FILES][TILL_EXPORT_PATH], out[600];
    int n = 0;
    CHECK_INT(store_report_shift_get(st, 0, &sh, &err), ZC_ENOTFOUND);
    CHECK_OK(store_shift_open(st, "c1", 10000, 1000, &sh, &err));
    CHECK_OK(store_shift_close(st, "c1", 10000, 2000, &z, &err));
    CHECK_OK(store_shift_open(st, "c2", 5000, 3000, &sh, &err));
    CHECK_OK(store_report_shift_get(st, 0, &sh, &err));
    CHECK_STR(sh.operator_id, "c2"); /* the open one first */
    CHECK_OK(store_report_shift_get(st, 1, &sh, &err));
    CHECK_INT(sh.counted_fen, 10000);
    CHECK_INT(store_report_shift_get(st, 9, &sh, &err), ZC_ENOTFOUND);

    /* a month into a folder: summary and ledger, nothing left half-written */
    CHECK_OK(store_report_range(st, (zc_date){2026, 11, 1}, (zc_date){2026, 11, 30}, r, &err));
    snprintf(out, sizeof out, "%s/usb", dir);
    CHECK_INT(mkdir(out, 0700), 0);
    till_export_req req = {.r = r, .month = true, .terminal_id = "T01"};
    CHECK_OK(till_report_export(st, &req, out, files, &n, &err));
    CHECK_INT(n, 2);
    CHECK(strstr(files[0], "/usb/zhucan-T01-monthly-2026-11.csv") != NULL);
    CHECK(strstr(files[1], "/usb/zhucan-T01-ledger-2026-11.csv") != NULL);
    FILE *f = fopen(files[0], "rb");
    char line[400] = "";
    CHECK(f && fgets(line, sizeof line, f));
    CHECK(strncmp(line, "\xEF\xBB\xBF分组,项目,名称,餐数,作废", 3 + 30) == 0);
    if (f)
        fclose(f);
    DIR *d = opendir(out);
    int entries = 0;
    for (struct dirent *e; d && (e = readdir(d));)
        entries += e->d_name[0] != '.';
    if (d)
        closedir(d);
    CHECK_INT(entries, 2);
    /* the shift's Z report */
    CHECK_OK(store_report_shift_get(st, 1, &sh, &err));
    CHECK_OK(store_shift_report(st, &sh, 5000, &z, &err));
    req = (till_export_req){.z = &z, .terminal_id = "T01"};
    CHECK_OK(till_report_export(st, &req, out, files, &n, &err));
    CHECK_INT(n, 1);
    CHECK(strstr(files[0], "zhucan-T01-shift-1.csv") != NULL);
    /* the stick pulled out */
    snprintf(out, sizeof out, "%s/gone", dir);
    CHECK_INT(till_report_export(st, &req, out, files, &n, &err), ZC_ENOTFOUND);
    CHECK_INT(n, 0);
    CHECK(strstr(err.msg, "/gone") != NULL && strstr(err.msg, "USB") != NULL);
    free(r);
    teardown(t);
}

static void test_write_full(void)
{
    till_t *t = setup();
    zc_err err = {""};
    store_report *r = calloc(1, sizeof *r);
    CHECK_OK(store_report_range(till_store(t), (zc_date){2026, 11, 1}, (zc_date){2026, 11, 30}, r, &err));
    FILE *f = fopen("/dev/full", "w");
    CHECK(f != NULL);
    if (f) {
        CHECK_INT(till_report_write(r, "月报", TILL_FMT_CSV, f, &err), ZC_EIO);
        CHECK(strstr(err.msg, "report CSV") != NULL);
        CHECK_INT(till_report_write(r, "月报", TILL_FMT_JSON, f, &err), ZC_EIO);
        fclose(f);
    }
    free(r);
    teardown(t);
}

static const check_case cases[] = {
    {"month", test_month},   {"day_and_ranges", test_day_and_ranges}, {"ledger", test_ledger},
    {"unsent", test_unsent}, {"shift_and_export", test_shift_and_export}, {"write_full", test_write_full},
    {0},
};

int main(int argc, char **argv) { return check_main("test_report", cases, argc, argv); }
