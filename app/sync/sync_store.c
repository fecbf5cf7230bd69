/* sync_store.c - the outbox side of sync: sales and voids as protocol JSON,
 * the centre's acknowledgements, and the sync state kept in meta.
 *
 * A sale is sent exactly as it was committed: the JSON is built from the
 * stored rows (sale, sale_line by line_no, sale_rule by rule_id bytewise,
 * sale_subsidy by part_no) - never from a quote - so the centre's rebuilt
 * canonical text ("zhucan-sale-v1", app/store/sale.c) hashes to the stored
 * hash.  A row is marked sent only when the centre answered stored or
 * duplicate for it, in the same transaction that records every other answer
 * of the batch. */
#include "sync_int.h"

#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>

/* One slot per statement. */
enum {
    S_META_GET,
    S_META_SET,
    S_PEND_SALES,
    S_PEND_VOIDS,
    S_SALE,
    S_LINES,
    S_RULES,
    S_PARTS,
    S_MARK_SENT,
    S_MARK_HELD,
    S_MARK_RETRY,
    S_HOLD_ORPHAN_VOIDS,
    S_UNSENT,
    S_SALE_LOCAL,
    S_VOID,
    S_END
};
_Static_assert(S_END <= SYNC_SLOT_APPLY, "sync_apply.c's slots start at SYNC_SLOT_APPLY");

struct sync_db {
    store_t *st;                      /* borrowed */
    sqlite3 *db;                      /* store_db(st) */
    sqlite3_stmt *q[SYNC_STMT_MAX];   /* owned; prepared on first use */
};

int sync_db_open(store_t *st, sync_db **out, zc_err *err)
{
    *out = NULL;
    if (!st || !store_db(st))
        return zc_errf(err, ZC_EINVAL, "internal error: sync needs an open database");
    sync_db *d = calloc(1, sizeof *d);
    if (!d)
        return zc_errf(err, ZC_ENOMEM, "out of memory starting the sync");
    d->st = st;
    d->db = store_db(st);
    *out = d;
    return ZC_OK;
}

void sync_db_close(sync_db *d)
{
    if (!d)
        return;
    for (int i = 0; i < SYNC_STMT_MAX; i++)
        sqlite3_finalize(d->q[i]);
    free(d);
}

sqlite3 *sync_db_handle(sync_db *d)
{
    return d->db;
}

store_t *sync_db_store(sync_db *d)
{
    return d->st;
}

int sync_db_prep(sync_db *d, int slot, const char *sql, sqlite3_stmt **out, zc_err *err)
{
    *out = NULL;
    if (slot < 0 || slot >= SYNC_STMT_MAX)
        return zc_errf(err, ZC_EINVAL, "internal error: sync statement slot %d", slot);
    if (!d->q[slot]) {
        if (!sql)
            return zc_errf(err, ZC_EINVAL, "internal error: sync statement %d has no text", slot);
        int rc = sqlite3_prepare_v3(d->db, sql, -1, SQLITE_PREPARE_PERSISTENT, &d->q[slot], NULL);
        if (rc != SQLITE_OK) {
            d->q[slot] = NULL;
            return sync_db_fail(d, rc, "preparing a sync query", err);
        }
    }
    sqlite3_reset(d->q[slot]);
    sqlite3_clear_bindings(d->q[slot]);
    *out = d->q[slot];
    return ZC_OK;
}

int sync_db_fail(sync_db *d, int rc, const char *what, zc_err *err)
{
    const char *why = sqlite3_errmsg(d->db);
    switch (rc & 0xff) {
    case SQLITE_FULL:
        return zc_errf(err, ZC_EFULL, "disk full: %s was not saved; free space on the terminal", what);
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
        return zc_errf(err, ZC_ELOCKED, "the database was busy (%s); sync will try again", what);
    case SQLITE_CONSTRAINT:
        return zc_errf(err, ZC_ECONFLICT, "the database refused %s: %s", what, why);
    default:
        return zc_errf(err, ZC_EDB, "database error with %s: %s", what, why);
    }
}

static int exec(sync_db *d, const char *sql, const char *what, zc_err *err)
{
    int rc = sqlite3_exec(d->db, sql, NULL, NULL, NULL);
    return rc == SQLITE_OK ? ZC_OK : sync_db_fail(d, rc, what, err);
}

int sync_db_begin(sync_db *d, const char *what, zc_err *err)
{
    return exec(d, "BEGIN IMMEDIATE", what, err);
}

int sync_db_commit(sync_db *d, const char *what, zc_err *err)
{
    return exec(d, "COMMIT", what, err);
}

void sync_db_rollback(sync_db *d)
{
    if (!sqlite3_get_autocommit(d->db))
        (void)sqlite3_exec(d->db, "ROLLBACK", NULL, NULL, NULL);
}

/* ---- meta ---- */

int sync_meta_put(sync_db *d, const char *key, const char *value, zc_err *err)
{
    sqlite3_stmt *s;
    int ret = sync_db_prep(d, S_META_GET, "SELECT value FROM meta WHERE key = ?", &s, err);
    if (ret)
        return ret;
    sqlite3_bind_text(s, 1, key, -1, SQLITE_STATIC);
    int rc = sqlite3_step(s);
    bool same = rc == SQLITE_ROW && sqlite3_column_text(s, 0) &&
                strcmp((const char *)sqlite3_column_text(s, 0), value) == 0;
    sqlite3_reset(s);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        return sync_db_fail(d, rc, "reading the sync state", err);
    if (same)
        return ZC_OK;
    if ((ret = sync_db_prep(d, S_META_SET, "INSERT INTO meta (key, value) VALUES (?1, ?2) ON "
                            "CONFLICT (key) DO UPDATE SET value = excluded.value", &s, err)))
        return ret;
    sqlite3_bind_text(s, 1, key, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 2, value, -1, SQLITE_STATIC);
    rc = sqlite3_step(s);
    sqlite3_reset(s);
    return rc == SQLITE_DONE ? ZC_OK : sync_db_fail(d, rc, "saving the sync state", err);
}

/* ---- one sale as JSON ---- */

static const char *col(sqlite3_stmt *s, int i)
{
    const unsigned char *t = sqlite3_column_text(s, i);
    return t ? (const char *)t : "";
}

/* Adds the children of sale id (lines, rules, parts) to o. */
static int add_children(sync_db *d, const char *id, cJSON *o, zc_err *err)
{
    static const struct {
        int slot;
        const char *name, *sql;
    } kids[3] = {
        {S_LINES, "lines", "SELECT line_no, code, name, unit_fen, qty, eligible FROM sale_line "
                           "WHERE sale_id = ? ORDER BY line_no"},
        {S_RULES, "rules", "SELECT rule_id, limit_key, period, local_date, fen FROM sale_rule "
                           "WHERE sale_id = ? ORDER BY rule_id"},
        {S_PARTS, "parts", "SELECT part_no, rule_id, source, fen FROM sale_subsidy "
                           "WHERE sale_id = ? ORDER BY part_no"},
    };
    for (int k = 0; k < 3; k++) {
        sqlite3_stmt *s;
        int ret = sync_db_prep(d, kids[k].slot, kids[k].sql, &s, err), rc;
        if (ret)
            return ret;
        cJSON *arr = cJSON_AddArrayToObject(o, kids[k].name);
        if (!arr)
            return zc_errf(err, ZC_ENOMEM, "out of memory building the sales to send");
        sqlite3_bind_text(s, 1, id, -1, SQLITE_STATIC);
        while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
            cJSON *r = cJSON_CreateObject();
            if (!r || !cJSON_AddItemToArray(arr, r)) {
                cJSON_Delete(r);
                sqlite3_reset(s);
                return zc_errf(err, ZC_ENOMEM, "out of memory building the sales to send");
            }
            if (k == 0) {
                sync_json_add_int(r, "no", sqlite3_column_int64(s, 0));
                cJSON_AddStringToObject(r, "code", col(s, 1));
                cJSON_AddStringToObject(r, "name", col(s, 2));
                sync_json_add_int(r, "unit_fen", sqlite3_column_int64(s, 3));
                sync_json_add_int(r, "qty", sqlite3_column_int64(s, 4));
                cJSON_AddBoolToObject(r, "eligible", sqlite3_column_int(s, 5) != 0);
            } else if (k == 1) {
                cJSON_AddStringToObject(r, "rule", col(s, 0));
                cJSON_AddStringToObject(r, "key", col(s, 1));
                cJSON_AddStringToObject(r, "period", col(s, 2));
                cJSON_AddStringToObject(r, "date", col(s, 3));
                sync_json_add_int(r, "fen", sqlite3_column_int64(s, 4));
            } else {
                sync_json_add_int(r, "no", sqlite3_column_int64(s, 0));
                cJSON_AddStringToObject(r, "rule", col(s, 1));
                cJSON_AddStringToObject(r, "source", col(s, 2));
                sync_json_add_int(r, "fen", sqlite3_column_int64(s, 3));
            }
        }
        sqlite3_reset(s);
        if (rc != SQLITE_DONE)
            return sync_db_fail(d, rc, "reading a sale to send", err);
    }
    return ZC_OK;
}

/* The protocol's SALE object for sale id (caller owns *out).  Fields in
 * the order of the canonical text; absent elder/card/pay_ref are "". */
static int sale_json(sync_db *d, const char *id, cJSON **out, zc_err *err)
{
    static const struct {
        const char *name;
        int col;    /* column of the SELECT below */
        bool num;
    } fields[] = {
        {"id", 0, false},          {"seq", 1, true},          {"terminal", 2, false},
        {"canteen", 3, false},     {"operator", 4, false},    {"elder", 5, false},
        {"card", 6, false},        {"created_utc", 7, true},  {"local_time", 8, false},
        {"period", 9, false},      {"policy", 10, false},     {"policy_version", 11, false},
        {"gross", 12, true},       {"subsidy", 13, true},     {"pay", 14, true},
        {"pay_method", 15, false}, {"pay_ref", 16, false},    {"tendered", 17, true},
    };
    sqlite3_stmt *s;
    cJSON *o = NULL;
    *out = NULL;
    int ret = sync_db_prep(d, S_SALE,
                           "SELECT id, seq, terminal_id, canteen_id, operator_id, elder_id, card_uid, "
                           "created_utc, local_time, period, policy_id, policy_version, gross_fen, "
                           "subsidy_fen, pay_fen, pay_method, pay_ref, tendered_fen, prev_hash, hash "
                           "FROM sale WHERE id = ?", &s, err);
    if (ret)
        return ret;
    sqlite3_bind_text(s, 1, id, -1, SQLITE_STATIC);
    int rc = sqlite3_step(s);
    if (rc != SQLITE_ROW) {
        ret = rc == SQLITE_DONE ? zc_errf(err, ZC_EDB, "the outbox names sale %s, which is not in "
                                          "the sale table; run zhucan verify", id)
                                : sync_db_fail(d, rc, "reading a sale to send", err);
        goto out;
    }
    if (!(o = cJSON_CreateObject())) {
        ret = zc_errf(err, ZC_ENOMEM, "out of memory building the sales to send");
        goto out;
    }
    for (size_t i = 0; i < sizeof fields / sizeof fields[0]; i++) {
        if (fields[i].num)
            sync_json_add_int(o, fields[i].name, sqlite3_column_int64(s, fields[i].col));
        else
            cJSON_AddStringToObject(o, fields[i].name, col(s, fields[i].col));
    }
    /* the row stays current while the children are read with other statements */
    if ((ret = add_children(d, id, o, err)))
        goto out;
    cJSON_AddStringToObject(o, "prev", col(s, 18));
    if (!cJSON_AddStringToObject(o, "hash", col(s, 19)))
        ret = zc_errf(err, ZC_ENOMEM, "out of memory building the sales to send");
out:
    sqlite3_reset(s);
    if (ret) {
        cJSON_Delete(o);
        o = NULL;
    }
    *out = o;
    return ret;
}

/* ---- batches ---- */

void sync_batch_free(sync_batch *b)
{
    if (!b)
        return;
    free(b->items);
    memset(b, 0, sizeof *b);
}

/* Appends the outbox rows the statement yields (outbox id, sale id) to b. */
static int collect(sync_db *d, sqlite3_stmt *s, sync_batch *b, bool is_void, zc_err *err)
{
    int rc;
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
        sync_item *it = &b->items[b->n++];
        it->outbox_id = sqlite3_column_int64(s, 0);
        snprintf(it->sale_id, sizeof it->sale_id, "%s", col(s, 1));
        it->is_void = is_void;
    }
    sqlite3_reset(s);
    return rc == SQLITE_DONE ? ZC_OK : sync_db_fail(d, rc, "reading the outbox", err);
}

/* The protocol's void object for the void of sale id. */
static int void_json(sync_db *d, const char *id, cJSON **out, zc_err *err)
{
    sqlite3_stmt *s;
    *out = NULL;
    int ret = sync_db_prep(d, S_VOID,
                           "SELECT void_utc, void_operator_id, void_reason FROM sale WHERE id = ? "
                           "AND status = 'voided'", &s, err);
    if (ret)
        return ret;
    sqlite3_bind_text(s, 1, id, -1, SQLITE_STATIC);
    int rc = sqlite3_step(s);
    if (rc == SQLITE_ROW) {
        cJSON *o = cJSON_CreateObject();
        if (o && cJSON_AddStringToObject(o, "sale_id", id) &&
            sync_json_add_int(o, "at_utc", sqlite3_column_int64(s, 0)) &&
            cJSON_AddStringToObject(o, "operator", col(s, 1)) &&
            cJSON_AddStringToObject(o, "reason", col(s, 2))) {
            *out = o;
        } else {
            cJSON_Delete(o);
            ret = zc_errf(err, ZC_ENOMEM, "out of memory building the voids to send");
        }
    } else if (rc == SQLITE_DONE) {
        ret = zc_errf(err, ZC_EDB, "the outbox holds a void of sale %s, which is not voided; run "
                      "zhucan verify", id);
    } else {
        ret = sync_db_fail(d, rc, "reading a void to send", err);
    }
    sqlite3_reset(s);
    return ret;
}

int sync_batch_load(sync_db *d, int max_sales, sync_batch *b, cJSON **body, zc_err *err)
{
    sqlite3_stmt *s;
    cJSON *root = NULL, *sales, *voids;
    int ret;
    *body = NULL;
    sync_batch_free(b);
    if (max_sales < 1)
        max_sales = 1;
    b->items = calloc((size_t)max_sales * 2, sizeof *b->items);
    root = cJSON_CreateObject();
    sales = cJSON_AddArrayToObject(root, "sales");
    voids = cJSON_AddArrayToObject(root, "voids");
    if (!b->items || !root || !sales || !voids) {
        ret = zc_errf(err, ZC_ENOMEM, "out of memory building the sales to send");
        goto out;
    }
    /* oldest first: the outbox id follows the commit order (and so seq) */
    if ((ret = sync_db_prep(d, S_PEND_SALES,
                            "SELECT id, sale_id FROM outbox WHERE sent_utc IS NULL AND held IS NULL "
                            "AND kind = 'sale' ORDER BY id LIMIT ?", &s, err)))
        goto out;
    sqlite3_bind_int(s, 1, max_sales);
    if ((ret = collect(d, s, b, false, err)))
        goto out;
    b->nsales = b->n;
    /* a void goes only after the centre holds its sale */
    if ((ret = sync_db_prep(d, S_PEND_VOIDS,
                            "SELECT o.id, o.sale_id FROM outbox o WHERE o.kind = 'void' AND "
                            "o.sent_utc IS NULL AND o.held IS NULL AND EXISTS (SELECT 1 FROM outbox "
                            "k WHERE k.sale_id = o.sale_id AND k.kind = 'sale' AND k.sent_utc IS NOT "
                            "NULL) ORDER BY o.id LIMIT ?", &s, err)))
        goto out;
    sqlite3_bind_int(s, 1, max_sales);
    if ((ret = collect(d, s, b, true, err)))
        goto out;
    b->nvoids = b->n - b->nsales;
    for (int i = 0; i < b->n; i++) {
        cJSON *o;
        if ((ret = b->items[i].is_void ? void_json(d, b->items[i].sale_id, &o, err)
                                       : sale_json(d, b->items[i].sale_id, &o, err)))
            goto out;
        cJSON_AddItemToArray(b->items[i].is_void ? voids : sales, o);
    }
out:
    if (ret) {
        cJSON_Delete(root);
        root = NULL;
        sync_batch_free(b);
    }
    *body = root;
    return ret;
}

/* The answer object in arr whose field key equals id, or NULL. */
static const cJSON *answer_for(const cJSON *arr, const char *key, const char *id)
{
    const cJSON *r;
    cJSON_ArrayForEach(r, arr)
    {
        const cJSON *v = cJSON_GetObjectItemCaseSensitive(r, key);
        if (cJSON_IsString(v) && v->valuestring && strcmp(v->valuestring, id) == 0)
            return r;
    }
    return NULL;
}

/* Runs one UPDATE of the outbox row: slot S_MARK_SENT (a = now), S_MARK_HELD
 * (held = text, last_error = why) or S_MARK_RETRY (last_error = why). */
static int mark(sync_db *d, int slot, int64_t row, int64_t now, const char *held, const char *why,
                zc_err *err)
{
    static const char *const sql[] = {
        [S_MARK_SENT] = "UPDATE outbox SET sent_utc = ?1, attempts = attempts + 1, last_error = NULL "
                        "WHERE id = ?2 AND sent_utc IS NULL",
        [S_MARK_HELD] = "UPDATE outbox SET held = ?3, attempts = attempts + 1, last_error = ?4 "
                        "WHERE id = ?2 AND sent_utc IS NULL",
        [S_MARK_RETRY] = "UPDATE outbox SET attempts = attempts + 1, last_error = ?4 WHERE id = ?2 "
                         "AND sent_utc IS NULL",
    };
    sqlite3_stmt *s;
    int ret = sync_db_prep(d, slot, sql[slot], &s, err);
    if (ret)
        return ret;
    if (slot == S_MARK_SENT)
        sqlite3_bind_int64(s, 1, now);
    sqlite3_bind_int64(s, 2, row);
    if (held)
        sqlite3_bind_text(s, 3, held, -1, SQLITE_STATIC);
    if (why)
        sqlite3_bind_text(s, 4, why, -1, SQLITE_STATIC);
    int rc = sqlite3_step(s);
    sqlite3_reset(s);
    return rc == SQLITE_DONE ? ZC_OK : sync_db_fail(d, rc, "recording the centre's answer", err);
}

/* Records the answer r (may be NULL) for one item. */
static int ack_one(sync_db *d, const sync_item *it, const cJSON *r, int64_t now, sync_report *rep,
                   zc_err *err)
{
    char status[24] = "", reason[200] = "", why[300];
    zc_err ignore;
    if (r && (sync_json_str(r, "status", status, sizeof status, false, "", &ignore) ||
              sync_json_str(r, "reason", reason, sizeof reason, false, "", &ignore)))
        reason[0] = '\0';
    bool ok = strcmp(status, "stored") == 0 || strcmp(status, "duplicate") == 0;
    bool held = it->is_void ? strcmp(status, "unknown_sale") == 0
                            : strcmp(status, "conflict") == 0 || strcmp(status, "rejected") == 0;
    if (ok) {
        if (it->is_void) {
            rep->voids++;
        } else {
            rep->pushed++;
            *(strcmp(status, "stored") == 0 ? &rep->stored : &rep->duplicate) += 1;
        }
        return mark(d, S_MARK_SENT, it->outbox_id, now, NULL, NULL, err);
    }
    if (held) {
        if (!it->is_void) {
            rep->pushed++;
            *(strcmp(status, "conflict") == 0 ? &rep->conflict : &rep->rejected) += 1;
        }
        snprintf(why, sizeof why, "the centre answered %s%s%s; not sent again", status,
                 reason[0] ? ": " : "", reason);
        return mark(d, S_MARK_HELD, it->outbox_id, now, status, why, err);
    }
    if (!r)
        snprintf(why, sizeof why, "the centre's reply did not mention this %s",
                 it->is_void ? "void" : "sale");
    else
        snprintf(why, sizeof why, "the centre answered an unknown status \"%s\"", status);
    return mark(d, S_MARK_RETRY, it->outbox_id, now, NULL, why, err);
}

int sync_batch_ack(sync_db *d, const sync_batch *b, const cJSON *reply, int64_t now,
                   sync_report *rep, zc_err *err)
{
    const cJSON *results = cJSON_GetObjectItemCaseSensitive(reply, "results");
    const cJSON *vresults = cJSON_GetObjectItemCaseSensitive(reply, "void_results");
    sqlite3_stmt *s;
    if (b->nsales > 0 && !cJSON_IsArray(results))
        return zc_errf(err, ZC_EINVAL, "the centre's reply has no \"results\" list; nothing was "
                       "marked sent");
    if (b->nvoids > 0 && !cJSON_IsArray(vresults))
        return zc_errf(err, ZC_EINVAL, "the centre's reply has no \"void_results\" list; nothing "
                       "was marked sent");
    int ret = sync_db_begin(d, "the centre's answer", err);
    if (ret)
        return ret;
    for (int i = 0; i < b->n && ret == ZC_OK; i++) {
        const sync_item *it = &b->items[i];
        ret = ack_one(d, it, answer_for(it->is_void ? vresults : results,
                                        it->is_void ? "sale_id" : "id", it->sale_id), now, rep, err);
    }
    /* a void of a sale the centre will never hold cannot be sent either */
    if (ret == ZC_OK &&
        (ret = sync_db_prep(d, S_HOLD_ORPHAN_VOIDS,
                            "UPDATE outbox SET held = 'unknown_sale', last_error = 'its sale was "
                            "refused by the centre; not sent' WHERE kind = 'void' AND sent_utc IS "
                            "NULL AND held IS NULL AND sale_id IN (SELECT sale_id FROM outbox WHERE "
                            "kind = 'sale' AND held IS NOT NULL)", &s, err)) == ZC_OK) {
        int rc = sqlite3_step(s);
        sqlite3_reset(s);
        if (rc != SQLITE_DONE)
            ret = sync_db_fail(d, rc, "recording the centre's answer", err);
    }
    if (ret == ZC_OK)
        ret = sync_db_commit(d, "the centre's answer", err);
    if (ret)
        sync_db_rollback(d);
    return ret;
}

int sync_batch_failed(sync_db *d, const sync_batch *b, const char *why)
{
    char msg[300];
    snprintf(msg, sizeof msg, "%s", why);
    int ret = sync_db_begin(d, "the failed attempt", NULL);
    for (int i = 0; i < b->n && ret == ZC_OK; i++)
        ret = mark(d, S_MARK_RETRY, b->items[i].outbox_id, 0, NULL, msg, NULL);
    if (ret == ZC_OK)
        ret = sync_db_commit(d, "the failed attempt", NULL);
    if (ret)
        sync_db_rollback(d);
    return ret;
}

int sync_unsent(sync_db *d, long *unsent, long *held)
{
    sqlite3_stmt *s;
    *unsent = *held = 0;
    int ret = sync_db_prep(d, S_UNSENT, "SELECT count(*), count(held) FROM outbox WHERE sent_utc IS "
                           "NULL", &s, NULL);
    if (ret)
        return ret;
    int rc = sqlite3_step(s);
    if (rc == SQLITE_ROW) {
        *unsent = (long)sqlite3_column_int64(s, 0);
        *held = (long)sqlite3_column_int64(s, 1);
    }
    sqlite3_reset(s);
    return rc == SQLITE_ROW ? ZC_OK : sync_db_fail(d, rc, "counting unsent sales", NULL);
}

int sync_sale_is_local(sync_db *d, const char *sale_id, bool *yes)
{
    sqlite3_stmt *s;
    *yes = false;
    int ret = sync_db_prep(d, S_SALE_LOCAL, "SELECT 1 FROM sale WHERE id = ?", &s, NULL);
    if (ret)
        return ret;
    sqlite3_bind_text(s, 1, sale_id, -1, SQLITE_STATIC);
    int rc = sqlite3_step(s);
    *yes = rc == SQLITE_ROW;
    sqlite3_reset(s);
    return rc == SQLITE_ROW || rc == SQLITE_DONE ? ZC_OK : sync_db_fail(d, rc, "reading sales", NULL);
}
