/* backup.h - online backups of the terminal database, the health check at
 * start, and restoring a backup over a damaged database.
 *
 * A backup is made with SQLite's online backup API while the till keeps
 * selling, written to a temporary file, synced and renamed into place, so a
 * backup file is either complete or absent.  Automatic backups go to a
 * folder (default: "backups" next to the database) named
 * "<db name>-YYYYMMDDTHHMMSSZ.db" (UTC); the newest `keep` are kept.
 * Restoring never deletes anything: the damaged file (and its -wal) is
 * renamed aside first. */
#ifndef ZC_STORE_BACKUP_H
#define ZC_STORE_BACKUP_H

#include <stddef.h>
#include <stdint.h>

#include "store.h"

#define STORE_BACKUP_KEEP 10 /* automatic backups kept by default */

/* Copies the open database into dest (mode 0600), atomically: dest is
 * either the whole consistent copy or untouched.  An existing dest is
 * replaced. */
int store_backup(store_t *st, const char *dest, zc_err *err) ZC_MUST;

/* The default backup folder of the database at db: "<dir of db>/backups". */
void store_backup_dir(const char *db, char *out, size_t n);

/* Makes a timestamped backup in dir (created 0700 if missing) and deletes
 * the oldest of this database's backups there beyond keep.  The new file's
 * path goes to made (may be NULL). */
int store_backup_rotate(store_t *st, const char *dir, int keep, char *made, size_t n,
                        zc_err *err) ZC_MUST;

/* The till's automatic backup (kiosk start, shift close, every few idle
 * hours): store_backup_rotate into store_backup_dir keeping the setting
 * backup_keep (default STORE_BACKUP_KEEP). */
int store_backup_auto(store_t *st, char *made, size_t n, zc_err *err) ZC_MUST;

/* Checks a database file without changing it: SQLite's integrity check and
 * the sale hash chain.  *nsales (may be NULL) gets the number of sales.
 * ZC_EDB with a message when damaged. */
int store_backup_check(const char *path, int64_t *nsales, zc_err *err) ZC_MUST;

/* The newest backup of db in dir that passes store_backup_check, into out;
 * ZC_ENOTFOUND when there is none. */
int store_backup_newest(const char *db, const char *dir, char *out, size_t n) ZC_MUST;

/* Is the database at path fit to sell on?  Opens it and runs SQLite's
 * quick check.  ZC_OK when healthy; ZC_EDB when damaged or truncated
 * (the message says so); other codes (missing file, read-only, disk full)
 * as store_open gives them. */
int store_health(const char *path, zc_err *err) ZC_MUST;

/* The active supervisors and admins in the backup file (up to cap), for
 * approving a restore when the live database (and its operators) is
 * damaged. */
int store_backup_supervisors(const char *backup, store_operator *out, int cap, int *n,
                             zc_err *err) ZC_MUST;
/* ZC_OK when op_id is an active supervisor or admin in the backup and pin
 * is theirs; ZC_EREFUSED otherwise.  Reads only: the caller counts wrong
 * PINs. */
int store_backup_pin(const char *backup, const char *op_id, const char *pin, zc_err *err) ZC_MUST;

/* What to tell a person whose database db is damaged: the exact
 * `zhucan restore` command for the newest good backup in the default folder,
 * or that there is none. */
void store_restore_hint(const char *db, char *out, size_t n);

/* Replaces the database at db by the backup from, after checking it
 * (store_backup_check).  The old file and its -wal/-shm are renamed to
 * "<db>.damaged-YYYYMMDDTHHMMSSZ[-wal|-shm]" first (path to aside, may be
 * NULL; "" when there was no old file); nothing is deleted.  Sets meta
 * restored_pending=1 in the restored file (store.h).  No process may have
 * db open. */
int store_restore(const char *db, const char *from, char *aside, size_t n, zc_err *err) ZC_MUST;

#endif
