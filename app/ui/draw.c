/* draw.c - the draw list: bounded command and widget arrays, text fitting,
 * hit testing and a hash for "did anything change" (see draw.h).
 *
 * Text is fitted here, not in the renderer, so that what a test reads from
 * the list is exactly what the elder sees: the size after shrinking and the
 * string after truncation.  Widths come from the renderer's measure callback
 * (TTF_SizeUTF8) when there is one, else from a per-character estimate that
 * is close enough for headless tests of layout. */
#include "draw.h"

#include <stddef.h>
#include <stdio.h>
#include <string.h>

#define ELLIPSIS "\xE2\x80\xA6" /* U+2026 … */
#define ELLIPSIS_LEN 3

/* Decodes the sequence at s into *cp; returns its length (1..4) or 0 when it
 * is empty, truncated, overlong, a surrogate or beyond U+10FFFF. */
static int utf8_decode(const char *s, uint32_t *cp)
{
    const unsigned char *u = (const unsigned char *)s;
    int len;
    uint32_t c, min;
    if (u[0] == 0)
        return 0;
    if (u[0] < 0x80) {
        *cp = u[0];
        return 1;
    }
    if ((u[0] & 0xE0) == 0xC0) {
        len = 2, c = u[0] & 0x1F, min = 0x80;
    } else if ((u[0] & 0xF0) == 0xE0) {
        len = 3, c = u[0] & 0x0F, min = 0x800;
    } else if ((u[0] & 0xF8) == 0xF0) {
        len = 4, c = u[0] & 0x07, min = 0x10000;
    } else {
        return 0;
    }
    for (int i = 1; i < len; i++) {
        if ((u[i] & 0xC0) != 0x80) /* also stops at the NUL of a truncated sequence */
            return 0;
        c = (c << 6) | (u[i] & 0x3F);
    }
    if (c < min || c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF))
        return 0;
    *cp = c;
    return len;
}

int ui_utf8_len(const char *s)
{
    uint32_t cp;
    return s ? utf8_decode(s, &cp) : 0;
}

/* Full-width (East Asian wide) code points: CJK, kana, hangul, full-width forms. */
static bool is_wide(uint32_t c)
{
    return (c >= 0x1100 && c <= 0x115F) || c == 0x2026 || (c >= 0x2E80 && c <= 0xA4CF) ||
           (c >= 0xAC00 && c <= 0xD7A3) || (c >= 0xF900 && c <= 0xFAFF) ||
           (c >= 0xFE30 && c <= 0xFE4F) || (c >= 0xFF00 && c <= 0xFF60) ||
           (c >= 0xFFE0 && c <= 0xFFE6) || c >= 0x20000;
}

/* The estimate used without a renderer: CJK ~ size, ASCII ~ 0.55 size, other
 * ~ 0.6 size per character, rounded up. */
static int estimate_width(const char *text, int size)
{
    int64_t milli = 0;
    for (const char *p = text; *p;) {
        uint32_t cp = '?';
        int n = utf8_decode(p, &cp);
        if (n == 0)
            n = 1;
        milli += cp < 0x80 ? 550 : is_wide(cp) ? 1000 : 600;
        p += n;
    }
    int64_t w = (milli * size + 999) / 1000;
    return w > 1000000 ? 1000000 : (int)w;
}

int ui_text_width(const ui_draw *d, const char *text, int size, bool bold)
{
    if (!text || !*text || size <= 0)
        return 0;
    if (d && d->measure)
        return d->measure(d->measure_ctx, text, size, bold);
    return estimate_width(text, size);
}

void ui_draw_init(ui_draw *d, ui_measure_fn measure, void *measure_ctx)
{
    memset(d, 0, sizeof *d);
    d->measure = measure;
    d->measure_ctx = measure_ctx;
}

void ui_draw_begin(ui_draw *d, int w, int h)
{
    d->ncmds = 0;
    d->nwidgets = 0;
    d->w = w;
    d->h = h;
    d->overflow = false;
}

/* The next free command, or NULL (and overflow set) when the list is full. */
static ui_cmd *push(ui_draw *d, ui_cmd_kind kind, ui_rect r, ui_color c)
{
    if (d->ncmds >= UI_MAX_CMDS) {
        d->overflow = true;
        return NULL;
    }
    ui_cmd *cmd = &d->cmds[d->ncmds++];
    cmd->kind = kind;
    cmd->r = r;
    cmd->color = c & 0xFFFFFF;
    cmd->size = 0;
    cmd->bold = false;
    cmd->align = UI_LEFT;
    cmd->text[0] = '\0';
    return cmd;
}

void ui_rect_fill(ui_draw *d, ui_rect r, ui_color c)
{
    if (r.w > 0 && r.h > 0)
        push(d, UI_CMD_RECT, r, c);
}

void ui_frame(ui_draw *d, ui_rect r, ui_color c)
{
    if (r.w > 0 && r.h > 0)
        push(d, UI_CMD_FRAME, r, c);
}

/* Copies text into out (n bytes) as one clean line: control characters to
 * spaces, invalid bytes to '?' (both keep the byte length), cut on a
 * character boundary leaving room for an ellipsis when the text does not
 * fit.  Returns true when it had to be cut. */
static bool sanitize(const char *text, char *out, size_t n)
{
    bool cut = strlen(text) >= n;
    size_t budget = cut ? n - 1 - ELLIPSIS_LEN : n - 1, o = 0;
    for (const char *p = text; *p;) {
        uint32_t cp;
        int len = utf8_decode(p, &cp);
        if (len == 0 || cp < 0x20 || cp == 0x7F) {
            if (o + 1 > budget)
                break;
            out[o++] = len == 0 ? '?' : ' ';
            p += len == 0 ? 1 : len;
            continue;
        }
        if (o + (size_t)len > budget)
            break;
        memcpy(out + o, p, (size_t)len);
        o += (size_t)len;
        p += len;
    }
    out[o] = '\0';
    return cut;
}

/* Writes the first k bytes of s followed by "…" into out (UI_TEXT_MAX). */
static void with_ellipsis(const char *s, size_t k, char *out)
{
    if (k + ELLIPSIS_LEN + 1 > UI_TEXT_MAX)
        k = UI_TEXT_MAX - ELLIPSIS_LEN - 1; /* sanitize() left room; defensive */
    memcpy(out, s, k);
    memcpy(out + k, ELLIPSIS, ELLIPSIS_LEN + 1);
}

/* Fitting, in three steps: as given; the largest size down to the floor
 * (UI_MIN_SHRINK %) that fits; at the floor, the longest prefix (on
 * character boundaries) that fits with "…".  A box of width <= 0 means "no limit". */
void ui_text(ui_draw *d, ui_rect r, const char *text, int size, ui_color c, ui_align a, bool bold)
{
    char clean[UI_TEXT_MAX], cand[UI_TEXT_MAX];
    if (!text || size <= 0)
        return;
    bool cut = sanitize(text, clean, sizeof clean);
    if (!clean[0])
        return;
    ui_cmd *cmd = push(d, UI_CMD_TEXT, r, c);
    if (!cmd)
        return;
    cmd->bold = bold;
    cmd->align = a;
    if (cut)
        with_ellipsis(clean, strlen(clean), cand);
    else
        memcpy(cand, clean, strlen(clean) + 1);

    int min_size = (size * UI_MIN_SHRINK + 99) / 100;
    if (min_size < 1)
        min_size = 1;
    int w = ui_text_width(d, cand, size, bold);
    if (r.w <= 0 || w <= r.w) {
        cmd->size = size;
        memcpy(cmd->text, cand, strlen(cand) + 1);
        return;
    }

    /* shrink: width is nearly proportional to size, so start from the
     * proportional guess and step down while hinting makes it too wide (no
     * step up: each size probed costs the renderer a font) */
    int s = (int)((int64_t)size * r.w / (w > 0 ? w : 1));
    if (s >= size)
        s = size - 1;
    if (s < min_size)
        s = min_size;
    int fit_w;
    while ((fit_w = ui_text_width(d, cand, s, bold)) > r.w && s > min_size)
        s--;
    cmd->size = s;
    if (fit_w <= r.w) {
        memcpy(cmd->text, cand, strlen(cand) + 1);
        return;
    }

    /* truncate at the floor: binary search over character boundaries */
    size_t bounds[UI_TEXT_MAX];
    int nb = 0;
    for (size_t i = 0; clean[i];) {
        int len = ui_utf8_len(clean + i);
        i += (size_t)(len > 0 ? len : 1);
        bounds[nb++] = i; /* byte length of the prefix of nb characters */
    }
    int lo = 0, hi = nb - 1; /* the whole text with "…" is known not to fit */
    while (lo < hi) {
        int mid = (lo + hi + 1) / 2;
        with_ellipsis(clean, bounds[mid - 1], cand);
        if (ui_text_width(d, cand, s, bold) <= r.w)
            lo = mid;
        else
            hi = mid - 1;
    }
    with_ellipsis(clean, lo > 0 ? bounds[lo - 1] : 0, cmd->text);
}

/* Mixes a colour toward another by pct percent. */
static ui_color mix(ui_color a, ui_color b, int pct)
{
    ui_color out = 0;
    for (int shift = 0; shift <= 16; shift += 8) {
        int ca = (int)((a >> shift) & 0xFF), cb = (int)((b >> shift) & 0xFF);
        out |= (ui_color)((ca + (cb - ca) * pct / 100) & 0xFF) << shift;
    }
    return out;
}

void ui_button(ui_draw *d, const char *id, ui_rect r, const char *label, int size, ui_color bg,
               ui_color fg, bool enabled)
{
    if (!enabled) {
        bg = mix(bg, 0xD8D8D8, 75);
        fg = mix(fg, 0x8A8A8A, 75);
    }
    ui_rect_fill(d, r, bg);
    ui_frame(d, r, mix(bg, 0x000000, 30));
    int pad = size / 3 > 4 ? size / 3 : 4;
    ui_rect inner = {r.x + pad, r.y, r.w - 2 * pad, r.h};
    if (inner.w < 1)
        inner.w = 1;
    if (label)
        ui_text(d, inner, label, size, fg, UI_CENTER, true);
    ui_widget_add(d, id, r, enabled);
}

void ui_widget_add(ui_draw *d, const char *id, ui_rect r, bool enabled)
{
    if (!id || !*id)
        return;
    if (d->nwidgets >= UI_MAX_WIDGETS) {
        d->overflow = true;
        return;
    }
    ui_widget *wd = &d->widgets[d->nwidgets++];
    int n = snprintf(wd->id, sizeof wd->id, "%s", id);
    if (n < 0 || (size_t)n >= sizeof wd->id)
        d->overflow = true; /* ids are programmer-chosen; a long one is a bug */
    wd->r = r;
    wd->enabled = enabled;
}

static bool inside(ui_rect r, int x, int y)
{
    return x >= r.x && y >= r.y && x < r.x + r.w && y < r.y + r.h;
}

const ui_widget *ui_hit(const ui_draw *d, int x, int y)
{
    for (int i = d->nwidgets - 1; i >= 0; i--) {
        if (inside(d->widgets[i].r, x, y))
            return d->widgets[i].enabled ? &d->widgets[i] : NULL;
    }
    return NULL;
}

const ui_widget *ui_widget_find(const ui_draw *d, const char *id)
{
    if (!id)
        return NULL;
    for (int i = d->nwidgets - 1; i >= 0; i--) {
        if (strcmp(d->widgets[i].id, id) == 0)
            return &d->widgets[i];
    }
    return NULL;
}

const ui_cmd *ui_draw_find_text(const ui_draw *d, const char *needle)
{
    if (!needle)
        return NULL;
    for (int i = 0; i < d->ncmds; i++) {
        if (d->cmds[i].kind == UI_CMD_TEXT && strstr(d->cmds[i].text, needle))
            return &d->cmds[i];
    }
    return NULL;
}

bool ui_draw_has_text(const ui_draw *d, const char *needle)
{
    return ui_draw_find_text(d, needle) != NULL;
}

/* ---- hashing: FNV-1a 64 over each field (never over padding) ---- */

#define FNV_OFFSET 0xcbf29ce484222325ull
#define FNV_PRIME 0x100000001b3ull

static uint64_t fnv(uint64_t h, const void *p, size_t n)
{
    const unsigned char *b = p;
    for (size_t i = 0; i < n; i++) {
        h ^= b[i];
        h *= FNV_PRIME;
    }
    return h;
}

static uint64_t fnv_int(uint64_t h, int64_t v)
{
    return fnv(h, &v, sizeof v);
}

static uint64_t fnv_rect(uint64_t h, ui_rect r)
{
    h = fnv_int(h, r.x);
    h = fnv_int(h, r.y);
    h = fnv_int(h, r.w);
    return fnv_int(h, r.h);
}

uint64_t ui_draw_hash(const ui_draw *d)
{
    uint64_t h = FNV_OFFSET;
    h = fnv_int(h, d->w);
    h = fnv_int(h, d->h);
    h = fnv_int(h, d->ncmds);
    for (int i = 0; i < d->ncmds; i++) {
        const ui_cmd *c = &d->cmds[i];
        h = fnv_int(h, c->kind);
        h = fnv_rect(h, c->r);
        h = fnv_int(h, c->color);
        if (c->kind == UI_CMD_TEXT) {
            h = fnv_int(h, c->size);
            h = fnv_int(h, c->bold);
            h = fnv_int(h, c->align);
            h = fnv(h, c->text, strlen(c->text) + 1);
        }
    }
    h = fnv_int(h, d->nwidgets);
    for (int i = 0; i < d->nwidgets; i++) {
        h = fnv(h, d->widgets[i].id, strlen(d->widgets[i].id) + 1);
        h = fnv_rect(h, d->widgets[i].r);
        h = fnv_int(h, d->widgets[i].enabled);
    }
    return fnv_int(h, d->overflow);
}
