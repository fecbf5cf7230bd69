/* i18n.h - translations of the till's words from gettext-style catalogues.
 *
 * The UI is written in Chinese: every visible string in app/ui is a msgid
 * such as "请刷卡".  Other languages live in DIR/<lang>.po (msgid = the
 * Chinese text, msgstr = the translation); zh_CN needs no file.  Lookup
 * returns the msgid itself when a string is missing or untranslated, so a
 * gap shows Chinese rather than nothing.  Pure C: no gettext, no locale. */
#ifndef ZC_UI_I18N_H
#define ZC_UI_I18N_H

#include <stddef.h>

#include "../core/err.h"

#define I18N_FILE_MAX (1024 * 1024) /* a catalogue bigger than this is refused */
#define I18N_STR_MAX 4096           /* one msgid or msgstr, bytes after unescaping */
#define I18N_MAX_ENTRIES 8192

typedef struct i18n i18n_t;

/* Loads the catalogue for lang ("en", "en_US" -> DIR/en_US.po, else DIR/en.po).
 * "zh", "zh_CN", "" and NULL give an empty identity catalogue without
 * reading anything.  On failure *out is NULL and err names the file and,
 * for a malformed entry, its line ("assets/i18n/en.po:12: ...").
 * *out is owned by the caller: free with i18n_free. */
int i18n_load(const char *dir, const char *lang, i18n_t **out, zc_err *err) ZC_MUST;

/* Parses catalogue text (len bytes, need not be NUL-terminated); name is
 * used in messages.  Same ownership as i18n_load. */
int i18n_parse(const char *name, const char *text, size_t len, i18n_t **out,
               zc_err *err) ZC_MUST;

void i18n_free(i18n_t *c); /* NULL is fine */

/* The translation of msgid, or msgid itself (also for a NULL catalogue).
 * The result lives as long as the catalogue (or msgid). */
const char *i18n_tr(const i18n_t *c, const char *msgid);

/* Number of translated entries (0 for the identity catalogue). */
int i18n_count(const i18n_t *c);
/* The language the catalogue was loaded for ("zh_CN" for identity). */
const char *i18n_lang(const i18n_t *c);

#endif
