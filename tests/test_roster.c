/* test_roster.c - roster CSV import: a table of bad files, each with the
 * line and reason it must report and a check that nothing was written; a
 * good import (BOM, CRLF, quoted fields with commas and quotes, Chinese
 * names, columns in any order) checked through the lookups; replacement of
 * elders and their cards; and a large import with its time.
 *
 * In the CSV templates "@" followed by 17 digits becomes a valid ID number
 * (check digit computed), "!" followed by 17 digits one with a wrong check
 * digit. */
#include "../app/store/store.h"
#include "../app/store/store_raw.h"
#include "check.h"

#include <dirent.h>
#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static char dir[256];

static store_t *setup(void)
{
    store_t *st = NULL;
    zc_err err = {""};
    char p[400];
    snprintf(dir, sizeof dir, "/tmp/zc_roster_XXXXXX");
    if (!mkdtemp(dir)) {
        perror("mkdtemp");
        exit(2);
    }
    snprintf(p, sizeof p, "%s/r.db", dir);
    CHECK_OK(store_open(p, STORE_CREATE, &st, &err));
    return st;
}

static void teardown(store_t *st)
{
    store_close(st);
    DIR *d = opendir(dir);
    struct dirent *e;
    char p[600];
    while (d && (e = readdir(d))) {
        if (strcmp(e->d_name, ".") && strcmp(e->d_name, "..")) {
            snprintf(p, sizeof p, "%s/%s", dir, e->d_name);
            unlink(p);
        }
    }
    if (d)
        closedir(d);
    rmdir(dir);
}

static int64_t q_int(store_t *st, const char *sql)
{
    sqlite3_stmt *s = NULL;
    int64_t v = -1;
    if (sqlite3_prepare_v2(store_db(st), sql, -1, &s, NULL) == SQLITE_OK &&
        sqlite3_step(s) == SQLITE_ROW)
        v = sqlite3_column_int64(s, 0);
    sqlite3_finalize(s);
    return v;
}

/* Expands the @ / ! ID-number tokens of t into out. */
static void expand(const char *t, char *out, size_t n)
{
    size_t o = 0;
    while (*t && o + 20 < n) {
        if ((*t == '@' || *t == '!') && strspn(t + 1, "0123456789") >= 17) {
            char id[19];
            snprintf(id, sizeof id, "%.17s?", t + 1);
            char c = zc_idnum_check_char(id);
            id[17] = *t == '@' ? c : (c == '1' ? '2' : '1');
            memcpy(out + o, id, 18);
            o += 18;
            t += 18;
        } else {
            out[o++] = *t++;
        }
    }
    out[o] = '\0';
}

/* Imports the template; the report text goes to rep (caller frees). */
static int import(store_t *st, const char *tmpl, char **rep, long *rows, zc_err *err)
{
    static char text[16384];
    expand(tmpl, text, sizeof text);
    FILE *in = fmemopen(text, strlen(text), "r");
    size_t replen = 0;
    *rep = NULL;
    FILE *out = open_memstream(rep, &replen);
    CHECK(in != NULL && out != NULL);
    int rc = store_roster_import(st, in, out, rows, err);
    fclose(in);
    fclose(out);
    return rc;
}

#define H "elder_id,name,id_number,birth_date,gender,cards\n"

/* ---- bad files ---- */

static void t_bad_files(void)
{
    static char longline[6000];
    snprintf(longline, sizeof longline, H "E1,");
    size_t n = strlen(longline);
    memset(longline + n, 'x', 5000);
    snprintf(longline + n + 5000, sizeof longline - n - 5000, ",,1940-01-01,,\nE2,乙,,1950-01-01,,\n");
    static const struct {
        const char *name, *csv, *expect;
    } cases[] = {
        {"typo in a column", "elder_id,nmae,birth_date\nE1,甲,1940-01-01\n",
         "line 1: column \"nmae\" is not known"},
        {"missing columns", "elder_id,gender\nE1,M\n",
         "line 1: missing required column(s): name, birth_date"},
        {"column twice", "elder_id,name,birth_date,name\nE1,甲,1940-01-01,乙\n",
         "line 1: column \"name\" appears twice"},
        {"check digit", H "E1,甲,@11010519400315002,1940-03-15,,\nE2,乙,!11010519500101001,"
         "1950-01-01,,\n", "line 3: id_number: ID number check digit should be"},
        {"impossible date", H "E1,甲,,1940-02-30,,\n",
         "line 2: birth_date: \"1940-02-30\" is not a date"},
        {"date format", H "E1,甲,,15/03/1940,,\n", "line 2: birth_date: \"15/03/1940\" is not a date"},
        {"birth differs from ID", H "E1,甲,@11010519400315002,1940-03-16,,\n",
         "line 2: birth_date: 1940-03-16 differs from the birth date in id_number (1940-03-15)"},
        {"gender differs from ID", H "E1,甲,@11010519400315002,1940-03-15,M,\n",
         "line 2: gender: M does not match the ID number"},
        {"duplicate elder", H "E1,甲,,1940-01-01,,\nE2,乙,,1941-01-01,,\nE1,丙,,1942-01-01,,\n",
         "line 4: elder_id: E1 is also on line 2"},
        {"duplicate ID number", H "E1,甲,@11010519400315002,1940-03-15,,\nE2,乙,"
         "@11010519400315002,1940-03-15,,\n", "line 3: id_number: the same ID number is on line 2"},
        {"duplicate card", H "E1,甲,,1940-01-01,,0A1B2C3D4E\nE2,乙,,1941-01-01,,0a1b2c3d4e:lost\n",
         "line 3: cards: card 0A1B2C3D4E is also on line 2"},
        {"bad card uid", H "E1,甲,,1940-01-01,,12345\n", "line 2: cards: \"12345\": "},
        {"bad card status", H "E1,甲,,1940-01-01,,0A1B2C3D4E:stolen\n",
         "line 2: cards: card 0A1B2C3D4E: status \"stolen\" must be active, lost or blocked"},
        {"bad card date", H "E1,甲,,1940-01-01,,0A1B2C3D4E:active:2027-13-01\n",
         "line 2: cards: card 0A1B2C3D4E: \"2027-13-01\" is not a date"},
        {"line too long", longline, "line 2: the record is longer than 4096 bytes"},
        {"unclosed quote", H "E1,\"甲,,1940-01-01,,\nE2,乙,,1950-01-01,,\n",
         "line 2: a quoted field is not closed"},
        {"stray quote", H "E1,王\"大\"妈,,1940-01-01,,\n", "line 2: a quote inside a field"},
        {"text after quote", H "E1,\"王\"x,,1940-01-01,,\n",
         "line 2: text after the closing quote"},
        {"unquoted comma", H "E1,欧阳,小明,,1940-01-01,,\n",
         "line 2: has 7 fields but the header has 6"},
        {"GBK bytes", H "E1,\xcd\xf5\xb7\xbc,,1940-01-01,,\n",
         "line 2: name: is not valid UTF-8; save the file as UTF-8 (not GBK)"},
        {"empty name", H "E1,,,1940-01-01,,\n", "line 2: name: is empty"},
        {"bad gender", H "E1,甲,,1940-01-01,X,\n", "line 2: gender: \"X\" must be M or F"},
        {"grade", "elder_id,name,birth_date,disability_grade\nE1,甲,1940-01-01,7\n",
         "line 2: disability_grade: \"7\" must be a number from 0 (none) to 4"},
        {"care home", "elder_id,name,birth_date,care_home\nE1,甲,1940-01-01,yes\n",
         "line 2: care_home: \"yes\" must be 0 or 1"},
        {"status", "elder_id,name,birth_date,status\nE1,甲,1940-01-01,dead\n",
         "line 2: status: \"dead\" must be active, suspended or deceased"},
        {"categories", "elder_id,name,birth_date,categories\nE1,甲,1940-01-01,Dibao\n",
         "line 2: categories: "},
        {"validity", "elder_id,name,birth_date,valid_from,valid_to\nE1,甲,1940-01-01,2026-01-01,"
         "2025-01-01\n", "line 2: valid_to: is before valid_from"},
        {"region", "elder_id,name,birth_date,reg_city\nE1,甲,1940-01-01,北京\n",
         "line 2: reg_city: \"北京\" is not a region code"},
        {"elder id characters", H "E 1,甲,,1940-01-01,,\n", "line 2: elder_id: \"E 1\" may hold only"},
        {"line numbers after a multi-line field", H "E1,\"王\n大妈\",,1940-01-01,,\nE2,乙,,1950-02-30,,\n",
         "line 4: birth_date: \"1950-02-30\" is not a date"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        store_t *st = setup();
        zc_err err = {""};
        char *rep = NULL;
        long rows = -1;
        int rc = import(st, cases[i].csv, &rep, &rows, &err);
        bool found = rep && strstr(rep, cases[i].expect) != NULL;
        if (rc != ZC_EINVAL || !found)
            fprintf(stderr, "  case \"%s\": rc %d, report:\n%s  err: %s\n", cases[i].name, rc,
                    rep ? rep : "(none)", err.msg);
        CHECK_INT(rc, ZC_EINVAL);
        CHECK(found);
        CHECK(strstr(err.msg, "NOT imported") != NULL);
        CHECK_INT(rows, 0);
        CHECK_INT(q_int(st, "SELECT count(*) FROM elder"), 0);
        CHECK_INT(q_int(st, "SELECT count(*) FROM card"), 0);
        free(rep);
        teardown(st);
    }
}

static void t_empty_file(void)
{
    store_t *st = setup();
    zc_err err = {""};
    char *rep = NULL;
    long rows = -1;
    CHECK_INT(import(st, "", &rep, &rows, &err), ZC_EINVAL);
    CHECK(strstr(err.msg, "empty") != NULL);
    free(rep);
    CHECK_OK(import(st, "\xEF\xBB\xBF" H, &rep, &rows, &err)); /* header only: nothing to do */
    CHECK_INT(rows, 0);
    free(rep);
    teardown(st);
}

/* Every bad row is reported, good rows around them are not written. */
static void t_every_bad_row(void)
{
    store_t *st = setup();
    zc_err err = {""};
    char *rep = NULL;
    long rows = -1;
    int rc = import(st, H "E1,甲,,1940-01-01,,\nE2,,,1941-13-01,Q,\nE3,丙,,1942-01-01,,\n"
                          "E4,丁,!11010519400315002,1940-03-15,,\nE5,戊,,1943-01-01,,\n",
                    &rep, &rows, &err);
    CHECK_INT(rc, ZC_EINVAL);
    CHECK(rep && strstr(rep, "line 3: name: is empty\n") != NULL);
    CHECK(rep && strstr(rep, "line 3: birth_date: \"1941-13-01\" is not a date") != NULL);
    CHECK(rep && strstr(rep, "line 3: gender: \"Q\" must be M or F") != NULL);
    CHECK(rep && strstr(rep, "line 5: id_number: ") != NULL);
    CHECK(rep && !strstr(rep, "line 2:") && !strstr(rep, "line 4:") && !strstr(rep, "line 6:"));
    CHECK(strstr(err.msg, "2 bad rows") != NULL);
    CHECK(strstr(err.msg, "the first: line 3: name: is empty") != NULL);
    CHECK_INT(q_int(st, "SELECT count(*) FROM elder"), 0);
    free(rep);
    teardown(st);
}

/* A NUL byte would end the field early in C: "ab<NUL>' OR 1=1" must not be
 * imported as "ab".  The record is refused by line, the file as a whole. */
static void t_nul_byte(void)
{
    static const char csv[] = "elder_id,name,birth_date\nE1,ab\0' OR 1=1,1940-01-01\n"
                              "E2,乙,1950-01-01\n";
    store_t *st = setup();
    zc_err err = {""};
    char *rep = NULL;
    size_t replen = 0;
    long rows = -1;
    FILE *in = fmemopen((void *)csv, sizeof csv - 1, "r");
    FILE *out = open_memstream(&rep, &replen);
    CHECK(in != NULL && out != NULL);
    if (in && out) {
        CHECK_INT(store_roster_import(st, in, out, &rows, &err), ZC_EINVAL);
        fclose(in);
        fclose(out);
        CHECK(rep && strstr(rep, "line 2: the record contains a NUL byte") != NULL);
        CHECK_INT(q_int(st, "SELECT count(*) FROM elder"), 0);
    }
    free(rep);
    teardown(st);
}

/* Conflicts with what is already stored. */
static void t_conflicts_with_db(void)
{
    store_t *st = setup();
    zc_err err = {""};
    char *rep = NULL;
    long rows = -1;
    CHECK_OK(import(st, H "E9,老九,@11010519400315002,1940-03-15,,0A1B2C3D4E\n", &rep, &rows, &err));
    CHECK_INT(rows, 1);
    free(rep);
    CHECK_INT(import(st, H "E1,甲,,1940-01-01,,0A1B2C3D4F\nE2,乙,,1941-01-01,,0A1B2C3D4E\n", &rep,
                     &rows, &err), ZC_EINVAL);
    CHECK(rep && strstr(rep, "line 3: cards: card 0A1B2C3D4E already belongs to elder E9") != NULL);
    free(rep);
    CHECK_INT(import(st, H "E1,甲,@11010519400315002,1940-03-15,,\n", &rep, &rows, &err),
              ZC_EINVAL);
    CHECK(rep && strstr(rep, "line 2: id_number: already on the roster as elder E9") != NULL);
    free(rep);
    /* nothing changed */
    CHECK_INT(q_int(st, "SELECT count(*) FROM elder"), 1);
    CHECK_INT(q_int(st, "SELECT count(*) FROM card WHERE elder_id = 'E9'"), 1);
    teardown(st);
}

/* ---- good files ---- */

static void t_good_import(void)
{
    store_t *st = setup();
    zc_err err = {""};
    char *rep = NULL;
    long rows = -1;
    const char *csv =
        "\xEF\xBB\xBF" "name, Elder_ID ,birth_date,id_number,cards,categories,phone,reg_city,"
        "reg_district,reg_town,res_city,care_home,status,disability_grade,valid_to,gender\r\n"
        "\"欧阳, 小明\",E1,1940-03-15,@11010519400315003,\"0A1B2C3D4E; 0a1b2c3d4f:lost\","
        "\"dibao;disabled_care:2\",138-0000-0001,110000,110105,110105010,110000,0,active,1,"
        "2027-12-31,\r\n"
        "\"王\"\"大\"\"妈\",E2,1950-01-01,,0B00000001:blocked:2025-12-31,,,,,,,1,suspended,,,女\r\n"
        ",,,,,,,,,,,,,,,\r\n"
        "\"张三\",E3,1962-02-28,,,,,130000,,,,,,,,\r\n"
        "䶮喆,  E4 ,1930-02-28 ,,,tekun,,,,,,,,,,M\r\n";
    int rc = import(st, csv, &rep, &rows, &err);
    if (rc)
        fprintf(stderr, "  %s\n%s", err.msg, rep ? rep : "");
    CHECK_OK(rc);
    CHECK_INT(rows, 4);
    CHECK(rep && rep[0] == '\0');
    free(rep);
    zc_elder e;
    CHECK_OK(store_elder_get(st, "E1", &e, &err));
    CHECK_STR(e.name, "欧阳, 小明");
    CHECK_INT(e.ncats, 2);
    CHECK_STR(e.cats[1].code, "disabled_care");
    CHECK_INT(e.cats[1].level, 2);
    CHECK_STR(e.reg_town, "110105010");
    CHECK_INT(e.disability_grade, 1);
    CHECK_INT(zc_date_cmp(e.valid_to, (zc_date){2027, 12, 31}), 0);
    char id[19];
    snprintf(id, sizeof id, "11010519400315003?");
    id[17] = zc_idnum_check_char(id);
    zc_elder by;
    CHECK_OK(store_elder_by_idnum(st, id, &by, &err));
    CHECK_STR(by.id, "E1");
    zc_elder found[4];
    int n = 0;
    CHECK_OK(store_elder_search(st, "00000001", found, 4, &n, &err)); /* phone normalised */
    CHECK_INT(n, 1);
    CHECK_OK(store_elder_get(st, "E2", &e, &err));
    CHECK_STR(e.name, "王\"大\"妈");
    CHECK(e.care_home);
    CHECK_INT(e.status, ZC_ELDER_SUSPENDED);
    CHECK_INT(q_int(st, "SELECT gender = 'F' FROM elder WHERE id = 'E2'"), 1);
    CHECK_INT(q_int(st, "SELECT gender = 'M' FROM elder WHERE id = 'E1'"), 1); /* from the ID */
    CHECK_OK(store_elder_get(st, "E3", &e, &err));
    CHECK_STR(e.name, "张三");
    CHECK_STR(e.reg_city, "130000");
    CHECK_OK(store_elder_get(st, "E4", &e, &err));
    CHECK_STR(e.name, "䶮喆");
    static const struct {
        uint64_t uid;
        const char *elder;
        int status;
        int to_year;
    } cards[] = {
        {0x0A1B2C3D4Eull, "E1", STORE_CARD_ACTIVE, 0},
        {0x0A1B2C3D4Full, "E1", STORE_CARD_LOST, 0},
        {0x0B00000001ull, "E2", STORE_CARD_BLOCKED, 2025},
    };
    for (size_t i = 0; i < 3; i++) {
        store_card c;
        zc_card_key k = {cards[i].uid, 40};
        CHECK_OK(store_card_find(st, &k, &c, &err));
        CHECK_STR(c.elder_id, cards[i].elder);
        CHECK_INT(c.status, cards[i].status);
        CHECK_INT(c.valid_to.y, cards[i].to_year);
    }
    teardown(st);
}

/* An elder already present is replaced with its cards; others stay. */
static void t_upsert(void)
{
    store_t *st = setup();
    zc_err err = {""};
    char *rep = NULL;
    long rows = -1;
    CHECK_OK(import(st, H "E1,甲,,1940-01-01,,0A00000001;0A00000002\nE2,乙,,1941-01-01,,0A00000003\n"
                          "E3,丙,,1942-01-01,,0A00000004\n", &rep, &rows, &err));
    free(rep);
    /* E1 renamed with a new card; E3's card moves to E2 within this file */
    CHECK_OK(import(st, H "E1,甲改,,1940-01-02,,0A00000009\nE2,乙,,1941-01-01,,0A00000004\n"
                          "E3,丙,,1942-01-01,,0A00000005\n", &rep, &rows, &err));
    CHECK_INT(rows, 3);
    free(rep);
    zc_elder e;
    CHECK_OK(store_elder_get(st, "E1", &e, &err));
    CHECK_STR(e.name, "甲改");
    CHECK_INT(e.birth.d, 2);
    static const struct {
        uint64_t uid;
        int rc;
        const char *elder;
    } cases[] = {
        {0x0A00000001ull, ZC_ENOTFOUND, ""}, {0x0A00000002ull, ZC_ENOTFOUND, ""},
        {0x0A00000003ull, ZC_ENOTFOUND, ""}, {0x0A00000009ull, ZC_OK, "E1"},
        {0x0A00000004ull, ZC_OK, "E2"},      {0x0A00000005ull, ZC_OK, "E3"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        store_card c;
        zc_card_key k = {cases[i].uid, 40};
        CHECK_INT(store_card_find(st, &k, &c, &err), cases[i].rc);
        if (cases[i].rc == ZC_OK)
            CHECK_STR(c.elder_id, cases[i].elder);
    }
    CHECK_INT(q_int(st, "SELECT count(*) FROM card"), 3);
    /* an elder missing from a later file stays */
    CHECK_OK(import(st, H "E1,甲,,1940-01-02,,\n", &rep, &rows, &err));
    free(rep);
    CHECK_INT(q_int(st, "SELECT count(*) FROM elder"), 3);
    CHECK_INT(q_int(st, "SELECT count(*) FROM card WHERE elder_id = 'E1'"), 0);
    teardown(st);
}

/* ---- size ---- */

/* Distinct, scattered 40-bit UIDs (an odd multiplier is a bijection mod 2^40),
 * like real cards. */
static uint64_t big_uid(long i)
{
    return ((uint64_t)i * 0x9E3779B97F4A7C15ull) & 0xFFFFFFFFFFull;
}

static void t_large(void)
{
    const char *env = getenv("ZC_ROSTER_ROWS");
    char *end = NULL;
    long n = env ? strtol(env, &end, 10) : 100000;
    if (!env || !end || *end || n < 1 || n > 5000000)
        n = 100000;
    store_t *st = setup();
    zc_err err = {""};
    char path[400];
    snprintf(path, sizeof path, "%s/big.csv", dir);
    FILE *f = fopen(path, "w");
    CHECK(f != NULL);
    if (!f) {
        teardown(st);
        return;
    }
    fputs("elder_id,name,id_number,birth_date,gender,phone,reg_city,reg_district,reg_town,res_city,"
          "res_district,res_town,categories,disability_grade,care_home,status,cards\n", f);
    static const char *const names[] = {"王秀兰", "李建国", "张桂英", "刘志强", "\"欧阳, 明\""};
    int64_t base = zc_days_from_civil((zc_date){1930, 1, 1});
    for (long i = 0; i < n; i++) {
        zc_date b = zc_civil_from_days(base + i % 12000);
        char id[32];
        snprintf(id, sizeof id, "110105%04d%02d%02d%03ld?", b.y, b.m, b.d, (i / 12000) % 1000);
        id[17] = zc_idnum_check_char(id);
        fprintf(f, "E%08ld,%s,%s,%04d-%02d-%02d,%c,139%08ld,110000,110105,110105010,110000,110105,"
                "110105010,%s,0,0,active,%010llX\n", i, names[i % 5], id, b.y, b.m, b.d,
                (id[16] - '0') % 2 ? 'M' : 'F', i, i % 17 == 0 ? "dibao" : "",
                (unsigned long long)big_uid(i));
    }
    fclose(f);
    f = fopen(path, "r");
    long rows = 0;
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    int rc = store_roster_import(st, f, stderr, &rows, &err);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    if (f)
        fclose(f);
    double secs = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
    printf("roster import: %ld rows in %.2f s\n", n, secs);
    if (rc)
        fprintf(stderr, "  %s\n", err.msg);
    CHECK_OK(rc);
    CHECK_INT(rows, n);
    CHECK(secs < (double)n / 10000.0 + 5.0); /* generous: sanitizer builds are slow */
    CHECK_INT(q_int(st, "SELECT count(*) FROM card"), n);
    store_card c;
    zc_card_key k = {big_uid(n - 1), 40};
    CHECK_OK(store_card_find(st, &k, &c, &err));
    char want[16];
    snprintf(want, sizeof want, "E%08ld", n - 1);
    CHECK_STR(c.elder_id, want);
    teardown(st);
}

static const check_case cases[] = {
    {"bad_files", t_bad_files},
    {"empty_file", t_empty_file},
    {"every_bad_row", t_every_bad_row},
    {"nul_byte", t_nul_byte},
    {"conflicts_with_db", t_conflicts_with_db},
    {"good_import", t_good_import},
    {"upsert", t_upsert},
    {"large", t_large},
    {0},
};

int main(int argc, char **argv) { return check_main("test_roster", cases, argc, argv); }
