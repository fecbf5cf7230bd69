/* policy_parse.c - policy JSON -> struct zc_policy, validating every field.
 *
 * The format is in docs/policy.md.  Parsing is strict because a policy
 * decides money: an unknown field is an error (a typo such as "per_weak"
 * must not silently drop a limit), as is a wrong type, a missing required
 * field, a dangling reference or an impossible combination.  Every message
 * starts with the path of the offending field, "rules[2].benefit.percent:",
 * so whoever edits the file can go straight to it.
 *
 * Before cJSON sees the text, a cheap scan rejects nesting deeper than the
 * format needs, so hostile input cannot exhaust the stack. */
#include "policy_int.h"
#include "policy_json.h"
#include "subsidy.h" /* ZC_MAX_PARTS: every funding entry must fit in a quote */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int area_field(const cJSON *obj, const char *path, const char *key, pol_area *out,
                      bool *present, zc_err *err)
{
    static const char *const f[] = {"city", "district", "town", NULL};
    char p[POL_PATH_MAX];
    const cJSON *a;
    bool c, d, t;
    int rc = pol_object_field(obj, path, key, false, &a, err);
    *present = a != NULL;
    if (rc || !a)
        return rc;
    pol_join(p, path, key);
    if ((rc = pol_known_fields(a, p, f, err)) ||
        (rc = pol_str_field(a, p, "city", false, CS_CODE, out->city, ZC_CODE_MAX, &c, err)) ||
        (rc = pol_str_field(a, p, "district", false, CS_CODE, out->district, ZC_CODE_MAX, &d, err)) ||
        (rc = pol_str_field(a, p, "town", false, CS_CODE, out->town, ZC_CODE_MAX, &t, err)))
        return rc;
    if (!c && !d && !t)
        return pol_bad(err, p, "names no city, district or town; give one or remove the field");
    return ZC_OK;
}

/* "canteens" (ids) and "canteen_types" (codes) of obj into sc; both are
 * optional, and neither may be an empty list (leave it out instead). */
static int parse_scope(const cJSON *obj, const char *path, pol_scope *sc, zc_err *err)
{
    static const char *const keys[2] = {"canteens", "canteen_types"};
    char q[POL_PATH_MAX], s[POL_PATH_MAX];
    for (int k = 0; k < 2; k++) {
        const cJSON *a;
        int rc, i = 0;
        if ((rc = pol_array_field(obj, path, keys[k], false, 1, POL_MAX_CANTEENS, &a, err)))
            return rc;
        if (!a)
            continue;
        pol_join(q, path, keys[k]);
        for (const cJSON *c = a->child; c; c = c->next, i++) {
            char *dst = k ? sc->types[i] : sc->ids[i];
            size_t cap = k ? sizeof sc->types[i] : sizeof sc->ids[i];
            pol_index_path(s, q, i);
            if (!cJSON_IsString(c) || !c->valuestring[0] || strlen(c->valuestring) >= cap)
                return zc_errf(err, ZC_EINVAL, "%s: must be a %s of at most %zu characters", s,
                               k ? "canteen type code" : "canteen id", cap - 1);
            for (const char *t = c->valuestring; *t; t++) {
                bool ok = (*t >= 'a' && *t <= 'z') || (*t >= '0' && *t <= '9') || *t == '_' ||
                          (!k && ((*t >= 'A' && *t <= 'Z') || *t == '-' || *t == '.'));
                if (!ok)
                    return zc_errf(err, ZC_EINVAL, "%s: \"%.40s\" may use only %s", s, c->valuestring,
                                   k ? "a-z 0-9 _" : "A-Z a-z 0-9 _ . -");
            }
            memcpy(dst, c->valuestring, strlen(c->valuestring) + 1);
            for (int j = 0; j < i; j++)
                if (strcmp(k ? sc->types[j] : sc->ids[j], dst) == 0)
                    return zc_errf(err, ZC_EINVAL, "%s: \"%s\" is listed twice", s, dst);
        }
        *(k ? &sc->ntypes : &sc->nids) = i;
    }
    return ZC_OK;
}

/* "days": the kinds of day (calendar.h) a rule covers; absent = all. */
static int parse_days(const cJSON *o, const char *p, unsigned *days, zc_err *err)
{
    char q[POL_PATH_MAX], s[POL_PATH_MAX];
    const cJSON *a;
    int rc, i = 0;
    *days = 0;
    if ((rc = pol_array_field(o, p, "days", false, 1, ZC_DAY_COUNT, &a, err)) || !a)
        return rc;
    pol_join(q, p, "days");
    for (const cJSON *c = a->child; c; c = c->next, i++) {
        int k = ZC_DAY_COUNT;
        pol_index_path(s, q, i);
        for (int j = 0; cJSON_IsString(c) && j < ZC_DAY_COUNT; j++)
            if (strcmp(c->valuestring, zc_day_kind_code((zc_day_kind)j)) == 0)
                k = j;
        if (k == ZC_DAY_COUNT)
            return pol_bad(err, s, "must be \"workday\", \"weekend\" or \"holiday\"");
        if (*days & (1u << k))
            return zc_errf(err, ZC_EINVAL, "%s: \"%s\" is listed twice", s, c->valuestring);
        *days |= 1u << k;
    }
    return ZC_OK;
}

static int parse_who(const cJSON *w, const char *p, pol_who *out, zc_err *err)
{
    static const char *const f[] = {"age_min",         "age_max",         "categories_any",
                                    "categories_all",  "categories_none", "category_levels",
                                    "registration",    "residence",       "disability_grade",
                                    "care_home",       NULL};
    static const char *const care[] = {"any", "exclude", "only", NULL};
    char q[POL_PATH_MAX], r[POL_PATH_MAX];
    int64_t v = 0;
    bool has;
    int rc;
    const cJSON *a;

    if (!cJSON_IsObject(w))
        return pol_bad(err, p, "must be an object of conditions");
    if ((rc = pol_known_fields(w, p, f, err)))
        return rc;
    out->age_min = out->age_max = -1;
    if ((rc = pol_int_field(w, p, "age_min", false, 0, 150, &v, &has, err)))
        return rc;
    if (has)
        out->age_min = (int)v;
    if ((rc = pol_int_field(w, p, "age_max", false, 0, 150, &v, &has, err)))
        return rc;
    if (has)
        out->age_max = (int)v;
    if (out->age_min >= 0 && out->age_max >= 0 && out->age_max < out->age_min)
        return pol_bad(err, pol_join(q, p, "age_max"), "is below age_min");
    if ((rc = pol_codes_field(w, p, "categories_any", out->any, &out->nany, err)) ||
        (rc = pol_codes_field(w, p, "categories_all", out->all, &out->nall, err)) ||
        (rc = pol_codes_field(w, p, "categories_none", out->none, &out->nnone, err)))
        return rc;
    for (int i = 0; i < out->nnone; i++) {
        for (int j = 0; j < out->nany; j++)
            if (strcmp(out->none[i], out->any[j]) == 0)
                return zc_errf(err, ZC_EINVAL, "%s.categories_none: \"%s\" is also in categories_any",
                               p, out->none[i]);
        for (int j = 0; j < out->nall; j++)
            if (strcmp(out->none[i], out->all[j]) == 0)
                return zc_errf(err, ZC_EINVAL, "%s.categories_none: \"%s\" is also in categories_all",
                               p, out->none[i]);
    }
    if ((rc = pol_object_field(w, p, "category_levels", false, &a, err)))
        return rc;
    if (a) {
        pol_join(q, p, "category_levels");
        for (const cJSON *c = a->child; c; c = c->next) {
            bool used = false;
            pol_join(r, q, c->string);
            if (out->nlevels >= POL_MAX_CATS)
                return zc_errf(err, ZC_EINVAL, "%s: more than %d codes", q, POL_MAX_CATS);
            for (int j = 0; j < out->nany; j++)
                used |= strcmp(out->any[j], c->string) == 0;
            for (int j = 0; j < out->nall; j++)
                used |= strcmp(out->all[j], c->string) == 0;
            if (!used)
                return pol_bad(err, r, "code is not in categories_any or categories_all of this "
                                   "alternative; a minimum level only qualifies a listed code");
            for (const cJSON *d = a->child; d != c; d = d->next)
                if (strcmp(d->string, c->string) == 0)
                    return pol_bad(err, r, "appears twice; keep one");
            if ((rc = pol_int_value(c, r, 1, 9, &v, err)))
                return rc;
            snprintf(out->levels[out->nlevels].code, ZC_CODE_MAX, "%s", c->string);
            out->levels[out->nlevels++].level = (int)v;
        }
    }
    if ((rc = area_field(w, p, "registration", &out->reg, &out->has_reg, err)) ||
        (rc = area_field(w, p, "residence", &out->res, &out->has_res, err)))
        return rc;
    if ((rc = pol_array_field(w, p, "disability_grade", false, 1, 4, &a, err)))
        return rc;
    if (a) {
        int i = 0;
        pol_join(q, p, "disability_grade");
        for (const cJSON *c = a->child; c; c = c->next, i++) {
            pol_index_path(r, q, i);
            if ((rc = pol_int_value(c, r, 1, 4, &v, err)))
                return rc;
            if (out->grades & (1u << v))
                return pol_bad(err, r, "grade listed twice");
            out->grades |= 1u << v;
        }
    }
    return pol_enum_field(w, p, "care_home", false, care, POL_CARE_ANY, &out->care, err);
}

static int parse_benefit(const cJSON *b, const char *p, pol_rule *r, zc_err *err)
{
    static const char *const types[] = {"fixed_off", "percent_off", "fixed_price", "free", NULL};
    static const char *const f_fen[] = {"type", "fen", NULL};
    static const char *const f_pct[] = {"type", "percent", "cap_fen", NULL};
    static const char *const f_free[] = {"type", NULL};
    int64_t v = 0;
    bool has;
    int rc;
    if ((rc = pol_enum_field(b, p, "type", true, types, 0, &r->benefit, err)))
        return rc;
    switch (r->benefit) {
    case POL_FIXED_OFF:
    case POL_FIXED_PRICE:
        if ((rc = pol_known_fields(b, p, f_fen, err)) ||
            (rc = pol_int_field(b, p, "fen", true, r->benefit == POL_FIXED_OFF ? 1 : 0, ZC_FEN_MAX,
                            &v, NULL, err)))
            return rc;
        r->fen = v;
        break;
    case POL_PERCENT_OFF:
        if ((rc = pol_known_fields(b, p, f_pct, err)) ||
            (rc = pol_dec2_field(b, p, "percent", 100, 10000, &r->percent100, err)) ||
            (rc = pol_int_field(b, p, "cap_fen", false, 1, ZC_FEN_MAX, &v, &has, err)))
            return rc;
        r->cap_fen = has ? v : 0;
        break;
    default:
        if ((rc = pol_known_fields(b, p, f_free, err)))
            return rc;
    }
    return ZC_OK;
}

static int parse_limits(const cJSON *l, const char *p, pol_limits *lim, zc_err *err)
{
    static const char *const f[] = {"key",       "per_period_day", "per_day",      "per_week",
                                    "per_month", "cap_day_fen",    "cap_week_fen", "cap_month_fen",
                                    NULL};
    static const char *const counts[] = {"per_period_day", "per_day", "per_week", "per_month"};
    static const char *const caps[] = {"cap_day_fen", "cap_week_fen", "cap_month_fen"};
    int *cv[] = {&lim->per_period_day, &lim->per_day, &lim->per_week, &lim->per_month};
    zc_fen *capv[] = {&lim->cap_day, &lim->cap_week, &lim->cap_month};
    int64_t v = 0;
    bool has;
    int rc;
    if ((rc = pol_known_fields(l, p, f, err)) ||
        (rc = pol_str_field(l, p, "key", false, CS_ID, lim->key, sizeof lim->key, NULL, err)))
        return rc;
    for (int i = 0; i < 4; i++) {
        if ((rc = pol_int_field(l, p, counts[i], false, 1, 1000, &v, &has, err)))
            return rc;
        *cv[i] = has ? (int)v : 0;
    }
    for (int i = 0; i < 3; i++) {
        if ((rc = pol_int_field(l, p, caps[i], false, 1, ZC_FEN_MAX, &v, &has, err)))
            return rc;
        *capv[i] = has ? v : 0;
    }
    return ZC_OK;
}

static int parse_funding(const cJSON *a, const char *p, pol_rule *r, zc_err *err)
{
    static const char *const f[] = {"source", "fen", "pct", "rest", "only_if", NULL};
    static const char *const conds[] = {"always", "home_city", "home_district", "home_town", NULL};
    char q[POL_PATH_MAX], s[POL_PATH_MAX];
    int pct_sum = 0, i = 0;
    int64_t v = 0;
    int rc;
    for (const cJSON *c = a->child; c; c = c->next, i++) {
        pol_fund *fu = &r->fund[i];
        const cJSON *fen = pol_member(c, "fen"), *pct = pol_member(c, "pct"), *rest = pol_member(c, "rest");
        pol_index_path(q, p, i);
        if (!cJSON_IsObject(c))
            return pol_bad(err, q, "must be an object such as {\"source\":\"district\",\"rest\":true}");
        if ((rc = pol_known_fields(c, q, f, err)) ||
            (rc = pol_str_field(c, q, "source", true, CS_CODE, fu->source, ZC_CODE_MAX, NULL, err)))
            return rc;
        for (int j = 0; j < i; j++)
            if (strcmp(r->fund[j].source, fu->source) == 0)
                return zc_errf(err, ZC_EINVAL, "%s.source: \"%s\" already funds this rule; merge "
                               "the two entries", q, fu->source);
        if ((fen != NULL) + (pct != NULL) + (rest != NULL) != 1)
            return pol_bad(err, q, "needs exactly one of \"fen\", \"pct\" or \"rest\"");
        if (fen) {
            fu->kind = POL_FUND_FEN;
            if ((rc = pol_int_value(fen, pol_join(s, q, "fen"), 1, ZC_FEN_MAX, &v, err)))
                return rc;
            fu->fen = v;
        } else if (pct) {
            fu->kind = POL_FUND_PCT;
            if ((rc = pol_dec2_field(c, q, "pct", 1, 10000, &fu->pct100, err)))
                return rc;
            pct_sum += fu->pct100;
            if (pct_sum > 10000)
                return pol_bad(err, pol_join(s, q, "pct"), "the shares of this rule add up to more than 100");
        } else {
            fu->kind = POL_FUND_REST;
            if (!cJSON_IsTrue(rest))
                return pol_bad(err, pol_join(s, q, "rest"), "must be true (or leave it out)");
            if (c->next)
                return pol_bad(err, pol_join(s, q, "rest"),
                           "only the last funding entry may take the rest");
        }
        if ((rc = pol_enum_field(c, q, "only_if", false, conds, POL_IF_ALWAYS, &fu->only_if, err)))
            return rc;
    }
    r->nfund = i;
    return ZC_OK;
}

static int parse_rule(const cJSON *o, const char *p, zc_policy *pol, pol_rule *r, zc_err *err)
{
    static const char *const f[] = {"id",       "name",          "note",          "group",
                                    "canteens", "canteen_types", "issuing_canteen_only",
                                    "who",      "days",          "served",        "periods",
                                    "min_bill_fen", "min_bill_op", "items",       "benefit",
                                    "limits",   "funding",       NULL};
    static const char *const ops[] = {">=", ">", NULL};
    static const char *const items[] = {"eligible", "all", "one_eligible", "delivery_fee", NULL};
    static const char *const served[] = {"any", "dine_in", "delivered", NULL};
    char q[POL_PATH_MAX], s[POL_PATH_MAX], gid[ZC_CODE_MAX] = "";
    const cJSON *a;
    int64_t v = 0;
    int rc, op = 0;
    bool has;

    if (!cJSON_IsObject(o))
        return pol_bad(err, p, "must be an object");
    if ((rc = pol_known_fields(o, p, f, err)) ||
        (rc = pol_str_field(o, p, "id", true, CS_ID, r->id, sizeof r->id, NULL, err)) ||
        (rc = pol_str_field(o, p, "name", false, CS_TEXT, r->name, sizeof r->name, &has, err)) ||
        (rc = pol_note_field(o, p, err)))
        return rc;
    if (!has)
        memcpy(r->name, r->id, sizeof r->id); /* id is shorter, NUL-ended */

    /* group: a reference */
    if ((rc = pol_str_field(o, p, "group", true, CS_CODE, gid, sizeof gid, NULL, err)))
        return rc;
    r->group = -1;
    for (int i = 0; i < pol->ngroups; i++)
        if (strcmp(pol->groups[i].id, gid) == 0)
            r->group = i;
    if (r->group < 0)
        return zc_errf(err, ZC_EINVAL, "%s.group: \"%s\" is not one of the policy's groups", p, gid);

    /* where and when, besides who */
    if ((rc = parse_scope(o, p, &r->at, err)) ||
        (rc = parse_days(o, p, &r->days, err)) ||
        (rc = pol_enum_field(o, p, "served", false, served, POL_SERVED_ANY, &r->served, err)))
        return rc;
    a = pol_member(o, "issuing_canteen_only");
    if (a && !cJSON_IsBool(a))
        return pol_bad(err, pol_join(q, p, "issuing_canteen_only"), "must be true or false");
    r->issuing_only = cJSON_IsTrue(a);

    /* who: one object or an array of alternatives */
    a = pol_member(o, "who");
    pol_join(q, p, "who");
    if (cJSON_IsArray(a)) {
        int n = cJSON_GetArraySize(a), i = 0;
        if (n < 1 || n > POL_MAX_WHO)
            return zc_errf(err, ZC_EINVAL, "%s: needs 1 to %d alternatives", q, POL_MAX_WHO);
        for (const cJSON *c = a->child; c; c = c->next, i++)
            if ((rc = parse_who(c, pol_index_path(s, q, i), &r->who[i], err)))
                return rc;
        r->nwho = n;
    } else if (a) {
        if ((rc = parse_who(a, q, &r->who[0], err)))
            return rc;
        r->nwho = 1;
    }

    /* periods: references, default all */
    if ((rc = pol_array_field(o, p, "periods", false, 1, ZC_MAX_PERIODS, &a, err)))
        return rc;
    r->periods = a ? 0 : (1u << pol->nperiods) - 1;
    if (a) {
        int i = 0;
        pol_join(q, p, "periods");
        for (const cJSON *c = a->child; c; c = c->next, i++) {
            int k = -1;
            pol_index_path(s, q, i);
            if (!cJSON_IsString(c))
                return pol_bad(err, s, "must be a period id string");
            for (int j = 0; j < pol->nperiods; j++)
                if (strcmp(pol->periods[j].id, c->valuestring) == 0)
                    k = j;
            if (k < 0)
                return zc_errf(err, ZC_EINVAL, "%s: \"%.40s\" is not one of the policy's periods",
                               s, c->valuestring);
            if (r->periods & (1u << k))
                return zc_errf(err, ZC_EINVAL, "%s: \"%s\" is listed twice", s, c->valuestring);
            r->periods |= 1u << k;
        }
    }

    if ((rc = pol_int_field(o, p, "min_bill_fen", false, 0, ZC_FEN_MAX, &v, &has, err)) ||
        (rc = pol_enum_field(o, p, "min_bill_op", false, ops, 0, &op, err)) ||
        (rc = pol_enum_field(o, p, "items", false, items, POL_ITEMS_ELIGIBLE, &r->items, err)))
        return rc;
    r->min_bill = has ? v : 0;
    r->min_bill_gt = op == 1;
    if (pol_member(o, "min_bill_op") && !has)
        return pol_bad(err, pol_join(q, p, "min_bill_op"), "is given without min_bill_fen");
    if (r->items == POL_ITEMS_DELIVERY_FEE && r->served == POL_SERVED_DINE_IN)
        return pol_bad(err, pol_join(q, p, "served"), "is \"dine_in\" but a delivery fee is only "
                       "charged on delivered meals; leave \"served\" out");

    if ((rc = pol_object_field(o, p, "benefit", true, &a, err)) ||
        (rc = parse_benefit(a, pol_join(q, p, "benefit"), r, err)))
        return rc;

    /* the limit key defaults to the rule id (memcpy: gcc -O1 misreads snprintf here as overlapping) */
    size_t idn = strnlen(r->id, sizeof r->lim.key - 1);
    memcpy(r->lim.key, r->id, idn);
    r->lim.key[idn] = '\0';
    if ((rc = pol_object_field(o, p, "limits", false, &a, err)))
        return rc;
    if (a && (rc = parse_limits(a, pol_join(q, p, "limits"), &r->lim, err)))
        return rc;

    if ((rc = pol_array_field(o, p, "funding", true, 1, POL_MAX_FUNDING, &a, err)) ||
        (rc = parse_funding(a, pol_join(q, p, "funding"), r, err)))
        return rc;
    return ZC_OK;
}

static int parse_periods(const cJSON *root, zc_policy *pol, zc_err *err)
{
    static const char *const f[] = {"id", "name", "from", "to", NULL};
    const char *const fields[2] = {"from", "to"};
    char p[POL_PATH_MAX], q[POL_PATH_MAX];
    const cJSON *a;
    int rc, i = 0;
    if ((rc = pol_array_field(root, "", "periods", true, 1, ZC_MAX_PERIODS, &a, err)))
        return rc;
    for (const cJSON *c = a->child; c; c = c->next, i++) {
        zc_period *pe = &pol->periods[i];
        bool has;
        pol_index_path(p, "periods", i);
        if (!cJSON_IsObject(c))
            return pol_bad(err, p, "must be an object such as {\"id\":\"lunch\",\"from\":\"10:30\",\"to\":\"13:30\"}");
        if ((rc = pol_known_fields(c, p, f, err)) ||
            (rc = pol_str_field(c, p, "id", true, CS_CODE, pe->id, sizeof pe->id, NULL, err)) ||
            (rc = pol_str_field(c, p, "name", false, CS_TEXT, pe->name, sizeof pe->name, &has, err)))
            return rc;
        if (!has)
            memcpy(pe->name, pe->id, sizeof pe->id); /* id is shorter, NUL-ended */
        for (int k = 0; k < 2; k++) {
            const cJSON *t = pol_member(c, fields[k]);
            int *dst = k ? &pe->to_min : &pe->from_min;
            pol_join(q, p, fields[k]);
            if (!t)
                return pol_bad(err, q, "is required");
            if (!cJSON_IsString(t) || zc_hhmm_parse(t->valuestring, dst) != ZC_OK)
                return pol_bad(err, q, "must be a time written HH:MM, 00:00 to 24:00");
        }
        if (pe->from_min >= 1440)
            return pol_bad(err, pol_join(q, p, "from"), "must be before 24:00");
        if (pe->to_min <= pe->from_min)
            return pol_bad(err, pol_join(q, p, "to"),
                       "must be after \"from\"; windows cannot cross midnight, split them");
        for (int j = 0; j < i; j++) {
            const zc_period *o = &pol->periods[j];
            if (strcmp(o->id, pe->id) == 0)
                return zc_errf(err, ZC_EINVAL, "%s.id: \"%s\" is used twice", p, pe->id);
            if (pe->from_min < o->to_min && o->from_min < pe->to_min)
                return zc_errf(err, ZC_EINVAL, "%s: window overlaps periods[%d] (\"%s\")", p, j,
                               o->id);
        }
    }
    pol->nperiods = i;
    return ZC_OK;
}

static int parse_groups(const cJSON *root, zc_policy *pol, zc_err *err)
{
    static const char *const f[] = {"id", "combine", NULL};
    static const char *const comb[] = {"max", "sum", NULL};
    char p[POL_PATH_MAX];
    const cJSON *a;
    int rc, i = 0;
    if ((rc = pol_array_field(root, "", "groups", true, 1, POL_MAX_GROUPS, &a, err)))
        return rc;
    for (const cJSON *c = a->child; c; c = c->next, i++) {
        pol_group *g = &pol->groups[i];
        pol_index_path(p, "groups", i);
        if (!cJSON_IsObject(c))
            return pol_bad(err, p, "must be an object such as {\"id\":\"subsidy\",\"combine\":\"max\"}");
        if ((rc = pol_known_fields(c, p, f, err)) ||
            (rc = pol_str_field(c, p, "id", true, CS_CODE, g->id, sizeof g->id, NULL, err)) ||
            (rc = pol_enum_field(c, p, "combine", true, comb, 0, &g->combine, err)))
            return rc;
        for (int j = 0; j < i; j++)
            if (strcmp(pol->groups[j].id, g->id) == 0)
                return zc_errf(err, ZC_EINVAL, "%s.id: \"%s\" is used twice", p, g->id);
    }
    pol->ngroups = i;
    return ZC_OK;
}

static int parse_root(const cJSON *root, zc_policy *pol, zc_err *err)
{
    static const char *const f[] = {"policy", "version", "name",  "note",   "effective_from",
                                    "effective_to", "home", "canteens", "canteen_types",
                                    "periods", "groups", "rules", NULL};
    static const char *const homes[] = {"registration", "residence", NULL};
    char p[POL_PATH_MAX];
    const cJSON *a;
    int rc, i = 0, nfund = 0;

    if (!cJSON_IsObject(root))
        return zc_errf(err, ZC_EINVAL, "policy: the file must hold one JSON object");
    if ((rc = pol_known_fields(root, "", f, err)) ||
        (rc = pol_str_field(root, "", "policy", true, CS_ID, pol->id, sizeof pol->id, NULL, err)) ||
        (rc = pol_str_field(root, "", "version", true, CS_ID, pol->version, sizeof pol->version, NULL,
                        err)) ||
        (rc = pol_str_field(root, "", "name", true, CS_TEXT, pol->name, sizeof pol->name, NULL, err)) ||
        (rc = pol_note_field(root, "", err)) ||
        (rc = pol_date_field(root, "", "effective_from", true, &pol->from, err)) ||
        (rc = pol_date_field(root, "", "effective_to", false, &pol->to, err)) ||
        (rc = pol_enum_field(root, "", "home", false, homes, POL_HOME_REGISTRATION, &pol->home, err)))
        return rc;
    if (zc_date_is_set(pol->to) && zc_date_cmp(pol->to, pol->from) < 0)
        return pol_bad(err, "effective_to", "is before effective_from");
    if ((rc = parse_scope(root, "", &pol->at, err)))
        return rc;
    if ((rc = parse_periods(root, pol, err)) || (rc = parse_groups(root, pol, err)))
        return rc;

    if ((rc = pol_array_field(root, "", "rules", true, 0, ZC_MAX_RULES, &a, err)))
        return rc;
    for (const cJSON *c = a->child; c; c = c->next, i++) {
        pol_index_path(p, "rules", i);
        if ((rc = parse_rule(c, p, pol, &pol->rules[i], err)))
            return rc;
        for (int j = 0; j < i; j++)
            if (strcmp(pol->rules[j].id, pol->rules[i].id) == 0)
                return zc_errf(err, ZC_EINVAL, "%s.id: \"%s\" is used twice", p, pol->rules[i].id);
        nfund += pol->rules[i].nfund;
        if (nfund > ZC_MAX_PARTS)
            return zc_errf(err, ZC_EINVAL,
                           "%s.funding: the policy has more than %d funding entries in all", p,
                           ZC_MAX_PARTS);
    }
    pol->nrules = i;
    return ZC_OK;
}

int zc_policy_parse(const char *json, size_t len, zc_policy **out, zc_err *err)
{
    cJSON *root = NULL;
    zc_policy *pol = NULL;
    int rc;
    if (!json || !out)
        return zc_errf(err, ZC_EINVAL, "policy: nothing to parse");
    *out = NULL;
    if (len > POL_MAX_JSON) {
        rc = zc_errf(err, ZC_ETOOBIG, "policy: %zu bytes is over the 1 MiB limit", len);
        goto out;
    }
    if ((rc = pol_depth_ok(json, len, err)))
        goto out;
    const char *end = NULL;
    root = cJSON_ParseWithLengthOpts(json, len, &end, false);
    if (!root) {
        long off = end && end >= json && end <= json + len ? (long)(end - json) : 0;
        int line = 1;
        for (long k = 0; k < off; k++)
            line += json[k] == '\n';
        rc = zc_errf(err, ZC_EINVAL, "policy: not valid JSON near line %d (byte %ld)", line, off);
        goto out;
    }
    for (const char *t = end; t && t < json + len; t++)
        if (*t != ' ' && *t != '\n' && *t != '\r' && *t != '\t' && *t != '\0') {
            rc = zc_errf(err, ZC_EINVAL, "policy: text after the end of the JSON object");
            goto out;
        }
    pol = calloc(1, sizeof *pol);
    if (!pol) {
        rc = zc_errf(err, ZC_ENOMEM, "policy: out of memory");
        goto out;
    }
    if ((rc = parse_root(root, pol, err)))
        goto out;
    *out = pol;
    pol = NULL;
out:
    free(pol);
    cJSON_Delete(root);
    return rc;
}
