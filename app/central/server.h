/* server.h - the central service's HTTP(S) server (libmicrohttpd).
 *
 * Threads and connections: libmicrohttpd runs its own listening thread
 * and a pool of `threads` worker threads; the server opens the same number
 * of SQLite connections and lends one to a request for as long as its
 * handler runs (a mutex-guarded free list), so no connection is ever used by
 * two threads at once and no request waits for a connection that a slow
 * client holds; readers run in parallel under WAL.  Batches of sales are
 * written on one more connection with group commit (group.h). */
#ifndef ZC_CENTRAL_SERVER_H
#define ZC_CENTRAL_SERVER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "../core/err.h"

typedef struct central_server central_server;

#define CENTRAL_BODY_MAX ((size_t)4 << 20) /* request bodies: 4 MiB */

typedef struct central_server_cfg {
    const char *db_path;  /* an existing database (zhucan-central init) */
    const char *listen;   /* "127.0.0.1:PORT", "localhost:PORT", "[::1]:PORT"; PORT 0 = any free
                             port; plain HTTP outside the loopback only with insecure_http */
    const char *tls_cert; /* PEM certificate chain file, or NULL for plain HTTP */
    const char *tls_key;  /* PEM private key file (both or neither), mode 0600 or stricter */
    const char *trusted_proxies; /* "ADDR[,ADDR...]" whose X-Forwarded-* we believe, or NULL */
    int threads;          /* worker threads = reading connections; 0 = 48 */
    size_t max_body;      /* 0 = CENTRAL_BODY_MAX */
    int claim_day;        /* the admin page shows last month before this day of the month; 0 = 10 */
    FILE *log;            /* one line per request, or NULL */
    int per_ip;           /* connections one address may hold at once; 0 = 32 */
    int deadline_s;       /* seconds a request may take, idle time before it included; 0 = 120 */
    bool insecure_http;   /* allow plain HTTP on an address outside 127.0.0.0/8 */
} central_server_cfg;

/* Opens the connections and starts listening.  *out owned by the caller
 * (central_server_stop).  err names what failed: the address, a TLS file,
 * the database. */
int central_server_start(const central_server_cfg *cfg, central_server **out, zc_err *err) ZC_MUST;
/* Reads the TLS certificate and key files again and serves new connections
 * with them without dropping any: connections under way finish on the old
 * certificate (this waits for them, at most about 35 s).  A file that does
 * not read or a key that does not fit leaves the old certificate in use
 * (an error saying why, *stopped false).  *stopped true: the server could
 * not listen again and accepts nothing more; stop and restart it.  Call
 * from the thread that started the server, not at the same time as
 * central_server_stop. */
int central_server_reload(central_server *s, bool *stopped, zc_err *err) ZC_MUST;
/* The port actually listened on (useful with PORT 0). */
int central_server_port(const central_server *s);
/* Stops accepting, lets running requests finish, closes everything.
 * NULL is fine. */
void central_server_stop(central_server *s);

#endif
