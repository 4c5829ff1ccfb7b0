/*
 * PSR-16's argument rules: keys, TTLs, iterables of keys and values.
 */
#ifdef HAVE_CONFIG_H
# include "config.h"
#endif

#include "php.h"
#include "zend_interfaces.h"
#include "ext/date/php_date.h"
#include "php/exceptions.h"
#include "internal.h"

/* The longest TTL accepted, in seconds (10^12, about 31,700 years). */
#define WX_CACHE_TTL_MAX 1000000000000LL

/* Redis keys are binary safe; this bound only stops absurd input. */
#define WX_CACHE_KEY_MAX_BYTES 65536

/* The bytes PSR-16 reserves in keys, {}()/\@:, as a table: one load per
 * byte of every key of every call. */
static const unsigned char wx_cache_reserved[256] = {
    ['{'] = 1, ['}'] = 1, ['('] = 1, [')'] = 1, ['/'] = 1, ['\\'] = 1, ['@'] = 1, [':'] = 1,
};

/* PSR-16 key rules; returns prefix+key or NULL with an exception. */
zend_string *wx_cache_key(wx_cache_obj_t *c, zval *key)
{
    const char *p, *end;

    if (Z_TYPE_P(key) != IS_STRING) {
        wx_throw_invalid(WX_CACHE_ERR_KEY,
            "cache key must be a string, %s given", zend_zval_type_name(key));
        return NULL;
    }
    if (Z_STRLEN_P(key) == 0) {
        wx_throw_invalid(WX_CACHE_ERR_KEY, "cache key must not be empty");
        return NULL;
    }
    if (Z_STRLEN_P(key) > WX_CACHE_KEY_MAX_BYTES) {
        wx_throw_invalid(WX_CACHE_ERR_KEY,
            "cache key is %zu bytes long, more than %d", Z_STRLEN_P(key), WX_CACHE_KEY_MAX_BYTES);
        return NULL;
    }
    for (p = Z_STRVAL_P(key), end = p + Z_STRLEN_P(key); p < end; p++) {
        if (UNEXPECTED(wx_cache_reserved[(unsigned char) *p])) {
            wx_throw_invalid(WX_CACHE_ERR_KEY,
                "cache key \"%s\" contains '%c', which PSR-16 reserves ({}()/\\@:)", Z_STRVAL_P(key), *p);
            return NULL;
        }
    }
    return wx_store_key(c, Z_STRVAL_P(key), Z_STRLEN_P(key));
}

/* Seconds until now + interval (may be <= 0). */
static zend_result wx_cache_interval_seconds(zval *interval, zend_long *secs)
{
    zend_class_entry *ce = php_date_get_immutable_ce();
    zval now, later, t0, t1;
    zend_result rc = FAILURE;

    object_init_ex(&now, ce);
    zend_call_known_instance_method_with_0_params(ce->constructor, Z_OBJ(now), NULL);
    ZVAL_UNDEF(&later);
    ZVAL_UNDEF(&t0);
    ZVAL_UNDEF(&t1);
    if (!EG(exception)) {
        zend_call_method_with_1_params(Z_OBJ(now), ce, NULL, "add", &later, interval);
    }
    if (!EG(exception) && Z_TYPE(later) == IS_OBJECT) {
        zend_call_method_with_0_params(Z_OBJ(now), ce, NULL, "gettimestamp", &t0);
        zend_call_method_with_0_params(Z_OBJ(later), ce, NULL, "gettimestamp", &t1);
        if (Z_TYPE(t0) == IS_LONG && Z_TYPE(t1) == IS_LONG) {
            *secs = Z_LVAL(t1) - Z_LVAL(t0);
            rc = SUCCESS;
        }
    }
    zval_ptr_dtor(&now);
    zval_ptr_dtor(&later);
    zval_ptr_dtor(&t0);
    zval_ptr_dtor(&t1);
    if (rc == FAILURE && !EG(exception)) {
        wx_throw_invalid(WX_CACHE_ERR_TTL, "TTL DateInterval could not be added to the current time");
    }
    return EG(exception) ? FAILURE : rc;
}

zend_result wx_cache_ttl(zval *ttl, wx_ttl_t *kind, zend_long *secs)
{
    *secs = 0;
    if (ttl == NULL || Z_TYPE_P(ttl) == IS_NULL) {
        *kind = WX_TTL_FOREVER;
        return SUCCESS;
    }
    if (Z_TYPE_P(ttl) == IS_LONG) {
        *secs = Z_LVAL_P(ttl);
    } else if (Z_TYPE_P(ttl) == IS_OBJECT && instanceof_function(Z_OBJCE_P(ttl), php_date_get_interval_ce())) {
        if (wx_cache_interval_seconds(ttl, secs) == FAILURE) {
            return FAILURE;
        }
    } else {
        wx_throw_invalid(WX_CACHE_ERR_TTL,
            "TTL must be null, an int (seconds) or a DateInterval, %s given", zend_zval_type_name(ttl));
        return FAILURE;
    }
    if (*secs > WX_CACHE_TTL_MAX) {
        /* Redis refuses EX whose expiry overflows its millisecond clock
         * ("invalid expire time"); refuse earlier, with a bound that is
         * far inside Redis's range and far beyond any useful lifetime. */
        wx_throw_invalid(WX_CACHE_ERR_TTL,
            "TTL of " ZEND_LONG_FMT " seconds is out of range: at most %lld seconds (about 31,700 "
            "years); use null for no expiry", *secs, (long long) WX_CACHE_TTL_MAX);
        return FAILURE;
    }
    *kind = *secs > 0 ? WX_TTL_SECONDS : WX_TTL_EXPIRED;
    return SUCCESS;
}

zend_result wx_cache_each(wx_cache_obj_t *c, zval *iterable, const char *what,
                          wx_cache_each_fn fn, void *ctx)
{
    zend_object_iterator *iter;
    zend_string *skey;
    zend_ulong ikey;
    zend_result rc = SUCCESS;
    zval *v, k;

    if (Z_TYPE_P(iterable) == IS_ARRAY) {
        ZEND_HASH_FOREACH_KEY_VAL(Z_ARRVAL_P(iterable), ikey, skey, v) {
            if (skey) {
                ZVAL_STR(&k, skey);
            } else {
                ZVAL_LONG(&k, (zend_long) ikey);
            }
            ZVAL_DEREF(v);
            if (fn(c, &k, v, ctx) == FAILURE) {
                return FAILURE;
            }
        } ZEND_HASH_FOREACH_END();
        return SUCCESS;
    }
    if (Z_TYPE_P(iterable) != IS_OBJECT || !instanceof_function(Z_OBJCE_P(iterable), zend_ce_traversable)) {
        wx_throw_invalid(WX_CACHE_ERR_ARGUMENT,
            "%s must be an array or a Traversable, %s given", what, zend_zval_type_name(iterable));
        return FAILURE;
    }
    iter = Z_OBJCE_P(iterable)->get_iterator(Z_OBJCE_P(iterable), iterable, 0);
    if (!iter || EG(exception)) {
        if (iter) zend_iterator_dtor(iter);
        return FAILURE;
    }
    if (iter->funcs->rewind) iter->funcs->rewind(iter);
    while (rc == SUCCESS && !EG(exception) && iter->funcs->valid(iter) == SUCCESS) {
        v = iter->funcs->get_current_data(iter);
        if (EG(exception) || !v) {
            rc = FAILURE;
            break;
        }
        ZVAL_NULL(&k);
        if (iter->funcs->get_current_key) {
            iter->funcs->get_current_key(iter, &k);
        }
        if (!EG(exception)) {
            ZVAL_DEREF(v);
            rc = fn(c, &k, v, ctx);
        }
        zval_ptr_dtor(&k);
        if (rc == SUCCESS && !EG(exception)) {
            iter->funcs->move_forward(iter);
        }
    }
    if (EG(exception)) rc = FAILURE;
    zend_iterator_dtor(iter);
    return rc;
}

typedef struct {
    HashTable seen;
    zval     *names;   /* PSR keys, in order */
    zval     *rkeys;   /* their Redis keys */
} wx_cache_keys_t;

static zend_result wx_cache_collect_one(wx_cache_obj_t *c, zval *key, zval *val, void *ctx)
{
    wx_cache_keys_t *ks = ctx;
    zend_string *rk = wx_cache_key(c, val);
    (void) key;
    if (!rk) {
        return FAILURE;
    }
    if (zend_hash_add_empty_element(&ks->seen, rk)) {
        Z_TRY_ADDREF_P(val);
        add_next_index_zval(ks->names, val);
        add_next_index_str(ks->rkeys, rk);
    } else {
        zend_string_release(rk);
    }
    return SUCCESS;
}

/* Collect validated, prefixed keys from an iterable of keys (getMultiple,
 * deleteMultiple). `names` receives the PSR keys (strings), `rkeys` the
 * Redis keys; both packed, in order, without duplicates. */
zend_result wx_cache_collect_keys(wx_cache_obj_t *c, zval *keys, zval *names, zval *rkeys)
{
    wx_cache_keys_t ks;
    zend_result rc;

    array_init(names);
    array_init(rkeys);
    zend_hash_init(&ks.seen, 8, NULL, NULL, 0);
    ks.names = names;
    ks.rkeys = rkeys;
    rc = wx_cache_each(c, keys, "keys", wx_cache_collect_one, &ks);
    zend_hash_destroy(&ks.seen);
    if (rc == FAILURE) {
        zval_ptr_dtor(names);
        zval_ptr_dtor(rkeys);
        ZVAL_UNDEF(names);
        ZVAL_UNDEF(rkeys);
    }
    return rc;
}

/* One entry of setMultiple(): its Redis key => a copy of its value. */
static zend_result wx_cache_stage_one(wx_cache_obj_t *c, zval *key, zval *val, void *ctx)
{
    zend_string *rk;
    zval zv;

    if (Z_TYPE_P(key) == IS_LONG) {
        zval sk;
        ZVAL_STR(&sk, zend_long_to_str(Z_LVAL_P(key)));
        rk = wx_cache_key(c, &sk);
        zval_ptr_dtor(&sk);
    } else {
        rk = wx_cache_key(c, key);
    }
    if (!rk) {
        return FAILURE;
    }
    ZVAL_COPY(&zv, val);
    zend_hash_update((HashTable *) ctx, rk, &zv);
    zend_string_release(rk);
    return SUCCESS;
}

zend_result wx_cache_stage_values(wx_cache_obj_t *c, zval *values, HashTable *staged)
{
    return wx_cache_each(c, values, "values", wx_cache_stage_one, staged);
}
