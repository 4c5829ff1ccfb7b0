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

/* ----------------------------------------------------------- registration */

void wx_cache_register(void)
{
    wx_ce_CacheBase = register_class_WxRedis_CacheBase();
    wx_ce_CacheBase->create_object = wx_cache_create;
    memcpy(&wx_cache_handlers, zend_get_std_object_handlers(), sizeof(zend_object_handlers));
    wx_cache_handlers.offset = XtOffsetOf(wx_cache_obj_t, std);
    wx_cache_handlers.free_obj = wx_cache_free;
    wx_cache_handlers.clone_obj = NULL; /* a clone would share the connection */

    wx_cache_items_startup(register_class_WxRedis_CacheItems(zend_ce_iterator, zend_ce_countable));
}

