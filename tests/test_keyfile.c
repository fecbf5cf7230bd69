/* test_keyfile.c - what a copied database gives up (issue 14): the PIN
 * hashes and sync_token are sealed with zhucan.key next to the database.
 *
 *  - sealed: a new operator's PIN and a token are stored sealed; the key
 *    file is 0600 and only it opens them;
 *  - copied: the database copied to a folder without the key: no PIN
 *    logs in (and no wrong-PIN count is kept), the token does not read,
 *    and the file holds neither in clear;
 *  - wrong_key: another terminal's key is refused the same way;
 *  - legacy: a database from before the key (argon2id hashes and the token
 *    in clear) is sealed on its first open and keeps working;
 *  - modes: a database, its -wal and the key of mode 0644 are 0600 after
 *    an open;
 *  - reset: after `key reset` on a copy, PINs are cleared, the token gone,
 *    and a new PIN works. */
#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../app/store/keyfile.h"
#include "../app/store/store.h"
#include "../app/store/store_raw.h"
#include "check.h"

#define TOKEN "tok-0123456789abcdef-secret"
#define T0 1795399200 /* 2026-11-23 10:00 in Beijing */

static char dir[64], dir2[64];

static void path(char *out, size_t n, const char *d, const char *name)
{
    snprintf(out, n, "%s/%s", d, name);
}

static void rm_dir(const char *d)
{
    static const char *const names[] = {"t.db", "t.db-wal", "t.db-shm", "zhucan.key",
                                        "zhucan.key.wrong", "legacy.db", "legacy.db-wal",
                                        "legacy.db-shm"};
    char p[160];
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        path(p, sizeof p, d, names[i]);
        unlink(p);
    }
    rmdir(d);
}

static void setup(void)
{
    snprintf(dir, sizeof dir, "/tmp/zc_key_XXXXXX");
    snprintf(dir2, sizeof dir2, "/tmp/zc_key2_XXXXXX");
    if (!mkdtemp(dir) || !mkdtemp(dir2)) {
        perror("mkdtemp");
        exit(2);
    }
}

static void teardown(void)
{
    rm_dir(dir);
    rm_dir(dir2);
}

/* A terminal database at dir/t.db with cashier c1 (PIN 1111) and a token. */
static void make_db(const char *d)
{
    char p[160];
    store_t *st = NULL;
    zc_err err = {""};
    path(p, sizeof p, d, "t.db");
    CHECK_OK(store_open(p, STORE_CREATE, &st, &err));
    store_operator op = {.id = "c1", .name = "王芳", .role = STORE_ROLE_CASHIER, .active = true};
    CHECK_OK(store_operator_add(st, &op, "1111", &err));
    CHECK_OK(store_meta_set(st, "sync_token", TOKEN, &err));
    store_close(st);
}

static void copy(const char *from, const char *to)
{
    char buf[65536];
    FILE *in = fopen(from, "rb"), *out = fopen(to, "wb");
    size_t n;
    CHECK(in && out);
    while (in && out && (n = fread(buf, 1, sizeof buf, in)) > 0)
        CHECK_INT(fwrite(buf, 1, n, out), n);
    if (in)
        fclose(in);
    if (out)
        fclose(out);
}

/* Does the file at p contain s anywhere? */
static bool file_has(const char *p, const char *s)
{
    FILE *f = fopen(p, "rb");
    static char buf[1 << 20];
    size_t n = f ? fread(buf, 1, sizeof buf, f) : 0;
    if (f)
        fclose(f);
    size_t m = strlen(s);
    for (size_t i = 0; i + m <= n; i++)
        if (memcmp(buf + i, s, m) == 0)
            return true;
    return false;
}

static int mode_of(const char *p)
{
    struct stat sb;
    return stat(p, &sb) == 0 ? (int)(sb.st_mode & 0777) : -1;
}

static void t_sealed(void)
{
    char p[160], k[160], tok[256];
    store_t *st = NULL;
    zc_err err = {""};
    store_operator got;
    setup();
    make_db(dir);
    path(p, sizeof p, dir, "t.db");
    path(k, sizeof k, dir, "zhucan.key");
    CHECK_INT(mode_of(k), 0600);
    CHECK(!file_has(p, TOKEN));
    CHECK(!file_has(p, "$argon2id$"));
    CHECK_OK(store_open(p, 0, &st, &err));
    CHECK_OK(store_operator_login(st, "c1", "1111", T0, &got, &err));
    CHECK_OK(store_meta_get(st, "sync_token", tok, sizeof tok));
    CHECK_STR(tok, TOKEN);
    store_close(st);
    teardown();
}

static void t_copied(void)
{
    char p[160], q[160], tok[256];
    store_t *st = NULL;
    zc_err err = {""};
    store_operator got;
    setup();
    make_db(dir);
    path(p, sizeof p, dir, "t.db");
    path(q, sizeof q, dir2, "t.db");
    copy(p, q);
    CHECK_OK(store_open(q, 0, &st, &err)); /* it opens: sales and reports are not secret */
    for (int i = 0; i < 6; i++) {          /* more than the lockout's five */
        err.msg[0] = '\0';
        CHECK_INT(store_operator_login(st, "c1", "1111", T0 + i, &got, &err), ZC_EREFUSED);
        CHECK(strstr(err.msg, "zhucan.key is missing") != NULL);
    }
    CHECK_INT(store_meta_get(st, "sync_token", tok, sizeof tok), ZC_EREFUSED);
    CHECK_STR(tok, "");
    store_close(st);
    path(q, sizeof q, dir2, "zhucan.key");
    CHECK_INT(access(q, F_OK), -1); /* no new key was made to hide the loss */
    /* the key put back: it all works, and no wrong PIN was counted */
    path(p, sizeof p, dir, "zhucan.key");
    copy(p, q);
    path(q, sizeof q, dir2, "t.db");
    CHECK_OK(store_open(q, 0, &st, &err));
    CHECK_OK(store_operator_login(st, "c1", "1111", T0 + 10, &got, &err));
    CHECK_INT(got.failed, 0);
    store_close(st);
    teardown();
}

static void t_wrong_key(void)
{
    char p[160], q[160];
    store_t *st = NULL;
    zc_err err = {""};
    store_operator got;
    setup();
    make_db(dir);
    make_db(dir2); /* another terminal, another key */
    path(p, sizeof p, dir, "t.db");
    path(q, sizeof q, dir2, "t.db");
    copy(p, q);
    CHECK_OK(store_open(q, 0, &st, &err));
    CHECK_INT(store_operator_login(st, "c1", "1111", T0, &got, &err), ZC_EREFUSED);
    CHECK(strstr(err.msg, "does not open") != NULL);
    store_close(st);
    teardown();
}

static void t_legacy(void)
{
    char p[160], k[160], h[ZC_PIN_HASH_MAX], sql[400], tok[256];
    store_t *st = NULL;
    sqlite3 *db = NULL;
    zc_err err = {""};
    store_operator got;
    setup();
    make_db(dir);
    path(p, sizeof p, dir, "t.db");
    path(k, sizeof k, dir, "zhucan.key");
    /* as a database from before the key: the hash and the token in clear, no key file */
    CHECK_OK(zc_pin_hash("1111", h, &err));
    snprintf(sql, sizeof sql, "UPDATE operator SET pin_hash = '%s'; UPDATE meta SET value = '%s' "
             "WHERE key = 'sync_token'", h, TOKEN);
    CHECK_INT(sqlite3_open(p, &db), SQLITE_OK);
    CHECK_INT(sqlite3_exec(db, sql, NULL, NULL, NULL), SQLITE_OK);
    sqlite3_close(db);
    CHECK_OK(unlink(k));
    CHECK_OK(store_open(p, 0, &st, &err));
    CHECK_INT(mode_of(k), 0600);
    CHECK_OK(store_operator_login(st, "c1", "1111", T0, &got, &err));
    CHECK_OK(store_meta_get(st, "sync_token", tok, sizeof tok));
    CHECK_STR(tok, TOKEN);
    sqlite3_stmt *s = NULL;
    CHECK_INT(sqlite3_prepare_v2(store_db(st), "SELECT count(*) FROM operator WHERE pin_hash LIKE "
                                 "'zk1:%' AND id = 'c1' UNION ALL SELECT count(*) FROM meta WHERE "
                                 "key = 'sync_token' AND value LIKE 'zk1:%'", -1, &s, NULL),
              SQLITE_OK);
    for (int i = 0; i < 2; i++) {
        CHECK_INT(sqlite3_step(s), SQLITE_ROW);
        CHECK_INT(sqlite3_column_int(s, 0), 1);
    }
    sqlite3_finalize(s);
    store_close(st);
    CHECK(!file_has(p, TOKEN)); /* not left behind in free space either */
    teardown();
}

static void t_modes(void)
{
    char p[160], w[160], k[160];
    store_t *st = NULL;
    zc_err err = {""};
    setup();
    make_db(dir);
    path(p, sizeof p, dir, "t.db");
    path(w, sizeof w, dir, "t.db-wal");
    path(k, sizeof k, dir, "zhucan.key");
    CHECK_OK(chmod(p, 0644));
    CHECK_OK(chmod(k, 0644));
    CHECK_OK(store_open(p, 0, &st, &err));
    CHECK_INT(mode_of(p), 0600);
    CHECK_INT(mode_of(k), 0600);
    if (access(w, F_OK) == 0)
        CHECK_INT(mode_of(w), 0600);
    store_close(st);
    teardown();
}

static void t_reset(void)
{
    char p[160], q[160], tok[256];
    store_t *st = NULL;
    zc_err err = {""};
    store_operator got;
    setup();
    make_db(dir);
    path(p, sizeof p, dir, "t.db");
    CHECK_OK(store_open(p, 0, &st, &err));
    CHECK_INT(store_key_reset(st, &err), ZC_EREFUSED); /* the key is there: nothing to reset */
    store_close(st);
    path(q, sizeof q, dir2, "t.db");
    copy(p, q);
    CHECK_OK(store_open(q, 0, &st, &err));
    CHECK_OK(store_key_reset(st, &err));
    CHECK_INT(store_operator_login(st, "c1", "1111", T0, &got, &err), ZC_EREFUSED);
    CHECK_INT(store_meta_get(st, "sync_token", tok, sizeof tok), ZC_ENOTFOUND);
    CHECK_OK(store_staff_set_pin(st, NULL, "c1", "2580", &err));
    CHECK_OK(store_operator_login(st, "c1", "2580", T0 + 60, &got, &err));
    store_close(st);
    teardown();
}

static const check_case cases[] = {
    {"sealed", t_sealed}, {"copied", t_copied}, {"wrong_key", t_wrong_key},
    {"legacy", t_legacy}, {"modes", t_modes},   {"reset", t_reset},
    {NULL, NULL},
};

int main(int argc, char **argv)
{
    if (zc_secure_init() != ZC_OK)
        return 2;
    return check_main("test_keyfile", cases, argc, argv);
}
