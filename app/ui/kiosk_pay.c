/* kiosk_pay.c - paying for the sale being built (cash or a mobile
 * payment's reference) and the done screen after it was committed.
 *
 * The till takes no mobile payment itself: the elder pays elsewhere (the
 * canteen's 收款码 or a bank card machine) and the cashier records that
 * payment's reference here.  The screens say exactly that; nothing claims
 * the till charged anything ("已记录", never "支付成功").
 *
 * Both payment screens commit through k_sale_commit (kiosk_sell.c), which
 * opens the done screen only once the store has the sale; on a refusal
 * (a full disk) they stay with the reason in words.  Done returns to
 * selling by itself after K_DONE_MS. */
#include <string.h>

#include "kiosk_int.h"

/* widget ids, with K_ID_KEY + a keypad key, K_ID_CONFIRM, K_ID_BACK, K_ID_NEXT and K_ID_REPRINT */
#define ID_TENDER "tender:" /* + ID_EXACT or a banknote in yuan, added to what was handed over */
#define ID_EXACT "exact"

/* Opening either payment screen: what is due, said aloud. */
static void pay_enter(kiosk_t *k)
{
    k->pay.ref[0] = '\0';
    k->msg[0] = '\0';
    k_say_amount(k, "pay", k->sale.quote.pay);
}

/* Escape leaves for the sell screen, except over a pending refusal (the
 * centre's answer came while paying): only the sell screen answers it. */
static bool escape_leaves(const kiosk_t *k) { return !k->sale.refusal; }

static void pay_draw(kiosk_t *k, const k_view *v, bool cash)
{
    ui_draw *d = v->d;
    char buf[160], a[24];
    int m = kv(v, 40), top = kv(v, 100), lw = v->w * 55 / 100;
    snprintf(buf, sizeof buf, "%s %s %s", TR(k, "应付"), k_yuan(k->sale.quote.pay, a, sizeof a), TR(k, "元"));
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
        if (have && t >= k->sale.quote.pay) {
            snprintf(buf, sizeof buf, "%s %s %s", TR(k, "找零"), k_yuan(t - k->sale.quote.pay, a, sizeof a),
                     TR(k, "元"));
            ui_text(d, (ui_rect){m, y, lw - 2 * m, kv(v, 90)}, buf, kv(v, 72), K_PRIMARY, UI_LEFT, true);
        }
        y += kv(v, 110);
        /* banknotes as the elder hands them over: each tap adds one */
        static const char *const quick[] = {ID_EXACT, "5", "10", "20", "50", "100"};
        int gap = kv(v, 12), qw = (lw - 2 * m - 5 * gap) / 6;
        for (int i = 0; i < 6; i++) {
            char id[UI_WID_MAX], label[16];
            snprintf(id, sizeof id, "%s%s", ID_TENDER, quick[i]);
            snprintf(label, sizeof label, "+%s", quick[i]);
            ui_button(d, id, (ui_rect){m + i * (qw + gap), y, qw, kv(v, 110)}, i ? label : TR(k, "正好"), kv(v, 44),
                      K_PANEL, K_INK, true);
        }
    } else {
        ui_text(d, (ui_rect){m, y, lw - 2 * m, kv(v, 56)}, TR(k, "1. 请老人用收款码或银行卡机付款"), kv(v, 40), K_INK,
                UI_LEFT, false);
        y += kv(v, 60);
        ui_text(d, (ui_rect){m, y, lw - 2 * m, kv(v, 56)}, TR(k, "2. 看到收款成功后，扫描或输入交易单号"), kv(v, 40),
                K_INK, UI_LEFT, false);
        y += kv(v, 60);
        ui_text(d, (ui_rect){m, y, lw - 2 * m, kv(v, 50)}, TR(k, "本机不扣款，只记录单号"), kv(v, 34), K_MUTED,
                UI_LEFT, false);
        y += kv(v, 60);
        ui_rect f = {m, y, lw - 2 * m, kv(v, 100)};
        ui_rect_fill(d, f, K_PANEL);
        ui_frame(d, f, K_INK);
        ui_text(d, (ui_rect){f.x + kv(v, 20), f.y, f.w - kv(v, 40), f.h}, k->pay.ref[0] ? k->pay.ref : "_", kv(v, 56),
                K_INK, UI_LEFT, true);
    }
    k_draw_message(k, v, (ui_rect){m, v->h - kv(v, 250), lw - 2 * m, kv(v, 72)});
    int bw = (lw - 2 * m - kv(v, 20)) / 2;
    ui_button(d, K_ID_BACK, (ui_rect){m, v->h - kv(v, 160), bw, kv(v, 130)}, TR(k, "返回"), kv(v, 48), K_PANEL, K_INK,
              true);
    ui_button(d, K_ID_CONFIRM, (ui_rect){m + bw + kv(v, 20), v->h - kv(v, 160), bw, kv(v, 130)},
              cash ? TR(k, "确认收款") : TR(k, "已收款，记录单号"), kv(v, 48), K_PRIMARY, K_PRIMARY_INK, true);
    k_draw_keypad(k, v, (ui_rect){lw + m, top, v->w - lw - 2 * m, v->h - top - m}, K_ID_KEY, cash);
}

/* ---- cash ---- */

static void cash_confirm(kiosk_t *k)
{
    zc_fen tendered = 0, due = k->sale.quote.pay;
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
    k_sale_commit(k, STORE_PAY_CASH, tendered, NULL);
}

/* Adds a banknote of yuan to the amount handed over (k->entry). */
static void add_note(kiosk_t *k, const char *yuan)
{
    zc_fen have = 0, note = 0;
    char a[24];
    if (zc_fen_parse(yuan, &note) != ZC_OK)
        return;
    if (k->entry[0] && !k_entry_fen(k, &have))
        have = 0; /* a half-typed amount: the note starts afresh */
    if (have + note > 99999900) /* the entry's limit: 999 999 yuan */
        return;
    snprintf(k->entry, sizeof k->entry, "%s", k_yuan(have + note, a, sizeof a));
}

static void cash_tap(kiosk_t *k, const char *id)
{
    const char *arg;
    if ((arg = k_id_arg(id, K_ID_KEY))) {
        k_entry_key(k, arg, true);
    } else if ((arg = k_id_arg(id, ID_TENDER))) {
        if (strcmp(arg, ID_EXACT) == 0) {
            k->entry[0] = '\0';
            cash_confirm(k);
        } else {
            add_note(k, arg);
        }
    } else if (strcmp(id, K_ID_CONFIRM) == 0) {
        cash_confirm(k);
    } else if (strcmp(id, K_ID_BACK) == 0) {
        k_goto(k, K_SELL);
    }
}

static void cash_key(kiosk_t *k, int key)
{
    if (key == KKEY_ESCAPE && escape_leaves(k))
        k_goto(k, K_SELL);
    else if (key == KKEY_ENTER)
        cash_confirm(k);
    else if (key == KKEY_BACKSPACE)
        k_entry_key(k, "back", true);
}

static void cash_text(kiosk_t *k, const char *text) { k_entry_text(k, text, true); }
static void cash_draw(kiosk_t *k, const k_view *v) { pay_draw(k, v, true); }

const k_screen_def k_pay_cash_screen = {
    .name = "pay_cash", .flags = K_SCR_SALE, .enter = pay_enter, .tap = cash_tap, .key = cash_key,
    .text = cash_text, .draw = cash_draw,
};

/* ---- mobile ---- */

static void mobile_confirm(kiosk_t *k)
{
    if (strlen(k->pay.ref) < 4)
        k_message(k, true, "%s", TR(k, "请扫描或输入支付流水号"));
    else
        k_sale_commit(k, STORE_PAY_MOBILE, 0, k->pay.ref);
}

static void mobile_tap(kiosk_t *k, const char *id)
{
    const char *arg;
    if ((arg = k_id_arg(id, K_ID_KEY)))
        k_field_key(k->pay.ref, sizeof k->pay.ref, arg);
    else if (strcmp(id, K_ID_CONFIRM) == 0)
        mobile_confirm(k);
    else if (strcmp(id, K_ID_BACK) == 0)
        k_goto(k, K_SELL);
}

static void mobile_key(kiosk_t *k, int key)
{
    if (key == KKEY_ESCAPE && escape_leaves(k))
        k_goto(k, K_SELL);
    else if (key == KKEY_ENTER)
        mobile_confirm(k);
    else if (key == KKEY_BACKSPACE)
        k_field_key(k->pay.ref, sizeof k->pay.ref, "back");
}

/* Letters and digits of a typed or scanned reference; the rest is dropped. */
static void mobile_text(kiosk_t *k, const char *text)
{
    size_t n = strlen(k->pay.ref);
    for (const char *p = text; *p && n + 1 < sizeof k->pay.ref; p++)
        if ((*p >= '0' && *p <= '9') || (*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z'))
            k->pay.ref[n++] = *p;
    k->pay.ref[n] = '\0';
}

/* A scanner typed the payment reference and Enter: take it and confirm. */
static void mobile_card(kiosk_t *k, const char *line)
{
    k->pay.ref[0] = '\0';
    mobile_text(k, line);
    mobile_confirm(k);
}

static void mobile_draw(kiosk_t *k, const k_view *v) { pay_draw(k, v, false); }

const k_screen_def k_pay_mobile_screen = {
    .name = "pay_mobile", .flags = K_SCR_SALE, .enter = pay_enter, .tap = mobile_tap, .key = mobile_key,
    .text = mobile_text, .card = mobile_card, .draw = mobile_draw,
};

/* ---- done ---- */

static void done_tap(kiosk_t *k, const char *id)
{
    if (strcmp(id, K_ID_NEXT) == 0) {
        k_open(k, K_SELL);
    } else if (strcmp(id, K_ID_REPRINT) == 0) {
        (void)k_print_sale(k, k->done.sale.id, true, k->done.print_msg, sizeof k->done.print_msg);
        k->done.until_ms = k->now_ms + K_DONE_MS;
    }
}

static void done_key(kiosk_t *k, int key)
{
    if ((key == KKEY_ESCAPE && escape_leaves(k)) || key == KKEY_ENTER)
        k_open(k, K_SELL);
}

static void done_tick(kiosk_t *k)
{
    if (k->done.until_ms && k->now_ms >= k->done.until_ms)
        k_open(k, K_SELL);
}

static int64_t done_due(const kiosk_t *k) { return k->done.until_ms; }

static void done_draw(kiosk_t *k, const k_view *v)
{
    ui_draw *d = v->d;
    char buf[400], a[24], b[24];
    const zc_quote *q = &k->done.sale.quote;
    int m = kv(v, 80), y = kv(v, 130), w = v->w - 2 * m;
    bool mobile = k->done.pay == STORE_PAY_MOBILE;
    ui_rect_fill(d, (ui_rect){m, y, w, kv(v, 180)}, K_PRIMARY);
    snprintf(buf, sizeof buf, "✓ %s", mobile ? TR(k, "已记录移动支付") : TR(k, "已收现金，交易已保存"));
    ui_text(d, (ui_rect){m, y, w, kv(v, 180)}, buf, kv(v, 96), K_PRIMARY_INK, UI_CENTER, true);
    y += kv(v, 220);
    if (q->subsidy > 0)
        snprintf(buf, sizeof buf, "%s %s %s   %s %s %s", TR(k, "补贴"), k_yuan(q->subsidy, a, sizeof a), TR(k, "元"),
                 TR(k, "实付"), k_yuan(q->pay, b, sizeof b), TR(k, "元"));
    else
        snprintf(buf, sizeof buf, "%s %s %s", TR(k, "实付"), k_yuan(q->pay, b, sizeof b), TR(k, "元"));
    ui_text(d, (ui_rect){m, y, w, kv(v, 100)}, buf, kv(v, 72), K_INK, UI_CENTER, true);
    y += kv(v, 110);
    if (k->done.pay == STORE_PAY_CASH && k->done.tendered > q->pay) {
        snprintf(buf, sizeof buf, "%s %s %s", TR(k, "找零"), k_yuan(k->done.tendered - q->pay, a, sizeof a),
                 TR(k, "元"));
        ui_text(d, (ui_rect){m, y, w, kv(v, 100)}, buf, kv(v, 80), K_PRIMARY, UI_CENTER, true);
    }
    y += kv(v, 120);
    if (mobile)
        snprintf(buf, sizeof buf, "%s %s  ·  %s %lld", TR(k, "收款单号"), k->done.ref, TR(k, "流水号"),
                 (long long)k->done.sale.seq);
    else
        snprintf(buf, sizeof buf, "%s %lld  ·  %s", TR(k, "流水号"), (long long)k->done.sale.seq, TR(k, "已保存在本机"));
    ui_text(d, (ui_rect){m, y, w, kv(v, 50)}, buf, kv(v, 34), K_MUTED, UI_CENTER, false);
    if (k->done.print_msg[0])
        ui_text(d, (ui_rect){m, y + kv(v, 60), w, kv(v, 50)}, k->done.print_msg, kv(v, 34), K_INK, UI_CENTER, false);
    k_draw_message(k, v, (ui_rect){m, v->h - kv(v, 260), w, kv(v, 72)});
    int bw = (w - kv(v, 20)) / 2;
    ui_button(d, K_ID_REPRINT, (ui_rect){m, v->h - kv(v, 170), bw, kv(v, 140)}, TR(k, "补打小票"), kv(v, 48), K_PANEL,
              K_INK, true);
    ui_button(d, K_ID_NEXT, (ui_rect){m + bw + kv(v, 20), v->h - kv(v, 170), bw, kv(v, 140)}, TR(k, "下一位"),
              kv(v, 56), K_PRIMARY, K_PRIMARY_INK, true);
}

const k_screen_def k_done_screen = {
    .name = "done", .tap = done_tap, .key = done_key, .card = k_sell_card, .tick = done_tick,
    .due_ms = done_due, .draw = done_draw,
};
