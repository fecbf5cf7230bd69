/* sync_recover.c - a terminal restored from a backup takes back the sales
 * it made after that backup and had sent: the centre returns them as they
 * were pushed (GET /api/v1/own-sales, docs/sync-protocol.md) and they are
 * appended verbatim, so the hash chain and the seqs go on where the centre's
 * copy of this terminal's chain goes on.
 *
 * A page is checked whole before anything is written: every sale must hash
 * to its "hash" and chain to the one before it; the first must then chain
 * to the local head (store_sale_adopt checks that again, per sale, inside
 * its transaction).  One wrong sale refuses the page. */
#include "sync_int.h"

#include <stdlib.h>
#include <string.h>

/* the protocol's strict SALE/VOID reader, shared with the centre so both
 * ends read the same shapes */
#include "../core/wire.h"

/* Checks every sale of the array: shape, hash, and chaining inside it. */
static int check_page(const cJSON *sales, zc_sale_doc *d, zc_err *err)
{
    char hash[ZC_SHA256_HEX], got[ZC_SHA256_HEX], last[ZC_SHA256_HEX] = "", path[32];
    int64_t seq = 0;
    int i = 0, ret = ZC_OK;
    const cJSON *o;
    cJSON_ArrayForEach(o, sales) {
        snprintf(path, sizeof path, "sales[%d]", i++);
        zc_err e = {""};
        if ((ret = zc_wire_sale(o, path, d, hash, &e)))
            return zc_errf(err, ret, "the centre's sales cannot be read, nothing was taken back: %s",
                           e.msg);
        if (zc_salecanon_hash(d, got, NULL) != ZC_OK || strcmp(got, hash) != 0)
            return zc_errf(err, ZC_EREFUSED, "sale %lld from the centre does not match its hash; nothing "
                           "was taken back", (long long)d->seq);
        if (seq && (d->seq != seq + 1 || strcmp(d->prev, last) != 0))
            return zc_errf(err, ZC_EREFUSED, "sale %lld from the centre does not chain to sale %lld; "
                           "nothing was taken back", (long long)d->seq, (long long)seq);
        seq = d->seq;
        snprintf(last, sizeof last, "%s", hash);
    }
    return ZC_OK;
}

int sync_recover_page(store_t *st, const cJSON *reply, long *taken, bool *more, zc_err *err)
{
    const cJSON *sales = cJSON_GetObjectItemCaseSensitive(reply, "sales"),
                *voids = cJSON_GetObjectItemCaseSensitive(reply, "voids"),
                *m = cJSON_GetObjectItemCaseSensitive(reply, "more"), *o;
    char hash[ZC_SHA256_HEX], path[32];
    zc_wire_void *vs = NULL;
    zc_sale_doc *d = NULL;
    int nv = 0, i = 0, ret = ZC_OK;
    *more = false;
    if (!cJSON_IsArray(sales) || !cJSON_IsArray(voids) || !cJSON_IsBool(m) ||
        cJSON_GetArraySize(sales) > ZC_WIRE_BATCH_MAX ||
        cJSON_GetArraySize(voids) > ZC_WIRE_BATCH_MAX)
        return zc_errf(err, ZC_EINVAL, "the centre's own-sales reply is not sales[], voids[] and more "
                       "(at most %d each); nothing was taken back", ZC_WIRE_BATCH_MAX);
    d = malloc(sizeof *d);
    vs = malloc(sizeof *vs * (size_t)(cJSON_GetArraySize(voids) + 1));
    if (!d || !vs) {
        ret = zc_errf(err, ZC_ENOMEM, "out of memory taking back sales");
        goto out;
    }
    cJSON_ArrayForEach(o, voids) {
        snprintf(path, sizeof path, "voids[%d]", nv);
        if ((ret = zc_wire_void_read(o, path, &vs[nv++], err)))
            goto out;
    }
    if ((ret = check_page(sales, d, err)))
        goto out;
    cJSON_ArrayForEach(o, sales) {
        snprintf(path, sizeof path, "sales[%d]", i++);
        store_void_in vin = {0}, *v = NULL;
        if ((ret = zc_wire_sale(o, path, d, hash, err)))
            goto out;
        for (int k = 0; k < nv && !v; k++)
            if (strcmp(vs[k].sale_id, d->id) == 0) {
                vin = (store_void_in){vs[k].at_utc, vs[k].op, vs[k].reason};
                v = &vin;
            }
        if ((ret = store_sale_adopt(st, d, hash, v, err)))
            goto out;
        (*taken)++;
    }
    *more = cJSON_IsTrue(m) && i > 0;
out:
    free(d);
    free(vs);
    return ret;
}
