/* report_fmt.h - the terminal's reports (store/report.h, store/shift.h) as
 * text, CSV or JSON, and their export as CSV files into a folder (a USB
 * stick).  The store computes the numbers; every label and layout is here,
 * used by the command line (cli/cmd_report.c) and the kiosk (ui/kiosk_report.c).
 *
 * CSV goes through the shared writer (core/csvout.h): UTF-8 with a BOM,
 * CRLF, a header row, each amount twice (fen, then yuan "12.50"), so Excel
 * and WPS open it with the Chinese intact and no locale can change a
 * number.  JSON carries fen only.  Text is for a person at a terminal. */
#ifndef ZC_TILL_REPORT_FMT_H
#define ZC_TILL_REPORT_FMT_H

#include "../store/report.h"

typedef enum till_report_fmt {
    TILL_FMT_TEXT = 0,
    TILL_FMT_CSV,
    TILL_FMT_JSON,
} till_report_fmt;

#define TILL_EXPORT_PATH 512 /* bytes of one written file's path */
#define TILL_EXPORT_FILES 4  /* files one export writes at most */

/* Parses "text" | "csv" | "json"; ZC_EINVAL naming the word otherwise. */
int till_report_fmt_parse(const char *s, till_report_fmt *out, zc_err *err) ZC_MUST;

/* Chinese names for a funding source code (city -> 市级) and a meal period
 * id (lunch -> 午餐); the code itself when unknown.  Static strings. */
const char *till_report_source_name(const char *code);
const char *till_report_period_name(const char *id);

/* Writes a day's or a month's report (title says which: "日报" ...) to f;
 * ZC_EIO when a write fails (a full disk). f is borrowed. */
int till_report_write(const store_report *r, const char *title, till_report_fmt fmt, FILE *f,
                       zc_err *err) ZC_MUST;
/* Writes the subsidy ledger of from..to to f. */
int till_report_write_ledger(store_t *st, zc_date from, zc_date to, till_report_fmt fmt, FILE *f,
                              zc_err *err) ZC_MUST;
/* Writes the sales and voids the centre has not acknowledged, held ones
 * with the centre's reason. */
int till_report_write_unsent(store_t *st, till_report_fmt fmt, FILE *f, zc_err *err) ZC_MUST;
/* Writes a shift's Z report (shift.h). */
int till_report_write_shift(const store_zreport *z, till_report_fmt fmt, FILE *f, zc_err *err) ZC_MUST;

/* What an export covers: a day or a month (summary and ledger CSVs), or a
 * shift's Z report. */
typedef struct till_export_req {
    const store_report *r;      /* the day or month; NULL for a shift */
    bool month;                 /* r is a month */
    const store_zreport *z;     /* the shift, when r is NULL */
    const char *terminal_id;    /* goes into the file names */
} till_export_req;

/* Writes the CSVs of req into the folder dir, each through a temporary
 * file renamed into place (a pulled stick leaves no half file under the
 * real name).  files[0..*n) are the paths written, in order, even when a
 * later one failed; the error names the file and why (folder gone, disk
 * full, read-only). */
int till_report_export(store_t *st, const till_export_req *req, const char *dir,
                        char files[TILL_EXPORT_FILES][TILL_EXPORT_PATH], int *n, zc_err *err) ZC_MUST;

#endif
