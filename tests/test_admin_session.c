/* test_admin_session.c - admin accounts, lock-out, sessions and one-time
 * links in a real central database (app/central/cstore_admin.c), and the
 * /admin request handler (app/central/admin.c) driven with requests built
 * here: redirects without a session, the cookie's attributes, the origin
 * check, bad months, methods.  HTTP itself is tested by test_admin_web.sh. */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../app/central/admin.h"
#include "../app/central/cstore_admin.h"
#include "../app/central/cmd.h"
#include "../app/central/console_throttle.h"
#include "../app/core/civil.h"
#include "check.h"

#define NOW 1795400000 /* 2026-11-23 10:13:20 in Beijing */
#define PW "correct horse battery"

static char dir[64];

static central_store *fresh_db(void)
{
    char path[128];
    central_store *st = NULL;
    zc_err err = {""};
    snprintf(dir, sizeof dir, "/tmp/zhucan-admin.XXXXXX");
    CHECK(mkdtemp(dir) != NULL);
    snprintf(path, sizeof path, "%s/c.db", dir);
    CHECK_OK(central_store_open(path, CENTRAL_STORE_CREATE, &st, &err));
    CHECK_OK(zc_secure_init());
    return st;
}

static void done_db(central_store *st)
{
    char path[128];
    static const char *const files[] = {"c.db", "c.db-wal", "c.db-shm"};
    central_store_close(st);
    for (size_t i = 0; i < sizeof files / sizeof files[0]; i++) {
        snprintf(path, sizeof path, "%s/%s", dir, files[i]);
        unlink(path);
    }
    rmdir(dir);
}

static void t_add(void)
{
    central_store *st = fresh_db();
    zc_err err = {""};
    CHECK_OK(central_store_admin_add(st, "test", "ops", PW, NULL, NOW, &err));
    CHECK_INT(central_store_admin_add(st, "test", "ops", PW, NULL, NOW, &err), ZC_ECONFLICT);
    CHECK(strstr(err.msg, "already exists") != NULL);
    CHECK_INT(central_store_admin_add(st, "test", "two words", PW, NULL, NOW, &err), ZC_EINVAL);
    CHECK_INT(central_store_admin_add(st, "test", "", PW, NULL, NOW, &err), ZC_EINVAL);
    CHECK_INT(central_store_admin_add(st, "test", "bob", "short", NULL, NOW, &err), ZC_EINVAL);
    CHECK(strstr(err.msg, "10 to 128") != NULL);
    CHECK(central_admin_name_ok("a.b-c_1"));
    CHECK(!central_admin_name_ok("<b>"));
    done_db(st);
}

static void t_login_lockout(void)
{
    central_store *st = fresh_db();
    zc_err err = {""}, unknown = {""};
    int64_t until = 0;
    CHECK_OK(central_store_admin_add(st, "test", "ops", PW, NULL, NOW, &err));
    CHECK_OK(central_store_admin_login(st, "ops", PW, false, NOW, &until, &err));
    CHECK_INT(central_store_admin_login(st, "ops", "wrong password", false, NOW, &until, &err),
              ZC_EREFUSED);
    /* an unknown name reads exactly like a wrong password */
    CHECK_INT(central_store_admin_login(st, "nobody", PW, false, NOW, &until, &unknown), ZC_EREFUSED);
    CHECK_STR(unknown.msg, err.msg);
    CHECK_INT(central_store_admin_login(st, "<bad name>", PW, false, NOW, &until, &unknown), ZC_EREFUSED);
    /* a password that could never have been set is wrong without a look at the
     * account, so it tells nothing about the name and does not count */
    for (int i = 0; i < 2 * CENTRAL_ADMIN_MAX_WRONG; i++) {
        CHECK_INT(central_store_admin_login(st, "ops", "short", false, NOW, &until, &err), ZC_EREFUSED);
        CHECK_STR(err.msg, unknown.msg);
    }
    /* a right password resets the count: four more wrong ones do not lock */
    CHECK_OK(central_store_admin_login(st, "ops", PW, false, NOW, &until, &err));
    for (int i = 0; i < 4; i++)
        CHECK_INT(central_store_admin_login(st, "ops", "wrong password", false, NOW + i, &until, &err),
                  ZC_EREFUSED);
    /* the fifth starts the backoff, even for the right password */
    CHECK_INT(central_store_admin_login(st, "ops", "wrong password", false, NOW + 10, &until, &err),
              ZC_ELOCKED);
    CHECK_INT(until, NOW + 10 + CENTRAL_ADMIN_LOCK_S);
    CHECK(strstr(err.msg, "locked") != NULL);
    CHECK_INT(central_store_admin_login(st, "ops", PW, false, NOW + 20, &until, &err), ZC_ELOCKED);
    CHECK_INT(until, NOW + 10 + CENTRAL_ADMIN_LOCK_S);
    /* the lock survives a restart: it is in the database */
    CHECK_INT(central_store_admin_login(st, "ops", PW, false, NOW + 10 + CENTRAL_ADMIN_LOCK_S - 1, &until,
                                        &err), ZC_ELOCKED);
    /* but not for a trusted browser (device cookie) */
    CHECK_OK(central_store_admin_login(st, "ops", PW, true, NOW + 21, &until, &err));
    for (int i = 0; i < 4; i++)
        CHECK_INT(central_store_admin_login(st, "ops", "wrong password", false, NOW + 30, &until, &err),
                  ZC_EREFUSED);
    /* after it runs out, each further wrong password doubles the wait */
    CHECK_INT(central_store_admin_login(st, "ops", "wrong password", false, NOW + 40, &until, &err),
              ZC_ELOCKED);
    CHECK_INT(until, NOW + 40 + CENTRAL_ADMIN_LOCK_S);
    CHECK_INT(central_store_admin_login(st, "ops", "wrong password", false, NOW + 40 + CENTRAL_ADMIN_LOCK_S,
                                        &until, &err), ZC_ELOCKED);
    CHECK_INT(until, NOW + 40 + 3 * CENTRAL_ADMIN_LOCK_S);
    /* and a right password after the wait clears it */
    CHECK_OK(central_store_admin_login(st, "ops", PW, false, NOW + 40 + 3 * CENTRAL_ADMIN_LOCK_S, &until,
                                       &err));
    CHECK_INT(until, 0);
    done_db(st);
}

static void t_tokens(void)
{
    central_store *st = fresh_db();
    zc_err err = {""};
    char s1[CENTRAL_ADMIN_TOKEN_HEX], s2[CENTRAL_ADMIN_TOKEN_HEX], link[CENTRAL_ADMIN_TOKEN_HEX];
    char name[CENTRAL_ADMIN_NAME_MAX];
    CHECK_OK(central_store_admin_add(st, "test", "ops", PW, NULL, NOW, &err));
    CHECK_INT(central_store_admin_token_new(st, "nobody", CENTRAL_ADMIN_SESSION, NOW, 60, s1, &err),
              ZC_ENOTFOUND);
    CHECK(strstr(err.msg, "admin add") != NULL);
    CHECK_OK(central_store_admin_token_new(st, "ops", CENTRAL_ADMIN_SESSION, NOW,
                                           CENTRAL_ADMIN_SESSION_S, s1, &err));
    CHECK_INT(strlen(s1), 64);
    CHECK_OK(central_store_admin_token_new(st, "ops", CENTRAL_ADMIN_SESSION, NOW, 60, s2, &err));
    CHECK(strcmp(s1, s2) != 0);
    CHECK_OK(central_store_admin_session(st, s1, NOW + 100, name, &err));
    CHECK_STR(name, "ops");
    /* expiry */
    CHECK_OK(central_store_admin_session(st, s1, NOW + CENTRAL_ADMIN_SESSION_S - 1, name, &err));
    CHECK_INT(central_store_admin_session(st, s1, NOW + CENTRAL_ADMIN_SESSION_S, name, &err),
              ZC_ENOTFOUND);
    CHECK_INT(central_store_admin_session(st, s2, NOW + 60, name, &err), ZC_ENOTFOUND);
    /* malformed tokens */
    CHECK_INT(central_store_admin_session(st, NULL, NOW, name, &err), ZC_ENOTFOUND);
    CHECK_INT(central_store_admin_session(st, "", NOW, name, &err), ZC_ENOTFOUND);
    s2[10] = 'G';
    CHECK_INT(central_store_admin_session(st, s2, NOW, name, &err), ZC_ENOTFOUND);
    /* logout ends it */
    CHECK_OK(central_store_admin_token_end(st, s1, &err));
    CHECK_INT(central_store_admin_session(st, s1, NOW + 100, name, &err), ZC_ENOTFOUND);
    CHECK_OK(central_store_admin_token_end(st, "not a token", &err));
    /* a link works once and is not a session; a session is not a link */
    CHECK_OK(central_store_admin_token_new(st, "ops", CENTRAL_ADMIN_LINK, NOW, 600, link, &err));
    CHECK_INT(central_store_admin_session(st, link, NOW, name, &err), ZC_ENOTFOUND);
    CHECK_OK(central_store_admin_token_new(st, "ops", CENTRAL_ADMIN_SESSION, NOW, 600, s1, &err));
    CHECK_INT(central_store_admin_link_use(st, s1, NOW, name, &err), ZC_ENOTFOUND);
    CHECK_OK(central_store_admin_session(st, s1, NOW, name, &err)); /* still a session */
    CHECK_OK(central_store_admin_link_use(st, link, NOW + 1, name, &err));
    CHECK_STR(name, "ops");
    CHECK_INT(central_store_admin_link_use(st, link, NOW + 2, name, &err), ZC_ENOTFOUND);
    /* an expired link does nothing (and is gone) */
    CHECK_OK(central_store_admin_token_new(st, "ops", CENTRAL_ADMIN_LINK, NOW, 600, link, &err));
    CHECK_INT(central_store_admin_link_use(st, link, NOW + 600, name, &err), ZC_ENOTFOUND);
    CHECK_STR(name, "");
    done_db(st);
}

/* ---- the handler, with requests built here ---- */

typedef struct fake {
    const char *headers[8][2];
    const char *cookie; /* the session */
    const char *month;
    const char *t;
    const char *login;  /* the sign-in form's cookie */
    const char *peer;   /* the client's address */
} fake;

/* A sign-in form token a browser would hold in its login cookie. */
#define LOGIN_TOKEN "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"
#define CSRF "csrf=" LOGIN_TOKEN "&"

static const char *fake_header(void *ctx, const char *name)
{
    fake *f = ctx;
    for (int i = 0; i < 8 && f->headers[i][0]; i++)
        if (!strcasecmp(f->headers[i][0], name))
            return f->headers[i][1];
    return NULL;
}

static const char *fake_cookie(void *ctx, const char *name)
{
    fake *f = ctx;
    return !strcmp(name, CENTRAL_ADMIN_COOKIE)         ? f->cookie
           : !strcmp(name, CENTRAL_ADMIN_LOGIN_COOKIE) ? f->login
                                                       : NULL;
}

static const char *fake_arg(void *ctx, const char *name)
{
    fake *f = ctx;
    return !strcmp(name, "month") ? f->month : !strcmp(name, "t") ? f->t : NULL;
}

static const char *hdr(const central_admin_response *rs, const char *name)
{
    for (int i = 0; i < rs->nheaders; i++)
        if (!strcmp(rs->headers[i].name, name))
            return rs->headers[i].value;
    return NULL;
}

/* Runs one request; the caller frees rs->body. */
static void run(central_store *st, const char *method, const char *path, fake *f, const char *body,
                bool tls, central_admin_response *rs)
{
    central_admin_request rq = {
        .method = method, .path = path, .header = fake_header, .cookie = fake_cookie,
        .arg = fake_arg, .ctx = f, .body = body, .len = body ? strlen(body) : 0, .tls = tls,
        .now = NOW, .peer = f->peer,
    };
    central_admin_handle(st, &rq, rs);
    CHECK(rs->body != NULL);
    /* the headers every answer carries */
    CHECK(hdr(rs, "Content-Type") != NULL && strstr(hdr(rs, "Content-Type"), "charset=utf-8"));
    CHECK_STR(hdr(rs, "Cache-Control"), "no-store");
    CHECK_STR(hdr(rs, "X-Content-Type-Options"), "nosniff");
    CHECK(hdr(rs, "Content-Security-Policy") &&
          !strncmp(hdr(rs, "Content-Security-Policy"), "default-src 'none'; ", 20));
}

#define FORM "application/x-www-form-urlencoded"

static void t_handler_login(void)
{
    central_store *st = fresh_db();
    central_admin_response rs;
    zc_err err = {""};
    static char cookie[CENTRAL_ADMIN_TOKEN_HEX + 8];
    CHECK_OK(central_store_admin_add(st, "test", "ops", PW, NULL, NOW, &err));
    /* no session: GET goes to the form, anything else is 401 */
    fake none = {.cookie = NULL};
    run(st, "GET", "/admin/", &none, NULL, false, &rs);
    CHECK_INT(rs.status, 303);
    CHECK_STR(hdr(&rs, "Location"), "/admin/login");
    free(rs.body);
    run(st, "GET", "/admin/settlement.csv", &none, NULL, false, &rs);
    CHECK_INT(rs.status, 303);
    free(rs.body);
    run(st, "POST", "/admin/logout", &none, NULL, false, &rs);
    CHECK_INT(rs.status, 403); /* no Origin: refused before anything else */
    free(rs.body);
    run(st, "GET", "/admin/login", &none, NULL, false, &rs);
    CHECK_INT(rs.status, 200);
    CHECK(strstr(rs.body, "action=\"/admin/login\"") != NULL);
    free(rs.body);
    /* the form's type and fields */
    fake form = {.headers = {{"Content-Type", FORM}, {"Host", "127.0.0.1:8470"},
                             {"Origin", "http://127.0.0.1:8470"}}, .login = LOGIN_TOKEN, .peer = "10.0.0.1"};
    fake json = {.headers = {{"Content-Type", "application/json"}, {"Host", "127.0.0.1:8470"},
                             {"Origin", "http://127.0.0.1:8470"}}};
    run(st, "POST", "/admin/login", &json, "{\"user\":\"ops\"}", false, &rs);
    CHECK_INT(rs.status, 415);
    free(rs.body);
    run(st, "POST", "/admin/login", &form, CSRF "user=ops", false, &rs);
    CHECK_INT(rs.status, 400);
    free(rs.body);
    /* without the form token, or with another one: refused before the password is looked at */
    run(st, "POST", "/admin/login", &form, "user=ops&password=correct+horse+battery", false, &rs);
    CHECK_INT(rs.status, 403);
    CHECK(strstr(rs.body, "已过期") != NULL);
    free(rs.body);
    run(st, "POST", "/admin/login", &form, "csrf=1123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"
        "&user=ops&password=correct+horse+battery", false, &rs);
    CHECK_INT(rs.status, 403);
    free(rs.body);
    /* without Origin: refused */
    fake no_origin = {.headers = {{"Content-Type", FORM}, {"Host", "127.0.0.1:8470"}},
                      .login = LOGIN_TOKEN, .peer = "10.0.0.1"};
    run(st, "POST", "/admin/login", &no_origin, CSRF "user=ops&password=correct+horse+battery", false, &rs);
    CHECK_INT(rs.status, 403);
    CHECK(hdr(&rs, "Set-Cookie") == NULL);
    free(rs.body);
    run(st, "POST", "/admin/login", &form, CSRF "user=ops&password=wrong%20password", false, &rs);
    CHECK_INT(rs.status, 401);
    CHECK(hdr(&rs, "Set-Cookie") == NULL);
    CHECK(strstr(rs.body, "用户名或密码不正确") != NULL);
    CHECK(strstr(rs.body, "value=\"ops\"") != NULL);
    free(rs.body);
    run(st, "POST", "/admin/login", &form, CSRF "user=ops&password=bad%zz", false, &rs);
    CHECK_INT(rs.status, 400);
    free(rs.body);
    /* another site's page cannot sign anyone in */
    fake evil = {.headers = {{"Content-Type", FORM}, {"Host", "127.0.0.1:8470"},
                             {"Origin", "http://evil.example"}}, .login = LOGIN_TOKEN, .peer = "10.0.0.1"};
    run(st, "POST", "/admin/login", &evil, CSRF "user=ops&password=correct+horse+battery", false, &rs);
    CHECK_INT(rs.status, 403);
    CHECK(hdr(&rs, "Set-Cookie") == NULL);
    free(rs.body);
    static const char *const not_ours[] = {"null", "http://127.0.0.1:8471", "http://127.0.0.1",
                                           "https://127.0.0.1:8470.evil.example", "127.0.0.1:8470"};
    for (size_t i = 0; i < sizeof not_ours / sizeof not_ours[0]; i++) {
        evil.headers[2][1] = not_ours[i];
        run(st, "POST", "/admin/login", &evil, CSRF "user=ops&password=x", false, &rs);
        CHECK_INT(rs.status, 403);
        free(rs.body);
    }
    /* behind a proxy that ends TLS the scheme differs: the host decides */
    evil.headers[2][1] = "https://127.0.0.1:8470";
    run(st, "POST", "/admin/login", &evil, CSRF "user=ops&password=wrong+password", false, &rs);
    CHECK_INT(rs.status, 401);
    free(rs.body);
    /* right: a session cookie and a 303 to the page; our own origin is fine */
    fake own = {.headers = {{"Content-Type", FORM "; charset=UTF-8"}, {"Host", "127.0.0.1:8470"},
                 {"Origin", "http://127.0.0.1:8470"}}, .login = LOGIN_TOKEN, .peer = "10.0.0.1"};
    run(st, "POST", "/admin/login", &own, CSRF "user=ops&password=correct+horse+battery&x=1", false, &rs);
    CHECK_INT(rs.status, 303);
    CHECK_STR(hdr(&rs, "Location"), "/admin/");
    const char *sc = hdr(&rs, "Set-Cookie");
    CHECK(sc && !strncmp(sc, CENTRAL_ADMIN_COOKIE "=", strlen(CENTRAL_ADMIN_COOKIE) + 1));
    CHECK(sc && strstr(sc, "; Path=/admin; HttpOnly; SameSite=Strict; Max-Age=28800"));
    CHECK(sc && !strstr(sc, "Secure"));
    CHECK_STR(rs.who, "ops");
    snprintf(cookie, sizeof cookie, "%.64s", sc ? sc + strlen(CENTRAL_ADMIN_COOKIE) + 1 : "");
    free(rs.body);
    /* over HTTPS the cookie is Secure */
    run(st, "POST", "/admin/login", &form, CSRF "user=ops&password=correct+horse+battery", true, &rs);
    CHECK(hdr(&rs, "Set-Cookie") && strstr(hdr(&rs, "Set-Cookie"), "; Secure"));
    free(rs.body);
    /* the page with the session */
    fake in = {.headers = {{"Content-Type", FORM}, {"Host", "127.0.0.1:8470"},
                           {"Origin", "http://127.0.0.1:8470"}}, .cookie = cookie, .month = "2026-11"};
    run(st, "GET", "/admin/", &in, NULL, false, &rs);
    CHECK_INT(rs.status, 200);
    CHECK(strstr(rs.body, "2026年11月") != NULL);
    CHECK(strstr(rs.body, "月度结算") && strstr(rs.body, "终端对账") && strstr(rs.body, "异常"));
    CHECK_STR(rs.who, "ops");
    free(rs.body);
    run(st, "HEAD", "/admin/", &in, NULL, false, &rs);
    CHECK_INT(rs.status, 200);
    free(rs.body);
    run(st, "GET", "/admin/settlement.csv", &in, NULL, false, &rs);
    CHECK_INT(rs.status, 200);
    CHECK_STR(hdr(&rs, "Content-Type"), "text/csv; charset=utf-8");
    CHECK_STR(hdr(&rs, "Content-Disposition"), "attachment; filename=\"settlement-2026-11.csv\"");
    CHECK_STR(rs.body, "\xEF\xBB\xBFmonth,canteen,canteen_name,source,meals,subsidy_fen,subsidy_yuan\r\n");
    free(rs.body);
    static const char *const bad_months[] = {"2026-13", "2026-1", "26-11", "2026-00", "2026_11",
                                             "２０２６-11", "2026-11x", ""};
    for (size_t i = 0; i < sizeof bad_months / sizeof bad_months[0]; i++) {
        in.month = bad_months[i];
        run(st, "GET", "/admin/", &in, NULL, false, &rs);
        CHECK_INT(rs.status, 400);
        CHECK(strstr(rs.body, "YYYY-MM") != NULL);
        free(rs.body);
    }
    in.month = NULL; /* this month in Beijing */
    run(st, "GET", "/admin/", &in, NULL, false, &rs);
    CHECK_INT(rs.status, 200);
    CHECK(strstr(rs.body, "value=\"2026-11\"") && strstr(rs.body, "?month=2026-12"));
    free(rs.body);
    in.month = "2027-01";
    run(st, "GET", "/admin/", &in, NULL, false, &rs);
    CHECK(strstr(rs.body, "?month=2026-12") && strstr(rs.body, "?month=2027-02"));
    free(rs.body);
    /* other paths and methods */
    run(st, "GET", "/admin", &in, NULL, false, &rs);
    CHECK_INT(rs.status, 303);
    CHECK_STR(hdr(&rs, "Location"), "/admin/");
    free(rs.body);
    run(st, "GET", "/admin/nothing", &in, NULL, false, &rs);
    CHECK_INT(rs.status, 404);
    free(rs.body);
    run(st, "DELETE", "/admin/", &in, NULL, false, &rs);
    CHECK_INT(rs.status, 405);
    CHECK(hdr(&rs, "Allow") != NULL);
    free(rs.body);
    /* the session's form token is on the page; a POST without it is refused */
    run(st, "GET", "/admin/", &in, NULL, false, &rs);
    const char *at = strstr(rs.body, "name=\"csrf\" value=\"");
    static char form_token[96];
    snprintf(form_token, sizeof form_token, "csrf=%.64s", at ? at + 19 : "");
    free(rs.body);
    run(st, "POST", "/admin/", &in, form_token, false, &rs);
    CHECK_INT(rs.status, 405);
    free(rs.body);
    run(st, "GET", "/admin/logout", &in, NULL, false, &rs);
    CHECK_INT(rs.status, 405);
    free(rs.body);
    run(st, "POST", "/admin/logout", &in, "csrf=" LOGIN_TOKEN, false, &rs);
    CHECK_INT(rs.status, 403);
    free(rs.body);
    run(st, "POST", "/admin/logout", &in, NULL, false, &rs);
    CHECK_INT(rs.status, 403);
    free(rs.body);
    /* logout ends the session and clears the cookie */
    run(st, "POST", "/admin/logout", &in, form_token, false, &rs);
    CHECK_INT(rs.status, 303);
    CHECK_STR(hdr(&rs, "Location"), "/admin/login");
    CHECK(hdr(&rs, "Set-Cookie") && strstr(hdr(&rs, "Set-Cookie"), CENTRAL_ADMIN_COOKIE "=;") &&
          strstr(hdr(&rs, "Set-Cookie"), "Max-Age=0"));
    free(rs.body);
    run(st, "GET", "/admin/", &in, NULL, false, &rs);
    CHECK_INT(rs.status, 303);
    free(rs.body);
    done_db(st);
}

static void t_handler_link_and_lock(void)
{
    central_store *st = fresh_db();
    central_admin_response rs;
    zc_err err = {""};
    char link[CENTRAL_ADMIN_TOKEN_HEX];
    CHECK_OK(central_store_admin_add(st, "test", "ops", PW, NULL, NOW, &err));
    CHECK_OK(central_store_admin_token_new(st, "ops", CENTRAL_ADMIN_LINK, NOW - 5, 600, link, &err));
    fake f = {.t = link};
    run(st, "GET", "/admin/link", &f, NULL, false, &rs);
    CHECK_INT(rs.status, 303);
    CHECK_STR(hdr(&rs, "Location"), "/admin/");
    CHECK(hdr(&rs, "Set-Cookie") && strstr(hdr(&rs, "Set-Cookie"), "HttpOnly"));
    free(rs.body);
    run(st, "GET", "/admin/link", &f, NULL, false, &rs);
    CHECK_INT(rs.status, 403);
    CHECK(hdr(&rs, "Set-Cookie") == NULL);
    CHECK(strstr(rs.body, "已经用过或已过期") != NULL);
    free(rs.body);
    f.t = NULL;
    run(st, "GET", "/admin/link", &f, NULL, false, &rs);
    CHECK_INT(rs.status, 403);
    free(rs.body);
    /* five wrong passwords through the form: 429 with Retry-After */
    /* five wrong passwords from five sources: the account waits 30 s */
    static const char *const peers[] = {"10.0.1.1", "10.0.1.2", "10.0.1.3", "10.0.1.4", "10.0.1.5"};
    fake form = {.headers = {{"Content-Type", FORM}, {"Host", "h"}, {"Origin", "https://h"}},
                 .login = LOGIN_TOKEN};
    for (int i = 0; i < 4; i++) {
        form.peer = peers[i];
        run(st, "POST", "/admin/login", &form, CSRF "user=ops&password=wrong+password", false, &rs);
        CHECK_INT(rs.status, 401);
        free(rs.body);
    }
    form.peer = peers[4];
    run(st, "POST", "/admin/login", &form, CSRF "user=ops&password=wrong+password", false, &rs);
    CHECK_INT(rs.status, 429);
    CHECK_STR(hdr(&rs, "Retry-After"), "30");
    CHECK(strstr(rs.body, "已暂停到 10:13") != NULL);
    free(rs.body);
    form.peer = "10.0.1.9";
    run(st, "POST", "/admin/login", &form, CSRF "user=ops&password=correct+horse+battery", false, &rs);
    CHECK_INT(rs.status, 429);
    CHECK(hdr(&rs, "Set-Cookie") == NULL);
    free(rs.body);
    /* one source guessing: five wrong passwords, then it waits without a check */
    form.peer = "10.0.2.1";
    for (int i = 0; i < CONSOLE_SOURCE_FREE; i++) {
        run(st, "POST", "/admin/login", &form, CSRF "user=nobody&password=wrong+password", false, &rs);
        CHECK_INT(rs.status, 401);
        free(rs.body);
    }
    run(st, "POST", "/admin/login", &form, CSRF "user=nobody&password=wrong+password", false, &rs);
    CHECK_INT(rs.status, 429);
    CHECK_STR(hdr(&rs, "Retry-After"), "1");
    free(rs.body);
    done_db(st);
}

static void t_paths(void)
{
    CHECK(central_admin_path("/admin"));
    CHECK(central_admin_path("/admin/"));
    CHECK(central_admin_path("/admin/login"));
    CHECK(!central_admin_path("/administrator"));
    CHECK(!central_admin_path("/sales"));
    CHECK(!central_admin_path(NULL));
    central_admin_response rs;
    central_admin_too_big(&rs);
    CHECK_INT(rs.status, 413);
    CHECK(rs.body && strstr(rs.body, "4096"));
    free(rs.body);
}

/* The month the page opens on: last month before the claim day. */
static void t_default_month(void)
{
    static const struct {
        const char *name;
        int y, m, d, claim, want_y, want_m;
    } rows[] = {
        {"3rd, default claim day 10", 2026, 12, 3, 0, 2026, 11},
        {"9th, the day before", 2026, 12, 9, 0, 2026, 11},
        {"10th, the claim day itself", 2026, 12, 10, 0, 2026, 12},
        {"31st", 2026, 12, 31, 0, 2026, 12},
        {"2 January: last December", 2027, 1, 2, 0, 2026, 12},
        {"1 January at claim day 1: January", 2027, 1, 1, 1, 2027, 1},
        {"29 February, claim day 28", 2028, 2, 29, 28, 2028, 2},
        {"1 March 2027, claim day 28", 2027, 3, 1, 28, 2027, 2},
        {"15th with claim day 20", 2026, 12, 15, 20, 2026, 11},
        {"out-of-range claim day 40 means 10", 2031, 6, 15, 40, 2031, 6},
        {"out-of-range claim day -1 means 10", 2031, 6, 5, -1, 2031, 5},
    };
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        int y = 0, m = 0;
        central_admin_default_month(rows[i].y, rows[i].m, rows[i].d, rows[i].claim, &y, &m);
        if (y != rows[i].want_y || m != rows[i].want_m)
            fprintf(stderr, "  row: %s\n", rows[i].name);
        CHECK_INT(y * 100 + m, rows[i].want_y * 100 + rows[i].want_m);
    }
}

static const check_case cases[] = {
    {"add", t_add},
    {"default_month", t_default_month},
    {"login_lockout", t_login_lockout},
    {"tokens", t_tokens},
    {"handler_login", t_handler_login},
    {"handler_link_and_lock", t_handler_link_and_lock},
    {"paths", t_paths},
    {NULL, NULL},
};

int main(int argc, char **argv)
{
    zc_err err = {""};
    if (zc_tz_set(CENTRAL_TZ, &err) != ZC_OK) { /* as zhucan-central serve does */
        fprintf(stderr, "%s\n", err.msg);
        return 1;
    }
    return check_main("test_admin_session", cases, argc, argv);
}
