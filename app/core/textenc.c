/* textenc.c - UTF-8 or GB18030 text into UTF-8 (see textenc.h). */
#include "textenc.h"
#include "buf.h"

#include <errno.h>
#include <iconv.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model.h"

/* GB18030 bytes in into a fresh UTF-8 buffer (*out, caller frees). */
static int from_gb18030(const char *what, const char *in, size_t n, char **out, size_t *len,
                        size_t *bad_at, zc_err *err)
{
    int ret = ZC_OK;
    size_t cap = n * 2 + 1; /* a GBK character is 2 bytes, its UTF-8 3: at most 1.5x */
    char *buf = malloc(cap), *op = buf, *ip = (char *)in;
    size_t inleft = n, outleft = cap - 1;
    iconv_t cd = iconv_open("UTF-8", "GB18030");
    if (!buf) {
        ret = zc_errf(err, ZC_ENOMEM, "out of memory reading %s", what);
        goto out;
    }
    if (cd == (iconv_t)-1) {
        ret = zc_errf(err, ZC_EIO, "%s is not UTF-8 and GBK text cannot be read here (iconv: %s); "
                      "save it as \"CSV UTF-8\"", what, strerror(errno));
        goto out;
    }
    if (iconv(cd, &ip, &inleft, &op, &outleft) == (size_t)-1) {
        *bad_at = n - inleft + 1;
        ret = zc_errf(err, ZC_EINVAL, "%s is neither UTF-8 nor GBK text (byte %zu); save it from "
                      "Excel as \"CSV UTF-8\" and try again", what, *bad_at);
        goto out;
    }
    *op = '\0';
    *len = (size_t)(op - buf);
    *out = buf;
    buf = NULL;
out:
    if (cd != (iconv_t)-1)
        iconv_close(cd);
    free(buf);
    return ret;
}

int zc_text_utf8(const char *what, const char *in, size_t n, char **out, size_t *len, bool *was_gbk,
                 size_t *bad_at, zc_err *err)
{
    size_t ignore;
    char *copy;
    int ret;
    *out = NULL;
    *len = 0;
    *was_gbk = false;
    if (!bad_at)
        bad_at = &ignore;
    *bad_at = 0;
    if (memchr(in, '\0', n))
        return zc_errf(err, ZC_EINVAL, "%s holds a NUL byte: it is not a text file (save it from "
                       "Excel as CSV)", what);
    if (!(copy = malloc(n + 1)))
        return zc_errf(err, ZC_ENOMEM, "out of memory reading %s", what);
    memcpy(copy, in, n);
    copy[n] = '\0';
    if (zc_utf8_valid(copy)) {
        *out = copy;
        *len = n;
        return ZC_OK;
    }
    free(copy);
    ret = from_gb18030(what, in, n, out, len, bad_at, err);
    *was_gbk = ret == ZC_OK;
    return ret;
}

int zc_text_load_utf8(const char *path, char **out, size_t *len, bool *was_gbk, zc_err *err)
{
    char *raw = NULL;
    size_t n = 0;
    *out = NULL;
    *len = 0;
    *was_gbk = false;
    int ret = zc_file_read(path, ZC_TEXT_MAX, "text", &raw, &n, err);
    if (ret == ZC_OK)
        ret = zc_text_utf8(path, raw, n, out, len, was_gbk, NULL, err);
    free(raw);
    return ret;
}
