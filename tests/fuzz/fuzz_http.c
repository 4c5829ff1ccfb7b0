/* libFuzzer: HTTP answers as a server (or anything on the way) may send
 * them, fed in pieces of the size the first byte says, then the close;
 * and the same bytes as a base URL. */
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include "wx_http.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    wx_http_parser_t *p;
    wx_http_url_t u;
    char err[WX_HTTP_ERR_MAX];
    wx_http_status_t rc = WX_HTTP_MORE;
    size_t step, i;
    static wx_http_parser_t parser;

    if (size < 1) return 0;
    step = (size_t) data[0] % 17 + 1;
    p = &parser;
    wx_http_parser_init(p, 1000);
    for (i = 1; i < size && rc == WX_HTTP_MORE; i += step) {
        rc = wx_http_parser_feed(p, (const char *) data + i, size - i < step ? size - i : step);
    }
    if (rc == WX_HTTP_MORE) rc = wx_http_parser_eof(p);
    if (p->body_len > 1000) __builtin_trap();
    if (rc == WX_HTTP_OK && (p->status < 200 || p->status > 599)) __builtin_trap();
    if (rc != WX_HTTP_OK && rc != WX_HTTP_MORE && p->error[0] == '\0') __builtin_trap();
    wx_http_parser_free(p);

    if (wx_http_url_parse((const char *) data + 1, size - 1, &u, err) == WX_HTTP_OK) {
        char auth[WX_HTTP_HOST_MAX + 16];
        if (u.host[0] == '\0' || u.port == 0 || u.port > 65535) __builtin_trap();
        if (wx_http_url_authority(&u, 1, auth, sizeof(auth)) == 0) __builtin_trap();
        if (strchr(u.path, '?') || strchr(u.path, '#')) __builtin_trap();
    }
    return 0;
}
