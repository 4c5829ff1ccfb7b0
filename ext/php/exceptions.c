/*
 * Exception classes compiled into the extension, and the one set of throw
 * helpers (exceptions.h). The cache's two PSR exceptions are declared
 * lazily by the bridge (bridge.c).
 */
#ifdef HAVE_CONFIG_H
# include "config.h"
#endif

#include "php.h"
#include "zend_exceptions.h"
#include "ext/spl/spl_exceptions.h"

#include "exceptions.h"
#include "bridge.h"
#include "exceptions_arginfo.h"

zend_class_entry *wx_ce_Exception;
zend_class_entry *wx_ce_CryptException;
zend_class_entry *wx_ce_TicketException;
zend_class_entry *wx_ce_ApiException;
zend_class_entry *wx_ce_HttpException;

static ZEND_COLD void wx_throw_va(zend_class_entry *ce, zend_long code, const char *fmt, va_list ap)
{
    zend_string *msg = zend_vstrpprintf(0, fmt, ap);
    /* a pending exception becomes the new one's previous */
    zend_throw_exception(ce, ZSTR_VAL(msg), code);
    zend_string_release(msg);
}

ZEND_COLD void wx_throw(zend_class_entry *ce, zend_long code, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    wx_throw_va(ce, code, fmt, ap);
    va_end(ap);
}

static ZEND_COLD void wx_throw_bridge_va(wx_bridge_class_t which, zend_long code, const char *fmt, va_list ap)
{
    zend_class_entry *ce = wx_bridge_class(which);
    if (ce) {
        wx_throw_va(ce, code, fmt, ap);
    }
}

ZEND_COLD void wx_throw_cache(zend_long code, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    wx_throw_bridge_va(WX_BRIDGE_CACHE_EXCEPTION, code, fmt, ap);
    va_end(ap);
}

ZEND_COLD void wx_throw_invalid(zend_long code, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    wx_throw_bridge_va(WX_BRIDGE_INVALID_ARGUMENT, code, fmt, ap);
    va_end(ap);
}

static void wx_api_exception_prop(INTERNAL_FUNCTION_PARAMETERS, const char *name, size_t len)
{
    zval rv, *v;
    ZEND_PARSE_PARAMETERS_NONE();
    v = zend_read_property(wx_ce_ApiException, Z_OBJ_P(ZEND_THIS), name, len, 1, &rv);
    RETURN_COPY_DEREF(v);
}

ZEND_METHOD(WxRedis_ApiException, getErrcode)
{
    wx_api_exception_prop(INTERNAL_FUNCTION_PARAM_PASSTHRU, ZEND_STRL("errcode"));
}

ZEND_METHOD(WxRedis_ApiException, getErrmsg)
{
    wx_api_exception_prop(INTERNAL_FUNCTION_PARAM_PASSTHRU, ZEND_STRL("errmsg"));
}

ZEND_METHOD(WxRedis_ApiException, getApi)
{
    wx_api_exception_prop(INTERNAL_FUNCTION_PARAM_PASSTHRU, ZEND_STRL("api"));
}

zend_string *wx_exception_take_message(void)
{
    zval rv;
    zend_string *m = zval_get_string(zend_read_property_ex(EG(exception)->ce, EG(exception),
                                                           ZSTR_KNOWN(ZEND_STR_MESSAGE), 1, &rv));
    zend_clear_exception();
    return m;
}

void wx_exceptions_register(void)
{
    wx_ce_Exception = register_class_WxRedis_Exception(zend_ce_throwable);
    wx_ce_CryptException = register_class_WxRedis_CryptException(spl_ce_RuntimeException, wx_ce_Exception);
    wx_ce_TicketException = register_class_WxRedis_TicketException(spl_ce_RuntimeException, wx_ce_Exception);
    wx_ce_ApiException = register_class_WxRedis_ApiException(spl_ce_RuntimeException, wx_ce_Exception);
    wx_ce_HttpException = register_class_WxRedis_HttpException(spl_ce_RuntimeException, wx_ce_Exception);
}
