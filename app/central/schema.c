/* schema.c - the centre's migrations, read from the files db/embed.sh
 * compiled in (embed_files is ordered by path, so NNN_ gives version order). */
#include "schema.h"

#include <stdlib.h>
#include <string.h>

#include "../core/embed.h"

#define PREFIX "db/central/"

/* The version of a "db/central/NNN_name.sql" path, or 0 for anything else. */
static int version_of(const char *path)
{
    size_t n = strlen(PREFIX);
    if (strncmp(path, PREFIX, n) != 0 || strchr(path + n, '/'))
        return 0;
    char *end = NULL;
    long v = strtol(path + n, &end, 10);
    if (end != path + n + 3 || *end != '_' || v < 1)
        return 0;
    return (int)v;
}

bool central_schema_at(int i, central_migration *out)
{
    for (const embed_file *f = embed_files; f->path; f++) {
        int v = version_of(f->path);
        if (v && i-- == 0) {
            *out = (central_migration){v, f->path, f->text};
            return true;
        }
    }
    return false;
}
