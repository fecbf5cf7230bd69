/* store_int.h - private to app/store: the body of store_t, its statement
 * cache and the helpers the store's files share.  Nothing outside
 * app/store includes this; the contract is store.h.
 *
 * Statements are prepared once per connection and kept in st->q[slot]: a
 * call site names its slot and its SQL text together, the first call
 * prepares, later calls reuse.  A statement must be released with
 * store_done() (reset + clear bindings) before the same slot is used again. */
#ifndef ZC_STORE_INT_H
#define ZC_STORE_INT_H

#include <sqlite3.h>

#include "../core/roster.h"
#include "keyfile.h"
#include "store.h"

/* One slot per distinct SQL statement. */
enum store_slot {
    Q_BEGIN,
    Q_COMMIT,
    Q_ROLLBACK,
    Q_META_GET,
    Q_META_SET,
    Q_META_DEL,
    Q_CANTEEN_GET,
    Q_CANTEEN_SET,
    Q_POLICY_FIND,
    Q_POLICY_FOR,
    Q_POLICY_JSON,
    Q_POLICY_INSERT,
    Q_CAL_FIND,
    Q_CAL_INSERT,
    Q_CAL_LAST,
    Q_ITEM_GET,
    Q_ITEM_PUT,
    Q_ITEM_LIST,
    Q_MENU_ALL,
    Q_MENU_PRICE,
    Q_MENU_SOLD_OUT,
    Q_CARD_UID,
    Q_CARD_LO24,
    Q_CARD_PUT,
    Q_CARD_INSERT,
    Q_CARD_OWNER,
    Q_CARDS_DELETE,
    Q_ELDER_GET,
    Q_ELDER_PUT,
    Q_ELDER_BY_HASH,
    Q_ELDER_SEARCH_LAST4,
    Q_ELDER_SEARCH_PHONE,
    Q_ELDER_SEARCH_NAME,
    Q_ELDER_SEARCH_INITIALS,
    Q_ELDER_COUNT,
    Q_USAGE,
    Q_SEQ_LAST,
    Q_SALE_INSERT,
    Q_LINE_INSERT,
    Q_PART_INSERT,
    Q_RULE_INSERT,
    Q_OUTBOX_INSERT,
    Q_OUTBOX_SENT,
    Q_SALE_GET,
    Q_SALE_WALK,
    Q_LINE_WALK,
    Q_PART_WALK,
    Q_RULE_WALK,
    Q_SALE_VOID,
    Q_AUDIT_LAST,
    Q_AUDIT_INSERT,
    Q_AUDIT_WALK,
    Q_OP_GET,
    Q_OP_LIST,
    Q_OP_INSERT,
    Q_OP_FAILED,
    Q_OP_HASHES,
    Q_OP_SET_PIN,
    Q_OP_SET_ACTIVE,
    Q_OP_ADMINS,
    Q_OP_UNLOCK,
    /* the sync thread's statements (outbox.c, closing.c, pull.c, roster_apply.c) */
    Q_SALE_DOC,
    Q_SYNC_META_GET,
    Q_SYNC_META_SET,
    Q_OB_PEND_SALES,
    Q_OB_PEND_VOIDS,
    Q_OB_VOID,
    Q_OB_SENT,
    Q_OB_HELD,
    Q_OB_RETRY,
    Q_OB_ORPHANS,
    Q_OB_UNSENT,
    Q_OB_SALE_LOCAL,
    Q_CL_SHIFT,
    Q_CL_DUE,
    Q_CL_GEN,
    Q_CL_PENDING,
    Q_CL_TOTALS,
    Q_CL_HEAD,
    Q_CL_SOURCES,
    Q_CL_SENT,
    Q_CL_FAILED,
    Q_PULL_META_GET,
    Q_PULL_POLICY_FIND,
    Q_PULL_POLICY_INSERT,
    Q_RA_ID_HASH,
    Q_RA_ID_HASH_FREE,
    Q_RA_CARDS_DELETE,
    Q_RA_BULK_ANY,
    Q_RA_BULK_EMPTY,
    Q_RA_BULK_NEXT,
    Q_RA_BULK_DONE,
    Q_COUNT
};

#define STORE_POLICY_CACHE 8 /* parsed policies kept per connection */
#define STORE_PATH_MAX 1024

struct store {
    sqlite3 *db;
    char path[STORE_PATH_MAX];   /* as given to store_open, for messages */
    int readonly;                /* opened with STORE_READONLY */
    char salt[ZC_SHA256_HEX];    /* meta id_salt: key for ID-number hashes */
    sqlite3_stmt *q[Q_COUNT];    /* prepared statements by slot (NULL until first use) */
    struct {
        int64_t row;             /* policy.id the parse came from */
        zc_policy *p;            /* owned */
    } pol[STORE_POLICY_CACHE];
    int npol;                    /* slots of pol in use */
    unsigned char key[32];       /* the key file's key (keyfile.c), when has_key */
    bool has_key;                /* false: no key file (read-only open, or a lost key) */
    int64_t cal_row;             /* calendar.id of cal, 0 none */
    zc_calendar *cal;            /* owned: the calendar stored last, parsed */
};

/* ---- the key file (keyfile.c) ---- */

/* On open: modes made 0600, the key read or created, clear values sealed. */
int store_key_load(store_t *st, zc_err *err);
/* Is this meta key stored sealed?  (sync_token) */
bool store_key_secret(const char *meta_key);
/* A sealed setting, opened into buf: ZC_OK, ZC_ENOTFOUND, ZC_ETOOBIG,
 * ZC_EREFUSED (no key, or not this key). */
int store_secret_get(store_t *st, const char *key, char *buf, size_t n);
/* value sealed into out (n >= STORE_SEALED_MAX). */
int store_secret_seal(store_t *st, const char *value, char *out, size_t n, zc_err *err);
/* zc_pin_hash, sealed. */
int store_pin_hash(store_t *st, const char *pin, char out[STORE_SEALED_MAX], zc_err *err);
/* ZC_EREFUSED with a message when stored is sealed and there is no key
 * (a login must not count that as a wrong PIN). */
int store_pin_ready(store_t *st, const char *stored, zc_err *err);
/* ZC_OK when pin matches the (sealed or clear) stored hash. */
int store_pin_verify(store_t *st, const char *stored, const char *pin);

/* ---- statements (store.c) ---- */

/* The prepared statement for slot (prepared from sql on first use), reset
 * and ready to bind.  Borrowed: release with store_done. */
int store_prep(store_t *st, int slot, const char *sql, sqlite3_stmt **out, zc_err *err);
/* Resets and clears a statement from store_prep; NULL is fine. */
void store_done(sqlite3_stmt *s);
/* Maps a failed SQLite result code to a ZC_E* code and a message that says
 * what was being done ("saving the sale"): SQLITE_FULL -> ZC_EFULL "disk full:
 * <what> was NOT saved ...", BUSY -> ZC_ELOCKED, others ZC_EDB with SQLite's
 * own words. */
int store_dbfail(store_t *st, int rc, const char *what, zc_err *err);
/* backup.c: why the first read of a just-opened database failed (rc), or
 * that it is read-only: read-only, a full disk, an I/O error, or damage
 * with the `zhucan restore` command for the newest good backup. */
int store_open_fail(store_t *st, int rc, zc_err *err);
/* backup.c: ZC_EDB when the existing file at path is empty (SQLite would
 * take it for a new database; for a till it is a truncated one). */
int store_empty_check(const char *path, zc_err *err);
/* BEGIN IMMEDIATE / COMMIT / ROLLBACK.  Rollback ignores errors (and does
 * nothing outside a transaction). */
int store_begin(store_t *st, const char *what, zc_err *err);
int store_commit(store_t *st, const char *what, zc_err *err);
void store_rollback(store_t *st);

/* The same for the sync thread (outbox.c), worded for it: a busy
 * database is "sync will try again", a full disk "was not saved". */
int store_sync_fail(store_t *st, int rc, const char *what, zc_err *err);
/* Steps s to SQLITE_DONE and releases it (store_done); store_sync_fail on error. */
int store_sync_run(store_t *st, sqlite3_stmt *s, const char *what, zc_err *err);
/* Runs one statement of SQL text (BEGIN IMMEDIATE, DDL); store_sync_fail on error. */
int store_sync_exec(store_t *st, const char *sql, const char *what, zc_err *err);

/* Upserts the canteen row (store.c).  Returns the raw SQLite code
 * (SQLITE_DONE on success), so each caller words its own message. */
int store_canteen_row(store_t *st, const zc_canteen *c);

/* Binds text, or NULL when v is NULL or "" (so optional columns hold NULL). */
int store_bind_opt(sqlite3_stmt *s, int i, const char *v);
/* Binds a date as "YYYY-MM-DD", or NULL when d.y == 0. */
int store_bind_date(sqlite3_stmt *s, int i, zc_date d);
/* Copies a text column into buf (truncating; "" for NULL). */
void store_col_text(sqlite3_stmt *s, int i, char *buf, size_t n);
/* Reads a "YYYY-MM-DD" column; {0} for NULL or unparsable. */
zc_date store_col_date(sqlite3_stmt *s, int i);


/* Bulk loading into EMPTY elder/card tables: their secondary indexes are
 * dropped first and rebuilt at the end (one sort beats a million random
 * B-tree inserts).  Both run inside the caller's write transaction, so a
 * rollback brings the indexes back by itself. */
#define STORE_BULK_MAX 16
typedef struct store_bulk {
    char *sql[STORE_BULK_MAX]; /* CREATE INDEX statements to replay (owned) */
    int n;
} store_bulk;
int store_bulk_begin(store_t *st, store_bulk *b, zc_err *err);
/* Foreign-key enforcement on or off for this connection (outside a
 * transaction only).  The roster writers switch it off when they
 * themselves guarantee every card's elder exists, and back on after. */
int store_fk(store_t *st, bool on, zc_err *err);
/* Rebuilds the indexes; a unique index that no longer builds fails here. */
int store_bulk_end(store_t *st, store_bulk *b, zc_err *err);
void store_bulk_free(store_bulk *b); /* frees what is left; NULL-safe */

/* ---- operators (operator.c), shared with staff.c ---- */

/* Inserts op with an already made PIN hash and audits "operator_add" as
 * actor ("" = the command line), in one transaction. */
int store_op_insert(store_t *st, const char *actor, const store_operator *op, const char *hash,
                    zc_err *err) ZC_MUST;

/* ---- roster rows (roster.c), shared by the CSV import and the demo ---- */

/* An elder as written to the elder table. */
typedef struct store_elder_row {
    zc_elder e;
    char gender;                  /* 'M', 'F' or 0 = unknown */
    char id_hash[ZC_SHA256_HEX];  /* "" = no ID number */
    char id_last4[5];             /* "" = no ID number */
    char phone[ZC_PHONE_MAX];     /* digits (and a leading +), "" = none */
    bool keep_missing;            /* on update keep a stored ID hash / phone this row lacks */
    bool add_only;                /* an elder already held is left as it is */
} store_elder_row;

/* Validates an elder (zc_roster_elder_check) and builds its row (ID number
 * hashed with the store's salt, phone normalised; gender is the roster's
 * gender column, 0 when none).  On failure *field names the column at fault
 * ("birth_date") and err says why, for "line N: field: reason" reports. */
int store_elder_check(store_t *st, const zc_elder *e, const char *idnum, const char *phone,
                      char gender, store_elder_row *r, const char **field, zc_err *err);
/* Upserts one elder row.  Returns the raw SQLite code (SQLITE_DONE on
 * success) so bulk callers can tell a constraint from a disk error. */
int store_elder_write(store_t *st, const store_elder_row *r, int64_t now);
/* Inserts one card (no upsert).  Raw SQLite code as above. */
int store_card_write(store_t *st, uint64_t uid, const char *elder_id, store_card_status status,
                     zc_date from, zc_date to, int64_t now);
/* Deletes an elder's cards (before the elder is replaced).  Raw SQLite code. */
int store_cards_delete(store_t *st, const char *elder_id);

/* ---- canonical text for the hash chains (sale.c documents the format) ---- */

#define STORE_ZERO_HASH "0000000000000000000000000000000000000000000000000000000000000000"



/* ---- audit (audit.c) ---- */

/* Appends one hash-chained audit row at time at.  Must run inside a write
 * transaction (the caller's). */
int store_audit_write(store_t *st, int64_t at, const char *operator_id, const char *action,
                      const char *subject, const char *detail, zc_err *err);

#endif
