/* schema.h - the centre's schema migrations (db/central/NNN_*.sql), in
 * version order, for whichever store backend applies them. */
#ifndef ZC_CENTRAL_SCHEMA_H
#define ZC_CENTRAL_SCHEMA_H

typedef struct central_migration {
    int version;      /* NNN; PRAGMA user_version after it is applied */
    const char *path; /* "db/central/001_init.sql" */
    const char *sql;  /* the file's text */
} central_migration;

/* Terminated by an entry with version 0. */
extern const central_migration central_schema[];

#endif
