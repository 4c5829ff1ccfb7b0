/*
 * wxredis: WeChat Open Platform credentials in Redis.
 * The module: version, module globals and the registration prototypes.
 * Each glue file includes the headers of what it uses (php/codec.h,
 * php/pool.h, php/cache/store.h, ...), not this one for them.
 */
#ifndef PHP_WXREDIS_H
#define PHP_WXREDIS_H

#ifdef HAVE_CONFIG_H
# include "config.h"
#endif

#include "php.h"
#include "php/compat.h"
#include "core/wx_conn.h"
#include "core/wx_xml.h"

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

/* Per process under NTS, per thread under ZTS: nothing here is shared
 * between threads, so nothing needs a lock. */
ZEND_BEGIN_MODULE_GLOBALS(wxredis)
    HashTable        pool;        /* persistent clients: opts key -> wx_client_t* */
    HashTable        pool_dsn;    /* DSN -> a client of pool, for a constructor given
                                     nothing else that shapes the connection */
    wx_conn_stats_t  conn_stats;  /* shared by every connection of the process */
    wx_cache_stats_t cache_stats;
    wx_xml_parser_t *xml_parser;  /* MessageCrypt's reusable parser, made on first
                                     use, freed in GSHUTDOWN (a libxml2 context
                                     must not be shared between threads) */
    HashTable       *fleet_due;   /* component app id -> unix time this process next
                                     records its fingerprint (platform/fleet.c);
                                     persistent, made on first use, freed in GSHUTDOWN */
ZEND_END_MODULE_GLOBALS(wxredis)

ZEND_EXTERN_MODULE_GLOBALS(wxredis)
#define WXREDIS_G(v) ZEND_MODULE_GLOBALS_ACCESSOR(wxredis, v)

/* Registration, one per PHP class file, called from MINIT. */
void wx_cache_register(void);
void wx_message_crypt_register(void);
void wx_format_register(void);
void wx_open_platform_register(void);


#endif
