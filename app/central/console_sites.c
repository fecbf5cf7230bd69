/* console_sites.c - canteens and terminals in the district console:
 *
 *   GET  /admin/canteens          canteens and every terminal's health
 *                                 (a manager: their canteens only)
 *   POST /admin/canteens          add one: id, name, city, district, town (district admin)
 *   POST /admin/terminals         add one: id, canteen, card_format -> its token, once (district)
 *   POST /admin/terminals/revoke  id: no token opens the sync API for it any more (district)
 */
#include <sodium.h>
#include <stdlib.h>
#include <string.h>

#include "../core/card.h"
#include "admin_int.h"
#include "console_html.h"

#define CANTEENS_MAX 1000  /* canteens listed */
#define TERMINALS_MAX 3000 /* terminals listed */

typedef struct sites {
    const admin_session *s;
    central_canteen_row *canteens; /* owned */
    int nc;
    central_terminal_health *terminals; /* owned */
    int nt;
} sites;

static int on_canteen(void *ctx, const central_canteen_row *r)
{
    sites *x = ctx;
    if (x->nc < CANTEENS_MAX && central_admin_scope_has(&x->s->scope, r->c.id))
        x->canteens[x->nc++] = *r;
    return ZC_OK;
}

static int on_terminal(void *ctx, const central_terminal_health *t)
{
    sites *x = ctx;
    if (x->nt < TERMINALS_MAX && central_admin_scope_has(&x->s->scope, t->canteen_id))
        x->terminals[x->nt++] = *t;
    return ZC_OK;
}

/* The page with status, a message or note, and a new terminal's token. */
static void sites_page(central_store *st, const central_admin_request *rq,
                       central_admin_response *rs, const admin_session *s, int status,
                       const char *msg, const char *note, const char *new_terminal,
                       const char *token)
{
    sites x = {s, calloc(CANTEENS_MAX, sizeof *x.canteens), 0,
               calloc(TERMINALS_MAX, sizeof *x.terminals), 0};
    char *text = NULL;
    size_t len = 0;
    zc_err err = {""};
    console_view v = {.admin = s->who, .role = central_admin_role_label(s->scope.role),
                      .csrf = s->csrf, .can_change = s->scope.role == CENTRAL_ROLE_DISTRICT,
                      .msg = msg, .note = note, .now = rq->now};
    int ret = x.canteens && x.terminals ? central_store_canteen_list(st, on_canteen, &x, &err)
                                        : zc_errf(&err, ZC_ENOMEM, "out of memory");
    if (ret == ZC_OK)
        ret = central_store_terminal_health(st, on_terminal, &x, &err);
    if (ret) {
        admin_message(rs, 503, "暂时无法打开", err.msg, "/admin/canteens", "重试");
        goto out;
    }
    console_sites_view sv = {x.canteens, x.nc, x.terminals, x.nt, new_terminal, token};
    admin_start(rs, status, ADMIN_HTML_TYPE);
    ret = console_html_sites(&v, &sv, &text, &len, &err);
    admin_body(rs, ret, text, len, &err);
out:
    free(x.canteens);
    free(x.terminals);
}

/* Ids: 1 to 47 of [A-Za-z0-9_.-] (as the command line). */
static bool id_ok(const char *s)
{
    size_t n = strlen(s);
    for (const char *p = s; *p; p++)
        if (!((*p >= '0' && *p <= '9') || (*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') ||
              *p == '-' || *p == '_' || *p == '.'))
            return false;
    return n > 0 && n < ZC_ID_MAX;
}

/* Region codes: up to 12 digits, "" allowed. */
static bool region_ok(const char *s)
{
    size_t n = strlen(s);
    for (const char *p = s; *p; p++)
        if (*p < '0' || *p > '9')
            return false;
    return n <= 12;
}

static void canteen_post(central_store *st, const central_admin_request *rq,
                         central_admin_response *rs, const admin_session *s)
{
    zc_canteen c = {0};
    zc_err err = {""};
    char note[ZC_NAME_MAX + ZC_ID_MAX + 32];
    const char *b = rq->body;
    bool have = admin_form_field(b, rq->len, "id", c.id, sizeof c.id) &&
                admin_form_field(b, rq->len, "name", c.name, sizeof c.name) &&
                admin_form_field(b, rq->len, "city", c.city, sizeof c.city) &&
                admin_form_field(b, rq->len, "district", c.district, sizeof c.district) &&
                admin_form_field(b, rq->len, "town", c.town, sizeof c.town);
    if (!have || !id_ok(c.id) || !c.name[0]) {
        sites_page(st, rq, rs, s, 400, "请填写饭堂编号（1 到 47 个英文字母、数字、“-”“_”“.”）和名称"
                   "（最多 95 字节，约 31 个汉字）。", NULL, NULL, NULL);
        return;
    }
    if (!region_ok(c.city) || !region_ok(c.district) || !region_ok(c.town)) {
        sites_page(st, rq, rs, s, 400, "区划代码只能是数字，最多 12 位。", NULL, NULL, NULL);
        return;
    }
    int ret = central_store_canteen_add_as(st, s->who, &c, rq->now, &err);
    if (ret == ZC_ECONFLICT) {
        sites_page(st, rq, rs, s, 409, "这个饭堂编号已经有了，请换一个。", NULL, NULL, NULL);
    } else if (ret) {
        admin_message(rs, 503, "暂时无法添加", err.msg, "/admin/canteens", "返回");
    } else {
        snprintf(note, sizeof note, "已添加饭堂 %s %s。", c.id, c.name);
        sites_page(st, rq, rs, s, 200, NULL, note, NULL, NULL);
    }
}

static void terminal_post(central_store *st, const central_admin_request *rq,
                          central_admin_response *rs, const admin_session *s)
{
    central_terminal t = {0};
    char fmt[16] = "", token[CENTRAL_ADMIN_TOKEN_HEX];
    zc_card_fmt f;
    zc_err err = {""};
    const char *b = rq->body;
    bool have = admin_form_field(b, rq->len, "id", t.id, sizeof t.id) &&
                admin_form_field(b, rq->len, "canteen", t.canteen_id, sizeof t.canteen_id) &&
                admin_form_field(b, rq->len, "card_format", fmt, sizeof fmt);
    if (!have || !id_ok(t.id) || !id_ok(t.canteen_id)) {
        sites_page(st, rq, rs, s, 400, "请填写终端编号（1 到 47 个英文字母、数字、“-”“_”“.”）并选择饭堂。",
                   NULL, NULL, NULL);
        return;
    }
    if (zc_card_fmt_parse(fmt, &f) != ZC_OK) {
        sites_page(st, rq, rs, s, 400, "读卡格式只能是 hex10、dec10、dec8 或 facility。", NULL, NULL, NULL);
        return;
    }
    snprintf(t.card_format, sizeof t.card_format, "%s", zc_card_fmt_name(f));
    zc_random_hex(32, token);
    zc_sha256_hex(token, strlen(token), t.token_hash);
    int ret = central_store_terminal_add_as(st, s->who, &t, rq->now, &err);
    if (ret == ZC_ECONFLICT)
        sites_page(st, rq, rs, s, 409, "这个终端编号已经有了，请换一个。", NULL, NULL, NULL);
    else if (ret == ZC_ENOTFOUND)
        sites_page(st, rq, rs, s, 400, "没有这个饭堂。", NULL, NULL, NULL);
    else if (ret)
        admin_message(rs, 503, "暂时无法添加", err.msg, "/admin/canteens", "返回");
    else
        sites_page(st, rq, rs, s, 200, NULL, "已添加终端；令牌见下方，只显示这一次。", t.id, token);
    sodium_memzero(token, sizeof token);
}

static void revoke_post(central_store *st, const central_admin_request *rq,
                        central_admin_response *rs, const admin_session *s)
{
    char id[ZC_ID_MAX] = "", note[ZC_ID_MAX + 64];
    zc_err err = {""};
    if (!admin_form_field(rq->body, rq->len, "id", id, sizeof id) || !id_ok(id)) {
        sites_page(st, rq, rs, s, 400, "请选择要吊销的终端。", NULL, NULL, NULL);
        return;
    }
    int ret = central_store_terminal_revoke(st, s->who, id, rq->now, &err);
    if (ret == ZC_ENOTFOUND) {
        sites_page(st, rq, rs, s, 404, "没有这个终端。", NULL, NULL, NULL);
    } else if (ret) {
        admin_message(rs, 503, "暂时无法吊销", err.msg, "/admin/canteens", "返回");
    } else {
        snprintf(note, sizeof note, "已吊销终端 %s：它的令牌不能再同步。", id);
        sites_page(st, rq, rs, s, 200, NULL, note, NULL, NULL);
    }
}

bool console_sites_route(central_store *st, const central_admin_request *rq,
                         central_admin_response *rs, const admin_session *s)
{
    const char *p = rq->path;
    bool post = !strcmp(rq->method, "POST");
    bool canteens = !strcmp(p, "/admin/canteens"), terminals = !strcmp(p, "/admin/terminals"),
         revoke = !strcmp(p, "/admin/terminals/revoke");
    if (!canteens && !terminals && !revoke)
        return false;
    if (post && s->scope.role != CENTRAL_ROLE_DISTRICT)
        admin_message(rs, 403, "没有权限", s->scope.role == CENTRAL_ROLE_AUDITOR
                                               ? "审计员只能查看，不能修改。"
                                               : "饭堂和终端由区级管理员添加和吊销。",
                      "/admin/canteens", "返回");
    else if (post && canteens)
        canteen_post(st, rq, rs, s);
    else if (post && terminals)
        terminal_post(st, rq, rs, s);
    else if (post)
        revoke_post(st, rq, rs, s);
    else if (canteens)
        sites_page(st, rq, rs, s, 200, NULL, NULL, NULL, NULL);
    else {
        admin_message(rs, 405, "不支持的请求", "请用页面上的表单。", "/admin/canteens", "返回");
        admin_add_header(rs, "Allow", "POST");
    }
    return true;
}
