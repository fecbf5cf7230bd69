/* test_secure.c - uuids, SHA-256, ID number hashes, random hex, PINs. */
#include "../app/core/secure.h"

#include <stdlib.h>
#include <string.h>

#include "check.h"

static int cmp_str(const void *a, const void *b)
{
    return strcmp((const char *)a, (const char *)b);
}

static int is_lower_hex(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (!strchr("0123456789abcdef", s[i]) || !s[i])
            return 0;
    return 1;
}

static void t_init(void)
{
    CHECK_OK(zc_secure_init());
    CHECK_OK(zc_secure_init()); /* idempotent */
}

/* Format "xxxxxxxx-xxxx-4xxx-yxxx-xxxxxxxxxxxx", y in 8..b; 1000 all differ. */
static void t_uuid(void)
{
    enum { N = 1000 };
    static char ids[N][ZC_UUID_LEN];
    CHECK_OK(zc_secure_init());
    for (int i = 0; i < N; i++) {
        zc_uuid4(ids[i]);
        const char *u = ids[i];
        CHECK_INT(strlen(u), 36);
        CHECK(u[8] == '-' && u[13] == '-' && u[18] == '-' && u[23] == '-');
        CHECK(is_lower_hex(u, 8) && is_lower_hex(u + 9, 4) && is_lower_hex(u + 14, 4) &&
              is_lower_hex(u + 19, 4) && is_lower_hex(u + 24, 12));
        CHECK(u[14] == '4');
        CHECK(strchr("89ab", u[19]) != NULL);
    }
    qsort(ids, N, sizeof ids[0], cmp_str);
    int dups = 0;
    for (int i = 1; i < N; i++)
        dups += strcmp(ids[i - 1], ids[i]) == 0;
    CHECK_INT(dups, 0);
}

/* FIPS 180-2 test vectors. */
static void t_sha256(void)
{
    static const struct {
        const char *in, *want;
    } tab[] = {
        {"abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"},
        {"", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"},
        {"abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
         "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"},
    };
    char out[ZC_SHA256_HEX];
    for (size_t i = 0; i < sizeof tab / sizeof tab[0]; i++) {
        zc_sha256_hex(tab[i].in, strlen(tab[i].in), out);
        CHECK_STR(out, tab[i].want);
    }
    /* length is honoured: bytes past len do not count */
    zc_sha256_hex("abcdef", 3, out);
    CHECK_STR(out, tab[0].want);
}

static void t_idnum_hash(void)
{
    char a[ZC_SHA256_HEX], b[ZC_SHA256_HEX], c[ZC_SHA256_HEX], d[ZC_SHA256_HEX],
        sha[ZC_SHA256_HEX];
    CHECK_OK(zc_secure_init());
    zc_idnum_hash("district-salt-0001", "11010519491231002X", a);
    CHECK_INT(strlen(a), 64);
    CHECK(is_lower_hex(a, 64));
    /* deterministic, and the trailing x is the same person as X */
    zc_idnum_hash("district-salt-0001", "11010519491231002x", b);
    CHECK_STR(b, a);
    /* another salt, another number: other hashes */
    zc_idnum_hash("district-salt-0002", "11010519491231002X", c);
    CHECK(strcmp(c, a) != 0);
    zc_idnum_hash("district-salt-0001", "110105194912310029", d);
    CHECK(strcmp(d, a) != 0);
    /* keyed: not the plain SHA-256 of the number */
    zc_sha256_hex("11010519491231002X", 18, sha);
    CHECK(strcmp(sha, a) != 0);
    /* salts of any length work, short ones included */
    zc_idnum_hash("", "11010519491231002X", c);
    zc_idnum_hash("s", "11010519491231002X", d);
    CHECK(strcmp(c, d) != 0 && strcmp(c, a) != 0);
    char longsalt[300];
    memset(longsalt, 'k', sizeof longsalt - 1);
    longsalt[sizeof longsalt - 1] = '\0';
    zc_idnum_hash(longsalt, "11010519491231002X", c);
    CHECK_INT(strlen(c), 64);
    CHECK(strcmp(c, a) != 0);
}

static void t_random_hex(void)
{
    char a[129], b[129];
    CHECK_OK(zc_secure_init());
    static const int sizes[] = {0, 1, 16, 31, 32, 33, 64};
    for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++) {
        int n = sizes[i];
        memset(a, 'Z', sizeof a);
        zc_random_hex(n, a);
        CHECK_INT(strlen(a), 2 * n);
        CHECK(is_lower_hex(a, (size_t)(2 * n)));
    }
    zc_random_hex(32, a);
    zc_random_hex(32, b);
    CHECK(strcmp(a, b) != 0);
    /* the bytes past the first chunk are random too, not a repeat */
    zc_random_hex(64, a);
    CHECK(memcmp(a, a + 64, 64) != 0);
}

static void t_pin_valid(void)
{
    static const struct {
        const char *name, *pin;
        int code;
        const char *says;
    } tab[] = {
        {"4 digits", "0000", ZC_OK, NULL},
        {"8 digits", "12345678", ZC_OK, NULL},
        {"6 digits", "908172", ZC_OK, NULL},
        {"empty", "", ZC_EINVAL, "4 to 8 digits"},
        {"null", NULL, ZC_EINVAL, "4 to 8 digits"},
        {"3 digits", "123", ZC_EINVAL, "not 3"},
        {"9 digits", "123456789", ZC_EINVAL, "not more than 8"},
        {"very long", "12345678901234567890", ZC_EINVAL, "not more than 8"},
        {"letter", "12a4", ZC_EINVAL, "only contain digits"},
        {"space", "12 34", ZC_EINVAL, "only contain digits"},
        {"sign", "-1234", ZC_EINVAL, "only contain digits"},
        {"fullwidth", "\xef\xbc\x91\xef\xbc\x92", ZC_EINVAL, "only contain digits"},
    };
    for (size_t i = 0; i < sizeof tab / sizeof tab[0]; i++) {
        zc_err err = {""};
        check_current = tab[i].name;
        CHECK_INT(zc_pin_valid(tab[i].pin, &err), tab[i].code);
        if (tab[i].code == ZC_OK) {
            CHECK_STR(err.msg, "");
        } else {
            CHECK(strstr(err.msg, tab[i].says) != NULL);
            char h[ZC_PIN_HASH_MAX] = "junk";
            CHECK_INT(zc_pin_hash(tab[i].pin, h, NULL), tab[i].code);
            CHECK_STR(h, "");
        }
    }
    check_current = "pin_valid";
}

static void t_pin_hash(void)
{
    char h1[ZC_PIN_HASH_MAX], h2[ZC_PIN_HASH_MAX];
    zc_err err = {""};
    CHECK_OK(zc_secure_init());
    CHECK_OK(zc_pin_hash("2468", h1, &err));
    CHECK(strncmp(h1, "$argon2id$", 10) == 0);
    CHECK(strstr(h1, "2468") == NULL);
    CHECK_OK(zc_pin_verify(h1, "2468"));
    static const char *const wrong[] = {"2469", "24680", "1357", "8642", "02468"};
    for (size_t i = 0; i < sizeof wrong / sizeof wrong[0]; i++)
        CHECK_INT(zc_pin_verify(h1, wrong[i]), ZC_EREFUSED);
    /* pins that could never have been set are simply wrong */
    CHECK_INT(zc_pin_verify(h1, ""), ZC_EREFUSED);
    CHECK_INT(zc_pin_verify(h1, NULL), ZC_EREFUSED);
    CHECK_INT(zc_pin_verify(h1, "24a8"), ZC_EREFUSED);
    /* salted: the same PIN hashes differently, both verify */
    CHECK_OK(zc_pin_hash("2468", h2, NULL));
    CHECK(strcmp(h1, h2) != 0);
    CHECK_OK(zc_pin_verify(h2, "2468"));
    /* 8 digits */
    CHECK_OK(zc_pin_hash("87654321", h2, NULL));
    CHECK_OK(zc_pin_verify(h2, "87654321"));
    CHECK_INT(zc_pin_verify(h2, "8765432"), ZC_EREFUSED);
    /* a damaged stored hash is reported as such, not as a wrong PIN */
    CHECK_INT(zc_pin_verify("", "2468"), ZC_EINVAL);
    CHECK_INT(zc_pin_verify(NULL, "2468"), ZC_EINVAL);
    CHECK_INT(zc_pin_verify("2468", "2468"), ZC_EINVAL);
    CHECK_INT(zc_pin_verify("$argon2i$v=19$m=8,t=1,p=1$c2FsdHNhbHQ$aGFzaA", "2468"), ZC_EINVAL);
    /* a tampered hash does not verify */
    size_t n = strlen(h1);
    h1[n - 2] = h1[n - 2] == 'A' ? 'B' : 'A';
    CHECK_INT(zc_pin_verify(h1, "2468"), ZC_EREFUSED);
}

static void t_password(void)
{
    char h[ZC_PIN_HASH_MAX];
    zc_err err = {""};
    CHECK_OK(zc_secure_init());
    CHECK_INT(zc_password_valid("short-pw1", &err), ZC_EINVAL); /* 9 characters */
    CHECK(strstr(err.msg, "10 to 128") != NULL);
    CHECK_OK(zc_password_valid("ten chars!", NULL));
    CHECK_OK(zc_password_valid("长城长城长", NULL)); /* 15 bytes of UTF-8 */
    CHECK_INT(zc_password_valid("with a\ttab inside", &err), ZC_EINVAL);
    CHECK(strstr(err.msg, "control") != NULL);
    CHECK_INT(zc_password_valid(NULL, NULL), ZC_EINVAL);
    char longpw[ZC_PASSWORD_MAX + 2];
    memset(longpw, 'x', sizeof longpw - 1);
    longpw[sizeof longpw - 1] = '\0';
    CHECK_INT(zc_password_valid(longpw, NULL), ZC_EINVAL);
    longpw[ZC_PASSWORD_MAX] = '\0';
    CHECK_OK(zc_password_valid(longpw, NULL));
    CHECK_INT(zc_password_hash("tooshort", h, &err), ZC_EINVAL);
    CHECK_STR(h, "");
    CHECK_OK(zc_password_hash("correct horse battery", h, &err));
    CHECK(strncmp(h, "$argon2id$", 10) == 0);
    CHECK_OK(zc_password_verify(h, "correct horse battery"));
    CHECK_INT(zc_password_verify(h, "correct horse batterY"), ZC_EREFUSED);
    CHECK_INT(zc_password_verify(h, "short"), ZC_EREFUSED);
    CHECK_INT(zc_password_verify(h, NULL), ZC_EREFUSED);
    CHECK_INT(zc_password_verify("not a hash", "correct horse battery"), ZC_EINVAL);
}

/* The rules for a new operator's PIN: length by role, no easy patterns. */
static void t_pin_policy(void)
{
    static const struct {
        const char *pin;
        int min, ok;
        const char *why; /* part of the message when refused */
    } rows[] = {
        {"5829", 4, 1, NULL},
        {"582913", 6, 1, NULL},
        {"58291374", 8, 1, NULL},
        {"5829", 6, 0, "at least 6 digits"},
        {"58291", 6, 0, "at least 6 digits"},
        {"5829137", 8, 0, "at least 8 digits"},
        {"5829", 2, 1, NULL},           /* a minimum under 4 means 4 */
        {"582", 2, 0, "4 to 8 digits"},
        {"0000", 4, 0, "one digit repeated"},
        {"000000", 6, 0, "one digit repeated"},
        {"123456", 6, 0, "digits in a row"},
        {"654321", 6, 0, "digits in a row"},
        {"7890", 4, 0, "digits in a row"},
        {"901234", 6, 0, "digits in a row"},
        {"3210", 4, 0, "digits in a row"},
        {"121212", 6, 0, "two digits taking turns"},
        {"9090", 4, 0, "two digits taking turns"},
        {"1213", 4, 1, NULL},           /* almost alternating */
        {"123457", 6, 1, NULL},         /* almost a run */
        {"112233", 6, 1, NULL},
        {"12a456", 6, 0, "only contain digits"},
        {"", 4, 0, "enter a PIN"},
    };
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        zc_err err = {""};
        int rc = zc_pin_policy(rows[i].pin, rows[i].min, &err);
        if ((rc == ZC_OK) != rows[i].ok || (rows[i].why && !strstr(err.msg, rows[i].why)))
            fprintf(stderr, "  row \"%s\" min %d: rc %d \"%s\"\n", rows[i].pin, rows[i].min, rc,
                    err.msg);
        CHECK_INT(rc == ZC_OK, rows[i].ok);
        if (rows[i].why)
            CHECK(strstr(err.msg, rows[i].why) != NULL);
        if (!rows[i].ok && rows[i].pin[0]) /* the message never repeats the PIN */
            CHECK(strstr(err.msg, rows[i].pin) == NULL);
    }
    CHECK_INT(zc_pin_policy(NULL, 4, NULL), ZC_EINVAL);
}

static const check_case cases[] = {
    {"init", t_init},
    {"uuid", t_uuid},
    {"sha256", t_sha256},
    {"idnum_hash", t_idnum_hash},
    {"random_hex", t_random_hex},
    {"pin_valid", t_pin_valid},
    {"pin_policy", t_pin_policy},
    {"password", t_password},
    {"pin_hash", t_pin_hash},
    {0},
};

int main(int argc, char **argv) { return check_main("test_secure", cases, argc, argv); }
