/* cmd_sync.c - `zhucan sync --db DB --once`: one full sync round for
 * scripts and installers (the kiosk runs the same rounds on its own
 * thread).  Prints what it did; exit 0 when the whole round succeeded,
 * 1 with the reason on stderr otherwise (the work done before the failure
 * is kept and reported). */
#include <stdio.h>
#include <string.h>

#include "../sync/sync.h"
#include "cli.h"

static const char sync_usage[] =
    "usage: zhucan sync --db DB --once [--verbose]\n"
    "\n"
    "Runs one sync round with the central service: reads its clock, applies its\n"
    "configuration, pushes every unsent sale and void (oldest first; a sale\n"
    "counts as sent only when the centre acknowledged it), then pulls the\n"
    "roster (with lost and blocked cards) and the policies.  Settings come from\n"
    "the terminal: server_url, terminal_id, sync_token and, for a private CA,\n"
    "ca_file (zhucan config set ...).  Certificates are always verified.\n"
    "--verbose prints each step on stderr.\n";

/* The summary line, e.g. "pushed 12 sales (12 stored, 0 duplicate), pulled
 * 3 elders, 0 policies". */
static void summary(FILE *f, const sync_report *r)
{
    fprintf(f, "pushed %ld sale%s (%ld stored, %ld duplicate", r->pushed, r->pushed == 1 ? "" : "s",
            r->stored, r->duplicate);
    if (r->conflict || r->rejected)
        fprintf(f, ", %ld conflict, %ld rejected", r->conflict, r->rejected);
    fprintf(f, ")");
    if (r->voids)
        fprintf(f, ", %ld void%s", r->voids, r->voids == 1 ? "" : "s");
    if (r->recovered)
        fprintf(f, ", took back %ld sale%s", r->recovered, r->recovered == 1 ? "" : "s");
    fprintf(f, ", pulled %ld elder%s, %ld polic%s\n", r->elders, r->elders == 1 ? "" : "s",
            r->policies, r->policies == 1 ? "y" : "ies");
}

int cmd_sync(int argc, char **argv)
{
    const char *db = NULL, *pos[1];
    bool once = false, verbose = false;
    int npos;
    sync_report rep;
    zc_err err = {{0}};
    const zc_opt opts[] = {
        {"--db", &db, NULL}, {"--once", NULL, &once}, {"--verbose", NULL, &verbose},
        {NULL, NULL, NULL},
    };
    int prc = cli_parse(argc, argv, 2, opts, pos, 0, &npos, sync_usage);
    if (prc)
        return prc;
    if (!db)
        return cli_usage(sync_usage, "--db is required");
    if (!once)
        return cli_usage(sync_usage, "say --once (the kiosk syncs continuously by itself)");
    int ret = sync_run_once(db, &rep, verbose ? stderr : NULL, &err);
    summary(stdout, &rep);
    if (rep.conflict || rep.rejected)
        fprintf(stderr, "zhucan: %ld sale(s) were refused by the centre and will not be sent again; "
                        "see the outbox's last_error and call support\n",
                rep.conflict + rep.rejected);
    if (ret != ZC_OK)
        return cli_fail("sync failed: %s", err.msg);
    return CLI_OK;
}
