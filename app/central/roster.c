/* roster.c - roster rows as the centre holds them (roster.h). */
#include "roster.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../core/card.h"

static const char *const status_names[] = {"active", "suspended", "deceased"};

const char *central_elder_status_name(zc_elder_status s)
{
    return (int)s >= 0 && (int)s < 3 ? status_names[s] : "active";
}

int central_roster_row(const zc_roster_row *in, const char *salt, central_elder_row *r,
                       const char **field, zc_err *err)
{
    memset(r, 0, sizeof *r);
    r->e = in->e;
    r->gender = in->gender;
    int ret = zc_roster_elder_check(&in->e, in->id_number, in->phone, r->phone, &r->gender, field,
                                    err);
    if (ret)
        return ret;
    if (*in->id_number)
        zc_roster_idnum_fill(salt, in->id_number, r->id_hash, r->id_last4);
    for (int i = 0; i < in->ncards; i++) {
        central_card *c = &r->cards[i];
        zc_card_uid_fmt(in->cards[i].uid, c->uid, sizeof c->uid);
        memcpy(c->elder_id, r->e.id, sizeof c->elder_id); /* both ZC_ID_MAX */
        snprintf(c->status, sizeof c->status, "%s", in->cards[i].status);
        c->valid_to = in->cards[i].valid_to;
    }
    r->ncards = in->ncards;
    return ZC_OK;
}

static int card_cmp(const void *a, const void *b)
{
    return strcmp(((const central_card *)a)->uid, ((const central_card *)b)->uid);
}

void central_roster_fingerprint(const central_elder_row *r, char out[ZC_SHA256_HEX])
{
    const zc_elder *e = &r->e;
    central_card cards[ZC_ROSTER_MAX_CARDS];
    char cats[ZC_MAX_CATS * (ZC_CODE_MAX + 4)], d[16], g[2] = {r->gender, 0};
    zc_canon b = {0};
    int n = r->ncards < ZC_ROSTER_MAX_CARDS ? r->ncards : ZC_ROSTER_MAX_CARDS;
    memcpy(cards, r->cards, sizeof cards[0] * (size_t)n);
    qsort(cards, (size_t)n, sizeof cards[0], card_cmp);
    zc_buf_put(&b, "zhucan-elder-v1\n", 16);
    zc_canon_kv(&b, "id", e->id);
    zc_canon_kv(&b, "name", e->name);
    zc_canon_kv(&b, "birth", zc_date_fmt(e->birth, d, sizeof d));
    zc_canon_kv(&b, "gender", g);
    zc_canon_kv(&b, "phone", r->phone);
    zc_canon_kv(&b, "id_hash", r->id_hash);
    zc_canon_kv(&b, "id_last4", r->id_last4);
    const char *regions[] = {e->reg_city, e->reg_district, e->reg_town,
                             e->res_city, e->res_district, e->res_town};
    for (int i = 0; i < 6; i++)
        zc_canon_kv(&b, "region", regions[i]);
    zc_canon_kv(&b, "categories", zc_cats_fmt(e->cats, e->ncats, cats, sizeof cats));
    zc_canon_kn(&b, "grade", e->disability_grade);
    zc_canon_kn(&b, "care_home", e->care_home);
    zc_canon_kv(&b, "status", central_elder_status_name(e->status));
    zc_canon_kv(&b, "valid_from", e->valid_from.y ? zc_date_fmt(e->valid_from, d, sizeof d) : "");
    zc_canon_kv(&b, "valid_to", e->valid_to.y ? zc_date_fmt(e->valid_to, d, sizeof d) : "");
    for (int i = 0; i < n; i++) {
        zc_canon_kv(&b, "card", cards[i].uid);
        zc_canon_kv(&b, "card_status", cards[i].status);
        zc_canon_kv(&b, "card_from",
                    cards[i].valid_from.y ? zc_date_fmt(cards[i].valid_from, d, sizeof d) : "");
        zc_canon_kv(&b, "card_to", cards[i].valid_to.y ? zc_date_fmt(cards[i].valid_to, d, sizeof d) : "");
    }
    if (zc_canon_hash(&b, out) != ZC_OK)
        out[0] = '\0'; /* out of memory: "" never equals a stored fingerprint, so it is rewritten */
}
