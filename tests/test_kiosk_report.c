/* test_kiosk_report.c - the kiosk's 报表 screen driven by events and checked
 * by its draw list: the supervisor gate, the day and month figures against
 * the store, the bar chart's bars, navigation, the shift view, export into
 * a folder and the folder pulled out, and the layout at two sizes. */
#include <sqlite3.h>

#include "../app/core/embed.h"
#include "../app/store/store_raw.h"
#include "../app/store/report.h"
#include "kiosk_fixture.h"

#define C_MEALS 0x2E8B57u /* the chart's meal bars (kiosk_report.c) */

static char usb[128];

static void sell(const char *card, const char *items, const char *when, bool mobile)
{
    zc_err err = {{0}};
    zc_datetime t;
    zc_cart cart;
    till_ident id = {0};
    store_sale_res res;
    CHECK_OK(zc_datetime_parse(when, &t));
    if (card)
        CHECK_OK(till_identify(till, card, t.date, &id, &err));
    CHECK_OK(till_cart_parse(till, items, &cart, &err));
    store_sale_req req = {.operator_id = "c1", .elder = card ? &id.elder : NULL, .cart = &cart,
                          .at_utc = zc_tz_epoch(t), .at = t, .pay = mobile ? STORE_PAY_MOBILE : STORE_PAY_CASH,
                          .pay_ref = mobile ? "WX9" : NULL};
    CHECK_OK(store_sale_commit(till_store(till), &req, &res, &err));
}

/* A demo canteen with sales on the 18th and 20th of November (three at
 * lunch, one at dinner on the 20th), a cashier logged in with a shift. */
static void fresh(void)
{
    zc_err err = {{0}};
    fresh_db("krep");
    snprintf(usb, sizeof usb, "%s/usb", dir);
    if (mkdir(usb, 0700) != 0 || store_meta_set(till_store(till), "export_dir", usb, &err) != ZC_OK) {
        fprintf(stderr, "setup: %s\n", err.msg);
        abort();
    }
    sell("00000000A1", "A1", "2026-11-18 11:30", false);
    sell("00000000A1", "A1", "2026-11-20 11:30", false);
    sell("00000000A2", "A2", "2026-11-20 11:35", true);
    sell(NULL, "A3", "2026-11-20 11:40", false);
    sell("00000000A3", "A1", "2026-11-20 17:30", false);
    at("2026-11-20 18:00");
    open_kiosk();
    open_shift("20");
}

/* Meal bars on screen: rectangles in the chart's meal colour, heights out. */
static int meal_bars(int *heights, int cap)
{
    int n = 0;
    for (int i = 0; i < draw.ncmds; i++)
        if (draw.cmds[i].kind == UI_CMD_RECT && draw.cmds[i].color == C_MEALS && draw.cmds[i].r.h > 30) {
            if (n < cap)
                heights[n] = draw.cmds[i].r.h;
            n++;
        }
    return n; /* the legend's square is 30 px and not counted */
}

static void t_gate(void)
{
    fresh();
    tap("reports");
    CHECK_STR(kiosk_screen_name(k), "login"); /* a cashier needs a supervisor */
    CHECK(!ui_widget_find(&draw, "op:c2"));
    login("s1", "8888");
    CHECK_STR(kiosk_screen_name(k), "report");
    tap("back");
    CHECK_STR(kiosk_screen_name(k), "sell");
    /* a cashier's own PIN does not open them */
    tap("reports");
    login("s1", "1111");
    CHECK_STR(kiosk_screen_name(k), "pin");
    cleanup();
}

static void t_day_and_chart(void)
{
    zc_err err = {{0}};
    store_report *r = calloc(1, sizeof *r);
    char buf[64], a[24];
    int h[8];
    fresh();
    tap("reports");
    login("s1", "8888");
    CHECK(shows("2026-11-20"));
    CHECK_OK(store_report_range(till_store(till), (zc_date){2026, 11, 20}, (zc_date){2026, 11, 20}, r, &err));
    CHECK_INT(r->total.meals, 4);
    snprintf(buf, sizeof buf, "用餐 %ld 笔", r->total.meals);
    CHECK(shows(buf));
    snprintf(buf, sizeof buf, "补贴 %s 元", zc_fen_fmt(r->total.subsidy, a, sizeof a));
    CHECK(shows(buf));
    snprintf(buf, sizeof buf, "移动支付 %s 元", zc_fen_fmt(r->total.mobile, a, sizeof a));
    CHECK(shows(buf));
    CHECK(shows("午餐  3 笔"));
    CHECK(shows("来源 区级"));
    /* two periods: lunch's bar three times dinner's */
    CHECK_INT(meal_bars(h, 8), 2);
    CHECK(h[0] > 2 * h[1] && h[0] < 4 * h[1]);
    /* tomorrow is refused, yesterday is empty, the 18th has one meal */
    tap("next");
    CHECK(shows("不能查看未来的日期"));
    CHECK(shows("2026-11-20"));
    tap("prev");
    CHECK(shows("2026-11-19"));
    CHECK(shows("没有交易"));
    CHECK_INT(meal_bars(h, 8), 0);
    tap("prev");
    CHECK(shows("用餐 1 笔"));
    tap("today");
    CHECK(shows("2026-11-20"));
    /* the month: a bar per day with sales */
    tap("view:month");
    CHECK(shows("2026-11"));
    CHECK(shows("用餐 5 笔"));
    CHECK_INT(meal_bars(h, 8), 2);
    CHECK(shows("每日用餐与补贴"));
    tap("prev");
    CHECK(shows("2026-10"));
    CHECK(shows("用餐 0 笔"));
    free(r);
    cleanup();
}

static void t_shift_view(void)
{
    fresh();
    tap("reports");
    login("s1", "8888");
    tap("view:shift");
    CHECK(shows("班次 #1 王芳"));
    CHECK(shows("未交班"));
    CHECK(shows("备用金 20.00"));
    cleanup();
}

static bool file_starts(const char *path, const char *head)
{
    char buf[256] = "";
    FILE *f = fopen(path, "rb");
    size_t n = f ? fread(buf, 1, sizeof buf - 1, f) : 0;
    if (f)
        fclose(f);
    buf[n] = '\0';
    return strncmp(buf, head, strlen(head)) == 0;
}

static void t_export(void)
{
    char path[300];
    fresh();
    tap("reports");
    login("s1", "8888");
    tap("export");
    CHECK_STR(kiosk_screen_name(k), "export");
    CHECK(shows("日报 2026-11-20"));
    const ui_widget *w = ui_widget_find(&draw, "dir:0");
    CHECK(w != NULL);
    CHECK(shows(usb));
    tap("dir:0");
    CHECK(shows("导出成功，已写入 2 个文件"));
    snprintf(path, sizeof path, "%s/zhucan-T-0001-daily-2026-11-20.csv", usb);
    CHECK(shows(path));
    CHECK(file_starts(path, "\xEF\xBB\xBF分组,项目,名称,餐数"));
    snprintf(path, sizeof path, "%s/zhucan-T-0001-ledger-2026-11-20.csv", usb);
    CHECK(file_starts(path, "\xEF\xBB\xBF序号,时间,餐次"));
    /* the stick pulled out: said in words, the file named */
    rm_tree(usb);
    tap("dir:0");
    CHECK(shows("找不到这个文件夹，U盘是否已拔出？"));
    CHECK(ui_draw_find_text(&draw, "/usb") != NULL);
    /* and a fresh scan no longer offers it */
    tap("rescan");
    CHECK(!ui_widget_find(&draw, "dir:0"));
    CHECK(shows("没有找到U盘"));
    sqlite3_stmt *s = NULL;
    int audited = -1;
    if (sqlite3_prepare_v2(store_db(till_store(till)), "SELECT count(*) FROM audit WHERE action = 'report_export'",
                           -1, &s, NULL) == SQLITE_OK && sqlite3_step(s) == SQLITE_ROW)
        audited = sqlite3_column_int(s, 0);
    sqlite3_finalize(s);
    CHECK_INT(audited, 2);
    tap("back");
    CHECK_STR(kiosk_screen_name(k), "report");
    cleanup();
}

/* Every widget and text inside the screen, nothing overflowing, at both sizes. */
static void check_layout(int w, int h)
{
    kiosk_draw(k, &draw, w, h);
    CHECK(!draw.overflow);
    for (int i = 0; i < draw.nwidgets; i++) {
        ui_rect r = draw.widgets[i].r;
        if (r.x < 0 || r.y < 0 || r.x + r.w > w || r.y + r.h > h)
            fprintf(stderr, "  widget %s off screen at %dx%d\n", draw.widgets[i].id, w, h);
        CHECK(r.x >= 0 && r.y >= 0 && r.x + r.w <= w && r.y + r.h <= h);
    }
    for (int i = 0; i < draw.ncmds; i++) {
        ui_rect r = draw.cmds[i].r;
        CHECK(r.x >= 0 && r.y >= 0 && r.x + r.w <= w && r.y + r.h <= h);
        if (draw.cmds[i].kind == UI_CMD_TEXT)
            CHECK(draw.cmds[i].size >= 14); /* readable from a metre */
    }
}

static void t_layouts(void)
{
    static const char *const views[] = {"view:day", "view:month", "view:shift", "export"};
    fresh();
    tap("reports");
    login("s1", "8888");
    for (int i = 0; i < 4; i++) {
        tap(views[i]);
        check_layout(1920, 1080);
        check_layout(1280, 800);
    }
    cleanup();
}

/* After a shift closes, and before one opens: no shift needed to look. */
static void t_without_shift(void)
{
    fresh();
    tap("shift_close");
    login("s1", "8888");
    tap("key:2");
    tap("key:0");
    tap("confirm");
    CHECK_STR(kiosk_screen_name(k), "zreport");
    tap("reports");
    login("s1", "8888");
    CHECK_STR(kiosk_screen_name(k), "report");
    CHECK(shows("用餐 4 笔"));
    tap("back");
    CHECK_STR(kiosk_screen_name(k), "zreport");
    tap("done");
    /* a cashier's shift opening offers no reports; a supervisor's does */
    login("c1", "1111");
    CHECK_STR(kiosk_screen_name(k), "shift_open");
    CHECK(!ui_widget_find(&draw, "reports"));
    tap("back");
    login("s1", "8888");
    CHECK_STR(kiosk_screen_name(k), "shift_open");
    tap("reports");
    CHECK_STR(kiosk_screen_name(k), "report");
    tap("view:shift");
    CHECK(shows("班次 #1 王芳"));
    CHECK(shows("实点现金 20.00"));
    tap("back");
    CHECK_STR(kiosk_screen_name(k), "shift_open");
    cleanup();
}

static const check_case cases[] = {
    {"without_shift", t_without_shift},
    {"gate", t_gate},       {"day_and_chart", t_day_and_chart}, {"shift_view", t_shift_view},
    {"export", t_export},   {"layouts", t_layouts},             {0},
};

int main(int argc, char **argv)
{
    zc_err err = {{0}};
    if (zc_tz_set("Asia/Shanghai", &err) != ZC_OK)
        return 2;
    return check_main("test_kiosk_report", cases, argc, argv);
}
