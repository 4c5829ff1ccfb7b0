/*
 * WxRedis\Cache's logger (php/log.h): setLogger(), and the cache's own
 * events: a value that is not wxredis format, the connection lost (the
 * first failed call) and restored (the first call that works after it),
 * per cache object. Called from the command path (store.c) only when a
 * logger is set.
 */
#ifdef HAVE_CONFIG_H
# include "config.h"
#endif

#include "php.h"
#include "zend_exceptions.h"

#include "php/log.h"
#include "php/http.h"
#include "internal.h"

ZEND_METHOD(WxRedis_CacheBase, setLogger)
{
    zval *logger;
    wx_cache_obj_t *c = wx_cache_from_obj(Z_OBJ_P(ZEND_THIS));

    ZEND_PARSE_PARAMETERS_START(1, 1)
        Z_PARAM_OBJECT_OR_NULL(logger)
    ZEND_PARSE_PARAMETERS_END();
    if (wx_logger_set(&c->logger, logger) == FAILURE) {
        RETURN_THROWS();
    }
}

/* code and message of the pending CacheException into ctx */
static void wx_cache_log_error(zval *ctx)
{
    zend_object *ex = EG(exception);
    zval rv, *code;

    if (!ex) {
        return;
    }
    code = zend_read_property_ex(ex->ce, ex, ZSTR_KNOWN(ZEND_STR_CODE), 1, &rv);
    add_assoc_long(ctx, "code", zval_get_long(code));
    add_assoc_str(ctx, "reason", zend_string_copy(wx_log_exception_message(ex)));
}

void wx_cache_log_lost(wx_cache_obj_t *c)
{
    wx_logger_t *lg = c->logger;
    zval ctx;

    lg->failures++;
    if (lg->lost_at != 0) {
        return;   /* already reported; restored says how many failed since */
    }
    lg->lost_at = wx_http_now();
    if (!wx_logger_on(lg)) {
        return;
    }
    array_init(&ctx);
    wx_cache_log_error(&ctx);
    wx_log(lg, WX_EV_CONNECTION_LOST, &ctx);
}

void wx_cache_log_restored(wx_cache_obj_t *c)
{
    wx_logger_t *lg = c->logger;
    double down = wx_http_now() - lg->lost_at;
    zval ctx;

    array_init(&ctx);
    add_assoc_double(&ctx, "down_seconds", (double) ((zend_long) (down * 1000)) / 1000);
    add_assoc_long(&ctx, "failures", lg->failures);
    lg->lost_at = 0;
    lg->failures = 0;
    wx_log(lg, WX_EV_CONNECTION_RESTORED, &ctx);
}

void wx_cache_log_format(wx_cache_obj_t *c, zend_string *rk)
{
    zval ctx;

    if (!wx_logger_on(c->logger)) {
        return;
    }
    array_init(&ctx);
    add_assoc_str(&ctx, "key", zend_string_copy(rk));
    wx_cache_log_error(&ctx);
    wx_log(c->logger, WX_EV_FORMAT_ERROR, &ctx);
}
