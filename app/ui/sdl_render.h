/* sdl_render.h - puts a ui_draw list on glass with SDL2 + SDL2_ttf.
 *
 * The renderer owns the window, the SDL renderer, the CJK fonts (opened per
 * size on demand) and a bounded cache of rendered text textures.  It knows
 * nothing about screens: it draws whatever list it is given, measures text
 * for ui_text's fitting, and can save the current frame as a BMP. */
#ifndef ZC_UI_SDL_RENDER_H
#define ZC_UI_SDL_RENDER_H

#include <SDL.h>
#include <stdbool.h>
#include <stddef.h>

#include "../core/err.h"
#include "draw.h"

typedef struct sdlr sdlr_t;

typedef struct sdlr_opts {
    const char *title;   /* window title */
    int w, h;            /* window size; 0 x 0 = full-screen desktop mode */
    int display;         /* SDL display index the window opens on (0 = the first) */
    bool software;       /* SDL_RENDERER_SOFTWARE (benchmarks, Xvfb) */
    bool vsync;          /* wait for the display's refresh on present */
    const char *exe_dir; /* directory of the executable, for the installed fonts; may be NULL */
    int cache_max;       /* text textures kept (LRU); 0 = 256 */
    int font_max;        /* fonts (size x bold) kept open (LRU); 0 = 24, at most 40 */
    size_t cache_bytes;  /* and at most this many texture bytes; 0 = 32 MB */
} sdlr_opts;

/* What the caches did, for tests and the benchmark. */
typedef struct sdlr_stats {
    long text_hits, text_misses, text_evictions; /* texture cache */
    int text_entries;                            /* textures held now */
    size_t text_bytes;                           /* their pixel bytes (4 per pixel) */
    int fonts_open;                              /* TTF_Font objects held (size x bold) */
    long font_opens;                             /* TTF_OpenFont calls so far */
    long frames;                                 /* frames presented */
} sdlr_stats;

/* Finds the regular CJK font: $ZHUCAN_FONT, fonts/NotoSansCJK-Regular.ttc
 * (relative to the working directory), <exe_dir>/../share/zhucan/fonts/...,
 * /usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc, in that order.
 * Fills path; ZC_ENOTFOUND with every path tried named in err. */
int sdlr_font_find(const char *exe_dir, char *path, size_t n, zc_err *err) ZC_MUST;

/* Opens the window on display o->display (ZC_EINVAL naming the displays SDL
 * sees when there is no such one), the renderer, and loads the fonts.  SDL's
 * video subsystem must already be initialised (the host decides what "no
 * display" means); TTF is initialised here (reference-counted, so several
 * renderers may live at once).  *out owned by caller (sdlr_free). */
int sdlr_create(const sdlr_opts *o, sdlr_t **out, zc_err *err) ZC_MUST;
void sdlr_free(sdlr_t *r); /* NULL is fine; closes the window */

SDL_Window *sdlr_window(sdlr_t *r);
/* The drawable size in pixels (what kiosk_draw should lay out). */
void sdlr_size(sdlr_t *r, int *w, int *h);
/* Text width for ui_text's fitting: a ui_measure_fn, ctx is the sdlr_t. */
int sdlr_measure(void *ctx, const char *text, int size, bool bold);

/* Draws d and presents it; keeps a copy for screenshots.  A text that cannot
 * be rendered is skipped (counted), never fatal.  ZC_EIO when the renderer
 * itself failed (err says so). */
int sdlr_render(sdlr_t *r, const ui_draw *d, zc_err *err) ZC_MUST;
/* Saves the frame last rendered as a BMP file at path. */
int sdlr_screenshot_bmp(sdlr_t *r, const char *path, zc_err *err) ZC_MUST;

void sdlr_get_stats(const sdlr_t *r, sdlr_stats *out);

#endif
