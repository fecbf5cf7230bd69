/* args.c - the CLI's front on the shared option parser (core/opts.h): its
 * program name in every message. */
#include "cli.h"

#define PROG "zhucan"

int cli_fail(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int rc = zc_opts_vfail(PROG, fmt, ap);
    va_end(ap);
    return rc;
}

int cli_usage(const char *usage, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int rc = zc_opts_vusage(PROG, usage, fmt, ap);
    va_end(ap);
    return rc;
}

int cli_parse(int argc, char **argv, int first, const zc_opt *opts, const char **pos, int maxpos,
              int *npos, const char *usage)
{
    return zc_opts_parse(PROG, argc, argv, first, opts, pos, maxpos, npos, usage);
}
