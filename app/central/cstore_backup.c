/* cstore_backup.c - the centre's online backup, backup check and restore
 * (cstore_backup.h).  The copy uses sqlite3_backup_* in one step, so it is
 * one consistent snapshot; in WAL mode the service keeps writing meanwhile
 * and only the pages as of the snapshot are copied. */
#include <errno.h>
#include <stdbool.h>
#include <fcntl.h>
#include <sqlite3.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "../core/clock.h"
#include "cstore_backup.h"
#include "cstore_int.h"
#include "schema.h"

#define PATH_BUF (CS_PATH_MAX + 64)

/* fsync of a file or folder by path; -1 on failure (errno set). */
static int sync_path(const char *path, int flags)
{
    int fd = open(path, flags | O_CLOEXEC);
    if (fd < 0)
        return -1;
    int rc = fsync(fd);
    close(fd);
    return rc;
}

static void dir_of(const char *path, char *out, size_t n)
{
    const char *slash = strrchr(path, '/');
    if (!slash)
        snprintf(out, n, ".");
    else
        snprintf(out, n, "%.*s", slash == path ? 1 : (int)(slash - path), path);
}

static int fail_code(int rc)
{
    return (rc & 0xff) == SQLITE_FULL ? ZC_EFULL : ZC_EIO;
}

/* Copies src's main database into a new file tmp (mode 0600) and leaves it
 * a rollback-journal database, readable without a -wal. */
static int copy_into(sqlite3 *src, const char *tmp, zc_err *err)
{
    sqlite3 *d = NULL;
    char side[PATH_BUF + 16];
    int ret = ZC_OK;
    /* a copy killed half-way may have left its journal behind: SQLite would
     * roll it back into the new file */
    snprintf(side, sizeof side, "%s-journal", tmp);
    unlink(side);
    int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    if (fd < 0)
        return zc_errf(err, errno == ENOSPC ? ZC_EFULL : ZC_EIO, "cannot write %s: %s", tmp,
                       strerror(errno));
    close(fd);
    int rc = sqlite3_open_v2(tmp, &d, SQLITE_OPEN_READWRITE, NULL);
    if (rc == SQLITE_OK) {
        sqlite3_backup *b = sqlite3_backup_init(d, "main", src, "main");
        if (b) {
            rc = sqlite3_backup_step(b, -1);
            sqlite3_backup_finish(b);
            rc = rc == SQLITE_DONE ? SQLITE_OK : rc;
        } else {
            rc = sqlite3_errcode(d);
        }
    }
    if (rc == SQLITE_OK)
        rc = sqlite3_exec(d, "PRAGMA journal_mode = DELETE", NULL, NULL, NULL);
    if (rc != SQLITE_OK)
        ret = zc_errf(err, fail_code(rc), "copying the database into %s failed: %s%s", tmp,
                      d ? sqlite3_errmsg(d) : sqlite3_errstr(rc),
                      (rc & 0xff) == SQLITE_FULL ? " (the disk is full: free space)" : "");
    if (sqlite3_close(d) != SQLITE_OK && ret == ZC_OK)
        ret = zc_errf(err, ZC_EIO, "%s could not be closed", tmp);
    return ret;
}

/* Copies src into dest via "<dest>.tmp": copy, check, fsync, rename, fsync
 * the folder.  dest is untouched unless the checked copy replaces it. */
static int copy_checked(sqlite3 *src, const char *dest, int64_t *nsales, zc_err *err)
{
    char tmp[PATH_BUF], dir[PATH_BUF];
    if (snprintf(tmp, sizeof tmp, "%s.tmp", dest) >= (int)sizeof tmp)
        return zc_errf(err, ZC_ETOOBIG, "the path %s is too long", dest);
    int ret = copy_into(src, tmp, err);
    if (ret == ZC_OK)
        ret = central_store_check(tmp, nsales, err);
    if (ret == ZC_OK && sync_path(tmp, O_RDONLY) != 0)
        ret = zc_errf(err, ZC_EIO, "cannot sync %s to disk: %s", tmp, strerror(errno));
    if (ret == ZC_OK && rename(tmp, dest) != 0)
        ret = zc_errf(err, ZC_EIO, "cannot rename %s to %s: %s", tmp, dest, strerror(errno));
    if (ret != ZC_OK) {
        unlink(tmp); /* only ever a partial or failed copy */
        return ret;
    }
    dir_of(dest, dir, sizeof dir);
    sync_path(dir, O_RDONLY | O_DIRECTORY); /* best effort: the file itself is synced */
    return ZC_OK;
}

int central_store_backup(const char *db, const char *dest, int64_t *nsales, zc_err *err)
{
    sqlite3 *src = NULL;
    int ret;
    if (!db || !*db || !dest || !*dest)
        return zc_errf(err, ZC_EINVAL, "a backup needs the database and a file to write");
    if (access(db, F_OK) != 0)
        return zc_errf(err, ZC_ENOTFOUND, "there is no database at %s", db);
    /* read-write without the store's migrations: a backup copies what is
     * there, whatever its schema (an older build's, before an upgrade) */
    int rc = sqlite3_open_v2(db, &src, SQLITE_OPEN_READWRITE, NULL);
    if (rc == SQLITE_OK)
        sqlite3_busy_timeout(src, 5000);
    else {
        ret = zc_errf(err, ZC_EIO, "cannot open %s: %s", db, src ? sqlite3_errmsg(src) : sqlite3_errstr(rc));
        goto out;
    }
    ret = copy_checked(src, dest, nsales, err);
out:
    sqlite3_close(src);
    return ret;
}

/* The first column of the first row of sql as an integer (-1 when none). */
static int64_t scalar(sqlite3 *db, const char *sql, int *rc)
{
    sqlite3_stmt *s = NULL;
    int64_t v = -1;
    *rc = sqlite3_prepare_v2(db, sql, -1, &s, NULL);
    if (*rc == SQLITE_OK && (*rc = sqlite3_step(s)) == SQLITE_ROW) {
        v = sqlite3_column_int64(s, 0);
        *rc = SQLITE_OK;
    } else if (*rc == SQLITE_DONE) {
        *rc = SQLITE_OK;
    }
    sqlite3_finalize(s);
    return v;
}

int central_store_check(const char *path, int64_t *nsales, zc_err *err)
{
    sqlite3 *db = NULL;
    sqlite3_stmt *s = NULL;
    int ret = ZC_OK, rc, newest = 0;
    central_migration m;
    for (int i = 0; central_schema_at(i, &m); i++)
        newest = m.version > newest ? m.version : newest;
    if (!path || access(path, R_OK) != 0) {
        ret = zc_errf(err, ZC_ENOTFOUND, "cannot read %s: %s", path ? path : "(none)", strerror(errno));
        goto out;
    }
    rc = sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL);
    if (rc == SQLITE_OK)
        sqlite3_busy_timeout(db, 5000);
    int64_t version = rc == SQLITE_OK ? scalar(db, "PRAGMA user_version", &rc) : -1;
    int64_t tables = rc == SQLITE_OK ? scalar(db, "SELECT count(*) FROM sqlite_schema WHERE type = "
                                                  "'table' AND name IN ('meta', 'terminal', 'sale')",
                                              &rc)
                                     : -1;
    if (rc != SQLITE_OK) {
        ret = zc_errf(err, ZC_EDB, "%s is not a readable SQLite database (%s)", path,
                      db ? sqlite3_errmsg(db) : sqlite3_errstr(rc));
        goto out;
    }
    if (tables != 3 || version < 1) {
        ret = zc_errf(err, ZC_EDB, "%s is not a zhucan-central database (no centre tables)", path);
        goto out;
    }
    if (version > newest) {
        ret = zc_errf(err, ZC_EDB, "%s has schema version %lld but this zhucan-central knows only up "
                      "to %d; use the newer zhucan-central that wrote it", path, (long long)version,
                      newest);
        goto out;
    }
    rc = sqlite3_prepare_v2(db, "PRAGMA integrity_check(5)", -1, &s, NULL);
    if (rc == SQLITE_OK && (rc = sqlite3_step(s)) == SQLITE_ROW) {
        const char *r = (const char *)sqlite3_column_text(s, 0);
        if (!r || strcmp(r, "ok") != 0)
            ret = zc_errf(err, ZC_EDB, "%s is damaged: integrity check says: %s", path,
                          r ? r : "(nothing)");
    } else {
        ret = zc_errf(err, ZC_EDB, "the integrity check of %s could not run: %s", path,
                      sqlite3_errmsg(db));
    }
    if (ret == ZC_OK && nsales) {
        *nsales = scalar(db, "SELECT count(*) FROM sale", &rc);
        if (rc != SQLITE_OK)
            ret = zc_errf(err, ZC_EDB, "cannot count the sales in %s: %s", path, sqlite3_errmsg(db));
    }
out:
    sqlite3_finalize(s);
    sqlite3_close(db);
    return ret;
}

/* Renames path+suffix to aside+suffix when it exists. */
static int move_aside(const char *path, const char *aside, const char *suffix, zc_err *err)
{
    char from[PATH_BUF + 8], to[PATH_BUF + 48];
    snprintf(from, sizeof from, "%s%s", path, suffix);
    snprintf(to, sizeof to, "%s%s", aside, suffix);
    if (rename(from, to) != 0 && errno != ENOENT)
        return zc_errf(err, ZC_EIO, "cannot move %s aside to %s: %s; nothing was restored", from, to,
                       strerror(errno));
    return ZC_OK;
}

/* Does a process have the database at db open?  While any connection to a
 * WAL database is open, SQLite holds a read lock on the "DMS" byte of its
 * -shm file (offset 128); F_GETLK asks about it without taking it.  (A
 * restore under a running service would be lost: it keeps writing to the
 * file moved aside.) */
static bool in_use(const char *db)
{
    char shm[PATH_BUF + 8];
    snprintf(shm, sizeof shm, "%s-shm", db);
    int fd = open(shm, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return false;
    struct flock fl = {.l_type = F_WRLCK, .l_whence = SEEK_SET, .l_start = 128, .l_len = 1};
    bool busy = fcntl(fd, F_GETLK, &fl) == 0 && fl.l_type != F_UNLCK;
    close(fd);
    return busy;
}

int central_store_restore(const char *db, const char *from, char *aside, size_t n, zc_err *err)
{
    sqlite3 *src = NULL;
    char side[PATH_BUF + 40] = "", stamp[20];
    struct stat sb;
    int ret;
    if (aside && n)
        aside[0] = '\0';
    if (!db || !from || strlen(db) >= CS_PATH_MAX)
        return zc_errf(err, ZC_EINVAL, "a restore needs the database path and a backup file");
    if (in_use(db))
        return zc_errf(err, ZC_ELOCKED, "%s is open in another process (is the service running? "
                       "systemctl stop zhucan-central); nothing was changed", db);
    zc_err why = {""};
    if ((ret = central_store_check(from, NULL, &why)) != ZC_OK)
        return zc_errf(err, ret, "the backup does not check, nothing was changed: %s", why.msg);
    int rc = sqlite3_open_v2(from, &src, SQLITE_OPEN_READONLY, NULL);
    if (rc != SQLITE_OK) {
        ret = zc_errf(err, ZC_EIO, "cannot open %s: %s", from, sqlite3_errstr(rc));
        goto out;
    }
    if (stat(db, &sb) == 0) {
        time_t t = (time_t)zc_now();
        struct tm tm;
        gmtime_r(&t, &tm);
        strftime(stamp, sizeof stamp, "%Y%m%dT%H%M%SZ", &tm);
        snprintf(side, sizeof side, "%s.replaced-%s", db, stamp);
        /* the main file first: if that fails nothing has moved; its -wal
         * must follow it, or SQLite would replay it into the restored file */
        if ((ret = move_aside(db, side, "", err)) || (ret = move_aside(db, side, "-wal", err)) ||
            (ret = move_aside(db, side, "-shm", err)))
            goto out;
        if (aside)
            snprintf(aside, n, "%s", side);
    }
    ret = copy_checked(src, db, NULL, err);
out:
    sqlite3_close(src);
    return ret;
}
