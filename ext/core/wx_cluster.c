/*
 * wx_cluster: the Redis Cluster engine (wx_client_engine_cluster).
 *
 * A request runs in rounds. Each round routes the commands still owed a
 * reply (first key -> slot -> master; keyless ones follow the command
 * before them; ASK targets as told), groups them by node, writes every
 * node's pipeline, and only then reads the replies, so a batch over three
 * masters costs about one round trip, not three. Then per reply:
 *   MOVED        the map is updated (and rebuilt once), sent again there;
 *   ASK          sent again to the target, after ASKING, this once;
 *   TRYAGAIN, CLUSTERDOWN, LOADING, READONLY
 *                sent again after a short pause while the call's deadline
 *                allows (read_timeout, one for the whole call), else the
 *                error reply is the answer;
 *   a node lost  the map is rebuilt elsewhere; commands are sent again
 *                when that is safe (nothing was sent: the connect failed;
 *                or wx_client_cmd_idempotent), else the call fails.
 * The nodes and the map live in wx_cluster_map.c.
 */
#include "wx_cluster.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#define WX_CLUSTER_MAX_REDIRECTS 5    /* per command: more is a node loop */
#define WX_CLUSTER_MAX_ROUNDS    200  /* with the backoff, far past any read_timeout */
#define WX_CLUSTER_MAX_REFRESHES 3    /* map rebuilds per call */
#define WX_CLUSTER_BACKOFF_NS    (2 * 1000000LL)
#define WX_CLUSTER_BACKOFF_MAX   (100 * 1000000LL)
#define WX_CLUSTER_MARGIN_NS     (20 * 1000000LL)  /* no retry with less left: the round needs it */

/* Per command of a request. */
typedef struct {
    int          node;      /* where it goes this round */
    int          keyed;
    unsigned     slot;
    unsigned char pending;  /* still owed a reply */
    unsigned char asking;   /* ASK: node is the target, send ASKING first */
    unsigned char pinned;   /* MOVED: node is the target even if a rebuilt map lags */
    unsigned char redirs;
    unsigned char redo;     /* this round's reply is void: it follows a command sent again */
} wx_cluster_cmd_t;

/* One node's share of a round. */
typedef struct {
    int    node;
    size_t off, len;        /* in the round's sub arrays */
    int    st;              /* send, then receive status */
    int    sent;            /* wx_conn_send got as far as writing */
} wx_cluster_group_t;

typedef struct {
    wx_client_t         *cl;
    const wx_conn_cmd_t *cmds;
    size_t               n;
    redisReply         **replies;
    wx_cluster_cmd_t    *c;
    wx_cluster_group_t  *g;
    size_t               ng;
    wx_conn_cmd_t       *sub;       /* the round's commands, group by group */
    long                *sub_of;    /* command index, or -1 for an ASKING */
    redisReply         **sub_rep;
    int64_t              deadline;
    int                  refreshes;
    /* what this round asks of the next */
    int                  refresh;   /* rebuild the map */
    int                  avoid;     /* ... not from this node (-1: any) */
    int                  pause;     /* wait a little first */
} wx_cluster_req_t;

static const char *const wx_cluster_asking_argv[1] = { "ASKING" };
static const size_t wx_cluster_asking_len[1] = { 6 };

static void wx_cluster_sleep(int64_t ns)
{
    struct timespec ts;
    if (ns <= 0) return;
    ts.tv_sec = (time_t) (ns / 1000000000);
    ts.tv_nsec = (long) (ns % 1000000000);
    nanosleep(&ts, NULL);
}

/* Route the pending commands: fills c[i].node. */
static int wx_cluster_route(wx_cluster_req_t *r)
{
    wx_client_t *cl = r->cl;
    size_t i;
    int refreshed = 0;

    for (i = 0; i < r->n; i++) {
        wx_cluster_cmd_t *c = &r->c[i];
        if (!c->pending || c->asking || c->pinned) continue;
        if (c->keyed) {
            c->node = wx_cluster_slot_node(cl, c->slot);
            if (c->node < 0 && !refreshed && r->refreshes < WX_CLUSTER_MAX_REFRESHES) {
                /* a slot nobody serves in our map: it may have been given out since */
                refreshed = 1;
                r->refreshes++;
                if (wx_cluster_refresh(cl, -1) != WX_CONN_OK && cl->err == WX_CONN_ERR_OOM) return cl->err;
                c->node = wx_cluster_slot_node(cl, c->slot);
            }
            /* still nobody: any master answers it (-MOVED, or -CLUSTERDOWN
             * the slot is not served, which is then the reply) */
            if (c->node < 0) c->node = wx_cluster_first_master(cl);
        } else {
            /* keyless: with the command before it (SET k v + WAIT), or the
             * first master when the request starts with it */
            c->node = i > 0 ? r->c[i - 1].node : wx_cluster_first_master(cl);
        }
        if (c->node < 0) {
            return wx_client_fail(cl, WX_CONN_ERR_CONNECT, "the Redis Cluster slot map names no master");
        }
    }
    return WX_CONN_OK;
}

/* Group the pending commands by node into r->sub (ASKING before each
 * asked one), in the caller's order within each node. */
static void wx_cluster_group(wx_cluster_req_t *r)
{
    size_t i, k, pos = 0;

    r->ng = 0;
    for (i = 0; i < r->n; i++) {
        if (!r->c[i].pending) continue;
        for (k = 0; k < r->ng && r->g[k].node != r->c[i].node; k++) { }
        if (k == r->ng) {
            r->g[k].node = r->c[i].node;
            r->g[k].len = 0;
            r->ng++;
        }
        r->g[k].len += 1 + r->c[i].asking;
    }
    for (k = 0; k < r->ng; k++) {
        r->g[k].off = pos;
        pos += r->g[k].len;
        r->g[k].len = 0;
        r->g[k].st = WX_CONN_OK;
        r->g[k].sent = 0;
    }
    for (i = 0; i < r->n; i++) {
        wx_cluster_group_t *g;
        if (!r->c[i].pending) continue;
        for (k = 0; r->g[k].node != r->c[i].node; k++) { }
        g = &r->g[k];
        if (r->c[i].asking) {
            wx_conn_cmd_t a = { 1, (const char **) wx_cluster_asking_argv, wx_cluster_asking_len, WX_EXPECT_OK, 0 };
            r->sub[g->off + g->len] = a;
            r->sub_of[g->off + g->len++] = -1;
        }
        r->sub[g->off + g->len] = r->cmds[i];
        r->sub_of[g->off + g->len++] = (long) i;
    }
}

/* Write every group, then read every group. */
static int wx_cluster_exchange(wx_cluster_req_t *r)
{
    wx_client_t *cl = r->cl;
    size_t k;

    for (k = 0; k < r->ng; k++) {
        wx_cluster_group_t *g = &r->g[k];
        wx_conn_t *c = wx_cluster_conn(cl, g->node);
        if (!c) return WX_CONN_ERR_OOM;
        g->st = wx_conn_send(c, r->sub + g->off, g->len, r->deadline);
        /* connect, AUTH and SELECT failures come before any byte is sent */
        g->sent = g->st == WX_CONN_OK || g->st == WX_CONN_ERR_IO || g->st == WX_CONN_ERR_PROTOCOL;
    }
    for (k = 0; k < r->ng; k++) {
        wx_cluster_group_t *g = &r->g[k];
        if (g->st != WX_CONN_OK) continue;
        g->st = wx_conn_recv(((wx_cluster_t *) cl->engine_state)->nodes[g->node].conn,
                             r->sub + g->off, g->len, r->sub_rep + g->off, r->deadline);
    }
    return WX_CONN_OK;
}

/* Is there time for another round after a pause? */
static int wx_cluster_time_left(const wx_cluster_req_t *r)
{
    return wx_client_now() + WX_CLUSTER_MARGIN_NS < r->deadline;
}

/* Send the keyless commands that follow i again with it, so that a WAIT
 * measures the node the write went to. Only idempotent ones. */
static void wx_cluster_followers(wx_cluster_req_t *r, size_t i)
{
    size_t j;
    for (j = i + 1; j < r->n && !r->c[j].keyed; j++) {
        if (!wx_client_cmd_idempotent(&r->cmds[j])) continue;
        if (r->c[j].pending) {
            r->c[j].redo = 1;         /* its reply of this round is still to come */
        } else {
            freeReplyObject(r->replies[j]);
            r->replies[j] = NULL;
            r->c[j].pending = 1;
        }
        r->cl->retries++;
    }
}

/* One reply to command i from node `node`: final, or pending again. */
static int wx_cluster_take(wx_cluster_req_t *r, size_t i, int node, redisReply *rep)
{
    wx_client_t *cl = r->cl;
    wx_cluster_cmd_t *c = &r->c[i];
    int again = 0;

    if (c->redo) {
        c->redo = 0;
        freeReplyObject(rep);
        return 1;
    }
    c->asking = 0;
    c->pinned = 0;
    if (rep->type == REDIS_REPLY_ERROR) {
        switch (wx_topo_error_class(rep->str, rep->len)) {
        case WX_TOPO_ERRCLASS_MOVED:
        case WX_TOPO_ERRCLASS_ASK: {
            unsigned slot;
            int to, kind;
            if (c->redirs >= WX_CLUSTER_MAX_REDIRECTS ||
                !(kind = wx_cluster_redirect(cl, node, rep->str, rep->len, &slot, &to))) {
                break;
            }
            if (kind == 1) {
                c->pinned = 1;
                r->refresh = 1;
            } else {
                c->asking = 1;
            }
            c->node = to;
            c->redirs++;
            cl->redirects++;
            again = 1;
            break;
        }
        case WX_TOPO_ERRCLASS_CLUSTERDOWN:
        case WX_TOPO_ERRCLASS_READONLY:
            /* a failover is running, or the node we took for a master is a
             * replica now: the map is due */
            if (!wx_cluster_time_left(r)) break;
            r->refresh = 1;
            r->pause = again = 1;
            cl->retries++;
            break;
        case WX_TOPO_ERRCLASS_TRYAGAIN:
        case WX_TOPO_ERRCLASS_LOADING:
            if (!wx_cluster_time_left(r)) break;
            r->pause = again = 1;
            cl->retries++;
            break;
        default:
            break;
        }
    }
    if (!again) {
        r->replies[i] = rep;
        c->pending = 0;
        return 0;
    }
    freeReplyObject(rep);
    wx_cluster_followers(r, i);
    return 1;
}

/* A group whose node failed: its commands are sent again when safe. */
static int wx_cluster_lost(wx_cluster_req_t *r, wx_cluster_group_t *g)
{
    wx_client_t *cl = r->cl;
    wx_cluster_t *st = cl->engine_state;
    wx_conn_t *c = st->nodes[g->node].conn;
    size_t s;

    /* credentials refused, a reply of the wrong type, no memory: not a
     * topology matter, no retry */
    if (g->st != WX_CONN_ERR_CONNECT && g->st != WX_CONN_ERR_IO) return wx_client_fail_conn(cl, c);
    if (!wx_cluster_time_left(r)) return wx_client_fail_conn(cl, c);
    for (s = g->off; s < g->off + g->len; s++) {
        long i = r->sub_of[s];
        if (i < 0) continue;
        if (g->sent && !wx_client_cmd_idempotent(&r->cmds[i])) {
            /* it may have run: sending it again could run it twice */
            return wx_client_fail_conn(cl, c);
        }
    }
    for (s = g->off; s < g->off + g->len; s++) {
        if (r->sub_of[s] >= 0) cl->retries++;
    }
    r->refresh = 1;
    r->avoid = g->node;
    r->pause = 1;
    return WX_CONN_OK;
}

/* Everything a round read, taken in the caller's order. */
static int wx_cluster_settle(wx_cluster_req_t *r)
{
    size_t k, s;
    int st;

    for (k = 0; k < r->ng; k++) {
        wx_cluster_group_t *g = &r->g[k];
        if (g->st != WX_CONN_OK) {
            if ((st = wx_cluster_lost(r, g)) != WX_CONN_OK) return st;
            continue;
        }
        for (s = g->off; s < g->off + g->len; s++) {
            redisReply *rep = r->sub_rep[s];
            r->sub_rep[s] = NULL;
            if (r->sub_of[s] < 0) {
                freeReplyObject(rep);     /* ASKING's +OK */
                continue;
            }
            wx_cluster_take(r, (size_t) r->sub_of[s], g->node, rep);
        }
    }
    return WX_CONN_OK;
}

/* Rebuild the map after a round that asked for it, keeping what MOVEDs
 * told us (a node asked may not know yet). */
static int wx_cluster_after(wx_cluster_req_t *r, int64_t *backoff)
{
    wx_client_t *cl = r->cl;
    wx_cluster_t *st = cl->engine_state;
    size_t i;

    if (r->pause) {
        /* leave the round after the pause half the margin at least, for
         * its own round trip */
        int64_t left = r->deadline - wx_client_now() - WX_CLUSTER_MARGIN_NS / 2;
        wx_cluster_sleep(*backoff < left ? *backoff : left);
        *backoff = *backoff * 2 < WX_CLUSTER_BACKOFF_MAX ? *backoff * 2 : WX_CLUSTER_BACKOFF_MAX;
    }
    if (r->refresh && r->refreshes < WX_CLUSTER_MAX_REFRESHES) {
        r->refreshes++;
        /* a failed rebuild keeps the map we have; the next round says more */
        if (wx_cluster_refresh(cl, r->avoid) != WX_CONN_OK && cl->err == WX_CONN_ERR_OOM) return cl->err;
        for (i = 0; i < r->n; i++) {
            if (r->c[i].pending && r->c[i].pinned && r->c[i].keyed) {
                wx_slots_apply_moved(&st->map, r->c[i].slot, st->nodes[r->c[i].node].host,
                                     st->nodes[r->c[i].node].port);
            }
        }
    }
    r->refresh = r->pause = 0;
    r->avoid = -1;
    return WX_CONN_OK;
}

static int wx_cluster_request(wx_client_t *cl, const wx_conn_cmd_t *cmds, size_t n, redisReply **replies)
{
    wx_cluster_req_t r;
    int64_t backoff = WX_CLUSTER_BACKOFF_NS;
    size_t i, rounds = 0, left;
    int st;

    if (n == 0) return WX_CONN_OK;
    if ((st = wx_cluster_ready(cl)) != WX_CONN_OK) return st;
    memset(&r, 0, sizeof(r));
    r.cl = cl;
    r.cmds = cmds;
    r.n = n;
    r.replies = replies;
    r.avoid = -1;
    r.deadline = wx_client_now() + (int64_t) ((cl->opts.node.read_timeout > 0 ? cl->opts.node.read_timeout : 0.001) * 1e9);
    r.c = calloc(n, sizeof(*r.c));
    r.g = calloc(n, sizeof(*r.g));
    r.sub = malloc(2 * n * sizeof(*r.sub));
    r.sub_of = malloc(2 * n * sizeof(*r.sub_of));
    r.sub_rep = calloc(2 * n, sizeof(*r.sub_rep));
    if (!r.c || !r.g || !r.sub || !r.sub_of || !r.sub_rep) {
        st = wx_client_fail(cl, WX_CONN_ERR_OOM, "out of memory routing %zu commands", n);
        goto out;
    }
    for (i = 0; i < n; i++) {
        const char *key;
        size_t klen;
        replies[i] = NULL;
        r.c[i].pending = 1;
        if ((r.c[i].keyed = wx_client_cmd_key(&cmds[i], &key, &klen))) {
            r.c[i].slot = wx_slots_keyslot(key, klen);
        }
    }
    for (left = n; left > 0; ) {
        if (++rounds > WX_CLUSTER_MAX_ROUNDS) {
            st = wx_client_fail(cl, WX_CONN_ERR_IO, "the Redis Cluster kept redirecting %zu commands "
                                "(%zu rounds)", left, rounds - 1);
            goto out;
        }
        if ((st = wx_cluster_route(&r)) != WX_CONN_OK) goto out;
        wx_cluster_group(&r);
        if ((st = wx_cluster_exchange(&r)) != WX_CONN_OK) goto out;
        if ((st = wx_cluster_settle(&r)) != WX_CONN_OK) goto out;
        for (left = 0, i = 0; i < n; i++) left += r.c[i].pending;
        if (left && (st = wx_cluster_after(&r, &backoff)) != WX_CONN_OK) goto out;
    }
    st = WX_CONN_OK;
out:
    if (r.sub_rep) {
        for (i = 0; i < 2 * n; i++) freeReplyObject(r.sub_rep[i]);
    }
    if (st != WX_CONN_OK) {
        for (i = 0; i < n; i++) {
            freeReplyObject(replies[i]);
            replies[i] = NULL;
        }
    }
    free(r.c);
    free(r.g);
    free(r.sub);
    free(r.sub_of);
    free(r.sub_rep);
    return st;
}

/* ------------------------------------------------------------ the engine */

static int wx_cluster_init(wx_client_t *cl)
{
    return wx_cluster_state_init(cl);
}

static void wx_cluster_free(wx_client_t *cl)
{
    wx_cluster_state_free(cl);
}

static int wx_cluster_rediscover(wx_client_t *cl)
{
    return wx_cluster_refresh(cl, -1);
}

static void wx_cluster_close(wx_client_t *cl)
{
    wx_cluster_close_all(cl);
}

const wx_client_engine_t wx_client_engine_cluster = {
    "cluster",
    wx_cluster_init,
    wx_cluster_free,
    wx_cluster_request,
    NULL,                 /* no one connection: commands go where their keys live */
    wx_cluster_masters,
    wx_cluster_rediscover,
    wx_cluster_close,
};
