/* test_textenc.c - files as Chinese Excel saves them: UTF-8 with or without
 * a byte-order mark, GBK converted, and what is neither refused. */
#include "../app/core/textenc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check.h"

static char path[64];

static void put(const void *bytes, size_t n)
{
    snprintf(path, sizeof path, "/tmp/zc_textenc_%ld.csv", (long)getpid());
    FILE *f = fopen(path, "wb");
    CHECK(f != NULL);
    if (f) {
        CHECK_INT(fwrite(bytes, 1, n, f), n);
        fclose(f);
    }
}

static void t_kinds(void)
{
    /* 米饭 in UTF-8 and in GBK (C3D7 B7B9) */
    static const struct {
        const char *name;
        const char *bytes;
        size_t n;
        int rc, gbk;
        const char *want;
    } rows[] = {
        {"utf-8", "code,name\nB1,\xe7\xb1\xb3\xe9\xa5\xad\n", 20, ZC_OK, 0, "code,name\nB1,米饭\n"},
        {"utf-8 with a BOM", "\xef\xbb\xbf" "a\n", 5, ZC_OK, 0, "\xef\xbb\xbf" "a\n"},
        {"gbk", "code,name\nB1,\xc3\xd7\xb7\xb9\n", 18, ZC_OK, 1, "code,name\nB1,米饭\n"},
        {"ascii", "a,b\n", 4, ZC_OK, 0, "a,b\n"},
        {"empty", "", 0, ZC_OK, 0, ""},
        {"neither", "a,\xff\xfe\xff\n", 6, ZC_EINVAL, 0, NULL},
        {"a NUL byte", "a\0b\n", 4, ZC_EINVAL, 0, NULL},
    };
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        char *out = NULL;
        size_t len = 0;
        bool gbk = false;
        zc_err err = {""};
        put(rows[i].bytes, rows[i].n);
        int rc = zc_text_load_utf8(path, &out, &len, &gbk, &err);
        if (rc != rows[i].rc)
            fprintf(stderr, "  row %s: rc %d (%s)\n", rows[i].name, rc, err.msg);
        CHECK_INT(rc, rows[i].rc);
        CHECK_INT(gbk, rows[i].gbk);
        if (rows[i].want) {
            CHECK_STR(out, rows[i].want);
            CHECK_INT(len, strlen(rows[i].want));
        } else {
            CHECK(out == NULL);
            CHECK(strstr(err.msg, path) != NULL); /* the message names the file */
        }
        free(out);
        unlink(path);
    }
}

static void t_limits(void)
{
    char *out = NULL;
    size_t len = 0;
    bool gbk = false;
    zc_err err = {""};
    CHECK_INT(zc_text_load_utf8("/tmp/zc-no-such-dir/x.csv", &out, &len, &gbk, &err), ZC_ENOTFOUND);
    CHECK(strstr(err.msg, "cannot open") != NULL);
    size_t n = ZC_TEXT_MAX + 1;
    char *big = malloc(n);
    CHECK(big != NULL);
    if (!big)
        return;
    memset(big, 'a', n);
    put(big, n);
    free(big);
    CHECK_INT(zc_text_load_utf8(path, &out, &len, &gbk, &err), ZC_ETOOBIG);
    CHECK(strstr(err.msg, "larger than 4 MiB") != NULL);
    unlink(path);
}

static const check_case cases[] = {
    {"kinds", t_kinds},
    {"limits", t_limits},
    {NULL, NULL},
};

int main(int argc, char **argv) { return check_main("test_textenc", cases, argc, argv); }
