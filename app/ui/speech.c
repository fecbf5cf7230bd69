/* speech.c - events and amounts as sequences of clip names (see speech.h).
 *
 * Mandarin numbers are read in sections of four digits (个, 万, 亿): inside a
 * section each non-zero digit takes its place word (千 百 十), a run of zeros
 * between non-zero digits is one 零, trailing zeros are silent.  A section
 * after a higher one starts with 零 when it has fewer than four digits or a
 * whole section was skipped (一万零五百, 一亿零一).  10-19 at the very start
 * of a number is 十…, elsewhere 一十… (一百一十).  Money follows the till's
 * convention: 元, then 角, then 分, with 零 only for a missing 角 between 元
 * and 分 (十二元零五分). */
#include "speech.h"

#include <stdbool.h>
#include <stddef.h>
#include <string.h>

/* A bounded list of clip names being built. */
typedef struct seq {
    const char **v;
    int n, max;
    bool full; /* a push did not fit */
} seq;

static const char *const NUM[20] = {"n0",  "n1",  "n2",  "n3",  "n4",  "n5",  "n6",
                                    "n7",  "n8",  "n9",  "n10", "n11", "n12", "n13",
                                    "n14", "n15", "n16", "n17", "n18", "n19"};
static const char *const TENS[10] = {NULL,  "n10", "n20", "n30", "n40",
                                     "n50", "n60", "n70", "n80", "n90"};

static void push(seq *s, const char *clip)
{
    if (s->n < s->max)
        s->v[s->n++] = clip;
    else
        s->full = true;
}

static int finish(const seq *s) { return s->full ? ZC_ETOOBIG : s->n; }

speech_lang speech_lang_from(const char *lang)
{
    return lang && strncmp(lang, "en", 2) == 0 ? SPEECH_EN : SPEECH_ZH;
}

/* One Mandarin section 1..9999.  leading: nothing was said before it, so
 * 10-19 is 十… and not 一十…. */
static void zh_section(seq *s, int sec, bool leading)
{
    static const char *const place[4] = {NULL, "n10", "n100", "n1000"};
    int d[4] = {sec / 1000, sec / 100 % 10, sec / 10 % 10, sec % 10};
    bool started = false, zero = false;
    for (int i = 0; i < 4; i++) {
        int p = 3 - i;
        if (d[i] == 0) {
            zero = started; /* a zero counts only between digits */
            continue;
        }
        if (zero)
            push(s, "n0");
        zero = false;
        if (!(p == 1 && d[i] == 1 && leading && !started))
            push(s, NUM[d[i]]);
        if (p > 0)
            push(s, place[p]);
        started = true;
    }
}

/* A whole number of yuan in Mandarin, 0 .. 9999,9999,9999. */
static void zh_integer(seq *s, int64_t n)
{
    static const char *const unit[3] = {"yi", "wan", NULL};
    int sec[3] = {(int)(n / 100000000), (int)(n / 10000 % 10000), (int)(n % 10000)};
    bool said = false, gap = false;
    if (n == 0) {
        push(s, "n0");
        return;
    }
    for (int i = 0; i < 3; i++) {
        if (sec[i] == 0) {
            gap = said;
            continue;
        }
        if (said && (gap || sec[i] < 1000))
            push(s, "n0");
        zh_section(s, sec[i], !said);
        if (unit[i])
            push(s, unit[i]);
        said = true;
        gap = false;
    }
}

/* 1..999 in English: "one hundred five", "twenty one", "thirteen". */
static void en_group(seq *s, int g)
{
    if (g >= 100) {
        push(s, NUM[g / 100]);
        push(s, "n100");
        g %= 100;
    }
    if (g >= 20) {
        push(s, TENS[g / 10]);
        if (g % 10)
            push(s, NUM[g % 10]);
    } else if (g > 0) {
        push(s, NUM[g]);
    }
}

/* A whole number in English, 0 .. 999,999,999,999. */
static void en_integer(seq *s, int64_t n)
{
    static const char *const unit[4] = {"billion", "million", "n1000", NULL};
    int g[4] = {(int)(n / 1000000000 % 1000), (int)(n / 1000000 % 1000), (int)(n / 1000 % 1000),
                (int)(n % 1000)};
    if (n == 0) {
        push(s, "n0");
        return;
    }
    for (int i = 0; i < 4; i++) {
        if (g[i] == 0)
            continue;
        en_group(s, g[i]);
        if (unit[i])
            push(s, unit[i]);
    }
}

/* Appends the amount; false for amounts that are negative or too big. */
static bool say_amount(seq *s, speech_lang l, zc_fen fen)
{
    if (fen < 0 || fen > ZC_FEN_MAX)
        return false;
    int64_t yuan = fen / 100;
    int jiao = (int)(fen / 10 % 10), f = (int)(fen % 10);
    if (yuan > 0 || fen == 0) {
        if (l == SPEECH_EN)
            en_integer(s, yuan);
        else
            zh_integer(s, yuan);
        push(s, "yuan");
    }
    if (jiao > 0) {
        push(s, NUM[jiao]);
        push(s, "jiao");
    }
    if (f > 0) {
        if (l == SPEECH_ZH && yuan > 0 && jiao == 0)
            push(s, "n0");
        push(s, NUM[f]);
        push(s, "fen");
    }
    return true;
}

int speech_amount(speech_lang l, zc_fen fen, const char **clips, int max)
{
    seq s = {clips, 0, clips ? max : 0, false};
    if (!say_amount(&s, l, fen))
        return ZC_EINVAL;
    return finish(&s);
}

/* prefix + amount, or only zero_clip when the amount is zero. */
static int lead_amount(speech_lang l, const char *prefix, const char *zero_clip, zc_fen fen,
                       const char **clips, int max)
{
    seq s = {clips, 0, clips ? max : 0, false};
    if (fen < 0 || fen > ZC_FEN_MAX)
        return ZC_EINVAL;
    if (fen == 0) {
        if (zero_clip)
            push(&s, zero_clip);
        return finish(&s);
    }
    push(&s, prefix);
    (void)say_amount(&s, l, fen);
    return finish(&s);
}

int speech_pay(speech_lang l, zc_fen fen, const char **clips, int max)
{
    return lead_amount(l, "pay", "free_meal", fen, clips, max);
}

int speech_subsidy(speech_lang l, zc_fen fen, const char **clips, int max)
{
    return lead_amount(l, "subsidy", "no_subsidy", fen, clips, max);
}

int speech_change(speech_lang l, zc_fen fen, const char **clips, int max)
{
    return lead_amount(l, "change", NULL, fen, clips, max);
}

/* Status codes (till.c) and reason codes (subsidy.h) -> clip. */
static const struct {
    const char *code, *clip;
} CODES[] = {
    /* till_status_code() */
    {"ok", "card_ok"},
    {"malformed", "card_again"},
    {"unknown", "card_unknown"},
    {"ambiguous", "card_ambiguous"},
    {"card_lost", "card_lost"},
    {"card_blocked", "card_blocked"},
    {"card_expired", "card_expired"},
    {"card_not_yet_valid", "card_not_yet"},
    {"elder_suspended", "suspended"},
    {"elder_deceased", "card_closed"},
    {"qr_invalid", "qr_invalid"},
    /* zc_reason_code() */
    {"no_elder", "full_price"},
    {"elder_inactive", "suspended"},
    {"elder_not_valid", "not_eligible"},
    {"too_young", "not_eligible"},
    {"too_old", "not_eligible"},
    {"category_missing", "not_eligible"},
    {"category_excluded", "not_eligible"},
    {"not_registered", "not_eligible"},
    {"not_resident", "not_eligible"},
    {"disability", "not_eligible"},
    {"care_home", "not_eligible"},
    {"outside_period", "outside_period"},
    {"period_not_covered", "no_subsidy"},
    {"below_min_bill", "below_min_bill"},
    {"no_eligible_items", "no_eligible_items"},
    {"limit_period", "period_used"},
    {"limit_day", "limit_reached"},
    {"limit_week", "week_limit"},
    {"limit_month", "month_limit"},
    {"cap_day", "limit_reached"},
    {"cap_week", "week_cap"},
    {"cap_month", "month_limit"},
    {"outranked", "no_subsidy"},
    {"nothing_left", "no_subsidy"},
    {"no_funding", "not_eligible"},
    {"policy_not_in_force", "no_subsidy"},
    /* the short names used in speech prompts themselves */
    {"limit_reached", "limit_reached"},
    {"week_limit", "week_limit"},
    {"suspended", "suspended"},
    {"card_unknown", "card_unknown"},
};

static const char *code_lookup(const char *code)
{
    if (!code)
        return NULL;
    for (size_t i = 0; i < sizeof CODES / sizeof CODES[0]; i++)
        if (strcmp(CODES[i].code, code) == 0)
            return CODES[i].clip;
    return NULL;
}

const char *speech_code_clip(const char *code)
{
    const char *c = code_lookup(code);
    return c ? c : "see_staff";
}

int speech_quote(speech_lang l, zc_fen subsidy, const char *why_code, zc_fen pay,
                 const char **clips, int max)
{
    seq s = {clips, 0, clips ? max : 0, false};
    if (subsidy < 0 || subsidy > ZC_FEN_MAX || pay < 0 || pay > ZC_FEN_MAX)
        return ZC_EINVAL;
    push(&s, "card_ok");
    if (subsidy > 0) {
        push(&s, "subsidy");
        (void)say_amount(&s, l, subsidy);
    } else {
        const char *why = code_lookup(why_code);
        push(&s, why ? why : "no_subsidy");
    }
    if (pay > 0) {
        push(&s, "pay");
        (void)say_amount(&s, l, pay);
    } else {
        push(&s, "free_meal");
    }
    return finish(&s);
}

int speech_paid(speech_lang l, zc_fen change, const char **clips, int max)
{
    seq s = {clips, 0, clips ? max : 0, false};
    if (change < 0 || change > ZC_FEN_MAX)
        return ZC_EINVAL;
    push(&s, "paid");
    if (change > 0) {
        push(&s, "change");
        (void)say_amount(&s, l, change);
    }
    push(&s, "thanks");
    return finish(&s);
}

const char *const *speech_all_clips(void)
{
    static const char *const all[] = {
        "n0", "n1", "n2", "n3", "n4", "n5", "n6", "n7", "n8", "n9", "n10", "n11", "n12", "n13",
        "n14", "n15", "n16", "n17", "n18", "n19", "n20", "n30", "n40", "n50", "n60", "n70", "n80",
        "n90", "n100", "n1000", "wan", "yi", "million", "billion", "yuan", "jiao", "fen", "pay",
        "subsidy", "no_subsidy", "free_meal", "change", "paid", "thanks", "card_ok", "card_again",
        "card_unknown", "card_ambiguous", "card_lost", "card_blocked", "card_expired",
        "card_not_yet", "card_closed", "qr_invalid", "suspended", "full_price", "not_eligible",
        "outside_period", "below_min_bill", "no_eligible_items", "period_used", "limit_reached",
        "week_limit", "week_cap", "month_limit", "see_staff", NULL};
    return all;
}
