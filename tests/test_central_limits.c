/* test_central_limits.c - the centre under a slow flood (issue 14):
 *
 *  - flood: as many slow connections from one address (127.0.0.2, a
 *    loopback address of its own) as the descriptor limit allows, each
 *    stopped in the middle of its headers; at most the per-address limit
 *    stay open, and a normal push from 127.0.0.1 is answered within 1 s;
 *  - trickle: a client sending one header byte every 200 ms is cut at the
 *    request deadline, not kept forever by the idle timeout;
 *  - too_big: a body over the bound is answered 413 every time (read and
 *    dropped, not reset) while the flood's connections are open.
 * Prints the number of slow connections and the push's time.  All waits
 * are bounded. */
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <arpa/inet.h>
#include <time.h>

#include "test_central_fixture.h"

#define FLOOD_MAX 10000
#define FD_SPARE 400 /* descriptors the test and the server keep for themselves */

static double now_ms(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec * 1000.0 + (double)t.tv_nsec / 1e6;
}

static void start(int per_ip, int deadline_s, size_t max_body)
{
    zc_err err = {""};
    central_server_cfg cfg = {.db_path = fx_path("central.db"), .listen = "127.0.0.1:0",
                              .threads = 4, .per_ip = per_ip, .deadline_s = deadline_s,
                              .max_body = max_body};
    int rc = central_server_start(&cfg, &fx_srv, &err);
    if (rc)
        fprintf(stderr, "  server: %s\n", err.msg);
    CHECK_OK(rc);
    fx_port = central_server_port(fx_srv);
    fx_tls = false;
}

/* A socket from `from` to the server, connected (non-blocking), or -1. */
static int dial(const char *from)
{
    struct sockaddr_in src = {.sin_family = AF_INET}, dst = {.sin_family = AF_INET};
    int fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
    if (fd < 0)
        return -1;
    inet_pton(AF_INET, from, &src.sin_addr);
    inet_pton(AF_INET, "127.0.0.1", &dst.sin_addr);
    dst.sin_port = htons((uint16_t)fx_port);
    if (bind(fd, (struct sockaddr *)&src, sizeof src) != 0 ||
        (connect(fd, (struct sockaddr *)&dst, sizeof dst) != 0 && errno != EINPROGRESS)) {
        close(fd);
        return -1;
    }
    return fd;
}

/* The most descriptors this test may hold: the hard limit, raised to. */
static int fd_budget(void)
{
    struct rlimit rl;
    if (getrlimit(RLIMIT_NOFILE, &rl) != 0)
        return 0;
    rl.rlim_cur = rl.rlim_max;
    if (setrlimit(RLIMIT_NOFILE, &rl) != 0 || getrlimit(RLIMIT_NOFILE, &rl) != 0)
        return 0;
    long n = rl.rlim_cur == RLIM_INFINITY ? FLOOD_MAX : (long)rl.rlim_cur - FD_SPARE;
    return n > FLOOD_MAX ? FLOOD_MAX : n < 0 ? 0 : (int)n;
}

static const char slow_head[] = "POST /api/v1/sales HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ";

/* Opens up to n slow connections into fds; returns how many opened. */
static int flood(int *fds, int n)
{
    int k = 0;
    for (int i = 0; i < n; i++) {
        int fd = dial("127.0.0.2");
        if (fd < 0)
            break;
        fds[k++] = fd;
        (void)!send(fd, slow_head, sizeof slow_head - 1, MSG_NOSIGNAL | MSG_DONTWAIT);
    }
    return k;
}

/* How many of fds the server still holds open (no EOF or reset seen). */
static int still_open(const int *fds, int n)
{
    int live = 0;
    char c;
    for (int i = 0; i < n; i++) {
        ssize_t r = recv(fds[i], &c, 1, MSG_DONTWAIT);
        if (r < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
            live++;
    }
    return live;
}

static void unflood(int *fds, int n)
{
    for (int i = 0; i < n; i++)
        close(fds[i]);
}

static zc_sale_doc one_sale(void)
{
    zc_sale_doc d;
    store_t *t1 = fx_terminal("T-0001", "C-0001");
    fx_sale(t1, "E0000001", "00000000A1", LUNCH, 0, &d);
    store_close(t1);
    return d;
}

static void t_flood(void)
{
    fx_centre();
    int budget = fd_budget();
    int *fds = calloc((size_t)(budget > 0 ? budget : 1), sizeof *fds);
    start(0, 0, 0);
    zc_sale_doc d = one_sale();
    int n = fds ? flood(fds, budget) : 0;
    CHECK(n >= 1000);
    /* let the server accept what it will and close the rest */
    double t0 = now_ms();
    int live = n;
    for (int i = 0; i < 100 && live > 32; i++) { /* at most 10 s */
        struct timespec ms100 = {0, 100000000};
        nanosleep(&ms100, NULL);
        live = still_open(fds, n);
    }
    CHECK(live <= 32);
    t0 = now_ms();
    fx_http h = fx_push("T-0001", TOK1, &d, 1);
    double ms = now_ms() - t0;
    CHECK_INT(h.status, 200);
    CHECK_STR(fx_result(&h, 0, "status"), "stored");
    CHECK(ms < 1000.0);
    fx_done(&h);
    printf("  flood: %d slow connections from 127.0.0.2 (%d held open by the server), "
           "a push answered in %.0f ms\n", n, live, ms);
    fx_http hh = fx_req("/api/v1/health", NULL, NULL, NULL);
    CHECK_INT(hh.status, 200);
    fx_done(&hh);
    unflood(fds, n);
    free(fds);
    fx_end();
}

static void t_trickle(void)
{
    fx_centre();
    start(0, 2, 0);
    int fd = dial("127.0.0.1");
    CHECK(fd >= 0);
    double t0 = now_ms(), cut = -1;
    (void)!send(fd, slow_head, sizeof slow_head - 1, MSG_NOSIGNAL | MSG_DONTWAIT);
    for (int i = 0; i < 50 && fd >= 0; i++) { /* 10 s at most */
        struct timespec ms200 = {0, 200000000};
        nanosleep(&ms200, NULL);
        char c;
        ssize_t r = recv(fd, &c, 1, MSG_DONTWAIT);
        if ((r < 0 && errno != EAGAIN && errno != EWOULDBLOCK) || r == 0 ||
            send(fd, "a", 1, MSG_NOSIGNAL | MSG_DONTWAIT) < 0) {
            cut = now_ms() - t0;
            break;
        }
    }
    printf("  trickle: one byte per 200 ms, cut after %.0f ms (deadline 2 s)\n", cut);
    CHECK(cut >= 1500.0 && cut < 4500.0);
    if (fd >= 0)
        close(fd);
    fx_end();
}

static void t_too_big(void)
{
    fx_centre();
    int budget = fd_budget();
    int *fds = calloc((size_t)(budget > 2000 ? 2000 : budget > 0 ? budget : 1), sizeof *fds);
    start(0, 0, 4096);
    int n = fds ? flood(fds, budget > 2000 ? 2000 : budget) : 0;
    char *big = malloc(6001);
    memset(big, ' ', 6000);
    big[0] = '{';
    big[6000] = '\0';
    int got413 = 0;
    for (int i = 0; i < 20; i++) {
        fx_http h = fx_req_ca("/api/v1/sales", "T-0001", TOK1, big, 6000, NULL);
        got413 += h.status == 413 && strstr(h.text, "larger than") != NULL;
        fx_done(&h);
    }
    CHECK_INT(got413, 20);
    printf("  too_big: %d of 20 bodies over the bound answered 413 beside %d slow connections\n",
           got413, n);
    fx_http h = fx_req("/api/v1/health", NULL, NULL, NULL);
    CHECK_INT(h.status, 200);
    fx_done(&h);
    free(big);
    unflood(fds, n);
    free(fds);
    fx_end();
}

static const check_case cases[] = {
    {"flood", t_flood},
    {"trickle", t_trickle},
    {"too_big", t_too_big},
    {NULL, NULL},
};

int main(int argc, char **argv)
{
    signal(SIGPIPE, SIG_IGN);
    if (zc_secure_init() != ZC_OK || curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK)
        return 2;
    int rc = check_main("test_central_limits", cases, argc, argv);
    curl_global_cleanup();
    return rc;
}
