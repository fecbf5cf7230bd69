/* admin_int.h - private to the /admin page's files (admin.c, console*.c):
 * building a response, reading a form, and who is signed in. */
#ifndef ZC_CENTRAL_ADMIN_INT_H
#define ZC_CENTRAL_ADMIN_INT_H

#include "admin.h"
#include "cstore_console.h"

#define ADMIN_HTML_TYPE "text/html; charset=utf-8"

/* Who a request comes from, once its session is checked. */
typedef struct admin_session {
    char who[CENTRAL_ADMIN_NAME_MAX];     /* the account */
    central_admin_scope scope;            /* its role and canteens */
    char csrf[CENTRAL_ADMIN_TOKEN_HEX];   /* the form token every POST must carry */
    const char *token;                    /* the session cookie (borrowed from the request) */
} admin_session;

/* Adds a header (dropped past CENTRAL_ADMIN_HEADERS). */
void admin_add_header(central_admin_response *rs, const char *name, const char *value);
/* Starts a response: status, type and the headers every answer carries. */
void admin_start(central_admin_response *rs, int status, const char *type);
/* Takes a rendered body (ret 0) or answers a plain-text 500 with err. */
void admin_body(central_admin_response *rs, int ret, char *text, size_t len, const zc_err *err);
/* A short page: a title, a sentence and a link back (href trusted). */
void admin_message(central_admin_response *rs, int status, const char *title, const char *text,
                   const char *href, const char *link_text);
/* A 303 to a path of ours (a constant). */
void admin_redirect(central_admin_response *rs, const char *to);
/* Decodes the form field `name` of an x-www-form-urlencoded body into out
 * (n bytes).  False when absent, malformed, holding a NUL or longer than n-1. */
bool admin_form_field(const char *body, size_t len, const char *name, char *out, size_t n);
/* Whether the request's Content-Type is a form (x-www-form-urlencoded). */
bool admin_form_type(const central_admin_request *rq);

/* Checks a password (central_store_admin_login) with the process's one
 * argon2 gate held, waiting a few seconds for it at most: ZC_ELOCKED with
 * *busy set when it stayed shut. */
int admin_check_password(central_store *st, const char *name, const char *password, bool trusted,
                         int64_t now, int64_t *until, bool *busy, zc_err *err) ZC_MUST;

/* The console's pages (console.c): accounts, password, audit.  False when
 * the path is none of them (the caller answers 404). */
bool console_route(central_store *st, const central_admin_request *rq, central_admin_response *rs,
                   const admin_session *s);
/* The roster pages (console_roster.c): elders, card status, 补卡.  False
 * when the path is none of them. */
bool console_roster_route(central_store *st, const central_admin_request *rq,
                          central_admin_response *rs, const admin_session *s);
/* The canteens and terminals pages (console_sites.c).  False when the path
 * is none of them. */
bool console_sites_route(central_store *st, const central_admin_request *rq,
                         central_admin_response *rs, const admin_session *s);
/* The roster upload pages (console_upload.c).  False when the path is none
 * of them. */
bool console_upload_route(central_store *st, const central_admin_request *rq,
                          central_admin_response *rs, const admin_session *s);
/* The part `name` of a multipart/form-data body: *data points into the
 * body, *len bytes; its filename (may be NULL) into filename.  False when
 * the request is not multipart or has no such part. */
bool console_multipart_part(const central_admin_request *rq, const char *name, const char **data,
                            size_t *len, char *filename, size_t fn_n);
/* A roster file's bytes as UTF-8 text into *out (owned, NUL-terminated):
 * a UTF-8 BOM dropped, strictly valid UTF-8 kept, anything else converted
 * from GBK (GB18030); *encoding "UTF-8" or "GBK".  ZC_EINVAL (with a
 * Chinese message) for a NUL byte or a file that is neither. */
int console_roster_text(const char *in, size_t n, char **out, size_t *out_len, const char **encoding,
                        zc_err *err) ZC_MUST;
/* Keeps in the reconciliation and anomalies only the terminals and rows
 * of one canteen, and recounts their totals (a manager sees no other). */
void console_only_canteen(const char *canteen, struct cJSON *recon, struct cJSON *anom);

#endif
