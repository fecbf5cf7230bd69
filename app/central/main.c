/* main.c - `zhucan-central COMMAND ...`: the district's central service.
 * Dispatches to the operator's commands (cmd.c) and runs `serve`. */
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../core/civil.h"
#include "../core/clock.h"
#include "../core/secure.h"
#include "../core/version.h"
#include "cmd.h"
#include "server.h"

static const char usage[] =
    "usage: zhucan-central COMMAND [OPTIONS]   (zhucan-central COMMAND --help for details)\n"
    "\n"
    "  init             create the central database\n"
    "  canteen add      add a canteen\n"
    "  terminal add     add a terminal; prints its secret token once\n"
    "  roster import    import the elder roster from CSV (all or nothing)\n"
    "  policy publish   check and publish a subsidy policy\n"
    "  calendar publish check and publish the official working days and holidays\n"
    "  card set         blacklist (or clear) a card\n"
    "  qr-key           create the QR key pair if missing; print the public key\n"
    "  qr-issue         issue an elder's signed QR token\n"
    "  report           sales, gaps, chain breaks, flags, conflicts and closings as JSON\n"
    "  report settlement  the month's subsidy claim per canteen and source (--ledger)\n"
    "  reconcile        each terminal's closings against what the centre holds, a month\n"
    "  anomalies        what looks wrong in a month, each with why\n"
    "  admin add|link   accounts and one-time sign-in links for the web page /admin\n"
    "  backup           copy the database while the service runs (checked)\n"
    "  restore          put a checked backup in place of the database\n"
    "  serve            run the HTTP(S) service (sync protocol v1)\n"
    "  --version        which build this is\n"
    "\n"
    "Exit status: 0 ok, 1 refused or bad input (reason on stderr), 2 usage error.\n";

static const char serve_usage[] =
    "usage: zhucan-central serve --db DB --listen HOST:PORT [--tls-cert F --tls-key F]\n"
    "                            [--threads N] [--claim-day D] [--log] [--insecure-http]\n"
    "                            [--trusted-proxy ADDR[,ADDR...]]\n"
    "Serves sync protocol v1 (docs/sync-protocol.md).  HOST is an IPv4 address,\n"
    "localhost or an IPv6 address in brackets ([::1], [::] for all); PORT 0 picks a\n"
    "free port.  The first line on stdout says where it listens: \"listening on\n"
    "http(s)://HOST:PORT\".  With --tls-cert/--tls-key (PEM) it speaks HTTPS only.\n"
    "N worker threads, each lent a database connection per request (default 48);\n"
    "concurrent batches of sales share one transaction and one fsync on a\n"
    "writer connection (group commit).  --log prints one line per request on stderr.\n"
    "The web page /admin/ opens on last month's claim before day D of a month\n"
    "(1..28, default 10) and on the current month from then on.\n"
    "Plain HTTP on an address outside the loopback is refused unless --insecure-http is\n"
    "given (for a TLS proxy on this host that forwards to it; docs/central.md).  The TLS\n"
    "key must be readable by the centre's user only (chmod 600).  One address may hold\n"
    "32 connections at once, and a request may take 120 s, idle time before it included.\n"
    "--trusted-proxy names the reverse proxies (IPv4/IPv6 addresses, localhost for\n"
    "both loopbacks) whose X-Forwarded-Proto (https: the admin cookie gets Secure)\n"
    "and X-Forwarded-For (the client in --log lines) are believed; from any other\n"
    "peer those headers are ignored.\n"
    "SIGTERM or SIGINT stop it gracefully: no new connections, running requests finish.\n"
    "SIGHUP reads the certificate and key files again (a renewed certificate) without\n"
    "dropping a connection; if they do not load, the old ones stay in use.\n";

static int cmd_serve(int argc, char **argv)
{
    const char *db = NULL, *listen = NULL, *cert = NULL, *key = NULL, *threads = NULL,
               *claim = NULL, *proxies = NULL, *pos[1];
    bool log = false, insecure = false;
    int npos;
    zc_opt opts[] = {{"--db", &db, NULL},           {"--listen", &listen, NULL},
                          {"--tls-cert", &cert, NULL},   {"--tls-key", &key, NULL},
                          {"--threads", &threads, NULL}, {"--claim-day", &claim, NULL},
                          {"--log", NULL, &log},         {"--trusted-proxy", &proxies, NULL},
                          {"--insecure-http", NULL, &insecure},
                          {NULL, NULL, NULL}};
    int rc = central_cmd_parse(argc, argv, 2, opts, pos, 0, &npos, serve_usage);
    if (rc)
        return rc;
    if (!db || !listen)
        return central_cmd_usage(serve_usage, "--db and --listen are required");
    central_server_cfg cfg = {.db_path = db, .listen = listen, .tls_cert = cert, .tls_key = key,
                              .trusted_proxies = proxies, .log = log ? stderr : NULL,
                              .insecure_http = insecure};
    if (threads) {
        char *end = NULL;
        long n = strtol(threads, &end, 10);
        if (end == threads || *end || n < 1 || n > 64)
            return central_cmd_usage(serve_usage, "--threads must be 1 to 64");
        cfg.threads = (int)n;
    }
    if (claim) {
        char *end = NULL;
        long d = strtol(claim, &end, 10);
        if (end == claim || *end || d < 1 || d > 28)
            return central_cmd_usage(serve_usage, "--claim-day must be a day 1 to 28");
        cfg.claim_day = (int)d;
    }
    /* block the stop and reload signals before any thread starts, then
     * wait for them */
    sigset_t stop;
    sigemptyset(&stop);
    sigaddset(&stop, SIGINT);
    sigaddset(&stop, SIGTERM);
    sigaddset(&stop, SIGHUP);
    pthread_sigmask(SIG_BLOCK, &stop, NULL);
    signal(SIGPIPE, SIG_IGN);
    central_server *s = NULL;
    zc_err err = {""};
    if (zc_tz_set(CENTRAL_TZ, &err) != ZC_OK || central_server_start(&cfg, &s, &err) != ZC_OK)
        return central_cmd_fail("%s", err.msg);
    char host[64];
    snprintf(host, sizeof host, "%.*s", (int)(strrchr(listen, ':') - listen), listen);
    printf("listening on %s://%s:%d\n", cert ? "https" : "http", host, central_server_port(s));
    fflush(stdout);
    int sig = 0;
    rc = CMD_OK;
    while (sigwait(&stop, &sig) == 0 && sig == SIGHUP) {
        bool stopped = false;
        if (central_server_reload(s, &stopped, &err) == ZC_OK) {
            fprintf(stderr, "zhucan-central: SIGHUP: certificate reloaded from %s\n", cert);
            continue;
        }
        fprintf(stderr, "zhucan-central: SIGHUP: %s\n", err.msg);
        if (stopped) {
            rc = CMD_FAIL;
            break;
        }
    }
    if (rc == CMD_OK)
        fprintf(stderr, "zhucan-central: %s received, stopping\n", sig == SIGINT ? "SIGINT" : "SIGTERM");
    central_server_stop(s);
    return rc;
}

static const struct {
    const char *name;
    int (*fn)(int, char **);
} commands[] = {
    {"init", central_cmd_init},         {"canteen", central_cmd_canteen},
    {"terminal", central_cmd_terminal}, {"roster", central_cmd_roster},
    {"policy", central_cmd_policy},     {"card", central_cmd_card},
    {"qr-key", central_cmd_qr_key},     {"qr-issue", central_cmd_qr_issue},
    {"report", central_cmd_report},     {"serve", cmd_serve},
    {"reconcile", central_cmd_reconcile}, {"anomalies", central_cmd_anomalies},
    {"admin", central_cmd_admin},       {"backup", central_cmd_backup},
    {"restore", central_cmd_restore},   {"calendar", central_cmd_calendar},
};

int main(int argc, char **argv)
{
    if (argc < 2)
        return central_cmd_usage(usage, "no command given");
    if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h") || !strcmp(argv[1], "help")) {
        fputs(usage, stdout);
        return CMD_OK;
    }
    if (!strcmp(argv[1], "--version")) {
        printf("zhucan-central %s\n", zc_version);
        return CMD_OK;
    }
    if (zc_secure_init() != 0)
        return central_cmd_fail("cannot initialise libsodium");
    zc_err clock_err;
    if (zc_clock_init(&clock_err) != ZC_OK)
        return central_cmd_fail("%s", clock_err.msg);
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++) {
        if (strcmp(argv[1], commands[i].name) == 0) {
            int rc = commands[i].fn(argc, argv);
            return rc == CMD_HELP ? CMD_OK : rc;
        }
    }
    return central_cmd_usage(usage, "unknown command '%s'", argv[1]);
}
