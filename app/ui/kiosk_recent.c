/* kiosk_recent.c - the recent sales (最近交易): pick one, reprint it, or
 * void it with a supervisor's PIN, a reason and a last look: which sale
 * (number, time, elder, amount) and what to hand back, then 确认作废.
 * Voided rows are greyed, marked × and cannot be picked.
 *
 * A void is till_void's (store_sale_void: the subsidy uses go back and the
 * void waits in the outbox for the centre); the approver is k->auth.by. */
#include <stdlib.h>
#include <string.h>

#include "kiosk_int.h"

/* widget ids, with K_ID_BACK and K_ID_REPRINT */
#define ID_SALE "sale:"     /* + the row's index */
#define ID_VOID "void"
#define ID_REASON "reason:" /* + the reason's index in void_reasons */
#define ID_VOID_CONFIRM "void:confirm"

static const char *const void_reasons[] = {"点错菜品", "重复结账", "老人退餐", "金额有误"};
#define NREASONS ((int)(sizeof void_reasons / sizeof void_reasons[0]))

static void load_recent(kiosk_t *k)
{
    zc_err err = {{0}};
    int rc = store_sale_recent(till_store(k->t), k->recent.rows, K_MAX_RECENT, &k->recent.n, &err);
    if (rc != ZC_OK) {
        k->recent.n = 0;
        k_error(k, rc, &err, "无法读取最近交易：");
    }
    k->recent.sel_id[0] = '\0';
}

/* ---- the list ---- */

static void recent_enter(kiosk_t *k)
{
    k->msg[0] = '\0';
    load_recent(k);
}

static void recent_tap(kiosk_t *k, const char *id)
{
    const char *row = k_id_arg(id, ID_SALE);
    if (row) {
        char *end;
        long i = strtol(row, &end, 10);
        if (!*end && i >= 0 && i < k->recent.n)
            snprintf(k->recent.sel_id, sizeof k->recent.sel_id, "%s", k->recent.rows[i].id);
    } else if (strcmp(id, ID_VOID) == 0) {
        if (!k->recent.sel_id[0])
            k_message(k, true, "%s", TR(k, "请先选择一笔交易"));
        else
            k_auth_begin(k, K_AUTH_VOID, K_RECENT);
    } else if (strcmp(id, K_ID_REPRINT) == 0) {
        char msg[320];
        if (!k->recent.sel_id[0])
            k_message(k, true, "%s", TR(k, "请先选择一笔交易"));
        else {
            bool ok = k_print_sale(k, k->recent.sel_id, true, msg, sizeof msg);
            k_message(k, !ok, "%s", msg);
        }
    } else if (strcmp(id, K_ID_BACK) == 0) {
        k_open(k, K_SELL);
    }
}

static void recent_key(kiosk_t *k, int key)
{
    if (key == KKEY_ESCAPE)
        recent_tap(k, K_ID_BACK);
}

static void recent_draw(kiosk_t *k, const k_view *v)
{
    ui_draw *d = v->d;
    char buf[240], a[24], b[24], c[24], masked[ZC_NAME_MAX];
    int m = kv(v, 60), row = kv(v, 64);
    k_draw_title(v, TR(k, "最近交易：先点选一笔，再补打或作废"));
    for (int i = 0; i < k->recent.n; i++) {
        const store_sale_row *r = &k->recent.rows[i];
        ui_rect t = {m, kv(v, 190) + i * (row + kv(v, 4)), v->w - 2 * m, row};
        if (t.y + t.h > v->h - kv(v, 200))
            break;
        bool sel = strcmp(k->recent.sel_id, r->id) == 0;
        ui_rect_fill(d, t, sel ? K_SELECTED : r->voided ? 0xE2E2E2 : K_PANEL);
        snprintf(buf, sizeof buf, "%s#%lld  %s  %s  %s %s  %s %s  %s %s  %s  %s", r->voided ? "× " : "",
                 (long long)r->seq, r->local_time + 11,
                 r->elder_name[0] ? zc_name_mask(r->elder_name, masked, sizeof masked) : TR(k, "散客"), TR(k, "合计"),
                 k_yuan(r->gross, a, sizeof a), TR(k, "补贴"), k_yuan(r->subsidy, b, sizeof b), TR(k, "实收"),
                 k_yuan(r->pay, c, sizeof c), strcmp(r->pay_method, "mobile") == 0 ? TR(k, "移动支付") : TR(k, "现金"),
                 r->voided ? TR(k, "已作废") : r->sent ? TR(k, "已上传") : TR(k, "未上传"));
        ui_text(d, (ui_rect){t.x + kv(v, 16), t.y, t.w - kv(v, 32), t.h}, buf, kv(v, 34),
                sel ? 0xFFFFFF : r->voided ? K_MUTED : K_INK, UI_LEFT, false);
        if (r->voided) /* struck through: it no longer counts */
            ui_rect_fill(d, (ui_rect){t.x + kv(v, 12), t.y + t.h / 2, t.w - kv(v, 24), kv(v, 3)}, K_MUTED);
        char id[UI_WID_MAX];
        snprintf(id, sizeof id, "%s%d", ID_SALE, i);
        ui_widget_add(d, id, t, !r->voided);
    }
    if (!k->recent.n)
        ui_text(d, (ui_rect){m, kv(v, 200), v->w, kv(v, 60)}, TR(k, "还没有交易"), kv(v, 40), K_MUTED, UI_LEFT, false);
    k_draw_message(k, v, (ui_rect){m, v->h - kv(v, 190), v->w - 2 * m, kv(v, 72)});
    int by = v->h - kv(v, 110), bh = kv(v, 90), gap = kv(v, 24);
    ui_button(d, K_ID_BACK, (ui_rect){m, by, kv(v, 400), bh}, TR(k, "返回"), kv(v, 44), K_PANEL, K_INK, true);
    ui_button(d, ID_VOID, (ui_rect){v->w - m - kv(v, 500), by, kv(v, 500), bh}, TR(k, "作废/退款（需主管）"),
              kv(v, 40), K_DANGER, 0xFFFFFF, true);
    ui_button(d, K_ID_REPRINT, (ui_rect){v->w - m - kv(v, 500) - gap - kv(v, 420), by, kv(v, 420), bh},
              TR(k, "补打小票"), kv(v, 44), K_PANEL, K_INK, true);
}

const k_screen_def k_recent_screen = {
    .name = "recent", .enter = recent_enter, .tap = recent_tap, .key = recent_key, .draw = recent_draw,
};

/* ---- the void's reason (after the supervisor's PIN) ---- */

/* The sale being voided, or NULL. */
static const store_sale_row *void_row(const kiosk_t *k)
{
    for (int i = 0; i < k->recent.n; i++)
        if (strcmp(k->recent.rows[i].id, k->recent.sel_id) == 0)
            return &k->recent.rows[i];
    return NULL;
}

static void reason_enter(kiosk_t *k)
{
    k->recent.reason = -1;
    k->msg[0] = '\0';
}

static void void_run(kiosk_t *k)
{
    zc_err err = {{0}};
    int r = k->recent.reason;
    if (!k->recent.sel_id[0] || r < 0 || r >= NREASONS)
        return;
    till_void_req req = {.sale_id = k->recent.sel_id, .operator_id = k->auth.by,
                         .reason = void_reasons[r]};
    int rc = till_void(k->t, &req, &err);
    if (rc != ZC_OK) {
        k_error(k, rc, &err, "未作废：");
    } else {
        k_message(k, false, "%s", TR(k, "已作废，补贴次数已退回"));
        k_status_refresh(k, true); /* the void waits in the outbox too */
    }
    k->auth.what = K_AUTH_LOGIN;
    k_goto(k, K_RECENT);
    load_recent(k);
}

static void reason_tap(kiosk_t *k, const char *id)
{
    const char *r = k_id_arg(id, ID_REASON);
    if (r && r[0] >= '0' && r[0] < '0' + NREASONS && !r[1]) {
        k->recent.reason = r[0] - '0';
    } else if (strcmp(id, ID_VOID_CONFIRM) == 0) {
        if (k->recent.reason < 0)
            k_message(k, true, "%s", TR(k, "请先选择作废原因"));
        else
            void_run(k);
    } else if (strcmp(id, K_ID_BACK) == 0) {
        k->auth.what = K_AUTH_LOGIN;
        k_goto(k, K_RECENT);
    }
}

static void reason_key(kiosk_t *k, int key)
{
    if (key == KKEY_ESCAPE)
        reason_tap(k, K_ID_BACK);
}

/* Which sale, and what goes back to the elder, before anything happens. */
static void draw_void_summary(kiosk_t *k, const k_view *v, ui_rect r)
{
    char buf[320], a[24], b[24], masked[ZC_NAME_MAX];
    const store_sale_row *s = void_row(k);
    if (!s)
        return;
    ui_rect_fill(v->d, r, 0xFBE9E7);
    ui_frame(v->d, r, K_DANGER);
    snprintf(buf, sizeof buf, "%s #%lld  %s  %s  %s %s %s", TR(k, "作废"), (long long)s->seq, s->local_time,
             s->elder_name[0] ? zc_name_mask(s->elder_name, masked, sizeof masked) : TR(k, "散客"), TR(k, "合计"),
             k_yuan(s->gross, a, sizeof a), TR(k, "元"));
    ui_text(v->d, (ui_rect){r.x + kv(v, 24), r.y + kv(v, 10), r.w - kv(v, 48), kv(v, 60)}, buf, kv(v, 40), K_INK,
            UI_LEFT, true);
    if (strcmp(s->pay_method, "mobile") == 0)
        snprintf(buf, sizeof buf, "%s %s %s", TR(k, "请在收款设备上原路退款"), k_yuan(s->pay, b, sizeof b),
                 TR(k, "元"));
    else
        snprintf(buf, sizeof buf, "%s %s %s", TR(k, "请退还现金"), k_yuan(s->pay, b, sizeof b), TR(k, "元"));
    ui_text(v->d, (ui_rect){r.x + kv(v, 24), r.y + kv(v, 76), r.w - kv(v, 48), kv(v, 72)}, buf, kv(v, 56),
            K_DANGER, UI_LEFT, true);
}

static void reason_draw(kiosk_t *k, const k_view *v)
{
    int m = kv(v, 60), gap = kv(v, 24), bw = (v->w - 2 * m - gap) / 2, bh = kv(v, 140);
    k_draw_title(v, TR(k, "作废：核对这笔交易，选择原因，再确认"));
    draw_void_summary(k, v, (ui_rect){m, kv(v, 200), v->w - 2 * m, kv(v, 160)});
    for (int i = 0; i < NREASONS; i++) {
        char id[UI_WID_MAX];
        bool sel = i == k->recent.reason;
        snprintf(id, sizeof id, "%s%d", ID_REASON, i);
        ui_button(v->d, id, (ui_rect){m + (i % 2) * (bw + gap), kv(v, 390) + (i / 2) * (bh + gap), bw, bh},
                  TR(k, void_reasons[i]), kv(v, 52), sel ? K_SELECTED : K_PANEL, sel ? 0xFFFFFF : K_INK, true);
    }
    k_draw_message(k, v, (ui_rect){m, v->h - kv(v, 270), v->w - 2 * m, kv(v, 72)});
    int by = v->h - kv(v, 180), cw = kv(v, 600);
    ui_button(v->d, K_ID_BACK, (ui_rect){m, by, kv(v, 400), kv(v, 140)}, TR(k, "返回"), kv(v, 48), K_PANEL, K_INK,
              true);
    bool ready = k->recent.reason >= 0;
    ui_button(v->d, ID_VOID_CONFIRM, (ui_rect){v->w - m - cw, by, cw, kv(v, 140)}, TR(k, "确认作废"), kv(v, 52),
              ready ? K_DANGER : 0xD9A6A3, 0xFFFFFF, true);
}

const k_screen_def k_void_reason_screen = {
    .name = "void_reason", .enter = reason_enter, .tap = reason_tap, .key = reason_key, .draw = reason_draw,
};
