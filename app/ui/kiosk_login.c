/* kiosk_login.c - the login screen (operator tiles) and the PIN pad.
 *
 * Actions that need a supervisor (a void, a manual look-up, the reports
 * and a cashier's shift close) go through the same two screens:
 * k_auth_begin shows only supervisors and admins, and the approved action
 * runs with the approver's id (k->auth.by) in the audit log. */
#include <string.h>

#include "kiosk_int.h"

/* widget ids, with K_ID_OP + an operator id (a tile) and K_ID_PIN + a key */
#define ID_OK "ok"
#define ID_CANCEL "cancel"

/* Operators and the menu, read at each login screen. */
static void load_lists(kiosk_t *k)
{
    zc_err err = {{0}};
    if (store_operator_list(till_store(k->t), k->ops, K_MAX_OPS, &k->nops, &err) != ZC_OK) {
        k->nops = 0;
        k_message(k, true, "%s", err.msg);
    }
    if (store_item_list(till_store(k->t), k->menu, K_MAX_ITEMS, &k->nmenu, &err) != ZC_OK) {
        k->nmenu = 0;
        k_message(k, true, "%s", err.msg);
    }
    /* categories in menu order */
    k->ncats = 0;
    for (int i = 0; i < k->nmenu; i++) {
        bool seen = false;
        for (int c = 0; c < k->ncats; c++)
            seen |= strcmp(k->cats[c], k->menu[i].category) == 0;
        if (!seen && k->ncats < K_MAX_CATS) {
            size_t n = strnlen(k->menu[i].category, ZC_CODE_MAX - 1);
            memcpy(k->cats[k->ncats], k->menu[i].category, n);
            k->cats[k->ncats++][n] = '\0';
        }
    }
    k->sell.cat = 0;
}

/* A fresh login screen: nobody is logged in. */
static void login_enter(kiosk_t *k)
{
    load_lists(k);
    k->logged_in = false;
    k->auth.what = K_AUTH_LOGIN;
}

void k_auth_begin(kiosk_t *k, k_auth what, k_screen back)
{
    k->auth.what = what;
    k->auth.back = back;
    k->auth.pin[0] = '\0';
    k_goto(k, K_LOGIN);
    k_message(k, false, "%s", TR(k, "需要主管输入密码"));
}

static const store_operator *find_op(const kiosk_t *k, const char *id)
{
    for (int i = 0; i < k->nops; i++)
        if (strcmp(k->ops[i].id, id) == 0)
            return &k->ops[i];
    return NULL;
}

/* After a correct PIN. */
static void authorised(kiosk_t *k, const store_operator *op)
{
    zc_err err = {{0}};
    if (k->auth.what == K_AUTH_LOGIN) {
        store_shift open;
        k->op = *op;
        k->logged_in = true;
        k->msg[0] = '\0';
        if (store_shift_current(till_store(k->t), &open, &err) == ZC_OK)
            k_open(k, K_SELL);
        else
            k_goto(k, K_SHIFT_OPEN);
        return;
    }
    if (op->role == STORE_ROLE_CASHIER) {
        k_message(k, true, "%s", TR(k, "需要主管或管理员授权"));
        k->auth.pin[0] = '\0';
        return;
    }
    snprintf(k->auth.by, sizeof k->auth.by, "%s", op->id);
    k->msg[0] = '\0';
    if (k->auth.what == K_AUTH_LOOKUP) {
        k_open(k, K_LOOKUP);
    } else if (k->auth.what == K_AUTH_REPORT) {
        k->auth.what = K_AUTH_LOGIN;
        k_report_enter(k, k->auth.back);
    } else if (k->auth.what == K_AUTH_CLOSE) {
        k->auth.what = K_AUTH_LOGIN;
        k_open(k, K_SHIFT_CLOSE);
    } else {
        k_open(k, K_VOID_REASON);
    }
}

static void pin_submit(kiosk_t *k)
{
    zc_err err = {{0}};
    store_operator op;
    int rc = store_operator_login(till_store(k->t), k->auth.op, k->auth.pin, k_epoch_now(k), &op, &err);
    k->auth.pin[0] = '\0';
    if (rc == ZC_OK) {
        authorised(k, &op);
        return;
    }
    k_say(k, "tone_error");
    k_message(k, true, "%s", rc == ZC_EREFUSED ? TR(k, "密码错误，请重试") : err.msg);
}

static void pin_key(kiosk_t *k, const char *key)
{
    size_t n = strlen(k->auth.pin);
    if (strcmp(key, "back") == 0) {
        if (n)
            k->auth.pin[n - 1] = '\0';
    } else if (strcmp(key, "clear") == 0) {
        k->auth.pin[0] = '\0';
    } else if (key[0] >= '0' && key[0] <= '9' && !key[1] && n < 8) {
        k->auth.pin[n] = key[0];
        k->auth.pin[n + 1] = '\0';
    }
}

static void cancel_auth(kiosk_t *k)
{
    k->msg[0] = '\0';
    if (k->auth.what == K_AUTH_LOGIN) {
        k_goto(k, K_LOGIN);
    } else {
        k->auth.what = K_AUTH_LOGIN;
        k_goto(k, k->auth.back);
    }
}

/* ---- login: operator tiles ---- */

static void login_tap(kiosk_t *k, const char *id)
{
    const char *op = k_id_arg(id, K_ID_OP);
    if (op && find_op(k, op)) {
        snprintf(k->auth.op, sizeof k->auth.op, "%s", op);
        k->auth.pin[0] = '\0';
        if (k->auth.what == K_AUTH_LOGIN)
            k->msg[0] = '\0';
        k_goto(k, K_PIN);
    } else if (strcmp(id, ID_CANCEL) == 0) {
        cancel_auth(k);
    }
}

static void login_key(kiosk_t *k, int key)
{
    if (key == KKEY_ESCAPE)
        login_tap(k, ID_CANCEL);
}

const char *k_role_label(kiosk_t *k, store_role r)
{
    return r == STORE_ROLE_ADMIN ? TR(k, "管理员") : r == STORE_ROLE_SUPERVISOR ? TR(k, "主管") : TR(k, "收银员");
}

static void login_draw(kiosk_t *k, const k_view *v)
{
    ui_draw *d = v->d;
    bool auth = k->auth.what != K_AUTH_LOGIN;
    k_draw_title(v, auth ? TR(k, "需要主管授权：请选择主管") : TR(k, "助餐收银 · 请选择收银员"));
    int cols = 4, gap = kv(v, 24), m = kv(v, 60);
    int tw = (v->w - 2 * m - gap * (cols - 1)) / cols, th = kv(v, 200), n = 0;
    for (int i = 0; i < k->nops; i++) {
        const store_operator *o = &k->ops[i];
        if (!o->active || (auth && o->role == STORE_ROLE_CASHIER))
            continue;
        ui_rect t = {m + (n % cols) * (tw + gap), kv(v, 220) + (n / cols) * (th + gap), tw, th};
        char id[UI_WID_MAX];
        snprintf(id, sizeof id, "%s%s", K_ID_OP, o->id);
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
        ui_button(d, ID_CANCEL, (ui_rect){m, v->h - kv(v, 170), kv(v, 400), kv(v, 130)}, TR(k, "取消"), kv(v, 48),
                  K_PANEL, K_INK, true);
}

const k_screen_def k_login_screen = {
    .name = "login", .enter = login_enter, .tap = login_tap, .key = login_key, .draw = login_draw,
};

/* ---- the PIN pad ---- */

static void pin_tap(kiosk_t *k, const char *id)
{
    const char *key = k_id_arg(id, K_ID_PIN);
    if (key)
        pin_key(k, key);
    else if (strcmp(id, ID_OK) == 0)
        pin_submit(k);
    else if (strcmp(id, ID_CANCEL) == 0)
        cancel_auth(k);
}

static void pin_keyboard(kiosk_t *k, int key)
{
    if (key == KKEY_ENTER)
        pin_submit(k);
    else if (key == KKEY_ESCAPE)
        cancel_auth(k);
    else if (key == KKEY_BACKSPACE)
        pin_key(k, "back");
}

static void pin_text(kiosk_t *k, const char *text)
{
    for (const char *p = text; *p; p++) {
        char key[2] = {*p, 0};
        pin_key(k, key);
    }
}

static void pin_draw(kiosk_t *k, const k_view *v)
{
    ui_draw *d = v->d;
    char buf[160], dots[40] = "";
    int m = kv(v, 60), lw = v->w / 2;
    const store_operator *op = find_op(k, k->auth.op);
    snprintf(buf, sizeof buf, "%s %s", op ? op->name : k->auth.op, TR(k, "请输入密码"));
    k_draw_title(v, buf);
    size_t n = strlen(k->auth.pin), o = 0;
    for (size_t i = 0; i < n && o + 5 < sizeof dots; i++)
        o += (size_t)snprintf(dots + o, sizeof dots - o, "● ");
    ui_rect f = {m, kv(v, 240), lw - 2 * m, kv(v, 140)};
    ui_rect_fill(d, f, K_PANEL);
    ui_frame(d, f, K_INK);
    ui_text(d, f, n ? dots : TR(k, "（密码不显示）"), kv(v, 64), n ? K_INK : K_MUTED, UI_CENTER, true);
    k_draw_message(k, v, (ui_rect){m, kv(v, 420), lw - 2 * m, kv(v, 72)});
    int bw = (lw - 2 * m - kv(v, 20)) / 2;
    ui_button(d, ID_CANCEL, (ui_rect){m, v->h - kv(v, 200), bw, kv(v, 150)}, TR(k, "返回"), kv(v, 48), K_PANEL,
              K_INK, true);
    ui_button(d, ID_OK, (ui_rect){m + bw + kv(v, 20), v->h - kv(v, 200), bw, kv(v, 150)}, TR(k, "确定"), kv(v, 56),
              K_PRIMARY, K_PRIMARY_INK, true);
    k_draw_keypad(k, v, (ui_rect){lw + m, kv(v, 200), lw - 2 * m, v->h - kv(v, 250)}, K_ID_PIN, false);
}

const k_screen_def k_pin_screen = {
    .name = "pin", .tap = pin_tap, .key = pin_keyboard, .text = pin_text, .draw = pin_draw,
};
