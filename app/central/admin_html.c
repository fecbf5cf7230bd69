/* admin_html.c - the operators' page from the month reports (admin_html.h).
 *
 * The page reads top to bottom in the order an operator works through a
 * month: what to claim (settlement totals, per canteen and funding source,
 * the daily chart), whether every terminal's sales arrived (reconciliation,
 * problems first in words), what looks wrong (anomalies).  Labels are
 * Chinese; ids stay as they are so they can be searched for. */
#include "admin_html.h"

#include <cjson/cJSON.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../core/civil.h"
#include "../core/money.h"
#include "../core/names.h"

/* ---- the buffer ---- */

void central_html_raw(central_html *h, const char *s)
{
    zc_buf_text(h, s);
}

void central_html_printf(central_html *h, const char *fmt, ...)
{
    char small[512];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(small, sizeof small, fmt, ap);
    va_end(ap);
    if (n < 0) {
        h->failed = true;
        return;
    }
    if ((size_t)n < sizeof small) {
        zc_buf_put(h, small, (size_t)n);
        return;
    }
    char *big = malloc((size_t)n + 1);
    if (!big) {
        h->failed = true;
        return;
    }
    va_start(ap, fmt);
    vsnprintf(big, (size_t)n + 1, fmt, ap);
    va_end(ap);
    zc_buf_put(h, big, (size_t)n);
    free(big);
}

void central_html_text(central_html *h, const char *s)
{
    const char *run = s;
    if (!s)
        return;
    for (; *s; s++) {
        const char *rep = NULL;
        switch (*s) {
        case '&': rep = "&amp;"; break;
        case '<': rep = "&lt;"; break;
        case '>': rep = "&gt;"; break;
        case '"': rep = "&quot;"; break;
        case '\'': rep = "&#39;"; break;
        default: break;
        }
        if (rep) {
            zc_buf_put(h, run, (size_t)(s - run));
            central_html_raw(h, rep);
            run = s + 1;
        }
    }
    zc_buf_put(h, run, (size_t)(s - run));
}

int central_html_take(central_html *h, char **out, size_t *len, zc_err *err)
{
    if (!zc_buf_take(h, out, len))
        return zc_errf(err, ZC_ETOOBIG, "the page would be larger than %zu bytes (or memory ran "
                       "out); choose a shorter period", h->max);
    return ZC_OK;
}

/* ---- reading the reports ---- */

/* A string member, "" when absent or not a string. */
static const char *js(const cJSON *o, const char *k)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, k);
    return cJSON_IsString(v) && v->valuestring ? v->valuestring : "";
}

/* An integer member, 0 when absent or not a number. */
static int64_t jn(const cJSON *o, const char *k)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, k);
    return cJSON_IsNumber(v) ? (int64_t)v->valuedouble : 0;
}

static const cJSON *jo(const cJSON *o, const char *k)
{
    return cJSON_GetObjectItemCaseSensitive(o, k);
}

static void yuan(central_html *h, int64_t fen)
{
    char buf[32];
    central_html_raw(h, zc_fen_fmt(fen, buf, sizeof buf));
}

/* A moment (epoch seconds) as local "YYYY-MM-DD HH:MM" (the process zone). */
static void moment(central_html *h, int64_t utc)
{
    zc_datetime t = zc_tz_local(utc);
    central_html_printf(h, "%04d-%02d-%02d %02d:%02d", t.date.y, t.date.m, t.date.d, t.hh, t.mm);
}

const char *central_admin_source_label(const char *source)
{
    const char *zh = zc_source_name(source, ZC_SOURCE_LONG);
    return zh ? zh : source ? source : "";
}

static const char *anomaly_label(const char *kind)
{
    static const struct {
        const char *code, *label;
    } names[] = {
        {"over_limit", "超出次数或金额上限"}, {"card_two_canteens", "同一张卡同餐次在两处用餐"},
        {"outside_window", "供餐时段以外"},   {"requote_differs", "中心复核补贴不一致"},
        {"void_rate", "作废比例偏高"},        {"flag", "中心标记（挂失、停用、未知卡等）"},
    };
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        if (strcmp(kind, names[i].code) == 0)
            return names[i].label;
    return kind;
}

static const char *conflict_label(const char *kind)
{
    if (strcmp(kind, "same_id") == 0)
        return "同一单号、内容不同";
    if (strcmp(kind, "same_seq") == 0)
        return "同一序号、内容不同";
    return kind;
}

/* ---- the frame ---- */

static const char css[] =
    "*{box-sizing:border-box}"
    "body{margin:0;font-family:\"Noto Sans CJK SC\",\"Noto Sans SC\",\"Source Han Sans SC\","
    "\"PingFang SC\",\"Microsoft YaHei\",sans-serif;color:#1b1f24;background:#f3f4f6;"
    "font-size:15px;line-height:1.55}"
    "header{background:#17324d;color:#fff;padding:10px 24px;display:flex;flex-wrap:wrap;"
    "align-items:center;gap:12px 28px}"
    "header h1{font-size:20px;margin:0;font-weight:600;letter-spacing:1px}"
    "header a{color:#cfe3ff}"
    "header form{display:flex;gap:8px;align-items:center;margin:0}"
    "header .who{margin-left:auto;display:flex;gap:12px;align-items:center}"
    "input,button{font:inherit;padding:4px 10px;border:1px solid #9aa5b1;border-radius:4px}"
    "button{background:#fff;cursor:pointer}"
    "main{max-width:1480px;margin:0 auto;padding:8px 24px 40px}"
    "section{background:#fff;border:1px solid #d5dae0;border-radius:6px;padding:14px 20px;"
    "margin:16px 0}"
    "h2{font-size:18px;margin:0 0 10px;display:flex;gap:12px;align-items:baseline;flex-wrap:wrap}"
    "h2 small{font-size:14px;font-weight:400;color:#56606b}"
    "h3{font-size:15px;margin:16px 0 6px}"
    ".cards{display:grid;grid-template-columns:repeat(auto-fit,minmax(170px,1fr));gap:12px;"
    "margin-bottom:8px}"
    ".card{border:1px solid #d5dae0;border-radius:6px;padding:8px 14px;background:#fafbfc}"
    ".card b{display:block;font-size:26px;font-variant-numeric:tabular-nums}"
    ".card span{color:#56606b;font-size:13px}"
    ".wrap{overflow-x:auto}"
    "table{border-collapse:collapse;width:100%;font-variant-numeric:tabular-nums}"
    "th,td{padding:6px 10px;border-bottom:1px solid #e3e7eb;text-align:left;vertical-align:top}"
    "th{background:#eef1f4;font-weight:600;font-size:14px;white-space:nowrap}"
    ".n{text-align:right;white-space:nowrap}.nw{white-space:nowrap}"
    "tr.total td{font-weight:700;border-top:2px solid #9aa5b1;background:#fafbfc}"
    "td small,.muted{color:#56606b}"
    ".id,.uuid{font-family:\"DejaVu Sans Mono\",monospace;font-size:13px}"
    ".id{white-space:nowrap}.uuid{word-break:break-all}"
    ".badge{display:inline-block;padding:0 10px;border-radius:10px;font-size:13px;"
    "font-weight:600;white-space:nowrap}"
    ".ok{color:#17663a;background:#dff3e6}.bad{color:#9b1c1c;background:#fde5e5}"
    ".zero{color:#56606b;background:#eef1f4}"
    "ul.why{margin:0 0 4px;padding-left:18px}"
    "dl{margin:4px 0 0;display:grid;grid-template-columns:max-content 1fr;gap:2px 10px;"
    "font-size:14px}dt{color:#56606b}dd{margin:0}"
    ".charts{display:grid;grid-template-columns:repeat(auto-fit,minmax(520px,1fr));gap:16px}"
    ".charts figure{margin:0}.charts figcaption{font-weight:600;margin-bottom:4px}"
    "svg{width:100%;height:auto;display:block}"
    "details{margin-top:8px}summary{cursor:pointer;color:#1f5fa8}"
    ".chips{display:flex;flex-wrap:wrap;gap:8px;margin-bottom:10px}"
    "footer{color:#56606b;font-size:13px;text-align:center;padding:8px}"
    ".box{max-width:420px;margin:10vh auto;background:#fff;border:1px solid #d5dae0;"
    "border-radius:6px;padding:24px 28px}"
    ".box label{display:block;margin:12px 0 4px}.box input{width:100%}"
    ".box button{margin-top:16px;width:100%;background:#17324d;color:#fff;border:0;padding:8px}"
    ".msg{color:#9b1c1c;background:#fde5e5;padding:6px 10px;border-radius:4px}"
    ".note{color:#17663a;background:#dff3e6;padding:6px 10px;border-radius:4px}"
    "nav.tabs{display:flex;flex-wrap:wrap;gap:4px 16px}"
    "form.grid{display:grid;grid-template-columns:max-content minmax(0,360px);gap:8px 12px;"
    "align-items:center}form.grid button{grid-column:2;justify-self:start}"
    "select{font:inherit;padding:4px 8px;border:1px solid #9aa5b1;border-radius:4px}"
    "form.inline{display:flex;flex-wrap:wrap;gap:6px;align-items:center;margin:0}"
    ".card-line{display:flex;flex-wrap:wrap;gap:6px;align-items:center;margin:2px 0}"
    "@media (max-width:640px){header{padding:8px 12px}main{padding:4px 8px 24px}"
    "form.grid{grid-template-columns:1fr}form.grid button{grid-column:1}"
    "section{padding:10px 12px}}";

void central_admin_html_open(central_html *h, const char *title)
{
    central_html_raw(h, "<!DOCTYPE html>\n<html lang=\"zh-CN\"><head><meta charset=\"utf-8\">"
                        "<meta name=\"viewport\" content=\"width=device-width,initial-scale=1\">"
                        "<meta name=\"referrer\" content=\"same-origin\"><title>");
    central_html_text(h, title);
    central_html_raw(h, " · 助餐中心</title><style>");
    central_html_raw(h, css);
    central_html_raw(h, "</style></head><body>\n");
}

void central_admin_html_close(central_html *h)
{
    central_html_raw(h, "</body></html>\n");
}

int central_admin_html_login(const char *message, const char *name, const char *csrf, char **out,
                             size_t *len, zc_err *err)
{
    central_html h;
    zc_buf_init(&h, CENTRAL_HTML_MAX);
    central_admin_html_open(&h, "登录");
    central_html_raw(&h, "<main><div class=\"box\"><h2>助餐 · 运营后台登录</h2>");
    if (message && *message) {
        central_html_raw(&h, "<p class=\"msg\" role=\"alert\">");
        central_html_text(&h, message);
        central_html_raw(&h, "</p>");
    }
    central_html_raw(&h, "<form method=\"post\" action=\"/admin/login\">"
                         "<input type=\"hidden\" name=\"csrf\" value=\"");
    central_html_text(&h, csrf);
    central_html_raw(&h, "\"><label for=\"user\">用户名</label>"
                         "<input id=\"user\" name=\"user\" autocomplete=\"username\" autofocus required "
                         "maxlength=\"47\" value=\"");
    central_html_text(&h, name);
    central_html_raw(&h, "\"><label for=\"password\">密码</label>"
                         "<input id=\"password\" name=\"password\" type=\"password\" "
                         "autocomplete=\"current-password\" required maxlength=\"128\">"
                         "<button type=\"submit\">登录</button></form>"
                         "<p class=\"muted\">账户由中心管理员用 <code>zhucan-central admin add</code> "
                         "创建。连续多次密码错误后需等待片刻再试。</p></div></main>");
    central_admin_html_close(&h);
    return central_html_take(&h, out, len, err);
}

int central_admin_html_message(const char *title, const char *text, const char *href,
                               const char *link_text, char **out, size_t *len, zc_err *err)
{
    central_html h;
    zc_buf_init(&h, CENTRAL_HTML_MAX);
    central_admin_html_open(&h, title);
    central_html_raw(&h, "<main><div class=\"box\"><h2>");
    central_html_text(&h, title);
    central_html_raw(&h, "</h2><p>");
    central_html_text(&h, text);
    central_html_raw(&h, "</p>");
    if (href) {
        central_html_raw(&h, "<p><a href=\"");
        central_html_text(&h, href);
        central_html_raw(&h, "\">");
        central_html_text(&h, link_text);
        central_html_raw(&h, "</a></p>");
    }
    central_html_raw(&h, "</div></main>");
    central_admin_html_close(&h);
    return central_html_take(&h, out, len, err);
}

/* ---- the month page ---- */

/* Whether s is "DDDD-DD" (so that it may be printed as it is). */
static bool digits_month(const char *s)
{
    if (!s || strlen(s) != 7 || s[4] != '-')
        return false;
    for (int i = 0; i < 7; i++)
        if (i != 4 && (s[i] < '0' || s[i] > '9'))
            return false;
    return true;
}

static void header(central_html *h, const central_admin_view *v)
{
    const char *mm = digits_month(v->month) ? v->month + 5 : "";
    central_html_raw(h, "<header><h1>助餐 · ");
    if (*mm) /* "2026年3月", not "2026年03月" */
        central_html_printf(h, "%.4s年%s月 ", v->month, mm[0] == '0' ? mm + 1 : mm);
    central_html_raw(h, "运营月报</h1><nav><a href=\"/admin/?month=");
    central_html_text(h, v->prev);
    central_html_raw(h, "\">&larr; 上月</a> &nbsp; <a href=\"/admin/?month=");
    central_html_text(h, v->next);
    central_html_raw(h, "\">下月 &rarr;</a></nav>"
                        "<form method=\"get\" action=\"/admin/\"><label for=\"month\">月份</label>"
                        "<input id=\"month\" name=\"month\" type=\"month\" required value=\"");
    central_html_text(h, v->month);
    central_html_raw(h, "\"><button type=\"submit\">查看</button></form>"
                        "");
    central_admin_html_who(h, v->admin, v->role, v->csrf);
    central_html_raw(h, "</header>\n<main>");
}

void central_admin_html_who(central_html *h, const char *admin, const char *role, const char *csrf)
{
    central_html_raw(h, "<nav class=\"tabs\"><a href=\"/admin/\">月报</a>"
                        "<a href=\"/admin/canteens\">饭堂与终端</a><a href=\"/admin/elders\">老人与卡</a>"
                        "<a href=\"/admin/roster\">导入花名册</a>"
                        "<a href=\"/admin/accounts\">账户</a>"
                        "<a href=\"/admin/audit\">操作记录</a>"
                        "<a href=\"/admin/password\">修改密码</a></nav><div class=\"who\"><span>");
    central_html_text(h, admin);
    central_html_raw(h, "（");
    central_html_text(h, role);
    central_html_raw(h, "）</span><form method=\"post\" action=\"/admin/logout\">"
                        "<input type=\"hidden\" name=\"csrf\" value=\"");
    central_html_text(h, csrf);
    central_html_raw(h, "\"><button type=\"submit\">退出登录</button></form></div>");
}

static void card(central_html *h, const char *label, const char *value_html)
{
    central_html_raw(h, "<div class=\"card\"><span>");
    central_html_raw(h, label);
    central_html_raw(h, "</span><b>");
    central_html_raw(h, value_html);
    central_html_raw(h, "</b></div>");
}

/* The source's subsidy cell of a canteen (or the totals): yuan, meals. */
static void source_cell(central_html *h, const cJSON *sources, const char *source)
{
    const cJSON *s;
    cJSON_ArrayForEach(s, sources)
    {
        if (strcmp(js(s, "source"), source) == 0) {
            central_html_raw(h, "<td class=\"n\">");
            yuan(h, jn(s, "subsidy_fen"));
            central_html_printf(h, "<br><small>%lld 人次</small></td>", (long long)jn(s, "meals"));
            return;
        }
    }
    central_html_raw(h, "<td class=\"n\"><small>—</small></td>");
}

/* One row of the canteen table (a canteen, or the totals with its label). */
static void canteen_row(central_html *h, const cJSON *c, const cJSON *all_sources, bool total)
{
    const cJSON *s;
    central_html_raw(h, total ? "<tr class=\"total\"><td>合计</td>" : "<tr><td>");
    if (!total) {
        central_html_text(h, js(c, "name"));
        central_html_raw(h, "<br><small class=\"id\">");
        central_html_text(h, js(c, "id"));
        central_html_raw(h, "</small></td>");
    }
    central_html_printf(h, "<td class=\"n\">%lld</td><td class=\"n\">", (long long)jn(c, "meals"));
    yuan(h, jn(c, "gross_fen"));
    central_html_raw(h, "</td><td class=\"n\">");
    yuan(h, jn(c, "subsidy_fen"));
    central_html_raw(h, "</td><td class=\"n\">");
    yuan(h, jn(c, "pay_fen"));
    central_html_printf(h, "</td><td class=\"n\">%lld</td>", (long long)jn(c, "voids"));
    cJSON_ArrayForEach(s, all_sources)
        source_cell(h, jo(c, "sources"), js(s, "source"));
    central_html_raw(h, "</tr>\n");
}

static void settlement(central_html *h, const central_admin_view *v, const cJSON *st)
{
    const cJSON *totals = jo(st, "totals"), *sources = jo(totals, "sources"), *c, *s;
    char buf[64], num[32];
    central_html_raw(h, "<section id=\"settlement\"><h2>月度结算");
    central_html_raw(h, "<small>");
    if (js(st, "from")[0] && js(st, "to")[0]) {
        central_html_text(h, js(st, "from"));
        central_html_raw(h, " 至 ");
        central_html_text(h, js(st, "to"));
    } else {
        central_html_text(h, js(st, "month")[0] ? js(st, "month") : v->month);
    }
    if (cJSON_IsString(jo(st, "canteen"))) {
        central_html_raw(h, " · 餐点 ");
        central_html_text(h, js(st, "canteen"));
    }
    central_html_raw(h, " · 金额单位：元；已作废的销售不计入</small>"
                        "<small><a href=\"/admin/settlement.csv?month=");
    central_html_text(h, v->month);
    central_html_raw(h, "\" download>下载结算表 (CSV)</a></small></h2><div class=\"cards\">");
    snprintf(num, sizeof num, "%lld", (long long)jn(totals, "meals"));
    card(h, "用餐人次", num);
    card(h, "餐费合计（元）", zc_fen_fmt(jn(totals, "gross_fen"), buf, sizeof buf));
    card(h, "补贴合计（元）", zc_fen_fmt(jn(totals, "subsidy_fen"), buf, sizeof buf));
    card(h, "老人自付（元）", zc_fen_fmt(jn(totals, "pay_fen"), buf, sizeof buf));
    snprintf(num, sizeof num, "%lld", (long long)jn(totals, "voids"));
    card(h, "作废笔数", num);
    central_html_raw(h, "</div><h3>各餐点与资金来源</h3><div class=\"wrap\"><table><thead><tr>"
                        "<th>餐点</th><th class=\"n\">用餐人次</th><th class=\"n\">餐费</th>"
                        "<th class=\"n\">补贴</th><th class=\"n\">自付</th><th class=\"n\">作废</th>");
    cJSON_ArrayForEach(s, sources)
    {
        central_html_raw(h, "<th class=\"n\">");
        central_html_text(h, central_admin_source_label(js(s, "source")));
        central_html_raw(h, "补贴</th>");
    }
    central_html_raw(h, "</tr></thead><tbody>\n");
    int n = 0;
    cJSON_ArrayForEach(c, jo(st, "canteens"))
    {
        canteen_row(h, c, sources, false);
        n++;
    }
    if (n == 0)
        central_html_printf(h, "<tr><td colspan=\"%d\" class=\"muted\">本月没有销售。</td></tr>",
                            6 + cJSON_GetArraySize(sources));
    canteen_row(h, totals, sources, true);
    central_html_raw(h, "</tbody></table></div>");
    central_admin_chart(h, jo(st, "days"));
    central_html_raw(h, "</section>\n");
}

static void seq_range(central_html *h, int index, int64_t from, int64_t to)
{
    central_html_printf(h, index ? ", %lld" : "%lld", (long long)from);
    if (to > from)
        central_html_printf(h, "–%lld", (long long)to);
}

/* Sequence numbers as ranges, "5–7, 12", at most 40 ranges shown; the
 * count is `missing` when the report gives it (its list may be cut). */
static void seq_ranges(central_html *h, const cJSON *seqs, int64_t missing)
{
    const cJSON *s;
    int64_t from = 0, to = 0, total = 0;
    int ranges = 0;
    bool open = false;
    cJSON_ArrayForEach(s, seqs)
    {
        if (!cJSON_IsNumber(s))
            continue;
        int64_t v = (int64_t)s->valuedouble;
        total++;
        if (open && v == to + 1) {
            to = v;
            continue;
        }
        if (open && ranges < 40)
            seq_range(h, ranges, from, to);
        ranges += open;
        from = to = v;
        open = true;
    }
    if (open && ranges < 40)
        seq_range(h, ranges, from, to);
    ranges += open;
    bool cut = ranges > 40 || missing > total;
    central_html_printf(h, cut ? " …（共 %lld 个）" : "（共 %lld 个）",
                        (long long)(missing > total ? missing : total));
}

/* What is wrong with a terminal, one Chinese sentence per kind of problem,
 * from the report's structured members (its English "why" sentences
 * follow, folded, for the technical staff). */
static void terminal_why_zh(central_html *h, const cJSON *t)
{
    const cJSON *x;
    int64_t missing = jn(t, "missing");
    central_html_raw(h, "<ul class=\"why\">");
    if (missing > 0)
        central_html_printf(h, "<li>中心缺少这台终端的 %lld 笔销售（序号见下）：终端还没上传，或上传后被拒收。</li>",
                            (long long)missing);
    cJSON_ArrayForEach(x, jo(t, "missing_closings"))
    {
        central_html_raw(h, "<li>");
        central_html_text(h, cJSON_IsString(x) ? x->valuestring : "");
        central_html_raw(h, " 有销售，但终端没有上报这一天的日结。</li>");
    }
    cJSON_ArrayForEach(x, jo(t, "mismatched_days"))
    {
        central_html_raw(h, "<li>");
        central_html_text(h, js(x, "date"));
        central_html_raw(h, " 终端日结的笔数或金额与中心收到的销售不符（明细见下）。</li>");
    }
    cJSON_ArrayForEach(x, jo(t, "conflicts"))
    {
        central_html_raw(h, "<li>");
        central_html_text(h, conflict_label(js(x, "kind")));
        central_html_raw(h, "：同一笔销售收到了两种内容，中心保留先收到的（单号 <span class=\"uuid\">");
        central_html_text(h, js(x, "sale_id"));
        central_html_raw(h, "</span>）。</li>");
    }
    cJSON_ArrayForEach(x, jo(t, "chain_breaks"))
        central_html_printf(h, "<li>序号 %lld 与前一笔的哈希链接不上：前一笔销售在终端上被改过。</li>",
                            (long long)jn(x, "seq"));
    cJSON_ArrayForEach(x, jo(t, "refused"))
    {
        central_html_printf(h, "<li>序号 %lld 的销售到了中心但被拒收（%lld 次），原因：", (long long)jn(x, "seq"),
                            (long long)jn(x, "times"));
        central_html_text(h, js(x, "reason"));
        central_html_raw(h, "。</li>");
    }
    central_html_raw(h, "</ul>");
}

/* The detail lists of a terminal with problems. */
static void terminal_details(central_html *h, const cJSON *t)
{
    const cJSON *x;
    terminal_why_zh(h, t);
    central_html_raw(h, "<details><summary>英文原文（供技术人员）</summary><ul class=\"why\">");
    cJSON_ArrayForEach(x, jo(t, "why"))
    {
        central_html_raw(h, "<li>");
        central_html_text(h, cJSON_IsString(x) ? x->valuestring : "");
        central_html_raw(h, "</li>");
    }
    central_html_raw(h, "</ul></details><dl>");
    if (cJSON_GetArraySize(jo(t, "missing_seqs")) > 0) {
        central_html_raw(h, "<dt>缺少的序号</dt><dd>");
        seq_ranges(h, jo(t, "missing_seqs"), jn(t, "missing"));
        central_html_raw(h, "</dd>");
    }
    if (cJSON_GetArraySize(jo(t, "missing_closings")) > 0) {
        central_html_raw(h, "<dt>未上报日结</dt><dd>");
        int i = 0;
        cJSON_ArrayForEach(x, jo(t, "missing_closings"))
        {
            central_html_raw(h, i++ ? "、" : "");
            central_html_text(h, cJSON_IsString(x) ? x->valuestring : "");
        }
        central_html_raw(h, "</dd>");
    }
    cJSON_ArrayForEach(x, jo(t, "mismatched_days"))
    {
        central_html_raw(h, "<dt>日结不符 ");
        central_html_text(h, js(x, "date"));
        central_html_printf(h, "</dt><dd>终端日结 %lld 笔、餐费 ", (long long)jn(x, "closing_count"));
        yuan(h, jn(x, "closing_gross_fen"));
        central_html_raw(h, "、补贴 ");
        yuan(h, jn(x, "closing_subsidy_fen"));
        central_html_printf(h, "；中心收到 %lld 笔、餐费 ", (long long)jn(x, "held_count"));
        yuan(h, jn(x, "held_gross_fen"));
        central_html_raw(h, "、补贴 ");
        yuan(h, jn(x, "held_subsidy_fen"));
        central_html_raw(h, "（元）</dd>");
    }
    cJSON_ArrayForEach(x, jo(t, "conflicts"))
    {
        central_html_raw(h, "<dt>冲突</dt><dd>");
        central_html_text(h, conflict_label(js(x, "kind")));
        central_html_raw(h, " · <span class=\"uuid\">");
        central_html_text(h, js(x, "sale_id"));
        central_html_raw(h, "</span> · 收到于 ");
        moment(h, jn(x, "received_utc"));
        central_html_raw(h, "</dd>");
    }
    cJSON_ArrayForEach(x, jo(t, "chain_breaks"))
    {
        central_html_printf(h, "<dt>哈希链断裂</dt><dd>序号 %lld：应接 <span class=\"uuid\">",
                            (long long)jn(x, "seq"));
        central_html_text(h, js(x, "expected"));
        central_html_raw(h, "</span>，实为 <span class=\"uuid\">");
        central_html_text(h, js(x, "got"));
        central_html_raw(h, "</span></dd>");
    }
    central_html_raw(h, "</dl>");
}

static void terminal_row(central_html *h, const cJSON *t)
{
    bool ok = strcmp(js(t, "status"), "ok") == 0;
    central_html_raw(h, "<tr><td class=\"id\">");
    central_html_text(h, js(t, "id"));
    central_html_raw(h, "</td><td class=\"id\">");
    central_html_text(h, js(t, "canteen"));
    central_html_raw(h, ok ? "</td><td><span class=\"badge ok\">一致</span></td>"
                           : "</td><td><span class=\"badge bad\">有问题</span></td>");
    central_html_printf(h, "<td class=\"n\">%lld</td><td class=\"n\">%lld 笔</td><td class=\"n\">",
                        (long long)jn(t, "closings"), (long long)jn(t, "held_sales"));
    yuan(h, jn(t, "held_subsidy_fen"));
    if (jo(t, "seq_from") && jo(t, "seq_to"))
        central_html_printf(h, "</td><td class=\"n\">%lld–%lld<br><small>最大 %lld</small></td><td>",
                            (long long)jn(t, "seq_from"), (long long)jn(t, "seq_to"),
                            (long long)jn(t, "max_seq"));
    else
        central_html_printf(h, "</td><td class=\"n\">%lld</td><td>", (long long)jn(t, "max_seq"));
    if (ok)
        central_html_raw(h, "<span class=\"muted\">—</span>");
    else
        terminal_details(h, t);
    central_html_raw(h, "</td></tr>\n");
}

static void reconcile(central_html *h, const cJSON *rc)
{
    const cJSON *t;
    int64_t problems = jn(rc, "problems");
    int n = cJSON_GetArraySize(jo(rc, "terminals"));
    central_html_raw(h, "<section id=\"reconcile\"><h2>终端对账");
    if (problems > 0)
        central_html_printf(h, "<span class=\"badge bad\">%lld 台终端有问题</span>",
                            (long long)problems);
    else if (n > 0)
        central_html_raw(h, "<span class=\"badge ok\">全部终端对账一致</span>");
    central_html_raw(h, "<small>终端上报的日结与中心收到的销售逐日比对；序号连续、哈希链完整才算一致"
                        "</small></h2><div class=\"wrap\"><table><thead><tr><th>终端</th><th>餐点</th>"
                        "<th>状态</th><th class=\"n\">日结天数</th><th class=\"n\">中心收到</th>"
                        "<th class=\"n\">中心补贴（元）</th><th class=\"n\">本月序号</th>"
                        "<th>问题说明</th></tr></thead><tbody>\n");
    for (int pass = 0; pass < 2; pass++) /* the terminals with problems first */
        cJSON_ArrayForEach(t, jo(rc, "terminals"))
            if ((strcmp(js(t, "status"), "ok") != 0) == (pass == 0))
                terminal_row(h, t);
    if (n == 0)
        central_html_raw(h, "<tr><td colspan=\"8\" class=\"muted\">本月没有终端上报或销售。</td></tr>");
    central_html_raw(h, "</tbody></table></div></section>\n");
}

static void anomalies(central_html *h, const cJSON *an)
{
    const cJSON *a, *counts = jo(an, "counts");
    int n = cJSON_GetArraySize(jo(an, "anomalies")), shown = 0;
    central_html_raw(h, "<section id=\"anomalies\"><h2>异常");
    central_html_printf(h, "<small>共 %d 条；供核查，不会自动拒付</small></h2><div class=\"chips\">", n);
    cJSON_ArrayForEach(a, counts)
    {
        int64_t k = cJSON_IsNumber(a) ? (int64_t)a->valuedouble : 0;
        central_html_raw(h, k ? "<span class=\"badge bad\">" : "<span class=\"badge zero\">");
        central_html_text(h, anomaly_label(a->string ? a->string : ""));
        central_html_printf(h, "：%lld</span>", (long long)k);
    }
    central_html_raw(h, "</div><div class=\"wrap\"><table><thead><tr><th>类型</th><th>时间</th>"
                        "<th>餐点</th><th>终端</th><th>收银员</th><th>老人编号</th><th>销售单号</th>"
                        "<th class=\"n\">补贴（元）</th><th>说明</th></tr></thead><tbody>\n");
    cJSON_ArrayForEach(a, jo(an, "anomalies"))
    {
        static const char *const cols[] = {"canteen", "terminal", "operator", "elder_id", "sale_id"};
        if (shown++ >= CENTRAL_ADMIN_ROWS_MAX)
            break;
        central_html_raw(h, "<tr><td class=\"nw\">");
        central_html_text(h, anomaly_label(js(a, "kind")));
        central_html_raw(h, "</td><td class=\"nw\">"); /* the sale's moment, else the day */
        central_html_text(h, js(a, "time")[0] ? js(a, "time") : js(a, "date"));
        central_html_raw(h, "</td>");
        for (size_t i = 0; i < sizeof cols / sizeof cols[0]; i++) {
            central_html_raw(h, i == 4 ? "<td class=\"uuid\">" : "<td class=\"id\">"); /* sale_id */
            central_html_text(h, js(a, cols[i]));
            central_html_raw(h, "</td>");
        }
        central_html_raw(h, "<td class=\"n\">");
        if (js(a, "sale_id")[0])
            yuan(h, jn(a, "subsidy_fen"));
        else
            central_html_raw(h, "<small>—</small>"); /* a row about a cashier, not a sale */
        central_html_raw(h, "</td><td>"); /* Chinese when the report has it */
        central_html_text(h, js(a, "why_zh")[0] ? js(a, "why_zh") : js(a, "why"));
        central_html_raw(h, "</td></tr>\n");
    }
    if (n == 0)
        central_html_raw(h, "<tr><td colspan=\"9\" class=\"muted\">本月没有发现异常。</td></tr>");
    if (n > CENTRAL_ADMIN_ROWS_MAX)
        central_html_printf(h, "<tr><td colspan=\"9\" class=\"muted\">仅显示前 %d 条，共 %d 条；"
                            "完整清单见 <code>zhucan-central report anomalies</code>。</td></tr>",
                            CENTRAL_ADMIN_ROWS_MAX, n);
    central_html_raw(h, "</tbody></table></div></section>\n");
}

int central_admin_html_month(const central_admin_view *v, const cJSON *settle,
                             const cJSON *recon, const cJSON *anom, char **out, size_t *len,
                             zc_err *err)
{
    central_html h;
    char title[64];
    zc_buf_init(&h, CENTRAL_HTML_MAX);
    snprintf(title, sizeof title, "%.16s 月报", v->month);
    central_admin_html_open(&h, title);
    header(&h, v);
    settlement(&h, v, settle);
    reconcile(&h, recon);
    anomalies(&h, anom);
    central_html_raw(&h, "</main><footer>生成于 ");
    central_html_text(&h, v->generated);
    central_html_raw(&h, "（北京时间）· 只读页面：数据来自终端上报，此处不能修改</footer>");
    central_admin_html_close(&h);
    return central_html_take(&h, out, len, err);
}
