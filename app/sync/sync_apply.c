/* sync_apply.c - applying what the terminal pulls from the centre: its
 * configuration and policy pages (roster pages: sync_roster.c), decoded
 * and checked here and stored by app/store/pull.c.
 *
 * Each page is applied in ONE write transaction together with its cursor
 * (meta policy_cursor): either the whole page and the new cursor are
 * stored, or - on any bad field, constraint or full disk - nothing, and the
 * same page is asked for again next round. */
#include "sync_int.h"

#include <stdlib.h>
#include <string.h>

#define CURSOR_MAX STORE_CURSOR_MAX

bool sync_is_hex(const char *s, size_t min, size_t max)
{
    size_t n = strlen(s);
    if (n < min || n > max)
        return false;
    for (size_t i = 0; i < n; i++)
        if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f')))
            return false;
    return true;
}

int sync_page_cursor(const cJSON *page, const char *what, char *buf, size_t n, zc_err *err)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(page, "next");
    if (cJSON_IsNumber(v)) {
        int64_t x;
        int ret = sync_json_int(page, "next", 0, INT64_MAX, true, &x, what, err);
        if (ret == ZC_OK)
            snprintf(buf, n, "%lld", (long long)x);
        return ret;
    }
    if (!cJSON_IsString(v))
        return zc_errf(err, ZC_EINVAL, "%s.next: must be the cursor (a string)", what);
    return sync_json_str(page, "next", buf, n, false, what, err); /* "" = from the start */
}

/* ---- configuration ---- */

int sync_apply_config(store_t *st, const cJSON *cfg, const char *terminal_id, bool *salt_changed,
                      zc_err *err)
{
    char tid[ZC_ID_MAX], salt[ZC_SHA256_HEX], pk[80], fmt[16];
    zc_canteen c;
    zc_card_fmt f;
    const cJSON *cc = cJSON_GetObjectItemCaseSensitive(cfg, "canteen");
    int ret;
    *salt_changed = false;
    memset(&c, 0, sizeof c);
    if ((ret = sync_json_str(cfg, "terminal_id", tid, sizeof tid, true, "config", err)))
        return ret;
    if (strcmp(tid, terminal_id) != 0)
        return zc_errf(err, ZC_EREFUSED, "the centre knows this token as terminal %s, but this "
                       "terminal is %s; fix terminal_id or the token", tid, terminal_id);
    if (!cJSON_IsObject(cc))
        return zc_errf(err, ZC_EINVAL, "config.canteen: must be an object");
    if ((ret = sync_json_str(cc, "id", c.id, sizeof c.id, true, "config.canteen", err)) ||
        (ret = sync_json_str(cc, "name", c.name, sizeof c.name, true, "config.canteen", err)) ||
        (ret = sync_json_str(cc, "city", c.city, sizeof c.city, false, "config.canteen", err)) ||
        (ret = sync_json_str(cc, "district", c.district, sizeof c.district, false, "config.canteen",
                             err)) ||
        (ret = sync_json_str(cc, "town", c.town, sizeof c.town, false, "config.canteen", err)) ||
        (ret = sync_json_str(cfg, "id_salt", salt, sizeof salt, false, "config", err)) ||
        (ret = sync_json_str(cfg, "qr_pubkey", pk, sizeof pk, false, "config", err)) ||
        (ret = sync_json_str(cfg, "card_format", fmt, sizeof fmt, false, "config", err)))
        return ret;
    if (salt[0] && !sync_is_hex(salt, 16, 64))
        return zc_errf(err, ZC_EINVAL, "config.id_salt: must be 16 to 64 lower-case hex digits");
    if (pk[0] && !sync_is_hex(pk, 64, 64))
        return zc_errf(err, ZC_EINVAL, "config.qr_pubkey: must be 64 lower-case hex digits");
    if (fmt[0] && zc_card_fmt_parse(fmt, &f) != ZC_OK)
        return zc_errf(err, ZC_EINVAL, "config.card_format: \"%s\" is not hex10, dec10, dec8 or "
                       "facility", fmt);
    return store_pull_config(st, &c, salt, pk, fmt, salt_changed, err);
}

/* ---- policies ---- */

/* Stores policies[i] unless the same text is already there. */
static int put_policy(store_t *st, const cJSON *o, const char *path, long *n, zc_err *err)
{
    char id[ZC_ID_MAX], version[ZC_ID_MAX];
    const cJSON *text = cJSON_GetObjectItemCaseSensitive(o, "json");
    zc_policy *pol = NULL;
    zc_err why;
    int ret;
    if (!cJSON_IsObject(o))
        return zc_errf(err, ZC_EINVAL, "%s: must be an object", path);
    if ((ret = sync_json_str(o, "policy", id, sizeof id, true, path, err)) ||
        (ret = sync_json_str(o, "version", version, sizeof version, true, path, err)))
        return ret;
    if (!cJSON_IsString(text) || !text->valuestring)
        return zc_errf(err, ZC_EINVAL, "%s.json: must be the policy text as a string", path);
    size_t len = strlen(text->valuestring);
    if (zc_policy_parse(text->valuestring, len, &pol, &why) != ZC_OK)
        return zc_errf(err, ZC_EINVAL, "%s.json: policy %s %s: %s", path, id, version, why.msg);
    if (strcmp(zc_policy_id(pol), id) != 0 || strcmp(zc_policy_version(pol), version) != 0) {
        ret = zc_errf(err, ZC_EINVAL, "%s: the text is policy %s version %s, not %s %s", path,
                      zc_policy_id(pol), zc_policy_version(pol), id, version);
        goto out;
    }
    ret = store_pull_policy(st, path, pol, text->valuestring, len, n, err);
out:
    zc_policy_free(pol);
    return ret;
}

/* Stores the page's "calendar" (optional: the centre has none published)
 * unless that version is already here. */
static int put_calendar(store_t *st, const cJSON *page, zc_err *err)
{
    const cJSON *o = cJSON_GetObjectItemCaseSensitive(page, "calendar");
    const cJSON *text = cJSON_GetObjectItemCaseSensitive(o, "json");
    zc_calendar *cal = NULL;
    zc_err why;
    bool added;
    int ret;
    if (!o || cJSON_IsNull(o))
        return ZC_OK;
    if (!cJSON_IsObject(o) || !cJSON_IsString(text) || !text->valuestring)
        return zc_errf(err, ZC_EINVAL, "calendar: must be an object with the calendar text as "
                       "\"json\"");
    if (zc_calendar_parse(text->valuestring, strlen(text->valuestring), &cal, &why) != ZC_OK)
        return zc_errf(err, ZC_EINVAL, "calendar.json: %s", why.msg);
    ret = store_calendar_put(st, cal, text->valuestring, strlen(text->valuestring), &added, err);
    zc_calendar_free(cal);
    return ret;
}

int sync_apply_policies(store_t *st, const cJSON *page, long *n, zc_err *err)
{
    const cJSON *list = cJSON_GetObjectItemCaseSensitive(page, "policies"), *o;
    char next[CURSOR_MAX], path[32];
    long added = 0;
    zc_err e = {""};
    int i = 0, ret;
    if (!cJSON_IsArray(list)) {
        ret = zc_errf(&e, ZC_EINVAL, "\"policies\" must be a list");
        goto out;
    }
    if ((ret = sync_page_cursor(page, "policies", next, sizeof next, &e)) ||
        (ret = store_pull_begin(st, "the policy page", &e)))
        goto out;
    cJSON_ArrayForEach(o, list)
    {
        snprintf(path, sizeof path, "policies[%d]", i++);
        if ((ret = put_policy(st, o, path, &added, &e)))
            goto out;
    }
    if ((ret = put_calendar(st, page, &e)) || (ret = store_meta_put(st, "policy_cursor", next, &e)))
        goto out;
    ret = store_pull_commit(st, "the policy page", &e);
out:
    if (ret) {
        store_pull_rollback(st);
        (void)zc_errf(err, ret, "the centre's policy page was not applied (nothing of it was "
                      "stored): %s", e.msg);
    } else {
        *n += added;
    }
    return ret;
}
