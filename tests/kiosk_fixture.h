/* kiosk_fixture.h - what every kiosk C test needs, once:
 *
 *  - a demo canteen (store_demo_fill with the Beijing policy) in a new
 *    folder /tmp/zhucan-<tag>.XXXXXX, removed with everything in it;
 *  - a kiosk on it with a pinned clock (at "2026-11-23 11:30");
 *  - events sent the way the host sends them, each followed by a redraw,
 *    and taps only on widgets the last draw has (as a finger would);
 *  - login by PIN, and opening a shift.
 * Included by test_kiosk.c, test_kiosk_report.c and test_crash_kiosk.c;
 * everything is static. */
#ifndef ZC_TEST_KIOSK_FIXTURE_H
#define ZC_TEST_KIOSK_FIXTURE_H

#include <dirent.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../app/core/embed.h"
#include "../app/ui/kiosk.h"
#include "check.h"

/* each test file uses some of these */
#define KF static __attribute__((unused))

KF char dir[64], dbpath[128]; /* the test's folder and its database */
KF till_t *till;
KF kiosk_t *k;
KF ui_draw draw;              /* the cashier's screen as last drawn */
KF int64_t fake_now;          /* the kiosk's clock, epoch seconds */
KF int64_t ms;                /* the events' monotonic clock */

KF int64_t fake_clock(void) { return fake_now; }

/* Sets the clock to a local time "YYYY-MM-DD HH:MM". */
KF void at(const char *when)
{
    zc_datetime t;
    if (zc_datetime_parse(when, &t) != ZC_OK)
        abort();
    fake_now = zc_tz_epoch(t);
}

KF void redraw(void) { kiosk_draw(k, &draw, 1920, 1080); }

/* Sends an event step_ms after the previous one (s: the tap's id, or the
 * text or card line), then redraws. */
KF void ev_after(int step_ms, kiosk_ev_kind kind, const char *s, int key)
{
    kiosk_ev e = {.kind = kind, .now_ms = (ms += step_ms), .key = key};
    if (kind == KEV_TAP)
        snprintf(e.id, sizeof e.id, "%s", s);
    else if (s)
        snprintf(e.text, sizeof e.text, "%s", s);
    kiosk_handle(k, &e);
    redraw();
}

/* The same, 100 ms after the previous event. */
KF void ev(kiosk_ev_kind kind, const char *s, int key) { ev_after(100, kind, s, key); }

/* Taps a widget that must be on the current screen. */
KF void tap(const char *id)
{
    redraw();
    if (!ui_widget_find(&draw, id))
        fprintf(stderr, "  (no widget '%s' on screen %s)\n", id, kiosk_screen_name(k));
    CHECK(ui_widget_find(&draw, id) != NULL);
    ev(KEV_TAP, id, 0);
}

KF bool shows(const char *text) { return ui_draw_has_text(&draw, text); }

/* Taps a PIN on the pad, key by key. */
KF void type_pin(const char *pin)
{
    char key[8];
    for (const char *p = pin; *p; p++) {
        snprintf(key, sizeof key, "pin:%c", *p);
        tap(key);
    }
}

/* Picks op on the login screen (a wrong PIN stays on the pad, where only
 * the PIN is typed again), types pin and confirms. */
KF void login(const char *op, const char *pin)
{
    char id[32];
    snprintf(id, sizeof id, "op:%s", op);
    if (strcmp(kiosk_screen_name(k), "login") == 0)
        tap(id);
    else
        CHECK_STR(kiosk_screen_name(k), "pin");
    type_pin(pin);
    tap("ok");
}

/* Logs the cashier c1 in and opens the shift with float_yuan counted. */
KF void open_shift(const char *float_yuan)
{
    char key[16];
    login("c1", "1111");
    CHECK_STR(kiosk_screen_name(k), "shift_open");
    for (const char *p = float_yuan; *p; p++) {
        snprintf(key, sizeof key, "key:%c", *p);
        tap(key);
    }
    tap("confirm");
    CHECK_STR(kiosk_screen_name(k), "sell");
}

/* Removes path and everything under it. */
KF void rm_tree(const char *path)
{
    DIR *d = opendir(path);
    struct dirent *e;
    char p[400];
    while (d && (e = readdir(d))) {
        if (strcmp(e->d_name, ".") && strcmp(e->d_name, "..")) {
            snprintf(p, sizeof p, "%s/%s", path, e->d_name);
            struct stat sb;
            if (lstat(p, &sb) == 0 && S_ISDIR(sb.st_mode))
                rm_tree(p);
            else
                unlink(p);
        }
    }
    if (d)
        closedir(d);
    rmdir(path);
}

/* Frees the kiosk and the till and removes the previous test's folder. */
KF void cleanup(void)
{
    kiosk_free(k);
    till_close(till);
    k = NULL;
    till = NULL;
    if (dir[0])
        rm_tree(dir);
    dir[0] = '\0';
}

/* A new folder /tmp/zhucan-<tag>.XXXXXX with the demo canteen in t.db,
 * open as till; no kiosk yet. */
KF void fresh_db(const char *tag)
{
    zc_err err = {{0}};
    cleanup();
    snprintf(dir, sizeof dir, "/tmp/zhucan-%s.XXXXXX", tag);
    if (!mkdtemp(dir))
        abort();
    snprintf(dbpath, sizeof dbpath, "%s/t.db", dir);
    if (till_open(dbpath, STORE_CREATE, &till, &err) != ZC_OK ||
        store_demo_fill(till_store(till), embed_get("db/policies/beijing.json"), 50, 3, &err) != ZC_OK ||
        till_reload(till, &err) != ZC_OK) {
        fprintf(stderr, "setup: %s\n", err.msg);
        abort();
    }
}

/* A Chinese kiosk on till with the pinned clock, drawn once. */
KF void open_kiosk(void)
{
    zc_err err = {{0}};
    kiosk_opts o = {.lang = "zh_CN", .clock = fake_clock};
    if (kiosk_create(till, &o, &k, &err) != ZC_OK) {
        fprintf(stderr, "kiosk: %s\n", err.msg);
        abort();
    }
    redraw();
}

#endif
