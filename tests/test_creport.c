/* test_creport.c - the month reports' rules at their edges, on a real
 * centre database whose sales are written with SQL (bypassing ingest, so
 * each case sets exactly the rows it is about): the month's bounds, the
 * sequence range a month owns, the void-rate threshold, the meal windows,
 * a card pair across a month's end, and the query plans using the indexes
 * of db/central/002_reports.sql.  The whole path through real terminals is
 * tests/test_creport_month.sh. */
#include <cjson/cJSON.h>
#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../app/central/creport.h"
#include "../app/central/cstore_month.h"
#include "../app/core/embed.h"
#include "check.h"

static char dir[] = "/tmp/zhucan-creport-unit.XXXXXX";
static char dbpath[300];
static int nsale;

/* A fresh centre: canteens C-A and C-B, terminals T-A and T-B, Beijing's policy. */
static central_store *fresh(sqlite3 **raw)
{
    static int n;
    central_store *st = NULL;
    zc_err err = {""};
    bool existed;
    const char *pol = embed_get("db/policies/beijing.json");
    snprintf(dbpath, sizeof dbpath, "%s/c%d.db", dir, n++);
    CHECK_OK(central_store_open(dbpath, CENTRAL_STORE_CREATE, &st, &err));
    CHECK_OK(central_store_policy_publish(st, pol, strlen(pol), &existed, &err));
    for (int i = 0; i < 2; i++) {
        zc_canteen c;
        central_terminal t;
        memset(&c, 0, sizeof c);
        memset(&t, 0, sizeof t);
        snprintf(c.id, sizeof c.id, "C-%c", 'A' + i);
        snprintf(c.name, sizeof c.name, "食堂%c", 'A' + i);
        snprintf(t.id, sizeof t.id, "T-%c", 'A' + i);
        snprintf(t.canteen_id, sizeof t.canteen_id, "%s", c.id);
        snprintf(t.token_hash, sizeof t.token_hash, "%s", ZC_ZERO_HASH);
        snprintf(t.card_format, sizeof t.card_format, "hex10");
        CHECK_OK(central_store_canteen_add(st, &c, &err));
        CHECK_OK(central_store_terminal_add(st, &t, &err));
    }
    CHECK_INT(sqlite3_open(dbpath, raw), SQLITE_OK);
    sqlite3_busy_timeout(*raw, 5000);
    return st;
}

static void sql(sqlite3 *db, const char *q)
{
    char *msg = NULL;
    int rc = sqlite3_exec(db, q, NULL, NULL, &msg);
    if (rc != SQLITE_OK)
        fprintf(stderr, "  sql: %s: %s\n", q, msg ? msg : "");
    CHECK_INT(rc, SQLITE_OK);
    sqlite3_free(msg);
}

/* A sale of terminal T-<t> (canteen C-<t>) at local time "YYYY-MM-DD HH:MM";
 * elder "" for a public sale; subsidy > 0 adds a district part.  Returns its id. */
static const char *sale(sqlite3 *db, char t, int64_t seq, const char *time, const char *op,
                        const char *elder, const char *card, const char *period, int subsidy,
                        bool voided)
{
    static char id[64];
    char q[1200];
    snprintf(id, sizeof id, "s%05d", ++nsale);
    int64_t utc = 1790000000 + (int64_t)nsale; /* moments only matter for card pairs */
    int hh = 0, mm = 0, dd = 0, mo = 0;
    if (sscanf(time, "2026-%d-%d %d:%d", &mo, &dd, &hh, &mm) == 4)
        utc = 1767196800 + ((int64_t)(mo * 31 + dd) * 24 + hh) * 3600 + mm * 60; /* monotone */
    snprintf(q, sizeof q,
             "INSERT INTO sale (id, terminal_id, seq, canteen_id, operator_id, elder_id, card_uid, "
             "created_utc, local_time, local_date, period, policy_id, policy_version, gross_fen, "
             "subsidy_fen, pay_fen, pay_method, prev_hash, hash, received_utc) VALUES ('%s', 'T-%c', "
             "%lld, 'C-%c', '%s', '%s', '%s', %lld, '%s', substr('%s', 1, 10), '%s', 'beijing', "
             "'2024.1', 1500, %d, %d, 'cash', '', '', 0)",
             id, t, (long long)seq, t, op, elder, card, (long long)utc, time, time, period, subsidy,
             1500 - subsidy);
    sql(db, q);
    if (subsidy) {
        snprintf(q, sizeof q, "INSERT INTO sale_subsidy VALUES ('%s', 1, 'bj-daily', 'district', %d)",
                 id, subsidy);
        sql(db, q);
    }
    if (voided) {
        snprintf(q, sizeof q, "INSERT INTO sale_void VALUES ('%s', 0, 's1', 'test', 0)", id);
        sql(db, q);
    }
    return id;
}

/* Whether item prints (unformatted) as want. */
static bool prints(const cJSON *item, const char *want)
{
    char *t = cJSON_PrintUnformatted(item);
    bool same = t && strcmp(t, want) == 0;
    if (!same)
        fprintf(stderr, "  got %s, expected %s\n", t ? t : "(null)", want);
    cJSON_free(t);
    return same;
}

static cJSON *report(central_store *st, int which, const char *month, int *rc)
{
    cJSON *o = cJSON_CreateObject();
    zc_err err = {""};
    *rc = which == 0   ? central_report_settlement(st, month, NULL, true, o, &err)
          : which == 1 ? central_report_reconcile(st, month, o, &err)
                       : central_report_anomalies(st, month, o, &err);
    return o;
}

static void t_bad_month(void)
{
    sqlite3 *raw;
    central_store *st = fresh(&raw);
    const char *bad[] = {"2026-13", "2026-1", "26-10", "2026/10", "2026-10-01", "", NULL};
    for (int i = 0; i < 7; i++) {
        cJSON *o = cJSON_CreateObject();
        zc_err err = {""};
        CHECK_INT(central_report_anomalies(st, bad[i], o, &err), ZC_EINVAL);
        CHECK(strstr(err.msg, "YYYY-MM") != NULL);
        cJSON_Delete(o);
    }
    sqlite3_close(raw);
    central_store_close(st);
}

static void t_empty_month(void)
{
    sqlite3 *raw;
    central_store *st = fresh(&raw);
    int rc;
    cJSON *o = report(st, 0, "2028-02", &rc);
    CHECK_OK(rc);
    CHECK_INT(cJSON_GetArraySize(cJSON_GetObjectItem(o, "days")), 29); /* a leap year */
    CHECK_INT(cJSON_GetArraySize(cJSON_GetObjectItem(o, "canteens")), 2); /* zeros listed too */
    CHECK_INT(cJSON_GetNumberValue(cJSON_GetObjectItem(cJSON_GetObjectItem(o, "totals"), "meals")), 0);
    CHECK(cJSON_IsNull(cJSON_GetObjectItem(o, "canteen")));
    CHECK_INT(cJSON_GetArraySize(cJSON_GetObjectItem(o, "ledger")), 0);
    cJSON_Delete(o);
    zc_err err = {""};
    o = cJSON_CreateObject();
    CHECK_INT(central_report_settlement(st, "2026-02", "C-X", false, o, &err), ZC_ENOTFOUND);
    CHECK(strstr(err.msg, "C-X") != NULL);
    cJSON_Delete(o);
    sqlite3_close(raw);
    central_store_close(st);
}

/* A month owns the seqs after the last one known before it, up to the last
 * one known in it - held or named by a closing. */
static void t_seq_range(void)
{
    sqlite3 *raw;
    central_store *st = fresh(&raw);
    for (int s = 1; s <= 24; s++) {
        char t[32];
        if (s == 15 || s == 22) /* 15 in October, 22 after October's last known sale */
            continue;
        snprintf(t, sizeof t, "2026-%02d-%02d 11:30", s <= 10 ? 9 : s <= 20 ? 10 : 11, s);
        sale(raw, 'A', s, t, "c1", "", "", "lunch", 0, false);
    }
    int rc;
    cJSON *o = report(st, 1, "2026-10", &rc), *t;
    CHECK_OK(rc);
    t = cJSON_GetArrayItem(cJSON_GetObjectItem(o, "terminals"), 0);
    CHECK(prints(cJSON_GetObjectItem(t, "missing_seqs"), "[15]"));
    CHECK_INT(cJSON_GetNumberValue(cJSON_GetObjectItem(t, "seq_from")), 11);
    CHECK_STR(cJSON_GetStringValue(cJSON_GetObjectItem(t, "status")), "problems");
    /* no closings were sent for October's eleven days with sales: each is missing */
    CHECK_INT(cJSON_GetArraySize(cJSON_GetObjectItem(t, "missing_closings")), 9);
    cJSON_Delete(o);
    o = report(st, 1, "2026-11", &rc);
    t = cJSON_GetArrayItem(cJSON_GetObjectItem(o, "terminals"), 0);
    CHECK(prints(cJSON_GetObjectItem(t, "missing_seqs"), "[22]"));
    cJSON_Delete(o);
    /* a closing of 2026-10-20 saying the day ended at seq 21: 21 is October's, and held */
    sql(raw, "INSERT INTO closing VALUES ('T-A', '2026-10-20', 1, 1500, 0, 1500, '[]', 21, '', 0)");
    o = report(st, 1, "2026-10", &rc);
    t = cJSON_GetArrayItem(cJSON_GetObjectItem(o, "terminals"), 0);
    CHECK_INT(cJSON_GetNumberValue(cJSON_GetObjectItem(t, "seq_to")), 21);
    CHECK(prints(cJSON_GetObjectItem(t, "missing_seqs"), "[15]"));
    CHECK_INT(cJSON_GetArraySize(cJSON_GetObjectItem(t, "mismatched_days")), 0);
    t = cJSON_GetArrayItem(cJSON_GetObjectItem(o, "terminals"), 1);
    CHECK_STR(cJSON_GetStringValue(cJSON_GetObjectItem(t, "status")), "ok"); /* T-B sold nothing */
    cJSON_Delete(o);
    sqlite3_close(raw);
    central_store_close(st);
}

/* Conflicts and chain breaks are the month's of the held sale they are about. */
static void t_conflicts_and_breaks(void)
{
    sqlite3 *raw;
    central_store *st = fresh(&raw);
    char q[600];
    const char *sep = sale(raw, 'A', 1, "2026-09-30 11:30", "c1", "", "", "lunch", 0, false);
    snprintf(q, sizeof q, "INSERT INTO conflict (terminal_id, sale_id, kind, held_id, held_text, "
             "sent_text, received_utc) VALUES ('T-A', 'x-sep', 'same_id', '%s', '', '', 5)", sep);
    sql(raw, q);
    const char *oct = sale(raw, 'A', 2, "2026-10-01 11:30", "c1", "", "", "lunch", 0, false);
    snprintf(q, sizeof q, "INSERT INTO conflict (terminal_id, sale_id, kind, held_id, held_text, "
             "sent_text, received_utc) VALUES ('T-A', 'x-oct', 'same_seq', '%s', '', '', 7)", oct);
    sql(raw, q);
    sql(raw, "INSERT INTO chain_break VALUES ('T-A', 2, 'aaaa', 'bbbb', 9)");
    int rc;
    cJSON *o = report(st, 1, "2026-10", &rc), *t;
    CHECK_OK(rc);
    t = cJSON_GetArrayItem(cJSON_GetObjectItem(o, "terminals"), 0);
    CHECK(prints(cJSON_GetObjectItem(t, "conflicts"), "[{\"sale_id\":\"x-oct\",\"kind\":\"same_seq\","
                                                       "\"received_utc\":7}]"));
    CHECK(prints(cJSON_GetObjectItem(t, "chain_breaks"), "[{\"seq\":2,\"expected\":\"aaaa\","
                                                          "\"got\":\"bbbb\"}]"));
    CHECK_STR(cJSON_GetStringValue(cJSON_GetObjectItem(t, "status")), "problems");
    /* missing closings for 10-01, the conflict, the break: one sentence each */
    CHECK_INT(cJSON_GetArraySize(cJSON_GetObjectItem(t, "why")), 3);
    cJSON_Delete(o);
    o = report(st, 1, "2026-09", &rc);
    t = cJSON_GetArrayItem(cJSON_GetObjectItem(o, "terminals"), 0);
    CHECK_INT(cJSON_GetArraySize(cJSON_GetObjectItem(t, "conflicts")), 1);
    CHECK_INT(cJSON_GetArraySize(cJSON_GetObjectItem(t, "chain_breaks")), 0);
    cJSON_Delete(o);
    sqlite3_close(raw);
    central_store_close(st);
}

/* Counts anomalies of kind in the report. */
static int count(cJSON *o, const char *kind)
{
    return (int)cJSON_GetNumberValue(cJSON_GetObjectItem(cJSON_GetObjectItem(o, "counts"), kind));
}

static void t_void_rate(void)
{
    sqlite3 *raw;
    central_store *st = fresh(&raw);
    int64_t seq = 0;
    /* c1..c4 at C-A: 40 sales each, 1 void; c5: 40 sales, 5 voids (12.5% > 3 x 2.5%);
     * C-B's c1: 10 sales, 4 voids (40%, but fewer than 5) */
    for (int c = 1; c <= 5; c++)
        for (int i = 0; i < 40; i++) {
            char op[16];
            snprintf(op, sizeof op, "c%d", c);
            sale(raw, 'A', ++seq, "2026-10-05 11:30", op, "", "", "lunch", 0, i < (c == 5 ? 5 : 1));
        }
    for (int i = 0; i < 10; i++)
        sale(raw, 'B', i + 1, "2026-10-05 11:30", "c1", "", "", "lunch", 0, i < 4);
    int rc;
    cJSON *o = report(st, 2, "2026-10", &rc), *a;
    CHECK_OK(rc);
    CHECK_INT(count(o, "void_rate"), 1);
    a = cJSON_GetArrayItem(cJSON_GetObjectItem(o, "anomalies"), 0);
    CHECK_STR(cJSON_GetStringValue(cJSON_GetObjectItem(a, "operator")), "c5");
    CHECK(strstr(cJSON_GetStringValue(cJSON_GetObjectItem(a, "why")), "5 of 40 sales voided") != NULL);
    CHECK(strstr(cJSON_GetStringValue(cJSON_GetObjectItem(a, "why_zh")), "本月作废 5 / 40 笔") != NULL);
    cJSON_Delete(o);
    /* with one void fewer (4) c5 is no longer flagged (the store refuses
     * to forget a void; the test drops that guard to set the case) */
    sql(raw, "DROP TRIGGER sale_void_no_delete");
    sql(raw, "DELETE FROM sale_void WHERE sale_id IN (SELECT id FROM sale WHERE operator_id = 'c5' "
             "AND terminal_id = 'T-A' LIMIT 1)");
    o = report(st, 2, "2026-10", &rc);
    CHECK_INT(count(o, "void_rate"), 0);
    cJSON_Delete(o);
    sqlite3_close(raw);
    central_store_close(st);
}

static void t_windows(void)
{
    sqlite3 *raw;
    central_store *st = fresh(&raw);
    sale(raw, 'A', 1, "2026-10-05 11:30", "c1", "E1", "", "lunch", 500, false);  /* fine */
    sale(raw, 'A', 2, "2026-10-05 15:00", "c1", "", "", "", 0, false);           /* public: fine */
    sale(raw, 'A', 3, "2026-10-05 15:00", "c1", "E2", "", "", 0, false);         /* outside */
    sale(raw, 'A', 4, "2026-10-05 17:30", "c1", "E3", "", "lunch", 500, false);  /* wrong period */
    sale(raw, 'A', 5, "2026-10-05 15:30", "c1", "E4", "", "lunch", 500, true);   /* voided */
    int rc;
    cJSON *o = report(st, 2, "2026-10", &rc), *a;
    CHECK_OK(rc);
    CHECK_INT(count(o, "outside_window"), 2);
    a = cJSON_GetObjectItem(o, "anomalies");
    CHECK_STR(cJSON_GetStringValue(cJSON_GetObjectItem(cJSON_GetArrayItem(a, 0), "elder_id")), "E2");
    CHECK(strstr(cJSON_GetStringValue(cJSON_GetObjectItem(cJSON_GetArrayItem(a, 1), "why")),
                 "in the dinner window, but recorded as lunch") != NULL);
    CHECK(strstr(cJSON_GetStringValue(cJSON_GetObjectItem(cJSON_GetArrayItem(a, 1), "why_zh")),
                 "在 dinner 时段内，收银台却记为 lunch") != NULL);
    cJSON_Delete(o);
    sqlite3_close(raw);
    central_store_close(st);
}

/* Issue 14: a sale whose local_time was set a year back but whose
 * created_utc is 10 minutes after a sale at another canteen: the anomaly
 * prints the created_utc times it measured, not "0 minutes" between
 * local times a year apart. */
static void t_card_pair_real_times(void)
{
    sqlite3 *raw;
    central_store *st = fresh(&raw);
    sale(raw, 'A', 1, "2026-11-23 11:30", "c1", "E1", "00000000A1", "lunch", 500, false);
    sale(raw, 'B', 1, "2025-11-23 11:30", "c1", "E1", "00000000A1", "lunch", 0, false);
    sql(raw, "DROP TRIGGER sale_no_change");
    sql(raw, "UPDATE sale SET created_utc = strftime('%s', '2026-11-23 03:30:00') "
             "WHERE terminal_id = 'T-A'"); /* 11:30 in Beijing, as its local time says */
    sql(raw, "UPDATE sale SET created_utc = (SELECT created_utc FROM sale WHERE terminal_id = 'T-A') "
             "+ 600 WHERE terminal_id = 'T-B'");
    int rc;
    cJSON *o = report(st, 2, "2025-11", &rc);
    CHECK_INT(count(o, "card_two_canteens"), 1);
    const char *why = "";
    const cJSON *r;
    cJSON_ArrayForEach(r, cJSON_GetObjectItem(o, "anomalies"))
        if (strcmp(cJSON_GetStringValue(cJSON_GetObjectItem(r, "kind")), "card_two_canteens") == 0)
            why = cJSON_GetStringValue(cJSON_GetObjectItem(r, "why"));
    CHECK(strstr(why, "at 2026-11-23 11:30 (sale") != NULL);
    CHECK(strstr(why, "at 2026-11-23 11:40, 10 minutes later") != NULL);
    CHECK(strstr(why, "local times say otherwise") != NULL);
    cJSON_Delete(o);
    sqlite3_close(raw);
    central_store_close(st);
}

static void t_card_pair_across_months(void)
{
    sqlite3 *raw;
    central_store *st = fresh(&raw);
    sale(raw, 'A', 1, "2026-10-31 18:50", "c1", "E1", "00000000A1", "dinner", 500, false);
    sale(raw, 'B', 1, "2026-11-01 07:10", "c1", "E1", "00000000A1", "breakfast", 0, false);
    /* both moments are made up by sale(): put them 20 minutes apart (the
     * store refuses to change a sale; the test drops that guard) */
    sql(raw, "DROP TRIGGER sale_no_change");
    sql(raw, "UPDATE sale SET created_utc = (SELECT created_utc FROM sale WHERE terminal_id = 'T-A') "
             "+ 1200 WHERE terminal_id = 'T-B'");
    int rc;
    cJSON *o = report(st, 2, "2026-10", &rc);
    CHECK_INT(count(o, "card_two_canteens"), 0);
    cJSON_Delete(o);
    o = report(st, 2, "2026-11", &rc);
    CHECK_INT(count(o, "card_two_canteens"), 1);
    cJSON_Delete(o);
    /* 31 minutes apart: not flagged */
    sql(raw, "UPDATE sale SET created_utc = created_utc + 660 WHERE terminal_id = 'T-B'");
    o = report(st, 2, "2026-11", &rc);
    CHECK_INT(count(o, "card_two_canteens"), 0);
    cJSON_Delete(o);
    sqlite3_close(raw);
    central_store_close(st);
}

static void t_plans_use_indexes(void)
{
    sqlite3 *raw;
    central_store *st = fresh(&raw);
    static char plans[32768];
    zc_err err = {""};
    CHECK_OK(central_store_month_plans(st, plans, sizeof plans, &err));
    CHECK(strstr(plans, "settlement canteens: SEARCH s USING COVERING INDEX sale_month") != NULL);
    CHECK(strstr(plans, "cashiers: SEARCH s USING COVERING INDEX sale_month") != NULL);
    CHECK(strstr(plans, "USING INDEX sale_card_time (card_uid=? AND created_utc>? AND created_utc<?)") != NULL);
    CHECK(strstr(plans, "USING INDEX sale_terminal_date_seq (terminal_id=? AND local_date>?") != NULL);
    /* no month read scans the sales table */
    CHECK(strstr(plans, "SCAN s\n") == NULL && strstr(plans, "SCAN s ") == NULL);
    if (strstr(plans, "SCAN s\n") || strstr(plans, "SCAN s "))
        fputs(plans, stderr);
    sqlite3_close(raw);
    central_store_close(st);
}

static const check_case cases[] = {
    {"bad_month", t_bad_month},
    {"empty_month", t_empty_month},
    {"seq_range", t_seq_range},
    {"conflicts_and_breaks", t_conflicts_and_breaks},
    {"void_rate", t_void_rate},
    {"windows", t_windows},
    {"card_pair_across_months", t_card_pair_across_months},
    {"card_pair_real_times", t_card_pair_real_times},
    {"plans_use_indexes", t_plans_use_indexes},
    {NULL, NULL},
};

int main(int argc, char **argv)
{
    zc_err err = {""};
    if (!mkdtemp(dir) || zc_tz_set("Asia/Shanghai", &err) != ZC_OK) {
        printf("test_creport: 0 passed, 1 failed\n");
        return 1;
    }
    int rc = check_main("test_creport", cases, argc, argv);
    char cmd[400];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    if (system(cmd) != 0)
        fprintf(stderr, "could not remove %s\n", dir);
    return rc;
}
