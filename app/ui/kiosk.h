/* kiosk.h - the till's screens as a state machine, with no SDL inside.
 *
 * Input events (a tapped widget id, a key, typed text, a card line, a clock
 * tick) change the state; kiosk_draw emits the current screen into a
 * ui_draw list.  The SDL host (sdl_main.c) and the tests drive exactly the
 * same functions, so every screen can be exercised without a display. */
#ifndef ZC_UI_KIOSK_H
#define ZC_UI_KIOSK_H

#include <stdio.h>

#include "../sync/sync.h"
#include "../till/till.h"
#include "draw.h"

typedef struct kiosk kiosk_t;

typedef struct kiosk_opts {
    const char *lang;        /* "zh_CN" (default) or "en" */
    int64_t (*clock)(void);  /* epoch seconds; NULL = time(). Tests pin it. */
    sync_t *sync;            /* the sync worker (borrowed) or NULL when offline-only */
} kiosk_opts;

typedef enum kiosk_ev_kind {
    KEV_TAP = 0, /* id: a widget id from the last draw */
    KEV_KEY,     /* key: one of kiosk_key */
    KEV_TEXT,    /* text: typed characters for the focused field */
    KEV_CARD,    /* text: a complete reader line (card, ID number, QR token) */
    KEV_TICK,    /* time passes (timers, clock in the status bar) */
} kiosk_ev_kind;

typedef enum kiosk_key {
    KKEY_ENTER = 1,
    KKEY_ESCAPE,
    KKEY_BACKSPACE,
} kiosk_key;

typedef struct kiosk_ev {
    kiosk_ev_kind kind;
    int64_t now_ms;                  /* monotonic ms, for timers */
    char id[UI_WID_MAX];             /* KEV_TAP */
    int key;                         /* KEV_KEY */
    char text[ZC_INPUT_MAX + 1];     /* KEV_TEXT, KEV_CARD */
} kiosk_ev;

/* Creates the state machine on an open till (borrowed; must outlive it). */
int kiosk_create(till_t *t, const kiosk_opts *o, kiosk_t **out, zc_err *err) ZC_MUST;
void kiosk_free(kiosk_t *k); /* NULL is fine */
/* Creates the state machine for a damaged database at db (store_health
 * said so): no till; a screen that refuses to sell, names the newest good
 * backup and restores it with a supervisor's PIN (checked against the
 * backup's operators), then opens the restored database (owned by the
 * kiosk) and goes on to the login screen. */
int kiosk_create_recover(const char *db, const kiosk_opts *o, kiosk_t **out, zc_err *err) ZC_MUST;

void kiosk_handle(kiosk_t *k, const kiosk_ev *ev);
/* Draws the current screen into d (d->w, d->h set by ui_draw_begin inside). */
void kiosk_draw(kiosk_t *k, ui_draw *d, int w, int h);
/* Draws the elder's own screen (a second display facing the counter) into
 * d: welcome, or who is being served and what they pay, a refusal in words,
 * paid and the change.  Reads the state only; registers no widgets. */
void kiosk_draw_customer(kiosk_t *k, ui_draw *d, int w, int h);
/* Milliseconds until the screen changes by itself (timers, clock), or -1. */
int kiosk_wait_ms(const kiosk_t *k, int64_t now_ms);
bool kiosk_quit_requested(const kiosk_t *k);
/* After a restore on the recovery screen: the till it opened (borrowed from
 * k), so the host can start the sync worker that takes back the sales made
 * after the backup; NULL before a restore or once a worker is set. */
till_t *kiosk_restored_till(const kiosk_t *k);
/* Hands k the sync worker (borrowed) for the status bar and its kicks. */
void kiosk_set_sync(kiosk_t *k, sync_t *s);

/* Sounds to play, oldest first: clip names such as "card_ok", "pay", "n8",
 * "yuan" (files assets/sounds/<lang>/<name>.wav).  Returns false when none. */
bool kiosk_next_sound(kiosk_t *k, char *name, int n);

/* Writes the state as JSON (screen, operator, cart, elder, quote, message)
 * for tests and the `dump` script command. */
void kiosk_dump(const kiosk_t *k, FILE *f);
/* The current screen's name ("login", "sell", "pay_cash" ...). */
const char *kiosk_screen_name(const kiosk_t *k);

#endif
