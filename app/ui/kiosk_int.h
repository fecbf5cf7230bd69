/* kiosk_int.h - the kiosk's state, shared by its screen files only.
 *
 * kiosk.c        events in, sounds out, timers, dump
 * kiosk_view.c   theme, status bar, keypads, shared widgets
 * kiosk_sell.c   selling, the elder panel, refusals, payment, done
 * kiosk_admin.c  login, PIN pad, shifts, recent sales and voids, manual look-up, settings
 * kiosk_receipt.c  first prints and reprints of stored sales
 * kiosk_keyboard.c the on-screen keyboard for the settings' text fields
 * kiosk_report.c   the supervisor's reports and their export (kiosk_report_view.c draws them)
 * kiosk_customer.c the elder's view on a second display (kiosk_draw_customer)
 * kiosk_recover.c  a damaged database: refuse to sell, restore a backup */
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

typedef enum k_screen {
    K_LOGIN = 0,  /* operator tiles */
    K_PIN,        /* PIN pad for pin_op, then pin_next */
    K_SHIFT_OPEN, /* opening cash float */
    K_SELL,
    K_PAY_CASH,
    K_PAY_MOBILE,
    K_DONE,
    K_RECENT,
    K_VOID_REASON,
    K_LOOKUP,
    K_SHIFT_CLOSE,
    K_ZREPORT,
    K_SETTINGS,
    K_REPORT,     /* supervisor reports: day, month, shift */
    K_EXPORT,     /* pick a folder (a USB stick) and write the CSVs */
    K_RECOVER,    /* the database is damaged: no till, only restoring a backup */
    K_SCREEN_COUNT
} k_screen;

/* What a supervisor PIN unlocks. */
typedef enum k_auth {
    K_AUTH_LOGIN = 0, /* plain login of pin_op */
    K_AUTH_LOOKUP,    /* manual elder look-up */
    K_AUTH_VOID,      /* void of sel_id */
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
    } status;

    /* the centre's answer about the elder's uses at other canteens */
    bool usage_pending;
    int64_t usage_deadline_ms;
    zc_use extra[K_MAX_EXTRA];
    int nextra;
    bool quit;

    k_screen scr;
    char msg[400];       /* a line for the cashier under the main area */
    bool msg_error;

    /* operators and login */
    store_operator ops[K_MAX_OPS];
    int nops;
    bool logged_in;
    store_operator op;   /* who is selling */
    char pin_op[ZC_ID_MAX];
    char pin[12];
    k_auth auth;
    k_screen auth_back;  /* where cancel goes */
    char auth_by[ZC_ID_MAX]; /* the supervisor who approved */

    /* menu */
    store_item menu[K_MAX_ITEMS];
    int nmenu;
    char cats[K_MAX_CATS][ZC_CODE_MAX];
    int ncats, cat;

    /* the sale being built */
    zc_cart cart;
    bool have_elder;
    till_ident ident;
    char period[ZC_CODE_MAX]; /* cashier override, "" = clock */
    zc_quote quote;
    bool quote_ok;
    char quote_err[320];

    /* refusal overlay on the sell screen */
    bool refusal;
    till_status refusal_status;
    char refusal_msg[320];
    till_ident refused;  /* who it was, when known */

    /* numeric entry (cash tendered, floats, counts, PINs, look-up) */
    char entry[K_ENTRY_MAX];
    char text[256];      /* typed text (mobile reference, look-up by name, settings) */

    /* the last committed sale */
    store_sale_res done;
    zc_fen done_tendered;
    store_pay done_pay;
    int64_t done_until_ms;
    char print_msg[320];

    /* recent sales: reprint or void the selected one */
    store_sale_row recent[K_MAX_RECENT];
    int nrecent;
    char sel_id[ZC_UUID_LEN]; /* the selected sale, "" = none */

    /* manual look-up */
    zc_elder found[K_MAX_FOUND];
    int nfound;

    /* shift */
    bool have_shift;
    store_shift shift;
    store_zreport z;

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

    /* settings being edited (k->text holds the new value) */
    char set_key[24];
    bool kb_upper;       /* the on-screen keyboard shows capitals */

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
void k_goto(kiosk_t *k, k_screen s);
/* Re-reads the status bar's figures when older than a second, or now (force). */
void k_status_refresh(kiosk_t *k, bool force);
zc_datetime k_local_now(const kiosk_t *k);
int64_t k_epoch_now(const kiosk_t *k);
/* Parses k->entry as yuan into fen; false when empty or bad. */
bool k_entry_fen(const kiosk_t *k, zc_fen *out);
/* Applies a keypad key ("0".."9", "dot", "back", "clear") to k->entry. */
void k_entry_key(kiosk_t *k, const char *key, bool allow_dot);

/* kiosk_view.c: layout helpers; s scales 1080p sizes to the screen */
typedef struct k_view {
    ui_draw *d;
    int w, h;
    double s;
} k_view;
int kv(const k_view *v, int px); /* px at 1080p -> px here */
void k_draw_status(kiosk_t *k, const k_view *v);
/* A 4x3 numeric keypad (ids prefix + "0".."9", "dot"/"clear", "back") in r. */
void k_draw_keypad(kiosk_t *k, const k_view *v, ui_rect r, const char *prefix, bool dot);
void k_draw_message(kiosk_t *k, const k_view *v, ui_rect r);
char *k_yuan(zc_fen f, char *buf, int n); /* "12.50" */
/* Words shared by the cashier's elder panel and the elder's own screen. */
char *k_tiers_text(kiosk_t *k, const zc_elder *e, char *buf, size_t n); /* "[低保] [独居]" */
/* "本餐后今日还剩 0 次  本周还剩 4 次" for the quote's first applied rule; false
 * (buf "") when no rule applied or it has no count limits. */
bool k_uses_text(kiosk_t *k, char *buf, size_t n);
/* Why this meal gets no subsidy, in words, or false when it does.  With no
 * subsidised dish in the cart yet it is a neutral hint (*hint = true), not
 * a refusal: the elder may well be eligible. */
bool k_no_subsidy_text(kiosk_t *k, char *buf, size_t n, bool *hint);
char *k_sources_text(kiosk_t *k, const zc_quote *q, char *buf, size_t n); /* "区级 3.00，市级 2.00" */
char *k_cart_text(const kiosk_t *k, char *buf, size_t n);                /* "套餐A×1、米饭×2" */

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

/* kiosk_sell.c */
void k_sell_enter(kiosk_t *k);
void k_requote(kiosk_t *k);
void k_sell_clear(kiosk_t *k);
void k_sell_card(kiosk_t *k, const char *line);
bool k_sell_tap(kiosk_t *k, const char *id);
void k_sell_key(kiosk_t *k, int key);
void k_sell_text(kiosk_t *k, const char *text);
void k_sell_draw(kiosk_t *k, const k_view *v);
void k_select_elder(kiosk_t *k, const zc_elder *e, const char *how);
/* Polls the centre's usage answer (on ticks) and requotes when it arrives. */
void k_usage_poll(kiosk_t *k);
const char *k_source_name(kiosk_t *k, const char *code);   /* district -> 区级 */
const char *k_category_name(kiosk_t *k, const char *code); /* dibao -> 低保 */
const char *k_period_name(kiosk_t *k, const char *id);     /* lunch -> 午餐 */
/* True when the item is sold in the current meal period (or sold all day). */
bool k_item_on_sale(kiosk_t *k, const store_item *it);
/* kiosk_sell_view.c */

/* kiosk_admin.c */
void k_admin_start(kiosk_t *k);
bool k_admin_tap(kiosk_t *k, const char *id);
void k_admin_key(kiosk_t *k, int key);
void k_admin_text(kiosk_t *k, const char *text);
void k_admin_draw(kiosk_t *k, const k_view *v);
/* "收银员", "主管" or "管理员" in the screen's language (borrowed). */
const char *k_role_label(kiosk_t *k, store_role r);
void k_auth_begin(kiosk_t *k, k_auth what, k_screen back);

/* kiosk_report.c */
/* Opens the reports on today; back returns to the screen `back`. */
void k_report_enter(kiosk_t *k, k_screen back);
bool k_report_tap(kiosk_t *k, const char *id);
/* kiosk_report_view.c */
void k_report_draw(kiosk_t *k, const k_view *v);

/* The settings an admin can change, in screen order. */
typedef struct k_setting {
    const char *key;   /* meta key: "server_url" */
    const char *label; /* Chinese label, translated with TR */
    bool text;         /* typed on the keyboard; false: each tap cycles the value */
} k_setting;
extern const k_setting k_settings[];
extern const int k_nsettings;
const k_setting *k_setting_find(const char *key);

/* kiosk_receipt.c: prints the stored sale sale_id as a first print or a
 * (audited) reprint.  Writes what happened, for the cashier, into msg;
 * true when the paper is out. */
bool k_print_sale(kiosk_t *k, const char *sale_id, bool reprint, char *msg, size_t n);

/* kiosk_keyboard.c: an 11 x 4 keyboard of digits, letters and . : / - _
 * in r.  Widget ids: "kb:" + the character ("kb:h", "kb:/"), "kb:shift",
 * "kb:back", "kb:clear". */
void k_draw_keyboard(kiosk_t *k, const k_view *v, ui_rect r);
/* Applies the key after "kb:" to the NUL-terminated buf of size n; true
 * when the key was one of the keyboard's. */
bool k_keyboard_key(kiosk_t *k, const char *key, char *buf, size_t n);

/* kiosk_recover.c: k->rec.db set; finds the backup and its supervisors */
void k_recover_start(kiosk_t *k);
void k_recover_event(kiosk_t *k, const kiosk_ev *ev);
void k_recover_draw(kiosk_t *k, const k_view *v);

#endif
