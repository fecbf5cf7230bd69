/* kiosk_sell_view.c - drawing the selling, payment and done screens.
 *
 * Layout at 1920x1080 (scaled by k_view.s for other sizes): status bar on
 * top; the menu on the left 59%; on the right the elder panel (dark, very
 * large type: the elder reads it from a metre away), the cart, totals and
 * the two payment buttons.  Text always carries the meaning; colour only
 * helps (refusals say what happened in words and with a symbol). */
#include <string.h>

#include "kiosk_int.h"

/* The elder's side: who, which tiers, what is left, the split, what to pay. */
static void draw_elder_panel(kiosk_t *k, const k_view *v, ui_rect r)
{
    ui_draw *d = v->d;
    char buf[320], a[24];
    int x = r.x + kv(v, 28), w = r.w - kv(v, 56), y = r.y + kv(v, 16);
    ui_rect_fill(d, r, K_ELDER_BG);
    if (!k->have_elder) {
        ui_text(d, (ui_rect){x, y, w, kv(v, 96)}, TR(k, "请刷卡"), kv(v, 80), K_ELDER_INK, UI_LEFT, true);
        y += kv(v, 104);
        ui_text(d, (ui_rect){x, y, w, kv(v, 44)}, TR(k, "未刷卡按原价"), kv(v, 36), 0xC9D6E8, UI_LEFT, false);
    } else {
        const zc_elder *e = &k->ident.elder;
        char masked[ZC_NAME_MAX];
        zc_name_mask(e->name, masked, sizeof masked);
        int age = zc_age_on(e->birth, k_local_now(k).date);
        ui_text(d, (ui_rect){x, y, w * 6 / 10, kv(v, 96)}, masked, kv(v, 80), K_ELDER_INK, UI_LEFT, true);
        snprintf(buf, sizeof buf, "%d %s", age, TR(k, "岁"));
        ui_text(d, (ui_rect){x + w * 6 / 10, y, w * 4 / 10, kv(v, 96)}, buf, kv(v, 56), K_ELDER_INK, UI_RIGHT,
                true);
        y += kv(v, 100);
        ui_text(d, (ui_rect){x, y, w, kv(v, 44)}, k_tiers_text(k, e, buf, sizeof buf), kv(v, 34), 0xC9D6E8,
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
    if (!k->quote_ok || !k->cart.n)
        return;
    y = r.y + kv(v, 216);
    /* the subsidy and its funding sources */
    if (k->quote.subsidy > 0) {
        char src[160];
        k_sources_text(k, &k->quote, src, sizeof src);
        snprintf(buf, sizeof buf, "%s %s %s%s%s%s", TR(k, "补贴"), k_yuan(k->quote.subsidy, a, sizeof a), TR(k, "元"),
                 src[0] ? "（" : "", src, src[0] ? "）" : "");
        ui_text(d, (ui_rect){x, y, w, kv(v, 56)}, buf, kv(v, 44), K_ELDER_INK, UI_LEFT, false);
    }
    y += kv(v, 60);
    snprintf(buf, sizeof buf, "%s %s %s", TR(k, "请付"), k_yuan(k->quote.pay, a, sizeof a), TR(k, "元"));
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

static void draw_menu(kiosk_t *k, const k_view *v, ui_rect r)
{
    ui_draw *d = v->d;
    int tab_h = kv(v, 88), gap = kv(v, 14);
    char id[UI_WID_MAX], price[24];
    int tw = k->ncats ? (r.w - gap * (k->ncats - 1)) / k->ncats : r.w;
    for (int i = 0; i < k->ncats; i++) {
        snprintf(id, sizeof id, "cat:%d", i);
        ui_button(d, id, (ui_rect){r.x + i * (tw + gap), r.y, tw, tab_h}, menu_cat_name(k, k->cats[i]), kv(v, 36),
                  i == k->cat ? K_SELECTED : K_PANEL, i == k->cat ? 0xFFFFFF : K_INK, true);
    }
    int cols = 4, y0 = r.y + tab_h + gap;
    int cw = (r.w - gap * (cols - 1)) / cols, ch = kv(v, 156);
    int n = 0;
    for (int i = 0; i < k->nmenu; i++) {
        const store_item *it = &k->menu[i];
        if (k->ncats && strcmp(it->category, k->cats[k->cat]) != 0)
            continue;
        if (!k_item_on_sale(k, it))
            continue;
        ui_rect t = {r.x + (n % cols) * (cw + gap), y0 + (n / cols) * (ch + gap), cw, ch};
        if (t.y + t.h > r.y + r.h)
            break;
        n++;
        snprintf(id, sizeof id, "item:%s", it->code);
        ui_rect_fill(d, t, K_PANEL);
        ui_frame(d, t, K_LINE);
        ui_text(d, (ui_rect){t.x + kv(v, 12), t.y + kv(v, 10), t.w - kv(v, 24), kv(v, 60)}, it->name, kv(v, 40),
                K_INK, UI_LEFT, true);
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

static void draw_cart(kiosk_t *k, const k_view *v, ui_rect r)
{
    ui_draw *d = v->d;
    int row = kv(v, 64), shown = r.h / row - 1;
    char id[UI_WID_MAX], buf[64], a[24];
    ui_rect_fill(d, r, K_PANEL);
    ui_frame(d, r, K_LINE);
    if (!k->cart.n) {
        ui_text(d, r, TR(k, "点菜品加入"), kv(v, 34), K_MUTED, UI_CENTER, false);
        return;
    }
    int first = k->cart.n > shown ? k->cart.n - shown : 0;
    for (int i = first; i < k->cart.n; i++) {
        const zc_line *l = &k->cart.lines[i];
        int y = r.y + (i - first) * row;
        ui_text(d, (ui_rect){r.x + kv(v, 16), y, r.w * 45 / 100, row}, l->name, kv(v, 36), K_INK, UI_LEFT, false);
        snprintf(id, sizeof id, "dec:%s", l->code);
        ui_button(d, id, (ui_rect){r.x + r.w * 47 / 100, y + kv(v, 6), kv(v, 64), row - kv(v, 12)}, "−", kv(v, 40),
                  0xEDEDED, K_INK, true);
        snprintf(buf, sizeof buf, "%d", l->qty);
        ui_text(d, (ui_rect){r.x + r.w * 47 / 100 + kv(v, 64), y, kv(v, 60), row}, buf, kv(v, 36), K_INK, UI_CENTER,
                true);
        snprintf(id, sizeof id, "inc:%s", l->code);
        ui_button(d, id, (ui_rect){r.x + r.w * 47 / 100 + kv(v, 124), y + kv(v, 6), kv(v, 64), row - kv(v, 12)}, "+",
                  kv(v, 40), 0xEDEDED, K_INK, true);
        ui_text(d, (ui_rect){r.x, y, r.w - kv(v, 16), row}, k_yuan(l->unit_fen * l->qty, a, sizeof a), kv(v, 36),
                K_INK, UI_RIGHT, false);
    }
    if (first) {
        snprintf(buf, sizeof buf, "%s %d %s", TR(k, "上面还有"), first, TR(k, "项"));
        ui_text(d, (ui_rect){r.x + kv(v, 16), r.y + r.h - row, r.w, row}, buf, kv(v, 28), K_MUTED, UI_LEFT, false);
    }
}

static void draw_refusal(kiosk_t *k, const k_view *v)
{
    ui_draw *d = v->d;
    char buf[400];
    ui_rect box = {kv(v, 160), kv(v, 150), v->w - kv(v, 320), v->h - kv(v, 300)};
    ui_rect_fill(d, (ui_rect){0, kv(v, 64), v->w, v->h - kv(v, 64)}, 0x202020);
    ui_rect_fill(d, box, K_PANEL);
    ui_rect_fill(d, (ui_rect){box.x, box.y, box.w, kv(v, 200)}, K_DANGER);
    const char *title = k->refusal_status == TILL_ID_OK ? k->refusal_msg
                                                        : till_status_text(k->refusal_status, k->lang[0] == 'e' ? "en" : "zh");
    snprintf(buf, sizeof buf, "× %s", title);
    ui_text(d, (ui_rect){box.x + kv(v, 40), box.y, box.w - kv(v, 80), kv(v, 200)}, buf, kv(v, 96), 0xFFFFFF,
            UI_CENTER, true);
    int y = box.y + kv(v, 230);
    if (k->refused.have_elder) {
        char masked[ZC_NAME_MAX];
        snprintf(buf, sizeof buf, "%s", zc_name_mask(k->refused.elder.name, masked, sizeof masked));
        ui_text(d, (ui_rect){box.x, y, box.w, kv(v, 90)}, buf, kv(v, 72), K_INK, UI_CENTER, true);
        y += kv(v, 100);
    }
    if (k->refusal_status != TILL_ID_OK) {
        /* what to do, in the screen's language; the technical detail below it, small */
        ui_text(d, (ui_rect){box.x + kv(v, 40), y, box.w - kv(v, 80), kv(v, 64)},
                till_status_advice(k->refusal_status, k->lang[0] == 'e' ? "en" : "zh"), kv(v, 44), K_INK,
                UI_CENTER, true);
        ui_text(d, (ui_rect){box.x + kv(v, 40), y + kv(v, 74), box.w - kv(v, 80), kv(v, 44)}, k->refusal_msg,
                kv(v, 26), K_MUTED, UI_CENTER, false);
    } else {
        ui_text(d, (ui_rect){box.x + kv(v, 40), y, box.w - kv(v, 80), kv(v, 64)}, TR(k, "可按原价用餐"), kv(v, 44),
                K_INK, UI_CENTER, true);
    }
    int bw = (box.w - kv(v, 120)) / 2, bh = kv(v, 140), by = box.y + box.h - bh - kv(v, 40);
    ui_button(d, "refusal:continue", (ui_rect){box.x + kv(v, 40), by, bw, bh}, TR(k, "按原价继续"), kv(v, 52),
              K_PRIMARY, K_PRIMARY_INK, true);
    ui_button(d, "refusal:cancel", (ui_rect){box.x + box.w - kv(v, 40) - bw, by, bw, bh}, TR(k, "取消"), kv(v, 52),
              K_PANEL, K_INK, true);
}

static void draw_sell(kiosk_t *k, const k_view *v)
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
    if (k->quote_ok)
        snprintf(buf, sizeof buf, "%s %s   %s −%s   %s %s", TR(k, "合计"), k_yuan(k->quote.gross, a, sizeof a),
                 TR(k, "补贴"), k_yuan(k->quote.subsidy, b, sizeof b), TR(k, "应付"),
                 k_yuan(k->quote.pay, c, sizeof c));
    else
        snprintf(buf, sizeof buf, "%s", k->quote_err);
    ui_text(d, (ui_rect){rx, y, rw, kv(v, 56)}, buf, kv(v, 38), K_INK, UI_RIGHT, true);
    y += kv(v, 64);
    int gap = kv(v, 12), bh = kv(v, 110), bw = (rw - gap) / 2;
    bool can_pay = k->cart.n > 0 && k->quote_ok;
    ui_button(d, "pay_cash", (ui_rect){rx, y, bw, bh}, TR(k, "现金结账"), kv(v, 48), can_pay ? K_PRIMARY : 0x9DB8A6,
              K_PRIMARY_INK, true);
    ui_button(d, "pay_mobile", (ui_rect){rx + bw + gap, y, bw, bh}, TR(k, "移动支付"), kv(v, 48),
              can_pay ? K_SELECTED : 0x9AAAC0, K_PRIMARY_INK, true);
    y += bh + gap;
    const char *ids[] = {"clear", "period", "lookup", "recent", "reports", "shift_close", "settings", "logout"};
    const char *labels[] = {"清空", "餐次", "查找老人", "最近交易", "报表", "交班", "设置", "退出"};
    int nb = k->op.role == STORE_ROLE_ADMIN ? 8 : 7;
    /* two rows, so the labels stay large on narrow screens */
    int cols = (nb + 1) / 2, sw = (rw - gap * (cols - 1)) / cols, sh = (v->h - y - m - gap) / 2;
    for (int i = 0, j = 0; i < 8; i++) {
        if (strcmp(ids[i], "settings") == 0 && k->op.role != STORE_ROLE_ADMIN)
            continue;
        const char *label = TR(k, labels[i]);
        if (strcmp(ids[i], "period") == 0 && k->period[0])
            label = k_period_name(k, k->period);
        ui_button(d, ids[i], (ui_rect){rx + (j % cols) * (sw + gap), y + (j / cols) * (sh + gap), sw, sh}, label,
                  kv(v, 36), K_PANEL, K_INK, true);
        j++;
    }
    if (k->refusal)
        draw_refusal(k, v);
}

static void draw_pay(kiosk_t *k, const k_view *v, bool cash)
{
    ui_draw *d = v->d;
    char buf[160], a[24];
    int m = kv(v, 40), top = kv(v, 100), lw = v->w * 55 / 100;
    snprintf(buf, sizeof buf, "%s %s %s", TR(k, "应付"), k_yuan(k->quote.pay, a, sizeof a), TR(k, "元"));
    ui_rect_fill(d, (ui_rect){m, top, lw - 2 * m, kv(v, 200)}, K_ELDER_BG);
    ui_text(d, (ui_rect){m + kv(v, 30), top, lw - 2 * m - kv(v, 60), kv(v, 200)}, buf, kv(v, 112), K_ELDER_PAY,
            UI_LEFT, true);
    int y = top + kv(v, 230);
    if (cash) {
        zc_fen t = 0;
        bool have = k_entry_fen(k, &t);
        snprintf(buf, sizeof buf, "%s %s", TR(k, "实收"), k->entry[0] ? k->entry : TR(k, "（正好）"));
        ui_text(d, (ui_rect){m, y, lw - 2 * m, kv(v, 90)}, buf, kv(v, 72), K_INK, UI_LEFT, true);
        y += kv(v, 100);
        if (have && t >= k->quote.pay) {
            snprintf(buf, sizeof buf, "%s %s %s", TR(k, "找零"), k_yuan(t - k->quote.pay, a, sizeof a), TR(k, "元"));
            ui_text(d, (ui_rect){m, y, lw - 2 * m, kv(v, 90)}, buf, kv(v, 72), K_PRIMARY, UI_LEFT, true);
        }
        y += kv(v, 110);
        static const char *const quick[] = {"exact", "10", "20", "50", "100"};
        int gap = kv(v, 12), qw = (lw - 2 * m - 4 * gap) / 5;
        for (int i = 0; i < 5; i++) {
            char id[UI_WID_MAX];
            snprintf(id, sizeof id, "tender:%s", quick[i]);
            ui_button(d, id, (ui_rect){m + i * (qw + gap), y, qw, kv(v, 110)}, i ? quick[i] : TR(k, "正好"),
                      kv(v, 44), K_PANEL, K_INK, true);
        }
    } else {
        snprintf(buf, sizeof buf, "%s", TR(k, "请扫描付款码或输入支付流水号"));
        ui_text(d, (ui_rect){m, y, lw - 2 * m, kv(v, 60)}, buf, kv(v, 40), K_INK, UI_LEFT, false);
        y += kv(v, 80);
        ui_rect f = {m, y, lw - 2 * m, kv(v, 100)};
        ui_rect_fill(d, f, K_PANEL);
        ui_frame(d, f, K_INK);
        ui_text(d, (ui_rect){f.x + kv(v, 20), f.y, f.w - kv(v, 40), f.h}, k->text[0] ? k->text : "_", kv(v, 56), K_INK,
                UI_LEFT, true);
    }
    k_draw_message(k, v, (ui_rect){m, v->h - kv(v, 250), lw - 2 * m, kv(v, 72)});
    int bw = (lw - 2 * m - kv(v, 20)) / 2;
    ui_button(d, "back", (ui_rect){m, v->h - kv(v, 160), bw, kv(v, 130)}, TR(k, "返回"), kv(v, 48), K_PANEL, K_INK,
              true);
    ui_button(d, "confirm", (ui_rect){m + bw + kv(v, 20), v->h - kv(v, 160), bw, kv(v, 130)},
              cash ? TR(k, "确认收款") : TR(k, "确认"), kv(v, 48), K_PRIMARY, K_PRIMARY_INK, true);
    k_draw_keypad(k, v, (ui_rect){lw + m, top, v->w - lw - 2 * m, v->h - top - m}, "key:", cash);
}

static void draw_done(kiosk_t *k, const k_view *v)
{
    ui_draw *d = v->d;
    char buf[200], a[24], b[24];
    const zc_quote *q = &k->done.quote;
    int m = kv(v, 80), y = kv(v, 130), w = v->w - 2 * m;
    ui_rect_fill(d, (ui_rect){m, y, w, kv(v, 180)}, K_PRIMARY);
    snprintf(buf, sizeof buf, "✓ %s", TR(k, "支付成功"));
    ui_text(d, (ui_rect){m, y, w, kv(v, 180)}, buf, kv(v, 104), K_PRIMARY_INK, UI_CENTER, true);
    y += kv(v, 220);
    snprintf(buf, sizeof buf, "%s %s %s   %s %s %s", TR(k, "补贴"), k_yuan(q->subsidy, a, sizeof a), TR(k, "元"),
             TR(k, "实付"), k_yuan(q->pay, b, sizeof b), TR(k, "元"));
    ui_text(d, (ui_rect){m, y, w, kv(v, 100)}, buf, kv(v, 72), K_INK, UI_CENTER, true);
    y += kv(v, 110);
    if (k->done_pay == STORE_PAY_CASH && k->done_tendered > q->pay) {
        snprintf(buf, sizeof buf, "%s %s %s", TR(k, "找零"), k_yuan(k->done_tendered - q->pay, a, sizeof a),
                 TR(k, "元"));
        ui_text(d, (ui_rect){m, y, w, kv(v, 100)}, buf, kv(v, 80), K_PRIMARY, UI_CENTER, true);
    }
    y += kv(v, 120);
    snprintf(buf, sizeof buf, "%s %lld  ·  %s", TR(k, "流水号"), (long long)k->done.seq, TR(k, "已保存在本机"));
    ui_text(d, (ui_rect){m, y, w, kv(v, 50)}, buf, kv(v, 34), K_MUTED, UI_CENTER, false);
    if (k->print_msg[0])
        ui_text(d, (ui_rect){m, y + kv(v, 60), w, kv(v, 50)}, k->print_msg, kv(v, 34), K_INK, UI_CENTER, false);
    k_draw_message(k, v, (ui_rect){m, v->h - kv(v, 260), w, kv(v, 72)});
    int bw = (w - kv(v, 20)) / 2;
    ui_button(d, "reprint", (ui_rect){m, v->h - kv(v, 170), bw, kv(v, 140)}, TR(k, "补打小票"), kv(v, 48), K_PANEL,
              K_INK, true);
    ui_button(d, "next", (ui_rect){m + bw + kv(v, 20), v->h - kv(v, 170), bw, kv(v, 140)}, TR(k, "下一位"),
              kv(v, 56), K_PRIMARY, K_PRIMARY_INK, true);
}

void k_sell_draw(kiosk_t *k, const k_view *v)
{
    k_draw_status(k, v);
    switch (k->scr) {
    case K_SELL: draw_sell(k, v); break;
    case K_PAY_CASH: draw_pay(k, v, true); break;
    case K_PAY_MOBILE: draw_pay(k, v, false); break;
    case K_DONE: draw_done(k, v); break;
    default: break;
    }
}
