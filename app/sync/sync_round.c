/* sync_round.c - one round of the protocol, shared by the background worker
 * and `zhucan sync --once`.
 *
 * A round: GET /time first (cheap; it proves the centre answers within the
 * probe time, so an unplugged network shows as offline within ~2 s, and it
 * gives the clock offset), the centre's configuration once per connection,
 * then push until the outbox is empty (batches, oldest first), the daily
 * closings that are due (sync_closing.c), then roster
 * and policy pages until "more" is false.  Every step commits on its own,
 * so a failure half-way keeps what was done and the next round carries on
 * from the cursors and the outbox.  Between requests the `between` hook
 * lets the worker answer a waiting usage check. */
#include "../core/clock.h"
#include "sync_int.h"

#include <pthread.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

void sync_tune_default(sync_tune *t)
{
    *t = (sync_tune){
        .connect_ms = 2000,
        .probe_ms = 2000,
        .request_ms = 10000,
        .page_ms = 30000,
        .push_ms = 5000,
        .push_per_sale_ms = 20,
        .usage_ms = 400,
        .interval_ms = 5000,
        .backoff_min_ms = 1000,
        .backoff_max_ms = 60000,
        .batch_max = 500,
        .roster_limit = 2000,
        .reply_max = 8u << 20,
        .body_max = 4u << 20,
        .closing_retry_ms = 600000,
    };
}

static void say(const sync_conn *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void say(const sync_conn *c, const char *fmt, ...)
{
    if (!c->log)
        return;
    va_list ap;
    va_start(ap, fmt);
    fputs("sync: ", c->log);
    vfprintf(c->log, fmt, ap);
    fputc('\n', c->log);
    va_end(ap);
}

static void between(sync_conn *c)
{
    if (c->between)
        c->between(c->between_arg);
}

static bool stopped(const sync_conn *c)
{
    return c->abort && atomic_load(c->abort);
}

int sync_conn_open(store_t *st, const sync_tune *t, const atomic_bool *abort, sync_conn **out,
                   zc_err *err)
{
    *out = NULL;
    if (!st)
        return zc_errf(err, ZC_EINVAL, "internal error: sync needs an open database");
    sync_conn *c = calloc(1, sizeof *c);
    if (!c)
        return zc_errf(err, ZC_ENOMEM, "out of memory starting the sync");
    c->st = st;
    c->tune = *t;
    c->abort = abort;
    *out = c;
    return ZC_OK;
}

void sync_conn_close(sync_conn *c)
{
    if (!c)
        return;
    sync_http_close(c->http);
    free(c);
}

/* Re-reads the settings; a changed setting rebuilds the HTTP client. */
static int settings(sync_conn *c, zc_err *err)
{
    sync_cfg cfg;
    int ret = sync_cfg_load(c->st, &cfg, err);
    if (ret)
        return ret;
    if (c->http && memcmp(&cfg, &c->cfg, sizeof cfg) == 0)
        return ZC_OK;
    sync_http_close(c->http);
    c->http = NULL;
    c->config_done = false;
    c->cfg = cfg;
    return sync_http_open(&c->cfg, &c->tune, c->abort, &c->http, err);
}

/* GET /time: the centre answers, and its clock offset. */
static int probe(sync_conn *c, sync_report *rep, zc_err *err)
{
    cJSON *j = NULL;
    int64_t t0 = zc_now(), server, off;
    int ret = sync_http_call(c->http, "/api/v1/time", NULL, 0, c->tune.probe_ms, &j, err);
    if (ret == ZC_OK)
        ret = sync_json_int(j, "server_time", 1, INT64_C(1) << 40, true, &server, "time", err);
    if (ret == ZC_OK) {
        char buf[24];
        int64_t t1 = zc_now();
        off = server - (t0 + (t1 - t0) / 2);
        rep->clock_offset = off;
        snprintf(buf, sizeof buf, "%lld", (long long)off);
        ret = store_meta_put(c->st, "clock_offset", buf, err);
    }
    cJSON_Delete(j);
    return ret;
}

/* GET /config and apply it. */
static int config(sync_conn *c, sync_report *rep, zc_err *err)
{
    cJSON *j = NULL;
    bool salt_changed = false;
    int ret = sync_http_call(c->http, "/api/v1/config", NULL, 0, c->tune.request_ms, &j, err);
    if (ret == ZC_OK)
        ret = sync_apply_config(c->st, j, c->cfg.terminal_id, &salt_changed, err);
    if (ret == ZC_OK) {
        c->config_done = true;
        rep->config = true;
        say(c, "configuration applied%s", salt_changed ? " (new ID salt: roster pulled again)" : "");
    }
    cJSON_Delete(j);
    return ret;
}

/* POST /sales until the outbox has nothing left to send. */
static int push(sync_conn *c, sync_report *rep, zc_err *err)
{
    sync_batch b = {0};
    cJSON *body = NULL, *reply = NULL;
    char *text = NULL;
    zc_err e = {""};
    int max = c->tune.batch_max, ret = ZC_OK;
    while (!stopped(c)) {
        cJSON_Delete(body);
        cJSON_Delete(reply);
        cJSON_free(text);
        body = reply = NULL;
        text = NULL;
        if ((ret = sync_batch_load(c->st, max, &b, &body, &e)) || b.n == 0)
            break;
        if (!(text = cJSON_PrintUnformatted(body))) {
            ret = zc_errf(&e, ZC_ENOMEM, "out of memory building the sales to send");
            break;
        }
        size_t len = strlen(text);
        if (len > c->tune.body_max && max > 1) {
            max = max / 2; /* very long sales: fewer per request */
            continue;
        }
        long timeout = c->tune.push_ms + c->tune.push_per_sale_ms * b.n;
        long done = rep->pushed + rep->voids;
        ret = sync_http_call(c->http, "/api/v1/sales", text, len, timeout, &reply, &e);
        if (ret == ZC_OK)
            ret = sync_batch_ack(c->st, &b, reply, zc_now(), rep, &e);
        if (ret) {
            /* nothing was marked sent; note the try on each row */
            (void)sync_batch_failed(c->st, &b, e.msg);
            break;
        }
        say(c, "pushed %d sales and %d voids", b.nsales, b.nvoids);
        int64_t server;
        zc_err ignore;
        if (sync_json_int(reply, "server_time", 1, INT64_C(1) << 40, false, &server, "", &ignore) ==
                ZC_OK && server > 0)
            rep->clock_offset = server - zc_now();
        if (rep->pushed + rep->voids == done) {
            /* the same rows would come back forever */
            ret = zc_errf(&e, ZC_EINVAL, "the centre answered but acknowledged none of the %d rows "
                          "sent; they stay unsent and will be tried again", b.n);
            break;
        }
        between(c);
    }
    sync_batch_free(&b);
    cJSON_Delete(body);
    cJSON_Delete(reply);
    cJSON_free(text);
    if (ret == ZC_OK && stopped(c))
        ret = zc_errf(&e, ZC_EIO, "sync was stopped");
    return ret ? zc_errf(err, ret, "%s", e.msg) : ZC_OK;
}

long sync_ms_since(const struct timespec *t0)
{
    struct timespec t1;
    clock_gettime(CLOCK_MONOTONIC, &t1);
    return (long)((t1.tv_sec - t0->tv_sec) * 1000 + (t1.tv_nsec - t0->tv_nsec) / 1000000);
}

/* The stored cursor of key ("" = from the start) into buf. */
static int cursor_get(sync_conn *c, const char *key, char *buf, size_t n, zc_err *err)
{
    int ret = store_meta_get(c->st, key, buf, n);
    if (ret == ZC_ENOTFOUND)
        buf[0] = '\0';
    else if (ret)
        return zc_errf(err, ret, "could not read the setting %s", key);
    return ZC_OK;
}

/* The request for the page of `what` after cursor ("" = from the start:
 * the centre's change numbers begin after 0). */
static int page_path(sync_conn *c, bool roster, const char *cursor, char *path, size_t n, zc_err *err)
{
    char esc[400];
    int ret = sync_http_escape(c->http, cursor[0] ? cursor : "0", esc, sizeof esc);
    if (ret)
        return zc_errf(err, ret, "the %s cursor is too long", roster ? "roster" : "policy");
    if (roster)
        snprintf(path, n, "/api/v1/roster?after=%s&limit=%d", esc, c->tune.roster_limit);
    else
        snprintf(path, n, "/api/v1/policies?after=%s", esc);
    return ZC_OK;
}

/* The centre said "more" but its cursor did not move. */
static int stuck(const char *what, const char *cursor, zc_err *err)
{
    return zc_errf(err, ZC_EINVAL, "the centre said there are more %s pages but its cursor did not "
                   "move (\"%s\"); stopped to avoid a loop", what, cursor[0] ? cursor : "0");
}

/* GET policy pages from the stored cursor on, each applied with its cursor. */
static int pull_policies(sync_conn *c, sync_report *rep, zc_err *err)
{
    char cursor[128], next[128], path[512];
    cJSON *j = NULL;
    int ret = ZC_OK;
    while (!stopped(c)) {
        long before = rep->policies;
        bool more = false;
        zc_err ignore;
        if ((ret = cursor_get(c, "policy_cursor", cursor, sizeof cursor, err)) ||
            (ret = page_path(c, false, cursor, path, sizeof path, err)) ||
            (ret = sync_http_call(c->http, path, NULL, 0, c->tune.request_ms, &j, err)) ||
            (ret = sync_apply_policies(c->st, j, &rep->policies, err)))
            break;
        if (sync_json_bool(j, "more", &more, "", &ignore) != ZC_OK)
            more = false;
        cJSON_Delete(j);
        j = NULL;
        say(c, "pulled %ld policies", rep->policies - before);
        between(c);
        if (!more)
            break;
        if ((ret = cursor_get(c, "policy_cursor", next, sizeof next, err)))
            break;
        if (strcmp(next[0] ? next : "0", cursor[0] ? cursor : "0") == 0) {
            ret = stuck("policy", cursor, err);
            break;
        }
    }
    cJSON_Delete(j);
    if (ret == ZC_OK && stopped(c))
        ret = zc_errf(err, ZC_EIO, "sync was stopped");
    return ret;
}

/* GET one roster page and decode it (on either thread). */
static int fetch_roster(sync_conn *c, const char *path, sync_roster_page **out, zc_err *err)
{
    cJSON *j = NULL;
    int ret = sync_http_call(c->http, path, NULL, 0, c->tune.page_ms, &j, err);
    if (ret == ZC_OK)
        ret = sync_roster_decode(j, out, err);
    cJSON_Delete(j);
    return ret;
}

/* The roster page after the one being applied, fetched, parsed and decoded
 * on a helper thread meanwhile: the two overlap instead of adding up.  Only
 * the helper touches the HTTP client until it is joined. */
typedef struct prefetch {
    pthread_t th;
    sync_conn *c;
    char path[512];
    sync_roster_page *pg; /* the decoded page, owned until taken */
    int ret;
    zc_err err;
} prefetch;

static void *prefetch_main(void *arg)
{
    prefetch *p = arg;
    p->ret = fetch_roster(p->c, p->path, &p->pg, &p->err);
    return NULL;
}

/* GET roster pages from the stored cursor on.  Each page is applied (with
 * its cursor) before the next one is used, so a stop half-way loses and
 * repeats nothing; the page fetched ahead is thrown away when its page
 * failed.  A first pull into an empty terminal loads in bulk
 * (store/pull.h). */
static int pull_roster(sync_conn *c, sync_report *rep, zc_err *err)
{
    char cursor[128], path[512];
    const char *next;
    sync_roster_page *pg = NULL;
    prefetch *pf = calloc(1, sizeof *pf);
    bool bulk = false;
    int ret = pf ? ZC_OK : zc_errf(err, ZC_ENOMEM, "out of memory pulling the roster");
    if (ret == ZC_OK)
        ret = cursor_get(c, "roster_cursor", cursor, sizeof cursor, err);
    if (ret == ZC_OK)
        ret = store_roster_bulk_begin(c->st, cursor, &bulk, err);
    if (ret == ZC_OK && bulk) {
        say(c, "loading the roster in bulk (its search indexes are built at the end)");
        ret = store_roster_fk(c->st, false, err);
    }
    if (ret == ZC_OK && (ret = page_path(c, true, cursor, path, sizeof path, err)) == ZC_OK)
        ret = fetch_roster(c, path, &pg, err);
    while (ret == ZC_OK && !stopped(c)) {
        long before = rep->elders;
        bool more = sync_roster_page_more(pg, &next), ahead = false;
        zc_err ignore;
        if (more && strcmp(next[0] ? next : "0", cursor[0] ? cursor : "0") != 0 &&
            page_path(c, true, next, pf->path, sizeof pf->path, &ignore) == ZC_OK) {
            pf->c = c;
            pf->pg = NULL;
            ahead = pthread_create(&pf->th, NULL, prefetch_main, pf) == 0;
        }
        struct timespec t0;
        clock_gettime(CLOCK_MONOTONIC, &t0);
        ret = store_roster_page_apply(c->st, pg, bulk, &rep->elders, &rep->cards, err);
        if (sync_ms_since(&t0) > rep->roster_page_ms)
            rep->roster_page_ms = sync_ms_since(&t0);
        sync_roster_page_free(pg);
        pg = NULL;
        if (ahead)
            pthread_join(pf->th, NULL);
        if (ret == ZC_OK) {
            say(c, "pulled %ld elders", rep->elders - before);
            between(c);
        }
        char was[sizeof cursor];
        snprintf(was, sizeof was, "%s", cursor[0] ? cursor : "0");
        if (ret == ZC_OK && more && (ret = cursor_get(c, "roster_cursor", cursor, sizeof cursor,
                                                      err)) == ZC_OK &&
            strcmp(cursor[0] ? cursor : "0", was) == 0)
            ret = stuck("roster", cursor, err);
        if (ret || !more) {
            if (ahead)
                sync_roster_page_free(pf->pg); /* not used */
            break;
        }
        if (ahead) { /* the stored cursor is the page's next: what was fetched */
            pg = pf->pg;
            if ((ret = pf->ret) && err)
                *err = pf->err;
        } else if ((ret = page_path(c, true, cursor, path, sizeof path, err)) == ZC_OK) {
            ret = fetch_roster(c, path, &pg, err);
        }
    }
    sync_roster_page_free(pg);
    free(pf);
    if (bulk) {
        zc_err e2;
        int r2 = store_roster_fk(c->st, true, &e2);
        if (r2 && ret == ZC_OK) {
            ret = r2;
            if (err)
                *err = e2;
        }
    }
    if (ret == ZC_OK && stopped(c))
        ret = zc_errf(err, ZC_EIO, "sync was stopped");
    if (ret == ZC_OK && bulk) {
        say(c, "building the roster's search indexes");
        ret = store_roster_bulk_end(c->st, &rep->roster_index_ms, err);
    }
    return ret;
}

/* After a restore (meta restored_pending=1): takes back from the centre
 * the sales after the local head, page by page, then lets the till sell. */
static int recover(sync_conn *c, sync_report *rep, zc_err *err)
{
    char pending[8], path[80];
    int64_t last = 0;
    bool more = true;
    int ret = ZC_OK;
    if (store_meta_get(c->st, "restored_pending", pending, sizeof pending) != ZC_OK ||
        strcmp(pending, "1") != 0)
        return ZC_OK;
    while (more && ret == ZC_OK) {
        cJSON *j = NULL;
        if (stopped(c))
            return zc_errf(err, ZC_EIO, "sync was stopped");
        if ((ret = store_sale_last_seq(c->st, &last, err)))
            break;
        snprintf(path, sizeof path, "/api/v1/own-sales?after=%lld&limit=%d", (long long)last,
                 c->tune.batch_max);
        ret = sync_http_call(c->http, path, NULL, 0, c->tune.request_ms, &j, err);
        if (ret == ZC_OK)
            ret = sync_recover_page(c->st, j, &rep->recovered, &more, err);
        cJSON_Delete(j);
        between(c);
    }
    if (ret == ZC_OK && (ret = store_meta_set(c->st, "restored_pending", "0", err)) == ZC_OK)
        say(c, "caught up after a restore: %ld sale%s taken back from the centre", rep->recovered,
            rep->recovered == 1 ? "" : "s");
    return ret;
}

int sync_round(sync_conn *c, sync_report *rep, zc_err *err)
{
    int ret;
    if ((ret = settings(c, err)) || (ret = probe(c, rep, err)))
        return ret;
    between(c);
    if (!c->config_done && (ret = config(c, rep, err)))
        return ret;
    if ((ret = recover(c, rep, err)) || (ret = push(c, rep, err)) || (ret = sync_closing_send(c, rep, err)) ||
        (ret = pull_roster(c, rep, err)) || (ret = pull_policies(c, rep, err)))
        return ret;
    return ZC_OK;
}

int sync_usage_fetch(sync_conn *c, const char *elder_id, zc_date d, zc_use *out, int cap, int *n,
                     long timeout_ms, zc_err *err)
{
    char esc[3 * ZC_ID_MAX + 1], day[16], path[256];
    cJSON *j = NULL;
    int ret;
    *n = 0;
    if ((ret = settings(c, err)))
        return ret;
    if ((ret = sync_http_escape(c->http, elder_id, esc, sizeof esc)))
        return zc_errf(err, ret, "the elder id is too long");
    snprintf(path, sizeof path, "/api/v1/usage?elder=%s&date=%s", esc, zc_date_fmt(d, day, sizeof day));
    if ((ret = sync_http_call(c->http, path, NULL, 0, timeout_ms, &j, err)))
        return ret;
    ret = sync_usage_parse(c->st, j, out, cap, n, err);
    cJSON_Delete(j);
    return ret;
}

int sync_usage_parse(store_t *st, const cJSON *reply, zc_use *out, int cap, int *n, zc_err *err)
{
    const cJSON *uses = cJSON_GetObjectItemCaseSensitive(reply, "uses"), *u;
    int i = 0, ret = ZC_OK;
    *n = 0;
    if (!cJSON_IsArray(uses))
        return zc_errf(err, ZC_EINVAL, "usage: \"uses\" must be a list");
    cJSON_ArrayForEach(u, uses)
    {
        char p[32], sale[ZC_UUID_LEN + 8];
        zc_use use;
        int64_t fen;
        bool local = false;
        memset(&use, 0, sizeof use);
        snprintf(p, sizeof p, "uses[%d]", i++);
        if ((ret = sync_json_date(u, "date", &use.date, p, err)) ||
            (ret = sync_json_str(u, "period", use.period, sizeof use.period, false, p, err)) ||
            (ret = sync_json_str(u, "key", use.key, sizeof use.key, true, p, err)) ||
            (ret = sync_json_int(u, "fen", 0, ZC_FEN_MAX, true, &fen, p, err)) ||
            (ret = sync_json_str(u, "sale_id", sale, sizeof sale, false, p, err)))
            return ret;
        if (!zc_date_is_set(use.date))
            return zc_errf(err, ZC_EINVAL, "%s.date: is missing", p);
        use.fen = fen;
        /* this terminal's own sales are already in the local usage */
        if (sale[0] && (ret = store_sale_is_local(st, sale, &local)))
            return ret;
        if (local)
            continue;
        if (*n >= cap)
            return zc_errf(err, ZC_ETOOBIG, "usage: more than %d uses", cap);
        out[(*n)++] = use;
    }
    return ZC_OK;
}
