/* cstore_backup.h - online backups of the central database, the check of a
 * backup file, and restoring one (the SQLite backend's; SQL stays in
 * cstore*.c).
 *
 * A backup is taken with SQLite's online backup API while `serve` keeps accepting sales (WAL: the copy reads one snapshot and
 * blocks no writer), written to "<dest>.tmp", switched out of WAL, checked
 * with PRAGMA integrity_check, fsync'd and renamed into place: a backup
 * file is either whole and checked, or absent.  Restoring never deletes:
 * the database it replaces (and its -wal/-shm) is renamed aside first. */
#ifndef ZC_CENTRAL_CSTORE_BACKUP_H
#define ZC_CENTRAL_CSTORE_BACKUP_H

#include <stddef.h>
#include <stdint.h>

#include "cstore.h"

/* Copies the database at db into dest (mode 0600) atomically and checks the
 * copy (central_store_check; *nsales, may be NULL, gets its sales); an
 * existing dest is replaced only by a checked copy.  db is not migrated:
 * the copy has the schema db has. */
int central_store_backup(const char *db, const char *dest, int64_t *nsales, zc_err *err) ZC_MUST;

/* Checks a database file without changing it: a central database (it has
 * the centre's tables), PRAGMA integrity_check says ok, and its schema is
 * one this build knows.  *nsales (may be NULL) gets its number of sales.
 * ZC_EDB with a message naming what is wrong. */
int central_store_check(const char *path, int64_t *nsales, zc_err *err) ZC_MUST;

/* Replaces the database at db by the backup from, after checking it.  The
 * old file and its -wal/-shm are renamed to "<db>.replaced-YYYYMMDDTHHMMSSZ"
 * (+"-wal"/"-shm") first; the path goes to aside (may be NULL; "" when there
 * was no old file).  The service must be stopped: ZC_ELOCKED when a process
 * has db open. */
int central_store_restore(const char *db, const char *from, char *aside, size_t n,
                          zc_err *err) ZC_MUST;

#endif
