/* fuzz_central_req.c - libFuzzer target: the centre reading a terminal's
 * request body (app/central/wire.c), as api.c and ingest.c do.
 *
 * The first byte picks the endpoint: a push of sales and voids, or a daily
 * closing.  Every sale the wire reader accepts is also put through the
 * canonical text and hash (app/core/salecanon.c), which the centre computes
 * for each sale before storing it. */
#include <cjson/cJSON.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../app/central/wire.h"

static void push(const cJSON *root)
{
    const cJSON *sales, *voids, *m;
    char path[32], hash[ZC_SHA256_HEX], again[ZC_SHA256_HEX];
    zc_err err;
    int i = 0;
    if (central_wire_batch(root, &sales, &voids, &err) != ZC_OK)
        return;
    zc_sale_doc *d = malloc(sizeof *d);
    if (!d)
        return;
    cJSON_ArrayForEach(m, sales)
    {
        snprintf(path, sizeof path, "sales[%d]", i++);
        memset(d, 0, sizeof *d);
        if (central_wire_sale(m, path, d, hash, &err) != ZC_OK)
            continue;
        if (zc_salecanon_hash(d, again, &err) != ZC_OK)
            abort(); /* a sale that passed the wire checks always has a canonical form */
        cJSON *back = central_wire_sale_json(d, hash);
        zc_sale_doc *d2 = malloc(sizeof *d2);
        char hash2[ZC_SHA256_HEX];
        /* what the centre writes back reads the same */
        if (back && d2 && (central_wire_sale(back, "back", d2, hash2, &err) != ZC_OK ||
                           strcmp(hash, hash2) != 0))
            abort();
        free(d2);
        cJSON_Delete(back);
    }
    free(d);
    i = 0;
    cJSON_ArrayForEach(m, voids)
    {
        central_void v;
        snprintf(path, sizeof path, "voids[%d]", i++);
        (void)central_wire_void(m, path, &v, &err);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    cJSON *root = NULL;
    zc_err err;
    if (size < 1)
        return 0;
    /* the server hands the body over as bytes with a length, not a string */
    char *body = malloc(size - 1 ? size - 1 : 1);
    if (!body)
        return 0;
    memcpy(body, data + 1, size - 1);
    if (central_wire_parse(body, size - 1, &root, &err) == ZC_OK) {
        if (data[0] & 1) {
            central_closing c;
            (void)central_wire_closing(root, &c, &err);
        } else {
            push(root);
        }
    } else if (root || !err.msg[0]) {
        abort();
    }
    cJSON_Delete(root);
    free(body);
    return 0;
}
