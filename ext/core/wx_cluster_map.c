/*
 * wx_cluster_map: the Cluster engine's nodes and slot map (wx_cluster.h).
 *
 * Connections are kept by address, not by map index: a rebuilt map lists
 * the same nodes in another order, and a node's socket (and its AUTH) is
 * worth keeping across that.
 */
#include "wx_cluster.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int wx_cluster_add(wx_cluster_t *st, const char *host, int port, const char *unix_path)
{
    wx_cluster_node_t *n;
    size_t hl = host ? strlen(host) : 0;

    /* bounded as the map is: redirects name the nodes, and a confused or
     * hostile node could name new ones forever */
    if (hl >= WX_TOPO_HOST_MAX || st->nnodes >= WX_SLOTS_MAX_NODES) return -1;
    if (st->nnodes == st->cap) {
        size_t nc = st->cap ? st->cap * 2 : 8;
        wx_cluster_node_t *nn = realloc(st->nodes, nc * sizeof(*nn));
        if (!nn) return -1;
        st->nodes = nn;
        st->cap = nc;
    }
    n = &st->nodes[st->nnodes];
    memset(n, 0, sizeof(*n));
    if (hl) memcpy(n->host, host, hl + 1);
    n->port = port;
    if (unix_path && !(n->unix_path = strdup(unix_path))) return -1;
    return (int) st->nnodes++;
}

int wx_cluster_node_by_addr(wx_client_t *cl, const char *host, int port)
{
    wx_cluster_t *st = cl->engine_state;
    size_t i;
    for (i = 0; i < st->nnodes; i++) {
        if (!st->nodes[i].unix_path && st->nodes[i].port == port && strcmp(st->nodes[i].host, host) == 0) {
            return (int) i;
        }
    }
    return wx_cluster_add(st, host, port, NULL);
}

const char *wx_cluster_where(const wx_cluster_t *st, int node, char *buf, size_t cap)
{
    const wx_cluster_node_t *n = &st->nodes[node];
    if (n->unix_path) {
        snprintf(buf, cap, "unix:%s", n->unix_path);
    } else if (strchr(n->host, ':')) {
        snprintf(buf, cap, "[%s]:%d", n->host, n->port);
    } else {
        snprintf(buf, cap, "%s:%d", n->host, n->port);
    }
    return buf;
}

wx_conn_t *wx_cluster_conn(wx_client_t *cl, int node)
{
    wx_cluster_t *st = cl->engine_state;
    wx_cluster_node_t *n = &st->nodes[node];
    wx_conn_opts_t o;

    if (n->conn) return n->conn;
    /* the data nodes' credentials and timeouts, this node's address;
     * a cluster has only database 0 (the DSN parser refuses others) */
    if (wx_conn_opts_copy(&o, &cl->opts.node) != WX_CONN_OK) goto oom;
    free(o.host);
    free(o.unix_path);
    o.host = NULL;
    o.unix_path = NULL;
    o.port = n->port;
    o.database = 0;
    if (n->unix_path ? !(o.unix_path = strdup(n->unix_path)) : !(o.host = strdup(n->host))) {
        wx_conn_opts_clear(&o);
        goto oom;
    }
    n->conn = wx_conn_new(&o, cl->stats);
    wx_conn_opts_clear(&o);
    if (n->conn) return n->conn;
oom:
    wx_client_fail(cl, WX_CONN_ERR_OOM, "out of memory making a connection to a cluster node");
    return NULL;
}

/* Map index -> nodes index, rebuilt after the map changed. */
static int wx_cluster_conn_of(wx_client_t *cl)
{
    wx_cluster_t *st = cl->engine_state;
    size_t i;

    if (st->conn_of_ok && st->conn_gen == st->map.generation) return 0;
    if (st->map.nnodes > st->conn_of_cap) {
        int *nc = realloc(st->conn_of, st->map.nnodes * sizeof(*nc));
        if (!nc) return -1;
        st->conn_of = nc;
        st->conn_of_cap = st->map.nnodes;
    }
    for (i = 0; i < st->map.nnodes; i++) {
        st->conn_of[i] = wx_cluster_node_by_addr(cl, st->map.nodes[i].host, st->map.nodes[i].port);
        if (st->conn_of[i] < 0) return -1;
    }
    st->conn_gen = st->map.generation;
    st->conn_of_ok = 1;
    return 0;
}

int wx_cluster_slot_node(wx_client_t *cl, unsigned slot)
{
    wx_cluster_t *st = cl->engine_state;
    int m = wx_slots_lookup(&st->map, slot);
    if (m < 0 || wx_cluster_conn_of(cl) != 0) return -1;
    return st->conn_of[m];
}

int wx_cluster_first_master(wx_client_t *cl)
{
    wx_cluster_t *st = cl->engine_state;
    unsigned s;
    for (s = 0; s < WX_SLOTS_COUNT; s++) {
        if (st->map.slot_node[s] >= 0) return wx_cluster_slot_node(cl, s);
    }
    return -1;
}

/* Append "; what" to the refresh report (cut at errstr's size). */
static void wx_cluster_note(char *buf, size_t cap, size_t *len, const char *where, const char *what)
{
    int k;
    if (*len >= cap - 1) return;
    k = snprintf(buf + *len, cap - *len, "%s%s: %s", *len ? "; " : "", where, what);
    if (k > 0) *len += (size_t) k < cap - *len ? (size_t) k : cap - *len - 1;
}

/* CLUSTER SLOTS on one node into the map: WX_CONN_OK, or why not in why. */
static int wx_cluster_ask_slots(wx_client_t *cl, int node, char *why, size_t whycap, wx_conn_status_t *fail)
{
    static const char *argv[2] = { "CLUSTER", "SLOTS" };
    static const size_t lens[2] = { 7, 5 };
    wx_cluster_t *st = cl->engine_state;
    wx_conn_cmd_t cmd = { 2, argv, lens, WX_EXPECT_ARRAY, 0 };
    wx_conn_t *c = wx_cluster_conn(cl, node);
    redisReply *r = NULL;
    int rc;

    if (!c) {
        *fail = WX_CONN_ERR_OOM;
        snprintf(why, whycap, "out of memory");
        return WX_CONN_ERR_OOM;
    }
    if (wx_conn_request(c, &cmd, 1, &r) != WX_CONN_OK) {
        *fail = c->err;
        snprintf(why, whycap, "%s", c->errstr);
        return c->err;
    }
    rc = wx_slots_build(&st->map, r, st->nodes[node].unix_path ? NULL : st->nodes[node].host, why, whycap);
    freeReplyObject(r);
    if (rc != WX_TOPO_OK) {
        *fail = rc == WX_TOPO_ERR_OOM ? WX_CONN_ERR_OOM : WX_CONN_ERR_REPLY;
        return *fail;
    }
    if (st->map.assigned == 0) {
        /* a node not (yet) in a cluster lists no slots: ask another */
        wx_slots_clear(&st->map);
        st->have_map = 0;
        *fail = WX_CONN_ERR_REPLY;
        snprintf(why, whycap, "CLUSTER SLOTS lists no slot (not part of a formed cluster)");
        return WX_CONN_ERR_REPLY;
    }
    st->have_map = 1;
    st->conn_of_ok = 0;
    cl->map_refreshes++;
    return WX_CONN_OK;
}

int wx_cluster_refresh(wx_client_t *cl, int avoid)
{
    wx_cluster_t *st = cl->engine_state;
    char report[sizeof(cl->errstr)], why[300], where[300];
    size_t len = 0, i, pass, ncand = 0, nseed = cl->opts.nseeds;
    int *cand, same = 1;
    wx_conn_status_t fail = WX_CONN_OK, first = WX_CONN_OK;

    /* candidates: masters of the map we have, its other nodes, the seeds
     * (nodes 0..nseed-1), each once, `avoid` last */
    if (wx_cluster_conn_of(cl) != 0 || !(cand = malloc((st->nnodes + st->map.nnodes + 1) * sizeof(*cand)))) {
        return wx_client_fail(cl, WX_CONN_ERR_OOM, "out of memory refreshing the cluster slot map");
    }
    for (pass = 0; pass < 3; pass++) {
        size_t lim = pass < 2 ? st->map.nnodes : nseed;
        for (i = 0; i < lim; i++) {
            int node = pass < 2 ? st->conn_of[i] : (int) i;
            size_t j;
            if (pass < 2 && st->map.nodes[i].is_master != (pass == 0)) continue;
            for (j = 0; j < ncand && cand[j] != node; j++) { }
            if (j == ncand && node != avoid) cand[ncand++] = node;
        }
    }
    if (avoid >= 0) cand[ncand++] = avoid;
    report[0] = '\0';
    for (i = 0; i < ncand; i++) {
        if (wx_cluster_ask_slots(cl, cand[i], why, sizeof(why), &fail) == WX_CONN_OK) {
            free(cand);
            return WX_CONN_OK;
        }
        if (fail == WX_CONN_ERR_OOM) {
            free(cand);
            return wx_client_fail(cl, WX_CONN_ERR_OOM, "out of memory reading the cluster slot map");
        }
        if (i == 0) first = fail;
        if (fail != first) same = 0;
        wx_cluster_note(report, sizeof(report), &len, wx_cluster_where(st, cand[i], where, sizeof(where)), why);
    }
    free(cand);
    /* every node refused our credentials: say so as AUTH; anything else
     * (down, not a cluster, mixed) is a connect failure */
    return wx_client_fail(cl, ncand && same && first == WX_CONN_ERR_AUTH ? WX_CONN_ERR_AUTH : WX_CONN_ERR_CONNECT,
                          "no node of the Redis Cluster gave its slot map (CLUSTER SLOTS): %s",
                          ncand ? report : "no seed given");
}

int wx_cluster_redirect(wx_client_t *cl, int node, const char *msg, size_t len, unsigned *slot, int *to)
{
    wx_cluster_t *st = cl->engine_state;
    wx_slots_redirect_t rd;
    char host[WX_TOPO_HOST_MAX];

    if (wx_slots_parse_redirect(msg, len, &rd) != 0) return 0;
    /* "-MOVED 42 :7001": the host of the node that answered (copied:
     * adding a node may move st->nodes) */
    memcpy(host, rd.to.host[0] ? rd.to.host : st->nodes[node].host, WX_TOPO_HOST_MAX);
    if (!host[0] || (*to = wx_cluster_node_by_addr(cl, host, rd.to.port)) < 0) return 0;
    if (rd.kind == WX_SLOTS_REDIR_MOVED && wx_slots_apply_moved(&st->map, rd.slot, host, rd.to.port) < 0) {
        return 0;
    }
    *slot = rd.slot;
    return rd.kind == WX_SLOTS_REDIR_MOVED ? 1 : 2;
}

int wx_cluster_masters(wx_client_t *cl, wx_conn_t **out, size_t cap, size_t *n)
{
    wx_cluster_t *st;
    unsigned char *seen;
    int again = 0, st_rc;
    unsigned s;

    if ((st_rc = wx_cluster_ready(cl)) != WX_CONN_OK) return st_rc;
    st = cl->engine_state;
retry:
    *n = 0;
    if (!(seen = calloc(st->map.nnodes ? st->map.nnodes : 1, 1))) {
        return wx_client_fail(cl, WX_CONN_ERR_OOM, "out of memory listing the cluster's masters");
    }
    /* in the order of their first slot, so that callers see a stable list */
    for (s = 0; s < WX_SLOTS_COUNT; s++) {
        int m = st->map.slot_node[s], node;
        wx_conn_t *c;
        if (m < 0 || seen[m]) continue;
        seen[m] = 1;
        if ((node = wx_cluster_slot_node(cl, s)) < 0 || !(c = wx_cluster_conn(cl, node))) {
            free(seen);
            return wx_client_fail(cl, WX_CONN_ERR_OOM, "out of memory listing the cluster's masters");
        }
        if (wx_conn_ensure(c) != WX_CONN_OK) {
            free(seen);
            /* a master that went away: the map may be stale, once */
            if (!again++ && wx_cluster_refresh(cl, node) == WX_CONN_OK) goto retry;
            return wx_client_fail_conn(cl, c);
        }
        if (*n < cap) out[*n] = c;
        (*n)++;
    }
    free(seen);
    return WX_CONN_OK;
}

int wx_cluster_state_init(wx_client_t *cl)
{
    wx_cluster_t *st = calloc(1, sizeof(*st));
    size_t i;

    if (!st) return WX_CONN_ERR_OOM;
    wx_slots_init(&st->map);
    cl->engine_state = st;
    /* the seeds are nodes 0..nseeds-1 (wx_cluster_refresh relies on it) */
    for (i = 0; i < cl->opts.nseeds; i++) {
        const wx_topo_addr_t *a = &cl->opts.seeds[i];
        if (wx_cluster_add(st, a->unix_path ? "" : a->host, a->port, a->unix_path) < 0) {
            wx_cluster_state_free(cl);
            return WX_CONN_ERR_OOM;
        }
    }
    return WX_CONN_OK;
}

void wx_cluster_close_all(wx_client_t *cl)
{
    wx_cluster_t *st = cl->engine_state;
    size_t i;
    for (i = 0; i < st->nnodes; i++) {
        if (st->nodes[i].conn) wx_conn_close(st->nodes[i].conn);
    }
}

void wx_cluster_state_free(wx_client_t *cl)
{
    wx_cluster_t *st = cl->engine_state;
    size_t i;
    if (!st) return;
    for (i = 0; i < st->nnodes; i++) {
        wx_conn_free(st->nodes[i].conn);
        free(st->nodes[i].unix_path);
    }
    free(st->nodes);
    free(st->conn_of);
    wx_slots_clear(&st->map);
    free(st);
    cl->engine_state = NULL;
}
