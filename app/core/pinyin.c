/* pinyin.c - pinyin initials through the GB2312 order.
 *
 * GB2312's 3755 level-1 characters (nearly every character in a name) are
 * sorted by pinyin, so the code of the first character of each initial
 * bounds that initial: a character's initial is the last bound at or
 * below its code.  iconv turns each UTF-8 character into GB18030 (a
 * superset of GB2312's codes); level-2 characters (sorted by radical, not
 * sound) come from a short table of the ones common in names, or '?'. */
#include <iconv.h>
#include <stdlib.h>
#include <string.h>

#include "pinyin.h"

struct zc_pinyin {
    iconv_t cd; /* UTF-8 -> GB18030 */
};

/* The first GB2312 code of each initial (no I, U, V in pinyin). */
static const struct {
    unsigned code;
    char initial;
} bounds[] = {
    {0xB0A1, 'A'}, {0xB0C5, 'B'}, {0xB2C1, 'C'}, {0xB4EE, 'D'}, {0xB6EA, 'E'}, {0xB7A2, 'F'},
    {0xB8C1, 'G'}, {0xB9FE, 'H'}, {0xBBF7, 'J'}, {0xBFA6, 'K'}, {0xC0AC, 'L'}, {0xC2E8, 'M'},
    {0xC4C3, 'N'}, {0xC5B6, 'O'}, {0xC5BE, 'P'}, {0xC6DA, 'Q'}, {0xC8BB, 'R'}, {0xC8F6, 'S'},
    {0xCBFA, 'T'}, {0xCDDA, 'W'}, {0xCEF4, 'X'}, {0xD1B9, 'Y'}, {0xD4D1, 'Z'},
};
#define LEVEL1_END 0xD7F9

/* Level-2 characters seen in elders' names. */
static const struct {
    const char *ch;
    char initial;
} extra[] = {
    {"昊", 'H'}, {"琦", 'Q'}, {"玥", 'Y'}, {"翊", 'Y'}, {"珏", 'J'}, {"琰", 'Y'}, {"瑾", 'J'}, {"璐", 'L'},
    {"婕", 'J'}, {"婧", 'J'}, {"妍", 'Y'}, {"姝", 'S'}, {"娴", 'X'}, {"淼", 'M'}, {"鑫", 'X'}, {"垚", 'Y'},
    {"犇", 'B'}, {"骞", 'Q'}, {"赟", 'Y'}, {"昶", 'C'}, {"晔", 'Y'}, {"祎", 'Y'}, {"祺", 'Q'}, {"琮", 'C'},
};

int zc_pinyin_open(zc_pinyin **out, zc_err *err)
{
    zc_pinyin *p = calloc(1, sizeof *p);
    if (!p)
        return zc_errf(err, ZC_ENOMEM, "out of memory opening the pinyin converter");
    p->cd = iconv_open("GB18030", "UTF-8");
    if (p->cd == (iconv_t)-1) {
        free(p);
        return zc_errf(err, ZC_EIO, "this system has no UTF-8 to GB18030 converter (glibc's gconv modules); "
                                    "search by ID or phone instead");
    }
    *out = p;
    return ZC_OK;
}

void zc_pinyin_free(zc_pinyin *p)
{
    if (!p)
        return;
    iconv_close(p->cd);
    free(p);
}

/* The initial of one UTF-8 character of len bytes. */
static char initial_of(zc_pinyin *p, const char *ch, size_t len)
{
    char in[8], gb[8];
    if (len == 1) {
        char c = ch[0];
        if (c >= 'a' && c <= 'z')
            return (char)(c - 'a' + 'A');
        return (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ? c : '?';
    }
    for (size_t i = 0; i < sizeof extra / sizeof extra[0]; i++)
        if (strlen(extra[i].ch) == len && memcmp(extra[i].ch, ch, len) == 0)
            return extra[i].initial;
    memcpy(in, ch, len);
    char *ip = in, *op = gb;
    size_t il = len, ol = sizeof gb;
    iconv(p->cd, NULL, NULL, NULL, NULL);
    if (iconv(p->cd, &ip, &il, &op, &ol) == (size_t)-1 || op - gb != 2)
        return '?';
    unsigned code = (unsigned)(unsigned char)gb[0] << 8 | (unsigned char)gb[1];
    if (code < bounds[0].code || code > LEVEL1_END)
        return '?';
    char c = '?';
    for (size_t i = 0; i < sizeof bounds / sizeof bounds[0] && bounds[i].code <= code; i++)
        c = bounds[i].initial;
    return c;
}

char *zc_pinyin_initials(zc_pinyin *p, const char *name, char *out, size_t n)
{
    size_t o = 0;
    for (const unsigned char *s = (const unsigned char *)name; *s && o + 1 < n;) {
        size_t len = *s < 0x80 ? 1 : (*s & 0xE0) == 0xC0 ? 2 : (*s & 0xF0) == 0xE0 ? 3 : (*s & 0xF8) == 0xF0 ? 4 : 1;
        if (strnlen((const char *)s, len) < len)
            break; /* a cut character at the end */
        if ((len == 1 && (*s == ' ' || *s == '\t')) || (len == 2 && s[0] == 0xC2 && s[1] == 0xB7)) {
            s += len; /* spaces and the · of a transcribed name */
            continue;
        }
        out[o++] = initial_of(p, (const char *)s, len);
        s += len;
    }
    out[o] = '\0';
    return out;
}
