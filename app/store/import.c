/* import.c - roster CSV import (columns in docs/roster.md).
 *
 * All or nothing, and fast enough for a million rows in seconds:
 *  - one write transaction, prepared statements, no SELECT per row;
 *  - checks within the file (duplicate elder_id, ID number, card) use
 *    in-memory hash tables instead of the database;
 *  - pass 1 writes each good elder (an elder already present is replaced:
 *    its row is overwritten and its cards deleted); cards are only collected;
 *  - pass 2 inserts the collected cards, sorted by UID (appending to the
 *    card table's key order is much faster than random inserts), and by
 *    then a card that moves from one elder to another within the file is
 *    free.  A card that still belongs to an elder outside the file fails
 *    its insert, and only then is the owner looked up, for the message;
 *  - into an empty roster (the first import, the big one) it loads in bulk:
 *    the secondary indexes are dropped and rebuilt at the end;
 *  - every bad row is reported as "line N: field: reason" and the import
 *    goes on checking; at the end any bad row means ROLLBACK. */
#include "../core/clock.h"
#include "../core/csv.h"
#include "store_int.h"

#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>

enum col {
    C_ELDER_ID, C_NAME, C_ID_NUMBER, C_BIRTH, C_GENDER, C_PHONE,
    C_REG_CITY, C_REG_DISTRICT, C_REG_TOWN, C_RES_CITY, C_RES_DISTRICT, C_RES_TOWN,
    C_CATEGORIES, C_GRADE, C_CARE_HOME, C_STATUS, C_VALID_FROM, C_VALID_TO, C_CARDS,
    C_NCOLS
};

static const struct {
    const char *name;
    bool required;
} cols[C_NCOLS] = {
    [C_ELDER_ID] = {"elder_id", true},     [C_NAME] = {"name", true},
    [C_ID_NUMBER] = {"id_number", false},  [C_BIRTH] = {"birth_date", true},
    [C_GENDER] = {"gender", false},        [C_PHONE] = {"phone", false},
    [C_REG_CITY] = {"reg_city", false},    [C_REG_DISTRICT] = {"reg_district", false},
    [C_REG_TOWN] = {"reg_town", false},    [C_RES_CITY] = {"res_city", false},
    [C_RES_DISTRICT] = {"res_district", false}, [C_RES_TOWN] = {"res_town", false},
    [C_CATEGORIES] = {"categories", false}, [C_GRADE] = {"disability_grade", false},
    [C_CARE_HOME] = {"care_home", false},  [C_STATUS] = {"status", false},
    [C_VALID_FROM] = {"valid_from", false}, [C_VALID_TO] = {"valid_to", false},
    [C_CARDS] = {"cards", false},
};

#define MAX_CARDS 8 /* cards per elder in one row */

/* Open-addressing hash table from a 64-bit key to (line, offset).  Key 0
 * marks an empty slot, so callers never pass 0. */
typedef struct hslot {
    uint64_t key;
    uint32_t line; /* line the key was first seen on */
    uint32_t off;  /* for elder ids: offset of the string in the pool */
} hslot;

typedef struct htab {
    hslot *v;
    size_t cap, n; /* cap is a power of two */
} htab;

/* A card waiting for pass 2. */
typedef struct pending_card {
    uint64_t uid;
    uint32_t elder_off;
    uint32_t line;
    zc_date to;
    uint8_t status;
} pending_card;

typedef struct imp {
    store_t *st;
    FILE *report;
    long bad_rows;           /* rows with at least one error */
    long line_bad;           /* the line last counted in bad_rows */
    char first[288];         /* the first error, for err */
    int map[C_NCOLS];        /* header position of each column, -1 = absent */
    int nheader;             /* fields in the header */
    char *pool;              /* elder ids, NUL-terminated, back to back */
    size_t pool_len, pool_cap;
    htab ids, idnums, uids;  /* elder_id, ID number (17 digits), card uid */
    pending_card *cards;
    size_t ncards, cards_cap;
    bool had_cards;          /* the card table had rows before the import */
    bool bulk;               /* empty roster: indexes dropped for the load */
    int64_t now;
    char empty[1];           /* the value of an absent column */
} imp;

static uint64_t mix(uint64_t x)
{
    x ^= x >> 30;
    x *= 0xbf58476d1ce4e5b9ull;
    x ^= x >> 27;
    x *= 0x94d049bb133111ebull;
    return x ^ (x >> 31);
}

static uint64_t str_key(const char *s)
{
    uint64_t h = 1469598103934665603ull;
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 1099511628211ull;
    return h ? h : 1;
}

static int htab_grow(htab *t, size_t want)
{
    size_t cap = t->cap ? t->cap * 2 : 1024;
    while (cap < want)
        cap *= 2;
    hslot *v = calloc(cap, sizeof *v);
    if (!v)
        return ZC_ENOMEM;
    for (size_t i = 0; i < t->cap; i++) {
        if (!t->v[i].key)
            continue;
        size_t j = mix(t->v[i].key) & (cap - 1);
        while (v[j].key)
            j = (j + 1) & (cap - 1);
        v[j] = t->v[i];
    }
    free(t->v);
    t->v = v;
    t->cap = cap;
    return ZC_OK;
}

/* Looks key up (with string str in pool when str != NULL); when absent adds
 * it with line/off.  *seen = the existing slot's line, or 0 when added. */
static int htab_add(htab *t, uint64_t key, const char *str, const char *pool, uint32_t line,
                    uint32_t off, uint32_t *seen)
{
    *seen = 0;
    if ((t->n + 1) * 2 > t->cap && htab_grow(t, 0) != ZC_OK)
        return ZC_ENOMEM;
    size_t j = mix(key) & (t->cap - 1);
    for (; t->v[j].key; j = (j + 1) & (t->cap - 1)) {
        if (t->v[j].key == key && (!str || strcmp(pool + t->v[j].off, str) == 0)) {
            *seen = t->v[j].line;
            return ZC_OK;
        }
    }
    t->v[j] = (hslot){key, line, off};
    t->n++;
    return ZC_OK;
}

/* Reports one problem of the row on `line` (field may be NULL). */
static void bad(imp *im, long line, const char *field, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
static void bad(imp *im, long line, const char *field, const char *fmt, ...)
{
    char why[256], msg[sizeof im->first];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(why, sizeof why, fmt, ap);
    va_end(ap);
    if (field)
        snprintf(msg, sizeof msg, "line %ld: %s: %s", line, field, why);
    else
        snprintf(msg, sizeof msg, "line %ld: %s", line, why);
    if (!im->first[0])
        snprintf(im->first, sizeof im->first, "%s", msg);
    if (im->report)
        fprintf(im->report, "%s\n", msg);
    if (im->line_bad != line) {
        im->line_bad = line;
        im->bad_rows++;
    }
}

/* Copies src into dst of size n (the caller has checked that it fits;
 * longer text is cut).  Cheaper than snprintf on the per-row path. */
static void copy(char *dst, size_t n, const char *src)
{
    size_t len = strnlen(src, n - 1);
    memcpy(dst, src, len);
    dst[len] = '\0';
}

static char *trim(char *s)
{
    while (*s == ' ' || *s == '\t')
        s++;
    size_t n = strlen(s);
    while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t'))
        s[--n] = '\0';
    return s;
}

/* Maps the header row onto the known columns.  Errors are reported; the
 * return says whether the header is usable. */
static bool read_header(imp *im, zc_csv *c)
{
    bool ok = true;
    for (int i = 0; i < C_NCOLS; i++)
        im->map[i] = -1;
    im->nheader = c->nfields;
    for (int f = 0; f < c->nfields; f++) {
        char *name = trim(c->field[f]);
        int k = -1;
        for (int i = 0; i < C_NCOLS && k < 0; i++)
            if (strcasecmp(name, cols[i].name) == 0)
                k = i;
        if (k < 0) {
            bad(im, c->rec_line, NULL, "column \"%s\" is not known (a typo?); the columns are listed "
                "in docs/roster.md", name);
            ok = false;
        } else if (im->map[k] >= 0) {
            bad(im, c->rec_line, NULL, "column \"%s\" appears twice", cols[k].name);
            ok = false;
        } else {
            im->map[k] = f;
        }
    }
    char missing[256] = "";
    size_t len = 0;
    for (int i = 0; i < C_NCOLS; i++)
        if (cols[i].required && im->map[i] < 0 && len < sizeof missing)
            len += (size_t)snprintf(missing + len, sizeof missing - len, "%s%s", len ? ", " : "",
                                    cols[i].name);
    if (len) {
        bad(im, c->rec_line, NULL, "missing required column(s): %s", missing);
        ok = false;
    }
    return ok;
}

static char *get(imp *im, zc_csv *c, enum col k)
{
    im->empty[0] = '\0';
    return im->map[k] >= 0 ? c->field[im->map[k]] : im->empty;
}

static bool parse_int(const char *s, long lo, long hi, int *out)
{
    char *end = NULL;
    errno = 0;
    long v = strtol(s, &end, 10);
    if (errno || end == s || *end || v < lo || v > hi)
        return false;
    *out = (int)v;
    return true;
}

static void parse_date(imp *im, long line, const char *field, const char *s, zc_date *out)
{
    *out = (zc_date){0, 0, 0};
    if (*s && zc_date_parse(s, out) != ZC_OK)
        bad(im, line, field, "\"%s\" is not a date; write YYYY-MM-DD, e.g. 1948-02-29", s);
}

/* Parses "UID[:status[:valid_to]];..." into pending cards (elder_off set
 * later).  Returns the number parsed. */
static int parse_cards(imp *im, long line, char *s, pending_card *out)
{
    int n = 0;
    for (char *item = s; item && *item;) {
        char *next = strchr(item, ';');
        if (next)
            *next++ = '\0';
        char *uid = trim(item), *status = strchr(uid, ':'), *to = NULL;
        if (status) {
            *status++ = '\0';
            if ((to = strchr(status, ':')))
                *to++ = '\0';
        }
        item = next;
        if (!*uid)
            continue;
        if (n == MAX_CARDS) {
            bad(im, line, "cards", "more than %d cards for one elder", MAX_CARDS);
            break;
        }
        pending_card *pc = &out[n];
        memset(pc, 0, sizeof *pc);
        zc_err why;
        if (zc_card_uid_parse(trim(uid), &pc->uid, &why) != ZC_OK) {
            bad(im, line, "cards", "\"%s\": %s", uid, why.msg);
            continue;
        }
        status = status ? trim(status) : "";
        if (!*status || strcmp(status, "active") == 0)
            pc->status = STORE_CARD_ACTIVE;
        else if (strcmp(status, "lost") == 0)
            pc->status = STORE_CARD_LOST;
        else if (strcmp(status, "blocked") == 0)
            pc->status = STORE_CARD_BLOCKED;
        else {
            bad(im, line, "cards", "card %s: status \"%s\" must be active, lost or blocked", uid,
                status);
            continue;
        }
        if (to && *trim(to) && zc_date_parse(trim(to), &pc->to) != ZC_OK) {
            bad(im, line, "cards", "card %s: \"%s\" is not a date; write YYYY-MM-DD", uid, to);
            continue;
        }
        pc->line = (uint32_t)line;
        n++;
    }
    return n;
}

static int pool_add(imp *im, const char *s, uint32_t *off)
{
    size_t len = strlen(s) + 1;
    if (im->pool_len + len > im->pool_cap) {
        size_t cap = im->pool_cap ? im->pool_cap * 2 : 1 << 16;
        while (cap < im->pool_len + len)
            cap *= 2;
        if (cap > UINT32_MAX)
            return ZC_ETOOBIG;
        char *p = realloc(im->pool, cap);
        if (!p)
            return ZC_ENOMEM;
        im->pool = p;
        im->pool_cap = cap;
    }
    memcpy(im->pool + im->pool_len, s, len);
    *off = (uint32_t)im->pool_len;
    im->pool_len += len;
    return ZC_OK;
}

/* The elder a unique value already belongs to (for messages only). */
static void owner_of(store_t *st, const char *sql, const char *value, char *out, size_t n)
{
    sqlite3_stmt *s = NULL;
    snprintf(out, n, "?");
    if (sqlite3_prepare_v2(st->db, sql, -1, &s, NULL) == SQLITE_OK) {
        sqlite3_bind_text(s, 1, value, -1, SQLITE_STATIC);
        if (sqlite3_step(s) == SQLITE_ROW)
            store_col_text(s, 0, out, n);
    }
    sqlite3_finalize(s);
}

static int uid_cmp(const void *a, const void *b)
{
    uint64_t x = ((const pending_card *)a)->uid, y = ((const pending_card *)b)->uid;
    return x < y ? -1 : x > y;
}

/* Pass 2: inserts the collected cards in UID order (the card table's key:
 * sorted inserts append instead of splitting pages all over the tree). */
static int write_cards(imp *im, zc_err *err)
{
    if (im->ncards > 1)
        qsort(im->cards, im->ncards, sizeof im->cards[0], uid_cmp);
    for (size_t i = 0; i < im->ncards; i++) {
        const pending_card *pc = &im->cards[i];
        const char *elder = im->pool + pc->elder_off;
        int rc = store_card_write(im->st, pc->uid, elder, (store_card_status)pc->status,
                                  (zc_date){0, 0, 0}, pc->to, im->now);
        if (rc == SQLITE_CONSTRAINT_PRIMARYKEY) {
            char hex[16], owner[ZC_ID_MAX];
            zc_card_uid_fmt(pc->uid, hex, sizeof hex);
            owner_of(im->st, "SELECT elder_id FROM card WHERE uid = ?", hex, owner, sizeof owner);
            bad(im, pc->line, "cards", "card %s already belongs to elder %s", hex, owner);
        } else if (rc != SQLITE_DONE) {
            return store_dbfail(im->st, rc, "the roster import", err);
        }
    }
    return ZC_OK;
}

/* Checks and (when good) writes one row; *written says whether it was.
 * Returns ZC_OK, including for a bad row (reported); a negative code only
 * for errors that stop the import (disk full, out of memory). */
static int import_row(imp *im, zc_csv *c, bool *written, zc_err *err)
{
    long line = c->rec_line;
    long bad_before = im->bad_rows;
    zc_elder e;
    pending_card cards[MAX_CARDS];
    int ncards = 0, ret;
    bool blank = true;
    *written = false;
    for (int f = 0; f < c->nfields; f++) {
        c->field[f] = trim(c->field[f]); /* spaces around values are not data */
        blank &= c->field[f][0] == '\0';
    }
    if (blank)
        return ZC_OK; /* ",,,," rows from spreadsheets */
    if (c->nfields != im->nheader) {
        bad(im, line, NULL, "has %d fields but the header has %d; a field with a comma needs quotes",
            c->nfields, im->nheader);
        return ZC_OK;
    }
    for (int k = 0; k < C_NCOLS; k++) {
        if (!zc_csv_utf8(get(im, c, k))) {
            bad(im, line, cols[k].name, "is not valid UTF-8; save the file as UTF-8 (not GBK)");
            return ZC_OK;
        }
    }
    memset(&e, 0, sizeof e);
    const char *id = get(im, c, C_ELDER_ID), *name = get(im, c, C_NAME), *v;
    if (!*id)
        bad(im, line, "elder_id", "is empty");
    else if (strlen(id) >= sizeof e.id)
        bad(im, line, "elder_id", "is longer than %d characters", (int)sizeof e.id - 1);
    copy(e.id, sizeof e.id, id);
    if (!*name)
        bad(im, line, "name", "is empty");
    else if (strlen(name) >= sizeof e.name)
        bad(im, line, "name", "is longer than %d bytes", (int)sizeof e.name - 1);
    copy(e.name, sizeof e.name, name);
    v = get(im, c, C_BIRTH);
    if (!*v)
        bad(im, line, "birth_date", "is empty");
    else
        parse_date(im, line, "birth_date", v, &e.birth);
    const struct { enum col k; char *dst; } regions[] = {
        {C_REG_CITY, e.reg_city}, {C_REG_DISTRICT, e.reg_district}, {C_REG_TOWN, e.reg_town},
        {C_RES_CITY, e.res_city}, {C_RES_DISTRICT, e.res_district}, {C_RES_TOWN, e.res_town},
    };
    for (size_t i = 0; i < sizeof regions / sizeof regions[0]; i++) {
        v = get(im, c, regions[i].k);
        if (strlen(v) >= ZC_CODE_MAX)
            bad(im, line, cols[regions[i].k].name, "is too long for a region code");
        copy(regions[i].dst, ZC_CODE_MAX, v);
    }
    zc_err why;
    if (zc_cats_parse(get(im, c, C_CATEGORIES), e.cats, ZC_MAX_CATS, &e.ncats, &why) != ZC_OK)
        bad(im, line, "categories", "%s", why.msg);
    v = get(im, c, C_GRADE);
    if (*v && !parse_int(v, 0, 4, &e.disability_grade))
        bad(im, line, "disability_grade", "\"%s\" must be a number from 0 (none) to 4", v);
    v = get(im, c, C_CARE_HOME);
    if (strcmp(v, "1") == 0)
        e.care_home = true;
    else if (*v && strcmp(v, "0") != 0)
        bad(im, line, "care_home", "\"%s\" must be 0 or 1", v);
    v = get(im, c, C_STATUS);
    if (strcmp(v, "suspended") == 0)
        e.status = ZC_ELDER_SUSPENDED;
    else if (strcmp(v, "deceased") == 0)
        e.status = ZC_ELDER_DECEASED;
    else if (*v && strcmp(v, "active") != 0)
        bad(im, line, "status", "\"%s\" must be active, suspended or deceased", v);
    parse_date(im, line, "valid_from", get(im, c, C_VALID_FROM), &e.valid_from);
    parse_date(im, line, "valid_to", get(im, c, C_VALID_TO), &e.valid_to);
    char gender = 0;
    v = get(im, c, C_GENDER);
    if (strcmp(v, "M") == 0 || strcmp(v, "m") == 0 || strcmp(v, "男") == 0)
        gender = 'M';
    else if (strcmp(v, "F") == 0 || strcmp(v, "f") == 0 || strcmp(v, "女") == 0)
        gender = 'F';
    else if (*v)
        bad(im, line, "gender", "\"%s\" must be M or F", v);
    ncards = parse_cards(im, line, get(im, c, C_CARDS), cards);

    /* duplicates within the file */
    uint32_t seen, off = 0;
    if (*e.id) {
        if ((ret = pool_add(im, e.id, &off)) != ZC_OK ||
            (ret = htab_add(&im->ids, str_key(e.id), e.id, im->pool, (uint32_t)line, off, &seen)))
            return zc_errf(err, ret, "out of memory reading the roster (line %ld)", line);
        if (seen) {
            bad(im, line, "elder_id", "%s is also on line %u", e.id, seen);
            im->pool_len = off; /* drop the copy: the first row keeps its string */
        }
    }
    const char *idnum = get(im, c, C_ID_NUMBER);
    if (strlen(idnum) == 18 && zc_idnum_check(idnum, NULL) == ZC_OK) {
        char first17[18];
        copy(first17, sizeof first17, idnum);
        uint64_t k = strtoull(first17, NULL, 10) + 1;
        if ((ret = htab_add(&im->idnums, k, NULL, NULL, (uint32_t)line, 0, &seen)))
            return zc_errf(err, ret, "out of memory reading the roster (line %ld)", line);
        if (seen)
            bad(im, line, "id_number", "the same ID number is on line %u", seen);
    }
    for (int i = 0; i < ncards; i++) {
        char hex[16];
        if ((ret = htab_add(&im->uids, cards[i].uid + 1, NULL, NULL, (uint32_t)line, 0, &seen)))
            return zc_errf(err, ret, "out of memory reading the roster (line %ld)", line);
        if (seen)
            bad(im, line, "cards", "card %s is also on line %u",
                zc_card_uid_fmt(cards[i].uid, hex, sizeof hex), seen);
    }
    if (im->bad_rows != bad_before)
        return ZC_OK;

    /* semantic checks shared with store_elder_put */
    store_elder_row r;
    const char *field = NULL;
    if (store_elder_check(im->st, &e, idnum, get(im, c, C_PHONE), &r, &field, &why) != ZC_OK) {
        bad(im, line, field, "%s", why.msg);
        return ZC_OK;
    }
    if (gender && r.gender && gender != r.gender) {
        bad(im, line, "gender", "%c does not match the ID number (its 17th digit says %c)", gender,
            r.gender);
        return ZC_OK;
    }
    if (!r.gender)
        r.gender = gender;

    /* write the elder; the cards wait for pass 2 */
    int rc = im->had_cards ? store_cards_delete(im->st, e.id) : SQLITE_DONE;
    if (rc == SQLITE_DONE)
        rc = store_elder_write(im->st, &r, im->now);
    if (rc == SQLITE_CONSTRAINT_UNIQUE) {
        char owner[ZC_ID_MAX];
        owner_of(im->st, "SELECT id FROM elder WHERE id_hash = ?", r.id_hash, owner, sizeof owner);
        bad(im, line, "id_number", "already on the roster as elder %s", owner);
        return ZC_OK;
    }
    if (rc != SQLITE_DONE)
        return store_dbfail(im->st, rc, "the roster import", err);
    for (int i = 0; i < ncards; i++)
        cards[i].elder_off = off;
    if (im->ncards + (size_t)ncards > im->cards_cap) {
        size_t cap = im->cards_cap ? im->cards_cap * 2 : 4096;
        pending_card *p = realloc(im->cards, cap * sizeof *p);
        if (!p)
            return zc_errf(err, ZC_ENOMEM, "out of memory reading the roster (line %ld)", line);
        im->cards = p;
        im->cards_cap = cap;
    }
    for (int i = 0; i < ncards; i++)
        im->cards[im->ncards++] = cards[i];
    *written = true;
    return ZC_OK;
}

/* Whether the roster already has rows: cards (then replaced elders must
 * lose theirs) and elders (if neither, the load can go in bulk). */
static int has_rows(store_t *st, const char *sql, bool *out, zc_err *err)
{
    sqlite3_stmt *s = NULL;
    int rc = sqlite3_prepare_v2(st->db, sql, -1, &s, NULL);
    if (rc == SQLITE_OK && (rc = sqlite3_step(s)) == SQLITE_ROW) {
        *out = sqlite3_column_int(s, 0) != 0;
        rc = SQLITE_OK;
    }
    sqlite3_finalize(s);
    return rc == SQLITE_OK ? ZC_OK : store_dbfail(st, rc, "the roster import", err);
}

int store_roster_import(store_t *st, FILE *csv, FILE *report, long *rows, zc_err *err)
{
    imp im;
    store_bulk bulk = {{0}, 0};
    zc_csv *c = NULL;
    long n = 0;
    int ret = ZC_OK, r;
    bool in_tx = false, fk_off = false;
    memset(&im, 0, sizeof im);
    im.st = st;
    im.report = report;
    im.now = zc_now();
    if (rows)
        *rows = 0;
    if (!st || !csv)
        return zc_errf(err, ZC_EINVAL, "internal error: no store or no roster file");
    if (!(c = malloc(sizeof *c))) {
        ret = zc_errf(err, ZC_ENOMEM, "out of memory reading the roster");
        goto out;
    }
    zc_csv_init(c, csv);
    zc_err why;
    while ((r = zc_csv_next(c, &why)) == ZC_EINVAL)
        bad(&im, c->rec_line, NULL, "%s", why.msg); /* a broken header line */
    if (r == ZC_EIO) {
        ret = zc_errf(err, ZC_EIO, "the roster file could not be read; nothing was imported");
        goto out;
    }
    if (r == 0 && !im.bad_rows) {
        ret = zc_errf(err, ZC_EINVAL, "the roster file is empty; it needs a header row naming the "
                      "columns (see docs/roster.md)");
        goto out;
    }
    if (im.bad_rows || !read_header(&im, c)) {
        ret = zc_errf(err, ZC_EINVAL, "the roster was NOT imported: its header is wrong (%s)",
                      im.first);
        goto out;
    }
    struct stat sb; /* size the hash tables for the file at once (rows are ~100+ bytes) */
    if (fstat(fileno(csv), &sb) == 0 && S_ISREG(sb.st_mode) && sb.st_size > 0) {
        size_t want = (size_t)(sb.st_size / 80 < (1 << 24) ? sb.st_size / 80 : (1 << 24));
        if (htab_grow(&im.ids, want) || htab_grow(&im.idnums, want) || htab_grow(&im.uids, want)) {
            ret = zc_errf(err, ZC_ENOMEM, "out of memory reading the roster");
            goto out;
        }
    }
    /* cards are written only for elders this import has just written, so
     * the per-card foreign-key lookup (a random read each) is redundant */
    if ((ret = store_fk(st, false, err)))
        goto out;
    fk_off = true;
    if ((ret = store_begin(st, "the roster import", err)))
        goto out;
    in_tx = true;
    bool had_elders = true;
    if ((ret = has_rows(st, "SELECT EXISTS (SELECT 1 FROM card)", &im.had_cards, err)) ||
        (ret = has_rows(st, "SELECT EXISTS (SELECT 1 FROM elder)", &had_elders, err)))
        goto out;
    im.bulk = !had_elders && !im.had_cards;
    if (im.bulk && (ret = store_bulk_begin(st, &bulk, err)))
        goto out;
    while ((r = zc_csv_next(c, &why)) != 0) {
        if (r == ZC_EIO) {
            ret = zc_errf(err, ZC_EIO, "the roster file could not be read after line %ld; nothing "
                          "was imported", c->line);
            goto out;
        }
        if (r == ZC_EINVAL) {
            bad(&im, c->rec_line, NULL, "%s", why.msg);
            continue;
        }
        bool written = false;
        if ((ret = import_row(&im, c, &written, err)))
            goto out;
        n += written;
    }
    if ((ret = write_cards(&im, err)))
        goto out;
    if (!im.bad_rows && (ret = store_bulk_end(st, &bulk, err)))
        goto out;
    if (im.bad_rows) {
        ret = zc_errf(err, ZC_EINVAL, "the roster was NOT imported: %ld bad row%s (each is in the "
                      "report); the first: %s", im.bad_rows, im.bad_rows == 1 ? "" : "s", im.first);
        goto out;
    }
    if ((ret = store_commit(st, "the roster import", err)))
        goto out;
    in_tx = false;
    if (rows)
        *rows = n;
out:
    if (in_tx)
        store_rollback(st); /* also brings back dropped indexes */
    if (fk_off && store_fk(st, true, ret ? NULL : err) != ZC_OK && ret == ZC_OK)
        ret = ZC_EDB;
    store_bulk_free(&bulk);
    free(c);
    free(im.pool);
    free(im.ids.v);
    free(im.idnums.v);
    free(im.uids.v);
    free(im.cards);
    return ret;
}
