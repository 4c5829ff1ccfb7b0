/*
 * WxRedis\OpenPlatform: the third-party platform's ticket and token manager.
 *
 * Everything goes through a WxRedis\Cache (its connection, prefix and wire
 * format), with EasyWeChat 6's keys, so both can share one Redis:
 *
 *   open_platform.verify_ticket.{component}                      the ticket
 *   open_platform.component_access_token.{component}             TTL expires_in - 100
 *   open-platform.authorizer_access_token.{authorizer}.{md5(R)}  TTL expires_in - 500
 *
 * and of our own, under the same prefix:
 *
 *   wxredis.verify_ticket_stored_at.{component}       when the last ticket came (30 days)
 *   wxredis.push_ticket_requested.{component}         api_start_push_ticket rate limit
 *   wxredis.lock.component_access_token.{component}   refresh locks
 *   wxredis.lock.authorizer_access_token.{component}.{authorizer}
 *
 * and outside the prefix, so that clear() cannot remove it, without expiry:
 *
 *   wxredis:authorizer_refresh_token:{component}:{authorizer}
 *
 * Every value is in the cache's wire format (PHP serialize()).
 *
 * Single flight (wx_op_single_flight): a token that is missing or expires
 * within refresh_margin is refreshed by the one process that wins
 * SET lock owner NX PX lock_timeout; the others wait for the lock to go
 * away and read the new token. The winner releases the lock with a
 * compare-and-delete script. When its refresh fails it replaces the lock
 * with the error for a short back-off, so the waiters (and newcomers) get
 * that error instead of each calling WeChat in turn; a token that is still
 * valid keeps being served meanwhile.
 */
#ifdef HAVE_CONFIG_H
# include "config.h"
#endif

#include <time.h>
#include <unistd.h>

#include "php.h"
#include "zend_exceptions.h"
#include "zend_smart_str.h"
#include "ext/standard/md5.h"
#include "ext/standard/url.h"
#include "ext/json/php_json.h"
#if PHP_VERSION_ID >= 80200
# include "ext/random/php_random.h"
#else
# include "ext/standard/php_random.h"
#endif

#include "../php_wxredis.h"
#include "message_crypt.h"
#include "core/wx_crypt.h"
#include "core/wx_xml.h"
#include "http.h"

#define WX_OP_ERR_NO_REFRESH_TOKEN 40
#include "open_platform_arginfo.h"

zend_class_entry *wx_ce_OpenPlatform;
static zend_object_handlers wx_op_handlers;

#define WX_OP_API_BASE            "https://api.weixin.qq.com"
#define WX_OP_LOGIN_PAGE          "https://mp.weixin.qq.com/cgi-bin/componentloginpage"
#define WX_OP_PATH_COMPONENT_TOKEN "/cgi-bin/component/api_component_token"
#define WX_OP_PATH_PREAUTHCODE    "/cgi-bin/component/api_create_preauthcode"
#define WX_OP_PATH_QUERY_AUTH     "/cgi-bin/component/api_query_auth"
#define WX_OP_PATH_AUTHORIZER_TOKEN "/cgi-bin/component/api_authorizer_token"
#define WX_OP_PATH_START_PUSH     "/cgi-bin/component/api_start_push_ticket"

/* WeChat keeps a ticket valid 12 h from its push; we keep it 30 min less
 * (clock skew, delivery delay). EasyWeChat writes 6000 s, which gives up a
 * ticket WeChat still accepts after 100 minutes without a push. */
#define WX_OP_TICKET_LIFETIME     43200
#define WX_OP_TICKET_SAFETY       1800
#define WX_OP_STORED_AT_TTL       (30 * 86400)
/* api_start_push_ticket at most this often across all servers; WeChat
 * pushes every 10 minutes anyway */
#define WX_OP_PUSH_INTERVAL       600
/* EasyWeChat 6's TTLs: expires_in minus these */
#define WX_OP_COMPONENT_TTL_CUT   100
#define WX_OP_AUTHORIZER_TTL_CUT  500
/* how long a failed refresh's error is handed to others instead of a new try */
#define WX_OP_ERROR_BACKOFF_MS    1000
#define WX_OP_MAX_APPID           64

/* compare-and-delete: the lock release, and dropping a rejected token only
 * while it is still the cached one */
static const char wx_op_lua_cad[] =
    "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) end return 0";
/* delete a lock that holds a failed refresh's error (serialize()d array),
 * never one held by a live refresh */
static const char wx_op_lua_del_error[] =
    "local v = redis.call('get', KEYS[1]) "
    "if v and string.sub(v, 1, 2) == 'a:' then return redis.call('del', KEYS[1]) end return 0";
/* compare-and-set, with PX when ARGV[3] is given */
static const char wx_op_lua_cas[] =
    "if redis.call('get', KEYS[1]) ~= ARGV[1] then return 0 end "
    "if ARGV[3] then redis.call('set', KEYS[1], ARGV[2], 'px', ARGV[3]) "
    "else redis.call('set', KEYS[1], ARGV[2]) end return 1";

typedef struct {
    wx_crypt_t  *crypt;          /* NULL until the constructor ran */
    zend_string *app_id;
    zend_string *secret;
    zend_string *api_base;       /* without a trailing slash */
    double       http_timeout;   /* seconds */
    double       lock_timeout;   /* seconds */
    zend_long    margin_ms;      /* refresh_margin */
    zval         cache;          /* the WxRedis\Cache */
    zend_object  std;
} wx_op_t;

static inline wx_op_t *wx_op_from_obj(zend_object *obj)
{
    return (wx_op_t *) ((char *) obj - XtOffsetOf(wx_op_t, std));
}

/* ---------------------------------------------------------------- objects */

static zend_object *wx_op_create(zend_class_entry *ce)
{
    wx_op_t *op = zend_object_alloc(sizeof(wx_op_t), ce);
    zend_object_std_init(&op->std, ce);
    object_properties_init(&op->std, ce);
    op->std.handlers = &wx_op_handlers;
    ZVAL_UNDEF(&op->cache);
    return &op->std;
}

static void wx_op_free(zend_object *obj)
{
    wx_op_t *op = wx_op_from_obj(obj);
    wx_crypt_free(op->crypt);
    op->crypt = NULL;
    if (op->app_id) zend_string_release(op->app_id);
    if (op->secret) {
        ZEND_SECURE_ZERO(ZSTR_VAL(op->secret), ZSTR_LEN(op->secret));
        zend_string_release(op->secret);
    }
    if (op->api_base) zend_string_release(op->api_base);
    zval_ptr_dtor(&op->cache);
    zend_object_std_dtor(obj);
}

static HashTable *wx_op_get_gc(zend_object *obj, zval **table, int *n)
{
    wx_op_t *op = wx_op_from_obj(obj);
    *table = &op->cache;
    *n = Z_ISUNDEF(op->cache) ? 0 : 1;
    return zend_std_get_properties(obj);
}

static wx_op_t *wx_op_this(zval *zthis, wx_cache_obj_t **c)
{
    wx_op_t *op = wx_op_from_obj(Z_OBJ_P(zthis));
    if (!op->crypt) {
        zend_throw_error(NULL, "%s object is not initialized: its constructor was not called",
                         ZSTR_VAL(Z_OBJCE_P(zthis)->name));
        return NULL;
    }
    *c = wx_cache_fetch(&op->cache);
    return *c ? op : NULL;
}

/* ------------------------------------------------------------------ helpers */

/* Take the pending exception out of the way (so Redis and the serializer
 * can run) and put it back with wx_op_unstash; anything thrown in between
 * is dropped. */
static zend_object *wx_op_stash(void)
{
    zend_object *ex = EG(exception);
    EG(exception) = NULL;
    return ex;
}

static void wx_op_unstash(zend_object *ex)
{
    if (EG(exception)) {
        zend_clear_exception();
    }
    EG(exception) = ex;
}

/* An app id we put into keys: 1..64 printable ASCII characters, none of
 * PSR-16's reserved ones (EasyWeChat's keys go through PSR-16 caches) nor
 * ':' (our own key separator). */
static zend_result wx_op_check_appid(const char *s, size_t len, const char *what)
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
static zend_string *wx_op_key(wx_cache_obj_t *c, const char *fmt, ...) ZEND_ATTRIBUTE_FORMAT(printf, 2, 3);
static zend_string *wx_op_key(wx_cache_obj_t *c, const char *fmt, ...)
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

static zend_string *wx_op_token_key_component(wx_op_t *op, wx_cache_obj_t *c)
{
    return wx_op_key(c, "open_platform.component_access_token.%s", ZSTR_VAL(op->app_id));
}

static zend_string *wx_op_token_key_authorizer(wx_cache_obj_t *c, zend_string *authorizer, zend_string *refresh)
{
    char md5[33];
    wx_op_md5(refresh, md5);
    return wx_op_key(c, "open-platform.authorizer_access_token.%s.%s", ZSTR_VAL(authorizer), md5);
}

/* outside the prefix: clear() must never remove it */
static zend_string *wx_op_refresh_key(wx_op_t *op, zend_string *authorizer)
{
    return zend_strpprintf(0, "wxredis:authorizer_refresh_token:%s:%s", ZSTR_VAL(op->app_id), ZSTR_VAL(authorizer));
}

/* The canonical bytes of a string value. */
static zend_string *wx_op_encode_str(zend_string *s, zend_string *key)
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

typedef struct {
    const char *argv[8];
    size_t      lens[8];
    int         argc;
} wx_op_cmd_t;

static void wx_op_arg(wx_op_cmd_t *cmd, const char *s, size_t len)
{
    ZEND_ASSERT(cmd->argc < 8);
    cmd->argv[cmd->argc] = s;
    cmd->lens[cmd->argc] = len;
    cmd->argc++;
}

#define WX_OP_ARGZ(cmd, zs) wx_op_arg((cmd), ZSTR_VAL(zs), ZSTR_LEN(zs))
#define WX_OP_ARGS(cmd, s)  wx_op_arg((cmd), (s), strlen(s))

static void wx_op_free_replies(redisReply **replies, size_t n)
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
static zend_result wx_op_redis(wx_cache_obj_t *c, wx_op_cmd_t *cmds, size_t n, redisReply **replies)
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
static redisReply *wx_op_redis1(wx_cache_obj_t *c, wx_op_cmd_t *cmd)
{
    redisReply *r;
    return wx_op_redis(c, cmd, 1, &r) == SUCCESS ? r : NULL;
}

/* Decode a GET reply: UNDEF when the key is missing; FAILURE with the
 * cache's CacheException when the bytes are not ours. */
static zend_result wx_op_decode(wx_cache_obj_t *c, zend_string *key, redisReply *r, zval *out)
{
    ZVAL_UNDEF(out);
    if (r->type != REDIS_REPLY_STRING) {
        return SUCCESS;
    }
    return wx_codec_decode(wx_cache_codec(c), key, r->str, r->len, out);
}

/* A decoded value as a string (NULL when UNDEF); consumes v. */
static zend_result wx_op_as_string(zend_string *key, zval *v, zend_string **out)
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
static zend_result wx_op_get_string(wx_cache_obj_t *c, zend_string *key, zend_string **out)
{
    zval v;
    *out = NULL;
    return wx_op_get(c, key, &v) == SUCCESS ? wx_op_as_string(key, &v, out) : FAILURE;
}

/* SET key to the canonical bytes of value, with EX ttl when ttl > 0. */
static zend_result wx_op_set_string(wx_cache_obj_t *c, zend_string *key, zend_string *value, zend_long ttl)
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
static void wx_op_get_when(wx_cache_obj_t *c, zend_string *key, char *out, size_t outlen, const char *fallback)
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
static zend_long wx_op_eval(wx_cache_obj_t *c, const char *script, zend_string *key,
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
static zend_long wx_op_compare_and_delete(wx_cache_obj_t *c, zend_string *key, zend_string *value)
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

/* ------------------------------------------------------------------ errors */

static const char *wx_op_api_name(const char *path)
{
    const char *slash = strrchr(path, '/');
    return slash ? slash + 1 : path;
}

static const char *wx_op_hint(zend_long errcode)
{
    switch (errcode) {
    case -1:
        return "WeChat is busy; try again in a moment";
    case 40001:
    case 42001:
        return "WeChat rejected the access token; a cached token WeChat rejects is dropped (only if it is still the "
               "cached one) and the call is tried once more with a new one";
    case 40013:
        return "config \"app_id\" is not the AppID of this third-party platform";
    case 40125:
        return "config \"secret\" is not the platform's AppSecret (was it reset on open.weixin.qq.com?)";
    case 45009:
        return "this API's daily quota is used up; it resets at midnight Beijing time. Refreshes here are single-flight, "
               "so look for other programs refreshing tokens of the same app id";
    case 61003:
        return "the account has not authorized this platform, or has revoked the authorization";
    case 61004:
        return "this server's outgoing IP is not on the platform's API IP whitelist (open.weixin.qq.com, "
               "the platform's development settings); errmsg shows the IP WeChat saw";
    case 61005:
        return "the component_verify_ticket has expired: WeChat pushes a new one every 10 minutes to the "
               "authorization-event URL, and those pushes must reach handleCallback()";
    case 61006:
        return "the component_verify_ticket is not one WeChat issued to this platform (corrupted on the way, or "
               "another platform's): WeChat pushes a new one every 10 minutes to the authorization-event URL, "
               "and those pushes must reach handleCallback()";
    case 61023:
        return "the authorizer_refresh_token is no longer valid: the account must authorize the platform again "
               "(the stored refresh token was kept)";
    }
    return NULL;
}

static ZEND_COLD void wx_op_throw_api(const char *path, zend_long errcode, const char *errmsg, size_t errmsg_len,
                                      const char *message)
{
    zend_object *ex = zend_throw_exception(wx_ce_ApiException, message, errcode);
    zend_update_property_long(wx_ce_ApiException, ex, ZEND_STRL("errcode"), errcode);
    zend_update_property_stringl(wx_ce_ApiException, ex, ZEND_STRL("errmsg"), errmsg, errmsg_len);
    zend_update_property_string(wx_ce_ApiException, ex, ZEND_STRL("api"), path);
}

/* Printable excerpt of an unexpected answer for a message. */
static void wx_op_excerpt(zend_string *body, char *out, size_t outlen)
{
    size_t i, n = 0, max = outlen > 4 ? outlen - 4 : 0;
    for (i = 0; i < ZSTR_LEN(body) && n < max; i++) {
        unsigned char ch = (unsigned char) ZSTR_VAL(body)[i];
        out[n++] = (ch >= 0x20 && ch < 0x7f) ? (char) ch : '?';
    }
    if (i < ZSTR_LEN(body)) {
        memcpy(out + n, "...", 3);
        n += 3;
    }
    out[n] = '\0';
}

/* --------------------------------------------------------------- WeChat API */

static zend_result wx_op_json_encode(zval *body, smart_str *out)
{
    php_json_error_code saved = JSON_G(error_code);    /* json_last_error() is the application's */
    zend_result rc = php_json_encode(out, body, PHP_JSON_UNESCAPED_SLASHES | PHP_JSON_UNESCAPED_UNICODE);
    JSON_G(error_code) = saved;
    smart_str_0(out);
    return rc;
}

static zend_result wx_op_json_decode(zend_string *s, zval *out)
{
    php_json_error_code saved = JSON_G(error_code);
    zend_result rc = php_json_decode_ex(out, ZSTR_VAL(s), ZSTR_LEN(s), PHP_JSON_OBJECT_AS_ARRAY, 64);
    JSON_G(error_code) = saved;
    return rc;
}

static void wx_op_request_push(wx_op_t *op, wx_cache_obj_t *c, char *buf, size_t buflen);

/*
 * POST body (an array, sent as JSON) to api_base + path, with the access
 * token in the query when token is given. SUCCESS: *answer is the JSON
 * object as an array, without an error. FAILURE: HttpException (no usable
 * answer) or ApiException (an errcode) thrown; for 61005/61006 a ticket push
 * is requested first and the message says so.
 */
static zend_result wx_op_call(wx_op_t *op, wx_cache_obj_t *c, const char *path, zend_string *token,
                              zval *body, zval *answer)
{
    smart_str url = {0}, json = {0};
    wx_http_result_t res;
    zval *errcode;
    char excerpt[160];
    zend_result rc = FAILURE;

    ZVAL_UNDEF(answer);
    smart_str_append(&url, op->api_base);
    smart_str_appends(&url, path);
    if (token) {
        zend_string *enc = php_url_encode(ZSTR_VAL(token), ZSTR_LEN(token));
        smart_str_appends(&url, "?component_access_token=");
        smart_str_append(&url, enc);
        zend_string_release(enc);
    }
    smart_str_0(&url);
    if (wx_op_json_encode(body, &json) == FAILURE) {
        wx_throw(wx_ce_HttpException, 0, "WeChat %s: the request cannot be encoded as JSON "
                 "(a value is not valid UTF-8)", wx_op_api_name(path));
        goto out;
    }
    if (wx_http_post_json(ZSTR_VAL(url.s), json.s, op->http_timeout, &res) == FAILURE) {
        wx_throw(wx_ce_HttpException, 0, "WeChat %s: POST %s%s failed: %s",
                 wx_op_api_name(path), ZSTR_VAL(op->api_base), path, res.error);
        goto out;
    }
    if (res.status != 200) {
        wx_op_excerpt(res.body, excerpt, sizeof(excerpt));
        wx_throw(wx_ce_HttpException, res.status, "WeChat %s: POST %s%s answered HTTP %d: %s",
                 wx_op_api_name(path), ZSTR_VAL(op->api_base), path, res.status, excerpt);
        wx_http_result_free(&res);
        goto out;
    }
    if (wx_op_json_decode(res.body, answer) == FAILURE || Z_TYPE_P(answer) != IS_ARRAY) {
        wx_op_excerpt(res.body, excerpt, sizeof(excerpt));
        wx_throw(wx_ce_HttpException, res.status, "WeChat %s: POST %s%s answered with a body that is not "
                 "a JSON object: \"%s\"", wx_op_api_name(path), ZSTR_VAL(op->api_base), path, excerpt);
        wx_http_result_free(&res);
        zval_ptr_dtor(answer);
        ZVAL_UNDEF(answer);
        goto out;
    }
    wx_http_result_free(&res);

    errcode = zend_hash_str_find(Z_ARRVAL_P(answer), ZEND_STRL("errcode"));
    if (errcode && zval_get_long(errcode) != 0) {
        zend_long code = zval_get_long(errcode);
        zval *m = zend_hash_str_find(Z_ARRVAL_P(answer), ZEND_STRL("errmsg"));
        zend_string *errmsg = m ? zval_get_string(m) : ZSTR_EMPTY_ALLOC();
        const char *hint = wx_op_hint(code);
        char push[256] = "";
        zend_string *msg;

        if (code == 61005 || code == 61006) {
            wx_op_request_push(op, c, push, sizeof(push));
        }
        msg = zend_strpprintf(0, "WeChat %s failed: errcode " ZEND_LONG_FMT ", errmsg \"%s\"%s%s%s%s",
                              wx_op_api_name(path), code, ZSTR_VAL(errmsg),
                              hint ? ". Hint: " : "", hint ? hint : "", push[0] ? "; " : "", push);
        wx_op_throw_api(path, code, ZSTR_VAL(errmsg), ZSTR_LEN(errmsg), ZSTR_VAL(msg));
        zend_string_release(msg);
        zend_string_release(errmsg);
        zval_ptr_dtor(answer);
        ZVAL_UNDEF(answer);
        goto out;
    }
    rc = SUCCESS;

out:
    smart_str_free(&url);
    smart_str_free(&json);
    return rc;
}

/* A non-empty string field of an answer, or NULL with HttpException. */
static zend_string *wx_op_field_str(zval *answer, const char *name, const char *path)
{
    zval *v = zend_hash_str_find(Z_ARRVAL_P(answer), name, strlen(name));
    if (!v || Z_TYPE_P(v) != IS_STRING || Z_STRLEN_P(v) == 0) {
        wx_throw(wx_ce_HttpException, 200, "WeChat %s: the answer has no %s", wx_op_api_name(path), name);
        return NULL;
    }
    return Z_STR_P(v);
}

/* expires_in of an answer (7200 when absent), minus cut, at least 1. */
static zend_long wx_op_field_ttl(zval *answer, zend_long cut)
{
    zval *v = zend_hash_str_find(Z_ARRVAL_P(answer), ZEND_STRL("expires_in"));
    zend_long expires = v ? zval_get_long(v) : 7200;
    if (expires <= 0) {
        expires = 7200;
    }
    return expires - cut >= 1 ? expires - cut : 1;
}

/* ----------------------------------------------------------------- tickets */

static zend_string *wx_op_ticket_key(wx_op_t *op, wx_cache_obj_t *c)
{
    return wx_op_key(c, "open_platform.verify_ticket.%s", ZSTR_VAL(op->app_id));
}

static zend_string *wx_op_stored_at_key(wx_op_t *op, wx_cache_obj_t *c)
{
    return wx_op_key(c, "wxredis.verify_ticket_stored_at.%s", ZSTR_VAL(op->app_id));
}

static zend_string *wx_op_component_lock_key(wx_op_t *op, wx_cache_obj_t *c)
{
    return wx_op_key(c, "wxredis.lock.component_access_token.%s", ZSTR_VAL(op->app_id));
}

/* Store a ticket that WeChat pushed `age` seconds ago, and when it came; a
 * new ticket also ends the back-off of a failed token refresh. */
static zend_result wx_op_store_ticket(wx_op_t *op, wx_cache_obj_t *c, zend_string *ticket, zend_long age)
{
    zend_string *key = wx_op_ticket_key(op, c), *at_key = wx_op_stored_at_key(op, c);
    zend_string *lock_key = wx_op_component_lock_key(op, c);
    zend_string *v_ticket = wx_op_encode_str(ticket, key), *v_at = NULL;
    wx_op_cmd_t cmds[3] = {0};
    redisReply *replies[3];
    char ttl[24], at_ttl[24];
    zend_long secs = WX_OP_TICKET_LIFETIME - WX_OP_TICKET_SAFETY - (age > 0 ? age : 0);
    zend_result rc = FAILURE;
    zval now;

    if (secs < 60) {
        /* a push delayed for hours: nearly expired, keep what we have */
        rc = SUCCESS;
        goto out;
    }
    ZVAL_LONG(&now, (zend_long) time(NULL));
    if (!v_ticket || !(v_at = wx_codec_encode(&now, at_key))) {
        goto out;
    }
    snprintf(ttl, sizeof(ttl), ZEND_LONG_FMT, secs);
    snprintf(at_ttl, sizeof(at_ttl), "%d", WX_OP_STORED_AT_TTL);
    WX_OP_ARGS(&cmds[0], "SET"); WX_OP_ARGZ(&cmds[0], key); WX_OP_ARGZ(&cmds[0], v_ticket);
    WX_OP_ARGS(&cmds[0], "EX"); WX_OP_ARGS(&cmds[0], ttl);
    WX_OP_ARGS(&cmds[1], "SET"); WX_OP_ARGZ(&cmds[1], at_key); WX_OP_ARGZ(&cmds[1], v_at);
    WX_OP_ARGS(&cmds[1], "EX"); WX_OP_ARGS(&cmds[1], at_ttl);
    WX_OP_ARGS(&cmds[2], "EVAL"); WX_OP_ARGS(&cmds[2], wx_op_lua_del_error); WX_OP_ARGS(&cmds[2], "1");
    WX_OP_ARGZ(&cmds[2], lock_key);
    if (wx_op_redis(c, cmds, 3, replies) == SUCCESS) {
        wx_op_free_replies(replies, 3);
        rc = SUCCESS;
    }
out:
    if (v_ticket) zend_string_release(v_ticket);
    if (v_at) zend_string_release(v_at);
    zend_string_release(key);
    zend_string_release(at_key);
    zend_string_release(lock_key);
    return rc;
}

/*
 * Ask WeChat to push a ticket (api_start_push_ticket), at most once per
 * WX_OP_PUSH_INTERVAL across all servers, and describe what happened in buf
 * for an exception message. Never throws; keeps a pending exception.
 */
static void wx_op_request_push(wx_op_t *op, wx_cache_obj_t *c, char *buf, size_t buflen)
{
    zend_object *pending = wx_op_stash();
    zend_string *key = wx_op_key(c, "wxredis.push_ticket_requested.%s", ZSTR_VAL(op->app_id));
    zend_string *bytes;
    wx_op_cmd_t cmd = {0};
    redisReply *r = NULL;
    char ttl[24];
    zval now;

    ZVAL_LONG(&now, (zend_long) time(NULL));
    bytes = wx_codec_encode(&now, key);
    snprintf(ttl, sizeof(ttl), "%d", WX_OP_PUSH_INTERVAL);
    WX_OP_ARGS(&cmd, "SET"); WX_OP_ARGZ(&cmd, key);
    if (bytes) WX_OP_ARGZ(&cmd, bytes);
    WX_OP_ARGS(&cmd, "NX"); WX_OP_ARGS(&cmd, "EX"); WX_OP_ARGS(&cmd, ttl);
    if (!bytes || !(r = wx_op_redis1(c, &cmd))) {
        snprintf(buf, buflen, "no new push was requested (Redis failed)");
    } else if (r->type == REDIS_REPLY_STATUS) {
        zval body, answer;
        array_init(&body);
        add_assoc_str(&body, "component_appid", zend_string_copy(op->app_id));
        add_assoc_str(&body, "component_secret", zend_string_copy(op->secret));
        if (wx_op_call(op, c, WX_OP_PATH_START_PUSH, NULL, &body, &answer) == SUCCESS) {
            snprintf(buf, buflen, "asked WeChat to push a new ticket (api_start_push_ticket)");
            zval_ptr_dtor(&answer);
        } else {
            zval rv, *m = zend_read_property_ex(EG(exception)->ce, EG(exception),
                                                 ZSTR_KNOWN(ZEND_STR_MESSAGE), 1, &rv);
            snprintf(buf, buflen, "asking WeChat to push a new ticket failed: %s",
                     Z_TYPE_P(m) == IS_STRING ? Z_STRVAL_P(m) : "?");
        }
        zval_ptr_dtor(&body);
    } else {
        char when[96];
        wx_op_get_when(c, key, when, sizeof(when), "");
        snprintf(buf, buflen, "a new push was already requested %s%s (at most one request every %d minutes)",
                 when[0] ? "at " : "recently", when, WX_OP_PUSH_INTERVAL / 60);
    }
    if (r) freeReplyObject(r);
    if (bytes) zend_string_release(bytes);
    zend_string_release(key);
    wx_op_unstash(pending);
}

/* TicketException: none stored, when the last one came, the push request. */
static ZEND_COLD void wx_op_throw_no_ticket(wx_op_t *op, wx_cache_obj_t *c, zend_string *key)
{
    zend_string *at_key = wx_op_stored_at_key(op, c);
    char last[160], push[512], when[96];

    wx_op_get_when(c, at_key, when, sizeof(when), "");
    if (when[0]) {
        snprintf(last, sizeof(last), "the last one was stored at %s", when);
    } else {
        snprintf(last, sizeof(last), "none was stored in the last %d days", WX_OP_STORED_AT_TTL / 86400);
    }
    zend_string_release(at_key);
    wx_op_request_push(op, c, push, sizeof(push));
    wx_throw(wx_ce_TicketException, 0,
             "No component_verify_ticket is stored for component app id \"%s\" (key \"%s\"): %s; %s. "
             "WeChat pushes a ticket every 10 minutes to the authorization-event URL, "
             "which must reach handleCallback()",
             ZSTR_VAL(op->app_id), ZSTR_VAL(key), last, push);
}

/* -------------------------------------------------------------- single flight */

typedef struct wx_op_flight wx_op_flight_t;
struct wx_op_flight {
    const char  *what;            /* for messages */
    zend_string *lock_key;
    /* the token's current key (may read Redis); NULL with an exception */
    zend_string *(*token_key)(wx_op_t *op, wx_cache_obj_t *c, wx_op_flight_t *f);
    /* fetch a new token from WeChat and store it; NULL with an exception */
    zend_string *(*refresh)(wx_op_t *op, wx_cache_obj_t *c, wx_op_flight_t *f);
    /* optional, before trying the lock: get what the refresh needs that
     * may itself wait (the component token), so the lock is only held for
     * the refresh's own WeChat call */
    zend_result (*prepare)(wx_op_t *op, wx_cache_obj_t *c, wx_op_flight_t *f);
    zend_string *authorizer;      /* authorizer tokens: its app id ... */
    zend_string *refresh_token;   /* ... and the refresh token token_key read */
};

typedef struct {
    zend_string *key;
    zend_string *value;    /* NULL when missing */
    zend_long    pttl;     /* ms; -1 no expiry, -2 missing */
} wx_op_token_t;

static void wx_op_token_clear(wx_op_token_t *t)
{
    if (t->key) zend_string_release(t->key);
    if (t->value) zend_string_release(t->value);
    t->key = t->value = NULL;
}

/* GET + PTTL of the token in one round trip. Bytes that do not decode to a
 * string count as missing: a token can always be fetched again. */
static zend_result wx_op_token_read(wx_op_t *op, wx_cache_obj_t *c, wx_op_flight_t *f, wx_op_token_t *t)
{
    wx_op_cmd_t cmds[2] = {0};
    redisReply *replies[2];
    zval v;

    wx_op_token_clear(t);
    if (!(t->key = f->token_key(op, c, f))) {
        return FAILURE;
    }
    WX_OP_ARGS(&cmds[0], "GET");  WX_OP_ARGZ(&cmds[0], t->key);
    WX_OP_ARGS(&cmds[1], "PTTL"); WX_OP_ARGZ(&cmds[1], t->key);
    if (wx_op_redis(c, cmds, 2, replies) == FAILURE) {
        return FAILURE;
    }
    if (wx_op_decode(c, t->key, replies[0], &v) == FAILURE || wx_op_as_string(t->key, &v, &t->value) == FAILURE) {
        zend_clear_exception();
        t->value = NULL;
    }
    t->pttl = replies[1]->type == REDIS_REPLY_INTEGER ? (zend_long) replies[1]->integer : -2;
    wx_op_free_replies(replies, 2);
    return SUCCESS;
}

static bool wx_op_token_fresh(wx_op_t *op, const wx_op_token_t *t)
{
    return t->value && (t->pttl == -1 || t->pttl > op->margin_ms);
}

static bool wx_op_token_usable(const wx_op_token_t *t)
{
    return t->value && (t->pttl == -1 || t->pttl > 0);
}

/* SET lock owner NX PX: 1 taken, 0 held by someone, -1 exception. */
static int wx_op_lock(wx_op_t *op, wx_cache_obj_t *c, wx_op_flight_t *f, zend_string *owner)
{
    wx_op_cmd_t cmd = {0};
    redisReply *r;
    char px[24];
    int taken;

    snprintf(px, sizeof(px), ZEND_LONG_FMT, MAX((zend_long) (op->lock_timeout * 1000), 1));
    WX_OP_ARGS(&cmd, "SET"); WX_OP_ARGZ(&cmd, f->lock_key); WX_OP_ARGZ(&cmd, owner);
    WX_OP_ARGS(&cmd, "NX"); WX_OP_ARGS(&cmd, "PX"); WX_OP_ARGS(&cmd, px);
    if (!(r = wx_op_redis1(c, &cmd))) {
        return -1;
    }
    taken = r->type == REDIS_REPLY_STATUS;
    freeReplyObject(r);
    return taken;
}

/* Release our lock (compare-and-delete). Best effort: it expires anyway;
 * never throws, keeps a pending exception. */
static void wx_op_unlock(wx_cache_obj_t *c, wx_op_flight_t *f, zend_string *owner)
{
    zend_object *pending = wx_op_stash();
    wx_op_eval(c, wx_op_lua_cad, f->lock_key, owner, NULL, NULL);
    wx_op_unstash(pending);
}

static const struct {
    const char        *name;
    zend_class_entry **ce;
} wx_op_shared_classes[] = {
    { "TicketException", &wx_ce_TicketException },
    { "ApiException",    &wx_ce_ApiException },
    { "HttpException",   &wx_ce_HttpException },
};

/* Replace our lock by the pending exception (a WeChat, HTTP or ticket
 * error) for WX_OP_ERROR_BACKOFF_MS, so that others get it instead of
 * calling WeChat again at once; other errors just release the lock. Keeps
 * the pending exception. */
static void wx_op_unlock_with_error(wx_cache_obj_t *c, wx_op_flight_t *f, zend_string *owner)
{
    zend_object *ex = wx_op_stash();
    zend_string *bytes = NULL;
    const char *name = NULL;
    zval marker, rv, *m;
    size_t i;
    char px[24];

    for (i = 0; ex && i < sizeof(wx_op_shared_classes) / sizeof(wx_op_shared_classes[0]); i++) {
        if (ex->ce == *wx_op_shared_classes[i].ce) {
            name = wx_op_shared_classes[i].name;
        }
    }
    if (!name) {
        wx_op_unstash(ex);
        wx_op_unlock(c, f, owner);
        return;
    }
    array_init(&marker);
    add_assoc_string(&marker, "error", name);
    m = zend_read_property_ex(ex->ce, ex, ZSTR_KNOWN(ZEND_STR_MESSAGE), 1, &rv);
    add_assoc_str(&marker, "message", zval_get_string(m));
    m = zend_read_property_ex(ex->ce, ex, ZSTR_KNOWN(ZEND_STR_CODE), 1, &rv);
    add_assoc_long(&marker, "code", zval_get_long(m));
    if (ex->ce == wx_ce_ApiException) {
        m = zend_read_property(wx_ce_ApiException, ex, ZEND_STRL("errmsg"), 1, &rv);
        add_assoc_str(&marker, "errmsg", zval_get_string(m));
        m = zend_read_property(wx_ce_ApiException, ex, ZEND_STRL("api"), 1, &rv);
        add_assoc_str(&marker, "api", zval_get_string(m));
    }
    snprintf(px, sizeof(px), "%d", WX_OP_ERROR_BACKOFF_MS);
    if ((bytes = wx_codec_encode(&marker, f->lock_key)) != NULL) {
        wx_op_eval(c, wx_op_lua_cas, f->lock_key, owner, bytes, px);
        zend_string_release(bytes);
    }
    zval_ptr_dtor(&marker);
    wx_op_unstash(ex);
}

/* Throw the error another process left in the lock. */
static ZEND_COLD void wx_op_throw_shared(wx_op_flight_t *f, HashTable *marker)
{
    zval *name = zend_hash_str_find(marker, ZEND_STRL("error"));
    zval *message = zend_hash_str_find(marker, ZEND_STRL("message"));
    zval *code = zend_hash_str_find(marker, ZEND_STRL("code"));
    zend_class_entry *ce = wx_ce_HttpException;
    zend_string *msg;
    zend_object *ex;
    size_t i;

    for (i = 0; name && Z_TYPE_P(name) == IS_STRING
                && i < sizeof(wx_op_shared_classes) / sizeof(wx_op_shared_classes[0]); i++) {
        if (zend_string_equals_cstr(Z_STR_P(name), wx_op_shared_classes[i].name,
                                    strlen(wx_op_shared_classes[i].name))) {
            ce = *wx_op_shared_classes[i].ce;
        }
    }
    msg = zend_strpprintf(0, "%s (the last %s refresh failed with this error less than %d ms ago; "
                          "the next try comes after that back-off)",
                          message && Z_TYPE_P(message) == IS_STRING ? Z_STRVAL_P(message) : "refresh failed",
                          f->what, WX_OP_ERROR_BACKOFF_MS);
    ex = zend_throw_exception(ce, ZSTR_VAL(msg), code ? zval_get_long(code) : 0);
    zend_string_release(msg);
    if (ce == wx_ce_ApiException) {
        zval *errmsg = zend_hash_str_find(marker, ZEND_STRL("errmsg"));
        zval *api = zend_hash_str_find(marker, ZEND_STRL("api"));
        zend_update_property_long(wx_ce_ApiException, ex, ZEND_STRL("errcode"), code ? zval_get_long(code) : 0);
        if (errmsg && Z_TYPE_P(errmsg) == IS_STRING) {
            zend_update_property_str(wx_ce_ApiException, ex, ZEND_STRL("errmsg"), Z_STR_P(errmsg));
        }
        if (api && Z_TYPE_P(api) == IS_STRING) {
            zend_update_property_str(wx_ce_ApiException, ex, ZEND_STRL("api"), Z_STR_P(api));
        }
    }
}

/* Wait until the lock is gone (SUCCESS: read the token again) or holds an
 * error (thrown), at most until deadline (HttpException). */
static zend_result wx_op_wait(wx_op_t *op, wx_cache_obj_t *c, wx_op_flight_t *f, double deadline)
{
    unsigned sleep_us = 2000;

    for (;;) {
        wx_op_cmd_t cmd = {0};
        redisReply *r;
        bool gone;

        WX_OP_ARGS(&cmd, "GET");
        WX_OP_ARGZ(&cmd, f->lock_key);
        if (!(r = wx_op_redis1(c, &cmd))) {
            return FAILURE;
        }
        gone = r->type != REDIS_REPLY_STRING;
        if (!gone && r->len > 2 && r->str[0] == 'a' && r->str[1] == ':') {
            zval marker;
            if (wx_op_decode(c, f->lock_key, r, &marker) == SUCCESS) {
                if (Z_TYPE(marker) == IS_ARRAY) {
                    wx_op_throw_shared(f, Z_ARRVAL(marker));
                }
                zval_ptr_dtor(&marker);
            }
            if (EG(exception)) {
                freeReplyObject(r);
                return FAILURE;
            }
        }
        freeReplyObject(r);
        if (gone) {
            return SUCCESS;
        }
        if (wx_http_now() >= deadline) {
            wx_throw(wx_ce_HttpException, 0,
                     "Timed out after %.3g s waiting for another process to refresh the %s (lock \"%s\"): "
                     "its WeChat call is slow or it died; the lock expires after lock_timeout (%.3g s)",
                     op->lock_timeout + op->http_timeout, f->what, ZSTR_VAL(f->lock_key), op->lock_timeout);
            return FAILURE;
        }
        usleep(sleep_us);
        sleep_us = sleep_us * 2 > 50000 ? 50000 : sleep_us * 2;
    }
}

/* Under our lock: read again (the previous holder may have just stored
 * it), else refresh. */
static zend_string *wx_op_refresh_locked(wx_op_t *op, wx_cache_obj_t *c, wx_op_flight_t *f,
                                         zend_string *owner, wx_op_token_t *t)
{
    zend_string *fresh;

    if (wx_op_token_read(op, c, f, t) == FAILURE) {
        wx_op_unlock(c, f, owner);
        return NULL;
    }
    if (wx_op_token_fresh(op, t)) {
        wx_op_unlock(c, f, owner);
        fresh = t->value;
        t->value = NULL;
        return fresh;
    }
    if ((fresh = f->refresh(op, c, f)) != NULL) {
        wx_op_unlock(c, f, owner);
        return fresh;
    }
    wx_op_unlock_with_error(c, f, owner);
    if (wx_op_token_usable(t)) {
        /* WeChat failed, but the token we have is still valid for a while:
         * serve it; the next try comes after the back-off */
        zend_clear_exception();
        fresh = t->value;
        t->value = NULL;
        return fresh;
    }
    return NULL;
}

/* A fresh token: the cached one, or one refreshed by exactly one process. */
static zend_string *wx_op_single_flight(wx_op_t *op, wx_cache_obj_t *c, wx_op_flight_t *f)
{
    wx_op_token_t t = {0};
    zend_string *result = NULL, *owner = NULL, *owner_raw;
    unsigned char rnd[16];
    char hex[33];
    double deadline = 0;
    bool prepared = false;

    for (;;) {
        int taken;

        if (wx_op_token_read(op, c, f, &t) == FAILURE) {
            break;
        }
        if (wx_op_token_fresh(op, &t)) {
            result = t.value;
            t.value = NULL;
            break;
        }
        if (!owner) {
            if (php_random_bytes_throw(rnd, sizeof(rnd)) == FAILURE) {
                break;
            }
            make_digest_ex(hex, rnd, sizeof(rnd));
            owner_raw = zend_string_init(hex, 32, 0);
            owner = wx_op_encode_str(owner_raw, f->lock_key);
            zend_string_release(owner_raw);
            if (!owner) {
                break;
            }
        }
        if (f->prepare && !prepared) {
            if (f->prepare(op, c, f) == FAILURE) {
                if (wx_op_token_usable(&t)) {
                    /* cannot refresh now, but ours is still valid */
                    zend_clear_exception();
                    result = t.value;
                    t.value = NULL;
                }
                break;
            }
            prepared = true;
        }
        if ((taken = wx_op_lock(op, c, f, owner)) < 0) {
            break;
        }
        if (taken) {
            result = wx_op_refresh_locked(op, c, f, owner, &t);
            break;
        }
        if (wx_op_token_usable(&t)) {
            /* someone else is refreshing; ours is still valid */
            result = t.value;
            t.value = NULL;
            break;
        }
        if (deadline == 0) {
            /* a holder that died frees the lock after lock_timeout, and the
             * next one needs up to http_timeout for its call */
            deadline = wx_http_now() + op->lock_timeout + op->http_timeout;
        }
        if (wx_op_wait(op, c, f, deadline) == FAILURE) {
            break;
        }
    }
    wx_op_token_clear(&t);
    if (owner) {
        zend_string_release(owner);
    }
    return result;
}

/* --------------------------------------------------------- component token */

static zend_string *wx_op_component_key_cb(wx_op_t *op, wx_cache_obj_t *c, wx_op_flight_t *f)
{
    return wx_op_token_key_component(op, c);
}

static zend_string *wx_op_component_refresh(wx_op_t *op, wx_cache_obj_t *c, wx_op_flight_t *f)
{
    zend_string *ticket_key = wx_op_ticket_key(op, c), *ticket = NULL, *token = NULL, *key = NULL;
    zval body, answer;

    if (wx_op_get_string(c, ticket_key, &ticket) == FAILURE) {
        goto out;
    }
    if (!ticket) {
        wx_op_throw_no_ticket(op, c, ticket_key);
        goto out;
    }
    array_init(&body);
    add_assoc_str(&body, "component_appid", zend_string_copy(op->app_id));
    add_assoc_str(&body, "component_appsecret", zend_string_copy(op->secret));
    add_assoc_str(&body, "component_verify_ticket", zend_string_copy(ticket));
    if (wx_op_call(op, c, WX_OP_PATH_COMPONENT_TOKEN, NULL, &body, &answer) == FAILURE) {
        zval_ptr_dtor(&body);
        goto out;
    }
    zval_ptr_dtor(&body);
    if ((token = wx_op_field_str(&answer, "component_access_token", WX_OP_PATH_COMPONENT_TOKEN)) != NULL) {
        token = zend_string_copy(token);
        key = wx_op_token_key_component(op, c);
        if (wx_op_set_string(c, key, token, wx_op_field_ttl(&answer, WX_OP_COMPONENT_TTL_CUT)) == FAILURE) {
            /* not stored: the caller could use it, but the next caller
             * would refresh again; report the Redis failure instead */
            zend_string_release(token);
            token = NULL;
        }
    }
    zval_ptr_dtor(&answer);
out:
    if (ticket) zend_string_release(ticket);
    if (key) zend_string_release(key);
    zend_string_release(ticket_key);
    return token;
}

static zend_string *wx_op_component_token(wx_op_t *op, wx_cache_obj_t *c)
{
    wx_op_flight_t f = {0};
    zend_string *token;

    f.what = "component_access_token";
    f.lock_key = wx_op_component_lock_key(op, c);
    f.token_key = wx_op_component_key_cb;
    f.refresh = wx_op_component_refresh;
    token = wx_op_single_flight(op, c, &f);
    zend_string_release(f.lock_key);
    return token;
}

static bool wx_op_rejected_token(void)
{
    zend_object *ex = EG(exception);
    zval rv, *code;
    zend_long n;

    if (!ex || ex->ce != wx_ce_ApiException) {
        return false;
    }
    code = zend_read_property_ex(ex->ce, ex, ZSTR_KNOWN(ZEND_STR_CODE), 1, &rv);
    n = zval_get_long(code);
    return n == 40001 || n == 42001;
}

/* Call an API with the component token. When WeChat rejects the token
 * (40001/42001), drop it if it is still the cached one and try once more
 * with a new one. */
static zend_result wx_op_call_component(wx_op_t *op, wx_cache_obj_t *c, const char *path, zval *body, zval *answer)
{
    int attempt;

    for (attempt = 0; attempt < 2; attempt++) {
        zend_string *token = wx_op_component_token(op, c);
        zend_result rc;
        zend_object *ex;
        zend_string *key;

        if (!token) {
            return FAILURE;
        }
        rc = wx_op_call(op, c, path, token, body, answer);
        if (rc == SUCCESS || attempt == 1 || !wx_op_rejected_token()) {
            zend_string_release(token);
            return rc;
        }
        ex = wx_op_stash();
        key = wx_op_token_key_component(op, c);
        if (wx_op_compare_and_delete(c, key, token) < 0) {
            wx_op_unstash(ex);   /* Redis failed: report WeChat's error */
            zend_string_release(key);
            zend_string_release(token);
            return FAILURE;
        }
        OBJ_RELEASE(ex);
        zend_string_release(key);
        zend_string_release(token);
    }
    return FAILURE;
}

/* -------------------------------------------------------- authorizer tokens */

static zend_result wx_op_get_refresh_token(wx_op_t *op, wx_cache_obj_t *c, zend_string *authorizer, zend_string **out)
{
    zend_string *key = wx_op_refresh_key(op, authorizer);
    zend_result rc = wx_op_get_string(c, key, out);
    zend_string_release(key);
    return rc;
}

static zend_string *wx_op_authorizer_key_cb(wx_op_t *op, wx_cache_obj_t *c, wx_op_flight_t *f)
{
    zend_string *refresh;

    if (wx_op_get_refresh_token(op, c, f->authorizer, &refresh) == FAILURE) {
        return NULL;
    }
    if (!refresh) {
        zend_string *key = wx_op_refresh_key(op, f->authorizer);
        wx_throw_invalid(WX_OP_ERR_NO_REFRESH_TOKEN,
            "No authorizer_refresh_token is stored for authorizer \"%s\" of component \"%s\" (key \"%s\"): "
            "it is stored when the account authorizes the platform (handleCallback() or handleAuthorization()) "
            "and removed when it revokes; import one with setAuthorizerRefreshToken()",
            ZSTR_VAL(f->authorizer), ZSTR_VAL(op->app_id), ZSTR_VAL(key));
        zend_string_release(key);
        return NULL;
    }
    if (f->refresh_token) {
        zend_string_release(f->refresh_token);
    }
    f->refresh_token = refresh;
    return wx_op_token_key_authorizer(c, f->authorizer, refresh);
}

/* Store an authorizer's tokens in one round trip. The refresh token is set
 * when `expected` is NULL, else replaced only if it still is `expected`
 * (a refresh racing a re-authorization must not put back an older one). */
static zend_result wx_op_store_authorizer(wx_op_t *op, wx_cache_obj_t *c, zend_string *authorizer,
                                          zend_string *expected, zend_string *refresh,
                                          zend_string *token, zend_long ttl)
{
    zend_string *rkey = wx_op_refresh_key(op, authorizer);
    zend_string *tkey = wx_op_token_key_authorizer(c, authorizer, refresh);
    zend_string *v_refresh = wx_op_encode_str(refresh, rkey);
    zend_string *v_expected = expected ? wx_op_encode_str(expected, rkey) : NULL;
    zend_string *v_token = wx_op_encode_str(token, tkey);
    wx_op_cmd_t cmds[2] = {0};
    redisReply *replies[2];
    size_t n = 0;
    char ttlbuf[24];
    zend_result rc = FAILURE;

    if (!v_refresh || !v_token || (expected && !v_expected)) {
        goto out;
    }
    if (!expected) {
        WX_OP_ARGS(&cmds[n], "SET"); WX_OP_ARGZ(&cmds[n], rkey); WX_OP_ARGZ(&cmds[n], v_refresh);
        n++;
    } else if (!zend_string_equals(expected, refresh)) {
        WX_OP_ARGS(&cmds[n], "EVAL"); WX_OP_ARGS(&cmds[n], wx_op_lua_cas); WX_OP_ARGS(&cmds[n], "1");
        WX_OP_ARGZ(&cmds[n], rkey); WX_OP_ARGZ(&cmds[n], v_expected); WX_OP_ARGZ(&cmds[n], v_refresh);
        n++;
    }
    snprintf(ttlbuf, sizeof(ttlbuf), ZEND_LONG_FMT, ttl);
    WX_OP_ARGS(&cmds[n], "SET"); WX_OP_ARGZ(&cmds[n], tkey); WX_OP_ARGZ(&cmds[n], v_token);
    WX_OP_ARGS(&cmds[n], "EX"); WX_OP_ARGS(&cmds[n], ttlbuf);
    n++;
    if (wx_op_redis(c, cmds, n, replies) == SUCCESS) {
        wx_op_free_replies(replies, n);
        rc = SUCCESS;
    }
out:
    if (v_refresh) zend_string_release(v_refresh);
    if (v_expected) zend_string_release(v_expected);
    if (v_token) zend_string_release(v_token);
    zend_string_release(rkey);
    zend_string_release(tkey);
    return rc;
}

static zend_string *wx_op_authorizer_refresh(wx_op_t *op, wx_cache_obj_t *c, wx_op_flight_t *f)
{
    zend_string *token = NULL, *refresh;
    zval body, answer, *nr;

    array_init(&body);
    add_assoc_str(&body, "component_appid", zend_string_copy(op->app_id));
    add_assoc_str(&body, "authorizer_appid", zend_string_copy(f->authorizer));
    add_assoc_str(&body, "authorizer_refresh_token", zend_string_copy(f->refresh_token));
    if (wx_op_call_component(op, c, WX_OP_PATH_AUTHORIZER_TOKEN, &body, &answer) == FAILURE) {
        zval_ptr_dtor(&body);
        return NULL;
    }
    zval_ptr_dtor(&body);
    if ((token = wx_op_field_str(&answer, "authorizer_access_token", WX_OP_PATH_AUTHORIZER_TOKEN)) != NULL) {
        /* whatever WeChat returns replaces the stored refresh token */
        nr = zend_hash_str_find(Z_ARRVAL(answer), ZEND_STRL("authorizer_refresh_token"));
        refresh = nr && Z_TYPE_P(nr) == IS_STRING && Z_STRLEN_P(nr) > 0 ? Z_STR_P(nr) : f->refresh_token;
        token = zend_string_copy(token);
        if (wx_op_store_authorizer(op, c, f->authorizer, f->refresh_token, refresh, token,
                                   wx_op_field_ttl(&answer, WX_OP_AUTHORIZER_TTL_CUT)) == FAILURE) {
            zend_string_release(token);
            token = NULL;
        }
    }
    zval_ptr_dtor(&answer);
    return token;
}

static zend_result wx_op_authorizer_prepare(wx_op_t *op, wx_cache_obj_t *c, wx_op_flight_t *f)
{
    zend_string *token = wx_op_component_token(op, c);
    if (!token) {
        return FAILURE;
    }
    zend_string_release(token);
    return SUCCESS;
}

static zend_string *wx_op_authorizer_token(wx_op_t *op, wx_cache_obj_t *c, zend_string *authorizer)
{
    wx_op_flight_t f = {0};
    zend_string *token;

    f.what = "authorizer_access_token";
    f.lock_key = wx_op_key(c, "wxredis.lock.authorizer_access_token.%s.%s",
                           ZSTR_VAL(op->app_id), ZSTR_VAL(authorizer));
    f.token_key = wx_op_authorizer_key_cb;
    f.refresh = wx_op_authorizer_refresh;
    f.prepare = wx_op_authorizer_prepare;
    f.authorizer = authorizer;
    token = wx_op_single_flight(op, c, &f);
    zend_string_release(f.lock_key);
    if (f.refresh_token) {
        zend_string_release(f.refresh_token);
    }
    return token;
}

/* api_query_auth; stores the refresh and access tokens; *info is
 * authorization_info. */
static zend_result wx_op_query_auth(wx_op_t *op, wx_cache_obj_t *c, zend_string *code, zval *info)
{
    zval body, answer, *ai, *appid, *token, *refresh;
    zend_result rc = FAILURE;

    ZVAL_UNDEF(info);
    array_init(&body);
    add_assoc_str(&body, "component_appid", zend_string_copy(op->app_id));
    add_assoc_str(&body, "authorization_code", zend_string_copy(code));
    rc = wx_op_call_component(op, c, WX_OP_PATH_QUERY_AUTH, &body, &answer);
    zval_ptr_dtor(&body);
    if (rc == FAILURE) {
        return FAILURE;
    }
    rc = FAILURE;
    ai = zend_hash_str_find(Z_ARRVAL(answer), ZEND_STRL("authorization_info"));
    if (!ai || Z_TYPE_P(ai) != IS_ARRAY
            || !(appid = zend_hash_str_find(Z_ARRVAL_P(ai), ZEND_STRL("authorizer_appid")))
            || Z_TYPE_P(appid) != IS_STRING
            || !(token = zend_hash_str_find(Z_ARRVAL_P(ai), ZEND_STRL("authorizer_access_token")))
            || Z_TYPE_P(token) != IS_STRING || Z_STRLEN_P(token) == 0
            || !(refresh = zend_hash_str_find(Z_ARRVAL_P(ai), ZEND_STRL("authorizer_refresh_token")))
            || Z_TYPE_P(refresh) != IS_STRING || Z_STRLEN_P(refresh) == 0) {
        wx_throw(wx_ce_HttpException, 200, "WeChat api_query_auth: the answer has no authorization_info "
                 "with authorizer_appid, authorizer_access_token and authorizer_refresh_token");
        goto out;
    }
    if (wx_op_check_appid(Z_STRVAL_P(appid), Z_STRLEN_P(appid), "authorizer_appid of api_query_auth") == FAILURE) {
        goto out;
    }
    if (wx_op_store_authorizer(op, c, Z_STR_P(appid), NULL, Z_STR_P(refresh), Z_STR_P(token),
                               wx_op_field_ttl(ai, WX_OP_AUTHORIZER_TTL_CUT)) == FAILURE) {
        goto out;
    }
    ZVAL_COPY(info, ai);
    rc = SUCCESS;
out:
    zval_ptr_dtor(&answer);
    return rc;
}

/* unauthorized: the refresh token and the access token it keys. */
static zend_result wx_op_forget_authorizer(wx_op_t *op, wx_cache_obj_t *c, zend_string *authorizer)
{
    zend_string *rkey = wx_op_refresh_key(op, authorizer), *tkey = NULL, *refresh = NULL;
    wx_op_cmd_t cmd = {0};
    redisReply *r;
    zend_result rc = FAILURE;

    if (wx_op_get_string(c, rkey, &refresh) == FAILURE) {
        /* bytes that are not ours: delete the key anyway */
        zend_clear_exception();
    }
    WX_OP_ARGS(&cmd, "DEL");
    WX_OP_ARGZ(&cmd, rkey);
    if (refresh) {
        tkey = wx_op_token_key_authorizer(c, authorizer, refresh);
        WX_OP_ARGZ(&cmd, tkey);
    }
    if ((r = wx_op_redis1(c, &cmd)) != NULL) {
        freeReplyObject(r);
        rc = SUCCESS;
    }
    if (refresh) zend_string_release(refresh);
    if (tkey) zend_string_release(tkey);
    zend_string_release(rkey);
    return rc;
}

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

/* --------------------------------------------------------------- callback */

/* Verify and decrypt a push; the plaintext XML or NULL with CryptException. */
static zend_string *wx_op_decrypt_push(wx_op_t *op, HashTable *query, zend_string *body)
{
    wx_error_t err;
    zend_string *plain;
    char *out = NULL;
    size_t out_len = 0;

    if (wx_message_crypt_open_push(op->crypt, query, body, &out, &out_len, NULL, &err) != WX_CRYPT_OK) {
        wx_throw(wx_ce_CryptException, err.code, "%s", err.msg);
        return NULL;
    }
    plain = zend_string_init(out, out_len, 0);
    wx_crypt_buf_free(out);
    return plain;
}

static zend_string *wx_op_child_text(const wx_xml_node_t *root, const char *name)
{
    const wx_xml_node_t *n = wx_xml_child(root, name);
    return n && n->text_len > 0 ? zend_string_init(n->text, n->text_len, 0) : NULL;
}

static ZEND_COLD void wx_op_throw_push_field(const char *info_type, const char *field)
{
    wx_throw(wx_ce_CryptException, WX_CRYPT_ERR_PARSE_XML, "%s push without <%s>", info_type, field);
}

/* Act on a decrypted push by its InfoType. */
static zend_result wx_op_dispatch(wx_op_t *op, wx_cache_obj_t *c, const wx_xml_node_t *msg)
{
    const wx_xml_node_t *type = wx_xml_child(msg, "InfoType");
    zend_string *s;
    zend_result rc = SUCCESS;

    if (!type) {
        return SUCCESS;   /* not an authorization event: accepted */
    }
    if (strcmp(type->text, "component_verify_ticket") == 0) {
        zend_string *created = wx_op_child_text(msg, "CreateTime");
        zend_long age = 0;
        if (!(s = wx_op_child_text(msg, "ComponentVerifyTicket"))) {
            wx_op_throw_push_field(type->text, "ComponentVerifyTicket");
            rc = FAILURE;
        } else {
            if (created) {
                zend_long t = ZEND_STRTOL(ZSTR_VAL(created), NULL, 10);
                if (t > 0) {
                    age = (zend_long) time(NULL) - t;
                }
            }
            rc = wx_op_store_ticket(op, c, s, age);
            zend_string_release(s);
        }
        if (created) zend_string_release(created);
    } else if (strcmp(type->text, "authorized") == 0 || strcmp(type->text, "updateauthorized") == 0) {
        zval info;
        if (!(s = wx_op_child_text(msg, "AuthorizationCode"))) {
            wx_op_throw_push_field(type->text, "AuthorizationCode");
            return FAILURE;
        }
        rc = wx_op_query_auth(op, c, s, &info);
        zend_string_release(s);
        zval_ptr_dtor(&info);
    } else if (strcmp(type->text, "unauthorized") == 0) {
        if (!(s = wx_op_child_text(msg, "AuthorizerAppid"))) {
            wx_op_throw_push_field(type->text, "AuthorizerAppid");
            return FAILURE;
        }
        rc = wx_op_check_appid(ZSTR_VAL(s), ZSTR_LEN(s), "AuthorizerAppid of the unauthorized push");
        if (rc == SUCCESS) {
            rc = wx_op_forget_authorizer(op, c, s);
        }
        zend_string_release(s);
    }
    return rc;
}

/* The decrypted message as MessageCrypt::parseXml() gives it. */
ZEND_METHOD(WxRedis_OpenPlatform, handleCallback)
{
    HashTable *query;
    zend_string *body, *plain;
    zend_fcall_info fci = empty_fcall_info;
    zend_fcall_info_cache fcc = empty_fcall_info_cache;
    wx_xml_node_t *msg = NULL;
    wx_cache_obj_t *c;
    wx_op_t *op;
    wx_error_t err;
    int rc;

    ZEND_PARSE_PARAMETERS_START(2, 3)
        Z_PARAM_ARRAY_HT(query)
        Z_PARAM_STR(body)
        Z_PARAM_OPTIONAL
        Z_PARAM_FUNC_OR_NULL(fci, fcc)
    ZEND_PARSE_PARAMETERS_END();

    if (!(op = wx_op_this(ZEND_THIS, &c)) || !(plain = wx_op_decrypt_push(op, query, body))) {
        RETURN_THROWS();
    }
    rc = wx_message_crypt_parse(ZSTR_VAL(plain), ZSTR_LEN(plain), &msg, &err);
    zend_string_release(plain);
    if (rc != WX_CRYPT_OK) {
        wx_throw(wx_ce_CryptException, err.code, "decrypted push: %s", err.msg);
        RETURN_THROWS();
    }
    rc = wx_op_dispatch(op, c, msg);
    if (rc == SUCCESS && ZEND_FCI_INITIALIZED(fci)) {
        /* the handler gets what MessageCrypt::parseXml() would return */
        zval arr, ret;
        wx_message_crypt_to_array(msg, &arr);
        ZVAL_UNDEF(&ret);
        fci.retval = &ret;
        fci.params = &arr;
        fci.param_count = 1;
        zend_call_function(&fci, &fcc);
        zval_ptr_dtor(&ret);
        zval_ptr_dtor(&arr);
        rc = EG(exception) ? FAILURE : SUCCESS;
    }
    wx_xml_free(msg);
    if (rc == FAILURE) {
        RETURN_THROWS();
    }
    RETURN_STRINGL("success", 7);
}

/* ------------------------------------------------------------------ methods */

ZEND_METHOD(WxRedis_OpenPlatform, getVerifyTicket)
{
    wx_cache_obj_t *c;
    wx_op_t *op;
    zend_string *key, *ticket;
    zend_result rc;

    ZEND_PARSE_PARAMETERS_NONE();
    if (!(op = wx_op_this(ZEND_THIS, &c))) {
        RETURN_THROWS();
    }
    key = wx_op_ticket_key(op, c);
    rc = wx_op_get_string(c, key, &ticket);
    zend_string_release(key);
    if (rc == FAILURE) {
        RETURN_THROWS();
    }
    if (ticket) {
        RETURN_STR(ticket);
    }
    RETURN_NULL();
}

ZEND_METHOD(WxRedis_OpenPlatform, setVerifyTicket)
{
    wx_cache_obj_t *c;
    wx_op_t *op;
    zend_string *ticket;

    ZEND_PARSE_PARAMETERS_START(1, 1)
        Z_PARAM_STR(ticket)
    ZEND_PARSE_PARAMETERS_END();
    if (!(op = wx_op_this(ZEND_THIS, &c))) {
        RETURN_THROWS();
    }
    if (ZSTR_LEN(ticket) == 0) {
        zend_argument_value_error(1, "must not be empty");
        RETURN_THROWS();
    }
    if (wx_op_store_ticket(op, c, ticket, 0) == FAILURE) {
        RETURN_THROWS();
    }
}

ZEND_METHOD(WxRedis_OpenPlatform, getComponentAccessToken)
{
    wx_cache_obj_t *c;
    wx_op_t *op;
    zend_string *token;

    ZEND_PARSE_PARAMETERS_NONE();
    if (!(op = wx_op_this(ZEND_THIS, &c)) || !(token = wx_op_component_token(op, c))) {
        RETURN_THROWS();
    }
    RETURN_STR(token);
}

ZEND_METHOD(WxRedis_OpenPlatform, invalidateComponentAccessToken)
{
    wx_cache_obj_t *c;
    wx_op_t *op;
    zend_string *token, *key;
    zend_long n;

    ZEND_PARSE_PARAMETERS_START(1, 1)
        Z_PARAM_STR(token)
    ZEND_PARSE_PARAMETERS_END();
    if (!(op = wx_op_this(ZEND_THIS, &c))) {
        RETURN_THROWS();
    }
    key = wx_op_token_key_component(op, c);
    n = wx_op_compare_and_delete(c, key, token);
    zend_string_release(key);
    if (n < 0) {
        RETURN_THROWS();
    }
    RETURN_BOOL(n > 0);
}

static zend_string *wx_op_pre_auth_code(wx_op_t *op, wx_cache_obj_t *c)
{
    zval body, answer;
    zend_string *code = NULL;
    zend_result rc;

    array_init(&body);
    add_assoc_str(&body, "component_appid", zend_string_copy(op->app_id));
    rc = wx_op_call_component(op, c, WX_OP_PATH_PREAUTHCODE, &body, &answer);
    zval_ptr_dtor(&body);
    if (rc == FAILURE) {
        return NULL;
    }
    if ((code = wx_op_field_str(&answer, "pre_auth_code", WX_OP_PATH_PREAUTHCODE)) != NULL) {
        code = zend_string_copy(code);
    }
    zval_ptr_dtor(&answer);
    return code;
}

ZEND_METHOD(WxRedis_OpenPlatform, createPreAuthCode)
{
    wx_cache_obj_t *c;
    wx_op_t *op;
    zend_string *code;

    ZEND_PARSE_PARAMETERS_NONE();
    if (!(op = wx_op_this(ZEND_THIS, &c)) || !(code = wx_op_pre_auth_code(op, c))) {
        RETURN_THROWS();
    }
    RETURN_STR(code);
}

/* sep name=value, the value urlencode()d as http_build_query() does */
static void wx_op_query_append(smart_str *s, char sep, const char *name, const char *value, size_t len)
{
    zend_string *enc = php_url_encode(value, len);
    smart_str_appendc(s, sep);
    smart_str_appends(s, name);
    smart_str_appendc(s, '=');
    smart_str_append(s, enc);
    zend_string_release(enc);
}

ZEND_METHOD(WxRedis_OpenPlatform, getPreAuthorizationUrl)
{
    wx_cache_obj_t *c;
    wx_op_t *op;
    zend_string *redirect, *biz = NULL, *code;
    zend_long auth_type = 0;
    bool auth_type_null = true;
    smart_str url = {0};

    ZEND_PARSE_PARAMETERS_START(1, 3)
        Z_PARAM_STR(redirect)
        Z_PARAM_OPTIONAL
        Z_PARAM_LONG_OR_NULL(auth_type, auth_type_null)
        Z_PARAM_STR_OR_NULL(biz)
    ZEND_PARSE_PARAMETERS_END();
    if (!(op = wx_op_this(ZEND_THIS, &c))) {
        RETURN_THROWS();
    }
    if (ZSTR_LEN(redirect) == 0) {
        zend_argument_value_error(1, "must not be empty");
        RETURN_THROWS();
    }
    if (!(code = wx_op_pre_auth_code(op, c))) {
        RETURN_THROWS();
    }
    smart_str_appends(&url, WX_OP_LOGIN_PAGE);
    wx_op_query_append(&url, '?', "component_appid", ZSTR_VAL(op->app_id), ZSTR_LEN(op->app_id));
    wx_op_query_append(&url, '&', "pre_auth_code", ZSTR_VAL(code), ZSTR_LEN(code));
    wx_op_query_append(&url, '&', "redirect_uri", ZSTR_VAL(redirect), ZSTR_LEN(redirect));
    if (!auth_type_null) {
        smart_str_append_printf(&url, "&auth_type=" ZEND_LONG_FMT, auth_type);
    }
    if (biz) {
        wx_op_query_append(&url, '&', "biz_appid", ZSTR_VAL(biz), ZSTR_LEN(biz));
    }
    zend_string_release(code);
    RETURN_STR(smart_str_extract(&url));
}

ZEND_METHOD(WxRedis_OpenPlatform, handleAuthorization)
{
    wx_cache_obj_t *c;
    wx_op_t *op;
    zend_string *code;

    ZEND_PARSE_PARAMETERS_START(1, 1)
        Z_PARAM_STR(code)
    ZEND_PARSE_PARAMETERS_END();
    if (!(op = wx_op_this(ZEND_THIS, &c))) {
        RETURN_THROWS();
    }
    if (ZSTR_LEN(code) == 0) {
        zend_argument_value_error(1, "must not be empty");
        RETURN_THROWS();
    }
    if (wx_op_query_auth(op, c, code, return_value) == FAILURE) {
        RETURN_THROWS();
    }
}

/* The authorizer app id argument, checked. */
static wx_op_t *wx_op_this_authorizer(INTERNAL_FUNCTION_PARAMETERS, zend_string *appid, wx_cache_obj_t **c)
{
    wx_op_t *op = wx_op_this(ZEND_THIS, c);
    if (!op || wx_op_check_appid(ZSTR_VAL(appid), ZSTR_LEN(appid), "authorizer app id") == FAILURE) {
        return NULL;
    }
    return op;
}

ZEND_METHOD(WxRedis_OpenPlatform, getAuthorizerAccessToken)
{
    wx_cache_obj_t *c;
    wx_op_t *op;
    zend_string *appid, *token;

    ZEND_PARSE_PARAMETERS_START(1, 1)
        Z_PARAM_STR(appid)
    ZEND_PARSE_PARAMETERS_END();
    if (!(op = wx_op_this_authorizer(INTERNAL_FUNCTION_PARAM_PASSTHRU, appid, &c))
            || !(token = wx_op_authorizer_token(op, c, appid))) {
        RETURN_THROWS();
    }
    RETURN_STR(token);
}

ZEND_METHOD(WxRedis_OpenPlatform, invalidateAuthorizerAccessToken)
{
    wx_cache_obj_t *c;
    wx_op_t *op;
    zend_string *appid, *token, *refresh, *key;
    zend_long n;

    ZEND_PARSE_PARAMETERS_START(2, 2)
        Z_PARAM_STR(appid)
        Z_PARAM_STR(token)
    ZEND_PARSE_PARAMETERS_END();
    if (!(op = wx_op_this_authorizer(INTERNAL_FUNCTION_PARAM_PASSTHRU, appid, &c))
            || wx_op_get_refresh_token(op, c, appid, &refresh) == FAILURE) {
        RETURN_THROWS();
    }
    if (!refresh) {
        RETURN_FALSE;
    }
    key = wx_op_token_key_authorizer(c, appid, refresh);
    n = wx_op_compare_and_delete(c, key, token);
    zend_string_release(key);
    zend_string_release(refresh);
    if (n < 0) {
        RETURN_THROWS();
    }
    RETURN_BOOL(n > 0);
}

ZEND_METHOD(WxRedis_OpenPlatform, getAuthorizerRefreshToken)
{
    wx_cache_obj_t *c;
    wx_op_t *op;
    zend_string *appid, *refresh;

    ZEND_PARSE_PARAMETERS_START(1, 1)
        Z_PARAM_STR(appid)
    ZEND_PARSE_PARAMETERS_END();
    if (!(op = wx_op_this_authorizer(INTERNAL_FUNCTION_PARAM_PASSTHRU, appid, &c))
            || wx_op_get_refresh_token(op, c, appid, &refresh) == FAILURE) {
        RETURN_THROWS();
    }
    if (refresh) {
        RETURN_STR(refresh);
    }
    RETURN_NULL();
}

ZEND_METHOD(WxRedis_OpenPlatform, setAuthorizerRefreshToken)
{
    wx_cache_obj_t *c;
    wx_op_t *op;
    zend_string *appid, *refresh, *key;
    zend_result rc;

    ZEND_PARSE_PARAMETERS_START(2, 2)
        Z_PARAM_STR(appid)
        Z_PARAM_STR(refresh)
    ZEND_PARSE_PARAMETERS_END();
    if (!(op = wx_op_this_authorizer(INTERNAL_FUNCTION_PARAM_PASSTHRU, appid, &c))) {
        RETURN_THROWS();
    }
    if (ZSTR_LEN(refresh) == 0) {
        zend_argument_value_error(2, "must not be empty");
        RETURN_THROWS();
    }
    key = wx_op_refresh_key(op, appid);
    rc = wx_op_set_string(c, key, refresh, 0);   /* no expiry */
    zend_string_release(key);
    if (rc == FAILURE) {
        RETURN_THROWS();
    }
}

/* ------------------------------------------------------------ registration */

void wx_open_platform_register(void)
{
    wx_ce_OpenPlatform = register_class_WxRedis_OpenPlatform();
    wx_ce_OpenPlatform->create_object = wx_op_create;

    memcpy(&wx_op_handlers, zend_get_std_object_handlers(), sizeof(zend_object_handlers));
    wx_op_handlers.offset = XtOffsetOf(wx_op_t, std);
    wx_op_handlers.free_obj = wx_op_free;
    wx_op_handlers.get_gc = wx_op_get_gc;
    /* the secret and keys live in exactly one object */
    wx_op_handlers.clone_obj = NULL;
    wx_op_handlers.compare = zend_objects_not_comparable;
}
