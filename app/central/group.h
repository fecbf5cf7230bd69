/* group.h - group commit for the centre's writes.
 *
 * Terminals push a sale at a time, so under load most of a request's cost
 * at the database is its own transaction: taking the write lock (SQLite
 * lets one writer in and puts the others to sleep for milliseconds) and
 * the fsync of the commit.  A group lets the requests that arrive while a
 * transaction runs share the next one: the first waiting request leads,
 * running every queued request's writes on the group's writer connection,
 * each in a savepoint (one request's failure undoes only its own writes; a
 * request alone in its group needs none), then commits once and wakes the
 * others.  Only that connection writes sales, so its page cache stays
 * valid from one transaction to the next (SQLite empties a connection's
 * cache whenever another one has written).  A request returns only after
 * the transaction holding its writes committed, so a reply built from it
 * is durable. */
#ifndef ZC_CENTRAL_GROUP_H
#define ZC_CENTRAL_GROUP_H

#include "cstore.h"

typedef struct central_group central_group;

/* One request's writes, run inside the shared transaction on st (the
 * leader's connection).  A failure undoes them (and only them). */
typedef int (*central_group_fn)(central_store *st, void *arg, zc_err *err);

/* writer: borrowed, used only by the group's leaders while the group
 * lives.  *out owned by the caller (central_group_free). */
int central_group_new(central_store *writer, central_group **out, zc_err *err) ZC_MUST;
void central_group_free(central_group *g); /* NULL is fine; no request may be waiting */

/* Runs fn(writer, arg) in a write transaction shared with other callers
 * and returns once that transaction committed: ZC_OK, or fn's failure (its
 * writes undone), or the commit's (nothing of the group stored).  g NULL:
 * fn(st, arg) in a transaction of its own. */
int central_group_run(central_group *g, central_store *st, central_group_fn fn, void *arg,
                      zc_err *err) ZC_MUST;

#endif
