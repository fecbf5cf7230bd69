/* guard.c - per-request deadlines on the centre's connections (guard.h).
 *
 * The records form a doubly linked list under one mutex.  libmicrohttpd
 * tells us a connection closes before it closes the socket, and we remove
 * the record under the same mutex the reaper holds while it calls
 * shutdown(), so the reaper never touches a descriptor that was closed and
 * reused.  shutdown() (not close) makes libmicrohttpd see the end of the
 * connection on its own thread and clean up as for any other. */
#include "guard.h"

#include <pthread.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>

struct central_guard_conn {
    int fd;                       /* the connection's socket (libmicrohttpd's) */
    time_t since;                 /* CLOCK_MONOTONIC second its current request began */
    bool cut;                     /* shut down already */
    central_guard_conn *prev, *next;
};

struct central_guard {
    pthread_mutex_t mu;
    pthread_cond_t wake;          /* signalled to stop the reaper */
    pthread_t reaper;
    bool stop;                    /* (mu) */
    int deadline_s;
    central_guard_conn *head;     /* (mu) */
};

static time_t mono_s(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec;
}

/* Once a second: shut down the connections past their deadline. */
static void *reap(void *arg)
{
    central_guard *g = arg;
    pthread_mutex_lock(&g->mu);
    while (!g->stop) {
        struct timespec until;
        clock_gettime(CLOCK_REALTIME, &until);
        until.tv_sec += 1;
        pthread_cond_timedwait(&g->wake, &g->mu, &until);
        time_t now = mono_s();
        for (central_guard_conn *c = g->head; c && !g->stop; c = c->next) {
            if (!c->cut && now - c->since >= g->deadline_s) {
                shutdown(c->fd, SHUT_RDWR);
                c->cut = true;
            }
        }
    }
    pthread_mutex_unlock(&g->mu);
    return NULL;
}

int central_guard_new(int deadline_s, central_guard **out, zc_err *err)
{
    central_guard *g = calloc(1, sizeof *g);
    *out = NULL;
    if (!g)
        return zc_errf(err, ZC_ENOMEM, "out of memory starting the server");
    g->deadline_s = deadline_s > 0 ? deadline_s : 1;
    pthread_mutex_init(&g->mu, NULL);
    pthread_cond_init(&g->wake, NULL);
    int rc = pthread_create(&g->reaper, NULL, reap, g);
    if (rc) {
        pthread_mutex_destroy(&g->mu);
        pthread_cond_destroy(&g->wake);
        free(g);
        return zc_errf(err, ZC_EIO, "cannot start the request deadline thread: %s", strerror(rc));
    }
    *out = g;
    return ZC_OK;
}

void central_guard_free(central_guard *g)
{
    if (!g)
        return;
    pthread_mutex_lock(&g->mu);
    g->stop = true;
    pthread_cond_signal(&g->wake);
    pthread_mutex_unlock(&g->mu);
    pthread_join(g->reaper, NULL);
    while (g->head) { /* none normally: the daemon closed them all */
        central_guard_conn *c = g->head;
        g->head = c->next;
        free(c);
    }
    pthread_mutex_destroy(&g->mu);
    pthread_cond_destroy(&g->wake);
    free(g);
}

central_guard_conn *central_guard_opened(central_guard *g, int fd)
{
    central_guard_conn *c = calloc(1, sizeof *c);
    if (!c)
        return NULL;
    c->fd = fd;
    c->since = mono_s();
    pthread_mutex_lock(&g->mu);
    c->next = g->head;
    if (g->head)
        g->head->prev = c;
    g->head = c;
    pthread_mutex_unlock(&g->mu);
    return c;
}

void central_guard_rearm(central_guard *g, central_guard_conn *c)
{
    if (!c)
        return;
    pthread_mutex_lock(&g->mu);
    c->since = mono_s();
    pthread_mutex_unlock(&g->mu);
}

void central_guard_closed(central_guard *g, central_guard_conn *c)
{
    if (!c)
        return;
    pthread_mutex_lock(&g->mu);
    if (c->prev)
        c->prev->next = c->next;
    else
        g->head = c->next;
    if (c->next)
        c->next->prev = c->prev;
    pthread_mutex_unlock(&g->mu);
    free(c);
}
