/* sdl_render.c - the SDL2 renderer of ui_draw lists (see sdl_render.h).
 *
 * Text is the expensive part: rasterising a CJK string with FreeType takes
 * far longer than blitting it.  So each (text, size, bold, colour) is
 * rendered once into a texture and kept in a cache with a hash index and an
 * LRU list, bounded by entry count and by pixel bytes; a screen that changes
 * one number re-rasterises only that number.  Fonts are opened per size on
 * demand (ui_text's shrinking makes sizes vary) and kept in a small LRU set.
 *
 * The .ttc collections hold several faces; the Simplified Chinese face is
 * picked by its family name so that 骨, 直 and 角 get their mainland forms. */
#include "sdl_render.h"

#include <SDL_ttf.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define FONT_FILE "NotoSansCJK-Regular.ttc"
#define FONT_SLOTS 40         /* most TTF_Font objects (size x bold) held */
#define FONT_DEFAULT 24       /* held by default: each CJK face costs ~2.6 MB; a
                                 * screen uses ~20 sizes once text is fitted */
#define CACHE_DEFAULT 256     /* text textures: a screen shows ~60-100 texts */
#define CACHE_BYTES_DEFAULT ((size_t)8 << 20) /* keeps the kiosk under 80 MB resident */
#define FRAME_PX 2            /* thickness of UI_CMD_FRAME */
#define NONE (-1)

typedef struct font_slot {
    TTF_Font *font; /* NULL: free slot */
    int size;
    bool bold;
    unsigned long used; /* tick of last use, for LRU */
} font_slot;

typedef struct text_entry {
    uint64_t hash;
    char text[UI_TEXT_MAX];
    int size;
    bool bold;
    ui_color color;
    SDL_Texture *tex; /* NULL: free entry */
    int w, h;
    int prev, next;   /* LRU list, most recent at head */
    int chain;        /* next entry in the same hash bucket */
} text_entry;

struct sdlr {
    SDL_Window *win;
    SDL_Renderer *ren;
    bool ttf_inited;
    char font_path[2][1024]; /* regular, bold */
    int face[2];             /* face index in each file */
    bool fake_bold;          /* no bold file: TTF_STYLE_BOLD on the regular face */
    font_slot fonts[FONT_SLOTS];
    int font_max;            /* slots in use: 1..FONT_SLOTS */
    unsigned long tick;
    text_entry *entries; /* cache_max entries */
    int *buckets;        /* nbuckets heads */
    int cache_max, nbuckets, head, tail, nfree;
    int *freelist;
    size_t bytes, max_bytes;
    sdlr_stats st;
    ui_draw *last; /* copy of the last rendered list, for screenshots */
    bool have_last;
};

/* ---- finding the fonts ---- */

static bool readable(const char *p)
{
    return access(p, R_OK) == 0;
}

int sdlr_font_find(const char *exe_dir, char *path, size_t n, zc_err *err)
{
    char cand[4][1024];
    int nc = 0;
    const char *env = getenv("ZHUCAN_FONT");
    if (env && *env)
        snprintf(cand[nc++], sizeof cand[0], "%s", env);
    snprintf(cand[nc++], sizeof cand[0], "fonts/%s", FONT_FILE);
    if (exe_dir && *exe_dir)
        snprintf(cand[nc++], sizeof cand[0], "%s/../share/zhucan/fonts/%s", exe_dir, FONT_FILE);
    snprintf(cand[nc++], sizeof cand[0], "/usr/share/fonts/opentype/noto/%s", FONT_FILE);
    for (int i = 0; i < nc; i++) {
        if (readable(cand[i])) {
            snprintf(path, n, "%s", cand[i]);
            return ZC_OK;
        }
    }
    char tried[3000];
    size_t o = 0;
    tried[0] = '\0';
    for (int i = 0; i < nc && o < sizeof tried; i++) {
        int k = snprintf(tried + o, sizeof tried - o, "%s%s", i ? ", " : "", cand[i]);
        if (k < 0)
            break;
        o += (size_t)k;
    }
    return zc_errf(err, ZC_ENOTFOUND,
                   "no Chinese font found (tried %s); install fonts-noto-cjk or set ZHUCAN_FONT "
                   "to a .ttc/.ttf file",
                   tried);
}

/* The bold file next to the regular one ("...-Regular.ttc" -> "...-Bold.ttc"),
 * or "" when there is none. */
static void bold_path(const char *regular, char *out, size_t n)
{
    out[0] = '\0';
    const char *base = strrchr(regular, '/');
    base = base ? base + 1 : regular;
    const char *reg = strstr(base, "Regular");
    if (!reg)
        return;
    int k = snprintf(out, n, "%.*sBold%s", (int)(reg - regular), regular, reg + strlen("Regular"));
    if (k < 0 || (size_t)k >= n || !readable(out))
        out[0] = '\0';
}

/* The index of the Simplified Chinese (proportional) face in a collection, 0
 * for a single-face file or when none is named so. */
static int pick_face(const char *path)
{
    for (int i = 0; i < 16; i++) {
        TTF_Font *f = TTF_OpenFontIndex(path, 16, i);
        if (!f)
            break;
        const char *fam = TTF_FontFaceFamilyName(f);
        bool sc = fam && strstr(fam, " SC") && !strstr(fam, "Mono");
        TTF_CloseFont(f);
        if (sc)
            return i;
    }
    return 0;
}

/* Snaps a pixel size down to a ladder of ~18% steps.  Every open CJK face
 * costs a few MB, and the screens ask for some twenty sizes at each scale:
 * the ladder keeps a dozen faces open.  Down, so fitted text still fits. */
static int snap_size(int size)
{
    static const int ladder[] = {10, 12, 14, 17, 20, 24, 28, 33, 39, 46, 54, 64, 76, 90, 106, 126, 150, 178};
    int best = ladder[0];
    for (size_t i = 0; i < sizeof ladder / sizeof ladder[0] && ladder[i] <= size; i++)
        best = ladder[i];
    return size < ladder[0] ? size : best;
}

/* The font for (size, bold), opened on first use; NULL when it cannot be. */
static TTF_Font *font_get(sdlr_t *r, int size, bool bold)
{
    int lru = 0;
    size = snap_size(size);
    r->tick++;
    for (int i = 0; i < r->font_max; i++) {
        font_slot *s = &r->fonts[i];
        if (s->font && s->size == size && s->bold == bold) {
            s->used = r->tick;
            return s->font;
        }
        if (!s->font || (r->fonts[lru].font && s->used < r->fonts[lru].used))
            lru = i;
    }
    font_slot *s = &r->fonts[lru];
    if (s->font) {
        TTF_CloseFont(s->font);
        r->st.fonts_open--;
    }
    int which = bold && !r->fake_bold ? 1 : 0;
    s->font = TTF_OpenFontIndex(r->font_path[which], size, r->face[which]);
    r->st.font_opens++;
    if (!s->font)
        return NULL;
    if (bold && r->fake_bold)
        TTF_SetFontStyle(s->font, TTF_STYLE_BOLD);
    TTF_SetFontHinting(s->font, TTF_HINTING_LIGHT);
    s->size = size;
    s->bold = bold;
    s->used = r->tick;
    r->st.fonts_open++;
    return s->font;
}

int sdlr_measure(void *ctx, const char *text, int size, bool bold)
{
    sdlr_t *r = ctx;
    int w = 0, h = 0;
    if (!text || !*text || size <= 0)
        return 0;
    TTF_Font *f = font_get(r, size, bold);
    if (!f || TTF_SizeUTF8(f, text, &w, &h) != 0)
        return size * (int)strlen(text); /* cannot measure: assume wide, so it is fitted */
    return w;
}

/* ---- the text texture cache ---- */

static uint64_t key_hash(const char *text, int size, bool bold, ui_color color)
{
    uint64_t h = 0xcbf29ce484222325ull;
    for (const unsigned char *p = (const unsigned char *)text; *p; p++)
        h = (h ^ *p) * 0x100000001b3ull;
    h = (h ^ (uint64_t)size) * 0x100000001b3ull;
    h = (h ^ (uint64_t)bold) * 0x100000001b3ull;
    return (h ^ color) * 0x100000001b3ull;
}

static void lru_unlink(sdlr_t *r, int i)
{
    text_entry *e = &r->entries[i];
    if (e->prev != NONE)
        r->entries[e->prev].next = e->next;
    else
        r->head = e->next;
    if (e->next != NONE)
        r->entries[e->next].prev = e->prev;
    else
        r->tail = e->prev;
    e->prev = e->next = NONE;
}

static void lru_push_front(sdlr_t *r, int i)
{
    text_entry *e = &r->entries[i];
    e->prev = NONE;
    e->next = r->head;
    if (r->head != NONE)
        r->entries[r->head].prev = i;
    r->head = i;
    if (r->tail == NONE)
        r->tail = i;
}

/* Drops entry i: out of its bucket, out of the LRU list, texture destroyed. */
static void evict(sdlr_t *r, int i)
{
    text_entry *e = &r->entries[i];
    int *link = &r->buckets[e->hash & (uint64_t)(r->nbuckets - 1)];
    while (*link != NONE && *link != i)
        link = &r->entries[*link].chain;
    if (*link == i)
        *link = e->chain;
    lru_unlink(r, i);
    SDL_DestroyTexture(e->tex);
    e->tex = NULL;
    r->bytes -= (size_t)e->w * (size_t)e->h * 4;
    r->freelist[r->nfree++] = i;
    r->st.text_evictions++;
}

/* The texture of a text command, rendered on a miss; NULL when it cannot be
 * rendered.  *w, *h receive its size. */
static SDL_Texture *text_texture(sdlr_t *r, const ui_cmd *c, int *w, int *h)
{
    uint64_t hv = key_hash(c->text, c->size, c->bold, c->color);
    int b = (int)(hv & (uint64_t)(r->nbuckets - 1));
    for (int i = r->buckets[b]; i != NONE; i = r->entries[i].chain) {
        text_entry *e = &r->entries[i];
        if (e->hash == hv && e->size == c->size && e->bold == c->bold && e->color == c->color &&
            strcmp(e->text, c->text) == 0) {
            lru_unlink(r, i);
            lru_push_front(r, i);
            r->st.text_hits++;
            *w = e->w;
            *h = e->h;
            return e->tex;
        }
    }
    r->st.text_misses++;

    /* render */
    TTF_Font *f = font_get(r, c->size, c->bold);
    if (!f)
        return NULL;
    SDL_Color col = {(Uint8)(c->color >> 16), (Uint8)(c->color >> 8), (Uint8)c->color, 255};
    SDL_Surface *surf = TTF_RenderUTF8_Blended(f, c->text, col);
    if (!surf)
        return NULL;
    SDL_Texture *tex = SDL_CreateTextureFromSurface(r->ren, surf);
    int tw = surf->w, th = surf->h;
    SDL_FreeSurface(surf);
    if (!tex)
        return NULL;
    size_t need = (size_t)tw * (size_t)th * 4;

    /* make room: by count and by bytes, least recently used first (an empty
     * cache has cache_max >= 1 free entries, so this always ends with one) */
    while (r->tail != NONE && (r->nfree == 0 || r->bytes + need > r->max_bytes))
        evict(r, r->tail);
    int i = r->freelist[--r->nfree];
    text_entry *e = &r->entries[i];
    e->hash = hv;
    snprintf(e->text, sizeof e->text, "%s", c->text);
    e->size = c->size;
    e->bold = c->bold;
    e->color = c->color;
    e->tex = tex;
    e->w = tw;
    e->h = th;
    e->chain = r->buckets[b];
    r->buckets[b] = i;
    lru_push_front(r, i);
    r->bytes += need;
    *w = tw;
    *h = th;
    return tex;
}

/* ---- lifecycle ---- */

/* Makes a full-screen window cover bounds even when no window manager
 * acted on the full-screen request (a bare X session): checks the size the
 * server gave it and, when short, sets size and position itself. */
static void cover_display(SDL_Window *win, SDL_Rect bounds)
{
    int cw = 0, ch = 0;
    SDL_PumpEvents();
    SDL_GetWindowSize(win, &cw, &ch);
    if (cw >= bounds.w && ch >= bounds.h)
        return;
    SDL_SetWindowFullscreen(win, 0);
    SDL_SetWindowBordered(win, SDL_FALSE);
    SDL_SetWindowSize(win, bounds.w, bounds.h);
    SDL_SetWindowPosition(win, bounds.x, bounds.y);
    SDL_RaiseWindow(win);
}

int sdlr_create(const sdlr_opts *o, sdlr_t **out, zc_err *err)
{
    int rc = ZC_OK;
    sdlr_t *r = calloc(1, sizeof *r);
    *out = NULL;
    if (!r)
        return zc_errf(err, ZC_ENOMEM, "out of memory starting the screen");
    r->head = r->tail = NONE;
    r->cache_max = o->cache_max > 0 ? o->cache_max : CACHE_DEFAULT;
    r->font_max = o->font_max > 0 ? (o->font_max < FONT_SLOTS ? o->font_max : FONT_SLOTS) : FONT_DEFAULT;
    r->max_bytes = o->cache_bytes > 0 ? o->cache_bytes : CACHE_BYTES_DEFAULT;
    r->nbuckets = 16;
    while (r->nbuckets < 2 * r->cache_max)
        r->nbuckets *= 2;
    r->entries = calloc((size_t)r->cache_max, sizeof *r->entries);
    r->freelist = calloc((size_t)r->cache_max, sizeof *r->freelist);
    r->buckets = malloc((size_t)r->nbuckets * sizeof *r->buckets);
    r->last = malloc(sizeof *r->last);
    if (!r->entries || !r->freelist || !r->buckets || !r->last) {
        rc = zc_errf(err, ZC_ENOMEM, "out of memory starting the screen");
        goto out;
    }
    for (int i = 0; i < r->nbuckets; i++)
        r->buckets[i] = NONE;
    for (int i = r->cache_max - 1; i >= 0; i--)
        r->freelist[r->nfree++] = i;

    /* fonts */
    rc = sdlr_font_find(o->exe_dir, r->font_path[0], sizeof r->font_path[0], err);
    if (rc != ZC_OK)
        goto out;
    if (TTF_Init() != 0) {
        rc = zc_errf(err, ZC_EIO, "cannot start the font engine: %s", TTF_GetError());
        goto out;
    }
    r->ttf_inited = true;
    TTF_Font *probe = TTF_OpenFont(r->font_path[0], 16);
    if (!probe) {
        rc = zc_errf(err, ZC_EIO, "cannot open font %s: %s; install fonts-noto-cjk or set ZHUCAN_FONT to a "
                     "working font", r->font_path[0], TTF_GetError());
        goto out;
    }
    TTF_CloseFont(probe);
    r->face[0] = pick_face(r->font_path[0]);
    bold_path(r->font_path[0], r->font_path[1], sizeof r->font_path[1]);
    r->fake_bold = r->font_path[1][0] == '\0';
    if (!r->fake_bold)
        r->face[1] = pick_face(r->font_path[1]);

    /* window and renderer */
    Uint32 wflags = SDL_WINDOW_SHOWN | SDL_WINDOW_RESIZABLE;
    int w = o->w, h = o->h;
    int ndisp = SDL_GetNumVideoDisplays();
    if (o->display < 0 || o->display >= ndisp) {
        rc = zc_errf(err, ZC_EINVAL, "no display %d: SDL sees %d display%s (0..%d)", o->display, ndisp,
                     ndisp == 1 ? "" : "s", ndisp - 1);
        goto out;
    }
    SDL_Rect bounds = {0, 0, 0, 0};
    if (w <= 0 || h <= 0) {
        /* full screen at the display's own size: on an X server with no
         * window manager nobody honours the full-screen request, and a
         * window created 0 x 0 stays 1 x 1 (a black screen) */
        wflags = SDL_WINDOW_SHOWN | SDL_WINDOW_BORDERLESS | SDL_WINDOW_FULLSCREEN_DESKTOP;
        if (SDL_GetDisplayBounds(o->display, &bounds) != 0 || bounds.w <= 0 || bounds.h <= 0) {
            rc = zc_errf(err, ZC_EIO, "cannot read the size of display %d: %s; start with --windowed WxH",
                         o->display, SDL_GetError());
            goto out;
        }
        w = bounds.w;
        h = bounds.h;
    }
    r->win = SDL_CreateWindow(o->title ? o->title : "Zhucan", SDL_WINDOWPOS_CENTERED_DISPLAY(o->display),
                              SDL_WINDOWPOS_CENTERED_DISPLAY(o->display), w, h, wflags);
    if (!r->win) {
        rc = zc_errf(err, ZC_EIO, "cannot open a window: %s", SDL_GetError());
        goto out;
    }
    if (wflags & SDL_WINDOW_FULLSCREEN_DESKTOP)
        cover_display(r->win, bounds);
    /* the software renderer would otherwise present through an OpenGL
     * context (llvmpipe on a GPU-less box: +100 MB resident, more CPU) */
    if (o->software)
        SDL_SetHint(SDL_HINT_FRAMEBUFFER_ACCELERATION, "0");
    Uint32 rflags = o->software ? SDL_RENDERER_SOFTWARE : SDL_RENDERER_ACCELERATED;
    if (o->vsync && !o->software)
        rflags |= SDL_RENDERER_PRESENTVSYNC;
    r->ren = SDL_CreateRenderer(r->win, -1, rflags);
    if (!r->ren && !o->software) /* no GPU (Xvfb, a bare kiosk): software it is */
        r->ren = SDL_CreateRenderer(r->win, -1, SDL_RENDERER_SOFTWARE);
    if (!r->ren) {
        rc = zc_errf(err, ZC_EIO, "cannot create a renderer: %s", SDL_GetError());
        goto out;
    }
    SDL_SetRenderDrawBlendMode(r->ren, SDL_BLENDMODE_NONE);
    if (wflags & SDL_WINDOW_FULLSCREEN_DESKTOP)
        SDL_ShowCursor(SDL_DISABLE); /* a touch kiosk has no pointer */
out:
    if (rc != ZC_OK) {
        sdlr_free(r);
        return rc;
    }
    *out = r;
    return ZC_OK;
}

void sdlr_free(sdlr_t *r)
{
    if (!r)
        return;
    for (int i = 0; r->entries && i < r->cache_max; i++) {
        if (r->entries[i].tex)
            SDL_DestroyTexture(r->entries[i].tex);
    }
    for (int i = 0; i < FONT_SLOTS; i++) {
        if (r->fonts[i].font)
            TTF_CloseFont(r->fonts[i].font);
    }
    if (r->ren)
        SDL_DestroyRenderer(r->ren);
    if (r->win)
        SDL_DestroyWindow(r->win);
    if (r->ttf_inited)
        TTF_Quit();
    free(r->entries);
    free(r->freelist);
    free(r->buckets);
    free(r->last);
    free(r);
}

SDL_Window *sdlr_window(sdlr_t *r)
{
    return r->win;
}

void sdlr_size(sdlr_t *r, int *w, int *h)
{
    if (SDL_GetRendererOutputSize(r->ren, w, h) != 0)
        SDL_GetWindowSize(r->win, w, h);
}

void sdlr_get_stats(const sdlr_t *r, sdlr_stats *out)
{
    *out = r->st;
    out->text_entries = r->cache_max - r->nfree;
    out->text_bytes = r->bytes;
}

/* ---- drawing ---- */

static void set_color(SDL_Renderer *ren, ui_color c)
{
    SDL_SetRenderDrawColor(ren, (Uint8)(c >> 16), (Uint8)(c >> 8), (Uint8)c, 255);
}

/* Draws the list into the back buffer (no present). */
static int draw_list(sdlr_t *r, const ui_draw *d, zc_err *err)
{
    SDL_SetRenderDrawColor(r->ren, 255, 255, 255, 255);
    if (SDL_RenderClear(r->ren) != 0)
        return zc_errf(err, ZC_EIO, "cannot draw the screen: %s", SDL_GetError());
    for (int i = 0; i < d->ncmds; i++) {
        const ui_cmd *c = &d->cmds[i];
        SDL_Rect rc = {c->r.x, c->r.y, c->r.w, c->r.h};
        switch (c->kind) {
        case UI_CMD_RECT:
            set_color(r->ren, c->color);
            SDL_RenderFillRect(r->ren, &rc);
            break;
        case UI_CMD_FRAME: {
            int t = rc.w > 2 * FRAME_PX && rc.h > 2 * FRAME_PX ? FRAME_PX : 1;
            SDL_Rect e[4] = {{rc.x, rc.y, rc.w, t},
                             {rc.x, rc.y + rc.h - t, rc.w, t},
                             {rc.x, rc.y, t, rc.h},
                             {rc.x + rc.w - t, rc.y, t, rc.h}};
            set_color(r->ren, c->color);
            SDL_RenderFillRects(r->ren, e, 4);
            break;
        }
        case UI_CMD_TEXT: {
            int tw = 0, th = 0;
            SDL_Texture *tex = text_texture(r, c, &tw, &th);
            if (!tex)
                break; /* counted as a miss; the rest of the screen still draws */
            SDL_Rect dst = {rc.x, rc.y + (rc.h - th) / 2, tw, th};
            if (c->align == UI_CENTER)
                dst.x = rc.x + (rc.w - tw) / 2;
            else if (c->align == UI_RIGHT)
                dst.x = rc.x + rc.w - tw;
            SDL_RenderCopy(r->ren, tex, NULL, &dst);
            break;
        }
        }
    }
    return ZC_OK;
}

int sdlr_render(sdlr_t *r, const ui_draw *d, zc_err *err)
{
    int rc = draw_list(r, d, err);
    if (rc != ZC_OK)
        return rc;
    SDL_RenderPresent(r->ren);
    r->st.frames++;
    if (d != r->last)
        memcpy(r->last, d, sizeof *d);
    r->have_last = true;
    return ZC_OK;
}

/* Redraws the last list (the front buffer cannot be read back portably),
 * reads the pixels, saves them, and presents the same frame again. */
int sdlr_screenshot_bmp(sdlr_t *r, const char *path, zc_err *err)
{
    int rc = ZC_OK, w = 0, h = 0;
    SDL_Surface *s = NULL;
    if (!r->have_last)
        return zc_errf(err, ZC_EINVAL, "nothing drawn yet to take a screenshot of");
    sdlr_size(r, &w, &h);
    rc = draw_list(r, r->last, err);
    if (rc != ZC_OK)
        goto out;
    s = SDL_CreateRGBSurfaceWithFormat(0, w, h, 32, SDL_PIXELFORMAT_ARGB8888);
    if (!s) {
        rc = zc_errf(err, ZC_ENOMEM, "screenshot: %s", SDL_GetError());
        goto out;
    }
    if (SDL_RenderReadPixels(r->ren, NULL, SDL_PIXELFORMAT_ARGB8888, s->pixels, s->pitch) != 0) {
        rc = zc_errf(err, ZC_EIO, "screenshot: cannot read the screen: %s", SDL_GetError());
        goto out;
    }
    if (SDL_SaveBMP(s, path) != 0) {
        rc = zc_errf(err, ZC_EIO, "screenshot: cannot write %s: %s", path, SDL_GetError());
        goto out;
    }
out:
    SDL_FreeSurface(s);
    SDL_RenderPresent(r->ren);
    return rc;
}
