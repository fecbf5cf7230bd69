/* listen.h - the address `serve --listen` names: "HOST:PORT" with HOST an
 * IPv4 address, "localhost" (127.0.0.1) or a bracketed IPv6 address
 * ("[::1]:8470", "[::]:8470" for every address, IPv4-mapped included). */
#ifndef ZC_CENTRAL_LISTEN_H
#define ZC_CENTRAL_LISTEN_H

#include <stdbool.h>
#include <sys/socket.h>

#include "../core/err.h"

/* Parses text into *sa (AF_INET or AF_INET6, port set; PORT 0 = any free
 * port).  ZC_EINVAL with a message that shows the expected form. */
int central_listen_parse(const char *text, struct sockaddr_storage *sa, zc_err *err) ZC_MUST;

/* Whether sa is a loopback address (127.0.0.0/8, ::1 or IPv4-mapped 127.x). */
bool central_listen_loopback(const struct sockaddr_storage *sa);

/* The port of an AF_INET/AF_INET6 address (host order), 0 otherwise. */
int central_listen_port(const struct sockaddr_storage *sa);

#endif
