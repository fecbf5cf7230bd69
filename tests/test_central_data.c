/* test_central_data.c - the centre's data, without HTTP: the canonical sale
 * text (zc_salecanon) gives exactly the hash the terminal's store chains
 * with, on real sales with awkward bytes; a golden text; the wire format
 * round-trips; the compiled-in schema equals db/central/; roster import is
 * all or nothing with "line N: field: reason" reports, hashes ID numbers
 * with the centre's salt, moves cards within a file and refuses to take one
 * from an elder outside it. */
#include "test_central_fixture.h"

#include "../app/central/schema.h"

static void t_canon_matches_store(void)
{
    fx_centre();
    store_t *t1 = fx_terminal("T-0001", "C-0001");
    zc_err err = {""};
    zc_elder e;
    zc_datetime at;
    CHECK_OK(store_elder_get(t1, "E0000001", &e, &err));
    CHECK_OK(zc_datetime_parse(LUNCH, &at));
    /* lines with every byte the text escapes, and UTF-8 */
    zc_cart cart;
    memset(&cart, 0, sizeof cart);
    zc_line l1 = {"A1", "套餐A|两荤\\一素", 1500, 1, true, ZC_LINE_DISH};
    zc_line l2 = {"X|9", "tab\there\nnew\x7f", 250, 3, false, ZC_LINE_DISH};
    CHECK_OK(zc_cart_add(&cart, &l1));
    CHECK_OK(zc_cart_add(&cart, &l2));
    store_sale_req req = {.operator_id = "c1", .elder = &e, .card_uid = "00000000a1", .cart = &cart,
                          .at_utc = zc_tz_epoch(at), .at = at, .pay = STORE_PAY_MOBILE,
                          .pay_ref = "wx|pay\\ref"};
    store_sale_res res[3];
    CHECK_OK(store_sale_commit(t1, &req, &res[0], &err));
    req.elder = NULL;
    req.card_uid = NULL;
    req.pay = STORE_PAY_CASH;
    req.pay_ref = NULL;
    req.tendered_fen = 5000;
    CHECK_OK(store_sale_commit(t1, &req, &res[1], &err));
    req.at_utc += 3600 * 6; /* 17:30: dinner */
    req.at.hh = 17;
    CHECK_OK(store_sale_commit(t1, &req, &res[2], &err));
    for (int i = 0; i < 3; i++) {
        zc_sale_doc d;
        char stored[ZC_SHA256_HEX], mine[ZC_SHA256_HEX];
        CHECK_OK(fx_load(t1, res[i].id, &d, stored));
        CHECK_OK(zc_salecanon_hash(&d, mine, &err));
        CHECK_STR(mine, stored);
        CHECK_STR(mine, res[i].hash);
        CHECK_INT(d.seq, i + 1);
    }
    int64_t n = 0;
    CHECK_OK(store_chain_verify(t1, &n, &err));
    CHECK_INT(n, 3);
    store_close(t1);
    fx_rmdir();
}

static void t_canon_golden(void)
{
    zc_sale_doc d;
    zc_err err;
    char *text = NULL;
    size_t len = 0;
    memset(&d, 0, sizeof d);
    snprintf(d.id, sizeof d.id, "00000000-0000-4000-8000-000000000001");
    d.seq = 7;
    snprintf(d.terminal, sizeof d.terminal, "T-1");
    snprintf(d.canteen, sizeof d.canteen, "C-1");
    snprintf(d.op, sizeof d.op, "c|1");
    snprintf(d.card, sizeof d.card, "00000000A1");
    d.created_utc = 1800000000;
    snprintf(d.local_time, sizeof d.local_time, "2027-01-15 11:30");
    snprintf(d.period, sizeof d.period, "lunch");
    snprintf(d.policy, sizeof d.policy, "p");
    snprintf(d.policy_version, sizeof d.policy_version, "1");
    d.gross = 1000;
    d.subsidy = 300;
    d.pay = 700;
    snprintf(d.pay_method, sizeof d.pay_method, "cash");
    d.nlines = 1;
    d.lines[0] = (zc_line){"A", "饭\n", 1000, 1, true, ZC_LINE_DISH};
    d.nrules = 2; /* given out of order: the text sorts them */
    d.rules[0] = (zc_sale_rule){"z", "zk", "lunch", "2027-01-15", 100};
    d.rules[1] = (zc_sale_rule){"a", "ak", "lunch", "2027-01-15", 200};
    d.nparts = 1;
    d.parts[0] = (zc_part){"a", "city", 300};
    snprintf(d.prev, sizeof d.prev, "%s", ZC_ZERO_HASH);
    CHECK_OK(zc_salecanon_text(&d, &text, &len, &err));
    const char *want = "zhucan-sale-v1\nid=00000000-0000-4000-8000-000000000001\nseq=7\nterminal=T-1\n"
                       "canteen=C-1\noperator=c\\x7c1\nelder=\ncard=00000000A1\ncreated_utc=1800000000\n"
                       "local_time=2027-01-15 11:30\nperiod=lunch\npolicy=p\npolicy_version=1\n"
                       "gross=1000\nsubsidy=300\npay=700\npay_method=cash\npay_ref=\ntendered=0\n"
                       "line=1|A|饭\\x0a|1000|1|1\nrule=a|ak|lunch|2027-01-15|200\n"
                       "rule=z|zk|lunch|2027-01-15|100\npart=1|a|city|300\n"
                       "prev=0000000000000000000000000000000000000000000000000000000000000000\n";
    CHECK_STR(text, want);
    CHECK_INT(len, strlen(want));
    CHECK_STR(d.rules[0].rule, "z"); /* the input is not reordered */
    char h1[ZC_SHA256_HEX], h2[ZC_SHA256_HEX];
    zc_sha256_hex(want, strlen(want), h1);
    CHECK_OK(zc_salecanon_hash(&d, h2, &err));
    CHECK_STR(h1, h2);
    free(text);
    d.nlines = ZC_MAX_LINES + 1;
    CHECK_INT(zc_salecanon_hash(&d, h2, &err), ZC_EINVAL);
}

static void t_wire_roundtrip(void)
{
    fx_centre();
    store_t *t1 = fx_terminal("T-0001", "C-0001");
    zc_sale_doc d, back;
    char hash[ZC_SHA256_HEX], got[ZC_SHA256_HEX], hb[ZC_SHA256_HEX];
    zc_err err = {""};
    fx_sale(t1, "E0000002", "00000000A2", LUNCH, 0, &d);
    CHECK_OK(zc_salecanon_hash(&d, hash, &err));
    cJSON *o = zc_wire_sale_json(&d, hash);
    char *text = cJSON_PrintUnformatted(o);
    cJSON_Delete(o);
    o = cJSON_Parse(text);
    int rc = zc_wire_sale(o, "sales[0]", &back, got, &err);
    if (rc)
        fprintf(stderr, "  %s\n", err.msg);
    CHECK_OK(rc);
    CHECK_STR(got, hash);
    CHECK_OK(zc_salecanon_hash(&back, hb, &err));
    CHECK_STR(hb, hash);
    /* one wrong member names its path */
    cJSON_ReplaceItemInObject(o, "card", cJSON_CreateString("00000000a2"));
    CHECK_INT(zc_wire_sale(o, "sales[4]", &back, got, &err), ZC_EINVAL);
    CHECK_STR(err.msg, "sales[4].card: must be \"\" or 10 upper-case hex digits");
    cJSON_Delete(o);
    free(text);
    store_close(t1);
    fx_rmdir();
}

static void t_schema_matches_file(void)
{
    int n = 0;
    central_migration mig, *m = &mig;
    for (; central_schema_at(n, m); n++) {
        CHECK_INT(m->version, n + 1); /* no gap in the numbers */
        FILE *f = fopen(m->path, "rb");
        CHECK(f != NULL);
        if (!f)
            continue;
        char *buf = calloc(1, 1 << 20);
        size_t len = fread(buf, 1, (1 << 20) - 1, f);
        fclose(f);
        CHECK_INT(len, strlen(m->sql));
        CHECK(strcmp(buf, m->sql) == 0); /* the build embeds the file as it is */
        free(buf);
    }
    CHECK(n >= 1);
    DIR *dir = opendir("db/central");
    struct dirent *e;
    int files = 0;
    while (dir && (e = readdir(dir)))
        files += strstr(e->d_name, ".sql") != NULL;
    if (dir)
        closedir(dir);
    CHECK_INT(files, n); /* every migration file is compiled in */
}

/* Imports text; returns the code, the report in rep. */
static int import(const char *csv, char *rep, size_t n, long *changed)
{
    central_store *st = fx_db();
    zc_err err = {""};
    long rows = 0;
    FILE *in = fmemopen((void *)csv, strlen(csv), "r");
    FILE *out = fmemopen(rep, n, "w");
    int rc = central_store_roster_import(st, in, out, &rows, changed, &err);
    fclose(in);
    fclose(out);
    central_store_close(st);
    return rc;
}

static void t_roster_import(void)
{
    char rep[4096], idnum[19] = "11010519400315002", sql[400];
    long changed = 0;
    fx_centre();
    idnum[17] = zc_idnum_check_char(idnum);
    idnum[18] = '\0';
    int64_t before = fx_sql_int("SELECT count(*) FROM elder");
    const char *bad = "elder_id,name,birth_date,id_number,cards\n"
                      "E1,甲,1940-03-15,,000000000B\n"
                      "E2,乙,1940-02-30,,\n"
                      "E1,丙,1941-01-01,,\n"
                      "E3,丁,1940-03-15,110105194003150021,\n"
                      "E4,戊,1950-01-01,,000000000B\n"
                      "E5,己,1950-01-01,,00000000A1\n";
    CHECK_INT(import(bad, rep, sizeof rep, &changed), ZC_EINVAL);
    CHECK(strstr(rep, "line 3: birth_date: \"1940-02-30\" is not a date") != NULL);
    CHECK(strstr(rep, "line 4: elder_id: E1 is also on line 2") != NULL);
    CHECK(strstr(rep, "line 5: id_number:") != NULL);
    CHECK(strstr(rep, "line 6: cards: card 000000000B is also on line 2") != NULL);
    CHECK(strstr(rep, "line 7: cards: card 00000000A1 already belongs to elder E0000001") != NULL);
    CHECK_INT(fx_sql_int("SELECT count(*) FROM elder"), before); /* nothing stored */
    CHECK(import("elder_id,name,birth_date,colour\nE9,x,1950-01-01,red\n", rep, sizeof rep, &changed) ==
          ZC_EINVAL);
    CHECK(strstr(rep, "column \"colour\" is not known") != NULL);
    /* a good file: the ID number kept only as the salted hash and last four */
    char good[512];
    snprintf(good, sizeof good, "elder_id,name,birth_date,id_number,cards\n"
             "E0000001,张桂英,1940-03-15,%s,00000000B1\n"
             "E0000009,新人,1950-01-01,,00000000A1\n", idnum);
    CHECK_OK(import(good, rep, sizeof rep, &changed));
    CHECK_INT(changed, 2);
    central_store *st = fx_db();
    char want[ZC_SHA256_HEX];
    zc_idnum_hash(central_store_salt(st), idnum, want);
    central_store_close(st);
    snprintf(sql, sizeof sql, "SELECT count(*) FROM elder WHERE id = 'E0000001' AND id_hash = '%s' "
             "AND id_last4 = '%s' AND gender = 'F'", want, idnum + 14);
    CHECK_INT(fx_sql_int(sql), 1);
    /* the card moved from E0000001 to E0000009 within the file */
    CHECK_INT(fx_sql_int("SELECT count(*) FROM card WHERE uid = '00000000A1' AND elder_id = "
                         "'E0000009'"), 1);
    CHECK_INT(fx_sql_int("SELECT count(*) FROM card WHERE elder_id = 'E0000001'"), 1);
    CHECK_INT(fx_sql_int("SELECT count(*) FROM elder WHERE id_number IS NOT NULL"), -1); /* no column */
    fx_rmdir();
}

static const check_case cases[] = {
    {"canon_matches_store", t_canon_matches_store},
    {"canon_golden", t_canon_golden},
    {"wire_roundtrip", t_wire_roundtrip},
    {"schema_matches_file", t_schema_matches_file},
    {"roster_import", t_roster_import},
    {NULL, NULL},
};

int main(int argc, char **argv)
{
    if (zc_secure_init() != ZC_OK)
        return 2;
    return check_main("test_central_data", cases, argc, argv);
}
