/* console_html.c - the district console's pages (console_html.h), in the
 * frame and styles of admin_html.c.  Forms are plain HTML: they work
 * without JavaScript and on a phone (the styles stack them under 640 px). */
#include "console_html.h"

#include <stdio.h>
#include <string.h>

#include "../core/civil.h"

/* The page's top: document, header with the pages and who is signed in,
 * and the message or note. */
void console_html_top(central_html *h, const console_view *v, const char *title)
{
    central_admin_html_open(h, title);
    central_html_raw(h, "<header><h1>助餐 · ");
    central_html_text(h, title);
    central_html_raw(h, "</h1>");
    central_admin_html_who(h, v->admin, v->role, v->csrf);
    central_html_raw(h, "</header>\n<main>");
    if (v->msg) {
        central_html_raw(h, "<p class=\"msg\" role=\"alert\">");
        central_html_text(h, v->msg);
        central_html_raw(h, "</p>");
    }
    if (v->note) {
        central_html_raw(h, "<p class=\"note\" role=\"status\">");
        central_html_text(h, v->note);
        central_html_raw(h, "</p>");
    }
}

int console_html_bottom(central_html *h, char **out, size_t *len, zc_err *err)
{
    central_html_raw(h, "</main>");
    central_admin_html_close(h);
    return central_html_take(h, out, len, err);
}

void console_html_csrf(central_html *h, const console_view *v)
{
    central_html_raw(h, "<input type=\"hidden\" name=\"csrf\" value=\"");
    central_html_text(h, v->csrf);
    central_html_raw(h, "\">");
}

/* A moment as local "YYYY-MM-DD HH:MM" (the process zone). */
void console_html_moment(central_html *h, int64_t t)
{
    zc_datetime d = zc_tz_local(t);
    central_html_printf(h, "%04d-%02d-%02d %02d:%02d", d.date.y % 10000, d.date.m, d.date.d, d.hh,
                        d.mm);
}

static void role_option(central_html *h, central_admin_role r, const char *chosen)
{
    const char *code = central_admin_role_code(r);
    central_html_printf(h, "<option value=\"%s\"%s>", code,
                        chosen && !strcmp(chosen, code) ? " selected" : "");
    central_html_text(h, central_admin_role_label(r));
    central_html_raw(h, "</option>");
}

static void add_form(central_html *h, const console_view *v, const console_account_form *f)
{
    central_html_raw(h, "<section><h2>添加账户</h2><form class=\"grid\" method=\"post\" "
                        "action=\"/admin/accounts\">");
    console_html_csrf(h, v);
    central_html_raw(h, "<label for=\"name\">用户名</label><input id=\"name\" name=\"name\" required "
                        "maxlength=\"47\" pattern=\"[A-Za-z0-9_.\\-]+\" autocomplete=\"off\" value=\"");
    central_html_text(h, f ? f->name : NULL);
    central_html_raw(h, "\"><label for=\"role\">角色</label><select id=\"role\" name=\"role\">");
    for (int r = 0; r < CENTRAL_ROLE_COUNT; r++)
        role_option(h, (central_admin_role)r, f ? f->role : NULL);
    central_html_raw(h, "</select><label for=\"canteens\">负责的饭堂</label><input id=\"canteens\" "
                        "name=\"canteens\" maxlength=\"400\" placeholder=\"C-0001,C-0002（仅饭堂负责人）\" "
                        "value=\"");
    central_html_text(h, f ? f->canteens : NULL);
    central_html_raw(h, "\"><label for=\"password\">初始密码</label><input id=\"password\" "
                        "name=\"password\" type=\"password\" required minlength=\"10\" maxlength=\"128\" "
                        "autocomplete=\"new-password\"><label for=\"password2\">再输一次</label>"
                        "<input id=\"password2\" name=\"password2\" type=\"password\" required "
                        "minlength=\"10\" maxlength=\"128\" autocomplete=\"new-password\">"
                        "<button type=\"submit\">添加</button></form>"
                        "<p class=\"muted\">密码 10 到 128 个字符。请当面或电话告诉本人，并请其登录后修改。</p>"
                        "</section>");
}

static void reset_form(central_html *h, const console_view *v, const char *name)
{
    central_html_raw(h, "<form class=\"inline\" method=\"post\" action=\"/admin/accounts/reset\">");
    console_html_csrf(h, v);
    central_html_raw(h, "<input type=\"hidden\" name=\"name\" value=\"");
    central_html_text(h, name);
    central_html_raw(h, "\"><input name=\"password\" type=\"password\" required minlength=\"10\" "
                        "maxlength=\"128\" autocomplete=\"new-password\" placeholder=\"新密码\" "
                        "aria-label=\"");
    central_html_text(h, name);
    central_html_raw(h, " 的新密码\"><button type=\"submit\">重置密码</button></form>");
}

int console_html_accounts(const console_view *v, const central_admin_row *rows, int n,
                          const console_account_form *form, char **out, size_t *len, zc_err *err)
{
    central_html h;
    zc_buf_init(&h, CENTRAL_HTML_MAX);
    console_html_top(&h, v, "账户");
    central_html_printf(&h, "<section><h2>账户 <small>共 %d 个</small></h2><div class=\"wrap\"><table>"
                            "<thead><tr><th>用户名</th><th>角色</th><th>负责的饭堂</th><th>状态</th>"
                            "<th>上次登录</th>%s</tr></thead><tbody>", n,
                        v->can_change ? "<th>重置密码</th>" : "");
    for (int i = 0; i < n; i++) {
        const central_admin_row *r = &rows[i];
        central_html_raw(&h, "<tr><td class=\"id\">");
        central_html_text(&h, r->name);
        central_html_raw(&h, "</td><td>");
        central_html_text(&h, central_admin_role_label(r->role));
        central_html_raw(&h, "</td><td class=\"id\">");
        central_html_text(&h, r->role == CENTRAL_ROLE_MANAGER ? r->canteens : "全部");
        central_html_raw(&h, "</td><td>");
        if (r->locked_until > v->now) {
            central_html_raw(&h, "<span class=\"badge bad\">密码错误过多，暂停到 ");
            console_html_moment(&h, r->locked_until);
            central_html_raw(&h, "</span>");
        } else {
            central_html_raw(&h, "<span class=\"badge ok\">正常</span>");
        }
        central_html_raw(&h, "</td><td class=\"nw\">");
        if (r->last_login)
            console_html_moment(&h, r->last_login);
        else
            central_html_raw(&h, "<span class=\"muted\">从未</span>");
        central_html_raw(&h, "</td>");
        if (v->can_change) {
            central_html_raw(&h, "<td>");
            if (strcmp(r->name, v->admin) != 0)
                reset_form(&h, v, r->name);
            else
                central_html_raw(&h, "<a href=\"/admin/password\">修改自己的密码</a>");
            central_html_raw(&h, "</td>");
        }
        central_html_raw(&h, "</tr>");
    }
    central_html_raw(&h, "</tbody></table></div><p class=\"muted\">区级管理员管理全部；饭堂负责人只看自己"
                         "负责的饭堂；审计员可查看一切，不能修改。重置密码会结束该账户的所有登录。</p></section>");
    if (v->can_change)
        add_form(&h, v, form);
    return console_html_bottom(&h, out, len, err);
}

int console_html_password(const console_view *v, char **out, size_t *len, zc_err *err)
{
    central_html h;
    zc_buf_init(&h, CENTRAL_HTML_MAX);
    console_html_top(&h, v, "修改密码");
    central_html_raw(&h, "<section><h2>修改我的密码</h2><form class=\"grid\" method=\"post\" "
                         "action=\"/admin/password\">");
    console_html_csrf(&h, v);
    central_html_raw(&h, "<label for=\"current\">当前密码</label><input id=\"current\" name=\"current\" "
                         "type=\"password\" required maxlength=\"128\" autocomplete=\"current-password\">"
                         "<label for=\"password\">新密码</label><input id=\"password\" name=\"password\" "
                         "type=\"password\" required minlength=\"10\" maxlength=\"128\" "
                         "autocomplete=\"new-password\"><label for=\"password2\">再输一次</label>"
                         "<input id=\"password2\" name=\"password2\" type=\"password\" required "
                         "minlength=\"10\" maxlength=\"128\" autocomplete=\"new-password\">"
                         "<button type=\"submit\">修改</button></form><p class=\"muted\">新密码 10 到 128 "
                         "个字符。修改后，其他设备上的登录都会结束。</p></section>");
    return console_html_bottom(&h, out, len, err);
}

/* How an audit action reads on the page; an unknown one as it is. */
static const char *action_label(const char *a)
{
    static const struct {
        const char *code, *label;
    } t[] = {
        {"admin.add", "添加账户"},
        {"admin.reset", "重置密码"},
        {"admin.password", "修改自己的密码"},
        {"card.lost", "挂失"},
        {"card.status", "改卡状态"},
        {"card.replace", "补卡"},
        {"roster.import", "导入花名册"},
        {"canteen.add", "添加饭堂"},
        {"terminal.add", "添加终端"},
        {"terminal.revoke", "吊销终端"},
    };
    for (size_t i = 0; i < sizeof t / sizeof t[0]; i++)
        if (!strcmp(a, t[i].code))
            return t[i].label;
    return a;
}

int console_html_audit(const console_view *v, const central_audit_row *rows, int n, int64_t older,
                       char **out, size_t *len, zc_err *err)
{
    central_html h;
    zc_buf_init(&h, CENTRAL_HTML_MAX);
    console_html_top(&h, v, "操作记录");
    central_html_raw(&h, "<section><h2>操作记录 <small>最新的在前；记录只能添加，不能修改或删除</small></h2>"
                         "<div class=\"wrap\"><table><thead><tr><th>#</th><th>时间</th><th>操作人</th>"
                         "<th>操作</th><th>对象</th><th>之前</th><th>之后</th></tr></thead><tbody>");
    for (int i = 0; i < n; i++) {
        const central_audit_row *r = &rows[i];
        central_html_printf(&h, "<tr><td class=\"n\">%lld</td><td class=\"nw\">", (long long)r->id);
        console_html_moment(&h, r->at);
        central_html_raw(&h, "</td><td class=\"id\">");
        central_html_text(&h, r->actor);
        central_html_raw(&h, "</td><td>");
        central_html_text(&h, action_label(r->action));
        central_html_raw(&h, "</td><td class=\"id\">");
        central_html_text(&h, r->target);
        central_html_raw(&h, "</td><td><small>");
        central_html_text(&h, r->before);
        central_html_raw(&h, "</small></td><td><small>");
        central_html_text(&h, r->after);
        central_html_raw(&h, "</small></td></tr>");
    }
    if (n == 0)
        central_html_raw(&h, "<tr><td colspan=\"7\" class=\"muted\">还没有记录。</td></tr>");
    central_html_raw(&h, "</tbody></table></div>");
    if (older > 0)
        central_html_printf(&h, "<p><a href=\"/admin/audit?before=%lld\">更早的记录 &rarr;</a></p>",
                            (long long)older);
    central_html_raw(&h, "</section>");
    return console_html_bottom(&h, out, len, err);
}

static const char *card_status_label(const char *s)
{
    return !strcmp(s, "active") ? "正常" : !strcmp(s, "lost") ? "已挂失" : !strcmp(s, "blocked") ? "已停用" : s;
}

static const char *elder_status_label(const char *s)
{
    return !strcmp(s, "active") ? "正常" : !strcmp(s, "suspended") ? "暂停" : !strcmp(s, "deceased") ? "已故" : s;
}

/* The hidden fields every card form carries: the token and the search. */
static void card_form_open(central_html *h, const console_view *v, const char *action, const char *q)
{
    central_html_printf(h, "<form class=\"inline\" method=\"post\" action=\"%s\">", action);
    console_html_csrf(h, v);
    central_html_raw(h, "<input type=\"hidden\" name=\"q\" value=\"");
    central_html_text(h, q);
    central_html_raw(h, "\">");
}

static void card_cell(central_html *h, const console_view *v, const central_card *c, const char *q)
{
    central_html_raw(h, "<div class=\"card-line\"><span class=\"id\">");
    central_html_text(h, c->uid);
    central_html_printf(h, "</span> <span class=\"badge %s\">", !strcmp(c->status, "active") ? "ok" : "bad");
    central_html_text(h, card_status_label(c->status));
    central_html_raw(h, "</span>");
    if (v->can_change) {
        bool active = !strcmp(c->status, "active");
        card_form_open(h, v, "/admin/cards/status", q);
        central_html_raw(h, "<input type=\"hidden\" name=\"uid\" value=\"");
        central_html_text(h, c->uid);
        central_html_printf(h, "\"><input type=\"hidden\" name=\"status\" value=\"%s\">"
                               "<button type=\"submit\">%s</button></form>",
                            active ? "lost" : "active", active ? "挂失" : "解除挂失");
        card_form_open(h, v, "/admin/cards/replace", q);
        central_html_raw(h, "<input type=\"hidden\" name=\"old\" value=\"");
        central_html_text(h, c->uid);
        central_html_raw(h, "\"><input name=\"new\" required pattern=\"[0-9A-Fa-f]{10}\" maxlength=\"10\" "
                            "size=\"11\" placeholder=\"新卡号\" aria-label=\"新卡号（10 位）\">"
                            "<button type=\"submit\">补卡</button></form>");
    }
    central_html_raw(h, "</div>");
}

int console_html_elders(const console_view *v, const char *q, const central_found_elder *elders,
                        int n, char **out, size_t *len, zc_err *err)
{
    central_html h;
    zc_buf_init(&h, CENTRAL_HTML_MAX);
    console_html_top(&h, v, "老人与卡");
    central_html_raw(&h, "<section><h2>查找老人</h2><form class=\"inline\" method=\"get\" "
                         "action=\"/admin/elders\"><label for=\"q\">姓名、身份证后 4 位、卡号或编号</label>"
                         "<input id=\"q\" name=\"q\" required maxlength=\"40\" value=\"");
    central_html_text(&h, q);
    central_html_raw(&h, "\"><button type=\"submit\">查找</button></form></section>");
    if (q && *q) {
        central_html_printf(&h, "<section><h2>结果 <small>%d 位%s</small></h2><div class=\"wrap\"><table>"
                                "<thead><tr><th>编号</th><th>姓名</th><th>出生日期</th><th>身份证后 4 位</th>"
                                "<th>电话</th><th>类别</th><th>状态</th><th>卡</th></tr></thead><tbody>", n,
                            n >= CENTRAL_FIND_MAX ? "（只列前 50 位，请把条件写具体些）" : "");
        for (int i = 0; i < n; i++) {
            const central_found_elder *e = &elders[i];
            central_html_raw(&h, "<tr><td class=\"id\">");
            central_html_text(&h, e->id);
            central_html_raw(&h, "</td><td>");
            central_html_text(&h, e->name);
            central_html_raw(&h, "</td><td class=\"nw\">");
            central_html_text(&h, e->birth);
            central_html_raw(&h, "</td><td class=\"id\">");
            central_html_text(&h, e->id_last4);
            central_html_raw(&h, "</td><td class=\"id\">");
            central_html_text(&h, e->phone);
            central_html_raw(&h, "</td><td>");
            central_html_text(&h, e->categories);
            central_html_raw(&h, "</td><td>");
            central_html_text(&h, elder_status_label(e->status));
            central_html_raw(&h, "</td><td>");
            for (int k = 0; k < e->ncards; k++)
                card_cell(&h, v, &e->cards[k], q);
            if (!e->ncards)
                central_html_raw(&h, "<span class=\"muted\">无卡</span>");
            central_html_raw(&h, "</td></tr>");
        }
        if (!n)
            central_html_raw(&h, "<tr><td colspan=\"8\" class=\"muted\">没有找到。</td></tr>");
        central_html_raw(&h, "</tbody></table></div><p class=\"muted\">挂失和补卡在各终端下次同步"
                             "（通常一分钟内）时生效；挂失后这张卡在终端上会被拒绝。</p></section>");
    }
    return console_html_bottom(&h, out, len, err);
}

#define PROBLEM_LINES_MAX 500 /* problem lines listed; the rest are counted */

int console_html_roster(const console_view *v, const console_roster_view *r, char **out,
                        size_t *len, zc_err *err)
{
    central_html h;
    zc_buf_init(&h, CENTRAL_HTML_MAX);
    console_html_top(&h, v, "导入花名册");
    if (r && r->problems && *r->problems) {
        int shown = 0, more = 0;
        central_html_raw(&h, "<section><h2>有问题的行</h2><ul class=\"why\">");
        for (const char *p = r->problems; *p;) {
            size_t n = strcspn(p, "\n");
            if (shown < PROBLEM_LINES_MAX) {
                char line[400];
                snprintf(line, sizeof line, "%.*s", (int)(n < sizeof line - 1 ? n : sizeof line - 1), p);
                central_html_raw(&h, "<li>");
                central_html_text(&h, line);
                central_html_raw(&h, "</li>");
                shown++;
            } else {
                more++;
            }
            p += n + (p[n] == '\n');
        }
        central_html_raw(&h, "</ul>");
        if (more)
            central_html_printf(&h, "<p class=\"muted\">还有 %d 行问题未列出。</p>", more);
        central_html_raw(&h, "<p class=\"muted\">每行写成“line 行号: 列名: 原因”；行号是文件中的行（第 1 行是表头）。"
                             "</p></section>");
    }
    if (r && r->id[0]) {
        central_html_raw(&h, "<section><h2>预览</h2><dl><dt>文件</dt><dd>");
        central_html_text(&h, r->filename && *r->filename ? r->filename : "roster.csv");
        central_html_raw(&h, "</dd><dt>编码</dt><dd>");
        central_html_text(&h, r->encoding);
        central_html_printf(&h, "</dd><dt>数据行</dt><dd>%ld</dd><dt>将变化的老人</dt><dd>%ld</dd></dl>"
                                "<form class=\"inline\" method=\"post\" action=\"/admin/roster/apply\">",
                            r->rows, r->changed);
        console_html_csrf(&h, v);
        central_html_raw(&h, "<input type=\"hidden\" name=\"id\" value=\"");
        central_html_text(&h, r->id);
        central_html_raw(&h, "\"><button type=\"submit\">全部导入</button></form><p class=\"muted\">"
                             "检查已通过。导入是全部或全不：文件中的老人（连同他们的卡）按文件替换，文件中没有的老人保持不变。"
                             "一小时内有效。</p></section>");
    }
    central_html_raw(&h, "<section><h2>上传花名册</h2><form class=\"grid\" method=\"post\" "
                         "action=\"/admin/roster\" enctype=\"multipart/form-data\">");
    console_html_csrf(&h, v);
    central_html_raw(&h, "<label for=\"file\">CSV 文件</label><input id=\"file\" name=\"file\" "
                         "type=\"file\" accept=\".csv,text/csv\" required><button type=\"submit\">"
                         "检查并预览</button></form><p class=\"muted\">UTF-8 或 GBK（Excel 另存的 CSV）均可，"
                         "自动识别；最多 8 MB。列名见 docs/roster.md。先检查、列出每一行的问题，确认后再导入。"
                         "</p></section>");
    return console_html_bottom(&h, out, len, err);
}
