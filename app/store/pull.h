/* pull.h - what the sync thread writes into the terminal's database from
 * the centre: its configuration, policy pages and roster pages (decoded
 * from the protocol's JSON in app/sync, passed here as plain structs).
 *
 * A page is applied in ONE write transaction together with its cursor
 * (meta policy_cursor / roster_cursor): the whole page and the cursor, or
 * nothing.  Messages are worded for the sync thread, like outbox.h's. */
#ifndef ZC_STORE_PULL_H
#define ZC_STORE_PULL_H

#include <stdbool.h>
#include <stdint.h>

#include "store.h"

#define STORE_CURSOR_MAX 128

/* Stores the centre's configuration in one transaction: the canteen row
 * and meta canteen_id; id_salt, qr_pubkey and card_format when not ""
 * (card_format only when the terminal has none).  A changed id_salt resets
 * meta roster_cursor (the centre's ID-number hashes change with it) and sets
 * *salt_changed. */
int store_pull_config(store_t *st, const zc_canteen *c, const char *salt, const char *pubkey,
                      const char *card_format, bool *salt_changed, zc_err *err) ZC_MUST;

/* A policy page's transaction: begin, store_pull_policy for each, the
 * cursor with store_meta_put (outbox.h), commit; store_pull_rollback on any
 * failure (nothing outside a transaction). */
int store_pull_begin(store_t *st, const char *what, zc_err *err) ZC_MUST;
int store_pull_commit(store_t *st, const char *what, zc_err *err) ZC_MUST;
void store_pull_rollback(store_t *st);
/* Stores policy pol (already validated; text of len bytes) unless the
 * same text is stored; *n + 1 when it was added.  A stored id+version with
 * other content is ZC_ECONFLICT; path names the page's entry in messages. */
int store_pull_policy(store_t *st, const char *path, const zc_policy *pol, const char *text,
                      size_t len, long *n, zc_err *err) ZC_MUST;

/* ---- roster pages (roster_apply.c) ---- */

/* An elder of a roster page, as the centre sends it. */
typedef struct store_pulled_elder {
    zc_elder e;
    char gender[4];                 /* "M", "F" or "" */
    char id_hash[ZC_SHA256_HEX + 8]; /* "" = none */
    char id_last4[8];
    char phone[32];
    bool has_cards;                 /* "cards" was sent: they replace the elder's */
    int card0, ncards;              /* its cards in the page's card list */
} store_pulled_elder;

/* A decoded roster page; the decoder (app/sync) fills it and frees it. */
typedef struct store_roster_page {
    store_pulled_elder *el; /* n elders in page order (owned) */
    int n;
    store_card *cards;      /* every elder's cards, in order (owned) */
    int ncards, cap;
    char next[STORE_CURSOR_MAX];
    bool more;
} store_roster_page;

/* Applies a page and stores its next as meta roster_cursor, in ONE
 * transaction: all of it or (on any refused elder) nothing.  An elder's
 * cards, when sent, replace its cards (a lost or blocked card is the
 * blacklist).  bulk: during a bulk load (store_roster_bulk_begin), new
 * elders are inserted without the per-elder clean-up statements.
 * *elders and *cards are added to. */
int store_roster_page_apply(store_t *st, const store_roster_page *pg, bool bulk, long *elders,
                            long *cards, zc_err *err) ZC_MUST;
/* A first pull into an empty roster (cursor "" or "0", no elder, no card)
 * loads in bulk: in one transaction the CREATE statements of the elder and
 * card secondary indexes (all but card_elder, which replacing an elder's
 * cards needs) are kept in roster_bulk_index and the indexes dropped.
 * *bulk says whether a bulk load is under way (begun now, or by an earlier
 * round that was stopped half-way). */
int store_roster_bulk_begin(store_t *st, const char *cursor, bool *bulk, zc_err *err) ZC_MUST;
/* Foreign-key checks on (or off for a bulk load's pages: every card is
 * written right after its elder).  Outside a transaction only. */
int store_roster_fk(store_t *st, bool on, zc_err *err) ZC_MUST;
/* After the last page: builds the dropped indexes again, each in its own
 * transaction (the longest, in ms, is kept in *longest_ms when larger). */
int store_roster_bulk_end(store_t *st, long *longest_ms, zc_err *err) ZC_MUST;

#endif
