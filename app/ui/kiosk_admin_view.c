/* kiosk_admin_view.c - drawing login, PIN pad, shifts, Z report, recent
 * sales, void reasons, manual look-up and settings. */
#include <string.h>

#include "kiosk_int.h"

static void title(kiosk_t *k, const k_view *v, const char *text)
{
    (void)k;
    ui_text(v->d, (ui_rect){kv(v, 60), kv(v, 84), v->w - kv(v, 120), kv(v, 100)}, text, kv(v, 60), K_INK, UI_LEFT,
            true);
}

const char *k_role_label(kiosk_t *k, store_role r)
{
    return r == STORE_ROLE_ADMIN ? TR(k, "管理员") : r == STORE_ROLE_SUPERVISOR ? TR(k, "主管") : TR(k, "收银员");
}

static void draw_login(kiosk_t *k, const k_view *v)
{
    ui_draw *d = v->d;
    bool auth = k->auth != K_AUTH_LOGIN;
    title(k, v, auth ? TR(k, "需要主管授权：请选择主管") : TR(k, "助餐收银 · 请选择收银员"));
    int cols = 4, gap = kv(v, 24), m = kv(v, 60);
    int tw = (v->w - 2 * m - gap * (cols - 1)) / cols, th = kv(v, 200), n = 0;
    for (int i = 0; i < k->nops; i++) {
        const store_operator *o = &k->ops[i];
        if (!o->active || (auth && o->role == STORE_ROLE_CASHIER))
            continue;
        ui_rect t = {m + (n % cols) * (tw + gap), kv(v, 220) + (n / cols) * (th + gap), tw, th};
        char id[UI_WID_MAX];
        snprintf(id, sizeof id, "op:%s", o->id);
        ui_rect_fill(d, t, K_PANEL);
        ui_frame(d, t, K_LINE);
        ui_text(d, (ui_rect){t.x, t.y + kv(v, 20), t.w, kv(v, 100)}, o->name, kv(v, 64), K_INK, UI_CENTER, true);
        ui_text(d, (ui_rect){t.x, t.y + kv(v, 124), t.w, kv(v, 56)}, k_role_label(k, o->role), kv(v, 36), K_MUTED,
                UI_CENTER, false);
        ui_widget_add(d, id, t, true);
        n++;
    }
    if (!n)
        ui_text(d, (ui_rect){m, kv(v, 260), v->w - 2 * m, kv(v, 80)}, TR(k, "没有可用的操作员，请用命令行添加"),
                kv(v, 40), K_DANGER, UI_LEFT, true);
    k_draw_message(k, v, (ui_rect){m, v->h - kv(v, 260), v->w - 2 * m, kv(v, 72)});
    if (auth)
        ui_button(d, "cancel", (ui_rect){m, v->h - kv(v, 170), kv(v, 400), kv(v, 130)}, TR(k, "取消"), kv(v, 48),
                  K_PANEL, K_INK, true);
}

static void draw_pin(kiosk_t *k, const k_view *v)
{
    ui_draw *d = v->d;
    char buf[160], dots[40] = "";
    int m = kv(v, 60), lw = v->w / 2;
    const char *name = k->pin_op;
    for (int i = 0; i < k->nops; i++)
        if (strcmp(k->ops[i].id, k->pin_op) == 0)
            name = k->ops[i].name;
    snprintf(buf, sizeof buf, "%s %s", name, TR(k, "请输入密码"));
    title(k, v, buf);
    size_t n = strlen(k->pin), o = 0;
    for (size_t i = 0; i < n && o + 5 < sizeof dots; i++)
        o += (size_t)snprintf(dots + o, sizeof dots - o, "● ");
    ui_rect f = {m, kv(v, 240), lw - 2 * m, kv(v, 140)};
    ui_rect_fill(d, f, K_PANEL);
    ui_frame(d, f, K_INK);
    ui_text(d, f, n ? dots : TR(k, "（密码不显示）"), kv(v, 64), n ? K_INK : K_MUTED, UI_CENTER, true);
    k_draw_message(k, v, (ui_rect){m, kv(v, 420), lw - 2 * m, kv(v, 72)});
    int bw = (lw - 2 * m - kv(v, 20)) / 2;
    ui_button(d, "cancel", (ui_rect){m, v->h - kv(v, 200), bw, kv(v, 150)}, TR(k, "返回"), kv(v, 48), K_PANEL, K_INK,
              true);
    ui_button(d, "ok", (ui_rect){m + bw + kv(v, 20), v->h - kv(v, 200), bw, kv(v, 150)}, TR(k, "确定"), kv(v, 56),
              K_PRIMARY, K_PRIMARY_INK, true);
    k_draw_keypad(k, v, (ui_rect){lw + m, kv(v, 200), lw - 2 * m, v->h - kv(v, 250)}, "pin:", false);
}

static void draw_cash_count(kiosk_t *k, const k_view *v, bool open)
{
    ui_draw *d = v->d;
    char buf[160];
    int m = kv(v, 60), lw = v->w / 2;
    title(k, v, open ? TR(k, "开班：请清点钱箱备用金") : TR(k, "交班：请清点钱箱现金"));
    snprintf(buf, sizeof buf, "%s %s", k->entry[0] ? k->entry : "0", TR(k, "元"));
    ui_rect f = {m, kv(v, 240), lw - 2 * m, kv(v, 160)};
    ui_rect_fill(d, f, K_PANEL);
    ui_frame(d, f, K_INK);
    ui_text(d, f, buf, kv(v, 88), K_INK, UI_CENTER, true);
    k_draw_message(k, v, (ui_rect){m, kv(v, 440), lw - 2 * m, kv(v, 72)});
    int bw = (lw - 2 * m - kv(v, 20)) / 2;
    ui_button(d, "back", (ui_rect){m, v->h - kv(v, 200), bw, kv(v, 150)}, open ? TR(k, "退出") : TR(k, "返回"),
              kv(v, 48), K_PANEL, K_INK, true);
    ui_button(d, "confirm", (ui_rect){m + bw + kv(v, 20), v->h - kv(v, 200), bw, kv(v, 150)},
              open ? TR(k, "开班") : TR(k, "确认交班"), kv(v, 48), K_PRIMARY, K_PRIMARY_INK, true);
    if (open && k->op.role != STORE_ROLE_CASHIER)
        ui_button(d, "reports", (ui_rect){m, kv(v, 540), lw - 2 * m, kv(v, 120)}, TR(k, "查看报表（不开班）"),
                  kv(v, 44), K_PANEL, K_INK, true);
    k_draw_keypad(k, v, (ui_rect){lw + m, kv(v, 200), lw - 2 * m, v->h - kv(v, 250)}, "key:", true);
}

static void draw_zreport(kiosk_t *k, const k_view *v)
{
    ui_draw *d = v->d;
    const store_zreport *z = &k->z;
    char rows[16][160], a[24], b[24];
    int n = 0, m = kv(v, 60);
    title(k, v, TR(k, "交班报表（Z报表）"));
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
    ui_button(d, "done", (ui_rect){v->w - m - kv(v, 500), v->h - kv(v, 180), kv(v, 500), kv(v, 140)},
              TR(k, "完成并退出"), kv(v, 48), K_PRIMARY, K_PRIMARY_INK, true);
    ui_button(d, "reports", (ui_rect){v->w - m - kv(v, 500) - kv(v, 24) - kv(v, 420), v->h - kv(v, 180), kv(v, 420),
                                      kv(v, 140)},
              TR(k, "查看日报"), kv(v, 48), K_PANEL, K_INK, true);
}

static void draw_recent(kiosk_t *k, const k_view *v)
{
    ui_draw *d = v->d;
    char buf[240], a[24], b[24], c[24], masked[ZC_NAME_MAX];
    int m = kv(v, 60), row = kv(v, 64);
    title(k, v, TR(k, "最近交易：先点选一笔，再补打或作废"));
    for (int i = 0; i < k->nrecent; i++) {
        const store_sale_row *r = &k->recent[i];
        ui_rect t = {m, kv(v, 190) + i * (row + kv(v, 4)), v->w - 2 * m, row};
        if (t.y + t.h > v->h - kv(v, 200))
            break;
        bool sel = strcmp(k->sel_id, r->id) == 0;
        ui_rect_fill(d, t, sel ? K_SELECTED : K_PANEL);
        snprintf(buf, sizeof buf, "#%lld  %s  %s  %s %s  %s %s  %s %s  %s  %s", (long long)r->seq, r->local_time + 11,
                 r->elder_name[0] ? zc_name_mask(r->elder_name, masked, sizeof masked) : TR(k, "散客"), TR(k, "合计"),
                 k_yuan(r->gross, a, sizeof a), TR(k, "补贴"), k_yuan(r->subsidy, b, sizeof b), TR(k, "实收"),
                 k_yuan(r->pay, c, sizeof c), strcmp(r->pay_method, "mobile") == 0 ? TR(k, "移动支付") : TR(k, "现金"),
                 r->voided ? TR(k, "已作废") : r->sent ? TR(k, "已上传") : TR(k, "未上传"));
        ui_text(d, (ui_rect){t.x + kv(v, 16), t.y, t.w - kv(v, 32), t.h}, buf, kv(v, 34), sel ? 0xFFFFFF : K_INK,
                UI_LEFT, false);
        char id[UI_WID_MAX];
        snprintf(id, sizeof id, "sale:%d", i);
        ui_widget_add(d, id, t, !r->voided);
    }
    if (!k->nrecent)
        ui_text(d, (ui_rect){m, kv(v, 200), v->w, kv(v, 60)}, TR(k, "还没有交易"), kv(v, 40), K_MUTED, UI_LEFT, false);
    k_draw_message(k, v, (ui_rect){m, v->h - kv(v, 190), v->w - 2 * m, kv(v, 72)});
    int by = v->h - kv(v, 110), bh = kv(v, 90), gap = kv(v, 24);
    ui_button(d, "back", (ui_rect){m, by, kv(v, 400), bh}, TR(k, "返回"), kv(v, 44), K_PANEL, K_INK, true);
    ui_button(d, "void", (ui_rect){v->w - m - kv(v, 500), by, kv(v, 500), bh}, TR(k, "作废/退款（需主管）"),
              kv(v, 40), K_DANGER, 0xFFFFFF, true);
    ui_button(d, "reprint", (ui_rect){v->w - m - kv(v, 500) - gap - kv(v, 420), by, kv(v, 420), bh},
              TR(k, "补打小票"), kv(v, 44), K_PANEL, K_INK, true);
}

static void draw_void_reason(kiosk_t *k, const k_view *v)
{
    static const char *const reasons[] = {"点错菜品", "重复结账", "老人退餐", "金额有误"};
    int m = kv(v, 60), gap = kv(v, 24), bw = (v->w - 2 * m - gap) / 2, bh = kv(v, 200);
    title(k, v, TR(k, "请选择作废原因"));
    for (int i = 0; i < 4; i++) {
        char id[UI_WID_MAX];
        snprintf(id, sizeof id, "reason:%d", i);
        ui_button(v->d, id, (ui_rect){m + (i % 2) * (bw + gap), kv(v, 230) + (i / 2) * (bh + gap), bw, bh},
                  TR(k, reasons[i]), kv(v, 56), K_PANEL, K_INK, true);
    }
    k_draw_message(k, v, (ui_rect){m, v->h - kv(v, 300), v->w - 2 * m, kv(v, 72)});
    ui_button(v->d, "back", (ui_rect){m, v->h - kv(v, 180), kv(v, 400), kv(v, 140)}, TR(k, "返回"), kv(v, 48),
              K_PANEL, K_INK, true);
}

static void draw_lookup(kiosk_t *k, const k_view *v)
{
    ui_draw *d = v->d;
    char buf[200], masked[ZC_NAME_MAX];
    int m = kv(v, 60), lw = v->w * 55 / 100;
    title(k, v, TR(k, "查找老人：身份证后四位、手机号或姓名"));
    ui_rect f = {m, kv(v, 200), lw - 2 * m, kv(v, 110)};
    ui_rect_fill(d, f, K_PANEL);
    ui_frame(d, f, K_INK);
    ui_text(d, (ui_rect){f.x + kv(v, 20), f.y, f.w - kv(v, 40), f.h}, k->text[0] ? k->text : "_", kv(v, 60), K_INK,
            UI_LEFT, true);
    for (int i = 0; i < k->nfound; i++) {
        const zc_elder *e = &k->found[i];
        ui_rect t = {m, kv(v, 330) + i * kv(v, 84), lw - 2 * m, kv(v, 76)};
        if (t.y + t.h > v->h - kv(v, 280))
            break;
        snprintf(buf, sizeof buf, "%s  %d%s  %s", zc_name_mask(e->name, masked, sizeof masked),
                 zc_age_on(e->birth, k_local_now(k).date), TR(k, "岁"), e->id);
        char id[UI_WID_MAX];
        snprintf(id, sizeof id, "found:%d", i);
        ui_button(d, id, t, buf, kv(v, 40), K_PANEL, K_INK, true);
    }
    k_draw_message(k, v, (ui_rect){m, v->h - kv(v, 270), lw - 2 * m, kv(v, 72)});
    int bw = (lw - 2 * m - kv(v, 20)) / 2;
    ui_button(d, "back", (ui_rect){m, v->h - kv(v, 180), bw, kv(v, 140)}, TR(k, "返回"), kv(v, 48), K_PANEL, K_INK,
              true);
    ui_button(d, "search", (ui_rect){m + bw + kv(v, 20), v->h - kv(v, 180), bw, kv(v, 140)}, TR(k, "查找"), kv(v, 48),
              K_PRIMARY, K_PRIMARY_INK, true);
    k_draw_keypad(k, v, (ui_rect){lw + m, kv(v, 200), v->w - lw - 2 * m, v->h - kv(v, 250)}, "key:", false);
}

/* The value being typed, its tail when it is too wide (the end is where
 * the next character goes), with a cursor. */
static void draw_field(kiosk_t *k, const k_view *v, ui_rect f, const char *text, int fs)
{
    char shown[300];
    const char *t = text;
    int room = f.w - kv(v, 40);
    ui_rect_fill(v->d, f, K_PANEL);
    ui_frame(v->d, f, K_INK);
    while (*t && ui_text_width(v->d, t, fs, true) + ui_text_width(v->d, "…_", fs, true) > room) {
        int n = ui_utf8_len(t);
        t += n > 0 ? n : 1;
    }
    snprintf(shown, sizeof shown, "%s%s_", t != text ? "…" : "", t);
    ui_text(v->d, (ui_rect){f.x + kv(v, 20), f.y, room, f.h}, shown, fs, K_INK, UI_LEFT, true);
    (void)k;
}

/* One setting being typed: the field, the old value, the keyboard. */
static void draw_setting_edit(kiosk_t *k, const k_view *v)
{
    ui_draw *d = v->d;
    const k_setting *s = k_setting_find(k->set_key);
    char buf[320], cur[256] = "";
    int m = kv(v, 60), w = v->w - 2 * m;
    snprintf(buf, sizeof buf, "%s：%s", TR(k, "设置"), s ? TR(k, s->label) : k->set_key);
    title(k, v, buf);
    draw_field(k, v, (ui_rect){m, kv(v, 190), w, kv(v, 110)}, k->text, kv(v, 56));
    if (store_meta_get(till_store(k->t), k->set_key, cur, sizeof cur) != ZC_OK || !cur[0])
        snprintf(cur, sizeof cur, "%s", TR(k, "（未设置）"));
    snprintf(buf, sizeof buf, "%s %s", TR(k, "原值"), cur);
    ui_text(d, (ui_rect){m, kv(v, 306), w / 2, kv(v, 56)}, buf, kv(v, 32), K_MUTED, UI_LEFT, false);
    k_draw_message(k, v, (ui_rect){m + w / 2, kv(v, 306), w / 2, kv(v, 56)});
    k_draw_keyboard(k, v, (ui_rect){m, kv(v, 380), w, v->h - kv(v, 380) - kv(v, 170)});
    int bw = kv(v, 480), bh = kv(v, 130), by = v->h - bh - kv(v, 24);
    ui_button(d, "back", (ui_rect){m, by, bw, bh}, TR(k, "返回"), kv(v, 48), K_PANEL, K_INK, true);
    ui_button(d, "save", (ui_rect){v->w - m - bw, by, bw, bh}, TR(k, "保存"), kv(v, 52), K_PRIMARY, K_PRIMARY_INK,
              true);
}

static void draw_settings(kiosk_t *k, const k_view *v)
{
    ui_draw *d = v->d;
    int m = kv(v, 60), row = kv(v, 86);
    if (k->set_key[0]) {
        draw_setting_edit(k, v);
        return;
    }
    title(k, v, TR(k, "设置（管理员）"));
    for (int i = 0; i < k_nsettings; i++) {
        const k_setting *s = &k_settings[i];
        char cur[256] = "", buf[320], id[UI_WID_MAX];
        if (store_meta_get(till_store(k->t), s->key, cur, sizeof cur) != ZC_OK)
            snprintf(cur, sizeof cur, "%s", TR(k, "（未设置）"));
        snprintf(buf, sizeof buf, "%s：%s", TR(k, s->label), cur);
        snprintf(id, sizeof id, "set:%s", s->key);
        ui_rect t = {m, kv(v, 190) + i * (row + kv(v, 6)), v->w - 2 * m, row};
        int hw = kv(v, 260);
        ui_rect_fill(d, t, K_PANEL);
        ui_frame(d, t, K_LINE);
        ui_text(d, (ui_rect){t.x + kv(v, 24), t.y, t.w - hw - kv(v, 48), t.h}, buf, kv(v, 38), K_INK, UI_LEFT, true);
        /* what a tap does: text fields open the keyboard, the others change at once */
        ui_text(d, (ui_rect){t.x + t.w - hw - kv(v, 24), t.y, hw, t.h},
                s->text ? TR(k, "点按输入 ›") : TR(k, "点按切换 ›"), kv(v, 32), K_SELECTED, UI_RIGHT, false);
        ui_widget_add(d, id, t, true);
    }
    k_draw_message(k, v, (ui_rect){m, v->h - kv(v, 190), v->w - 2 * m, kv(v, 72)});
    ui_button(d, "back", (ui_rect){m, v->h - kv(v, 110), kv(v, 400), kv(v, 90)}, TR(k, "返回"), kv(v, 44), K_PANEL,
              K_INK, true);
}

void k_admin_draw(kiosk_t *k, const k_view *v)
{
    k_draw_status(k, v);
    switch (k->scr) {
    case K_LOGIN: draw_login(k, v); break;
    case K_PIN: draw_pin(k, v); break;
    case K_SHIFT_OPEN: draw_cash_count(k, v, true); break;
    case K_SHIFT_CLOSE: draw_cash_count(k, v, false); break;
    case K_ZREPORT: draw_zreport(k, v); break;
    case K_RECENT: draw_recent(k, v); break;
    case K_VOID_REASON: draw_void_reason(k, v); break;
    case K_LOOKUP: draw_lookup(k, v); break;
    case K_SETTINGS: draw_settings(k, v); break;
    case K_REPORT:
    case K_EXPORT: k_report_draw(k, v); break;
    default: break;
    }
}
