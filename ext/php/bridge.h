/*
 * The lazy PSR bridge: WxRedis\Cache, WxRedis\CacheException,
 * WxRedis\InvalidArgumentException and WxRedis\OpenPlatform are declared the
 * first time anything asks for them, implementing whichever psr/simple-cache
 * and psr/log the application autoloads (see bridge.c).
 */
#ifndef WX_BRIDGE_H
#define WX_BRIDGE_H

#include "php.h"

typedef enum {
    WX_BRIDGE_CACHE = 0,
    WX_BRIDGE_CACHE_EXCEPTION,
    WX_BRIDGE_INVALID_ARGUMENT,
    WX_BRIDGE_OPEN_PLATFORM,
    WX_BRIDGE_COUNT
} wx_bridge_class_t;

/* The class entry, declaring it now if needed; NULL with an exception
 * pending if that failed. */
zend_class_entry *wx_bridge_class(wx_bridge_class_t which);

/* From MINIT / MSHUTDOWN: put the bridge in front of the engine's autoload
 * hook, and take it out again. */
void wx_bridge_startup(void);
void wx_bridge_shutdown(void);

#endif
