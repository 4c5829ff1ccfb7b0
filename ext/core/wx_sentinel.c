/*
 * wx_sentinel: the engine for a master that a group of Redis Sentinels
 * names (wx_client_engine_sentinel; see wx_client.h).
 *
 * Discovery: the sentinels are asked in turn (the last one that answered
 * first, so a dead one costs its connect timeout once, not on every
 * discovery) for SENTINEL get-master-addr-by-name; the address must answer
 * ROLE with "master" (a sentinel can be behind) on the data connection,
 * which is then used as it is. Everything runs under the call's one
 * deadline (read_timeout), each connect under min(connect_timeout, what is
 * left). When nobody names a usable master the error says what each
 * sentinel said.
 *
 * Learning of a failover: option (a) of issue 10, subscriptions. Every
 * sentinel (the first WX_SENTINEL_LINKS_MAX) gets a link subscribed to
 * +switch-master (wx_sentinel_link.c): the one that runs a failover
 * announces it at once, the others about a second later (measured), and
 * any of them may be the one. Before every request one poll() with a zero
 * timeout looks at all links; a +switch-master for our service naming
 * another address makes this request find the master again, asking the
 * sentinel that announced it first. The sentinel asked during discovery
 * gets the question and "SUBSCRIBE +switch-master" as one pipeline on one
 * connection, which it runs in one pass, so no switch falls between its
 * answer and its subscription; the others connect without blocking. Why
 * not re-asking on an interval: a round trip to a sentinel every interval
 * in every PHP process, and writes still going to the old master for up to
 * that interval. While no link is up (sentinels unreachable, SUBSCRIBE
 * refused) the sentinels are asked again every WX_SENTINEL_RECHECK_NS, one
 * per check, and a failure there keeps the master in use.
 *
 * Errors: READONLY, LOADING and MASTERDOWN replies (the command did not
 * run) and a connection that could not be had (nothing was sent) mean: find
 * the master again and send the request once more. A connection reset
 * after the request was written is retried only when every command of it is
 * idempotent (wx_client_cmd_idempotent). Anything else is the caller's.
 *
 * fork(): wx_conn reconnects a data connection made by the parent; links
 * made by the parent are dropped in the child (closing its copy of the
 * descriptor only) before it could read a byte of the parent's
 * subscriptions, and come back as the child's own.
 */
#include "wx_client.h"
#include "wx_sentinel.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>

/* While no link is up, ask the sentinels again this often. */
#define WX_SENTINEL_RECHECK_NS   500000000LL
/* Sentinel replies are small; a huge one is not a sentinel. */
#define WX_SENTINEL_MAX_REPLY    65536

typedef struct {
    wx_conn_t          *data;         /* opts.host/port: the master (when have_master) */
    int                 have_master;  /* data->opts names a master ROLE confirmed */
    int                 had_master;   /* last is set */
    wx_topo_hostport_t  last;         /* the last confirmed master (to count failovers) */
    wx_conn_t          *sconn;        /* asking a sentinel (its socket then goes to a link) */
    wx_sentinel_link_t *links;        /* subscriptions, one per sentinel (the first nlinks) */
    size_t              nlinks;
    size_t             *order;        /* indexes into cl->opts.seeds: ask in this order */
    int64_t             next_check;   /* no live link: ask again from here */
} wx_sentinel_t;

/* ------------------------------------------------------------- helpers */

static int wx_sentinel_set_addr(wx_conn_t *c, const char *host, int port, const char *unix_path)
{
    char *h = host ? strdup(host) : NULL, *u = unix_path ? strdup(unix_path) : NULL;
    if ((host && !h) || (unix_path && !u)) {
        free(h);
        free(u);
        return WX_CONN_ERR_OOM;
    }
    free(c->opts.host);
    free(c->opts.unix_path);
    c->opts.host = h;
    c->opts.unix_path = u;
    c->opts.port = port;
    return WX_CONN_OK;
}

static int wx_sentinel_same(const wx_conn_t *c, const wx_topo_hostport_t *hp)
{
    return c->opts.host && !c->opts.unix_path && c->opts.port == hp->port && strcmp(c->opts.host, hp->host) == 0;
}

static struct timeval wx_sentinel_tv(double secs)
{
    struct timeval tv;
    if (secs < 0.001) secs = 0.001;
    tv.tv_sec = (time_t) secs;
    tv.tv_usec = (suseconds_t) ((secs - (double) tv.tv_sec) * 1e6);
    return tv;
}

/* wx_conn gives each of its calls read_timeout from the call's start; one
 * call of ours may already have spent some of its own (discovery, a first
 * attempt). So clamp the connection's timeouts, and the SO_RCVTIMEO its one
 * blocking recv() relies on, to what is left, and put them back after.
 * Unclamped (the common case: nothing spent yet) it costs nothing.
 * n == 0: only make sure the connection is up (wx_conn_ensure). */
static int wx_sentinel_call(wx_conn_t *c, const wx_conn_cmd_t *cmds, size_t n, redisReply **replies,
                            int64_t deadline, double rt, double ct)
{
    int64_t left = deadline - wx_client_now();
    double l = (double) left / 1e9;
    int clamp, st;

    if (left < 1000000) {
        c->err = WX_CONN_ERR_IO;
        snprintf(c->errstr, sizeof(c->errstr), "not tried: the call's read_timeout of %gs ran out", rt);
        return WX_CONN_ERR_IO;
    }
    clamp = l < rt - 0.002;
    if (clamp) {
        c->opts.read_timeout = l;
        if (c->opts.connect_timeout > l) c->opts.connect_timeout = l;
        if (c->ctx) redisSetTimeout(c->ctx, wx_sentinel_tv(l));
    }
    st = n ? wx_conn_request(c, cmds, n, replies) : wx_conn_ensure(c);
    if (clamp) {
        c->opts.read_timeout = rt;
        c->opts.connect_timeout = ct;
        if (c->ctx) redisSetTimeout(c->ctx, wx_sentinel_tv(rt));
    }
    return st;
}

static int64_t wx_sentinel_rt_ns(const wx_client_t *cl)
{
    double rt = cl->opts.node.read_timeout > 0 ? cl->opts.node.read_timeout : 0.001;
    if (rt > 1e6) rt = 1e6;
    return (int64_t) (rt * 1e9);
}

static int wx_sentinel_any_live(const wx_sentinel_t *s)
{
    size_t i;
    for (i = 0; i < s->nlinks; i++) {
        if (wx_sentinel_link_live(&s->links[i])) return 1;
    }
    return 0;
}

/* Reorder: seed idx first (it answered) or last (it did not). */
static void wx_sentinel_move(wx_client_t *cl, wx_sentinel_t *s, size_t idx, int front)
{
    size_t n = cl->opts.nseeds, at = 0, k;
    while (at < n && s->order[at] != idx) at++;
    if (at == n) return;
    if (front) {
        for (k = at; k > 0; k--) s->order[k] = s->order[k - 1];
        s->order[0] = idx;
    } else {
        for (k = at; k + 1 < n; k++) s->order[k] = s->order[k + 1];
        s->order[n - 1] = idx;
    }
}

/* ----------------------------------------------------------- discovery */

/* Outcome of asking one sentinel. */
typedef enum {
    WX_ASK_FOUND = 0,    /* a confirmed master; data points at it */
    WX_ASK_SKIP,         /* reported; try the next sentinel */
    WX_ASK_UNKNOWN,      /* reported: no master of that name */
    WX_ASK_FATAL         /* cl->err set (OOM, the master refused AUTH/SELECT) */
} wx_ask_rc_t;

/* ROLE on the address a sentinel named, over the data connection. */
static wx_ask_rc_t wx_sentinel_confirm(wx_client_t *cl, wx_sentinel_t *s, const wx_topo_hostport_t *hp,
                                       int64_t deadline, const char *where, wx_sentinel_report_t *rep)
{
    static const char *argv[] = { "ROLE" };
    static const size_t argvlen[] = { 4 };
    wx_conn_cmd_t cmd = { 1, argv, argvlen, WX_EXPECT_ARRAY, 0 };
    wx_topo_role_t role;
    redisReply *r = NULL;
    char err[256];
    int st;

    if (!wx_sentinel_same(s->data, hp)) {
        wx_conn_close(s->data);
        if (wx_sentinel_set_addr(s->data, hp->host, hp->port, NULL) != WX_CONN_OK) {
            wx_client_fail(cl, WX_CONN_ERR_OOM, "out of memory");
            return WX_ASK_FATAL;
        }
    }
    st = wx_sentinel_call(s->data, &cmd, 1, &r, deadline, cl->opts.node.read_timeout,
                          cl->opts.node.connect_timeout);
    if (st == WX_CONN_ERR_AUTH || st == WX_CONN_ERR_SELECT || st == WX_CONN_ERR_OOM) {
        /* every sentinel would name the same node: say so now */
        wx_client_fail(cl, (wx_conn_status_t) st, "the master %s:%d that sentinel %s names for \"%s\": %s",
                       hp->host, hp->port, where, cl->opts.service, wx_sentinel_reason(s->data->errstr));
        return WX_ASK_FATAL;
    }
    if (st != WX_CONN_OK) {
        wx_sentinel_report_add(rep, where, "named %s:%d, which %s", hp->host, hp->port,
                               wx_sentinel_reason(s->data->errstr));
        return WX_ASK_SKIP;
    }
    st = wx_topo_parse_role(r, &role, err, sizeof(err));
    freeReplyObject(r);
    if (st != WX_TOPO_OK) {
        wx_sentinel_report_add(rep, where, "named %s:%d, which answered ROLE with %s", hp->host, hp->port, err);
        wx_conn_close(s->data);
        return WX_ASK_SKIP;
    }
    if (role.role != WX_TOPO_ROLE_MASTER) {
        if (role.role == WX_TOPO_ROLE_REPLICA) {
            wx_sentinel_report_add(rep, where, "named %s:%d, which is a replica of %s:%d (the sentinel is behind)",
                                   hp->host, hp->port, role.master.host, role.master.port);
        } else {
            wx_sentinel_report_add(rep, where, "named %s:%d, which is not a master", hp->host, hp->port);
        }
        wx_conn_close(s->data);
        return WX_ASK_SKIP;
    }
    return WX_ASK_FOUND;
}

static int wx_sentinel_is_subscribed(const redisReply *r)
{
    return r->type == REDIS_REPLY_ARRAY && r->elements == 3 && r->element[0]->type == REDIS_REPLY_STRING &&
           r->element[0]->len == 9 && memcmp(r->element[0]->str, "subscribe", 9) == 0;
}

/* One sentinel: the question and the subscription in one pipeline, then
 * ROLE on the answer. */
static wx_ask_rc_t wx_sentinel_ask(wx_client_t *cl, wx_sentinel_t *s, size_t idx, int64_t deadline,
                                   wx_sentinel_report_t *rep)
{
    const wx_topo_addr_t *a = &cl->opts.seeds[idx];
    const char *q[3] = { "SENTINEL", "get-master-addr-by-name", cl->opts.service };
    size_t ql[3] = { 8, 23, strlen(cl->opts.service) };
    const char *sub[2] = { "SUBSCRIBE", "+switch-master" };
    size_t subl[2] = { 9, 14 };
    wx_conn_cmd_t cmds[2] = { { 3, q, ql, WX_EXPECT_ANY, 0 }, { 2, sub, subl, WX_EXPECT_ANY, 0 } };
    redisReply *r[2];
    wx_topo_hostport_t hp;
    char where[WX_TOPO_HOST_MAX + 16], err[256];
    int st, subscribed;

    wx_sentinel_where(a, where, sizeof(where));
    /* this sentinel's link is replaced by the subscription asked for here */
    if (idx < s->nlinks) wx_sentinel_link_close(&s->links[idx], 0, wx_client_now());
    wx_conn_close(s->sconn);
    if (wx_sentinel_set_addr(s->sconn, a->host, a->port, a->unix_path) != WX_CONN_OK) {
        wx_client_fail(cl, WX_CONN_ERR_OOM, "out of memory");
        return WX_ASK_FATAL;
    }
    st = wx_sentinel_call(s->sconn, cmds, 2, r, deadline, cl->opts.node.read_timeout,
                          cl->opts.node.connect_timeout);
    if (st == WX_CONN_ERR_OOM) {
        wx_client_fail(cl, WX_CONN_ERR_OOM, "out of memory");
        return WX_ASK_FATAL;
    }
    if (st != WX_CONN_OK) {
        wx_sentinel_report_add(rep, where, "%s", wx_sentinel_reason(s->sconn->errstr));
        return WX_ASK_SKIP;
    }
    st = wx_topo_parse_master_addr(r[0], &hp, err, sizeof(err));
    subscribed = wx_sentinel_is_subscribed(r[1]);
    freeReplyObject(r[0]);
    freeReplyObject(r[1]);
    if (subscribed && idx < s->nlinks) {
        /* the socket is a pub/sub stream now: the link owns it */
        wx_sentinel_link_adopt(&s->links[idx], s->sconn->ctx);
        s->sconn->ctx = NULL;
    } else {
        wx_conn_close(s->sconn);   /* its link (if any) comes back on its own */
    }
    if (st != WX_TOPO_OK) {
        if (st == WX_TOPO_ERR_UNKNOWN_NAME) {
            wx_sentinel_report_add(rep, where, "no master named \"%s\"", cl->opts.service);
            return WX_ASK_UNKNOWN;
        }
        wx_sentinel_report_add(rep, where, "%s%s", st == WX_TOPO_ERR_REPLY_ERROR ? "answered " : "", err);
        return WX_ASK_SKIP;
    }
    return wx_sentinel_confirm(cl, s, &hp, deadline, where, rep);
}

/* Find the master. hard: it is needed now; failure is the call's failure
 * (cl->err says what each sentinel said). soft: a periodic check while we
 * have a master but no subscription: one sentinel, and a failure leaves
 * the current master in use. */
static int wx_sentinel_discover(wx_client_t *cl, wx_sentinel_t *s, int64_t deadline, int soft)
{
    char buf[900];
    wx_sentinel_report_t rep;
    size_t n = cl->opts.nseeds, tries = soft ? 1 : n, k, unknown = 0, asked = 0;
    size_t order[WX_TOPO_MAX_HOSTS];
    wx_topo_hostport_t prev = s->last;
    int had = s->had_master;

    if (n == 0 || !cl->opts.service) {
        return wx_client_fail(cl, WX_CONN_ERR_DSN, "sentinel mode needs at least one sentinel and a service name");
    }
    if (!soft) s->have_master = 0;
    wx_sentinel_report_init(&rep, buf, sizeof(buf));
    memcpy(order, s->order, n * sizeof(order[0]));   /* ask() reorders s->order */
    for (k = 0; k < tries && k < n; k++) {
        wx_ask_rc_t rc;
        char where[WX_TOPO_HOST_MAX + 16];
        if (deadline - wx_client_now() < 1000000) {
            wx_sentinel_where(&cl->opts.seeds[order[k]], where, sizeof(where));
            wx_sentinel_report_add(&rep, where, "not asked: the call's read_timeout of %gs ran out",
                                   cl->opts.node.read_timeout);
            continue;
        }
        asked++;
        rc = wx_sentinel_ask(cl, s, order[k], deadline, &rep);
        if (rc == WX_ASK_FATAL) {
            if (soft) break;
            return cl->err;
        }
        if (rc == WX_ASK_FOUND) {
            wx_sentinel_move(cl, s, order[k], 1);
            snprintf(s->last.host, sizeof(s->last.host), "%s", s->data->opts.host);
            s->last.port = s->data->opts.port;
            s->have_master = s->had_master = 1;
            if (had && (prev.port != s->last.port || strcmp(prev.host, s->last.host) != 0)) cl->failovers++;
            s->next_check = wx_client_now() + WX_SENTINEL_RECHECK_NS;
            return WX_CONN_OK;
        }
        if (rc == WX_ASK_UNKNOWN) unknown++;
        wx_sentinel_move(cl, s, order[k], 0);
    }
    s->next_check = wx_client_now() + WX_SENTINEL_RECHECK_NS;
    if (soft) {
        /* keep using the master we have; its own errors will tell */
        if (s->had_master && !wx_sentinel_same(s->data, &s->last)) {
            wx_conn_close(s->data);
            if (wx_sentinel_set_addr(s->data, s->last.host, s->last.port, NULL) != WX_CONN_OK) {
                s->have_master = 0;
            }
        }
        return WX_CONN_OK;
    }
    wx_sentinel_report_end(&rep);
    if (unknown > 0 && unknown == asked) {
        return wx_client_fail(cl, WX_CONN_ERR_CONNECT, "no sentinel knows a master named \"%s\" "
                              "(check redis_sentinel): %s", cl->opts.service, buf);
    }
    return wx_client_fail(cl, WX_CONN_ERR_CONNECT, "no sentinel named a usable master for \"%s\": %s",
                          cl->opts.service, buf);
}

/* Before every call: one poll() over the links (a parent's are dropped in
 * a child), then find the master when needed. */
static int wx_sentinel_ready(wx_client_t *cl, wx_sentinel_t *s, int64_t deadline)
{
    wx_topo_hostport_t to;
    /* the others' links only once discovery subscribed to the one it asked */
    int sw = wx_sentinel_links_poll(s->links, s->nlinks, &cl->opts, s->had_master, &to, wx_client_now());

    if (sw >= 0 && !(s->have_master && wx_sentinel_same(s->data, &to))) {
        /* ask the sentinel that announced it first: the others may not
         * have heard yet, and would name the old master */
        wx_sentinel_move(cl, s, (size_t) sw, 1);
        s->have_master = 0;
    }
    if (!s->have_master) return wx_sentinel_discover(cl, s, deadline, 0);
    if (!wx_sentinel_any_live(s) && wx_client_now() >= s->next_check) {
        int st = wx_sentinel_discover(cl, s, deadline, 1);
        if (st != WX_CONN_OK) return st;
        if (!s->have_master) return wx_sentinel_discover(cl, s, deadline, 0);
    }
    return WX_CONN_OK;
}

/* ------------------------------------------------------------- engine */

static int wx_sentinel_init(wx_client_t *cl)
{
    wx_sentinel_t *s = calloc(1, sizeof(*s));
    wx_conn_opts_t so;
    size_t i;

    if (!s) return WX_CONN_ERR_OOM;
    cl->engine_state = s;
    s->data = wx_conn_new(&cl->opts.node, cl->stats);
    /* the sentinels: their own credentials, no database, the nodes' timeouts */
    wx_conn_opts_init(&so);
    so.connect_timeout = cl->opts.node.connect_timeout;
    so.read_timeout = cl->opts.node.read_timeout;
    so.max_reply_bytes = WX_SENTINEL_MAX_REPLY;
    so.username = cl->opts.sentinel_username;
    so.password = cl->opts.sentinel_password;
    s->sconn = wx_conn_new(&so, NULL);      /* borrowed strings: copied here */
    s->order = malloc((cl->opts.nseeds ? cl->opts.nseeds : 1) * sizeof(size_t));
    s->nlinks = cl->opts.nseeds < WX_SENTINEL_LINKS_MAX ? cl->opts.nseeds : WX_SENTINEL_LINKS_MAX;
    s->links = calloc(s->nlinks ? s->nlinks : 1, sizeof(*s->links));
    if (!s->data || !s->sconn || !s->order || !s->links || cl->opts.nseeds > WX_TOPO_MAX_HOSTS) {
        wx_conn_free(s->data);
        wx_conn_free(s->sconn);
        free(s->order);
        free(s->links);
        free(s);
        cl->engine_state = NULL;
        return WX_CONN_ERR_OOM;
    }
    for (i = 0; i < cl->opts.nseeds; i++) s->order[i] = i;
    for (i = 0; i < s->nlinks; i++) wx_sentinel_link_init(&s->links[i]);
    return WX_CONN_OK;
}

static void wx_sentinel_free(wx_client_t *cl)
{
    wx_sentinel_t *s = cl->engine_state;
    size_t i;
    if (!s) return;
    for (i = 0; i < s->nlinks; i++) wx_sentinel_link_close(&s->links[i], 0, 0);
    wx_conn_free(s->data);
    wx_conn_free(s->sconn);
    free(s->links);
    free(s->order);
    free(s);
    cl->engine_state = NULL;
}

/* Did the server refuse every command it did not run with an error that
 * means "not the master" (so sending them again elsewhere is safe)? Returns
 * the index of the first such reply, or n. */
static size_t wx_sentinel_refused(redisReply **replies, size_t n)
{
    size_t i;
    for (i = 0; i < n; i++) {
        if (replies[i]->type == REDIS_REPLY_ERROR) {
            wx_topo_errclass_t c = wx_topo_error_class(replies[i]->str, replies[i]->len);
            if (c == WX_TOPO_ERRCLASS_READONLY || c == WX_TOPO_ERRCLASS_LOADING ||
                c == WX_TOPO_ERRCLASS_MASTERDOWN) return i;
        }
    }
    return n;
}

static void wx_sentinel_free_replies(redisReply **replies, size_t n)
{
    size_t i;
    for (i = 0; i < n; i++) {
        freeReplyObject(replies[i]);
        replies[i] = NULL;
    }
}

static int wx_sentinel_all_idempotent(const wx_conn_cmd_t *cmds, size_t n)
{
    size_t i;
    for (i = 0; i < n; i++) {
        if (!wx_client_cmd_idempotent(&cmds[i])) return 0;
    }
    return 1;
}

static int wx_sentinel_request(wx_client_t *cl, const wx_conn_cmd_t *cmds, size_t n, redisReply **replies)
{
    wx_sentinel_t *s = cl->engine_state;
    int64_t deadline = wx_client_now() + wx_sentinel_rt_ns(cl);
    double rt = cl->opts.node.read_timeout, ct = cl->opts.node.connect_timeout;
    char why[600];
    int st, attempt;

    if (n == 0) return WX_CONN_OK;
    if ((st = wx_sentinel_ready(cl, s, deadline)) != WX_CONN_OK) return st;
    for (attempt = 0;; attempt++) {
        size_t k;
        /* not connected: connect first, so that a failure there is known
         * to have sent nothing (a connected socket found dead is replaced
         * inside wx_conn_request, where a refused reconnect is CONNECT) */
        st = s->data->ctx ? WX_CONN_OK : wx_sentinel_call(s->data, NULL, 0, NULL, deadline, rt, ct);
        if (st == WX_CONN_OK) {
            st = wx_sentinel_call(s->data, cmds, n, replies, deadline, rt, ct);
            if (st == WX_CONN_OK) {
                k = wx_sentinel_refused(replies, n);
                if (k == n || attempt > 0) return WX_CONN_OK;
                snprintf(why, sizeof(why), "%s:%d answered -%.*s", s->data->opts.host, s->data->opts.port,
                         (int) (replies[k]->len > 200 ? 200 : replies[k]->len), replies[k]->str);
                wx_sentinel_free_replies(replies, n);
            } else if (st == WX_CONN_ERR_IO && attempt == 0 && wx_sentinel_all_idempotent(cmds, n) &&
                       deadline - wx_client_now() > 1000000) {
                /* reset or closed mid-call: the commands may have run, but
                 * running them again changes nothing */
                snprintf(why, sizeof(why), "%s", s->data->errstr);
            } else {
                return wx_client_fail_conn(cl, s->data);
            }
        } else if ((st == WX_CONN_ERR_CONNECT || st == WX_CONN_ERR_IO) && attempt == 0) {
            snprintf(why, sizeof(why), "%s", s->data->errstr);
        } else {
            return wx_client_fail_conn(cl, s->data);
        }
        /* the master may have moved: find it again, send once more */
        cl->retries += n;
        wx_conn_close(s->data);
        if ((st = wx_sentinel_discover(cl, s, deadline, 0)) != WX_CONN_OK) {
            char again[sizeof(cl->errstr)];
            snprintf(again, sizeof(again), "%s", cl->errstr);
            return wx_client_fail(cl, (wx_conn_status_t) st, "%s; finding the master again: %s", why, again);
        }
    }
}

/* The master connection, connected, after the same checks as a request. */
static wx_conn_t *wx_sentinel_conn(wx_client_t *cl)
{
    wx_sentinel_t *s = cl->engine_state;
    int64_t deadline = wx_client_now() + wx_sentinel_rt_ns(cl);
    double rt = cl->opts.node.read_timeout, ct = cl->opts.node.connect_timeout;
    int st;

    if (wx_sentinel_ready(cl, s, deadline) != WX_CONN_OK) return NULL;
    st = wx_sentinel_call(s->data, NULL, 0, NULL, deadline, rt, ct);
    if (st == WX_CONN_ERR_CONNECT || st == WX_CONN_ERR_IO) {
        if (wx_sentinel_discover(cl, s, deadline, 0) != WX_CONN_OK) return NULL;
        st = wx_sentinel_call(s->data, NULL, 0, NULL, deadline, rt, ct);
    }
    if (st != WX_CONN_OK) {
        wx_client_fail_conn(cl, s->data);
        return NULL;
    }
    return s->data;
}

static int wx_sentinel_masters(wx_client_t *cl, wx_conn_t **out, size_t cap, size_t *n)
{
    wx_conn_t *c = wx_sentinel_conn(cl);
    if (!c) return cl->err;
    if (cap > 0) out[0] = c;
    *n = 1;
    return WX_CONN_OK;
}

static int wx_sentinel_rediscover(wx_client_t *cl)
{
    wx_sentinel_t *s = cl->engine_state;
    wx_conn_close(s->data);
    return wx_sentinel_discover(cl, s, wx_client_now() + wx_sentinel_rt_ns(cl), 0);
}

static void wx_sentinel_close(wx_client_t *cl)
{
    wx_sentinel_t *s = cl->engine_state;
    size_t i;
    wx_conn_close(s->data);
    wx_conn_close(s->sconn);
    for (i = 0; i < s->nlinks; i++) wx_sentinel_link_close(&s->links[i], 0, wx_client_now());
    s->have_master = 0;
}

const wx_client_engine_t wx_client_engine_sentinel = {
    "sentinel",
    wx_sentinel_init,
    wx_sentinel_free,
    wx_sentinel_request,
    wx_sentinel_conn,
    wx_sentinel_masters,
    wx_sentinel_rediscover,
    wx_sentinel_close,
};
