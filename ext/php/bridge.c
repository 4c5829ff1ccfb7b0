/*
 * The lazy PSR bridge.
 *
 * A class compiled into an extension cannot implement an interface that
 * userland (composer's psr/simple-cache, in any of its three major versions)
 * declares later. So the implementation lives in the internal class
 * WxRedis\CacheBase, and WxRedis\Cache, WxRedis\CacheException and
 * WxRedis\InvalidArgumentException are declared the first time anything asks
 * for them, through the engine's autoload hook: as subclasses that implement
 * the PSR interfaces when those can be autoloaded at that moment, and plainly
 * otherwise. Doing it on first use rather than in RINIT matters: composer
 * registers its autoloader after RINIT.
 */
#ifdef HAVE_CONFIG_H
# include "config.h"
#endif

#include "php.h"
#include "zend_exceptions.h"
#include "zend_execute.h"

#include "bridge.h"

typedef struct {
    const char *lc_name;     /* as the engine asks for it */
    const char *psr_iface;   /* the interface to implement when available */
    const char *decl_psr;    /* PHP code declaring the class with it */
    const char *decl_plain;  /* ... and without it */
} wx_bridge_entry_t;

static const wx_bridge_entry_t wx_bridge[WX_BRIDGE_COUNT] = {
    [WX_BRIDGE_CACHE] = {
        "wxredis\\cache",
        "Psr\\SimpleCache\\CacheInterface",
        "namespace WxRedis; class Cache extends CacheBase implements \\Psr\\SimpleCache\\CacheInterface {}",
        "namespace WxRedis; class Cache extends CacheBase {}",
    },
    [WX_BRIDGE_CACHE_EXCEPTION] = {
        "wxredis\\cacheexception",
        "Psr\\SimpleCache\\CacheException",
        "namespace WxRedis; class CacheException extends \\RuntimeException implements Exception, \\Psr\\SimpleCache\\CacheException {}",
        "namespace WxRedis; class CacheException extends \\RuntimeException implements Exception {}",
    },
    [WX_BRIDGE_INVALID_ARGUMENT] = {
        "wxredis\\invalidargumentexception",
        "Psr\\SimpleCache\\InvalidArgumentException",
        "namespace WxRedis; class InvalidArgumentException extends \\InvalidArgumentException implements Exception, \\Psr\\SimpleCache\\InvalidArgumentException {}",
        "namespace WxRedis; class InvalidArgumentException extends \\InvalidArgumentException implements Exception {}",
    },
};

static zend_class_entry *(*wx_prev_autoload)(zend_string *name, zend_string *lc_name);

static zend_class_entry *wx_bridge_declare(wx_bridge_class_t which)
{
    const wx_bridge_entry_t *e = &wx_bridge[which];
    zend_string *iface = zend_string_init(e->psr_iface, strlen(e->psr_iface), 0);
    zend_class_entry *ice = zend_lookup_class(iface); /* may run composer's autoloader */
    const char *code;

    zend_string_release(iface);
    if (EG(exception)) {
        return NULL;
    }
    code = (ice && (ice->ce_flags & ZEND_ACC_INTERFACE)) ? e->decl_psr : e->decl_plain;
    if (zend_eval_stringl((char *) code, strlen(code), NULL, "wxredis PSR bridge") == FAILURE) {
        return NULL;
    }
    return zend_hash_str_find_ptr(EG(class_table), e->lc_name, strlen(e->lc_name));
}

static zend_class_entry *wx_autoload(zend_string *name, zend_string *lc_name)
{
    int i;
    for (i = 0; i < WX_BRIDGE_COUNT; i++) {
        if (zend_string_equals_cstr(lc_name, wx_bridge[i].lc_name, strlen(wx_bridge[i].lc_name))) {
            return wx_bridge_declare((wx_bridge_class_t) i);
        }
    }
    return wx_prev_autoload ? wx_prev_autoload(name, lc_name) : NULL;
}

zend_class_entry *wx_bridge_class(wx_bridge_class_t which)
{
    const wx_bridge_entry_t *e = &wx_bridge[which];
    zend_class_entry *ce = zend_hash_str_find_ptr(EG(class_table), e->lc_name, strlen(e->lc_name));
    if (ce) {
        return ce;
    }
    return wx_bridge_declare(which);
}

void wx_bridge_startup(void)
{
    /* SPL (a required dependency, so already started) installed its
     * autoloader in zend_autoload; we go in front of it. */
    wx_prev_autoload = zend_autoload;
    zend_autoload = wx_autoload;
}

void wx_bridge_shutdown(void)
{
    if (zend_autoload == wx_autoload) {
        zend_autoload = wx_prev_autoload;
    }
}
