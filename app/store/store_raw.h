/* store_raw.h - the raw SQLite handle of a store_t, for the store's own
 * files, tests and benchmarks only.  Nothing else in app/ includes this:
 * the terminal's SQL lives in app/store behind store.h and its siblings. */
#ifndef ZC_STORE_RAW_H
#define ZC_STORE_RAW_H

#include "store.h"

/* Borrowed: valid until store_close(st). */
struct sqlite3 *store_db(store_t *st);

#endif
