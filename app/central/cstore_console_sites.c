/* cstore_console_sites.c - canteens and terminals as the district console
 * lists and changes them (cstore_console.h).  Adding goes through the same
 * functions as the command line, inside a transaction with the audit row.
 * Revoking replaces the token hash by a random one, so the sync API's
 * check (SHA-256 of the presented token against the stored hash) fails for
 * every token without a change to that check. */
#include <stdio.h>
#include <string.h>

#include "cstore_console.h"
#include "cstore_int.h"

static int prep(central_store *st, const char *sql, sqlite3_stmt **s, zc_err *err)
{
    int rc = sqlite3_prepare_v2(st->db, sql, -1, s, NULL);
    return rc == SQLITE_OK ? ZC_OK : cs_dbfail(st, rc, "the canteens and terminals", err);
}

static int finish(central_store *st, int ret, const char *what, zc_err *err)
{
    if (ret == ZC_OK)
        ret = cs_exec(st, "COMMIT", what, err);
    if (ret)
        sqlite3_exec(st->db, "ROLLBACK", NULL, NULL, NULL);
    return ret;
}

int central_store_canteen_list(central_store *st, int (*fn)(void *ctx, const central_canteen_row *r),
                               void *ctx, zc_err *err)
{
    sqlite3_stmt *s = NULL;
    int rc = SQLITE_DONE;
    int ret = prep(st, "SELECT c.id, c.name, c.city, c.district, c.town, (SELECT count(*) FROM "
                       "terminal t WHERE t.canteen_id = c.id AND t.revoked_utc IS NULL) FROM canteen c "
                       "ORDER BY c.id", &s, err);
    while (ret == ZC_OK && (rc = sqlite3_step(s)) == SQLITE_ROW) {
        central_canteen_row r = {0};
        cs_col_text(s, 0, r.c.id, sizeof r.c.id);
        cs_col_text(s, 1, r.c.name, sizeof r.c.name);
        cs_col_text(s, 2, r.c.city, sizeof r.c.city);
        cs_col_text(s, 3, r.c.district, sizeof r.c.district);
        cs_col_text(s, 4, r.c.town, sizeof r.c.town);
        r.terminals = sqlite3_column_int(s, 5);
        ret = fn(ctx, &r);
    }
    if (ret == ZC_OK && rc != SQLITE_DONE)
        ret = cs_dbfail(st, rc, "listing the canteens", err);
    sqlite3_finalize(s);
    return ret;
}

int central_store_canteen_add_as(central_store *st, const char *actor, const zc_canteen *c,
                                 int64_t now, zc_err *err)
{
    char after[ZC_NAME_MAX + 3 * ZC_CODE_MAX + 24];
    snprintf(after, sizeof after, "name=%s region=%s/%s/%s", c->name, c->city, c->district, c->town);
    int ret = cs_exec(st, "BEGIN IMMEDIATE", "adding the canteen", err);
    if (ret)
        return ret;
    if ((ret = central_store_canteen_add(st, c, err)) == ZC_OK)
        ret = cs_audit(st, actor, "canteen.add", c->id, "", after, now, err);
    return finish(st, ret, "adding the canteen", err);
}

int central_store_terminal_add_as(central_store *st, const char *actor, const central_terminal *t,
                                  int64_t now, zc_err *err)
{
    char after[ZC_ID_MAX + 48];
    snprintf(after, sizeof after, "canteen=%s card_format=%s", t->canteen_id, t->card_format);
    int ret = cs_exec(st, "BEGIN IMMEDIATE", "adding the terminal", err);
    if (ret)
        return ret;
    if ((ret = central_store_terminal_add(st, t, err)) == ZC_OK)
        ret = cs_audit(st, actor, "terminal.add", t->id, "", after, now, err);
    return finish(st, ret, "adding the terminal", err);
}

int central_store_terminal_revoke(central_store *st, const char *actor, const char *id, int64_t now,
                                  zc_err *err)
{
    char random[CENTRAL_ADMIN_TOKEN_HEX], hash[ZC_SHA256_HEX], before[ZC_ID_MAX + 16];
    central_terminal t;
    sqlite3_stmt *s = NULL;
    zc_random_hex(32, random);
    zc_sha256_hex(random, strlen(random), hash); /* the hash of a token nobody keeps */
    int ret = cs_exec(st, "BEGIN IMMEDIATE", "revoking the terminal", err);
    if (ret)
        return ret;
    if ((ret = central_store_terminal_get(st, id, &t, err)) == ZC_ENOTFOUND)
        ret = zc_errf(err, ZC_ENOTFOUND, "there is no terminal %s", id);
    if (ret)
        goto out;
    if ((ret = prep(st, "UPDATE terminal SET token_hash = ?, revoked_utc = ? WHERE id = ? AND "
                        "revoked_utc IS NULL", &s, err)))
        goto out;
    sqlite3_bind_text(s, 1, hash, -1, SQLITE_STATIC);
    sqlite3_bind_int64(s, 2, now);
    sqlite3_bind_text(s, 3, id, -1, SQLITE_STATIC);
    int rc = sqlite3_step(s);
    if (rc != SQLITE_DONE) {
        ret = cs_dbfail(st, rc, "revoking the terminal", err);
        goto out;
    }
    snprintf(before, sizeof before, "canteen=%s", t.canteen_id);
    if (sqlite3_changes(st->db) == 1)
        ret = cs_audit(st, actor, "terminal.revoke", id, before, "revoked", now, err);
out:
    sqlite3_finalize(s);
    return finish(st, ret, "revoking the terminal", err);
}

int central_store_terminal_health(central_store *st,
                                  int (*fn)(void *ctx, const central_terminal_health *h), void *ctx,
                                  zc_err *err)
{
    sqlite3_stmt *s = NULL;
    int rc = SQLITE_DONE;
    /* per terminal: one seek into each table's (terminal_id, ...) key */
    int ret = prep(st,
                   "SELECT t.id, t.canteen_id, t.card_format, t.created_utc, coalesce(t.last_seen_utc, 0), "
                   "coalesce(t.revoked_utc, 0), "
                   "(SELECT count(*) FROM sale WHERE terminal_id = t.id), "
                   "(SELECT coalesce(max(seq), 0) FROM sale WHERE terminal_id = t.id), "
                   "(SELECT count(*) FROM chain_break WHERE terminal_id = t.id), "
                   "(SELECT count(*) FROM conflict WHERE terminal_id = t.id), "
                   "(SELECT count(*) FROM rejected WHERE terminal_id = t.id), "
                   "(SELECT received_utc - created_utc FROM sale WHERE terminal_id = t.id "
                   " ORDER BY seq DESC LIMIT 1), "
                   "(SELECT max(date) FROM closing WHERE terminal_id = t.id) "
                   "FROM terminal t ORDER BY t.canteen_id, t.id", &s, err);
    while (ret == ZC_OK && (rc = sqlite3_step(s)) == SQLITE_ROW) {
        central_terminal_health h = {0};
        cs_col_text(s, 0, h.id, sizeof h.id);
        cs_col_text(s, 1, h.canteen_id, sizeof h.canteen_id);
        cs_col_text(s, 2, h.card_format, sizeof h.card_format);
        h.created = sqlite3_column_int64(s, 3);
        h.last_seen = sqlite3_column_int64(s, 4);
        h.revoked = sqlite3_column_int64(s, 5);
        h.sales = sqlite3_column_int64(s, 6);
        h.max_seq = sqlite3_column_int64(s, 7);
        h.missing = h.max_seq - h.sales; /* (terminal_id, seq) is unique */
        h.chain_breaks = sqlite3_column_int64(s, 8);
        h.conflicts = sqlite3_column_int64(s, 9);
        h.rejected = sqlite3_column_int64(s, 10);
        h.last_sale_lag = sqlite3_column_int64(s, 11);
        cs_col_text(s, 12, h.last_closing, sizeof h.last_closing);
        ret = fn(ctx, &h);
    }
    if (ret == ZC_OK && rc != SQLITE_DONE)
        ret = cs_dbfail(st, rc, "the terminals' health", err);
    sqlite3_finalize(s);
    return ret;
}
