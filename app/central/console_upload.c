/* console_upload.c - a roster file uploaded on the page:
 *
 *   GET  /admin/roster            the upload form (district admin)
 *   POST /admin/roster            multipart/form-data: csrf, file -> the preview
 *   POST /admin/roster/apply      csrf, id -> the import, all or nothing
 *
 * The file may be UTF-8 (with or without a BOM) or GBK/GB18030 as Chinese
 * Excel saves CSV: strictly valid UTF-8 is taken as it is, anything else is
 * converted from GB18030 with iconv, and a file that is neither is refused.
 * The preview runs the very import in a transaction that is rolled back
 * (central_store_roster_load with commit false), so it lists every bad row
 * by line exactly as the import would and counts the elders that would
 * change; only a file without problems is kept (an hour, for the account
 * that sent it) and offered to apply.  Applying imports that text again,
 * all or nothing, with its audit row. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../core/textenc.h"
#include "admin_int.h"
#include "console_html.h"

#define BOUNDARY_MAX 70 /* RFC 2046 */

/* The boundary of a multipart/form-data request into out; false if none. */
static bool boundary_of(const central_admin_request *rq, char out[BOUNDARY_MAX + 1])
{
    static const char type[] = "multipart/form-data";
    const char *ct = rq->header(rq->ctx, "Content-Type");
    if (!ct || strncasecmp(ct, type, sizeof type - 1) != 0)
        return false;
    const char *b = strstr(ct, "boundary=");
    if (!b)
        return false;
    b += 9;
    bool quoted = *b == '"';
    b += quoted;
    size_t n = strcspn(b, quoted ? "\"" : "; \t");
    if (n == 0 || n > BOUNDARY_MAX)
        return false;
    memcpy(out, b, n);
    out[n] = '\0';
    return true;
}

/* The first needle[0..m) in hay[0..n), or NULL (memmem is a GNU extension). */
static const char *find(const char *hay, size_t n, const char *needle, size_t m)
{
    for (const char *p = hay; m <= n && p <= hay + n - m; p++) {
        p = memchr(p, needle[0], (size_t)(hay + n - m - p) + 1);
        if (!p)
            return NULL;
        if (!memcmp(p, needle, m))
            return p;
    }
    return NULL;
}

/* The value of `key="..."` in a part's headers [h, end) into out; false if absent. */
static bool header_param(const char *h, const char *end, const char *key, char *out, size_t n)
{
    size_t klen = strlen(key);
    for (const char *p = h; p + klen + 2 < end; p++) {
        if (strncmp(p, key, klen) == 0 && p[klen] == '=' && p[klen + 1] == '"' &&
            (p == h || p[-1] == ' ' || p[-1] == ';')) {
            const char *v = p + klen + 2, *q = memchr(v, '"', (size_t)(end - v));
            if (!q || (size_t)(q - v) >= n)
                return false;
            memcpy(out, v, (size_t)(q - v));
            out[q - v] = '\0';
            return true;
        }
    }
    return false;
}

bool console_multipart_part(const central_admin_request *rq, const char *name, const char **data,
                            size_t *len, char *filename, size_t fn_n)
{
    char b[BOUNDARY_MAX + 1], delim[BOUNDARY_MAX + 5], pname[64];
    if (!rq->body || !boundary_of(rq, b))
        return false;
    int dn = snprintf(delim, sizeof delim, "\r\n--%s", b);
    const char *end = rq->body + rq->len;
    /* the first delimiter may start the body without its CR LF */
    const char *p;
    if (rq->len >= (size_t)dn - 2 && !memcmp(rq->body, delim + 2, (size_t)dn - 2)) {
        p = rq->body + dn - 2;
    } else {
        p = find(rq->body, rq->len, delim, (size_t)dn);
        if (p)
            p += dn;
    }
    while (p && end - p >= 2 && memcmp(p, "--", 2) != 0) {
        if (memcmp(p, "\r\n", 2) != 0)
            return false;
        const char *h = p + 2;
        const char *hend = find(h, (size_t)(end - h), "\r\n\r\n", 4);
        if (!hend)
            return false;
        const char *body = hend + 4;
        const char *next = find(body, (size_t)(end - body), delim, (size_t)dn);
        if (!next)
            return false;
        if (header_param(h, hend, "name", pname, sizeof pname) && !strcmp(pname, name)) {
            *data = body;
            *len = (size_t)(next - body);
            if (filename && !header_param(h, hend, "filename", filename, fn_n))
                filename[0] = '\0';
            return true;
        }
        p = next + dn;
    }
    return false;
}

int console_roster_text(const char *in, size_t n, char **out, size_t *out_len, const char **encoding,
                        zc_err *err)
{
    bool gbk = false;
    size_t bad_at = 0;
    *encoding = "UTF-8";
    if (n >= 3 && !memcmp(in, "\xEF\xBB\xBF", 3)) { /* the BOM Excel writes */
        in += 3;
        n -= 3;
    }
    int ret = zc_text_utf8("the file", in, n, out, out_len, &gbk, &bad_at, err);
    if (gbk || bad_at || ret == ZC_EIO) /* not UTF-8: taken (or tried) as GBK */
        *encoding = "GBK";
    /* the page speaks Chinese: the core's reasons in the page's words */
    if (ret == ZC_EINVAL && !bad_at)
        return zc_errf(err, ret, "文件里有空字符（NUL），不是 CSV 文本文件。");
    if (ret == ZC_EINVAL)
        return zc_errf(err, ret, "文件既不是 UTF-8 也不是 GBK 编码（第 %zu 字节起无法识别）；"
                       "请用 Excel“另存为 CSV UTF-8”后再上传。", bad_at);
    if (ret == ZC_EIO)
        return zc_errf(err, ret, "本机不能转换 GBK 编码（iconv）；请把文件另存为 UTF-8 再上传。");
    return ret;
}

/* ---- the pages ---- */

static void roster_page(const central_admin_request *rq, central_admin_response *rs,
                        const admin_session *s, int status, const console_roster_view *r)
{
    char *text = NULL;
    size_t len = 0;
    zc_err err = {""};
    console_view v = {.admin = s->who, .role = central_admin_role_label(s->scope.role),
                      .csrf = s->csrf, .can_change = true, .msg = r ? r->msg : NULL,
                      .note = r ? r->note : NULL, .now = rq->now};
    admin_start(rs, status, ADMIN_HTML_TYPE);
    int ret = console_html_roster(&v, r, &text, &len, &err);
    admin_body(rs, ret, text, len, &err);
}

/* Runs the import on text (commit or preview) with its problems into
 * *report (owned by the caller). */
static int run_import(central_store *st, const admin_session *s, const char *source, bool commit,
                      char *text, size_t len, char **report, long *rows, long *changed, zc_err *err)
{
    size_t rlen = 0;
    FILE *in = fmemopen(text, len, "r"), *rep = open_memstream(report, &rlen);
    int ret = in && rep ? central_store_roster_load(st, s->who, source, commit, in, rep, rows, changed, err)
                        : zc_errf(err, ZC_ENOMEM, "out of memory");
    if (in)
        fclose(in);
    if (rep)
        fclose(rep);
    return ret;
}

static void upload_post(central_store *st, const central_admin_request *rq,
                        central_admin_response *rs, const admin_session *s)
{
    char filename[96] = "", source[CENTRAL_UPLOAD_SOURCE_MAX], hash[ZC_SHA256_HEX];
    const char *data = NULL, *encoding = "";
    size_t n = 0, len = 0;
    char *text = NULL, *report = NULL;
    zc_err err = {""};
    console_roster_view r = {0};
    if (!console_multipart_part(rq, "file", &data, &n, filename, sizeof filename) || n == 0) {
        r.msg = "请选择一个 CSV 文件再上传。";
        roster_page(rq, rs, s, 400, &r);
        return;
    }
    int ret = console_roster_text(data, n, &text, &len, &encoding, &err);
    if (ret) {
        r.msg = err.msg;
        roster_page(rq, rs, s, ret == ZC_ENOMEM ? 503 : 400, &r);
        goto out;
    }
    zc_sha256_hex(text, len, hash);
    snprintf(source, sizeof source, "%.80s (%s, sha256 %.8s)", filename[0] ? filename : "roster.csv",
             encoding, hash);
    r.filename = filename;
    r.encoding = encoding;
    ret = run_import(st, s, source, false, text, len, &report, &r.rows, &r.changed, &err);
    r.problems = report;
    if (ret == ZC_EINVAL) {
        r.msg = "文件有问题，没有导入任何内容。请按下面列出的行改好后重新上传。";
        r.first = err.msg;
        roster_page(rq, rs, s, 400, &r);
    } else if (ret) {
        admin_message(rs, 503, "暂时无法检查", err.msg, "/admin/roster", "返回");
    } else if ((ret = central_store_upload_put(st, s->who, source, text, len, rq->now, r.id, &err))) {
        admin_message(rs, 503, "暂时无法保存", err.msg, "/admin/roster", "返回");
    } else {
        roster_page(rq, rs, s, 200, &r);
    }
out:
    free(text);
    free(report);
}

static void apply_post(central_store *st, const central_admin_request *rq,
                       central_admin_response *rs, const admin_session *s)
{
    char id[CENTRAL_UPLOAD_ID_HEX] = "", source[CENTRAL_UPLOAD_SOURCE_MAX], note[240];
    char *text = NULL, *report = NULL;
    size_t len = 0;
    zc_err err = {""};
    console_roster_view r = {0};
    int ret = admin_form_field(rq->body, rq->len, "id", id, sizeof id)
                  ? central_store_upload_take(st, s->who, id, rq->now, &text, &len, source, &err)
                  : ZC_ENOTFOUND;
    if (ret == ZC_ENOTFOUND) {
        r.msg = "没有这份待导入的文件（已经导入、超过一小时或不是您上传的）。请重新上传。";
        roster_page(rq, rs, s, 404, &r);
        goto out;
    } else if (ret) {
        admin_message(rs, 503, "暂时无法导入", err.msg, "/admin/roster", "返回");
        goto out;
    }
    ret = run_import(st, s, source, true, text, len, &report, &r.rows, &r.changed, &err);
    r.problems = report;
    if (ret == ZC_EINVAL) { /* the roster changed since the preview */
        r.msg = "导入时发现问题（花名册在预览之后有变化），没有导入任何内容。";
        r.first = err.msg;
        roster_page(rq, rs, s, 409, &r);
    } else if (ret) {
        admin_message(rs, 503, "暂时无法导入", err.msg, "/admin/roster", "返回");
    } else {
        snprintf(note, sizeof note, "已导入 %ld 行，其中 %ld 位老人有变化；各终端下次同步时收到。",
                 r.rows, r.changed);
        r.note = note;
        r.rows = 0; /* the note says it; the page shows the form again */
        roster_page(rq, rs, s, 200, &r);
    }
out:
    free(text);
    free(report);
}

bool console_upload_route(central_store *st, const central_admin_request *rq,
                          central_admin_response *rs, const admin_session *s)
{
    const char *p = rq->path;
    bool post = !strcmp(rq->method, "POST");
    bool form = !strcmp(p, "/admin/roster"), apply = !strcmp(p, "/admin/roster/apply");
    if (!form && !apply)
        return false;
    if (s->scope.role != CENTRAL_ROLE_DISTRICT)
        admin_message(rs, 403, "没有权限", "只有区级管理员可以导入花名册。", "/admin/", "返回月报");
    else if (form && post)
        upload_post(st, rq, rs, s);
    else if (apply && post)
        apply_post(st, rq, rs, s);
    else if (form)
        roster_page(rq, rs, s, 200, NULL);
    else {
        admin_message(rs, 405, "不支持的请求", "请用页面上的表单。", "/admin/roster", "返回");
        admin_add_header(rs, "Allow", "POST");
    }
    return true;
}
