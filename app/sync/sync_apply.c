/* sync_apply.c - applying what the terminal pulls from the centre: its
 * configuration, roster pages (elders, cards, the blacklist) and policy
 * pages.
 *
 * Each page is applied in ONE write transaction together with its cursor
 * (meta roster_cursor / policy_cursor): either the whole page and the new
 * cursor are stored, or - on any bad field, constraint or full disk -
 * nothing, and the same page is asked for again next round.  Elders are
 * validated and upserted through store_elder_put (the store's own checks);
 * the ID-number hash and last four come from the centre as they are (the
 * terminal never sees an ID number from the centre).  An elder's "cards"
 * list replaces its cards, as a CSV import does, so a card that became lost
 * or blocked at the centre is refused here after the next pull. */
#include "sync_int.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

enum {
    A_CANTEEN = SYNC_SLOT_APPLY,
    A_ID_HASH,
    A_ID_HASH_FREE,
    A_CARDS_DELETE,
    A_POLICY_FIND,
    A_POLICY_INSERT,
    A_META_GET,
    A_BULK_ANY,
    A_BULK_EMPTY,
    A_BULK_NEXT,
    A_BULK_DONE,
    A_END
};
_Static_assert(A_END <= SYNC_SLOT_CLOSING, "sync_closing.c's slots start at SYNC_SLOT_CLOSING");

#define CURSOR_MAX 128

static bool is_hex(const char *s, size_t min, size_t max)
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

/* Runs a prepared statement to completion. */
static int run(sync_db *d, sqlite3_stmt *s, const char *what, zc_err *err)
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
    if (salt[0] && !is_hex(salt, 16, 64))
        return zc_errf(err, ZC_EINVAL, "config.id_salt: must be 16 to 64 lower-case hex digits");
    if (pk[0] && !is_hex(pk, 64, 64))
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
    if ((ret = run(d, s, "the canteen", err)) ||
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

/* ---- roster ---- */

/* An elder of a roster page, as the protocol sends it. */
typedef struct pulled_elder {
    zc_elder e;
    char gender[4];
    char id_hash[ZC_SHA256_HEX + 8];
    char id_last4[8];
    char phone[32];
} pulled_elder;

/* Reads "categories" as "a;b:2" or as a list of such codes. */
static int read_cats(const cJSON *o, zc_elder *e, const char *path, zc_err *err)
{
    char text[ZC_MAX_CATS * (ZC_CODE_MAX + 4)] = "";
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, "categories"), *it;
    zc_err why;
    size_t len = 0;
    if (cJSON_IsArray(v)) {
        cJSON_ArrayForEach(it, v)
        {
            if (!cJSON_IsString(it) || !it->valuestring)
                return zc_errf(err, ZC_EINVAL, "%s.categories: must hold strings", path);
            int w = snprintf(text + len, sizeof text - len, "%s%s", len ? ";" : "", it->valuestring);
            if (w < 0 || (size_t)w >= sizeof text - len)
                return zc_errf(err, ZC_EINVAL, "%s.categories: too many", path);
            len += (size_t)w;
        }
    } else {
        int ret = sync_json_str(o, "categories", text, sizeof text, false, path, err);
        if (ret)
            return ret;
    }
    if (zc_cats_parse(text, e->cats, ZC_MAX_CATS, &e->ncats, &why) != ZC_OK)
        return zc_errf(err, ZC_EINVAL, "%s.categories: %s", path, why.msg);
    return ZC_OK;
}

/* Parses elders[i] (path names it) into *p. */
static int read_elder(const cJSON *o, pulled_elder *p, const char *path, zc_err *err)
{
    static const char *const regions[6] = {"reg_city", "reg_district", "reg_town",
                                           "res_city", "res_district", "res_town"};
    static const char *const statuses[3] = {"active", "suspended", "deceased"};
    zc_elder *e = &p->e;
    char *region[6] = {e->reg_city, e->reg_district, e->reg_town,
                       e->res_city, e->res_district, e->res_town};
    char status[16];
    int64_t grade;
    int ret;
    memset(p, 0, sizeof *p);
    if (!cJSON_IsObject(o))
        return zc_errf(err, ZC_EINVAL, "%s: must be an object", path);
    /* the CSV's column names; "id"/"birth" accepted as well */
    if (cJSON_GetObjectItemCaseSensitive(o, "elder_id"))
        ret = sync_json_str(o, "elder_id", e->id, sizeof e->id, true, path, err);
    else
        ret = sync_json_str(o, "id", e->id, sizeof e->id, true, path, err);
    if (ret || (ret = sync_json_str(o, "name", e->name, sizeof e->name, true, path, err)))
        return ret;
    if ((ret = sync_json_date(o, cJSON_GetObjectItemCaseSensitive(o, "birth_date") ? "birth_date"
                                                                                  : "birth",
                              &e->birth, path, err)))
        return ret;
    for (int i = 0; i < 6; i++)
        if ((ret = sync_json_str(o, regions[i], region[i], ZC_CODE_MAX, false, path, err)))
            return ret;
    if ((ret = read_cats(o, e, path, err)) ||
        (ret = sync_json_int(o, "disability_grade", 0, 4, false, &grade, path, err)) ||
        (ret = sync_json_bool(o, "care_home", &e->care_home, path, err)) ||
        (ret = sync_json_str(o, "status", status, sizeof status, false, path, err)) ||
        (ret = sync_json_date(o, "valid_from", &e->valid_from, path, err)) ||
        (ret = sync_json_date(o, "valid_to", &e->valid_to, path, err)) ||
        (ret = sync_json_str(o, "gender", p->gender, sizeof p->gender, false, path, err)) ||
        (ret = sync_json_str(o, "id_hash", p->id_hash, sizeof p->id_hash, false, path, err)) ||
        (ret = sync_json_str(o, "id_last4", p->id_last4, sizeof p->id_last4, false, path, err)) ||
        (ret = sync_json_str(o, "phone", p->phone, sizeof p->phone, false, path, err)))
        return ret;
    e->disability_grade = (int)grade;
    e->status = (zc_elder_status)-1;
    for (int i = 0; i < 3; i++)
        if (!status[0] || strcmp(status, statuses[i]) == 0)
            e->status = status[0] ? (zc_elder_status)i : ZC_ELDER_ACTIVE;
    if ((int)e->status < 0)
        return zc_errf(err, ZC_EINVAL, "%s.status: \"%s\" must be active, suspended or deceased",
                       path, status);
    if (p->gender[0] && strcmp(p->gender, "M") != 0 && strcmp(p->gender, "F") != 0)
        return zc_errf(err, ZC_EINVAL, "%s.gender: must be M, F or empty", path);
    if (p->id_hash[0] && !is_hex(p->id_hash, 64, 64))
        return zc_errf(err, ZC_EINVAL, "%s.id_hash: must be 64 lower-case hex digits", path);
    if (p->id_last4[0]) {
        const char *l = p->id_last4;
        bool ok = strlen(l) == 4;
        for (int i = 0; ok && i < 4; i++)
            ok = (l[i] >= '0' && l[i] <= '9') || (i == 3 && l[i] == 'X');
        if (!ok)
            return zc_errf(err, ZC_EINVAL, "%s.id_last4: must be 4 digits (the last may be X)", path);
    }
    return ZC_OK;
}

/* Sets the centre's ID-number hash, last four and gender on elder id.  A
 * hash that another elder holds moves to this one: the centre's roster is
 * the truth (the other elder's own row, if on a later page, sets its own). */
static int set_identity(sync_db *d, const pulled_elder *p, zc_err *err)
{
    sqlite3_stmt *s;
    int ret;
    if (p->id_hash[0]) {
        if ((ret = sync_db_prep(d, A_ID_HASH_FREE, "UPDATE elder SET id_hash = NULL, id_last4 = NULL "
                                "WHERE id_hash = ?1 AND id <> ?2", &s, err)))
            return ret;
        sqlite3_bind_text(s, 1, p->id_hash, -1, SQLITE_STATIC);
        sqlite3_bind_text(s, 2, p->e.id, -1, SQLITE_STATIC);
        if ((ret = run(d, s, "the roster", err)))
            return ret;
    }
    if ((ret = sync_db_prep(d, A_ID_HASH, "UPDATE elder SET id_hash = ?1, id_last4 = ?2, gender = ?3 "
                            "WHERE id = ?4", &s, err)))
        return ret;
    if (p->id_hash[0])
        sqlite3_bind_text(s, 1, p->id_hash, -1, SQLITE_STATIC);
    if (p->id_last4[0])
        sqlite3_bind_text(s, 2, p->id_last4, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 3, p->gender, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 4, p->e.id, -1, SQLITE_STATIC);
    return run(d, s, "the roster", err);
}

/* Replaces the cards of elder id with the list v (path names it); a fresh
 * elder has none to delete. */
static int put_cards(sync_db *d, const char *elder_id, const cJSON *v, const char *path, bool fresh,
                     long *n, zc_err *err)
{
    static const char *const statuses[3] = {"active", "lost", "blocked"};
    sqlite3_stmt *s;
    const cJSON *it;
    char cpath[96], uid[24], status[16];
    int i = 0, ret;
    if (!cJSON_IsArray(v))
        return zc_errf(err, ZC_EINVAL, "%s.cards: must be a list", path);
    if (!fresh) {
        if ((ret = sync_db_prep(d, A_CARDS_DELETE, "DELETE FROM card WHERE elder_id = ?", &s, err)))
            return ret;
        sqlite3_bind_text(s, 1, elder_id, -1, SQLITE_STATIC);
        if ((ret = run(d, s, "the cards", err)))
            return ret;
    }
    cJSON_ArrayForEach(it, v)
    {
        store_card c;
        zc_err why;
        memset(&c, 0, sizeof c);
        snprintf(cpath, sizeof cpath, "%s.cards[%d]", path, i++);
        if (!cJSON_IsObject(it))
            return zc_errf(err, ZC_EINVAL, "%s: must be an object", cpath);
        if ((ret = sync_json_str(it, "uid", uid, sizeof uid, true, cpath, err)) ||
            (ret = sync_json_str(it, "status", status, sizeof status, false, cpath, err)) ||
            (ret = sync_json_date(it, "valid_from", &c.valid_from, cpath, err)) ||
            (ret = sync_json_date(it, "valid_to", &c.valid_to, cpath, err)))
            return ret;
        if (zc_card_uid_parse(uid, &c.uid, &why) != ZC_OK)
            return zc_errf(err, ZC_EINVAL, "%s.uid: %s", cpath, why.msg);
        c.status = (store_card_status)-1;
        for (int k = 0; k < 3; k++)
            if (!status[0] || strcmp(status, statuses[k]) == 0)
                c.status = status[0] ? (store_card_status)k : STORE_CARD_ACTIVE;
        if ((int)c.status < 0)
            return zc_errf(err, ZC_EINVAL, "%s.status: \"%s\" must be active, lost or blocked", cpath,
                           status);
        snprintf(c.elder_id, sizeof c.elder_id, "%s", elder_id);
        if ((ret = store_card_put(sync_db_store(d), &c, &why)))
            return zc_errf(err, ret, "%s: %s", cpath, why.msg);
        (*n)++;
    }
    return ZC_OK;
}

/* Applies elders[i] (path names it).  In a bulk load a new elder is one
 * INSERT and its cards; an elder already held (it changed again during the
 * pull) takes the general path: upsert, the ID hash moved to it, its cards
 * replaced. */
static int put_elder(sync_db *d, const cJSON *o, pulled_elder *p, const char *path, bool bulk,
                     long *nc, zc_err *err)
{
    store_t *st = sync_db_store(d);
    bool added = false;
    zc_err why;
    int ret = read_elder(o, p, path, err);
    if (ret)
        return ret;
    if (bulk) {
        ret = store_elder_add(st, &p->e, p->phone, p->id_hash, p->id_last4, p->gender[0], &added, &why);
        if (ret && ret != ZC_ECONFLICT) /* another elder's ID hash: the general path moves it */
            return zc_errf(err, ret, "%s: %s", path, why.msg);
    }
    if (!added) {
        if ((ret = store_elder_put(st, &p->e, NULL, p->phone, &why)))
            return zc_errf(err, ret, "%s: %s", path, why.msg);
        if ((ret = set_identity(d, p, err)))
            return ret;
    }
    const cJSON *cl = cJSON_GetObjectItemCaseSensitive(o, "cards");
    if (cl && !cJSON_IsNull(cl))
        return put_cards(d, p->e.id, cl, path, added, nc, err);
    return ZC_OK;
}

int sync_apply_roster(sync_db *d, const cJSON *page, bool bulk, long *elders, long *cards,
                      zc_err *err)
{
    const cJSON *list = cJSON_GetObjectItemCaseSensitive(page, "elders"), *o;
    char next[CURSOR_MAX], path[48];
    pulled_elder *p = malloc(sizeof *p);
    long ne = 0, nc = 0;
    zc_err e = {""};
    int i = 0, ret;
    if (!p) {
        ret = zc_errf(&e, ZC_ENOMEM, "out of memory");
        goto out;
    }
    if (!cJSON_IsArray(list)) {
        ret = zc_errf(&e, ZC_EINVAL, "\"elders\" must be a list");
        goto out;
    }
    if ((ret = sync_page_cursor(page, "roster", next, sizeof next, &e)) ||
        (ret = sync_db_begin(d, "the roster page", &e)))
        goto out;
    cJSON_ArrayForEach(o, list)
    {
        snprintf(path, sizeof path, "elders[%d]", i++);
        if ((ret = put_elder(d, o, p, path, bulk, &nc, &e)))
            goto out;
        ne++;
    }
    if ((ret = sync_meta_put(d, "roster_cursor", next, &e)))
        goto out;
    ret = sync_db_commit(d, "the roster page", &e);
out:
    if (ret) {
        sync_db_rollback(d);
        (void)zc_errf(err, ret, "the centre's roster page was not applied (nothing of it was "
                      "stored): %s", e.msg);
    } else {
        *elders += ne;
        *cards += nc;
    }
    free(p);
    return ret;
}

/* ---- bulk load of a first pull ---- */

/* Whether the single-value query of slot gives a non-zero number. */
static int query_true(sync_db *d, int slot, const char *sql, bool *yes, zc_err *err)
{
    sqlite3_stmt *s;
    int ret = sync_db_prep(d, slot, sql, &s, err);
    if (ret)
        return ret;
    int rc = sqlite3_step(s);
    *yes = rc == SQLITE_ROW && sqlite3_column_int(s, 0) != 0;
    sqlite3_reset(s);
    return rc == SQLITE_ROW ? ZC_OK : sync_db_fail(d, rc, "reading the roster", err);
}

int sync_roster_bulk_begin(sync_db *d, const char *cursor, bool *bulk, zc_err *err)
{
    bool held = false;
    char *drop = NULL;
    int ret = query_true(d, A_BULK_ANY, "SELECT EXISTS (SELECT 1 FROM roster_bulk_index)", bulk, err);
    if (ret || *bulk || (cursor[0] && strcmp(cursor, "0") != 0))
        return ret;
    if ((ret = sync_db_begin(d, "the roster load", err)))
        return ret;
    if ((ret = query_true(d, A_BULK_EMPTY, "SELECT EXISTS (SELECT 1 FROM elder) OR EXISTS (SELECT 1 "
                          "FROM card)", &held, err)) || held)
        goto out;
    sqlite3 *db = sync_db_handle(d);
    int rc = sqlite3_exec(db, "INSERT INTO roster_bulk_index (name, sql) SELECT name, sql FROM "
                          "sqlite_master WHERE type = 'index' AND tbl_name IN ('elder', 'card') AND "
                          "sql IS NOT NULL AND name <> 'card_elder'", NULL, NULL, NULL);
    sqlite3_stmt *s = NULL;
    if (rc == SQLITE_OK)
        rc = sqlite3_prepare_v2(db, "SELECT group_concat('DROP INDEX \"' || replace(name, '\"', "
                                "'\"\"') || '\"', ';') FROM roster_bulk_index", -1, &s, NULL);
    if (rc == SQLITE_OK && (rc = sqlite3_step(s)) == SQLITE_ROW) {
        const char *t = (const char *)sqlite3_column_text(s, 0);
        rc = SQLITE_OK;
        if (t && !(drop = strdup(t)))
            rc = SQLITE_NOMEM;
    }
    sqlite3_finalize(s);
    if (rc == SQLITE_OK && drop)
        rc = sqlite3_exec(db, drop, NULL, NULL, NULL);
    if (rc != SQLITE_OK) {
        ret = sync_db_fail(d, rc, "the roster load", err);
        goto out;
    }
    if ((ret = sync_db_commit(d, "the roster load", err)) == ZC_OK)
        *bulk = drop != NULL;
out:
    if (ret || held)
        sync_db_rollback(d);
    free(drop);
    return ret;
}

static long ms_since(const struct timespec *t0)
{
    struct timespec t1;
    clock_gettime(CLOCK_MONOTONIC, &t1);
    return (long)((t1.tv_sec - t0->tv_sec) * 1000 + (t1.tv_nsec - t0->tv_nsec) / 1000000);
}

/* Builds one waiting index: its name and CREATE statement in name/sql. */
static int build_index(sync_db *d, const char *name, const char *sql, zc_err *err)
{
    sqlite3_stmt *s;
    sqlite3 *db = sync_db_handle(d);
    int ret = sync_db_begin(d, "rebuilding the roster indexes", err);
    if (ret)
        return ret;
    int rc = sqlite3_exec(db, sql, NULL, NULL, NULL);
    if ((rc & 0xff) == SQLITE_CONSTRAINT) {
        /* pages from different moments of the centre's roster left an ID
         * hash on two elders: drop it from both and pull everything again,
         * which puts each hash back where the centre has it */
        rc = sqlite3_exec(db, "UPDATE elder SET id_hash = NULL, id_last4 = NULL WHERE id_hash IN "
                          "(SELECT id_hash FROM elder WHERE id_hash IS NOT NULL GROUP BY id_hash "
                          "HAVING count(*) > 1)", NULL, NULL, NULL);
        if (rc == SQLITE_OK && (ret = sync_meta_put(d, "roster_cursor", "", err)))
            goto out;
        if (rc == SQLITE_OK)
            rc = sqlite3_exec(db, sql, NULL, NULL, NULL);
    }
    if (rc != SQLITE_OK) {
        ret = sync_db_fail(d, rc, "rebuilding the roster indexes", err);
        goto out;
    }
    if ((ret = sync_db_prep(d, A_BULK_DONE, "DELETE FROM roster_bulk_index WHERE name = ?", &s, err)))
        goto out;
    sqlite3_bind_text(s, 1, name, -1, SQLITE_STATIC);
    if ((ret = run(d, s, "rebuilding the roster indexes", err)) == ZC_OK)
        ret = sync_db_commit(d, "rebuilding the roster indexes", err);
out:
    if (ret)
        sync_db_rollback(d);
    return ret;
}

int sync_roster_bulk_end(sync_db *d, long *longest_ms, zc_err *err)
{
    char *name = NULL, *sql = NULL;
    int ret = ZC_OK;
    for (;;) {
        sqlite3_stmt *s;
        struct timespec t0;
        if ((ret = sync_db_prep(d, A_BULK_NEXT, "SELECT name, sql FROM roster_bulk_index ORDER BY "
                                "name LIMIT 1", &s, err)))
            break;
        int rc = sqlite3_step(s);
        if (rc == SQLITE_ROW) {
            name = strdup((const char *)sqlite3_column_text(s, 0));
            sql = strdup((const char *)sqlite3_column_text(s, 1));
        }
        sqlite3_reset(s);
        if (rc == SQLITE_DONE)
            break;
        if (rc != SQLITE_ROW) {
            ret = sync_db_fail(d, rc, "rebuilding the roster indexes", err);
            break;
        }
        if (!name || !sql) {
            ret = zc_errf(err, ZC_ENOMEM, "out of memory rebuilding the roster indexes");
            break;
        }
        clock_gettime(CLOCK_MONOTONIC, &t0);
        if ((ret = build_index(d, name, sql, err)))
            break;
        long ms = ms_since(&t0);
        if (ms > *longest_ms)
            *longest_ms = ms;
        free(name);
        free(sql);
        name = sql = NULL;
    }
    free(name);
    free(sql);
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
                            "json, added_utc) VALUES (?, ?, ?, ?, ?, strftime('%s', 'now'))", &s,
                            err)))
        goto out;
    char from[16], to[16];
    sqlite3_bind_text(s, 1, id, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 2, version, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 3, zc_date_fmt(zc_policy_from(pol), from, sizeof from), -1, SQLITE_STATIC);
    if (zc_date_is_set(zc_policy_to(pol)))
        sqlite3_bind_text(s, 4, zc_date_fmt(zc_policy_to(pol), to, sizeof to), -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 5, text->valuestring, (int)len, SQLITE_STATIC);
    if ((ret = run(d, s, "the policy", err)) == ZC_OK)
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
