/*
 * WxRedis\Format: the cache's wire format and the table of WeChat keys,
 * for tools (wxredis-doctor) and for code that reads or writes Redis
 * without the cache. Static methods over codec.c and core/wx_keys.h, so
 * there is one implementation of each.
 */
#ifdef HAVE_CONFIG_H
# include "config.h"
#endif

#include "php.h"
#include "../php_wxredis.h"
#include "php/exceptions.h"
#include "php/codec.h"
#include "php/cache/errors.h"
#include "core/wx_keys.h"
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

/* A row of the key table as an array. */
static void wx_format_key_row(const wx_key_def_t *def, zval *out)
{
    char ttl[128];

    array_init_size(out, 16);
    add_assoc_string(out, "role", def->role);
    add_assoc_string(out, "pattern", def->pattern);
    add_assoc_string(out, "owner", wx_keys_owner_name(def->owner));
    add_assoc_string(out, "layout", def->layout);
    add_assoc_bool(out, "written", def->written);
    add_assoc_bool(out, "in_prefix", def->in_prefix);
    add_assoc_string(out, "value", wx_keys_value_name(def->value));
    add_assoc_string(out, "what", def->what);
    add_assoc_string(out, "ttl", wx_keys_ttl_name(def->ttl));
    if (def->ttl == WX_KEY_TTL_NONE) {
        add_assoc_null(out, "ttl_seconds");
    } else {
        add_assoc_long(out, "ttl_seconds", def->ttl_seconds);
    }
    if (def->easywechat_ttl) {
        add_assoc_long(out, "easywechat_ttl", def->easywechat_ttl);
    } else {
        add_assoc_null(out, "easywechat_ttl");
    }
    add_assoc_string(out, "ttl_text", wx_keys_ttl_text(def, ttl, sizeof(ttl)));
}

static void wx_format_add_field(zval *arr, const char *name, const char *s, size_t len)
{
    if (s) {
        add_assoc_stringl_ex(arr, name, strlen(name), s, len);
    } else {
        add_assoc_null_ex(arr, name, strlen(name));
    }
}

ZEND_METHOD(WxRedis_Format, describeKey)
{
    zend_string *key, *prefix = ZSTR_EMPTY_ALLOC();
    wx_key_match_t m;

    ZEND_PARSE_PARAMETERS_START(1, 2)
        Z_PARAM_STR(key)
        Z_PARAM_OPTIONAL
        Z_PARAM_STR(prefix)
    ZEND_PARSE_PARAMETERS_END();

    if (!wx_keys_classify(ZSTR_VAL(key), ZSTR_LEN(key), ZSTR_LEN(prefix) ? ZSTR_VAL(prefix) : NULL,
                          ZSTR_LEN(prefix), &m)) {
        RETURN_NULL();
    }
    wx_format_key_row(m.def, return_value);
    add_assoc_stringl(return_value, "prefix", ZSTR_VAL(key), m.prefix_len);
    add_assoc_stringl(return_value, "name", ZSTR_VAL(key) + m.prefix_len, ZSTR_LEN(key) - m.prefix_len);
    wx_format_add_field(return_value, "component_app_id", m.component, m.component_len);
    wx_format_add_field(return_value, "authorizer_app_id", m.authorizer, m.authorizer_len);
    wx_format_add_field(return_value, "digest", m.digest, m.digest_len);
}

ZEND_METHOD(WxRedis_Format, keys)
{
    const wx_key_def_t *t;
    size_t n, i;
    zval row;

    ZEND_PARSE_PARAMETERS_NONE();
    t = wx_keys_table(&n);
    array_init_size(return_value, (uint32_t) n);
    for (i = 0; i < n; i++) {
        wx_format_key_row(&t[i], &row);
        add_next_index_zval(return_value, &row);
    }
}

void wx_format_register(void)
{
    wx_ce_Format = register_class_WxRedis_Format();
}
