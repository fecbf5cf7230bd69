/* host_int.h - private to the kiosk host (sdl_main.c, host_script.c): the
 * host's state and the few functions its files share.  The contract with
 * the rest of Zhucan is host.h. */
#ifndef ZC_UI_HOST_INT_H
#define ZC_UI_HOST_INT_H

#include <SDL.h>
#include <stdbool.h>
#include <stdint.h>

#include "../till/till.h"
#include "kiosk.h"
#include "sdl_render.h"
#include "wedge.h"

#define HOST_READER_POLL_MS 50 /* how often the reader device is read */
#define HOST_TYPE_GAP_MS 150   /* script `type`: a person's keystrokes */
#define HOST_CARD_GAP_MS 3     /* script `card`: a reader's keystrokes */

/* A loaded, converted sound clip. */
typedef struct host_clip {
    char name[48];
    Uint8 *buf; /* SDL_free */
    Uint32 len;
} host_clip;

#define HOST_CLIPS 96
#define HOST_CUSTOMER_W 1280 /* the elder's window when it is not full-screen */
#define HOST_CUSTOMER_H 800

/* The elder's window on a second display (sdl_customer.c). */
typedef struct host_customer {
    bool on;           /* its draw list is kept (with or without a window) */
    sdlr_t *r;         /* its window and renderer; NULL when headless */
    uint32_t win_id;   /* SDL window id, to route its window events */
    ui_draw *cur, *next;
    uint64_t hash;
    bool have_frame, force;
    int w, h;          /* its layout size in pixels */
} host_customer;

typedef struct host {
    /* options */
    const char *db, *lang, *script, *reader_path;
    int win_w, win_h; /* 0 x 0: full-screen desktop */
    bool full_screen;  /* --full-screen: full screen even for a script */
    bool headless, software, bench;
    bool trace;       /* $ZHUCAN_TRACE: log each event to stderr */
    int bench_cards, bench_idle_s;
    bool customer_opt;        /* --customer-window: open it even for scripts, or on one display */
    int cust_win_w, cust_win_h; /* --customer-size: windowed; 0 = full-screen on display 1 */
    char exe_dir[1024];
    int64_t start_us; /* monotonic time kiosk_main was entered */
    int64_t backup_us; /* monotonic time of the last automatic backup */

    /* parts (owned) */
    till_t *till;
    sync_t *sync;          /* the sync worker, or NULL (no server_url) */
    kiosk_t *k;
    sdlr_t *r;        /* NULL when headless */
    bool sdl_inited;
    wedge wg;
    ui_draw *cur;     /* the list on screen: hit tests use it */
    ui_draw *next;    /* scratch for the next frame */
    uint64_t cur_hash;
    bool have_frame;  /* cur holds a frame */
    bool force;       /* re-render even if the hash is the same (resize, expose) */
    bool dirty;       /* an event reached the kiosk since the last draw */
    int w, h;         /* layout size in pixels */
    bool warned_overflow, warned_render;
    host_customer cust;

    /* clock: real SDL ticks (+ offset), or virtual in scripts */
    bool virt;
    int64_t vnow_ms, offset_ms;
    int64_t epoch0, epoch0_ms; /* wall clock epoch0 at clock ms epoch0_ms (virtual only) */
    int64_t last_tick_ms;

    /* pointer: the widget a press started on */
    char press_id[UI_WID_MAX];
    SDL_FingerID finger;
    bool finger_down;

    /* card reader device */
    int reader_fd;
    char rline[ZC_INPUT_MAX + 1];
    int rlen;
    bool rtoolong;
    int64_t reader_retry_ms;

    /* audio */
    SDL_AudioDeviceID audio;
    SDL_AudioSpec aspec;
    char sounds_dir[1024];
    host_clip clips[HOST_CLIPS];
    int nclips, clip_next;

    bool quit;
    bool sync_tried;   /* a sync worker was tried for a restored database */
} host;

/* Milliseconds on the host's clock (virtual in scripts). */
int64_t host_now(const host *h);
/* Microseconds of a monotonic clock (for measurements). */
int64_t host_us(void);
/* Delivers an event to the kiosk stamped with host_now. */
void host_deliver(host *h, kiosk_ev_kind kind, const char *s, int key);
/* Passes a wedge result on as kiosk events. */
void host_wedge_result(host *h, wedge_out res, const char *out);
/* A key other than a character (KKEY_*): what the wedge holds goes first. */
void host_key(host *h, int key);
/* Typed characters (one SDL_TEXTINPUT may carry several), through the wedge. */
void host_text(host *h, const char *s);
/* Releases whatever the wedge holds that is due at now. */
void host_wedge_pump(host *h, int64_t now);
/* Draws the kiosk into a fresh list; when its hash differs from the one on
 * screen (or force), makes it current and renders it.  Returns true when a
 * new frame was made. */
bool host_redraw(host *h);
/* Plays (or, without audio, drops) the sounds the kiosk asked for. */
void host_sounds_pump(host *h);
/* Handles one SDL event (keys, text, taps, window changes, quit). */
void host_sdl_event(host *h, const SDL_Event *ev);
/* The interactive loop until quit, or until deadline_ms on the host clock
 * when deadline_ms > 0. */
void host_loop(host *h, int64_t deadline_ms);

/* sdl_main.c: points stderr at /dev/null (libraries that print pages of
 * their own errors while probing devices); returns the saved descriptor
 * (or -1) for host_stderr_restore. */
int host_stderr_mute(void);
void host_stderr_restore(int saved);

/* sdl_audio.c: opens the speaker and finds the clips (warnings only). */
void host_audio_open(host *h);
void host_audio_close(host *h); /* also frees the clip cache */

/* sdl_customer.c: opens the elder's window when SDL reports a second
 * display (not for scripts or the benchmark), or always with
 * --customer-window (on the same display when there is only one).  Never
 * fatal: without it the cashier's screen still has the elder panel. */
void host_customer_open(host *h);
void host_customer_close(host *h);
/* Draws the elder's view and puts it on glass when its hash changed. */
void host_customer_redraw(host *h);
/* True when ev belongs to the elder's window (its resizes and exposes, or a
 * touch on it, which does nothing): the caller drops it. */
bool host_customer_event(host *h, const SDL_Event *ev);
/* Saves the elder's window as a BMP. */
int host_customer_shot(host *h, const char *path, zc_err *err) ZC_MUST;

/* host_script.c: runs a script file ("-" for stdin).  0 when every
 * expectation held, 1 otherwise (the reason printed to stderr). */
int host_script_run(host *h, const char *path);
/* host_script.c: the latency / idle / memory benchmark; prints one line per
 * figure.  0 ok, 1 failure. */
int host_bench(host *h);

#endif
