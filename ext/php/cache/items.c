/*
 * WxRedis\CacheItems, what getMultiple() returns: the class, its methods
 * and the C iterator foreach uses.
 */
#ifdef HAVE_CONFIG_H
# include "config.h"
#endif

#include "php.h"
#include "zend_interfaces.h"
#include "php/compat.h"
#include "internal.h"

zend_class_entry *wx_ce_CacheItems;
static zend_object_handlers wx_cache_items_handlers;

static zend_object *wx_cache_items_create(zend_class_entry *ce)
{
    wx_cache_items_t *it = zend_object_alloc(sizeof(wx_cache_items_t), ce);
    zend_object_std_init(&it->std, ce);
    object_properties_init(&it->std, ce);
    it->std.handlers = &wx_cache_items_handlers;
    array_init(&it->keys);
    array_init(&it->values);
    return &it->std;
}

static void wx_cache_items_free(zend_object *obj)
{
    wx_cache_items_t *it = wx_cache_items_from_obj(obj);
    zval_ptr_dtor(&it->keys);
    zval_ptr_dtor(&it->values);
    zend_object_std_dtor(obj);
}

static HashTable *wx_cache_items_get_gc(zend_object *obj, zval **table, int *n)
{
    wx_cache_items_t *it = wx_cache_items_from_obj(obj);
    *table = &it->values;
    *n = 1;
    return zend_std_get_properties(obj);
}

/* foreach over CacheItems without calling its PHP-visible methods (the
 * class is final, so no subclass can override them): a C iterator over the
 * two packed arrays, with a position of its own, so nested or repeated
 * loops over one result each see every item. */
typedef struct {
    zend_object_iterator it;
    uint32_t             pos;
} wx_cache_items_iter_t;

static wx_cache_items_t *wx_cache_items_of_iter(zend_object_iterator *it)
{
    return wx_cache_items_from_obj(Z_OBJ(it->data));
}

static void wx_cache_items_iter_dtor(zend_object_iterator *it)
{
    zval_ptr_dtor(&it->data);
}

static wx_iter_valid_t wx_cache_items_iter_valid(zend_object_iterator *it)
{
    wx_cache_items_iter_t *i = (wx_cache_items_iter_t *) it;
    return i->pos < zend_hash_num_elements(Z_ARRVAL(wx_cache_items_of_iter(it)->keys)) ? SUCCESS : FAILURE;
}

static zval *wx_cache_items_iter_data(zend_object_iterator *it)
{
    return zend_hash_index_find(Z_ARRVAL(wx_cache_items_of_iter(it)->values), ((wx_cache_items_iter_t *) it)->pos);
}

static void wx_cache_items_iter_key(zend_object_iterator *it, zval *key)
{
    zval *k = zend_hash_index_find(Z_ARRVAL(wx_cache_items_of_iter(it)->keys), ((wx_cache_items_iter_t *) it)->pos);
    if (k) {
        ZVAL_COPY(key, k);
    } else {
        ZVAL_NULL(key);
    }
}

static void wx_cache_items_iter_forward(zend_object_iterator *it)
{
    ((wx_cache_items_iter_t *) it)->pos++;
}

static void wx_cache_items_iter_rewind(zend_object_iterator *it)
{
    ((wx_cache_items_iter_t *) it)->pos = 0;
}

static HashTable *wx_cache_items_iter_gc(zend_object_iterator *it, zval **table, int *n)
{
    *table = &it->data;
    *n = 1;
    return NULL;
}

static const zend_object_iterator_funcs wx_cache_items_iter_funcs = {
    wx_cache_items_iter_dtor,
    wx_cache_items_iter_valid,
    wx_cache_items_iter_data,
    wx_cache_items_iter_key,
    wx_cache_items_iter_forward,
    wx_cache_items_iter_rewind,
    NULL,
    wx_cache_items_iter_gc,
};

static zend_object_iterator *wx_cache_items_get_iterator(zend_class_entry *ce, zval *object, int by_ref)
{
    wx_cache_items_iter_t *i;

    if (by_ref) {
        zend_throw_error(NULL, "An iterator cannot be used with foreach by reference");
        return NULL;
    }
    i = emalloc(sizeof(*i));
    zend_iterator_init(&i->it);
    ZVAL_OBJ_COPY(&i->it.data, Z_OBJ_P(object));
    i->it.funcs = &wx_cache_items_iter_funcs;
    i->pos = 0;
    return &i->it;
}

/* ------------------------------------------------------------- CacheItems */

ZEND_METHOD(WxRedis_CacheItems, __construct)
{
    ZEND_PARSE_PARAMETERS_NONE();
}

#define WX_ITEMS wx_cache_items_from_obj(Z_OBJ_P(ZEND_THIS))

ZEND_METHOD(WxRedis_CacheItems, current)
{
    wx_cache_items_t *it = WX_ITEMS;
    zval *v;
    ZEND_PARSE_PARAMETERS_NONE();
    if ((v = zend_hash_index_find(Z_ARRVAL(it->values), it->pos))) {
        RETURN_COPY_DEREF(v);
    }
    RETURN_NULL();
}

ZEND_METHOD(WxRedis_CacheItems, key)
{
    wx_cache_items_t *it = WX_ITEMS;
    zval *k;
    ZEND_PARSE_PARAMETERS_NONE();
    if ((k = zend_hash_index_find(Z_ARRVAL(it->keys), it->pos))) {
        RETURN_COPY(k);
    }
    zend_throw_error(NULL, "CacheItems::key() called past the end");
    RETURN_THROWS();
}

ZEND_METHOD(WxRedis_CacheItems, next)
{
    wx_cache_items_t *it = WX_ITEMS;
    ZEND_PARSE_PARAMETERS_NONE();
    if (it->pos < zend_hash_num_elements(Z_ARRVAL(it->keys))) {
        it->pos++;
    }
}

ZEND_METHOD(WxRedis_CacheItems, rewind)
{
    ZEND_PARSE_PARAMETERS_NONE();
    WX_ITEMS->pos = 0;
}

ZEND_METHOD(WxRedis_CacheItems, valid)
{
    wx_cache_items_t *it = WX_ITEMS;
    ZEND_PARSE_PARAMETERS_NONE();
    RETURN_BOOL(it->pos < zend_hash_num_elements(Z_ARRVAL(it->keys)));
}

ZEND_METHOD(WxRedis_CacheItems, count)
{
    ZEND_PARSE_PARAMETERS_NONE();
    RETURN_LONG(zend_hash_num_elements(Z_ARRVAL(WX_ITEMS->keys)));
}

ZEND_METHOD(WxRedis_CacheItems, toArray)
{
    wx_cache_items_t *it = WX_ITEMS;
    zval *k, *v;
    uint32_t i;
    ZEND_PARSE_PARAMETERS_NONE();
    array_init_size(return_value, zend_hash_num_elements(Z_ARRVAL(it->keys)));
    for (i = 0; (k = zend_hash_index_find(Z_ARRVAL(it->keys), i)); i++) {
        v = zend_hash_index_find(Z_ARRVAL(it->values), i);
        Z_TRY_ADDREF_P(v);
        zend_symtable_update(Z_ARRVAL_P(return_value), Z_STR_P(k), v);
    }
}

wx_cache_items_t *wx_cache_items_init(zval *out, zval *names)
{
    wx_cache_items_t *items;

    object_init_ex(out, wx_ce_CacheItems);
    items = wx_cache_items_from_obj(Z_OBJ_P(out));
    zval_ptr_dtor(&items->keys);
    ZVAL_COPY_VALUE(&items->keys, names);
    return items;
}

void wx_cache_items_startup(zend_class_entry *ce)
{
    wx_ce_CacheItems = ce;
    wx_ce_CacheItems->create_object = wx_cache_items_create;
    wx_ce_CacheItems->get_iterator = wx_cache_items_get_iterator;
    memcpy(&wx_cache_items_handlers, zend_get_std_object_handlers(), sizeof(zend_object_handlers));
    wx_cache_items_handlers.offset = offsetof(wx_cache_items_t, std);
    wx_cache_items_handlers.free_obj = wx_cache_items_free;
    wx_cache_items_handlers.get_gc = wx_cache_items_get_gc;
    wx_cache_items_handlers.clone_obj = NULL;
}
