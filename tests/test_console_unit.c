/* test_console_unit.c - the pure parts of the district console: the
 * sign-in backoff and the per-source brake (console_throttle.c), a roster
 * file's encoding (UTF-8, BOM, GBK, neither, NUL), multipart/form-data
 * parts, and cutting the month's reports to one canteen (console.c). */
#include <cjson/cJSON.h>
#include <stdlib.h>
#include <string.h>

#include "../app/central/admin_int.h"
#include "../app/central/console_throttle.h"
#include "check.h"

static void t_backoff(void)
{
    static const struct {
        int wrong, free_n;
        int64_t base, want;
    } rows[] = {
        {0, 5, 1, 0},   {4, 5, 1, 0},   {5, 5, 1, 1},     {6, 5, 1, 2},     {9, 5, 1, 16},
        {5, 5, 30, 30}, {6, 5, 30, 60}, {8, 5, 30, 240},  {10, 5, 30, 900}, {1000, 5, 30, 900},
        {40, 5, 1, CONSOLE_BACKOFF_MAX_S},
    };
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++)
        CHECK_INT(console_backoff_s(rows[i].wrong, rows[i].free_n, rows[i].base), rows[i].want);
}

static void t_throttle(void)
{
    console_throttle *t = malloc(sizeof *t);
    CHECK(t != NULL);
    if (!t)
        return;
    console_throttle_init(t);
    CHECK_INT(console_throttle_wait(t, "10.0.0.1", 100), 0);
    for (int i = 0; i < CONSOLE_SOURCE_FREE - 1; i++)
        console_throttle_wrong(t, "10.0.0.1", 100);
    CHECK_INT(console_throttle_wait(t, "10.0.0.1", 100), 0); /* four: still free */
    console_throttle_wrong(t, "10.0.0.1", 100);
    CHECK_INT(console_throttle_wait(t, "10.0.0.1", 100), 1);
    CHECK_INT(console_throttle_wait(t, "10.0.0.1", 101), 0);
    console_throttle_wrong(t, "10.0.0.1", 101);
    CHECK_INT(console_throttle_wait(t, "10.0.0.1", 101), 2);
    /* another address is not held */
    CHECK_INT(console_throttle_wait(t, "10.0.0.2", 101), 0);
    /* a right password clears the address */
    console_throttle_right(t, "10.0.0.1");
    CHECK_INT(console_throttle_wait(t, "10.0.0.1", 101), 0);
    console_throttle_wrong(t, "10.0.0.1", 101);
    CHECK_INT(console_throttle_wait(t, "10.0.0.1", 101), 0);
    /* a full table forgets the address idle longest, not one under way */
    char key[32];
    for (int i = 0; i < CONSOLE_THROTTLE_SLOTS + 10; i++) {
        snprintf(key, sizeof key, "10.1.%d.%d", i / 256, i % 256);
        for (int k = 0; k < CONSOLE_SOURCE_FREE; k++)
            console_throttle_wrong(t, key, 200 + i);
    }
    CHECK_INT(console_throttle_wait(t, key, 200 + CONSOLE_THROTTLE_SLOTS + 9), 1);
    CHECK_INT(console_throttle_wait(t, "10.0.0.1", 300), 0); /* forgotten: idle longest */
    free(t);
}

static void t_roster_text(void)
{
    static const struct {
        const char *name, *in;
        size_t n;
        int ret;
        const char *enc, *out;
    } rows[] = {
        {"ascii", "a,b\n", 4, 0, "UTF-8", "a,b\n"},
        {"utf-8", "\xE9\x99\x88,1\n", 6, 0, "UTF-8", "\xE9\x99\x88,1\n"},
        {"utf-8 with a BOM", "\xEF\xBB\xBF\xE9\x99\x88\n", 7, 0, "UTF-8", "\xE9\x99\x88\n"},
        {"GBK 陈", "\xB3\xC2,1\n", 5, 0, "GBK", "\xE9\x99\x88,1\n"},
        {"GBK 李秀英", "\xC0\xEE\xD0\xE3\xD3\xA2", 6, 0, "GBK", "\xE6\x9D\x8E\xE7\xA7\x80\xE8\x8B\xB1"},
        {"neither", "\xFF\xFE\xFD", 3, ZC_EINVAL, "GBK", NULL},
        {"a NUL", "a\0b", 3, ZC_EINVAL, "UTF-8", NULL},
        {"overlong UTF-8 is not UTF-8 (read as GBK)", "\xC0\xAF", 2, 0, "GBK", NULL},
        {"a surrogate is not UTF-8, nor GBK", "\xED\xA0\x80", 3, ZC_EINVAL, "GBK", NULL},
        {"cut UTF-8 is not UTF-8: GBK 闄", "\xE9\x99", 2, 0, "GBK", "\xE9\x97\x84"},
        {"empty", "", 0, 0, "UTF-8", ""},
    };
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        char *out = NULL;
        size_t len = 0;
        const char *enc = NULL;
        zc_err err = {""};
        int ret = console_roster_text(rows[i].in, rows[i].n, &out, &len, &enc, &err);
        if (ret != rows[i].ret || (rows[i].out && (!out || strcmp(out, rows[i].out))))
            fprintf(stderr, "  row: %s (%d, %s)\n", rows[i].name, ret, err.msg);
        CHECK_INT(ret, rows[i].ret);
        CHECK_STR(enc, rows[i].enc);
        if (rows[i].out && ret == 0) {
            CHECK_STR(out, rows[i].out);
            CHECK_INT(len, strlen(rows[i].out));
        }
        if (ret)
            CHECK(out == NULL && err.msg[0]);
        free(out);
    }
}

typedef struct fake {
    const char *type;
} fake;

static const char *fake_header(void *ctx, const char *name)
{
    fake *f = ctx;
    return !strcasecmp(name, "Content-Type") ? f->type : NULL;
}

static bool part(const char *type, const char *body, size_t len, const char *name, char *out,
                 size_t n, char *filename)
{
    fake f = {type};
    central_admin_request rq = {.method = "POST", .path = "/admin/roster", .header = fake_header,
                                .ctx = &f, .body = body, .len = len};
    const char *d = NULL;
    size_t dl = 0;
    if (!console_multipart_part(&rq, name, &d, &dl, filename, 64) || dl >= n)
        return false;
    memcpy(out, d, dl);
    out[dl] = '\0';
    return true;
}

static void t_multipart(void)
{
    static const char body[] = "--XyZ\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\nabc\r\n"
                               "--XyZ\r\nContent-Disposition: form-data; name=\"file\"; filename=\"名单.csv\"\r\n"
                               "Content-Type: text/csv\r\n\r\na,b\r\n1,2\r\n\r\n--XyZ--\r\n";
    char out[64], fn[64];
    CHECK(part("multipart/form-data; boundary=XyZ", body, sizeof body - 1, "csrf", out, sizeof out, NULL));
    CHECK_STR(out, "abc");
    CHECK(part("multipart/form-data; boundary=\"XyZ\"", body, sizeof body - 1, "file", out, sizeof out, fn));
    CHECK_STR(out, "a,b\r\n1,2\r\n");
    CHECK_STR(fn, "名单.csv");
    CHECK(!part("multipart/form-data; boundary=XyZ", body, sizeof body - 1, "nothing", out, sizeof out, NULL));
    CHECK(!part("application/x-www-form-urlencoded", body, sizeof body - 1, "csrf", out, sizeof out, NULL));
    CHECK(!part("multipart/form-data", body, sizeof body - 1, "csrf", out, sizeof out, NULL));
    CHECK(!part("multipart/form-data; boundary=other", body, sizeof body - 1, "csrf", out, sizeof out, NULL));
    /* cut short: no closing delimiter after the part */
    CHECK(!part("multipart/form-data; boundary=XyZ", body, 60, "file", out, sizeof out, NULL));
    /* "filename" is not "name" */
    static const char tricky[] = "--B\r\nContent-Disposition: form-data; filename=\"csrf\"; name=\"x\"\r\n\r\n1\r\n--B--";
    CHECK(!part("multipart/form-data; boundary=B", tricky, sizeof tricky - 1, "csrf", out, sizeof out, NULL));
    CHECK(part("multipart/form-data; boundary=B", tricky, sizeof tricky - 1, "x", out, sizeof out, NULL));
    CHECK_STR(out, "1");
}

static void t_only_canteen(void)
{
    cJSON *recon = cJSON_Parse("{\"problems\":2,\"terminals\":[{\"id\":\"T1\",\"canteen\":\"C1\","
                               "\"status\":\"problems\"},{\"id\":\"T2\",\"canteen\":\"C2\",\"status\":"
                               "\"problems\"},{\"id\":\"T3\",\"canteen\":\"C1\",\"status\":\"ok\"}]}");
    cJSON *anom = cJSON_Parse("{\"counts\":{\"flag\":2,\"over_limit\":1},\"anomalies\":[{\"kind\":"
                              "\"flag\",\"canteen\":\"C1\"},{\"kind\":\"flag\",\"canteen\":\"C2\"},"
                              "{\"kind\":\"over_limit\",\"canteen\":\"C2\"}]}");
    CHECK(recon && anom);
    console_only_canteen("C1", recon, anom);
    CHECK_INT(cJSON_GetArraySize(cJSON_GetObjectItem(recon, "terminals")), 2);
    CHECK_INT(cJSON_GetObjectItem(recon, "problems")->valueint, 1);
    CHECK_INT(cJSON_GetArraySize(cJSON_GetObjectItem(anom, "anomalies")), 1);
    CHECK_INT(cJSON_GetObjectItem(cJSON_GetObjectItem(anom, "counts"), "flag")->valueint, 1);
    CHECK_INT(cJSON_GetObjectItem(cJSON_GetObjectItem(anom, "counts"), "over_limit")->valueint, 0);
    cJSON_Delete(recon);
    cJSON_Delete(anom);
}

static const check_case cases[] = {
    {"backoff", t_backoff},
    {"throttle", t_throttle},
    {"roster_text", t_roster_text},
    {"multipart", t_multipart},
    {"only_canteen", t_only_canteen},
    {NULL, NULL},
};

int main(int argc, char **argv)
{
    return check_main("test_console_unit", cases, argc, argv);
}
