/* ingest.h - taking in a terminal's batch of sales and voids exactly once,
 * and re-checking every sale with the core engine (docs/sync-protocol.md,
 * "POST /api/v1/sales").  Backend-agnostic: it speaks only cstore.h. */
#ifndef ZC_CENTRAL_INGEST_H
#define ZC_CENTRAL_INGEST_H

#include <stdint.h>

#include "cstore.h"
#include "group.h"

struct cJSON;

/* Validates the whole batch (ZC_EINVAL: err holds "<field path>: problem",
 * nothing stored), then stores it in a transaction (shared with other
 * requests through g; g NULL: its own) with a savepoint per sale and adds
 * "results", "void_results" and "server_time" to reply once that
 * transaction committed.  Returns ZC_ELOCKED / ZC_EFULL / ZC_EDB /
 * ZC_ENOMEM when the database could not take it (nothing stored).  t is
 * the authenticated terminal. */
int central_ingest_batch(central_store *st, central_group *g, const central_terminal *t,
                         const struct cJSON *root, int64_t now, struct cJSON *reply,
                         zc_err *err) ZC_MUST;

/* Prices a held sale again with zc_quote_compute (the policy version it
 * names, the elder from the roster, its canteen, and the elder's uses from
 * held, non-voided sales earlier than it) and flags it when its subsidy
 * differs (kind subsidy_mismatch or double_use), or when it cannot be
 * checked (policy_unknown, elder_unknown, requote_failed).  Fails only for
 * database errors. */
int central_requote(central_store *st, const zc_sale_doc *d, int64_t now, zc_err *err) ZC_MUST;

/* The window of uses that matter on date d: from the Monday of its week or
 * the 1st of its month, whichever is earlier. */
zc_date central_usage_from(zc_date d);

#endif
