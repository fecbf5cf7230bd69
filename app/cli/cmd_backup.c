/* cmd_backup.c - `zhucan backup` and `zhucan restore`.
 *
 * backup copies the live database with SQLite's online backup API (a till
 * may keep selling meanwhile); restore checks the backup first and moves
 * the damaged database aside, never deleting it. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../store/backup.h"
#include "cli.h"

static const char backup_usage[] =
    "usage: zhucan backup --db DB [--to FILE | --dir DIR] [--keep N]\n"
    "\n"
    "Copies the database while the till may keep selling.  --to writes one\n"
    "file; otherwise a timestamped copy goes to DIR (default: backups/ next to\n"
    "the database) and only the newest N (default 10) are kept.  Prints the\n"
    "backup's path.\n";

int cmd_backup(int argc, char **argv)
{
    const char *db = NULL, *to = NULL, *dir = NULL, *keep_s = NULL, *pos[1];
    char made[2048], defdir[2048];
    int npos, rc = CLI_FAIL;
    long keep = STORE_BACKUP_KEEP;
    store_t *st = NULL;
    zc_err err = {{0}};
    const zc_opt opts[] = {{"--db", &db, NULL},     {"--to", &to, NULL}, {"--dir", &dir, NULL},
                            {"--keep", &keep_s, NULL}, {NULL, NULL, NULL}};
    int prc = cli_parse(argc, argv, 2, opts, pos, 0, &npos, backup_usage);
    if (prc)
        return prc;
    if (!db)
        return cli_usage(backup_usage, "--db is required");
    if (to && dir)
        return cli_usage(backup_usage, "give --to or --dir, not both");
    if (keep_s) {
        char *end = NULL;
        keep = strtol(keep_s, &end, 10);
        if (end == keep_s || *end || keep < 1 || keep > 1000)
            return cli_usage(backup_usage, "--keep must be a number from 1 to 1000, not '%s'", keep_s);
    }
    if (store_open(db, 0, &st, &err) != ZC_OK) {
        cli_fail("%s", err.msg);
        goto out;
    }
    if (to) {
        if (store_backup(st, to, &err) != ZC_OK) {
            cli_fail("%s", err.msg);
            goto out;
        }
        snprintf(made, sizeof made, "%s", to);
    } else {
        if (!dir) {
            store_backup_dir(db, defdir, sizeof defdir);
            dir = defdir;
        }
        if (store_backup_rotate(st, dir, (int)keep, made, sizeof made, &err) != ZC_OK) {
            cli_fail("%s", err.msg);
            goto out;
        }
    }
    printf("%s\n", made);
    rc = CLI_OK;
out:
    store_close(st);
    return rc;
}

static const char restore_usage[] =
    "usage: zhucan restore --db DB --from FILE [--no-centre]\n"
    "\n"
    "Checks the backup FILE (integrity and the sale hash chain), moves DB and\n"
    "its -wal aside as DB.damaged-TIMESTAMP (never deleted: it may hold sales\n"
    "made after the backup) and puts the backup in its place.  Stop the till\n"
    "first.  Sales made after the backup are not in it: a terminal with a\n"
    "centre refuses to sell until `zhucan sync` has taken back the sales the\n"
    "centre holds.  --no-centre sells at once (the centre is gone or never had\n"
    "this terminal's later sales; any it does hold will clash with new ones).\n";

/* --no-centre: the restored terminal may sell without a catch-up sync. */
static int clear_pending(const char *db, zc_err *err)
{
    store_t *st = NULL;
    int ret = store_open(db, 0, &st, err);
    if (ret == ZC_OK)
        ret = store_meta_set(st, "restored_pending", "0", err);
    store_close(st);
    return ret;
}

int cmd_restore(int argc, char **argv)
{
    const char *db = NULL, *from = NULL, *pos[1];
    char aside[2048];
    int npos;
    bool no_centre = false;
    int64_t n = 0;
    zc_err err = {{0}};
    const zc_opt opts[] = {{"--db", &db, NULL}, {"--from", &from, NULL}, {"--no-centre", NULL, &no_centre},
                            {NULL, NULL, NULL}};
    int prc = cli_parse(argc, argv, 2, opts, pos, 0, &npos, restore_usage);
    if (prc)
        return prc;
    if (!db || !from)
        return cli_usage(restore_usage, "--db and --from are required");
    if (store_restore(db, from, aside, sizeof aside, &err) != ZC_OK)
        return cli_fail("%s", err.msg);
    if (store_backup_check(db, &n, &err) != ZC_OK)
        return cli_fail("the restored database does not check: %s", err.msg);
    if (no_centre && clear_pending(db, &err) != ZC_OK)
        return cli_fail("%s", err.msg);
    if (aside[0])
        printf("restored %s from %s (%lld sales); the old file is kept as %s\n", db, from, (long long)n,
               aside);
    else
        printf("restored %s from %s (%lld sales)\n", db, from, (long long)n);
    return CLI_OK;
}
