/* cmd.h - the commands of `zhucan-central COMMAND [OPTIONS]`.
 *
 * Exit codes (what scripts rely on): 0 success; 1 refused or bad input,
 * with a message on stderr saying what and why; 2 usage error.  Every
 * command prints its usage with --help (exit 0). */
#ifndef ZC_CENTRAL_CMD_H
#define ZC_CENTRAL_CMD_H

#include <stdbool.h>

/* The district's time zone: which day is "today", and the time shown on
 * the admin page.  Set once per process, before any thread starts. */
#define CENTRAL_TZ "Asia/Shanghai"

enum { CMD_OK = 0, CMD_FAIL = 1, CMD_USAGE = 2, CMD_HELP = 3 /* internal: --help shown */ };

/* One option: "--db" with an argument stored in *val, or a flag in *flag. */
typedef struct central_opt {
    const char *name;
    const char **val;
    bool *flag;
} central_opt;

/* Parses argv[first..] against opts (terminated by a NULL name); at most
 * maxpos positional arguments go to pos.  Returns CMD_OK, CMD_HELP (usage
 * printed to stdout) or CMD_USAGE (complaint and usage on stderr). */
int central_cmd_parse(int argc, char **argv, int first, const central_opt *opts, const char **pos,
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
int central_cmd_card(int argc, char **argv);
int central_cmd_qr_key(int argc, char **argv);
int central_cmd_qr_issue(int argc, char **argv);
int central_cmd_report(int argc, char **argv);
/* The month (cmd_month.c): `report settlement`, `reconcile`, `anomalies`. */
int central_cmd_settlement(int argc, char **argv);
int central_cmd_reconcile(int argc, char **argv);
int central_cmd_anomalies(int argc, char **argv);
int central_cmd_admin(int argc, char **argv); /* cmd_admin.c */

#endif
