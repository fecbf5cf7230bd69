/* test_draw.c - the draw list: bounds, text fitting, buttons, hit testing,
 * hashing and the width estimate. */
#include "../app/ui/draw.h"

#include <stdlib.h>
#include <string.h>

#include "check.h"

static ui_draw *D; /* 200 KB: one on the heap, reused by every test */

/* A fake measure: every character (not byte) is exactly `size` wide, so
 * fitting results are exact numbers. */
static int measure_calls;
static int mono_measure(void *ctx, const char *text, int size, bool bold)
{
    (void)ctx;
    (void)bold;
    measure_calls++;
    int n = 0;
    for (const unsigned char *p = (const unsigned char *)text; *p; p++)
        n += (*p & 0xC0) != 0x80;
    return n * size;
}

static void fresh(bool mono)
{
    ui_draw_init(D, mono ? mono_measure : NULL, NULL);
    ui_draw_begin(D, 1280, 800);
}

static bool valid_utf8(const char *s)
{
    while (*s) {
        int n = ui_utf8_len(s);
        if (n == 0)
            return false;
        s += n;
    }
    return true;
}

static void t_estimate(void)
{
    fresh(false);
    CHECK_INT(ui_text_width(D, "", 40, false), 0);
    CHECK_INT(ui_text_width(D, "张三", 40, false), 80);       /* CJK ~ size */
    CHECK_INT(ui_text_width(D, "ab", 40, false), 44);         /* ASCII ~ 0.55 size */
    CHECK_INT(ui_text_width(D, "请付 10.00 元", 40, false), 80 + 22 * 7 + 40);
    CHECK_INT(ui_text_width(D, "\xE2\x80\xA6", 40, false), 40); /* … full width */
    CHECK_INT(ui_text_width(D, "\xC3\xA9", 40, false), 24);    /* é ~ 0.6 */
    CHECK_INT(ui_text_width(D, "x", 0, false), 0);
    fresh(true);
    CHECK_INT(ui_text_width(D, "张三ab", 10, false), 40);
}

static void t_utf8_len(void)
{
    static const struct {
        const char *name, *s;
        int len;
    } tab[] = {
        {"ascii", "a", 1},         {"2-byte", "\xC3\xA9", 2},
        {"3-byte", "张", 3},       {"4-byte", "\xF0\x9F\x98\x80", 4},
        {"empty", "", 0},          {"lone continuation", "\x80", 0},
        {"truncated", "\xE5\xBC", 0}, {"overlong", "\xC0\xAF", 0},
        {"surrogate", "\xED\xA0\x80", 0}, {"beyond 10FFFF", "\xF4\x90\x80\x80", 0},
    };
    for (size_t i = 0; i < sizeof tab / sizeof tab[0]; i++) {
        if (ui_utf8_len(tab[i].s) != tab[i].len)
            fprintf(stderr, "  case %s\n", tab[i].name);
        CHECK_INT(ui_utf8_len(tab[i].s), tab[i].len);
    }
    CHECK_INT(ui_utf8_len(NULL), 0);
}

static void t_text_fits(void)
{
    fresh(true);
    ui_text(D, (ui_rect){10, 20, 400, 60}, "请付 10.00 元", 40, 0x112233, UI_RIGHT, true);
    CHECK_INT(D->ncmds, 1);
    const ui_cmd *c = &D->cmds[0];
    CHECK_INT(c->kind, UI_CMD_TEXT);
    CHECK_STR(c->text, "请付 10.00 元");
    CHECK_INT(c->size, 40);
    CHECK_INT(c->color, 0x112233);
    CHECK_INT(c->align, UI_RIGHT);
    CHECK(c->bold);
    CHECK_INT(c->r.x, 10);
    CHECK_INT(c->r.w, 400);
    CHECK(ui_draw_has_text(D, "10.00"));
    CHECK(!ui_draw_has_text(D, "11.00"));
    CHECK(ui_draw_find_text(D, "元") == c);
    /* empty text and a non-positive size draw nothing */
    ui_text(D, (ui_rect){0, 0, 100, 40}, "", 40, 0, UI_LEFT, false);
    ui_text(D, (ui_rect){0, 0, 100, 40}, "x", 0, 0, UI_LEFT, false);
    ui_text(D, (ui_rect){0, 0, 100, 40}, NULL, 40, 0, UI_LEFT, false);
    CHECK_INT(D->ncmds, 1);
    /* a box of width 0 is "no limit" */
    ui_text(D, (ui_rect){500, 0, 0, 40}, "很长很长很长很长", 40, 0, UI_CENTER, false);
    CHECK_INT(D->cmds[1].size, 40);
    CHECK_STR(D->cmds[1].text, "很长很长很长很长");
}

static void t_text_shrinks(void)
{
    static const struct {
        const char *name;
        int box_w, size;
        const char *text, *want;
        int want_size;
    } tab[] = {
        /* 10 chars at 40 = 400: a 360 box shrinks to 36 */
        {"shrink 90%", 360, 40, "一二三四五六七八九十", "一二三四五六七八九十", 36},
        /* 240 is exactly 60% */
        {"shrink to floor", 240, 40, "一二三四五六七八九十", "一二三四五六七八九十", 24},
        /* below 60%: truncated at size 24; 9 columns of 24 = 216 <= 239 */
        {"truncate", 239, 40, "一二三四五六七八九十", "一二三四五六七八…", 24},
        {"truncate mixed", 100, 20, "ABCDEFGHIJKLMNOP", "ABCDEFG…", 12},
        /* not even the ellipsis fits: the ellipsis alone */
        {"only ellipsis", 5, 20, "一二三", "…", 12},
        {"floor rounds up", 20, 7, "一二三四五六七", "一二三…", 5},
    };
    for (size_t i = 0; i < sizeof tab / sizeof tab[0]; i++) {
        fresh(true);
        ui_text(D, (ui_rect){0, 0, tab[i].box_w, 50}, tab[i].text, tab[i].size, 0, UI_LEFT, false);
        CHECK_INT(D->ncmds, 1);
        if (strcmp(D->cmds[0].text, tab[i].want) != 0 || D->cmds[0].size != tab[i].want_size)
            fprintf(stderr, "  case %s: got '%s' at %d\n", tab[i].name, D->cmds[0].text,
                    D->cmds[0].size);
        CHECK_STR(D->cmds[0].text, tab[i].want);
        CHECK_INT(D->cmds[0].size, tab[i].want_size);
        if (tab[i].box_w >= 12)
            CHECK(mono_measure(NULL, D->cmds[0].text, D->cmds[0].size, false) <= tab[i].box_w);
    }
    /* fitting costs a handful of measurements, not one per size and length */
    fresh(true);
    measure_calls = 0;
    ui_text(D, (ui_rect){0, 0, 300, 50}, "一二三四五六七八九十一二三四五六七八九十一二三四五六七八九十",
            60, 0, UI_LEFT, false);
    CHECK(measure_calls <= 16);
}

/* The estimate path truncates too, and never splits a character. */
static void t_text_estimate_utf8(void)
{
    fresh(false);
    const char *s = "张*英 elder 老人 80岁 ÉÉÉ 补贴 5.00 元 本周还剩 3 次";
    for (int w = 1; w < 700; w += 7) {
        ui_draw_begin(D, 1280, 800);
        ui_text(D, (ui_rect){0, 0, w, 40}, s, 30, 0, UI_LEFT, false);
        CHECK_INT(D->ncmds, 1);
        CHECK(valid_utf8(D->cmds[0].text));
        CHECK(D->cmds[0].size >= 18 && D->cmds[0].size <= 30);
        if (w >= 30)
            CHECK(ui_text_width(D, D->cmds[0].text, D->cmds[0].size, false) <= w);
    }
}

static void t_text_sanitize(void)
{
    fresh(true);
    ui_text(D, (ui_rect){0, 0, 0, 40}, "a\nb\tc\xFF" "d\xE5\xBC", 20, 0, UI_LEFT, false);
    CHECK_STR(D->cmds[0].text, "a b c?d??");
    /* longer than a command holds: cut on a boundary with "…" */
    char big[600];
    big[0] = '\0';
    for (int i = 0; i < 100; i++)
        snprintf(big + strlen(big), sizeof big - strlen(big), "%s", "张");
    ui_text(D, (ui_rect){0, 0, 0, 40}, big, 20, 0, UI_LEFT, false);
    const char *t = D->cmds[1].text;
    CHECK(strlen(t) < UI_TEXT_MAX);
    CHECK(valid_utf8(t));
    size_t n = strlen(t);
    CHECK(n >= 3 && strcmp(t + n - 3, "\xE2\x80\xA6") == 0);
    CHECK_INT(n, 52 * 3 + 3); /* 52 characters of 3 bytes, then … (159 bytes) */
    /* exactly UI_TEXT_MAX - 1 bytes fits without cutting */
    char edge[UI_TEXT_MAX];
    memset(edge, 'x', sizeof edge - 1);
    edge[sizeof edge - 1] = '\0';
    ui_text(D, (ui_rect){0, 0, 0, 40}, edge, 20, 0, UI_LEFT, false);
    CHECK_STR(D->cmds[2].text, edge);
}

static void t_bounds(void)
{
    fresh(true);
    for (int i = 0; i < UI_MAX_CMDS; i++)
        ui_rect_fill(D, (ui_rect){i, 0, 1, 1}, 0);
    CHECK(!D->overflow);
    CHECK_INT(D->ncmds, UI_MAX_CMDS);
    ui_frame(D, (ui_rect){0, 0, 5, 5}, 0);
    ui_text(D, (ui_rect){0, 0, 100, 40}, "x", 20, 0, UI_LEFT, false);
    CHECK(D->overflow);
    CHECK_INT(D->ncmds, UI_MAX_CMDS);
    /* a new frame clears it */
    ui_draw_begin(D, 800, 600);
    CHECK(!D->overflow);
    CHECK_INT(D->ncmds, 0);
    CHECK(D->measure == mono_measure); /* kept across frames */
    for (int i = 0; i <= UI_MAX_WIDGETS; i++) {
        char id[16];
        snprintf(id, sizeof id, "w%d", i);
        ui_widget_add(D, id, (ui_rect){0, 0, 10, 10}, true);
    }
    CHECK(D->overflow);
    CHECK_INT(D->nwidgets, UI_MAX_WIDGETS);
    /* an id longer than UI_WID_MAX is a bug: flagged */
    ui_draw_begin(D, 800, 600);
    ui_widget_add(D, "item:0123456789012345678901234567890123456789", (ui_rect){0, 0, 1, 1}, true);
    CHECK(D->overflow);
    CHECK_INT((int)strlen(D->widgets[0].id), UI_WID_MAX - 1);
    /* empty rects and empty ids are ignored, not errors */
    ui_draw_begin(D, 800, 600);
    ui_rect_fill(D, (ui_rect){0, 0, 0, 10}, 0);
    ui_frame(D, (ui_rect){0, 0, 10, -1}, 0);
    ui_widget_add(D, "", (ui_rect){0, 0, 10, 10}, true);
    ui_widget_add(D, NULL, (ui_rect){0, 0, 10, 10}, true);
    CHECK_INT(D->ncmds, 0);
    CHECK_INT(D->nwidgets, 0);
    CHECK(!D->overflow);
}

static void t_button(void)
{
    fresh(true);
    ui_button(D, "pay", (ui_rect){100, 100, 300, 80}, "收款", 40, 0x2E7D32, 0xFFFFFF, true);
    CHECK_INT(D->ncmds, 3);
    CHECK_INT(D->cmds[0].kind, UI_CMD_RECT);
    CHECK_INT(D->cmds[0].color, 0x2E7D32);
    CHECK_INT(D->cmds[1].kind, UI_CMD_FRAME);
    CHECK_INT(D->cmds[2].kind, UI_CMD_TEXT);
    CHECK_STR(D->cmds[2].text, "收款");
    CHECK_INT(D->cmds[2].align, UI_CENTER);
    CHECK_INT(D->cmds[2].color, 0xFFFFFF);
    CHECK(D->cmds[2].r.w < 300); /* a margin inside the button */
    const ui_widget *w = ui_widget_find(D, "pay");
    CHECK(w != NULL);
    if (w) {
        CHECK(w->enabled);
        CHECK_INT(w->r.x, 100);
        CHECK_INT(w->r.h, 80);
    }
    /* disabled: greyed colours, still findable, not hittable */
    ui_button(D, "void", (ui_rect){500, 100, 200, 80}, "作废", 40, 0xC62828, 0xFFFFFF, false);
    CHECK(D->cmds[3].color != 0xC62828);
    CHECK(D->cmds[5].color != 0xFFFFFF);
    CHECK(ui_widget_find(D, "void") != NULL);
    CHECK(ui_hit(D, 550, 120) == NULL);
    CHECK(ui_widget_find(D, "nope") == NULL);
    /* a label too long for the button is fitted inside it */
    ui_button(D, "long", (ui_rect){0, 300, 200, 80}, "一二三四五六七八九十", 40, 0, 0xFFFFFF, true);
    const ui_cmd *t = ui_draw_find_text(D, "一二");
    CHECK(t != NULL);
    if (t)
        CHECK(mono_measure(NULL, t->text, t->size, true) <= t->r.w);
}

static void t_hit(void)
{
    fresh(true);
    ui_widget_add(D, "bg", (ui_rect){0, 0, 1280, 800}, true);
    ui_widget_add(D, "a", (ui_rect){10, 10, 100, 50}, true);
    ui_widget_add(D, "b", (ui_rect){60, 30, 100, 50}, true); /* overlaps a, on top */
    ui_widget_add(D, "off", (ui_rect){400, 400, 100, 100}, false);
    static const struct {
        int x, y;
        const char *want; /* NULL: nothing */
    } tab[] = {
        {10, 10, "a"},   {109, 59, "b"}, {59, 29, "a"}, {60, 30, "b"},  {159, 79, "b"},
        {160, 79, "bg"}, {110, 20, "bg"}, {5, 5, "bg"},  {450, 450, NULL}, {1279, 799, "bg"},
        {1280, 799, NULL}, {-1, 0, NULL},
    };
    for (size_t i = 0; i < sizeof tab / sizeof tab[0]; i++) {
        const ui_widget *w = ui_hit(D, tab[i].x, tab[i].y);
        if (!tab[i].want) {
            CHECK(w == NULL);
        } else {
            CHECK(w != NULL);
            if (w)
                CHECK_STR(w->id, tab[i].want);
        }
    }
    /* with the same id twice, find returns the last (topmost) */
    ui_widget_add(D, "a", (ui_rect){700, 700, 10, 10}, true);
    CHECK_INT(ui_widget_find(D, "a")->r.x, 700);
}

static void screen(int variant)
{
    ui_draw_begin(D, 1280, 800);
    ui_rect_fill(D, (ui_rect){0, 0, 1280, 80}, 0x1565C0);
    ui_text(D, (ui_rect){20, 0, 600, 80}, variant == 1 ? "张*英 82岁" : "张*英 81岁", 40,
            0xFFFFFF, UI_LEFT, true);
    ui_button(D, "pay", (ui_rect){900, 600, 300, 120}, "收款", 48, 0x2E7D32, 0xFFFFFF,
              variant != 2);
    ui_frame(D, (ui_rect){0, 0, 1280, variant == 3 ? 801 : 800}, 0);
}

static void t_hash(void)
{
    fresh(true);
    screen(0);
    uint64_t h0 = ui_draw_hash(D);
    screen(0);
    CHECK(ui_draw_hash(D) == h0); /* deterministic */
    for (int v = 1; v <= 3; v++) {
        screen(v);
        CHECK(ui_draw_hash(D) != h0);
    }
    /* garbage after the NUL of a text does not change the hash */
    screen(0);
    D->cmds[1].text[strlen(D->cmds[1].text) + 1] = 'Z';
    CHECK(ui_draw_hash(D) == h0);
    /* the screen size is part of it */
    ui_draw_begin(D, 1280, 800);
    uint64_t empty = ui_draw_hash(D);
    ui_draw_begin(D, 1024, 768);
    CHECK(ui_draw_hash(D) != empty);
}

static const check_case cases[] = {
    {"estimate", t_estimate},
    {"utf8_len", t_utf8_len},
    {"text_fits", t_text_fits},
    {"text_shrinks", t_text_shrinks},
    {"text_estimate_utf8", t_text_estimate_utf8},
    {"text_sanitize", t_text_sanitize},
    {"bounds", t_bounds},
    {"button", t_button},
    {"hit", t_hit},
    {"hash", t_hash},
    {0},
};

int main(int argc, char **argv)
{
    D = malloc(sizeof *D);
    if (!D)
        return 1;
    int rc = check_main("test_draw", cases, argc, argv);
    free(D);
    return rc;
}
