/*
 * wx_topology: what a Redis deployment looks like and where its master is.
 *
 *  - Multi-host DSNs as Symfony's RedisAdapter::createConnection() reads them:
 *      redis:?host[10.0.0.1:26379]&host[10.0.0.2:26379]&redis_sentinel=mymaster
 *      redis:?host[10.0.0.1:7000]&host[10.0.0.2:7000]&redis_cluster=1
 *      redis://user:pass@?host[...]&dbindex=3      redis:?host[/run/redis.sock:]&auth=pw
 *    into a list of hosts, a mode (single, sentinel with its service name,
 *    cluster) and credentials.
 *  - Sentinel and replication replies: SENTINEL get-master-addr-by-name,
 *    ROLE, the +switch-master message, and what an error reply means for where
 *    the next command should go (READONLY, LOADING, MOVED, ...).
 *
 * Plain C, no Zend, no I/O. The Cluster side (CRC16 slots, the slot map,
 * MOVED/ASK) is wx_slots.
 *
 * Which parser gets a DSN: wx_topo_dsn_wants() says yes for every "redis:" /
 * "rediss:" string that is not a plain single-node URL, i.e.
 *   - no "//" after the scheme ("redis:?host[...]", "redis:u:p@?host[...]"),
 *   - "//" followed by "?" or containing "@?" ("redis://?host[...]",
 *     "redis://u:p@?host[...]"),
 *   - a "?" after the last "@" ("redis://h:6379?dbindex=2&timeout=3").
 * Everything else ("redis://[[u]:p@]host[:port][/db]", "unix:///path") stays
 * with wx_conn_parse_dsn(), which is unchanged; so does a single-host DSN
 * whose password holds a raw "?" ("redis://:pa?ss@h").
 */
#ifndef WX_TOPOLOGY_H
#define WX_TOPOLOGY_H

#include <stddef.h>
#include <hiredis/hiredis.h>

typedef enum {
    WX_TOPO_OK               = 0,
    WX_TOPO_ERR_SCHEME       = 1,  /* not redis: / rediss:, or TLS (rediss:) unsupported */
    WX_TOPO_ERR_SYNTAX       = 2,  /* white space, NUL, raw '#', bad %-escape, no query */
    WX_TOPO_ERR_HOST         = 3,  /* a host is malformed: name, port, socket path */
    WX_TOPO_ERR_NO_HOST      = 4,  /* no host at all */
    WX_TOPO_ERR_DBINDEX      = 5,  /* not a number, path and query disagree, not 0 on a cluster */
    WX_TOPO_ERR_MODE         = 6,  /* cluster and sentinel, several hosts without either, empty name */
    WX_TOPO_ERR_PARAM        = 7,  /* a known parameter with a bad value or given twice */
    WX_TOPO_ERR_LIMIT        = 8,  /* too long, too many hosts */
    WX_TOPO_ERR_REPLY        = 9,  /* a server reply of an unexpected shape */
    WX_TOPO_ERR_REPLY_ERROR  = 10, /* the server answered an error reply (text in err) */
    WX_TOPO_ERR_UNKNOWN_NAME = 11, /* sentinel: no master of that name (nil reply) */
    WX_TOPO_ERR_OTHER_NAME   = 12, /* +switch-master for another service */
    WX_TOPO_ERR_OOM          = 13
} wx_topo_status_t;

const char *wx_topo_status_name(wx_topo_status_t s);

#define WX_TOPO_MAX_DSN     65536
#define WX_TOPO_MAX_HOSTS   1024
#define WX_TOPO_HOST_MAX    256    /* bytes of a host name, with its NUL */
#define WX_TOPO_UNIX_MAX    108    /* sizeof(sockaddr_un.sun_path) on Linux */

/* --- DSN ----------------------------------------------------------------- */

typedef enum {
    WX_TOPO_SINGLE   = 0,   /* one node */
    WX_TOPO_SENTINEL = 1,   /* the hosts are sentinels; service names the master */
    WX_TOPO_CLUSTER  = 2    /* the hosts are seeds of a Redis Cluster */
} wx_topo_mode_t;

typedef struct {
    char *host;         /* NULL for a unix socket */
    int   port;         /* 6379 when the DSN gives none; 0 for a socket */
    char *unix_path;    /* NULL for TCP */
} wx_topo_addr_t;

/* A query parameter the parser does not interpret (timeout, read_timeout,
 * persistent, ...), %-decoded as PHP's parse_str() does, in DSN order. */
typedef struct {
    char *key;
    char *value;
} wx_topo_param_t;

/* Strings are owned by the struct (wx_topo_dsn_clear frees them). */
typedef struct {
    wx_topo_mode_t   mode;
    wx_topo_addr_t  *hosts;          /* in DSN order, duplicates dropped */
    size_t           nhosts;
    char            *service;        /* sentinel service name (redis_sentinel / sentinel_master) */
    /* Data-node credentials: the DSN's userinfo, else the auth parameter.
     * username NULL = AUTH <password>; password NULL = no AUTH. A userinfo
     * user of "" or "default" means AUTH <password>, as Symfony reads it. */
    char            *username;
    char            *password;
    /* Sentinel credentials: in sentinel mode the auth parameter (Symfony
     * sends it to the sentinels); NULL otherwise. The glue's
     * sentinel_username / sentinel_password options take precedence. */
    char            *sentinel_username;
    char            *sentinel_password;
    long             dbindex;        /* 0 unless given */
    wx_topo_param_t *params;
    size_t           nparams;
} wx_topo_dsn_t;

void wx_topo_dsn_init(wx_topo_dsn_t *d);
void wx_topo_dsn_clear(wx_topo_dsn_t *d);

/* 1 when dsn is for wx_topo_parse_dsn (see the top of this file), 0 when it
 * is for wx_conn_parse_dsn. */
int wx_topo_dsn_wants(const char *dsn, size_t len);

/* Parse dsn into d (initialised; replaced on success, cleared on failure).
 * Returns WX_TOPO_OK or an error code with a message in err. The message
 * never repeats a password. */
int wx_topo_parse_dsn(wx_topo_dsn_t *d, const char *dsn, size_t len,
                      char *err, size_t errlen);

/* The value of an uninterpreted parameter, or NULL. */
const char *wx_topo_dsn_param(const wx_topo_dsn_t *d, const char *key);

/* --- Sentinel and replication replies ------------------------------------- */

typedef struct {
    char host[WX_TOPO_HOST_MAX];
    int  port;
} wx_topo_hostport_t;

/* SENTINEL get-master-addr-by-name: a two-element array [ip, port].
 * WX_TOPO_ERR_UNKNOWN_NAME for the nil reply (the sentinel does not know the
 * name), WX_TOPO_ERR_REPLY_ERROR for an error reply (NOAUTH, ...: its text
 * in err), WX_TOPO_ERR_REPLY for anything else. */
int wx_topo_parse_master_addr(const redisReply *r, wx_topo_hostport_t *out,
                              char *err, size_t errlen);

typedef enum {
    WX_TOPO_ROLE_MASTER   = 1,
    WX_TOPO_ROLE_REPLICA  = 2,
    WX_TOPO_ROLE_SENTINEL = 3
} wx_topo_role_kind_t;

/* A replica's link to its master, as ROLE reports it. */
typedef enum {
    WX_TOPO_LINK_UNKNOWN    = 0,
    WX_TOPO_LINK_NONE       = 1,
    WX_TOPO_LINK_CONNECT    = 2,
    WX_TOPO_LINK_CONNECTING = 3,
    WX_TOPO_LINK_HANDSHAKE  = 4,
    WX_TOPO_LINK_SYNC       = 5,
    WX_TOPO_LINK_CONNECTED  = 6
} wx_topo_link_t;

#define WX_TOPO_ROLE_MAX_REPLICAS 16

typedef struct {
    wx_topo_role_kind_t role;
    long long           offset;      /* master: its offset; replica: what it processed (-1: none) */
    /* replica */
    wx_topo_hostport_t  master;
    wx_topo_link_t      link;
    /* master: connected replicas (the first WX_TOPO_ROLE_MAX_REPLICAS kept) */
    size_t              nreplicas;
    wx_topo_hostport_t  replicas[WX_TOPO_ROLE_MAX_REPLICAS];
    long long           replica_offsets[WX_TOPO_ROLE_MAX_REPLICAS];
} wx_topo_role_t;

/* ROLE. Error replies are WX_TOPO_ERR_REPLY_ERROR (text in err). */
int wx_topo_parse_role(const redisReply *r, wx_topo_role_t *out,
                       char *err, size_t errlen);

/* The payload of a "+switch-master" message:
 *   "<name> <old-ip> <old-port> <new-ip> <new-port>".
 * WX_TOPO_ERR_OTHER_NAME when it is about another service than name
 * (old/new are still filled in), WX_TOPO_ERR_REPLY when malformed. */
int wx_topo_parse_switch_master(const char *payload, size_t len, const char *name,
                                wx_topo_hostport_t *old_master,
                                wx_topo_hostport_t *new_master);

/* --- error replies ---------------------------------------------------------- */

/* What an error reply means for where the next command should go. */
typedef enum {
    WX_TOPO_ERRCLASS_OTHER       = 0,  /* the command's own error: no retry elsewhere */
    WX_TOPO_ERRCLASS_MOVED       = 1,  /* cluster: the slot lives elsewhere now */
    WX_TOPO_ERRCLASS_ASK         = 2,  /* cluster: this one command goes elsewhere, after ASKING */
    WX_TOPO_ERRCLASS_TRYAGAIN    = 3,  /* cluster: multi-key command during a migration */
    WX_TOPO_ERRCLASS_CLUSTERDOWN = 4,  /* cluster: not serving (failover running) */
    WX_TOPO_ERRCLASS_CROSSSLOT   = 5,  /* cluster: keys in several slots (a caller bug) */
    WX_TOPO_ERRCLASS_READONLY    = 6,  /* a replica, maybe a demoted master: find the master */
    WX_TOPO_ERRCLASS_LOADING     = 7,  /* loading its data set: find the master / wait */
    WX_TOPO_ERRCLASS_MASTERDOWN  = 8,  /* replica with replica-serve-stale-data no */
    WX_TOPO_ERRCLASS_NOREPLICAS  = 9,  /* min-replicas-to-write not met */
    WX_TOPO_ERRCLASS_NOAUTH      = 10, /* NOAUTH / WRONGPASS: credentials */
    WX_TOPO_ERRCLASS_BUSY        = 11  /* a script is running */
} wx_topo_errclass_t;

/* Classifies an error reply by its first word (with or without the '-'). */
wx_topo_errclass_t wx_topo_error_class(const char *msg, size_t len);

const char *wx_topo_errclass_name(wx_topo_errclass_t c);

/* Parses "host:port" (also "[v6]:port"; the last ':' splits otherwise; an
 * empty host is allowed when allow_empty_host, e.g. MOVED ":7001" meaning
 * the node that was asked). 0 on success, -1 when malformed. */
int wx_topo_parse_hostport(const char *s, size_t len, int allow_empty_host,
                           wx_topo_hostport_t *out);

#endif
