/*
 * WxRedis\CacheBase (and so WxRedis\Cache): a PSR-16 cache on Redis.
 *
 * Thin glue: the class and the PSR-16 methods here (argument rules in
 * args.c, the constructor in options.c, clear() in clear.c, rawCommand() in
 * raw.c, CacheItems in items.c, the plumbing in store.c); bytes on the wire
 * in codec.c; the socket in core/wx_conn.c. Every method is exactly one
 * round trip (batches are MGET, one pipeline of SETs, one DEL), except
 * clear(), which walks the prefix with SCAN.
 */
#ifdef HAVE_CONFIG_H
# include "config.h"
#endif

#include "php.h"
#include "zend_interfaces.h"

#include "php_wxredis.h"
#include "php/exceptions.h"
#include "php/pool.h"
#include "php/log.h"
#include "internal.h"
#include "cache_arginfo.h"

zend_class_entry *wx_ce_CacheBase;

static zend_object_handlers wx_cache_handlers;

/* ---------------------------------------------------------------- objects */

static zend_object *wx_cache_create(zend_class_entry *ce)
{
    wx_cache_obj_t *c = zend_object_alloc(sizeof(wx_cache_obj_t), ce);
    zend_object_std_init(&c->std, ce);
    object_properties_init(&c->std, ce);
    c->std.handlers = &wx_cache_handlers;
    return &c->std;
}

static void wx_cache_free(zend_object *obj)
{
    wx_cache_obj_t *c = wx_cache_from_obj(obj);
    if (c->client && c->owns_client) {
        wx_client_free(c->client);
    }
    c->client = NULL;
    if (c->prefix) {
        zend_string_release(c->prefix);
    }
    wx_logger_free(&c->logger);
    wx_codec_dtor(&c->codec);
    zend_object_std_dtor(obj);
}

/* a logger that holds the cache is a cycle the collector must see */
static HashTable *wx_cache_get_gc(zend_object *obj, zval **table, int *n)
{
    wx_cache_obj_t *c = wx_cache_from_obj(obj);
    *table = wx_logger_zval(c->logger);
    *n = c->logger ? 1 : 0;
    return zend_std_get_properties(obj);
}

/* ----------------------------------------------------------- PSR-16 calls */

ZEND_METHOD(WxRedis_CacheBase, get)
{
    zval *key, *def = NULL;
    wx_cache_obj_t *c;
    zend_string *rk;
    zend_result rc;

    ZEND_PARSE_PARAMETERS_START(1, 2)
        Z_PARAM_ZVAL(key)
        Z_PARAM_OPTIONAL
        Z_PARAM_ZVAL(def)
    ZEND_PARSE_PARAMETERS_END();

    if (!(c = wx_cache_this(ZEND_THIS)) || !(rk = wx_cache_key(c, key))) {
        RETURN_THROWS();
    }
    rc = wx_store_get(c, rk, return_value);
    zend_string_release(rk);
    if (rc == FAILURE) {
        RETURN_THROWS();
    }
    if (Z_ISUNDEF_P(return_value)) {
        if (def) {
            RETURN_COPY(def);
        }
        RETURN_NULL();
    }
}

ZEND_METHOD(WxRedis_CacheBase, set)
{
    zval *key, *value, *ttl = NULL;
    wx_cache_obj_t *c;
    zend_string *rk;
    zend_long secs;
    wx_ttl_t kind;
    zend_result rc;
    bool stored = true;

    ZEND_PARSE_PARAMETERS_START(2, 3)
        Z_PARAM_ZVAL(key)
        Z_PARAM_ZVAL(value)
        Z_PARAM_OPTIONAL
        Z_PARAM_ZVAL(ttl)
    ZEND_PARSE_PARAMETERS_END();

    if (!(c = wx_cache_this(ZEND_THIS)) || !(rk = wx_cache_key(c, key))) {
        RETURN_THROWS();
    }
    if (wx_cache_ttl(ttl, &kind, &secs) == FAILURE) {
        zend_string_release(rk);
        RETURN_THROWS();
    }
    if (kind == WX_TTL_EXPIRED) {
        /* PSR-16: a TTL of 0 or less removes the item */
        rc = wx_store_del(c, rk);
    } else {
        /* serialization errors name the key as the caller wrote it */
        rc = wx_store_set(c, rk, value, secs, Z_STR_P(key), &stored);
    }
    zend_string_release(rk);
    if (rc == FAILURE) {
        RETURN_THROWS();
    }
    RETURN_BOOL(stored);
}

ZEND_METHOD(WxRedis_CacheBase, delete)
{
    zval *key;
    wx_cache_obj_t *c;
    zend_string *rk;
    zend_result rc;

    ZEND_PARSE_PARAMETERS_START(1, 1)
        Z_PARAM_ZVAL(key)
    ZEND_PARSE_PARAMETERS_END();

    if (!(c = wx_cache_this(ZEND_THIS)) || !(rk = wx_cache_key(c, key))) {
        RETURN_THROWS();
    }
    rc = wx_store_del(c, rk);
    zend_string_release(rk);
    if (rc == FAILURE) {
        RETURN_THROWS();
    }
    RETURN_TRUE;
}

ZEND_METHOD(WxRedis_CacheBase, has)
{
    zval *key;
    wx_cache_obj_t *c;
    zend_string *rk;
    redisReply *r;

    ZEND_PARSE_PARAMETERS_START(1, 1)
        Z_PARAM_ZVAL(key)
    ZEND_PARSE_PARAMETERS_END();

    if (!(c = wx_cache_this(ZEND_THIS)) || !(rk = wx_cache_key(c, key))) {
        RETURN_THROWS();
    }
    r = wx_store_key_request(c, "EXISTS", rk, WX_EXPECT_INTEGER);
    zend_string_release(rk);
    if (!r) {
        RETURN_THROWS();
    }
    RETVAL_BOOL(r->type == REDIS_REPLY_INTEGER && r->integer > 0);
    freeReplyObject(r);
}

ZEND_METHOD(WxRedis_CacheBase, getMultiple)
{
    zval *keys, *def = NULL;
    wx_cache_obj_t *c;
    wx_cache_items_t *items;
    wx_cache_batch_t b;
    zend_result rc;

    ZEND_PARSE_PARAMETERS_START(1, 2)
        Z_PARAM_ZVAL(keys)
        Z_PARAM_OPTIONAL
        Z_PARAM_ZVAL(def)
    ZEND_PARSE_PARAMETERS_END();

    if (!(c = wx_cache_this(ZEND_THIS)) || wx_cache_batch_init(c, keys, "MGET", &b) == FAILURE) {
        RETURN_THROWS();
    }
    /* the items own the PSR keys; the batch's argv still points into them */
    items = wx_cache_items_init(return_value, &b.names);
    ZVAL_UNDEF(&b.names);
    zval_ptr_dtor(&items->values);
    array_init_size(&items->values, b.n);
    zend_hash_real_init_packed(Z_ARRVAL(items->values));
    rc = wx_store_get_argv(c, b.n, b.argv, b.lens, def, Z_ARRVAL(items->values));
    wx_cache_batch_free(&b);
    if (rc == FAILURE) {
        zval_ptr_dtor(return_value);
        ZVAL_UNDEF(return_value);
        RETURN_THROWS();
    }
}

ZEND_METHOD(WxRedis_CacheBase, setMultiple)
{
    zval *values, *ttl = NULL;
    wx_cache_obj_t *c;
    zend_long secs;
    wx_ttl_t kind;
    HashTable *staged;
    zend_result rc;
    bool stored = true;

    ZEND_PARSE_PARAMETERS_START(1, 2)
        Z_PARAM_ZVAL(values)
        Z_PARAM_OPTIONAL
        Z_PARAM_ZVAL(ttl)
    ZEND_PARSE_PARAMETERS_END();

    if (!(c = wx_cache_this(ZEND_THIS)) || wx_cache_ttl(ttl, &kind, &secs) == FAILURE) {
        RETURN_THROWS();
    }
    /* Validate everything before sending anything: a bad key in the middle
     * must not leave half the batch written. */
    staged = zend_new_array(8);
    if (wx_cache_stage_values(c, values, staged) == FAILURE) {
        zend_array_destroy(staged);
        RETURN_THROWS();
    }
    if (kind == WX_TTL_EXPIRED) {
        zval rkeys;
        zend_string *rk;
        array_init_size(&rkeys, zend_hash_num_elements(staged));
        ZEND_HASH_FOREACH_STR_KEY(staged, rk) {
            add_next_index_str(&rkeys, zend_string_copy(rk));
        } ZEND_HASH_FOREACH_END();
        rc = wx_store_del_many(c, Z_ARRVAL(rkeys));
        zval_ptr_dtor(&rkeys);
    } else {
        /* one pipeline: SET k v [EX ttl] per item, one write, n replies */
        rc = wx_store_set_many(c, staged, secs, &stored);
    }
    zend_array_destroy(staged);
    if (rc == FAILURE) {
        RETURN_THROWS();
    }
    RETURN_BOOL(stored);
}

ZEND_METHOD(WxRedis_CacheBase, deleteMultiple)
{
    zval *keys;
    wx_cache_obj_t *c;
    wx_cache_batch_t b;
    zend_result rc;

    ZEND_PARSE_PARAMETERS_START(1, 1)
        Z_PARAM_ZVAL(keys)
    ZEND_PARSE_PARAMETERS_END();

    if (!(c = wx_cache_this(ZEND_THIS)) || wx_cache_batch_init(c, keys, "DEL", &b) == FAILURE) {
        RETURN_THROWS();
    }
    rc = wx_store_del_argv(c, b.n, b.argv, b.lens);
    wx_cache_batch_free(&b);
    if (rc == FAILURE) {
        RETURN_THROWS();
    }
    RETURN_TRUE;
}

ZEND_METHOD(WxRedis_CacheBase, stats)
{
    wx_cache_stats_t *s = &WXREDIS_G(cache_stats);
    wx_conn_stats_t *cs = &WXREDIS_G(conn_stats);

    ZEND_PARSE_PARAMETERS_NONE();

    array_init(return_value);
    add_assoc_long(return_value, "hits", s->hits);
    add_assoc_long(return_value, "misses", s->misses);
    add_assoc_long(return_value, "writes", s->writes);
    add_assoc_long(return_value, "deletes", s->deletes);
    add_assoc_long(return_value, "errors", s->errors);
    add_assoc_long(return_value, "format_errors", s->format_errors);
    add_assoc_long(return_value, "connects", (zend_long) cs->connects);
    add_assoc_long(return_value, "reconnects", (zend_long) cs->reconnects);
    add_assoc_long(return_value, "round_trips", (zend_long) cs->round_trips);
    add_assoc_long(return_value, "commands", (zend_long) cs->commands);
    add_assoc_long(return_value, "connection_errors", (zend_long) cs->errors);
    add_assoc_long(return_value, "persistent_connections", wx_pool_size());
}

/* ----------------------------------------------------------- registration */

void wx_cache_register(void)
{
    wx_ce_CacheBase = register_class_WxRedis_CacheBase();
    wx_ce_CacheBase->create_object = wx_cache_create;
    memcpy(&wx_cache_handlers, zend_get_std_object_handlers(), sizeof(zend_object_handlers));
    wx_cache_handlers.offset = offsetof(wx_cache_obj_t, std);
    wx_cache_handlers.free_obj = wx_cache_free;
    wx_cache_handlers.get_gc = wx_cache_get_gc;
    wx_cache_handlers.clone_obj = NULL; /* a clone would share the connection */

    wx_cache_items_startup(register_class_WxRedis_CacheItems(zend_ce_iterator, zend_ce_countable));
}

