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
#include "admin_int.h"

#include <cjson/cJSON.h>
#include <pthread.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "../core/civil.h"
#include "../core/csvout.h"
#include "admin_html.h"
#include "console_throttle.h"
#include "creport.h"

#define CSP "default-src 'none'; style-src 'unsafe-inline'; img-src data:; form-action 'self'; " \
            "frame-ancestors 'none'; base-uri 'none'"
#define MONTH_BUF 16 /* "YYYY-MM" with room the compiler can see */
#define PASSWORD_FIELD_MAX (ZC_PASSWORD_MAX * 4) /* a decoded field longer than this is wrong anyway */

/* One password check at a time in the whole process: argon2id takes 64 MiB
 * and a tenth of a second.  A sign-in waits for the check under way (at
 * most CHECK_WAIT_S, then 503); guessing clients cannot fill that queue,
 * since a source past its free tries is answered 429 without a check
 * (console_throttle.h). */
#define CHECK_WAIT_S 5
static pthread_mutex_t checking = PTHREAD_MUTEX_INITIALIZER;
/* The sign-in brake per source: one per process (zeroed static storage is
 * an empty table; its mutex is initialised statically). */
static console_throttle throttle = {.mu = PTHREAD_MUTEX_INITIALIZER};

/* ---- the response ---- */

void admin_add_header(central_admin_response *rs, const char *name, const char *value)
{
    if (rs->nheaders < CENTRAL_ADMIN_HEADERS) {
        rs->headers[rs->nheaders].name = name;
        snprintf(rs->headers[rs->nheaders].value, sizeof rs->headers[0].value, "%s", value);
        rs->nheaders++;
    }
}

/* Starts a response: status, type and the headers every answer carries. */
void admin_start(central_admin_response *rs, int status, const char *type)
{
    rs->status = status;
    rs->nheaders = 0;
    admin_add_header(rs, "Content-Type", type);
    admin_add_header(rs, "Cache-Control", "no-store");
    admin_add_header(rs, "X-Content-Type-Options", "nosniff");
    admin_add_header(rs, "Content-Security-Policy", CSP);
    /* not no-referrer: with it browsers send "Origin: null" on our own forms */
    admin_add_header(rs, "Referrer-Policy", "same-origin");
    admin_add_header(rs, "X-Frame-Options", "DENY");
}

/* A body that could not be rendered: plain text, never NULL. */
static void fallback(central_admin_response *rs, int status, const char *why)
{
    admin_start(rs, status, "text/plain; charset=utf-8");
    size_t n = strlen(why);
    rs->body = malloc(n + 2);
    rs->len = rs->body ? n + 1 : 0;
    if (rs->body)
        snprintf(rs->body, n + 2, "%s\n", why);
}

/* Takes a rendered body; when rendering failed, a plain-text 500. */
void admin_body(central_admin_response *rs, int ret, char *text, size_t len, const zc_err *err)
{
    if (ret) {
        fallback(rs, 500, err->msg);
        return;
    }
    rs->body = text;
    rs->len = len;
}

void admin_message(central_admin_response *rs, int status, const char *title, const char *text,
                    const char *href, const char *link_text)
{
    char *text_out = NULL;
    size_t len = 0;
    zc_err err = {""};
    admin_start(rs, status, ADMIN_HTML_TYPE);
    int ret = central_admin_html_message(title, text, href, link_text, &text_out, &len, &err);
    admin_body(rs, ret, text_out, len, &err);
}

/* A 303 to a path of ours (a constant), with a tiny body for old clients. */
void admin_redirect(central_admin_response *rs, const char *to)
{
    char page[256];
    admin_start(rs, 303, ADMIN_HTML_TYPE);
    admin_add_header(rs, "Location", to);
    int n = snprintf(page, sizeof page, "<!DOCTYPE html><html lang=\"zh-CN\"><meta charset=\"utf-8\">"
                     "<title>跳转</title><p><a href=\"%s\">继续</a></p></html>\n", to);
    rs->body = n > 0 && (size_t)n < sizeof page ? strdup(page) : NULL;
    rs->len = rs->body ? (size_t)n : 0;
    if (!rs->body)
        fallback(rs, 500, "out of memory");
}

/* A Set-Cookie header: name=value (value NULL: its removal) on path for
 * max_age seconds, HttpOnly, SameSite=Strict, Secure over HTTPS. */
static void cookie(central_admin_response *rs, const central_admin_request *rq, const char *name,
                   const char *value, const char *path, int max_age)
{
    char v[256];
    snprintf(v, sizeof v, "%s=%s; Path=%s; HttpOnly; SameSite=Strict; Max-Age=%d%s", name,
             value ? value : "", path, value ? max_age : 0, rq->tls ? "; Secure" : "");
    admin_add_header(rs, "Set-Cookie", v);
}

/* The Set-Cookie header of a new session, or of its removal (token NULL). */
static void set_cookie(central_admin_response *rs, const central_admin_request *rq,
                       const char *token)
{
    cookie(rs, rq, CENTRAL_ADMIN_COOKIE, token, "/admin", CENTRAL_ADMIN_SESSION_S);
}

void central_admin_too_big(central_admin_response *rs)
{
    memset(rs, 0, sizeof *rs);
    admin_message(rs, 413, "请求过大", "表单最多 4096 字节，花名册文件最多 8 MB。", "/admin/",
                  "返回");
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
 * (n bytes).  False when absent, malformed, longer than n-1 or holding a
 * control character (NUL, a line break, a tab, DEL: no field of the page is
 * more than one line, and such bytes hide text in logs and CSVs). */
bool admin_form_field(const char *body, size_t len, const char *name, char *out, size_t n)
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
                if (c < 0x20 || c == 0x7f || o + 1 >= n)
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

/* A POST must name this site as its Origin (browsers send it on every
 * POST; a POST without one is refused, so is one from another site): one
 * of the two guards against cross-site forms, the other being the form
 * token.  Only the host is compared: behind a proxy that ends TLS the
 * scheme differs, the host does not (pass Host through). */
static bool same_origin(const central_admin_request *rq)
{
    const char *origin = rq->header(rq->ctx, "Origin");
    const char *host = rq->header(rq->ctx, "Host");
    if (!origin || !host)
        return false;
    if (strncmp(origin, "https://", 8) == 0)
        origin += 8;
    else if (strncmp(origin, "http://", 7) == 0)
        origin += 7;
    else
        return false; /* "null" from a sandboxed frame or a file */
    return strcmp(origin, host) == 0;
}

/* Whether t is 64 lower-case hex digits (a token we made). */
static bool hex64(const char *t)
{
    size_t n = t ? strnlen(t, CENTRAL_ADMIN_TOKEN_HEX) : 0;
    for (size_t i = 0; i < n; i++)
        if (!((t[i] >= '0' && t[i] <= '9') || (t[i] >= 'a' && t[i] <= 'f')))
            return false;
    return n == CENTRAL_ADMIN_TOKEN_HEX - 1;
}

/* The sign-in form with its form token: the browser's login cookie (a
 * random value the form repeats, "double submit"; SameSite=Strict keeps
 * other sites from sending it), made when missing or malformed. */
static void login_form(const central_admin_request *rq, central_admin_response *rs, int status,
                       const char *msg, const char *name)
{
    char fresh[CENTRAL_ADMIN_TOKEN_HEX], *text = NULL;
    const char *have = rq->cookie(rq->ctx, CENTRAL_ADMIN_LOGIN_COOKIE);
    size_t len = 0;
    zc_err err = {""};
    if (!hex64(have)) {
        zc_random_hex(32, fresh);
        have = fresh;
    }
    admin_start(rs, status, ADMIN_HTML_TYPE);
    int ret = central_admin_html_login(msg, name, have, &text, &len, &err);
    admin_body(rs, ret, text, len, &err);
    if (have == fresh)
        cookie(rs, rq, CENTRAL_ADMIN_LOGIN_COOKIE, fresh, "/admin/login", CENTRAL_ADMIN_SESSION_S);
}

/* Starts a session for name: the cookie and a 303 to the month page; a
 * browser not yet trusted for name gets its device cookie. */
static void signed_in(central_store *st, const central_admin_request *rq,
                      central_admin_response *rs, const char *name, bool trusted)
{
    char token[CENTRAL_ADMIN_TOKEN_HEX], device[CENTRAL_ADMIN_TOKEN_HEX];
    zc_err err = {""};
    if (central_store_admin_token_new(st, name, CENTRAL_ADMIN_SESSION, rq->now,
                                      CENTRAL_ADMIN_SESSION_S, token, &err) != ZC_OK) {
        admin_message(rs, 503, "暂时无法登录", err.msg, "/admin/login", "重试");
        return;
    }
    admin_redirect(rs, "/admin/");
    set_cookie(rs, rq, token);
    if (!trusted && central_store_admin_device_new(st, name, rq->now, device, &err) == ZC_OK)
        cookie(rs, rq, CENTRAL_ADMIN_DEVICE_COOKIE, device, "/admin/login", CENTRAL_ADMIN_DEVICE_S);
    snprintf(rs->who, sizeof rs->who, "%s", name);
    sodium_memzero(token, sizeof token);
}

bool admin_form_type(const central_admin_request *rq)
{
    static const char form_type[] = "application/x-www-form-urlencoded";
    const char *type = rq->header(rq->ctx, "Content-Type");
    return type && strncasecmp(type, form_type, sizeof form_type - 1) == 0 &&
           (type[sizeof form_type - 1] == '\0' || type[sizeof form_type - 1] == ';');
}

/* A "please wait" answer: 429 with Retry-After. */
static void wait_form(const central_admin_request *rq, central_admin_response *rs, const char *msg,
                      const char *name, int64_t wait)
{
    char retry[24];
    login_form(rq, rs, 429, msg, name);
    snprintf(retry, sizeof retry, "%lld", (long long)(wait > 0 ? wait : 1));
    admin_add_header(rs, "Retry-After", retry);
}

/* Checks one password with the argon2 gate held (at most CHECK_WAIT_S
 * waiting for it): ZC_ELOCKED with *busy set when the gate stayed shut. */
int admin_check_password(central_store *st, const char *name, const char *password, bool trusted,
                         int64_t now, int64_t *until, bool *busy, zc_err *err)
{
    struct timespec deadline;
    clock_gettime(CLOCK_REALTIME, &deadline);
    deadline.tv_sec += CHECK_WAIT_S;
    *busy = pthread_mutex_timedlock(&checking, &deadline) != 0;
    if (*busy)
        return ZC_ELOCKED;
    int ret = central_store_admin_login(st, name, password, trusted, now, until, err);
    pthread_mutex_unlock(&checking);
    return ret;
}

static void login_post(central_store *st, const central_admin_request *rq,
                       central_admin_response *rs)
{
    char name[CENTRAL_ADMIN_NAME_MAX] = "", password[PASSWORD_FIELD_MAX], csrf[CENTRAL_ADMIN_TOKEN_HEX];
    const char *source = rq->peer && *rq->peer ? rq->peer : "?";
    const char *login_cookie = rq->cookie(rq->ctx, CENTRAL_ADMIN_LOGIN_COOKIE);
    int64_t until = 0;
    bool busy = false;
    zc_err err = {""};
    if (!admin_form_type(rq)) {
        admin_message(rs, 415, "无法登录", "登录请求必须来自登录表单（application/x-www-form-urlencoded）。",
                      "/admin/login", "返回登录");
        return;
    }
    bool have_name = admin_form_field(rq->body, rq->len, "user", name, sizeof name);
    bool have_pw = admin_form_field(rq->body, rq->len, "password", password, sizeof password);
    if (!admin_form_field(rq->body, rq->len, "csrf", csrf, sizeof csrf) || !hex64(login_cookie) ||
        strcmp(csrf, login_cookie) != 0) {
        sodium_memzero(password, sizeof password);
        login_form(rq, rs, 403, "登录表单已过期或不是从本站打开的，请重新输入。", have_name ? name : "");
        return;
    }
    if (!have_name || !have_pw || !name[0]) {
        sodium_memzero(password, sizeof password);
        login_form(rq, rs, 400, "请填写用户名和密码。", have_name ? name : "");
        return;
    }
    int64_t wait = console_throttle_wait(&throttle, source, rq->now);
    if (wait > 0) { /* this source guessed too often: not even checked */
        sodium_memzero(password, sizeof password);
        wait_form(rq, rs, "这台电脑密码错误次数过多，请稍等片刻再试。", name, wait);
        return;
    }
    bool trusted = central_store_admin_device_ok(st, name, rq->cookie(rq->ctx,
                                                 CENTRAL_ADMIN_DEVICE_COOKIE), rq->now, NULL) == ZC_OK;
    int ret = admin_check_password(st, name, password, trusted, rq->now, &until, &busy, &err);
    sodium_memzero(password, sizeof password);
    if (ret == ZC_OK) {
        console_throttle_right(&throttle, source);
        signed_in(st, rq, rs, name, trusted);
        return;
    }
    if (ret == ZC_EREFUSED || (ret == ZC_ELOCKED && !busy))
        console_throttle_wrong(&throttle, source, rq->now);
    if (ret == ZC_EREFUSED) {
        login_form(rq, rs, 401, "用户名或密码不正确。", name);
    } else if (ret == ZC_ELOCKED && busy) {
        login_form(rq, rs, 503, "登录的人太多，请稍后再试。", name);
        admin_add_header(rs, "Retry-After", "1");
    } else if (ret == ZC_ELOCKED && until > rq->now) {
        char msg[240], when[48];
        local_now(until, when, sizeof when);
        snprintf(msg, sizeof msg, "该账户密码错误次数过多，已暂停到 %s（北京时间）；"
                 "在以前登录过的浏览器上仍可登录。", when + 11);
        wait_form(rq, rs, msg, name, until - rq->now);
    } else {
        admin_message(rs, 503, "暂时无法登录", err.msg, "/admin/login", "重试");
    }
}

static void link_get(central_store *st, const central_admin_request *rq,
                     central_admin_response *rs)
{
    char name[CENTRAL_ADMIN_NAME_MAX];
    zc_err err = {""};
    int ret = central_store_admin_link_use(st, rq->arg(rq->ctx, "t"), rq->now, name, &err);
    if (ret == ZC_OK)
        signed_in(st, rq, rs, name, false);
    else if (ret == ZC_ENOTFOUND)
        admin_message(rs, 403, "登录链接无效", "这个登录链接不存在、已经用过或已过期。请用用户名和密码登录，"
                "或让中心管理员重新生成链接（zhucan-central admin link）。", "/admin/login", "去登录");
    else
        admin_message(rs, 503, "暂时无法登录", err.msg, "/admin/login", "重试");
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
static int reports(central_store *st, const char *month, const char *canteen, cJSON *settle,
                   cJSON *recon, cJSON *anom, zc_err *err)
{
    int ret = central_report_settlement(st, month, canteen, false, settle, err);
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

/* The canteen a manager's month page shows: ?canteen= when it is theirs,
 * else their first; NULL (all) for the others.  False when asked for a
 * canteen they may not see. */
static bool month_canteen(const central_admin_request *rq, const admin_session *sn,
                          const char **canteen)
{
    const char *arg = rq->arg(rq->ctx, "canteen");
    *canteen = NULL;
    if (arg && !central_admin_scope_has(&sn->scope, arg))
        return false;
    if (sn->scope.role == CENTRAL_ROLE_MANAGER)
        *canteen = arg ? arg : sn->scope.canteens[0];
    else
        *canteen = arg;
    return true;
}

static void month_page(central_store *st, const central_admin_request *rq,
                       central_admin_response *rs, const admin_session *sn, bool csv)
{
    const char *canteen = NULL;
    char month[MONTH_BUF], prev[MONTH_BUF], next[MONTH_BUF], generated[48];
    const char *arg = rq->arg(rq->ctx, "month");
    int y = 0, m = 0;
    zc_err err = {""};
    zc_date today = local_now(rq->now, generated, sizeof generated);
    if (arg && !month_parse(arg, &y, &m)) {
        admin_message(rs, 400, "月份格式不对", "月份应写成 YYYY-MM（四位年份、两位月份），例如 2026-11。",
                "/admin/", "查看本月");
        return;
    }
    if (!month_canteen(rq, sn, &canteen)) {
        admin_message(rs, 403, "没有权限", "您只能查看自己负责的饭堂。", "/admin/", "返回");
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
    int ret = settle && recon && anom ? reports(st, month, canteen, settle, recon, anom, &err)
                                      : zc_errf(&err, ZC_ENOMEM, "out of memory");
    if (ret == ZC_ENOTFOUND) { /* ?canteen= names none */
        admin_message(rs, 404, "没有这个饭堂", "地址中的饭堂编号不存在。", "/admin/", "查看全部");
        goto out;
    } else if (ret) {
        admin_message(rs, ret == ZC_EINVAL ? 400 : ret == ZC_ELOCKED ? 503 : 500, "报表暂时无法生成",
                      err.msg, "/admin/", "重试");
        goto out;
    }
    if (canteen)
        console_only_canteen(canteen, recon, anom);
    if (csv) {
        char disposition[80];
        admin_start(rs, 200, "text/csv; charset=utf-8");
        snprintf(disposition, sizeof disposition, "attachment; filename=\"settlement-%s.csv\"",
                 month);
        admin_add_header(rs, "Content-Disposition", disposition);
        ret = settlement_csv(settle, &text, &len, &err);
    } else {
        central_admin_view v = {.month = month, .prev = prev, .next = next, .admin = sn->who,
                                .role = central_admin_role_label(sn->scope.role), .csrf = sn->csrf,
                                .generated = generated};
        admin_start(rs, 200, ADMIN_HTML_TYPE);
        ret = central_admin_html_month(&v, settle, recon, anom, &text, &len, &err);
    }
    admin_body(rs, ret, text, len, &err);
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

/* The form token of a POST into out: a form's field, or a multipart
 * upload's part (the roster file). */
static bool post_token(const central_admin_request *rq, char *out, size_t n)
{
    const char *d = NULL;
    size_t len = 0;
    if (admin_form_type(rq))
        return admin_form_field(rq->body, rq->len, "csrf", out, n);
    if (!console_multipart_part(rq, "csrf", &d, &len, NULL, 0) || len >= n || memchr(d, '\0', len))
        return false;
    memcpy(out, d, len);
    out[len] = '\0';
    return true;
}

size_t central_admin_body_max(const char *path)
{
    return path && !strcmp(path, "/admin/roster") ? CENTRAL_ADMIN_UPLOAD_MAX : CENTRAL_ADMIN_BODY_MAX;
}

/* The form token of a session: derived from its cookie, which other sites
 * cannot read, with a label so that it is not the stored hash. */
static void session_csrf(const char *token, char out[CENTRAL_ADMIN_TOKEN_HEX])
{
    char text[CENTRAL_ADMIN_TOKEN_HEX + 24];
    int n = snprintf(text, sizeof text, "zhucan-csrf-v1:%s", token);
    zc_sha256_hex(text, (size_t)n, out);
}

/* The session of the request into *sn: ZC_OK, ZC_ENOTFOUND (none), or a
 * store failure with err. */
static int session_of(central_store *st, const central_admin_request *rq, admin_session *sn,
                      zc_err *err)
{
    memset(sn, 0, sizeof *sn);
    sn->token = rq->cookie(rq->ctx, CENTRAL_ADMIN_COOKIE);
    int ret = sn->token ? central_store_admin_session(st, sn->token, rq->now, sn->who, err)
                        : ZC_ENOTFOUND;
    if (ret == ZC_OK)
        ret = central_store_admin_scope(st, sn->who, &sn->scope, err);
    if (ret == ZC_OK)
        session_csrf(sn->token, sn->csrf);
    return ret;
}

void central_admin_handle(central_store *st, const central_admin_request *rq,
                          central_admin_response *rs)
{
    char csrf[CENTRAL_ADMIN_TOKEN_HEX];
    admin_session sn;
    const char *p = rq->path;
    zc_err err = {""};
    memset(rs, 0, sizeof *rs);
    bool post = strcmp(rq->method, "POST") == 0;
    if (!is(rq, "GET") && !post) {
        admin_message(rs, 405, "不支持的请求", "这个页面只能查看（GET）或从表单提交（POST）。", "/admin/",
                      "返回");
        admin_add_header(rs, "Allow", "GET, HEAD, POST");
        return;
    }
    if (post && !same_origin(rq)) {
        admin_message(rs, 403, "请求被拒绝", "表单只能从本站的页面提交（请求缺少本站的 Origin）。",
                      "/admin/login", "返回登录");
        return;
    }
    if (!strcmp(p, "/admin/login")) {
        if (post)
            login_post(st, rq, rs);
        else
            login_form(rq, rs, 200, NULL, NULL);
        return;
    }
    if (!strcmp(p, "/admin/link") && !post) {
        link_get(st, rq, rs);
        return;
    }
    int ret = session_of(st, rq, &sn, &err);
    if (ret != ZC_OK && ret != ZC_ENOTFOUND) {
        admin_message(rs, 503, "暂时无法打开", err.msg, "/admin/", "重试");
        return;
    }
    if (ret == ZC_ENOTFOUND) {
        if (post || !is(rq, "GET"))
            admin_message(rs, 401, "需要登录", "请先登录。", "/admin/login", "去登录");
        else
            admin_redirect(rs, "/admin/login");
        return;
    }
    snprintf(rs->who, sizeof rs->who, "%s", sn.who);
    if (post && (!post_token(rq, csrf, sizeof csrf) || strcmp(csrf, sn.csrf) != 0)) {
        admin_message(rs, 403, "表单已过期", "这个表单不是从本站当前的页面提交的（表单令牌不对）。"
                      "请回到页面重新提交。", "/admin/", "返回");
        return;
    }
    if (!strcmp(p, "/admin/logout") && !post) {
        admin_message(rs, 405, "不支持的请求", "退出登录请用页面上的“退出登录”按钮。", "/admin/", "返回");
        admin_add_header(rs, "Allow", "POST");
    } else if (!strcmp(p, "/admin/logout")) {
        ret = central_store_admin_token_end(st, sn.token, &err);
        if (ret) {
            admin_message(rs, 503, "暂时无法退出", err.msg, "/admin/", "返回");
            return;
        }
        admin_redirect(rs, "/admin/login");
        set_cookie(rs, rq, NULL);
    } else if (!strcmp(p, "/admin")) {
        admin_redirect(rs, "/admin/");
    } else if ((!strcmp(p, "/admin/") || !strcmp(p, "/admin/settlement.csv")) && !post) {
        month_page(st, rq, rs, &sn, strcmp(p, "/admin/") != 0);
    } else if (!strcmp(p, "/admin/") || !strcmp(p, "/admin/settlement.csv")) {
        admin_message(rs, 405, "不支持的请求", "这个页面只能查看。", "/admin/", "返回");
        admin_add_header(rs, "Allow", "GET, HEAD");
    } else if (!console_route(st, rq, rs, &sn) && !console_roster_route(st, rq, rs, &sn) &&
               !console_upload_route(st, rq, rs, &sn) && !console_sites_route(st, rq, rs, &sn)) {
        admin_message(rs, 404, "没有这个页面", "地址不对。", "/admin/", "查看本月");
    }
}
