/* cstore_sales.c - sales in the SQLite backend: the batch transaction and
 * its savepoints, storing and loading sales, conflicts, chain breaks, flags,
 * the elder's uses, voids and closings.  What to do with a sale (duplicate?
 * conflict? chained?) is decided in ingest.c; this file only stores. */
#include "cstore_int.h"

#include <stdio.h>
#include <string.h>

/* ---- transactions ---- */

int central_store_batch_begin(central_store *st, zc_err *err)
{
    sqlite3_stmt *s;
    int ret = cs_prep(st, S_BEGIN, "BEGIN IMMEDIATE", &s, err);
    if (ret == ZC_OK && (ret = cs_step_done(st, s, "the batch of sales", err)) == ZC_OK)
        st->in_batch = true;
    return ret;
}

int central_store_batch_commit(central_store *st, zc_err *err)
{
    sqlite3_stmt *s;
    int ret = cs_prep(st, S_COMMIT, "COMMIT", &s, err);
    if (ret == ZC_OK && (ret = cs_step_done(st, s, "the batch of sales", err)) == ZC_OK)
        st->in_batch = false;
    return ret;
}

void central_store_batch_rollback(central_store *st)
{
    sqlite3_stmt *s;
    if (!st->in_batch)
        return;
    if (cs_prep(st, S_ROLLBACK, "ROLLBACK", &s, NULL) == ZC_OK) {
        sqlite3_step(s);
        cs_done(s);
    }
    st->in_batch = false;
}

int central_store_save_begin(central_store *st, zc_err *err)
{
    sqlite3_stmt *s;
    int ret = cs_prep(st, S_SAVE, "SAVEPOINT sale", &s, err);
    return ret ? ret : cs_step_done(st, s, "the sale", err);
}

int central_store_save_end(central_store *st, bool keep, zc_err *err)
{
    sqlite3_stmt *s;
    int ret = ZC_OK;
    if (!keep && (ret = cs_prep(st, S_ROLLBACK_TO, "ROLLBACK TO sale", &s, err)) == ZC_OK)
        ret = cs_step_done(st, s, "undoing the sale", err);
    if (ret == ZC_OK && (ret = cs_prep(st, S_RELEASE, "RELEASE sale", &s, err)) == ZC_OK)
        ret = cs_step_done(st, s, "the sale", err);
    return ret;
}

int central_store_job_begin(central_store *st, zc_err *err)
{
    return cs_exec(st, "SAVEPOINT request", "the request", err);
}

int central_store_job_end(central_store *st, bool keep, zc_err *err)
{
    int ret = keep ? ZC_OK : cs_exec(st, "ROLLBACK TO request", "undoing the request", err);
    return ret ? ret : cs_exec(st, "RELEASE request", "the request", err);
}

/* ---- sales ---- */

static int find_ref(central_store *st, sqlite3_stmt *s, central_sale_ref *out, zc_err *err)
{
    int ret = ZC_OK, rc = sqlite3_step(s);
    if (rc == SQLITE_ROW) {
        memset(out, 0, sizeof *out);
        cs_col_text(s, 0, out->id, sizeof out->id);
        cs_col_text(s, 1, out->terminal, sizeof out->terminal);
        out->seq = sqlite3_column_int64(s, 2);
        cs_col_text(s, 3, out->hash, sizeof out->hash);
        cs_col_text(s, 4, out->prev, sizeof out->prev);
    } else {
        ret = rc == SQLITE_DONE ? ZC_ENOTFOUND : cs_dbfail(st, rc, "reading the sales", err);
    }
    cs_done(s);
    return ret;
}

int central_store_sale_find(central_store *st, const char *id, central_sale_ref *out, zc_err *err)
{
    sqlite3_stmt *s;
    int ret = cs_prep(st, S_SALE_FIND, "SELECT id, terminal_id, seq, hash, prev_hash FROM sale WHERE "
                      "id = ?", &s, err);
    if (ret)
        return ret;
    sqlite3_bind_text(s, 1, id, -1, SQLITE_STATIC);
    return find_ref(st, s, out, err);
}

int central_store_sale_at(central_store *st, const char *terminal, int64_t seq,
                          central_sale_ref *out, zc_err *err)
{
    sqlite3_stmt *s;
    int ret = cs_prep(st, S_SALE_AT, "SELECT id, terminal_id, seq, hash, prev_hash FROM sale WHERE "
                      "terminal_id = ? AND seq = ?", &s, err);
    if (ret)
        return ret;
    sqlite3_bind_text(s, 1, terminal, -1, SQLITE_STATIC);
    sqlite3_bind_int64(s, 2, seq);
    return find_ref(st, s, out, err);
}

int central_store_sale_insert(central_store *st, const zc_sale_doc *d, const char *hash, int64_t now,
                              zc_err *err)
{
    sqlite3_stmt *s;
    char date[16];
    int ret = cs_prep(st, S_SALE_INSERT,
                      "INSERT INTO sale (id, terminal_id, seq, canteen_id, operator_id, elder_id, "
                      "card_uid, created_utc, local_time, local_date, period, policy_id, "
                      "policy_version, gross_fen, subsidy_fen, pay_fen, pay_method, pay_ref, "
                      "tendered_fen, prev_hash, hash, received_utc) VALUES (?1, ?2, ?3, ?4, ?5, ?6, "
                      "?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20, ?21, ?22)",
                      &s, err);
    if (ret)
        return ret;
    snprintf(date, sizeof date, "%.10s", d->local_time);
    const char *text[] = {d->id, d->terminal};
    sqlite3_bind_text(s, 1, text[0], -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 2, text[1], -1, SQLITE_STATIC);
    sqlite3_bind_int64(s, 3, d->seq);
    const char *more[] = {d->canteen, d->op, d->elder, d->card};
    for (int i = 0; i < 4; i++)
        sqlite3_bind_text(s, 4 + i, more[i], -1, SQLITE_STATIC);
    sqlite3_bind_int64(s, 8, d->created_utc);
    sqlite3_bind_text(s, 9, d->local_time, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 10, date, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 11, d->period, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 12, d->policy, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 13, d->policy_version, -1, SQLITE_STATIC);
    sqlite3_bind_int64(s, 14, d->gross);
    sqlite3_bind_int64(s, 15, d->subsidy);
    sqlite3_bind_int64(s, 16, d->pay);
    sqlite3_bind_text(s, 17, d->pay_method, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 18, d->pay_ref, -1, SQLITE_STATIC);
    sqlite3_bind_int64(s, 19, d->tendered);
    sqlite3_bind_text(s, 20, d->prev, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 21, hash, -1, SQLITE_STATIC);
    sqlite3_bind_int64(s, 22, now);
    if ((ret = cs_step_done(st, s, "the sale", err)))
        return ret;
    for (int i = 0; i < d->nlines && ret == ZC_OK; i++) {
        const zc_line *l = &d->lines[i];
        if ((ret = cs_prep(st, S_LINE_INSERT, "INSERT INTO sale_line (sale_id, line_no, code, name, "
                           "unit_fen, qty, eligible) VALUES (?, ?, ?, ?, ?, ?, ?)", &s, err)))
            break;
        sqlite3_bind_text(s, 1, d->id, -1, SQLITE_STATIC);
        sqlite3_bind_int(s, 2, i + 1);
        sqlite3_bind_text(s, 3, l->code, -1, SQLITE_STATIC);
        sqlite3_bind_text(s, 4, l->name, -1, SQLITE_STATIC);
        sqlite3_bind_int64(s, 5, l->unit_fen);
        sqlite3_bind_int(s, 6, l->qty);
        sqlite3_bind_int(s, 7, l->eligible ? 1 : 0);
        ret = cs_step_done(st, s, "the sale's lines", err);
    }
    for (int i = 0; i < d->nparts && ret == ZC_OK; i++) {
        const zc_part *p = &d->parts[i];
        if ((ret = cs_prep(st, S_PART_INSERT, "INSERT INTO sale_subsidy (sale_id, part_no, rule_id, "
                           "source, fen) VALUES (?, ?, ?, ?, ?)", &s, err)))
            break;
        sqlite3_bind_text(s, 1, d->id, -1, SQLITE_STATIC);
        sqlite3_bind_int(s, 2, i + 1);
        sqlite3_bind_text(s, 3, p->rule, -1, SQLITE_STATIC);
        sqlite3_bind_text(s, 4, p->source, -1, SQLITE_STATIC);
        sqlite3_bind_int64(s, 5, p->fen);
        ret = cs_step_done(st, s, "the sale's subsidy parts", err);
    }
    for (int i = 0; i < d->nrules && ret == ZC_OK; i++) {
        const zc_sale_rule *r = &d->rules[i];
        if ((ret = cs_prep(st, S_RULE_INSERT, "INSERT INTO sale_rule (sale_id, rule_id, limit_key, "
                           "period, local_date, fen) VALUES (?, ?, ?, ?, ?, ?)", &s, err)))
            break;
        sqlite3_bind_text(s, 1, d->id, -1, SQLITE_STATIC);
        sqlite3_bind_text(s, 2, r->rule, -1, SQLITE_STATIC);
        sqlite3_bind_text(s, 3, r->key, -1, SQLITE_STATIC);
        sqlite3_bind_text(s, 4, r->period, -1, SQLITE_STATIC);
        sqlite3_bind_text(s, 5, r->date, -1, SQLITE_STATIC);
        sqlite3_bind_int64(s, 6, r->fen);
        ret = cs_step_done(st, s, "the sale's rules", err);
    }
    return ret;
}

/* Reads the child rows of a sale (k: 0 lines, 1 parts, 2 rules) into d. */
static int load_children(central_store *st, int k, zc_sale_doc *d, zc_err *err)
{
    static const char *const sql[3] = {
        "SELECT code, name, unit_fen, qty, eligible FROM sale_line WHERE sale_id = ? ORDER BY line_no",
        "SELECT rule_id, source, fen FROM sale_subsidy WHERE sale_id = ? ORDER BY part_no",
        ("SELECT rule_id, limit_key, period, local_date, fen FROM sale_rule WHERE sale_id = ? "
         "ORDER BY rule_id"), /* one string: the parentheses tell clang so */
    };
    static const int slot[3] = {S_LINE_LOAD, S_PART_LOAD, S_RULE_LOAD};
    sqlite3_stmt *s;
    int ret = cs_prep(st, slot[k], sql[k], &s, err), rc;
    if (ret)
        return ret;
    sqlite3_bind_text(s, 1, d->id, -1, SQLITE_STATIC);
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
        if (k == 0 && d->nlines < ZC_MAX_LINES) {
            zc_line *l = &d->lines[d->nlines++];
            cs_col_text(s, 0, l->code, sizeof l->code);
            cs_col_text(s, 1, l->name, sizeof l->name);
            l->unit_fen = sqlite3_column_int64(s, 2);
            l->qty = sqlite3_column_int(s, 3);
            l->eligible = sqlite3_column_int(s, 4) != 0;
        } else if (k == 1 && d->nparts < ZC_MAX_PARTS) {
            zc_part *p = &d->parts[d->nparts++];
            cs_col_text(s, 0, p->rule, sizeof p->rule);
            cs_col_text(s, 1, p->source, sizeof p->source);
            p->fen = sqlite3_column_int64(s, 2);
        } else if (k == 2 && d->nrules < ZC_MAX_RULES) {
            zc_sale_rule *r = &d->rules[d->nrules++];
            cs_col_text(s, 0, r->rule, sizeof r->rule);
            cs_col_text(s, 1, r->key, sizeof r->key);
            cs_col_text(s, 2, r->period, sizeof r->period);
            cs_col_text(s, 3, r->date, sizeof r->date);
            r->fen = sqlite3_column_int64(s, 4);
        }
    }
    cs_done(s);
    return rc == SQLITE_DONE ? ZC_OK : cs_dbfail(st, rc, "reading a sale", err);
}

int central_store_sale_load(central_store *st, const char *id, zc_sale_doc *d, zc_err *err)
{
    sqlite3_stmt *s;
    int ret = cs_prep(st, S_SALE_LOAD,
                      "SELECT id, seq, terminal_id, canteen_id, operator_id, elder_id, card_uid, "
                      "created_utc, local_time, period, policy_id, policy_version, gross_fen, "
                      "subsidy_fen, pay_fen, pay_method, pay_ref, tendered_fen, prev_hash FROM sale "
                      "WHERE id = ?", &s, err);
    if (ret)
        return ret;
    memset(d, 0, sizeof *d);
    sqlite3_bind_text(s, 1, id, -1, SQLITE_STATIC);
    int rc = sqlite3_step(s);
    if (rc == SQLITE_ROW) {
        cs_col_text(s, 0, d->id, sizeof d->id);
        d->seq = sqlite3_column_int64(s, 1);
        cs_col_text(s, 2, d->terminal, sizeof d->terminal);
        cs_col_text(s, 3, d->canteen, sizeof d->canteen);
        cs_col_text(s, 4, d->op, sizeof d->op);
        cs_col_text(s, 5, d->elder, sizeof d->elder);
        cs_col_text(s, 6, d->card, sizeof d->card);
        d->created_utc = sqlite3_column_int64(s, 7);
        cs_col_text(s, 8, d->local_time, sizeof d->local_time);
        cs_col_text(s, 9, d->period, sizeof d->period);
        cs_col_text(s, 10, d->policy, sizeof d->policy);
        cs_col_text(s, 11, d->policy_version, sizeof d->policy_version);
        d->gross = sqlite3_column_int64(s, 12);
        d->subsidy = sqlite3_column_int64(s, 13);
        d->pay = sqlite3_column_int64(s, 14);
        cs_col_text(s, 15, d->pay_method, sizeof d->pay_method);
        cs_col_text(s, 16, d->pay_ref, sizeof d->pay_ref);
        d->tendered = sqlite3_column_int64(s, 17);
        cs_col_text(s, 18, d->prev, sizeof d->prev);
    } else {
        ret = rc == SQLITE_DONE ? zc_errf(err, ZC_ENOTFOUND, "the centre holds no sale %.48s", id)
                                : cs_dbfail(st, rc, "reading a sale", err);
    }
    cs_done(s);
    for (int k = 0; k < 3 && ret == ZC_OK; k++)
        ret = load_children(st, k, d, err);
    return ret;
}

/* ---- what the centre notices ---- */

int central_store_conflict_add(central_store *st, const char *terminal, const char *sale_id,
                               const char *kind, const char *held_id, const char *held_text,
                               const char *sent_text, int64_t now, zc_err *err)
{
    sqlite3_stmt *s;
    int ret = cs_prep(st, S_CONFLICT, "INSERT INTO conflict (terminal_id, sale_id, kind, held_id, "
                      "held_text, sent_text, received_utc) VALUES (?, ?, ?, ?, ?, ?, ?)", &s, err);
    if (ret)
        return ret;
    const char *v[] = {terminal, sale_id, kind, held_id, held_text, sent_text};
    for (int i = 0; i < 6; i++)
        sqlite3_bind_text(s, i + 1, v[i], -1, SQLITE_STATIC);
    sqlite3_bind_int64(s, 7, now);
    return cs_step_done(st, s, "the conflict", err);
}

int central_store_rejected_add(central_store *st, const char *terminal, const char *sale_id,
                               int64_t seq, const char *local_date, const char *reason,
                               int64_t now, zc_err *err)
{
    sqlite3_stmt *s;
    int ret = cs_prep(st, S_REJECTED, "INSERT INTO rejected (terminal_id, sale_id, seq, local_date, "
                      "reason, first_utc, last_utc) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?6) "
                      "ON CONFLICT (terminal_id, sale_id) DO UPDATE SET seq = excluded.seq, "
                      "local_date = excluded.local_date, reason = excluded.reason, "
                      "times = times + 1, last_utc = excluded.last_utc", &s, err);
    if (ret)
        return ret;
    sqlite3_bind_text(s, 1, terminal, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 2, sale_id, -1, SQLITE_STATIC);
    sqlite3_bind_int64(s, 3, seq);
    sqlite3_bind_text(s, 4, local_date, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 5, reason, -1, SQLITE_STATIC);
    sqlite3_bind_int64(s, 6, now);
    return cs_step_done(st, s, "the refused sale", err);
}

int central_store_chain_break(central_store *st, const char *terminal, int64_t seq,
                              const char *expected, const char *got, int64_t now, zc_err *err)
{
    sqlite3_stmt *s;
    int ret = cs_prep(st, S_CHAIN, "INSERT OR IGNORE INTO chain_break (terminal_id, seq, expected, "
                      "got, detected_utc) VALUES (?, ?, ?, ?, ?)", &s, err);
    if (ret)
        return ret;
    sqlite3_bind_text(s, 1, terminal, -1, SQLITE_STATIC);
    sqlite3_bind_int64(s, 2, seq);
    sqlite3_bind_text(s, 3, expected, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 4, got, -1, SQLITE_STATIC);
    sqlite3_bind_int64(s, 5, now);
    return cs_step_done(st, s, "the chain break", err);
}

int central_store_flag(central_store *st, const char *sale_id, const char *kind, const char *detail,
                       int64_t now, zc_err *err)
{
    sqlite3_stmt *s;
    int ret = cs_prep(st, S_FLAG, "INSERT INTO flag (sale_id, kind, detail, created_utc) VALUES (?, ?, "
                      "?, ?) ON CONFLICT (sale_id, kind) DO UPDATE SET detail = excluded.detail", &s,
                      err);
    if (ret)
        return ret;
    sqlite3_bind_text(s, 1, sale_id, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 2, kind, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 3, detail, -1, SQLITE_STATIC);
    sqlite3_bind_int64(s, 4, now);
    return cs_step_done(st, s, "the flag", err);
}

int central_store_flag_clear(central_store *st, const char *sale_id, const char *kind, zc_err *err)
{
    sqlite3_stmt *s;
    int ret = cs_prep(st, S_FLAG_CLEAR, "DELETE FROM flag WHERE sale_id = ? AND kind = ?", &s, err);
    if (ret)
        return ret;
    sqlite3_bind_text(s, 1, sale_id, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 2, kind, -1, SQLITE_STATIC);
    return cs_step_done(st, s, "the flag", err);
}

/* ---- the elder's uses ---- */

int central_store_uses(central_store *st, const char *elder, zc_date from, zc_date to,
                       const central_sale_key *before, central_use *out, int cap, int *n, zc_err *err)
{
    sqlite3_stmt *s;
    char f[16], t[16];
    int rc;
    *n = 0;
    int ret = cs_prep(st, S_USES,
                      "SELECT r.local_date, r.period, r.limit_key, r.fen, s.canteen_id, s.id FROM "
                      "sale s JOIN sale_rule r ON r.sale_id = s.id WHERE s.elder_id = ?1 AND "
                      "s.local_date BETWEEN ?2 AND ?3 AND NOT EXISTS (SELECT 1 FROM sale_void v "
                      "WHERE v.sale_id = s.id) AND (?4 IS NULL OR (s.created_utc, s.id) < (?4, ?5)) "
                      "ORDER BY s.created_utc, s.id, r.rule_id", &s, err);
    if (ret)
        return ret;
    sqlite3_bind_text(s, 1, elder, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 2, zc_date_fmt(from, f, sizeof f), -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 3, zc_date_fmt(to, t, sizeof t), -1, SQLITE_STATIC);
    if (before) {
        sqlite3_bind_int64(s, 4, before->created_utc);
        sqlite3_bind_text(s, 5, before->id, -1, SQLITE_STATIC);
    }
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
        if (*n >= cap) {
            ret = zc_errf(err, ZC_ETOOBIG, "elder %s has more than %d subsidised uses since %s", elder,
                          cap, f);
            break;
        }
        central_use *u = &out[(*n)++];
        memset(u, 0, sizeof *u);
        u->u.date = cs_col_date(s, 0);
        cs_col_text(s, 1, u->u.period, sizeof u->u.period);
        cs_col_text(s, 2, u->u.key, sizeof u->u.key);
        u->u.fen = sqlite3_column_int64(s, 3);
        cs_col_text(s, 4, u->canteen, sizeof u->canteen);
        cs_col_text(s, 5, u->sale_id, sizeof u->sale_id);
    }
    if (ret == ZC_OK && rc != SQLITE_DONE)
        ret = cs_dbfail(st, rc, "reading the elder's meals", err);
    cs_done(s);
    return ret;
}

int central_store_later_sales(central_store *st, const char *elder, const central_sale_key *after,
                              zc_date to, char (*ids)[ZC_ID_MAX], int cap, int *n, zc_err *err)
{
    sqlite3_stmt *s;
    char t[16];
    int rc;
    *n = 0;
    int ret = cs_prep(st, S_LATER,
                      "SELECT id FROM sale WHERE elder_id = ?1 AND local_date <= ?2 AND "
                      "(created_utc, id) > (?3, ?4) ORDER BY created_utc, id LIMIT ?5", &s, err);
    if (ret)
        return ret;
    sqlite3_bind_text(s, 1, elder, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 2, zc_date_fmt(to, t, sizeof t), -1, SQLITE_STATIC);
    sqlite3_bind_int64(s, 3, after->created_utc);
    sqlite3_bind_text(s, 4, after->id, -1, SQLITE_STATIC);
    sqlite3_bind_int(s, 5, cap);
    while ((rc = sqlite3_step(s)) == SQLITE_ROW)
        cs_col_text(s, 0, ids[(*n)++], ZC_ID_MAX);
    if (rc != SQLITE_DONE)
        ret = cs_dbfail(st, rc, "reading the elder's meals", err);
    cs_done(s);
    return ret;
}

/* ---- voids and closings ---- */

int central_store_void(central_store *st, const char *terminal, const zc_wire_void *v, int64_t now,
                       int *result, zc_err *err)
{
    sqlite3_stmt *s;
    central_sale_ref ref;
    *result = CENTRAL_VOID_UNKNOWN;
    int ret = central_store_sale_find(st, v->sale_id, &ref, err);
    if (ret == ZC_ENOTFOUND || (ret == ZC_OK && strcmp(ref.terminal, terminal) != 0))
        return ZC_OK;
    if (ret)
        return ret;
    if ((ret = cs_prep(st, S_VOID_INSERT, "INSERT OR IGNORE INTO sale_void (sale_id, at_utc, "
                       "operator_id, reason, received_utc) VALUES (?, ?, ?, ?, ?)", &s, err)))
        return ret;
    sqlite3_bind_text(s, 1, v->sale_id, -1, SQLITE_STATIC);
    sqlite3_bind_int64(s, 2, v->at_utc);
    sqlite3_bind_text(s, 3, v->op, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 4, v->reason, -1, SQLITE_STATIC);
    sqlite3_bind_int64(s, 5, now);
    if ((ret = cs_step_done(st, s, "the void", err)))
        return ret;
    *result = sqlite3_changes(st->db) ? CENTRAL_VOID_STORED : CENTRAL_VOID_DUPLICATE;
    return ZC_OK;
}

int central_store_closing_put(central_store *st, const char *terminal, const zc_wire_closing *c,
                              int64_t now, zc_err *err)
{
    sqlite3_stmt *s;
    int ret = cs_prep(st, S_CLOSING, "INSERT OR REPLACE INTO closing (terminal_id, date, count, "
                      "gross_fen, subsidy_fen, pay_fen, by_source, last_seq, chain_head, "
                      "received_utc) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", &s, err);
    if (ret)
        return ret;
    sqlite3_bind_text(s, 1, terminal, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 2, c->date, -1, SQLITE_STATIC);
    sqlite3_bind_int64(s, 3, c->count);
    sqlite3_bind_int64(s, 4, c->gross);
    sqlite3_bind_int64(s, 5, c->subsidy);
    sqlite3_bind_int64(s, 6, c->pay);
    sqlite3_bind_text(s, 7, c->by_source, -1, SQLITE_STATIC);
    sqlite3_bind_int64(s, 8, c->last_seq);
    sqlite3_bind_text(s, 9, c->chain_head, -1, SQLITE_STATIC);
    sqlite3_bind_int64(s, 10, now);
    return cs_step_done(st, s, "the closing", err);
}

int central_store_own_page(central_store *st, const char *terminal, int64_t after, int cap,
                           central_own_row *rows, int *n, bool *more, zc_err *err)
{
    sqlite3_stmt *s;
    int rc, ret = cs_prep(st, S_OWN_PAGE,
                          "SELECT s.id, s.seq, s.hash, v.sale_id IS NOT NULL, v.at_utc, v.operator_id, "
                          "v.reason FROM sale s LEFT JOIN sale_void v ON v.sale_id = s.id "
                          "WHERE s.terminal_id = ?1 AND s.seq > ?2 ORDER BY s.seq LIMIT ?3", &s, err);
    *n = 0;
    *more = false;
    if (ret)
        return ret;
    sqlite3_bind_text(s, 1, terminal, -1, SQLITE_STATIC);
    sqlite3_bind_int64(s, 2, after);
    sqlite3_bind_int(s, 3, cap + 1); /* one more says whether there are more */
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
        if (*n == cap) {
            *more = true;
            break;
        }
        central_own_row *r = &rows[(*n)++];
        memset(r, 0, sizeof *r);
        cs_col_text(s, 0, r->id, sizeof r->id);
        r->seq = sqlite3_column_int64(s, 1);
        cs_col_text(s, 2, r->hash, sizeof r->hash);
        r->voided = sqlite3_column_int(s, 3) != 0;
        if (r->voided) {
            snprintf(r->v.sale_id, sizeof r->v.sale_id, "%s", r->id);
            r->v.at_utc = sqlite3_column_int64(s, 4);
            cs_col_text(s, 5, r->v.op, sizeof r->v.op);
            cs_col_text(s, 6, r->v.reason, sizeof r->v.reason);
        }
    }
    if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        ret = cs_dbfail(st, rc, "reading the terminal's sales", err);
    cs_done(s);
    return ret;
}
