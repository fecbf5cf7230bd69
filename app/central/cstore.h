/* cstore.h - the central service's database, behind one interface.
 *
 * Everything the centre keeps goes through these central_store_* functions;
 * nothing else in app/central touches SQL.  The default backend is SQLite
 * (cstore*.c: WAL, synchronous=FULL, foreign keys, busy timeout); a
 * PostgreSQL backend for a city that outgrows one machine implements this
 * same header (docs/central.md says what changes: change numbers from a
 * sequence taken inside the writing transaction, row-value comparisons,
 * SAVEPOINTs work the same).
 *
 * One central_store is one connection: use it from one thread at a time.
 * The server keeps a small pool of them (server.c).  All functions return
 * ZC_OK or a negative ZC_E* code with err filled (err may be NULL);
 * ZC_ENOTFOUND is returned without a message where noted. */
#ifndef ZC_CENTRAL_CSTORE_H
#define ZC_CENTRAL_CSTORE_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "../core/err.h"
#include "../core/model.h"
#include "../core/calendar.h"
#include "../core/policy.h"
#include "../core/roster.h"
#include "../core/salecanon.h"
#include "../core/secure.h"
#include "../core/wire.h"

struct cJSON;

typedef struct central_store central_store;

enum {
    CENTRAL_STORE_CREATE = 1, /* create the file (mode 0600); refuse one that exists */
};


/* Opens (CENTRAL_STORE_CREATE: creates) the database at path and applies the
 * schema migrations; creates meta id_salt on creation.  *out is owned by the
 * caller (central_store_close).  A missing file without CREATE is ZC_ENOTFOUND
 * with a message naming `zhucan-central init`. */
int central_store_open(const char *path, int flags, central_store **out, zc_err *err) ZC_MUST;
void central_store_close(central_store *st); /* NULL is fine */
const char *central_store_path(const central_store *st);

/* ---- settings (meta): id_salt, qr_pubkey, qr_secret, roster_change ---- */
int central_store_meta_get(central_store *st, const char *key, char *buf, size_t n) ZC_MUST; /* ZC_ENOTFOUND */
int central_store_meta_set(central_store *st, const char *key, const char *value, zc_err *err) ZC_MUST;
/* The ID-number salt (borrowed, lives as long as st). */
const char *central_store_salt(const central_store *st);

/* ---- canteens and terminals ---- */
/* Adds a canteen; ZC_ECONFLICT when the id exists. */
int central_store_canteen_add(central_store *st, const zc_canteen *c, zc_err *err) ZC_MUST;
int central_store_canteen_get(central_store *st, const char *id, zc_canteen *out, zc_err *err) ZC_MUST;

typedef struct central_terminal {
    char id[ZC_ID_MAX];
    char canteen_id[ZC_ID_MAX];
    char token_hash[ZC_SHA256_HEX]; /* SHA-256 hex of the secret token */
    char card_format[16];           /* hex10 | dec10 | dec8 | facility */
} central_terminal;

/* Adds a terminal; ZC_ECONFLICT when the id exists, ZC_ENOTFOUND (with a
 * message) when its canteen does not. */
int central_store_terminal_add(central_store *st, const central_terminal *t, zc_err *err) ZC_MUST;
int central_store_terminal_get(central_store *st, const char *id, central_terminal *out,
                               zc_err *err) ZC_MUST;
int central_store_terminal_seen(central_store *st, const char *id, int64_t now, zc_err *err) ZC_MUST;

/* ---- policies ---- */
/* Validates (zc_calendar_parse) and stores a calendar version; the same
 * id+version and text sets *existed, other text is ZC_ECONFLICT. */
int central_store_calendar_publish(central_store *st, const char *json, size_t len, bool *existed,
                                   zc_err *err) ZC_MUST;
/* The calendar published last, parsed, and its text: both borrowed from the
 * connection until the next call or close; NULL when none is published. */
int central_store_calendar_current(central_store *st, const zc_calendar **cal, const char **json,
                                   zc_err *err) ZC_MUST;
/* Validates (zc_policy_parse) and stores a policy version.  The same id and
 * version with the same text sets *existed; with other text ZC_ECONFLICT. */
int central_store_policy_publish(central_store *st, const char *json, size_t len, bool *existed,
                                 zc_err *err) ZC_MUST;
/* The parsed policy id+version, from a per-connection cache: *out is borrowed
 * from st, valid until the next call of this function or central_store_close.
 * ZC_ENOTFOUND (no message) when the centre does not hold that version. */
int central_store_policy_get(central_store *st, const char *policy, const char *version,
                             const zc_policy **out, zc_err *err) ZC_MUST;
/* Calls fn for each policy published after cursor `after`, at most limit,
 * oldest first; *next = the last one's cursor (after when none), *more = more
 * follow.  fn's strings are borrowed for the call; fn returning non-zero
 * stops the page with that code. */
typedef int (*central_policy_fn)(void *ctx, const char *policy, const char *version,
                                 const char *json);
int central_store_policy_page(central_store *st, int64_t after, int limit, central_policy_fn fn,
                              void *ctx, int64_t *next, bool *more, zc_err *err) ZC_MUST;

/* ---- roster ---- */
typedef struct central_card {
    char uid[16];              /* 10 upper-case hex */
    char elder_id[ZC_ID_MAX];
    char status[12];           /* active | lost | blocked */
    zc_date valid_from, valid_to;
    int64_t status_utc;        /* when the status last changed */
} central_card;

/* An elder as the roster holds it and the roster endpoint sends it. */
typedef struct central_elder_row {
    zc_elder e;
    char gender;                   /* 'M', 'F' or 0 */
    char phone[ZC_PHONE_MAX]; /* normalised, "" = none */
    char id_hash[ZC_SHA256_HEX];   /* "" = no ID number */
    char id_last4[5];
    central_card cards[ZC_ROSTER_MAX_CARDS];
    int ncards;
    int64_t change_no;             /* the roster cursor of this state */
} central_elder_row;

/* Imports a roster CSV (columns in docs/roster.md), all or nothing: every bad
 * row is written to report (may be NULL) as "line N: field: reason" and then
 * nothing is stored.  Elders in the file are replaced (their cards too);
 * elders not in the file are kept.  An elder whose row is unchanged keeps
 * its change number.  *rows = rows read, *changed = elders written. */
int central_store_roster_import(central_store *st, FILE *csv, FILE *report, long *rows,
                                long *changed, zc_err *err) ZC_MUST;
/* The same, audited as actor's with source naming the file (the command
 * line is "cli"); with commit false a preview: every check made, *rows and
 * *changed counted as an import would, then nothing kept. */
int central_store_roster_load(central_store *st, const char *actor, const char *source, bool commit,
                              FILE *csv, FILE *report, long *rows, long *changed, zc_err *err) ZC_MUST;
/* Calls fn for each elder changed after cursor `after` (at most limit, in
 * change order); *next / *more as for policies. */
typedef int (*central_elder_fn)(void *ctx, const central_elder_row *r);
int central_store_roster_page(central_store *st, int64_t after, int limit, central_elder_fn fn,
                              void *ctx, int64_t *next, bool *more, zc_err *err) ZC_MUST;
int central_store_elder_get(central_store *st, const char *id, zc_elder *out, zc_err *err) ZC_MUST;
/* uid: 10 hex digits.  ZC_ENOTFOUND (no message) when the centre has no such card. */
int central_store_card_get(central_store *st, const char *uid, central_card *out, zc_err *err) ZC_MUST;
/* Sets a card's status (active, lost, blocked) at time now; the elder gets a
 * new change number so terminals pull it. */
int central_store_card_set(central_store *st, const char *uid, const char *status, int64_t now,
                           zc_err *err) ZC_MUST;

/* The connection's page cache: mib MiB (0: SQLite's 2 MB).  Worth it only
 * on a connection that alone writes: SQLite empties a connection's cache
 * whenever another one has written. */
int central_store_cache(central_store *st, int mib, zc_err *err) ZC_MUST;

/* ---- sales ----
 * A batch runs in one write transaction (batch_begin ... batch_commit); each
 * sale inside it in a savepoint (save_begin ... save_end), so one sale's
 * failure rolls back only that sale.  Several requests' batches may share
 * the transaction (group.h). */
int central_store_batch_begin(central_store *st, zc_err *err) ZC_MUST;
int central_store_batch_commit(central_store *st, zc_err *err) ZC_MUST;
void central_store_batch_rollback(central_store *st); /* no-op outside a batch */
int central_store_save_begin(central_store *st, zc_err *err) ZC_MUST;
/* keep: RELEASE; else ROLLBACK TO and RELEASE. */
int central_store_save_end(central_store *st, bool keep, zc_err *err) ZC_MUST;
/* The same around one request's writes when requests share a batch
 * (group.h); sale savepoints nest inside. */
int central_store_job_begin(central_store *st, zc_err *err) ZC_MUST;
int central_store_job_end(central_store *st, bool keep, zc_err *err) ZC_MUST;

/* What identifies a held sale. */
typedef struct central_sale_ref {
    char id[ZC_ID_MAX];
    char terminal[ZC_ID_MAX];
    int64_t seq;
    char hash[ZC_SHA256_HEX];
    char prev[ZC_SHA256_HEX];
} central_sale_ref;

/* By id / by terminal and seq.  ZC_ENOTFOUND (no message) when not held. */
int central_store_sale_find(central_store *st, const char *id, central_sale_ref *out,
                            zc_err *err) ZC_MUST;
int central_store_sale_at(central_store *st, const char *terminal, int64_t seq,
                          central_sale_ref *out, zc_err *err) ZC_MUST;
/* Inserts a validated sale with its lines, parts and rules. */
int central_store_sale_insert(central_store *st, const zc_sale_doc *d, const char *hash,
                              int64_t now, zc_err *err) ZC_MUST;
/* Loads a held sale as it was sent (rules in rule-id order). */
int central_store_sale_load(central_store *st, const char *id, zc_sale_doc *out, zc_err *err) ZC_MUST;

/* Records a conflict: kind "same_id" or "same_seq"; held_id is the sale held. */
int central_store_conflict_add(central_store *st, const char *terminal, const char *sale_id,
                               const char *kind, const char *held_id, const char *held_text,
                               const char *sent_text, int64_t now, zc_err *err) ZC_MUST;
/* Records that the terminal's sale seq does not chain to seq-1 (kept once per seq). */
/* Records that the terminal's sale (id, seq, local date) was refused and
 * why; a sale refused again gets the newer reason and its count raised. */
int central_store_rejected_add(central_store *st, const char *terminal, const char *sale_id,
                               int64_t seq, const char *local_date, const char *reason,
                               int64_t now, zc_err *err) ZC_MUST;
int central_store_chain_break(central_store *st, const char *terminal, int64_t seq,
                              const char *expected, const char *got, int64_t now, zc_err *err) ZC_MUST;
/* Sets a flag on a sale (one per kind; a later call replaces the detail). */
int central_store_flag(central_store *st, const char *sale_id, const char *kind, const char *detail,
                       int64_t now, zc_err *err) ZC_MUST;
/* Removes the sale's flag of that kind (none is fine): a re-quote that now
 * matches withdraws what an earlier re-quote said. */
int central_store_flag_clear(central_store *st, const char *sale_id, const char *kind,
                             zc_err *err) ZC_MUST;

/* A subsidised use with where it happened. */
typedef struct central_use {
    zc_use u;
    char canteen[ZC_ID_MAX];
    char sale_id[ZC_ID_MAX];
} central_use;

/* A point in the order of sales: (created_utc, id). */
typedef struct central_sale_key {
    int64_t created_utc;
    const char *id;
} central_sale_key;

/* The elder's uses from non-voided sales with local dates from..to
 * (inclusive), oldest first; only sales before `before` when it is non-NULL.
 * ZC_ETOOBIG past cap. */
int central_store_uses(central_store *st, const char *elder, zc_date from, zc_date to,
                       const central_sale_key *before, central_use *out, int cap, int *n,
                       zc_err *err) ZC_MUST;
/* Ids of the elder's sales after `after` with local dates up to `to`,
 * oldest first, at most cap (*n = how many). */
int central_store_later_sales(central_store *st, const char *elder, const central_sale_key *after,
                              zc_date to, char (*ids)[ZC_ID_MAX], int cap, int *n,
                              zc_err *err) ZC_MUST;

enum { CENTRAL_VOID_STORED = 0, CENTRAL_VOID_DUPLICATE, CENTRAL_VOID_UNKNOWN };

/* Voids a held sale of this terminal; *result says what happened. */
int central_store_void(central_store *st, const char *terminal, const zc_wire_void *v, int64_t now,
                       int *result, zc_err *err) ZC_MUST;

/* One of a terminal's held sales in seq order, with its void if any. */
typedef struct central_own_row {
    char id[ZC_ID_MAX];
    int64_t seq;
    char hash[ZC_SHA256_HEX];
    bool voided;        /* v below is set */
    zc_wire_void v;
} central_own_row;

/* The terminal's sales with seq > after, oldest first, at most cap into
 * rows (*n of them); *more when later ones exist.  For a restored terminal
 * catching up (GET /own-sales). */
int central_store_own_page(central_store *st, const char *terminal, int64_t after, int cap,
                           central_own_row *rows, int *n, bool *more, zc_err *err) ZC_MUST;

/* Stores (replaces) a terminal's closing for its date. */
int central_store_closing_put(central_store *st, const char *terminal, const zc_wire_closing *c,
                              int64_t now, zc_err *err) ZC_MUST;

/* ---- the operator's report ----
 * Adds to the cJSON object out: "terminals" (sales, fen, max_seq, gaps,
 * chain breaks, last seen), "flags", "conflicts", "closings" (with the
 * centre's own totals and whether they match) and "totals".  terminal
 * (may be NULL) limits it to one terminal. */
int central_store_report(central_store *st, const char *terminal, struct cJSON *out,
                         zc_err *err) ZC_MUST;

#endif
