/* proxy.c - trusted reverse proxies (proxy.h). */
#include "proxy.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

/* One address (IPv4 or IPv6 text) into family/a; false when neither. */
static bool parse_addr(const char *text, int *family, unsigned char a[16])
{
    memset(a, 0, 16);
    if (inet_pton(AF_INET, text, a) == 1) {
        *family = AF_INET;
        return true;
    }
    if (inet_pton(AF_INET6, text, a) == 1) {
        *family = AF_INET6;
        return true;
    }
    return false;
}

static int add(central_proxies *p, const char *text, zc_err *err)
{
    if (p->n == CENTRAL_PROXY_MAX)
        return zc_errf(err, ZC_ETOOBIG, "--trusted-proxy names more than %d addresses",
                       CENTRAL_PROXY_MAX);
    if (!parse_addr(text, &p->addr[p->n].family, p->addr[p->n].a))
        return zc_errf(err, ZC_EINVAL, "--trusted-proxy: \"%s\" is not an IPv4 or IPv6 address "
                       "(e.g. 127.0.0.1 or ::1)", text);
    p->n++;
    return ZC_OK;
}

int central_proxies_parse(const char *list, central_proxies *out, zc_err *err)
{
    int ret = ZC_OK;
    memset(out, 0, sizeof *out);
    for (const char *s = list; ret == ZC_OK && s && *s;) {
        const char *comma = strchr(s, ',');
        size_t len = comma ? (size_t)(comma - s) : strlen(s);
        char one[CENTRAL_ADDR_TEXT];
        while (len && *s == ' ') {
            s++;
            len--;
        }
        while (len && s[len - 1] == ' ')
            len--;
        if (len == 0 || len >= sizeof one)
            return zc_errf(err, ZC_EINVAL, "--trusted-proxy: an empty or overlong entry in \"%.80s\"",
                           list);
        snprintf(one, sizeof one, "%.*s", (int)len, s);
        if (strcmp(one, "localhost") == 0) {
            if ((ret = add(out, "127.0.0.1", err)) == ZC_OK)
                ret = add(out, "::1", err);
        } else {
            ret = add(out, one, err);
        }
        s = comma ? comma + 1 : s + len;
    }
    return ret;
}

bool central_proxies_trust(const central_proxies *p, const struct sockaddr *peer)
{
    unsigned char a[16] = {0};
    int family;
    if (!p || !peer)
        return false;
    if (peer->sa_family == AF_INET) {
        family = AF_INET;
        memcpy(a, &((const struct sockaddr_in *)(const void *)peer)->sin_addr, 4);
    } else if (peer->sa_family == AF_INET6) {
        const struct in6_addr *v6 = &((const struct sockaddr_in6 *)(const void *)peer)->sin6_addr;
        if (IN6_IS_ADDR_V4MAPPED(v6)) {
            family = AF_INET;
            memcpy(a, v6->s6_addr + 12, 4);
        } else {
            family = AF_INET6;
            memcpy(a, v6->s6_addr, 16);
        }
    } else {
        return false;
    }
    for (int i = 0; i < p->n; i++)
        if (p->addr[i].family == family && memcmp(p->addr[i].a, a, 16) == 0)
            return true;
    return false;
}

/* The last comma-separated entry of h, trimmed, into out; false when empty
 * or too long for out. */
static bool last_entry(const char *h, char *out, size_t n)
{
    out[0] = '\0';
    if (!h)
        return false;
    const char *s = strrchr(h, ',');
    s = s ? s + 1 : h;
    while (*s == ' ' || *s == '\t')
        s++;
    size_t len = strlen(s);
    while (len && (s[len - 1] == ' ' || s[len - 1] == '\t'))
        len--;
    if (len == 0 || len >= n)
        return false;
    snprintf(out, n, "%.*s", (int)len, s);
    return true;
}

bool central_proxy_https(const char *xfp)
{
    char v[16];
    return last_entry(xfp, v, sizeof v) && strcasecmp(v, "https") == 0;
}

bool central_proxy_client(const char *xff, char *out, size_t n)
{
    char v[CENTRAL_ADDR_TEXT];
    unsigned char a[16];
    int family;
    if (n)
        out[0] = '\0';
    if (!last_entry(xff, v, sizeof v) || !parse_addr(v, &family, a) || strlen(v) >= n)
        return false;
    snprintf(out, n, "%s", v);
    return true;
}

void central_proxy_addr_text(const struct sockaddr *peer, char *out, size_t n)
{
    snprintf(out, n, "-");
    if (peer && peer->sa_family == AF_INET)
        inet_ntop(AF_INET, &((const struct sockaddr_in *)(const void *)peer)->sin_addr, out,
                  (socklen_t)n);
    else if (peer && peer->sa_family == AF_INET6)
        inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)(const void *)peer)->sin6_addr, out,
                  (socklen_t)n);
}
