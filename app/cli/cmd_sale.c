/* cmd_sale.c - `zhucan quote`, `sell`, `void` and `verify`.
 *
 * quote and sell share one path: identify (card / ID number / QR token, or
 * an elder id), build the cart from the menu, then either quote (nothing
 * written) or commit through till_sale (store_sale_commit), which recomputes the quote
 * inside its write transaction.  sell prints the sale id only after COMMIT
 * returned, i.e. after the WAL was synced (synchronous=FULL). */
#include <cjson/cJSON.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "../core/clock.h"
#include "../store/backup.h"
#include "../till/till.h"
#include "cli.h"

static const char quote_usage[] =
    "usage: zhucan quote --db DB [--card CARD | --elder ID] --items CODE[xQTY][,...]\n"
    "                    [--at \"YYYY-MM-DD HH:MM\"] [--period ID]\n"
    "\n"
    "Prints the quote as JSON: gross_fen, subsidy_fen, pay_fen, meal_period,\n"
    "policy_version, parts [{rule, source, fen}], refusals [{rule, reason}].\n"
    "--card takes what a reader types: a card in the terminal's format, an\n"
    "18-character ID number, or a QR token.  Without --card/--elder: public price.\n"
    "--at is local time in the terminal's zone (default now); --period overrides\n"
    "the meal period chosen from the clock.\n";

static const char sell_usage[] =
    "usage: zhucan sell --db DB [--card CARD | --elder ID] --items CODE[xQTY][,...]\n"
    "                   --operator ID [--pay cash|mobile] [--ref REF] [--tendered YUAN]\n"
    "                   [--at \"YYYY-MM-DD HH:MM\"] [--period ID] [--repeat N]\n"
    "\n"
    "Commits the sale durably (one transaction with its lines, subsidy parts,\n"
    "outbox and audit rows) and then prints its id.  It counts toward the\n"
    "elder's limits like a kiosk sale.  Mobile payments need --ref.\n"
    "--repeat N sells the same cart N times in one process, each sale its own\n"
    "transaction, each id printed after its commit (load and crash tests).\n";

typedef struct sale_args {
    const char *db, *card, *elder, *items, *at, *period, *op, *pay, *ref, *tendered, *repeat;
} sale_args;

/* Everything quote and sell have in common, resolved. */
typedef struct sale_ctx {
    till_t *t;
    till_ident id;
    bool have_elder;
    zc_cart cart;
    zc_datetime at;
    int64_t at_utc;
} sale_ctx;

static int resolve(const sale_args *a, sale_ctx *c, const char *usage)
{
    zc_err err = {{0}};
    int rc;
    memset(c, 0, sizeof *c);
    if (!a->db || !a->items)
        return cli_usage(usage, "--db and --items are required");
    if (a->card && a->elder)
        return cli_usage(usage, "give --card or --elder, not both");
    /* a sale is not written into a damaged file: the whole file is checked
     * first (SQLite's quick_check), as the kiosk does at start */
    if (usage == sell_usage && store_health(a->db, &err) == ZC_EDB)
        return cli_fail("%s", err.msg);
    if (till_open(a->db, 0, &c->t, &err) != ZC_OK)
        return cli_fail("%s", err.msg);
    if (a->at) {
        if (zc_datetime_parse(a->at, &c->at) != ZC_OK)
            return cli_usage(usage, "--at must be \"YYYY-MM-DD HH:MM\", not '%s'", a->at);
        c->at_utc = zc_tz_epoch(c->at);
    } else {
        c->at_utc = zc_now();
        c->at = zc_tz_local(c->at_utc);
    }
    if (a->card) {
        rc = till_identify(c->t, a->card, c->at.date, &c->id, &err);
        if (rc)
            return cli_fail("%s (%s)", err.msg, till_status_code(c->id.status));
        c->have_elder = true;
    } else if (a->elder) {
        rc = store_elder_get(till_store(c->t), a->elder, &c->id.elder, &err);
        if (rc == ZC_ENOTFOUND)
            return cli_fail("elder '%s' is not on the roster", a->elder);
        if (rc)
            return cli_fail("%s", err.msg);
        c->have_elder = true;
    }
    if (till_cart_parse(c->t, a->items, &c->cart, &err) != ZC_OK)
        return cli_fail("%s", err.msg);
    return CLI_OK;
}

/* Builds the quote JSON (caller frees with cJSON_Delete). */
static cJSON *quote_json(const zc_quote *q, const zc_elder *e, zc_date on)
{
    cJSON *o = cJSON_CreateObject(), *arr;
    cJSON_AddNumberToObject(o, "gross_fen", (double)q->gross);
    cJSON_AddNumberToObject(o, "eligible_fen", (double)q->eligible);
    cJSON_AddNumberToObject(o, "subsidy_fen", (double)q->subsidy);
    cJSON_AddNumberToObject(o, "pay_fen", (double)q->pay);
    cJSON_AddStringToObject(o, "meal_period", q->period);
    cJSON_AddStringToObject(o, "policy_id", q->policy_id);
    cJSON_AddStringToObject(o, "policy_version", q->policy_version);
    if (e) {
        char masked[ZC_NAME_MAX];
        cJSON *el = cJSON_AddObjectToObject(o, "elder");
        cJSON_AddStringToObject(el, "id", e->id);
        cJSON_AddStringToObject(el, "name_masked", zc_name_mask(e->name, masked, sizeof masked));
        cJSON_AddNumberToObject(el, "age", zc_age_on(e->birth, on));
    }
    arr = cJSON_AddArrayToObject(o, "applied");
    for (int i = 0; i < q->napplied; i++) {
        cJSON *r = cJSON_CreateObject();
        cJSON_AddStringToObject(r, "rule", q->applied[i].rule);
        cJSON_AddStringToObject(r, "name", q->applied[i].name);
        cJSON_AddStringToObject(r, "group", q->applied[i].group);
        cJSON_AddNumberToObject(r, "fen", (double)q->applied[i].fen);
        cJSON_AddNumberToObject(r, "left_day", q->applied[i].left_day);
        cJSON_AddNumberToObject(r, "left_week", q->applied[i].left_week);
        cJSON_AddItemToArray(arr, r);
    }
    arr = cJSON_AddArrayToObject(o, "parts");
    for (int i = 0; i < q->nparts; i++) {
        cJSON *r = cJSON_CreateObject();
        cJSON_AddStringToObject(r, "rule", q->parts[i].rule);
        cJSON_AddStringToObject(r, "source", q->parts[i].source);
        cJSON_AddNumberToObject(r, "fen", (double)q->parts[i].fen);
        cJSON_AddItemToArray(arr, r);
    }
    arr = cJSON_AddArrayToObject(o, "refusals");
    for (int i = 0; i < q->nrefusals; i++) {
        cJSON *r = cJSON_CreateObject();
        cJSON_AddStringToObject(r, "rule", q->refusals[i].rule);
        cJSON_AddStringToObject(r, "reason", zc_reason_code(q->refusals[i].reason));
        cJSON_AddStringToObject(r, "detail", q->refusals[i].detail);
        cJSON_AddStringToObject(r, "text", zc_reason_text(q->refusals[i].reason, "zh"));
        cJSON_AddItemToArray(arr, r);
    }
    return o;
}

static int sale_main(int argc, char **argv, bool sell)
{
    sale_args a = {0};
    sale_ctx c;
    const char *pos[1];
    int npos, rc;
    zc_err err = {{0}};
    const char *usage = sell ? sell_usage : quote_usage;
    const zc_opt opts[] = {
        {"--db", &a.db, NULL},         {"--card", &a.card, NULL},   {"--elder", &a.elder, NULL},
        {"--items", &a.items, NULL},   {"--at", &a.at, NULL},       {"--period", &a.period, NULL},
        {"--operator", &a.op, NULL},   {"--pay", &a.pay, NULL},     {"--ref", &a.ref, NULL},
        {"--tendered", &a.tendered, NULL}, {"--repeat", &a.repeat, NULL}, {NULL, NULL, NULL},
    };
    rc = cli_parse(argc, argv, 2, opts, pos, 0, &npos, usage);
    if (rc)
        return rc;
    if (!sell && (a.op || a.pay || a.ref || a.tendered))
        return cli_usage(usage, "quote takes no payment options; use zhucan sell");
    store_pay pay = STORE_PAY_CASH;
    zc_fen tendered = 0;
    long repeat = 1;
    if (sell && a.repeat) {
        char *end = NULL;
        repeat = strtol(a.repeat, &end, 10);
        if (end == a.repeat || *end || repeat < 1 || repeat > 1000000)
            return cli_usage(usage, "--repeat must be a number from 1 to 1000000, not '%s'", a.repeat);
    }
    if (sell) {
        if (!a.op)
            return cli_usage(usage, "--operator is required");
        if (a.pay && strcmp(a.pay, "mobile") == 0)
            pay = STORE_PAY_MOBILE;
        else if (a.pay && strcmp(a.pay, "cash") != 0)
            return cli_usage(usage, "--pay must be cash or mobile");
        if (pay == STORE_PAY_MOBILE && (!a.ref || !*a.ref))
            return cli_usage(usage, "a mobile payment needs --ref (the payment reference)");
        if (a.tendered && zc_fen_parse(a.tendered, &tendered) != ZC_OK)
            return cli_usage(usage, "--tendered must be an amount in yuan like 20 or 12.50");
    }
    rc = resolve(&a, &c, usage);
    if (rc)
        goto out;
    const zc_elder *elder = c.have_elder ? &c.id.elder : NULL;
    if (!sell) {
        zc_quote q;
        till_quote_req qr = {.elder = elder, .cart = &c.cart, .at = c.at, .period = a.period};
        if (till_quote(c.t, &qr, &q, &err) != ZC_OK) {
            rc = cli_fail("%s", err.msg);
            goto out;
        }
        cJSON *o = quote_json(&q, elder, c.at.date);
        char *s = cJSON_Print(o);
        if (s)
            printf("%s\n", s);
        free(s);
        cJSON_Delete(o);
        rc = s ? CLI_OK : cli_fail("out of memory");
        goto out;
    }
    till_sale_req req = {
        .quote = {.elder = elder, .cart = &c.cart, .at = c.at, .period = a.period},
        .at_utc = c.at_utc, .operator_id = a.op,
        .card_uid = c.have_elder && c.id.card_uid[0] ? c.id.card_uid : NULL,
        .pay = pay, .pay_ref = a.ref, .tendered_fen = tendered,
    };
    till_sale_res res;
    for (long i = 0; i < repeat; i++) {
        if (till_sale(c.t, &req, &res, &err) != ZC_OK) {
            rc = cli_fail("%s", err.msg);
            goto out;
        }
        if (tendered && tendered < res.quote.pay)
            fprintf(stderr, "zhucan: note: tendered %lld fen is less than the %lld fen due\n",
                    (long long)tendered, (long long)res.quote.pay);
        /* the id only after COMMIT returned: a printed id is on disk */
        printf("%s\n", res.id);
        fflush(stdout);
        if (repeat == 1)
            fprintf(stderr, "zhucan: sale %lld: gross %lld, subsidy %lld, pay %lld fen\n",
                    (long long)res.seq, (long long)res.quote.gross, (long long)res.quote.subsidy,
                    (long long)res.quote.pay);
    }
    rc = CLI_OK;
out:
    till_close(c.t);
    return rc;
}

int cmd_quote(int argc, char **argv) { return sale_main(argc, argv, false); }
int cmd_sell(int argc, char **argv) { return sale_main(argc, argv, true); }

static const char void_usage[] =
    "usage: zhucan void --db DB --sale ID --operator ID --reason TEXT\n"
    "\n"
    "Voids a sale (supervisor or admin).  The subsidised meal goes back to the\n"
    "elder's allowance; the void is audited and queued for the centre.\n";

int cmd_void(int argc, char **argv)
{
    const char *db = NULL, *sale = NULL, *op = NULL, *reason = NULL, *pos[1];
    int npos, rc = CLI_FAIL;
    till_t *t = NULL;
    store_operator o;
    zc_err err = {{0}};
    const zc_opt opts[] = {{"--db", &db, NULL},      {"--sale", &sale, NULL}, {"--operator", &op, NULL},
                            {"--reason", &reason, NULL}, {NULL, NULL, NULL}};
    int prc = cli_parse(argc, argv, 2, opts, pos, 0, &npos, void_usage);
    if (prc)
        return prc;
    if (!db || !sale || !op || !reason)
        return cli_usage(void_usage, "--db, --sale, --operator and --reason are required");
    if (till_open(db, 0, &t, &err) != ZC_OK) {
        cli_fail("%s", err.msg);
        goto out;
    }
    if (store_operator_get(till_store(t), op, &o, &err) != ZC_OK) {
        cli_fail("operator '%s' is not known", op);
        goto out;
    }
    if (o.role == STORE_ROLE_CASHIER) {
        cli_fail("operator '%s' is a cashier; a void needs a supervisor or admin", op);
        goto out;
    }
    if (till_void(t, &(till_void_req){.sale_id = sale, .operator_id = op, .reason = reason}, &err) != ZC_OK) {
        cli_fail("%s", err.msg);
        goto out;
    }
    printf("voided %s\n", sale);
    rc = CLI_OK;
out:
    till_close(t);
    return rc;
}

static const char verify_usage[] =
    "usage: zhucan verify --db DB\n"
    "\n"
    "Runs SQLite's integrity check and walks the sale and audit-log hash chains;\n"
    "a row changed outside Zhucan is named by its number.\n";

int cmd_verify(int argc, char **argv)
{
    const char *db = NULL, *pos[1];
    int npos, rc = CLI_FAIL;
    store_t *st = NULL;
    int64_t n = 0, na = 0;
    zc_err err = {{0}};
    const zc_opt opts[] = {{"--db", &db, NULL}, {NULL, NULL, NULL}};
    int prc = cli_parse(argc, argv, 2, opts, pos, 0, &npos, verify_usage);
    if (prc)
        return prc;
    if (!db)
        return cli_usage(verify_usage, "--db is required");
    if (store_open(db, STORE_READONLY, &st, &err) != ZC_OK) {
        cli_fail("%s", err.msg);
        goto out;
    }
    char why[256];
    if (store_integrity(st, why, sizeof why) != ZC_OK) {
        cli_fail("%s: integrity check failed: %s", db, why);
        goto out;
    }
    if (store_chain_verify(st, &n, &err) != ZC_OK || store_audit_verify(st, &na, &err) != ZC_OK) {
        cli_fail("%s", err.msg);
        goto out;
    }
    printf("ok: %lld sales, chain intact; %lld audit rows, chain intact\n", (long long)n,
           (long long)na);
    rc = CLI_OK;
out:
    store_close(st);
    return rc;
}
