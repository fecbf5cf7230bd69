/* bench_core.c - `make bench`: the core figures with a 1-million-elder roster.
 *
 *  1. roster import rows/s, against a bare SQLite bulk insert of the same rows
 *     into a table of the same shape (same pragmas, one transaction);
 *  2. card lookup + quote latency p50/p99 (target p99 <= 1 ms);
 *  3. durable sale commit p50/p99, against a bare INSERT + COMMIT with the
 *     same pragmas (WAL, synchronous=FULL) measured in the same run.
 * ELDERS (env) overrides the roster size for a quick run. */
#include <pthread.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "../app/core/embed.h"
#include "../app/till/till.h"

#define LOOKUPS 20000
#define COMMITS 300

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

static double pct(double *v, int n, double p)
{
    qsort(v, (size_t)n, sizeof *v, cmp_double);
    int i = (int)(p * (n - 1));
    return v[i];
}

static uint64_t rng_state = 0x9e3779b97f4a7c15ULL;
static uint64_t rnd(void)
{
    uint64_t z = (rng_state += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

static uint64_t card_of(long i) { return 0xB000000000ULL + (uint64_t)i * 7919u; }

/* Writes an n-row roster CSV with valid ID numbers. */
static int write_roster(const char *path, long n)
{
    FILE *f = fopen(path, "w");
    if (!f)
        return -1;
    fputs("elder_id,name,id_number,birth_date,gender,phone,reg_city,reg_district,categories,cards\n", f);
    for (long i = 0; i < n; i++) {
        /* unique (birth date, sequence) pairs: a date per thousand rows, spread
         * over 40 years (13 is coprime with 14600), the sequence's parity gives
         * the gender as in a real ID number */
        zc_date birth = zc_civil_from_days(zc_days_from_civil((zc_date){1926, 1, 1}) + (i / 1000) * 13 % 14600);
        long seq = i % 1000;
        char id17[18], uid[11];
        snprintf(id17, sizeof id17, "110114%04d%02d%02d%03ld", birth.y, birth.m, birth.d, seq);
        const char *cat = i % 10 == 0 ? "dibao" : i % 7 == 0 ? "living_alone" : "";
        fprintf(f, "B%07ld,王%s,%s%c,%04d-%02d-%02d,%c,139%08ld,110000,110105,%s,%s\n", i,
                seq % 2 ? "建国" : "秀英", id17, zc_idnum_check_char(id17), birth.y, birth.m, birth.d,
                seq % 2 ? 'M' : 'F', i, cat, zc_card_uid_fmt(card_of(i), uid, sizeof uid));
    }
    return fclose(f);
}

/* Bare baseline: the same CSV rows split on commas, inserted as text into
 * tables of the same shape with the same indexes, one transaction. */
static double bare_import(const char *dir, const char *csv, long n)
{
    char path[512], line[1024];
    sqlite3 *db;
    sqlite3_stmt *e, *c;
    snprintf(path, sizeof path, "%s/bare.db", dir);
    sqlite3_open(path, &db);
    sqlite3_exec(db,
                 "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;"
                 "CREATE TABLE e(id TEXT PRIMARY KEY, name TEXT, idh TEXT, last4 TEXT, birth TEXT, g TEXT,"
                 " phone TEXT, rc TEXT, rd TEXT, cats TEXT);"
                 "CREATE INDEX e_l4 ON e(last4); CREATE INDEX e_h ON e(idh); CREATE INDEX e_p ON e(phone);"
                 "CREATE INDEX e_n ON e(name);"
                 "CREATE TABLE c(uid TEXT PRIMARY KEY, lo24 INTEGER, lo32 INTEGER, eid TEXT);"
                 "CREATE INDEX c_lo24 ON c(lo24);",
                 NULL, NULL, NULL);
    sqlite3_prepare_v2(db, "INSERT INTO e VALUES(?,?,?,?,?,?,?,?,?,?)", -1, &e, NULL);
    sqlite3_prepare_v2(db, "INSERT INTO c VALUES(?,?,?,?)", -1, &c, NULL);
    FILE *f = fopen(csv, "r");
    double t0 = now_s();
    sqlite3_exec(db, "BEGIN", NULL, NULL, NULL);
    if (!fgets(line, sizeof line, f))
        return 0;
    long i = 0;
    while (fgets(line, sizeof line, f)) {
        char *fld[10];
        int k = 0;
        char *p = line;
        fld[k++] = p;
        for (; *p && k < 10; p++)
            if (*p == ',') {
                *p = '\0';
                fld[k++] = p + 1;
            }
        p = strchr(fld[9], '\n');
        if (p)
            *p = '\0';
        for (int j = 0; j < 10; j++)
            sqlite3_bind_text(e, j + 1, fld[j], -1, SQLITE_STATIC);
        sqlite3_bind_text(e, 4, fld[2] + 14, -1, SQLITE_STATIC);
        sqlite3_step(e);
        sqlite3_reset(e);
        sqlite3_bind_text(c, 1, fld[9], -1, SQLITE_STATIC);
        sqlite3_bind_int64(c, 2, (int64_t)(card_of(i) & 0xFFFFFF));
        sqlite3_bind_int64(c, 3, (int64_t)(card_of(i) & 0xFFFFFFFF));
        sqlite3_bind_text(c, 4, fld[0], -1, SQLITE_STATIC);
        sqlite3_step(c);
        sqlite3_reset(c);
        i++;
    }
    sqlite3_exec(db, "COMMIT", NULL, NULL, NULL);
    double dt = now_s() - t0;
    fclose(f);
    sqlite3_finalize(e);
    sqlite3_finalize(c);
    sqlite3_close(db);
    return i == n ? dt : 0;
}

/* The kiosk's checkpointer stand-in: PASSIVE checkpoints every 50 ms on
 * its own connection, as the kiosk does when idle (store_checkpoint). */
static volatile int ckpt_stop;
static void *checkpointer(void *arg)
{
    sqlite3 *db = NULL;
    if (sqlite3_open((const char *)arg, &db) == SQLITE_OK) {
        while (!ckpt_stop) {
            sqlite3_wal_checkpoint_v2(db, NULL, SQLITE_CHECKPOINT_PASSIVE, NULL, NULL);
            usleep(50000);
        }
    }
    sqlite3_close(db);
    return NULL;
}

/* Bare baseline for a durable commit: one INSERT + COMMIT per row. */
static void bare_commits(const char *dir, double *lat, int n)
{
    char path[512];
    sqlite3 *db;
    sqlite3_stmt *s;
    snprintf(path, sizeof path, "%s/commit.db", dir);
    sqlite3_open(path, &db);
    sqlite3_exec(db,
                 "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;"
                 "CREATE TABLE s(id TEXT PRIMARY KEY, seq INTEGER UNIQUE, gross INTEGER, pay INTEGER, h TEXT);",
                 NULL, NULL, NULL);
    sqlite3_prepare_v2(db, "INSERT INTO s VALUES(?,?,1500,1000,'x')", -1, &s, NULL);
    for (int i = 0; i < n; i++) {
        char id[ZC_UUID_LEN];
        zc_uuid4(id);
        double t0 = now_s();
        sqlite3_exec(db, "BEGIN IMMEDIATE", NULL, NULL, NULL);
        sqlite3_bind_text(s, 1, id, -1, SQLITE_TRANSIENT);
        sqlite3_bind_int(s, 2, i + 1);
        sqlite3_step(s);
        sqlite3_reset(s);
        sqlite3_exec(db, "COMMIT", NULL, NULL, NULL);
        lat[i] = now_s() - t0;
    }
    sqlite3_finalize(s);
    sqlite3_close(db);
}

int main(void)
{
    long n = 1000000;
    const char *env = getenv("ELDERS");
    char dir[] = "/tmp/zhucan-bench.XXXXXX", csv[512], dbp[512], cmd[600];
    till_t *t = NULL;
    zc_err err = {{0}};
    static double lat[LOOKUPS], base[COMMITS];
    int rc = 1;

    if (env)
        n = strtol(env, NULL, 10);
    if (n < 1000)
        n = 1000;
    if (!mkdtemp(dir) || zc_secure_init() != 0)
        return 1;
    snprintf(csv, sizeof csv, "%s/roster.csv", dir);
    snprintf(dbp, sizeof dbp, "%s/t.db", dir);
    if (write_roster(csv, n) != 0)
        goto out;

    /* 1. roster import */
    if (till_open(dbp, STORE_CREATE, &t, &err) != ZC_OK ||
        store_demo_fill(till_store(t), embed_get("db/policies/beijing.json"), 0, 1, &err) != ZC_OK) {
        fprintf(stderr, "setup: %s\n", err.msg);
        goto out;
    }
    FILE *f = fopen(csv, "r");
    long rows = 0;
    double t0 = now_s();
    if (!f || store_roster_import(till_store(t), f, stderr, &rows, &err) != ZC_OK) {
        fprintf(stderr, "import: %s\n", err.msg);
        goto out;
    }
    double dt_imp = now_s() - t0;
    fclose(f);
    double dt_bare = bare_import(dir, csv, n);
    printf("roster import: %ld rows in %.2f s = %.0f rows/s; bare SQLite bulk insert %.2f s = %.0f rows/s; "
           "ratio %.2fx (target <= 2x)\n",
           rows, dt_imp, rows / dt_imp, dt_bare, n / dt_bare, dt_imp / dt_bare);

    /* 2. card lookup + quote */
    zc_cart cart;
    if (till_cart_parse(t, "A1,S1", &cart, &err) != ZC_OK) {
        fprintf(stderr, "cart: %s\n", err.msg);
        goto out;
    }
    zc_datetime at = {{2026, 11, 23}, 11, 30};
    for (int i = 0; i < LOOKUPS; i++) {
        char uid[11];
        till_ident id;
        zc_quote q;
        zc_card_uid_fmt(card_of((long)(rnd() % (uint64_t)n)), uid, sizeof uid);
        double s0 = now_s();
        if (till_identify(t, uid, at.date, &id, &err) != ZC_OK ||
            till_quote(t, &(till_quote_req){.elder = &id.elder, .cart = &cart, .at = at}, &q, &err) != ZC_OK) {
            fprintf(stderr, "lookup %s: %s\n", uid, err.msg);
            goto out;
        }
        lat[i] = now_s() - s0;
    }
    double lp50 = pct(lat, LOOKUPS, 0.5), lp99 = pct(lat, LOOKUPS, 0.99);
    printf("card lookup + quote (%ld elders, %d lookups): p50 %.3f ms, p99 %.3f ms (target p99 <= 1 ms)\n", n,
           LOOKUPS, lp50 * 1e3, lp99 * 1e3);

    /* 3. durable sale commit vs bare insert+commit, both with SQLite's
     * default auto-checkpoints; then the kiosk's way: no checkpoint inside a
     * COMMIT, a checkpointer beside it */
    for (int mode = 0; mode < 2; mode++) {
        pthread_t th;
        if (mode == 1) {
            if (store_autocheckpoint(till_store(t), 0, &err) != ZC_OK)
                goto out;
            ckpt_stop = 0;
            pthread_create(&th, NULL, checkpointer, dbp);
        }
        for (int i = 0; i < COMMITS; i++) {
            char uid[11];
            till_ident id;
            store_sale_res res;
            zc_card_uid_fmt(card_of((long)(rnd() % (uint64_t)n)), uid, sizeof uid);
            if (till_identify(t, uid, at.date, &id, &err) != ZC_OK)
                goto out;
            store_sale_req req = {.operator_id = "c1", .elder = &id.elder, .card_uid = id.card_uid,
                                  .cart = &cart, .at_utc = zc_tz_epoch(at), .at = at};
            double s0 = now_s();
            if (store_sale_commit(till_store(t), &req, &res, &err) != ZC_OK) {
                fprintf(stderr, "commit: %s\n", err.msg);
                goto out;
            }
            lat[i] = now_s() - s0;
        }
        if (mode == 1) {
            ckpt_stop = 1;
            pthread_join(th, NULL);
        } else {
            bare_commits(dir, base, COMMITS);
        }
        double cp50 = pct(lat, COMMITS, 0.5), cp99 = pct(lat, COMMITS, 0.99);
        double bp50 = pct(base, COMMITS, 0.5), bp99 = pct(base, COMMITS, 0.99);
        printf("durable sale commit (%d, %s): p50 %.3f ms, p99 %.3f ms; bare insert+commit p50 %.3f ms, "
               "p99 %.3f ms; ratio p50 %.2fx, p99 %.2fx (target <= 1.5x)\n",
               COMMITS, mode ? "kiosk: checkpoints beside the commits" : "default auto-checkpoints",
               cp50 * 1e3, cp99 * 1e3, bp50 * 1e3, bp99 * 1e3, cp50 / bp50, cp99 / bp99);
    }
    rc = 0;
out:
    till_close(t);
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    if (system(cmd) != 0)
        rc = 1;
    return rc;
}
