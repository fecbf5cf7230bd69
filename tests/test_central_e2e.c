/* test_central_e2e.c - the terminal's real sync client (app/sync,
 * sync_run_once) against the real central server on 127.0.0.1: sales and a
 * void arrive exactly once and the fen add up; a second round sends
 * nothing; a card blacklisted at the centre reaches the terminal; the
 * centre's QR key and configuration are applied; two terminals (one
 * offline) give the same elder a subsidised lunch and the centre flags it;
 * over HTTPS with the district's CA it works and with another CA the
 * client refuses the centre. */
#include "test_central_fixture.h"

#include <sys/wait.h>

#include "../app/sync/sync.h"
#include "../app/store/store_raw.h"

static void term_totals(store_t *st, int64_t out[4])
{
    sqlite3_stmt *s = NULL;
    memset(out, 0, sizeof(int64_t) * 4);
    if (sqlite3_prepare_v2(store_db(st), "SELECT count(*), coalesce(sum(gross_fen), 0), "
                           "coalesce(sum(subsidy_fen), 0), coalesce(sum(pay_fen), 0) FROM sale WHERE "
                           "status = 'done'", -1, &s, NULL) == SQLITE_OK && sqlite3_step(s) == SQLITE_ROW)
        for (int i = 0; i < 4; i++)
            out[i] = sqlite3_column_int64(s, i);
    sqlite3_finalize(s);
}

/* Points a terminal at the running centre. */
static void configure(store_t *st, const char *token, const char *ca)
{
    zc_err err = {""};
    char url[128];
    snprintf(url, sizeof url, "%s://127.0.0.1:%d", fx_tls ? "https" : "http", fx_port);
    CHECK_OK(store_meta_set(st, "server_url", url, &err));
    CHECK_OK(store_meta_set(st, "sync_token", token, &err));
    if (ca)
        CHECK_OK(store_meta_set(st, "ca_file", ca, &err));
}

static int run_once(const char *id, sync_report *rep, zc_err *err)
{
    char name[64];
    snprintf(name, sizeof name, "%s.db", id);
    memset(rep, 0, sizeof *rep);
    return sync_run_once(fx_path(name), rep, NULL, err);
}

static void t_round_trip(void)
{
    fx_centre();
    central_store *c = fx_db();
    zc_err err = {""};
    CHECK_OK(central_store_meta_set(c, "qr_pubkey",
                                    "d8e0eb1161bb19ff0badf96ded7c58da1f351c4e0e7a092850a321a20e4ec71b", &err));
    CHECK_OK(central_store_card_set(c, "00000000A3", "blocked", 1700000000, &err));
    central_store_close(c);
    fx_start(NULL, NULL);
    store_t *t1 = fx_terminal("T-0001", "C-0001");
    configure(t1, TOK1, NULL);
    zc_sale_doc d[3];
    fx_sale(t1, "E0000001", "00000000A1", LUNCH, 0, &d[0]);
    fx_sale(t1, "E0000002", "00000000A2", LUNCH, 30, &d[1]);
    fx_sale(t1, NULL, NULL, LUNCH, 60, &d[2]);
    CHECK_OK(store_sale_void(t1, d[2].id, "s1", "wrong dish", &err));
    sync_report rep;
    int rc = run_once("T-0001", &rep, &err);
    if (rc)
        fprintf(stderr, "  sync: %s\n", err.msg);
    CHECK_OK(rc);
    CHECK_INT(rep.stored, 3);
    CHECK_INT(rep.duplicate + rep.conflict + rep.rejected, 0);
    CHECK_INT(rep.voids, 1);
    long unsent = -1;
    CHECK_OK(store_unsent_count(t1, &unsent));
    CHECK_INT(unsent, 0);
    /* the centre holds what the terminal holds, to the fen */
    int64_t tt[4];
    term_totals(t1, tt);
    cJSON *r = fx_report("T-0001");
    cJSON *tot = cJSON_GetObjectItem(r, "totals");
    CHECK_INT(fx_num(tot, "sales", NULL) - fx_num(tot, "voided", NULL), tt[0]);
    CHECK_INT(fx_num(tot, "gross", NULL), tt[1]);
    CHECK_INT(fx_num(tot, "subsidy", NULL), tt[2]);
    CHECK_INT(fx_num(tot, "pay", NULL), tt[3]);
    CHECK_INT(fx_num(tot, "voided", NULL), 1);
    CHECK_INT(fx_num(tot, "flags", NULL), 0);
    CHECK_INT(fx_num(tot, "chain_breaks", NULL), 0);
    cJSON_Delete(r);
    /* the roster and the configuration came the other way */
    char pk[80] = "";
    CHECK_OK(store_meta_get(t1, "qr_pubkey", pk, sizeof pk));
    CHECK_STR(pk, "d8e0eb1161bb19ff0badf96ded7c58da1f351c4e0e7a092850a321a20e4ec71b");
    sqlite3_stmt *s = NULL;
    char status[16] = "";
    if (sqlite3_prepare_v2(store_db(t1), "SELECT status FROM card WHERE uid = '00000000A3'", -1, &s,
                           NULL) == SQLITE_OK && sqlite3_step(s) == SQLITE_ROW)
        fx_col(s, 0, status, sizeof status);
    sqlite3_finalize(s);
    CHECK_STR(status, "blocked");
    /* nothing new: nothing sent */
    CHECK_OK(run_once("T-0001", &rep, &err));
    CHECK_INT(rep.pushed, 0);
    CHECK_INT(fx_sql_int("SELECT count(*) FROM sale"), 3);
    store_close(t1);
    fx_end();
}

/* One elder, one lunch, two canteens; the second terminal was offline. */
static void t_double_use(void)
{
    fx_centre();
    fx_start(NULL, NULL);
    store_t *t1 = fx_terminal("T-0001", "C-0001"), *t2 = fx_terminal("T-0002", "C-0002");
    configure(t1, TOK1, NULL);
    configure(t2, TOK2, NULL);
    zc_sale_doc a, b;
    fx_sale(t1, "E0000001", "00000000A1", LUNCH, 0, &a);
    fx_sale(t2, "E0000001", "00000000A1", "2026-11-23 11:40", 0, &b);
    CHECK_INT(b.subsidy, 500);
    sync_report rep;
    zc_err err = {""};
    CHECK_OK(run_once("T-0002", &rep, &err)); /* the later sale first */
    CHECK_OK(run_once("T-0001", &rep, &err));
    CHECK_INT(fx_sql_int("SELECT count(*) FROM sale"), 2);
    CHECK_INT(fx_sql_int("SELECT count(*) FROM flag WHERE kind = 'double_use'"), 1);
    char sql[200];
    snprintf(sql, sizeof sql, "SELECT count(*) FROM flag WHERE kind = 'double_use' AND sale_id = '%s'",
             b.id);
    CHECK_INT(fx_sql_int(sql), 1);
    store_close(t1);
    store_close(t2);
    fx_end();
}

static int sh(const char *cmd)
{
    int rc = system(cmd);
    return WIFEXITED(rc) ? WEXITSTATUS(rc) : -1;
}

static void t_tls(void)
{
    char cmd[2048], ca[400], other[400], cert[400], key[400];
    fx_centre();
    snprintf(cmd, sizeof cmd,
             "(cd %s && openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes "
             "-keyout ca.key -out ca.pem -days 2 -subj '/CN=district CA' && "
             "openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes "
             "-keyout other.key -out other.pem -days 2 -subj '/CN=other CA' && "
             "printf 'subjectAltName=IP:127.0.0.1,DNS:localhost\\n' > ext.cnf && "
             "openssl req -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -keyout srv.key "
             "-out srv.csr -subj '/CN=127.0.0.1' && openssl x509 -req -in srv.csr -CA ca.pem "
             "-CAkey ca.key -CAcreateserial -out srv.pem -days 2 -extfile ext.cnf) >/dev/null 2>&1", fx_dir);
    CHECK_INT(sh(cmd), 0); /* openssl made them */
    snprintf(ca, sizeof ca, "%s", fx_path("ca.pem"));
    snprintf(other, sizeof other, "%s", fx_path("other.pem"));
    snprintf(cert, sizeof cert, "%s", fx_path("srv.pem"));
    snprintf(key, sizeof key, "%s", fx_path("srv.key"));
    fx_start(cert, key);
    store_t *t1 = fx_terminal("T-0001", "C-0001");
    zc_sale_doc d;
    fx_sale(t1, "E0000001", "00000000A1", LUNCH, 0, &d);
    configure(t1, TOK1, other);
    sync_report rep;
    zc_err err = {""};
    CHECK(run_once("T-0001", &rep, &err) != ZC_OK); /* a centre the district CA did not sign */
    CHECK_INT(fx_sql_int("SELECT count(*) FROM sale"), 0);
    configure(t1, TOK1, ca);
    int rc = run_once("T-0001", &rep, &err);
    if (rc)
        fprintf(stderr, "  sync over TLS: %s\n", err.msg);
    CHECK_OK(rc);
    CHECK_INT(rep.stored, 1);
    CHECK_INT(fx_sql_int("SELECT count(*) FROM sale"), 1);
    store_close(t1);
    fx_end();
}

static const check_case cases[] = {
    {"round_trip", t_round_trip},
    {"double_use", t_double_use},
    {"tls", t_tls},
    {NULL, NULL},
};

int main(int argc, char **argv)
{
    zc_err err = {""};
    /* the centre's clock near the sales' dates: sales over 400 days old are
     * flagged date_past, and a test must not age into that (make test-dates) */
    if (setenv("ZHUCAN_NOW", "2026-11-24T12:00:00+08:00", 1) != 0 || zc_clock_init(&err) != ZC_OK ||
        zc_secure_init() != ZC_OK || sync_global_init(&err) != ZC_OK)
        return 2;
    return check_main("test_central_e2e", cases, argc, argv);
}
