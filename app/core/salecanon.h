/* salecanon.h - the canonical text "zhucan-sale-v1" of a sale, and its hash.
 *
 * Pure: a sale as a plain struct in, its text and SHA-256 out.  The terminal
 * chains its sales with this hash and the central service recomputes it on
 * every sale it receives, so the text never changes; another form would be
 * "zhucan-sale-v2".  The format (one "key=value\n" line per field, lines,
 * rules sorted by rule id bytewise, parts, then prev) is documented at the top
 * of app/store/sale.c and in docs/sync-protocol.md.
 *
 * Text values escape the bytes below 0x20, 0x7f, '\\' and '|' as \xHH (two
 * lower-case hex digits); every other byte is copied. */
#ifndef ZC_SALECANON_H
#define ZC_SALECANON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "buf.h"
#include "err.h"
#include "model.h"
#include "secure.h"
#include "subsidy.h"

#define ZC_SALE_PAY_REF_MAX 128 /* longest payment reference (bytes) */
#define ZC_ZERO_HASH "0000000000000000000000000000000000000000000000000000000000000000"

/* One applied rule as the sale records it (what later limits count against). */
typedef struct zc_sale_rule {
    char rule[ZC_ID_MAX];     /* rule id */
    char key[ZC_ID_MAX];      /* limit key (the rule id when the rule names none) */
    char period[ZC_CODE_MAX]; /* meal period of the sale, "" outside every window */
    char date[16];            /* local date "YYYY-MM-DD" */
    zc_fen fen;
} zc_sale_rule;

/* Everything the sale hash covers.  Strings are NUL-terminated. */
typedef struct zc_sale_doc {
    char id[ZC_ID_MAX];               /* UUID */
    int64_t seq;                      /* gap-free per terminal, from 1 */
    char terminal[ZC_ID_MAX];
    char canteen[ZC_ID_MAX];
    char op[ZC_ID_MAX];               /* operator id */
    char elder[ZC_ID_MAX];            /* "" for a public-price sale */
    char card[16];                    /* 10 upper-case hex digits, or "" */
    int64_t created_utc;              /* epoch seconds */
    char local_time[24];              /* "YYYY-MM-DD HH:MM" */
    char period[ZC_CODE_MAX];
    char policy[ZC_ID_MAX];
    char policy_version[ZC_ID_MAX];
    zc_fen gross, subsidy, pay, tendered;
    char pay_method[8];               /* "cash" or "mobile" */
    char pay_ref[ZC_SALE_PAY_REF_MAX + 1];
    zc_line lines[ZC_MAX_LINES];      /* line_no = index + 1 */
    int nlines;
    zc_sale_rule rules[ZC_MAX_RULES]; /* any order: the text sorts them */
    int nrules;
    zc_part parts[ZC_MAX_PARTS];      /* part_no = index + 1 */
    int nparts;
    char prev[ZC_SHA256_HEX];         /* hash of seq-1, ZC_ZERO_HASH for seq 1 */
} zc_sale_doc;

/* Canonical texts are written into a zc_buf (buf.h) without a maximum:
 * zero-initialise; zc_canon_hash / zc_salecanon_* report a failed append. */
typedef zc_buf zc_canon;

/* Appends a text value, escaping as described above. */
void zc_canon_text(zc_canon *b, const char *s);
void zc_canon_num(zc_canon *b, int64_t v);
/* "key=<escaped value>\n" and "key=<decimal>\n". */
void zc_canon_kv(zc_canon *b, const char *key, const char *v);
void zc_canon_kn(zc_canon *b, const char *key, int64_t v);
/* Lower-case hex SHA-256 of the text, then frees b.  ZC_ENOMEM when an
 * append had failed (out is then ""). */
int zc_canon_hash(zc_canon *b, char out[ZC_SHA256_HEX]) ZC_MUST;

/* The canonical text of d.  On success *text is owned by the caller (free())
 * and *len is its length without the NUL.  ZC_EINVAL for counts out of range,
 * ZC_ENOMEM.  d is not changed (rules are sorted in the text only). */
int zc_salecanon_text(const zc_sale_doc *d, char **text, size_t *len, zc_err *err) ZC_MUST;
/* SHA-256 (lower-case hex) of the canonical text of d. */
int zc_salecanon_hash(const zc_sale_doc *d, char out[ZC_SHA256_HEX], zc_err *err) ZC_MUST;

#endif
