/*
 * The PSR-3 logger hook shared by WxRedis\Cache and WxRedis\OpenPlatform
 * (see log.h): checking what setLogger() is given, and calling its log()
 * so that nothing the logger does reaches the operation.
 */
#ifdef HAVE_CONFIG_H
# include "config.h"
#endif

#include "php.h"
#include "zend_exceptions.h"

#include <unistd.h>

#include "log.h"

static bool wx_logger_has_log(zend_object *obj)
{
    zend_function *fn = zend_hash_str_find_ptr(&obj->ce->function_table, "log", 3);
    if (fn) {
        return (fn->common.fn_flags & ZEND_ACC_PUBLIC) && !(fn->common.fn_flags & ZEND_ACC_STATIC);
    }
    return obj->ce->__call != NULL;
}

zend_result wx_logger_set(wx_logger_t **slot, zval *logger)
{
    wx_logger_t *lg;

    if (!logger || Z_TYPE_P(logger) == IS_NULL) {
        wx_logger_free(slot);
        return SUCCESS;
    }
    if (Z_TYPE_P(logger) != IS_OBJECT || !wx_logger_has_log(Z_OBJ_P(logger))) {
        zend_argument_type_error(1, "must be a logger: an object with a public log($level, $message, $context) "
                                 "method (Psr\\Log\\LoggerInterface) or null, %s given", zend_zval_type_name(logger));
        return FAILURE;
    }
    lg = *slot;
    if (!lg) {
        lg = ecalloc(1, sizeof(*lg));
        ZVAL_UNDEF(&lg->obj);
        *slot = lg;
    }
    /* the connection state stays: it is the cache's, not the logger's */
    zval_ptr_dtor(&lg->obj);
    ZVAL_COPY(&lg->obj, logger);
    return SUCCESS;
}

void wx_logger_free(wx_logger_t **slot)
{
    wx_logger_t *lg = *slot;
    if (!lg) {
        return;
    }
    *slot = NULL;
    if (lg->busy) {
        /* removed from inside its own log(): wx_log frees it on the way out */
        lg->busy |= 0x80000000u;
        return;
    }
    zval_ptr_dtor(&lg->obj);
    efree(lg);
}

const char *wx_log_hostname(void)
{
    static char host[256];
    static bool known;

    if (!known) {
        if (gethostname(host, sizeof(host) - 1) != 0 || !host[0]) {
            strcpy(host, "unknown");
        }
        host[sizeof(host) - 1] = '\0';
        known = true;
    }
    return host;
}

void wx_log_add_fp(zval *ctx, const char *key, const char *s, size_t len)
{
    char fp[WX_FINGERPRINT_SIZE];
    add_assoc_stringl(ctx, key, wx_fingerprint(s, len, fp), WX_FINGERPRINT_HEX);
}

zend_string *wx_log_exception_message(zend_object *ex)
{
    zval rv, *m;
    if (!ex) {
        return ZSTR_EMPTY_ALLOC();
    }
    m = zend_read_property_ex(ex->ce, ex, ZSTR_KNOWN(ZEND_STR_MESSAGE), 1, &rv);
    return Z_TYPE_P(m) == IS_STRING ? Z_STR_P(m) : ZSTR_EMPTY_ALLOC();
}

void wx_log(wx_logger_t *lg, wx_event_t ev, zval *ctx)
{
    const wx_event_def_t *def = wx_events_def(ev);
    zend_object *pending;
    zend_string *method;
    zval params[3], retval, logger;

    if (!lg || lg->busy || !def) {
        if (ctx) zval_ptr_dtor(ctx);
        return;
    }
    /* "event" first, so a logger printing the context shows it first */
    array_init(&params[2]);
    add_assoc_string(&params[2], "event", (char *) def->name);
    if (ctx && Z_TYPE_P(ctx) == IS_ARRAY) {
        zend_hash_merge(Z_ARRVAL(params[2]), Z_ARRVAL_P(ctx), zval_add_ref, 1);
    }
    if (ctx) {
        zval_ptr_dtor(ctx);
    }
    add_assoc_string(&params[2], "server", (char *) wx_log_hostname());
    add_assoc_long(&params[2], "pid", (zend_long) getpid());
    ZVAL_STRING(&params[0], def->level);
    ZVAL_STRING(&params[1], def->message);

    /* the operation's own exception waits outside; whatever the logger
     * throws is dropped: logging never changes what the operation does */
    pending = EG(exception);
    EG(exception) = NULL;
    ZVAL_COPY(&logger, &lg->obj);   /* the logger may replace itself meanwhile */
    lg->busy++;
    method = zend_string_init("log", 3, 0);
    ZVAL_UNDEF(&retval);
    zend_call_method_if_exists(Z_OBJ(logger), method, &retval, 3, params);
    zend_string_release(method);
    zval_ptr_dtor(&retval);
    if (EG(exception)) {
        zend_clear_exception();
    }
    EG(exception) = pending;
    if (--lg->busy == 0x80000000u) {
        /* wx_logger_free was called from inside log() */
        zval_ptr_dtor(&lg->obj);
        efree(lg);
    }
    zval_ptr_dtor(&logger);
    zval_ptr_dtor(&params[0]);
    zval_ptr_dtor(&params[1]);
    zval_ptr_dtor(&params[2]);
}
