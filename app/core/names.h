/* names.h - the printed names of funding sources and meal periods, once.
 *
 * The receipt, the kiosk, the terminal's reports and the centre's admin page
 * all print these; each asks here, so a new source is one row in names.c.
 * The code itself (e.g. "district") is the English key: JSON and CSV
 * columns carry it as it is. */
#ifndef ZC_CORE_NAMES_H
#define ZC_CORE_NAMES_H

/* Which label of a funding source. */
typedef enum zc_source_form {
    ZC_SOURCE_SHORT, /* "街道": paper, kiosk, terminal reports */
    ZC_SOURCE_LONG,  /* "街道/乡镇": the centre's admin page, which has room */
} zc_source_form;

/* The Chinese label of a funding source code ("district" -> "区级"), or NULL
 * for a code not in the table (callers print the code instead).  Static
 * strings. */
const char *zc_source_name(const char *code, zc_source_form form);

/* The Chinese name of a meal period id ("lunch" -> "午餐", "" -> "非供餐时间"),
 * or NULL for an id not in the table (a policy's own period: callers print
 * the id).  Static strings. */
const char *zc_period_name(const char *id);

#endif
