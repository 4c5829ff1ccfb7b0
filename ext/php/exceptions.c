/*
 * Exception classes compiled into the extension. The cache's two PSR
 * exceptions are declared lazily by the bridge in ext/wxredis.c.
 */
#ifdef HAVE_CONFIG_H
# include "config.h"
#endif

#include "php.h"
#include "zend_exceptions.h"
#include "ext/spl/spl_exceptions.h"

#include "../php_wxredis.h"
#include "exceptions_arginfo.h"

zend_class_entry *wx_ce_Exception;
zend_class_entry *wx_ce_CryptException;

void wx_exceptions_register(void)
{
    wx_ce_Exception = register_class_WxRedis_Exception(zend_ce_throwable);
    wx_ce_CryptException = register_class_WxRedis_CryptException(spl_ce_RuntimeException, wx_ce_Exception);
}
