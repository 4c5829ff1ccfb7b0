/*
 * Exception codes of WxRedis\CacheException and InvalidArgumentException,
 * public as the WxRedis\Cache::ERROR_* constants (cache.stub.php): their
 * values never change. Connection failures use the wx_conn_status_t value
 * (1..8, core/wx_conn.h).
 */
#ifndef WX_PHP_CACHE_ERRORS_H
#define WX_PHP_CACHE_ERRORS_H

#define WX_CACHE_ERR_FORMAT      20  /* bytes under a key are not ours */
#define WX_CACHE_ERR_CORRUPT     21  /* looks like PHP serialize but does not load */
#define WX_CACHE_ERR_SERIALIZE   22  /* the value cannot be serialized */
#define WX_CACHE_ERR_UNSAFE      23  /* clear() without a prefix */
#define WX_CACHE_ERR_REPLICAS    24  /* too few replicas acknowledged a durable write (WAIT) */
#define WX_CACHE_ERR_KEY         30  /* invalid key */
#define WX_CACHE_ERR_TTL         31  /* invalid TTL */
#define WX_CACHE_ERR_ARGUMENT    32  /* invalid option / DSN / iterable */

#endif
