/* kiosk_shift.c - opening a shift (the cash float), closing it (the cash
 * counted) and the Z report that closing prints on screen.
 *
 * Both counts are the same keypad screen; closing needs a supervisor (a
 * cashier's close comes here through k_auth_begin, k->auth.by names who
 * approved).  A close kicks the sync (the day's summary goes to the centre)
 * and takes an automatic backup. */
#include <string.h>

#include "../store/backup.h"
#include "kiosk_int.h"

/* widget ids, with K_ID_KEY + a keypad key, K_ID_CONFIRM, K_ID_BACK and K_ID_REPORTS */
#define ID_DONE "done"

/* The count typed on the keypad, for the shift being opened or closed. */
static void count_confirm(kiosk_t *k, bool open)
{
    zc_fen f = 0;
    zc_err err = {{0}};
    store_shift sh;
    if (!k_entry_fen(k, &f)) {
        k_message(k, true, "%s", TR(k, "请输入清点的现金金额"));
    } else if (open) {
        if (store_shift_open(till_store(k->t), k->op.id, f, k_epoch_now(k), &sh, &err) != ZC_OK)
            k_message(k, true, "%s", err.msg);
        else
            k_open(k, K_SELL);
    } else if (store_shift_close(till_store(k->t), k->op.id, f, k_epoch_now(k), &k->z, &err) != ZC_OK) {
        k_message(k, true, "%s", err.msg);
    } else {
        k->msg[0] = '\0';
        if (strcmp(k->auth.by, k->op.id) != 0 &&
            store_audit(till_store(k->t), k->auth.by, "approve", "shift_close", k->op.id, &err) != ZC_OK)
            k_message(k, true, "%s", err.msg);
        if (k->sync)
            sync_kick(k->sync); /* the day's closing summary goes to the centre now */
        if (store_backup_auto(till_store(k->t), NULL, 0, &err) != ZC_OK)
            k_message(k, true, "%s %s", TR(k, "自动备份失败："), err.msg);
        k_goto(k, K_ZREPORT);
    }
}

static void count_tap(kiosk_t *k, const char *id, bool open)
{
    const char *key = k_id_arg(id, K_ID_KEY);
    if (key) {
        k_entry_key(k, key, true);
    } else if (strcmp(id, K_ID_CONFIRM) == 0) {
        count_confirm(k, open);
    } else if (strcmp(id, K_ID_BACK) == 0) {
        if (open)
            k_open(k, K_LOGIN);
        else
            k_goto(k, K_SELL);
    } else if (strcmp(id, K_ID_REPORTS) == 0 && open && k->op.role != STORE_ROLE_CASHIER) {
        k_report_enter(k, K_SHIFT_OPEN); /* month-end work needs no shift */
    }
}

static void count_key(kiosk_t *k, int key, bool open)
{
    if (key == KKEY_ENTER)
        count_confirm(k, open);
    else if (key == KKEY_ESCAPE)
        count_tap(k, K_ID_BACK, open);
    else if (key == KKEY_BACKSPACE)
        k_entry_key(k, "back", true);
}

static void count_text(kiosk_t *k, const char *text) { k_entry_text(k, text, true); }

static void count_draw(kiosk_t *k, const k_view *v, bool open)
{
    ui_draw *d = v->d;
    char buf[160];
    int m = kv(v, 60), lw = v->w / 2;
    k_draw_title(v, open ? TR(k, "开班：请清点钱箱备用金") : TR(k, "交班：请清点钱箱现金"));
    snprintf(buf, sizeof buf, "%s %s", k->entry[0] ? k->entry : "0", TR(k, "元"));
    ui_rect f = {m, kv(v, 240), lw - 2 * m, kv(v, 160)};
    ui_rect_fill(d, f, K_PANEL);
    ui_frame(d, f, K_INK);
    ui_text(d, f, buf, kv(v, 88), K_INK, UI_CENTER, true);
    k_draw_message(k, v, (ui_rect){m, kv(v, 440), lw - 2 * m, kv(v, 72)});
    int bw = (lw - 2 * m - kv(v, 20)) / 2;
    ui_button(d, K_ID_BACK, (ui_rect){m, v->h - kv(v, 200), bw, kv(v, 150)}, open ? TR(k, "退出") : TR(k, "返回"),
              kv(v, 48), K_PANEL, K_INK, true);
    ui_button(d, K_ID_CONFIRM, (ui_rect){m + bw + kv(v, 20), v->h - kv(v, 200), bw, kv(v, 150)},
              open ? TR(k, "开班") : TR(k, "确认交班"), kv(v, 48), K_PRIMARY, K_PRIMARY_INK, true);
    if (open && k->op.role != STORE_ROLE_CASHIER)
        ui_button(d, K_ID_REPORTS, (ui_rect){m, kv(v, 540), lw - 2 * m, kv(v, 120)}, TR(k, "查看报表（不开班）"),
                  kv(v, 44), K_PANEL, K_INK, true);
    k_draw_keypad(k, v, (ui_rect){lw + m, kv(v, 200), lw - 2 * m, v->h - kv(v, 250)}, K_ID_KEY, true);
}

/* ---- opening ---- */

static void open_tap(kiosk_t *k, const char *id) { count_tap(k, id, true); }
static void open_key(kiosk_t *k, int key) { count_key(k, key, true); }
static void open_draw(kiosk_t *k, const k_view *v) { count_draw(k, v, true); }

const k_screen_def k_shift_open_screen = {
    .name = "shift_open", .tap = open_tap, .key = open_key, .text = count_text, .draw = open_draw,
};

/* ---- closing ---- */

static void close_enter(kiosk_t *k) { k->msg[0] = '\0'; }
static void close_tap(kiosk_t *k, const char *id) { count_tap(k, id, false); }
static void close_key(kiosk_t *k, int key) { count_key(k, key, false); }
static void close_draw(kiosk_t *k, const k_view *v) { count_draw(k, v, false); }

const k_screen_def k_shift_close_screen = {
    .name = "shift_close", .enter = close_enter, .tap = close_tap, .key = close_key, .text = count_text,
    .draw = close_draw,
};

/* ---- the Z report ---- */

static void zreport_tap(kiosk_t *k, const char *id)
{
    if (strcmp(id, ID_DONE) == 0)
        k_open(k, K_LOGIN);
    else if (strcmp(id, K_ID_REPORTS) == 0 && k->op.role == STORE_ROLE_CASHIER)
        k_auth_begin(k, K_AUTH_REPORT, K_ZREPORT);
    else if (strcmp(id, K_ID_REPORTS) == 0)
        k_report_enter(k, K_ZREPORT);
}

static void zreport_draw(kiosk_t *k, const k_view *v)
{
    ui_draw *d = v->d;
    const store_zreport *z = &k->z;
    char rows[16][160], a[24], b[24];
    int n = 0, m = kv(v, 60);
    k_draw_title(v, TR(k, "交班报表（Z报表）"));
    snprintf(rows[n++], 160, "%s %ld   %s %ld   %s %ld", TR(k, "交易笔数"), z->sales, TR(k, "老人用餐"), z->elders,
             TR(k, "作废"), z->voids);
    snprintf(rows[n++], 160, "%s %s   %s %s   %s %s", TR(k, "合计"), k_yuan(z->gross, a, sizeof a), TR(k, "补贴"),
             k_yuan(z->subsidy, b, sizeof b), TR(k, "实收"), k_yuan(z->pay, (char[24]){0}, 24));
    for (int i = 0; i < z->nsources && n < 10; i++)
        snprintf(rows[n++], 160, "  %s %s  %ld %s  %s", TR(k, "补贴来源"), k_source_name(k, z->by_source[i].source),
                 z->by_source[i].parts, TR(k, "笔"), k_yuan(z->by_source[i].fen, a, sizeof a));
    snprintf(rows[n++], 160, "%s %s   %s %s", TR(k, "现金"), k_yuan(z->cash, a, sizeof a), TR(k, "移动支付"),
             k_yuan(z->mobile, b, sizeof b));
    snprintf(rows[n++], 160, "%s %s   %s %s", TR(k, "应有现金"), k_yuan(z->cash_expected, a, sizeof a),
             TR(k, "实点现金"), k_yuan(z->shift.counted_fen, b, sizeof b));
    zc_fen diff = z->shift.counted_fen - z->cash_expected;
    snprintf(rows[n++], 160, "%s %s%s", TR(k, "差额"), diff > 0 ? "+" : "", k_yuan(diff, a, sizeof a));
    for (int i = 0; i < n; i++)
        ui_text(d, (ui_rect){m, kv(v, 210) + i * kv(v, 70), v->w - 2 * m, kv(v, 64)}, rows[i], kv(v, 44),
                i == n - 1 && diff ? K_DANGER : K_INK, UI_LEFT, i == n - 1);
    ui_button(d, ID_DONE, (ui_rect){v->w - m - kv(v, 500), v->h - kv(v, 180), kv(v, 500), kv(v, 140)},
              TR(k, "完成并退出"), kv(v, 48), K_PRIMARY, K_PRIMARY_INK, true);
    ui_button(d, K_ID_REPORTS,
              (ui_rect){v->w - m - kv(v, 500) - kv(v, 24) - kv(v, 420), v->h - kv(v, 180), kv(v, 420), kv(v, 140)},
              TR(k, "查看日报"), kv(v, 48), K_PANEL, K_INK, true);
}

const k_screen_def k_zreport_screen = {
    .name = "zreport", .tap = zreport_tap, .draw = zreport_draw,
};
