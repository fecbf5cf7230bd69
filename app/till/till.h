/* till.h - the terminal's use cases, shared by the command line and the kiosk.
 *
 * A till_t wraps one store connection plus the terminal's settings (reader
 * format, QR public key, canteen) and turns a reader line into an elder, a
 * cart spec into a cart, and (elder, cart, moment) into a quote or a sale.
 * It holds no SDL and no network: the UI and the sync worker sit on top. */
#ifndef ZC_TILL_H
#define ZC_TILL_H

#include "../core/card.h"
#include "../core/subsidy.h"
#include "../store/store.h"

typedef struct till till_t;

/* Opens the terminal database at path and loads its settings (and sets the
 * process time zone from meta "tz").  *out owned by caller (till_close). */
int till_open(const char *path, int store_flags, till_t **out, zc_err *err) ZC_MUST;
void till_close(till_t *t); /* NULL is fine */
/* Re-reads the settings (after `config set` or the settings screen). */
int till_reload(till_t *t, zc_err *err);
store_t *till_store(till_t *t);
const zc_canteen *till_canteen(const till_t *t);
zc_card_fmt till_card_format(const till_t *t);

/* Why a reader line did not identify a usable elder. */
typedef enum till_status {
    TILL_ID_OK = 0,
    TILL_ID_MALFORMED,      /* not a valid card number / ID number / token */
    TILL_ID_UNKNOWN,        /* valid, but nobody on the roster */
    TILL_ID_AMBIGUOUS,      /* a short card format matched several cards */
    TILL_ID_CARD_LOST,
    TILL_ID_CARD_BLOCKED,
    TILL_ID_CARD_EXPIRED,
    TILL_ID_CARD_NOT_YET,   /* before its valid_from */
    TILL_ID_ELDER_SUSPENDED,
    TILL_ID_ELDER_DECEASED,
    TILL_ID_QR_INVALID,     /* forged, garbled or expired QR token */
    TILL_ID_COUNT
} till_status;

typedef struct till_ident {
    till_status status;
    zc_input_kind kind;
    bool have_elder;   /* elder is filled (also for some refusals, to show who) */
    zc_elder elder;
    char card_uid[11]; /* hex10 when a card matched, else "" */
} till_ident;

/* Identifies whoever the reader line names on date `today`.
 * ZC_OK with status TILL_ID_OK, or ZC_EREFUSED / ZC_ENOTFOUND / ZC_EINVAL /
 * ZC_ECONFLICT with out->status and a cashier-readable message in err. */
int till_identify(till_t *t, const char *line, zc_date today, till_ident *out, zc_err *err) ZC_MUST;

/* Words for a status: lang "zh" or "en".  Static strings. */
const char *till_status_text(till_status s, const char *lang);
const char *till_status_code(till_status s); /* "card_lost" */
/* What the cashier should do next, in words for lang ("zh" | "en"). */
const char *till_status_advice(till_status s, const char *lang);

/* Builds a cart from "A1x2,S1,R1x3" using the menu.  Unknown codes,
 * inactive items, bad quantities (1..99) are ZC_EINVAL with the code named. */
int till_cart_parse(till_t *t, const char *spec, zc_cart *cart, zc_err *err) ZC_MUST;

/* What a quote is asked for (every pointer borrowed). */
typedef struct till_quote_req {
    const zc_elder *elder; /* NULL: public price */
    const zc_cart *cart;
    zc_datetime at;        /* the moment, local */
    const char *period;    /* cashier override or NULL */
    const zc_use *extra;   /* uses the centre reported from other canteens, or NULL */
    int nextra;
} till_quote_req;

/* Quotes without writing anything. */
int till_quote(till_t *t, const till_quote_req *req, zc_quote *q, zc_err *err) ZC_MUST;

/* A sale to commit: the quote's inputs, who sells and how it is paid. */
typedef struct till_sale_req {
    till_quote_req quote;    /* recomputed inside the sale's transaction */
    int64_t at_utc;          /* epoch seconds of quote.at */
    const char *operator_id;
    const char *card_uid;    /* hex10 when a card was tapped, or NULL */
    store_pay pay;
    const char *pay_ref;     /* mobile payment reference or NULL */
    zc_fen tendered_fen;     /* cash handed over (0 = exact/unknown) */
} till_sale_req;

typedef store_sale_res till_sale_res;

/* Commits a sale (store_sale_commit: one transaction, quote recomputed
 * inside it).  On any failure nothing was saved and err says so. */
int till_sale(till_t *t, const till_sale_req *req, till_sale_res *res, zc_err *err) ZC_MUST;

/* A void: the sale, the supervisor or admin who approved it, and why. */
typedef struct till_void_req {
    const char *sale_id;
    const char *operator_id;
    const char *reason;
} till_void_req;

/* Voids a done sale (store_sale_void: audited, queued for the centre, the
 * meal back in the elder's allowance). */
int till_void(till_t *t, const till_void_req *req, zc_err *err) ZC_MUST;

#endif
