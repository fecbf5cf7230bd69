/* cstore_admin.h - the admin accounts of the operators' web page and their
 * sessions, in the centre's store (db/central/003_admin.sql).
 *
 * Accounts have an argon2id password (zc_password_*) and a role
 * (db/central/005_console.sql).  Five wrong passwords in a row start a
 * backoff of the account (30 s, doubling with each further wrong one, at
 * most 15 minutes; console_throttle.h), kept in the row so that a restart
 * does not lift it; it does not hold a browser that carries the account's
 * device token (a right password there before).  Tokens (session cookies and one-time sign-in
 * links) are 32 random bytes as hex; only their SHA-256 is stored, with an
 * expiry.  These are the only writes the admin page makes.
 *
 * All functions return ZC_OK or a negative ZC_E* code with err filled (err
 * may be NULL), as everything in cstore.h. */
#ifndef ZC_CENTRAL_CSTORE_ADMIN_H
#define ZC_CENTRAL_CSTORE_ADMIN_H

#include <stdint.h>

#include "cstore.h"

#define CENTRAL_ADMIN_NAME_MAX 48      /* 1 to 47 of [A-Za-z0-9_.-] and NUL */
#define CENTRAL_ADMIN_TOKEN_HEX 65     /* 64 hex digits and NUL */
#define CENTRAL_ADMIN_MAX_WRONG 5      /* wrong passwords in a row before a lock */
#define CENTRAL_ADMIN_LOCK_S 30        /* the first backoff; each further wrong password doubles it */
#define CENTRAL_ADMIN_DEVICE_S (90 * 86400) /* how long a browser stays trusted */
#define CENTRAL_ADMIN_CANTEENS 16      /* canteens one manager may hold */
#define CENTRAL_ADMIN_SESSION_S (8 * 3600)
#define CENTRAL_ADMIN_LINK_MAX_S 3600  /* the longest a sign-in link may live */

typedef enum central_admin_token_kind {
    CENTRAL_ADMIN_SESSION = 0, /* a session cookie */
    CENTRAL_ADMIN_LINK,        /* a one-time sign-in link */
} central_admin_token_kind;

typedef enum central_admin_role {
    CENTRAL_ROLE_DISTRICT = 0, /* the district's office: everything */
    CENTRAL_ROLE_MANAGER,      /* a canteen's manager: its own canteens only */
    CENTRAL_ROLE_AUDITOR,      /* reads everything, changes nothing */
    CENTRAL_ROLE_COUNT
} central_admin_role;

/* What an account may see: its role and, for a manager, its canteens. */
typedef struct central_admin_scope {
    central_admin_role role;
    char canteens[CENTRAL_ADMIN_CANTEENS][ZC_ID_MAX];
    int ncanteens;
} central_admin_scope;

/* Whether name is a valid admin name. */
bool central_admin_name_ok(const char *name);
/* A role's code as stored ("district", "manager", "auditor") and its
 * Chinese name on the page; the one table of roles. */
const char *central_admin_role_code(central_admin_role r);
const char *central_admin_role_label(central_admin_role r);
/* The role of a code; false for anything else. */
bool central_admin_role_parse(const char *code, central_admin_role *out);
/* Whether the scope may see canteen id (district and auditor see all). */
bool central_admin_scope_has(const central_admin_scope *sc, const char *canteen);

/* Adds an account with the argon2id hash of password (checked with
 * zc_password_valid), the role and canteens of scope (NULL: district), at
 * time now, and audits it as done by actor ("cli" for the command line).
 * A manager needs 1 to CENTRAL_ADMIN_CANTEENS canteens that exist, the
 * others none.  ZC_ECONFLICT when the name exists. */
int central_store_admin_add(central_store *st, const char *actor, const char *name,
                            const char *password, const central_admin_scope *scope, int64_t now,
                            zc_err *err) ZC_MUST;

/* Checks a password at time now and counts the attempt.  ZC_OK when right;
 * ZC_EREFUSED for a wrong password or an unknown name (the same message and
 * about the same time, so names cannot be guessed); ZC_ELOCKED while the
 * account is in its backoff and the browser is not trusted (trusted: it
 * holds the account's device token), *until (may be NULL) then says until
 * when. */
int central_store_admin_login(central_store *st, const char *name, const char *password,
                              bool trusted, int64_t now, int64_t *until, zc_err *err) ZC_MUST;

/* Creates a token of that kind for the account, valid for lifetime_s from
 * now, into token (shown once; the store keeps its SHA-256).  Removes
 * expired tokens.  ZC_ENOTFOUND (with a message) for an unknown account. */
int central_store_admin_token_new(central_store *st, const char *name,
                                  central_admin_token_kind kind, int64_t now, int lifetime_s,
                                  char token[CENTRAL_ADMIN_TOKEN_HEX], zc_err *err) ZC_MUST;

/* The account of a valid, unexpired session token into name.
 * ZC_ENOTFOUND (no message) when the token is unknown, expired, malformed
 * or a link. */
int central_store_admin_session(central_store *st, const char *token, int64_t now,
                                char name[CENTRAL_ADMIN_NAME_MAX], zc_err *err) ZC_MUST;

/* Uses a one-time sign-in link: deletes it and, when it was valid, puts its
 * account into name.  ZC_ENOTFOUND (no message) when it is unknown, used,
 * expired or malformed. */
int central_store_admin_link_use(central_store *st, const char *token, int64_t now,
                                 char name[CENTRAL_ADMIN_NAME_MAX], zc_err *err) ZC_MUST;

/* Ends a session (logout); an unknown token is fine. */
int central_store_admin_token_end(central_store *st, const char *token, zc_err *err) ZC_MUST;

#endif
