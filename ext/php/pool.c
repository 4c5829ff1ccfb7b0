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

void wx_pool_init(HashTable *pool)
{
    zend_hash_init(pool, 4, NULL, wx_pool_client_dtor, 1);
}

void wx_pool_destroy(HashTable *pool)
{
    zend_hash_destroy(pool);
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
