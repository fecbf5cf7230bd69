/* test_admin_html.c - the operators' page renderer (app/central/admin_html.c)
 * fed with hand-built report objects that carry every member creport.h
 * documents: numbers and labels land where an operator looks for them, every
 * text from the data is escaped, the chart has a bar per day, and the bounds
 * hold. */
#include <cjson/cJSON.h>
#include <stdlib.h>
#include <string.h>

#include "../app/central/admin_html.h"
#include "../app/central/cmd.h"
#include "../app/core/civil.h"
#include "check.h"

#define EVIL "<script>alert(\"x\")</script>&'"
#define EVIL_ESC "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&amp;&#39;"

static cJSON *source(const char *code, int meals, int fen)
{
    cJSON *s = cJSON_CreateObject();
    cJSON_AddStringToObject(s, "source", code);
    cJSON_AddNumberToObject(s, "meals", meals);
    cJSON_AddNumberToObject(s, "subsidy_fen", fen);
    return s;
}

static void money(cJSON *o, int meals, int gross, int subsidy, int pay, int voids)
{
    cJSON_AddNumberToObject(o, "meals", meals);
    cJSON_AddNumberToObject(o, "gross_fen", gross);
    cJSON_AddNumberToObject(o, "subsidy_fen", subsidy);
    cJSON_AddNumberToObject(o, "pay_fen", pay);
    cJSON_AddNumberToObject(o, "voids", voids);
}

/* November 2026: two canteens (one with an evil name), two sources. */
static cJSON *settlement(void)
{
    cJSON *o = cJSON_CreateObject(), *cs = cJSON_CreateArray(), *c, *src;
    cJSON_AddStringToObject(o, "month", "2026-11");
    cJSON_AddStringToObject(o, "from", "2026-11-01");
    cJSON_AddStringToObject(o, "to", "2026-11-30");
    cJSON_AddNullToObject(o, "canteen");
    c = cJSON_CreateObject();
    cJSON_AddStringToObject(c, "id", "C-0001");
    cJSON_AddStringToObject(c, "name", "朝阳路社区食堂");
    money(c, 42, 63000, 21000, 42000, 2);
    src = cJSON_AddArrayToObject(c, "sources");
    cJSON_AddItemToArray(src, source("district", 42, 21000));
    cJSON_AddItemToArray(cs, c);
    c = cJSON_CreateObject();
    cJSON_AddStringToObject(c, "id", "C-<2>");
    cJSON_AddStringToObject(c, "name", EVIL);
    money(c, 3, 4500, 905, 3595, 0);
    src = cJSON_AddArrayToObject(c, "sources");
    cJSON_AddItemToArray(src, source("city", 1, 300));
    cJSON_AddItemToArray(src, source("district", 3, 605));
    cJSON_AddItemToArray(cs, c);
    cJSON_AddItemToObject(o, "canteens", cs);
    cJSON *t = cJSON_AddObjectToObject(o, "totals");
    money(t, 45, 67500, 21905, 45595, 2);
    src = cJSON_AddArrayToObject(t, "sources");
    cJSON_AddItemToArray(src, source("city", 1, 300));
    cJSON_AddItemToArray(src, source("district", 45, 21605));
    cJSON *days = cJSON_AddArrayToObject(o, "days");
    for (int d = 1; d <= 30; d++) {
        char date[16];
        cJSON *x = cJSON_CreateObject();
        snprintf(date, sizeof date, "2026-11-%02d", d);
        cJSON_AddStringToObject(x, "date", date);
        cJSON_AddNumberToObject(x, "meals", d == 3 ? 40 : d == 4 ? 5 : 0);
        cJSON_AddNumberToObject(x, "subsidy_fen", d == 3 ? 20000 : d == 4 ? 1905 : 0);
        cJSON_AddItemToArray(days, x);
    }
    cJSON *ledger = cJSON_AddArrayToObject(o, "ledger"); /* not shown on the page */
    cJSON *row = cJSON_CreateObject();
    cJSON_AddStringToObject(row, "sale_id", "ledger-only-sale");
    cJSON_AddItemToArray(ledger, row);
    return o;
}

static cJSON *strings(const char *const *v, int n)
{
    return cJSON_CreateStringArray(v, n);
}

/* T-0001 fine; T-0002 with every kind of problem. */
static cJSON *reconcile(void)
{
    cJSON *o = cJSON_CreateObject(), *ts = cJSON_AddArrayToObject(o, "terminals"), *t, *a, *x;
    cJSON_AddStringToObject(o, "month", "2026-11");
    cJSON_AddStringToObject(o, "from", "2026-11-01");
    cJSON_AddStringToObject(o, "to", "2026-11-30");
    t = cJSON_CreateObject();
    cJSON_AddStringToObject(t, "id", "T-0001");
    cJSON_AddStringToObject(t, "canteen", "C-0001");
    cJSON_AddStringToObject(t, "status", "ok");
    cJSON_AddNumberToObject(t, "closings", 20);
    cJSON_AddNumberToObject(t, "held_sales", 42);
    cJSON_AddNumberToObject(t, "held_subsidy_fen", 21000);
    cJSON_AddNumberToObject(t, "max_seq", 44);
    cJSON_AddNumberToObject(t, "seq_from", 3);
    cJSON_AddNumberToObject(t, "seq_to", 44);
    cJSON_AddNumberToObject(t, "missing", 0);
    cJSON_AddArrayToObject(t, "missing_seqs");
    cJSON_AddArrayToObject(t, "why");
    cJSON_AddItemToArray(ts, t);
    t = cJSON_CreateObject();
    cJSON_AddStringToObject(t, "id", "T-0002");
    cJSON_AddStringToObject(t, "canteen", "C-<2>");
    cJSON_AddStringToObject(t, "status", "problems");
    cJSON_AddNumberToObject(t, "closings", 1);
    cJSON_AddNumberToObject(t, "held_sales", 3);
    cJSON_AddNumberToObject(t, "held_subsidy_fen", 905);
    cJSON_AddNumberToObject(t, "max_seq", 12);
    cJSON_AddNumberToObject(t, "seq_from", 1);
    cJSON_AddNumberToObject(t, "seq_to", 12);
    cJSON_AddNumberToObject(t, "missing", 5);
    static const int seqs[] = {5, 6, 7, 9, 11};
    cJSON_AddItemToObject(t, "missing_seqs", cJSON_CreateIntArray(seqs, 5));
    static const char *const days[] = {"2026-11-04", "2026-11-05"};
    cJSON_AddItemToObject(t, "missing_closings", strings(days, 2));
    a = cJSON_AddArrayToObject(t, "mismatched_days");
    x = cJSON_CreateObject();
    cJSON_AddStringToObject(x, "date", "2026-11-03");
    cJSON_AddNumberToObject(x, "closing_count", 4);
    cJSON_AddNumberToObject(x, "held_count", 3);
    cJSON_AddNumberToObject(x, "closing_subsidy_fen", 1200);
    cJSON_AddNumberToObject(x, "held_subsidy_fen", 905);
    cJSON_AddNumberToObject(x, "closing_gross_fen", 6000);
    cJSON_AddNumberToObject(x, "held_gross_fen", 4500);
    cJSON_AddItemToArray(a, x);
    a = cJSON_AddArrayToObject(t, "conflicts");
    x = cJSON_CreateObject();
    cJSON_AddStringToObject(x, "sale_id", "sale-<b>");
    cJSON_AddStringToObject(x, "kind", "same_id");
    cJSON_AddNumberToObject(x, "received_utc", 1795400000); /* 2026-11-23 02:13:20 UTC */
    cJSON_AddItemToArray(a, x);
    a = cJSON_AddArrayToObject(t, "chain_breaks");
    x = cJSON_CreateObject();
    cJSON_AddNumberToObject(x, "seq", 8);
    cJSON_AddStringToObject(x, "expected", "aaaa1111");
    cJSON_AddStringToObject(x, "got", "bbbb<2222>");
    cJSON_AddItemToArray(a, x);
    static const char *const why[] = {"sales 5-7, 9 and 11 have not arrived", "reason with " EVIL};
    cJSON_AddItemToObject(t, "why", strings(why, 2));
    cJSON_AddItemToArray(ts, t);
    cJSON_AddNumberToObject(o, "problems", 1);
    return o;
}

static const char *const kinds[] = {"over_limit", "card_two_canteens", "outside_window",
                                    "requote_differs", "flag", "void_rate"};

/* A row about a sale, or (void_rate) about a cashier: no sale, no time. */
static cJSON *anomaly(const char *kind, const char *elder, const char *why)
{
    cJSON *x = cJSON_CreateObject();
    bool sale = strcmp(kind, "void_rate") != 0;
    cJSON_AddStringToObject(x, "kind", kind);
    cJSON_AddStringToObject(x, "date", "2026-11-03");
    cJSON_AddStringToObject(x, "time", sale ? "2026-11-03 11:42" : "");
    cJSON_AddStringToObject(x, "sale_id", sale ? "0f1e2d3c-sale" : "");
    cJSON_AddStringToObject(x, "elder_id", sale ? elder : "");
    cJSON_AddStringToObject(x, "canteen", "C-0001");
    cJSON_AddStringToObject(x, "terminal", sale ? "T-0001" : "");
    cJSON_AddStringToObject(x, "operator", "c1");
    cJSON_AddNumberToObject(x, "subsidy_fen", sale ? 500 : 0);
    cJSON_AddStringToObject(x, "why", why);
    return x;
}

static cJSON *anomalies(int n)
{
    cJSON *o = cJSON_CreateObject(), *a = cJSON_AddArrayToObject(o, "anomalies");
    cJSON *counts = cJSON_AddObjectToObject(o, "counts");
    cJSON_AddStringToObject(o, "month", "2026-11");
    cJSON_AddStringToObject(o, "from", "2026-11-01");
    cJSON_AddStringToObject(o, "to", "2026-11-30");
    for (int i = 0; i < n; i++)
        cJSON_AddItemToArray(a, anomaly(kinds[i % 6], i == 0 ? "E<1>" : "E0000002",
                                        i == 0 ? "why " EVIL : "lunch twice"));
    for (int k = 0; k < 6; k++)
        cJSON_AddNumberToObject(counts, kinds[k], (n + 5 - k) / 6);
    return o;
}

static const central_admin_view view = {
    .month = "2026-11", .prev = "2026-10", .next = "2026-12", .admin = "ops<1>",
    .generated = "2026-11-23 13:30",
};

/* Renders the full page; the caller frees it. */
static char *page(int nanom)
{
    cJSON *s = settlement(), *r = reconcile(), *a = anomalies(nanom);
    char *html = NULL;
    size_t len = 0;
    zc_err err = {""};
    CHECK_OK(central_admin_html_month(&view, s, r, a, &html, &len, &err));
    CHECK(html && strlen(html) == len);
    cJSON_Delete(s);
    cJSON_Delete(r);
    cJSON_Delete(a);
    return html;
}

static int count(const char *hay, const char *needle)
{
    int n = 0;
    for (const char *p = hay; (p = strstr(p, needle)); p += strlen(needle))
        n++;
    return n;
}

#define HAS(html, s) check_true_(strstr((html), (s)) != NULL, "page has: " s, __FILE__, __LINE__)

static void t_frame(void)
{
    char *h = page(5);
    HAS(h, "<!DOCTYPE html>");
    HAS(h, "<html lang=\"zh-CN\">");
    HAS(h, "<meta charset=\"utf-8\">");
    HAS(h, "font-family:\"Noto Sans CJK SC\"");
    HAS(h, "sans-serif");
    HAS(h, "助餐 · 2026年11月 运营月报");
    HAS(h, "href=\"/admin/?month=2026-10\"");
    HAS(h, "href=\"/admin/?month=2026-12\"");
    HAS(h, "value=\"2026-11\"");
    HAS(h, "ops&lt;1&gt;");
    HAS(h, "action=\"/admin/logout\"");
    HAS(h, "生成于 2026-11-23 13:30");
    /* nothing is loaded from anywhere and nothing runs */
    CHECK(strstr(h, "<script") == NULL);
    CHECK(strstr(h, "http://") == NULL && strstr(h, "https://") == NULL);
    CHECK(strstr(h, " src=") == NULL);
    CHECK(strstr(h, " onclick") == NULL && strstr(h, " onload") == NULL);
    CHECK(strstr(h, "javascript:") == NULL);
    CHECK(strstr(h, "ledger-only-sale") == NULL);
    free(h);
}

static void t_settlement(void)
{
    char *h = page(5);
    /* the cards: meals, gross, subsidy, pay, voids */
    HAS(h, "<span>用餐人次</span><b>45</b>");
    HAS(h, "<span>餐费合计（元）</span><b>675.00</b>");
    HAS(h, "<span>补贴合计（元）</span><b>219.05</b>");
    HAS(h, "<span>老人自付（元）</span><b>455.95</b>");
    HAS(h, "<span>作废笔数</span><b>2</b>");
    /* a column per funding source, in the totals' order */
    HAS(h, "<th class=\"n\">市级补贴</th><th class=\"n\">区级补贴</th>");
    /* the canteens */
    HAS(h, "朝阳路社区食堂<br><small class=\"id\">C-0001</small>");
    HAS(h, "<td class=\"n\">42</td><td class=\"n\">630.00</td><td class=\"n\">210.00</td>"
           "<td class=\"n\">420.00</td><td class=\"n\">2</td><td class=\"n\"><small>—</small></td>"
           "<td class=\"n\">210.00<br><small>42 人次</small></td>");
    HAS(h, EVIL_ESC "<br><small class=\"id\">C-&lt;2&gt;</small>");
    HAS(h, "<td class=\"n\">3.00<br><small>1 人次</small></td>"
           "<td class=\"n\">6.05<br><small>3 人次</small></td>");
    /* the totals row */
    HAS(h, "<tr class=\"total\"><td>合计</td><td class=\"n\">45</td><td class=\"n\">675.00</td>"
           "<td class=\"n\">219.05</td><td class=\"n\">455.95</td><td class=\"n\">2</td>"
           "<td class=\"n\">3.00<br><small>1 人次</small></td>"
           "<td class=\"n\">216.05<br><small>45 人次</small></td></tr>");
    HAS(h, "href=\"/admin/settlement.csv?month=2026-11\"");
    HAS(h, "<small>2026-11-01 至 2026-11-30 · 金额单位：元");
    free(h);
}

static void t_chart(void)
{
    char *h = page(5);
    CHECK_INT(count(h, "<svg "), 2);
    CHECK_INT(count(h, "<rect "), 60); /* 30 days, two charts */
    HAS(h, "<title>11月3日 周二：40 人次</title>");
    HAS(h, "<title>11月3日 周二：补贴 200.00 元</title>");
    HAS(h, "<title>11月4日 周三：补贴 19.05 元</title>");
    HAS(h, "（本月合计 45 人次）");
    HAS(h, "（本月合计 219.05 元）");
    /* y axes end at round numbers: 40 meals -> 40 (4 steps of 10), 200 yuan -> 200 */
    HAS(h, ">40</text>");
    HAS(h, ">200</text>");
    /* weekends in red: 2026-11-01 is a Sunday */
    HAS(h, "fill=\"#b42318\">1</text>");
    HAS(h, "fill=\"#56606b\">2</text>");
    /* the per-day table */
    HAS(h, "<tr><td>2026-11-03</td><td class=\"n\">40</td><td class=\"n\">200.00</td></tr>");
    CHECK(strstr(h, "本月尚无数据") == NULL);
    free(h);
}

static void t_reconcile(void)
{
    char *h = page(5);
    HAS(h, "<span class=\"badge bad\">1 台终端有问题</span>");
    HAS(h, "<td class=\"id\">T-0001</td><td class=\"id\">C-0001</td><td><span class=\"badge ok\">一致"
           "</span></td><td class=\"n\">20</td><td class=\"n\">42 笔</td><td class=\"n\">210.00</td>"
           "<td class=\"n\">3–44<br><small>最大 44</small></td>");
    HAS(h, "<td class=\"id\">C-&lt;2&gt;</td><td><span class=\"badge bad\">有问题</span>");
    HAS(h, "<li>sales 5-7, 9 and 11 have not arrived</li>");
    /* problems first, though T-0001 comes first in the report */
    CHECK(strstr(h, ">T-0002<") && strstr(h, ">T-0001<") && strstr(h, ">T-0002<") < strstr(h, ">T-0001<"));
    HAS(h, "<li>reason with " EVIL_ESC "</li>");
    HAS(h, "<dt>缺少的序号</dt><dd>5–7, 9, 11（共 5 个）</dd>");
    HAS(h, "<dt>未上报日结</dt><dd>2026-11-04、2026-11-05</dd>");
    HAS(h, "<dt>日结不符 2026-11-03</dt><dd>终端日结 4 笔、餐费 60.00、补贴 12.00；中心收到 3 笔、"
           "餐费 45.00、补贴 9.05（元）</dd>");
    HAS(h, "<dt>冲突</dt><dd>同一单号、内容不同 · <span class=\"uuid\">sale-&lt;b&gt;</span> · 收到于 "
           "2026-11-23 10:13</dd>");
    HAS(h, "<dt>哈希链断裂</dt><dd>序号 8：应接 <span class=\"uuid\">aaaa1111</span>，实为 "
           "<span class=\"uuid\">bbbb&lt;2222&gt;</span></dd>");
    free(h);
}

static void t_anomalies(void)
{
    char *h = page(7);
    HAS(h, "<small>共 7 条；");
    HAS(h, "<span class=\"badge bad\">超出次数或金额上限：2</span>");
    HAS(h, "<span class=\"badge bad\">同一张卡同餐次在两处用餐：1</span>");
    HAS(h, "<span class=\"badge bad\">作废比例偏高：1</span>");
    HAS(h, "<span class=\"badge bad\">中心标记（挂失、停用、未知卡等）：1</span>");
    HAS(h, "<tr><td class=\"nw\">超出次数或金额上限</td><td class=\"nw\">2026-11-03 11:42</td>"
           "<td class=\"id\">C-0001</td><td class=\"id\">T-0001</td><td class=\"id\">c1</td>"
           "<td class=\"id\">E&lt;1&gt;</td><td class=\"uuid\">0f1e2d3c-sale</td><td class=\"n\">5.00</td>"
           "<td>why " EVIL_ESC "</td></tr>");
    /* a cashier's void rate: the day, no sale, no subsidy */
    HAS(h, "<tr><td class=\"nw\">作废比例偏高</td><td class=\"nw\">2026-11-03</td><td class=\"id\">C-0001</td>"
           "<td class=\"id\"></td><td class=\"id\">c1</td><td class=\"id\"></td><td class=\"uuid\">"
           "</td><td class=\"n\"><small>—</small></td><td>lunch twice</td></tr>");
    CHECK_INT(count(h, "<td>lunch twice</td>"), 6);
    HAS(h, "<td class=\"nw\">供餐时段以外</td>");
    HAS(h, "<td class=\"nw\">中心复核补贴不一致</td>");
    HAS(h, "<td class=\"nw\">中心标记（挂失、停用、未知卡等）</td>");
    free(h);
    h = page(0);
    HAS(h, "<span class=\"badge zero\">超出次数或金额上限：0</span>");
    HAS(h, "本月没有发现异常。");
    free(h);
    /* a long list is cut, and says so */
    h = page(CENTRAL_ADMIN_ROWS_MAX + 3);
    CHECK_INT(count(h, "<td>lunch twice</td>"), CENTRAL_ADMIN_ROWS_MAX - 1);
    HAS(h, "仅显示前 2000 条，共 2003 条");
    free(h);
}

static void t_escaped_everywhere(void)
{
    char *h = page(5);
    /* the evil string appears only escaped: no raw tag, quote or apostrophe from data */
    CHECK(strstr(h, "<script") == NULL);
    CHECK(strstr(h, "alert(\"x\")") == NULL);
    CHECK(strstr(h, "C-<2>") == NULL);
    CHECK(strstr(h, "E<1>") == NULL);
    CHECK_INT(count(h, EVIL_ESC), 3); /* canteen name, a why, an anomaly */
    free(h);
}

/* Missing members and empty objects still make a page (numbers 0, "no sales"). */
static void t_empty(void)
{
    cJSON *e1 = cJSON_CreateObject(), *e2 = cJSON_CreateObject(), *e3 = cJSON_CreateObject();
    char *h = NULL;
    size_t len = 0;
    zc_err err = {""};
    CHECK_OK(central_admin_html_month(&view, e1, e2, e3, &h, &len, &err));
    HAS(h, "<span>用餐人次</span><b>0</b>");
    HAS(h, "本月没有销售。");
    HAS(h, "本月没有终端上报或销售。");
    HAS(h, "本月没有发现异常。");
    CHECK_INT(count(h, "本月尚无数据"), 2);
    free(h);
    /* wrong types are read as absent */
    cJSON_AddStringToObject(e1, "canteens", "not an array");
    cJSON_AddNumberToObject(e2, "terminals", 7);
    cJSON_AddStringToObject(e3, "counts", "x");
    CHECK_OK(central_admin_html_month(&view, e1, e2, e3, &h, &len, &err));
    HAS(h, "本月没有销售。");
    free(h);
    cJSON_Delete(e1);
    cJSON_Delete(e2);
    cJSON_Delete(e3);
}

static void t_login_and_message(void)
{
    char *h = NULL;
    size_t len = 0;
    zc_err err = {""};
    CHECK_OK(central_admin_html_login("用户名或密码不正确。", "bob\"><b>", "c0ffee", &h, &len, &err));
    HAS(h, "<form method=\"post\" action=\"/admin/login\">");
    HAS(h, "name=\"user\"");
    HAS(h, "type=\"password\"");
    HAS(h, "role=\"alert\">用户名或密码不正确。</p>");
    HAS(h, "value=\"bob&quot;&gt;&lt;b&gt;\"");
    free(h);
    CHECK_OK(central_admin_html_login(NULL, NULL, "c0ffee", &h, &len, &err));
    CHECK(strstr(h, "role=\"alert\"") == NULL);
    HAS(h, "value=\"\"");
    free(h);
    CHECK_OK(central_admin_html_message("月份格式不对", "应写成 <YYYY-MM>", "/admin/", "本月", &h, &len,
                                        &err));
    HAS(h, "<h2>月份格式不对</h2><p>应写成 &lt;YYYY-MM&gt;</p><p><a href=\"/admin/\">本月</a></p>");
    free(h);
}

static void t_buffer(void)
{
    central_html h;
    char *out = NULL;
    size_t len = 0;
    zc_err err = {""};
    zc_buf_init(&h, 64);
    central_html_text(&h, "a<b>&\"'");
    central_html_text(&h, NULL);
    CHECK(!h.failed);
    CHECK_STR(h.p, "a&lt;b&gt;&amp;&quot;&#39;");
    zc_buf_free(&h);
    zc_buf_init(&h, 16);
    central_html_raw(&h, "0123456789");
    central_html_printf(&h, "%s", "abcdef");
    CHECK(!h.failed);
    central_html_raw(&h, "!");
    CHECK(h.failed);
    central_html_raw(&h, ""); /* sticky */
    CHECK_INT(central_html_take(&h, &out, &len, &err), ZC_ETOOBIG);
    CHECK(out == NULL);
    CHECK(strstr(err.msg, "larger than 16 bytes") != NULL);
    zc_buf_free(&h);
    /* a long printf goes through the second pass */
    zc_buf_init(&h, 4096);
    central_html_printf(&h, "%0*d|", 1000, 7);
    CHECK_INT(h.len, 1001);
    CHECK_OK(central_html_take(&h, &out, &len, &err));
    CHECK_INT(len, 1001);
    CHECK(out[999] == '7' && out[1000] == '|');
    free(out);
    /* an empty buffer still gives a string */
    zc_buf_init(&h, 16);
    CHECK_OK(central_html_take(&h, &out, &len, &err));
    CHECK_STR(out, "");
    free(out);
}

static void t_labels(void)
{
    CHECK_STR(central_admin_source_label("city"), "市级");
    CHECK_STR(central_admin_source_label("district"), "区级");
    CHECK_STR(central_admin_source_label("town"), "街道/乡镇");
    CHECK_STR(central_admin_source_label("operator"), "运营方");
    CHECK_STR(central_admin_source_label("charity"), "charity");
}

/* Many missing sequence numbers: the first 40 ranges, then a count. */
static void t_many_missing(void)
{
    cJSON *r = cJSON_CreateObject(), *ts = cJSON_AddArrayToObject(r, "terminals");
    cJSON *t = cJSON_CreateObject(), *m = cJSON_AddArrayToObject(t, "missing_seqs");
    cJSON *s = cJSON_CreateObject(), *a = cJSON_CreateObject();
    char *h = NULL;
    size_t len = 0;
    zc_err err = {""};
    cJSON_AddStringToObject(t, "status", "problems");
    cJSON_AddNumberToObject(t, "missing", 250); /* the report lists only some */
    for (int i = 0; i < 100; i++)
        cJSON_AddItemToArray(m, cJSON_CreateNumber(2 * i + 1));
    cJSON_AddItemToArray(ts, t);
    CHECK_OK(central_admin_html_month(&view, s, r, a, &h, &len, &err));
    HAS(h, "1, 3, 5,");
    HAS(h, ", 79 …（共 250 个）");
    CHECK(strstr(h, ", 81") == NULL);
    free(h);
    /* a short list that the report cut */
    cJSON_DeleteItemFromObject(t, "missing_seqs");
    static const int three[] = {4, 5, 9};
    cJSON_AddItemToObject(t, "missing_seqs", cJSON_CreateIntArray(three, 3));
    CHECK_OK(central_admin_html_month(&view, s, r, a, &h, &len, &err));
    HAS(h, "<dd>4–5, 9 …（共 250 个）</dd>");
    free(h);
    cJSON_Delete(r);
    cJSON_Delete(s);
    cJSON_Delete(a);
}

static const check_case cases[] = {
    {"frame", t_frame},
    {"settlement", t_settlement},
    {"chart", t_chart},
    {"reconcile", t_reconcile},
    {"anomalies", t_anomalies},
    {"escaped_everywhere", t_escaped_everywhere},
    {"empty", t_empty},
    {"login_and_message", t_login_and_message},
    {"buffer", t_buffer},
    {"labels", t_labels},
    {"many_missing", t_many_missing},
    {NULL, NULL},
};

int main(int argc, char **argv)
{
    zc_err err = {""};
    if (zc_tz_set(CENTRAL_TZ, &err) != ZC_OK) { /* as zhucan-central serve does */
        fprintf(stderr, "%s\n", err.msg);
        return 1;
    }
    return check_main("test_admin_html", cases, argc, argv);
}
