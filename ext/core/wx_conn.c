/*
 * wx_conn: one synchronous Redis connection. See wx_conn.h.
 */
#include "wx_conn.h"

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

/* ------------------------------------------------------------ fork check */

/* getpid() is a system call on every glibc since 2.25; a counter bumped in
 * every forked child costs nothing to compare. pthread_atfork from a shared
 * object is unregistered by glibc when the object is unloaded. If it cannot
 * be registered we compare getpid() as before. */
static volatile unsigned long wx_conn_fork_gen;
static int wx_conn_atfork_ok;
static pthread_once_t wx_conn_atfork_once = PTHREAD_ONCE_INIT;

static void wx_conn_atfork_child(void)
{
    wx_conn_fork_gen++;
}

static void wx_conn_atfork_register(void)
{
    wx_conn_atfork_ok = pthread_atfork(NULL, NULL, wx_conn_atfork_child) == 0;
}

unsigned long wx_conn_fork_generation(void)
{
    return wx_conn_fork_gen;
}

static int wx_conn_is_forked(const wx_conn_t *c)
{
    if (c->fork_gen != wx_conn_fork_gen) return 1;
    return !wx_conn_atfork_ok && c->pid != getpid();
}

/* ------------------------------------------------------------ connection */

#define WX_CONN_RBUF_MIN   16384
#define WX_CONN_BUF_KEEP   (256 * 1024)   /* buffers larger than this are freed after a call */
#define WX_CONN_TREE_CHUNK 4096           /* element slots allocated before elements arrive */

wx_conn_t *wx_conn_new(const wx_conn_opts_t *opts, wx_conn_stats_t *stats)
{
    wx_conn_t *c;
    pthread_once(&wx_conn_atfork_once, wx_conn_atfork_register);
    c = calloc(1, sizeof(*c));
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
    c->rpos = c->rlen = 0;
}

void wx_conn_free(wx_conn_t *c)
{
    if (!c) return;
    wx_conn_close(c);
    wx_conn_opts_clear(&c->opts);
    free(c->rbuf);
    free(c->wbuf);
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

static int64_t wx_conn_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t) ts.tv_sec * 1000000000 + ts.tv_nsec;
}

static int64_t wx_conn_rt_ns(const wx_conn_t *c)
{
    double rt = c->opts.read_timeout > 0 ? c->opts.read_timeout : 0.001;
    if (rt > 1e6) rt = 1e6;
    return (int64_t) (rt * 1e9);
}

/* Wait for ev on the socket until deadline: 1 ready, 0 deadline passed,
 * -1 poll failed (errno set). */
static int wx_conn_wait(wx_conn_t *c, short ev, int64_t deadline)
{
    struct pollfd pfd;
    for (;;) {
        int64_t left = deadline - wx_conn_now();
        int rc;
        if (left <= 0) return 0;
        pfd.fd = c->ctx->fd;
        pfd.events = ev;
        pfd.revents = 0;
        /* round up: a poll that wakes a little early only costs a loop */
        rc = poll(&pfd, 1, (int) ((left + 999999) / 1000000));
        if (rc > 0) return 1;
        if (rc < 0 && errno != EINTR) return -1;
    }
}

/* ----------------------------------------------------- one exchange */

/* What one call is doing; the reader's visitor sees it. */
typedef struct {
    wx_conn_t           *c;
    const wx_conn_cmd_t *cmds;
    size_t               n;
    size_t               k;          /* reply being read */
    int                  strict;     /* check cmds[k].expect */
    redisReply         **replies;    /* build trees here, or NULL */
    redisReply          *stack[WX_RESP_MAX_DEPTH];
    size_t               cap[WX_RESP_MAX_DEPTH];
    size_t               count[WX_RESP_MAX_DEPTH];
    wx_conn_visit_fn     fn;
    void                *ud;
    int                  fn_done;
    int                  st;         /* why the visitor stopped the reader */
    const char          *doing;
} wx_conn_x_t;

/* An exchange of n commands on c, replies into `replies` (NULL: to a
 * visitor, set by the caller) checked strictly or not; `doing` names it in
 * messages. */
static void wx_conn_x_begin(wx_conn_x_t *x, wx_conn_t *c, const wx_conn_cmd_t *cmds, size_t n, int strict,
                            redisReply **replies, const char *doing)
{
    memset(x, 0, sizeof(*x));
    x->c = c;
    x->cmds = cmds;
    x->n = n;
    x->strict = strict;
    x->replies = replies;
    x->st = WX_CONN_OK;
    x->doing = doing;
}

/* argv[0] fit for a message: at most 32 printable bytes. */
static const char *wx_conn_cmd_name(const wx_conn_cmd_t *cmd, char *buf, size_t cap)
{
    size_t i, n = cmd->argc > 0 ? cmd->argvlen[0] : 0;
    if (n > cap - 1) n = cap - 1;
    for (i = 0; i < n; i++) {
        unsigned char ch = (unsigned char) cmd->argv[0][i];
        buf[i] = (ch >= 0x21 && ch < 0x7f) ? (char) ch : '?';
    }
    buf[n] = '\0';
    return buf;
}

static const char *wx_conn_describe(const wx_resp_elem_t *e, char *buf, size_t cap)
{
    char txt[48];
    size_t i, n;
    switch (e->type) {
    case WX_RESP_STATUS:
    case WX_RESP_ERROR:
        n = e->len < sizeof(txt) - 4 ? e->len : sizeof(txt) - 4;
        for (i = 0; i < n; i++) {
            unsigned char ch = (unsigned char) e->str[i];
            txt[i] = (ch >= 0x20 && ch < 0x7f) ? (char) ch : '?';
        }
        if (n < e->len) { memcpy(txt + n, "...", 3); n += 3; }
        txt[n] = '\0';
        snprintf(buf, cap, "%s %c%s", wx_resp_type_name(e->type),
                 e->type == WX_RESP_STATUS ? '+' : '-', txt);
        break;
    case WX_RESP_INTEGER:
        snprintf(buf, cap, "an integer :%lld", e->integer);
        break;
    case WX_RESP_BULK:
        snprintf(buf, cap, "a bulk string of %zu byte%s", e->len, e->len == 1 ? "" : "s");
        break;
    case WX_RESP_ARRAY:
        snprintf(buf, cap, "an array of %lld element%s", e->integer, e->integer == 1 ? "" : "s");
        break;
    default:
        snprintf(buf, cap, "%s", wx_resp_type_name(e->type));
        break;
    }
    return buf;
}

static int wx_conn_is_ok(const wx_resp_elem_t *e)
{
    return e->type == WX_RESP_STATUS && e->len == 2 && e->str[0] == 'O' && e->str[1] == 'K';
}

static int wx_conn_is_cursor(const wx_resp_elem_t *e)
{
    size_t i;
    if (e->type != WX_RESP_BULK || e->len == 0 || e->len > 20) return 0;
    for (i = 0; i < e->len; i++) {
        if (e->str[i] < '0' || e->str[i] > '9') return 0;
    }
    return 1;
}

/* Does e fit what cmd expects? On a mismatch, what was expected. */
static int wx_conn_fits(const wx_conn_cmd_t *cmd, const wx_resp_elem_t *e,
                        char *expected, size_t cap)
{
    wx_resp_type_t t = e->type;
    const char *want = NULL;
    int ok = 0;

    if (e->depth == 0) {
        if (t == WX_RESP_ERROR) return 1;
        switch (cmd->expect) {
        case WX_EXPECT_ANY:         return 1;
        case WX_EXPECT_OK:          ok = wx_conn_is_ok(e); want = "+OK"; break;
        case WX_EXPECT_OK_OR_NIL:   ok = wx_conn_is_ok(e) || t == WX_RESP_NIL; want = "+OK or nil"; break;
        case WX_EXPECT_STATUS:      ok = t == WX_RESP_STATUS; want = "a status reply"; break;
        case WX_EXPECT_INTEGER:     ok = t == WX_RESP_INTEGER; want = "an integer"; break;
        case WX_EXPECT_BULK:        ok = t == WX_RESP_BULK; want = "a bulk string"; break;
        case WX_EXPECT_BULK_OR_NIL: ok = t == WX_RESP_BULK || t == WX_RESP_NIL; want = "a bulk string or nil"; break;
        case WX_EXPECT_ARRAY:
        case WX_EXPECT_BULKS:
            ok = t == WX_RESP_ARRAY && (cmd->expect_n == 0 || (unsigned long long) e->integer == cmd->expect_n);
            if (ok) return 1;
            if (cmd->expect_n) {
                snprintf(expected, cap, "an array of %zu %s", cmd->expect_n,
                         cmd->expect == WX_EXPECT_BULKS ? "bulk strings or nils" : "elements");
            } else {
                snprintf(expected, cap, "%s", cmd->expect == WX_EXPECT_BULKS
                         ? "an array of bulk strings or nils" : "an array");
            }
            return ok;
        case WX_EXPECT_SCAN:
            ok = t == WX_RESP_ARRAY && e->integer == 2;
            want = "a SCAN reply [cursor, keys]";
            break;
        default:
            want = "a known expectation (caller passed an invalid one)";
            break;
        }
    } else {
        switch (cmd->expect) {
        case WX_EXPECT_ANY:
        case WX_EXPECT_ARRAY:
            return 1;
        case WX_EXPECT_BULKS:
            ok = e->depth == 1 && (t == WX_RESP_BULK || t == WX_RESP_NIL);
            want = "a bulk string or nil";
            break;
        case WX_EXPECT_SCAN:
            if (e->depth == 1 && e->index == 0) {
                ok = wx_conn_is_cursor(e);
                want = "a decimal cursor";
            } else if (e->depth == 1) {
                ok = t == WX_RESP_ARRAY;
                want = "an array of keys";
            } else {
                ok = e->depth == 2 && t == WX_RESP_BULK;
                want = "a bulk string (a key)";
            }
            break;
        default:
            want = "nothing (a scalar has no elements)";
            break;
        }
    }
    /* formatted only for a mismatch: this runs for every element */
    if (!ok) snprintf(expected, cap, "%s", want ? want : "?");
    return ok;
}

static int wx_conn_mismatch(wx_conn_x_t *x, const wx_resp_elem_t *e, const char *expected)
{
    char where[300], name[40], got[96];
    wx_conn_where(x->c, where, sizeof(where));
    wx_conn_cmd_name(&x->cmds[x->k], name, sizeof(name));
    wx_conn_describe(e, got, sizeof(got));
    if (e->depth == 0) {
        wx_conn_fail(x->c, WX_CONN_ERR_PROTOCOL,
            "Redis at %s answered %s with %s where %s was expected; "
            "dropped the connection (its replies are out of step)", where, name, got, expected);
    } else {
        wx_conn_fail(x->c, WX_CONN_ERR_PROTOCOL,
            "Redis at %s answered %s with %s at depth %u, element %zu, where %s was expected; "
            "dropped the connection (its replies are out of step)",
            where, name, got, e->depth, e->index, expected);
    }
    x->st = WX_CONN_ERR_PROTOCOL;
    return 1;
}

static int wx_conn_oom(wx_conn_x_t *x)
{
    wx_conn_fail(x->c, WX_CONN_ERR_OOM, "out of memory reading a Redis reply");
    x->st = WX_CONN_ERR_OOM;
    return 1;
}

/* Build e into the reply tree of x->replies[x->k], the way hiredis would
 * (same types, NUL-terminated strings, nil for $-1 and *-1), so that
 * freeReplyObject frees it. Element vectors grow as elements arrive, so a
 * large count costs nothing until its elements are here. */
static int wx_conn_build(wx_conn_x_t *x, const wx_resp_elem_t *e)
{
    redisReply *r = calloc(1, sizeof(*r));
    size_t cap = 0;

    if (!r) return wx_conn_oom(x);
    switch (e->type) {
    case WX_RESP_STATUS:
    case WX_RESP_ERROR:
    case WX_RESP_BULK:
        r->type = e->type == WX_RESP_STATUS ? REDIS_REPLY_STATUS
                : e->type == WX_RESP_ERROR ? REDIS_REPLY_ERROR : REDIS_REPLY_STRING;
        r->str = malloc(e->len + 1);
        if (!r->str) { free(r); return wx_conn_oom(x); }
        if (e->len) memcpy(r->str, e->str, e->len);
        r->str[e->len] = '\0';
        r->len = e->len;
        break;
    case WX_RESP_INTEGER:
        r->type = REDIS_REPLY_INTEGER;
        r->integer = e->integer;
        break;
    case WX_RESP_ARRAY:
        r->type = REDIS_REPLY_ARRAY;
        if (e->integer > 0) {
            cap = e->integer < WX_CONN_TREE_CHUNK ? (size_t) e->integer : WX_CONN_TREE_CHUNK;
            r->element = malloc(cap * sizeof(*r->element));
            if (!r->element) { free(r); return wx_conn_oom(x); }
        }
        break;
    default:
        r->type = REDIS_REPLY_NIL;
        break;
    }

    if (e->depth == 0) {
        x->replies[x->k] = r;
    } else {
        unsigned d = e->depth - 1;
        redisReply *p = x->stack[d];
        if (e->index >= x->cap[d]) {
            size_t ncap = x->cap[d] * 2 < x->count[d] ? x->cap[d] * 2 : x->count[d];
            redisReply **ne = realloc(p->element, ncap * sizeof(*ne));
            if (!ne) { freeReplyObject(r); return wx_conn_oom(x); }
            p->element = ne;
            x->cap[d] = ncap;
        }
        p->element[e->index] = r;
        p->elements = e->index + 1;
    }
    if (cap) {
        x->stack[e->depth] = r;
        x->cap[e->depth] = cap;
        x->count[e->depth] = (size_t) e->integer;
    }
    return 0;
}

static int wx_conn_sink(void *ud, const wx_resp_elem_t *e)
{
    wx_conn_x_t *x = ud;
    if (x->strict) {
        char expected[96];
        if (!wx_conn_fits(&x->cmds[x->k], e, expected, sizeof(expected))) {
            return wx_conn_mismatch(x, e, expected);
        }
    }
    if (x->replies && wx_conn_build(x, e) != 0) return 1;
    if (x->fn && !x->fn_done && x->fn(x->ud, x->k, e) != 0) x->fn_done = 1;
    return 0;
}

static size_t wx_conn_digits(size_t v)
{
    size_t d = 1;
    if (v < 10) return 1;
    if (v < 100) return 2;
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
    /* keys and short values: one or two digits, without the division loop */
    if (v < 100) {
        *p++ = lead;
        if (v >= 10) *p++ = (char) ('0' + v / 10);
        *p++ = (char) ('0' + v % 10);
        *p++ = '\r';
        *p++ = '\n';
        return p;
    }
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

/* Fail the exchange: free what was built, drop the connection. */
static int wx_conn_x_fail(wx_conn_x_t *x, int st)
{
    size_t i;
    if (x->replies) {
        for (i = 0; i <= x->k && i < x->n; i++) {
            freeReplyObject(x->replies[i]);
            x->replies[i] = NULL;
        }
    }
    wx_conn_close(x->c);
    return st;
}

static int wx_conn_x_io(wx_conn_x_t *x, const char *fmt, ...)
{
    char msg[200], where[300];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof(msg), fmt, ap);
    va_end(ap);
    wx_conn_fail(x->c, WX_CONN_ERR_IO, "Redis at %s %s while %s",
                 wx_conn_where(x->c, where, sizeof(where)), msg, x->doing);
    return wx_conn_x_fail(x, WX_CONN_ERR_IO);
}

static int wx_conn_x_sys(wx_conn_x_t *x, int err, const char *what)
{
    if (err == ECONNRESET || err == EPIPE) {
        return wx_conn_x_io(x, "closed the connection");
    }
    return wx_conn_x_io(x, "could not be %s: %s", what, strerror(err));
}

/* Write the commands before deadline; *waited set when the socket was
 * full and had to be polled. */
static int wx_conn_x_send(wx_conn_x_t *x, int64_t deadline, int *waited)
{
    wx_conn_t *c = x->c;
    size_t len = wx_conn_resp_len(x->cmds, x->n), off = 0;

    x->k = 0;
    if (x->replies) x->replies[0] = NULL;
    /* the whole batch as one buffer, formatted in one pass, kept between
     * calls (no allocation per command) */
    if (len > c->wcap) {
        char *nb = malloc(len > 4096 ? len : 4096);
        if (!nb) {
            wx_conn_fail(c, WX_CONN_ERR_OOM, "out of memory formatting %zu commands", x->n);
            return wx_conn_x_fail(x, WX_CONN_ERR_OOM);
        }
        free(c->wbuf);
        c->wbuf = nb;
        c->wcap = len > 4096 ? len : 4096;
    }
    wx_conn_resp_write(c->wbuf, x->cmds, x->n);
    while (off < len) {
        ssize_t w = send(c->ctx->fd, c->wbuf + off, len - off, MSG_NOSIGNAL | MSG_DONTWAIT);
        if (w > 0) {
            off += (size_t) w;
            continue;
        }
        if (w < 0 && errno == EINTR) continue;
        if (w < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
            int rc = wx_conn_wait(c, POLLOUT, deadline);
            *waited = 1;
            if (rc == 0) {
                return wx_conn_x_io(x, "did not take the commands within read_timeout %gs "
                                    "(%zu of %zu bytes sent)", c->opts.read_timeout, off, len);
            }
            if (rc < 0) return wx_conn_x_sys(x, errno, "polled");
            continue;
        }
        return wx_conn_x_sys(x, w < 0 ? errno : EPIPE, "written to");
    }
    return WX_CONN_OK;
}

/* Read and parse the n replies to what wx_conn_x_send wrote, before deadline. */
static int wx_conn_x_recv(wx_conn_x_t *x, int64_t deadline, int waited)
{
    wx_conn_t *c = x->c;
    wx_resp_reader_t rd;
    size_t want = 1, got = 0;
    int blocking_read, more_now = 0;

    x->k = 0;
    if (x->replies) x->replies[0] = NULL;
    /* One blocking recv() bounded by SO_RCVTIMEO (= read_timeout) is one
     * system call where poll()+recv() are two; it is exact only while the
     * whole read_timeout is still ahead, so only then. Not on a unix
     * socket: a reader blocked in recv() there is also woken when the
     * server drains our request (the socket's write-space wake-up, which
     * poll() filters out by event), and goes back to sleep: 1.7 context
     * switches per call instead of 1, slower than the extra poll(). */
    blocking_read = !waited && !c->opts.unix_path && deadline - wx_conn_now() >= wx_conn_rt_ns(c) - 2000000;

    wx_resp_init(&rd, c->opts.max_reply_bytes);
    for (;;) {
        ssize_t r;
        if (c->rlen - c->rpos >= want) {
            wx_resp_rc_t rc = wx_resp_feed(&rd, c->rbuf, c->rlen, &c->rpos, &want, wx_conn_sink, x);
            if (rc == WX_RESP_DONE) {
                want = 1;
                if (++x->k == x->n) break;
                if (x->replies) x->replies[x->k] = NULL;
                continue;
            }
            if (rc == WX_RESP_ESTOP) return wx_conn_x_fail(x, x->st);
            if (rc != WX_RESP_MORE) {
                char where[300];
                wx_conn_fail(c, WX_CONN_ERR_PROTOCOL, "Redis at %s sent %s: %s; dropped the connection",
                             wx_conn_where(c, where, sizeof(where)),
                             rc == WX_RESP_ETOOBIG ? "a reply over the size limit" : "a malformed reply",
                             rd.err);
                return wx_conn_x_fail(x, WX_CONN_ERR_PROTOCOL);
            }
        }
        /* room for more: reuse the front, else double */
        if (c->rpos == c->rlen) {
            c->rpos = c->rlen = 0;
        }
        if (c->rlen == c->rcap || c->rcap - c->rpos < want) {
            if (c->rpos > 0) {
                memmove(c->rbuf, c->rbuf + c->rpos, c->rlen - c->rpos);
                c->rlen -= c->rpos;
                c->rpos = 0;
            }
            if (c->rlen == c->rcap) {
                size_t ncap = c->rcap ? c->rcap * 2 : WX_CONN_RBUF_MIN;
                char *nb = realloc(c->rbuf, ncap);
                if (!nb) {
                    wx_conn_fail(c, WX_CONN_ERR_OOM, "out of memory reading a Redis reply of %zu bytes", ncap);
                    return wx_conn_x_fail(x, WX_CONN_ERR_OOM);
                }
                c->rbuf = nb;
                c->rcap = ncap;
            }
        }
        if (blocking_read) {
            blocking_read = 0;
            r = recv(c->ctx->fd, c->rbuf + c->rlen, c->rcap - c->rlen, 0);
        } else {
            /* after a recv that filled the buffer more is almost surely
             * waiting: try it before paying for a poll (the clock still
             * bounds a server that never stops sending) */
            int rc = more_now && wx_conn_now() < deadline ? 1 : wx_conn_wait(c, POLLIN, deadline);
            if (rc == 0) {
                if (got == 0) {
                    return wx_conn_x_io(x, "did not answer within read_timeout %gs", c->opts.read_timeout);
                }
                return wx_conn_x_io(x, "did not finish its reply within read_timeout %gs (the deadline "
                                    "for the whole call; %zu bytes arrived)", c->opts.read_timeout, got);
            }
            if (rc < 0) return wx_conn_x_sys(x, errno, "polled");
            r = recv(c->ctx->fd, c->rbuf + c->rlen, c->rcap - c->rlen, MSG_DONTWAIT);
        }
        more_now = r > 0 && (size_t) r == c->rcap - c->rlen;
        if (r > 0) {
            c->rlen += (size_t) r;
            got += (size_t) r;
            continue;
        }
        if (r == 0) return wx_conn_x_io(x, "closed the connection");
        if (errno == EINTR || errno == EAGAIN || errno == EWOULDBLOCK) continue;
        return wx_conn_x_sys(x, errno, "read from");
    }

    if (c->rpos != c->rlen) {
        /* RESP2 sends nothing unasked: these bytes answer no command of
         * ours, and which reply was the stray cannot be known. */
        char where[300];
        size_t extra = c->rlen - c->rpos;
        x->k = x->n - 1;
        wx_conn_fail(c, WX_CONN_ERR_PROTOCOL,
            "Redis at %s sent %zu bytes more than the replies to %zu command%s (a stray reply); "
            "dropped the connection", wx_conn_where(c, where, sizeof(where)),
            extra, x->n, x->n == 1 ? "" : "s");
        return wx_conn_x_fail(x, WX_CONN_ERR_PROTOCOL);
    }
    c->rpos = c->rlen = 0;
    if (c->rcap > WX_CONN_BUF_KEEP) {
        free(c->rbuf);
        c->rbuf = NULL;
        c->rcap = 0;
    }
    if (c->wcap > WX_CONN_BUF_KEEP) {
        free(c->wbuf);
        c->wbuf = NULL;
        c->wcap = 0;
    }
    return WX_CONN_OK;
}

/* Write the commands, then read and parse n replies, all before deadline. */
static int wx_conn_exchange(wx_conn_x_t *x, int64_t deadline)
{
    int waited = 0, st;
    if ((st = wx_conn_x_send(x, deadline, &waited)) != WX_CONN_OK) return st;
    return wx_conn_x_recv(x, deadline, waited);
}

/* AUTH and SELECT in one round trip; error replies become `st`. */
static int wx_conn_handshake(wx_conn_t *c, int64_t deadline)
{
    const char *auth[3], *sel[2];
    size_t authl[3], sell[2];
    char db[24];
    wx_conn_cmd_t cmds[2];
    wx_conn_status_t sts[2];
    const char *names[2];
    redisReply *replies[2];
    wx_conn_x_t x;
    size_t n = 0, i;
    int st;

    if (c->opts.password) {
        int argc = 0;
        auth[argc] = "AUTH"; authl[argc++] = 4;
        if (c->opts.username) {
            auth[argc] = c->opts.username; authl[argc++] = strlen(c->opts.username);
        }
        auth[argc] = c->opts.password; authl[argc++] = strlen(c->opts.password);
        cmds[n] = (wx_conn_cmd_t) { argc, auth, authl, WX_EXPECT_OK, 0 };
        sts[n] = WX_CONN_ERR_AUTH;
        names[n++] = "AUTH";
    }
    if (c->opts.database > 0) {
        sel[0] = "SELECT"; sell[0] = 6;
        sel[1] = db;       sell[1] = (size_t) snprintf(db, sizeof(db), "%ld", c->opts.database);
        cmds[n] = (wx_conn_cmd_t) { 2, sel, sell, WX_EXPECT_OK, 0 };
        sts[n] = WX_CONN_ERR_SELECT;
        names[n++] = "SELECT";
    }
    if (n == 0) return WX_CONN_OK;

    wx_conn_x_begin(&x, c, cmds, n, 1, replies,
                    n > 1 ? "sending AUTH and SELECT" : n && sts[0] == WX_CONN_ERR_AUTH ? "sending AUTH" : "sending SELECT");
    if ((st = wx_conn_exchange(&x, deadline)) != WX_CONN_OK) return st;
    c->stats->round_trips++;
    c->stats->commands += n;
    st = WX_CONN_OK;
    for (i = 0; i < n; i++) {
        /* the first refusal says why (SELECT after a refused AUTH only
         * says NOAUTH) */
        if (st == WX_CONN_OK && replies[i]->type == REDIS_REPLY_ERROR) {
            char where[300];
            st = wx_conn_fail(c, sts[i], "Redis at %s refused %s: %.*s",
                              wx_conn_where(c, where, sizeof(where)), names[i],
                              (int) replies[i]->len, replies[i]->str);
        }
        freeReplyObject(replies[i]);
    }
    if (st != WX_CONN_OK) wx_conn_close(c);
    return st;
}

/* Connect and authenticate; *deadline (when not NULL) gets the deadline
 * the handshake ran under, for the call that needed the connection. */
static int wx_conn_connect(wx_conn_t *c, int64_t *deadline)
{
    struct timeval ctv = wx_conn_tv(c->opts.connect_timeout);
    struct timeval rtv = wx_conn_tv(c->opts.read_timeout);
    char where[300];
    int64_t dl;
    int st;

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
    /* SO_RCVTIMEO bounds the one blocking recv() of a call (see
     * wx_conn_exchange); everything else polls against the deadline */
    if (redisSetTimeout(c->ctx, rtv) != REDIS_OK) {
        wx_conn_fail(c, WX_CONN_ERR_IO, "Redis at %s: cannot set the read timeout: %s",
                     wx_conn_where(c, where, sizeof(where)), c->ctx->errstr);
        wx_conn_close(c);
        return WX_CONN_ERR_IO;
    }
    if (!c->opts.unix_path) {
        redisEnableKeepAlive(c->ctx);
    }
    c->pid = getpid();
    c->fork_gen = wx_conn_fork_gen;
    c->rpos = c->rlen = 0;

    dl = wx_conn_now() + wx_conn_rt_ns(c);
    if (deadline) *deadline = dl;
    if ((st = wx_conn_handshake(c, dl)) != WX_CONN_OK) return st;

    if (c->ever_connected) c->stats->reconnects++;
    c->ever_connected = 1;
    c->stats->connects++;
    c->err = WX_CONN_OK;
    c->errstr[0] = '\0';
    return WX_CONN_OK;
}

/* Is the open connection fit for a new exchange? */
static int wx_conn_is_idle_and_alive(wx_conn_t *c)
{
    struct pollfd pfd;

    if (!c->ctx || c->ctx->err) return 0;
    if (wx_conn_is_forked(c)) return 0;         /* the socket is the parent's */
    if (c->rlen != c->rpos) return 0;

    /* Nothing is owed to us, so anything readable is either EOF (server
     * restarted, idle timeout) or a stray reply: both mean start again.
     * Not skipped for a connection used a moment ago: a stray reply that
     * arrived since would be read as the next command's answer. */
    pfd.fd = c->ctx->fd;
    pfd.events = POLLIN;
    pfd.revents = 0;
    if (poll(&pfd, 1, 0) != 0) return 0;
    return 1;
}

static int wx_conn_ensure_until(wx_conn_t *c, int64_t *deadline)
{
    if (c->ctx && wx_conn_is_idle_and_alive(c)) return WX_CONN_OK;
    /* Never read or write the parent's socket from a child: closing our
     * descriptor is all we do to it. */
    return wx_conn_connect(c, deadline);
}

int wx_conn_ensure(wx_conn_t *c)
{
    return wx_conn_ensure_until(c, NULL);
}

static int wx_conn_run(wx_conn_t *c, const wx_conn_cmd_t *cmds, size_t n, int strict,
                       redisReply **replies, wx_conn_visit_fn fn, void *ud)
{
    wx_conn_x_t x;
    int64_t deadline = 0;
    int st;

    if (n == 0) return WX_CONN_OK;
    if ((st = wx_conn_ensure_until(c, &deadline)) != WX_CONN_OK) return st;
    /* one deadline for the call: from here, or from the handshake when it
     * had to connect */
    if (deadline == 0) deadline = wx_conn_now() + wx_conn_rt_ns(c);

    wx_conn_x_begin(&x, c, cmds, n, strict, replies, n > 1 ? "sending a pipeline" : "sending a command");
    x.fn = fn;
    x.ud = ud;
    if ((st = wx_conn_exchange(&x, deadline)) != WX_CONN_OK) return st;
    c->stats->round_trips++;
    c->stats->commands += n;
    return WX_CONN_OK;
}

/* The two halves of wx_conn_request (wx_conn.h). */
int wx_conn_send(wx_conn_t *c, const wx_conn_cmd_t *cmds, size_t n, int64_t deadline)
{
    wx_conn_x_t x;
    int waited = 0, st;

    if (n == 0) return WX_CONN_OK;
    if ((st = wx_conn_ensure(c)) != WX_CONN_OK) return st;
    wx_conn_x_begin(&x, c, cmds, n, 0, NULL, n > 1 ? "sending a pipeline" : "sending a command");
    return wx_conn_x_send(&x, deadline, &waited);
}

int wx_conn_recv(wx_conn_t *c, const wx_conn_cmd_t *cmds, size_t n, redisReply **replies,
                 int64_t deadline)
{
    wx_conn_x_t x;
    int st;

    if (n == 0) return WX_CONN_OK;
    if (!c->ctx) {
        return wx_conn_fail(c, WX_CONN_ERR_IO, "no reply to wait for: the connection was closed after sending");
    }
    wx_conn_x_begin(&x, c, cmds, n, 1, replies, n > 1 ? "reading the replies to a pipeline" : "reading a reply");
    if ((st = wx_conn_x_recv(&x, deadline, 0)) != WX_CONN_OK) return st;
    c->stats->round_trips++;
    c->stats->commands += n;
    return WX_CONN_OK;
}

int wx_conn_request(wx_conn_t *c, const wx_conn_cmd_t *cmds, size_t n, redisReply **replies)
{
    return wx_conn_run(c, cmds, n, 1, replies, NULL, NULL);
}

int wx_conn_request_visit(wx_conn_t *c, const wx_conn_cmd_t *cmds, size_t n,
                          wx_conn_visit_fn fn, void *ud)
{
    return wx_conn_run(c, cmds, n, 1, NULL, fn, ud);
}

int wx_conn_pipeline(wx_conn_t *c, const wx_conn_cmd_t *cmds, size_t n,
                     redisReply **replies)
{
    return wx_conn_run(c, cmds, n, 0, replies, NULL, NULL);
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
    cmd.expect = WX_EXPECT_ANY;
    cmd.expect_n = 0;
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

int wx_conn_decode(wx_conn_t *c, const char *buf, size_t len, const wx_conn_cmd_t *cmds,
                   size_t n, redisReply **replies)
{
    wx_conn_x_t x;
    wx_resp_reader_t rd;
    size_t pos = 0, i;

    wx_conn_x_begin(&x, c, cmds, n, 1, replies, NULL);
    if (n == 0) return WX_CONN_OK;
    replies[0] = NULL;
    wx_resp_init(&rd, c->opts.max_reply_bytes);
    for (;;) {
        wx_resp_rc_t rc = wx_resp_feed(&rd, buf, len, &pos, NULL, wx_conn_sink, &x);
        if (rc == WX_RESP_DONE) {
            if (++x.k == n) break;
            replies[x.k] = NULL;
            continue;
        }
        if (rc == WX_RESP_MORE) {
            wx_conn_fail(c, WX_CONN_ERR_PROTOCOL, "%zu of %zu replies complete in %zu bytes", x.k, n, len);
        } else if (rc != WX_RESP_ESTOP) {
            wx_conn_fail(c, WX_CONN_ERR_PROTOCOL, "%s", rd.err);
        }
        for (i = 0; i <= x.k && i < n; i++) {
            freeReplyObject(replies[i]);
            replies[i] = NULL;
        }
        return c->err;
    }
    if (pos != len) {
        for (i = 0; i < n; i++) {
            freeReplyObject(replies[i]);
            replies[i] = NULL;
        }
        return wx_conn_fail(c, WX_CONN_ERR_PROTOCOL, "%zu bytes after the last reply", len - pos);
    }
    return WX_CONN_OK;
}

int wx_conn_redirect_kind(const char *err, size_t len)
{
    if (len > 6 && memcmp(err, "MOVED ", 6) == 0) return 1;
    if (len > 4 && memcmp(err, "ASK ", 4) == 0) return 2;
    return 0;
}
