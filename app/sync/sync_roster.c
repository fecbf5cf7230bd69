/* sync_roster.c - roster pages from the centre decoded from JSON; applying
 * them (elders, cards, the blacklist) and the bulk load of a first pull
 * into an empty terminal are app/store/roster_apply.c's.
 *
 * Decoding and applying are apart so they can run on two threads: the
 * page after the one being applied is fetched, parsed and decoded (every
 * field checked, the cJSON tree freed) by a helper thread (sync_round.c),
 * while the worker's thread only writes.  Elders' ID-number hashes and last
 * four come from the centre as they are (the terminal never sees an ID
 * number from the centre). */
#include "sync_int.h"

#include <stdlib.h>
#include <string.h>

_Static_assert(sizeof ((store_card *)0)->elder_id == sizeof ((zc_elder *)0)->id, "elder ids");

/* ---- decoding ---- */

/* Reads "categories" as "a;b:2" or as a list of such codes. */
static int read_cats(const cJSON *o, zc_elder *e, const char *path, zc_err *err)
{
    char text[ZC_MAX_CATS * (ZC_CODE_MAX + 4)] = "";
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, "categories"), *it;
    zc_err why;
    size_t len = 0;
    if (cJSON_IsArray(v)) {
        cJSON_ArrayForEach(it, v)
        {
            if (!cJSON_IsString(it) || !it->valuestring)
                return zc_errf(err, ZC_EINVAL, "%s.categories: must hold strings", path);
            int w = snprintf(text + len, sizeof text - len, "%s%s", len ? ";" : "", it->valuestring);
            if (w < 0 || (size_t)w >= sizeof text - len)
                return zc_errf(err, ZC_EINVAL, "%s.categories: too many", path);
            len += (size_t)w;
        }
    } else {
        int ret = sync_json_str(o, "categories", text, sizeof text, false, path, err);
        if (ret)
            return ret;
    }
    if (zc_cats_parse(text, e->cats, ZC_MAX_CATS, &e->ncats, &why) != ZC_OK)
        return zc_errf(err, ZC_EINVAL, "%s.categories: %s", path, why.msg);
    return ZC_OK;
}

/* Parses elders[i] (path names it) into *p. */
static int read_elder(const cJSON *o, store_pulled_elder *p, const char *path, zc_err *err)
{
    static const char *const regions[6] = {"reg_city", "reg_district", "reg_town",
                                           "res_city", "res_district", "res_town"};
    static const char *const statuses[3] = {"active", "suspended", "deceased"};
    zc_elder *e = &p->e;
    char *region[6] = {e->reg_city, e->reg_district, e->reg_town,
                       e->res_city, e->res_district, e->res_town};
    char status[16];
    int64_t grade;
    int ret;
    memset(p, 0, sizeof *p);
    if (!cJSON_IsObject(o))
        return zc_errf(err, ZC_EINVAL, "%s: must be an object", path);
    /* the CSV's column names; "id"/"birth" accepted as well */
    if (cJSON_GetObjectItemCaseSensitive(o, "elder_id"))
        ret = sync_json_str(o, "elder_id", e->id, sizeof e->id, true, path, err);
    else
        ret = sync_json_str(o, "id", e->id, sizeof e->id, true, path, err);
    if (ret || (ret = sync_json_str(o, "name", e->name, sizeof e->name, true, path, err)))
        return ret;
    if ((ret = sync_json_date(o, cJSON_GetObjectItemCaseSensitive(o, "birth_date") ? "birth_date"
                                                                                  : "birth",
                              &e->birth, path, err)))
        return ret;
    for (int i = 0; i < 6; i++)
        if ((ret = sync_json_str(o, regions[i], region[i], ZC_CODE_MAX, false, path, err)))
            return ret;
    if ((ret = read_cats(o, e, path, err)) ||
        (ret = sync_json_int(o, "disability_grade", 0, 4, false, &grade, path, err)) ||
        (ret = sync_json_bool(o, "care_home", &e->care_home, path, err)) ||
        (ret = sync_json_str(o, "status", status, sizeof status, false, path, err)) ||
        (ret = sync_json_date(o, "valid_from", &e->valid_from, path, err)) ||
        (ret = sync_json_date(o, "valid_to", &e->valid_to, path, err)) ||
        (ret = sync_json_str(o, "gender", p->gender, sizeof p->gender, false, path, err)) ||
        (ret = sync_json_str(o, "id_hash", p->id_hash, sizeof p->id_hash, false, path, err)) ||
        (ret = sync_json_str(o, "id_last4", p->id_last4, sizeof p->id_last4, false, path, err)) ||
        (ret = sync_json_str(o, "phone", p->phone, sizeof p->phone, false, path, err)))
        return ret;
    e->disability_grade = (int)grade;
    e->status = (zc_elder_status)-1;
    for (int i = 0; i < 3; i++)
        if (!status[0] || strcmp(status, statuses[i]) == 0)
            e->status = status[0] ? (zc_elder_status)i : ZC_ELDER_ACTIVE;
    if ((int)e->status < 0)
        return zc_errf(err, ZC_EINVAL, "%s.status: \"%s\" must be active, suspended or deceased",
                       path, status);
    if (p->gender[0] && strcmp(p->gender, "M") != 0 && strcmp(p->gender, "F") != 0)
        return zc_errf(err, ZC_EINVAL, "%s.gender: must be M, F or empty", path);
    if (p->id_hash[0] && !sync_is_hex(p->id_hash, 64, 64))
        return zc_errf(err, ZC_EINVAL, "%s.id_hash: must be 64 lower-case hex digits", path);
    if (p->id_last4[0]) {
        const char *l = p->id_last4;
        bool ok = strlen(l) == 4;
        for (int i = 0; ok && i < 4; i++)
            ok = (l[i] >= '0' && l[i] <= '9') || (i == 3 && l[i] == 'X');
        if (!ok)
            return zc_errf(err, ZC_EINVAL, "%s.id_last4: must be 4 digits (the last may be X)", path);
    }
    return ZC_OK;
}

/* Decodes the "cards" list v of an elder (path names it) onto the page. */
static int read_cards(sync_roster_page *pg, store_pulled_elder *p, const cJSON *v, const char *path,
                      zc_err *err)
{
    static const char *const statuses[3] = {"active", "lost", "blocked"};
    const cJSON *it;
    char cpath[96], uid[24], status[16];
    int i = 0, ret;
    if (!cJSON_IsArray(v))
        return zc_errf(err, ZC_EINVAL, "%s.cards: must be a list", path);
    p->has_cards = true;
    p->card0 = pg->ncards;
    cJSON_ArrayForEach(it, v)
    {
        store_card c;
        zc_err why;
        memset(&c, 0, sizeof c);
        snprintf(cpath, sizeof cpath, "%s.cards[%d]", path, i++);
        if (!cJSON_IsObject(it))
            return zc_errf(err, ZC_EINVAL, "%s: must be an object", cpath);
        if ((ret = sync_json_str(it, "uid", uid, sizeof uid, true, cpath, err)) ||
            (ret = sync_json_str(it, "status", status, sizeof status, false, cpath, err)) ||
            (ret = sync_json_date(it, "valid_from", &c.valid_from, cpath, err)) ||
            (ret = sync_json_date(it, "valid_to", &c.valid_to, cpath, err)))
            return ret;
        if (zc_card_uid_parse(uid, &c.uid, &why) != ZC_OK)
            return zc_errf(err, ZC_EINVAL, "%s.uid: %s", cpath, why.msg);
        c.status = (store_card_status)-1;
        for (int k = 0; k < 3; k++)
            if (!status[0] || strcmp(status, statuses[k]) == 0)
                c.status = status[0] ? (store_card_status)k : STORE_CARD_ACTIVE;
        if ((int)c.status < 0)
            return zc_errf(err, ZC_EINVAL, "%s.status: \"%s\" must be active, lost or blocked", cpath,
                           status);
        memcpy(c.elder_id, p->e.id, sizeof c.elder_id);
        if (pg->ncards == pg->cap) {
            int cap = pg->cap ? pg->cap * 2 : 1024;
            store_card *m = realloc(pg->cards, sizeof *m * (size_t)cap);
            if (!m)
                return zc_errf(err, ZC_ENOMEM, "out of memory reading the roster");
            pg->cards = m;
            pg->cap = cap;
        }
        pg->cards[pg->ncards++] = c;
        p->ncards++;
    }
    return ZC_OK;
}

void sync_roster_page_free(sync_roster_page *pg)
{
    if (!pg)
        return;
    free(pg->el);
    free(pg->cards);
    free(pg);
}

int sync_roster_decode(const cJSON *page, sync_roster_page **out, zc_err *err)
{
    const cJSON *list = cJSON_GetObjectItemCaseSensitive(page, "elders"), *o;
    sync_roster_page *pg = calloc(1, sizeof *pg);
    char path[48];
    zc_err e = {""}, ignore;
    int i = 0, ret = ZC_OK;
    *out = NULL;
    if (!pg) {
        ret = zc_errf(&e, ZC_ENOMEM, "out of memory");
        goto out;
    }
    if (!cJSON_IsArray(list)) {
        ret = zc_errf(&e, ZC_EINVAL, "\"elders\" must be a list");
        goto out;
    }
    if ((ret = sync_page_cursor(page, "roster", pg->next, sizeof pg->next, &e)))
        goto out;
    if (sync_json_bool(page, "more", &pg->more, "", &ignore) != ZC_OK)
        pg->more = false;
    int n = cJSON_GetArraySize(list);
    if (n > 0 && !(pg->el = calloc((size_t)n, sizeof *pg->el))) {
        ret = zc_errf(&e, ZC_ENOMEM, "out of memory");
        goto out;
    }
    cJSON_ArrayForEach(o, list)
    {
        store_pulled_elder *p = &pg->el[i];
        snprintf(path, sizeof path, "elders[%d]", i++);
        if ((ret = read_elder(o, p, path, &e)))
            goto out;
        const cJSON *cl = cJSON_GetObjectItemCaseSensitive(o, "cards");
        if (cl && !cJSON_IsNull(cl) && (ret = read_cards(pg, p, cl, path, &e)))
            goto out;
        pg->n = i;
    }
out:
    if (ret) {
        sync_roster_page_free(pg);
        return zc_errf(err, ret, "the centre's roster page was not applied (nothing of it was "
                       "stored): %s", e.msg);
    }
    *out = pg;
    return ZC_OK;
}

bool sync_roster_page_more(const sync_roster_page *pg, const char **next)
{
    *next = pg->next;
    return pg->more;
}
