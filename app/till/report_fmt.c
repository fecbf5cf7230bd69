/* report_fmt.c - reports as text, CSV and JSON, and their export into a
 * folder (report_fmt.h): the one place the terminal's report labels and
 * layouts live, for the command line and the kiosk alike.
 *
 * One table per CSV file, one header row, every amount as fen and as yuan.
 * Text and JSON are written straight to the stream; the ledger and the
 * unsent list are streamed line by line (a month's ledger is not held in
 * memory).  A failed write anywhere ends as ZC_EIO naming what. */
#include "report_fmt.h"

#include <cjson/cJSON.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../core/csvout.h"
#include "../core/names.h"

const char *till_report_source_name(const char *code)
{
    const char *zh = zc_source_name(code, ZC_SOURCE_SHORT);
    return zh ? zh : code;
}

const char *till_report_period_name(const char *id)
{
    const char *zh = zc_period_name(id);
    return zh ? zh : id;
}

int till_report_fmt_parse(const char *s, till_report_fmt *out, zc_err *err)
{
    if (strcmp(s, "text") == 0)
        *out = TILL_FMT_TEXT;
    else if (strcmp(s, "csv") == 0)
        *out = TILL_FMT_CSV;
    else if (strcmp(s, "json") == 0)
        *out = TILL_FMT_JSON;
    else
        return zc_errf(err, ZC_EINVAL, "unknown format \"%s\"; use text, csv or json", s);
    return ZC_OK;
}

/* Flushes f and says whether every write reached it. */
static int stream_done(FILE *f, const char *what, zc_err *err)
{
    if (fflush(f) != 0 || ferror(f))
        return zc_errf(err, ZC_EIO, "writing %s failed: %s", what, strerror(errno ? errno : EIO));
    return ZC_OK;
}

/* Prints j unformatted plus a newline, then frees it. */
static void json_put(FILE *f, cJSON *j, const char *tail)
{
    char *s = j ? cJSON_PrintUnformatted(j) : NULL;
    fputs(s ? s : "null", f);
    fputs(tail, f);
    cJSON_free(s);
    cJSON_Delete(j);
}

static char *yuan(zc_fen f, char *buf, int n) { return zc_fen_fmt(f, buf, n); }

/* ---- the day and month report ---- */

static const char *const sum_header[] = {"分组", "项目", "名称", "餐数", "作废", "合计(分)", "合计(元)", "补贴(分)",
                                         "补贴(元)", "现金(分)", "现金(元)", "移动支付(分)", "移动支付(元)"};

static void csv_sum_row(zc_csvout *w, const char *group, const char *key, const char *name,
                        const store_report_row *r)
{
    zc_csvout_str(w, group);
    zc_csvout_str(w, key);
    zc_csvout_str(w, name);
    zc_csvout_int(w, r->meals);
    zc_csvout_int(w, r->voids);
    zc_csvout_money(w, r->gross);
    zc_csvout_money(w, r->subsidy);
    zc_csvout_money(w, r->cash);
    zc_csvout_money(w, r->mobile);
    zc_csvout_row(w);
}

/* Writes s padded with spaces to cols terminal columns: printf pads bytes,
 * and a Chinese character is three bytes but two columns wide. */
static void put_padded(FILE *f, const char *s, int cols)
{
    int w = 0;
    for (const unsigned char *p = (const unsigned char *)s; *p; p++)
        if ((*p & 0xC0) != 0x80)
            w += *p >= 0xE0 ? 2 : 1; /* CJK is in the three- and four-byte forms */
    fputs(s, f);
    for (; w < cols; w++)
        fputc(' ', f);
}

static void text_sum_row(FILE *f, const char *label, const store_report_row *r)
{
    char a[24], b[24], c[24], d[24];
    fputs("  ", f);
    put_padded(f, label, 24);
    fprintf(f, " %6ld %5ld %11s %11s %11s %11s\n", r->meals, r->voids, yuan(r->gross, a, sizeof a),
            yuan(r->subsidy, b, sizeof b), yuan(r->cash, c, sizeof c), yuan(r->mobile, d, sizeof d));
}

static cJSON *json_row(const store_report_row *r, const char *name)
{
    cJSON *o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "key", r->key);
    if (name)
        cJSON_AddStringToObject(o, "name", name);
    cJSON_AddNumberToObject(o, "meals", (double)r->meals);
    cJSON_AddNumberToObject(o, "voids", (double)r->voids);
    cJSON_AddNumberToObject(o, "gross_fen", (double)r->gross);
    cJSON_AddNumberToObject(o, "subsidy_fen", (double)r->subsidy);
    cJSON_AddNumberToObject(o, "cash_fen", (double)r->cash);
    cJSON_AddNumberToObject(o, "mobile_fen", (double)r->mobile);
    return o;
}

static cJSON *json_rows(const store_report_row *rows, int n, const char *(*name)(const char *))
{
    cJSON *a = cJSON_CreateArray();
    for (int i = 0; i < n; i++)
        cJSON_AddItemToArray(a, json_row(&rows[i], name ? name(rows[i].key) : NULL));
    return a;
}

static const char *same(const char *k) { return k; }

int till_report_write(const store_report *r, const char *title, till_report_fmt fmt, FILE *f, zc_err *err)
{
    if (fmt == TILL_FMT_CSV) {
        zc_csvout w;
        zc_csvout_begin(&w, f);
        for (size_t i = 0; i < sizeof sum_header / sizeof sum_header[0]; i++)
            zc_csvout_str(&w, sum_header[i]);
        zc_csvout_row(&w);
        char range[32];
        snprintf(range, sizeof range, "%s~%s", r->from, r->to);
        csv_sum_row(&w, "合计", range, title, &r->total);
        for (int i = 0; i < r->nperiod; i++)
            csv_sum_row(&w, "餐次", r->by_period[i].key, till_report_period_name(r->by_period[i].key),
                        &r->by_period[i]);
        for (int i = 0; i < r->nrule; i++)
            csv_sum_row(&w, "补贴规则", r->by_rule[i].key, r->by_rule[i].key, &r->by_rule[i]);
        for (int i = 0; i < r->nsource; i++)
            csv_sum_row(&w, "资金来源", r->by_source[i].key, till_report_source_name(r->by_source[i].key),
                        &r->by_source[i]);
        for (int i = 0; r->nday > 1 && i < r->nday; i++)
            csv_sum_row(&w, "日期", r->by_day[i].key, r->by_day[i].key, &r->by_day[i]);
        return zc_csvout_finish(&w, "the report CSV", err);
    }
    if (fmt == TILL_FMT_JSON) {
        cJSON *o = cJSON_CreateObject();
        cJSON_AddStringToObject(o, "report", title);
        cJSON_AddStringToObject(o, "from", r->from);
        cJSON_AddStringToObject(o, "to", r->to);
        cJSON_AddNumberToObject(o, "first_seq", (double)r->first_seq);
        cJSON_AddNumberToObject(o, "last_seq", (double)r->last_seq);
        cJSON_AddItemToObject(o, "total", json_row(&r->total, NULL));
        cJSON_AddItemToObject(o, "by_period", json_rows(r->by_period, r->nperiod, till_report_period_name));
        cJSON_AddItemToObject(o, "by_rule", json_rows(r->by_rule, r->nrule, same));
        cJSON_AddItemToObject(o, "by_source", json_rows(r->by_source, r->nsource, till_report_source_name));
        cJSON_AddItemToObject(o, "by_day", json_rows(r->by_day, r->nday, NULL));
        json_put(f, o, "\n");
        return stream_done(f, "the report", err);
    }
    char label[96];
    fprintf(f, "%s %s ~ %s  (seq %lld..%lld)\n", title, r->from, r->to, (long long)r->first_seq,
            (long long)r->last_seq);
    fprintf(f, "  %-24s %6s %5s %11s %11s %11s %11s\n", "", "meals", "voids", "gross", "subsidy", "cash", "mobile");
    text_sum_row(f, "合计 total", &r->total);
    fprintf(f, "餐次 by meal period\n");
    for (int i = 0; i < r->nperiod; i++) {
        snprintf(label, sizeof label, "%s %s", till_report_period_name(r->by_period[i].key), r->by_period[i].key);
        text_sum_row(f, label, &r->by_period[i]);
    }
    fprintf(f, "补贴规则 by subsidy rule (subsidy: that rule's part)\n");
    for (int i = 0; i < r->nrule; i++)
        text_sum_row(f, r->by_rule[i].key, &r->by_rule[i]);
    fprintf(f, "资金来源 by funding source (subsidy: that source's part)\n");
    for (int i = 0; i < r->nsource; i++) {
        snprintf(label, sizeof label, "%s %s", till_report_source_name(r->by_source[i].key), r->by_source[i].key);
        text_sum_row(f, label, &r->by_source[i]);
    }
    if (r->nday > 1) {
        fprintf(f, "日期 by day\n");
        for (int i = 0; i < r->nday; i++)
            text_sum_row(f, r->by_day[i].key, &r->by_day[i]);
    }
    return stream_done(f, "the report", err);
}

/* ---- the subsidy ledger ---- */

typedef struct ledger_ctx {
    till_report_fmt fmt;
    FILE *f;
    zc_csvout w;
    long n;
    zc_fen total;
} ledger_ctx;

static int ledger_line(void *vctx, const store_ledger_line *l)
{
    ledger_ctx *c = vctx;
    char a[24];
    if (c->fmt == TILL_FMT_CSV) {
        zc_csvout_int(&c->w, l->seq);
        zc_csvout_str(&c->w, l->local_time);
        zc_csvout_str(&c->w, till_report_period_name(l->period));
        zc_csvout_str(&c->w, l->elder_id);
        zc_csvout_str(&c->w, l->elder_masked);
        zc_csvout_str(&c->w, l->rule_id);
        zc_csvout_str(&c->w, l->source);
        zc_csvout_str(&c->w, till_report_source_name(l->source));
        zc_csvout_money(&c->w, l->fen);
        zc_csvout_str(&c->w, l->sale_id);
        zc_csvout_row(&c->w);
    } else if (c->fmt == TILL_FMT_JSON) {
        cJSON *o = cJSON_CreateObject();
        cJSON_AddNumberToObject(o, "seq", (double)l->seq);
        cJSON_AddStringToObject(o, "sale_id", l->sale_id);
        cJSON_AddStringToObject(o, "time", l->local_time);
        cJSON_AddStringToObject(o, "period", l->period);
        cJSON_AddStringToObject(o, "elder_id", l->elder_id);
        cJSON_AddStringToObject(o, "elder", l->elder_masked);
        cJSON_AddStringToObject(o, "rule", l->rule_id);
        cJSON_AddStringToObject(o, "source", l->source);
        cJSON_AddNumberToObject(o, "fen", (double)l->fen);
        fputs(c->n ? ",\n" : "\n", c->f);
        json_put(c->f, o, "");
    } else {
        fprintf(c->f, "%6lld  %s  ", (long long)l->seq, l->local_time);
        put_padded(c->f, till_report_period_name(l->period), 6);
        fprintf(c->f, " %-10s ", l->elder_id);
        put_padded(c->f, l->elder_masked[0] ? l->elder_masked : "-", 8);
        fprintf(c->f, " %-24s ", l->rule_id);
        put_padded(c->f, till_report_source_name(l->source), 8);
        fprintf(c->f, " %9s\n", yuan(l->fen, a, sizeof a));
    }
    c->n++;
    c->total += l->fen;
    return ZC_OK;
}

int till_report_write_ledger(store_t *st, zc_date from, zc_date to, till_report_fmt fmt, FILE *f, zc_err *err)
{
    static const char *const header[] = {"序号", "时间", "餐次", "老人编号", "老人", "补贴规则", "资金来源",
                                         "来源名称", "补贴(分)", "补贴(元)", "交易编号"};
    ledger_ctx c = {.fmt = fmt, .f = f};
    char a[11], b[11], y[24];
    int ret;
    zc_date_fmt(from, a, sizeof a);
    zc_date_fmt(to, b, sizeof b);
    if (fmt == TILL_FMT_CSV) {
        zc_csvout_begin(&c.w, f);
        for (size_t i = 0; i < sizeof header / sizeof header[0]; i++)
            zc_csvout_str(&c.w, header[i]);
        zc_csvout_row(&c.w);
    } else if (fmt == TILL_FMT_JSON) {
        fprintf(f, "{\"from\":\"%s\",\"to\":\"%s\",\"lines\":[", a, b);
    } else {
        fprintf(f, "补贴明细 subsidy ledger %s ~ %s\n", a, b);
    }
    ret = store_report_ledger(st, from, to, ledger_line, &c, err);
    if (ret)
        return ret;
    if (fmt == TILL_FMT_CSV)
        return zc_csvout_finish(&c.w, "the ledger CSV", err);
    if (fmt == TILL_FMT_JSON)
        fprintf(f, "\n],\"count\":%ld,\"total_fen\":%lld}\n", c.n, (long long)c.total);
    else
        fprintf(f, "合计 total: %ld lines, %s yuan\n", c.n, yuan(c.total, y, sizeof y));
    return stream_done(f, "the ledger", err);
}

/* ---- sales the centre has not acknowledged ---- */

static const char *held_name(const char *held)
{
    if (!held[0])
        return "等待上传";
    if (strcmp(held, "conflict") == 0)
        return "冲突（中心已有不同内容）";
    if (strcmp(held, "rejected") == 0)
        return "被中心拒收";
    if (strcmp(held, "unknown_sale") == 0)
        return "中心没有原交易";
    return held;
}

typedef struct unsent_ctx {
    till_report_fmt fmt;
    FILE *f;
    zc_csvout w;
    long n;
} unsent_ctx;

static int unsent_row(void *vctx, const store_unsent_row *r)
{
    unsent_ctx *c = vctx;
    char a[24], b[24];
    if (c->fmt == TILL_FMT_CSV) {
        zc_csvout_int(&c->w, r->seq);
        zc_csvout_str(&c->w, r->kind);
        zc_csvout_str(&c->w, r->local_time);
        zc_csvout_money(&c->w, r->gross);
        zc_csvout_money(&c->w, r->subsidy);
        zc_csvout_int(&c->w, r->attempts);
        zc_csvout_str(&c->w, r->held);
        zc_csvout_str(&c->w, held_name(r->held));
        zc_csvout_str(&c->w, r->reason);
        zc_csvout_str(&c->w, r->sale_id);
        zc_csvout_row(&c->w);
    } else if (c->fmt == TILL_FMT_JSON) {
        cJSON *o = cJSON_CreateObject();
        cJSON_AddNumberToObject(o, "seq", (double)r->seq);
        cJSON_AddStringToObject(o, "sale_id", r->sale_id);
        cJSON_AddStringToObject(o, "kind", r->kind);
        cJSON_AddStringToObject(o, "time", r->local_time);
        cJSON_AddNumberToObject(o, "gross_fen", (double)r->gross);
        cJSON_AddNumberToObject(o, "subsidy_fen", (double)r->subsidy);
        cJSON_AddNumberToObject(o, "attempts", (double)r->attempts);
        cJSON_AddStringToObject(o, "state", r->held[0] ? r->held : "waiting");
        cJSON_AddStringToObject(o, "reason", r->reason);
        fputs(c->n ? ",\n" : "\n", c->f);
        json_put(c->f, o, "");
    } else {
        fprintf(c->f, "%6lld  %-4s  %s  %9s %9s  %3ld  %s%s%s\n", (long long)r->seq, r->kind, r->local_time,
                yuan(r->gross, a, sizeof a), yuan(r->subsidy, b, sizeof b), r->attempts, held_name(r->held),
                r->reason[0] ? ": " : "", r->reason);
    }
    c->n++;
    return ZC_OK;
}

int till_report_write_unsent(store_t *st, till_report_fmt fmt, FILE *f, zc_err *err)
{
    static const char *const header[] = {"序号", "类型", "时间", "合计(分)", "合计(元)", "补贴(分)", "补贴(元)",
                                         "尝试次数", "状态", "状态说明", "原因", "交易编号"};
    unsent_ctx c = {.fmt = fmt, .f = f};
    long n = 0, held = 0;
    int ret;
    if (fmt == TILL_FMT_CSV) {
        zc_csvout_begin(&c.w, f);
        for (size_t i = 0; i < sizeof header / sizeof header[0]; i++)
            zc_csvout_str(&c.w, header[i]);
        zc_csvout_row(&c.w);
    } else if (fmt == TILL_FMT_JSON) {
        fputs("{\"rows\":[", f);
    } else {
        fputs("未上传 not acknowledged by the centre (seq kind time gross subsidy tries state)\n", f);
    }
    ret = store_report_unsent(st, unsent_row, &c, &n, &held, err);
    if (ret)
        return ret;
    if (fmt == TILL_FMT_CSV)
        return zc_csvout_finish(&c.w, "the unsent CSV", err);
    if (fmt == TILL_FMT_JSON)
        fprintf(f, "\n],\"count\":%ld,\"held\":%ld}\n", n, held);
    else
        fprintf(f, "合计 total: %ld waiting, %ld refused by the centre\n", n - held, held);
    return stream_done(f, "the unsent list", err);
}

/* ---- a shift's Z report ---- */

static char *local_time(int64_t utc, char *buf, int n)
{
    if (!utc) {
        snprintf(buf, (size_t)n, "%s", "");
        return buf;
    }
    return zc_datetime_fmt(zc_tz_local(utc), buf, n);
}

int till_report_write_shift(const store_zreport *z, till_report_fmt fmt, FILE *f, zc_err *err)
{
    char opened[24], closed[24], a[24];
    const store_shift *sh = &z->shift;
    zc_fen diff = sh->counted_fen - z->cash_expected;
    local_time(sh->opened_utc, opened, sizeof opened);
    local_time(sh->closed_utc, closed, sizeof closed);
    struct {
        const char *zh, *key;
        long count;
        zc_fen fen;
        bool money;
    } rows[] = {
        {"交易笔数", "sales", z->sales, 0, false}, {"作废", "voids", z->voids, 0, false},
        {"老人用餐", "elders", z->elders, 0, false}, {"合计", "gross", z->sales, z->gross, true},
        {"补贴", "subsidy", z->sales, z->subsidy, true}, {"实收", "pay", z->sales, z->pay, true},
        {"现金", "cash", 0, z->cash, true}, {"移动支付", "mobile", 0, z->mobile, true},
        {"备用金", "float", 0, sh->float_fen, true}, {"应有现金", "cash_expected", 0, z->cash_expected, true},
        {"实点现金", "counted", 0, sh->counted_fen, true}, {"差额", "difference", 0, diff, true},
    };
    const int nrows = (int)(sizeof rows / sizeof rows[0]);
    if (fmt == TILL_FMT_CSV) {
        zc_csvout w;
        zc_csvout_begin(&w, f);
        const char *header[] = {"项目", "代码", "数量", "金额(分)", "金额(元)"};
        for (int i = 0; i < 5; i++)
            zc_csvout_str(&w, header[i]);
        zc_csvout_row(&w);
        char shift[160];
        snprintf(shift, sizeof shift, "#%lld %s %s~%s", (long long)sh->id, sh->operator_id, opened,
                 closed[0] ? closed : "(open)");
        zc_csvout_str(&w, "班次");
        zc_csvout_str(&w, shift);
        zc_csvout_int(&w, sh->id);
        zc_csvout_str(&w, NULL);
        zc_csvout_str(&w, NULL);
        zc_csvout_row(&w);
        for (int i = 0; i < nrows; i++) {
            zc_csvout_str(&w, rows[i].zh);
            zc_csvout_str(&w, rows[i].key);
            zc_csvout_int(&w, rows[i].count);
            if (rows[i].money) {
                zc_csvout_money(&w, rows[i].fen);
            } else {
                zc_csvout_str(&w, NULL);
                zc_csvout_str(&w, NULL);
            }
            zc_csvout_row(&w);
        }
        for (int i = 0; i < z->nsources; i++) {
            zc_csvout_str(&w, till_report_source_name(z->by_source[i].source));
            zc_csvout_str(&w, z->by_source[i].source);
            zc_csvout_int(&w, z->by_source[i].parts);
            zc_csvout_money(&w, z->by_source[i].fen);
            zc_csvout_row(&w);
        }
        return zc_csvout_finish(&w, "the shift CSV", err);
    }
    if (fmt == TILL_FMT_JSON) {
        cJSON *o = cJSON_CreateObject();
        cJSON_AddNumberToObject(o, "shift", (double)sh->id);
        cJSON_AddStringToObject(o, "operator", sh->operator_id);
        cJSON_AddStringToObject(o, "opened", opened);
        cJSON_AddStringToObject(o, "closed", closed);
        for (int i = 0; i < nrows; i++) {
            char key[40];
            snprintf(key, sizeof key, "%s%s", rows[i].key, rows[i].money ? "_fen" : "");
            cJSON_AddNumberToObject(o, key, (double)(rows[i].money ? rows[i].fen : rows[i].count));
        }
        cJSON_AddNumberToObject(o, "first_seq", (double)z->first_seq);
        cJSON_AddNumberToObject(o, "last_seq", (double)z->last_seq);
        cJSON *src = cJSON_AddArrayToObject(o, "by_source");
        for (int i = 0; i < z->nsources; i++) {
            cJSON *s = cJSON_CreateObject();
            cJSON_AddStringToObject(s, "source", z->by_source[i].source);
            cJSON_AddNumberToObject(s, "parts", (double)z->by_source[i].parts);
            cJSON_AddNumberToObject(s, "fen", (double)z->by_source[i].fen);
            cJSON_AddItemToArray(src, s);
        }
        json_put(f, o, "\n");
        return stream_done(f, "the shift report", err);
    }
    fprintf(f, "交班报表 Z report: shift #%lld by %s, %s ~ %s (seq %lld..%lld)\n", (long long)sh->id, sh->operator_id,
            opened, closed[0] ? closed : "(still open)", (long long)z->first_seq, (long long)z->last_seq);
    for (int i = 0; i < nrows; i++) {
        fputs("  ", f);
        put_padded(f, rows[i].zh, 10);
        if (rows[i].money)
            fprintf(f, " %-14s %12s\n", rows[i].key, yuan(rows[i].fen, a, sizeof a));
        else
            fprintf(f, " %-14s %12ld\n", rows[i].key, rows[i].count);
    }
    for (int i = 0; i < z->nsources; i++) {
        fputs("  ", f);
        put_padded(f, till_report_source_name(z->by_source[i].source), 10);
        fprintf(f, " %-14s %12s  (%ld parts)\n", z->by_source[i].source, yuan(z->by_source[i].fen, a, sizeof a),
                z->by_source[i].parts);
    }
    return stream_done(f, "the shift report", err);
}

/* ---- export into a folder ---- */

enum { EX_SUMMARY, EX_LEDGER, EX_SHIFT };

/* Writes one file through dir/.name.tmp and renames it into place. */
static int export_one(store_t *st, const till_export_req *req, int kind, const char *dir, const char *name,
                      char *path, size_t pathn, zc_err *err)
{
    char tmp[TILL_EXPORT_PATH];
    zc_date a, b;
    int ret;
    if (snprintf(path, pathn, "%s/%s", dir, name) >= (int)pathn ||
        snprintf(tmp, sizeof tmp, "%s/.%s.tmp", dir, name) >= (int)sizeof tmp)
        return zc_errf(err, ZC_ETOOBIG, "the folder's path is too long: %s", dir);
    FILE *f = fopen(tmp, "wb");
    if (!f)
        return zc_errf(err, errno == ENOSPC ? ZC_EFULL : ZC_EIO, "cannot create %s: %s", path, strerror(errno));
    if (kind == EX_SHIFT) {
        ret = till_report_write_shift(req->z, TILL_FMT_CSV, f, err);
    } else if (kind == EX_SUMMARY) {
        ret = till_report_write(req->r, req->month ? "月报" : "日报", TILL_FMT_CSV, f, err);
    } else {
        ret = zc_date_parse(req->r->from, &a);
        if (ret == ZC_OK)
            ret = zc_date_parse(req->r->to, &b);
        if (ret == ZC_OK)
            ret = till_report_write_ledger(st, a, b, TILL_FMT_CSV, f, err);
        else
            ret = zc_errf(err, ZC_EINVAL, "the report's dates are not set");
    }
    /* on the stick before it is renamed: a pulled stick keeps the old file or none */
    if (ret == ZC_OK && fsync(fileno(f)) != 0)
        ret = zc_errf(err, errno == ENOSPC ? ZC_EFULL : ZC_EIO, "writing %s failed: %s", path, strerror(errno));
    if (fclose(f) != 0 && ret == ZC_OK)
        ret = zc_errf(err, errno == ENOSPC ? ZC_EFULL : ZC_EIO, "writing %s failed: %s", path, strerror(errno));
    if (ret == ZC_OK && rename(tmp, path) != 0)
        ret = zc_errf(err, ZC_EIO, "cannot name the file %s: %s", path, strerror(errno));
    if (ret != ZC_OK) {
        unlink(tmp);
        if (err && !strstr(err->msg, path)) { /* say which file */
            char why[sizeof err->msg];
            snprintf(why, sizeof why, "%s", err->msg);
            (void)zc_errf(err, ret, "%s: %s", path, why);
        }
    }
    return ret;
}

int till_report_export(store_t *st, const till_export_req *req, const char *dir,
                        char files[TILL_EXPORT_FILES][TILL_EXPORT_PATH], int *n, zc_err *err)
{
    struct stat sb;
    char names[2][128], tag[24];
    int kinds[2], nk = 0, ret = ZC_OK;
    const char *term = req->terminal_id && req->terminal_id[0] ? req->terminal_id : "terminal";
    *n = 0;
    if (!dir || !dir[0] || stat(dir, &sb) != 0 || !S_ISDIR(sb.st_mode))
        return zc_errf(err, ZC_ENOTFOUND, "the folder %s is not there (was the USB stick removed?)",
                       dir && dir[0] ? dir : "(none)");
    if (req->r) {
        /* 2026-11-02 for a day, 2026-11 for a month */
        snprintf(tag, sizeof tag, "%.*s", req->month ? 7 : 10, req->r->from);
        snprintf(names[nk], sizeof names[nk], "zhucan-%s-%s-%s.csv", term, req->month ? "monthly" : "daily", tag);
        kinds[nk++] = EX_SUMMARY;
        snprintf(names[nk], sizeof names[nk], "zhucan-%s-ledger-%s.csv", term, tag);
        kinds[nk++] = EX_LEDGER;
    } else if (req->z) {
        snprintf(names[nk], sizeof names[nk], "zhucan-%s-shift-%lld.csv", term, (long long)req->z->shift.id);
        kinds[nk++] = EX_SHIFT;
    } else {
        return zc_errf(err, ZC_EINVAL, "nothing to export");
    }
    for (int i = 0; i < nk && ret == ZC_OK; i++) {
        ret = export_one(st, req, kinds[i], dir, names[i], files[*n], TILL_EXPORT_PATH, err);
        if (ret == ZC_OK)
            (*n)++;
    }
    return ret;
}
