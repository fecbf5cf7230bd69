/* kiosk_settings.c - the admin's settings: the terminal and canteen ids,
 * the centre's address, the card format, printer, volume, language and
 * time zone, stored as meta keys and audited.
 *
 * Text settings open an editor with the on-screen keyboard
 * (kiosk_keyboard.c); the others change at each tap.  A typed value is
 * checked before it is stored, and a refused one stays in the editor. */
#include <stdlib.h>
#include <string.h>

#include "kiosk_int.h"

/* widget ids, with K_ID_KB + a keyboard key and K_ID_BACK */
#define ID_SET "set:" /* + a setting's meta key */
#define ID_SAVE "save"

/* The settings an admin can change, in screen order. */
typedef struct setting {
    const char *key;   /* meta key: "server_url" */
    const char *label; /* Chinese label, translated with TR */
    bool text;         /* typed on the keyboard; false: each tap cycles the value */
} setting;

static const setting settings[] = {
    {"terminal_id", "终端编号", true}, {"canteen_id", "食堂编号", true}, {"server_url", "服务器地址", true},
    {"card_format", "读卡格式", false}, {"printer", "打印机", true},      {"volume", "音量", false},
    {"lang", "语言", false},           {"tz", "时区", true},
};
#define NSETTINGS ((int)(sizeof settings / sizeof settings[0]))

static const setting *setting_find(const char *key)
{
    for (int i = 0; i < NSETTINGS; i++)
        if (strcmp(settings[i].key, key) == 0)
            return &settings[i];
    return NULL;
}

/* Checks a typed value before it is stored; false with a message. */
static bool setting_valid(kiosk_t *k, const char *key, const char *val)
{
    zc_err err = {{0}};
    if (strcmp(key, "tz") == 0 && zc_tz_check(val, &err) != ZC_OK) {
        k_message(k, true, "%s", err.msg);
        return false;
    }
    if (strcmp(key, "server_url") == 0 && val[0] && strncmp(val, "http://", 7) != 0 &&
        strncmp(val, "https://", 8) != 0) {
        k_message(k, true, "%s", TR(k, "服务器地址应以 http:// 或 https:// 开头"));
        return false;
    }
    if ((strcmp(key, "terminal_id") == 0 || strcmp(key, "canteen_id") == 0) && !val[0]) {
        k_message(k, true, "%s", TR(k, "编号不能为空"));
        return false;
    }
    return true;
}

/* Stores and audits one setting; true when saved. */
static bool setting_save(kiosk_t *k, const char *key, const char *val)
{
    zc_err err = {{0}};
    const setting *s = setting_find(key);
    if (!setting_valid(k, key, val))
        return false;
    if (store_meta_set(till_store(k->t), key, val, &err) != ZC_OK ||
        store_audit(till_store(k->t), k->op.id, "setting", key, val, &err) != ZC_OK) {
        k_message(k, true, "%s", err.msg);
        return false;
    }
    if (strcmp(key, "card_format") == 0 || strcmp(key, "tz") == 0) /* tz: installed now, as before */
        (void)till_reload(k->t, NULL);
    if (strcmp(key, "lang") == 0) {
        i18n_t *n = NULL;
        if (i18n_load(k->i18n_dir, val, &n, &err) == ZC_OK) {
            i18n_free(k->i18n);
            k->i18n = n;
            snprintf(k->lang, sizeof k->lang, "%s", val);
        }
    }
    k_message(k, false, "%s %s", TR(k, "已保存"), s ? TR(k, s->label) : key);
    return true;
}

static void setting_tap(kiosk_t *k, const char *key)
{
    char cur[256] = "";
    const setting *s = setting_find(key);
    if (!s)
        return;
    if (store_meta_get(till_store(k->t), key, cur, sizeof cur) != ZC_OK)
        cur[0] = '\0';
    if (strcmp(key, "card_format") == 0) {
        static const char *const f[] = {"hex10", "dec10", "dec8", "facility"};
        int i = 0;
        for (int j = 0; j < 4; j++)
            if (strcmp(cur, f[j]) == 0)
                i = j;
        (void)setting_save(k, key, f[(i + 1) % 4]);
    } else if (strcmp(key, "lang") == 0) {
        (void)setting_save(k, key, strcmp(cur, "en") == 0 ? "zh_CN" : "en");
    } else if (strcmp(key, "volume") == 0) {
        char *end;
        long vol = strtol(cur, &end, 10);
        char buf[8];
        if (!cur[0] || *end)
            vol = 80;
        snprintf(buf, sizeof buf, "%ld", (vol + 20) % 120);
        (void)setting_save(k, key, buf);
    } else if (s->text) {
        /* the editor: the current value, the on-screen keyboard, save */
        snprintf(k->set.key, sizeof k->set.key, "%s", key);
        snprintf(k->set.value, sizeof k->set.value, "%s", cur);
        k->set.kb_upper = false;
        k->msg[0] = '\0';
    }
}

static void settings_enter(kiosk_t *k)
{
    k->set.key[0] = '\0';
    k->msg[0] = '\0';
}

static void settings_tap(kiosk_t *k, const char *id)
{
    const char *arg;
    bool editing = k->set.key[0] != '\0';
    if (editing && (arg = k_id_arg(id, K_ID_KB))) {
        (void)k_keyboard_key(k, arg, k->set.value, sizeof k->set.value);
    } else if (!editing && (arg = k_id_arg(id, ID_SET))) {
        setting_tap(k, arg);
    } else if (strcmp(id, ID_SAVE) == 0 && editing) {
        if (setting_save(k, k->set.key, k->set.value))
            k->set.key[0] = '\0'; /* a refused value stays in the editor */
    } else if (strcmp(id, K_ID_BACK) == 0) {
        if (editing) {
            k->set.key[0] = '\0';
            k->msg[0] = '\0';
        } else {
            k_open(k, K_SELL);
        }
    }
}

static void settings_key(kiosk_t *k, int key)
{
    if (key == KKEY_ENTER)
        settings_tap(k, ID_SAVE);
    else if (key == KKEY_ESCAPE)
        settings_tap(k, K_ID_BACK);
    else if (key == KKEY_BACKSPACE)
        k_field_backspace(k->set.value);
}

static void settings_text(kiosk_t *k, const char *text)
{
    size_t n = strlen(k->set.value), add = strlen(text);
    if (k->set.key[0] && n + add < sizeof k->set.value)
        memcpy(k->set.value + n, text, add + 1);
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
    const setting *s = setting_find(k->set.key);
    char buf[320], cur[256] = "";
    int m = kv(v, 60), w = v->w - 2 * m;
    snprintf(buf, sizeof buf, "%s：%s", TR(k, "设置"), s ? TR(k, s->label) : k->set.key);
    k_draw_title(v, buf);
    draw_field(k, v, (ui_rect){m, kv(v, 190), w, kv(v, 110)}, k->set.value, kv(v, 56));
    if (store_meta_get(till_store(k->t), k->set.key, cur, sizeof cur) != ZC_OK || !cur[0])
        snprintf(cur, sizeof cur, "%s", TR(k, "（未设置）"));
    snprintf(buf, sizeof buf, "%s %s", TR(k, "原值"), cur);
    ui_text(d, (ui_rect){m, kv(v, 306), w / 2, kv(v, 56)}, buf, kv(v, 32), K_MUTED, UI_LEFT, false);
    k_draw_message(k, v, (ui_rect){m + w / 2, kv(v, 306), w / 2, kv(v, 56)});
    k_draw_keyboard(k, v, (ui_rect){m, kv(v, 380), w, v->h - kv(v, 380) - kv(v, 170)});
    int bw = kv(v, 480), bh = kv(v, 130), by = v->h - bh - kv(v, 24);
    ui_button(d, K_ID_BACK, (ui_rect){m, by, bw, bh}, TR(k, "返回"), kv(v, 48), K_PANEL, K_INK, true);
    ui_button(d, ID_SAVE, (ui_rect){v->w - m - bw, by, bw, bh}, TR(k, "保存"), kv(v, 52), K_PRIMARY, K_PRIMARY_INK,
              true);
}

static void settings_draw(kiosk_t *k, const k_view *v)
{
    ui_draw *d = v->d;
    int m = kv(v, 60), row = kv(v, 86);
    if (k->set.key[0]) {
        draw_setting_edit(k, v);
        return;
    }
    k_draw_title(v, TR(k, "设置（管理员）"));
    for (int i = 0; i < NSETTINGS; i++) {
        const setting *s = &settings[i];
        char cur[256] = "", buf[320], id[UI_WID_MAX];
        if (store_meta_get(till_store(k->t), s->key, cur, sizeof cur) != ZC_OK)
            snprintf(cur, sizeof cur, "%s", TR(k, "（未设置）"));
        snprintf(buf, sizeof buf, "%s：%s", TR(k, s->label), cur);
        snprintf(id, sizeof id, "%s%s", ID_SET, s->key);
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
    ui_button(d, K_ID_BACK, (ui_rect){m, v->h - kv(v, 110), kv(v, 400), kv(v, 90)}, TR(k, "返回"), kv(v, 44), K_PANEL,
              K_INK, true);
}

const k_screen_def k_settings_screen = {
    .name = "settings", .enter = settings_enter, .tap = settings_tap, .key = settings_key, .text = settings_text,
    .draw = settings_draw,
};
