/* fuzz_sync_reply.c - libFuzzer target: the terminal reading the centre's
 * replies (app/sync: sync_reply_parse, then the reader of each endpoint).
 *
 * The first byte picks the request the reply answers (time, config, a
 * roster page, a policies page, a push acknowledgement, a usage answer);
 * the rest is the body as it came off the wire.  Pages are applied to a
 * scratch terminal database exactly as a sync round does.  A reply that is
 * refused must leave the roster and policies as they were (each page is one
 * transaction). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../../app/sync/sync_int.h"
#include "fuzz_store.h"

static long count(store_t *st, const char *sql)
{
    sqlite3_stmt *s = NULL;
    long n = -1;
    if (sqlite3_prepare_v2(store_db(st), sql, -1, &s, NULL) == SQLITE_OK && sqlite3_step(s) == SQLITE_ROW)
        n = (long)sqlite3_column_int64(s, 0);
    sqlite3_finalize(s);
    if (n < 0)
        abort();
    return n;
}

/* Applies one parsed reply the way sync_round.c does for kind. */
static void apply(store_t *st, int kind, const cJSON *j)
{
    static const char *const ids[] = {"0f8e4c1a-2b3d-4e5f-8a9b-0c1d2e3f4a5b",
                                      "1f8e4c1a-2b3d-4e5f-8a9b-0c1d2e3f4a5b"};
    sync_item items[3];
    sync_report rep;
    zc_use uses[16];
    zc_err err;
    int64_t v;
    long ne = 0, nc = 0, np = 0;
    bool salt = false;
    int n = 0;
    memset(&rep, 0, sizeof rep);
    long elders = count(st, "SELECT count(*) FROM elder");
    long policies = count(st, "SELECT count(*) FROM policy");
    switch (kind) {
    case 0:
        (void)sync_json_int(j, "server_time", 1, INT64_C(1) << 40, true, &v, "time", &err);
        break;
    case 1:
        (void)sync_apply_config(st, j, "T-0001", &salt, &err);
        break;
    case 2: {
        /* decoded as the fetching thread does, applied as the worker does */
        sync_roster_page *pg = NULL;
        if (sync_roster_decode(j, &pg, &err) == ZC_OK &&
            store_roster_page_apply(st, pg, false, &ne, &nc, &err) != ZC_OK &&
            (ne || nc || count(st, "SELECT count(*) FROM elder") != elders))
            abort();
        sync_roster_page_free(pg);
        break;
    }
    case 3:
        if (sync_apply_policies(st, j, &np, &err) != ZC_OK &&
            (np || count(st, "SELECT count(*) FROM policy") != policies))
            abort();
        break;
    case 4: { /* two sales and a void in the batch, as outbox rows 1..3 */
        memset(items, 0, sizeof items);
        for (int i = 0; i < 3; i++) {
            items[i].outbox_id = i + 1;
            snprintf(items[i].sale_id, sizeof items[i].sale_id, "%s", ids[i % 2]);
            items[i].is_void = i == 2;
        }
        sync_batch b = {items, 3, 2, 1};
        (void)sync_batch_ack(st, &b, j, 1763868600, &rep, &err);
        break;
    }
    default:
        if (sync_usage_parse(st, j, uses, 16, &n, &err) == ZC_OK && (n < 0 || n > 16))
            abort();
        break;
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    store_t *st = fuzz_store();
    cJSON *j = NULL;
    zc_err err;
    if (size < 1)
        return 0;
    /* the HTTP client keeps the body NUL-terminated */
    char *body = malloc(size);
    if (!body)
        return 0;
    memcpy(body, data + 1, size - 1);
    body[size - 1] = '\0';
    if (sync_reply_parse(body, size - 1, &j, &err) == ZC_OK) {
        if (!cJSON_IsObject(j))
            abort();
        apply(st, data[0] % 6, j);
    } else if (j || !err.msg[0]) {
        abort();
    }
    cJSON_Delete(j);
    free(body);
    return 0;
}
