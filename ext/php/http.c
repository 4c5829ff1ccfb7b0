/*
 * JSON POST over PHP's stream transports: php_stream_xport_create() on
 * tcp:// or ssl:// with a stream context for TLS, the request and answer
 * bytes from core/wx_http, one deadline for the whole call. Unlike the
 * http:// wrapper this sets no $http_response_header and honours no
 * allow_url_fopen (the URL is configuration), and what the stream layer
 * raises is kept from the application.
 */
#ifdef HAVE_CONFIG_H
# include "config.h"
#endif

#include <time.h>

#include "php.h"
#include "php_globals.h"
#include "php_streams.h"
#include "zend_exceptions.h"

#include "../php_wxredis.h"
#include "http.h"

#define WX_HTTP_USER_AGENT   "wxredis/" PHP_WXREDIS_VERSION
#define WX_HTTP_CONTENT_TYPE "application/json; charset=utf-8"
#define WX_HTTP_READ_CHUNK   8192
/* poll() counts in whole milliseconds: a read that timed out may return
 * this much before the deadline */
#define WX_HTTP_TIMER_SLACK  0.01

double wx_http_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double) ts.tv_sec + (double) ts.tv_nsec / 1e9;
}

/* ------------------------------------------------------------- quiet
 *
 * The stream layer reports through php_error_docref(): warnings (DNS,
 * TLS) and notices (a failed send). During our call, EH_THROW keeps them
 * from the application's error handler and turns warnings into an
 * exception we take apart; error_reporting 0 keeps notices from being
 * shown or logged; and the last error (error_get_last()) is put back as
 * it was. The first message is what res->error reports. */

/* PHP 8.1 made the last error's file a zend_string (8.0: a strdup()ed char *) */
#if PHP_VERSION_ID >= 80100
typedef zend_string *wx_http_file_t;
# define WX_HTTP_FREE_FILE(f) zend_string_release(f)
#else
typedef char *wx_http_file_t;
# define WX_HTTP_FREE_FILE(f) free(f)
#endif

typedef struct {
    zend_error_handling eh;
    zend_object        *pending;
    int                 error_reporting;
    int                 last_type, last_lineno;
    zend_string        *last_message;
    wx_http_file_t      last_file;
} wx_http_quiet_t;

static void wx_http_quiet_begin(wx_http_quiet_t *q)
{
    q->pending = EG(exception);
    q->error_reporting = EG(error_reporting);
    EG(error_reporting) = 0;
    q->last_type = PG(last_error_type);
    q->last_lineno = PG(last_error_lineno);
    q->last_message = PG(last_error_message);
    q->last_file = PG(last_error_file);
    PG(last_error_type) = 0;
    PG(last_error_lineno) = 0;
    PG(last_error_message) = NULL;
    PG(last_error_file) = NULL;
    zend_replace_error_handling(EH_THROW, zend_ce_error_exception, &q->eh);
}

/* msg without php_error_docref()'s "function(): " head, on one line. */
static void wx_http_flatten(const char *msg, char *out, size_t cap)
{
    const char *head = strstr(msg, "(): ");
    size_t n = 0;

    if (head && head - msg < 128) {
        msg = head + 4;
    }
    for (; *msg && n + 1 < cap; msg++) {
        out[n++] = (*msg == '\n' || *msg == '\r') ? ' ' : *msg;
    }
    out[n] = '\0';
}

static void wx_http_quiet_end(wx_http_quiet_t *q, char *first, size_t cap)
{
    zend_restore_error_handling(&q->eh);
    first[0] = '\0';
    if (!q->pending && EG(exception)) {
        zval rv, *m = zend_read_property_ex(EG(exception)->ce, EG(exception), ZSTR_KNOWN(ZEND_STR_MESSAGE), 1, &rv);
        wx_http_flatten(Z_TYPE_P(m) == IS_STRING ? Z_STRVAL_P(m) : "unknown error", first, cap);
        zend_clear_exception();
    }
    if (PG(last_error_message)) {
        if (!first[0]) {
            wx_http_flatten(ZSTR_VAL(PG(last_error_message)), first, cap);
        }
        zend_string_release(PG(last_error_message));
    }
    if (PG(last_error_file)) {
        WX_HTTP_FREE_FILE(PG(last_error_file));
    }
    PG(last_error_type) = q->last_type;
    PG(last_error_lineno) = q->last_lineno;
    PG(last_error_message) = q->last_message;
    PG(last_error_file) = q->last_file;
    EG(error_reporting) = q->error_reporting;
}

/* ------------------------------------------------------------ exchange */

static struct timeval wx_http_tv(double seconds)
{
    struct timeval tv;
    if (seconds < 0) {
        seconds = 0;
    }
    tv.tv_sec = (time_t) seconds;
    tv.tv_usec = (suseconds_t) ((seconds - (double) tv.tv_sec) * 1e6);
    return tv;
}

/* A stream context for ssl://: the peer is verified against the URL's
 * host with PHP's CA settings (openssl.cafile, openssl.capath, else the
 * system's), exactly as the https:// wrapper does by default. */
static php_stream_context *wx_http_context(const wx_http_url_t *url)
{
    php_stream_context *ctx = php_stream_context_alloc();
    zval v;

    if (url->tls) {
        ZVAL_TRUE(&v);
        php_stream_context_set_option(ctx, "ssl", "verify_peer", &v);
        php_stream_context_set_option(ctx, "ssl", "verify_peer_name", &v);
        php_stream_context_set_option(ctx, "ssl", "SNI_enabled", &v);
        ZVAL_FALSE(&v);
        php_stream_context_set_option(ctx, "ssl", "allow_self_signed", &v);
        ZVAL_STRING(&v, url->host);
        php_stream_context_set_option(ctx, "ssl", "peer_name", &v);
        zval_ptr_dtor(&v);
    }
    return ctx;
}

typedef enum { WX_HTTP_STEP_OK, WX_HTTP_STEP_TIMEOUT, WX_HTTP_STEP_FAILED } wx_http_step_t;

/* Send the request and read the answer into p, by the deadline. */
static wx_http_step_t wx_http_exchange(php_stream *stream, const char *req, size_t req_len,
                                       wx_http_parser_t *p, double deadline, char *error, size_t cap)
{
    char buf[WX_HTTP_READ_CHUNK];
    struct timeval tv;
    ssize_t n;

    tv = wx_http_tv(deadline - wx_http_now());
    php_stream_set_option(stream, PHP_STREAM_OPTION_READ_TIMEOUT, 0, &tv);   /* bounds writes too */
    n = php_stream_write(stream, req, req_len);
    if (n < 0 || (size_t) n != req_len) {
        if (wx_http_now() >= deadline) {
            return WX_HTTP_STEP_TIMEOUT;
        }
        snprintf(error, cap, "sending the request failed");
        return WX_HTTP_STEP_FAILED;
    }
    for (;;) {
        double left = deadline - wx_http_now();
        wx_http_status_t st;

        if (left <= 0) {
            return WX_HTTP_STEP_TIMEOUT;
        }
        tv = wx_http_tv(left);
        php_stream_set_option(stream, PHP_STREAM_OPTION_READ_TIMEOUT, 0, &tv);
        n = php_stream_read(stream, buf, sizeof(buf));
        if (n > 0) {
            st = wx_http_parser_feed(p, buf, (size_t) n);
        } else if (stream->eof) {
            /* stream->eof, not php_stream_eof(): that one polls for up to
             * the read timeout when nothing is buffered */
            st = wx_http_parser_eof(p);
        } else if (n < 0 && deadline - wx_http_now() > WX_HTTP_TIMER_SLACK) {
            snprintf(error, cap, "reading the answer failed");
            return WX_HTTP_STEP_FAILED;
        } else {
            continue;   /* the read timed out: the loop checks the deadline */
        }
        if (st == WX_HTTP_OK) {
            return WX_HTTP_STEP_OK;
        }
        if (st != WX_HTTP_MORE) {
            snprintf(error, cap, "%s", p->error);
            return WX_HTTP_STEP_FAILED;
        }
    }
}

zend_result wx_http_post_json(const wx_http_url_t *url, const char *target, size_t target_len,
                              zend_string *json, double timeout, wx_http_result_t *res)
{
    double deadline = wx_http_now() + timeout;
    char name[WX_HTTP_HOST_MAX + 32], authority[WX_HTTP_HOST_MAX + 16], raised[256];
    php_stream_context *ctx;
    php_stream *stream;
    zend_string *errstr = NULL;
    wx_http_parser_t *p;
    wx_http_quiet_t q;
    wx_http_step_t step = WX_HTTP_STEP_FAILED;
    struct timeval tv;
    size_t req_len;
    char *req;
    int errcode = 0;

    memset(res, 0, sizeof(*res));
    req = wx_http_request(url, target, target_len, WX_HTTP_USER_AGENT, WX_HTTP_CONTENT_TYPE,
                          ZSTR_VAL(json), ZSTR_LEN(json), &req_len);
    if (!req || !wx_http_url_authority(url, 1, authority, sizeof(authority))) {
        free(req);
        snprintf(res->error, sizeof(res->error), "the request cannot be built");
        return FAILURE;
    }
    snprintf(name, sizeof(name), "%s://%s", url->tls ? "ssl" : "tcp", authority);
    p = emalloc(sizeof(*p));
    wx_http_parser_init(p, WX_HTTP_MAX_BODY);
    ctx = wx_http_context(url);

    wx_http_quiet_begin(&q);
    /* the TLS handshake is bounded by what was left when connecting began */
    tv = wx_http_tv(deadline - wx_http_now());
    stream = php_stream_xport_create(name, strlen(name), 0, STREAM_XPORT_CLIENT | STREAM_XPORT_CONNECT,
                                     NULL, &tv, ctx, &errstr, &errcode);
    if (stream) {
        step = wx_http_exchange(stream, req, req_len, p, deadline, res->error, sizeof(res->error));
        php_stream_close(stream);
    } else if (wx_http_now() >= deadline) {
        step = WX_HTTP_STEP_TIMEOUT;
    }
    wx_http_quiet_end(&q, raised, sizeof(raised));
    zend_list_delete(ctx->res);
    free(req);

    if (step == WX_HTTP_STEP_OK) {
        res->status = p->status;
        res->body = zend_string_init(p->body ? p->body : "", p->body_len, 0);
    } else if (step == WX_HTTP_STEP_TIMEOUT) {
        res->timed_out = true;
        snprintf(res->error, sizeof(res->error), "no complete answer within %.3g s (http_timeout)", timeout);
    } else if (!stream) {
        /* what the stream layer said (a TLS warning), else the connect error */
        snprintf(res->error, sizeof(res->error), "%s",
                 raised[0] ? raised : errstr && ZSTR_LEN(errstr) ? ZSTR_VAL(errstr) : "the connection failed");
    } else if (raised[0]) {
        size_t len = strlen(res->error);
        snprintf(res->error + len, sizeof(res->error) - len, " (%s)", raised);
    }
    if (errstr) {
        zend_string_release(errstr);
    }
    wx_http_parser_free(p);
    efree(p);
    return step == WX_HTTP_STEP_OK ? SUCCESS : FAILURE;
}

void wx_http_result_free(wx_http_result_t *res)
{
    if (res->body) {
        zend_string_release(res->body);
        res->body = NULL;
    }
}
