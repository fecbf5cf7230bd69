/* roster_apply.c - roster pages from the centre written into the terminal's
 * database (pull.h), and the bulk load of a first pull into an empty
 * terminal.
 *
 * A page is applied in ONE write transaction together with its cursor
 * (meta roster_cursor).  Elders are validated by the store's own checks; the
 * ID-number hash and last four come from the centre as they are (the
 * terminal never sees an ID number from the centre).  An elder's cards
 * replace its cards, as a CSV import does, so a card that became lost or
 * blocked at the centre is refused here after the next pull.
 *
 * Bulk load: into an empty roster a million random inserts into five
 * secondary indexes cost far more than the rows themselves (each page's
 * commit rewrites thousands of index pages).  So the first pull drops those
 * indexes (their CREATE statements kept in roster_bulk_index, in the same
 * transaction), inserts each new elder with one statement (and its cards
 * without the foreign-key look-up: the elder was written just before them)
 * and builds the indexes again after the last page, each in its own
 * transaction.  A pull stopped half-way carries on in bulk at the next
 * round.  Meanwhile look-ups still work, by scanning (the terminal has no
 * roster yet). */
#include "pull.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "outbox.h"
#include "store_int.h"

/* Sets the centre's ID-number hash, last four and gender on the elder.  A
 * hash that another elder holds moves to this one: the centre's roster is
 * the truth (the other elder's own row, if on a later page, sets its own). */
static int set_identity(store_t *st, const store_pulled_elder *p, zc_err *err)
{
    sqlite3_stmt *s;
    int ret;
    if (p->id_hash[0]) {
        if ((ret = store_prep(st, Q_RA_ID_HASH_FREE, "UPDATE elder SET id_hash = NULL, id_last4 = NULL "
                              "WHERE id_hash = ?1 AND id <> ?2", &s, err)))
            return ret;
        sqlite3_bind_text(s, 1, p->id_hash, -1, SQLITE_STATIC);
        sqlite3_bind_text(s, 2, p->e.id, -1, SQLITE_STATIC);
        if ((ret = store_sync_run(st, s, "the roster", err)))
            return ret;
    }
    if ((ret = store_prep(st, Q_RA_ID_HASH, "UPDATE elder SET id_hash = ?1, id_last4 = ?2, gender = ?3 "
                          "WHERE id = ?4", &s, err)))
        return ret;
    if (p->id_hash[0])
        sqlite3_bind_text(s, 1, p->id_hash, -1, SQLITE_STATIC);
    if (p->id_last4[0])
        sqlite3_bind_text(s, 2, p->id_last4, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 3, p->gender, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 4, p->e.id, -1, SQLITE_STATIC);
    return store_sync_run(st, s, "the roster", err);
}

/* Replaces the cards of elder p with the page's; a fresh elder has none to
 * delete.  i names the elder in messages. */
static int write_cards(store_t *st, const store_roster_page *pg, const store_pulled_elder *p, int i,
                       bool fresh, long *n, zc_err *err)
{
    sqlite3_stmt *s;
    int ret;
    if (!fresh) {
        if ((ret = store_prep(st, Q_RA_CARDS_DELETE, "DELETE FROM card WHERE elder_id = ?", &s, err)))
            return ret;
        sqlite3_bind_text(s, 1, p->e.id, -1, SQLITE_STATIC);
        if ((ret = store_sync_run(st, s, "the cards", err)))
            return ret;
    }
    for (int k = 0; k < p->ncards; k++) {
        zc_err why;
        if ((ret = store_card_put(st, &pg->cards[p->card0 + k], &why)))
            return zc_errf(err, ret, "elders[%d].cards[%d]: %s", i, k, why.msg);
        (*n)++;
    }
    return ZC_OK;
}

/* Applies elder i of the page.  In a bulk load a new elder is one INSERT
 * and its cards; an elder already held (it changed again during the pull)
 * takes the general path: upsert, the ID hash moved to it, its cards
 * replaced. */
static int put_elder(store_t *st, const store_roster_page *pg, int i, bool bulk, long *nc, zc_err *err)
{
    const store_pulled_elder *p = &pg->el[i];
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
        if ((ret = set_identity(st, p, err)))
            return ret;
    }
    return p->has_cards ? write_cards(st, pg, p, i, added, nc, err) : ZC_OK;
}

int store_roster_page_apply(store_t *st, const store_roster_page *pg, bool bulk, long *elders,
                            long *cards, zc_err *err)
{
    long nc = 0;
    zc_err e = {""};
    int ret = store_sync_exec(st, "BEGIN IMMEDIATE", "the roster page", &e);
    for (int i = 0; ret == ZC_OK && i < pg->n; i++)
        ret = put_elder(st, pg, i, bulk, &nc, &e);
    if (ret == ZC_OK)
        ret = store_meta_put(st, "roster_cursor", pg->next, &e);
    if (ret == ZC_OK)
        ret = store_sync_exec(st, "COMMIT", "the roster page", &e);
    if (ret) {
        store_rollback(st);
        return zc_errf(err, ret, "the centre's roster page was not applied (nothing of it was "
                       "stored): %s", e.msg);
    }
    *elders += pg->n;
    *cards += nc;
    return ZC_OK;
}

/* ---- bulk load of a first pull ---- */

int store_roster_fk(store_t *st, bool on, zc_err *err)
{
    return store_sync_exec(st, on ? "PRAGMA foreign_keys = ON" : "PRAGMA foreign_keys = OFF",
                           "the roster load", err);
}

/* Whether the single-value query of slot gives a non-zero number. */
static int query_true(store_t *st, int slot, const char *sql, bool *yes, zc_err *err)
{
    sqlite3_stmt *s;
    int ret = store_prep(st, slot, sql, &s, err);
    if (ret)
        return ret;
    int rc = sqlite3_step(s);
    *yes = rc == SQLITE_ROW && sqlite3_column_int(s, 0) != 0;
    store_done(s);
    return rc == SQLITE_ROW ? ZC_OK : store_sync_fail(st, rc, "reading the roster", err);
}

int store_roster_bulk_begin(store_t *st, const char *cursor, bool *bulk, zc_err *err)
{
    bool held = false;
    char *drop = NULL;
    int ret = query_true(st, Q_RA_BULK_ANY, "SELECT EXISTS (SELECT 1 FROM roster_bulk_index)", bulk, err);
    if (ret || *bulk || (cursor[0] && strcmp(cursor, "0") != 0))
        return ret;
    if ((ret = store_pull_begin(st, "the roster load", err)))
        return ret;
    if ((ret = query_true(st, Q_RA_BULK_EMPTY, "SELECT EXISTS (SELECT 1 FROM elder) OR EXISTS (SELECT 1 "
                          "FROM card)", &held, err)) || held)
        goto out;
    int rc = sqlite3_exec(st->db, "INSERT INTO roster_bulk_index (name, sql) SELECT name, sql FROM "
                          "sqlite_master WHERE type = 'index' AND tbl_name IN ('elder', 'card') AND "
                          "sql IS NOT NULL AND name <> 'card_elder'", NULL, NULL, NULL);
    sqlite3_stmt *s = NULL;
    if (rc == SQLITE_OK)
        rc = sqlite3_prepare_v2(st->db, "SELECT group_concat('DROP INDEX \"' || replace(name, '\"', "
                                "'\"\"') || '\"', ';') FROM roster_bulk_index", -1, &s, NULL);
    if (rc == SQLITE_OK && (rc = sqlite3_step(s)) == SQLITE_ROW) {
        const char *t = (const char *)sqlite3_column_text(s, 0);
        rc = SQLITE_OK;
        if (t && !(drop = strdup(t)))
            rc = SQLITE_NOMEM;
    }
    sqlite3_finalize(s);
    if (rc == SQLITE_OK && drop)
        rc = sqlite3_exec(st->db, drop, NULL, NULL, NULL);
    if (rc != SQLITE_OK) {
        ret = store_sync_fail(st, rc, "the roster load", err);
        goto out;
    }
    if ((ret = store_pull_commit(st, "the roster load", err)) == ZC_OK)
        *bulk = drop != NULL;
out:
    if (ret || held)
        store_rollback(st);
    free(drop);
    return ret;
}

/* Builds one waiting index: its name and CREATE statement in name/sql. */
static int build_index(store_t *st, const char *name, const char *sql, zc_err *err)
{
    sqlite3_stmt *s;
    int ret = store_pull_begin(st, "rebuilding the roster indexes", err);
    if (ret)
        return ret;
    int rc = sqlite3_exec(st->db, sql, NULL, NULL, NULL);
    if ((rc & 0xff) == SQLITE_CONSTRAINT) {
        /* pages from different moments of the centre's roster left an ID
         * hash on two elders: drop it from both and pull everything again,
         * which puts each hash back where the centre has it */
        rc = sqlite3_exec(st->db, "UPDATE elder SET id_hash = NULL, id_last4 = NULL WHERE id_hash IN "
                          "(SELECT id_hash FROM elder WHERE id_hash IS NOT NULL GROUP BY id_hash "
                          "HAVING count(*) > 1)", NULL, NULL, NULL);
        if (rc == SQLITE_OK && (ret = store_meta_put(st, "roster_cursor", "", err)))
            goto out;
        if (rc == SQLITE_OK)
            rc = sqlite3_exec(st->db, sql, NULL, NULL, NULL);
    }
    if (rc != SQLITE_OK) {
        ret = store_sync_fail(st, rc, "rebuilding the roster indexes", err);
        goto out;
    }
    if ((ret = store_prep(st, Q_RA_BULK_DONE, "DELETE FROM roster_bulk_index WHERE name = ?", &s, err)))
        goto out;
    sqlite3_bind_text(s, 1, name, -1, SQLITE_STATIC);
    if ((ret = store_sync_run(st, s, "rebuilding the roster indexes", err)) == ZC_OK)
        ret = store_pull_commit(st, "rebuilding the roster indexes", err);
out:
    if (ret)
        store_rollback(st);
    return ret;
}

/* Milliseconds since t0 (CLOCK_MONOTONIC). */
static long ms_since(const struct timespec *t0)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (long)((t.tv_sec - t0->tv_sec) * 1000 + (t.tv_nsec - t0->tv_nsec) / 1000000);
}

int store_roster_bulk_end(store_t *st, long *longest_ms, zc_err *err)
{
    char *name = NULL, *sql = NULL;
    int ret = ZC_OK;
    for (;;) {
        sqlite3_stmt *s;
        struct timespec t0;
        if ((ret = store_prep(st, Q_RA_BULK_NEXT, "SELECT name, sql FROM roster_bulk_index ORDER BY "
                              "name LIMIT 1", &s, err)))
            break;
        int rc = sqlite3_step(s);
        if (rc == SQLITE_ROW) {
            name = strdup((const char *)sqlite3_column_text(s, 0));
            sql = strdup((const char *)sqlite3_column_text(s, 1));
        }
        store_done(s);
        if (rc == SQLITE_DONE)
            break;
        if (rc != SQLITE_ROW) {
            ret = store_sync_fail(st, rc, "rebuilding the roster indexes", err);
            break;
        }
        if (!name || !sql) {
            ret = zc_errf(err, ZC_ENOMEM, "out of memory rebuilding the roster indexes");
            break;
        }
        clock_gettime(CLOCK_MONOTONIC, &t0);
        if ((ret = build_index(st, name, sql, err)))
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
