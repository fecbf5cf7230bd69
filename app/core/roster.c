/* roster.c - reading and checking roster CSV rows (roster.h). */
#include "roster.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "card.h"

static const struct {
    const char *name;
    bool required;
} cols[ZC_RC_NCOLS] = {
    [ZC_RC_ELDER_ID] = {"elder_id", true},       [ZC_RC_NAME] = {"name", true},
    [ZC_RC_ID_NUMBER] = {"id_number", false},    [ZC_RC_BIRTH] = {"birth_date", true},
    [ZC_RC_GENDER] = {"gender", false},          [ZC_RC_PHONE] = {"phone", false},
    [ZC_RC_REG_CITY] = {"reg_city", false},      [ZC_RC_REG_DISTRICT] = {"reg_district", false},
    [ZC_RC_REG_TOWN] = {"reg_town", false},      [ZC_RC_RES_CITY] = {"res_city", false},
    [ZC_RC_RES_DISTRICT] = {"res_district", false}, [ZC_RC_RES_TOWN] = {"res_town", false},
    [ZC_RC_CATEGORIES] = {"categories", false},  [ZC_RC_GRADE] = {"disability_grade", false},
    [ZC_RC_CARE_HOME] = {"care_home", false},    [ZC_RC_STATUS] = {"status", false},
    [ZC_RC_VALID_FROM] = {"valid_from", false},  [ZC_RC_VALID_TO] = {"valid_to", false},
    [ZC_RC_CARDS] = {"cards", false},
};

void zc_roster_bad(zc_roster_report *rep, long line, const char *field, const char *fmt, ...)
{
    char why[256], msg[sizeof rep->first];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(why, sizeof why, fmt, ap);
    va_end(ap);
    if (field)
        snprintf(msg, sizeof msg, "line %ld: %s: %s", line, field, why);
    else
        snprintf(msg, sizeof msg, "line %ld: %s", line, why);
    if (!rep->first[0])
        snprintf(rep->first, sizeof rep->first, "%s", msg);
    if (rep->out)
        fprintf(rep->out, "%s\n", msg);
    if (rep->line_bad != line) {
        rep->line_bad = line;
        rep->bad_rows++;
    }
}

/* The line being read, and its problems so far. */
typedef struct at {
    zc_roster_report *rep;
    long line;
    int nbad;
} at;

/* One problem of the line being read. */
static void problem(at *a, const char *field, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static void problem(at *a, const char *field, const char *fmt, ...)
{
    char why[256];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(why, sizeof why, fmt, ap);
    va_end(ap);
    a->nbad++;
    zc_roster_bad(a->rep, a->line, field, "%s", why);
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

/* Copies src into dst of size n (longer text is cut; callers check first).
 * Cheaper than snprintf on the per-row path of a million-row file. */
static void copy(char *dst, size_t n, const char *src)
{
    size_t len = strnlen(src, n - 1);
    memcpy(dst, src, len);
    dst[len] = '\0';
}

int zc_roster_header_read(char **fields, int n, long line, zc_roster_header *h,
                          zc_roster_report *rep)
{
    at a = {rep, line, 0};
    for (int i = 0; i < ZC_RC_NCOLS; i++)
        h->map[i] = -1;
    h->nfields = n;
    for (int f = 0; f < n; f++) {
        char *name = trim(fields[f]);
        int k = -1;
        for (int i = 0; i < ZC_RC_NCOLS && k < 0; i++)
            if (strcasecmp(name, cols[i].name) == 0)
                k = i;
        if (k < 0)
            problem(&a, NULL, "column \"%.60s\" is not known (a typo?); the columns are "
                   "listed in docs/roster.md", name);
        else if (h->map[k] >= 0)
            problem(&a, NULL, "column \"%s\" appears twice", cols[k].name);
        else
            h->map[k] = f;
    }
    char missing[256] = "";
    size_t len = 0;
    for (int i = 0; i < ZC_RC_NCOLS; i++)
        if (cols[i].required && h->map[i] < 0 && len < sizeof missing)
            len += (size_t)snprintf(missing + len, sizeof missing - len, "%s%s", len ? ", " : "",
                                    cols[i].name);
    if (len)
        problem(&a, NULL, "missing required column(s): %s", missing);
    return a.nbad ? ZC_EINVAL : ZC_OK;
}

/* The column's value, "" when the file lacks it. */
static const char *get(const zc_roster_header *h, char **fields, zc_roster_col k)
{
    return h->map[k] >= 0 ? fields[h->map[k]] : "";
}

static void date_field(at *a, const char *field,
                       const char *s, zc_date *out)
{
    *out = (zc_date){0, 0, 0};
    if (*s && zc_date_parse(s, out) != ZC_OK)
        problem(a, field, "\"%s\" is not a date; write YYYY-MM-DD, e.g. 1948-02-29", s);
}

/* "UID[:status[:valid_to]];..." into r->cards (s is cut up in place). */
static void read_cards(char *s, zc_roster_row *r, at *a)
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
        if (r->ncards == ZC_ROSTER_MAX_CARDS) {
            problem(a, "cards", "more than %d cards for one elder", ZC_ROSTER_MAX_CARDS);
            return;
        }
        zc_roster_card *c = &r->cards[r->ncards];
        memset(c, 0, sizeof *c);
        zc_err why;
        if (zc_card_uid_parse(uid, &c->uid, &why) != ZC_OK) {
            problem(a, "cards", "\"%s\": %s", uid, why.msg);
            continue;
        }
        status = status ? trim(status) : "";
        if (!*status)
            status = "active";
        if (strcmp(status, "active") && strcmp(status, "lost") && strcmp(status, "blocked")) {
            problem(a, "cards", "card %s: status \"%s\" must be active, lost or blocked",
                   uid, status);
            continue;
        }
        copy(c->status, sizeof c->status, status);
        if (to && *(to = trim(to)) && zc_date_parse(to, &c->valid_to) != ZC_OK) {
            problem(a, "cards", "card %s: \"%s\" is not a date; write YYYY-MM-DD", uid,
                   to);
            continue;
        }
        bool twice = false;
        for (int i = 0; i < r->ncards && !twice; i++)
            twice = r->cards[i].uid == c->uid;
        if (twice)
            problem(a, "cards", "card %s is listed twice", uid);
        else
            r->ncards++;
    }
}

int zc_roster_row_read(const zc_roster_header *h, char **fields, int n, long line,
                       zc_roster_row *r, bool *blank, zc_roster_report *rep)
{
    zc_elder *e = &r->e;
    const char *v;
    at a = {rep, line, 0};
    memset(r, 0, sizeof *r);
    r->id_number = r->phone = "";
    *blank = true;
    for (int f = 0; f < n; f++) {
        fields[f] = trim(fields[f]); /* spaces around values are not data */
        *blank &= fields[f][0] == '\0';
    }
    if (*blank)
        return ZC_OK; /* ",,,," rows from spreadsheets */
    if (n != h->nfields) {
        problem(&a, NULL, "has %d fields but the header has %d; a field with a comma "
               "needs quotes", n, h->nfields);
        return ZC_EINVAL;
    }
    for (int k = 0; k < ZC_RC_NCOLS; k++)
        if (!zc_utf8_valid(get(h, fields, k))) {
            problem(&a, cols[k].name, "is not valid UTF-8; save the file as UTF-8 (not "
                   "GBK)");
            return ZC_EINVAL;
        }
    r->id_number = get(h, fields, ZC_RC_ID_NUMBER);
    r->phone = get(h, fields, ZC_RC_PHONE);
    v = get(h, fields, ZC_RC_ELDER_ID);
    if (!*v)
        problem(&a, "elder_id", "is empty");
    else if (strlen(v) >= sizeof e->id)
        problem(&a, "elder_id", "is longer than %d characters", (int)sizeof e->id - 1);
    copy(e->id, sizeof e->id, v);
    v = get(h, fields, ZC_RC_NAME);
    if (!*v)
        problem(&a, "name", "is empty");
    else if (strlen(v) >= sizeof e->name)
        problem(&a, "name", "is longer than %d bytes", (int)sizeof e->name - 1);
    copy(e->name, sizeof e->name, v);
    v = get(h, fields, ZC_RC_BIRTH);
    if (!*v)
        problem(&a, "birth_date", "is empty");
    else
        date_field(&a, "birth_date", v, &e->birth);
    const struct {
        zc_roster_col k;
        char *dst;
    } regions[] = {
        {ZC_RC_REG_CITY, e->reg_city}, {ZC_RC_REG_DISTRICT, e->reg_district},
        {ZC_RC_REG_TOWN, e->reg_town}, {ZC_RC_RES_CITY, e->res_city},
        {ZC_RC_RES_DISTRICT, e->res_district}, {ZC_RC_RES_TOWN, e->res_town},
    };
    for (size_t i = 0; i < sizeof regions / sizeof regions[0]; i++) {
        v = get(h, fields, regions[i].k);
        if (strlen(v) >= ZC_CODE_MAX)
            problem(&a, cols[regions[i].k].name, "is too long for a region code");
        copy(regions[i].dst, ZC_CODE_MAX, v);
    }
    zc_err why;
    if (zc_cats_parse(get(h, fields, ZC_RC_CATEGORIES), e->cats, ZC_MAX_CATS, &e->ncats, &why))
        problem(&a, "categories", "%s", why.msg);
    v = get(h, fields, ZC_RC_GRADE);
    if (*v) {
        char *end = NULL;
        errno = 0;
        long g = strtol(v, &end, 10);
        if (errno || end == v || *end || g < 0 || g > 4)
            problem(&a, "disability_grade", "\"%s\" must be a number from 0 (none) to 4",
                   v);
        else
            e->disability_grade = (int)g;
    }
    v = get(h, fields, ZC_RC_CARE_HOME);
    if (strcmp(v, "1") == 0)
        e->care_home = true;
    else if (*v && strcmp(v, "0") != 0)
        problem(&a, "care_home", "\"%s\" must be 0 or 1", v);
    v = get(h, fields, ZC_RC_STATUS);
    if (strcmp(v, "suspended") == 0)
        e->status = ZC_ELDER_SUSPENDED;
    else if (strcmp(v, "deceased") == 0)
        e->status = ZC_ELDER_DECEASED;
    else if (*v && strcmp(v, "active") != 0)
        problem(&a, "status", "\"%s\" must be active, suspended or deceased", v);
    date_field(&a, "valid_from", get(h, fields, ZC_RC_VALID_FROM), &e->valid_from);
    date_field(&a, "valid_to", get(h, fields, ZC_RC_VALID_TO), &e->valid_to);
    v = get(h, fields, ZC_RC_GENDER);
    if (strcmp(v, "M") == 0 || strcmp(v, "m") == 0 || strcmp(v, "男") == 0)
        r->gender = 'M';
    else if (strcmp(v, "F") == 0 || strcmp(v, "f") == 0 || strcmp(v, "女") == 0)
        r->gender = 'F';
    else if (*v)
        problem(&a, "gender", "\"%s\" must be M or F", v);
    if (h->map[ZC_RC_CARDS] >= 0)
        read_cards(fields[h->map[ZC_RC_CARDS]], r, &a);
    return a.nbad ? ZC_EINVAL : ZC_OK;
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

int zc_roster_phone_norm(const char *in, char out[ZC_PHONE_MAX])
{
    int n = 0, digits = 0;
    for (const char *p = in; *p; p++) {
        if (*p == ' ' || *p == '-')
            continue;
        if (!((*p >= '0' && *p <= '9') || (*p == '+' && n == 0)) || n >= ZC_PHONE_MAX - 1)
            return ZC_EINVAL;
        digits += *p != '+';
        out[n++] = *p;
    }
    out[n] = '\0';
    return (n == 0 || (digits >= 5 && digits <= 20)) ? ZC_OK : ZC_EINVAL;
}

int zc_roster_elder_check(const zc_elder *e, const char *idnum, const char *phone,
                          char phone_out[ZC_PHONE_MAX], char *gender, const char **field,
                          zc_err *err)
{
    static const char *const regions[] = {"reg_city", "reg_district", "reg_town",
                                          "res_city", "res_district", "res_town"};
    const char *codes[] = {e->reg_city, e->reg_district, e->reg_town,
                           e->res_city, e->res_district, e->res_town};
    size_t idlen = strnlen(e->id, ZC_ID_MAX);
    char id_gender = 0;
    phone_out[0] = '\0';
    *field = "elder_id";
    if (idlen == 0 || idlen >= ZC_ID_MAX)
        return zc_errf(err, ZC_EINVAL, "must be 1 to %d characters", ZC_ID_MAX - 1);
    for (size_t i = 0; i < idlen; i++)
        if (!id_char(e->id[i]))
            return zc_errf(err, ZC_EINVAL, "\"%s\" may hold only letters, digits, '-', '_' and '.'",
                           e->id);
    *field = "name";
    if (!e->name[0])
        return zc_errf(err, ZC_EINVAL, "is empty");
    for (const unsigned char *p = (const unsigned char *)e->name; *p; p++)
        if (*p < 0x20 || *p == 0x7f)
            return zc_errf(err, ZC_EINVAL, "holds a control character");
    *field = "birth_date";
    if (!zc_date_valid(e->birth))
        return zc_errf(err, ZC_EINVAL, "is not a real date");
    if (idnum && *idnum) {
        zc_date b;
        *field = "id_number";
        if (zc_idnum_check(idnum, err) != ZC_OK)
            return ZC_EINVAL;
        if (zc_idnum_birth(idnum, &b) == ZC_OK && zc_date_cmp(b, e->birth) != 0) {
            char want[16], have[16];
            *field = "birth_date";
            return zc_errf(err, ZC_EINVAL, "%s differs from the birth date in id_number (%s)",
                           zc_date_fmt(e->birth, have, sizeof have), zc_date_fmt(b, want, sizeof want));
        }
        id_gender = ((idnum[16] - '0') % 2) ? 'M' : 'F';
    }
    *field = "phone";
    if (phone && zc_roster_phone_norm(phone, phone_out) != ZC_OK)
        return zc_errf(err, ZC_EINVAL, "\"%s\" is not a phone number (5 to 20 digits)", phone);
    for (int i = 0; i < 6; i++) {
        *field = regions[i];
        if (!region_ok(codes[i]))
            return zc_errf(err, ZC_EINVAL, "\"%s\" is not a region code (up to 12 digits)", codes[i]);
    }
    *field = "disability_grade";
    if (e->disability_grade < 0 || e->disability_grade > 4)
        return zc_errf(err, ZC_EINVAL, "must be 0 (none) to 4");
    *field = "status";
    if ((int)e->status < 0 || (int)e->status > 2)
        return zc_errf(err, ZC_EINVAL, "must be active, suspended or deceased");
    *field = "valid_to";
    if ((zc_date_is_set(e->valid_from) && !zc_date_valid(e->valid_from)) ||
        (zc_date_is_set(e->valid_to) && !zc_date_valid(e->valid_to)))
        return zc_errf(err, ZC_EINVAL, "the validity dates are not real dates");
    if (zc_date_is_set(e->valid_from) && zc_date_is_set(e->valid_to) &&
        zc_date_cmp(e->valid_from, e->valid_to) > 0)
        return zc_errf(err, ZC_EINVAL, "is before valid_from");
    *field = "gender";
    if (*gender && id_gender && *gender != id_gender)
        return zc_errf(err, ZC_EINVAL, "%c does not match the ID number (its 17th digit says %c)",
                       *gender, id_gender);
    if (id_gender)
        *gender = id_gender;
    *field = NULL;
    return ZC_OK;
}

void zc_roster_idnum_fill(const char *salt, const char *idnum, char id_hash[ZC_SHA256_HEX],
                          char id_last4[5])
{
    char up[20];
    snprintf(up, sizeof up, "%s", idnum);
    if (up[17] == 'x')
        up[17] = 'X';
    zc_idnum_hash(salt, up, id_hash);
    snprintf(id_last4, 5, "%.4s", up + 14);
}
