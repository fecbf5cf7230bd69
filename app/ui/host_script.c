/* host_script.c - test scripts and the benchmark for the kiosk host.
 *
 * A script is one command per line ('#' starts a comment line):
 *   size WxH | tap WIDGET_ID | type TEXT | card LINE | key enter|escape|backspace
 *   wait MS | now YYYY-MM-DD HH:MM | expect TEXT | expect-not TEXT
 *   expect-screen NAME | shot PATH.bmp | dump
 *   expect-customer TEXT | customer-shot PATH.bmp   (the elder's window:
 *   needs --customer-window; expect-customer also works --headless)
 * Time is virtual: `type` spends 150 ms per character (a person), `card` 3 ms
 * (a reader), `wait` what it says, and timers fire when the virtual clock
 * reaches them, so a run is deterministic and takes milliseconds.  Keys go
 * through the same wedge detector as on the real till.
 *
 * The benchmark drives the real clock and renderer: cards typed through the
 * wedge path, timed from the burst's Enter to SDL_RenderPresent returning. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#include "../core/clock.h"
#include "host_int.h"

#define SCRIPT_LINE_MAX 1024
#define VISIBLE_TEXTS 20

typedef struct script {
    host *h;
    int line;       /* current line number */
    int ncmds;      /* commands run */
    int nexpects;   /* expectations that held */
} script;

static int fail(const script *s, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static int fail(const script *s, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fprintf(stderr, "script:%d: ", s->line);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
    return 1;
}

/* The first texts on screen, quoted and joined, for failure messages. */
static void visible(const ui_draw *d, char *buf, size_t n)
{
    size_t o = 0;
    int shown = 0;
    buf[0] = '\0';
    for (int i = 0; i < d->ncmds && shown < VISIBLE_TEXTS; i++) {
        if (d->cmds[i].kind != UI_CMD_TEXT)
            continue;
        int k = snprintf(buf + o, n - o, "%s'%s'", shown ? ", " : "", d->cmds[i].text);
        if (k < 0 || (size_t)k >= n - o)
            break;
        o += (size_t)k;
        shown++;
    }
    if (!shown)
        snprintf(buf, n, "(no text)");
}

/* The ids of the widgets on screen, for failure messages. */
static void widget_ids(const ui_draw *d, char *buf, size_t n)
{
    size_t o = 0;
    buf[0] = '\0';
    for (int i = 0; i < d->nwidgets; i++) {
        int k = snprintf(buf + o, n - o, "%s%s%s", i ? " " : "", d->widgets[i].id,
                         d->widgets[i].enabled ? "" : "(off)");
        if (k < 0 || (size_t)k >= n - o)
            break;
        o += (size_t)k;
    }
    if (!d->nwidgets)
        snprintf(buf, n, "(none)");
}

static int min_wait(int a, int b)
{
    if (a < 0)
        return b;
    if (b < 0)
        return a;
    return a < b ? a : b;
}

/* Moves the virtual clock forward by ms, stopping wherever the wedge or a
 * kiosk timer is due on the way, as the real loop would wake. */
static void advance(host *h, int64_t ms)
{
    int64_t end = h->vnow_ms + ms;
    for (;;) {
        int t = min_wait(kiosk_wait_ms(h->k, h->vnow_ms), wedge_wait_ms(&h->wg, h->vnow_ms));
        if (t == 0 && h->last_tick_ms == h->vnow_ms)
            t = 5; /* a timer the tick did not clear: do not spin */
        if (t < 0 || h->vnow_ms + t > end)
            break;
        h->vnow_ms += t;
        host_wedge_pump(h, h->vnow_ms);
        if (kiosk_wait_ms(h->k, h->vnow_ms) == 0)
            host_deliver(h, KEV_TICK, NULL, 0);
    }
    h->vnow_ms = end;
    host_wedge_pump(h, end);
}

/* Types s one character at a time with gap ms between keystrokes. */
static void type_chars(host *h, const char *s, int gap)
{
    char ch[5];
    while (*s) {
        int n = ui_utf8_len(s);
        if (n <= 0) {
            s++;
            continue;
        }
        snprintf(ch, sizeof ch, "%.*s", n, s);
        host_text(h, ch);
        advance(h, gap);
        s += n;
    }
}

/* Resizes the window (when there is one) and the layout to w x h. */
static void resize(host *h, int w, int hh)
{
    h->w = w;
    h->h = hh;
    h->force = true;
    if (!h->r)
        return;
    SDL_SetWindowSize(sdlr_window(h->r), w, hh);
    int64_t until = host_us() + 1000000; /* the window manager answers asynchronously */
    for (int cw = 0, ch = 0; host_us() < until;) {
        SDL_PumpEvents();
        sdlr_size(h->r, &cw, &ch);
        if (cw == w && ch == hh)
            break;
        SDL_Delay(5);
    }
    SDL_FlushEvent(SDL_WINDOWEVENT);
}

static int cmd_tap(script *s, const char *id)
{
    host *h = s->h;
    char ids[2048];
    const ui_widget *w = ui_widget_find(h->cur, id);
    if (!w) {
        widget_ids(h->cur, ids, sizeof ids);
        return fail(s, "no widget '%s' on screen '%s'; widgets: %s", id, kiosk_screen_name(h->k),
                    ids);
    }
    if (!w->enabled)
        return fail(s, "widget '%s' is disabled on screen '%s'", id, kiosk_screen_name(h->k));
    int cx = w->r.x + w->r.w / 2, cy = w->r.y + w->r.h / 2;
    const ui_widget *top = ui_hit(h->cur, cx, cy);
    if (top != w)
        return fail(s, "widget '%s' is covered by '%s' at (%d,%d) on screen '%s'", id,
                    top ? top->id : "a disabled widget", cx, cy, kiosk_screen_name(h->k));
    host_deliver(h, KEV_TAP, id, 0);
    return 0;
}

static int cmd_expect(script *s, const char *cmd, const char *arg)
{
    host *h = s->h;
    char vis[4096];
    const char *screen = kiosk_screen_name(h->k);
    if (strcmp(cmd, "expect-screen") == 0) {
        if (strcmp(screen, arg) != 0) {
            visible(h->cur, vis, sizeof vis);
            return fail(s, "expected screen '%s', on screen '%s'; visible: %s", arg, screen, vis);
        }
    } else if (strcmp(cmd, "expect") == 0) {
        if (!ui_draw_has_text(h->cur, arg)) {
            visible(h->cur, vis, sizeof vis);
            return fail(s, "expected '%s' on screen '%s'; visible: %s", arg, screen, vis);
        }
    } else { /* expect-not */
        const ui_cmd *c = ui_draw_find_text(h->cur, arg);
        if (c)
            return fail(s, "did not expect '%s' on screen '%s', but it is in '%s' at (%d,%d)", arg,
                        screen, c->text, c->r.x, c->r.y);
    }
    s->nexpects++;
    return 0;
}

/* Runs one command line (already trimmed, not a comment).  0 or 1. */
static int run_line(script *s, char *line)
{
    host *h = s->h;
    char *arg = strchr(line, ' ');
    if (arg) {
        *arg++ = '\0';
        while (*arg == ' ' || *arg == '\t')
            arg++;
    } else {
        arg = line + strlen(line);
    }
    const char *cmd = line;
    bool needs_arg = strcmp(cmd, "dump") != 0;
    if (needs_arg && !*arg)
        return fail(s, "'%s' needs an argument", cmd);
    host_redraw(h); /* what the command sees is what is on screen now */

    if (strcmp(cmd, "size") == 0) {
        int w = 0, hh = 0;
        char *x = strchr(arg, 'x'), *end;
        long lw = strtol(arg, &end, 10);
        if (!x || end != x)
            return fail(s, "size wants WxH such as 1280x800, not '%s'", arg);
        long lh = strtol(x + 1, &end, 10);
        if (*end || lw < 200 || lw > 8192 || lh < 200 || lh > 8192)
            return fail(s, "size wants WxH such as 1280x800 (200..8192), not '%s'", arg);
        w = (int)lw;
        hh = (int)lh;
        resize(h, w, hh);
    } else if (strcmp(cmd, "tap") == 0) {
        if (cmd_tap(s, arg))
            return 1;
    } else if (strcmp(cmd, "type") == 0) {
        type_chars(h, arg, HOST_TYPE_GAP_MS);
    } else if (strcmp(cmd, "card") == 0) {
        type_chars(h, arg, HOST_CARD_GAP_MS);
        host_key(h, KKEY_ENTER);
    } else if (strcmp(cmd, "key") == 0) {
        int key = strcmp(arg, "enter") == 0       ? KKEY_ENTER
                  : strcmp(arg, "escape") == 0    ? KKEY_ESCAPE
                  : strcmp(arg, "backspace") == 0 ? KKEY_BACKSPACE
                                                  : 0;
        if (!key)
            return fail(s, "key is enter, escape or backspace, not '%s'", arg);
        host_key(h, key);
    } else if (strcmp(cmd, "wait") == 0) {
        char *end;
        long ms = strtol(arg, &end, 10);
        if (*end || ms < 0 || ms > 86400000L)
            return fail(s, "wait wants milliseconds (0..86400000), not '%s'", arg);
        advance(h, ms);
        host_deliver(h, KEV_TICK, NULL, 0);
    } else if (strcmp(cmd, "now") == 0) {
        zc_datetime dt;
        if (zc_datetime_parse(arg, &dt) != ZC_OK)
            return fail(s, "now wants 'YYYY-MM-DD HH:MM', not '%s'", arg);
        h->epoch0 = zc_tz_epoch(dt);
        h->epoch0_ms = h->vnow_ms;
        host_deliver(h, KEV_TICK, NULL, 0);
    } else if (strcmp(cmd, "expect") == 0 || strcmp(cmd, "expect-not") == 0 ||
               strcmp(cmd, "expect-screen") == 0) {
        if (cmd_expect(s, cmd, arg))
            return 1;
    } else if (strcmp(cmd, "shot") == 0) {
        if (!h->r) {
            fprintf(stderr, "script:%d: shot %s skipped (headless)\n", s->line, arg);
        } else {
            zc_err err;
            if (sdlr_screenshot_bmp(h->r, arg, &err) != ZC_OK)
                return fail(s, "%s", err.msg);
        }
    } else if (strcmp(cmd, "expect-customer") == 0) {
        char vis[4096];
        if (!h->cust.on)
            return fail(s, "expect-customer needs the customer window (--customer-window)");
        if (!ui_draw_has_text(h->cust.cur, arg)) {
            visible(h->cust.cur, vis, sizeof vis);
            return fail(s, "expected '%s' on the customer display; visible: %s", arg, vis);
        }
        s->nexpects++;
    } else if (strcmp(cmd, "customer-shot") == 0) {
        zc_err err;
        if (!h->cust.on)
            return fail(s, "customer-shot needs the customer window (--customer-window)");
        if (!h->cust.r)
            fprintf(stderr, "script:%d: customer-shot %s skipped (headless)\n", s->line, arg);
        else if (host_customer_shot(h, arg, &err) != ZC_OK)
            return fail(s, "%s", err.msg);
    } else if (strcmp(cmd, "dump") == 0) {
        kiosk_dump(h->k, stdout);
        fputc('\n', stdout);
        fflush(stdout);
    } else {
        return fail(s, "unknown command '%s' (size, tap, type, card, key, wait, now, expect, "
                       "expect-not, expect-screen, expect-customer, shot, customer-shot, dump)", cmd);
    }
    host_sounds_pump(h); /* no speaker in scripts: dropped */
    host_redraw(h);
    s->ncmds++;
    return 0;
}

int host_script_run(host *h, const char *path)
{
    int rc = 0;
    script s = {.h = h};
    char buf[SCRIPT_LINE_MAX + 2];
    FILE *f = strcmp(path, "-") == 0 ? stdin : fopen(path, "r");
    if (!f) {
        fprintf(stderr, "zhucan: cannot open script %s: %s\n", path, strerror(errno));
        return 1;
    }
    /* the virtual clock starts at the real wall time, 1 s after "boot" */
    h->virt = true;
    h->vnow_ms = h->offset_ms + (h->sdl_inited ? (int64_t)SDL_GetTicks64() : 0) + 1000;
    h->epoch0 = zc_now();
    h->epoch0_ms = h->vnow_ms;
    if (h->r && (h->w != h->win_w || h->h != h->win_h) && h->win_w > 0)
        resize(h, h->win_w, h->win_h);
    host_redraw(h);
    while (fgets(buf, sizeof buf, f)) {
        s.line++;
        size_t n = strlen(buf);
        if (n > SCRIPT_LINE_MAX && buf[n - 1] != '\n') {
            rc = fail(&s, "line longer than %d characters", SCRIPT_LINE_MAX);
            break;
        }
        while (n > 0 && (buf[n - 1] == '\n' || buf[n - 1] == '\r' || buf[n - 1] == ' ' ||
                         buf[n - 1] == '\t'))
            buf[--n] = '\0';
        char *line = buf;
        while (*line == ' ' || *line == '\t')
            line++;
        if (!*line || *line == '#')
            continue;
        rc = run_line(&s, line);
        if (rc)
            break;
    }
    if (!rc && ferror(f))
        rc = fail(&s, "cannot read the script: %s", strerror(errno));
    if (f != stdin)
        fclose(f);
    if (!rc)
        fprintf(stderr, "script: %d commands, %d expectations held\n", s.ncmds, s.nexpects);
    return rc;
}

/* ---- the benchmark ---- */

static int cmp_i64(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return (x > y) - (x < y);
}

/* Reads up to cap random active card UIDs from the database (a read-only
 * connection of its own) and renders them as this terminal's reader types
 * them.  Returns the number read, or -1 with a message printed. */
static int bench_cards(host *h, char (*lines)[ZC_INPUT_MAX + 1], int cap)
{
    store_t *st = NULL;
    uint64_t *uids = calloc(cap > 0 ? (size_t)cap : 1, sizeof *uids);
    zc_err err = {""};
    int n = 0, ret = uids ? store_open(h->db, STORE_READONLY, &st, &err)
                          : zc_errf(&err, ZC_ENOMEM, "out of memory");
    if (ret == ZC_OK)
        ret = store_card_sample(st, uids, cap, &n, &err);
    if (ret) {
        fprintf(stderr, "zhucan: bench: cannot read cards from %s: %s\n", h->db, err.msg);
        n = -1;
        goto out;
    }
    for (int i = 0; i < n; i++)
        zc_card_render(uids[i], till_card_format(h->till), lines[i], ZC_INPUT_MAX + 1);
out:
    store_close(st);
    free(uids);
    return n;
}

static long rss_kb(void)
{
    char line[256];
    long kb = -1;
    FILE *f = fopen("/proc/self/status", "r");
    if (!f)
        return -1;
    while (fgets(line, sizeof line, f)) {
        if (strncmp(line, "VmRSS:", 6) == 0) {
            char *end;
            kb = strtol(line + 6, &end, 10);
            if (end == line + 6)
                kb = -1;
            break;
        }
    }
    fclose(f);
    return kb;
}

static double cpu_s(void)
{
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    return (double)ru.ru_utime.tv_sec + ru.ru_utime.tv_usec / 1e6 + (double)ru.ru_stime.tv_sec +
           ru.ru_stime.tv_usec / 1e6;
}

int host_bench(host *h)
{
    int rc = 1, ncards = 0, changed = 0;
    char(*lines)[ZC_INPUT_MAX + 1] = calloc((size_t)h->bench_cards, sizeof *lines);
    int64_t *lat = calloc((size_t)h->bench_cards, sizeof *lat);
    if (!lines || !lat) {
        fprintf(stderr, "zhucan: bench: out of memory\n");
        goto out;
    }

    /* cold start: from entering kiosk_main to the first frame presented */
    host_redraw(h);
    printf("bench: cold start to first frame (screen '%s'): %.1f ms\n", kiosk_screen_name(h->k),
           (double)(host_us() - h->start_us) / 1000.0);
    fflush(stdout);

    if (h->script) { /* e.g. log in and open the shift */
        if (host_script_run(h, h->script) != 0)
            goto out;
        int64_t real = (int64_t)SDL_GetTicks64();
        h->offset_ms = h->vnow_ms > real ? h->vnow_ms - real : 0; /* the clock never steps back */
        h->virt = false;
    }
    if (strcmp(kiosk_screen_name(h->k), "sell") != 0)
        fprintf(stderr, "zhucan: bench: warning: cards go to screen '%s', not 'sell' "
                        "(pass --script with the login steps)\n", kiosk_screen_name(h->k));
    ncards = bench_cards(h, lines, h->bench_cards);
    if (ncards <= 0) {
        if (ncards == 0)
            fprintf(stderr, "zhucan: bench: no active cards in %s (zhucan init --demo makes some)\n",
                    h->db);
        goto out;
    }

    /* card bursts: keystrokes through the wedge, timed from Enter to present */
    for (int i = 0; i < ncards; i++) {
        SDL_Event ev;
        while (SDL_PollEvent(&ev))
            host_sdl_event(h, &ev);
        host_text(h, lines[i]);
        int64_t t0 = host_us();
        host_key(h, KKEY_ENTER);
        host_sounds_pump(h);
        changed += host_redraw(h);
        lat[i] = host_us() - t0;
    }
    qsort(lat, (size_t)ncards, sizeof *lat, cmp_i64);
    int i50 = ncards * 50 / 100, i99 = ncards * 99 / 100;
    if (i99 >= ncards)
        i99 = ncards - 1;
    sdlr_stats st;
    sdlr_get_stats(h->r, &st);
    printf("bench: card burst to elder frame presented: p50 %.2f ms, p99 %.2f ms, max %.2f ms "
           "(%d cards, %d new frames, software renderer %dx%d, text cache %ld hits / %ld misses)\n",
           (double)lat[i50] / 1000.0, (double)lat[i99] / 1000.0,
           (double)lat[ncards - 1] / 1000.0, ncards, changed, h->w, h->h, st.text_hits,
           st.text_misses);
    fflush(stdout);

    /* idle: the real loop with nothing happening */
    if (h->bench_idle_s > 0) {
        double c0 = cpu_s();
        int64_t w0 = host_us();
        host_loop(h, host_now(h) + (int64_t)h->bench_idle_s * 1000);
        double wall = (double)(host_us() - w0) / 1e6, cpu = cpu_s() - c0;
        printf("bench: idle CPU over %d s: %.3f %% of one core (%.1f ms of CPU)\n",
               h->bench_idle_s, wall > 0 ? 100.0 * cpu / wall : 0.0, cpu * 1000.0);
    }
    long kb = rss_kb();
    sdlr_get_stats(h->r, &st);
    printf("bench: resident memory (VmRSS): %.1f MB (%d fonts open, %ld opened, %d text textures of %.1f MB)\n",
           kb >= 0 ? (double)kb / 1024.0 : -1.0, st.fonts_open, st.font_opens, st.text_entries,
           (double)st.text_bytes / (1 << 20));
    fflush(stdout);
    rc = 0;
out:
    free(lines);
    free(lat);
    return rc;
}
