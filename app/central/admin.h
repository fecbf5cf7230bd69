/* admin.h - the operators' read-only web page under /admin, apart from
 * HTTP: server.c hands every /admin request here (with a bounded body and
 * a database connection) and sends back what this fills in.  Nothing here
 * knows libmicrohttpd.
 *
 * Routes (every POST needs this site's Origin and the form's csrf token):
 *   GET  /admin/login              the sign-in form
 *   POST /admin/login              user + password (form-urlencoded) -> session cookie, 303
 *   GET  /admin/link?t=TOKEN       a one-time sign-in link -> session cookie, 303
 *   POST /admin/logout             ends the session, 303 to the form
 *   GET  /admin/?month=YYYY-MM     the month's settlement, reconciliation, anomalies
 *   GET  /admin/settlement.csv?month=YYYY-MM
 *   the console's pages (console.c): /admin/accounts, /admin/password,
 *   /admin/audit
 * Without a valid session a GET is sent to the form (303) and anything else
 * gets 401.  A manager sees only their canteens; an auditor changes
 * nothing.  Terminal tokens mean nothing here and a session cookie means
 * nothing to the sync API. */
#ifndef ZC_CENTRAL_ADMIN_H
#define ZC_CENTRAL_ADMIN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "cstore.h"
#include "cstore_admin.h"

#define CENTRAL_ADMIN_BODY_MAX 4096          /* the forms are small */
#define CENTRAL_ADMIN_UPLOAD_MAX ((size_t)8 << 20) /* a roster file (POST /admin/roster) */
#define CENTRAL_ADMIN_COOKIE "zhucan_admin" /* the session cookie's name */
#define CENTRAL_ADMIN_LOGIN_COOKIE "zhucan_login"   /* the sign-in form's token */
#define CENTRAL_ADMIN_DEVICE_COOKIE "zhucan_device" /* a trusted browser (cstore_console.h) */
#define CENTRAL_ADMIN_HEADERS 10

typedef struct central_admin_request {
    const char *method;
    const char *path; /* without the query string */
    /* lookups by name, NULL when absent: a request header, a cookie, a
     * query argument */
    const char *(*header)(void *ctx, const char *name);
    const char *(*cookie)(void *ctx, const char *name);
    const char *(*arg)(void *ctx, const char *name);
    void *ctx;
    const char *body; /* NUL-terminated, may be NULL */
    size_t len;
    bool tls;         /* served over HTTPS: cookies get Secure */
    const char *peer; /* the client's address as text, for the sign-in brake (may be NULL) */
    int64_t now;      /* epoch seconds */
    int claim_day;    /* 1..28: before this day the page opens on last month (0 = 10) */
} central_admin_request;

typedef struct central_admin_header {
    const char *name; /* a constant */
    char value[320];
} central_admin_header;

typedef struct central_admin_response {
    int status;
    char *body;  /* owned (free()); NULL (len 0) only when memory ran out */
    size_t len;
    central_admin_header headers[CENTRAL_ADMIN_HEADERS]; /* Content-Type and the rest */
    int nheaders;
    char who[CENTRAL_ADMIN_NAME_MAX]; /* the signed-in admin, for the log ("" = none) */
} central_admin_response;

/* Whether a request path belongs to the admin page ("/admin" or below). */
bool central_admin_path(const char *path);
/* Answers a request; fills rs (the caller frees rs->body). */
void central_admin_handle(central_store *st, const central_admin_request *rq,
                          central_admin_response *rs);
/* The month the page opens on when none is asked for.  An operator who
 * comes early in the month is there for last month's claim: before
 * claim_day (1..28; 0 means CENTRAL_ADMIN_CLAIM_DAY) it is the previous
 * month, from that day on the current one. */
#define CENTRAL_ADMIN_CLAIM_DAY 10
void central_admin_default_month(int today_y, int today_m, int today_d, int claim_day, int *y,
                                 int *m);
/* The largest body a request to path may send: CENTRAL_ADMIN_UPLOAD_MAX
 * for the roster upload, CENTRAL_ADMIN_BODY_MAX for everything else. */
size_t central_admin_body_max(const char *path);
/* The 413 answer for a body over central_admin_body_max. */
void central_admin_too_big(central_admin_response *rs);

#endif
