/* sale_load.h - one committed sale read back from the terminal's store.
 *
 * What a reprint needs: the sale's header (number, time, operator, elder,
 * payment), its lines and its subsidy parts, with each part's rule name
 * taken from the policy version the sale was quoted with.  Read-only: it
 * never changes the sale, its hash chain or the outbox. */
#ifndef ZC_STORE_SALE_LOAD_H
#define ZC_STORE_SALE_LOAD_H

#include "../core/salecanon.h"
#include "store.h"

/* One sold line as stored. */
typedef struct store_sale_line {
    char code[ZC_ID_MAX];
    char name[ZC_NAME_MAX];
    zc_fen unit_fen;
    int qty;
    bool eligible;
} store_sale_line;

/* One funding source's share of one applied rule. */
typedef struct store_sale_part {
    char rule_id[ZC_ID_MAX];
    char rule_name[ZC_NAME_MAX]; /* from the sale's policy version; the id when unknown */
    char source[ZC_CODE_MAX];    /* city, district, town, operator ... */
    zc_fen fen;
} store_sale_part;

/* About 22 KB: allocate it, or keep it off small stacks. */
typedef struct store_sale_full {
    char id[ZC_UUID_LEN];
    int64_t seq;
    char terminal_id[ZC_ID_MAX];
    char operator_id[ZC_ID_MAX];
    char operator_name[ZC_NAME_MAX]; /* "" when the operator is gone */
    char elder_id[ZC_ID_MAX];        /* "" for a public-price sale */
    char elder_name[ZC_NAME_MAX];    /* full name; mask before showing it to the public */
    int64_t created_utc;
    char local_time[20];             /* "YYYY-MM-DD HH:MM" */
    char period[ZC_CODE_MAX];
    char policy_id[ZC_ID_MAX], policy_version[ZC_ID_MAX];
    zc_fen gross, subsidy, pay;
    zc_fen tendered;                 /* cash handed over; 0 = exact or not cash */
    char pay_method[12];             /* cash | mobile */
    char pay_ref[ZC_SALE_PAY_REF_MAX + 1];
    bool voided;
    store_sale_line lines[ZC_MAX_LINES];
    int nlines;
    store_sale_part parts[ZC_MAX_PARTS];
    int nparts;
} store_sale_full;

/* Fills out with the sale sale_id.  ZC_ENOTFOUND (err names the id) when
 * there is no such sale; ZC_EDB etc. on database errors.  A sale with more
 * lines or parts than fit is ZC_ETOOBIG (the store never writes one). */
int store_sale_load(store_t *st, const char *sale_id, store_sale_full *out, zc_err *err) ZC_MUST;

/* The sale id exactly as stored and hashed (the document its hash covers,
 * rules by rule id bytewise) and its stored hash: what the outbox sends.
 * ZC_EDB naming the id when there is no such sale. */
int store_sale_doc(store_t *st, const char *id, zc_sale_doc *d, char hash[ZC_SHA256_HEX],
                   zc_err *err) ZC_MUST;

/* The time (epoch seconds) of the newest sale by sequence number; *utc = 0
 * when there is none.  The kiosk warns when the clock is hours behind it. */
int store_sale_last_utc(store_t *st, int64_t *utc) ZC_MUST;

#endif
