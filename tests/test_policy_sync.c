/* test_policy_sync.c - policies and the calendar from the centre to a
 * terminal: the centre's policy page leaves out versions scoped to other
 * canteens and carries the calendar published last; the terminal stores
 * both with the sync, picks the version for its own canteen (tie-break of
 * equal dates included) and prices a working-day rule with the calendar. */
#include "test_central_fixture.h"

#include "../app/store/store.h"
#include "../app/sync/sync_store.h"

static const char DISTRICT[] =
    "{\"policy\":\"zh\",\"version\":\"%s\",\"name\":\"district\",\"effective_from\":\"%s\",%s"
    "\"periods\":[{\"id\":\"lunch\",\"from\":\"10:30\",\"to\":\"13:30\"}],"
    "\"groups\":[{\"id\":\"g\",\"combine\":\"sum\"}],"
    "\"rules\":[{\"id\":\"r\",\"group\":\"g\",\"days\":[\"workday\"],"
    "\"benefit\":{\"type\":\"fixed_off\",\"fen\":%d},"
    "\"funding\":[{\"source\":\"district\",\"rest\":true}]}]}";

/* Publishes a version: from, extra root fields, amount. */
static void publish(central_store *st, const char *version, const char *from, const char *extra,
                    int fen)
{
    char json[2048];
    bool existed = false;
    zc_err err = {""};
    snprintf(json, sizeof json, DISTRICT, version, from, extra, fen);
    int rc = central_store_policy_publish(st, json, strlen(json), &existed, &err);
    if (rc)
        fprintf(stderr, "  publish %s: %s\n", version, err.msg);
    CHECK_OK(rc);
}

static int versions(const fx_http *h, char *out, size_t n)
{
    const cJSON *p;
    size_t pos = 0;
    out[0] = '\0';
    cJSON_ArrayForEach(p, cJSON_GetObjectItem(h->json, "policies"))
    {
        int k = snprintf(out + pos, n - pos, "%s%s", pos ? "," : "", fx_str(p, "version"));
        pos += k > 0 && (size_t)k < n - pos ? (size_t)k : 0;
    }
    return (int)pos;
}

static void t_page_and_pull(void)
{
    fx_centre();
    central_store *cst = fx_db();
    zc_err err = {""};
    bool existed = false;
    char *cal = NULL;
    size_t caln = 0;
    FILE *f = fopen("db/calendar/cn.json", "rb");
    CHECK(f != NULL);
    if (f) {
        cal = malloc(65536);
        caln = cal ? fread(cal, 1, 65535, f) : 0;
        fclose(f);
    }
    CHECK(cst && cal && caln > 0);
    if (!cst || !cal)
        goto out;
    cal[caln] = '\0';
    /* beijing (from fx_centre), then two of one date: every canteen, then C-0001's */
    publish(cst, "all", "2026-01-01", "", 300);
    publish(cst, "c1", "2026-01-01", "\"canteens\":[\"C-0001\"],", 500);
    publish(cst, "all-again", "2026-01-01", "", 200);
    CHECK_OK(central_store_calendar_publish(cst, cal, caln, &existed, &err));
    CHECK(!existed);
    CHECK_OK(central_store_calendar_publish(cst, cal, caln, &existed, &err));
    CHECK(existed);
    central_store_close(cst);
    fx_start(NULL, NULL);

    static const struct {
        const char *name, *terminal, *token, *canteen, *want_page;
        const char *day;   /* a sale's date */
        int fen;           /* the subsidy of a lunch that day */
    } v[] = {
        {"C-0001 gets its own version; it beats the district's of the same date", "T-0001", TOK1,
         "C-0001", "2024.1,all,c1,all-again", "2026-09-20", 500},
        {"C-0002 never sees C-0001's; of two equal dates the later published wins", "T-0002", TOK2,
         "C-0002", "2024.1,all,all-again", "2026-09-20", 200},
        {"1 October is a holiday with the calendar from the centre", "T-0002", TOK2, "C-0002",
         "2024.1,all,all-again", "2026-10-01", 0},
    };
    for (size_t i = 0; i < sizeof v / sizeof v[0]; i++) {
        char got[256], db[64];
        store_t *st = NULL;
        long n = 0;
        check_current = v[i].name;
        fx_http h = fx_req("/api/v1/policies?after=0", v[i].terminal, v[i].token, NULL);
        CHECK_INT(h.status, 200);
        versions(&h, got, sizeof got);
        CHECK_STR(got, v[i].want_page);
        cJSON *c = cJSON_GetObjectItem(h.json, "calendar");
        CHECK_STR(fx_str(c, "version"), "2026.1");
        /* the terminal applies the page and prices with what it stored */
        snprintf(db, sizeof db, "term%zu.db", i);
        CHECK_OK(store_open(fx_path(db), STORE_CREATE, &st, &err));
        zc_canteen k;
        memset(&k, 0, sizeof k);
        snprintf(k.id, sizeof k.id, "%s", v[i].canteen);
        snprintf(k.name, sizeof k.name, "canteen");
        CHECK_OK(store_canteen_set(st, &k, &err));
        int rc = sync_apply_policies(st, h.json, &n, &err);
        if (rc)
            fprintf(stderr, "  apply: %s\n", err.msg);
        CHECK_OK(rc);
        const zc_calendar *tc = NULL;
        CHECK_OK(store_calendar_cached(st, &tc, &err));
        CHECK(tc != NULL);
        zc_datetime at;
        CHECK_OK(zc_datetime_parse("2026-01-05 11:30", &at));
        CHECK_OK(zc_date_parse(v[i].day, &at.date));
        const zc_policy *p = NULL;
        CHECK_OK(store_policy_cached(st, at.date, &p, &err));
        zc_elder e;
        memset(&e, 0, sizeof e);
        snprintf(e.id, sizeof e.id, "E1");
        zc_cart cart;
        memset(&cart, 0, sizeof cart);
        cart.n = 1;
        cart.lines[0] = (zc_line){"A1", "套餐", 1500, 1, true, ZC_LINE_DISH};
        zc_quote_in in = {.policy = p, .elder = &e, .canteen = &k, .cart = &cart, .at = at,
                          .calendar = tc};
        zc_quote q;
        if (p) {
            CHECK_OK(zc_quote_compute(&in, &q, &err));
            CHECK_INT(q.subsidy, v[i].fen);
        }
        store_close(st);
        fx_done(&h);
    }
out:
    free(cal);
    fx_end();
}

/* A terminal whose canteen has only a version for another canteen in force
 * says so, rather than pricing with it. */
static void t_store_other_canteen(void)
{
    fx_centre();
    store_t *st = NULL;
    zc_err err = {""};
    char json[2048];
    CHECK_OK(store_open(fx_path("t.db"), STORE_CREATE, &st, &err));
    zc_canteen k;
    memset(&k, 0, sizeof k);
    snprintf(k.id, sizeof k.id, "C-0002");
    snprintf(k.name, sizeof k.name, "canteen");
    CHECK_OK(store_canteen_set(st, &k, &err));
    snprintf(json, sizeof json, DISTRICT, "c1", "2026-01-01", "\"canteens\":[\"C-0001\"],", 500);
    CHECK_OK(store_policy_add(st, json, strlen(json), &err));
    zc_policy *p = NULL;
    CHECK_INT(store_policy_for(st, (zc_date){2026, 3, 2}, &p, &err), ZC_ENOTFOUND);
    CHECK(strstr(err.msg, "for other canteens") != NULL);
    CHECK(p == NULL);
    /* a calendar added by hand; a changed text under the same version is refused */
    const char *c1 = "{\"calendar\":\"cn\",\"version\":\"t\",\"years\":[{\"year\":2027,\"published\":false}]}";
    const char *c2 = "{\"calendar\":\"cn\",\"version\":\"t\",\"years\":[{\"year\":2028,\"published\":false}]}";
    CHECK_OK(store_calendar_add(st, c1, strlen(c1), &err));
    CHECK_OK(store_calendar_add(st, c1, strlen(c1), &err));
    CHECK_INT(store_calendar_add(st, c2, strlen(c2), &err), ZC_ECONFLICT);
    CHECK_INT(store_calendar_add(st, "{}", 2, &err), ZC_EINVAL);
    store_close(st);
    fx_rmdir();
}

static const check_case cases[] = {
    {"page_and_pull", t_page_and_pull},
    {"store_other_canteen", t_store_other_canteen},
    {0, 0},
};

int main(int argc, char **argv) { return check_main("test_policy_sync", cases, argc, argv); }
