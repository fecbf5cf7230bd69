/* sync_store.c - the outbox side of sync as protocol JSON: the sales and
 * voids to send, and the centre's acknowledgements (the rows and their SQL:
 * app/store/outbox.c).
 *
 * A sale is sent exactly as it was committed: the JSON is built from the
 * stored document (store_sale_doc: sale, sale_line by line_no, sale_rule by
 * rule_id bytewise, sale_subsidy by part_no) - never from a quote - so the
 * centre's rebuilt canonical text ("zhucan-sale-v1", app/core/salecanon.h)
 * hashes to the stored hash.  A row is marked sent only when the centre
 * answered stored or duplicate for it, in the same transaction that records
 * every other answer of the batch. */
#include "sync_int.h"

#include <stdlib.h>
#include <string.h>

#include "../store/sale_load.h"

/* ---- one sale as JSON ---- */

/* Adds the lines, rules and parts of d to o; false when out of memory. */
static bool add_children(const zc_sale_doc *d, cJSON *o)
{
    cJSON *lines = cJSON_AddArrayToObject(o, "lines"), *r;
    if (!lines)
        return false;
    for (int i = 0; i < d->nlines; i++) {
        const zc_line *l = &d->lines[i];
        if (!(r = cJSON_CreateObject()) || !cJSON_AddItemToArray(lines, r)) {
            cJSON_Delete(r);
            return false;
        }
        sync_json_add_int(r, "no", i + 1);
        cJSON_AddStringToObject(r, "code", l->code);
        cJSON_AddStringToObject(r, "name", l->name);
        sync_json_add_int(r, "unit_fen", l->unit_fen);
        sync_json_add_int(r, "qty", l->qty);
        cJSON_AddBoolToObject(r, "eligible", l->eligible);
    }
    cJSON *rules = cJSON_AddArrayToObject(o, "rules");
    if (!rules)
        return false;
    for (int i = 0; i < d->nrules; i++) {
        const zc_sale_rule *u = &d->rules[i];
        if (!(r = cJSON_CreateObject()) || !cJSON_AddItemToArray(rules, r)) {
            cJSON_Delete(r);
            return false;
        }
        cJSON_AddStringToObject(r, "rule", u->rule);
        cJSON_AddStringToObject(r, "key", u->key);
        cJSON_AddStringToObject(r, "period", u->period);
        cJSON_AddStringToObject(r, "date", u->date);
        sync_json_add_int(r, "fen", u->fen);
    }
    cJSON *parts = cJSON_AddArrayToObject(o, "parts");
    if (!parts)
        return false;
    for (int i = 0; i < d->nparts; i++) {
        const zc_part *p = &d->parts[i];
        if (!(r = cJSON_CreateObject()) || !cJSON_AddItemToArray(parts, r)) {
            cJSON_Delete(r);
            return false;
        }
        sync_json_add_int(r, "no", i + 1);
        cJSON_AddStringToObject(r, "rule", p->rule);
        cJSON_AddStringToObject(r, "source", p->source);
        sync_json_add_int(r, "fen", p->fen);
    }
    return true;
}

/* The protocol's SALE object for sale id (caller owns *out).  Fields in
 * the order of the canonical text; absent elder/card/pay_ref are "". */
static int sale_json(store_t *st, zc_sale_doc *d, const char *id, cJSON **out, zc_err *err)
{
    char hash[ZC_SHA256_HEX];
    cJSON *o = NULL;
    *out = NULL;
    int ret = store_sale_doc(st, id, d, hash, err);
    if (ret)
        return ret;
    bool ok = (o = cJSON_CreateObject()) && cJSON_AddStringToObject(o, "id", d->id) &&
              sync_json_add_int(o, "seq", d->seq) && cJSON_AddStringToObject(o, "terminal", d->terminal) &&
              cJSON_AddStringToObject(o, "canteen", d->canteen) &&
              cJSON_AddStringToObject(o, "operator", d->op) &&
              cJSON_AddStringToObject(o, "elder", d->elder) &&
              cJSON_AddStringToObject(o, "card", d->card) &&
              sync_json_add_int(o, "created_utc", d->created_utc) &&
              cJSON_AddStringToObject(o, "local_time", d->local_time) &&
              cJSON_AddStringToObject(o, "period", d->period) &&
              cJSON_AddStringToObject(o, "policy", d->policy) &&
              cJSON_AddStringToObject(o, "policy_version", d->policy_version) &&
              sync_json_add_int(o, "gross", d->gross) && sync_json_add_int(o, "subsidy", d->subsidy) &&
              sync_json_add_int(o, "pay", d->pay) &&
              cJSON_AddStringToObject(o, "pay_method", d->pay_method) &&
              cJSON_AddStringToObject(o, "pay_ref", d->pay_ref) &&
              sync_json_add_int(o, "tendered", d->tendered) && add_children(d, o) &&
              cJSON_AddStringToObject(o, "prev", d->prev) && cJSON_AddStringToObject(o, "hash", hash);
    if (!ok) {
        cJSON_Delete(o);
        return zc_errf(err, ZC_ENOMEM, "out of memory building the sales to send");
    }
    *out = o;
    return ZC_OK;
}

/* The protocol's void object for the void of sale id. */
static int void_json(store_t *st, const char *id, cJSON **out, zc_err *err)
{
    store_void_out v;
    *out = NULL;
    int ret = store_outbox_void(st, id, &v, err);
    if (ret)
        return ret;
    cJSON *o = cJSON_CreateObject();
    if (o && cJSON_AddStringToObject(o, "sale_id", id) && sync_json_add_int(o, "at_utc", v.at_utc) &&
        cJSON_AddStringToObject(o, "operator", v.op) && cJSON_AddStringToObject(o, "reason", v.reason)) {
        *out = o;
    } else {
        cJSON_Delete(o);
        ret = zc_errf(err, ZC_ENOMEM, "out of memory building the voids to send");
    }
    store_void_out_free(&v);
    return ret;
}

/* ---- batches ---- */

void sync_batch_free(sync_batch *b)
{
    if (!b)
        return;
    free(b->items);
    memset(b, 0, sizeof *b);
}

int sync_batch_load(store_t *st, int max_sales, sync_batch *b, cJSON **body, zc_err *err)
{
    cJSON *root = NULL, *sales, *voids;
    zc_sale_doc *doc = NULL;
    int ret;
    *body = NULL;
    sync_batch_free(b);
    if (max_sales < 1)
        max_sales = 1;
    b->items = calloc((size_t)max_sales * 2, sizeof *b->items);
    doc = malloc(sizeof *doc);
    root = cJSON_CreateObject();
    sales = cJSON_AddArrayToObject(root, "sales");
    voids = cJSON_AddArrayToObject(root, "voids");
    if (!b->items || !doc || !root || !sales || !voids) {
        ret = zc_errf(err, ZC_ENOMEM, "out of memory building the sales to send");
        goto out;
    }
    if ((ret = store_outbox_pending(st, max_sales, b->items, &b->nsales, &b->nvoids, err)))
        goto out;
    b->n = b->nsales + b->nvoids;
    for (int i = 0; i < b->n; i++) {
        cJSON *o;
        if ((ret = b->items[i].is_void ? void_json(st, b->items[i].sale_id, &o, err)
                                       : sale_json(st, doc, b->items[i].sale_id, &o, err)))
            goto out;
        cJSON_AddItemToArray(b->items[i].is_void ? voids : sales, o);
    }
out:
    if (ret) {
        cJSON_Delete(root);
        root = NULL;
        sync_batch_free(b);
    }
    free(doc);
    *body = root;
    return ret;
}

/* The answer object in arr whose field key equals id, or NULL. */
static const cJSON *answer_for(const cJSON *arr, const char *key, const char *id)
{
    const cJSON *r;
    cJSON_ArrayForEach(r, arr)
    {
        const cJSON *v = cJSON_GetObjectItemCaseSensitive(r, key);
        if (cJSON_IsString(v) && v->valuestring && strcmp(v->valuestring, id) == 0)
            return r;
    }
    return NULL;
}

/* What to record for the answer r (may be NULL) of one item, counted in rep. */
static void ack_one(const sync_item *it, const cJSON *r, sync_report *rep, store_ack *a)
{
    char status[24] = "", reason[200] = "";
    zc_err ignore;
    if (r && (sync_json_str(r, "status", status, sizeof status, false, "", &ignore) ||
              sync_json_str(r, "reason", reason, sizeof reason, false, "", &ignore)))
        reason[0] = '\0';
    bool ok = strcmp(status, "stored") == 0 || strcmp(status, "duplicate") == 0;
    bool held = it->is_void ? strcmp(status, "unknown_sale") == 0
                            : strcmp(status, "conflict") == 0 || strcmp(status, "rejected") == 0;
    memset(a, 0, sizeof *a);
    a->outbox_id = it->outbox_id;
    if (ok) {
        if (it->is_void) {
            rep->voids++;
        } else {
            rep->pushed++;
            *(strcmp(status, "stored") == 0 ? &rep->stored : &rep->duplicate) += 1;
        }
        a->how = STORE_ACK_SENT;
    } else if (held) {
        if (!it->is_void) {
            rep->pushed++;
            *(strcmp(status, "conflict") == 0 ? &rep->conflict : &rep->rejected) += 1;
        }
        a->how = STORE_ACK_HELD;
        snprintf(a->held, sizeof a->held, "%s", status);
        snprintf(a->why, sizeof a->why, "the centre answered %s%s%s; not sent again", status,
                 reason[0] ? ": " : "", reason);
    } else {
        a->how = STORE_ACK_RETRY;
        if (!r)
            snprintf(a->why, sizeof a->why, "the centre's reply did not mention this %s",
                     it->is_void ? "void" : "sale");
        else
            snprintf(a->why, sizeof a->why, "the centre answered an unknown status \"%s\"", status);
    }
}

int sync_batch_ack(store_t *st, const sync_batch *b, const cJSON *reply, int64_t now,
                   sync_report *rep, zc_err *err)
{
    const cJSON *results = cJSON_GetObjectItemCaseSensitive(reply, "results");
    const cJSON *vresults = cJSON_GetObjectItemCaseSensitive(reply, "void_results");
    if (b->nsales > 0 && !cJSON_IsArray(results))
        return zc_errf(err, ZC_EINVAL, "the centre's reply has no \"results\" list; nothing was "
                       "marked sent");
    if (b->nvoids > 0 && !cJSON_IsArray(vresults))
        return zc_errf(err, ZC_EINVAL, "the centre's reply has no \"void_results\" list; nothing "
                       "was marked sent");
    store_ack *acks = calloc(b->n > 0 ? (size_t)b->n : 1, sizeof *acks);
    if (!acks)
        return zc_errf(err, ZC_ENOMEM, "out of memory recording the centre's answer");
    /* counted apart, and added to rep only once the answers are stored */
    sync_report got = {0};
    for (int i = 0; i < b->n; i++) {
        const sync_item *it = &b->items[i];
        ack_one(it, answer_for(it->is_void ? vresults : results, it->is_void ? "sale_id" : "id",
                               it->sale_id), &got, &acks[i]);
    }
    int ret = store_outbox_ack(st, acks, b->n, now, true, "the centre's answer", err);
    if (ret == ZC_OK) {
        rep->pushed += got.pushed;
        rep->stored += got.stored;
        rep->duplicate += got.duplicate;
        rep->conflict += got.conflict;
        rep->rejected += got.rejected;
        rep->voids += got.voids;
    }
    free(acks);
    return ret;
}

int sync_batch_failed(store_t *st, const sync_batch *b, const char *why)
{
    store_ack *acks = calloc(b->n > 0 ? (size_t)b->n : 1, sizeof *acks);
    if (!acks)
        return ZC_ENOMEM;
    for (int i = 0; i < b->n; i++) {
        acks[i].outbox_id = b->items[i].outbox_id;
        acks[i].how = STORE_ACK_RETRY;
        snprintf(acks[i].why, sizeof acks[i].why, "%s", why);
    }
    int ret = store_outbox_ack(st, acks, b->n, 0, false, "the failed attempt", NULL);
    free(acks);
    return ret;
}
