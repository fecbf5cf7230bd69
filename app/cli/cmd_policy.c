/* cmd_policy.c - `zhucan policy check|add|list` and `zhucan qr keygen|issue`. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../till/till.h"
#include "cli.h"

static const char policy_usage[] =
    "usage: zhucan policy check FILE.json\n"
    "       zhucan policy add --db DB FILE.json\n"
    "       zhucan policy list --db DB\n"
    "\n"
    "check names the exact field and problem of a broken policy (docs/policy.md).\n"
    "add stores a new policy version; the one in force on a sale's date applies.\n";

static void print_policy(const zc_policy *p)
{
    char a[11], b[11];
    zc_date to = zc_policy_to(p);
    printf("%s %s \"%s\" from %s to %s, %d meal periods\n", zc_policy_id(p), zc_policy_version(p),
           zc_policy_name(p), zc_date_fmt(zc_policy_from(p), a, sizeof a),
           zc_date_is_set(to) ? zc_date_fmt(to, b, sizeof b) : "(open)", zc_policy_nperiods(p));
}

/* One line of `policy list`. */
static void print_row(void *arg, const store_policy_row *r)
{
    (void)arg;
    printf("%s %s from %s to %s\n", r->id, r->version, r->from, r->to);
}

int cmd_policy(int argc, char **argv)
{
    const char *db = NULL, *pos[2];
    int npos, rc = CLI_FAIL;
    zc_policy *p = NULL;
    store_t *st = NULL;
    zc_err err = {{0}};
    const zc_opt opts[] = {{"--db", &db, NULL}, {NULL, NULL, NULL}};
    int prc = cli_parse(argc, argv, 2, opts, pos, 2, &npos, policy_usage);
    if (prc)
        return prc;
    if (npos < 1)
        return cli_usage(policy_usage, "say check, add or list");
    if (strcmp(pos[0], "check") == 0) {
        if (npos != 2)
            return cli_usage(policy_usage, "policy check needs one FILE");
        if (zc_policy_load(pos[1], &p, &err) != ZC_OK)
            return cli_fail("%s", err.msg);
        printf("ok: ");
        print_policy(p);
        zc_policy_free(p);
        return CLI_OK;
    }
    if (strcmp(pos[0], "add") == 0) {
        FILE *f;
        char *buf = NULL;
        size_t n;
        if (!db || npos != 2)
            return cli_usage(policy_usage, "policy add needs --db and one FILE");
        if (zc_policy_load(pos[1], &p, &err) != ZC_OK)
            return cli_fail("%s", err.msg);
        f = fopen(pos[1], "rb");
        buf = malloc((1 << 20) + 1);
        if (!f || !buf) {
            cli_fail("cannot read %s", pos[1]);
            goto add_out;
        }
        n = fread(buf, 1, 1 << 20, f);
        buf[n] = '\0';
        if (store_open(db, 0, &st, &err) != ZC_OK || store_policy_add(st, buf, n, &err) != ZC_OK ||
            store_audit(st, NULL, "policy_add", zc_policy_id(p), zc_policy_version(p), &err) != ZC_OK) {
            cli_fail("%s", err.msg);
            goto add_out;
        }
        printf("added: ");
        print_policy(p);
        rc = CLI_OK;
    add_out:
        if (f)
            fclose(f);
        free(buf);
        store_close(st);
        zc_policy_free(p);
        return rc;
    }
    if (strcmp(pos[0], "list") == 0) {
        if (!db)
            return cli_usage(policy_usage, "policy list needs --db");
        if (store_open(db, STORE_READONLY, &st, &err) != ZC_OK) {
            cli_fail("%s", err.msg);
            goto list_out;
        }
        if (store_policy_each(st, print_row, NULL, &err) != ZC_OK) {
            cli_fail("cannot list policies: %s", err.msg);
            goto list_out;
        }
        rc = CLI_OK;
    list_out:
        store_close(st);
        return rc;
    }
    return cli_usage(policy_usage, "unknown policy command '%s'", pos[0]);
}

static const char qr_usage[] =
    "usage: zhucan qr keygen --out PREFIX\n"
    "       zhucan qr issue --key PREFIX.key --elder ID --expires YYYY-MM-DD\n"
    "\n"
    "keygen writes PREFIX.key (secret, mode 0600, stays at the centre) and\n"
    "PREFIX.pub (set it on terminals: zhucan config set --db DB qr_pubkey HEX).\n"
    "issue prints a signed token that a QR scanner types like a card.\n";

/* Writes text to path with the given mode. */
static int write_text(const char *path, const char *text, mode_t mode)
{
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, mode);
    if (fd < 0)
        return cli_fail("cannot write %s: %s", path, strerror(errno));
    size_t n = strlen(text);
    if (write(fd, text, n) != (ssize_t)n || write(fd, "\n", 1) != 1) {
        close(fd);
        return cli_fail("cannot write %s: %s", path, strerror(errno));
    }
    if (close(fd) != 0)
        return cli_fail("cannot write %s: %s", path, strerror(errno));
    return CLI_OK;
}

int cmd_qr(int argc, char **argv)
{
    const char *out = NULL, *key = NULL, *elder = NULL, *expires = NULL, *pos[1];
    int npos;
    zc_err err = {{0}};
    const zc_opt opts[] = {{"--out", &out, NULL},     {"--key", &key, NULL},
                            {"--elder", &elder, NULL}, {"--expires", &expires, NULL},
                            {NULL, NULL, NULL}};
    int prc = cli_parse(argc, argv, 2, opts, pos, 1, &npos, qr_usage);
    if (prc)
        return prc;
    if (npos != 1)
        return cli_usage(qr_usage, "say keygen or issue");
    if (strcmp(pos[0], "keygen") == 0) {
        unsigned char pk[ZC_QR_PK_BYTES], sk[ZC_QR_SK_BYTES];
        char hex[2 * ZC_QR_SK_BYTES + 1], path[4096];
        if (!out)
            return cli_usage(qr_usage, "keygen needs --out PREFIX");
        if (zc_qr_keygen(pk, sk) != ZC_OK)
            return cli_fail("key generation failed");
        snprintf(path, sizeof path, "%s.key", out);
        if (write_text(path, zc_hex_encode(sk, ZC_QR_SK_BYTES, hex, sizeof hex), 0600) != CLI_OK)
            return CLI_FAIL;
        snprintf(path, sizeof path, "%s.pub", out);
        if (write_text(path, zc_hex_encode(pk, ZC_QR_PK_BYTES, hex, sizeof hex), 0644) != CLI_OK)
            return CLI_FAIL;
        printf("%s\n", hex);
        return CLI_OK;
    }
    if (strcmp(pos[0], "issue") == 0) {
        unsigned char sk[ZC_QR_SK_BYTES];
        char hex[2 * ZC_QR_SK_BYTES + 8], token[512];
        zc_date exp;
        FILE *f;
        size_t n;
        if (!key || !elder || !expires)
            return cli_usage(qr_usage, "issue needs --key, --elder and --expires");
        if (zc_date_parse(expires, &exp) != ZC_OK)
            return cli_usage(qr_usage, "--expires must be a date YYYY-MM-DD");
        f = fopen(key, "rb");
        if (!f)
            return cli_fail("cannot open %s: %s", key, strerror(errno));
        n = fread(hex, 1, sizeof hex - 1, f);
        fclose(f);
        hex[n] = '\0';
        while (n > 0 && (hex[n - 1] == '\n' || hex[n - 1] == '\r'))
            hex[--n] = '\0';
        if (zc_hex_decode(hex, sk, ZC_QR_SK_BYTES) != ZC_OK)
            return cli_fail("%s is not a QR secret key (128 hex digits)", key);
        if (zc_qr_issue(sk, elder, exp, token, sizeof token, &err) != ZC_OK)
            return cli_fail("%s", err.msg);
        printf("%s\n", token);
        return CLI_OK;
    }
    return cli_usage(qr_usage, "unknown qr command '%s'", pos[0]);
}
