/* policy.c - loading, looking into and choosing parsed policies.
 * The JSON parser and validator are in policy_parse.c. */
#include "policy_int.h"
#include "buf.h"

#include <stdlib.h>
#include <string.h>

/* Reads at most POL_MAX_JSON bytes of path and parses them.  The error
 * message of a broken file starts with the file name. */
int zc_policy_load(const char *path, zc_policy **out, zc_err *err)
{
    char *buf = NULL;
    size_t n = 0;
    zc_err inner = {""};
    if (!path || !out)
        return zc_errf(err, ZC_EINVAL, "policy: no file given");
    *out = NULL;
    int rc = zc_file_read(path, POL_MAX_JSON, "policy", &buf, &n, err);
    if (rc == ZC_OK && (rc = zc_policy_parse(buf, n, out, &inner)))
        zc_errf(err, rc, "%s: %s", path, inner.msg);
    free(buf);
    return rc;
}

void zc_policy_free(zc_policy *p)
{
    free(p);
}

const char *zc_policy_id(const zc_policy *p) { return p ? p->id : ""; }
const char *zc_policy_version(const zc_policy *p) { return p ? p->version : ""; }
const char *zc_policy_name(const zc_policy *p) { return p ? p->name : ""; }

zc_date zc_policy_from(const zc_policy *p)
{
    zc_date none = {0, 0, 0};
    return p ? p->from : none;
}

zc_date zc_policy_to(const zc_policy *p)
{
    zc_date none = {0, 0, 0};
    return p ? p->to : none;
}

bool zc_policy_in_force(const zc_policy *p, zc_date d)
{
    if (!p || zc_date_cmp(d, p->from) < 0)
        return false;
    return !zc_date_is_set(p->to) || zc_date_cmp(d, p->to) <= 0;
}

int zc_policy_nperiods(const zc_policy *p)
{
    return p ? p->nperiods : 0;
}

const zc_period *zc_policy_period(const zc_policy *p, int i)
{
    return p && i >= 0 && i < p->nperiods ? &p->periods[i] : NULL;
}

const zc_period *zc_policy_period_at(const zc_policy *p, int minute_of_day)
{
    for (int i = 0; p && i < p->nperiods; i++)
        if (minute_of_day >= p->periods[i].from_min && minute_of_day < p->periods[i].to_min)
            return &p->periods[i];
    return NULL;
}

const zc_period *zc_policy_period_by_id(const zc_policy *p, const char *id)
{
    for (int i = 0; p && id && i < p->nperiods; i++)
        if (strcmp(p->periods[i].id, id) == 0)
            return &p->periods[i];
    return NULL;
}

bool pol_scope_has(const pol_scope *s, const zc_canteen *k)
{
    if (!s->nids && !s->ntypes)
        return true;
    for (int i = 0; k && i < s->nids; i++)
        if (strcmp(s->ids[i], k->id) == 0)
            return true;
    for (int i = 0; k && k->type[0] && i < s->ntypes; i++)
        if (strcmp(s->types[i], k->type) == 0)
            return true;
    return false;
}

bool zc_policy_applies_at(const zc_policy *p, const zc_canteen *k)
{
    return p && pol_scope_has(&p->at, k);
}

bool zc_policy_scoped(const zc_policy *p)
{
    return p && (p->at.nids || p->at.ntypes);
}

const zc_policy *zc_policy_select_at(const zc_policy *const *v, int n, zc_date d,
                                     const zc_canteen *k)
{
    const zc_policy *best = NULL;
    for (int i = 0; v && i < n; i++) {
        if (!zc_policy_in_force(v[i], d) || !zc_policy_applies_at(v[i], k))
            continue;
        int c = best ? zc_date_cmp(v[i]->from, best->from) : 1;
        if (c > 0 || (c == 0 && zc_policy_scoped(v[i]) >= zc_policy_scoped(best)))
            best = v[i];
    }
    return best;
}

const zc_policy *zc_policy_select(const zc_policy *const *v, int n, zc_date d)
{
    return zc_policy_select_at(v, n, d, NULL);
}
