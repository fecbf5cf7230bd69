/* cmd_operator.c - `zhucan operator add|list|set-pin|disable|enable|unlock`:
 * the canteen's staff from the command line, on a terminal made by a plain
 * `zhucan init`.  PINs are never arguments: they are typed twice at the
 * terminal with echo off, or read as two lines from stdin when stdin is not
 * a terminal (a script piping them).  The rules are the store's
 * (store_staff_*): role lengths, no easy patterns, no shared PIN. */
#include <stdio.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include "../core/civil.h"
#include "../core/clock.h"
#include "../store/store.h"
#include "cli.h"

#define SECRET_MAX 32 /* a line longer than this is refused, not cut */

static const char operator_usage[] =
    "usage: zhucan operator add --db DB --id ID --name NAME --role cashier|supervisor|admin\n"
    "       zhucan operator list --db DB\n"
    "       zhucan operator set-pin|disable|enable|unlock --db DB --id ID\n"
    "\n"
    "add and set-pin ask for the PIN twice (typed with echo off, or two lines on\n"
    "stdin); it is never an argument.  Supervisors and admins need at least 6\n"
    "digits, cashiers 4 (`zhucan config set --db DB pin_min_cashier N`, 4-8); no\n"
    "repeated digits, runs (123456) or alternations (121212), and no two people\n"
    "share a PIN.  disable stops a person signing in (the last active admin\n"
    "stays); unlock lifts the lock after 5 wrong PINs.  Every change is audited.\n";

/* Reads one line of at most SECRET_MAX bytes into buf without echo when
 * stdin is a terminal (prompt on stderr).  ZC_EINVAL on end of input or an
 * overlong line; the line is never printed. */
static int read_secret(const char *prompt, char buf[SECRET_MAX + 2], zc_err *err)
{
    struct termios old, quiet;
    bool tty = isatty(STDIN_FILENO) && tcgetattr(STDIN_FILENO, &old) == 0;
    if (tty) {
        quiet = old;
        quiet.c_lflag &= ~(tcflag_t)ECHO;
        tcsetattr(STDIN_FILENO, TCSAFLUSH, &quiet);
        fprintf(stderr, "%s", prompt);
    }
    char *got = fgets(buf, SECRET_MAX + 2, stdin);
    if (tty) {
        tcsetattr(STDIN_FILENO, TCSAFLUSH, &old);
        fprintf(stderr, "\n");
    }
    if (!got)
        return zc_errf(err, ZC_EINVAL, "no PIN was given (type it, or pipe two lines on stdin)");
    size_t n = strlen(buf);
    if (n > 0 && buf[n - 1] == '\n')
        buf[--n] = '\0';
    else if (n > SECRET_MAX)
        return zc_errf(err, ZC_ETOOBIG, "the PIN line is longer than %d characters", SECRET_MAX);
    if (n > 0 && buf[n - 1] == '\r')
        buf[--n] = '\0';
    return ZC_OK;
}

/* The new PIN for id, typed twice the same. */
static int read_new_pin(const char *id, char pin[SECRET_MAX + 2], zc_err *err)
{
    char again[SECRET_MAX + 2], prompt[96];
    snprintf(prompt, sizeof prompt, "new PIN for %s: ", id);
    int ret = read_secret(prompt, pin, err);
    if (ret == ZC_OK && (ret = read_secret("the same PIN again: ", again, err)) == ZC_OK &&
        strcmp(pin, again) != 0)
        ret = zc_errf(err, ZC_EINVAL, "the two PINs differ; nothing was changed");
    memset(again, 0, sizeof again);
    return ret;
}

static int parse_role(const char *s, store_role *out)
{
    for (int r = STORE_ROLE_CASHIER; r <= STORE_ROLE_ADMIN; r++)
        if (s && strcmp(s, store_role_name((store_role)r)) == 0) {
            *out = (store_role)r;
            return ZC_OK;
        }
    return ZC_EINVAL;
}

static int list(store_t *st, zc_err *err)
{
    store_operator ops[256];
    int n = 0;
    int64_t now = zc_now();
    int ret = store_operator_list(st, ops, 256, &n, err);
    if (ret)
        return ret;
    printf("%-12s %-10s %-8s %s\n", "id", "role", "state", "name");
    for (int i = 0; i < n; i++) {
        char state[32];
        if (!ops[i].active) {
            snprintf(state, sizeof state, "off");
        } else if (ops[i].locked_until > now) {
            zc_datetime t = zc_tz_local(ops[i].locked_until);
            snprintf(state, sizeof state, "locked until %02d:%02d", t.hh % 100, t.mm % 100);
        } else {
            snprintf(state, sizeof state, "active");
        }
        printf("%-12s %-10s %-8s %s\n", ops[i].id, store_role_name(ops[i].role), state,
               ops[i].name);
    }
    return ZC_OK;
}

int cmd_operator(int argc, char **argv)
{
    const char *db = NULL, *id = NULL, *name = NULL, *role = NULL, *pos[1];
    char pin[SECRET_MAX + 2] = "", tz[64];
    int npos, rc = CLI_FAIL, ret = ZC_OK;
    store_t *st = NULL;
    zc_err err = {{0}};
    const zc_opt opts[] = {{"--db", &db, NULL},     {"--id", &id, NULL}, {"--name", &name, NULL},
                            {"--role", &role, NULL}, {NULL, NULL, NULL}};
    int prc = cli_parse(argc, argv, 2, opts, pos, 1, &npos, operator_usage);
    if (prc)
        return prc;
    if (npos != 1 || !db)
        return cli_usage(operator_usage, "say add, list, set-pin, disable, enable or unlock, with --db");
    const char *what = pos[0];
    bool is_list = strcmp(what, "list") == 0, is_add = strcmp(what, "add") == 0;
    if (!is_list && !is_add && strcmp(what, "set-pin") && strcmp(what, "disable") &&
        strcmp(what, "enable") && strcmp(what, "unlock"))
        return cli_usage(operator_usage, "unknown operator command '%s'", what);
    if (!is_list && !id)
        return cli_usage(operator_usage, "operator %s needs --id", what);
    store_operator op;
    memset(&op, 0, sizeof op);
    if (is_add) {
        if (!name || !role)
            return cli_usage(operator_usage, "operator add needs --id, --name and --role");
        if (parse_role(role, &op.role) != ZC_OK)
            return cli_usage(operator_usage, "--role must be cashier, supervisor or admin");
        if (strlen(id) >= sizeof op.id || strlen(name) >= sizeof op.name || !*name)
            return cli_fail("the id must be under %zu and the name 1 to %zu bytes", sizeof op.id,
                            sizeof op.name - 1);
        snprintf(op.id, sizeof op.id, "%s", id);
        snprintf(op.name, sizeof op.name, "%s", name);
    }
    if ((ret = store_open(db, 0, &st, &err)))
        goto out;
    if (store_meta_get(st, "tz", tz, sizeof tz) == ZC_OK && zc_tz_set(tz, &err) != ZC_OK)
        goto out;
    if (is_list) {
        ret = list(st, &err);
    } else if (is_add || strcmp(what, "set-pin") == 0) {
        store_operator cur;
        /* before the PIN is typed: who exists, who does not */
        if (is_add && store_operator_get(st, id, &cur, NULL) == ZC_OK) {
            ret = zc_errf(&err, ZC_ECONFLICT, "operator %s already exists; choose another id", id);
            goto out;
        }
        if (!is_add && (ret = store_operator_get(st, id, &cur, &err)))
            goto out;
        if ((ret = read_new_pin(id, pin, &err)))
            goto out;
        ret = is_add ? store_staff_add(st, "", &op, pin, &err)
                     : store_staff_set_pin(st, "", id, pin, &err);
        if (ret == ZC_OK)
            printf("%s %s\n", is_add ? "added" : "new PIN set for", id);
    } else if (strcmp(what, "unlock") == 0) {
        if ((ret = store_staff_unlock(st, "", id, &err)) == ZC_OK)
            printf("unlocked %s\n", id);
    } else {
        bool on = strcmp(what, "enable") == 0;
        if ((ret = store_staff_set_active(st, "", id, on, &err)) == ZC_OK)
            printf("%s %s\n", on ? "enabled" : "disabled", id);
    }
out:
    memset(pin, 0, sizeof pin);
    if (ret || err.msg[0])
        rc = cli_fail("%s", err.msg[0] ? err.msg : zc_strerror(ret));
    else
        rc = CLI_OK;
    store_close(st);
    return rc;
}
