/* wire.h - the JSON of sync protocol v1 (docs/sync-protocol.md) to and
 * from plain structs, strictly: wrong types, missing or unknown members and
 * values out of range are refused with a message that starts with the
 * member's path, e.g. "sales[3].lines[0].qty: must be 1..999".
 *
 * Only the shapes are checked here; whether a sale's hash and money add up
 * is ingest.c's business (those refuse one sale, not the request). */
#ifndef ZC_CENTRAL_WIRE_H
#define ZC_CENTRAL_WIRE_H

#include <stddef.h>

#include "../core/salecanon.h"
#include "cstore.h"

struct cJSON;

#define CENTRAL_BATCH_MAX 500 /* sales (and voids) per request */
#define CENTRAL_JSON_DEPTH 8  /* deepest nesting of [ and { accepted */
#define CENTRAL_QTY_MAX 999

/* Parses a request body: refuses nesting deeper than CENTRAL_JSON_DEPTH
 * before parsing, then anything that is not one JSON object.  *out is owned
 * by the caller (cJSON_Delete). */
int central_wire_parse(const char *body, size_t len, struct cJSON **out, zc_err *err) ZC_MUST;

/* The push body {"sales":[...], "voids":[...]}: *sales is the array (may be
 * empty), *voids the array or NULL when absent.  Both borrowed from root. */
int central_wire_batch(const struct cJSON *root, const struct cJSON **sales,
                       const struct cJSON **voids, zc_err *err) ZC_MUST;
/* One SALE object at path (e.g. "sales[3]") into d; hash = its "hash". */
int central_wire_sale(const struct cJSON *o, const char *path, zc_sale_doc *d,
                      char hash[ZC_SHA256_HEX], zc_err *err) ZC_MUST;
/* One VOID object at path. */
int central_wire_void(const struct cJSON *o, const char *path, central_void *v, zc_err *err) ZC_MUST;
/* The closing body. */
int central_wire_closing(const struct cJSON *root, central_closing *c, zc_err *err) ZC_MUST;

/* A SALE object for d with its hash (for clients and tests).  Owned by the
 * caller (cJSON_Delete); NULL when out of memory. */
struct cJSON *central_wire_sale_json(const zc_sale_doc *d, const char *hash);

/* True for a lower-case UUID "xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx". */
bool central_wire_uuid_ok(const char *s);

#endif
