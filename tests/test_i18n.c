/* test_i18n.c - the .po reader: escapes, continuation strings, comments,
 * fuzzy and untranslated entries, malformed entries with their line, bounds,
 * loading by language, and the shipped assets/i18n/en.po.
 * ZC_ASSETS (default "assets") names the assets directory. */
#include "../app/ui/i18n.h"
#include "check.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static i18n_t *parse(const char *text, int *rc, zc_err *err)
{
    i18n_t *c = NULL;
    err->msg[0] = '\0';
    *rc = i18n_parse("t.po", text, strlen(text), &c, err);
    return c;
}

static void t_basic(void)
{
    int rc;
    zc_err err;
    i18n_t *c = parse("# a comment\n"
                      "msgid \"\"\n"
                      "msgstr \"\"\n"
                      "\"Content-Type: text/plain; charset=UTF-8\\n\"\n"
                      "\n"
                      "#: app/ui/sell.c:10\n"
                      "msgid \"请刷卡\"\n"
                      "msgstr \"Please tap your card\"\n"
                      "\n"
                      "msgid \"合计\"\r\n"
                      "msgstr \"To\"\r\n"
                      "\"tal\"\r\n"
                      "\n"
                      "msgid \"\"\n"
                      "\"两行\"\n"
                      "msgstr \"say \\\"hi\\\"\\n\\\\ \\tend\"\n"
                      "msgid \"未翻译\"\n"
                      "msgstr \"\"\n"
                      "#, fuzzy\n"
                      "msgid \"模糊\"\n"
                      "msgstr \"Fuzzy\"\n"
                      "#~ msgid \"旧\"\n"
                      "#~ msgstr \"Old\"\n"
                      "  msgid   \"取消\"   \n"
                      "msgstr\t\"Cancel\"",
                      &rc, &err);
    CHECK_OK(rc);
    CHECK(c != NULL);
    CHECK_INT(i18n_count(c), 4);
    CHECK_STR(i18n_tr(c, "请刷卡"), "Please tap your card");
    CHECK_STR(i18n_tr(c, "合计"), "Total");
    CHECK_STR(i18n_tr(c, "两行"), "say \"hi\"\n\\ \tend");
    CHECK_STR(i18n_tr(c, "取消"), "Cancel");
    CHECK_STR(i18n_tr(c, "未翻译"), "未翻译"); /* untranslated: the Chinese */
    CHECK_STR(i18n_tr(c, "模糊"), "模糊");     /* fuzzy: ignored */
    CHECK_STR(i18n_tr(c, "旧"), "旧");
    CHECK_STR(i18n_tr(c, "没有"), "没有");
    CHECK_STR(i18n_tr(c, ""), "");
    CHECK(i18n_tr(c, NULL) == NULL);
    CHECK_STR(i18n_tr(NULL, "请付"), "请付");
    i18n_free(c);
    i18n_free(NULL);
}

static void t_empty(void)
{
    int rc;
    zc_err err;
    i18n_t *c = parse("", &rc, &err);
    CHECK_OK(rc);
    CHECK_INT(i18n_count(c), 0);
    CHECK_STR(i18n_tr(c, "请付"), "请付");
    i18n_free(c);
    c = parse("\xEF\xBB\xBFmsgid \"a\"\nmsgstr \"b\"\n", &rc, &err); /* BOM */
    CHECK_OK(rc);
    CHECK_STR(i18n_tr(c, "a"), "b");
    i18n_free(c);
}

/* Malformed entries: code, and the line named in the message. */
static const struct {
    const char *name, *text, *where;
    int rc;
} BAD[] = {
    {"no msgstr", "msgid \"a\"\nmsgstr \"b\"\n\nmsgid \"c\"\n\nmsgid \"d\"\nmsgstr \"e\"\n",
     "t.po:4: msgid has no msgstr", ZC_EINVAL},
    {"no msgstr at end", "msgid \"a\"\n", "t.po:1: msgid has no msgstr", ZC_EINVAL},
    {"msgstr first", "\nmsgstr \"x\"\n", "t.po:2: msgstr without", ZC_EINVAL},
    {"two msgstr", "msgid \"a\"\nmsgstr \"b\"\nmsgstr \"c\"\n", "t.po:3: second msgstr", ZC_EINVAL},
    {"open quote", "msgid \"a\"\nmsgstr \"b\n", "t.po:2: missing closing quote", ZC_EINVAL},
    {"no quote", "msgid a\nmsgstr \"b\"\n", "t.po:1: expected a string", ZC_EINVAL},
    {"after quote", "msgid \"a\" x\nmsgstr \"b\"\n", "t.po:1: unexpected text", ZC_EINVAL},
    {"bad escape", "msgid \"a\"\nmsgstr \"b\\q\"\n", "t.po:2: unknown escape \\q", ZC_EINVAL},
    {"stray string", "# c\n\"a\"\n", "t.po:2: string without", ZC_EINVAL},
    {"garbage", "msgid \"a\"\nmsgstr \"b\"\nhello\n", "t.po:3: expected msgid", ZC_EINVAL},
    {"keyword glued", "msgid\"a\"\nmsgstr \"b\"\n", "t.po:1: expected msgid", ZC_EINVAL},
    {"context", "msgctxt \"x\"\nmsgid \"a\"\nmsgstr \"b\"\n", "t.po:1: msgctxt", ZC_EINVAL},
    {"plural", "msgid \"a\"\nmsgid_plural \"as\"\nmsgstr[0] \"b\"\n", "t.po:2: msgctxt and plural",
     ZC_EINVAL},
    {"bad utf8", "msgid \"a\"\nmsgstr \"\xC4\xE3\"\n", "t.po:1: text is not valid UTF-8",
     ZC_EINVAL},
    {"overlong utf8", "msgid \"\xC0\xAF\"\nmsgstr \"b\"\n", "t.po:1: text is not valid UTF-8",
     ZC_EINVAL},
    {"duplicate", "msgid \"a\"\nmsgstr \"b\"\n\nmsgid \"c\"\nmsgstr \"d\"\nmsgid \"a\"\nmsgstr \"e\"\n",
     "t.po:6: duplicate msgid (first at line 1)", ZC_ECONFLICT},
};

static void t_malformed(void)
{
    for (size_t i = 0; i < sizeof BAD / sizeof BAD[0]; i++) {
        int rc;
        zc_err err;
        i18n_t *c = parse(BAD[i].text, &rc, &err);
        if (rc != BAD[i].rc || c || !strstr(err.msg, BAD[i].where))
            fprintf(stderr, "  case \"%s\": rc %d, message \"%s\"\n", BAD[i].name, rc, err.msg);
        CHECK_INT(rc, BAD[i].rc);
        CHECK(c == NULL);
        CHECK(strstr(err.msg, BAD[i].where) != NULL);
        i18n_free(c);
    }
}

static void t_bounds(void)
{
    int rc;
    zc_err err;
    size_t n = I18N_STR_MAX + 64;
    char *big = malloc(n + 64);
    i18n_t *c = NULL;
    CHECK(big != NULL);
    if (!big)
        return;
    /* one string longer than I18N_STR_MAX */
    int k = snprintf(big, n + 64, "msgid \"a\"\nmsgstr \"");
    memset(big + k, 'x', I18N_STR_MAX + 1);
    snprintf(big + k + I18N_STR_MAX + 1, 8, "\"\n");
    c = parse(big, &rc, &err);
    CHECK_INT(rc, ZC_ETOOBIG);
    CHECK(strstr(err.msg, "t.po:2: string longer than") != NULL);
    i18n_free(c);
    /* exactly I18N_STR_MAX is fine */
    memset(big + k, 'y', I18N_STR_MAX);
    snprintf(big + k + I18N_STR_MAX, 8, "\"\n");
    c = parse(big, &rc, &err);
    CHECK_OK(rc);
    CHECK_INT(strlen(i18n_tr(c, "a")), I18N_STR_MAX);
    i18n_free(c);
    free(big);
    /* a whole file past I18N_FILE_MAX is refused before parsing */
    c = NULL;
    CHECK_INT(i18n_parse("t.po", "", (size_t)I18N_FILE_MAX + 1, &c, &err), ZC_ETOOBIG);
    CHECK(c == NULL);
}

static const char *assets(void)
{
    const char *d = getenv("ZC_ASSETS");
    return d && *d ? d : "assets";
}

static void t_load(void)
{
    char dir[] = "/tmp/zc_i18n_XXXXXX", path[256];
    zc_err err;
    i18n_t *c = NULL;
    CHECK(mkdtemp(dir) != NULL);
    /* identity needs no file */
    CHECK_OK(i18n_load(dir, "zh_CN", &c, &err));
    CHECK_STR(i18n_lang(c), "zh_CN");
    CHECK_STR(i18n_tr(c, "请付"), "请付");
    i18n_free(c);
    CHECK_OK(i18n_load(dir, NULL, &c, &err));
    CHECK_INT(i18n_count(c), 0);
    i18n_free(c);
    /* missing file */
    c = (i18n_t *)1;
    CHECK_INT(i18n_load(dir, "fr", &c, &err), ZC_ENOTFOUND);
    CHECK(c == NULL);
    CHECK(strstr(err.msg, "fr.po") != NULL);
    /* path tricks are not language codes */
    CHECK_INT(i18n_load(dir, "../etc/passwd", &c, &err), ZC_EINVAL);
    CHECK_INT(i18n_load(dir, "en/../x", &c, &err), ZC_EINVAL);
    /* en_US falls back to en.po; the file name is in error messages */
    snprintf(path, sizeof path, "%s/en.po", dir);
    FILE *f = fopen(path, "w");
    CHECK(f != NULL);
    if (f) {
        fputs("msgid \"请付\"\nmsgstr \"Please pay\"\n", f);
        fclose(f);
    }
    CHECK_OK(i18n_load(dir, "en_US", &c, &err));
    CHECK_STR(i18n_lang(c), "en_US");
    CHECK_STR(i18n_tr(c, "请付"), "Please pay");
    i18n_free(c);
    CHECK_OK(i18n_load(dir, "zh_TW", &c, &err)); /* no zh_TW.po: simplified Chinese */
    CHECK_INT(i18n_count(c), 0);
    i18n_free(c);
    f = fopen(path, "w");
    if (f) {
        fputs("msgid \"请付\"\nmsgstr \"Please pay\"\nmsgstr \"x\"\n", f);
        fclose(f);
    }
    CHECK_INT(i18n_load(dir, "en", &c, &err), ZC_EINVAL);
    CHECK(strstr(err.msg, "/en.po:3: second msgstr") != NULL);
    unlink(path);
    rmdir(dir);
}

static void t_shipped_en(void)
{
    char dir[256];
    zc_err err = {{0}};
    i18n_t *c = NULL;
    snprintf(dir, sizeof dir, "%s/i18n", assets());
    int rc = i18n_load(dir, "en", &c, &err);
    if (rc)
        fprintf(stderr, "  %s\n", err.msg);
    CHECK_OK(rc);
    CHECK(i18n_count(c) >= 30);
    static const char *const want[][2] = {
        {"请刷卡", "Please tap your card"}, {"请付", "Please pay"}, {"补贴", "Subsidy"},
        {"合计", "Total"}, {"现金", "Cash"}, {"移动支付", "Mobile payment"},
        {"找零", "Change"}, {"取消", "Cancel"}, {"确认", "Confirm"}, {"结账", "Checkout"},
        {"清空", "Clear"}, {"登录", "Log in"}, {"退出", "Log out"}, {"交班", "Close shift"},
        {"设置", "Settings"}, {"最近交易", "Recent sales"}, {"作废", "Void"},
        {"退款", "Refund"}, {"查找老人", "Find elder"}, {"按原价继续", "Continue at full price"},
        {"早餐", "Breakfast"}, {"午餐", "Lunch"}, {"晚餐", "Dinner"}, {"在线", "Online"},
        {"离线", "Offline"}, {"未上传", "Not uploaded"}, {"上次同步", "Last sync"},
    };
    for (size_t i = 0; i < sizeof want / sizeof want[0]; i++)
        CHECK_STR(i18n_tr(c, want[i][0]), want[i][1]);
    i18n_free(c);
}

static const check_case cases[] = {
    {"basic", t_basic},         {"empty", t_empty}, {"malformed", t_malformed},
    {"bounds", t_bounds},       {"load", t_load},   {"shipped_en", t_shipped_en},
    {0},
};

int main(int argc, char **argv) { return check_main("test_i18n", cases, argc, argv); }
