/* sync_int.h - private to app/sync (and its white-box tests): the HTTP
 * client, the settings, one protocol round, the tunables and JSON helpers.
 * The contract for everyone else is sync.h. */
#ifndef ZC_SYNC_INT_H
#define ZC_SYNC_INT_H

#include <cjson/cJSON.h>
#include <stdatomic.h>
#include <stddef.h>
#include <time.h>

#include "../store/store.h"
#include "sync.h"
#include "sync_store.h"

#define SYNC_URL_MAX 256
#define SYNC_TOKEN_MAX 256
#define SYNC_PATH_MAX 1024

/* Time limits and sizes.  sync_tune_default() gives the production values;
 * tests shorten them. */
typedef struct sync_tune {
    long connect_ms;       /* TCP + TLS connect: an unplugged cable shows within this */
    long probe_ms;         /* GET /time, the first request of each round */
    long request_ms;       /* config, policy pages */
    long page_ms;          /* one roster page */
    long push_ms;          /* one batch: push_ms + push_per_sale_ms * sales */
    long push_per_sale_ms;
    long usage_ms;         /* the online usage check: the kiosk waits no longer */
    long interval_ms;      /* between rounds while online */
    long backoff_min_ms;   /* first wait after a failure ... */
    long backoff_max_ms;   /* ... doubling up to this */
    int batch_max;         /* sales (and voids) per POST, <= 500 by the protocol */
    int roster_limit;      /* elders per roster page, <= 5000 by the protocol; 2000 keeps a
                              page's write transaction well under 100 ms */
    size_t reply_max;      /* a longer reply is refused as too large */
    size_t body_max;       /* request bodies stay under the centre's 4 MiB */
    long closing_retry_ms; /* after the centre refused a closing, wait this long to resend */
} sync_tune;

void sync_tune_default(sync_tune *t);

/* The wait after `failures` failed rounds in a row (>= 1): min * 2^(failures-1)
 * capped at max, times a jitter factor in [0.75, 1.25) drawn from rnd
 * (0 .. UINT32_MAX), clamped to [min, max]. */
long sync_backoff_ms(const sync_tune *t, int failures, uint32_t rnd);

/* sync_start with other time limits (tests).  t NULL = the defaults. */
sync_t *sync_start_tuned(const char *db_path, const sync_tune *t, zc_err *err);

/* ---- settings (meta) ---- */

typedef struct sync_cfg {
    char server_url[SYNC_URL_MAX];  /* "https://centre.example:8443", no trailing '/' */
    char terminal_id[ZC_ID_MAX];
    char token[SYNC_TOKEN_MAX];     /* meta sync_token */
    char ca_file[SYNC_PATH_MAX];    /* "" = the system's CA bundle */
} sync_cfg;

/* Reads and checks server_url, terminal_id, sync_token and ca_file.
 * ZC_EINVAL with a message saying which setting to fix and how. */
int sync_cfg_load(store_t *st, sync_cfg *cfg, zc_err *err) ZC_MUST;
/* Checks a server URL: https://, or http:// to this machine only. */
int sync_url_check(const char *url, zc_err *err) ZC_MUST;

/* ---- HTTP (sync_http.c) ---- */

typedef struct sync_http sync_http;

/* A client for one centre.  abort (borrowed, may be NULL) is polled during
 * transfers: when it becomes true the transfer stops (ZC_EIO "stopped").
 * *out owned by the caller (sync_http_close). */
int sync_http_open(const sync_cfg *cfg, const sync_tune *t, const atomic_bool *abort,
                   sync_http **out, zc_err *err) ZC_MUST;
void sync_http_close(sync_http *h); /* NULL is fine */

/* One request: GET when body is NULL, else POST of len bytes of JSON.
 * path starts with '/' and is already URL-encoded.  Within timeout_ms the
 * reply must arrive with status 200 and be a JSON object; *out is the
 * parsed reply, owned by the caller (cJSON_Delete).  Errors (err says which,
 * in words a cashier can pass on): ZC_EIO cannot reach the centre / timed
 * out / stopped; ZC_EREFUSED the certificate is not trusted, or the token
 * was refused (401), or the centre refused the request (4xx); ZC_EINVAL the
 * reply was not valid JSON (err names the byte); ZC_ETOOBIG the reply was
 * longer than reply_max; ZC_EDB the centre failed (5xx). */
int sync_http_call(sync_http *h, const char *path, const char *body, size_t len, long timeout_ms,
                   cJSON **out, zc_err *err) ZC_MUST;
/* A 200 reply's body (buf[len] must be '\0') as a JSON object, the whole
 * text and nothing after it; *out owned by the caller (cJSON_Delete).
 * ZC_EINVAL naming the byte where it went wrong. */
int sync_reply_parse(const char *buf, size_t len, cJSON **out, zc_err *err) ZC_MUST;
/* URL-encodes s into buf (n bytes).  ZC_ETOOBIG when it does not fit. */
int sync_http_escape(sync_http *h, const char *s, char *buf, size_t n) ZC_MUST;

/* ---- one round (sync_round.c) ---- */

typedef struct sync_conn {
    store_t *st;            /* borrowed: the sync thread's own connection */
    sync_http *http;        /* owned; rebuilt when the settings change */
    sync_cfg cfg;           /* the settings http was built with */
    sync_tune tune;
    const atomic_bool *abort; /* borrowed, may be NULL */
    bool config_done;       /* the centre's configuration was applied once */
    void (*between)(void *arg); /* called between requests (the worker's usage asks) */
    void *between_arg;
    FILE *log;              /* one line per step, or NULL */
    int64_t closing_retry;  /* epoch s: no closings before this (the centre refused one) */
} sync_conn;

/* *out owned by the caller (sync_conn_close, before store_close(st)). */
int sync_conn_open(store_t *st, const sync_tune *t, const atomic_bool *abort, sync_conn **out,
                   zc_err *err) ZC_MUST;
void sync_conn_close(sync_conn *c); /* NULL is fine */
/* Clock, configuration (first time), push, roster, policies.  rep is
 * added to (not cleared).  Stops at the first failure; what was committed
 * before it stays. */
int sync_round(sync_conn *c, sync_report *rep, zc_err *err) ZC_MUST;
/* GET /api/v1/usage for the elder on d, minus the uses of sales stored on
 * this terminal.  timeout_ms bounds the whole exchange. */
int sync_usage_fetch(sync_conn *c, const char *elder_id, zc_date d, zc_use *out, int cap, int *n,
                     long timeout_ms, zc_err *err) ZC_MUST;

/* Reads a /usage reply {"uses":[...]} into out (cap entries), leaving out
 * the uses of sales stored on this terminal (d tells which). */
int sync_usage_parse(store_t *st, const cJSON *reply, zc_use *out, int cap, int *n,
                     zc_err *err) ZC_MUST;

/* ---- after a restore (sync_recover.c) ---- */

/* Appends the sales of one GET /own-sales reply to st (store_sale_adopt),
 * after checking the whole page: each sale's hash and the chain.  *taken
 * is added to; *more: the centre has further pages.  ZC_EREFUSED /
 * ZC_EINVAL with nothing of a bad page written. */
int sync_recover_page(store_t *st, const cJSON *reply, long *taken, bool *more, zc_err *err) ZC_MUST;

/* ---- daily closings (sync_closing.c) ---- */

#define SYNC_CLOSING_MAX 62 /* dates reported per round; the rest go next round */

/* POSTs /api/v1/closing for every due local date, oldest first: dates
 * before today (local) whose sales changed since they were last reported,
 * and - once a shift has closed since the last pass - today's and any
 * other changed date too.  A date is sent only when the centre has
 * acknowledged all its sales and voids.  Each summary the centre stores is
 * recorded in the closing table (rep->closings counts them).
 * ZC_EIO when the centre cannot be reached (the round fails, as for any
 * step); a closing the centre refuses (or answers wrongly) is not the
 * round's failure: it is recorded in closing.last_error and meta
 * closing_error, and tried again after tune.closing_retry_ms.  Local
 * database errors are returned. */
int sync_closing_send(sync_conn *c, sync_report *rep, zc_err *err) ZC_MUST;

/* Milliseconds since t0 (CLOCK_MONOTONIC). */
long sync_ms_since(const struct timespec *t0);
/* Whether s is min..max lower-case hex digits. */
bool sync_is_hex(const char *s, size_t min, size_t max);

/* ---- JSON helpers (sync_json.c): every failure names the field path ---- */

/* String field name of o into buf.  Missing or null: "" unless required.
 * A non-string, or one that does not fit in n bytes, is ZC_EINVAL. */
int sync_json_str(const cJSON *o, const char *name, char *buf, size_t n, bool required,
                  const char *path, zc_err *err) ZC_MUST;
/* Whole-number field in [lo, hi] (numbers; numeric strings are accepted too). */
int sync_json_int(const cJSON *o, const char *name, int64_t lo, int64_t hi, bool required,
                  int64_t *out, const char *path, zc_err *err) ZC_MUST;
/* true/false, 0/1, "0"/"1"/"true"/"false"; missing or null: false. */
int sync_json_bool(const cJSON *o, const char *name, bool *out, const char *path,
                   zc_err *err) ZC_MUST;
/* "YYYY-MM-DD"; "", null or missing: {0} (open). */
int sync_json_date(const cJSON *o, const char *name, zc_date *out, const char *path,
                   zc_err *err) ZC_MUST;
/* Adds a whole number (fen, seq, epoch seconds) exactly. */
cJSON *sync_json_add_int(cJSON *o, const char *name, int64_t v);

#endif
