/* calendar.c - the official calendar: JSON -> table of holiday periods and
 * worked weekend days per year, and the kind of any date.
 *
 * The data is small (a dozen ranges a year) so lookups are linear.  Parsing
 * is as strict as the policy's (and reuses its member readers): a calendar
 * decides whether a working-day subsidy is given.  A year the State Council
 * has not yet announced is written with "published": false rather than
 * guessed; such a year, like one absent, falls back to Monday-Friday. */
#include "calendar.h"
#include "buf.h"

#include <stdlib.h>
#include <string.h>

#include "model.h"
#include "policy_json.h"

#define CAL_MAX_JSON (64 * 1024)
#define CAL_MAX_RANGE_DAYS 15 /* the longest holiday period ever announced is 9 */

typedef struct cal_range {
    int64_t from, to; /* days since 1970, inclusive */
} cal_range;

typedef struct cal_year {
    int year;
    bool published;
    cal_range hol[ZC_CAL_MAX_RANGES];
    int nhol;
    int64_t work[ZC_CAL_MAX_WORKDAYS];
    int nwork;
} cal_year;

struct zc_calendar {
    char id[ZC_ID_MAX];
    char version[ZC_ID_MAX];
    cal_year years[ZC_CAL_MAX_YEARS];
    int nyears;
};

static const char *const kind_codes[ZC_DAY_COUNT] = {"workday", "weekend", "holiday"};

const char *zc_day_kind_code(zc_day_kind k)
{
    return k >= 0 && k < ZC_DAY_COUNT ? kind_codes[k] : "";
}

static int parse_ranges(const cJSON *y, const char *p, cal_year *cy, zc_err *err)
{
    static const char *const f[] = {"name", "from", "to", NULL};
    char q[POL_PATH_MAX], s[POL_PATH_MAX];
    const cJSON *a;
    int rc, i = 0;
    if ((rc = pol_array_field(y, p, "holidays", true, 1, ZC_CAL_MAX_RANGES, &a, err)))
        return rc;
    pol_join(q, p, "holidays");
    for (const cJSON *c = a->child; c; c = c->next, i++) {
        char name[ZC_NAME_MAX];
        zc_date from, to;
        pol_index_path(s, q, i);
        if (!cJSON_IsObject(c))
            return pol_bad(err, s, "must be an object such as "
                                   "{\"name\":\"国庆节\",\"from\":\"2026-10-01\",\"to\":\"2026-10-07\"}");
        if ((rc = pol_known_fields(c, s, f, err)) ||
            (rc = pol_str_field(c, s, "name", false, CS_TEXT, name, sizeof name, NULL, err)) ||
            (rc = pol_date_field(c, s, "from", true, &from, err)) ||
            (rc = pol_date_field(c, s, "to", true, &to, err)))
            return rc;
        if (from.y != cy->year || to.y != cy->year)
            return zc_errf(err, ZC_EINVAL, "%s: the period must lie in %d (split one that crosses "
                           "the new year)", s, cy->year);
        cal_range *r = &cy->hol[i];
        r->from = zc_days_from_civil(from);
        r->to = zc_days_from_civil(to);
        if (r->to < r->from)
            return zc_errf(err, ZC_EINVAL, "%s.to: is before \"from\"", s);
        if (r->to - r->from + 1 > CAL_MAX_RANGE_DAYS)
            return zc_errf(err, ZC_EINVAL, "%s: longer than %d days; check the dates", s,
                           CAL_MAX_RANGE_DAYS);
        for (int j = 0; j < i; j++)
            if (r->from <= cy->hol[j].to && cy->hol[j].from <= r->to)
                return zc_errf(err, ZC_EINVAL, "%s: overlaps holidays[%d]", s, j);
    }
    cy->nhol = i;
    return ZC_OK;
}

static bool in_holiday(const cal_year *cy, int64_t dn)
{
    for (int i = 0; i < cy->nhol; i++)
        if (dn >= cy->hol[i].from && dn <= cy->hol[i].to)
            return true;
    return false;
}

static int parse_workdays(const cJSON *y, const char *p, cal_year *cy, zc_err *err)
{
    char q[POL_PATH_MAX], s[POL_PATH_MAX], d[11];
    const cJSON *a;
    int rc, i = 0;
    if ((rc = pol_array_field(y, p, "workdays", false, 0, ZC_CAL_MAX_WORKDAYS, &a, err)) || !a)
        return rc;
    pol_join(q, p, "workdays");
    for (const cJSON *c = a->child; c; c = c->next, i++) {
        zc_date w;
        pol_index_path(s, q, i);
        if (!cJSON_IsString(c) || zc_date_parse(c->valuestring, &w) != ZC_OK)
            return pol_bad(err, s, "must be a real date written YYYY-MM-DD");
        zc_date_fmt(w, d, sizeof d);
        if (w.y != cy->year)
            return zc_errf(err, ZC_EINVAL, "%s: %s is not in %d", s, d, cy->year);
        if (zc_weekday(w) < 6)
            return zc_errf(err, ZC_EINVAL, "%s: %s is a weekday; list only the Saturdays and "
                           "Sundays that are worked (调休上班)", s, d);
        cy->work[i] = zc_days_from_civil(w);
        if (in_holiday(cy, cy->work[i]))
            return zc_errf(err, ZC_EINVAL, "%s: %s is inside a holiday period", s, d);
        for (int j = 0; j < i; j++)
            if (cy->work[j] == cy->work[i])
                return zc_errf(err, ZC_EINVAL, "%s: %s is listed twice", s, d);
    }
    cy->nwork = i;
    return ZC_OK;
}

static int parse_year(const cJSON *y, const char *p, zc_calendar *cal, cal_year *cy, zc_err *err)
{
    static const char *const f[] = {"year", "published", "source", "note", "holidays", "workdays",
                                    NULL};
    char q[POL_PATH_MAX], src[ZC_NAME_MAX * 2];
    const cJSON *pub;
    int64_t v = 0;
    int rc;
    if (!cJSON_IsObject(y))
        return pol_bad(err, p, "must be an object such as {\"year\":2026,\"holidays\":[...]}");
    if ((rc = pol_known_fields(y, p, f, err)) ||
        (rc = pol_int_field(y, p, "year", true, 1900, 2999, &v, NULL, err)) ||
        (rc = pol_note_field(y, p, err)))
        return rc;
    cy->year = (int)v;
    for (int j = 0; j < cal->nyears; j++)
        if (cal->years[j].year == cy->year)
            return zc_errf(err, ZC_EINVAL, "%s.year: %d is listed twice", p, cy->year);
    pub = pol_member(y, "published");
    if (pub && !cJSON_IsBool(pub))
        return pol_bad(err, pol_join(q, p, "published"), "must be true or false");
    cy->published = !pub || cJSON_IsTrue(pub);
    if (!cy->published) {
        if (pol_member(y, "holidays") || pol_member(y, "workdays"))
            return pol_bad(err, pol_join(q, p, "published"), "is false but the year lists days; "
                           "remove the days or the \"published\": false");
        return ZC_OK;
    }
    if ((rc = pol_str_field(y, p, "source", true, CS_TEXT, src, sizeof src, NULL, err)) ||
        (rc = parse_ranges(y, p, cy, err)))
        return rc;
    return parse_workdays(y, p, cy, err);
}

static int parse_root(const cJSON *root, zc_calendar *cal, zc_err *err)
{
    static const char *const f[] = {"calendar", "version", "name", "note", "years", NULL};
    char p[POL_PATH_MAX], name[ZC_NAME_MAX];
    const cJSON *a;
    int rc, i = 0;
    if (!cJSON_IsObject(root))
        return zc_errf(err, ZC_EINVAL, "calendar: the file must hold one JSON object");
    if ((rc = pol_known_fields(root, "", f, err)) ||
        (rc = pol_str_field(root, "", "calendar", true, CS_ID, cal->id, sizeof cal->id, NULL, err)) ||
        (rc = pol_str_field(root, "", "version", true, CS_ID, cal->version, sizeof cal->version,
                            NULL, err)) ||
        (rc = pol_str_field(root, "", "name", false, CS_TEXT, name, sizeof name, NULL, err)) ||
        (rc = pol_note_field(root, "", err)) ||
        (rc = pol_array_field(root, "", "years", true, 1, ZC_CAL_MAX_YEARS, &a, err)))
        return rc;
    for (const cJSON *c = a->child; c; c = c->next, i++) {
        pol_index_path(p, "years", i);
        if ((rc = parse_year(c, p, cal, &cal->years[i], err)))
            return rc;
        cal->nyears = i + 1;
    }
    return ZC_OK;
}

int zc_calendar_parse(const char *json, size_t len, zc_calendar **out, zc_err *err)
{
    cJSON *root = NULL;
    zc_calendar *cal = NULL;
    const char *end = NULL;
    int rc;
    if (!json || !out)
        return zc_errf(err, ZC_EINVAL, "calendar: nothing to parse");
    *out = NULL;
    if (len > CAL_MAX_JSON) {
        rc = zc_errf(err, ZC_ETOOBIG, "calendar: %zu bytes is over the 64 KiB limit", len);
        goto out;
    }
    if ((rc = pol_depth_ok(json, len, err)))
        goto out;
    root = cJSON_ParseWithLengthOpts(json, len, &end, false);
    if (!root) {
        rc = zc_errf(err, ZC_EINVAL, "calendar: not valid JSON near byte %ld",
                     end && end >= json && end <= json + len ? (long)(end - json) : 0L);
        goto out;
    }
    for (const char *t = end; t && t < json + len; t++)
        if (*t != ' ' && *t != '\n' && *t != '\r' && *t != '\t' && *t != '\0') {
            rc = zc_errf(err, ZC_EINVAL, "calendar: text after the end of the JSON object");
            goto out;
        }
    cal = calloc(1, sizeof *cal);
    if (!cal) {
        rc = zc_errf(err, ZC_ENOMEM, "calendar: out of memory");
        goto out;
    }
    if ((rc = parse_root(root, cal, err)))
        goto out;
    *out = cal;
    cal = NULL;
out:
    free(cal);
    cJSON_Delete(root);
    return rc;
}

/* Reads at most CAL_MAX_JSON bytes of path and parses them.  The error
 * message of a broken file starts with the file name. */
int zc_calendar_load(const char *path, zc_calendar **out, zc_err *err)
{
    char *buf = NULL;
    size_t n = 0;
    zc_err inner = {""};
    if (!path || !out)
        return zc_errf(err, ZC_EINVAL, "calendar: no file given");
    *out = NULL;
    int rc = zc_file_read(path, CAL_MAX_JSON, "calendar", &buf, &n, err);
    if (rc == ZC_OK && (rc = zc_calendar_parse(buf, n, out, &inner)))
        zc_errf(err, rc, "%s: %s", path, inner.msg);
    free(buf);
    return rc;
}

void zc_calendar_free(zc_calendar *c)
{
    free(c);
}

const char *zc_calendar_id(const zc_calendar *c) { return c ? c->id : ""; }
const char *zc_calendar_version(const zc_calendar *c) { return c ? c->version : ""; }

zc_day_kind zc_calendar_day(const zc_calendar *c, zc_date d, bool *official)
{
    int64_t dn = zc_days_from_civil(d);
    bool weekend = zc_weekday(d) >= 6;
    if (official)
        *official = false;
    for (int i = 0; c && i < c->nyears; i++) {
        const cal_year *cy = &c->years[i];
        if (cy->year != d.y || !cy->published)
            continue;
        if (official)
            *official = true;
        if (in_holiday(cy, dn))
            return ZC_DAY_HOLIDAY;
        for (int j = 0; j < cy->nwork; j++)
            if (cy->work[j] == dn)
                return ZC_DAY_WORKDAY;
        break;
    }
    return weekend ? ZC_DAY_WEEKEND : ZC_DAY_WORKDAY;
}
