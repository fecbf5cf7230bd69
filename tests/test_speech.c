/* test_speech.c - amounts and prompts as clip sequences, and every clip
 * name the module can say exists in assets/sounds.txt.
 * ZC_ASSETS (default "assets") names the assets directory. */
#include "../app/ui/speech.h"
#include "check.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Joins clips with spaces into buf ("n1 n10 yuan"), or "ERR<rc>". */
static const char *join(int n, const char **clips, char *buf, size_t cap)
{
    size_t len = 0;
    buf[0] = '\0';
    if (n < 0) {
        snprintf(buf, cap, "ERR%d", n);
        return buf;
    }
    for (int i = 0; i < n; i++) {
        int w = snprintf(buf + len, cap - len, "%s%s", i ? " " : "", clips[i]);
        if (w < 0 || (size_t)w >= cap - len)
            break;
        len += (size_t)w;
    }
    return buf;
}

static const char *say(speech_lang l, zc_fen fen, char *buf, size_t cap)
{
    const char *clips[SPEECH_MAX_CLIPS];
    return join(speech_amount(l, fen, clips, SPEECH_MAX_CLIPS), clips, buf, cap);
}

static const struct {
    zc_fen fen;
    const char *zh;
} ZH[] = {
    {800, "n8 yuan"},                                  /* 八元 */
    {1250, "n10 n2 yuan n5 jiao"},                     /* 十二元五角 */
    {1205, "n10 n2 yuan n0 n5 fen"},                   /* 十二元零五分 */
    {10, "n1 jiao"},                                   /* 一角 */
    {5, "n5 fen"},                                     /* 五分 */
    {15, "n1 jiao n5 fen"},                            /* 一角五分 */
    {0, "n0 yuan"},                                    /* 零元 */
    {2000, "n2 n10 yuan"},                             /* 二十元 */
    {10500, "n1 n100 n0 n5 yuan"},                     /* 一百零五元 */
    {1000000, "n1 wan yuan"},                          /* 一万元 */
    {11000, "n1 n100 n1 n10 yuan"},                    /* 一百一十元 */
    {100, "n1 yuan"},                                  /* 一元 */
    {105, "n1 yuan n0 n5 fen"},                        /* 一元零五分 */
    {199, "n1 yuan n9 jiao n9 fen"},                   /* 一元九角九分 */
    {1000, "n10 yuan"},                                /* 十元 */
    {1100, "n10 n1 yuan"},                             /* 十一元 */
    {1900, "n10 n9 yuan"},                             /* 十九元 */
    {2100, "n2 n10 n1 yuan"},                          /* 二十一元 */
    {10000, "n1 n100 yuan"},                           /* 一百元 */
    {100100, "n1 n1000 n0 n1 yuan"},                   /* 一千零一元 */
    {101000, "n1 n1000 n0 n1 n10 yuan"},               /* 一千零一十元 */
    {110000, "n1 n1000 n1 n100 yuan"},                 /* 一千一百元 */
    {123456, "n1 n1000 n2 n100 n3 n10 n4 yuan n5 jiao n6 fen"},
    {1001000, "n1 wan n0 n1 n10 yuan"},                /* 一万零一十元 */
    {1050000, "n1 wan n0 n5 n100 yuan"},               /* 一万零五百元 */
    {1100000, "n1 wan n1 n1000 yuan"},                 /* 一万一千元 */
    {10000000, "n10 wan yuan"},                        /* 十万元 */
    {12000000, "n10 n2 wan yuan"},                     /* 十二万元 */
    {100000000, "n1 n100 wan yuan"},                   /* 一百万元 */
    {10000000000, "n1 yi yuan"},                       /* 一亿元 */
    {10000000100, "n1 yi n0 n1 yuan"},                 /* 一亿零一元 */
    {10000100000, "n1 yi n0 n1 n1000 yuan"},           /* 一亿零一千元 */
    {10001000000, "n1 yi n0 n1 wan yuan"},             /* 一亿零一万元 */
    {ZC_FEN_MAX, "n10 yi yuan"},                       /* 十亿元 */
    {99999999999, "n9 yi n9 n1000 n9 n100 n9 n10 n9 wan n9 n1000 n9 n100 n9 n10 n9 yuan n9 jiao n9 fen"},
};

static void t_zh_amounts(void)
{
    char buf[512];
    for (size_t i = 0; i < sizeof ZH / sizeof ZH[0]; i++) {
        const char *got = say(SPEECH_ZH, ZH[i].fen, buf, sizeof buf);
        if (strcmp(got, ZH[i].zh) != 0)
            fprintf(stderr, "  amount %lld fen:\n", (long long)ZH[i].fen);
        CHECK_STR(got, ZH[i].zh);
    }
}

static const struct {
    zc_fen fen;
    const char *en;
} EN[] = {
    {800, "n8 yuan"},
    {1250, "n12 yuan n5 jiao"},
    {1205, "n12 yuan n5 fen"},
    {10, "n1 jiao"},
    {0, "n0 yuan"},
    {2000, "n20 yuan"},
    {2150, "n20 n1 yuan n5 jiao"},
    {10500, "n1 n100 n5 yuan"},
    {11900, "n1 n100 n19 yuan"},
    {1000000, "n10 n1000 yuan"},
    {123456, "n1 n1000 n2 n100 n30 n4 yuan n5 jiao n6 fen"},
    {100000000, "n1 million yuan"},
    {ZC_FEN_MAX, "n1 billion yuan"},
};

static void t_en_amounts(void)
{
    char buf[512];
    for (size_t i = 0; i < sizeof EN / sizeof EN[0]; i++)
        CHECK_STR(say(SPEECH_EN, EN[i].fen, buf, sizeof buf), EN[i].en);
}

static void t_bad(void)
{
    const char *clips[SPEECH_MAX_CLIPS];
    CHECK_INT(speech_amount(SPEECH_ZH, -1, clips, SPEECH_MAX_CLIPS), ZC_EINVAL);
    CHECK_INT(speech_amount(SPEECH_ZH, ZC_FEN_MAX + 1, clips, SPEECH_MAX_CLIPS), ZC_EINVAL);
    CHECK_INT(speech_amount(SPEECH_ZH, 1250, clips, 3), ZC_ETOOBIG);
    CHECK_INT(speech_amount(SPEECH_ZH, 1250, clips, 5), 5);
    CHECK_INT(speech_amount(SPEECH_ZH, 1250, NULL, 0), ZC_ETOOBIG);
    CHECK_INT(speech_pay(SPEECH_ZH, -5, clips, SPEECH_MAX_CLIPS), ZC_EINVAL);
    CHECK_INT(speech_quote(SPEECH_ZH, 0, NULL, -1, clips, SPEECH_MAX_CLIPS), ZC_EINVAL);
    CHECK(speech_lang_from("en") == SPEECH_EN);
    CHECK(speech_lang_from("en_US") == SPEECH_EN);
    CHECK(speech_lang_from("zh_CN") == SPEECH_ZH);
    CHECK(speech_lang_from(NULL) == SPEECH_ZH);
}

static void t_prompts(void)
{
    const char *c[SPEECH_MAX_CLIPS];
    char buf[512];
    CHECK_STR(join(speech_pay(SPEECH_ZH, 800, c, SPEECH_MAX_CLIPS), c, buf, sizeof buf),
              "pay n8 yuan");
    CHECK_STR(join(speech_pay(SPEECH_ZH, 0, c, SPEECH_MAX_CLIPS), c, buf, sizeof buf), "free_meal");
    CHECK_STR(join(speech_subsidy(SPEECH_ZH, 300, c, SPEECH_MAX_CLIPS), c, buf, sizeof buf),
              "subsidy n3 yuan");
    CHECK_STR(join(speech_subsidy(SPEECH_ZH, 0, c, SPEECH_MAX_CLIPS), c, buf, sizeof buf),
              "no_subsidy");
    CHECK_STR(join(speech_subsidy(SPEECH_EN, 1250, c, SPEECH_MAX_CLIPS), c, buf, sizeof buf),
              "subsidy n12 yuan n5 jiao");
    CHECK_STR(join(speech_change(SPEECH_ZH, 0, c, SPEECH_MAX_CLIPS), c, buf, sizeof buf), "");
    CHECK_STR(join(speech_change(SPEECH_ZH, 750, c, SPEECH_MAX_CLIPS), c, buf, sizeof buf),
              "change n7 yuan n5 jiao");
    CHECK_STR(join(speech_quote(SPEECH_ZH, 300, NULL, 900, c, SPEECH_MAX_CLIPS), c, buf, sizeof buf),
              "card_ok subsidy n3 yuan pay n9 yuan");
    CHECK_STR(join(speech_quote(SPEECH_ZH, 0, "limit_week", 1200, c, SPEECH_MAX_CLIPS), c, buf,
                   sizeof buf),
              "card_ok week_limit pay n10 n2 yuan");
    CHECK_STR(join(speech_quote(SPEECH_ZH, 0, "something_new", 1200, c, SPEECH_MAX_CLIPS), c, buf,
                   sizeof buf),
              "card_ok no_subsidy pay n10 n2 yuan");
    CHECK_STR(join(speech_quote(SPEECH_ZH, 1200, NULL, 0, c, SPEECH_MAX_CLIPS), c, buf, sizeof buf),
              "card_ok subsidy n10 n2 yuan free_meal");
    CHECK_STR(join(speech_paid(SPEECH_ZH, 250, c, SPEECH_MAX_CLIPS), c, buf, sizeof buf),
              "paid change n2 yuan n5 jiao thanks");
    CHECK_STR(join(speech_paid(SPEECH_ZH, 0, c, SPEECH_MAX_CLIPS), c, buf, sizeof buf),
              "paid thanks");
    CHECK_STR(speech_code_clip("card_lost"), "card_lost");
    CHECK_STR(speech_code_clip("elder_suspended"), "suspended");
    CHECK_STR(speech_code_clip("card_not_yet_valid"), "card_not_yet");
    CHECK_STR(speech_code_clip("outside_period"), "outside_period");
    CHECK_STR(speech_code_clip("limit_day"), "limit_reached");
    CHECK_STR(speech_code_clip("no_such_code"), "see_staff");
    CHECK_STR(speech_code_clip(NULL), "see_staff");
}

/* The names of assets/sounds.txt, loaded once. */
static char sound_names[256][48];
static int nsound_names = -1;

static void load_sounds(void)
{
    const char *dir = getenv("ZC_ASSETS");
    char path[512], line[1024];
    if (nsound_names >= 0)
        return;
    nsound_names = 0;
    snprintf(path, sizeof path, "%s/sounds.txt", dir && *dir ? dir : "assets");
    FILE *f = fopen(path, "r");
    if (!f) {
        fprintf(stderr, "  cannot open %s (run from the repository root or set ZC_ASSETS)\n", path);
        return;
    }
    while (fgets(line, sizeof line, f)) {
        char *tab = strchr(line, '\t');
        if (line[0] == '#' || !tab || tab - line >= 48 || nsound_names >= 256)
            continue;
        *tab = '\0';
        memcpy(sound_names[nsound_names++], line, (size_t)(tab - line) + 1); /* fits: < 48 */
    }
    fclose(f);
}

static int in_sounds(const char *name)
{
    load_sounds();
    for (int i = 0; i < nsound_names; i++)
        if (strcmp(sound_names[i], name) == 0)
            return 1;
    fprintf(stderr, "  clip \"%s\" is not in sounds.txt\n", name);
    return 0;
}

static int in_all(const char *name)
{
    for (const char *const *a = speech_all_clips(); *a; a++)
        if (strcmp(*a, name) == 0)
            return 1;
    fprintf(stderr, "  clip \"%s\" is not in speech_all_clips()\n", name);
    return 0;
}

/* Every declared clip is recorded, and every produced clip is declared:
 * amounts across every digit pattern in both languages, and every code. */
static void t_clips_exist(void)
{
    const char *c[SPEECH_MAX_CLIPS];
    load_sounds();
    CHECK(nsound_names > 50);
    for (const char *const *a = speech_all_clips(); *a; a++)
        CHECK(in_sounds(*a));
    int bad = 0;
    for (int l = SPEECH_ZH; l <= SPEECH_EN; l++) {
        zc_fen f = 0;
        for (int i = 0; i < 40000; i++) {
            int n = speech_quote((speech_lang)l, f, NULL, f / 3, c, SPEECH_MAX_CLIPS);
            CHECK(n > 0);
            for (int j = 0; j < n; j++)
                bad += !in_all(c[j]);
            f = i < 30000 ? i : f * 7 / 5 + i;
            if (f > ZC_FEN_MAX)
                f = ZC_FEN_MAX - i;
        }
        int n = speech_paid((speech_lang)l, 123, c, SPEECH_MAX_CLIPS);
        for (int j = 0; j < n; j++)
            bad += !in_all(c[j]);
    }
    static const char *const codes[] = {
        "ok", "malformed", "unknown", "ambiguous", "card_lost", "card_blocked", "card_expired",
        "card_not_yet_valid", "elder_suspended", "elder_deceased", "qr_invalid", "no_elder",
        "elder_inactive", "too_young", "outside_period", "below_min_bill", "no_eligible_items",
        "limit_period", "limit_day", "limit_week", "limit_month", "cap_day", "cap_week",
        "cap_month", "no_funding", "x", NULL};
    for (int i = 0; codes[i]; i++)
        bad += !in_all(speech_code_clip(codes[i]));
    CHECK_INT(bad, 0);
}

static const check_case cases[] = {
    {"zh_amounts", t_zh_amounts},
    {"en_amounts", t_en_amounts},
    {"bad", t_bad},
    {"prompts", t_prompts},
    {"clips_exist", t_clips_exist},
    {0},
};

int main(int argc, char **argv) { return check_main("test_speech", cases, argc, argv); }
