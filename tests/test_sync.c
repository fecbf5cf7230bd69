/* test_sync.c - the terminal's sync rounds against a real HTTP server on
 * 127.0.0.1 (tests/test_sync_fake.h): what is pushed and how it is
 * acknowledged, every way the centre or the network can fail (and that
 * nothing is then marked sent), roster and policy pages applied whole or
 * not at all, the configuration, and the settings checks.  The worker
 * thread, usage checks and TLS are in test_sync_worker.c. */
#include "check.h"
#include "test_sync_fake.h"

#define LUNCH "2026-11-23 11:30"

static fake F;
static term T;

/* A centre on a free port and a terminal configured for it. */
static store_t *up(void)
{
    fake_init(&F, "T-0001", "tok-123");
    CHECK(fake_start(&F, 0, NULL, NULL));
    return term_open(&T, &F);
}

static void down(void)
{
    term_close(&T);
    fake_free(&F);
}

static long unsent(store_t *st)
{
    return (long)tq_int(st, "SELECT count(*) FROM outbox WHERE sent_utc IS NULL");
}

/* ---- pure parts ---- */

static void t_backoff(void)
{
    sync_tune t;
    sync_tune_default(&t);
    long prev_hi = 0;
    for (int f = 1; f <= 12; f++) {
        long lo = sync_backoff_ms(&t, f, 0), hi = sync_backoff_ms(&t, f, UINT32_MAX);
        CHECK(lo >= 1000 && hi <= 60000);
        CHECK(lo <= hi);
        if (f <= 6)
            CHECK(lo > prev_hi); /* grows even with the worst jitter */
        prev_hi = hi;
    }
    CHECK_INT(sync_backoff_ms(&t, 1, 0), 1000);          /* 750 clamped to the minimum */
    CHECK_INT(sync_backoff_ms(&t, 30, UINT32_MAX), 60000); /* capped */
    CHECK(sync_backoff_ms(&t, 30, 0) >= 45000);          /* jitter stays below the cap */
    CHECK(sync_backoff_ms(&t, 3, 1u << 31) != sync_backoff_ms(&t, 3, 0)); /* jitter is real */
}

static void t_url_check(void)
{
    static const struct {
        const char *url;
        int rc;
    } cases[] = {
        {"https://centre.example.cn:8443", ZC_OK}, {"https://10.0.0.5", ZC_OK},
        {"http://127.0.0.1:8080", ZC_OK},          {"http://localhost:1", ZC_OK},
        {"http://centre.example.cn", ZC_EINVAL},   {"http://10.0.0.5", ZC_EINVAL},
        {"ftp://127.0.0.1", ZC_EINVAL},            {"not a url", ZC_EINVAL},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        zc_err err = {""};
        int rc = sync_url_check(cases[i].url, &err);
        if (rc != cases[i].rc)
            fprintf(stderr, "  %s: %d (%s)\n", cases[i].url, rc, err.msg);
        CHECK_INT(rc, cases[i].rc);
    }
    zc_err err = {""};
    CHECK(sync_url_check("http://example.com", &err) != ZC_OK && strstr(err.msg, "https://"));
}

static void t_settings_missing(void)
{
    store_t *st = up();
    zc_err err = {""};
    store_sale_res r;
    term_sell(st, "E0000001", "A1", LUNCH, &r);
    CHECK_OK(sqlite3_exec(store_db(st), "DELETE FROM meta WHERE key = 'sync_token'", 0, 0, 0));
    CHECK_INT(term_round(st, NULL, NULL, &err), ZC_EINVAL);
    CHECK(strstr(err.msg, "sync_token") != NULL);
    CHECK_OK(store_meta_set(st, "sync_token", "tok 123", &err));
    CHECK_INT(term_round(st, NULL, NULL, &err), ZC_EINVAL);
    CHECK_OK(store_meta_set(st, "sync_token", "tok-123", &err));
    CHECK_OK(store_meta_set(st, "ca_file", "/nonexistent/ca.pem", &err));
    CHECK_INT(term_round(st, NULL, NULL, &err), ZC_EINVAL);
    CHECK(strstr(err.msg, "ca_file") != NULL);
    CHECK_INT(F.requests, 0);
    CHECK_INT(unsent(st), 1);
    down();
}

/* ---- push ---- */

static void t_push_happy(void)
{
    store_t *st = up();
    sync_report rep;
    zc_err err = {""};
    store_sale_res r;
    term_sell(st, "E0000001", "A1 S1", LUNCH, &r);
    term_sell(st, "E0000002", "A2", LUNCH, &r);
    term_sell(st, NULL, "D1 S1 T1", LUNCH, &r);
    term_sell(st, "E0000001", "A1", "2026-11-23 17:30", &r); /* the day's subsidy is used up */
    /* the public API, exactly as `zhucan sync --once` runs it */
    int rc = sync_run_once(T.db, &rep, NULL, &err);
    if (rc)
        fprintf(stderr, "  %s\n", err.msg);
    CHECK_OK(rc);
    CHECK_INT(rep.pushed, 4);
    CHECK_INT(rep.stored, 4);
    CHECK_INT(rep.duplicate, 0);
    CHECK(rep.config);
    CHECK(rep.clock_offset >= 6 && rep.clock_offset <= 8); /* the fake runs 7 s ahead */
    CHECK_INT(F.hash_bad, 0);
    CHECK_INT(F.nsales, 4);
    CHECK_INT(unsent(st), 0);
    /* the centre holds every fen of every sale, in seq order */
    int64_t g = 0, s = 0, p = 0;
    for (int i = 0; i < F.nsales; i++) {
        CHECK_INT(F.sales[i].seq, i + 1);
        g += F.sales[i].gross, s += F.sales[i].subsidy, p += F.sales[i].pay;
    }
    CHECK_INT(g, tq_int(st, "SELECT sum(gross_fen) FROM sale"));
    CHECK_INT(s, tq_int(st, "SELECT sum(subsidy_fen) FROM sale"));
    CHECK_INT(p, tq_int(st, "SELECT sum(pay_fen) FROM sale"));
    CHECK(s > 0);
    CHECK_STR(tq_text(st, "SELECT value FROM meta WHERE key = 'online'"), "1");
    CHECK_INT(strlen(tq_text(st, "SELECT value FROM meta WHERE key = 'last_sync'")), 5);
    CHECK_STR(tq_text(st, "SELECT value FROM meta WHERE key = 'clock_offset'"), "7");
    /* a second round has nothing to push */
    int posts = F.sales_posts;
    CHECK_OK(term_round(st, NULL, &rep, &err));
    CHECK_INT(rep.pushed, 0);
    CHECK_INT(F.sales_posts, posts);
    down();
}

static void t_sale_json(void)
{
    store_t *st = up();
    zc_err err = {""};
    store_sale_res r;
    /* text the canonical form escapes: '|', '\', a newline, and UTF-8; the
     * menu commands refuse such a code and name today, so it is written as an
     * older database (or a hand edit) could hold it */
    CHECK_INT(sqlite3_exec(store_db(st), "INSERT INTO menu_item (code, name, category, price_fen, "
                           "eligible, periods, active) VALUES ('X|1', '鱼|香\\肉' || char(10) || '丝', "
                           "'dish', 333, 0, '', 1)", NULL, NULL, NULL), SQLITE_OK);
    term_sell(st, NULL, "X|1", LUNCH, &r);
    CHECK_OK(term_round(st, NULL, NULL, &err));
    CHECK_INT(F.hash_bad, 0);
    CHECK_INT(F.nsales, 1);
    cJSON *j = cJSON_Parse(F.last_body_sale);
    CHECK(j != NULL);
    CHECK_STR(fj_str(j, "id"), r.id);
    CHECK_STR(fj_str(j, "hash"), r.hash);
    CHECK_STR(fj_str(j, "elder"), "");
    CHECK_STR(fj_str(j, "card"), "");
    CHECK_STR(fj_str(j, "pay_ref"), "");
    CHECK_STR(fj_str(j, "terminal"), "T-0001");
    CHECK_INT(fj_int(j, "seq"), 1);
    CHECK_INT(fj_int(j, "gross"), 333);
    const cJSON *l = cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(j, "lines"), 0);
    CHECK(cJSON_IsFalse(cJSON_GetObjectItemCaseSensitive(l, "eligible")));
    CHECK_STR(fj_str(l, "name"), "鱼|香\\肉\n丝");
    CHECK_INT(strspn(fj_str(j, "prev"), "0"), 64); /* the first sale follows 64 zeros */
    cJSON_Delete(j);
    down();
}

static void t_lost_reply_then_duplicate(void)
{
    store_t *st = up();
    sync_report rep;
    zc_err err = {""};
    store_sale_res r;
    for (int i = 0; i < 3; i++)
        term_sell(st, NULL, "D2 S1", LUNCH, &r);
    /* the centre commits, but its answer never arrives */
    fake_set(&F, FAKE_LOSE_REPLY, "/api/v1/sales");
    CHECK(term_round(st, NULL, &rep, &err) != ZC_OK);
    CHECK(strstr(err.msg, "HTTP 500") != NULL);
    CHECK_INT(F.nsales, 3);
    CHECK_INT(unsent(st), 3); /* not acknowledged: not sent */
    CHECK_INT(tq_int(st, "SELECT min(attempts) FROM outbox"), 1);
    CHECK(strstr(tq_text(st, "SELECT last_error FROM outbox LIMIT 1"), "HTTP 500") != NULL);
    /* the retry is acknowledged as duplicates; the centre still holds each once */
    fake_set(&F, FAKE_OK, NULL);
    CHECK_OK(term_round(st, NULL, &rep, &err));
    CHECK_INT(rep.duplicate, 3);
    CHECK_INT(rep.stored, 0);
    CHECK_INT(F.nsales, 3);
    CHECK_INT(unsent(st), 0);
    CHECK_INT(tq_int(st, "SELECT count(*) FROM outbox WHERE last_error IS NOT NULL"), 0);
    down();
}

static void t_conflict_held(void)
{
    store_t *st = up();
    sync_report rep;
    zc_err err = {""};
    store_sale_res a, b, c;
    term_sell(st, NULL, "D3", LUNCH, &a);
    term_sell(st, NULL, "D4", LUNCH, &b);
    term_sell(st, NULL, "D5", LUNCH, &c);
    /* the centre already holds b's id with other content; it rejects c */
    fake_sale *fs = &F.sales[F.nsales++];
    snprintf(fs->id, sizeof fs->id, "%s", b.id);
    snprintf(fs->hash, sizeof fs->hash, "%064d", 1);
    snprintf(F.reject_id, sizeof F.reject_id, "%s", c.id);
    CHECK_OK(term_round(st, NULL, &rep, &err));
    CHECK_INT(rep.stored, 1);
    CHECK_INT(rep.conflict, 1);
    CHECK_INT(rep.rejected, 1);
    char sql[200];
    snprintf(sql, sizeof sql, "SELECT held || ': ' || last_error FROM outbox WHERE sale_id = '%s'", b.id);
    CHECK(strstr(tq_text(st, sql), "conflict: the centre answered conflict") != NULL);
    snprintf(sql, sizeof sql, "SELECT held FROM outbox WHERE sale_id = '%s'", c.id);
    CHECK_STR(tq_text(st, sql), "rejected");
    CHECK_INT(unsent(st), 2); /* held rows are still not sent, and show as unsent */
    /* never retried */
    for (int i = 0; i < 3; i++)
        CHECK_OK(term_round(st, NULL, &rep, &err));
    CHECK_INT(fake_find(&F, b.id)->posts, 1);
    CHECK_INT(rep.pushed, 0);
    down();
}

static void t_voids(void)
{
    store_t *st = up();
    sync_report rep;
    zc_err err = {""};
    store_sale_res a, b;
    term_sell(st, NULL, "D6", LUNCH, &a);
    term_sell(st, NULL, "D7", LUNCH, &b);
    snprintf(F.reject_id, sizeof F.reject_id, "%s", b.id);
    CHECK_OK(term_round(st, NULL, &rep, &err));
    CHECK_OK(store_sale_void(st, a.id, "s1", "wrong dish", &err));
    CHECK_OK(store_sale_void(st, b.id, "s1", "wrong dish", &err));
    CHECK_OK(term_round(st, NULL, &rep, &err));
    CHECK_INT(rep.voids, 1);
    CHECK(fake_find(&F, a.id)->voided);
    char sql[200];
    snprintf(sql, sizeof sql, "SELECT held FROM outbox WHERE kind = 'void' AND sale_id = '%s'", b.id);
    CHECK_STR(tq_text(st, sql), "unknown_sale"); /* its sale was refused: never sendable */
    CHECK_INT(unsent(st), 2);
    down();
}

/* A reply that fails in the given way leaves every sale unsent. */
static void push_fails(fake_mode mode, const sync_tune *tune, const char *want)
{
    store_t *st = up();
    zc_err err = {""};
    store_sale_res r;
    term_sell(st, "E0000001", "A1", LUNCH, &r);
    term_sell(st, NULL, "D8", LUNCH, &r);
    F.slow_ms = 3000;
    F.huge_bytes = 9u << 20;
    fake_set(&F, mode, "/api/v1/sales");
    int rc = term_round(st, tune, NULL, &err);
    CHECK(rc != ZC_OK);
    if (!strstr(err.msg, want))
        fprintf(stderr, "  message \"%s\" lacks \"%s\"\n", err.msg, want);
    CHECK(strstr(err.msg, want) != NULL);
    CHECK_INT(unsent(st), 2);
    CHECK_INT(tq_int(st, "SELECT count(*) FROM outbox WHERE attempts = 1 AND last_error <> ''"), 2);
    down();
}

static void t_garbled(void)
{
    push_fails(FAKE_GARBLED, NULL, "was not valid JSON at byte 21");
}

static void t_http_500(void)
{
    push_fails(FAKE_500, NULL, "internal error (HTTP 500: database is on fire)");
}

static void t_http_401(void)
{
    push_fails(FAKE_401, NULL, "refused this terminal's token; re-register it (HTTP 401");
}

static void t_slow(void)
{
    sync_tune t;
    test_tune(&t);
    t.push_ms = 500;
    struct timespec a, b;
    clock_gettime(CLOCK_MONOTONIC, &a);
    push_fails(FAKE_SLOW, &t, "did not answer within 500 ms");
    clock_gettime(CLOCK_MONOTONIC, &b);
    CHECK(b.tv_sec - a.tv_sec < 3); /* the client gave up; it did not wait for the reply */
}

static void t_huge(void)
{
    push_fails(FAKE_HUGE, NULL, "too large (more than 8388608 bytes)");
}

static void t_no_results(void)
{
    push_fails(FAKE_NO_RESULTS, NULL, "acknowledged none of the 2 rows");
}

static void t_offline(void)
{
    store_t *st = up();
    zc_err err = {""};
    store_sale_res r;
    term_sell(st, NULL, "D8", LUNCH, &r);
    fake_stop(&F); /* nobody listens on the port any more */
    struct timespec a, b;
    clock_gettime(CLOCK_MONOTONIC, &a);
    CHECK_INT(term_round(st, NULL, NULL, &err), ZC_EIO);
    clock_gettime(CLOCK_MONOTONIC, &b);
    CHECK(strstr(err.msg, "offline: cannot reach the centre") != NULL);
    CHECK(b.tv_sec - a.tv_sec < 3);
    CHECK_INT(unsent(st), 1);
    down();
}

/* ---- pull ---- */

#define HASH_A "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"

static char *page(const char *elders, const char *next, bool more)
{
    size_t n = strlen(elders) + 128;
    char *p = malloc(n);
    snprintf(p, n, "{\"elders\":[%s],\"next\":\"%s\",\"more\":%s}", elders, next,
             more ? "true" : "false");
    return p;
}

static void t_roster_pages(void)
{
    store_t *st = up();
    sync_report rep;
    zc_err err = {""};
    char card[16], e1[1024];
    snprintf(card, sizeof card, "%.10s", tq_text(st, "SELECT uid FROM card WHERE elder_id = 'E0000001'"));
    F.roster[0] = page(
        "{\"elder_id\":\"E1001\",\"name\":\"孙大爷\",\"birth_date\":\"1940-01-02\",\"gender\":\"M\","
        "\"id_hash\":\"" HASH_A "\",\"id_last4\":\"123X\",\"id_number\":\"110105194001020019\","
        "\"reg_city\":\"110000\",\"reg_district\":\"110105\",\"reg_town\":\"110105010\","
        "\"res_city\":\"110000\",\"res_district\":\"110105\",\"res_town\":\"110105010\","
        "\"categories\":\"dibao\",\"disability_grade\":0,\"care_home\":false,\"status\":\"active\","
        "\"valid_from\":\"\",\"valid_to\":null,\"phone\":\"13900000001\","
        "\"cards\":[{\"uid\":\"00000A1001\",\"status\":\"active\",\"valid_from\":\"\",\"valid_to\":\"\"}]},"
        "{\"elder_id\":\"E1002\",\"name\":\"钱奶奶\",\"birth_date\":\"1938-05-06\","
        "\"categories\":[\"gugua\",\"living_alone\"],\"disability_grade\":\"2\",\"care_home\":1,"
        "\"cards\":[{\"uid\":\"00000a1002\",\"status\":\"lost\"}]}", "1", true);
    snprintf(e1, sizeof e1,
             "{\"elder_id\":\"E0000001\",\"name\":\"张桂英\",\"birth_date\":\"1940-03-15\","
             "\"reg_city\":\"110000\",\"reg_district\":\"110105\",\"reg_town\":\"110105010\","
             "\"cards\":[{\"uid\":\"%s\",\"status\":\"blocked\"}]}", card);
    F.roster[1] = page(e1, "2", false);
    F.nroster = 2;
    CHECK_OK(term_round(st, NULL, &rep, &err));
    CHECK_INT(rep.elders, 3);
    CHECK_INT(rep.cards, 3);
    CHECK_INT(F.roster_gets, 2);
    CHECK_STR(tq_text(st, "SELECT value FROM meta WHERE key = 'roster_cursor'"), "2");
    CHECK_STR(tq_text(st, "SELECT id_hash || '/' || id_last4 || '/' || gender || '/' || phone "
                          "FROM elder WHERE id = 'E1001'"), HASH_A "/123X/M/13900000001");
    CHECK_STR(tq_text(st, "SELECT categories || '/' || disability_grade || '/' || care_home "
                          "FROM elder WHERE id = 'E1002'"), "gugua;living_alone/2/1");
    /* the blacklist: the card works no more */
    zc_card_key key = {0};
    store_card c;
    CHECK_OK(zc_card_uid_parse(card, &key.value, &err));
    key.bits = 40;
    CHECK_OK(store_card_find(st, &key, &c, &err));
    CHECK_INT(c.status, STORE_CARD_BLOCKED);
    CHECK_STR(tq_text(st, "SELECT status FROM card WHERE uid = '00000A1002'"), "lost");
    /* no ID number anywhere: only what the centre hashed */
    CHECK_INT(tq_int(st, "SELECT count(*) FROM elder WHERE id_hash LIKE '%110105194001020019%' "
                         "OR id_last4 = '0019'"), 0);
    /* a terminal that held a roster never loads in bulk */
    CHECK_INT(tq_int(st, "SELECT count(*) FROM sqlite_master WHERE name = 'elder_last4'"), 1);
    CHECK_INT(tq_int(st, "SELECT count(*) FROM roster_bulk_index"), 0);
    /* the next round asks after the stored cursor and gets nothing new */
    CHECK_OK(term_round(st, NULL, &rep, &err));
    CHECK_INT(rep.elders, 0);
    down();
}

#define HASH_B "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb"
#define ROSTER_INDEXES "SELECT count(*) FROM sqlite_master WHERE type = 'index' AND tbl_name IN " \
                       "('elder', 'card') AND sql IS NOT NULL"

/* The first pull into an empty terminal loads in bulk: the indexes are
 * dropped, survive a failed round as "to be built", and are built at the
 * end; an elder seen twice takes the general path; an ID hash left on two
 * elders at the end is cleared and the roster pulled again. */
static void t_roster_bulk(void)
{
    store_t *st = up();
    sync_report rep;
    zc_err err = {""};
    int64_t nindex = tq_int(st, ROSTER_INDEXES);
    CHECK(nindex >= 6);
    CHECK_OK(sqlite3_exec(store_db(st), "DELETE FROM card; DELETE FROM elder", NULL, NULL, NULL));
    F.roster[0] = page("{\"elder_id\":\"E3001\",\"name\":\"甲\",\"birth_date\":\"1940-01-02\","
                       "\"id_hash\":\"" HASH_A "\",\"id_last4\":\"0011\",\"gender\":\"M\","
                       "\"cards\":[{\"uid\":\"00000C3001\",\"status\":\"active\"}]},"
                       "{\"elder_id\":\"E3002\",\"name\":\"乙\",\"birth_date\":\"1941-01-02\","
                       "\"id_hash\":\"" HASH_B "\",\"id_last4\":\"0022\","
                       "\"cards\":[{\"uid\":\"00000C3002\"}]}", "1", true);
    F.roster[1] = page("{\"elder_id\":\"E3004\",\"name\":\"坏\",\"birth_date\":\"1940-13-01\"}", "2",
                       false);
    F.nroster = 2;
    /* page 1 is refused: page 0 stays, with its cursor, the indexes still to be built */
    CHECK_INT(term_round(st, NULL, &rep, &err), ZC_EINVAL);
    CHECK_INT(rep.elders, 2);
    CHECK_INT(tq_int(st, "SELECT count(*) FROM elder"), 2);
    CHECK_STR(tq_text(st, "SELECT value FROM meta WHERE key = 'roster_cursor'"), "1");
    CHECK_INT(tq_int(st, "SELECT count(*) FROM roster_bulk_index"), nindex - 1);
    CHECK_INT(tq_int(st, ROSTER_INDEXES), 1); /* card_elder only */
    CHECK_INT(tq_int(st, "PRAGMA foreign_keys"), 1); /* off for the pages only */
    CHECK_STR(tq_text(st, "SELECT id_hash || '/' || id_last4 || '/' || gender FROM elder WHERE id = "
                          "'E3001'"), HASH_A "/0011/M");
    /* page 1 again: E3001 changed meanwhile (no ID number, its card lost),
     * E3003 holds HASH_B while E3002 still does (pages from two moments) */
    free(F.roster[1]);
    F.roster[1] = page("{\"elder_id\":\"E3001\",\"name\":\"甲\",\"birth_date\":\"1940-01-02\","
                       "\"cards\":[{\"uid\":\"00000C3001\",\"status\":\"lost\"}]},"
                       "{\"elder_id\":\"E3003\",\"name\":\"丙\",\"birth_date\":\"1942-01-02\","
                       "\"id_hash\":\"" HASH_B "\",\"id_last4\":\"0033\","
                       "\"cards\":[{\"uid\":\"00000C3003\"}]}", "2", false);
    CHECK_OK(term_round(st, NULL, &rep, &err));
    CHECK_INT(rep.elders, 2);
    CHECK_INT(tq_int(st, "SELECT count(*) FROM roster_bulk_index"), 0);
    CHECK_INT(tq_int(st, ROSTER_INDEXES), nindex);
    CHECK_INT(tq_int(st, "PRAGMA foreign_keys"), 1);
    CHECK(tq_int(st, "SELECT count(*) FROM pragma_foreign_key_check") == 0);
    CHECK_INT(tq_int(st, "SELECT count(*) FROM elder"), 3);
    CHECK_INT(tq_int(st, "SELECT count(*) FROM elder WHERE id = 'E3001' AND id_hash IS NULL"), 1);
    CHECK_STR(tq_text(st, "SELECT status FROM card WHERE uid = '00000C3001'"), "lost");
    CHECK_INT(tq_int(st, "SELECT count(*) FROM card WHERE elder_id = 'E3001'"), 1);
    /* HASH_B was on two elders: cleared from both, the roster asked for again */
    CHECK_INT(tq_int(st, "SELECT count(*) FROM elder WHERE id_hash IS NOT NULL"), 0);
    CHECK_STR(tq_text(st, "SELECT value FROM meta WHERE key = 'roster_cursor'"), "");
    /* which puts it where the centre's last word has it (the general path) */
    CHECK_OK(term_round(st, NULL, &rep, &err));
    CHECK_INT(rep.elders, 4);
    CHECK_STR(tq_text(st, "SELECT group_concat(id) FROM elder WHERE id_hash IS NOT NULL"), "E3003");
    CHECK_INT(tq_int(st, "SELECT count(*) FROM roster_bulk_index"), 0);
    CHECK_INT(tq_int(st, ROSTER_INDEXES), nindex);
    down();
}

static void t_roster_bad_page(void)
{
    store_t *st = up();
    zc_err err = {""};
    int64_t before = tq_int(st, "SELECT count(*) FROM elder");
    F.roster[0] = page("{\"elder_id\":\"E2001\",\"name\":\"好人\",\"birth_date\":\"1940-01-02\","
                       "\"cards\":[{\"uid\":\"00000B2001\"}]},"
                       "{\"elder_id\":\"E2002\",\"name\":\"坏行\",\"birth_date\":\"1940-13-01\"}",
                       "1", false);
    F.nroster = 1;
    CHECK_INT(term_round(st, NULL, NULL, &err), ZC_EINVAL);
    CHECK(strstr(err.msg, "elders[1].birth_date") != NULL);
    CHECK(strstr(err.msg, "nothing of it was stored") != NULL);
    CHECK_INT(tq_int(st, "SELECT count(*) FROM elder"), before); /* not even the good one */
    CHECK_INT(tq_int(st, "SELECT count(*) FROM card WHERE uid = '00000B2001'"), 0);
    CHECK_STR(tq_text(st, "SELECT value FROM meta WHERE key = 'roster_cursor'"), "");
    /* a card of an unknown status, a bad hash: the same */
    free(F.roster[0]);
    F.roster[0] = page("{\"elder_id\":\"E2001\",\"name\":\"好人\",\"birth_date\":\"1940-01-02\","
                       "\"cards\":[{\"uid\":\"00000B2001\",\"status\":\"stolen\"}]}", "1", false);
    CHECK_INT(term_round(st, NULL, NULL, &err), ZC_EINVAL);
    CHECK(strstr(err.msg, "elders[0].cards[0].status") != NULL);
    free(F.roster[0]);
    F.roster[0] = page("{\"elder_id\":\"E2001\",\"name\":\"好人\",\"birth_date\":\"1940-01-02\","
                       "\"id_hash\":\"110105194001020019\"}", "1", false);
    CHECK_INT(term_round(st, NULL, NULL, &err), ZC_EINVAL);
    CHECK(strstr(err.msg, "elders[0].id_hash") != NULL);
    CHECK_INT(tq_int(st, "SELECT count(*) FROM elder"), before);
    /* truncated JSON: nothing either */
    fake_set(&F, FAKE_TRUNCATED, "/api/v1/roster");
    CHECK_INT(term_round(st, NULL, NULL, &err), ZC_EINVAL);
    CHECK(strstr(err.msg, "not valid JSON") != NULL);
    CHECK_INT(tq_int(st, "SELECT count(*) FROM elder"), before);
    down();
}

static void t_roster_huge(void)
{
    store_t *st = up();
    sync_tune t;
    zc_err err = {""};
    test_tune(&t);
    t.reply_max = 64 * 1024;
    F.huge_bytes = 100 * 1024;
    fake_set(&F, FAKE_HUGE, "/api/v1/roster");
    CHECK_INT(term_round(st, &t, NULL, &err), ZC_ETOOBIG);
    CHECK(strstr(err.msg, "too large (more than 65536 bytes)") != NULL);
    down();
}

/* A page with one policy text (cJSON escapes it). */
static char *policy_page(const char *id, const char *version, const char *text, const char *next)
{
    cJSON *o = cJSON_CreateObject(), *arr = cJSON_AddArrayToObject(o, "policies");
    cJSON *p = cJSON_CreateObject();
    cJSON_AddStringToObject(p, "policy", id);
    cJSON_AddStringToObject(p, "version", version);
    cJSON_AddStringToObject(p, "json", text);
    cJSON_AddItemToArray(arr, p);
    cJSON_AddStringToObject(o, "next", next);
    cJSON_AddFalseToObject(o, "more");
    char *t = cJSON_PrintUnformatted(o);
    cJSON_Delete(o);
    return t;
}

static void t_policies(void)
{
    store_t *st = up();
    sync_report rep;
    zc_err err = {""};
    zc_policy *p = NULL;
    const char *tj = embed_get("db/policies/tianjin.json");
    CHECK_OK(zc_policy_parse(tj, strlen(tj), &p, &err));
    int64_t before = tq_int(st, "SELECT count(*) FROM policy");
    /* a broken policy: nothing stored, cursor kept */
    F.policies[0] = policy_page(zc_policy_id(p), zc_policy_version(p), "{\"id\": 1}", "5");
    F.npolicies = 1;
    CHECK_INT(term_round(st, NULL, &rep, &err), ZC_EINVAL);
    CHECK(strstr(err.msg, "policies[0].json") != NULL);
    CHECK_INT(tq_int(st, "SELECT count(*) FROM policy"), before);
    free(F.policies[0]);
    F.policies[0] = policy_page(zc_policy_id(p), zc_policy_version(p), tj, "5");
    CHECK_OK(term_round(st, NULL, &rep, &err));
    CHECK_INT(rep.policies, 1);
    CHECK_INT(tq_int(st, "SELECT count(*) FROM policy"), before + 1);
    CHECK_STR(tq_text(st, "SELECT value FROM meta WHERE key = 'policy_cursor'"), "5");
    /* the same policy again (say, re-sent after a lost reply) is not a conflict */
    CHECK_OK(sqlite3_exec(store_db(st), "UPDATE meta SET value = '' WHERE key = 'policy_cursor'", 0, 0, 0));
    CHECK_OK(term_round(st, NULL, &rep, &err));
    CHECK_INT(rep.policies, 0);
    zc_policy_free(p);
    down();
}

static void t_config(void)
{
    store_t *st = up();
    sync_report rep;
    zc_err err = {""};
    CHECK_OK(store_meta_set(st, "roster_cursor", "77", &err));
    F.nroster = 0;
    CHECK_OK(term_round(st, NULL, &rep, &err));
    CHECK(rep.config);
    zc_canteen c;
    CHECK_OK(store_canteen_get(st, &c, &err));
    CHECK_STR(c.id, "C-0001");
    CHECK_STR(c.town, "110105010");
    CHECK_STR(tq_text(st, "SELECT value FROM meta WHERE key = 'canteen_id'"), "C-0001");
    CHECK_STR(tq_text(st, "SELECT value FROM meta WHERE key = 'id_salt'"),
              "00112233445566778899aabbccddeeff");
    /* a new salt: every ID hash changes, so the whole roster is pulled again */
    CHECK_STR(tq_text(st, "SELECT value FROM meta WHERE key = 'roster_cursor'"), "");
    /* a token that belongs to another terminal */
    snprintf(F.config, sizeof F.config, "{\"terminal_id\":\"T-0999\",\"canteen\":{\"id\":\"C\",\"name\":\"x\"}}");
    CHECK_INT(term_round(st, NULL, &rep, &err), ZC_EREFUSED);
    CHECK(strstr(err.msg, "T-0999") != NULL);
    down();
}

static const check_case cases[] = {
    {"backoff", t_backoff},
    {"url_check", t_url_check},
    {"settings_missing", t_settings_missing},
    {"push_happy", t_push_happy},
    {"sale_json", t_sale_json},
    {"lost_reply_then_duplicate", t_lost_reply_then_duplicate},
    {"conflict_held", t_conflict_held},
    {"voids", t_voids},
    {"garbled", t_garbled},
    {"http_500", t_http_500},
    {"http_401", t_http_401},
    {"slow", t_slow},
    {"huge", t_huge},
    {"no_results", t_no_results},
    {"offline", t_offline},
    {"roster_pages", t_roster_pages},
    {"roster_bulk", t_roster_bulk},
    {"roster_bad_page", t_roster_bad_page},
    {"roster_huge", t_roster_huge},
    {"policies", t_policies},
    {"config", t_config},
    {0, 0},
};

int main(int argc, char **argv)
{
    return check_main("test_sync", cases, argc, argv);
}
