/*
 * wx_conn: one synchronous Redis connection (wx_conn.c), where and how to
 * connect (options, DSN, pool key: wx_conn_opts.c) and the table of
 * commands that change connection state (wx_conn_class.c).
 *
 * Plain C: knows nothing of Zend. The PHP glue (ext/php/pool.c) keeps these
 * per process and hands them to WxRedis\Cache.
 *
 * hiredis only connects (name resolution, connect timeout, TCP_NODELAY,
 * keepalive) and owns the descriptor. Writing, reading and parsing are ours
 * (wx_resp.c), so that
 *  - read_timeout is one deadline for the whole call, writes included,
 *    kept with a monotonic clock and poll(); a server dripping bytes cannot
 *    stretch a call;
 *  - a reply is checked against max_reply_bytes from its header, before
 *    anything is buffered;
 *  - a caller can state the reply each command expects (wx_conn_request),
 *    and anything else drops the connection as out of step.
 * After any failure but an error reply the connection is closed; the next
 * call connects again.
 *
 * Why not redisReconnect(): it forgets AUTH, SELECT and (before hiredis
 * 1.1.0) the socket timeouts. We always build a fresh context and replay the
 * whole handshake instead, which behaves the same on hiredis 0.14 and 1.x.
 */
#ifndef WX_CONN_H
#define WX_CONN_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>
#include <hiredis/hiredis.h>

#include "wx_resp.h"

typedef enum {
    WX_CONN_OK            = 0,
    WX_CONN_ERR_DSN       = 1,  /* the DSN or an option is malformed */
    WX_CONN_ERR_CONNECT   = 2,  /* TCP/unix connect failed or timed out */
    WX_CONN_ERR_AUTH      = 3,  /* AUTH was refused */
    WX_CONN_ERR_SELECT    = 4,  /* SELECT was refused */
    WX_CONN_ERR_IO        = 5,  /* read/write failed, timed out or EOF */
    WX_CONN_ERR_PROTOCOL  = 6,  /* the server sent something unparsable */
    WX_CONN_ERR_REPLY     = 7,  /* the server answered with an error reply */
    WX_CONN_ERR_OOM       = 8
} wx_conn_status_t;

/* Where and how to connect. Strings are owned by the struct
 * (wx_conn_opts_clear frees them). */
typedef struct {
    char   *host;            /* NULL for a unix socket */
    int     port;
    char   *unix_path;       /* NULL for TCP */
    char   *username;        /* NULL: AUTH <password> (pre-ACL form) */
    char   *password;        /* NULL: no AUTH */
    long    database;        /* SELECT n when > 0 */
    double  connect_timeout; /* seconds, > 0 */
    double  read_timeout;    /* seconds, > 0: one deadline for a whole call
                                (writes, every read, the handshake after a
                                reconnect) */
    size_t  max_reply_bytes; /* one reply on the wire; 0: 512 MB, Redis's
                                proto-max-bulk-len */
} wx_conn_opts_t;

/* Counters a connection bumps; the owner decides where they live (the PHP
 * glue points every connection of a process at one struct). */
typedef struct {
    uint64_t connects;      /* successful handshakes, first or again */
    uint64_t reconnects;    /* handshakes that replaced a dropped connection */
    uint64_t round_trips;   /* write+read cycles (one per pipeline) */
    uint64_t commands;      /* commands sent */
    uint64_t errors;        /* connection-level failures */
} wx_conn_stats_t;

typedef struct {
    wx_conn_opts_t    opts;
    redisContext     *ctx;         /* owns the socket; its buffers are unused */
    pid_t             pid;         /* process that made ctx (for messages) */
    unsigned long     fork_gen;    /* wx_conn_fork_generation() when ctx was made */
    int               ever_connected;
    wx_conn_stats_t  *stats;       /* never NULL (points at own_stats by default) */
    wx_conn_stats_t   own_stats;
    wx_conn_status_t  err;
    char              errstr[256];
    /* Reserved for the opt-in client-side cache (CLIENT TRACKING): the
     * invalidation channel will be read here before each command. */
    void             *tracking;
    /* our buffers: replies are parsed in place from rbuf */
    char             *rbuf;
    size_t            rcap, rlen, rpos;
    char             *wbuf;
    size_t            wcap;
} wx_conn_t;

/* The reply a command must get (wx_conn_request). An error reply is always
 * accepted at the top: it is the server's answer (-MOVED and -ASK reach
 * the caller as-is). Anything else that does not match is
 * WX_CONN_ERR_PROTOCOL and the connection is dropped: a reply of the wrong
 * type means the replies are out of step with the commands. */
typedef enum {
    WX_EXPECT_ANY = 0,      /* anything (rawCommand, EVAL) */
    WX_EXPECT_OK,           /* +OK: SET, MSET, SELECT, AUTH */
    WX_EXPECT_OK_OR_NIL,    /* +OK or nil: SET NX / SET XX */
    WX_EXPECT_STATUS,       /* any status line: PING, TYPE */
    WX_EXPECT_INTEGER,      /* DEL, UNLINK, EXISTS, EXPIRE, PTTL, INCR */
    WX_EXPECT_BULK,         /* a bulk string, never nil: ECHO */
    WX_EXPECT_BULK_OR_NIL,  /* GET, GETDEL, SET ... GET */
    WX_EXPECT_ARRAY,        /* an array (not nil) of anything; expect_n exact when > 0 */
    WX_EXPECT_BULKS,        /* an array of bulk strings or nils: MGET (set expect_n), KEYS */
    WX_EXPECT_SCAN          /* SCAN/SSCAN/HSCAN: [decimal cursor, array of bulk strings] */
} wx_conn_expect_t;

/* One command as an argv vector (binary safe).
 * expect and expect_n are read by wx_conn_request()/wx_conn_request_visit()
 * only; wx_conn_pipeline() and wx_conn_command() ignore them, so callers
 * that fill the first three fields one by one keep working. */
typedef struct {
    int               argc;
    const char      **argv;
    const size_t     *argvlen;
    wx_conn_expect_t  expect;
    size_t            expect_n;
} wx_conn_cmd_t;

/* Called for every element of every reply, in order (see wx_resp.h): reply
 * is the command's index, e->depth 0 the reply itself. Bytes are valid only
 * during the call. Return non-zero to get no more calls in this exchange
 * (the replies are still read to their end, so the connection stays in
 * step). */
typedef int (*wx_conn_visit_fn)(void *ud, size_t reply, const wx_resp_elem_t *e);

/* What a command does to the connection it runs on. */
typedef enum {
    WX_CMD_PLAIN = 0,       /* leaves the connection as it found it */
    WX_CMD_TRANSACTION,     /* MULTI EXEC DISCARD WATCH UNWATCH */
    WX_CMD_SESSION,         /* changes per-connection state: SELECT, AUTH, HELLO, RESET,
                               READONLY, ASKING, CLIENT REPLY/TRACKING/SETNAME..., QUIT */
    WX_CMD_PUSH,            /* turns it into a stream: (P|S)SUBSCRIBE, MONITOR, SYNC, PSYNC */
    WX_CMD_BLOCKING,        /* blocks it and takes data: BLPOP ..., XREAD(GROUP) BLOCK */
    WX_CMD_SERVER           /* stops or re-roles the server: SHUTDOWN, DEBUG, FAILOVER */
} wx_conn_cmd_class_t;

/* --- options / DSN ------------------------------------------------------ */
void wx_conn_opts_init(wx_conn_opts_t *o);
void wx_conn_opts_clear(wx_conn_opts_t *o);
int  wx_conn_opts_copy(wx_conn_opts_t *dst, const wx_conn_opts_t *src);

/* Parse redis://[[user]:password@]host[:port][/db] or unix:///path/to.sock
 * into o (which must be initialised). Percent-escapes are decoded in user
 * and password. Returns WX_CONN_OK or WX_CONN_ERR_DSN with a message in
 * err (errlen bytes). */
int wx_conn_parse_dsn(wx_conn_opts_t *o, const char *dsn, size_t dsnlen,
                      char *err, size_t errlen);

/* A stable identity string for pooling: two option sets with the same key
 * may share one connection. Returns a malloc'd string or NULL. Built with
 * memcpy and integer formatting (no printf): it runs on every constructor. */
char *wx_conn_opts_key(const wx_conn_opts_t *o);

/* The same key written into buf (cap bytes, NUL-terminated); returns its
 * length, or the length it needs (>= cap) when buf is too small, so the glue
 * can key its pool from a stack buffer without a malloc. */
size_t wx_conn_opts_key_into(const wx_conn_opts_t *o, char *buf, size_t cap);

/* --- connection --------------------------------------------------------- */
wx_conn_t *wx_conn_new(const wx_conn_opts_t *opts, wx_conn_stats_t *stats);
void       wx_conn_free(wx_conn_t *c);

/* Make sure c holds a usable, idle, authenticated connection: connects if
 * needed, and replaces one that is closed by the server, has unread bytes
 * (left over from an aborted exchange, or a stray reply) or was made by
 * another process (after fork(); detected by a pthread_atfork generation
 * counter, no getpid() per call). Costs one poll() when nothing is wrong. */
int wx_conn_ensure(wx_conn_t *c);

/* Drop the socket (the next call reconnects). */
void wx_conn_close(wx_conn_t *c);

/* Send n commands in one write and read the n replies (one round trip),
 * checking each reply against cmds[i].expect.
 * On WX_CONN_OK every replies[i] is set (possibly an error reply; the caller
 * frees each with freeReplyObject). On failure no reply is returned, the
 * connection is closed and c->errstr says why:
 *  WX_CONN_ERR_IO        write/read failed, EOF, or the deadline passed
 *  WX_CONN_ERR_PROTOCOL  not RESP2, a reply over max_reply_bytes (said at
 *                        its header), a reply of the wrong type, or bytes
 *                        after the last reply (a stray reply)
 * plus what wx_conn_ensure() returns when it has to connect. */
int wx_conn_request(wx_conn_t *c, const wx_conn_cmd_t *cmds, size_t n,
                    redisReply **replies);

/* wx_conn_request in two halves, for a caller that writes to several
 * connections before it reads any reply (Redis Cluster: every node's
 * pipeline on the wire at once). deadline is monotonic nanoseconds
 * (CLOCK_MONOTONIC), one for both halves. wx_conn_send connects when
 * needed (wx_conn_ensure: WX_CONN_ERR_CONNECT / _AUTH / _SELECT then mean
 * nothing was sent) and writes; wx_conn_recv reads and checks the n
 * replies to exactly those commands. Between the two, c is owed replies:
 * send nothing else on it. Failures close the connection as
 * wx_conn_request does. */
int wx_conn_send(wx_conn_t *c, const wx_conn_cmd_t *cmds, size_t n, int64_t deadline);
int wx_conn_recv(wx_conn_t *c, const wx_conn_cmd_t *cmds, size_t n, redisReply **replies,
                 int64_t deadline);

/* The same exchange without a reply tree: every element goes to fn as it
 * is parsed, straight from the read buffer (no allocation per element).
 * Expectations are checked before fn sees an element. */
int wx_conn_request_visit(wx_conn_t *c, const wx_conn_cmd_t *cmds, size_t n,
                          wx_conn_visit_fn fn, void *ud);

/* wx_conn_request() with every expect taken as WX_EXPECT_ANY (the fields
 * are not read). Kept for callers not yet stating expectations. */
int wx_conn_pipeline(wx_conn_t *c, const wx_conn_cmd_t *cmds, size_t n,
                     redisReply **replies);

/* One command, one reply, no expectation. An error reply is returned as
 * WX_CONN_ERR_REPLY with the server's message in c->errstr (and no reply). */
int wx_conn_command(wx_conn_t *c, int argc, const char **argv,
                    const size_t *argvlen, redisReply **reply);

/* Read n replies from buf exactly as wx_conn_request would from the socket
 * (same limits, expectations and reply trees), without I/O: for tests,
 * fuzzing and replaying captured traffic. c supplies max_reply_bytes and
 * receives the message; its connection is not touched. A buffer that ends
 * early or goes on after the last reply is WX_CONN_ERR_PROTOCOL. */
int wx_conn_decode(wx_conn_t *c, const char *buf, size_t len, const wx_conn_cmd_t *cmds,
                   size_t n, redisReply **replies);

/* Is this error reply a cluster redirect? Returns 1 for "MOVED slot
 * host:port", 2 for "ASK slot host:port", 0 otherwise. */
int wx_conn_redirect_kind(const char *err, size_t len);

/* Classify a command (argv[0], case-insensitive, with its arguments for
 * CLIENT subcommands and XREAD ... BLOCK). *reason (when not NULL) gets a
 * short sentence saying what the command would do to a shared connection,
 * "" for WX_CMD_PLAIN. */
wx_conn_cmd_class_t wx_conn_command_class(int argc, const char *const *argv,
                                          const size_t *argvlen, const char **reason);

/* Incremented in every child of fork() (pthread_atfork), never in the parent. */
unsigned long wx_conn_fork_generation(void);

const char *wx_conn_status_name(wx_conn_status_t s);

/* hiredis version this was built against, e.g. "0.14.1". */
const char *wx_conn_hiredis_version(void);

#endif
