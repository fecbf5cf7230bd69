/* csv.h - a bounded RFC 4180 reader (roster files, on the terminal and the centre).
 *
 * Reads one record at a time from a FILE: comma-separated fields, fields
 * optionally in double quotes (a doubled quote inside is one quote; commas
 * inside quotes are data), records ended by LF or CRLF, a UTF-8 byte-order
 * mark at the very start skipped, blank lines skipped.  A record longer
 * than ZC_CSV_MAX_LINE bytes or with more than ZC_CSV_MAX_FIELDS fields,
 * or holding a control character in its data (a NUL would cut a field
 * short unseen; a line break inside quotes, a tab or an escape would hide
 * text in a name), is an error for that record only: the reader skips to
 * its end and carries on with the next. */
#ifndef ZC_CORE_CSV_H
#define ZC_CORE_CSV_H

#include <stdbool.h>
#include <stdio.h>

#include "err.h"

#define ZC_CSV_MAX_LINE 4096
#define ZC_CSV_MAX_FIELDS 64

typedef struct zc_csv {
    FILE *f;
    unsigned char buf[65536];            /* read-ahead from f */
    size_t pos, len;                     /* unread bytes are buf[pos..len) */
    bool started;                        /* the BOM check is done */
    bool eof;                            /* f returned EOF */
    bool ioerr;                          /* f returned an error */
    long line;                           /* physical line of the next byte (from 1) */
    long rec_line;                       /* line the current record starts on */
    char rec[ZC_CSV_MAX_LINE + 1];    /* the record's fields, each NUL-terminated */
    char *field[ZC_CSV_MAX_FIELDS];   /* pointers into rec */
    int nfields;
} zc_csv;

/* Prepares c to read f (borrowed; not closed). c is large: allocate it. */
void zc_csv_init(zc_csv *c, FILE *f);

/* Reads the next non-blank record into c->field / c->nfields / c->rec_line.
 * Returns 1 for a record, 0 at the end of input, ZC_EINVAL for a malformed
 * or too long record (err says why; c->rec_line names it; the next call
 * reads the following record), ZC_EIO when the file cannot be read. */
int zc_csv_next(zc_csv *c, zc_err *err);

#endif
