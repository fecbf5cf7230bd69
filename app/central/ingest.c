/* ingest.c - a batch of sales and voids, exactly once.
 *
 * The batch is validated whole first (any malformed member: 400, nothing
 * stored).  Then one write transaction, one savepoint per sale:
 *   terminal matches the token?  hash recomputes?  money adds up?  -> else rejected
 *   id held with the same hash                        -> duplicate (acknowledged)
 *   id held with another hash / seq held by another id -> conflict (recorded)
 *   otherwise stored, then: chain checked against seq-1 and seq+1, card and
 *   canteen checked, the sale re-quoted, and the elder's later sales in the
 *   window re-quoted (an earlier sale that arrives late changes their uses).
 * The reply is built as we go but sent only after COMMIT, so whatever the
 * terminal reads as stored or duplicate is durable.  Concurrent requests'
 * batches share transactions (group.h): the validation runs on the
 * request's own thread, the writes inside the group's transaction. */
#include "ingest.h"

#include <cjson/cJSON.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../core/wire.h"

#define LATER_MAX 64 /* later sales re-quoted when an earlier one arrives */
#define FUTURE_MAX_S (24 * 3600)       /* a sale this far ahead of the centre's clock is flagged */
#define PAST_MAX_S (400LL * 24 * 3600) /* ... and this far behind it (past any claim) */
#define LOCAL_SLACK_S (15 * 60)        /* local_time and created_utc may differ this much */

typedef struct result {
    const char *status; /* stored | duplicate | conflict | rejected */
    char reason[240];
} result;

static int reject(result *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static int reject(result *r, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(r->reason, sizeof r->reason, fmt, ap);
    va_end(ap);
    r->status = "rejected";
    return ZC_OK;
}

/* Whether the sale's money adds up; why says how not. */
static bool money_ok(const zc_sale_doc *d, char *why, size_t n)
{
    zc_fen lines = 0, rules = 0, parts = 0;
    for (int i = 0; i < d->nlines; i++)
        lines += d->lines[i].unit_fen * d->lines[i].qty; /* <= 64 * 1e11 * 999: no overflow */
    for (int i = 0; i < d->nrules; i++)
        rules += d->rules[i].fen;
    for (int i = 0; i < d->nparts; i++)
        parts += d->parts[i].fen;
    if (lines != d->gross)
        snprintf(why, n, "gross %lld is not the sum of the lines (%lld)", (long long)d->gross,
                 (long long)lines);
    else if (d->subsidy + d->pay != d->gross)
        snprintf(why, n, "subsidy %lld + pay %lld is not gross %lld", (long long)d->subsidy,
                 (long long)d->pay, (long long)d->gross);
    else if (rules != d->subsidy || parts != d->subsidy)
        snprintf(why, n, "subsidy %lld differs from the rules' %lld or the parts' %lld",
                 (long long)d->subsidy, (long long)rules, (long long)parts);
    else
        return true;
    return false;
}

/* Records a conflict with the canonical texts of the held and the sent sale. */
static int conflict(central_store *st, const zc_sale_doc *d, const char *kind, const char *held_id,
                    int64_t now, result *r, zc_err *err)
{
    zc_sale_doc *held = malloc(sizeof *held);
    char *held_text = NULL, *sent_text = NULL;
    size_t n;
    int ret = held ? ZC_OK : zc_errf(err, ZC_ENOMEM, "out of memory recording a conflict");
    if (ret == ZC_OK && (ret = central_store_sale_load(st, held_id, held, err)) == ZC_OK &&
        (ret = zc_salecanon_text(held, &held_text, &n, err)) == ZC_OK &&
        (ret = zc_salecanon_text(d, &sent_text, &n, err)) == ZC_OK)
        ret = central_store_conflict_add(st, d->terminal, d->id, kind, held_id, held_text,
                                         sent_text, now, err);
    if (ret == ZC_OK) {
        r->status = "conflict";
        if (strcmp(kind, "same_id") == 0)
            snprintf(r->reason, sizeof r->reason, "the centre holds sale %s with other content; "
                     "recorded, the held sale is kept", d->id);
        else
            snprintf(r->reason, sizeof r->reason, "the centre holds another sale (%s) as seq %lld "
                     "of terminal %s; recorded, the held sale is kept", held_id, (long long)d->seq,
                     d->terminal);
    }
    free(held);
    free(held_text);
    free(sent_text);
    return ret;
}

/* The chain around a newly stored sale: its prev against seq-1's hash, and
 * seq+1's prev against its hash (when those are held). */
static int chain(central_store *st, const zc_sale_doc *d, const char *hash, int64_t now, zc_err *err)
{
    central_sale_ref nb;
    int ret = ZC_OK;
    if (d->seq == 1) {
        if (strcmp(d->prev, ZC_ZERO_HASH) != 0)
            ret = central_store_chain_break(st, d->terminal, 1, ZC_ZERO_HASH, d->prev, now, err);
    } else if ((ret = central_store_sale_at(st, d->terminal, d->seq - 1, &nb, err)) == ZC_OK) {
        if (strcmp(nb.hash, d->prev) != 0)
            ret = central_store_chain_break(st, d->terminal, d->seq, nb.hash, d->prev, now, err);
    }
    if (ret && ret != ZC_ENOTFOUND)
        return ret;
    ret = central_store_sale_at(st, d->terminal, d->seq + 1, &nb, err);
    if (ret == ZC_OK && strcmp(nb.prev, hash) != 0)
        ret = central_store_chain_break(st, d->terminal, d->seq + 1, hash, nb.prev, now, err);
    return ret == ZC_ENOTFOUND ? ZC_OK : ret;
}

/* Dates that a terminal's clock or an editor got wrong: created_utc far
 * from the centre's clock, or local_time not created_utc's wall time in
 * the centre's zone (the terminals' zone; Asia/Shanghai).  Flagged, so the
 * report shows them; the sale is stored as sent. */
static int dates(central_store *st, const zc_sale_doc *d, int64_t now, zc_err *err)
{
    char detail[300], real[24];
    zc_datetime at;
    int ret = ZC_OK;
    zc_datetime_fmt(zc_tz_local(d->created_utc), real, sizeof real);
    if (d->created_utc > now + FUTURE_MAX_S || d->created_utc < now - PAST_MAX_S) {
        bool future = d->created_utc > now;
        snprintf(detail, sizeof detail, "the sale is dated %s, %lld days %s the centre's clock; "
                 "check the terminal's clock", real,
                 (long long)((future ? d->created_utc - now : now - d->created_utc) / 86400),
                 future ? "ahead of" : "behind");
        if ((ret = central_store_flag(st, d->id, future ? "date_future" : "date_past", detail, now,
                                      err)))
            return ret;
    }
    if (zc_datetime_parse(d->local_time, &at) == ZC_OK) {
        int64_t gap = d->created_utc - zc_tz_epoch(at);
        if (gap >= LOCAL_SLACK_S || gap <= -LOCAL_SLACK_S) {
            snprintf(detail, sizeof detail, "local_time %s is not created_utc %lld (%s here): "
                     "the sale counts on its local date, which was edited or set by a wrong zone",
                     d->local_time, (long long)d->created_utc, real);
            ret = central_store_flag(st, d->id, "time_mismatch", detail, now, err);
        }
    }
    return ret;
}

/* What an offline terminal could not prevent: a card the centre had
 * blacklisted before the sale, a card that is not the elder's or not known;
 * and a sale from a canteen that is not the terminal's. */
static int checks(central_store *st, const central_terminal *t, const zc_sale_doc *d, int64_t now,
                  zc_err *err)
{
    central_card c;
    char detail[300];
    int ret = ZC_OK;
    if (strcmp(d->canteen, t->canteen_id) != 0) {
        snprintf(detail, sizeof detail, "terminal %s belongs to canteen %s, the sale says %s", t->id,
                 t->canteen_id, d->canteen);
        if ((ret = central_store_flag(st, d->id, "canteen_mismatch", detail, now, err)))
            return ret;
    }
    if (!d->card[0])
        return ZC_OK;
    ret = central_store_card_get(st, d->card, &c, err);
    if (ret == ZC_ENOTFOUND) {
        snprintf(detail, sizeof detail, "card %s is not on the centre's roster", d->card);
        return central_store_flag(st, d->id, "card_unknown", detail, now, err);
    }
    if (ret)
        return ret;
    if (strcmp(c.elder_id, d->elder) != 0) {
        snprintf(detail, sizeof detail, "card %s belongs to elder %s, the sale says %s", d->card,
                 c.elder_id, d->elder[0] ? d->elder : "(none)");
        if ((ret = central_store_flag(st, d->id, "card_other_elder", detail, now, err)))
            return ret;
    }
    if (strcmp(c.status, "active") != 0 && c.status_utc <= d->created_utc) {
        char kind[24];
        snprintf(kind, sizeof kind, "card_%s", c.status);
        snprintf(detail, sizeof detail, "card %s was %s at the centre at %lld, before the sale at "
                 "%lld (%s); the terminal had not synced", d->card, c.status,
                 (long long)c.status_utc, (long long)d->created_utc, d->local_time);
        ret = central_store_flag(st, d->id, kind, detail, now, err);
    }
    return ret;
}

/* Re-quotes the elder's sales later than d in d's usage window. */
static int requote_later(central_store *st, const zc_sale_doc *d, int64_t now, zc_err *err)
{
    char(*ids)[ZC_ID_MAX] = malloc(sizeof *ids * LATER_MAX);
    zc_sale_doc *x = malloc(sizeof *x);
    zc_datetime at;
    int n = 0, ret = ZC_OK;
    if (!ids || !x) {
        ret = zc_errf(err, ZC_ENOMEM, "out of memory checking sale %s", d->id);
        goto out;
    }
    if (zc_datetime_parse(d->local_time, &at) != ZC_OK)
        goto out;
    /* the last day whose window can contain d: end of d's week or month */
    zc_date wk = zc_civil_from_days(zc_days_from_civil(zc_week_start(at.date)) + 6);
    zc_date mo = {at.date.y, at.date.m, zc_days_in_month(at.date.y, at.date.m)};
    central_sale_key after = {d->created_utc, d->id};
    if ((ret = central_store_later_sales(st, d->elder, &after, zc_date_cmp(wk, mo) > 0 ? wk : mo, ids,
                                         LATER_MAX, &n, err)))
        goto out;
    for (int i = 0; i < n && ret == ZC_OK; i++)
        if ((ret = central_store_sale_load(st, ids[i], x, err)) == ZC_OK)
            ret = central_requote(st, x, now, err);
out:
    free(ids);
    free(x);
    return ret;
}

/* Stores one validated sale inside the batch; r says what happened.  A
 * negative return aborts the batch (database trouble). */
static int ingest_sale(central_store *st, const central_terminal *t, const zc_sale_doc *d,
                       const char *hash, int64_t now, result *r, zc_err *err)
{
    char want[ZC_SHA256_HEX], why[200];
    central_sale_ref held;
    zc_canteen c;
    r->reason[0] = '\0';
    if (strcmp(d->terminal, t->id) != 0)
        return reject(r, "the sale is from terminal %s but the token is terminal %s's", d->terminal,
                      t->id);
    int ret = zc_salecanon_hash(d, want, err);
    if (ret)
        return ret;
    if (strcmp(want, hash) != 0)
        return reject(r, "hash mismatch: the sale's content does not give its hash");
    if (!money_ok(d, why, sizeof why))
        return reject(r, "%s", why);
    if ((ret = central_store_sale_find(st, d->id, &held, err)) == ZC_OK) {
        if (strcmp(held.hash, hash) == 0) {
            r->status = "duplicate";
            return ZC_OK;
        }
        return conflict(st, d, "same_id", held.id, now, r, err);
    }
    if (ret != ZC_ENOTFOUND)
        return ret;
    if ((ret = central_store_sale_at(st, d->terminal, d->seq, &held, err)) == ZC_OK)
        return conflict(st, d, "same_seq", held.id, now, r, err);
    if (ret != ZC_ENOTFOUND)
        return ret;
    if ((ret = central_store_canteen_get(st, d->canteen, &c, NULL)) == ZC_ENOTFOUND)
        return reject(r, "canteen %s is not known to the centre", d->canteen);
    if (ret)
        return zc_errf(err, ret, "reading canteen %s failed", d->canteen);
    if ((ret = central_store_save_begin(st, err)))
        return ret;
    if ((ret = central_store_sale_insert(st, d, hash, now, err)) == ZC_OK &&
        (ret = chain(st, d, hash, now, err)) == ZC_OK && (ret = checks(st, t, d, now, err)) == ZC_OK &&
        (ret = dates(st, d, now, err)) == ZC_OK &&
        (ret = central_requote(st, d, now, err)) == ZC_OK && d->elder[0])
        ret = requote_later(st, d, now, err);
    if (ret) {
        zc_err undo;
        if (central_store_save_end(st, false, &undo) != ZC_OK)
            return zc_errf(err, ZC_EDB, "%s", undo.msg); /* cannot undo: abort the batch */
        /* a constraint the checks above did not foresee refuses this sale only */
        return ret == ZC_ECONFLICT ? reject(r, "the centre could not store it: %s", err ? err->msg : "")
                                  : ret;
    }
    r->status = "stored";
    return central_store_save_end(st, true, err);
}

static int add_result(cJSON *arr, const char *key, const char *id, const char *status,
                      const char *reason)
{
    cJSON *o = cJSON_CreateObject();
    if (!o || !cJSON_AddItemToArray(arr, o) || !cJSON_AddStringToObject(o, key, id) ||
        !cJSON_AddStringToObject(o, "status", status) ||
        (reason && !cJSON_AddStringToObject(o, "reason", reason)))
        return ZC_ENOMEM;
    return ZC_OK;
}

/* One request's batch, validated, for the group's transaction. */
typedef struct batch_job {
    const central_terminal *t;
    const cJSON *sales, *voids;
    int64_t now;
    cJSON *res, *vres; /* the reply's result lists */
    zc_sale_doc *d;    /* scratch */
} batch_job;

/* Stores the sales and voids of a validated batch (a central_group_fn). */
static int apply_batch(central_store *st, void *arg, zc_err *err)
{
    static const char *const void_status[] = {"stored", "duplicate", "unknown_sale"};
    batch_job *b = arg;
    const cJSON *m;
    zc_wire_void v;
    char hash[ZC_SHA256_HEX], path[32];
    int ret, i = 0;
    cJSON_ArrayForEach(m, b->sales) {
        result r = {"", ""};
        snprintf(path, sizeof path, "sales[%d]", i++);
        if ((ret = zc_wire_sale(m, path, b->d, hash, err)) ||
            (ret = ingest_sale(st, b->t, b->d, hash, b->now, &r, err)))
            return ret;
        /* a refusal is kept for the operator (reconcile names it); a sale
         * claiming another terminal is not that terminal's to explain */
        if (strcmp(r.status, "rejected") == 0 && strcmp(b->d->terminal, b->t->id) == 0) {
            char date[16];
            snprintf(date, sizeof date, "%.10s", b->d->local_time);
            if ((ret = central_store_rejected_add(st, b->t->id, b->d->id, b->d->seq, date,
                                                  r.reason, b->now, err)))
                return ret;
        }
        if (add_result(b->res, "id", b->d->id, r.status, r.reason))
            return zc_errf(err, ZC_ENOMEM, "out of memory answering the sales");
    }
    i = 0;
    cJSON_ArrayForEach(m, b->voids) {
        int what;
        snprintf(path, sizeof path, "voids[%d]", i++);
        if ((ret = zc_wire_void_read(m, path, &v, err)) ||
            (ret = central_store_void(st, b->t->id, &v, b->now, &what, err)))
            return ret;
        if (add_result(b->vres, "sale_id", v.sale_id, void_status[what], NULL))
            return zc_errf(err, ZC_ENOMEM, "out of memory answering the voids");
    }
    return central_store_terminal_seen(st, b->t->id, b->now, err);
}

int central_ingest_batch(central_store *st, central_group *g, const central_terminal *t,
                         const cJSON *root, int64_t now, cJSON *reply, zc_err *err)
{
    batch_job b = {.t = t, .now = now, .d = malloc(sizeof *b.d)};
    const cJSON *m;
    zc_wire_void v;
    char hash[ZC_SHA256_HEX], path[32];
    int ret, i;
    if (!b.d)
        return zc_errf(err, ZC_ENOMEM, "out of memory reading the sales");
    /* validate everything first: a 400 stores nothing */
    if ((ret = zc_wire_batch(root, &b.sales, &b.voids, err)))
        goto out;
    i = 0;
    cJSON_ArrayForEach(m, b.sales) {
        snprintf(path, sizeof path, "sales[%d]", i++);
        if ((ret = zc_wire_sale(m, path, b.d, hash, err)))
            goto out;
    }
    i = 0;
    cJSON_ArrayForEach(m, b.voids) {
        snprintf(path, sizeof path, "voids[%d]", i++);
        if ((ret = zc_wire_void_read(m, path, &v, err)))
            goto out;
    }
    if (!(b.res = cJSON_AddArrayToObject(reply, "results")) ||
        !(b.vres = cJSON_AddArrayToObject(reply, "void_results"))) {
        ret = zc_errf(err, ZC_ENOMEM, "out of memory answering the sales");
        goto out;
    }
    /* returns once the transaction holding the batch committed */
    if ((ret = central_group_run(g, st, apply_batch, &b, err)))
        goto out;
    if (!cJSON_AddNumberToObject(reply, "server_time", (double)now))
        ret = zc_errf(err, ZC_ENOMEM, "out of memory answering the sales");
out:
    free(b.d);
    return ret;
}
