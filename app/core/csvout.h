/* csvout.h - writes CSV that Excel and WPS open correctly with Chinese
 * text: UTF-8 with a byte-order mark, CRLF line ends, RFC 4180 quoting, and
 * numbers that never depend on the locale (fen as integers, yuan as
 * "12.50").  Both the terminal's and the centre's reports use it.
 *
 * Errors are sticky: every call after a failed write does nothing, and
 * zc_csvout_finish reports the first failure. */
#ifndef ZC_CSVOUT_H
#define ZC_CSVOUT_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "err.h"
#include "money.h"

typedef struct zc_csvout {
    FILE *f;     /* borrowed; not closed */
    int col;     /* fields written on the current row */
    bool failed; /* a write failed */
} zc_csvout;

/* Starts a CSV document on f; writes the UTF-8 byte-order mark first. */
void zc_csvout_begin(zc_csvout *w, FILE *f);
/* One text field, quoted when it holds a comma, a quote, a line break or
 * leading/trailing space; text starting with = + - @ (a spreadsheet
 * formula) is prefixed with an apostrophe so that it stays text. */
void zc_csvout_str(zc_csvout *w, const char *s);
/* One integer field (fen, counts, sequence numbers). */
void zc_csvout_int(zc_csvout *w, int64_t v);
/* One money field in yuan with two decimals: 1250 -> "12.50". */
void zc_csvout_yuan(zc_csvout *w, zc_fen v);
/* An amount as the reports write it: two fields, fen then yuan. */
void zc_csvout_money(zc_csvout *w, zc_fen v);
/* Ends the current row (CRLF). */
void zc_csvout_row(zc_csvout *w);
/* Flushes f; ZC_EIO with a message naming what (e.g. "the ledger CSV")
 * when any write failed (a full disk, a pulled USB stick). */
int zc_csvout_finish(zc_csvout *w, const char *what, zc_err *err) ZC_MUST;

#endif
