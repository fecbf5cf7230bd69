/* wedge.h - telling a keyboard-wedge card reader from a person typing.
 *
 * A reader "types" a whole card number within a few milliseconds and ends
 * it with Enter; a person types slower.  Characters are held while they
 * arrive in a burst (gaps <= burst_ms); a burst of printable ASCII ended by
 * Enter with at least min_len characters is a card line.  Anything else is
 * released as ordinary typing once it is clear it is not a burst.  Pure: the
 * host passes timestamps, so tests can replay exact timings.
 *
 * Each call returns at most one thing to deliver, in `out` (n bytes, text
 * cut on a character boundary if n is too small; the host passes
 * ZC_INPUT_MAX + 1).  The host calls wedge_poll when wedge_wait_ms says so. */
#ifndef ZC_UI_WEDGE_H
#define ZC_UI_WEDGE_H

#include <stdbool.h>
#include <stdint.h>

#include "../core/card.h"

#define WEDGE_BURST_MS 30 /* default max gap between reader keystrokes */
#define WEDGE_MIN_LEN 6   /* default shortest card line */

typedef struct wedge {
    int burst_ms;               /* max gap between reader keystrokes */
    int min_len;                /* shortest card line, in characters */
    char buf[ZC_INPUT_MAX + 1]; /* held characters (a burst in progress) */
    int len;                    /* bytes held */
    int nchars;                 /* characters held */
    bool ascii;                 /* every held character is printable ASCII */
    int64_t first_ms, last_ms;  /* times of the first and last held keystroke */
    bool overflow;              /* the burst exceeded buf: later characters dropped */
} wedge;

typedef enum wedge_out {
    WEDGE_NONE = 0, /* nothing to deliver yet */
    WEDGE_CARD,     /* out holds a complete card line */
    WEDGE_TEXT,     /* out holds typed text for the focused field */
    WEDGE_ENTER,    /* an ordinary Enter key; out holds text typed before it
                       (often ""), to deliver first as WEDGE_TEXT would be */
    WEDGE_TOOLONG,  /* a burst longer than ZC_INPUT_MAX ended; out holds its
                       first ZC_INPUT_MAX bytes (the rest was dropped) */
} wedge_out;

/* burst_ms <= 0 or min_len <= 0 take the defaults above. */
void wedge_init(wedge *w, int burst_ms, int min_len);
/* A printable character (one UTF-8 sequence) typed at now_ms.  May release
 * earlier held text (WEDGE_TEXT in out, or WEDGE_TOOLONG) when the gap shows
 * the burst is over; the new character is then held.  Invalid UTF-8 and control characters are
 * ignored (WEDGE_NONE). */
wedge_out wedge_char(wedge *w, const char *utf8, int64_t now_ms, char *out, int n);
/* Enter pressed at now_ms: WEDGE_CARD for a burst, WEDGE_TOOLONG for an
 * over-long one, else WEDGE_ENTER with any held text in out. */
wedge_out wedge_enter(wedge *w, int64_t now_ms, char *out, int n);
/* Releases held characters once now_ms - last_ms > burst_ms (call on timer):
 * WEDGE_TEXT, or WEDGE_TOOLONG for an over-long burst without Enter. */
wedge_out wedge_poll(wedge *w, int64_t now_ms, char *out, int n);
/* Releases held characters now, whatever the time (before delivering another
 * key such as Backspace, so the order of input is kept): WEDGE_TEXT,
 * WEDGE_TOOLONG or WEDGE_NONE. */
wedge_out wedge_flush(wedge *w, char *out, int n);
/* Milliseconds until wedge_poll would release something, or -1. */
int wedge_wait_ms(const wedge *w, int64_t now_ms);

#endif
