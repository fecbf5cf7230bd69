/* shift.h - cashier shifts, the Z report, and the recent-sales list.
 *
 * A shift opens with a cash float counted by the cashier and closes with a
 * cash count; the Z report compares the cash the till expects (float + cash
 * sales - cash voids) with what was counted, and sums the shift's sales by
 * payment method and the subsidy by funding source. */
#ifndef ZC_STORE_SHIFT_H
#define ZC_STORE_SHIFT_H

#include "store.h"

#define SHIFT_MAX_SOURCES 8

typedef struct store_shift {
    int64_t id;
    char operator_id[ZC_ID_MAX];
    int64_t opened_utc, closed_utc; /* closed_utc 0 while open */
    zc_fen float_fen;               /* cash in the drawer at opening */
    zc_fen counted_fen;             /* cash counted at closing */
} store_shift;

typedef struct store_zreport {
    store_shift shift;
    long sales, voids, elders;      /* done sales, voided sales, sales with an elder */
    zc_fen gross, subsidy, pay;     /* over done sales */
    zc_fen cash, mobile;            /* paid by method, done sales */
    zc_fen cash_expected;           /* float + cash */
    struct {
        char source[ZC_CODE_MAX];
        long parts;
        zc_fen fen;
    } by_source[SHIFT_MAX_SOURCES];
    int nsources;
    int64_t first_seq, last_seq;    /* 0 when no sales */
} store_zreport;

/* The open shift (ZC_ENOTFOUND when none is open). */
int store_shift_current(store_t *st, store_shift *out, zc_err *err) ZC_MUST;
/* Opens a shift; ZC_ECONFLICT when one is already open. Audited. */
int store_shift_open(store_t *st, const char *operator_id, zc_fen float_fen, int64_t now_utc,
                     store_shift *out, zc_err *err) ZC_MUST;
/* Computes the Z report of a shift (open or closed) at now_utc. */
int store_shift_report(store_t *st, const store_shift *sh, int64_t now_utc, store_zreport *out,
                       zc_err *err) ZC_MUST;
/* Closes the open shift with the counted cash and returns its Z report. Audited. */
int store_shift_close(store_t *st, const char *operator_id, zc_fen counted_fen, int64_t now_utc,
                      store_zreport *out, zc_err *err) ZC_MUST;

/* One row of the recent-sales list. */
typedef struct store_sale_row {
    char id[ZC_UUID_LEN];
    int64_t seq;
    char local_time[20];          /* "YYYY-MM-DD HH:MM" */
    char operator_id[ZC_ID_MAX];
    char elder_id[ZC_ID_MAX];     /* "" for public-price sales */
    char elder_name[ZC_NAME_MAX]; /* full name; mask before showing to the public */
    zc_fen gross, subsidy, pay;
    char pay_method[12];          /* cash | mobile */
    bool voided;
    bool sent;                    /* acknowledged by the centre */
} store_sale_row;

/* The newest sales first, up to cap. */
int store_sale_recent(store_t *st, store_sale_row *out, int cap, int *n, zc_err *err) ZC_MUST;

#endif
