/* textenc.h - files from Chinese Excel: UTF-8 (with or without a BOM) or
 * GBK/GB18030, told apart by content and turned into UTF-8.
 *
 * Excel on a Chinese Windows saves "CSV (逗号分隔)" in GBK and "CSV UTF-8"
 * with a byte-order mark; WPS does either.  Text that is valid UTF-8 is
 * taken as UTF-8 (GBK text of any length is almost never valid UTF-8);
 * anything else is converted from GB18030 (a superset of GBK) with iconv,
 * and refused if that fails too. */
#ifndef ZC_TEXTENC_H
#define ZC_TEXTENC_H

#include <stdbool.h>
#include <stddef.h>

#include "err.h"

#define ZC_TEXT_MAX ((size_t)4 << 20) /* a file read whole: 4 MiB at most */

/* in[0..n) as NUL-terminated UTF-8 in *out (caller frees; a BOM is kept)
 * and its length in *len; *was_gbk says whether it was converted.  A NUL
 * byte or bytes that are neither UTF-8 nor GB18030 are ZC_EINVAL, with
 * *bad_at (may be NULL) the 1-based offset of the first byte that could not
 * be read (0 for a NUL); ZC_EIO when this system cannot convert GBK.  what
 * names the text in messages. */
int zc_text_utf8(const char *what, const char *in, size_t n, char **out, size_t *len, bool *was_gbk,
                 size_t *bad_at, zc_err *err) ZC_MUST;

/* Reads the file at path whole (at most ZC_TEXT_MAX bytes) and returns it
 * as NUL-terminated UTF-8 in *out (caller frees), its length in *len, and
 * in *was_gbk whether it was converted.  A NUL byte in the file, a file too
 * large, or bytes that are neither UTF-8 nor GB18030 are errors naming the
 * file and what to do. */
int zc_text_load_utf8(const char *path, char **out, size_t *len, bool *was_gbk, zc_err *err) ZC_MUST;

#endif
