/* kiosk_int.h - the kiosk's state and its table of screens, shared by the
 * kiosk's files only.
 *
 * Each screen is a line in K_SCREENS below and a file that holds all of it:
 * its widget ids (named once at the top, used by both its drawing and its
 * handlers), its handlers, its drawing and, last, its row: a k_screen_def
 * with its name, flags and handlers.  Screens that work together share a
 * file (the PIN pad with login, done with payment).  A screen's state is
 * one struct in kiosk_t.  kiosk.c sends every event to the current
 * screen's row and draws it; nothing else lists screens.
 *
 * A new screen: write kiosk_<screen>.c ending in its k_screen_def, add its
 * line to K_SCREENS and, when it keeps state, a struct to kiosk_t.  Other
 * screens go to it with k_open (a fresh visit: its enter runs) or k_goto
 * (back to it as it was left).
 *
 * kiosk.c          the table, events in, sounds out, timers, dump
 * kiosk_view.c     theme, status bar, keypads, shared widgets
 * kiosk_login.c    login: operator tiles and the PIN pad (also a supervisor's approval)
 * kiosk_shift.c    opening and closing a shift, the Z report
 * kiosk_sell.c     selling: menu, cart, the elder panel; the sale being built
 * kiosk_sell_modal.c  over selling: a refused card or limit, another elder's card
 * kiosk_pay.c      cash and mobile payment, done
 * kiosk_recent.c   recent sales: reprint, void and its reason
 * kiosk_lookup.c   manual elder look-up (pinyin initials, ID last four with X, phone)
 * kiosk_settings.c the admin's settings (kiosk_keyboard.c: their on-screen keyboard)
 * kiosk_report.c   the supervisor's reports and their export to a USB stick
 * kiosk_recover.c  a damaged database: refuse to sell, restore a backup
 * kiosk_receipt.c  first prints and reprints of stored sales
 * kiosk_customer.c the elder's view on a second display (kiosk_draw_customer) */
#ifndef ZC_UI_KIOSK_INT_H
#define ZC_UI_KIOSK_INT_H

#include "../till/report_fmt.h"
#include "../store/shift.h"
#include "i18n.h"
#include "kiosk.h"

#define K_MAX_OPS 16
#define K_MAX_ITEMS 128
#define K_MAX_CATS 8
#define K_MAX_SOUNDS 48
#define K_MAX_RECENT 12
#define K_MAX_FOUND 8
#define K_ENTRY_MAX 24
#define K_MAX_EXTRA 64
#define K_MAX_SHIFTS 32 /* shifts the report screen steps through */
#define K_MAX_DIRS 8    /* export folders offered */
#define K_USAGE_WAIT_MS 600 /* the local quote stands; the centre may refine it until then */
#define K_DONE_MS 8000 /* the done screen returns to selling after this */
#define K_STATUS_MS 5000 /* with a centre, the status bar's figures are read again this often */

/* The screens: one line each, X(enum value, its row in kiosk_<screen>.c). */
#define K_SCREENS(X)                       \
    X(K_LOGIN, k_login_screen)             \
    X(K_PIN, k_pin_screen)                 \
    X(K_SHIFT_OPEN, k_shift_open_screen)   \
    X(K_SELL, k_sell_screen)               \
    X(K_PAY_CASH, k_pay_cash_screen)       \
    X(K_PAY_MOBILE, k_pay_mobile_screen)   \
    X(K_DONE, k_done_screen)               \
    X(K_RECENT, k_recent_screen)           \
    X(K_VOID_REASON, k_void_reason_screen) \
    X(K_LOOKUP, k_lookup_screen)           \
    X(K_SHIFT_CLOSE, k_shift_close_screen) \
    X(K_ZREPORT, k_zreport_screen)         \
    X(K_SETTINGS, k_settings_screen)       \
    X(K_REPORT, k_report_screen)           \
    X(K_EXPORT, k_export_screen)           \
    X(K_RECOVER, k_recover_screen)

#define K_SCREEN_ENUM(e, row) e,
typedef enum k_screen { K_SCREENS(K_SCREEN_ENUM) K_SCREEN_COUNT } k_screen;
#undef K_SCREEN_ENUM

typedef struct k_view k_view;

/* What a screen's row may say about it. */
enum {
    K_SCR_NO_TILL = 1 << 0, /* runs without a till: no status bar, cards ignored, no sync polls */
    K_SCR_SALE = 1 << 1,    /* a sale is being built: the elder's screen shows it */
};

/* One screen.  Every handler may be NULL (the event is ignored) except draw.
 * A card read on a screen without a card handler is answered with "go back
 * to selling first". */
typedef struct k_screen_def {
    const char *name; /* "sell": kiosk_screen_name, scripts' expect-screen */
    unsigned flags;   /* K_SCR_* */
    void (*enter)(kiosk_t *k);                /* a fresh visit (k_open), after k_goto */
    void (*tap)(kiosk_t *k, const char *id);  /* a widget id; unknown ids are ignored */
    void (*key)(kiosk_t *k, int key);         /* kiosk_key */
    void (*text)(kiosk_t *k, const char *text);
    void (*card)(kiosk_t *k, const char *line);
    void (*tick)(kiosk_t *k);
    int64_t (*due_ms)(const kiosk_t *k);      /* when the screen changes by itself (k->now_ms clock), 0 = never */
    void (*draw)(kiosk_t *k, const k_view *v); /* below the status bar (none when K_SCR_NO_TILL) */
} k_screen_def;

#define K_SCREEN_ROW(e, row) extern const k_screen_def row;
K_SCREENS(K_SCREEN_ROW)
#undef K_SCREEN_ROW

/* Widget ids more than one screen file uses; a screen's own ids are at the
 * top of its file.  Tests and scripts tap these exact strings. */
#define K_ID_BACK "back"
#define K_ID_CONFIRM "confirm"
#define K_ID_REPORTS "reports"
#define K_ID_REPRINT "reprint"
#define K_ID_NEXT "next"
#define K_ID_KEY "key:" /* + a keypad key: "0".."9", "dot", "clear", "back" (k_draw_keypad) */
#define K_ID_PIN "pin:" /* + a PIN pad key */
#define K_ID_OP "op:"   /* + an operator id */
#define K_ID_KB "kb:"   /* + an on-screen keyboard key (k_draw_keyboard) */

/* What a supervisor PIN unlocks. */
typedef enum k_auth {
    K_AUTH_LOGIN = 0, /* plain login of auth.op */
    K_AUTH_LOOKUP,    /* manual elder look-up */
    K_AUTH_VOID,      /* void of recent.sel_id */
    K_AUTH_REPORT,    /* the reports screen */
    K_AUTH_CLOSE,     /* closing a cashier's shift */
} k_auth;

/* What the reports screen shows. */
typedef enum k_rpt_view { K_RPT_DAY = 0, K_RPT_MONTH, K_RPT_SHIFT } k_rpt_view;

struct kiosk {
    till_t *t;           /* borrowed */
    i18n_t *i18n;        /* owned */
    char i18n_dir[4096]; /* where the catalogues are */
    char lang[8];        /* "zh_CN" | "en" */
    int64_t (*clock)(void);
    int64_t now_ms;      /* last event time */
    sync_t *sync;        /* borrowed; NULL when there is no centre */

    /* the status bar's connection figures, read from the store at most once
     * a second (k_status_refresh), never per drawn frame */
    struct {
        bool valid, online;
        long unsent;       /* -1 when it could not be read */
        char last[40];     /* last successful sync, "" = never */
        int64_t behind_s;  /* the newest sale's time minus the clock (> 0: the clock went back) */
        int64_t at_ms;
        char period[ZC_CODE_MAX]; /* the clock's meal period, "" = outside every window */
    } status;
    int64_t shown_min;   /* the wall-clock minute (epoch / 60) the screen last showed */
    bool quit;           /* the host should close the window */

    k_screen scr;
    char msg[400];       /* a line for the cashier under the main area */
    bool msg_error;
    char entry[K_ENTRY_MAX]; /* numeric entry (cash, floats, counts, PINs); k_goto clears it */

    /* read at login (kiosk_login.c) */
    store_operator ops[K_MAX_OPS];
    int nops;
    store_item menu[K_MAX_ITEMS];
    int nmenu;
    char cats[K_MAX_CATS][ZC_CODE_MAX]; /* menu categories in menu order */
    int ncats;
    bool logged_in;
    store_operator op;   /* who is selling */

    /* login and supervisor approval (kiosk_login.c) */
    struct {
        k_auth what;
        k_screen back;       /* where cancel goes */
        char op[ZC_ID_MAX];  /* whose PIN is being typed */
        char pin[12];
        char by[ZC_ID_MAX];  /* the supervisor who approved */
    } auth;

    /* the sale being built (kiosk_sell.c): read by selling, payment and the elder's screen */
    struct {
        zc_cart cart;
        bool have_elder;
        till_ident ident;
        char period[ZC_CODE_MAX]; /* cashier override, "" = clock; kept across sales (k_period_expire) */
        char period_base[ZC_CODE_MAX]; /* the clock's period when it was chosen, or the override once reached */
        zc_date period_day;       /* the day it was chosen */
        int64_t quote_min;        /* the wall-clock minute of the last quote */
        zc_quote quote;
        bool quote_ok;
        char quote_err[320];
        /* refusal overlay on the sell screen */
        bool refusal;
        till_status refusal_status;
        char refusal_msg[320];
        till_ident refused; /* who it was, when known */
        char refusal_line[40]; /* the reader's line, shown as the card number */
        char refusal_next[80]; /* outside the meal periods: "午餐 10:30 开始", else "" */
        /* another elder's card while one is on the sale: kept aside until
         * the cashier says whose meal it is (kiosk_sell_modal.c) */
        bool swap;
        till_ident swap_ident;
        /* the centre's answer about the elder's uses at other canteens */
        bool usage_pending;
        int64_t usage_deadline_ms;
        zc_use extra[K_MAX_EXTRA];
        int nextra;
    } sale;

    /* selling (kiosk_sell.c) */
    struct {
        int cat;        /* the menu tab shown */
        int cart_first; /* the first cart line shown (scrolled with ▲ ▼) */
        int cart_focus; /* the line last added to or taken from, kept in view; -1 = none */
    } sell;

    /* mobile payment (kiosk_pay.c) */
    struct {
        char ref[256]; /* the payment reference typed or scanned */
    } pay;

    /* the last committed sale (kiosk_pay.c) */
    struct {
        store_sale_res sale;
        zc_fen tendered;
        store_pay pay;
        char ref[256];    /* a mobile payment's reference, as recorded */
        int64_t until_ms; /* back to selling then */
        char print_msg[320];
    } done;

    /* recent sales: reprint or void the selected one (kiosk_recent.c) */
    struct {
        store_sale_row rows[K_MAX_RECENT];
        int n;
        char sel_id[ZC_UUID_LEN]; /* the selected sale, "" = none */
        int reason;               /* the void's reason chosen, -1 = none yet (confirm waits for it) */
    } recent;

    /* manual look-up (kiosk_lookup.c) */
    struct {
        char query[256];
        zc_elder found[K_MAX_FOUND];
        int n;
    } lookup;

    /* the Z report of the shift just closed (kiosk_shift.c) */
    store_zreport z;

    /* settings (kiosk_settings.c) */
    struct {
        char key[24];    /* the setting being typed, "" = the list */
        char value[256]; /* its new value */
        bool kb_upper;   /* the on-screen keyboard shows capitals */
    } set;

    /* reports (kiosk_report.c) */
    struct {
        k_rpt_view view;
        k_screen back;           /* where 返回 goes: selling, the Z report or the shift opening */
        zc_date day;             /* the day shown, or a day of the month shown */
        store_report r;          /* the day or month shown */
        bool have_r;
        int64_t shifts[K_MAX_SHIFTS]; /* newest first */
        int nshifts, shift_i;
        store_zreport z;         /* the shift shown */
        bool have_z;
        char dirs[K_MAX_DIRS][256]; /* export folders found */
        int ndirs;
        char files[TILL_EXPORT_FILES][TILL_EXPORT_PATH]; /* the last export's files */
        int nfiles;
        char detail[320];        /* why the last export failed, as the store said it */
    } rpt;

    /* a damaged database (K_RECOVER): t is NULL until a backup is restored */
    struct {
        char db[1024];           /* the damaged database */
        char backup[1100];       /* the newest backup that checks good, "" = none */
        char dir[1100];          /* where backups were looked for */
        int64_t nsales;          /* sales in that backup */
        store_operator sups[K_MAX_OPS]; /* its supervisors and admins */
        int nsups;
        char op[ZC_ID_MAX];      /* the supervisor chosen, "" = none */
        int wrong;               /* wrong PINs in a row */
        int64_t locked_until_ms; /* after 5 wrong PINs */
        bool owns_till;          /* t was opened here after the restore */
    } rec;

    /* spoken prompts */
    char sounds[K_MAX_SOUNDS][24];
    int snd_head, snd_len;
};

#define TR(k, s) i18n_tr((k)->i18n, (s))

/* kiosk.c */
void k_say(kiosk_t *k, const char *clip);
void k_say_amount(kiosk_t *k, const char *lead, zc_fen fen);
void k_message(kiosk_t *k, bool error, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
/* What failed (rc, err from the store or till) in the screen's words, into
 * buf: lead ("未保存，请重试：") and, on a Chinese screen, what the code means
 * and what to do; on an English one err's own message.  err's message goes
 * to stderr too, for whoever looks after the till.  Returns buf. */
char *k_err_text(kiosk_t *k, int rc, const zc_err *err, const char *lead, char *buf, size_t n);
/* k_err_text as the cashier's error message. */
void k_error(kiosk_t *k, int rc, const zc_err *err, const char *lead);
/* Shows screen s as it was left (clears k->entry only). */
void k_goto(kiosk_t *k, k_screen s);
/* Opens screen s afresh: k_goto, then its row's enter. */
void k_open(kiosk_t *k, k_screen s);
/* The current screen's row. */
const k_screen_def *k_screen_row(const kiosk_t *k);
/* The part of id after prefix ("item:A1", "item:" -> "A1"), or NULL when id
 * does not start with it. */
const char *k_id_arg(const char *id, const char *prefix);
/* Re-reads the status bar's figures when older than a second, or now (force). */
void k_status_refresh(kiosk_t *k, bool force);
zc_datetime k_local_now(const kiosk_t *k);
int64_t k_epoch_now(const kiosk_t *k);
/* Parses k->entry as yuan into fen; false when empty or bad. */
bool k_entry_fen(const kiosk_t *k, zc_fen *out);
/* Applies a keypad key ("0".."9", "dot", "back", "clear") to k->entry. */
void k_entry_key(kiosk_t *k, const char *key, bool allow_dot);
/* Each typed character as a keypad key ('.' as "dot") into k->entry. */
void k_entry_text(kiosk_t *k, const char *text, bool allow_dot);
/* Applies a keypad key to a text field buf of size n: "back", "clear" or
 * appends the key itself. */
void k_field_key(char *buf, size_t n, const char *key);
/* Drops the last UTF-8 character of buf. */
void k_field_backspace(char *buf);

/* kiosk_view.c: layout helpers; s scales 1080p sizes to the screen */
struct k_view {
    ui_draw *d;
    int w, h;
    double s;
};
int kv(const k_view *v, int px); /* px at 1080p -> px here */
void k_draw_status(kiosk_t *k, const k_view *v);
/* A screen's title, large, top left under the status bar. */
void k_draw_title(const k_view *v, const char *text);
/* A 4x3 numeric keypad (ids prefix + "0".."9", "dot"/"clear", "back") in r. */
void k_draw_keypad(kiosk_t *k, const k_view *v, ui_rect r, const char *prefix, bool dot);
void k_draw_message(kiosk_t *k, const k_view *v, ui_rect r);
char *k_yuan(zc_fen f, char *buf, int n); /* "12.50" */
/* Words shared by the cashier's elder panel and the elder's own screen. */
/* "[低保] [独居]" for the cashier; for the elder's screen (customer) never a
 * hardship category: "高龄老人（80 岁以上）" or "". */
char *k_tiers_text(kiosk_t *k, const zc_elder *e, bool customer, char *buf, size_t n);
/* "本餐后今日还剩 0 次  本周还剩 4 次" for the quote's first applied rule; false
 * (buf "") when no rule applied or it has no count limits. */
bool k_uses_text(kiosk_t *k, char *buf, size_t n);
/* Why this meal gets no subsidy, in words, or false when it does.  With no
 * subsidised dish in the cart yet it is a neutral hint (*hint = true), not
 * a refusal: the elder may well be eligible. */
bool k_no_subsidy_text(kiosk_t *k, char *buf, size_t n, bool *hint);
char *k_sources_text(kiosk_t *k, const zc_quote *q, char *buf, size_t n); /* "区级 3.00，市级 2.00" */
/* "套餐A×1、米饭×2"; past max lines "套餐A×1、米饭×2 等 7 样" (a line across
 * the elder's screen that is never cut off) */
char *k_cart_text(kiosk_t *k, int max, char *buf, size_t n);

/* theme */
enum {
    K_BG = 0xF3F0E8,
    K_INK = 0x161616,
    K_MUTED = 0x5A5A5A,
    K_PANEL = 0xFFFFFF,
    K_LINE = 0x8A8A8A,
    K_PRIMARY = 0x17663A,
    K_PRIMARY_INK = 0xFFFFFF,
    K_DANGER = 0xA8201A,
    K_WARN = 0xF2C230,
    K_ELDER_BG = 0x0B2545,
    K_ELDER_INK = 0xFFFFFF,
    K_ELDER_PAY = 0xFFD54A,
    K_SELECTED = 0x1F4E8C,
};

/* kiosk_sell.c: the sale being built */
/* A card reader's line (card, ID number, QR token): the elder on the sale,
 * or the refusal modal saying why not.  On the done screen it starts the
 * next sale first. */
void k_sell_card(kiosk_t *k, const char *line);
/* Puts e on the sale and requotes (how: the message's lead, "刷卡成功"), and
 * asks the centre about e's meals elsewhere; a limit shows the modal. */
void k_select_elder(kiosk_t *k, const zc_elder *e, const char *how);
/* Commits the sale being built; on success opens the done screen, else
 * says the sale was not saved and stays. */
void k_sale_commit(kiosk_t *k, store_pay pay, zc_fen tendered, const char *ref);
/* Polls the centre's usage answer (on ticks) and requotes when it arrives. */
void k_usage_poll(kiosk_t *k);
const char *k_source_name(kiosk_t *k, const char *code);   /* district -> 区级 */
const char *k_category_name(kiosk_t *k, const char *code); /* dibao -> 低保 */
const char *k_period_name(kiosk_t *k, const char *id);     /* lunch -> 午餐 */
/* When the next subsidised meal starts today ("午餐 10:30 开始") into buf;
 * false (buf "") when none is left today or there is no policy. */
bool k_next_meal_text(kiosk_t *k, char *buf, size_t n);
/* The clock's meal period into buf ("" outside every window or without a
 * policy), whatever the cashier chose. */
void k_clock_period(kiosk_t *k, char *buf, size_t n);

/* Recomputes the quote after any change to the cart, the elder or the period. */
void k_requote(kiosk_t *k);

/* kiosk_sell_modal.c: the refusal and second-card modals over selling */
/* A tap while a modal is up goes to it (true: it was up; other widgets are
 * covered). */
bool k_modal_tap(kiosk_t *k, const char *id);
/* Escape cancels the modal that is up; false when none is. */
bool k_modal_escape(kiosk_t *k);
void k_modal_draw(kiosk_t *k, const k_view *v);

/* kiosk_login.c */
/* "收银员", "主管" or "管理员" in the screen's language (borrowed). */
const char *k_role_label(kiosk_t *k, store_role r);
/* The operator tiles again for a supervisor's PIN; what runs after it, and
 * where cancel returns. */
void k_auth_begin(kiosk_t *k, k_auth what, k_screen back);

/* kiosk_report.c: opens the reports on today; 返回 returns to back. */
void k_report_enter(kiosk_t *k, k_screen back);

/* kiosk_receipt.c: prints the stored sale sale_id as a first print or a
 * (audited) reprint.  Writes what happened, for the cashier, into msg;
 * true when the paper is out. */
bool k_print_sale(kiosk_t *k, const char *sale_id, bool reprint, char *msg, size_t n);

/* kiosk_keyboard.c: an 11 x 4 keyboard of digits, letters and . : / - _
 * in r.  Widget ids: K_ID_KB + the character ("kb:h", "kb:/"), "kb:shift",
 * "kb:back", "kb:clear". */
void k_draw_keyboard(kiosk_t *k, const k_view *v, ui_rect r);
/* Applies the key after K_ID_KB to the NUL-terminated buf of size n; true
 * when the key was one of the keyboard's. */
bool k_keyboard_key(kiosk_t *k, const char *key, char *buf, size_t n);

#endif
