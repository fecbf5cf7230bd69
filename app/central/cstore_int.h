/* cstore_int.h - private to the SQLite backend of cstore.h (cstore*.c).
 *
 * Statements are prepared once per connection and kept in st->q[slot]: a
 * call site names its slot and SQL together; the first call prepares, later
 * calls reuse.  Release a statement with cs_done() before its slot is used
 * again. */
#ifndef ZC_CENTRAL_CSTORE_INT_H
#define ZC_CENTRAL_CSTORE_INT_H

#include <sqlite3.h>

#include "cstore.h"

enum cs_slot {
    S_BEGIN, S_COMMIT, S_ROLLBACK, S_SAVE, S_RELEASE, S_ROLLBACK_TO,
    S_META_GET, S_META_SET,
    S_CANTEEN_ADD, S_CANTEEN_GET,
    S_TERM_ADD, S_TERM_GET, S_TERM_SEEN,
    S_POL_FIND, S_POL_INSERT, S_POL_PAGE, S_POL_JSON,
    S_CAL_FIND, S_CAL_INSERT, S_CAL_LAST,
    S_ELDER_GET, S_ELDER_PAGE, S_ELDER_FP, S_ELDER_PUT, S_ELDER_BUMP,
    S_CARD_GET, S_CARDS_OF, S_CARD_SET, S_CARD_UPSERT, S_CARDS_STALE,
    S_IMP_ELDER, S_IMP_CARD, S_IMP_CARDS, S_IMP_OWNER,
    S_SALE_FIND, S_SALE_AT, S_SALE_INSERT, S_LINE_INSERT, S_PART_INSERT, S_RULE_INSERT,
    S_SALE_LOAD, S_LINE_LOAD, S_PART_LOAD, S_RULE_LOAD,
    S_CONFLICT, S_REJECTED, S_CHAIN, S_FLAG, S_FLAG_CLEAR, S_USES, S_LATER,
    S_VOID_FIND, S_VOID_INSERT, S_CLOSING, S_OWN_PAGE,
    S_COUNT
};

#define CS_PATH_MAX 1024
#define CS_POLICY_CACHE 8

struct central_store {
    sqlite3 *db;
    char path[CS_PATH_MAX];    /* as opened, for messages */
    char salt[ZC_SHA256_HEX];  /* meta id_salt */
    sqlite3_stmt *q[S_COUNT];  /* prepared statements by slot */
    struct {
        char policy[ZC_ID_MAX];
        char version[ZC_ID_MAX];
        zc_policy *p;          /* owned */
    } pol[CS_POLICY_CACHE];
    int npol;                  /* cache slots in use */
    int pol_next;              /* the slot to replace next when full */
    int64_t cal_row;           /* calendar.id of cal, 0 none */
    zc_calendar *cal;          /* owned: the calendar published last, parsed */
    char *cal_json;            /* owned: its text */
    bool in_batch;             /* inside batch_begin .. commit/rollback */
};

/* The statement for slot, prepared from sql on first use.  Borrowed. */
int cs_prep(central_store *st, int slot, const char *sql, sqlite3_stmt **out, zc_err *err);
/* Resets and clears bindings; NULL is fine. */
void cs_done(sqlite3_stmt *s);
/* Maps a failed SQLite code to ZC_E* with a message naming `what`:
 * FULL -> ZC_EFULL, BUSY/LOCKED -> ZC_ELOCKED, CONSTRAINT -> ZC_ECONFLICT,
 * others ZC_EDB. */
int cs_dbfail(central_store *st, int rc, const char *what, zc_err *err);
/* Steps a write statement to SQLITE_DONE and releases it. */
int cs_step_done(central_store *st, sqlite3_stmt *s, const char *what, zc_err *err);
/* Runs SQL without results (no statement cache). */
int cs_exec(central_store *st, const char *sql, const char *what, zc_err *err);

/* Appends an audit row (cstore_console.c): who (actor), what (action,
 * target) and the values before and after, cut to CENTRAL_AUDIT_TEXT_MAX.
 * Call it inside the transaction of the change it records. */
int cs_audit(central_store *st, const char *actor, const char *action, const char *target,
             const char *before, const char *after, int64_t now, zc_err *err);

/* Sets card c's status at now and gives its elder a new roster change
 * number, so that terminals pull the elder and its cards (cstore_roster.c;
 * inside the caller's write transaction). */
int cs_card_change(central_store *st, const central_card *c, const char *status, int64_t now,
                   zc_err *err);

/* Text column into buf ("" for NULL, truncated to n). */
void cs_col_text(sqlite3_stmt *s, int i, char *buf, size_t n);
/* "YYYY-MM-DD" column; {0} for NULL or unparsable. */
zc_date cs_col_date(sqlite3_stmt *s, int i);
/* Binds a date, or NULL when d.y == 0. */
void cs_bind_date(sqlite3_stmt *s, int i, zc_date d);

#endif
