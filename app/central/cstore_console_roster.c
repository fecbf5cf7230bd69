/* cstore_console_roster.c - the roster as the district console changes it
 * (cstore_console.h): finding elders, a card's status (挂失 / 解除挂失)
 * and replacement (补卡).  Each change goes through cs_card_change, the
 * same path as `zhucan-central card set`, so the elder gets a new roster
 * change number and every terminal pulls it with its next roster page;
 * the audit row is written in the same transaction. */
#include <stdio.h>
#include <string.h>

#include "cstore_console.h"
#include "cstore_int.h"

static int prep(central_store *st, const char *sql, sqlite3_stmt **s, zc_err *err)
{
    int rc = sqlite3_prepare_v2(st->db, sql, -1, s, NULL);
    return rc == SQLITE_OK ? ZC_OK : cs_dbfail(st, rc, "the roster", err);
}

/* A card from a row of (uid, elder_id, status, valid_from, valid_to, status_utc). */
static void card_of(sqlite3_stmt *s, central_card *c)
{
    memset(c, 0, sizeof *c);
    cs_col_text(s, 0, c->uid, sizeof c->uid);
    cs_col_text(s, 1, c->elder_id, sizeof c->elder_id);
    cs_col_text(s, 2, c->status, sizeof c->status);
    c->valid_from = cs_col_date(s, 3);
    c->valid_to = cs_col_date(s, 4);
    c->status_utc = sqlite3_column_int64(s, 5);
}

static int cards_of(central_store *st, central_found_elder *e, zc_err *err)
{
    sqlite3_stmt *s = NULL;
    int rc = SQLITE_DONE;
    int ret = prep(st, "SELECT uid, elder_id, status, valid_from, valid_to, status_utc FROM card "
                       "WHERE elder_id = ? ORDER BY uid", &s, err);
    if (ret == ZC_OK)
        sqlite3_bind_text(s, 1, e->id, -1, SQLITE_STATIC);
    while (ret == ZC_OK && (rc = sqlite3_step(s)) == SQLITE_ROW && e->ncards < ZC_ROSTER_MAX_CARDS)
        card_of(s, &e->cards[e->ncards++]);
    if (ret == ZC_OK && rc != SQLITE_ROW && rc != SQLITE_DONE)
        ret = cs_dbfail(st, rc, "reading the cards", err);
    sqlite3_finalize(s);
    return ret;
}

int central_store_elder_find(central_store *st, const char *q,
                             int (*fn)(void *ctx, const central_found_elder *e), void *ctx,
                             zc_err *err)
{
    sqlite3_stmt *s = NULL;
    int rc = SQLITE_DONE;
    int ret = prep(st, "SELECT id, name, birth, coalesce(id_last4, ''), coalesce(phone, ''), "
                       "categories, status FROM elder WHERE instr(name, ?1) > 0 OR "
                       "(length(?1) = 4 AND id_last4 = upper(?1)) OR id = ?1 OR "
                       "id IN (SELECT elder_id FROM card WHERE uid = upper(?1)) "
                       "ORDER BY name, id LIMIT ?2", &s, err);
    if (ret == ZC_OK) {
        sqlite3_bind_text(s, 1, q, -1, SQLITE_STATIC);
        sqlite3_bind_int(s, 2, CENTRAL_FIND_MAX);
    }
    while (ret == ZC_OK && (rc = sqlite3_step(s)) == SQLITE_ROW) {
        central_found_elder e = {0};
        cs_col_text(s, 0, e.id, sizeof e.id);
        cs_col_text(s, 1, e.name, sizeof e.name);
        cs_col_text(s, 2, e.birth, sizeof e.birth);
        cs_col_text(s, 3, e.id_last4, sizeof e.id_last4);
        cs_col_text(s, 4, e.phone, sizeof e.phone);
        cs_col_text(s, 5, e.categories, sizeof e.categories);
        cs_col_text(s, 6, e.status, sizeof e.status);
        if ((ret = cards_of(st, &e, err)) == ZC_OK)
            ret = fn(ctx, &e);
    }
    if (ret == ZC_OK && rc != SQLITE_ROW && rc != SQLITE_DONE)
        ret = cs_dbfail(st, rc, "finding elders", err);
    sqlite3_finalize(s);
    return ret;
}

static bool status_ok(const char *status)
{
    return !strcmp(status, "active") || !strcmp(status, "lost") || !strcmp(status, "blocked");
}

/* The card uid or ZC_ENOTFOUND with a message. */
static int card_read(central_store *st, const char *uid, central_card *c, zc_err *err)
{
    int ret = central_store_card_get(st, uid, c, err);
    if (ret == ZC_ENOTFOUND)
        ret = zc_errf(err, ZC_ENOTFOUND, "there is no card %s on the roster", uid);
    return ret;
}

/* Ends the write transaction: COMMIT when ret is ZC_OK, else ROLLBACK. */
static int finish(central_store *st, int ret, const char *what, zc_err *err)
{
    if (ret == ZC_OK)
        ret = cs_exec(st, "COMMIT", what, err);
    if (ret)
        sqlite3_exec(st->db, "ROLLBACK", NULL, NULL, NULL);
    return ret;
}

int central_store_card_status(central_store *st, const char *actor, const char *uid,
                              const char *status, int64_t now, zc_err *err)
{
    char before[64], after[64];
    central_card c;
    if (!status_ok(status))
        return zc_errf(err, ZC_EINVAL, "a card's status is active, lost or blocked, not \"%.20s\"",
                       status);
    int ret = cs_exec(st, "BEGIN IMMEDIATE", "the card", err);
    if (ret)
        return ret;
    if ((ret = card_read(st, uid, &c, err)) == ZC_OK && strcmp(c.status, status) != 0) {
        snprintf(before, sizeof before, "status=%s elder=%.20s", c.status, c.elder_id);
        snprintf(after, sizeof after, "status=%s", status);
        if ((ret = cs_card_change(st, &c, status, now, err)) == ZC_OK)
            ret = cs_audit(st, actor, !strcmp(status, "lost") ? "card.lost" : "card.status", uid,
                           before, after, now, err);
    }
    return finish(st, ret, "the card", err);
}

int central_store_card_replace(central_store *st, const char *actor, const char *old_uid,
                               const char *new_uid, int64_t now, zc_err *err)
{
    char before[96], after[96];
    central_card old, held;
    sqlite3_stmt *s = NULL;
    int ret = cs_exec(st, "BEGIN IMMEDIATE", "the card", err);
    if (ret)
        return ret;
    if ((ret = card_read(st, old_uid, &old, err)))
        goto out;
    if ((ret = central_store_card_get(st, new_uid, &held, err)) == ZC_OK) {
        ret = zc_errf(err, ZC_ECONFLICT, "the card %s is already on the roster (elder %s)", new_uid,
                      held.elder_id);
        goto out;
    } else if (ret != ZC_ENOTFOUND) {
        goto out;
    }
    if ((ret = prep(st, "INSERT INTO card (uid, elder_id, status, valid_from, valid_to, status_utc, "
                        "updated_utc) VALUES (?, ?, 'active', NULL, ?, ?, ?)", &s, err)))
        goto out;
    sqlite3_bind_text(s, 1, new_uid, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 2, old.elder_id, -1, SQLITE_STATIC);
    cs_bind_date(s, 3, old.valid_to);
    sqlite3_bind_int64(s, 4, now);
    sqlite3_bind_int64(s, 5, now);
    int rc = sqlite3_step(s);
    if (rc != SQLITE_DONE) {
        ret = cs_dbfail(st, rc, "adding the new card", err);
        goto out;
    }
    snprintf(before, sizeof before, "card %s status=%s elder=%.20s", old_uid, old.status,
             old.elder_id);
    /* the old card lost (or as blocked as it was); either way the elder is sent again */
    const char *old_after = !strcmp(old.status, "active") ? "lost" : old.status;
    snprintf(after, sizeof after, "card %s status=%s; card %s status=active", old_uid, old_after,
             new_uid);
    if ((ret = cs_card_change(st, &old, old_after, now, err)) == ZC_OK)
        ret = cs_audit(st, actor, "card.replace", old.elder_id, before, after, now, err);
out:
    sqlite3_finalize(s);
    return finish(st, ret, "the card", err);
}
