/*
 * WxRedis\Cache's constructor: the DSN and the options array.
 */
#ifdef HAVE_CONFIG_H
# include "config.h"
#endif

#include "php.h"
#include "php/exceptions.h"
#include "php/pool.h"
#include "internal.h"

/* Timeouts above a day are a typo (milliseconds given as seconds), and
 * would hold a PHP worker that long on a dead server. */
#define WX_CACHE_TIMEOUT_MAX_SECONDS 86400
/* Where the cache connects without a DSN (the stub's default). */
#define WX_CACHE_DEFAULT_HOST        "127.0.0.1"
/* Room for wx_conn_parse_dsn()'s message. */
#define WX_CACHE_DSN_ERR_SIZE        256

static zend_result wx_cache_opt_string(zval *v, const char *name, char **dst)
{
    if (Z_TYPE_P(v) == IS_NULL) {
        free(*dst);
        *dst = NULL;
        return SUCCESS;
    }
    if (Z_TYPE_P(v) != IS_STRING || memchr(Z_STRVAL_P(v), '\0', Z_STRLEN_P(v))) {
        wx_throw_invalid(WX_CACHE_ERR_ARGUMENT,
            "option \"%s\" must be a string without NUL bytes, or null", name);
        return FAILURE;
    }
    free(*dst);
    *dst = strdup(Z_STRVAL_P(v));
    return SUCCESS;
}

static zend_result wx_cache_opt_timeout(zval *v, const char *name, double *dst)
{
    double d;
    if (Z_TYPE_P(v) == IS_LONG) d = (double) Z_LVAL_P(v);
    else if (Z_TYPE_P(v) == IS_DOUBLE) d = Z_DVAL_P(v);
    else d = -1;
    if (!(d > 0 && d <= WX_CACHE_TIMEOUT_MAX_SECONDS)) {
        wx_throw_invalid(WX_CACHE_ERR_ARGUMENT,
            "option \"%s\" must be a number of seconds greater than 0 (at most %d)",
            name, WX_CACHE_TIMEOUT_MAX_SECONDS);
        return FAILURE;
    }
    *dst = d;
    return SUCCESS;
}

static zend_result wx_cache_opt_bool(zval *v, const char *name, bool *dst)
{
    if (Z_TYPE_P(v) != IS_TRUE && Z_TYPE_P(v) != IS_FALSE) {
        wx_throw_invalid(WX_CACHE_ERR_ARGUMENT,
            "option \"%s\" must be a bool, %s given", name, zend_zval_type_name(v));
        return FAILURE;
    }
    *dst = Z_TYPE_P(v) == IS_TRUE;
    return SUCCESS;
}

static zend_result wx_cache_apply_options(wx_cache_obj_t *c, HashTable *options,
                                          wx_conn_opts_t *o, bool *persistent)
{
    zend_string *name;
    zval *v;

    ZEND_HASH_FOREACH_STR_KEY_VAL(options, name, v) {
        ZVAL_DEREF(v);
        if (!name) {
            wx_throw_invalid(WX_CACHE_ERR_ARGUMENT,
                "options must be an array keyed by option name");
            return FAILURE;
        }
        if (zend_string_equals_literal(name, "prefix")) {
            if (Z_TYPE_P(v) != IS_STRING) {
                wx_throw_invalid(WX_CACHE_ERR_ARGUMENT,
                    "option \"prefix\" must be a string, %s given", zend_zval_type_name(v));
                return FAILURE;
            }
            zend_string_release(c->prefix);
            c->prefix = zend_string_copy(Z_STR_P(v));
        } else if (zend_string_equals_literal(name, "connect_timeout")) {
            if (wx_cache_opt_timeout(v, "connect_timeout", &o->connect_timeout) == FAILURE) return FAILURE;
        } else if (zend_string_equals_literal(name, "read_timeout")) {
            if (wx_cache_opt_timeout(v, "read_timeout", &o->read_timeout) == FAILURE) return FAILURE;
        } else if (zend_string_equals_literal(name, "persistent")) {
            if (wx_cache_opt_bool(v, "persistent", persistent) == FAILURE) return FAILURE;
        } else if (zend_string_equals_literal(name, "legacy_formats")) {
            if (wx_cache_opt_bool(v, "legacy_formats", &c->codec.legacy_formats) == FAILURE) return FAILURE;
        } else if (zend_string_equals_literal(name, "username")) {
            if (wx_cache_opt_string(v, "username", &o->username) == FAILURE) return FAILURE;
        } else if (zend_string_equals_literal(name, "password")) {
            if (wx_cache_opt_string(v, "password", &o->password) == FAILURE) return FAILURE;
        } else if (zend_string_equals_literal(name, "database")) {
            if (Z_TYPE_P(v) != IS_LONG || Z_LVAL_P(v) < 0 || Z_LVAL_P(v) > INT_MAX) {
                wx_throw_invalid(WX_CACHE_ERR_ARGUMENT,
                    "option \"database\" must be an int >= 0");
                return FAILURE;
            }
            o->database = (long) Z_LVAL_P(v);
        } else if (zend_string_equals_literal(name, "max_reply_bytes")) {
            /* checked from each reply's header, before anything is
             * buffered; the floor keeps room for the handshake's replies */
            if (Z_TYPE_P(v) != IS_LONG || Z_LVAL_P(v) < 1024) {
                wx_throw_invalid(WX_CACHE_ERR_ARGUMENT,
                    "option \"max_reply_bytes\" must be an int >= 1024 (bytes of one reply; default 536870912)");
                return FAILURE;
            }
            o->max_reply_bytes = (size_t) Z_LVAL_P(v);
        } else if (zend_string_equals_literal(name, "allowed_classes")) {
            if (wx_codec_set_allowed_classes(&c->codec, v, "option \"allowed_classes\"") == FAILURE) return FAILURE;
        } else {
            wx_throw_invalid(WX_CACHE_ERR_ARGUMENT,
                "unknown option \"%s\" (known: prefix, connect_timeout, read_timeout, persistent, "
                "username, password, database, allowed_classes, legacy_formats, max_reply_bytes)", ZSTR_VAL(name));
            return FAILURE;
        }
    } ZEND_HASH_FOREACH_END();
    if (o->username && !o->password) {
        wx_throw_invalid(WX_CACHE_ERR_ARGUMENT,
            "a username needs a password (Redis AUTH takes both)");
        return FAILURE;
    }
    return SUCCESS;
}

ZEND_METHOD(WxRedis_CacheBase, __construct)
{
    zend_string *dsn = NULL;
    HashTable *options = NULL;
    wx_cache_obj_t *c = wx_cache_from_obj(Z_OBJ_P(ZEND_THIS));
    wx_conn_opts_t o;
    bool persistent = true;
    char err[WX_CACHE_DSN_ERR_SIZE];

    ZEND_PARSE_PARAMETERS_START(0, 2)
        Z_PARAM_OPTIONAL
        Z_PARAM_STR(dsn)
        Z_PARAM_ARRAY_HT(options)
    ZEND_PARSE_PARAMETERS_END();

    if (c->conn) {
        zend_throw_error(NULL, "Cannot call the constructor twice");
        RETURN_THROWS();
    }
    wx_conn_opts_init(&o);
    if (dsn && wx_conn_parse_dsn(&o, ZSTR_VAL(dsn), ZSTR_LEN(dsn), err, sizeof(err)) != WX_CONN_OK) {
        wx_throw_invalid(WX_CONN_ERR_DSN, "invalid DSN \"%s\": %s", ZSTR_VAL(dsn), err);
        goto fail;
    }
    if (!dsn) {
        o.host = strdup(WX_CACHE_DEFAULT_HOST);
    }
    c->prefix = ZSTR_EMPTY_ALLOC();
    if (options && wx_cache_apply_options(c, options, &o, &persistent) == FAILURE) {
        goto fail;
    }
    /* lazy: nothing is sent before the first operation, so a Redis outage
     * does not break requests that never touch the cache */
    c->conn = wx_pool_acquire(&o, persistent);
    c->owns_conn = !persistent;
    if (!c->conn) {
        goto fail;
    }
    wx_conn_opts_clear(&o);
    return;

fail:
    wx_conn_opts_clear(&o);
    /* back to a never-constructed object: a constructor called again
     * (parent::__construct() in a try) must not leak the first options */
    if (c->prefix) {
        zend_string_release(c->prefix);
        c->prefix = NULL;
    }
    wx_codec_dtor(&c->codec);
    c->codec.legacy_formats = false;
    RETURN_THROWS();
}
