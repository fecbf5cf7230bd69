/* receipt.c - receipt layout as ESC/POS bytes, and non-blocking printing.
 *
 * Layout happens in UTF-8, line by line, with every column position worked
 * out in printer columns; each finished line is converted to GB18030 with
 * iconv straight into the caller's buffer.  On a Chinese thermal printer in
 * Chinese mode (FS &) a single-byte character takes one column and every
 * two-byte GB character two, so "printed width" is simply 1 for ASCII and 2
 * for anything else - this is also right for ·, × and full-width
 * punctuation, which wcwidth() would call narrow but the printer prints
 * wide.  Centring is done with spaces rather than ESC a, so the byte stream
 * alone shows where everything lands (and the tests can check it).
 *
 * Commands used (Epson ESC/POS as implemented by Xprinter, GPrinter, HPRT):
 *   ESC @      initialise              ESC t 0   code table PC437 (ASCII half)
 *   FS &       Chinese character mode  GS ! n    ASCII character size
 *   FS ! n     Chinese character size  ESC d n   print and feed n lines
 *   GS V 1     partial cut */
#include "receipt.h"

#include <errno.h>
#include <fcntl.h>
#include <iconv.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "../core/names.h"

#define LINE_MAX_BYTES 1024 /* one printed line in UTF-8 (64 columns of 3-byte chars, and slack) */
#define SAVED_HINT "the sale is saved, reprint later from 最近交易"

/* The output being built: caller's buffer plus the converter. */
typedef struct out {
    char *buf;
    size_t cap, len;
    iconv_t cd;
    bool full; /* something did not fit */
    bool bad;  /* iconv refused text (cannot happen after clean()) */
} out;

static void raw(out *o, const char *bytes, size_t n)
{
    if (o->full || n > o->cap - o->len) {
        o->full = true;
        return;
    }
    memcpy(o->buf + o->len, bytes, n);
    o->len += n;
}

/* Appends UTF-8 text converted to GB18030. */
static void text(out *o, const char *s)
{
    char *in = (char *)s, *outp;
    size_t inleft = strlen(s), outleft;
    if (o->full)
        return;
    outp = o->buf + o->len;
    outleft = o->cap - o->len;
    if (iconv(o->cd, &in, &inleft, &outp, &outleft) == (size_t)-1) {
        if (errno == E2BIG)
            o->full = true;
        else
            o->bad = true;
    }
    o->len = (size_t)(outp - o->buf);
}

static void nl(out *o) { raw(o, "\n", 1); }

/* Length of the UTF-8 sequence at s (1..4), or 0 when it is not well formed. */
static int u8len(const unsigned char *s)
{
    unsigned cp;
    int n;
    if (s[0] < 0x80)
        return 1;
    if (s[0] >= 0xC2 && s[0] <= 0xDF)
        n = 2, cp = s[0] & 0x1F;
    else if (s[0] >= 0xE0 && s[0] <= 0xEF)
        n = 3, cp = s[0] & 0x0F;
    else if (s[0] >= 0xF0 && s[0] <= 0xF4)
        n = 4, cp = s[0] & 0x07;
    else
        return 0;
    for (int i = 1; i < n; i++) {
        if ((s[i] & 0xC0) != 0x80)
            return 0; /* also stops at the NUL terminator */
        cp = (cp << 6) | (s[i] & 0x3F);
    }
    if ((n == 3 && (cp < 0x800 || (cp >= 0xD800 && cp <= 0xDFFF))) ||
        (n == 4 && (cp < 0x10000 || cp > 0x10FFFF)))
        return 0;
    if (cp >= 0x80 && cp <= 0x9F)
        return -n; /* C1 control: the caller blanks it */
    return n;
}

/* Copies in to dst (size n) as printable UTF-8: control characters become
 * spaces (a name must not carry printer commands), malformed bytes '?'. */
static void clean(const char *in, char *dst, size_t n)
{
    const unsigned char *s = (const unsigned char *)in;
    size_t o = 0;
    if (n == 0)
        return;
    while (s && *s) {
        int k = u8len(s);
        if (k == 1 && (*s < 0x20 || *s == 0x7F)) {
            k = -1;
        }
        if (k <= 0) {
            size_t skip = k < 0 ? (size_t)-k : 1;
            if (o + 1 >= n)
                break;
            dst[o++] = k < 0 ? ' ' : '?';
            s += skip;
            continue;
        }
        if (o + (size_t)k >= n)
            break;
        memcpy(dst + o, s, (size_t)k);
        o += (size_t)k;
        s += k;
    }
    dst[o] = '\0';
}

/* Printed width of clean UTF-8: ASCII 1 column, anything else 2. */
static int cols(const char *s)
{
    int w = 0;
    for (const unsigned char *p = (const unsigned char *)s; *p; p++)
        if (*p < 0x80)
            w++;
        else if ((*p & 0xC0) != 0x80)
            w += 2;
    return w;
}

/* Copies the longest prefix of s (clean UTF-8) that fits max columns into
 * dst (size n).  Returns the number of bytes of s consumed. */
static size_t fit(const char *s, int max, char *dst, size_t n)
{
    size_t i = 0;
    int w = 0;
    while (s[i]) {
        int k = u8len((const unsigned char *)s + i);
        int cw = k == 1 ? 1 : 2;
        if (k <= 0)
            k = 1;
        if (w + cw > max || i + (size_t)k >= n)
            break;
        w += cw;
        i += (size_t)k;
    }
    memcpy(dst, s, i);
    dst[i] = '\0';
    return i;
}

/* Appends spaces until the line (UTF-8 in line/len) is `to` columns wide. */
static void pad(char *line, size_t cap, int from, int to)
{
    size_t len = strlen(line);
    while (from < to && len + 1 < cap) {
        line[len++] = ' ';
        from++;
    }
    line[len] = '\0';
}

/* Emits s wrapped at w columns, each piece indented by `indent` spaces. */
static void wrap(out *o, const char *s, int w, int indent)
{
    char piece[LINE_MAX_BYTES], line[LINE_MAX_BYTES];
    do {
        size_t used = fit(s, w - indent, piece, sizeof piece);
        if (used == 0)
            used = strlen(s); /* cannot happen for w >= 2; avoid looping */
        line[0] = '\0';
        pad(line, sizeof line, 0, indent);
        snprintf(line + strlen(line), sizeof line - strlen(line), "%s", piece);
        text(o, line);
        nl(o);
        s += used;
    } while (*s);
}

/* "left ....... right" on one line of w columns; when both do not fit,
 * left wraps on its own lines and right goes right-aligned below. */
static void lr(out *o, int w, const char *left, const char *right)
{
    char line[LINE_MAX_BYTES];
    int lw = cols(left), rw = cols(right);
    if (lw + 1 + rw <= w || (lw == 0 && rw <= w)) {
        snprintf(line, sizeof line, "%s", left);
        pad(line, sizeof line, lw, w - rw);
        snprintf(line + strlen(line), sizeof line - strlen(line), "%s", right);
        text(o, line);
        nl(o);
        return;
    }
    if (lw > 0)
        wrap(o, left, w, 0);
    if (rw > w)
        wrap(o, right, w, 0);
    else if (rw > 0)
        lr(o, w, "", right);
}

/* s centred in w columns (wrapped when longer). */
static void center(out *o, int w, const char *s)
{
    char piece[LINE_MAX_BYTES], line[LINE_MAX_BYTES];
    while (*s) {
        size_t used = fit(s, w, piece, sizeof piece);
        if (used == 0)
            break;
        line[0] = '\0';
        pad(line, sizeof line, 0, (w - cols(piece)) / 2);
        snprintf(line + strlen(line), sizeof line - strlen(line), "%s", piece);
        text(o, line);
        nl(o);
        s += used;
    }
}

static void rule(out *o, int w)
{
    char line[80];
    memset(line, '-', (size_t)w);
    line[w] = '\0';
    text(o, line);
    nl(o);
}

/* s right-aligned in w columns, into dst (for table cells). */
static void cell(char *dst, size_t n, const char *s, int w)
{
    dst[0] = '\0';
    pad(dst, n, cols(s), w);
    snprintf(dst + strlen(dst), n - strlen(dst), "%s", s);
}

static const char *yuan(zc_fen f, char *buf, int n) { return zc_fen_fmt(f, buf, n); }

/* A code and its Chinese word on paper. */
typedef struct code_word {
    const char *code, *zh;
} code_word;

static const code_word METHODS[] = {
    {"cash", "现金"},       {"mobile", "移动支付"}, {"wechat", "微信支付"}, {"alipay", "支付宝"},
    {"unionpay", "银联"},   {"card", "刷卡"},       {"account", "账户余额"}, {"free", "无需支付"},
    {NULL, NULL},
};

/* Chinese word for a code from a table, or the code itself (cleaned into dst). */
static const char *word_of(const code_word *t, const char *code, char *dst, size_t n)
{
    for (; t->code; t++)
        if (strcmp(t->code, code) == 0)
            return t->zh;
    clean(code, dst, n);
    return dst;
}

/* A funding source's short label, or its code (cleaned into dst). */
static const char *source_word(const char *code, char *dst, size_t n)
{
    const char *zh = zc_source_name(code, ZC_SOURCE_SHORT);
    if (zh)
        return zh;
    clean(code, dst, n);
    return dst;
}

/* The money must add up before anything is printed. */
static int check(const receipt_t *r, int w, zc_err *err)
{
    char a[32], b[32], c[32];
    zc_fen sum = 0, sub = 0;
    if (w < 24 || w > 64)
        return zc_errf(err, ZC_EINVAL, "printer width %d is not supported (use 32 for 58 mm or "
                       "48 for 80 mm paper in 设置)", w);
    if (r->nlines < 0 || r->nlines > ZC_MAX_LINES || r->nparts < 0 ||
        r->nparts > RECEIPT_MAX_PARTS)
        return zc_errf(err, ZC_EINVAL, "receipt has %d lines and %d subsidy parts; too many",
                       r->nlines, r->nparts);
    for (int i = 0; i < r->nlines; i++) {
        const receipt_line *l = &r->lines[i];
        if (l->qty < 1 || l->qty > 999 || l->unit_fen < 0 || l->unit_fen > ZC_FEN_MAX ||
            l->line_fen != l->unit_fen * l->qty)
            return zc_errf(err, ZC_EINVAL, "receipt line %d (%.40s) does not add up; not printed",
                           i + 1, l->name);
        sum += l->line_fen;
    }
    for (int i = 0; i < r->nparts; i++) {
        if (r->parts[i].fen < 0 || r->parts[i].fen > ZC_FEN_MAX)
            return zc_errf(err, ZC_EINVAL, "receipt subsidy %d is out of range; not printed", i + 1);
        sub += r->parts[i].fen;
    }
    if (sum != r->gross)
        return zc_errf(err, ZC_EINVAL, "receipt lines add up to %s, not the total %s; not printed",
                       yuan(sum, a, sizeof a), yuan(r->gross, b, sizeof b));
    if (r->pay < 0 || r->gross - sub != r->pay)
        return zc_errf(err, ZC_EINVAL,
                       "receipt does not add up: total %s - subsidy %s is not %s; not printed",
                       yuan(r->gross, a, sizeof a), yuan(sub, b, sizeof b),
                       yuan(r->pay, c, sizeof c));
    if (r->tendered < 0 || r->change < 0 || (r->tendered == 0 && r->change != 0) ||
        (r->tendered > 0 && r->tendered - r->pay != r->change))
        return zc_errf(err, ZC_EINVAL,
                       "receipt cash does not add up: received %s, to pay %s, change %s; not "
                       "printed",
                       yuan(r->tendered, a, sizeof a), yuan(r->pay, b, sizeof b),
                       yuan(r->change, c, sizeof c));
    return ZC_OK;
}

/* The item table: header and one row (or two) per line. */
static void items(out *o, const receipt_t *r, int w)
{
    const int qw = 4, uw = w >= 48 ? 9 : 7, aw = w >= 48 ? 10 : 8;
    char q[32], u[32], a[32], right[160], name[ZC_NAME_MAX], cq[48], cu[48], ca[48];
    cell(cq, sizeof cq, "数量", qw);
    cell(cu, sizeof cu, "单价", uw);
    cell(ca, sizeof ca, "金额", aw);
    snprintf(right, sizeof right, "%s %s %s", cq, cu, ca);
    lr(o, w, "品名", right);
    for (int i = 0; i < r->nlines; i++) {
        const receipt_line *l = &r->lines[i];
        snprintf(q, sizeof q, "%d", l->qty);
        cell(cq, sizeof cq, q, qw);
        cell(cu, sizeof cu, yuan(l->unit_fen, u, sizeof u), uw);
        cell(ca, sizeof ca, yuan(l->line_fen, a, sizeof a), aw);
        snprintf(right, sizeof right, "%s %s %s", cq, cu, ca);
        clean(l->name, name, sizeof name);
        lr(o, w, name, right);
    }
}

int receipt_escpos(const receipt_t *r, int w, char *buf, size_t cap, size_t *len, zc_err *err)
{
    int rc = ZC_OK;
    out o = {buf, cap, 0, (iconv_t)-1, false, false};
    char s1[LINE_MAX_BYTES], s2[LINE_MAX_BYTES], word[ZC_NAME_MAX], money[32];
    zc_fen sub = 0;
    if (len)
        *len = 0;
    if (!r || !buf || !len)
        return zc_errf(err, ZC_EINVAL, "receipt_escpos: bad arguments");
    if ((rc = check(r, w, err)) != ZC_OK)
        return rc;
    o.cd = iconv_open("GB18030", "UTF-8");
    if (o.cd == (iconv_t)-1) {
        rc = zc_errf(err, ZC_EIO, "cannot convert text for the printer (iconv GB18030: %s)",
                     strerror(errno));
        goto out;
    }

    /* init, ASCII code table, Chinese mode */
    raw(&o, "\x1b@\x1bt\x00\x1c&", 7);

    /* header: double width and height for both halves, w/2 columns */
    raw(&o, "\x1d!\x11\x1c!\x0c", 6);
    clean(r->canteen[0] ? r->canteen : "助餐小票", s1, sizeof s1);
    center(&o, w / 2, s1);
    raw(&o, "\x1d!\x00\x1c!\x00", 6);
    if (r->reprint)
        center(&o, w, "*** 补打小票 ***");

    clean(r->terminal, word, sizeof word);
    snprintf(s2, sizeof s2, "终端 %s", word);
    snprintf(s1, sizeof s1, "流水号 %lld", (long long)r->seq);
    lr(&o, w, s2, s1);
    if (zc_date_is_set(r->at.date))
        lr(&o, w, "时间", zc_datetime_fmt(r->at, s1, sizeof s1));
    if (r->operator_name[0]) {
        clean(r->operator_name, s1, sizeof s1);
        lr(&o, w, "收银员", s1);
    }
    if (r->uuid[0]) {
        /* a 36-character UUID does not fit 32 columns: there it is printed
         * on its own line without hyphens (32 hex digits), never split */
        clean(r->uuid, s1, sizeof s1);
        if (cols("单号 ") + cols(s1) > w && cols(s1) > w) {
            size_t k = 0;
            for (const char *p = s1; *p; p++)
                if (*p != '-')
                    s2[k++] = *p;
            s2[k] = '\0';
            snprintf(s1, sizeof s1, "%s", s2);
        }
        lr(&o, w, "单号", s1);
    }
    rule(&o, w);
    items(&o, r, w);
    rule(&o, w);

    /* totals */
    lr(&o, w, "合计", yuan(r->gross, money, sizeof money));
    for (int i = 0; i < r->nparts; i++) {
        const receipt_part *p = &r->parts[i];
        char rn[ZC_NAME_MAX];
        clean(p->rule_name[0] ? p->rule_name : "补贴", rn, sizeof rn);
        if (p->source[0])
            snprintf(s1, sizeof s1, "%s(%s)", rn, source_word(p->source, word, sizeof word));
        else
            snprintf(s1, sizeof s1, "%s", rn);
        lr(&o, w, s1, yuan(-p->fen, money, sizeof money));
        sub += p->fen;
    }
    if (r->nparts > 1)
        lr(&o, w, "补贴合计", yuan(-sub, money, sizeof money));
    raw(&o, "\x1d!\x01\x1c!\x08", 6); /* double height only: columns stay put */
    lr(&o, w, "实付", yuan(r->pay, money, sizeof money));
    raw(&o, "\x1d!\x00\x1c!\x00", 6);
    if (r->method[0])
        lr(&o, w, "支付方式", word_of(METHODS, r->method, word, sizeof word));
    if (r->pay_ref[0]) {
        clean(r->pay_ref, s1, sizeof s1);
        lr(&o, w, "支付流水", s1);
    }
    if (r->tendered > 0) {
        lr(&o, w, "实收", yuan(r->tendered, money, sizeof money));
        lr(&o, w, "找零", yuan(r->change, money, sizeof money));
    }
    rule(&o, w);
    if (r->elder_name[0]) {
        clean(r->elder_name, s2, sizeof s2);
        lr(&o, w, "用餐老人", zc_name_mask(s2, s1, (int)sizeof s1));
    }
    clean(r->footer[0] ? r->footer : "谢谢惠顾，祝您用餐愉快", s1, sizeof s1);
    center(&o, w, s1);

    /* feed past the cutter, cut */
    raw(&o, "\x1b" "d\x04\x1dV\x01", 6);

    if (o.bad) {
        rc = zc_errf(err, ZC_EIO, "cannot convert the receipt text for the printer");
        goto out;
    }
    if (o.full) {
        rc = zc_errf(err, ZC_ETOOBIG, "receipt needs more than %zu bytes", cap);
        goto out;
    }
    *len = o.len;
out:
    if (o.cd != (iconv_t)-1)
        iconv_close(o.cd);
    return rc;
}

/* ---- printing ---- */

static int64_t now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* A cashier-readable message for a failed open(). */
static int open_error(const char *path, int e, zc_err *err)
{
    switch (e) {
    case ENOENT:
    case ENXIO:
    case ENODEV:
    case ENOTDIR:
        return zc_errf(err, ZC_EIO, "printer %s is not connected; " SAVED_HINT, path);
    case EACCES:
    case EPERM:
    case EROFS:
        return zc_errf(err, ZC_EIO,
                       "no permission to use printer %s (add the till's user to the lp group); "
                       SAVED_HINT, path);
    case EBUSY:
        return zc_errf(err, ZC_EIO, "printer %s is busy (another program is using it); " SAVED_HINT,
                       path);
    case EISDIR:
        return zc_errf(err, ZC_EINVAL, "printer %s is a folder, not a printer; fix it in 设置; "
                       SAVED_HINT, path);
    default:
        return zc_errf(err, ZC_EIO, "cannot open printer %s (%s); " SAVED_HINT, path, strerror(e));
    }
}

int receipt_print(const char *path, const char *bytes, size_t len, int timeout_ms, zc_err *err)
{
    int rc = ZC_OK, fd = -1;
    const int flags = O_WRONLY | O_NONBLOCK | O_APPEND | O_NOCTTY | O_CLOEXEC;
    size_t off = 0;
    int64_t deadline = now_ms() + (timeout_ms > 0 ? timeout_ms : 0);
    sigset_t pipe_set, old_set;
    bool masked = false, got_epipe = false;
    if (!path || !*path)
        return zc_errf(err, ZC_EINVAL, "no printer is set up (设置); " SAVED_HINT);
    if (!bytes && len)
        return zc_errf(err, ZC_EINVAL, "receipt_print: no bytes");

    fd = open(path, flags);
    if (fd < 0 && errno == ENOENT && strncmp(path, "/dev/", 5) != 0)
        fd = open(path, flags | O_CREAT, 0644); /* a plain file in an existing folder */
    if (fd < 0) {
        rc = open_error(path, errno, err);
        goto out;
    }

    /* a pipe to a spooler whose reader went away must not kill the till */
    sigemptyset(&pipe_set);
    sigaddset(&pipe_set, SIGPIPE);
    masked = pthread_sigmask(SIG_BLOCK, &pipe_set, &old_set) == 0;

    while (off < len) {
        struct pollfd pfd = {fd, POLLOUT, 0};
        int64_t left = deadline - now_ms();
        int n = poll(&pfd, 1, left > 0 ? (int)left : 0);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0) {
            rc = zc_errf(err, ZC_EIO, "cannot wait for printer %s (%s); " SAVED_HINT, path,
                         strerror(errno));
            goto out;
        }
        if (n == 0) {
            rc = zc_errf(err, ZC_EIO,
                         "printer %s did not take the receipt within %d ms (out of paper, cover "
                         "open or switched off?)%s; " SAVED_HINT,
                         path, timeout_ms, off ? "; part of it may have printed" : "");
            goto out;
        }
        if (!(pfd.revents & POLLOUT)) {
            rc = zc_errf(err, ZC_EIO, "printer %s is not connected; " SAVED_HINT, path);
            goto out;
        }
        size_t chunk = len - off < 4096 ? len - off : 4096;
        ssize_t w = write(fd, bytes + off, chunk);
        if (w < 0) {
            if (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR)
                continue;
            if (errno == EPIPE)
                got_epipe = true;
            rc = errno == ENOSPC
                     ? zc_errf(err, ZC_EFULL, "the disk is full writing %s; " SAVED_HINT, path)
                 : (errno == EPIPE || errno == ENODEV || errno == EIO)
                     ? zc_errf(err, ZC_EIO, "printer %s is not connected; " SAVED_HINT, path)
                     : zc_errf(err, ZC_EIO, "cannot print to %s (%s); " SAVED_HINT, path,
                               strerror(errno));
            goto out;
        }
        off += (size_t)w;
    }
out:
    if (fd >= 0 && close(fd) != 0 && rc == ZC_OK)
        rc = zc_errf(err, ZC_EIO, "cannot finish printing to %s (%s); " SAVED_HINT, path,
                     strerror(errno));
    if (masked) {
        if (got_epipe) { /* take the pending SIGPIPE before unblocking it */
            struct timespec zero = {0, 0};
            while (sigtimedwait(&pipe_set, NULL, &zero) > 0) {
            }
        }
        pthread_sigmask(SIG_SETMASK, &old_set, NULL);
    }
    return rc;
}
