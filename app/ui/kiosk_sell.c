/* kiosk_sell.c - the selling screen: menu, cart, the elder panel, refusals;
 * and the sale being built (k->sale), which payment (kiosk_pay.c) commits.
 *
 * The cart and the elder can come in either order: dishes first and then a
 * card, or a card first.  After every change the quote is recomputed by the
 * core engine through the till (nothing here decides a subsidy).  A refusal
 * is a modal over the selling screen: the cashier continues at full price or
 * cancels.  "Done" is shown only after till_sale (store_sale_commit) returned.
 *
 * Layout at 1920x1080 (scaled by k_view.s for other sizes): status bar on
 * top; the menu on the left 59%; on the right the elder panel (dark, very
 * large type: the elder reads it from a metre away), the cart, totals and
 * the two payment buttons.  Text always carries the meaning; colour only
 * helps (refusals say what happened in words and with a symbol). */
#include <stdlib.h>
#include <string.h>

#include "kiosk_int.h"
#include "speech.h"

#include "../core/names.h"
#include "../core/policy.h"

/* widget ids, with K_ID_REPORTS */
#define ID_ITEM "item:" /* + a menu item's code */
#define ID_CAT "cat:"   /* + a menu tab's index */
#define ID_INC "inc:"   /* + a cart line's code */
#define ID_DEC "dec:"   /* + a cart line's code */
#define ID_CART_UP "cart:up"     /* scrolls the cart a page up */
#define ID_CART_DOWN "cart:down" /* ... and down */
#define ID_CLEAR "clear"
#define ID_PERIOD "period"
#define ID_PAY_CASH "pay_cash"
#define ID_PAY_MOBILE "pay_mobile"
#define ID_LOOKUP "lookup"
#define ID_RECENT "recent"
#define ID_SHIFT_CLOSE "shift_close"
#define ID_SETTINGS "settings"
#define ID_LOGOUT "logout"

static const struct {
    const char *code, *zh;
} cat_names[] = {
    {"tekun", "特困"},       {"dibao", "低保"},           {"dibao_edge", "低保边缘"},
    {"low_income", "低收入"}, {"disabled_care", "失能"},   {"dementia", "失智"},
    {"living_alone", "独居"}, {"empty_nest", "空巢"},      {"left_behind", "留守"},
    {"gugua", "孤寡"},       {"severe_disability", "重残"}, {"family_planning_special", "计生特殊"},
    {"youfu", "优抚"},
};

const char *k_source_name(kiosk_t *k, const char *code)
{
    const char *zh = zc_source_name(code, ZC_SOURCE_SHORT);
    return zh ? TR(k, zh) : code;
}

const char *k_category_name(kiosk_t *k, const char *code)
{
    for (size_t i = 0; i < sizeof cat_names / sizeof cat_names[0]; i++)
        if (strcmp(cat_names[i].code, code) == 0)
            return TR(k, cat_names[i].zh);
    return code;
}

/* Period display name from its id (a policy's own ids show as they are). */
const char *k_period_name(kiosk_t *k, const char *id)
{
    const char *zh = zc_period_name(id);
    return zh ? TR(k, zh) : id;
}

/* True when the item is sold in the current meal period (or sold all day). */
static bool item_on_sale(kiosk_t *k, const store_item *it)
{
    const char *period = k->sale.period[0] ? k->sale.period : k->sale.quote_ok ? k->sale.quote.period : "";
    size_t n = strlen(period);
    if (!it->periods[0] || !n)
        return true; /* sold all day, or outside every window: show everything */
    for (const char *p = it->periods; (p = strstr(p, period)) != NULL; p += n)
        if ((p == it->periods || p[-1] == ',') && (p[n] == ',' || p[n] == '\0'))
            return true;
    return false;
}

void k_requote(kiosk_t *k)
{
    zc_err err = {{0}};
    k->sale.quote_ok = false;
    k->sale.quote_err[0] = '\0';
    k->sale.quote_min = k_epoch_now(k) / 60;
    till_quote_req req = {.elder = k->sale.have_elder ? &k->sale.ident.elder : NULL,
                          .cart = &k->sale.cart, .at = k_local_now(k),
                          .period = k->sale.period[0] ? k->sale.period : NULL,
                          .extra = k->sale.have_elder ? k->sale.extra : NULL,
                          .nextra = k->sale.have_elder ? k->sale.nextra : 0};
    int rc = till_quote(k->t, &req, &k->sale.quote, &err);
    if (rc == ZC_OK)
        k->sale.quote_ok = true;
    else if (rc == ZC_ENOTFOUND) /* the only thing a quote can miss is the policy */
        snprintf(k->sale.quote_err, sizeof k->sale.quote_err, "%s",
                 TR(k, "没有生效的补贴政策（已到期），暂停收银：请联网同步新政策"));
    else
        k_err_text(k, rc, &err, "无法计算价格：", k->sale.quote_err, sizeof k->sale.quote_err);
}

void k_clock_period(kiosk_t *k, char *buf, size_t n)
{
    zc_cart none = {0};
    zc_quote q;
    till_quote_req req = {.cart = &none, .at = k_local_now(k)};
    buf[0] = '\0';
    if (k->t && till_quote(k->t, &req, &q, NULL) == ZC_OK)
        snprintf(buf, n, "%s", q.period);
}

bool k_next_meal_text(kiosk_t *k, char *buf, size_t n)
{
    const zc_policy *pol = NULL;
    zc_datetime now = k_local_now(k);
    int minute = now.hh * 60 + now.mm;
    const zc_period *next = NULL;
    buf[0] = '\0';
    if (!k->t || store_policy_cached(till_store(k->t), now.date, &pol, NULL) != ZC_OK || !pol)
        return false;
    for (int i = 0; i < zc_policy_nperiods(pol); i++) {
        const zc_period *p = zc_policy_period(pol, i);
        if (p->from_min > minute && (!next || p->from_min < next->from_min))
            next = p;
    }
    if (!next)
        return false;
    snprintf(buf, n, "%s %02d:%02d %s", k_period_name(k, next->id), next->from_min / 60, next->from_min % 60,
             TR(k, "开始"));
    return true;
}

/* The cashier's 餐次 choice holds across sales until the meal it names is
 * over: dropped when the clock's period is neither the one it was chosen in
 * nor the chosen one (lunch chosen at 10:20 holds through lunch and ends at
 * 13:30), or on another day. */
static void period_expire(kiosk_t *k)
{
    char now[ZC_CODE_MAX];
    if (!k->sale.period[0])
        return;
    k_clock_period(k, now, sizeof now);
    if (strcmp(now, k->sale.period) == 0) {
        snprintf(k->sale.period_base, sizeof k->sale.period_base, "%s", now);
        return;
    }
    if (strcmp(now, k->sale.period_base) != 0 || zc_date_cmp(k_local_now(k).date, k->sale.period_day) != 0) {
        k->sale.period[0] = '\0';
        k_message(k, false, "%s", TR(k, "餐次已按时间自动切换"));
    }
}

/* An empty sale: no dishes, no elder; the cashier's meal period while it holds. */
static void sale_clear(kiosk_t *k)
{
    memset(&k->sale.cart, 0, sizeof k->sale.cart);
    k->sale.have_elder = false;
    memset(&k->sale.ident, 0, sizeof k->sale.ident);
    k->sale.refusal = false;
    k->sale.swap = false;
    k->sell.cart_first = 0;
    k->sell.cart_focus = -1;
    period_expire(k);
    k_requote(k);
}

/* A new sale. */
static void sell_enter(kiosk_t *k)
{
    k->msg[0] = '\0';
    sale_clear(k);
}

/* A new minute: the meal period may have begun or ended without a touch. */
static void sell_tick(kiosk_t *k)
{
    if (k_epoch_now(k) / 60 == k->sale.quote_min)
        return;
    period_expire(k);
    k_requote(k);
}

/* The most telling reason the elder got nothing, for the refusal modal:
 * limits and meal periods are modal; plain ineligibility is not. */
static zc_reason modal_reason(const zc_quote *q)
{
    static const zc_reason order[] = {ZC_R_LIMIT_PERIOD, ZC_R_LIMIT_DAY,  ZC_R_LIMIT_WEEK,
                                      ZC_R_LIMIT_MONTH,  ZC_R_CAP_DAY,    ZC_R_CAP_WEEK,
                                      ZC_R_CAP_MONTH,    ZC_R_OUTSIDE_PERIOD, ZC_R_PERIOD_NOT_COVERED};
    if (q->subsidy > 0)
        return ZC_R_NONE;
    for (size_t o = 0; o < sizeof order / sizeof order[0]; o++)
        for (int i = 0; i < q->nrefusals; i++)
            if (q->refusals[i].reason == order[o])
                return order[o];
    return ZC_R_NONE;
}

/* With no eligible dish in the cart yet, quote one unit of the first
 * eligible menu item, so a limit or period refusal shows at the card tap. */
static void probe_quote(kiosk_t *k, zc_quote *q, bool *ok)
{
    *ok = false;
    if (k->sale.quote_ok && k->sale.quote.eligible > 0) {
        *q = k->sale.quote;
        *ok = true;
        return;
    }
    for (int i = 0; i < k->nmenu; i++) {
        if (!k->menu[i].eligible)
            continue;
        zc_cart c = {0};
        zc_line l = {0};
        snprintf(l.code, sizeof l.code, "%s", k->menu[i].code);
        l.unit_fen = k->menu[i].price_fen;
        l.qty = 1;
        l.eligible = true;
        if (zc_cart_add(&c, &l) != ZC_OK)
            return;
        till_quote_req req = {.elder = &k->sale.ident.elder, .cart = &c, .at = k_local_now(k),
                              .period = k->sale.period[0] ? k->sale.period : NULL,
                              .extra = k->sale.extra, .nextra = k->sale.nextra};
        *ok = till_quote(k->t, &req, q, NULL) == ZC_OK;
        return;
    }
}

static void say_refusal(kiosk_t *k, till_status s)
{
    static const char *const clip[TILL_ID_COUNT] = {
        [TILL_ID_MALFORMED] = "card_unknown",   [TILL_ID_UNKNOWN] = "card_unknown",
        [TILL_ID_AMBIGUOUS] = "card_unknown",   [TILL_ID_CARD_LOST] = "card_lost",
        [TILL_ID_CARD_BLOCKED] = "card_blocked", [TILL_ID_CARD_EXPIRED] = "card_expired",
        [TILL_ID_CARD_NOT_YET] = "card_expired", [TILL_ID_ELDER_SUSPENDED] = "suspended",
        [TILL_ID_ELDER_DECEASED] = "card_blocked", [TILL_ID_QR_INVALID] = "card_unknown",
    };
    k_say(k, "tone_error");
    if (s > 0 && s < TILL_ID_COUNT && clip[s])
        k_say(k, clip[s]);
}

/* The modal check after an elder is chosen or the centre's answer came:
 * true when a limit or the meal period refuses the subsidy. */
static bool limit_modal(kiosk_t *k)
{
    zc_quote probe;
    bool ok;
    probe_quote(k, &probe, &ok);
    zc_reason r = ok ? modal_reason(&probe) : ZC_R_NONE;
    if (r == ZC_R_NONE)
        return false;
    k->sale.refusal = true;
    k->sale.refusal_status = TILL_ID_OK;
    snprintf(k->sale.refusal_msg, sizeof k->sale.refusal_msg, "%s",
             zc_reason_text(r, k->lang[0] == 'e' ? "en" : "zh"));
    k->sale.refused = k->sale.ident;
    k->sale.refusal_next[0] = '\0';
    if (r == ZC_R_OUTSIDE_PERIOD)
        (void)k_next_meal_text(k, k->sale.refusal_next, sizeof k->sale.refusal_next);
    k_say(k, "tone_error");
    k_say(k, r == ZC_R_LIMIT_WEEK ? "week_limit"
             : r == ZC_R_OUTSIDE_PERIOD || r == ZC_R_PERIOD_NOT_COVERED ? "outside_period"
                                                                        : "limit_reached");
    return true;
}

void k_usage_poll(kiosk_t *k)
{
    int n = 0;
    if (!k->sync || !k->sale.have_elder) {
        k->sale.usage_pending = false;
        return;
    }
    int rc = sync_usage_take(k->sync, k->sale.ident.elder.id, k->sale.extra, K_MAX_EXTRA, &n);
    if (rc == ZC_ENOTFOUND && k->now_ms < k->sale.usage_deadline_ms)
        return; /* not yet: the local quote stands */
    k->sale.usage_pending = false;
    if (rc != ZC_OK || n == 0)
        return; /* no answer in time, or nothing elsewhere: the local quote was right */
    k->sale.nextra = n;
    zc_fen before = k->sale.quote_ok ? k->sale.quote.subsidy : -1;
    k_requote(k);
    if (!k->sale.refusal && k->sale.quote_ok && k->sale.quote.subsidy != before && !limit_modal(k))
        k_message(k, false, "%s", TR(k, "已按其他食堂的用餐记录更新补贴"));
}

void k_select_elder(kiosk_t *k, const zc_elder *e, const char *how)
{
    memset(&k->sale.ident, 0, sizeof k->sale.ident);
    k->sale.nextra = 0;
    k->sale.usage_pending = false;
    if (k->sync && sync_usage_ask(k->sync, e->id, k_local_now(k).date) == ZC_OK) {
        k->sale.usage_pending = true;
        k->sale.usage_deadline_ms = k->now_ms + K_USAGE_WAIT_MS;
    }
    k->sale.ident.elder = *e;
    k->sale.ident.have_elder = true;
    k->sale.have_elder = true;
    k->sale.refusal = false;
    k_requote(k);
    if (limit_modal(k))
        return;
    /* one short sentence: what to pay when there are dishes (the screen
     * shows the subsidy), else that the card was read */
    k_say(k, "tone_ok");
    if (k->sale.quote_ok && k->sale.cart.n)
        k_say_amount(k, "pay", k->sale.quote.pay);
    else
        k_say(k, "card_ok");
    k_message(k, false, "%s %s", TR(k, how), e->id);
}

void k_sell_card(kiosk_t *k, const char *line)
{
    till_ident id;
    zc_err err = {{0}};
    if (k->scr == K_DONE)
        k_open(k, K_SELL);
    if (k->sale.refusal) /* a new card replaces a pending refusal */
        k->sale.refusal = false;
    int rc = till_identify(k->t, line, k_local_now(k).date, &id, &err);
    if (rc == ZC_OK && k->sale.have_elder && strcmp(id.elder.id, k->sale.ident.elder.id) != 0) {
        /* someone else's card while an elder is on the sale (the next in
         * the queue tapped early): the cashier decides, nothing changes yet */
        k->sale.swap = true;
        k->sale.swap_ident = id;
        k_say(k, "tone_error");
        return;
    }
    k->sale.swap = false;
    if (rc == ZC_OK) {
        k_select_elder(k, &id.elder, "刷卡成功");
        k->sale.ident = id;
        return;
    }
    k->sale.refusal = true;
    k->sale.refusal_status = id.status;
    k->sale.refused = id;
    snprintf(k->sale.refusal_msg, sizeof k->sale.refusal_msg, "%s", err.msg);
    snprintf(k->sale.refusal_line, sizeof k->sale.refusal_line, "%s", line);
    say_refusal(k, id.status);
}

/* The index of the cart line with code, or -1. */
static int cart_index(const kiosk_t *k, const char *code)
{
    for (int i = 0; i < k->sale.cart.n; i++)
        if (strcmp(k->sale.cart.lines[i].code, code) == 0)
            return i;
    return -1;
}

static const store_item *menu_item(const kiosk_t *k, const char *code)
{
    for (int i = 0; i < k->nmenu; i++)
        if (strcmp(k->menu[i].code, code) == 0)
            return &k->menu[i];
    return NULL;
}

static void add_item(kiosk_t *k, const char *code)
{
    const store_item *it = menu_item(k, code);
    zc_line l = {0};
    if (!it)
        return;
    snprintf(l.code, sizeof l.code, "%s", it->code);
    snprintf(l.name, sizeof l.name, "%s", it->name);
    l.unit_fen = it->price_fen;
    l.qty = 1;
    l.eligible = it->eligible;
    if (zc_cart_add(&k->sale.cart, &l) != ZC_OK) {
        k_message(k, true, "%s", TR(k, "购物车已满"));
        return;
    }
    k->msg[0] = '\0';
    k_requote(k);
}

void k_sale_commit(kiosk_t *k, store_pay pay, zc_fen tendered, const char *ref)
{
    zc_err err = {{0}};
    int64_t now = k_epoch_now(k);
    till_sale_req req = {
        .quote = {.elder = k->sale.have_elder ? &k->sale.ident.elder : NULL, .cart = &k->sale.cart,
                  .at = zc_tz_local(now), .period = k->sale.period[0] ? k->sale.period : NULL,
                  .extra = k->sale.have_elder ? k->sale.extra : NULL,
                  .nextra = k->sale.have_elder ? k->sale.nextra : 0},
        .at_utc = now, .operator_id = k->op.id,
        .card_uid = k->sale.have_elder && k->sale.ident.card_uid[0] ? k->sale.ident.card_uid : NULL,
        .pay = pay, .pay_ref = ref, .tendered_fen = tendered,
    };
    int rc = till_sale(k->t, &req, &k->done.sale, &err);
    if (rc != ZC_OK) {
        /* nothing was saved: say so plainly and stay on the payment screen */
        k_error(k, rc, &err, "未保存，请重试：");
        k_say(k, "tone_error");
        return;
    }
    if (k->sync)
        sync_kick(k->sync); /* send it now rather than at the next round */
    k_status_refresh(k, true); /* one more unsent sale in the status bar */
    k->done.tendered = tendered;
    k->done.pay = pay;
    snprintf(k->done.ref, sizeof k->done.ref, "%s", ref ? ref : "");
    k->done.until_ms = k->now_ms + K_DONE_MS;
    k->done.print_msg[0] = '\0';
    k_goto(k, K_DONE);
    k->msg[0] = '\0';
    (void)k_print_sale(k, k->done.sale.id, false, k->done.print_msg, sizeof k->done.print_msg);
    /* one sentence: the change when there is some, else thanks */
    if (pay == STORE_PAY_CASH && tendered > k->done.sale.quote.pay)
        k_say_amount(k, "change", tendered - k->done.sale.quote.pay);
    else
        k_say(k, "thanks");
}

/* The buttons under the cart that lead to other screens. */
static void leave_tap(kiosk_t *k, const char *id)
{
    if (strcmp(id, ID_LOOKUP) == 0) {
        k_auth_begin(k, K_AUTH_LOOKUP, K_SELL);
    } else if (strcmp(id, ID_RECENT) == 0) {
        k_open(k, K_RECENT);
    } else if (strcmp(id, ID_SHIFT_CLOSE) == 0) {
        /* supervisors close shifts: a cashier's close needs a supervisor's PIN */
        if (k->op.role == STORE_ROLE_CASHIER) {
            k_auth_begin(k, K_AUTH_CLOSE, K_SELL);
        } else {
            snprintf(k->auth.by, sizeof k->auth.by, "%s", k->op.id);
            k_open(k, K_SHIFT_CLOSE);
        }
    } else if (strcmp(id, K_ID_REPORTS) == 0) {
        /* a cashier's till shows reports only with a supervisor's PIN */
        if (k->op.role == STORE_ROLE_CASHIER)
            k_auth_begin(k, K_AUTH_REPORT, K_SELL);
        else
            k_report_enter(k, K_SELL);
    } else if (strcmp(id, ID_SETTINGS) == 0 && k->op.role == STORE_ROLE_ADMIN) {
        k_open(k, K_SETTINGS);
    } else if (strcmp(id, ID_LOGOUT) == 0) {
        k_open(k, K_LOGIN);
    }
}

static void sell_tap(kiosk_t *k, const char *id)
{
    const char *arg;
    if (k_modal_tap(k, id)) {
        return;
    } else if ((arg = k_id_arg(id, ID_ITEM)) || (arg = k_id_arg(id, ID_INC))) {
        add_item(k, arg);
        k->sell.cart_focus = cart_index(k, arg);
    } else if ((arg = k_id_arg(id, ID_CAT))) {
        char *end;
        long c = strtol(arg, &end, 10);
        if (!*end && c >= 0 && c < k->ncats)
            k->sell.cat = (int)c;
    } else if ((arg = k_id_arg(id, ID_DEC))) {
        int at = cart_index(k, arg);
        zc_cart_remove(&k->sale.cart, arg, 1);
        k->sell.cart_focus = at < k->sale.cart.n ? at : k->sale.cart.n - 1;
        k_requote(k);
    } else if (strcmp(id, ID_CART_UP) == 0 || strcmp(id, ID_CART_DOWN) == 0) {
        k->sell.cart_focus = -1;
        k->sell.cart_first += strcmp(id, ID_CART_UP) == 0 ? -2 : 2; /* draw_cart clamps it */
    } else if (strcmp(id, ID_CLEAR) == 0) {
        sale_clear(k);
        k->msg[0] = '\0';
    } else if (strcmp(id, ID_PERIOD) == 0) {
        static const char *const cycle[] = {"", "breakfast", "lunch", "dinner"};
        int i = 0;
        for (int j = 0; j < 4; j++)
            if (strcmp(k->sale.period, cycle[j]) == 0)
                i = j;
        snprintf(k->sale.period, sizeof k->sale.period, "%s", cycle[(i + 1) % 4]);
        k_clock_period(k, k->sale.period_base, sizeof k->sale.period_base);
        k->sale.period_day = k_local_now(k).date;
        k_requote(k);
    } else if (strcmp(id, ID_PAY_CASH) == 0 || strcmp(id, ID_PAY_MOBILE) == 0) {
        if (!k->sale.cart.n)
            k_message(k, true, "%s", TR(k, "请先选择菜品"));
        else if (!k->sale.quote_ok)
            k_message(k, true, "%s", k->sale.quote_err);
        else
            k_open(k, strcmp(id, ID_PAY_CASH) == 0 ? K_PAY_CASH : K_PAY_MOBILE);
    } else {
        leave_tap(k, id);
    }
}

static void sell_key(kiosk_t *k, int key)
{
    if (key == KKEY_ESCAPE)
        (void)k_modal_escape(k);
}

/* The elder's side: who, which tiers, what is left, the split, what to pay. */
static void draw_elder_panel(kiosk_t *k, const k_view *v, ui_rect r)
{
    ui_draw *d = v->d;
    bool en = k->lang[0] == 'e'; /* English punctuation is half-width */
    char buf[320], a[24];
    int x = r.x + kv(v, 28), w = r.w - kv(v, 56), y = r.y + kv(v, 16);
    ui_rect_fill(d, r, K_ELDER_BG);
    if (!k->sale.have_elder) {
        ui_text(d, (ui_rect){x, y, w, kv(v, 96)}, TR(k, "请刷卡"), kv(v, 80), K_ELDER_INK, UI_LEFT, true);
        y += kv(v, 104);
        ui_text(d, (ui_rect){x, y, w, kv(v, 44)}, TR(k, "未刷卡按原价"), kv(v, 36), 0xC9D6E8, UI_LEFT, false);
    } else {
        const zc_elder *e = &k->sale.ident.elder;
        char masked[ZC_NAME_MAX];
        zc_name_mask(e->name, masked, sizeof masked);
        int age = zc_age_on(e->birth, k_local_now(k).date);
        ui_text(d, (ui_rect){x, y, w * 6 / 10, kv(v, 96)}, masked, kv(v, 80), K_ELDER_INK, UI_LEFT, true);
        snprintf(buf, sizeof buf, "%d %s", age, TR(k, "岁"));
        ui_text(d, (ui_rect){x + w * 6 / 10, y, w * 4 / 10, kv(v, 96)}, buf, kv(v, 56), K_ELDER_INK, UI_RIGHT,
                true);
        y += kv(v, 100);
        ui_text(d, (ui_rect){x, y, w, kv(v, 44)}, k_tiers_text(k, e, false, buf, sizeof buf), kv(v, 34), 0xC9D6E8,
                UI_LEFT, false);
        y += kv(v, 48);
        /* what is left of today's and this week's subsidised meals */
        bool hint = false;
        if (k_uses_text(k, buf, sizeof buf)) {
            ui_text(d, (ui_rect){x, y, w, kv(v, 44)}, buf, kv(v, 34), 0xC9D6E8, UI_LEFT, false);
        } else if (k_no_subsidy_text(k, buf, sizeof buf, &hint)) {
            /* the reason in words, so nobody is left guessing */
            ui_text(d, (ui_rect){x, y, w, kv(v, 44)}, buf, kv(v, 34), hint ? 0xC9D6E8 : K_ELDER_PAY, UI_LEFT,
                    false);
        }
        y = r.y + kv(v, 216);
    }
    if (!k->sale.quote_ok || !k->sale.cart.n)
        return;
    y = r.y + kv(v, 216);
    /* the subsidy and its funding sources */
    if (k->sale.quote.subsidy > 0) {
        char src[160];
        k_sources_text(k, &k->sale.quote, src, sizeof src);
        snprintf(buf, sizeof buf, "%s %s %s%s%s%s", TR(k, "补贴"), k_yuan(k->sale.quote.subsidy, a, sizeof a),
                 TR(k, "元"), !src[0] ? "" : en ? " (" : "（", src, !src[0] ? "" : en ? ")" : "）");
        ui_text(d, (ui_rect){x, y, w, kv(v, 56)}, buf, kv(v, 44), K_ELDER_INK, UI_LEFT, false);
    }
    y += kv(v, 60);
    snprintf(buf, sizeof buf, "%s %s %s", TR(k, "请付"), k_yuan(k->sale.quote.pay, a, sizeof a), TR(k, "元"));
    ui_text(d, (ui_rect){x, y, w, r.y + r.h - y - kv(v, 8)}, buf, kv(v, 104), K_ELDER_PAY, UI_LEFT, true);
}

/* Menu category codes in words. */
static const char *menu_cat_name(kiosk_t *k, const char *code)
{
    static const struct {
        const char *code, *zh;
    } names[] = {{"set_meal", "套餐"}, {"dish", "菜品"}, {"staple", "主食"}, {"soup", "汤粥"}, {"drink", "饮品"}};
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        if (strcmp(names[i].code, code) == 0)
            return TR(k, names[i].zh);
    return code;
}

/* A dish's name in its tile: one line at size when it fits, else two lines
 * a little smaller (broken where the first line is full) rather than one
 * line shrunk to tiny type. */
static void draw_dish_name(const k_view *v, ui_rect r, const char *name, int size)
{
    char first[ZC_NAME_MAX];
    size_t cut = 0;
    int small = size * 85 / 100;
    if (ui_text_width(v->d, name, size, true) <= r.w) {
        ui_text(v->d, r, name, size, K_INK, UI_LEFT, true);
        return;
    }
    for (size_t i = 0; name[i] && i < sizeof first - 1;) {
        int n = ui_utf8_len(name + i);
        if (n <= 0)
            break;
        snprintf(first, sizeof first, "%.*s", (int)(i + (size_t)n), name);
        if (ui_text_width(v->d, first, small, true) > r.w)
            break;
        i += (size_t)n;
        cut = i;
    }
    snprintf(first, sizeof first, "%.*s", (int)cut, name);
    ui_text(v->d, (ui_rect){r.x, r.y - r.h / 6, r.w, r.h * 2 / 3}, first, small, K_INK, UI_LEFT, true);
    ui_text(v->d, (ui_rect){r.x, r.y + r.h / 2, r.w, r.h * 2 / 3}, name + cut, small, K_INK, UI_LEFT, true);
}

static void draw_menu(kiosk_t *k, const k_view *v, ui_rect r)
{
    ui_draw *d = v->d;
    int tab_h = kv(v, 88), gap = kv(v, 14);
    char id[UI_WID_MAX], price[24];
    int tw = k->ncats ? (r.w - gap * (k->ncats - 1)) / k->ncats : r.w;
    for (int i = 0; i < k->ncats; i++) {
        snprintf(id, sizeof id, "%s%d", ID_CAT, i);
        ui_button(d, id, (ui_rect){r.x + i * (tw + gap), r.y, tw, tab_h}, menu_cat_name(k, k->cats[i]), kv(v, 36),
                  i == k->sell.cat ? K_SELECTED : K_PANEL, i == k->sell.cat ? 0xFFFFFF : K_INK, true);
    }
    int cols = 4, y0 = r.y + tab_h + gap;
    int cw = (r.w - gap * (cols - 1)) / cols, ch = kv(v, 156);
    int n = 0;
    for (int i = 0; i < k->nmenu; i++) {
        const store_item *it = &k->menu[i];
        if (k->ncats && strcmp(it->category, k->cats[k->sell.cat]) != 0)
            continue;
        if (!item_on_sale(k, it))
            continue;
        ui_rect t = {r.x + (n % cols) * (cw + gap), y0 + (n / cols) * (ch + gap), cw, ch};
        if (t.y + t.h > r.y + r.h)
            break;
        n++;
        snprintf(id, sizeof id, "%s%s", ID_ITEM, it->code);
        ui_rect_fill(d, t, K_PANEL);
        ui_frame(d, t, K_LINE);
        draw_dish_name(v, (ui_rect){t.x + kv(v, 12), t.y + kv(v, 14), t.w - kv(v, 24), kv(v, 56)}, it->name,
                       kv(v, 40));
        ui_text(d, (ui_rect){t.x + kv(v, 12), t.y + kv(v, 84), t.w / 2, kv(v, 56)},
                k_yuan(it->price_fen, price, sizeof price), kv(v, 40), K_INK, UI_LEFT, false);
        if (it->eligible) {
            ui_rect tag = {t.x + t.w - kv(v, 100), t.y + kv(v, 92), kv(v, 88), kv(v, 44)};
            ui_rect_fill(d, tag, K_PRIMARY);
            ui_text(d, tag, TR(k, "补贴"), kv(v, 28), K_PRIMARY_INK, UI_CENTER, true);
        }
        ui_widget_add(d, id, t, true);
    }
}

/* The cart: every line reachable.  When it does not fit, the last row holds
 * ▲ / ▼ with how many lines are above and below; the line just changed is
 * always in view. */
static void draw_cart(kiosk_t *k, const k_view *v, ui_rect r)
{
    ui_draw *d = v->d;
    int row = kv(v, 64), n = k->sale.cart.n, shown = r.h / row;
    char id[UI_WID_MAX], buf[64], a[24];
    ui_rect_fill(d, r, K_PANEL);
    ui_frame(d, r, K_LINE);
    if (!n) {
        ui_text(d, r, TR(k, "点菜品加入"), kv(v, 34), K_MUTED, UI_CENTER, false);
        return;
    }
    bool scroll = n > shown;
    if (scroll)
        shown--; /* the last row holds the scroll buttons */
    int first = k->sell.cart_first, focus = k->sell.cart_focus;
    if (focus >= 0 && focus < n && focus < first)
        first = focus;
    if (focus >= 0 && focus < n && focus >= first + shown)
        first = focus - shown + 1;
    if (first > n - shown)
        first = n - shown;
    if (first < 0)
        first = 0;
    k->sell.cart_first = first;
    for (int i = first; i < n && i < first + shown; i++) {
        const zc_line *l = &k->sale.cart.lines[i];
        int y = r.y + (i - first) * row;
        ui_text(d, (ui_rect){r.x + kv(v, 16), y, r.w * 45 / 100, row}, l->name, kv(v, 36), K_INK, UI_LEFT, false);
        snprintf(id, sizeof id, "%s%s", ID_DEC, l->code);
        ui_button(d, id, (ui_rect){r.x + r.w * 47 / 100, y + kv(v, 6), kv(v, 64), row - kv(v, 12)}, "−", kv(v, 40),
                  0xEDEDED, K_INK, true);
        snprintf(buf, sizeof buf, "%d", l->qty);
        ui_text(d, (ui_rect){r.x + r.w * 47 / 100 + kv(v, 64), y, kv(v, 60), row}, buf, kv(v, 36), K_INK, UI_CENTER,
                true);
        snprintf(id, sizeof id, "%s%s", ID_INC, l->code);
        ui_button(d, id, (ui_rect){r.x + r.w * 47 / 100 + kv(v, 124), y + kv(v, 6), kv(v, 64), row - kv(v, 12)}, "+",
                  kv(v, 40), 0xEDEDED, K_INK, true);
        ui_text(d, (ui_rect){r.x, y, r.w - kv(v, 16), row}, k_yuan(l->unit_fen * l->qty, a, sizeof a), kv(v, 36),
                K_INK, UI_RIGHT, false);
    }
    if (scroll) {
        int y = r.y + shown * row, bw = (r.w - kv(v, 24)) / 2;
        int below = n - first - shown;
        snprintf(buf, sizeof buf, "▲ %s %d %s", TR(k, "上面"), first, TR(k, "项"));
        ui_button(d, ID_CART_UP, (ui_rect){r.x + kv(v, 8), y + kv(v, 4), bw, row - kv(v, 8)}, buf, kv(v, 30),
                  first ? 0xDDE6F0 : 0xF2F2F2, first ? K_INK : K_MUTED, first > 0);
        snprintf(buf, sizeof buf, "▼ %s %d %s", TR(k, "下面"), below, TR(k, "项"));
        ui_button(d, ID_CART_DOWN, (ui_rect){r.x + kv(v, 16) + bw, y + kv(v, 4), bw, row - kv(v, 8)}, buf, kv(v, 30),
                  below ? 0xDDE6F0 : 0xF2F2F2, below ? K_INK : K_MUTED, below > 0);
    }
}

static void sell_draw(kiosk_t *k, const k_view *v)
{
    ui_draw *d = v->d;
    char buf[400], a[24], b[24], c[24];
    int top = kv(v, 80), m = kv(v, 20);
    int lw = v->w * 59 / 100;
    ui_rect menu = {m, top, lw - 2 * m, v->h - top - kv(v, 100)};
    draw_menu(k, v, menu);
    k_draw_message(k, v, (ui_rect){m, v->h - kv(v, 88), lw - 2 * m, kv(v, 72)});

    int rx = lw, rw = v->w - lw - m;
    draw_elder_panel(k, v, (ui_rect){rx, top, rw, kv(v, 400)});
    ui_rect cart = {rx, top + kv(v, 416), rw, kv(v, 260)};
    draw_cart(k, v, cart);
    int y = cart.y + cart.h + kv(v, 8);
    if (k->sale.quote_ok && k->sale.quote.subsidy > 0)
        snprintf(buf, sizeof buf, "%s %s   %s −%s   %s %s", TR(k, "合计"), k_yuan(k->sale.quote.gross, a, sizeof a),
                 TR(k, "补贴"), k_yuan(k->sale.quote.subsidy, b, sizeof b), TR(k, "应付"),
                 k_yuan(k->sale.quote.pay, c, sizeof c));
    else if (k->sale.quote_ok) /* no "补贴 −0.00" */
        snprintf(buf, sizeof buf, "%s %s   %s %s", TR(k, "合计"), k_yuan(k->sale.quote.gross, a, sizeof a),
                 TR(k, "应付"), k_yuan(k->sale.quote.pay, c, sizeof c));
    else
        snprintf(buf, sizeof buf, "%s", k->sale.quote_err);
    ui_text(d, (ui_rect){rx, y, rw, kv(v, 56)}, buf, kv(v, 38), K_INK, UI_RIGHT, true);
    y += kv(v, 64);
    int gap = kv(v, 12), bh = kv(v, 110), bw = (rw - gap) / 2;
    bool can_pay = k->sale.cart.n > 0 && k->sale.quote_ok;
    ui_button(d, ID_PAY_CASH, (ui_rect){rx, y, bw, bh}, TR(k, "现金结账"), kv(v, 48), can_pay ? K_PRIMARY : 0x9DB8A6,
              K_PRIMARY_INK, true);
    ui_button(d, ID_PAY_MOBILE, (ui_rect){rx + bw + gap, y, bw, bh}, TR(k, "移动支付"), kv(v, 48),
              can_pay ? K_SELECTED : 0x9AAAC0, K_PRIMARY_INK, true);
    y += bh + gap;
    static const struct {
        const char *id, *label;
    } buttons[] = {
        {ID_CLEAR, "清空"},       {ID_PERIOD, "餐次"},      {ID_LOOKUP, "查找老人"}, {ID_RECENT, "最近交易"},
        {K_ID_REPORTS, "报表"},   {ID_SHIFT_CLOSE, "交班"}, {ID_SETTINGS, "设置"},   {ID_LOGOUT, "退出"},
    };
    bool admin = k->op.role == STORE_ROLE_ADMIN;
    int nb = admin ? 8 : 7;
    /* two rows, so the labels stay large on narrow screens */
    int cols = (nb + 1) / 2, sw = (rw - gap * (cols - 1)) / cols, sh = (v->h - y - m - gap) / 2;
    for (int i = 0, j = 0; i < 8; i++) {
        if (strcmp(buttons[i].id, ID_SETTINGS) == 0 && !admin)
            continue;
        const char *label = TR(k, buttons[i].label);
        if (strcmp(buttons[i].id, ID_PERIOD) == 0 && k->sale.period[0])
            label = k_period_name(k, k->sale.period);
        ui_button(d, buttons[i].id, (ui_rect){rx + (j % cols) * (sw + gap), y + (j / cols) * (sh + gap), sw, sh},
                  label, kv(v, 36), K_PANEL, K_INK, true);
        j++;
    }
    k_modal_draw(k, v);
}

const k_screen_def k_sell_screen = {
    .name = "sell", .flags = K_SCR_SALE, .enter = sell_enter, .tap = sell_tap, .key = sell_key,
    .card = k_sell_card, .tick = sell_tick, .draw = sell_draw,
};
