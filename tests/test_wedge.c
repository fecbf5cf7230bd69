/* test_wedge.c - the reader/person detector, driven by replayed timings.
 *
 * replay() plays a list of keystrokes at exact times the way the SDL host
 * does: before each keystroke it sleeps until wedge_wait_ms says something
 * is due and calls wedge_poll.  Every output is logged as "KIND:text", so a
 * case reads as a timeline in, a log out. */
#include "../app/ui/wedge.h"

#include <stdlib.h>
#include <string.h>

#include "check.h"

#define ENTER "\n" /* in a replay: the Enter key */

typedef struct key {
    int64_t at; /* ms */
    const char *ch; /* one UTF-8 character, or ENTER */
} key;

static char logbuf[8192];

static void logout(wedge_out r, const char *out)
{
    static const char *const names[] = {"NONE", "CARD", "TEXT", "ENTER", "TOOLONG"};
    if (r == WEDGE_NONE)
        return;
    size_t n = strlen(logbuf);
    snprintf(logbuf + n, sizeof logbuf - n, "%s%s:%s", n ? " " : "", names[r], out);
}

/* Plays keys (in time order) through w with the host's polling, then lets
 * time run until nothing is held.  poll=false: a host that never polls. */
static const char *replay(wedge *w, const key *keys, int nkeys, bool poll)
{
    char out[ZC_INPUT_MAX + 1];
    int64_t now = keys[0].at;
    logbuf[0] = '\0';
    for (int i = 0; i <= nkeys; i++) {
        int64_t next = i < nkeys ? keys[i].at : INT64_MAX;
        for (int wait; poll && (wait = wedge_wait_ms(w, now)) >= 0 && now + wait <= next;) {
            now += wait;
            logout(wedge_poll(w, now, out, sizeof out), out);
        }
        if (i == nkeys)
            break;
        now = next;
        if (strcmp(keys[i].ch, ENTER) == 0)
            logout(wedge_enter(w, now, out, sizeof out), out);
        else
            logout(wedge_char(w, keys[i].ch, now, out, sizeof out), out);
    }
    return logbuf;
}

/* Builds a timeline typing s from t0 with gaps from lo to hi ms (a fixed
 * pseudo-random sequence), then Enter after one more gap if enter. */
static int typed(key *keys, int cap, const char *s, int64_t t0, int lo, int hi, bool enter)
{
    static char chars[4096][5];
    static int used;
    int n = 0;
    uint32_t rnd = 12345;
    int64_t t = t0;
    for (const char *p = s; *p && n < cap;) {
        int l = 1;
        while ((p[l] & 0xC0) == 0x80)
            l++;
        char *c = chars[used++ % 4096];
        snprintf(c, 5, "%.*s", l, p);
        keys[n++] = (key){t, c};
        p += l;
        rnd = rnd * 1103515245u + 12345u;
        t += lo + (int)((rnd >> 16) % (uint32_t)(hi - lo + 1));
    }
    if (enter && n < cap)
        keys[n++] = (key){t, ENTER};
    return n;
}

static void t_reader_card(void)
{
    wedge w;
    wedge_init(&w, 0, 0);
    CHECK_INT(w.burst_ms, WEDGE_BURST_MS);
    CHECK_INT(w.min_len, WEDGE_MIN_LEN);
    key k[32];
    int n = typed(k, 32, "0455884110", 1000, 2, 8, true);
    CHECK_STR(replay(&w, k, n, true), "CARD:0455884110");
    /* the other formats of the same chip */
    static const char *const lines[] = {"0A1B2C3D4E", "02899278", "044,15694",
                                        "11010519491231002X"};
    for (size_t i = 0; i < sizeof lines / sizeof lines[0]; i++) {
        n = typed(k, 32, lines[i], 5000 + 1000 * (int64_t)i, 2, 8, true);
        char want[64];
        snprintf(want, sizeof want, "CARD:%s", lines[i]);
        CHECK_STR(replay(&w, k, n, true), want);
    }
    /* all keystrokes in the same millisecond (the host read a queue at once) */
    n = typed(k, 32, "0455884110", 9000, 0, 0, true);
    CHECK_STR(replay(&w, k, n, true), "CARD:0455884110");
}

static void t_person_typing(void)
{
    wedge w;
    wedge_init(&w, 30, 6);
    key k[32];
    int n = typed(k, 32, "0455884110", 1000, 120, 120, true);
    CHECK_STR(replay(&w, k, n, true),
              "TEXT:0 TEXT:4 TEXT:5 TEXT:5 TEXT:8 TEXT:8 TEXT:4 TEXT:1 TEXT:1 TEXT:0 ENTER:");
    /* a host that never polls: each key releases the one before, and the
     * Enter carries the last character */
    CHECK_STR(replay(&w, k, n, false),
              "TEXT:0 TEXT:4 TEXT:5 TEXT:5 TEXT:8 TEXT:8 TEXT:4 TEXT:1 TEXT:1 ENTER:0");
    /* a fast typist (60 ms) is still a person */
    n = typed(k, 32, "123456", 1000, 60, 90, true);
    CHECK_STR(replay(&w, k, n, true), "TEXT:1 TEXT:2 TEXT:3 TEXT:4 TEXT:5 TEXT:6 ENTER:");
    /* Enter alone */
    k[0] = (key){50, ENTER};
    CHECK_STR(replay(&w, k, 1, true), "ENTER:");
}

static void t_burst_without_enter(void)
{
    wedge w;
    wedge_init(&w, 30, 6);
    key k[32];
    int n = typed(k, 32, "0455884110", 1000, 3, 3, false);
    CHECK_STR(replay(&w, k, n, true), "TEXT:0455884110");
    /* released exactly when the gap exceeds burst_ms, not before */
    char out[ZC_INPUT_MAX + 1];
    for (int i = 0; i < n; i++)
        CHECK_INT(wedge_char(&w, k[i].ch, k[i].at, out, sizeof out), WEDGE_NONE);
    int64_t last = k[n - 1].at;
    CHECK_INT(wedge_wait_ms(&w, last), 31);
    CHECK_INT(wedge_wait_ms(&w, last + 10), 21);
    CHECK_INT(wedge_poll(&w, last + 30, out, sizeof out), WEDGE_NONE);
    CHECK_INT(wedge_wait_ms(&w, last + 30), 1);
    CHECK_INT(wedge_poll(&w, last + 31, out, sizeof out), WEDGE_TEXT);
    CHECK_STR(out, "0455884110");
    CHECK_INT(wedge_wait_ms(&w, last + 31), -1);
    CHECK_INT(wedge_wait_ms(&w, last + 5000), -1);
    CHECK_INT(wedge_wait_ms(&w, last + 100), -1);
    /* a reader whose Enter lags behind its digits: text, then an Enter */
    n = typed(k, 32, "0455884110", 20000, 3, 3, false);
    k[n] = (key){k[n - 1].at + 80, ENTER};
    CHECK_STR(replay(&w, k, n + 1, true), "TEXT:0455884110 ENTER:");
}

static void t_mixed(void)
{
    wedge w;
    wedge_init(&w, 30, 6);
    key k[64];
    /* a cashier types 1 2 slowly, then an elder taps a card */
    int n = typed(k, 64, "12", 1000, 150, 150, false);
    n += typed(k + n, 64 - n, "0A1B2C3D4E", 1500, 2, 8, true);
    CHECK_STR(replay(&w, k, n, true), "TEXT:1 TEXT:2 CARD:0A1B2C3D4E");
    /* the same without polling: the burst's first key releases the "2" */
    CHECK_STR(replay(&w, k, n, false), "TEXT:1 TEXT:2 CARD:0A1B2C3D4E");
    /* a card, then the cashier types a quantity and Enter */
    n = typed(k, 64, "0A1B2C3D4E", 3000, 2, 8, true);
    n += typed(k + n, 64 - n, "3", 4000, 150, 150, true);
    CHECK_STR(replay(&w, k, n, true), "CARD:0A1B2C3D4E TEXT:3 ENTER:");
    /* a key pressed 10 ms before the burst cannot be told apart: it joins
     * the line (the till then refuses the malformed card and says so) */
    n = typed(k, 64, "x", 6000, 0, 0, false);
    n += typed(k + n, 64 - n, "0A1B2C3D4E", 6010, 2, 8, true);
    CHECK_STR(replay(&w, k, n, true), "CARD:x0A1B2C3D4E");
}

static void t_short_and_wide(void)
{
    wedge w;
    wedge_init(&w, 30, 6);
    key k[32];
    /* a short fast burst + Enter is typing, not a card */
    int n = typed(k, 32, "12", 1000, 5, 5, true);
    CHECK_STR(replay(&w, k, n, true), "ENTER:12");
    /* exactly min_len is a card */
    n = typed(k, 32, "123456", 2000, 5, 5, true);
    CHECK_STR(replay(&w, k, n, true), "CARD:123456");
    /* an input method committing Chinese at once, Enter right after */
    n = typed(k, 32, "张三丰李四王五", 3000, 0, 0, true);
    CHECK_STR(replay(&w, k, n, true), "ENTER:张三丰李四王五");
    n = typed(k, 32, "张三丰李四王五", 4000, 0, 0, false);
    CHECK_STR(replay(&w, k, n, true), "TEXT:张三丰李四王五");
}

static void t_overlong(void)
{
    wedge w;
    wedge_init(&w, 30, 6);
    static key k[400];
    char line[301];
    for (int i = 0; i < 300; i++)
        line[i] = (char)('A' + i % 26);
    line[300] = '\0';
    int n = typed(k, 400, line, 1000, 2, 4, true);
    const char *got = replay(&w, k, n, true);
    char want[400];
    snprintf(want, sizeof want, "TOOLONG:%.*s", ZC_INPUT_MAX, line);
    CHECK_STR(got, want);
    /* and the next card is fine */
    n = typed(k, 400, "0455884110", 5000, 2, 8, true);
    CHECK_STR(replay(&w, k, n, true), "CARD:0455884110");
    /* an over-long burst without Enter: released as too long */
    n = typed(k, 400, line, 8000, 2, 4, false);
    CHECK_STR(replay(&w, k, n, true), want);
    /* without polling, the next keystroke releases it */
    n = typed(k, 400, line, 12000, 2, 4, false);
    k[n] = (key){k[n - 1].at + 500, "7"};
    n++;
    char want2[420];
    snprintf(want2, sizeof want2, "%s TEXT:7", want);
    CHECK_STR(replay(&w, k, n, true), want2);
    /* exactly ZC_INPUT_MAX characters still fit */
    line[ZC_INPUT_MAX] = '\0';
    n = typed(k, 400, line, 20000, 2, 4, true);
    snprintf(want, sizeof want, "CARD:%s", line);
    CHECK_STR(replay(&w, k, n, true), want);
}

static void t_qr_token(void)
{
    wedge w;
    wedge_init(&w, 30, 6);
    static key k[200];
    /* a token of the shape zc_qr_issue makes: "ZCQ1." + base64url */
    char tok[160];
    int len = snprintf(tok, sizeof tok, "%s", ZC_QR_PREFIX);
    static const char b64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    for (int i = 0; i < 135; i++)
        tok[len++] = b64[(i * 37 + 11) % 64];
    tok[len] = '\0';
    CHECK_INT((int)strlen(tok), 140);
    int n = typed(k, 200, tok, 1000, 1, 6, true);
    char want[200];
    snprintf(want, sizeof want, "CARD:%s", tok);
    CHECK_STR(replay(&w, k, n, true), want);
}

static void t_ignored_and_flush(void)
{
    wedge w;
    wedge_init(&w, 30, 6);
    char out[ZC_INPUT_MAX + 1] = "untouched";
    static const char *const bad[] = {"", "\t", "\x7F", "\x1B", "ab", "\xFF", "\xE5\xBC",
                                      "\xC2\x85"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        CHECK_INT(wedge_char(&w, bad[i], 100, out, sizeof out), WEDGE_NONE);
    CHECK_INT(w.len, 0);
    CHECK_INT(wedge_wait_ms(&w, 100), -1);
    CHECK_INT(wedge_flush(&w, out, sizeof out), WEDGE_NONE);
    /* Backspace in the middle of held typing: flush first, order kept */
    CHECK_INT(wedge_char(&w, "5", 200, out, sizeof out), WEDGE_NONE);
    CHECK_INT(wedge_flush(&w, out, sizeof out), WEDGE_TEXT);
    CHECK_STR(out, "5");
    CHECK_INT(w.len, 0);
    /* a small out buffer cuts on a character boundary */
    CHECK_INT(wedge_char(&w, "张", 300, out, sizeof out), WEDGE_NONE);
    CHECK_INT(wedge_char(&w, "三", 301, out, sizeof out), WEDGE_NONE);
    char small[5];
    CHECK_INT(wedge_flush(&w, small, sizeof small), WEDGE_TEXT);
    CHECK_STR(small, "张");
    /* a clock that steps back is not a pause */
    CHECK_INT(wedge_char(&w, "1", 1000, out, sizeof out), WEDGE_NONE);
    CHECK_INT(wedge_char(&w, "2", 900, out, sizeof out), WEDGE_NONE);
    CHECK_INT(wedge_wait_ms(&w, 900), 31);
    CHECK_INT(wedge_flush(&w, out, sizeof out), WEDGE_TEXT);
    CHECK_STR(out, "12");
}

static const check_case cases[] = {
    {"reader_card", t_reader_card},
    {"person_typing", t_person_typing},
    {"burst_without_enter", t_burst_without_enter},
    {"mixed", t_mixed},
    {"short_and_wide", t_short_and_wide},
    {"overlong", t_overlong},
    {"qr_token", t_qr_token},
    {"ignored_and_flush", t_ignored_and_flush},
    {0},
};

int main(int argc, char **argv)
{
    return check_main("test_wedge", cases, argc, argv);
}
