/* wire.h - the JSON of sync protocol v1 (docs/sync-protocol.md) to and
 * from plain structs, strictly: wrong types, missing or unknown members and
 * values out of range are refused with a message that starts with the
 * member's path, e.g. "sales[3].lines[0].qty: must be 1..999".
 *
 * Both ends read the same shapes: the centre its push and closing bodies,
 * the terminal the sales it takes back after a restore.  Only the shapes are
 * checked here; whether a sale's hash and money add up is the reader's
 * business (the centre refuses one sale for that, not the request). */
#ifndef ZC_CORE_WIRE_H
#define ZC_CORE_WIRE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "err.h"
#include "model.h"
#include "salecanon.h"

struct cJSON;

#define ZC_WIRE_BATCH_MAX 500   /* sales (and voids) per request */
#define ZC_WIRE_JSON_DEPTH 8    /* deepest nesting of [ and { accepted */
#define ZC_WIRE_QTY_MAX 999
#define ZC_WIRE_REASON_MAX 2000 /* longest void reason (bytes) */
#define ZC_WIRE_SOURCES_MAX 16  /* by_source entries in a closing */

/* A VOID object: the void of one sale. */
typedef struct zc_wire_void {
    char sale_id[ZC_ID_MAX];
    int64_t at_utc;
    char op[ZC_ID_MAX];
    char reason[ZC_WIRE_REASON_MAX + 1];
} zc_wire_void;

/* The closing body: one terminal's day totals. */
typedef struct zc_wire_closing {
    char date[16];
    int64_t count;
    zc_fen gross, subsidy, pay;
    char by_source[ZC_WIRE_SOURCES_MAX * (ZC_CODE_MAX + 40) + 4]; /* JSON array text */
    int64_t last_seq;
    char chain_head[ZC_SHA256_HEX];
} zc_wire_closing;

/* Parses a request body: refuses nesting deeper than ZC_WIRE_JSON_DEPTH
 * before parsing, then anything that is not one JSON object.  *out is owned
 * by the caller (cJSON_Delete). */
int zc_wire_parse(const char *body, size_t len, struct cJSON **out, zc_err *err) ZC_MUST;

/* The push body {"sales":[...], "voids":[...]}: *sales is the array (may be
 * empty), *voids the array or NULL when absent.  Both borrowed from root. */
int zc_wire_batch(const struct cJSON *root, const struct cJSON **sales,
                  const struct cJSON **voids, zc_err *err) ZC_MUST;
/* One SALE object at path (e.g. "sales[3]") into d; hash = its "hash". */
int zc_wire_sale(const struct cJSON *o, const char *path, zc_sale_doc *d,
                 char hash[ZC_SHA256_HEX], zc_err *err) ZC_MUST;
/* One VOID object at path. */
int zc_wire_void_read(const struct cJSON *o, const char *path, zc_wire_void *v, zc_err *err) ZC_MUST;
/* The closing body. */
int zc_wire_closing_read(const struct cJSON *root, zc_wire_closing *c, zc_err *err) ZC_MUST;

/* A SALE object for d with its hash.  Owned by the caller (cJSON_Delete);
 * NULL when out of memory. */
struct cJSON *zc_wire_sale_json(const zc_sale_doc *d, const char *hash);
/* A VOID object for v.  Owned by the caller (cJSON_Delete); NULL when out of
 * memory. */
struct cJSON *zc_wire_void_json(const zc_wire_void *v);

/* True for a lower-case UUID "xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx". */
bool zc_wire_uuid_ok(const char *s);

#endif
