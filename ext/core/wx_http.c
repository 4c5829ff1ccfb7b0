/* wx_http: the bytes of one HTTP/1.1 exchange, no I/O (see wx_http.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "wx_http.h"

/* ----------------------------------------------------------------- URL */

static int wx_http_lower(int c)
{
    return c >= 'A' && c <= 'Z' ? c + 32 : c;
}

static int wx_http_ncaseeq(const char *a, const char *b, size_t n)
{
    size_t i;
    for (i = 0; i < n; i++) {
        if (wx_http_lower((unsigned char) a[i]) != wx_http_lower((unsigned char) b[i])) {
            return 0;
        }
    }
    return 1;
}

/* A byte of a host name (RFC 3986 reg-name without percent-encoding). */
static int wx_http_host_byte(unsigned char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || (c && strchr("-._~", c));
}

#define WX_HTTP_FAIL(err, ...) ((err) ? snprintf((err), WX_HTTP_ERR_MAX, __VA_ARGS__) : 0, WX_HTTP_ERR_URL)

wx_http_status_t wx_http_url_parse(const char *url, size_t len, wx_http_url_t *u, char err[WX_HTTP_ERR_MAX])
{
    const char *p, *end = url + len, *host, *host_end;
    size_t i;

    memset(u, 0, sizeof(*u));
    if (len >= 7 && wx_http_ncaseeq(url, "http://", 7)) {
        p = url + 7;
        u->port = 80;
    } else if (len >= 8 && wx_http_ncaseeq(url, "https://", 8)) {
        p = url + 8;
        u->tls = 1;
        u->port = 443;
    } else {
        return WX_HTTP_FAIL(err, "not an http:// or https:// URL");
    }
    if (memchr(url, '\0', len)) {
        return WX_HTTP_FAIL(err, "a NUL byte in the URL");
    }
    /* authority: host [":" port], up to the path */
    for (host = p; host < end && *host != '/'; host++) {
        if (*host == '@') {
            return WX_HTTP_FAIL(err, "user info (user:password@) is not supported");
        }
    }
    host = p;
    if (p < end && *p == '[') {
        host = ++p;
        while (p < end && (*p == ':' || *p == '.' || (*p > 0 && strchr("0123456789abcdefABCDEF", *p)))) {
            p++;
        }
        if (p >= end || *p != ']' || p == host) {
            return WX_HTTP_FAIL(err, "a bad IPv6 address in brackets");
        }
        host_end = p++;
        u->ipv6 = 1;
    } else {
        while (p < end && wx_http_host_byte((unsigned char) *p)) {
            p++;
        }
        host_end = p;
    }
    if (host_end == host) {
        return WX_HTTP_FAIL(err, "no host");
    }
    if ((size_t) (host_end - host) > WX_HTTP_HOST_MAX) {
        return WX_HTTP_FAIL(err, "a host longer than %d bytes", WX_HTTP_HOST_MAX);
    }
    memcpy(u->host, host, (size_t) (host_end - host));
    if (p < end && *p == ':') {
        unsigned long port = 0;
        const char *digits = ++p;
        while (p < end && *p >= '0' && *p <= '9' && p - digits < 6) {
            port = port * 10 + (unsigned long) (*p++ - '0');
        }
        if (p == digits || port == 0 || port > 65535) {
            return WX_HTTP_FAIL(err, "a port that is not 1 to 65535");
        }
        u->port = (unsigned) port;
    }
    if (p < end && *p != '/') {
        return WX_HTTP_FAIL(err, "a character that cannot follow the host (0x%02x)", (unsigned char) *p);
    }
    /* path: printable ASCII, no query or fragment, trailing slashes dropped */
    for (i = 0; p + i < end; i++) {
        unsigned char c = (unsigned char) p[i];
        if (c <= 0x20 || c >= 0x7f || c == '?' || c == '#') {
            return WX_HTTP_FAIL(err, "a byte 0x%02x in the path (a query, fragment, space or non-ASCII)", c);
        }
    }
    while (i > 0 && p[i - 1] == '/') {
        i--;
    }
    if (i > WX_HTTP_PATH_MAX) {
        return WX_HTTP_FAIL(err, "a path longer than %d bytes", WX_HTTP_PATH_MAX);
    }
    memcpy(u->path, p, i);
    return WX_HTTP_OK;
}

size_t wx_http_url_authority(const wx_http_url_t *u, int always_port, char *out, size_t cap)
{
    int n;
    if (always_port || u->port != (u->tls ? 443u : 80u)) {
        n = snprintf(out, cap, u->ipv6 ? "[%s]:%u" : "%s:%u", u->host, u->port);
    } else {
        n = snprintf(out, cap, u->ipv6 ? "[%s]" : "%s", u->host);
    }
    return n > 0 && (size_t) n < cap ? (size_t) n : 0;
}

/* ------------------------------------------------------------- request */

char *wx_http_request(const wx_http_url_t *u, const char *target, size_t target_len,
                      const char *user_agent, const char *content_type,
                      const char *body, size_t body_len, size_t *out_len)
{
    char host[WX_HTTP_HOST_MAX + 16], head[1024];
    size_t path_len = strlen(u->path), head_len, total;
    char *req;
    int n;

    wx_http_url_authority(u, 0, host, sizeof(host));
    n = snprintf(head, sizeof(head),
                 " HTTP/1.1\r\nHost: %s\r\nUser-Agent: %s\r\nContent-Type: %s\r\nAccept: application/json\r\n"
                 "Content-Length: %zu\r\nConnection: close\r\n\r\n",
                 host, user_agent, content_type, body_len);
    if (n <= 0 || (size_t) n >= sizeof(head)) {
        return NULL;
    }
    head_len = (size_t) n;
    total = 5 + path_len + target_len + head_len + body_len;
    if (!(req = malloc(total + 1))) {
        return NULL;
    }
    memcpy(req, "POST ", 5);
    memcpy(req + 5, u->path, path_len);
    memcpy(req + 5 + path_len, target, target_len);
    memcpy(req + 5 + path_len + target_len, head, head_len);
    memcpy(req + 5 + path_len + target_len + head_len, body, body_len);
    req[total] = '\0';
    *out_len = total;
    return req;
}

/* -------------------------------------------------------------- parser */

enum {
    S_STATUS = 0,   /* the status line (empty lines before it are skipped) */
    S_HEADER,       /* header lines up to the empty one */
    S_BODY_LENGTH,  /* length bytes of body */
    S_BODY_CLOSE,   /* body up to the close */
    S_CHUNK_SIZE,   /* a chunk-size line */
    S_CHUNK_DATA,   /* length bytes of a chunk */
    S_CHUNK_END,    /* the empty line after a chunk */
    S_TRAILER,      /* trailer lines up to the empty one */
    S_DONE,
    S_ERROR
};

void wx_http_parser_init(wx_http_parser_t *p, size_t max_body)
{
    memset(p, 0, sizeof(*p));
    p->max_body = max_body;
}

void wx_http_parser_free(wx_http_parser_t *p)
{
    free(p->body);
    p->body = NULL;
    p->body_len = p->body_cap = 0;
}

static wx_http_status_t wx_http_fail(wx_http_parser_t *p, wx_http_status_t code, const char *msg)
{
    snprintf(p->error, sizeof(p->error), "%s", msg);
    p->state = S_ERROR;
    return code;
}

static wx_http_status_t wx_http_too_large(wx_http_parser_t *p)
{
    snprintf(p->error, sizeof(p->error), "the answer is larger than %zu bytes", p->max_body);
    p->state = S_ERROR;
    return WX_HTTP_ERR_TOO_LARGE;
}

static wx_http_status_t wx_http_append(wx_http_parser_t *p, const char *buf, size_t n)
{
    if (n > p->max_body - p->body_len) {
        return wx_http_too_large(p);
    }
    if (p->body_len + n > p->body_cap) {
        size_t cap = p->body_cap ? p->body_cap : 4096;
        char *nb;
        while (cap < p->body_len + n) {
            cap *= 2;
        }
        if (cap > p->max_body) {
            cap = p->max_body;
        }
        if (!(nb = realloc(p->body, cap))) {
            return wx_http_fail(p, WX_HTTP_ERR_NOMEM, "out of memory");
        }
        p->body = nb;
        p->body_cap = cap;
    }
    memcpy(p->body + p->body_len, buf, n);
    p->body_len += n;
    return WX_HTTP_MORE;
}

/* Trim spaces and tabs on both sides of s[0..*len). */
static const char *wx_http_trim(const char *s, size_t *len)
{
    while (*len > 0 && (*s == ' ' || *s == '\t')) {
        s++;
        (*len)--;
    }
    while (*len > 0 && (s[*len - 1] == ' ' || s[*len - 1] == '\t')) {
        (*len)--;
    }
    return s;
}

static wx_http_status_t wx_http_status_line(wx_http_parser_t *p, const char *l, size_t n)
{
    if (n == 0) {
        return WX_HTTP_MORE;   /* tolerated before the status line */
    }
    if (n < 12 || memcmp(l, "HTTP/1.", 7) != 0 || l[7] < '0' || l[7] > '9' || l[8] != ' '
            || l[9] < '1' || l[9] > '5' || l[10] < '0' || l[10] > '9' || l[11] < '0' || l[11] > '9'
            || (n > 12 && l[12] != ' ')) {
        return wx_http_fail(p, WX_HTTP_ERR_PROTOCOL, "the answer is not HTTP/1.x (no status line)");
    }
    p->status = (l[9] - '0') * 100 + (l[10] - '0') * 10 + (l[11] - '0');
    p->state = S_HEADER;
    return WX_HTTP_MORE;
}

static wx_http_status_t wx_http_header_line(wx_http_parser_t *p, const char *l, size_t n)
{
    const char *colon, *v;
    size_t name_len, vlen;

    if (n == 0) {
        /* end of the headers: how the body is framed */
        if (p->status < 200) {
            p->state = S_STATUS;           /* an interim answer (100 Continue): the real one follows */
            p->status = 0;
            p->chunked = p->has_length = 0;
            p->length = 0;
        } else if (p->status == 204 || p->status == 304) {
            p->state = S_DONE;
        } else if (p->chunked) {
            p->state = S_CHUNK_SIZE;
        } else if (p->has_length) {
            if (p->length > p->max_body) {
                return wx_http_too_large(p);
            }
            p->state = p->length ? S_BODY_LENGTH : S_DONE;
        } else {
            p->state = S_BODY_CLOSE;
        }
        return p->state == S_DONE ? WX_HTTP_OK : WX_HTTP_MORE;
    }
    if (l[0] == ' ' || l[0] == '\t' || !(colon = memchr(l, ':', n)) || colon == l) {
        return wx_http_fail(p, WX_HTTP_ERR_PROTOCOL, "a malformed header line in the answer");
    }
    name_len = (size_t) (colon - l);
    vlen = n - name_len - 1;
    v = wx_http_trim(colon + 1, &vlen);
    if (name_len == 14 && wx_http_ncaseeq(l, "content-length", 14)) {
        unsigned long long len = 0;
        size_t i;
        if (vlen == 0 || vlen > 18) {
            return wx_http_fail(p, WX_HTTP_ERR_PROTOCOL, "a bad Content-Length in the answer");
        }
        for (i = 0; i < vlen; i++) {
            if (v[i] < '0' || v[i] > '9') {
                return wx_http_fail(p, WX_HTTP_ERR_PROTOCOL, "a bad Content-Length in the answer");
            }
            len = len * 10 + (unsigned long long) (v[i] - '0');
        }
        if (p->has_length && p->length != len) {
            return wx_http_fail(p, WX_HTTP_ERR_PROTOCOL, "two different Content-Length in the answer");
        }
        p->has_length = 1;
        p->length = len;
    } else if (name_len == 17 && wx_http_ncaseeq(l, "transfer-encoding", 17)) {
        /* the last coding must be chunked (RFC 9112 6.1); it wins over Content-Length */
        if (vlen >= 7 && wx_http_ncaseeq(v + vlen - 7, "chunked", 7)) {
            p->chunked = 1;
        } else if (!(vlen == 8 && wx_http_ncaseeq(v, "identity", 8))) {
            return wx_http_fail(p, WX_HTTP_ERR_PROTOCOL, "an unsupported Transfer-Encoding in the answer");
        }
    }
    return WX_HTTP_MORE;
}

static wx_http_status_t wx_http_chunk_size(wx_http_parser_t *p, const char *l, size_t n)
{
    unsigned long long size = 0;
    size_t i;

    for (i = 0; i < n && i < 16; i++) {
        int c = wx_http_lower((unsigned char) l[i]);
        int d = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
        if (d < 0) {
            break;
        }
        size = size * 16 + (unsigned long long) d;
    }
    /* digits, then nothing, spaces or ";extensions" */
    if (i == 0 || (i < n && l[i] != ';' && l[i] != ' ' && l[i] != '\t')) {
        return wx_http_fail(p, WX_HTTP_ERR_PROTOCOL, "a bad chunk size in the answer");
    }
    if (size == 0) {
        p->state = S_TRAILER;
        return WX_HTTP_MORE;
    }
    if (size > p->max_body - p->body_len) {
        return wx_http_too_large(p);
    }
    p->length = size;
    p->state = S_CHUNK_DATA;
    return WX_HTTP_MORE;
}

/* A complete line (without its line end) in the state that reads lines. */
static wx_http_status_t wx_http_line(wx_http_parser_t *p, const char *l, size_t n)
{
    switch (p->state) {
    case S_STATUS:
        return wx_http_status_line(p, l, n);
    case S_HEADER:
        return wx_http_header_line(p, l, n);
    case S_CHUNK_SIZE:
        return wx_http_chunk_size(p, l, n);
    case S_CHUNK_END:
        if (n != 0) {
            return wx_http_fail(p, WX_HTTP_ERR_PROTOCOL, "a chunk longer than its size in the answer");
        }
        p->state = S_CHUNK_SIZE;
        return WX_HTTP_MORE;
    default: /* S_TRAILER */
        if (n == 0) {
            p->state = S_DONE;
            return WX_HTTP_OK;
        }
        return WX_HTTP_MORE;
    }
}

wx_http_status_t wx_http_parser_feed(wx_http_parser_t *p, const char *buf, size_t n)
{
    size_t i = 0;

    while (i < n) {
        wx_http_status_t rc;
        size_t take;

        switch (p->state) {
        case S_DONE:
            return WX_HTTP_OK;        /* anything after the answer is ignored */
        case S_ERROR:
            return WX_HTTP_ERR_PROTOCOL;
        case S_BODY_CLOSE:
            return wx_http_append(p, buf + i, n - i);
        case S_BODY_LENGTH:
        case S_CHUNK_DATA:
            take = n - i < p->length ? n - i : (size_t) p->length;
            if ((rc = wx_http_append(p, buf + i, take)) != WX_HTTP_MORE) {
                return rc;
            }
            i += take;
            p->length -= take;
            if (p->length == 0) {
                p->state = p->state == S_BODY_LENGTH ? S_DONE : S_CHUNK_END;
            }
            continue;
        default:
            break;
        }
        /* a state that reads lines: one byte at a time up to '\n' */
        if (p->state == S_STATUS || p->state == S_HEADER) {
            if (++p->header_bytes > WX_HTTP_HEADER_MAX) {
                return wx_http_fail(p, WX_HTTP_ERR_TOO_LARGE, "the answer's headers are larger than 64 KiB");
            }
        }
        if (buf[i] != '\n') {
            if (p->line_len >= sizeof(p->line)) {
                return wx_http_fail(p, WX_HTTP_ERR_TOO_LARGE, "a line of the answer is longer than 8 KiB");
            }
            p->line[p->line_len++] = buf[i++];
            continue;
        }
        i++;
        take = p->line_len;
        p->line_len = 0;
        if (take > 0 && p->line[take - 1] == '\r') {
            take--;
        }
        rc = wx_http_line(p, p->line, take);
        if (rc != WX_HTTP_MORE) {
            return rc;
        }
    }
    if (p->state == S_DONE) {
        return WX_HTTP_OK;
    }
    return p->state == S_ERROR ? WX_HTTP_ERR_PROTOCOL : WX_HTTP_MORE;
}

wx_http_status_t wx_http_parser_eof(wx_http_parser_t *p)
{
    switch (p->state) {
    case S_DONE:
    case S_BODY_CLOSE:
        p->state = S_DONE;
        return WX_HTTP_OK;
    case S_ERROR:
        return WX_HTTP_ERR_PROTOCOL;
    case S_STATUS:
        if (p->line_len == 0 && p->header_bytes == 0) {
            return wx_http_fail(p, WX_HTTP_ERR_PROTOCOL, "the server closed the connection without an answer");
        }
        /* fall through */
    default:
        return wx_http_fail(p, WX_HTTP_ERR_PROTOCOL, "the connection closed before the answer was complete");
    }
}
