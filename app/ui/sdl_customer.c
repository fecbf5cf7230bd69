/* sdl_customer.c - the elder's window on a second display.
 *
 * A counter terminal often has a small screen facing the customer.  When SDL
 * reports two or more displays, the host opens a second, borderless,
 * full-screen window on display 1 with its own renderer (and so its own text
 * cache and fonts), and draws kiosk_draw_customer into it.  Like the main
 * window it is redrawn only when its draw list's hash changes.  It has no
 * widgets: a touch on it does nothing, and it never takes the keyboard away
 * from the cashier's window.
 *
 * Scripts and the benchmark never open it by themselves (a test should not
 * depend on how many monitors the machine has); --customer-window forces it,
 * on display 1 when there is one and otherwise as a second window on the
 * only display, and --customer-size WxH makes it a plain window of that
 * size.  Without a window (--headless) the draw list is still kept, so a
 * script can check what the elder would see. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "host_int.h"

void host_customer_open(host *h)
{
    host_customer *c = &h->cust;
    zc_err err = {{0}};
    int ndisp = h->sdl_inited ? SDL_GetNumVideoDisplays() : 0;
    if (!h->customer_opt && (h->script || h->bench || h->headless || ndisp < 2))
        return;
    c->cur = malloc(sizeof *c->cur);
    c->next = malloc(sizeof *c->next);
    if (!c->cur || !c->next) {
        fprintf(stderr, "zhucan: warning: out of memory for the customer display; not shown\n");
        goto fail;
    }
    c->w = h->cust_win_w > 0 ? h->cust_win_w : HOST_CUSTOMER_W;
    c->h = h->cust_win_h > 0 ? h->cust_win_h : HOST_CUSTOMER_H;
    if (h->r) {
        /* two full-screen windows: SDL would minimise one whenever the
         * other is touched */
        SDL_SetHint(SDL_HINT_VIDEO_MINIMIZE_ON_FOCUS_LOSS, "0");
        bool full = ndisp >= 2 && h->cust_win_w == 0;
        sdlr_opts ro = {.title = "助餐 Zhucan · 顾客", .w = full ? 0 : c->w, .h = full ? 0 : c->h,
                        .display = ndisp >= 2 ? 1 : 0, .software = h->software || h->script,
                        .vsync = false, /* one present per loop must not wait for two refreshes */
                        .exe_dir = h->exe_dir, .cache_max = 64, .font_max = 8};
        if (sdlr_create(&ro, &c->r, &err) != ZC_OK) {
            fprintf(stderr, "zhucan: warning: no customer display: %s\n", err.msg);
            goto fail;
        }
        c->win_id = SDL_GetWindowID(sdlr_window(c->r));
        if (ro.display > 0 && SDL_GetWindowDisplayIndex(sdlr_window(c->r)) != ro.display && !h->customer_opt) {
            /* separate X screens (Zaphod mode): SDL counts them but opens
             * every window on the first, over the cashier's screen */
            fprintf(stderr, "zhucan: warning: no customer display: SDL cannot open a window on display %d "
                            "(a separate X screen?); put both monitors in one X screen (xrandr)\n", ro.display);
            goto fail;
        }
        sdlr_size(c->r, &c->w, &c->h);
        SDL_RaiseWindow(sdlr_window(h->r)); /* the cashier's window keeps the keyboard */
    }
    ui_draw_init(c->cur, c->r ? sdlr_measure : NULL, c->r);
    ui_draw_init(c->next, c->r ? sdlr_measure : NULL, c->r);
    c->on = true;
    c->force = true;
    return;
fail:
    host_customer_close(h);
}

void host_customer_close(host *h)
{
    host_customer *c = &h->cust;
    sdlr_free(c->r);
    free(c->cur);
    free(c->next);
    memset(c, 0, sizeof *c);
}

void host_customer_redraw(host *h)
{
    host_customer *c = &h->cust;
    if (!c->on)
        return;
    kiosk_draw_customer(h->k, c->next, c->w, c->h);
    uint64_t hv = ui_draw_hash(c->next);
    if (c->have_frame && hv == c->hash && !c->force)
        return;
    ui_draw *t = c->cur;
    c->cur = c->next;
    c->next = t;
    c->hash = hv;
    c->have_frame = true;
    c->force = false;
    if (c->r) {
        zc_err err;
        if (sdlr_render(c->r, c->cur, &err) != ZC_OK && !h->warned_render) {
            fprintf(stderr, "zhucan: warning: customer display: %s\n", err.msg);
            h->warned_render = true;
        }
    }
}

/* The window an event is about, or 0 when it names none. */
static uint32_t event_window(const SDL_Event *ev)
{
    switch (ev->type) {
    case SDL_WINDOWEVENT: return ev->window.windowID;
    case SDL_MOUSEBUTTONDOWN:
    case SDL_MOUSEBUTTONUP: return ev->button.windowID;
    case SDL_MOUSEMOTION: return ev->motion.windowID;
    case SDL_FINGERDOWN:
    case SDL_FINGERUP:
    case SDL_FINGERMOTION: return ev->tfinger.windowID;
    default: return 0;
    }
}

bool host_customer_event(host *h, const SDL_Event *ev)
{
    host_customer *c = &h->cust;
    if (!c->r)
        return false;
    uint32_t id = event_window(ev);
    if (ev->type == SDL_WINDOWEVENT && ev->window.event == SDL_WINDOWEVENT_CLOSE && id != c->win_id) {
        h->quit = true; /* with two windows SDL sends no SDL_QUIT for the main one */
        return true;
    }
    if (!id || id != c->win_id)
        return false;
    if (ev->type == SDL_WINDOWEVENT) {
        if (ev->window.event == SDL_WINDOWEVENT_SIZE_CHANGED)
            sdlr_size(c->r, &c->w, &c->h);
        if (ev->window.event == SDL_WINDOWEVENT_SIZE_CHANGED || ev->window.event == SDL_WINDOWEVENT_EXPOSED) {
            c->force = true;
            h->dirty = true; /* the loop redraws when something is dirty */
        }
    }
    return true;
}

int host_customer_shot(host *h, const char *path, zc_err *err)
{
    if (!h->cust.r)
        return zc_errf(err, ZC_EINVAL, "no customer window to take a screenshot of (pass --customer-window, "
                                       "and not --headless)");
    return sdlr_screenshot_bmp(h->cust.r, path, err);
}
