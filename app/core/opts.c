/* opts.c - the command lines' option parser (opts.h). */
#include "opts.h"

#include <stdio.h>
#include <string.h>

int zc_opts_vfail(const char *prog, const char *fmt, va_list ap)
{
    fprintf(stderr, "%s: ", prog);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    return ZC_OPTS_FAIL;
}

int zc_opts_vusage(const char *prog, const char *usage, const char *fmt, va_list ap)
{
    fprintf(stderr, "%s: ", prog);
    vfprintf(stderr, fmt, ap);
    fprintf(stderr, "\n%s", usage);
    return ZC_OPTS_USAGE;
}

/* zc_opts_vusage with its arguments inline. */
static int usage_err(const char *prog, const char *usage, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static int usage_err(const char *prog, const char *usage, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int rc = zc_opts_vusage(prog, usage, fmt, ap);
    va_end(ap);
    return rc;
}

/* Does s hold a control character?  Arguments end up in the database and
 * in reports; a line break or an escape there hides or forges text. */
static bool has_control(const char *s)
{
    for (; *s; s++)
        if ((unsigned char)*s < 0x20 || *s == 0x7f)
            return true;
    return false;
}

int zc_opts_parse(const char *prog, int argc, char **argv, int first, const zc_opt *opts,
                  const char **pos, int maxpos, int *npos, const char *usage)
{
    *npos = 0;
    for (int i = first; i < argc; i++)
        if (has_control(argv[i]))
            return usage_err(prog, usage, "argument %d holds a control character (a line break, "
                             "tab or escape); arguments must be printable text", i);
    for (int i = first; i < argc; i++) {
        const char *a = argv[i];
        const zc_opt *o;
        if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
            fputs(usage, stdout);
            return ZC_OPTS_HELP;
        }
        if (strncmp(a, "--", 2) != 0 || a[2] == '\0') {
            if (*npos >= maxpos)
                return usage_err(prog, usage, "unexpected argument '%s'", a);
            pos[(*npos)++] = a;
            continue;
        }
        for (o = opts; o->name; o++)
            if (strcmp(o->name, a) == 0)
                break;
        if (!o->name)
            return usage_err(prog, usage, "unknown option '%s'", a);
        if (o->flag) {
            *o->flag = true;
        } else {
            if (i + 1 >= argc)
                return usage_err(prog, usage, "option %s needs a value", a);
            *o->val = argv[++i];
        }
    }
    return ZC_OPTS_OK;
}
