/* keyfile.h - the terminal's secret key, kept outside the database, and
 * what it protects: PIN hashes and the sync token are stored sealed with it
 * (libsodium secretbox), so a copied database or backup alone gives up
 * neither.  See keyfile.c for where the key lives and docs/security.md for
 * what its loss means. */
#ifndef ZC_STORE_KEYFILE_H
#define ZC_STORE_KEYFILE_H

#include <stdbool.h>
#include <stddef.h>

#include "../core/err.h"

typedef struct store store_t;

#define STORE_KEY_FILE "zhucan.key" /* in the database's folder */
#define STORE_SEALED_MAX 640         /* a sealed value: "zk1:" + hex(nonce, tag, <= 256 bytes) */

/* The key file for the database at db: "<folder of db>/zhucan.key". */
void store_key_path(const char *db, char *out, size_t n);

/* Replaces a lost key: a new key file, every PIN cleared (operators get
 * new ones with `zhucan operator set-pin`) and sync_token removed (the
 * centre issues a new one).  Audited.  Refused while the old key is there
 * and opens the database's sealed values. */
int store_key_reset(store_t *st, zc_err *err) ZC_MUST;

#endif
