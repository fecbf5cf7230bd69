/* opts.h - the option parser of both command lines (`zhucan COMMAND` and
 * `zhucan-central COMMAND`): long options only, each a flag or taking one
 * value, positional arguments in between.
 *
 * Each front end keeps its program name for the messages ("zhucan: ...")
 * and its own exit-code names; the codes themselves are these. */
#ifndef ZC_CORE_OPTS_H
#define ZC_CORE_OPTS_H

#include <stdarg.h>
#include <stdbool.h>

/* Exit codes (the contract scripts rely on): 0 success; 1 refused or bad
 * input, with a message on stderr; 2 usage error.  ZC_OPTS_HELP is internal:
 * --help was shown, the command exits 0. */
enum { ZC_OPTS_OK = 0, ZC_OPTS_FAIL = 1, ZC_OPTS_USAGE = 2, ZC_OPTS_HELP = 3 };

/* One option: "--db" with an argument stored in *val, or a flag in *flag. */
typedef struct zc_opt {
    const char *name;
    const char **val; /* non-NULL: takes an argument (borrowed from argv) */
    bool *flag;       /* non-NULL: a flag */
} zc_opt;

/* Parses argv[first..] against opts (terminated by a NULL name); at most
 * maxpos positional arguments go to pos (borrowed from argv).  --help or -h
 * prints usage to stdout and returns ZC_OPTS_HELP; an unknown option, a
 * missing value or one positional argument too many prints
 * "<prog>: <why>" and the usage to stderr and returns ZC_OPTS_USAGE; so does
 * an argument holding a control character (nothing unprintable is stored). */
int zc_opts_parse(const char *prog, int argc, char **argv, int first, const zc_opt *opts,
                  const char **pos, int maxpos, int *npos, const char *usage);

/* Prints "<prog>: <msg>" to stderr; returns ZC_OPTS_FAIL. */
int zc_opts_vfail(const char *prog, const char *fmt, va_list ap)
    __attribute__((format(printf, 2, 0)));
/* Prints "<prog>: <msg>" and the usage text to stderr; returns ZC_OPTS_USAGE. */
int zc_opts_vusage(const char *prog, const char *usage, const char *fmt, va_list ap)
    __attribute__((format(printf, 3, 0)));

#endif
