/* api.h - the endpoints of sync protocol v1 (docs/sync-protocol.md), apart
 * from HTTP: server.c authenticates, bounds and reads the request, then
 * hands it here with a database connection; the handler answers with a
 * status and a JSON body.  Nothing here knows libmicrohttpd. */
#ifndef ZC_CENTRAL_API_H
#define ZC_CENTRAL_API_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "cstore.h"
#include "group.h"

enum central_route {
    API_NOT_FOUND = -1,
    API_BAD_METHOD = -2,
    API_HEALTH = 0,
    API_TIME,
    API_CONFIG,
    API_SALES,
    API_ROSTER,
    API_POLICIES,
    API_USAGE,
    API_CLOSING,
    API_OWN_SALES,
};

/* The route for a method and path (query string already removed), or
 * API_NOT_FOUND / API_BAD_METHOD.  *auth: the route needs a terminal's
 * token; *body: it reads a request body. */
int central_api_route(const char *method, const char *path, bool *auth, bool *body);

typedef struct central_request {
    int route;
    const central_terminal *terminal; /* authenticated; NULL for health */
    const char *body;                 /* NUL-terminated, may be NULL */
    size_t len;
    /* the query argument `name`, or NULL when absent */
    const char *(*arg)(void *ctx, const char *name);
    void *arg_ctx;
    int64_t now;                      /* server time, epoch seconds */
    central_group *group;             /* shares write transactions; NULL: each its own */
} central_request;

typedef struct central_response {
    int status;  /* HTTP status */
    char *body;  /* JSON text, owned (free()); never NULL after a handler */
    size_t len;
} central_response;

/* Answers a request.  st may be NULL for API_HEALTH.  Fills rs (the caller
 * frees rs->body). */
void central_api_handle(central_store *st, const central_request *rq, central_response *rs);

/* {"error": msg} with status into rs (for the server's own refusals). */
void central_api_error(central_response *rs, int status, const char *msg);

#endif
