/* roster.h - one roster CSV row (columns in docs/roster.md), read and
 * checked the same way on the terminal (store/import.c) and the centre
 * (central/cstore_roster.c), so a file one accepts the other accepts too.
 *
 * Two steps, both reporting into a zc_roster_report, which lists every
 * problem of a file at once ("line N: field: reason"):
 *  - zc_roster_header_read / zc_roster_row_read: the text of each field (dates,
 *    numbers, enums, cards), into a zc_roster_row;
 *  - zc_roster_elder_check: the checks on the elder as a whole (id
 *    characters, ID number and its birth date, phone, region codes), which
 *    the terminal also applies to elders that do not come from a file.
 * Hashing the ID number needs the store's salt: zc_roster_idnum_fill. */
#ifndef ZC_CORE_ROSTER_H
#define ZC_CORE_ROSTER_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "civil.h"
#include "err.h"
#include "model.h"
#include "secure.h"

#define ZC_ROSTER_MAX_CARDS 8 /* cards per elder */
#define ZC_PHONE_MAX 24       /* a normalised phone number and its NUL */

/* The columns, in the order docs/roster.md lists them. */
typedef enum zc_roster_col {
    ZC_RC_ELDER_ID, ZC_RC_NAME, ZC_RC_ID_NUMBER, ZC_RC_BIRTH, ZC_RC_GENDER, ZC_RC_PHONE,
    ZC_RC_REG_CITY, ZC_RC_REG_DISTRICT, ZC_RC_REG_TOWN, ZC_RC_RES_CITY, ZC_RC_RES_DISTRICT,
    ZC_RC_RES_TOWN, ZC_RC_CATEGORIES, ZC_RC_GRADE, ZC_RC_CARE_HOME, ZC_RC_STATUS,
    ZC_RC_VALID_FROM, ZC_RC_VALID_TO, ZC_RC_CARDS,
    ZC_RC_NCOLS
} zc_roster_col;

/* The problems of one import: each written to out as "line N: field:
 * reason", the first kept for the caller's error, bad rows counted. */
typedef struct zc_roster_report {
    FILE *out;       /* borrowed; NULL: problems are only counted */
    long bad_rows;   /* rows with at least one problem */
    long line_bad;   /* the line last counted in bad_rows */
    char first[300]; /* the first problem, "" when none */
} zc_roster_report;

/* Records one problem of the row on line (field: the column at fault, NULL
 * for the row or the header). */
void zc_roster_bad(zc_roster_report *rep, long line, const char *field, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/* Where each column is in the file. */
typedef struct zc_roster_header {
    int map[ZC_RC_NCOLS]; /* field index of each column, -1 when absent */
    int nfields;          /* fields in the header row */
} zc_roster_header;

/* A card as a row lists it: "UID[:status[:valid_to]]". */
typedef struct zc_roster_card {
    uint64_t uid;
    char status[8];     /* active | lost | blocked */
    zc_date valid_to;   /* {0} = none */
} zc_roster_card;

/* One data row, read.  The strings point into the caller's fields. */
typedef struct zc_roster_row {
    zc_elder e;
    const char *id_number; /* as written, "" = none */
    const char *phone;     /* as written, "" = none */
    char gender;           /* the gender column: 'M', 'F' or 0 */
    zc_roster_card cards[ZC_ROSTER_MAX_CARDS];
    int ncards;
} zc_roster_row;

/* Maps the header row on line (names trimmed in place).  Every unknown,
 * repeated or missing required column goes to rep; ZC_EINVAL when there was
 * any. */
int zc_roster_header_read(char **fields, int n, long line, zc_roster_header *h,
                          zc_roster_report *rep) ZC_MUST;

/* Reads the data row on line into r (fields are trimmed in place).  *blank
 * is set for a row of empty fields (skip it).  Every problem goes to rep;
 * returns ZC_EINVAL when there was any, else ZC_OK.  A card listed twice
 * in the row is reported once and kept once. */
int zc_roster_row_read(const zc_roster_header *h, char **fields, int n, long line,
                       zc_roster_row *r, bool *blank, zc_roster_report *rep) ZC_MUST;

/* Checks an elder as a whole: id characters, name, birth date, the ID
 * number idnum (may be NULL or "") and its birth date, phone (NULL: not
 * checked) normalised into phone_out, region codes, grade, status and
 * validity.  *gender = the ID number's gender, or 0.  On ZC_EINVAL *field
 * names the column at fault and err says why (the first problem only). */
int zc_roster_elder_check(const zc_elder *e, const char *idnum, const char *phone,
                          char phone_out[ZC_PHONE_MAX], char *gender, const char **field,
                          zc_err *err) ZC_MUST;

/* Phone number: spaces and '-' dropped, optional leading '+', 5 to 20
 * digits ("" stays "").  ZC_EINVAL otherwise. */
int zc_roster_phone_norm(const char *in, char out[ZC_PHONE_MAX]) ZC_MUST;

/* The salted hash and last four characters of a valid ID number (not
 * checked here; a final 'x' counts as 'X'). */
void zc_roster_idnum_fill(const char *salt, const char *idnum, char id_hash[ZC_SHA256_HEX],
                          char id_last4[5]);

#endif
