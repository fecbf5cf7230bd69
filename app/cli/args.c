/* args.c - a small option parser for the subcommands (long options only). */
#include "cli.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

int cli_fail(const char *fmt, ...)
{
    va_list ap;
    fputs("zhucan: ", stderr);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
    return CLI_FAIL;
}

int cli_usage(const char *usage, const char *fmt, ...)
{
    va_list ap;
    fputs("zhucan: ", stderr);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fprintf(stderr, "\n%s", usage);
    return CLI_USAGE;
}

int cli_parse(int argc, char **argv, int first, const cli_opt *opts, const char **pos, int maxpos,
              int *npos, const char *usage)
{
    *npos = 0;
    for (int i = first; i < argc; i++) {
        const char *a = argv[i];
        const cli_opt *o;
        if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
            fputs(usage, stdout);
            return CLI_HELP;
        }
        if (strncmp(a, "--", 2) != 0 || a[2] == '\0') {
            if (*npos >= maxpos)
                return cli_usage(usage, "unexpected argument '%s'", a);
            pos[(*npos)++] = a;
            continue;
        }
        for (o = opts; o->name; o++)
            if (strcmp(o->name, a) == 0)
                break;
        if (!o->name)
            return cli_usage(usage, "unknown option '%s'", a);
        if (o->flag) {
            *o->flag = true;
        } else {
            if (i + 1 >= argc)
                return cli_usage(usage, "option %s needs a value", a);
            *o->val = argv[++i];
        }
    }
    return CLI_OK;
}
