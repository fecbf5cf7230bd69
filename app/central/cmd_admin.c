/* cmd_admin.c - `zhucan-central admin add|link`: accounts for the
 * operators' web page (admin.h) and one-time sign-in links. */
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#include "../core/clock.h"
#include "cmd.h"
#include "cstore_admin.h"

#define LINK_MINUTES 10

static const char admin_usage[] =
    "usage: zhucan-central admin add --db DB --user NAME [--role R] [--canteen ID[,ID...]]\n"
    "       zhucan-central admin link --db DB --user NAME [--minutes N] [--base URL]\n"
    "add:  creates an account for the web page /admin.  The password is read from the\n"
    "      first line of stdin (10 to 128 characters; not echoed on a terminal).\n"
    "      R: district (the default: everything), manager (only the canteens of\n"
    "      --canteen, at most 16), auditor (reads everything, changes nothing).\n"
    "      After five wrong passwords in a row the account waits 30 s, doubling with\n"
    "      each further one, except in a browser that signed in as it before.\n"
    "link: prints a sign-in link that works once, for N minutes (default 10, at most 60):\n"
    "      BASE/admin/link?t=TOKEN, e.g. --base https://central.example:8443.  Opening it\n"
    "      signs the browser in as NAME.  Without --base only the path is printed.\n";

/* Reads the password line from stdin into pw (n bytes) without echo on a
 * terminal; ZC_EINVAL when it is missing or longer than a password can be. */
static int read_password(char *pw, size_t n)
{
    struct termios old, quiet;
    bool tty = isatty(STDIN_FILENO) && tcgetattr(STDIN_FILENO, &old) == 0;
    if (tty) {
        fputs("password (10 to 128 characters): ", stderr);
        quiet = old;
        quiet.c_lflag &= ~(tcflag_t)ECHO;
        tcsetattr(STDIN_FILENO, TCSANOW, &quiet);
    }
    bool got = fgets(pw, (int)n, stdin) != NULL;
    if (tty) {
        tcsetattr(STDIN_FILENO, TCSANOW, &old);
        fputc('\n', stderr);
    }
    size_t len = got ? strlen(pw) : 0;
    bool whole = len > 0 && (pw[len - 1] == '\n' || feof(stdin));
    while (len > 0 && (pw[len - 1] == '\n' || pw[len - 1] == '\r'))
        pw[--len] = '\0';
    return got && whole ? ZC_OK : ZC_EINVAL;
}

/* The scope of --role and --canteen (comma-separated) into *sc. */
static int scope_of(const char *role, const char *canteens, central_admin_scope *sc)
{
    memset(sc, 0, sizeof *sc);
    if (role && !central_admin_role_parse(role, &sc->role))
        return central_cmd_usage(admin_usage, "--role must be district, manager or auditor");
    for (const char *p = canteens; p && *p;) {
        size_t n = strcspn(p, ",");
        if (n == 0 || n >= ZC_ID_MAX || sc->ncanteens >= CENTRAL_ADMIN_CANTEENS)
            return central_cmd_usage(admin_usage, "--canteen takes 1 to %d canteen ids, separated "
                                     "by commas", CENTRAL_ADMIN_CANTEENS);
        snprintf(sc->canteens[sc->ncanteens++], ZC_ID_MAX, "%.*s", (int)n, p);
        p += n + (p[n] == ',');
    }
    return CMD_OK;
}

static int admin_add(const char *db, const char *user, const central_admin_scope *sc)
{
    char pw[ZC_PASSWORD_MAX + 3]; /* the password, CR LF, NUL */
    central_store *st = NULL;
    zc_err err = {""};
    int rc = CMD_OK;
    if (!central_admin_name_ok(user))
        return central_cmd_fail("the admin name \"%s\" must be 1 to %d letters, digits, '-', '_' "
                                "or '.'", user, CENTRAL_ADMIN_NAME_MAX - 1);
    if (read_password(pw, sizeof pw) != ZC_OK) {
        rc = central_cmd_fail("give the password (10 to %d characters) on the first line of stdin",
                              ZC_PASSWORD_MAX);
        goto out;
    }
    if (central_store_open(db, 0, &st, &err) != ZC_OK ||
        central_store_admin_add(st, "cli", user, pw, sc, zc_now(), &err) != ZC_OK) {
        rc = central_cmd_fail("%s", err.msg);
        goto out;
    }
    printf("added admin %s (%s); sign in at /admin/login\n", user, central_admin_role_code(sc->role));
out:
    sodium_memzero(pw, sizeof pw);
    central_store_close(st);
    return rc;
}

static int admin_link(const char *db, const char *user, const char *minutes, const char *base)
{
    char token[CENTRAL_ADMIN_TOKEN_HEX];
    central_store *st = NULL;
    zc_err err = {""};
    long m = LINK_MINUTES;
    if (minutes) {
        char *end = NULL;
        m = strtol(minutes, &end, 10);
        if (end == minutes || *end || m < 1 || m > CENTRAL_ADMIN_LINK_MAX_S / 60)
            return central_cmd_usage(admin_usage, "--minutes must be 1 to %d",
                                     CENTRAL_ADMIN_LINK_MAX_S / 60);
    }
    if (base && strncmp(base, "http://", 7) != 0 && strncmp(base, "https://", 8) != 0)
        return central_cmd_usage(admin_usage, "--base must start with http:// or https://");
    int rc = CMD_OK;
    if (central_store_open(db, 0, &st, &err) != ZC_OK ||
        central_store_admin_token_new(st, user, CENTRAL_ADMIN_LINK, zc_now(),
                                      (int)m * 60, token, &err) != ZC_OK) {
        rc = central_cmd_fail("%s", err.msg);
    } else {
        size_t n = base ? strlen(base) : 0;
        while (n > 0 && base[n - 1] == '/')
            n--;
        printf("%.*s/admin/link?t=%s\n", (int)n, base ? base : "", token);
        fprintf(stderr, "the link signs in as %s once, within %ld minutes\n", user, m);
    }
    sodium_memzero(token, sizeof token);
    central_store_close(st);
    return rc;
}

int central_cmd_admin(int argc, char **argv)
{
    const char *db = NULL, *user = NULL, *minutes = NULL, *base = NULL, *role = NULL,
               *canteens = NULL, *pos[1];
    central_admin_scope sc;
    int npos;
    bool add = argc >= 3 && !strcmp(argv[2], "add"), link = argc >= 3 && !strcmp(argv[2], "link");
    zc_opt opts[] = {{"--db", &db, NULL},           {"--user", &user, NULL},
                          {"--minutes", &minutes, NULL}, {"--base", &base, NULL},
                          {"--role", &role, NULL},       {"--canteen", &canteens, NULL},
                          {NULL, NULL, NULL}};
    if (!add && !link)
        return argc >= 3 && !strcmp(argv[2], "--help") ? (fputs(admin_usage, stdout), CMD_HELP)
                                                      : central_cmd_usage(admin_usage,
                                                                          "say: admin add or admin link");
    int rc = central_cmd_parse(argc, argv, 3, opts, pos, 0, &npos, admin_usage);
    if (rc)
        return rc;
    if (!db || !user)
        return central_cmd_usage(admin_usage, "--db and --user are required");
    if (add && (minutes || base))
        return central_cmd_usage(admin_usage, "--minutes and --base belong to admin link");
    if (link && (role || canteens))
        return central_cmd_usage(admin_usage, "--role and --canteen belong to admin add");
    if (add && (rc = scope_of(role, canteens, &sc)))
        return rc;
    return add ? admin_add(db, user, &sc) : admin_link(db, user, minutes, base);
}
