/* kiosk_keyboard.c - the on-screen keyboard for the settings' text fields
 * and the manual look-up.
 *
 * Server addresses, terminal ids, printer paths and time zones are ASCII:
 * digits, letters and a few signs (. : / - _).  So this is a plain QWERTY
 * keyboard with a caps toggle, no input method: Chinese names are looked up
 * by their pinyin initials (张秀英 -> ZXY), ID numbers end in X.  Each key is a widget
 * whose id carries its character ("kb:h", "kb:H", "kb:/"), so a test or a
 * script types by tapping and what a key inserts never depends on the caps
 * state it was drawn in. */
#include <string.h>

#include "kiosk_int.h"

#define KB_COLS 11
#define KB_ROWS 4

/* The lower-case layout, row by row; three control bytes stand for the
 * special keys: \x01 backspace, \x02 caps, \x03 clear. */
static const char rows[KB_ROWS][KB_COLS + 1] = {
    "1234567890\x01",
    "qwertyuiop-",
    "asdfghjkl:/",
    "\x02zxcvbnm._\x03",
};

static bool allowed(char c)
{
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '.' || c == ':' ||
           c == '/' || c == '-' || c == '_';
}

void k_draw_keyboard(kiosk_t *k, const k_view *v, ui_rect r)
{
    int gap = kv(v, 10), bw = (r.w - gap * (KB_COLS - 1)) / KB_COLS, bh = (r.h - gap * (KB_ROWS - 1)) / KB_ROWS;
    int fs = kv(v, 52);
    for (int row = 0; row < KB_ROWS; row++) {
        for (int col = 0; col < KB_COLS; col++) {
            char c = rows[row][col], id[UI_WID_MAX], label[8];
            ui_rect b = {r.x + col * (bw + gap), r.y + row * (bh + gap), bw, bh};
            if (c == '\x01') {
                ui_button(v->d, K_ID_KB "back", b, "←", fs, 0xE4E4E4, K_INK, true);
            } else if (c == '\x02') {
                ui_button(v->d, K_ID_KB "shift", b, k->set.kb_upper ? "abc" : "ABC", kv(v, 40),
                          k->set.kb_upper ? K_SELECTED : 0xE4E4E4, k->set.kb_upper ? 0xFFFFFF : K_INK, true);
            } else if (c == '\x03') {
                ui_button(v->d, K_ID_KB "clear", b, TR(k, "清除"), kv(v, 40), 0xE4E4E4, K_INK, true);
            } else {
                if (k->set.kb_upper && c >= 'a' && c <= 'z')
                    c = (char)(c - 'a' + 'A');
                snprintf(label, sizeof label, "%c", c);
                snprintf(id, sizeof id, "%s%c", K_ID_KB, c);
                ui_button(v->d, id, b, label, fs, K_PANEL, K_INK, true);
            }
        }
    }
}

bool k_keyboard_key(kiosk_t *k, const char *key, char *buf, size_t n)
{
    size_t len = strnlen(buf, n);
    if (strcmp(key, "shift") == 0) {
        k->set.kb_upper = !k->set.kb_upper;
    } else if (strcmp(key, "back") == 0) {
        if (len)
            buf[len - 1] = '\0';
    } else if (strcmp(key, "clear") == 0) {
        buf[0] = '\0';
    } else if (key[0] && !key[1] && allowed(key[0])) {
        if (len + 1 < n) {
            buf[len] = key[0];
            buf[len + 1] = '\0';
        } else {
            k_message(k, true, "%s", TR(k, "已到最大长度"));
        }
    } else {
        return false;
    }
    return true;
}
