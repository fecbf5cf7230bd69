/* sale_load.c - reads one committed sale back (sale_load.h).
 *
 * The sale itself comes from store_sale_doc (sale.c), the one path that
 * reads a stored sale; this file adds what a reprint shows beyond it, with
 * plain SELECTs prepared per call (a reprint is rare).  Rule names
 * are not stored with the sale; they come from the exact policy version the
 * sale recorded (policy rows are never changed), and fall back to the rule
 * id when that version is not on this terminal. */
#include "sale_load.h"

#include <cjson/cJSON.h>
#include <stdlib.h>
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
    sqlite3_stmt *h = NULL;
    zc_sale_doc *d = malloc(sizeof *d);
    char hash[ZC_SHA256_HEX];
    int ret = ZC_OK, rc;
    memset(out, 0, sizeof *out);
    if (!d)
        return zc_errf(err, ZC_ENOMEM, "out of memory reading a sale");

    /* what the hash does not cover: names and whether it was voided */
    rc = sqlite3_prepare_v2(st->db,
                            "SELECT IFNULL(o.name,''), IFNULL(e.name,''), s.status = 'voided' "
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
    store_col_text(h, 0, out->operator_name, sizeof out->operator_name);
    store_col_text(h, 1, out->elder_name, sizeof out->elder_name);
    out->voided = sqlite3_column_int(h, 2) != 0;

    /* the sale as stored: the one read path the outbox and the chain walk use */
    if ((ret = store_sale_doc(st, sale_id, d, hash, err)))
        goto out;
    snprintf(out->id, sizeof out->id, "%.*s", (int)sizeof out->id - 1, d->id);
    out->seq = d->seq;
    snprintf(out->terminal_id, sizeof out->terminal_id, "%s", d->terminal);
    snprintf(out->operator_id, sizeof out->operator_id, "%s", d->op);
    snprintf(out->elder_id, sizeof out->elder_id, "%s", d->elder);
    out->created_utc = d->created_utc;
    snprintf(out->local_time, sizeof out->local_time, "%.*s", (int)sizeof out->local_time - 1, d->local_time);
    snprintf(out->period, sizeof out->period, "%s", d->period);
    snprintf(out->policy_id, sizeof out->policy_id, "%s", d->policy);
    snprintf(out->policy_version, sizeof out->policy_version, "%s", d->policy_version);
    out->gross = d->gross;
    out->subsidy = d->subsidy;
    out->pay = d->pay;
    out->tendered = d->tendered;
    snprintf(out->pay_method, sizeof out->pay_method, "%s", d->pay_method);
    snprintf(out->pay_ref, sizeof out->pay_ref, "%s", d->pay_ref);
    for (int i = 0; i < d->nlines; i++) {
        store_sale_line *ln = &out->lines[out->nlines++];
        snprintf(ln->code, sizeof ln->code, "%s", d->lines[i].code);
        snprintf(ln->name, sizeof ln->name, "%s", d->lines[i].name);
        ln->unit_fen = d->lines[i].unit_fen;
        ln->qty = d->lines[i].qty;
        ln->eligible = d->lines[i].eligible;
    }
    for (int i = 0; i < d->nparts; i++) {
        store_sale_part *pt = &out->parts[out->nparts++];
        snprintf(pt->rule_id, sizeof pt->rule_id, "%s", d->parts[i].rule);
        snprintf(pt->rule_name, sizeof pt->rule_name, "%s", d->parts[i].rule);
        snprintf(pt->source, sizeof pt->source, "%s", d->parts[i].source);
        pt->fen = d->parts[i].fen;
    }
    rule_names(st, out);
out:
    sqlite3_finalize(h);
    free(d);
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
