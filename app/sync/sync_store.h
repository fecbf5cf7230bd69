/* sync_store.h - what the sync worker reads and writes in the terminal
 * database, beyond store.h: the outbox as protocol JSON, acknowledgements,
 * and pulled pages applied atomically with their cursors.
 *
 * Works on the raw connection (store_db) with this module's own prepared
 * statements, kept in a sync_db next to the store_t they belong to; every
 * write is one transaction (BEGIN IMMEDIATE) that either applies whole or
 * leaves nothing behind. */
#ifndef ZC_SYNC_STORE_H
#define ZC_SYNC_STORE_H

#include <cjson/cJSON.h>
#include <stdbool.h>
#include <stdint.h>

#include "../core/secure.h"
#include "../store/store.h"
#include "sync.h"

typedef struct sync_db sync_db;

/* Statements on st (borrowed; close this before store_close(st)).
 * *out owned by the caller (sync_db_close). */
int sync_db_open(store_t *st, sync_db **out, zc_err *err) ZC_MUST;
void sync_db_close(sync_db *d); /* NULL is fine */

/* ---- meta (settings and sync state) ---- */
/* Sets key only when its value differs (the worker writes state often). */
int sync_meta_put(sync_db *d, const char *key, const char *value, zc_err *err) ZC_MUST;

/* ---- push ---- */

/* One outbox row in a batch. */
typedef struct sync_item {
    int64_t outbox_id;
    char sale_id[ZC_UUID_LEN];
    bool is_void;
} sync_item;

typedef struct sync_batch {
    sync_item *items;  /* owned (sync_batch_free) */
    int n;             /* items in use: sales first, then voids */
    int nsales;
    int nvoids;
} sync_batch;

/* Builds the next POST /api/v1/sales body from the outbox, oldest first:
 * up to max_sales sales not yet sent nor held, and up to max_sales voids
 * whose sale the centre already acknowledged.  *body is the JSON
 * {"sales":[...],"voids":[...]} (owned by the caller, cJSON_Delete); b
 * lists the rows in it.  b->n == 0 when nothing is left to send. */
int sync_batch_load(sync_db *d, int max_sales, sync_batch *b, cJSON **body, zc_err *err) ZC_MUST;
void sync_batch_free(sync_batch *b); /* keeps b reusable; NULL is fine */

/* Applies the centre's answer in ONE transaction: stored/duplicate ->
 * sent; conflict/rejected (unknown_sale for voids) -> held with the reason
 * in last_error; anything else (no answer for a row, an unknown status) ->
 * attempts + 1 and stays to be sent.  Voids whose sale is held are held too.
 * rep counts what happened. */
int sync_batch_ack(sync_db *d, const sync_batch *b, const cJSON *reply, int64_t now,
                   sync_report *rep, zc_err *err) ZC_MUST;
/* Records a failed push on every row of the batch (attempts + 1,
 * last_error = why); nothing is marked sent.  Best effort: the caller is
 * already failing with a better message, so the result may be ignored. */
int sync_batch_failed(sync_db *d, const sync_batch *b, const char *why);

/* Outbox rows not yet acknowledged, and of those the held ones. */
int sync_unsent(sync_db *d, long *unsent, long *held) ZC_MUST;
/* Whether a sale with this id is stored on this terminal. */
int sync_sale_is_local(sync_db *d, const char *sale_id, bool *yes) ZC_MUST;

/* ---- pull (sync_apply.c, sync_roster.c) ---- */

/* Applies GET /api/v1/config: checks terminal_id is ours, stores the
 * canteen row, meta canteen_id, id_salt, qr_pubkey, and card_format when the
 * terminal has none; one transaction.  A changed id_salt resets the roster
 * cursor (the centre's ID-number hashes change with it). */
int sync_apply_config(sync_db *d, const cJSON *cfg, const char *terminal_id, bool *salt_changed,
                      zc_err *err) ZC_MUST;
/* "next" of a page as text (a string, or a whole number) into buf (n
 * bytes); what names the page in err. */
int sync_page_cursor(const cJSON *page, const char *what, char *buf, size_t n, zc_err *err) ZC_MUST;
/* A roster page decoded from {"elders":[...],"next","more"}: every field
 * checked (err names the first bad one: elders[3].birth_date) and the
 * JSON no longer needed.  *out owned by the caller (sync_roster_page_free). */
typedef struct sync_roster_page sync_roster_page;
int sync_roster_decode(const cJSON *page, sync_roster_page **out, zc_err *err) ZC_MUST;
void sync_roster_page_free(sync_roster_page *pg); /* NULL is fine */
/* The page's "more", and its "next" (borrowed from pg). */
bool sync_roster_page_more(const sync_roster_page *pg, const char **next);
/* Applies a decoded roster page and stores its "next" as meta
 * roster_cursor, in ONE transaction: all of it or (on any refused elder)
 * nothing.  An elder's "cards", when sent, replace its cards (a lost or
 * blocked card is the blacklist).  bulk: during a bulk load
 * (sync_roster_bulk_begin), new elders are inserted without the
 * per-elder clean-up statements. */
int sync_apply_roster(sync_db *d, const sync_roster_page *pg, bool bulk, long *elders, long *cards,
                      zc_err *err) ZC_MUST;
/* A first pull into an empty roster (cursor "" or "0", no elder, no card)
 * loads in bulk: in one transaction the CREATE statements of the elder and
 * card secondary indexes (all but card_elder, which replacing an elder's
 * cards needs) are kept in roster_bulk_index and the indexes dropped.
 * *bulk says whether a bulk load is under way (begun now, or by an earlier
 * round that was stopped half-way). */
int sync_roster_bulk_begin(sync_db *d, const char *cursor, bool *bulk, zc_err *err) ZC_MUST;
/* Foreign-key checks on (or off for a bulk load's pages: every card is
 * written right after its elder).  Outside a transaction only. */
int sync_roster_fk(sync_db *d, bool on, zc_err *err) ZC_MUST;
/* After the last page: builds the dropped indexes again, each in its own
 * transaction (the longest, in ms, is kept in *longest_ms when larger). */
int sync_roster_bulk_end(sync_db *d, long *longest_ms, zc_err *err) ZC_MUST;
/* Applies one policies page {"policies":[...],"next","more"} with meta
 * policy_cursor, in ONE transaction.  Each policy text is validated by the
 * core parser; a known id+version with other text is a conflict. */
int sync_apply_policies(sync_db *d, const cJSON *page, long *n, zc_err *err) ZC_MUST;

#endif
