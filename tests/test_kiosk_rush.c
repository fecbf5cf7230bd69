/* test_kiosk_rush.c - the lunch rush and the elder's view (issue 12): the
 * screen moving on its own while idle, the cashier's 餐次 choice holding
 * across sales, a second card in a queue, and the words on Chinese and
 * customer screens.  Drives the kiosk by events and reads its draw lists. */
#include "../app/core/civil.h"
#include "kiosk_fixture.h"

static ui_draw cust; /* the elder's screen */

static void card(const char *line) { ev(KEV_CARD, line, 0); }

static void fresh_at(const char *when)
{
    fresh_db("rush");
    at(when);
    open_kiosk();
}

static void elder_screen(void) { kiosk_draw_customer(k, &cust, 1920, 1080); }

/* Lets s seconds pass with nobody touching the screen, waking the way the
 * host's loop does: sleep kiosk_wait_ms, tick when it says 0. */
static void idle(int s)
{
    int64_t end = ms + (int64_t)s * 1000, base = fake_now, start = ms;
    while (ms < end) {
        int w = kiosk_wait_ms(k, ms);
        if (w < 0 || w > 1000)
            w = 1000; /* the test's own clock moves in at most 1 s steps */
        if (ms + w > end)
            w = (int)(end - ms);
        ms += w;
        fake_now = base + (ms - start) / 1000;
        if (kiosk_wait_ms(k, ms) == 0)
            ev_after(0, KEV_TICK, NULL, 0);
    }
    redraw();
}

/* True when some text on the last draw holds two ASCII lower-case letters
 * in a row: English words, not codes ("套餐A", "00000000A4"). */
static bool has_english(const ui_draw *d)
{
    for (int i = 0; i < d->ncmds; i++) {
        if (d->cmds[i].kind != UI_CMD_TEXT)
            continue;
        for (const char *p = d->cmds[i].text; p[0] && p[1]; p++)
            if (p[0] >= 'a' && p[0] <= 'z' && p[1] >= 'a' && p[1] <= 'z') {
                fprintf(stderr, "  (English on a Chinese screen: '%s')\n", d->cmds[i].text);
                return true;
            }
    }
    return false;
}

static void t_idle_clock(void)
{
    fresh_at("2026-11-23 10:28");
    idle(1);
    CHECK(shows("餐次 非供餐时间"));
    open_shift("200");
    CHECK(ui_widget_find(&draw, "item:A1") == NULL || shows("餐次 非供餐时间"));
    /* nobody touches the screen; lunch starts at 10:30 */
    idle(150);
    CHECK(shows("2026-11-23 10:30"));
    CHECK(shows("餐次 午餐"));
    CHECK(!shows("非供餐时间"));
    CHECK(ui_widget_find(&draw, "item:A1") != NULL);
    /* and the login screen knows the meal period before any sale */
    fresh_at("2026-11-23 11:30");
    idle(1);
    CHECK(shows("餐次 午餐"));
}

static void t_period_sticky(void)
{
    fresh_at("2026-11-23 10:15");
    open_shift("200");
    tap("period");
    tap("period");
    CHECK(shows("餐次 午餐（手动）"));
    for (int i = 0; i < 2; i++) {
        tap("item:A1");
        card(i ? "00000000A2" : "00000000A1");
        CHECK(shows("请付 10.00 元"));
        tap("pay_cash");
        tap("tender:exact");
        CHECK_STR(kiosk_screen_name(k), "done");
        tap("next");
        /* the next sale keeps the cashier's choice: no extra taps */
        CHECK(shows("餐次 午餐（手动）"));
    }
    idle(20 * 60); /* lunch begins: still lunch */
    CHECK(shows("餐次 午餐"));
    at("2026-11-23 13:29");
    idle(120); /* lunch is over: the clock decides again */
    CHECK(shows("餐次 非供餐时间"));
    CHECK(!shows("（手动）"));
}

static void t_second_card(void)
{
    fresh_at("2026-11-23 11:30");
    open_shift("200");
    tap("item:A1");
    card("00000000A1");
    CHECK(shows("请付 10.00 元"));
    /* the next elder in the queue taps early: nothing changes by itself */
    card("00000000A2");
    CHECK(ui_widget_find(&draw, "swap:keep") != NULL);
    CHECK(shows("张*英"));
    CHECK(shows("李*国"));
    tap("swap:keep");
    CHECK(ui_widget_find(&draw, "swap:keep") == NULL);
    elder_screen();
    CHECK(ui_draw_has_text(&cust, "张*英"));
    /* again, and this time it is the new elder's meal */
    card("00000000A2");
    tap("swap:new");
    elder_screen();
    CHECK(ui_draw_has_text(&cust, "李*国"));
    CHECK(!ui_draw_has_text(&cust, "张*英"));
    /* a refused card in the queue does not take the elder off the sale */
    card("00000000A4");
    CHECK(shows("此卡已挂失"));
    tap("refusal:continue");
    elder_screen();
    CHECK(ui_draw_has_text(&cust, "李*国"));
    CHECK(shows("请付 10.00 元"));
}

static void t_words(void)
{
    fresh_at("2026-11-23 11:30");
    open_shift("200");
    tap("item:A1");
    CHECK(shows("合计 15.00   应付 15.00"));
    CHECK(!shows("−0.00"));
    tap("clear");
    /* refusals: the Chinese screen carries no English detail line */
    static const char *const cards[] = {"00000000A4", "00000000A5", "00000000A6", "00000000A7", "00000FFFFF",
                                        "12345XYZ00"};
    for (size_t i = 0; i < sizeof cards / sizeof cards[0]; i++) {
        tap("item:A1");
        card(cards[i]);
        CHECK(ui_widget_find(&draw, "refusal:cancel") != NULL);
        CHECK(!has_english(&draw));
        elder_screen();
        CHECK(!has_english(&cust));
        tap("refusal:cancel");
        tap("clear");
    }
    /* an 86-year-old without a category is not "ordinary" */
    tap("item:A1");
    card("00000000A1");
    CHECK(!shows("普通老人"));
    CHECK(shows("高龄老人（80 岁以上）"));
    elder_screen();
    CHECK(ui_draw_has_text(&cust, "本餐补贴 5.00 元"));
    tap("clear");
    /* a 低保 elder: the cashier sees the category, the customer window never */
    tap("item:A1");
    card("00000000A2");
    CHECK(shows("低保"));
    elder_screen();
    CHECK(ui_draw_has_text(&cust, "李*国"));
    CHECK(!ui_draw_has_text(&cust, "低保"));
    CHECK(!has_english(&draw));
}

static void t_cart_scroll(void)
{
    static const char *const dishes[] = {"D1", "D2", "D3", "D4", "D5", "D6", "D7", "D8"};
    char id[32];
    fresh_at("2026-11-23 11:30");
    open_shift("200");
    tap("item:A1");
    for (int c = 0; c < 8 && !ui_widget_find(&draw, "item:D1"); c++) { /* the 菜品 tab */
        snprintf(id, sizeof id, "cat:%d", c);
        tap(id);
    }
    for (size_t i = 0; i < sizeof dishes / sizeof dishes[0]; i++) {
        snprintf(id, sizeof id, "item:%s", dishes[i]);
        tap(id);
        snprintf(id, sizeof id, "dec:%s", dishes[i]);
        CHECK(ui_widget_find(&draw, id) != NULL); /* what was just added is in view */
    }
    CHECK(ui_widget_find(&draw, "dec:A1") == NULL);
    CHECK(shows("▲ 上面 6 项"));
    /* every line can be reached, and changed, by scrolling */
    while (ui_widget_find(&draw, "dec:A1") == NULL && ui_widget_find(&draw, "cart:up")->enabled)
        tap("cart:up");
    CHECK(ui_widget_find(&draw, "dec:A1") != NULL);
    tap("inc:A1");
    CHECK(ui_widget_find(&draw, "dec:A1") != NULL);
    CHECK(shows("▼ 下面"));
    while (ui_widget_find(&draw, "cart:down")->enabled)
        tap("cart:down");
    CHECK(ui_widget_find(&draw, "dec:D8") != NULL);
    /* the elder's screen names the first dishes and how many there are, uncut */
    elder_screen();
    CHECK(ui_draw_has_text(&cust, "套餐A 两荤一素×2、红烧肉×1、西红柿炒鸡蛋×1 等 9 样"));
    for (int i = 0; i < cust.ncmds; i++)
        if (cust.cmds[i].kind == UI_CMD_TEXT)
            CHECK(cust.cmds[i].r.x + cust.cmds[i].r.w <= 1920);
}

static void t_mobile_honest(void)
{
    fresh_at("2026-11-23 11:30");
    open_shift("200");
    tap("item:A1");
    card("00000000A1");
    tap("pay_mobile");
    /* it says the till takes no money itself */
    CHECK(shows("本机不扣款，只记录单号"));
    CHECK(!shows("请扫描付款码"));
    ev(KEV_CARD, "4200001234", 0); /* the reference from the 收款码 app */
    CHECK_STR(kiosk_screen_name(k), "done");
    CHECK(!shows("支付成功"));
    CHECK(shows("✓ 已记录移动支付"));
    CHECK(ui_draw_find_text(&draw, "4200001234") != NULL);
    elder_screen();
    CHECK(!ui_draw_has_text(&cust, "✓ 支付成功"));
    CHECK(ui_draw_has_text(&cust, "✓ 已记录付款"));
}

static void t_void_confirm(void)
{
    fresh_at("2026-11-23 11:30");
    open_shift("200");
    tap("item:A1");
    card("00000000A1");
    tap("pay_cash");
    tap("tender:20");
    tap("confirm");
    tap("next");
    tap("recent");
    tap("sale:0");
    tap("void");
    login("s1", "8888");
    CHECK_STR(kiosk_screen_name(k), "void_reason");
    /* which sale, and the cash to hand back, before anything happens */
    CHECK(shows("请退还现金 10.00 元"));
    CHECK(ui_draw_find_text(&draw, "张*英") != NULL);
    tap("void:confirm"); /* no reason yet: nothing happens */
    CHECK_STR(kiosk_screen_name(k), "void_reason");
    tap("reason:1");
    CHECK_STR(kiosk_screen_name(k), "void_reason"); /* a reason alone voids nothing */
    tap("void:confirm");
    CHECK_STR(kiosk_screen_name(k), "recent");
    /* the voided row is marked and greyed, and cannot be picked again */
    const ui_cmd *c = ui_draw_find_text(&draw, "× #1");
    CHECK(c != NULL);
    CHECK(c && c->color != 0x161616);
    CHECK(!ui_widget_find(&draw, "sale:0")->enabled);
}

static void t_lookup_letters(void)
{
    zc_elder found[8];
    int n = 0;
    fresh_at("2026-11-23 11:30");
    open_shift("200");
    tap("item:A1");
    tap("lookup");
    login("s1", "8888");
    CHECK_STR(kiosk_screen_name(k), "lookup");
    /* letters on the screen: the pinyin initials of 张桂英 */
    tap("kb:Z");
    tap("kb:G");
    tap("kb:Y");
    CHECK(shows("ZGY"));
    tap("search");
    CHECK(ui_draw_find_text(&draw, "张*英") != NULL);
    tap("found:0");
    CHECK_STR(kiosk_screen_name(k), "sell");
    CHECK(shows("请付 10.00 元"));
    /* an ID number's X can be typed */
    tap("lookup");
    login("s1", "8888");
    tap("kb:1");
    tap("kb:2");
    tap("kb:3");
    tap("kb:X");
    CHECK(shows("123X"));
    /* the store: initials in any case, prefixes, names with a level-2 character */
    CHECK_OK(store_elder_search(till_store(till), "lzq", found, 8, &n, NULL));
    CHECK(n >= 1 && strcmp(found[0].name, "刘志强") == 0);
    CHECK_OK(store_elder_search(till_store(till), "ZG", found, 8, &n, NULL));
    bool zgy = false, zgz = false;
    for (int i = 0; i < n; i++) {
        zgy |= strcmp(found[i].name, "张桂英") == 0;
        zgz |= strcmp(found[i].name, "周桂芝") == 0;
    }
    CHECK(zgy && zgz);
}

static void t_quick_tender(void)
{
    fresh_at("2026-11-23 11:30");
    open_shift("200");
    tap("item:A1");
    tap("item:A2");
    card("00000000A1"); /* 27.00 - 5.00 = 22.00 */
    CHECK(shows("请付 22.00 元"));
    tap("pay_cash");
    tap("tender:20");
    tap("tender:5"); /* a 20 and a 5: 25 handed over */
    CHECK(shows("找零 3.00 元"));
    tap("confirm");
    CHECK_STR(kiosk_screen_name(k), "done");
    CHECK(shows("找零 3.00 元"));
}

static void t_next_meal(void)
{
    fresh_at("2026-11-23 10:00");
    open_shift("200");
    tap("period");
    tap("period"); /* 餐次 午餐: the dishes are on the menu */
    tap("item:A1");
    tap("period"); /* 晚餐 */
    tap("period"); /* back to the clock: no meal period now */
    card("00000000A1");
    CHECK(ui_widget_find(&draw, "refusal:continue") != NULL);
    CHECK(shows("午餐 10:30 开始"));
    elder_screen();
    CHECK(ui_draw_has_text(&cust, "午餐 10:30 开始"));
}

/* True when some text on the last draw holds a full-width sign an English
 * reader would not write (（ ） ， ： ！). */
static bool has_fullwidth(const ui_draw *d)
{
    static const char *const signs[] = {"（", "）", "，", "：", "！"};
    for (int i = 0; i < d->ncmds; i++)
        for (size_t j = 0; j < sizeof signs / sizeof signs[0]; j++)
            if (d->cmds[i].kind == UI_CMD_TEXT && strstr(d->cmds[i].text, signs[j])) {
                fprintf(stderr, "  (full-width on an English screen: '%s')\n", d->cmds[i].text);
                return true;
            }
    return false;
}

static void t_english(void)
{
    zc_err err = {{0}};
    fresh_db("rush-en");
    at("2026-11-23 11:30");
    kiosk_opts o = {.lang = "en", .clock = fake_clock};
    if (kiosk_create(till, &o, &k, &err) != ZC_OK)
        abort();
    redraw();
    open_shift("200");
    tap("item:A1");
    card("00000000A2");
    CHECK(shows("Minimum income (dibao)"));
    CHECK(!shows("[dibao]"));
    CHECK(shows("(District 5.00)"));
    CHECK(!has_fullwidth(&draw));
}

/* The clips queued since the last call, space-separated. */
static void heard(char *buf, size_t n)
{
    char snd[32];
    size_t o = 0;
    buf[0] = '\0';
    while (kiosk_next_sound(k, snd, sizeof snd)) {
        int w = snprintf(buf + o, n - o, "%s%s", o ? " " : "", snd);
        if (w > 0 && (size_t)w < n - o)
            o += (size_t)w;
    }
}

static void t_voice(void)
{
    char said[256];
    fresh_at("2026-11-23 11:30");
    open_shift("200");
    tap("item:A1");
    heard(said, sizeof said);
    card("00000000A1");
    heard(said, sizeof said);
    CHECK_STR(said, "tone_ok pay n10 yuan"); /* the amount to pay, first and alone */
    tap("pay_cash");
    heard(said, sizeof said);
    tap("tender:20");
    tap("confirm");
    heard(said, sizeof said);
    CHECK_STR(said, "change n10 yuan");
    tap("next");
    card("00000000A2"); /* no dishes yet: just that the card was read */
    heard(said, sizeof said);
    CHECK_STR(said, "tone_ok card_ok");
}

static void t_long_dish_name(void)
{
    char id[16];
    fresh_at("2026-11-23 11:30");
    open_shift("200");
    for (int c = 0; c < 8 && !ui_widget_find(&draw, "item:S4"); c++) { /* the 主食 tab */
        snprintf(id, sizeof id, "cat:%d", c);
        tap(id);
    }
    /* 猪肉白菜饺子(半斤) in two readable lines, not one line shrunk */
    for (int size = 0; size < 2; size++) {
        kiosk_draw(k, &draw, size ? 1280 : 1920, size ? 800 : 1080);
        const ui_cmd *c = ui_draw_find_text(&draw, "猪肉");
        CHECK(c != NULL);
        CHECK(c && c->size >= (size ? 22 : 33));
        CHECK(ui_draw_find_text(&draw, "半斤") != NULL);
    }
    redraw();
}

static const check_case cases[] = {
    {"idle_clock", t_idle_clock},     {"period_sticky", t_period_sticky},
    {"second_card", t_second_card},   {"words", t_words},
    {"cart_scroll", t_cart_scroll},   {"mobile_honest", t_mobile_honest},
    {"void_confirm", t_void_confirm}, {"lookup_letters", t_lookup_letters},
    {"quick_tender", t_quick_tender}, {"next_meal", t_next_meal},
    {"english", t_english},           {"voice", t_voice},
    {"long_dish_name", t_long_dish_name},
    {NULL, NULL},
};

int main(int argc, char **argv)
{
    if (zc_secure_init() != 0)
        return 1;
    int rc = check_main("test_kiosk_rush", cases, argc, argv);
    cleanup();
    return rc;
}
