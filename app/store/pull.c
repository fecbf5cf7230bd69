/* pull.c - the centre's configuration and policy pages written into the
 * terminal's database (pull.h; roster pages: roster_apply.c).  The caller
 * has checked every field; this file only stores, in the transactions
 * pull.h describes. */
#include "pull.h"

#include <cjson/cJSON.h>
#include <string.h>

#include "../core/clock.h"
#include "outbox.h"
#include "store_int.h"

/* meta key into buf; "" when unset. */
static int meta_read(store_t *st, const char *key, char *buf, size_t n, zc_err *err)
{
    sqlite3_stmt *s;
    buf[0] = '\0';
    int ret = store_prep(st, Q_PULL_META_GET, "SELECT value FROM meta WHERE key = ?", &s, err);
    if (ret)
        return ret;
    sqlite3_bind_text(s, 1, key, -1, SQLITE_STATIC);
    int rc = sqlite3_step(s);
    if (rc == SQLITE_ROW && sqlite3_column_text(s, 0))
        store_col_text(s, 0, buf, n);
    store_done(s);
    return rc == SQLITE_ROW || rc == SQLITE_DONE ? ZC_OK : store_sync_fail(st, rc, "reading settings", err);
}

int store_pull_begin(store_t *st, const char *what, zc_err *err)
{
    return store_sync_exec(st, "BEGIN IMMEDIATE", what, err);
}

int store_pull_commit(store_t *st, const char *what, zc_err *err)
{
    return store_sync_exec(st, "COMMIT", what, err);
}

void store_pull_rollback(store_t *st)
{
    store_rollback(st);
}

int store_pull_config(store_t *st, const zc_canteen *c, const char *salt, const char *pubkey,
                      const char *card_format, bool *salt_changed, zc_err *err)
{
    char old_salt[ZC_SHA256_HEX], have_fmt[16];
    int ret, rc;
    *salt_changed = false;
    if ((ret = store_pull_begin(st, "the centre's configuration", err)))
        return ret;
    if ((rc = store_canteen_row(st, c)) != SQLITE_DONE) {
        ret = store_sync_fail(st, rc, "the canteen", err);
        goto out;
    }
    if ((ret = store_meta_put(st, "canteen_id", c->id, err)) ||
        (ret = meta_read(st, "id_salt", old_salt, sizeof old_salt, err)) ||
        (ret = meta_read(st, "card_format", have_fmt, sizeof have_fmt, err)))
        goto out;
    if (salt[0] && strcmp(salt, old_salt) != 0) {
        /* hashes made with the old salt never match the centre's: pull all again */
        if ((ret = store_meta_put(st, "id_salt", salt, err)) ||
            (ret = store_meta_put(st, "roster_cursor", "", err)))
            goto out;
        *salt_changed = true;
    }
    if (pubkey[0] && (ret = store_meta_put(st, "qr_pubkey", pubkey, err)))
        goto out;
    if (card_format[0] && !have_fmt[0] && (ret = store_meta_put(st, "card_format", card_format, err)))
        goto out;
    ret = store_pull_commit(st, "the centre's configuration", err);
out:
    if (ret) {
        store_rollback(st);
        *salt_changed = false;
    }
    return ret;
}

/* Whether two policy texts say the same (same JSON, whatever the layout). */
static bool same_policy(const char *a, size_t alen, const char *b, size_t blen)
{
    if (alen == blen && memcmp(a, b, alen) == 0)
        return true;
    cJSON *x = cJSON_ParseWithLength(a, alen), *y = cJSON_ParseWithLength(b, blen);
    bool same = x && y && cJSON_Compare(x, y, true);
    cJSON_Delete(x);
    cJSON_Delete(y);
    return same;
}

int store_pull_policy(store_t *st, const char *path, const zc_policy *pol, const char *text,
                      size_t len, long *n, zc_err *err)
{
    const char *id = zc_policy_id(pol), *version = zc_policy_version(pol);
    sqlite3_stmt *s;
    int ret = store_prep(st, Q_PULL_POLICY_FIND, "SELECT json FROM policy WHERE policy_id = ? AND "
                         "version = ?", &s, err);
    if (ret)
        return ret;
    sqlite3_bind_text(s, 1, id, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 2, version, -1, SQLITE_STATIC);
    int rc = sqlite3_step(s);
    if (rc == SQLITE_ROW) {
        const char *old = (const char *)sqlite3_column_text(s, 0);
        size_t oldlen = (size_t)sqlite3_column_bytes(s, 0);
        if (!old || !same_policy(old, oldlen, text, len))
            ret = zc_errf(err, ZC_ECONFLICT, "%s: policy %s version %s is already stored here with "
                          "different content; the centre must publish a new version", path, id,
                          version);
        store_done(s);
        return ret; /* the same policy: nothing to do */
    }
    store_done(s);
    if (rc != SQLITE_DONE)
        return store_sync_fail(st, rc, "the policy", err);
    if ((ret = store_prep(st, Q_PULL_POLICY_INSERT,
                          "INSERT INTO policy (policy_id, version, effective_from, effective_to, "
                          "json, added_utc) VALUES (?, ?, ?, ?, ?, ?)", &s, err)))
        return ret;
    char from[16], to[16];
    sqlite3_bind_text(s, 1, id, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 2, version, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 3, zc_date_fmt(zc_policy_from(pol), from, sizeof from), -1, SQLITE_STATIC);
    if (zc_date_is_set(zc_policy_to(pol)))
        sqlite3_bind_text(s, 4, zc_date_fmt(zc_policy_to(pol), to, sizeof to), -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 5, text, (int)len, SQLITE_STATIC);
    sqlite3_bind_int64(s, 6, zc_now());
    if ((ret = store_sync_run(st, s, "the policy", err)) == ZC_OK)
        (*n)++;
    return ret;
}
