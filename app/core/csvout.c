/* csvout.c - the CSV writer of csvout.h. */
#include "csvout.h"

#include <errno.h>
#include <string.h>

static void put(zc_csvout *w, const char *s, size_t n)
{
    if (!w->failed && n && fwrite(s, 1, n, w->f) != n)
        w->failed = true;
}

static void sep(zc_csvout *w)
{
    if (w->col++ > 0)
        put(w, ",", 1);
}

void zc_csvout_begin(zc_csvout *w, FILE *f)
{
    w->f = f;
    w->col = 0;
    w->failed = false;
    put(w, "\xEF\xBB\xBF", 3);
}

void zc_csvout_str(zc_csvout *w, const char *s)
{
    if (!s)
        s = "";
    size_t n = strlen(s);
    bool formula = n && strchr("=+-@", s[0]);
    bool quote = formula || strpbrk(s, ",\"\r\n") || (n && (s[0] == ' ' || s[n - 1] == ' '));
    sep(w);
    if (!quote) {
        put(w, s, n);
        return;
    }
    put(w, "\"", 1);
    if (formula)
        put(w, "'", 1);
    for (const char *p = s; *p; p++) {
        if (*p == '"')
            put(w, "\"\"", 2);
        else
            put(w, p, 1);
    }
    put(w, "\"", 1);
}

void zc_csvout_int(zc_csvout *w, int64_t v)
{
    char buf[32];
    int n = snprintf(buf, sizeof buf, "%lld", (long long)v);
    sep(w);
    put(w, buf, (size_t)n);
}

void zc_csvout_yuan(zc_csvout *w, zc_fen v)
{
    char buf[32];
    zc_fen_fmt(v, buf, (int)sizeof buf);
    sep(w);
    put(w, buf, strlen(buf));
}

void zc_csvout_money(zc_csvout *w, zc_fen v)
{
    zc_csvout_int(w, v);
    zc_csvout_yuan(w, v);
}

void zc_csvout_row(zc_csvout *w)
{
    put(w, "\r\n", 2);
    w->col = 0;
}

int zc_csvout_finish(zc_csvout *w, const char *what, zc_err *err)
{
    if (!w->failed && (fflush(w->f) != 0 || ferror(w->f)))
        w->failed = true;
    if (w->failed)
        return zc_errf(err, ZC_EIO, "could not write %s (%s): is the disk full or removed?", what,
                       errno ? strerror(errno) : "write error");
    return ZC_OK;
}
