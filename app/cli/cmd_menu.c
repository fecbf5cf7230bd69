/* cmd_menu.c - `zhucan menu list|add|set|price|sold-out|back|import`: the
 * canteen's own dishes on a terminal made by a plain `zhucan init`.  The
 * rules (codes, names, categories, periods, prices) are the store's
 * (store_item_check); every change is audited.  docs/menu.md has the CSV. */
#include <stdio.h>
#include <string.h>

#include "../core/civil.h"
#include "../core/clock.h"
#include "../core/money.h"
#include "../store/store.h"
#include "cli.h"

static const char menu_usage[] =
    "usage: zhucan menu list   --db DB\n"
    "       zhucan menu add    --db DB --code C --name N --category CAT --price YUAN\n"
    "                          [--unit U] [--periods lunch,dinner] [--eligible]\n"
    "       zhucan menu set    --db DB --code C [--name N] [--category CAT] [--unit U]\n"
    "                          [--periods P] [--eligible yes|no] [--active yes|no]\n"
    "       zhucan menu price  --db DB --code C --price YUAN [--from \"YYYY-MM-DD HH:MM\"]\n"
    "       zhucan menu sold-out|back --db DB --code C\n"
    "       zhucan menu import --db DB FILE.csv\n"
    "\n"
    "CAT is set_meal, dish, staple, soup, drink or other; --eligible marks a dish\n"
    "the subsidy applies to (a set meal).  --periods empty means every meal\n"
    "period.  A price takes over now, or at --from; sales already made keep\n"
    "their price.  sold-out lasts for today; back puts the dish on sale again.\n"
    "import reads a CSV (UTF-8 or GBK, as Excel saves it; docs/menu.md): all\n"
    "rows or none, each bad row named by its line.\n";

/* yes/no (or 1/0) into *out. */
static int yes_no(const char *v, bool *out)
{
    if (strcmp(v, "yes") == 0 || strcmp(v, "1") == 0)
        *out = true;
    else if (strcmp(v, "no") == 0 || strcmp(v, "0") == 0)
        *out = false;
    else
        return ZC_EINVAL;
    return ZC_OK;
}

/* Copies v into a field of n bytes, refusing what does not fit. */
static int field(char *dst, size_t n, const char *v, const char *what, zc_err *err)
{
    if (strlen(v) >= n)
        return zc_errf(err, ZC_EINVAL, "%s is too long", what);
    snprintf(dst, n, "%s", v);
    return ZC_OK;
}

static int list(store_t *st, zc_err *err)
{
    static store_item items[STORE_MENU_MAX];
    int n = 0;
    int ret = store_menu_all(st, items, STORE_MENU_MAX, &n, err);
    if (ret)
        return ret;
    printf("%-8s %-9s %8s %-4s %-9s %-14s %s\n", "code", "category", "price", "unit", "state",
           "periods", "name");
    for (int i = 0; i < n; i++) {
        char yuan[32];
        const store_item *it = &items[i];
        printf("%-8s %-9s %8s %-4s %-9s %-14s %s%s\n", it->code, it->category,
               zc_fen_fmt(it->price_fen, yuan, sizeof yuan), it->unit,
               !it->active ? "off" : it->sold_out ? "sold-out" : "on-sale",
               it->periods[0] ? it->periods : "(all)", it->name, it->eligible ? "  [subsidised]" : "");
    }
    return ZC_OK;
}

/* The options of add and set applied to it (set: only those given). */
typedef struct menu_opts {
    const char *name, *category, *unit, *periods, *eligible, *active, *price, *from;
    bool eligible_flag;
} menu_opts;

static int apply(const menu_opts *o, bool add, store_item *it, zc_err *err)
{
    int ret = ZC_OK;
    if (o->name && (ret = field(it->name, sizeof it->name, o->name, "--name", err)))
        return ret;
    if (o->category && (ret = field(it->category, sizeof it->category, o->category, "--category", err)))
        return ret;
    if (o->unit && (ret = field(it->unit, sizeof it->unit, o->unit, "--unit", err)))
        return ret;
    if (o->periods && (ret = field(it->periods, sizeof it->periods, o->periods, "--periods", err)))
        return ret;
    if (add) {
        it->eligible = o->eligible_flag;
        it->active = true;
    } else if (o->eligible && yes_no(o->eligible, &it->eligible) != ZC_OK) {
        return zc_errf(err, ZC_EINVAL, "--eligible is yes or no");
    }
    if (o->active && yes_no(o->active, &it->active) != ZC_OK)
        return zc_errf(err, ZC_EINVAL, "--active is yes or no");
    if (o->price && zc_fen_parse(o->price, &it->price_fen) != ZC_OK)
        return zc_errf(err, ZC_EINVAL, "--price \"%s\" is not an amount in yuan such as 13 or 13.50",
                       o->price);
    return ZC_OK;
}

int cmd_menu(int argc, char **argv)
{
    const char *db = NULL, *code = NULL, *pos[2];
    char tz[64];
    menu_opts o = {0};
    int npos, ret = ZC_OK;
    store_t *st = NULL;
    store_item it;
    zc_err err = {{0}};
    const zc_opt opts[] = {
        {"--db", &db, NULL},          {"--code", &code, NULL},         {"--name", &o.name, NULL},
        {"--category", &o.category, NULL}, {"--unit", &o.unit, NULL},  {"--periods", &o.periods, NULL},
        {"--price", &o.price, NULL},  {"--from", &o.from, NULL},       {"--active", &o.active, NULL},
        {"--eligible", NULL, &o.eligible_flag},                        {NULL, NULL, NULL}};
    int prc = cli_parse(argc, argv, 2, opts, pos, 2, &npos, menu_usage);
    if (prc)
        return prc;
    if (npos < 1 || !db)
        return cli_usage(menu_usage, "say list, add, set, price, sold-out, back or import, with --db");
    const char *what = pos[0];
    bool is_list = !strcmp(what, "list"), is_import = !strcmp(what, "import"),
         is_add = !strcmp(what, "add"), is_set = !strcmp(what, "set"),
         is_price = !strcmp(what, "price"), is_out = !strcmp(what, "sold-out"),
         is_back = !strcmp(what, "back");
    if (!(is_list || is_import || is_add || is_set || is_price || is_out || is_back))
        return cli_usage(menu_usage, "unknown menu command '%s'", what);
    if (npos != (is_import ? 2 : 1))
        return cli_usage(menu_usage, is_import ? "menu import needs one FILE" : "too many arguments");
    if (!is_list && !is_import && !code)
        return cli_usage(menu_usage, "menu %s needs --code", what);
    if (is_add && (!o.name || !o.category || !o.price))
        return cli_usage(menu_usage, "menu add needs --code, --name, --category and --price");
    if (is_price && !o.price)
        return cli_usage(menu_usage, "menu price needs --price");
    if ((ret = store_open(db, 0, &st, &err)))
        goto out;
    if (store_meta_get(st, "tz", tz, sizeof tz) == ZC_OK && (ret = zc_tz_set(tz, &err)))
        goto out;
    if (is_list) {
        ret = list(st, &err);
    } else if (is_import) {
        long rows = 0;
        if ((ret = store_menu_import(st, "", pos[1], stderr, &rows, &err)) == ZC_OK)
            printf("imported %ld dish%s\n", rows, rows == 1 ? "" : "es");
    } else if (is_add || is_set) {
        memset(&it, 0, sizeof it);
        int got = store_item_get(st, code, &it, NULL);
        if (is_add && got == ZC_OK) {
            ret = zc_errf(&err, ZC_ECONFLICT, "dish %s is already on the menu; use menu set or "
                          "menu price", code);
            goto out;
        }
        if (is_set && (ret = store_item_get(st, code, &it, &err)))
            goto out;
        if (is_set && o.price) {
            ret = zc_errf(&err, ZC_EINVAL, "menu set does not change prices; use menu price "
                          "(a price takes over from a moment on)");
            goto out;
        }
        if ((ret = field(it.code, sizeof it.code, code, "--code", &err)) ||
            (ret = apply(&o, is_add, &it, &err)) || (ret = store_item_put(st, &it, &err)) ||
            (ret = store_audit(st, NULL, is_add ? "menu_add" : "menu_set", code, it.name, &err)))
            goto out;
        printf("%s %s %s\n", is_add ? "added" : "changed", code, it.name);
    } else if (is_price) {
        zc_fen fen;
        int64_t from = zc_now();
        if (zc_fen_parse(o.price, &fen) != ZC_OK) {
            ret = zc_errf(&err, ZC_EINVAL, "--price \"%s\" is not an amount in yuan such as 13 or "
                          "13.50", o.price);
            goto out;
        }
        if (o.from) {
            zc_datetime t;
            if (zc_datetime_parse(o.from, &t) != ZC_OK) {
                ret = zc_errf(&err, ZC_EINVAL, "--from is \"YYYY-MM-DD HH:MM\", local time");
                goto out;
            }
            from = zc_tz_epoch(t);
            if (from < zc_now() - 60) {
                ret = zc_errf(&err, ZC_EINVAL, "--from %s is in the past; a price changes from now "
                              "or later, never for sales already made", o.from);
                goto out;
            }
        }
        if ((ret = store_menu_price(st, "", code, fen, from, &err)) == ZC_OK)
            printf("price of %s: %s yuan from %s\n", code, o.price, o.from ? o.from : "now");
    } else {
        if ((ret = store_menu_sold_out(st, "", code, is_out, &err)) == ZC_OK)
            printf("%s %s\n", code, is_out ? "is sold out for today" : "is on sale again");
    }
out:
    store_close(st);
    if (ret || err.msg[0])
        return cli_fail("%s", err.msg[0] ? err.msg : zc_strerror(ret));
    return CLI_OK;
}
