/* cli.h - the scriptable command line: `zhucan COMMAND [OPTIONS]`.
 *
 * Exit codes (the contract other tools rely on): 0 success; 1 refused or
 * bad input, with a message on stderr saying what and why; 2 usage error. */
#ifndef ZC_CLI_H
#define ZC_CLI_H

#include <stdbool.h>

enum { CLI_OK = 0, CLI_FAIL = 1, CLI_USAGE = 2, CLI_HELP = 3 /* internal: --help shown */ };

/* One option: "--db" with an argument stored in *val, or a flag in *flag. */
typedef struct cli_opt {
    const char *name;
    const char **val; /* non-NULL: takes an argument */
    bool *flag;       /* non-NULL: a flag */
} cli_opt;

/* Parses argv[first..] against opts (NULL-name terminated); positional
 * arguments go to pos (at most maxpos).  --help prints `usage` and returns
 * CLI_HELP; an unknown option or a missing argument prints why and returns
 * CLI_USAGE. */
int cli_parse(int argc, char **argv, int first, const cli_opt *opts, const char **pos, int maxpos,
              int *npos, const char *usage);

/* Prints "zhucan: <msg>" to stderr and returns CLI_FAIL. */
int cli_fail(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Prints a usage complaint plus the usage text and returns CLI_USAGE. */
int cli_usage(const char *usage, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

int cmd_init(int argc, char **argv);
int cmd_import_roster(int argc, char **argv);
int cmd_policy(int argc, char **argv);
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

#endif
