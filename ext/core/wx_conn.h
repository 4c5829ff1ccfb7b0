/*
 * wx_conn: one synchronous Redis connection over hiredis, plus DSN parsing.
 *
 * Plain C: knows nothing of Zend. The PHP glue (ext/php/pool.c) keeps these
 * per process and hands them to WxRedis\Cache.
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
    double  read_timeout;    /* seconds, > 0; also bounds writes */
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
    redisContext     *ctx;
    pid_t             pid;         /* process that made ctx; a forked child drops it */
    int               ever_connected;
    wx_conn_stats_t  *stats;       /* never NULL (points at own_stats by default) */
    wx_conn_stats_t   own_stats;
    wx_conn_status_t  err;
    char              errstr[256];
    /* Reserved for the opt-in client-side cache (CLIENT TRACKING): the
     * invalidation channel will be read here before each command. */
    void             *tracking;
} wx_conn_t;

/* One command as an argv vector (binary safe). */
typedef struct {
    int           argc;
    const char  **argv;
    const size_t *argvlen;
} wx_conn_cmd_t;

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
 * may share one connection. Returns a malloc'd string or NULL. */
char *wx_conn_opts_key(const wx_conn_opts_t *o);

/* --- connection --------------------------------------------------------- */
wx_conn_t *wx_conn_new(const wx_conn_opts_t *opts, wx_conn_stats_t *stats);
void       wx_conn_free(wx_conn_t *c);

/* Make sure c holds a usable, idle, authenticated connection: connects if
 * needed, and replaces one that is closed by the server, has unread bytes
 * (left over from an aborted exchange) or was made by another process
 * (after fork()). Costs one poll() when nothing is wrong. */
int wx_conn_ensure(wx_conn_t *c);

/* Drop the socket (the next call reconnects). */
void wx_conn_close(wx_conn_t *c);

/* Send n commands in one write and read the n replies (one round trip).
 * On WX_CONN_OK every replies[i] is set (possibly an error reply; the caller
 * frees each with freeReplyObject). On failure no reply is returned, the
 * connection is closed and c->errstr says why. */
int wx_conn_pipeline(wx_conn_t *c, const wx_conn_cmd_t *cmds, size_t n,
                     redisReply **replies);

/* One command, one reply. An error reply is returned as WX_CONN_ERR_REPLY
 * with the server's message in c->errstr (and no reply). */
int wx_conn_command(wx_conn_t *c, int argc, const char **argv,
                    const size_t *argvlen, redisReply **reply);

const char *wx_conn_status_name(wx_conn_status_t s);

/* hiredis version this was built against, e.g. "0.14.1". */
const char *wx_conn_hiredis_version(void);

#endif
