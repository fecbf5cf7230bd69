/* i18n.c - a small gettext .po reader (see i18n.h).
 *
 * Supported: comments (#, #: #. and "#, fuzzy" which drops the next entry,
 * as msgfmt does), msgid / msgstr with continuation strings that are
 * concatenated, the escapes \" \\ \n \t \r, CRLF line ends.  The header
 * entry (msgid "") and untranslated entries (msgstr "") are skipped.
 * Refused with the line number: msgctxt and plural forms (the till has no
 * use for them), unknown escapes, text outside quotes, a msgid without a
 * msgstr, invalid UTF-8, duplicate msgids.  Entries are sorted once and
 * looked up with bsearch. */
#include "i18n.h"

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct entry {
    char *id;  /* owned */
    char *str; /* owned */
    int line;  /* line of its msgid, for duplicate reports */
} entry;

struct i18n {
    char lang[16];
    entry *e; /* sorted by id after parsing */
    int n, cap;
};

/* The parser's state between lines. */
typedef struct parser {
    const char *name; /* file name for messages */
    int line;         /* current line, 1-based */
    char id[I18N_STR_MAX + 1], str[I18N_STR_MAX + 1];
    size_t idlen, slen;
    char *cur;        /* id or str: where continuation strings go; NULL = none */
    size_t *curlen;
    bool have_id, have_str;
    int id_line;
    bool fuzzy, next_fuzzy; /* this entry / the next entry is marked fuzzy */
} parser;

static const char *const IDENTITY[] = {"zh", "zh_CN", "zh-CN", "zh_Hans", "C", NULL};

static bool is_identity(const char *lang)
{
    if (!lang || !*lang)
        return true;
    for (int i = 0; IDENTITY[i]; i++)
        if (strcmp(lang, IDENTITY[i]) == 0)
            return true;
    return false;
}

void i18n_free(i18n_t *c)
{
    if (!c)
        return;
    for (int i = 0; i < c->n; i++) {
        free(c->e[i].id);
        free(c->e[i].str);
    }
    free(c->e);
    free(c);
}

static i18n_t *cat_new(const char *lang)
{
    i18n_t *c = calloc(1, sizeof *c);
    if (c)
        snprintf(c->lang, sizeof c->lang, "%s", lang && *lang ? lang : "zh_CN");
    return c;
}

/* True when s[0..n) is well-formed UTF-8 (no overlongs, no surrogates). */
static bool utf8_ok(const unsigned char *s, size_t n)
{
    size_t i = 0;
    while (i < n) {
        unsigned char c = s[i];
        int more;
        unsigned cp;
        if (c < 0x80) {
            i++;
            continue;
        } else if (c >= 0xC2 && c <= 0xDF) {
            more = 1, cp = c & 0x1F;
        } else if (c >= 0xE0 && c <= 0xEF) {
            more = 2, cp = c & 0x0F;
        } else if (c >= 0xF0 && c <= 0xF4) {
            more = 3, cp = c & 0x07;
        } else {
            return false;
        }
        if ((size_t)more >= n - i)
            return false; /* truncated sequence */
        for (int k = 1; k <= more; k++) {
            if ((s[i + (size_t)k] & 0xC0) != 0x80)
                return false;
            cp = (cp << 6) | (s[i + (size_t)k] & 0x3F);
        }
        if ((more == 2 && (cp < 0x800 || (cp >= 0xD800 && cp <= 0xDFFF))) ||
            (more == 3 && (cp < 0x10000 || cp > 0x10FFFF)))
            return false;
        i += (size_t)more + 1;
    }
    return true;
}

/* Reads one quoted string starting at *pp (which must point at '"') and
 * appends it, unescaped, to buf/len.  Only blanks may follow the closing
 * quote on the line [*pp, end). */
static int read_quoted(parser *p, const char *s, const char *end, char *buf, size_t *len,
                       zc_err *err)
{
    if (s >= end || *s != '"')
        return zc_errf(err, ZC_EINVAL, "%s:%d: expected a string in double quotes", p->name,
                       p->line);
    s++;
    for (;;) {
        char c;
        if (s >= end)
            return zc_errf(err, ZC_EINVAL, "%s:%d: missing closing quote", p->name, p->line);
        c = *s++;
        if (c == '"')
            break;
        if (c == '\\') {
            if (s >= end)
                return zc_errf(err, ZC_EINVAL, "%s:%d: backslash at the end of the line",
                               p->name, p->line);
            switch (*s++) {
            case '"': c = '"'; break;
            case '\\': c = '\\'; break;
            case 'n': c = '\n'; break;
            case 't': c = '\t'; break;
            case 'r': c = '\r'; break;
            default:
                return zc_errf(err, ZC_EINVAL,
                               "%s:%d: unknown escape \\%c (use \\\" \\\\ \\n or \\t)", p->name,
                               p->line, s[-1]);
            }
        }
        if (*len >= I18N_STR_MAX)
            return zc_errf(err, ZC_ETOOBIG, "%s:%d: string longer than %d bytes", p->name,
                           p->line, I18N_STR_MAX);
        buf[(*len)++] = c;
    }
    while (s < end && (*s == ' ' || *s == '\t'))
        s++;
    if (s < end)
        return zc_errf(err, ZC_EINVAL, "%s:%d: unexpected text after the closing quote", p->name,
                       p->line);
    buf[*len] = '\0';
    return ZC_OK;
}

static char *dup_n(const char *s, size_t n)
{
    char *d = malloc(n + 1);
    if (d) {
        memcpy(d, s, n);
        d[n] = '\0';
    }
    return d;
}

/* Ends the pending entry (if any): keeps it when it is translated. */
static int flush(parser *p, i18n_t *c, zc_err *err)
{
    int rc = ZC_OK;
    if (!p->have_id)
        return ZC_OK;
    if (!p->have_str)
        return zc_errf(err, ZC_EINVAL, "%s:%d: msgid has no msgstr", p->name, p->id_line);
    if (!utf8_ok((const unsigned char *)p->id, p->idlen) ||
        !utf8_ok((const unsigned char *)p->str, p->slen))
        return zc_errf(err, ZC_EINVAL, "%s:%d: text is not valid UTF-8; save the file as UTF-8",
                       p->name, p->id_line);
    if (memchr(p->id, '\0', p->idlen) || memchr(p->str, '\0', p->slen))
        return zc_errf(err, ZC_EINVAL, "%s:%d: text contains a NUL byte", p->name, p->id_line);
    if (p->idlen > 0 && p->slen > 0 && !p->fuzzy) {
        if (c->n == c->cap) {
            int ncap = c->cap ? c->cap * 2 : 64;
            entry *ne;
            if (c->n >= I18N_MAX_ENTRIES)
                return zc_errf(err, ZC_ETOOBIG, "%s:%d: more than %d entries", p->name,
                               p->id_line, I18N_MAX_ENTRIES);
            if (ncap > I18N_MAX_ENTRIES)
                ncap = I18N_MAX_ENTRIES;
            ne = realloc(c->e, (size_t)ncap * sizeof *ne);
            if (!ne)
                return zc_errf(err, ZC_ENOMEM, "out of memory reading %s", p->name);
            c->e = ne;
            c->cap = ncap;
        }
        entry *e = &c->e[c->n];
        e->id = dup_n(p->id, p->idlen);
        e->str = dup_n(p->str, p->slen);
        e->line = p->id_line;
        if (!e->id || !e->str) {
            free(e->id);
            free(e->str);
            rc = zc_errf(err, ZC_ENOMEM, "out of memory reading %s", p->name);
        } else {
            c->n++;
        }
    }
    p->have_id = p->have_str = p->fuzzy = false;
    p->idlen = p->slen = 0;
    p->cur = NULL;
    p->curlen = NULL;
    return rc;
}

/* True when line [s, end) starts with keyword followed by a blank; *rest
 * is set past the blanks. */
static bool keyword(const char *s, const char *end, const char *kw, const char **rest)
{
    size_t n = strlen(kw);
    if ((size_t)(end - s) <= n || memcmp(s, kw, n) != 0 || (s[n] != ' ' && s[n] != '\t'))
        return false;
    s += n;
    while (s < end && (*s == ' ' || *s == '\t'))
        s++;
    *rest = s;
    return true;
}

/* Handles one line [s, end) without its line end. */
static int parse_line(parser *p, i18n_t *c, const char *s, const char *end, zc_err *err)
{
    const char *rest;
    int rc;
    while (s < end && (*s == ' ' || *s == '\t'))
        s++;
    if (s == end)
        return p->have_str ? flush(p, c, err) : ZC_OK;
    if (*s == '#') {
        if (end - s >= 2 && s[1] == '~')
            return ZC_OK; /* obsolete entry */
        if (p->have_id && (rc = flush(p, c, err)) != ZC_OK)
            return rc;
        if (end - s >= 2 && s[1] == ',') {
            for (const char *q = s; q + 5 <= end; q++)
                if (memcmp(q, "fuzzy", 5) == 0)
                    p->next_fuzzy = true;
        }
        return ZC_OK;
    }
    if (keyword(s, end, "msgctxt", &rest) || keyword(s, end, "msgid_plural", &rest) ||
        (end - s > 7 && memcmp(s, "msgstr[", 7) == 0))
        return zc_errf(err, ZC_EINVAL, "%s:%d: msgctxt and plural forms are not supported",
                       p->name, p->line);
    if (keyword(s, end, "msgid", &rest)) {
        if (p->have_id && (rc = flush(p, c, err)) != ZC_OK)
            return rc;
        p->have_id = true;
        p->id_line = p->line;
        p->fuzzy = p->next_fuzzy;
        p->next_fuzzy = false;
        p->cur = p->id;
        p->curlen = &p->idlen;
        return read_quoted(p, rest, end, p->id, &p->idlen, err);
    }
    if (keyword(s, end, "msgstr", &rest)) {
        if (!p->have_id)
            return zc_errf(err, ZC_EINVAL, "%s:%d: msgstr without a msgid before it", p->name,
                           p->line);
        if (p->have_str)
            return zc_errf(err, ZC_EINVAL, "%s:%d: second msgstr for one msgid", p->name,
                           p->line);
        p->have_str = true;
        p->cur = p->str;
        p->curlen = &p->slen;
        return read_quoted(p, rest, end, p->str, &p->slen, err);
    }
    if (*s == '"') {
        if (!p->cur)
            return zc_errf(err, ZC_EINVAL, "%s:%d: string without a msgid or msgstr before it",
                           p->name, p->line);
        return read_quoted(p, s, end, p->cur, p->curlen, err);
    }
    return zc_errf(err, ZC_EINVAL, "%s:%d: expected msgid, msgstr, a \"string\" or a # comment",
                   p->name, p->line);
}

static int cmp_entry(const void *a, const void *b)
{
    return strcmp(((const entry *)a)->id, ((const entry *)b)->id);
}

int i18n_parse(const char *name, const char *text, size_t len, i18n_t **out, zc_err *err)
{
    int rc = ZC_OK;
    i18n_t *c = NULL;
    parser *p = NULL;
    const char *s = text, *end = text + len;
    if (!out || (!text && len))
        return zc_errf(err, ZC_EINVAL, "i18n_parse: bad arguments");
    *out = NULL;
    if (len > I18N_FILE_MAX) {
        rc = zc_errf(err, ZC_ETOOBIG, "%s is larger than %d bytes", name, I18N_FILE_MAX);
        goto out;
    }
    c = cat_new(NULL);
    p = calloc(1, sizeof *p);
    if (!c || !p) {
        rc = zc_errf(err, ZC_ENOMEM, "out of memory reading %s", name);
        goto out;
    }
    p->name = name ? name : "catalogue";
    /* a UTF-8 byte order mark is harmless */
    if (len >= 3 && memcmp(s, "\xEF\xBB\xBF", 3) == 0)
        s += 3;
    while (s < end) {
        const char *nl = memchr(s, '\n', (size_t)(end - s));
        const char *eol = nl ? nl : end;
        p->line++;
        if (eol > s && eol[-1] == '\r')
            eol--;
        if ((rc = parse_line(p, c, s, eol, err)) != ZC_OK)
            goto out;
        s = nl ? nl + 1 : end;
    }
    p->line++;
    if ((rc = flush(p, c, err)) != ZC_OK)
        goto out;
    if (c->n > 1)
        qsort(c->e, (size_t)c->n, sizeof *c->e, cmp_entry);
    for (int i = 1; i < c->n; i++) {
        if (strcmp(c->e[i - 1].id, c->e[i].id) == 0) {
            int a = c->e[i - 1].line, b = c->e[i].line;
            rc = zc_errf(err, ZC_ECONFLICT, "%s:%d: duplicate msgid (first at line %d)", p->name,
                         a > b ? a : b, a < b ? a : b);
            goto out;
        }
    }
    *out = c;
    c = NULL;
out:
    i18n_free(c);
    free(p);
    return rc;
}

/* Reads a whole file of at most I18N_FILE_MAX bytes.  *buf owned by caller.
 * ZC_ENOTFOUND when it does not exist (no message: the caller may fall back). */
static int read_file(const char *path, char **buf, size_t *len, zc_err *err)
{
    int rc = ZC_OK;
    char *b = NULL;
    size_t n = 0;
    FILE *f = fopen(path, "rb");
    *buf = NULL;
    if (!f) {
        if (errno == ENOENT)
            return ZC_ENOTFOUND;
        return zc_errf(err, ZC_EIO, "cannot open %s: %s", path, strerror(errno));
    }
    b = malloc((size_t)I18N_FILE_MAX + 1);
    if (!b) {
        rc = zc_errf(err, ZC_ENOMEM, "out of memory reading %s", path);
        goto out;
    }
    n = fread(b, 1, (size_t)I18N_FILE_MAX + 1, f);
    if (ferror(f)) {
        rc = zc_errf(err, ZC_EIO, "cannot read %s", path);
        goto out;
    }
    if (n > I18N_FILE_MAX) {
        rc = zc_errf(err, ZC_ETOOBIG, "%s is larger than %d bytes", path, I18N_FILE_MAX);
        goto out;
    }
    *buf = b;
    *len = n;
    b = NULL;
out:
    free(b);
    fclose(f);
    return rc;
}

/* Language codes become file names: letters, digits, '_' and '-' only. */
static bool lang_ok(const char *lang)
{
    size_t n = strlen(lang);
    if (n == 0 || n >= sizeof ((i18n_t *)0)->lang)
        return false;
    for (size_t i = 0; i < n; i++) {
        char ch = lang[i];
        if (!((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') ||
              ch == '_' || ch == '-'))
            return false;
    }
    return true;
}

int i18n_load(const char *dir, const char *lang, i18n_t **out, zc_err *err)
{
    int rc;
    char path[512], base[16];
    char *text = NULL;
    size_t len = 0;
    if (!out)
        return zc_errf(err, ZC_EINVAL, "i18n_load: out is NULL");
    *out = NULL;
    if (is_identity(lang)) {
        *out = cat_new(lang);
        return *out ? ZC_OK : zc_errf(err, ZC_ENOMEM, "out of memory");
    }
    if (!lang_ok(lang))
        return zc_errf(err, ZC_EINVAL, "language \"%.40s\" is not valid; use zh_CN or en", lang);
    if (!dir || !*dir)
        dir = ".";
    /* "en_US": DIR/en_US.po, then DIR/en.po */
    snprintf(base, sizeof base, "%s", lang);
    base[strcspn(base, "_-")] = '\0';
    snprintf(path, sizeof path, "%s/%s.po", dir, lang);
    rc = read_file(path, &text, &len, err);
    if (rc == ZC_ENOTFOUND && strcmp(base, lang) != 0) {
        if (is_identity(base)) {
            *out = cat_new(base);
            return *out ? ZC_OK : zc_errf(err, ZC_ENOMEM, "out of memory");
        }
        snprintf(path, sizeof path, "%s/%s.po", dir, base);
        rc = read_file(path, &text, &len, err);
    }
    if (rc == ZC_ENOTFOUND) {
        rc = zc_errf(err, ZC_ENOTFOUND,
                     "no translation file for \"%s\" (looked for %s); choose zh_CN or en in "
                     "settings",
                     lang, path);
        goto out;
    }
    if (rc != ZC_OK)
        goto out;
    rc = i18n_parse(path, text, len, out, err);
    if (rc == ZC_OK)
        snprintf((*out)->lang, sizeof (*out)->lang, "%s", lang);
out:
    free(text);
    return rc;
}

const char *i18n_tr(const i18n_t *c, const char *msgid)
{
    entry key, *hit;
    if (!c || !msgid || c->n == 0)
        return msgid;
    key.id = (char *)msgid;
    hit = bsearch(&key, c->e, (size_t)c->n, sizeof *c->e, cmp_entry);
    return hit ? hit->str : msgid;
}

int i18n_count(const i18n_t *c) { return c ? c->n : 0; }

const char *i18n_lang(const i18n_t *c) { return c ? c->lang : "zh_CN"; }
