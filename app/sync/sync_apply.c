/* sync_apply.c - applying what the terminal pulls from the centre: its
 * configuration and policy pages (roster pages: sync_roster.c).
 *
 * Each page is applied in ONE write transaction together with its cursor
 * (meta policy_cursor): either the whole page and the new cursor are
 * stored, or - on any bad field, constraint or full disk - nothing, and the
 * same page is asked for again next round. */
#include "sync_int.h"

#include <stdlib.h>
#include <string.h>

#include "../core/clock.h"

enum {
    A_CANTEEN = SYNC_SLOT_APPLY,
    A_POLICY_FIND,
    A_POLICY_INSERT,
    A_META_GET,
    A_END
};
_Static_assert(A_END <= SYNC_SLOT_ROSTER, "sync_roster.c's slots start at SYNC_SLOT_ROSTER");

#define CURSOR_MAX 128

bool sync_is_hex(const char *s, size_t min, size_t max)
{
    size_t n = strlen(s);
    if (n < min || n > max)
        return false;
    for (size_t i = 0; i < n; i++)
        if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f')))
            return false;
    return true;
}

/* meta key into buf; "" when unset. */
static int meta_read(sync_db *d, const char *key, char *buf, size_t n, zc_err *err)
{
    sqlite3_stmt *s;
    buf[0] = '\0';
    int ret = sync_db_prep(d, A_META_GET, "SELECT value FROM meta WHERE key = ?", &s, err);
    if (ret)
        return ret;
    sqlite3_bind_text(s, 1, key, -1, SQLITE_STATIC);
    int rc = sqlite3_step(s);
    if (rc == SQLITE_ROW && sqlite3_column_text(s, 0))
        snprintf(buf, n, "%s", (const char *)sqlite3_column_text(s, 0));
    sqlite3_reset(s);
    return rc == SQLITE_ROW || rc == SQLITE_DONE ? ZC_OK : sync_db_fail(d, rc, "reading settings", err);
}

int sync_db_run(sync_db *d, sqlite3_stmt *s, const char *what, zc_err *err)
{
    int rc = sqlite3_step(s);
    sqlite3_reset(s);
    return rc == SQLITE_DONE ? ZC_OK : sync_db_fail(d, rc, what, err);
}

int sync_page_cursor(const cJSON *page, const char *what, char *buf, size_t n, zc_err *err)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(page, "next");
    if (cJSON_IsNumber(v)) {
        int64_t x;
        int ret = sync_json_int(page, "next", 0, INT64_MAX, true, &x, what, err);
        if (ret == ZC_OK)
            snprintf(buf, n, "%lld", (long long)x);
        return ret;
    }
    if (!cJSON_IsString(v))
        return zc_errf(err, ZC_EINVAL, "%s.next: must be the cursor (a string)", what);
    return sync_json_str(page, "next", buf, n, false, what, err); /* "" = from the start */
}

/* ---- configuration ---- */

int sync_apply_config(sync_db *d, const cJSON *cfg, const char *terminal_id, bool *salt_changed,
                      zc_err *err)
{
    char tid[ZC_ID_MAX], salt[ZC_SHA256_HEX], old_salt[ZC_SHA256_HEX], pk[80], fmt[16], have_fmt[16];
    zc_canteen c;
    zc_card_fmt f;
    sqlite3_stmt *s;
    const cJSON *cc = cJSON_GetObjectItemCaseSensitive(cfg, "canteen");
    int ret;
    *salt_changed = false;
    memset(&c, 0, sizeof c);
    if ((ret = sync_json_str(cfg, "terminal_id", tid, sizeof tid, true, "config", err)))
        return ret;
    if (strcmp(tid, terminal_id) != 0)
        return zc_errf(err, ZC_EREFUSED, "the centre knows this token as terminal %s, but this "
                       "terminal is %s; fix terminal_id or the token", tid, terminal_id);
    if (!cJSON_IsObject(cc))
        return zc_errf(err, ZC_EINVAL, "config.canteen: must be an object");
    if ((ret = sync_json_str(cc, "id", c.id, sizeof c.id, true, "config.canteen", err)) ||
        (ret = sync_json_str(cc, "name", c.name, sizeof c.name, true, "config.canteen", err)) ||
        (ret = sync_json_str(cc, "city", c.city, sizeof c.city, false, "config.canteen", err)) ||
        (ret = sync_json_str(cc, "district", c.district, sizeof c.district, false, "config.canteen",
                             err)) ||
        (ret = sync_json_str(cc, "town", c.town, sizeof c.town, false, "config.canteen", err)) ||
        (ret = sync_json_str(cfg, "id_salt", salt, sizeof salt, false, "config", err)) ||
        (ret = sync_json_str(cfg, "qr_pubkey", pk, sizeof pk, false, "config", err)) ||
        (ret = sync_json_str(cfg, "card_format", fmt, sizeof fmt, false, "config", err)))
        return ret;
    if (salt[0] && !sync_is_hex(salt, 16, 64))
        return zc_errf(err, ZC_EINVAL, "config.id_salt: must be 16 to 64 lower-case hex digits");
    if (pk[0] && !sync_is_hex(pk, 64, 64))
        return zc_errf(err, ZC_EINVAL, "config.qr_pubkey: must be 64 lower-case hex digits");
    if (fmt[0] && zc_card_fmt_parse(fmt, &f) != ZC_OK)
        return zc_errf(err, ZC_EINVAL, "config.card_format: \"%s\" is not hex10, dec10, dec8 or "
                       "facility", fmt);
    if ((ret = sync_db_begin(d, "the centre's configuration", err)))
        return ret;
    if ((ret = sync_db_prep(d, A_CANTEEN,
                            "INSERT INTO canteen (one, id, name, city, district, town) VALUES (1, ?, "
                            "?, ?, ?, ?) ON CONFLICT (one) DO UPDATE SET id = excluded.id, name = "
                            "excluded.name, city = excluded.city, district = excluded.district, "
                            "town = excluded.town", &s, err)))
        goto out;
    sqlite3_bind_text(s, 1, c.id, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 2, c.name, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 3, c.city, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 4, c.district, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 5, c.town, -1, SQLITE_STATIC);
    if ((ret = sync_db_run(d, s, "the canteen", err)) ||
        (ret = sync_meta_put(d, "canteen_id", c.id, err)) ||
        (ret = meta_read(d, "id_salt", old_salt, sizeof old_salt, err)) ||
        (ret = meta_read(d, "card_format", have_fmt, sizeof have_fmt, err)))
        goto out;
    if (salt[0] && strcmp(salt, old_salt) != 0) {
        /* hashes made with the old salt never match the centre's: pull all again */
        if ((ret = sync_meta_put(d, "id_salt", salt, err)) ||
            (ret = sync_meta_put(d, "roster_cursor", "", err)))
            goto out;
        *salt_changed = true;
    }
    if (pk[0] && (ret = sync_meta_put(d, "qr_pubkey", pk, err)))
        goto out;
    if (fmt[0] && !have_fmt[0] && (ret = sync_meta_put(d, "card_format", fmt, err)))
        goto out;
    ret = sync_db_commit(d, "the centre's configuration", err);
out:
    if (ret) {
        sync_db_rollback(d);
        *salt_changed = false;
    }
    return ret;
}

/* ---- policies ---- */

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

/* Stores policies[i] unless the same text is already there. */
static int put_policy(sync_db *d, const cJSON *o, const char *path, long *n, zc_err *err)
{
    char id[ZC_ID_MAX], version[ZC_ID_MAX];
    const cJSON *text = cJSON_GetObjectItemCaseSensitive(o, "json");
    zc_policy *pol = NULL;
    sqlite3_stmt *s;
    zc_err why;
    int ret;
    if (!cJSON_IsObject(o))
        return zc_errf(err, ZC_EINVAL, "%s: must be an object", path);
    if ((ret = sync_json_str(o, "policy", id, sizeof id, true, path, err)) ||
        (ret = sync_json_str(o, "version", version, sizeof version, true, path, err)))
        return ret;
    if (!cJSON_IsString(text) || !text->valuestring)
        return zc_errf(err, ZC_EINVAL, "%s.json: must be the policy text as a string", path);
    size_t len = strlen(text->valuestring);
    if (zc_policy_parse(text->valuestring, len, &pol, &why) != ZC_OK)
        return zc_errf(err, ZC_EINVAL, "%s.json: policy %s %s: %s", path, id, version, why.msg);
    if (strcmp(zc_policy_id(pol), id) != 0 || strcmp(zc_policy_version(pol), version) != 0) {
        ret = zc_errf(err, ZC_EINVAL, "%s: the text is policy %s version %s, not %s %s", path,
                      zc_policy_id(pol), zc_policy_version(pol), id, version);
        goto out;
    }
    if ((ret = sync_db_prep(d, A_POLICY_FIND, "SELECT json FROM policy WHERE policy_id = ? AND "
                            "version = ?", &s, err)))
        goto out;
    sqlite3_bind_text(s, 1, id, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 2, version, -1, SQLITE_STATIC);
    int rc = sqlite3_step(s);
    if (rc == SQLITE_ROW) {
        const char *old = (const char *)sqlite3_column_text(s, 0);
        size_t oldlen = (size_t)sqlite3_column_bytes(s, 0);
        if (!old || !same_policy(old, oldlen, text->valuestring, len))
            ret = zc_errf(err, ZC_ECONFLICT, "%s: policy %s version %s is already stored here with "
                          "different content; the centre must publish a new version", path, id,
                          version);
        sqlite3_reset(s);
        goto out; /* the same policy: nothing to do */
    }
    sqlite3_reset(s);
    if (rc != SQLITE_DONE) {
        ret = sync_db_fail(d, rc, "the policy", err);
        goto out;
    }
    if ((ret = sync_db_prep(d, A_POLICY_INSERT,
                            "INSERT INTO policy (policy_id, version, effective_from, effective_to, "
                            "json, added_utc) VALUES (?, ?, ?, ?, ?, ?)", &s,
                            err)))
        goto out;
    char from[16], to[16];
    sqlite3_bind_text(s, 1, id, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 2, version, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 3, zc_date_fmt(zc_policy_from(pol), from, sizeof from), -1, SQLITE_STATIC);
    if (zc_date_is_set(zc_policy_to(pol)))
        sqlite3_bind_text(s, 4, zc_date_fmt(zc_policy_to(pol), to, sizeof to), -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 5, text->valuestring, (int)len, SQLITE_STATIC);
    sqlite3_bind_int64(s, 6, zc_now());
    if ((ret = sync_db_run(d, s, "the policy", err)) == ZC_OK)
        (*n)++;
out:
    zc_policy_free(pol);
    return ret;
}

int sync_apply_policies(sync_db *d, const cJSON *page, long *n, zc_err *err)
{
    const cJSON *list = cJSON_GetObjectItemCaseSensitive(page, "policies"), *o;
    char next[CURSOR_MAX], path[32];
    long added = 0;
    zc_err e = {""};
    int i = 0, ret;
    if (!cJSON_IsArray(list)) {
        ret = zc_errf(&e, ZC_EINVAL, "\"policies\" must be a list");
        goto out;
    }
    if ((ret = sync_page_cursor(page, "policies", next, sizeof next, &e)) ||
        (ret = sync_db_begin(d, "the policy page", &e)))
        goto out;
    cJSON_ArrayForEach(o, list)
    {
        snprintf(path, sizeof path, "policies[%d]", i++);
        if ((ret = put_policy(d, o, path, &added, &e)))
            goto out;
    }
    if ((ret = sync_meta_put(d, "policy_cursor", next, &e)))
        goto out;
    ret = sync_db_commit(d, "the policy page", &e);
out:
    if (ret) {
        sync_db_rollback(d);
        (void)zc_errf(err, ret, "the centre's policy page was not applied (nothing of it was "
                      "stored): %s", e.msg);
    } else {
        *n += added;
    }
    return ret;
}
