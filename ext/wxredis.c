/*
 * wxredis module: lifecycle, phpinfo, and the lazy PSR bridge.
 *
 * The PSR bridge: a class compiled into an extension cannot implement an
 * interface that userland (composer's psr/simple-cache, in any of its three
 * major versions) declares later. So the implementation lives in the
 * internal class WxRedis\CacheBase, and WxRedis\Cache, WxRedis\CacheException
 * and WxRedis\InvalidArgumentException are declared the first time anything
 * asks for them, through the engine's autoload hook: as subclasses that
 * implement the PSR interfaces when those can be autoloaded at that moment,
 * and plainly otherwise. Doing it on first use rather than in RINIT matters:
 * composer registers its autoloader after RINIT.
 */
#ifdef HAVE_CONFIG_H
# include "config.h"
#endif

#include "php.h"
#include "php_ini.h"
#include "ext/standard/info.h"
#include "zend_exceptions.h"
#include "zend_execute.h"

#include <openssl/opensslv.h>
#include <libxml/xmlversion.h>

#include "php_wxredis.h"

ZEND_DECLARE_MODULE_GLOBALS(wxredis)

/* ------------------------------------------------------------ PSR bridge */

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

/* ------------------------------------------------------------ exceptions */

static ZEND_COLD void wx_throw_va(zend_class_entry *ce, zend_long code, const char *fmt, va_list ap)
{
    zend_string *msg = zend_vstrpprintf(0, fmt, ap);
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

ZEND_COLD void wx_throw_bridge(wx_bridge_class_t which, zend_long code, const char *fmt, ...)
{
    va_list ap;
    zend_class_entry *ce;

    if (EG(exception)) {
        return; /* keep the first, it says what really went wrong */
    }
    ce = wx_bridge_class(which);
    if (!ce) {
        return; /* declaring it threw; that exception stands */
    }
    va_start(ap, fmt);
    wx_throw_va(ce, code, fmt, ap);
    va_end(ap);
}

/* ------------------------------------------------------------- lifecycle */

static PHP_GINIT_FUNCTION(wxredis)
{
#if defined(COMPILE_DL_WXREDIS) && defined(ZTS)
    ZEND_TSRMLS_CACHE_UPDATE();
#endif
    memset(wxredis_globals, 0, sizeof(*wxredis_globals));
    wx_pool_init(&wxredis_globals->pool);
}

static PHP_GSHUTDOWN_FUNCTION(wxredis)
{
    wx_pool_destroy(&wxredis_globals->pool);
}

PHP_MINIT_FUNCTION(wxredis)
{
    wx_exceptions_register();
    wx_cache_register();
    wx_message_crypt_register();
    wx_format_register();
    wx_open_platform_register();

    /* SPL (a required dependency, so already started) installed its
     * autoloader in zend_autoload; we go in front of it. */
    wx_prev_autoload = zend_autoload;
    zend_autoload = wx_autoload;
    return SUCCESS;
}

PHP_MSHUTDOWN_FUNCTION(wxredis)
{
    wx_message_crypt_shutdown();
    if (zend_autoload == wx_autoload) {
        zend_autoload = wx_prev_autoload;
    }
    return SUCCESS;
}

PHP_MINFO_FUNCTION(wxredis)
{
    char buf[32];

    php_info_print_table_start();
    php_info_print_table_row(2, "wxredis support", "enabled");
    php_info_print_table_row(2, "Version", PHP_WXREDIS_VERSION);
    php_info_print_table_row(2, "hiredis version", wx_conn_hiredis_version());
    php_info_print_table_row(2, "OpenSSL version (built with)", OPENSSL_VERSION_TEXT);
    php_info_print_table_row(2, "libxml2 version (built with)", LIBXML_DOTTED_VERSION);
    php_info_print_table_row(2, "Wire format", "PHP serialize(), serialize_precision pinned to -1");
    snprintf(buf, sizeof(buf), ZEND_LONG_FMT, wx_pool_size());
    php_info_print_table_row(2, "Persistent connections (this process)", buf);
    php_info_print_table_end();
}

static const zend_module_dep wxredis_deps[] = {
    ZEND_MOD_REQUIRED("spl")
    ZEND_MOD_REQUIRED("standard")
    ZEND_MOD_REQUIRED("json")
    ZEND_MOD_END
};

zend_module_entry wxredis_module_entry = {
    STANDARD_MODULE_HEADER_EX,
    NULL,
    wxredis_deps,
    "wxredis",
    NULL,                       /* functions: the API is all classes */
    PHP_MINIT(wxredis),
    PHP_MSHUTDOWN(wxredis),
    NULL,
    NULL,
    PHP_MINFO(wxredis),
    PHP_WXREDIS_VERSION,
    PHP_MODULE_GLOBALS(wxredis),
    PHP_GINIT(wxredis),
    PHP_GSHUTDOWN(wxredis),
    NULL,
    STANDARD_MODULE_PROPERTIES_EX
};

#ifdef COMPILE_DL_WXREDIS
# ifdef ZTS
ZEND_TSRMLS_CACHE_DEFINE()
# endif
ZEND_GET_MODULE(wxredis)
#endif
