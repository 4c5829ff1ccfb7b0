/*
 * wx_cluster: the Redis Cluster engine's state, shared by its two files:
 *   wx_cluster_map.c  the nodes (one persistent wx_conn_t each, kept by
 *                     address across map rebuilds), the slot map from
 *                     CLUSTER SLOTS through any node or seed, the masters;
 *   wx_cluster.c      a request: commands grouped by node, every node's
 *                     pipeline written before any reply is read, then
 *                     MOVED / ASK / TRYAGAIN / CLUSTERDOWN / a lost node
 *                     handled until the call's deadline.
 * Internal to the engine; callers use wx_client.h.
 */
#ifndef WX_CLUSTER_H
#define WX_CLUSTER_H

#include "wx_client.h"
#include "wx_slots.h"

/* One node we may talk to: a seed or a node a map or a redirect named. */
typedef struct {
    char       host[WX_TOPO_HOST_MAX];   /* "" for a unix-socket seed */
    int        port;
    char      *unix_path;                /* seeds only; NULL for TCP */
    wx_conn_t *conn;                     /* made on first use */
} wx_cluster_node_t;

typedef struct {
    wx_slots_map_t     map;
    int                have_map;
    wx_cluster_node_t *nodes;
    size_t             nnodes, cap;
    /* map node index -> nodes index, valid for map.generation == conn_gen */
    int               *conn_of;
    size_t             conn_of_cap;
    uint64_t           conn_gen;
    int                conn_of_ok;
} wx_cluster_t;

/* nodes index of host:port (TCP), added if new; -1 when out of memory. */
int wx_cluster_node_by_addr(wx_client_t *cl, const char *host, int port);

/* The node's connection, made on first use; NULL (cl->err set) on OOM. */
wx_conn_t *wx_cluster_conn(wx_client_t *cl, int node);

/* "host:port" (or "unix:path") of a node, for messages. */
const char *wx_cluster_where(const wx_cluster_t *st, int node, char *buf, size_t cap);

/* Build the map anew: CLUSTER SLOTS to the masters we know (but `avoid`,
 * -1 for none), then to the other nodes, then to the seeds, the first
 * answer wins. On failure cl->err says what each one said. */
int wx_cluster_refresh(wx_client_t *cl, int avoid);

/* Build the map when there is none yet. */
static inline int wx_cluster_ready(wx_client_t *cl)
{
    wx_cluster_t *st = cl->engine_state;
    return st->have_map ? WX_CONN_OK : wx_cluster_refresh(cl, -1);
}

/* nodes index of the master of a slot, -1 when the map names nobody. */
int wx_cluster_slot_node(wx_client_t *cl, unsigned slot);

/* nodes index of the first master (the owner of the lowest served slot),
 * -1 when none. */
int wx_cluster_first_master(wx_client_t *cl);

/* An error reply to a command sent to `node`: 1 for a MOVED (the map
 * updated), 2 for an ASK, *to the target's nodes index and *slot the slot;
 * 0 when it is no redirect or an unusable one (malformed, a unix-socket
 * node answering ":port", the node table full). Outside bytes: fuzzed
 * (tests/fuzz/fuzz_cluster.c). */
int wx_cluster_redirect(wx_client_t *cl, int node, const char *msg, size_t len, unsigned *slot, int *to);

/* The engine's masters() and the state's life. */
int  wx_cluster_masters(wx_client_t *cl, wx_conn_t **out, size_t cap, size_t *n);
int  wx_cluster_state_init(wx_client_t *cl);
void wx_cluster_state_free(wx_client_t *cl);
void wx_cluster_close_all(wx_client_t *cl);

#endif
