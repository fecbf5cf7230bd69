/* cmd.h - the commands of `zhucan-central COMMAND [OPTIONS]`.
 *
 * Exit codes (what scripts rely on): 0 success; 1 refused or bad input,
 * with a message on stderr saying what and why; 2 usage error.  Every
 * command prints its usage with --help (exit 0). */
#ifndef ZC_CENTRAL_CMD_H
#define ZC_CENTRAL_CMD_H

#include <stdbool.h>

#include "../core/opts.h"

/* The district's time zone: which day is "today", and the time shown on
 * the admin page.  Set once per process, before any thread starts. */
#define CENTRAL_TZ "Asia/Shanghai"

enum {
    CMD_OK = ZC_OPTS_OK,
    CMD_FAIL = ZC_OPTS_FAIL,
    CMD_USAGE = ZC_OPTS_USAGE,
    CMD_HELP = ZC_OPTS_HELP /* internal: --help shown */
};

/* zc_opts_parse (core/opts.h) with "zhucan-central" in its messages. */
int central_cmd_parse(int argc, char **argv, int first, const zc_opt *opts, const char **pos,
                      int maxpos, int *npos, const char *usage);
/* "zhucan-central: <msg>" on stderr; returns CMD_FAIL. */
int central_cmd_fail(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* A complaint plus the usage on stderr; returns CMD_USAGE. */
int central_cmd_usage(const char *usage, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* The commands: argv[0] is the program, argv[1] (and argv[2] for two-word
 * commands such as "terminal add") the command. */
int central_cmd_init(int argc, char **argv);
int central_cmd_canteen(int argc, char **argv);
int central_cmd_terminal(int argc, char **argv);
int central_cmd_roster(int argc, char **argv);
int central_cmd_policy(int argc, char **argv);
int central_cmd_calendar(int argc, char **argv);
int central_cmd_card(int argc, char **argv);
int central_cmd_qr_key(int argc, char **argv);
int central_cmd_qr_issue(int argc, char **argv);
int central_cmd_report(int argc, char **argv);
/* The month (cmd_month.c): `report settlement`, `reconcile`, `anomalies`. */
int central_cmd_settlement(int argc, char **argv);
int central_cmd_reconcile(int argc, char **argv);
int central_cmd_anomalies(int argc, char **argv);
int central_cmd_admin(int argc, char **argv); /* cmd_admin.c */
/* Online backup and checked restore (cmd_backup.c). */
int central_cmd_backup(int argc, char **argv);
int central_cmd_restore(int argc, char **argv);

#endif
