/* store.h - the terminal's SQLite database.
 *
 * One store_t is one connection; use one per thread.  The schema lives in
 * db/NNN_*.sql and is applied on open (PRAGMA user_version is the schema
 * version).  Opened with WAL, synchronous=FULL and foreign keys on.
 *
 * A sale, its lines, its subsidy parts, its rule uses, its outbox row and its
 * audit row are written in ONE transaction, with the terminal's gap-free
 * sequence number and a SHA-256 chain to the previous sale. */
#ifndef ZC_STORE_H
#define ZC_STORE_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "../core/card.h"
#include "../core/err.h"
#include "../core/model.h"
#include "../core/calendar.h"
#include "../core/policy.h"
#include "../core/secure.h"
#include "../core/subsidy.h"

typedef struct store store_t;

enum {
    STORE_CREATE = 1,   /* create the file if missing (mode 0600) */
    STORE_READONLY = 2,
};

/* Opens (and migrates) the database at path.  *out owned by caller (store_close). */
int store_open(const char *path, int flags, store_t **out, zc_err *err) ZC_MUST;
void store_close(store_t *st); /* NULL is fine */

/* ---- configuration (table meta): terminal_id, canteen_id, card_format, tz,
 * id_salt, qr_pubkey, server_url, printer ... ---- */
int store_meta_get(store_t *st, const char *key, char *buf, size_t n) ZC_MUST; /* ZC_ENOTFOUND */
int store_meta_set(store_t *st, const char *key, const char *value, zc_err *err) ZC_MUST;
/* Removes a setting; ZC_ENOTFOUND when it was not set. */
int store_meta_del(store_t *st, const char *key, zc_err *err) ZC_MUST;

/* ---- canteen identity ---- */
int store_canteen_get(store_t *st, zc_canteen *out, zc_err *err) ZC_MUST;
int store_canteen_set(store_t *st, const zc_canteen *c, zc_err *err) ZC_MUST;

/* ---- policies ---- */
/* Validates (zc_policy_parse) and stores a policy version; same id+version
 * with different text is ZC_ECONFLICT. */
int store_policy_add(store_t *st, const char *json, size_t len, zc_err *err) ZC_MUST;
/* The policy in force on date d; *out owned by caller (zc_policy_free).
 * ZC_ENOTFOUND with a message when none is. */
int store_policy_for(store_t *st, zc_date d, zc_policy **out, zc_err *err) ZC_MUST;
/* The same, parsed once per connection and kept (stored policies never
 * change): *out is borrowed from the store and stays valid until the next
 * store_policy_cached call (the cache may evict) or store_close. */
int store_policy_cached(store_t *st, zc_date d, const zc_policy **out, zc_err *err) ZC_MUST;

/* ---- calendar ---- */
/* Validates (zc_calendar_parse) and stores a calendar version; the same
 * id+version with different text is ZC_ECONFLICT, identical text a no-op. */
int store_calendar_add(store_t *st, const char *json, size_t len, zc_err *err) ZC_MUST;
/* Inside an open transaction (the sync's pull): stores a parsed calendar's
 * text unless id+version is there; *added says whether it was new. */
int store_calendar_put(store_t *st, const zc_calendar *cal, const char *json, size_t len,
                       bool *added, zc_err *err) ZC_MUST;
/* The calendar stored last, parsed once per connection: *out is borrowed
 * until store_close, NULL when none is stored (then Monday to Friday are
 * working days: zc_calendar_day). */
int store_calendar_cached(store_t *st, const zc_calendar **out, zc_err *err) ZC_MUST;

/* A stored policy version, for listing. */
typedef struct store_policy_row {
    char id[ZC_ID_MAX], version[ZC_ID_MAX];
    char from[16], to[16]; /* "YYYY-MM-DD"; to is "(open)" when open-ended */
} store_policy_row;
/* Calls fn for every stored policy version, by effective_from, id, version. */
int store_policy_each(store_t *st, void (*fn)(void *arg, const store_policy_row *r), void *arg,
                      zc_err *err) ZC_MUST;

/* ---- menu ---- */
typedef struct store_item {
    char code[ZC_ID_MAX];
    char name[ZC_NAME_MAX];
    char category[ZC_CODE_MAX]; /* set_meal, dish, staple, soup, drink, other */
    zc_fen price_fen;
    bool eligible;
    char periods[64];           /* "breakfast,lunch" or "" for all */
    bool active;
    char unit[16];              /* 份, 碗, 个 ("" on input: 份) */
    bool sold_out;              /* marked sold out today (read only; store_menu_sold_out) */
} store_item;
#define STORE_ITEM_CODE_MAX 16      /* letters, digits, '-', '_' */
#define STORE_ITEM_NAME_MAX 24      /* characters: a tile's two lines, a receipt line */
#define STORE_ITEM_PRICE_MAX 50000  /* fen: a dish over 500 yuan is a typing mistake */
#define STORE_MENU_MAX 500          /* dishes one import may hold */
/* ZC_OK when it is a dish the menu can hold (code, name, category, price,
 * periods, unit); else a message naming the dish and the field. */
int store_item_check(const store_item *it, zc_err *err) ZC_MUST;
int store_item_get(store_t *st, const char *code, store_item *out, zc_err *err) ZC_MUST;
int store_item_put(store_t *st, const store_item *it, zc_err *err) ZC_MUST;
/* Fills up to cap items on sale (active, not sold out today) ordered by
 * category then sort order.  Prices are those in force now. */
int store_item_list(store_t *st, store_item *out, int cap, int *n, zc_err *err) ZC_MUST;
/* Every item, inactive and sold out too (menu.c). */
int store_menu_all(store_t *st, store_item *out, int cap, int *n, zc_err *err) ZC_MUST;
/* A new price for code from from_utc on (now or later); sales made before
 * keep theirs.  actor: who ("" = the command line); audited. */
int store_menu_price(store_t *st, const char *actor, const char *code, zc_fen fen,
                     int64_t from_utc, zc_err *err) ZC_MUST;
/* Marks code sold out for today, or back on sale; audited. */
int store_menu_sold_out(store_t *st, const char *actor, const char *code, bool sold_out,
                        zc_err *err) ZC_MUST;
/* Imports a menu CSV (docs/menu.md; UTF-8 or GBK as Excel saves it): every
 * row checked first, each bad one written to report as "line N: field:
 * reason", and then all written in one transaction or none.  *rows: dishes
 * written.  New codes are added, known ones updated (price included). */
int store_menu_import(store_t *st, const char *actor, const char *path, FILE *report, long *rows,
                      zc_err *err) ZC_MUST;

/* ---- roster ---- */
typedef enum store_card_status {
    STORE_CARD_ACTIVE = 0,
    STORE_CARD_LOST,
    STORE_CARD_BLOCKED,
} store_card_status;

typedef struct store_card {
    uint64_t uid; /* 40-bit */
    char elder_id[ZC_ID_MAX];
    store_card_status status;
    zc_date valid_from, valid_to; /* y == 0 open */
} store_card;

/* Finds the card whose low bits match key.  ZC_ENOTFOUND when none,
 * ZC_ECONFLICT when a short format matches several cards. */
int store_card_find(store_t *st, const zc_card_key *key, store_card *out, zc_err *err) ZC_MUST;
int store_card_put(store_t *st, const store_card *c, zc_err *err) ZC_MUST;
int store_elder_get(store_t *st, const char *id, zc_elder *out, zc_err *err) ZC_MUST;
/* Stores an elder; idnum (may be NULL) is kept only as salted hash + last 4. */
int store_elder_put(store_t *st, const zc_elder *e, const char *idnum, const char *phone,
                    zc_err *err) ZC_MUST;
/* Adds an elder the roster does not hold yet, with its ID number as the
 * centre hashed it (id_hash with this terminal's salt and id_last4, ""
 * when none) and gender 'M', 'F' or 0 (sync's bulk load).  An elder
 * already held is left as it is and *added is false; ZC_ECONFLICT when
 * another elder holds id_hash. */
int store_elder_add(store_t *st, const zc_elder *e, const char *phone, const char *id_hash,
                    const char *id_last4, char gender, bool *added, zc_err *err) ZC_MUST;
/* Looks up by full ID number (via its salted hash). */
int store_elder_by_idnum(store_t *st, const char *idnum, zc_elder *out, zc_err *err) ZC_MUST;
/* Manual search: by last 4 of the ID number, phone (suffix) or name (prefix).
 * Fills up to cap matches. */
int store_elder_search(store_t *st, const char *q, zc_elder *out, int cap, int *n,
                       zc_err *err) ZC_MUST;

/* Roster CSV import (columns documented in docs/roster.md).  All or nothing:
 * on any bad row nothing is written, and every bad row is reported to
 * `report` (may be NULL) as "line N: field: reason".  *rows = rows imported. */
int store_roster_import(store_t *st, FILE *csv, FILE *report, long *rows, zc_err *err) ZC_MUST;

/* ---- usage: the elder's earlier subsidised uses that matter on date d
 * (from the 1st of the month or the Monday of the week, whichever is
 * earlier, up to and including d).  Voided sales excluded. ---- */
int store_usage_load(store_t *st, const char *elder_id, zc_date d, zc_use *out, int cap,
                     int *n, zc_err *err) ZC_MUST;

/* Up to cap random active cards' UIDs (the kiosk's benchmark). */
int store_card_sample(store_t *st, uint64_t *uids, int cap, int *n, zc_err *err) ZC_MUST;

/* ---- operators ---- */
typedef enum store_role { STORE_ROLE_CASHIER = 0, STORE_ROLE_SUPERVISOR, STORE_ROLE_ADMIN } store_role;
typedef struct store_operator {
    char id[ZC_ID_MAX];
    char name[ZC_NAME_MAX];
    store_role role;
    bool active;
    int failed;            /* consecutive wrong PINs */
    int64_t locked_until;  /* epoch seconds; 0 = not locked */
} store_operator;
int store_operator_add(store_t *st, const store_operator *op, const char *pin, zc_err *err) ZC_MUST;
int store_operator_get(store_t *st, const char *id, store_operator *out, zc_err *err) ZC_MUST;
int store_operator_list(store_t *st, store_operator *out, int cap, int *n, zc_err *err) ZC_MUST;
/* Checks a PIN at time now.  5 wrong PINs in a row lock the operator for
 * 5 minutes (ZC_ELOCKED, message says until when); wrong PIN is ZC_EREFUSED.
 * Every attempt is audited. */
int store_operator_login(store_t *st, const char *id, const char *pin, int64_t now,
                         store_operator *out, zc_err *err) ZC_MUST;
const char *store_role_name(store_role r);

/* ---- staff (staff.c): what an admin does with people, by CLI or kiosk.
 * actor is the operator doing it ("" = the command line); every change is
 * audited without the PIN.  New PINs follow the rules: zc_pin_policy with
 * store_staff_pin_min digits, and no two operators share a PIN. ---- */
#define STORE_PIN_MIN_CASHIER 4 /* default of meta pin_min_cashier (4..8) */
#define STORE_PIN_MIN_SUPERVISOR 6
/* The fewest digits role's PIN needs: cashiers meta pin_min_cashier (default
 * 4), supervisors and admins 6 or that, whichever is more. */
int store_staff_pin_min(store_t *st, store_role role);
/* Adds op (active) with pin.  An existing id is ZC_ECONFLICT. */
int store_staff_add(store_t *st, const char *actor, const store_operator *op, const char *pin,
                    zc_err *err) ZC_MUST;
/* A new PIN for id; also lifts a lock-out. */
int store_staff_set_pin(store_t *st, const char *actor, const char *id, const char *pin,
                        zc_err *err) ZC_MUST;
/* Switches id off (cannot sign in) or on.  The last active admin cannot be
 * switched off (ZC_EREFUSED): the terminal would have nobody to manage it. */
int store_staff_set_active(store_t *st, const char *actor, const char *id, bool active,
                           zc_err *err) ZC_MUST;
/* Lifts a lock-out after too many wrong PINs. */
int store_staff_unlock(store_t *st, const char *actor, const char *id, zc_err *err) ZC_MUST;

/* ---- sales ---- */
typedef enum store_pay { STORE_PAY_CASH = 0, STORE_PAY_MOBILE } store_pay;

typedef struct store_sale_req {
    const char *operator_id;
    const zc_elder *elder;    /* NULL: public price */
    const char *card_uid;     /* hex10 or NULL */
    const zc_cart *cart;
    int64_t at_utc;           /* epoch seconds of the sale */
    zc_datetime at;           /* the same moment, local */
    const char *period;       /* cashier override or NULL */
    store_pay pay;
    const char *pay_ref;      /* mobile payment reference or NULL */
    zc_fen tendered_fen;      /* cash handed over (0 = exact/unknown) */
    const zc_use *extra_uses; /* uses known from the centre (may be NULL) */
    int nextra;
} store_sale_req;

typedef struct store_sale_res {
    char id[ZC_UUID_LEN];      /* the sale's UUID */
    int64_t seq;               /* gap-free per terminal, from 1 */
    char hash[ZC_SHA256_HEX];  /* chain hash of this sale */
    zc_quote quote;            /* the quote committed (recomputed inside the transaction) */
} store_sale_res;

/* Commits a sale durably.  The quote is recomputed inside the write
 * transaction from the stored policy and usage, so two sales cannot both
 * take the last subsidised meal.  On any failure nothing is written;
 * ZC_EFULL for a full disk. */
int store_sale_commit(store_t *st, const store_sale_req *req, store_sale_res *res, zc_err *err) ZC_MUST;

/* Walks the chain from seq 1; ZC_OK when every hash and sequence number is right,
 * else ZC_ECONFLICT and err names the first bad sequence number.  *nsales
 * (required) gets the number of sales checked. */
int store_chain_verify(store_t *st, int64_t *nsales, zc_err *err) ZC_MUST;

/* Appends to the audit log (hash-chained). */
int store_audit(store_t *st, const char *operator_id, const char *action, const char *subject,
                const char *detail, zc_err *err) ZC_MUST;

/* ---- added by the store helper (after the first contract) ---- */

/* Voids a done sale in one transaction: marks it voided, audits it ("void")
 * and queues an outbox row of kind "void".  reason is required.  operator_id
 * must be an active supervisor or admin (ZC_EREFUSED for a cashier: voids
 * need a supervisor's approval).  The sale's subsidised uses stop counting,
 * so the meal goes back to the elder's allowance.  ZC_ENOTFOUND for an
 * unknown sale, ZC_ECONFLICT when it is already voided. */
int store_sale_void(store_t *st, const char *sale_id, const char *operator_id, const char *reason,
                    zc_err *err) ZC_MUST;
/* ---- after a restore from a backup (README "Backups and recovery") ----
 * store_restore sets meta restored_pending=1; while it is set and the
 * terminal has a server_url, store_sale_commit refuses (ZC_EREFUSED,
 * STORE_RESTORED_MSG): the next seq may already be the centre's.  The sync
 * round that takes back the centre's later sales clears it. */
#define STORE_RESTORED_MSG "restored from a backup: sync with the centre first to recover later sales"

/* A taken-back sale's void (voids held at the centre). */
typedef struct store_void_in {
    int64_t at_utc;
    const char *op;     /* borrowed */
    const char *reason; /* borrowed */
} store_void_in;

struct zc_sale_doc;
/* Appends a sale this terminal made and the centre holds, verbatim: d
 * hashes to hash (core/salecanon), is this terminal's, and continues the
 * local chain (seq = last + 1, prev = the last sale's hash).  Its outbox row
 * is marked sent; v (NULL: none) voids it, also sent.  Audited "recover".
 * ZC_EREFUSED naming what did not match, and nothing is written. */
int store_sale_adopt(store_t *st, const struct zc_sale_doc *d, const char *hash, const store_void_in *v,
                     zc_err *err) ZC_MUST;
/* The last sale's seq (0 when none). */
int store_sale_last_seq(store_t *st, int64_t *seq, zc_err *err) ZC_MUST;

/* Outbox rows (sales and voids) the centre has not acknowledged yet. */
int store_unsent_count(store_t *st, long *n) ZC_MUST;
/* Walks the audit log's hash chain from its first row; ZC_OK when intact,
 * else ZC_ECONFLICT and err names the first bad row.  *nrows (required)
 * gets the number of rows checked. */
int store_audit_verify(store_t *st, int64_t *nrows, zc_err *err) ZC_MUST;

/* SQLite's integrity check: ZC_OK, or ZC_EDB with its first complaint
 * (or "error") in why (n bytes). */
int store_integrity(store_t *st, char *why, size_t n) ZC_MUST;

/* ---- WAL checkpoints off the sale path ----
 * By default SQLite checkpoints inside whichever COMMIT crosses 1000 WAL
 * pages, which puts a stall on a random sale.  The kiosk turns that off for
 * its selling connection (pages = 0) and checkpoints when idle instead. */
int store_autocheckpoint(store_t *st, int pages, zc_err *err) ZC_MUST;
/* A PASSIVE checkpoint (never waits for readers or writers); *wal_pages, if
 * not NULL, gets the WAL size in pages before it. */
int store_checkpoint(store_t *st, int *wal_pages, zc_err *err) ZC_MUST;

/* ---- demo data ---- */
/* Fills a fresh database with a realistic canteen: menus, operators
 * (PINs in docs), the Beijing policy (json given), and n synthetic elders with
 * cards, deterministic from seed. */
int store_demo_fill(store_t *st, const char *policy_json, long n_elders, uint64_t seed,
                    zc_err *err) ZC_MUST;

#endif
