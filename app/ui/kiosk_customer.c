/* kiosk_customer.c - the elder's own screen, for a display facing the
 * counter (kiosk_draw_customer in kiosk.h).
 *
 * It reads the same state as the cashier's screens and changes nothing, so
 * it always says what the till is doing: welcome and "tap your card" while
 * nobody is being served; the elder's masked name, age, tiers, what is left
 * of the allowance, the subsidy by funding source and what to pay while
 * they are; a refusal in words with a symbol (× ...), never a colour alone;
 * "paid, thank you" and the change at the end.  Dark background, white and
 * yellow type from about 64 px up at 1080p: readable from a metre away by
 * eyes that are eighty years old.  No widgets: nothing here is touched. */
#include <string.h>

#include "kiosk_int.h"

enum {
    C_SOFT = 0xC9D6E8, /* secondary text on the dark background */
    C_BAND_OK = 0x17663A,
    C_BAND_NO = 0xA8201A,
};

static const char *lang2(const kiosk_t *k) { return k->lang[0] == 'e' ? "en" : "zh"; }

/* Rows are placed in 1080p units scaled to the screen's height (customer
 * displays are often 16:10 or 5:3); type is scaled by kv, which keeps it
 * inside the width too. */
static int cy(const k_view *v, int y) { return (int)(y * (double)v->h / 1080.0 + 0.5); }

/* Canteen name and the time, small, on top. */
static void header(kiosk_t *k, const k_view *v)
{
    char t[24];
    int h = cy(v, 84), m = kv(v, 48);
    ui_rect_fill(v->d, (ui_rect){0, 0, v->w, h}, 0x06182E);
    zc_datetime_fmt(k_local_now(k), t, sizeof t);
    ui_text(v->d, (ui_rect){m, 0, v->w * 6 / 10, h}, till_canteen(k->t)->name, kv(v, 40), C_SOFT, UI_LEFT, false);
    ui_text(v->d, (ui_rect){v->w * 6 / 10, 0, v->w * 4 / 10 - m, h}, t + 11, kv(v, 44), C_SOFT, UI_RIGHT, true);
}

/* A line of text across the screen at y (1080p units), centred. */
static void line(const k_view *v, int y, int hh, const char *text, int size, ui_color c, bool bold)
{
    int m = kv(v, 60);
    ui_text(v->d, (ui_rect){m, cy(v, y), v->w - 2 * m, cy(v, hh)}, text, kv(v, size), c, UI_CENTER, bold);
}

/* "请付 10.00 元" */
static void pay_line(kiosk_t *k, const k_view *v, int y, int hh, zc_fen pay, int size)
{
    char buf[80], a[24];
    snprintf(buf, sizeof buf, "%s %s %s", TR(k, "请付"), k_yuan(pay, a, sizeof a), TR(k, "元"));
    line(v, y, hh, buf, size, K_ELDER_PAY, true);
}

/* Nobody identified: welcome, and what to do. */
static void draw_idle(kiosk_t *k, const k_view *v, bool selling)
{
    char buf[400];
    if (!selling) {
        line(v, 280, 220, TR(k, "欢迎用餐"), 170, K_ELDER_INK, true);
        line(v, 560, 160, TR(k, "请稍候"), 110, C_SOFT, true);
        return;
    }
    if (!k->sale.cart.n || !k->sale.quote_ok) {
        line(v, 230, 220, TR(k, "欢迎用餐"), 170, K_ELDER_INK, true);
        line(v, 490, 180, TR(k, "请刷卡"), 140, K_ELDER_PAY, true);
        line(v, 730, 90, TR(k, "没有卡请告诉收银员"), 60, C_SOFT, false);
        return;
    }
    /* dishes chosen, no card yet: the price as it stands */
    line(v, 130, 170, TR(k, "请刷卡"), 130, K_ELDER_PAY, true);
    line(v, 320, 80, TR(k, "未刷卡按原价"), 56, C_SOFT, false);
    line(v, 430, 80, k_cart_text(k, 3, buf, sizeof buf), 52, K_ELDER_INK, false);
    pay_line(k, v, 580, 260, k->sale.quote.pay, 180);
}

/* The elder identified: who, tiers, allowance, subsidy, what to pay. */
static void draw_elder(kiosk_t *k, const k_view *v)
{
    ui_draw *d = v->d;
    const zc_elder *e = &k->sale.ident.elder;
    char buf[400], masked[ZC_NAME_MAX], a[24];
    int m = kv(v, 80), w = v->w - 2 * m;
    zc_name_mask(e->name, masked, sizeof masked);
    snprintf(buf, sizeof buf, "%d %s", zc_age_on(e->birth, k_local_now(k).date), TR(k, "岁"));
    ui_text(d, (ui_rect){m, cy(v, 104), w * 62 / 100, cy(v, 160)}, masked, kv(v, 136), K_ELDER_INK, UI_LEFT, true);
    ui_text(d, (ui_rect){m + w * 62 / 100, cy(v, 104), w * 38 / 100, cy(v, 160)}, buf, kv(v, 100), K_ELDER_INK,
            UI_RIGHT, true);
    ui_text(d, (ui_rect){m, cy(v, 270), w, cy(v, 72)}, k_tiers_text(k, e, true, buf, sizeof buf), kv(v, 56), C_SOFT,
            UI_LEFT, false);
    bool hint = false;
    if (k_uses_text(k, buf, sizeof buf)) {
        ui_text(d, (ui_rect){m, cy(v, 346), w, cy(v, 72)}, buf, kv(v, 56), K_ELDER_INK, UI_LEFT, false);
    } else if (k_no_subsidy_text(k, buf, sizeof buf, &hint)) {
        ui_text(d, (ui_rect){m, cy(v, 346), w, cy(v, 72)}, buf, kv(v, 56), hint ? C_SOFT : K_ELDER_PAY, UI_LEFT,
                false);
    }
    ui_rect_fill(d, (ui_rect){m, cy(v, 432), w, cy(v, 3)}, 0x3A5578);
    if (!k->sale.cart.n || !k->sale.quote_ok) {
        /* no dishes yet; or no price (the cashier's screen says why) */
        line(v, 520, 200, !k->sale.cart.n ? TR(k, "请点餐") : TR(k, "请稍候"), 130, K_ELDER_PAY, true);
        return;
    }
    ui_text(d, (ui_rect){m, cy(v, 446), w, cy(v, 64)}, k_cart_text(k, 3, buf, sizeof buf), kv(v, 48), C_SOFT, UI_LEFT,
            false);
    /* the subsidy is what the elder came for: nearly as large as what to pay */
    if (k->sale.quote.subsidy > 0) {
        char src[200];
        snprintf(buf, sizeof buf, "%s %s %s", TR(k, "本餐补贴"), k_yuan(k->sale.quote.subsidy, a, sizeof a),
                 TR(k, "元"));
        line(v, 515, 130, buf, 110, K_ELDER_INK, true);
        line(v, 645, 60, k_sources_text(k, &k->sale.quote, src, sizeof src), 44, C_SOFT, false);
    }
    pay_line(k, v, 705, 170, k->sale.quote.pay, 150);
    /* the cash handed over and the change, while the cashier types it */
    zc_fen t = 0;
    if (k->scr == K_PAY_CASH && k_entry_fen(k, &t) && t >= k->sale.quote.pay) {
        char b[24];
        snprintf(buf, sizeof buf, "%s %s %s   %s %s %s", TR(k, "实收"), k_yuan(t, a, sizeof a), TR(k, "元"),
                 TR(k, "找零"), k_yuan(t - k->sale.quote.pay, b, sizeof b), TR(k, "元"));
        line(v, 870, 110, buf, 80, K_ELDER_INK, true);
    }
}

/* What the elder should do about a refusal, in their words (the cashier's
 * screen says what the cashier should do). */
static const char *elder_advice(kiosk_t *k, till_status s)
{
    switch (s) {
    case TILL_ID_OK: return TR(k, "本餐可按原价用餐");
    case TILL_ID_MALFORMED: return TR(k, "请再刷一次卡");
    case TILL_ID_UNKNOWN: return TR(k, "此卡未登记，请到社区登记");
    case TILL_ID_AMBIGUOUS: return TR(k, "请出示身份证");
    case TILL_ID_CARD_LOST: return TR(k, "请到社区补办新卡");
    case TILL_ID_CARD_EXPIRED: return TR(k, "请到社区换新卡");
    case TILL_ID_CARD_NOT_YET: return TR(k, "此卡还未到启用日期");
    case TILL_ID_QR_INVALID: return TR(k, "请出示最新的二维码或实体卡");
    default: return TR(k, "请联系社区");
    }
}

static void draw_refusal(kiosk_t *k, const k_view *v)
{
    char buf[400], masked[ZC_NAME_MAX];
    const char *what = k->sale.refusal_status == TILL_ID_OK ? k->sale.refusal_msg
                                                            : till_status_text(k->sale.refusal_status, lang2(k));
    ui_rect_fill(v->d, (ui_rect){0, cy(v, 84), v->w, cy(v, 300)}, C_BAND_NO);
    snprintf(buf, sizeof buf, "× %s", what);
    line(v, 84, 300, buf, 140, 0xFFFFFF, true);
    int y = 430;
    if (k->sale.refused.have_elder) {
        line(v, y, 150, zc_name_mask(k->sale.refused.elder.name, masked, sizeof masked), 120, K_ELDER_INK, true);
        y += 170;
    }
    line(v, y, 120, elder_advice(k, k->sale.refusal_status), 84, K_ELDER_PAY, true);
    if (k->sale.refusal_status == TILL_ID_OK && k->sale.refusal_next[0]) /* "午餐 10:30 开始" */
        line(v, y + 130, 110, k->sale.refusal_next, 84, K_ELDER_INK, true);
    line(v, 930, 90, TR(k, "如有疑问请问收银员"), 56, C_SOFT, false);
}

static void draw_done(kiosk_t *k, const k_view *v)
{
    char buf[200], a[24], b[24];
    const zc_quote *q = &k->done.sale.quote;
    ui_rect_fill(v->d, (ui_rect){0, cy(v, 84), v->w, cy(v, 280)}, C_BAND_OK);
    snprintf(buf, sizeof buf, "✓ %s", k->done.pay == STORE_PAY_MOBILE ? TR(k, "已记录付款") : TR(k, "已付款"));
    line(v, 84, 280, buf, 150, 0xFFFFFF, true);
    line(v, 400, 170, TR(k, "谢谢"), 140, K_ELDER_INK, true);
    if (q->subsidy > 0)
        snprintf(buf, sizeof buf, "%s %s %s   %s %s %s", TR(k, "补贴"), k_yuan(q->subsidy, a, sizeof a), TR(k, "元"),
                 TR(k, "实付"), k_yuan(q->pay, b, sizeof b), TR(k, "元"));
    else
        snprintf(buf, sizeof buf, "%s %s %s", TR(k, "实付"), k_yuan(q->pay, b, sizeof b), TR(k, "元"));
    line(v, 600, 110, buf, 80, K_ELDER_INK, true);
    if (k->done.pay == STORE_PAY_CASH && k->done.tendered > q->pay) {
        snprintf(buf, sizeof buf, "%s %s %s", TR(k, "找零"), k_yuan(k->done.tendered - q->pay, a, sizeof a),
                 TR(k, "元"));
        line(v, 750, 200, buf, 150, K_ELDER_PAY, true);
    }
}

void kiosk_draw_customer(kiosk_t *k, ui_draw *d, int w, int h)
{
    k_view v = {.d = d, .w = w, .h = h};
    double sx = w / 1920.0, sy = h / 1080.0;
    v.s = sx < sy ? sx : sy;
    unsigned flags = k_screen_row(k)->flags;
    bool selling = flags & K_SCR_SALE;
    ui_draw_begin(d, w, h);
    ui_rect_fill(d, (ui_rect){0, 0, w, h}, K_ELDER_BG);
    if (flags & K_SCR_NO_TILL) { /* no till: the cashier's screen explains */
        ui_text(d, (ui_rect){0, cy(&v, 440), w, cy(&v, 200)}, TR(k, "暂停服务"), kv(&v, 120), K_ELDER_INK,
                UI_CENTER, true);
        return;
    }
    header(k, &v);
    if (k->scr == K_DONE)
        draw_done(k, &v);
    else if (selling && k->sale.refusal)
        draw_refusal(k, &v);
    else if (selling && k->sale.have_elder)
        draw_elder(k, &v);
    else
        draw_idle(k, &v, selling);
}
