/* money.h - money is integer fen (1 yuan = 100 fen), everywhere. */
#ifndef ZC_MONEY_H
#define ZC_MONEY_H

#include <stdint.h>

#include "err.h"

typedef int64_t zc_fen;

#define ZC_FEN_MAX ((zc_fen)100000000000) /* 1e9 yuan: any bigger input is an error */

/* Parses a yuan amount: "12", "12.5", "12.50", "0.05".  Rejects signs,
 * more than two decimals, garbage and amounts above ZC_FEN_MAX. */
int zc_fen_parse(const char *s, zc_fen *out) ZC_MUST;
/* Formats as yuan with two decimals, "-3.05" for negatives. Returns buf. */
char *zc_fen_fmt(zc_fen f, char *buf, int n);

/* floor(a * num / den) for non-negative a, without overflow for money sizes. */
zc_fen zc_fen_muldiv(zc_fen a, int64_t num, int64_t den);

#endif
