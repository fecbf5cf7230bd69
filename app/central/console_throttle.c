/* console_throttle.c - the per-source sign-in brake (console_throttle.h).
 * A fixed table scanned under one mutex: a thousand sources are a few
 * microseconds, nothing beside an argon2 check. */
#include "console_throttle.h"

#include <stdio.h>
#include <string.h>

int64_t console_backoff_s(int wrong, int free_n, int64_t base_s)
{
    if (wrong < free_n)
        return 0;
    int64_t s = base_s;
    for (int i = free_n; i < wrong && s < CONSOLE_BACKOFF_MAX_S; i++)
        s *= 2;
    return s < CONSOLE_BACKOFF_MAX_S ? s : CONSOLE_BACKOFF_MAX_S;
}

void console_throttle_init(console_throttle *t)
{
    memset(t->s, 0, sizeof t->s);
    pthread_mutex_init(&t->mu, NULL);
}

/* The slot of source, or NULL (with `make`, a free one or the one idle
 * longest, emptied). Called under t->mu. */
static console_source *slot(console_throttle *t, const char *source, int make)
{
    console_source *empty = NULL, *oldest = NULL;
    for (int i = 0; i < CONSOLE_THROTTLE_SLOTS; i++) {
        console_source *s = &t->s[i];
        if (s->key[0] && strcmp(s->key, source) == 0)
            return s;
        if (!s->key[0] && !empty)
            empty = s;
        if (s->key[0] && (!oldest || s->last < oldest->last))
            oldest = s;
    }
    if (!make)
        return NULL;
    console_source *s = empty ? empty : oldest;
    memset(s, 0, sizeof *s);
    snprintf(s->key, sizeof s->key, "%s", source);
    return s;
}

int64_t console_throttle_wait(console_throttle *t, const char *source, int64_t now)
{
    pthread_mutex_lock(&t->mu);
    console_source *s = slot(t, source, 0);
    int64_t wait = s && s->until > now ? s->until - now : 0;
    pthread_mutex_unlock(&t->mu);
    return wait;
}

void console_throttle_wrong(console_throttle *t, const char *source, int64_t now)
{
    pthread_mutex_lock(&t->mu);
    console_source *s = slot(t, source, 1);
    s->wrong++;
    s->last = now;
    int64_t wait = console_backoff_s(s->wrong, CONSOLE_SOURCE_FREE, CONSOLE_SOURCE_BASE_S);
    s->until = wait ? now + wait : 0;
    pthread_mutex_unlock(&t->mu);
}

void console_throttle_right(console_throttle *t, const char *source)
{
    pthread_mutex_lock(&t->mu);
    console_source *s = slot(t, source, 0);
    if (s)
        memset(s, 0, sizeof *s);
    pthread_mutex_unlock(&t->mu);
}
