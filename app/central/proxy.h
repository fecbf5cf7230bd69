/* proxy.h - trusted reverse proxies (nginx in front of the centre).
 *
 * Only a request whose peer address is a named proxy may tell us how the
 * client reached it: X-Forwarded-Proto "https" (the admin cookie then gets
 * Secure) and X-Forwarded-For (the client's address, for the logs).  From
 * anyone else those headers are ignored: a client cannot claim HTTPS or
 * another address by sending them.  Pure functions: no sockets, no
 * libmicrohttpd, so tests drive them with literal addresses. */
#ifndef ZC_CENTRAL_PROXY_H
#define ZC_CENTRAL_PROXY_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/socket.h>

#include "../core/err.h"

#define CENTRAL_PROXY_MAX 8   /* proxies named at most */
#define CENTRAL_ADDR_TEXT 48  /* an IPv6 address as text, with room */

typedef struct central_proxies {
    int n;                    /* addresses in use */
    struct {
        int family;           /* AF_INET or AF_INET6 */
        unsigned char a[16];  /* network order; IPv4 in the first 4 bytes */
    } addr[CENTRAL_PROXY_MAX];
} central_proxies;

/* Parses a comma-separated list of IPv4/IPv6 addresses ("127.0.0.1,::1";
 * "localhost" means both) into *out.  NULL or "" gives none.  ZC_EINVAL
 * naming the bad entry; ZC_ETOOBIG past CENTRAL_PROXY_MAX. */
int central_proxies_parse(const char *list, central_proxies *out, zc_err *err) ZC_MUST;

/* Is peer one of the proxies?  An IPv4-mapped IPv6 peer (::ffff:a.b.c.d)
 * matches its IPv4 address.  NULL peer: false. */
bool central_proxies_trust(const central_proxies *p, const struct sockaddr *peer);

/* X-Forwarded-Proto says the client spoke HTTPS to the proxy: its last
 * entry (the one our proxy set) is "https", any case.  NULL: false. */
bool central_proxy_https(const char *xfp);

/* The client's address from X-Forwarded-For: the last entry (the one our
 * proxy appended; earlier ones are whatever the client sent), if it is an
 * IPv4 or IPv6 address, into out.  false (out "") when there is none. */
bool central_proxy_client(const char *xff, char *out, size_t n);

/* peer as text ("-" when unknown) into out. */
void central_proxy_addr_text(const struct sockaddr *peer, char *out, size_t n);

#endif
