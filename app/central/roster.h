/* roster.h - a roster row as the centre holds it, for any store backend:
 * a row read and checked by core/roster.h (the terminal's own reader and
 * checks, so a file the terminal accepts is accepted here and the other way
 * round) to a central_elder_row, and the row's fingerprint. */
#ifndef ZC_CENTRAL_ROSTER_H
#define ZC_CENTRAL_ROSTER_H

#include <stdbool.h>

#include "../core/roster.h"
#include "cstore.h"

/* Checks the elder of a row read by zc_roster_row_read (core/roster.h) and
 * builds the centre's row: ID number hashed with salt, phone normalised,
 * cards given their elder.  On ZC_EINVAL *field names the column at fault
 * and err says why. */
int central_roster_row(const zc_roster_row *in, const char *salt, central_elder_row *r,
                       const char **field, zc_err *err) ZC_MUST;

/* SHA-256 over everything the roster endpoint sends for r (elder and
 * cards, cards in uid order; not change_no).  Equal fingerprints: nothing to
 * send again. */
void central_roster_fingerprint(const central_elder_row *r, char out[ZC_SHA256_HEX]);

const char *central_elder_status_name(zc_elder_status s);

#endif
