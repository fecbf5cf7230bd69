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
 * tune.closing_retry_ms before the next try. */
#include "../core/clock.h"
#include "sync_int.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

enum {
    C_SHIFT = SYNC_SLOT_CLOSING,
    C_DUE,
    C_GEN,
    C_PENDING,
    C_TOTALS,
    C_HEAD,
    C_SOURCES,
    C_SENT,
    C_FAILED,
    C_END
};
_Static_assert(C_END <= SYNC_STMT_MAX, "too many sync statements");

#define SOURCES_MAX 16 /* by_source entries, by the protocol */
#define DATE_LEN 16

/* One date's summary as the terminal holds it. */
typedef struct closing {
    char date[DATE_LEN];
    int64_t gen;                /* the closing row's gen in the same snapshot */
    bool pending;               /* some sale or void of the date is not acknowledged yet */
    int64_t count, gross, subsidy, pay;
    struct {
        char source[ZC_CODE_MAX];
        int64_t fen;
    } src[SOURCES_MAX];
    int nsrc;
    int64_t last_seq;           /* highest seq of the date, voided sales included */
    char chain_head[ZC_SHA256_HEX];
} closing;

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

static const char *col(sqlite3_stmt *s, int i)
{
    const unsigned char *t = sqlite3_column_text(s, i);
    return t ? (const char *)t : "";
}

/* Runs a statement that yields one row of one integer into *v (0 when NULL). */
static int one_int(sync_db *d, sqlite3_stmt *s, int64_t *v, const char *what, zc_err *err)
{
    int rc = sqlite3_step(s);
    *v = rc == SQLITE_ROW ? sqlite3_column_int64(s, 0) : 0;
    sqlite3_reset(s);
    return rc == SQLITE_ROW || rc == SQLITE_DONE ? ZC_OK : sync_db_fail(d, rc, what, err);
}

/* The id of the newest closed shift (0 when none). */
static int newest_closed_shift(sync_db *d, int64_t *id, zc_err *err)
{
    sqlite3_stmt *s;
    int ret = sync_db_prep(d, C_SHIFT, "SELECT coalesce(max(id), 0) FROM shift WHERE closed_utc IS "
                           "NOT NULL", &s, err);
    return ret ? ret : one_int(d, s, id, "reading the shifts", err);
}

/* meta key as a whole number >= 0 (0 when unset or not a number). */
static int64_t meta_int(sync_db *d, const char *key)
{
    char buf[32], *end;
    if (store_meta_get(sync_db_store(d), key, buf, sizeof buf) != ZC_OK)
        return 0;
    long long v = strtoll(buf, &end, 10);
    return end != buf && *end == '\0' && v > 0 ? (int64_t)v : 0;
}

/* Up to cap due dates, oldest first: changed since their last report, and
 * before today unless all. */
static int due_dates(sync_db *d, bool all, const char *today, char (*dates)[DATE_LEN], int cap,
                     int *n, zc_err *err)
{
    sqlite3_stmt *s;
    int rc, ret = sync_db_prep(d, C_DUE, "SELECT local_date FROM closing WHERE gen > sent_gen AND "
                               "(?1 OR local_date < ?2) ORDER BY local_date LIMIT ?3", &s, err);
    *n = 0;
    if (ret)
        return ret;
    sqlite3_bind_int(s, 1, all);
    sqlite3_bind_text(s, 2, today, -1, SQLITE_STATIC);
    sqlite3_bind_int(s, 3, cap);
    while ((rc = sqlite3_step(s)) == SQLITE_ROW && *n < cap)
        snprintf(dates[(*n)++], DATE_LEN, "%s", col(s, 0));
    sqlite3_reset(s);
    return rc == SQLITE_ROW || rc == SQLITE_DONE ? ZC_OK
                                                 : sync_db_fail(d, rc, "reading the closings due", err);
}

/* The parts of the summary, read inside summarise()'s transaction. */
static int read_summary(sync_db *d, closing *c, zc_err *err)
{
    sqlite3_stmt *s;
    int rc, ret;
    if ((ret = sync_db_prep(d, C_GEN, "SELECT gen FROM closing WHERE local_date = ?", &s, err)))
        return ret;
    sqlite3_bind_text(s, 1, c->date, -1, SQLITE_STATIC);
    if ((ret = one_int(d, s, &c->gen, "reading the closings", err)))
        return ret;
    int64_t pending;
    if ((ret = sync_db_prep(d, C_PENDING,
                            "SELECT EXISTS (SELECT 1 FROM outbox o JOIN sale s ON s.id = o.sale_id "
                            "WHERE o.sent_utc IS NULL AND o.held IS NULL AND s.local_date = ?)", &s,
                            err)))
        return ret;
    sqlite3_bind_text(s, 1, c->date, -1, SQLITE_STATIC);
    if ((ret = one_int(d, s, &pending, "reading the outbox", err)))
        return ret;
    c->pending = pending != 0;
    if ((ret = sync_db_prep(d, C_TOTALS,
                            "SELECT coalesce(sum(status = 'done'), 0), coalesce(sum(CASE WHEN status "
                            "= 'done' THEN gross_fen END), 0), coalesce(sum(CASE WHEN status = 'done' "
                            "THEN subsidy_fen END), 0), coalesce(sum(CASE WHEN status = 'done' THEN "
                            "pay_fen END), 0), coalesce(max(seq), 0) FROM sale WHERE local_date = ?",
                            &s, err)))
        return ret;
    sqlite3_bind_text(s, 1, c->date, -1, SQLITE_STATIC);
    rc = sqlite3_step(s);
    if (rc == SQLITE_ROW) {
        c->count = sqlite3_column_int64(s, 0);
        c->gross = sqlite3_column_int64(s, 1);
        c->subsidy = sqlite3_column_int64(s, 2);
        c->pay = sqlite3_column_int64(s, 3);
        c->last_seq = sqlite3_column_int64(s, 4);
    }
    sqlite3_reset(s);
    if (rc != SQLITE_ROW)
        return sync_db_fail(d, rc, "adding up the day's sales", err);
    /* the chain's head at the end of the date; 64 zeros when it has no sale */
    snprintf(c->chain_head, sizeof c->chain_head, "%064d", 0);
    if ((ret = sync_db_prep(d, C_HEAD, "SELECT hash FROM sale WHERE seq = ?", &s, err)))
        return ret;
    sqlite3_bind_int64(s, 1, c->last_seq);
    if ((rc = sqlite3_step(s)) == SQLITE_ROW)
        snprintf(c->chain_head, sizeof c->chain_head, "%s", col(s, 0));
    sqlite3_reset(s);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        return sync_db_fail(d, rc, "reading the sale chain", err);
    if ((ret = sync_db_prep(d, C_SOURCES,
                            "SELECT p.source, sum(p.fen) FROM sale_subsidy p JOIN sale s ON s.id = "
                            "p.sale_id WHERE s.local_date = ? AND s.status = 'done' GROUP BY p.source "
                            "ORDER BY p.source", &s, err)))
        return ret;
    sqlite3_bind_text(s, 1, c->date, -1, SQLITE_STATIC);
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
        if (c->nsrc == SOURCES_MAX) {
            sqlite3_reset(s);
            return zc_errf(err, ZC_ETOOBIG, "the sales of %s name more than %d funding sources; the "
                           "protocol carries at most %d in a closing", c->date, SOURCES_MAX,
                           SOURCES_MAX);
        }
        snprintf(c->src[c->nsrc].source, sizeof c->src[0].source, "%s", col(s, 0));
        c->src[c->nsrc++].fen = sqlite3_column_int64(s, 1);
    }
    sqlite3_reset(s);
    return rc == SQLITE_DONE ? ZC_OK : sync_db_fail(d, rc, "adding up the day's subsidy", err);
}

/* The summary of date, from one snapshot of the database. */
static int summarise(sync_db *d, const char *date, closing *c, zc_err *err)
{
    sqlite3 *db = sync_db_handle(d);
    memset(c, 0, sizeof *c);
    snprintf(c->date, sizeof c->date, "%s", date);
    int rc = sqlite3_exec(db, "BEGIN", NULL, NULL, NULL);
    if (rc != SQLITE_OK)
        return sync_db_fail(d, rc, "reading the day's sales", err);
    int ret = read_summary(d, c, err);
    rc = sqlite3_exec(db, ret ? "ROLLBACK" : "COMMIT", NULL, NULL, NULL);
    if (ret == ZC_OK && rc != SQLITE_OK)
        ret = sync_db_fail(d, rc, "reading the day's sales", err);
    return ret;
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

/* Records that the centre stored c (sent as by_source) at now. */
static int record_sent(sync_db *d, const closing *c, const char *by_source, int64_t now, zc_err *err)
{
    sqlite3_stmt *s;
    int ret = sync_db_prep(d, C_SENT,
                           "UPDATE closing SET sent_gen = max(sent_gen, ?2), count = ?3, gross_fen "
                           "= ?4, subsidy_fen = ?5, pay_fen = ?6, by_source = ?7, last_seq = ?8, "
                           "chain_head = ?9, sent_utc = ?10, attempts = attempts + 1, last_error = "
                           "NULL WHERE local_date = ?1", &s, err);
    if (ret)
        return ret;
    sqlite3_bind_text(s, 1, c->date, -1, SQLITE_STATIC);
    sqlite3_bind_int64(s, 2, c->gen);
    sqlite3_bind_int64(s, 3, c->count);
    sqlite3_bind_int64(s, 4, c->gross);
    sqlite3_bind_int64(s, 5, c->subsidy);
    sqlite3_bind_int64(s, 6, c->pay);
    sqlite3_bind_text(s, 7, by_source, -1, SQLITE_STATIC);
    sqlite3_bind_int64(s, 8, c->last_seq);
    sqlite3_bind_text(s, 9, c->chain_head, -1, SQLITE_STATIC);
    sqlite3_bind_int64(s, 10, now);
    int rc = sqlite3_step(s);
    sqlite3_reset(s);
    return rc == SQLITE_DONE ? ZC_OK : sync_db_fail(d, rc, "recording the closing sent", err);
}

/* Notes a failed try of date (best effort: the caller reports the failure). */
static void record_failed(sync_db *d, const char *date, const char *why)
{
    sqlite3_stmt *s;
    if (sync_db_prep(d, C_FAILED, "UPDATE closing SET attempts = attempts + 1, last_error = ?2 WHERE "
                     "local_date = ?1", &s, NULL) != ZC_OK)
        return;
    sqlite3_bind_text(s, 1, date, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 2, why, -1, SQLITE_STATIC);
    (void)sqlite3_step(s);
    sqlite3_reset(s);
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
    if ((ret = record_sent(c->db, sum, by_source, zc_now(), err)))
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
    if ((ret = newest_closed_shift(c->db, &shift, err)))
        goto out;
    bool all = shift > meta_int(c->db, "closing_shift");
    if ((ret = due_dates(c->db, all, today, dates, SYNC_CLOSING_MAX, &n, err)))
        goto out;
    for (int i = 0; i < n && !refused; i++) {
        zc_err e = {""};
        bool remote = false;
        if ((ret = summarise(c->db, dates[i], sum, &e)) == ZC_OK && sum->pending) {
            waiting = true; /* its sales go first; the next round sends it */
            continue;
        }
        if (ret == ZC_OK)
            ret = send_one(c, sum, rep, &remote, &e);
        if (ret == ZC_OK)
            continue;
        record_failed(c->db, dates[i], e.msg);
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
        if ((ret = sync_meta_put(c->db, "closing_error", e.msg, err)))
            goto out;
    }
    ret = ZC_OK;
    if (!refused && (ret = sync_meta_put(c->db, "closing_error", "", err)))
        goto out;
    /* the shift's dates are all reported: the next pass waits for the next one */
    if (all && !refused && !waiting && n < SYNC_CLOSING_MAX) {
        snprintf(num, sizeof num, "%lld", (long long)shift);
        ret = sync_meta_put(c->db, "closing_shift", num, err);
    }
out:
    free(dates);
    free(sum);
    return ret;
}
