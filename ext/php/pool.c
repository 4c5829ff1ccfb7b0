/*
 * Per-process persistent Redis connections.
 *
 * php-fpm and `php -S` keep a process for many requests; reconnecting (and
 * re-authenticating) on every request would cost a round trip or three. The
 * pool maps an options key to one wx_client_t (a node, a Sentinel group or
 * a Cluster, with its sockets) for the life of the process.
 * Each connection is checked before every use by wx_conn_ensure() (cheap
 * poll(), fork and leftover-bytes checks), so a Redis restart or a
 * pcntl_fork() never hands out a dead or shared socket.
 *
 * The table is per thread under ZTS (module globals), so no locking.
 */
#ifdef HAVE_CONFIG_H
# include "config.h"
#endif

#include "php.h"
#include "php_wxredis.h"
#include "pool.h"

static void wx_pool_client_dtor(zval *zv)
{
    wx_client_free((wx_client_t *) Z_PTR_P(zv));
}

/* DSNs remembered per process: an application uses a few; one that makes
 * a DSN per request must not grow the table without end. */
#define WX_POOL_DSN_MAX 64

void wx_pool_init(HashTable *pool, HashTable *by_dsn)
{
    zend_hash_init(pool, 4, NULL, wx_pool_client_dtor, 1);
    zend_hash_init(by_dsn, 4, NULL, NULL, 1);   /* points into pool */
}

void wx_pool_destroy(HashTable *pool, HashTable *by_dsn)
{
    zend_hash_destroy(by_dsn);
    zend_hash_destroy(pool);
}

wx_client_t *wx_pool_find_dsn(const zend_string *dsn)
{
    return zend_hash_str_find_ptr(&WXREDIS_G(pool_dsn), ZSTR_VAL(dsn), ZSTR_LEN(dsn));
}

void wx_pool_remember_dsn(const zend_string *dsn, wx_client_t *cl)
{
    if (zend_hash_num_elements(&WXREDIS_G(pool_dsn)) < WX_POOL_DSN_MAX) {
        zend_hash_str_update_ptr(&WXREDIS_G(pool_dsn), ZSTR_VAL(dsn), ZSTR_LEN(dsn), cl);
    }
}

zend_long wx_pool_size(void)
{
    return (zend_long) zend_hash_num_elements(&WXREDIS_G(pool));
}

wx_client_t *wx_pool_acquire(const wx_client_opts_t *opts, bool persistent)
{
    wx_client_t *cl;
    char *key;

    if (!persistent) {
        cl = wx_client_new(opts, &WXREDIS_G(conn_stats));
    } else if (!(key = wx_client_opts_key(opts))) {
        cl = NULL;
    } else {
        cl = zend_hash_str_find_ptr(&WXREDIS_G(pool), key, strlen(key));
        if (!cl) {
            cl = wx_client_new(opts, &WXREDIS_G(conn_stats));
            if (cl) {
                zend_hash_str_add_new_ptr(&WXREDIS_G(pool), key, strlen(key), cl);
            }
        }
        free(key);
    }
    if (!cl) {
        /* the core uses malloc (a client outlives the request) */
        zend_throw_error(NULL, "out of memory");
    }
    return cl;
}
