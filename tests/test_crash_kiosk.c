/* test_crash_kiosk.c - faults seen from the kiosk's screens (state machine
 * and draw lists, no display), on real demo databases:
 *   - a full disk while paying: the sale is refused in words, the screen
 *     stays on payment, nothing earlier is lost, and the same payment goes
 *     through once space returns.  The disk fills through a thin SQLite VFS
 *     over the real one whose writes answer SQLITE_FULL (what SQLite makes
 *     of ENOSPC) while `disk_full` is set: no root, no mount, and the very
 *     moment is chosen.  test_crash_faults.sh fills a real tmpfs.
 *   - the clock jumping back by hours: a warning, and sales still go in
 *     sequence order with an intact chain;
 *   - a damaged database: the recovery screen, wrong PINs counted and
 *     locked, the backup restored with a supervisor PIN from the backup;
 *     no backup at all;
 *   - a policy that ended with no successor: selling stops with words. */
#include <sqlite3.h>

#include "../app/core/embed.h"
#include "../app/store/store_raw.h"
#include "../app/store/backup.h"
#include "../app/store/sale_load.h"
#include "kiosk_fixture.h"

/* ---- a full disk on demand: the default VFS with a failing xWrite ----
 * The unix VFS gives a database and its WAL different method tables, so
 * each real table gets its own copy with xWrite swapped. */
#define FAULT_TABLES 8
static sqlite3_vfs fault_vfs, *real_vfs;
static struct {
    const sqlite3_io_methods *real;
    sqlite3_io_methods copy;
} fault_io[FAULT_TABLES];
static int disk_full;

static const sqlite3_io_methods *real_of(const sqlite3_file *f)
{
    for (int i = 0; i < FAULT_TABLES; i++)
        if (f->pMethods == &fault_io[i].copy)
            return fault_io[i].real;
    abort();
}

static int fault_write(sqlite3_file *f, const void *buf, int n, sqlite3_int64 off)
{
    return disk_full ? SQLITE_FULL : real_of(f)->xWrite(f, buf, n, off);
}

/* The real open; then the file's methods are the real ones but xWrite. */
static int fault_open(sqlite3_vfs *v, const char *name, sqlite3_file *f, int flags, int *out)
{
    (void)v;
    int rc = real_vfs->xOpen(real_vfs, name, f, flags, out);
    for (int i = 0; rc == SQLITE_OK && f->pMethods && i < FAULT_TABLES; i++) {
        if (!fault_io[i].real) {
            fault_io[i].real = f->pMethods;
            fault_io[i].copy = *f->pMethods;
            fault_io[i].copy.xWrite = fault_write;
        }
        if (fault_io[i].real == f->pMethods) {
            f->pMethods = &fault_io[i].copy;
            break;
        }
    }
    return rc;
}

static void fault_vfs_install(void)
{
    real_vfs = sqlite3_vfs_find(NULL);
    fault_vfs = *real_vfs;
    fault_vfs.zName = "zhucan-fault";
    fault_vfs.xOpen = fault_open;
    if (sqlite3_vfs_register(&fault_vfs, 1) != SQLITE_OK)
        abort();
}

static int64_t sales(void)
{
    sqlite3_stmt *s = NULL;
    int64_t n = -1;
    if (sqlite3_prepare_v2(store_db(till_store(till)), "SELECT count(*) FROM sale", -1, &s, NULL) == SQLITE_OK &&
        sqlite3_step(s) == SQLITE_ROW)
        n = sqlite3_column_int64(s, 0);
    sqlite3_finalize(s);
    return n;
}

static void chain_ok(int64_t want)
{
    int64_t n = -1;
    zc_err err = {{0}};
    CHECK_OK(store_chain_verify(till_store(till), &n, &err));
    CHECK_INT(n, want);
}

/* The sale at A2, cash, exact: done or not. */
static void sell_a2(void)
{
    tap("item:A2");
    tap("pay_cash");
    tap("tender:exact");
}

static void t_disk_full(void)
{
    fresh_db("crashk");
    at("2026-11-23 11:30");
    open_kiosk();
    open_shift("20");
    sell_a2();
    CHECK_STR(kiosk_screen_name(k), "done");
    tap("next");
    disk_full = 1;
    for (int i = 0; i < 3; i++) { /* the cashier tries again: still refused, never "done" */
        if (i == 0)
            sell_a2();
        else
            tap("tender:exact");
        CHECK_STR(kiosk_screen_name(k), "pay_cash");
        CHECK(shows("磁盘已满")); /* in the screen's words, no English */
        CHECK(shows("未保存"));
        CHECK(!shows("disk full"));
    }
    disk_full = 0;
    CHECK_INT(sales(), 1);
    chain_ok(1);
    /* space is back: the same payment goes through */
    tap("tender:exact");
    CHECK_STR(kiosk_screen_name(k), "done");
    CHECK_INT(sales(), 2);
    chain_ok(2);
    cleanup();
}

static void t_clock_back(void)
{
    fresh_db("crashk");
    at("2026-11-23 18:00");
    open_kiosk();
    open_shift("20");
    sell_a2();
    CHECK_STR(kiosk_screen_name(k), "done");
    tap("next");
    CHECK(!shows("时钟比上一笔交易早"));
    at("2026-11-23 11:00"); /* seven hours back */
    ev_after(1500, KEV_TICK, NULL, 0);
    CHECK(shows("时钟比上一笔交易早 7 小时"));
    sell_a2(); /* still sells */
    CHECK_STR(kiosk_screen_name(k), "done");
    chain_ok(2);
    sqlite3_stmt *s = NULL;
    CHECK_INT(sqlite3_prepare_v2(store_db(till_store(till)), "SELECT group_concat(seq || '@' || local_time, ',') "
                                 "FROM (SELECT seq, local_time FROM sale ORDER BY seq)", -1, &s, NULL), SQLITE_OK);
    CHECK_INT(sqlite3_step(s), SQLITE_ROW);
    CHECK_STR((const char *)sqlite3_column_text(s, 0), "1@2026-11-23 18:00,2@2026-11-23 11:00");
    sqlite3_finalize(s);
    /* an hour is the threshold: minutes back (a clock fixed by NTP) say nothing */
    tap("next");
    at("2026-11-23 10:30");
    ev_after(1500, KEV_TICK, NULL, 0);
    CHECK(!shows("时钟比上一笔交易早"));
    cleanup();
}

/* Scribbles over pages 2.. of the database file (the header stays). */
static void damage(const char *path)
{
    FILE *f = fopen(path, "r+b");
    CHECK(f != NULL);
    if (!f)
        return;
    char junk[4096];
    memset(junk, 0x5a, sizeof junk);
    fseek(f, 4096, SEEK_SET);
    for (int i = 0; i < 40; i++)
        fwrite(junk, 1, sizeof junk, f);
    fclose(f);
}

static void open_recover(void)
{
    zc_err err = {{0}};
    CHECK_INT(store_health(dbpath, &err), ZC_EDB);
    CHECK(strstr(err.msg, "damaged") != NULL);
    kiosk_opts o = {.lang = "zh_CN", .clock = fake_clock};
    CHECK_OK(kiosk_create_recover(dbpath, &o, &k, &err));
    redraw();
}

static void t_recover(void)
{
    char made[512];
    zc_err err = {{0}};
    fresh_db("crashk");
    at("2026-11-23 11:30");
    open_kiosk();
    open_shift("20");
    sell_a2();
    tap("next");
    CHECK_OK(store_backup_auto(till_store(till), made, sizeof made, &err));
    sell_a2(); /* after the backup: only in the damaged file */
    kiosk_free(k);
    k = NULL;
    till_close(till);
    till = NULL;
    damage(dbpath);

    open_recover();
    CHECK_STR(kiosk_screen_name(k), "recover");
    CHECK(shows("数据库已损坏，本机暂停收银"));
    CHECK(ui_draw_find_text(&draw, strrchr(made, '/') + 1) != NULL);
    CHECK(shows("zhucan restore --db"));
    CHECK(ui_widget_find(&draw, "op:c1") == NULL); /* cashiers cannot restore */
    tap("op:s1");
    for (int i = 0; i < 5; i++) {
        type_pin("1234");
        tap("restore");
        CHECK(shows("密码错误"));
    }
    type_pin("8888"); /* right, but locked for five minutes */
    tap("restore");
    CHECK(shows("密码错误次数过多"));
    CHECK_STR(kiosk_screen_name(k), "recover");
    ms += 5 * 60 * 1000;
    type_pin("8888");
    tap("restore");
    CHECK_STR(kiosk_screen_name(k), "login");
    CHECK(shows("已从备份恢复"));
    /* the restored database: the sale before the backup, an intact chain */
    int64_t n = -1;
    CHECK_OK(store_backup_check(dbpath, &n, &err));
    CHECK_INT(n, 1);
    /* the damaged file is kept beside it */
    char cmd[256];
    snprintf(cmd, sizeof cmd, "ls %s/t.db.damaged-* >/dev/null 2>&1", dir);
    CHECK_INT(system(cmd), 0);
    /* and the till sells on it */
    tap("op:c1");
    type_pin("1111");
    tap("ok");
    CHECK(strcmp(kiosk_screen_name(k), "sell") == 0 || strcmp(kiosk_screen_name(k), "shift_open") == 0);
    kiosk_free(k); /* closes the till it opened */
    k = NULL;
    cleanup();
}

static void t_recover_no_backup(void)
{
    fresh_db("crashk");
    till_close(till);
    till = NULL;
    damage(dbpath);
    open_recover();
    CHECK(shows("没有找到完好的备份："));
    CHECK(ui_widget_find(&draw, "restore") == NULL);
    tap("quit");
    CHECK(kiosk_quit_requested(k));
    cleanup();
}

static void t_truncated(void)
{
    fresh_db("crashk");
    till_close(till);
    till = NULL;
    struct stat sb;
    CHECK_OK(stat(dbpath, &sb));
    CHECK_OK(truncate(dbpath, sb.st_size / 2));
    open_recover();
    CHECK_STR(kiosk_screen_name(k), "recover");
    CHECK_OK(truncate(dbpath, 0)); /* and emptied: SQLite would call it new */
    zc_err err = {{0}};
    CHECK_INT(store_health(dbpath, &err), ZC_EDB);
    CHECK(strstr(err.msg, "empty") != NULL);
    cleanup();
}

static void t_policy_expired(void)
{
    fresh_db("crashk");
    CHECK_INT(sqlite3_exec(store_db(till_store(till)), "UPDATE policy SET effective_to = '2026-11-01'", NULL, NULL,
                           NULL), SQLITE_OK);
    till_close(till); /* a new connection: no cached policy */
    zc_err err = {{0}};
    CHECK_OK(till_open(dbpath, 0, &till, &err));
    at("2026-11-23 11:30");
    open_kiosk();
    open_shift("20");
    tap("item:A1");
    CHECK(shows("没有生效的补贴政策"));
    tap("pay_cash");
    CHECK_STR(kiosk_screen_name(k), "sell");
    CHECK_INT(sales(), 0);
    cleanup();
}

static const check_case cases[] = {
    {"disk_full", t_disk_full},
    {"clock_back", t_clock_back},
    {"recover", t_recover},
    {"recover_no_backup", t_recover_no_backup},
    {"truncated", t_truncated},
    {"policy_expired", t_policy_expired},
    {0},
};

int main(int argc, char **argv)
{
    ui_draw_init(&draw, NULL, NULL);
    fault_vfs_install();
    int rc = check_main("test_crash_kiosk", cases, argc, argv);
    cleanup();
    return rc;
}
