/* store.c - opening the terminal's database, its migrations, the statement
 * cache, and the small configuration tables (meta, canteen, menu).  Policies
 * and the calendar are in policies.c.
 *
 * Open sequence: create the file with mode 0600 if asked; open one
 * connection; make the first read, which is where SQLite notices a file that
 * is not a database; set WAL, synchronous=FULL, foreign keys and the busy
 * timeout; then apply every embedded db/NNN_*.sql whose NNN is above PRAGMA
 * user_version, each in its own transaction that also sets user_version to
 * NNN.  A database whose version is above the newest embedded migration was
 * written by a newer Zhucan and is refused, untouched, rather than guessed
 * at.  Finally the deployment's ID-number salt (meta id_salt) is created on
 * first open and kept in store_t. */
#include "../core/clock.h"
#include "store_raw.h"
#include "store_int.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "../core/embed.h"

/* ---- statements and errors ---- */

int store_prep(store_t *st, int slot, const char *sql, sqlite3_stmt **out, zc_err *err)
{
    *out = NULL;
    if (slot < 0 || slot >= Q_COUNT)
        return zc_errf(err, ZC_EINVAL, "internal error: statement slot %d out of range", slot);
    if (!st->q[slot]) {
        int rc = sqlite3_prepare_v3(st->db, sql, -1, SQLITE_PREPARE_PERSISTENT, &st->q[slot], NULL);
        if (rc != SQLITE_OK) {
            st->q[slot] = NULL;
            return store_dbfail(st, rc, "preparing a query", err);
        }
    }
    *out = st->q[slot];
    return ZC_OK;
}

void store_done(sqlite3_stmt *s)
{
    if (s) {
        sqlite3_reset(s);
        sqlite3_clear_bindings(s);
    }
}

int store_dbfail(store_t *st, int rc, const char *what, zc_err *err)
{
    const char *why = st && st->db ? sqlite3_errmsg(st->db) : sqlite3_errstr(rc);
    const char *path = st ? st->path : "";
    switch (rc & 0xff) {
    case SQLITE_FULL:
        return zc_errf(err, ZC_EFULL, "disk full: %s was NOT saved; free space and try again", what);
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
        return zc_errf(err, ZC_ELOCKED,
                       "the database is busy with another task (%s); try again in a moment", what);
    case SQLITE_NOTADB:
    case SQLITE_CORRUPT:
        return zc_errf(err, ZC_EDB, "%s is damaged or not a Zhucan database (%s: %s); restore a backup",
                       path, what, why);
    case SQLITE_READONLY:
        return zc_errf(err, ZC_EDB, "the database %s is read-only: %s was NOT saved; make it writable by the "
                       "till's user", path, what);
    case SQLITE_IOERR:
        /* a full disk also shows as an I/O error when the -shm cannot grow */
        if (st && st->db && sqlite3_system_errno(st->db) == ENOSPC)
            return zc_errf(err, ZC_EFULL, "disk full: %s was NOT saved; free space and try again", what);
        return zc_errf(err, ZC_EIO, "disk error: %s was NOT saved (%s); check the disk and try again", what,
                       why);
    case SQLITE_CONSTRAINT:
        return zc_errf(err, ZC_ECONFLICT, "the database refused %s: %s", what, why);
    case SQLITE_NOMEM:
        return zc_errf(err, ZC_ENOMEM, "out of memory with %s; restart the till", what);
    default:
        return zc_errf(err, ZC_EDB, "database error with %s (%s); restart the till, and call support "
                       "if it happens again", what, why);
    }
}

static int simple(store_t *st, int slot, const char *sql, const char *what, zc_err *err)
{
    sqlite3_stmt *s;
    int ret = store_prep(st, slot, sql, &s, err);
    if (ret)
        return ret;
    int rc = sqlite3_step(s);
    if (rc != SQLITE_DONE && rc != SQLITE_ROW)
        ret = store_dbfail(st, rc, what, err);
    store_done(s);
    return ret;
}

int store_begin(store_t *st, const char *what, zc_err *err)
{
    return simple(st, Q_BEGIN, "BEGIN IMMEDIATE", what, err);
}

int store_commit(store_t *st, const char *what, zc_err *err)
{
    return simple(st, Q_COMMIT, "COMMIT", what, err);
}

void store_rollback(store_t *st)
{
    if (!sqlite3_get_autocommit(st->db))
        (void)simple(st, Q_ROLLBACK, "ROLLBACK", "rolling back", NULL);
}

int store_bind_opt(sqlite3_stmt *s, int i, const char *v)
{
    if (!v || !*v)
        return sqlite3_bind_null(s, i);
    return sqlite3_bind_text(s, i, v, -1, SQLITE_TRANSIENT);
}

int store_bind_date(sqlite3_stmt *s, int i, zc_date d)
{
    if (!zc_date_is_set(d))
        return sqlite3_bind_null(s, i);
    char buf[16];
    zc_date_fmt(d, buf, sizeof buf);
    return sqlite3_bind_text(s, i, buf, -1, SQLITE_TRANSIENT);
}

void store_col_text(sqlite3_stmt *s, int i, char *buf, size_t n)
{
    const unsigned char *t = sqlite3_column_text(s, i);
    snprintf(buf, n, "%s", t ? (const char *)t : "");
}

zc_date store_col_date(sqlite3_stmt *s, int i)
{
    zc_date d = {0, 0, 0};
    const unsigned char *t = sqlite3_column_text(s, i);
    if (t && zc_date_parse((const char *)t, &d) != ZC_OK)
        d = (zc_date){0, 0, 0};
    return d;
}

int store_bulk_begin(store_t *st, store_bulk *b, zc_err *err)
{
    sqlite3_stmt *s = NULL;
    int ret = ZC_OK, rc;
    memset(b, 0, sizeof *b);
    rc = sqlite3_prepare_v2(st->db, "SELECT name, sql FROM sqlite_schema WHERE type = 'index' AND "
                            "tbl_name IN ('elder', 'card') AND sql IS NOT NULL ORDER BY name", -1, &s,
                            NULL);
    while (rc == SQLITE_OK && (rc = sqlite3_step(s)) == SQLITE_ROW) {
        const char *sql = (const char *)sqlite3_column_text(s, 1);
        if (b->n == STORE_BULK_MAX || !sql || !(b->sql[b->n] = sqlite3_mprintf("%s", sql))) {
            ret = zc_errf(err, ZC_ENOMEM, "internal error: too many indexes to rebuild");
            break;
        }
        b->n++;
        rc = SQLITE_OK;
    }
    sqlite3_finalize(s);
    if (ret == ZC_OK && rc != SQLITE_DONE)
        ret = store_dbfail(st, rc, "preparing the bulk load", err);
    for (int i = 0; ret == ZC_OK && i < b->n; i++) {
        /* "CREATE [UNIQUE] INDEX name ON ..." -> "DROP INDEX name" */
        const char *p = strstr(b->sql[i], "INDEX ");
        const char *on = p ? strstr(p, " ON ") : NULL;
        char *drop = p && on ? sqlite3_mprintf("DROP INDEX %.*s", (int)(on - p - 6), p + 6) : NULL;
        rc = drop ? sqlite3_exec(st->db, drop, NULL, NULL, NULL) : SQLITE_NOMEM;
        sqlite3_free(drop);
        if (rc != SQLITE_OK)
            ret = store_dbfail(st, rc, "preparing the bulk load", err);
    }
    if (ret != ZC_OK)
        store_bulk_free(b);
    return ret;
}

int store_fk(store_t *st, bool on, zc_err *err)
{
    int rc = sqlite3_exec(st->db, on ? "PRAGMA foreign_keys = ON" : "PRAGMA foreign_keys = OFF", NULL,
                          NULL, NULL);
    return rc == SQLITE_OK ? ZC_OK : store_dbfail(st, rc, "switching foreign keys", err);
}

int store_bulk_end(store_t *st, store_bulk *b, zc_err *err)
{
    int ret = ZC_OK;
    for (int i = 0; ret == ZC_OK && i < b->n; i++) {
        int rc = sqlite3_exec(st->db, b->sql[i], NULL, NULL, NULL);
        if (rc != SQLITE_OK)
            ret = store_dbfail(st, rc, "rebuilding the roster indexes", err);
    }
    store_bulk_free(b);
    return ret;
}

void store_bulk_free(store_bulk *b)
{
    if (!b)
        return;
    for (int i = 0; i < b->n; i++)
        sqlite3_free(b->sql[i]);
    b->n = 0;
}

struct sqlite3 *store_db(store_t *st)
{
    return st ? st->db : NULL;
}

/* ---- open, migrate, close ---- */

/* The version NNN of an embedded "db/NNN_name.sql", or 0 when path is not a
 * migration. */
static int migration_version(const char *path)
{
    if (strncmp(path, "db/", 3) != 0)
        return 0;
    const char *p = path + 3;
    if (*p < '0' || *p > '9' || strchr(p, '/'))
        return 0;
    char *end = NULL;
    errno = 0;
    long v = strtol(p, &end, 10);
    size_t n = strlen(p);
    if (errno || *end != '_' || v <= 0 || v > 9999 || n < 5 || strcmp(p + n - 4, ".sql") != 0)
        return 0;
    return (int)v;
}

static int user_version(store_t *st, int *v, zc_err *err)
{
    sqlite3_stmt *s = NULL;
    int rc = sqlite3_prepare_v2(st->db, "PRAGMA user_version", -1, &s, NULL);
    if (rc == SQLITE_OK)
        rc = sqlite3_step(s);
    if (rc == SQLITE_ROW) {
        *v = sqlite3_column_int(s, 0);
        rc = SQLITE_OK;
    }
    sqlite3_finalize(s);
    return rc == SQLITE_OK ? ZC_OK : store_dbfail(st, rc, "reading the schema version", err);
}

/* Applies one migration in its own transaction, unless another connection
 * got there first (the version is re-read under the write lock). */
static int apply_migration(store_t *st, const embed_file *f, int v, zc_err *err)
{
    int ret = store_begin(st, "the schema upgrade", err);
    if (ret)
        return ret;
    int have = 0;
    ret = user_version(st, &have, err);
    if (ret || have >= v)
        goto out;
    char *msg = NULL;
    int rc = sqlite3_exec(st->db, f->text, NULL, NULL, &msg);
    if (rc == SQLITE_OK) {
        char pragma[48];
        snprintf(pragma, sizeof pragma, "PRAGMA user_version = %d", v);
        rc = sqlite3_exec(st->db, pragma, NULL, NULL, NULL);
    }
    if (rc != SQLITE_OK) {
        zc_err e;
        ret = store_dbfail(st, rc, "the schema upgrade", &e);
        ret = zc_errf(err, ret, "upgrading %s with %s failed (%s); the database was left at schema %d",
                      st->path, f->path, msg ? msg : e.msg, have);
        sqlite3_free(msg);
        goto out;
    }
    ret = store_commit(st, "the schema upgrade", err);
out:
    store_rollback(st);
    return ret;
}

static int migrate(store_t *st, zc_err *err)
{
    int have = 0, newest = 0;
    int ret = user_version(st, &have, err);
    if (ret)
        return ret;
    for (const embed_file *f = embed_files; f->path; f++) {
        int v = migration_version(f->path);
        if (v > newest)
            newest = v;
    }
    if (have > newest)
        return zc_errf(err, ZC_EDB,
                       "the database %s has schema version %d, but this Zhucan knows only up to %d; "
                       "it was written by a newer Zhucan: install that version (the file was not "
                       "changed)", st->path, have, newest);
    if (have == newest)
        return ZC_OK;
    if (st->readonly)
        return zc_errf(err, ZC_EDB,
                       "the database %s needs upgrading from schema %d to %d; open it once "
                       "read-write", st->path, have, newest);
    for (const embed_file *f = embed_files; f->path; f++) {
        int v = migration_version(f->path);
        if (v > have && (ret = apply_migration(st, f, v, err)) != ZC_OK)
            return ret;
    }
    return ZC_OK;
}

/* Reads meta id_salt, creating it on first open. */
static int load_salt(store_t *st, zc_err *err)
{
    int ret = store_meta_get(st, "id_salt", st->salt, sizeof st->salt);
    if (ret != ZC_ENOTFOUND || st->readonly)
        return ret == ZC_ENOTFOUND ? ZC_OK : ret;
    char salt[ZC_SHA256_HEX];
    zc_random_hex(16, salt);
    /* INSERT OR IGNORE then re-read: another connection may have won */
    sqlite3_stmt *s = NULL;
    int rc = sqlite3_prepare_v2(st->db, "INSERT OR IGNORE INTO meta (key, value) VALUES ('id_salt', ?)",
                                -1, &s, NULL);
    if (rc == SQLITE_OK) {
        sqlite3_bind_text(s, 1, salt, -1, SQLITE_STATIC);
        rc = sqlite3_step(s);
    }
    sqlite3_finalize(s);
    if (rc != SQLITE_DONE)
        return store_dbfail(st, rc, "the ID-number salt", err);
    ret = store_meta_get(st, "id_salt", st->salt, sizeof st->salt);
    return ret ? zc_errf(err, ZC_EDB, "could not read back the ID-number salt of %s", st->path) : ZC_OK;
}

/* Creates the file with mode 0600 if missing (SQLite gives its -wal and
 * -shm files the same mode). */
static int create_file(const char *path, zc_err *err)
{
    int fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
    if (fd < 0)
        return zc_errf(err, ZC_EIO, "cannot create the database %s: %s; check that the folder exists "
                       "and is writable", path, strerror(errno));
    close(fd);
    return ZC_OK;
}

static int setup(store_t *st, zc_err *err)
{
    static const char *const pragmas =
        "PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON; PRAGMA cache_size = -32768;";
    /* the first read: fails with NOTADB on a file that is not a database */
    int rc = sqlite3_exec(st->db, "SELECT count(*) FROM sqlite_schema", NULL, NULL, NULL);
    if (rc != SQLITE_OK || (!st->readonly && sqlite3_db_readonly(st->db, "main") == 1))
        return store_open_fail(st, rc, err);
    if (!st->readonly) {
        rc = sqlite3_exec(st->db, "PRAGMA journal_mode = WAL", NULL, NULL, NULL);
        if (rc != SQLITE_OK)
            return store_dbfail(st, rc, "switching to WAL mode", err);
    }
    rc = sqlite3_exec(st->db, pragmas, NULL, NULL, NULL);
    if (rc != SQLITE_OK)
        return store_dbfail(st, rc, "setting up the connection", err);
    int ret = migrate(st, err);
    if (ret == ZC_OK)
        ret = load_salt(st, err);
    if (ret == ZC_OK)
        ret = store_key_load(st, err);
    return ret;
}

int store_open(const char *path, int flags, store_t **out, zc_err *err)
{
    int ret = ZC_OK;
    store_t *st = NULL;
    if (!out)
        return zc_errf(err, ZC_EINVAL, "internal error: store_open needs somewhere to put the store");
    *out = NULL;
    if (!path || !*path)
        return zc_errf(err, ZC_EINVAL, "no database path was given; set one in the configuration");
    if (strlen(path) >= STORE_PATH_MAX)
        return zc_errf(err, ZC_ETOOBIG, "the database path is longer than %d characters; use a shorter "
                       "one", STORE_PATH_MAX - 1);
    if (zc_secure_init() != ZC_OK)
        return zc_errf(err, ZC_EIO, "the crypto library (libsodium) did not start; reinstall Zhucan");
    st = calloc(1, sizeof *st);
    if (!st)
        return zc_errf(err, ZC_ENOMEM, "out of memory opening %s", path);
    snprintf(st->path, sizeof st->path, "%s", path);
    st->readonly = (flags & STORE_READONLY) != 0;
    if (!st->readonly && (flags & STORE_CREATE) && (ret = create_file(path, err)) != ZC_OK)
        goto out;
    if (!(flags & STORE_CREATE) && (ret = store_empty_check(path, err)) != ZC_OK)
        goto out;
    int oflags = (st->readonly ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE) | SQLITE_OPEN_NOMUTEX;
    int rc = sqlite3_open_v2(path, &st->db, oflags, NULL);
    if (rc != SQLITE_OK) {
        ret = zc_errf(err, (rc & 0xff) == SQLITE_CANTOPEN ? ZC_ENOTFOUND : ZC_EDB,
                      "cannot open the database %s (%s); check the path%s", path,
                      st->db ? sqlite3_errmsg(st->db) : sqlite3_errstr(rc),
                      (flags & STORE_CREATE) ? "" : ", or create it first");
        goto out;
    }
    sqlite3_extended_result_codes(st->db, 1);
    sqlite3_busy_timeout(st->db, 5000);
    ret = setup(st, err);
out:
    if (ret != ZC_OK)
        store_close(st);
    else
        *out = st;
    return ret;
}

void store_close(store_t *st)
{
    if (!st)
        return;
    for (int i = 0; i < Q_COUNT; i++)
        sqlite3_finalize(st->q[i]);
    for (int i = 0; i < st->npol; i++)
        zc_policy_free(st->pol[i].p);
    zc_calendar_free(st->cal);
    sqlite3_close(st->db);
    free(st);
}

/* ---- meta ---- */

int store_meta_get(store_t *st, const char *key, char *buf, size_t n)
{
    sqlite3_stmt *s;
    if (!st || !key || !buf || n == 0)
        return ZC_EINVAL;
    if (store_key_secret(key)) /* sealed (keyfile.c) */
        return store_secret_get(st, key, buf, n);
    int ret = store_prep(st, Q_META_GET, "SELECT value FROM meta WHERE key = ?", &s, NULL);
    if (ret)
        return ret;
    sqlite3_bind_text(s, 1, key, -1, SQLITE_STATIC);
    int rc = sqlite3_step(s);
    if (rc == SQLITE_ROW) {
        const char *v = (const char *)sqlite3_column_text(s, 0);
        int len = snprintf(buf, n, "%s", v ? v : "");
        ret = (size_t)len >= n ? ZC_ETOOBIG : ZC_OK;
    } else {
        buf[0] = '\0';
        ret = rc == SQLITE_DONE ? ZC_ENOTFOUND : store_dbfail(st, rc, "reading the settings", NULL);
    }
    store_done(s);
    return ret;
}

int store_meta_set(store_t *st, const char *key, const char *value, zc_err *err)
{
    sqlite3_stmt *s;
    char sealed[STORE_SEALED_MAX];
    if (!st || !key || !*key || !value)
        return zc_errf(err, ZC_EINVAL, "a setting needs a name and a value");
    if (store_key_secret(key)) { /* sealed (keyfile.c) */
        int sret = store_secret_seal(st, value, sealed, sizeof sealed, err);
        if (sret)
            return sret;
        value = sealed;
    }
    int ret = store_prep(st, Q_META_SET,
                         "INSERT INTO meta (key, value) VALUES (?1, ?2) "
                         "ON CONFLICT (key) DO UPDATE SET value = excluded.value", &s, err);
    if (ret)
        return ret;
    sqlite3_bind_text(s, 1, key, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 2, value, -1, SQLITE_STATIC);
    int rc = sqlite3_step(s);
    if (rc != SQLITE_DONE)
        ret = store_dbfail(st, rc, "the setting", err);
    store_done(s);
    return ret;
}

int store_meta_del(store_t *st, const char *key, zc_err *err)
{
    sqlite3_stmt *s;
    if (!st || !key || !*key)
        return zc_errf(err, ZC_EINVAL, "which setting?");
    int ret = store_prep(st, Q_META_DEL, "DELETE FROM meta WHERE key = ?1", &s, err);
    if (ret)
        return ret;
    sqlite3_bind_text(s, 1, key, -1, SQLITE_STATIC);
    int rc = sqlite3_step(s);
    if (rc != SQLITE_DONE)
        ret = store_dbfail(st, rc, "the setting", err);
    else if (sqlite3_changes(st->db) == 0)
        ret = zc_errf(err, ZC_ENOTFOUND, "setting '%s' is not set", key);
    store_done(s);
    return ret;
}

/* ---- canteen ---- */

int store_canteen_get(store_t *st, zc_canteen *out, zc_err *err)
{
    sqlite3_stmt *s;
    int ret = store_prep(st, Q_CANTEEN_GET,
                         "SELECT id, name, city, district, town FROM canteen WHERE one = 1", &s, err);
    if (ret)
        return ret;
    memset(out, 0, sizeof *out);
    int rc = sqlite3_step(s);
    if (rc == SQLITE_ROW) {
        store_col_text(s, 0, out->id, sizeof out->id);
        store_col_text(s, 1, out->name, sizeof out->name);
        store_col_text(s, 2, out->city, sizeof out->city);
        store_col_text(s, 3, out->district, sizeof out->district);
        store_col_text(s, 4, out->town, sizeof out->town);
    } else if (rc == SQLITE_DONE) {
        ret = zc_errf(err, ZC_ENOTFOUND, "this terminal has no canteen set up yet; run the setup (or "
                      "the demo fill) first");
    } else {
        ret = store_dbfail(st, rc, "reading the canteen", err);
    }
    store_done(s);
    return ret;
}

int store_canteen_row(store_t *st, const zc_canteen *c)
{
    sqlite3_stmt *s = NULL;
    if (store_prep(st, Q_CANTEEN_SET,
                   "INSERT INTO canteen (one, id, name, city, district, town) "
                   "VALUES (1, ?, ?, ?, ?, ?) ON CONFLICT (one) DO UPDATE SET id = excluded.id, "
                   "name = excluded.name, city = excluded.city, district = excluded.district, "
                   "town = excluded.town", &s, NULL) != ZC_OK)
        return sqlite3_errcode(st->db);
    sqlite3_bind_text(s, 1, c->id, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 2, c->name, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 3, c->city, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 4, c->district, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 5, c->town, -1, SQLITE_STATIC);
    int rc = sqlite3_step(s);
    store_done(s);
    return rc;
}

/* Stores the canteen row and meta canteen_id together. */
int store_canteen_set(store_t *st, const zc_canteen *c, zc_err *err)
{
    if (!c || !c->id[0] || !c->name[0])
        return zc_errf(err, ZC_EINVAL, "a canteen needs an id and a name");
    int ret = store_begin(st, "the canteen", err);
    if (ret)
        return ret;
    int rc = store_canteen_row(st, c);
    if (rc != SQLITE_DONE) {
        ret = store_dbfail(st, rc, "the canteen", err);
        goto out;
    }
    if ((ret = store_meta_set(st, "canteen_id", c->id, err)))
        goto out;
    ret = store_commit(st, "the canteen", err);
out:
    store_rollback(st);
    return ret;
}
