/* test_csvout.c - the CSV writer: BOM, quoting, formulas, yuan, sticky errors. */
#include <stdlib.h>
#include <string.h>

#include "../app/core/csvout.h"
#include "check.h"

/* Writes rows through a memory stream and returns the text (caller frees). */
static char *render(void (*fill)(zc_csvout *), int *rc)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    zc_csvout w;
    zc_err err = {""};
    zc_csvout_begin(&w, f);
    fill(&w);
    *rc = zc_csvout_finish(&w, "the test CSV", &err);
    fclose(f);
    return buf;
}

static void fill_basic(zc_csvout *w)
{
    zc_csvout_str(w, "日期");
    zc_csvout_str(w, "金额(元)");
    zc_csvout_str(w, "fen");
    zc_csvout_row(w);
    zc_csvout_str(w, "张,三");
    zc_csvout_yuan(w, 1250);
    zc_csvout_int(w, -7);
    zc_csvout_row(w);
    zc_csvout_str(w, "say \"hi\"");
    zc_csvout_yuan(w, 5);
    zc_csvout_str(w, "=SUM(A1)");
    zc_csvout_row(w);
    zc_csvout_str(w, NULL);
    zc_csvout_str(w, " pad");
    zc_csvout_str(w, "a\nb");
    zc_csvout_row(w);
}

static void test_basic(void)
{
    int rc;
    char *t = render(fill_basic, &rc);
    CHECK(rc == ZC_OK);
    CHECK(strcmp(t, "\xEF\xBB\xBF日期,金额(元),fen\r\n"
                    "\"张,三\",12.50,-7\r\n"
                    "\"say \"\"hi\"\"\",0.05,\"'=SUM(A1)\"\r\n"
                    ",\" pad\",\"a\nb\"\r\n") == 0);
    free(t);
}

static void test_write_failure(void)
{
    FILE *f = fopen("/dev/full", "w");
    if (!f) {
        CHECK(!"/dev/full is missing");
        return;
    }
    setvbuf(f, NULL, _IONBF, 0);
    zc_csvout w;
    zc_err err = {""};
    zc_csvout_begin(&w, f);
    zc_csvout_str(&w, "x");
    zc_csvout_row(&w);
    CHECK(zc_csvout_finish(&w, "the ledger CSV", &err) == ZC_EIO);
    CHECK(strstr(err.msg, "the ledger CSV") != NULL);
    fclose(f);
}

static const check_case cases[] = {{"basic", test_basic}, {"write_failure", test_write_failure}, {0}};

int main(int argc, char **argv) { return check_main("test_csvout", cases, argc, argv); }
