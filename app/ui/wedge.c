/* wedge.c - the keyboard-wedge burst detector (see wedge.h).
 *
 * The buffer only ever holds one burst: a gap longer than burst_ms before a
 * character releases what was held (a person typed it) and starts a new
 * burst with that character.  So at Enter, "held text, last key within
 * burst_ms, at least min_len printable ASCII characters" is exactly "a reader
 * typed this line".  Card numbers, ID numbers and QR tokens are all ASCII;
 * an input method committing Chinese in one go is not a card. */
#include "wedge.h"

#include <string.h>

#include "draw.h" /* ui_utf8_len */

void wedge_init(wedge *w, int burst_ms, int min_len)
{
    memset(w, 0, sizeof *w);
    w->burst_ms = burst_ms > 0 ? burst_ms : WEDGE_BURST_MS;
    w->min_len = min_len > 0 ? min_len : WEDGE_MIN_LEN;
    w->ascii = true;
}

static void reset(wedge *w)
{
    w->len = 0;
    w->nchars = 0;
    w->buf[0] = '\0';
    w->ascii = true;
    w->overflow = false;
}

/* Copies the held text into out (cut on a character boundary to fit n) and
 * empties the buffer; returns kind, or WEDGE_TOOLONG for an overflowed burst. */
static wedge_out release(wedge *w, wedge_out kind, char *out, int n)
{
    if (w->overflow && kind != WEDGE_ENTER)
        kind = WEDGE_TOOLONG;
    if (out && n > 0) {
        int k = 0;
        while (k < w->len) {
            int l = ui_utf8_len(w->buf + k);
            if (l <= 0 || k + l > n - 1)
                break;
            k += l;
        }
        memcpy(out, w->buf, (size_t)k);
        out[k] = '\0';
    }
    reset(w);
    return kind;
}

static int64_t gap(const wedge *w, int64_t now_ms)
{
    int64_t g = now_ms - w->last_ms;
    return g < 0 ? 0 : g; /* a clock that steps back is not a pause */
}

wedge_out wedge_char(wedge *w, const char *utf8, int64_t now_ms, char *out, int n)
{
    int l = ui_utf8_len(utf8);
    if (l <= 0 || utf8[l] != '\0')
        return WEDGE_NONE; /* not exactly one valid sequence */
    unsigned char c0 = (unsigned char)utf8[0], c1 = (unsigned char)utf8[1];
    if (c0 < 0x20 || c0 == 0x7F || (c0 == 0xC2 && c1 < 0xA0))
        return WEDGE_NONE; /* C0, DEL, C1 controls */

    wedge_out res = WEDGE_NONE;
    if (w->len > 0 && gap(w, now_ms) > w->burst_ms)
        res = release(w, WEDGE_TEXT, out, n);
    if (w->len == 0 && !w->overflow)
        w->first_ms = now_ms;
    w->last_ms = now_ms;
    if (w->overflow || w->len + l > ZC_INPUT_MAX) {
        w->overflow = true; /* keep timing the burst, drop its characters */
        return res;
    }
    memcpy(w->buf + w->len, utf8, (size_t)l + 1);
    w->len += l;
    w->nchars++;
    if (l > 1)
        w->ascii = false; /* readers type ASCII only */
    return res;
}

wedge_out wedge_enter(wedge *w, int64_t now_ms, char *out, int n)
{
    bool burst = (w->len > 0 || w->overflow) && gap(w, now_ms) <= w->burst_ms;
    if (burst && w->overflow)
        return release(w, WEDGE_TOOLONG, out, n);
    if (burst && w->ascii && w->nchars >= w->min_len)
        return release(w, WEDGE_CARD, out, n);
    if (w->overflow) /* an over-long burst that ended long ago: drop, then Enter */
        reset(w);
    return release(w, WEDGE_ENTER, out, n);
}

wedge_out wedge_poll(wedge *w, int64_t now_ms, char *out, int n)
{
    if ((w->len == 0 && !w->overflow) || gap(w, now_ms) <= w->burst_ms)
        return WEDGE_NONE;
    return release(w, WEDGE_TEXT, out, n);
}

wedge_out wedge_flush(wedge *w, char *out, int n)
{
    if (w->len == 0 && !w->overflow)
        return WEDGE_NONE;
    return release(w, WEDGE_TEXT, out, n);
}

int wedge_wait_ms(const wedge *w, int64_t now_ms)
{
    if (w->len == 0 && !w->overflow)
        return -1;
    int64_t left = w->last_ms + w->burst_ms + 1 - now_ms;
    if (left < 0)
        return 0;
    return left > w->burst_ms + 1 ? w->burst_ms + 1 : (int)left;
}
