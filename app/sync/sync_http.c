/* sync_http.c - talking to the centre with libcurl, the way curl's own
 * examples do: one easy handle per client (kept, so connections are
 * reused), a write callback that appends into a bounded buffer and fails
 * with "too large" past it, every CURLcode checked and reported with
 * curl_easy_strerror, and transfers that a flag can abort from another
 * thread (polled by the progress callback, about once a second at worst).
 *
 * TLS: the peer and the host name are always verified; ca_file adds a
 * private CA instead of the system bundle.  There is no switch to turn
 * verification off.  Plain http:// is accepted only for a centre on this
 * machine (tests, a local demo centre), where nothing crosses a network. */
#include "sync_int.h"

#include <curl/curl.h>
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

struct sync_http {
    CURL *curl;                  /* owned */
    struct curl_slist *hdrs;     /* owned: auth, terminal, content type */
    char base[SYNC_URL_MAX];     /* server_url without a trailing '/' */
    const atomic_bool *abort;    /* borrowed; NULL = never */
    size_t reply_max;            /* longest reply accepted */
    char errbuf[CURL_ERROR_SIZE];/* curl's detail for the last failure */
    char *buf;                   /* the reply (owned), NUL-terminated */
    size_t len, cap;
    bool toobig;                 /* the reply went past reply_max */
    bool oom;                    /* growing buf failed */
};

/* ---- once per process ---- */

static pthread_once_t global_once = PTHREAD_ONCE_INIT;
static CURLcode global_rc = CURLE_FAILED_INIT;

static void global_init(void)
{
    global_rc = curl_global_init(CURL_GLOBAL_DEFAULT);
}

int sync_global_init(zc_err *err)
{
    if (pthread_once(&global_once, global_init) != 0)
        return zc_errf(err, ZC_EIO, "could not start the network library");
    return global_rc == CURLE_OK ? ZC_OK
                                 : zc_errf(err, ZC_EIO, "could not start the network library (%s)",
                                           curl_easy_strerror(global_rc));
}

/* ---- settings ---- */

int sync_url_check(const char *url, zc_err *err)
{
    char *scheme = NULL, *host = NULL;
    int ret = ZC_OK;
    CURLU *u = curl_url();
    if (!u)
        return zc_errf(err, ZC_ENOMEM, "out of memory checking server_url");
    CURLUcode rc = curl_url_set(u, CURLUPART_URL, url, 0);
    if (rc == CURLUE_OK)
        rc = curl_url_get(u, CURLUPART_SCHEME, &scheme, 0);
    if (rc == CURLUE_OK)
        rc = curl_url_get(u, CURLUPART_HOST, &host, 0);
    if (rc != CURLUE_OK) {
        ret = zc_errf(err, ZC_EINVAL, "server_url \"%.100s\" is not a URL (%s); set it like "
                      "https://centre.example.cn:8443", url, curl_url_strerror(rc));
    } else if (strcmp(scheme, "https") != 0 &&
               !(strcmp(scheme, "http") == 0 &&
                 (strcmp(host, "127.0.0.1") == 0 || strcmp(host, "localhost") == 0 ||
                  strcmp(host, "[::1]") == 0))) {
        ret = zc_errf(err, ZC_EINVAL, "server_url must start with https:// (plain http:// is "
                      "allowed only to this machine), not \"%.100s\"", url);
    }
    curl_free(scheme);
    curl_free(host);
    curl_url_cleanup(u);
    return ret;
}

/* meta key into buf (n bytes); "" when unset. */
static int meta_opt(store_t *st, const char *key, char *buf, size_t n, zc_err *err)
{
    int ret = store_meta_get(st, key, buf, n);
    if (ret == ZC_ENOTFOUND) {
        buf[0] = '\0';
        return ZC_OK;
    }
    if (ret == ZC_ETOOBIG)
        return zc_errf(err, ZC_EINVAL, "the setting %s is longer than %zu characters", key, n - 1);
    return ret ? zc_errf(err, ret, "could not read the setting %s", key) : ZC_OK;
}

int sync_cfg_load(store_t *st, sync_cfg *cfg, zc_err *err)
{
    int ret;
    memset(cfg, 0, sizeof *cfg);
    if ((ret = meta_opt(st, "server_url", cfg->server_url, sizeof cfg->server_url, err)) ||
        (ret = meta_opt(st, "terminal_id", cfg->terminal_id, sizeof cfg->terminal_id, err)) ||
        (ret = meta_opt(st, "sync_token", cfg->token, sizeof cfg->token, err)) ||
        (ret = meta_opt(st, "ca_file", cfg->ca_file, sizeof cfg->ca_file, err)))
        return ret;
    if (!cfg->server_url[0])
        return zc_errf(err, ZC_EINVAL, "this terminal has no server_url; set it with zhucan config "
                       "set --db DB server_url https://...");
    if (!cfg->terminal_id[0])
        return zc_errf(err, ZC_EINVAL, "this terminal has no terminal_id; set it with zhucan config "
                       "set --db DB terminal_id ID");
    if (!cfg->token[0])
        return zc_errf(err, ZC_EINVAL, "this terminal has no sync_token; register it at the centre "
                       "(zhucan-central terminal add) and set sync_token");
    for (const char *p = cfg->token; *p; p++)
        if (*p <= 0x20 || *p >= 0x7f)
            return zc_errf(err, ZC_EINVAL, "sync_token holds a space or a character that is not "
                           "plain ASCII; copy the token again");
    for (const char *p = cfg->terminal_id; *p; p++)
        if (*p <= 0x20 || *p >= 0x7f)
            return zc_errf(err, ZC_EINVAL, "terminal_id holds a space or a character that is not "
                           "plain ASCII");
    size_t n = strlen(cfg->server_url);
    while (n > 0 && cfg->server_url[n - 1] == '/')
        cfg->server_url[--n] = '\0';
    if ((ret = sync_url_check(cfg->server_url, err)))
        return ret;
    if (cfg->ca_file[0] && access(cfg->ca_file, R_OK) != 0)
        return zc_errf(err, ZC_EINVAL, "the CA file %s cannot be read (%s); fix the setting ca_file",
                       cfg->ca_file, strerror(errno));
    return ZC_OK;
}

/* ---- callbacks ---- */

/* Appends a piece of the reply; past reply_max it refuses (the transfer
 * then fails with CURLE_WRITE_ERROR and toobig says why). */
static size_t on_data(char *p, size_t size, size_t nmemb, void *arg)
{
    sync_http *h = arg;
    size_t n = size * nmemb;
    if (n > h->reply_max - h->len) {
        h->toobig = true;
        return 0;
    }
    if (h->len + n + 1 > h->cap) {
        size_t cap = h->cap ? h->cap : 16384;
        while (cap < h->len + n + 1)
            cap *= 2;
        if (cap > h->reply_max + 1)
            cap = h->reply_max + 1;
        char *q = realloc(h->buf, cap);
        if (!q) {
            h->oom = true;
            return 0;
        }
        h->buf = q;
        h->cap = cap;
    }
    memcpy(h->buf + h->len, p, n);
    h->len += n;
    h->buf[h->len] = '\0';
    return n;
}

/* Non-zero aborts the transfer (CURLE_ABORTED_BY_CALLBACK). */
static int on_progress(void *arg, curl_off_t dltotal, curl_off_t dlnow, curl_off_t ultotal,
                       curl_off_t ulnow)
{
    const sync_http *h = arg;
    (void)dltotal, (void)dlnow, (void)ultotal, (void)ulnow;
    return h->abort && atomic_load(h->abort) ? 1 : 0;
}

/* ---- the client ---- */

void sync_http_close(sync_http *h)
{
    if (!h)
        return;
    curl_easy_cleanup(h->curl);
    curl_slist_free_all(h->hdrs);
    free(h->buf);
    free(h);
}

/* Appends one header line; false when out of memory. */
static bool add_header(struct curl_slist **l, const char *line)
{
    struct curl_slist *n = curl_slist_append(*l, line);
    if (n)
        *l = n;
    return n != NULL;
}

int sync_http_open(const sync_cfg *cfg, const sync_tune *t, const atomic_bool *abort,
                   sync_http **out, zc_err *err)
{
    char line[SYNC_TOKEN_MAX + 64];
    CURLcode rc = CURLE_OK;
    int ret = ZC_OK;
    *out = NULL;
    if ((ret = sync_global_init(err)))
        return ret;
    sync_http *h = calloc(1, sizeof *h);
    if (!h)
        return zc_errf(err, ZC_ENOMEM, "out of memory starting the sync");
    snprintf(h->base, sizeof h->base, "%s", cfg->server_url);
    h->abort = abort;
    h->reply_max = t->reply_max;
    if (!(h->curl = curl_easy_init())) {
        ret = zc_errf(err, ZC_ENOMEM, "could not start a network session (curl_easy_init)");
        goto out;
    }
    snprintf(line, sizeof line, "Authorization: Bearer %s", cfg->token);
    bool ok = add_header(&h->hdrs, line);
    snprintf(line, sizeof line, "X-Zhucan-Terminal: %s", cfg->terminal_id);
    ok = ok && add_header(&h->hdrs, line) && add_header(&h->hdrs, "Accept: application/json") &&
         add_header(&h->hdrs, "Content-Type: application/json") &&
         add_header(&h->hdrs, "Expect:"); /* no 100-continue round trip */
    if (!ok) {
        ret = zc_errf(err, ZC_ENOMEM, "out of memory starting the sync");
        goto out;
    }
    CURL *c = h->curl;
    if (rc == CURLE_OK) rc = curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
    if (rc == CURLE_OK) rc = curl_easy_setopt(c, CURLOPT_ERRORBUFFER, h->errbuf);
    if (rc == CURLE_OK) rc = curl_easy_setopt(c, CURLOPT_HTTPHEADER, h->hdrs);
    if (rc == CURLE_OK) rc = curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS, t->connect_ms);
    if (rc == CURLE_OK) rc = curl_easy_setopt(c, CURLOPT_SSL_VERIFYPEER, 1L);
    if (rc == CURLE_OK) rc = curl_easy_setopt(c, CURLOPT_SSL_VERIFYHOST, 2L);
    if (rc == CURLE_OK && cfg->ca_file[0]) rc = curl_easy_setopt(c, CURLOPT_CAINFO, cfg->ca_file);
#if LIBCURL_VERSION_NUM >= 0x075500
    if (rc == CURLE_OK) rc = curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
#else
    if (rc == CURLE_OK) rc = curl_easy_setopt(c, CURLOPT_PROTOCOLS, (long)(CURLPROTO_HTTP | CURLPROTO_HTTPS));
#endif
    if (rc == CURLE_OK) rc = curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 0L);
    if (rc == CURLE_OK) rc = curl_easy_setopt(c, CURLOPT_MAXFILESIZE_LARGE, (curl_off_t)t->reply_max);
    if (rc == CURLE_OK) rc = curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_data);
    if (rc == CURLE_OK) rc = curl_easy_setopt(c, CURLOPT_WRITEDATA, h);
    if (rc == CURLE_OK) rc = curl_easy_setopt(c, CURLOPT_XFERINFOFUNCTION, on_progress);
    if (rc == CURLE_OK) rc = curl_easy_setopt(c, CURLOPT_XFERINFODATA, h);
    if (rc == CURLE_OK) rc = curl_easy_setopt(c, CURLOPT_NOPROGRESS, 0L);
    if (rc == CURLE_OK) rc = curl_easy_setopt(c, CURLOPT_TCP_KEEPALIVE, 1L);
    if (rc == CURLE_OK) rc = curl_easy_setopt(c, CURLOPT_USERAGENT, "zhucan-terminal/1");
    if (rc != CURLE_OK)
        ret = zc_errf(err, ZC_EIO, "could not set up the network session: %s",
                      curl_easy_strerror(rc));
out:
    if (ret)
        sync_http_close(h);
    else
        *out = h;
    return ret;
}

int sync_http_escape(sync_http *h, const char *s, char *buf, size_t n)
{
    char *e = curl_easy_escape(h->curl, s, 0);
    if (!e)
        return ZC_ENOMEM;
    int w = snprintf(buf, n, "%s", e);
    curl_free(e);
    return w < 0 || (size_t)w >= n ? ZC_ETOOBIG : ZC_OK;
}

/* A short printable excerpt of buf (len bytes) at off, for messages. */
static void excerpt(const char *buf, size_t len, size_t off, char *out, size_t n)
{
    size_t k = 0;
    for (size_t i = off; i < len && k + 1 < n && i < off + 24; i++)
        out[k++] = buf[i] >= 0x20 && buf[i] < 0x7f && buf[i] != '"' ? buf[i] : '.';
    out[k] = '\0';
}

/* A failed transfer as a ZC code and a sentence. */
static int transfer_failed(sync_http *h, CURLcode rc, long timeout_ms, zc_err *err)
{
    const char *what = curl_easy_strerror(rc), *detail = h->errbuf[0] ? h->errbuf : what;
    switch (rc) {
    case CURLE_ABORTED_BY_CALLBACK:
        return zc_errf(err, ZC_EIO, "sync was stopped");
    case CURLE_WRITE_ERROR:
    case CURLE_FILESIZE_EXCEEDED:
        if (h->oom)
            return zc_errf(err, ZC_ENOMEM, "out of memory reading the centre's reply");
        return zc_errf(err, ZC_ETOOBIG, "the centre's reply is too large (more than %zu bytes); "
                       "nothing of it was used", h->reply_max);
    case CURLE_COULDNT_RESOLVE_HOST:
    case CURLE_COULDNT_RESOLVE_PROXY:
    case CURLE_COULDNT_CONNECT:
        return zc_errf(err, ZC_EIO, "offline: cannot reach the centre at %s (%s); check the network "
                       "and server_url", h->base, detail);
    case CURLE_OPERATION_TIMEDOUT:
        return zc_errf(err, ZC_EIO, "offline: the centre at %s did not answer within %ld ms (%s)",
                       h->base, timeout_ms, detail);
    case CURLE_PEER_FAILED_VERIFICATION:
        /* say which of the usual three it is; curl's words follow in brackets */
        if (strstr(detail, "expired") || strstr(detail, "not yet valid"))
            return zc_errf(err, ZC_EREFUSED, "certificate refused: the centre's certificate has "
                           "expired or is not valid yet; the centre must renew it (%s)", detail);
        if (strstr(detail, "host name") || strstr(detail, "hostname"))
            return zc_errf(err, ZC_EREFUSED, "certificate refused: the centre's certificate is for "
                           "another host name; check server_url (%s)", detail);
        return zc_errf(err, ZC_EREFUSED, "certificate not trusted: set ca_file to the centre's CA, "
                       "or check server_url (%s)", detail);
    case CURLE_SSL_CACERT_BADFILE:
        return zc_errf(err, ZC_EREFUSED, "the CA file cannot be used (%s); fix the setting ca_file",
                       detail);
    case CURLE_SSL_CONNECT_ERROR:
        /* the network failing during the handshake is not a TLS problem */
        if (strstr(detail, "Recv failure") || strstr(detail, "Send failure") ||
            strstr(detail, "reset") || strstr(detail, "SSL_ERROR_SYSCALL") ||
            strstr(detail, "unexpected eof"))
            return zc_errf(err, ZC_EIO, "offline: the connection to the centre broke (%s); it will "
                           "be retried", detail);
        return zc_errf(err, ZC_EREFUSED, "a secure (TLS) connection to the centre failed (%s); "
                       "check server_url and ca_file", detail);
    case CURLE_SSL_CERTPROBLEM:
    case CURLE_SSL_CIPHER:
    case CURLE_USE_SSL_FAILED:
        return zc_errf(err, ZC_EREFUSED, "a secure (TLS) connection to the centre failed (%s); check "
                       "server_url and ca_file", detail);
    case CURLE_GOT_NOTHING:
    case CURLE_RECV_ERROR:
    case CURLE_SEND_ERROR:
    case CURLE_PARTIAL_FILE:
        return zc_errf(err, ZC_EIO, "offline: the connection to the centre broke (%s); it will be "
                       "retried", detail);
    default:
        return zc_errf(err, ZC_EIO, "talking to the centre failed: %s (%s)", what, detail);
    }
}

/* A reply with a status other than 200 as a ZC code and a sentence; the
 * centre's {"error": "..."} is quoted when there is one. */
static int status_failed(sync_http *h, long status, const char *path, zc_err *err)
{
    char why[200] = "";
    cJSON *j = h->len ? cJSON_ParseWithLength(h->buf, h->len) : NULL;
    const cJSON *e = cJSON_GetObjectItemCaseSensitive(j, "error");
    if (cJSON_IsString(e) && e->valuestring)
        snprintf(why, sizeof why, ": %s", e->valuestring);
    cJSON_Delete(j);
    if (status == 401 || status == 403)
        return zc_errf(err, ZC_EREFUSED, "the centre refused this terminal's token; re-register it "
                       "(HTTP %ld%s)", status, why);
    if (status == 413)
        return zc_errf(err, ZC_ETOOBIG, "the centre refused the request as too large (HTTP 413%s)",
                       why);
    if (status >= 500)
        return zc_errf(err, ZC_EIO, "the centre had an internal error (HTTP %ld%s); it will be "
                       "retried", status, why);
    return zc_errf(err, ZC_EREFUSED, "the centre refused %s (HTTP %ld%s)", path, status, why);
}

int sync_http_call(sync_http *h, const char *path, const char *body, size_t len, long timeout_ms,
                   cJSON **out, zc_err *err)
{
    char url[SYNC_URL_MAX + 1024];
    long status = 0;
    CURLcode rc = CURLE_OK;
    *out = NULL;
    if ((size_t)snprintf(url, sizeof url, "%s%s", h->base, path) >= sizeof url)
        return zc_errf(err, ZC_ETOOBIG, "internal error: the request path is too long");
    h->len = 0;
    h->toobig = h->oom = false;
    h->errbuf[0] = '\0';
    if (h->buf)
        h->buf[0] = '\0';
    CURL *c = h->curl;
    if (rc == CURLE_OK) rc = curl_easy_setopt(c, CURLOPT_URL, url);
    if (rc == CURLE_OK) rc = curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, timeout_ms);
    if (body) {
        if (rc == CURLE_OK) rc = curl_easy_setopt(c, CURLOPT_POST, 1L);
        if (rc == CURLE_OK) rc = curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)len);
        if (rc == CURLE_OK) rc = curl_easy_setopt(c, CURLOPT_POSTFIELDS, body);
    } else {
        if (rc == CURLE_OK) rc = curl_easy_setopt(c, CURLOPT_HTTPGET, 1L);
    }
    if (rc != CURLE_OK)
        return zc_errf(err, ZC_EIO, "could not set up the request to the centre: %s",
                       curl_easy_strerror(rc));
    if (h->abort && atomic_load(h->abort))
        return zc_errf(err, ZC_EIO, "sync was stopped");
    if ((rc = curl_easy_perform(c)) != CURLE_OK)
        return transfer_failed(h, rc, timeout_ms, err);
    if ((rc = curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status)) != CURLE_OK)
        return zc_errf(err, ZC_EIO, "could not read the centre's answer: %s", curl_easy_strerror(rc));
    if (status != 200)
        return status_failed(h, status, path, err);
    return sync_reply_parse(h->buf ? h->buf : "", h->len, out, err);
}

int sync_reply_parse(const char *buf, size_t len, cJSON **out, zc_err *err)
{
    char near[32];
    const char *end = NULL;
    *out = NULL;
    /* len + 1: the terminating NUL is part of the text, so trailing bytes are refused */
    cJSON *j = len ? cJSON_ParseWithLengthOpts(buf, len + 1, &end, true) : NULL;
    if (!j) {
        size_t at = end && end >= buf ? (size_t)(end - buf) : 0;
        excerpt(buf, len, at, near, sizeof near);
        return zc_errf(err, ZC_EINVAL, "the centre's reply was not valid JSON at byte %zu of %zu "
                       "(near \"%s\"); nothing of it was used", at, len, near);
    }
    if (!cJSON_IsObject(j)) {
        cJSON_Delete(j);
        return zc_errf(err, ZC_EINVAL, "the centre's reply was JSON but not an object; nothing of "
                       "it was used");
    }
    *out = j;
    return ZC_OK;
}
