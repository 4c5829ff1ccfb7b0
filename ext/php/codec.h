/*
 * codec.c: the fixed wire format (PHP serialize() bytes with
 * serialize_precision pinned), used by the cache, OpenPlatform and
 * WxRedis\Format.
 */
#ifndef WX_PHP_CODEC_H
#define WX_PHP_CODEC_H

#include "php.h"

typedef struct {
    HashTable *unserialize_options; /* {"allowed_classes": ...} or NULL = all */
    bool       legacy_formats;
} wx_codec_t;

/* PHP serialize() bytes of value, with serialize_precision pinned to -1 so
 * every server writes the same bytes. NULL with a CacheException naming
 * key (the cause as its previous exception) on failure. */
zend_string *wx_codec_encode(zval *value, zend_string *key);
/* Decode stored bytes into out. FAILURE with a CacheException naming key
 * and the detected format when the bytes are not ours (unless
 * legacy_formats allows that format). */
zend_result  wx_codec_decode(const wx_codec_t *codec, zend_string *key,
                             const char *buf, size_t len, zval *out);
/* The one-pass read (no validator pass) of bytes that cannot load a
 * class: true with the value in out; false (out UNDEF, nothing pending,
 * nothing run) when the bytes need wx_codec_decode: they may load classes,
 * do not read, or are a string the careful path refuses or unwraps. */
bool         wx_codec_decode_plain(const char *buf, size_t len, zval *out);
void         wx_codec_dtor(wx_codec_t *codec);
/* allowed_classes as unserialize() takes it (true, false or class names),
 * checked; `what` names the option in the InvalidArgumentException. */
zend_result  wx_codec_set_allowed_classes(wx_codec_t *codec, zval *allowed, const char *what);
/* Name of the format of stored bytes (WxRedis\Format::detect): "wxredis"
 * when they are exactly what wx_codec_encode writes, else "php",
 * "php+igbinary", "igbinary", "msgpack", "json", "raw" or "empty". Loads
 * objects as __PHP_Incomplete_Class, so no user code runs. */
const char  *wx_codec_detect(const char *buf, size_t len);

#endif
