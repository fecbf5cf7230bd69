/* cstore.c - the SQLite backend of the centre's store: opening and
 * migrating the database, the statement cache, settings, canteens,
 * terminals and policies.  Roster, sales and the report are in
 * cstore_roster.c, cstore_sales.c and cstore_report.c.
 *
 * Open sequence as on the terminal: create the file 0600 (init only), open,
 * make a first read (where SQLite notices a file that is not a database),
 * WAL + synchronous=FULL + foreign keys + a 10 s busy timeout, then apply
 * each migration above PRAGMA user_version in its own transaction.  A
 * database newer than this program is refused untouched. */
#include "../core/clock.h"
#include "cstore_int.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "schema.h"

#define BUSY_MS 10000

/* ---- statements and errors ---- */

int cs_prep(central_store *st, int slot, const char *sql, sqlite3_stmt **out, zc_err *err)
{
    *out = NULL;
    if (slot < 0 || slot >= S_COUNT)
        return zc_errf(err, ZC_EINVAL, "internal error: statement slot %d", slot);
    if (!st->q[slot]) {
        int rc = sqlite3_prepare_v3(st->db, sql, -1, SQLITE_PREPARE_PERSISTENT, &st->q[slot], NULL);
        if (rc != SQLITE_OK) {
            st->q[slot] = NULL;
            return cs_dbfail(st, rc, "preparing a query", err);
        }
    }
    *out = st->q[slot];
    return ZC_OK;
}

void cs_done(sqlite3_stmt *s)
{
    if (s) {
        sqlite3_reset(s);
        sqlite3_clear_bindings(s);
    }
}

int cs_dbfail(central_store *st, int rc, const char *what, zc_err *err)
{
    const char *why = st && st->db ? sqlite3_errmsg(st->db) : sqlite3_errstr(rc);
    const char *path = st ? st->path : "";
    switch (rc & 0xff) {
    case SQLITE_FULL:
        return zc_errf(err, ZC_EFULL, "disk full: %s was NOT saved; free space on the centre's disk",
                       what);
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
        return zc_errf(err, ZC_ELOCKED, "the database is busy (%s); try again in a moment", what);
    case SQLITE_NOTADB:
    case SQLITE_CORRUPT:
        return zc_errf(err, ZC_EDB, "%s is damaged or not a Zhucan central database (%s: %s)", path,
                       what, why);
    case SQLITE_CONSTRAINT:
        return zc_errf(err, ZC_ECONFLICT, "the database refused %s: %s", what, why);
    case SQLITE_NOMEM:
        return zc_errf(err, ZC_ENOMEM, "out of memory with %s", what);
    case SQLITE_IOERR:
        return zc_errf(err, ZC_EIO, "disk error with %s (%s)", what, why);
    default:
        return zc_errf(err, ZC_EDB, "database error with %s (%s)", what, why);
    }
}

int cs_step_done(central_store *st, sqlite3_stmt *s, const char *what, zc_err *err)
{
    int rc = sqlite3_step(s);
    cs_done(s);
    return rc == SQLITE_DONE ? ZC_OK : cs_dbfail(st, rc, what, err);
}

int cs_exec(central_store *st, const char *sql, const char *what, zc_err *err)
{
    int rc = sqlite3_exec(st->db, sql, NULL, NULL, NULL);
    return rc == SQLITE_OK ? ZC_OK : cs_dbfail(st, rc, what, err);
}

void cs_col_text(sqlite3_stmt *s, int i, char *buf, size_t n)
{
    const char *t = (const char *)sqlite3_column_text(s, i);
    snprintf(buf, n, "%s", t ? t : "");
}

zc_date cs_col_date(sqlite3_stmt *s, int i)
{
    zc_date d = {0, 0, 0};
    const char *t = (const char *)sqlite3_column_text(s, i);
    if (!t || zc_date_parse(t, &d) != ZC_OK)
        d = (zc_date){0, 0, 0};
    return d;
}

void cs_bind_date(sqlite3_stmt *s, int i, zc_date d)
{
    char buf[16];
    if (d.y == 0)
        sqlite3_bind_null(s, i);
    else
        sqlite3_bind_text(s, i, zc_date_fmt(d, buf, sizeof buf), -1, SQLITE_TRANSIENT);
}

/* ---- open, migrate, close ---- */

static int user_version(central_store *st, int *v, zc_err *err)
{
    sqlite3_stmt *s = NULL;
    int rc = sqlite3_prepare_v2(st->db, "PRAGMA user_version", -1, &s, NULL);
    if (rc == SQLITE_OK && (rc = sqlite3_step(s)) == SQLITE_ROW) {
        *v = sqlite3_column_int(s, 0);
        rc = SQLITE_OK;
    }
    sqlite3_finalize(s);
    return rc == SQLITE_OK ? ZC_OK : cs_dbfail(st, rc, "reading the schema version", err);
}

/* Applies each migration above user_version, each in its own transaction
 * (re-checking the version under the write lock: another process may have
 * applied it meanwhile). */
static int migrate(central_store *st, zc_err *err)
{
    int have = 0, newest = 0, ret;
    central_migration mig, *m = &mig;
    if ((ret = user_version(st, &have, err)))
        return ret;
    for (int i = 0; central_schema_at(i, m); i++)
        newest = m->version > newest ? m->version : newest;
    if (have > newest)
        return zc_errf(err, ZC_EDB, "the database %s has schema version %d but this zhucan-central "
                       "knows only up to %d; run the newer zhucan-central (nothing was changed)",
                       st->path, have, newest);
    for (int i = 0; ret == ZC_OK && central_schema_at(i, m); i++) {
        if (m->version <= have)
            continue;
        if ((ret = cs_exec(st, "BEGIN IMMEDIATE", "the schema upgrade", err)))
            return ret;
        int now_have = 0;
        if ((ret = user_version(st, &now_have, err)) == ZC_OK && now_have < m->version) {
            char *msg = NULL, pragma[48];
            int rc = sqlite3_exec(st->db, m->sql, NULL, NULL, &msg);
            snprintf(pragma, sizeof pragma, "PRAGMA user_version = %d", m->version);
            if (rc == SQLITE_OK)
                rc = sqlite3_exec(st->db, pragma, NULL, NULL, NULL);
            if (rc != SQLITE_OK)
                ret = zc_errf(err, ZC_EDB, "applying %s to %s failed: %s", m->path, st->path,
                              msg ? msg : sqlite3_errmsg(st->db));
            sqlite3_free(msg);
        }
        if (ret == ZC_OK)
            ret = cs_exec(st, "COMMIT", "the schema upgrade", err);
        if (ret != ZC_OK)
            sqlite3_exec(st->db, "ROLLBACK", NULL, NULL, NULL);
    }
    return ret;
}

/* Reads meta id_salt, creating it (16 random bytes as hex) when missing. */
static int load_salt(central_store *st, zc_err *err)
{
    if (central_store_meta_get(st, "id_salt", st->salt, sizeof st->salt) == ZC_OK)
        return ZC_OK;
    char salt[ZC_SHA256_HEX];
    zc_random_hex(16, salt);
    sqlite3_stmt *s = NULL;
    int rc = sqlite3_prepare_v2(st->db, "INSERT OR IGNORE INTO meta (key, value) VALUES ('id_salt', ?)",
                                -1, &s, NULL);
    if (rc == SQLITE_OK) {
        sqlite3_bind_text(s, 1, salt, -1, SQLITE_STATIC);
        rc = sqlite3_step(s);
    }
    sqlite3_finalize(s);
    if (rc != SQLITE_DONE)
        return cs_dbfail(st, rc, "creating the ID-number salt", err);
    if (central_store_meta_get(st, "id_salt", st->salt, sizeof st->salt) != ZC_OK)
        return zc_errf(err, ZC_EDB, "could not read back the ID-number salt of %s", st->path);
    return ZC_OK;
}

static int setup(central_store *st, zc_err *err)
{
    static const char *const pragmas[] = {
        "PRAGMA journal_mode = WAL", "PRAGMA synchronous = FULL", "PRAGMA foreign_keys = ON",
        /* statement journals in memory, not a temp file per savepoint */
        "PRAGMA temp_store = MEMORY",
    };
    int ret = cs_exec(st, "SELECT count(*) FROM sqlite_master", "opening the database", err);
    for (size_t i = 0; i < sizeof pragmas / sizeof pragmas[0] && ret == ZC_OK; i++)
        ret = cs_exec(st, pragmas[i], "setting up the database", err);
    if (ret == ZC_OK)
        ret = migrate(st, err);
    if (ret == ZC_OK)
        ret = load_salt(st, err);
    return ret;
}

int central_store_open(const char *path, int flags, central_store **out, zc_err *err)
{
    central_store *st = NULL;
    struct stat sb;
    int ret = ZC_OK;
    *out = NULL;
    if (!path || !*path || strlen(path) >= CS_PATH_MAX)
        return zc_errf(err, ZC_EINVAL, "the database path is empty or too long");
    bool exists = stat(path, &sb) == 0;
    if ((flags & CENTRAL_STORE_CREATE) && exists)
        return zc_errf(err, ZC_ECONFLICT, "%s already exists; choose another file or use the one "
                       "there", path);
    if (!(flags & CENTRAL_STORE_CREATE) && !exists)
        return zc_errf(err, ZC_ENOTFOUND, "there is no database at %s; create it with "
                       "`zhucan-central init --db %s`", path, path);
    if (flags & CENTRAL_STORE_CREATE) {
        int fd = open(path, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
        if (fd < 0)
            return zc_errf(err, ZC_EIO, "cannot create %s: %s; check that the folder exists and is "
                           "writable", path, strerror(errno));
        close(fd);
    }
    /* it holds every sale and the roster: the centre's user only */
    if (stat(path, &sb) == 0 && S_ISREG(sb.st_mode) && (sb.st_mode & 0177))
        (void)chmod(path, 0600);
    if (!(st = calloc(1, sizeof *st)))
        return zc_errf(err, ZC_ENOMEM, "out of memory opening %s", path);
    snprintf(st->path, sizeof st->path, "%s", path);
    int rc = sqlite3_open_v2(path, &st->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, NULL);
    if (rc != SQLITE_OK) {
        ret = zc_errf(err, ZC_EIO, "cannot open %s: %s", path,
                      st->db ? sqlite3_errmsg(st->db) : sqlite3_errstr(rc));
        goto out;
    }
    sqlite3_extended_result_codes(st->db, 1);
    sqlite3_busy_timeout(st->db, BUSY_MS);
    ret = setup(st, err);
out:
    if (ret != ZC_OK) {
        central_store_close(st);
        if (flags & CENTRAL_STORE_CREATE)
            unlink(path); /* a half-made database is no use to anyone */
        return ret;
    }
    *out = st;
    return ZC_OK;
}

void central_store_close(central_store *st)
{
    if (!st)
        return;
    for (int i = 0; i < S_COUNT; i++)
        sqlite3_finalize(st->q[i]);
    for (int i = 0; i < st->npol; i++)
        zc_policy_free(st->pol[i].p);
    zc_calendar_free(st->cal);
    free(st->cal_json);
    sqlite3_close(st->db);
    free(st);
}

const char *central_store_path(const central_store *st)
{
    return st ? st->path : "";
}

const char *central_store_salt(const central_store *st)
{
    return st->salt;
}

int central_store_cache(central_store *st, int mib, zc_err *err)
{
    char sql[48];
    snprintf(sql, sizeof sql, "PRAGMA cache_size = %d", mib > 0 ? -1024 * mib : -2000);
    return cs_exec(st, sql, "setting the page cache", err);
}

/* ---- meta ---- */

int central_store_meta_get(central_store *st, const char *key, char *buf, size_t n)
{
    sqlite3_stmt *s;
    int ret = cs_prep(st, S_META_GET, "SELECT value FROM meta WHERE key = ?", &s, NULL);
    if (ret)
        return ret;
    sqlite3_bind_text(s, 1, key, -1, SQLITE_STATIC);
    int rc = sqlite3_step(s);
    if (rc == SQLITE_ROW)
        cs_col_text(s, 0, buf, n);
    else
        ret = rc == SQLITE_DONE ? ZC_ENOTFOUND : cs_dbfail(st, rc, "reading a setting", NULL);
    cs_done(s);
    return ret;
}

int central_store_meta_set(central_store *st, const char *key, const char *value, zc_err *err)
{
    sqlite3_stmt *s;
    int ret = cs_prep(st, S_META_SET, "INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) "
                      "DO UPDATE SET value = excluded.value", &s, err);
    if (ret)
        return ret;
    sqlite3_bind_text(s, 1, key, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 2, value, -1, SQLITE_STATIC);
    return cs_step_done(st, s, "the setting", err);
}

/* ---- canteens and terminals ---- */

int central_store_canteen_add(central_store *st, const zc_canteen *c, zc_err *err)
{
    sqlite3_stmt *s;
    int ret = cs_prep(st, S_CANTEEN_ADD, "INSERT INTO canteen (id, name, city, district, town, "
                      "created_utc) VALUES (?, ?, ?, ?, ?, ?)", &s, err);
    if (ret)
        return ret;
    sqlite3_bind_text(s, 1, c->id, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 2, c->name, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 3, c->city, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 4, c->district, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 5, c->town, -1, SQLITE_STATIC);
    sqlite3_bind_int64(s, 6, zc_now());
    int rc = sqlite3_step(s);
    cs_done(s);
    if (rc == SQLITE_CONSTRAINT_PRIMARYKEY)
        return zc_errf(err, ZC_ECONFLICT, "canteen %s already exists", c->id);
    return rc == SQLITE_DONE ? ZC_OK : cs_dbfail(st, rc, "the canteen", err);
}

int central_store_canteen_get(central_store *st, const char *id, zc_canteen *out, zc_err *err)
{
    sqlite3_stmt *s;
    int ret = cs_prep(st, S_CANTEEN_GET, "SELECT id, name, city, district, town FROM canteen WHERE "
                      "id = ?", &s, err);
    if (ret)
        return ret;
    sqlite3_bind_text(s, 1, id, -1, SQLITE_STATIC);
    int rc = sqlite3_step(s);
    if (rc == SQLITE_ROW) {
        memset(out, 0, sizeof *out);
        cs_col_text(s, 0, out->id, sizeof out->id);
        cs_col_text(s, 1, out->name, sizeof out->name);
        cs_col_text(s, 2, out->city, sizeof out->city);
        cs_col_text(s, 3, out->district, sizeof out->district);
        cs_col_text(s, 4, out->town, sizeof out->town);
    } else if (rc == SQLITE_DONE) {
        ret = zc_errf(err, ZC_ENOTFOUND, "there is no canteen %s; add it with `zhucan-central "
                      "canteen add`", id);
    } else {
        ret = cs_dbfail(st, rc, "reading the canteen", err);
    }
    cs_done(s);
    return ret;
}

int central_store_terminal_add(central_store *st, const central_terminal *t, zc_err *err)
{
    zc_canteen c;
    int ret = central_store_canteen_get(st, t->canteen_id, &c, err);
    if (ret)
        return ret;
    sqlite3_stmt *s;
    if ((ret = cs_prep(st, S_TERM_ADD, "INSERT INTO terminal (id, canteen_id, token_hash, "
                       "card_format, created_utc) VALUES (?, ?, ?, ?, ?)", &s, err)))
        return ret;
    sqlite3_bind_text(s, 1, t->id, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 2, t->canteen_id, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 3, t->token_hash, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 4, t->card_format, -1, SQLITE_STATIC);
    sqlite3_bind_int64(s, 5, zc_now());
    int rc = sqlite3_step(s);
    cs_done(s);
    if (rc == SQLITE_CONSTRAINT_PRIMARYKEY)
        return zc_errf(err, ZC_ECONFLICT, "terminal %s already exists; give the new one another id",
                       t->id);
    return rc == SQLITE_DONE ? ZC_OK : cs_dbfail(st, rc, "the terminal", err);
}

int central_store_terminal_get(central_store *st, const char *id, central_terminal *out, zc_err *err)
{
    sqlite3_stmt *s;
    int ret = cs_prep(st, S_TERM_GET, "SELECT id, canteen_id, token_hash, card_format FROM terminal "
                      "WHERE id = ?", &s, err);
    if (ret)
        return ret;
    sqlite3_bind_text(s, 1, id, -1, SQLITE_STATIC);
    int rc = sqlite3_step(s);
    if (rc == SQLITE_ROW) {
        memset(out, 0, sizeof *out);
        cs_col_text(s, 0, out->id, sizeof out->id);
        cs_col_text(s, 1, out->canteen_id, sizeof out->canteen_id);
        cs_col_text(s, 2, out->token_hash, sizeof out->token_hash);
        cs_col_text(s, 3, out->card_format, sizeof out->card_format);
    } else {
        ret = rc == SQLITE_DONE ? ZC_ENOTFOUND : cs_dbfail(st, rc, "reading the terminal", err);
    }
    cs_done(s);
    return ret;
}

int central_store_terminal_seen(central_store *st, const char *id, int64_t now, zc_err *err)
{
    sqlite3_stmt *s;
    int ret = cs_prep(st, S_TERM_SEEN, "UPDATE terminal SET last_seen_utc = ? WHERE id = ?", &s, err);
    if (ret)
        return ret;
    sqlite3_bind_int64(s, 1, now);
    sqlite3_bind_text(s, 2, id, -1, SQLITE_STATIC);
    return cs_step_done(st, s, "the terminal's last contact", err);
}

/* ---- policies ---- */

int central_store_policy_publish(central_store *st, const char *json, size_t len, bool *existed,
                                 zc_err *err)
{
    zc_policy *p = NULL;
    sqlite3_stmt *s;
    char from[16], to[16];
    *existed = false;
    int ret = zc_policy_parse(json, len, &p, err);
    if (ret)
        return ret;
    if ((ret = cs_prep(st, S_POL_FIND, "SELECT json FROM policy WHERE policy_id = ? AND version = ?",
                       &s, err)))
        goto out;
    sqlite3_bind_text(s, 1, zc_policy_id(p), -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 2, zc_policy_version(p), -1, SQLITE_STATIC);
    int rc = sqlite3_step(s);
    if (rc == SQLITE_ROW) {
        const char *held = (const char *)sqlite3_column_text(s, 0);
        size_t hn = (size_t)sqlite3_column_bytes(s, 0);
        if (held && hn == len && memcmp(held, json, len) == 0)
            *existed = true;
        else
            ret = zc_errf(err, ZC_ECONFLICT, "policy %s version %s is already published with other "
                          "text; a published version never changes: give the new text a new "
                          "\"version\"", zc_policy_id(p), zc_policy_version(p));
    } else if (rc != SQLITE_DONE) {
        ret = cs_dbfail(st, rc, "reading the policies", err);
    }
    cs_done(s);
    if (ret || *existed)
        goto out;
    if ((ret = cs_prep(st, S_POL_INSERT, "INSERT INTO policy (policy_id, version, effective_from, "
                       "effective_to, json, published_utc) VALUES (?, ?, ?, ?, ?, ?)", &s, err)))
        goto out;
    zc_date pf = zc_policy_from(p), pt = zc_policy_to(p);
    sqlite3_bind_text(s, 1, zc_policy_id(p), -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 2, zc_policy_version(p), -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 3, zc_date_fmt(pf, from, sizeof from), -1, SQLITE_STATIC);
    if (pt.y)
        sqlite3_bind_text(s, 4, zc_date_fmt(pt, to, sizeof to), -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 5, json, (int)len, SQLITE_STATIC);
    sqlite3_bind_int64(s, 6, zc_now());
    ret = cs_step_done(st, s, "the policy", err);
out:
    zc_policy_free(p);
    return ret;
}

int central_store_policy_get(central_store *st, const char *policy, const char *version,
                             const zc_policy **out, zc_err *err)
{
    sqlite3_stmt *s;
    zc_policy *p = NULL;
    *out = NULL;
    for (int i = 0; i < st->npol; i++) {
        if (strcmp(st->pol[i].policy, policy) == 0 && strcmp(st->pol[i].version, version) == 0) {
            *out = st->pol[i].p;
            return ZC_OK;
        }
    }
    int ret = cs_prep(st, S_POL_JSON, "SELECT json FROM policy WHERE policy_id = ? AND version = ?",
                      &s, err);
    if (ret)
        return ret;
    sqlite3_bind_text(s, 1, policy, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 2, version, -1, SQLITE_STATIC);
    int rc = sqlite3_step(s);
    if (rc == SQLITE_ROW)
        ret = zc_policy_parse((const char *)sqlite3_column_text(s, 0),
                              (size_t)sqlite3_column_bytes(s, 0), &p, err);
    else
        ret = rc == SQLITE_DONE ? ZC_ENOTFOUND : cs_dbfail(st, rc, "reading a policy", err);
    cs_done(s);
    if (ret)
        return ret;
    int slot;
    if (st->npol < CS_POLICY_CACHE) {
        slot = st->npol++;
    } else { /* full: replace the oldest */
        slot = st->pol_next;
        st->pol_next = (slot + 1) % CS_POLICY_CACHE;
        zc_policy_free(st->pol[slot].p);
    }
    snprintf(st->pol[slot].policy, sizeof st->pol[slot].policy, "%s", policy);
    snprintf(st->pol[slot].version, sizeof st->pol[slot].version, "%s", version);
    st->pol[slot].p = p;
    *out = p;
    return ZC_OK;
}

int central_store_policy_page(central_store *st, int64_t after, int limit, central_policy_fn fn,
                              void *ctx, int64_t *next, bool *more, zc_err *err)
{
    sqlite3_stmt *s;
    int n = 0, rc;
    *next = after;
    *more = false;
    int ret = cs_prep(st, S_POL_PAGE, "SELECT id, policy_id, version, json FROM policy WHERE id > ? "
                      "ORDER BY id LIMIT ?", &s, err);
    if (ret)
        return ret;
    sqlite3_bind_int64(s, 1, after);
    sqlite3_bind_int(s, 2, limit + 1);
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
        if (n == limit) {
            *more = true;
            break;
        }
        *next = sqlite3_column_int64(s, 0);
        n++;
        if ((ret = fn(ctx, (const char *)sqlite3_column_text(s, 1),
                      (const char *)sqlite3_column_text(s, 2), (const char *)sqlite3_column_text(s, 3))))
            break;
    }
    if (ret == ZC_OK && rc != SQLITE_ROW && rc != SQLITE_DONE)
        ret = cs_dbfail(st, rc, "reading the policies", err);
    cs_done(s);
    return ret;
}
