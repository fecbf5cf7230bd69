/* schema.h - the centre's schema migrations (db/central/NNN_*.sql, compiled
 * in by db/embed.sh), in version order, for whichever store backend applies
 * them. */
#ifndef ZC_CENTRAL_SCHEMA_H
#define ZC_CENTRAL_SCHEMA_H

#include <stdbool.h>

typedef struct central_migration {
    int version;      /* NNN; PRAGMA user_version after it is applied */
    const char *path; /* "db/central/001_init.sql" (borrowed, static) */
    const char *sql;  /* the file's text (borrowed, static) */
} central_migration;

/* The i-th migration (from 0) into *out; false past the last one. */
bool central_schema_at(int i, central_migration *out);

#endif
