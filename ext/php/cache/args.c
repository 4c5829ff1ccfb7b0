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

/* PSR-16 key rules: true, or false with an exception. */
static zend_always_inline bool wx_cache_key_ok(zval *key)
{
    const char *p, *end;

    if (UNEXPECTED(Z_TYPE_P(key) != IS_STRING)) {
        wx_throw_invalid(WX_CACHE_ERR_KEY,
            "cache key must be a string, %s given", zend_zval_type_name(key));
        return false;
    }
    if (UNEXPECTED(Z_STRLEN_P(key) == 0)) {
        wx_throw_invalid(WX_CACHE_ERR_KEY, "cache key must not be empty");
        return false;
    }
    if (UNEXPECTED(Z_STRLEN_P(key) > WX_CACHE_KEY_MAX_BYTES)) {
        wx_throw_invalid(WX_CACHE_ERR_KEY,
            "cache key is %zu bytes long, more than %d", Z_STRLEN_P(key), WX_CACHE_KEY_MAX_BYTES);
        return false;
    }
    for (p = Z_STRVAL_P(key), end = p + Z_STRLEN_P(key); p < end; p++) {
        if (UNEXPECTED(wx_cache_reserved[(unsigned char) *p])) {
            wx_throw_invalid(WX_CACHE_ERR_KEY,
                "cache key \"%s\" contains '%c', which PSR-16 reserves ({}()/\\@:)", Z_STRVAL_P(key), *p);
            return false;
        }
    }
    return true;
}

/* PSR-16 key rules; returns prefix+key or NULL with an exception. */
zend_string *wx_cache_key(wx_cache_obj_t *c, zval *key)
{
    if (!wx_cache_key_ok(key)) {
        return NULL;
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

/* Has b already got this key? Up to WX_CACHE_BATCH_INLINE keys in a small
 * open-addressing set of positions on the stack (no table to build and
 * free for the usual batch), beyond in a HashTable made of what came
 * before. */
static bool wx_cache_batch_seen(wx_cache_batch_t *b, zend_string *k)
{
    zend_ulong h = zend_string_hash_val(k);
    uint32_t i, slot;

    if (UNEXPECTED(b->seen != NULL)) {
        zval dummy;
        ZVAL_NULL(&dummy);
        return zend_hash_add(b->seen, k, &dummy) == NULL;
    }
    for (slot = (uint32_t) h & (WX_CACHE_BATCH_SLOTS - 1); b->slots[slot]; slot = (slot + 1) & (WX_CACHE_BATCH_SLOTS - 1)) {
        i = b->slots[slot] - 1;
        if (b->hashes[i] == h && zend_string_equals(Z_STR_P(zend_hash_index_find(Z_ARRVAL(b->names), i)), k)) {
            return true;
        }
    }
    if (b->n < WX_CACHE_BATCH_INLINE) {
        b->hashes[b->n] = h;
        b->slots[slot] = (uint8_t) (b->n + 1);
        return false;
    }
    ALLOC_HASHTABLE(b->seen);
    zend_hash_init(b->seen, b->n * 2, NULL, NULL, 0);
    for (i = 0; i < b->n; i++) {
        zend_hash_add_empty_element(b->seen, Z_STR_P(zend_hash_index_find(Z_ARRVAL(b->names), i)));
    }
    zend_hash_add_empty_element(b->seen, k);
    return false;
}

static zend_result wx_cache_batch_one(wx_cache_obj_t *c, zval *key, zval *val, void *ctx)
{
    wx_cache_batch_t *b = ctx;
    (void) c;
    (void) key;
    if (!wx_cache_key_ok(val)) {
        return FAILURE;
    }
    if (!wx_cache_batch_seen(b, Z_STR_P(val))) {
        Z_TRY_ADDREF_P(val);
        zend_hash_next_index_insert_new(Z_ARRVAL(b->names), val);
        b->n++;
    }
    return SUCCESS;
}

zend_result wx_cache_batch_init(wx_cache_obj_t *c, zval *keys, const char *cmd, wx_cache_batch_t *b)
{
    size_t plen = ZSTR_LEN(c->prefix), total = 0;
    uint32_t i;
    zval *k;

    b->n = 0;
    b->seen = NULL;
    memset(b->slots, 0, sizeof(b->slots));
    b->argv = b->argv_inline;
    b->lens = b->lens_inline;
    b->arena = NULL;
    array_init_size(&b->names, Z_TYPE_P(keys) == IS_ARRAY ? zend_hash_num_elements(Z_ARRVAL_P(keys)) : 8);
    zend_hash_real_init_packed(Z_ARRVAL(b->names));
    if (wx_cache_each(c, keys, "keys", wx_cache_batch_one, b) == FAILURE) {
        wx_cache_batch_free(b);
        return FAILURE;
    }
    if (b->seen) {
        zend_hash_destroy(b->seen);
        FREE_HASHTABLE(b->seen);
        b->seen = NULL;
    }
    if (b->n + 1 > WX_CACHE_BATCH_INLINE + 1) {
        b->argv = safe_emalloc(b->n + 1, sizeof(*b->argv), 0);
        b->lens = safe_emalloc(b->n + 1, sizeof(*b->lens), 0);
    }
    b->argv[0] = cmd;
    b->lens[0] = strlen(cmd);
    i = 1;
    if (plen == 0) {
        /* the Redis keys are the PSR keys: point at them */
        ZEND_HASH_PACKED_FOREACH_VAL(Z_ARRVAL(b->names), k) {
            b->argv[i] = Z_STRVAL_P(k);
            b->lens[i++] = Z_STRLEN_P(k);
        } ZEND_HASH_FOREACH_END();
        return SUCCESS;
    }
    /* prefix + key of every key in one buffer */
    ZEND_HASH_PACKED_FOREACH_VAL(Z_ARRVAL(b->names), k) {
        total += plen + Z_STRLEN_P(k);
    } ZEND_HASH_FOREACH_END();
    if (total) {
        char *p = b->arena = emalloc(total);
        ZEND_HASH_PACKED_FOREACH_VAL(Z_ARRVAL(b->names), k) {
            memcpy(p, ZSTR_VAL(c->prefix), plen);
            memcpy(p + plen, Z_STRVAL_P(k), Z_STRLEN_P(k));
            b->argv[i] = p;
            b->lens[i++] = plen + Z_STRLEN_P(k);
            p += plen + Z_STRLEN_P(k);
        } ZEND_HASH_FOREACH_END();
    }
    return SUCCESS;
}

void wx_cache_batch_free(wx_cache_batch_t *b)
{
    if (b->seen) {
        zend_hash_destroy(b->seen);
        FREE_HASHTABLE(b->seen);
        b->seen = NULL;
    }
    zval_ptr_dtor(&b->names);
    ZVAL_UNDEF(&b->names);
    if (b->argv != b->argv_inline) {
        efree(b->argv);
        efree(b->lens);
        b->argv = b->argv_inline;
        b->lens = b->lens_inline;
    }
    if (b->arena) {
        efree(b->arena);
        b->arena = NULL;
    }
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
