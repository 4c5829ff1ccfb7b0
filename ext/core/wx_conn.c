/*
 * wx_conn: one synchronous Redis connection over hiredis. See wx_conn.h.
 */
#include "wx_conn.h"

#include <hiredis/sds.h>

#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define WX_STR2(x) #x
#define WX_STR(x) WX_STR2(x)

const char *wx_conn_hiredis_version(void)
{
    return WX_STR(HIREDIS_MAJOR) "." WX_STR(HIREDIS_MINOR) "." WX_STR(HIREDIS_PATCH);
}

const char *wx_conn_status_name(wx_conn_status_t s)
{
    switch (s) {
    case WX_CONN_OK:           return "ok";
    case WX_CONN_ERR_DSN:      return "bad dsn";
    case WX_CONN_ERR_CONNECT:  return "connect failed";
    case WX_CONN_ERR_AUTH:     return "auth failed";
    case WX_CONN_ERR_SELECT:   return "select failed";
    case WX_CONN_ERR_IO:       return "i/o error";
    case WX_CONN_ERR_PROTOCOL: return "protocol error";
    case WX_CONN_ERR_REPLY:    return "error reply";
    case WX_CONN_ERR_OOM:      return "out of memory";
    }
    return "unknown";
}

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

static int wx_conn_dsn_error(char *err, size_t errlen, const char *fmt, ...)
{
    va_list ap;
    if (err && errlen) {
        va_start(ap, fmt);
        vsnprintf(err, errlen, fmt, ap);
        va_end(ap);
    }
    return WX_CONN_ERR_DSN;
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

static int wx_conn_parse_uint(const char *s, size_t n, long max, long *out)
{
    long v = 0;
    size_t i;
    if (n == 0 || n > 10) return -1;
    for (i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9') return -1;
        v = v * 10 + (s[i] - '0');
    }
    if (v > max) return -1;
    *out = v;
    return 0;
}

int wx_conn_parse_dsn(wx_conn_opts_t *o, const char *dsn, size_t dsnlen,
                      char *err, size_t errlen)
{
    const char *p, *end = dsn + dsnlen, *at, *hostend, *slash;
    size_t i;

    for (i = 0; i < dsnlen; i++) {
        if (dsn[i] == '\0' || isspace((unsigned char)dsn[i])) {
            return wx_conn_dsn_error(err, errlen,
                "DSN must not contain white space or NUL bytes");
        }
    }

    if (dsnlen >= 7 && strncmp(dsn, "unix://", 7) == 0) {
        p = dsn + 7;
        if (p >= end || *p != '/') {
            return wx_conn_dsn_error(err, errlen,
                "unix DSN needs an absolute path: unix:///path/to/redis.sock");
        }
        free(o->unix_path);
        free(o->host);
        o->host = NULL;
        o->unix_path = strndup(p, (size_t)(end - p));
        return o->unix_path ? WX_CONN_OK : WX_CONN_ERR_OOM;
    }
    if (dsnlen >= 9 && strncmp(dsn, "rediss://", 9) == 0) {
        return wx_conn_dsn_error(err, errlen,
            "rediss:// (TLS) is not supported by this build (hiredis %s without hiredis_ssl)",
            wx_conn_hiredis_version());
    }
    if (dsnlen < 8 || strncmp(dsn, "redis://", 8) != 0) {
        return wx_conn_dsn_error(err, errlen,
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
            if (!rb) return wx_conn_dsn_error(err, errlen, "unclosed '[' in DSN host");
            h = p + 1;
            he = rb;
            if (rb + 1 < hostend) {
                if (rb[1] != ':') return wx_conn_dsn_error(err, errlen, "unexpected text after ']' in DSN host");
                portp = rb + 2;
            }
        } else {
            const char *colon = memchr(p, ':', (size_t)(hostend - p));
            he = colon ? colon : hostend;
            if (colon) portp = colon + 1;
        }
        if (he == h) return wx_conn_dsn_error(err, errlen, "DSN has no host");
        for (const char *q = h; q < he; q++) {
            if (!(isalnum((unsigned char)*q) || *q == '.' || *q == '-' || *q == '_' || *q == ':')) {
                return wx_conn_dsn_error(err, errlen, "invalid character '%c' in DSN host", *q);
            }
        }
        if (portp) {
            long port;
            if (wx_conn_parse_uint(portp, (size_t)(hostend - portp), 65535, &port) != 0 || port == 0) {
                return wx_conn_dsn_error(err, errlen, "DSN port must be a number from 1 to 65535");
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
        if (wx_conn_parse_uint(slash + 1, (size_t)(end - slash - 1), INT_MAX, &db) != 0) {
            return wx_conn_dsn_error(err, errlen, "DSN database must be a number after '/'");
        }
        o->database = db;
    }
    return WX_CONN_OK;

bad_escape:
    return wx_conn_dsn_error(err, errlen, "bad %%-escape in DSN credentials");
}

char *wx_conn_opts_key(const wx_conn_opts_t *o)
{
    /* Everything that changes what the connection is or how it behaves.
     * The password is part of the identity: a pooled connection
     * authenticated as someone else must not be handed out. */
    const char *u = o->username ? o->username : "";
    const char *pw = o->password ? o->password : "";
    const char *addr = o->unix_path ? o->unix_path : (o->host ? o->host : "");
    size_t n = strlen(u) + strlen(pw) + strlen(addr) + 128;
    char *k = malloc(n);
    if (!k) return NULL;
    snprintf(k, n, "%s|%s|%d|%ld|%g|%g|%zu:%s|%zu:%s",
             o->unix_path ? "unix" : "tcp", addr, o->port, o->database,
             o->connect_timeout, o->read_timeout,
             strlen(u), u, strlen(pw), pw);
    return k;
}

/* ------------------------------------------------------------ connection */

wx_conn_t *wx_conn_new(const wx_conn_opts_t *opts, wx_conn_stats_t *stats)
{
    wx_conn_t *c = calloc(1, sizeof(*c));
    if (!c) return NULL;
    if (wx_conn_opts_copy(&c->opts, opts) != WX_CONN_OK) {
        free(c);
        return NULL;
    }
    c->stats = stats ? stats : &c->own_stats;
    return c;
}

void wx_conn_close(wx_conn_t *c)
{
    if (c->ctx) {
        /* redisFree only closes our descriptor; in a forked child that
         * leaves the parent's socket untouched. */
        redisFree(c->ctx);
        c->ctx = NULL;
    }
}

void wx_conn_free(wx_conn_t *c)
{
    if (!c) return;
    wx_conn_close(c);
    wx_conn_opts_clear(&c->opts);
    free(c);
}

static int wx_conn_fail(wx_conn_t *c, wx_conn_status_t st, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(c->errstr, sizeof(c->errstr), fmt, ap);
    va_end(ap);
    c->err = st;
    if (st != WX_CONN_ERR_REPLY) c->stats->errors++;
    return st;
}

static const char *wx_conn_where(const wx_conn_t *c, char *buf, size_t len)
{
    if (c->opts.unix_path) {
        snprintf(buf, len, "unix:%s", c->opts.unix_path);
    } else if (c->opts.host && strchr(c->opts.host, ':')) {
        snprintf(buf, len, "[%s]:%d", c->opts.host, c->opts.port);
    } else {
        snprintf(buf, len, "%s:%d", c->opts.host ? c->opts.host : "?", c->opts.port);
    }
    return buf;
}

static struct timeval wx_conn_tv(double secs)
{
    struct timeval tv;
    if (secs <= 0) secs = 0.001;
    tv.tv_sec = (time_t)secs;
    tv.tv_usec = (suseconds_t)((secs - (double)tv.tv_sec) * 1e6);
    return tv;
}

/* Turn a hiredis context error into our status and message. */
static int wx_conn_ctx_fail(wx_conn_t *c, const char *doing)
{
    char where[300];
    int hierr = c->ctx ? c->ctx->err : REDIS_ERR_OTHER;
    const char *msg = c->ctx ? c->ctx->errstr : "no context";
    wx_conn_status_t st = WX_CONN_ERR_IO;

    if (hierr == REDIS_ERR_PROTOCOL) st = WX_CONN_ERR_PROTOCOL;
    else if (hierr == REDIS_ERR_OOM) st = WX_CONN_ERR_OOM;

    wx_conn_where(c, where, sizeof(where));
    if (hierr == REDIS_ERR_IO && (strstr(msg, "temporarily unavailable") || strstr(msg, "timed out"))) {
        wx_conn_fail(c, st, "Redis at %s did not answer within read_timeout %gs while %s",
                     where, c->opts.read_timeout, doing);
    } else if (hierr == REDIS_ERR_EOF || (hierr == REDIS_ERR_IO && strstr(msg, "reset"))) {
        wx_conn_fail(c, st, "Redis at %s closed the connection while %s", where, doing);
    } else {
        wx_conn_fail(c, st, "Redis at %s: %s while %s", where, msg, doing);
    }
    wx_conn_close(c);
    return st;
}

/* Run one handshake command; error replies become `st`. */
static int wx_conn_handshake_cmd(wx_conn_t *c, wx_conn_status_t st, int argc,
                                 const char **argv, const size_t *lens, const char *what)
{
    redisReply *r = redisCommandArgv(c->ctx, argc, argv, lens);
    char where[300];
    if (!r) return wx_conn_ctx_fail(c, what);
    c->stats->round_trips++;
    c->stats->commands++;
    if (r->type == REDIS_REPLY_ERROR) {
        wx_conn_fail(c, st, "Redis at %s refused %s: %.*s", wx_conn_where(c, where, sizeof(where)),
                     what, (int)r->len, r->str);
        freeReplyObject(r);
        wx_conn_close(c);
        return st;
    }
    freeReplyObject(r);
    return WX_CONN_OK;
}

static int wx_conn_connect(wx_conn_t *c)
{
    struct timeval ctv = wx_conn_tv(c->opts.connect_timeout);
    struct timeval rtv = wx_conn_tv(c->opts.read_timeout);
    char where[300];

    wx_conn_close(c);
    if (c->opts.unix_path) {
        c->ctx = redisConnectUnixWithTimeout(c->opts.unix_path, ctv);
    } else {
        c->ctx = redisConnectWithTimeout(c->opts.host, c->opts.port, ctv);
    }
    if (!c->ctx) {
        return wx_conn_fail(c, WX_CONN_ERR_OOM, "out of memory creating a Redis context");
    }
    if (c->ctx->err) {
        wx_conn_fail(c, WX_CONN_ERR_CONNECT, "cannot connect to Redis at %s: %s",
                     wx_conn_where(c, where, sizeof(where)), c->ctx->errstr);
        wx_conn_close(c);
        return WX_CONN_ERR_CONNECT;
    }
    if (redisSetTimeout(c->ctx, rtv) != REDIS_OK) {
        return wx_conn_ctx_fail(c, "setting the read timeout");
    }
    if (!c->opts.unix_path) {
        redisEnableKeepAlive(c->ctx);
    }
    if (c->opts.password) {
        const char *argv[3];
        size_t lens[3];
        int argc = 0;
        argv[argc] = "AUTH"; lens[argc++] = 4;
        if (c->opts.username) {
            argv[argc] = c->opts.username; lens[argc++] = strlen(c->opts.username);
        }
        argv[argc] = c->opts.password; lens[argc++] = strlen(c->opts.password);
        if (wx_conn_handshake_cmd(c, WX_CONN_ERR_AUTH, argc, argv, lens, "AUTH") != WX_CONN_OK) {
            return c->err;
        }
    }
    if (c->opts.database > 0) {
        char db[24];
        const char *argv[2] = { "SELECT", db };
        size_t lens[2];
        lens[0] = 6;
        lens[1] = (size_t)snprintf(db, sizeof(db), "%ld", c->opts.database);
        if (wx_conn_handshake_cmd(c, WX_CONN_ERR_SELECT, 2, argv, lens, "SELECT") != WX_CONN_OK) {
            return c->err;
        }
    }
    c->pid = getpid();
    if (c->ever_connected) c->stats->reconnects++;
    c->ever_connected = 1;
    c->stats->connects++;
    c->err = WX_CONN_OK;
    c->errstr[0] = '\0';
    return WX_CONN_OK;
}

/* Is the open context still fit for a new exchange? */
static int wx_conn_is_idle_and_alive(wx_conn_t *c)
{
    struct pollfd pfd;
    redisContext *ctx = c->ctx;

    if (!ctx || ctx->err) return 0;
    if (c->pid != getpid()) return 0;           /* forked: the socket is the parent's */
    if (ctx->obuf && sdslen(ctx->obuf) > 0) return 0;
    if (ctx->reader && ctx->reader->len > ctx->reader->pos) return 0;

    /* Nothing is owed to us, so anything readable is either EOF (server
     * restarted, idle timeout) or a stray reply: both mean start again. */
    pfd.fd = ctx->fd;
    pfd.events = POLLIN;
    pfd.revents = 0;
    if (poll(&pfd, 1, 0) != 0) return 0;
    return 1;
}

int wx_conn_ensure(wx_conn_t *c)
{
    if (c->ctx && wx_conn_is_idle_and_alive(c)) return WX_CONN_OK;
    if (c->ctx && c->pid != getpid()) {
        /* Never read or write the parent's socket from a child. */
        wx_conn_close(c);
    }
    return wx_conn_connect(c);
}

static size_t wx_conn_digits(size_t v)
{
    size_t d = 1;
    while (v >= 10) { v /= 10; d++; }
    return d;
}

/* Bytes of RESP needed for cmds: *argc CRLF then $len CRLF arg CRLF. */
static size_t wx_conn_resp_len(const wx_conn_cmd_t *cmds, size_t n)
{
    size_t i, total = 0;
    int a;
    for (i = 0; i < n; i++) {
        total += 1 + wx_conn_digits((size_t) cmds[i].argc) + 2;
        for (a = 0; a < cmds[i].argc; a++) {
            total += 1 + wx_conn_digits(cmds[i].argvlen[a]) + 2 + cmds[i].argvlen[a] + 2;
        }
    }
    return total;
}

static char *wx_conn_resp_uint(char *p, char lead, size_t v)
{
    char tmp[24];
    size_t k = 0;
    *p++ = lead;
    do { tmp[k++] = (char) ('0' + v % 10); v /= 10; } while (v);
    while (k) *p++ = tmp[--k];
    *p++ = '\r';
    *p++ = '\n';
    return p;
}

static void wx_conn_resp_write(char *p, const wx_conn_cmd_t *cmds, size_t n)
{
    size_t i;
    int a;
    for (i = 0; i < n; i++) {
        p = wx_conn_resp_uint(p, '*', (size_t) cmds[i].argc);
        for (a = 0; a < cmds[i].argc; a++) {
            p = wx_conn_resp_uint(p, '$', cmds[i].argvlen[a]);
            memcpy(p, cmds[i].argv[a], cmds[i].argvlen[a]);
            p += cmds[i].argvlen[a];
            *p++ = '\r';
            *p++ = '\n';
        }
    }
}

int wx_conn_pipeline(wx_conn_t *c, const wx_conn_cmd_t *cmds, size_t n,
                     redisReply **replies)
{
    size_t i, got = 0;
    int st;

    if (n == 0) return WX_CONN_OK;
    if ((st = wx_conn_ensure(c)) != WX_CONN_OK) return st;

    {
        /* The whole batch as one RESP buffer, formatted in one pass and
         * handed to hiredis once: per-command redisAppendCommandArgv costs
         * several allocations each (measured: ~4k instructions per SET). */
        size_t len = wx_conn_resp_len(cmds, n);
        char *buf = malloc(len);
        if (!buf) {
            return wx_conn_fail(c, WX_CONN_ERR_OOM, "out of memory formatting %zu commands", n);
        }
        wx_conn_resp_write(buf, cmds, n);
        if (redisAppendFormattedCommand(c->ctx, buf, len) != REDIS_OK) {
            free(buf);
            return wx_conn_ctx_fail(c, "queueing a command");
        }
        free(buf);
    }
    for (got = 0; got < n; got++) {
        void *r = NULL;
        if (redisGetReply(c->ctx, &r) != REDIS_OK || r == NULL) {
            for (i = 0; i < got; i++) freeReplyObject(replies[i]);
            return wx_conn_ctx_fail(c, n > 1 ? "sending a pipeline" : "sending a command");
        }
        replies[got] = r;
    }
    c->stats->round_trips++;
    c->stats->commands += n;
    return WX_CONN_OK;
}

int wx_conn_command(wx_conn_t *c, int argc, const char **argv,
                    const size_t *argvlen, redisReply **reply)
{
    wx_conn_cmd_t cmd;
    redisReply *r;
    int st;

    cmd.argc = argc;
    cmd.argv = argv;
    cmd.argvlen = argvlen;
    *reply = NULL;
    if ((st = wx_conn_pipeline(c, &cmd, 1, &r)) != WX_CONN_OK) return st;
    if (r->type == REDIS_REPLY_ERROR) {
        wx_conn_fail(c, WX_CONN_ERR_REPLY, "%.*s", (int)r->len, r->str);
        freeReplyObject(r);
        return WX_CONN_ERR_REPLY;
    }
    *reply = r;
    return WX_CONN_OK;
}
