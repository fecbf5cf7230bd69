/* sale_load.c - reads one committed sale back (sale_load.h).
 *
 * Four plain SELECTs prepared per call: a reprint is rare, so the store's
 * statement cache (store_int.h slots) is left to the sale path.  Rule names
 * are not stored with the sale; they come from the exact policy version the
 * sale recorded (policy rows are never changed), and fall back to the rule
 * id when that version is not on this terminal. */
#include "sale_load.h"

#include <cjson/cJSON.h>
#include <string.h>

#include "store_int.h"

/* Replaces each part's rule_name (the rule id until then) with the rule's
 * name from the policy JSON of the sale's version, when it has one. */
static void rule_names(store_t *st, store_sale_full *out)
{
    sqlite3_stmt *s = NULL;
    cJSON *doc = NULL;
    if (!out->nparts ||
        sqlite3_prepare_v2(st->db, "SELECT json FROM policy WHERE policy_id = ? AND version = ?", -1, &s,
                           NULL) != SQLITE_OK)
        goto out;
    sqlite3_bind_text(s, 1, out->policy_id, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 2, out->policy_version, -1, SQLITE_STATIC);
    if (sqlite3_step(s) != SQLITE_ROW)
        goto out;
    doc = cJSON_ParseWithLength((const char *)sqlite3_column_text(s, 0), (size_t)sqlite3_column_bytes(s, 0));
    const cJSON *rules = cJSON_GetObjectItemCaseSensitive(doc, "rules"), *r;
    cJSON_ArrayForEach(r, rules)
    {
        const cJSON *id = cJSON_GetObjectItemCaseSensitive(r, "id");
        const cJSON *name = cJSON_GetObjectItemCaseSensitive(r, "name");
        if (!cJSON_IsString(id) || !cJSON_IsString(name) || !name->valuestring[0])
            continue;
        for (int i = 0; i < out->nparts; i++)
            if (strcmp(out->parts[i].rule_id, id->valuestring) == 0)
                snprintf(out->parts[i].rule_name, sizeof out->parts[i].rule_name, "%s", name->valuestring);
    }
out:
    cJSON_Delete(doc);
    sqlite3_finalize(s);
}

int store_sale_load(store_t *st, const char *sale_id, store_sale_full *out, zc_err *err)
{
    sqlite3_stmt *h = NULL, *l = NULL, *p = NULL;
    int ret = ZC_OK, rc;
    memset(out, 0, sizeof *out);

    /* header */
    rc = sqlite3_prepare_v2(st->db,
                            "SELECT s.id, s.seq, s.terminal_id, s.operator_id, IFNULL(o.name,''), "
                            "IFNULL(s.elder_id,''), IFNULL(e.name,''), s.created_utc, s.local_time, s.period, "
                            "s.policy_id, s.policy_version, s.gross_fen, s.subsidy_fen, s.pay_fen, "
                            "s.tendered_fen, s.pay_method, IFNULL(s.pay_ref,''), s.status = 'voided' "
                            "FROM sale s LEFT JOIN operator o ON o.id = s.operator_id "
                            "LEFT JOIN elder e ON e.id = s.elder_id WHERE s.id = ?",
                            -1, &h, NULL);
    if (rc != SQLITE_OK) {
        ret = store_dbfail(st, rc, "reading a sale", err);
        goto out;
    }
    sqlite3_bind_text(h, 1, sale_id, -1, SQLITE_STATIC);
    rc = sqlite3_step(h);
    if (rc == SQLITE_DONE) {
        ret = zc_errf(err, ZC_ENOTFOUND, "sale %s is not on this terminal", sale_id);
        goto out;
    }
    if (rc != SQLITE_ROW) {
        ret = store_dbfail(st, rc, "reading a sale", err);
        goto out;
    }
    store_col_text(h, 0, out->id, sizeof out->id);
    out->seq = sqlite3_column_int64(h, 1);
    store_col_text(h, 2, out->terminal_id, sizeof out->terminal_id);
    store_col_text(h, 3, out->operator_id, sizeof out->operator_id);
    store_col_text(h, 4, out->operator_name, sizeof out->operator_name);
    store_col_text(h, 5, out->elder_id, sizeof out->elder_id);
    store_col_text(h, 6, out->elder_name, sizeof out->elder_name);
    out->created_utc = sqlite3_column_int64(h, 7);
    store_col_text(h, 8, out->local_time, sizeof out->local_time);
    store_col_text(h, 9, out->period, sizeof out->period);
    store_col_text(h, 10, out->policy_id, sizeof out->policy_id);
    store_col_text(h, 11, out->policy_version, sizeof out->policy_version);
    out->gross = sqlite3_column_int64(h, 12);
    out->subsidy = sqlite3_column_int64(h, 13);
    out->pay = sqlite3_column_int64(h, 14);
    out->tendered = sqlite3_column_int64(h, 15);
    store_col_text(h, 16, out->pay_method, sizeof out->pay_method);
    store_col_text(h, 17, out->pay_ref, sizeof out->pay_ref);
    out->voided = sqlite3_column_int(h, 18) != 0;

    /* lines, in the order they were sold */
    rc = sqlite3_prepare_v2(st->db,
                            "SELECT code, name, unit_fen, qty, eligible FROM sale_line WHERE sale_id = ? "
                            "ORDER BY line_no",
                            -1, &l, NULL);
    if (rc != SQLITE_OK) {
        ret = store_dbfail(st, rc, "reading a sale's lines", err);
        goto out;
    }
    sqlite3_bind_text(l, 1, sale_id, -1, SQLITE_STATIC);
    while ((rc = sqlite3_step(l)) == SQLITE_ROW) {
        if (out->nlines == ZC_MAX_LINES) {
            ret = zc_errf(err, ZC_ETOOBIG, "sale %s has more than %d lines", sale_id, ZC_MAX_LINES);
            goto out;
        }
        store_sale_line *ln = &out->lines[out->nlines++];
        store_col_text(l, 0, ln->code, sizeof ln->code);
        store_col_text(l, 1, ln->name, sizeof ln->name);
        ln->unit_fen = sqlite3_column_int64(l, 2);
        ln->qty = sqlite3_column_int(l, 3);
        ln->eligible = sqlite3_column_int(l, 4) != 0;
    }
    if (rc != SQLITE_DONE) {
        ret = store_dbfail(st, rc, "reading a sale's lines", err);
        goto out;
    }

    /* subsidy parts */
    rc = sqlite3_prepare_v2(st->db,
                            "SELECT rule_id, source, fen FROM sale_subsidy WHERE sale_id = ? ORDER BY part_no",
                            -1, &p, NULL);
    if (rc != SQLITE_OK) {
        ret = store_dbfail(st, rc, "reading a sale's subsidy", err);
        goto out;
    }
    sqlite3_bind_text(p, 1, sale_id, -1, SQLITE_STATIC);
    while ((rc = sqlite3_step(p)) == SQLITE_ROW) {
        if (out->nparts == ZC_MAX_PARTS) {
            ret = zc_errf(err, ZC_ETOOBIG, "sale %s has more than %d subsidy parts", sale_id, ZC_MAX_PARTS);
            goto out;
        }
        store_sale_part *pt = &out->parts[out->nparts++];
        store_col_text(p, 0, pt->rule_id, sizeof pt->rule_id);
        store_col_text(p, 0, pt->rule_name, sizeof pt->rule_name);
        store_col_text(p, 1, pt->source, sizeof pt->source);
        pt->fen = sqlite3_column_int64(p, 2);
    }
    if (rc != SQLITE_DONE) {
        ret = store_dbfail(st, rc, "reading a sale's subsidy", err);
        goto out;
    }
    rule_names(st, out);
out:
    sqlite3_finalize(h);
    sqlite3_finalize(l);
    sqlite3_finalize(p);
    return ret;
}

int store_sale_last_utc(store_t *st, int64_t *utc)
{
    sqlite3_stmt *s = NULL;
    *utc = 0;
    int rc = sqlite3_prepare_v2(st->db, "SELECT created_utc FROM sale ORDER BY seq DESC LIMIT 1", -1, &s,
                                NULL);
    if (rc == SQLITE_OK && (rc = sqlite3_step(s)) == SQLITE_ROW) {
        *utc = sqlite3_column_int64(s, 0);
        rc = SQLITE_DONE;
    }
    sqlite3_finalize(s);
    return rc == SQLITE_DONE ? ZC_OK : ZC_EDB;
}
