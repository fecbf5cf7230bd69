/* zone.c - time zones as immutable values; the process zone as an atomic pointer.
 *
 * A zc_zone is read once from a TZif file of the tz database (RFC 8536): the
 * 64-bit section of a version 2+ file (the 32-bit one of a version 1 file),
 * i.e. the transition instants and the UTC offset after each, plus the
 * footer's POSIX TZ string ("CET-1CEST,M3.5.0,M10.5.0/3") that rules every
 * instant after the last transition.  Conversions take the zone and read
 * nothing else, so threads share a zone without locks, and validating a name
 * is loading it and freeing it: nothing process-wide changes.
 *
 * The process zone (zc_tz_local, zc_tz_epoch) is a pointer to such a zone,
 * swapped with a C11 atomic store by zc_tz_set.  A reader may still be using
 * the previous zone, so zones once installed are never freed: they stay in a
 * small table keyed by name (at most KEEP_MAX names per process), and setting
 * a name seen before reuses its zone. */
#include "civil.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define ZONEINFO_DIR "/usr/share/zoneinfo"
#define ZONE_FILE_MAX (256 * 1024) /* the largest tzdata file is under 4 KiB */
#define TRANS_MAX 4096
#define TYPES_MAX 256
#define OFF_MAX (26 * 3600) /* |UTC offset| bound, seconds */
#define KEEP_MAX 32         /* distinct zones installed per process */
#define EPOCH_MAX 1000000000000000LL /* ~31 million years: no overflow below */

/* One end of daylight saving time in a POSIX TZ rule. */
typedef struct rule_date {
    char kind; /* 'J' day 1..365 never counting 29 Feb, 'D' day 0..365, 'M' month.week.weekday */
    int n;     /* day for J and D; month 1..12 for M */
    int week;  /* M: 1..5, 5 = the last such weekday */
    int wday;  /* M: 0 = Sunday .. 6 */
    int32_t secs; /* local time of day of the change, may be < 0 or >= 24 h */
} rule_date;

/* A POSIX TZ string: standard offset, and optionally DST with its two ends. */
typedef struct posix_tz {
    int32_t std_off, dst_off; /* seconds east of UTC */
    bool has_dst;             /* false: std_off all year */
    rule_date start, end;     /* start is in standard time, end in DST */
} posix_tz;

struct zc_zone {
    char name[72];             /* as loaded, e.g. "Asia/Shanghai" */
    int ntrans;                /* transitions, ascending */
    int64_t *trans;            /* ntrans instants (owned) */
    unsigned char *type;       /* ntrans indexes into off (owned) */
    int ntypes;                /* 1..TYPES_MAX */
    int32_t off[TYPES_MAX];    /* UTC offset of each local time type */
    int first_std;             /* the type used before the first transition */
    bool has_footer;           /* footer rules times after the last transition */
    posix_tz footer;
};

/* ---- POSIX TZ strings ------------------------------------------------- */

/* Parses [+|-]hh[:mm[:ss]] (hours up to 167) into seconds. */
static const char *parse_hms(const char *s, int32_t *out)
{
    int sign = 1, part[3] = {0, 0, 0}, i = 0;
    if (*s == '+' || *s == '-')
        sign = *s++ == '-' ? -1 : 1;
    for (;;) {
        int digits = 0, v = 0;
        while (*s >= '0' && *s <= '9' && digits < 3) {
            v = v * 10 + (*s++ - '0');
            digits++;
        }
        if (digits == 0 || (i > 0 && (digits != 2 || v > 59)) || (i == 0 && v > 167))
            return NULL;
        part[i++] = v;
        if (i == 3 || *s != ':')
            break;
        s++;
    }
    *out = sign * (part[0] * 3600 + part[1] * 60 + part[2]);
    return s;
}

/* Skips a zone abbreviation: 3+ letters, or <...> of [A-Za-z0-9+-]. */
static const char *parse_abbr(const char *s)
{
    const char *p = s;
    if (*p == '<') {
        for (p++; *p && *p != '>'; p++)
            if (!((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') ||
                  (*p >= '0' && *p <= '9') || *p == '+' || *p == '-'))
                return NULL;
        return *p == '>' && p - s >= 4 ? p + 1 : NULL;
    }
    while ((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z'))
        p++;
    return p - s >= 3 ? p : NULL;
}

static const char *parse_num(const char *s, int lo, int hi, int *out)
{
    int v = 0, digits = 0;
    while (*s >= '0' && *s <= '9' && digits < 4) {
        v = v * 10 + (*s++ - '0');
        digits++;
    }
    if (digits == 0 || v < lo || v > hi)
        return NULL;
    *out = v;
    return s;
}

/* Parses ",Jn[/time]", ",n[/time]" or ",Mm.w.d[/time]". */
static const char *parse_rule_date(const char *s, rule_date *r)
{
    if (*s++ != ',')
        return NULL;
    if (*s == 'J') {
        r->kind = 'J';
        s = parse_num(s + 1, 1, 365, &r->n);
    } else if (*s == 'M') {
        r->kind = 'M';
        s = parse_num(s + 1, 1, 12, &r->n);
        if (s && *s++ == '.')
            s = parse_num(s, 1, 5, &r->week);
        else
            s = NULL;
        if (s && *s++ == '.')
            s = parse_num(s, 0, 6, &r->wday);
        else
            s = NULL;
    } else {
        r->kind = 'D';
        s = parse_num(s, 0, 365, &r->n);
    }
    r->secs = 2 * 3600;
    if (s && *s == '/')
        s = parse_hms(s + 1, &r->secs);
    return s;
}

/* Parses a whole POSIX TZ string; the sign is west-positive, as POSIX says. */
static bool posix_parse(const char *s, posix_tz *p)
{
    int32_t v;
    memset(p, 0, sizeof *p);
    if (!(s = parse_abbr(s)) || !(s = parse_hms(s, &v)) || v > OFF_MAX || v < -OFF_MAX)
        return false;
    p->std_off = -v;
    if (!*s)
        return true;
    if (!(s = parse_abbr(s)))
        return false;
    p->has_dst = true;
    p->dst_off = p->std_off + 3600;
    if (*s && *s != ',') {
        if (!(s = parse_hms(s, &v)) || v > OFF_MAX || v < -OFF_MAX)
            return false;
        p->dst_off = -v;
    }
    if (!*s) { /* no rule: the US rule POSIX leaves to the implementation */
        p->start = (rule_date){'M', 3, 2, 0, 2 * 3600};
        p->end = (rule_date){'M', 11, 1, 0, 2 * 3600};
        return true;
    }
    return (s = parse_rule_date(s, &p->start)) && (s = parse_rule_date(s, &p->end)) && !*s;
}

static int64_t floor_div(int64_t a, int64_t b)
{
    int64_t q = a / b;
    return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q;
}

/* Local seconds (since the epoch, as if UTC) at which rule r fires in year y. */
static int64_t rule_local(const rule_date *r, int y)
{
    zc_date jan1 = {y, 1, 1};
    int64_t day = zc_days_from_civil(jan1);
    if (r->kind == 'J') {
        day += r->n - 1 + (zc_leap_year(y) && r->n >= 60);
    } else if (r->kind == 'D') {
        day += r->n;
    } else {
        zc_date first = {y, r->n, 1};
        int wd1 = zc_weekday(first) % 7; /* 0 = Sunday */
        int d = 1 + (r->wday - wd1 + 7) % 7 + (r->week - 1) * 7;
        while (d > zc_days_in_month(y, r->n))
            d -= 7;
        day = zc_days_from_civil(first) + d - 1;
    }
    return day * 86400 + r->secs;
}

static int32_t posix_offset(const posix_tz *p, int64_t t)
{
    if (!p->has_dst)
        return p->std_off;
    int y = zc_civil_from_days(floor_div(t + p->std_off, 86400)).y;
    int64_t start = rule_local(&p->start, y) - p->std_off;
    int64_t end = rule_local(&p->end, y) - p->dst_off;
    bool dst = start < end ? (t >= start && t < end) : !(t >= end && t < start);
    return dst ? p->dst_off : p->std_off;
}

/* ---- TZif files -------------------------------------------------------- */

/* A bounds-checked big-endian reader over a file's bytes. */
typedef struct rd {
    const unsigned char *p;
    size_t n, pos;
    bool bad; /* read past the end */
} rd;

static const unsigned char *take(rd *r, size_t n)
{
    if (r->bad || n > r->n - r->pos) {
        r->bad = true;
        return NULL;
    }
    r->pos += n;
    return r->p + r->pos - n;
}

static int64_t be(rd *r, size_t n)
{
    const unsigned char *b = take(r, n);
    uint64_t v = 0;
    if (!b)
        return 0;
    for (size_t i = 0; i < n; i++)
        v = v << 8 | b[i];
    if (n == 4)
        return (int32_t)(uint32_t)v;
    return (int64_t)v;
}

/* Counts from a TZif header, in RFC 8536 order. */
typedef struct tzhead {
    int version; /* 1, 2, 3 ... */
    int64_t isut, isstd, leap, time, type, chars;
} tzhead;

static bool read_head(rd *r, tzhead *h)
{
    const unsigned char *m = take(r, 20);
    if (!m || memcmp(m, "TZif", 4) != 0)
        return false;
    h->version = m[4] == 0 ? 1 : m[4] - '0';
    h->isut = be(r, 4);
    h->isstd = be(r, 4);
    h->leap = be(r, 4);
    h->time = be(r, 4);
    h->type = be(r, 4);
    h->chars = be(r, 4);
    return !r->bad && h->version >= 1 && h->version <= 9 && h->isut >= 0 && h->isstd >= 0 &&
           h->leap >= 0 && h->time >= 0 && h->type >= 1 && h->chars >= 0;
}

/* Fills z from one data block whose times are tsize (4 or 8) bytes wide. */
static int read_block(rd *r, const tzhead *h, int tsize, zc_zone *z, zc_err *err)
{
    if (h->time > TRANS_MAX || h->type > TYPES_MAX)
        return zc_errf(err, ZC_ETOOBIG, "time zone \"%s\" has too many transitions", z->name);
    if (h->leap > 0)
        return zc_errf(err, ZC_EINVAL,
                       "time zone \"%s\" counts leap seconds; use the zone without right/",
                       z->name);
    z->ntrans = (int)h->time;
    z->ntypes = (int)h->type;
    z->trans = calloc((size_t)z->ntrans + 1, sizeof *z->trans);
    z->type = calloc((size_t)z->ntrans + 1, 1);
    if (!z->trans || !z->type)
        return zc_errf(err, ZC_ENOMEM, "out of memory loading time zone \"%s\"", z->name);
    for (int i = 0; i < z->ntrans; i++) {
        z->trans[i] = be(r, (size_t)tsize);
        if (i > 0 && z->trans[i] <= z->trans[i - 1])
            r->bad = true;
    }
    for (int i = 0; i < z->ntrans; i++) {
        const unsigned char *b = take(r, 1);
        z->type[i] = b ? *b : 0;
        if (z->type[i] >= z->ntypes)
            r->bad = true;
    }
    z->first_std = -1;
    for (int i = 0; i < z->ntypes; i++) {
        z->off[i] = (int32_t)be(r, 4);
        const unsigned char *b = take(r, 2); /* isdst, abbreviation index */
        if (z->off[i] > OFF_MAX || z->off[i] < -OFF_MAX)
            r->bad = true;
        if (b && !b[0] && z->first_std < 0)
            z->first_std = i;
    }
    if (z->first_std < 0)
        z->first_std = 0;
    (void)take(r, (size_t)(h->chars + h->isstd + h->isut));
    return r->bad ? zc_errf(err, ZC_EINVAL, "time zone file for \"%s\" is damaged; reinstall tzdata",
                            z->name)
                  : ZC_OK;
}

/* Parses a whole TZif file into z (its name already set). */
static int parse_tzif(const unsigned char *buf, size_t n, zc_zone *z, zc_err *err)
{
    rd r = {buf, n, 0, false};
    tzhead h;
    int rc;
    if (!read_head(&r, &h))
        return zc_errf(err, ZC_EINVAL, "\"%s\" is not a time zone file; reinstall tzdata", z->name);
    if (h.version == 1)
        return read_block(&r, &h, 4, z, err);
    /* skip the 32-bit block, then read the 64-bit one */
    (void)take(&r, (size_t)(h.time * 5 + h.type * 6 + h.chars + h.leap * 8 + h.isstd + h.isut));
    if (!read_head(&r, &h))
        return zc_errf(err, ZC_EINVAL, "time zone file for \"%s\" is damaged; reinstall tzdata",
                       z->name);
    if ((rc = read_block(&r, &h, 8, z, err)))
        return rc;
    /* the footer: "\n" POSIX-TZ "\n"; empty means no rule after the last transition */
    char tz[128];
    size_t len = 0;
    const unsigned char *nl = take(&r, 1);
    if (!nl || *nl != '\n')
        return ZC_OK; /* no footer at all: the table alone */
    while (r.pos < r.n && r.p[r.pos] != '\n' && len + 1 < sizeof tz)
        tz[len++] = (char)r.p[r.pos++];
    tz[len] = '\0';
    if (len > 0 && !(z->has_footer = posix_parse(tz, &z->footer)))
        return zc_errf(err, ZC_EINVAL, "time zone \"%s\" has a rule \"%s\" this program cannot read",
                       z->name, tz);
    return ZC_OK;
}

/* A zone name is a relative path of [A-Za-z0-9_+-] components: no "..",
 * no leading '/', so it cannot name a file outside the zoneinfo tree. */
static bool zone_name_ok(const char *name)
{
    size_t len = strlen(name);
    if (len == 0 || len > 64 || name[0] == '/' || strstr(name, ".."))
        return false;
    for (const char *p = name; *p; p++) {
        char c = *p;
        if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
              c == '_' || c == '+' || c == '-' || c == '/'))
            return false;
    }
    return true;
}

static zc_zone *zone_new(const char *name)
{
    zc_zone *z = calloc(1, sizeof *z);
    if (z) {
        snprintf(z->name, sizeof z->name, "%s", name);
        z->ntypes = 1;
    }
    return z;
}

void zc_zone_free(zc_zone *z)
{
    if (!z)
        return;
    free(z->trans);
    free(z->type);
    free(z);
}

/* Reads path (at most ZONE_FILE_MAX bytes) and parses it into z. */
static int load_file(const char *path, zc_zone *z, zc_err *err)
{
    unsigned char *buf = malloc(ZONE_FILE_MAX + 1);
    FILE *f = NULL;
    size_t n;
    int rc;
    if (!buf) {
        rc = zc_errf(err, ZC_ENOMEM, "out of memory loading time zone \"%s\"", z->name);
        goto out;
    }
    if (!(f = fopen(path, "rb"))) {
        rc = ZC_ENOTFOUND;
        goto out;
    }
    n = fread(buf, 1, ZONE_FILE_MAX + 1, f);
    if (ferror(f)) /* a directory such as "Europe" lands here */
        rc = zc_errf(err, ZC_EINVAL,
                     "time zone \"%s\" could not be read from %s; check the spelling or install tzdata",
                     z->name, path);
    else if (n > ZONE_FILE_MAX)
        rc = zc_errf(err, ZC_ETOOBIG, "time zone file %s is too large (over %d bytes)", path,
                     ZONE_FILE_MAX);
    else
        rc = parse_tzif(buf, n, z, err);
out:
    if (f)
        fclose(f);
    free(buf);
    return rc;
}

int zc_zone_load_dir(const char *dir, const char *name, zc_zone **out, zc_err *err)
{
    char path[256];
    zc_zone *z = NULL;
    int rc;
    *out = NULL;
    if (!name || !zone_name_ok(name))
        return zc_errf(err, ZC_EINVAL,
                       "time zone \"%s\" is not a zone name; use one like Asia/Shanghai",
                       name ? name : "(null)");
    if (!(z = zone_new(name)))
        return zc_errf(err, ZC_ENOMEM, "out of memory loading time zone \"%s\"", name);
    snprintf(path, sizeof path, "%s/%s", dir, name);
    rc = load_file(path, z, err);
    if (rc == ZC_ENOTFOUND && strcmp(name, "Asia/Shanghai") == 0) {
        /* China has had no daylight saving since 1991: fixed UTC+8 without tzdata */
        z->off[0] = 8 * 3600;
        rc = ZC_OK;
    } else if (rc == ZC_ENOTFOUND) {
        rc = zc_errf(err, ZC_EINVAL,
                     "time zone \"%s\" is not in %s; check the spelling or install tzdata", name,
                     dir);
    }
    if (rc) {
        zc_zone_free(z);
        z = NULL;
    }
    *out = z;
    return rc;
}

int zc_zone_load(const char *name, zc_zone **out, zc_err *err)
{
    return zc_zone_load_dir(ZONEINFO_DIR, name, out, err);
}

const char *zc_zone_name(const zc_zone *z)
{
    return z->name;
}

/* ---- conversions ------------------------------------------------------- */

int32_t zc_zone_offset(const zc_zone *z, int64_t t)
{
    int lo = 0, hi = z->ntrans - 1;
    if (z->ntrans == 0)
        return z->has_footer ? posix_offset(&z->footer, t) : z->off[z->first_std];
    if (t < z->trans[0])
        return z->off[z->first_std];
    if (t >= z->trans[hi] && z->has_footer)
        return posix_offset(&z->footer, t);
    while (lo < hi) { /* the last transition at or before t */
        int mid = lo + (hi - lo + 1) / 2;
        if (z->trans[mid] <= t)
            lo = mid;
        else
            hi = mid - 1;
    }
    return z->off[z->type[lo]];
}

zc_datetime zc_zone_local(const zc_zone *z, int64_t epoch)
{
    zc_datetime out = {{0, 0, 0}, 0, 0};
    if (!z || epoch > EPOCH_MAX || epoch < -EPOCH_MAX)
        return out;
    int64_t l = epoch + zc_zone_offset(z, epoch);
    int64_t days = floor_div(l, 86400), secs = l - days * 86400;
    out.date = zc_civil_from_days(days);
    out.hh = (int)(secs / 3600);
    out.mm = (int)(secs / 60 % 60);
    return out;
}

/* Every offset the zone uses is a candidate: a reading L - c is real when c is
 * the offset in force at that instant.  Of the real readings the earliest wins
 * (the first of an overlap); in a gap there is none, and, as mktime does, the
 * wall time is read with the offset from before the gap (02:30 -> 03:30). */
int64_t zc_zone_epoch(const zc_zone *z, zc_datetime t)
{
    int64_t l = zc_days_from_civil(t.date) * 86400 + t.hh * 3600 + t.mm * 60;
    int64_t best = INT64_MAX, gap = INT64_MIN;
    int32_t cand[TYPES_MAX + 2];
    int n = 0;
    if (!z)
        return -1;
    for (int i = 0; i < z->ntypes; i++)
        cand[n++] = z->off[i];
    if (z->has_footer) {
        cand[n++] = z->footer.std_off;
        cand[n++] = z->footer.dst_off;
    }
    for (int i = 0; i < n; i++) {
        int32_t o = zc_zone_offset(z, l - cand[i]);
        if (o == cand[i] && l - o < best)
            best = l - o;
        if (l - o > gap)
            gap = l - o;
    }
    return best != INT64_MAX ? best : gap;
}

/* ---- the process zone -------------------------------------------------- */

static _Atomic(const zc_zone *) g_zone;   /* current; NULL until first use */
static pthread_mutex_t g_lock = PTHREAD_MUTEX_INITIALIZER; /* guards g_keep */
static zc_zone *g_keep[KEEP_MAX];         /* every zone ever installed, never freed */
static int g_nkeep;

/* The zone the environment names, read once if nothing was set: TZ as a zone
 * name or a POSIX string, else /etc/localtime, else UTC.  Nothing is set.
 * Names other than a zone's are not zone names ("TZ=...", "/etc/localtime"),
 * so zc_tz_set never mistakes them for a zone it was asked for. */
static zc_zone *env_zone(void)
{
    const char *tz = getenv("TZ");
    zc_zone *z = NULL;
    char name[72];
    zc_err e;
    if (tz && *tz == ':')
        tz++;
    if (tz && *tz && zone_name_ok(tz) && zc_zone_load(tz, &z, &e) == ZC_OK)
        return z;
    snprintf(name, sizeof name, tz && *tz ? "TZ=%s" : "/etc/localtime", tz);
    if (!(z = zone_new(name)))
        return NULL;
    if (tz && *tz) {
        if (posix_parse(tz, &z->footer))
            z->has_footer = true;
        return z; /* a string neither way is read as UTC, as the C library does */
    }
    if (load_file("/etc/localtime", z, &e) != ZC_OK) {
        zc_zone_free(z);
        if ((z = zone_new("UTC")))
            z->off[0] = 0;
    }
    return z;
}

/* Adds z to the kept zones and installs it; caller holds g_lock. */
static void install(zc_zone *z)
{
    g_keep[g_nkeep++] = z;
    atomic_store(&g_zone, z);
}

const zc_zone *zc_tz_current(void)
{
    const zc_zone *z = atomic_load(&g_zone);
    if (z)
        return z;
    pthread_mutex_lock(&g_lock);
    if (!(z = atomic_load(&g_zone))) {
        zc_zone *d = env_zone();
        if (d && g_nkeep < KEEP_MAX)
            install(d);
        else
            zc_zone_free(d);
        z = atomic_load(&g_zone);
    }
    pthread_mutex_unlock(&g_lock);
    return z;
}

int zc_tz_set(const char *name, zc_err *err)
{
    zc_zone *z = NULL;
    int rc = ZC_OK;
    if (!name || !zone_name_ok(name))
        return zc_errf(err, ZC_EINVAL,
                       "time zone \"%s\" is not a zone name; use one like Asia/Shanghai",
                       name ? name : "(null)");
    pthread_mutex_lock(&g_lock);
    for (int i = 0; i < g_nkeep; i++)
        if (strcmp(g_keep[i]->name, name) == 0) {
            atomic_store(&g_zone, g_keep[i]);
            goto out;
        }
    if (g_nkeep >= KEEP_MAX) {
        rc = zc_errf(err, ZC_ETOOBIG,
                     "time zone \"%s\" not set: %d zones were already used; restart the program",
                     name, KEEP_MAX);
        goto out;
    }
    if ((rc = zc_zone_load(name, &z, err)))
        goto out;
    install(z);
out:
    pthread_mutex_unlock(&g_lock);
    return rc;
}

int zc_tz_check(const char *name, zc_err *err)
{
    zc_zone *z = NULL;
    int rc = zc_zone_load(name, &z, err);
    zc_zone_free(z);
    return rc;
}

zc_datetime zc_tz_local(int64_t epoch)
{
    return zc_zone_local(zc_tz_current(), epoch);
}

int64_t zc_tz_epoch(zc_datetime t)
{
    return zc_zone_epoch(zc_tz_current(), t);
}
