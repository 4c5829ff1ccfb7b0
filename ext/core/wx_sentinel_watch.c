/*
 * wx_sentinel_watch: the +switch-master listener of the Sentinel engine.
 *
 * The engine's sentinel connection is a pub/sub stream once SUBSCRIBE ran
 * on it, which wx_conn cannot hold (it drops a connection with unread
 * bytes). So this reads the descriptor itself, before every request of the
 * client, with one recv(MSG_DONTWAIT): the cost of knowing of a failover
 * the moment a sentinel announces it is one system call that returns
 * EAGAIN. Bytes go through wx_resp (the project's strict reader, with a
 * small size limit), never through a tree.
 */
#include "wx_sentinel.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/types.h>

void wx_sentinel_watch_init(wx_sentinel_watch_t *w, int fd)
{
    memset(w, 0, sizeof(*w));
    w->fd = fd;
    w->state = WX_WATCH_LIVE;
    wx_resp_init(&w->rd, WX_SENTINEL_WATCH_BUF);
}

void wx_sentinel_watch_init_handshake(wx_sentinel_watch_t *w, int fd, int oks)
{
    wx_sentinel_watch_init(w, fd);
    w->state = WX_WATCH_HANDSHAKE;
    w->oks_owed = oks;
}

static int wx_watch_is(const wx_resp_elem_t *e, const char *s)
{
    size_t n = strlen(s);
    return e->type == WX_RESP_BULK && e->len == n && memcmp(e->str, s, n) == 0;
}

/* Sees every element: a message is an array of three (kind, channel,
 * payload); anything else stops the reader. */
static int wx_watch_visit(void *ud, const wx_resp_elem_t *e)
{
    wx_sentinel_watch_t *w = ud;

    if (e->depth == 0) {
        if (w->state == WX_WATCH_HANDSHAKE && w->oks_owed > 0) {
            /* AUTH's answer */
            if (e->type == WX_RESP_STATUS && e->len == 2 && memcmp(e->str, "OK", 2) == 0) {
                w->oks_owed--;
                return 0;
            }
            if (e->type == WX_RESP_ERROR) {
                snprintf(w->err, sizeof(w->err), "refused AUTH: %.*s", (int) (e->len > 200 ? 200 : e->len), e->str);
                w->bad = 1;
                return 1;
            }
        }
        if (w->state == WX_WATCH_HANDSHAKE && e->type == WX_RESP_ERROR) {
            snprintf(w->err, sizeof(w->err), "refused SUBSCRIBE: %.*s", (int) (e->len > 200 ? 200 : e->len), e->str);
            w->bad = 1;
            return 1;
        }
        if (e->type != WX_RESP_ARRAY || e->integer != 3) {
            snprintf(w->err, sizeof(w->err), "the sentinel sent %s on its subscription",
                     e->type == WX_RESP_ARRAY ? "an array of another size" : wx_resp_type_name(e->type));
            w->bad = 1;
            return 1;
        }
        w->part = 0;
        w->is_message = w->is_switch = w->is_subscribe = 0;
        w->plen = 0;
        return 0;
    }
    if (e->depth != 1 || (e->type != WX_RESP_BULK && e->type != WX_RESP_INTEGER)) {
        snprintf(w->err, sizeof(w->err), "the sentinel sent a pub/sub message of an unknown shape");
        w->bad = 1;
        return 1;
    }
    switch (w->part++) {
    case 0:
        w->is_message = wx_watch_is(e, "message");
        w->is_subscribe = w->state == WX_WATCH_HANDSHAKE && wx_watch_is(e, "subscribe");
        break;
    case 1:
        w->is_switch = w->is_message && wx_watch_is(e, "+switch-master");
        break;
    default:
        if (w->is_switch) {
            if (e->type != WX_RESP_BULK || e->len >= sizeof(w->payload)) {
                snprintf(w->err, sizeof(w->err), "the sentinel sent a +switch-master message that is not a short string");
                w->bad = 1;
                return 1;
            }
            memcpy(w->payload, e->str, e->len);
            w->plen = e->len;
        }
        break;
    }
    return 0;
}

wx_watch_rc_t wx_sentinel_watch_feed(wx_sentinel_watch_t *w, const char *bytes, size_t n,
                                     const char *service, wx_topo_hostport_t *to)
{
    wx_watch_rc_t out = WX_WATCH_QUIET;

    while (n > 0) {
        size_t take = sizeof(w->buf) - w->len, pos = 0;
        if (take > n) take = n;
        memcpy(w->buf + w->len, bytes, take);
        w->len += take;
        bytes += take;
        n -= take;
        for (;;) {
            wx_resp_rc_t rc = wx_resp_feed(&w->rd, w->buf, w->len, &pos, NULL, wx_watch_visit, w);
            if (rc == WX_RESP_MORE) break;
            if (rc != WX_RESP_DONE) {
                if (!w->bad) snprintf(w->err, sizeof(w->err), "the sentinel's subscription: %s", w->rd.err);
                return WX_WATCH_DOWN;
            }
            if (w->is_subscribe) w->state = WX_WATCH_LIVE;
            if (w->is_switch) {
                wx_topo_hostport_t old, nw;
                int st = wx_topo_parse_switch_master(w->payload, w->plen, service, &old, &nw);
                if (st == WX_TOPO_OK) {
                    *to = nw;
                    out = WX_WATCH_SWITCH;
                } else if (st != WX_TOPO_ERR_OTHER_NAME) {
                    snprintf(w->err, sizeof(w->err), "the sentinel sent a malformed +switch-master message");
                    return WX_WATCH_DOWN;
                }
            }
            w->part = 0;
            w->is_message = w->is_switch = w->is_subscribe = 0;
        }
        /* keep the unfinished message at the front */
        if (pos > 0) {
            memmove(w->buf, w->buf + pos, w->len - pos);
            w->len -= pos;
        }
        if (w->len == sizeof(w->buf)) {
            snprintf(w->err, sizeof(w->err), "the sentinel sent a pub/sub message over %zu bytes", sizeof(w->buf));
            return WX_WATCH_DOWN;
        }
    }
    return out;
}

wx_watch_rc_t wx_sentinel_watch_poll(wx_sentinel_watch_t *w, const char *service,
                                     wx_topo_hostport_t *to)
{
    wx_watch_rc_t out = WX_WATCH_QUIET;
    char tmp[WX_SENTINEL_WATCH_BUF];

    if (w->fd < 0) {
        snprintf(w->err, sizeof(w->err), "no subscription");
        return WX_WATCH_DOWN;
    }
    for (;;) {
        ssize_t r = recv(w->fd, tmp, sizeof(tmp), MSG_DONTWAIT);
        wx_watch_rc_t rc;
        if (r < 0 && errno == EINTR) continue;
        if (r < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) return out;
        if (r == 0) {
            snprintf(w->err, sizeof(w->err), "the sentinel closed its subscription");
            return WX_WATCH_DOWN;
        }
        if (r < 0) {
            snprintf(w->err, sizeof(w->err), "reading the sentinel's subscription failed: %s", strerror(errno));
            return WX_WATCH_DOWN;
        }
        rc = wx_sentinel_watch_feed(w, tmp, (size_t) r, service, to);
        if (rc == WX_WATCH_DOWN) return rc;
        if (rc == WX_WATCH_SWITCH) out = rc;
    }
}
