/*
 * WxRedis\OpenPlatform's private header: the object, its error codes and
 * defaults, and what the files of ext/php/platform/ use of each other.
 *
 *   platform.c   the class: handlers, methods (parse arguments, call down)
 *   config.c     the constructor's config array
 *   callback.c   handleCallback(): verify, decrypt, act on the InfoType
 *   authorize.c  authorization: pre_auth_code and URL, api_query_auth, unauthorized
 *   tokens.c     component and authorizer access tokens, refresh tokens
 *   tickets.c    component_verify_ticket: store, ask for a push
 *   flight.c     single flight: one refresh across all servers
 *   api.c        one WeChat call (JSON, errcode -> ApiException)
 *   keys.c       key names, from core/wx_keys.h, under the cache's prefix
 *   store.c      values and scripts over the cache's C API (php/cache/store.h)
 *   registry.c   the authorizer registry (ZSET by token expiry) and the
 *                set of authorizers whose refresh token is missing
 *   recover.c    lost refresh tokens back from WeChat: one authorizer
 *                (api_get_authorizer_info) or all (api_get_authorizer_list)
 *   keeper.c     refreshDue(): refresh what expires soon, at keeper_rate
 *   quota.c      clearQuota(): component/clear_quota/v2, once per interval
 *
 * Calls go down this list, never up (flight.c calls back only through the
 * token kind it is given). Failure convention (php/exceptions.h):
 * zend_result FAILURE or a NULL pointer, with an exception pending.
 * Policy (lifetimes, key names, the lock protocol) is in ext/core:
 * wx_wechat, wx_keys, wx_lock.
 */
#ifndef WX_PHP_PLATFORM_H
#define WX_PHP_PLATFORM_H

#ifdef HAVE_CONFIG_H
# include "config.h"
#endif

#include "php.h"
#include "zend_exceptions.h"
#include "php_wxredis.h"
#include "php/exceptions.h"
#include "php/codec.h"
#include "php/cache/store.h"
#include "core/wx_crypt.h"
#include "core/wx_keys.h"
#include "core/wx_lock.h"
#include "core/wx_wechat.h"
#include "php/http.h"

/* Exception codes of WxRedis\OpenPlatform (its ERROR_* constants). */
#define WX_OP_ERR_CONFIG           32  /* invalid config, or an app id that cannot go into a key
                                        * (the value Cache::ERROR_ARGUMENT has, which these
                                        * errors carried before they had a name of their own) */
#define WX_OP_ERR_NO_REFRESH_TOKEN 40  /* no refresh token stored for an authorizer */

/* Config defaults and bounds (seconds). */
#define WX_OP_DEFAULT_HTTP_TIMEOUT   5.0
#define WX_OP_DEFAULT_REFRESH_MARGIN 300.0
#define WX_OP_MAX_TIMEOUT            600.0
#define WX_OP_MAX_REFRESH_MARGIN     3600.0
#define WX_OP_DEFAULT_KEEPER_RATE    WX_WECHAT_KEEPER_RATE_DEFAULT
/* lock_timeout defaults to twice http_timeout, and at least this */
#define WX_OP_MIN_DEFAULT_LOCK       10.0
/* min_replicas: how many replicas must have a refresh token before its
 * write counts; min_replicas_timeout bounds the whole wait (two WAITs of
 * half of it, the second on the master found again). */
#define WX_OP_MAX_MIN_REPLICAS       16
#define WX_OP_DEFAULT_MIN_REPLICAS_TIMEOUT 0.5

typedef struct {
    wx_crypt_t  *crypt;          /* made by the first push (wx_op_crypt): token
                                    pages never need its OpenSSL contexts */
    zend_string *token;          /* the config's strings for it, checked by */
    zend_string *aes_key;        /* the constructor (references, not copies: */
    zend_string *previous_aes_key; /* the caller's config holds them anyway) */
    zend_string *app_id;         /* NULL until the constructor ran */
    zend_string *secret;
    zend_string *api_base;       /* without a trailing slash, for messages */
    wx_http_url_t api;           /* api_base, parsed */
    double       http_timeout;   /* seconds */
    double       lock_timeout;   /* seconds */
    zend_long    margin_ms;      /* refresh_margin */
    zend_long    min_replicas;   /* WAIT for this many after a refresh-token write; 0: no WAIT */
    zend_long    min_replicas_ms;/* min_replicas_timeout */
    double       keeper_rate;    /* refreshes per second across the fleet (refreshDue) */
    zend_long    clear_quota_interval; /* seconds between two clearQuota() resets, fleet-wide */
    zend_long    refreshes;      /* authorizer tokens this object refreshed (keeper.c reads it) */
    bool         pacing;         /* refreshDue() runs: authorizer refreshes wait for a keeper_rate slot */
    zval         cache;          /* the WxRedis\Cache */
    struct wx_logger *logger;    /* setLogger(); NULL: the cache's (platform/log.h) */
    zend_object  std;
} wx_op_t;

static inline wx_op_t *wx_op_from_obj(zend_object *obj)
{
    return (wx_op_t *) ((char *) obj - XtOffsetOf(wx_op_t, std));
}

/* ------------------------------------------------------------- store.c */

/* Commands are built with the cache's wx_argv_t (php/cache/store.h) and
 * sent on its one command path, wx_store_pipeline: an error reply throws
 * CacheException and is counted in stats()['errors'] as for the cache. */

/* wx_argv_init each of n builders. */
void wx_op_argv_init(wx_argv_t *cmds, size_t n);
/* n (<= 6) commands in one round trip; frees the builders. An error reply
 * throws (and frees every reply); on SUCCESS the caller frees them with
 * wx_op_free_replies. */
zend_result wx_op_redis(wx_cache_obj_t *c, wx_argv_t *cmds, size_t n, redisReply **replies);
/* wx_op_redis for a write that cannot be fetched again (a refresh
 * token, cmds[durable]): with config min_replicas > 0 a WAIT follows it in
 * the same pipeline; too few acknowledgements: the master is found again
 * and the pipeline sent once more; still too few: CacheException
 * ERROR_REPLICAS naming `what`. replies: n, as wx_op_redis. */
zend_result wx_op_redis_durable(wx_op_t *op, wx_cache_obj_t *c, wx_argv_t *cmds, size_t n, size_t durable,
                                redisReply **replies, const char *what);
/* One command (builder freed): its reply, or NULL with an exception. */
redisReply *wx_op_redis1(wx_cache_obj_t *c, wx_argv_t *cmd);
void        wx_op_free_replies(redisReply **replies, size_t n);

/* The canonical bytes of a value / a string (NULL with an exception). */
zend_string *wx_op_encode(zval *v, zend_string *key);
zend_string *wx_op_encode_str(zend_string *s, zend_string *key);
/* A GET reply decoded: UNDEF when the key is missing; FAILURE when the
 * bytes are not the cache's format. Unlike wx_store_decode it counts no
 * hit or miss: the platform's reads are not the cache's stats(). */
zend_result wx_op_decode(wx_cache_obj_t *c, zend_string *key, redisReply *r, zval *out);
/* A decoded value as a string (NULL when UNDEF); consumes v. */
zend_result wx_op_as_string(zend_string *key, zval *v, zend_string **out);
/* GET + decode: a value (UNDEF when missing), a string (NULL when missing). */
zend_result wx_op_get(wx_cache_obj_t *c, zend_string *key, zval *out);
zend_result wx_op_get_string(wx_cache_obj_t *c, zend_string *key, zend_string **out);
/* SET key to the canonical bytes of value, with EX ttl when ttl > 0. */
zend_result wx_op_set_string(wx_cache_obj_t *c, zend_string *key, zend_string *value, zend_long ttl);
/* EVAL script on one key; *result is the integer it returned (0 when not
 * an integer). a2, a3 optional. */
zend_result wx_op_eval(wx_cache_obj_t *c, const char *script, zend_string *key, zend_string *a1,
                       zend_string *a2, const char *a3, zend_long *result);
/* Delete key if it still holds value; *deleted says whether it did. */
zend_result wx_op_compare_and_delete(wx_cache_obj_t *c, zend_string *key, zend_string *value, bool *deleted);

/* Move the pending exception out of the way (so Redis and the serializer
 * can run) and put it back: what ran in between is dropped. The one place
 * that touches EG(exception) by hand. */
zend_object *wx_op_stash(void);
void         wx_op_unstash(zend_object *ex);

/* -------------------------------------------------------------- keys.c */

/* Key id's full Redis key for this platform: the cache's prefix (for
 * keys under it) and the name from wx_keys. authorizer and refresh_token
 * are needed by the keys whose patterns have them. */
zend_string *wx_op_key(wx_op_t *op, wx_cache_obj_t *c, wx_key_id_t id, zend_string *authorizer,
                       zend_string *refresh_token);
/* An app id we put into keys (wx_keys_check_appid); `what` names it in
 * the InvalidArgumentException (ERROR_CONFIG). */
zend_result wx_op_check_appid(const char *s, size_t len, const char *what);

/* --------------------------------------------------------------- api.c */

/* An errcode WeChat answered with. */
typedef struct {
    zend_long    errcode;     /* 0: none */
    zend_string *errmsg;
} wx_op_api_error_t;

/* A request body, with the component_appid every API takes. */
void wx_op_api_body(wx_op_t *op, zval *body);

/*
 * POST body (an array, as JSON) to api, with token in the query when the
 * API takes one. SUCCESS: either *answer is the answer (an array) and
 * err->errcode is 0, or WeChat answered an errcode: err is set, *answer is
 * UNDEF and nothing is thrown, so the caller decides (retry, ask for a
 * push, throw with wx_op_api_throw). FAILURE: HttpException (no usable
 * answer).
 */
zend_result wx_op_api_call(wx_op_t *op, wx_wechat_api_t api, zend_string *token, zval *body, zval *answer,
                           wx_op_api_error_t *err);
/* ApiException for err, with its hint and an optional note; frees err. */
ZEND_COLD void wx_op_api_throw(wx_wechat_api_t api, wx_op_api_error_t *err, const char *note);
/* Throw an ApiException (errmsg, api optional). */
void wx_op_api_exception(const char *message, zend_long errcode, zend_string *errmsg, zend_string *api);
/* wx_op_api_call that throws any errcode. */
zend_result wx_op_api(wx_op_t *op, wx_wechat_api_t api, zend_string *token, zval *body, zval *answer);
/* A non-empty string field of an answer, or NULL with HttpException. */
zend_string *wx_op_field_str(zval *answer, const char *name, wx_wechat_api_t api);
/* The TTL to store a token with: the answer's expires_in minus cut. */
zend_long    wx_op_field_ttl(zval *answer, zend_long cut);

/* ------------------------------------------------------------ flight.c */

typedef struct wx_op_flight wx_op_flight_t;

/* A kind of token kept by single flight: how to find and refresh it. */
typedef struct {
    const char  *what;            /* for messages */
    wx_key_id_t  lock;            /* its refresh lock */
    /* the token's current key (may read Redis); NULL with an exception */
    zend_string *(*token_key)(wx_op_t *op, wx_cache_obj_t *c, wx_op_flight_t *f);
    /* fetch a new token from WeChat and store it; NULL with an exception */
    zend_string *(*refresh)(wx_op_t *op, wx_cache_obj_t *c, wx_op_flight_t *f);
    /* optional, before trying the lock: get what the refresh needs that
     * may itself wait (the component token), so the lock is only held for
     * the refresh's own WeChat call */
    zend_result (*prepare)(wx_op_t *op, wx_cache_obj_t *c, wx_op_flight_t *f);
} wx_op_flight_kind_t;

/* One single flight under way. */
struct wx_op_flight {
    const wx_op_flight_kind_t *kind;
    zend_string *lock_key;
    zend_string *authorizer;      /* authorizer tokens: its app id ... */
    zend_string *refresh_token;   /* ... and the refresh token token_key read */
};

/* A fresh token of this kind: the cached one, or one refreshed by exactly
 * one process across all servers. */
zend_string *wx_op_single_flight(wx_op_t *op, wx_cache_obj_t *c, const wx_op_flight_kind_t *kind,
                                 zend_string *authorizer);

/* ----------------------------------------------------------- tickets.c */

zend_result wx_op_get_ticket(wx_op_t *op, wx_cache_obj_t *c, zend_string **ticket);
/* Store a ticket for px milliseconds (<= 0: not at all) unless the stored
 * one lives longer, i.e. is newer; *stored says whether it was. created:
 * the push's CreateTime (0: none), source: "push" or the method, for the
 * record of who stored it (health()) and the log. */
zend_result wx_op_store_ticket(wx_op_t *op, wx_cache_obj_t *c, zend_string *ticket, zend_long px,
                               zend_long created, const char *source, bool *stored);
/* Ask WeChat for a ticket push (rate-limited across servers) and say what
 * happened in buf. Never throws; keeps a pending exception. */
void        wx_op_request_push(wx_op_t *op, wx_cache_obj_t *c, char *buf, size_t buflen);
/* TicketException for a missing ticket (under key), after asking for a push. */
ZEND_COLD void wx_op_throw_no_ticket(wx_op_t *op, wx_cache_obj_t *c, zend_string *key);

/* ------------------------------------------------------------ tokens.c */

zend_string *wx_op_component_token(wx_op_t *op, wx_cache_obj_t *c);
/* Call api with the component token, replacing a token WeChat rejects
 * once. */
zend_result  wx_op_api_component(wx_op_t *op, wx_cache_obj_t *c, wx_wechat_api_t api, zval *body, zval *answer);
zend_string *wx_op_authorizer_token(wx_op_t *op, wx_cache_obj_t *c, zend_string *authorizer);
zend_result  wx_op_get_refresh_token(wx_op_t *op, wx_cache_obj_t *c, zend_string *authorizer, zend_string **out);
zend_result  wx_op_set_refresh_token(wx_op_t *op, wx_cache_obj_t *c, zend_string *authorizer, zend_string *refresh);
/* Store an authorizer's refresh and access tokens in one round trip; the
 * refresh token only if it still is `expected` (NULL: unconditionally). */
zend_result  wx_op_store_authorizer(wx_op_t *op, wx_cache_obj_t *c, zend_string *authorizer,
                                    zend_string *expected, zend_string *refresh,
                                    zend_string *token, zend_long ttl);
/* Drop the cached token if it still is `token`. */
zend_result  wx_op_invalidate_component(wx_op_t *op, wx_cache_obj_t *c, zend_string *token, bool *dropped);
zend_result  wx_op_invalidate_authorizer(wx_op_t *op, wx_cache_obj_t *c, zend_string *authorizer,
                                         zend_string *token, bool *dropped);

/* --------------------------------------------------------- authorize.c */

zend_string *wx_op_pre_auth_code(wx_op_t *op, wx_cache_obj_t *c);
/* The authorization page URL with a new pre_auth_code. */
zend_string *wx_op_pre_auth_url(wx_op_t *op, wx_cache_obj_t *c, zend_string *redirect,
                                const zend_long *auth_type, zend_string *biz_appid);
/* api_query_auth: stores the tokens; *info is authorization_info. */
zend_result  wx_op_query_auth(wx_op_t *op, wx_cache_obj_t *c, zend_string *code, zval *info);
/* unauthorized: forget the refresh token and the access token it keys. */
zend_result  wx_op_forget_authorizer(wx_op_t *op, wx_cache_obj_t *c, zend_string *authorizer);

/* ---------------------------------------------------------- registry.c */

/* The registry's commands, to put into a pipeline (cmd initialised by the
 * caller; the key is owned by the builder). score: the access token's
 * expiry in unix seconds, 0 when unknown. nx: do not change a known score. */
void wx_op_registry_cmd_add(wx_op_t *op, wx_cache_obj_t *c, wx_argv_t *cmd, zend_string *authorizer,
                            zend_long score, bool nx);
void wx_op_registry_cmd_rem(wx_op_t *op, wx_cache_obj_t *c, wx_argv_t *cmd, zend_string *authorizer);
/* SADD/SREM on the refresh_missing set. */
void wx_op_missing_cmd(wx_op_t *op, wx_cache_obj_t *c, wx_argv_t *cmd, zend_string *authorizer, bool add);
/* The score for a token stored now with ttl seconds. */
zend_long wx_op_registry_score(zend_long ttl);
/* Mark an authorizer's refresh token missing (SADD, ZADD NX 0). Best
 * effort: never throws, keeps a pending exception. */
void wx_op_registry_mark_missing(wx_op_t *op, wx_cache_obj_t *c, zend_string *authorizer);

/* ----------------------------------------------------------- recover.c */

/* The refresh token of an authorizer that has none stored, asked of WeChat
 * (api_get_authorizer_info) by one process across all servers and stored
 * unless one was stored meanwhile; NULL with an exception. */
zend_string *wx_op_recover_missing(wx_op_t *op, wx_cache_obj_t *c, zend_string *authorizer);
/* After api_authorizer_token answered 61023 for `used` (under the
 * authorizer's lock): WeChat's current refresh token when it differs from
 * `used` (NULL and no exception when it does not or cannot be had: the
 * caller throws the 61023). */
zend_string *wx_op_recover_rejected(wx_op_t *op, wx_cache_obj_t *c, zend_string *authorizer, zend_string *used);
/* recoverRefreshTokens(): fills result (an array). */
zend_result  wx_op_recover_all(wx_op_t *op, wx_cache_obj_t *c, zval *result);
/* Compare-and-set of a refresh token: written when the key still holds
 * `expected` (NULL: when it is still missing); *written says so. */
zend_result  wx_op_refresh_cas(wx_op_t *op, wx_cache_obj_t *c, zend_string *authorizer, zend_string *expected,
                               zend_string *refresh, bool *written);

/* ------------------------------------------------------------ keeper.c */

/* refreshDue($limit): fills result. */
zend_result wx_op_refresh_due(wx_op_t *op, wx_cache_obj_t *c, zend_long limit, zval *result);
/* Wait for the next fleet-wide keeper_rate slot (a WeChat call may go
 * then). FAILURE: Redis failed (exception) or the wait was interrupted by
 * a signal (no exception; *interrupted set). */
zend_result wx_op_pace(wx_op_t *op, wx_cache_obj_t *c, bool *interrupted);

/* ------------------------------------------------------------- quota.c */

zend_result wx_op_clear_quota(wx_op_t *op, wx_cache_obj_t *c, zval *result);

/* ---------------------------------------------------------- callback.c */

/* The push decrypter, made on first use; FAILURE with an exception. */
zend_result wx_op_crypt(wx_op_t *op);

/* Verify, decrypt and act on a push, then call the handler (if
 * initialized) with the message as an array. */
zend_result wx_op_handle_callback(wx_op_t *op, wx_cache_obj_t *c, HashTable *query, zend_string *body,
                                  zend_fcall_info *fci, zend_fcall_info_cache *fcc);

/* ------------------------------------------------------------ config.c */

/* Check config and fill op (whose constructor has not run). */
zend_result wx_op_configure(wx_op_t *op, HashTable *config, zval *cache);

#endif
