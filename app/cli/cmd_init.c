/* cmd_init.c - `zhucan init`, `zhucan import-roster`, `zhucan config`. */
#include <errno.h>
#include <sodium.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../core/embed.h"
#include "../till/till.h"
#include "cli.h"

#define DEFAULT_POLICY "db/policies/beijing.json"
#define POLICY_FILE_MAX (1 << 20)

/* Reads a whole small file into a malloc'd NUL-terminated buffer (caller frees). */
static char *read_file(const char *path, size_t max, size_t *len, zc_err *err)
{
    FILE *f = fopen(path, "rb");
    char *buf = NULL;
    size_t n;
    if (!f) {
        zc_errf(err, ZC_EIO, "cannot open %s: %s", path, strerror(errno));
        return NULL;
    }
    buf = malloc(max + 1);
    if (!buf) {
        zc_errf(err, ZC_ENOMEM, "out of memory reading %s", path);
        goto out;
    }
    n = fread(buf, 1, max + 1, f);
    if (ferror(f) || n > max) {
        zc_errf(err, ZC_ETOOBIG, "%s: %s", path, ferror(f) ? "read error" : "file too large");
        free(buf);
        buf = NULL;
        goto out;
    }
    buf[n] = '\0';
    *len = n;
out:
    fclose(f);
    return buf;
}

static const char init_usage[] =
    "usage: zhucan init --db DB [--demo] [--elders N] [--seed N] [--policy FILE]\n"
    "\n"
    "Creates a new terminal database (mode 0600).  The policy defaults to the\n"
    "built-in Beijing policy.  --demo adds a realistic canteen: menus, operators\n"
    "c1/1111 c2/2222 (cashiers), s1/8888 (supervisor), a1/9999 (admin), fixture\n"
    "elders (docs/demo.md) and N synthetic elders (default 2000), plus a demo QR\n"
    "key whose secret half is written to DB.qrkey.\n";

int cmd_init(int argc, char **argv)
{
    const char *db = NULL, *elders_s = NULL, *seed_s = NULL, *policy_path = NULL, *pos[1];
    bool demo = false;
    long elders = 2000;
    unsigned long long seed = 1;
    int npos, rc = CLI_FAIL;
    char *policy_owned = NULL, *end;
    const char *policy;
    size_t plen;
    till_t *t = NULL;
    zc_err err = {{0}};
    struct stat sb;
    const zc_opt opts[] = {
        {"--db", &db, NULL},          {"--demo", NULL, &demo},      {"--elders", &elders_s, NULL},
        {"--seed", &seed_s, NULL},    {"--policy", &policy_path, NULL}, {NULL, NULL, NULL},
    };
    int prc = cli_parse(argc, argv, 2, opts, pos, 0, &npos, init_usage);
    if (prc)
        return prc;
    if (!db)
        return cli_usage(init_usage, "--db is required");
    if (elders_s) {
        errno = 0;
        elders = strtol(elders_s, &end, 10);
        if (errno || *end || elders < 0 || elders > 20000000)
            return cli_usage(init_usage, "--elders must be a number from 0 to 20000000");
    }
    if (seed_s) {
        errno = 0;
        seed = strtoull(seed_s, &end, 10);
        if (errno || *end)
            return cli_usage(init_usage, "--seed must be a number");
    }
    if (stat(db, &sb) == 0)
        return cli_fail("%s already exists; choose another path or remove it first", db);

    if (policy_path) {
        policy_owned = read_file(policy_path, POLICY_FILE_MAX, &plen, &err);
        if (!policy_owned) {
            cli_fail("%s", err.msg);
            goto out;
        }
        policy = policy_owned;
    } else {
        policy = embed_get(DEFAULT_POLICY);
        if (!policy) {
            cli_fail("built-in policy %s missing from this build", DEFAULT_POLICY);
            goto out;
        }
        plen = strlen(policy);
    }
    if (till_open(db, STORE_CREATE, &t, &err) != ZC_OK) {
        cli_fail("%s", err.msg);
        goto out;
    }
    if (demo) {
        unsigned char pk[ZC_QR_PK_BYTES], sk[ZC_QR_SK_BYTES];
        char hex[2 * ZC_QR_SK_BYTES + 1], keypath[4096];
        int fd;
        if (store_demo_fill(till_store(t), policy, elders, seed, &err) != ZC_OK) {
            cli_fail("demo data: %s", err.msg);
            goto out;
        }
        if (zc_qr_keygen(pk, sk) != ZC_OK ||
            store_meta_set(till_store(t), "qr_pubkey", zc_hex_encode(pk, ZC_QR_PK_BYTES, hex, sizeof hex),
                           &err) != ZC_OK) {
            cli_fail("demo QR key: %s", err.msg);
            goto out;
        }
        snprintf(keypath, sizeof keypath, "%s.qrkey", db);
        fd = open(keypath, O_WRONLY | O_CREAT | O_TRUNC, 0600);
        if (fd < 0) {
            cli_fail("cannot write %s: %s", keypath, strerror(errno));
            goto out;
        }
        zc_hex_encode(sk, ZC_QR_SK_BYTES, hex, sizeof hex);
        if (write(fd, hex, strlen(hex)) < 0 || close(fd) != 0) {
            cli_fail("cannot write %s: %s", keypath, strerror(errno));
            goto out;
        }
        fprintf(stderr, "zhucan: demo canteen with %ld synthetic elders in %s\n", elders, db);
    } else {
        if (store_policy_add(till_store(t), policy, plen, &err) != ZC_OK ||
            store_meta_set(till_store(t), "tz", "Asia/Shanghai", &err) != ZC_OK ||
            store_meta_set(till_store(t), "card_format", "hex10", &err) != ZC_OK) {
            cli_fail("%s", err.msg);
            goto out;
        }
        fprintf(stderr, "zhucan: new terminal database %s; set terminal_id and canteen_id with "
                        "'zhucan config set'\n", db);
    }
    rc = CLI_OK;
out:
    till_close(t);
    free(policy_owned);
    if (rc != CLI_OK && stat(db, &sb) == 0) {
        /* a half-made database is worse than none: remove it and its WAL */
        char p[4096];
        unlink(db);
        snprintf(p, sizeof p, "%s-wal", db);
        unlink(p);
        snprintf(p, sizeof p, "%s-shm", db);
        unlink(p);
    }
    return rc;
}

static const char roster_usage[] =
    "usage: zhucan import-roster --db DB FILE.csv\n"
    "\n"
    "Imports elders and their cards (columns in docs/roster.md).  All or nothing:\n"
    "if any row is bad, nothing is imported and every bad row is listed with its\n"
    "line number and reason.\n";

int cmd_import_roster(int argc, char **argv)
{
    const char *db = NULL, *pos[1];
    int npos, rc = CLI_FAIL;
    till_t *t = NULL;
    FILE *f = NULL;
    long rows = 0;
    zc_err err = {{0}};
    const zc_opt opts[] = {{"--db", &db, NULL}, {NULL, NULL, NULL}};
    int prc = cli_parse(argc, argv, 2, opts, pos, 1, &npos, roster_usage);
    if (prc)
        return prc;
    if (!db || npos != 1)
        return cli_usage(roster_usage, "--db and one CSV file are required");
    f = fopen(pos[0], "rb");
    if (!f)
        return cli_fail("cannot open %s: %s", pos[0], strerror(errno));
    if (till_open(db, 0, &t, &err) != ZC_OK) {
        cli_fail("%s", err.msg);
        goto out;
    }
    if (store_roster_import(till_store(t), f, stderr, &rows, &err) != ZC_OK) {
        cli_fail("%s: %s; nothing was imported", pos[0], err.msg);
        goto out;
    }
    printf("%ld rows imported\n", rows);
    rc = CLI_OK;
out:
    till_close(t);
    if (f)
        fclose(f);
    return rc;
}

static const char config_usage[] =
    "usage: zhucan config get --db DB KEY\n"
    "       zhucan config set --db DB KEY VALUE\n"
    "       zhucan config set --db DB sync_token [--from-file F]\n"
    "       zhucan config unset --db DB KEY\n"
    "\n"
    "Keys: terminal_id, canteen_id, card_format (hex10|dec10|dec8|facility),\n"
    "tz (e.g. Asia/Shanghai), qr_pubkey (64 hex digits), server_url, printer,\n"
    "lang (zh_CN|en), volume (0-100), reader_burst_ms (5-200),\n"
    "pin_min_cashier (4-8 digits for new cashier PINs; supervisors and admins 6+),\n"
    "sync_token (the secret the centre printed at `terminal add`: read from the\n"
    "first line of stdin or of --from-file F, never an argument, and never printed\n"
    "back; stored sealed with the key file next to the database), ca_file\n"
    "(a private CA certificate for the centre's TLS), export_dir (a folder the\n"
    "kiosk's reports screen offers for export, besides USB sticks under /media).\n"
    "unset removes an optional setting (all but terminal_id, canteen_id and tz):\n"
    "without server_url the terminal works alone.\n";

/* Settings that may be removed: each has a default or means "none". */
static bool optional_key(const char *key)
{
    static const char *const keys[] = {"server_url", "sync_token",  "ca_file", "printer",
                                       "export_dir", "qr_pubkey",   "lang",    "volume",
                                       "card_format", "reader_burst_ms", "pin_min_cashier"};
    for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++)
        if (strcmp(key, keys[i]) == 0)
            return true;
    return false;
}

/* Checks a setting's value before it is stored. */
static int config_check(const char *key, const char *val, zc_err *err)
{
    if (strcmp(key, "card_format") == 0) {
        zc_card_fmt f;
        return zc_card_fmt_parse(val, &f) == ZC_OK
                   ? ZC_OK
                   : zc_errf(err, ZC_EINVAL, "card_format must be hex10, dec10, dec8 or facility");
    }
    if (strcmp(key, "tz") == 0)
        return zc_tz_check(val, err);
    if (strcmp(key, "qr_pubkey") == 0) {
        unsigned char pk[ZC_QR_PK_BYTES];
        return zc_hex_decode(val, pk, ZC_QR_PK_BYTES) == ZC_OK
                   ? ZC_OK
                   : zc_errf(err, ZC_EINVAL, "qr_pubkey must be 64 hex digits");
    }
    if (strcmp(key, "lang") == 0)
        return strcmp(val, "zh_CN") == 0 || strcmp(val, "en") == 0
                   ? ZC_OK
                   : zc_errf(err, ZC_EINVAL, "lang must be zh_CN or en");
    if (strcmp(key, "volume") == 0) {
        char *end;
        long v = strtol(val, &end, 10);
        return *val && !*end && v >= 0 && v <= 100 ? ZC_OK
                                                   : zc_errf(err, ZC_EINVAL, "volume must be 0 to 100");
    }
    if (strcmp(key, "pin_min_cashier") == 0) {
        char *end;
        long v = strtol(val, &end, 10);
        return *val && !*end && v >= 4 && v <= 8
                   ? ZC_OK
                   : zc_errf(err, ZC_EINVAL, "pin_min_cashier must be 4 to 8 (digits)");
    }
    if (strcmp(key, "reader_burst_ms") == 0) {
        char *end;
        long v = strtol(val, &end, 10);
        return *val && !*end && v >= 5 && v <= 200
                   ? ZC_OK
                   : zc_errf(err, ZC_EINVAL, "reader_burst_ms must be 5 to 200 (milliseconds between reader keystrokes)");
    }
    if (strcmp(key, "terminal_id") == 0 || strcmp(key, "canteen_id") == 0 ||
        strcmp(key, "server_url") == 0 || strcmp(key, "printer") == 0 ||
        strcmp(key, "sync_token") == 0 || strcmp(key, "ca_file") == 0 ||
        strcmp(key, "export_dir") == 0) {
        if (!*val || strlen(val) > 200)
            return zc_errf(err, ZC_EINVAL, "%s must be 1 to 200 characters", key);
        for (const char *p = val; *p; p++)
            if ((unsigned char)*p < 0x20)
                return zc_errf(err, ZC_EINVAL, "%s must not contain control characters", key);
        return ZC_OK;
    }
    return zc_errf(err, ZC_EINVAL, "unknown setting '%s'; see zhucan config --help", key);
}

/* Reads a secret setting's value: the first line of path (or of stdin
 * when path is NULL), at most 200 bytes, into buf. */
static int read_secret_line(const char *key, const char *path, char buf[256], zc_err *err)
{
    FILE *f = path ? fopen(path, "r") : stdin;
    if (!f)
        return zc_errf(err, ZC_EIO, "cannot read %s: %s", path, strerror(errno));
    char *got = fgets(buf, 256, f);
    if (path)
        fclose(f);
    size_t n = got ? strlen(buf) : 0;
    while (n > 0 && (buf[n - 1] == '\n' || buf[n - 1] == '\r'))
        buf[--n] = '\0';
    if (n == 0)
        return zc_errf(err, ZC_EINVAL, "no %s was given: put it on the first line of %s", key,
                       path ? path : "stdin (zhucan config set --db DB sync_token < FILE)");
    return ZC_OK;
}

int cmd_config(int argc, char **argv)
{
    const char *db = NULL, *from = NULL, *pos[3];
    int npos, rc = CLI_FAIL;
    store_t *st = NULL;
    zc_err err = {{0}};
    char buf[512], secret[256] = "";
    const zc_opt opts[] = {{"--db", &db, NULL}, {"--from-file", &from, NULL}, {NULL, NULL, NULL}};
    int prc = cli_parse(argc, argv, 2, opts, pos, 3, &npos, config_usage);
    if (prc)
        return prc;
    if (!db || npos < 2)
        return cli_usage(config_usage, "--db, get|set|unset and a KEY are required");
    bool set = strcmp(pos[0], "set") == 0, unset = strcmp(pos[0], "unset") == 0;
    if (!set && !unset && strcmp(pos[0], "get") != 0)
        return cli_usage(config_usage, "say get, set or unset, not '%s'", pos[0]);
    bool hidden = strcmp(pos[1], "sync_token") == 0;
    if (hidden && set && npos == 3)
        return cli_usage(config_usage, "sync_token is never an argument (it would stay in the "
                         "shell's history and the process list): pipe it on stdin or give "
                         "--from-file F");
    if (from && !(hidden && set))
        return cli_usage(config_usage, "--from-file is for `config set ... sync_token`");
    if (hidden && !set && !unset)
        return cli_fail("sync_token is never printed; to change it, set it again");
    if (hidden && set) {
        if (read_secret_line(pos[1], from, secret, &err) != ZC_OK)
            return cli_fail("%s", err.msg);
        pos[npos++] = secret;
    }
    if (npos != (set ? 3 : 2))
        return cli_usage(config_usage, set ? "set needs KEY VALUE" : "get and unset need KEY");
    if (set && config_check(pos[1], pos[2], &err) != ZC_OK)
        return cli_fail("%s", err.msg);
    if (unset && !optional_key(pos[1]))
        return cli_fail("%s cannot be unset%s", pos[1],
                        config_check(pos[1], "x", &err) == ZC_EINVAL &&
                                strstr(err.msg, "unknown setting")
                            ? "; it is not a setting (see zhucan config --help)"
                            : ": the terminal needs it; set another value instead");
    if (store_open(db, 0, &st, &err) != ZC_OK) {
        cli_fail("%s", err.msg);
        goto out;
    }
    if (unset) {
        if (store_meta_del(st, pos[1], &err) != ZC_OK ||
            store_audit(st, NULL, "config_unset", pos[1], "", &err) != ZC_OK) {
            cli_fail("%s", err.msg);
            goto out;
        }
    } else if (set) {
        /* the token is a secret: the audit log records that it changed, not its value */
        const char *logged = strcmp(pos[1], "sync_token") == 0 ? "(secret)" : pos[2];
        if (store_meta_set(st, pos[1], pos[2], &err) != ZC_OK ||
            store_audit(st, NULL, "config", pos[1], logged, &err) != ZC_OK) {
            cli_fail("%s", err.msg);
            goto out;
        }
    } else {
        if (store_meta_get(st, pos[1], buf, sizeof buf) != ZC_OK) {
            cli_fail("setting '%s' is not set", pos[1]);
            goto out;
        }
        printf("%s\n", buf);
    }
    rc = CLI_OK;
out:
    sodium_memzero(secret, sizeof secret);
    store_close(st);
    return rc;
}
