/* cstore_report.c - the operator's report in the SQLite backend: per
 * terminal its sales, fen, sequence gaps and chain breaks; the flags and
 * conflicts; each closing next to the centre's own totals.  Rarely run, so
 * its statements are prepared per call rather than cached. */
#include "cstore_int.h"

#include <cjson/cJSON.h>
#include <string.h>

#define GAPS_MAX 100 /* gaps listed per terminal (the count is always exact) */

/* Columns of a row become members of a new object in arr: names[i] is the
 * member of column i; a name starting with '#' is a number, '?' a boolean,
 * anything else text. */
static int rows_to(central_store *st, sqlite3_stmt *s, const char *const *names, int ncols,
                   cJSON *arr, zc_err *err)
{
    int rc;
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
        cJSON *o = cJSON_CreateObject();
        if (!o || !cJSON_AddItemToArray(arr, o)) {
            cJSON_Delete(o);
            return zc_errf(err, ZC_ENOMEM, "out of memory building the report");
        }
        for (int i = 0; i < ncols; i++) {
            const char *n = names[i];
            cJSON *v;
            if (n[0] == '#')
                v = cJSON_AddNumberToObject(o, n + 1, (double)sqlite3_column_int64(s, i));
            else if (n[0] == '?')
                v = cJSON_AddBoolToObject(o, n + 1, sqlite3_column_int(s, i) != 0);
            else {
                const char *t = (const char *)sqlite3_column_text(s, i);
                v = cJSON_AddStringToObject(o, n, t ? t : "");
            }
            if (!v)
                return zc_errf(err, ZC_ENOMEM, "out of memory building the report");
        }
    }
    return rc == SQLITE_DONE ? ZC_OK : cs_dbfail(st, rc, "the report", err);
}

/* Runs sql with ?1 = terminal (NULL for all) and appends its rows to a new
 * array member `key` of parent. */
static int section(central_store *st, cJSON *parent, const char *key, const char *sql,
                   const char *terminal, const char *const *names, int ncols, zc_err *err)
{
    sqlite3_stmt *s = NULL;
    cJSON *arr = cJSON_AddArrayToObject(parent, key);
    if (!arr)
        return zc_errf(err, ZC_ENOMEM, "out of memory building the report");
    int rc = sqlite3_prepare_v2(st->db, sql, -1, &s, NULL);
    if (rc != SQLITE_OK)
        return cs_dbfail(st, rc, "preparing the report", err);
    if (terminal)
        sqlite3_bind_text(s, 1, terminal, -1, SQLITE_STATIC);
    int ret = rows_to(st, s, names, ncols, arr, err);
    sqlite3_finalize(s);
    return ret;
}

#define NOT_VOID "NOT EXISTS (SELECT 1 FROM sale_void v WHERE v.sale_id = s.id)"

/* The gaps and chain breaks of each terminal object in arr. */
static int terminal_details(central_store *st, cJSON *arr, zc_err *err)
{
    static const char *const gap_cols[] = {"#from", "#to"};
    static const char *const break_cols[] = {"#seq", "expected", "got"};
    cJSON *t;
    int ret = ZC_OK;
    cJSON_ArrayForEach(t, arr) {
        const char *id = cJSON_GetStringValue(cJSON_GetObjectItem(t, "id"));
        if ((ret = section(st, t, "gaps",
                           "WITH s AS (SELECT 0 AS seq UNION ALL SELECT seq FROM sale WHERE "
                           "terminal_id = ?1) SELECT seq + 1, nxt - 1 FROM (SELECT seq, lead(seq) "
                           "OVER (ORDER BY seq) AS nxt FROM s) WHERE nxt > seq + 1 ORDER BY seq "
                           "LIMIT 100", id, gap_cols, 2, err)) ||
            (ret = section(st, t, "chain_breaks", "SELECT seq, expected, got FROM chain_break "
                           "WHERE terminal_id = ?1 ORDER BY seq", id, break_cols, 3, err)))
            break;
        /* missing = max_seq - sales held: exact even past GAPS_MAX listed gaps */
        double max = cJSON_GetNumberValue(cJSON_GetObjectItem(t, "max_seq"));
        double held = cJSON_GetNumberValue(cJSON_GetObjectItem(t, "sales"));
        if (!cJSON_AddNumberToObject(t, "missing", max - held))
            return zc_errf(err, ZC_ENOMEM, "out of memory building the report");
    }
    _Static_assert(GAPS_MAX == 100, "the LIMIT above");
    return ret;
}

int central_store_report(central_store *st, const char *terminal, cJSON *out, zc_err *err)
{
    static const char *const term_cols[] = {"id", "canteen", "#last_seen_utc", "#sales", "#voided",
                                            "#max_seq", "#gross", "#subsidy", "#pay"};
    static const char *const flag_cols[] = {"sale_id", "terminal", "#seq", "kind", "detail"};
    static const char *const conflict_cols[] = {"terminal", "sale_id", "kind", "held_id",
                                                "#received_utc"};
    static const char *const closing_cols[] = {
        "terminal", "date", "#count", "#gross", "#subsidy", "#pay", "#last_seq", "chain_head",
        "#centre_count", "#centre_gross", "#centre_subsidy", "#centre_pay", "?matches"};
    static const char *const total_cols[] = {"#sales", "#voided", "#gross", "#subsidy", "#pay",
                                             "#flags", "#conflicts", "#chain_breaks"};
    int ret = section(st, out, "terminals",
                      "SELECT t.id, t.canteen_id, coalesce(t.last_seen_utc, 0), count(s.id), "
                      "coalesce(sum(s.id IS NOT NULL AND NOT " NOT_VOID "), 0), coalesce(max(s.seq), 0), "
                      "coalesce(sum(CASE WHEN " NOT_VOID " THEN s.gross_fen END), 0), "
                      "coalesce(sum(CASE WHEN " NOT_VOID " THEN s.subsidy_fen END), 0), "
                      "coalesce(sum(CASE WHEN " NOT_VOID " THEN s.pay_fen END), 0) FROM terminal t "
                      "LEFT JOIN sale s ON s.terminal_id = t.id WHERE ?1 IS NULL OR t.id = ?1 "
                      "GROUP BY t.id ORDER BY t.id", terminal, term_cols, 9, err);
    if (ret || (ret = terminal_details(st, cJSON_GetObjectItem(out, "terminals"), err)))
        return ret;
    if ((ret = section(st, out, "flags",
                       "SELECT f.sale_id, s.terminal_id, s.seq, f.kind, f.detail FROM flag f JOIN "
                       "sale s ON s.id = f.sale_id WHERE ?1 IS NULL OR s.terminal_id = ?1 ORDER BY "
                       "s.terminal_id, s.seq, f.kind", terminal, flag_cols, 5, err)) ||
        (ret = section(st, out, "conflicts",
                       "SELECT terminal_id, sale_id, kind, held_id, received_utc FROM conflict "
                       "WHERE ?1 IS NULL OR terminal_id = ?1 ORDER BY id", terminal, conflict_cols,
                       5, err)) ||
        (ret = section(st, out, "closings",
                       "SELECT c.terminal_id, c.date, c.count, c.gross_fen, c.subsidy_fen, "
                       "c.pay_fen, c.last_seq, c.chain_head, x.n, x.g, x.sb, x.p, (c.count = x.n "
                       "AND c.gross_fen = x.g AND c.subsidy_fen = x.sb AND c.pay_fen = x.p) FROM "
                       "closing c JOIN (SELECT c2.terminal_id AS t, c2.date AS d, count(s.id) AS n, "
                       "coalesce(sum(s.gross_fen), 0) AS g, coalesce(sum(s.subsidy_fen), 0) AS sb, "
                       "coalesce(sum(s.pay_fen), 0) AS p FROM closing c2 LEFT JOIN sale s ON "
                       "s.terminal_id = c2.terminal_id AND s.local_date = c2.date AND " NOT_VOID
                       " GROUP BY c2.terminal_id, c2.date) x ON x.t = c.terminal_id AND x.d = "
                       "c.date WHERE ?1 IS NULL OR c.terminal_id = ?1 ORDER BY c.terminal_id, "
                       "c.date", terminal, closing_cols, 13, err)) ||
        (ret = section(st, out, "totals",
                       "SELECT count(*), coalesce(sum(NOT " NOT_VOID "), 0), coalesce(sum(CASE WHEN "
                       NOT_VOID " THEN gross_fen END), 0), coalesce(sum(CASE WHEN " NOT_VOID " THEN "
                       "subsidy_fen END), 0), coalesce(sum(CASE WHEN " NOT_VOID " THEN pay_fen END), "
                       "0), (SELECT count(*) FROM flag f JOIN sale s2 ON s2.id = f.sale_id WHERE ?1 "
                       "IS NULL OR s2.terminal_id = ?1), (SELECT count(*) FROM conflict WHERE ?1 IS "
                       "NULL OR terminal_id = ?1), (SELECT count(*) FROM chain_break WHERE ?1 IS NULL "
                       "OR terminal_id = ?1) FROM sale s WHERE ?1 IS NULL OR s.terminal_id = ?1",
                       terminal, total_cols, 8, err)))
        return ret;
    /* totals is one row: make it an object rather than a one-element array */
    cJSON *arr = cJSON_DetachItemFromObject(out, "totals");
    cJSON *row = cJSON_DetachItemFromArray(arr, 0);
    cJSON_Delete(arr);
    if (!row || !cJSON_AddItemToObject(out, "totals", row)) {
        cJSON_Delete(row);
        return zc_errf(err, ZC_ENOMEM, "out of memory building the report");
    }
    return ZC_OK;
}
