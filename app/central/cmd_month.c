/* cmd_month.c - the operator's month on the command line:
 *   zhucan-central report settlement --db DB --month YYYY-MM [--canteen ID] [--ledger]
 *   zhucan-central reconcile --db DB --month YYYY-MM
 *   zhucan-central anomalies --db DB --month YYYY-MM
 * each with --format text|csv|json (text by default).  The reports are the
 * cJSON objects of creport.h (json prints them as they are); csv and text
 * are renderings of the same objects, so the admin page, the CSV and the
 * screen never disagree - except the ledger, which csv and text stream from
 * the store's own ledger read (the same rows) rather than hold in memory. */
#include <cjson/cJSON.h>
#include <stdio.h>
#include <string.h>

#include "../core/csvout.h"
#include "../core/money.h"
#include "cmd.h"
#include "creport.h"
#include "cstore_month.h"

enum { F_TEXT, F_CSV, F_JSON };

/* Number and string members of a report object ("" / 0 when missing). */
static int64_t num(const cJSON *o, const char *k)
{
    return (int64_t)cJSON_GetNumberValue(cJSON_GetObjectItem(o, k));
}

static const char *str(const cJSON *o, const char *k)
{
    const char *s = cJSON_GetStringValue(cJSON_GetObjectItem(o, k));
    return s ? s : "";
}

/* "12.50" */
static const char *yuan(int64_t fen, char *buf, int n)
{
    return zc_fen_fmt(fen, buf, n);
}

/* ---- settlement ---- */

/* The ledger is as long as the month's subsidised sales (a large district:
 * hundreds of thousands of rows), so csv and text stream it from the store
 * row by row instead of building it as JSON. */
typedef struct ledger_out {
    zc_csvout *w; /* csv, or */
    FILE *f;      /* text */
} ledger_out;

static int on_ledger(void *ctx, const central_ledger_row *r)
{
    const ledger_out *o = ctx;
    char masked[ZC_NAME_MAX], y[32];
    zc_name_mask(r->elder_name, masked, sizeof masked);
    if (o->f) {
        fprintf(o->f, "%-16s %-12s %-10s %-12s %-14s %10s  %s\n", r->time, r->canteen, r->elder_id,
                r->rule, r->source, zc_fen_fmt(r->fen, y, sizeof y), masked);
        return ferror(o->f) ? ZC_EIO : ZC_OK;
    }
    const char *cols[] = {r->sale_id, r->time, r->canteen, r->terminal, r->elder_id, masked, r->rule,
                          r->source};
    for (size_t i = 0; i < sizeof cols / sizeof cols[0]; i++)
        zc_csvout_str(o->w, cols[i]);
    zc_csvout_money(o->w, r->fen);
    zc_csvout_row(o->w);
    return o->w->failed ? ZC_EIO : ZC_OK;
}

/* Streams the ledger of the report's month (and canteen) to out. */
static int ledger_stream(central_store *st, const cJSON *r, const ledger_out *out, zc_err *err)
{
    const cJSON *c = cJSON_GetObjectItem(r, "canteen");
    int ret = central_store_claim_ledger(st, str(r, "from"), str(r, "to"),
                                         cJSON_IsString(c) ? c->valuestring : NULL, on_ledger,
                                         (void *)out, err);
    return ret == ZC_EIO ? zc_errf(err, ret, "could not write the ledger") : ret;
}

static void settlement_text(const cJSON *r, FILE *f)
{
    const cJSON *c, *s, *t = cJSON_GetObjectItem(r, "totals");
    char a[32], b[32], d[32];
    fprintf(f, "Settlement %s (%s to %s), %s\n\n", str(r, "month"), str(r, "from"), str(r, "to"),
            cJSON_IsString(cJSON_GetObjectItem(r, "canteen")) ? str(r, "canteen") : "all canteens");
    fprintf(f, "%-14s %-10s %7s %14s %14s %14s %6s  %s\n", "canteen", "source", "meals", "gross yuan",
            "subsidy yuan", "paid yuan", "voids", "name");
    cJSON_ArrayForEach(c, cJSON_GetObjectItem(r, "canteens")) {
        fprintf(f, "%-14s %-10s %7lld %14s %14s %14s %6lld  %s\n", str(c, "id"), "(all)",
                (long long)num(c, "meals"), yuan(num(c, "gross_fen"), a, sizeof a),
                yuan(num(c, "subsidy_fen"), b, sizeof b), yuan(num(c, "pay_fen"), d, sizeof d),
                (long long)num(c, "voids"), str(c, "name"));
        cJSON_ArrayForEach(s, cJSON_GetObjectItem(c, "sources"))
            fprintf(f, "%-14s %-10s %7lld %14s %14s\n", "", str(s, "source"), (long long)num(s, "meals"),
                    "", yuan(num(s, "subsidy_fen"), b, sizeof b));
    }
    fprintf(f, "%-14s %-10s %7lld %14s %14s %14s %6lld\n", "TOTAL", "(all)", (long long)num(t, "meals"),
            yuan(num(t, "gross_fen"), a, sizeof a), yuan(num(t, "subsidy_fen"), b, sizeof b),
            yuan(num(t, "pay_fen"), d, sizeof d), (long long)num(t, "voids"));
    cJSON_ArrayForEach(s, cJSON_GetObjectItem(t, "sources"))
        fprintf(f, "%-14s %-10s %7lld %14s %14s\n", "", str(s, "source"), (long long)num(s, "meals"), "",
                yuan(num(s, "subsidy_fen"), b, sizeof b));
}

/* ---- reconcile ---- */

static void reconcile_csv(const cJSON *r, zc_csvout *w)
{
    static const char *const head[] = {"month", "terminal", "canteen", "status", "held_sales",
                                       "held_subsidy_fen", "held_subsidy_yuan", "closings",
                                       "missing", "problem"};
    const cJSON *t, *y;
    for (size_t i = 0; i < sizeof head / sizeof head[0]; i++)
        zc_csvout_str(w, head[i]);
    zc_csvout_row(w);
    cJSON_ArrayForEach(t, cJSON_GetObjectItem(r, "terminals")) {
        const cJSON *whys = cJSON_GetObjectItem(t, "why");
        int n = cJSON_GetArraySize(whys);
        for (int i = 0; i < (n ? n : 1); i++) { /* one row per problem; one row when none */
            y = cJSON_GetArrayItem(whys, i);
            zc_csvout_str(w, str(r, "month"));
            zc_csvout_str(w, str(t, "id"));
            zc_csvout_str(w, str(t, "canteen"));
            zc_csvout_str(w, str(t, "status"));
            zc_csvout_int(w, num(t, "held_sales"));
            zc_csvout_money(w, num(t, "held_subsidy_fen"));
            zc_csvout_int(w, num(t, "closings"));
            zc_csvout_int(w, num(t, "missing"));
            zc_csvout_str(w, y ? cJSON_GetStringValue(y) : "");
            zc_csvout_row(w);
        }
    }
}

static void reconcile_text(const cJSON *r, FILE *f)
{
    const cJSON *t, *y;
    char a[32];
    fprintf(f, "Reconciliation %s (%s to %s): %lld terminal(s) with problems\n\n", str(r, "month"),
            str(r, "from"), str(r, "to"), (long long)num(r, "problems"));
    fprintf(f, "%-14s %-14s %-9s %8s %14s %8s %8s\n", "terminal", "canteen", "status", "sales",
            "subsidy yuan", "closings", "missing");
    cJSON_ArrayForEach(t, cJSON_GetObjectItem(r, "terminals")) {
        fprintf(f, "%-14s %-14s %-9s %8lld %14s %8lld %8lld\n", str(t, "id"), str(t, "canteen"),
                str(t, "status"), (long long)num(t, "held_sales"),
                yuan(num(t, "held_subsidy_fen"), a, sizeof a), (long long)num(t, "closings"),
                (long long)num(t, "missing"));
        cJSON_ArrayForEach(y, cJSON_GetObjectItem(t, "why"))
            fprintf(f, "    - %s\n", cJSON_GetStringValue(y));
    }
}

/* ---- anomalies ---- */

static const char *const anom_cols[] = {"kind", "date", "time", "sale_id", "elder_id",
                                        "canteen", "terminal", "operator"};
#define ANOM_NCOLS (sizeof anom_cols / sizeof anom_cols[0])

static void anomalies_csv(const cJSON *r, zc_csvout *w)
{
    const cJSON *a;
    for (size_t i = 0; i < ANOM_NCOLS; i++)
        zc_csvout_str(w, anom_cols[i]);
    zc_csvout_str(w, "subsidy_fen");
    zc_csvout_str(w, "subsidy_yuan");
    zc_csvout_str(w, "why");
    zc_csvout_row(w);
    cJSON_ArrayForEach(a, cJSON_GetObjectItem(r, "anomalies")) {
        for (size_t i = 0; i < ANOM_NCOLS; i++)
            zc_csvout_str(w, str(a, anom_cols[i]));
        zc_csvout_money(w, num(a, "subsidy_fen"));
        zc_csvout_str(w, str(a, "why"));
        zc_csvout_row(w);
    }
}

static void anomalies_text(const cJSON *r, FILE *f)
{
    const cJSON *a, *c;
    fprintf(f, "Anomalies %s (%s to %s):", str(r, "month"), str(r, "from"), str(r, "to"));
    cJSON_ArrayForEach(c, cJSON_GetObjectItem(r, "counts"))
        fprintf(f, " %s %lld", c->string, (long long)c->valuedouble);
    fprintf(f, "\n\n%-18s %-16s %-12s %-12s %-10s %-8s\n", "kind", "time", "canteen", "terminal",
            "elder", "operator");
    cJSON_ArrayForEach(a, cJSON_GetObjectItem(r, "anomalies"))
        fprintf(f, "%-18s %-16s %-12s %-12s %-10s %-8s\n    %s\n", str(a, "kind"),
                str(a, "time")[0] ? str(a, "time") : str(r, "month"), str(a, "canteen"),
                str(a, "terminal"), str(a, "elder_id"), str(a, "operator"), str(a, "why"));
}

/* ---- the commands ---- */

typedef enum { R_SETTLEMENT, R_RECONCILE, R_ANOMALIES } report_kind;

/* Opens the database, builds the report and prints it in the format. */
static int run(report_kind k, const char *db, const char *month, const char *canteen, bool ledger,
               int fmt)
{
    central_store *st = NULL;
    cJSON *o = cJSON_CreateObject();
    char *text = NULL;
    zc_err err = {""};
    int rc = CMD_OK, ret;
    if (!o)
        return central_cmd_fail("out of memory");
    if (zc_tz_set(CENTRAL_TZ, &err) != ZC_OK || central_store_open(db, 0, &st, &err) != ZC_OK) {
        rc = central_cmd_fail("%s", err.msg);
        goto out;
    }
    ret = k == R_SETTLEMENT  ? central_report_settlement(st, month, canteen, ledger && fmt == F_JSON,
                                                         o, &err)
          : k == R_RECONCILE ? central_report_reconcile(st, month, o, &err)
                             : central_report_anomalies(st, month, o, &err);
    if (ret) {
        rc = central_cmd_fail("%s", err.msg);
        goto out;
    }
    if (fmt == F_JSON) {
        if (!(text = cJSON_Print(o))) {
            rc = central_cmd_fail("out of memory");
            goto out;
        }
        printf("%s\n", text);
    } else if (fmt == F_CSV) {
        zc_csvout w;
        zc_csvout_begin(&w, stdout);
        if (k == R_SETTLEMENT && ledger) {
            static const char *const head[] = {"sale_id", "time", "canteen", "terminal", "elder_id",
                                               "elder", "rule", "source", "fen", "yuan"};
            ledger_out lo = {&w, NULL};
            for (size_t i = 0; i < sizeof head / sizeof head[0]; i++)
                zc_csvout_str(&w, head[i]);
            zc_csvout_row(&w);
            if (ledger_stream(st, o, &lo, &err) != ZC_OK)
                rc = central_cmd_fail("%s", err.msg);
        } else if (k == R_SETTLEMENT) {
            central_report_settlement_csv(o, &w);
        }
        else if (k == R_RECONCILE)
            reconcile_csv(o, &w);
        else
            anomalies_csv(o, &w);
        if (zc_csvout_finish(&w, "the CSV", &err) != ZC_OK && rc == CMD_OK)
            rc = central_cmd_fail("%s", err.msg);
    } else if (k == R_SETTLEMENT) {
        settlement_text(o, stdout);
        if (ledger) {
            ledger_out lo = {NULL, stdout};
            printf("\n%-16s %-12s %-10s %-12s %-14s %10s  %s\n", "time", "canteen", "elder", "rule",
                   "source", "yuan", "elder name");
            if (ledger_stream(st, o, &lo, &err) != ZC_OK)
                rc = central_cmd_fail("%s", err.msg);
        }
    } else if (k == R_RECONCILE) {
        reconcile_text(o, stdout);
    } else {
        anomalies_text(o, stdout);
    }
    if (rc == CMD_OK && fflush(stdout) != 0)
        rc = central_cmd_fail("could not write the report");
out:
    cJSON_free(text);
    cJSON_Delete(o);
    central_store_close(st);
    return rc;
}

static int parse_format(const char *s, int *fmt)
{
    if (!s || !strcmp(s, "text"))
        *fmt = F_TEXT;
    else if (!strcmp(s, "csv"))
        *fmt = F_CSV;
    else if (!strcmp(s, "json"))
        *fmt = F_JSON;
    else
        return -1;
    return 0;
}

static const char settlement_usage[] =
    "usage: zhucan-central report settlement --db DB --month YYYY-MM [--canteen ID]\n"
    "                                        [--ledger] [--format text|csv|json]\n"
    "The month's subsidy claim per canteen and funding source: meals and subsidy, with\n"
    "gross, paid and voids per canteen and the month's days.  --ledger adds the per-elder\n"
    "ledger behind it (one row per subsidy part of each sale; with --format csv the CSV is\n"
    "then the ledger alone).  Voided sales are left out of every sum.  csv: UTF-8 with a\n"
    "BOM, fen and yuan columns; json: the object described in app/central/creport.h.\n";

static const char reconcile_usage[] =
    "usage: zhucan-central reconcile --db DB --month YYYY-MM [--format text|csv|json]\n"
    "For each terminal, what it said it sold (its daily closings) against what the centre\n"
    "holds: each missing sequence number, each missing closing, each day whose totals\n"
    "differ, each conflict and each chain break, with a sentence per problem.\n";

static const char anomalies_usage[] =
    "usage: zhucan-central anomalies --db DB --month YYYY-MM [--format text|csv|json]\n"
    "What looks wrong in the month, each row saying why: an elder over a limit across\n"
    "canteens (offline double use), the same card at two canteens within 30 minutes,\n"
    "meal-programme sales outside the policy's meal windows, subsidies the centre's\n"
    "re-quote does not give, cashiers voiding far more than the month's median, and the\n"
    "other flags the centre set at ingest (blacklisted or unknown cards ...).\n";

/* Parses the options common to the three reports from argv[first..]. */
static int month_cmd(int argc, char **argv, int first, report_kind k, const char *usage)
{
    const char *db = NULL, *month = NULL, *canteen = NULL, *format = NULL, *pos[1];
    bool ledger = false;
    int npos, fmt;
    zc_opt all[] = {{"--db", &db, NULL},         {"--month", &month, NULL},
                         {"--format", &format, NULL}, {"--canteen", &canteen, NULL},
                         {"--ledger", NULL, &ledger}, {NULL, NULL, NULL}};
    if (k != R_SETTLEMENT)
        all[3] = (zc_opt){NULL, NULL, NULL}; /* --canteen and --ledger are settlement's */
    int rc = central_cmd_parse(argc, argv, first, all, pos, 0, &npos, usage);
    if (rc)
        return rc;
    if (!db || !month)
        return central_cmd_usage(usage, "--db and --month are required");
    if (parse_format(format, &fmt))
        return central_cmd_usage(usage, "--format must be text, csv or json, not \"%s\"", format);
    return run(k, db, month, canteen, ledger, fmt);
}

int central_cmd_settlement(int argc, char **argv)
{
    return month_cmd(argc, argv, 3, R_SETTLEMENT, settlement_usage);
}

int central_cmd_reconcile(int argc, char **argv)
{
    return month_cmd(argc, argv, 2, R_RECONCILE, reconcile_usage);
}

int central_cmd_anomalies(int argc, char **argv)
{
    return month_cmd(argc, argv, 2, R_ANOMALIES, anomalies_usage);
}
