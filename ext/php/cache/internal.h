/*
 * What the files of ext/php/cache/ share: the object structs and the
 * helpers one file defines and others call. Private to the cache (other
 * classes use store.h).
 */
#ifndef WX_PHP_CACHE_INTERNAL_H
#define WX_PHP_CACHE_INTERNAL_H

#include "php.h"
#include "php_wxredis.h"

extern zend_class_entry *wx_ce_CacheItems;

struct _wx_cache_obj {
    wx_conn_t   *conn;        /* NULL until the constructor ran */
    bool         owns_conn;   /* false when it belongs to the process pool */
    bool         no_unlink;   /* server predates UNLINK: use DEL */
    zend_string *prefix;
    wx_codec_t   codec;
    zend_object  std;
};

typedef struct {
    zval        keys;         /* packed array of strings */
    zval        values;       /* packed array, same length */
    uint32_t    pos;
    zend_object std;
} wx_cache_items_t;

static inline wx_cache_obj_t *wx_cache_from_obj(zend_object *obj)
{
    return (wx_cache_obj_t *) ((char *) obj - XtOffsetOf(wx_cache_obj_t, std));
}

static inline wx_cache_items_t *wx_cache_items_from_obj(zend_object *obj)
{
    return (wx_cache_items_t *) ((char *) obj - XtOffsetOf(wx_cache_items_t, std));
}

#define Z_WX_CACHE_P(zv) wx_cache_from_obj(Z_OBJ_P(zv))

/* store.c */
wx_cache_obj_t *wx_cache_this(zval *zthis);
ZEND_COLD void wx_cache_conn_error(wx_cache_obj_t *c);
redisReply *wx_cache_key_command(wx_cache_obj_t *c, const char *cmd, zend_string *rk);
bool wx_cache_del_one(wx_cache_obj_t *c, zend_string *rk);
/* A command made of a fixed head and the strings of a packed array. */
typedef struct {
    const char **argv;
    size_t      *lens;
    int          argc;
} wx_cache_argv_t;
void wx_cache_argv_build(wx_cache_argv_t *a, const char *head, zval *strings);
void wx_cache_argv_free(wx_cache_argv_t *a);
bool wx_cache_del(wx_cache_obj_t *c, zval *rkeys);

/* args.c */
zend_string *wx_cache_key(wx_cache_obj_t *c, zval *key);
typedef enum { WX_TTL_FOREVER, WX_TTL_SECONDS, WX_TTL_EXPIRED, WX_TTL_ERROR } wx_ttl_t;
wx_ttl_t wx_cache_ttl(zval *ttl, zend_long *secs);
/* Call fn(key, value) for each entry of an array or a Traversable (int
 * keys arrive as IS_LONG, as PHP arrays hold them). FAILURE when fn fails,
 * the iterator throws, or `iterable` is neither (InvalidArgumentException
 * naming `what`). */
typedef zend_result (*wx_cache_each_fn)(wx_cache_obj_t *c, zval *key, zval *val, void *ctx);
zend_result wx_cache_each(wx_cache_obj_t *c, zval *iterable, const char *what,
                          wx_cache_each_fn fn, void *ctx);
zend_result wx_cache_collect_keys(wx_cache_obj_t *c, zval *keys, zval *names, zval *rkeys);

/* items.c */
void wx_cache_items_startup(zend_class_entry *ce);

#endif
