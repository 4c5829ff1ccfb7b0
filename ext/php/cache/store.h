/*
 * The C API of a WxRedis\Cache object, for the cache's own files and for
 * other classes (WxRedis\OpenPlatform) that keep their data through a
 * cache: same connection, same prefix, same wire format, same counters.
 *
 * As in php-src's ext/random, the object struct is public (zend_object std
 * last, wx_cache_from_obj() to get it back). Everything that talks to
 * Redis goes through wx_store_pipeline(), the one command path: it maps
 * connection failures and error replies to CacheException and counts them
 * in stats()['errors'], once, for every caller.
 *
 * Failure convention (exceptions.h): FAILURE, or NULL for pointers, with
 * an exception pending.
 */
#ifndef WX_PHP_CACHE_STORE_H
#define WX_PHP_CACHE_STORE_H

#include <stddef.h>

#include "php.h"
#include "core/wx_conn.h"
#include "core/wx_client.h"
#include "php/codec.h"
#include "php/cache/errors.h"

/* ------------------------------------------------------------ the object */

extern zend_class_entry *wx_ce_CacheBase;

typedef struct _wx_cache_obj {
    wx_client_t *client;      /* NULL until the constructor ran; single node,
                               * Sentinel or Cluster (core/wx_client.h) */
    bool         owns_client; /* false when it belongs to the process pool */
    bool         no_unlink;   /* server predates UNLINK: clear() uses DEL */
    zend_string *prefix;      /* never NULL once constructed ("" = none) */
    wx_codec_t   codec;
    struct wx_logger *logger; /* setLogger() (php/log.h); NULL: none */
    zend_object  std;
} wx_cache_obj_t;

static zend_always_inline wx_cache_obj_t *wx_cache_from_obj(zend_object *obj)
{
    return (wx_cache_obj_t *) ((char *) obj - offsetof(wx_cache_obj_t, std));
}

/* The cache behind a WxRedis\Cache zval. NULL with a TypeError when zv is
 * not one, or an Error when its constructor did not run. */
wx_cache_obj_t *wx_store_fetch(zval *zv);

/* The Redis key of a name: prefix + name. The one place a key is built;
 * names outside the prefix (OpenPlatform's refresh tokens) are not keys
 * of the cache and do not come here. */
static zend_always_inline zend_string *wx_store_key(const wx_cache_obj_t *c, const char *name, size_t len)
{
    return zend_string_concat2(ZSTR_VAL(c->prefix), ZSTR_LEN(c->prefix), name, len);
}

/* ------------------------------------------------------- argv builder */

/* One Redis command as an argv vector, built argument by argument. Small
 * commands (SET k v EX n, EVAL script 1 k a b c) live in the struct;
 * batches (MGET/DEL of N keys, every SET of a pipeline) grow on the heap.
 * Arguments are borrowed (they must outlive the command) except those
 * given by wx_argv_add_long() and wx_argv_add_owned(), which the builder
 * keeps until wx_argv_free(). The struct points into itself: use it where
 * it was initialised, do not copy it. */
#define WX_ARGV_INLINE 8   /* arguments without an allocation */
#define WX_ARGV_NUMS   2   /* numbers formatted without an allocation */

typedef struct {
    const char  **argv;
    size_t       *lens;
    uint32_t      argc;
    uint32_t      cap;
    uint32_t      nnums;
    uint32_t      nowned;
    wx_conn_expect_t expect;  /* the reply the command must get (ANY by default) */
    size_t        expect_n;
    zend_string **owned;      /* strings to release in wx_argv_free */
    const char   *argv_inline[WX_ARGV_INLINE];
    size_t        lens_inline[WX_ARGV_INLINE];
    char          nums[WX_ARGV_NUMS][MAX_LENGTH_OF_LONG + 1];
} wx_argv_t;

void wx_argv_grow(wx_argv_t *a, uint32_t more);

static zend_always_inline void wx_argv_init(wx_argv_t *a)
{
    a->argv = a->argv_inline;
    a->lens = a->lens_inline;
    a->argc = 0;
    a->cap = WX_ARGV_INLINE;
    a->nnums = 0;
    a->nowned = 0;
    a->expect = WX_EXPECT_ANY;
    a->expect_n = 0;
    a->owned = NULL;
}

/* The reply type the command must get (wx_conn_expect_t): anything else is
 * ERROR_PROTOCOL and the connection is dropped. */
static zend_always_inline void wx_argv_expect(wx_argv_t *a, wx_conn_expect_t e, size_t n)
{
    a->expect = e;
    a->expect_n = n;
}

/* Room for `more` further arguments in one allocation (batches). */
static zend_always_inline void wx_argv_reserve(wx_argv_t *a, uint32_t more)
{
    if (UNEXPECTED(a->cap - a->argc < more)) {
        wx_argv_grow(a, more);
    }
}

static zend_always_inline void wx_argv_add(wx_argv_t *a, const char *s, size_t len)
{
    wx_argv_reserve(a, 1);
    a->argv[a->argc] = s;
    a->lens[a->argc] = len;
    a->argc++;
}

static zend_always_inline void wx_argv_add_cstr(wx_argv_t *a, const char *s)
{
    wx_argv_add(a, s, strlen(s));
}

static zend_always_inline void wx_argv_add_zstr(wx_argv_t *a, const zend_string *s)
{
    wx_argv_add(a, ZSTR_VAL(s), ZSTR_LEN(s));
}

/* n in decimal (EX seconds, PX milliseconds), kept by the builder. */
void wx_argv_add_long(wx_argv_t *a, zend_long n);
/* s, which the builder releases in wx_argv_free (takes the reference). */
void wx_argv_add_owned(wx_argv_t *a, zend_string *s);
/* Every string of a packed array (borrowed), e.g. the keys of MGET/DEL. */
void wx_argv_add_strings(wx_argv_t *a, HashTable *strings);

void wx_argv_release(wx_argv_t *a);

/* Frees what the builder allocated (nothing for a small command). */
static zend_always_inline void wx_argv_free(wx_argv_t *a)
{
    if (UNEXPECTED(a->argv != a->argv_inline || a->owned != NULL)) {
        wx_argv_release(a);
    }
}

/* The command as wx_conn sends it; a slice for one command of a pipeline
 * built in one builder (valid until the builder grows or is freed). */
static zend_always_inline wx_conn_cmd_t wx_argv_cmd(const wx_argv_t *a)
{
    wx_conn_cmd_t cmd = { (int) a->argc, a->argv, a->lens, a->expect, a->expect_n };
    return cmd;
}

static zend_always_inline wx_conn_cmd_t wx_argv_slice(const wx_argv_t *a, uint32_t from, uint32_t n)
{
    wx_conn_cmd_t cmd = { (int) n, a->argv + from, a->lens + from, WX_EXPECT_ANY, 0 };
    ZEND_ASSERT(from + n <= a->argc);
    return cmd;
}

/* ------------------------------------------------ the one command path */

/* wx_store_pipeline flag: hand error replies back to the caller (who
 * checks each) instead of throwing the first one. */
#define WX_STORE_KEEP_ERRORS 0x1u

/* n commands in one round trip on the cache's connection, each reply
 * checked against cmds[i].expect (wx_conn_request): a reply of another
 * type throws CacheException ERROR_PROTOCOL and drops the connection. A connection
 * failure throws CacheException with the wx_conn code (ERROR_CONNECT,
 * ERROR_IO, ...); an error reply throws CacheException ERROR_REPLY
 * ("Redis GET failed: ...") unless WX_STORE_KEEP_ERRORS. Both count in
 * stats()['errors']. On FAILURE no reply is left; on SUCCESS the caller
 * frees each with freeReplyObject(). */
zend_result wx_store_pipeline(wx_cache_obj_t *c, const wx_conn_cmd_t *cmds, size_t n,
                              redisReply **replies, unsigned flags);

/* The same on one node of the deployment (a master from wx_store_masters),
 * for what runs per node: SCAN, DBSIZE. Not routed, not split. */
zend_result wx_store_pipeline_at(wx_cache_obj_t *c, wx_conn_t *node, const wx_conn_cmd_t *cmds, size_t n,
                                 redisReply **replies, unsigned flags);

/* Every master, connected (one on a single node or Sentinel), as an
 * emalloc'd array of *n the caller efrees; NULL with CacheException. */
wx_conn_t **wx_store_masters(wx_cache_obj_t *c, size_t *n);

/* One command: its reply (never an error reply), or NULL. */
static zend_always_inline redisReply *wx_store_command(wx_cache_obj_t *c, const wx_argv_t *a)
{
    wx_conn_cmd_t cmd = wx_argv_cmd(a);
    redisReply *r;
    return wx_store_pipeline(c, &cmd, 1, &r, 0) == SUCCESS ? r : NULL;
}

/* The same for CMD rk, a command on one key (GET, EXISTS, DEL, TTL...)
 * whose reply must be of type `expect`. */
static zend_always_inline redisReply *wx_store_key_request(wx_cache_obj_t *c, const char *cmd, zend_string *rk,
                                                          wx_conn_expect_t expect)
{
    wx_argv_t a;
    redisReply *r;

    wx_argv_init(&a);
    wx_argv_add_cstr(&a, cmd);
    wx_argv_add_zstr(&a, rk);
    wx_argv_expect(&a, expect, 0);
    r = wx_store_command(c, &a);
    wx_argv_free(&a);
    return r;
}

/* The same with any reply accepted (kept for callers stating none). */
static zend_always_inline redisReply *wx_store_key_command(wx_cache_obj_t *c, const char *cmd, zend_string *rk)
{
    return wx_store_key_request(c, cmd, rk, WX_EXPECT_ANY);
}

/* CMD k1 k2 ...: a command on the Redis keys of a packed array of strings
 * (MGET, DEL, UNLINK, EXISTS of several keys), reply checked against
 * expect/expect_n. */
redisReply *wx_store_keys_request(wx_cache_obj_t *c, const char *cmd, HashTable *rkeys,
                                  wx_conn_expect_t expect, size_t expect_n);
redisReply *wx_store_keys_command(wx_cache_obj_t *c, const char *cmd, HashTable *rkeys);

/* Throw an error reply to cmd as CacheException ERROR_REPLY, counted: for
 * callers that took it with WX_STORE_KEEP_ERRORS and found it fatal. */
ZEND_COLD void wx_store_throw_reply(const wx_conn_cmd_t *cmd, const redisReply *r);

/* ---------------------------------------------- values in the wire format */

/* A GET reply decoded into out: UNDEF when the key is missing (nil or not
 * a string). Counts a hit or a miss; FAILURE, counted as an error, when
 * the bytes are not ours (the CacheException names rk). For GETs sent in
 * a pipeline of your own. */
zend_result wx_store_decode(wx_cache_obj_t *c, zend_string *rk, const redisReply *r, zval *out);

/* GET rk and decode it (wx_store_decode). */
zend_result wx_store_get(wx_cache_obj_t *c, zend_string *rk, zval *out);

/* MGET of the Redis keys of a packed array of strings, in one round trip,
 * each value decoded and appended to `values` in order; a missing key
 * appends a copy of def (NULL: null). Counts hits and misses. On FAILURE
 * `values` may hold the values decoded before the failure. */
zend_result wx_store_get_many(wx_cache_obj_t *c, HashTable *rkeys, zval *def, HashTable *values);

/* The same over a ready command: argv[0] "MGET", then n Redis keys
 * (argv[i + 1] names value i in messages). The reply is read without a
 * reply tree, values decoded as they arrive. */
zend_result wx_store_get_argv(wx_cache_obj_t *c, uint32_t n, const char **argv, const size_t *lens,
                              zval *def, HashTable *values);

/* SET rk to value's wire bytes, with EX ttl when ttl > 0 (else no
 * expiry). A serialization error names `shown` (NULL: rk). *stored (may
 * be NULL) is whether the server answered OK. Counts a write. */
zend_result wx_store_set(wx_cache_obj_t *c, zend_string *rk, zval *value, zend_long ttl,
                         zend_string *shown, bool *stored);

/* SET of every (Redis key => value) of values in one round trip, all
 * encoded before anything is sent. *stored: whether every SET answered OK
 * (error replies count as not stored). Counts the writes. */
zend_result wx_store_set_many(wx_cache_obj_t *c, HashTable *values, zend_long ttl, bool *stored);

/* DEL rk; DEL of the Redis keys of a packed array of strings (one round
 * trip, nothing sent when empty). Count the keys as deletes. */
zend_result wx_store_del(wx_cache_obj_t *c, zend_string *rk);
zend_result wx_store_del_many(wx_cache_obj_t *c, HashTable *rkeys);
/* DEL over a ready command: argv[0] "DEL" (or "UNLINK"), then n Redis keys. */
zend_result wx_store_del_argv(wx_cache_obj_t *c, uint32_t n, const char **argv, const size_t *lens);

#endif
