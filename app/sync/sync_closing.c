/* sync_closing.c - the terminal's daily closing summaries (POST
 * /api/v1/closing, docs/sync-protocol.md).
 *
 * For a local date the centre hears the terminal's own totals of that
 * date's non-voided sales (count, gross, subsidy, pay, the subsidy by
 * funding source) and where the date ends in the terminal's chain (its
 * highest seq and that sale's hash), so the operator can set them beside
 * what the centre holds (`zhucan-central report`, closings[].matches).
 *
 * When.  A date is reported once it is over (at the first round after local
 * midnight), and after a cashier closes a shift every date with changed
 * sales is reported, today's included.  A date whose sales change after it
 * was reported (a void the next morning) is due again; the centre keeps the
 * latest.  Triggers in db/004_closing.sql bump closing.gen whenever a sale
 * of a date is committed or voided; a report records the gen it covered, so
 * "due" is one look at a small table, never a scan of the sales.
 *
 * Consistency.  Each summary is read in one read transaction (one snapshot
 * of the sales, their parts and the gen), and only when the centre has
 * acknowledged every sale and void of that date: what the terminal says and
 * what the centre holds can then be compared to the fen.  The round pushes
 * first, so normally nothing is left waiting.
 *
 * Failures.  A network failure fails the round like any other step.  A
 * closing the centre refuses (an older centre, a 4xx, a garbled reply) does
 * not: sales matter more than their summary, so the refusal is kept in
 * closing.last_error and meta closing_error, and closings wait
 * tune.closing_retry_ms before the next try.
 *
 * The dates due, their summaries and what was sent are read and written by
 * app/store/closing.c; this file builds the requests and reads the answers. */
#include "../core/clock.h"
#include "sync_int.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#define DATE_LEN STORE_DATE_LEN

typedef store_closing closing;

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

/* meta key as a whole number >= 0 (0 when unset or not a number). */
static int64_t meta_int(store_t *st, const char *key)
{
    char buf[32], *end;
    if (store_meta_get(st, key, buf, sizeof buf) != ZC_OK)
        return 0;
    long long v = strtoll(buf, &end, 10);
    return end != buf && *end == '\0' && v > 0 ? (int64_t)v : 0;
}

/* The request body for c: owned by the caller (cJSON_free); NULL when out
 * of memory.  by_source gets the array's text too (for the record). */
static char *closing_json(const closing *c, char **by_source)
{
    cJSON *o = cJSON_CreateObject(), *arr = NULL;
    char *text = NULL;
    *by_source = NULL;
    bool ok = o && cJSON_AddStringToObject(o, "date", c->date) &&
              sync_json_add_int(o, "count", c->count) && sync_json_add_int(o, "gross", c->gross) &&
              sync_json_add_int(o, "subsidy", c->subsidy) && sync_json_add_int(o, "pay", c->pay) &&
              (arr = cJSON_AddArrayToObject(o, "by_source")) &&
              sync_json_add_int(o, "last_seq", c->last_seq) &&
              cJSON_AddStringToObject(o, "chain_head", c->chain_head);
    for (int i = 0; ok && i < c->nsrc; i++) {
        cJSON *m = cJSON_CreateObject();
        ok = m && cJSON_AddStringToObject(m, "source", c->src[i].source) &&
             sync_json_add_int(m, "fen", c->src[i].fen);
        if (m)
            cJSON_AddItemToArray(arr, m);
    }
    if (ok && (text = cJSON_PrintUnformatted(o)) && !(*by_source = cJSON_PrintUnformatted(arr))) {
        cJSON_free(text);
        text = NULL;
    }
    cJSON_Delete(o);
    return text;
}

/* Sends one summary and records it.  On failure *remote says whether the
 * centre's side failed (unreachable: ZC_EIO; refused or a wrong answer:
 * any other code) rather than this terminal. */
static int send_one(sync_conn *c, const closing *sum, sync_report *rep, bool *remote, zc_err *err)
{
    char *by_source = NULL, *body = closing_json(sum, &by_source), status[24] = "";
    cJSON *reply = NULL;
    zc_err ignore;
    int ret;
    *remote = false;
    if (!body) {
        ret = zc_errf(err, ZC_ENOMEM, "out of memory building the closing of %s", sum->date);
        goto out;
    }
    *remote = true;
    ret = sync_http_call(c->http, "/api/v1/closing", body, strlen(body), c->tune.request_ms, &reply,
                         err);
    if (ret)
        goto out;
    if (sync_json_str(reply, "status", status, sizeof status, false, "", &ignore) != ZC_OK ||
        strcmp(status, "stored") != 0) {
        ret = zc_errf(err, ZC_EINVAL, "the centre answered the closing of %s without "
                      "\"status\":\"stored\"", sum->date);
        goto out;
    }
    *remote = false;
    if ((ret = store_closing_sent(c->st, sum, by_source, zc_now(), err)))
        goto out;
    rep->closings++;
    say(c, "closing %s: %lld sales, %lld fen (subsidy %lld) up to seq %lld", sum->date,
        (long long)sum->count, (long long)sum->gross, (long long)sum->subsidy,
        (long long)sum->last_seq);
out:
    cJSON_Delete(reply);
    cJSON_free(body);
    cJSON_free(by_source);
    return ret;
}

int sync_closing_send(sync_conn *c, sync_report *rep, zc_err *err)
{
    char today[DATE_LEN], (*dates)[DATE_LEN] = NULL, num[24];
    closing *sum = NULL;
    int64_t now = zc_now(), shift = 0;
    int n = 0, ret;
    bool refused = false, waiting = false;
    if (now < c->closing_retry)
        return ZC_OK;
    zc_date_fmt(zc_tz_local(now).date, today, sizeof today);
    dates = calloc(SYNC_CLOSING_MAX, sizeof *dates);
    sum = malloc(sizeof *sum);
    if (!dates || !sum) {
        ret = zc_errf(err, ZC_ENOMEM, "out of memory preparing the daily closings");
        goto out;
    }
    /* a shift closed since the last pass: report today too */
    if ((ret = store_closing_shift(c->st, &shift, err)))
        goto out;
    bool all = shift > meta_int(c->st, "closing_shift");
    if ((ret = store_closing_due(c->st, all, today, dates, SYNC_CLOSING_MAX, &n, err)))
        goto out;
    for (int i = 0; i < n && !refused; i++) {
        zc_err e = {""};
        bool remote = false;
        if ((ret = store_closing_summary(c->st, dates[i], sum, &e)) == ZC_OK && sum->pending) {
            waiting = true; /* its sales go first; the next round sends it */
            continue;
        }
        if (ret == ZC_OK)
            ret = send_one(c, sum, rep, &remote, &e);
        if (ret == ZC_OK)
            continue;
        store_closing_failed(c->st, dates[i], e.msg);
        if (remote ? ret == ZC_EIO
                   : ret == ZC_EDB || ret == ZC_EFULL || ret == ZC_ELOCKED || ret == ZC_ENOMEM) {
            /* offline, or this terminal's own database: the round fails */
            ret = zc_errf(err, ret, "daily closing of %s: %s", dates[i], e.msg);
            goto out;
        }
        /* refused or answered wrongly: the sales are fine; wait, then retry */
        refused = true;
        c->closing_retry = now + c->tune.closing_retry_ms / 1000;
        say(c, "closing %s not stored: %s", dates[i], e.msg);
        if ((ret = store_meta_put(c->st, "closing_error", e.msg, err)))
            goto out;
    }
    ret = ZC_OK;
    if (!refused && (ret = store_meta_put(c->st, "closing_error", "", err)))
        goto out;
    /* the shift's dates are all reported: the next pass waits for the next one */
    if (all && !refused && !waiting && n < SYNC_CLOSING_MAX) {
        snprintf(num, sizeof num, "%lld", (long long)shift);
        ret = store_meta_put(c->st, "closing_shift", num, err);
    }
out:
    free(dates);
    free(sum);
    return ret;
}
