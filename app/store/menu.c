/* menu.c - the canteen's menu: dishes, their prices from a moment on, sold
 * out for a day, and the CSV import.
 *
 * A dish's price is menu_item.price_fen unless a menu_price row has taken
 * over (the newest whose from_utc is not in the future), so a price can be
 * set for tomorrow morning today.  Sold out lasts for the local date it was
 * marked (sold_out_on); the next day the dish is on sale again by itself.
 * The selling list (store_item_list) leaves out inactive and sold-out
 * dishes; store_item_get returns any dish with its flags, for the till to
 * refuse with words.  Every change is audited with who did it. */
#include "../core/civil.h"
#include "../core/clock.h"
#include "../core/csv.h"
#include "../core/names.h"
#include "../core/textenc.h"
#include "store_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static const char *const item_categories[] = {"set_meal", "dish", "staple", "soup", "drink", "other"};

/* Today's local date as "YYYY-MM-DD" in buf (11 bytes). */
static const char *today(char *buf, int n)
{
    return zc_date_fmt(zc_tz_local(zc_now()).date, buf, n);
}

static void item_from_row(sqlite3_stmt *s, store_item *it)
{
    memset(it, 0, sizeof *it);
    store_col_text(s, 0, it->code, sizeof it->code);
    store_col_text(s, 1, it->name, sizeof it->name);
    store_col_text(s, 2, it->category, sizeof it->category);
    it->price_fen = sqlite3_column_int64(s, 3);
    it->eligible = sqlite3_column_int(s, 4) != 0;
    store_col_text(s, 5, it->periods, sizeof it->periods);
    it->active = sqlite3_column_int(s, 6) != 0;
    store_col_text(s, 7, it->unit, sizeof it->unit);
    it->sold_out = sqlite3_column_int(s, 8) != 0;
}

/* The columns item_from_row reads; ?1 is now (epoch), ?2 today's date. */
#define ITEM_SELECT                                                                               \
    "SELECT m.code, m.name, m.category, coalesce((SELECT p.price_fen FROM menu_price p WHERE "    \
    "p.code = m.code AND p.from_utc <= ?1 ORDER BY p.from_utc DESC LIMIT 1), m.price_fen), "      \
    "m.eligible, m.periods, m.active, m.unit, coalesce(m.sold_out_on = ?2, 0) FROM menu_item m "

int store_item_get(store_t *st, const char *code, store_item *out, zc_err *err)
{
    sqlite3_stmt *s;
    char day[16];
    if (!code)
        return zc_errf(err, ZC_EINVAL, "no item code was given");
    int ret = store_prep(st, Q_ITEM_GET, ITEM_SELECT "WHERE m.code = ?3", &s, err);
    if (ret)
        return ret;
    sqlite3_bind_int64(s, 1, zc_now());
    sqlite3_bind_text(s, 2, today(day, sizeof day), -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(s, 3, code, -1, SQLITE_STATIC);
    int rc = sqlite3_step(s);
    if (rc == SQLITE_ROW)
        item_from_row(s, out);
    else if (rc == SQLITE_DONE)
        ret = zc_errf(err, ZC_ENOTFOUND, "there is no menu item %s; check the menu", code);
    else
        ret = store_dbfail(st, rc, "reading the menu", err);
    store_done(s);
    return ret;
}

/* Whether periods is "" or a comma list of meal periods the names know. */
static bool periods_ok(const char *periods)
{
    char buf[sizeof ((store_item *)0)->periods];
    if (!*periods)
        return true;
    snprintf(buf, sizeof buf, "%s", periods);
    for (char *p = buf, *next; p; p = next) {
        next = strchr(p, ',');
        if (next)
            *next++ = '\0';
        if (!zc_period_name(p))
            return false;
    }
    return true;
}

int store_item_check(const store_item *it, zc_err *err)
{
    bool known = false;
    size_t n;
    if (!it || !it->code[0])
        return zc_errf(err, ZC_EINVAL, "a dish needs a code");
    n = strlen(it->code);
    if (n > STORE_ITEM_CODE_MAX)
        return zc_errf(err, ZC_EINVAL, "dish code \"%.20s...\" is longer than %d characters",
                       it->code, STORE_ITEM_CODE_MAX);
    for (const char *p = it->code; *p; p++)
        if (!((*p >= '0' && *p <= '9') || (*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
              *p == '-' || *p == '_'))
            return zc_errf(err, ZC_EINVAL, "dish code \"%s\" may hold only letters, digits, '-' "
                           "and '_'", it->code);
    if (!it->name[0] || !zc_utf8_valid(it->name))
        return zc_errf(err, ZC_EINVAL, "dish %s needs a name (UTF-8 text)", it->code);
    n = 0;
    for (const unsigned char *p = (const unsigned char *)it->name; *p; p++) {
        if (*p < 0x20 || *p == 0x7f)
            return zc_errf(err, ZC_EINVAL, "dish %s: the name holds a control character",
                           it->code);
        n += (*p & 0xc0) != 0x80; /* characters, not bytes */
    }
    if (n > STORE_ITEM_NAME_MAX)
        return zc_errf(err, ZC_EINVAL, "dish %s: the name has %zu characters; at most %d fit on a "
                       "tile and a receipt", it->code, n, STORE_ITEM_NAME_MAX);
    for (size_t i = 0; i < sizeof item_categories / sizeof item_categories[0]; i++)
        known |= strcmp(it->category, item_categories[i]) == 0;
    if (!known)
        return zc_errf(err, ZC_EINVAL, "dish %s: category \"%s\" is not one of set_meal, dish, "
                       "staple, soup, drink, other", it->code, it->category);
    if (it->price_fen < 0 || it->price_fen > STORE_ITEM_PRICE_MAX)
        return zc_errf(err, ZC_EINVAL, "dish %s: the price must be 0 to %d yuan", it->code,
                       STORE_ITEM_PRICE_MAX / 100);
    if (!periods_ok(it->periods))
        return zc_errf(err, ZC_EINVAL, "dish %s: meal periods \"%s\" must be breakfast, lunch or "
                       "dinner, separated by commas (empty: every period)", it->code, it->periods);
    if (strlen(it->unit) > 12)
        return zc_errf(err, ZC_EINVAL, "dish %s: the unit \"%s\" is too long", it->code, it->unit);
    return ZC_OK;
}

/* Inserts or replaces an item; a new item goes to the end of the sort order,
 * an existing one keeps its place (and its sold-out mark and price history). */
int store_item_put(store_t *st, const store_item *it, zc_err *err)
{
    sqlite3_stmt *s;
    int ret = it && it->price_fen > ZC_FEN_MAX
                  ? zc_errf(err, ZC_EINVAL, "menu item %s: the price is too large", it->code)
                  : ZC_OK;
    if (ret || (ret = store_item_check(it, err)))
        return ret;
    ret = store_prep(st, Q_ITEM_PUT,
                     "INSERT INTO menu_item (code, name, category, price_fen, eligible, periods, "
                     "active, unit, sort) VALUES (?, ?, ?, ?, ?, ?, ?, ?, "
                     "(SELECT coalesce(max(sort), 0) + 1 FROM menu_item)) "
                     "ON CONFLICT (code) DO UPDATE SET name = excluded.name, category = "
                     "excluded.category, price_fen = excluded.price_fen, eligible = "
                     "excluded.eligible, periods = excluded.periods, active = excluded.active, "
                     "unit = excluded.unit",
                     &s, err);
    if (ret)
        return ret;
    sqlite3_bind_text(s, 1, it->code, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 2, it->name, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 3, it->category, -1, SQLITE_STATIC);
    sqlite3_bind_int64(s, 4, it->price_fen);
    sqlite3_bind_int(s, 5, it->eligible ? 1 : 0);
    sqlite3_bind_text(s, 6, it->periods, -1, SQLITE_STATIC);
    sqlite3_bind_int(s, 7, it->active ? 1 : 0);
    sqlite3_bind_text(s, 8, it->unit[0] ? it->unit : "份", -1, SQLITE_STATIC);
    int rc = sqlite3_step(s);
    if (rc != SQLITE_DONE)
        ret = store_dbfail(st, rc, "the menu item", err);
    store_done(s);
    return ret;
}

/* Fills out from slot/sql (ITEM_SELECT ... with ?1 now and ?2 today). */
static int item_rows(store_t *st, int slot, const char *sql, store_item *out, int cap, int *n,
                     zc_err *err)
{
    sqlite3_stmt *s;
    char day[16];
    *n = 0;
    int ret = store_prep(st, slot, sql, &s, err);
    if (ret)
        return ret;
    sqlite3_bind_int64(s, 1, zc_now());
    sqlite3_bind_text(s, 2, today(day, sizeof day), -1, SQLITE_TRANSIENT);
    int rc = SQLITE_DONE;
    while (*n < cap && (rc = sqlite3_step(s)) == SQLITE_ROW)
        item_from_row(s, &out[(*n)++]);
    if (*n < cap && rc != SQLITE_DONE)
        ret = store_dbfail(st, rc, "reading the menu", err);
    store_done(s);
    return ret;
}

#define BY_CATEGORY                                                                               \
    "ORDER BY CASE m.category WHEN 'set_meal' THEN 0 WHEN 'dish' THEN 1 WHEN 'staple' THEN 2 "    \
    "WHEN 'soup' THEN 3 WHEN 'drink' THEN 4 ELSE 5 END, m.sort, m.code"

int store_item_list(store_t *st, store_item *out, int cap, int *n, zc_err *err)
{
    return item_rows(st, Q_ITEM_LIST,
                     ITEM_SELECT "WHERE m.active = 1 AND coalesce(m.sold_out_on <> ?2, 1) "
                     BY_CATEGORY, out, cap, n, err);
}

int store_menu_all(store_t *st, store_item *out, int cap, int *n, zc_err *err)
{
    return item_rows(st, Q_MENU_ALL, ITEM_SELECT BY_CATEGORY, out, cap, n, err);
}

/* Runs one statement of slot/sql binding ?1 = code, ?2 = a, ?3 = b and
 * ?4 = text (NULL when text is NULL) and audits action on code, in one
 * transaction.  The dish must exist (ZC_ENOTFOUND otherwise). */
static int change(store_t *st, const char *actor, int slot, const char *sql, const char *code,
                  int64_t a, int64_t b, const char *text, const char *action, const char *detail,
                  zc_err *err)
{
    sqlite3_stmt *s;
    store_item it;
    int ret = store_item_get(st, code, &it, err);
    if (ret || (ret = store_begin(st, "the menu", err)))
        return ret;
    if ((ret = store_prep(st, slot, sql, &s, err)))
        goto out;
    sqlite3_bind_text(s, 1, code, -1, SQLITE_STATIC);
    sqlite3_bind_int64(s, 2, a);
    sqlite3_bind_int64(s, 3, b);
    if (text)
        sqlite3_bind_text(s, 4, text, -1, SQLITE_STATIC);
    int rc = sqlite3_step(s);
    store_done(s);
    if (rc != SQLITE_DONE) {
        ret = store_dbfail(st, rc, "the menu", err);
        goto out;
    }
    if ((ret = store_audit_write(st, zc_now(), actor ? actor : "", action, code, detail, err)))
        goto out;
    ret = store_commit(st, "the menu", err);
out:
    store_rollback(st);
    return ret;
}

int store_menu_price(store_t *st, const char *actor, const char *code, zc_fen fen,
                     int64_t from_utc, zc_err *err)
{
    char detail[80], yuan[32];
    zc_datetime at = zc_tz_local(from_utc);
    if (fen < 0 || fen > STORE_ITEM_PRICE_MAX)
        return zc_errf(err, ZC_EINVAL, "dish %s: the price must be 0 to %d yuan", code ? code : "",
                       STORE_ITEM_PRICE_MAX / 100);
    snprintf(detail, sizeof detail, "%s yuan from %04d-%02d-%02d %02d:%02d",
             zc_fen_fmt(fen, yuan, sizeof yuan), at.date.y % 10000, at.date.m % 100,
             at.date.d % 100, at.hh % 100, at.mm % 100);
    return change(st, actor, Q_MENU_PRICE,
                  "INSERT INTO menu_price (code, from_utc, price_fen) VALUES (?1, ?2, ?3) "
                  "ON CONFLICT (code, from_utc) DO UPDATE SET price_fen = excluded.price_fen",
                  code, from_utc, fen, NULL, "menu_price", detail, err);
}

int store_menu_sold_out(store_t *st, const char *actor, const char *code, bool sold_out,
                        zc_err *err)
{
    char day[16];
    return change(st, actor, Q_MENU_SOLD_OUT, "UPDATE menu_item SET sold_out_on = ?4 WHERE code = ?1",
                  code, 0, 0, sold_out ? today(day, sizeof day) : NULL,
                  sold_out ? "menu_sold_out" : "menu_back", sold_out ? day : "", err);
}

/* ---- import ---- */

/* The columns of a menu CSV (docs/menu.md); code, name, category and price
 * must be there, the rest may be left out. */
enum { C_CODE, C_NAME, C_CATEGORY, C_PRICE, C_UNIT, C_PERIODS, C_ELIGIBLE, C_ACTIVE, C_N };
static const char *const columns[C_N] = {"code",    "name",     "category", "price",
                                         "unit",    "periods",  "eligible", "active"};

/* Cuts the spaces around s in place (Excel pads); returns s. */
static char *trim(char *s)
{
    size_t n = strlen(s);
    while (n && (s[n - 1] == ' ' || s[n - 1] == '\t'))
        s[--n] = '\0';
    while (*s == ' ' || *s == '\t')
        s++;
    return s;
}

/* A 0/1 column ("" = dflt). */
static int flag(const char *v, bool dflt, bool *out)
{
    if (!*v)
        *out = dflt;
    else if (strcmp(v, "1") == 0 || strcmp(v, "是") == 0)
        *out = true;
    else if (strcmp(v, "0") == 0 || strcmp(v, "否") == 0)
        *out = false;
    else
        return ZC_EINVAL;
    return ZC_OK;
}

/* One data row into it; problems as "line N: field: reason" lines on report. */
static int import_row(zc_csv *c, const int *col, store_item *it, FILE *report)
{
    const char *v[C_N];
    int bad = 0;
    zc_err e;
    for (int i = 0; i < C_N; i++)
        v[i] = col[i] >= 0 && col[i] < c->nfields ? trim(c->field[col[i]]) : "";
    memset(it, 0, sizeof *it);
    if (strlen(v[C_NAME]) >= sizeof it->name) {
        size_t chars = 0;
        for (const char *p = v[C_NAME]; *p; p++)
            chars += (*p & 0xc0) != 0x80;
        fprintf(report, "line %ld: name: %zu characters; at most %d fit on a tile and a receipt\n",
                c->rec_line, chars, STORE_ITEM_NAME_MAX);
        return ZC_EINVAL;
    }
    if (strlen(v[C_CODE]) >= sizeof it->code ||
        strlen(v[C_CATEGORY]) >= sizeof it->category || strlen(v[C_PERIODS]) >= sizeof it->periods ||
        strlen(v[C_UNIT]) >= sizeof it->unit) {
        fprintf(report, "line %ld: a field is too long\n", c->rec_line);
        return ZC_EINVAL;
    }
    snprintf(it->code, sizeof it->code, "%s", v[C_CODE]);
    snprintf(it->name, sizeof it->name, "%s", v[C_NAME]);
    snprintf(it->category, sizeof it->category, "%s", v[C_CATEGORY]);
    snprintf(it->unit, sizeof it->unit, "%s", v[C_UNIT]);
    snprintf(it->periods, sizeof it->periods, "%s", v[C_PERIODS]);
    for (char *p = it->periods; *p; p++)
        if (*p == ';' || *p == '|')
            *p = ','; /* "lunch;dinner": a comma would split the CSV field */
    if (zc_fen_parse(v[C_PRICE], &it->price_fen) != ZC_OK) {
        fprintf(report, "line %ld: price: \"%.20s\" is not an amount in yuan such as 13 or 13.50\n",
                c->rec_line, v[C_PRICE]);
        bad = 1;
    }
    if (flag(v[C_ELIGIBLE], false, &it->eligible) != ZC_OK) {
        fprintf(report, "line %ld: eligible: write 1 (the subsidy applies) or 0\n", c->rec_line);
        bad = 1;
    }
    if (flag(v[C_ACTIVE], true, &it->active) != ZC_OK) {
        fprintf(report, "line %ld: active: write 1 (on the menu) or 0\n", c->rec_line);
        bad = 1;
    }
    if (!bad && store_item_check(it, &e) != ZC_OK) {
        fprintf(report, "line %ld: %s\n", c->rec_line, e.msg);
        bad = 1;
    }
    return bad ? ZC_EINVAL : ZC_OK;
}

int store_menu_import(store_t *st, const char *actor, const char *path, FILE *report, long *rows,
                      zc_err *err)
{
    int ret = ZC_OK, col[C_N], rc, nbad = 0;
    char *text = NULL, detail[64];
    size_t len = 0;
    bool gbk = false;
    long n = 0, *lines = NULL; /* lines[i]: where items[i] was read */
    FILE *f = NULL;
    store_item *items = NULL;
    zc_csv *c = malloc(sizeof *c);
    *rows = 0;
    if (!c || !(items = malloc(sizeof *items * STORE_MENU_MAX)) ||
        !(lines = calloc(STORE_MENU_MAX, sizeof *lines))) {
        ret = zc_errf(err, ZC_ENOMEM, "out of memory reading %s", path);
        goto out;
    }
    if ((ret = zc_text_load_utf8(path, &text, &len, &gbk, err)))
        goto out;
    if (!(f = fmemopen(text, len ? len : 1, "r"))) {
        ret = zc_errf(err, ZC_ENOMEM, "out of memory reading %s", path);
        goto out;
    }
    zc_csv_init(c, f);
    /* the header: names in any order, each known, the four needed present */
    if ((rc = zc_csv_next(c, err)) != 1) {
        ret = rc == 0 ? zc_errf(err, ZC_EINVAL, "%s is empty; the first line names the columns "
                                "(code,name,category,price,...)", path)
                      : rc;
        goto out;
    }
    for (int i = 0; i < C_N; i++)
        col[i] = -1;
    for (int j = 0; j < c->nfields; j++) {
        int k = 0;
        const char *name = trim(c->field[j]);
        while (k < C_N && strcasecmp(name, columns[k]) != 0)
            k++;
        if (k == C_N) {
            ret = zc_errf(err, ZC_EINVAL, "%s line 1: unknown column \"%.40s\"; the columns are "
                          "code,name,category,price,unit,periods,eligible,active", path, c->field[j]);
            goto out;
        }
        if (col[k] >= 0) {
            ret = zc_errf(err, ZC_EINVAL, "%s line 1: the column \"%s\" is named twice", path,
                          columns[k]);
            goto out;
        }
        col[k] = j;
    }
    for (int k = 0; k <= C_PRICE; k++)
        if (col[k] < 0) {
            ret = zc_errf(err, ZC_EINVAL, "%s line 1: the column \"%s\" is missing", path,
                          columns[k]);
            goto out;
        }
    /* every row checked before anything is written */
    while ((rc = zc_csv_next(c, err)) != 0) {
        if (rc < 0) {
            fprintf(report, "line %ld: %s\n", c->rec_line, err->msg);
            nbad++;
            continue;
        }
        if (n >= STORE_MENU_MAX) {
            ret = zc_errf(err, ZC_ETOOBIG, "%s has more than %d dishes", path, STORE_MENU_MAX);
            goto out;
        }
        if (import_row(c, col, &items[n], report) != ZC_OK) {
            nbad++;
            continue;
        }
        for (long i = 0; i < n; i++)
            if (strcmp(items[i].code, items[n].code) == 0) {
                fprintf(report, "line %ld: code: %s is already on line %ld\n", c->rec_line,
                        items[n].code, lines[i]);
                nbad++;
                goto next;
            }
        lines[n] = c->rec_line;
        n++;
    next:;
    }
    if (nbad) {
        ret = zc_errf(err, ZC_EINVAL, "%s: %d row%s refused (listed above); nothing was imported",
                      path, nbad, nbad == 1 ? "" : "s");
        goto out;
    }
    if ((ret = store_begin(st, "the menu", err)))
        goto out;
    for (long i = 0; i < n && ret == ZC_OK; i++)
        ret = store_item_put(st, &items[i], err);
    snprintf(detail, sizeof detail, "%ld dishes%s", n, gbk ? " (GBK)" : "");
    if (ret == ZC_OK)
        ret = store_audit_write(st, zc_now(), actor ? actor : "", "menu_import", path, detail, err);
    if (ret == ZC_OK && (ret = store_commit(st, "the menu", err)) == ZC_OK)
        *rows = n;
    store_rollback(st);
out:
    if (f)
        fclose(f);
    free(text);
    free(lines);
    free(items);
    free(c);
    return ret;
}
