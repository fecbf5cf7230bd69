/* cmd_backup.c - `zhucan-central backup` and `zhucan-central restore`.
 *
 * backup copies the live database while `serve` keeps running; restore
 * checks the backup first and moves the database it replaces aside, never
 * deleting it. */
#include <stdint.h>
#include <stdio.h>

#include "cmd.h"
#include "cstore_backup.h"

static const char backup_usage[] =
    "usage: zhucan-central backup --db DB --to FILE\n"
    "\n"
    "Copies the central database into FILE (mode 0600) while the service keeps\n"
    "running, checks the copy (SQLite integrity check, schema version) and only\n"
    "then puts it in place: FILE is either a whole checked backup or unchanged.\n"
    "Prints the file and its number of sales.\n";

int central_cmd_backup(int argc, char **argv)
{
    const char *db = NULL, *to = NULL, *pos[1];
    int npos;
    int64_t n = 0;
    zc_err err = {""};
    zc_opt opts[] = {{"--db", &db, NULL}, {"--to", &to, NULL}, {NULL, NULL, NULL}};
    int rc = central_cmd_parse(argc, argv, 2, opts, pos, 0, &npos, backup_usage);
    if (rc)
        return rc;
    if (!db || !to)
        return central_cmd_usage(backup_usage, "--db and --to are required");
    if (central_store_backup(db, to, &n, &err) != ZC_OK)
        return central_cmd_fail("%s", err.msg);
    printf("backed up %s to %s (%lld sales)\n", db, to, (long long)n);
    return CMD_OK;
}

static const char restore_usage[] =
    "usage: zhucan-central restore --db DB --from FILE\n"
    "\n"
    "Checks the backup FILE, moves DB and its -wal/-shm aside as\n"
    "DB.replaced-TIMESTAMP (never deleted) and puts a copy of the backup in its\n"
    "place.  Stop the service first (systemctl stop zhucan-central).  Sales the\n"
    "centre acknowledged after the backup are not in it; docs/deploy.md says how\n"
    "to get them back from the terminals.\n";

int central_cmd_restore(int argc, char **argv)
{
    const char *db = NULL, *from = NULL, *pos[1];
    char aside[1200];
    int npos;
    int64_t n = 0;
    zc_err err = {""};
    zc_opt opts[] = {{"--db", &db, NULL}, {"--from", &from, NULL}, {NULL, NULL, NULL}};
    int rc = central_cmd_parse(argc, argv, 2, opts, pos, 0, &npos, restore_usage);
    if (rc)
        return rc;
    if (!db || !from)
        return central_cmd_usage(restore_usage, "--db and --from are required");
    if (central_store_restore(db, from, aside, sizeof aside, &err) != ZC_OK)
        return central_cmd_fail("%s", err.msg);
    if (central_store_check(db, &n, &err) != ZC_OK)
        return central_cmd_fail("the restored database does not check: %s", err.msg);
    if (aside[0])
        printf("restored %s from %s (%lld sales); the old file is kept as %s\n", db, from,
               (long long)n, aside);
    else
        printf("restored %s from %s (%lld sales)\n", db, from, (long long)n);
    return CMD_OK;
}
