/* model.h - the plain structs the core engine reasons about.
 *
 * No pointers inside: every struct can be copied, stored in an array and
 * zero-initialised.  Strings are bounded, NUL-terminated and UTF-8. */
#ifndef ZC_MODEL_H
#define ZC_MODEL_H

#include <stdbool.h>

#include "civil.h"
#include "money.h"

#define ZC_ID_MAX 48    /* ids: elder, rule, policy, item, operator, uuid */
#define ZC_NAME_MAX 96  /* display names (UTF-8, ~30 Chinese characters) */
#define ZC_CODE_MAX 24  /* region codes, category codes, period ids, sources */
#define ZC_MAX_CATS 12  /* category codes per elder */
#define ZC_MAX_LINES 64 /* lines per cart */

typedef enum zc_elder_status {
    ZC_ELDER_ACTIVE = 0,
    ZC_ELDER_SUSPENDED,
    ZC_ELDER_DECEASED,
} zc_elder_status;

/* A category code with an optional level (e.g. disabled_care level 2). */
typedef struct zc_category {
    char code[ZC_CODE_MAX];
    int level; /* 0 when the code has no level */
} zc_category;

/* One person on the roster. */
typedef struct zc_elder {
    char id[ZC_ID_MAX];         /* roster id, stable across terminals */
    char name[ZC_NAME_MAX];     /* full name; display masked (see zc_name_mask) */
    zc_date birth;
    char reg_city[ZC_CODE_MAX]; /* registration (户籍): region codes */
    char reg_district[ZC_CODE_MAX];
    char reg_town[ZC_CODE_MAX];
    char res_city[ZC_CODE_MAX]; /* residence (居住地) */
    char res_district[ZC_CODE_MAX];
    char res_town[ZC_CODE_MAX];
    zc_category cats[ZC_MAX_CATS];
    int ncats;
    int disability_grade; /* 0 = none, 1 (most severe) .. 4 */
    bool care_home;       /* lives in a care home (often excluded) */
    zc_elder_status status;
    zc_date valid_from;   /* eligibility window; y == 0 = open */
    zc_date valid_to;
    char canteen[ZC_ID_MAX]; /* canteen that issued the card ("" unknown) */
} zc_elder;

/* The canteen the terminal belongs to (for "home district" funding). */
typedef struct zc_canteen {
    char id[ZC_ID_MAX];
    char name[ZC_NAME_MAX];
    char city[ZC_CODE_MAX];
    char district[ZC_CODE_MAX];
    char town[ZC_CODE_MAX];
    char type[ZC_CODE_MAX]; /* kind of canteen for policy scopes ("" none): "central_kitchen" ... */
} zc_canteen;

/* What a cart line sells: a dish (default) or the fee for delivering the
 * meal, which policies subsidise apart ("items": "delivery_fee"). */
typedef enum zc_line_kind { ZC_LINE_DISH = 0, ZC_LINE_DELIVERY_FEE } zc_line_kind;

/* One cart line. */
typedef struct zc_line {
    char code[ZC_ID_MAX];
    char name[ZC_NAME_MAX];
    zc_fen unit_fen;
    int qty;       /* >= 1 */
    bool eligible; /* subsidy-eligible (set meals); never set on a delivery fee */
    int kind;      /* enum zc_line_kind */
} zc_line;

typedef struct zc_cart {
    zc_line lines[ZC_MAX_LINES];
    int n;
} zc_cart;

/* One earlier subsidised use by this elder (from the store or the centre):
 * the rule's limit key, the local date and meal period of the sale, and the
 * amount that rule gave.  Voided sales are not uses. */
typedef struct zc_use {
    zc_date date;
    char period[ZC_CODE_MAX];
    char key[ZC_ID_MAX];
    zc_fen fen;
} zc_use;

/* Cart helpers.  zc_cart_add merges with an existing line of the same code. */
int zc_cart_add(zc_cart *c, const zc_line *l) ZC_MUST; /* ZC_ETOOBIG when full */
void zc_cart_remove(zc_cart *c, const char *code, int qty); /* qty <= 0: whole line */
zc_fen zc_cart_gross(const zc_cart *c);
zc_fen zc_cart_eligible(const zc_cart *c);

/* Masks a name for the elder-facing display: 张三英 -> 张*英, 张三 -> 张*,
 * 欧阳小明 -> 欧**明.  Works on UTF-8 code points. Returns out. */
char *zc_name_mask(const char *name, char *out, int n);

/* Category helpers: "dibao;disabled_care:2" <-> array.  Parse rejects codes
 * that are not [a-z0-9_] and levels outside 0..9. */
int zc_cats_parse(const char *s, zc_category *out, int cap, int *n, zc_err *err) ZC_MUST;
char *zc_cats_fmt(const zc_category *c, int n, char *buf, int len);

/* True when s is valid UTF-8 (no overlongs, no surrogates, nothing past
 * U+10FFFF). */
bool zc_utf8_valid(const char *s);

#endif
