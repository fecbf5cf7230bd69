/* report.h - the terminal's reports: a day or a month of sales by meal
 * period, by subsidy rule, by funding source and by day; the per-sale
 * subsidy ledger a claim is built from; the sales the centre has not
 * acknowledged or refused; and the shifts whose Z report (shift.h) can be
 * shown again.  The CLI (`zhucan report`) and the kiosk's 报表 screen read
 * the same numbers from here; app/till/report_fmt.h renders them.
 *
 * Voided sales never count in the sums: they are counted as voids.  Dates
 * are the sale's own local_date ('YYYY-MM-DD' in the terminal's zone), so a
 * day is what the canteen served that day whatever the clock does later. */
#ifndef ZC_STORE_REPORT_H
#define ZC_STORE_REPORT_H

#include "shift.h"
#include "store.h"

#define STORE_REPORT_MAX_DAYS 366  /* longest range one report covers */
#define STORE_REPORT_MAX_KEYS 16   /* periods, rules or sources in one report */

/* One row: the sales of a key (a period, a rule, a source, a day). */
typedef struct store_report_row {
    char key[ZC_ID_MAX]; /* period id, rule id, source code or 'YYYY-MM-DD' */
    long meals;          /* done sales */
    long voids;          /* voided sales */
    zc_fen gross;        /* done sales' bill */
    zc_fen subsidy;      /* done sales' subsidy (for a rule or source: that rule's or source's part) */
    zc_fen cash, mobile; /* what the elders paid, by method, done sales */
} store_report_row;

/* A day or a month (any range of whole dates up to STORE_REPORT_MAX_DAYS).
 * By rule and by source, a sale counts once under each key it has parts
 * of, so those rows' meals and gross do not add up to the total; their
 * subsidy does. */
typedef struct store_report {
    char from[11], to[11];   /* inclusive, 'YYYY-MM-DD' */
    store_report_row total;  /* key "" */
    store_report_row by_period[STORE_REPORT_MAX_KEYS];
    int nperiod;
    store_report_row by_rule[STORE_REPORT_MAX_KEYS];
    int nrule;
    store_report_row by_source[STORE_REPORT_MAX_KEYS];
    int nsource;
    store_report_row by_day[STORE_REPORT_MAX_DAYS]; /* every date of the range, empty ones too */
    int nday;
    int64_t first_seq, last_seq; /* of the range's sales, voided included; 0 when none */
} store_report;

/* Sums the sales dated from..to (inclusive) into *out (about 40 KB: heap or
 * static, caller owns).  ZC_EINVAL for a bad or reversed range or one longer
 * than STORE_REPORT_MAX_DAYS; ZC_ETOOBIG past STORE_REPORT_MAX_KEYS keys. */
int store_report_range(store_t *st, zc_date from, zc_date to, store_report *out,
                       zc_err *err) ZC_MUST;

/* The first and last date of d's month. */
void store_report_month(zc_date d, zc_date *first, zc_date *last);

/* One line of the subsidy ledger: one funding source's share of one rule
 * applied to one done sale. */
typedef struct store_ledger_line {
    int64_t seq;
    char sale_id[ZC_UUID_LEN];
    char local_time[20];         /* 'YYYY-MM-DD HH:MM' */
    char period[ZC_CODE_MAX];
    char elder_id[ZC_ID_MAX];
    char elder_masked[ZC_NAME_MAX]; /* 张*英 */
    char rule_id[ZC_ID_MAX];
    char source[ZC_CODE_MAX];
    zc_fen fen;
} store_ledger_line;

/* Calls fn for each ledger line of the done sales dated from..to, in seq
 * and part order; fn returning non-zero stops the walk with that code. */
int store_report_ledger(store_t *st, zc_date from, zc_date to,
                        int (*fn)(void *ctx, const store_ledger_line *l), void *ctx,
                        zc_err *err) ZC_MUST;

/* One outbox row the centre has not acknowledged. */
typedef struct store_unsent_row {
    int64_t seq;
    char sale_id[ZC_UUID_LEN];
    char kind[8];                /* sale | void */
    char local_time[20];
    zc_fen gross, subsidy;
    long attempts;
    char held[16];               /* "" waiting; conflict | rejected | unknown_sale: refused for good */
    char reason[256];            /* the centre's or the network's last word, "" when none */
} store_unsent_row;

/* Calls fn for each unacknowledged outbox row, oldest first; counts them
 * (held ones too) in *n and *held when not NULL. */
int store_report_unsent(store_t *st, int (*fn)(void *ctx, const store_unsent_row *r), void *ctx,
                        long *n, long *held, zc_err *err) ZC_MUST;

/* The shift with this id, or with id 0 the open one or else the last
 * closed; ZC_ENOTFOUND when there is none. */
int store_report_shift_get(store_t *st, int64_t id, store_shift *out, zc_err *err) ZC_MUST;
/* The ids of the newest shifts, newest first, up to cap. */
int store_report_shift_ids(store_t *st, int64_t *ids, int cap, int *n, zc_err *err) ZC_MUST;

#endif
