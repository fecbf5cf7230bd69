/* bench_creport.c - `make bench`: the month reports over a large district's
 * year: SALES sales (default 10,000,000) from 1,500 canteens with two
 * terminals each, 300,000 elders, 2025-11-01 to 2026-10-31.
 *
 * The database is generated straight into the centre's schema with bulk
 * SQL (one transaction, prepared statements, the sale indexes dropped while
 * loading and rebuilt after) - it bypasses ingest (no hashes, re-quotes or
 * chains: those have their own benchmark), and keeps what the reports read:
 * sales, subsidy parts, voids (1 %), double-use flags (0.05 %), daily
 * closings, a few sales outside the meal windows and a few elders eating at
 * a second canteen.  It is cached as build/bench/creport-SALES.db so a rerun
 * only measures.
 *
 * Measured for October 2026 (one month, about SALES/12 sales), each the
 * real function the commands call: settlement (without the ledger, whose
 * size is the month's sales), reconcile, anomalies.  Prints seconds and the
 * month's sales per second, and the query plans (the indexes of
 * db/central/002_reports.sql). */
#include <cjson/cJSON.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "../app/central/creport.h"
#include "../app/central/cstore_month.h"
#include "../app/core/embed.h"

#define CANTEENS 1500
#define TERMS_PER 2
#define ELDERS 300000
#define DAYS 365
#define MONTH "2026-10"

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static uint64_t rng_state = 0x2545f4914f6cdd1dull;
static uint32_t rnd(uint32_t n)
{
    rng_state ^= rng_state << 13;
    rng_state ^= rng_state >> 7;
    rng_state ^= rng_state << 17;
    return (uint32_t)((rng_state >> 11) % n);
}

static int ex(sqlite3 *db, const char *sql)
{
    char *msg = NULL;
    if (sqlite3_exec(db, sql, NULL, NULL, &msg) != SQLITE_OK) {
        fprintf(stderr, "bench_creport: %s: %s\n", sql, msg ? msg : "?");
        sqlite3_free(msg);
        return -1;
    }
    return 0;
}

static sqlite3_stmt *prep(sqlite3 *db, const char *sql)
{
    sqlite3_stmt *s = NULL;
    if (sqlite3_prepare_v2(db, sql, -1, &s, NULL) != SQLITE_OK)
        fprintf(stderr, "bench_creport: %s: %s\n", sql, sqlite3_errmsg(db));
    return s;
}

static int step(sqlite3 *db, sqlite3_stmt *s)
{
    int rc = sqlite3_step(s);
    sqlite3_reset(s);
    if (rc != SQLITE_DONE) {
        fprintf(stderr, "bench_creport: insert: %s\n", sqlite3_errmsg(db));
        return -1;
    }
    return 0;
}

/* One terminal's day, for its closing. */
typedef struct tday {
    int64_t count, gross, subsidy, pay, last_seq;
} tday;

/* Creates the schema through the store, then bulk-loads it. */
static int generate(const char *path, long sales)
{
    central_store *st = NULL;
    zc_err err = {""};
    const char *pol = embed_get("db/policies/beijing.json");
    bool existed;
    if (central_store_open(path, CENTRAL_STORE_CREATE, &st, &err) != ZC_OK ||
        central_store_policy_publish(st, pol, strlen(pol), &existed, &err) != ZC_OK) {
        fprintf(stderr, "bench_creport: %s\n", err.msg);
        central_store_close(st);
        return -1;
    }
    central_store_close(st);
    sqlite3 *db = NULL;
    if (sqlite3_open(path, &db) != SQLITE_OK)
        return -1;
    /* keep the sale indexes' SQL, drop them, load, rebuild */
    char *idx[16];
    int nidx = 0;
    sqlite3_stmt *s = prep(db, "SELECT sql FROM sqlite_master WHERE type = 'index' AND tbl_name = "
                               "'sale' AND sql IS NOT NULL");
    while (s && sqlite3_step(s) == SQLITE_ROW && nidx < 16)
        idx[nidx++] = strdup((const char *)sqlite3_column_text(s, 0));
    sqlite3_finalize(s);
    if (ex(db, "PRAGMA synchronous = OFF; PRAGMA cache_size = -1000000; BEGIN"))
        return -1;
    for (int i = 0; i < nidx; i++) {
        char drop[200], name[100];
        if (sscanf(idx[i], "CREATE INDEX %99s", name) != 1 &&
            sscanf(idx[i], "CREATE UNIQUE INDEX %99s", name) != 1)
            continue;
        snprintf(drop, sizeof drop, "DROP INDEX %s", name);
        if (ex(db, drop))
            return -1;
    }
    sqlite3_stmt *c = prep(db, "INSERT INTO canteen (id, name, city, district, town, created_utc) "
                               "VALUES (?1, ?2, '110000', '110105', '110105010', 0)");
    sqlite3_stmt *t = prep(db, "INSERT INTO terminal (id, canteen_id, token_hash, created_utc) VALUES "
                               "(?1, ?2, '" ZC_ZERO_HASH "', 0)");
    sqlite3_stmt *e = prep(db, "INSERT INTO elder (id, name, birth, reg_city, fingerprint, change_no, "
                               "updated_utc) VALUES (?1, ?2, '1940-01-01', '110000', '', ?3, 0)");
    sqlite3_stmt *sa = prep(db,
        "INSERT INTO sale (id, terminal_id, seq, canteen_id, operator_id, elder_id, card_uid, "
        "created_utc, local_time, local_date, period, policy_id, policy_version, gross_fen, "
        "subsidy_fen, pay_fen, pay_method, prev_hash, hash, received_utc) VALUES (?1, ?2, ?3, ?4, "
        "?5, ?6, ?7, ?8, ?9, ?10, ?11, 'beijing', '2024.1', ?12, ?13, ?14, 'cash', '" ZC_ZERO_HASH
        "', '" ZC_ZERO_HASH "', ?8)");
    sqlite3_stmt *pa = prep(db, "INSERT INTO sale_subsidy VALUES (?1, 1, 'bj-daily', 'district', ?2)");
    sqlite3_stmt *vo = prep(db, "INSERT INTO sale_void VALUES (?1, ?2, 's1', 'bench', ?2)");
    sqlite3_stmt *fl = prep(db, "INSERT INTO flag VALUES (?1, 'double_use', 'bench: used at another "
                                "canteen the same day', ?2)");
    sqlite3_stmt *cl = prep(db, "INSERT INTO closing VALUES (?1, ?2, ?3, ?4, ?5, ?6, '[]', ?7, '"
                                ZC_ZERO_HASH "', 0)");
    if (!c || !t || !e || !sa || !pa || !vo || !fl || !cl)
        return -1;
    char id[64], tid[32], cid[32], name[64], card[16], ltime[24], ldate[16], op[16];
    for (int i = 0; i < CANTEENS; i++) {
        snprintf(cid, sizeof cid, "C-%04d", i);
        snprintf(name, sizeof name, "社区食堂%d", i);
        sqlite3_bind_text(c, 1, cid, -1, SQLITE_TRANSIENT);
        sqlite3_bind_text(c, 2, name, -1, SQLITE_TRANSIENT);
        if (step(db, c))
            return -1;
        for (int k = 0; k < TERMS_PER; k++) {
            snprintf(tid, sizeof tid, "T-%04d-%d", i, k);
            sqlite3_bind_text(t, 1, tid, -1, SQLITE_TRANSIENT);
            sqlite3_bind_text(t, 2, cid, -1, SQLITE_TRANSIENT);
            if (step(db, t))
                return -1;
        }
    }
    for (int i = 0; i < ELDERS; i++) {
        snprintf(id, sizeof id, "E%07d", i);
        snprintf(name, sizeof name, "老人%d", i);
        sqlite3_bind_text(e, 1, id, -1, SQLITE_TRANSIENT);
        sqlite3_bind_text(e, 2, name, -1, SQLITE_TRANSIENT);
        sqlite3_bind_int(e, 3, i + 1);
        if (step(db, e))
            return -1;
    }
    int nterm = CANTEENS * TERMS_PER;
    int64_t *seq = calloc((size_t)nterm, sizeof *seq);
    tday *td = calloc((size_t)nterm, sizeof *td);
    zc_date first = {2025, 11, 1};
    int64_t day0 = zc_days_from_civil(first), n = 0;
    for (int d = 0; d < DAYS; d++) {
        zc_date date = zc_civil_from_days(day0 + d);
        long today = sales / DAYS + (d < sales % DAYS);
        zc_date_fmt(date, ldate, sizeof ldate);
        /* China keeps no daylight saving: a day's moments are its midnight plus minutes */
        int64_t midnight = zc_tz_epoch((zc_datetime){date, 0, 0});
        memset(td, 0, sizeof *td * (size_t)nterm);
        for (long k = 0; k < today; k++, n++) {
            int can = (int)rnd(CANTEENS), term = can * TERMS_PER + (int)rnd(TERMS_PER);
            bool elder = rnd(10) < 7, lunch = rnd(2), outside = rnd(2000) == 0;
            int eld = (int)(rnd(ELDERS / CANTEENS) * CANTEENS + (uint32_t)can);
            if (rnd(500) == 0) /* a second canteen */
                eld = (int)rnd(ELDERS);
            zc_datetime at = {date, outside ? 15 : lunch ? 11 + (int)rnd(2) : 17 + (int)rnd(2),
                              (int)rnd(60)};
            int64_t gross = 800 + rnd(10) * 100, sub = elder ? 500 : 0;
            snprintf(id, sizeof id, "%016llx-bench", (unsigned long long)n);
            snprintf(tid, sizeof tid, "T-%04d-%d", can, term % TERMS_PER);
            snprintf(cid, sizeof cid, "C-%04d", can);
            snprintf(op, sizeof op, "c%u", rnd(4) + 1);
            snprintf(name, sizeof name, "E%07d", eld);
            snprintf(card, sizeof card, "%010X", (unsigned)eld + 0x100000u);
            zc_datetime_fmt(at, ltime, sizeof ltime);
            int64_t utc = midnight + at.hh * 3600 + at.mm * 60;
            sqlite3_bind_text(sa, 1, id, -1, SQLITE_TRANSIENT);
            sqlite3_bind_text(sa, 2, tid, -1, SQLITE_TRANSIENT);
            sqlite3_bind_int64(sa, 3, ++seq[term]);
            sqlite3_bind_text(sa, 4, cid, -1, SQLITE_TRANSIENT);
            sqlite3_bind_text(sa, 5, op, -1, SQLITE_TRANSIENT);
            sqlite3_bind_text(sa, 6, elder ? name : "", -1, SQLITE_TRANSIENT);
            sqlite3_bind_text(sa, 7, elder ? card : "", -1, SQLITE_TRANSIENT);
            sqlite3_bind_int64(sa, 8, utc);
            sqlite3_bind_text(sa, 9, ltime, -1, SQLITE_TRANSIENT);
            sqlite3_bind_text(sa, 10, ldate, -1, SQLITE_TRANSIENT);
            sqlite3_bind_text(sa, 11, outside ? "" : lunch ? "lunch" : "dinner", -1, SQLITE_STATIC);
            sqlite3_bind_int64(sa, 12, gross);
            sqlite3_bind_int64(sa, 13, sub);
            sqlite3_bind_int64(sa, 14, gross - sub);
            if (step(db, sa))
                return -1;
            if (sub) {
                sqlite3_bind_text(pa, 1, id, -1, SQLITE_TRANSIENT);
                sqlite3_bind_int64(pa, 2, sub);
                if (step(db, pa))
                    return -1;
            }
            td[term].last_seq = seq[term];
            if (rnd(100) == 0) {
                sqlite3_bind_text(vo, 1, id, -1, SQLITE_TRANSIENT);
                sqlite3_bind_int64(vo, 2, utc + 600);
                if (step(db, vo))
                    return -1;
                continue;
            }
            if (elder && rnd(2000) == 0) {
                sqlite3_bind_text(fl, 1, id, -1, SQLITE_TRANSIENT);
                sqlite3_bind_int64(fl, 2, utc);
                if (step(db, fl))
                    return -1;
            }
            td[term].count++;
            td[term].gross += gross;
            td[term].subsidy += sub;
            td[term].pay += gross - sub;
        }
        for (int k = 0; k < nterm; k++) {
            if (!td[k].last_seq)
                continue;
            snprintf(tid, sizeof tid, "T-%04d-%d", k / TERMS_PER, k % TERMS_PER);
            sqlite3_bind_text(cl, 1, tid, -1, SQLITE_TRANSIENT);
            sqlite3_bind_text(cl, 2, ldate, -1, SQLITE_TRANSIENT);
            sqlite3_bind_int64(cl, 3, td[k].count);
            sqlite3_bind_int64(cl, 4, td[k].gross);
            sqlite3_bind_int64(cl, 5, td[k].subsidy);
            sqlite3_bind_int64(cl, 6, td[k].pay);
            sqlite3_bind_int64(cl, 7, td[k].last_seq);
            if (step(db, cl))
                return -1;
        }
    }
    free(seq);
    free(td);
    sqlite3_stmt *all[] = {c, t, e, sa, pa, vo, fl, cl};
    for (size_t i = 0; i < sizeof all / sizeof all[0]; i++)
        sqlite3_finalize(all[i]);
    for (int i = 0; i < nidx; i++) {
        if (ex(db, idx[i]))
            return -1;
        free(idx[i]);
    }
    int rc = ex(db, "COMMIT; ANALYZE");
    sqlite3_close(db);
    return rc;
}

/* Times one report; prints seconds and the month's sales per second. */
static int timed(central_store *st, const char *what, int which, long month_sales, double *secs)
{
    cJSON *o = cJSON_CreateObject();
    zc_err err = {""};
    double t0 = now_s();
    int rc = which == 0   ? central_report_settlement(st, MONTH, NULL, false, o, &err)
             : which == 1 ? central_report_reconcile(st, MONTH, o, &err)
                          : central_report_anomalies(st, MONTH, o, &err);
    double dt = now_s() - t0;
    *secs = dt;
    if (rc != ZC_OK) {
        fprintf(stderr, "bench_creport: %s: %s\n", what, err.msg);
        cJSON_Delete(o);
        return -1;
    }
    char extra[200] = "";
    if (which == 0)
        snprintf(extra, sizeof extra, "; claim %.0f meals, %.2f yuan",
                 cJSON_GetNumberValue(cJSON_GetObjectItem(cJSON_GetObjectItem(o, "totals"), "meals")),
                 cJSON_GetNumberValue(cJSON_GetObjectItem(cJSON_GetObjectItem(o, "totals"),
                                                          "subsidy_fen")) / 100);
    else if (which == 1)
        snprintf(extra, sizeof extra, "; %d terminals",
                 cJSON_GetArraySize(cJSON_GetObjectItem(o, "terminals")));
    else
        snprintf(extra, sizeof extra, "; %d anomalies",
                 cJSON_GetArraySize(cJSON_GetObjectItem(o, "anomalies")));
    printf("%s %s: %.2f s, %.0f sales/s%s\n", what, MONTH, dt, month_sales / dt, extra);
    cJSON_Delete(o);
    return 0;
}

/* Seconds to run the month's per-canteen sums (the core of the claim) with
 * `how` ("INDEXED BY sale_month" or "NOT INDEXED"), < 0 on failure. */
static double sums(const char *path, const char *how)
{
    sqlite3 *db = NULL;
    sqlite3_stmt *s = NULL;
    char q[400];
    double dt = -1;
    snprintf(q, sizeof q, "SELECT canteen_id, count(*), sum(gross_fen), sum(subsidy_fen), "
             "sum(pay_fen) FROM sale %s WHERE local_date BETWEEN '" MONTH "-01' AND '" MONTH
             "-31' GROUP BY canteen_id", how);
    if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL) == SQLITE_OK && (s = prep(db, q))) {
        double t0 = now_s();
        int rc;
        while ((rc = sqlite3_step(s)) == SQLITE_ROW)
            ;
        if (rc == SQLITE_DONE)
            dt = now_s() - t0;
    }
    sqlite3_finalize(s);
    sqlite3_close(db);
    return dt;
}

int main(void)
{
    const char *b = getenv("BUILD");
    const char *env = getenv("SALES");
    char *end = NULL;
    long sales = env ? strtol(env, &end, 10) : 10000000;
    if (env && (end == env || *end || sales < DAYS || sales > 200000000)) {
        fprintf(stderr, "bench_creport: SALES must be %d to 200000000\n", DAYS);
        return 1;
    }
    char dirpath[256], path[320];
    snprintf(dirpath, sizeof dirpath, "%s/bench", b ? b : "build");
    snprintf(path, sizeof path, "%s/creport-%ld.db", dirpath, sales);
    mkdir(dirpath, 0755);
    zc_err err = {""};
    if (zc_tz_set("Asia/Shanghai", &err) != ZC_OK)
        return 1;
    if (access(path, F_OK) != 0) {
        double t0 = now_s();
        if (generate(path, sales)) {
            unlink(path);
            return 1;
        }
        double dt = now_s() - t0;
        printf("generated %ld sales in %.1f s (%.0f sales/s, bulk SQL, cached as %s)\n", sales, dt,
               sales / dt, path);
    } else {
        printf("using %s (%ld sales; delete it to generate again)\n", path, sales);
    }
    central_store *st = NULL;
    if (central_store_open(path, 0, &st, &err) != ZC_OK) {
        fprintf(stderr, "bench_creport: %s\n", err.msg);
        return 1;
    }
    long month_sales = sales / DAYS * 31;
    static char plans[32768];
    double ts = 0, t = 0;
    int rc = timed(st, "settlement", 0, month_sales, &ts) ||
             timed(st, "reconcile", 1, month_sales, &t) || timed(st, "anomalies", 2, month_sales, &t);
    /* what the index buys: the claim's core sums through sale_month against a scan of the
     * whole sale table, in the same run */
    double with = rc == 0 ? sums(path, "INDEXED BY sale_month") : -1;
    double without = rc == 0 ? sums(path, "NOT INDEXED") : -1;
    if (with > 0 && without > 0)
        printf("per-canteen sums of the month: %.2f s through sale_month, %.2f s scanning the year "
               "(NOT INDEXED): %.1fx faster; the whole settlement (sources, days too) %.2f s\n",
               with, without, without / with, ts);
    if (rc == 0 && central_store_month_plans(st, plans, sizeof plans, &err) == ZC_OK)
        printf("query plans:\n%s", plans);
    central_store_close(st);
    return rc ? 1 : 0;
}
