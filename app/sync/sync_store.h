/* sync_store.h - the protocol's side of what the sync worker reads and
 * writes in the terminal database: the outbox as protocol JSON, the
 * centre's acknowledgements, and pulled pages decoded from JSON.
 *
 * The SQL is in app/store (outbox.h, pull.h), on the sync thread's own
 * store_t; every write is one transaction (BEGIN IMMEDIATE) that either
 * applies whole or leaves nothing behind. */
#ifndef ZC_SYNC_STORE_H
#define ZC_SYNC_STORE_H

#include <cjson/cJSON.h>
#include <stdbool.h>
#include <stdint.h>

#include "../core/secure.h"
#include "../store/outbox.h"
#include "../store/pull.h"
#include "../store/store.h"
#include "sync.h"

/* ---- push ---- */

/* One outbox row in a batch. */
typedef store_outbox_item sync_item;

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
int sync_batch_load(store_t *st, int max_sales, sync_batch *b, cJSON **body, zc_err *err) ZC_MUST;
void sync_batch_free(sync_batch *b); /* keeps b reusable; NULL is fine */

/* Applies the centre's answer in ONE transaction: stored/duplicate ->
 * sent; conflict/rejected (unknown_sale for voids) -> held with the reason
 * in last_error; anything else (no answer for a row, an unknown status) ->
 * attempts + 1 and stays to be sent.  Voids whose sale is held are held too.
 * rep counts what happened. */
int sync_batch_ack(store_t *st, const sync_batch *b, const cJSON *reply, int64_t now,
                   sync_report *rep, zc_err *err) ZC_MUST;
/* Records a failed push on every row of the batch (attempts + 1,
 * last_error = why); nothing is marked sent.  Best effort: the caller is
 * already failing with a better message, so the result may be ignored. */
int sync_batch_failed(store_t *st, const sync_batch *b, const char *why);

/* ---- pull (sync_apply.c, sync_roster.c) ---- */

/* Applies GET /api/v1/config: checks terminal_id is ours, stores the
 * canteen row, meta canteen_id, id_salt, qr_pubkey, and card_format when the
 * terminal has none; one transaction.  A changed id_salt resets the roster
 * cursor (the centre's ID-number hashes change with it). */
int sync_apply_config(store_t *st, const cJSON *cfg, const char *terminal_id, bool *salt_changed,
                      zc_err *err) ZC_MUST;
/* "next" of a page as text (a string, or a whole number) into buf (n
 * bytes); what names the page in err. */
int sync_page_cursor(const cJSON *page, const char *what, char *buf, size_t n, zc_err *err) ZC_MUST;
/* A roster page decoded from {"elders":[...],"next","more"}: every field
 * checked (err names the first bad one: elders[3].birth_date) and the
 * JSON no longer needed.  *out owned by the caller (sync_roster_page_free). */
typedef store_roster_page sync_roster_page;
int sync_roster_decode(const cJSON *page, sync_roster_page **out, zc_err *err) ZC_MUST;
void sync_roster_page_free(sync_roster_page *pg); /* NULL is fine */
/* The page's "more", and its "next" (borrowed from pg). */
bool sync_roster_page_more(const sync_roster_page *pg, const char **next);
/* Applies one policies page {"policies":[...],"next","more"} with meta
 * policy_cursor, in ONE transaction.  Each policy text is validated by the
 * core parser; a known id+version with other text is a conflict. */
int sync_apply_policies(store_t *st, const cJSON *page, long *n, zc_err *err) ZC_MUST;

#endif
