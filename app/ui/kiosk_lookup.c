/* kiosk_lookup.c - finding an elder by hand (no card): the last four of
 * the ID number (an X too), a phone number, or the pinyin initials of the
 * name (张秀英 -> ZXY), typed on an on-screen keyboard of digits and
 * letters, after a supervisor's PIN.
 *
 * Every pick is audited with the query and the approver before the elder
 * is put on the sale: an unaudited look-up is refused. */
#include <string.h>

#include "kiosk_int.h"

/* widget ids, with K_ID_KB + a keyboard key and K_ID_BACK */
#define ID_SEARCH "search"
#define ID_FOUND "found:" /* + the result's index */

static void lookup_enter(kiosk_t *k)
{
    k->lookup.query[0] = '\0';
    k->lookup.n = 0;
    k->set.kb_upper = true; /* initials and the X of an ID number are capitals */
}

static void lookup_run(kiosk_t *k)
{
    zc_err err = {{0}};
    if (strlen(k->lookup.query) < 2) {
        k_message(k, true, "%s", TR(k, "请至少输入两个字符"));
        return;
    }
    int rc = store_elder_search(till_store(k->t), k->lookup.query, k->lookup.found, K_MAX_FOUND, &k->lookup.n, &err);
    if (rc != ZC_OK) {
        k_error(k, rc, &err, "查找失败：");
        return;
    }
    if (!k->lookup.n)
        k_message(k, true, "%s", TR(k, "没有找到，请换一种方式查找"));
    else
        k->msg[0] = '\0';
}

static void lookup_pick(kiosk_t *k, int i)
{
    zc_err err = {{0}};
    char detail[400];
    if (i < 0 || i >= k->lookup.n)
        return;
    snprintf(detail, sizeof detail, "query=%s by=%s", k->lookup.query, k->auth.by);
    int rc = store_audit(till_store(k->t), k->op.id, "manual_lookup", k->lookup.found[i].id, detail, &err);
    if (rc != ZC_OK) {
        k_error(k, rc, &err, "未能记录查找，不能使用："); /* unaudited look-ups are not allowed */
        return;
    }
    k->auth.what = K_AUTH_LOGIN;
    k_goto(k, K_SELL);
    k_select_elder(k, &k->lookup.found[i], "人工查找");
}

static void lookup_tap(kiosk_t *k, const char *id)
{
    const char *arg;
    if ((arg = k_id_arg(id, K_ID_KB))) {
        (void)k_keyboard_key(k, arg, k->lookup.query, sizeof k->lookup.query);
    } else if (strcmp(id, ID_SEARCH) == 0) {
        lookup_run(k);
    } else if ((arg = k_id_arg(id, ID_FOUND))) {
        lookup_pick(k, arg[0] - '0');
    } else if (strcmp(id, K_ID_BACK) == 0) {
        k->auth.what = K_AUTH_LOGIN;
        k_goto(k, K_SELL);
    }
}

static void lookup_key(kiosk_t *k, int key)
{
    if (key == KKEY_ENTER)
        lookup_run(k);
    else if (key == KKEY_ESCAPE)
        lookup_tap(k, K_ID_BACK);
    else if (key == KKEY_BACKSPACE)
        k_field_backspace(k->lookup.query);
}

static void lookup_text(kiosk_t *k, const char *text)
{
    size_t n = strlen(k->lookup.query), add = strlen(text);
    if (n + add < sizeof k->lookup.query)
        memcpy(k->lookup.query + n, text, add + 1);
}

static void lookup_draw(kiosk_t *k, const k_view *v)
{
    ui_draw *d = v->d;
    char buf[200], masked[ZC_NAME_MAX];
    int m = kv(v, 60), w = v->w - 2 * m, gap = kv(v, 20);
    k_draw_title(v, TR(k, "查找老人：姓名拼音首字母、身份证后四位或手机号"));
    int fw = w * 55 / 100, bw = (w - fw - 2 * gap) / 2, top = kv(v, 196), fh = kv(v, 100);
    ui_rect f = {m, top, fw, fh};
    ui_rect_fill(d, f, K_PANEL);
    ui_frame(d, f, K_INK);
    ui_text(d, (ui_rect){f.x + kv(v, 20), f.y, f.w - kv(v, 40), f.h}, k->lookup.query[0] ? k->lookup.query : "_",
            kv(v, 60), K_INK, UI_LEFT, true);
    ui_button(d, K_ID_BACK, (ui_rect){m + fw + gap, top, bw, fh}, TR(k, "返回"), kv(v, 48), K_PANEL, K_INK, true);
    ui_button(d, ID_SEARCH, (ui_rect){m + fw + 2 * gap + bw, top, bw, fh}, TR(k, "查找"), kv(v, 48), K_PRIMARY,
              K_PRIMARY_INK, true);
    /* the matches in two columns, then the message, then the keyboard */
    int rh = kv(v, 72), cw = (w - gap) / 2, ry = top + fh + kv(v, 16);
    for (int i = 0; i < k->lookup.n; i++) {
        const zc_elder *e = &k->lookup.found[i];
        ui_rect t = {m + (i % 2) * (cw + gap), ry + (i / 2) * (rh + kv(v, 8)), cw, rh};
        snprintf(buf, sizeof buf, "%s  %d%s  %s", zc_name_mask(e->name, masked, sizeof masked),
                 zc_age_on(e->birth, k_local_now(k).date), TR(k, "岁"), e->id);
        char id[UI_WID_MAX];
        snprintf(id, sizeof id, "%s%d", ID_FOUND, i);
        ui_button(d, id, t, buf, kv(v, 38), K_PANEL, K_INK, true);
    }
    int my = ry + (K_MAX_FOUND / 2) * (rh + kv(v, 8));
    k_draw_message(k, v, (ui_rect){m, my, w, kv(v, 64)});
    int ky = my + kv(v, 76);
    k_draw_keyboard(k, v, (ui_rect){m, ky, w, v->h - ky - kv(v, 20)});
}

const k_screen_def k_lookup_screen = {
    .name = "lookup", .enter = lookup_enter, .tap = lookup_tap, .key = lookup_key, .text = lookup_text,
    .draw = lookup_draw,
};
