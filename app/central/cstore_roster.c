/* cstore_roster.c - the roster in the SQLite backend: CSV import, the pages
 * terminals pull, elder and card look-ups, blacklisting a card.
 *
 * Change numbers.  meta roster_change holds the last one given out; every
 * elder written (or whose card changed) gets the next, inside the writing
 * transaction.  SQLite has one writer at a time, so change numbers become
 * visible in commit order and a terminal that pulled up to N never misses a
 * change numbered below N.
 *
 * Import, all or nothing, in one write transaction:
 *  - duplicates within the file are caught with two TEMP tables (imp_elder,
 *    imp_card) instead of memory;
 *  - pass 1 writes each elder whose fingerprint (roster.h) changed, with a
 *    new change number; an unchanged elder is left alone, so re-importing the
 *    same file sends terminals nothing;
 *  - pass 2, for the changed elders only, deletes the cards they no longer
 *    list and upserts the ones they do (a card's status_utc moves only when
 *    its status does).  A card still held by an elder outside the file is a
 *    bad row;
 *  - any bad row (all are reported) means ROLLBACK. */
#include "../core/clock.h"
#include "cstore_int.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "../core/csv.h"
#include "roster.h"

#define ELDER_COLS                                                                                 \
    "id, name, birth, gender, id_hash, id_last4, phone, reg_city, reg_district, reg_town, "        \
    "res_city, res_district, res_town, categories, disability_grade, care_home, status, "          \
    "valid_from, valid_to, change_no"

/* ---- rows ---- */

static int elder_from_row(central_store *st, sqlite3_stmt *s, central_elder_row *r, zc_err *err)
{
    zc_elder *e = &r->e;
    char g[4], status[16], cats[ZC_MAX_CATS * (ZC_CODE_MAX + 4)];
    memset(r, 0, sizeof *r);
    cs_col_text(s, 0, e->id, sizeof e->id);
    cs_col_text(s, 1, e->name, sizeof e->name);
    e->birth = cs_col_date(s, 2);
    cs_col_text(s, 3, g, sizeof g);
    r->gender = g[0] == 'M' || g[0] == 'F' ? g[0] : 0;
    cs_col_text(s, 4, r->id_hash, sizeof r->id_hash);
    cs_col_text(s, 5, r->id_last4, sizeof r->id_last4);
    cs_col_text(s, 6, r->phone, sizeof r->phone);
    cs_col_text(s, 7, e->reg_city, sizeof e->reg_city);
    cs_col_text(s, 8, e->reg_district, sizeof e->reg_district);
    cs_col_text(s, 9, e->reg_town, sizeof e->reg_town);
    cs_col_text(s, 10, e->res_city, sizeof e->res_city);
    cs_col_text(s, 11, e->res_district, sizeof e->res_district);
    cs_col_text(s, 12, e->res_town, sizeof e->res_town);
    cs_col_text(s, 13, cats, sizeof cats);
    e->disability_grade = sqlite3_column_int(s, 14);
    e->care_home = sqlite3_column_int(s, 15) != 0;
    cs_col_text(s, 16, status, sizeof status);
    e->status = !strcmp(status, "suspended")  ? ZC_ELDER_SUSPENDED
                : !strcmp(status, "deceased") ? ZC_ELDER_DECEASED
                                              : ZC_ELDER_ACTIVE;
    e->valid_from = cs_col_date(s, 17);
    e->valid_to = cs_col_date(s, 18);
    r->change_no = sqlite3_column_int64(s, 19);
    zc_err why;
    if (zc_cats_parse(cats, e->cats, ZC_MAX_CATS, &e->ncats, &why) != ZC_OK)
        return zc_errf(err, ZC_EDB, "elder %s has damaged categories in %s (%s); import the roster "
                       "again", e->id, st->path, why.msg);
    return ZC_OK;
}

static void card_from_row(sqlite3_stmt *s, central_card *c)
{
    memset(c, 0, sizeof *c);
    cs_col_text(s, 0, c->uid, sizeof c->uid);
    cs_col_text(s, 1, c->elder_id, sizeof c->elder_id);
    cs_col_text(s, 2, c->status, sizeof c->status);
    c->valid_from = cs_col_date(s, 3);
    c->valid_to = cs_col_date(s, 4);
    c->status_utc = sqlite3_column_int64(s, 5);
}

static int load_cards(central_store *st, central_elder_row *r, zc_err *err)
{
    sqlite3_stmt *s;
    int rc, ret = cs_prep(st, S_CARDS_OF, "SELECT uid, elder_id, status, valid_from, valid_to, "
                          "status_utc FROM card WHERE elder_id = ? ORDER BY uid", &s, err);
    if (ret)
        return ret;
    sqlite3_bind_text(s, 1, r->e.id, -1, SQLITE_STATIC);
    while ((rc = sqlite3_step(s)) == SQLITE_ROW && r->ncards < ZC_ROSTER_MAX_CARDS)
        card_from_row(s, &r->cards[r->ncards++]);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        ret = cs_dbfail(st, rc, "reading the cards", err);
    cs_done(s);
    return ret;
}

/* The next change number (read from meta on first use in a transaction). */
static int change_counter(central_store *st, int64_t *out, zc_err *err)
{
    char buf[32];
    *out = 0;
    int ret = central_store_meta_get(st, "roster_change", buf, sizeof buf);
    if (ret == ZC_ENOTFOUND)
        return ZC_OK;
    if (ret)
        return zc_errf(err, ret, "cannot read the roster change number of %s", st->path);
    char *end = NULL;
    errno = 0;
    long long v = strtoll(buf, &end, 10);
    if (errno || end == buf || *end || v < 0)
        return zc_errf(err, ZC_EDB, "the roster change number \"%s\" in %s is damaged", buf, st->path);
    *out = (int64_t)v;
    return ZC_OK;
}

static int change_save(central_store *st, int64_t v, zc_err *err)
{
    char buf[32];
    snprintf(buf, sizeof buf, "%lld", (long long)v);
    return central_store_meta_set(st, "roster_change", buf, err);
}

/* ---- import ---- */

typedef struct imp {
    central_store *st;
    zc_roster_report rep; /* the problems found, for the report and err */
    int64_t counter; /* the last change number given out */
    int64_t now;
} imp;

/* The line an id was first seen on in this import (0 when unknown). */
static long seen_line(central_store *st, const char *sql, const char *value)
{
    sqlite3_stmt *s = NULL;
    long line = 0;
    if (sqlite3_prepare_v2(st->db, sql, -1, &s, NULL) == SQLITE_OK) {
        sqlite3_bind_text(s, 1, value, -1, SQLITE_STATIC);
        if (sqlite3_step(s) == SQLITE_ROW)
            line = (long)sqlite3_column_int64(s, 0);
    }
    sqlite3_finalize(s);
    return line;
}

static void owner_of(central_store *st, const char *sql, const char *value, char *out, size_t n)
{
    sqlite3_stmt *s = NULL;
    snprintf(out, n, "?");
    if (sqlite3_prepare_v2(st->db, sql, -1, &s, NULL) == SQLITE_OK) {
        sqlite3_bind_text(s, 1, value, -1, SQLITE_STATIC);
        if (sqlite3_step(s) == SQLITE_ROW)
            cs_col_text(s, 0, out, n);
    }
    sqlite3_finalize(s);
}

/* Remembers the row's elder and cards for in-file duplicate checks and
 * pass 2.  Returns a negative code only for database failures. */
static int remember(imp *im, const central_elder_row *r, long line, zc_err *err)
{
    central_store *st = im->st;
    sqlite3_stmt *s;
    int ret = cs_prep(st, S_IMP_ELDER, "INSERT INTO imp_elder (id, line, changed) VALUES (?, ?, 0)",
                      &s, err);
    if (ret)
        return ret;
    sqlite3_bind_text(s, 1, r->e.id, -1, SQLITE_STATIC);
    sqlite3_bind_int64(s, 2, line);
    int rc = sqlite3_step(s);
    cs_done(s);
    if ((rc & 0xff) == SQLITE_CONSTRAINT)
        zc_roster_bad(&im->rep, line, "elder_id", "%s is also on line %ld", r->e.id,
            seen_line(st, "SELECT line FROM imp_elder WHERE id = ?", r->e.id));
    else if (rc != SQLITE_DONE)
        return cs_dbfail(st, rc, "the roster import", err);
    for (int i = 0; i < r->ncards; i++) {
        const central_card *c = &r->cards[i];
        if ((ret = cs_prep(st, S_IMP_CARD, "INSERT INTO imp_card (uid, elder_id, status, valid_to, "
                           "line) VALUES (?, ?, ?, ?, ?)", &s, err)))
            return ret;
        sqlite3_bind_text(s, 1, c->uid, -1, SQLITE_STATIC);
        sqlite3_bind_text(s, 2, r->e.id, -1, SQLITE_STATIC);
        sqlite3_bind_text(s, 3, c->status, -1, SQLITE_STATIC);
        cs_bind_date(s, 4, c->valid_to);
        sqlite3_bind_int64(s, 5, line);
        rc = sqlite3_step(s);
        cs_done(s);
        if ((rc & 0xff) == SQLITE_CONSTRAINT)
            zc_roster_bad(&im->rep, line, "cards", "card %s is also on line %ld", c->uid,
                seen_line(st, "SELECT line FROM imp_card WHERE uid = ?", c->uid));
        else if (rc != SQLITE_DONE)
            return cs_dbfail(st, rc, "the roster import", err);
    }
    return ZC_OK;
}

/* Pass 1 for one good row: writes the elder when its fingerprint changed. */
static int write_elder(imp *im, const central_elder_row *r, long line, long *changed, zc_err *err)
{
    central_store *st = im->st;
    sqlite3_stmt *s;
    char fp[ZC_SHA256_HEX], held[ZC_SHA256_HEX] = "", birth[16];
    char cats[ZC_MAX_CATS * (ZC_CODE_MAX + 4)], g[2] = {r->gender, 0};
    const zc_elder *e = &r->e;
    central_roster_fingerprint(r, fp);
    int ret = cs_prep(st, S_ELDER_FP, "SELECT fingerprint FROM elder WHERE id = ?", &s, err), rc;
    if (ret)
        return ret;
    sqlite3_bind_text(s, 1, e->id, -1, SQLITE_STATIC);
    if ((rc = sqlite3_step(s)) == SQLITE_ROW)
        cs_col_text(s, 0, held, sizeof held);
    cs_done(s);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        return cs_dbfail(st, rc, "the roster import", err);
    if (fp[0] && strcmp(fp, held) == 0)
        return ZC_OK; /* unchanged: terminals need nothing */
    if ((ret = cs_prep(st, S_ELDER_PUT,
                       "INSERT INTO elder (" ELDER_COLS ", fingerprint, updated_utc) VALUES (?1, ?2, "
                       "?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, "
                       "?20, ?21, ?22) ON CONFLICT (id) DO UPDATE SET name = excluded.name, birth = "
                       "excluded.birth, gender = excluded.gender, id_hash = excluded.id_hash, "
                       "id_last4 = excluded.id_last4, phone = excluded.phone, reg_city = "
                       "excluded.reg_city, reg_district = excluded.reg_district, reg_town = "
                       "excluded.reg_town, res_city = excluded.res_city, res_district = "
                       "excluded.res_district, res_town = excluded.res_town, categories = "
                       "excluded.categories, disability_grade = excluded.disability_grade, "
                       "care_home = excluded.care_home, status = excluded.status, valid_from = "
                       "excluded.valid_from, valid_to = excluded.valid_to, change_no = "
                       "excluded.change_no, fingerprint = excluded.fingerprint, updated_utc = "
                       "excluded.updated_utc", &s, err)))
        return ret;
    const char *text[] = {e->id, e->name, zc_date_fmt(e->birth, birth, sizeof birth), g};
    for (int i = 0; i < 4; i++)
        sqlite3_bind_text(s, i + 1, text[i], -1, SQLITE_STATIC);
    const char *opt[] = {r->id_hash, r->id_last4, r->phone};
    for (int i = 0; i < 3; i++)
        if (opt[i][0])
            sqlite3_bind_text(s, i + 5, opt[i], -1, SQLITE_STATIC);
    const char *regions[] = {e->reg_city, e->reg_district, e->reg_town,
                             e->res_city, e->res_district, e->res_town};
    for (int i = 0; i < 6; i++)
        sqlite3_bind_text(s, i + 8, regions[i], -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 14, zc_cats_fmt(e->cats, e->ncats, cats, sizeof cats), -1, SQLITE_STATIC);
    sqlite3_bind_int(s, 15, e->disability_grade);
    sqlite3_bind_int(s, 16, e->care_home ? 1 : 0);
    sqlite3_bind_text(s, 17, central_elder_status_name(e->status), -1, SQLITE_STATIC);
    cs_bind_date(s, 18, e->valid_from);
    cs_bind_date(s, 19, e->valid_to);
    sqlite3_bind_int64(s, 20, im->counter + 1);
    sqlite3_bind_text(s, 21, fp, -1, SQLITE_STATIC);
    sqlite3_bind_int64(s, 22, im->now);
    rc = sqlite3_step(s);
    cs_done(s);
    if ((rc & 0xff) == SQLITE_CONSTRAINT) {
        char owner[ZC_ID_MAX];
        owner_of(st, "SELECT id FROM elder WHERE id_hash = ?", r->id_hash, owner, sizeof owner);
        zc_roster_bad(&im->rep, line, "id_number", "already on the roster as elder %s", owner);
        return ZC_OK;
    }
    if (rc != SQLITE_DONE)
        return cs_dbfail(st, rc, "the roster import", err);
    im->counter++;
    (*changed)++;
    if ((ret = cs_prep(st, S_IMP_OWNER, "UPDATE imp_elder SET changed = 1 WHERE id = ?", &s, err)))
        return ret;
    sqlite3_bind_text(s, 1, e->id, -1, SQLITE_STATIC);
    return cs_step_done(st, s, "the roster import", err);
}

/* Pass 2: the cards of the changed elders. */
static int write_cards(imp *im, zc_err *err)
{
    central_store *st = im->st;
    sqlite3_stmt *s, *u;
    int ret = cs_exec(st, "DELETE FROM card WHERE elder_id IN (SELECT id FROM imp_elder WHERE "
                      "changed = 1) AND NOT EXISTS (SELECT 1 FROM imp_card i WHERE i.uid = card.uid "
                      "AND i.elder_id = card.elder_id)", "the roster import", err), rc;
    if (ret)
        return ret;
    if ((ret = cs_prep(st, S_IMP_CARDS, "SELECT c.uid, c.elder_id, c.status, c.valid_to, c.line FROM "
                       "imp_card c JOIN imp_elder e ON e.id = c.elder_id WHERE e.changed = 1", &s,
                       err)))
        return ret;
    while (ret == ZC_OK && (rc = sqlite3_step(s)) == SQLITE_ROW) {
        if ((ret = cs_prep(st, S_CARD_UPSERT,
                           "INSERT INTO card (uid, elder_id, status, valid_from, valid_to, status_utc, "
                           "updated_utc) VALUES (?1, ?2, ?3, NULL, ?4, ?5, ?5) ON CONFLICT (uid) DO "
                           "UPDATE SET status = excluded.status, valid_to = excluded.valid_to, "
                           "status_utc = CASE WHEN card.status = excluded.status THEN "
                           "card.status_utc ELSE excluded.status_utc END, updated_utc = "
                           "excluded.updated_utc WHERE card.elder_id = excluded.elder_id", &u, err)))
            break;
        for (int i = 0; i < 4; i++)
            sqlite3_bind_value(u, i + 1, sqlite3_column_value(s, i));
        sqlite3_bind_int64(u, 5, im->now);
        int urc = sqlite3_step(u);
        cs_done(u);
        if (urc != SQLITE_DONE) {
            ret = cs_dbfail(st, urc, "the roster import", err);
        } else if (sqlite3_changes(st->db) == 0) {
            char uid[16], owner[ZC_ID_MAX];
            cs_col_text(s, 0, uid, sizeof uid);
            owner_of(st, "SELECT elder_id FROM card WHERE uid = ?", uid, owner, sizeof owner);
            zc_roster_bad(&im->rep, (long)sqlite3_column_int64(s, 4), "cards",
                          "card %s already belongs to elder %s (not in this file); take it from "
                          "that elder first", uid, owner);
        }
    }
    if (ret == ZC_OK && rc != SQLITE_DONE)
        ret = cs_dbfail(st, rc, "the roster import", err);
    cs_done(s);
    return ret;
}

/* Reads the file, checks and writes every row (inside the transaction). */
static int import_rows(imp *im, zc_csv *c, long *rows, long *changed, zc_err *err)
{
    zc_roster_header h;
    zc_roster_row *in = malloc(sizeof *in);
    central_elder_row *r = malloc(sizeof *r);
    zc_err why;
    int ret = ZC_OK, got;
    if (!in || !r) {
        ret = zc_errf(err, ZC_ENOMEM, "out of memory reading the roster");
        goto out;
    }
    while ((got = zc_csv_next(c, &why)) == ZC_EINVAL)
        zc_roster_bad(&im->rep, c->rec_line, NULL, "%s", why.msg);
    if (got == 0 && !im->rep.bad_rows) {
        ret = zc_errf(err, ZC_EINVAL, "the roster file is empty; it needs a header row naming the "
                      "columns (docs/roster.md)");
        goto out;
    }
    bool header_ok = got == 1 && zc_roster_header_read(c->field, c->nfields, c->rec_line, &h,
                                                       &im->rep) == ZC_OK;
    if (got == ZC_EIO || !header_ok || im->rep.bad_rows) {
        ret = zc_errf(err, got == ZC_EIO ? ZC_EIO : ZC_EINVAL, "the roster was NOT imported: %s",
                      got == ZC_EIO ? "the file could not be read" : im->rep.first);
        goto out;
    }
    while ((got = zc_csv_next(c, &why)) != 0) {
        if (got == ZC_EIO) {
            ret = zc_errf(err, ZC_EIO, "the roster file could not be read after line %ld; nothing "
                          "was imported", c->line);
            goto out;
        }
        if (got == ZC_EINVAL) {
            zc_roster_bad(&im->rep, c->rec_line, NULL, "%s", why.msg);
            continue;
        }
        bool blank = false;
        const char *field = NULL;
        if (zc_roster_row_read(&h, c->field, c->nfields, c->rec_line, in, &blank, &im->rep))
            continue;
        if (blank)
            continue;
        if (central_roster_row(in, im->st->salt, r, &field, &why) != ZC_OK) {
            zc_roster_bad(&im->rep, c->rec_line, field, "%s", why.msg);
            continue;
        }
        (*rows)++;
        long before = im->rep.bad_rows;
        if ((ret = remember(im, r, c->rec_line, err)))
            goto out;
        if (im->rep.bad_rows == before && (ret = write_elder(im, r, c->rec_line, changed, err)))
            goto out;
    }
    ret = write_cards(im, err);
out:
    free(in);
    free(r);
    return ret;
}

int central_store_roster_load(central_store *st, const char *actor, const char *source, bool commit,
                              FILE *csv, FILE *report, long *rows, long *changed, zc_err *err)
{
    char after[64];
    imp im = {.st = st, .rep = {.out = report}, .now = zc_now()};
    zc_csv *c = NULL;
    long nrows = 0, nchanged = 0;
    int ret;
    *rows = 0;
    *changed = 0;
    if ((ret = cs_exec(st, "CREATE TEMP TABLE IF NOT EXISTS imp_elder (id TEXT PRIMARY KEY, line "
                       "INTEGER NOT NULL, changed INTEGER NOT NULL) WITHOUT ROWID; CREATE TEMP TABLE "
                       "IF NOT EXISTS imp_card (uid TEXT PRIMARY KEY, elder_id TEXT NOT NULL, status "
                       "TEXT NOT NULL, valid_to TEXT, line INTEGER NOT NULL) WITHOUT ROWID",
                       "the roster import", err)))
        return ret;
    if (!(c = malloc(sizeof *c)))
        return zc_errf(err, ZC_ENOMEM, "out of memory reading the roster");
    zc_csv_init(c, csv);
    if ((ret = cs_exec(st, "BEGIN IMMEDIATE", "the roster import", err)))
        goto out;
    if ((ret = cs_exec(st, "DELETE FROM imp_elder; DELETE FROM imp_card", "the roster import", err)) ||
        (ret = change_counter(st, &im.counter, err)) ||
        (ret = import_rows(&im, c, &nrows, &nchanged, err)))
        goto rollback;
    if (im.rep.bad_rows) {
        ret = zc_errf(err, ZC_EINVAL, "the roster was NOT imported: %ld bad row%s (each is in the "
                      "report); the first: %s", im.rep.bad_rows, im.rep.bad_rows == 1 ? "" : "s",
                      im.rep.first);
        goto rollback;
    }
    if (!commit) { /* a preview: everything checked, nothing kept */
        *rows = nrows;
        *changed = nchanged;
        goto rollback;
    }
    snprintf(after, sizeof after, "rows=%ld changed=%ld", nrows, nchanged);
    if ((ret = change_save(st, im.counter, err)) ||
        (ret = cs_audit(st, actor, "roster.import", source, "", after, im.now, err)) ||
        (ret = cs_exec(st, "DELETE FROM imp_elder; DELETE FROM imp_card; COMMIT", "the roster import",
                       err)))
        goto rollback;
    *rows = nrows;
    *changed = nchanged;
    goto out;
rollback:
    sqlite3_exec(st->db, "ROLLBACK", NULL, NULL, NULL);
out:
    free(c);
    return ret;
}

int central_store_roster_import(central_store *st, FILE *csv, FILE *report, long *rows,
                                long *changed, zc_err *err)
{
    return central_store_roster_load(st, "cli", "roster import", true, csv, report, rows, changed,
                                     err);
}

/* ---- reads ---- */

int central_store_roster_page(central_store *st, int64_t after, int limit, central_elder_fn fn,
                              void *ctx, int64_t *next, bool *more, zc_err *err)
{
    sqlite3_stmt *s;
    central_elder_row *r = malloc(sizeof *r);
    int n = 0, rc = SQLITE_DONE, ret;
    *next = after;
    *more = false;
    if (!r)
        return zc_errf(err, ZC_ENOMEM, "out of memory reading the roster");
    if ((ret = cs_prep(st, S_ELDER_PAGE, "SELECT " ELDER_COLS " FROM elder WHERE change_no > ? "
                       "ORDER BY change_no LIMIT ?", &s, err)))
        goto out;
    sqlite3_bind_int64(s, 1, after);
    sqlite3_bind_int(s, 2, limit + 1);
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
        if (n == limit) {
            *more = true;
            break;
        }
        if ((ret = elder_from_row(st, s, r, err)) || (ret = load_cards(st, r, err)) ||
            (ret = fn(ctx, r)))
            break;
        *next = r->change_no;
        n++;
    }
    if (ret == ZC_OK && rc != SQLITE_ROW && rc != SQLITE_DONE)
        ret = cs_dbfail(st, rc, "reading the roster", err);
    cs_done(s);
out:
    free(r);
    return ret;
}

int central_store_elder_get(central_store *st, const char *id, zc_elder *out, zc_err *err)
{
    sqlite3_stmt *s;
    central_elder_row r;
    int ret = cs_prep(st, S_ELDER_GET, "SELECT " ELDER_COLS " FROM elder WHERE id = ?", &s, err);
    if (ret)
        return ret;
    sqlite3_bind_text(s, 1, id, -1, SQLITE_STATIC);
    int rc = sqlite3_step(s);
    if (rc == SQLITE_ROW && (ret = elder_from_row(st, s, &r, err)) == ZC_OK)
        *out = r.e;
    else if (rc == SQLITE_DONE)
        ret = ZC_ENOTFOUND;
    else if (rc != SQLITE_ROW)
        ret = cs_dbfail(st, rc, "reading the roster", err);
    cs_done(s);
    return ret;
}

int central_store_card_get(central_store *st, const char *uid, central_card *out, zc_err *err)
{
    sqlite3_stmt *s;
    int ret = cs_prep(st, S_CARD_GET, "SELECT uid, elder_id, status, valid_from, valid_to, status_utc "
                      "FROM card WHERE uid = ?", &s, err);
    if (ret)
        return ret;
    sqlite3_bind_text(s, 1, uid, -1, SQLITE_STATIC);
    int rc = sqlite3_step(s);
    if (rc == SQLITE_ROW)
        card_from_row(s, out);
    else
        ret = rc == SQLITE_DONE ? ZC_ENOTFOUND : cs_dbfail(st, rc, "reading the cards", err);
    cs_done(s);
    return ret;
}

/* Writes a card's new status and gives its elder a new change number. */
int cs_card_change(central_store *st, const central_card *c, const char *status, int64_t now,
                   zc_err *err)
{
    sqlite3_stmt *s;
    int64_t counter = 0;
    int ret = cs_prep(st, S_CARD_SET, "UPDATE card SET status = ?, status_utc = ?, updated_utc = ? "
                      "WHERE uid = ?", &s, err);
    if (ret)
        return ret;
    sqlite3_bind_text(s, 1, status, -1, SQLITE_STATIC);
    sqlite3_bind_int64(s, 2, now);
    sqlite3_bind_int64(s, 3, now);
    sqlite3_bind_text(s, 4, c->uid, -1, SQLITE_STATIC);
    if ((ret = cs_step_done(st, s, "the card", err)) || (ret = change_counter(st, &counter, err)))
        return ret;
    /* fingerprint '': the next import writes this elder whatever it says */
    if ((ret = cs_prep(st, S_ELDER_BUMP, "UPDATE elder SET change_no = ?, fingerprint = '', "
                       "updated_utc = ? WHERE id = ?", &s, err)))
        return ret;
    sqlite3_bind_int64(s, 1, counter + 1);
    sqlite3_bind_int64(s, 2, now);
    sqlite3_bind_text(s, 3, c->elder_id, -1, SQLITE_STATIC);
    if ((ret = cs_step_done(st, s, "the card", err)))
        return ret;
    return change_save(st, counter + 1, err);
}

int central_store_card_set(central_store *st, const char *uid, const char *status, int64_t now,
                           zc_err *err)
{
    central_card c;
    if (strcmp(status, "active") && strcmp(status, "lost") && strcmp(status, "blocked"))
        return zc_errf(err, ZC_EINVAL, "a card's status is active, lost or blocked, not \"%.20s\"",
                       status);
    int ret = cs_exec(st, "BEGIN IMMEDIATE", "the card", err);
    if (ret)
        return ret;
    if ((ret = central_store_card_get(st, uid, &c, err)) == ZC_ENOTFOUND)
        ret = zc_errf(err, ZC_ENOTFOUND, "there is no card %s on the roster", uid);
    if (ret == ZC_OK && strcmp(c.status, status) != 0) /* unchanged: nothing to send */
        ret = cs_card_change(st, &c, status, now, err);
    if (ret == ZC_OK)
        ret = cs_exec(st, "COMMIT", "the card", err);
    if (ret)
        sqlite3_exec(st->db, "ROLLBACK", NULL, NULL, NULL);
    return ret;
}
