/* embed.c - lookup in the generated table of embedded files. */
#include "embed.h"

#include <string.h>

const char *embed_get(const char *path)
{
    for (const embed_file *f = embed_files; f->path; f++)
        if (strcmp(f->path, path) == 0)
            return f->text;
    return NULL;
}
