/* cstore_console.h - the district console's store (db/central/005_console.sql):
 * account scopes and listings, password changes and resets, trusted
 * browsers (device tokens) and the audit trail.
 *
 * Every function that changes something writes its audit row in the same
 * transaction, so a change without its row cannot be committed.  All
 * functions return ZC_OK or a negative ZC_E* code with err filled (err may
 * be NULL), as everything in cstore.h. */
#ifndef ZC_CENTRAL_CSTORE_CONSOLE_H
#define ZC_CENTRAL_CSTORE_CONSOLE_H

#include "cstore_admin.h"

#define CENTRAL_AUDIT_TEXT_MAX 1024 /* the longest before/after text kept */
#define CENTRAL_AUDIT_PAGE 200      /* rows on one page of the trail */

/* The role and canteens of an account into *out.  ZC_ENOTFOUND (no
 * message) for an unknown one. */
int central_store_admin_scope(central_store *st, const char *name, central_admin_scope *out,
                              zc_err *err) ZC_MUST;

typedef struct central_admin_row {
    char name[CENTRAL_ADMIN_NAME_MAX];
    central_admin_role role;
    char canteens[CENTRAL_ADMIN_CANTEENS * ZC_ID_MAX]; /* "C-0001,C-0002" */
    int failed;           /* wrong passwords in a row */
    int64_t locked_until; /* 0 = not waiting */
    int64_t last_login;   /* 0 = never */
} central_admin_row;

/* Every account, by name; fn's non-zero return stops and is returned. */
int central_store_admin_list(central_store *st, int (*fn)(void *ctx, const central_admin_row *r),
                             void *ctx, zc_err *err) ZC_MUST;

/* Sets the password of name (checked with zc_password_valid), clears its
 * backoff, ends its sessions but the one of keep_token (may be NULL) and
 * forgets its trusted browsers; audited as `action` by actor.
 * ZC_ENOTFOUND (with a message) for an unknown account. */
int central_store_admin_password(central_store *st, const char *actor, const char *action,
                                 const char *name, const char *password, const char *keep_token,
                                 int64_t now, zc_err *err) ZC_MUST;

/* A device token for name into token (the store keeps its SHA-256), for
 * CENTRAL_ADMIN_DEVICE_S; removes expired ones. */
int central_store_admin_device_new(central_store *st, const char *name, int64_t now,
                                   char token[CENTRAL_ADMIN_TOKEN_HEX], zc_err *err) ZC_MUST;
/* ZC_OK when token is a valid device token of name at now; ZC_ENOTFOUND (no
 * message) otherwise. */
int central_store_admin_device_ok(central_store *st, const char *name, const char *token,
                                  int64_t now, zc_err *err) ZC_MUST;

typedef struct central_audit_row {
    int64_t id;
    int64_t at;
    char actor[CENTRAL_ADMIN_NAME_MAX];
    char action[64];
    char target[128];
    char before[CENTRAL_AUDIT_TEXT_MAX];
    char after[CENTRAL_AUDIT_TEXT_MAX];
} central_audit_row;

/* Audit rows newest first, with id below before_id (0 = from the newest),
 * at most limit; fn's non-zero return stops and is returned. */
int central_store_audit_list(central_store *st, int64_t before_id, int limit,
                             int (*fn)(void *ctx, const central_audit_row *r), void *ctx,
                             zc_err *err) ZC_MUST;

#endif
