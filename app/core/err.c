/* err.c - formatting of the one error convention (see err.h). */
#include "err.h"

#include <stdarg.h>
#include <stdio.h>

int zc_errf(zc_err *e, int code, const char *fmt, ...)
{
    if (e) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(e->msg, sizeof e->msg, fmt, ap);
        va_end(ap);
    }
    return code;
}

const char *zc_strerror(int code)
{
    switch (code) {
    case ZC_OK: return "ok";
    case ZC_EINVAL: return "invalid input";
    case ZC_ENOMEM: return "out of memory";
    case ZC_EIO: return "input/output error";
    case ZC_ETOOBIG: return "too large";
    case ZC_ENOTFOUND: return "not found";
    case ZC_EREFUSED: return "refused";
    case ZC_EDB: return "database error";
    case ZC_EFULL: return "disk full";
    case ZC_ECONFLICT: return "conflict";
    case ZC_ELOCKED: return "locked";
    default: return "unknown error";
    }
}
