/*
 * wx_client: the client struct, its options and pool key, the engine
 * dispatch, and the command tables routing relies on (first key,
 * idempotence). See wx_client.h.
 */
#include "wx_client.h"
#include "wx_text.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* ------------------------------------------------------------------ opts */

void wx_client_opts_init(wx_client_opts_t *o)
{
    memset(o, 0, sizeof(*o));
    o->mode = WX_TOPO_SINGLE;
    wx_conn_opts_init(&o->node);
}

void wx_client_opts_clear(wx_client_opts_t *o)
{
    size_t i;
    wx_conn_opts_clear(&o->node);
    for (i = 0; i < o->nseeds; i++) {
        free(o->seeds[i].host);
        free(o->seeds[i].unix_path);
    }
    free(o->seeds);
    free(o->service);
    free(o->sentinel_username);
    free(o->sentinel_password);
    memset(o, 0, sizeof(*o));
    wx_conn_opts_init(&o->node);
}

static int wx_client_dup(char **dst, const char *src)
{
    *dst = NULL;
    if (!src) return 0;
    *dst = strdup(src);
    return *dst ? 0 : -1;
}

int wx_client_opts_add_seed(wx_client_opts_t *o, const char *host, int port, const char *unix_path)
{
    wx_topo_addr_t *n = realloc(o->seeds, (o->nseeds + 1) * sizeof(*n));
    if (!n) return WX_CONN_ERR_OOM;
    o->seeds = n;
    n = &o->seeds[o->nseeds];
    n->port = port;
    if (wx_client_dup(&n->host, host) || wx_client_dup(&n->unix_path, unix_path)) {
        free(n->host);
        return WX_CONN_ERR_OOM;
    }
    o->nseeds++;
    return WX_CONN_OK;
}

int wx_client_opts_copy(wx_client_opts_t *dst, const wx_client_opts_t *src)
{
    size_t i;
    wx_client_opts_init(dst);
    dst->mode = src->mode;
    if (wx_conn_opts_copy(&dst->node, &src->node) != WX_CONN_OK) goto oom;
    for (i = 0; i < src->nseeds; i++) {
        if (wx_client_opts_add_seed(dst, src->seeds[i].host, src->seeds[i].port,
                                    src->seeds[i].unix_path) != WX_CONN_OK) goto oom;
    }
    if (wx_client_dup(&dst->service, src->service) ||
        wx_client_dup(&dst->sentinel_username, src->sentinel_username) ||
        wx_client_dup(&dst->sentinel_password, src->sentinel_password)) goto oom;
    return WX_CONN_OK;
oom:
    wx_client_opts_clear(dst);
    return WX_CONN_ERR_OOM;
}

/* Length-prefixed pieces, so that no byte inside a string can fake
 * another key. */
typedef struct {
    char  *buf;
    size_t len, cap;
    int    oom;
} wx_client_kb_t;

static void wx_client_kb_put(wx_client_kb_t *b, const char *s, size_t n)
{
    if (b->oom) return;
    if (b->len + n + 1 > b->cap) {
        size_t ncap = (b->len + n + 1) * 2;
        char *nb = realloc(b->buf, ncap);
        if (!nb) { b->oom = 1; return; }
        b->buf = nb;
        b->cap = ncap;
    }
    memcpy(b->buf + b->len, s, n);
    b->len += n;
    b->buf[b->len] = '\0';
}

static void wx_client_kb_str(wx_client_kb_t *b, const char *s)
{
    char num[24];
    size_t n = s ? strlen(s) : 0;
    int k = snprintf(num, sizeof(num), s ? "%zu:" : "-:", n);
    wx_client_kb_put(b, num, (size_t) k);
    if (s) wx_client_kb_put(b, s, n);
}

char *wx_client_opts_key(const wx_client_opts_t *o)
{
    wx_client_kb_t b = { NULL, 0, 0, 0 };
    char *node, num[24];
    size_t i;

    if (o->mode == WX_TOPO_SINGLE) {
        /* the same key as before there were engines: nothing to add */
        return wx_conn_opts_key(&o->node);
    }
    if (!(node = wx_conn_opts_key(&o->node))) return NULL;
    wx_client_kb_put(&b, o->mode == WX_TOPO_SENTINEL ? "sentinel|" : "cluster|", o->mode == WX_TOPO_SENTINEL ? 9 : 8);
    wx_client_kb_str(&b, node);
    free(node);
    wx_client_kb_str(&b, o->service);
    wx_client_kb_str(&b, o->sentinel_username);
    wx_client_kb_str(&b, o->sentinel_password);
    for (i = 0; i < o->nseeds; i++) {
        wx_client_kb_str(&b, o->seeds[i].host);
        wx_client_kb_str(&b, o->seeds[i].unix_path);
        snprintf(num, sizeof(num), "%d|", o->seeds[i].port);
        wx_client_kb_put(&b, num, strlen(num));
    }
    if (b.oom) {
        free(b.buf);
        return NULL;
    }
    return b.buf;
}

/* ---------------------------------------------------------------- client */

wx_client_t *wx_client_new(const wx_client_opts_t *opts, wx_conn_stats_t *stats)
{
    wx_client_t *cl = calloc(1, sizeof(*cl));
    if (!cl) return NULL;
    if (wx_client_opts_copy(&cl->opts, opts) != WX_CONN_OK) {
        free(cl);
        return NULL;
    }
    cl->stats = stats;
    switch (opts->mode) {
    case WX_TOPO_SENTINEL: cl->engine = &wx_client_engine_sentinel; break;
    case WX_TOPO_CLUSTER:  cl->engine = &wx_client_engine_cluster; break;
    default:               cl->engine = &wx_client_engine_single; break;
    }
    if (cl->engine->init(cl) != WX_CONN_OK) {
        wx_client_opts_clear(&cl->opts);
        free(cl);
        return NULL;
    }
    return cl;
}

void wx_client_free(wx_client_t *cl)
{
    if (!cl) return;
    cl->engine->free(cl);
    wx_client_opts_clear(&cl->opts);
    free(cl);
}

wx_conn_t *wx_client_conn(wx_client_t *cl)
{
    return cl->engine->conn ? cl->engine->conn(cl) : NULL;
}

int wx_client_masters(wx_client_t *cl, wx_conn_t **out, size_t cap, size_t *n)
{
    return cl->engine->masters(cl, out, cap, n);
}

int wx_client_rediscover(wx_client_t *cl)
{
    return cl->engine->rediscover(cl);
}

void wx_client_close(wx_client_t *cl)
{
    cl->engine->close(cl);
}

int wx_client_fail(wx_client_t *cl, wx_conn_status_t st, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(cl->errstr, sizeof(cl->errstr), fmt, ap);
    va_end(ap);
    cl->err = st;
    return st;
}

int wx_client_fail_conn(wx_client_t *cl, const wx_conn_t *c)
{
    cl->err = c->err;
    snprintf(cl->errstr, sizeof(cl->errstr), "%s", c->errstr);
    return cl->err;
}

int64_t wx_client_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t) ts.tv_sec * 1000000000 + ts.tv_nsec;
}

/* -------------------------------------------------------- command tables */

/* Where the first key of a command is, for the commands whose first key is
 * not argv[1] or that take none. Everything not listed has its first key
 * at argv[1] when it has an argument (GET, SET, DEL, HGET, EXPIRE, ...). */
typedef enum {
    WX_KEYPOS_FIRST = 0,  /* argv[1] */
    WX_KEYPOS_NONE,       /* no key */
    WX_KEYPOS_SECOND,     /* argv[2]: BITOP op dest, OBJECT sub key, MEMORY USAGE key */
    WX_KEYPOS_EVAL,       /* EVAL script numkeys key...: argv[3] when numkeys > 0 */
    WX_KEYPOS_STREAMS     /* XREAD/XREADGROUP ... STREAMS key...: after STREAMS */
} wx_client_keypos_t;

typedef struct {
    const char        *name;
    size_t             len;     /* compared first: most names differ in length */
    wx_client_keypos_t pos;
} wx_client_keyrule_t;

#define WX_KR(name, pos) { name, sizeof(name) - 1, pos }

static const wx_client_keyrule_t wx_client_keyrules[] = {
    WX_KR("PING", WX_KEYPOS_NONE), WX_KR("ECHO", WX_KEYPOS_NONE), WX_KR("INFO", WX_KEYPOS_NONE),
    WX_KR("SCAN", WX_KEYPOS_NONE), WX_KR("DBSIZE", WX_KEYPOS_NONE), WX_KR("WAIT", WX_KEYPOS_NONE),
    WX_KR("WAITAOF", WX_KEYPOS_NONE), WX_KR("TIME", WX_KEYPOS_NONE), WX_KR("ROLE", WX_KEYPOS_NONE),
    WX_KR("CONFIG", WX_KEYPOS_NONE), WX_KR("CLIENT", WX_KEYPOS_NONE), WX_KR("CLUSTER", WX_KEYPOS_NONE),
    WX_KR("COMMAND", WX_KEYPOS_NONE), WX_KR("FLUSHDB", WX_KEYPOS_NONE), WX_KR("FLUSHALL", WX_KEYPOS_NONE),
    WX_KR("KEYS", WX_KEYPOS_NONE), WX_KR("RANDOMKEY", WX_KEYPOS_NONE), WX_KR("SCRIPT", WX_KEYPOS_NONE),
    WX_KR("FUNCTION", WX_KEYPOS_NONE), WX_KR("LASTSAVE", WX_KEYPOS_NONE), WX_KR("MEMORY", WX_KEYPOS_NONE),
    WX_KR("SLOWLOG", WX_KEYPOS_NONE), WX_KR("LATENCY", WX_KEYPOS_NONE), WX_KR("ACL", WX_KEYPOS_NONE),
    WX_KR("PUBLISH", WX_KEYPOS_NONE), WX_KR("PUBSUB", WX_KEYPOS_NONE), WX_KR("SWAPDB", WX_KEYPOS_NONE),
    WX_KR("SAVE", WX_KEYPOS_NONE), WX_KR("BGSAVE", WX_KEYPOS_NONE), WX_KR("BGREWRITEAOF", WX_KEYPOS_NONE),
    WX_KR("LOLWUT", WX_KEYPOS_NONE), WX_KR("MODULE", WX_KEYPOS_NONE), WX_KR("READONLY", WX_KEYPOS_NONE),
    WX_KR("READWRITE", WX_KEYPOS_NONE), WX_KR("ASKING", WX_KEYPOS_NONE), WX_KR("SENTINEL", WX_KEYPOS_NONE),
    WX_KR("BITOP", WX_KEYPOS_SECOND), WX_KR("OBJECT", WX_KEYPOS_SECOND),
    WX_KR("EVAL", WX_KEYPOS_EVAL), WX_KR("EVALSHA", WX_KEYPOS_EVAL), WX_KR("EVAL_RO", WX_KEYPOS_EVAL),
    WX_KR("EVALSHA_RO", WX_KEYPOS_EVAL), WX_KR("FCALL", WX_KEYPOS_EVAL), WX_KR("FCALL_RO", WX_KEYPOS_EVAL),
    WX_KR("XREAD", WX_KEYPOS_STREAMS), WX_KR("XREADGROUP", WX_KEYPOS_STREAMS),
};

static int wx_client_is(const wx_conn_cmd_t *cmd, int i, const char *upper)
{
    return i < cmd->argc && wx_text_caseless_eq((const unsigned char *) cmd->argv[i], cmd->argvlen[i], upper);
}

int wx_client_cmd_key(const wx_conn_cmd_t *cmd, const char **key, size_t *len)
{
    /* the first letters the table has (built once): GET, HSET, UNLINK...
     * need no scan at all; this runs for every command of a batch */
    static uint32_t letters;
    wx_client_keypos_t pos = WX_KEYPOS_FIRST;
    unsigned first;
    size_t i;
    int at = 1;

    if (cmd->argc < 1) return 0;
    first = cmd->argvlen[0] ? ((unsigned) (unsigned char) cmd->argv[0][0] | 0x20) - 'a' : 26;
    if (!letters) {
        for (i = 0; i < sizeof(wx_client_keyrules) / sizeof(wx_client_keyrules[0]); i++) {
            letters |= 1u << (wx_client_keyrules[i].name[0] - 'A');
        }
    }
    for (i = 0; first < 26 && (letters & (1u << first)) &&
                i < sizeof(wx_client_keyrules) / sizeof(wx_client_keyrules[0]); i++) {
        if (wx_client_keyrules[i].len == cmd->argvlen[0] && wx_client_is(cmd, 0, wx_client_keyrules[i].name)) {
            pos = wx_client_keyrules[i].pos;
            break;
        }
    }
    switch (pos) {
    case WX_KEYPOS_NONE:
        /* MEMORY USAGE key is the one MEMORY subcommand with a key */
        if (wx_client_is(cmd, 0, "MEMORY") && wx_client_is(cmd, 1, "USAGE")) {
            at = 2;
            break;
        }
        return 0;
    case WX_KEYPOS_SECOND:
        at = 2;
        break;
    case WX_KEYPOS_EVAL: {
        long nk;
        if (cmd->argc < 4 || wx_text_parse_uint(cmd->argv[2], cmd->argvlen[2], 1000000, &nk) != 0 || nk < 1) {
            return 0;
        }
        at = 3;
        break;
    }
    case WX_KEYPOS_STREAMS:
        for (at = 1; at < cmd->argc; at++) {
            if (wx_client_is(cmd, at, "STREAMS")) break;
        }
        at++;
        break;
    case WX_KEYPOS_FIRST:
        break;
    }
    if (at >= cmd->argc) return 0;
    *key = cmd->argv[at];
    *len = cmd->argvlen[at];
    return 1;
}

/* Commands that may run twice with the same effect as once. */
static const char *const wx_client_idempotent[] = {
    "GET", "MGET", "STRLEN", "EXISTS", "TTL", "PTTL", "TYPE", "DEL", "UNLINK",
    "EXPIRE", "PEXPIRE", "EXPIREAT", "PEXPIREAT", "PERSIST", "MSET", "HGET", "HMGET",
    "HGETALL", "HSET", "HDEL", "HEXISTS", "HLEN", "HKEYS", "HVALS", "SADD", "SREM",
    "SISMEMBER", "SMEMBERS", "SCARD", "ZADD", "ZREM", "ZSCORE", "ZCARD", "ZCOUNT",
    "ZRANGE", "ZRANGEBYSCORE", "SCAN", "SSCAN", "HSCAN", "ZSCAN", "PING", "ECHO",
    "INFO", "DBSIZE", "ROLE", "TIME", "WAIT", "OBJECT", "MEMORY", "CONFIG",
};

int wx_client_cmd_idempotent(const wx_conn_cmd_t *cmd)
{
    size_t i;
    int k;

    if (cmd->argc < 1) return 0;
    if (wx_client_is(cmd, 0, "SET")) {
        /* SET k v [EX n | PX n | KEEPTTL]: absolute; NX/XX/GET depend on
         * what was there, which a first attempt may have changed */
        for (k = 3; k < cmd->argc; k++) {
            if (wx_client_is(cmd, k, "NX") || wx_client_is(cmd, k, "XX") || wx_client_is(cmd, k, "GET")) {
                return 0;
            }
        }
        return 1;
    }
    if (wx_client_is(cmd, 0, "ZADD")) {
        for (k = 2; k < cmd->argc; k++) {
            if (wx_client_is(cmd, k, "INCR")) return 0;
        }
        return 1;
    }
    for (i = 0; i < sizeof(wx_client_idempotent) / sizeof(wx_client_idempotent[0]); i++) {
        if (wx_client_is(cmd, 0, wx_client_idempotent[i])) return 1;
    }
    return 0;
}
