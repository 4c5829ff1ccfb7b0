/*
 * wxredis: WeChat Open Platform credentials in Redis.
 * Shared declarations of the Zend glue (ext/wxredis.c and the files in ext/php).
 */
#ifndef PHP_WXREDIS_H
#define PHP_WXREDIS_H

#ifdef HAVE_CONFIG_H
# include "config.h"
#endif

#include "php.h"
#include "core/wx_conn.h"
#include "php/exceptions.h"
#include "php/bridge.h"

#define PHP_WXREDIS_VERSION "0.1.0"

extern zend_module_entry wxredis_module_entry;
#define phpext_wxredis_ptr &wxredis_module_entry

/* Per-process counters, reported by WxRedis\Cache::stats(). */
typedef struct {
    zend_long hits;
    zend_long misses;
    zend_long writes;
    zend_long deletes;
    zend_long errors;       /* exceptions thrown by cache operations */
    zend_long format_errors;
} wx_cache_stats_t;

ZEND_BEGIN_MODULE_GLOBALS(wxredis)
    HashTable        pool;        /* persistent connections: opts key -> wx_conn_t* */
    wx_conn_stats_t  conn_stats;  /* shared by every connection of the process */
    wx_cache_stats_t cache_stats;
ZEND_END_MODULE_GLOBALS(wxredis)

ZEND_EXTERN_MODULE_GLOBALS(wxredis)
#define WXREDIS_G(v) ZEND_MODULE_GLOBALS_ACCESSOR(wxredis, v)

extern zend_class_entry *wx_ce_CacheBase;

/* Registration, one per PHP class file, called from MINIT. */
void wx_cache_register(void);
void wx_message_crypt_register(void);
void wx_format_register(void);
void wx_message_crypt_shutdown(void);     /* from MSHUTDOWN */
void wx_open_platform_register(void);

/* pool.c: per-process persistent connections. */
void       wx_pool_init(HashTable *pool);
void       wx_pool_destroy(HashTable *pool);
/* A connection for opts: from the pool when persistent (shared, owned by
 * the pool), else a new one the caller frees with wx_conn_free. NULL only
 * on out-of-memory. */
wx_conn_t *wx_pool_acquire(const wx_conn_opts_t *opts, bool persistent);
zend_long  wx_pool_size(void);

/* codec.c: the fixed wire format. */
typedef struct {
    HashTable *unserialize_options; /* {"allowed_classes": ...} or NULL = all */
    bool       legacy_formats;
} wx_codec_t;

/* PHP serialize() bytes of value, with serialize_precision pinned to -1 so
 * every server writes the same bytes. NULL with a CacheException naming
 * key (the cause as its previous exception) on failure. */
zend_string *wx_codec_encode(zval *value, zend_string *key);
/* Decode stored bytes into out. FAILURE with a CacheException naming key
 * and the detected format when the bytes are not ours (unless
 * legacy_formats allows that format). */
zend_result  wx_codec_decode(const wx_codec_t *codec, zend_string *key,
                             const char *buf, size_t len, zval *out);
void         wx_codec_dtor(wx_codec_t *codec);
/* allowed_classes as unserialize() takes it (true, false or class names),
 * checked; `what` names the option in the InvalidArgumentException. */
zend_result  wx_codec_set_allowed_classes(wx_codec_t *codec, zval *allowed, const char *what);
/* Name of the format of stored bytes (WxRedis\Format::detect): "wxredis"
 * when they are exactly what wx_codec_encode writes, else "php",
 * "php+igbinary", "igbinary", "msgpack", "json", "raw" or "empty". Loads
 * objects as __PHP_Incomplete_Class, so no user code runs. */
const char  *wx_codec_detect(const char *buf, size_t len);

/* cache.c: what other classes (WxRedis\OpenPlatform) use of a cache
 * object, so they share its connection, prefix and wire format. */
typedef struct _wx_cache_obj wx_cache_obj_t;
/* The cache behind a WxRedis\Cache object; NULL with a TypeError/Error
 * when zv is not one or its constructor did not run. */
wx_cache_obj_t    *wx_cache_fetch(zval *zv);
/* One command on the cache's connection. Connection failures and error
 * replies throw CacheException and return NULL; free the reply with
 * freeReplyObject(). */
redisReply        *wx_cache_command(wx_cache_obj_t *c, int argc, const char **argv, const size_t *lens);
/* n commands in one round trip; replies may be error replies (the caller
 * checks and frees each). FAILURE with CacheException on connection loss. */
zend_result        wx_cache_pipeline(wx_cache_obj_t *c, const wx_conn_cmd_t *cmds, size_t n, redisReply **replies);
zend_string       *wx_cache_prefix(const wx_cache_obj_t *c);
const wx_codec_t  *wx_cache_codec(const wx_cache_obj_t *c);

/* Exception codes of WxRedis\CacheException / InvalidArgumentException
 * (also WxRedis\Cache::ERROR_* constants). Connection failures use the
 * wx_conn_status_t value (1..8). */
#define WX_CACHE_ERR_FORMAT      20  /* bytes under a key are not ours */
#define WX_CACHE_ERR_CORRUPT     21  /* looks like PHP serialize but does not load */
#define WX_CACHE_ERR_SERIALIZE   22  /* the value cannot be serialized */
#define WX_CACHE_ERR_UNSAFE      23  /* clear() without a prefix */
#define WX_CACHE_ERR_KEY         30  /* invalid key */
#define WX_CACHE_ERR_TTL         31  /* invalid TTL */
#define WX_CACHE_ERR_ARGUMENT    32  /* invalid option / DSN / iterable */

#endif
