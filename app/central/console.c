/* console.c - the district console's pages behind a session (admin_int.h):
 *
 *   GET  /admin/accounts          every account (district admin, auditor)
 *   POST /admin/accounts          add one: name, role, canteens, password, password2 (district)
 *   POST /admin/accounts/reset    set another account's password: name, password (district)
 *   GET  /admin/password          the form to change one's own password (everyone)
 *   POST /admin/password          current, password, password2
 *   GET  /admin/audit[?before=ID] the audit trail (district admin, auditor)
 *
 * Roles decide before anything is read: a manager sees neither the
 * accounts nor the trail, an auditor changes nothing but their own
 * password.  Each change writes its audit row in its own transaction
 * (cstore_console.h).  admin.c has already checked the session, the Origin
 * and the form token. */
#include <cjson/cJSON.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>

#include "admin_int.h"
#include "console_html.h"

#define ACCOUNTS_MAX 500       /* accounts listed on the page */
#define CANTEENS_FIELD_MAX 400 /* the canteens field as typed */
#define PW_FIELD_MAX (ZC_PASSWORD_MAX * 4)

static console_view view_of(const admin_session *s, const central_admin_request *rq)
{
    return (console_view){.admin = s->who, .role = central_admin_role_label(s->scope.role),
                          .csrf = s->csrf, .can_change = s->scope.role == CENTRAL_ROLE_DISTRICT,
                          .now = rq->now};
}

static void forbidden(central_admin_response *rs, const char *why)
{
    admin_message(rs, 403, "没有权限", why, "/admin/", "返回月报");
}

/* ---- accounts ---- */

typedef struct account_list {
    central_admin_row *rows; /* owned */
    int n;
} account_list;

static int collect(void *ctx, const central_admin_row *r)
{
    account_list *a = ctx;
    if (a->n >= ACCOUNTS_MAX)
        return ZC_OK;
    a->rows[a->n++] = *r;
    return ZC_OK;
}

/* The accounts page with status, an error or a note, and the add form's
 * values put back. */
static void accounts_page(central_store *st, const central_admin_request *rq,
                          central_admin_response *rs, const admin_session *s, int status,
                          const char *msg, const char *note, const console_account_form *form)
{
    account_list a = {calloc(ACCOUNTS_MAX, sizeof *a.rows), 0};
    char *text = NULL;
    size_t len = 0;
    zc_err err = {""};
    console_view v = view_of(s, rq);
    v.msg = msg;
    v.note = note;
    int ret = a.rows ? central_store_admin_list(st, collect, &a, &err)
                     : zc_errf(&err, ZC_ENOMEM, "out of memory");
    if (ret) {
        admin_message(rs, 503, "暂时无法打开", err.msg, "/admin/accounts", "重试");
        goto out;
    }
    admin_start(rs, status, ADMIN_HTML_TYPE);
    ret = console_html_accounts(&v, a.rows, a.n, form, &text, &len, &err);
    admin_body(rs, ret, text, len, &err);
out:
    free(a.rows);
}

/* Splits "C-0001, C-0002" (commas or spaces) into the scope's canteens;
 * false when there are too many or one is too long. */
static bool parse_canteens(const char *text, central_admin_scope *sc)
{
    const char *p = text;
    sc->ncanteens = 0;
    while (*p) {
        while (*p == ',' || *p == ' ' || *p == '\xef') { /* "，" is EF BC 8C */
            if (*p == '\xef' && !(p[1] == '\xbc' && p[2] == '\x8c'))
                return false;
            p += *p == '\xef' ? 3 : 1;
        }
        size_t n = strcspn(p, ", \xef");
        if (!n)
            break;
        if (n >= ZC_ID_MAX || sc->ncanteens >= CENTRAL_ADMIN_CANTEENS)
            return false;
        snprintf(sc->canteens[sc->ncanteens++], ZC_ID_MAX, "%.*s", (int)n, p);
        p += n;
    }
    return true;
}

static void accounts_add(central_store *st, const central_admin_request *rq,
                         central_admin_response *rs, const admin_session *s)
{
    char name[CENTRAL_ADMIN_NAME_MAX] = "", role[16] = "", canteens[CANTEENS_FIELD_MAX] = "";
    char pw[PW_FIELD_MAX] = "", pw2[PW_FIELD_MAX] = "", note[160];
    central_admin_scope sc = {0};
    zc_err err = {""};
    const char *msg = NULL;
    bool have = admin_form_field(rq->body, rq->len, "name", name, sizeof name) &&
                admin_form_field(rq->body, rq->len, "role", role, sizeof role) &&
                admin_form_field(rq->body, rq->len, "password", pw, sizeof pw) &&
                admin_form_field(rq->body, rq->len, "password2", pw2, sizeof pw2);
    bool have_canteens = admin_form_field(rq->body, rq->len, "canteens", canteens, sizeof canteens) ||
                         !strstr(rq->body ? rq->body : "", "canteens=");
    console_account_form form = {name, role, canteens};
    if (!have || !have_canteens)
        msg = "表单不完整或某一项太长：请填写用户名、角色、两次密码（饭堂最多 400 个字符）。";
    else if (!central_admin_name_ok(name))
        msg = "用户名只能用 1 到 47 个英文字母、数字、“-”“_”或“.”。";
    else if (!central_admin_role_parse(role, &sc.role))
        msg = "请选择一个角色。";
    else if (!parse_canteens(canteens, &sc))
        msg = "饭堂编号太长或太多（最多 16 个，用逗号分开）。";
    else if (strcmp(pw, pw2) != 0)
        msg = "两次输入的密码不一样。";
    else if (sc.role == CENTRAL_ROLE_MANAGER && sc.ncanteens == 0)
        msg = "饭堂负责人至少要负责一个饭堂，请填写饭堂编号。";
    else if (sc.role != CENTRAL_ROLE_MANAGER && sc.ncanteens)
        msg = "只有饭堂负责人填写饭堂；区级管理员和审计员看全部。";
    else if (zc_password_valid(pw, NULL) != ZC_OK)
        msg = "密码要 10 到 128 个字符。";
    if (msg) {
        accounts_page(st, rq, rs, s, 400, msg, NULL, &form);
        goto out;
    }
    int ret = central_store_admin_add(st, s->who, name, pw, &sc, rq->now, &err);
    if (ret == ZC_ECONFLICT) {
        accounts_page(st, rq, rs, s, 409, "这个用户名已经有了，请换一个。", NULL, &form);
    } else if (ret == ZC_ENOTFOUND) {
        accounts_page(st, rq, rs, s, 400, "填写的饭堂编号中有不存在的（或重复的），请核对。", NULL, &form);
    } else if (ret) {
        admin_message(rs, 503, "暂时无法添加", err.msg, "/admin/accounts", "返回");
    } else {
        snprintf(note, sizeof note, "已添加账户 %s（%s）。", name, central_admin_role_label(sc.role));
        accounts_page(st, rq, rs, s, 200, NULL, note, NULL);
    }
out:
    sodium_memzero(pw, sizeof pw);
    sodium_memzero(pw2, sizeof pw2);
}

static void accounts_reset(central_store *st, const central_admin_request *rq,
                           central_admin_response *rs, const admin_session *s)
{
    char name[CENTRAL_ADMIN_NAME_MAX] = "", pw[PW_FIELD_MAX] = "", note[160];
    zc_err err = {""};
    if (!admin_form_field(rq->body, rq->len, "name", name, sizeof name) ||
        !admin_form_field(rq->body, rq->len, "password", pw, sizeof pw) || !central_admin_name_ok(name)) {
        accounts_page(st, rq, rs, s, 400, "请选择账户并填写新密码。", NULL, NULL);
    } else if (!strcmp(name, s->who)) {
        accounts_page(st, rq, rs, s, 400, "自己的密码请在“修改密码”页修改（需要当前密码）。", NULL, NULL);
    } else if (zc_password_valid(pw, NULL) != ZC_OK) {
        accounts_page(st, rq, rs, s, 400, "新密码要 10 到 128 个字符。", NULL, NULL);
    } else {
        int ret = central_store_admin_password(st, s->who, "admin.reset", name, pw, NULL, rq->now,
                                               &err);
        if (ret == ZC_ENOTFOUND) {
            accounts_page(st, rq, rs, s, 404, "没有这个账户。", NULL, NULL);
        } else if (ret) {
            admin_message(rs, 503, "暂时无法重置", err.msg, "/admin/accounts", "返回");
        } else {
            snprintf(note, sizeof note, "已重置 %s 的密码，并结束了它的所有登录。", name);
            accounts_page(st, rq, rs, s, 200, NULL, note, NULL);
        }
    }
    sodium_memzero(pw, sizeof pw);
}

/* ---- one's own password ---- */

static void password_page(const central_admin_request *rq, central_admin_response *rs,
                          const admin_session *s, int status, const char *msg, const char *note)
{
    char *text = NULL;
    size_t len = 0;
    zc_err err = {""};
    console_view v = view_of(s, rq);
    v.msg = msg;
    v.note = note;
    admin_start(rs, status, ADMIN_HTML_TYPE);
    int ret = console_html_password(&v, &text, &len, &err);
    admin_body(rs, ret, text, len, &err);
}

static void password_post(central_store *st, const central_admin_request *rq,
                          central_admin_response *rs, const admin_session *s)
{
    char cur[PW_FIELD_MAX] = "", pw[PW_FIELD_MAX] = "", pw2[PW_FIELD_MAX] = "";
    int64_t until = 0;
    bool busy = false;
    zc_err err = {""};
    if (!admin_form_field(rq->body, rq->len, "current", cur, sizeof cur) ||
        !admin_form_field(rq->body, rq->len, "password", pw, sizeof pw) ||
        !admin_form_field(rq->body, rq->len, "password2", pw2, sizeof pw2)) {
        password_page(rq, rs, s, 400, "请填写当前密码和两次新密码。", NULL);
        goto out;
    }
    if (strcmp(pw, pw2) != 0) {
        password_page(rq, rs, s, 400, "两次输入的新密码不一样。", NULL);
        goto out;
    }
    if (zc_password_valid(pw, NULL) != ZC_OK) {
        password_page(rq, rs, s, 400, "新密码要 10 到 128 个字符。", NULL);
        goto out;
    }
    /* signed in already: the account's backoff does not hold this browser */
    int ret = admin_check_password(st, s->who, cur, true, rq->now, &until, &busy, &err);
    if (ret == ZC_OK)
        ret = central_store_admin_password(st, s->who, "admin.password", s->who, pw, s->token,
                                           rq->now, &err);
    if (ret == ZC_OK)
        password_page(rq, rs, s, 200, NULL, "密码已修改；其他设备上的登录已结束。");
    else if (ret == ZC_EREFUSED || (ret == ZC_ELOCKED && !busy))
        password_page(rq, rs, s, 403, "当前密码不正确。", NULL);
    else
        admin_message(rs, 503, "暂时无法修改", busy ? "登录的人太多，请稍后再试。" : err.msg,
                      "/admin/password", "返回");
out:
    sodium_memzero(cur, sizeof cur);
    sodium_memzero(pw, sizeof pw);
    sodium_memzero(pw2, sizeof pw2);
}

/* ---- the audit trail ---- */

typedef struct trail {
    central_audit_row *rows; /* owned */
    int n;
} trail;

static int collect_audit(void *ctx, const central_audit_row *r)
{
    trail *t = ctx;
    t->rows[t->n++] = *r;
    return ZC_OK;
}

static void audit_page(central_store *st, const central_admin_request *rq,
                       central_admin_response *rs, const admin_session *s)
{
    const char *arg = rq->arg(rq->ctx, "before");
    char *end = NULL, *text = NULL;
    size_t len = 0;
    zc_err err = {""};
    long long before = arg ? strtoll(arg, &end, 10) : 0;
    if (arg && (end == arg || *end || before < 1)) {
        admin_message(rs, 400, "地址不对", "before 应是一个正整数（记录编号）。", "/admin/audit", "最新记录");
        return;
    }
    trail t = {calloc(CENTRAL_AUDIT_PAGE, sizeof *t.rows), 0};
    console_view v = view_of(s, rq);
    int ret = t.rows ? central_store_audit_list(st, before, CENTRAL_AUDIT_PAGE, collect_audit, &t, &err)
                     : zc_errf(&err, ZC_ENOMEM, "out of memory");
    if (ret) {
        admin_message(rs, 503, "暂时无法打开", err.msg, "/admin/audit", "重试");
        goto out;
    }
    admin_start(rs, 200, ADMIN_HTML_TYPE);
    ret = console_html_audit(&v, t.rows, t.n,
                             t.n == CENTRAL_AUDIT_PAGE ? t.rows[t.n - 1].id : 0, &text, &len, &err);
    admin_body(rs, ret, text, len, &err);
out:
    free(t.rows);
}

/* ---- routing ---- */

bool console_route(central_store *st, const central_admin_request *rq, central_admin_response *rs,
                   const admin_session *s)
{
    const char *p = rq->path;
    bool post = !strcmp(rq->method, "POST");
    central_admin_role role = s->scope.role;
    if (!strcmp(p, "/admin/password")) {
        if (post)
            password_post(st, rq, rs, s);
        else
            password_page(rq, rs, s, 200, NULL, NULL);
        return true;
    }
    bool accounts = !strcmp(p, "/admin/accounts"), reset = !strcmp(p, "/admin/accounts/reset"),
         audit = !strcmp(p, "/admin/audit");
    if (!accounts && !reset && !audit)
        return false;
    if (role == CENTRAL_ROLE_MANAGER) {
        forbidden(rs, "饭堂负责人不能查看账户和操作记录。");
    } else if (post && role != CENTRAL_ROLE_DISTRICT) {
        forbidden(rs, "审计员只能查看，不能修改。");
    } else if (post && accounts) {
        accounts_add(st, rq, rs, s);
    } else if (post && reset) {
        accounts_reset(st, rq, rs, s);
    } else if (post || reset) {
        admin_message(rs, 405, "不支持的请求", post ? "这个页面只能查看。" : "重置密码请用账户页上的表单。",
                      "/admin/accounts", "返回");
        admin_add_header(rs, "Allow", post ? "GET, HEAD" : "POST");
    } else if (accounts) {
        accounts_page(st, rq, rs, s, 200, NULL, NULL, NULL);
    } else {
        audit_page(st, rq, rs, s);
    }
    return true;
}

/* Removes from arr the objects whose "canteen" is not canteen; counts per
 * "kind" into counts (may be NULL) and rows with "status" "problems". */
static int keep_canteen(cJSON *arr, const char *canteen, cJSON *counts)
{
    int problems = 0;
    cJSON *o = arr ? arr->child : NULL;
    cJSON *c;
    cJSON_ArrayForEach(c, counts)
        cJSON_SetNumberValue(c, 0);
    while (o) {
        cJSON *next = o->next;
        const char *of = cJSON_GetStringValue(cJSON_GetObjectItem(o, "canteen"));
        if (!of || strcmp(of, canteen) != 0) {
            cJSON_Delete(cJSON_DetachItemViaPointer(arr, o));
        } else {
            const char *kind = cJSON_GetStringValue(cJSON_GetObjectItem(o, "kind"));
            cJSON *n = kind && counts ? cJSON_GetObjectItem(counts, kind) : NULL;
            if (n)
                cJSON_SetNumberValue(n, n->valuedouble + 1);
            const char *status = cJSON_GetStringValue(cJSON_GetObjectItem(o, "status"));
            problems += status && !strcmp(status, "problems");
        }
        o = next;
    }
    return problems;
}

void console_only_canteen(const char *canteen, cJSON *recon, cJSON *anom)
{
    int problems = keep_canteen(cJSON_GetObjectItem(recon, "terminals"), canteen, NULL);
    cJSON *p = cJSON_GetObjectItem(recon, "problems");
    if (p)
        cJSON_SetNumberValue(p, problems);
    keep_canteen(cJSON_GetObjectItem(anom, "anomalies"), canteen, cJSON_GetObjectItem(anom, "counts"));
}
