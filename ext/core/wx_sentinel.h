/*
 * wx_sentinel: the pieces of the Sentinel engine (wx_sentinel.c) that can be
 * used and tested on their own.
 *
 *  - the +switch-master listener (wx_sentinel_watch.c): reads the pub/sub
 *    stream of one sentinel connection without ever blocking, also while
 *    its handshake (AUTH, SUBSCRIBE) is still being answered;
 *  - the links (wx_sentinel_link.c): one subscription per sentinel, opened
 *    with a non-blocking connect and kept up between requests, so that no
 *    request ever waits for a sentinel it is not asking;
 *  - the failure report (wx_sentinel_report.c): what each sentinel said,
 *    joined into one message for cl->errstr.
 *
 * Plain C, no Zend, no allocation.
 */
#ifndef WX_SENTINEL_H
#define WX_SENTINEL_H

#include <stddef.h>
#include <stdint.h>

#include "wx_client.h"
#include "wx_resp.h"
#include "wx_topology.h"

/* ------------------------------------------------------------- watch */

/* A +switch-master message is "<name> <ip> <port> <ip> <port>": a few
 * hundred bytes. Anything longer is not what we subscribed to. */
#define WX_SENTINEL_WATCH_BUF   2048
#define WX_SENTINEL_PAYLOAD_MAX 600

typedef enum {
    WX_WATCH_QUIET  = 0,   /* nothing for us (no bytes, or other messages) */
    WX_WATCH_SWITCH = 1,   /* a +switch-master for our service: *to is its new master */
    WX_WATCH_DOWN   = -1   /* closed, failed or sent something else: stop using it */
} wx_watch_rc_t;

typedef enum {
    WX_WATCH_HANDSHAKE = 0,        /* owed: oks_owed +OK (AUTH), then the subscribe confirmation */
    WX_WATCH_LIVE      = 1         /* subscribed: only messages */
} wx_watch_state_t;

typedef struct {
    int               fd;          /* not owned (the engine's link has it); -1: none */
    wx_watch_state_t  state;
    int               oks_owed;
    char              buf[WX_SENTINEL_WATCH_BUF];
    size_t            len;
    wx_resp_reader_t  rd;
    /* the message being read: ["message", channel, payload] */
    size_t            part;        /* elements of it seen */
    int               is_message;  /* element 0 was "message" */
    int               is_switch;   /* element 1 was "+switch-master" */
    int               is_subscribe; /* element 0 was "subscribe" (handshake) */
    char              payload[WX_SENTINEL_PAYLOAD_MAX];
    size_t            plen;
    int               bad;         /* the shape is not a pub/sub message */
    char              err[256];    /* why DOWN */
} wx_sentinel_watch_t;

/* Start reading fd (a connection whose SUBSCRIBE +switch-master reply was
 * already read). */
void wx_sentinel_watch_init(wx_sentinel_watch_t *w, int fd);
/* Start reading fd where AUTH (oks replies of +OK) and SUBSCRIBE
 * +switch-master were sent and not yet answered. */
void wx_sentinel_watch_init_handshake(wx_sentinel_watch_t *w, int fd, int oks);

/* Read whatever the socket holds, without blocking, and parse every whole
 * message (w->state turns LIVE when the subscription is confirmed; an
 * error reply to the handshake is DOWN with the server's text). SWITCH when one of them was a +switch-master for service (the
 * last one wins: *to is where the master is now); messages for other
 * services and a partial message are kept quiet. DOWN on EOF, an error, or
 * bytes that are not pub/sub messages (w->err says which). */
wx_watch_rc_t wx_sentinel_watch_poll(wx_sentinel_watch_t *w, const char *service,
                                     wx_topo_hostport_t *to);

/* The same on bytes given (the socket path calls it; tests and the fuzzer
 * call it directly). */
wx_watch_rc_t wx_sentinel_watch_feed(wx_sentinel_watch_t *w, const char *bytes, size_t n,
                                     const char *service, wx_topo_hostport_t *to);

/* ------------------------------------------------------------- links */

/* Sentinels watched at once (the first ones of the DSN). */
#define WX_SENTINEL_LINKS_MAX 16

typedef struct {
    redisContext       *ctx;         /* owns the socket; NULL: none */
    unsigned long       fork_gen;    /* wx_conn_fork_generation() when made */
    int                 connecting;  /* non-blocking connect under way; hs not sent yet */
    char               *hs;          /* AUTH + SUBSCRIBE, sent once connected */
    size_t              hslen;
    int                 hs_oks;      /* +OK replies the handshake owes (AUTH) */
    int64_t             until;       /* must be LIVE by then */
    int64_t             retry_at;    /* none: start again from here */
    unsigned            fails;       /* in a row: the back-off */
    wx_sentinel_watch_t watch;
    char                err[256];    /* why it last went down */
} wx_sentinel_link_t;

void wx_sentinel_link_init(wx_sentinel_link_t *l);
/* Drop the socket; failed: start again only after a back-off (0.5 s
 * doubling to 30 s), else at the next poll. */
void wx_sentinel_link_close(wx_sentinel_link_t *l, int failed, int64_t now);
/* Take over ctx, on which SUBSCRIBE +switch-master was already answered. */
void wx_sentinel_link_adopt(wx_sentinel_link_t *l, redisContext *ctx);
int  wx_sentinel_link_live(const wx_sentinel_link_t *l);

/* One poll() over every link (timeout 0): connects that completed send
 * their handshake, readable links are read (wx_sentinel_watch_poll), failed
 * ones are dropped, due ones are started when start is set (non-blocking connect to
 * o->seeds[i] with o's sentinel credentials; the connect within the nodes'
 * connect_timeout, SUBSCRIBE answered within read_timeout of being sent,
 * either counted only while nothing arrived), a parent's sockets are dropped
 * in a forked child. Returns the index of the (last) link that announced a
 * +switch-master for o->service, *to its new master; -1 otherwise. */
int wx_sentinel_links_poll(wx_sentinel_link_t *links, size_t n, const wx_client_opts_t *o,
                           int start, wx_topo_hostport_t *to, int64_t now);

/* ------------------------------------------------------------ report */

/* "host:port: what it said; host:port: ..." in a fixed buffer; parts that
 * do not fit are counted and summarised ("; and 3 more"). */
typedef struct {
    char   *buf;
    size_t  cap;
    size_t  len;
    size_t  parts;
    size_t  dropped;
} wx_sentinel_report_t;

void wx_sentinel_report_init(wx_sentinel_report_t *r, char *buf, size_t cap);
/* Add one sentinel's answer: where (e.g. "127.0.0.1:26379") and what. */
void wx_sentinel_report_add(wx_sentinel_report_t *r, const char *where, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* Finish: the "; and N more" tail if parts were dropped. Returns buf. */
const char *wx_sentinel_report_end(wx_sentinel_report_t *r);

/* What a wx_conn_t's message says with its "cannot connect to Redis at
 * H:P: " / "Redis at H:P " prefix cut off (the report names the place
 * itself): "Connection refused", "refused AUTH: WRONGPASS ...". */
const char *wx_sentinel_reason(const char *errstr);

/* "host:port", "[v6]:port" or "unix:/path" for a seed. */
void wx_sentinel_where(const wx_topo_addr_t *a, char *buf, size_t cap);

#endif
