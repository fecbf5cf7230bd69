/* cmd.c - the operator's commands of zhucan-central (cmd.h): creating the
 * database, canteens, terminals and their tokens, importing the roster,
 * publishing policies, blacklisting cards, the QR key, the report.  `serve`
 * is in main.c. */
#include "../core/clock.h"
#include "cmd.h"

#include <cjson/cJSON.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "../core/card.h"
#include "cstore.h"

#define POLICY_FILE_MAX (1 << 20)

/* ---- options ---- */

#define PROG "zhucan-central"

int central_cmd_fail(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int rc = zc_opts_vfail(PROG, fmt, ap);
    va_end(ap);
    return rc;
}

int central_cmd_usage(const char *usage, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int rc = zc_opts_vusage(PROG, usage, fmt, ap);
    va_end(ap);
    return rc;
}

int central_cmd_parse(int argc, char **argv, int first, const zc_opt *opts, const char **pos,
                      int maxpos, int *npos, const char *usage)
{
    return zc_opts_parse(PROG, argc, argv, first, opts, pos, maxpos, npos, usage);
}

/* An id for canteens and terminals: 1 to 47 of [A-Za-z0-9_.-]. */
static bool id_ok(const char *s)
{
    size_t n = strlen(s);
    if (n == 0 || n >= ZC_ID_MAX)
        return false;
    for (; *s; s++)
        if (!((*s >= '0' && *s <= '9') || (*s >= 'A' && *s <= 'Z') || (*s >= 'a' && *s <= 'z') ||
              *s == '-' || *s == '_' || *s == '.'))
            return false;
    return true;
}

static bool region_ok(const char *s)
{
    size_t n = strlen(s);
    if (n > 12)
        return false;
    for (; *s; s++)
        if (*s < '0' || *s > '9')
            return false;
    return true;
}

/* Opens an existing database, printing why not. */
static central_store *open_db(const char *path)
{
    central_store *st = NULL;
    zc_err err = {""};
    if (central_store_open(path, 0, &st, &err) != ZC_OK) {
        central_cmd_fail("%s", err.msg);
        return NULL;
    }
    return st;
}

/* ---- init ---- */

static const char init_usage[] =
    "usage: zhucan-central init --db DB\n"
    "Creates the central database (mode 0600) with its ID-number salt.\n"
    "Refuses a file that already exists.\n";

int central_cmd_init(int argc, char **argv)
{
    const char *db = NULL, *pos[1];
    int npos;
    zc_opt opts[] = {{"--db", &db, NULL}, {NULL, NULL, NULL}};
    int rc = central_cmd_parse(argc, argv, 2, opts, pos, 0, &npos, init_usage);
    if (rc)
        return rc;
    if (!db)
        return central_cmd_usage(init_usage, "--db is required");
    central_store *st = NULL;
    zc_err err = {""};
    if (central_store_open(db, CENTRAL_STORE_CREATE, &st, &err) != ZC_OK)
        return central_cmd_fail("%s", err.msg);
    central_store_close(st);
    printf("created %s\n", db);
    return CMD_OK;
}

/* ---- canteen add ---- */

static const char canteen_usage[] =
    "usage: zhucan-central canteen add --db DB --id ID --name NAME\n"
    "                                  [--city CODE] [--district CODE] [--town CODE]\n"
    "Adds a canteen.  ID: letters, digits, '-', '_', '.'; region codes: up to 12 digits\n"
    "(they decide \"home district\" funding shares).\n";

int central_cmd_canteen(int argc, char **argv)
{
    const char *db = NULL, *id = NULL, *name = NULL, *city = "", *district = "", *town = "", *pos[1];
    int npos;
    zc_opt opts[] = {{"--db", &db, NULL},         {"--id", &id, NULL},
                          {"--name", &name, NULL},     {"--city", &city, NULL},
                          {"--district", &district, NULL}, {"--town", &town, NULL},
                          {NULL, NULL, NULL}};
    if (argc < 3 || strcmp(argv[2], "add") != 0)
        return argc >= 3 && !strcmp(argv[2], "--help") ? (fputs(canteen_usage, stdout), CMD_HELP)
                                                      : central_cmd_usage(canteen_usage, "say: canteen add");
    int rc = central_cmd_parse(argc, argv, 3, opts, pos, 0, &npos, canteen_usage);
    if (rc)
        return rc;
    if (!db || !id || !name)
        return central_cmd_usage(canteen_usage, "--db, --id and --name are required");
    if (!id_ok(id))
        return central_cmd_fail("canteen id \"%s\" must be 1 to %d letters, digits, '-', '_' or '.'",
                                id, ZC_ID_MAX - 1);
    if (!*name || strlen(name) >= ZC_NAME_MAX)
        return central_cmd_fail("the canteen name must be 1 to %d bytes", ZC_NAME_MAX - 1);
    if (!region_ok(city) || !region_ok(district) || !region_ok(town))
        return central_cmd_fail("--city, --district and --town are region codes of up to 12 digits");
    zc_canteen c;
    memset(&c, 0, sizeof c);
    snprintf(c.id, sizeof c.id, "%s", id);
    snprintf(c.name, sizeof c.name, "%s", name);
    snprintf(c.city, sizeof c.city, "%s", city);
    snprintf(c.district, sizeof c.district, "%s", district);
    snprintf(c.town, sizeof c.town, "%s", town);
    central_store *st = open_db(db);
    if (!st)
        return CMD_FAIL;
    zc_err err = {""};
    rc = central_store_canteen_add(st, &c, &err) == ZC_OK ? CMD_OK : central_cmd_fail("%s", err.msg);
    central_store_close(st);
    if (rc == CMD_OK)
        printf("added canteen %s\n", id);
    return rc;
}

/* ---- terminal add ---- */

static const char terminal_usage[] =
    "usage: zhucan-central terminal add --db DB --id ID --canteen ID [--card-format FMT]\n"
    "Adds a terminal of a canteen and prints its secret token ONCE on stdout; the centre\n"
    "keeps only its SHA-256.  Put the token in the terminal's configuration.\n"
    "FMT is how the terminal's card reader types cards: hex10 (default), dec10, dec8, facility.\n";

int central_cmd_terminal(int argc, char **argv)
{
    const char *db = NULL, *id = NULL, *canteen = NULL, *fmt = "hex10", *pos[1];
    int npos;
    zc_opt opts[] = {{"--db", &db, NULL},
                          {"--id", &id, NULL},
                          {"--canteen", &canteen, NULL},
                          {"--card-format", &fmt, NULL},
                          {NULL, NULL, NULL}};
    if (argc < 3 || strcmp(argv[2], "add") != 0)
        return argc >= 3 && !strcmp(argv[2], "--help")
                   ? (fputs(terminal_usage, stdout), CMD_HELP)
                   : central_cmd_usage(terminal_usage, "say: terminal add");
    int rc = central_cmd_parse(argc, argv, 3, opts, pos, 0, &npos, terminal_usage);
    if (rc)
        return rc;
    if (!db || !id || !canteen)
        return central_cmd_usage(terminal_usage, "--db, --id and --canteen are required");
    if (!id_ok(id))
        return central_cmd_fail("terminal id \"%s\" must be 1 to %d letters, digits, '-', '_' or '.'",
                                id, ZC_ID_MAX - 1);
    zc_card_fmt f;
    if (zc_card_fmt_parse(fmt, &f) != ZC_OK)
        return central_cmd_fail("--card-format must be hex10, dec10, dec8 or facility, not \"%s\"", fmt);
    central_terminal t;
    char token[65];
    memset(&t, 0, sizeof t);
    snprintf(t.id, sizeof t.id, "%s", id);
    snprintf(t.canteen_id, sizeof t.canteen_id, "%.47s", canteen);
    snprintf(t.card_format, sizeof t.card_format, "%s", zc_card_fmt_name(f));
    zc_random_hex(32, token);
    zc_sha256_hex(token, strlen(token), t.token_hash);
    central_store *st = open_db(db);
    if (!st)
        return CMD_FAIL;
    zc_err err = {""};
    rc = central_store_terminal_add(st, &t, &err) == ZC_OK ? CMD_OK : central_cmd_fail("%s", err.msg);
    central_store_close(st);
    if (rc == CMD_OK) {
        printf("%s\n", token);
        fprintf(stderr, "terminal %s added to canteen %s; the token above is shown only now\n", id,
                canteen);
    }
    return rc;
}

/* ---- roster import ---- */

static const char roster_usage[] =
    "usage: zhucan-central roster import --db DB FILE.csv\n"
    "Imports the elder roster (columns in docs/roster.md), all or nothing: every bad\n"
    "row is listed on stderr as \"line N: field: reason\" and then nothing is stored.\n"
    "Elders in the file replace the stored ones (cards included); others are kept.\n"
    "ID numbers are kept only as a keyed hash and their last four characters.\n";

int central_cmd_roster(int argc, char **argv)
{
    const char *db = NULL, *pos[1];
    int npos;
    zc_opt opts[] = {{"--db", &db, NULL}, {NULL, NULL, NULL}};
    if (argc < 3 || strcmp(argv[2], "import") != 0)
        return argc >= 3 && !strcmp(argv[2], "--help")
                   ? (fputs(roster_usage, stdout), CMD_HELP)
                   : central_cmd_usage(roster_usage, "say: roster import");
    int rc = central_cmd_parse(argc, argv, 3, opts, pos, 1, &npos, roster_usage);
    if (rc)
        return rc;
    if (!db || npos != 1)
        return central_cmd_usage(roster_usage, "--db and one CSV file are required");
    FILE *f = fopen(pos[0], "rb");
    if (!f)
        return central_cmd_fail("cannot read %s; check the file name", pos[0]);
    central_store *st = open_db(db);
    long rows = 0, changed = 0;
    zc_err err = {""};
    if (!st)
        rc = CMD_FAIL;
    else if (central_store_roster_import(st, f, stderr, &rows, &changed, &err) != ZC_OK)
        rc = central_cmd_fail("%s", err.msg);
    else
        printf("imported %ld elders from %s (%ld new or changed)\n", rows, pos[0], changed);
    central_store_close(st);
    fclose(f);
    return rc;
}

/* ---- policy publish, calendar publish ---- */

static const char policy_usage[] =
    "usage: zhucan-central policy publish --db DB FILE.json\n"
    "Checks a policy (docs/policy.md) and publishes it to the terminals.  A published\n"
    "version never changes: publishing the same text again is fine, other text under the\n"
    "same policy and version is refused.  A policy listing \"canteens\" or\n"
    "\"canteen_types\" is sent only to the terminals of those canteens.\n";

static const char calendar_usage[] =
    "usage: zhucan-central calendar publish --db DB FILE.json\n"
    "Checks the official calendar of working days and public holidays (docs/policy.md,\n"
    "\"Calendar\"; db/calendar/cn.json) and publishes it: terminals receive it with their\n"
    "next policy sync and the version published last is used.  A published version never\n"
    "changes: publish next year's days under a new \"version\".\n";

typedef int (*publish_fn)(central_store *st, const char *json, size_t len, bool *existed,
                          zc_err *err);

/* `zhucan-central WHAT publish --db DB FILE`: reads FILE (at most 1 MiB)
 * and hands it to publish, which validates and stores it. */
static int publish_file(int argc, char **argv, const char *usage, const char *what,
                        publish_fn publish)
{
    const char *db = NULL, *pos[1];
    int npos;
    zc_opt opts[] = {{"--db", &db, NULL}, {NULL, NULL, NULL}};
    if (argc < 3 || strcmp(argv[2], "publish") != 0)
        return argc >= 3 && !strcmp(argv[2], "--help")
                   ? (fputs(usage, stdout), CMD_HELP)
                   : central_cmd_usage(usage, "say: %s publish", what);
    int rc = central_cmd_parse(argc, argv, 3, opts, pos, 1, &npos, usage);
    if (rc)
        return rc;
    if (!db || npos != 1)
        return central_cmd_usage(usage, "--db and one %s file are required", what);
    FILE *f = fopen(pos[0], "rb");
    char *buf = malloc(POLICY_FILE_MAX + 1);
    size_t n = 0;
    if (!f || !buf) {
        free(buf);
        if (f)
            fclose(f);
        return central_cmd_fail("cannot read %s", pos[0]);
    }
    n = fread(buf, 1, POLICY_FILE_MAX + 1, f);
    bool ioerr = ferror(f) != 0;
    fclose(f);
    if (ioerr || n > POLICY_FILE_MAX) {
        free(buf);
        return central_cmd_fail("%s: %s", pos[0], ioerr ? "cannot be read" : "is larger than 1 MiB");
    }
    buf[n] = '\0';
    central_store *st = open_db(db);
    bool existed = false;
    zc_err err = {""};
    if (!st)
        rc = CMD_FAIL;
    else if (publish(st, buf, n, &existed, &err) != ZC_OK)
        rc = central_cmd_fail("%s: %s", pos[0], err.msg);
    else
        printf("%s %s\n", existed ? "already published:" : "published", pos[0]);
    central_store_close(st);
    free(buf);
    return rc;
}

int central_cmd_policy(int argc, char **argv)
{
    return publish_file(argc, argv, policy_usage, "policy", central_store_policy_publish);
}

int central_cmd_calendar(int argc, char **argv)
{
    return publish_file(argc, argv, calendar_usage, "calendar", central_store_calendar_publish);
}

/* ---- card set ---- */

static const char card_usage[] =
    "usage: zhucan-central card set --db DB --uid UID --status active|lost|blocked\n"
    "Blacklists (or clears) a card at once; terminals pull it with the roster.  A sale\n"
    "made with it after this moment on a terminal that had not synced is flagged.\n";

int central_cmd_card(int argc, char **argv)
{
    const char *db = NULL, *uid = NULL, *status = NULL, *pos[1];
    int npos;
    zc_opt opts[] = {{"--db", &db, NULL}, {"--uid", &uid, NULL}, {"--status", &status, NULL},
                          {NULL, NULL, NULL}};
    if (argc < 3 || strcmp(argv[2], "set") != 0)
        return argc >= 3 && !strcmp(argv[2], "--help") ? (fputs(card_usage, stdout), CMD_HELP)
                                                      : central_cmd_usage(card_usage, "say: card set");
    int rc = central_cmd_parse(argc, argv, 3, opts, pos, 0, &npos, card_usage);
    if (rc)
        return rc;
    if (!db || !uid || !status)
        return central_cmd_usage(card_usage, "--db, --uid and --status are required");
    uint64_t v;
    char hex[16];
    zc_err err = {""};
    if (zc_card_uid_parse(uid, &v, &err) != ZC_OK)
        return central_cmd_fail("--uid: %s", err.msg);
    central_store *st = open_db(db);
    if (!st)
        return CMD_FAIL;
    rc = central_store_card_set(st, zc_card_uid_fmt(v, hex, sizeof hex), status, zc_now(),
                                &err) == ZC_OK
             ? CMD_OK
             : central_cmd_fail("%s", err.msg);
    central_store_close(st);
    if (rc == CMD_OK)
        printf("card %s is %s\n", hex, status);
    return rc;
}

/* ---- QR key ---- */

static const char qr_key_usage[] =
    "usage: zhucan-central qr-key --db DB\n"
    "Creates the Ed25519 key pair for elders' QR codes if there is none, and prints the\n"
    "public key (64 hex digits).  Terminals get it with GET /api/v1/config.\n";

int central_cmd_qr_key(int argc, char **argv)
{
    const char *db = NULL, *pos[1];
    int npos;
    zc_opt opts[] = {{"--db", &db, NULL}, {NULL, NULL, NULL}};
    int rc = central_cmd_parse(argc, argv, 2, opts, pos, 0, &npos, qr_key_usage);
    if (rc)
        return rc;
    if (!db)
        return central_cmd_usage(qr_key_usage, "--db is required");
    central_store *st = open_db(db);
    if (!st)
        return CMD_FAIL;
    char pkhex[2 * ZC_QR_PK_BYTES + 1], skhex[2 * ZC_QR_SK_BYTES + 1];
    unsigned char pk[ZC_QR_PK_BYTES], sk[ZC_QR_SK_BYTES];
    zc_err err = {""};
    if (central_store_meta_get(st, "qr_pubkey", pkhex, sizeof pkhex) != ZC_OK) {
        if (zc_qr_keygen(pk, sk) != ZC_OK) {
            rc = central_cmd_fail("could not make a key pair");
        } else {
            zc_hex_encode(pk, ZC_QR_PK_BYTES, pkhex, sizeof pkhex);
            zc_hex_encode(sk, ZC_QR_SK_BYTES, skhex, sizeof skhex);
            if (central_store_meta_set(st, "qr_secret", skhex, &err) != ZC_OK ||
                central_store_meta_set(st, "qr_pubkey", pkhex, &err) != ZC_OK)
                rc = central_cmd_fail("%s", err.msg);
        }
        memset(sk, 0, sizeof sk);
        memset(skhex, 0, sizeof skhex);
    }
    central_store_close(st);
    if (rc == CMD_OK)
        printf("%s\n", pkhex);
    return rc;
}

static const char qr_issue_usage[] =
    "usage: zhucan-central qr-issue --db DB --elder ID --expires YYYY-MM-DD\n"
    "Prints a signed QR token (ZCQ1....) for an elder on the roster, valid through the\n"
    "given day.  Needs the key pair from `qr-key`.\n";

int central_cmd_qr_issue(int argc, char **argv)
{
    const char *db = NULL, *elder = NULL, *expires = NULL, *pos[1];
    int npos;
    zc_opt opts[] = {{"--db", &db, NULL}, {"--elder", &elder, NULL},
                          {"--expires", &expires, NULL}, {NULL, NULL, NULL}};
    int rc = central_cmd_parse(argc, argv, 2, opts, pos, 0, &npos, qr_issue_usage);
    if (rc)
        return rc;
    zc_date exp;
    if (!db || !elder || !expires)
        return central_cmd_usage(qr_issue_usage, "--db, --elder and --expires are required");
    if (zc_date_parse(expires, &exp) != ZC_OK)
        return central_cmd_usage(qr_issue_usage, "--expires must be a date YYYY-MM-DD");
    central_store *st = open_db(db);
    if (!st)
        return CMD_FAIL;
    char skhex[2 * ZC_QR_SK_BYTES + 1], token[256];
    unsigned char sk[ZC_QR_SK_BYTES];
    zc_elder e;
    zc_err err = {""};
    if (central_store_elder_get(st, elder, &e, &err) != ZC_OK)
        rc = central_cmd_fail("elder %s is not on the roster", elder);
    else if (central_store_meta_get(st, "qr_secret", skhex, sizeof skhex) != ZC_OK ||
             zc_hex_decode(skhex, sk, ZC_QR_SK_BYTES) != ZC_OK)
        rc = central_cmd_fail("there is no QR key yet; make one with `zhucan-central qr-key`");
    else if (zc_qr_issue(sk, elder, exp, token, sizeof token, &err) != ZC_OK)
        rc = central_cmd_fail("%s", err.msg);
    else
        printf("%s\n", token);
    memset(sk, 0, sizeof sk);
    memset(skhex, 0, sizeof skhex);
    central_store_close(st);
    return rc;
}

/* ---- report ---- */

static const char report_usage[] =
    "usage: zhucan-central report --db DB [--terminal ID]\n"
    "       zhucan-central report settlement ...   (the month's claim: report settlement --help)\n"
    "Prints, as JSON: per terminal its sales, fen, highest seq, missing seqs (gaps) and\n"
    "chain breaks; the flagged sales (re-quote mismatches, double use across canteens,\n"
    "blacklisted cards ...); conflicts; each closing next to the centre's own totals.\n";

int central_cmd_report(int argc, char **argv)
{
    const char *db = NULL, *terminal = NULL, *pos[1];
    int npos;
    zc_opt opts[] = {{"--db", &db, NULL}, {"--terminal", &terminal, NULL}, {NULL, NULL, NULL}};
    if (argc >= 3 && strcmp(argv[2], "settlement") == 0)
        return central_cmd_settlement(argc, argv);
    if (argc >= 3 && strncmp(argv[2], "-", 1) != 0)
        return central_cmd_usage(report_usage, "unknown report '%s'", argv[2]);
    int rc = central_cmd_parse(argc, argv, 2, opts, pos, 0, &npos, report_usage);
    if (rc)
        return rc;
    if (!db)
        return central_cmd_usage(report_usage, "--db is required");
    central_store *st = open_db(db);
    if (!st)
        return CMD_FAIL;
    cJSON *o = cJSON_CreateObject();
    char *text = NULL;
    zc_err err = {""};
    if (!o)
        rc = central_cmd_fail("out of memory");
    else if (central_store_report(st, terminal, o, &err) != ZC_OK)
        rc = central_cmd_fail("%s", err.msg);
    else if (!(text = cJSON_Print(o)))
        rc = central_cmd_fail("out of memory");
    else
        printf("%s\n", text);
    cJSON_free(text);
    cJSON_Delete(o);
    central_store_close(st);
    return rc;
}
