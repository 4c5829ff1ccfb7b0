/*
 * The fixed wire format: PHP's serialize() bytes, produced by PHP's own
 * serializer with serialize_precision pinned, so that every server writes
 * the same bytes whatever its ini settings or loaded extensions (phpredis,
 * igbinary and msgpack never take part). Reading refuses bytes someone else
 * wrote instead of guessing, unless legacy_formats asks for the guess.
 */
#ifdef HAVE_CONFIG_H
# include "config.h"
#endif

#include "php.h"
#include "zend_exceptions.h"
#include "zend_smart_str.h"
#include "ext/standard/php_var.h"
#include "ext/standard/basic_functions.h"
#include "ext/json/php_json.h"

#include "php_wxredis.h"
#include "core/wx_sniff.h"
#include "bridge.h"
#include "exceptions.h"
#include "codec.h"
#include "cache/errors.h"

/* legacy_formats' JSON: the nesting json_decode() allows by default. */
#define WX_CODEC_JSON_DEPTH 512

/* Replace the pending exception with a CacheException saying what failed
 * for which key; the original becomes its previous exception. */
static void wx_codec_rethrow(zend_long code, const char *what, zend_string *key)
{
    zend_object *cause = EG(exception);
    zval rv, *m;
    zend_string *msg;

    EG(exception) = NULL;
    m = zend_read_property_ex(cause->ce, cause, ZSTR_KNOWN(ZEND_STR_MESSAGE), 1, &rv);
    msg = zval_get_string(m);
    wx_throw_cache(code, "value %s key \"%s\" %s: %s",
                    code == WX_CACHE_ERR_SERIALIZE ? "for" : "under", ZSTR_VAL(key), what, ZSTR_VAL(msg));
    zend_string_release(msg);
    if (EG(exception)) {
        zend_exception_set_previous(EG(exception), cause);
    } else {
        EG(exception) = cause;
    }
}

/* PHP's serializer with serialize_precision pinned to -1 (the shortest
 * round-tripping form): 0.1 is d:0.1; on every server. */
static void wx_codec_serialize(smart_str *buf, zval *value)
{
    php_serialize_data_t var_hash;
    zend_long precision = PG(serialize_precision);

    PG(serialize_precision) = -1;
    PHP_VAR_SERIALIZE_INIT(var_hash);
    php_var_serialize(buf, value, &var_hash);
    PHP_VAR_SERIALIZE_DESTROY(var_hash);
    PG(serialize_precision) = precision;
}

zend_string *wx_codec_encode(zval *value, zend_string *key)
{
    smart_str buf = {0};

    wx_codec_serialize(&buf, value);

    if (EG(exception)) {
        smart_str_free(&buf);
        /* e.g. "Serialization of 'Closure' is not allowed" */
        wx_codec_rethrow(WX_CACHE_ERR_SERIALIZE, "cannot be stored", key);
        return NULL;
    }
    if (Z_TYPE_P(value) == IS_STRING &&
        wx_sniff_is_igbinary((const unsigned char *) Z_STRVAL_P(value), Z_STRLEN_P(value))) {
        /* Readers refuse such strings as double-encoded foreign data (see
         * wx_codec_unserialize); storing one would make it unreadable. */
        smart_str_free(&buf);
        wx_throw_invalid(WX_CACHE_ERR_SERIALIZE,
            "value for key \"%s\" is a string that starts with igbinary's header (00 00 00 0%d), "
            "which wxredis cannot tell apart from igbinary data double-encoded by Symfony's marshaller "
            "and phpredis; store it wrapped (e.g. in an array) or encoded (e.g. base64)",
            ZSTR_VAL(key), Z_STRVAL_P(value)[3]);
        return NULL;
    }
    if (!buf.s) {
        wx_throw_cache(WX_CACHE_ERR_SERIALIZE, "value could not be serialized");
        return NULL;
    }
    if (Z_TYPE_P(value) == IS_STRING &&
        wx_sniff_is_php_in_php((const unsigned char *) ZSTR_VAL(buf.s), ZSTR_LEN(buf.s))) {
        /* a string that is itself a complete serialize() document is what
         * symfony/cache >= 7.2 leaves under phpredis SERIALIZER_PHP
         * ("php+php"): readers refuse or unwrap it, so never write one */
        smart_str_free(&buf);
        wx_throw_invalid(WX_CACHE_ERR_SERIALIZE,
            "value for key \"%s\" is a string that is itself a complete PHP serialize() document, "
            "which wxredis cannot tell apart from Symfony's serialize marshaller under phpredis "
            "SERIALIZER_PHP (format php+php); store the unserialized value, or wrap or encode the "
            "string (e.g. in an array, or base64)", ZSTR_VAL(key));
        return NULL;
    }
    if (UNEXPECTED(ZSTR_LEN(buf.s) >= WX_SNIFF_PHP_MIN_LEN(WX_SNIFF_MAX_DEPTH)) &&
        wx_sniff_php_check((const unsigned char *) ZSTR_VAL(buf.s), ZSTR_LEN(buf.s), 0, NULL) == WX_SNIFF_PHP_TOO_DEEP) {
        /* get() could not read it back (unserialize()'s depth limit) */
        smart_str_free(&buf);
        wx_throw_cache(WX_CACHE_ERR_SERIALIZE,
            "value for key \"%s\" cannot be stored: it nests deeper than %u levels, which get() "
            "(unserialize_max_depth) could not read back", ZSTR_VAL(key), WX_SNIFF_MAX_DEPTH);
        return NULL;
    }
    return smart_str_extract(&buf);
}

static zend_result wx_codec_legacy(const wx_codec_t *codec, zend_string *key, wx_format_t fmt,
                                   const char *buf, size_t len, zval *out);
static zend_result wx_codec_unserialize(const wx_codec_t *codec, zend_string *key,
                                        const char *buf, size_t len, zval *out);

/* php+php: a PHP string whose content is itself one complete serialize()
 * document (symfony/cache >= 7.2 marshals with serialize(), phpredis
 * SERIALIZER_PHP serializes that string again). Refused in strict mode
 * with the format named; unwrapped once in legacy mode. */
static zend_result wx_codec_php_in_php(const wx_codec_t *codec, zend_string *key,
                                       const char *buf, size_t len, zval *out)
{
    const unsigned char *inner;
    size_t inner_len;

    WXREDIS_G(cache_stats).format_errors++;
    if (!codec->legacy_formats) {
        wx_throw_cache(WX_CACHE_ERR_FORMAT,
            "value under key \"%s\" is a PHP serialize() document inside a PHP serialize() string "
            "(format php+php: symfony/cache >= 7.2's serialize marshaller under phpredis "
            "SERIALIZER_PHP); set the legacy_formats option to read it during a migration",
            ZSTR_VAL(key));
        return FAILURE;
    }
    if (!wx_sniff_php_string((const unsigned char *) buf, len, &inner, &inner_len)) {
        wx_throw_cache(WX_CACHE_ERR_CORRUPT, "value under key \"%s\" does not load", ZSTR_VAL(key));
        return FAILURE;
    }
    return wx_codec_unserialize(codec, key, (const char *) inner, inner_len, out);
}

/* The ErrorException EH_THROW made of unserialize's warning becomes the
 * CacheException (same message) callers have always seen as the cause. */
static ZEND_COLD void wx_codec_warning_to_cache(void)
{
    zend_object *e = EG(exception);
    zval rv;
    zend_string *msg;

    if (e->ce != zend_ce_error_exception) {
        return; /* thrown by user code (__unserialize...): keep it */
    }
    msg = zval_get_string(zend_read_property_ex(e->ce, e, ZSTR_KNOWN(ZEND_STR_MESSAGE), 1, &rv));
    zend_clear_exception();
    wx_throw_cache(0, "%s", ZSTR_VAL(msg));
    zend_string_release(msg);
}

/* Unserialize bytes already known to be well-formed PHP serialize syntax.
 * Remaining failures (a class refusing __unserialize, depth limits) turn
 * into CacheException, never a warning. */
static zend_result wx_codec_unserialize(const wx_codec_t *codec, zend_string *key,
                                        const char *buf, size_t len, zval *out)
{
    zend_error_handling eh;

    /* A warning becomes an ErrorException (internal: declaring
     * CacheException would cost every successful read); made a
     * CacheException below only when something failed. */
    ZVAL_UNDEF(out);
    zend_replace_error_handling(EH_THROW, zend_ce_error_exception, &eh);
    php_unserialize_with_options(out, buf, len, codec->unserialize_options, "WxRedis\\Cache::get");
    zend_restore_error_handling(&eh);
    if (EG(exception)) {
        wx_codec_warning_to_cache();
        /* say which key, keep the cause (a class's __unserialize, depth
         * limit, missing enum...) as the previous exception */
        zval_ptr_dtor(out);
        ZVAL_UNDEF(out);
        wx_codec_rethrow(WX_CACHE_ERR_CORRUPT, "could not be unserialized", key);
        return FAILURE;
    }
    if (Z_TYPE_P(out) == IS_STRING &&
        wx_sniff_is_igbinary((const unsigned char *) Z_STRVAL_P(out), Z_STRLEN_P(out))) {
        /* s:N:"\0\0\0\2...": Symfony's marshaller wrote igbinary, then
         * phpredis (SERIALIZER_PHP) wrapped it as a PHP string. Returning
         * the string would hand out a corrupted ticket. */
        zend_string *inner = zend_string_copy(Z_STR_P(out));
        zend_result rc = FAILURE;
        zval_ptr_dtor(out);
        ZVAL_UNDEF(out);
        WXREDIS_G(cache_stats).format_errors++;
        if (codec->legacy_formats) {
            rc = wx_codec_legacy(codec, key, WX_FORMAT_IGBINARY, ZSTR_VAL(inner), ZSTR_LEN(inner), out);
        } else {
            wx_throw_cache(WX_CACHE_ERR_FORMAT,
                "value under key \"%s\" is igbinary data inside a PHP serialize() string "
                "(double-encoded: Symfony's marshaller with igbinary under phpredis SERIALIZER_PHP); "
                "set the legacy_formats option to read it during a migration", ZSTR_VAL(key));
        }
        zend_string_release(inner);
        return rc;
    }
    if (Z_TYPE_P(out) == IS_FALSE && !(len == 4 && memcmp(buf, "b:0;", 4) == 0)) {
        zval_ptr_dtor(out);
        wx_throw_cache(WX_CACHE_ERR_CORRUPT,
            "value under key \"%s\" is PHP serialize() data that does not load (%zu bytes)",
            ZSTR_VAL(key), len);
        return FAILURE;
    }
    return SUCCESS;
}

static zend_result wx_codec_legacy_once(zend_string *key, wx_format_t fmt,
                                        const char *buf, size_t len, zval *out)
{
    switch (fmt) {
    case WX_FORMAT_EMPTY:
    case WX_FORMAT_RAW:
        ZVAL_STRINGL(out, buf, len);
        return SUCCESS;
    case WX_FORMAT_JSON:
        if (php_json_decode_ex(out, buf, len, PHP_JSON_OBJECT_AS_ARRAY, WX_CODEC_JSON_DEPTH) == SUCCESS) {
            return SUCCESS;
        }
        break;
    case WX_FORMAT_IGBINARY: {
        zval fn, arg;
        if (!zend_hash_str_exists(&module_registry, "igbinary", sizeof("igbinary") - 1)) {
            wx_throw_cache(WX_CACHE_ERR_FORMAT,
                "value under key \"%s\" is in igbinary format, and legacy_formats cannot decode it "
                "because the igbinary extension is not loaded", ZSTR_VAL(key));
            return FAILURE;
        }
        ZVAL_STRING(&fn, "igbinary_unserialize");
        ZVAL_STRINGL(&arg, buf, len);
        ZVAL_UNDEF(out);
        call_user_function(NULL, NULL, &fn, out, 1, &arg);
        zval_ptr_dtor(&fn);
        zval_ptr_dtor(&arg);
        if (!EG(exception) && !Z_ISUNDEF_P(out)) {
            return SUCCESS;
        }
        zval_ptr_dtor(out);
        return FAILURE;
    }
    default:
        break;
    }
    wx_throw_cache(WX_CACHE_ERR_FORMAT,
        "value under key \"%s\" is in %s format, which legacy_formats does not decode",
        ZSTR_VAL(key), wx_sniff_format_name(fmt));
    return FAILURE;
}

/* Could these bytes name an enum (E:)? The unserializer looks an enum's
 * class up, which may run an autoloader, whatever allowed_classes says.
 * Conservative: "E:" inside a string also answers yes, which only costs
 * the careful path. memchr runs a vector at a time. */
static zend_always_inline bool wx_codec_may_name_enum(const char *buf, size_t len)
{
    const char *p = buf, *end = buf + len;

    while ((p = memchr(p, 'E', (size_t) (end - p))) != NULL && p + 1 < end) {
        if (p[1] == ':') {
            return true;
        }
        p++;
    }
    return false;
}

/* The one-pass read of the common value, without the validator's pass
 * before unserialize. That pass exists so that no user code (__wakeup,
 * __unserialize, __destruct, autoloaders) ever runs on bytes that are not
 * one complete document. Here no user code can run: no class is allowed
 * (an object would load as __PHP_Incomplete_Class, without a lookup) and
 * bytes that may name an enum are left out. If an object was made, or
 * the bytes do not read, the result is dropped (nothing ran) and the
 * careful path (validator, unserialize with the real allowed_classes,
 * errors naming the format) reads them instead. Not inside another
 * unserialize (a __wakeup reading the cache shares its back-references). */
bool wx_codec_decode_plain(const char *buf, size_t len, zval *out)
{
    const unsigned char *p = (const unsigned char *) buf, *end = p + len;
    uint32_t top = EG(objects_store).top, free_head = EG(objects_store).free_list_head;
    php_unserialize_data_t var_hash;
    zend_error_handling eh;
    const char *t;
    bool ok;

    if (UNEXPECTED(len < 2) || BG(unserialize).level != 0 || BG(serialize_lock) || EG(exception)) {
        return false;
    }
    switch (buf[0]) {
    case 'a':
        /* only an array holds other values */
        if (wx_codec_may_name_enum(buf, len)) {
            return false;
        }
        break;
    case 'O': case 'C': case 'E':
        return false;
    default:
        break;  /* a scalar (or not ours: unserialize fails, nothing runs) */
    }
    ZVAL_UNDEF(out);
    zend_replace_error_handling(EH_THROW, zend_ce_error_exception, &eh);
    var_hash = php_var_unserialize_init();
    php_var_unserialize_set_allowed_classes(var_hash, (HashTable *) &zend_empty_array);
    ok = php_var_unserialize(out, &p, end, &var_hash) && p == end;
    php_var_unserialize_destroy(var_hash);
    zend_restore_error_handling(&eh);
    /* an object made (a new handle, or a freed one reused) */
    ok = ok && EG(objects_store).top == top && EG(objects_store).free_list_head == free_head;
    if (ok && !EG(exception) && !Z_ISREF_P(out)) {
        if (Z_TYPE_P(out) != IS_STRING) {
            return true;
        }
        /* strings the careful path refuses or unwraps: igbinary inside
         * (php+igbinary) and a serialize() document inside (php+php) */
        t = Z_STRVAL_P(out);
        if (wx_sniff_is_igbinary((const unsigned char *) t, Z_STRLEN_P(out))) {
            goto careful;
        }
        /* a serialize() document starts "x:" or is "N;" */
        if (Z_STRLEN_P(out) < 2 || (t[1] != ':' && t[1] != ';')) {
            return true;
        }
        if (wx_sniff_php_check((const unsigned char *) t, Z_STRLEN_P(out), 0, NULL) == WX_SNIFF_PHP_INVALID) {
            return true;
        }
    }
careful:
    zval_ptr_dtor(out);
    ZVAL_UNDEF(out);
    if (EG(exception)) {
        zend_clear_exception();
    }
    return false;
}

zend_result wx_codec_decode(const wx_codec_t *codec, zend_string *key,
                            const char *buf, size_t len, zval *out)
{
    wx_format_t fmt;

    if (EXPECTED(wx_codec_decode_plain(buf, len, out))) {
        return SUCCESS;
    }

    /* the common case first: our own bytes */
    if (wx_sniff_is_php((const unsigned char *) buf, len, 0)) {
        /* most values are rejected by their first byte (not 's') */
        if (UNEXPECTED(wx_sniff_is_php_in_php((const unsigned char *) buf, len))) {
            return wx_codec_php_in_php(codec, key, buf, len, out);
        }
        return wx_codec_unserialize(codec, key, buf, len, out);
    }
    fmt = wx_sniff_format((const unsigned char *) buf, len);
    WXREDIS_G(cache_stats).format_errors++;
    if (codec->legacy_formats) {
        return wx_codec_legacy(codec, key, fmt, buf, len, out);
    }
    wx_throw_cache(WX_CACHE_ERR_FORMAT,
        "value under key \"%s\" is not in wxredis format (PHP serialize): it looks like %s "
        "(%zu bytes), probably written by phpredis or Symfony with another serializer; "
        "set the legacy_formats option to read it during a migration",
        ZSTR_VAL(key), wx_sniff_format_name(fmt), len);
    return FAILURE;
}

/* Decode a legacy format. Symfony's marshaller writes igbinary (or, since
 * symfony/cache 7.2, serialize()) before phpredis applies its own
 * serializer, so a decoded string may itself be igbinary or a complete
 * serialize() document: unwrap that once more rather than return it as
 * the value. */
static zend_result wx_codec_legacy(const wx_codec_t *codec, zend_string *key, wx_format_t fmt,
                                   const char *buf, size_t len, zval *out)
{
    zend_string *inner;
    zend_result rc;

    if (wx_codec_legacy_once(key, fmt, buf, len, out) == FAILURE) {
        return FAILURE;
    }
    if (Z_TYPE_P(out) != IS_STRING || fmt == WX_FORMAT_RAW || fmt == WX_FORMAT_EMPTY) {
        return SUCCESS;
    }
    if (wx_sniff_php_check((const unsigned char *) Z_STRVAL_P(out), Z_STRLEN_P(out), 0, NULL) == WX_SNIFF_PHP_VALID) {
        inner = zend_string_copy(Z_STR_P(out));
        zval_ptr_dtor(out);
        ZVAL_UNDEF(out);
        rc = wx_codec_unserialize(codec, key, ZSTR_VAL(inner), ZSTR_LEN(inner), out);
        zend_string_release(inner);
        return rc;
    }
    if (!wx_sniff_is_igbinary((const unsigned char *) Z_STRVAL_P(out), Z_STRLEN_P(out))) {
        return SUCCESS;
    }
    inner = zend_string_copy(Z_STR_P(out));
    zval_ptr_dtor(out);
    ZVAL_UNDEF(out);
    rc = wx_codec_legacy_once(key, WX_FORMAT_IGBINARY, ZSTR_VAL(inner), ZSTR_LEN(inner), out);
    zend_string_release(inner);
    return rc;
}

const char *wx_codec_detect(const char *buf, size_t len)
{
    HashTable opts;
    zval no, v;
    zend_error_handling eh;
    const char *name = "php";
    zend_class_entry *ce;

    if (!wx_sniff_is_php((const unsigned char *) buf, len, 0)) {
        return wx_sniff_format_name(wx_sniff_format((const unsigned char *) buf, len));
    }
    if (wx_sniff_is_php_in_php((const unsigned char *) buf, len)) {
        return wx_sniff_format_name(WX_FORMAT_PHP_IN_PHP);
    }
    /* Load with allowed_classes=false: objects become
     * __PHP_Incomplete_Class, so no user code runs, and they serialize
     * back to the same bytes. */
    if (!(ce = wx_bridge_class(WX_BRIDGE_CACHE_EXCEPTION))) {
        return name;
    }
    zend_hash_init(&opts, 1, NULL, NULL, 0);
    ZVAL_FALSE(&no);
    zend_hash_str_add(&opts, "allowed_classes", sizeof("allowed_classes") - 1, &no);
    ZVAL_UNDEF(&v);
    zend_replace_error_handling(EH_THROW, ce, &eh);
    php_unserialize_with_options(&v, buf, len, &opts, "WxRedis\\Format::detect");
    zend_restore_error_handling(&eh);
    if (EG(exception)) {
        zend_clear_exception(); /* does not load: PHP syntax, not ours */
    } else if (Z_TYPE(v) == IS_STRING &&
               wx_sniff_is_igbinary((const unsigned char *) Z_STRVAL(v), Z_STRLEN(v))) {
        name = "php+igbinary";
    } else {
        smart_str again = {0};
        wx_codec_serialize(&again, &v);
        if (!EG(exception) && again.s && ZSTR_LEN(again.s) == len && memcmp(ZSTR_VAL(again.s), buf, len) == 0) {
            name = "wxredis";
        }
        zend_clear_exception();
        smart_str_free(&again);
    }
    zval_ptr_dtor(&v);
    zend_hash_destroy(&opts);
    return name;
}

zend_result wx_codec_set_allowed_classes(wx_codec_t *codec, zval *v, const char *what)
{
    zval *name;

    if (Z_TYPE_P(v) == IS_TRUE) {
        return SUCCESS; /* NULL options: every class */
    }
    if (Z_TYPE_P(v) == IS_ARRAY) {
        ZEND_HASH_FOREACH_VAL(Z_ARRVAL_P(v), name) {
            ZVAL_DEREF(name);
            if (Z_TYPE_P(name) != IS_STRING || !zend_is_valid_class_name(Z_STR_P(name))) {
                wx_throw_invalid(WX_CACHE_ERR_ARGUMENT,
                    "%s must be true, false or a list of class names", what);
                return FAILURE;
            }
        } ZEND_HASH_FOREACH_END();
    } else if (Z_TYPE_P(v) != IS_FALSE) {
        wx_throw_invalid(WX_CACHE_ERR_ARGUMENT,
            "%s must be true, false or a list of class names, %s given", what, zend_zval_type_name(v));
        return FAILURE;
    }
    codec->unserialize_options = zend_new_array(1);
    Z_TRY_ADDREF_P(v);
    zend_hash_str_add_new(codec->unserialize_options, "allowed_classes", sizeof("allowed_classes") - 1, v);
    return SUCCESS;
}

void wx_codec_dtor(wx_codec_t *codec)
{
    if (codec->unserialize_options) {
        zend_array_destroy(codec->unserialize_options);
        codec->unserialize_options = NULL;
    }
}
