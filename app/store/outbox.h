/* outbox.h - what the sync thread reads and writes in the terminal's
 * database to push: the outbox rows to send, the centre's answers, the sync
 * state kept in meta, and the daily closings (closing.c).
 *
 * Plain structs only: the protocol's JSON is built and read in app/sync.
 * Messages are worded for the sync thread (a busy database is "sync will
 * try again").  Every write is one transaction (BEGIN IMMEDIATE) that
 * applies whole or leaves nothing behind. */
#ifndef ZC_STORE_OUTBOX_H
#define ZC_STORE_OUTBOX_H

#include <stdbool.h>
#include <stdint.h>

#include "store.h"

/* Sets meta key only when its value differs (the sync writes its state often). */
int store_meta_put(store_t *st, const char *key, const char *value, zc_err *err) ZC_MUST;

/* One outbox row to send. */
typedef struct store_outbox_item {
    int64_t outbox_id;
    char sale_id[ZC_UUID_LEN];
    bool is_void;
} store_outbox_item;

/* The next rows to send, oldest first, into items (room for 2 * max):
 * up to max sales neither sent nor held, then up to max voids whose sale
 * the centre already acknowledged.  *nsales and *nvoids count them. */
int store_outbox_pending(store_t *st, int max, store_outbox_item *items, int *nsales, int *nvoids,
                         zc_err *err) ZC_MUST;

/* The void of a sale as the protocol sends it. */
typedef struct store_void_out {
    int64_t at_utc;
    char op[ZC_ID_MAX];
    char *reason; /* owned: store_void_out_free */
} store_void_out;
/* The void of sale id; ZC_EDB when the sale is not voided. */
int store_outbox_void(store_t *st, const char *id, store_void_out *out, zc_err *err) ZC_MUST;
void store_void_out_free(store_void_out *v); /* frees reason; NULL is fine */

/* The centre's answer for one outbox row. */
typedef enum store_ack_how {
    STORE_ACK_SENT,  /* stored or duplicate: sent at now */
    STORE_ACK_HELD,  /* refused: held = the centre's status, not sent again */
    STORE_ACK_RETRY, /* no usable answer: attempts + 1, sent again */
} store_ack_how;

typedef struct store_ack {
    int64_t outbox_id;
    store_ack_how how;
    char held[24];  /* STORE_ACK_HELD: the status */
    char why[300];  /* last_error (HELD, RETRY) */
} store_ack;

/* Records n answers in ONE transaction (what names it in messages); with
 * hold_orphans, voids whose sale is held are held too. */
int store_outbox_ack(store_t *st, const store_ack *a, int n, int64_t now, bool hold_orphans,
                     const char *what, zc_err *err) ZC_MUST;
/* Outbox rows not yet acknowledged, and of those the held ones. */
int store_outbox_unsent(store_t *st, long *unsent, long *held) ZC_MUST;
/* Whether a sale with this id is stored on this terminal. */
int store_sale_is_local(store_t *st, const char *sale_id, bool *yes) ZC_MUST;

/* ---- daily closings (closing.c) ---- */

#define STORE_CLOSING_SOURCES 16 /* by_source entries, by the protocol */
#define STORE_DATE_LEN 16

/* One date's summary as the terminal holds it. */
typedef struct store_closing {
    char date[STORE_DATE_LEN];
    int64_t gen;     /* the closing row's gen in the same snapshot */
    bool pending;    /* some sale or void of the date is not acknowledged yet */
    int64_t count, gross, subsidy, pay;
    struct {
        char source[ZC_CODE_MAX];
        int64_t fen;
    } src[STORE_CLOSING_SOURCES];
    int nsrc;
    int64_t last_seq; /* highest seq of the date, voided sales included */
    char chain_head[ZC_SHA256_HEX];
} store_closing;

/* The id of the newest closed shift (0 when none). */
int store_closing_shift(store_t *st, int64_t *id, zc_err *err) ZC_MUST;
/* Up to cap due dates, oldest first: changed since their last report, and
 * before today unless all. */
int store_closing_due(store_t *st, bool all, const char *today, char (*dates)[STORE_DATE_LEN], int cap,
                      int *n, zc_err *err) ZC_MUST;
/* The summary of date, from one snapshot of the database. */
int store_closing_summary(store_t *st, const char *date, store_closing *c, zc_err *err) ZC_MUST;
/* Records that the centre stored c (sent with by_source, its JSON text) at now. */
int store_closing_sent(store_t *st, const store_closing *c, const char *by_source, int64_t now,
                       zc_err *err) ZC_MUST;
/* Notes a failed try of date (best effort: the caller reports the failure). */
void store_closing_failed(store_t *st, const char *date, const char *why);

#endif
