/*
 * wx_http: the bytes of one HTTP/1.1 request and its answer, no I/O.
 *
 * The base URL of an API (http:// or https://, host, port, path), the
 * request bytes of a POST with Connection: close, and an incremental
 * parser of the answer: status line (interim 1xx answers skipped),
 * headers, then a body framed by Content-Length, by chunked
 * Transfer-Encoding or by the end of the connection, with bounds on the
 * header and body sizes. The transport (ext/php/http.c, over PHP's
 * streams) feeds it what it reads. Plain C, no Zend; unit-tested in
 * tests/core/test_http.c, fuzzed in tests/fuzz/fuzz_http.c.
 */
#ifndef WX_CORE_HTTP_H
#define WX_CORE_HTTP_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef enum {
    WX_HTTP_OK = 0,
    WX_HTTP_MORE,             /* the parser needs more bytes */
    WX_HTTP_ERR_URL,          /* not a URL we can call */
    WX_HTTP_ERR_PROTOCOL,     /* not an HTTP/1.x answer, bad framing, cut short */
    WX_HTTP_ERR_TOO_LARGE,    /* headers or body over the bound */
    WX_HTTP_ERR_NOMEM
} wx_http_status_t;

#define WX_HTTP_HOST_MAX   255
#define WX_HTTP_PATH_MAX   1024
/* Headers larger than this are refused (an answer of WeChat has a few). */
#define WX_HTTP_HEADER_MAX (64 * 1024)
#define WX_HTTP_ERR_MAX    160

typedef struct {
    int      tls;                        /* https */
    char     host[WX_HTTP_HOST_MAX + 1]; /* an IPv6 address without its brackets */
    int      ipv6;                       /* host is an IPv6 literal */
    unsigned port;                       /* 80 or 443 when the URL has none */
    char     path[WX_HTTP_PATH_MAX + 1]; /* "" or "/..." without a trailing slash */
} wx_http_url_t;

/* Parse http[s]://host[:port][/path] (scheme case-insensitive; no user
 * info, query or fragment). On WX_HTTP_ERR_URL, err (when not NULL) says why. */
wx_http_status_t wx_http_url_parse(const char *url, size_t len, wx_http_url_t *u, char err[WX_HTTP_ERR_MAX]);

/* The host and port as "host:port" for a transport name, IPv6 in
 * brackets; returns the length written (0 when cap is too small). */
size_t wx_http_url_authority(const wx_http_url_t *u, int always_port, char *out, size_t cap);

/* The request bytes of POST u->path + target (target: "/path?query"),
 * with Host, User-Agent, Content-Type, Accept, Content-Length and
 * Connection: close, then the body. malloc()ed; NULL on out of memory. */
char *wx_http_request(const wx_http_url_t *u, const char *target, size_t target_len,
                      const char *user_agent, const char *content_type,
                      const char *body, size_t body_len, size_t *out_len);

typedef struct {
    int           state;
    size_t        max_body;
    size_t        header_bytes;       /* status line and headers seen so far */
    char          line[8192];         /* the line being read (status, header, chunk size, trailer) */
    size_t        line_len;
    int           status;             /* the answer's status, once its line was read */
    int           chunked;
    int           has_length;
    unsigned long long length;        /* Content-Length, or what is left of the chunk */
    char         *body;
    size_t        body_len, body_cap;
    char          error[WX_HTTP_ERR_MAX];
} wx_http_parser_t;

/* A parser for an answer whose body may be up to max_body bytes. */
void wx_http_parser_init(wx_http_parser_t *p, size_t max_body);

/* Feed n bytes read from the connection: WX_HTTP_MORE until the answer
 * is complete (WX_HTTP_OK; bytes after it are ignored), or an error with
 * p->error saying what was wrong. */
wx_http_status_t wx_http_parser_feed(wx_http_parser_t *p, const char *buf, size_t n);

/* The connection was closed: WX_HTTP_OK when that completes the answer
 * (a body framed by the close, or an answer already complete), else
 * WX_HTTP_ERR_PROTOCOL (cut short). */
wx_http_status_t wx_http_parser_eof(wx_http_parser_t *p);

void wx_http_parser_free(wx_http_parser_t *p);

#ifdef __cplusplus
}
#endif

#endif
