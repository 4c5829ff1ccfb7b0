/*
 * wx_slots: where a key lives in a Redis Cluster.
 *
 *  - the slot of a key: CRC16 (XMODEM) mod 16384 of its hash tag (the part
 *    between the first '{' and the first '}' after it, when not empty) or of
 *    the whole key, exactly as Redis computes it;
 *  - a slot map built from a CLUSTER SLOTS reply: the nodes (host, port,
 *    node id, master or replica of which) and, for each of the 16384 slots,
 *    the index of its master, so that routing a key is one table read;
 *  - the redirections: "-MOVED <slot> <host>:<port>" (the slot lives there
 *    now: update the map) and "-ASK <slot> <host>:<port>" (this one command
 *    goes there, after ASKING).
 *
 * Plain C, no Zend, no I/O: the glue sends CLUSTER SLOTS and hands the reply
 * here. Not thread-safe; one map per process (or per pool) is the intent.
 */
#ifndef WX_SLOTS_H
#define WX_SLOTS_H

#include <stddef.h>
#include <stdint.h>
#include <hiredis/hiredis.h>

#include "wx_topology.h"

#define WX_SLOTS_COUNT     16384
#define WX_SLOTS_MAX_NODES 4096
#define WX_SLOTS_ID_MAX    41     /* a 40-hex node id and its NUL */

/* CRC16-CCITT (XMODEM: polynomial 0x1021, initial 0, no reflection). */
uint16_t wx_slots_crc16(const char *buf, size_t len);

/* The slot (0..16383) of a key, binary safe. */
unsigned wx_slots_keyslot(const char *key, size_t len);

typedef struct {
    char host[WX_TOPO_HOST_MAX];
    int  port;
    char id[WX_SLOTS_ID_MAX];    /* "" when the reply gives none */
    int  is_master;              /* a master in the last build, or named by a MOVED since
                                  * (not cleared when a MOVED takes its last slot away) */
    int  master;                 /* a replica: index of its master; -1 otherwise */
} wx_slots_node_t;

typedef struct {
    int16_t          slot_node[WX_SLOTS_COUNT];  /* master index per slot, -1 = nobody known */
    wx_slots_node_t *nodes;
    size_t           nnodes;
    size_t           cap;
    size_t           assigned;      /* slots with a master */
    uint64_t         generation;    /* bumped on every change */
} wx_slots_map_t;

void wx_slots_init(wx_slots_map_t *m);
void wx_slots_clear(wx_slots_map_t *m);

/* Replace m with the map a CLUSTER SLOTS reply describes. seed_host is the
 * host the command was sent to: a node listed with an empty (or nil) IP is
 * that host (Redis does so when the node does not know its address, or with
 * cluster-preferred-endpoint-type unknown-endpoint); a node listed as "?"
 * (no hostname announced) is unknown and its slots stay unassigned. On an
 * error m is left as it was. Errors: WX_TOPO_ERR_REPLY_ERROR (the reply is an
 * error: its text in err, e.g. "ERR This instance has cluster support
 * disabled"), WX_TOPO_ERR_REPLY (shape, overlapping ranges, too many
 * nodes), WX_TOPO_ERR_OOM. */
int wx_slots_build(wx_slots_map_t *m, const redisReply *reply, const char *seed_host,
                   char *err, size_t errlen);

/* Index of the master of a slot, or -1. */
static inline int wx_slots_lookup(const wx_slots_map_t *m, unsigned slot)
{
    return slot < WX_SLOTS_COUNT ? m->slot_node[slot] : -1;
}

/* Index of the node host:port, or -1. */
int wx_slots_find(const wx_slots_map_t *m, const char *host, int port);

/* Index of the node host:port, added if new (neither master nor replica
 * until a slot or a MOVED says so); -1 when the map is full or out of memory. */
int wx_slots_node(wx_slots_map_t *m, const char *host, int port);

/* A MOVED: slot now lives on host:port (added if new, marked master).
 * Returns the node index, or -1 (bad slot, full, out of memory). */
int wx_slots_apply_moved(wx_slots_map_t *m, unsigned slot, const char *host, int port);

typedef enum {
    WX_SLOTS_REDIR_MOVED = 1,
    WX_SLOTS_REDIR_ASK   = 2
} wx_slots_redir_kind_t;

typedef struct {
    wx_slots_redir_kind_t kind;
    unsigned              slot;
    wx_topo_hostport_t    to;      /* to.host "" = the node that answered (Redis 7, unknown endpoint) */
} wx_slots_redirect_t;

/* Parses a MOVED or ASK error ("MOVED 3999 127.0.0.1:6381", with or
 * without the leading '-' and a trailing CRLF). 0 on success, -1 when it is
 * not a well-formed redirection. */
int wx_slots_parse_redirect(const char *msg, size_t len, wx_slots_redirect_t *out);

#endif
