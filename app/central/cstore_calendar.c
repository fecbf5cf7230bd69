/* cstore_calendar.c - the official calendar the centre publishes: stored
 * as text like a policy, the version published last in use.  The parsed
 * calendar and its text are kept per connection and re-read only when a
 * newer row appears, so a policy page or a re-quote costs one small query. */
#include "cstore_int.h"

#include <stdlib.h>
#include <string.h>

#include "../core/clock.h"

int central_store_calendar_publish(central_store *st, const char *json, size_t len, bool *existed,
                                   zc_err *err)
{
    zc_calendar *cal = NULL;
    sqlite3_stmt *s;
    *existed = false;
    int ret = zc_calendar_parse(json, len, &cal, err);
    if (ret)
        return ret;
    if ((ret = cs_prep(st, S_CAL_FIND, "SELECT json FROM calendar WHERE calendar_id = ? AND "
                       "version = ?", &s, err)))
        goto out;
    sqlite3_bind_text(s, 1, zc_calendar_id(cal), -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 2, zc_calendar_version(cal), -1, SQLITE_STATIC);
    int rc = sqlite3_step(s);
    if (rc == SQLITE_ROW) {
        const char *held = (const char *)sqlite3_column_text(s, 0);
        if (held && (size_t)sqlite3_column_bytes(s, 0) == len && memcmp(held, json, len) == 0)
            *existed = true;
        else
            ret = zc_errf(err, ZC_ECONFLICT, "calendar %s version %s is already published with "
                          "other text; a published version never changes: give the new text a "
                          "new \"version\"", zc_calendar_id(cal), zc_calendar_version(cal));
    } else if (rc != SQLITE_DONE) {
        ret = cs_dbfail(st, rc, "reading the calendars", err);
    }
    cs_done(s);
    if (ret || *existed)
        goto out;
    if ((ret = cs_prep(st, S_CAL_INSERT, "INSERT INTO calendar (calendar_id, version, json, "
                       "published_utc) VALUES (?, ?, ?, ?)", &s, err)))
        goto out;
    sqlite3_bind_text(s, 1, zc_calendar_id(cal), -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 2, zc_calendar_version(cal), -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 3, json, (int)len, SQLITE_STATIC);
    sqlite3_bind_int64(s, 4, zc_now());
    ret = cs_step_done(st, s, "the calendar", err);
out:
    zc_calendar_free(cal);
    return ret;
}

int central_store_calendar_current(central_store *st, const zc_calendar **cal, const char **json,
                                   zc_err *err)
{
    sqlite3_stmt *s;
    *cal = NULL;
    if (json)
        *json = NULL;
    int ret = cs_prep(st, S_CAL_LAST, "SELECT id, json FROM calendar ORDER BY id DESC LIMIT 1", &s,
                      err);
    if (ret)
        return ret;
    int rc = sqlite3_step(s);
    if (rc == SQLITE_ROW && sqlite3_column_int64(s, 0) != st->cal_row) {
        const char *text = (const char *)sqlite3_column_text(s, 1);
        size_t n = (size_t)sqlite3_column_bytes(s, 1);
        zc_calendar *c = NULL;
        char *copy = malloc(n + 1);
        if (!copy) {
            ret = zc_errf(err, ZC_ENOMEM, "out of memory");
        } else if ((ret = zc_calendar_parse(text ? text : "", n, &c, err)) == ZC_OK) {
            memcpy(copy, text ? text : "", n);
            copy[n] = '\0';
            zc_calendar_free(st->cal);
            free(st->cal_json);
            st->cal = c;
            st->cal_json = copy;
            copy = NULL;
            st->cal_row = sqlite3_column_int64(s, 0);
        }
        free(copy);
    } else if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
        ret = cs_dbfail(st, rc, "reading the calendar", err);
    }
    cs_done(s);
    if (!ret) {
        *cal = st->cal;
        if (json)
            *json = st->cal_json;
    }
    return ret;
}
