/* admin.c - sign-in, sessions and routes of the operators' page (admin.h).
 *
 * Security in one place:
 *   - a session is a random 32-byte token in an HttpOnly, SameSite=Strict
 *     cookie limited to Path=/admin (Secure over HTTPS), stored hashed with
 *     an 8-hour expiry (cstore_admin.h);
 *   - sign-in and sign-out are POSTs from our own form: a request whose
 *     Origin is another site is refused, and SameSite keeps the cookie off
 *     cross-site requests;
 *   - every answer says no-store, nosniff, frame-ancestors 'none' and a
 *     Content-Security-Policy that allows inline styles and nothing else
 *     (the page has no scripts and loads nothing);
 *   - the page only reads: the creport.h reports render into HTML
 *     (admin_html.c), which escapes every text that came from data. */
#include "admin.h"

#include <cjson/cJSON.h>
#include <pthread.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "../core/civil.h"
#include "../core/csvout.h"
#include "admin_html.h"
#include "creport.h"

#define HTML_TYPE "text/html; charset=utf-8"
#define CSP "default-src 'none'; style-src 'unsafe-inline'; img-src data:; form-action 'self'; " \
            "frame-ancestors 'none'; base-uri 'none'"
#define MONTH_BUF 16 /* "YYYY-MM" with room the compiler can see */
#define PASSWORD_FIELD_MAX (ZC_PASSWORD_MAX * 4) /* a decoded field longer than this is wrong anyway */

/* One password check at a time in the whole process: argon2id takes 64 MiB
 * and a tenth of a second, and the request holds a pooled database
 * connection meanwhile, so a flood of sign-ins must not take every
 * connection away from the terminals.  A sign-in that finds another under
 * way gets 503 with Retry-After: 1. */
static pthread_mutex_t checking = PTHREAD_MUTEX_INITIALIZER;

/* ---- the response ---- */

static void add_header(central_admin_response *rs, const char *name, const char *value)
{
    if (rs->nheaders < CENTRAL_ADMIN_HEADERS) {
        rs->headers[rs->nheaders].name = name;
        snprintf(rs->headers[rs->nheaders].value, sizeof rs->headers[0].value, "%s", value);
        rs->nheaders++;
    }
}

/* Starts a response: status, type and the headers every answer carries. */
static void start(central_admin_response *rs, int status, const char *type)
{
    rs->status = status;
    rs->nheaders = 0;
    add_header(rs, "Content-Type", type);
    add_header(rs, "Cache-Control", "no-store");
    add_header(rs, "X-Content-Type-Options", "nosniff");
    add_header(rs, "Content-Security-Policy", CSP);
    add_header(rs, "Referrer-Policy", "no-referrer");
    add_header(rs, "X-Frame-Options", "DENY");
}

/* A body that could not be rendered: plain text, never NULL. */
static void fallback(central_admin_response *rs, int status, const char *why)
{
    start(rs, status, "text/plain; charset=utf-8");
    size_t n = strlen(why);
    rs->body = malloc(n + 2);
    rs->len = rs->body ? n + 1 : 0;
    if (rs->body)
        snprintf(rs->body, n + 2, "%s\n", why);
}

/* Takes a rendered body; when rendering failed, a plain-text 500. */
static void body(central_admin_response *rs, int ret, char *text, size_t len, const zc_err *err)
{
    if (ret) {
        fallback(rs, 500, err->msg);
        return;
    }
    rs->body = text;
    rs->len = len;
}

static void message(central_admin_response *rs, int status, const char *title, const char *text,
                    const char *href, const char *link_text)
{
    char *text_out = NULL;
    size_t len = 0;
    zc_err err = {""};
    start(rs, status, HTML_TYPE);
    int ret = central_admin_html_message(title, text, href, link_text, &text_out, &len, &err);
    body(rs, ret, text_out, len, &err);
}

/* A 303 to a path of ours (a constant), with a tiny body for old clients. */
static void redirect(central_admin_response *rs, const char *to)
{
    char page[256];
    start(rs, 303, HTML_TYPE);
    add_header(rs, "Location", to);
    int n = snprintf(page, sizeof page, "<!DOCTYPE html><html lang=\"zh-CN\"><meta charset=\"utf-8\">"
                     "<title>跳转</title><p><a href=\"%s\">继续</a></p></html>\n", to);
    rs->body = n > 0 && (size_t)n < sizeof page ? strdup(page) : NULL;
    rs->len = rs->body ? (size_t)n : 0;
    if (!rs->body)
        fallback(rs, 500, "out of memory");
}

/* The Set-Cookie header of a new session, or of its removal (token NULL). */
static void set_cookie(central_admin_response *rs, const central_admin_request *rq,
                       const char *token)
{
    char v[256];
    snprintf(v, sizeof v, "%s=%s; Path=/admin; HttpOnly; SameSite=Strict; Max-Age=%d%s",
             CENTRAL_ADMIN_COOKIE, token ? token : "", token ? CENTRAL_ADMIN_SESSION_S : 0,
             rq->tls ? "; Secure" : "");
    add_header(rs, "Set-Cookie", v);
}

void central_admin_too_big(central_admin_response *rs)
{
    memset(rs, 0, sizeof *rs);
    message(rs, 413, "请求过大", "登录表单最多 4096 字节；请只填写用户名和密码。", "/admin/login",
            "返回登录");
}

bool central_admin_path(const char *path)
{
    return path && strncmp(path, "/admin", 6) == 0 && (path[6] == '\0' || path[6] == '/');
}

/* ---- months ---- */

/* Parses "YYYY-MM" (years 1900 to 2999). */
static bool month_parse(const char *s, int *y, int *m)
{
    char part[8];
    char *end = NULL;
    if (!s || strlen(s) != 7 || s[4] != '-')
        return false;
    for (int i = 0; i < 7; i++)
        if (i != 4 && (s[i] < '0' || s[i] > '9'))
            return false;
    snprintf(part, sizeof part, "%.4s", s);
    long yy = strtol(part, &end, 10);
    if (*end || yy < 1900 || yy > 2999)
        return false;
    snprintf(part, sizeof part, "%.2s", s + 5);
    long mm = strtol(part, &end, 10);
    if (*end || mm < 1 || mm > 12)
        return false;
    *y = (int)yy;
    *m = (int)mm;
    return true;
}

static void month_fmt(int y, int m, char out[MONTH_BUF])
{
    if (m < 1) {
        y--;
        m = 12;
    } else if (m > 12) {
        y++;
        m = 1;
    }
    snprintf(out, MONTH_BUF, "%04d-%02d", y % 10000, m % 100);
}

/* The local wall time of now (the process zone: serve sets CENTRAL_TZ),
 * "YYYY-MM-DD HH:MM". */
static zc_date local_now(int64_t now, char *text, size_t n)
{
    zc_datetime t = zc_tz_local(now);
    snprintf(text, n, "%04d-%02d-%02d %02d:%02d", t.date.y % 10000, t.date.m, t.date.d, t.hh, t.mm);
    return t.date;
}

/* ---- the form ---- */

static int hexval(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

/* Decodes the form field `name` of an x-www-form-urlencoded body into out
 * (n bytes).  False when absent, malformed, holding a NUL or longer than n-1. */
static bool form_field(const char *body, size_t len, const char *name, char *out, size_t n)
{
    size_t klen = strlen(name);
    const char *p = body, *end = body + len;
    while (p && p < end) {
        const char *amp = memchr(p, '&', (size_t)(end - p));
        const char *stop = amp ? amp : end;
        if ((size_t)(stop - p) > klen && strncmp(p, name, klen) == 0 && p[klen] == '=') {
            size_t o = 0;
            for (const char *q = p + klen + 1; q < stop; q++) {
                int c = (unsigned char)*q;
                if (c == '+') {
                    c = ' ';
                } else if (c == '%') {
                    int hi = q + 2 < stop ? hexval(q[1]) : -1, lo = hi >= 0 ? hexval(q[2]) : -1;
                    if (lo < 0)
                        return false;
                    c = hi * 16 + lo;
                    q += 2;
                }
                if (c == 0 || o + 1 >= n)
                    return false;
                out[o++] = (char)c;
            }
            out[o] = '\0';
            return true;
        }
        p = amp ? amp + 1 : NULL;
    }
    return false;
}

/* A POST whose Origin is not this site is refused (login CSRF, and a
 * cross-site logout).  Browsers send Origin on every POST.  Only the host
 * is compared: behind a proxy that ends TLS the scheme differs, the host
 * does not (pass Host through). */
static bool same_origin(const central_admin_request *rq)
{
    const char *origin = rq->header(rq->ctx, "Origin");
    const char *host = rq->header(rq->ctx, "Host");
    if (!origin)
        return true; /* curl and other non-browser clients: no cookie to abuse */
    if (!host)
        return false;
    if (strncmp(origin, "https://", 8) == 0)
        origin += 8;
    else if (strncmp(origin, "http://", 7) == 0)
        origin += 7;
    else
        return false; /* "null" from a sandboxed frame or a file */
    return strcmp(origin, host) == 0;
}

static void login_form(central_admin_response *rs, int status, const char *msg, const char *name)
{
    char *text = NULL;
    size_t len = 0;
    zc_err err = {""};
    start(rs, status, HTML_TYPE);
    int ret = central_admin_html_login(msg, name, &text, &len, &err);
    body(rs, ret, text, len, &err);
}

/* Starts a session for name: the cookie and a 303 to the month page. */
static void signed_in(central_store *st, const central_admin_request *rq,
                      central_admin_response *rs, const char *name)
{
    char token[CENTRAL_ADMIN_TOKEN_HEX];
    zc_err err = {""};
    if (central_store_admin_token_new(st, name, CENTRAL_ADMIN_SESSION, rq->now,
                                      CENTRAL_ADMIN_SESSION_S, token, &err) != ZC_OK) {
        message(rs, 503, "暂时无法登录", err.msg, "/admin/login", "重试");
        return;
    }
    redirect(rs, "/admin/");
    set_cookie(rs, rq, token);
    snprintf(rs->who, sizeof rs->who, "%s", name);
}

static void login_post(central_store *st, const central_admin_request *rq,
                       central_admin_response *rs)
{
    char name[CENTRAL_ADMIN_NAME_MAX] = "", password[PASSWORD_FIELD_MAX];
    const char *type = rq->header(rq->ctx, "Content-Type");
    int64_t until = 0;
    zc_err err = {""};
    static const char form_type[] = "application/x-www-form-urlencoded";
    if (!type || strncasecmp(type, form_type, sizeof form_type - 1) != 0 ||
        (type[sizeof form_type - 1] != '\0' && type[sizeof form_type - 1] != ';')) {
        message(rs, 415, "无法登录", "登录请求必须来自登录表单（application/x-www-form-urlencoded）。",
                "/admin/login", "返回登录");
        return;
    }
    bool have_name = form_field(rq->body, rq->len, "user", name, sizeof name);
    bool have_pw = form_field(rq->body, rq->len, "password", password, sizeof password);
    if (!have_name || !have_pw || !name[0]) {
        sodium_memzero(password, sizeof password);
        login_form(rs, 400, "请填写用户名和密码。", have_name ? name : "");
        return;
    }
    if (pthread_mutex_trylock(&checking) != 0) {
        sodium_memzero(password, sizeof password);
        login_form(rs, 503, "正在处理另一个登录，请稍后再试。", name);
        add_header(rs, "Retry-After", "1");
        return;
    }
    int ret = central_store_admin_login(st, name, password, rq->now, &until, &err);
    pthread_mutex_unlock(&checking);
    sodium_memzero(password, sizeof password);
    if (ret == ZC_OK) {
        signed_in(st, rq, rs, name);
    } else if (ret == ZC_EREFUSED) {
        login_form(rs, 401, "用户名或密码不正确。", name);
    } else if (ret == ZC_ELOCKED && until > rq->now) {
        char msg[240], when[48], retry[24];
        local_now(until, when, sizeof when);
        snprintf(msg, sizeof msg, "连续 %d 次密码错误，该账户已锁定到 %s（北京时间），请稍后再试。",
                 CENTRAL_ADMIN_MAX_WRONG, when + 11);
        login_form(rs, 429, msg, name);
        snprintf(retry, sizeof retry, "%lld", (long long)(until - rq->now));
        add_header(rs, "Retry-After", retry);
    } else {
        message(rs, 503, "暂时无法登录", err.msg, "/admin/login", "重试");
    }
}

static void link_get(central_store *st, const central_admin_request *rq,
                     central_admin_response *rs)
{
    char name[CENTRAL_ADMIN_NAME_MAX];
    zc_err err = {""};
    int ret = central_store_admin_link_use(st, rq->arg(rq->ctx, "t"), rq->now, name, &err);
    if (ret == ZC_OK)
        signed_in(st, rq, rs, name);
    else if (ret == ZC_ENOTFOUND)
        message(rs, 403, "登录链接无效", "这个登录链接不存在、已经用过或已过期。请用用户名和密码登录，"
                "或让中心管理员重新生成链接（zhucan-central admin link）。", "/admin/login", "去登录");
    else
        message(rs, 503, "暂时无法登录", err.msg, "/admin/login", "重试");
}

/* ---- the pages behind the session ---- */

/* The claim's CSV of a settlement (creport.h) into *out (owned by the
 * caller), as `report settlement --format csv` writes it. */
static int settlement_csv(const cJSON *settle, char **out, size_t *len, zc_err *err)
{
    char *buf = NULL;
    size_t n = 0;
    zc_csvout w;
    *out = NULL;
    *len = 0;
    FILE *f = open_memstream(&buf, &n);
    if (!f)
        return zc_errf(err, ZC_ENOMEM, "out of memory writing the settlement CSV");
    zc_csvout_begin(&w, f);
    central_report_settlement_csv(settle, &w);
    int ret = zc_csvout_finish(&w, "the settlement CSV", err);
    if (fclose(f) != 0 && ret == ZC_OK)
        ret = zc_errf(err, ZC_ENOMEM, "out of memory writing the settlement CSV");
    if (ret) {
        free(buf);
        return ret;
    }
    *out = buf;
    *len = n;
    return ZC_OK;
}

/* Fills the three reports for a month into their objects. */
static int reports(central_store *st, const char *month, cJSON *settle, cJSON *recon, cJSON *anom,
                   zc_err *err)
{
    int ret = central_report_settlement(st, month, NULL, false, settle, err);
    if (ret == ZC_OK)
        ret = central_report_reconcile(st, month, recon, err);
    if (ret == ZC_OK)
        ret = central_report_anomalies(st, month, anom, err);
    return ret;
}

void central_admin_default_month(int today_y, int today_m, int today_d, int claim_day, int *y,
                                 int *m)
{
    if (claim_day < 1 || claim_day > 28)
        claim_day = CENTRAL_ADMIN_CLAIM_DAY;
    *y = today_y;
    *m = today_m;
    if (today_d < claim_day && --*m < 1) {
        *m = 12;
        --*y;
    }
}

static void month_page(central_store *st, const central_admin_request *rq,
                       central_admin_response *rs, const char *who, bool csv)
{
    char month[MONTH_BUF], prev[MONTH_BUF], next[MONTH_BUF], generated[48];
    const char *arg = rq->arg(rq->ctx, "month");
    int y, m;
    zc_err err = {""};
    zc_date today = local_now(rq->now, generated, sizeof generated);
    if (arg && !month_parse(arg, &y, &m)) {
        message(rs, 400, "月份格式不对", "月份应写成 YYYY-MM（四位年份、两位月份），例如 2026-11。",
                "/admin/", "查看本月");
        return;
    }
    if (!arg)
        central_admin_default_month(today.y, today.m, today.d, rq->claim_day, &y, &m);
    month_fmt(y, m, month);
    month_fmt(y, m - 1, prev);
    month_fmt(y, m + 1, next);
    cJSON *settle = cJSON_CreateObject(), *recon = cJSON_CreateObject(),
          *anom = cJSON_CreateObject();
    char *text = NULL;
    size_t len = 0;
    int ret = settle && recon && anom ? reports(st, month, settle, recon, anom, &err)
                                      : zc_errf(&err, ZC_ENOMEM, "out of memory");
    if (ret) {
        message(rs, ret == ZC_EINVAL ? 400 : ret == ZC_ELOCKED ? 503 : 500, "报表暂时无法生成",
                err.msg, "/admin/", "重试");
        goto out;
    }
    if (csv) {
        char disposition[80];
        start(rs, 200, "text/csv; charset=utf-8");
        snprintf(disposition, sizeof disposition, "attachment; filename=\"settlement-%s.csv\"",
                 month);
        add_header(rs, "Content-Disposition", disposition);
        ret = settlement_csv(settle, &text, &len, &err);
    } else {
        central_admin_view v = {.month = month, .prev = prev, .next = next, .admin = who,
                                .generated = generated};
        start(rs, 200, HTML_TYPE);
        ret = central_admin_html_month(&v, settle, recon, anom, &text, &len, &err);
    }
    body(rs, ret, text, len, &err);
out:
    cJSON_Delete(settle);
    cJSON_Delete(recon);
    cJSON_Delete(anom);
}

/* ---- routing ---- */

static bool is(const central_admin_request *rq, const char *method)
{
    return strcmp(rq->method, method) == 0 || (!strcmp(method, "GET") && !strcmp(rq->method, "HEAD"));
}

void central_admin_handle(central_store *st, const central_admin_request *rq,
                          central_admin_response *rs)
{
    char who[CENTRAL_ADMIN_NAME_MAX] = "";
    const char *p = rq->path;
    zc_err err = {""};
    memset(rs, 0, sizeof *rs);
    bool post = strcmp(rq->method, "POST") == 0;
    if (!is(rq, "GET") && !post) {
        message(rs, 405, "不支持的请求", "这个页面只能查看（GET）或从表单登录、退出（POST）。", "/admin/",
                "返回");
        add_header(rs, "Allow", "GET, HEAD, POST");
        return;
    }
    if (post && !same_origin(rq)) {
        message(rs, 403, "请求被拒绝", "登录和退出只能从本站的页面提交。", "/admin/login", "返回登录");
        return;
    }
    if (!strcmp(p, "/admin/login")) {
        if (post)
            login_post(st, rq, rs);
        else
            login_form(rs, 200, NULL, NULL);
        return;
    }
    if (!strcmp(p, "/admin/link") && !post) {
        link_get(st, rq, rs);
        return;
    }
    const char *token = rq->cookie(rq->ctx, CENTRAL_ADMIN_COOKIE);
    int ret = token ? central_store_admin_session(st, token, rq->now, who, &err) : ZC_ENOTFOUND;
    if (ret != ZC_OK && ret != ZC_ENOTFOUND) {
        message(rs, 503, "暂时无法打开", err.msg, "/admin/", "重试");
        return;
    }
    if (ret == ZC_ENOTFOUND) {
        if (post || !is(rq, "GET"))
            message(rs, 401, "需要登录", "请先登录。", "/admin/login", "去登录");
        else
            redirect(rs, "/admin/login");
        return;
    }
    snprintf(rs->who, sizeof rs->who, "%s", who);
    if (!strcmp(p, "/admin/logout") && !post) {
        message(rs, 405, "不支持的请求", "退出登录请用页面上的“退出登录”按钮。", "/admin/", "返回");
        add_header(rs, "Allow", "POST");
    } else if (!strcmp(p, "/admin/logout")) {
        ret = central_store_admin_token_end(st, token, &err);
        if (ret) {
            message(rs, 503, "暂时无法退出", err.msg, "/admin/", "返回");
            return;
        }
        redirect(rs, "/admin/login");
        set_cookie(rs, rq, NULL);
    } else if (post) {
        message(rs, 405, "不支持的请求", "这个页面只能查看。", "/admin/", "返回");
        add_header(rs, "Allow", "GET, HEAD");
    } else if (!strcmp(p, "/admin")) {
        redirect(rs, "/admin/");
    } else if (!strcmp(p, "/admin/") || !strcmp(p, "/admin/settlement.csv")) {
        month_page(st, rq, rs, who, strcmp(p, "/admin/") != 0);
    } else {
        message(rs, 404, "没有这个页面", "地址不对。", "/admin/", "查看本月");
    }
}
