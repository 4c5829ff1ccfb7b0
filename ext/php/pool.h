/*
 * pool.c: the per-process (per-thread under ZTS) persistent Redis
 * connections, kept in the module globals.
 */
#ifndef WX_PHP_POOL_H
#define WX_PHP_POOL_H

#include "php.h"
#include "core/wx_conn.h"

/* From GINIT / GSHUTDOWN. */
void       wx_pool_init(HashTable *pool);
void       wx_pool_destroy(HashTable *pool);
/* A connection for opts: from the pool when persistent (shared, owned by
 * the pool), else a new one the caller frees with wx_conn_free. Nothing is
 * sent yet. NULL (an Error pending) only when memory ran out. */
wx_conn_t *wx_pool_acquire(const wx_conn_opts_t *opts, bool persistent);
zend_long  wx_pool_size(void);

#endif
