/* Unit tests of wx_http: base URLs, request bytes, and the answer parser. */
#include <stdlib.h>
#include "wx_http.h"
#include "wx_test.h"

#define S(lit) (lit), sizeof(lit) - 1

static wx_http_status_t url(const char *s, wx_http_url_t *u)
{
    char err[WX_HTTP_ERR_MAX];
    return wx_http_url_parse(s, strlen(s), u, err);
}

static void check_urls(void)
{
    wx_http_url_t u;
    char auth[300], err[WX_HTTP_ERR_MAX];

    WX_CHECK(url("https://api.weixin.qq.com", &u) == WX_HTTP_OK && u.tls && u.port == 443
             && strcmp(u.host, "api.weixin.qq.com") == 0 && strcmp(u.path, "") == 0, "WeChat's base");
    WX_CHECK(url("HTTP://127.0.0.1:8999/", &u) == WX_HTTP_OK && !u.tls && u.port == 8999 && strcmp(u.path, "") == 0,
             "scheme in capitals, port, trailing slash dropped");
    WX_CHECK(url("http://proxy.example/wechat//", &u) == WX_HTTP_OK && strcmp(u.path, "/wechat") == 0, "base path kept");
    WX_CHECK(url("http://[::1]:8080/x", &u) == WX_HTTP_OK && u.ipv6 && strcmp(u.host, "::1") == 0 && u.port == 8080,
             "IPv6 literal");
    wx_http_url_authority(&u, 1, auth, sizeof(auth));
    WX_CHECK(strcmp(auth, "[::1]:8080") == 0, "IPv6 authority in brackets: %s", auth);
    url("https://api.weixin.qq.com", &u);
    wx_http_url_authority(&u, 0, auth, sizeof(auth));
    WX_CHECK(strcmp(auth, "api.weixin.qq.com") == 0, "default port left out of Host: %s", auth);
    wx_http_url_authority(&u, 1, auth, sizeof(auth));
    WX_CHECK(strcmp(auth, "api.weixin.qq.com:443") == 0, "but given for the transport: %s", auth);

    WX_CHECK(url("ftp://example.com", &u) == WX_HTTP_ERR_URL, "ftp refused");
    WX_CHECK(url("http://", &u) == WX_HTTP_ERR_URL, "no host");
    WX_CHECK(wx_http_url_parse(S("http://user:pw@example.com"), &u, err) == WX_HTTP_ERR_URL && strstr(err, "user info"),
             "user info with a password refused: %s", err);
    WX_CHECK(wx_http_url_parse(S("http://user@example.com"), &u, err) == WX_HTTP_ERR_URL && strstr(err, "user info"),
             "and says so: %s", err);
    WX_CHECK(url("http://example.com:0", &u) == WX_HTTP_ERR_URL && url("http://example.com:65536", &u) == WX_HTTP_ERR_URL
             && url("http://example.com:", &u) == WX_HTTP_ERR_URL && url("http://example.com:80x", &u) == WX_HTTP_ERR_URL,
             "bad ports");
    WX_CHECK(url("http://example.com/a?b", &u) == WX_HTTP_ERR_URL && url("http://example.com/a#b", &u) == WX_HTTP_ERR_URL,
             "query and fragment refused");
    WX_CHECK(url("http://example.com/a b", &u) == WX_HTTP_ERR_URL, "space in the path");
    WX_CHECK(url("http://[::1/", &u) == WX_HTTP_ERR_URL && url("http://[]/", &u) == WX_HTTP_ERR_URL, "bad brackets");
    WX_CHECK(wx_http_url_parse(S("http://exa\0mple.com"), &u, err) == WX_HTTP_ERR_URL, "NUL refused");
}

static void check_request(void)
{
    wx_http_url_t u;
    size_t len;
    char *req;
    static const char expect[] =
        "POST /base/cgi-bin/x?component_access_token=T HTTP/1.1\r\nHost: 127.0.0.1:8999\r\n"
        "User-Agent: wxredis/test\r\nContent-Type: application/json; charset=utf-8\r\nAccept: application/json\r\n"
        "Content-Length: 7\r\nConnection: close\r\n\r\n{\"a\":1}";

    url("http://127.0.0.1:8999/base/", &u);
    req = wx_http_request(&u, S("/cgi-bin/x?component_access_token=T"), "wxredis/test",
                          "application/json; charset=utf-8", S("{\"a\":1}"), &len);
    WX_CHECK(req && len == sizeof(expect) - 1 && memcmp(req, expect, len) == 0, "request bytes:\n%s", req ? req : "(null)");
    free(req);
}

/* Feed s in pieces of `step` bytes (0: all at once), then EOF if asked. */
static wx_http_status_t parse(const char *s, size_t len, size_t step, int eof, size_t max, wx_http_parser_t *p)
{
    wx_http_status_t rc = WX_HTTP_MORE;
    size_t i = 0;

    wx_http_parser_init(p, max);
    if (step == 0) step = len ? len : 1;
    while (i < len && rc == WX_HTTP_MORE) {
        size_t n = len - i < step ? len - i : step;
        rc = wx_http_parser_feed(p, s + i, n);
        i += n;
    }
    if (rc == WX_HTTP_MORE && eof) {
        rc = wx_http_parser_eof(p);
    }
    return rc;
}

#define BODY_IS(p, lit) ((p).body_len == sizeof(lit) - 1 && memcmp((p).body ? (p).body : "", (lit), (p).body_len) == 0)

static void check_framing(void)
{
    static const size_t steps[] = { 0, 1, 2, 3, 7 };
    wx_http_parser_t p;
    size_t k;

    for (k = 0; k < sizeof(steps) / sizeof(steps[0]); k++) {
        size_t st = steps[k];
        WX_CHECK(parse(S("HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello"), st, 0, 100, &p) == WX_HTTP_OK
                 && p.status == 200 && BODY_IS(p, "hello"), "Content-Length, %zu-byte pieces", st);
        wx_http_parser_free(&p);
        WX_CHECK(parse(S("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5;ext=1\r\nhello\r\n6\r\n world\r\n0\r\nX-T: 1\r\n\r\n"),
                       st, 0, 100, &p) == WX_HTTP_OK && BODY_IS(p, "hello world"), "chunked with extension and trailer, %zu", st);
        wx_http_parser_free(&p);
        WX_CHECK(parse(S("HTTP/1.0 502 Bad Gateway\nServer: x\n\n<html>down</html>\n"), st, 1, 100, &p) == WX_HTTP_OK
                 && p.status == 502 && BODY_IS(p, "<html>down</html>\n"), "bare LF, body up to the close, %zu", st);
        wx_http_parser_free(&p);
        WX_CHECK(parse(S("HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok"), st, 0, 100, &p) == WX_HTTP_OK
                 && p.status == 200 && BODY_IS(p, "ok"), "100 Continue skipped, %zu", st);
        wx_http_parser_free(&p);
    }
    WX_CHECK(parse(S("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nokEXTRA"), 0, 0, 100, &p) == WX_HTTP_OK && BODY_IS(p, "ok"),
             "bytes after the answer are ignored");
    wx_http_parser_free(&p);
    WX_CHECK(parse(S("HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip, chunked\r\nContent-Length: 99\r\n\r\n2\r\nok\r\n0\r\n\r\n"),
                   0, 0, 100, &p) == WX_HTTP_OK && BODY_IS(p, "ok"), "chunked wins over Content-Length");
    wx_http_parser_free(&p);
    WX_CHECK(parse(S("HTTP/1.1 204 No Content\r\n\r\n"), 0, 0, 100, &p) == WX_HTTP_OK && p.body_len == 0, "204 has no body");
    wx_http_parser_free(&p);
    WX_CHECK(parse(S("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n"), 0, 0, 100, &p) == WX_HTTP_OK && p.body_len == 0, "empty body");
    wx_http_parser_free(&p);
    WX_CHECK(parse(S("\r\nHTTP/1.1 200 OK\r\ncontent-length:  2 \r\n\r\nok"), 0, 0, 100, &p) == WX_HTTP_OK && BODY_IS(p, "ok"),
             "empty line before the status, header name in any case, spaces around the value");
    wx_http_parser_free(&p);
    WX_CHECK(parse(S("HTTP/1.1 200 OK\r\nContent-Length: 2\r\nContent-Length: 2\r\n\r\nok"), 0, 0, 100, &p) == WX_HTTP_OK,
             "the same Content-Length twice");
    wx_http_parser_free(&p);
}

static void check_errors(void)
{
    wx_http_parser_t p;
    char *big;
    size_t i;

    WX_CHECK(parse(S(""), 0, 1, 100, &p) == WX_HTTP_ERR_PROTOCOL && strstr(p.error, "without an answer"), "%s", p.error);
    wx_http_parser_free(&p);
    WX_CHECK(parse(S("\x00\x01not http\r\n"), 0, 0, 100, &p) == WX_HTTP_ERR_PROTOCOL && strstr(p.error, "not HTTP"), "%s", p.error);
    wx_http_parser_free(&p);
    WX_CHECK(parse(S("HTTP/1.1 2000 OK\r\n\r\n"), 0, 0, 100, &p) == WX_HTTP_ERR_PROTOCOL, "four-digit status");
    wx_http_parser_free(&p);
    WX_CHECK(parse(S("HTTP/2 200\r\n\r\n"), 0, 0, 100, &p) == WX_HTTP_ERR_PROTOCOL, "HTTP/2 status line");
    wx_http_parser_free(&p);
    WX_CHECK(parse(S("HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nshort"), 0, 1, 100, &p) == WX_HTTP_ERR_PROTOCOL
             && strstr(p.error, "before the answer was complete"), "cut short: %s", p.error);
    wx_http_parser_free(&p);
    WX_CHECK(parse(S("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhel"), 0, 1, 100, &p) == WX_HTTP_ERR_PROTOCOL,
             "chunked cut short");
    wx_http_parser_free(&p);
    WX_CHECK(parse(S("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n"), 0, 0, 100, &p) == WX_HTTP_ERR_PROTOCOL
             && strstr(p.error, "chunk size"), "bad chunk size: %s", p.error);
    wx_http_parser_free(&p);
    WX_CHECK(parse(S("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nokX\r\n"), 0, 0, 100, &p) == WX_HTTP_ERR_PROTOCOL,
             "chunk longer than its size");
    wx_http_parser_free(&p);
    WX_CHECK(parse(S("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nffffffffffffffffff\r\n"), 0, 0, 100, &p) != WX_HTTP_OK,
             "huge chunk size refused");
    wx_http_parser_free(&p);
    WX_CHECK(parse(S("HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip\r\n\r\n"), 0, 0, 100, &p) == WX_HTTP_ERR_PROTOCOL,
             "gzip alone refused");
    wx_http_parser_free(&p);
    WX_CHECK(parse(S("HTTP/1.1 200 OK\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\nok"), 0, 0, 100, &p) == WX_HTTP_ERR_PROTOCOL,
             "two different Content-Length");
    wx_http_parser_free(&p);
    WX_CHECK(parse(S("HTTP/1.1 200 OK\r\nContent-Length: -1\r\n\r\n"), 0, 0, 100, &p) == WX_HTTP_ERR_PROTOCOL, "negative length");
    wx_http_parser_free(&p);
    WX_CHECK(parse(S("HTTP/1.1 200 OK\r\n folded\r\n\r\n"), 0, 0, 100, &p) == WX_HTTP_ERR_PROTOCOL, "folded header");
    wx_http_parser_free(&p);

    WX_CHECK(parse(S("HTTP/1.1 200 OK\r\nContent-Length: 11\r\n\r\n"), 0, 0, 10, &p) == WX_HTTP_ERR_TOO_LARGE
             && strstr(p.error, "larger than 10 bytes"), "Content-Length over the bound: %s", p.error);
    wx_http_parser_free(&p);
    WX_CHECK(parse(S("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n6\r\n123456\r\n5\r\n"), 0, 0, 10, &p)
             == WX_HTTP_ERR_TOO_LARGE, "chunks over the bound");
    wx_http_parser_free(&p);
    WX_CHECK(parse(S("HTTP/1.1 200 OK\r\n\r\n12345678901"), 3, 0, 10, &p) == WX_HTTP_ERR_TOO_LARGE, "close-framed body over the bound");
    wx_http_parser_free(&p);
    WX_CHECK(parse(S("HTTP/1.1 200 OK\r\n\r\n1234567890"), 3, 1, 10, &p) == WX_HTTP_OK && p.body_len == 10, "exactly the bound");
    wx_http_parser_free(&p);

    big = malloc(WX_HTTP_HEADER_MAX + 100);
    memcpy(big, "HTTP/1.1 200 OK\r\n", 17);
    for (i = 17; i < WX_HTTP_HEADER_MAX + 100; i++) big[i] = (i % 100 == 99) ? '\n' : (i % 100 == 50) ? ':' : 'a';
    WX_CHECK(parse(big, WX_HTTP_HEADER_MAX + 100, 4096, 0, 100, &p) == WX_HTTP_ERR_TOO_LARGE, "headers over 64 KiB");
    wx_http_parser_free(&p);
    memset(big + 17, 'a', 9000);
    WX_CHECK(parse(big, 17 + 9000, 0, 0, 100, &p) == WX_HTTP_ERR_TOO_LARGE && strstr(p.error, "line"), "a line over 8 KiB");
    wx_http_parser_free(&p);
    free(big);
}

int main(void)
{
    check_urls();
    check_request();
    check_framing();
    check_errors();
    return wx_test_done();
}
