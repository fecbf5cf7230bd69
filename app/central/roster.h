/* roster.h - one roster CSV row (columns in docs/roster.md) to a checked
 * central_elder_row, for any store backend.  The checks are the terminal's
 * (app/store/roster.c store_elder_check), so a file the terminal accepts is
 * accepted here and the other way round. */
#ifndef ZC_CENTRAL_ROSTER_H
#define ZC_CENTRAL_ROSTER_H

#include <stdbool.h>

#include "cstore.h"

enum central_roster_col {
    RC_ELDER_ID, RC_NAME, RC_ID_NUMBER, RC_BIRTH, RC_GENDER, RC_PHONE,
    RC_REG_CITY, RC_REG_DISTRICT, RC_REG_TOWN, RC_RES_CITY, RC_RES_DISTRICT, RC_RES_TOWN,
    RC_CATEGORIES, RC_GRADE, RC_CARE_HOME, RC_STATUS, RC_VALID_FROM, RC_VALID_TO, RC_CARDS,
    RC_NCOLS
};

/* Where each column is in the file. */
typedef struct central_roster_header {
    int map[RC_NCOLS]; /* field index of each column, -1 when absent */
    int nfields;       /* fields in the header row */
} central_roster_header;

/* Maps the header row.  ZC_EINVAL with err naming an unknown, repeated or
 * missing required column. */
int central_roster_header_parse(char **fields, int n, central_roster_header *h, zc_err *err) ZC_MUST;

/* Checks one data row and fills r (ID number hashed with salt, phone
 * normalised, cards parsed from "UID[:status[:valid_to]];...").  *blank is
 * set for a row of empty fields (skip it).  On ZC_EINVAL *field names the
 * column at fault (NULL for the row) and err says why.  fields are trimmed
 * in place. */
int central_roster_row_parse(const central_roster_header *h, char **fields, int n, const char *salt,
                             central_elder_row *r, bool *blank, const char **field,
                             zc_err *err) ZC_MUST;

/* SHA-256 over everything the roster endpoint sends for r (elder and
 * cards, cards in uid order; not change_no).  Equal fingerprints: nothing to
 * send again. */
void central_roster_fingerprint(const central_elder_row *r, char out[ZC_SHA256_HEX]);

const char *central_elder_status_name(zc_elder_status s);

#endif
