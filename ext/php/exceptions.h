/*
 * The one convention for failure in the Zend glue, and the throw helpers.
 *
 * A glue function that can fail returns zend_result (FAILURE) or a pointer
 * (NULL); either way an exception is then pending and the caller only
 * returns. Nothing else (bool, -1, enum values) means "failed".
 *
 * Throwing while an exception is already pending keeps both: the new one
 * is thrown with the pending one as its previous exception, which is what
 * the engine does for zend_throw_exception.
 */
#ifndef WX_EXCEPTIONS_H
#define WX_EXCEPTIONS_H

#include "php.h"

/* Classes compiled into the extension (registered in MINIT). */
extern zend_class_entry *wx_ce_Exception;       /* interface WxRedis\Exception */
extern zend_class_entry *wx_ce_CryptException;
extern zend_class_entry *wx_ce_TicketException;   /* WxRedis\OpenPlatform's */
extern zend_class_entry *wx_ce_ApiException;
extern zend_class_entry *wx_ce_HttpException;

void wx_exceptions_register(void);

/* Throw ce with a printf-style message and code. */
ZEND_COLD void wx_throw(zend_class_entry *ce, zend_long code, const char *fmt, ...)
    ZEND_ATTRIBUTE_FORMAT(printf, 3, 4);

/* WxRedis\CacheException and WxRedis\InvalidArgumentException, declared by
 * the PSR bridge on first use (bridge.h). When declaring the class itself
 * throws (a failing autoloader), that exception is what stays pending. */
ZEND_COLD void wx_throw_cache(zend_long code, const char *fmt, ...)
    ZEND_ATTRIBUTE_FORMAT(printf, 2, 3);
ZEND_COLD void wx_throw_invalid(zend_long code, const char *fmt, ...)
    ZEND_ATTRIBUTE_FORMAT(printf, 2, 3);

/* The pending exception's message (a new reference); the exception is
 * cleared: for callers that report a failure instead of throwing it. */
zend_string *wx_exception_take_message(void);

#endif
