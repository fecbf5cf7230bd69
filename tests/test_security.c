/* test_security.c - who may do what, PINs, the audit chain, injection and
 * file modes, on a real demo database driven through the kiosk's state
 * machine and the store API (no display).
 *
 * The role table is checked row by row: each (role, action) is attempted
 * the way a person would, through the screens, and the outcome (screen
 * reached, rows written, audit rows) must match "allowed".  The injection
 * cases feed hostile strings to every text input and then check that the
 * schema and the data are as they were and nothing matched wrongly; the
 * number of cases tried per interface is printed. */
#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../app/core/embed.h"
#include "../app/store/store_raw.h"
#include "../app/store/shift.h"
#include "../app/ui/kiosk.h"
#include "check.h"

static char dir[64], dbpath[128];
static till_t *till;
static kiosk_t *k;
static ui_draw draw;
static int64_t fake_now;
static int64_t ms;

static int64_t fake_clock(void) { return fake_now; }
static store_t *st(void) { return till_store(till); }

static void redraw(void) { kiosk_draw(k, &draw, 1920, 1080); }

static void ev(kiosk_ev_kind kind, const char *s, int key)
{
    kiosk_ev e = {.kind = kind, .now_ms = (ms += 100), .key = key};
    if (kind == KEV_TAP)
        snprintf(e.id, sizeof e.id, "%s", s);
    else if (s)
        snprintf(e.text, sizeof e.text, "%s", s);
    kiosk_handle(k, &e);
    redraw();
}

/* Taps a widget whether or not it is drawn: a hidden button must be refused
 * by the state machine too, not only by not being shown. */
static void tap(const char *id) { ev(KEV_TAP, id, 0); }
static const char *screen(void) { return kiosk_screen_name(k); }

static long count(const char *sql)
{
    sqlite3_stmt *s = NULL;
    long n = -1;
    if (sqlite3_prepare_v2(store_db(st()), sql, -1, &s, NULL) == SQLITE_OK && sqlite3_step(s) == SQLITE_ROW)
        n = (long)sqlite3_column_int64(s, 0);
    sqlite3_finalize(s);
    return n;
}

static void cleanup(void)
{
    static const char *const sfx[] = {"", "-wal", "-shm", "/receipts.bin", "/r.csv"};
    char p[160];
    kiosk_free(k);
    till_close(till);
    k = NULL;
    till = NULL;
    if (!dir[0])
        return;
    for (int i = 0; i < 5; i++) {
        snprintf(p, sizeof p, "%s%s", i < 3 ? dbpath : dir, sfx[i]);
        unlink(p);
    }
    rmdir(dir);
    dir[0] = '\0';
}

/* A demo canteen (operators c1/1111, s1/8888, a1/9999; 20 elders) at lunch. */
static void fresh(void)
{
    zc_err err = {{0}};
    zc_datetime t = {{2026, 11, 23}, 11, 30};
    char printer[160];
    cleanup();
    snprintf(dir, sizeof dir, "/tmp/zhucan-sec.XXXXXX");
    if (!mkdtemp(dir))
        abort();
    snprintf(dbpath, sizeof dbpath, "%s/t.db", dir);
    if (till_open(dbpath, STORE_CREATE, &till, &err) != ZC_OK ||
        store_demo_fill(st(), embed_get("db/policies/beijing.json"), 20, 3, &err) != ZC_OK ||
        till_reload(till, &err) != ZC_OK) {
        fprintf(stderr, "setup: %s\n", err.msg);
        abort();
    }
    fake_now = zc_tz_epoch(t);
    /* receipts go to a file, so reprints can happen */
    snprintf(printer, sizeof printer, "%s/receipts.bin", dir);
    if (store_meta_set(st(), "printer", printer, &err) != ZC_OK)
        abort();
    kiosk_opts o = {.lang = "zh_CN", .clock = fake_clock};
    if (kiosk_create(till, &o, &k, &err) != ZC_OK)
        abort();
    redraw();
}

static void pin(const char *op, const char *p)
{
    char id[32];
    snprintf(id, sizeof id, "op:%s", op);
    tap(id);
    for (; *p; p++) {
        snprintf(id, sizeof id, "pin:%c", *p);
        tap(id);
    }
    tap("ok");
}

/* The refusal modal is up (a card line the till would not take). */
static bool shows_refusal(void)
{
    return ui_widget_find(&draw, "refusal:cancel") != NULL;
}

/* Whether s is a well-formed roster id (docs/roster.md), i.e. a string the
 * import must take literally rather than refuse. */
static bool id_like(const char *s)
{
    size_t n = strlen(s);
    return n >= 1 && n <= 47 &&
           strspn(s, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.") == n;
}

static void to_sell(void)
{
    for (int i = 0; i < 6 && strcmp(screen(), "sell") != 0; i++)
        ev(KEV_KEY, NULL, KKEY_ESCAPE);
}

/* ---- the role table ---- */

enum { A_SELL, A_REPRINT, A_LOOKUP, A_VOID, A_SETTINGS, A_SHIFT_CLOSE, A_N };
static const char *const action_names[A_N] = {"sell", "reprint", "manual look-up", "void/refund",
                                              "settings", "shift close"};

static const struct role_row {
    const char *op, *pin;
    bool allowed[A_N];
} role_table[] = {
    {"c1", "1111", {true, true, false, false, false, false}},
    {"s1", "8888", {true, true, true, true, false, true}},
    {"a1", "9999", {true, true, true, true, true, true}},
};

/* Attempts action a as the logged-in operator (who also answers any PIN
 * prompt); true when it happened. */
static bool attempt(const struct role_row *r, int a)
{
    long before;
    switch (a) {
    case A_SELL:
        before = count("SELECT count(*) FROM sale");
        tap("item:A1");
        ev(KEV_CARD, "00000000A1", 0);
        if (shows_refusal()) /* the day's subsidised meal was had: full price */
            tap("refusal:continue");
        tap("pay_cash");
        tap("tender:exact");
        bool done = strcmp(screen(), "done") == 0;
        tap("next");
        return done && count("SELECT count(*) FROM sale") == before + 1;
    case A_REPRINT:
        before = count("SELECT count(*) FROM audit WHERE action = 'reprint'");
        tap("recent");
        tap("sale:0");
        tap("reprint");
        return count("SELECT count(*) FROM audit WHERE action = 'reprint'") == before + 1;
    case A_LOOKUP:
        tap("lookup");
        pin(r->op, r->pin);
        return strcmp(screen(), "lookup") == 0;
    case A_VOID:
        tap("recent");
        tap("sale:0");
        tap("void");
        pin(r->op, r->pin);
        tap("reason:0");
        tap("void:confirm");
        return count("SELECT count(*) FROM sale WHERE status = 'voided'") == 1;
    case A_SETTINGS:
        tap("settings");
        return strcmp(screen(), "settings") == 0;
    default:
        tap("shift_close");
        if (strcmp(screen(), "shift_close") != 0)
            pin(r->op, r->pin); /* the cashier's own PIN does not approve it */
        tap("key:2");
        tap("key:0");
        tap("confirm");
        return strcmp(screen(), "zreport") == 0 &&
               count("SELECT count(*) FROM shift WHERE closed_utc IS NOT NULL") == 1;
    }
}

static void t_roles_kiosk(void)
{
    int rows = 0;
    for (size_t i = 0; i < sizeof role_table / sizeof role_table[0]; i++) {
        const struct role_row *r = &role_table[i];
        fresh();
        pin(r->op, r->pin);
        tap("key:1");
        tap("confirm");
        CHECK_STR(screen(), "sell");
        for (int a = 0; a < A_N; a++) {
            bool did = attempt(r, a);
            if (did != r->allowed[a])
                fprintf(stderr, "  role %s, %s: %s\n", r->op, action_names[a],
                        did ? "done but not allowed" : "refused but allowed");
            CHECK(did == r->allowed[a]);
            /* a cashier's own PIN is refused in words, not ignored */
            if (!r->allowed[a] && (a == A_LOOKUP || a == A_VOID))
                CHECK(ui_draw_has_text(&draw, "需要主管或管理员授权"));
            rows++;
            to_sell();
        }
    }
    printf("role table: %d (role, action) rows checked through the kiosk\n", rows);
}

/* The store enforces the same for voids whoever calls it (CLI, scripts). */
static void t_roles_store(void)
{
    store_sale_row rows[2];
    zc_err err;
    int n = 0;
    fresh();
    pin("c1", "1111");
    tap("key:1");
    tap("confirm");
    CHECK(attempt(&role_table[0], A_SELL));
    CHECK_OK(store_sale_recent(st(), rows, 2, &n, NULL));
    CHECK_INT(n, 1);
    CHECK_INT(store_sale_void(st(), rows[0].id, "c1", "wrong dish", &err), ZC_EREFUSED);
    CHECK_INT(store_sale_void(st(), rows[0].id, "nobody", "wrong dish", &err), ZC_EINVAL);
    CHECK_INT(store_sale_void(st(), rows[0].id, "s1", "", &err), ZC_EINVAL);
    CHECK_INT(count("SELECT count(*) FROM sale WHERE status = 'voided'"), 0);
    CHECK_OK(store_sale_void(st(), rows[0].id, "a1", "wrong dish", &err));
    CHECK_INT(store_sale_void(st(), rows[0].id, "s1", "again", &err), ZC_ECONFLICT);
    /* a deactivated supervisor can no longer approve anything */
    CHECK_INT(sqlite3_exec(store_db(st()), "UPDATE operator SET active = 0 WHERE id = 's1'", NULL, NULL,
                           NULL), SQLITE_OK);
    CHECK(attempt(&role_table[0], A_SELL));
    CHECK_OK(store_sale_recent(st(), rows, 2, &n, NULL));
    CHECK_INT(store_sale_void(st(), rows[0].id, "s1", "wrong dish", &err), ZC_EINVAL);
}

/* ---- PINs ---- */

static void t_pin_storage(void)
{
    sqlite3_stmt *s = NULL;
    int nops = 0;
    fresh();
    CHECK_INT(sqlite3_prepare_v2(store_db(st()), "SELECT id, pin_hash FROM operator", -1, &s, NULL),
              SQLITE_OK);
    while (s && sqlite3_step(s) == SQLITE_ROW) {
        const char *h = (const char *)sqlite3_column_text(s, 1);
        /* sealed with the key file (a copied database alone gives no hash to
         * search; test_keyfile.c), an argon2id string inside */
        CHECK(h && strncmp(h, "zk1:", 4) == 0 && !strstr(h, "argon2"));
        CHECK(h && strlen(h) > 60);
        nops++;
    }
    sqlite3_finalize(s);
    CHECK(nops >= 4);
}

static void t_lockout(void)
{
    store_operator op;
    zc_err err;
    int64_t t0, nrows;
    fresh();
    t0 = fake_now;
    for (int i = 1; i <= 4; i++)
        CHECK_INT(store_operator_login(st(), "s1", "0000", t0 + i, &op, &err), ZC_EREFUSED);
    CHECK_INT(store_operator_login(st(), "s1", "0000", t0 + 5, &op, &err), ZC_ELOCKED);
    /* the right PIN does not open a locked operator, even after a restart */
    CHECK_INT(store_operator_login(st(), "s1", "8888", t0 + 6, &op, &err), ZC_ELOCKED);
    kiosk_free(k);
    k = NULL;
    till_close(till);
    till = NULL;
    CHECK_OK(till_open(dbpath, 0, &till, &err));
    CHECK_INT(store_operator_login(st(), "s1", "8888", t0 + 299, &op, &err), ZC_ELOCKED);
    CHECK_OK(store_operator_login(st(), "s1", "8888", t0 + 306, &op, &err));
    CHECK_INT(op.failed, 0);
    /* other operators were never affected; every attempt was audited */
    CHECK_OK(store_operator_login(st(), "c1", "1111", t0 + 7, &op, &err));
    CHECK(count("SELECT count(*) FROM audit WHERE operator_id = 's1'") >= 8);
    CHECK_OK(store_audit_verify(st(), &nrows, &err));
}

/* ---- the audit log's hash chain ---- */

static void t_audit_chain(void)
{
    store_operator op;
    zc_err err = {{0}};
    int64_t rows = 0;
    fresh();
    for (int i = 0; i < 3; i++)
        CHECK_INT(store_operator_login(st(), "c1", i == 1 ? "0000" : "1111", fake_now + i, &op, &err) ==
                      ZC_OK, i != 1);
    CHECK_OK(store_audit_verify(st(), &rows, &err));
    CHECK(rows >= 3);
    /* the triggers refuse edits ... */
    CHECK(sqlite3_exec(store_db(st()), "UPDATE audit SET detail = 'x' WHERE id = 2", NULL, NULL, NULL) !=
          SQLITE_OK);
    /* ... and with them dropped, an edited row is found by number */
    CHECK_INT(sqlite3_exec(store_db(st()), "DROP TRIGGER audit_no_change; DROP TRIGGER audit_no_delete;"
                           "UPDATE audit SET operator_id = 's1' WHERE id = 2", NULL, NULL, NULL), SQLITE_OK);
    CHECK_INT(store_audit_verify(st(), &rows, &err), ZC_ECONFLICT);
    CHECK(strstr(err.msg, "2") != NULL);
    /* a deleted row (the chain still ends well) is found too */
    fresh();
    for (int i = 0; i < 3; i++)
        CHECK_OK(store_operator_login(st(), "c1", "1111", fake_now + i, &op, &err));
    CHECK_INT(sqlite3_exec(store_db(st()), "DROP TRIGGER audit_no_delete; DELETE FROM audit WHERE id = 2",
                           NULL, NULL, NULL), SQLITE_OK);
    CHECK_INT(store_audit_verify(st(), &rows, &err), ZC_ECONFLICT);
}

/* ---- injection through every text input ---- */

#define LONG_LEN 3000
static char long_str[LONG_LEN + 1];
static const char *const hostile[] = {
    "'; DROP TABLE sale; --", "\" OR 1=1 --", "' OR '1'='1", "%", "_", "%%%%", "__________",
    "0000000%", "00000000A_", "1' UNION SELECT id, pin_hash FROM operator --", "\\", "*",
    "E0000001' --", "张%", "'", "\"", ";", "--", "/*", "E%", long_str,
};
#define NHOSTILE ((int)(sizeof hostile / sizeof hostile[0]))

typedef struct tally {
    const char *iface;
    int n;
} tally;
static tally tallies[16];
static int ntallies;

static void tried(const char *iface, int n)
{
    tallies[ntallies].iface = iface;
    tallies[ntallies++].n = n;
}

/* The schema and the counts that no hostile string may change. */
static void snapshot(long v[4])
{
    v[0] = count("SELECT count(*) FROM sqlite_master");
    v[1] = count("SELECT count(*) FROM sale");
    v[2] = count("SELECT count(*) FROM elder");
    v[3] = count("SELECT count(*) FROM operator");
}

static void intact(const long before[4], const char *iface)
{
    long now[4];
    zc_err err = {{0}};
    int64_t nrows;
    snapshot(now);
    for (int i = 0; i < 4; i++)
        if (now[i] != before[i])
            fprintf(stderr, "  %s: count %d went from %ld to %ld\n", iface, i, before[i], now[i]);
    CHECK(memcmp(now, before, sizeof now) == 0);
    CHECK_OK(store_audit_verify(st(), &nrows, &err));
    CHECK_OK(store_chain_verify(st(), &nrows, &err));
}

static void t_injection(void)
{
    static zc_elder found[64];
    store_sale_row rows[2];
    store_operator op;
    till_ident id;
    zc_err err;
    long snap[4];
    int n, tries;
    memset(long_str, 'A', LONG_LEN);
    fresh();
    pin("c1", "1111");
    tap("key:1");
    tap("confirm");
    CHECK(attempt(&role_table[0], A_SELL));
    snapshot(snap);

    /* card input: the till and the kiosk's reader path */
    tries = 0;
    for (int i = 0; i < NHOSTILE; i++, tries += 2) {
        CHECK(till_identify(till, hostile[i], (zc_date){2026, 11, 23}, &id, &err) != ZC_OK);
        CHECK(!id.have_elder);
        ev(KEV_CARD, hostile[i], 0);
        CHECK_STR(screen(), "sell");
        CHECK(shows_refusal());
        tap("refusal:cancel");
    }
    intact(snap, "card input");
    tried("card input", tries);

    /* the manual look-up: nothing matches a hostile query; real ones still do */
    tries = 0;
    for (int i = 0; i < NHOSTILE; i++, tries++) {
        n = -1;
        CHECK(store_elder_search(st(), hostile[i], found, 64, &n, &err) == ZC_OK || n <= 0);
        if (n != 0)
            fprintf(stderr, "  search \"%.40s\" matched %d elders\n", hostile[i], n);
        CHECK(n <= 0);
    }
    CHECK_OK(store_elder_search(st(), "13800000001", found, 64, &n, &err));
    CHECK_INT(n, 1);
    tap("lookup");
    pin("s1", "8888");
    CHECK_STR(screen(), "lookup");
    for (int i = 0; i < NHOSTILE; i++, tries++) {
        ev(KEV_TEXT, hostile[i], 0);
        tap("search");
        CHECK(!ui_widget_find(&draw, "found:0"));
        for (int j = 0; j < 8; j++)
            tap("kb:clear");
    }
    to_sell();
    intact(snap, "elder search");
    tried("elder search", tries);

    /* operator ids and PINs at login */
    tries = 0;
    for (int i = 0; i < NHOSTILE; i++, tries += 2) {
        CHECK(store_operator_login(st(), hostile[i], "1111", fake_now, &op, &err) != ZC_OK);
        CHECK(store_operator_login(st(), "c2", hostile[i], fake_now + 400 * i, &op, &err) != ZC_OK);
    }
    snap[1] = count("SELECT count(*) FROM sale");
    intact(snap, "operator ids");
    tried("operator id / PIN", tries);

    /* void reasons are kept as written, and void only the one sale */
    CHECK(attempt(&role_table[0], A_SELL));
    CHECK(attempt(&role_table[0], A_SELL));
    snapshot(snap);
    CHECK_OK(store_sale_recent(st(), rows, 2, &n, NULL));
    CHECK_OK(store_sale_void(st(), rows[0].id, "s1", hostile[0], &err));
    CHECK_INT(count("SELECT count(*) FROM sale WHERE status = 'voided'"), 1);
    CHECK_INT(count("SELECT count(*) FROM audit WHERE action = 'void' AND detail LIKE "
                    "'%''; DROP TABLE sale; --%'"), 1);
    tries = 1;
    for (int i = 1; i < NHOSTILE; i++, tries++) {
        int ret = store_sale_void(st(), rows[1].id, "s1", hostile[i], &err);
        if ((ret == ZC_OK) != (i == 1))
            fprintf(stderr, "  void reason \"%.40s\": %d %s\n", hostile[i], ret, err.msg);
        CHECK_INT(ret == ZC_OK, i == 1);
    }
    CHECK_INT(count("SELECT count(*) FROM sale WHERE status = 'voided'"), 2);
    intact(snap, "void reason");
    tried("void reason", tries);

    /* settings values round-trip exactly */
    tries = 0;
    for (int i = 0; i < NHOSTILE; i++, tries++) {
        char back[LONG_LEN + 8];
        CHECK_OK(store_meta_set(st(), "printer", hostile[i], &err));
        CHECK_OK(store_meta_get(st(), "printer", back, sizeof back));
        CHECK_STR(back, hostile[i]);
    }
    intact(snap, "settings");
    tried("settings value", tries);
}

/* Roster CSV fields: a hostile name is stored as text; a hostile elder_id
 * or card is refused; either way nothing else changes. */
static void t_injection_csv(void)
{
    char path[160], sql[256];
    zc_err err;
    long snap[4], rows;
    int tries = 0;
    fresh();
    snprintf(path, sizeof path, "%s/r.csv", dir);
    for (int i = 0; i < NHOSTILE; i++) {
        snapshot(snap);
        /* the name column, quoted the CSV way */
        FILE *f = fopen(path, "w");
        CHECK(f != NULL);
        if (!f)
            return;
        fprintf(f, "elder_id,name,birth_date,cards\nX%03d,\"", i);
        for (const char *p = hostile[i]; *p; p++)
            fprintf(f, p[0] == '"' ? "\"\"" : "%c", *p);
        fprintf(f, "\",1945-03-12,\n");
        fclose(f);
        f = fopen(path, "r");
        int ret = store_roster_import(st(), f, NULL, &rows, &err);
        fclose(f);
        snprintf(sql, sizeof sql, "SELECT count(*) FROM elder WHERE id = 'X%03d'", i);
        if (strlen(hostile[i]) < ZC_NAME_MAX) { /* a name that fits is kept exactly */
            CHECK_OK(ret);
            snap[2]++;
            sqlite3_stmt *s = NULL;
            snprintf(sql, sizeof sql, "SELECT name FROM elder WHERE id = 'X%03d'", i);
            CHECK_INT(sqlite3_prepare_v2(store_db(st()), sql, -1, &s, NULL), SQLITE_OK);
            CHECK(s && sqlite3_step(s) == SQLITE_ROW);
            CHECK_STR((const char *)sqlite3_column_text(s, 0), hostile[i]);
            sqlite3_finalize(s);
        } else {
            CHECK_INT(ret, ZC_EINVAL);
        }
        intact(snap, "CSV name");
        tries++;
        /* the same string as elder_id and as a card: refused, nothing written */
        for (int col = 0; col < 2; col++, tries++) {
            f = fopen(path, "w");
            CHECK(f != NULL);
            if (!f)
                return;
            fprintf(f, "elder_id,name,birth_date,cards\n\"");
            for (const char *p = col ? "Y001" : hostile[i]; *p; p++)
                fprintf(f, p[0] == '"' ? "\"\"" : "%c", *p);
            fprintf(f, "\",测试,1945-03-12,\"");
            for (const char *p = col ? hostile[i] : ""; *p; p++)
                fprintf(f, p[0] == '"' ? "\"\"" : "%c", *p);
            fprintf(f, "\"\n");
            fclose(f);
            f = fopen(path, "r");
            int ret2 = store_roster_import(st(), f, NULL, &rows, &err);
            fclose(f);
            /* an id-like elder_id is a real id, and ";" an empty card list */
            bool fine = col ? strspn(hostile[i], ";") == strlen(hostile[i]) : id_like(hostile[i]);
            if ((ret2 == ZC_OK) != fine)
                fprintf(stderr, "  CSV %s \"%.40s\": %d\n", col ? "card" : "elder_id", hostile[i], ret2);
            CHECK_INT(ret2, fine ? ZC_OK : ZC_EINVAL);
            if (fine) {
                snap[2]++;
                char *q = sqlite3_mprintf("SELECT count(*) FROM elder WHERE id = %Q AND name = '测试'",
                                          col ? "Y001" : hostile[i]);
                CHECK_INT(count(q), 1);
                sqlite3_free(q);
            }
            intact(snap, col ? "CSV card" : "CSV elder_id");
        }
    }
    /* a NUL byte inside a field is refused, not cut short */
    FILE *f = fopen(path, "w");
    CHECK(f != NULL);
    if (!f)
        return;
    fwrite("elder_id,name,birth_date\nZ001,ab\0' OR 1=1,1945-03-12\n", 1, 53, f);
    fclose(f);
    snapshot(snap);
    f = fopen(path, "r");
    CHECK(store_roster_import(st(), f, NULL, &rows, &err) != ZC_OK);
    fclose(f);
    intact(snap, "CSV NUL");
    tried("roster CSV field", tries + 1);
}

/* Policy ids, versions and names: refused when they are not ids, kept as
 * text when they are names; never run as SQL. */
static void t_injection_policy(void)
{
    static char json[8192];
    const char *base = embed_get("db/policies/tianjin.json");
    zc_err err;
    long snap[4], npol;
    int tries = 0;
    fresh();
    for (int field = 0; field < 3; field++) {
        static const char *const keys[] = {"\"policy\": \"tianjin\"", "\"version\": \"", "\"name\": \""};
        const char *at = strstr(base, keys[field]);
        CHECK(at != NULL);
        if (!at)
            return;
        for (int i = 0; i < NHOSTILE; i++, tries++) {
            char esc[LONG_LEN * 2 + 8];
            size_t e = 0;
            for (const char *p = hostile[i]; *p && e + 3 < sizeof esc; p++) {
                if (*p == '"' || *p == '\\')
                    esc[e++] = '\\';
                esc[e++] = *p;
            }
            esc[e] = '\0';
            size_t head = (size_t)(at - base) + strlen(keys[field]);
            if (field == 0) /* replace the id's value */
                head -= strlen("tianjin\"");
            snprintf(json, sizeof json, "%.*s%s%s%s", (int)head, base, esc, field == 0 ? "\"" : "v-",
                     base + head);
            snapshot(snap);
            npol = count("SELECT count(*) FROM policy");
            int ret = store_policy_add(st(), json, strlen(json), &err);
            CHECK(ret == ZC_OK || ret == ZC_EINVAL || ret == ZC_ECONFLICT);
            CHECK(count("SELECT count(*) FROM policy") == npol + (ret == ZC_OK));
            intact(snap, "policy fields");
        }
    }
    /* a name with a NUL or a line break escaped: refused, not cut short */
    static const char *const ctl[] = {"\\u0000 hidden", "a\\nb", "\\u001b[2J", "a\\tb"};
    const char *name = strstr(base, "\"name\": \"");
    for (size_t i = 0; name && i < sizeof ctl / sizeof ctl[0]; i++, tries++) {
        size_t head = (size_t)(name - base) + strlen("\"name\": \"");
        snprintf(json, sizeof json, "%.*s%s%s", (int)head, base, ctl[i], base + head);
        npol = count("SELECT count(*) FROM policy");
        CHECK_INT(store_policy_add(st(), json, strlen(json), &err), ZC_EINVAL);
        CHECK(strstr(err.msg, "control character") != NULL);
        CHECK(count("SELECT count(*) FROM policy") == npol);
    }
    tried("policy id/version/name", tries);
}

/* ---- file modes ---- */

static void t_file_modes(void)
{
    static const char *const sfx[] = {"", "-wal", "-shm"};
    char p[160];
    struct stat sb;
    mode_t old = umask(022);
    fresh();
    pin("c1", "1111");
    tap("key:1");
    tap("confirm");
    CHECK(attempt(&role_table[0], A_SELL)); /* the WAL and its index exist now */
    for (int i = 0; i < 3; i++) {
        snprintf(p, sizeof p, "%s%s", dbpath, sfx[i]);
        CHECK_INT(stat(p, &sb), 0);
        if ((sb.st_mode & 0777) != 0600)
            fprintf(stderr, "  %s has mode %o\n", p, (unsigned)(sb.st_mode & 0777));
        CHECK_INT(sb.st_mode & 0777, 0600);
    }
    umask(old);
}

static void t_report(void)
{
    int total = 0;
    for (int i = 0; i < ntallies; i++) {
        printf("abuse cases: %-24s %d\n", tallies[i].iface, tallies[i].n);
        total += tallies[i].n;
    }
    printf("abuse cases: %-24s %d\n", "total", total);
}

static const check_case cases[] = {
    {"roles_kiosk", t_roles_kiosk},   {"roles_store", t_roles_store},
    {"pin_storage", t_pin_storage},   {"lockout", t_lockout},
    {"audit_chain", t_audit_chain},   {"injection", t_injection},
    {"injection_csv", t_injection_csv}, {"injection_policy", t_injection_policy},
    {"file_modes", t_file_modes},     {"report", t_report},
    {0},
};

int main(int argc, char **argv)
{
    atexit(cleanup); /* whichever cases ran, no database is left behind */
    return check_main("test_security", cases, argc, argv);
}
