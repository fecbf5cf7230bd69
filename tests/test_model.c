/* test_model.c - cart arithmetic, name masking, category lists. */
#include "../app/core/model.h"
#include "check.h"

static zc_line L(const char *code, zc_fen unit, int qty, bool eligible)
{
    zc_line l;
    memset(&l, 0, sizeof l);
    snprintf(l.code, sizeof l.code, "%s", code);
    snprintf(l.name, sizeof l.name, "dish %s", code);
    l.unit_fen = unit;
    l.qty = qty;
    l.eligible = eligible;
    return l;
}

static void t_cart(void)
{
    zc_cart c;
    memset(&c, 0, sizeof c);
    zc_line a = L("A", 1200, 1, true), b = L("B", 250, 2, false);
    CHECK_OK(zc_cart_add(&c, &a));
    CHECK_OK(zc_cart_add(&c, &b));
    CHECK_OK(zc_cart_add(&c, &a)); /* merges */
    CHECK_INT(c.n, 2);
    CHECK_INT(c.lines[0].qty, 2);
    CHECK_INT(zc_cart_gross(&c), 2 * 1200 + 2 * 250);
    CHECK_INT(zc_cart_eligible(&c), 2 * 1200);

    zc_cart_remove(&c, "A", 1);
    CHECK_INT(c.lines[0].qty, 1);
    zc_cart_remove(&c, "A", 5); /* more than there is: whole line */
    CHECK_INT(c.n, 1);
    CHECK_STR(c.lines[0].code, "B");
    zc_cart_remove(&c, "nope", 1);
    CHECK_INT(c.n, 1);
    zc_cart_remove(&c, "B", 0);
    CHECK_INT(c.n, 0);
    CHECK_INT(zc_cart_gross(&c), 0);
    CHECK_INT(zc_cart_gross(NULL), 0);
}

static void t_cart_bad(void)
{
    static const struct {
        const char *name;
        zc_fen unit;
        int qty, rc;
    } v[] = {
        {"zero qty", 100, 0, ZC_EINVAL},
        {"negative qty", 100, -1, ZC_EINVAL},
        {"negative price", -1, 1, ZC_EINVAL},
        {"huge qty", 100, 1000, ZC_EINVAL},
        {"huge price", ZC_FEN_MAX, 1, ZC_EINVAL},
        {"free dish", 0, 1, 0},
    };
    for (size_t i = 0; i < sizeof v / sizeof v[0]; i++) {
        zc_cart c;
        memset(&c, 0, sizeof c);
        zc_line l = L("X", v[i].unit, v[i].qty, true);
        CHECK_INT(zc_cart_add(&c, &l), v[i].rc);
        CHECK_INT(c.n, v[i].rc == 0 ? 1 : 0);
    }
    zc_cart c;
    memset(&c, 0, sizeof c);
    for (int i = 0; i < ZC_MAX_LINES; i++) {
        char code[16];
        snprintf(code, sizeof code, "c%d", i);
        zc_line l = L(code, 100, 1, false);
        CHECK_OK(zc_cart_add(&c, &l));
    }
    zc_line extra = L("extra", 100, 1, false), again = L("c3", 100, 1, false);
    CHECK_INT(zc_cart_add(&c, &extra), ZC_ETOOBIG);
    CHECK_OK(zc_cart_add(&c, &again)); /* merging still works when full */
    zc_line many = L("c3", 100, 998, false);
    CHECK_INT(zc_cart_add(&c, &many), ZC_ETOOBIG);
    CHECK_INT(zc_cart_gross(&c), (ZC_MAX_LINES + 1) * 100);
}

static void t_mask(void)
{
    static const struct {
        const char *in, *out;
    } v[] = {
        {"张三英", "张*英"},
        {"张三", "张*"},
        {"欧阳小明", "欧**明"},
        {"张", "*"},
        {"", ""},
        {"Li Wei", "L****i"},
        {"阿卜杜拉·买买提", "阿******提"},
        {"张\xff英", "张*英"},     /* invalid byte counts as one character */
        {"\xff三英", "?*英"},
    };
    char buf[64];
    for (size_t i = 0; i < sizeof v / sizeof v[0]; i++)
        CHECK_STR(zc_name_mask(v[i].in, buf, sizeof buf), v[i].out);
    /* too small: stops at a whole character (张 is 3 bytes) */
    char small[6];
    CHECK_STR(zc_name_mask("张三英", small, sizeof small), "张*");
    char tiny[3];
    CHECK_STR(zc_name_mask("张三英", tiny, sizeof tiny), "");
    CHECK_STR(zc_name_mask(NULL, buf, sizeof buf), "");
}

static void t_cats(void)
{
    zc_category c[ZC_MAX_CATS];
    int n = -1;
    zc_err e = {""};
    char buf[128];

    CHECK_OK(zc_cats_parse("dibao;disabled_care:2", c, ZC_MAX_CATS, &n, &e));
    CHECK_INT(n, 2);
    CHECK_STR(c[0].code, "dibao");
    CHECK_INT(c[0].level, 0);
    CHECK_STR(c[1].code, "disabled_care");
    CHECK_INT(c[1].level, 2);
    CHECK_STR(zc_cats_fmt(c, n, buf, sizeof buf), "dibao;disabled_care:2");

    CHECK_OK(zc_cats_parse("", c, ZC_MAX_CATS, &n, &e));
    CHECK_INT(n, 0);
    CHECK_STR(zc_cats_fmt(c, n, buf, sizeof buf), "");

    static const struct {
        const char *s;
        int rc;
        const char *msg_has;
    } bad[] = {
        {"Dibao", ZC_EINVAL, "item 1"},
        {"dibao;", ZC_EINVAL, "item 2"},
        {";dibao", ZC_EINVAL, "item 1"},
        {"dibao;;tekun", ZC_EINVAL, "item 2"},
        {"dibao tekun", ZC_EINVAL, "' '"},
        {"disabled_care:10", ZC_EINVAL, "between 0 and 9"},
        {"disabled_care:", ZC_EINVAL, "digit"},
        {"disabled_care:-1", ZC_EINVAL, "digit"},
        {"disabled_care:x", ZC_EINVAL, "digit"},
        {"dibao;dibao:1", ZC_EINVAL, "twice"},
        {"a_code_that_is_far_too_long_x", ZC_EINVAL, "longer"},
        {"a;b;c;d;e;f;g;h;i;j;k;l;m", ZC_ETOOBIG, "more than 12"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        e.msg[0] = '\0';
        n = -1;
        CHECK_INT(zc_cats_parse(bad[i].s, c, ZC_MAX_CATS, &n, &e), bad[i].rc);
        CHECK_INT(n, -1);
        if (!strstr(e.msg, bad[i].msg_has))
            fprintf(stderr, "  \"%s\" gave \"%s\"\n", bad[i].s, e.msg);
        CHECK(strstr(e.msg, bad[i].msg_has) != NULL);
    }

    /* fmt truncates safely */
    CHECK_OK(zc_cats_parse("tekun;dibao_edge:3;gugua", c, ZC_MAX_CATS, &n, &e));
    CHECK_STR(zc_cats_fmt(c, n, buf, sizeof buf), "tekun;dibao_edge:3;gugua");
    char small[10];
    CHECK_STR(zc_cats_fmt(c, n, small, sizeof small), "tekun;dib");
}

static const check_case cases[] = {
    {"cart", t_cart},
    {"cart_bad", t_cart_bad},
    {"mask", t_mask},
    {"cats", t_cats},
    {0, 0},
};

int main(int argc, char **argv) { return check_main("test_model", cases, argc, argv); }
