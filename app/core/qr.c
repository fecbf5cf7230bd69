/* qr.c - signed QR tokens for elders without a card.
 *
 * The community (through the centre) prints a QR code; any terminal checks it
 * offline with the centre's Ed25519 public key.  Format, version 1:
 *
 *     token   = "ZCQ1." base64url-without-padding( payload || signature )
 *     payload = "v1|" elder_id "|" expires          e.g. "v1|E000123|2026-12-31"
 *     signature = Ed25519 (libsodium crypto_sign_detached) over payload, 64 bytes
 *
 * elder_id is 1..47 printable ASCII characters other than '|' and space;
 * expires is the last valid day, "YYYY-MM-DD".  The longest token is about 172
 * characters, well under ZC_INPUT_MAX.  The key pair is used for nothing but
 * these tokens, so the payload needs no further domain tag.
 *
 * Verification is strict and in this order: length bound, prefix, canonical
 * base64url (no padding, no stray bits: no two texts carry one token),
 * signature, and only then the fields inside, then expiry. */
#include "card.h"

#include <sodium.h>
#include <stdio.h>
#include <string.h>

#define SIG_BYTES crypto_sign_BYTES                       /* 64 */
#define ID_MAX ((int)sizeof(((zc_qr *)0)->elder_id) - 1) /* 47 */
#define PAYLOAD_MAX (3 + ID_MAX + 1 + 10)                 /* "v1|" id "|" YYYY-MM-DD */
#define RAW_MAX (PAYLOAD_MAX + SIG_BYTES)
#define B64_MAX (sodium_base64_ENCODED_LEN(RAW_MAX, sodium_base64_VARIANT_URLSAFE_NO_PADDING))
#define VARIANT sodium_base64_VARIANT_URLSAFE_NO_PADDING

_Static_assert(crypto_sign_PUBLICKEYBYTES == ZC_QR_PK_BYTES, "Ed25519 public key size");
_Static_assert(crypto_sign_SECRETKEYBYTES == ZC_QR_SK_BYTES, "Ed25519 secret key size");
_Static_assert(sizeof ZC_QR_PREFIX - 1 + B64_MAX <= ZC_INPUT_MAX, "a token fits a reader line");

/* True when id is 1..ID_MAX printable ASCII characters, no '|' or space. */
static bool id_ok(const char *id, size_t n)
{
    if (n < 1 || n > (size_t)ID_MAX)
        return false;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)id[i];
        if (c <= 0x20 || c >= 0x7f || c == '|')
            return false;
    }
    return true;
}

int zc_qr_keygen(unsigned char pk[ZC_QR_PK_BYTES], unsigned char sk[ZC_QR_SK_BYTES])
{
    if (!pk || !sk || sodium_init() < 0)
        return ZC_EINVAL;
    return crypto_sign_keypair(pk, sk) == 0 ? ZC_OK : ZC_EIO;
}

/* Signs a token for elder_id valid through `expires` into buf (n bytes).
 * ZC_ETOOBIG when buf is too small; buf is "" on any failure. */
int zc_qr_issue(const unsigned char sk[ZC_QR_SK_BYTES], const char *elder_id, zc_date expires,
                char *buf, int n, zc_err *err)
{
    unsigned char raw[RAW_MAX];
    char b64[B64_MAX];
    char date[16];
    if (buf && n > 0)
        buf[0] = '\0';
    if (!sk || !buf || n <= 0)
        return zc_errf(err, ZC_EINVAL, "internal error: no key or no room for the QR token");
    if (sodium_init() < 0)
        return zc_errf(err, ZC_EIO, "the crypto library could not start; QR codes cannot be made");
    size_t idn = elder_id ? strnlen(elder_id, (size_t)ID_MAX + 1) : 0;
    if (!id_ok(elder_id, idn))
        return zc_errf(err, ZC_EINVAL,
                       "elder id for a QR code must be 1 to %d letters, digits or punctuation "
                       "(no spaces or '|')", ID_MAX);
    if (!zc_date_valid(expires))
        return zc_errf(err, ZC_EINVAL, "the QR code's expiry date is not a real date; give one "
                                       "as YYYY-MM-DD");
    int pl = snprintf((char *)raw, PAYLOAD_MAX + 1, "v1|%s|%s", elder_id,
                      zc_date_fmt(expires, date, sizeof date));
    if (pl < 0 || pl > PAYLOAD_MAX)
        return zc_errf(err, ZC_EINVAL, "internal error: QR payload did not fit");
    if (crypto_sign_detached(raw + pl, NULL, raw, (unsigned long long)pl, sk) != 0)
        return zc_errf(err, ZC_EIO, "signing the QR code failed; check the secret key");
    sodium_bin2base64(b64, sizeof b64, raw, (size_t)pl + SIG_BYTES, VARIANT);
    int w = snprintf(buf, (size_t)n, "%s%s", ZC_QR_PREFIX, b64);
    if (w < 0 || w >= n) {
        buf[0] = '\0';
        return zc_errf(err, ZC_ETOOBIG, "internal error: no room for a %d-character QR token", w);
    }
    return ZC_OK;
}

/* Reads "v1|id|YYYY-MM-DD" (already authenticated) into *q. */
static int parse_payload(const unsigned char *p, size_t n, zc_qr *q)
{
    char text[PAYLOAD_MAX + 1];
    if (n < 3 || n > PAYLOAD_MAX || memcmp(p, "v1|", 3) != 0)
        return ZC_EINVAL;
    memcpy(text, p, n);
    text[n] = '\0';
    if (strlen(text) != n) /* embedded NUL */
        return ZC_EINVAL;
    const char *id = text + 3;
    const char *bar = strchr(id, '|');
    if (!bar || !id_ok(id, (size_t)(bar - id)))
        return ZC_EINVAL;
    zc_date exp;
    if (zc_date_parse(bar + 1, &exp) != ZC_OK)
        return ZC_EINVAL;
    snprintf(q->elder_id, sizeof q->elder_id, "%.*s", (int)(bar - id), id);
    q->expires = exp;
    return ZC_OK;
}

int zc_qr_verify(const unsigned char pk[ZC_QR_PK_BYTES], const char *token, zc_date today,
                 zc_qr *out, zc_err *err)
{
    static const char damaged[] =
        "this QR code is damaged or is not a Zhucan meal code; scan it again or use the card";
    unsigned char raw[RAW_MAX];
    size_t rawn = 0, pfx = strlen(ZC_QR_PREFIX);
    const char *b64_end = NULL;
    zc_qr q;

    if (!pk || !out)
        return zc_errf(err, ZC_EINVAL, "internal error: no key to check the QR code with");
    if (!zc_date_valid(today))
        return zc_errf(err, ZC_EINVAL, "the terminal's date is not set; set the clock first");
    if (!token)
        return zc_errf(err, ZC_EINVAL, "%s", damaged);
    size_t n = strnlen(token, ZC_INPUT_MAX + 1);
    if (n > ZC_INPUT_MAX)
        return zc_errf(err, ZC_ETOOBIG,
                       "the scanner sent more than %d characters, too long for a meal QR code; "
                       "scan it again", ZC_INPUT_MAX);
    /* surrounding blanks, e.g. the scanner's Enter */
    while (n > 0 && (token[n - 1] == ' ' || token[n - 1] == '\t' || token[n - 1] == '\r' ||
                     token[n - 1] == '\n'))
        n--;
    while (n > 0 && (*token == ' ' || *token == '\t' || *token == '\r' || *token == '\n')) {
        token++;
        n--;
    }
    if (n < pfx || memcmp(token, ZC_QR_PREFIX, pfx) != 0)
        return zc_errf(err, ZC_EINVAL, "%s", damaged);
    const char *body = token + pfx;
    size_t bn = n - pfx;
    if (bn >= B64_MAX)
        return zc_errf(err, ZC_EINVAL, "%s", damaged);

    /* canonical base64url: every character consumed; sodium_base642bin also
     * refuses non-zero leftover bits, so no two texts carry one token */
    if (sodium_base642bin(raw, sizeof raw, body, bn, NULL, &rawn, &b64_end, VARIANT) != 0 ||
        b64_end != body + bn || rawn <= SIG_BYTES + 3)
        return zc_errf(err, ZC_EINVAL, "%s", damaged);

    /* signature before any field is believed */
    if (sodium_init() < 0)
        return zc_errf(err, ZC_EIO, "the crypto library could not start; QR codes cannot be checked");
    size_t pl = rawn - SIG_BYTES;
    if (crypto_sign_verify_detached(raw + pl, raw, (unsigned long long)pl, pk) != 0)
        return zc_errf(err, ZC_EREFUSED,
                       "this QR code was not issued for this canteen's district or has been "
                       "altered; ask the community office for a new one");
    if (parse_payload(raw, pl, &q) != ZC_OK)
        return zc_errf(err, ZC_EINVAL,
                       "this QR code is of a kind this terminal does not understand; update the "
                       "terminal or use the card");
    if (zc_date_cmp(q.expires, today) < 0) {
        char d[16];
        return zc_errf(err, ZC_EREFUSED,
                       "this QR code expired on %s; ask the community office for a new one",
                       zc_date_fmt(q.expires, d, sizeof d));
    }
    *out = q;
    return ZC_OK;
}
