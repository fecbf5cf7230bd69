/* console_sites_html.c - the canteens and terminals page of the district
 * console (console_html.h): canteens with their region, every terminal's
 * health as the centre sees it (last sync, sales held, missing seqs, chain
 * breaks, conflicts, refused sales, the newest sale's delay, last
 * closing), and for the district admin the forms that add and revoke. */
#include <stdio.h>
#include <string.h>

#include "console_html.h"

#define STALE_S (24 * 3600) /* a terminal not seen for a day is marked */

static void canteens(central_html *h, const console_view *v, const console_sites_view *sv)
{
    central_html_printf(h, "<section><h2>饭堂 <small>共 %d 个</small></h2><div class=\"wrap\"><table>"
                           "<thead><tr><th>编号</th><th>名称</th><th>市</th><th>区</th><th>街道/乡镇</th>"
                           "<th class=\"n\">终端</th></tr></thead><tbody>", sv->ncanteens);
    for (int i = 0; i < sv->ncanteens; i++) {
        const zc_canteen *c = &sv->canteens[i].c;
        central_html_raw(h, "<tr><td class=\"id\">");
        central_html_text(h, c->id);
        central_html_raw(h, "</td><td>");
        central_html_text(h, c->name);
        central_html_raw(h, "</td><td class=\"id\">");
        central_html_text(h, c->city);
        central_html_raw(h, "</td><td class=\"id\">");
        central_html_text(h, c->district);
        central_html_raw(h, "</td><td class=\"id\">");
        central_html_text(h, c->town);
        central_html_printf(h, "</td><td class=\"n\">%d</td></tr>", sv->canteens[i].terminals);
    }
    central_html_raw(h, "</tbody></table></div></section>");
    if (!v->can_change)
        return;
    central_html_raw(h, "<section><h2>添加饭堂</h2><form class=\"grid\" method=\"post\" "
                        "action=\"/admin/canteens\">");
    console_html_csrf(h, v);
    central_html_raw(h, "<label for=\"cid\">编号</label><input id=\"cid\" name=\"id\" required maxlength=\"47\" "
                        "pattern=\"[A-Za-z0-9_.\\-]+\" placeholder=\"C-0003\"><label for=\"cname\">名称</label>"
                        "<input id=\"cname\" name=\"name\" required maxlength=\"95\"><label for=\"city\">市代码</label>"
                        "<input id=\"city\" name=\"city\" maxlength=\"12\" pattern=\"[0-9]*\" inputmode=\"numeric\">"
                        "<label for=\"district\">区代码</label><input id=\"district\" name=\"district\" "
                        "maxlength=\"12\" pattern=\"[0-9]*\" inputmode=\"numeric\"><label for=\"town\">街道/乡镇代码"
                        "</label><input id=\"town\" name=\"town\" maxlength=\"12\" pattern=\"[0-9]*\" "
                        "inputmode=\"numeric\"><button type=\"submit\">添加饭堂</button></form><p class=\"muted\">"
                        "区划代码决定“本区/本街道”老人的补贴来源，最多 12 位数字。</p></section>");
}

static void lag(central_html *h, int64_t s)
{
    if (s < 120)
        central_html_printf(h, "%lld 秒", (long long)s);
    else if (s < 7200)
        central_html_printf(h, "%lld 分钟", (long long)(s / 60));
    else
        central_html_printf(h, "%lld 小时", (long long)(s / 3600));
}

static void terminal_row(central_html *h, const console_view *v, const central_terminal_health *t)
{
    bool problems = t->missing || t->chain_breaks || t->conflicts || t->rejected;
    central_html_raw(h, "<tr><td class=\"id\">");
    central_html_text(h, t->id);
    central_html_raw(h, "</td><td class=\"id\">");
    central_html_text(h, t->canteen_id);
    central_html_raw(h, "</td><td>");
    if (t->revoked)
        central_html_raw(h, "<span class=\"badge zero\">已吊销</span>");
    else if (problems)
        central_html_raw(h, "<span class=\"badge bad\">有问题</span>");
    else if (!t->last_seen || v->now - t->last_seen > STALE_S)
        central_html_raw(h, "<span class=\"badge bad\">超过一天未同步</span>");
    else
        central_html_raw(h, "<span class=\"badge ok\">正常</span>");
    central_html_raw(h, "</td><td class=\"nw\">");
    if (t->last_seen)
        console_html_moment(h, t->last_seen);
    else
        central_html_raw(h, "<span class=\"muted\">从未</span>");
    central_html_printf(h, "</td><td class=\"n\">%lld</td><td class=\"n\">%lld</td>"
                           "<td class=\"n\">%lld</td><td class=\"n\">%lld</td><td class=\"n\">%lld</td>"
                           "<td class=\"n\">%lld</td><td class=\"nw\">",
                        (long long)t->sales, (long long)t->max_seq, (long long)t->missing,
                        (long long)t->chain_breaks, (long long)t->conflicts, (long long)t->rejected);
    if (t->sales)
        lag(h, t->last_sale_lag > 0 ? t->last_sale_lag : 0);
    central_html_raw(h, "</td><td class=\"nw\">");
    central_html_text(h, t->last_closing);
    central_html_raw(h, "</td>");
    if (v->can_change) {
        central_html_raw(h, "<td>");
        if (!t->revoked) {
            central_html_raw(h, "<form class=\"inline\" method=\"post\" action=\"/admin/terminals/revoke\">");
            console_html_csrf(h, v);
            central_html_raw(h, "<input type=\"hidden\" name=\"id\" value=\"");
            central_html_text(h, t->id);
            central_html_raw(h, "\"><button type=\"submit\">吊销</button></form>");
        }
        central_html_raw(h, "</td>");
    }
    central_html_raw(h, "</tr>");
}

static void terminals(central_html *h, const console_view *v, const console_sites_view *sv)
{
    central_html_printf(h, "<section><h2>终端 <small>共 %d 台</small></h2><div class=\"wrap\"><table>"
                           "<thead><tr><th>终端</th><th>饭堂</th><th>状态</th><th>最近同步</th>"
                           "<th class=\"n\">已收销售</th><th class=\"n\">最大序号</th><th class=\"n\">缺失序号</th>"
                           "<th class=\"n\">链断裂</th><th class=\"n\">冲突</th><th class=\"n\">被拒</th>"
                           "<th>最新一笔的延迟</th><th>最近日结</th>%s</tr></thead><tbody>",
                        sv->nterminals, v->can_change ? "<th>操作</th>" : "");
    for (int i = 0; i < sv->nterminals; i++)
        terminal_row(h, v, &sv->terminals[i]);
    if (!sv->nterminals)
        central_html_raw(h, "<tr><td colspan=\"12\" class=\"muted\">还没有终端。</td></tr>");
    central_html_raw(h, "</tbody></table></div><p class=\"muted\">“缺失序号”是该终端最大序号以下中心还没收到的"
                        "销售；“链断裂”是销售的前后哈希接不上；“被拒”是中心拒收的销售（例如内容被改过）。"
                        "“最新一笔的延迟”是最新一笔销售从终端记下到中心收到的时间（离线时会变长）。"
                        "终端尚未向中心报告未上传笔数和时钟偏差（需扩展同步协议）。</p></section>");
}

static void add_terminal(central_html *h, const console_view *v, const console_sites_view *sv)
{
    static const char *const formats[] = {"hex10", "dec10", "dec8", "facility"};
    if (sv->token) {
        central_html_raw(h, "<section><h2>新终端的令牌</h2><p>终端 <b class=\"id\">");
        central_html_text(h, sv->new_terminal);
        central_html_raw(h, "</b> 的令牌（只显示这一次，请立即填入终端的设置；中心只保存它的哈希）：</p>"
                            "<p class=\"uuid\"><b>");
        central_html_text(h, sv->token);
        central_html_raw(h, "</b></p></section>");
    }
    central_html_raw(h, "<section><h2>添加终端</h2><form class=\"grid\" method=\"post\" "
                        "action=\"/admin/terminals\">");
    console_html_csrf(h, v);
    central_html_raw(h, "<label for=\"tid\">终端编号</label><input id=\"tid\" name=\"id\" required "
                        "maxlength=\"47\" pattern=\"[A-Za-z0-9_.\\-]+\" placeholder=\"T-0004\">"
                        "<label for=\"tcanteen\">饭堂</label><select id=\"tcanteen\" name=\"canteen\">");
    for (int i = 0; i < sv->ncanteens; i++) {
        central_html_raw(h, "<option value=\"");
        central_html_text(h, sv->canteens[i].c.id);
        central_html_raw(h, "\">");
        central_html_text(h, sv->canteens[i].c.id);
        central_html_raw(h, " ");
        central_html_text(h, sv->canteens[i].c.name);
        central_html_raw(h, "</option>");
    }
    central_html_raw(h, "</select><label for=\"fmt\">读卡格式</label><select id=\"fmt\" name=\"card_format\">");
    for (size_t i = 0; i < sizeof formats / sizeof formats[0]; i++)
        central_html_printf(h, "<option value=\"%s\">%s</option>", formats[i], formats[i]);
    central_html_raw(h, "</select><button type=\"submit\">添加终端</button></form></section>");
}

int console_html_sites(const console_view *v, const console_sites_view *sv, char **out, size_t *len,
                       zc_err *err)
{
    central_html h;
    zc_buf_init(&h, CENTRAL_HTML_MAX);
    console_html_top(&h, v, "饭堂与终端");
    terminals(&h, v, sv);
    if (v->can_change)
        add_terminal(&h, v, sv);
    canteens(&h, v, sv);
    return console_html_bottom(&h, out, len, err);
}
