/* kiosk_receipt.c - paper receipts: the first print after a sale and
 * reprints, from the done screen or from the recent-sales list.
 *
 * Every receipt is laid out from the sale as the store holds it
 * (store_sale_load), not from the screen's memory, so a reprint an hour
 * later and the first print are the same paper.  A printer failure is a
 * message, never a lost or blocked sale.  Reprints are audited ("reprint",
 * sale id) before anything is printed: a duplicate receipt is worth money. */
#include <stdlib.h>
#include <string.h>

#include "../store/sale_load.h"
#include "../till/receipt.h"
#include "kiosk_int.h"

#define K_RECEIPT_COLS 32 /* 58 mm paper */

/* Fills r from a stored sale. */
static void receipt_from(kiosk_t *k, const store_sale_full *s, receipt_t *r)
{
    memset(r, 0, sizeof *r);
    snprintf(r->canteen, sizeof r->canteen, "%s", till_canteen(k->t)->name);
    snprintf(r->terminal, sizeof r->terminal, "%s", s->terminal_id);
    r->seq = s->seq;
    snprintf(r->uuid, sizeof r->uuid, "%s", s->id);
    if (zc_datetime_parse(s->local_time, &r->at) != ZC_OK)
        r->at = zc_tz_local(s->created_utc);
    snprintf(r->operator_name, sizeof r->operator_name, "%s",
             s->operator_name[0] ? s->operator_name : s->operator_id);
    for (int i = 0; i < s->nlines && i < ZC_MAX_LINES; i++) {
        snprintf(r->lines[i].name, sizeof r->lines[i].name, "%s", s->lines[i].name);
        r->lines[i].qty = s->lines[i].qty;
        r->lines[i].unit_fen = s->lines[i].unit_fen;
        r->lines[i].line_fen = s->lines[i].unit_fen * s->lines[i].qty;
        r->nlines++;
    }
    r->gross = s->gross;
    for (int i = 0; i < s->nparts && i < RECEIPT_MAX_PARTS; i++) {
        snprintf(r->parts[i].rule_name, sizeof r->parts[i].rule_name, "%s", s->parts[i].rule_name);
        snprintf(r->parts[i].source, sizeof r->parts[i].source, "%s", s->parts[i].source);
        r->parts[i].fen = s->parts[i].fen;
        r->nparts++;
    }
    r->pay = s->pay;
    snprintf(r->method, sizeof r->method, "%s", s->pay_method);
    snprintf(r->pay_ref, sizeof r->pay_ref, "%.47s", s->pay_ref);
    if (strcmp(s->pay_method, "cash") == 0 && s->tendered >= s->pay) {
        r->tendered = s->tendered;
        r->change = s->tendered - s->pay;
    }
    snprintf(r->elder_name, sizeof r->elder_name, "%s", s->elder_name);
}

bool k_print_sale(kiosk_t *k, const char *sale_id, bool reprint, char *msg, size_t n)
{
    char printer[256], detail[64];
    bool ok = false;
    size_t len = 0;
    zc_err err = {{0}};
    store_t *st = till_store(k->t);
    struct {
        store_sale_full sale;
        receipt_t r;
        char bytes[RECEIPT_BYTES_MAX];
    } *w = NULL; /* ~60 KB: on the heap, not on the UI thread's stack */
    if (store_meta_get(st, "printer", printer, sizeof printer) != ZC_OK || !printer[0]) {
        snprintf(msg, n, "%s", TR(k, "未配置打印机，交易已保存"));
        goto out;
    }
    w = malloc(sizeof *w);
    if (!w) {
        snprintf(msg, n, "%s", TR(k, "内存不足，未能打印；交易已保存"));
        goto out;
    }
    if (store_sale_load(st, sale_id, &w->sale, &err) != ZC_OK) {
        snprintf(msg, n, "%s", err.msg);
        goto out;
    }
    if (w->sale.voided) {
        snprintf(msg, n, "%s", TR(k, "已作废的交易不能补打小票"));
        goto out;
    }
    if (reprint) {
        snprintf(detail, sizeof detail, "seq=%lld", (long long)w->sale.seq);
        if (store_audit(st, k->op.id, "reprint", w->sale.id, detail, &err) != ZC_OK) {
            snprintf(msg, n, "%s", err.msg); /* no unaudited copies */
            goto out;
        }
    }
    receipt_from(k, &w->sale, &w->r);
    w->r.reprint = reprint;
    if (receipt_escpos(&w->r, K_RECEIPT_COLS, w->bytes, sizeof w->bytes, &len, &err) != ZC_OK ||
        receipt_print(printer, w->bytes, len, 1500, &err) != ZC_OK) {
        snprintf(msg, n, "%s", err.msg);
        goto out;
    }
    if (reprint)
        snprintf(msg, n, "%s #%lld", TR(k, "已补打小票"), (long long)w->sale.seq);
    else
        snprintf(msg, n, "%s", TR(k, "小票已打印"));
    ok = true;
out:
    free(w);
    return ok;
}
