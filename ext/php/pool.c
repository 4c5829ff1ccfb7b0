/*
 * Per-process persistent Redis connections.
 *
 * php-fpm and `php -S` keep a process for many requests; reconnecting (and
 * re-authenticating) on every request would cost a round trip or three. The
 * pool maps an options key to one wx_conn_t for the life of the process.
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

static void wx_pool_conn_dtor(zval *zv)
{
    wx_conn_free((wx_conn_t *) Z_PTR_P(zv));
}

void wx_pool_init(HashTable *pool)
{
    zend_hash_init(pool, 4, NULL, wx_pool_conn_dtor, 1);
}

void wx_pool_destroy(HashTable *pool)
{
    zend_hash_destroy(pool);
}

zend_long wx_pool_size(void)
{
    return (zend_long) zend_hash_num_elements(&WXREDIS_G(pool));
}

wx_conn_t *wx_pool_acquire(const wx_conn_opts_t *opts, bool persistent)
{
    wx_conn_t *conn;
    char *key;

    if (!persistent) {
        conn = wx_conn_new(opts, &WXREDIS_G(conn_stats));
    } else if (!(key = wx_conn_opts_key(opts))) {
        conn = NULL;
    } else {
        conn = zend_hash_str_find_ptr(&WXREDIS_G(pool), key, strlen(key));
        if (!conn) {
            conn = wx_conn_new(opts, &WXREDIS_G(conn_stats));
            if (conn) {
                zend_hash_str_add_new_ptr(&WXREDIS_G(pool), key, strlen(key), conn);
            }
        }
        free(key);
    }
    if (!conn) {
        /* wx_conn uses malloc (the connection outlives the request) */
        zend_throw_error(NULL, "out of memory");
    }
    return conn;
}
