/* model.c - cart arithmetic, display masking of names, category lists. */
#include "model.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define QTY_MAX 999 /* per line: more is a typing slip, not a meal */

int zc_cart_add(zc_cart *c, const zc_line *l)
{
    if (!c || !l || l->qty < 1 || l->qty > QTY_MAX || l->unit_fen < 0 ||
        l->unit_fen > ZC_FEN_MAX / QTY_MAX)
        return ZC_EINVAL;
    for (int i = 0; i < c->n; i++) {
        zc_line *x = &c->lines[i];
        if (strcmp(x->code, l->code) == 0) {
            if (x->qty + l->qty > QTY_MAX)
                return ZC_ETOOBIG;
            x->qty += l->qty;
            return ZC_OK;
        }
    }
    if (c->n >= ZC_MAX_LINES)
        return ZC_ETOOBIG;
    c->lines[c->n++] = *l;
    return ZC_OK;
}

void zc_cart_remove(zc_cart *c, const char *code, int qty)
{
    if (!c || !code)
        return;
    for (int i = 0; i < c->n; i++) {
        if (strcmp(c->lines[i].code, code) != 0)
            continue;
        if (qty > 0 && qty < c->lines[i].qty) {
            c->lines[i].qty -= qty;
        } else {
            memmove(&c->lines[i], &c->lines[i + 1], sizeof c->lines[0] * (size_t)(c->n - i - 1));
            c->n--;
        }
        return;
    }
}

static zc_fen sum_lines(const zc_cart *c, bool only_eligible)
{
    zc_fen total = 0;
    if (!c)
        return 0;
    for (int i = 0; i < c->n; i++)
        if (!only_eligible || c->lines[i].eligible)
            total += c->lines[i].unit_fen * c->lines[i].qty;
    return total;
}

zc_fen zc_cart_gross(const zc_cart *c)
{
    return sum_lines(c, false);
}

zc_fen zc_cart_eligible(const zc_cart *c)
{
    return sum_lines(c, true);
}

/* Length in bytes of the UTF-8 sequence at s, or 0 if it is not valid. */
static int utf8_len(const unsigned char *s)
{
    int len;
    if (s[0] < 0x80)
        return 1;
    if (s[0] >= 0xC2 && s[0] <= 0xDF)
        len = 2;
    else if (s[0] >= 0xE0 && s[0] <= 0xEF)
        len = 3;
    else if (s[0] >= 0xF0 && s[0] <= 0xF4)
        len = 4;
    else
        return 0;
    for (int i = 1; i < len; i++)
        if ((s[i] & 0xC0) != 0x80)
            return 0;
    return len;
}

/* Keeps the first and last code points and stars the ones between; a
 * two-character name keeps its first, a one-character name becomes "*".
 * Invalid UTF-8 bytes count as one character each and show as '?'.  Stops
 * at a whole character when out is too small. */
char *zc_name_mask(const char *name, char *out, int n)
{
    const unsigned char *s = (const unsigned char *)(name ? name : "");
    int count = 0, pos = 0, idx = 0;
    if (!out || n <= 0)
        return out;
    for (const unsigned char *p = s; *p; count++) {
        int l = utf8_len(p);
        p += l ? l : 1;
    }
    out[0] = '\0';
    for (const unsigned char *p = s; *p; idx++) {
        int l = utf8_len(p);
        bool keep = (idx == 0 && count >= 2) || (idx == count - 1 && count >= 3);
        const char *piece = keep ? (l ? (const char *)p : "?") : "*";
        int plen = keep ? (l ? l : 1) : 1;
        if (pos + plen >= n)
            break;
        memcpy(out + pos, piece, (size_t)plen);
        pos += plen;
        out[pos] = '\0';
        p += l ? l : 1;
    }
    return out;
}

static bool code_char(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
}

/* Parses "code[:level];code[:level]..." (the empty string is an empty list).
 * Each code is [a-z0-9_]+ shorter than ZC_CODE_MAX, each level one digit
 * 0..9, no code twice.  *n is set only on success. */
int zc_cats_parse(const char *s, zc_category *out, int cap, int *n, zc_err *err)
{
    int count = 0;
    const char *p = s;
    if (!s || !out || !n || cap < 0)
        return zc_errf(err, ZC_EINVAL, "categories: missing argument");
    if (*p == '\0') {
        *n = 0;
        return ZC_OK;
    }
    for (;;) {
        zc_category c = {{0}, 0};
        size_t len = 0;
        while (code_char(p[len]))
            len++;
        if (len == 0)
            return zc_errf(err, ZC_EINVAL,
                           "categories \"%.60s\": item %d is empty or has a character outside "
                           "a-z, 0-9, _; write codes like dibao;disabled_care:2",
                           s, count + 1);
        if (len >= sizeof c.code)
            return zc_errf(err, ZC_EINVAL, "categories: code \"%.*s\" is longer than %d characters",
                           (int)len, p, (int)sizeof c.code - 1);
        memcpy(c.code, p, len);
        p += len;
        if (*p == ':') {
            char *end = NULL;
            long lv;
            p++;
            if (*p < '0' || *p > '9')
                return zc_errf(err, ZC_EINVAL,
                               "categories: level of \"%s\" must be a digit 0..9", c.code);
            errno = 0;
            lv = strtol(p, &end, 10);
            if (errno || lv < 0 || lv > 9)
                return zc_errf(err, ZC_EINVAL,
                               "categories: level of \"%s\" must be between 0 and 9", c.code);
            c.level = (int)lv;
            p = end;
        }
        if (*p != ';' && *p != '\0')
            return zc_errf(err, ZC_EINVAL,
                           "categories: unexpected '%c' after \"%s\"; separate codes with ';'",
                           *p, c.code);
        for (int i = 0; i < count; i++)
            if (strcmp(out[i].code, c.code) == 0)
                return zc_errf(err, ZC_EINVAL, "categories: \"%s\" is listed twice", c.code);
        if (count >= cap)
            return zc_errf(err, ZC_ETOOBIG, "categories: more than %d codes", cap);
        out[count++] = c;
        if (*p == '\0')
            break;
        p++; /* ';' - a trailing one leaves an empty item, rejected above */
    }
    *n = count;
    return ZC_OK;
}

char *zc_cats_fmt(const zc_category *c, int n, char *buf, int len)
{
    size_t pos = 0;
    if (!buf || len <= 0)
        return buf;
    buf[0] = '\0';
    for (int i = 0; c && i < n && pos < (size_t)len; i++) {
        int w = c[i].level > 0
                    ? snprintf(buf + pos, (size_t)len - pos, "%s%s:%d", i ? ";" : "", c[i].code,
                               c[i].level)
                    : snprintf(buf + pos, (size_t)len - pos, "%s%s", i ? ";" : "", c[i].code);
        if (w < 0)
            break;
        pos += (size_t)w;
    }
    return buf;
}

bool zc_utf8_valid(const char *s)
{
    const unsigned char *p = (const unsigned char *)s;
    while (*p) {
        unsigned c = *p;
        int more;
        unsigned min;
        if (c < 0x80) {
            p++;
            continue;
        } else if ((c & 0xE0) == 0xC0) {
            more = 1, min = 0x80, c &= 0x1F;
        } else if ((c & 0xF0) == 0xE0) {
            more = 2, min = 0x800, c &= 0x0F;
        } else if ((c & 0xF8) == 0xF0) {
            more = 3, min = 0x10000, c &= 0x07;
        } else {
            return false;
        }
        p++;
        for (int i = 0; i < more; i++, p++) {
            if ((*p & 0xC0) != 0x80)
                return false;
            c = (c << 6) | (*p & 0x3F);
        }
        if (c < min || c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF))
            return false;
    }
    return true;
}
