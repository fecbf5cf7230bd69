/* jsontext.c - checks on JSON text before parsing (jsontext.h). */
#include "jsontext.h"

#include <stdbool.h>
#include <string.h>

int zc_json_depth(const char *s, size_t len)
{
    int depth = 0, deepest = 0;
    bool in_str = false;
    for (size_t i = 0; i < len; i++) {
        char c = s[i];
        if (in_str) {
            if (c == '\\')
                i++;
            else if (c == '"')
                in_str = false;
        } else if (c == '"') {
            in_str = true;
        } else if (c == '[' || c == '{') {
            if (++depth > deepest)
                deepest = depth;
        } else if (c == ']' || c == '}') {
            depth--;
        }
    }
    return deepest;
}

/* Is s[0..4) the hex of a control character (0000..001f or 007f)? */
static bool hex_control(const char *s)
{
    if (s[0] != '0' || s[1] != '0')
        return false;
    if (s[2] == '0' || s[2] == '1')
        return s[3] != '\0' && strchr("0123456789abcdefABCDEF", s[3]) != NULL;
    return s[2] == '7' && (s[3] == 'f' || s[3] == 'F');
}

long zc_json_control(const char *s, size_t len)
{
    bool in_str = false;
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)s[i];
        if (!in_str) {
            in_str = c == '"';
            continue;
        }
        if (c < 0x20 || c == 0x7f)
            return (long)i;
        if (c == '"') {
            in_str = false;
        } else if (c == '\\' && i + 1 < len) {
            char e = s[i + 1];
            if ((e && strchr("bfnrt", e)) || (e == 'u' && i + 5 < len && hex_control(s + i + 2)))
                return (long)i;
            i++;
        }
    }
    return -1;
}
