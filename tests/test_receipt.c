/* test_receipt.c - receipts rendered as ESC/POS are decoded back (commands
 * stripped, GB18030 converted to UTF-8 with iconv) and checked line by line:
 * Chinese text, column alignment in printed columns, totals, both paper
 * widths, printer commands that names cannot inject; and printing to a
 * missing device, a file, a pipe nobody reads. */
#include "../app/till/receipt.h"
#include "check.h"

#include <errno.h>
#include <fcntl.h>
#include <iconv.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

/* ---- a decoder for what receipt_escpos emits ---- */

#define MAXL 128

typedef struct pline {
    char gb[256];   /* raw GB18030 bytes of the line: one byte per printed column */
    int ncol;       /* printed columns (bytes of gb) */
    char utf[512];  /* the same, as UTF-8 */
    int size;       /* GS ! value in force when the line was printed */
} pline;

typedef struct decoded {
    pline l[MAXL];
    int n;
    int unknown;    /* control bytes that are not a known command */
    int cuts;
    bool init_ok;   /* starts with ESC @, ESC t 0, FS & */
    bool ends_cut;  /* ends with GS V 1 */
} decoded;

static void gb_to_utf8(const char *gb, size_t n, char *dst, size_t cap)
{
    iconv_t cd = iconv_open("UTF-8", "GB18030");
    char *in = (char *)gb, *out = dst;
    size_t il = n, ol = cap - 1;
    dst[0] = '\0';
    if (cd == (iconv_t)-1)
        return;
    if (iconv(cd, &in, &il, &out, &ol) == (size_t)-1)
        snprintf(dst, cap, "<iconv failed>");
    else
        *out = '\0';
    iconv_close(cd);
}

static void decode(const char *b, size_t len, decoded *d)
{
    size_t i = 0;
    int size = 0;
    pline cur = {{0}, 0, {0}, 0};
    memset(d, 0, sizeof *d);
    d->init_ok = len >= 7 && memcmp(b, "\x1b@\x1bt\x00\x1c&", 7) == 0;
    d->ends_cut = len >= 3 && memcmp(b + len - 3, "\x1dV\x01", 3) == 0;
    while (i < len) {
        unsigned char c = (unsigned char)b[i];
        if (c == 0x1b && i + 1 < len && b[i + 1] == '@') {
            i += 2;
        } else if (c == 0x1b && i + 2 < len && (b[i + 1] == 't' || b[i + 1] == 'd')) {
            i += 3;
        } else if (c == 0x1c && i + 1 < len && b[i + 1] == '&') {
            i += 2;
        } else if (c == 0x1c && i + 2 < len && b[i + 1] == '!') {
            i += 3;
        } else if (c == 0x1d && i + 2 < len && b[i + 1] == '!') {
            size = (unsigned char)b[i + 2];
            i += 3;
        } else if (c == 0x1d && i + 2 < len && b[i + 1] == 'V') {
            d->cuts++;
            i += 3;
        } else if (c == '\n') {
            if (d->n < MAXL) {
                gb_to_utf8(cur.gb, (size_t)cur.ncol, cur.utf, sizeof cur.utf);
                d->l[d->n++] = cur;
            }
            memset(&cur, 0, sizeof cur);
            i++;
        } else if (c < 0x20 || c == 0x7f) {
            d->unknown++;
            i++;
        } else {
            if (cur.ncol == 0)
                cur.size = size;
            if (cur.ncol < (int)sizeof cur.gb - 1)
                cur.gb[cur.ncol++] = (char)c;
            i++;
        }
    }
}

/* The line whose UTF-8 text contains needle, or NULL. */
static const pline *find(const decoded *d, const char *needle)
{
    for (int i = 0; i < d->n; i++)
        if (strstr(d->l[i].utf, needle))
            return &d->l[i];
    return NULL;
}

/* Printed columns [from, to) of a line, as trimmed UTF-8. */
static const char *cols(const pline *p, int from, int to, char *dst, size_t cap)
{
    char *s, *e;
    if (!p || from < 0 || to > p->ncol || from >= to) {
        snprintf(dst, cap, "<out of range>");
        return dst;
    }
    gb_to_utf8(p->gb + from, (size_t)(to - from), dst, cap);
    for (s = dst; *s == ' '; s++) {
    }
    memmove(dst, s, strlen(s) + 1);
    for (e = dst + strlen(dst); e > dst && e[-1] == ' '; e--)
        e[-1] = '\0';
    return dst;
}

/* ---- a sample sale ---- */

static receipt_t sample(void)
{
    receipt_t r;
    memset(&r, 0, sizeof r);
    snprintf(r.canteen, sizeof r.canteen, "幸福里老年食堂");
    snprintf(r.terminal, sizeof r.terminal, "T01");
    r.seq = 42;
    snprintf(r.uuid, sizeof r.uuid, "0b9f6c1e-5a2d-4e7b-9c61-2f1a3b4c5d6e");
    r.at = (zc_datetime){{2025, 3, 3}, 11, 32};
    snprintf(r.operator_name, sizeof r.operator_name, "王芳");
    r.lines[0] = (receipt_line){"红烧肉套餐", 1, 1200, 1200};
    r.lines[1] = (receipt_line){"米饭", 2, 100, 200};
    r.nlines = 2;
    r.gross = 1400;
    r.parts[0] = (receipt_part){"老年助餐补贴", "district", 300};
    r.nparts = 1;
    r.pay = 1100;
    snprintf(r.method, sizeof r.method, "cash");
    r.tendered = 2000;
    r.change = 900;
    snprintf(r.elder_name, sizeof r.elder_name, "张三英");
    return r;
}

static int render(const receipt_t *r, int w, decoded *d, zc_err *err)
{
    static char buf[RECEIPT_BYTES_MAX];
    size_t len = 0;
    int rc = receipt_escpos(r, w, buf, sizeof buf, &len, err);
    if (rc == ZC_OK)
        decode(buf, len, d);
    return rc;
}

static void check_layout(int w)
{
    static decoded d;
    zc_err err = {{0}};
    receipt_t r = sample();
    const int aw = w >= 48 ? 10 : 8, uw = w >= 48 ? 9 : 7, qw = 4;
    char c[128];
    int rc = render(&r, w, &d, &err);
    if (rc)
        fprintf(stderr, "  %s\n", err.msg);
    CHECK_OK(rc);
    CHECK(d.init_ok);
    CHECK(d.ends_cut);
    CHECK_INT(d.cuts, 1);
    CHECK_INT(d.unknown, 0);

    /* header: double size, centred in w/2 columns */
    const pline *h = find(&d, "幸福里老年食堂");
    CHECK(h != NULL);
    if (h) {
        CHECK_INT(h->size, 0x11);
        CHECK(h->ncol <= w / 2);
        CHECK_INT(h->ncol, (w / 2 - 14) / 2 + 14);
    }
    /* every normal line fits the paper */
    for (int i = 0; i < d.n; i++) {
        if (d.l[i].ncol > (d.l[i].size & 0x10 ? w / 2 : w))
            fprintf(stderr, "  line too wide (%d > %d): %s\n", d.l[i].ncol, w, d.l[i].utf);
        CHECK(d.l[i].ncol <= (d.l[i].size & 0x10 ? w / 2 : w));
    }
    CHECK(find(&d, "终端 T01") != NULL);
    CHECK(find(&d, "流水号 42") != NULL);
    CHECK(find(&d, "2025-03-03 11:32") != NULL);
    CHECK(find(&d, "王芳") != NULL);
    if (w >= 48) {
        const pline *u = find(&d, "单号");
        CHECK(u && strstr(u->utf, "0b9f6c1e-5a2d-4e7b-9c61-2f1a3b4c5d6e"));
    } else { /* on its own line, without hyphens, not split */
        const pline *u = find(&d, "0b9f6c1e5a2d4e7b9c612f1a3b4c5d6e");
        CHECK(u && u->ncol == 32);
        CHECK(find(&d, "单号") != NULL);
    }
    CHECK(find(&d, "补打") == NULL);

    /* table: header and rows share right-aligned columns */
    const pline *th = find(&d, "品名"), *r1 = find(&d, "红烧肉套餐"), *r2 = find(&d, "米饭");
    CHECK(th && r1 && r2);
    if (th && r1 && r2) {
        CHECK_INT(th->ncol, w);
        CHECK_INT(r1->ncol, w);
        CHECK_INT(r2->ncol, w);
        CHECK_STR(cols(th, w - aw, w, c, sizeof c), "金额");
        CHECK_STR(cols(th, w - aw - 1 - uw, w - aw - 1, c, sizeof c), "单价");
        CHECK_STR(cols(th, w - aw - uw - qw - 2, w - aw - uw - 2, c, sizeof c), "数量");
        CHECK_STR(cols(r1, w - aw, w, c, sizeof c), "12.00");
        CHECK_STR(cols(r1, w - aw - 1 - uw, w - aw - 1, c, sizeof c), "12.00");
        CHECK_STR(cols(r1, w - aw - uw - qw - 2, w - aw - uw - 2, c, sizeof c), "1");
        CHECK_STR(cols(r2, w - aw, w, c, sizeof c), "2.00");
        CHECK_STR(cols(r2, w - aw - 1 - uw, w - aw - 1, c, sizeof c), "1.00");
        CHECK_STR(cols(r2, w - aw - uw - qw - 2, w - aw - uw - 2, c, sizeof c), "2");
        CHECK_STR(cols(r1, 0, 10, c, sizeof c), "红烧肉套餐");
    }

    /* totals, right-aligned to the last column */
    const pline *t = find(&d, "合计"), *s = find(&d, "老年助餐补贴(区级)"), *p = find(&d, "实付");
    CHECK(t && s && p);
    if (t && s && p) {
        CHECK_INT(t->ncol, w);
        CHECK_STR(cols(t, w - 5, w, c, sizeof c), "14.00");
        CHECK_INT(s->ncol, w);
        CHECK_STR(cols(s, w - 5, w, c, sizeof c), "-3.00");
        CHECK_INT(p->ncol, w);
        CHECK_STR(cols(p, w - 5, w, c, sizeof c), "11.00");
        CHECK_INT(p->size, 0x01); /* double height */
    }
    CHECK(find(&d, "补贴合计") == NULL); /* only with several parts */
    const pline *m = find(&d, "支付方式");
    CHECK(m && strstr(m->utf, "现金") && m->ncol == w);
    const pline *in = find(&d, "实收"), *ch = find(&d, "找零");
    CHECK(in && strstr(in->utf, "20.00") && in->ncol == w);
    CHECK(ch && strstr(ch->utf, "9.00") && ch->ncol == w);
    const pline *e = find(&d, "用餐老人");
    CHECK(e && strstr(e->utf, "张*英") && !strstr(e->utf, "张三英"));
    CHECK(find(&d, "谢谢惠顾") != NULL);
}

static void t_width32(void) { check_layout(32); }
static void t_width48(void) { check_layout(48); }

/* Long names wrap; numbers keep their columns on the next line. */
static void t_long_names(void)
{
    static decoded d;
    zc_err err;
    char c[128];
    receipt_t r = sample();
    snprintf(r.lines[0].name, sizeof r.lines[0].name, "清蒸鲈鱼配时令蔬菜营养套餐加一碗紫菜蛋花汤");
    snprintf(r.canteen, sizeof r.canteen, "朝阳区某某街道第一社区养老服务驿站老年餐桌");
    CHECK_OK(render(&r, 32, &d, &err));
    CHECK_INT(d.unknown, 0);
    int first = -1;
    for (int i = 0; i < d.n; i++)
        if (strstr(d.l[i].utf, "清蒸鲈鱼"))
            first = i;
    CHECK(first >= 0);
    if (first >= 0 && first + 2 < d.n) {
        CHECK_INT(d.l[first].ncol, 32);                 /* the name fills a line */
        CHECK(strstr(d.l[first + 1].utf, "紫菜蛋花汤") != NULL);
        const pline *nums = &d.l[first + 2];            /* then the numbers */
        CHECK_INT(nums->ncol, 32);
        CHECK_STR(cols(nums, 0, 11, c, sizeof c), "");
        CHECK_STR(cols(nums, 24, 32, c, sizeof c), "12.00");
    }
    /* the header wraps in double size */
    int hl = 0;
    for (int i = 0; i < d.n; i++)
        if (d.l[i].size == 0x11) {
            hl++;
            CHECK(d.l[i].ncol <= 16);
        }
    CHECK_INT(hl, 3);
}

static void t_parts_and_methods(void)
{
    static decoded d;
    zc_err err;
    receipt_t r = sample();
    r.parts[0] = (receipt_part){"老年助餐补贴", "city", 200};
    r.parts[1] = (receipt_part){"老年助餐补贴", "district", 100};
    r.parts[2] = (receipt_part){"八十岁以上加补", "new_fund", 500};
    r.nparts = 3;
    r.pay = 600;
    snprintf(r.method, sizeof r.method, "wechat");
    snprintf(r.pay_ref, sizeof r.pay_ref, "4200001234567890");
    r.tendered = r.change = 0;
    r.reprint = true;
    r.elder_name[0] = '\0';
    snprintf(r.footer, sizeof r.footer, "服务热线 12345");
    CHECK_OK(render(&r, 48, &d, &err));
    CHECK(find(&d, "*** 补打小票 ***") != NULL);
    CHECK(find(&d, "老年助餐补贴(市级)") != NULL);
    CHECK(find(&d, "老年助餐补贴(区级)") != NULL);
    CHECK(find(&d, "八十岁以上加补(new_fund)") != NULL);
    const pline *s = find(&d, "补贴合计");
    CHECK(s && strstr(s->utf, "-8.00") && s->ncol == 48);
    CHECK(find(&d, "微信支付") != NULL);
    CHECK(find(&d, "4200001234567890") != NULL);
    CHECK(find(&d, "实收") == NULL);
    CHECK(find(&d, "找零") == NULL);
    CHECK(find(&d, "用餐老人") == NULL);
    CHECK(find(&d, "服务热线 12345") != NULL);
    CHECK(find(&d, "谢谢惠顾") == NULL);
}

/* Names from the roster or menu cannot smuggle printer commands. */
static void t_injection(void)
{
    static decoded d;
    zc_err err;
    receipt_t r = sample();
    snprintf(r.lines[1].name, sizeof r.lines[1].name, "米\x1dV\x01饭\x1b@\xff");
    snprintf(r.operator_name, sizeof r.operator_name, "王\n芳\xc2\x9b");
    CHECK_OK(render(&r, 32, &d, &err));
    CHECK_INT(d.unknown, 0);
    CHECK_INT(d.cuts, 1);
    CHECK(find(&d, "米 V 饭 @?") != NULL);
    CHECK(find(&d, "王 芳") != NULL);
}

static void t_not_adding_up(void)
{
    static char buf[RECEIPT_BYTES_MAX];
    size_t len = 99;
    zc_err err;
    receipt_t r = sample();
    r.pay = 1000;
    CHECK_INT(receipt_escpos(&r, 32, buf, sizeof buf, &len, &err), ZC_EINVAL);
    CHECK(strstr(err.msg, "does not add up") != NULL);
    CHECK_INT(len, 0);
    r = sample();
    r.lines[1].line_fen = 250;
    CHECK_INT(receipt_escpos(&r, 32, buf, sizeof buf, &len, &err), ZC_EINVAL);
    CHECK(strstr(err.msg, "米饭") != NULL);
    r = sample();
    r.gross = 1500;
    r.pay = 1200;
    CHECK_INT(receipt_escpos(&r, 32, buf, sizeof buf, &len, &err), ZC_EINVAL);
    r = sample();
    r.change = 1000;
    CHECK_INT(receipt_escpos(&r, 32, buf, sizeof buf, &len, &err), ZC_EINVAL);
    CHECK(strstr(err.msg, "cash") != NULL);
    r = sample();
    CHECK_INT(receipt_escpos(&r, 20, buf, sizeof buf, &len, &err), ZC_EINVAL);
    CHECK_INT(receipt_escpos(&r, 32, buf, 100, &len, &err), ZC_ETOOBIG);
    CHECK_INT(receipt_escpos(NULL, 32, buf, sizeof buf, &len, &err), ZC_EINVAL);
    /* a full cart still fits the documented buffer size */
    r = sample();
    r.nlines = ZC_MAX_LINES;
    r.gross = 0;
    for (int i = 0; i < ZC_MAX_LINES; i++) {
        r.lines[i] = (receipt_line){"", 999, 99999, 999 * 99999};
        snprintf(r.lines[i].name, sizeof r.lines[i].name, "很长很长的菜名第%02d号加量加价特别套餐", i);
        r.gross += r.lines[i].line_fen;
    }
    r.pay = r.gross - 300;
    r.tendered = r.change = 0;
    CHECK_OK(receipt_escpos(&r, 48, buf, sizeof buf, &len, &err));
    CHECK_OK(receipt_escpos(&r, 32, buf, sizeof buf, &len, &err));
}

/* ---- printing ---- */

static int64_t ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void t_print_missing(void)
{
    zc_err err = {{0}};
    int64_t t0 = ms();
    CHECK_INT(receipt_print("/dev/zc-test-no-such-printer", "x", 1, 2000, &err), ZC_EIO);
    CHECK(ms() - t0 < 200);
    CHECK_STR(err.msg, "printer /dev/zc-test-no-such-printer is not connected; the sale is "
                       "saved, reprint later from 最近交易");
    CHECK_INT(receipt_print("/tmp/zc-no-such-dir/x/receipt.bin", "x", 1, 2000, &err), ZC_EIO);
    CHECK(strstr(err.msg, "is not connected") != NULL);
    CHECK_INT(receipt_print("", "x", 1, 2000, &err), ZC_EINVAL);
    CHECK(strstr(err.msg, "最近交易") != NULL);
    CHECK_INT(receipt_print("/tmp", "x", 1, 2000, &err), ZC_EINVAL);
    CHECK(strstr(err.msg, "folder") != NULL);
}

static void t_print_file(void)
{
    static char buf[RECEIPT_BYTES_MAX], back[2 * RECEIPT_BYTES_MAX];
    char dir[] = "/tmp/zc_receipt_XXXXXX", path[128];
    size_t len = 0;
    zc_err err = {{0}};
    receipt_t r = sample();
    CHECK(mkdtemp(dir) != NULL);
    snprintf(path, sizeof path, "%s/printer.bin", dir);
    CHECK_OK(receipt_escpos(&r, 32, buf, sizeof buf, &len, &err));
    int rc = receipt_print(path, buf, len, 1000, &err);
    if (rc)
        fprintf(stderr, "  %s\n", err.msg);
    CHECK_OK(rc);
    CHECK_OK(receipt_print(path, buf, len, 1000, &err)); /* appends */
    FILE *f = fopen(path, "rb");
    CHECK(f != NULL);
    if (f) {
        size_t n = fread(back, 1, sizeof back, f);
        fclose(f);
        CHECK_INT(n, 2 * len);
        CHECK(memcmp(back, buf, len) == 0 && memcmp(back + len, buf, len) == 0);
    }
    struct stat st;
    CHECK_OK(stat(path, &st));
    mode_t um = umask(022);
    umask(um);
    CHECK_INT(st.st_mode & 0777, 0644 & ~um);
    unlink(path);
    rmdir(dir);
}

/* A pipe: nobody reading is "not connected"; a reader that never reads
 * (a stuck printer) costs at most the timeout. */
static void t_print_stuck(void)
{
    char dir[] = "/tmp/zc_receipt_XXXXXX", path[128];
    zc_err err = {{0}};
    static char big[256 * 1024];
    CHECK(mkdtemp(dir) != NULL);
    snprintf(path, sizeof path, "%s/fifo", dir);
    CHECK_OK(mkfifo(path, 0600));
    int64_t t0 = ms();
    CHECK_INT(receipt_print(path, "x", 1, 1000, &err), ZC_EIO);
    CHECK(ms() - t0 < 200);
    CHECK(strstr(err.msg, "is not connected") != NULL);

    int rd = open(path, O_RDONLY | O_NONBLOCK);
    CHECK(rd >= 0);
    memset(big, 'x', sizeof big);
    t0 = ms();
    CHECK_INT(receipt_print(path, big, sizeof big, 300, &err), ZC_EIO);
    int64_t took = ms() - t0;
    CHECK(took >= 250 && took < 1500);
    CHECK(strstr(err.msg, "did not take the receipt within 300 ms") != NULL);
    CHECK(strstr(err.msg, "part of it may have printed") != NULL);
    CHECK(strstr(err.msg, "最近交易") != NULL);
    if (rd >= 0)
        close(rd);
    unlink(path);
    rmdir(dir);
}

static const check_case cases[] = {
    {"width32", t_width32},
    {"width48", t_width48},
    {"long_names", t_long_names},
    {"parts_and_methods", t_parts_and_methods},
    {"injection", t_injection},
    {"not_adding_up", t_not_adding_up},
    {"print_missing", t_print_missing},
    {"print_file", t_print_file},
    {"print_stuck", t_print_stuck},
    {0},
};

int main(int argc, char **argv) { return check_main("test_receipt", cases, argc, argv); }
