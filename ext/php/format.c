/*
 * WxRedis\Format: the cache's wire format for tools (wxredis-doctor) and
 * for code that reads or writes Redis without the cache. Static methods
 * over codec.c, so there is one implementation of the format.
 */
#ifdef HAVE_CONFIG_H
# include "config.h"
#endif

#include "php.h"
#include "../php_wxredis.h"
#include "format_arginfo.h"

static zend_class_entry *wx_ce_Format;

ZEND_METHOD(WxRedis_Format, __construct)
{
    ZEND_PARSE_PARAMETERS_NONE();
}

ZEND_METHOD(WxRedis_Format, detect)
{
    zend_string *bytes;

    ZEND_PARSE_PARAMETERS_START(1, 1)
        Z_PARAM_STR(bytes)
    ZEND_PARSE_PARAMETERS_END();

    RETURN_STRING(wx_codec_detect(ZSTR_VAL(bytes), ZSTR_LEN(bytes)));
}

ZEND_METHOD(WxRedis_Format, encode)
{
    zval *value;
    zend_string *out;

    ZEND_PARSE_PARAMETERS_START(1, 1)
        Z_PARAM_ZVAL(value)
    ZEND_PARSE_PARAMETERS_END();

    out = wx_codec_encode(value, ZSTR_EMPTY_ALLOC());
    if (!out) {
        RETURN_THROWS();
    }
    RETURN_STR(out);
}

ZEND_METHOD(WxRedis_Format, decode)
{
    zend_string *bytes, *key = ZSTR_EMPTY_ALLOC();
    bool legacy = false;
    zval *allowed = NULL, all;
    wx_codec_t codec = { NULL, false };

    ZEND_PARSE_PARAMETERS_START(1, 4)
        Z_PARAM_STR(bytes)
        Z_PARAM_OPTIONAL
        Z_PARAM_BOOL(legacy)
        Z_PARAM_ZVAL(allowed)
        Z_PARAM_STR(key)
    ZEND_PARSE_PARAMETERS_END();

    ZVAL_TRUE(&all);
    codec.legacy_formats = legacy;
    if (wx_codec_set_allowed_classes(&codec, allowed ? allowed : &all, "allowedClasses") == FAILURE) {
        RETURN_THROWS();
    }
    if (wx_codec_decode(&codec, key, ZSTR_VAL(bytes), ZSTR_LEN(bytes), return_value) == FAILURE) {
        wx_codec_dtor(&codec);
        RETURN_THROWS();
    }
    wx_codec_dtor(&codec);
}

void wx_format_register(void)
{
    wx_ce_Format = register_class_WxRedis_Format();
}
