/* card.c - reader line formats, input classification and hex helpers.
 *
 * A keyboard-wedge reader types one chip UID in the format configured for
 * the terminal.  Each format shows only the low bits of the 40-bit UID, so a
 * parsed line becomes a zc_card_key {value, bits} and the store finds the
 * card whose low `bits` bits match.  Parsing is strict: exact lengths, digits
 * only, values in range, no control characters; the only leniency is that
 * surrounding blanks (space, tab, CR, LF from the reader's Enter) are ignored
 * and the facility format may omit its zero padding.  Every refusal fills
 * zc_err with a sentence a cashier can act on. */
#include "card.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define UID_MASK UINT64_C(0xFFFFFFFFFF) /* 40 bits */

static const char *const fmt_names[] = {
    [ZC_CARD_HEX10] = "hex10",
    [ZC_CARD_DEC10] = "dec10",
    [ZC_CARD_DEC8] = "dec8",
    [ZC_CARD_FACILITY] = "facility",
};

int zc_card_fmt_parse(const char *s, zc_card_fmt *out)
{
    if (!s || !out)
        return ZC_EINVAL;
    for (int i = 0; i < (int)(sizeof fmt_names / sizeof fmt_names[0]); i++) {
        if (strcmp(s, fmt_names[i]) == 0) {
            *out = (zc_card_fmt)i;
            return ZC_OK;
        }
    }
    return ZC_EINVAL;
}

const char *zc_card_fmt_name(zc_card_fmt f)
{
    if ((int)f < 0 || (int)f >= (int)(sizeof fmt_names / sizeof fmt_names[0]))
        return "unknown";
    return fmt_names[f];
}

static bool is_blank(char c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

static bool is_digit(char c)
{
    return c >= '0' && c <= '9';
}

static int hex_val(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

/* Finds the line without surrounding blanks: *start and *len.  Refuses
 * NULL/empty, longer than ZC_INPUT_MAX, and control characters inside. */
static int trim_line(const char *s, const char **start, size_t *len, zc_err *err)
{
    if (!s)
        return zc_errf(err, ZC_EINVAL, "no card number was read; tap the card again");
    size_t n = strnlen(s, ZC_INPUT_MAX + 1);
    if (n > ZC_INPUT_MAX)
        return zc_errf(err, ZC_ETOOBIG,
                       "the reader sent more than %d characters; check the reader's settings "
                       "and tap the card again", ZC_INPUT_MAX);
    while (n > 0 && is_blank(s[n - 1]))
        n--;
    while (n > 0 && is_blank(*s)) {
        s++;
        n--;
    }
    if (n == 0)
        return zc_errf(err, ZC_EINVAL, "no card number was read; tap the card again");
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c < 0x20 || c == 0x7f)
            return zc_errf(err, ZC_EINVAL,
                           "the card number contains a control character at position %zu; "
                           "tap the card again", i + 1);
    }
    *start = s;
    *len = n;
    return ZC_OK;
}

/* Parses exactly n decimal digits at s (n >= 1) into *out, at most max. */
static int parse_dec(const char *s, size_t n, uint64_t max, uint64_t *out)
{
    char tmp[24];
    if (n == 0 || n >= sizeof tmp)
        return ZC_EINVAL;
    for (size_t i = 0; i < n; i++)
        if (!is_digit(s[i]))
            return ZC_EINVAL;
    memcpy(tmp, s, n);
    tmp[n] = '\0';
    char *end = NULL;
    unsigned long long v = strtoull(tmp, &end, 10);
    if (end != tmp + n || v > max)
        return ZC_ETOOBIG;
    *out = v;
    return ZC_OK;
}

/* Index of the first character of s[0..n) that is not a decimal digit, or -1. */
static long first_non_digit(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (!is_digit(s[i]))
            return (long)i;
    return -1;
}

static int parse_hex10(const char *s, size_t n, uint64_t *out, zc_err *err)
{
    if (n != 10)
        return zc_errf(err, ZC_EINVAL,
                       "card number must be 10 hex digits, got %zu characters; check the "
                       "reader format setting", n);
    uint64_t v = 0;
    for (size_t i = 0; i < n; i++) {
        int h = hex_val(s[i]);
        if (h < 0)
            return zc_errf(err, ZC_EINVAL,
                           "card number must be 10 hex digits (0-9, A-F), but character %zu is "
                           "not one; check the reader format setting", i + 1);
        v = (v << 4) | (uint64_t)h;
    }
    *out = v;
    return ZC_OK;
}

/* DEC10 and DEC8: exactly `digits` decimal digits, value <= max. */
static int parse_fixed_dec(const char *s, size_t n, size_t digits, uint64_t max, uint64_t *out,
                           zc_err *err)
{
    if (n != digits)
        return zc_errf(err, ZC_EINVAL,
                       "card number must be %zu digits, got %zu characters; check the reader "
                       "format setting", digits, n);
    long bad = first_non_digit(s, n);
    if (bad >= 0)
        return zc_errf(err, ZC_EINVAL,
                       "card number must be %zu digits, but character %ld is not a digit; check "
                       "the reader format setting", digits, bad + 1);
    if (parse_dec(s, n, max, out) != ZC_OK)
        return zc_errf(err, ZC_EINVAL,
                       "card number %.*s is larger than %" PRIu64 " and cannot be a card; "
                       "check the reader format setting", (int)n, s, max);
    return ZC_OK;
}

/* "FFF,NNNNN": facility 0..255 (1-3 digits), number 0..65535 (1-5 digits). */
static int parse_facility(const char *s, size_t n, uint64_t *out, zc_err *err)
{
    const char *comma = memchr(s, ',', n);
    if (!comma)
        return zc_errf(err, ZC_EINVAL,
                       "card number must look like 123,45678 (facility,number); no comma was "
                       "read; check the reader format setting");
    size_t fl = (size_t)(comma - s), nl = n - fl - 1;
    if (fl < 1 || fl > 3 || nl < 1 || nl > 5 || first_non_digit(s, fl) >= 0 ||
        first_non_digit(comma + 1, nl) >= 0)
        return zc_errf(err, ZC_EINVAL,
                       "card number must look like 123,45678 (up to 3 digits, a comma, up to 5 "
                       "digits); check the reader format setting");
    uint64_t fac = 0, num = 0;
    if (parse_dec(s, fl, 255, &fac) != ZC_OK)
        return zc_errf(err, ZC_EINVAL,
                       "card facility code %.*s is above 255 and cannot be a card; check the "
                       "reader format setting", (int)fl, s);
    if (parse_dec(comma + 1, nl, 65535, &num) != ZC_OK)
        return zc_errf(err, ZC_EINVAL,
                       "card number %.*s is above 65535 and cannot be a card; check the reader "
                       "format setting", (int)nl, comma + 1);
    *out = (fac << 16) | num;
    return ZC_OK;
}

int zc_card_parse(const char *s, zc_card_fmt f, zc_card_key *out, zc_err *err)
{
    const char *p = NULL;
    size_t n = 0;
    uint64_t v = 0;
    int bits = 0, rc;
    if (!out)
        return zc_errf(err, ZC_EINVAL, "internal error: no place to put the card number");
    rc = trim_line(s, &p, &n, err);
    if (rc != ZC_OK)
        return rc;
    switch (f) {
    case ZC_CARD_HEX10:
        rc = parse_hex10(p, n, &v, err);
        bits = 40;
        break;
    case ZC_CARD_DEC10:
        rc = parse_fixed_dec(p, n, 10, 0xFFFFFFFFull, &v, err);
        bits = 32;
        break;
    case ZC_CARD_DEC8:
        rc = parse_fixed_dec(p, n, 8, 0xFFFFFFull, &v, err);
        bits = 24;
        break;
    case ZC_CARD_FACILITY:
        rc = parse_facility(p, n, &v, err);
        bits = 24;
        break;
    default:
        return zc_errf(err, ZC_EINVAL,
                       "the card reader format setting is unknown; set it to hex10, dec10, "
                       "dec8 or facility");
    }
    if (rc != ZC_OK)
        return rc;
    out->value = v;
    out->bits = bits;
    return ZC_OK;
}

int zc_card_uid_parse(const char *s, uint64_t *uid, zc_err *err)
{
    if (!s || !uid)
        return zc_errf(err, ZC_EINVAL, "a card UID is missing; it must be 10 hex digits");
    size_t n = strnlen(s, 11);
    if (n != 10)
        return zc_errf(err, ZC_EINVAL, "card UID must be exactly 10 hex digits, got %zu%s characters",
                       n, n > 10 ? " or more" : "");
    uint64_t v = 0;
    for (size_t i = 0; i < n; i++) {
        int h = hex_val(s[i]);
        if (h < 0)
            return zc_errf(err, ZC_EINVAL,
                           "card UID must be 10 hex digits (0-9, A-F); character %zu is not one",
                           i + 1);
        v = (v << 4) | (uint64_t)h;
    }
    *uid = v;
    return ZC_OK;
}

/* Writes 10 upper-case hex digits; buf gets "" when n < 11. Returns buf. */
char *zc_card_uid_fmt(uint64_t uid, char *buf, int n)
{
    if (!buf || n <= 0)
        return buf;
    if (n < 11) {
        buf[0] = '\0';
        return buf;
    }
    snprintf(buf, (size_t)n, "%010" PRIX64, uid & UID_MASK);
    return buf;
}

/* Renders uid as a reader in format f types it; buf gets "" when too small
 * or f is unknown.  Returns buf. */
char *zc_card_render(uint64_t uid, zc_card_fmt f, char *buf, int n)
{
    if (!buf || n <= 0)
        return buf;
    int w = -1;
    switch (f) {
    case ZC_CARD_HEX10:
        return zc_card_uid_fmt(uid, buf, n);
    case ZC_CARD_DEC10:
        w = snprintf(buf, (size_t)n, "%010" PRIu64, uid & UINT64_C(0xFFFFFFFF));
        break;
    case ZC_CARD_DEC8:
        w = snprintf(buf, (size_t)n, "%08" PRIu64, uid & UINT64_C(0xFFFFFF));
        break;
    case ZC_CARD_FACILITY:
        w = snprintf(buf, (size_t)n, "%03u,%05u", (unsigned)((uid >> 16) & 0xFF),
                     (unsigned)(uid & 0xFFFF));
        break;
    }
    if (w < 0 || w >= n)
        buf[0] = '\0';
    return buf;
}

bool zc_card_matches(const zc_card_key *key, uint64_t uid)
{
    if (!key || (key->bits != 24 && key->bits != 32 && key->bits != 40))
        return false;
    uint64_t mask = (1ull << key->bits) - 1;
    if (key->value & ~mask)
        return false;
    return (uid & UID_MASK & mask) == key->value;
}

zc_input_kind zc_input_classify(const char *s)
{
    if (!s)
        return ZC_INPUT_CARD;
    size_t n = strnlen(s, ZC_INPUT_MAX + 1);
    while (n > 0 && is_blank(s[n - 1]))
        n--;
    while (n > 0 && is_blank(*s)) {
        s++;
        n--;
    }
    size_t pl = strlen(ZC_QR_PREFIX);
    if (n >= pl && memcmp(s, ZC_QR_PREFIX, pl) == 0)
        return ZC_INPUT_QR;
    if (n == 18 && first_non_digit(s, 17) < 0 &&
        (is_digit(s[17]) || s[17] == 'X' || s[17] == 'x'))
        return ZC_INPUT_IDNUM;
    return ZC_INPUT_CARD;
}

/* Decodes exactly 2*n hex digits (either case) into n bytes.  out is left
 * untouched on failure (ZC_EINVAL: wrong length or a non-hex character). */
int zc_hex_decode(const char *hex, unsigned char *out, int n)
{
    if (!hex || n < 0 || (n > 0 && !out))
        return ZC_EINVAL;
    size_t want = (size_t)n * 2;
    if (strnlen(hex, want + 1) != want)
        return ZC_EINVAL;
    for (size_t i = 0; i < want; i++)
        if (hex_val(hex[i]) < 0)
            return ZC_EINVAL;
    for (int i = 0; i < n; i++)
        out[i] = (unsigned char)(hex_val(hex[2 * i]) << 4 | hex_val(hex[2 * i + 1]));
    return ZC_OK;
}

/* Encodes n bytes as 2*n lower-case hex digits.  buf gets "" when len is
 * smaller than 2*n+1 (a cut-off key is worse than none).  Returns buf. */
char *zc_hex_encode(const unsigned char *in, int n, char *buf, int len)
{
    static const char digits[] = "0123456789abcdef";
    if (!buf || len <= 0)
        return buf;
    if (n < 0 || (n > 0 && !in) || (size_t)len < (size_t)n * 2 + 1) {
        buf[0] = '\0';
        return buf;
    }
    for (int i = 0; i < n; i++) {
        buf[2 * i] = digits[in[i] >> 4];
        buf[2 * i + 1] = digits[in[i] & 0x0F];
    }
    buf[2 * n] = '\0';
    return buf;
}
