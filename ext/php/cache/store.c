/*
 * The cache's plumbing: the object behind $this, one command or a pipeline
 * on its connection, DEL of keys.
 */
#ifdef HAVE_CONFIG_H
# include "config.h"
#endif

#include "php.h"
#include "internal.h"

wx_cache_obj_t *wx_cache_this(zval *zthis)
{
    wx_cache_obj_t *c = Z_WX_CACHE_P(zthis);
    if (!c->conn) {
        zend_throw_error(NULL, "%s object is not initialized: its constructor was not called",
                         ZSTR_VAL(Z_OBJCE_P(zthis)->name));
        return NULL;
    }
    return c;
}

ZEND_COLD void wx_cache_conn_error(wx_cache_obj_t *c)
{
    WXREDIS_G(cache_stats).errors++;
    wx_throw_cache(c->conn->err, "%s", c->conn->errstr);
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
redisReply *wx_cache_key_command(wx_cache_obj_t *c, const char *cmd, zend_string *rk)
{
    const char *argv[2] = { cmd, ZSTR_VAL(rk) };
    size_t lens[2] = { strlen(cmd), ZSTR_LEN(rk) };
    return wx_cache_command(c, 2, argv, lens);
}

/* DEL of one key, counted; false with an exception on failure. */
bool wx_cache_del_one(wx_cache_obj_t *c, zend_string *rk)
{
    redisReply *r = wx_cache_key_command(c, "DEL", rk);
    if (!r) {
        return false;
    }
    WXREDIS_G(cache_stats).deletes++;
    freeReplyObject(r);
    return true;
}


void wx_cache_argv_build(wx_cache_argv_t *a, const char *head, zval *strings)
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

void wx_cache_argv_free(wx_cache_argv_t *a)
{
    efree(a->argv);
    efree(a->lens);
}

/* DEL of the Redis keys in rkeys (a packed array); one round trip. */
bool wx_cache_del(wx_cache_obj_t *c, zval *rkeys)
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
