/* roster.c - checking roster CSV rows for the centre (see roster.h). */
#include "roster.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "../core/card.h"

static const struct {
    const char *name;
    bool required;
} cols[RC_NCOLS] = {
    [RC_ELDER_ID] = {"elder_id", true},      [RC_NAME] = {"name", true},
    [RC_ID_NUMBER] = {"id_number", false},   [RC_BIRTH] = {"birth_date", true},
    [RC_GENDER] = {"gender", false},         [RC_PHONE] = {"phone", false},
    [RC_REG_CITY] = {"reg_city", false},     [RC_REG_DISTRICT] = {"reg_district", false},
    [RC_REG_TOWN] = {"reg_town", false},     [RC_RES_CITY] = {"res_city", false},
    [RC_RES_DISTRICT] = {"res_district", false}, [RC_RES_TOWN] = {"res_town", false},
    [RC_CATEGORIES] = {"categories", false}, [RC_GRADE] = {"disability_grade", false},
    [RC_CARE_HOME] = {"care_home", false},   [RC_STATUS] = {"status", false},
    [RC_VALID_FROM] = {"valid_from", false}, [RC_VALID_TO] = {"valid_to", false},
    [RC_CARDS] = {"cards", false},
};

static const char *const status_names[] = {"active", "suspended", "deceased"};

const char *central_elder_status_name(zc_elder_status s)
{
    return (int)s >= 0 && (int)s < 3 ? status_names[s] : "active";
}

static char *trim(char *s)
{
    while (*s == ' ' || *s == '\t')
        s++;
    size_t n = strlen(s);
    while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t'))
        s[--n] = '\0';
    return s;
}

int central_roster_header_parse(char **fields, int n, central_roster_header *h, zc_err *err)
{
    for (int i = 0; i < RC_NCOLS; i++)
        h->map[i] = -1;
    h->nfields = n;
    for (int f = 0; f < n; f++) {
        char *name = trim(fields[f]);
        int k = -1;
        for (int i = 0; i < RC_NCOLS && k < 0; i++)
            if (strcasecmp(name, cols[i].name) == 0)
                k = i;
        if (k < 0)
            return zc_errf(err, ZC_EINVAL, "column \"%.60s\" is not known (a typo?); the columns are "
                           "listed in docs/roster.md", name);
        if (h->map[k] >= 0)
            return zc_errf(err, ZC_EINVAL, "column \"%s\" appears twice", cols[k].name);
        h->map[k] = f;
    }
    for (int i = 0; i < RC_NCOLS; i++)
        if (cols[i].required && h->map[i] < 0)
            return zc_errf(err, ZC_EINVAL, "the required column \"%s\" is missing", cols[i].name);
    return ZC_OK;
}

static bool id_char(char c)
{
    return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '-' ||
           c == '_' || c == '.';
}

static bool region_ok(const char *s)
{
    size_t n = strlen(s);
    if (n > 12)
        return false;
    for (size_t i = 0; i < n; i++)
        if (s[i] < '0' || s[i] > '9')
            return false;
    return true;
}

/* Phone: spaces and '-' dropped, an optional leading '+', 5 to 20 digits. */
static bool phone_norm(const char *in, char out[CENTRAL_PHONE_MAX])
{
    int n = 0, digits = 0;
    for (const char *p = in; *p; p++) {
        if (*p == ' ' || *p == '-')
            continue;
        if (!((*p >= '0' && *p <= '9') || (*p == '+' && n == 0)) || n >= CENTRAL_PHONE_MAX - 1)
            return false;
        digits += *p != '+';
        out[n++] = *p;
    }
    out[n] = '\0';
    return n == 0 || (digits >= 5 && digits <= 20);
}

static int date_field(const char *v, zc_date *out, zc_err *err)
{
    *out = (zc_date){0, 0, 0};
    if (*v && zc_date_parse(v, out) != ZC_OK)
        return zc_errf(err, ZC_EINVAL, "\"%.40s\" is not a date; write YYYY-MM-DD", v);
    return ZC_OK;
}

/* "UID[:status[:valid_to]];..." */
static int parse_cards(char *s, central_elder_row *r, zc_err *err)
{
    for (char *item = s; item && *item;) {
        char *next = strchr(item, ';');
        if (next)
            *next++ = '\0';
        char *uid = trim(item), *status = strchr(uid, ':'), *to = NULL;
        if (status) {
            *status++ = '\0';
            if ((to = strchr(status, ':')))
                *to++ = '\0';
        }
        item = next;
        uid = trim(uid);
        if (!*uid)
            continue;
        if (r->ncards == CENTRAL_MAX_CARDS)
            return zc_errf(err, ZC_EINVAL, "more than %d cards for one elder", CENTRAL_MAX_CARDS);
        central_card *c = &r->cards[r->ncards];
        memset(c, 0, sizeof *c);
        uint64_t v;
        zc_err why;
        if (zc_card_uid_parse(uid, &v, &why) != ZC_OK)
            return zc_errf(err, ZC_EINVAL, "\"%.20s\": %s", uid, why.msg);
        zc_card_uid_fmt(v, c->uid, sizeof c->uid);
        status = status ? trim(status) : "";
        if (!*status)
            status = "active";
        if (strcmp(status, "active") && strcmp(status, "lost") && strcmp(status, "blocked"))
            return zc_errf(err, ZC_EINVAL, "card %s: status \"%.20s\" must be active, lost or "
                           "blocked", c->uid, status);
        snprintf(c->status, sizeof c->status, "%s", status);
        if (to && date_field(trim(to), &c->valid_to, err) != ZC_OK)
            return zc_errf(err, ZC_EINVAL, "card %s: \"%.20s\" is not a date; write YYYY-MM-DD",
                           c->uid, to);
        memcpy(c->elder_id, r->e.id, sizeof c->elder_id); /* both ZC_ID_MAX */
        for (int i = 0; i < r->ncards; i++)
            if (strcmp(r->cards[i].uid, c->uid) == 0)
                return zc_errf(err, ZC_EINVAL, "card %s is listed twice", c->uid);
        r->ncards++;
    }
    return ZC_OK;
}

/* The column's trimmed value, "" when the file lacks the column. */
static const char *get(const central_roster_header *h, char **fields, enum central_roster_col k)
{
    return h->map[k] >= 0 ? trim(fields[h->map[k]]) : "";
}

int central_roster_row_parse(const central_roster_header *h, char **fields, int n, const char *salt,
                             central_elder_row *r, bool *blank, const char **field, zc_err *err)
{
    zc_elder *e = &r->e;
    const char *v;
    memset(r, 0, sizeof *r);
    *field = NULL;
    *blank = true;
    for (int f = 0; f < n; f++)
        *blank &= *trim(fields[f]) == '\0';
    if (*blank)
        return ZC_OK;
    if (n != h->nfields)
        return zc_errf(err, ZC_EINVAL, "has %d fields but the header has %d; a field with a comma "
                       "needs quotes", n, h->nfields);
    *field = "elder_id";
    v = get(h, fields, RC_ELDER_ID);
    if (!*v || strlen(v) >= sizeof e->id)
        return zc_errf(err, ZC_EINVAL, "must be 1 to %d characters", (int)sizeof e->id - 1);
    for (const char *p = v; *p; p++)
        if (!id_char(*p))
            return zc_errf(err, ZC_EINVAL, "\"%s\" may hold only letters, digits, '-', '_' and '.'", v);
    snprintf(e->id, sizeof e->id, "%s", v);
    *field = "name";
    v = get(h, fields, RC_NAME);
    if (!*v || strlen(v) >= sizeof e->name)
        return zc_errf(err, ZC_EINVAL, "must be 1 to %d bytes", (int)sizeof e->name - 1);
    for (const unsigned char *p = (const unsigned char *)v; *p; p++)
        if (*p < 0x20 || *p == 0x7f)
            return zc_errf(err, ZC_EINVAL, "holds a control character");
    snprintf(e->name, sizeof e->name, "%s", v);
    *field = "birth_date";
    v = get(h, fields, RC_BIRTH);
    if (!*v || zc_date_parse(v, &e->birth) != ZC_OK)
        return zc_errf(err, ZC_EINVAL, "\"%.40s\" is not a date; write YYYY-MM-DD", v);
    *field = "id_number";
    v = get(h, fields, RC_ID_NUMBER);
    if (*v) {
        zc_date b;
        char up[20];
        if (zc_idnum_check(v, err) != ZC_OK)
            return ZC_EINVAL;
        if (zc_idnum_birth(v, &b) == ZC_OK && zc_date_cmp(b, e->birth) != 0) {
            *field = "birth_date";
            return zc_errf(err, ZC_EINVAL, "differs from the birth date in id_number");
        }
        snprintf(up, sizeof up, "%s", v);
        if (up[17] == 'x')
            up[17] = 'X';
        zc_idnum_hash(salt, up, r->id_hash);
        snprintf(r->id_last4, sizeof r->id_last4, "%.4s", up + 14);
        r->gender = ((up[16] - '0') % 2) ? 'M' : 'F';
    }
    *field = "gender";
    v = get(h, fields, RC_GENDER);
    char g = 0;
    if (!strcmp(v, "M") || !strcmp(v, "m") || !strcmp(v, "男"))
        g = 'M';
    else if (!strcmp(v, "F") || !strcmp(v, "f") || !strcmp(v, "女"))
        g = 'F';
    else if (*v)
        return zc_errf(err, ZC_EINVAL, "\"%.20s\" must be M or F", v);
    if (g && r->gender && g != r->gender)
        return zc_errf(err, ZC_EINVAL, "%c does not match the ID number", g);
    if (!r->gender)
        r->gender = g;
    *field = "phone";
    v = get(h, fields, RC_PHONE);
    if (!phone_norm(v, r->phone))
        return zc_errf(err, ZC_EINVAL, "\"%.30s\" is not a phone number (5 to 20 digits)", v);
    struct {
        enum central_roster_col k;
        char *dst;
    } regions[] = {
        {RC_REG_CITY, e->reg_city}, {RC_REG_DISTRICT, e->reg_district}, {RC_REG_TOWN, e->reg_town},
        {RC_RES_CITY, e->res_city}, {RC_RES_DISTRICT, e->res_district}, {RC_RES_TOWN, e->res_town},
    };
    for (size_t i = 0; i < sizeof regions / sizeof regions[0]; i++) {
        *field = cols[regions[i].k].name;
        v = get(h, fields, regions[i].k);
        if (!region_ok(v))
            return zc_errf(err, ZC_EINVAL, "\"%.20s\" is not a region code (up to 12 digits)", v);
        snprintf(regions[i].dst, ZC_CODE_MAX, "%s", v);
    }
    *field = "categories";
    if (zc_cats_parse(get(h, fields, RC_CATEGORIES), e->cats, ZC_MAX_CATS, &e->ncats, err) != ZC_OK)
        return ZC_EINVAL;
    *field = "disability_grade";
    v = get(h, fields, RC_GRADE);
    if (*v) {
        char *end = NULL;
        errno = 0;
        long gr = strtol(v, &end, 10);
        if (errno || end == v || *end || gr < 0 || gr > 4)
            return zc_errf(err, ZC_EINVAL, "\"%.20s\" must be a number from 0 (none) to 4", v);
        e->disability_grade = (int)gr;
    }
    *field = "care_home";
    v = get(h, fields, RC_CARE_HOME);
    if (*v && strcmp(v, "0") && strcmp(v, "1"))
        return zc_errf(err, ZC_EINVAL, "\"%.20s\" must be 0 or 1", v);
    e->care_home = strcmp(v, "1") == 0;
    *field = "status";
    v = get(h, fields, RC_STATUS);
    e->status = ZC_ELDER_ACTIVE;
    if (!strcmp(v, "suspended"))
        e->status = ZC_ELDER_SUSPENDED;
    else if (!strcmp(v, "deceased"))
        e->status = ZC_ELDER_DECEASED;
    else if (*v && strcmp(v, "active"))
        return zc_errf(err, ZC_EINVAL, "\"%.20s\" must be active, suspended or deceased", v);
    *field = "valid_from";
    if (date_field(get(h, fields, RC_VALID_FROM), &e->valid_from, err))
        return ZC_EINVAL;
    *field = "valid_to";
    if (date_field(get(h, fields, RC_VALID_TO), &e->valid_to, err))
        return ZC_EINVAL;
    if (e->valid_from.y && e->valid_to.y && zc_date_cmp(e->valid_from, e->valid_to) > 0)
        return zc_errf(err, ZC_EINVAL, "is before valid_from");
    *field = "cards";
    char cards[512];
    v = get(h, fields, RC_CARDS);
    if (strlen(v) >= sizeof cards)
        return zc_errf(err, ZC_EINVAL, "is longer than %d bytes", (int)sizeof cards - 1);
    snprintf(cards, sizeof cards, "%s", v);
    if (parse_cards(cards, r, err))
        return ZC_EINVAL;
    *field = NULL;
    return ZC_OK;
}

static int card_cmp(const void *a, const void *b)
{
    return strcmp(((const central_card *)a)->uid, ((const central_card *)b)->uid);
}

void central_roster_fingerprint(const central_elder_row *r, char out[ZC_SHA256_HEX])
{
    const zc_elder *e = &r->e;
    central_card cards[CENTRAL_MAX_CARDS];
    char cats[ZC_MAX_CATS * (ZC_CODE_MAX + 4)], d[16], g[2] = {r->gender, 0};
    zc_canon b = {0};
    int n = r->ncards < CENTRAL_MAX_CARDS ? r->ncards : CENTRAL_MAX_CARDS;
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
