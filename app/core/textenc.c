/* textenc.c - UTF-8 or GB18030 text into UTF-8 (see textenc.h). */
#include "textenc.h"

#include <errno.h>
#include <iconv.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model.h"

/* GB18030 bytes in into a fresh UTF-8 buffer (*out, caller frees). */
static int from_gb18030(const char *path, const char *in, size_t n, char **out, size_t *len,
                        zc_err *err)
{
    int ret = ZC_OK;
    size_t cap = n * 2 + 1; /* a GBK character is 2 bytes, its UTF-8 3: at most 1.5x */
    char *buf = malloc(cap), *op = buf, *ip = (char *)in;
    size_t inleft = n, outleft = cap - 1;
    iconv_t cd = iconv_open("UTF-8", "GB18030");
    if (!buf) {
        ret = zc_errf(err, ZC_ENOMEM, "out of memory reading %s", path);
        goto out;
    }
    if (cd == (iconv_t)-1) {
        ret = zc_errf(err, ZC_EIO, "%s is not UTF-8 and GBK text cannot be read here (iconv: %s); "
                      "save it as \"CSV UTF-8\"", path, strerror(errno));
        goto out;
    }
    if (iconv(cd, &ip, &inleft, &op, &outleft) == (size_t)-1) {
        ret = zc_errf(err, ZC_EINVAL, "%s is neither UTF-8 nor GBK text (byte %zu); save it from "
                      "Excel as \"CSV UTF-8\" and try again", path, n - inleft + 1);
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

int zc_text_load_utf8(const char *path, char **out, size_t *len, bool *was_gbk, zc_err *err)
{
    int ret = ZC_OK;
    char *raw = NULL;
    size_t n = 0;
    FILE *f = fopen(path, "rb");
    *out = NULL;
    *len = 0;
    *was_gbk = false;
    if (!f)
        return zc_errf(err, ZC_EIO, "cannot open %s: %s", path, strerror(errno));
    if (!(raw = malloc(ZC_TEXT_MAX + 1))) {
        ret = zc_errf(err, ZC_ENOMEM, "out of memory reading %s", path);
        goto out;
    }
    n = fread(raw, 1, ZC_TEXT_MAX + 1, f);
    if (ferror(f)) {
        ret = zc_errf(err, ZC_EIO, "cannot read %s: %s", path, strerror(errno));
        goto out;
    }
    if (n > ZC_TEXT_MAX) {
        ret = zc_errf(err, ZC_ETOOBIG, "%s is larger than %zu MiB; split it", path,
                      ZC_TEXT_MAX >> 20);
        goto out;
    }
    if (memchr(raw, '\0', n)) {
        ret = zc_errf(err, ZC_EINVAL, "%s holds a NUL byte: it is not a text file (save it from "
                      "Excel as CSV)", path);
        goto out;
    }
    raw[n] = '\0';
    if (zc_utf8_valid(raw)) {
        *out = raw;
        *len = n;
        raw = NULL;
    } else {
        ret = from_gb18030(path, raw, n, out, len, err);
        *was_gbk = ret == ZC_OK;
    }
out:
    fclose(f);
    free(raw);
    return ret;
}
