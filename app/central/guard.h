/* guard.h - an absolute deadline for each request on the centre's
 * connections, which a trickle of bytes cannot extend.
 *
 * libmicrohttpd's connection timeout restarts on every byte received, so a
 * client sending one byte every few seconds keeps a connection (and, before
 * the per-address limit, a file descriptor) forever.  The guard records when
 * each connection started waiting for its current request (when it was
 * accepted, then when its last reply completed) and a reaper thread shuts
 * down, once a second, every connection that has been at it longer than the
 * deadline: headers, body and idle time all count. */
#ifndef ZC_CENTRAL_GUARD_H
#define ZC_CENTRAL_GUARD_H

#include "../core/err.h"

typedef struct central_guard central_guard;
typedef struct central_guard_conn central_guard_conn;

/* Starts the reaper; deadline_s >= 1.  *out owned by the caller
 * (central_guard_free). */
int central_guard_new(int deadline_s, central_guard **out, zc_err *err) ZC_MUST;
/* Stops the reaper.  Call after every connection was closed.  NULL is fine. */
void central_guard_free(central_guard *g);

/* A connection on socket fd was accepted; returns its record (owned by the
 * guard until central_guard_closed), or NULL when out of memory (the
 * connection then runs unguarded by the deadline, still under the idle
 * timeout). */
central_guard_conn *central_guard_opened(central_guard *g, int fd);
/* Its reply was sent: the next request's deadline starts now.  NULL is fine. */
void central_guard_rearm(central_guard *g, central_guard_conn *c);
/* It is being closed (before its socket is): forgets and frees c.  NULL is fine. */
void central_guard_closed(central_guard *g, central_guard_conn *c);

#endif
