/* test_central.c - the central service's HTTP(S) surface, with the real
 * server on 127.0.0.1 (ephemeral port) and libcurl: health, authentication
 * (401 for a missing, wrong or other terminal's token), 400 with the field
 * path, 413, deep nesting, 404/405, config and time, roster and policy pages
 * (paging, a blacklisted card arriving as a change, re-import sending
 * nothing), usage across canteens, closings, and TLS with a CA made here by
 * the openssl CLI (trusted: works; untrusted CA: the client refuses). */
#include "test_central_fixture.h"

#include <sys/wait.h>

static const char *const H = "/api/v1";

/* ---- cases ---- */

static void t_health(void)
{
    fx_centre();
    fx_start(NULL, NULL);
    fx_http h = fx_req("/api/v1/health", NULL, NULL, NULL);
    CHECK_INT(h.status, 200);
    CHECK(cJSON_IsTrue(cJSON_GetObjectItem(h.json, "ok")));
    CHECK_STR(fx_str(h.json, "version"), "1");
    fx_done(&h);
    fx_end();
}

static void t_auth(void)
{
    fx_centre();
    fx_start(NULL, NULL);
    static const struct {
        const char *name, *terminal, *token;
        long want;
    } cases[] = {
        {"no headers", NULL, NULL, 401},
        {"no token", "T-0001", NULL, 401},
        {"no terminal", NULL, TOK1, 401},
        {"wrong token", "T-0001", "not-the-token", 401},
        {"other terminal's token", "T-0001", TOK2, 401},
        {"unknown terminal", "T-9999", TOK1, 401},
        {"empty token", "T-0001", "", 401},
        {"right token", "T-0001", TOK1, 200},
        {"second terminal", "T-0002", TOK2, 200},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        fx_http h = fx_req("/api/v1/time", cases[i].terminal, cases[i].token, NULL);
        if (h.status != cases[i].want)
            fprintf(stderr, "  auth case \"%s\": %ld %s\n", cases[i].name, h.status, h.text);
        CHECK_INT(h.status, cases[i].want);
        if (cases[i].want == 401)
            CHECK(strlen(fx_str(h.json, "error")) > 0);
        else
            CHECK(cJSON_GetNumberValue(cJSON_GetObjectItem(h.json, "server_time")) > 1700000000);
        fx_done(&h);
    }
    /* a POST with a body is refused before the body is read, and nothing is stored */
    fx_http h = fx_req("/api/v1/sales", "T-0001", TOK2, "{\"sales\":[]}");
    CHECK_INT(h.status, 401);
    fx_done(&h);
    fx_end();
}

static void t_routes(void)
{
    fx_centre();
    fx_start(NULL, NULL);
    fx_http h = fx_req("/api/v1/nothing", "T-0001", TOK1, NULL);
    CHECK_INT(h.status, 404);
    CHECK(strstr(fx_str(h.json, "error"), "no such endpoint") != NULL);
    fx_done(&h);
    h = fx_req("/api/v1/sales", "T-0001", TOK1, NULL); /* GET on a POST route */
    CHECK_INT(h.status, 405);
    fx_done(&h);
    h = fx_req("/api/v1/config", "T-0002", TOK2, NULL);
    CHECK_INT(h.status, 200);
    CHECK_STR(fx_str(h.json, "terminal_id"), "T-0002");
    CHECK_STR(fx_str(cJSON_GetObjectItem(h.json, "canteen"), "id"), "C-0002");
    CHECK_STR(fx_str(cJSON_GetObjectItem(h.json, "canteen"), "district"), "110105");
    CHECK_INT(strlen(fx_str(h.json, "id_salt")), 32);
    CHECK_STR(fx_str(h.json, "qr_pubkey"), "");
    CHECK_STR(fx_str(h.json, "card_format"), "hex10");
    fx_done(&h);
    fx_end();
}

/* Each bad body gets 400 naming the problem, and nothing is stored. */
static void t_bad_json(void)
{
    fx_centre();
    fx_start(NULL, NULL);
    store_t *t1 = fx_terminal("T-0001", "C-0001");
    zc_sale_doc d[2];
    fx_sale(t1, "E0000001", "00000000A1", LUNCH, 0, &d[0]);
    fx_sale(t1, NULL, NULL, LUNCH, 60, &d[1]);
    char *good = fx_batch(d, NULL, 2);
    cJSON *root = cJSON_Parse(good);
    cJSON *line = cJSON_GetArrayItem(cJSON_GetObjectItem(cJSON_GetArrayItem(
                                         cJSON_GetObjectItem(root, "sales"), 1), "lines"), 0);
    cJSON_ReplaceItemInObject(line, "qty", cJSON_CreateNumber(0));
    char *bad_qty = cJSON_PrintUnformatted(root);
    cJSON_ReplaceItemInObject(line, "qty", cJSON_CreateString("1"));
    char *str_qty = cJSON_PrintUnformatted(root);
    cJSON_ReplaceItemInObject(line, "qty", cJSON_CreateNumber(1));
    cJSON_AddStringToObject(cJSON_GetArrayItem(cJSON_GetObjectItem(root, "sales"), 0), "subsdy", "1");
    char *unknown = cJSON_PrintUnformatted(root);
    cJSON_Delete(root);
    char deep[200];
    int k = snprintf(deep, sizeof deep, "{\"sales\":");
    memset(deep + k, '[', 20); /* 21 levels */
    deep[k + 20] = '\0';
    const struct {
        const char *name, *body, *want;
    } cases[] = {
        {"not json", "{\"sales\": [", "malformed JSON"},
        {"trailing garbage", "{\"sales\":[]} x", "after the JSON"},
        {"array at top", "[1,2]", "must be a JSON object"},
        {"no sales", "{}", "sales: is missing"},
        {"sales not array", "{\"sales\":{}}", "sales: must be an array"},
        {"unknown top field", "{\"sales\":[],\"extra\":1}", "extra: is not a known field"},
        {"deep nesting", deep, "nested deeper than 8"},
        {"sale not object", "{\"sales\":[1]}", "sales[0]: must be an object"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        fx_http h = fx_req("/api/v1/sales", "T-0001", TOK1, cases[i].body);
        if (h.status != 400 || !strstr(fx_str(h.json, "error"), cases[i].want))
            fprintf(stderr, "  case \"%s\": %ld %s\n", cases[i].name, h.status, h.text);
        CHECK_INT(h.status, 400);
        CHECK(strstr(fx_str(h.json, "error"), cases[i].want) != NULL);
        fx_done(&h);
    }
    fx_http h = fx_req("/api/v1/sales", "T-0001", TOK1, bad_qty);
    CHECK_INT(h.status, 400);
    CHECK(strstr(fx_str(h.json, "error"), "sales[1].lines[0].qty: must be a whole number 1..999") != NULL);
    fx_done(&h);
    h = fx_req("/api/v1/sales", "T-0001", TOK1, str_qty);
    CHECK_INT(h.status, 400);
    CHECK(strstr(fx_str(h.json, "error"), "sales[1].lines[0].qty") != NULL);
    fx_done(&h);
    h = fx_req("/api/v1/sales", "T-0001", TOK1, unknown);
    CHECK_INT(h.status, 400);
    CHECK(strstr(fx_str(h.json, "error"), "sales[0].subsdy: is not a known field") != NULL);
    fx_done(&h);
    /* the first sale was fine, but a 400 stores nothing of the batch */
    CHECK_INT(fx_sql_int("SELECT count(*) FROM sale"), 0);
    h = fx_req("/api/v1/sales", "T-0001", TOK1, good);
    CHECK_INT(h.status, 200);
    CHECK_STR(fx_result(&h, 0, "status"), "stored");
    CHECK_STR(fx_result(&h, 1, "status"), "stored");
    fx_done(&h);
    CHECK_INT(fx_sql_int("SELECT count(*) FROM sale"), 2);
    free(good);
    free(bad_qty);
    free(str_qty);
    free(unknown);
    store_close(t1);
    fx_end();
}

static void t_too_big(void)
{
    fx_centre();
    fx_start(NULL, NULL);
    size_t n = CENTRAL_BODY_MAX + 1;
    char *big = malloc(n + 1);
    memset(big, ' ', n);
    big[0] = '{';
    big[n - 1] = '}';
    big[n] = '\0';
    fx_http h = fx_req_ca("/api/v1/sales", "T-0001", TOK1, big, n, NULL);
    CHECK_INT(h.status, 413);
    CHECK(strstr(fx_str(h.json, "error"), "larger than") != NULL);
    fx_done(&h);
    /* exactly at the bound is read (and is valid JSON: an empty object) */
    h = fx_req_ca("/api/v1/sales", "T-0001", TOK1, big, n - 1, NULL);
    CHECK_INT(h.status, 400); /* "{" + spaces, not closed: read and refused as JSON, not size */
    fx_done(&h);
    free(big);
    /* the server still serves */
    h = fx_req("/api/v1/health", NULL, NULL, NULL);
    CHECK_INT(h.status, 200);
    fx_done(&h);
    fx_end();
}

/* Roster pages, a blacklisted card as a change, re-import sending nothing. */
static void t_roster_pages(void)
{
    fx_centre();
    fx_start(NULL, NULL);
    char path[128];
    fx_http h = fx_req("/api/v1/roster?limit=3", "T-0001", TOK1, NULL);
    CHECK_INT(h.status, 200);
    cJSON *el = cJSON_GetObjectItem(h.json, "elders");
    CHECK_INT(cJSON_GetArraySize(el), 3);
    CHECK(cJSON_IsTrue(cJSON_GetObjectItem(h.json, "more")));
    cJSON *e0 = cJSON_GetArrayItem(el, 0);
    CHECK_STR(fx_str(e0, "elder_id"), "E0000001");
    CHECK_STR(fx_str(e0, "birth_date"), "1940-03-15");
    CHECK(cJSON_IsFalse(cJSON_GetObjectItem(e0, "care_home")));
    CHECK_INT(cJSON_GetNumberValue(cJSON_GetObjectItem(e0, "disability_grade")), 0);
    CHECK(cJSON_GetObjectItem(e0, "id_number") == NULL);
    CHECK_STR(fx_str(cJSON_GetArrayItem(cJSON_GetObjectItem(e0, "cards"), 0), "uid"), "00000000A1");
    CHECK_STR(fx_str(cJSON_GetArrayItem(el, 1), "categories"), "dibao");
    snprintf(path, sizeof path, "/api/v1/roster?after=%s&limit=3", fx_str(h.json, "next"));
    fx_done(&h);
    h = fx_req(path, "T-0001", TOK1, NULL);
    CHECK_INT(cJSON_GetArraySize(cJSON_GetObjectItem(h.json, "elders")), 1);
    CHECK(cJSON_IsFalse(cJSON_GetObjectItem(h.json, "more")));
    char cursor[32];
    snprintf(cursor, sizeof cursor, "%s", fx_str(h.json, "next"));
    fx_done(&h);
    /* nothing new: empty page, same cursor */
    snprintf(path, sizeof path, "/api/v1/roster?after=%s", cursor);
    h = fx_req(path, "T-0001", TOK1, NULL);
    CHECK_INT(cJSON_GetArraySize(cJSON_GetObjectItem(h.json, "elders")), 0);
    CHECK_STR(fx_str(h.json, "next"), cursor);
    fx_done(&h);
    /* blacklisting a card: its elder comes again with the card blocked */
    central_store *st = fx_db();
    zc_err err = {""};
    CHECK_OK(central_store_card_set(st, "00000000A2", "blocked", 1800000000, &err));
    long rows = 0, changed = 0;
    FILE *f = fmemopen((void *)fx_roster, sizeof fx_roster - 1, "r");
    /* re-importing the file puts the card back to active: that is a change too */
    CHECK_OK(central_store_roster_import(st, f, NULL, &rows, &changed, &err));
    fclose(f);
    CHECK_INT(changed, 1);
    f = fmemopen((void *)fx_roster, sizeof fx_roster - 1, "r");
    CHECK_OK(central_store_roster_import(st, f, NULL, &rows, &changed, &err));
    fclose(f);
    CHECK_INT(changed, 0); /* the same file again: nothing to send */
    CHECK_OK(central_store_card_set(st, "00000000A2", "blocked", 1800000100, &err));
    central_store_close(st);
    h = fx_req(path, "T-0001", TOK1, NULL);
    el = cJSON_GetObjectItem(h.json, "elders");
    CHECK_INT(cJSON_GetArraySize(el), 1);
    CHECK_STR(fx_str(cJSON_GetArrayItem(el, 0), "elder_id"), "E0000002");
    CHECK_STR(fx_str(cJSON_GetArrayItem(cJSON_GetObjectItem(cJSON_GetArrayItem(el, 0), "cards"), 0),
                     "status"), "blocked");
    fx_done(&h);
    static const char *const bad[] = {"?limit=0", "?limit=5001", "?after=-1", "?after=x", "?limit=1e3"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        snprintf(path, sizeof path, "%s/roster%s", H, bad[i]);
        h = fx_req(path, "T-0001", TOK1, NULL);
        CHECK_INT(h.status, 400);
        fx_done(&h);
    }
    fx_end();
}

static void t_policies(void)
{
    fx_centre();
    fx_start(NULL, NULL);
    fx_http h = fx_req("/api/v1/policies?after=0", "T-0001", TOK1, NULL);
    CHECK_INT(h.status, 200);
    cJSON *p = cJSON_GetArrayItem(cJSON_GetObjectItem(h.json, "policies"), 0);
    CHECK_STR(fx_str(p, "policy"), "beijing");
    CHECK_STR(fx_str(p, "version"), "2024.1");
    CHECK_STR(fx_str(p, "json"), embed_get("db/policies/beijing.json"));
    CHECK_STR(fx_str(h.json, "next"), "1");
    CHECK(cJSON_IsFalse(cJSON_GetObjectItem(h.json, "more")));
    fx_done(&h);
    /* the same version with other text is refused; the same text is fine */
    central_store *st = fx_db();
    zc_err err = {""};
    bool existed = false;
    const char *bj = embed_get("db/policies/beijing.json");
    CHECK_OK(central_store_policy_publish(st, bj, strlen(bj), &existed, &err));
    CHECK(existed);
    char *other = strdup(bj);
    char *at = strstr(other, "5 yuan a day");
    if (at)
        at[0] = '6';
    CHECK_INT(central_store_policy_publish(st, other, strlen(other), &existed, &err), ZC_ECONFLICT);
    CHECK(strstr(err.msg, "new \"version\"") != NULL);
    free(other);
    central_store_close(st);
    h = fx_req("/api/v1/policies?after=1", "T-0001", TOK1, NULL);
    CHECK_INT(cJSON_GetArraySize(cJSON_GetObjectItem(h.json, "policies")), 0);
    fx_done(&h);
    fx_end();
}

/* What an elder had at any canteen, for the terminal's online check. */
static void t_usage(void)
{
    fx_centre();
    fx_start(NULL, NULL);
    store_t *t1 = fx_terminal("T-0001", "C-0001"), *t2 = fx_terminal("T-0002", "C-0002");
    zc_sale_doc a, b;
    fx_sale(t1, "E0000001", "00000000A1", "2026-11-22 11:30", 0, &a); /* Sunday */
    fx_sale(t2, "E0000001", "00000000A1", "2026-11-23 17:00", 0, &b); /* Monday dinner */
    fx_http h = fx_push("T-0001", TOK1, &a, 1);
    fx_done(&h);
    h = fx_push("T-0002", TOK2, &b, 1);
    fx_done(&h);
    h = fx_req("/api/v1/usage?elder=E0000001&date=2026-11-23", "T-0001", TOK1, NULL);
    CHECK_INT(h.status, 200);
    cJSON *uses = cJSON_GetObjectItem(h.json, "uses");
    /* the window starts on 1 November (before Monday the 23rd): both count */
    CHECK_INT(cJSON_GetArraySize(uses), 2);
    CHECK_STR(fx_str(cJSON_GetArrayItem(uses, 0), "canteen"), "C-0001");
    CHECK_STR(fx_str(cJSON_GetArrayItem(uses, 1), "canteen"), "C-0002");
    CHECK_STR(fx_str(cJSON_GetArrayItem(uses, 1), "period"), "dinner");
    CHECK_STR(fx_str(cJSON_GetArrayItem(uses, 1), "key"), "bj-daily");
    CHECK_INT(cJSON_GetNumberValue(cJSON_GetObjectItem(cJSON_GetArrayItem(uses, 1), "fen")), 500);
    CHECK_STR(fx_str(cJSON_GetArrayItem(uses, 1), "sale_id"), b.id);
    fx_done(&h);
    h = fx_req("/api/v1/usage?elder=E0000001&date=2026-11-22", "T-0001", TOK1, NULL);
    CHECK_INT(cJSON_GetArraySize(cJSON_GetObjectItem(h.json, "uses")), 1);
    fx_done(&h);
    h = fx_req("/api/v1/usage?elder=E0000099&date=2026-11-23", "T-0001", TOK1, NULL);
    CHECK_INT(h.status, 200);
    CHECK_INT(cJSON_GetArraySize(cJSON_GetObjectItem(h.json, "uses")), 0);
    fx_done(&h);
    h = fx_req("/api/v1/usage?elder=E0000001&date=2026-02-30", "T-0001", TOK1, NULL);
    CHECK_INT(h.status, 400);
    CHECK(strstr(fx_str(h.json, "error"), "date") != NULL);
    fx_done(&h);
    h = fx_req("/api/v1/usage?date=2026-11-23", "T-0001", TOK1, NULL);
    CHECK_INT(h.status, 400);
    fx_done(&h);
    store_close(t1);
    store_close(t2);
    fx_end();
}

static void t_closing(void)
{
    fx_centre();
    fx_start(NULL, NULL);
    store_t *t1 = fx_terminal("T-0001", "C-0001");
    zc_sale_doc d[2];
    fx_sale(t1, "E0000001", "00000000A1", LUNCH, 0, &d[0]);
    fx_sale(t1, NULL, NULL, LUNCH, 60, &d[1]);
    fx_http h = fx_push("T-0001", TOK1, d, 2);
    fx_done(&h);
    char body[512];
    snprintf(body, sizeof body, "{\"date\":\"2026-11-23\",\"count\":2,\"gross\":3000,\"subsidy\":500,"
             "\"pay\":2500,\"by_source\":[{\"source\":\"district\",\"fen\":500}],\"last_seq\":2,"
             "\"chain_head\":\"%s\"}", "0000000000000000000000000000000000000000000000000000000000000000");
    h = fx_req("/api/v1/closing", "T-0001", TOK1, body);
    CHECK_INT(h.status, 200);
    CHECK_STR(fx_str(h.json, "status"), "stored");
    fx_done(&h);
    cJSON *rep = fx_report("T-0001");
    cJSON *c = cJSON_GetArrayItem(cJSON_GetObjectItem(rep, "closings"), 0);
    CHECK(cJSON_IsTrue(cJSON_GetObjectItem(c, "matches")));
    CHECK_INT(fx_num(c, "centre_gross", NULL), 3000);
    cJSON_Delete(rep);
    /* a closing that does not add up with what the centre holds is visible */
    char *at = strstr(body, "\"count\":2");
    at[8] = '3';
    h = fx_req("/api/v1/closing", "T-0001", TOK1, body);
    CHECK_INT(h.status, 200);
    fx_done(&h);
    rep = fx_report("T-0001");
    c = cJSON_GetArrayItem(cJSON_GetObjectItem(rep, "closings"), 0);
    CHECK(cJSON_IsFalse(cJSON_GetObjectItem(c, "matches")));
    CHECK_INT(cJSON_GetArraySize(cJSON_GetObjectItem(rep, "closings")), 1); /* replaced, not added */
    cJSON_Delete(rep);
    h = fx_req("/api/v1/closing", "T-0001", TOK1, "{\"date\":\"2026-11-23\",\"count\":-1}");
    CHECK_INT(h.status, 400);
    CHECK(strstr(fx_str(h.json, "error"), "count: must be a whole number") != NULL);
    fx_done(&h);
    store_close(t1);
    fx_end();
}

/* ---- TLS ---- */

static int sh(const char *cmd)
{
    int rc = system(cmd);
    return WIFEXITED(rc) ? WEXITSTATUS(rc) : -1;
}

/* A CA named `ca` and, when leaf, a server cert for 127.0.0.1/localhost
 * signed by it, in fx_dir. */
static int make_ca(const char *ca, bool leaf)
{
    char cmd[2048];
    snprintf(cmd, sizeof cmd,
             "cd %s && openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes "
             "-keyout %s.key -out %s.pem -days 2 -subj '/CN=Zhucan test CA %s' >/dev/null 2>&1",
             fx_dir, ca, ca, ca);
    if (sh(cmd) != 0)
        return -1;
    if (!leaf)
        return 0;
    snprintf(cmd, sizeof cmd,
             "cd %s && printf 'subjectAltName=IP:127.0.0.1,DNS:localhost\\n' > ext.cnf && "
             "openssl req -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -keyout srv.key "
             "-out srv.csr -subj '/CN=127.0.0.1' >/dev/null 2>&1 && "
             "openssl x509 -req -in srv.csr -CA %s.pem -CAkey %s.key -CAcreateserial -out srv.pem "
             "-days 2 -extfile ext.cnf >/dev/null 2>&1", fx_dir, ca, ca);
    return sh(cmd);
}

static void t_tls(void)
{
    fx_centre();
    CHECK_OK(make_ca("ca", true));
    CHECK_OK(make_ca("other", false));
    char cert[400], key[400], ca[400], other[400];
    snprintf(cert, sizeof cert, "%s", fx_path("srv.pem"));
    snprintf(key, sizeof key, "%s", fx_path("srv.key"));
    snprintf(ca, sizeof ca, "%s", fx_path("ca.pem"));
    snprintf(other, sizeof other, "%s", fx_path("other.pem"));
    fx_start(cert, key);
    fx_http h = fx_req_ca("/api/v1/time", "T-0001", TOK1, NULL, 0, ca);
    CHECK_INT(h.code, CURLE_OK);
    CHECK_INT(h.status, 200);
    fx_done(&h);
    h = fx_req_ca("/api/v1/health", NULL, NULL, NULL, 0, other); /* a CA that did not sign it */
    CHECK_INT(h.code, CURLE_PEER_FAILED_VERIFICATION);
    CHECK_INT(h.status, 0);
    fx_done(&h);
    h = fx_req_ca("/api/v1/health", NULL, NULL, NULL, 0, NULL); /* the system's CAs */
    CHECK(h.code != CURLE_OK);
    CHECK_INT(h.status, 0);
    fx_done(&h);
    fx_tls = false; /* plain HTTP to the TLS port gets no answer */
    h = fx_req("/api/v1/health", NULL, NULL, NULL);
    CHECK(h.status != 200);
    fx_done(&h);
    fx_tls = true;
    /* a key that does not match the certificate does not start */
    central_server *s = NULL;
    zc_err err = {""};
    char okey[400];
    snprintf(okey, sizeof okey, "%s", fx_path("other.key"));
    central_server_cfg cfg = {.db_path = fx_path("central.db"), .listen = "127.0.0.1:0",
                              .tls_cert = cert, .tls_key = okey};
    CHECK(central_server_start(&cfg, &s, &err) != ZC_OK);
    central_server_stop(s);
    cfg.tls_key = NULL;
    CHECK_INT(central_server_start(&cfg, &s, &err), ZC_EINVAL);
    CHECK(strstr(err.msg, "together") != NULL);
    fx_end();
}

static void t_listen_refused(void)
{
    fx_centre();
    central_server *s = NULL;
    zc_err err = {""};
    static const char *const bad[] = {"127.0.0.1", "127.0.0.1:99999", "nohost:80", ":80", "1.2.3:x"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        central_server_cfg cfg = {.db_path = fx_path("central.db"), .listen = bad[i]};
        CHECK_INT(central_server_start(&cfg, &s, &err), ZC_EINVAL);
        CHECK(strstr(err.msg, "listen") != NULL);
    }
    central_server_cfg cfg = {.db_path = fx_path("missing.db"), .listen = "127.0.0.1:0"};
    CHECK_INT(central_server_start(&cfg, &s, &err), ZC_ENOTFOUND);
    CHECK(strstr(err.msg, "zhucan-central init") != NULL);
    fx_rmdir();
}

static const check_case cases[] = {
    {"health", t_health},
    {"auth", t_auth},
    {"routes", t_routes},
    {"bad_json", t_bad_json},
    {"too_big", t_too_big},
    {"roster_pages", t_roster_pages},
    {"policies", t_policies},
    {"usage", t_usage},
    {"closing", t_closing},
    {"tls", t_tls},
    {"listen_refused", t_listen_refused},
    {NULL, NULL},
};

int main(int argc, char **argv)
{
    if (zc_secure_init() != ZC_OK || curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK)
        return 2;
    int rc = check_main("test_central", cases, argc, argv);
    curl_global_cleanup();
    return rc;
}
