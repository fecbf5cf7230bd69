/* fuzz_store.h - scratch databases for the fuzz targets that need one
 * (roster import, sync replies, the centre's API): real SQLite files in a
 * fresh directory, on tmpfs when there is one, removed when the fuzzer
 * exits.  The terminal store runs with synchronous=OFF because a fuzzer
 * commits thousands of times a second and durability is not what it
 * tests; everything else is the store as shipped. */
#ifndef ZC_FUZZ_STORE_H
#define ZC_FUZZ_STORE_H

#include <dirent.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../../app/store/store.h"
#include "../../app/store/store_raw.h"

static char fuzz_dir[] = "/tmp/zc-fuzz-XXXXXX";

static inline void fuzz_dir_remove(void)
{
    char p[sizeof fuzz_dir + 300];
    DIR *d = opendir(fuzz_dir);
    struct dirent *e;
    while (d && (e = readdir(d)))
        if (strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0) {
            snprintf(p, sizeof p, "%s/%s", fuzz_dir, e->d_name);
            unlink(p);
        }
    if (d)
        closedir(d);
    rmdir(fuzz_dir);
}

/* dir/name in the process's scratch directory (made on first use; the
 * returned path is overwritten by the next call).  Aborts on failure:
 * a fuzzer without its database would test nothing. */
static inline const char *fuzz_path(const char *name)
{
    static char path[sizeof fuzz_dir + 64];
    if (fuzz_dir[sizeof fuzz_dir - 2] == 'X') {
        if (access("/dev/shm", W_OK) == 0)
            memcpy(fuzz_dir, "/dev/shm", 8);
        if (!mkdtemp(fuzz_dir))
            abort();
        atexit(fuzz_dir_remove);
    }
    snprintf(path, sizeof path, "%s/%s", fuzz_dir, name);
    return path;
}

/* The process's scratch terminal store. */
static inline store_t *fuzz_store(void)
{
    static store_t *st;
    zc_err err = {""};
    if (st)
        return st;
    if (store_open(fuzz_path("t.db"), STORE_CREATE, &st, &err) != ZC_OK) {
        fprintf(stderr, "fuzz: cannot open the scratch store: %s\n", err.msg);
        abort();
    }
    if (sqlite3_exec(store_db(st), "PRAGMA synchronous = OFF", NULL, NULL, NULL) != SQLITE_OK)
        abort();
    return st;
}

#endif
