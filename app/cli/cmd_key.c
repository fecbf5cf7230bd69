/* cmd_key.c - `zhucan key reset`: replace a lost key file (keyfile.h). */
#include <string.h>

#include "../store/keyfile.h"
#include "../store/store.h"
#include "cli.h"

static const char key_usage[] =
    "usage: zhucan key reset --db DB\n"
    "PINs and sync_token are stored sealed with the key file zhucan.key next to\n"
    "the database (mode 0600; keep a copy apart from the backups).  When the key\n"
    "is lost and cannot be put back, `key reset` makes a new one: every PIN is\n"
    "cleared (set them again with `zhucan operator set-pin`) and sync_token is\n"
    "removed (ask the centre for a new one: `zhucan-central terminal add`).\n"
    "Sales, reports and backups are not affected.  Refused while the key is\n"
    "there and opens the database.  See docs/security.md.\n";

int cmd_key(int argc, char **argv)
{
    const char *db = NULL, *pos[1];
    int npos, rc = CLI_FAIL;
    store_t *st = NULL;
    zc_err err = {{0}};
    char kp[1100];
    const zc_opt opts[] = {{"--db", &db, NULL}, {NULL, NULL, NULL}};
    if (argc < 3 || strcmp(argv[2], "reset") != 0)
        return argc >= 3 && !strcmp(argv[2], "--help") ? (fputs(key_usage, stdout), CLI_HELP)
                                                      : cli_usage(key_usage, "say: key reset");
    int prc = cli_parse(argc, argv, 3, opts, pos, 0, &npos, key_usage);
    if (prc)
        return prc;
    if (!db)
        return cli_usage(key_usage, "--db is required");
    if (store_open(db, 0, &st, &err) != ZC_OK || store_key_reset(st, &err) != ZC_OK) {
        cli_fail("%s", err.msg);
        goto out;
    }
    store_key_path(db, kp, sizeof kp);
    printf("new key %s: set every PIN again (zhucan operator set-pin) and sync_token (zhucan config "
           "set --db DB sync_token)\n", kp);
    rc = CLI_OK;
out:
    store_close(st);
    return rc;
}
