/*
 * wx_client: a Redis deployment as one command path, whatever its shape.
 *
 * The cache (and everything above it) sends commands to a wx_client_t; an
 * engine decides where each goes:
 *   single    one node (wx_client_single.c): a wx_conn_t, nothing more;
 *   sentinel  the master a group of sentinels names (wx_sentinel.c): found
 *             by asking the sentinels in turn and confirmed with ROLE,
 *             followed across failovers;
 *   cluster   Redis Cluster (wx_cluster.c): the slot map from CLUSTER SLOTS,
 *             one connection per node, MOVED / ASK / TRYAGAIN / CLUSTERDOWN.
 * As in php-src's ext/random, the engine is a small vtable and the client
 * struct is public; engines keep their own state behind `engine_state`.
 *
 * Routing (cluster): a command goes to the node of its first key
 * (wx_client_cmd_key). A command without a key (WAIT, PING, SCAN, ...)
 * follows the command before it in the same request, so "SET k v" + "WAIT 1
 * 100" reach the same master; a request that starts keyless goes to the
 * first master. Multi-key commands must have all their keys in one slot
 * (Redis answers -CROSSSLOT otherwise): callers split batches per key.
 *
 * Replies: as wx_conn_request (one redisReply per command, in the caller's
 * order, error replies included). Redirections and topology errors
 * (MOVED, ASK, TRYAGAIN, CLUSTERDOWN, READONLY, LOADING) are handled inside
 * the engine and reach the caller only when they could not be resolved
 * before the call's deadline (read_timeout, one for the whole call, retries
 * included).
 *
 * Plain C, no Zend. Not thread-safe: one client per process (the PHP glue
 * pools them like connections).
 */
#ifndef WX_CLIENT_H
#define WX_CLIENT_H

#include <stddef.h>
#include <stdint.h>
#include <hiredis/hiredis.h>

#include "wx_conn.h"
#include "wx_topology.h"

/* What the client connects to. Strings are owned (wx_client_opts_clear). */
typedef struct {
    wx_topo_mode_t   mode;
    /* The data nodes' options: credentials, database, timeouts, reply
     * limit. In single mode also host/port/unix_path; in the other modes
     * the engine fills those in per node. */
    wx_conn_opts_t   node;
    /* sentinel: the sentinels; cluster: the seeds. In DSN order. */
    wx_topo_addr_t  *seeds;
    size_t           nseeds;
    char            *service;            /* sentinel: the master's name */
    char            *sentinel_username;  /* NULL: AUTH <password> */
    char            *sentinel_password;  /* NULL: sentinels without AUTH */
} wx_client_opts_t;

void wx_client_opts_init(wx_client_opts_t *o);
void wx_client_opts_clear(wx_client_opts_t *o);
int  wx_client_opts_copy(wx_client_opts_t *dst, const wx_client_opts_t *src);
/* Add a seed (host NULL for a unix socket path). WX_CONN_OK or _OOM. */
int  wx_client_opts_add_seed(wx_client_opts_t *o, const char *host, int port, const char *unix_path);

/* A stable identity string for pooling (malloc'd; NULL on OOM): two option
 * sets with the same key may share one client. */
char *wx_client_opts_key(const wx_client_opts_t *o);

typedef struct wx_client wx_client_t;

/* An engine. Every function but `name` is required unless said otherwise.
 * Each returns a wx_conn_status_t and, on failure, leaves the reason in
 * cl->err / cl->errstr (no reply is returned then). */
typedef struct {
    const char *name;                   /* "single", "sentinel", "cluster" */
    /* Set up engine_state; nothing is sent. */
    int  (*init)(wx_client_t *cl);
    void (*free)(wx_client_t *cl);
    /* n commands, routed (see the top), each reply checked against its
     * cmds[i].expect as wx_conn_request does. */
    int  (*request)(wx_client_t *cl, const wx_conn_cmd_t *cmds, size_t n, redisReply **replies);
    /* Optional (NULL: not offered): the connection every command would go
     * to right now, ready to use (connected, the master confirmed), for
     * callers that read replies without a tree (wx_conn_request_visit).
     * NULL with cl->err set when it cannot be had; cluster has none. */
    wx_conn_t *(*conn)(wx_client_t *cl);
    /* The masters, connected: up to cap into out, *n set to how many
     * there are (may exceed cap). For commands that run per node: SCAN in
     * clear() and the doctor, DBSIZE, INFO, CONFIG GET. */
    int  (*masters)(wx_client_t *cl, wx_conn_t **out, size_t cap, size_t *n);
    /* Forget what is known of the topology and find it again now (after
     * a WAIT that too few replicas acknowledged: the master may have been
     * demoted). */
    int  (*rediscover)(wx_client_t *cl);
    /* Drop every socket (the next call reconnects). */
    void (*close)(wx_client_t *cl);
} wx_client_engine_t;

extern const wx_client_engine_t wx_client_engine_single;
extern const wx_client_engine_t wx_client_engine_sentinel;
extern const wx_client_engine_t wx_client_engine_cluster;

struct wx_client {
    const wx_client_engine_t *engine;
    wx_client_opts_t          opts;
    wx_conn_stats_t          *stats;     /* shared by every connection of the client */
    void                     *engine_state;
    wx_conn_status_t          err;
    char                      errstr[1024];
    /* Topology events since the client was made (for stats() and tests). */
    uint64_t                  failovers;     /* a new master found (sentinel) */
    uint64_t                  redirects;     /* MOVED and ASK followed (cluster) */
    uint64_t                  map_refreshes; /* slot map (re)built (cluster) */
    uint64_t                  retries;       /* commands sent again (READONLY, LOADING, reset...) */
};

/* A client for opts (copied). NULL only when memory ran out. Nothing is sent. */
wx_client_t *wx_client_new(const wx_client_opts_t *opts, wx_conn_stats_t *stats);
void         wx_client_free(wx_client_t *cl);

static inline int wx_client_request(wx_client_t *cl, const wx_conn_cmd_t *cmds, size_t n,
                                    redisReply **replies)
{
    return cl->engine->request(cl, cmds, n, replies);
}

/* wx_client_request, with MGET/DEL/UNLINK/EXISTS/TOUCH of keys in several
 * slots sent key by key on a cluster and answered as one command
 * (wx_client_split.c). The same as wx_client_request elsewhere. */
int wx_client_request_split(wx_client_t *cl, const wx_conn_cmd_t *cmds, size_t n, redisReply **replies);

/* The one connection, or NULL (cluster, or cl->err says why). */
wx_conn_t *wx_client_conn(wx_client_t *cl);
int  wx_client_masters(wx_client_t *cl, wx_conn_t **out, size_t cap, size_t *n);
int  wx_client_rediscover(wx_client_t *cl);
void wx_client_close(wx_client_t *cl);

/* The first key of a command, by the command table Redis documents
 * (GET k, SET k v, MGET k ..., EVAL script numkeys k ..., XREAD ... STREAMS
 * k ..., OBJECT ENCODING k, ...). 1 with key and len set, 0 when the command
 * takes no key (PING, INFO, SCAN, WAIT, EVAL with 0 keys...). */
int wx_client_cmd_key(const wx_conn_cmd_t *cmd, const char **key, size_t *len);

/* May a command be sent again when it is not known whether the first
 * attempt ran (a connection reset after the write)? 1 for reads and for
 * writes that set an absolute state (GET, MGET, SET k v [EX n] without
 * NX/XX/GET, DEL, UNLINK, EXPIRE, PEXPIRE, EXISTS, TTL, PTTL, SCAN, PING,
 * ...), 0 otherwise (INCR, EVAL, SET NX, LPUSH, ...). A command refused
 * with -READONLY, -LOADING, -MOVED, -ASK, -TRYAGAIN or -CLUSTERDOWN did
 * not run and may always be sent again. */
int wx_client_cmd_idempotent(const wx_conn_cmd_t *cmd);

/* Helpers for engines. */
int wx_client_fail(wx_client_t *cl, wx_conn_status_t st, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* Copy a connection's failure into the client; returns its status. */
int wx_client_fail_conn(wx_client_t *cl, const wx_conn_t *c);
/* Monotonic nanoseconds. */
int64_t wx_client_now(void);

#endif
