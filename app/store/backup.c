/* backup.c - online backups, the start-up health check, and restore.
 *
 * A backup runs through sqlite3_backup_* on the till's own connection, so
 * it sees one consistent snapshot and, in WAL mode, never stops a sale.
 * The copy goes to "<dest>.tmp", is switched out of WAL (one self-contained
 * file), fsync'd and renamed over dest; the folder is fsync'd too, so after
 * a power cut a backup is either whole or not there.  Restore checks the
 * backup (integrity and hash chain) before it touches anything, and moves
 * the damaged file aside instead of deleting it: it may still hold sales
 * made after the backup. */
#include <sqlite3.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "../core/clock.h"
#include "backup.h"
#include "store_int.h"

#define STAMP_LEN 16 /* "YYYYMMDDTHHMMSSZ" */
#define PATH_BUF (STORE_PATH_MAX + 64)

/* "YYYYMMDDTHHMMSSZ" for now, in UTC so names sort in time order whatever
 * the terminal's zone. */
static void stamp(char out[STAMP_LEN + 1])
{
    time_t t = (time_t)zc_now();
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(out, STAMP_LEN + 1, "%Y%m%dT%H%M%SZ", &tm);
}

/* fsync of a file or a folder by path. */
static int sync_path(const char *path, int flags)
{
    int fd = open(path, flags | O_CLOEXEC);
    if (fd < 0)
        return -1;
    int rc = fsync(fd);
    close(fd);
    return rc;
}

/* The folder part of path ("." when it has none). */
static void dir_of(const char *path, char *out, size_t n)
{
    const char *slash = strrchr(path, '/');
    if (!slash)
        snprintf(out, n, ".");
    else if (slash == path)
        snprintf(out, n, "/");
    else
        snprintf(out, n, "%.*s", (int)(slash - path), path);
}

static const char *base_of(const char *path)
{
    const char *slash = strrchr(path, '/');
    return slash ? slash + 1 : path;
}

static bool exists(const char *path)
{
    struct stat sb;
    return stat(path, &sb) == 0;
}

/* Copies src's main database into the new file tmp and closes it as a
 * rollback-journal database (no -wal needed to read it). */
static int copy_into(sqlite3 *src, const char *tmp, zc_err *err)
{
    sqlite3 *d = NULL;
    char side[PATH_BUF + 16];
    int ret = ZC_OK;
    /* a backup killed half-way may have left its journal: SQLite would
     * "roll it back" into the new copy */
    snprintf(side, sizeof side, "%s-journal", tmp);
    unlink(side);
    int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    if (fd < 0)
        return zc_errf(err, errno == ENOSPC ? ZC_EFULL : ZC_EIO, "cannot write the backup %s: %s", tmp,
                       strerror(errno));
    (void)fchmod(fd, 0600); /* a leftover tmp keeps its mode through O_CREAT */
    close(fd);
    int rc = sqlite3_open_v2(tmp, &d, SQLITE_OPEN_READWRITE, NULL);
    if (rc == SQLITE_OK) {
        sqlite3_backup *b = sqlite3_backup_init(d, "main", src, "main");
        if (b) {
            /* all pages in one step: one snapshot, no restarts */
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
        ret = zc_errf(err, (rc & 0xff) == SQLITE_FULL ? ZC_EFULL : ZC_EIO,
                      "the backup into %s failed: %s%s", tmp, d ? sqlite3_errmsg(d) : sqlite3_errstr(rc),
                      (rc & 0xff) == SQLITE_FULL ? " (disk full: free space)" : "");
    if (sqlite3_close(d) != SQLITE_OK && ret == ZC_OK)
        ret = zc_errf(err, ZC_EIO, "the backup %s could not be closed", tmp);
    return ret;
}

/* Copies src into dest atomically (tmp file, fsync, rename, fsync folder). */
static int backup_db(sqlite3 *src, const char *dest, zc_err *err)
{
    char tmp[PATH_BUF], dir[PATH_BUF];
    if (snprintf(tmp, sizeof tmp, "%s.tmp", dest) >= (int)sizeof tmp)
        return zc_errf(err, ZC_ETOOBIG, "the backup path %s is too long", dest);
    int ret = copy_into(src, tmp, err);
    if (ret == ZC_OK && sync_path(tmp, O_RDONLY) != 0)
        ret = zc_errf(err, ZC_EIO, "cannot sync the backup %s to disk: %s", tmp, strerror(errno));
    if (ret == ZC_OK && rename(tmp, dest) != 0)
        ret = zc_errf(err, ZC_EIO, "cannot rename %s to %s: %s", tmp, dest, strerror(errno));
    if (ret != ZC_OK) {
        unlink(tmp); /* a partial copy only */
        return ret;
    }
    dir_of(dest, dir, sizeof dir);
    sync_path(dir, O_RDONLY | O_DIRECTORY); /* best effort: the file itself is synced */
    return ZC_OK;
}

int store_backup(store_t *st, const char *dest, zc_err *err)
{
    if (!st || !dest || !*dest)
        return zc_errf(err, ZC_EINVAL, "a backup needs an open database and a file to write");
    return backup_db(st->db, dest, err);
}

void store_backup_dir(const char *db, char *out, size_t n)
{
    char dir[PATH_BUF];
    dir_of(db, dir, sizeof dir);
    snprintf(out, n, "%s/backups", dir);
}

/* Is name one of db's rotating backups: "<base>-YYYYMMDDTHHMMSSZ.db"? */
static bool is_backup_of(const char *name, const char *base)
{
    size_t nb = strlen(base), nn = strlen(name);
    if (nn != nb + 1 + STAMP_LEN + 3 || strncmp(name, base, nb) != 0 || name[nb] != '-')
        return false;
    const char *s = name + nb + 1;
    for (int i = 0; i < STAMP_LEN; i++) {
        bool digit = s[i] >= '0' && s[i] <= '9';
        if ((i == 8 && s[i] != 'T') || (i == 15 && s[i] != 'Z') || (i != 8 && i != 15 && !digit))
            return false;
    }
    return strcmp(s + STAMP_LEN, ".db") == 0;
}

static int cmp_names(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The names of db's backups in dir, oldest first; caller frees each and
 * the array.  *n = 0 and NULL when the folder is missing or empty. */
static char **list_backups(const char *dir, const char *base, int *n)
{
    char **names = NULL;
    int cap = 0;
    *n = 0;
    DIR *d = opendir(dir);
    if (!d)
        return NULL;
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        if (!is_backup_of(e->d_name, base))
            continue;
        if (*n == cap) {
            int ncap = cap ? cap * 2 : 16;
            char **more = realloc(names, (size_t)ncap * sizeof *names);
            if (!more)
                break;
            names = more;
            cap = ncap;
        }
        if ((names[*n] = strdup(e->d_name)) != NULL)
            (*n)++;
    }
    closedir(d);
    if (*n)
        qsort(names, (size_t)*n, sizeof *names, cmp_names);
    return names;
}

static void free_names(char **names, int n)
{
    for (int i = 0; i < n; i++)
        free(names[i]);
    free(names);
}

int store_backup_rotate(store_t *st, const char *dir, int keep, char *made, size_t n, zc_err *err)
{
    char dest[PATH_BUF], ts[STAMP_LEN + 1], old[PATH_BUF];
    const char *base = base_of(st->path);
    if (keep < 1)
        keep = 1;
    if (mkdir(dir, 0700) != 0 && errno != EEXIST)
        return zc_errf(err, ZC_EIO, "cannot create the backup folder %s: %s", dir, strerror(errno));
    stamp(ts);
    if (snprintf(dest, sizeof dest, "%s/%s-%s.db", dir, base, ts) >= (int)sizeof dest)
        return zc_errf(err, ZC_ETOOBIG, "the backup folder path %s is too long", dir);
    int ret = backup_db(st->db, dest, err);
    if (ret)
        return ret;
    if (made)
        snprintf(made, n, "%s", dest);
    int count = 0;
    char **names = list_backups(dir, base, &count);
    for (int i = 0; i + keep < count; i++) {
        if (snprintf(old, sizeof old, "%s/%s", dir, names[i]) < (int)sizeof old)
            unlink(old);
    }
    free_names(names, count);
    return ZC_OK;
}

int store_backup_auto(store_t *st, char *made, size_t n, zc_err *err)
{
    char dir[PATH_BUF + 16], keep_s[16];
    long keep = STORE_BACKUP_KEEP;
    /* always the default folder: the recovery screen looks there when the
     * damaged database's settings cannot be read */
    store_backup_dir(st->path, dir, sizeof dir);
    if (store_meta_get(st, "backup_keep", keep_s, sizeof keep_s) == ZC_OK) {
        char *end = NULL;
        long v = strtol(keep_s, &end, 10);
        if (end != keep_s && !*end && v >= 1 && v <= 1000)
            keep = v;
    }
    return store_backup_rotate(st, dir, (int)keep, made, n, err);
}

int store_backup_check(const char *path, int64_t *nsales, zc_err *err)
{
    store_t *st = NULL;
    sqlite3_stmt *s = NULL;
    int64_t n = 0;
    zc_err e = {{0}};
    int ret = store_open(path, STORE_READONLY, &st, &e);
    if (ret) {
        ret = zc_errf(err, ret, "%s", e.msg);
        goto out;
    }
    int rc = sqlite3_prepare_v2(st->db, "PRAGMA integrity_check", -1, &s, NULL);
    if (rc == SQLITE_OK)
        rc = sqlite3_step(s);
    if (rc != SQLITE_ROW || strcmp((const char *)sqlite3_column_text(s, 0), "ok") != 0) {
        ret = zc_errf(err, ZC_EDB, "%s is damaged: %s", path,
                      rc == SQLITE_ROW ? (const char *)sqlite3_column_text(s, 0) : sqlite3_errmsg(st->db));
        goto out;
    }
    ret = store_chain_verify(st, &n, err);
out:
    sqlite3_finalize(s);
    store_close(st);
    if (nsales)
        *nsales = n;
    return ret;
}

int store_backup_newest(const char *db, const char *dir, char *out, size_t n)
{
    char path[PATH_BUF];
    int count = 0, ret = ZC_ENOTFOUND;
    char **names = list_backups(dir, base_of(db), &count);
    for (int i = count - 1; i >= 0; i--) {
        if (snprintf(path, sizeof path, "%s/%s", dir, names[i]) >= (int)sizeof path)
            continue;
        if (store_backup_check(path, NULL, NULL) == ZC_OK) {
            snprintf(out, n, "%s", path);
            ret = ZC_OK;
            break;
        }
    }
    free_names(names, count);
    return ret;
}

/* Runs fn on each active supervisor/admin row of the backup: id, name,
 * role, pin_hash.  Stops early when fn returns false. */
static int each_supervisor(const char *backup, bool (*fn)(void *, store_t *, sqlite3_stmt *),
                           void *ctx, zc_err *err)
{
    store_t *st = NULL;
    sqlite3_stmt *s = NULL;
    zc_err e = {{0}};
    int ret = store_open(backup, STORE_READONLY, &st, &e);
    if (ret) {
        ret = zc_errf(err, ret, "%s", e.msg);
        goto out;
    }
    int rc = sqlite3_prepare_v2(st->db, "SELECT id, name, role, pin_hash FROM operator WHERE active = 1 "
                                "AND role <> 'cashier' ORDER BY id", -1, &s, NULL);
    if (rc == SQLITE_OK)
        while ((rc = sqlite3_step(s)) == SQLITE_ROW)
            if (!fn(ctx, st, s)) {
                rc = SQLITE_DONE;
                break;
            }
    if (rc != SQLITE_DONE)
        ret = zc_errf(err, ZC_EDB, "cannot read the operators of the backup %s: %s", backup,
                      sqlite3_errmsg(st->db));
out:
    sqlite3_finalize(s);
    store_close(st);
    return ret;
}

typedef struct sup_list {
    store_operator *out;
    int cap, n;
} sup_list;

static bool add_supervisor(void *ctx, store_t *st, sqlite3_stmt *s)
{
    sup_list *l = ctx;
    (void)st;
    if (l->n == l->cap)
        return false;
    store_operator *o = &l->out[l->n++];
    memset(o, 0, sizeof *o);
    store_col_text(s, 0, o->id, sizeof o->id);
    store_col_text(s, 1, o->name, sizeof o->name);
    const char *role = (const char *)sqlite3_column_text(s, 2);
    o->role = role && strcmp(role, "admin") == 0 ? STORE_ROLE_ADMIN : STORE_ROLE_SUPERVISOR;
    o->active = true;
    return true;
}

int store_backup_supervisors(const char *backup, store_operator *out, int cap, int *n, zc_err *err)
{
    sup_list l = {.out = out, .cap = cap};
    int ret = each_supervisor(backup, add_supervisor, &l, err);
    *n = l.n;
    return ret;
}

typedef struct pin_try {
    const char *id, *pin;
    bool right;
} pin_try;

static bool try_pin(void *ctx, store_t *st, sqlite3_stmt *s)
{
    pin_try *p = ctx;
    const char *id = (const char *)sqlite3_column_text(s, 0);
    const char *hash = (const char *)sqlite3_column_text(s, 3);
    if (!id || strcmp(id, p->id) != 0)
        return true;
    p->right = hash && store_pin_verify(st, hash, p->pin) == ZC_OK; /* sealed: the key next to
                                                                      the database opens it */
    return false;
}

int store_backup_pin(const char *backup, const char *op_id, const char *pin, zc_err *err)
{
    pin_try p = {.id = op_id, .pin = pin};
    int ret = each_supervisor(backup, try_pin, &p, err);
    if (ret)
        return ret;
    return p.right ? ZC_OK
                   : zc_errf(err, ZC_EREFUSED, "wrong PIN, or %s is not a supervisor in the backup", op_id);
}

void store_restore_hint(const char *db, char *out, size_t n)
{
    char dir[PATH_BUF + 16], newest[PATH_BUF];
    store_backup_dir(db, dir, sizeof dir);
    if (store_backup_newest(db, dir, newest, sizeof newest) == ZC_OK)
        snprintf(out, n, "restore the newest good backup: zhucan restore --db %s --from %s", db, newest);
    else
        snprintf(out, n, "no good backup in %s: check the path, or call support", dir);
}

int store_open_fail(store_t *st, int rc, zc_err *err)
{
    char hint[2 * PATH_BUF];
    if (!st->readonly && (sqlite3_db_readonly(st->db, "main") == 1 || (rc & 0xff) == SQLITE_READONLY))
        return zc_errf(err, ZC_EDB, "the database %s is read-only (the file's or its folder's permissions or "
                       "owner, or a read-only disk); the till must write every sale: make both writable by the "
                       "till's user", st->path);
    if ((rc & 0xff) == SQLITE_NOTADB || (rc & 0xff) == SQLITE_CORRUPT) {
        store_restore_hint(st->path, hint, sizeof hint);
        return zc_errf(err, ZC_EDB, "%s is not a Zhucan database or is damaged (%s); %s", st->path,
                       sqlite3_errmsg(st->db), hint);
    }
    /* a full disk or an I/O error is not damage: say which */
    if (store_dbfail(st, rc, "opening the database", err) == ZC_EFULL)
        return zc_errf(err, ZC_EFULL, "disk full: cannot open the database %s; free space and try again "
                       "(nothing was saved)", st->path);
    return store_dbfail(st, rc, "opening the database", err);
}

int store_empty_check(const char *path, zc_err *err)
{
    char hint[2 * PATH_BUF];
    struct stat sb;
    if (stat(path, &sb) != 0 || sb.st_size > 0)
        return ZC_OK;
    store_restore_hint(path, hint, sizeof hint);
    return zc_errf(err, ZC_EDB, "the database %s is empty (truncated); %s", path, hint);
}

/* The damaged-file message every caller of store_health shows. */
static int damaged(const char *path, const char *why, zc_err *err)
{
    char hint[2 * PATH_BUF];
    store_restore_hint(path, hint, sizeof hint);
    return zc_errf(err, ZC_EDB, "the database %s is damaged (%s); %s", path, why, hint);
}

int store_health(const char *path, zc_err *err)
{
    struct stat sb;
    sqlite3 *db = NULL;
    sqlite3_stmt *s = NULL;
    int ret = ZC_OK;
    if (stat(path, &sb) != 0)
        return zc_errf(err, ZC_ENOTFOUND, "cannot open the database %s (%s); check the path, or create "
                       "it first with zhucan init", path, strerror(errno));
    /* SQLite takes an empty file for a new database: for a till it is a
     * truncated one */
    if (sb.st_size == 0)
        return damaged(path, "the file is empty", err);
    int rc = sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL);
    if (rc == SQLITE_OK)
        rc = sqlite3_prepare_v2(db, "PRAGMA quick_check", -1, &s, NULL);
    if (rc == SQLITE_OK)
        rc = sqlite3_step(s);
    switch (rc & 0xff) {
    case SQLITE_ROW:
        if (strcmp((const char *)sqlite3_column_text(s, 0), "ok") != 0)
            ret = damaged(path, (const char *)sqlite3_column_text(s, 0), err);
        break;
    case SQLITE_NOTADB:
    case SQLITE_CORRUPT:
        ret = damaged(path, db ? sqlite3_errmsg(db) : sqlite3_errstr(rc), err);
        break;
    default: /* not damage: the open that follows says what it is */
        break;
    }
    sqlite3_finalize(s);
    sqlite3_close(db);
    return ret;
}

/* Renames path+suffix to aside+suffix when it exists. */
static int move_aside(const char *path, const char *aside, const char *suffix, zc_err *err)
{
    char from[PATH_BUF], to[PATH_BUF];
    snprintf(from, sizeof from, "%s%s", path, suffix);
    snprintf(to, sizeof to, "%s%s", aside, suffix);
    if (!exists(from))
        return ZC_OK;
    if (rename(from, to) == 0) {
        (void)chmod(to, 0600); /* it holds the sales and sealed PINs like the database */
        return ZC_OK;
    }
    return zc_errf(err, ZC_EIO, "cannot move %s aside to %s: %s; nothing was restored", from, to,
                   strerror(errno));
}

/* Notes in the restored database that sales made after the backup may be
 * held at the centre: selling waits for a sync to take them back (sale.c). */
static int mark_restored(const char *db, zc_err *err)
{
    store_t *st = NULL;
    int ret = store_open(db, 0, &st, err);
    if (ret == ZC_OK)
        ret = store_meta_set(st, "restored_pending", "1", err);
    store_close(st);
    return ret;
}

int store_restore(const char *db, const char *from, char *aside, size_t n, zc_err *err)
{
    char side[PATH_BUF], ts[STAMP_LEN + 1];
    store_t *src = NULL;
    zc_err e = {{0}};
    int ret = store_backup_check(from, NULL, &e);
    if (ret) {
        ret = zc_errf(err, ret, "the backup is not usable, nothing was changed: %s", e.msg);
        goto out;
    }
    if (aside && n)
        aside[0] = '\0';
    if (exists(db)) {
        stamp(ts);
        if (snprintf(side, sizeof side, "%s.damaged-%s", db, ts) >= (int)sizeof side) {
            ret = zc_errf(err, ZC_ETOOBIG, "the database path %s is too long", db);
            goto out;
        }
        /* the main file last: a half-done move leaves it in place */
        if ((ret = move_aside(db, side, "-wal", err)) || (ret = move_aside(db, side, "-shm", err)) ||
            (ret = move_aside(db, side, "", err)))
            goto out;
        if (aside)
            snprintf(aside, n, "%s", side);
    }
    if ((ret = store_open(from, STORE_READONLY, &src, &e)) != ZC_OK) {
        ret = zc_errf(err, ret, "%s", e.msg);
        goto out;
    }
    if ((ret = backup_db(src->db, db, err)) == ZC_OK)
        ret = mark_restored(db, err);
out:
    store_close(src);
    return ret;
}
