/* buf.c - the growable text buffer of buf.h. */
#include "buf.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void zc_buf_init(zc_buf *b, size_t max)
{
    memset(b, 0, sizeof *b);
    b->max = max;
}

void zc_buf_free(zc_buf *b)
{
    size_t max = b->max;
    free(b->p);
    zc_buf_init(b, max);
}

/* Makes room for n more bytes and the NUL. */
static bool reserve(zc_buf *b, size_t n)
{
    if (b->failed)
        return false;
    if (b->max && (n > b->max || b->len > b->max - n)) {
        b->failed = true;
        return false;
    }
    if (b->len + n + 1 > b->cap) {
        size_t cap = b->cap ? b->cap : 4096;
        while (cap < b->len + n + 1)
            cap *= 2;
        char *p = realloc(b->p, cap);
        if (!p) {
            b->failed = true;
            return false;
        }
        b->p = p;
        b->cap = cap;
    }
    return true;
}

bool zc_buf_put(zc_buf *b, const char *s, size_t n)
{
    if (!reserve(b, n))
        return false;
    memcpy(b->p + b->len, s, n);
    b->len += n;
    b->p[b->len] = '\0';
    return true;
}

void zc_buf_text(zc_buf *b, const char *s)
{
    if (s)
        zc_buf_put(b, s, strlen(s));
}

bool zc_buf_take(zc_buf *b, char **out, size_t *len)
{
    *out = NULL;
    *len = 0;
    if (!b->failed && !b->p && reserve(b, 0))
        b->p[0] = '\0';
    if (b->failed) {
        zc_buf_free(b);
        return false;
    }
    *out = b->p;
    *len = b->len;
    b->p = NULL;
    zc_buf_free(b);
    return true;
}

int zc_file_read(const char *path, size_t max, const char *what, char **out, size_t *n, zc_err *err)
{
    int ret = ZC_OK;
    char *buf = NULL;
    FILE *f = fopen(path, "rb");
    *out = NULL;
    *n = 0;
    if (!f)
        return zc_errf(err, errno == ENOENT ? ZC_ENOTFOUND : ZC_EIO, "%s: cannot open the %s file (%s)",
                       path, what, strerror(errno));
    if (!(buf = malloc(max + 1))) {
        ret = zc_errf(err, ZC_ENOMEM, "%s: out of memory", path);
        goto out;
    }
    size_t got = fread(buf, 1, max + 1, f);
    if (ferror(f)) {
        ret = zc_errf(err, ZC_EIO, "%s: read error", path);
        goto out;
    }
    if (got > max) {
        ret = zc_errf(err, ZC_ETOOBIG, "%s: larger than %zu %s; a %s file is much smaller", path,
                      max >= (1u << 20) ? max >> 20 : max >> 10, max >= (1u << 20) ? "MiB" : "KiB",
                      what);
        goto out;
    }
    buf[got] = '\0';
    *out = buf;
    *n = got;
    buf = NULL;
out:
    free(buf);
    fclose(f);
    return ret;
}
