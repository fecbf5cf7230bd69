/* err.h - the one error convention of Zhucan.
 *
 * Functions that can fail return ZC_OK (0) or a negative ZC_E* code and are
 * marked ZC_MUST.  When a person could have caused the failure, the function
 * also fills a caller-owned zc_err (may be NULL) with a sentence that names
 * what was wrong and what to do about it. */
#ifndef ZC_ERR_H
#define ZC_ERR_H

#include <stddef.h>

#define ZC_MUST __attribute__((warn_unused_result))

enum {
    ZC_OK = 0,
    ZC_EINVAL = -1,    /* malformed input: bad file, bad argument */
    ZC_ENOMEM = -2,    /* allocation failed */
    ZC_EIO = -3,       /* file or device error */
    ZC_ETOOBIG = -4,   /* input exceeds a bound */
    ZC_ENOTFOUND = -5, /* no such card, elder, item, policy ... */
    ZC_EREFUSED = -6,  /* valid input, but the rules say no (lost card ...) */
    ZC_EDB = -7,       /* database error */
    ZC_EFULL = -8,     /* disk full */
    ZC_ECONFLICT = -9, /* conflicting data (duplicate, ambiguous) */
    ZC_ELOCKED = -10,  /* operator locked out / database busy */
};

/* A human-readable message, filled on failure.  Caller owns it. */
typedef struct zc_err {
    char msg[320];
} zc_err;

/* Formats into e (if non-NULL) and returns code, so callers can write
 * `return zc_errf(err, ZC_EINVAL, "...", ...);`. */
int zc_errf(zc_err *e, int code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Short English name of a code ("invalid input", "not found" ...). Static string. */
const char *zc_strerror(int code);

#endif
