/* cstore_month.h - the month reads of the store interface (cstore.h's rule
 * holds: these are the only SQL behind creport*.c).  Kept in a header of
 * their own so the month reports can grow without touching cstore.h.
 *
 * A month is given as its first and last local dates ("YYYY-MM-DD"); a
 * sale belongs to the month of its local_date.  Rows are handed to a
 * callback one at a time; the row and its strings are borrowed for the call;
 * a callback returning non-zero stops the read with that code.  Voided
 * sales are counted in voids and left out of every other sum.  All functions
 * return ZC_OK or a negative ZC_E* code with err filled. */
#ifndef ZC_CENTRAL_CSTORE_MONTH_H
#define ZC_CENTRAL_CSTORE_MONTH_H

#include "cstore.h"

/* ---- settlement ---- */

/* One group of the claim: a canteen (source "") or a canteen's funding
 * source (name "", gross/pay/voids 0), or a day (canteen "", date set). */
typedef struct central_claim_row {
    char canteen[ZC_ID_MAX];
    char name[ZC_NAME_MAX];   /* the canteen's name (canteen rows) */
    char source[ZC_CODE_MAX]; /* funding source (source rows) */
    char date[16];            /* local date (day rows) */
    int64_t meals;            /* non-voided sales (with a part of source) */
    int64_t voids;            /* voided sales */
    zc_fen gross, subsidy, pay;
} central_claim_row;
typedef int (*central_claim_fn)(void *ctx, const central_claim_row *r);

/* Every canteen (canteen NULL) or the one, with its month's totals (zeros
 * when it sold nothing), by canteen id. */
int central_store_claim_canteens(central_store *st, const char *from, const char *to,
                                 const char *canteen, central_claim_fn fn, void *ctx,
                                 zc_err *err) ZC_MUST;
/* Per canteen and funding source: meals with a part from it, its fen. */
int central_store_claim_sources(central_store *st, const char *from, const char *to,
                                const char *canteen, central_claim_fn fn, void *ctx,
                                zc_err *err) ZC_MUST;
/* Per local date that has sales: meals and subsidy. */
int central_store_claim_days(central_store *st, const char *from, const char *to,
                             const char *canteen, central_claim_fn fn, void *ctx,
                             zc_err *err) ZC_MUST;

/* One subsidy part of a non-voided sale: the per-elder ledger. */
typedef struct central_ledger_row {
    char sale_id[ZC_ID_MAX];
    char time[24];            /* local "YYYY-MM-DD HH:MM" */
    char canteen[ZC_ID_MAX];
    char terminal[ZC_ID_MAX];
    char elder_id[ZC_ID_MAX];
    char elder_name[ZC_NAME_MAX]; /* full name ("" when not on the roster): mask it */
    char rule[ZC_ID_MAX];
    char source[ZC_CODE_MAX];
    zc_fen fen;
} central_ledger_row;
typedef int (*central_ledger_fn)(void *ctx, const central_ledger_row *r);
/* By elder, time, sale and part. */
int central_store_claim_ledger(central_store *st, const char *from, const char *to,
                               const char *canteen, central_ledger_fn fn, void *ctx,
                               zc_err *err) ZC_MUST;

/* ---- reconcile ---- */

/* A terminal's month as the centre holds it (its sales: by day, below). */
typedef struct central_term_month {
    char id[ZC_ID_MAX];
    char canteen[ZC_ID_MAX];
    int64_t closings;        /* closings with a date in the month */
    int64_t seq_before;      /* highest seq known before the month (held or closed), 0 none */
    int64_t seq_last;        /* highest seq known in the month (held or closed), 0 none */
    int64_t max_held;        /* highest seq held in the month, 0 none */
} central_term_month;
typedef int (*central_term_month_fn)(void *ctx, const central_term_month *t);
/* Every terminal, by id. */
int central_store_month_terminals(central_store *st, const char *from, const char *to,
                                  central_term_month_fn fn, void *ctx, zc_err *err) ZC_MUST;

/* One date of a terminal: its closing (if any) beside what the centre holds. */
typedef struct central_day_check {
    char date[16];
    bool closed;             /* the terminal sent a closing for the date */
    int64_t closing_count, held_count; /* non-voided sales */
    zc_fen closing_gross, held_gross, closing_subsidy, held_subsidy, closing_pay, held_pay;
    int64_t held_all;        /* sales held, voided ones included */
} central_day_check;
typedef int (*central_day_fn)(void *ctx, const central_day_check *d);
/* Every date of the month with a closing or a held sale of the terminal. */
int central_store_month_days(central_store *st, const char *terminal, const char *from,
                             const char *to, central_day_fn fn, void *ctx, zc_err *err) ZC_MUST;

/* Sequence numbers of the terminal in (after, upto] that the centre does not
 * hold, ascending: the first cap in out (*n of them), *total all of them. */
int central_store_missing_seqs(central_store *st, const char *terminal, int64_t after,
                               int64_t upto, int64_t *out, int cap, int *n, int64_t *total,
                               zc_err *err) ZC_MUST;

/* A conflict or a chain break of the terminal about a held sale of the month. */
typedef struct central_chain_row {
    char sale_id[ZC_ID_MAX];  /* conflicts: the sale id sent */
    char kind[16];            /* conflicts: same_id | same_seq; breaks: "" */
    int64_t at_utc;           /* received / detected */
    int64_t seq;              /* breaks: the seq whose prev does not chain */
    char expected[ZC_SHA256_HEX], got[ZC_SHA256_HEX];
    char reason[256];         /* refusals: why the centre refused the sale */
    int64_t times;            /* refusals: how often it was sent and refused */
} central_chain_row;
typedef int (*central_chain_fn)(void *ctx, const central_chain_row *r);
int central_store_month_conflicts(central_store *st, const char *terminal, const char *from,
                                  const char *to, central_chain_fn fn, void *ctx,
                                  zc_err *err) ZC_MUST;
int central_store_month_breaks(central_store *st, const char *terminal, const char *from,
                               const char *to, central_chain_fn fn, void *ctx, zc_err *err) ZC_MUST;
/* Sales of the terminal dated in the month that the centre refused (and
 * does not hold since), by seq: sale_id, seq, reason, times, at_utc (last). */
int central_store_month_refused(central_store *st, const char *terminal, const char *from,
                                const char *to, central_chain_fn fn, void *ctx, zc_err *err) ZC_MUST;

/* ---- anomalies ---- */

/* A non-voided sale of the month, with what an anomaly row names. */
typedef struct central_month_sale {
    char id[ZC_ID_MAX];
    char terminal[ZC_ID_MAX];
    char canteen[ZC_ID_MAX];
    char op[ZC_ID_MAX];
    char elder[ZC_ID_MAX];
    char card[16];
    char local_time[24];
    char local_date[16];
    char period[ZC_CODE_MAX];
    char policy[ZC_ID_MAX];
    char policy_version[ZC_ID_MAX];
    zc_fen subsidy;
    char flag_kind[32];       /* central_store_month_flags: the flag */
    char detail[400];         /* ... and its detail */
} central_month_sale;
typedef int (*central_month_sale_fn)(void *ctx, const central_month_sale *s);

/* The flags on the month's non-voided sales, by date, sale and kind. */
int central_store_month_flags(central_store *st, const char *from, const char *to,
                              central_month_sale_fn fn, void *ctx, zc_err *err) ZC_MUST;
/* The month's non-voided sales of the meal programme (an elder or a
 * subsidy), by local time and id. */
int central_store_month_elder_sales(central_store *st, const char *from, const char *to,
                                    central_month_sale_fn fn, void *ctx, zc_err *err) ZC_MUST;

/* A card used at another canteen within window seconds before a sale. */
typedef struct central_card_pair {
    central_month_sale later;  /* the month's sale */
    char earlier_id[ZC_ID_MAX];
    char earlier_canteen[ZC_ID_MAX];
    char earlier_time[24];
    int64_t gap_s;             /* seconds between the two (created_utc) */
    int64_t later_utc, earlier_utc; /* their created_utc: the real times */
} central_card_pair;
typedef int (*central_card_pair_fn)(void *ctx, const central_card_pair *p);
/* Each non-voided card sale of the month with the latest non-voided sale of
 * the same card at another canteen at most window seconds earlier (at the
 * same moment: the smaller id counts as earlier), by time. */
int central_store_card_pairs(central_store *st, const char *from, const char *to, int64_t window,
                             central_card_pair_fn fn, void *ctx, zc_err *err) ZC_MUST;

/* Sales and voids per cashier (canteen + operator) of the month. */
typedef struct central_cashier_row {
    char canteen[ZC_ID_MAX];
    char op[ZC_ID_MAX];
    int64_t sales;            /* voided ones included */
    int64_t voids;
} central_cashier_row;
typedef int (*central_cashier_fn)(void *ctx, const central_cashier_row *r);
int central_store_month_cashiers(central_store *st, const char *from, const char *to,
                                 central_cashier_fn fn, void *ctx, zc_err *err) ZC_MUST;

/* The query plan SQLite chooses for each month read, one line per step, in
 * out (for the benchmark and the tests that the indexes are used). */
int central_store_month_plans(central_store *st, char *out, size_t n, zc_err *err) ZC_MUST;

#endif
