/* sync_worker.c - the background sync thread, and `sync --once`.
 *
 * The worker owns its own store connection and HTTP client.  It sleeps on a
 * condition variable (CLOCK_MONOTONIC) until the next round is due, a kick
 * arrives (a sale was just made), a usage check is asked for, or it is told
 * to stop.  After a failed round it backs off exponentially with jitter
 * (1 s doubling to 60 s); the first good round makes it online again.  Every
 * change of state is published twice: in sync_status_t under the mutex for
 * this process, and in meta ("online", "last_sync", "sync_error") for the
 * kiosk's status bar and for other processes.
 *
 * Nothing here ever blocks the caller on the network: sync_stop sets an
 * atomic flag that aborts a transfer in flight (curl's progress callback
 * sees it) and then joins; every transfer also has its own time limit. */
#include "../core/clock.h"
#include "sync_int.h"

#include <pthread.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define USES_MAX 512 /* uses at other canteens kept per answer (a month of meals) */

enum { U_NONE = 0, U_PENDING, U_BUSY, U_DONE, U_FAILED };

struct sync {
    pthread_t thread;
    pthread_mutex_t mu;       /* guards everything below but the thread's own conn */
    pthread_cond_t cv;
    atomic_bool abort;        /* set by sync_stop; polled inside transfers */
    bool stop;
    bool kick;
    sync_status_t status;
    struct {
        int state;            /* U_* */
        uint64_t gen;         /* bumped by every ask: a late answer to an old ask is dropped */
        char elder[ZC_ID_MAX];
        zc_date date;
        zc_use uses[USES_MAX];
        int n;
        bool toobig;          /* more uses than USES_MAX arrived */
    } usage;
    /* the thread's own (no lock needed) */
    store_t *st;              /* owned */
    sync_conn *conn;          /* owned, on st */
    sync_tune tune;
    int failures;
};

long sync_backoff_ms(const sync_tune *t, int failures, uint32_t rnd)
{
    long base = t->backoff_min_ms;
    for (int i = 1; i < failures && base < t->backoff_max_ms; i++)
        base *= 2;
    if (base > t->backoff_max_ms)
        base = t->backoff_max_ms;
    long d = base * 3 / 4 + (long)(((uint64_t)rnd * (uint64_t)(base / 2)) >> 32);
    return d < t->backoff_min_ms ? t->backoff_min_ms : d > t->backoff_max_ms ? t->backoff_max_ms : d;
}

static struct timespec mono_after(long ms)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    t.tv_sec += ms / 1000;
    t.tv_nsec += (ms % 1000) * 1000000L;
    if (t.tv_nsec >= 1000000000L) {
        t.tv_sec++;
        t.tv_nsec -= 1000000000L;
    }
    return t;
}

static bool due(const struct timespec *at)
{
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    return now.tv_sec > at->tv_sec || (now.tv_sec == at->tv_sec && now.tv_nsec >= at->tv_nsec);
}

/* ---- usage checks (worker thread) ---- */

/* Answers the waiting usage check, if any. */
static void serve_usage(sync_t *s)
{
    char elder[ZC_ID_MAX];
    zc_date d;
    zc_use *uses = malloc(sizeof *uses * USES_MAX);
    zc_err e = {""};
    int n = 0, ret;
    pthread_mutex_lock(&s->mu);
    bool pending = s->usage.state == U_PENDING && !s->stop;
    uint64_t gen = s->usage.gen;
    if (pending) {
        s->usage.state = U_BUSY;
        snprintf(elder, sizeof elder, "%s", s->usage.elder);
        d = s->usage.date;
    }
    pthread_mutex_unlock(&s->mu);
    if (!pending) {
        free(uses);
        return;
    }
    ret = uses ? sync_usage_fetch(s->conn, elder, d, uses, USES_MAX, &n, s->tune.usage_ms, &e)
               : ZC_ENOMEM;
    pthread_mutex_lock(&s->mu);
    if (s->usage.gen == gen) {
        s->usage.state = ret == ZC_OK || ret == ZC_ETOOBIG ? U_DONE : U_FAILED;
        s->usage.toobig = ret == ZC_ETOOBIG;
        s->usage.n = n;
        if (n > 0)
            memcpy(s->usage.uses, uses, sizeof *uses * (size_t)n);
    }
    pthread_mutex_unlock(&s->mu);
    free(uses);
}

static void between(void *arg)
{
    serve_usage(arg);
}

/* ---- rounds ---- */

/* Writes sync state to meta for other processes.  Best effort: the status
 * in memory is right either way, and the next round writes it again. */
static void state_put(sync_conn *c, const char *key, const char *value)
{
    zc_err ignore;
    if (store_meta_put(c->st, key, value, &ignore) != ZC_OK)
        return;
}

/* The state a round leaves in meta: "online", "last_sync", "sync_error". */
static void state_publish(sync_conn *c, bool ok, const char *why)
{
    if (ok) {
        char hhmm[8];
        zc_datetime t = zc_tz_local(zc_now());
        snprintf(hhmm, sizeof hhmm, "%02d:%02d", t.hh % 100, t.mm % 100);
        state_put(c, "online", "1");
        state_put(c, "last_sync", hhmm);
        state_put(c, "sync_error", "");
    } else {
        state_put(c, "online", "0");
        state_put(c, "sync_error", why);
    }
}

/* Publishes the outcome of a round: status under the lock, state in meta. */
static void publish(sync_t *s, int ret, const zc_err *e, const sync_report *rep, long *wait_ms)
{
    long unsent = 0, held = 0;
    int64_t now = zc_now();
    if (store_outbox_unsent(s->conn->st, &unsent, &held) != ZC_OK)
        unsent = held = -1;
    if (ret == ZC_OK) {
        s->failures = 0;
        *wait_ms = s->tune.interval_ms;
    } else {
        s->failures++;
        *wait_ms = sync_backoff_ms(&s->tune, s->failures, randombytes_random());
    }
    state_publish(s->conn, ret == ZC_OK, e->msg);
    pthread_mutex_lock(&s->mu);
    sync_status_t *st = &s->status;
    st->online = ret == ZC_OK;
    st->unsent = unsent;
    st->held = held;
    st->last_attempt = now;
    st->failures = s->failures;
    st->backoff_ms = ret == ZC_OK ? 0 : *wait_ms;
    if (ret == ZC_OK) {
        st->last_success = now;
        st->clock_offset = rep->clock_offset;
        st->last_error[0] = '\0';
    } else {
        snprintf(st->last_error, sizeof st->last_error, "%s", e->msg);
    }
    pthread_mutex_unlock(&s->mu);
}

static void *worker(void *arg)
{
    sync_t *s = arg;
    struct timespec next = mono_after(0);
    for (;;) {
        pthread_mutex_lock(&s->mu);
        while (!s->stop && s->usage.state != U_PENDING && !(s->kick && s->failures == 0) &&
               !due(&next))
            pthread_cond_timedwait(&s->cv, &s->mu, &next);
        bool stop = s->stop, usage = s->usage.state == U_PENDING;
        if (!usage)
            s->kick = false;
        pthread_mutex_unlock(&s->mu);
        if (stop)
            break;
        if (usage) {
            serve_usage(s);
            continue;
        }
        sync_report rep = {0};
        zc_err e = {""};
        long wait_ms = 0;
        int ret = sync_round(s->conn, &rep, &e);
        if (atomic_load(&s->abort))
            break; /* stopped half-way: not a failure of the centre */
        publish(s, ret, &e, &rep, &wait_ms);
        next = mono_after(wait_ms);
    }
    return NULL;
}

/* ---- the API ---- */

sync_t *sync_start_tuned(const char *db_path, const sync_tune *t, zc_err *err)
{
    pthread_condattr_t ca;
    sync_t *s = NULL;
    int ret;
    if (sync_global_init(err) != ZC_OK)
        return NULL;
    if (!(s = calloc(1, sizeof *s))) {
        zc_errf(err, ZC_ENOMEM, "out of memory starting the sync");
        return NULL;
    }
    if (t)
        s->tune = *t;
    else
        sync_tune_default(&s->tune);
    atomic_init(&s->abort, false);
    if ((ret = store_open(db_path, 0, &s->st, err)) ||
        (ret = sync_conn_open(s->st, &s->tune, &s->abort, &s->conn, err)))
        goto fail;
    s->conn->between = between;
    s->conn->between_arg = s;
    if (store_outbox_unsent(s->conn->st, &s->status.unsent, &s->status.held) != ZC_OK)
        s->status.unsent = s->status.held = -1;
    if (pthread_condattr_init(&ca) != 0) {
        zc_errf(err, ZC_ENOMEM, "could not start the sync thread");
        goto fail;
    }
    pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
    bool cv_ok = pthread_cond_init(&s->cv, &ca) == 0;
    pthread_condattr_destroy(&ca);
    if (!cv_ok) {
        zc_errf(err, ZC_ENOMEM, "could not start the sync thread");
        goto fail;
    }
    if (pthread_mutex_init(&s->mu, NULL) != 0) {
        pthread_cond_destroy(&s->cv);
        zc_errf(err, ZC_ENOMEM, "could not start the sync thread");
        goto fail;
    }
    if (pthread_create(&s->thread, NULL, worker, s) != 0) {
        pthread_mutex_destroy(&s->mu);
        pthread_cond_destroy(&s->cv);
        zc_errf(err, ZC_ENOMEM, "could not start the sync thread");
        goto fail;
    }
    return s;
fail:
    sync_conn_close(s->conn);
    store_close(s->st);
    free(s);
    return NULL;
}

sync_t *sync_start(const char *db_path, zc_err *err)
{
    return sync_start_tuned(db_path, NULL, err);
}

void sync_stop(sync_t *s)
{
    if (!s)
        return;
    pthread_mutex_lock(&s->mu);
    s->stop = true;
    atomic_store(&s->abort, true);
    pthread_cond_signal(&s->cv);
    pthread_mutex_unlock(&s->mu);
    pthread_join(s->thread, NULL);
    pthread_mutex_destroy(&s->mu);
    pthread_cond_destroy(&s->cv);
    sync_conn_close(s->conn);
    store_close(s->st);
    free(s);
}

void sync_status(sync_t *s, sync_status_t *out)
{
    pthread_mutex_lock(&s->mu);
    *out = s->status;
    pthread_mutex_unlock(&s->mu);
}

void sync_kick(sync_t *s)
{
    pthread_mutex_lock(&s->mu);
    s->kick = true;
    pthread_cond_signal(&s->cv);
    pthread_mutex_unlock(&s->mu);
}

int sync_usage_ask(sync_t *s, const char *elder_id, zc_date d)
{
    if (!s || !elder_id || !*elder_id || strlen(elder_id) >= ZC_ID_MAX || !zc_date_valid(d))
        return ZC_EINVAL;
    pthread_mutex_lock(&s->mu);
    snprintf(s->usage.elder, sizeof s->usage.elder, "%s", elder_id);
    s->usage.date = d;
    s->usage.state = U_PENDING;
    s->usage.gen++;
    s->usage.n = 0;
    s->usage.toobig = false;
    pthread_cond_signal(&s->cv);
    pthread_mutex_unlock(&s->mu);
    return ZC_OK;
}

int sync_usage_take(sync_t *s, const char *elder_id, zc_use *out, int cap, int *n)
{
    int ret;
    *n = 0;
    if (!s || !elder_id)
        return ZC_EINVAL;
    pthread_mutex_lock(&s->mu);
    if (s->usage.state == U_NONE || strcmp(s->usage.elder, elder_id) != 0) {
        ret = ZC_EINVAL;
    } else if (s->usage.state == U_PENDING || s->usage.state == U_BUSY) {
        ret = ZC_ENOTFOUND;
    } else if (s->usage.state == U_FAILED) {
        ret = ZC_EIO;
    } else {
        int k = s->usage.n < cap ? s->usage.n : (cap > 0 ? cap : 0);
        if (k > 0)
            memcpy(out, s->usage.uses, sizeof *out * (size_t)k);
        *n = k;
        ret = s->usage.toobig || s->usage.n > k ? ZC_ETOOBIG : ZC_OK;
    }
    pthread_mutex_unlock(&s->mu);
    return ret;
}

/* ---- one round, synchronously ---- */

int sync_run_once(const char *db_path, sync_report *rep, FILE *log, zc_err *err)
{
    store_t *st = NULL;
    sync_conn *c = NULL;
    sync_tune t;
    sync_report local = {0};
    char tz[64];
    int ret;
    if (!rep)
        rep = &local;
    memset(rep, 0, sizeof *rep);
    sync_tune_default(&t);
    if ((ret = sync_global_init(err)) || (ret = store_open(db_path, 0, &st, err)))
        goto out;
    /* dates and "last_sync" in the terminal's zone, as the till does */
    if (store_meta_get(st, "tz", tz, sizeof tz) == ZC_OK && (ret = zc_tz_set(tz, err)))
        goto out;
    if ((ret = sync_conn_open(st, &t, NULL, &c, err)))
        goto out;
    c->log = log;
    ret = sync_round(c, rep, err);
    state_publish(c, ret == ZC_OK, ret && err ? err->msg : "the last sync failed");
out:
    sync_conn_close(c);
    store_close(st);
    return ret;
}
