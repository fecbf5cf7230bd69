/* sync_roster.c - roster pages from the centre: decoding them from JSON
 * and applying them (elders, cards, the blacklist), and the bulk load of a
 * first pull into an empty terminal.
 *
 * Decoding and applying are apart so they can run on two threads: the
 * page after the one being applied is fetched, parsed and decoded (every
 * field checked, the cJSON tree freed) by a helper thread (sync_round.c),
 * while the worker's thread only writes.  A page is applied in ONE write
 * transaction together with its cursor (meta roster_cursor): the whole
 * page and the new cursor, or - on any bad field, constraint or full disk -
 * nothing, and the same page is asked for again next round.  Elders are
 * validated by the store's own checks; the ID-number hash and last four
 * come from the centre as they are (the terminal never sees an ID number
 * from the centre).  An elder's "cards" list replaces its cards, as a CSV
 * import does, so a card that became lost or blocked at the centre is
 * refused here after the next pull.
 *
 * Bulk load: into an empty roster a million random inserts into five
 * secondary indexes cost far more than the rows themselves (each page's
 * commit rewrites thousands of index pages).  So the first pull drops
 * those indexes (their CREATE statements kept in roster_bulk_index, in the
 * same transaction), inserts each new elder with one statement (and its
 * cards without the foreign-key look-up: the elder was written just before
 * them) and builds the indexes again after the last page, each in its own
 * transaction.  A
 * pull stopped half-way carries on in bulk at the next round.  Meanwhile
 * look-ups still work, by scanning (the terminal has no roster yet). */
#include "sync_int.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

enum {
    R_ID_HASH = SYNC_SLOT_ROSTER,
    R_ID_HASH_FREE,
    R_CARDS_DELETE,
    R_BULK_ANY,
    R_BULK_EMPTY,
    R_BULK_NEXT,
    R_BULK_DONE,
    R_END
};
_Static_assert(R_END <= SYNC_SLOT_CLOSING, "sync_closing.c's slots start at SYNC_SLOT_CLOSING");

#define CURSOR_MAX 128

/* An elder of a roster page, as the protocol sends it. */
typedef struct pulled_elder {
    zc_elder e;
    char gender[4];
    char id_hash[ZC_SHA256_HEX + 8];
    char id_last4[8];
    char phone[32];
    bool has_cards;   /* "cards" was sent: they replace the elder's */
    int card0, ncards; /* its cards in the page's card list */
} pulled_elder;

_Static_assert(sizeof ((store_card *)0)->elder_id == sizeof ((zc_elder *)0)->id, "elder ids");

struct sync_roster_page {
    pulled_elder *el; /* n elders in page order */
    int n;
    store_card *cards; /* every elder's cards, in order */
    int ncards, cap;
    char next[CURSOR_MAX];
    bool more;
};

/* ---- decoding ---- */

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
    if (p->id_hash[0] && !sync_is_hex(p->id_hash, 64, 64))
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

/* Decodes the "cards" list v of an elder (path names it) onto the page. */
static int read_cards(sync_roster_page *pg, pulled_elder *p, const cJSON *v, const char *path,
                      zc_err *err)
{
    static const char *const statuses[3] = {"active", "lost", "blocked"};
    const cJSON *it;
    char cpath[96], uid[24], status[16];
    int i = 0, ret;
    if (!cJSON_IsArray(v))
        return zc_errf(err, ZC_EINVAL, "%s.cards: must be a list", path);
    p->has_cards = true;
    p->card0 = pg->ncards;
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
        memcpy(c.elder_id, p->e.id, sizeof c.elder_id);
        if (pg->ncards == pg->cap) {
            int cap = pg->cap ? pg->cap * 2 : 1024;
            store_card *m = realloc(pg->cards, sizeof *m * (size_t)cap);
            if (!m)
                return zc_errf(err, ZC_ENOMEM, "out of memory reading the roster");
            pg->cards = m;
            pg->cap = cap;
        }
        pg->cards[pg->ncards++] = c;
        p->ncards++;
    }
    return ZC_OK;
}

void sync_roster_page_free(sync_roster_page *pg)
{
    if (!pg)
        return;
    free(pg->el);
    free(pg->cards);
    free(pg);
}

int sync_roster_decode(const cJSON *page, sync_roster_page **out, zc_err *err)
{
    const cJSON *list = cJSON_GetObjectItemCaseSensitive(page, "elders"), *o;
    sync_roster_page *pg = calloc(1, sizeof *pg);
    char path[48];
    zc_err e = {""}, ignore;
    int i = 0, ret = ZC_OK;
    *out = NULL;
    if (!pg) {
        ret = zc_errf(&e, ZC_ENOMEM, "out of memory");
        goto out;
    }
    if (!cJSON_IsArray(list)) {
        ret = zc_errf(&e, ZC_EINVAL, "\"elders\" must be a list");
        goto out;
    }
    if ((ret = sync_page_cursor(page, "roster", pg->next, sizeof pg->next, &e)))
        goto out;
    if (sync_json_bool(page, "more", &pg->more, "", &ignore) != ZC_OK)
        pg->more = false;
    int n = cJSON_GetArraySize(list);
    if (n > 0 && !(pg->el = calloc((size_t)n, sizeof *pg->el))) {
        ret = zc_errf(&e, ZC_ENOMEM, "out of memory");
        goto out;
    }
    cJSON_ArrayForEach(o, list)
    {
        pulled_elder *p = &pg->el[i];
        snprintf(path, sizeof path, "elders[%d]", i++);
        if ((ret = read_elder(o, p, path, &e)))
            goto out;
        const cJSON *cl = cJSON_GetObjectItemCaseSensitive(o, "cards");
        if (cl && !cJSON_IsNull(cl) && (ret = read_cards(pg, p, cl, path, &e)))
            goto out;
        pg->n = i;
    }
out:
    if (ret) {
        sync_roster_page_free(pg);
        return zc_errf(err, ret, "the centre's roster page was not applied (nothing of it was "
                       "stored): %s", e.msg);
    }
    *out = pg;
    return ZC_OK;
}

bool sync_roster_page_more(const sync_roster_page *pg, const char **next)
{
    *next = pg->next;
    return pg->more;
}

/* ---- applying ---- */

/* Sets the centre's ID-number hash, last four and gender on elder id.  A
 * hash that another elder holds moves to this one: the centre's roster is
 * the truth (the other elder's own row, if on a later page, sets its own). */
static int set_identity(sync_db *d, const pulled_elder *p, zc_err *err)
{
    sqlite3_stmt *s;
    int ret;
    if (p->id_hash[0]) {
        if ((ret = sync_db_prep(d, R_ID_HASH_FREE, "UPDATE elder SET id_hash = NULL, id_last4 = NULL "
                                "WHERE id_hash = ?1 AND id <> ?2", &s, err)))
            return ret;
        sqlite3_bind_text(s, 1, p->id_hash, -1, SQLITE_STATIC);
        sqlite3_bind_text(s, 2, p->e.id, -1, SQLITE_STATIC);
        if ((ret = sync_db_run(d, s, "the roster", err)))
            return ret;
    }
    if ((ret = sync_db_prep(d, R_ID_HASH, "UPDATE elder SET id_hash = ?1, id_last4 = ?2, gender = ?3 "
                            "WHERE id = ?4", &s, err)))
        return ret;
    if (p->id_hash[0])
        sqlite3_bind_text(s, 1, p->id_hash, -1, SQLITE_STATIC);
    if (p->id_last4[0])
        sqlite3_bind_text(s, 2, p->id_last4, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 3, p->gender, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 4, p->e.id, -1, SQLITE_STATIC);
    return sync_db_run(d, s, "the roster", err);
}

/* Replaces the cards of elder p with its decoded ones; a fresh elder has
 * none to delete.  i names the elder in messages. */
static int write_cards(sync_db *d, const sync_roster_page *pg, const pulled_elder *p, int i,
                       bool fresh, long *n, zc_err *err)
{
    sqlite3_stmt *s;
    int ret;
    if (!fresh) {
        if ((ret = sync_db_prep(d, R_CARDS_DELETE, "DELETE FROM card WHERE elder_id = ?", &s, err)))
            return ret;
        sqlite3_bind_text(s, 1, p->e.id, -1, SQLITE_STATIC);
        if ((ret = sync_db_run(d, s, "the cards", err)))
            return ret;
    }
    for (int k = 0; k < p->ncards; k++) {
        zc_err why;
        if ((ret = store_card_put(sync_db_store(d), &pg->cards[p->card0 + k], &why)))
            return zc_errf(err, ret, "elders[%d].cards[%d]: %s", i, k, why.msg);
        (*n)++;
    }
    return ZC_OK;
}

/* Applies elder i of the page.  In a bulk load a new elder is one INSERT
 * and its cards; an elder already held (it changed again during the pull)
 * takes the general path: upsert, the ID hash moved to it, its cards
 * replaced. */
static int put_elder(sync_db *d, const sync_roster_page *pg, int i, bool bulk, long *nc, zc_err *err)
{
    const pulled_elder *p = &pg->el[i];
    store_t *st = sync_db_store(d);
    bool added = false;
    zc_err why;
    int ret;
    if (bulk) {
        ret = store_elder_add(st, &p->e, p->phone, p->id_hash, p->id_last4, p->gender[0], &added, &why);
        if (ret && ret != ZC_ECONFLICT) /* another elder's ID hash: the general path moves it */
            return zc_errf(err, ret, "elders[%d]: %s", i, why.msg);
    }
    if (!added) {
        if ((ret = store_elder_put(st, &p->e, NULL, p->phone, &why)))
            return zc_errf(err, ret, "elders[%d]: %s", i, why.msg);
        if ((ret = set_identity(d, p, err)))
            return ret;
    }
    return p->has_cards ? write_cards(d, pg, p, i, added, nc, err) : ZC_OK;
}

int sync_apply_roster(sync_db *d, const sync_roster_page *pg, bool bulk, long *elders, long *cards,
                      zc_err *err)
{
    long nc = 0;
    zc_err e = {""};
    int ret = sync_db_begin(d, "the roster page", &e);
    for (int i = 0; ret == ZC_OK && i < pg->n; i++)
        ret = put_elder(d, pg, i, bulk, &nc, &e);
    if (ret == ZC_OK)
        ret = sync_meta_put(d, "roster_cursor", pg->next, &e);
    if (ret == ZC_OK)
        ret = sync_db_commit(d, "the roster page", &e);
    if (ret) {
        sync_db_rollback(d);
        return zc_errf(err, ret, "the centre's roster page was not applied (nothing of it was "
                       "stored): %s", e.msg);
    }
    *elders += pg->n;
    *cards += nc;
    return ZC_OK;
}

/* ---- bulk load of a first pull ---- */

int sync_roster_fk(sync_db *d, bool on, zc_err *err)
{
    int rc = sqlite3_exec(sync_db_handle(d), on ? "PRAGMA foreign_keys = ON" : "PRAGMA foreign_keys = OFF",
                          NULL, NULL, NULL);
    return rc == SQLITE_OK ? ZC_OK : sync_db_fail(d, rc, "the roster load", err);
}

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
    int ret = query_true(d, R_BULK_ANY, "SELECT EXISTS (SELECT 1 FROM roster_bulk_index)", bulk, err);
    if (ret || *bulk || (cursor[0] && strcmp(cursor, "0") != 0))
        return ret;
    if ((ret = sync_db_begin(d, "the roster load", err)))
        return ret;
    if ((ret = query_true(d, R_BULK_EMPTY, "SELECT EXISTS (SELECT 1 FROM elder) OR EXISTS (SELECT 1 "
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
    if ((ret = sync_db_prep(d, R_BULK_DONE, "DELETE FROM roster_bulk_index WHERE name = ?", &s, err)))
        goto out;
    sqlite3_bind_text(s, 1, name, -1, SQLITE_STATIC);
    if ((ret = sync_db_run(d, s, "rebuilding the roster indexes", err)) == ZC_OK)
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
        if ((ret = sync_db_prep(d, R_BULK_NEXT, "SELECT name, sql FROM roster_bulk_index ORDER BY "
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
        long ms = sync_ms_since(&t0);
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

