/* sdl_main.c - `zhucan kiosk`: the SDL host of the kiosk state machine.
 *
 * The loop sleeps in SDL_WaitEventTimeout until something can happen: an
 * input event, the kiosk's next timer (kiosk_wait_ms), the wedge detector
 * releasing held keystrokes (wedge_wait_ms), or the next look at the reader
 * device.  After a wake that delivered anything to the kiosk it asks for a
 * fresh draw list and puts it on glass only when its hash changed, so an
 * idle till costs next to no CPU.  Keystrokes go through the wedge detector, which tells a card reader
 * (a burst ending in Enter) from a person typing.
 *
 * Scripts and the benchmark (host_script.c) drive the same functions with a
 * virtual clock, so what they check is what the loop does.  The speaker is
 * sdl_audio.c; the elder's window on a second display is sdl_customer.c. */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#include "../core/clock.h"
#include "../store/backup.h"
#include "host.h"
#include "host_int.h"
#include "speech.h"

static const char usage[] =
    "usage: zhucan kiosk --db DB [--windowed WxH | --full-screen] [--lang zh_CN|en] [--software]\n"
    "                    [--reader PATH] [--script FILE [--headless]]\n"
    "                    [--customer-window [--customer-size WxH]]\n"
    "                    [--bench [--bench-cards N] [--bench-idle SECONDS]]\n"
    "\n"
    "Runs the till's touch screen (full-screen unless --windowed).\n"
    "  --db DB          the terminal database (zhucan init)\n"
    "  --windowed WxH   a window of W x H pixels instead of full screen\n"
    "  --full-screen    full screen even with --script (scripts default to 1920x1080)\n"
    "  --lang L         screen and voice language: zh_CN (default) or en\n"
    "  --software       use SDL's software renderer (no GPU, Xvfb, benchmarks)\n"
    "  --reader PATH    a FIFO or serial device that delivers card lines\n"
    "  --script FILE    run a test script (\"-\": stdin), exit 0 when every expect held\n"
    "  --headless       with --script: no display at all, estimated text widths\n"
    "  --customer-window  the elder's screen in a second window even for scripts or\n"
    "                   with one display (it opens by itself on a second display)\n"
    "  --customer-size WxH  that window as a plain W x H window, not full-screen\n"
    "  --bench          measure card-to-frame latency, start-up, idle CPU, memory\n"
    "                   (run --script first to log in; cards come from the database)\n"
    "Keys: Ctrl+Q quits.  Sounds: $ZHUCAN_SOUNDS, build/assets/sounds or\n"
    "<exe dir>/../share/zhucan/sounds; fonts: $ZHUCAN_FONT or fonts-noto-cjk.\n";

#define NO_DISPLAY_HINT "set DISPLAY (e.g. run under Xvfb: xvfb-run zhucan kiosk ...)"

static void auto_backup(host *h, bool idle);

/* The host whose clock the kiosk reads (one per process). */
static host *clock_host;

/* ---- clocks ---- */

int64_t host_us(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

int64_t host_now(const host *h)
{
    if (h->virt)
        return h->vnow_ms;
    return (int64_t)SDL_GetTicks64() + h->offset_ms;
}

/* The kiosk's wall clock: real time, or in scripts the virtual clock from
 * the moment `now` set (or the real time the script started). */
static int64_t host_epoch(void)
{
    const host *h = clock_host;
    if (h && h->virt)
        return h->epoch0 + (h->vnow_ms - h->epoch0_ms) / 1000;
    return zc_now();
}

/* ---- events into the kiosk ---- */

/* The sync worker, when this terminal has a centre: its own thread and
 * connection; the screen never waits for it. */
static void start_sync(host *h, till_t *t)
{
    char url[256];
    if (store_meta_get(till_store(t), "server_url", url, sizeof url) != ZC_OK || !url[0])
        return;
    zc_err serr = {{0}};
    h->sync = sync_start(h->db, &serr);
    if (!h->sync)
        fprintf(stderr, "zhucan: warning: selling offline, sync did not start: %s\n", serr.msg);
}

void host_deliver(host *h, kiosk_ev_kind kind, const char *s, int key)
{
    kiosk_ev ev;
    memset(&ev, 0, sizeof ev);
    ev.kind = kind;
    ev.now_ms = host_now(h);
    ev.key = key;
    if (kind == KEV_TAP)
        snprintf(ev.id, sizeof ev.id, "%s", s ? s : "");
    else if (s)
        snprintf(ev.text, sizeof ev.text, "%s", s);
    if (h->trace && kind != KEV_TICK) {
        static const char *const kinds[] = {"tap", "key", "text", "card", "tick"};
        static const char *const keys[] = {"?", "enter", "escape", "backspace"};
        fprintf(stderr, "zhucan: trace %lld %s %s\n", (long long)ev.now_ms, kinds[kind],
                kind == KEV_TAP  ? ev.id
                : kind == KEV_KEY ? keys[key >= KKEY_ENTER && key <= KKEY_BACKSPACE ? key : 0]
                                  : ev.text);
    }
    kiosk_handle(h->k, &ev);
    h->dirty = true;
    if (kind == KEV_TICK)
        h->last_tick_ms = ev.now_ms;
    /* a restore on the recovery screen: the sync takes back later sales */
    till_t *restored = !h->sync && !h->bench && !h->sync_tried ? kiosk_restored_till(h->k) : NULL;
    if (restored) {
        h->sync_tried = true;
        start_sync(h, restored);
        if (h->sync)
            kiosk_set_sync(h->k, h->sync);
    }
}

void host_wedge_result(host *h, wedge_out res, const char *out)
{
    switch (res) {
    case WEDGE_NONE:
        break;
    case WEDGE_CARD:
        host_deliver(h, KEV_CARD, out, 0);
        break;
    case WEDGE_TEXT:
        if (out[0])
            host_deliver(h, KEV_TEXT, out, 0);
        break;
    case WEDGE_ENTER:
        if (out[0])
            host_deliver(h, KEV_TEXT, out, 0);
        host_deliver(h, KEV_KEY, NULL, KKEY_ENTER);
        break;
    case WEDGE_TOOLONG:
        /* the till refuses it in words the cashier understands */
        fprintf(stderr, "zhucan: warning: card reader sent more than %d characters; "
                        "passing on the first ones\n", ZC_INPUT_MAX);
        host_deliver(h, KEV_CARD, out, 0);
        break;
    }
}

void host_wedge_pump(host *h, int64_t now)
{
    char out[ZC_INPUT_MAX + 1];
    if (wedge_wait_ms(&h->wg, now) == 0)
        host_wedge_result(h, wedge_poll(&h->wg, now, out, sizeof out), out);
}

void host_key(host *h, int key)
{
    char out[ZC_INPUT_MAX + 1];
    if (key == KKEY_ENTER) {
        host_wedge_result(h, wedge_enter(&h->wg, host_now(h), out, sizeof out), out);
        return;
    }
    host_wedge_result(h, wedge_flush(&h->wg, out, sizeof out), out);
    host_deliver(h, KEV_KEY, NULL, key);
}

void host_text(host *h, const char *s)
{
    char out[ZC_INPUT_MAX + 1], ch[5];
    while (*s) {
        int n = ui_utf8_len(s);
        if (n <= 0) {
            s++;
            continue;
        }
        snprintf(ch, sizeof ch, "%.*s", n, s);
        host_wedge_result(h, wedge_char(&h->wg, ch, host_now(h), out, sizeof out), out);
        s += n;
    }
}

/* A press or release at layout coordinates: a tap is a release on the
 * widget the press started on (sliding off cancels, as on phones). */
static void pointer(host *h, bool down, int x, int y)
{
    const ui_widget *w = h->have_frame ? ui_hit(h->cur, x, y) : NULL;
    if (down) {
        snprintf(h->press_id, sizeof h->press_id, "%s", w ? w->id : "");
        return;
    }
    if (w && h->press_id[0] && strcmp(w->id, h->press_id) == 0)
        host_deliver(h, KEV_TAP, w->id, 0);
    h->press_id[0] = '\0';
}

/* Window coordinates -> layout pixels (they differ on high-DPI screens). */
static void to_layout(host *h, int wx, int wy, int *x, int *y)
{
    int ww = 0, wh = 0;
    SDL_GetWindowSize(sdlr_window(h->r), &ww, &wh);
    *x = ww > 0 ? (int)((int64_t)wx * h->w / ww) : wx;
    *y = wh > 0 ? (int)((int64_t)wy * h->h / wh) : wy;
}

void host_sdl_event(host *h, const SDL_Event *ev)
{
    int x, y;
    if (host_customer_event(h, ev))
        return; /* the elder's window: nothing there is touchable */
    switch (ev->type) {
    case SDL_QUIT:
        h->quit = true;
        break;
    case SDL_KEYDOWN: {
        SDL_Keycode sym = ev->key.keysym.sym;
        if (sym == SDLK_q && (ev->key.keysym.mod & KMOD_CTRL))
            h->quit = true;
        else if ((sym == SDLK_RETURN || sym == SDLK_KP_ENTER) && !ev->key.repeat)
            host_key(h, KKEY_ENTER);
        else if (sym == SDLK_ESCAPE && !ev->key.repeat)
            host_key(h, KKEY_ESCAPE);
        else if (sym == SDLK_BACKSPACE)
            host_key(h, KKEY_BACKSPACE);
        break;
    }
    case SDL_TEXTINPUT:
        host_text(h, ev->text.text);
        break;
    case SDL_MOUSEBUTTONDOWN:
    case SDL_MOUSEBUTTONUP:
        if (ev->button.which == SDL_TOUCH_MOUSEID || ev->button.button != SDL_BUTTON_LEFT)
            break; /* touches arrive as finger events; SDL's mouse copy would tap twice */
        to_layout(h, ev->button.x, ev->button.y, &x, &y);
        pointer(h, ev->type == SDL_MOUSEBUTTONDOWN, x, y);
        break;
    case SDL_FINGERDOWN:
        if (h->finger_down)
            break; /* one finger at a time */
        h->finger_down = true;
        h->finger = ev->tfinger.fingerId;
        pointer(h, true, (int)(ev->tfinger.x * (float)h->w), (int)(ev->tfinger.y * (float)h->h));
        break;
    case SDL_FINGERUP:
        if (!h->finger_down || ev->tfinger.fingerId != h->finger)
            break;
        h->finger_down = false;
        pointer(h, false, (int)(ev->tfinger.x * (float)h->w), (int)(ev->tfinger.y * (float)h->h));
        break;
    case SDL_WINDOWEVENT:
        if (ev->window.event == SDL_WINDOWEVENT_SIZE_CHANGED) {
            sdlr_size(h->r, &h->w, &h->h);
            h->force = true;
        } else if (ev->window.event == SDL_WINDOWEVENT_EXPOSED) {
            h->force = true;
        }
        break;
    default:
        break;
    }
}

/* ---- drawing ---- */

bool host_redraw(host *h)
{
    h->dirty = false;
    host_customer_redraw(h); /* its own hash: it may change when this screen does not */
    kiosk_draw(h->k, h->next, h->w, h->h);
    uint64_t hv = ui_draw_hash(h->next);
    if (h->have_frame && hv == h->cur_hash && !h->force)
        return false;
    ui_draw *t = h->cur;
    h->cur = h->next;
    h->next = t;
    h->cur_hash = hv;
    h->have_frame = true;
    h->force = false;
    if (h->cur->overflow && !h->warned_overflow) {
        fprintf(stderr, "zhucan: warning: screen '%s' has more than %d draw commands or %d "
                        "widgets; some are missing\n",
                kiosk_screen_name(h->k), UI_MAX_CMDS, UI_MAX_WIDGETS);
        h->warned_overflow = true;
    }
    if (h->r) {
        zc_err err;
        if (sdlr_render(h->r, h->cur, &err) != ZC_OK && !h->warned_render) {
            fprintf(stderr, "zhucan: warning: %s\n", err.msg);
            h->warned_render = true;
        }
    }
    return true;
}

/* ---- the card reader device ---- */

/* Opens the reader without blocking: a FIFO read-write (so it never reads
 * end-of-file when its writer goes), a serial line in raw mode. */
static int reader_open(host *h, zc_err *err)
{
    struct stat sb;
    if (stat(h->reader_path, &sb) != 0)
        return zc_errf(err, ZC_EIO, "card reader %s: %s", h->reader_path, strerror(errno));
    int flags = (S_ISFIFO(sb.st_mode) ? O_RDWR : O_RDONLY) | O_NONBLOCK | O_NOCTTY | O_CLOEXEC;
    int fd = open(h->reader_path, flags);
    if (fd < 0)
        return zc_errf(err, ZC_EIO, "card reader %s: %s", h->reader_path, strerror(errno));
    struct termios tio;
    if (isatty(fd) && tcgetattr(fd, &tio) == 0) {
        cfmakeraw(&tio); /* keeps the line speed set with stty */
        tio.c_cc[VMIN] = 0;
        tio.c_cc[VTIME] = 0;
        (void)tcsetattr(fd, TCSANOW, &tio);
    }
    h->reader_fd = fd;
    h->rlen = 0;
    h->rtoolong = false;
    return ZC_OK;
}

/* Reads what the reader sent and delivers complete lines as cards.  A read
 * error (an unplugged device) closes it and retries every 2 s. */
static void reader_pump(host *h)
{
    if (!h->reader_path)
        return;
    int64_t now = host_now(h);
    if (h->reader_fd < 0) {
        zc_err err;
        if (now < h->reader_retry_ms || reader_open(h, &err) != ZC_OK) {
            if (now >= h->reader_retry_ms)
                h->reader_retry_ms = now + 2000;
            return;
        }
        fprintf(stderr, "zhucan: card reader %s is back\n", h->reader_path);
    }
    char buf[512];
    for (;;) {
        ssize_t n = read(h->reader_fd, buf, sizeof buf);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
            return;
        if (n <= 0) {
            fprintf(stderr, "zhucan: warning: card reader %s: %s; retrying every 2 s\n",
                    h->reader_path, n < 0 ? strerror(errno) : "closed");
            close(h->reader_fd);
            h->reader_fd = -1;
            h->reader_retry_ms = now + 2000;
            return;
        }
        for (ssize_t i = 0; i < n; i++) {
            char c = buf[i];
            if (c == '\r' || c == '\n') {
                if (h->rlen > 0) {
                    h->rline[h->rlen] = '\0';
                    host_wedge_result(h, h->rtoolong ? WEDGE_TOOLONG : WEDGE_CARD, h->rline);
                }
                h->rlen = 0;
                h->rtoolong = false;
            } else if (c == '\0') {
                continue;
            } else if (h->rlen < ZC_INPUT_MAX) {
                h->rline[h->rlen++] = c;
            } else {
                h->rtoolong = true;
            }
        }
    }
}

/* ---- stderr ---- */

/* Points stderr at /dev/null (libraries that print pages of their own
 * errors while probing devices) and returns the saved descriptor, or -1. */
int host_stderr_mute(void)
{
    fflush(stderr);
    int saved = dup(STDERR_FILENO), null = open("/dev/null", O_WRONLY | O_CLOEXEC);
    if (saved >= 0 && null >= 0 && dup2(null, STDERR_FILENO) >= 0) {
        close(null);
        return saved;
    }
    if (saved >= 0)
        close(saved);
    if (null >= 0)
        close(null);
    return -1;
}

void host_stderr_restore(int saved)
{
    if (saved < 0)
        return;
    dup2(saved, STDERR_FILENO);
    close(saved);
}

/* ---- the loop ---- */

/* The smaller of two waits where -1 means "none". */
static int min_wait(int a, int b)
{
    if (a < 0)
        return b;
    if (b < 0)
        return a;
    return a < b ? a : b;
}

void host_loop(host *h, int64_t deadline_ms)
{
    while (!h->quit && !kiosk_quit_requested(h->k)) {
        int64_t now = host_now(h);
        if (deadline_ms > 0 && now >= deadline_ms)
            break;
        int t = min_wait(kiosk_wait_ms(h->k, now), wedge_wait_ms(&h->wg, now));
        if (h->reader_path)
            t = min_wait(t, HOST_READER_POLL_MS);
        if (t == 0 && h->last_tick_ms == now)
            t = 5; /* a timer the tick did not clear: do not spin */
        if (deadline_ms > 0)
            t = min_wait(t, (int)(deadline_ms - now));
        SDL_Event ev;
        if (t < 0 ? SDL_WaitEvent(&ev) : SDL_WaitEventTimeout(&ev, t)) {
            host_sdl_event(h, &ev);
            while (SDL_PollEvent(&ev))
                host_sdl_event(h, &ev);
        } else {
            /* idle: fold the WAL into the database here, not inside a sale's
             * COMMIT; a failure (busy) just waits for the next idle moment */
            int ck = h->till ? store_checkpoint(till_store(h->till), NULL, NULL) : ZC_OK;
            (void)ck;
            auto_backup(h, true);
        }
        now = host_now(h);
        host_wedge_pump(h, now);
        reader_pump(h);
        if (kiosk_wait_ms(h->k, now) == 0)
            host_deliver(h, KEV_TICK, NULL, 0);
        host_sounds_pump(h);
        if (h->dirty || h->force)
            host_redraw(h); /* nothing delivered, nothing to draw: a reader poll stays cheap */
    }
}

/* ---- options and start-up ---- */

/* Parses a decimal int in [lo, hi] with end-pointer checks. */
static bool parse_int(const char *s, int lo, int hi, int *out)
{
    char *end;
    errno = 0;
    long v = strtol(s, &end, 10);
    if (errno || end == s || *end || v < lo || v > hi)
        return false;
    *out = (int)v;
    return true;
}

/* "1280x800" -> w, h (each 200..8192). */
static bool parse_size(const char *s, int *w, int *h)
{
    char buf[32];
    snprintf(buf, sizeof buf, "%s", s);
    char *x = strchr(buf, 'x');
    if (!x)
        return false;
    *x = '\0';
    return parse_int(buf, 200, 8192, w) && parse_int(x + 1, 200, 8192, h);
}

static int usage_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static int usage_error(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fprintf(stderr, "zhucan kiosk: ");
    vfprintf(stderr, fmt, ap);
    fprintf(stderr, "\n%s", usage);
    va_end(ap);
    return 2;
}

/* Fills h's options from argv.  0 ok, 2 usage error (printed), 3 --help. */
static int parse_args(host *h, int argc, char **argv)
{
    int i = 1;
    if (i < argc && strcmp(argv[i], "kiosk") == 0)
        i++;
    for (; i < argc; i++) {
        const char *a = argv[i];
        bool has_val = i + 1 < argc;
        const char *v = has_val ? argv[i + 1] : NULL;
        if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
            fputs(usage, stdout);
            return 3;
        } else if (strcmp(a, "--headless") == 0) {
            h->headless = true;
        } else if (strcmp(a, "--software") == 0) {
            h->software = true;
        } else if (strcmp(a, "--bench") == 0) {
            h->bench = true;
        } else if (strcmp(a, "--full-screen") == 0) {
            h->full_screen = true;
        } else if (strcmp(a, "--customer-window") == 0) {
            h->customer_opt = true;
        } else if (strcmp(a, "--db") == 0 || strcmp(a, "--lang") == 0 ||
                   strcmp(a, "--script") == 0 || strcmp(a, "--reader") == 0 ||
                   strcmp(a, "--windowed") == 0 || strcmp(a, "--bench-cards") == 0 ||
                   strcmp(a, "--bench-idle") == 0 || strcmp(a, "--customer-size") == 0) {
            if (!has_val)
                return usage_error("%s needs a value", a);
            i++;
            if (strcmp(a, "--db") == 0)
                h->db = v;
            else if (strcmp(a, "--lang") == 0)
                h->lang = v;
            else if (strcmp(a, "--script") == 0)
                h->script = v;
            else if (strcmp(a, "--reader") == 0)
                h->reader_path = v;
            else if (strcmp(a, "--windowed") == 0 && !parse_size(v, &h->win_w, &h->win_h))
                return usage_error("--windowed wants WxH such as 1280x800, not '%s'", v);
            else if (strcmp(a, "--customer-size") == 0 && !parse_size(v, &h->cust_win_w, &h->cust_win_h))
                return usage_error("--customer-size wants WxH such as 1280x800, not '%s'", v);
            else if (strcmp(a, "--bench-cards") == 0 && !parse_int(v, 1, 100000, &h->bench_cards))
                return usage_error("--bench-cards wants a number of cards, not '%s'", v);
            else if (strcmp(a, "--bench-idle") == 0 && !parse_int(v, 0, 3600, &h->bench_idle_s))
                return usage_error("--bench-idle wants seconds, not '%s'", v);
        } else {
            return usage_error("unknown option '%s'", a);
        }
    }
    if (!h->db)
        return usage_error("--db DB is required");
    if (strcmp(h->lang, "zh_CN") != 0 && strcmp(h->lang, "en") != 0)
        return usage_error("--lang is zh_CN or en, not '%s'", h->lang);
    if (h->headless && !h->script)
        return usage_error("--headless only goes with --script");
    if (h->headless && h->bench)
        return usage_error("--bench needs a display; drop --headless");
    if (h->full_screen && (h->win_w || h->headless))
        return usage_error("--full-screen goes with neither --windowed nor --headless");
    if (h->cust_win_w && !h->customer_opt)
        return usage_error("--customer-size goes with --customer-window");
    return 0;
}

/* An automatic backup now (start) or, when idle, once backup_hours (1..168,
 * default 4) have passed since the last.  A failure is said on stderr and
 * tried again at the next chance: selling does not depend on it. */
static void auto_backup(host *h, bool idle)
{
    char buf[16], made[1200];
    int hours = 4;
    zc_err err = {{0}};
    if (!h->till)
        return;
    int64_t since = host_us() - h->backup_us;
    if (idle && since < (int64_t)3600 * 1000000)
        return; /* the setting is read at most once an hour */
    if (store_meta_get(till_store(h->till), "backup_hours", buf, sizeof buf) == ZC_OK &&
        !parse_int(buf, 1, 168, &hours))
        hours = 4;
    if (idle && since < (int64_t)hours * 3600 * 1000000)
        return;
    h->backup_us = host_us();
    if (store_backup_auto(till_store(h->till), made, sizeof made, &err) != ZC_OK)
        fprintf(stderr, "zhucan: warning: automatic backup failed: %s\n", err.msg);
}

/* The reader's keystroke gap limit: terminal setting reader_burst_ms
 * (5..200) for a slow reader, else the default. */
static int burst_ms(host *h)
{
    char buf[32];
    int v;
    if (!h->till || store_meta_get(till_store(h->till), "reader_burst_ms", buf, sizeof buf) != ZC_OK)
        return WEDGE_BURST_MS;
    if (!parse_int(buf, 5, 200, &v)) {
        fprintf(stderr, "zhucan: warning: setting reader_burst_ms '%s' is not 5..200; using %d\n",
                buf, WEDGE_BURST_MS);
        return WEDGE_BURST_MS;
    }
    return v;
}

/* The directory of the running executable, for the installed share/ files. */
static void find_exe_dir(char *out, size_t n)
{
    char buf[1024];
    ssize_t len = readlink("/proc/self/exe", buf, sizeof buf - 1);
    out[0] = '\0';
    if (len <= 0)
        return;
    buf[len] = '\0';
    char *slash = strrchr(buf, '/');
    if (slash)
        *slash = '\0';
    snprintf(out, n, "%s", buf);
}

/* Brings up SDL video; prints the one "no display" line when there is none. */
static bool display_up(host *h)
{
    const char *disp = getenv("DISPLAY");
    if (!disp && !getenv("WAYLAND_DISPLAY") && !getenv("SDL_VIDEODRIVER")) {
        fputs("zhucan: no display: " NO_DISPLAY_HINT "\n", stderr);
        return false;
    }
    /* only the display the environment names: no silent fallback to another
     * video driver (nor its own error chatter on stderr) */
    if (!getenv("SDL_VIDEODRIVER"))
        SDL_SetHint(SDL_HINT_VIDEODRIVER, disp ? "x11" : "wayland");
    if (h->script || h->bench)
        SDL_SetHint(SDL_HINT_NO_SIGNAL_HANDLERS, "1"); /* let Ctrl+C stop a test run */
    int saved = host_stderr_mute();
    bool up = SDL_Init(SDL_INIT_VIDEO | SDL_INIT_EVENTS) == 0;
    host_stderr_restore(saved);
    if (!up) {
        const char *name = disp ? disp : getenv("WAYLAND_DISPLAY");
        fprintf(stderr, "zhucan: no display: cannot open '%s' (%s); " NO_DISPLAY_HINT "\n",
                name ? name : "", SDL_GetError());
        return false;
    }
    h->sdl_inited = true;
    return true;
}

int kiosk_main(int argc, char **argv)
{
    static host hh; /* one per process; large (clip table), so not on the stack */
    host *h = &hh;
    int rc = 1;
    zc_err err = {{0}};
    memset(h, 0, sizeof *h);
    h->start_us = host_us();
    h->lang = "zh_CN";
    h->reader_fd = -1;
    h->bench_cards = 300;
    h->bench_idle_s = 10;
    const char *tr = getenv("ZHUCAN_TRACE");
    h->trace = tr && *tr && strcmp(tr, "0") != 0;
    clock_host = h;

    int prc = parse_args(h, argc, argv);
    if (prc != 0)
        return prc == 3 ? 0 : prc;
    find_exe_dir(h->exe_dir, sizeof h->exe_dir);
    if (h->script && !h->bench && h->win_w == 0 && !h->full_screen) {
        h->win_w = 1920; /* scripts lay out at the kiosk's reference size */
        h->win_h = 1080;
    }

    /* the screen first: "no display" should be the first thing said */
    if (!h->headless && !display_up(h))
        goto out;
    /* a damaged database gets the recovery screen, never the till */
    kiosk_opts ko = {.lang = h->lang, .clock = host_epoch};
    if (store_health(h->db, &err) == ZC_EDB) {
        fprintf(stderr, "zhucan: %s\n", err.msg);
        if (kiosk_create_recover(h->db, &ko, &h->k, &err) != ZC_OK) {
            fprintf(stderr, "zhucan: %s\n", err.msg);
            goto out;
        }
    } else if (till_open(h->db, 0, &h->till, &err) != ZC_OK ||
               store_autocheckpoint(till_store(h->till), 0, &err) != ZC_OK) {
        fprintf(stderr, "zhucan: %s\n", err.msg);
        goto out;
    }
    if (!h->bench)
        auto_backup(h, false);
    if (h->till && !h->bench)
        start_sync(h, h->till);
    ko.sync = h->sync;
    if (h->till && kiosk_create(h->till, &ko, &h->k, &err) != ZC_OK) {
        fprintf(stderr, "zhucan: %s\n", err.msg);
        goto out;
    }
    h->cur = malloc(sizeof *h->cur);
    h->next = malloc(sizeof *h->next);
    if (!h->cur || !h->next) {
        fprintf(stderr, "zhucan: out of memory\n");
        goto out;
    }
    if (!h->headless) {
        sdlr_opts ro = {.title = "助餐 Zhucan", .w = h->win_w, .h = h->win_h,
                        .software = h->software || h->bench || h->script,
                        .vsync = !h->bench && !h->script,
                        .exe_dir = h->exe_dir};
        if (sdlr_create(&ro, &h->r, &err) != ZC_OK) {
            fprintf(stderr, "zhucan: %s\n", err.msg);
            goto out;
        }
        sdlr_size(h->r, &h->w, &h->h);
        ui_draw_init(h->cur, sdlr_measure, h->r);
        ui_draw_init(h->next, sdlr_measure, h->r);
    } else {
        h->w = h->win_w;
        h->h = h->win_h;
        ui_draw_init(h->cur, NULL, NULL);
        ui_draw_init(h->next, NULL, NULL);
    }
    host_customer_open(h);
    wedge_init(&h->wg, burst_ms(h), WEDGE_MIN_LEN);
    if (h->reader_path && reader_open(h, &err) != ZC_OK) {
        fprintf(stderr, "zhucan: %s\n", err.msg);
        goto out;
    }
    if (!h->headless && !h->script && !h->bench)
        host_audio_open(h);

    if (h->bench) {
        rc = host_bench(h);
    } else if (h->script) {
        rc = host_script_run(h, h->script);
    } else {
        host_redraw(h);
        host_loop(h, 0);
        rc = 0;
    }
out:
    host_audio_close(h);
    kiosk_free(h->k);
    h->k = NULL;
    sync_stop(h->sync); /* NULL is fine; returns promptly even mid-transfer */
    if (h->reader_fd >= 0)
        close(h->reader_fd);
    host_customer_close(h);
    sdlr_free(h->r);
    kiosk_free(h->k);
    till_close(h->till);
    free(h->cur);
    free(h->next);
    if (h->sdl_inited)
        SDL_Quit();
    clock_host = NULL;
    return rc;
}
