/*
 * JSON POST over PHP's own stream layer (the http/https wrappers), for
 * WxRedis\OpenPlatform. No library of our own: proxies, CA settings and
 * TLS come from PHP and its openssl extension.
 */
#ifndef WX_HTTP_H
#define WX_HTTP_H

#include "php.h"

/* Answers larger than this are refused (WeChat's are a few KiB). */
#define WX_HTTP_MAX_BODY ((size_t) 4 << 20)

typedef struct {
    int          status;      /* HTTP status of the answer; 0 when none came */
    zend_string *body;        /* the answer's body (never NULL on SUCCESS) */
    bool         timed_out;   /* no (complete) answer within the timeout */
    char         error[256];  /* on FAILURE: why, without the URL */
} wx_http_result_t;

/*
 * POST json to url (http:// or https://) with Content-Type application/json,
 * a per-read timeout of `timeout` seconds, no redirects, and every HTTP
 * status read as an answer. Never throws and never warns: PHP warnings of
 * the stream layer become res->error. Works with allow_url_fopen=0 (the URL
 * comes from configuration, not from user input) and leaves the caller's
 * $http_response_header as it was.
 *
 * SUCCESS: res->status and res->body are set (free with wx_http_result_free).
 * FAILURE: no usable answer; res->error says why, res->timed_out whether the
 * timeout was the cause.
 */
zend_result wx_http_post_json(const char *url, zend_string *json, double timeout, wx_http_result_t *res);
void        wx_http_result_free(wx_http_result_t *res);

/* Seconds on the monotonic clock, for timeouts and deadlines. */
double      wx_http_now(void);

#endif
