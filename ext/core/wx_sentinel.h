/*
 * wx_sentinel: the pieces of the Sentinel engine (wx_sentinel.c) that can be
 * used and tested on their own.
 *
 *  - the +switch-master listener (wx_sentinel_watch.c): reads the pub/sub
 *    stream of one sentinel connection without ever blocking, one recv()
 *    with MSG_DONTWAIT per check;
 *  - the failure report (wx_sentinel_report.c): what each sentinel said,
 *    joined into one message for cl->errstr.
 *
 * Plain C, no Zend, no allocation.
 */
#ifndef WX_SENTINEL_H
#define WX_SENTINEL_H

#include <stddef.h>

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

typedef struct {
    int               fd;          /* not owned (the engine's wx_conn_t has it); -1: none */
    char              buf[WX_SENTINEL_WATCH_BUF];
    size_t            len;
    wx_resp_reader_t  rd;
    /* the message being read: ["message", channel, payload] */
    size_t            part;        /* elements of it seen */
    int               is_message;  /* element 0 was "message" */
    int               is_switch;   /* element 1 was "+switch-master" */
    char              payload[WX_SENTINEL_PAYLOAD_MAX];
    size_t            plen;
    int               bad;         /* the shape is not a pub/sub message */
    char              err[256];    /* why DOWN */
} wx_sentinel_watch_t;

/* Start reading fd (a connection whose SUBSCRIBE +switch-master reply was
 * already read). */
void wx_sentinel_watch_init(wx_sentinel_watch_t *w, int fd);

/* Read whatever the socket holds, without blocking, and parse every whole
 * message. SWITCH when one of them was a +switch-master for service (the
 * last one wins: *to is where the master is now); messages for other
 * services and a partial message are kept quiet. DOWN on EOF, an error, or
 * bytes that are not pub/sub messages (w->err says which). */
wx_watch_rc_t wx_sentinel_watch_poll(wx_sentinel_watch_t *w, const char *service,
                                     wx_topo_hostport_t *to);

/* The same on bytes given (the socket path calls it; tests and the fuzzer
 * call it directly). */
wx_watch_rc_t wx_sentinel_watch_feed(wx_sentinel_watch_t *w, const char *bytes, size_t n,
                                     const char *service, wx_topo_hostport_t *to);

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
