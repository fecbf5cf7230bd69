/* salecanon.c - the canonical text "zhucan-sale-v1" and its hash (format in
 * salecanon.h and at the top of app/store/sale.c).  This file must produce,
 * byte for byte, what the terminal's store has always hashed: tests compare
 * it with store_sale_commit's hash of real sales. */
#include "salecanon.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void zc_canon_text(zc_canon *b, const char *s)
{
    static const char hex[] = "0123456789abcdef";
    const char *run = s;
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        if (c < 0x20 || c == 0x7f || c == '\\' || c == '|') {
            char esc[4] = {'\\', 'x', hex[c >> 4], hex[c & 15]};
            zc_buf_put(b, run, (size_t)(s - run));
            zc_buf_put(b, esc, 4);
            run = s + 1;
        }
    }
    zc_buf_put(b, run, (size_t)(s - run));
}

void zc_canon_num(zc_canon *b, int64_t v)
{
    char n[24];
    int k = snprintf(n, sizeof n, "%lld", (long long)v);
    zc_buf_put(b, n, (size_t)k);
}

void zc_canon_kv(zc_canon *b, const char *key, const char *v)
{
    zc_buf_put(b, key, strlen(key));
    zc_buf_put(b, "=", 1);
    zc_canon_text(b, v);
    zc_buf_put(b, "\n", 1);
}

void zc_canon_kn(zc_canon *b, const char *key, int64_t v)
{
    zc_buf_put(b, key, strlen(key));
    zc_buf_put(b, "=", 1);
    zc_canon_num(b, v);
    zc_buf_put(b, "\n", 1);
}

int zc_canon_hash(zc_canon *b, char out[ZC_SHA256_HEX])
{
    int ret = b->failed ? ZC_ENOMEM : ZC_OK;
    out[0] = '\0';
    if (!b->failed)
        zc_sha256_hex(b->p ? b->p : "", b->len, out);
    zc_buf_free(b);
    return ret;
}

/* The separator between the fields of a line, rule or part. */
static void sep(zc_canon *b)
{
    zc_buf_put(b, "|", 1);
}

/* Builds the text into b (which the caller frees). */
static int build(const zc_sale_doc *d, zc_canon *b, zc_err *err)
{
    int order[ZC_MAX_RULES];
    if (d->nlines < 0 || d->nlines > ZC_MAX_LINES || d->nrules < 0 || d->nrules > ZC_MAX_RULES ||
        d->nparts < 0 || d->nparts > ZC_MAX_PARTS)
        return zc_errf(err, ZC_EINVAL, "internal error: sale %.48s has %d lines, %d rules, %d parts",
                       d->id, d->nlines, d->nrules, d->nparts);
    /* rules by rule id, bytewise (insertion sort of indexes: at most 32) */
    for (int i = 0; i < d->nrules; i++) {
        int j = i;
        while (j > 0 && strcmp(d->rules[order[j - 1]].rule, d->rules[i].rule) > 0) {
            order[j] = order[j - 1];
            j--;
        }
        order[j] = i;
    }
    zc_buf_put(b, "zhucan-sale-v1\n", 15);
    zc_canon_kv(b, "id", d->id);
    zc_canon_kn(b, "seq", d->seq);
    zc_canon_kv(b, "terminal", d->terminal);
    zc_canon_kv(b, "canteen", d->canteen);
    zc_canon_kv(b, "operator", d->op);
    zc_canon_kv(b, "elder", d->elder);
    zc_canon_kv(b, "card", d->card);
    zc_canon_kn(b, "created_utc", d->created_utc);
    zc_canon_kv(b, "local_time", d->local_time);
    zc_canon_kv(b, "period", d->period);
    zc_canon_kv(b, "policy", d->policy);
    zc_canon_kv(b, "policy_version", d->policy_version);
    zc_canon_kn(b, "gross", d->gross);
    zc_canon_kn(b, "subsidy", d->subsidy);
    zc_canon_kn(b, "pay", d->pay);
    zc_canon_kv(b, "pay_method", d->pay_method);
    zc_canon_kv(b, "pay_ref", d->pay_ref);
    zc_canon_kn(b, "tendered", d->tendered);
    for (int i = 0; i < d->nlines; i++) {
        const zc_line *l = &d->lines[i];
        zc_buf_put(b, "line=", 5);
        zc_canon_num(b, i + 1);
        sep(b);
        zc_canon_text(b, l->code);
        sep(b);
        zc_canon_text(b, l->name);
        sep(b);
        zc_canon_num(b, l->unit_fen);
        sep(b);
        zc_canon_num(b, l->qty);
        zc_buf_put(b, l->eligible ? "|1\n" : "|0\n", 3);
    }
    for (int i = 0; i < d->nrules; i++) {
        const zc_sale_rule *r = &d->rules[order[i]];
        zc_buf_put(b, "rule=", 5);
        zc_canon_text(b, r->rule);
        sep(b);
        zc_canon_text(b, r->key);
        sep(b);
        zc_canon_text(b, r->period);
        sep(b);
        zc_canon_text(b, r->date);
        sep(b);
        zc_canon_num(b, r->fen);
        zc_buf_put(b, "\n", 1);
    }
    for (int i = 0; i < d->nparts; i++) {
        const zc_part *p = &d->parts[i];
        zc_buf_put(b, "part=", 5);
        zc_canon_num(b, i + 1);
        sep(b);
        zc_canon_text(b, p->rule);
        sep(b);
        zc_canon_text(b, p->source);
        sep(b);
        zc_canon_num(b, p->fen);
        zc_buf_put(b, "\n", 1);
    }
    zc_canon_kv(b, "prev", d->prev);
    if (b->failed)
        return zc_errf(err, ZC_ENOMEM, "out of memory building the text of sale %.48s", d->id);
    return ZC_OK;
}

int zc_salecanon_text(const zc_sale_doc *d, char **text, size_t *len, zc_err *err)
{
    zc_canon b = {0};
    *text = NULL;
    *len = 0;
    int ret = build(d, &b, err);
    if (ret != ZC_OK) {
        zc_buf_free(&b);
        return ret;
    }
    *text = b.p; /* ownership passes to the caller */
    *len = b.len;
    return ZC_OK;
}

int zc_salecanon_hash(const zc_sale_doc *d, char out[ZC_SHA256_HEX], zc_err *err)
{
    zc_canon b = {0};
    out[0] = '\0';
    int ret = build(d, &b, err);
    if (ret != ZC_OK) {
        zc_buf_free(&b);
        return ret;
    }
    return zc_canon_hash(&b, out) == ZC_OK
               ? ZC_OK
               : zc_errf(err, ZC_ENOMEM, "out of memory hashing sale %.48s", d->id);
}
