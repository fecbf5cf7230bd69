/* kiosk_sell_modal.c - the two modals over the selling screen.
 *
 * A refusal (a lost, blocked, expired or unknown card; a used-up limit or a
 * meal outside the meal periods): the cashier continues at full price or
 * cancels.  Another elder's card while one is on the sale (in a queue the
 * next elder taps early): nothing changes until the cashier says whose meal
 * it is, so a subsidy never silently goes to the wrong person.  While a
 * modal is up it takes every tap; the screen under it is covered. */
#include <string.h>

#include "kiosk_int.h"

#define ID_REFUSAL_CONTINUE "refusal:continue"
#define ID_REFUSAL_CANCEL "refusal:cancel"
#define ID_SWAP_NEW "swap:new"   /* the new card's elder takes the sale */
#define ID_SWAP_KEEP "swap:keep" /* the elder already on the sale stays */

/* A refused card changes nothing on the sale: whoever was on it (the elder
 * before in a queue) stays.  A limit or period refusal is about the elder on
 * the sale: continuing keeps them at subsidy 0, cancelling takes them off. */
static void refusal_tap(kiosk_t *k, const char *id)
{
    bool card = k->sale.refusal_status != TILL_ID_OK;
    if (strcmp(id, ID_REFUSAL_CONTINUE) == 0) {
        k->sale.refusal = false;
        k_requote(k);
        if (card && k->sale.have_elder) {
            k_message(k, false, "%s", TR(k, "仍为原来的老人，请下一位稍后再刷卡"));
            return;
        }
        k_message(k, false, "%s", TR(k, "按原价继续"));
        k_say(k, "full_price");
    } else if (strcmp(id, ID_REFUSAL_CANCEL) == 0) {
        k->sale.refusal = false;
        if (!card)
            k->sale.have_elder = false;
        k_requote(k);
        k->msg[0] = '\0';
    }
}

static void swap_tap(kiosk_t *k, const char *id)
{
    if (strcmp(id, ID_SWAP_NEW) == 0) {
        till_ident id2 = k->sale.swap_ident;
        k->sale.swap = false;
        k_select_elder(k, &id2.elder, "已换成新刷卡的老人");
        k->sale.ident = id2;
    } else if (strcmp(id, ID_SWAP_KEEP) == 0) {
        k->sale.swap = false;
        k_message(k, false, "%s", TR(k, "仍为原来的老人，请下一位稍后再刷卡"));
    }
}

bool k_modal_tap(kiosk_t *k, const char *id)
{
    if (k->sale.swap)
        swap_tap(k, id);
    else if (k->sale.refusal)
        refusal_tap(k, id);
    else
        return false;
    return true;
}

bool k_modal_escape(kiosk_t *k)
{
    return k_modal_tap(k, k->sale.swap ? ID_SWAP_KEEP : ID_REFUSAL_CANCEL);
}

/* The dimmed screen and the modal's box with its coloured head. */
static ui_rect modal_box(const k_view *v, ui_color head)
{
    ui_rect box = {kv(v, 160), kv(v, 150), v->w - kv(v, 320), v->h - kv(v, 300)};
    ui_rect_fill(v->d, (ui_rect){0, kv(v, 64), v->w, v->h - kv(v, 64)}, 0x202020);
    ui_rect_fill(v->d, box, K_PANEL);
    ui_rect_fill(v->d, (ui_rect){box.x, box.y, box.w, kv(v, 200)}, head);
    return box;
}

/* Two large buttons at the bottom of box. */
static void modal_buttons(const k_view *v, ui_rect box, const char *id1, const char *label1, const char *id2,
                          const char *label2)
{
    int bw = (box.w - kv(v, 120)) / 2, bh = kv(v, 140), by = box.y + box.h - bh - kv(v, 40);
    ui_button(v->d, id1, (ui_rect){box.x + kv(v, 40), by, bw, bh}, label1, kv(v, 52), K_PRIMARY, K_PRIMARY_INK,
              true);
    ui_button(v->d, id2, (ui_rect){box.x + box.w - kv(v, 40) - bw, by, bw, bh}, label2, kv(v, 52), K_PANEL,
              K_INK, true);
}

static void draw_refusal(kiosk_t *k, const k_view *v)
{
    ui_draw *d = v->d;
    char buf[400];
    ui_rect box = modal_box(v, K_DANGER);
    const char *lang = k->lang[0] == 'e' ? "en" : "zh";
    const char *title =
        k->sale.refusal_status == TILL_ID_OK ? k->sale.refusal_msg : till_status_text(k->sale.refusal_status, lang);
    snprintf(buf, sizeof buf, "× %s", title);
    ui_text(d, (ui_rect){box.x + kv(v, 40), box.y, box.w - kv(v, 80), kv(v, 200)}, buf, kv(v, 96), 0xFFFFFF,
            UI_CENTER, true);
    int y = box.y + kv(v, 230);
    if (k->sale.refused.have_elder) {
        char masked[ZC_NAME_MAX];
        snprintf(buf, sizeof buf, "%s", zc_name_mask(k->sale.refused.elder.name, masked, sizeof masked));
        ui_text(d, (ui_rect){box.x, y, box.w, kv(v, 90)}, buf, kv(v, 72), K_INK, UI_CENTER, true);
        y += kv(v, 100);
    }
    if (k->sale.refusal_status != TILL_ID_OK) {
        /* what to do, in the screen's language; below it, small, the card
         * number (the store's technical detail is English: English screens only) */
        ui_text(d, (ui_rect){box.x + kv(v, 40), y, box.w - kv(v, 80), kv(v, 64)},
                till_status_advice(k->sale.refusal_status, lang), kv(v, 44), K_INK, UI_CENTER, true);
        if (lang[0] == 'e')
            snprintf(buf, sizeof buf, "%s", k->sale.refusal_msg);
        else
            snprintf(buf, sizeof buf, "%s %s", TR(k, "卡号"), k->sale.refusal_line);
        ui_text(d, (ui_rect){box.x + kv(v, 40), y + kv(v, 74), box.w - kv(v, 80), kv(v, 44)}, buf, kv(v, 26),
                K_MUTED, UI_CENTER, false);
    } else {
        ui_text(d, (ui_rect){box.x + kv(v, 40), y, box.w - kv(v, 80), kv(v, 64)}, TR(k, "可按原价用餐"), kv(v, 44),
                K_INK, UI_CENTER, true);
        if (k->sale.refusal_next[0]) /* when the subsidy is there again */
            ui_text(d, (ui_rect){box.x + kv(v, 40), y + kv(v, 74), box.w - kv(v, 80), kv(v, 60)},
                    k->sale.refusal_next, kv(v, 44), K_PRIMARY, UI_CENTER, true);
    }
    modal_buttons(v, box, ID_REFUSAL_CONTINUE, TR(k, "按原价继续"), ID_REFUSAL_CANCEL, TR(k, "取消"));
}

static void draw_swap(kiosk_t *k, const k_view *v)
{
    ui_draw *d = v->d;
    char buf[400], now[ZC_NAME_MAX], next[ZC_NAME_MAX], l1[ZC_NAME_MAX + 40], l2[ZC_NAME_MAX + 40];
    ui_rect box = modal_box(v, K_WARN);
    zc_name_mask(k->sale.ident.elder.name, now, sizeof now);
    zc_name_mask(k->sale.swap_ident.elder.name, next, sizeof next);
    snprintf(buf, sizeof buf, "%s", TR(k, "又刷了一张卡：这份餐是谁的？"));
    ui_text(d, (ui_rect){box.x + kv(v, 40), box.y, box.w - kv(v, 80), kv(v, 200)}, buf, kv(v, 72), K_INK,
            UI_CENTER, true);
    snprintf(buf, sizeof buf, "%s %s   →   %s %s", TR(k, "当前"), now, TR(k, "新卡"), next);
    ui_text(d, (ui_rect){box.x + kv(v, 40), box.y + kv(v, 240), box.w - kv(v, 80), kv(v, 90)}, buf, kv(v, 64),
            K_INK, UI_CENTER, true);
    ui_text(d, (ui_rect){box.x + kv(v, 40), box.y + kv(v, 350), box.w - kv(v, 80), kv(v, 60)},
            TR(k, "排队时请一位一位刷卡"), kv(v, 40), K_MUTED, UI_CENTER, false);
    snprintf(l1, sizeof l1, "%s %s", TR(k, "换成"), next);
    snprintf(l2, sizeof l2, "%s %s", TR(k, "保留"), now);
    modal_buttons(v, box, ID_SWAP_NEW, l1, ID_SWAP_KEEP, l2);
}

void k_modal_draw(kiosk_t *k, const k_view *v)
{
    if (k->sale.swap)
        draw_swap(k, v);
    else if (k->sale.refusal)
        draw_refusal(k, v);
}
