/* test_kiosk.c - the kiosk's screens driven by events, checked by their
 * draw lists and state: no display needed.  Uses a real demo database. */
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../app/core/embed.h"
#include "../app/store/shift.h"
#include "../app/ui/kiosk.h"
#include "check.h"

static char dir[64], dbpath[128];
static till_t *till;
static kiosk_t *k;
static ui_draw draw;
static int64_t fake_now;
static int64_t ms;

static int64_t fake_clock(void) { return fake_now; }

static void at(const char *when)
{
    zc_datetime t;
    if (zc_datetime_parse(when, &t) != ZC_OK)
        abort();
    fake_now = zc_tz_epoch(t);
}

static void redraw(void) { kiosk_draw(k, &draw, 1920, 1080); }

static void ev(kiosk_ev_kind kind, const char *s, int key)
{
    kiosk_ev e = {.kind = kind, .now_ms = (ms += 100), .key = key};
    if (kind == KEV_TAP)
        snprintf(e.id, sizeof e.id, "%s", s);
    else if (s)
        snprintf(e.text, sizeof e.text, "%s", s);
    kiosk_handle(k, &e);
    redraw();
}

/* Taps a widget that must be on the current screen. */
static void tap(const char *id)
{
    redraw();
    if (!ui_widget_find(&draw, id))
        fprintf(stderr, "  (no widget '%s' on screen %s)\n", id, kiosk_screen_name(k));
    CHECK(ui_widget_find(&draw, id) != NULL);
    ev(KEV_TAP, id, 0);
}

static void card(const char *line) { ev(KEV_CARD, line, 0); }
static bool shows(const char *text) { return ui_draw_has_text(&draw, text); }

/* Removes the previous test database and its directory. */
static void cleanup(void)
{
    static const char *const sfx[] = {"", "-wal", "-shm"};
    char p[160];
    kiosk_free(k);
    till_close(till);
    k = NULL;
    till = NULL;
    if (!dir[0])
        return;
    for (int i = 0; i < 3; i++) {
        snprintf(p, sizeof p, "%s%s", dbpath, sfx[i]);
        unlink(p);
    }
    rmdir(dir);
    dir[0] = '\0';
}

static void fresh(void)
{
    zc_err err = {{0}};
    cleanup();
    snprintf(dir, sizeof dir, "/tmp/zhucan-kiosk.XXXXXX");
    if (!mkdtemp(dir))
        abort();
    snprintf(dbpath, sizeof dbpath, "%s/t.db", dir);
    if (till_open(dbpath, STORE_CREATE, &till, &err) != ZC_OK ||
        store_demo_fill(till_store(till), embed_get("db/policies/beijing.json"), 50, 3, &err) != ZC_OK ||
        till_reload(till, &err) != ZC_OK) {
        fprintf(stderr, "setup: %s\n", err.msg);
        abort();
    }
    at("2026-11-23 11:30");
    kiosk_opts o = {.lang = "zh_CN", .clock = fake_clock};
    if (kiosk_create(till, &o, &k, &err) != ZC_OK) {
        fprintf(stderr, "kiosk: %s\n", err.msg);
        abort();
    }
    redraw();
}

static void login(const char *op, const char *pin)
{
    char id[32];
    snprintf(id, sizeof id, "op:%s", op);
    if (strcmp(kiosk_screen_name(k), "login") == 0) /* a wrong PIN stays on the pad */
        tap(id);
    for (const char *p = pin; *p; p++) {
        char key[8];
        snprintf(key, sizeof key, "pin:%c", *p);
        tap(key);
    }
    tap("ok");
}

static void login_and_open(void)
{
    fresh();
    login("c1", "1111");
    CHECK_STR(kiosk_screen_name(k), "shift_open");
    tap("key:2");
    tap("key:0");
    tap("key:0");
    tap("confirm");
    CHECK_STR(kiosk_screen_name(k), "sell");
}

static void t_login_screen(void)
{
    fresh();
    CHECK_STR(kiosk_screen_name(k), "login");
    CHECK(shows("王芳"));
    CHECK(shows("赵敏"));
    CHECK(ui_widget_find(&draw, "op:c1") != NULL);
}

static void t_wrong_pin_and_lockout(void)
{
    fresh();
    for (int i = 0; i < 5; i++)
        login("c2", "9999");
    CHECK_STR(kiosk_screen_name(k), "pin");
    tap("cancel");
    login("c2", "2222"); /* the right PIN, but locked now */
    CHECK_STR(kiosk_screen_name(k), "pin");
    CHECK(shows("locked") || shows("锁"));
}

static void t_sell_elder_cash(void)
{
    char snd[32];
    login_and_open();
    tap("item:A1");
    CHECK(shows("请付 15.00 元"));
    while (kiosk_next_sound(k, snd, sizeof snd)) {}
    card("00000000A1");
    CHECK(!shows("请刷卡"));
    CHECK(shows("请付 10.00 元"));
    CHECK(shows("补贴 5.00 元"));
    CHECK(shows("区级"));
    CHECK(shows("今日剩余 0 次"));
    /* spoken: card accepted, then the subsidy and what to pay */
    bool heard_ok = false, heard_pay = false;
    while (kiosk_next_sound(k, snd, sizeof snd)) {
        heard_ok |= strcmp(snd, "card_ok") == 0;
        heard_pay |= strcmp(snd, "pay") == 0;
    }
    CHECK(heard_ok && heard_pay);
    tap("pay_cash");
    CHECK_STR(kiosk_screen_name(k), "pay_cash");
    tap("tender:20");
    CHECK(shows("找零 10.00 元"));
    tap("confirm");
    CHECK_STR(kiosk_screen_name(k), "done");
    CHECK(shows("找零 10.00 元"));
    /* the sale is on disk before "done" is shown */
    store_sale_row rows[2];
    int n = 0;
    CHECK_OK(store_sale_recent(till_store(till), rows, 2, &n, NULL));
    CHECK_INT(n, 1);
    CHECK_INT(rows[0].subsidy, 500);
    CHECK_INT(rows[0].pay, 1000);
    /* the next card starts a new sale; the daily limit is used now */
    card("00000000A1");
    CHECK_STR(kiosk_screen_name(k), "sell");
    CHECK(shows("按原价继续"));
}

static void t_refusals(void)
{
    static const struct {
        const char *card, *words;
    } cases[] = {
        {"00000000A4", "此卡已挂失"},
        {"00000000A5", "此卡已停用"},
        {"00000000A6", "此卡已过期"},
        {"00000000A7", "补贴资格已暂停"},
        {"00000FFFFF", "此卡未登记"},
        {"12345", "无法识别"},
    };
    login_and_open();
    tap("item:A1");
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        card(cases[i].card);
        if (!shows(cases[i].words))
            fprintf(stderr, "  card %s: '%s' not shown\n", cases[i].card, cases[i].words);
        CHECK(shows(cases[i].words));
        CHECK(ui_widget_find(&draw, "refusal:continue") != NULL);
        tap("refusal:continue");
        CHECK(shows("请付 15.00 元")); /* full price */
        CHECK(!shows(cases[i].words));
    }
    /* cancel drops the elder too */
    card("00000000A4");
    tap("refusal:cancel");
    CHECK(shows("请刷卡"));
}

static void t_outside_period(void)
{
    login_and_open();
    at("2026-11-23 15:00");
    tap("item:A1");
    card("00000000A1");
    CHECK(ui_widget_find(&draw, "refusal:continue") != NULL);
    tap("refusal:continue");
    CHECK(shows("请付 15.00 元"));
    /* the cashier can override the period */
    tap("period"); /* breakfast */
    tap("period"); /* lunch */
    card("00000000A1");
    CHECK(shows("请付 10.00 元"));
}

static void t_mobile_and_void(void)
{
    login_and_open();
    tap("item:A1");
    card("00000000A2");
    tap("pay_mobile");
    tap("confirm"); /* no reference yet */
    CHECK_STR(kiosk_screen_name(k), "pay_mobile");
    ev(KEV_CARD, "WX20261123001", 0); /* a scanner types the reference and Enter */
    CHECK_STR(kiosk_screen_name(k), "done");
    tap("next");
    tap("recent");
    CHECK_STR(kiosk_screen_name(k), "recent");
    CHECK(shows("移动支付"));
    tap("sale:0");
    tap("void");
    CHECK_STR(kiosk_screen_name(k), "login"); /* supervisor authorisation */
    CHECK(ui_widget_find(&draw, "op:c2") == NULL);
    login("s1", "8888");
    CHECK_STR(kiosk_screen_name(k), "void_reason");
    tap("reason:0");
    CHECK_STR(kiosk_screen_name(k), "recent");
    CHECK(shows("已作废"));
    /* the meal went back to the elder's allowance */
    tap("back");
    tap("item:A1");
    card("00000000A2");
    CHECK(shows("请付 10.00 元"));
}

static void t_lookup(void)
{
    login_and_open();
    tap("lookup");
    login("s1", "8888");
    CHECK_STR(kiosk_screen_name(k), "lookup");
    ev(KEV_TEXT, "13800000001", 0); /* E0000001's phone (docs/demo.md) */
    tap("search");
    CHECK(ui_widget_find(&draw, "found:0") != NULL);
    tap("found:0");
    CHECK_STR(kiosk_screen_name(k), "sell");
    CHECK(!shows("请刷卡"));
}

static void t_shift_close(void)
{
    login_and_open();
    tap("item:A1");
    card("00000000A1");
    tap("pay_cash");
    tap("tender:exact");
    CHECK_STR(kiosk_screen_name(k), "done");
    tap("next");
    tap("shift_close");
    tap("key:2");
    tap("key:1");
    tap("key:0");
    tap("confirm");
    CHECK_STR(kiosk_screen_name(k), "zreport");
    CHECK(shows("应有现金 210.00"));
    CHECK(shows("实点现金 210.00"));
    CHECK(shows("区级"));
}

static void t_receipt(void)
{
    char printer[160];
    struct stat sb;
    login_and_open();
    snprintf(printer, sizeof printer, "%s/receipts.bin", dir);
    CHECK_OK(store_meta_set(till_store(till), "printer", printer, NULL));
    tap("item:A1");
    card("00000000A1");
    tap("pay_cash");
    tap("tender:exact");
    CHECK_STR(kiosk_screen_name(k), "done");
    CHECK(shows("小票已打印"));
    CHECK(stat(printer, &sb) == 0 && sb.st_size > 100);
    off_t first = sb.st_size;
    tap("reprint");
    CHECK(shows("已补打小票"));
    CHECK(stat(printer, &sb) == 0 && sb.st_size > first);
    /* a missing printer never loses the sale */
    CHECK_OK(store_meta_set(till_store(till), "printer", "/dev/zhucan-no-such-lp0", NULL));
    tap("next");
    tap("item:A2");
    tap("pay_cash");
    tap("tender:exact");
    CHECK_STR(kiosk_screen_name(k), "done");
    CHECK(shows("/dev/zhucan-no-such-lp0"));
    store_sale_row rows[4];
    int n = 0;
    CHECK_OK(store_sale_recent(till_store(till), rows, 4, &n, NULL));
    CHECK_INT(n, 2);
    unlink(printer);
}

static void t_layouts(void)
{
    static const int sizes[][2] = {{1920, 1080}, {1366, 768}, {1280, 800}};
    login_and_open();
    tap("item:A1");
    card("00000000A1");
    for (size_t i = 0; i < 3; i++) {
        kiosk_draw(k, &draw, sizes[i][0], sizes[i][1]);
        CHECK(!draw.overflow);
        for (int w = 0; w < draw.nwidgets; w++) {
            ui_rect r = draw.widgets[w].r;
            CHECK(r.x >= 0 && r.y >= 0 && r.x + r.w <= sizes[i][0] && r.y + r.h <= sizes[i][1]);
        }
        /* big enough to touch: at least ~9 mm on a 15" panel */
        const ui_widget *pay = ui_widget_find(&draw, "pay_cash");
        CHECK(pay && pay->r.h >= 60);
    }
}

static const check_case cases[] = {
    {"login_screen", t_login_screen},   {"wrong_pin_lockout", t_wrong_pin_and_lockout},
    {"sell_elder_cash", t_sell_elder_cash}, {"refusals", t_refusals},
    {"outside_period", t_outside_period}, {"mobile_and_void", t_mobile_and_void},
    {"lookup", t_lookup},                {"shift_close", t_shift_close},
    {"receipt", t_receipt},              {"layouts", t_layouts},
    {NULL, NULL},
};

int main(int argc, char **argv)
{
    if (zc_secure_init() != 0)
        return 1;
    int rc = check_main("test_kiosk", cases, argc, argv);
    cleanup();
    return rc;
}
