/* cmd_canteen.c - `zhucan canteen show|set`: the canteen this terminal
 * sells for, on a plain `zhucan init` (a terminal with a centre gets it
 * from the centre's configuration at each sync instead).  The region codes
 * matter to money: a funding share that applies only when the elder's home
 * district or town is the canteen's needs the canteen's. */
#include <stdio.h>
#include <string.h>

#include "../store/store.h"
#include "cli.h"

static const char canteen_usage[] =
    "usage: zhucan canteen show --db DB\n"
    "       zhucan canteen set  --db DB --id ID --name NAME [--city CODE]\n"
    "                           [--district CODE] [--town CODE]\n"
    "\n"
    "CODEs are the civil-affairs region codes the roster uses (6 digits for a\n"
    "city or district, 9 for a town/street), e.g. --city 440100 --district\n"
    "440104 --town 440104001.  Without them, district and town funding shares\n"
    "that depend on where the elder lives cannot apply.  Audited.\n";

/* Region code: empty, or 6 or 9 digits. */
static bool region_ok(const char *v)
{
    size_t n = strlen(v);
    return (n == 0 || n == 6 || n == 9) && strspn(v, "0123456789") == n;
}

int cmd_canteen(int argc, char **argv)
{
    const char *db = NULL, *id = NULL, *name = NULL, *city = "", *district = "", *town = "", *pos[1];
    int npos, ret = ZC_OK;
    store_t *st = NULL;
    zc_canteen c;
    zc_err err = {{0}};
    const zc_opt opts[] = {{"--db", &db, NULL},     {"--id", &id, NULL},
                           {"--name", &name, NULL}, {"--city", &city, NULL},
                           {"--district", &district, NULL}, {"--town", &town, NULL},
                           {NULL, NULL, NULL}};
    int prc = cli_parse(argc, argv, 2, opts, pos, 1, &npos, canteen_usage);
    if (prc)
        return prc;
    if (npos != 1 || !db || (strcmp(pos[0], "show") && strcmp(pos[0], "set")))
        return cli_usage(canteen_usage, "say show or set, with --db");
    bool set = strcmp(pos[0], "set") == 0;
    memset(&c, 0, sizeof c);
    if (set) {
        if (!id || !name || !*id || !*name)
            return cli_usage(canteen_usage, "canteen set needs --id and --name");
        if (strlen(id) >= sizeof c.id || strlen(name) >= sizeof c.name)
            return cli_fail("the id must be under %zu bytes and the name under %zu", sizeof c.id,
                            sizeof c.name);
        if (!region_ok(city) || !region_ok(district) || !region_ok(town))
            return cli_fail("region codes are 6 digits (city, district) or 9 (town), e.g. "
                            "440104 or 440104001");
        snprintf(c.id, sizeof c.id, "%s", id);
        snprintf(c.name, sizeof c.name, "%s", name);
        snprintf(c.city, sizeof c.city, "%s", city);
        snprintf(c.district, sizeof c.district, "%s", district);
        snprintf(c.town, sizeof c.town, "%s", town);
    }
    if ((ret = store_open(db, 0, &st, &err)))
        goto out;
    if (set) {
        char detail[200];
        snprintf(detail, sizeof detail, "%s %s/%s/%s", c.name, c.city, c.district, c.town);
        if ((ret = store_canteen_set(st, &c, &err)) == ZC_OK &&
            (ret = store_audit(st, NULL, "canteen_set", c.id, detail, &err)) == ZC_OK)
            printf("canteen %s %s\n", c.id, c.name);
    } else if ((ret = store_canteen_get(st, &c, &err)) == ZC_OK) {
        printf("id %s\nname %s\ncity %s\ndistrict %s\ntown %s\n", c.id, c.name,
               c.city[0] ? c.city : "(none)", c.district[0] ? c.district : "(none)",
               c.town[0] ? c.town : "(none)");
    }
out:
    store_close(st);
    if (ret || err.msg[0])
        return cli_fail("%s", err.msg[0] ? err.msg : zc_strerror(ret));
    return CLI_OK;
}
