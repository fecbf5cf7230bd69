/* buf.h - a growable, NUL-terminated text buffer with a maximum (curl's
 * dynbuf idea).  Errors are sticky: after a failed append (past max, or out
 * of memory) further appends do nothing and `failed` stays set, so a writer
 * checks once at the end.  Used for canonical sale texts, the centre's
 * roster pages and the operators' HTML page. */
#ifndef ZC_BUF_H
#define ZC_BUF_H

#include <stdbool.h>
#include <stddef.h>

#include "err.h"

typedef struct zc_buf {
    char *p;     /* NUL-terminated text (owned); NULL until the first append */
    size_t len;  /* bytes in p */
    size_t cap;  /* bytes allocated */
    size_t max;  /* the most len may reach; 0 = as much as memory allows */
    bool failed; /* an append did not fit */
} zc_buf;

/* Empties b and sets its maximum (a zeroed zc_buf is an empty one without). */
void zc_buf_init(zc_buf *b, size_t max);
/* Frees the text and empties b; fine on a zeroed or taken buffer. */
void zc_buf_free(zc_buf *b);
/* Appends n bytes of s; false (sticky) when they do not fit. */
bool zc_buf_put(zc_buf *b, const char *s, size_t n);
/* Appends the string s. */
void zc_buf_text(zc_buf *b, const char *s);
/* Hands the text (never NULL unless failed; "" when nothing was appended)
 * to *out, owned by the caller (free()), with its length; b is empty
 * afterwards.  False, with b freed and *out NULL, when an append failed. */
bool zc_buf_take(zc_buf *b, char **out, size_t *len);

/* Reads the file at path whole, at most max bytes, into *out (owned,
 * NUL-terminated; free()) and its length into *n.  what names the kind of
 * file in messages ("policy"): cannot open (ZC_ENOTFOUND when missing,
 * else ZC_EIO), a read error (ZC_EIO), larger than max (ZC_ETOOBIG); each
 * message starts with the path. */
int zc_file_read(const char *path, size_t max, const char *what, char **out, size_t *n,
                 zc_err *err) ZC_MUST;

#endif
