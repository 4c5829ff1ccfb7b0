/*
 * The platform's Redis plumbing over the WxRedis\Cache it was given (the one
 * adapter to the cache's C API): keys, one argv builder, one command helper,
 * GET/SET of string values, the Lua scripts.
 */
#include "platform.h"

#define WX_OP_MAX_APPID           64

/* compare-and-delete: the lock release, and dropping a rejected token only
 * while it is still the cached one */
const char wx_op_lua_cad[] =
    "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) end return 0";
/* delete a lock that holds a failed refresh's error (serialize()d array),
 * never one held by a live refresh */
const char wx_op_lua_del_error[] =
    "local v = redis.call('get', KEYS[1]) "
    "if v and string.sub(v, 1, 2) == 'a:' then return redis.call('del', KEYS[1]) end return 0";
/* compare-and-set, with PX when ARGV[3] is given */
const char wx_op_lua_cas[] =
    "if redis.call('get', KEYS[1]) ~= ARGV[1] then return 0 end "
    "if ARGV[3] then redis.call('set', KEYS[1], ARGV[2], 'px', ARGV[3]) "
    "else redis.call('set', KEYS[1], ARGV[2]) end return 1";

/* ------------------------------------------------------------------ helpers */

/* Take the pending exception out of the way (so Redis and the serializer
 * can run) and put it back with wx_op_unstash; anything thrown in between
 * is dropped. */
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

/* An app id we put into keys: 1..64 printable ASCII characters, none of
 * PSR-16's reserved ones (EasyWeChat's keys go through PSR-16 caches) nor
 * ':' (our own key separator). */
zend_result wx_op_check_appid(const char *s, size_t len, const char *what)
{
    size_t i;
    if (len == 0 || len > WX_OP_MAX_APPID) {
        wx_throw_invalid(WX_CACHE_ERR_ARGUMENT,
            "%s must be 1 to %d characters long, %zu given", what, WX_OP_MAX_APPID, len);
        return FAILURE;
    }
    for (i = 0; i < len; i++) {
        unsigned char ch = (unsigned char) s[i];
        if (ch <= 0x20 || ch >= 0x7f || strchr("{}()/\\@:", ch)) {
            wx_throw_invalid(WX_CACHE_ERR_ARGUMENT,
                "%s \"%.*s\" contains a character that is not allowed in an app id (byte 0x%02x)",
                what, (int) len, s, ch);
            return FAILURE;
        }
    }
    return SUCCESS;
}

static void wx_op_md5(zend_string *s, char hex[33])
{
    PHP_MD5_CTX ctx;
    unsigned char digest[16];
    PHP_MD5Init(&ctx);
    PHP_MD5Update(&ctx, ZSTR_VAL(s), ZSTR_LEN(s));
    PHP_MD5Final(digest, &ctx);
    make_digest_ex(hex, digest, 16);
}

/* prefix + printf(fmt, ...) */
zend_string *wx_op_key(wx_cache_obj_t *c, const char *fmt, ...) ZEND_ATTRIBUTE_FORMAT(printf, 2, 3);
zend_string *wx_op_key(wx_cache_obj_t *c, const char *fmt, ...)
{
    smart_str s = {0};
    va_list ap;
    zend_string *tail;

    va_start(ap, fmt);
    tail = zend_vstrpprintf(0, fmt, ap);
    va_end(ap);
    smart_str_append(&s, wx_cache_prefix(c));
    smart_str_append(&s, tail);
    zend_string_release(tail);
    return smart_str_extract(&s);
}

zend_string *wx_op_token_key_component(wx_op_t *op, wx_cache_obj_t *c)
{
    return wx_op_key(c, "open_platform.component_access_token.%s", ZSTR_VAL(op->app_id));
}

zend_string *wx_op_token_key_authorizer(wx_cache_obj_t *c, zend_string *authorizer, zend_string *refresh)
{
    char md5[33];
    wx_op_md5(refresh, md5);
    return wx_op_key(c, "open-platform.authorizer_access_token.%s.%s", ZSTR_VAL(authorizer), md5);
}

/* outside the prefix: clear() must never remove it */
zend_string *wx_op_refresh_key(wx_op_t *op, zend_string *authorizer)
{
    return zend_strpprintf(0, "wxredis:authorizer_refresh_token:%s:%s", ZSTR_VAL(op->app_id), ZSTR_VAL(authorizer));
}

/* The canonical bytes of a string value. */
zend_string *wx_op_encode_str(zend_string *s, zend_string *key)
{
    zval v;
    ZVAL_STR(&v, s);
    return wx_codec_encode(&v, key);
}

/* "UTC time, N ago" for messages. */
static void wx_op_when(zend_long t, char *out, size_t outlen)
{
    time_t tt = (time_t) t;
    struct tm tm;
    char when[32];
    zend_long ago = (zend_long) time(NULL) - t;

    if (!gmtime_r(&tt, &tm) || !strftime(when, sizeof(when), "%Y-%m-%d %H:%M:%S UTC", &tm)) {
        snprintf(out, outlen, "at unix time " ZEND_LONG_FMT, t);
        return;
    }
    if (ago < 0) ago = 0;
    if (ago < 120) {
        snprintf(out, outlen, "%s, " ZEND_LONG_FMT " s ago", when, ago);
    } else if (ago < 7200) {
        snprintf(out, outlen, "%s, " ZEND_LONG_FMT " min ago", when, ago / 60);
    } else {
        snprintf(out, outlen, "%s, " ZEND_LONG_FMT " h " ZEND_LONG_FMT " min ago", when, ago / 3600, ago % 3600 / 60);
    }
}

/* ------------------------------------------------------------------ Redis */

void wx_op_arg(wx_op_cmd_t *cmd, const char *s, size_t len)
{
    ZEND_ASSERT(cmd->argc < 8);
    cmd->argv[cmd->argc] = s;
    cmd->lens[cmd->argc] = len;
    cmd->argc++;
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

/* n commands in one round trip. An error reply throws CacheException (and
 * frees every reply); on SUCCESS the caller frees them. */
zend_result wx_op_redis(wx_cache_obj_t *c, wx_op_cmd_t *cmds, size_t n, redisReply **replies)
{
    wx_conn_cmd_t cc[4];
    size_t i;

    ZEND_ASSERT(n <= 4);
    for (i = 0; i < n; i++) {
        cc[i].argc = cmds[i].argc;
        cc[i].argv = cmds[i].argv;
        cc[i].argvlen = cmds[i].lens;
        replies[i] = NULL;
    }
    if (wx_cache_pipeline(c, cc, n, replies) == FAILURE) {
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

/* One command; the reply or NULL with CacheException. */
redisReply *wx_op_redis1(wx_cache_obj_t *c, wx_op_cmd_t *cmd)
{
    redisReply *r;
    return wx_op_redis(c, cmd, 1, &r) == SUCCESS ? r : NULL;
}

/* Decode a GET reply: UNDEF when the key is missing; FAILURE with the
 * cache's CacheException when the bytes are not ours. */
zend_result wx_op_decode(wx_cache_obj_t *c, zend_string *key, redisReply *r, zval *out)
{
    ZVAL_UNDEF(out);
    if (r->type != REDIS_REPLY_STRING) {
        return SUCCESS;
    }
    return wx_codec_decode(wx_cache_codec(c), key, r->str, r->len, out);
}

/* A decoded value as a string (NULL when UNDEF); consumes v. */
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

/* GET + decode of one value (UNDEF when missing). */
static zend_result wx_op_get(wx_cache_obj_t *c, zend_string *key, zval *out)
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

/* GET + decode of one string value (NULL when missing). */
zend_result wx_op_get_string(wx_cache_obj_t *c, zend_string *key, zend_string **out)
{
    zval v;
    *out = NULL;
    return wx_op_get(c, key, &v) == SUCCESS ? wx_op_as_string(key, &v, out) : FAILURE;
}

/* SET key to the canonical bytes of value, with EX ttl when ttl > 0. */
zend_result wx_op_set_string(wx_cache_obj_t *c, zend_string *key, zend_string *value, zend_long ttl)
{
    zend_string *bytes = wx_op_encode_str(value, key);
    wx_op_cmd_t cmd = {0};
    redisReply *r;
    char ttlbuf[24];

    if (!bytes) {
        return FAILURE;
    }
    WX_OP_ARGS(&cmd, "SET"); WX_OP_ARGZ(&cmd, key); WX_OP_ARGZ(&cmd, bytes);
    if (ttl > 0) {
        snprintf(ttlbuf, sizeof(ttlbuf), ZEND_LONG_FMT, ttl);
        WX_OP_ARGS(&cmd, "EX"); WX_OP_ARGS(&cmd, ttlbuf);
    }
    r = wx_op_redis1(c, &cmd);
    zend_string_release(bytes);
    if (!r) {
        return FAILURE;
    }
    freeReplyObject(r);
    return SUCCESS;
}

/* A unix time stored under key, as "<UTC time>, N ago", or the fallback;
 * never throws. */
void wx_op_get_when(wx_cache_obj_t *c, zend_string *key, char *out, size_t outlen, const char *fallback)
{
    zend_object *pending = wx_op_stash();
    zval v;

    snprintf(out, outlen, "%s", fallback);
    if (wx_op_get(c, key, &v) == SUCCESS && Z_TYPE(v) == IS_LONG) {
        wx_op_when(Z_LVAL(v), out, outlen);
    }
    zval_ptr_dtor(&v);
    wx_op_unstash(pending);
}

/* EVAL of one of our scripts on one key; the integer it returns, or -1
 * with an exception. */
zend_long wx_op_eval(wx_cache_obj_t *c, const char *script, zend_string *key,
                            zend_string *a1, zend_string *a2, const char *a3)
{
    wx_op_cmd_t cmd = {0};
    redisReply *r;
    zend_long n;

    WX_OP_ARGS(&cmd, "EVAL");
    WX_OP_ARGS(&cmd, script);
    WX_OP_ARGS(&cmd, "1");
    WX_OP_ARGZ(&cmd, key);
    WX_OP_ARGZ(&cmd, a1);
    if (a2) WX_OP_ARGZ(&cmd, a2);
    if (a3) WX_OP_ARGS(&cmd, a3);
    if (!(r = wx_op_redis1(c, &cmd))) {
        return -1;
    }
    n = r->type == REDIS_REPLY_INTEGER ? (zend_long) r->integer : 0;
    freeReplyObject(r);
    return n;
}

/* Delete key if it still holds value (canonical bytes of the string): 1
 * when deleted, 0 when not, -1 with an exception. */
zend_long wx_op_compare_and_delete(wx_cache_obj_t *c, zend_string *key, zend_string *value)
{
    zend_string *bytes = wx_op_encode_str(value, key);
    zend_long n;
    if (!bytes) {
        return -1;
    }
    n = wx_op_eval(c, wx_op_lua_cad, key, bytes, NULL, NULL);
    zend_string_release(bytes);
    return n;
}
