/* test_render.c - the SDL renderer, on SDL's offscreen video driver (no
 * display needed): font finding, measuring, the text texture and font LRU
 * caches, and pixels read back from a BMP screenshot with a tolerance. */
#include "../app/ui/sdl_render.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check.h"

static ui_draw *D;
static bool sdl_ok;
static char shot_path[64];

/* A renderer on a w x h offscreen window; NULL (and a failure) if none. */
static sdlr_t *open_r(int w, int h, int cache_max, size_t cache_bytes, int font_max)
{
    sdlr_t *r = NULL;
    zc_err err = {{0}};
    sdlr_opts o = {.title = "test", .w = w, .h = h, .software = true, .cache_max = cache_max,
                   .cache_bytes = cache_bytes, .font_max = font_max};
    if (sdlr_create(&o, &r, &err) != ZC_OK) {
        fprintf(stderr, "  sdlr_create: %s\n", err.msg);
        CHECK(r != NULL);
        return NULL;
    }
    ui_draw_init(D, sdlr_measure, r);
    return r;
}

/* The pixel at (x, y) of a screenshot, as 0xRRGGBB. */
static ui_color pixel(SDL_Surface *s, int x, int y)
{
    Uint32 v = 0;
    Uint8 *p = (Uint8 *)s->pixels + y * s->pitch + x * s->format->BytesPerPixel;
    memcpy(&v, p, s->format->BytesPerPixel > 4 ? 4 : s->format->BytesPerPixel);
    Uint8 r, g, b;
    SDL_GetRGB(v, s->format, &r, &g, &b);
    return (ui_color)r << 16 | (ui_color)g << 8 | b;
}

static bool near(ui_color a, ui_color b, int tol)
{
    for (int sh = 0; sh <= 16; sh += 8) {
        int d = (int)((a >> sh) & 0xFF) - (int)((b >> sh) & 0xFF);
        if (d > tol || d < -tol)
            return false;
    }
    return true;
}

/* Pixels in r darker than 0x80 on every channel. */
static int dark_pixels(SDL_Surface *s, ui_rect r)
{
    int n = 0;
    for (int y = r.y; y < r.y + r.h; y++)
        for (int x = r.x; x < r.x + r.w; x++)
            n += (pixel(s, x, y) & 0x808080) == 0;
    return n;
}

static void t_font_find(void)
{
    char path[1024];
    zc_err err = {{0}};
    const char *sys = "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc";
    setenv("ZHUCAN_FONT", sys, 1);
    CHECK_OK(sdlr_font_find(NULL, path, sizeof path, &err));
    CHECK_STR(path, sys);
    /* a missing override falls through to the next candidates */
    setenv("ZHUCAN_FONT", "/nonexistent/font.ttc", 1);
    int rc = sdlr_font_find("/nonexistent/bin", path, sizeof path, &err);
    if (rc == ZC_OK) {
        CHECK(strcmp(path, "/nonexistent/font.ttc") != 0);
    } else { /* no system font here: the message names every path tried */
        CHECK_INT(rc, ZC_ENOTFOUND);
        CHECK(strstr(err.msg, "/nonexistent/font.ttc") != NULL);
        CHECK(strstr(err.msg, "/nonexistent/bin/../share/zhucan/fonts/") != NULL);
        CHECK(strstr(err.msg, sys) != NULL);
        CHECK(strstr(err.msg, "ZHUCAN_FONT") != NULL);
    }
    unsetenv("ZHUCAN_FONT");
}

static void t_measure(void)
{
    if (!sdl_ok)
        return;
    sdlr_t *r = open_r(640, 480, 0, 0, 0);
    if (!r)
        return;
    int cjk = sdlr_measure(r, "张三丰李", 40, false);
    int ascii = sdlr_measure(r, "abcd", 40, false);
    int bold = sdlr_measure(r, "张三丰李", 40, true);
    CHECK(cjk >= 150 && cjk <= 170); /* CJK is ~1 em each */
    CHECK(ascii > 40 && ascii < cjk);
    CHECK(bold >= cjk);
    CHECK_INT(sdlr_measure(r, "", 40, false), 0);
    CHECK_INT(sdlr_measure(r, "x", 0, false), 0);
    /* ui_text with the real measure never overflows its box */
    ui_draw_begin(D, 640, 480);
    for (int w = 40; w < 600; w += 37)
        ui_text(D, (ui_rect){0, 0, w, 60}, "东城区和平里社区老年食堂 Heping Li Canteen", 40, 0, UI_LEFT,
                false);
    for (int i = 0; i < D->ncmds; i++)
        CHECK(sdlr_measure(r, D->cmds[i].text, D->cmds[i].size, false) <= D->cmds[i].r.w);
    sdlr_free(r);
}

static void t_pixels(void)
{
    if (!sdl_ok)
        return;
    sdlr_t *r = open_r(400, 300, 0, 0, 0);
    if (!r)
        return;
    zc_err err = {{0}};
    CHECK_INT(sdlr_screenshot_bmp(r, shot_path, &err), ZC_EINVAL); /* nothing drawn yet */
    int w = 0, h = 0;
    sdlr_size(r, &w, &h);
    CHECK_INT(w, 400);
    CHECK_INT(h, 300);
    ui_draw_begin(D, w, h);
    ui_rect_fill(D, (ui_rect){0, 0, 400, 300}, 0xFFFFFF);
    ui_rect_fill(D, (ui_rect){10, 10, 100, 50}, 0xC62828);
    ui_frame(D, (ui_rect){200, 10, 100, 50}, 0x1565C0);
    ui_text(D, (ui_rect){10, 100, 380, 80}, "请付 10.00 元", 48, 0x111111, UI_CENTER, true);
    CHECK_OK(sdlr_render(r, D, &err));
    CHECK_OK(sdlr_screenshot_bmp(r, shot_path, &err));
    SDL_Surface *s = SDL_LoadBMP(shot_path);
    CHECK(s != NULL);
    if (s) {
        CHECK_INT(s->w, 400);
        CHECK_INT(s->h, 300);
        CHECK(near(pixel(s, 60, 35), 0xC62828, 4));   /* inside the filled rect */
        CHECK(near(pixel(s, 5, 5), 0xFFFFFF, 4));     /* background */
        CHECK(near(pixel(s, 200, 35), 0x1565C0, 4));  /* the frame's left edge */
        CHECK(near(pixel(s, 201, 35), 0x1565C0, 4));  /* 2 px thick */
        CHECK(near(pixel(s, 250, 35), 0xFFFFFF, 4));  /* hollow */
        /* the text: ink in its box, centred (about as much left as right) */
        int left = dark_pixels(s, (ui_rect){10, 100, 190, 80});
        int right = dark_pixels(s, (ui_rect){200, 100, 190, 80});
        CHECK(left > 200 && right > 200);
        CHECK(left < right * 2 && right < left * 2);
        CHECK_INT(dark_pixels(s, (ui_rect){10, 200, 380, 90}), 0); /* nothing below */
        SDL_FreeSurface(s);
    }
    unlink(shot_path);
    /* an unwritable path is an error that names it */
    CHECK_INT(sdlr_screenshot_bmp(r, "/nonexistent/dir/x.bmp", &err), ZC_EIO);
    CHECK(strstr(err.msg, "/nonexistent/dir/x.bmp") != NULL);
    sdlr_free(r);
}

static void t_text_cache(void)
{
    if (!sdl_ok)
        return;
    sdlr_t *r = open_r(400, 300, 4, 0, 0);
    if (!r)
        return;
    zc_err err;
    sdlr_stats st;
    static const char *const texts[] = {"一", "二", "三", "四", "五", "六"};
    ui_draw_begin(D, 400, 300);
    for (int i = 0; i < 4; i++)
        ui_text(D, (ui_rect){0, i * 40, 0, 40}, texts[i], 30, 0, UI_LEFT, false);
    CHECK_OK(sdlr_render(r, D, &err));
    CHECK_OK(sdlr_render(r, D, &err)); /* the same frame again: all hits */
    sdlr_get_stats(r, &st);
    CHECK_INT(st.text_misses, 4);
    CHECK_INT(st.text_hits, 4);
    CHECK_INT(st.text_entries, 4);
    CHECK_INT(st.text_evictions, 0);
    CHECK_INT(st.frames, 2);
    /* two new texts evict the two least recently used ("一", "二") */
    ui_draw_begin(D, 400, 300);
    ui_text(D, (ui_rect){0, 0, 0, 40}, texts[2], 30, 0, UI_LEFT, false);
    ui_text(D, (ui_rect){0, 0, 0, 40}, texts[3], 30, 0, UI_LEFT, false);
    ui_text(D, (ui_rect){0, 0, 0, 40}, texts[4], 30, 0, UI_LEFT, false);
    ui_text(D, (ui_rect){0, 0, 0, 40}, texts[5], 30, 0, UI_LEFT, false);
    CHECK_OK(sdlr_render(r, D, &err));
    sdlr_get_stats(r, &st);
    CHECK_INT(st.text_misses, 6);
    CHECK_INT(st.text_hits, 6);
    CHECK_INT(st.text_evictions, 2);
    CHECK_INT(st.text_entries, 4);
    /* "三" survived, "一" did not; a new colour is a new entry */
    ui_draw_begin(D, 400, 300);
    ui_text(D, (ui_rect){0, 0, 0, 40}, texts[2], 30, 0, UI_LEFT, false);
    ui_text(D, (ui_rect){0, 0, 0, 40}, texts[0], 30, 0, UI_LEFT, false);
    ui_text(D, (ui_rect){0, 0, 0, 40}, texts[2], 30, 0xFF0000, UI_LEFT, false);
    CHECK_OK(sdlr_render(r, D, &err));
    sdlr_get_stats(r, &st);
    CHECK_INT(st.text_hits, 7);
    CHECK_INT(st.text_misses, 8);
    CHECK_INT(st.text_entries, 4);
    size_t bytes = st.text_bytes;
    CHECK(bytes > 0);
    sdlr_free(r);

    /* the byte bound: room for about two of these textures */
    r = open_r(400, 300, 100, bytes / 2, 0);
    if (!r)
        return;
    ui_draw_begin(D, 400, 300);
    for (int i = 0; i < 6; i++)
        ui_text(D, (ui_rect){0, 0, 0, 40}, texts[i], 30, 0, UI_LEFT, false);
    CHECK_OK(sdlr_render(r, D, &err));
    sdlr_get_stats(r, &st);
    CHECK(st.text_bytes <= bytes / 2);
    CHECK(st.text_entries >= 1 && st.text_entries <= 3);
    CHECK_INT(st.text_evictions, 6 - st.text_entries);
    sdlr_free(r);
}

static void t_font_lru(void)
{
    if (!sdl_ok)
        return;
    sdlr_t *r = open_r(400, 300, 0, 0, 2);
    if (!r)
        return;
    sdlr_stats st;
    (void)sdlr_measure(r, "字", 20, false);
    (void)sdlr_measure(r, "字", 40, false);
    (void)sdlr_measure(r, "字", 20, false); /* reused */
    (void)sdlr_measure(r, "字", 21, false); /* snaps to the 20 px face: reused */
    sdlr_get_stats(r, &st);
    CHECK_INT(st.fonts_open, 2);
    CHECK_INT(st.font_opens, 2);
    (void)sdlr_measure(r, "字", 90, false); /* evicts 40, the least recent */
    (void)sdlr_measure(r, "字", 20, false);
    sdlr_get_stats(r, &st);
    CHECK_INT(st.fonts_open, 2);
    CHECK_INT(st.font_opens, 3);
    (void)sdlr_measure(r, "字", 20, true); /* bold is another font */
    sdlr_get_stats(r, &st);
    CHECK_INT(st.font_opens, 4);
    sdlr_free(r);
}

static const check_case cases[] = {
    {"font_find", t_font_find},
    {"measure", t_measure},
    {"pixels", t_pixels},
    {"text_cache", t_text_cache},
    {"font_lru", t_font_lru},
    {0},
};

int main(int argc, char **argv)
{
    snprintf(shot_path, sizeof shot_path, "/tmp/zhucan-test-render-%ld.bmp", (long)getpid());
    setenv("SDL_VIDEODRIVER", "offscreen", 1);
    D = malloc(sizeof *D);
    if (!D)
        return 1;
    sdl_ok = SDL_Init(SDL_INIT_VIDEO) == 0;
    if (!sdl_ok)
        fprintf(stderr, "  SDL offscreen video unavailable (%s): renderer cases skipped\n",
                SDL_GetError());
    int rc = check_main("test_render", cases, argc, argv);
    if (sdl_ok)
        SDL_Quit();
    free(D);
    return rc;
}
