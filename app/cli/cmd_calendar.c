/* cmd_calendar.c - `zhucan calendar check|add`: the official calendar of
 * working days and public holidays (docs/policy.md, "Calendar").  Terminals
 * normally receive it from the centre with the policies; add is for a
 * terminal set up without one. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../till/till.h"
#include "cli.h"

#define CALENDAR_FILE_MAX (64 * 1024)

static const char calendar_usage[] =
    "usage: zhucan calendar check FILE.json\n"
    "       zhucan calendar add --db DB FILE.json\n"
    "\n"
    "check names the exact field and problem of a broken calendar (db/calendar/cn.json).\n"
    "add stores a calendar version; the one stored last is used for \"days\" rules.\n";

static void print_calendar(const char *what, const zc_calendar *c, const char *path)
{
    printf("%s: calendar %s %s (%s)\n", what, zc_calendar_id(c), zc_calendar_version(c), path);
}

int cmd_calendar(int argc, char **argv)
{
    const char *db = NULL, *pos[2];
    int npos, rc = CLI_FAIL;
    zc_calendar *c = NULL;
    store_t *st = NULL;
    FILE *f = NULL;
    char *buf = NULL;
    zc_err err = {{0}};
    const zc_opt opts[] = {{"--db", &db, NULL}, {NULL, NULL, NULL}};
    int prc = cli_parse(argc, argv, 2, opts, pos, 2, &npos, calendar_usage);
    if (prc)
        return prc;
    if (npos != 2 || (strcmp(pos[0], "check") != 0 && strcmp(pos[0], "add") != 0))
        return cli_usage(calendar_usage, "say check FILE or add --db DB FILE");
    if (zc_calendar_load(pos[1], &c, &err) != ZC_OK)
        return cli_fail("%s", err.msg);
    if (strcmp(pos[0], "check") == 0) {
        print_calendar("ok", c, pos[1]);
        zc_calendar_free(c);
        return CLI_OK;
    }
    if (!db) {
        zc_calendar_free(c);
        return cli_usage(calendar_usage, "calendar add needs --db");
    }
    f = fopen(pos[1], "rb");
    buf = malloc(CALENDAR_FILE_MAX + 1);
    if (!f || !buf) {
        cli_fail("cannot read %s", pos[1]);
        goto out;
    }
    size_t n = fread(buf, 1, CALENDAR_FILE_MAX, f);
    if (store_open(db, 0, &st, &err) != ZC_OK || store_calendar_add(st, buf, n, &err) != ZC_OK ||
        store_audit(st, NULL, "calendar_add", zc_calendar_id(c), zc_calendar_version(c), &err) != ZC_OK) {
        cli_fail("%s", err.msg);
        goto out;
    }
    print_calendar("added", c, pos[1]);
    rc = CLI_OK;
out:
    if (f)
        fclose(f);
    free(buf);
    store_close(st);
    zc_calendar_free(c);
    return rc;
}
