/* listen.c - parsing `serve --listen` (listen.h). */
#include "listen.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define HOST_MAX 64

int central_listen_parse(const char *text, struct sockaddr_storage *sa, zc_err *err)
{
    char host[HOST_MAX];
    const char *colon = text ? strrchr(text, ':') : NULL;
    memset(sa, 0, sizeof *sa);
    if (!colon || colon == text || (size_t)(colon - text) >= sizeof host)
        return zc_errf(err, ZC_EINVAL, "--listen must be HOST:PORT, e.g. 127.0.0.1:8470 or "
                       "[::1]:8470, not \"%.80s\"", text ? text : "");
    snprintf(host, sizeof host, "%.*s", (int)(colon - text), text);
    char *end = NULL;
    errno = 0;
    long port = strtol(colon + 1, &end, 10);
    if (errno || end == colon + 1 || *end || port < 0 || port > 65535)
        return zc_errf(err, ZC_EINVAL, "--listen: the port \"%.20s\" must be 0 to 65535", colon + 1);
    size_t hl = strlen(host);
    if (host[0] == '[') {
        struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)(void *)sa;
        if (hl < 3 || host[hl - 1] != ']')
            return zc_errf(err, ZC_EINVAL, "--listen: \"%s\" lacks its closing ']' (IPv6 is "
                           "written [::1]:8470)", host);
        host[hl - 1] = '\0';
        s6->sin6_family = AF_INET6;
        s6->sin6_port = htons((uint16_t)port);
        if (inet_pton(AF_INET6, host + 1, &s6->sin6_addr) != 1)
            return zc_errf(err, ZC_EINVAL, "--listen: \"%s\" is not an IPv6 address", host + 1);
        return ZC_OK;
    }
    struct sockaddr_in *s4 = (struct sockaddr_in *)(void *)sa;
    s4->sin_family = AF_INET;
    s4->sin_port = htons((uint16_t)port);
    if (strcmp(host, "localhost") == 0)
        snprintf(host, sizeof host, "127.0.0.1");
    if (inet_pton(AF_INET, host, &s4->sin_addr) != 1)
        return zc_errf(err, ZC_EINVAL, "--listen: \"%s\" is not an IPv4 address (an IPv6 one goes "
                       "in brackets: [::1]:8470)", host);
    return ZC_OK;
}

int central_listen_port(const struct sockaddr_storage *sa)
{
    if (sa->ss_family == AF_INET)
        return ntohs(((const struct sockaddr_in *)(const void *)sa)->sin_port);
    if (sa->ss_family == AF_INET6)
        return ntohs(((const struct sockaddr_in6 *)(const void *)sa)->sin6_port);
    return 0;
}

bool central_listen_loopback(const struct sockaddr_storage *sa)
{
    if (sa->ss_family == AF_INET)
        return (ntohl(((const struct sockaddr_in *)(const void *)sa)->sin_addr.s_addr) >> 24) == 127;
    if (sa->ss_family == AF_INET6) {
        const struct in6_addr *a = &((const struct sockaddr_in6 *)(const void *)sa)->sin6_addr;
        return IN6_IS_ADDR_LOOPBACK(a) ||
               (IN6_IS_ADDR_V4MAPPED(a) && a->s6_addr[12] == 127);
    }
    return false;
}
