/*
 * The adapter between WxRedis\OpenPlatform and the WxRedis\Cache it was
 * given: the only file that calls the cache's C API (wx_cache_pipeline,
 * wx_cache_prefix, wx_cache_codec from php_wxredis.h), so moving to the
 * cache's store API is a change here only. One argv builder, one command
 * helper, and the value operations on top of them.
 */
#include "platform.h"

/* ------------------------------------------------------------ commands */

void wx_op_arg(wx_op_cmd_t *cmd, const char *s, size_t len)
{
    ZEND_ASSERT(cmd->argc < (int) (sizeof(cmd->argv) / sizeof(cmd->argv[0])));
    cmd->argv[cmd->argc] = s;
    cmd->lens[cmd->argc] = len;
    cmd->argc++;
}

void wx_op_arg_long(wx_op_cmd_t *cmd, zend_long n)
{
    char *buf;
    ZEND_ASSERT(cmd->nums < (int) (sizeof(cmd->num) / sizeof(cmd->num[0])));
    buf = cmd->num[cmd->nums++];
    wx_op_arg(cmd, buf, (size_t) snprintf(buf, sizeof(cmd->num[0]), ZEND_LONG_FMT, n));
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

#define WX_OP_MAX_PIPELINE 4

zend_result wx_op_redis(wx_cache_obj_t *c, wx_op_cmd_t *cmds, size_t n, redisReply **replies)
{
    wx_conn_cmd_t cc[WX_OP_MAX_PIPELINE];
    size_t i;

    ZEND_ASSERT(n >= 1 && n <= WX_OP_MAX_PIPELINE);
    for (i = 0; i < n && i < WX_OP_MAX_PIPELINE; i++) {
        cc[i].argc = cmds[i].argc;
        cc[i].argv = cmds[i].argv;
        cc[i].argvlen = cmds[i].lens;
        replies[i] = NULL;
    }
    if (wx_cache_pipeline(c, cc, i, replies) == FAILURE) {
        return FAILURE;
    }
    for (i = 0; i < n; i++) {
        if (replies[i]->type == REDIS_REPLY_ERROR) {
            wx_throw_cache(WX_CONN_ERR_REPLY, "Redis %s failed: %.*s",
                           cmds[i].argv[0], (int) replies[i]->len, replies[i]->str);
            wx_op_free_replies(replies, n);
            return FAILURE;
        }
    }
    return SUCCESS;
}

redisReply *wx_op_redis1(wx_cache_obj_t *c, wx_op_cmd_t *cmd)
{
    redisReply *r;
    return wx_op_redis(c, cmd, 1, &r) == SUCCESS ? r : NULL;
}

/* -------------------------------------------------------------- values */

zend_string *wx_op_store_prefix(wx_cache_obj_t *c)
{
    return wx_cache_prefix(c);
}

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
    return wx_codec_decode(wx_cache_codec(c), key, r->str, r->len, out);
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
    wx_op_cmd_t cmd = {0};
    redisReply *r;
    zend_result rc;

    ZVAL_UNDEF(out);
    WX_OP_ARGS(&cmd, "GET");
    WX_OP_ARGZ(&cmd, key);
    if (!(r = wx_op_redis1(c, &cmd))) {
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
    wx_op_cmd_t cmd = {0};
    redisReply *r;

    if (!bytes) {
        return FAILURE;
    }
    WX_OP_ARGS(&cmd, "SET"); WX_OP_ARGZ(&cmd, key); WX_OP_ARGZ(&cmd, bytes);
    if (ttl > 0) {
        WX_OP_ARGS(&cmd, "EX"); wx_op_arg_long(&cmd, ttl);
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
    wx_op_cmd_t cmd = {0};
    redisReply *r;

    WX_OP_ARGS(&cmd, "EVAL");
    WX_OP_ARGS(&cmd, script);
    WX_OP_ARGS(&cmd, "1");
    WX_OP_ARGZ(&cmd, key);
    WX_OP_ARGZ(&cmd, a1);
    if (a2) WX_OP_ARGZ(&cmd, a2);
    if (a3) WX_OP_ARGS(&cmd, a3);
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
