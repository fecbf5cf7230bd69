/* secure.h - hashes, ids and PINs (libsodium underneath).
 * zc_secure_init must be called once (it is cheap and idempotent). */
#ifndef ZC_SECURE_H
#define ZC_SECURE_H

#include <stddef.h>

#include "err.h"

#define ZC_UUID_LEN 37      /* 36 chars + NUL */
#define ZC_SHA256_HEX 65    /* 64 hex + NUL */
#define ZC_PIN_HASH_MAX 128 /* argon2id encoded string */

int zc_secure_init(void) ZC_MUST;

/* Random version-4 UUID, lower-case "xxxxxxxx-xxxx-4xxx-yxxx-xxxxxxxxxxxx". */
void zc_uuid4(char out[ZC_UUID_LEN]);
/* SHA-256 of data as lower-case hex. */
void zc_sha256_hex(const void *data, size_t len, char out[ZC_SHA256_HEX]);
/* Keyed BLAKE2b-256 of an ID number (upper-cased) with the deployment salt,
 * as hex: how ID numbers are stored instead of in clear. */
void zc_idnum_hash(const char *salt, const char *idnum, char out[ZC_SHA256_HEX]);
/* Random bytes as hex (n bytes -> 2n chars + NUL in out). */
void zc_random_hex(int n, char *out);

/* PINs: 4 to 8 digits.  Hash with argon2id (memory-hard). */
int zc_pin_valid(const char *pin, zc_err *err) ZC_MUST;
/* A new PIN for an operator: zc_pin_valid, at least min_digits (4..8), and
 * not one a bystander guesses first: one digit repeated (000000), a run up
 * or down (123456, 654321, 7890), or two digits alternating (121212).  The
 * message says which rule and never repeats the PIN. */
int zc_pin_policy(const char *pin, int min_digits, zc_err *err) ZC_MUST;
int zc_pin_hash(const char *pin, char out[ZC_PIN_HASH_MAX], zc_err *err) ZC_MUST;
/* ZC_OK when pin matches, ZC_EREFUSED when not. */
int zc_pin_verify(const char *hash, const char *pin) ZC_MUST;

/* Passwords (the centre's admin page): ZC_PASSWORD_MIN to ZC_PASSWORD_MAX
 * bytes of UTF-8 without control characters; argon2id like PINs. */
#define ZC_PASSWORD_MIN 10
#define ZC_PASSWORD_MAX 128
int zc_password_valid(const char *pw, zc_err *err) ZC_MUST;
int zc_password_hash(const char *pw, char out[ZC_PIN_HASH_MAX], zc_err *err) ZC_MUST;
/* ZC_OK when pw matches, ZC_EREFUSED when not (or pw is not valid),
 * ZC_EINVAL when hash is not an argon2id string. */
int zc_password_verify(const char *hash, const char *pw) ZC_MUST;

#endif
