/*
 * pool.c: the per-process (per-thread under ZTS) persistent Redis
 * connections, kept in the module globals.
 */
#ifndef WX_PHP_POOL_H
#define WX_PHP_POOL_H

#include "php.h"
#include "core/wx_client.h"

/* From GINIT / GSHUTDOWN. */
void       wx_pool_init(HashTable *pool);
void       wx_pool_destroy(HashTable *pool);
/* A client for opts (one node, Sentinel or Cluster): from the pool when
 * persistent (shared, owned by the pool), else a new one the caller frees
 * with wx_client_free. Nothing is sent yet. NULL (an Error pending) only
 * when memory ran out. */
wx_client_t *wx_pool_acquire(const wx_client_opts_t *opts, bool persistent);
zend_long  wx_pool_size(void);

#endif
