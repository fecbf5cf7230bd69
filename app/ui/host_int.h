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

typedef struct host {
    /* options */
    const char *db, *lang, *script, *reader_path;
    int win_w, win_h; /* 0 x 0: full-screen desktop */
    bool headless, software, bench;
    bool trace;       /* $ZHUCAN_TRACE: log each event to stderr */
    int bench_cards, bench_idle_s;
    char exe_dir[1024];
    int64_t start_us; /* monotonic time kiosk_main was entered */

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

/* host_script.c: runs a script file ("-" for stdin).  0 when every
 * expectation held, 1 otherwise (the reason printed to stderr). */
int host_script_run(host *h, const char *path);
/* host_script.c: the latency / idle / memory benchmark; prints one line per
 * figure.  0 ok, 1 failure. */
int host_bench(host *h);

#endif
