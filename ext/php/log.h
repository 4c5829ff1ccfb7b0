/*
 * The PSR-3 logger of a WxRedis\Cache or WxRedis\OpenPlatform (setLogger()):
 * any object with a log($level, $message, $context) method, normally a
 * Psr\Log\LoggerInterface. Events come from core/wx_events.h (name, level,
 * message with {placeholders}); the caller gives the context.
 *
 * Logging never changes an operation's outcome: an exception the logger
 * throws is caught and dropped, a pending exception (the operation's own
 * error, e.g. a failed refresh) is kept across the call, and a logger that
 * logs through the same object again (re-entrance) is not called twice.
 */
#ifndef WX_PHP_LOG_H
#define WX_PHP_LOG_H

#include "php.h"
#include "core/wx_events.h"

typedef struct wx_logger {
    zval      obj;        /* the logger */
    uint32_t  busy;       /* inside its log(): events it causes are dropped */
    /* the cache's connection state, for connection_lost / _restored */
    double    lost_at;    /* 0: not lost */
    zend_long failures;   /* failed calls since lost_at */
} wx_logger_t;

/* setLogger(): *slot takes logger (an object with a callable log()), or
 * NULL/null to remove it. FAILURE: TypeError (not an object with log()). */
zend_result wx_logger_set(wx_logger_t **slot, zval *logger);
void        wx_logger_free(wx_logger_t **slot);
/* For get_gc handlers: the logger zval to report, or NULL. */
static zend_always_inline zval *wx_logger_zval(wx_logger_t *lg)
{
    return lg ? &lg->obj : NULL;
}

/* Whether an event would reach a logger now (build no context otherwise). */
static zend_always_inline bool wx_logger_on(const wx_logger_t *lg)
{
    return lg && !lg->busy;
}

/* Send event ev with context ctx (an array, consumed; UNDEF or NULL: an
 * empty one) to lg. Adds "event", "server" (hostname) and "pid". Never
 * throws; keeps a pending exception. */
void wx_log(wx_logger_t *lg, wx_event_t ev, zval *ctx);

/* Context helpers. */
/* key => fingerprint of s (core/wx_events.h), never s itself */
void wx_log_add_fp(zval *ctx, const char *key, const char *s, size_t len);
/* The message of a pending exception (or "" when none), borrowed. */
zend_string *wx_log_exception_message(zend_object *ex);

/* This server's hostname (gethostname once, from MINIT). */
const char *wx_log_hostname(void);

#endif
