/* sale.c - committing sales, the elder's usage, voids, the outbox count,
 * the sales' hash chain (the audit log's chain, in audit.c, uses the same
 * canonical-text helpers, zc_canon_* in core/salecanon.h), and reading a
 * sale back as stored (store_sale_doc: the chain walk, the outbox and the
 * reprint all read through it).
 *
 * A sale is committed in ONE write transaction (BEGIN IMMEDIATE): the quote
 * is recomputed there from the stored policy and the elder's usage, the next
 * gap-free seq is taken, and the sale, its lines, its subsidy parts, one
 * sale_rule row per applied rule (what later limits count against), an
 * outbox row and an audit row are inserted.  Any failure rolls everything
 * back; the next sale then gets the same seq.
 *
 * THE CANONICAL TEXT of a sale ("zhucan-sale-v1") and its hash are defined
 * in app/core/salecanon.h, which the central service uses too.  The sale's
 * status and void columns are not covered: a void is an event of its own
 * (outbox kind "void", audit action "void").
 *
 * The audit log (audit.c) chains the same way over
 *   zhucan-audit-v1, id=<n>, at_utc=<epoch>, operator=, action=, subject=,
 *   detail=, prev=<previous row's hash or 64 zeros>   (one per line). */
#include "../core/clock.h"
#include "store_int.h"

#include "../core/salecanon.h"
#include "outbox.h"
#include "sale_load.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#define ZERO_HASH STORE_ZERO_HASH
#define USES_CAP 1024   /* earlier uses in the usage window (a month at most) */
#define PAY_REF_MAX ZC_SALE_PAY_REF_MAX /* longest mobile payment reference */
#define VOID_SQL "UPDATE sale SET status = 'voided', void_utc = ?, void_operator_id = ?, " \
                 "void_reason = ? WHERE id = ? AND status = 'done'"

/* The sale as the hash covers it: core/salecanon.h's document. */
typedef zc_sale_doc sale_doc;
typedef zc_sale_rule doc_rule;

/* The sale's hash over its canonical text (core/salecanon.c, shared with
 * the central service so both compute the same bytes). */
static int sale_hash(sale_doc *d, char out[ZC_SHA256_HEX])
{
    return zc_salecanon_hash(d, out, NULL);
}

/* ---- usage ---- */

int store_usage_load(store_t *st, const char *elder_id, zc_date d, zc_use *out, int cap, int *n,
                     zc_err *err)
{
    sqlite3_stmt *s;
    char from[16], to[16];
    *n = 0;
    if (!elder_id || !zc_date_valid(d))
        return zc_errf(err, ZC_EINVAL, "internal error: usage needs an elder and a real date");
    zc_date week = zc_week_start(d), month = {d.y, d.m, 1};
    zc_date_fmt(zc_date_cmp(week, month) < 0 ? week : month, from, sizeof from);
    zc_date_fmt(d, to, sizeof to);
    int ret = store_prep(st, Q_USAGE,
                         "SELECT r.local_date, r.period, r.limit_key, r.fen FROM sale s JOIN "
                         "sale_rule r ON r.sale_id = s.id WHERE s.elder_id = ?1 AND s.local_date "
                         "BETWEEN ?2 AND ?3 AND s.status = 'done' ORDER BY s.seq", &s, err);
    if (ret)
        return ret;
    sqlite3_bind_text(s, 1, elder_id, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 2, from, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 3, to, -1, SQLITE_STATIC);
    int rc;
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
        if (*n >= cap) {
            ret = zc_errf(err, ZC_ETOOBIG, "elder %s has more than %d subsidised uses since %s; "
                          "call support", elder_id, cap, from);
            break;
        }
        zc_use *u = &out[(*n)++];
        memset(u, 0, sizeof *u);
        u->date = store_col_date(s, 0);
        store_col_text(s, 1, u->period, sizeof u->period);
        store_col_text(s, 2, u->key, sizeof u->key);
        u->fen = sqlite3_column_int64(s, 3);
    }
    if (ret == ZC_OK && rc != SQLITE_DONE)
        ret = store_dbfail(st, rc, "reading the elder's meals", err);
    store_done(s);
    return ret;
}

/* ---- sale commit ---- */

/* Checks what can be checked before taking the write lock. */
static int check_req(const store_sale_req *req, char card[16], zc_err *err)
{
    card[0] = '\0';
    if (!req->cart || req->cart->n <= 0)
        return zc_errf(err, ZC_EINVAL, "the cart is empty; add a dish first");
    if (req->cart->n > ZC_MAX_LINES)
        return zc_errf(err, ZC_EINVAL, "the cart has more than %d lines", ZC_MAX_LINES);
    if (!req->operator_id || !*req->operator_id)
        return zc_errf(err, ZC_EINVAL, "no operator is logged in; log in first");
    if (req->pay != STORE_PAY_CASH && req->pay != STORE_PAY_MOBILE)
        return zc_errf(err, ZC_EINVAL, "internal error: unknown payment method %d", (int)req->pay);
    if (req->tendered_fen < 0 || req->tendered_fen > ZC_FEN_MAX)
        return zc_errf(err, ZC_EINVAL, "the cash handed over must be between 0 and %lld fen",
                       (long long)ZC_FEN_MAX);
    if (req->pay_ref && strlen(req->pay_ref) > PAY_REF_MAX)
        return zc_errf(err, ZC_EINVAL, "the payment reference is longer than %d characters",
                       PAY_REF_MAX);
    if (req->nextra < 0 || (req->nextra > 0 && !req->extra_uses))
        return zc_errf(err, ZC_EINVAL, "internal error: extra uses without a list");
    if (!zc_date_valid(req->at.date))
        return zc_errf(err, ZC_EINVAL, "the sale's local date is not a real date; check the clock");
    if (req->card_uid && *req->card_uid) {
        uint64_t uid;
        if (zc_card_uid_parse(req->card_uid, &uid, err) != ZC_OK)
            return ZC_EINVAL;
        zc_card_uid_fmt(uid, card, 16);
    }
    return ZC_OK;
}

static int step_insert(store_t *st, sqlite3_stmt *s, zc_err *err)
{
    int rc = sqlite3_step(s);
    store_done(s);
    return rc == SQLITE_DONE ? ZC_OK : store_dbfail(st, rc, "the sale", err);
}

/* Inserts the sale row and everything hanging off it. */
static int insert_sale(store_t *st, const sale_doc *d, const char *hash, zc_err *err)
{
    sqlite3_stmt *s;
    int ret = store_prep(st, Q_SALE_INSERT,
                         "INSERT INTO sale (id, seq, terminal_id, canteen_id, operator_id, elder_id, "
                         "card_uid, created_utc, local_time, local_date, period, policy_id, "
                         "policy_version, gross_fen, subsidy_fen, pay_fen, pay_method, pay_ref, "
                         "tendered_fen, status, prev_hash, hash) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, "
                         "?8, ?9, substr(?9, 1, 10), ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, "
                         "'done', ?19, ?20)", &s, err);
    if (ret)
        return ret;
    sqlite3_bind_text(s, 1, d->id, -1, SQLITE_STATIC);
    sqlite3_bind_int64(s, 2, d->seq);
    sqlite3_bind_text(s, 3, d->terminal, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 4, d->canteen, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 5, d->op, -1, SQLITE_STATIC);
    store_bind_opt(s, 6, d->elder);
    store_bind_opt(s, 7, d->card);
    sqlite3_bind_int64(s, 8, d->created_utc);
    sqlite3_bind_text(s, 9, d->local_time, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 10, d->period, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 11, d->policy, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 12, d->policy_version, -1, SQLITE_STATIC);
    sqlite3_bind_int64(s, 13, d->gross);
    sqlite3_bind_int64(s, 14, d->subsidy);
    sqlite3_bind_int64(s, 15, d->pay);
    sqlite3_bind_text(s, 16, d->pay_method, -1, SQLITE_STATIC);
    store_bind_opt(s, 17, d->pay_ref);
    sqlite3_bind_int64(s, 18, d->tendered);
    sqlite3_bind_text(s, 19, d->prev, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 20, hash, -1, SQLITE_STATIC);
    if ((ret = step_insert(st, s, err)))
        return ret;
    for (int i = 0; i < d->nlines && ret == ZC_OK; i++) {
        const zc_line *l = &d->lines[i];
        if ((ret = store_prep(st, Q_LINE_INSERT,
                              "INSERT INTO sale_line (sale_id, line_no, code, name, unit_fen, qty, "
                              "eligible) VALUES (?, ?, ?, ?, ?, ?, ?)", &s, err)))
            return ret;
        sqlite3_bind_text(s, 1, d->id, -1, SQLITE_STATIC);
        sqlite3_bind_int(s, 2, i + 1);
        sqlite3_bind_text(s, 3, l->code, -1, SQLITE_STATIC);
        sqlite3_bind_text(s, 4, l->name, -1, SQLITE_STATIC);
        sqlite3_bind_int64(s, 5, l->unit_fen);
        sqlite3_bind_int(s, 6, l->qty);
        sqlite3_bind_int(s, 7, l->eligible ? 1 : 0);
        ret = step_insert(st, s, err);
    }
    for (int i = 0; i < d->nparts && ret == ZC_OK; i++) {
        if ((ret = store_prep(st, Q_PART_INSERT,
                              "INSERT INTO sale_subsidy (sale_id, part_no, rule_id, source, fen) "
                              "VALUES (?, ?, ?, ?, ?)", &s, err)))
            return ret;
        sqlite3_bind_text(s, 1, d->id, -1, SQLITE_STATIC);
        sqlite3_bind_int(s, 2, i + 1);
        sqlite3_bind_text(s, 3, d->parts[i].rule, -1, SQLITE_STATIC);
        sqlite3_bind_text(s, 4, d->parts[i].source, -1, SQLITE_STATIC);
        sqlite3_bind_int64(s, 5, d->parts[i].fen);
        ret = step_insert(st, s, err);
    }
    for (int i = 0; i < d->nrules && ret == ZC_OK; i++) {
        const doc_rule *r = &d->rules[i];
        if ((ret = store_prep(st, Q_RULE_INSERT,
                              "INSERT INTO sale_rule (sale_id, rule_id, limit_key, period, "
                              "local_date, fen) VALUES (?, ?, ?, ?, ?, ?)", &s, err)))
            return ret;
        sqlite3_bind_text(s, 1, d->id, -1, SQLITE_STATIC);
        sqlite3_bind_text(s, 2, r->rule, -1, SQLITE_STATIC);
        sqlite3_bind_text(s, 3, r->key, -1, SQLITE_STATIC);
        sqlite3_bind_text(s, 4, r->period, -1, SQLITE_STATIC);
        sqlite3_bind_text(s, 5, r->date, -1, SQLITE_STATIC);
        sqlite3_bind_int64(s, 6, r->fen);
        ret = step_insert(st, s, err);
    }
    return ret;
}

static int outbox_add(store_t *st, const char *sale_id, const char *kind, int64_t at, zc_err *err)
{
    sqlite3_stmt *s;
    int ret = store_prep(st, Q_OUTBOX_INSERT,
                         "INSERT INTO outbox (sale_id, kind, created_utc) VALUES (?, ?, ?)", &s, err);
    if (ret)
        return ret;
    sqlite3_bind_text(s, 1, sale_id, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 2, kind, -1, SQLITE_STATIC);
    sqlite3_bind_int64(s, 3, at);
    return step_insert(st, s, err);
}

/* The last sale's seq and hash (0 and zeros when there is none). */
static int last_sale(store_t *st, int64_t *seq, char prev[ZC_SHA256_HEX], zc_err *err)
{
    sqlite3_stmt *s;
    int ret = store_prep(st, Q_SEQ_LAST, "SELECT seq, hash FROM sale ORDER BY seq DESC LIMIT 1", &s,
                         err);
    if (ret)
        return ret;
    *seq = 0;
    snprintf(prev, ZC_SHA256_HEX, "%s", ZERO_HASH);
    int rc = sqlite3_step(s);
    if (rc == SQLITE_ROW) {
        *seq = sqlite3_column_int64(s, 0);
        store_col_text(s, 1, prev, ZC_SHA256_HEX);
    } else if (rc != SQLITE_DONE) {
        ret = store_dbfail(st, rc, "the sale", err);
    }
    store_done(s);
    return ret;
}

/* ZC_EREFUSED while a terminal restored from a backup, and reporting to a
 * centre, has not taken back its later sales: its next seq may already be
 * another sale's at the centre. */
static int check_restored(store_t *st, zc_err *err)
{
    char pending[8], url[512];
    if (store_meta_get(st, "restored_pending", pending, sizeof pending) != ZC_OK ||
        strcmp(pending, "1") != 0)
        return ZC_OK;
    if (store_meta_get(st, "server_url", url, sizeof url) != ZC_OK || !url[0])
        return ZC_OK;
    return zc_errf(err, ZC_EREFUSED, "%s", STORE_RESTORED_MSG);
}

/* Operator id must be active (and, for voids, a supervisor or admin). */
static int check_operator(store_t *st, const char *id, bool supervisor, zc_err *err)
{
    store_operator op;
    zc_err why;
    int ret = store_operator_get(st, id, &op, &why);
    if (ret == ZC_ENOTFOUND || (ret == ZC_OK && !op.active))
        return zc_errf(err, ZC_EINVAL, "operator %s is not known or not active; log in again", id);
    if (ret)
        return zc_errf(err, ret, "%s", why.msg);
    if (supervisor && op.role == STORE_ROLE_CASHIER)
        return zc_errf(err, ZC_EREFUSED, "operator %s is a cashier; a supervisor must approve voids",
                       id);
    return ZC_OK;
}

/* Fills the settings and the quote-derived parts of the sale document. */
static int build_doc(store_t *st, const store_sale_req *req, const zc_quote *q, sale_doc *d,
                     zc_err *err)
{
    if (store_meta_get(st, "terminal_id", d->terminal, sizeof d->terminal) != ZC_OK ||
        store_meta_get(st, "canteen_id", d->canteen, sizeof d->canteen) != ZC_OK || !d->terminal[0] ||
        !d->canteen[0])
        return zc_errf(err, ZC_EINVAL, "this terminal has no terminal_id or canteen_id yet; run the "
                       "setup first");
    snprintf(d->op, sizeof d->op, "%s", req->operator_id);
    snprintf(d->elder, sizeof d->elder, "%s", req->elder ? req->elder->id : "");
    d->created_utc = req->at_utc;
    zc_datetime_fmt(req->at, d->local_time, sizeof d->local_time);
    snprintf(d->period, sizeof d->period, "%s", q->period);
    snprintf(d->policy, sizeof d->policy, "%s", q->policy_id);
    snprintf(d->policy_version, sizeof d->policy_version, "%s", q->policy_version);
    d->gross = q->gross;
    d->subsidy = q->subsidy;
    d->pay = q->pay;
    d->tendered = req->tendered_fen;
    snprintf(d->pay_method, sizeof d->pay_method, "%s", req->pay == STORE_PAY_CASH ? "cash" : "mobile");
    snprintf(d->pay_ref, sizeof d->pay_ref, "%s", req->pay_ref ? req->pay_ref : "");
    d->nlines = req->cart->n;
    memcpy(d->lines, req->cart->lines, sizeof d->lines[0] * (size_t)d->nlines);
    d->nrules = q->napplied;
    for (int i = 0; i < q->napplied; i++) {
        doc_rule *r = &d->rules[i];
        snprintf(r->rule, sizeof r->rule, "%s", q->applied[i].rule);
        snprintf(r->key, sizeof r->key, "%s", q->applied[i].key[0] ? q->applied[i].key :
                                                                     q->applied[i].rule);
        snprintf(r->period, sizeof r->period, "%s", q->period);
        zc_date_fmt(req->at.date, r->date, sizeof r->date);
        r->fen = q->applied[i].fen;
    }
    d->nparts = q->nparts;
    memcpy(d->parts, q->parts, sizeof d->parts[0] * (size_t)q->nparts);
    if (req->pay == STORE_PAY_CASH && req->tendered_fen > 0 && req->tendered_fen < q->pay)
        return zc_errf(err, ZC_EINVAL, "the cash handed over (%lld fen) is less than the amount to pay "
                       "(%lld fen); take more cash", (long long)req->tendered_fen, (long long)q->pay);
    return ZC_OK;
}

int store_sale_commit(store_t *st, const store_sale_req *req, store_sale_res *res, zc_err *err)
{
    zc_use *uses = NULL;
    sale_doc *d = NULL;
    const zc_policy *pol = NULL;
    const zc_calendar *cal = NULL;
    zc_canteen canteen;
    char card[16];
    int nuses = 0, ret;
    if (!st || !req || !res)
        return zc_errf(err, ZC_EINVAL, "internal error: store_sale_commit needs a store, a request "
                       "and a result");
    memset(res, 0, sizeof *res);
    if ((ret = check_req(req, card, err)))
        return ret;
    uses = malloc(sizeof *uses * (size_t)(USES_CAP + req->nextra));
    d = calloc(1, sizeof *d);
    if (!uses || !d) {
        ret = zc_errf(err, ZC_ENOMEM, "out of memory: the sale was NOT saved");
        goto out;
    }
    if ((ret = store_begin(st, "the sale", err)))
        goto out;
    if ((ret = check_restored(st, err)) || (ret = check_operator(st, req->operator_id, false, err)) ||
        (ret = store_canteen_get(st, &canteen, err)) ||
        (ret = store_policy_cached(st, req->at.date, &pol, err)) ||
        (ret = store_calendar_cached(st, &cal, err)))
        goto out;
    if (req->elder && (ret = store_usage_load(st, req->elder->id, req->at.date, uses, USES_CAP,
                                              &nuses, err)))
        goto out;
    if (req->nextra > 0) {
        memcpy(uses + nuses, req->extra_uses, sizeof *uses * (size_t)req->nextra);
        nuses += req->nextra;
    }
    zc_quote_in in = {
        .policy = pol, .elder = req->elder, .canteen = &canteen, .cart = req->cart,
        .at = req->at, .period = req->period, .uses = uses, .nuses = nuses, .calendar = cal,
    };
    if ((ret = zc_quote_compute(&in, &res->quote, err)))
        goto out;
    if ((ret = build_doc(st, req, &res->quote, d, err)))
        goto out;
    snprintf(d->card, sizeof d->card, "%s", card);
    if ((ret = last_sale(st, &d->seq, d->prev, err)))
        goto out;
    d->seq++;
    zc_uuid4(d->id);
    if ((ret = sale_hash(d, res->hash)))
        goto out;
    char detail[160];
    snprintf(detail, sizeof detail, "seq=%lld gross=%lld subsidy=%lld pay=%lld %s", (long long)d->seq,
             (long long)d->gross, (long long)d->subsidy, (long long)d->pay, d->pay_method);
    if ((ret = insert_sale(st, d, res->hash, err)) ||
        (ret = outbox_add(st, d->id, "sale", req->at_utc, err)) ||
        (ret = store_audit_write(st, req->at_utc, req->operator_id, "sale", d->id, detail, err)) ||
        (ret = store_commit(st, "the sale", err)))
        goto out;
    snprintf(res->id, sizeof res->id, "%.36s", d->id); /* a UUID: 36 characters */
    res->seq = d->seq;
out:
    if (ret != ZC_OK) {
        store_rollback(st);
        if (ret == ZC_ENOMEM && err && !strstr(err->msg, "NOT saved"))
            (void)zc_errf(err, ret, "out of memory: the sale was NOT saved");
        res->id[0] = '\0';
        res->hash[0] = '\0';
        res->seq = 0;
    }
    free(uses);
    free(d);
    return ret;
}

/* ---- reading sales back: the chain walk and the outbox ---- */

/* The sale row's columns load_doc reads, in its order (then the hash). */
#define DOC_COLS "id, seq, terminal_id, canteen_id, operator_id, elder_id, card_uid, created_utc, " \
                 "local_time, period, policy_id, policy_version, gross_fen, subsidy_fen, pay_fen, " \
                 "pay_method, pay_ref, tendered_fen, prev_hash, hash"

/* Loads the sale under the cursor w (DOC_COLS), and its children as
 * stored: lines by line_no, rules by rule_id bytewise, parts by part_no. */
static int load_doc(store_t *st, sqlite3_stmt *w, sale_doc *d, zc_err *err)
{
    static const char *const child_sql[3] = {
        "SELECT code, name, unit_fen, qty, eligible FROM sale_line WHERE sale_id = ? ORDER BY line_no",
        "SELECT rule_id, limit_key, period, local_date, fen FROM sale_rule WHERE sale_id = ? ORDER BY rule_id",
        "SELECT rule_id, source, fen FROM sale_subsidy WHERE sale_id = ? ORDER BY part_no",
    };
    static const int child_slot[3] = {Q_LINE_WALK, Q_RULE_WALK, Q_PART_WALK};
    memset(d, 0, sizeof *d);
    store_col_text(w, 0, d->id, sizeof d->id);
    d->seq = sqlite3_column_int64(w, 1);
    store_col_text(w, 2, d->terminal, sizeof d->terminal);
    store_col_text(w, 3, d->canteen, sizeof d->canteen);
    store_col_text(w, 4, d->op, sizeof d->op);
    store_col_text(w, 5, d->elder, sizeof d->elder);
    store_col_text(w, 6, d->card, sizeof d->card);
    d->created_utc = sqlite3_column_int64(w, 7);
    store_col_text(w, 8, d->local_time, sizeof d->local_time);
    store_col_text(w, 9, d->period, sizeof d->period);
    store_col_text(w, 10, d->policy, sizeof d->policy);
    store_col_text(w, 11, d->policy_version, sizeof d->policy_version);
    d->gross = sqlite3_column_int64(w, 12);
    d->subsidy = sqlite3_column_int64(w, 13);
    d->pay = sqlite3_column_int64(w, 14);
    store_col_text(w, 15, d->pay_method, sizeof d->pay_method);
    store_col_text(w, 16, d->pay_ref, sizeof d->pay_ref);
    d->tendered = sqlite3_column_int64(w, 17);
    store_col_text(w, 18, d->prev, sizeof d->prev);
    for (int k = 0; k < 3; k++) {
        sqlite3_stmt *s;
        int ret = store_prep(st, child_slot[k], child_sql[k], &s, err), rc;
        if (ret)
            return ret;
        sqlite3_bind_text(s, 1, d->id, -1, SQLITE_STATIC);
        while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
            if (k == 0 && d->nlines < ZC_MAX_LINES) {
                zc_line *l = &d->lines[d->nlines++];
                store_col_text(s, 0, l->code, sizeof l->code);
                store_col_text(s, 1, l->name, sizeof l->name);
                l->unit_fen = sqlite3_column_int64(s, 2);
                l->qty = sqlite3_column_int(s, 3);
                l->eligible = sqlite3_column_int(s, 4) != 0;
            } else if (k == 1 && d->nrules < ZC_MAX_RULES) {
                doc_rule *r = &d->rules[d->nrules++];
                store_col_text(s, 0, r->rule, sizeof r->rule);
                store_col_text(s, 1, r->key, sizeof r->key);
                store_col_text(s, 2, r->period, sizeof r->period);
                store_col_text(s, 3, r->date, sizeof r->date);
                r->fen = sqlite3_column_int64(s, 4);
            } else if (k == 2 && d->nparts < ZC_MAX_PARTS) {
                zc_part *p = &d->parts[d->nparts++];
                store_col_text(s, 0, p->rule, sizeof p->rule);
                store_col_text(s, 1, p->source, sizeof p->source);
                p->fen = sqlite3_column_int64(s, 2);
            } else {
                d->prev[0] = '\0'; /* more rows than a sale can have: cannot verify */
            }
        }
        store_done(s);
        if (rc != SQLITE_DONE)
            return store_dbfail(st, rc, "checking the sales", err);
    }
    return ZC_OK;
}

int store_chain_verify(store_t *st, int64_t *nsales, zc_err *err)
{
    sqlite3_stmt *w;
    sale_doc *d = calloc(1, sizeof *d);
    char prev[ZC_SHA256_HEX] = ZERO_HASH, stored[ZC_SHA256_HEX], want[ZC_SHA256_HEX];
    const char *why = NULL;
    int64_t n = 0;
    int ret = ZC_OK, rc = SQLITE_DONE;
    *nsales = 0;
    if (!d)
        return zc_errf(err, ZC_ENOMEM, "out of memory checking the sales");
    if ((ret = store_prep(st, Q_SALE_WALK, "SELECT " DOC_COLS " FROM sale ORDER BY seq", &w, err)))
        goto out;
    while ((rc = sqlite3_step(w)) == SQLITE_ROW) {
        if ((ret = load_doc(st, w, d, err)))
            break;
        store_col_text(w, 19, stored, sizeof stored);
        if (d->seq != n + 1)
            why = d->seq > n + 1 ? "the sale before it is missing" : "its number is out of order";
        else if (strcmp(d->prev, prev) != 0)
            why = "it does not follow the sale before it";
        else if ((ret = sale_hash(d, want)))
            break;
        else if (strcmp(want, stored) != 0)
            why = "its content does not match its hash";
        if (why) {
            ret = zc_errf(err, ZC_ECONFLICT, "the sale chain is broken at seq %lld: %s; the database "
                          "was changed outside Zhucan, call support", (long long)d->seq, why);
            break;
        }
        snprintf(prev, sizeof prev, "%s", stored);
        n++;
    }
    if (ret == ZC_ENOMEM)
        ret = zc_errf(err, ret, "out of memory checking the sales");
    else if (ret == ZC_OK && rc != SQLITE_DONE)
        ret = store_dbfail(st, rc, "checking the sales", err);
    store_done(w);
out:
    *nsales = n;
    free(d);
    return ret;
}

int store_sale_doc(store_t *st, const char *id, zc_sale_doc *d, char hash[ZC_SHA256_HEX], zc_err *err)
{
    sqlite3_stmt *s;
    int ret = store_prep(st, Q_SALE_DOC, "SELECT " DOC_COLS " FROM sale WHERE id = ?", &s, err);
    if (ret)
        return ret;
    sqlite3_bind_text(s, 1, id, -1, SQLITE_STATIC);
    int rc = sqlite3_step(s);
    if (rc == SQLITE_ROW) {
        /* the row stays current while the children are read with other statements */
        if ((ret = load_doc(st, s, d, err)) == ZC_OK)
            store_col_text(s, 19, hash, ZC_SHA256_HEX);
    } else {
        ret = rc == SQLITE_DONE ? zc_errf(err, ZC_EDB, "the outbox names sale %s, which is not in the "
                                          "sale table; run zhucan verify", id)
                                : store_sync_fail(st, rc, "reading a sale to send", err);
    }
    store_done(s);
    return ret;
}

/* ---- voids and the outbox ---- */

int store_sale_void(store_t *st, const char *sale_id, const char *operator_id, const char *reason,
                    zc_err *err)
{
    sqlite3_stmt *s;
    char detail[320];
    int64_t now = zc_now(), seq = 0;
    if (!sale_id || !*sale_id)
        return zc_errf(err, ZC_EINVAL, "no sale was chosen to void");
    if (!reason || !*reason)
        return zc_errf(err, ZC_EINVAL, "a void needs a reason; type why the sale is voided");
    if (!operator_id || !*operator_id)
        return zc_errf(err, ZC_EINVAL, "no operator is logged in; log in first");
    int ret = store_begin(st, "the void", err);
    if (ret)
        return ret;
    if ((ret = check_operator(st, operator_id, true, err)))
        goto out;
    if ((ret = store_prep(st, Q_SALE_GET, "SELECT seq, status FROM sale WHERE id = ?", &s, err)))
        goto out;
    sqlite3_bind_text(s, 1, sale_id, -1, SQLITE_STATIC);
    int rc = sqlite3_step(s);
    if (rc == SQLITE_ROW) {
        seq = sqlite3_column_int64(s, 0);
        const char *status = (const char *)sqlite3_column_text(s, 1);
        if (!status || strcmp(status, "done") != 0)
            ret = zc_errf(err, ZC_ECONFLICT, "sale %lld is already voided", (long long)seq);
    } else if (rc == SQLITE_DONE) {
        ret = zc_errf(err, ZC_ENOTFOUND, "there is no sale %s on this terminal", sale_id);
    } else {
        ret = store_dbfail(st, rc, "the void", err);
    }
    store_done(s);
    if (ret)
        goto out;
    if ((ret = store_prep(st, Q_SALE_VOID, VOID_SQL, &s, err)))
        goto out;
    sqlite3_bind_int64(s, 1, now);
    sqlite3_bind_text(s, 2, operator_id, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 3, reason, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 4, sale_id, -1, SQLITE_STATIC);
    rc = sqlite3_step(s);
    store_done(s);
    if (rc != SQLITE_DONE) {
        ret = store_dbfail(st, rc, "the void", err);
        goto out;
    }
    snprintf(detail, sizeof detail, "seq=%lld reason=%s", (long long)seq, reason);
    if ((ret = outbox_add(st, sale_id, "void", now, err)) ||
        (ret = store_audit_write(st, now, operator_id, "void", sale_id, detail, err)))
        goto out;
    ret = store_commit(st, "the void", err);
out:
    if (ret != ZC_OK) {
        store_rollback(st);
        if (ret == ZC_EFULL)
            (void)zc_errf(err, ret, "disk full: the void was NOT saved; free space and try again");
    }
    return ret;
}

int store_unsent_count(store_t *st, long *n)
{
    long held;
    return store_outbox_unsent(st, n, &held);
}

/* ---- taking back sales from the centre after a restore ---- */

int store_sale_last_seq(store_t *st, int64_t *seq, zc_err *err)
{
    char prev[ZC_SHA256_HEX];
    return last_sale(st, seq, prev, err);
}

/* An outbox row already acknowledged (the centre holds what it names). */
static int outbox_sent(store_t *st, const char *sale_id, const char *kind, int64_t at, zc_err *err)
{
    sqlite3_stmt *s;
    int ret = store_prep(st, Q_OUTBOX_SENT, "INSERT INTO outbox (sale_id, kind, created_utc, sent_utc) "
                         "VALUES (?1, ?2, ?3, ?3)", &s, err);
    if (ret)
        return ret;
    sqlite3_bind_text(s, 1, sale_id, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 2, kind, -1, SQLITE_STATIC);
    sqlite3_bind_int64(s, 3, at);
    return step_insert(st, s, err);
}

int store_sale_adopt(store_t *st, const sale_doc *d, const char *hash, const store_void_in *v, zc_err *err)
{
    sqlite3_stmt *s;
    char got[ZC_SHA256_HEX], prev[ZC_SHA256_HEX], term[ZC_ID_MAX], detail[96];
    int64_t last = 0, now = zc_now();
    int ret;
    if (!st || !d || !hash)
        return zc_errf(err, ZC_EINVAL, "internal error: store_sale_adopt needs a store, a sale and a hash");
    /* the hash first: a sale altered on the way is never looked at further */
    if (zc_salecanon_hash(d, got, NULL) != ZC_OK || strcmp(got, hash) != 0)
        return zc_errf(err, ZC_EREFUSED, "sale %lld from the centre does not match its hash; nothing "
                       "was taken back", (long long)d->seq);
    if ((ret = store_begin(st, "the sale taken back", err)))
        return ret;
    if (store_meta_get(st, "terminal_id", term, sizeof term) != ZC_OK || strcmp(term, d->terminal) != 0) {
        ret = zc_errf(err, ZC_EREFUSED, "sale %lld from the centre belongs to terminal %.40s, not this "
                      "one; nothing was taken back", (long long)d->seq, d->terminal);
        goto out;
    }
    if ((ret = last_sale(st, &last, prev, err)))
        goto out;
    if (d->seq != last + 1 || strcmp(d->prev, prev) != 0) {
        ret = zc_errf(err, ZC_EREFUSED, "sale %lld from the centre does not continue this terminal's "
                      "chain (last sale %lld); nothing was taken back", (long long)d->seq, (long long)last);
        goto out;
    }
    snprintf(detail, sizeof detail, "seq=%lld from the centre after a restore", (long long)d->seq);
    if ((ret = insert_sale(st, d, hash, err)) || (ret = outbox_sent(st, d->id, "sale", now, err)))
        goto out;
    if (v) {
        if ((ret = store_prep(st, Q_SALE_VOID, VOID_SQL, &s, err)))
            goto out;
        sqlite3_bind_int64(s, 1, v->at_utc);
        sqlite3_bind_text(s, 2, v->op, -1, SQLITE_STATIC);
        sqlite3_bind_text(s, 3, v->reason, -1, SQLITE_STATIC);
        sqlite3_bind_text(s, 4, d->id, -1, SQLITE_STATIC);
        if ((ret = step_insert(st, s, err)) || (ret = outbox_sent(st, d->id, "void", now, err)))
            goto out;
    }
    if ((ret = store_audit_write(st, now, "", "recover", d->id, detail, err)))
        goto out;
    ret = store_commit(st, "the sale taken back", err);
out:
    if (ret != ZC_OK)
        store_rollback(st);
    return ret;
}
