/* demo.c - a realistic demo canteen (documented in docs/demo.md).
 *
 * The data is deterministic: everything random comes from one splitmix64
 * generator seeded by the caller, and ages are counted from a fixed
 * reference date (not today), so the same seed gives the same roster on
 * every machine.  Ten fixture elders with fixed cards come first (tests and
 * the docs rely on them); then n synthetic elders with plausible names,
 * valid ID numbers, a realistic mix of categories and a few lost, blocked
 * and expired cards.  A million elders go in one transaction through the
 * same prepared statements as the roster import; ID numbers are hashed
 * with the cheap keyed BLAKE2b, never argon2. */
#include "../core/clock.h"
#include "store_int.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define REF_YEAR 2026 /* ages are drawn relative to 1 July of this year */

/* ---- deterministic random numbers ---- */

typedef struct rng {
    uint64_t s;
} rng;

static uint64_t rnext(rng *r)
{
    uint64_t z = (r->s += 0x9e3779b97f4a7c15ull);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
}

/* Uniform in [0, n). */
static uint32_t below(rng *r, uint32_t n)
{
    return (uint32_t)(((rnext(r) >> 32) * (uint64_t)n) >> 32);
}

/* Uniform in [0, 1). */
static double unit(rng *r)
{
    return (double)(rnext(r) >> 11) / 9007199254740992.0;
}

/* ---- the canteen ---- */

static const zc_canteen demo_canteen = {
    .id = "C-0001", .name = "朝阳区双井街道老年餐桌",
    .city = "110000", .district = "110105", .town = "110105010",
};

static const struct {
    const char *code, *name, *category;
    zc_fen price;
    bool eligible;
    const char *periods;
} menu[] = {
    {"A1", "套餐A 两荤一素", "set_meal", 1500, true, "lunch,dinner"},
    {"A2", "套餐B 一荤两素", "set_meal", 1200, true, "lunch,dinner"},
    {"A3", "素食套餐", "set_meal", 1000, true, "lunch,dinner"},
    {"B1", "猪肉大葱包子", "staple", 150, false, "breakfast"},
    {"B2", "素三鲜包子", "staple", 120, false, "breakfast"},
    {"B3", "油条", "staple", 150, false, "breakfast"},
    {"B4", "花卷", "staple", 80, false, "breakfast"},
    {"B5", "豆浆", "drink", 150, false, "breakfast"},
    {"B6", "小米粥", "soup", 150, false, "breakfast"},
    {"B7", "豆腐脑", "soup", 250, false, "breakfast"},
    {"B8", "煮鸡蛋", "dish", 100, false, "breakfast"},
    {"D1", "红烧肉", "dish", 1200, false, "lunch,dinner"},
    {"D2", "西红柿炒鸡蛋", "dish", 800, false, "lunch,dinner"},
    {"D3", "清炒时蔬", "dish", 600, false, "lunch,dinner"},
    {"D4", "鱼香肉丝", "dish", 1000, false, "lunch,dinner"},
    {"D5", "宫保鸡丁", "dish", 1000, false, "lunch,dinner"},
    {"D6", "麻婆豆腐", "dish", 600, false, "lunch,dinner"},
    {"D7", "醋溜土豆丝", "dish", 500, false, "lunch,dinner"},
    {"D8", "清蒸鲈鱼", "dish", 1800, false, "lunch,dinner"},
    {"S1", "米饭", "staple", 100, false, "lunch,dinner"},
    {"S2", "馒头", "staple", 50, false, ""},
    {"S3", "打卤面", "staple", 800, false, "lunch,dinner"},
    {"S4", "猪肉白菜饺子(半斤)", "staple", 1200, false, "lunch,dinner"},
    {"T1", "紫菜蛋花汤", "soup", 200, false, "lunch,dinner"},
    {"T2", "西红柿鸡蛋汤", "soup", 200, false, "lunch,dinner"},
    {"K1", "矿泉水", "drink", 200, false, ""},
    {"K2", "酸奶", "drink", 350, false, ""},
};

static const struct {
    const char *id, *name, *pin;
    store_role role;
} operators[] = {
    {"c1", "王芳", "1111", STORE_ROLE_CASHIER},
    {"c2", "李强", "2222", STORE_ROLE_CASHIER},
    {"s1", "赵敏", "8888", STORE_ROLE_SUPERVISOR},
    {"a1", "陈刚", "9999", STORE_ROLE_ADMIN},
};

/* ---- fixture elders (docs/demo.md lists what each should produce) ---- */

static const struct {
    const char *name, *birth, *region, *reg_town, *cats, *phone;
    char gender;
    int seq;              /* ID number sequence (odd = male) */
    bool care_home, suspended;
    const char *card_status, *card_to;
} fixtures[] = {
    /* E0000001: 80+, Beijing: subsidised */
    {"张桂英", "1940-03-15", "110105", "110105010", "", "13800000001", 'F', 2, false, false, "active", NULL},
    /* E0000002: dibao at 65: subsidised */
    {"李建国", "1961-05-20", "110105", "110105010", "dibao", "13800000002", 'M', 13, false, false, "active", NULL},
    /* E0000003: 62, no category: not subsidised */
    {"王秀兰", "1964-04-10", "110105", "110105010", "", "13800000003", 'F', 24, false, false, "active", NULL},
    /* E0000004: eligible, but the card is reported lost */
    {"刘志强", "1941-07-01", "110105", "110105010", "", "13800000004", 'M', 35, false, false, "lost", NULL},
    /* E0000005: eligible, but the card is blocked */
    {"陈淑珍", "1942-09-09", "110105", "110105010", "", "13800000005", 'F', 46, false, false, "blocked", NULL},
    /* E0000006: eligible, but the card expired */
    {"杨振华", "1943-01-12", "110105", "110105010", "", "13800000006", 'M', 57, false, false, "active", "2025-12-31"},
    /* E0000007: 80+, but suspended */
    {"赵玉梅", "1939-11-30", "110105", "110105010", "", "13800000007", 'F', 68, false, true, "active", NULL},
    /* E0000008: 85, registered in Hebei (lives in Beijing): not subsidised under Beijing */
    {"黄德明", "1941-02-14", "130102", "130102001", "", "13800000008", 'M', 79, false, false, "active", NULL},
    /* E0000009: 80+, lives in a care home (Beijing does not exclude them) */
    {"周桂芝", "1943-08-08", "110105", "110105010", "", "13800000009", 'F', 80, true, false, "active", NULL},
    /* E0000010: born 29 February 1944 */
    {"吴长春", "1944-02-29", "110105", "110105010", "", "13800000010", 'M', 91, false, false, "active", NULL},
};
#define NFIXTURES ((int)(sizeof fixtures / sizeof fixtures[0]))

/* ---- synthetic elders ---- */

static const struct {
    const char *s;
    int w; /* weight, per ten thousand people */
} surnames[] = {
    {"王", 710}, {"李", 700}, {"张", 680}, {"刘", 540}, {"陈", 460}, {"杨", 320}, {"黄", 240},
    {"赵", 230}, {"吴", 210}, {"周", 200}, {"徐", 160}, {"孙", 150}, {"马", 140}, {"朱", 130},
    {"胡", 130}, {"郭", 120}, {"何", 120}, {"林", 110}, {"罗", 100}, {"高", 100}, {"郑", 90},
    {"梁", 90}, {"谢", 80}, {"宋", 80}, {"唐", 70}, {"韩", 70}, {"冯", 60}, {"于", 60},
    {"董", 50}, {"萧", 40}, {"程", 40}, {"曹", 40}, {"袁", 40}, {"邓", 40}, {"许", 40},
    {"欧阳", 5}, {"司马", 2}, {"上官", 2}, {"诸葛", 1},
};

static const char *const male_chars[] = {
    "国", "建", "明", "华", "军", "德", "志", "文", "永", "福", "长", "海", "成", "林", "强",
    "庆", "树", "宝", "振", "忠", "清", "金", "学", "春", "山", "平", "生", "荣", "贵", "发",
    "伟", "刚", "勇", "东", "新", "卫", "红", "胜", "利", "民",
};
static const char *const female_chars[] = {
    "秀", "英", "兰", "桂", "珍", "芝", "淑", "玉", "梅", "凤", "华", "云", "琴", "芳", "霞",
    "丽", "萍", "红", "敏", "洁", "素", "翠", "荣", "香", "莲", "娟", "玲", "琳", "慧", "雪",
};
static const char *const rare_chars[] = {"喆", "堃", "燊", "淼", "昇", "䶮"};

/* Registration districts: mostly the canteen's, some other Beijing
 * districts, some outside Beijing (weights per thousand). */
static const struct {
    const char *district;
    int w;
} districts[] = {
    {"110105", 850}, {"110101", 15}, {"110102", 15}, {"110106", 15}, {"110108", 15},
    {"110114", 10},  {"130102", 20}, {"120101", 15}, {"370102", 15}, {"410105", 15},
    {"230103", 10},  {"510104", 5},
};

#define N(a) ((int)(sizeof(a) / sizeof((a)[0])))

static int pick_weighted_surname(rng *r)
{
    int total = 0;
    for (int i = 0; i < N(surnames); i++)
        total += surnames[i].w;
    int x = (int)below(r, (uint32_t)total);
    for (int i = 0; i < N(surnames); i++)
        if ((x -= surnames[i].w) < 0)
            return i;
    return 0;
}

static const char *given_char(rng *r, char gender)
{
    if (below(r, 100) == 0)
        return rare_chars[below(r, N(rare_chars))];
    return gender == 'M' ? male_chars[below(r, N(male_chars))]
                         : female_chars[below(r, N(female_chars))];
}

static void make_name(rng *r, char gender, char *out, size_t n)
{
    const char *sur = surnames[pick_weighted_surname(r)].s;
    const char *g1 = given_char(r, gender);
    if (below(r, 4) == 0)
        snprintf(out, n, "%s%s", sur, g1);
    else
        snprintf(out, n, "%s%s%s", sur, g1, given_char(r, gender));
}

static void add_cat(zc_elder *e, const char *code, int level)
{
    if (e->ncats < ZC_MAX_CATS) {
        snprintf(e->cats[e->ncats].code, sizeof e->cats[e->ncats].code, "%s", code);
        e->cats[e->ncats++].level = level;
    }
}

/* A realistic mix: economic status, care need, living situation, others. */
static void make_categories(rng *r, zc_elder *e)
{
    uint32_t x = below(r, 1000);
    if (x < 20)
        add_cat(e, "tekun", 0);
    else if (x < 80)
        add_cat(e, "dibao", 0);
    else if (x < 110)
        add_cat(e, "dibao_edge", 0);
    else if (x < 160)
        add_cat(e, "low_income", 0);
    if (below(r, 1000) < 60)
        add_cat(e, "disabled_care", 1 + (int)below(r, 3));
    x = below(r, 1000);
    if (x < 100)
        add_cat(e, "living_alone", 0);
    else if (x < 220)
        add_cat(e, "empty_nest", 0);
    if (below(r, 1000) < 20) {
        add_cat(e, "severe_disability", 0);
        e->disability_grade = 1 + (int)below(r, 2);
    } else if (below(r, 1000) < 40) {
        e->disability_grade = 3 + (int)below(r, 2);
    }
    if (below(r, 1000) < 10)
        add_cat(e, "gugua", 0);
    if (below(r, 1000) < 5)
        add_cat(e, "family_planning_special", 0);
    if (below(r, 1000) < 10)
        add_cat(e, "youfu", 0);
    if (below(r, 1000) < 10)
        add_cat(e, "dementia", 0);
}

/* Set of used keys (ID-number prefixes, card UIDs): open addressing over
 * non-zero 64-bit keys. */
typedef struct keyset {
    uint64_t *v;
    size_t cap, n;
} keyset;

/* Adds key (non-zero); returns 1 if added, 0 if present, <0 on no memory. */
static int keyset_add(keyset *k, uint64_t key)
{
    if ((k->n + 1) * 2 > k->cap) {
        size_t cap = k->cap ? k->cap * 2 : 4096;
        uint64_t *v = calloc(cap, sizeof *v);
        if (!v)
            return ZC_ENOMEM;
        for (size_t i = 0; i < k->cap; i++) {
            if (!k->v[i])
                continue;
            size_t j = (k->v[i] * 0x9e3779b97f4a7c15ull) >> 20 & (cap - 1);
            while (v[j])
                j = (j + 1) & (cap - 1);
            v[j] = k->v[i];
        }
        free(k->v);
        k->v = v;
        k->cap = cap;
    }
    size_t j = (key * 0x9e3779b97f4a7c15ull) >> 20 & (k->cap - 1);
    for (; k->v[j]; j = (j + 1) & (k->cap - 1))
        if (k->v[j] == key)
            return 0;
    k->v[j] = key;
    k->n++;
    return 1;
}

/* Builds an ID number from region, birth and sequence (odd = male). */
static void make_idnum(const char *region, zc_date b, int seq, char out[19])
{
    char tmp[48];
    snprintf(tmp, sizeof tmp, "%.6s%04u%02u%02u%03u", region, (unsigned)b.y % 10000u,
             (unsigned)b.m % 100u, (unsigned)b.d % 100u, (unsigned)seq % 1000u);
    snprintf(out, 19, "%.17s?", tmp);
    out[17] = zc_idnum_check_char(out);
}

static void regions_for(zc_elder *e, const char *district, rng *r)
{
    snprintf(e->reg_city, sizeof e->reg_city, "%.2s0000", district);
    snprintf(e->reg_district, sizeof e->reg_district, "%s", district);
    snprintf(e->reg_town, sizeof e->reg_town, "%s%03u", district, 1 + below(r, 20));
    /* nearly everyone eating here lives in the canteen's district */
    snprintf(e->res_city, sizeof e->res_city, "110000");
    snprintf(e->res_district, sizeof e->res_district, "110105");
    snprintf(e->res_town, sizeof e->res_town, "110105%03u", below(r, 10) < 6 ? 10 : 1 + below(r, 20));
}

/* A card waiting to be written (after all elders, in UID order). */
typedef struct dcard {
    uint64_t uid;
    long elder_no; /* E%07ld */
    zc_date to;
    store_card_status status;
} dcard;

typedef struct dcards {
    dcard *v;
    size_t n, cap;
} dcards;

static int dcard_cmp(const void *a, const void *b)
{
    uint64_t x = ((const dcard *)a)->uid, y = ((const dcard *)b)->uid;
    return x < y ? -1 : x > y;
}

/* Writes the collected cards sorted by UID: appending in key order is far
 * cheaper than a million random inserts. */
static int put_cards(store_t *st, dcards *cs, int64_t now, zc_err *err)
{
    if (cs->n > 1)
        qsort(cs->v, cs->n, sizeof cs->v[0], dcard_cmp);
    for (size_t i = 0; i < cs->n; i++) {
        char id[ZC_ID_MAX];
        snprintf(id, sizeof id, "E%07ld", cs->v[i].elder_no);
        int rc = store_card_write(st, cs->v[i].uid, id, cs->v[i].status, (zc_date){0, 0, 0},
                                  cs->v[i].to, now);
        if (rc != SQLITE_DONE)
            return store_dbfail(st, rc, "the demo roster", err);
    }
    return ZC_OK;
}

/* Writes one elder and queues its card; ZC_OK or a ZC_E* code with err. */
static int put_elder(store_t *st, const zc_elder *e, const char *idnum, const char *phone,
                     dcards *cards, const dcard *card, int64_t now, zc_err *err)
{
    store_elder_row row;
    const char *field = NULL;
    zc_err why;
    if (store_elder_check(st, e, idnum, phone, 0, &row, &field, &why) != ZC_OK)
        return zc_errf(err, ZC_EINVAL, "internal error: demo elder %s: %s: %s", e->id, field,
                       why.msg);
    int rc = store_elder_write(st, &row, now);
    if (rc != SQLITE_DONE)
        return store_dbfail(st, rc, "the demo roster", err);
    if (cards->n == cards->cap) {
        size_t cap = cards->cap ? cards->cap * 2 : 1024;
        dcard *v = realloc(cards->v, cap * sizeof *v);
        if (!v)
            return zc_errf(err, ZC_ENOMEM, "out of memory filling the demo roster");
        cards->v = v;
        cards->cap = cap;
    }
    cards->v[cards->n++] = *card;
    return ZC_OK;
}

static int put_fixtures(store_t *st, keyset *idset, dcards *cards, int64_t now, zc_err *err)
{
    for (int i = 0; i < NFIXTURES; i++) {
        zc_elder e;
        char idnum[19];
        memset(&e, 0, sizeof e);
        snprintf(e.id, sizeof e.id, "E%07d", i + 1);
        snprintf(e.name, sizeof e.name, "%s", fixtures[i].name);
        if (zc_date_parse(fixtures[i].birth, &e.birth) != ZC_OK)
            return zc_errf(err, ZC_EINVAL, "internal error: fixture birth %s", fixtures[i].birth);
        snprintf(e.reg_city, sizeof e.reg_city, "%.2s0000", fixtures[i].region);
        snprintf(e.reg_district, sizeof e.reg_district, "%s", fixtures[i].region);
        snprintf(e.reg_town, sizeof e.reg_town, "%s", fixtures[i].reg_town);
        snprintf(e.res_city, sizeof e.res_city, "110000");
        snprintf(e.res_district, sizeof e.res_district, "110105");
        snprintf(e.res_town, sizeof e.res_town, "110105010");
        if (*fixtures[i].cats &&
            zc_cats_parse(fixtures[i].cats, e.cats, ZC_MAX_CATS, &e.ncats, err) != ZC_OK)
            return ZC_EINVAL;
        e.care_home = fixtures[i].care_home;
        e.status = fixtures[i].suspended ? ZC_ELDER_SUSPENDED : ZC_ELDER_ACTIVE;
        make_idnum(fixtures[i].region, e.birth, fixtures[i].seq, idnum);
        (void)keyset_add(idset, strtoull(idnum, NULL, 10) / 10 + 1); /* first 17 digits */
        store_card_status cs = strcmp(fixtures[i].card_status, "lost") == 0      ? STORE_CARD_LOST
                               : strcmp(fixtures[i].card_status, "blocked") == 0 ? STORE_CARD_BLOCKED
                                                                                 : STORE_CARD_ACTIVE;
        zc_date to = {0, 0, 0};
        if (fixtures[i].card_to && zc_date_parse(fixtures[i].card_to, &to) != ZC_OK)
            return zc_errf(err, ZC_EINVAL, "internal error: fixture card date");
        dcard card = {0xA0u + (uint64_t)i + 1, i + 1, to, cs};
        int ret = put_elder(st, &e, idnum, fixtures[i].phone, cards, &card, now, err);
        if (ret)
            return ret;
    }
    return ZC_OK;
}

/* One synthetic elder number i (1-based among the synthetic ones). */
static int put_synthetic(store_t *st, rng *r, long i, keyset *idset, keyset *uids,
                         dcards *cards, int64_t now, zc_err *err)
{
    zc_elder e;
    char idnum[19], phone[16] = "";
    memset(&e, 0, sizeof e);
    snprintf(e.id, sizeof e.id, "E%07ld", (long)NFIXTURES + i);
    char gender = below(r, 100) < 53 ? 'F' : 'M';
    make_name(r, gender, e.name, sizeof e.name);
    /* ages 60..100, skewed young (exponential, mean about 71) */
    int age;
    do
        age = 60 + (int)(-log(1.0 - unit(r)) * 11.0);
    while (age > 100);
    int y = REF_YEAR - age;
    e.birth = zc_civil_from_days(zc_days_from_civil((zc_date){y, 1, 1}) +
                                 below(r, zc_leap_year(y) ? 366 : 365));
    int total = 0, x;
    for (int k = 0; k < N(districts); k++)
        total += districts[k].w;
    x = (int)below(r, (uint32_t)total);
    int di = 0;
    while ((x -= districts[di].w) >= 0 && di < N(districts) - 1)
        di++;
    regions_for(&e, districts[di].district, r);
    make_categories(r, &e);
    e.care_home = below(r, 1000) < 10;
    e.status = below(r, 1000) < 5 ? ZC_ELDER_SUSPENDED : ZC_ELDER_ACTIVE;
    for (int tries = 0;; tries++) { /* a sequence number not used for this region and day */
        int seq = (int)below(r, 500) * 2 + (gender == 'M');
        make_idnum(districts[di].district, e.birth, seq, idnum);
        int added = keyset_add(idset, strtoull(idnum, NULL, 10) / 10 + 1);
        if (added < 0)
            return zc_errf(err, ZC_ENOMEM, "out of memory filling the demo roster");
        if (added)
            break;
        if (tries > 2000)
            return zc_errf(err, ZC_ETOOBIG, "the demo roster ran out of ID numbers; ask for fewer "
                           "elders");
    }
    if (below(r, 100) < 75) {
        static const char *const prefixes[] = {"13", "15", "18", "17", "19"};
        snprintf(phone, sizeof phone, "%s%09u", prefixes[below(r, 5)], below(r, 1000000000));
    }
    uint64_t uid;
    int added;
    do {
        uid = ((uint64_t)(1 + below(r, 255)) << 32) | (rnext(r) & 0xFFFFFFFFull);
        if ((added = keyset_add(uids, uid)) < 0)
            return zc_errf(err, ZC_ENOMEM, "out of memory filling the demo roster");
    } while (!added);
    uint32_t c = below(r, 1000);
    store_card_status cs = c < 10 ? STORE_CARD_LOST : c < 13 ? STORE_CARD_BLOCKED : STORE_CARD_ACTIVE;
    zc_date to = {0, 0, 0};
    if (c >= 13 && c < 18) /* expired during 2025 */
        to = zc_civil_from_days(zc_days_from_civil((zc_date){2025, 1, 1}) + below(r, 365));
    dcard card = {uid, (long)NFIXTURES + i, to, cs};
    return put_elder(st, &e, idnum, phone, cards, &card, now, err);
}

/* Counts the rows of the elder table. */
static int elder_count(store_t *st, long *n, zc_err *err)
{
    sqlite3_stmt *s;
    int ret = store_prep(st, Q_ELDER_COUNT, "SELECT count(*) FROM elder", &s, err);
    if (ret)
        return ret;
    int rc = sqlite3_step(s);
    if (rc == SQLITE_ROW)
        *n = (long)sqlite3_column_int64(s, 0);
    else
        ret = store_dbfail(st, rc, "the demo roster", err);
    store_done(s);
    return ret;
}

static int meta_default(store_t *st, const char *key, const char *value, zc_err *err)
{
    char buf[128];
    int ret = store_meta_get(st, key, buf, sizeof buf);
    if (ret == ZC_ENOTFOUND)
        return store_meta_set(st, key, value, err);
    return ret == ZC_OK || ret == ZC_ETOOBIG ? ZC_OK : zc_errf(err, ret, "could not read setting %s",
                                                                key);
}

/* Settings, canteen, menu, operators and policy (each in its own small
 * transaction), then the roster in one transaction. */
int store_demo_fill(store_t *st, const char *policy_json, long n_elders, uint64_t seed, zc_err *err)
{
    keyset idset = {0}, uids = {0};
    store_bulk bulk = {{0}, 0};
    dcards cards = {0};
    rng r = {seed};
    long have = 0;
    int ret;
    if (!st || !policy_json || n_elders < 0 || n_elders > 9000000)
        return zc_errf(err, ZC_EINVAL, "the demo needs a policy and 0 to 9000000 elders");
    if ((ret = elder_count(st, &have, err)))
        return ret;
    if (have > 0)
        return zc_errf(err, ZC_ECONFLICT, "this database already has %ld elders; demo data goes into "
                       "a new database", have);
    if ((ret = meta_default(st, "terminal_id", "T-0001", err)) ||
        (ret = meta_default(st, "canteen_id", demo_canteen.id, err)) ||
        (ret = meta_default(st, "card_format", "hex10", err)) ||
        (ret = meta_default(st, "tz", "Asia/Shanghai", err)))
        return ret;
    zc_canteen c = demo_canteen;
    if (store_meta_get(st, "canteen_id", c.id, sizeof c.id) != ZC_OK)
        snprintf(c.id, sizeof c.id, "%s", demo_canteen.id);
    if ((ret = store_canteen_set(st, &c, err)))
        return ret;
    for (int i = 0; i < N(menu); i++) {
        store_item it;
        memset(&it, 0, sizeof it);
        snprintf(it.code, sizeof it.code, "%s", menu[i].code);
        snprintf(it.name, sizeof it.name, "%s", menu[i].name);
        snprintf(it.category, sizeof it.category, "%s", menu[i].category);
        it.price_fen = menu[i].price;
        it.eligible = menu[i].eligible;
        snprintf(it.periods, sizeof it.periods, "%s", menu[i].periods);
        it.active = true;
        if ((ret = store_item_put(st, &it, err)))
            return ret;
    }
    for (int i = 0; i < N(operators); i++) {
        store_operator op;
        memset(&op, 0, sizeof op);
        snprintf(op.id, sizeof op.id, "%s", operators[i].id);
        snprintf(op.name, sizeof op.name, "%s", operators[i].name);
        op.role = operators[i].role;
        op.active = true;
        ret = store_operator_add(st, &op, operators[i].pin, err);
        if (ret && ret != ZC_ECONFLICT) /* an existing operator is kept */
            return ret;
    }
    if ((ret = store_policy_add(st, policy_json, strlen(policy_json), err)))
        return ret;
    /* every card's elder is written first, here: foreign-key lookups are
     * redundant, and switched off for the load */
    if ((ret = store_fk(st, false, err)))
        return ret;
    if ((ret = store_begin(st, "the demo roster", err)))
        goto out;
    int64_t now = zc_now();
    if ((ret = store_bulk_begin(st, &bulk, err)) ||
        (ret = put_fixtures(st, &idset, &cards, now, err)))
        goto out;
    for (long i = 1; i <= n_elders; i++)
        if ((ret = put_synthetic(st, &r, i, &idset, &uids, &cards, now, err)))
            goto out;
    if ((ret = put_cards(st, &cards, now, err)) || (ret = store_bulk_end(st, &bulk, err)))
        goto out;
    ret = store_commit(st, "the demo roster", err);
out:
    store_rollback(st); /* also brings back dropped indexes */
    if (store_fk(st, true, ret ? NULL : err) != ZC_OK && ret == ZC_OK)
        ret = ZC_EDB;
    store_bulk_free(&bulk);
    free(cards.v);
    free(idset.v);
    free(uids.v);
    return ret;
}
