/* jsontext.h - checks on JSON text before it is parsed, shared by the
 * policy parser and the sync protocol's reader: cJSON recurses once per
 * level, so text from outside is refused when nested too deep. */
#ifndef ZC_CORE_JSONTEXT_H
#define ZC_CORE_JSONTEXT_H

#include <stddef.h>

/* The deepest nesting of [ and { outside strings in s[0..len) (s need not
 * be NUL-terminated; unbalanced text is scanned as it is). */
int zc_json_depth(const char *s, size_t len);

/* The offset in s[0..len) of the first control character inside a string
 * (U+0000..U+001F or U+007F, raw or escaped: \u0000, \n, \t ...), or -1.
 * cJSON keeps strings NUL-terminated, so "c1\u0000 hidden" would reach us
 * as "c1"; text from outside is refused instead. */
long zc_json_control(const char *s, size_t len);

#endif
