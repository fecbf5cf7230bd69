/* fuzz_roster.c - libFuzzer target: the roster CSV (app/core/csv.c reader, the row
 * checks of app/core/roster.c and the import of app/store/import.c).
 *
 * The input is read record by record with zc_csv_next (every field must
 * be inside the record buffer and NUL-terminated), then imported whole
 * into a scratch database with store_roster_import: all or nothing, so a
 * refused file must leave the elder count as it was. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../app/core/csv.h"
#include "fuzz_store.h"

static long elders(store_t *st)
{
    sqlite3_stmt *s = NULL;
    long n = -1;
    if (sqlite3_prepare_v2(store_db(st), "SELECT count(*) FROM elder", -1, &s, NULL) == SQLITE_OK &&
        sqlite3_step(s) == SQLITE_ROW)
        n = (long)sqlite3_column_int64(s, 0);
    sqlite3_finalize(s);
    if (n < 0)
        abort();
    return n;
}

static void read_records(const uint8_t *data, size_t size)
{
    static zc_csv c;
    FILE *f = fmemopen((void *)data, size, "r");
    zc_err err;
    int r, guard = 0;
    if (!f)
        return;
    zc_csv_init(&c, f);
    while ((r = zc_csv_next(&c, &err)) != 0 && r != ZC_EIO && guard++ < 100000) {
        if (r != 1)
            continue;
        if (c.nfields < 1 || c.nfields > ZC_CSV_MAX_FIELDS)
            abort();
        for (int i = 0; i < c.nfields; i++) {
            const char *fl = c.field[i];
            if (fl < c.rec || fl > c.rec + ZC_CSV_MAX_LINE ||
                strnlen(fl, (size_t)(c.rec + sizeof c.rec - fl)) == (size_t)(c.rec + sizeof c.rec - fl))
                abort();
            (void)zc_utf8_valid(fl);
        }
    }
    fclose(f);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    store_t *st = fuzz_store();
    zc_err err;
    long rows = 0, before;
    FILE *f, *report;
    if (size == 0)
        return 0;
    read_records(data, size);
    before = elders(st);
    if (!(f = fmemopen((void *)data, size, "r")))
        return 0;
    report = fopen("/dev/null", "w");
    int ret = store_roster_import(st, f, report, &rows, &err);
    fclose(f);
    if (report)
        fclose(report);
    if (ret != ZC_OK && elders(st) != before)
        abort(); /* a refused import wrote something */
    if (ret == ZC_OK && (rows < 0 || elders(st) < before))
        abort();
    return 0;
}
