/* draw.h - what a screen wants on glass, as a list of commands.
 *
 * Screens never call SDL: they append rectangles and text to a ui_draw list
 * (microui's idea).  The SDL renderer puts the list on glass; tests read the
 * list instead of pixels ("is 请付 10.00 元 on screen, and where").  Every
 * touchable thing is a widget with a stable string id, so scripts and tests
 * can tap "pay" or "item:A1" without knowing coordinates.
 *
 * Nothing here fails loudly: a list that runs out of room keeps what fits
 * and sets `overflow` (a bug a test should catch, not a crash at the till). */
#ifndef ZC_UI_DRAW_H
#define ZC_UI_DRAW_H

#include <stdbool.h>
#include <stdint.h>

#define UI_MAX_CMDS 1024
#define UI_MAX_WIDGETS 256
#define UI_TEXT_MAX 160 /* bytes of one text command, NUL included */
#define UI_WID_MAX 40   /* bytes of a widget id, NUL included */
#define UI_MIN_SHRINK 60 /* ui_text shrinks to this percentage of the size, then truncates */

typedef struct ui_rect {
    int x, y, w, h;
} ui_rect;

typedef uint32_t ui_color; /* 0xRRGGBB */

typedef enum ui_align { UI_LEFT = 0, UI_CENTER, UI_RIGHT } ui_align;

typedef enum ui_cmd_kind { UI_CMD_RECT = 0, UI_CMD_FRAME, UI_CMD_TEXT } ui_cmd_kind;

typedef struct ui_cmd {
    ui_cmd_kind kind;
    ui_rect r;          /* rect / frame bounds; for text the box it is aligned in */
    ui_color color;
    int size;           /* text: pixel height of the font (the em), after fitting */
    bool bold;
    ui_align align;
    char text[UI_TEXT_MAX]; /* one line of valid UTF-8, already fitted to r.w */
} ui_cmd;

/* A touch target. */
typedef struct ui_widget {
    char id[UI_WID_MAX];
    ui_rect r;
    bool enabled;
} ui_widget;

/* Measures the width in pixels of UTF-8 text at a size (provided by the
 * renderer; tests pass an approximation). */
typedef int (*ui_measure_fn)(void *ctx, const char *text, int size, bool bold);

/* About 200 KB: allocate it statically or on the heap, not on a small stack. */
typedef struct ui_draw {
    ui_cmd cmds[UI_MAX_CMDS];
    int ncmds;
    ui_widget widgets[UI_MAX_WIDGETS];
    int nwidgets;
    int w, h;              /* screen size */
    ui_measure_fn measure; /* may be NULL: a rough estimate is used */
    void *measure_ctx;
    bool overflow;         /* more commands/widgets than fit, or an id too long: a bug */
} ui_draw;

/* Zeroes d and sets the measure callback (may be NULL).  Call once before
 * the first ui_draw_begin, or zero the struct yourself. */
void ui_draw_init(ui_draw *d, ui_measure_fn measure, void *measure_ctx);
/* Starts a new frame of w x h: empties the lists and clears overflow, keeps
 * measure and measure_ctx. */
void ui_draw_begin(ui_draw *d, int w, int h);
void ui_rect_fill(ui_draw *d, ui_rect r, ui_color c);
void ui_frame(ui_draw *d, ui_rect r, ui_color c);
/* One line of text fitted in r: shrinks the size (down to UI_MIN_SHRINK %)
 * and then truncates with "…" on a character boundary rather than overflow;
 * vertically centred by the renderer.  Control characters become spaces,
 * invalid UTF-8 becomes '?'; empty text draws nothing. */
void ui_text(ui_draw *d, ui_rect r, const char *text, int size, ui_color c, ui_align a, bool bold);
/* A button: filled rect, frame, centred label (fitted with a margin),
 * registered as widget id.  A disabled button is drawn greyed. */
void ui_button(ui_draw *d, const char *id, ui_rect r, const char *label, int size, ui_color bg,
               ui_color fg, bool enabled);
/* Registers a touch target without drawing. */
void ui_widget_add(ui_draw *d, const char *id, ui_rect r, bool enabled);
/* The topmost (last added) widget under a point, or NULL when there is none
 * or the topmost one is disabled (a greyed button on a dialog does not let a
 * tap through to what lies beneath). */
const ui_widget *ui_hit(const ui_draw *d, int x, int y);
/* The last widget added with this id, or NULL. */
const ui_widget *ui_widget_find(const ui_draw *d, const char *id);
/* Width of text at size (measure callback or estimate: CJK ~ size, ASCII ~
 * 0.55 size, other ~ 0.6 size per character). */
int ui_text_width(const ui_draw *d, const char *text, int size, bool bold);
/* True when some text command contains the substring. */
bool ui_draw_has_text(const ui_draw *d, const char *needle);
/* The first text command containing the substring (to ask where), or NULL. */
const ui_cmd *ui_draw_find_text(const ui_draw *d, const char *needle);
/* A hash (64-bit FNV-1a) of the size, commands, widgets and overflow flag, so
 * the host redraws only when something changed. */
uint64_t ui_draw_hash(const ui_draw *d);

/* Length in bytes of the valid UTF-8 sequence at s (1..4), or 0 when s
 * starts with an invalid or truncated sequence or is empty. */
int ui_utf8_len(const char *s);

#endif
