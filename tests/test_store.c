/* test_store.c - opening and migrating the database, settings, canteen,
 * policies, menu, cards, elder lookups, operators and the demo fill.
 * Every case works on real SQLite files in its own mkdtemp directory. */
#include "../app/core/clock.h"
#include "../app/core/embed.h"
#include "../app/store/store.h"
#include "../app/store/store_raw.h"
#include "check.h"

#include <dirent.h>
#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* ---- helpers ---- */

/* True when needle (n bytes) occurs in hay (len bytes). */
static int contains(const char *hay, size_t len, const char *needle, size_t n)
{
    for (size_t i = 0; i + n <= len; i++)
        if (memcmp(hay + i, needle, n) == 0)
            return 1;
    return 0;
}

static char dir[256];

static void tmp_begin(void)
{
    snprintf(dir, sizeof dir, "/tmp/zc_store_XXXXXX");
    if (!mkdtemp(dir)) {
        perror("mkdtemp");
        exit(2);
    }
}

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

static const char *path_of(const char *name)
{
    static char p[400];
    snprintf(p, sizeof p, "%s/%s", dir, name);
    return p;
}

static store_t *open_new(const char *name)
{
    store_t *st = NULL;
    zc_err err = {""};
    int rc = store_open(path_of(name), STORE_CREATE, &st, &err);
    if (rc != ZC_OK)
        fprintf(stderr, "  store_open: %s\n", err.msg);
    CHECK_OK(rc);
    return st;
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

/* The newest migration number among the embedded files. */
static int newest_migration(void)
{
    int v = 0;
    for (const embed_file *f = embed_files; f->path; f++) {
        int n = 0;
        if (sscanf(f->path, "db/%d_", &n) == 1 && strstr(f->path, ".sql") && n > v)
            v = n;
    }
    return v;
}

static const char *beijing(void)
{
    const char *j = embed_get("db/policies/beijing.json");
    CHECK(j != NULL);
    return j ? j : "";
}

static zc_date D(int y, int m, int d)
{
    return (zc_date){y, m, d};
}

/* ---- open and migrate ---- */

static void t_open_creates(void)
{
    tmp_begin();
    store_t *st = open_new("a.db");
    struct stat sb;
    CHECK_INT(stat(path_of("a.db"), &sb), 0);
    CHECK_INT(sb.st_mode & 0777, 0600);
    CHECK_INT(q_int(st, "PRAGMA user_version"), newest_migration());
    CHECK(newest_migration() >= 1);
    CHECK_STR(q_text(st, "PRAGMA journal_mode"), "wal");
    CHECK_INT(q_int(st, "PRAGMA foreign_keys"), 1);
    CHECK_INT(q_int(st, "PRAGMA synchronous"), 2); /* FULL */
    CHECK(q_int(st, "PRAGMA busy_timeout") >= 5000);
    CHECK_INT(q_int(st, "SELECT count(*) FROM sqlite_schema WHERE name IN ('elder','card','sale',"
                        "'sale_line','sale_subsidy','sale_rule','outbox','audit','operator','menu_item',"
                        "'policy','meta','canteen')"), 13);
    store_close(st);
    tmp_end();
}

static void t_open_missing(void)
{
    tmp_begin();
    store_t *st = (store_t *)1;
    zc_err err = {""};
    CHECK_INT(store_open(path_of("nope.db"), 0, &st, &err), ZC_ENOTFOUND);
    CHECK(st == NULL);
    CHECK(strstr(err.msg, "nope.db") != NULL);
    CHECK_INT(access(path_of("nope.db"), F_OK), -1);
    tmp_end();
}

static void t_open_not_a_db(void)
{
    tmp_begin();
    FILE *f = fopen(path_of("junk.db"), "w");
    CHECK(f != NULL);
    for (int i = 0; f && i < 200; i++)
        fputs("this is a shopping list, not a database\n", f);
    if (f)
        fclose(f);
    store_t *st = NULL;
    zc_err err = {""};
    CHECK_INT(store_open(path_of("junk.db"), STORE_CREATE, &st, &err), ZC_EDB);
    CHECK(st == NULL);
    CHECK(strstr(err.msg, path_of("junk.db")) != NULL);
    CHECK(strstr(err.msg, "not a Zhucan database") != NULL);
    tmp_end();
}

static void t_open_newer_refused(void)
{
    tmp_begin();
    store_t *st = open_new("new.db");
    CHECK_INT(sqlite3_exec(store_db(st), "PRAGMA user_version = 999", NULL, NULL, NULL), SQLITE_OK);
    store_close(st);
    st = NULL;
    zc_err err = {""};
    CHECK_INT(store_open(path_of("new.db"), 0, &st, &err), ZC_EDB);
    CHECK(st == NULL);
    CHECK(strstr(err.msg, "999") != NULL);
    CHECK(strstr(err.msg, "newer") != NULL);
    sqlite3 *db = NULL;
    CHECK_INT(sqlite3_open(path_of("new.db"), &db), SQLITE_OK);
    sqlite3_stmt *s = NULL;
    CHECK_INT(sqlite3_prepare_v2(db, "PRAGMA user_version", -1, &s, NULL), SQLITE_OK);
    CHECK_INT(sqlite3_step(s), SQLITE_ROW);
    CHECK_INT(sqlite3_column_int(s, 0), 999); /* untouched */
    sqlite3_finalize(s);
    sqlite3_close(db);
    tmp_end();
}

static void t_salt_and_reopen(void)
{
    tmp_begin();
    char a[80], b[80];
    store_t *st = open_new("s.db");
    CHECK_OK(store_meta_get(st, "id_salt", a, sizeof a));
    CHECK_INT(strlen(a), 32);
    store_close(st);
    st = open_new("s.db");
    CHECK_OK(store_meta_get(st, "id_salt", b, sizeof b));
    CHECK_STR(a, b);
    store_close(st);
    /* another database gets another salt */
    st = open_new("t.db");
    CHECK_OK(store_meta_get(st, "id_salt", b, sizeof b));
    CHECK(strcmp(a, b) != 0);
    store_close(st);
    tmp_end();
}

static void t_readonly(void)
{
    tmp_begin();
    store_t *st = open_new("r.db"), *ro = NULL;
    zc_err err = {""};
    CHECK_OK(store_meta_set(st, "terminal_id", "T-9", &err));
    store_close(st);
    CHECK_OK(store_open(path_of("r.db"), STORE_READONLY, &ro, &err));
    char buf[32];
    CHECK_OK(store_meta_get(ro, "terminal_id", buf, sizeof buf));
    CHECK_STR(buf, "T-9");
    CHECK(store_meta_set(ro, "terminal_id", "T-10", &err) != ZC_OK);
    CHECK(strstr(err.msg, "read-only") != NULL);
    store_close(ro);
    tmp_end();
}

/* ---- meta, canteen, policy, menu ---- */

static void t_meta(void)
{
    tmp_begin();
    store_t *st = open_new("m.db");
    zc_err err;
    char buf[8];
    static const struct {
        const char *key, *value;
    } kv[] = {{"tz", "Asia/Shanghai"}, {"card_format", "dec10"}, {"printer", ""}};
    for (size_t i = 0; i < sizeof kv / sizeof kv[0]; i++)
        CHECK_OK(store_meta_set(st, kv[i].key, kv[i].value, &err));
    CHECK_OK(store_meta_set(st, "card_format", "dec8", &err)); /* replace */
    char big[64];
    CHECK_OK(store_meta_get(st, "card_format", big, sizeof big));
    CHECK_STR(big, "dec8");
    CHECK_OK(store_meta_get(st, "printer", big, sizeof big));
    CHECK_STR(big, "");
    CHECK_INT(store_meta_get(st, "missing", buf, sizeof buf), ZC_ENOTFOUND);
    CHECK_INT(store_meta_get(st, "tz", buf, sizeof buf), ZC_ETOOBIG);
    CHECK_INT(store_meta_set(st, "", "x", &err), ZC_EINVAL);
    store_close(st);
    tmp_end();
}

static void t_canteen(void)
{
    tmp_begin();
    store_t *st = open_new("c.db");
    zc_err err = {""};
    zc_canteen c = {.id = "C-7", .name = "双井老年餐桌", .city = "110000", .district = "110105",
                    .town = "110105010"}, got;
    CHECK_INT(store_canteen_get(st, &got, &err), ZC_ENOTFOUND);
    CHECK(strstr(err.msg, "canteen") != NULL);
    CHECK_OK(store_canteen_set(st, &c, &err));
    CHECK_OK(store_canteen_get(st, &got, &err));
    CHECK_STR(got.id, "C-7");
    CHECK_STR(got.name, "双井老年餐桌");
    CHECK_STR(got.town, "110105010");
    char buf[32];
    CHECK_OK(store_meta_get(st, "canteen_id", buf, sizeof buf));
    CHECK_STR(buf, "C-7");
    zc_canteen bad = {.id = "", .name = "x"};
    CHECK_INT(store_canteen_set(st, &bad, &err), ZC_EINVAL);
    store_close(st);
    tmp_end();
}

/* Replaces the first occurrence of a by b in s (into out). */
static void replace1(const char *s, const char *a, const char *b, char *out, size_t n)
{
    const char *p = strstr(s, a);
    CHECK(p != NULL);
    if (!p) {
        snprintf(out, n, "%s", s);
        return;
    }
    snprintf(out, n, "%.*s%s%s", (int)(p - s), s, b, p + strlen(a));
}

static void t_policy(void)
{
    tmp_begin();
    store_t *st = open_new("p.db");
    zc_err err = {""};
    const char *bj = beijing();
    static char v2[65536], v2b[65536], changed[65536];
    CHECK_OK(store_policy_add(st, bj, strlen(bj), &err));
    CHECK_OK(store_policy_add(st, bj, strlen(bj), &err)); /* same text again: fine */
    CHECK_INT(q_int(st, "SELECT count(*) FROM policy"), 1);
    replace1(bj, "助餐补贴每日5元", "助餐补贴每日五元", changed, sizeof changed);
    CHECK_INT(store_policy_add(st, changed, strlen(changed), &err), ZC_ECONFLICT);
    CHECK(strstr(err.msg, "new version") != NULL);
    CHECK_INT(store_policy_add(st, "{\"policy\": ", 11, &err), ZC_EINVAL);
    CHECK_INT(q_int(st, "SELECT count(*) FROM policy"), 1);
    /* a later version in force from 2026-07-01 */
    replace1(bj, "\"2024.1\"", "\"2026.2\"", v2b, sizeof v2b);
    replace1(v2b, "\"2024-01-01\"", "\"2026-07-01\"", v2, sizeof v2);
    CHECK_OK(store_policy_add(st, v2, strlen(v2), &err));
    static const struct {
        zc_date d;
        int rc;
        const char *version;
    } cases[] = {
        {{2023, 12, 31}, ZC_ENOTFOUND, ""},
        {{2024, 1, 1}, ZC_OK, "2024.1"},
        {{2026, 6, 30}, ZC_OK, "2024.1"},
        {{2026, 7, 1}, ZC_OK, "2026.2"},
        {{2030, 1, 1}, ZC_OK, "2026.2"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        zc_policy *p = NULL;
        CHECK_INT(store_policy_for(st, cases[i].d, &p, &err), cases[i].rc);
        if (p) {
            CHECK_STR(zc_policy_id(p), "beijing");
            CHECK_STR(zc_policy_version(p), cases[i].version);
        } else {
            CHECK(strstr(err.msg, "2023-12-31") != NULL);
        }
        zc_policy_free(p);
    }
    store_close(st);
    tmp_end();
}

static void t_items(void)
{
    tmp_begin();
    store_t *st = open_new("i.db");
    zc_err err = {""};
    static const store_item items[] = {
        {"S1", "米饭", "staple", 100, false, "lunch,dinner", true, "份", false},
        {"A2", "套餐B 一荤两素", "set_meal", 1200, true, "lunch,dinner", true, "份", false},
        {"K1", "矿泉水", "drink", 200, false, "", true, "份", false},
        {"A1", "套餐A 两荤一素", "set_meal", 1500, true, "lunch,dinner", true, "份", false},
        {"X1", "停售菜", "dish", 900, false, "", false, "份", false},
    };
    for (size_t i = 0; i < sizeof items / sizeof items[0]; i++)
        CHECK_OK(store_item_put(st, &items[i], &err));
    store_item list[8], one;
    int n = 0;
    CHECK_OK(store_item_list(st, list, 8, &n, &err));
    CHECK_INT(n, 4); /* X1 inactive */
    /* set meals first in insertion order, then staple, then drink */
    CHECK_STR(list[0].code, "A2");
    CHECK_STR(list[1].code, "A1");
    CHECK_STR(list[2].code, "S1");
    CHECK_STR(list[3].code, "K1");
    CHECK_INT(list[1].price_fen, 1500);
    CHECK(list[1].eligible);
    /* an update keeps the place */
    store_item upd = items[1];
    upd.price_fen = 1300;
    CHECK_OK(store_item_put(st, &upd, &err));
    CHECK_OK(store_item_list(st, list, 2, &n, &err));
    CHECK_INT(n, 2);
    CHECK_STR(list[0].code, "A2");
    CHECK_INT(list[0].price_fen, 1300);
    CHECK_OK(store_item_get(st, "S1", &one, &err));
    CHECK_STR(one.name, "米饭");
    CHECK_STR(one.periods, "lunch,dinner");
    CHECK_INT(store_item_get(st, "ZZ", &one, &err), ZC_ENOTFOUND);
    store_item bad = items[0];
    bad.price_fen = -1;
    CHECK_INT(store_item_put(st, &bad, &err), ZC_EINVAL);
    bad = items[0];
    snprintf(bad.category, sizeof bad.category, "snacks");
    CHECK_INT(store_item_put(st, &bad, &err), ZC_EINVAL);
    CHECK(strstr(err.msg, "snacks") != NULL);
    store_close(st);
    tmp_end();
}

/* Pins the wall clock at a local Shanghai moment "YYYY-MM-DDTHH:MM:SS". */
static void clock_at(const char *local)
{
    char v[40];
    zc_err err = {""};
    snprintf(v, sizeof v, "%s+08:00", local);
    CHECK_OK(setenv("ZHUCAN_NOW", v, 1));
    CHECK_OK(zc_clock_init(&err));
}

/* Prices from a moment on and sold out for one day, on a pinned clock. */
static void t_menu_price_sold_out(void)
{
    tmp_begin();
    store_t *st = open_new("m.db");
    zc_err err = {""};
    store_item a1 = {"A1", "红烧肉套餐", "set_meal", 1300, true, "lunch,dinner", true, "", false}, one,
               list[4];
    int n = 0;
    CHECK_OK(zc_tz_set("Asia/Shanghai", &err));
    clock_at("2026-12-07T10:00:00");
    CHECK_OK(store_item_put(st, &a1, &err));
    CHECK_OK(store_item_get(st, "A1", &one, &err));
    CHECK_STR(one.unit, "份"); /* the default unit */
    /* 14.00 from tomorrow 06:00: today still 13.00 */
    zc_datetime at = {{2026, 12, 8}, 6, 0};
    CHECK_OK(store_menu_price(st, "a1", "A1", 1400, zc_tz_epoch(at), &err));
    CHECK_OK(store_item_get(st, "A1", &one, &err));
    CHECK_INT(one.price_fen, 1300);
    clock_at("2026-12-08T05:59:00");
    CHECK_OK(store_item_get(st, "A1", &one, &err));
    CHECK_INT(one.price_fen, 1300);
    clock_at("2026-12-08T06:00:00");
    CHECK_OK(store_item_get(st, "A1", &one, &err));
    CHECK_INT(one.price_fen, 1400);
    CHECK_OK(store_item_list(st, list, 4, &n, &err));
    CHECK_INT(n, 1);
    CHECK_INT(list[0].price_fen, 1400);
    /* sold out at 11:00 on the 8th: gone from the selling list that day only */
    clock_at("2026-12-08T11:00:00");
    CHECK_OK(store_menu_sold_out(st, "c1", "A1", true, &err));
    CHECK_OK(store_item_get(st, "A1", &one, &err));
    CHECK(one.sold_out);
    CHECK_OK(store_item_list(st, list, 4, &n, &err));
    CHECK_INT(n, 0);
    CHECK_OK(store_menu_all(st, list, 4, &n, &err));
    CHECK_INT(n, 1);
    clock_at("2026-12-08T23:59:00");
    CHECK_OK(store_item_list(st, list, 4, &n, &err));
    CHECK_INT(n, 0);
    clock_at("2026-12-09T00:00:30");
    CHECK_OK(store_item_list(st, list, 4, &n, &err));
    CHECK_INT(n, 1);
    CHECK(!list[0].sold_out);
    /* back on sale the same day */
    clock_at("2026-12-09T11:00:00");
    CHECK_OK(store_menu_sold_out(st, "c1", "A1", true, &err));
    CHECK_OK(store_menu_sold_out(st, "c1", "A1", false, &err));
    CHECK_OK(store_item_list(st, list, 4, &n, &err));
    CHECK_INT(n, 1);
    /* an unknown dish, a negative or absurd price */
    CHECK_INT(store_menu_sold_out(st, "c1", "ZZ", true, &err), ZC_ENOTFOUND);
    CHECK_INT(store_menu_price(st, "a1", "A1", -1, zc_now(), &err), ZC_EINVAL);
    CHECK_INT(store_menu_price(st, "a1", "A1", STORE_ITEM_PRICE_MAX + 1, zc_now(), &err), ZC_EINVAL);
    CHECK_OK(unsetenv("ZHUCAN_NOW"));
    CHECK_OK(zc_clock_init(&err));
    store_close(st);
    tmp_end();
}

/* ---- elders and cards ---- */

static zc_elder elder(const char *id, const char *name, zc_date birth)
{
    zc_elder e;
    memset(&e, 0, sizeof e);
    snprintf(e.id, sizeof e.id, "%s", id);
    snprintf(e.name, sizeof e.name, "%s", name);
    e.birth = birth;
    snprintf(e.reg_city, sizeof e.reg_city, "110000");
    return e;
}

static void t_elder_idnum(void)
{
    tmp_begin();
    store_t *st = open_new("e.db");
    zc_err err = {""};
    /* 11010519400315002X is valid: check digit computed by the core */
    char id[19] = "11010519400315002?";
    id[17] = zc_idnum_check_char(id);
    zc_elder e = elder("E1", "张桂英", D(1940, 3, 15)), got;
    e.ncats = 1;
    snprintf(e.cats[0].code, sizeof e.cats[0].code, "disabled_care");
    e.cats[0].level = 2;
    CHECK_OK(store_elder_put(st, &e, id, "138-0000-0001", &err));
    CHECK_OK(store_elder_get(st, "E1", &got, &err));
    CHECK_STR(got.name, "张桂英");
    CHECK_INT(got.ncats, 1);
    CHECK_STR(got.cats[0].code, "disabled_care");
    CHECK_INT(got.cats[0].level, 2);
    CHECK_INT(zc_date_cmp(got.birth, D(1940, 3, 15)), 0);
    CHECK_OK(store_elder_by_idnum(st, id, &got, &err));
    CHECK_STR(got.id, "E1");
    CHECK_STR(q_text(st, "SELECT phone FROM elder WHERE id = 'E1'"), "13800000001");
    CHECK_STR(q_text(st, "SELECT gender FROM elder WHERE id = 'E1'"), "F");
    /* never in clear: not in any column, not in the file */
    CHECK_INT(q_int(st, "SELECT count(*) FROM elder WHERE id_hash LIKE '%19400315%'"), 0);
    /* put again without the ID number keeps the hash */
    e.disability_grade = 2;
    CHECK_OK(store_elder_put(st, &e, NULL, NULL, &err));
    CHECK_OK(store_elder_by_idnum(st, id, &got, &err));
    CHECK_INT(got.disability_grade, 2);
    CHECK_STR(q_text(st, "SELECT phone FROM elder WHERE id = 'E1'"), "13800000001");
    store_close(st);
    FILE *f = fopen(path_of("e.db"), "rb");
    static char bytes[1 << 20];
    size_t n = f ? fread(bytes, 1, sizeof bytes, f) : 0;
    if (f)
        fclose(f);
    CHECK(n > 0);
    CHECK(!contains(bytes, n, id, 18));
    f = fopen(path_of("e.db-wal"), "rb");
    n = f ? fread(bytes, 1, sizeof bytes, f) : 0;
    if (f)
        fclose(f);
    CHECK(!contains(bytes, n, id, 18));
    st = open_new("e.db");
    /* wrong check digit, birth mismatch, same ID for another elder */
    char bad[19];
    snprintf(bad, sizeof bad, "%s", id);
    bad[17] = bad[17] == '1' ? '2' : '1';
    zc_elder e2 = elder("E2", "李四", D(1940, 3, 15));
    CHECK_INT(store_elder_put(st, &e2, bad, NULL, &err), ZC_EINVAL);
    CHECK(strstr(err.msg, "check digit") != NULL);
    e2.birth = D(1940, 3, 16);
    CHECK_INT(store_elder_put(st, &e2, id, NULL, &err), ZC_EINVAL);
    CHECK(strstr(err.msg, "birth_date") != NULL);
    e2.birth = D(1940, 3, 15);
    CHECK_INT(store_elder_put(st, &e2, id, NULL, &err), ZC_ECONFLICT);
    CHECK_INT(store_elder_by_idnum(st, bad, &got, &err), ZC_EINVAL);
    CHECK_INT(store_elder_get(st, "E2", &got, &err), ZC_ENOTFOUND);
    store_close(st);
    tmp_end();
}

static void t_card_find(void)
{
    tmp_begin();
    store_t *st = open_new("k.db");
    zc_err err = {""};
    zc_elder a = elder("EA", "甲", D(1950, 1, 1)), b = elder("EB", "乙", D(1950, 1, 2));
    CHECK_OK(store_elder_put(st, &a, NULL, NULL, &err));
    CHECK_OK(store_elder_put(st, &b, NULL, NULL, &err));
    static const store_card cards[] = {
        {0x0A1B2C3D4Eull, "EA", STORE_CARD_ACTIVE, {0, 0, 0}, {0, 0, 0}},
        {0x0B1B2C3D4Eull, "EB", STORE_CARD_LOST, {0, 0, 0}, {2027, 12, 31}}, /* same low 32 */
        {0x0C001C3D4Full, "EB", STORE_CARD_ACTIVE, {0, 0, 0}, {0, 0, 0}},
    };
    for (size_t i = 0; i < 3; i++)
        CHECK_OK(store_card_put(st, &cards[i], &err));
    store_card bad = {0x0D00000001ull, "NOBODY", STORE_CARD_ACTIVE, {0, 0, 0}, {0, 0, 0}};
    CHECK_INT(store_card_put(st, &bad, &err), ZC_EINVAL);
    CHECK(strstr(err.msg, "NOBODY") != NULL);
    static const struct {
        const char *name;
        uint64_t value;
        int bits, rc;
        const char *elder;
        int status;
    } cases[] = {
        {"hex exact", 0x0A1B2C3D4Eull, 40, ZC_OK, "EA", STORE_CARD_ACTIVE},
        {"hex lost", 0x0B1B2C3D4Eull, 40, ZC_OK, "EB", STORE_CARD_LOST},
        {"hex unknown", 0x0A1B2C3D4Full, 40, ZC_ENOTFOUND, "", 0},
        {"dec10 shared by two", 0x1B2C3D4Eull, 32, ZC_ECONFLICT, "", 0},
        {"dec10 unique", 0x001C3D4Full, 32, ZC_OK, "EB", STORE_CARD_ACTIVE},
        {"dec8 shared", 0x2C3D4Eull, 24, ZC_ECONFLICT, "", 0},
        {"dec8 unique", 0x1C3D4Full, 24, ZC_OK, "EB", STORE_CARD_ACTIVE},
        {"dec8 unknown", 0x123456ull, 24, ZC_ENOTFOUND, "", 0},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        zc_card_key k = {cases[i].value, cases[i].bits};
        store_card c;
        memset(&c, 0, sizeof c);
        int rc = store_card_find(st, &k, &c, &err);
        if (rc != cases[i].rc)
            fprintf(stderr, "  case %s\n", cases[i].name);
        CHECK_INT(rc, cases[i].rc);
        if (cases[i].rc == ZC_OK) {
            CHECK_STR(c.elder_id, cases[i].elder);
            CHECK_INT(c.status, cases[i].status);
            CHECK_INT(c.uid & ((1ull << cases[i].bits) - 1), cases[i].value);
        } else if (cases[i].rc == ZC_ECONFLICT) {
            CHECK(strstr(err.msg, "matches 2 cards; ask for the ID number") != NULL);
        }
    }
    store_card c;
    zc_card_key k = {0x0B1B2C3D4Eull, 40};
    CHECK_OK(store_card_find(st, &k, &c, &err));
    CHECK_INT(zc_date_cmp(c.valid_to, D(2027, 12, 31)), 0);
    /* a card moves to another elder */
    store_card moved = cards[0];
    snprintf(moved.elder_id, sizeof moved.elder_id, "EB");
    CHECK_OK(store_card_put(st, &moved, &err));
    k = (zc_card_key){0x0A1B2C3D4Eull, 40};
    CHECK_OK(store_card_find(st, &k, &c, &err));
    CHECK_STR(c.elder_id, "EB");
    store_close(st);
    tmp_end();
}

static void t_search(void)
{
    tmp_begin();
    store_t *st = open_new("q.db");
    zc_err err = {""};
    static const struct {
        const char *id, *name, *idnum17, *phone;
    } people[] = {
        {"P1", "欧阳小明", "11010519400315001", "13912345678"},
        {"P2", "欧阳娜", "11010519410101002", "13800005678"},
        {"P3", "王秀兰", "11010519500505003", "010-6512-3456"},
        {"P4", "王喆", "11010519520202004", NULL},
    };
    for (size_t i = 0; i < 4; i++) {
        char id[19];
        snprintf(id, sizeof id, "%s?", people[i].idnum17);
        id[17] = zc_idnum_check_char(id);
        zc_date b;
        CHECK_OK(zc_idnum_birth(id, &b));
        zc_elder e = elder(people[i].id, people[i].name, b);
        CHECK_OK(store_elder_put(st, &e, id, people[i].phone, &err));
    }
    char p3id[19] = "11010519500505003?";
    p3id[17] = zc_idnum_check_char(p3id);
    char last4[5];
    snprintf(last4, sizeof last4, "%s", p3id + 14);
    static char q_full[19];
    snprintf(q_full, sizeof q_full, "%s", p3id);
    const struct {
        const char *q;
        int n;
        const char *first;
    } cases[] = {
        {"欧阳", 2, "P2"},       /* name prefix, ordered by name: 欧阳娜 < 欧阳小明 */
        {"欧阳小", 1, "P1"},
        {"王", 2, "P4"},         /* 王喆 < 王秀兰 bytewise */
        {"李", 0, NULL},
        {last4, 1, "P3"},        /* last 4 of ID */
        {"5678", 2, "P2"},       /* phone tails */
        {"12345678", 1, "P1"},   /* phone suffix */
        {"65123456", 1, "P3"},   /* phone with dashes stored as digits */
        {q_full, 1, "P3"},       /* whole ID number */
        {"  欧阳小明 ", 1, "P1"}, /* trimmed */
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        zc_elder out[8];
        int n = -1;
        CHECK_OK(store_elder_search(st, cases[i].q, out, 8, &n, &err));
        if (n != cases[i].n)
            fprintf(stderr, "  query \"%s\"\n", cases[i].q);
        CHECK_INT(n, cases[i].n);
        if (cases[i].first && n > 0)
            CHECK_STR(out[0].id, cases[i].first);
    }
    zc_elder out[1];
    int n;
    CHECK_INT(store_elder_search(st, "   ", out, 1, &n, &err), ZC_EINVAL);
    CHECK_OK(store_elder_search(st, "欧阳", out, 1, &n, &err)); /* cap respected */
    CHECK_INT(n, 1);
    store_close(st);
    tmp_end();
}

/* ---- operators ---- */

static void t_login(void)
{
    tmp_begin();
    store_t *st = open_new("o.db");
    zc_err err = {""};
    CHECK_OK(zc_tz_set("Asia/Shanghai", &err));
    store_operator op = {.id = "c1", .name = "王芳", .role = STORE_ROLE_CASHIER, .active = true}, got;
    CHECK_OK(store_operator_add(st, &op, "1111", &err));
    CHECK_INT(store_operator_add(st, &op, "1111", &err), ZC_ECONFLICT);
    store_operator weak = {.id = "c9", .name = "x", .role = STORE_ROLE_CASHIER, .active = true};
    CHECK_INT(store_operator_add(st, &weak, "12", &err), ZC_EINVAL);
    CHECK_STR(q_text(st, "SELECT pin_hash LIKE 'zk1:%' FROM operator WHERE id='c1'"), "1"); /* sealed */
    /* 2026-11-23 02:00:00 UTC = 10:00 in Beijing */
    const int64_t t0 = 1795399200;
    CHECK_OK(store_operator_login(st, "c1", "1111", t0, &got, &err));
    CHECK_STR(got.name, "王芳");
    for (int i = 1; i <= 4; i++) {
        CHECK_INT(store_operator_login(st, "c1", "0000", t0 + i, &got, &err), ZC_EREFUSED);
        CHECK_INT(got.failed, i);
    }
    CHECK(strstr(err.msg, "1 more wrong PIN locks") != NULL);
    CHECK_INT(store_operator_login(st, "c1", "0000", t0 + 5, &got, &err), ZC_ELOCKED);
    CHECK(strstr(err.msg, "operator c1 is locked until 10:05 (too many wrong PINs); ask a supervisor")
          != NULL);
    /* the right PIN does not open a locked operator */
    CHECK_INT(store_operator_login(st, "c1", "1111", t0 + 200, &got, &err), ZC_ELOCKED);
    CHECK_OK(store_operator_get(st, "c1", &got, &err));
    CHECK_INT(got.locked_until, t0 + 5 + 300);
    /* after 300 s it does, and resets the count */
    CHECK_OK(store_operator_login(st, "c1", "1111", t0 + 305, &got, &err));
    CHECK_INT(got.failed, 0);
    CHECK_INT(got.locked_until, 0);
    /* a success in between resets the count */
    CHECK_INT(store_operator_login(st, "c1", "0000", t0 + 400, &got, &err), ZC_EREFUSED);
    CHECK_OK(store_operator_login(st, "c1", "1111", t0 + 401, &got, &err));
    CHECK_INT(store_operator_login(st, "c1", "0000", t0 + 402, &got, &err), ZC_EREFUSED);
    CHECK_INT(got.failed, 1);
    CHECK_INT(store_operator_login(st, "nobody", "1111", t0, &got, &err), ZC_ENOTFOUND);
    /* each attempt audited: add + 1 + 5 + 1 locked + 1 + 1 + 1 + 1 + unknown */
    CHECK_INT(q_int(st, "SELECT count(*) FROM audit WHERE action LIKE 'login%'"), 12);
    CHECK_INT(q_int(st, "SELECT count(*) FROM audit WHERE action = 'login_failed'"), 7);
    CHECK_INT(q_int(st, "SELECT count(*) FROM audit WHERE action = 'login_locked'"), 1);
    int64_t nrows = 0;
    CHECK_OK(store_audit_verify(st, &nrows, &err));
    CHECK_INT(nrows, 13);
    store_operator list[4];
    int n;
    CHECK_OK(store_operator_list(st, list, 4, &n, &err));
    CHECK_INT(n, 1);
    CHECK_STR(store_role_name(STORE_ROLE_SUPERVISOR), "supervisor");
    store_close(st);
    tmp_end();
}

static void t_audit_chain(void)
{
    tmp_begin();
    store_t *st = open_new("au.db");
    zc_err err = {""};
    for (int i = 0; i < 5; i++)
        CHECK_OK(store_audit(st, "s1", "setting", "tz", i % 2 ? "a|b\nc" : "Asia/Shanghai", &err));
    int64_t n = 0;
    CHECK_OK(store_audit_verify(st, &n, &err));
    CHECK_INT(n, 5);
    CHECK_INT(sqlite3_exec(store_db(st), "UPDATE audit SET detail = 'x' WHERE id = 3", NULL, NULL,
                           NULL) & 0xff, SQLITE_CONSTRAINT); /* the trigger refuses */
    CHECK_INT(sqlite3_exec(store_db(st), "DROP TRIGGER audit_no_change; UPDATE audit SET detail = "
                           "'x' WHERE id = 3", NULL, NULL, NULL), SQLITE_OK);
    CHECK_INT(store_audit_verify(st, &n, &err), ZC_ECONFLICT);
    CHECK_INT(n, 2);
    CHECK(strstr(err.msg, "row 3") != NULL);
    store_close(st);
    tmp_end();
}

/* ---- demo ---- */

static void t_demo_small(void)
{
    tmp_begin();
    store_t *st = open_new("d.db"), *st2 = open_new("d2.db"), *st3 = open_new("d3.db");
    zc_err err = {""};
    const char *bj = beijing();
    CHECK_OK(store_demo_fill(st, bj, 3000, 42, &err));
    CHECK_INT(q_int(st, "SELECT count(*) FROM elder"), 3010);
    CHECK_INT(q_int(st, "SELECT count(*) FROM card"), 3010);
    CHECK_INT(q_int(st, "SELECT count(*) FROM operator"), 4);
    CHECK_INT(q_int(st, "SELECT count(*) FROM policy"), 1);
    CHECK_INT(q_int(st, "SELECT count(*) FROM elder WHERE id_hash IS NULL"), 0);
    CHECK_INT(q_int(st, "SELECT count(*) FROM card WHERE uid NOT LIKE '00%' AND elder_id <= "
                        "'E0000010'"), 0);
    CHECK_INT(q_int(st, "SELECT count(*) FROM card WHERE uid LIKE '00%' AND elder_id > 'E0000010'"),
              0);
    char buf[64];
    static const struct {
        const char *key, *value;
    } meta[] = {{"terminal_id", "T-0001"}, {"canteen_id", "C-0001"}, {"card_format", "hex10"},
                {"tz", "Asia/Shanghai"}};
    for (size_t i = 0; i < 4; i++) {
        CHECK_OK(store_meta_get(st, meta[i].key, buf, sizeof buf));
        CHECK_STR(buf, meta[i].value);
    }
    zc_canteen c;
    CHECK_OK(store_canteen_get(st, &c, &err));
    CHECK_STR(c.name, "朝阳区双井街道老年餐桌");
    CHECK_STR(c.district, "110105");
    store_item it;
    CHECK_OK(store_item_get(st, "A2", &it, &err));
    CHECK_INT(it.price_fen, 1200);
    CHECK(it.eligible);
    CHECK_OK(store_item_get(st, "S1", &it, &err));
    CHECK_INT(it.price_fen, 100);
    CHECK(!it.eligible);
    store_operator op;
    CHECK_OK(store_operator_login(st, "s1", "8888", 1795399200, &op, &err));
    CHECK_INT(op.role, STORE_ROLE_SUPERVISOR);
    /* fixtures: card -> elder and status */
    static const struct {
        uint64_t uid;
        const char *elder;
        int status;
    } fx[] = {
        {0xA1, "E0000001", STORE_CARD_ACTIVE}, {0xA4, "E0000004", STORE_CARD_LOST},
        {0xA5, "E0000005", STORE_CARD_BLOCKED}, {0xA6, "E0000006", STORE_CARD_ACTIVE},
        {0xAA, "E0000010", STORE_CARD_ACTIVE},
    };
    for (size_t i = 0; i < sizeof fx / sizeof fx[0]; i++) {
        store_card card;
        zc_card_key k = {fx[i].uid, 40};
        CHECK_OK(store_card_find(st, &k, &card, &err));
        CHECK_STR(card.elder_id, fx[i].elder);
        CHECK_INT(card.status, fx[i].status);
    }
    zc_elder e;
    CHECK_OK(store_elder_get(st, "E0000010", &e, &err));
    CHECK_INT(e.birth.m * 100 + e.birth.d, 229);
    CHECK_OK(store_elder_get(st, "E0000007", &e, &err));
    CHECK_INT(e.status, ZC_ELDER_SUSPENDED);
    CHECK_OK(store_elder_get(st, "E0000008", &e, &err));
    CHECK_STR(e.reg_city, "130000");
    /* plausible synthetic data */
    CHECK_INT(q_int(st, "SELECT count(*) FROM elder WHERE birth < '1925-07-01' OR birth > "
                        "'1966-12-31'"), 0);
    int64_t young = q_int(st, "SELECT count(*) FROM elder WHERE birth > '1956-07-01'");
    int64_t old = q_int(st, "SELECT count(*) FROM elder WHERE birth < '1946-07-01'");
    CHECK(young > old * 2); /* skewed young */
    int64_t dibao = q_int(st, "SELECT count(*) FROM elder WHERE categories LIKE '%dibao%' AND "
                              "categories NOT LIKE '%dibao_edge%'");
    CHECK(dibao > 120 && dibao < 260); /* ~6% of 3000 */
    int64_t lost = q_int(st, "SELECT count(*) FROM card WHERE status = 'lost'");
    CHECK(lost > 10 && lost < 60); /* ~1% */
    CHECK(q_int(st, "SELECT count(*) FROM elder WHERE reg_city <> '110000'") > 60);
    CHECK(q_int(st, "SELECT count(*) FROM elder WHERE substr(name, 1, 2) IN "
                    "('欧阳','司马','上官','诸葛')") > 0);
    CHECK(q_int(st, "SELECT count(*) FROM elder WHERE name GLOB '*[喆堃燊淼昇䶮]*'") > 0);
    /* deterministic from the seed */
    CHECK_OK(store_demo_fill(st2, bj, 3000, 42, &err));
    CHECK_OK(store_demo_fill(st3, bj, 3000, 43, &err));
    const char *sql = "SELECT group_concat(name || birth || categories || status, ',') FROM "
                      "(SELECT * FROM elder WHERE id > 'E0000010' ORDER BY id LIMIT 20)";
    char a[256], b[256];
    snprintf(a, sizeof a, "%s", q_text(st, sql));
    snprintf(b, sizeof b, "%s", q_text(st2, sql));
    CHECK_STR(a, b);
    const char *uids = "SELECT group_concat(uid) FROM (SELECT uid FROM card ORDER BY elder_id)";
    snprintf(a, sizeof a, "%s", q_text(st, uids));
    snprintf(b, sizeof b, "%s", q_text(st2, uids));
    CHECK_STR(a, b);
    snprintf(a, sizeof a, "%s", q_text(st, sql));
    snprintf(b, sizeof b, "%s", q_text(st3, sql));
    CHECK(strcmp(a, b) != 0);
    /* not twice */
    CHECK_INT(store_demo_fill(st, bj, 10, 42, &err), ZC_ECONFLICT);
    store_close(st);
    store_close(st2);
    store_close(st3);
    tmp_end();
}

static const check_case cases[] = {
    {"open_creates", t_open_creates},
    {"open_missing", t_open_missing},
    {"open_not_a_db", t_open_not_a_db},
    {"open_newer_refused", t_open_newer_refused},
    {"salt_and_reopen", t_salt_and_reopen},
    {"readonly", t_readonly},
    {"meta", t_meta},
    {"canteen", t_canteen},
    {"policy", t_policy},
    {"items", t_items},
    {"menu_price_sold_out", t_menu_price_sold_out},
    {"elder_idnum", t_elder_idnum},
    {"card_find", t_card_find},
    {"search", t_search},
    {"login", t_login},
    {"audit_chain", t_audit_chain},
    {"demo_small", t_demo_small},
    {0},
};

int main(int argc, char **argv) { return check_main("test_store", cases, argc, argv); }
