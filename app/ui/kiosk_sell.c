/* kiosk_sell.c - the selling screen, the elder panel, refusals, payment.
 *
 * The cart and the elder can come in either order: dishes first and then a
 * card, or a card first.  After every change the quote is recomputed by the
 * core engine through the till (nothing here decides a subsidy).  A refusal
 * is a modal over the selling screen: the cashier continues at full price or
 * cancels.  "Done" is shown only after till_sale (store_sale_commit) returned. */
#include <stdlib.h>
#include <string.h>

#include "kiosk_int.h"
#include "speech.h"

static const struct {
    const char *code, *zh;
} cat_names[] = {
    {"tekun", "特困"},       {"dibao", "低保"},           {"dibao_edge", "低保边缘"},
    {"low_income", "低收入"}, {"disabled_care", "失能"},   {"dementia", "失智"},
    {"living_alone", "独居"}, {"empty_nest", "空巢"},      {"left_behind", "留守"},
    {"gugua", "孤寡"},       {"severe_disability", "重残"}, {"family_planning_special", "计生特殊"},
    {"youfu", "优抚"},
};

static const struct {
    const char *code, *zh;
} source_names[] = {
    {"city", "市级"}, {"district", "区级"}, {"town", "街道"}, {"operator", "运营方"},
};

const char *k_source_name(kiosk_t *k, const char *code)
{
    for (size_t i = 0; i < sizeof source_names / sizeof source_names[0]; i++)
        if (strcmp(source_names[i].code, code) == 0)
            return TR(k, source_names[i].zh);
    return code;
}

const char *k_category_name(kiosk_t *k, const char *code)
{
    for (size_t i = 0; i < sizeof cat_names / sizeof cat_names[0]; i++)
        if (strcmp(cat_names[i].code, code) == 0)
            return TR(k, cat_names[i].zh);
    return code;
}

/* Period display name from its id (policy ids are breakfast/lunch/dinner in
 * every shipped policy; other ids show as they are). */
const char *k_period_name(kiosk_t *k, const char *id)
{
    if (!id[0])
        return TR(k, "非供餐时间");
    if (strcmp(id, "breakfast") == 0)
        return TR(k, "早餐");
    if (strcmp(id, "lunch") == 0)
        return TR(k, "午餐");
    if (strcmp(id, "dinner") == 0)
        return TR(k, "晚餐");
    return id;
}

bool k_item_on_sale(kiosk_t *k, const store_item *it)
{
    const char *period = k->period[0] ? k->period : k->quote_ok ? k->quote.period : "";
    size_t n = strlen(period);
    if (!it->periods[0] || !n)
        return true; /* sold all day, or outside every window: show everything */
    for (const char *p = it->periods; (p = strstr(p, period)) != NULL; p += n)
        if ((p == it->periods || p[-1] == ',') && (p[n] == ',' || p[n] == '\0'))
            return true;
    return false;
}

void k_sell_clear(kiosk_t *k)
{
    memset(&k->cart, 0, sizeof k->cart);
    k->have_elder = false;
    memset(&k->ident, 0, sizeof k->ident);
    k->refusal = false;
    k->period[0] = '\0';
    k->text[0] = '\0';
    k_requote(k);
}

void k_sell_enter(kiosk_t *k)
{
    k_sell_clear(k);
    k->msg[0] = '\0';
    k->done_until_ms = 0;
    k_goto(k, K_SELL);
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

void k_requote(kiosk_t *k)
{
    zc_err err = {{0}};
    k->quote_ok = false;
    k->quote_err[0] = '\0';
    int rc = till_quote(k->t, &(till_quote_req){.elder = k->have_elder ? &k->ident.elder : NULL,
                                                .cart = &k->cart, .at = k_local_now(k),
                                                .period = k->period[0] ? k->period : NULL,
                                                .extra = k->have_elder ? k->extra : NULL,
                                                .nextra = k->have_elder ? k->nextra : 0},
                        &k->quote, &err);
    if (rc == ZC_OK)
        k->quote_ok = true;
    else if (rc == ZC_ENOTFOUND) /* the only thing a quote can miss is the policy */
        snprintf(k->quote_err, sizeof k->quote_err, "%s", TR(k, "没有生效的补贴政策（已到期），暂停收银：请联网同步新政策"));
    else
        snprintf(k->quote_err, sizeof k->quote_err, "%s", err.msg);
}

/* With no eligible dish in the cart yet, quote one unit of the first
 * eligible menu item, so a limit or period refusal shows at the card tap. */
static void probe_quote(kiosk_t *k, zc_quote *q, bool *ok)
{
    *ok = false;
    if (k->quote_ok && k->quote.eligible > 0) {
        *q = k->quote;
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
        till_quote_req req = {.elder = &k->ident.elder, .cart = &c, .at = k_local_now(k),
                              .period = k->period[0] ? k->period : NULL, .extra = k->extra,
                              .nextra = k->nextra};
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
    k->refusal = true;
    k->refusal_status = TILL_ID_OK;
    snprintf(k->refusal_msg, sizeof k->refusal_msg, "%s", zc_reason_text(r, k->lang[0] == 'e' ? "en" : "zh"));
    k->refused = k->ident;
    k_say(k, "tone_error");
    k_say(k, r == ZC_R_LIMIT_WEEK ? "week_limit"
             : r == ZC_R_OUTSIDE_PERIOD || r == ZC_R_PERIOD_NOT_COVERED ? "outside_period"
                                                                        : "limit_reached");
    return true;
}

void k_usage_poll(kiosk_t *k)
{
    int n = 0;
    if (!k->sync || !k->have_elder) {
        k->usage_pending = false;
        return;
    }
    int rc = sync_usage_take(k->sync, k->ident.elder.id, k->extra, K_MAX_EXTRA, &n);
    if (rc == ZC_ENOTFOUND && k->now_ms < k->usage_deadline_ms)
        return; /* not yet: the local quote stands */
    k->usage_pending = false;
    if (rc != ZC_OK || n == 0)
        return; /* no answer in time, or nothing elsewhere: the local quote was right */
    k->nextra = n;
    zc_fen before = k->quote_ok ? k->quote.subsidy : -1;
    k_requote(k);
    if (!k->refusal && k->quote_ok && k->quote.subsidy != before && !limit_modal(k))
        k_message(k, false, "%s", TR(k, "已按其他食堂的用餐记录更新补贴"));
}

void k_select_elder(kiosk_t *k, const zc_elder *e, const char *how)
{
    memset(&k->ident, 0, sizeof k->ident);
    k->nextra = 0;
    k->usage_pending = false;
    if (k->sync && sync_usage_ask(k->sync, e->id, k_local_now(k).date) == ZC_OK) {
        k->usage_pending = true;
        k->usage_deadline_ms = k->now_ms + K_USAGE_WAIT_MS;
    }
    k->ident.elder = *e;
    k->ident.have_elder = true;
    k->have_elder = true;
    k->refusal = false;
    k_requote(k);
    if (limit_modal(k))
        return;
    k_say(k, "tone_ok");
    k_say(k, "card_ok");
    if (k->quote_ok && k->cart.n) {
        if (k->quote.subsidy > 0)
            k_say_amount(k, "subsidy", k->quote.subsidy);
        k_say_amount(k, "pay", k->quote.pay);
    }
    k_message(k, false, "%s %s", TR(k, how), e->id);
}

void k_sell_card(kiosk_t *k, const char *line)
{
    till_ident id;
    zc_err err = {{0}};
    if (k->scr == K_DONE)
        k_sell_enter(k);
    if (k->refusal) /* a new card replaces a pending refusal */
        k->refusal = false;
    int rc = till_identify(k->t, line, k_local_now(k).date, &id, &err);
    if (rc == ZC_OK) {
        k_select_elder(k, &id.elder, "刷卡成功");
        k->ident = id;
        return;
    }
    k->refusal = true;
    k->refusal_status = id.status;
    k->refused = id;
    snprintf(k->refusal_msg, sizeof k->refusal_msg, "%s", err.msg);
    say_refusal(k, id.status);
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
    if (zc_cart_add(&k->cart, &l) != ZC_OK) {
        k_message(k, true, "%s", TR(k, "购物车已满"));
        return;
    }
    k->msg[0] = '\0';
    k_requote(k);
}

/* Commits the sale; on success shows "done". */
static void commit_sale(kiosk_t *k, store_pay pay, zc_fen tendered, const char *ref)
{
    zc_err err = {{0}};
    int64_t now = k_epoch_now(k);
    till_sale_req req = {
        .quote = {.elder = k->have_elder ? &k->ident.elder : NULL, .cart = &k->cart, .at = zc_tz_local(now),
                  .period = k->period[0] ? k->period : NULL, .extra = k->have_elder ? k->extra : NULL,
                  .nextra = k->have_elder ? k->nextra : 0},
        .at_utc = now, .operator_id = k->op.id,
        .card_uid = k->have_elder && k->ident.card_uid[0] ? k->ident.card_uid : NULL,
        .pay = pay, .pay_ref = ref, .tendered_fen = tendered,
    };
    if (till_sale(k->t, &req, &k->done, &err) != ZC_OK) {
        /* nothing was saved: say so plainly and stay on the payment screen */
        k_message(k, true, "%s %s", TR(k, "未保存，请重试："), err.msg);
        k_say(k, "tone_error");
        return;
    }
    if (k->sync)
        sync_kick(k->sync); /* send it now rather than at the next round */
    k_status_refresh(k, true); /* one more unsent sale in the status bar */
    k->done_tendered = tendered;
    k->done_pay = pay;
    k->done_until_ms = k->now_ms + K_DONE_MS;
    k->print_msg[0] = '\0';
    k_goto(k, K_DONE);
    k->msg[0] = '\0';
    (void)k_print_sale(k, k->done.id, false, k->print_msg, sizeof k->print_msg);
    k_say(k, "paid");
    if (pay == STORE_PAY_CASH && tendered > k->done.quote.pay)
        k_say_amount(k, "change", tendered - k->done.quote.pay);
    k_say(k, "thanks");
}

static void pay_cash_confirm(kiosk_t *k)
{
    zc_fen tendered = 0, due = k->quote.pay;
    if (k->entry[0] && !k_entry_fen(k, &tendered)) {
        k_message(k, true, "%s", TR(k, "金额无效"));
        return;
    }
    if (!k->entry[0])
        tendered = due; /* nothing typed: exact amount */
    if (tendered < due) {
        char a[24];
        k_message(k, true, "%s %s", TR(k, "收款不足，应付"), k_yuan(due, a, sizeof a));
        return;
    }
    commit_sale(k, STORE_PAY_CASH, tendered, NULL);
}

bool k_sell_tap(kiosk_t *k, const char *id)
{
    if (k->scr == K_SELL && k->refusal) {
        if (strcmp(id, "refusal:continue") == 0) {
            /* full price: drop the elder (or keep them, subsidy-less, when identified) */
            /* a limit or period refusal keeps the elder on the sale (subsidy 0);
             * a refused card sells to nobody in particular */
            k->refusal = false;
            if (k->refusal_status != TILL_ID_OK)
                k->have_elder = false;
            k_requote(k);
            k_message(k, false, "%s", TR(k, "按原价继续"));
            k_say(k, "full_price");
        } else if (strcmp(id, "refusal:cancel") == 0) {
            k->refusal = false;
            k->have_elder = false;
            k_requote(k);
            k->msg[0] = '\0';
        }
        return true;
    }
    switch (k->scr) {
    case K_SELL:
        if (strncmp(id, "item:", 5) == 0) {
            add_item(k, id + 5);
        } else if (strncmp(id, "cat:", 4) == 0) {
            char *end;
            long c = strtol(id + 4, &end, 10);
            if (!*end && c >= 0 && c < k->ncats)
                k->cat = (int)c;
        } else if (strncmp(id, "inc:", 4) == 0) {
            add_item(k, id + 4);
        } else if (strncmp(id, "dec:", 4) == 0) {
            zc_cart_remove(&k->cart, id + 4, 1);
            k_requote(k);
        } else if (strcmp(id, "clear") == 0) {
            k_sell_clear(k);
            k->msg[0] = '\0';
        } else if (strcmp(id, "elder_clear") == 0) {
            k->have_elder = false;
            k_requote(k);
        } else if (strcmp(id, "period") == 0) {
            static const char *const cycle[] = {"", "breakfast", "lunch", "dinner"};
            int i = 0;
            for (int j = 0; j < 4; j++)
                if (strcmp(k->period, cycle[j]) == 0)
                    i = j;
            snprintf(k->period, sizeof k->period, "%s", cycle[(i + 1) % 4]);
            k_requote(k);
        } else if (strcmp(id, "pay_cash") == 0 || strcmp(id, "pay_mobile") == 0) {
            if (!k->cart.n) {
                k_message(k, true, "%s", TR(k, "请先选择菜品"));
            } else if (!k->quote_ok) {
                k_message(k, true, "%s", k->quote_err);
            } else {
                k_goto(k, strcmp(id, "pay_cash") == 0 ? K_PAY_CASH : K_PAY_MOBILE);
                k->text[0] = '\0';
                k->msg[0] = '\0';
                k_say_amount(k, "pay", k->quote.pay);
            }
        } else {
            return k_admin_tap(k, id); /* lookup, recent, shift, settings, logout */
        }
        return true;
    case K_PAY_CASH:
        if (strncmp(id, "key:", 4) == 0) {
            k_entry_key(k, id + 4, true);
        } else if (strncmp(id, "tender:", 7) == 0) {
            if (strcmp(id + 7, "exact") == 0)
                k->entry[0] = '\0';
            else
                snprintf(k->entry, sizeof k->entry, "%s", id + 7);
            if (strcmp(id + 7, "exact") == 0)
                pay_cash_confirm(k);
        } else if (strcmp(id, "confirm") == 0) {
            pay_cash_confirm(k);
        } else if (strcmp(id, "back") == 0) {
            k_goto(k, K_SELL);
        }
        return true;
    case K_PAY_MOBILE:
        if (strncmp(id, "key:", 4) == 0) {
            size_t n = strlen(k->text);
            if (strcmp(id + 4, "back") == 0) {
                if (n)
                    k->text[n - 1] = '\0';
            } else if (strcmp(id + 4, "clear") == 0) {
                k->text[0] = '\0';
            } else if (n + 1 < sizeof k->text) {
                snprintf(k->text + n, sizeof k->text - n, "%s", id + 4);
            }
        } else if (strcmp(id, "confirm") == 0) {
            if (strlen(k->text) < 4)
                k_message(k, true, "%s", TR(k, "请扫描或输入支付流水号"));
            else
                commit_sale(k, STORE_PAY_MOBILE, 0, k->text);
        } else if (strcmp(id, "back") == 0) {
            k_goto(k, K_SELL);
        }
        return true;
    case K_DONE:
        if (strcmp(id, "next") == 0)
            k_sell_enter(k);
        else if (strcmp(id, "reprint") == 0) {
            (void)k_print_sale(k, k->done.id, true, k->print_msg, sizeof k->print_msg);
            k->done_until_ms = k->now_ms + K_DONE_MS;
        }
        return true;
    default:
        return false;
    }
}

void k_sell_key(kiosk_t *k, int key)
{
    if (key == KKEY_ESCAPE) {
        if (k->refusal)
            k_sell_tap(k, "refusal:cancel");
        else if (k->scr == K_PAY_CASH || k->scr == K_PAY_MOBILE)
            k_goto(k, K_SELL);
        else if (k->scr == K_DONE)
            k_sell_enter(k);
    } else if (key == KKEY_ENTER) {
        if (k->scr == K_PAY_CASH)
            pay_cash_confirm(k);
        else if (k->scr == K_PAY_MOBILE)
            k_sell_tap(k, "confirm");
        else if (k->scr == K_DONE)
            k_sell_enter(k);
    } else if (key == KKEY_BACKSPACE) {
        if (k->scr == K_PAY_CASH)
            k_entry_key(k, "back", true);
        else if (k->scr == K_PAY_MOBILE)
            k_sell_tap(k, "key:back");
    }
}

void k_sell_text(kiosk_t *k, const char *text)
{
    if (k->scr == K_PAY_CASH) {
        for (const char *p = text; *p; p++) {
            char key[2] = {*p, 0};
            k_entry_key(k, *p == '.' ? "dot" : key, true);
        }
    } else if (k->scr == K_PAY_MOBILE) {
        size_t n = strlen(k->text);
        for (const char *p = text; *p && n + 1 < sizeof k->text; p++)
            if ((*p >= '0' && *p <= '9') || (*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z'))
                k->text[n++] = *p;
        k->text[n] = '\0';
    }
}
