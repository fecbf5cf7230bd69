/* main.c - `zhucan COMMAND ...`: dispatches to the subcommands. */
#include <stdio.h>
#include <string.h>

#include "../core/clock.h"
#include "../core/secure.h"
#include "../core/version.h"
#include "../ui/host.h"
#include "cli.h"

static const char usage[] =
    "usage: zhucan COMMAND [OPTIONS]   (zhucan COMMAND --help for details)\n"
    "\n"
    "  kiosk          the full-screen till (SDL2)\n"
    "  init           create a terminal database (--demo for a realistic canteen)\n"
    "  operator       add, list, set-pin, disable, enable or unlock staff\n"
    "  menu           the canteen's dishes: list, add, set, price, sold-out, back, import\n"
    "  canteen        show or set the canteen: id, name, region codes\n"
    "  import-roster  import the elder roster from CSV (all or nothing)\n"
    "  policy         check, add or list subsidy policies\n"
    "  calendar       check or add the official working days and public holidays\n"
    "  quote          what an elder would pay, as JSON\n"
    "  sell           commit a sale durably and print its id\n"
    "  void           void a sale (supervisor)\n"
    "  verify         check the database and the sale hash chain\n"
    "  backup         copy the database while selling goes on\n"
    "  restore        put a checked backup in place of a damaged database\n"
    "  config         get or set a terminal setting\n"
    "  key            replace a lost key file (PINs and sync_token are sealed with it)\n"
    "  sync           one sync round with the central service (--once)\n"
    "  qr             make a QR key pair or issue an elder's QR token\n"
    "  report         shift, daily, monthly, ledger and unsent reports (text, CSV, JSON)\n"
    "  --version      which build this is\n"
    "\n"
    "Exit status: 0 ok, 1 refused or bad input (reason on stderr), 2 usage error.\n";

static const struct {
    const char *name;
    int (*fn)(int, char **);
} commands[] = {
    {"init", cmd_init},     {"import-roster", cmd_import_roster},
    {"policy", cmd_policy}, {"quote", cmd_quote},
    {"sell", cmd_sell},     {"void", cmd_void},
    {"verify", cmd_verify}, {"config", cmd_config},
    {"qr", cmd_qr},         {"kiosk", kiosk_main},
    {"sync", cmd_sync},     {"report", cmd_report},
    {"backup", cmd_backup}, {"restore", cmd_restore},
    {"operator", cmd_operator}, {"menu", cmd_menu},
    {"canteen", cmd_canteen},   {"key", cmd_key},
    {"calendar", cmd_calendar},
};

int main(int argc, char **argv)
{
    if (argc < 2)
        return cli_usage(usage, "no command given");
    if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0 || strcmp(argv[1], "help") == 0) {
        fputs(usage, stdout);
        return CLI_OK;
    }
    if (strcmp(argv[1], "--version") == 0) {
        printf("zhucan %s\n", zc_version);
        return CLI_OK;
    }
    if (zc_secure_init() != 0)
        return cli_fail("cannot initialise libsodium");
    zc_err clock_err;
    if (zc_clock_init(&clock_err) != ZC_OK)
        return cli_fail("%s", clock_err.msg);
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++) {
        if (strcmp(argv[1], commands[i].name) == 0) {
            int rc = commands[i].fn(argc, argv);
            return rc == CLI_HELP ? CLI_OK : rc;
        }
    }
    return cli_usage(usage, "unknown command '%s'", argv[1]);
}
