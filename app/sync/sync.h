/* sync.h - the terminal's side of the sync protocol (docs/sync-protocol.md).
 *
 * A background worker with its own thread and its own database connection
 * pushes unsent sales and voids to the district's central service, oldest
 * first, and pulls the roster (with the card blacklist) and the policies as
 * deltas.  The UI never waits on the network: it reads sync_status() (or the
 * meta keys "online", "last_sync" the worker keeps up to date) and asks for
 * an elder's uses at other canteens with sync_usage_ask()/sync_usage_take().
 *
 * Settings come from the terminal's meta table: server_url, terminal_id,
 * sync_token (issued by the centre) and ca_file (a private CA, optional).
 * TLS certificates are always verified; plain http:// is accepted only for
 * a centre on this machine (127.0.0.1, ::1, localhost). */
#ifndef ZC_SYNC_H
#define ZC_SYNC_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "../core/err.h"
#include "../core/model.h"

typedef struct sync sync_t;

/* What the worker last knew.  A snapshot copied out under the worker's lock. */
typedef struct sync_status_t {
    bool online;            /* the last round reached the centre and succeeded */
    long unsent;            /* outbox rows not acknowledged yet (held ones included) */
    long held;              /* of those, refused by the centre for good: not retried */
    int64_t last_success;   /* epoch seconds of the last good round; 0 = never */
    int64_t last_attempt;   /* epoch seconds the last round ended; 0 = none yet */
    int failures;           /* failed rounds in a row (0 when online) */
    long backoff_ms;        /* wait before the next try after a failure; 0 when online */
    int64_t clock_offset;   /* centre clock minus ours, seconds */
    char last_error[320];   /* why the last round failed; "" after a success */
} sync_status_t;

/* What one round did (also the line `zhucan sync --once` prints). */
typedef struct sync_report {
    long pushed;           /* sales sent and answered */
    long stored, duplicate, conflict, rejected;
    long voids;            /* voids acknowledged */
    long elders, cards;    /* roster rows applied */
    long roster_page_ms;   /* the longest roster page write transaction, ms */
    long roster_index_ms;  /* the longest index build after a bulk load, ms (store/pull.h) */
    long policies;         /* policy versions received */
    long closings;         /* daily closing summaries the centre stored */
    long recovered;        /* sales taken back from the centre after a restore */
    bool config;           /* the centre's configuration was applied */
    int64_t clock_offset;
} sync_report;

/* Makes sure curl_global_init ran exactly once in this process (pthread_once).
 * sync_start and sync_run_once call it; a main may call it first. */
int sync_global_init(zc_err *err) ZC_MUST;

/* Starts the worker on the terminal database at db_path: opens its own
 * connection (errors such as a bad path are reported here, synchronously),
 * then runs rounds in the background.  A terminal without server_url,
 * terminal_id or sync_token still starts; its status says what is missing.
 * Returns NULL on failure with err filled.  Owned by the caller: sync_stop. */
sync_t *sync_start(const char *db_path, zc_err *err);
/* Stops the worker promptly (an HTTP transfer in flight is aborted within
 * about a second), joins it and frees everything.  NULL is fine. */
void sync_stop(sync_t *s);
/* Copies the current status into *out. */
void sync_status(sync_t *s, sync_status_t *out);
/* Asks for a round now (after a sale); ignored while backing off. */
void sync_kick(sync_t *s);

/* Asks the centre, on the worker thread and without blocking the caller,
 * what subsidised uses the elder had at OTHER canteens from the start of the
 * week / month up to date d.  A new ask replaces the previous one. */
int sync_usage_ask(sync_t *s, const char *elder_id, zc_date d) ZC_MUST;
/* The answer to the last ask for elder_id: ZC_OK with up to cap uses in out
 * (*n of them; uses of sales stored on this terminal are already dropped, as
 * the local quote counts those); ZC_ENOTFOUND while the answer has not
 * arrived; ZC_EIO when the centre could not answer in time (keep the local
 * quote); ZC_EINVAL when there is no ask for this elder; ZC_ETOOBIG when
 * more than cap uses arrived (out holds the first cap).  Does not consume
 * the answer: it stays until the next ask. */
int sync_usage_take(sync_t *s, const char *elder_id, zc_use *out, int cap, int *n) ZC_MUST;

/* One full round, synchronously, on its own connection: the centre's clock,
 * its configuration, push everything unsent, pull roster and policy pages.
 * rep (may be NULL) says what was done, also on failure (what happened
 * before it).  log (may be NULL) gets one line per step.  err says what went
 * wrong in words a cashier or installer can act on. */
int sync_run_once(const char *db_path, sync_report *rep, FILE *log, zc_err *err) ZC_MUST;

#endif
