/*
 * wxredis module: lifecycle and phpinfo. The classes live in ext/php, the
 * plain-C core in ext/core.
 */
#ifdef HAVE_CONFIG_H
# include "config.h"
#endif

#include "php.h"
#include "php_ini.h"
#include "ext/standard/info.h"

#include <openssl/opensslv.h>
#include <libxml/xmlversion.h>

#include "php_wxredis.h"
#include "php/bridge.h"
#include "php/exceptions.h"
#include "php/pool.h"
#include "php/log.h"

ZEND_DECLARE_MODULE_GLOBALS(wxredis)

/* ------------------------------------------------------------- lifecycle */

static PHP_GINIT_FUNCTION(wxredis)
{
#if defined(COMPILE_DL_WXREDIS) && defined(ZTS)
    ZEND_TSRMLS_CACHE_UPDATE();
#endif
    memset(wxredis_globals, 0, sizeof(*wxredis_globals));
    wx_pool_init(&wxredis_globals->pool, &wxredis_globals->pool_dsn);
}

static PHP_GSHUTDOWN_FUNCTION(wxredis)
{
    wx_pool_destroy(&wxredis_globals->pool, &wxredis_globals->pool_dsn);
    /* with each thread's globals under ZTS, so no thread leaks its parser */
    wx_xml_parser_free(wxredis_globals->xml_parser);
    wxredis_globals->xml_parser = NULL;
    if (wxredis_globals->fleet_due) {
        zend_hash_destroy(wxredis_globals->fleet_due);
        pefree(wxredis_globals->fleet_due, 1);
        wxredis_globals->fleet_due = NULL;
    }
}

PHP_MINIT_FUNCTION(wxredis)
{
    wx_exceptions_register();
    wx_cache_register();
    wx_message_crypt_register();
    wx_format_register();
    wx_open_platform_register();
    wx_bridge_startup();
    /* the hostname the logger and the fleet record name: read once here,
     * so threads (ZTS) only ever read it */
    (void) wx_log_hostname();
    return SUCCESS;
}

PHP_MSHUTDOWN_FUNCTION(wxredis)
{
    wx_bridge_shutdown();
    return SUCCESS;
}

PHP_MINFO_FUNCTION(wxredis)
{
    char buf[MAX_LENGTH_OF_LONG + 1];

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
