/* policies.c - the terminal's policy versions and official calendar:
 * storing what the centre (or `zhucan policy add`) gives, and choosing the
 * version in force for a sale's date at this terminal's canteen.
 *
 * Choosing follows zc_policy_select_at (docs/policy.md, "Versions"): the
 * latest effective_from; on equal dates a version scoped to canteens beats
 * one for every canteen; then the one stored last.  Whether a version is
 * scoped, and to which canteens, is inside its JSON, so the versions in
 * force on the date (normally one, two around a change) are parsed, once
 * per connection, through the cache the sale path already uses.
 *
 * The calendar is simpler: the one stored last is the one in use. */
#include "store_int.h"

#include <stdlib.h>
#include <string.h>

#include "../core/clock.h"

/* ---- policies ---- */

int store_policy_add(store_t *st, const char *json, size_t len, zc_err *err)
{
    zc_policy *p = NULL;
    sqlite3_stmt *s = NULL;
    if (!json)
        return zc_errf(err, ZC_EINVAL, "no policy text was given");
    int ret = zc_policy_parse(json, len, &p, err);
    if (ret)
        return ret;
    if ((ret = store_begin(st, "the policy", err)))
        goto out;
    if ((ret = store_prep(st, Q_POLICY_FIND,
                          "SELECT json FROM policy WHERE policy_id = ? AND version = ?", &s, err)))
        goto out;
    sqlite3_bind_text(s, 1, zc_policy_id(p), -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 2, zc_policy_version(p), -1, SQLITE_STATIC);
    int rc = sqlite3_step(s);
    if (rc == SQLITE_ROW) {
        const void *old = sqlite3_column_blob(s, 0);
        size_t oldlen = (size_t)sqlite3_column_bytes(s, 0);
        if (oldlen != len || (len && memcmp(old, json, len) != 0))
            ret = zc_errf(err, ZC_ECONFLICT,
                          "policy %s version %s is already stored with different content; a changed "
                          "policy needs a new version number", zc_policy_id(p), zc_policy_version(p));
        store_done(s);
        goto out; /* identical: nothing to do */
    }
    store_done(s);
    if (rc != SQLITE_DONE) {
        ret = store_dbfail(st, rc, "the policy", err);
        goto out;
    }
    if ((ret = store_prep(st, Q_POLICY_INSERT,
                          "INSERT INTO policy (policy_id, version, effective_from, effective_to, json, "
                          "added_utc) VALUES (?, ?, ?, ?, ?, ?)", &s, err)))
        goto out;
    sqlite3_bind_text(s, 1, zc_policy_id(p), -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 2, zc_policy_version(p), -1, SQLITE_STATIC);
    store_bind_date(s, 3, zc_policy_from(p));
    store_bind_date(s, 4, zc_policy_to(p));
    sqlite3_bind_text(s, 5, json, (int)len, SQLITE_STATIC);
    sqlite3_bind_int64(s, 6, zc_now());
    rc = sqlite3_step(s);
    store_done(s);
    if (rc != SQLITE_DONE) {
        ret = store_dbfail(st, rc, "the policy", err);
        goto out;
    }
    ret = store_commit(st, "the policy", err);
out:
    store_rollback(st);
    zc_policy_free(p);
    return ret;
}

/* Why no policy is in force on day: most often the last one ended and its
 * successor never arrived.  Meal periods, eligible dishes and rules all
 * come from the policy, so the till cannot price a meal without one. */
static int no_policy(store_t *st, const char *day, bool elsewhere, zc_err *err)
{
    sqlite3_stmt *s = NULL;
    char id[ZC_ID_MAX] = "", ver[ZC_ID_MAX] = "", to[16] = "";
    if (sqlite3_prepare_v2(st->db, "SELECT policy_id, version, effective_to FROM policy WHERE "
                           "effective_to < ?1 ORDER BY effective_to DESC, id DESC LIMIT 1", -1, &s,
                           NULL) == SQLITE_OK) {
        sqlite3_bind_text(s, 1, day, -1, SQLITE_STATIC);
        if (sqlite3_step(s) == SQLITE_ROW) {
            store_col_text(s, 0, id, sizeof id);
            store_col_text(s, 1, ver, sizeof ver);
            store_col_text(s, 2, to, sizeof to);
        }
    }
    sqlite3_finalize(s);
    if (elsewhere)
        return zc_errf(err, ZC_ENOTFOUND, "no subsidy policy is in force on %s for this terminal's "
                       "canteen: the versions in force are for other canteens; sync with the centre, "
                       "or check the canteen this terminal is set up for", day);
    if (id[0])
        return zc_errf(err, ZC_ENOTFOUND, "no subsidy policy is in force on %s: %s version %s ended on %s "
                       "and no successor is loaded; meals cannot be priced until one is: sync with the "
                       "centre, or load it with zhucan policy add", day, id, ver, to);
    return zc_errf(err, ZC_ENOTFOUND, "no subsidy policy is in force on %s; load the policy for this date",
                   day);
}

/* Parses policy row `row`.  *out owned by the caller. */
static int policy_parse_row(store_t *st, int64_t row, zc_policy **out, zc_err *err)
{
    sqlite3_stmt *s;
    int ret = store_prep(st, Q_POLICY_JSON, "SELECT json FROM policy WHERE id = ?", &s, err);
    if (ret)
        return ret;
    sqlite3_bind_int64(s, 1, row);
    int rc = sqlite3_step(s);
    if (rc == SQLITE_ROW) {
        zc_err e;
        const char *json = (const char *)sqlite3_column_blob(s, 0);
        ret = zc_policy_parse(json ? json : "", (size_t)sqlite3_column_bytes(s, 0), out, &e);
        if (ret)
            ret = zc_errf(err, ret, "the stored policy (row %lld) no longer parses: %s; load it again",
                          (long long)row, e.msg);
    } else {
        ret = store_dbfail(st, rc == SQLITE_DONE ? SQLITE_CORRUPT : rc, "reading the policy", err);
    }
    store_done(s);
    return ret;
}

/* The parsed policy of row `row` from the connection's cache, parsing and
 * caching it when absent.  *out is borrowed (see store_policy_cached). */
static int policy_cache_get(store_t *st, int64_t row, const zc_policy **out, zc_err *err)
{
    zc_policy *p = NULL;
    for (int i = 0; i < st->npol; i++) {
        if (st->pol[i].row == row) {
            *out = st->pol[i].p;
            return ZC_OK;
        }
    }
    int ret = policy_parse_row(st, row, &p, err);
    if (ret)
        return ret;
    if (st->npol == STORE_POLICY_CACHE) { /* full: drop the oldest */
        zc_policy_free(st->pol[0].p);
        memmove(&st->pol[0], &st->pol[1], sizeof st->pol[0] * (STORE_POLICY_CACHE - 1));
        st->npol--;
    }
    st->pol[st->npol].row = row;
    st->pol[st->npol].p = p;
    st->npol++;
    *out = p;
    return ZC_OK;
}

/* The row id of the policy in force on d at this terminal's canteen (see
 * the top of the file).  Rows come newest effective_from first, then last
 * stored first, so the first applicable row wins unless a scoped one of
 * the same date follows it. */
static int policy_row(store_t *st, zc_date d, int64_t *row, zc_err *err)
{
    sqlite3_stmt *s;
    zc_canteen k;
    char day[16], from[16], best_from[16] = "";
    bool have_k = store_canteen_get(st, &k, NULL) == ZC_OK, best_scoped = false, elsewhere = false;
    int64_t best = 0;
    int rc, ret = store_prep(st, Q_POLICY_FOR,
                             "SELECT id, effective_from FROM policy WHERE effective_from <= ?1 AND "
                             "(effective_to IS NULL OR effective_to >= ?1) "
                             "ORDER BY effective_from DESC, id DESC", &s, err);
    if (ret)
        return ret;
    zc_date_fmt(d, day, sizeof day);
    sqlite3_bind_text(s, 1, day, -1, SQLITE_STATIC);
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
        const zc_policy *p = NULL;
        int64_t id = sqlite3_column_int64(s, 0);
        store_col_text(s, 1, from, sizeof from);
        if (best && strcmp(from, best_from) != 0)
            break; /* an older version never beats the best */
        if ((ret = policy_cache_get(st, id, &p, err)))
            break;
        if (!zc_policy_applies_at(p, have_k ? &k : NULL)) {
            elsewhere = true;
            continue;
        }
        if (!best || (zc_policy_scoped(p) && !best_scoped)) {
            best = id;
            best_scoped = zc_policy_scoped(p);
            memcpy(best_from, from, sizeof best_from);
        }
    }
    if (!ret && rc != SQLITE_ROW && rc != SQLITE_DONE)
        ret = store_dbfail(st, rc, "reading the policy", err);
    store_done(s);
    if (ret)
        return ret;
    if (!best)
        return no_policy(st, day, elsewhere, err);
    *row = best;
    return ZC_OK;
}

int store_policy_for(store_t *st, zc_date d, zc_policy **out, zc_err *err)
{
    int64_t row = 0;
    *out = NULL;
    int ret = policy_row(st, d, &row, err);
    return ret ? ret : policy_parse_row(st, row, out, err);
}

int store_policy_cached(store_t *st, zc_date d, const zc_policy **out, zc_err *err)
{
    int64_t row = 0;
    *out = NULL;
    int ret = policy_row(st, d, &row, err);
    return ret ? ret : policy_cache_get(st, row, out, err);
}

/* ---- calendar ---- */

int store_calendar_put(store_t *st, const zc_calendar *cal, const char *json, size_t len,
                       bool *added, zc_err *err)
{
    sqlite3_stmt *s;
    *added = false;
    int ret = store_prep(st, Q_CAL_FIND, "SELECT json FROM calendar WHERE calendar_id = ? AND "
                         "version = ?", &s, err);
    if (ret)
        return ret;
    sqlite3_bind_text(s, 1, zc_calendar_id(cal), -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 2, zc_calendar_version(cal), -1, SQLITE_STATIC);
    int rc = sqlite3_step(s);
    if (rc == SQLITE_ROW) {
        const void *old = sqlite3_column_blob(s, 0);
        size_t oldlen = (size_t)sqlite3_column_bytes(s, 0);
        if (oldlen != len || (len && memcmp(old, json, len) != 0))
            ret = zc_errf(err, ZC_ECONFLICT, "calendar %s version %s is already stored with "
                          "different content; a changed calendar needs a new version",
                          zc_calendar_id(cal), zc_calendar_version(cal));
        store_done(s);
        return ret; /* identical: nothing to do */
    }
    store_done(s);
    if (rc != SQLITE_DONE)
        return store_dbfail(st, rc, "the calendar", err);
    if ((ret = store_prep(st, Q_CAL_INSERT, "INSERT INTO calendar (calendar_id, version, json, "
                          "added_utc) VALUES (?, ?, ?, ?)", &s, err)))
        return ret;
    sqlite3_bind_text(s, 1, zc_calendar_id(cal), -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 2, zc_calendar_version(cal), -1, SQLITE_STATIC);
    sqlite3_bind_blob(s, 3, json, (int)len, SQLITE_STATIC);
    sqlite3_bind_int64(s, 4, zc_now());
    rc = sqlite3_step(s);
    store_done(s);
    if (rc != SQLITE_DONE)
        return store_dbfail(st, rc, "the calendar", err);
    *added = true;
    return ZC_OK;
}

int store_calendar_add(store_t *st, const char *json, size_t len, zc_err *err)
{
    zc_calendar *cal = NULL;
    bool added;
    if (!json)
        return zc_errf(err, ZC_EINVAL, "no calendar text was given");
    int ret = zc_calendar_parse(json, len, &cal, err);
    if (ret)
        return ret;
    if ((ret = store_begin(st, "the calendar", err)) ||
        (ret = store_calendar_put(st, cal, json, len, &added, err)))
        goto out;
    ret = store_commit(st, "the calendar", err);
out:
    store_rollback(st);
    zc_calendar_free(cal);
    return ret;
}

int store_calendar_cached(store_t *st, const zc_calendar **out, zc_err *err)
{
    sqlite3_stmt *s;
    *out = NULL;
    int ret = store_prep(st, Q_CAL_LAST, "SELECT id, json FROM calendar ORDER BY id DESC LIMIT 1",
                         &s, err);
    if (ret)
        return ret;
    int rc = sqlite3_step(s);
    if (rc == SQLITE_ROW && sqlite3_column_int64(s, 0) != st->cal_row) {
        zc_calendar *cal = NULL;
        zc_err e = {""};
        const char *json = (const char *)sqlite3_column_blob(s, 1);
        ret = zc_calendar_parse(json ? json : "", (size_t)sqlite3_column_bytes(s, 1), &cal, &e);
        if (ret) {
            ret = zc_errf(err, ret, "the stored calendar no longer parses: %s; load it again",
                          e.msg);
        } else {
            zc_calendar_free(st->cal);
            st->cal = cal;
            st->cal_row = sqlite3_column_int64(s, 0);
        }
    } else if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
        ret = store_dbfail(st, rc, "reading the calendar", err);
    }
    store_done(s);
    if (!ret)
        *out = st->cal;
    return ret;
}
