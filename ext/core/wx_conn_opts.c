/*
 * wx_conn_opts: where and how to connect: options, the redis:// and
 * unix:// DSN parser, and the pool key. See wx_conn.h.
 */
#include "wx_conn.h"
#include "wx_text.h"

#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <poll.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>


#define WX_STR2(x) #x
#define WX_STR(x) WX_STR2(x)

/* ------------------------------------------------------------------ opts */

void wx_conn_opts_init(wx_conn_opts_t *o)
{
    memset(o, 0, sizeof(*o));
    o->port = 6379;
    o->connect_timeout = 1.0;
    o->read_timeout = 1.0;
}

void wx_conn_opts_clear(wx_conn_opts_t *o)
{
    free(o->host);
    free(o->unix_path);
    free(o->username);
    free(o->password);
    wx_conn_opts_init(o);
}

static char *wx_conn_strdup(const char *s)
{
    return s ? strdup(s) : NULL;
}

int wx_conn_opts_copy(wx_conn_opts_t *dst, const wx_conn_opts_t *src)
{
    *dst = *src;
    dst->host = wx_conn_strdup(src->host);
    dst->unix_path = wx_conn_strdup(src->unix_path);
    dst->username = wx_conn_strdup(src->username);
    dst->password = wx_conn_strdup(src->password);
    if ((src->host && !dst->host) || (src->unix_path && !dst->unix_path) ||
        (src->username && !dst->username) || (src->password && !dst->password)) {
        wx_conn_opts_clear(dst);
        return WX_CONN_ERR_OOM;
    }
    return WX_CONN_OK;
}

static int wx_conn_hexval(int ch)
{
    if (ch >= '0' && ch <= '9') return ch - '0';
    if (ch >= 'a' && ch <= 'f') return ch - 'a' + 10;
    if (ch >= 'A' && ch <= 'F') return ch - 'A' + 10;
    return -1;
}

/* Copy s[0..n) decoding %XX escapes; NULL on a bad escape or an embedded
 * NUL (a C string cannot carry it to AUTH). */
static char *wx_conn_pct_decode(const char *s, size_t n)
{
    char *out = malloc(n + 1), *w = out;
    size_t i;
    if (!out) return NULL;
    for (i = 0; i < n; i++) {
        if (s[i] == '%') {
            int hi, lo;
            if (i + 2 >= n) { free(out); return NULL; }
            hi = wx_conn_hexval((unsigned char)s[i + 1]);
            lo = wx_conn_hexval((unsigned char)s[i + 2]);
            if (hi < 0 || lo < 0 || (hi == 0 && lo == 0)) { free(out); return NULL; }
            *w++ = (char)(hi * 16 + lo);
            i += 2;
        } else {
            *w++ = s[i];
        }
    }
    *w = '\0';
    return out;
}

int wx_conn_parse_dsn(wx_conn_opts_t *o, const char *dsn, size_t dsnlen,
                      char *err, size_t errlen)
{
    const char *p, *end = dsn + dsnlen, *at, *hostend, *slash;
    size_t i;

    for (i = 0; i < dsnlen; i++) {
        if (dsn[i] == '\0' || isspace((unsigned char)dsn[i])) {
            return wx_text_fail(err, errlen, WX_CONN_ERR_DSN,
                "DSN must not contain white space or NUL bytes");
        }
    }

    if (dsnlen >= 7 && strncmp(dsn, "unix://", 7) == 0) {
        p = dsn + 7;
        if (p >= end || *p != '/') {
            return wx_text_fail(err, errlen, WX_CONN_ERR_DSN,
                "unix DSN needs an absolute path: unix:///path/to/redis.sock");
        }
        free(o->unix_path);
        free(o->host);
        o->host = NULL;
        o->unix_path = strndup(p, (size_t)(end - p));
        return o->unix_path ? WX_CONN_OK : WX_CONN_ERR_OOM;
    }
    if (dsnlen >= 9 && strncmp(dsn, "rediss://", 9) == 0) {
        return wx_text_fail(err, errlen, WX_CONN_ERR_DSN,
            "rediss:// (TLS) is not supported by this build (hiredis %s without hiredis_ssl)",
            wx_conn_hiredis_version());
    }
    if (dsnlen < 8 || strncmp(dsn, "redis://", 8) != 0) {
        return wx_text_fail(err, errlen, WX_CONN_ERR_DSN,
            "DSN must start with redis:// or unix://");
    }
    p = dsn + 8;

    /* credentials: [[user]:password@] ; the last '@' ends them, so a
     * password may contain '@' unescaped */
    at = NULL;
    for (const char *q = p; q < end && *q != '/'; q++) {
        if (*q == '@') at = q;
    }
    if (at) {
        const char *colon = memchr(p, ':', (size_t)(at - p));
        free(o->username);
        free(o->password);
        o->username = o->password = NULL;
        if (colon) {
            if (colon > p) {
                o->username = wx_conn_pct_decode(p, (size_t)(colon - p));
                if (!o->username) goto bad_escape;
            }
            o->password = wx_conn_pct_decode(colon + 1, (size_t)(at - colon - 1));
            if (!o->password) goto bad_escape;
        } else if (at > p) {
            /* redis://secret@host: a bare password, as redis-cli -u reads it */
            o->password = wx_conn_pct_decode(p, (size_t)(at - p));
            if (!o->password) goto bad_escape;
        }
        p = at + 1;
    }

    /* host: name, IPv4 or [IPv6] */
    slash = memchr(p, '/', (size_t)(end - p));
    hostend = slash ? slash : end;
    {
        const char *h = p, *he, *portp = NULL;
        if (p < hostend && *p == '[') {
            const char *rb = memchr(p, ']', (size_t)(hostend - p));
            if (!rb) return wx_text_fail(err, errlen, WX_CONN_ERR_DSN, "unclosed '[' in DSN host");
            h = p + 1;
            he = rb;
            if (rb + 1 < hostend) {
                if (rb[1] != ':') return wx_text_fail(err, errlen, WX_CONN_ERR_DSN, "unexpected text after ']' in DSN host");
                portp = rb + 2;
            }
        } else {
            const char *colon = memchr(p, ':', (size_t)(hostend - p));
            he = colon ? colon : hostend;
            if (colon) portp = colon + 1;
        }
        if (he == h) return wx_text_fail(err, errlen, WX_CONN_ERR_DSN, "DSN has no host");
        for (const char *q = h; q < he; q++) {
            if (!(isalnum((unsigned char)*q) || *q == '.' || *q == '-' || *q == '_' || *q == ':')) {
                return wx_text_fail(err, errlen, WX_CONN_ERR_DSN, "invalid character '%c' in DSN host", *q);
            }
        }
        if (portp) {
            long port;
            if (wx_text_parse_uint(portp, (size_t)(hostend - portp), 65535, &port) != 0 || port == 0) {
                return wx_text_fail(err, errlen, WX_CONN_ERR_DSN, "DSN port must be a number from 1 to 65535");
            }
            o->port = (int)port;
        }
        free(o->host);
        free(o->unix_path);
        o->unix_path = NULL;
        o->host = strndup(h, (size_t)(he - h));
        if (!o->host) return WX_CONN_ERR_OOM;
    }

    if (slash && slash + 1 < end) {
        long db;
        if (wx_text_parse_uint(slash + 1, (size_t)(end - slash - 1), INT_MAX, &db) != 0) {
            return wx_text_fail(err, errlen, WX_CONN_ERR_DSN, "DSN database must be a number after '/'");
        }
        o->database = db;
    }
    return WX_CONN_OK;

bad_escape:
    return wx_text_fail(err, errlen, WX_CONN_ERR_DSN, "bad %%-escape in DSN credentials");
}


/* ------------------------------------------------------------- pool key */

static char *wx_conn_key_str(char *p, char *end, const char *s, size_t n)
{
    if (p < end) memcpy(p, s, (size_t) (end - p) < n ? (size_t) (end - p) : n);
    return p + n;
}

/* Decimal of v then sep; writes what fits, returns where it would end. */
static char *wx_conn_key_num(char *p, char *end, unsigned long long v, char sep)
{
    char tmp[24];
    size_t k = 0;
    do { tmp[k++] = (char) ('0' + v % 10); v /= 10; } while (v);
    while (k) {
        if (p < end) *p = tmp[k - 1];
        p++;
        k--;
    }
    if (p < end) *p = sep;
    return p + 1;
}

/* Seconds as whole microseconds: what a connection does with a timeout is
 * decided at that grain at most, and it needs no printf. */
static unsigned long long wx_conn_key_usec(double secs)
{
    if (!(secs > 0)) return 0;
    if (secs > 1e12) return (unsigned long long) 1e18;
    return (unsigned long long) (secs * 1e6 + 0.5);
}

size_t wx_conn_opts_key_into(const wx_conn_opts_t *o, char *buf, size_t cap)
{
    /* Everything that changes what the connection is or how it behaves.
     * The password is part of the identity: a pooled connection
     * authenticated as someone else must not be handed out. Strings are
     * length-prefixed, so no separator inside them can fake another key. */
    const char *u = o->username ? o->username : "";
    const char *pw = o->password ? o->password : "";
    const char *addr = o->unix_path ? o->unix_path : (o->host ? o->host : "");
    size_t ul = strlen(u), pl = strlen(pw), al = strlen(addr);
    char *p = buf, *end = cap ? buf + cap - 1 : buf;   /* room for the NUL */

    p = wx_conn_key_str(p, end, o->unix_path ? "unix|" : "tcp|", o->unix_path ? 5 : 4);
    p = wx_conn_key_num(p, end, al, ':');
    p = wx_conn_key_str(p, end, addr, al);
    p = wx_conn_key_str(p, end, "|", 1);
    p = wx_conn_key_num(p, end, (unsigned long long) (o->port > 0 ? o->port : 0), '|');
    p = wx_conn_key_num(p, end, (unsigned long long) (o->database > 0 ? o->database : 0), '|');
    p = wx_conn_key_num(p, end, wx_conn_key_usec(o->connect_timeout), '|');
    p = wx_conn_key_num(p, end, wx_conn_key_usec(o->read_timeout), '|');
    p = wx_conn_key_num(p, end, o->max_reply_bytes ? o->max_reply_bytes : WX_RESP_DEFAULT_MAX_BYTES, '|');
    p = wx_conn_key_num(p, end, ul, ':');
    p = wx_conn_key_str(p, end, u, ul);
    p = wx_conn_key_str(p, end, "|", 1);
    p = wx_conn_key_num(p, end, pl, ':');
    p = wx_conn_key_str(p, end, pw, pl);
    if (cap) *(p < end ? p : end) = '\0';
    return (size_t) (p - buf);
}

char *wx_conn_opts_key(const wx_conn_opts_t *o)
{
    char stackbuf[256], *k;
    size_t n = wx_conn_opts_key_into(o, stackbuf, sizeof(stackbuf));
    k = malloc(n + 1);
    if (!k) return NULL;
    if (n < sizeof(stackbuf)) {
        memcpy(k, stackbuf, n + 1);
    } else {
        wx_conn_opts_key_into(o, k, n + 1);
    }
    return k;
}
