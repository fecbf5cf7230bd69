/* test_card.c - reader formats, UID helpers, input classification, hex. */
#include "../app/core/card.h"

#include <stdlib.h>
#include <string.h>

#include "check.h"

#define UID40 0xFFFFFFFFFFull

static const zc_card_fmt all_fmts[] = {ZC_CARD_HEX10, ZC_CARD_DEC10, ZC_CARD_DEC8,
                                       ZC_CARD_FACILITY};

static void t_fmt_names(void)
{
    static const struct {
        const char *name;
        zc_card_fmt f;
    } tab[] = {
        {"hex10", ZC_CARD_HEX10},
        {"dec10", ZC_CARD_DEC10},
        {"dec8", ZC_CARD_DEC8},
        {"facility", ZC_CARD_FACILITY},
    };
    for (size_t i = 0; i < sizeof tab / sizeof tab[0]; i++) {
        zc_card_fmt f = (zc_card_fmt)-1;
        CHECK_OK(zc_card_fmt_parse(tab[i].name, &f));
        CHECK_INT(f, tab[i].f);
        CHECK_STR(zc_card_fmt_name(tab[i].f), tab[i].name);
    }
    static const char *const bad[] = {"", "hex", "HEX10", "dec10 ", "wiegand"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        zc_card_fmt f;
        CHECK_INT(zc_card_fmt_parse(bad[i], &f), ZC_EINVAL);
    }
    zc_card_fmt f;
    CHECK_INT(zc_card_fmt_parse(NULL, &f), ZC_EINVAL);
    CHECK_STR(zc_card_fmt_name((zc_card_fmt)42), "unknown");
}

/* Renderings worked out by hand (python: '%010d' % (u & 0xffffffff) ...). */
static void t_render_known(void)
{
    static const struct {
        uint64_t uid;
        const char *hex10, *dec10, *dec8, *fac;
    } tab[] = {
        {0x0A1B2C3D4Eull, "0A1B2C3D4E", "0455884110", "02899278", "044,15694"},
        {0xFFFFFFFFFFull, "FFFFFFFFFF", "4294967295", "16777215", "255,65535"},
        {0x00FF00FF00ull, "00FF00FF00", "4278255360", "00065280", "000,65280"},
        {0x123456789Aull, "123456789A", "0878082202", "05666970", "086,30874"},
        {0, "0000000000", "0000000000", "00000000", "000,00000"},
    };
    char buf[32];
    for (size_t i = 0; i < sizeof tab / sizeof tab[0]; i++) {
        CHECK_STR(zc_card_render(tab[i].uid, ZC_CARD_HEX10, buf, sizeof buf), tab[i].hex10);
        CHECK_STR(zc_card_render(tab[i].uid, ZC_CARD_DEC10, buf, sizeof buf), tab[i].dec10);
        CHECK_STR(zc_card_render(tab[i].uid, ZC_CARD_DEC8, buf, sizeof buf), tab[i].dec8);
        CHECK_STR(zc_card_render(tab[i].uid, ZC_CARD_FACILITY, buf, sizeof buf), tab[i].fac);
        CHECK_STR(zc_card_uid_fmt(tab[i].uid, buf, sizeof buf), tab[i].hex10);
    }
    /* too small a buffer gives "" rather than a cut-off number */
    char small[10];
    CHECK_STR(zc_card_render(0x0A1B2C3D4Eull, ZC_CARD_HEX10, small, sizeof small), "");
    CHECK_STR(zc_card_render(0x0A1B2C3D4Eull, ZC_CARD_DEC10, small, sizeof small), "");
    CHECK_STR(zc_card_render(0x0A1B2C3D4Eull, ZC_CARD_FACILITY, small, 9), "");
    CHECK_STR(zc_card_render(0x0A1B2C3D4Eull, ZC_CARD_DEC8, small, 9), "02899278");
    CHECK_STR(zc_card_render(1, (zc_card_fmt)9, buf, sizeof buf), "");
}

/* The same UID typed in every format parses to a key that matches it and
 * not its neighbours. */
static void t_all_formats_match(void)
{
    static const uint64_t uids[] = {0x0A1B2C3D4Eull, 0x0000000001ull, 0xFFFFFFFFFEull,
                                    0x00FF00FF00ull, 0x123456789Aull, 0x8000FFFF00ull};
    static const int want_bits[] = {40, 32, 24, 24};
    char buf[32];
    for (size_t i = 0; i < sizeof uids / sizeof uids[0]; i++) {
        for (size_t k = 0; k < sizeof all_fmts / sizeof all_fmts[0]; k++) {
            zc_card_key key = {0, 0};
            zc_err err = {""};
            zc_card_render(uids[i], all_fmts[k], buf, sizeof buf);
            CHECK_OK(zc_card_parse(buf, all_fmts[k], &key, &err));
            CHECK_INT(key.bits, want_bits[k]);
            uint64_t mask = (1ull << want_bits[k]) - 1;
            CHECK(key.value == (uids[i] & mask));
            CHECK(zc_card_matches(&key, uids[i]));
            CHECK(!zc_card_matches(&key, (uids[i] + 1) & UID40));
            CHECK(!zc_card_matches(&key, (uids[i] - 1) & UID40));
            /* a card differing only above the shown bits is indistinguishable */
            if (want_bits[k] < 40)
                CHECK(zc_card_matches(&key, (uids[i] ^ (1ull << want_bits[k])) & UID40));
        }
    }
}

static void t_parse_good(void)
{
    static const struct {
        const char *name, *in;
        zc_card_fmt f;
        uint64_t value;
        int bits;
    } tab[] = {
        {"hex upper", "0A1B2C3D4E", ZC_CARD_HEX10, 0x0A1B2C3D4Eull, 40},
        {"hex lower", "0a1b2c3d4e", ZC_CARD_HEX10, 0x0A1B2C3D4Eull, 40},
        {"hex with enter", " 0A1B2C3D4E\r\n", ZC_CARD_HEX10, 0x0A1B2C3D4Eull, 40},
        {"dec10 max", "4294967295", ZC_CARD_DEC10, 0xFFFFFFFFull, 32},
        {"dec10 zero", "0000000000", ZC_CARD_DEC10, 0, 32},
        {"dec8 max", "16777215", ZC_CARD_DEC8, 0xFFFFFFull, 24},
        {"dec8 tab around", "\t02899278\t", ZC_CARD_DEC8, 0x2C3D4Eull, 24},
        {"facility padded", "044,15694", ZC_CARD_FACILITY, 0x2C3D4Eull, 24},
        {"facility unpadded", "44,15694", ZC_CARD_FACILITY, 0x2C3D4Eull, 24},
        {"facility short", "1,2", ZC_CARD_FACILITY, 0x010002ull, 24},
        {"facility max", "255,65535", ZC_CARD_FACILITY, 0xFFFFFFull, 24},
        {"facility zero", "0,0", ZC_CARD_FACILITY, 0, 24},
    };
    for (size_t i = 0; i < sizeof tab / sizeof tab[0]; i++) {
        zc_card_key key = {99, 99};
        zc_err err = {""};
        check_current = tab[i].name;
        CHECK_OK(zc_card_parse(tab[i].in, tab[i].f, &key, &err));
        CHECK(key.value == tab[i].value);
        CHECK_INT(key.bits, tab[i].bits);
    }
    check_current = "parse_good";
}

static void t_parse_bad(void)
{
    static char longline[ZC_INPUT_MAX + 2];
    memset(longline, '0', sizeof longline - 1);
    longline[sizeof longline - 1] = '\0';
    static const struct {
        const char *name, *in;
        zc_card_fmt f;
        int code;
        const char *says; /* a phrase the cashier's message must contain */
    } tab[] = {
        {"null", NULL, ZC_CARD_HEX10, ZC_EINVAL, "tap the card again"},
        {"empty", "", ZC_CARD_HEX10, ZC_EINVAL, "no card number"},
        {"blanks only", " \r\n", ZC_CARD_DEC10, ZC_EINVAL, "no card number"},
        {"hex 9", "0A1B2C3D4", ZC_CARD_HEX10, ZC_EINVAL, "10 hex digits, got 9 characters"},
        {"hex 11", "0A1B2C3D4E0", ZC_CARD_HEX10, ZC_EINVAL, "got 11 characters"},
        {"hex letter G", "0A1B2C3D4G", ZC_CARD_HEX10, ZC_EINVAL, "character 10"},
        {"hex inner space", "0A1B2 3D4E", ZC_CARD_HEX10, ZC_EINVAL, "character 6"},
        {"dec10 too big", "4294967296", ZC_CARD_DEC10, ZC_EINVAL, "larger than 4294967295"},
        {"dec10 all nines", "9999999999", ZC_CARD_DEC10, ZC_EINVAL, "larger than"},
        {"dec10 short", "455884110", ZC_CARD_DEC10, ZC_EINVAL, "10 digits, got 9"},
        {"dec10 hex digit", "04558841A0", ZC_CARD_DEC10, ZC_EINVAL, "character 9"},
        {"dec8 too big", "16777216", ZC_CARD_DEC8, ZC_EINVAL, "larger than 16777215"},
        {"dec8 minus", "-1234567", ZC_CARD_DEC8, ZC_EINVAL, "not a digit"},
        {"dec8 plus", "+1234567", ZC_CARD_DEC8, ZC_EINVAL, "not a digit"},
        {"dec8 long", "028992780", ZC_CARD_DEC8, ZC_EINVAL, "8 digits"},
        {"dec8 given hex10", "0A1B2C3D4E", ZC_CARD_DEC8, ZC_EINVAL, "8 digits"},
        {"facility 256", "256,00001", ZC_CARD_FACILITY, ZC_EINVAL, "above 255"},
        {"number 65536", "001,65536", ZC_CARD_FACILITY, ZC_EINVAL, "above 65535"},
        {"facility 4 digits", "0044,15694", ZC_CARD_FACILITY, ZC_EINVAL, "up to 3 digits"},
        {"number 6 digits", "44,015694", ZC_CARD_FACILITY, ZC_EINVAL, "up to 5 digits"},
        {"no comma", "04415694", ZC_CARD_FACILITY, ZC_EINVAL, "no comma"},
        {"empty facility", ",15694", ZC_CARD_FACILITY, ZC_EINVAL, "123,45678"},
        {"empty number", "44,", ZC_CARD_FACILITY, ZC_EINVAL, "123,45678"},
        {"two commas", "4,4,1", ZC_CARD_FACILITY, ZC_EINVAL, "123,45678"},
        {"space after comma", "44, 15694", ZC_CARD_FACILITY, ZC_EINVAL, "123,45678"},
        {"letter in number", "44,1569a", ZC_CARD_FACILITY, ZC_EINVAL, "123,45678"},
        {"control inside", "0A1B2\x01" "3D4E", ZC_CARD_HEX10, ZC_EINVAL, "control character"},
        {"tab inside", "0455\t884110", ZC_CARD_DEC10, ZC_EINVAL, "control character at position 5"},
        {"DEL inside", "028\x7f" "9278", ZC_CARD_DEC8, ZC_EINVAL, "control character"},
        {"over long", longline, ZC_CARD_HEX10, ZC_ETOOBIG, "more than 256 characters"},
        {"unknown format", "0A1B2C3D4E", (zc_card_fmt)7, ZC_EINVAL, "format setting"},
    };
    for (size_t i = 0; i < sizeof tab / sizeof tab[0]; i++) {
        zc_card_key key = {12345, 7};
        zc_err err = {""};
        check_current = tab[i].name;
        CHECK_INT(zc_card_parse(tab[i].in, tab[i].f, &key, &err), tab[i].code);
        CHECK(strstr(err.msg, tab[i].says) != NULL);
        if (!strstr(err.msg, tab[i].says))
            fprintf(stderr, "    message was: %s\n", err.msg);
        /* a refused line leaves the key alone */
        CHECK(key.value == 12345 && key.bits == 7);
        /* and a NULL err is allowed */
        CHECK_INT(zc_card_parse(tab[i].in, tab[i].f, &key, NULL), tab[i].code);
    }
    check_current = "parse_bad";
    /* exactly ZC_INPUT_MAX characters is not "too long", just the wrong length */
    longline[ZC_INPUT_MAX] = '\0';
    zc_card_key key;
    CHECK_INT(zc_card_parse(longline, ZC_CARD_HEX10, &key, NULL), ZC_EINVAL);
}

static void t_uid_parse(void)
{
    uint64_t uid = 0;
    char buf[16];
    zc_err err = {""};
    CHECK_OK(zc_card_uid_parse("0a1b2c3d4e", &uid, &err));
    CHECK(uid == 0x0A1B2C3D4Eull);
    CHECK_STR(zc_card_uid_fmt(uid, buf, sizeof buf), "0A1B2C3D4E");
    CHECK_OK(zc_card_uid_parse("FFFFFFFFFF", &uid, &err));
    CHECK(uid == UID40);
    static const char *const bad[] = {"", "0A1B2C3D4", "0A1B2C3D4E5", "0A1B2C3D4Z", " A1B2C3D4E",
                                      "0x1B2C3D4E"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        uid = 77;
        err.msg[0] = '\0';
        CHECK_INT(zc_card_uid_parse(bad[i], &uid, &err), ZC_EINVAL);
        CHECK(uid == 77);
        CHECK(strstr(err.msg, "10 hex digits") != NULL);
    }
    CHECK_INT(zc_card_uid_parse(NULL, &uid, NULL), ZC_EINVAL);
    /* bits above 40 are not part of a UID */
    CHECK_STR(zc_card_uid_fmt(0x100000000001ull, buf, sizeof buf), "0000000001");
    CHECK_STR(zc_card_uid_fmt(1, buf, 10), "");
}

static void t_matches_edge(void)
{
    zc_card_key k = {0x2C3D4E, 24};
    CHECK(zc_card_matches(&k, 0x0A1B2C3D4Eull));
    CHECK(!zc_card_matches(NULL, 0x0A1B2C3D4Eull));
    k.bits = 16;
    CHECK(!zc_card_matches(&k, 0x0A1B2C3D4Eull));
    k.bits = 0;
    CHECK(!zc_card_matches(&k, 0x0A1B2C3D4Eull));
    /* a value wider than its bits is not a key */
    zc_card_key wide = {0x1B2C3D4E, 24};
    CHECK(!zc_card_matches(&wide, 0x0A1B2C3D4Eull));
}

static void t_classify(void)
{
    static const struct {
        const char *name, *in;
        zc_input_kind want;
    } tab[] = {
        {"qr", "ZCQ1.abcdef", ZC_INPUT_QR},
        {"qr prefix only", "ZCQ1.", ZC_INPUT_QR},
        {"qr with blanks", "  ZCQ1.abc\r\n", ZC_INPUT_QR},
        {"qr wrong case", "zcq1.abcdef", ZC_INPUT_CARD},
        {"qr no dot", "ZCQ1abcdef", ZC_INPUT_CARD},
        {"idnum digits", "110105194912310021", ZC_INPUT_IDNUM},
        {"idnum X", "11010519491231002X", ZC_INPUT_IDNUM},
        {"idnum x", "11010519491231002x", ZC_INPUT_IDNUM},
        {"idnum with enter", "11010519491231002X\n", ZC_INPUT_IDNUM},
        {"idnum bad check char", "11010519491231002Y", ZC_INPUT_CARD},
        {"idnum X inside", "1101051949123100X2", ZC_INPUT_CARD},
        {"17 chars", "11010519491231002", ZC_INPUT_CARD},
        {"19 chars", "1101051949123100211", ZC_INPUT_CARD},
        {"hex10", "0A1B2C3D4E", ZC_INPUT_CARD},
        {"facility", "044,15694", ZC_INPUT_CARD},
        {"empty", "", ZC_INPUT_CARD},
        {"null", NULL, ZC_INPUT_CARD},
    };
    for (size_t i = 0; i < sizeof tab / sizeof tab[0]; i++) {
        check_current = tab[i].name;
        CHECK_INT(zc_input_classify(tab[i].in), tab[i].want);
    }
    check_current = "classify";
}

static void t_hex(void)
{
    unsigned char in[40], out[40];
    char hex[81];
    for (int i = 0; i < 40; i++)
        in[i] = (unsigned char)(i * 37 + 5);
    CHECK_STR(zc_hex_encode((const unsigned char *)"\x00\x01\xab\xff", 4, hex, sizeof hex),
              "0001abff");
    zc_hex_encode(in, 40, hex, sizeof hex);
    CHECK_INT(strlen(hex), 80);
    memset(out, 0, sizeof out);
    CHECK_OK(zc_hex_decode(hex, out, 40));
    CHECK(memcmp(in, out, sizeof in) == 0);

    unsigned char b[4] = {0};
    CHECK_OK(zc_hex_decode("DEADbeef", b, 4));
    CHECK(b[0] == 0xDE && b[1] == 0xAD && b[2] == 0xBE && b[3] == 0xEF);
    CHECK_OK(zc_hex_decode("", b, 0));

    static const char *const bad[] = {"DEADbee", "DEADbeef0", "DEADbeeg", "DEAD beef", "",
                                      "0xDEADbe"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        memset(b, 0x5A, sizeof b);
        CHECK_INT(zc_hex_decode(bad[i], b, 4), ZC_EINVAL);
        CHECK(b[0] == 0x5A && b[3] == 0x5A); /* untouched on failure */
    }
    CHECK_INT(zc_hex_decode(NULL, b, 4), ZC_EINVAL);
    CHECK_INT(zc_hex_decode("00", b, -1), ZC_EINVAL);

    char small[8] = "junk";
    CHECK_STR(zc_hex_encode(in, 4, small, sizeof small), "");
    CHECK_STR(zc_hex_encode(in, 3, small, 7), "052a4f");
}

static const check_case cases[] = {
    {"fmt_names", t_fmt_names},
    {"render_known", t_render_known},
    {"all_formats_match", t_all_formats_match},
    {"parse_good", t_parse_good},
    {"parse_bad", t_parse_bad},
    {"uid_parse", t_uid_parse},
    {"matches_edge", t_matches_edge},
    {"classify", t_classify},
    {"hex", t_hex},
    {0},
};

int main(int argc, char **argv) { return check_main("test_card", cases, argc, argv); }
