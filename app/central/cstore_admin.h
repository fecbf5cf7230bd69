/* cstore_admin.h - the admin accounts of the operators' web page and their
 * sessions, in the centre's store (db/central/003_admin.sql).
 *
 * Accounts have an argon2id password (zc_password_*); five wrong passwords
 * in a row lock an account for five minutes, kept in the row so that a
 * restart does not lift it.  Tokens (session cookies and one-time sign-in
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
#define CENTRAL_ADMIN_LOCK_S 300       /* how long the lock lasts */
#define CENTRAL_ADMIN_SESSION_S (8 * 3600)
#define CENTRAL_ADMIN_LINK_MAX_S 3600  /* the longest a sign-in link may live */

typedef enum central_admin_token_kind {
    CENTRAL_ADMIN_SESSION = 0, /* a session cookie */
    CENTRAL_ADMIN_LINK,        /* a one-time sign-in link */
} central_admin_token_kind;

/* Whether name is a valid admin name. */
bool central_admin_name_ok(const char *name);

/* Adds an account with the argon2id hash of password (checked with
 * zc_password_valid) at time now.  ZC_ECONFLICT when the name exists. */
int central_store_admin_add(central_store *st, const char *name, const char *password, int64_t now,
                            zc_err *err) ZC_MUST;

/* Checks a password at time now and counts the attempt.  ZC_OK when right;
 * ZC_EREFUSED for a wrong password or an unknown name (the same message and
 * about the same time, so names cannot be guessed); ZC_ELOCKED while the
 * account is locked, *until (may be NULL) then says until when. */
int central_store_admin_login(central_store *st, const char *name, const char *password,
                              int64_t now, int64_t *until, zc_err *err) ZC_MUST;

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
