/* group.c - group commit (group.h).
 *
 * Requests queue their writes under one mutex.  Whoever finds no leader
 * at work becomes it: it takes the queue (at most GROUP_MAX requests, so a
 * commit's waiters wait for a bounded amount of work), runs it in one
 * transaction on the writer connection and marks those requests done.  A
 * request whose writes another leader ran simply waits for that. */
#include "group.h"

#include <pthread.h>
#include <stdlib.h>

#define GROUP_MAX 64

typedef struct job {
    central_group_fn fn;
    void *arg;
    int ret;          /* fn's result, or the transaction's failure */
    zc_err err;
    bool done;        /* its transaction has ended (mu) */
    struct job *next;
} job;

struct central_group {
    central_store *writer; /* borrowed: the only connection leaders use */
    pthread_mutex_t mu;
    pthread_cond_t cv;  /* a group's transaction ended */
    job *head, *tail;   /* queued, not taken by a leader yet */
    bool leading;       /* a leader is running a group */
};

int central_group_new(central_store *writer, central_group **out, zc_err *err)
{
    central_group *g = calloc(1, sizeof *g);
    *out = NULL;
    if (!g)
        return zc_errf(err, ZC_ENOMEM, "out of memory starting the server");
    g->writer = writer;
    pthread_mutex_init(&g->mu, NULL);
    pthread_cond_init(&g->cv, NULL);
    *out = g;
    return ZC_OK;
}

void central_group_free(central_group *g)
{
    if (!g)
        return;
    pthread_mutex_destroy(&g->mu);
    pthread_cond_destroy(&g->cv);
    free(g);
}

/* Runs the jobs of list in one transaction on st.  When the transaction
 * cannot commit, every job that had succeeded takes its failure. */
static void run_jobs(central_store *st, job *list)
{
    zc_err e = {""};
    bool solo = !list->next; /* its failure undoes the whole transaction: no savepoint */
    int ret = central_store_batch_begin(st, &e);
    for (job *j = list; ret == ZC_OK && j; j = j->next) {
        if (!solo && (ret = central_store_job_begin(st, &e)))
            break;
        j->ret = j->fn(st, j->arg, &j->err);
        if (solo && j->ret) {
            central_store_batch_rollback(st);
            return;
        }
        if (!solo)
            ret = central_store_job_end(st, j->ret == ZC_OK, &e);
    }
    if (ret == ZC_OK)
        ret = central_store_batch_commit(st, &e);
    if (ret == ZC_OK)
        return;
    central_store_batch_rollback(st);
    for (job *j = list; j; j = j->next) {
        if (j->ret == ZC_OK) {
            j->ret = ret;
            j->err = e;
        }
    }
}

int central_group_run(central_group *g, central_store *st, central_group_fn fn, void *arg,
                      zc_err *err)
{
    job me = {.fn = fn, .arg = arg};
    if (!g) {
        run_jobs(st, &me);
    } else {
        pthread_mutex_lock(&g->mu);
        if (g->tail)
            g->tail->next = &me;
        else
            g->head = &me;
        g->tail = &me;
        while (!me.done) {
            if (g->leading) {
                pthread_cond_wait(&g->cv, &g->mu);
                continue;
            }
            /* lead: take up to GROUP_MAX queued jobs */
            job *list = g->head, *last = list;
            for (int n = 1; n < GROUP_MAX && last->next; n++)
                last = last->next;
            g->head = last->next;
            if (!g->head)
                g->tail = NULL;
            last->next = NULL;
            g->leading = true;
            pthread_mutex_unlock(&g->mu);
            run_jobs(g->writer, list);
            pthread_mutex_lock(&g->mu);
            for (job *j = list, *nx; j; j = nx) {
                nx = j->next;
                j->done = true;
            }
            g->leading = false;
            pthread_cond_broadcast(&g->cv);
        }
        pthread_mutex_unlock(&g->mu);
    }
    if (me.ret && err)
        *err = me.err;
    return me.ret;
}
