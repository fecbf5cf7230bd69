/* card.h - what a reader typed: a card, an ID number or a signed QR token.
 *
 * Keyboard-wedge readers type the same chip UID in one of several formats,
 * set per terminal.  Every format reduces to the low bits of one stored
 * 40-bit UID (10 hex digits), which is how the store looks cards up. */
#ifndef ZC_CARD_H
#define ZC_CARD_H

#include <stdbool.h>
#include <stdint.h>

#include "civil.h"
#include "err.h"

#define ZC_INPUT_MAX 256 /* longest reader line accepted */

typedef enum zc_card_fmt {
    ZC_CARD_HEX10 = 0, /* "0A1B2C3D4E": the whole 40-bit UID */
    ZC_CARD_DEC10,     /* "0455884110": decimal of the low 32 bits */
    ZC_CARD_DEC8,      /* "02899278": decimal of the low 24 bits */
    ZC_CARD_FACILITY,  /* "044,15694": low 24 bits as facility (8 bits), number (16 bits) */
} zc_card_fmt;

/* A card as far as the reader's format reveals it. */
typedef struct zc_card_key {
    uint64_t value; /* the known low bits of the UID */
    int bits;       /* 40, 32 or 24 */
} zc_card_key;

/* "hex10" | "dec10" | "dec8" | "facility" <-> enum. */
int zc_card_fmt_parse(const char *s, zc_card_fmt *out) ZC_MUST;
const char *zc_card_fmt_name(zc_card_fmt f);

/* Parses one reader line in format f (surrounding spaces ignored).
 * err says what is wrong: "card number must be 10 hex digits, got 9 characters". */
int zc_card_parse(const char *s, zc_card_fmt f, zc_card_key *out, zc_err *err) ZC_MUST;
/* Normalises a stored UID ("0a1b2c3d4e" or "0A1B2C3D4E") to upper-case 10 hex, value in *uid. */
int zc_card_uid_parse(const char *s, uint64_t *uid, zc_err *err) ZC_MUST;
/* Formats a 40-bit UID as 10 upper-case hex digits (buf >= 11). */
char *zc_card_uid_fmt(uint64_t uid, char *buf, int n);
/* Renders a UID the way a reader in format f would type it (for tests and demo). */
char *zc_card_render(uint64_t uid, zc_card_fmt f, char *buf, int n);
/* True when key could be the UID (its low `bits` bits match). */
bool zc_card_matches(const zc_card_key *key, uint64_t uid);

/* ---- Chinese resident ID numbers (GB 11643) ---- */

/* Validates an 18-character ID number: digits, birth date, check digit
 * (weights 7 9 10 5 8 4 2 1 6 3 7 9 10 5 8 4 2; sum mod 11 -> "10X98765432").
 * Lower-case x accepted.  err: "check digit should be 7, not 3". */
int zc_idnum_check(const char *s, zc_err *err) ZC_MUST;
/* The check character for the first 17 digits. */
char zc_idnum_check_char(const char *first17);
/* Birth date encoded in a valid ID number. */
int zc_idnum_birth(const char *s, zc_date *out) ZC_MUST;

/* ---- signed QR tokens for elders without a card ---- */

#define ZC_QR_PREFIX "ZCQ1."
#define ZC_QR_PK_BYTES 32
#define ZC_QR_SK_BYTES 64

/* A verified token's contents. */
typedef struct zc_qr {
    char elder_id[48];
    zc_date expires; /* last valid day */
} zc_qr;

/* Makes an Ed25519 key pair (libsodium). */
int zc_qr_keygen(unsigned char pk[ZC_QR_PK_BYTES], unsigned char sk[ZC_QR_SK_BYTES]) ZC_MUST;
/* Issues a token "ZCQ1.<base64url>" into buf (the centre does this). */
int zc_qr_issue(const unsigned char sk[ZC_QR_SK_BYTES], const char *elder_id, zc_date expires,
                char *buf, int n, zc_err *err) ZC_MUST;
/* Verifies a token offline against the centre's public key, and that it has
 * not expired on `today`.  ZC_EREFUSED with err for forged or expired. */
int zc_qr_verify(const unsigned char pk[ZC_QR_PK_BYTES], const char *token, zc_date today,
                 zc_qr *out, zc_err *err) ZC_MUST;

/* ---- classifying a reader line ---- */

typedef enum zc_input_kind {
    ZC_INPUT_CARD,
    ZC_INPUT_IDNUM, /* 18 characters, 17 digits + digit/X */
    ZC_INPUT_QR,    /* starts with ZC_QR_PREFIX */
} zc_input_kind;

/* Decides what a line is without validating it (validation is per kind). */
zc_input_kind zc_input_classify(const char *s);

/* hex helpers for keys in config: 2*n hex chars <-> n bytes. */
int zc_hex_decode(const char *hex, unsigned char *out, int n) ZC_MUST;
char *zc_hex_encode(const unsigned char *in, int n, char *buf, int len);

#endif
