/* pinyin.h - the pinyin initials of a Chinese name (张秀英 -> "ZXY"), for
 * finding an elder by hand on a screen without an input method. */
#ifndef ZC_PINYIN_H
#define ZC_PINYIN_H

#include <stddef.h>

#include "err.h"

typedef struct zc_pinyin zc_pinyin;

/* Opens the converter (iconv UTF-8 -> GB18030).  *out owned by the caller
 * (zc_pinyin_free); ZC_EIO when the system has no such converter. */
int zc_pinyin_open(zc_pinyin **out, zc_err *err) ZC_MUST;
void zc_pinyin_free(zc_pinyin *p); /* NULL is fine */

/* The initials of name into out (capitals; an ASCII letter or digit stays
 * itself, upper-cased; a character it cannot place is '?').  Returns
 * out; a name longer than n - 1 initials is cut. */
char *zc_pinyin_initials(zc_pinyin *p, const char *name, char *out, size_t n);

#endif
