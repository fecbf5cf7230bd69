/* jsontext.h - checks on JSON text before it is parsed, shared by the
 * policy parser and the sync protocol's reader: cJSON recurses once per
 * level, so text from outside is refused when nested too deep. */
#ifndef ZC_CORE_JSONTEXT_H
#define ZC_CORE_JSONTEXT_H

#include <stddef.h>

/* The deepest nesting of [ and { outside strings in s[0..len) (s need not
 * be NUL-terminated; unbalanced text is scanned as it is). */
int zc_json_depth(const char *s, size_t len);

#endif
