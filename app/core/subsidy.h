/* subsidy.h - the quote: what a meal costs an elder under a policy.
 *
 * Pure: given the policy, the elder, the canteen, the cart, the moment and
 * the elder's earlier uses, it computes the gross, every rule that applied
 * with its amount and funding split, what the elder pays, and for every
 * rule that did not apply, why.  The terminal and the central service call
 * the same function, so the centre can re-check any sale. */
#ifndef ZC_SUBSIDY_H
#define ZC_SUBSIDY_H

#include "calendar.h"
#include "model.h"
#include "policy.h"

#define ZC_MAX_PARTS 64

/* Why a rule did not apply.  Stable codes: they are stored and sent. */
typedef enum zc_reason {
    ZC_R_NONE = 0,
    ZC_R_NO_ELDER,          /* no elder identified: public price */
    ZC_R_ELDER_INACTIVE,    /* suspended / deceased */
    ZC_R_ELDER_NOT_VALID,   /* outside the elder's eligibility dates */
    ZC_R_TOO_YOUNG,
    ZC_R_TOO_OLD,
    ZC_R_CATEGORY_MISSING,  /* lacks a required category (any/all) */
    ZC_R_CATEGORY_EXCLUDED, /* holds an excluded category */
    ZC_R_NOT_REGISTERED,    /* 户籍 not in the required area */
    ZC_R_NOT_RESIDENT,      /* residence not in the required area */
    ZC_R_DISABILITY,        /* disability grade outside the range */
    ZC_R_CARE_HOME,         /* care-home residents excluded */
    ZC_R_OUTSIDE_PERIOD,    /* the moment is in no meal period */
    ZC_R_PERIOD_NOT_COVERED,/* the rule does not cover this period */
    ZC_R_BELOW_MIN_BILL,
    ZC_R_NO_ELIGIBLE_ITEMS,
    ZC_R_LIMIT_PERIOD,      /* already used this meal period today */
    ZC_R_LIMIT_DAY,
    ZC_R_LIMIT_WEEK,
    ZC_R_LIMIT_MONTH,
    ZC_R_CAP_DAY,           /* amount cap used up */
    ZC_R_CAP_WEEK,
    ZC_R_CAP_MONTH,
    ZC_R_OUTRANKED,         /* a higher rule in the same group won */
    ZC_R_NOTHING_LEFT,      /* earlier groups already brought the bill to 0 */
    ZC_R_NO_FUNDING,        /* no funding source applies here (e.g. away from home district) */
    ZC_R_POLICY_NOT_IN_FORCE,
    ZC_R_CANTEEN_NOT_COVERED,  /* the rule is for other canteens */
    ZC_R_NOT_ISSUING_CANTEEN,  /* the rule works only where the card was issued */
    ZC_R_DAY_NOT_COVERED,      /* not on this kind of day (weekend, public holiday) */
    ZC_R_SERVED_NOT_COVERED,   /* not for a dine-in / delivered meal */
    ZC_R_COUNT
} zc_reason;

/* Everything the engine needs.  All pointers are borrowed. */
typedef struct zc_quote_in {
    const zc_policy *policy;  /* must be non-NULL */
    const zc_elder *elder;    /* NULL: no elder, public price */
    const zc_canteen *canteen;
    const zc_cart *cart;
    zc_datetime at;           /* local time of the sale */
    const char *period;       /* cashier override (period id) or NULL/"" for the clock */
    const zc_use *uses;       /* the elder's earlier uses (any order) */
    int nuses;
    const zc_calendar *calendar; /* official days; NULL: Monday-Friday are working days */
    bool delivered;           /* the meal is delivered (送餐上门), not eaten at the canteen */
} zc_quote_in;

/* A rule that applied. */
typedef struct zc_applied {
    char rule[ZC_ID_MAX];
    char name[ZC_NAME_MAX];  /* rule display name */
    char group[ZC_CODE_MAX];
    char key[ZC_ID_MAX];     /* limit key this use counts against */
    zc_fen fen;              /* amount actually given (sum of its parts) */
    int left_day;            /* uses of this key left today after this sale, -1 = no limit */
    int left_week;           /* ... this week, -1 = no limit */
} zc_applied;

/* One funding source's share of one rule. */
typedef struct zc_part {
    char rule[ZC_ID_MAX];
    char source[ZC_CODE_MAX]; /* city, district, town, operator ... */
    zc_fen fen;
} zc_part;

typedef struct zc_refusal {
    char rule[ZC_ID_MAX];
    zc_reason reason;
    char detail[128]; /* specifics in English: "age 65 < 70", "5 of 5 used this week" */
} zc_refusal;

typedef struct zc_quote {
    zc_fen gross;     /* sum of lines */
    zc_fen eligible;  /* sum of subsidy-eligible lines */
    zc_fen subsidy;   /* sum of applied */
    zc_fen pay;       /* gross - subsidy, never < 0 */
    char period[ZC_CODE_MAX]; /* "" when outside every window */
    char policy_id[ZC_ID_MAX];
    char policy_version[ZC_ID_MAX];
    zc_applied applied[ZC_MAX_RULES];
    int napplied;
    zc_part parts[ZC_MAX_PARTS];
    int nparts;
    zc_refusal refusals[ZC_MAX_RULES];
    int nrefusals;
} zc_quote;

/* Computes the quote.  Fails only on programming errors (NULL policy/cart,
 * lines with negative prices): refusals are results, not errors. */
int zc_quote_compute(const zc_quote_in *in, zc_quote *out, zc_err *err) ZC_MUST;

/* Stable machine code of a reason ("too_young"). */
const char *zc_reason_code(zc_reason r);
/* Words for people: lang "zh" (年龄未到) or "en" (too young). */
const char *zc_reason_text(zc_reason r, const char *lang);

#endif
