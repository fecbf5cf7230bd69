/* test_policy.c - policy parsing, validation messages, periods, selection. */
#include "../app/core/policy.h"
#include "check.h"

#include <stdlib.h>

/* A small valid policy; broken variants are made by replacing one piece. */
static const char BASE[] =
    "{\"policy\":\"t\",\"version\":\"1\",\"name\":\"Test\",\"effective_from\":\"2024-01-01\","
    "\"effective_to\":null,"
    "\"periods\":[{\"id\":\"lunch\",\"from\":\"10:30\",\"to\":\"13:30\"},"
    "{\"id\":\"dinner\",\"from\":\"16:30\",\"to\":\"19:00\"}],"
    "\"groups\":[{\"id\":\"g\",\"combine\":\"max\"}],"
    "\"rules\":[{\"id\":\"r1\",\"group\":\"g\",\"who\":{\"age_min\":60,\"categories_any\":[\"dibao\"]},"
    "\"periods\":[\"lunch\"],\"min_bill_fen\":500,"
    "\"benefit\":{\"type\":\"percent_off\",\"percent\":10,\"cap_fen\":300},"
    "\"limits\":{\"per_day\":1},"
    "\"funding\":[{\"source\":\"city\",\"pct\":50},{\"source\":\"district\",\"rest\":true}]}]}";

/* BASE with the first `from` replaced by `to`; static buffer. */
static const char *mutate(const char *from, const char *to)
{
    static char buf[8192];
    const char *at = strstr(BASE, from);
    if (!at) {
        fprintf(stderr, "  test bug: \"%s\" not in BASE\n", from);
        snprintf(buf, sizeof buf, "%s", BASE);
        return buf;
    }
    snprintf(buf, sizeof buf, "%.*s%s%s", (int)(at - BASE), BASE, to, at + strlen(from));
    return buf;
}

static void t_base_ok(void)
{
    zc_policy *p = NULL;
    zc_err e = {""};
    CHECK_OK(zc_policy_parse(BASE, strlen(BASE), &p, &e));
    CHECK(p != NULL);
    CHECK_STR(zc_policy_id(p), "t");
    CHECK_STR(zc_policy_version(p), "1");
    CHECK_STR(zc_policy_name(p), "Test");
    CHECK_INT(zc_policy_nperiods(p), 2);
    CHECK_STR(zc_policy_period(p, 1)->id, "dinner");
    CHECK_STR(zc_policy_period(p, 1)->name, "dinner"); /* name defaults to id */
    CHECK(zc_policy_period(p, 2) == NULL);
    CHECK(!zc_date_is_set(zc_policy_to(p)));
    zc_policy_free(p);
    zc_policy_free(NULL);
}

static void t_broken(void)
{
    static const struct {
        const char *name, *from, *to, *path;
    } v[] = {
        {"typo in a root field", "\"effective_to\":null", "\"effective_too\":null", "effective_too"},
        {"missing policy id", "\"policy\":\"t\",", "", "policy"},
        {"version not a string", "\"version\":\"1\"", "\"version\":1", "version"},
        {"impossible date", "\"2024-01-01\"", "\"2024-02-30\"", "effective_from"},
        {"ends before it starts", "\"effective_to\":null", "\"effective_to\":\"2023-12-31\"",
         "effective_to"},
        {"unknown home", "\"effective_to\":null", "\"effective_to\":null,\"home\":\"birthplace\"",
         "home"},
        {"overlapping windows", "\"from\":\"16:30\"", "\"from\":\"13:00\"", "periods[1]"},
        {"inverted window", "\"to\":\"13:30\"", "\"to\":\"10:00\"", "periods[0].to"},
        {"bad time", "\"10:30\"", "\"10:75\"", "periods[0].from"},
        {"duplicate period id", "\"id\":\"dinner\"", "\"id\":\"lunch\"", "periods[1].id"},
        {"no periods", "\"periods\":[{\"id\":\"lunch\",\"from\":\"10:30\",\"to\":\"13:30\"},"
                       "{\"id\":\"dinner\",\"from\":\"16:30\",\"to\":\"19:00\"}],",
         "\"periods\":[],", "periods"},
        {"bad combine", "\"combine\":\"max\"", "\"combine\":\"min\"", "groups[0].combine"},
        {"unknown group", "\"group\":\"g\"", "\"group\":\"h\"", "rules[0].group"},
        {"unknown period", "[\"lunch\"]", "[\"supper\"]", "rules[0].periods[0]"},
        {"period twice", "[\"lunch\"]", "[\"lunch\",\"lunch\"]", "rules[0].periods[1]"},
        {"percent too big", "\"percent\":10", "\"percent\":150", "rules[0].benefit.percent"},
        {"percent zero", "\"percent\":10", "\"percent\":0", "rules[0].benefit.percent"},
        {"percent 3 decimals", "\"percent\":10", "\"percent\":10.125", "rules[0].benefit.percent"},
        {"cap zero", "\"cap_fen\":300", "\"cap_fen\":0", "rules[0].benefit.cap_fen"},
        {"negative fen", "{\"type\":\"percent_off\",\"percent\":10,\"cap_fen\":300}",
         "{\"type\":\"fixed_off\",\"fen\":-5}", "rules[0].benefit.fen"},
        {"field of another type", "\"type\":\"percent_off\"", "\"type\":\"fixed_off\"",
         "rules[0].benefit.percent"},
        {"unknown benefit type", "\"percent_off\"", "\"percent_offf\"", "rules[0].benefit.type"},
        {"shares over 100", "\"pct\":50", "\"pct\":50},{\"source\":\"town\",\"pct\":60",
         "rules[0].funding[1].pct"},
        {"two rests", "\"rest\":true}", "\"rest\":true},{\"source\":\"town\",\"rest\":true}",
         "rules[0].funding[1].rest"},
        {"rest not last", "{\"source\":\"city\",\"pct\":50},{\"source\":\"district\",\"rest\":true}",
         "{\"source\":\"district\",\"rest\":true},{\"source\":\"city\",\"pct\":50}",
         "rules[0].funding[0].rest"},
        {"rest false", "\"rest\":true", "\"rest\":false", "rules[0].funding[1].rest"},
        {"fen and pct", "\"pct\":50", "\"pct\":50,\"fen\":100", "rules[0].funding[0]"},
        {"source twice", "\"source\":\"district\"", "\"source\":\"city\"",
         "rules[0].funding[1].source"},
        {"negative funding fen", "\"pct\":50", "\"fen\":-1", "rules[0].funding[0].fen"},
        {"bad only_if", "\"rest\":true}", "\"rest\":true,\"only_if\":\"home_country\"}",
         "rules[0].funding[1].only_if"},
        {"no funding", ",\"funding\":[{\"source\":\"city\",\"pct\":50},{\"source\":\"district\","
                       "\"rest\":true}]",
         "", "rules[0].funding"},
        {"empty funding", "[{\"source\":\"city\",\"pct\":50},{\"source\":\"district\",\"rest\":true}]",
         "[]", "rules[0].funding"},
        {"duplicate rule id", "\"rules\":[",
         "\"rules\":[{\"id\":\"r1\",\"group\":\"g\",\"benefit\":{\"type\":\"free\"},"
         "\"funding\":[{\"source\":\"city\",\"rest\":true}]},",
         "rules[1].id"},
        {"rule id with a blank", "\"id\":\"r1\"", "\"id\":\"r 1\"", "rules[0].id"},
        {"category code in capitals", "[\"dibao\"]", "[\"DiBao\"]",
         "rules[0].who.categories_any[0]"},
        {"typo in who", "\"age_min\":60", "\"agemin\":60", "rules[0].who.agemin"},
        {"age range inverted", "\"age_min\":60", "\"age_min\":60,\"age_max\":50",
         "rules[0].who.age_max"},
        {"age not a number", "\"age_min\":60", "\"age_min\":\"60\"", "rules[0].who.age_min"},
        {"typo in limits", "\"per_day\":1", "\"per_weak\":1", "rules[0].limits.per_weak"},
        {"zero limit", "\"per_day\":1", "\"per_day\":0", "rules[0].limits.per_day"},
        {"bad min_bill_op", "\"min_bill_fen\":500", "\"min_bill_fen\":500,\"min_bill_op\":\"=>\"",
         "rules[0].min_bill_op"},
        {"fractional fen", "\"min_bill_fen\":500", "\"min_bill_fen\":500.5",
         "rules[0].min_bill_fen"},
        {"bad items", "\"min_bill_fen\":500", "\"min_bill_fen\":500,\"items\":\"some\"",
         "rules[0].items"},
        {"level of an unlisted code", "[\"dibao\"]",
         "[\"dibao\"],\"category_levels\":{\"disabled_care\":2}",
         "rules[0].who.category_levels.disabled_care"},
        {"disability grade 5", "\"age_min\":60", "\"age_min\":60,\"disability_grade\":[5]",
         "rules[0].who.disability_grade[0]"},
        {"bad alternative", "{\"age_min\":60,\"categories_any\":[\"dibao\"]}",
         "[{\"age_min\":60},{\"age_min\":\"x\"}]", "rules[0].who[1].age_min"},
        {"empty registration", "\"age_min\":60", "\"age_min\":60,\"registration\":{}",
         "rules[0].who.registration"},
        {"bad care_home", "\"age_min\":60", "\"age_min\":60,\"care_home\":\"no\"",
         "rules[0].who.care_home"},
        {"none overlaps any", "\"age_min\":60", "\"age_min\":60,\"categories_none\":[\"dibao\"]",
         "rules[0].who.categories_none"},
        {"duplicate JSON key", "\"version\":\"1\"", "\"version\":\"1\",\"version\":\"2\"",
         "version"},
        {"groups not an array", "[{\"id\":\"g\",\"combine\":\"max\"}]",
         "{\"id\":\"g\",\"combine\":\"max\"}", "groups"},
    };
    int count = 0;
    for (size_t i = 0; i < sizeof v / sizeof v[0]; i++) {
        const char *json = mutate(v[i].from, v[i].to);
        zc_policy *p = NULL;
        zc_err e = {""};
        char want[128];
        int rc = zc_policy_parse(json, strlen(json), &p, &e);
        snprintf(want, sizeof want, "%s: ", v[i].path);
        int ok = rc == ZC_EINVAL && p == NULL && strncmp(e.msg, want, strlen(want)) == 0;
        if (!ok)
            fprintf(stderr, "  case \"%s\": rc %d, message \"%s\", wanted it to start with \"%s\"\n",
                    v[i].name, rc, e.msg, want);
        CHECK(ok);
        zc_policy_free(p);
        count++;
    }
    CHECK(count >= 25);
}

static void t_messages(void)
{
    zc_policy *p = NULL;
    zc_err e = {""};
    const char *j = mutate("\"per_day\":1", "\"per_weak\":1");
    CHECK_INT(zc_policy_parse(j, strlen(j), &p, &e), ZC_EINVAL);
    CHECK(strstr(e.msg, "did you mean \"per_week\"") != NULL);
    j = mutate("\"combine\":\"max\"", "\"combine\":\"min\"");
    CHECK_INT(zc_policy_parse(j, strlen(j), &p, &e), ZC_EINVAL);
    CHECK(strstr(e.msg, "\"max\", \"sum\"") != NULL);
    j = mutate("\"from\":\"16:30\"", "\"from\":\"13:00\"");
    CHECK_INT(zc_policy_parse(j, strlen(j), &p, &e), ZC_EINVAL);
    CHECK(strstr(e.msg, "overlaps periods[0]") != NULL);
}

/* The fields of issue 19: each wrong in one way, with the path it must name
 * and a piece of the message (the nearest-name hint for a typo). */
static void t_new_fields(void)
{
    static const struct {
        const char *name, *from, *to, *path, *says;
    } v[] = {
        {"typo canteen_type", "\"group\":\"g\"", "\"group\":\"g\",\"canteen_type\":[\"x\"]",
         "rules[0].canteen_type", "did you mean \"canteen_types\""},
        {"typo canteen", "\"group\":\"g\"", "\"group\":\"g\",\"canteen\":[\"K1\"]",
         "rules[0].canteen", "did you mean \"canteens\""},
        {"typo day", "\"group\":\"g\"", "\"group\":\"g\",\"day\":[\"workday\"]", "rules[0].day",
         "did you mean \"days\""},
        {"typo serve", "\"group\":\"g\"", "\"group\":\"g\",\"serve\":\"delivered\"",
         "rules[0].serve", "did you mean \"served\""},
        {"typo root canteens", "\"effective_to\":null", "\"effective_to\":null,\"canteen\":[\"K1\"]",
         "canteen", "did you mean \"canteens\""},
        {"canteens not a list", "\"group\":\"g\"", "\"group\":\"g\",\"canteens\":\"K1\"",
         "rules[0].canteens", "array"},
        {"canteens empty", "\"group\":\"g\"", "\"group\":\"g\",\"canteens\":[]",
         "rules[0].canteens", ""},
        {"canteen id with a blank", "\"group\":\"g\"", "\"group\":\"g\",\"canteens\":[\"K 1\"]",
         "rules[0].canteens[0]", "may use only"},
        {"canteen twice", "\"group\":\"g\"", "\"group\":\"g\",\"canteens\":[\"K1\",\"K1\"]",
         "rules[0].canteens[1]", "listed twice"},
        {"canteen type in capitals", "\"group\":\"g\"",
         "\"group\":\"g\",\"canteen_types\":[\"Central\"]", "rules[0].canteen_types[0]", "a-z"},
        {"root canteen types not strings", "\"effective_to\":null",
         "\"effective_to\":null,\"canteen_types\":[1]", "canteen_types[0]", "type code"},
        {"issuing not bool", "\"group\":\"g\"", "\"group\":\"g\",\"issuing_canteen_only\":\"yes\"",
         "rules[0].issuing_canteen_only", "true or false"},
        {"unknown day kind", "\"group\":\"g\"", "\"group\":\"g\",\"days\":[\"weekday\"]",
         "rules[0].days[0]", "\"workday\", \"weekend\" or \"holiday\""},
        {"day kind twice", "\"group\":\"g\"",
         "\"group\":\"g\",\"days\":[\"holiday\",\"holiday\"]", "rules[0].days[1]", "twice"},
        {"days empty", "\"group\":\"g\"", "\"group\":\"g\",\"days\":[]", "rules[0].days", ""},
        {"bad served", "\"group\":\"g\"", "\"group\":\"g\",\"served\":\"takeaway\"",
         "rules[0].served", "\"delivered\""},
        {"bad items word", "\"min_bill_fen\":500", "\"min_bill_fen\":500,\"items\":\"delivery\"",
         "rules[0].items", "\"delivery_fee\""},
        {"fee rule for dine-in", "\"min_bill_fen\":500",
         "\"min_bill_fen\":500,\"items\":\"delivery_fee\",\"served\":\"dine_in\"",
         "rules[0].served", "only charged on delivered meals"},
    };
    for (size_t i = 0; i < sizeof v / sizeof v[0]; i++) {
        const char *json = mutate(v[i].from, v[i].to);
        zc_policy *p = NULL;
        zc_err e = {""};
        char want[128];
        int rc = zc_policy_parse(json, strlen(json), &p, &e);
        snprintf(want, sizeof want, "%s: ", v[i].path);
        int ok = rc == ZC_EINVAL && p == NULL && strncmp(e.msg, want, strlen(want)) == 0 &&
                 strstr(e.msg, v[i].says) != NULL;
        if (!ok)
            fprintf(stderr, "  case \"%s\": rc %d, message \"%s\", wanted \"%s...%s\"\n", v[i].name,
                    rc, e.msg, want, v[i].says);
        CHECK(ok);
        zc_policy_free(p);
    }
    /* and every new field right at once */
    const char *j = mutate("\"group\":\"g\"",
                           "\"group\":\"g\",\"canteens\":[\"ZH-youte.1\"],\"canteen_types\":"
                           "[\"central_kitchen\"],\"issuing_canteen_only\":true,\"days\":"
                           "[\"workday\",\"weekend\"],\"served\":\"delivered\"");
    zc_policy *p = NULL;
    zc_err e = {""};
    CHECK_OK(zc_policy_parse(j, strlen(j), &p, &e));
    if (e.msg[0])
        fprintf(stderr, "  %s\n", e.msg);
    zc_policy_free(p);
}

static void t_not_json(void)
{
    static const struct {
        const char *name, *json;
        const char *msg;
    } v[] = {
        {"truncated", "{\"policy\":\"t\",", "policy: not valid JSON"},
        {"garbage after", "{} x", "policy: text after"},
        {"array", "[]", "policy: the file must hold one JSON object"},
        {"empty", "", "policy: not valid JSON"},
        {"deep", "[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[", "policy: nested deeper"},
        {"deep inside strings is fine until real nesting",
         "{\"a\":\"[[[[[[[[[[[[[[[[[[[[[[\",\"b\":[[[[[[[[[[[[[[]]]]]]]]]]]]]]}", "policy: nested"},
    };
    for (size_t i = 0; i < sizeof v / sizeof v[0]; i++) {
        zc_policy *p = NULL;
        zc_err e = {""};
        CHECK_INT(zc_policy_parse(v[i].json, strlen(v[i].json), &p, &e), ZC_EINVAL);
        if (strncmp(e.msg, v[i].msg, strlen(v[i].msg)) != 0)
            fprintf(stderr, "  case %s: \"%s\"\n", v[i].name, e.msg);
        CHECK(strncmp(e.msg, v[i].msg, strlen(v[i].msg)) == 0);
        CHECK(p == NULL);
    }
    /* strings full of brackets do not count as nesting */
    const char *j = mutate("\"name\":\"Test\"", "\"name\":\"[[[[[[[[[[[[[[[[[[[[[[[[[[[[\"");
    zc_policy *p = NULL;
    zc_err e = {""};
    CHECK_OK(zc_policy_parse(j, strlen(j), &p, &e));
    zc_policy_free(p);

    /* over 1 MiB */
    size_t big = 1024 * 1024 + 1;
    char *s = malloc(big + 1);
    CHECK(s != NULL);
    if (s) {
        memset(s, ' ', big);
        s[0] = '{';
        s[big - 1] = '}';
        s[big] = '\0';
        CHECK_INT(zc_policy_parse(s, big, &p, &e), ZC_ETOOBIG);
        CHECK(strstr(e.msg, "1 MiB") != NULL);
        free(s);
    }
}

static void t_too_many_rules(void)
{
    static char buf[16384];
    size_t pos = (size_t)snprintf(buf, sizeof buf,
                                  "{\"policy\":\"t\",\"version\":\"1\",\"name\":\"T\","
                                  "\"effective_from\":\"2024-01-01\",\"periods\":[{\"id\":\"all\","
                                  "\"from\":\"00:00\",\"to\":\"24:00\"}],\"groups\":[{\"id\":\"g\","
                                  "\"combine\":\"sum\"}],\"rules\":[");
    for (int i = 0; i < ZC_MAX_RULES + 1; i++)
        pos += (size_t)snprintf(buf + pos, sizeof buf - pos,
                                "%s{\"id\":\"r%d\",\"group\":\"g\",\"benefit\":{\"type\":\"free\"},"
                                "\"funding\":[{\"source\":\"city\",\"rest\":true}]}",
                                i ? "," : "", i);
    snprintf(buf + pos, sizeof buf - pos, "]}");
    zc_policy *p = NULL;
    zc_err e = {""};
    CHECK_INT(zc_policy_parse(buf, strlen(buf), &p, &e), ZC_EINVAL);
    CHECK(strncmp(e.msg, "rules: has 33 entries", 21) == 0);
}

static void t_periods(void)
{
    zc_policy *p = NULL;
    zc_err e = {""};
    CHECK_OK(zc_policy_parse(BASE, strlen(BASE), &p, &e));
    static const struct {
        int minute;
        const char *id; /* NULL: outside */
    } v[] = {
        {10 * 60 + 29, NULL}, {10 * 60 + 30, "lunch"}, {13 * 60 + 29, "lunch"},
        {13 * 60 + 30, NULL}, {16 * 60 + 30, "dinner"}, {18 * 60 + 59, "dinner"},
        {19 * 60, NULL},      {0, NULL},
    };
    for (size_t i = 0; i < sizeof v / sizeof v[0]; i++) {
        const zc_period *pe = zc_policy_period_at(p, v[i].minute);
        if (v[i].id)
            CHECK(pe && strcmp(pe->id, v[i].id) == 0);
        else
            CHECK(pe == NULL);
    }
    CHECK(zc_policy_period_by_id(p, "dinner") == zc_policy_period(p, 1));
    CHECK(zc_policy_period_by_id(p, "supper") == NULL);
    CHECK(zc_policy_period_by_id(p, NULL) == NULL);
    zc_policy_free(p);

    /* a window may end at 24:00 */
    const char *j = mutate("\"to\":\"19:00\"", "\"to\":\"24:00\"");
    CHECK_OK(zc_policy_parse(j, strlen(j), &p, &e));
    CHECK(zc_policy_period_at(p, 1439) != NULL);
    zc_policy_free(p);
}

static zc_policy *version(const char *v, const char *from, const char *to)
{
    char json[4096], a[64], b[64];
    snprintf(a, sizeof a, "\"version\":\"%s\"", v);
    snprintf(b, sizeof b, "\"effective_from\":\"%s\",\"effective_to\":%s%s%s", from,
             to ? "\"" : "", to ? to : "null", to ? "\"" : "");
    snprintf(json, sizeof json, "%s", mutate("\"version\":\"1\"", a));
    char *at = strstr(json, "\"effective_from\":\"2024-01-01\",\"effective_to\":null");
    char out[4096];
    snprintf(out, sizeof out, "%.*s%s%s", (int)(at - json), json, b,
             at + strlen("\"effective_from\":\"2024-01-01\",\"effective_to\":null"));
    zc_policy *p = NULL;
    zc_err e = {""};
    if (zc_policy_parse(out, strlen(out), &p, &e) != 0)
        fprintf(stderr, "  version(): %s\n", e.msg);
    return p;
}

static void t_select(void)
{
    zc_policy *v1 = version("v1", "2024-01-01", "2024-06-30");
    zc_policy *v2 = version("v2", "2024-07-01", NULL);
    zc_policy *v3 = version("v3", "2024-03-01", NULL);
    CHECK(v1 && v2 && v3);
    if (!v1 || !v2 || !v3)
        goto out;
    const zc_policy *two[] = {v2, v1};
    static const struct {
        zc_date d;
        const char *want; /* NULL: none */
    } v[] = {
        {{2023, 12, 31}, NULL}, {{2024, 1, 1}, "v1"}, {{2024, 6, 30}, "v1"},
        {{2024, 7, 1}, "v2"},   {{2030, 1, 1}, "v2"},
    };
    for (size_t i = 0; i < sizeof v / sizeof v[0]; i++) {
        const zc_policy *s = zc_policy_select(two, 2, v[i].d);
        if (v[i].want)
            CHECK(s && strcmp(zc_policy_version(s), v[i].want) == 0);
        else
            CHECK(s == NULL);
    }
    /* overlapping: the later effective_from wins */
    const zc_policy *three[] = {v1, v3, v2};
    zc_date apr = {2024, 4, 1}, jan = {2024, 1, 15}, aug = {2024, 8, 1};
    CHECK_STR(zc_policy_version(zc_policy_select(three, 3, apr)), "v3");
    CHECK_STR(zc_policy_version(zc_policy_select(three, 3, jan)), "v1");
    CHECK_STR(zc_policy_version(zc_policy_select(three, 3, aug)), "v2");
    CHECK(zc_policy_select(NULL, 0, aug) == NULL);
    CHECK(zc_policy_in_force(v1, v[2].d));
    CHECK(!zc_policy_in_force(v1, v[3].d));
out:
    zc_policy_free(v1);
    zc_policy_free(v2);
    zc_policy_free(v3);
}

static void t_shipped(void)
{
    static const struct {
        const char *path, *id;
        int nperiods;
    } v[] = {
        {"db/policies/beijing.json", "beijing", 3},
        {"db/policies/tianjin.json", "tianjin", 3},
        {"db/policies/shanghai-xuhui.json", "shanghai-xuhui", 3},
        {"db/policies/guangzhou.json", "guangzhou", 3},
    };
    for (size_t i = 0; i < sizeof v / sizeof v[0]; i++) {
        zc_policy *p = NULL;
        zc_err e = {""};
        int rc = zc_policy_load(v[i].path, &p, &e);
        if (rc)
            fprintf(stderr, "  %s\n", e.msg);
        CHECK_OK(rc);
        CHECK_STR(zc_policy_id(p), v[i].id);
        CHECK_INT(zc_policy_nperiods(p), v[i].nperiods);
        zc_policy_free(p);
    }
}

static void t_load_errors(void)
{
    zc_policy *p = NULL;
    zc_err e = {""};
    CHECK_INT(zc_policy_load("db/policies/nope.json", &p, &e), ZC_ENOTFOUND);
    CHECK(strncmp(e.msg, "db/policies/nope.json: ", 23) == 0);
    char path[] = "/tmp/zc_policy_XXXXXX";
    int fd = mkstemp(path);
    CHECK(fd >= 0);
    if (fd < 0)
        return;
    FILE *f = fdopen(fd, "w");
    const char *j = mutate("\"percent\":10", "\"percent\":101");
    fputs(j, f);
    fclose(f);
    CHECK_INT(zc_policy_load(path, &p, &e), ZC_EINVAL);
    char want[128];
    snprintf(want, sizeof want, "%s: rules[0].benefit.percent: ", path);
    CHECK(strncmp(e.msg, want, strlen(want)) == 0);
    CHECK(p == NULL);
    remove(path);
}

static const check_case cases[] = {
    {"base_ok", t_base_ok},
    {"broken", t_broken},
    {"messages", t_messages},
    {"new_fields", t_new_fields},
    {"not_json", t_not_json},
    {"too_many_rules", t_too_many_rules},
    {"periods", t_periods},
    {"select", t_select},
    {"shipped", t_shipped},
    {"load_errors", t_load_errors},
    {0, 0},
};

int main(int argc, char **argv) { return check_main("test_policy", cases, argc, argv); }
