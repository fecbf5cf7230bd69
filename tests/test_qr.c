/* test_qr.c - signed QR tokens: issue, verify, expiry, tampering, garbage. */
#include "../app/core/card.h"
#include "../app/core/secure.h"

#include <sodium.h>
#include <string.h>

#include "check.h"

static unsigned char pk[ZC_QR_PK_BYTES], sk[ZC_QR_SK_BYTES];
static unsigned char pk2[ZC_QR_PK_BYTES], sk2[ZC_QR_SK_BYTES];

static const zc_date exp_day = {2026, 3, 1};

static void keys(void)
{
    static int done;
    if (done)
        return;
    CHECK_OK(zc_secure_init());
    CHECK_OK(zc_qr_keygen(pk, sk));
    CHECK_OK(zc_qr_keygen(pk2, sk2));
    CHECK(memcmp(pk, pk2, sizeof pk) != 0);
    done = 1;
}

/* Builds a token by hand from any payload, signed with sk: lets the tests
 * reach the field checks that only run after a good signature. */
static void hand_token(const char *payload, const unsigned char *key, char *out, size_t n)
{
    unsigned char raw[160];
    char b64[224];
    size_t pl = strlen(payload);
    if (pl + crypto_sign_BYTES > sizeof raw)
        pl = sizeof raw - crypto_sign_BYTES;
    memcpy(raw, payload, pl);
    crypto_sign_detached(raw + pl, NULL, raw, pl, key);
    sodium_bin2base64(b64, sizeof b64, raw, pl + crypto_sign_BYTES,
                      sodium_base64_VARIANT_URLSAFE_NO_PADDING);
    snprintf(out, n, "ZCQ1.%s", b64);
}

static void t_roundtrip(void)
{
    static const char *const ids[] = {"E000123", "b3c1f0e2-58a4-4c1e-9d2b-0f6a7e5d4c3b", "7",
                                      "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA" /* 47 */};
    keys();
    for (size_t i = 0; i < sizeof ids / sizeof ids[0]; i++) {
        char tok[ZC_INPUT_MAX + 1];
        zc_err err = {""};
        zc_qr q;
        memset(&q, 0, sizeof q);
        CHECK_OK(zc_qr_issue(sk, ids[i], exp_day, tok, sizeof tok, &err));
        CHECK(strncmp(tok, ZC_QR_PREFIX, strlen(ZC_QR_PREFIX)) == 0);
        CHECK(strlen(tok) <= ZC_INPUT_MAX);
        CHECK_INT(zc_input_classify(tok), ZC_INPUT_QR);
        CHECK_OK(zc_qr_verify(pk, tok, (zc_date){2026, 2, 1}, &q, &err));
        CHECK_STR(q.elder_id, ids[i]);
        CHECK(q.expires.y == 2026 && q.expires.m == 3 && q.expires.d == 1);
        /* only URL-safe characters, no padding */
        CHECK(strspn(tok + 5, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_") ==
              strlen(tok + 5));
    }
    /* the scanner's Enter and stray blanks around the token are tolerated */
    char tok[ZC_INPUT_MAX + 1], padded[ZC_INPUT_MAX + 8];
    zc_qr q;
    CHECK_OK(zc_qr_issue(sk, "E1", exp_day, tok, sizeof tok, NULL));
    snprintf(padded, sizeof padded, "  %s\r\n", tok);
    CHECK_OK(zc_qr_verify(pk, padded, exp_day, &q, NULL));
    CHECK_STR(q.elder_id, "E1");
}

static void t_expiry(void)
{
    static const struct {
        const char *name;
        zc_date today;
        int code;
    } tab[] = {
        {"month before", {2026, 2, 1}, ZC_OK},
        {"day before", {2026, 2, 28}, ZC_OK},
        {"last valid day", {2026, 3, 1}, ZC_OK},
        {"day after", {2026, 3, 2}, ZC_EREFUSED},
        {"year after", {2027, 1, 1}, ZC_EREFUSED},
    };
    char tok[ZC_INPUT_MAX + 1];
    keys();
    CHECK_OK(zc_qr_issue(sk, "E42", exp_day, tok, sizeof tok, NULL));
    for (size_t i = 0; i < sizeof tab / sizeof tab[0]; i++) {
        zc_err err = {""};
        zc_qr q = {"untouched", {1, 1, 1}};
        check_current = tab[i].name;
        CHECK_INT(zc_qr_verify(pk, tok, tab[i].today, &q, &err), tab[i].code);
        if (tab[i].code == ZC_OK) {
            CHECK_STR(q.elder_id, "E42");
        } else {
            CHECK_STR(q.elder_id, "untouched");
            CHECK(strstr(err.msg, "expired on 2026-03-01") != NULL);
        }
    }
    check_current = "expiry";
    /* across a year end */
    CHECK_OK(zc_qr_issue(sk, "E42", (zc_date){2025, 12, 31}, tok, sizeof tok, NULL));
    zc_qr q;
    CHECK_OK(zc_qr_verify(pk, tok, (zc_date){2025, 12, 31}, &q, NULL));
    CHECK_INT(zc_qr_verify(pk, tok, (zc_date){2026, 1, 1}, &q, NULL), ZC_EREFUSED);
    /* a terminal without a real date cannot judge expiry */
    CHECK_INT(zc_qr_verify(pk, tok, (zc_date){0, 0, 0}, &q, NULL), ZC_EINVAL);
    CHECK_INT(zc_qr_verify(pk, tok, (zc_date){2025, 2, 30}, &q, NULL), ZC_EINVAL);
}

/* Any single changed character, anywhere, is refused. */
static void t_flip_every_char(void)
{
    static const char alpha[] =
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    char tok[ZC_INPUT_MAX + 1], bad[ZC_INPUT_MAX + 1];
    keys();
    CHECK_OK(zc_qr_issue(sk, "E000777", exp_day, tok, sizeof tok, NULL));
    size_t n = strlen(tok);
    int tried = 0, refused = 0;
    for (size_t i = 0; i < n; i++) {
        /* three other URL-safe letters, plus characters base64url never uses */
        const char *at = strchr(alpha, tok[i]);
        size_t k = at ? (size_t)(at - alpha) : 0;
        char subs[6] = {alpha[(k + 1) % 64], alpha[(k + 17) % 64], alpha[(k + 40) % 64], '+', '=',
                        '\0'};
        for (const char *c = subs; *c; c++) {
            if (*c == tok[i])
                continue;
            memcpy(bad, tok, n + 1);
            bad[i] = *c;
            zc_qr q = {"untouched", {1, 1, 1}};
            int rc = zc_qr_verify(pk, bad, (zc_date){2026, 1, 1}, &q, NULL);
            tried++;
            if (rc != ZC_OK)
                refused++;
            else
                fprintf(stderr, "    accepted with char %zu changed to '%c'\n", i, *c);
            CHECK_STR(q.elder_id, "untouched");
            /* a change inside the signed body is a forgery, not just noise */
            if (i >= 5 && *c != '+' && *c != '=' && i + 1 < n)
                CHECK_INT(rc, ZC_EREFUSED);
        }
    }
    CHECK_INT(refused, tried);
    CHECK(tried > 4 * 100);
}

static void t_other_key(void)
{
    char tok[ZC_INPUT_MAX + 1];
    zc_err err = {""};
    zc_qr q;
    keys();
    CHECK_OK(zc_qr_issue(sk2, "E000123", exp_day, tok, sizeof tok, NULL));
    CHECK_INT(zc_qr_verify(pk, tok, (zc_date){2026, 1, 1}, &q, &err), ZC_EREFUSED);
    CHECK(strstr(err.msg, "community office") != NULL);
    CHECK_OK(zc_qr_verify(pk2, tok, (zc_date){2026, 1, 1}, &q, NULL));
    /* a payload re-signed by another key with the same text is still refused */
    hand_token("v1|E000123|2026-03-01", sk2, tok, sizeof tok);
    CHECK_INT(zc_qr_verify(pk, tok, (zc_date){2026, 1, 1}, &q, NULL), ZC_EREFUSED);
    hand_token("v1|E000123|2026-03-01", sk, tok, sizeof tok);
    CHECK_OK(zc_qr_verify(pk, tok, (zc_date){2026, 1, 1}, &q, NULL));
}

static void t_garbage(void)
{
    char tok[ZC_INPUT_MAX + 1], buf[1024];
    keys();
    CHECK_OK(zc_qr_issue(sk, "E5", exp_day, tok, sizeof tok, NULL));
    const char *body = tok + 5;
    char wrongpfx[ZC_INPUT_MAX + 1], lowerpfx[ZC_INPUT_MAX + 1], padded[ZC_INPUT_MAX + 4],
        inner[ZC_INPUT_MAX + 4], doubled[2 * ZC_INPUT_MAX + 2], nul[ZC_INPUT_MAX + 1];
    snprintf(wrongpfx, sizeof wrongpfx, "ZCQ2.%s", body);
    snprintf(lowerpfx, sizeof lowerpfx, "zcq1.%s", body);
    snprintf(padded, sizeof padded, "%s==", tok);
    snprintf(inner, sizeof inner, "ZCQ1. %s", body);
    snprintf(doubled, sizeof doubled, "%s%s", tok, body);
    snprintf(nul, sizeof nul, "%s", tok);
    static const struct {
        const char *name;
        int idx; /* which of the built strings, or -1 to use `in` */
        const char *in;
        int code;
    } tab[] = {
        {"empty", -1, "", ZC_EINVAL},
        {"prefix only", -1, "ZCQ1.", ZC_EINVAL},
        {"short body", -1, "ZCQ1.AAAA", ZC_EINVAL},
        {"not base64", -1, "ZCQ1.!!!!!!!!", ZC_EINVAL},
        {"a card number", -1, "0A1B2C3D4E", ZC_EINVAL},
        {"wrong prefix", 0, NULL, ZC_EINVAL},
        {"lower-case prefix", 1, NULL, ZC_EINVAL},
        {"padding added", 2, NULL, ZC_EINVAL},
        {"space inside", 3, NULL, ZC_EINVAL},
        {"body twice", 4, NULL, ZC_EINVAL},
    };
    const char *built[] = {wrongpfx, lowerpfx, padded, inner, doubled};
    for (size_t i = 0; i < sizeof tab / sizeof tab[0]; i++) {
        zc_err err = {""};
        zc_qr q = {"untouched", {1, 1, 1}};
        check_current = tab[i].name;
        const char *in = tab[i].idx >= 0 ? built[tab[i].idx] : tab[i].in;
        CHECK_INT(zc_qr_verify(pk, in, exp_day, &q, &err), tab[i].code);
        CHECK(strstr(err.msg, "damaged") != NULL);
        CHECK_STR(q.elder_id, "untouched");
    }
    check_current = "garbage";

    /* every truncation of a good token */
    size_t n = strlen(tok);
    for (size_t k = 0; k < n; k++) {
        zc_qr q;
        memcpy(buf, tok, k);
        buf[k] = '\0';
        CHECK(zc_qr_verify(pk, buf, exp_day, &q, NULL) != ZC_OK);
    }
    /* a NUL cutting the token short is a truncation too */
    nul[n - 3] = '\0';
    zc_qr q;
    CHECK(zc_qr_verify(pk, nul, exp_day, &q, NULL) != ZC_OK);

    /* over-long: a good token followed by junk past the reader bound */
    memset(buf, 'A', sizeof buf - 1);
    buf[sizeof buf - 1] = '\0';
    memcpy(buf, tok, n);
    zc_err err = {""};
    CHECK_INT(zc_qr_verify(pk, buf, exp_day, &q, &err), ZC_ETOOBIG);
    CHECK(strstr(err.msg, "more than 256") != NULL);
    /* long but within the bound: refused as damaged, not too big */
    buf[ZC_INPUT_MAX] = '\0';
    CHECK_INT(zc_qr_verify(pk, buf, exp_day, &q, NULL), ZC_EINVAL);
    CHECK_INT(zc_qr_verify(pk, NULL, exp_day, &q, NULL), ZC_EINVAL);
    CHECK_INT(zc_qr_verify(NULL, tok, exp_day, &q, NULL), ZC_EINVAL);
    CHECK_INT(zc_qr_verify(pk, tok, exp_day, NULL, NULL), ZC_EINVAL);
}

/* A last character that differs only in unused bits decodes to the same
 * bytes in a lax decoder; it must be refused all the same. */
static void t_non_canonical(void)
{
    static const char alpha[] =
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    char tok[ZC_INPUT_MAX + 1];
    zc_qr q;
    keys();
    /* 16-byte payload + 64-byte signature = 80 bytes: the last character
     * carries 4 data bits and 2 unused ones */
    CHECK_OK(zc_qr_issue(sk, "E1", exp_day, tok, sizeof tok, NULL));
    size_t n = strlen(tok);
    CHECK_INT((n - 5) % 4, 3);
    int idx = (int)(strchr(alpha, tok[n - 1]) - alpha);
    CHECK_INT(idx % 4, 0);
    for (int low = 1; low < 4; low++) {
        tok[n - 1] = alpha[idx + low];
        CHECK_INT(zc_qr_verify(pk, tok, exp_day, &q, NULL), ZC_EINVAL);
    }
    tok[n - 1] = alpha[idx];
    CHECK_OK(zc_qr_verify(pk, tok, exp_day, &q, NULL));
}

/* Well signed but not a payload this version understands. */
static void t_signed_but_malformed(void)
{
    static const char *const payloads[] = {
        "v2|E1|2026-03-01",     "v1|E1|2026-02-30",  "v1|E1|2026-3-1",   "v1||2026-03-01",
        "v1|E 1|2026-03-01",    "v1|E1|2026-03-01|", "v1|E1",            "v1|E1|2026-03-01x",
        "v1|AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA|2026-03-01", /* 48-char id */
    };
    char tok[ZC_INPUT_MAX + 1];
    keys();
    for (size_t i = 0; i < sizeof payloads / sizeof payloads[0]; i++) {
        zc_err err = {""};
        zc_qr q = {"untouched", {1, 1, 1}};
        hand_token(payloads[i], sk, tok, sizeof tok);
        CHECK_INT(zc_qr_verify(pk, tok, (zc_date){2026, 1, 1}, &q, &err), ZC_EINVAL);
        CHECK_STR(q.elder_id, "untouched");
        /* the 48-char id cannot fit the decoder and fails earlier, as damaged */
        CHECK(strstr(err.msg, "does not understand") != NULL ||
              strstr(err.msg, "damaged") != NULL);
    }
}

static void t_issue_bad(void)
{
    char tok[ZC_INPUT_MAX + 1];
    static const struct {
        const char *name, *id;
        zc_date exp;
        int code;
    } tab[] = {
        {"null id", NULL, {2026, 3, 1}, ZC_EINVAL},
        {"empty id", "", {2026, 3, 1}, ZC_EINVAL},
        {"bar in id", "E|1", {2026, 3, 1}, ZC_EINVAL},
        {"space in id", "E 1", {2026, 3, 1}, ZC_EINVAL},
        {"non-ASCII id", "\xe5\xbc\xa0", {2026, 3, 1}, ZC_EINVAL},
        {"48-char id", "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", {2026, 3, 1}, ZC_EINVAL},
        {"no date", "E1", {0, 0, 0}, ZC_EINVAL},
        {"30 February", "E1", {2026, 2, 30}, ZC_EINVAL},
    };
    keys();
    for (size_t i = 0; i < sizeof tab / sizeof tab[0]; i++) {
        zc_err err = {""};
        check_current = tab[i].name;
        memcpy(tok, "junk", 5);
        CHECK_INT(zc_qr_issue(sk, tab[i].id, tab[i].exp, tok, sizeof tok, &err), tab[i].code);
        CHECK(err.msg[0] != '\0');
        CHECK_STR(tok, "");
    }
    check_current = "issue_bad";
    char small[40];
    CHECK_INT(zc_qr_issue(sk, "E1", exp_day, small, sizeof small, NULL), ZC_ETOOBIG);
    CHECK_STR(small, "");
}

static const check_case cases[] = {
    {"roundtrip", t_roundtrip},
    {"expiry", t_expiry},
    {"flip_every_char", t_flip_every_char},
    {"other_key", t_other_key},
    {"garbage", t_garbage},
    {"non_canonical", t_non_canonical},
    {"signed_but_malformed", t_signed_but_malformed},
    {"issue_bad", t_issue_bad},
    {0},
};

int main(int argc, char **argv) { return check_main("test_qr", cases, argc, argv); }
