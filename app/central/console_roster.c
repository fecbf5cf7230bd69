/* console_roster.c - the roster pages of the district console:
 *
 *   GET  /admin/elders?q=...        find elders by name, ID last 4, card or id
 *                                   (district admin, auditor)
 *   POST /admin/cards/status        挂失 / 解除挂失: uid, status (lost | active), q (district)
 *   POST /admin/cards/replace       补卡: old, new (10 hex digits), q (district)
 *
 * A change answers with the search it came from, redone, and a note.  The
 * change reaches the terminals through the roster pages they already pull
 * (cstore_console_roster.c), i.e. at their next sync round. */
#include <stdlib.h>
#include <string.h>

#include "admin_int.h"
#include "console_html.h"

#define QUERY_MAX 41 /* the search as typed: 40 bytes */
#define UID_LEN 10

typedef struct found {
    central_found_elder *rows; /* owned, CENTRAL_FIND_MAX */
    int n;
} found;

static int collect(void *ctx, const central_found_elder *e)
{
    found *f = ctx;
    if (f->n < CENTRAL_FIND_MAX)
        f->rows[f->n++] = *e;
    return ZC_OK;
}

/* The search page for q (may be NULL or "") with status and a message. */
static void elders_page(central_store *st, const central_admin_request *rq,
                        central_admin_response *rs, const admin_session *s, const char *q,
                        int status, const char *msg, const char *note)
{
    found f = {calloc(CENTRAL_FIND_MAX, sizeof *f.rows), 0};
    char *text = NULL;
    size_t len = 0;
    zc_err err = {""};
    console_view v = {.admin = s->who, .role = central_admin_role_label(s->scope.role),
                      .csrf = s->csrf, .can_change = s->scope.role == CENTRAL_ROLE_DISTRICT,
                      .msg = msg, .note = note, .now = rq->now};
    int ret = f.rows ? ZC_OK : zc_errf(&err, ZC_ENOMEM, "out of memory");
    if (ret == ZC_OK && q && *q)
        ret = central_store_elder_find(st, q, collect, &f, &err);
    if (ret) {
        admin_message(rs, 503, "暂时无法查找", err.msg, "/admin/elders", "重试");
        goto out;
    }
    admin_start(rs, status, ADMIN_HTML_TYPE);
    ret = console_html_elders(&v, q, f.rows, f.n, &text, &len, &err);
    admin_body(rs, ret, text, len, &err);
out:
    free(f.rows);
}

/* A card number as typed into out (upper-case); false unless 10 hex digits. */
static bool uid_of(const char *in, char out[UID_LEN + 1])
{
    if (strlen(in) != UID_LEN)
        return false;
    for (int i = 0; i < UID_LEN; i++) {
        char c = in[i];
        if (c >= 'a' && c <= 'f')
            c = (char)(c - 'a' + 'A');
        if (!((c >= '0' && c <= '9') || (c >= 'A' && c <= 'F')))
            return false;
        out[i] = c;
    }
    out[UID_LEN] = '\0';
    return true;
}

static void card_post(central_store *st, const central_admin_request *rq,
                      central_admin_response *rs, const admin_session *s, bool replace)
{
    char q[QUERY_MAX] = "", a[32] = "", b[32] = "", ua[UID_LEN + 1], ub[UID_LEN + 1], note[160];
    zc_err err = {""};
    if (!admin_form_field(rq->body, rq->len, "q", q, sizeof q))
        q[0] = '\0';
    bool have = replace ? admin_form_field(rq->body, rq->len, "old", a, sizeof a) &&
                              admin_form_field(rq->body, rq->len, "new", b, sizeof b)
                        : admin_form_field(rq->body, rq->len, "uid", a, sizeof a) &&
                              admin_form_field(rq->body, rq->len, "status", b, sizeof b);
    if (!have || !uid_of(a, ua) || (replace && !uid_of(b, ub))) {
        elders_page(st, rq, rs, s, q, 400, "卡号应是 10 位（0-9、A-F）。", NULL);
        return;
    }
    if (!replace && strcmp(b, "lost") != 0 && strcmp(b, "active") != 0) {
        elders_page(st, rq, rs, s, q, 400, "卡的状态只能改成“挂失”或“正常”。", NULL);
        return;
    }
    int ret = replace ? central_store_card_replace(st, s->who, ua, ub, rq->now, &err)
                      : central_store_card_status(st, s->who, ua, b, rq->now, &err);
    if (ret == ZC_ENOTFOUND) {
        elders_page(st, rq, rs, s, q, 404, "花名册上没有这张卡。", NULL);
    } else if (ret == ZC_ECONFLICT) {
        elders_page(st, rq, rs, s, q, 409, "新卡号已经在花名册上（属于另一位老人或本人），请换一张卡。", NULL);
    } else if (ret) {
        admin_message(rs, 503, "暂时无法修改", err.msg, "/admin/elders", "返回");
    } else {
        if (replace)
            snprintf(note, sizeof note, "已补卡：%s 已挂失，新卡 %s 可以使用。各终端下次同步时生效。", ua, ub);
        else
            snprintf(note, sizeof note, "卡 %s 已%s。各终端下次同步时生效。", ua,
                     !strcmp(b, "lost") ? "挂失" : "恢复正常");
        elders_page(st, rq, rs, s, q[0] ? q : ua, 200, NULL, note);
    }
}

bool console_roster_route(central_store *st, const central_admin_request *rq,
                          central_admin_response *rs, const admin_session *s)
{
    const char *p = rq->path;
    bool post = !strcmp(rq->method, "POST");
    bool elders = !strcmp(p, "/admin/elders"), status = !strcmp(p, "/admin/cards/status"),
         replace = !strcmp(p, "/admin/cards/replace");
    if (!elders && !status && !replace)
        return false;
    if (s->scope.role == CENTRAL_ROLE_MANAGER) {
        admin_message(rs, 403, "没有权限", "老人花名册由区级管理员维护；饭堂负责人不能查看。", "/admin/", "返回月报");
    } else if (post && s->scope.role != CENTRAL_ROLE_DISTRICT) {
        admin_message(rs, 403, "没有权限", "审计员只能查看，不能修改。", "/admin/elders", "返回");
    } else if (elders && !post) {
        const char *q = rq->arg(rq->ctx, "q");
        if (q && strlen(q) >= QUERY_MAX)
            admin_message(rs, 400, "查找条件太长", "最多 40 个字节（约 13 个汉字）。", "/admin/elders", "返回");
        else
            elders_page(st, rq, rs, s, q, 200, NULL, NULL);
    } else if (post && !elders) {
        card_post(st, rq, rs, s, replace);
    } else {
        admin_message(rs, 405, "不支持的请求", "请用页面上的表单。", "/admin/elders", "返回");
        admin_add_header(rs, "Allow", post ? "GET, HEAD" : "POST");
    }
    return true;
}
