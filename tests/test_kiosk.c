/* test_kiosk.c - the kiosk's screens driven by events, checked by their
 * draw lists and state: no display needed.  Uses a real demo database. */
#include <sqlite3.h>

#include "../app/core/embed.h"
#include "../app/store/store_raw.h"
#include "../app/store/sale_load.h"
#include "../app/store/shift.h"
#include "kiosk_fixture.h"

static ui_draw cust; /* the elder's screen */

static void card(const char *line) { ev(KEV_CARD, line, 0); }

static void fresh(void)
{
    fresh_db("kiosk");
    at("2026-11-23 11:30");
    open_kiosk();
}

static void login_and_open(void)
{
    fresh();
    open_shift("200");
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
    CHECK(shows("本餐后今日还剩 0 次"));
    /* spoken: one short sentence, what to pay */
    bool heard_tone = false, heard_pay = false;
    while (kiosk_next_sound(k, snd, sizeof snd)) {
        heard_tone |= strcmp(snd, "tone_ok") == 0;
        heard_pay |= strcmp(snd, "pay") == 0;
    }
    CHECK(heard_tone && heard_pay);
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

/* A card before any dish: the elder is not told "no subsidy". */
static void t_card_before_dishes(void)
{
    login_and_open();
    card("00000000A2");
    CHECK(shows("选择套餐后计算补贴"));
    CHECK(!shows("本餐无补贴"));
    tap("item:A1");
    CHECK(shows("请付 10.00 元"));
    CHECK(!shows("选择套餐后计算补贴"));
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
    tap("void:confirm");
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

static int audits(const char *action, const char *subject);

/* The status bar names the operator's role, not always "cashier". */
static void t_status_role(void)
{
    login_and_open();
    CHECK(shows("收银员 王芳"));
    fresh();
    login("s1", "8888");
    tap("key:1");
    tap("confirm");
    CHECK_STR(kiosk_screen_name(k), "sell");
    CHECK(shows("主管 赵敏"));
    CHECK(!shows("收银员 赵敏"));
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
    /* supervisors close shifts: the cashier is asked for a supervisor */
    tap("shift_close");
    CHECK_STR(kiosk_screen_name(k), "login");
    CHECK(ui_widget_find(&draw, "op:c1") == NULL); /* only supervisors and admins offered */
    CHECK(ui_widget_find(&draw, "op:s1") != NULL);
    tap("cancel");
    CHECK_STR(kiosk_screen_name(k), "sell");
    tap("shift_close");
    login("s1", "8888");
    CHECK_STR(kiosk_screen_name(k), "shift_close");
    tap("key:2");
    tap("key:1");
    tap("key:0");
    tap("confirm");
    CHECK_STR(kiosk_screen_name(k), "zreport");
    CHECK(shows("应有现金 210.00"));
    CHECK(shows("实点现金 210.00"));
    CHECK(shows("区级"));
    CHECK_INT(audits("approve", "shift_close"), 1);
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


/* The elder's screen at w x h; true when it shows text. */
static bool cust_at(int w, int h, const char *text)
{
    kiosk_draw_customer(k, &cust, w, h);
    return ui_draw_has_text(&cust, text);
}
static bool cust_shows(const char *text) { return cust_at(1920, 1080, text); }

/* Every text of the elder's screen inside it, nothing touchable, no overflow. */
static void cust_sane(int w, int h)
{
    kiosk_draw_customer(k, &cust, w, h);
    CHECK(!cust.overflow);
    CHECK_INT(cust.nwidgets, 0);
    for (int i = 0; i < cust.ncmds; i++) {
        ui_rect r = cust.cmds[i].r;
        CHECK(r.x >= 0 && r.y >= 0 && r.x + r.w <= w && r.y + r.h <= h);
    }
}

/* The pixel size of the first text containing needle on the elder's screen. */
static int cust_size(const char *needle)
{
    kiosk_draw_customer(k, &cust, 1920, 1080);
    const ui_cmd *c = ui_draw_find_text(&cust, needle);
    return c ? c->size : 0;
}

static void t_customer_display(void)
{
    zc_elder e;
    fresh();
    /* before anyone sells: welcome, but no card prompt (cards go nowhere yet) */
    CHECK(cust_shows("欢迎用餐"));
    CHECK(cust_shows("请稍候"));
    CHECK(!cust_shows("请刷卡"));
    login("c1", "1111");
    tap("key:2");
    tap("confirm");
    /* idle at the till */
    CHECK(cust_shows("欢迎用餐"));
    CHECK(cust_shows("请刷卡"));
    cust_sane(1920, 1080);
    /* dishes first: the public price */
    tap("item:A1");
    CHECK(cust_shows("未刷卡按原价"));
    CHECK(cust_shows("请付 15.00 元"));
    /* identified: masked name, age, tiers, allowance, subsidy by source, what to pay */
    card("00000000A1");
    CHECK_OK(store_elder_get(till_store(till), "E0000001", &e, NULL));
    char masked[ZC_NAME_MAX], age[32];
    zc_name_mask(e.name, masked, sizeof masked);
    snprintf(age, sizeof age, "%d 岁", zc_age_on(e.birth, (zc_date){2026, 11, 23}));
    CHECK(cust_shows(masked));
    CHECK(!cust_shows(e.name)); /* never the full name to the room */
    CHECK(cust_shows(age));
    CHECK(cust_shows("高龄老人（80 岁以上）")); /* the age in words, never a category */
    CHECK(!cust_shows("["));
    CHECK(cust_shows("本餐后今日还剩 0 次"));
    CHECK(cust_shows("补贴 5.00 元"));
    CHECK(cust_shows("区级 5.00"));
    CHECK(cust_shows("请付 10.00 元"));
    CHECK(cust_size(masked) >= 64);         /* very large type at 1080p */
    CHECK(cust_size("请付 10.00 元") >= 150); /* the amount the largest */
    CHECK(cust_size("本餐补贴 5.00 元") >= 100); /* and the subsidy nearly as large */
    cust_sane(1920, 1080);
    cust_sane(1280, 800);
    CHECK(cust_at(1280, 800, "请付 10.00 元"));
    /* cash: what was handed over and the change while the cashier types */
    tap("pay_cash");
    tap("tender:20");
    CHECK(cust_shows("找零 10.00 元"));
    tap("confirm");
    /* done */
    CHECK(cust_shows("✓ 已付款"));
    CHECK(cust_shows("谢谢"));
    CHECK(cust_shows("找零 10.00 元"));
    cust_sane(1280, 800);
    /* a refused card: the words with a symbol, and what to do */
    tap("next");
    tap("item:A1");
    card("00000000A4");
    CHECK(cust_shows("× 此卡已挂失"));
    CHECK(cust_shows("请到社区补办新卡"));
    CHECK(!cust_shows("请付"));
    tap("refusal:cancel");
    /* a limit: the same elder again today */
    card("00000000A1");
    CHECK(cust_shows("× "));
    CHECK(cust_shows("本餐可按原价用餐"));
    CHECK(cust_shows(masked));
    cust_sane(1280, 800);
    tap("refusal:continue");
    CHECK(cust_shows("请付 15.00 元"));
    /* logged out: cards go nowhere, so no card prompt */
    tap("logout");
    CHECK(cust_shows("请稍候"));
    CHECK(!cust_shows("请刷卡"));
}

/* Counts audit rows of an action about a subject. */
static int audits(const char *action, const char *subject)
{
    sqlite3_stmt *s = NULL;
    int n = -1;
    if (sqlite3_prepare_v2(store_db(till_store(till)), "SELECT count(*) FROM audit WHERE action = ? AND subject = ?",
                           -1, &s, NULL) == SQLITE_OK) {
        sqlite3_bind_text(s, 1, action, -1, SQLITE_STATIC);
        sqlite3_bind_text(s, 2, subject, -1, SQLITE_STATIC);
        if (sqlite3_step(s) == SQLITE_ROW)
            n = sqlite3_column_int(s, 0);
    }
    sqlite3_finalize(s);
    return n;
}

/* The printer file's bytes (at most cap) and their length. */
static size_t slurp(const char *path, char *buf, size_t cap)
{
    FILE *f = fopen(path, "rb");
    size_t n = 0;
    if (f) {
        n = fread(buf, 1, cap, f);
        fclose(f);
    }
    return n;
}

static bool has_bytes(const char *hay, size_t n, const char *needle)
{
    size_t m = strlen(needle);
    for (size_t i = 0; i + m <= n; i++)
        if (memcmp(hay + i, needle, m) == 0)
            return true;
    return false;
}

static void t_reprint_recent(void)
{
    static char bytes[65536];
    static store_sale_full sale;
    char printer[160];
    store_sale_row rows[4];
    int n = 0;
    login_and_open();
    snprintf(printer, sizeof printer, "%s/receipts.bin", dir);
    CHECK_OK(store_meta_set(till_store(till), "printer", printer, NULL));
    /* an elder's cash sale, then a mobile sale */
    tap("item:A1");
    card("00000000A1");
    tap("pay_cash");
    tap("tender:20");
    tap("confirm");
    tap("next");
    tap("item:A2");
    tap("pay_mobile");
    ev(KEV_CARD, "WX20261123777", 0);
    CHECK_STR(kiosk_screen_name(k), "done");
    tap("next");
    CHECK_OK(store_sale_recent(till_store(till), rows, 4, &n, NULL));
    CHECK_INT(n, 2);
    /* the store gives the whole sale back */
    CHECK_OK(store_sale_load(till_store(till), rows[1].id, &sale, NULL));
    CHECK_INT(sale.seq, 1);
    CHECK_INT(sale.nlines, 1);
    CHECK_STR(sale.lines[0].code, "A1");
    CHECK_INT(sale.nparts, 1);
    CHECK_STR(sale.parts[0].source, "district");
    CHECK_STR(sale.parts[0].rule_name, "助餐补贴每日5元");
    CHECK_INT(sale.tendered, 2000);
    CHECK_STR(sale.pay_method, "cash");
    CHECK_STR(sale.operator_name, "王芳");
    CHECK_INT(store_sale_load(till_store(till), "no-such-sale", &sale, NULL), ZC_ENOTFOUND);
    unlink(printer);
    /* recent sales: nothing selected yet */
    tap("recent");
    tap("reprint");
    CHECK(shows("请先选择一笔交易"));
    CHECK(access(printer, F_OK) != 0);
    /* the older, mobile-paid one is row 0: pick the elder's cash sale (row 1) */
    tap("sale:1");
    tap("reprint");
    CHECK(shows("已补打小票 #1"));
    size_t len = slurp(printer, bytes, sizeof bytes);
    CHECK(len > 100);
    CHECK(has_bytes(bytes, len, "\xb2\xb9\xb4\xf2")); /* 补打 in GB18030: marked as a reprint */
    CHECK(has_bytes(bytes, len, "20.00"));            /* tendered */
    CHECK(!has_bytes(bytes, len, "WX20261123777"));   /* not the other sale */
    CHECK_INT(audits("reprint", rows[1].id), 1);
    /* and the mobile one, with its payment reference */
    unlink(printer);
    tap("sale:0");
    tap("reprint");
    len = slurp(printer, bytes, sizeof bytes);
    CHECK(has_bytes(bytes, len, "WX20261123777"));
    CHECK_INT(audits("reprint", rows[0].id), 1);
    /* a printer that is not there: a message, the sale untouched; the
     * attempt is audited all the same (the audit comes before the paper) */
    CHECK_OK(store_meta_set(till_store(till), "printer", "/dev/zhucan-no-such-lp0", NULL));
    tap("reprint");
    CHECK(shows("/dev/zhucan-no-such-lp0"));
    CHECK_STR(kiosk_screen_name(k), "recent");
    CHECK_INT(audits("reprint", rows[0].id), 2);
    CHECK_OK(store_sale_recent(till_store(till), rows, 4, &n, NULL));
    CHECK_INT(n, 2);
    CHECK(!rows[0].voided && !rows[1].voided);
    unlink(printer);
}

/* Taps each character of s on the on-screen keyboard, switching case as needed. */
static void kb_type(const char *s)
{
    for (const char *p = s; *p; p++) {
        char id[8];
        bool upper = *p >= 'A' && *p <= 'Z', lower = *p >= 'a' && *p <= 'z';
        redraw();
        if ((upper && !ui_widget_find(&draw, "kb:A")) || (lower && !ui_widget_find(&draw, "kb:a")))
            tap("kb:shift");
        snprintf(id, sizeof id, "kb:%c", *p);
        tap(id);
    }
}

static void t_keyboard_settings(void)
{
    char val[256];
    fresh();
    login("a1", "9999");
    tap("key:1");
    tap("confirm");
    tap("settings");
    CHECK_STR(kiosk_screen_name(k), "settings");
    /* a server URL by taps alone */
    tap("set:server_url");
    CHECK(ui_widget_find(&draw, "kb:h") != NULL);
    CHECK(ui_widget_find(&draw, "kb:/") != NULL);
    tap("kb:clear");
    kb_type("ftp:x");
    tap("save"); /* refused: stays in the editor with the reason */
    CHECK(shows("http://"));
    CHECK(ui_widget_find(&draw, "kb:back") != NULL);
    tap("kb:clear");
    kb_type("https://zc-Centre.example.cn:8443/v1_");
    tap("kb:back"); /* the last character goes */
    CHECK(shows("https://zc-Centre.example.cn:8443/v1_"));
    tap("save");
    CHECK(ui_widget_find(&draw, "kb:h") == NULL); /* back on the list */
    CHECK(shows("已保存 服务器地址"));
    CHECK_OK(store_meta_get(till_store(till), "server_url", val, sizeof val));
    CHECK_STR(val, "https://zc-Centre.example.cn:8443/v1");
    CHECK_INT(audits("setting", "server_url"), 1);
    /* the printer path, and back without saving keeps the old value */
    tap("set:printer");
    tap("kb:clear");
    kb_type("/dev/usb/lp0");
    tap("save");
    CHECK_OK(store_meta_get(till_store(till), "printer", val, sizeof val));
    CHECK_STR(val, "/dev/usb/lp0");
    tap("set:terminal_id");
    kb_type("X9");
    tap("back");
    CHECK_OK(store_meta_get(till_store(till), "terminal_id", val, sizeof val));
    CHECK(strstr(val, "X9") == NULL);
    /* the keyboard fits every layout and its keys are big enough to hit */
    tap("set:tz");
    static const int sizes[][2] = {{1920, 1080}, {1366, 768}, {1280, 800}};
    for (size_t i = 0; i < 3; i++) {
        kiosk_draw(k, &draw, sizes[i][0], sizes[i][1]);
        CHECK(!draw.overflow);
        const ui_widget *key = ui_widget_find(&draw, "kb:q");
        CHECK(key && key->r.w >= 60 && key->r.h >= 60);
        const ui_widget *save = ui_widget_find(&draw, "save");
        CHECK(save && save->r.y + save->r.h <= sizes[i][1]);
    }
    redraw();
}

static const check_case cases[] = {
    {"login_screen", t_login_screen},   {"wrong_pin_lockout", t_wrong_pin_and_lockout},
    {"sell_elder_cash", t_sell_elder_cash}, {"refusals", t_refusals},   {"card_before_dishes", t_card_before_dishes},
    {"outside_period", t_outside_period}, {"mobile_and_void", t_mobile_and_void},
    {"lookup", t_lookup},                {"shift_close", t_shift_close},
    {"status_role", t_status_role},
    {"receipt", t_receipt},              {"layouts", t_layouts},
    {"customer_display", t_customer_display}, {"reprint_recent", t_reprint_recent},
    {"keyboard_settings", t_keyboard_settings},
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
