/* fuzz_store.h - a scratch terminal database for the fuzz targets that
 * need one (roster import, sync replies): a real SQLite file in a fresh
 * temporary directory, opened once per process.  synchronous=OFF because
 * a fuzzer commits thousands of times a second and durability is not what
 * it tests; everything else is the store as shipped. */
#ifndef ZC_FUZZ_STORE_H
#define ZC_FUZZ_STORE_H

#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>

#include "../../app/store/store.h"

/* The process's scratch store (created on first use; aborts on failure,
 * since a fuzzer without its database would test nothing). */
static store_t *fuzz_store(void)
{
    static store_t *st;
    static char dir[] = "/tmp/zc-fuzz-XXXXXX";
    char path[sizeof dir + 16];
    zc_err err = {""};
    if (st)
        return st;
    if (!mkdtemp(dir))
        abort();
    snprintf(path, sizeof path, "%s/t.db", dir);
    if (store_open(path, STORE_CREATE, &st, &err) != ZC_OK) {
        fprintf(stderr, "fuzz: cannot open %s: %s\n", path, err.msg);
        abort();
    }
    if (sqlite3_exec(store_db(st), "PRAGMA synchronous = OFF", NULL, NULL, NULL) != SQLITE_OK)
        abort();
    return st;
}

#endif
