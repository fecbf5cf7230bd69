/* kiosk_view.c - the parts every screen shares: scale, status bar, titles, keypads. */
#include <string.h>

#include "kiosk_int.h"

int kv(const k_view *v, int px)
{
    int r = (int)(px * v->s + 0.5);
    return r < 1 ? 1 : r;
}

char *k_yuan(zc_fen f, char *buf, int n) { return zc_fen_fmt(f, buf, n); }

void k_draw_title(const k_view *v, const char *text)
{
    ui_text(v->d, (ui_rect){kv(v, 60), kv(v, 84), v->w - kv(v, 120), kv(v, 100)}, text, kv(v, 60), K_INK, UI_LEFT,
            true);
}

/* Time, meal period, operator, connection, unsent sales, last sync. */
void k_draw_status(kiosk_t *k, const k_view *v)
{
    ui_draw *d = v->d;
    int h = kv(v, 64), fs = kv(v, 30), x = kv(v, 24);
    char buf[160], t[20];
    zc_datetime now = k_local_now(k);

    /* the clock an hour or more behind the newest sale: sales still go in
     * sequence order, but their times and meal periods would be wrong */
    bool behind = k->status.behind_s >= 3600;
    ui_rect_fill(d, (ui_rect){0, 0, v->w, h}, behind ? K_DANGER : 0x22313F);
    zc_datetime_fmt(now, t, sizeof t);
    ui_text(d, (ui_rect){x, 0, kv(v, 300), h}, t, fs, 0xFFFFFF, UI_LEFT, true);
    x += kv(v, 310);
    if (behind) {
        snprintf(buf, sizeof buf, "%s %lld %s", TR(k, "时钟比上一笔交易早"),
                 (long long)(k->status.behind_s / 3600), TR(k, "小时，请检查本机时间"));
        ui_text(d, (ui_rect){x, 0, v->w - x - kv(v, 24), h}, buf, fs, 0xFFFFFF, UI_LEFT, true);
        return;
    }
    const char *period = k->sale.period[0] ? k->sale.period : k->status.period;
    snprintf(buf, sizeof buf, "%s %s%s", TR(k, "餐次"), k_period_name(k, period),
             k->sale.period[0] ? TR(k, "（手动）") : "");
    ui_text(d, (ui_rect){x, 0, kv(v, 380), h}, buf, fs, 0xFFFFFF, UI_LEFT, false);
    x += kv(v, 390);
    if (k->logged_in) {
        snprintf(buf, sizeof buf, "%s %s", k_role_label(k, k->op.role), k->op.name);
        ui_text(d, (ui_rect){x, 0, kv(v, 330), h}, buf, fs, 0xFFFFFF, UI_LEFT, false);
    }
    x += kv(v, 340);
    long unsent = k->status.unsent;
    const char *last = k->status.last[0] ? k->status.last : TR(k, "从未");
    bool online = k->status.online;
    snprintf(buf, sizeof buf, "%s %s   %s %ld   %s %s", online ? "●" : "○",
             online ? TR(k, "在线") : TR(k, "离线"), TR(k, "未上传"), unsent, TR(k, "上次同步"), last);
    ui_text(d, (ui_rect){x, 0, v->w - x - kv(v, 24), h}, buf, fs, online ? 0x9BE39B : K_WARN, UI_RIGHT,
            false);
}

void k_draw_keypad(kiosk_t *k, const k_view *v, ui_rect r, const char *prefix, bool dot)
{
    static const char *const keys[12] = {"1", "2", "3", "4", "5", "6", "7", "8", "9", "dot", "0", "back"};
    int gap = kv(v, 12), bw = (r.w - 2 * gap) / 3, bh = (r.h - 3 * gap) / 4;
    for (int i = 0; i < 12; i++) {
        char id[UI_WID_MAX];
        const char *key = keys[i], *label = key;
        if (i == 9 && !dot)
            key = "clear";
        if (strcmp(key, "dot") == 0)
            label = ".";
        else if (strcmp(key, "clear") == 0)
            label = TR(k, "清除");
        else if (strcmp(key, "back") == 0)
            label = "←";
        snprintf(id, sizeof id, "%s%s", prefix, key);
        ui_rect b = {r.x + (i % 3) * (bw + gap), r.y + (i / 3) * (bh + gap), bw, bh};
        ui_button(v->d, id, b, label, kv(v, 52), K_PANEL, K_INK, true);
    }
}

void k_draw_message(kiosk_t *k, const k_view *v, ui_rect r)
{
    if (!k->msg[0])
        return;
    if (k->msg_error) {
        ui_rect_fill(v->d, r, K_DANGER);
        char buf[420];
        snprintf(buf, sizeof buf, "！%s", k->msg);
        ui_text(v->d, (ui_rect){r.x + kv(v, 16), r.y, r.w - kv(v, 32), r.h}, buf, kv(v, 32), 0xFFFFFF,
                UI_LEFT, true);
    } else {
        ui_rect_fill(v->d, r, 0xDDEBDD);
        ui_text(v->d, (ui_rect){r.x + kv(v, 16), r.y, r.w - kv(v, 32), r.h}, k->msg, kv(v, 32), K_INK,
                UI_LEFT, false);
    }
}

/* Appends "%s" to buf at *o, bounded; a full buffer stops appending. */
static void add(char *buf, size_t n, size_t *o, const char *s)
{
    if (*o >= n)
        return;
    int w = snprintf(buf + *o, n - *o, "%s", s);
    *o = w < 0 ? n : *o + (size_t)w;
}

char *k_tiers_text(kiosk_t *k, const zc_elder *e, bool customer, char *buf, size_t n)
{
    size_t o = 0;
    buf[0] = '\0';
    for (int i = 0; i < e->ncats && !customer; i++) {
        char one[64];
        snprintf(one, sizeof one, "%s[%s]", i ? " " : "", k_category_name(k, e->cats[i].code));
        add(buf, n, &o, one);
    }
    if (buf[0])
        return buf;
    /* no category (or none may be shown): what the age says, never "ordinary" */
    if (zc_age_on(e->birth, k_local_now(k).date) >= 80)
        snprintf(buf, n, "%s", TR(k, "高龄老人（80 岁以上）"));
    else if (!customer)
        snprintf(buf, n, "%s", TR(k, "无特殊类别"));
    return buf;
}

bool k_no_subsidy_text(kiosk_t *k, char *buf, size_t n, bool *hint)
{
    buf[0] = '\0';
    *hint = false;
    if (!k->sale.quote_ok || k->sale.quote.napplied || !k->sale.quote.nrefusals)
        return false;
    if (k->sale.quote.eligible == 0) {
        *hint = true;
        snprintf(buf, n, "%s", TR(k, "选择套餐后计算补贴"));
        return true;
    }
    snprintf(buf, n, "%s %s", TR(k, "本餐无补贴："),
             zc_reason_text(k->sale.quote.refusals[0].reason, k->lang[0] == 'e' ? "en" : "zh"));
    return true;
}

bool k_uses_text(kiosk_t *k, char *buf, size_t n)
{
    char dl[48] = "", wl[48] = "";
    buf[0] = '\0';
    if (!k->sale.quote_ok || !k->sale.quote.napplied)
        return false;
    const zc_applied *ap = &k->sale.quote.applied[0];
    if (ap->left_day >= 0)
        snprintf(dl, sizeof dl, "%s %d %s", TR(k, "本餐后今日还剩"), ap->left_day, TR(k, "次"));
    if (ap->left_week >= 0)
        snprintf(wl, sizeof wl, "%s %d %s", TR(k, "本周还剩"), ap->left_week, TR(k, "次"));
    snprintf(buf, n, "%s%s%s", dl, dl[0] && wl[0] ? "  " : "", wl);
    return buf[0] != '\0';
}

char *k_sources_text(kiosk_t *k, const zc_quote *q, char *buf, size_t n)
{
    /* one amount per funding source, in the order the policy lists them */
    char src[ZC_MAX_PARTS][ZC_CODE_MAX];
    zc_fen fen[ZC_MAX_PARTS];
    int ns = 0;
    size_t o = 0;
    for (int i = 0; i < q->nparts; i++) {
        int j = 0;
        while (j < ns && strcmp(src[j], q->parts[i].source) != 0)
            j++;
        if (j == ns) {
            snprintf(src[ns], sizeof src[ns], "%s", q->parts[i].source);
            fen[ns++] = 0;
        }
        fen[j] += q->parts[i].fen;
    }
    buf[0] = '\0';
    for (int j = 0; j < ns; j++) {
        char one[96], a[24];
        snprintf(one, sizeof one, "%s%s %s", !j ? "" : k->lang[0] == 'e' ? ", " : "，", k_source_name(k, src[j]),
                 k_yuan(fen[j], a, sizeof a));
        add(buf, n, &o, one);
    }
    return buf;
}

char *k_cart_text(kiosk_t *k, int max, char *buf, size_t n)
{
    size_t o = 0;
    buf[0] = '\0';
    for (int i = 0; i < k->sale.cart.n && i < max; i++) {
        char one[ZC_NAME_MAX + 24];
        snprintf(one, sizeof one, "%s%s×%d", i ? "、" : "", k->sale.cart.lines[i].name, k->sale.cart.lines[i].qty);
        add(buf, n, &o, one);
    }
    if (k->sale.cart.n > max) {
        char more[64];
        snprintf(more, sizeof more, " %s %d %s", TR(k, "等"), k->sale.cart.n, TR(k, "样"));
        add(buf, n, &o, more);
    }
    return buf;
}
