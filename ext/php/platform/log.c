/*
 * WxRedis\OpenPlatform's events to its logger (platform/log.h): the
 * platform's own logger, else its cache's.
 */
#include "log.h"

void wx_op_log(wx_op_t *op, wx_cache_obj_t *c, wx_event_t ev, zval *ctx)
{
    wx_logger_t *lg = wx_op_logger(op, c);
    zval own;

    if (!wx_logger_on(lg)) {
        if (ctx) zval_ptr_dtor(ctx);
        return;
    }
    if (!ctx) {
        array_init(&own);
        ctx = &own;
    }
    add_assoc_str(ctx, "app_id", zend_string_copy(op->app_id));
    wx_log(lg, ev, ctx);
}
