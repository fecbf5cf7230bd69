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

#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

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
    zc_roster_report rep;    /* the problems found, for the report and err */
    zc_roster_header hdr;    /* where each column is */
    zc_roster_row row;       /* the row being read */
    char *pool;              /* elder ids, NUL-terminated, back to back */
    size_t pool_len, pool_cap;
    htab ids, idnums, uids;  /* elder_id, ID number (17 digits), card uid */
    pending_card *cards;
    size_t ncards, cards_cap;
    bool had_cards;          /* the card table had rows before the import */
    bool bulk;               /* empty roster: indexes dropped for the load */
    int64_t now;
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
            zc_roster_bad(&im->rep, pc->line, "cards", "card %s already belongs to elder %s", hex,
                          owner);
        } else if (rc != SQLITE_DONE) {
            return store_dbfail(im->st, rc, "the roster import", err);
        }
    }
    return ZC_OK;
}

/* The header's problems, all on its line. */
static bool read_header(imp *im, zc_csv *c)
{
    return zc_roster_header_read(c->field, c->nfields, c->rec_line, &im->hdr, &im->rep) == ZC_OK;
}

/* Checks and (when good) writes one row; *written says whether it was.
 * Returns ZC_OK, including for a bad row (reported); a negative code only
 * for errors that stop the import (disk full, out of memory). */
static int import_row(imp *im, zc_csv *c, bool *written, zc_err *err)
{
    long line = c->rec_line;
    long bad_before = im->rep.bad_rows;
    zc_roster_row *row = &im->row;
    const zc_elder *e = &row->e;
    pending_card cards[ZC_ROSTER_MAX_CARDS];
    int ret;
    bool blank = true;
    *written = false;
    /* a row with bad fields is still checked against the others */
    int fields = zc_roster_row_read(&im->hdr, c->field, c->nfields, line, row, &blank, &im->rep);
    if (blank)
        return ZC_OK;
    for (int i = 0; i < row->ncards; i++) {
        const zc_roster_card *rc = &row->cards[i];
        cards[i] = (pending_card){.uid = rc->uid, .line = (uint32_t)line, .to = rc->valid_to};
        cards[i].status = strcmp(rc->status, "lost") == 0      ? STORE_CARD_LOST
                          : strcmp(rc->status, "blocked") == 0 ? STORE_CARD_BLOCKED
                                                               : STORE_CARD_ACTIVE;
    }

    /* duplicates within the file */
    uint32_t seen, off = 0;
    if (*e->id) {
        if ((ret = pool_add(im, e->id, &off)) != ZC_OK ||
            (ret = htab_add(&im->ids, str_key(e->id), e->id, im->pool, (uint32_t)line, off, &seen)))
            return zc_errf(err, ret, "out of memory reading the roster (line %ld)", line);
        if (seen) {
            zc_roster_bad(&im->rep, line, "elder_id", "%s is also on line %u", e->id, seen);
            im->pool_len = off; /* drop the copy: the first row keeps its string */
        }
    }
    const char *idnum = row->id_number;
    if (strlen(idnum) == 18 && zc_idnum_check(idnum, NULL) == ZC_OK) {
        char first17[18];
        snprintf(first17, sizeof first17, "%s", idnum);
        uint64_t k = strtoull(first17, NULL, 10) + 1;
        if ((ret = htab_add(&im->idnums, k, NULL, NULL, (uint32_t)line, 0, &seen)))
            return zc_errf(err, ret, "out of memory reading the roster (line %ld)", line);
        if (seen)
            zc_roster_bad(&im->rep, line, "id_number", "the same ID number is on line %u", seen);
    }
    for (int i = 0; i < row->ncards; i++) {
        char hex[16];
        if ((ret = htab_add(&im->uids, cards[i].uid + 1, NULL, NULL, (uint32_t)line, 0, &seen)))
            return zc_errf(err, ret, "out of memory reading the roster (line %ld)", line);
        if (seen)
            zc_roster_bad(&im->rep, line, "cards", "card %s is also on line %u",
                zc_card_uid_fmt(cards[i].uid, hex, sizeof hex), seen);
    }
    if (fields != ZC_OK || im->rep.bad_rows != bad_before)
        return ZC_OK;

    /* semantic checks shared with store_elder_put */
    store_elder_row r;
    const char *field = NULL;
    zc_err why;
    if (store_elder_check(im->st, e, idnum, row->phone, row->gender, &r, &field, &why) != ZC_OK) {
        zc_roster_bad(&im->rep, line, field, "%s", why.msg);
        return ZC_OK;
    }

    /* write the elder; the cards wait for pass 2 */
    int rc = im->had_cards ? store_cards_delete(im->st, e->id) : SQLITE_DONE;
    if (rc == SQLITE_DONE)
        rc = store_elder_write(im->st, &r, im->now);
    if (rc == SQLITE_CONSTRAINT_UNIQUE) {
        char owner[ZC_ID_MAX];
        owner_of(im->st, "SELECT id FROM elder WHERE id_hash = ?", r.id_hash, owner, sizeof owner);
        zc_roster_bad(&im->rep, line, "id_number", "already on the roster as elder %s", owner);
        return ZC_OK;
    }
    if (rc != SQLITE_DONE)
        return store_dbfail(im->st, rc, "the roster import", err);
    for (int i = 0; i < row->ncards; i++)
        cards[i].elder_off = off;
    if (im->ncards + (size_t)row->ncards > im->cards_cap) {
        size_t cap = im->cards_cap ? im->cards_cap * 2 : 4096;
        pending_card *p = realloc(im->cards, cap * sizeof *p);
        if (!p)
            return zc_errf(err, ZC_ENOMEM, "out of memory reading the roster (line %ld)", line);
        im->cards = p;
        im->cards_cap = cap;
    }
    for (int i = 0; i < row->ncards; i++)
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
    im.rep.out = report;
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
        zc_roster_bad(&im.rep, c->rec_line, NULL, "%s", why.msg); /* a broken header line */
    if (r == ZC_EIO) {
        ret = zc_errf(err, ZC_EIO, "the roster file could not be read; nothing was imported");
        goto out;
    }
    if (r == 0 && !im.rep.bad_rows) {
        ret = zc_errf(err, ZC_EINVAL, "the roster file is empty; it needs a header row naming the "
                      "columns (see docs/roster.md)");
        goto out;
    }
    if (im.rep.bad_rows || !read_header(&im, c)) {
        ret = zc_errf(err, ZC_EINVAL, "the roster was NOT imported: its header is wrong (%s)",
                      im.rep.first);
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
            zc_roster_bad(&im.rep, c->rec_line, NULL, "%s", why.msg);
            continue;
        }
        bool written = false;
        if ((ret = import_row(&im, c, &written, err)))
            goto out;
        n += written;
    }
    if ((ret = write_cards(&im, err)))
        goto out;
    if (!im.rep.bad_rows && (ret = store_bulk_end(st, &bulk, err)))
        goto out;
    if (im.rep.bad_rows) {
        ret = zc_errf(err, ZC_EINVAL, "the roster was NOT imported: %ld bad row%s (each is in the "
                      "report); the first: %s", im.rep.bad_rows, im.rep.bad_rows == 1 ? "" : "s",
                      im.rep.first);
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
