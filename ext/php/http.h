/*
 * One JSON POST over PHP's stream transports (tcp://, ssl://), for
 * WxRedis\OpenPlatform: a small HTTP/1.1 client whose bytes are
 * core/wx_http's, and whose connections, TLS (peer verification, CA files
 * from openssl.cafile / openssl.capath or the system's) and DNS are PHP's.
 */
#ifndef WX_HTTP_H
#define WX_HTTP_H

#include "php.h"
#include "core/wx_http.h"

/* Answers larger than this are refused (WeChat's are a few KiB). */
#define WX_HTTP_MAX_BODY ((size_t) 4 << 20)

typedef struct {
    int          status;      /* HTTP status of the answer; 0 when none came */
    zend_string *body;        /* the answer's body (never NULL on SUCCESS) */
    bool         timed_out;   /* no (complete) answer within the timeout */
    char         error[256];  /* on FAILURE: why, without the URL */
} wx_http_result_t;

/*
 * POST json to the base URL's path + target ("/path?query") with
 * Content-Type application/json. `timeout` seconds bound the whole call:
 * connecting (and the TLS handshake), sending and reading the answer, not
 * each read. Every HTTP status is an answer (no redirects followed).
 * Never throws, never warns and touches no variable of the caller: what
 * the stream layer would have raised becomes res->error, and neither the
 * application's error handler nor error_get_last() sees it. Works with
 * allow_url_fopen=0 (the URL comes from configuration, not user input).
 *
 * SUCCESS: res->status and res->body are set (free with wx_http_result_free).
 * FAILURE: no usable answer; res->error says why (never with target, which
 * may carry a token), res->timed_out whether the deadline was the cause.
 */
zend_result wx_http_post_json(const wx_http_url_t *url, const char *target, size_t target_len,
                              zend_string *json, double timeout, wx_http_result_t *res);
void        wx_http_result_free(wx_http_result_t *res);

/* Seconds on the monotonic clock, for timeouts and deadlines. */
double      wx_http_now(void);

#endif
