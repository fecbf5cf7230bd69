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

/* ---- roster files waiting to be applied (cstore_console.c) ---- */

#define CENTRAL_UPLOAD_ID_HEX 33    /* 32 hex digits and NUL */
#define CENTRAL_UPLOAD_S 3600       /* how long a previewed file waits */
#define CENTRAL_UPLOAD_SOURCE_MAX 160

/* Keeps a previewed roster text (UTF-8, len bytes) for admin under a new
 * random id (into id); removes uploads older than CENTRAL_UPLOAD_S. */
int central_store_upload_put(central_store *st, const char *admin, const char *source,
                             const char *text, size_t len, int64_t now,
                             char id[CENTRAL_UPLOAD_ID_HEX], zc_err *err) ZC_MUST;
/* Takes admin's upload id: deletes it and hands its text to *text (owned by
 * the caller, free(); NUL-terminated) and its source.  ZC_ENOTFOUND (no
 * message) when there is none, it is another account's, or it expired. */
int central_store_upload_take(central_store *st, const char *admin, const char *id, int64_t now,
                              char **text, size_t *len, char source[CENTRAL_UPLOAD_SOURCE_MAX],
                              zc_err *err) ZC_MUST;

/* ---- canteens and terminals (cstore_console_sites.c) ---- */

/* A canteen with how many terminals it has. */
typedef struct central_canteen_row {
    zc_canteen c;
    int terminals;  /* not revoked */
} central_canteen_row;

/* Every canteen, by id; fn's non-zero return stops and is returned. */
int central_store_canteen_list(central_store *st, int (*fn)(void *ctx, const central_canteen_row *r),
                               void *ctx, zc_err *err) ZC_MUST;
/* Adds a canteen (central_store_canteen_add) with its audit row. */
int central_store_canteen_add_as(central_store *st, const char *actor, const zc_canteen *c,
                                 int64_t now, zc_err *err) ZC_MUST;
/* Adds a terminal (central_store_terminal_add) with its audit row. */
int central_store_terminal_add_as(central_store *st, const char *actor, const central_terminal *t,
                                  int64_t now, zc_err *err) ZC_MUST;
/* Revokes a terminal: no token opens the sync API for it any more.
 * ZC_ENOTFOUND (with a message) for an unknown one; a revoked one stays so. */
int central_store_terminal_revoke(central_store *st, const char *actor, const char *id, int64_t now,
                                  zc_err *err) ZC_MUST;

/* A terminal's health as the centre sees it. */
typedef struct central_terminal_health {
    char id[ZC_ID_MAX];
    char canteen_id[ZC_ID_MAX];
    char card_format[16];
    int64_t created, last_seen, revoked; /* epoch s; 0 = never */
    int64_t sales, max_seq, missing;     /* held sales, highest seq, seqs below it not held */
    int64_t chain_breaks, conflicts, rejected;
    int64_t last_sale_lag;               /* received - made, of its newest sale (s); 0 = none */
    char last_closing[11];               /* the last day it closed, "" = none */
} central_terminal_health;

/* Every terminal, by canteen and id; fn's non-zero return stops and is returned. */
int central_store_terminal_health(central_store *st,
                                  int (*fn)(void *ctx, const central_terminal_health *h), void *ctx,
                                  zc_err *err) ZC_MUST;

/* ---- the roster on the page (cstore_console_roster.c) ---- */

#define CENTRAL_FIND_MAX 50 /* elders one search lists */

/* An elder as the search lists it. */
typedef struct central_found_elder {
    char id[ZC_ID_MAX];
    char name[ZC_NAME_MAX];
    char birth[11];                 /* "YYYY-MM-DD" */
    char id_last4[5];
    char phone[24];
    char categories[128];
    char status[12];                /* active | suspended | deceased */
    central_card cards[ZC_ROSTER_MAX_CARDS];
    int ncards;
} central_found_elder;

/* Elders whose name contains q, whose ID number ends in q (4 characters),
 * who hold card q (10 hex digits, any case) or whose id is q; at most
 * CENTRAL_FIND_MAX, by name.  fn's non-zero return stops and is returned. */
int central_store_elder_find(central_store *st, const char *q,
                             int (*fn)(void *ctx, const central_found_elder *e), void *ctx,
                             zc_err *err) ZC_MUST;

/* Sets a card's status (active | lost | blocked) and audits it as actor's;
 * terminals pull the change with their next roster page.  ZC_ENOTFOUND
 * (with a message) for an unknown card; an unchanged status is ZC_OK and
 * writes nothing. */
int central_store_card_status(central_store *st, const char *actor, const char *uid,
                              const char *status, int64_t now, zc_err *err) ZC_MUST;

/* 补卡: gives the elder of card old_uid the new card new_uid (active, the
 * old one's expiry) and marks the old one lost, in one transaction, audited.
 * ZC_ENOTFOUND for an unknown old card, ZC_ECONFLICT (naming its holder)
 * when the new card is on the roster already. */
int central_store_card_replace(central_store *st, const char *actor, const char *old_uid,
                               const char *new_uid, int64_t now, zc_err *err) ZC_MUST;

#endif
