/* secure.c - ids, hashes and PINs on top of libsodium.
 *
 * PIN hashes are argon2id strings from crypto_pwhash_str with the INTERACTIVE
 * limits (2 passes, 64 MiB): measured at about 0.07 s per hash on the
 * development machine, under the 0.3 s a cashier would notice at login.  The
 * parameters live in the encoded string, so lighter or heavier settings can
 * be chosen later without breaking stored hashes.
 *
 * ID numbers are stored as keyed BLAKE2b-256: the key is BLAKE2b-256 of the
 * deployment salt (any length), so a leaked terminal database does not give
 * away ID numbers without the salt, and equal numbers still match. */
#include "secure.h"

#include <sodium.h>
#include <stdbool.h>
#include <string.h>

#include "card.h"

#define PIN_MIN 4
#define PIN_MAX 8
#define PIN_OPS crypto_pwhash_OPSLIMIT_INTERACTIVE
#define PIN_MEM crypto_pwhash_MEMLIMIT_INTERACTIVE

_Static_assert(crypto_pwhash_STRBYTES <= ZC_PIN_HASH_MAX, "argon2id string fits");
_Static_assert(crypto_hash_sha256_BYTES * 2 + 1 == ZC_SHA256_HEX, "sha256 hex size");

int zc_secure_init(void)
{
    return sodium_init() < 0 ? ZC_EIO : ZC_OK;
}

void zc_uuid4(char out[ZC_UUID_LEN])
{
    unsigned char b[16];
    char hex[33];
    randombytes_buf(b, sizeof b);
    b[6] = (unsigned char)((b[6] & 0x0F) | 0x40); /* version 4 */
    b[8] = (unsigned char)((b[8] & 0x3F) | 0x80); /* RFC 4122 variant */
    zc_hex_encode(b, (int)sizeof b, hex, (int)sizeof hex);
    memcpy(out, hex, 8);
    out[8] = '-';
    memcpy(out + 9, hex + 8, 4);
    out[13] = '-';
    memcpy(out + 14, hex + 12, 4);
    out[18] = '-';
    memcpy(out + 19, hex + 16, 4);
    out[23] = '-';
    memcpy(out + 24, hex + 20, 12);
    out[36] = '\0';
}

void zc_sha256_hex(const void *data, size_t len, char out[ZC_SHA256_HEX])
{
    unsigned char h[crypto_hash_sha256_BYTES];
    crypto_hash_sha256(h, data ? data : (const void *)"", data ? len : 0);
    sodium_bin2hex(out, ZC_SHA256_HEX, h, sizeof h);
}

/* Hashes the ID number as given except that ASCII letters are upper-cased
 * (the trailing x); callers validate it first with zc_idnum_check. */
void zc_idnum_hash(const char *salt, const char *idnum, char out[ZC_SHA256_HEX])
{
    unsigned char key[crypto_generichash_BYTES];
    unsigned char h[crypto_generichash_BYTES];
    unsigned char chunk[64];
    crypto_generichash_state st;
    const char *s = salt ? salt : "";
    const char *p = idnum ? idnum : "";

    crypto_generichash(key, sizeof key, (const unsigned char *)s, strlen(s), NULL, 0);
    crypto_generichash_init(&st, key, sizeof key, sizeof h);
    while (*p) {
        size_t k = 0;
        for (; k < sizeof chunk && p[k]; k++)
            chunk[k] = (unsigned char)(p[k] >= 'a' && p[k] <= 'z' ? p[k] - 'a' + 'A' : p[k]);
        crypto_generichash_update(&st, chunk, k);
        p += k;
    }
    crypto_generichash_final(&st, h, sizeof h);
    sodium_bin2hex(out, ZC_SHA256_HEX, h, sizeof h);
    sodium_memzero(key, sizeof key);
    sodium_memzero(chunk, sizeof chunk);
}

void zc_random_hex(int n, char *out)
{
    unsigned char b[32];
    if (!out)
        return;
    out[0] = '\0';
    for (int done = 0; done < n;) {
        int k = n - done < (int)sizeof b ? n - done : (int)sizeof b;
        randombytes_buf(b, (size_t)k);
        zc_hex_encode(b, k, out + 2 * done, 2 * k + 1);
        done += k;
    }
    sodium_memzero(b, sizeof b);
}

int zc_pin_valid(const char *pin, zc_err *err)
{
    if (!pin || !*pin)
        return zc_errf(err, ZC_EINVAL, "enter a PIN of %d to %d digits", PIN_MIN, PIN_MAX);
    size_t n = strnlen(pin, PIN_MAX + 1);
    for (size_t i = 0; i < n; i++)
        if (pin[i] < '0' || pin[i] > '9')
            return zc_errf(err, ZC_EINVAL, "a PIN may only contain digits; enter %d to %d digits",
                           PIN_MIN, PIN_MAX);
    if (n < PIN_MIN || n > PIN_MAX)
        return zc_errf(err, ZC_EINVAL, "a PIN must be %d to %d digits, not %s%zu", PIN_MIN,
                       PIN_MAX, n > PIN_MAX ? "more than " : "", n > PIN_MAX ? (size_t)PIN_MAX : n);
    return ZC_OK;
}

int zc_pin_policy(const char *pin, int min_digits, zc_err *err)
{
    int ret = zc_pin_valid(pin, err);
    if (ret)
        return ret;
    if (min_digits < PIN_MIN)
        min_digits = PIN_MIN;
    if (min_digits > PIN_MAX)
        min_digits = PIN_MAX;
    size_t n = strlen(pin);
    if (n < (size_t)min_digits)
        return zc_errf(err, ZC_EINVAL, "this PIN needs at least %d digits; enter %d to %d digits",
                       min_digits, min_digits, PIN_MAX);
    bool same = true, up = true, down = true, alternating = n >= 4 && pin[0] != pin[1];
    for (size_t i = 1; i < n; i++) {
        int d = pin[i] - pin[i - 1];
        same = same && d == 0;
        up = up && (d == 1 || d == -9);     /* 7890 runs on through 0 */
        down = down && (d == -1 || d == 9); /* 3210 and 1098 */
        alternating = alternating && (i < 2 || pin[i] == pin[i - 2]);
    }
    if (same || up || down || alternating)
        return zc_errf(err, ZC_EINVAL, "this PIN is too easy to guess (%s); choose digits without a "
                       "pattern", same ? "one digit repeated" : alternating ? "two digits taking "
                       "turns" : "digits in a row");
    return ZC_OK;
}

/* The argon2id string of a checked secret into out ("" on failure); what
 * ("PIN", "password") names it in messages. */
static int hash_secret(const char *secret, const char *what, char out[ZC_PIN_HASH_MAX], zc_err *err)
{
    if (sodium_init() < 0)
        return zc_errf(err, ZC_EIO, "the crypto library could not start; %ss cannot be set", what);
    if (crypto_pwhash_str(out, secret, strlen(secret), PIN_OPS, PIN_MEM) != 0) {
        out[0] = '\0';
        return zc_errf(err, ZC_ENOMEM,
                       "not enough memory to protect the %s; close other programs and try again",
                       what);
    }
    return ZC_OK;
}

/* Whether hash looks like a stored argon2id string (not a damaged record). */
static bool hash_ok(const char *hash)
{
    static const char tag[] = "$argon2id$";
    return hash && strnlen(hash, ZC_PIN_HASH_MAX) < ZC_PIN_HASH_MAX &&
           strncmp(hash, tag, sizeof tag - 1) == 0;
}

/* ZC_OK on a match, ZC_EREFUSED when not.  Both arguments checked. */
static int verify_secret(const char *hash, const char *secret)
{
    if (sodium_init() < 0)
        return ZC_EIO;
    return crypto_pwhash_str_verify(hash, secret, strlen(secret)) == 0 ? ZC_OK : ZC_EREFUSED;
}

/* Writes the argon2id string for a valid PIN into out; out is "" on failure. */
int zc_pin_hash(const char *pin, char out[ZC_PIN_HASH_MAX], zc_err *err)
{
    if (!out)
        return zc_errf(err, ZC_EINVAL, "internal error: no place for the PIN hash");
    out[0] = '\0';
    int rc = zc_pin_valid(pin, err);
    return rc != ZC_OK ? rc : hash_secret(pin, "PIN", out, err);
}

/* ZC_OK on a match; ZC_EREFUSED for a wrong or malformed PIN; ZC_EINVAL when
 * the stored hash is not an argon2id string (a damaged operator record). */
int zc_pin_verify(const char *hash, const char *pin)
{
    if (!hash_ok(hash))
        return ZC_EINVAL;
    return zc_pin_valid(pin, NULL) != ZC_OK ? ZC_EREFUSED : verify_secret(hash, pin);
}

/* Passwords: length in bytes, and no control characters (they are typed
 * into a web form; a stray newline from `echo` is cut by the caller). */
int zc_password_valid(const char *pw, zc_err *err)
{
    size_t n = pw ? strnlen(pw, ZC_PASSWORD_MAX + 1) : 0;
    if (n < ZC_PASSWORD_MIN || n > ZC_PASSWORD_MAX)
        return zc_errf(err, ZC_EINVAL, "a password must be %d to %d characters long", ZC_PASSWORD_MIN,
                       ZC_PASSWORD_MAX);
    for (size_t i = 0; i < n; i++)
        if ((unsigned char)pw[i] < 0x20 || pw[i] == 0x7f)
            return zc_errf(err, ZC_EINVAL, "a password may not contain control characters");
    return ZC_OK;
}

/* The same argon2id settings as PINs: a login is rare and 0.07 s is fine. */
int zc_password_hash(const char *pw, char out[ZC_PIN_HASH_MAX], zc_err *err)
{
    if (!out)
        return zc_errf(err, ZC_EINVAL, "internal error: no place for the password hash");
    out[0] = '\0';
    int rc = zc_password_valid(pw, err);
    return rc != ZC_OK ? rc : hash_secret(pw, "password", out, err);
}

int zc_password_verify(const char *hash, const char *pw)
{
    if (!hash_ok(hash))
        return ZC_EINVAL;
    return zc_password_valid(pw, NULL) != ZC_OK ? ZC_EREFUSED : verify_secret(hash, pw);
}
