/* keyfile.c - the terminal's secret key and the values sealed with it
 * (keyfile.h).
 *
 * The key is 32 random bytes, as hex, in "zhucan.key" next to the
 * database, mode 0600: readable by the till's user only.  A backup opened
 * read-only from the "backups" folder finds it one folder up.  PIN hashes
 * (argon2id strings) and sync_token are stored as "zk1:" + hex(nonce, box):
 * without the key file, a copied database gives neither an offline PIN
 * search nor the token.
 *
 * On every writable open: the database, its -wal and -shm and the key are
 * made 0600 whatever they were; a missing key is created (never while the
 * database holds sealed values: that is a lost key, and creating another
 * would only hide it); values still in clear (databases from before) are
 * sealed in one transaction. */
#include "keyfile.h"

#include <errno.h>
#include <fcntl.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "store_int.h"

#define SEAL_TAG "zk1:"
#define SEAL_TAG_LEN 4
#define KEY_HEX (crypto_secretbox_KEYBYTES * 2)
#define PLAIN_MAX 256 /* the longest value sealed (an argon2id string, a token) */

/* ---- the key file ---- */

void store_key_path(const char *db, char *out, size_t n)
{
    const char *slash = strrchr(db, '/');
    if (slash)
        snprintf(out, n, "%.*s/%s", (int)(slash - db), db, STORE_KEY_FILE);
    else
        snprintf(out, n, "%s", STORE_KEY_FILE);
}

/* The key file one folder up (a backup in "backups" next to the database). */
static void parent_key_path(const char *db, char *out, size_t n)
{
    const char *slash = strrchr(db, '/');
    if (slash)
        snprintf(out, n, "%.*s/../%s", (int)(slash - db), db, STORE_KEY_FILE);
    else
        snprintf(out, n, "../%s", STORE_KEY_FILE);
}

/* Makes path 0600 if it exists with more; a file we cannot change is left
 * as it is (another user's file opened read-only). */
static void tighten(const char *path)
{
    struct stat sb;
    if (stat(path, &sb) == 0 && S_ISREG(sb.st_mode) && (sb.st_mode & 0177))
        (void)chmod(path, 0600);
}

/* Reads the key at path into key; *found false when there is none. */
static int read_key(const char *path, bool fix_mode, unsigned char *key, bool *found, zc_err *err)
{
    char hex[KEY_HEX + 2];
    struct stat sb;
    int ret = ZC_OK;
    *found = false;
    int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
    if (fd < 0)
        return errno == ENOENT ? ZC_OK
                               : zc_errf(err, ZC_EIO, "cannot read the key file %s: %s", path,
                                         strerror(errno));
    if (fstat(fd, &sb) == 0 && (sb.st_mode & 0177) && fix_mode)
        (void)fchmod(fd, 0600);
    ssize_t got = read(fd, hex, sizeof hex - 1);
    size_t len = got > 0 ? (size_t)got : 0;
    while (len > 0 && (hex[len - 1] == '\n' || hex[len - 1] == '\r'))
        len--;
    hex[len] = '\0';
    if (len != KEY_HEX || sodium_hex2bin(key, crypto_secretbox_KEYBYTES, hex, len, NULL, NULL,
                                         NULL) != 0)
        ret = zc_errf(err, ZC_EINVAL, "the key file %s is damaged (it must hold %d hex digits); "
                      "restore it from where it was kept (docs/security.md)", path, KEY_HEX);
    else
        *found = true;
    sodium_memzero(hex, sizeof hex);
    close(fd);
    return ret;
}

/* Creates a new key at path (atomically: a temporary file linked into
 * place, so two processes never see half a key); if another process made
 * one first, reads that. */
static int create_key(const char *path, unsigned char *key, zc_err *err)
{
    char tmp[STORE_PATH_MAX + 32], hex[KEY_HEX + 2];
    int ret = ZC_OK;
    bool found = false;
    snprintf(tmp, sizeof tmp, "%s.XXXXXX", path);
    int fd = mkstemp(tmp); /* mode 0600 */
    if (fd < 0)
        return zc_errf(err, ZC_EIO, "cannot create the key file %s: %s", path, strerror(errno));
    randombytes_buf(key, crypto_secretbox_KEYBYTES);
    sodium_bin2hex(hex, sizeof hex - 1, key, crypto_secretbox_KEYBYTES);
    hex[KEY_HEX] = '\n';
    if (write(fd, hex, KEY_HEX + 1) != KEY_HEX + 1 || fsync(fd) != 0) {
        ret = zc_errf(err, ZC_EIO, "cannot write the key file %s: %s", path, strerror(errno));
        goto out;
    }
    if (link(tmp, path) != 0) {
        if (errno != EEXIST) {
            ret = zc_errf(err, ZC_EIO, "cannot create the key file %s: %s", path, strerror(errno));
            goto out;
        }
        if ((ret = read_key(path, true, key, &found, err)) == ZC_OK && !found)
            ret = zc_errf(err, ZC_EIO, "the key file %s came and went; try again", path);
    }
out:
    sodium_memzero(hex, sizeof hex);
    close(fd);
    unlink(tmp);
    return ret;
}

/* ---- sealing ---- */

static bool is_sealed(const char *v)
{
    return strncmp(v, SEAL_TAG, SEAL_TAG_LEN) == 0;
}

static int no_key(store_t *st, zc_err *err)
{
    char kp[STORE_PATH_MAX + 16];
    store_key_path(st->path, kp, sizeof kp);
    return zc_errf(err, ZC_EREFUSED, "the key file %s is missing, so PINs and the sync token "
                   "cannot be read: put it back from where it was kept, or replace it with "
                   "`zhucan key reset` (docs/security.md)", kp);
}

/* plain sealed into out ("zk1:" + hex). */
static int seal(store_t *st, const char *plain, char *out, size_t n, zc_err *err)
{
    unsigned char box[crypto_secretbox_NONCEBYTES + crypto_secretbox_MACBYTES + PLAIN_MAX];
    size_t len = strlen(plain);
    if (!st->has_key)
        return no_key(st, err);
    if (len > PLAIN_MAX)
        return zc_errf(err, ZC_ETOOBIG, "a secret longer than %d bytes cannot be stored", PLAIN_MAX);
    size_t blen = crypto_secretbox_NONCEBYTES + crypto_secretbox_MACBYTES + len;
    if (n < SEAL_TAG_LEN + 2 * blen + 1)
        return zc_errf(err, ZC_ETOOBIG, "internal error: no room for a sealed value");
    randombytes_buf(box, crypto_secretbox_NONCEBYTES);
    crypto_secretbox_easy(box + crypto_secretbox_NONCEBYTES, (const unsigned char *)plain, len, box,
                          st->key);
    memcpy(out, SEAL_TAG, SEAL_TAG_LEN);
    sodium_bin2hex(out + SEAL_TAG_LEN, n - SEAL_TAG_LEN, box, blen);
    return ZC_OK;
}

/* stored opened into out (n bytes); a value in clear is copied as is. */
static int unseal(store_t *st, const char *stored, char *out, size_t n, zc_err *err)
{
    unsigned char box[crypto_secretbox_NONCEBYTES + crypto_secretbox_MACBYTES + PLAIN_MAX];
    size_t blen = 0;
    int ret = ZC_OK;
    if (!is_sealed(stored)) {
        if ((size_t)snprintf(out, n, "%s", stored) >= n)
            return zc_errf(err, ZC_ETOOBIG, "a stored secret is longer than %zu bytes", n - 1);
        return ZC_OK;
    }
    if (!st->has_key)
        return no_key(st, err);
    if (sodium_hex2bin(box, sizeof box, stored + SEAL_TAG_LEN, strlen(stored + SEAL_TAG_LEN), NULL,
                       &blen, NULL) != 0 ||
        blen < crypto_secretbox_NONCEBYTES + crypto_secretbox_MACBYTES)
        return zc_errf(err, ZC_EINVAL, "a sealed value in %s is damaged", st->path);
    size_t len = blen - crypto_secretbox_NONCEBYTES - crypto_secretbox_MACBYTES;
    if (len + 1 > n)
        return zc_errf(err, ZC_ETOOBIG, "a stored secret is longer than %zu bytes", n - 1);
    if (crypto_secretbox_open_easy((unsigned char *)out, box + crypto_secretbox_NONCEBYTES,
                                   blen - crypto_secretbox_NONCEBYTES, box, st->key) != 0) {
        char kp[STORE_PATH_MAX + 16];
        store_key_path(st->path, kp, sizeof kp);
        ret = zc_errf(err, ZC_EREFUSED, "the key file %s does not open the secrets of %s (another "
                      "terminal's key?); see docs/security.md", kp, st->path);
        len = 0;
    }
    out[len] = '\0';
    return ret;
}

bool store_key_secret(const char *meta_key)
{
    return strcmp(meta_key, "sync_token") == 0;
}

int store_pin_hash(store_t *st, const char *pin, char out[STORE_SEALED_MAX], zc_err *err)
{
    char h[ZC_PIN_HASH_MAX];
    int ret = st->has_key ? zc_pin_hash(pin, h, err) : no_key(st, err);
    if (ret == ZC_OK)
        ret = seal(st, h, out, STORE_SEALED_MAX, err);
    sodium_memzero(h, sizeof h);
    return ret;
}

int store_pin_ready(store_t *st, const char *stored, zc_err *err)
{
    char h[PLAIN_MAX + 1];
    int ret = unseal(st, stored, h, sizeof h, err);
    sodium_memzero(h, sizeof h);
    return ret;
}

int store_pin_verify(store_t *st, const char *stored, const char *pin)
{
    char h[PLAIN_MAX + 1];
    int ret = unseal(st, stored, h, sizeof h, NULL);
    if (ret == ZC_OK)
        ret = zc_pin_verify(h, pin);
    sodium_memzero(h, sizeof h);
    return ret;
}

/* ---- sealed settings ---- */

int store_secret_get(store_t *st, const char *key, char *buf, size_t n)
{
    sqlite3_stmt *s = NULL;
    int ret = ZC_OK;
    buf[0] = '\0';
    int rc = sqlite3_prepare_v2(st->db, "SELECT value FROM meta WHERE key = ?", -1, &s, NULL);
    if (rc == SQLITE_OK) {
        sqlite3_bind_text(s, 1, key, -1, SQLITE_STATIC);
        rc = sqlite3_step(s);
    }
    if (rc == SQLITE_ROW) {
        const char *v = (const char *)sqlite3_column_text(s, 0);
        ret = unseal(st, v ? v : "", buf, n, NULL);
    } else {
        ret = rc == SQLITE_DONE ? ZC_ENOTFOUND : store_dbfail(st, rc, "reading the settings", NULL);
    }
    sqlite3_finalize(s);
    return ret;
}

int store_secret_seal(store_t *st, const char *value, char *out, size_t n, zc_err *err)
{
    return seal(st, value, out, n, err);
}

/* ---- open: modes, the key, sealing what is still clear ---- */

/* Values held sealed (sealed true) or still in clear by the database. */
static int count_values(store_t *st, bool sealed, int64_t *n, zc_err *err)
{
    sqlite3_stmt *s = NULL;
    int rc = sqlite3_prepare_v2(st->db,
                                sealed ? "SELECT (SELECT count(*) FROM operator WHERE pin_hash LIKE "
                                         "'zk1:%') + (SELECT count(*) FROM meta WHERE value LIKE "
                                         "'zk1:%')"
                                       : "SELECT (SELECT count(*) FROM operator WHERE pin_hash NOT "
                                         "LIKE 'zk1:%') + (SELECT count(*) FROM meta WHERE key = "
                                         "'sync_token' AND value NOT LIKE 'zk1:%')",
                                -1, &s, NULL);
    if (rc == SQLITE_OK && (rc = sqlite3_step(s)) == SQLITE_ROW)
        *n = sqlite3_column_int64(s, 0);
    sqlite3_finalize(s);
    return rc == SQLITE_ROW ? ZC_OK : store_dbfail(st, rc, "reading the operators", err);
}

/* Seals the values of sql's rows (id, value) with upd (value, id), one at a time. */
static int seal_rows(store_t *st, const char *sql, const char *upd, zc_err *err)
{
    sqlite3_stmt *q = NULL, *u = NULL;
    char id[STORE_SEALED_MAX], sealed[STORE_SEALED_MAX];
    int ret = ZC_OK, rc = sqlite3_prepare_v2(st->db, sql, -1, &q, NULL);
    if (rc == SQLITE_OK)
        rc = sqlite3_prepare_v2(st->db, upd, -1, &u, NULL);
    while (rc == SQLITE_OK && ret == ZC_OK) {
        sqlite3_reset(q);
        if ((rc = sqlite3_step(q)) != SQLITE_ROW)
            break;
        store_col_text(q, 0, id, sizeof id);
        const char *v = (const char *)sqlite3_column_text(q, 1);
        if ((ret = seal(st, v ? v : "", sealed, sizeof sealed, err)))
            break;
        sqlite3_reset(q); /* the row is copied: let the update run */
        sqlite3_bind_text(u, 1, sealed, -1, SQLITE_STATIC);
        sqlite3_bind_text(u, 2, id, -1, SQLITE_STATIC);
        rc = sqlite3_step(u) == SQLITE_DONE ? SQLITE_OK : sqlite3_errcode(st->db);
        sqlite3_reset(u);
    }
    if (ret == ZC_OK && rc != SQLITE_DONE)
        ret = store_dbfail(st, rc, "sealing the PINs and the token", err);
    sqlite3_finalize(q);
    sqlite3_finalize(u);
    sodium_memzero(sealed, sizeof sealed);
    return ret;
}

/* Seals the PIN hashes and the token still in clear (databases from before
 * the key), in one transaction. */
static int seal_clear(store_t *st, zc_err *err)
{
    int64_t nclear = 0;
    int ret = count_values(st, false, &nclear, err);
    if (ret || nclear == 0)
        return ret; /* the usual open: no write lock taken */
    /* the clear values' bytes are overwritten, not left in free space */
    ret = sqlite3_exec(st->db, "PRAGMA secure_delete = ON", NULL, NULL, NULL) == SQLITE_OK
                  ? store_begin(st, "sealing the PINs", err)
                  : store_dbfail(st, sqlite3_errcode(st->db), "sealing the PINs", err);
    if (ret)
        return ret;
    if ((ret = seal_rows(st, "SELECT id, pin_hash FROM operator WHERE pin_hash NOT LIKE 'zk1:%' "
                             "LIMIT 1", "UPDATE operator SET pin_hash = ?1 WHERE id = ?2", err)) ||
        (ret = seal_rows(st, "SELECT key, value FROM meta WHERE key = 'sync_token' AND value NOT "
                             "LIKE 'zk1:%'", "UPDATE meta SET value = ?1 WHERE key = ?2", err))) {
        store_rollback(st);
        return ret;
    }
    return store_commit(st, "sealing the PINs", err);
}

int store_key_load(store_t *st, zc_err *err)
{
    static const char *const sfx[] = {"", "-wal", "-shm"};
    char kp[STORE_PATH_MAX + 16], p[STORE_PATH_MAX + 8];
    bool found = false;
    int64_t nsealed = 0;
    int ret;
    if (!st->readonly)
        for (size_t i = 0; i < sizeof sfx / sizeof sfx[0]; i++) {
            snprintf(p, sizeof p, "%s%s", st->path, sfx[i]);
            tighten(p);
        }
    store_key_path(st->path, kp, sizeof kp);
    if ((ret = read_key(kp, !st->readonly, st->key, &found, err)))
        return ret;
    if (!found && st->readonly) {
        parent_key_path(st->path, kp, sizeof kp);
        if ((ret = read_key(kp, false, st->key, &found, err)))
            return ret;
    }
    st->has_key = found;
    if (st->readonly)
        return ZC_OK;
    if (!found) {
        if ((ret = count_values(st, true, &nsealed, err)) || nsealed > 0)
            return ret; /* a lost key: PINs and the token say so when used */
        if ((ret = create_key(kp, st->key, err)))
            return ret;
        st->has_key = true;
    }
    return seal_clear(st, err);
}

int store_key_reset(store_t *st, zc_err *err)
{
    char kp[STORE_PATH_MAX + 16], clear[STORE_SEALED_MAX];
    int64_t nsealed = 0;
    int ret;
    if (st->readonly)
        return zc_errf(err, ZC_EINVAL, "the database %s is open read-only", st->path);
    if ((ret = count_values(st, true, &nsealed, err)))
        return ret;
    if (st->has_key && (nsealed == 0 || store_secret_get(st, "sync_token", clear, sizeof clear) !=
                                            ZC_EREFUSED)) {
        sodium_memzero(clear, sizeof clear);
        return zc_errf(err, ZC_EREFUSED, "the key file of %s is there and opens its secrets; "
                       "nothing to reset", st->path);
    }
    store_key_path(st->path, kp, sizeof kp);
    if (st->has_key) { /* a wrong key: keep it aside, never delete a key */
        char aside[STORE_PATH_MAX + 32];
        snprintf(aside, sizeof aside, "%s.wrong", kp);
        if (rename(kp, aside) != 0)
            return zc_errf(err, ZC_EIO, "cannot move the key file %s aside: %s", kp, strerror(errno));
    }
    if ((ret = create_key(kp, st->key, err)))
        return ret;
    st->has_key = true;
    /* every PIN unusable until set again: a sealed random string no PIN matches */
    char never[STORE_SEALED_MAX];
    zc_random_hex(32, clear);
    if ((ret = seal(st, clear, never, sizeof never, err)) ||
        (ret = store_begin(st, "resetting the key", err)))
        return ret;
    sqlite3_stmt *s = NULL;
    int rc = sqlite3_prepare_v2(st->db, "UPDATE operator SET pin_hash = ?1", -1, &s, NULL);
    if (rc == SQLITE_OK) {
        sqlite3_bind_text(s, 1, never, -1, SQLITE_STATIC);
        rc = sqlite3_step(s);
    }
    sqlite3_finalize(s);
    if (rc == SQLITE_DONE)
        rc = sqlite3_exec(st->db, "DELETE FROM meta WHERE key = 'sync_token'", NULL, NULL, NULL);
    if (rc != SQLITE_DONE && rc != SQLITE_OK) {
        ret = store_dbfail(st, rc, "resetting the key", err);
        store_rollback(st);
        return ret;
    }
    if ((ret = store_audit(st, NULL, "key_reset", kp, "PINs cleared, sync_token removed", err))) {
        store_rollback(st);
        return ret;
    }
    return store_commit(st, "resetting the key", err);
}
