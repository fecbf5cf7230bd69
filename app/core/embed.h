/* embed.h - data files compiled into the binary by db/embed.sh:
 * the schema migrations (db/NNN_*.sql) and shipped policies (db/policies/). */
#ifndef ZC_EMBED_H
#define ZC_EMBED_H

typedef struct embed_file {
    const char *path; /* as in the repo: "db/001_init.sql" */
    const char *text;
} embed_file;

/* Terminated by an entry with path == NULL. Ordered by path. */
extern const embed_file embed_files[];

/* The text of an embedded file by repo path, or NULL. */
const char *embed_get(const char *path);

#endif
