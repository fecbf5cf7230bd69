/* cmd_report.c - `zhucan report shift|daily|monthly|ledger|unsent`: the
 * terminal's reports on stdout as text, CSV (Excel/WPS-ready) or JSON.
 * The numbers come from app/store/report.c, the same the kiosk shows. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "../core/clock.h"
#include "../till/report_fmt.h"
#include "cli.h"

static const char report_usage[] =
    "usage: zhucan report KIND --db DB [--date YYYY-MM-DD | --month YYYY-MM |\n"
    "                                   --from YYYY-MM-DD --to YYYY-MM-DD]\n"
    "                                  [--shift ID] [--format text|csv|json]\n"
    "\n"
    "KIND is one of\n"
    "  shift    the Z report of a shift (--shift ID; default the open one, else the last)\n"
    "  daily    a day by meal period, subsidy rule and funding source: meals, gross,\n"
    "           subsidy, paid by cash and mobile, voids (--date, default today;\n"
    "           --from/--to adds a line per day)\n"
    "  monthly  the same for a month (--month, default this month)\n"
    "  ledger   the subsidy ledger a claim is built from: one line per sale, rule and\n"
    "           funding source, elder masked (--date, --month or --from/--to)\n"
    "  unsent   sales and voids the centre has not acknowledged, and those it refused\n"
    "           with its reason\n"
    "\n"
    "Voided sales are never in the sums; they are counted as voids.  Dates are the\n"
    "terminal's local dates (setting tz).  CSV is UTF-8 with a byte-order mark, one\n"
    "header row, amounts in fen and in yuan; JSON amounts are fen.\n";

/* Parses "YYYY-MM" into the first of that month. */
static int parse_month(const char *s, zc_date *out)
{
    char buf[16];
    if (strlen(s) != 7 || snprintf(buf, sizeof buf, "%s-01", s) >= (int)sizeof buf)
        return ZC_EINVAL;
    return zc_date_parse(buf, out);
}

static int bad_date(const char *opt, const char *val)
{
    return cli_usage(report_usage, "%s '%s' is not a date (YYYY-MM-DD%s)", opt, val,
                     strcmp(opt, "--month") == 0 ? ", or YYYY-MM for --month" : "");
}

int cmd_report(int argc, char **argv)
{
    const char *db = NULL, *date = NULL, *month = NULL, *from_s = NULL, *to_s = NULL, *shift_s = NULL;
    const char *fmt_s = "text", *pos[1];
    int npos, rc = CLI_FAIL, ret;
    store_t *st = NULL;
    store_report *r = NULL;
    till_report_fmt fmt;
    zc_date from = {0}, to = {0};
    char tz[64];
    zc_err err = {{0}};
    const zc_opt opts[] = {{"--db", &db, NULL},         {"--date", &date, NULL},   {"--month", &month, NULL},
                            {"--from", &from_s, NULL},   {"--to", &to_s, NULL},     {"--shift", &shift_s, NULL},
                            {"--format", &fmt_s, NULL},  {NULL, NULL, NULL}};
    /* KIND comes first; without it the options (--help) start at argv[2] */
    bool have_kind = argc > 2 && argv[2][0] != '-';
    int prc = cli_parse(argc, argv, have_kind ? 3 : 2, opts, pos, 0, &npos, report_usage);
    if (prc)
        return prc;
    if (!have_kind)
        return cli_usage(report_usage, "say which report: shift, daily, monthly, ledger or unsent");
    const char *kind = argv[2];
    bool k_shift = strcmp(kind, "shift") == 0, k_daily = strcmp(kind, "daily") == 0,
         k_monthly = strcmp(kind, "monthly") == 0, k_ledger = strcmp(kind, "ledger") == 0,
         k_unsent = strcmp(kind, "unsent") == 0;
    if (!k_shift && !k_daily && !k_monthly && !k_ledger && !k_unsent)
        return cli_usage(report_usage, "unknown report '%s'", kind);
    if (!db)
        return cli_usage(report_usage, "--db is required");
    if (till_report_fmt_parse(fmt_s, &fmt, &err) != ZC_OK)
        return cli_usage(report_usage, "%s", err.msg);
    if ((from_s != NULL) != (to_s != NULL))
        return cli_usage(report_usage, "--from and --to go together");
    if ((date != NULL) + (month != NULL) + (from_s != NULL) > 1)
        return cli_usage(report_usage, "give one of --date, --month or --from/--to");
    if (date && zc_date_parse(date, &from) != ZC_OK)
        return bad_date("--date", date);
    if (month && parse_month(month, &from) != ZC_OK)
        return bad_date("--month", month);
    if (from_s && zc_date_parse(from_s, &from) != ZC_OK)
        return bad_date("--from", from_s);
    if (to_s && zc_date_parse(to_s, &to) != ZC_OK)
        return bad_date("--to", to_s);

    if (store_open(db, STORE_READONLY, &st, &err) != ZC_OK) {
        cli_fail("%s", err.msg);
        goto out;
    }
    if (store_meta_get(st, "tz", tz, sizeof tz) == ZC_OK && zc_tz_set(tz, &err) != ZC_OK) {
        cli_fail("%s", err.msg);
        goto out;
    }
    /* the range: what was given, else today or this month */
    if (!zc_date_is_set(from))
        from = zc_tz_local(zc_now()).date;
    if (!to_s) {
        to = from;
        if (k_monthly || month)
            store_report_month(from, &from, &to);
    }

    if (k_shift) {
        int64_t id = 0;
        store_shift sh;
        store_zreport z;
        if (shift_s) {
            char *end;
            long long v = strtoll(shift_s, &end, 10);
            if (!*shift_s || *end || v < 1) {
                rc = cli_usage(report_usage, "--shift '%s' is not a shift number", shift_s);
                goto out;
            }
            id = v;
        }
        ret = store_report_shift_get(st, id, &sh, &err);
        if (ret == ZC_OK)
            ret = store_shift_report(st, &sh, zc_now(), &z, &err);
        if (ret == ZC_OK)
            ret = till_report_write_shift(&z, fmt, stdout, &err);
    } else if (k_ledger) {
        ret = till_report_write_ledger(st, from, to, fmt, stdout, &err);
    } else if (k_unsent) {
        ret = till_report_write_unsent(st, fmt, stdout, &err);
    } else {
        r = malloc(sizeof *r);
        ret = r ? store_report_range(st, from, to, r, &err) : zc_errf(&err, ZC_ENOMEM, "out of memory");
        if (ret == ZC_OK)
            ret = till_report_write(r, k_monthly ? "月报" : "日报", fmt, stdout, &err);
    }
    if (ret != ZC_OK) {
        cli_fail("%s", err.msg);
        goto out;
    }
    rc = CLI_OK;
out:
    free(r);
    store_close(st);
    return rc;
}
