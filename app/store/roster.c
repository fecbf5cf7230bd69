/* roster.c - elders and cards: lookup by card, by ID number, by manual
 * search, and the row writers the CSV import and the demo fill share.
 *
 * Cards are keyed by the full 40-bit UID as 10 upper-case hex digits.  A
 * reader that types only the low 32 or 24 bits is served through the lo24
 * index (every card row also stores lo24 and lo32), and a short key that
 * matches several cards is a conflict the cashier resolves with the ID
 * number, never a guess.  ID numbers are stored only as a keyed hash (meta
 * id_salt) plus their last four characters for manual search. */
#include "../core/clock.h"
#include "../core/pinyin.h"
#include "store_int.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static const char *const elder_status_names[] = {"active", "suspended", "deceased"};
static const char *const card_status_names[] = {"active", "lost", "blocked"};

#define NAME_TOP "\xf4\x8f\xbf\xbf" /* U+10FFFF: sorts after any UTF-8 continuation */

/* ---- rows <-> structs ---- */

#define ELDER_COLS                                                                                 \
    "id, name, birth, reg_city, reg_district, reg_town, res_city, res_district, res_town, "       \
    "categories, disability_grade, care_home, status, valid_from, valid_to"

static int elder_from_row(store_t *st, sqlite3_stmt *s, zc_elder *e, zc_err *err)
{
    memset(e, 0, sizeof *e);
    store_col_text(s, 0, e->id, sizeof e->id);
    store_col_text(s, 1, e->name, sizeof e->name);
    e->birth = store_col_date(s, 2);
    store_col_text(s, 3, e->reg_city, sizeof e->reg_city);
    store_col_text(s, 4, e->reg_district, sizeof e->reg_district);
    store_col_text(s, 5, e->reg_town, sizeof e->reg_town);
    store_col_text(s, 6, e->res_city, sizeof e->res_city);
    store_col_text(s, 7, e->res_district, sizeof e->res_district);
    store_col_text(s, 8, e->res_town, sizeof e->res_town);
    const char *cats = (const char *)sqlite3_column_text(s, 9);
    e->disability_grade = sqlite3_column_int(s, 10);
    e->care_home = sqlite3_column_int(s, 11) != 0;
    const char *status = (const char *)sqlite3_column_text(s, 12);
    e->status = ZC_ELDER_ACTIVE;
    for (int i = 0; status && i < 3; i++)
        if (strcmp(status, elder_status_names[i]) == 0)
            e->status = (zc_elder_status)i;
    e->valid_from = store_col_date(s, 13);
    e->valid_to = store_col_date(s, 14);
    zc_err why;
    if (zc_cats_parse(cats ? cats : "", e->cats, ZC_MAX_CATS, &e->ncats, &why) != ZC_OK)
        return zc_errf(err, ZC_EDB, "elder %s has damaged categories in %s (%s); import the roster "
                       "again", e->id, st->path, why.msg);
    return ZC_OK;
}

/* The UPSERT behind store_elder_put, the import and the demo.  ?22 = 1
 * keeps a stored ID hash and phone when the new row has none; ?23 = 1
 * leaves an elder already held untouched (no change counted). */
int store_elder_write(store_t *st, const store_elder_row *r, int64_t now)
{
    sqlite3_stmt *s;
    const zc_elder *e = &r->e;
    char birth[16], cats[ZC_MAX_CATS * (ZC_CODE_MAX + 4)], tail[5] = "";
    if (store_prep(st, Q_ELDER_PUT,
                   "INSERT INTO elder (id, name, birth, gender, id_hash, id_last4, phone, phone_tail, "
                   "reg_city, reg_district, reg_town, res_city, res_district, res_town, categories, "
                   "disability_grade, care_home, status, valid_from, valid_to, updated_at) VALUES "
                   "(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, "
                   "?19, ?20, ?21) ON CONFLICT (id) DO UPDATE SET name = excluded.name, "
                   "birth = excluded.birth, gender = excluded.gender, "
                   "id_hash = CASE WHEN ?22 THEN coalesce(excluded.id_hash, id_hash) ELSE "
                   "excluded.id_hash END, "
                   "id_last4 = CASE WHEN ?22 THEN coalesce(excluded.id_last4, id_last4) ELSE "
                   "excluded.id_last4 END, "
                   "phone = CASE WHEN ?22 THEN coalesce(excluded.phone, phone) ELSE excluded.phone END, "
                   "phone_tail = CASE WHEN ?22 THEN coalesce(excluded.phone_tail, phone_tail) ELSE "
                   "excluded.phone_tail END, "
                   "reg_city = excluded.reg_city, reg_district = excluded.reg_district, "
                   "reg_town = excluded.reg_town, res_city = excluded.res_city, "
                   "res_district = excluded.res_district, res_town = excluded.res_town, "
                   "categories = excluded.categories, disability_grade = excluded.disability_grade, "
                   "care_home = excluded.care_home, status = excluded.status, "
                   "valid_from = excluded.valid_from, valid_to = excluded.valid_to, "
                   "updated_at = excluded.updated_at WHERE NOT ?23", &s, NULL))
        return SQLITE_ERROR;
    size_t plen = strlen(r->phone);
    if (plen >= 4)
        snprintf(tail, sizeof tail, "%s", r->phone + plen - 4);
    zc_cats_fmt(e->cats, e->ncats, cats, sizeof cats);
    sqlite3_bind_text(s, 1, e->id, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 2, e->name, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 3, zc_date_fmt(e->birth, birth, sizeof birth), -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 4, r->gender == 'M' ? "M" : r->gender == 'F' ? "F" : "", -1, SQLITE_STATIC);
    store_bind_opt(s, 5, r->id_hash);
    store_bind_opt(s, 6, r->id_last4);
    store_bind_opt(s, 7, r->phone);
    store_bind_opt(s, 8, tail);
    sqlite3_bind_text(s, 9, e->reg_city, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 10, e->reg_district, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 11, e->reg_town, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 12, e->res_city, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 13, e->res_district, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 14, e->res_town, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 15, cats, -1, SQLITE_STATIC);
    sqlite3_bind_int(s, 16, e->disability_grade);
    sqlite3_bind_int(s, 17, e->care_home ? 1 : 0);
    int si = (int)e->status >= 0 && (int)e->status < 3 ? (int)e->status : 0;
    sqlite3_bind_text(s, 18, elder_status_names[si], -1, SQLITE_STATIC);
    store_bind_date(s, 19, e->valid_from);
    store_bind_date(s, 20, e->valid_to);
    sqlite3_bind_int64(s, 21, now);
    sqlite3_bind_int(s, 22, r->keep_missing ? 1 : 0);
    sqlite3_bind_int(s, 23, r->add_only ? 1 : 0);
    int rc = sqlite3_step(s);
    store_done(s);
    return rc;
}

int store_card_write(store_t *st, uint64_t uid, const char *elder_id, store_card_status status,
                     zc_date from, zc_date to, int64_t now)
{
    sqlite3_stmt *s;
    char hex[16];
    if (store_prep(st, Q_CARD_INSERT,
                   "INSERT INTO card (uid, lo24, lo32, elder_id, status, valid_from, valid_to, "
                   "updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)", &s, NULL))
        return SQLITE_ERROR;
    int si = (int)status >= 0 && (int)status < 3 ? (int)status : 0;
    sqlite3_bind_text(s, 1, zc_card_uid_fmt(uid, hex, sizeof hex), -1, SQLITE_STATIC);
    sqlite3_bind_int64(s, 2, (int64_t)(uid & 0xFFFFFF));
    sqlite3_bind_int64(s, 3, (int64_t)(uid & 0xFFFFFFFF));
    sqlite3_bind_text(s, 4, elder_id, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 5, card_status_names[si], -1, SQLITE_STATIC);
    store_bind_date(s, 6, from);
    store_bind_date(s, 7, to);
    sqlite3_bind_int64(s, 8, now);
    int rc = sqlite3_step(s);
    store_done(s);
    return rc;
}

int store_cards_delete(store_t *st, const char *elder_id)
{
    sqlite3_stmt *s;
    if (store_prep(st, Q_CARDS_DELETE, "DELETE FROM card WHERE elder_id = ?", &s, NULL))
        return SQLITE_ERROR;
    sqlite3_bind_text(s, 1, elder_id, -1, SQLITE_STATIC);
    int rc = sqlite3_step(s);
    store_done(s);
    return rc;
}

/* ---- validation shared with the import ---- */

int store_elder_check(store_t *st, const zc_elder *e, const char *idnum, const char *phone,
                      char gender, store_elder_row *r, const char **field, zc_err *err)
{
    memset(r, 0, sizeof *r);
    r->e = *e;
    r->gender = gender;
    int ret = zc_roster_elder_check(e, idnum, phone, r->phone, &r->gender, field, err);
    if (ret == ZC_OK && idnum && *idnum)
        zc_roster_idnum_fill(st->salt, idnum, r->id_hash, r->id_last4);
    return ret;
}

/* ---- elders ---- */

int store_elder_put(store_t *st, const zc_elder *e, const char *idnum, const char *phone, zc_err *err)
{
    store_elder_row r;
    const char *field = NULL;
    zc_err why;
    if (!e)
        return zc_errf(err, ZC_EINVAL, "no elder was given");
    if (store_elder_check(st, e, idnum, phone, 0, &r, &field, &why) != ZC_OK)
        return zc_errf(err, ZC_EINVAL, "elder %s: %s: %s", e->id, field, why.msg);
    r.keep_missing = true;
    int rc = store_elder_write(st, &r, zc_now());
    if (rc == SQLITE_CONSTRAINT_UNIQUE)
        return zc_errf(err, ZC_ECONFLICT, "elder %s: this ID number already belongs to another elder "
                       "on the roster", e->id);
    return rc == SQLITE_DONE ? ZC_OK : store_dbfail(st, rc, "the elder", err);
}

int store_elder_add(store_t *st, const zc_elder *e, const char *phone, const char *id_hash,
                    const char *id_last4, char gender, bool *added, zc_err *err)
{
    store_elder_row r;
    const char *field = NULL;
    zc_err why;
    *added = false;
    if (!e)
        return zc_errf(err, ZC_EINVAL, "no elder was given");
    if (store_elder_check(st, e, NULL, phone, 0, &r, &field, &why) != ZC_OK)
        return zc_errf(err, ZC_EINVAL, "elder %s: %s: %s", e->id, field, why.msg);
    snprintf(r.id_hash, sizeof r.id_hash, "%s", id_hash ? id_hash : "");
    snprintf(r.id_last4, sizeof r.id_last4, "%s", id_last4 ? id_last4 : "");
    r.gender = gender == 'M' || gender == 'F' ? gender : 0;
    r.add_only = true;
    int rc = store_elder_write(st, &r, zc_now());
    if (rc == SQLITE_CONSTRAINT_UNIQUE)
        return zc_errf(err, ZC_ECONFLICT, "elder %s: this ID number already belongs to another elder "
                       "on the roster", e->id);
    if (rc != SQLITE_DONE)
        return store_dbfail(st, rc, "the elder", err);
    *added = sqlite3_changes(st->db) > 0;
    return ZC_OK;
}

int store_elder_get(store_t *st, const char *id, zc_elder *out, zc_err *err)
{
    sqlite3_stmt *s;
    if (!id)
        return zc_errf(err, ZC_EINVAL, "no elder id was given");
    int ret = store_prep(st, Q_ELDER_GET, "SELECT " ELDER_COLS " FROM elder WHERE id = ?", &s, err);
    if (ret)
        return ret;
    sqlite3_bind_text(s, 1, id, -1, SQLITE_STATIC);
    int rc = sqlite3_step(s);
    if (rc == SQLITE_ROW)
        ret = elder_from_row(st, s, out, err);
    else if (rc == SQLITE_DONE)
        ret = zc_errf(err, ZC_ENOTFOUND, "elder %s is not on this terminal's roster; sync the roster "
                      "or ask the community office", id);
    else
        ret = store_dbfail(st, rc, "reading the roster", err);
    store_done(s);
    return ret;
}

int store_elder_by_idnum(store_t *st, const char *idnum, zc_elder *out, zc_err *err)
{
    sqlite3_stmt *s;
    store_elder_row r;
    int ret = zc_idnum_check(idnum, err);
    if (ret)
        return ret;
    zc_roster_idnum_fill(st->salt, idnum, r.id_hash, r.id_last4);
    if ((ret = store_prep(st, Q_ELDER_BY_HASH, "SELECT " ELDER_COLS " FROM elder WHERE id_hash = ?",
                          &s, err)))
        return ret;
    sqlite3_bind_text(s, 1, r.id_hash, -1, SQLITE_STATIC);
    int rc = sqlite3_step(s);
    if (rc == SQLITE_ROW)
        ret = elder_from_row(st, s, out, err);
    else if (rc == SQLITE_DONE)
        ret = zc_errf(err, ZC_ENOTFOUND, "nobody with ID number ...%s is on this terminal's roster; "
                      "check the number, or ask the community office", r.id_last4);
    else
        ret = store_dbfail(st, rc, "reading the roster", err);
    store_done(s);
    return ret;
}

static bool all_digits(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (s[i] < '0' || s[i] > '9')
            return false;
    return n > 0;
}

/* True when s[0..n) is n > 0 ASCII letters. */
static bool all_letters(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= 'A' && s[i] <= 'Z')))
            return false;
    return n > 0;
}

/* Elders whose names' pinyin initials start with q (letters, any case):
 * "ZXY" finds 张秀英.  Names carry no initials column, so this reads the
 * roster's names in order and stops at cap matches: a look-up by hand is
 * rare and a roster of 100 000 reads in well under a second. */
static int search_initials(store_t *st, const char *q, zc_elder *out, int cap, int *n, zc_err *err)
{
    sqlite3_stmt *s = NULL;
    zc_pinyin *py = NULL;
    char want[ZC_NAME_MAX], got[ZC_NAME_MAX];
    size_t len = strlen(q);
    int ret = zc_pinyin_open(&py, err);
    if (ret)
        return ret;
    for (size_t i = 0; i <= len; i++)
        want[i] = q[i] >= 'a' && q[i] <= 'z' ? (char)(q[i] - 'a' + 'A') : q[i];
    ret = store_prep(st, Q_ELDER_SEARCH_INITIALS, "SELECT " ELDER_COLS " FROM elder ORDER BY name, id", &s, err);
    int rc = SQLITE_DONE;
    while (ret == ZC_OK && *n < cap && (rc = sqlite3_step(s)) == SQLITE_ROW) {
        const char *name = (const char *)sqlite3_column_text(s, 1);
        zc_pinyin_initials(py, name ? name : "", got, sizeof got);
        if (strncmp(got, want, len) == 0 && (ret = elder_from_row(st, s, &out[*n], err)) == ZC_OK)
            (*n)++;
    }
    if (ret == ZC_OK && rc != SQLITE_DONE && rc != SQLITE_ROW)
        ret = store_dbfail(st, rc, "searching the roster by initials", err);
    store_done(s);
    zc_pinyin_free(py);
    return ret;
}

/* Manual search.  What q looks like decides where to look:
 * an 18-character ID number -> its hash; 4 characters of digits (or 3 and
 * X) -> last 4 of the ID number and of the phone; more digits -> phone
 * suffix; only letters -> pinyin initials of the name; anything else ->
 * name prefix. */
int store_elder_search(store_t *st, const char *q, zc_elder *out, int cap, int *n, zc_err *err)
{
    sqlite3_stmt *s = NULL;
    char a[ZC_NAME_MAX], b[ZC_NAME_MAX + 8];
    int ret = ZC_OK;
    *n = 0;
    while (q && (*q == ' ' || *q == '\t'))
        q++;
    size_t len = q ? strnlen(q, ZC_NAME_MAX) : 0;
    while (len > 0 && (q[len - 1] == ' ' || q[len - 1] == '\t'))
        len--;
    if (len == 0)
        return zc_errf(err, ZC_EINVAL, "type a name, the last 4 of the ID number, or a phone number");
    if (len >= ZC_NAME_MAX)
        return zc_errf(err, ZC_ETOOBIG, "the search text is too long; type fewer characters");
    if (cap <= 0)
        return ZC_OK;
    snprintf(a, sizeof a, "%.*s", (int)len, q);
    if (len == 18 && all_digits(a, 17) && zc_input_classify(a) == ZC_INPUT_IDNUM) {
        ret = store_elder_by_idnum(st, a, &out[0], err);
        if (ret == ZC_OK)
            *n = 1;
        return ret == ZC_ENOTFOUND ? ZC_OK : ret;
    }
    if (len == 4 && all_digits(a, 3) && (all_digits(a + 3, 1) || a[3] == 'X' || a[3] == 'x')) {
        if (a[3] == 'x')
            a[3] = 'X';
        ret = store_prep(st, Q_ELDER_SEARCH_LAST4,
                         "SELECT " ELDER_COLS " FROM elder WHERE id_last4 = ?1 UNION SELECT " ELDER_COLS
                         " FROM elder WHERE phone_tail = ?2 ORDER BY 2, 1 LIMIT ?3", &s, err);
        if (ret)
            return ret;
        sqlite3_bind_text(s, 1, a, -1, SQLITE_STATIC);
        if (a[3] != 'X')
            sqlite3_bind_text(s, 2, a, -1, SQLITE_STATIC);
    } else if (all_letters(a, len)) {
        return search_initials(st, a, out, cap, n, err);
    } else if (all_digits(a, len)) {
        snprintf(b, sizeof b, "%%%s", a);
        ret = store_prep(st, Q_ELDER_SEARCH_PHONE,
                         "SELECT " ELDER_COLS " FROM elder WHERE phone_tail = ?1 AND phone LIKE ?2 "
                         "ORDER BY name, id LIMIT ?3", &s, err);
        if (ret)
            return ret;
        sqlite3_bind_text(s, 1, a + len - 4, -1, SQLITE_STATIC);
        sqlite3_bind_text(s, 2, b, -1, SQLITE_STATIC);
    } else {
        snprintf(b, sizeof b, "%s" NAME_TOP, a);
        ret = store_prep(st, Q_ELDER_SEARCH_NAME,
                         "SELECT " ELDER_COLS " FROM elder WHERE name >= ?1 AND name < ?2 "
                         "ORDER BY name, id LIMIT ?3", &s, err);
        if (ret)
            return ret;
        sqlite3_bind_text(s, 1, a, -1, SQLITE_STATIC);
        sqlite3_bind_text(s, 2, b, -1, SQLITE_STATIC);
    }
    sqlite3_bind_int(s, 3, cap);
    int rc = SQLITE_DONE;
    while (ret == ZC_OK && (rc = sqlite3_step(s)) == SQLITE_ROW)
        if ((ret = elder_from_row(st, s, &out[*n], err)) == ZC_OK)
            (*n)++;
    if (ret == ZC_OK && rc != SQLITE_DONE)
        ret = store_dbfail(st, rc, "searching the roster", err);
    store_done(s);
    return ret;
}

/* ---- cards ---- */

/* The key as the cashier's reader typed it, for messages. */
static void key_text(const zc_card_key *key, char *buf, int n)
{
    if (key->bits >= 40)
        zc_card_uid_fmt(key->value, buf, n);
    else if (key->bits == 32)
        snprintf(buf, (size_t)n, "%010" PRIu64, key->value);
    else
        snprintf(buf, (size_t)n, "%08" PRIu64, key->value);
}

static void card_from_row(sqlite3_stmt *s, store_card *c)
{
    memset(c, 0, sizeof *c);
    const char *uid = (const char *)sqlite3_column_text(s, 0);
    if (uid && zc_card_uid_parse(uid, &c->uid, NULL) != ZC_OK)
        c->uid = 0;
    store_col_text(s, 1, c->elder_id, sizeof c->elder_id);
    const char *status = (const char *)sqlite3_column_text(s, 2);
    c->status = STORE_CARD_BLOCKED; /* unknown text never passes as active */
    for (int i = 0; status && i < 3; i++)
        if (strcmp(status, card_status_names[i]) == 0)
            c->status = (store_card_status)i;
    c->valid_from = store_col_date(s, 3);
    c->valid_to = store_col_date(s, 4);
}

int store_card_find(store_t *st, const zc_card_key *key, store_card *out, zc_err *err)
{
    sqlite3_stmt *s;
    char shown[24];
    int ret, rc, found = 0;
    if (!key || (key->bits != 40 && key->bits != 32 && key->bits != 24))
        return zc_errf(err, ZC_EINVAL, "internal error: a card key must have 40, 32 or 24 bits");
    key_text(key, shown, sizeof shown);
    if (key->bits == 40) {
        ret = store_prep(st, Q_CARD_UID, "SELECT uid, elder_id, status, valid_from, valid_to FROM "
                         "card WHERE uid = ?", &s, err);
        if (ret)
            return ret;
        sqlite3_bind_text(s, 1, shown, -1, SQLITE_STATIC);
    } else {
        ret = store_prep(st, Q_CARD_LO24, "SELECT uid, elder_id, status, valid_from, valid_to FROM "
                         "card WHERE lo24 = ?1 AND (?2 IS NULL OR lo32 = ?2) ORDER BY uid", &s, err);
        if (ret)
            return ret;
        sqlite3_bind_int64(s, 1, (int64_t)(key->value & 0xFFFFFF));
        if (key->bits == 32)
            sqlite3_bind_int64(s, 2, (int64_t)(key->value & 0xFFFFFFFF));
    }
    while ((rc = sqlite3_step(s)) == SQLITE_ROW)
        if (found++ == 0)
            card_from_row(s, out);
    if (rc != SQLITE_DONE)
        ret = store_dbfail(st, rc, "looking up the card", err);
    else if (found == 0)
        ret = zc_errf(err, ZC_ENOTFOUND, "card %s is not on this terminal's roster; ask for the ID "
                      "number, or sync the roster", shown);
    else if (found > 1)
        ret = zc_errf(err, ZC_ECONFLICT, "card number matches %d cards; ask for the ID number", found);
    store_done(s);
    return ret;
}

int store_card_put(store_t *st, const store_card *c, zc_err *err)
{
    sqlite3_stmt *s;
    char hex[16];
    if (!c || c->uid > 0xFFFFFFFFFFull || (int)c->status < 0 || (int)c->status > 2)
        return zc_errf(err, ZC_EINVAL, "a card needs a 40-bit UID and a status of active, lost or "
                       "blocked");
    int ret = store_prep(st, Q_CARD_PUT,
                         "INSERT INTO card (uid, lo24, lo32, elder_id, status, valid_from, valid_to, "
                         "updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (uid) DO UPDATE SET "
                         "elder_id = excluded.elder_id, status = excluded.status, valid_from = "
                         "excluded.valid_from, valid_to = excluded.valid_to, updated_at = "
                         "excluded.updated_at", &s, err);
    if (ret)
        return ret;
    zc_card_uid_fmt(c->uid, hex, sizeof hex);
    sqlite3_bind_text(s, 1, hex, -1, SQLITE_STATIC);
    sqlite3_bind_int64(s, 2, (int64_t)(c->uid & 0xFFFFFF));
    sqlite3_bind_int64(s, 3, (int64_t)(c->uid & 0xFFFFFFFF));
    sqlite3_bind_text(s, 4, c->elder_id, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 5, card_status_names[c->status], -1, SQLITE_STATIC);
    store_bind_date(s, 6, c->valid_from);
    store_bind_date(s, 7, c->valid_to);
    sqlite3_bind_int64(s, 8, zc_now());
    int rc = sqlite3_step(s);
    if (rc == SQLITE_CONSTRAINT_FOREIGNKEY)
        ret = zc_errf(err, ZC_EINVAL, "card %s: elder %s is not on the roster; add the elder first",
                      hex, c->elder_id);
    else if (rc != SQLITE_DONE)
        ret = store_dbfail(st, rc, "the card", err);
    store_done(s);
    return ret;
}
