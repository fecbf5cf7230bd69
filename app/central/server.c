/* server.c - HTTP(S) for the centre with libmicrohttpd (server.h).
 *
 * A request goes through the access handler several times:
 *   1st call  route it (404/405), authenticate the terminal (401), refuse a
 *             Content-Length above the bound (413) -- all before any body
 *             byte is read, so a stranger cannot make us buffer anything;
 *   next      body chunks, appended to a buffer that never grows past the
 *             bound.  A body past the bound is read and dropped up to
 *             DRAIN_FACTOR times the bound and then answered 413: answering
 *             while the client still sends makes the kernel reset the
 *             connection, and the client sees the reset, not the 413.  A
 *             body longer than that (announced or chunked) gets the
 *             connection closed;
 *   last      the handler runs with a pooled database connection.
 * Tokens are compared as SHA-256 hex in constant time (sodium_memcmp).
 *
 * Limits against a client that opens many connections or sends slowly:
 * connections per address (PER_IP_DEFAULT), connections in all (what the
 * descriptor limit leaves after FD_RESERVE for the database and logs), an
 * idle timeout, and an absolute deadline per request (guard.h), so neither
 * many nor slow connections from one address keep others out.
 *
 * Stopping: stop accepting, wait (at most STOP_WAIT_S) until every request
 * under way has sent its reply, then stop the threads.  A batch of sales
 * whose reply could not be sent is still committed or not as a whole, and
 * sending it again gives "duplicate". */
#include "../core/clock.h"
#include "server.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <pthread.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "admin.h"
#include "api.h"
#include "cstore.h"
#include "listen.h"
#include "proxy.h"
#include "guard.h"

#define DEFAULT_THREADS 48 /* a request waiting for its group holds its thread: with fewer
                              threads than terminals pushing at once, groups stay small */
#define WRITER_CACHE_MIB 32
#define MAX_THREADS 64
#define TOKEN_MAX 128
#define PEM_MAX (1 << 20)
#define CONN_TIMEOUT_S 30
#define DEADLINE_DEFAULT_S 120 /* a batch of 500 sales is ~0.5 MB: 40 s at 100 kbit/s */
#define PER_IP_DEFAULT 32      /* a canteen's terminals behind one address, with room */
#define CONN_MAX 16384         /* connections in all, at most */
#define FD_RESERVE 256         /* descriptors kept for the database connections and logs */
#define DRAIN_FACTOR 2         /* bodies up to this times the bound are read to answer 413 */
#define STOP_WAIT_S 10
#define RELOAD_DRAIN_S (CONN_TIMEOUT_S + 5) /* an idle keep-alive connection closes by then */

struct central_server {
    struct MHD_Daemon *d;
    central_store **conn;   /* all connections (owned) */
    central_store **free_;  /* the ones not lent out */
    int nconn, nfree;
    pthread_mutex_t mu;
    pthread_cond_t cv;      /* a connection came back to the pool */
    pthread_cond_t idle;    /* a request completed */
    char *cert, *key;       /* PEM text kept alive for libmicrohttpd */
    char *cert_path, *key_path; /* the TLS files, read again on reload (owned) */
    bool tls;               /* serving HTTPS (cert may be swapped by a reload; this not) */
    struct sockaddr_storage sa; /* --listen */
    unsigned flags, threads; /* the daemon's, to start another like it on reload */
    unsigned per_ip, conn_limit; /* connections one address, and all, may hold */
    size_t max_body;
    int claim_day;          /* for the admin page's default month */
    FILE *log;
    central_proxies proxies; /* --trusted-proxy: their X-Forwarded-* are believed */
    int port;
    int inflight;           /* requests between their first call and completion (mu) */
    central_group *group;   /* batches of sales share transactions (group.h) ... */
    central_store *writer;  /* ... on this connection (owned) */
    central_guard *guard;   /* per-request deadlines (owned) */
};

/* Per-request state, freed by on_completed. */
typedef struct req {
    int route;
    bool needs_body;
    bool too_big;
    central_terminal term;
    bool authed;
    bool admin;             /* the operators' page (admin.c) */
    size_t admin_max;       /* its body bound (central_admin_body_max) */
    char *body;
    size_t len, cap;
    size_t seen;            /* body bytes received, kept or dropped */
    struct timespec t0;
} req;

/* ---- the connection pool ---- */

static central_store *pool_get(central_server *s)
{
    pthread_mutex_lock(&s->mu);
    while (s->nfree == 0)
        pthread_cond_wait(&s->cv, &s->mu);
    central_store *st = s->free_[--s->nfree];
    pthread_mutex_unlock(&s->mu);
    return st;
}

static void pool_put(central_server *s, central_store *st)
{
    pthread_mutex_lock(&s->mu);
    s->free_[s->nfree++] = st;
    pthread_cond_signal(&s->cv);
    pthread_mutex_unlock(&s->mu);
}

/* ---- behind a proxy (proxy.h) ---- */

static const struct sockaddr *peer_of(struct MHD_Connection *c)
{
    const union MHD_ConnectionInfo *ci = MHD_get_connection_info(c, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
    return ci ? ci->client_addr : NULL;
}

/* The client spoke HTTPS: to us, or to a trusted proxy that says so. */
static bool client_tls(central_server *s, struct MHD_Connection *c)
{
    return s->tls ||
           (central_proxies_trust(&s->proxies, peer_of(c)) &&
            central_proxy_https(MHD_lookup_connection_value(c, MHD_HEADER_KIND, "X-Forwarded-Proto")));
}

/* The client's address for the log: a trusted proxy's X-Forwarded-For, or
 * the peer's own. */
static void client_addr(central_server *s, struct MHD_Connection *c, char *out, size_t n)
{
    const struct sockaddr *peer = peer_of(c);
    if (!central_proxies_trust(&s->proxies, peer) ||
        !central_proxy_client(MHD_lookup_connection_value(c, MHD_HEADER_KIND, "X-Forwarded-For"),
                              out, n))
        central_proxy_addr_text(peer, out, n);
}

/* ---- replies ---- */

static enum MHD_Result send_response(struct MHD_Connection *c, req *r, central_response *rs,
                                     central_server *s, const char *method, const char *url)
{
    struct MHD_Response *resp = MHD_create_response_from_buffer(rs->len, rs->body,
                                                                MHD_RESPMEM_MUST_FREE);
    if (!resp) {
        free(rs->body);
        return MHD_NO;
    }
    MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_TYPE, "application/json");
    MHD_add_response_header(resp, MHD_HTTP_HEADER_CACHE_CONTROL, "no-store");
    enum MHD_Result ok = MHD_queue_response(c, (unsigned)rs->status, resp);
    MHD_destroy_response(resp);
    if (s->log) {
        struct timespec t1;
        char from[CENTRAL_ADDR_TEXT];
        clock_gettime(CLOCK_MONOTONIC, &t1);
        client_addr(s, c, from, sizeof from);
        long ms = (long)((t1.tv_sec - r->t0.tv_sec) * 1000 + (t1.tv_nsec - r->t0.tv_nsec) / 1000000);
        fprintf(s->log, "%s %s %s -> %d (%zu bytes in, %ld ms) from %s\n", method, url,
                r->authed ? r->term.id : "-", rs->status, r->len, ms, from);
        fflush(s->log);
    }
    return ok;
}

static enum MHD_Result refuse(struct MHD_Connection *c, req *r, central_server *s, int status,
                              const char *msg, const char *method, const char *url)
{
    central_response rs;
    central_api_error(&rs, status, msg);
    return send_response(c, r, &rs, s, method, url);
}

/* ---- authentication ---- */

/* Checks X-Zhucan-Terminal and Authorization: Bearer; fills r->term. */
static bool authenticate(central_server *s, struct MHD_Connection *c, req *r, const char **why)
{
    const char *id = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "X-Zhucan-Terminal");
    const char *auth = MHD_lookup_connection_value(c, MHD_HEADER_KIND, MHD_HTTP_HEADER_AUTHORIZATION);
    char hash[ZC_SHA256_HEX];
    *why = "missing X-Zhucan-Terminal or Authorization: Bearer header";
    if (!id || !*id || strlen(id) >= ZC_ID_MAX || !auth || strncasecmp(auth, "Bearer ", 7) != 0)
        return false;
    const char *token = auth + 7;
    while (*token == ' ')
        token++;
    *why = "the token is not valid for this terminal";
    size_t n = strlen(token);
    if (n == 0 || n > TOKEN_MAX)
        return false;
    zc_sha256_hex(token, n, hash);
    central_store *st = pool_get(s);
    int ret = central_store_terminal_get(st, id, &r->term, NULL);
    pool_put(s, st);
    if (ret == ZC_OK && sodium_memcmp(hash, r->term.token_hash, ZC_SHA256_HEX - 1) == 0) {
        r->authed = true;
        return true;
    }
    if (ret != ZC_OK && ret != ZC_ENOTFOUND)
        *why = "the centre's database is not answering; try again later";
    return false;
}

/* ---- the access handler ---- */

static const char *query_arg(void *ctx, const char *name)
{
    return MHD_lookup_connection_value((struct MHD_Connection *)ctx, MHD_GET_ARGUMENT_KIND, name);
}

/* ---- the operators' page: admin.c answers, with its own headers ---- */

static const char *admin_header(void *ctx, const char *name)
{
    return MHD_lookup_connection_value((struct MHD_Connection *)ctx, MHD_HEADER_KIND, name);
}

static const char *admin_cookie(void *ctx, const char *name)
{
    return MHD_lookup_connection_value((struct MHD_Connection *)ctx, MHD_COOKIE_KIND, name);
}

/* The client's address as text into out ("" when unknown). */
static void peer_text(struct MHD_Connection *c, char *out, size_t n)
{
    const union MHD_ConnectionInfo *ci = MHD_get_connection_info(c, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
    const struct sockaddr *sa = ci ? ci->client_addr : NULL;
    out[0] = '\0';
    if (sa && sa->sa_family == AF_INET)
        inet_ntop(AF_INET, &((const struct sockaddr_in *)(const void *)sa)->sin_addr, out, (socklen_t)n);
    else if (sa && sa->sa_family == AF_INET6)
        inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)(const void *)sa)->sin6_addr, out,
                  (socklen_t)n);
}

static enum MHD_Result serve_admin(central_server *s, struct MHD_Connection *c, req *r,
                                   const char *method, const char *url)
{
    central_admin_response rs;
    char peer[INET6_ADDRSTRLEN];
    peer_text(c, peer, sizeof peer);
    if (r->too_big) {
        central_admin_too_big(&rs);
    } else {
        central_admin_request rq = {
            .method = method, .path = url, .header = admin_header, .cookie = admin_cookie,
            .arg = query_arg, .ctx = c, .body = r->body, .len = r->len, .tls = client_tls(s, c),
            .now = zc_now(), .claim_day = s->claim_day, .peer = peer,
        };
        central_store *st = pool_get(s);
        central_admin_handle(st, &rq, &rs);
        pool_put(s, st);
    }
    struct MHD_Response *resp = MHD_create_response_from_buffer(rs.len, rs.body,
                                                                MHD_RESPMEM_MUST_FREE);
    if (!resp) {
        free(rs.body);
        return MHD_NO;
    }
    for (int i = 0; i < rs.nheaders; i++)
        MHD_add_response_header(resp, rs.headers[i].name, rs.headers[i].value);
    enum MHD_Result ok = MHD_queue_response(c, (unsigned)rs.status, resp);
    MHD_destroy_response(resp);
    if (s->log) {
        char from[CENTRAL_ADDR_TEXT];
        client_addr(s, c, from, sizeof from);
        fprintf(s->log, "%s %s admin:%s -> %d (%zu bytes in) from %s\n", method, url,
                rs.who[0] ? rs.who : "-", rs.status, r->len, from);
        fflush(s->log);
    }
    return ok;
}

/* First call: route, authenticate, check the announced size. */
static enum MHD_Result first_call(central_server *s, struct MHD_Connection *c, req *r,
                                  const char *method, const char *url)
{
    bool auth = false;
    const char *why;
    char msg[200];
    if (central_admin_path(url)) { /* no terminal auth there; a small body bound */
        const char *len = MHD_lookup_connection_value(c, MHD_HEADER_KIND,
                                                      MHD_HTTP_HEADER_CONTENT_LENGTH);
        char *end = NULL;
        errno = 0;
        unsigned long long n = len ? strtoull(len, &end, 10) : 0;
        r->admin = r->needs_body = true;
        r->admin_max = central_admin_body_max(url);
        r->too_big = len && (errno || end == len || *end || n > r->admin_max);
        return r->too_big ? serve_admin(s, c, r, method, url) : MHD_YES;
    }
    r->route = central_api_route(method, url, &auth, &r->needs_body);
    if (r->route == API_NOT_FOUND) {
        snprintf(msg, sizeof msg, "no such endpoint: %.100s (see docs/sync-protocol.md)", url);
        return refuse(c, r, s, 404, msg, method, url);
    }
    if (r->route == API_BAD_METHOD) {
        snprintf(msg, sizeof msg, "%.10s is not allowed on %.100s", method, url);
        return refuse(c, r, s, 405, msg, method, url);
    }
    if (auth && !authenticate(s, c, r, &why))
        return refuse(c, r, s, strstr(why, "database") ? 503 : 401, why, method, url);
    const char *cl = MHD_lookup_connection_value(c, MHD_HEADER_KIND, MHD_HTTP_HEADER_CONTENT_LENGTH);
    if (cl) {
        char *end = NULL;
        errno = 0;
        unsigned long long n = strtoull(cl, &end, 10);
        if (errno || end == cl || *end || n > s->max_body * DRAIN_FACTOR) {
            snprintf(msg, sizeof msg, "the request body is larger than %zu bytes; send smaller "
                     "batches", s->max_body);
            return refuse(c, r, s, 413, msg, method, url);
        }
        r->too_big = n > s->max_body; /* read and dropped, then answered 413 */
    }
    return MHD_YES;
}

/* Appends a body chunk within the bound, or drops it past the bound.
 * Returns false when the body passed the drain bound: close. */
static bool take_chunk(central_server *s, req *r, const char *data, size_t n)
{
    size_t bound = r->admin ? r->admin_max : s->max_body;
    r->seen += n;
    if (r->seen > bound * DRAIN_FACTOR)
        return false;
    if (r->too_big || !r->needs_body)
        return true;
    if (r->len + n > bound) {
        r->too_big = true;
        return true;
    }
    if (r->len + n + 1 > r->cap) {
        size_t cap = r->cap ? r->cap : 16384;
        while (cap < r->len + n + 1)
            cap *= 2;
        char *p = realloc(r->body, cap);
        if (!p) {
            r->too_big = true; /* answered 413: the client sends smaller batches */
            return true;
        }
        r->body = p;
        r->cap = cap;
    }
    memcpy(r->body + r->len, data, n);
    r->len += n;
    r->body[r->len] = '\0';
    return true;
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *c, const char *url,
                                  const char *method, const char *version, const char *upload,
                                  size_t *upload_size, void **req_cls)
{
    central_server *s = cls;
    req *r = *req_cls;
    (void)version;
    if (!r) {
        if (!(r = calloc(1, sizeof *r)))
            return MHD_NO;
        clock_gettime(CLOCK_MONOTONIC, &r->t0);
        *req_cls = r;
        pthread_mutex_lock(&s->mu);
        s->inflight++;
        pthread_mutex_unlock(&s->mu);
        return first_call(s, c, r, method, url);
    }
    if (*upload_size) {
        bool more = take_chunk(s, r, upload, *upload_size);
        *upload_size = 0;
        return more ? MHD_YES : MHD_NO; /* past the drain bound: close (see the top) */
    }
    if (r->admin)
        return serve_admin(s, c, r, method, url);
    if (r->too_big) {
        char msg[120];
        snprintf(msg, sizeof msg, "the request body is larger than %zu bytes; send smaller batches",
                 s->max_body);
        return refuse(c, r, s, 413, msg, method, url);
    }
    central_request rq = {
        .route = r->route, .terminal = r->authed ? &r->term : NULL, .body = r->body, .len = r->len,
        .arg = query_arg, .arg_ctx = c, .now = zc_now(), .group = s->group,
    };
    central_response rs;
    central_store *st = r->route == API_HEALTH ? NULL : pool_get(s);
    central_api_handle(st, &rq, &rs);
    if (st)
        pool_put(s, st);
    return send_response(c, r, &rs, s, method, url);
}

static void on_completed(void *cls, struct MHD_Connection *c, void **req_cls,
                         enum MHD_RequestTerminationCode toe)
{
    central_server *s = cls;
    req *r = *req_cls;
    (void)toe;
    const union MHD_ConnectionInfo *ci = MHD_get_connection_info(c,
                                                                 MHD_CONNECTION_INFO_SOCKET_CONTEXT);
    central_guard_rearm(s->guard, ci ? ci->socket_context : NULL);
    if (r) {
        pthread_mutex_lock(&s->mu);
        s->inflight--;
        pthread_cond_broadcast(&s->idle);
        pthread_mutex_unlock(&s->mu);
        free(r->body);
        free(r);
        *req_cls = NULL;
    }
}

/* A connection opens or closes: the guard keeps its deadline. */
static void on_connection(void *cls, struct MHD_Connection *c, void **socket_ctx,
                          enum MHD_ConnectionNotificationCode code)
{
    central_server *s = cls;
    if (code == MHD_CONNECTION_NOTIFY_STARTED) {
        const union MHD_ConnectionInfo *ci = MHD_get_connection_info(c,
                                                                     MHD_CONNECTION_INFO_CONNECTION_FD);
        *socket_ctx = ci ? central_guard_opened(s->guard, ci->connect_fd) : NULL;
    } else {
        central_guard_closed(s->guard, *socket_ctx);
        *socket_ctx = NULL;
    }
}

/* Connections in all: what the descriptor limit (raised to its hard limit)
 * leaves after FD_RESERVE, at most CONN_MAX. */
static unsigned conn_limit(void)
{
    struct rlimit rl;
    if (getrlimit(RLIMIT_NOFILE, &rl) != 0)
        return 1024 - FD_RESERVE;
    if (rl.rlim_cur < rl.rlim_max) {
        rlim_t want = rl.rlim_max == RLIM_INFINITY ? CONN_MAX + FD_RESERVE : rl.rlim_max;
        struct rlimit up = {want, rl.rlim_max};
        if (setrlimit(RLIMIT_NOFILE, &up) == 0)
            rl.rlim_cur = want;
    }
    if (rl.rlim_cur == RLIM_INFINITY || rl.rlim_cur > CONN_MAX + FD_RESERVE)
        return CONN_MAX;
    return rl.rlim_cur > 2 * FD_RESERVE ? (unsigned)(rl.rlim_cur - FD_RESERVE) : FD_RESERVE;
}

/* ---- start and stop ---- */

/* Reads a PEM file (at most PEM_MAX bytes) into *out (owned, NUL-terminated).
 * secret: refuse a file that the group or others may read. */
static int read_pem(const char *path, const char *what, bool secret, char **out, zc_err *err)
{
    FILE *f = fopen(path, "rb");
    char *buf = NULL;
    size_t n = 0;
    int ret = ZC_OK;
    struct stat sb;
    *out = NULL;
    if (!f)
        return zc_errf(err, ZC_EIO, "cannot read the TLS %s %s: %s", what, path, strerror(errno));
    if (secret && (fstat(fileno(f), &sb) != 0 || (sb.st_mode & 077))) {
        ret = zc_errf(err, ZC_EREFUSED, "the TLS %s %s may be read by other users (mode %03o); "
                      "make it readable by the centre's user only: chmod 600 %s", what, path,
                      (unsigned)(sb.st_mode & 0777), path);
        goto out;
    }
    if (!(buf = malloc(PEM_MAX + 1))) {
        ret = zc_errf(err, ZC_ENOMEM, "out of memory reading %s", path);
        goto out;
    }
    n = fread(buf, 1, PEM_MAX + 1, f);
    if (ferror(f) || n == 0 || n > PEM_MAX || !strstr(buf, "-----BEGIN")) {
        buf[n > PEM_MAX ? PEM_MAX : n] = '\0';
        ret = zc_errf(err, ZC_EINVAL, "the TLS %s %s is not a PEM file (or is larger than 1 MiB)",
                      what, path);
        goto out;
    }
    buf[n] = '\0';
    *out = buf;
    buf = NULL;
out:
    free(buf);
    fclose(f);
    return ret;
}

/* A libmicrohttpd daemon for s serving the PEM texts cert and key (NULL:
 * plain HTTP), on the listening socket fd when it is valid (a reload takes
 * over its predecessor's socket), else bound to s->sa.  NULL on failure
 * (errno may say why). */
static struct MHD_Daemon *start_daemon(central_server *s, MHD_socket fd, const char *cert,
                                       const char *key)
{
    struct MHD_OptionItem o[12];
    int n = 0;
    o[n++] = (struct MHD_OptionItem){MHD_OPTION_THREAD_POOL_SIZE, s->threads, NULL};
    o[n++] = (struct MHD_OptionItem){MHD_OPTION_CONNECTION_TIMEOUT, CONN_TIMEOUT_S, NULL};
    o[n++] = (struct MHD_OptionItem){MHD_OPTION_NOTIFY_COMPLETED, (intptr_t)on_completed, s};
    o[n++] = (struct MHD_OptionItem){MHD_OPTION_NOTIFY_CONNECTION, (intptr_t)on_connection, s};
    o[n++] = (struct MHD_OptionItem){MHD_OPTION_PER_IP_CONNECTION_LIMIT, s->per_ip, NULL};
    o[n++] = (struct MHD_OptionItem){MHD_OPTION_CONNECTION_LIMIT, s->conn_limit, NULL};
    if (fd != MHD_INVALID_SOCKET)
        o[n++] = (struct MHD_OptionItem){MHD_OPTION_LISTEN_SOCKET, fd, NULL};
    else
        o[n++] = (struct MHD_OptionItem){MHD_OPTION_SOCK_ADDR, 0, &s->sa};
    if (cert) {
        o[n++] = (struct MHD_OptionItem){MHD_OPTION_HTTPS_MEM_CERT, 0, (void *)(uintptr_t)cert};
        o[n++] = (struct MHD_OptionItem){MHD_OPTION_HTTPS_MEM_KEY, 0, (void *)(uintptr_t)key};
    }
    o[n] = (struct MHD_OptionItem){MHD_OPTION_END, 0, NULL};
    return MHD_start_daemon(s->flags, 0, NULL, NULL, on_request, s, MHD_OPTION_ARRAY, o,
                            MHD_OPTION_END);
}

int central_server_start(const central_server_cfg *cfg, central_server **out, zc_err *err)
{
    struct sockaddr_storage sa;
    central_server *s = NULL;
    int ret;
    *out = NULL;
    if ((ret = central_listen_parse(cfg->listen, &sa, err)))
        return ret;
    if (!cfg->tls_cert != !cfg->tls_key)
        return zc_errf(err, ZC_EINVAL, "--tls-cert and --tls-key go together: give both or neither");
    if (!cfg->tls_cert && !cfg->insecure_http && !central_listen_loopback(&sa))
        return zc_errf(err, ZC_EREFUSED, "plain HTTP on %s would send tokens and sales in clear "
                       "over the network: give --tls-cert and --tls-key, or --insecure-http when a "
                       "TLS proxy on this host is the only way in (see docs/central.md)",
                       cfg->listen);
    if (cfg->tls_cert && MHD_is_feature_supported(MHD_FEATURE_TLS) != MHD_YES)
        return zc_errf(err, ZC_EINVAL, "this libmicrohttpd was built without TLS");
    int threads = cfg->threads > 0 ? cfg->threads : DEFAULT_THREADS;
    if (threads > MAX_THREADS)
        return zc_errf(err, ZC_EINVAL, "--threads must be 1 to %d", MAX_THREADS);
    central_proxies proxies;
    if ((ret = central_proxies_parse(cfg->trusted_proxies, &proxies, err)))
        return ret;
    if (!(s = calloc(1, sizeof *s)))
        return zc_errf(err, ZC_ENOMEM, "out of memory starting the server");
    pthread_mutex_init(&s->mu, NULL);
    pthread_cond_init(&s->cv, NULL);
    pthread_cond_init(&s->idle, NULL);
    s->proxies = proxies;
    s->max_body = cfg->max_body ? cfg->max_body : CENTRAL_BODY_MAX;
    s->claim_day = cfg->claim_day;
    s->log = cfg->log;
    if ((ret = central_guard_new(cfg->deadline_s > 0 ? cfg->deadline_s : DEADLINE_DEFAULT_S,
                                 &s->guard, err)) ||
        (ret = central_store_open(cfg->db_path, 0, &s->writer, err)) ||
        (ret = central_store_cache(s->writer, WRITER_CACHE_MIB, err)) ||
        (ret = central_group_new(s->writer, &s->group, err)))
        goto out;
    s->conn = calloc((size_t)threads, sizeof *s->conn);
    s->free_ = calloc((size_t)threads, sizeof *s->free_);
    if (!s->conn || !s->free_) {
        ret = zc_errf(err, ZC_ENOMEM, "out of memory starting the server");
        goto out;
    }
    for (; s->nconn < threads; s->nconn++) {
        if ((ret = central_store_open(cfg->db_path, 0, &s->conn[s->nconn], err)))
            goto out;
        s->free_[s->nfree++] = s->conn[s->nconn];
    }
    if (cfg->tls_cert && ((ret = read_pem(cfg->tls_cert, "certificate", false, &s->cert, err)) ||
                          (ret = read_pem(cfg->tls_key, "key", true, &s->key, err))))
        goto out;
    if (cfg->tls_cert && (!(s->cert_path = strdup(cfg->tls_cert)) ||
                          !(s->key_path = strdup(cfg->tls_key)))) {
        ret = zc_errf(err, ZC_ENOMEM, "out of memory starting the server");
        goto out;
    }
    s->tls = s->cert != NULL;
    s->sa = sa;
    s->threads = (unsigned)threads;
    s->per_ip = cfg->per_ip > 0 ? (unsigned)cfg->per_ip : PER_IP_DEFAULT;
    s->conn_limit = conn_limit();
    s->flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_AUTO | MHD_USE_ITC |
               (s->cert ? MHD_USE_TLS : 0) | (sa.ss_family == AF_INET6 ? MHD_USE_IPv6 : 0);
    s->d = start_daemon(s, MHD_INVALID_SOCKET, s->cert, s->key);
    if (!s->d) {
        ret = zc_errf(err, ZC_EIO, "cannot listen on %s (%s)%s", cfg->listen,
                      errno ? strerror(errno) : "libmicrohttpd refused",
                      s->cert ? "; check that the TLS certificate and key belong together" : "");
        goto out;
    }
    const union MHD_DaemonInfo *info = MHD_get_daemon_info(s->d, MHD_DAEMON_INFO_BIND_PORT);
    s->port = info ? (int)info->port : central_listen_port(&sa);
out:
    if (ret) {
        central_server_stop(s);
        return ret;
    }
    *out = s;
    return ZC_OK;
}

int central_server_port(const central_server *s)
{
    return s ? s->port : 0;
}

/* Frees a PEM pair, wiping the key. */
static void pem_free(char *cert, char *key)
{
    if (key)
        sodium_memzero(key, strlen(key));
    free(cert);
    free(key);
}

/* Certificate reload: the running daemon stops accepting (MHD_quiesce_daemon
 * hands back its listening socket), a new daemon with the new PEM texts takes
 * the socket over, and the old one finishes the connections it has -- the
 * kernel queues new connections on the socket meanwhile, so none is refused
 * -- and is stopped once they are gone (at most RELOAD_DRAIN_S).
 * libmicrohttpd has no call to swap the certificate of a running daemon. */
int central_server_reload(central_server *s, bool *stopped, zc_err *err)
{
    char *cert = NULL, *key = NULL;
    int ret = ZC_OK;
    *stopped = false;
    if (!s->cert_path)
        return zc_errf(err, ZC_EINVAL, "serve runs without --tls-cert: there is no certificate to "
                       "reload");
    if ((ret = read_pem(s->cert_path, "certificate", false, &cert, err)) ||
        (ret = read_pem(s->key_path, "key", true, &key, err)))
        goto out;
    /* try the pair on a daemon without a socket first: the running one is
     * not touched when it does not load */
    struct MHD_Daemon *trial = MHD_start_daemon(MHD_USE_TLS | MHD_USE_NO_LISTEN_SOCKET, 0, NULL, NULL,
                                                on_request, s, MHD_OPTION_HTTPS_MEM_CERT, cert,
                                                MHD_OPTION_HTTPS_MEM_KEY, key, MHD_OPTION_END);
    if (!trial) {
        ret = zc_errf(err, ZC_EINVAL, "the certificate %s and key %s were refused (do they belong "
                      "together?); still serving the old certificate", s->cert_path, s->key_path);
        goto out;
    }
    MHD_stop_daemon(trial);
    struct MHD_Daemon *old = s->d;
    MHD_socket fd = MHD_quiesce_daemon(old);
    if (fd == MHD_INVALID_SOCKET) {
        ret = zc_errf(err, ZC_EIO, "cannot take over the listening socket; still serving the old "
                      "certificate");
        goto out;
    }
    /* the successor gets its own descriptor of the socket: a daemon that
     * fails to start closes the one it was given */
    if (!(s->d = start_daemon(s, fcntl(fd, F_DUPFD_CLOEXEC, 0), cert, key))) {
        ret = zc_errf(err, ZC_EIO, "could not start serving the new certificate %s; still serving "
                      "the old one", s->cert_path);
        if (!(s->d = start_daemon(s, fcntl(fd, F_DUPFD_CLOEXEC, 0), s->cert, s->key))) {
            s->d = old; /* finishes what it has; main stops the service */
            *stopped = true;
            ret = zc_errf(err, ZC_EIO, "no longer accepting connections after a failed certificate "
                          "reload; restart the service");
            goto out;
        }
    }
    for (int i = 0; i < RELOAD_DRAIN_S * 20; i++) {
        const union MHD_DaemonInfo *in = MHD_get_daemon_info(old, MHD_DAEMON_INFO_CURRENT_CONNECTIONS);
        if (!in || in->num_connections == 0)
            break;
        struct timespec tick = {0, 50 * 1000000};
        nanosleep(&tick, NULL);
    }
    MHD_stop_daemon(old); /* quiesced: the socket stays open ... */
    close(fd);            /* ... and its successor has its own descriptor */
    if (ret == ZC_OK) {
        pem_free(s->cert, s->key);
        s->cert = cert;
        s->key = key;
        cert = key = NULL;
    }
out:
    pem_free(cert, key);
    return ret;
}

void central_server_stop(central_server *s)
{
    if (!s)
        return;
    if (s->d) {
        MHD_socket fd = MHD_quiesce_daemon(s->d); /* stop accepting, keep serving what runs */
        struct timespec until;
        clock_gettime(CLOCK_REALTIME, &until);
        until.tv_sec += STOP_WAIT_S;
        pthread_mutex_lock(&s->mu);
        while (s->inflight > 0 && pthread_cond_timedwait(&s->idle, &s->mu, &until) == 0)
            ;
        pthread_mutex_unlock(&s->mu);
        MHD_stop_daemon(s->d); /* waits for the worker threads */
        if (fd != MHD_INVALID_SOCKET)
            close(fd);
    }
    central_guard_free(s->guard);
    for (int i = 0; i < s->nconn; i++)
        central_store_close(s->conn[i]);
    central_group_free(s->group);
    central_store_close(s->writer);
    free(s->conn);
    free(s->free_);
    pem_free(s->cert, s->key);
    free(s->cert_path);
    free(s->key_path);
    pthread_mutex_destroy(&s->mu);
    pthread_cond_destroy(&s->cv);
    pthread_cond_destroy(&s->idle);
    free(s);
}
