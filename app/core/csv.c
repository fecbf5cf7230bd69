/* csv.c - the bounded RFC 4180 reader described in csv.h.
 *
 * A byte-at-a-time state machine over a 64 KiB read-ahead buffer: fast
 * enough for a million-row roster, and every record is bounded, so a file
 * with a missing quote fails on one record with a clear message instead of
 * swallowing the rest of the file into one field. */
#include "csv.h"

#include <stddef.h>
#include <string.h>

enum { S_START, S_PLAIN, S_QUOTED, S_QUOTE_END };

static int refill(zc_csv *c)
{
    if (c->eof || c->ioerr)
        return -1;
    c->len = fread(c->buf, 1, sizeof c->buf, c->f);
    c->pos = 0;
    if (c->len == 0) {
        if (ferror(c->f))
            c->ioerr = true;
        else
            c->eof = true;
        return -1;
    }
    return 0;
}

static inline int getb(zc_csv *c)
{
    if (c->pos == c->len && refill(c) < 0)
        return -1;
    return c->buf[c->pos++];
}

static inline int peekb(zc_csv *c)
{
    if (c->pos == c->len && refill(c) < 0)
        return -1;
    return c->buf[c->pos];
}

void zc_csv_init(zc_csv *c, FILE *f)
{
    memset(c, 0, offsetof(zc_csv, rec));
    c->f = f;
    c->line = 1;
    c->rec[0] = '\0';
}

/* Consumes the rest of a physical line after an error. */
static void skip_line(zc_csv *c)
{
    int ch;
    while ((ch = getb(c)) >= 0) {
        if (ch == '\n') {
            c->line++;
            return;
        }
    }
}

/* Ends a line at ch ('\n' or '\r', CRLF taken as one). */
static void end_line(zc_csv *c, int ch)
{
    if (ch == '\r' && peekb(c) == '\n')
        c->pos++;
    c->line++;
}

int zc_csv_next(zc_csv *c, zc_err *err)
{
    if (!c->started) {
        c->started = true;
        if (c->pos == c->len)
            (void)refill(c);
        if (c->len - c->pos >= 3 && memcmp(c->buf + c->pos, "\xEF\xBB\xBF", 3) == 0)
            c->pos += 3;
    }
    for (;;) {
        size_t n = 0;
        int state = S_START, nf = 1, ch;
        bool toolong = false, many = false;
        int ctl = -1; /* the first control character in the data */
        const char *bad = NULL;
        c->rec_line = c->line;
        c->field[0] = c->rec;
        if ((ch = getb(c)) < 0)
            return c->ioerr ? zc_errf(err, ZC_EIO, "the roster file could not be read") : 0;
        for (;; ch = getb(c)) {
            if (ch < 0) {
                if (state == S_QUOTED)
                    bad = "a quoted field is not closed: a \" is missing before the end of the file";
                break;
            }
            if (state == S_QUOTED) {
                if (ch == '"') {
                    state = S_QUOTE_END;
                    continue;
                }
                if (ch == '\n')
                    c->line++;
            } else if (ch == ',') {
                if (n < ZC_CSV_MAX_LINE)
                    c->rec[n++] = '\0';
                else
                    toolong = true;
                if (nf == ZC_CSV_MAX_FIELDS)
                    many = true;
                else
                    c->field[nf++] = c->rec + n;
                state = S_START;
                continue;
            } else if (ch == '\n' || ch == '\r') {
                end_line(c, ch);
                break;
            } else if (state == S_QUOTE_END) {
                if (ch != '"') {
                    bad = "text after the closing quote of a field; quote the whole field";
                    skip_line(c);
                    break;
                }
                state = S_QUOTED; /* a doubled quote: one literal quote */
            } else if (ch == '"') {
                if (state == S_START) {
                    state = S_QUOTED;
                    continue;
                }
                bad = "a quote inside a field that does not start with one; put the whole field "
                      "in quotes and double the inner quote";
                skip_line(c);
                break;
            } else {
                state = S_PLAIN;
            }
            if ((ch < 0x20 || ch == 0x7f) && ctl < 0)
                ctl = ch; /* a NUL would silently cut the field short; others hide text */
            if (n < ZC_CSV_MAX_LINE)
                c->rec[n++] = (char)ch;
            else
                toolong = true;
        }
        c->rec[n] = '\0';
        c->nfields = nf;
        if (c->ioerr)
            return zc_errf(err, ZC_EIO, "the roster file could not be read");
        if (bad)
            return zc_errf(err, ZC_EINVAL, "%s", bad);
        if (toolong)
            return zc_errf(err, ZC_EINVAL, "the record is longer than %d bytes; shorten it (or a "
                           "quote is missing)", ZC_CSV_MAX_LINE);
        if (many)
            return zc_errf(err, ZC_EINVAL, "the record has more than %d fields",
                           ZC_CSV_MAX_FIELDS);
        if (ctl == 0)
            return zc_errf(err, ZC_EINVAL, "the record contains a NUL byte, so the file is not "
                           "text; save it again as UTF-8 CSV");
        if (ctl > 0)
            return zc_errf(err, ZC_EINVAL, "a field contains the control character 0x%02x (a tab "
                           "or a line break inside quotes, perhaps); remove it", (unsigned)ctl);
        if (nf == 1 && n == 0 && state == S_START)
            continue; /* blank line */
        return 1;
    }
}
