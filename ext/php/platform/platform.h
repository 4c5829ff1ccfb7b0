/*
 * WxRedis\OpenPlatform's private header: the object, the constants, and
 * what the files of ext/php/platform/ use of each other.
 *
 * Keys (under the cache's prefix; EasyWeChat 6's first):
 *
 *   open_platform.verify_ticket.{component}                      the ticket
 *   open_platform.component_access_token.{component}             TTL expires_in - 100
 *   open-platform.authorizer_access_token.{authorizer}.{md5(R)}  TTL expires_in - 500
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
 */
#ifndef WX_PHP_PLATFORM_H
#define WX_PHP_PLATFORM_H

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

#include "php_wxredis.h"
#include "php/message_crypt.h"
#include "core/wx_crypt.h"
#include "core/wx_xml.h"
#include "php/http.h"

#define WX_OP_ERR_NO_REFRESH_TOKEN 40

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

extern const char wx_op_lua_cad[];
extern const char wx_op_lua_del_error[];
extern const char wx_op_lua_cas[];

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

extern zend_class_entry *wx_ce_OpenPlatform;

typedef struct {
    const char *argv[8];
    size_t      lens[8];
    int         argc;
} wx_op_cmd_t;

void wx_op_arg(wx_op_cmd_t *cmd, const char *s, size_t len);
#define WX_OP_ARGZ(cmd, zs) wx_op_arg((cmd), ZSTR_VAL(zs), ZSTR_LEN(zs))
#define WX_OP_ARGS(cmd, s)  wx_op_arg((cmd), (s), strlen(s))

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


/* store.c */
zend_object *wx_op_stash(void);
void wx_op_unstash(zend_object *ex);
zend_result wx_op_check_appid(const char *s, size_t len, const char *what);
zend_string *wx_op_key(wx_cache_obj_t *c, const char *fmt, ...) ZEND_ATTRIBUTE_FORMAT(printf, 2, 3);
zend_string *wx_op_token_key_component(wx_op_t *op, wx_cache_obj_t *c);
zend_string *wx_op_token_key_authorizer(wx_cache_obj_t *c, zend_string *authorizer, zend_string *refresh);
zend_string *wx_op_refresh_key(wx_op_t *op, zend_string *authorizer);
zend_string *wx_op_encode_str(zend_string *s, zend_string *key);
void wx_op_free_replies(redisReply **replies, size_t n);
zend_result wx_op_redis(wx_cache_obj_t *c, wx_op_cmd_t *cmds, size_t n, redisReply **replies);
redisReply *wx_op_redis1(wx_cache_obj_t *c, wx_op_cmd_t *cmd);
zend_result wx_op_decode(wx_cache_obj_t *c, zend_string *key, redisReply *r, zval *out);
zend_result wx_op_as_string(zend_string *key, zval *v, zend_string **out);
zend_result wx_op_get_string(wx_cache_obj_t *c, zend_string *key, zend_string **out);
zend_result wx_op_set_string(wx_cache_obj_t *c, zend_string *key, zend_string *value, zend_long ttl);
void wx_op_get_when(wx_cache_obj_t *c, zend_string *key, char *out, size_t outlen, const char *fallback);
zend_long wx_op_eval(wx_cache_obj_t *c, const char *script, zend_string *key,
                            zend_string *a1, zend_string *a2, const char *a3);
zend_long wx_op_compare_and_delete(wx_cache_obj_t *c, zend_string *key, zend_string *value);

/* api.c */
zend_result wx_op_call(wx_op_t *op, wx_cache_obj_t *c, const char *path, zend_string *token,
                              zval *body, zval *answer);
zend_string *wx_op_field_str(zval *answer, const char *name, const char *path);
zend_long wx_op_field_ttl(zval *answer, zend_long cut);

/* tickets.c */
zend_string *wx_op_ticket_key(wx_op_t *op, wx_cache_obj_t *c);
zend_string *wx_op_component_lock_key(wx_op_t *op, wx_cache_obj_t *c);
zend_result wx_op_store_ticket(wx_op_t *op, wx_cache_obj_t *c, zend_string *ticket, zend_long age);
void wx_op_request_push(wx_op_t *op, wx_cache_obj_t *c, char *buf, size_t buflen);
ZEND_COLD void wx_op_throw_no_ticket(wx_op_t *op, wx_cache_obj_t *c, zend_string *key);

/* flight.c */
zend_string *wx_op_single_flight(wx_op_t *op, wx_cache_obj_t *c, wx_op_flight_t *f);

/* tokens.c */
zend_string *wx_op_component_token(wx_op_t *op, wx_cache_obj_t *c);
zend_result wx_op_get_refresh_token(wx_op_t *op, wx_cache_obj_t *c, zend_string *authorizer, zend_string **out);
zend_string *wx_op_authorizer_token(wx_op_t *op, wx_cache_obj_t *c, zend_string *authorizer);
zend_result wx_op_query_auth(wx_op_t *op, wx_cache_obj_t *c, zend_string *code, zval *info);
zend_result wx_op_forget_authorizer(wx_op_t *op, wx_cache_obj_t *c, zend_string *authorizer);
zend_string *wx_op_pre_auth_code(wx_op_t *op, wx_cache_obj_t *c);

/* callback.c */
zend_string *wx_op_decrypt_push(wx_op_t *op, HashTable *query, zend_string *body);
zend_result wx_op_dispatch(wx_op_t *op, wx_cache_obj_t *c, const wx_xml_node_t *msg);

#endif
