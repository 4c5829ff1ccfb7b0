/*
 * OpenPlatform's values and scripts in the WxRedis\Cache it was given,
 * over the cache's C API (php/cache/store.h): the cache's argv builder,
 * its one command path (error mapping and counting), its codec.
 */
#include "platform.h"

/* ------------------------------------------------------------ commands */

void wx_op_argv_init(wx_argv_t *cmds, size_t n)
{
    size_t i;
    for (i = 0; i < n; i++) {
        wx_argv_init(&cmds[i]);
    }
}

void wx_op_free_replies(redisReply **replies, size_t n)
{
    size_t i;
    for (i = 0; i < n; i++) {
        if (replies[i]) {
            freeReplyObject(replies[i]);
            replies[i] = NULL;
        }
    }
}

/* the longest: a refresh's five single-key commands (store_authorizer) */
#define WX_OP_MAX_PIPELINE 6

zend_result wx_op_redis(wx_cache_obj_t *c, wx_argv_t *cmds, size_t n, redisReply **replies)
{
    wx_conn_cmd_t cc[WX_OP_MAX_PIPELINE];
    zend_result rc;
    size_t i;

    ZEND_ASSERT(n >= 1 && n <= WX_OP_MAX_PIPELINE);
    for (i = 0; i < n && i < WX_OP_MAX_PIPELINE; i++) {
        cc[i] = wx_argv_cmd(&cmds[i]);
        replies[i] = NULL;
    }
    rc = wx_store_pipeline(c, cc, i, replies, 0);
    for (i = 0; i < n; i++) {
        wx_argv_free(&cmds[i]);
    }
    return rc;
}

/* Send cc (n commands, the WAIT at index wait) and read the WAIT's count. */
static zend_result wx_op_send_waited(wx_cache_obj_t *c, wx_conn_cmd_t *cc, size_t n, size_t wait,
                                     redisReply **rr, long long *acked)
{
    if (wx_store_pipeline(c, cc, n, rr, 0) == FAILURE) {
        return FAILURE;
    }
    *acked = rr[wait]->integer;
    return SUCCESS;
}

zend_result wx_op_redis_durable(wx_op_t *op, wx_cache_obj_t *c, wx_argv_t *cmds, size_t n, size_t durable,
                                redisReply **replies, const char *what)
{
    wx_conn_cmd_t cc[WX_OP_MAX_PIPELINE + 1];
    redisReply *rr[WX_OP_MAX_PIPELINE + 1];
    wx_argv_t wait;
    long long acked = 0;
    zend_long half;
    zend_result rc = FAILURE;
    size_t i, k;
    int attempt;

    if (op->min_replicas <= 0) {
        return wx_op_redis(c, cmds, n, replies);
    }
    ZEND_ASSERT(n >= 1 && n <= WX_OP_MAX_PIPELINE && durable < n);
    /* WAIT right behind the write, in the same pipeline: it counts the
     * replicas that have this connection's writes, so on any other
     * connection (or after a switch) it would prove nothing. */
    half = op->min_replicas_ms / 2 > 0 ? op->min_replicas_ms / 2 : 1;
    wx_argv_init(&wait);
    wx_argv_add_cstr(&wait, "WAIT");
    wx_argv_add_long(&wait, op->min_replicas);
    wx_argv_add_long(&wait, half);
    wx_argv_expect(&wait, WX_EXPECT_INTEGER, 0);
    for (i = 0, k = 0; i < n; i++) {
        cc[k++] = wx_argv_cmd(&cmds[i]);
        if (i == durable) {
            cc[k++] = wx_argv_cmd(&wait);
        }
    }
    for (attempt = 0; attempt < 2; attempt++) {
        if (wx_op_send_waited(c, cc, n + 1, durable + 1, rr, &acked) == FAILURE) {
            goto out;
        }
        if (acked >= op->min_replicas) {
            for (i = 0, k = 0; i < n + 1; i++) {
                if (i == durable + 1) {
                    freeReplyObject(rr[i]);
                } else {
                    replies[k++] = rr[i];
                }
            }
            rc = SUCCESS;
            goto out;
        }
        wx_op_free_replies(rr, n + 1);
        /* Too few replicas have it: the master we wrote to may have just
         * been demoted (its replicas follow another one). Find the master
         * again and write there once more. */
        if (attempt == 0 && wx_client_rediscover(c->client) != WX_CONN_OK) {
            WXREDIS_G(cache_stats).errors++;
            wx_throw_cache(c->client->err, "%s", c->client->errstr);
            goto out;
        }
    }
    WXREDIS_G(cache_stats).errors++;
    wx_throw_cache(WX_CACHE_ERR_REPLICAS,
        "%s was written but only %lld of the %ld replicas min_replicas asks for acknowledged it within "
        "min_replicas_timeout %gs (twice, the master found again in between): it is not counted as "
        "stored, since a failover now could lose it",
        what, acked, (long) op->min_replicas, (double) op->min_replicas_ms / 1000.0);
out:
    for (i = 0; i < n; i++) {
        wx_argv_free(&cmds[i]);
    }
    wx_argv_free(&wait);
    return rc;
}

redisReply *wx_op_redis1(wx_cache_obj_t *c, wx_argv_t *cmd)
{
    redisReply *r = wx_store_command(c, cmd);
    wx_argv_free(cmd);
    return r;
}

/* -------------------------------------------------------------- values */

zend_string *wx_op_encode(zval *v, zend_string *key)
{
    return wx_codec_encode(v, key);
}

zend_string *wx_op_encode_str(zend_string *s, zend_string *key)
{
    zval v;
    ZVAL_STR(&v, s);
    return wx_codec_encode(&v, key);
}

zend_result wx_op_decode(wx_cache_obj_t *c, zend_string *key, redisReply *r, zval *out)
{
    ZVAL_UNDEF(out);
    if (r->type != REDIS_REPLY_STRING) {
        return SUCCESS;
    }
    return wx_codec_decode(&c->codec, key, r->str, r->len, out);
}

zend_result wx_op_as_string(zend_string *key, zval *v, zend_string **out)
{
    *out = NULL;
    if (Z_ISUNDEF_P(v)) {
        return SUCCESS;
    }
    if (Z_TYPE_P(v) != IS_STRING) {
        wx_throw_cache(WX_CACHE_ERR_FORMAT,
            "value under key \"%s\" is %s, not a string", ZSTR_VAL(key), zend_zval_type_name(v));
        zval_ptr_dtor(v);
        return FAILURE;
    }
    *out = Z_STR_P(v);
    return SUCCESS;
}

zend_result wx_op_get(wx_cache_obj_t *c, zend_string *key, zval *out)
{
    redisReply *r;
    zend_result rc;

    ZVAL_UNDEF(out);
    if (!(r = wx_store_key_command(c, "GET", key))) {
        return FAILURE;
    }
    rc = wx_op_decode(c, key, r, out);
    freeReplyObject(r);
    return rc;
}

zend_result wx_op_get_string(wx_cache_obj_t *c, zend_string *key, zend_string **out)
{
    zval v;
    *out = NULL;
    return wx_op_get(c, key, &v) == SUCCESS ? wx_op_as_string(key, &v, out) : FAILURE;
}

zend_result wx_op_set_string(wx_cache_obj_t *c, zend_string *key, zend_string *value, zend_long ttl)
{
    zend_string *bytes = wx_op_encode_str(value, key);
    wx_argv_t cmd;
    redisReply *r;

    if (!bytes) {
        return FAILURE;
    }
    wx_argv_init(&cmd);
    wx_argv_add_cstr(&cmd, "SET"); wx_argv_add_zstr(&cmd, key); wx_argv_add_zstr(&cmd, bytes);
    if (ttl > 0) {
        wx_argv_add_cstr(&cmd, "EX"); wx_argv_add_long(&cmd, ttl);
    }
    r = wx_op_redis1(c, &cmd);
    zend_string_release(bytes);
    if (!r) {
        return FAILURE;
    }
    freeReplyObject(r);
    return SUCCESS;
}

zend_result wx_op_eval(wx_cache_obj_t *c, const char *script, zend_string *key, zend_string *a1,
                       zend_string *a2, const char *a3, zend_long *result)
{
    wx_argv_t cmd;
    redisReply *r;

    wx_argv_init(&cmd);
    wx_argv_add_cstr(&cmd, "EVAL");
    wx_argv_add_cstr(&cmd, script);
    wx_argv_add_cstr(&cmd, "1");
    wx_argv_add_zstr(&cmd, key);
    wx_argv_add_zstr(&cmd, a1);
    if (a2) wx_argv_add_zstr(&cmd, a2);
    if (a3) wx_argv_add_cstr(&cmd, a3);
    if (!(r = wx_op_redis1(c, &cmd))) {
        return FAILURE;
    }
    *result = r->type == REDIS_REPLY_INTEGER ? (zend_long) r->integer : 0;
    freeReplyObject(r);
    return SUCCESS;
}

zend_result wx_op_compare_and_delete(wx_cache_obj_t *c, zend_string *key, zend_string *value, bool *deleted)
{
    zend_string *bytes = wx_op_encode_str(value, key);
    zend_long n = 0;
    zend_result rc;

    *deleted = false;
    if (!bytes) {
        return FAILURE;
    }
    rc = wx_op_eval(c, WX_LOCK_LUA_COMPARE_AND_DELETE, key, bytes, NULL, NULL, &n);
    zend_string_release(bytes);
    *deleted = n > 0;
    return rc;
}

/* ---------------------------------------------------------- exceptions */

zend_object *wx_op_stash(void)
{
    zend_object *ex = EG(exception);
    EG(exception) = NULL;
    return ex;
}

void wx_op_unstash(zend_object *ex)
{
    if (EG(exception)) {
        zend_clear_exception();
    }
    EG(exception) = ex;
}
