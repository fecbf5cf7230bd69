/* test_proxy.c - trusted proxies (app/central/proxy.h): parsing the list,
 * matching a peer (IPv4, IPv6, IPv4-mapped), and reading X-Forwarded-Proto
 * and -For only as the last hop wrote them. */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <string.h>

#include "../app/central/proxy.h"
#include "check.h"

static struct sockaddr_in v4(const char *a)
{
    struct sockaddr_in s;
    memset(&s, 0, sizeof s);
    s.sin_family = AF_INET;
    inet_pton(AF_INET, a, &s.sin_addr);
    return s;
}

static struct sockaddr_in6 v6(const char *a)
{
    struct sockaddr_in6 s;
    memset(&s, 0, sizeof s);
    s.sin6_family = AF_INET6;
    inet_pton(AF_INET6, a, &s.sin6_addr);
    return s;
}

#define SA(x) ((const struct sockaddr *)(const void *)&(x))

static void t_parse(void)
{
    central_proxies p;
    zc_err err = {""};
    CHECK_OK(central_proxies_parse(NULL, &p, &err));
    CHECK_INT(p.n, 0);
    CHECK_OK(central_proxies_parse("", &p, &err));
    CHECK_INT(p.n, 0);
    CHECK_OK(central_proxies_parse("10.0.0.5, fd00::7", &p, &err));
    CHECK_INT(p.n, 2);
    CHECK_OK(central_proxies_parse("localhost", &p, &err));
    CHECK_INT(p.n, 2);
    CHECK_INT(central_proxies_parse("10.0.0.300", &p, &err), ZC_EINVAL);
    CHECK(strstr(err.msg, "10.0.0.300") != NULL);
    CHECK_INT(central_proxies_parse("nginx.local", &p, &err), ZC_EINVAL);
    CHECK_INT(central_proxies_parse("10.0.0.1,,10.0.0.2", &p, &err), ZC_EINVAL);
    CHECK_INT(central_proxies_parse("10.0.0.0/8", &p, &err), ZC_EINVAL);
    CHECK_INT(central_proxies_parse("1.1.1.1,1.1.1.2,1.1.1.3,1.1.1.4,1.1.1.5,1.1.1.6,1.1.1.7,"
                                    "1.1.1.8,1.1.1.9", &p, &err), ZC_ETOOBIG);
}

static void t_trust(void)
{
    central_proxies p, none;
    CHECK_OK(central_proxies_parse("127.0.0.1,::1,192.168.1.10", &p, NULL));
    CHECK_OK(central_proxies_parse(NULL, &none, NULL));
    struct sockaddr_in lo = v4("127.0.0.1"), other = v4("127.0.0.2"), lan = v4("192.168.1.10");
    struct sockaddr_in6 lo6 = v6("::1"), mapped = v6("::ffff:192.168.1.10"), far6 = v6("2001:db8::1"),
                        mapped_other = v6("::ffff:192.168.1.11");
    CHECK(central_proxies_trust(&p, SA(lo)));
    CHECK(central_proxies_trust(&p, SA(lan)));
    CHECK(!central_proxies_trust(&p, SA(other)));
    CHECK(central_proxies_trust(&p, SA(lo6)));
    CHECK(central_proxies_trust(&p, SA(mapped)));
    CHECK(!central_proxies_trust(&p, SA(mapped_other)));
    CHECK(!central_proxies_trust(&p, SA(far6)));
    CHECK(!central_proxies_trust(&p, NULL));
    CHECK(!central_proxies_trust(&none, SA(lo)));
}

static void t_headers(void)
{
    char a[CENTRAL_ADDR_TEXT];
    CHECK(central_proxy_https("https"));
    CHECK(central_proxy_https("HTTPS"));
    CHECK(central_proxy_https("http, https")); /* the last hop is ours */
    CHECK(!central_proxy_https("https, http"));
    CHECK(!central_proxy_https("http"));
    CHECK(!central_proxy_https(""));
    CHECK(!central_proxy_https(NULL));
    CHECK(!central_proxy_https("httpsx"));
    CHECK(central_proxy_client("203.0.113.9", a, sizeof a));
    CHECK_STR(a, "203.0.113.9");
    /* a client may send its own X-Forwarded-For; the proxy appends the real one */
    CHECK(central_proxy_client("1.2.3.4, 203.0.113.9", a, sizeof a));
    CHECK_STR(a, "203.0.113.9");
    CHECK(central_proxy_client("2001:db8::5", a, sizeof a));
    CHECK_STR(a, "2001:db8::5");
    CHECK(!central_proxy_client("203.0.113.9, <script>", a, sizeof a));
    CHECK_STR(a, "");
    CHECK(!central_proxy_client(NULL, a, sizeof a));
    CHECK(!central_proxy_client("203.0.113.9", a, 4)); /* does not fit: refused, not cut */
    struct sockaddr_in lo = v4("127.0.0.1");
    struct sockaddr_in6 lo6 = v6("::1");
    central_proxy_addr_text(SA(lo), a, sizeof a);
    CHECK_STR(a, "127.0.0.1");
    central_proxy_addr_text(SA(lo6), a, sizeof a);
    CHECK_STR(a, "::1");
    central_proxy_addr_text(NULL, a, sizeof a);
    CHECK_STR(a, "-");
}

static const check_case cases[] = {
    {"parse", t_parse},
    {"trust", t_trust},
    {"headers", t_headers},
    {0, 0},
};

int main(int argc, char **argv)
{
    return check_main("test_proxy", cases, argc, argv);
}
