/*
 * WxRedis\OpenPlatform's events (core/wx_events.h) to its logger
 * (setLogger(); without one, its cache's logger), the fleet fingerprint it
 * records once an hour, the WeChat call counters and health().
 *
 *   if (wx_op_log_on(op, c)) {
 *       zval ctx;
 *       array_init(&ctx);
 *       add_assoc_str(&ctx, "authorizer_app_id", zend_string_copy(appid));
 *       wx_log_add_fp(&ctx, "refresh_token", ZSTR_VAL(rt), ZSTR_LEN(rt));
 *       add_assoc_string(&ctx, "source", "api_get_authorizer_info");
 *       wx_op_log(op, c, WX_EV_REFRESH_TOKEN_RECOVERED, &ctx);
 *   }
 *
 * wx_op_log adds event, app_id, server and pid; it never throws and keeps
 * a pending exception. Never put a token, ticket or secret in a context:
 * wx_log_add_fp() puts its fingerprint.
 */
#ifndef WX_PHP_PLATFORM_LOG_H
#define WX_PHP_PLATFORM_LOG_H

#include "platform.h"
#include "php/log.h"

/* The logger events of op go to: op's own, else its cache's; NULL when none. */
static zend_always_inline wx_logger_t *wx_op_logger(wx_op_t *op, wx_cache_obj_t *c)
{
    return op->logger ? op->logger : c->logger;
}

static zend_always_inline bool wx_op_log_on(wx_op_t *op, wx_cache_obj_t *c)
{
    return wx_logger_on(wx_op_logger(op, c));
}

/* ev with ctx (an array, consumed; NULL: empty) plus app_id. */
void wx_op_log(wx_op_t *op, wx_cache_obj_t *c, wx_event_t ev, zval *ctx);

/* Record this server's fingerprint in the fleet hash, at most once an hour
 * per process (a process-global time check first: no syscall, no Redis on
 * the other calls). Never throws; keeps a pending exception. */
void wx_op_fleet_touch(wx_op_t *op, wx_cache_obj_t *c);

/* Count one WeChat call of api in the current 10-minute bucket
 * (WX_KEY_CALLS): errcode 0 for success, WeChat's errcode, or
 * WX_OP_CALL_NO_ANSWER (counted as "http": no usable answer). One HINCRBY
 * + EXPIRE round trip. Never throws; keeps a pending exception. */
#define WX_OP_CALL_NO_ANSWER ZEND_LONG_MIN
/* The Redis key of the calls of a bucket (unix time / WX_KEYS_BUCKET_SECONDS). */
zend_string *wx_op_calls_key(wx_op_t *op, wx_cache_obj_t *c, zend_long bucket);
void wx_op_count_call(wx_op_t *op, wx_cache_obj_t *c, wx_wechat_api_t api, zend_long errcode);
/* Keep the error pending in ex as the fleet's last refresh error
 * (WX_KEY_LAST_ERROR), for health(). Never throws. */
void wx_op_record_refresh_error(wx_op_t *op, wx_cache_obj_t *c, const char *token, zend_string *authorizer,
                                zend_object *ex);

/* health(): the fleet's state from Redis into out (an array). */
zend_result wx_op_health(wx_op_t *op, wx_cache_obj_t *c, zval *out);

#endif
