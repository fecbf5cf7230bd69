/* policy_int.h - the inside of a parsed policy, shared by policy.c,
 * policy_parse.c and subsidy.c only.  Everything else uses policy.h.
 *
 * A parsed policy is a flat, pointer-free tree of fixed arrays: the parser
 * has validated every bound, so the engine can index without checks. */
#ifndef ZC_POLICY_INT_H
#define ZC_POLICY_INT_H

#include "calendar.h"
#include "policy.h"

#define POL_MAX_GROUPS 8
#define POL_MAX_WHO 8      /* alternatives in one rule's "who" */
#define POL_MAX_CATS 16    /* codes in one categories_* list */
#define POL_MAX_FUNDING 6  /* funding entries of one rule */
#define POL_MAX_JSON (1024 * 1024)
#define POL_MAX_DEPTH 10   /* the format needs 5 levels of nesting */
#define POL_MAX_CANTEENS 16 /* canteen ids or types in one scope */

enum pol_combine { POL_MAX, POL_SUM };
enum pol_home { POL_HOME_REGISTRATION, POL_HOME_RESIDENCE };
enum pol_items { POL_ITEMS_ELIGIBLE, POL_ITEMS_ALL, POL_ITEMS_ONE_ELIGIBLE, POL_ITEMS_DELIVERY_FEE };
enum pol_served { POL_SERVED_ANY, POL_SERVED_DINE_IN, POL_SERVED_DELIVERED };
enum pol_benefit { POL_FIXED_OFF, POL_PERCENT_OFF, POL_FIXED_PRICE, POL_FREE };
enum pol_care { POL_CARE_ANY, POL_CARE_EXCLUDE, POL_CARE_ONLY };
enum pol_fund_kind { POL_FUND_FEN, POL_FUND_PCT, POL_FUND_REST };
enum pol_only_if { POL_IF_ALWAYS, POL_IF_HOME_CITY, POL_IF_HOME_DISTRICT, POL_IF_HOME_TOWN };

/* A region constraint; "" fields match anything. */
typedef struct pol_area {
    char city[ZC_CODE_MAX];
    char district[ZC_CODE_MAX];
    char town[ZC_CODE_MAX];
} pol_area;

/* One alternative of "who": every set condition must hold. */
typedef struct pol_who {
    int age_min, age_max; /* -1 = no bound */
    char any[POL_MAX_CATS][ZC_CODE_MAX];
    int nany;
    char all[POL_MAX_CATS][ZC_CODE_MAX];
    int nall;
    char none[POL_MAX_CATS][ZC_CODE_MAX];
    int nnone;
    zc_category levels[POL_MAX_CATS]; /* minimum level for a code to count as held */
    int nlevels;
    bool has_reg, has_res;
    pol_area reg, res;
    unsigned grades; /* bit g set: disability grade g allowed; 0 = any */
    int care;        /* enum pol_care */
} pol_who;

/* Where a rule or a whole policy applies: a canteen listed by id or by
 * type.  Both lists empty = every canteen. */
typedef struct pol_scope {
    char ids[POL_MAX_CANTEENS][ZC_ID_MAX];
    int nids;
    char types[POL_MAX_CANTEENS][ZC_CODE_MAX];
    int ntypes;
} pol_scope;

typedef struct pol_fund {
    char source[ZC_CODE_MAX];
    int kind;     /* enum pol_fund_kind */
    zc_fen fen;   /* POL_FUND_FEN */
    int pct100;   /* POL_FUND_PCT: percent * 100 (33.33 % -> 3333) */
    int only_if;  /* enum pol_only_if */
} pol_fund;

/* Use limits; 0 means no limit of that kind. */
typedef struct pol_limits {
    char key[ZC_ID_MAX]; /* defaults to the rule id */
    int per_period_day, per_day, per_week, per_month;
    zc_fen cap_day, cap_week, cap_month;
} pol_limits;

typedef struct pol_rule {
    char id[ZC_ID_MAX];
    char name[ZC_NAME_MAX];
    int group;             /* index into policy groups */
    pol_scope at;          /* canteens / canteen_types */
    bool issuing_only;     /* only at the canteen that issued the elder's card */
    unsigned days;         /* bit zc_day_kind set: covered; 0 = every day */
    int served;            /* enum pol_served */
    pol_who who[POL_MAX_WHO];
    int nwho;              /* 0 = everyone identified */
    unsigned periods;      /* bit i: policy period i covered */
    zc_fen min_bill;       /* 0 = none */
    bool min_bill_gt;      /* ">" rather than ">=" */
    int items;             /* enum pol_items */
    int benefit;           /* enum pol_benefit */
    zc_fen fen;            /* fixed_off amount / fixed_price price */
    int percent100;        /* percent_off: percent * 100 */
    zc_fen cap_fen;        /* percent_off cap, 0 = none */
    pol_limits lim;
    pol_fund fund[POL_MAX_FUNDING];
    int nfund;
} pol_rule;

typedef struct pol_group {
    char id[ZC_CODE_MAX];
    int combine; /* enum pol_combine */
} pol_group;

struct zc_policy {
    char id[ZC_ID_MAX];
    char version[ZC_ID_MAX];
    char name[ZC_NAME_MAX];
    zc_date from, to;
    int home; /* enum pol_home */
    pol_scope at; /* canteens this version is for; empty = all */
    zc_period periods[ZC_MAX_PERIODS];
    int nperiods;
    pol_group groups[POL_MAX_GROUPS];
    int ngroups;
    pol_rule rules[ZC_MAX_RULES];
    int nrules;
};

/* True when the scope lists nothing, the canteen's id or its type. */
bool pol_scope_has(const pol_scope *s, const zc_canteen *k);

#endif
