/* admin_html.h - the operators' read-only web page as HTML, from the month
 * reports of creport.h (cJSON in, HTML out; no database, no HTTP).
 *
 * Every text taken from the data (names, ids, reasons) is escaped; numbers
 * are formatted here (money as yuan "12.50"), moments in the process's time
 * zone (zhucan-central sets CENTRAL_TZ, cmd.h).  Pages are complete documents:
 * lang="zh-CN", UTF-8, inline CSS, inline SVG charts, no scripts and no
 * external resources, so they work under the tight Content-Security-Policy
 * the server sends. */
#ifndef ZC_CENTRAL_ADMIN_HTML_H
#define ZC_CENTRAL_ADMIN_HTML_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../core/buf.h"
#include "../core/err.h"

struct cJSON;

#define CENTRAL_HTML_MAX ((size_t)16 << 20) /* the largest page we send */
#define CENTRAL_ADMIN_ROWS_MAX 2000          /* anomaly rows shown (the rest are counted) */

/* The page is written into a zc_buf (core/buf.h) with a maximum: start it
 * with zc_buf_init(&h, CENTRAL_HTML_MAX), release it with zc_buf_free. */
typedef zc_buf central_html;

/* Appends trusted markup as it is. */
void central_html_raw(central_html *h, const char *s);
/* Appends formatted trusted markup (numbers, constants: never data text). */
void central_html_printf(central_html *h, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Appends text escaped for element content and quoted attributes; NULL is "". */
void central_html_text(central_html *h, const char *s);
/* Hands the text to *out (owned by the caller, free()) with its length; the
 * buffer is empty afterwards.  ZC_ETOOBIG when an append failed. */
int central_html_take(central_html *h, char **out, size_t *len, zc_err *err) ZC_MUST;

/* What the month page shows around the reports. */
typedef struct central_admin_view {
    const char *month;     /* "YYYY-MM" */
    const char *prev;      /* the month before, "YYYY-MM" */
    const char *next;      /* the month after */
    const char *admin;     /* who is signed in */
    const char *role;      /* their role's name on the page */
    const char *csrf;      /* the session's form token (admin.c) */
    const char *generated; /* "YYYY-MM-DD HH:MM" when the page was made */
} central_admin_view;

/* The month page: settlement (totals, per canteen and funding source, a
 * chart per day), reconciliation per terminal and the anomalies, from the
 * three objects central_report_settlement/reconcile/anomalies fill.
 * Missing members show as empty or zero.  *out owned by the caller. */
int central_admin_html_month(const central_admin_view *v, const struct cJSON *settlement,
                             const struct cJSON *reconcile, const struct cJSON *anomalies,
                             char **out, size_t *len, zc_err *err) ZC_MUST;
/* The sign-in form; message (may be NULL) says why the last try failed,
 * name (may be NULL) is put back into the form, csrf is its form token. */
int central_admin_html_login(const char *message, const char *name, const char *csrf, char **out,
                             size_t *len, zc_err *err) ZC_MUST;
/* The document's start (head, styles, <body>) and end, for every page. */
void central_admin_html_open(central_html *h, const char *title);
void central_admin_html_close(central_html *h);
/* The header's right side: the pages, who is signed in with the role's
 * name, and the sign-out form carrying csrf. */
void central_admin_html_who(central_html *h, const char *admin, const char *role, const char *csrf);
/* A short page with a title, a sentence and a link back (href trusted). */
int central_admin_html_message(const char *title, const char *text, const char *href,
                               const char *link_text, char **out, size_t *len, zc_err *err) ZC_MUST;
/* The daily chart of a settlement's "days" (admin_chart.c): meals and
 * subsidy per day as two SVG bar charts. */
void central_admin_chart(central_html *h, const struct cJSON *days);
/* How a funding source code reads on the page ("district" -> "区级"); an
 * unknown code is returned as it is. */
const char *central_admin_source_label(const char *source);

#endif
