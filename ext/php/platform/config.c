/*
 * WxRedis\OpenPlatform::__construct(): the config array, checked.
 */
#include "platform.h"

/* ------------------------------------------------------------- constructor */

static zend_result wx_op_cfg_string(zval *v, const char *name, zend_string **dst)
{
    if (Z_TYPE_P(v) != IS_STRING || Z_STRLEN_P(v) == 0 || memchr(Z_STRVAL_P(v), '\0', Z_STRLEN_P(v))) {
        wx_throw_invalid(WX_CACHE_ERR_ARGUMENT,
            "config \"%s\" must be a non-empty string without NUL bytes, %s given", name,
            Z_TYPE_P(v) == IS_STRING ? "an invalid string" : zend_zval_type_name(v));
        return FAILURE;
    }
    if (*dst) zend_string_release(*dst);
    *dst = zend_string_copy(Z_STR_P(v));
    return SUCCESS;
}

static zend_result wx_op_cfg_seconds(zval *v, const char *name, double min, double max, bool min_inclusive,
                                     double *dst)
{
    double d;
    if (Z_TYPE_P(v) == IS_LONG) {
        d = (double) Z_LVAL_P(v);
    } else if (Z_TYPE_P(v) == IS_DOUBLE) {
        d = Z_DVAL_P(v);
    } else {
        wx_throw_invalid(WX_CACHE_ERR_ARGUMENT,
            "config \"%s\" must be a number of seconds (int or float), %s given", name, zend_zval_type_name(v));
        return FAILURE;
    }
    if (!((min_inclusive ? d >= min : d > min) && d <= max)) {
        wx_throw_invalid(WX_CACHE_ERR_ARGUMENT,
            "config \"%s\" must be %s %g and at most %g seconds, %g given",
            name, min_inclusive ? "at least" : "greater than", min, max, d);
        return FAILURE;
    }
    *dst = d;
    return SUCCESS;
}

static zend_result wx_op_cfg_aes_key(zend_string *key, const char *name)
{
    wx_error_t err;
    if (wx_crypt_decode_aes_key(WX_STR(ZSTR_VAL(key), ZSTR_LEN(key)), NULL, &err) != WX_CRYPT_OK) {
        wx_throw_invalid(WX_CACHE_ERR_ARGUMENT,
            "config \"%s\" is not a valid EncodingAESKey: %s", name, err.msg);
        return FAILURE;
    }
    return SUCCESS;
}

ZEND_METHOD(WxRedis_OpenPlatform, __construct)
{
    HashTable *config;
    zval *cache, *v;
    zend_string *name, *token = NULL, *aes = NULL, *prev = NULL, *app_id = NULL, *secret = NULL, *base = NULL;
    double http_timeout = 5.0, lock_timeout = 0, margin = 300;
    bool lock_given = false;
    wx_crypt_t *crypt = NULL;
    wx_error_t err;
    wx_op_t *op = wx_op_from_obj(Z_OBJ_P(ZEND_THIS));

    ZEND_PARSE_PARAMETERS_START(2, 2)
        Z_PARAM_ARRAY_HT(config)
        Z_PARAM_OBJECT_OF_CLASS(cache, wx_ce_CacheBase)
    ZEND_PARSE_PARAMETERS_END();

    if (op->crypt) {
        zend_throw_error(NULL, "Cannot call the constructor twice");
        RETURN_THROWS();
    }
    if (!wx_cache_fetch(cache)) {
        RETURN_THROWS();
    }
    ZEND_HASH_FOREACH_STR_KEY_VAL(config, name, v) {
        zend_result rc;
        ZVAL_DEREF(v);
        if (!name) {
            wx_throw_invalid(WX_CACHE_ERR_ARGUMENT,
                "config must be an array keyed by name (app_id, secret, token, aes_key, ...)");
            goto fail;
        }
        if (zend_string_equals_literal(name, "app_id")) {
            rc = wx_op_cfg_string(v, "app_id", &app_id);
            if (rc == SUCCESS) rc = wx_op_check_appid(ZSTR_VAL(app_id), ZSTR_LEN(app_id), "config \"app_id\"");
        } else if (zend_string_equals_literal(name, "secret")) {
            rc = wx_op_cfg_string(v, "secret", &secret);
        } else if (zend_string_equals_literal(name, "token")) {
            rc = wx_op_cfg_string(v, "token", &token);
        } else if (zend_string_equals_literal(name, "aes_key")) {
            rc = wx_op_cfg_string(v, "aes_key", &aes);
            if (rc == SUCCESS) rc = wx_op_cfg_aes_key(aes, "aes_key");
        } else if (zend_string_equals_literal(name, "previous_aes_key")) {
            /* null or "" mean none: configuration often passes "" */
            if (Z_TYPE_P(v) == IS_NULL || (Z_TYPE_P(v) == IS_STRING && Z_STRLEN_P(v) == 0)) {
                rc = SUCCESS;
            } else {
                rc = wx_op_cfg_string(v, "previous_aes_key", &prev);
                if (rc == SUCCESS) rc = wx_op_cfg_aes_key(prev, "previous_aes_key");
            }
        } else if (zend_string_equals_literal(name, "api_base")) {
            rc = wx_op_cfg_string(v, "api_base", &base);
            if (rc == SUCCESS && strncasecmp(ZSTR_VAL(base), "http://", 7) != 0
                              && strncasecmp(ZSTR_VAL(base), "https://", 8) != 0) {
                wx_throw_invalid(WX_CACHE_ERR_ARGUMENT,
                    "config \"api_base\" must be an http:// or https:// URL, \"%s\" given", ZSTR_VAL(base));
                rc = FAILURE;
            } else if (rc == SUCCESS && (strchr(ZSTR_VAL(base), '?') || strchr(ZSTR_VAL(base), '#'))) {
                wx_throw_invalid(WX_CACHE_ERR_ARGUMENT,
                    "config \"api_base\" must not have a query or fragment, \"%s\" given", ZSTR_VAL(base));
                rc = FAILURE;
            }
        } else if (zend_string_equals_literal(name, "http_timeout")) {
            rc = wx_op_cfg_seconds(v, "http_timeout", 0, 600, false, &http_timeout);
        } else if (zend_string_equals_literal(name, "lock_timeout")) {
            rc = wx_op_cfg_seconds(v, "lock_timeout", 0, 600, false, &lock_timeout);
            lock_given = true;
        } else if (zend_string_equals_literal(name, "refresh_margin")) {
            rc = wx_op_cfg_seconds(v, "refresh_margin", 0, 3600, true, &margin);
        } else {
            wx_throw_invalid(WX_CACHE_ERR_ARGUMENT,
                "unknown config key \"%s\" (known: app_id, secret, token, aes_key, previous_aes_key, "
                "api_base, http_timeout, refresh_margin, lock_timeout)", ZSTR_VAL(name));
            rc = FAILURE;
        }
        if (rc == FAILURE) {
            goto fail;
        }
    } ZEND_HASH_FOREACH_END();

    if (!app_id || !secret || !token || !aes) {
        wx_throw_invalid(WX_CACHE_ERR_ARGUMENT, "config \"%s\" is required",
                        !app_id ? "app_id" : !secret ? "secret" : !token ? "token" : "aes_key");
        goto fail;
    }
    if (!lock_given) {
        lock_timeout = http_timeout * 2 > 10.0 ? http_timeout * 2 : 10.0;
    } else if (lock_timeout <= http_timeout) {
        wx_throw_invalid(WX_CACHE_ERR_ARGUMENT,
            "config \"lock_timeout\" (%g s) must be longer than \"http_timeout\" (%g s): the refresh lock "
            "must outlive the WeChat call it protects", lock_timeout, http_timeout);
        goto fail;
    }
    if (wx_crypt_new(WX_STR(ZSTR_VAL(token), ZSTR_LEN(token)), WX_STR(ZSTR_VAL(aes), ZSTR_LEN(aes)),
                     WX_STR(ZSTR_VAL(app_id), ZSTR_LEN(app_id)),
                     prev ? WX_STR(ZSTR_VAL(prev), ZSTR_LEN(prev)) : WX_STR(NULL, 0), &crypt, &err) != WX_CRYPT_OK) {
        wx_throw_invalid(WX_CACHE_ERR_ARGUMENT, "config: %s", err.msg);
        goto fail;
    }
    op->crypt = crypt;
    op->app_id = app_id;
    /* our own copy, wiped when the object goes (the config's string may
     * be shared, even interned) */
    op->secret = zend_string_init(ZSTR_VAL(secret), ZSTR_LEN(secret), 0);
    zend_string_release(secret);
    if (base) {
        size_t len = ZSTR_LEN(base);
        while (len > 0 && ZSTR_VAL(base)[len - 1] == '/') {
            len--;
        }
        op->api_base = zend_string_init(ZSTR_VAL(base), len, 0);
        zend_string_release(base);
    } else {
        op->api_base = zend_string_init(ZEND_STRL(WX_OP_API_BASE), 0);
    }
    op->http_timeout = http_timeout;
    op->lock_timeout = lock_timeout;
    op->margin_ms = (zend_long) (margin * 1000);
    ZVAL_COPY(&op->cache, cache);
    zend_string_release(token);
    zend_string_release(aes);
    if (prev) zend_string_release(prev);
    return;

fail:
    if (app_id) zend_string_release(app_id);
    if (secret) zend_string_release(secret);
    if (token) zend_string_release(token);
    if (aes) zend_string_release(aes);
    if (prev) zend_string_release(prev);
    if (base) zend_string_release(base);
    RETURN_THROWS();
}
