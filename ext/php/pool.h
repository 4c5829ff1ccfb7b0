/*
 * pool.c: the per-process (per-thread under ZTS) persistent Redis
 * connections, kept in the module globals.
 */
#ifndef WX_PHP_POOL_H
#define WX_PHP_POOL_H

#include "php.h"
#include "core/wx_client.h"

/* From GINIT / GSHUTDOWN: the pool, and its index by DSN. */
void       wx_pool_init(HashTable *pool, HashTable *by_dsn);
void       wx_pool_destroy(HashTable *pool, HashTable *by_dsn);
/* A client for opts (one node, Sentinel or Cluster): from the pool when
 * persistent (shared, owned by the pool), else a new one the caller frees
 * with wx_client_free. Nothing is sent yet. NULL (an Error pending) only
 * when memory ran out. */
wx_client_t *wx_pool_acquire(const wx_client_opts_t *opts, bool persistent);
zend_long  wx_pool_size(void);

/* A worker constructs the same cache with the same DSN every request: the
 * pooled client made from a DSN alone (no option that shapes the
 * connection) is found again by that DSN, without parsing it or building
 * its pool key. NULL when there is none yet. */
wx_client_t *wx_pool_find_dsn(const zend_string *dsn);
/* Remembers cl (a pooled client) for dsn; a no-op once WX_POOL_DSN_MAX
 * DSNs are remembered. */
void       wx_pool_remember_dsn(const zend_string *dsn, wx_client_t *cl);

#endif
