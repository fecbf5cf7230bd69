/* console_html.h - the district console's pages as HTML (accounts, the
 * password form, the audit trail): rows in, a complete page out, every
 * text from data escaped (admin_html.h's central_html), every form with
 * the session's csrf token.  No database, no HTTP. */
#ifndef ZC_CENTRAL_CONSOLE_HTML_H
#define ZC_CENTRAL_CONSOLE_HTML_H

#include <stdbool.h>

#include "admin_html.h"
#include "cstore_console.h"

/* Who is looking, for the header and for which forms to show. */
typedef struct console_view {
    const char *admin;  /* signed-in name */
    const char *role;   /* the role's name on the page */
    const char *csrf;   /* the form token */
    bool can_change;    /* district admin: the forms that change things */
    const char *msg;    /* an error to show (NULL: none) */
    const char *note;   /* a success to show (NULL: none) */
    int64_t now;        /* for "waiting until" */
} console_view;

/* The frame of every console page: document, header, message or note ... */
void console_html_top(central_html *h, const console_view *v, const char *title);
/* ... and its end, handing the page to *out (owned by the caller). */
int console_html_bottom(central_html *h, char **out, size_t *len, zc_err *err) ZC_MUST;
/* The hidden form-token field every form carries. */
void console_html_csrf(central_html *h, const console_view *v);
/* A moment as local "YYYY-MM-DD HH:MM" (the process zone). */
void console_html_moment(central_html *h, int64_t t);

/* The accounts: a table of rows[0..n) and, with can_change, the form to
 * add one and a reset form per account (form values put back from `form`,
 * may be NULL). */
typedef struct console_account_form {
    const char *name, *role, *canteens; /* as typed */
} console_account_form;
int console_html_accounts(const console_view *v, const central_admin_row *rows, int n,
                          const console_account_form *form, char **out, size_t *len,
                          zc_err *err) ZC_MUST;
/* The form to change one's own password. */
int console_html_password(const console_view *v, char **out, size_t *len, zc_err *err) ZC_MUST;
/* The audit trail: rows[0..n) newest first; older (0 = none) is the id to
 * continue from on the next page. */
int console_html_audit(const console_view *v, const central_audit_row *rows, int n, int64_t older,
                       char **out, size_t *len, zc_err *err) ZC_MUST;

/* The roster search (q as typed, may be NULL) and its elders[0..n), each
 * with its cards; with can_change the card forms (挂失, 解除挂失, 补卡). */
int console_html_elders(const console_view *v, const char *q, const central_found_elder *elders,
                        int n, char **out, size_t *len, zc_err *err) ZC_MUST;

/* The roster upload page: the form, and after an upload its preview. */
typedef struct console_roster_view {
    const char *msg, *note;  /* an error / a success (NULL: none) */
    const char *filename;    /* as uploaded ("" or NULL: no preview) */
    const char *encoding;    /* "UTF-8" or "GBK" */
    long rows, changed;      /* rows read, elders that would change */
    const char *problems;    /* "line N: field: reason" lines (NULL: none) */
    const char *first;       /* the first problem, said in a sentence */
    char id[CENTRAL_UPLOAD_ID_HEX]; /* the kept upload to apply ("" = none) */
} console_roster_view;
int console_html_roster(const console_view *v, const console_roster_view *r, char **out,
                        size_t *len, zc_err *err) ZC_MUST;

/* The canteens and terminals page (console_sites_html.c): canteens[0..nc),
 * terminals[0..nt) with their health; with can_change the forms to add a
 * canteen and a terminal and to revoke one; token (may be NULL) is a new
 * terminal's token, shown this once. */
typedef struct console_sites_view {
    const central_canteen_row *canteens;
    int ncanteens;
    const central_terminal_health *terminals;
    int nterminals;
    const char *new_terminal, *token; /* a terminal just added and its token */
} console_sites_view;
int console_html_sites(const console_view *v, const console_sites_view *sv, char **out, size_t *len,
                       zc_err *err) ZC_MUST;

#endif
