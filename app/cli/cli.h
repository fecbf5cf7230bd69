/* cli.h - the scriptable command line: `zhucan COMMAND [OPTIONS]`.
 *
 * Exit codes (the contract other tools rely on): 0 success; 1 refused or
 * bad input, with a message on stderr saying what and why; 2 usage error. */
#ifndef ZC_CLI_H
#define ZC_CLI_H

#include <stdbool.h>

#include "../core/opts.h"

enum {
    CLI_OK = ZC_OPTS_OK,
    CLI_FAIL = ZC_OPTS_FAIL,
    CLI_USAGE = ZC_OPTS_USAGE,
    CLI_HELP = ZC_OPTS_HELP /* internal: --help shown */
};

/* zc_opts_parse (core/opts.h) with "zhucan" in its messages. */
int cli_parse(int argc, char **argv, int first, const zc_opt *opts, const char **pos, int maxpos,
              int *npos, const char *usage);

/* Prints "zhucan: <msg>" to stderr and returns CLI_FAIL. */
int cli_fail(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Prints a usage complaint plus the usage text and returns CLI_USAGE. */
int cli_usage(const char *usage, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

int cmd_init(int argc, char **argv);
int cmd_import_roster(int argc, char **argv);
int cmd_policy(int argc, char **argv);
int cmd_calendar(int argc, char **argv);
int cmd_quote(int argc, char **argv);
int cmd_sell(int argc, char **argv);
int cmd_void(int argc, char **argv);
int cmd_verify(int argc, char **argv);
int cmd_config(int argc, char **argv);
int cmd_qr(int argc, char **argv);
int cmd_sync(int argc, char **argv);
int cmd_report(int argc, char **argv);
int cmd_backup(int argc, char **argv);
int cmd_restore(int argc, char **argv);
int cmd_operator(int argc, char **argv);
int cmd_menu(int argc, char **argv);
int cmd_canteen(int argc, char **argv);
int cmd_key(int argc, char **argv);

#endif
