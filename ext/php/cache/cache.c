/*
 * WxRedis\CacheBase (and so WxRedis\Cache): a PSR-16 cache on Redis.
 *
 * Thin glue: argument checking and PSR-16 semantics here; bytes on the wire
 * in codec.c; the socket in core/wx_conn.c. Every method is exactly one
 * round trip (batches are MGET, one pipeline of SETs, one DEL), except
 * clear(), which walks the prefix with SCAN.
 */
#ifdef HAVE_CONFIG_H
# include "config.h"
#endif

#include "php.h"
#include "zend_exceptions.h"
#include "zend_interfaces.h"
#include "zend_smart_str.h"
#include "ext/date/php_date.h"

#include "php_wxredis.h"
#include "cache_arginfo.h"

zend_class_entry *wx_ce_CacheBase;
static zend_class_entry *wx_ce_CacheItems;

static zend_object_handlers wx_cache_handlers;
static zend_object_handlers wx_cache_items_handlers;

/* Redis keys are binary safe; this bound only stops absurd input. */
#define WX_CACHE_MAX_KEY 65536

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
    if (c->conn && c->owns_conn) {
        wx_conn_free(c->conn);
    }
    c->conn = NULL;
    if (c->prefix) {
        zend_string_release(c->prefix);
    }
    wx_codec_dtor(&c->codec);
    zend_object_std_dtor(obj);
}

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

static int wx_cache_items_iter_valid(zend_object_iterator *it)
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

/* ---------------------------------------------------------------- helpers */

static wx_cache_obj_t *wx_cache_this(zval *zthis)
{
    wx_cache_obj_t *c = Z_WX_CACHE_P(zthis);
    if (!c->conn) {
        zend_throw_error(NULL, "%s object is not initialized: its constructor was not called",
                         ZSTR_VAL(Z_OBJCE_P(zthis)->name));
        return NULL;
    }
    return c;
}

static ZEND_COLD void wx_cache_conn_error(wx_cache_obj_t *c)
{
    WXREDIS_G(cache_stats).errors++;
    wx_throw_cache(c->conn->err, "%s", c->conn->errstr);
}

/* PSR-16 key rules; returns prefix+key or NULL with an exception. */
static zend_string *wx_cache_key(wx_cache_obj_t *c, zval *key)
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
    if (Z_STRLEN_P(key) > WX_CACHE_MAX_KEY) {
        wx_throw_invalid(WX_CACHE_ERR_KEY,
            "cache key is %zu bytes long, more than %d", Z_STRLEN_P(key), WX_CACHE_MAX_KEY);
        return NULL;
    }
    for (p = Z_STRVAL_P(key), end = p + Z_STRLEN_P(key); p < end; p++) {
        if (strchr("{}()/\\@:", *p) && *p) {
            wx_throw_invalid(WX_CACHE_ERR_KEY,
                "cache key \"%s\" contains '%c', which PSR-16 reserves ({}()/\\@:)", Z_STRVAL_P(key), *p);
            return NULL;
        }
    }
    return zend_string_concat2(ZSTR_VAL(c->prefix), ZSTR_LEN(c->prefix), Z_STRVAL_P(key), Z_STRLEN_P(key));
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
    return EG(exception) ? FAILURE : rc;
}

typedef enum { WX_TTL_FOREVER, WX_TTL_SECONDS, WX_TTL_EXPIRED, WX_TTL_ERROR } wx_ttl_t;

static wx_ttl_t wx_cache_ttl(zval *ttl, zend_long *secs)
{
    if (Z_TYPE_P(ttl) == IS_NULL) {
        return WX_TTL_FOREVER;
    }
    if (Z_TYPE_P(ttl) == IS_LONG) {
        *secs = Z_LVAL_P(ttl);
    } else if (Z_TYPE_P(ttl) == IS_OBJECT && instanceof_function(Z_OBJCE_P(ttl), php_date_get_interval_ce())) {
        if (wx_cache_interval_seconds(ttl, secs) == FAILURE) {
            return WX_TTL_ERROR;
        }
    } else {
        wx_throw_invalid(WX_CACHE_ERR_TTL,
            "TTL must be null, an int (seconds) or a DateInterval, %s given", zend_zval_type_name(ttl));
        return WX_TTL_ERROR;
    }
    return *secs > 0 ? WX_TTL_SECONDS : WX_TTL_EXPIRED;
}

/* Run n commands in one round trip; throws on a connection failure. */
zend_result wx_cache_pipeline(wx_cache_obj_t *c, const wx_conn_cmd_t *cmds, size_t n, redisReply **replies)
{
    if (wx_conn_pipeline(c->conn, cmds, n, replies) != WX_CONN_OK) {
        wx_cache_conn_error(c);
        return FAILURE;
    }
    return SUCCESS;
}

/* One command; an error reply is thrown as CacheException. */
redisReply *wx_cache_command(wx_cache_obj_t *c, int argc, const char **argv, const size_t *lens)
{
    wx_conn_cmd_t cmd = { argc, argv, lens };
    redisReply *r;
    if (wx_cache_pipeline(c, &cmd, 1, &r) == FAILURE) {
        return NULL;
    }
    if (r->type == REDIS_REPLY_ERROR) {
        WXREDIS_G(cache_stats).errors++;
        wx_throw_cache(WX_CONN_ERR_REPLY, "Redis %s failed: %.*s",
                        argv[0], (int) r->len, r->str);
        freeReplyObject(r);
        return NULL;
    }
    return r;
}

/* CMD <key>: one command on one Redis key (GET, EXISTS, DEL). */
static redisReply *wx_cache_key_command(wx_cache_obj_t *c, const char *cmd, zend_string *rk)
{
    const char *argv[2] = { cmd, ZSTR_VAL(rk) };
    size_t lens[2] = { strlen(cmd), ZSTR_LEN(rk) };
    return wx_cache_command(c, 2, argv, lens);
}

/* DEL of one key, counted; false with an exception on failure. */
static bool wx_cache_del_one(wx_cache_obj_t *c, zend_string *rk)
{
    redisReply *r = wx_cache_key_command(c, "DEL", rk);
    if (!r) {
        return false;
    }
    WXREDIS_G(cache_stats).deletes++;
    freeReplyObject(r);
    return true;
}

/* Call fn(key, value) for each entry of an array or a Traversable (int
 * keys arrive as IS_LONG, as PHP arrays hold them). FAILURE when fn fails,
 * the iterator throws, or `iterable` is neither (InvalidArgumentException
 * naming `what`). */
typedef zend_result (*wx_cache_each_fn)(wx_cache_obj_t *c, zval *key, zval *val, void *ctx);

static zend_result wx_cache_each(wx_cache_obj_t *c, zval *iterable, const char *what,
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
static zend_result wx_cache_collect_keys(wx_cache_obj_t *c, zval *keys, zval *names, zval *rkeys)
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

/* A command made of a fixed head and the strings of a packed array. */
typedef struct {
    const char **argv;
    size_t      *lens;
    int          argc;
} wx_cache_argv_t;

static void wx_cache_argv_build(wx_cache_argv_t *a, const char *head, zval *strings)
{
    zval *s;
    uint32_t n = zend_hash_num_elements(Z_ARRVAL_P(strings)) + 1;
    a->argv = safe_emalloc(n, sizeof(char *), 0);
    a->lens = safe_emalloc(n, sizeof(size_t), 0);
    a->argv[0] = head;
    a->lens[0] = strlen(head);
    a->argc = 1;
    ZEND_HASH_FOREACH_VAL(Z_ARRVAL_P(strings), s) {
        a->argv[a->argc] = Z_STRVAL_P(s);
        a->lens[a->argc] = Z_STRLEN_P(s);
        a->argc++;
    } ZEND_HASH_FOREACH_END();
}

static void wx_cache_argv_free(wx_cache_argv_t *a)
{
    efree(a->argv);
    efree(a->lens);
}

/* DEL of the Redis keys in rkeys (a packed array); one round trip. */
static bool wx_cache_del(wx_cache_obj_t *c, zval *rkeys)
{
    wx_cache_argv_t a;
    redisReply *r;

    if (zend_hash_num_elements(Z_ARRVAL_P(rkeys)) == 0) {
        return true;
    }
    wx_cache_argv_build(&a, "DEL", rkeys);
    r = wx_cache_command(c, a.argc, a.argv, a.lens);
    wx_cache_argv_free(&a);
    if (!r) {
        return false;
    }
    WXREDIS_G(cache_stats).deletes += zend_hash_num_elements(Z_ARRVAL_P(rkeys));
    freeReplyObject(r);
    return true;
}

/* ------------------------------------------------------------ constructor */

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
    if (!(d > 0 && d <= 86400)) {
        wx_throw_invalid(WX_CACHE_ERR_ARGUMENT,
            "option \"%s\" must be a number of seconds greater than 0 (at most 86400)", name);
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
        } else if (zend_string_equals_literal(name, "allowed_classes")) {
            if (wx_codec_set_allowed_classes(&c->codec, v, "option \"allowed_classes\"") == FAILURE) return FAILURE;
        } else {
            wx_throw_invalid(WX_CACHE_ERR_ARGUMENT,
                "unknown option \"%s\" (known: prefix, connect_timeout, read_timeout, persistent, "
                "username, password, database, allowed_classes, legacy_formats)", ZSTR_VAL(name));
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
    wx_cache_obj_t *c = Z_WX_CACHE_P(ZEND_THIS);
    wx_conn_opts_t o;
    bool persistent = true;
    char err[256];

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
        o.host = strdup("127.0.0.1");
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
        zend_throw_error(NULL, "out of memory");
        goto fail;
    }
    wx_conn_opts_clear(&o);
    return;

fail:
    wx_conn_opts_clear(&o);
    RETURN_THROWS();
}

/* ----------------------------------------------------------- PSR-16 calls */

ZEND_METHOD(WxRedis_CacheBase, get)
{
    zval *key, *def = NULL;
    wx_cache_obj_t *c;
    zend_string *rk;
    redisReply *r;

    ZEND_PARSE_PARAMETERS_START(1, 2)
        Z_PARAM_ZVAL(key)
        Z_PARAM_OPTIONAL
        Z_PARAM_ZVAL(def)
    ZEND_PARSE_PARAMETERS_END();

    if (!(c = wx_cache_this(ZEND_THIS)) || !(rk = wx_cache_key(c, key))) {
        RETURN_THROWS();
    }
    r = wx_cache_key_command(c, "GET", rk);
    if (!r) {
        zend_string_release(rk);
        RETURN_THROWS();
    }
    if (r->type == REDIS_REPLY_STRING) {
        WXREDIS_G(cache_stats).hits++;
        if (wx_codec_decode(&c->codec, rk, r->str, r->len, return_value) == FAILURE) {
            WXREDIS_G(cache_stats).errors++;
        }
    } else {
        WXREDIS_G(cache_stats).misses++;
        if (def) {
            RETVAL_COPY(def);
        }
    }
    freeReplyObject(r);
    zend_string_release(rk);
}

ZEND_METHOD(WxRedis_CacheBase, set)
{
    zval *key, *value, *ttl = NULL, null_ttl;
    wx_cache_obj_t *c;
    zend_string *rk, *bytes;
    zend_long secs = 0;
    wx_ttl_t kind;
    redisReply *r;
    char exbuf[24];
    const char *argv[5];
    size_t lens[5];
    int argc = 3;

    ZEND_PARSE_PARAMETERS_START(2, 3)
        Z_PARAM_ZVAL(key)
        Z_PARAM_ZVAL(value)
        Z_PARAM_OPTIONAL
        Z_PARAM_ZVAL(ttl)
    ZEND_PARSE_PARAMETERS_END();

    ZVAL_NULL(&null_ttl);
    if (!(c = wx_cache_this(ZEND_THIS)) || !(rk = wx_cache_key(c, key))) {
        RETURN_THROWS();
    }
    kind = wx_cache_ttl(ttl ? ttl : &null_ttl, &secs);
    if (kind == WX_TTL_ERROR) {
        zend_string_release(rk);
        RETURN_THROWS();
    }
    if (kind == WX_TTL_EXPIRED) {
        /* PSR-16: a TTL of 0 or less removes the item */
        bool ok = wx_cache_del_one(c, rk);
        zend_string_release(rk);
        if (!ok) {
            RETURN_THROWS();
        }
        RETURN_TRUE;
    }
    bytes = wx_codec_encode(value, Z_STR_P(key));
    if (!bytes) {
        zend_string_release(rk);
        RETURN_THROWS();
    }
    argv[0] = "SET"; lens[0] = 3;
    argv[1] = ZSTR_VAL(rk); lens[1] = ZSTR_LEN(rk);
    argv[2] = ZSTR_VAL(bytes); lens[2] = ZSTR_LEN(bytes);
    if (kind == WX_TTL_SECONDS) {
        argv[3] = "EX"; lens[3] = 2;
        argv[4] = exbuf; lens[4] = (size_t) snprintf(exbuf, sizeof(exbuf), ZEND_LONG_FMT, secs);
        argc = 5;
    }
    r = wx_cache_command(c, argc, argv, lens);
    zend_string_release(bytes);
    zend_string_release(rk);
    if (!r) {
        RETURN_THROWS();
    }
    WXREDIS_G(cache_stats).writes++;
    RETVAL_BOOL(r->type == REDIS_REPLY_STATUS);
    freeReplyObject(r);
}

ZEND_METHOD(WxRedis_CacheBase, delete)
{
    zval *key;
    wx_cache_obj_t *c;
    zend_string *rk;
    bool ok;

    ZEND_PARSE_PARAMETERS_START(1, 1)
        Z_PARAM_ZVAL(key)
    ZEND_PARSE_PARAMETERS_END();

    if (!(c = wx_cache_this(ZEND_THIS)) || !(rk = wx_cache_key(c, key))) {
        RETURN_THROWS();
    }
    ok = wx_cache_del_one(c, rk);
    zend_string_release(rk);
    if (!ok) {
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
    r = wx_cache_key_command(c, "EXISTS", rk);
    zend_string_release(rk);
    if (!r) {
        RETURN_THROWS();
    }
    RETVAL_BOOL(r->type == REDIS_REPLY_INTEGER && r->integer > 0);
    freeReplyObject(r);
}

/* Escape glob metacharacters so SCAN MATCH sees the prefix literally. */
static zend_string *wx_cache_match_pattern(zend_string *prefix)
{
    smart_str s = {0};
    size_t i;
    for (i = 0; i < ZSTR_LEN(prefix); i++) {
        char ch = ZSTR_VAL(prefix)[i];
        if (ch == '*' || ch == '?' || ch == '[' || ch == ']' || ch == '\\') {
            smart_str_appendc(&s, '\\');
        }
        smart_str_appendc(&s, ch);
    }
    smart_str_appendc(&s, '*');
    smart_str_0(&s);
    return smart_str_extract(&s);
}

/* UNLINK (or DEL on servers before 4.0) the keys of one SCAN page. */
static zend_result wx_cache_unlink_page(wx_cache_obj_t *c, redisReply *page)
{
    const char **argv;
    size_t *lens, i;
    wx_conn_cmd_t cmd;
    redisReply *r;
    zend_result rc = SUCCESS;

    if (page->elements == 0) {
        return SUCCESS;
    }
    argv = safe_emalloc(page->elements + 1, sizeof(char *), 0);
    lens = safe_emalloc(page->elements + 1, sizeof(size_t), 0);
    for (i = 0; i < page->elements; i++) {
        argv[i + 1] = page->element[i]->str;
        lens[i + 1] = page->element[i]->len;
    }
    cmd.argc = (int) page->elements + 1;
    cmd.argv = argv;
    cmd.argvlen = lens;
    for (;;) {
        argv[0] = c->no_unlink ? "DEL" : "UNLINK";
        lens[0] = strlen(argv[0]);
        if (wx_cache_pipeline(c, &cmd, 1, &r) == FAILURE) {
            rc = FAILURE;
            break;
        }
        if (r->type == REDIS_REPLY_ERROR && !c->no_unlink && strstr(r->str, "unknown command")) {
            c->no_unlink = true;
            freeReplyObject(r);
            continue;
        }
        if (r->type == REDIS_REPLY_ERROR) {
            WXREDIS_G(cache_stats).errors++;
            wx_throw_cache(WX_CONN_ERR_REPLY, "Redis %s failed: %s", argv[0], r->str);
            rc = FAILURE;
        } else {
            WXREDIS_G(cache_stats).deletes += (zend_long) page->elements;
        }
        freeReplyObject(r);
        break;
    }
    efree(argv);
    efree(lens);
    return rc;
}

ZEND_METHOD(WxRedis_CacheBase, clear)
{
    wx_cache_obj_t *c;
    zend_string *pattern;
    char cursor[32] = "0";
    zend_result rc = SUCCESS;

    ZEND_PARSE_PARAMETERS_NONE();

    if (!(c = wx_cache_this(ZEND_THIS))) {
        RETURN_THROWS();
    }
    if (ZSTR_LEN(c->prefix) == 0) {
        /* Without a prefix "our" keys are every key of the database,
         * which may hold other applications' data and the refresh tokens. */
        wx_throw_cache(WX_CACHE_ERR_UNSAFE,
            "clear() refuses to run without a prefix: it would delete every key in the Redis "
            "database, not only this cache's; set the \"prefix\" option (e.g. \"easywechat:\")");
        RETURN_THROWS();
    }
    pattern = wx_cache_match_pattern(c->prefix);
    do {
        const char *argv[6] = { "SCAN", cursor, "MATCH", ZSTR_VAL(pattern), "COUNT", "1000" };
        size_t lens[6] = { 4, strlen(cursor), 5, ZSTR_LEN(pattern), 5, 4 };
        redisReply *r = wx_cache_command(c, 6, argv, lens);
        if (!r) {
            rc = FAILURE;
            break;
        }
        if (r->type != REDIS_REPLY_ARRAY || r->elements != 2 ||
            r->element[0]->type != REDIS_REPLY_STRING || r->element[0]->len >= sizeof(cursor) ||
            r->element[1]->type != REDIS_REPLY_ARRAY) {
            freeReplyObject(r);
            wx_throw_cache(WX_CONN_ERR_PROTOCOL, "unexpected reply to SCAN");
            rc = FAILURE;
            break;
        }
        memcpy(cursor, r->element[0]->str, r->element[0]->len);
        cursor[r->element[0]->len] = '\0';
        rc = wx_cache_unlink_page(c, r->element[1]);
        freeReplyObject(r);
    } while (rc == SUCCESS && strcmp(cursor, "0") != 0);
    zend_string_release(pattern);
    if (rc == FAILURE) {
        RETURN_THROWS();
    }
    RETURN_TRUE;
}

ZEND_METHOD(WxRedis_CacheBase, getMultiple)
{
    zval *keys, *def = NULL, names, rkeys;
    wx_cache_obj_t *c;
    wx_cache_items_t *items;
    wx_cache_argv_t a;
    redisReply *r;
    size_t i;

    ZEND_PARSE_PARAMETERS_START(1, 2)
        Z_PARAM_ZVAL(keys)
        Z_PARAM_OPTIONAL
        Z_PARAM_ZVAL(def)
    ZEND_PARSE_PARAMETERS_END();

    if (!(c = wx_cache_this(ZEND_THIS)) || wx_cache_collect_keys(c, keys, &names, &rkeys) == FAILURE) {
        RETURN_THROWS();
    }
    object_init_ex(return_value, wx_ce_CacheItems);
    items = wx_cache_items_from_obj(Z_OBJ_P(return_value));
    zval_ptr_dtor(&items->keys);
    ZVAL_COPY_VALUE(&items->keys, &names);
    if (zend_hash_num_elements(Z_ARRVAL(rkeys)) == 0) {
        zval_ptr_dtor(&rkeys);
        return;
    }
    wx_cache_argv_build(&a, "MGET", &rkeys);
    r = wx_cache_command(c, a.argc, a.argv, a.lens);
    wx_cache_argv_free(&a);
    if (!r) {
        goto fail;
    }
    if (r->type != REDIS_REPLY_ARRAY || r->elements != (size_t) (a.argc - 1)) {
        freeReplyObject(r);
        wx_throw_cache(WX_CONN_ERR_PROTOCOL, "unexpected reply to MGET");
        goto fail;
    }
    for (i = 0; i < r->elements; i++) {
        redisReply *e = r->element[i];
        zval v;
        if (e->type == REDIS_REPLY_STRING) {
            WXREDIS_G(cache_stats).hits++;
            if (wx_codec_decode(&c->codec, Z_STR_P(zend_hash_index_find(Z_ARRVAL(rkeys), i)),
                                e->str, e->len, &v) == FAILURE) {
                WXREDIS_G(cache_stats).errors++;
                freeReplyObject(r);
                goto fail;
            }
        } else {
            WXREDIS_G(cache_stats).misses++;
            if (def) {
                ZVAL_COPY(&v, def);
            } else {
                ZVAL_NULL(&v);
            }
        }
        add_next_index_zval(&items->values, &v);
    }
    freeReplyObject(r);
    zval_ptr_dtor(&rkeys);
    return;

fail:
    zval_ptr_dtor(&rkeys);
    zval_ptr_dtor(return_value);
    ZVAL_UNDEF(return_value);
    RETURN_THROWS();
}

/* setMultiple(): validate one key (ints are valid keys too: PHP turns
 * "123" into 123) and stage its value under the Redis key. */
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

ZEND_METHOD(WxRedis_CacheBase, setMultiple)
{
    zval *values, *ttl = NULL, null_ttl, rkeys, blobs, *v;
    wx_cache_obj_t *c;
    zend_long secs = 0;
    wx_ttl_t kind;
    zend_string *skey;
    HashTable *ht;
    zend_result rc = SUCCESS;

    ZEND_PARSE_PARAMETERS_START(1, 2)
        Z_PARAM_ZVAL(values)
        Z_PARAM_OPTIONAL
        Z_PARAM_ZVAL(ttl)
    ZEND_PARSE_PARAMETERS_END();

    ZVAL_NULL(&null_ttl);
    if (!(c = wx_cache_this(ZEND_THIS))) {
        RETURN_THROWS();
    }
    kind = wx_cache_ttl(ttl ? ttl : &null_ttl, &secs);
    if (kind == WX_TTL_ERROR) {
        RETURN_THROWS();
    }

    /* Validate everything before sending anything: a bad key in the middle
     * must not leave half the batch written. Later duplicates overwrite
     * earlier ones, as in an array. */
    ht = zend_new_array(8);
    if (wx_cache_each(c, values, "values", wx_cache_stage_one, ht) == FAILURE) {
        zend_array_destroy(ht);
        RETURN_THROWS();
    }

    array_init(&rkeys);
    array_init(&blobs);
    ZEND_HASH_FOREACH_STR_KEY_VAL(ht, skey, v) {
        add_next_index_str(&rkeys, zend_string_copy(skey));
        if (kind != WX_TTL_EXPIRED) {
            zend_string *b = wx_codec_encode(v, skey);
            if (!b) { rc = FAILURE; break; }
            add_next_index_str(&blobs, b);
        }
    } ZEND_HASH_FOREACH_END();
    zend_array_destroy(ht);

    if (rc == SUCCESS && kind == WX_TTL_EXPIRED) {
        RETVAL_BOOL(wx_cache_del(c, &rkeys));
        rc = EG(exception) ? FAILURE : SUCCESS;
    } else if (rc == SUCCESS && zend_hash_num_elements(Z_ARRVAL(rkeys)) > 0) {
        /* one pipeline: SET k v [EX ttl] per item, one write, n replies */
        uint32_t n = zend_hash_num_elements(Z_ARRVAL(rkeys)), i;
        wx_conn_cmd_t *cmds = safe_emalloc(n, sizeof(wx_conn_cmd_t), 0);
        const char **argv = safe_emalloc(n, 5 * sizeof(char *), 0);
        size_t *lens = safe_emalloc(n, 5 * sizeof(size_t), 0);
        redisReply **replies = safe_emalloc(n, sizeof(redisReply *), 0);
        char exbuf[24];
        size_t exlen = (size_t) snprintf(exbuf, sizeof(exbuf), ZEND_LONG_FMT, secs);
        bool all_ok = true;

        for (i = 0; i < n; i++) {
            zend_string *k = Z_STR_P(zend_hash_index_find(Z_ARRVAL(rkeys), i));
            zend_string *b = Z_STR_P(zend_hash_index_find(Z_ARRVAL(blobs), i));
            const char **av = argv + i * 5;
            size_t *al = lens + i * 5;
            av[0] = "SET"; al[0] = 3;
            av[1] = ZSTR_VAL(k); al[1] = ZSTR_LEN(k);
            av[2] = ZSTR_VAL(b); al[2] = ZSTR_LEN(b);
            av[3] = "EX"; al[3] = 2;
            av[4] = exbuf; al[4] = exlen;
            cmds[i].argc = kind == WX_TTL_SECONDS ? 5 : 3;
            cmds[i].argv = av;
            cmds[i].argvlen = al;
        }
        if (wx_cache_pipeline(c, cmds, n, replies) == FAILURE) {
            rc = FAILURE;
        } else {
            for (i = 0; i < n; i++) {
                if (replies[i]->type != REDIS_REPLY_STATUS) all_ok = false;
                freeReplyObject(replies[i]);
            }
            WXREDIS_G(cache_stats).writes += n;
            RETVAL_BOOL(all_ok);
        }
        efree(cmds);
        efree(argv);
        efree(lens);
        efree(replies);
    } else if (rc == SUCCESS) {
        RETVAL_TRUE;
    }
    zval_ptr_dtor(&rkeys);
    zval_ptr_dtor(&blobs);
    if (rc == FAILURE) {
        RETURN_THROWS();
    }
}

ZEND_METHOD(WxRedis_CacheBase, deleteMultiple)
{
    zval *keys, names, rkeys;
    wx_cache_obj_t *c;
    bool ok;

    ZEND_PARSE_PARAMETERS_START(1, 1)
        Z_PARAM_ZVAL(keys)
    ZEND_PARSE_PARAMETERS_END();

    if (!(c = wx_cache_this(ZEND_THIS)) || wx_cache_collect_keys(c, keys, &names, &rkeys) == FAILURE) {
        RETURN_THROWS();
    }
    ok = wx_cache_del(c, &rkeys);
    zval_ptr_dtor(&names);
    zval_ptr_dtor(&rkeys);
    if (!ok) {
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

static void wx_cache_reply_to_zval(const redisReply *r, zval *out)
{
    size_t i;
    switch (r->type) {
    case REDIS_REPLY_STRING:
    case REDIS_REPLY_STATUS:
        ZVAL_STRINGL(out, r->str, r->len);
        break;
    case REDIS_REPLY_INTEGER:
        ZVAL_LONG(out, (zend_long) r->integer);
        break;
    case REDIS_REPLY_ARRAY:
        array_init_size(out, (uint32_t) r->elements);
        for (i = 0; i < r->elements; i++) {
            zval e;
            wx_cache_reply_to_zval(r->element[i], &e);
            add_next_index_zval(out, &e);
        }
        break;
    default: /* nil (and RESP3 types hiredis 1.x may add) */
        ZVAL_NULL(out);
        break;
    }
}

ZEND_METHOD(WxRedis_CacheBase, rawCommand)
{
    zend_string *cmd;
    zval *args = NULL;
    uint32_t nargs = 0, i;
    wx_cache_obj_t *c;
    const char **argv;
    size_t *lens;
    zend_string **strs;
    redisReply *r;

    ZEND_PARSE_PARAMETERS_START(1, -1)
        Z_PARAM_STR(cmd)
        Z_PARAM_VARIADIC('*', args, nargs)
    ZEND_PARSE_PARAMETERS_END();

    if (!(c = wx_cache_this(ZEND_THIS))) {
        RETURN_THROWS();
    }
    /* variadic arguments of internal functions are not coerced: take
     * strings and numbers (as PHP would print them), refuse the rest */
    strs = safe_emalloc(nargs + 1, sizeof(zend_string *), 0);
    for (i = 0; i < nargs; i++) {
        zval *a = &args[i];
        ZVAL_DEREF(a);
        if (Z_TYPE_P(a) != IS_STRING && Z_TYPE_P(a) != IS_LONG && Z_TYPE_P(a) != IS_DOUBLE) {
            zend_argument_type_error(i + 2, "must be of type string, %s given", zend_zval_type_name(a));
            while (i--) zend_string_release(strs[i]);
            efree(strs);
            RETURN_THROWS();
        }
        strs[i] = zval_get_string(a);
    }
    argv = safe_emalloc(nargs + 1, sizeof(char *), 0);
    lens = safe_emalloc(nargs + 1, sizeof(size_t), 0);
    argv[0] = ZSTR_VAL(cmd);
    lens[0] = ZSTR_LEN(cmd);
    for (i = 0; i < nargs; i++) {
        argv[i + 1] = ZSTR_VAL(strs[i]);
        lens[i + 1] = ZSTR_LEN(strs[i]);
    }
    r = wx_cache_command(c, (int) nargs + 1, argv, lens);
    for (i = 0; i < nargs; i++) zend_string_release(strs[i]);
    efree(strs);
    efree(argv);
    efree(lens);
    if (!r) {
        RETURN_THROWS();
    }
    wx_cache_reply_to_zval(r, return_value);
    freeReplyObject(r);
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

/* ------------------------------------------------- C API for other classes */

wx_cache_obj_t *wx_cache_fetch(zval *zv)
{
    if (Z_TYPE_P(zv) != IS_OBJECT || !instanceof_function(Z_OBJCE_P(zv), wx_ce_CacheBase)) {
        zend_type_error("expected a WxRedis\\Cache, %s given", zend_zval_type_name(zv));
        return NULL;
    }
    return wx_cache_this(zv);
}

zend_string *wx_cache_prefix(const wx_cache_obj_t *c)
{
    return c->prefix;
}

const wx_codec_t *wx_cache_codec(const wx_cache_obj_t *c)
{
    return &c->codec;
}

/* ----------------------------------------------------------- registration */

void wx_cache_register(void)
{
    wx_ce_CacheBase = register_class_WxRedis_CacheBase();
    wx_ce_CacheBase->create_object = wx_cache_create;
    memcpy(&wx_cache_handlers, zend_get_std_object_handlers(), sizeof(zend_object_handlers));
    wx_cache_handlers.offset = XtOffsetOf(wx_cache_obj_t, std);
    wx_cache_handlers.free_obj = wx_cache_free;
    wx_cache_handlers.clone_obj = NULL; /* a clone would share the connection */

    wx_ce_CacheItems = register_class_WxRedis_CacheItems(zend_ce_iterator, zend_ce_countable);
    wx_ce_CacheItems->create_object = wx_cache_items_create;
    wx_ce_CacheItems->get_iterator = wx_cache_items_get_iterator;
    memcpy(&wx_cache_items_handlers, zend_get_std_object_handlers(), sizeof(zend_object_handlers));
    wx_cache_items_handlers.offset = XtOffsetOf(wx_cache_items_t, std);
    wx_cache_items_handlers.free_obj = wx_cache_items_free;
    wx_cache_items_handlers.get_gc = wx_cache_items_get_gc;
    wx_cache_items_handlers.clone_obj = NULL;
}
