/* console_throttle.h - sign-in throttling of the district console that an
 * attacker cannot turn against the real user (issue 13).
 *
 * Two brakes, each a backoff that doubles with every further wrong password:
 *   - per source (the client's address), here, in memory: a source gets
 *     CONSOLE_SOURCE_FREE wrong passwords, then waits 1 s, 2 s, 4 s ... at
 *     most CONSOLE_BACKOFF_MAX_S before its next try is even checked (429,
 *     no argon2 spent), so a guessing client costs the centre almost
 *     nothing and cannot crowd out the real user's check;
 *   - per account, in the database (cstore_admin.c, the same formula with a
 *     30 s start): it does not apply to a browser holding the account's
 *     device cookie (a previous right password there), so guessing from
 *     elsewhere cannot lock the real user out.
 * A right password clears the source.  Restarting the service clears the
 * sources (the accounts' backoff survives). */
#ifndef ZC_CENTRAL_CONSOLE_THROTTLE_H
#define ZC_CENTRAL_CONSOLE_THROTTLE_H

#include <pthread.h>
#include <stdint.h>

#define CONSOLE_SOURCE_FREE 5        /* wrong passwords per source before any wait */
#define CONSOLE_SOURCE_BASE_S 1      /* the first wait of a source */
#define CONSOLE_BACKOFF_MAX_S 900    /* the longest wait of either brake */
#define CONSOLE_THROTTLE_SLOTS 1024  /* sources remembered (the oldest idle one is forgotten) */
#define CONSOLE_SOURCE_MAX 64        /* a source's text: an IPv6 address fits */

typedef struct console_source {
    char key[CONSOLE_SOURCE_MAX]; /* "" = a free slot */
    int wrong;                    /* wrong passwords in a row from it */
    int64_t until;                /* no try is checked before this moment */
    int64_t last;                 /* the last wrong password, for replacement */
} console_source;

typedef struct console_throttle {
    pthread_mutex_t mu; /* guards s */
    console_source s[CONSOLE_THROTTLE_SLOTS];
} console_throttle;

/* The wait after `wrong` wrong passwords in a row: 0 below free_n, then
 * base_s doubling with each further one, at most CONSOLE_BACKOFF_MAX_S. */
int64_t console_backoff_s(int wrong, int free_n, int64_t base_s);

/* Empties t (static storage may skip this: all zero is empty, and the
 * mutex is initialised here for the rest). */
void console_throttle_init(console_throttle *t);
/* Seconds source must still wait at now (0 = its try may be checked). */
int64_t console_throttle_wait(console_throttle *t, const char *source, int64_t now);
/* Counts a wrong password from source at now. */
void console_throttle_wrong(console_throttle *t, const char *source, int64_t now);
/* A right password from source: forgets it. */
void console_throttle_right(console_throttle *t, const char *source);

#endif
