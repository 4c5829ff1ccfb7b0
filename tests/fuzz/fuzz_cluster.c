/* libFuzzer: the Cluster engine's redirects (wx_cluster_redirect), the part
 * of wx_cluster that turns a node's -MOVED / -ASK text into a node-table
 * entry and a slot-map change. No I/O: a client is made (nothing is sent)
 * and fed the input as lines of error text, each "sent" by a node the line's
 * first byte picks. After each line the engine's invariants must hold:
 * a redirect names a node in the table with a host, a MOVED's slot routes to
 * that node, the table never passes WX_SLOTS_MAX_NODES, and every node's
 * address prints. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "wx_cluster.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    wx_client_opts_t o;
    wx_client_t *cl;
    wx_cluster_t *st;
    size_t pos = 0;

    wx_client_opts_init(&o);
    o.mode = WX_TOPO_CLUSTER;
    wx_client_opts_add_seed(&o, "127.0.0.1", 7000, NULL);
    wx_client_opts_add_seed(&o, NULL, 0, "/tmp/cluster.sock");   /* a unix seed: no host */
    wx_client_opts_add_seed(&o, "::1", 7002, NULL);
    cl = wx_client_new(&o, NULL);
    wx_client_opts_clear(&o);
    if (!cl) return 0;
    st = cl->engine_state;

    while (pos < size) {
        const uint8_t *nl = memchr(data + pos, '\n', size - pos);
        size_t end = nl ? (size_t) (nl - data) : size, len;
        int node, to = -1, kind;
        unsigned slot = 0;
        char where[300];

        if (end == pos) { pos++; continue; }
        node = (int) (data[pos] % st->nnodes);
        len = end - pos - 1;
        kind = wx_cluster_redirect(cl, node, (const char *) data + pos + 1, len, &slot, &to);
        if (kind < 0 || kind > 2) __builtin_trap();
        if (kind) {
            if (to < 0 || (size_t) to >= st->nnodes || !st->nodes[to].host[0] || slot >= WX_SLOTS_COUNT) {
                __builtin_trap();
            }
            if (kind == 1 && wx_cluster_slot_node(cl, slot) != to) __builtin_trap();
        }
        if (st->nnodes > WX_SLOTS_MAX_NODES) __builtin_trap();
        wx_cluster_where(st, node, where, sizeof(where));
        if (!where[0]) __builtin_trap();
        pos = end + 1;
    }
    wx_client_free(cl);
    return 0;
}
