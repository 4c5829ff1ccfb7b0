/*
 * WxRedis\Cache's constructor: the DSN and the options array.
 */
#ifdef HAVE_CONFIG_H
# include "config.h"
#endif

#include "php.h"
#include "php/exceptions.h"
#include "php/pool.h"
#include "core/wx_topology.h"
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

/* A timeout wxredis accepts, from the options or the DSN. */
static zend_always_inline bool wx_cache_timeout_ok(double d)
{
    return d > 0 && d <= WX_CACHE_TIMEOUT_MAX_SECONDS;
}

static zend_result wx_cache_opt_timeout(zval *v, const char *name, double *dst)
{
    double d;
    if (Z_TYPE_P(v) == IS_LONG) d = (double) Z_LVAL_P(v);
    else if (Z_TYPE_P(v) == IS_DOUBLE) d = Z_DVAL_P(v);
    else d = -1;
    if (!wx_cache_timeout_ok(d)) {
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
                                          wx_client_opts_t *co, bool *persistent)
{
    wx_conn_opts_t *o = &co->node;
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
        } else if (zend_string_equals_literal(name, "sentinel_username")
                   || zend_string_equals_literal(name, "sentinel_password")) {
            if (co->mode != WX_TOPO_SENTINEL) {
                wx_throw_invalid(WX_CACHE_ERR_ARGUMENT,
                    "option \"%s\" is for a Sentinel DSN (redis:?host[...]&redis_sentinel=NAME)", ZSTR_VAL(name));
                return FAILURE;
            }
            if (wx_cache_opt_string(v, ZSTR_VAL(name), ZSTR_VAL(name)[9] == 'u'
                    ? &co->sentinel_username : &co->sentinel_password) == FAILURE) return FAILURE;
        } else if (zend_string_equals_literal(name, "database")) {
            if (Z_TYPE_P(v) != IS_LONG || Z_LVAL_P(v) < 0 || Z_LVAL_P(v) > INT_MAX) {
                wx_throw_invalid(WX_CACHE_ERR_ARGUMENT,
                    "option \"database\" must be an int >= 0");
                return FAILURE;
            }
            if (co->mode == WX_TOPO_CLUSTER && Z_LVAL_P(v) != 0) {
                wx_throw_invalid(WX_CACHE_ERR_ARGUMENT,
                    "option \"database\" must be 0 on a Redis Cluster (it has only database 0)");
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
                "username, password, database, allowed_classes, legacy_formats, max_reply_bytes, "
                "sentinel_username, sentinel_password)", ZSTR_VAL(name));
            return FAILURE;
        }
    } ZEND_HASH_FOREACH_END();
    if (o->username && !o->password) {
        wx_throw_invalid(WX_CACHE_ERR_ARGUMENT,
            "a username needs a password (Redis AUTH takes both)");
        return FAILURE;
    }
    if (co->sentinel_username && !co->sentinel_password) {
        wx_throw_invalid(WX_CACHE_ERR_ARGUMENT,
            "a sentinel_username needs a sentinel_password (Redis AUTH takes both)");
        return FAILURE;
    }
    return SUCCESS;
}

static zend_result wx_cache_dsn_timeout(const char *v, const char *name, double *dst)
{
    char *end;
    double d = zend_strtod(v, (const char **) &end);
    if (*v == '\0' || *end != '\0' || !wx_cache_timeout_ok(d)) {
        wx_throw_invalid(WX_CONN_ERR_DSN,
            "invalid DSN: %s must be a number of seconds greater than 0 (at most %d), not \"%s\"",
            name, WX_CACHE_TIMEOUT_MAX_SECONDS, v);
        return FAILURE;
    }
    *dst = d;
    return SUCCESS;
}

/* Symfony's connection parameters that mean nothing here: accepted so
 * that a DSN pasted from a Symfony config works (each is a phpredis or
 * Relay knob, or a choice wxredis makes for itself: it always reads from
 * masters, retries per its own rules and connects lazily). */
static const char *const wx_cache_dsn_ignored[] = {
    "persistent_id", "retry_interval", "tcp_keepalive", "lazy", "failover", "class",
    "redis_sentinel_timeout", "cluster_failover"
};

/* A multi-host or parameterised DSN (core/wx_topology.h) into co. */
static zend_result wx_cache_parse_topo_dsn(zend_string *dsn, wx_client_opts_t *co, bool *persistent)
{
    wx_topo_dsn_t d;
    char err[WX_CACHE_DSN_ERR_SIZE];
    zend_result rc = FAILURE;
    size_t i, k;

    wx_topo_dsn_init(&d);
    if (wx_topo_parse_dsn(&d, ZSTR_VAL(dsn), ZSTR_LEN(dsn), err, sizeof(err)) != WX_TOPO_OK) {
        /* the parser's message never repeats a password */
        wx_throw_invalid(WX_CONN_ERR_DSN, "invalid DSN: %s", err);
        return FAILURE;
    }
    co->mode = d.mode;
    co->node.database = d.dbindex;
    co->node.username = d.username;
    co->node.password = d.password;
    co->service = d.service;
    co->sentinel_username = d.sentinel_username;
    co->sentinel_password = d.sentinel_password;
    d.username = d.password = d.service = d.sentinel_username = d.sentinel_password = NULL;
    if (d.mode == WX_TOPO_SINGLE) {
        co->node.host = d.hosts[0].host;
        co->node.unix_path = d.hosts[0].unix_path;
        co->node.port = d.hosts[0].port;
        d.hosts[0].host = d.hosts[0].unix_path = NULL;
    } else {
        for (i = 0; i < d.nhosts; i++) {
            if (wx_client_opts_add_seed(co, d.hosts[i].host, d.hosts[i].port, d.hosts[i].unix_path) != WX_CONN_OK) {
                zend_throw_error(NULL, "out of memory");
                goto done;
            }
        }
    }
    for (i = 0; i < d.nparams; i++) {
        const char *key = d.params[i].key, *val = d.params[i].value;
        if (strcmp(key, "timeout") == 0) {
            if (wx_cache_dsn_timeout(val, "timeout", &co->node.connect_timeout) == FAILURE) goto done;
        } else if (strcmp(key, "read_timeout") == 0) {
            if (wx_cache_dsn_timeout(val, "read_timeout", &co->node.read_timeout) == FAILURE) goto done;
        } else if (strcmp(key, "persistent") == 0) {
            if (strcmp(val, "1") == 0 || strcasecmp(val, "true") == 0) *persistent = true;
            else if (strcmp(val, "0") == 0 || strcasecmp(val, "false") == 0) *persistent = false;
            else {
                wx_throw_invalid(WX_CONN_ERR_DSN, "invalid DSN: persistent must be 0 or 1, not \"%s\"", val);
                goto done;
            }
        } else {
            for (k = 0; k < sizeof(wx_cache_dsn_ignored) / sizeof(wx_cache_dsn_ignored[0]); k++) {
                if (strcmp(key, wx_cache_dsn_ignored[k]) == 0) break;
            }
            if (k == sizeof(wx_cache_dsn_ignored) / sizeof(wx_cache_dsn_ignored[0])) {
                wx_throw_invalid(WX_CONN_ERR_DSN,
                    "invalid DSN: unknown parameter \"%s\" (known: host[...], redis_sentinel, redis_cluster, "
                    "dbindex, auth, timeout, read_timeout, persistent)", key);
                goto done;
            }
        }
    }
    rc = SUCCESS;
done:
    wx_topo_dsn_clear(&d);
    return rc;
}

/* Whether options holds only what belongs to the object (prefix, the
 * decoding rules), so that the DSN alone decides the connection. */
static bool wx_cache_options_per_object(HashTable *options)
{
    zend_string *name;

    ZEND_HASH_FOREACH_STR_KEY(options, name) {
        if (!name || !(zend_string_equals_literal(name, "prefix")
                || zend_string_equals_literal(name, "allowed_classes")
                || zend_string_equals_literal(name, "legacy_formats"))) {
            return false;
        }
    } ZEND_HASH_FOREACH_END();
    return true;
}

ZEND_METHOD(WxRedis_CacheBase, __construct)
{
    zend_string *dsn = NULL;
    HashTable *options = NULL;
    wx_cache_obj_t *c = wx_cache_from_obj(Z_OBJ_P(ZEND_THIS));
    wx_client_opts_t o;
    bool persistent = true, by_dsn;
    char err[WX_CACHE_DSN_ERR_SIZE];

    ZEND_PARSE_PARAMETERS_START(0, 2)
        Z_PARAM_OPTIONAL
        Z_PARAM_STR(dsn)
        Z_PARAM_ARRAY_HT(options)
    ZEND_PARSE_PARAMETERS_END();

    if (c->client) {
        zend_throw_error(NULL, "Cannot call the constructor twice");
        RETURN_THROWS();
    }
    wx_client_opts_init(&o);
    by_dsn = dsn && (!options || wx_cache_options_per_object(options));
    if (by_dsn && (c->client = wx_pool_find_dsn(dsn))) {
        /* this DSN was parsed before in this process, and pooled */
        c->owns_client = false;
        c->prefix = ZSTR_EMPTY_ALLOC();
        if (options && wx_cache_apply_options(c, options, &o, &persistent) == FAILURE) {
            c->client = NULL;
            goto fail;
        }
        return;
    }
    if (dsn && wx_topo_dsn_wants(ZSTR_VAL(dsn), ZSTR_LEN(dsn))) {
        /* Symfony's forms: several hosts, Sentinel, Cluster, parameters */
        if (wx_cache_parse_topo_dsn(dsn, &o, &persistent) == FAILURE) goto fail;
    } else if (dsn && wx_conn_parse_dsn(&o.node, ZSTR_VAL(dsn), ZSTR_LEN(dsn), err, sizeof(err)) != WX_CONN_OK) {
        wx_throw_invalid(WX_CONN_ERR_DSN, "invalid DSN \"%s\": %s", ZSTR_VAL(dsn), err);
        goto fail;
    }
    if (!dsn) {
        o.node.host = strdup(WX_CACHE_DEFAULT_HOST);
    }
    c->prefix = ZSTR_EMPTY_ALLOC();
    if (options && wx_cache_apply_options(c, options, &o, &persistent) == FAILURE) {
        goto fail;
    }
    /* lazy: nothing is sent before the first operation, so a Redis outage
     * does not break requests that never touch the cache */
    c->client = wx_pool_acquire(&o, persistent);
    c->owns_client = !persistent;
    if (!c->client) {
        goto fail;
    }
    if (by_dsn && persistent) {
        wx_pool_remember_dsn(dsn, c->client);
    }
    wx_client_opts_clear(&o);
    return;

fail:
    wx_client_opts_clear(&o);
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
