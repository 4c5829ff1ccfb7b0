/*
 * wx_sentinel_link: a +switch-master subscription on every sentinel.
 *
 * Why every sentinel and not only the one asked: the sentinel that runs a
 * failover announces it at once, the others only once they hear of it
 * (measured here: about a second later), and any of them may be the one
 * that runs it. Why non-blocking: a dead sentinel must never stall a
 * request, so connects go out with O_NONBLOCK and complete (or time out)
 * while the client does its work; a link is touched only from the one
 * poll() before each request. Failed links back off (0.5 s doubling to
 * 30 s) so a dead host costs a socket() now and then, nothing more.
 */
#include "wx_sentinel.h"

#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>

#define WX_LINK_BACKOFF_MIN_NS 500000000LL
#define WX_LINK_BACKOFF_MAX_NS 30000000000LL

void wx_sentinel_link_init(wx_sentinel_link_t *l)
{
    memset(l, 0, sizeof(*l));
    l->watch.fd = -1;
}

void wx_sentinel_link_close(wx_sentinel_link_t *l, int failed, int64_t now)
{
    if (l->ctx) {
        /* closes our descriptor only: in a forked child the parent's
         * subscription stays the parent's */
        redisFree(l->ctx);
        l->ctx = NULL;
    }
    free(l->hs);
    l->hs = NULL;
    l->connecting = 0;
    l->watch.fd = -1;
    if (failed) {
        int64_t wait = WX_LINK_BACKOFF_MIN_NS << (l->fails < 6 ? l->fails : 6);
        l->retry_at = now + (wait < WX_LINK_BACKOFF_MAX_NS ? wait : WX_LINK_BACKOFF_MAX_NS);
        l->fails++;
    } else {
        l->retry_at = now;
    }
}

void wx_sentinel_link_adopt(wx_sentinel_link_t *l, redisContext *ctx)
{
    wx_sentinel_link_close(l, 0, 0);
    l->ctx = ctx;
    l->fork_gen = wx_conn_fork_generation();
    l->fails = 0;
    wx_sentinel_watch_init(&l->watch, ctx->fd);
}

int wx_sentinel_link_live(const wx_sentinel_link_t *l)
{
    return l->ctx && !l->connecting && l->watch.state == WX_WATCH_LIVE;
}

/* RESP for [AUTH [user] pass] SUBSCRIBE +switch-master. */
static char *wx_link_handshake(const char *user, const char *pass, size_t *len, int *oks)
{
    const char *argv[3];
    size_t argc = 0, i, cap = 128, n = 0;
    char *b;

    *oks = 0;
    if (pass) {
        argv[argc++] = "AUTH";
        if (user) argv[argc++] = user;
        argv[argc++] = pass;
        *oks = 1;
    }
    for (i = 0; i < argc; i++) cap += strlen(argv[i]) + 32;
    if (!(b = malloc(cap))) return NULL;
    if (argc) {
        n += (size_t) snprintf(b + n, cap - n, "*%zu\r\n", argc);
        for (i = 0; i < argc; i++) {
            size_t al = strlen(argv[i]);
            n += (size_t) snprintf(b + n, cap - n, "$%zu\r\n", al);
            memcpy(b + n, argv[i], al);
            n += al;
            memcpy(b + n, "\r\n", 2);
            n += 2;
        }
    }
    n += (size_t) snprintf(b + n, cap - n, "*2\r\n$9\r\nSUBSCRIBE\r\n$14\r\n+switch-master\r\n");
    *len = n;
    return b;
}

static void wx_link_fail(wx_sentinel_link_t *l, int64_t now, const char *fmt, const char *what)
{
    snprintf(l->err, sizeof(l->err), fmt, what);
    wx_sentinel_link_close(l, 1, now);
}

static void wx_link_start(wx_sentinel_link_t *l, const wx_topo_addr_t *a, const wx_client_opts_t *o, int64_t now)
{
    double budget = o->node.connect_timeout;

    l->ctx = a->unix_path ? redisConnectUnixNonBlock(a->unix_path) : redisConnectNonBlock(a->host, a->port);
    if (!l->ctx) {
        wx_link_fail(l, now, "%s", "out of memory");
        return;
    }
    if (l->ctx->err) {
        wx_link_fail(l, now, "cannot connect: %s", l->ctx->errstr);
        return;
    }
    l->hs = wx_link_handshake(o->sentinel_username, o->sentinel_password, &l->hslen, &l->hs_oks);
    if (!l->hs) {
        wx_link_fail(l, now, "%s", "out of memory");
        return;
    }
    l->fork_gen = wx_conn_fork_generation();
    l->connecting = 1;
    l->until = now + (int64_t) ((budget > 0 && budget < 1e6 ? budget : 1.0) * 1e9);
}

/* The connect completed (POLLOUT): check it, send the handshake. */
static void wx_link_connected(wx_sentinel_link_t *l, int64_t now, double read_timeout)
{
    int err = 0;
    socklen_t el = sizeof(err);
    ssize_t w;

    if (getsockopt(l->ctx->fd, SOL_SOCKET, SO_ERROR, &err, &el) != 0) err = errno;
    if (err) {
        wx_link_fail(l, now, "cannot connect: %s", strerror(err));
        return;
    }
    /* a few dozen bytes into an empty socket buffer: all or nothing */
    do {
        w = send(l->ctx->fd, l->hs, l->hslen, MSG_NOSIGNAL | MSG_DONTWAIT);
    } while (w < 0 && errno == EINTR);
    memset(l->hs, 0, l->hslen);      /* it holds the password */
    free(l->hs);
    l->hs = NULL;
    if (w < 0 || (size_t) w != l->hslen) {
        wx_link_fail(l, now, "sending SUBSCRIBE failed: %s", w < 0 ? strerror(errno) : "short write");
        return;
    }
    l->connecting = 0;
    /* the answer is due read_timeout from now, not from the connect */
    l->until = now + (int64_t) ((read_timeout > 0 && read_timeout < 1e6 ? read_timeout : 1.0) * 1e9);
    wx_sentinel_watch_init_handshake(&l->watch, l->ctx->fd, l->hs_oks);
}

int wx_sentinel_links_poll(wx_sentinel_link_t *links, size_t n, const wx_client_opts_t *o,
                           int start, wx_topo_hostport_t *to, int64_t now)
{
    struct pollfd pfd[WX_SENTINEL_LINKS_MAX];
    size_t idx[WX_SENTINEL_LINKS_MAX], k = 0, j;
    unsigned long gen = wx_conn_fork_generation();
    int sw = -1;

    if (n > WX_SENTINEL_LINKS_MAX) n = WX_SENTINEL_LINKS_MAX;
    for (j = 0; j < n; j++) {
        wx_sentinel_link_t *l = &links[j];
        if (l->ctx && l->fork_gen != gen) {
            wx_sentinel_link_close(l, 0, now);      /* the parent's: never read it */
        }
        if (start && !l->ctx && now >= l->retry_at && j < o->nseeds) {
            wx_link_start(l, &o->seeds[j], o, now);
        }
        if (!l->ctx) continue;
        pfd[k].fd = l->ctx->fd;
        pfd[k].events = l->connecting ? POLLOUT : POLLIN;
        pfd[k].revents = 0;
        idx[k++] = j;
    }
    if (k == 0) return -1;
    if (poll(pfd, (nfds_t) k, 0) < 0) return -1;
    for (j = 0; j < k; j++) {
        wx_sentinel_link_t *l = &links[idx[j]];
        wx_topo_hostport_t t;
        wx_watch_rc_t rc;
        if (!pfd[j].revents) {
            /* late only if nothing arrived: a PHP worker may idle between
             * two polls far longer than any timeout */
            if (!wx_sentinel_link_live(l) && now > l->until) {
                wx_link_fail(l, now, "%s", l->connecting ? "connect timed out" : "SUBSCRIBE was not answered in time");
            }
            continue;
        }
        if (l->connecting) {
            wx_link_connected(l, now, o->node.read_timeout);
            continue;
        }
        rc = wx_sentinel_watch_poll(&l->watch, o->service, &t);
        if (rc == WX_WATCH_SWITCH) {
            *to = t;
            sw = (int) idx[j];
        } else if (rc == WX_WATCH_DOWN) {
            wx_link_fail(l, now, "%s", l->watch.err);
            continue;
        }
        if (wx_sentinel_link_live(l)) l->fails = 0;
    }
    return sw;
}
