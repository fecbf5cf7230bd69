/* test_central_input.c - what the centre makes of hostile text and dates
 * in pushed sales (issue 14), through the real server:
 *
 *  - controls: "operator":"c1\u0000 hidden" (once stored as "c1"), raw and
 *    escaped line breaks, tabs and escapes in string fields: 400, nothing
 *    stored;
 *  - dates: a sale dated 2100, one dated 2024 (more than 400 days before
 *    the centre's clock), and one whose local_time is a year before its
 *    created_utc are stored but flagged date_future, date_past and
 *    time_mismatch; a sale at its own moment gets no date flag.
 * The centre's clock is pinned with ZHUCAN_NOW. */
#include "test_central_fixture.h"

#define NOW "2026-11-24T12:00:00+08:00"

/* body with the first `from` replaced by `to` (owned: free()). */
static char *swap(const char *body, const char *from, const char *to)
{
    const char *at = strstr(body, from);
    if (!at)
        return NULL;
    size_t n = strlen(body) - strlen(from) + strlen(to) + 1;
    char *out = malloc(n);
    if (out)
        snprintf(out, n, "%.*s%s%s", (int)(at - body), body, to, at + strlen(from));
    return out;
}

static void t_controls(void)
{
    static const char *const bad[] = {
        "\"operator\":\"c1\\u0000 hidden\"", "\"operator\":\"c1\\n2\"", "\"operator\":\"c1\\t\"",
        "\"operator\":\"c1\\u001b[2J\"", "\"operator\":\"c1\\u007f\"", "\"operator\":\"c1\t\"",
        "\"operator\":\"c1\\u001F\"",
    };
    fx_centre();
    fx_start(NULL, NULL);
    store_t *t1 = fx_terminal("T-0001", "C-0001");
    zc_sale_doc d;
    fx_sale(t1, "E0000001", "00000000A1", LUNCH, 0, &d);
    char *body = fx_batch(&d, NULL, 1);
    CHECK(body && strstr(body, "\"operator\":\"c1\""));
    for (size_t i = 0; body && i < sizeof bad / sizeof bad[0]; i++) {
        char *b = swap(body, "\"operator\":\"c1\"", bad[i]);
        fx_http h = fx_req("/api/v1/sales", "T-0001", TOK1, b);
        CHECK_INT(h.status, 400);
        if (h.status != 400)
            fprintf(stderr, "  %s: %s\n", bad[i], h.text);
        CHECK(strstr(h.text, "control character") != NULL);
        fx_done(&h);
        free(b);
    }
    CHECK_INT(fx_sql_int("SELECT count(*) FROM sale"), 0);
    /* printable text, escaped or not, still goes through */
    char *ok = swap(body, "\"operator\":\"c1\"", "\"operator\":\"\\u0063\\u0031\"");
    fx_http h = fx_req("/api/v1/sales", "T-0001", TOK1, ok);
    CHECK_INT(h.status, 200);
    CHECK_STR(fx_result(&h, 0, "status"), "stored");
    fx_done(&h);
    free(ok);
    free(body);
    store_close(t1);
    fx_end();
}

static int flags(const char *kind)
{
    char sql[160];
    snprintf(sql, sizeof sql, "SELECT count(*) FROM flag WHERE kind = '%s'", kind);
    return (int)fx_sql_int(sql);
}

static void t_dates(void)
{
    fx_centre();
    fx_start(NULL, NULL);
    store_t *t1 = fx_terminal("T-0001", "C-0001");
    zc_sale_doc d[4];
    fx_sale(t1, "E0000001", "00000000A1", LUNCH, 0, &d[0]);              /* fine */
    fx_sale(t1, NULL, NULL, "2100-01-01 12:00", 0, &d[1]);               /* future */
    fx_sale(t1, NULL, NULL, "2024-01-01 12:00", 0, &d[2]);               /* past */
    fx_sale(t1, NULL, NULL, "2025-11-23 11:30", 365 * 86400, &d[3]);     /* a year apart */
    fx_http h = fx_push("T-0001", TOK1, d, 4);
    CHECK_INT(h.status, 200);
    for (int i = 0; i < 4; i++)
        CHECK_STR(fx_result(&h, i, "status"), "stored");
    fx_done(&h);
    CHECK_INT(flags("date_future"), 1);
    CHECK_INT(flags("date_past"), 1);
    CHECK_INT(flags("time_mismatch"), 1);
    char sql[200];
    snprintf(sql, sizeof sql, "SELECT count(*) FROM flag WHERE sale_id = '%s'", d[0].id);
    CHECK_INT(fx_sql_int(sql), 0);
    snprintf(sql, sizeof sql, "SELECT count(*) FROM flag WHERE sale_id = '%s' AND "
             "kind = 'date_future'", d[1].id);
    CHECK_INT(fx_sql_int(sql), 1);
    snprintf(sql, sizeof sql, "SELECT count(*) FROM flag WHERE sale_id = '%s' AND "
             "kind = 'time_mismatch' AND detail LIKE '%%2026-11-23 11:30 here%%'", d[3].id);
    CHECK_INT(fx_sql_int(sql), 1);
    store_close(t1);
    fx_end();
}

static const check_case cases[] = {
    {"controls", t_controls},
    {"dates", t_dates},
    {NULL, NULL},
};

int main(int argc, char **argv)
{
    zc_err err = {""};
    if (setenv("ZHUCAN_NOW", NOW, 1) != 0 || zc_clock_init(&err) != ZC_OK || zc_secure_init() != ZC_OK ||
        curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK)
        return 2;
    int rc = check_main("test_central_input", cases, argc, argv);
    curl_global_cleanup();
    return rc;
}
