/* This is a generated file, edit the .stub.php file instead.
 * Stub hash: 30d394fcab2df21decebd5fc861408418a99b0dc */

ZEND_BEGIN_ARG_INFO_EX(arginfo_class_WxRedis_Format___construct, 0, 0, 0)
ZEND_END_ARG_INFO()

ZEND_BEGIN_ARG_WITH_RETURN_TYPE_INFO_EX(arginfo_class_WxRedis_Format_detect, 0, 1, IS_STRING, 0)
	ZEND_ARG_TYPE_INFO(0, bytes, IS_STRING, 0)
ZEND_END_ARG_INFO()

ZEND_BEGIN_ARG_WITH_RETURN_TYPE_INFO_EX(arginfo_class_WxRedis_Format_encode, 0, 1, IS_STRING, 0)
	ZEND_ARG_TYPE_INFO(0, value, IS_MIXED, 0)
ZEND_END_ARG_INFO()

ZEND_BEGIN_ARG_WITH_RETURN_TYPE_INFO_EX(arginfo_class_WxRedis_Format_decode, 0, 1, IS_MIXED, 0)
	ZEND_ARG_TYPE_INFO(0, bytes, IS_STRING, 0)
	ZEND_ARG_TYPE_INFO_WITH_DEFAULT_VALUE(0, legacyFormats, _IS_BOOL, 0, "false")
	ZEND_ARG_TYPE_MASK(0, allowedClasses, MAY_BE_ARRAY|MAY_BE_BOOL, "true")
	ZEND_ARG_TYPE_INFO_WITH_DEFAULT_VALUE(0, key, IS_STRING, 0, "\"\"")
ZEND_END_ARG_INFO()

ZEND_BEGIN_ARG_WITH_RETURN_TYPE_INFO_EX(arginfo_class_WxRedis_Format_describeKey, 0, 1, IS_ARRAY, 1)
	ZEND_ARG_TYPE_INFO(0, key, IS_STRING, 0)
	ZEND_ARG_TYPE_INFO_WITH_DEFAULT_VALUE(0, prefix, IS_STRING, 0, "\"\"")
ZEND_END_ARG_INFO()

ZEND_BEGIN_ARG_WITH_RETURN_TYPE_INFO_EX(arginfo_class_WxRedis_Format_keys, 0, 0, IS_ARRAY, 0)
ZEND_END_ARG_INFO()


ZEND_METHOD(WxRedis_Format, __construct);
ZEND_METHOD(WxRedis_Format, detect);
ZEND_METHOD(WxRedis_Format, encode);
ZEND_METHOD(WxRedis_Format, decode);
ZEND_METHOD(WxRedis_Format, describeKey);
ZEND_METHOD(WxRedis_Format, keys);


static const zend_function_entry class_WxRedis_Format_methods[] = {
	ZEND_ME(WxRedis_Format, __construct, arginfo_class_WxRedis_Format___construct, ZEND_ACC_PRIVATE)
	ZEND_ME(WxRedis_Format, detect, arginfo_class_WxRedis_Format_detect, ZEND_ACC_PUBLIC|ZEND_ACC_STATIC)
	ZEND_ME(WxRedis_Format, encode, arginfo_class_WxRedis_Format_encode, ZEND_ACC_PUBLIC|ZEND_ACC_STATIC)
	ZEND_ME(WxRedis_Format, decode, arginfo_class_WxRedis_Format_decode, ZEND_ACC_PUBLIC|ZEND_ACC_STATIC)
	ZEND_ME(WxRedis_Format, describeKey, arginfo_class_WxRedis_Format_describeKey, ZEND_ACC_PUBLIC|ZEND_ACC_STATIC)
	ZEND_ME(WxRedis_Format, keys, arginfo_class_WxRedis_Format_keys, ZEND_ACC_PUBLIC|ZEND_ACC_STATIC)
	ZEND_FE_END
};

static zend_class_entry *register_class_WxRedis_Format(void)
{
	zend_class_entry ce, *class_entry;

	INIT_NS_CLASS_ENTRY(ce, "WxRedis", "Format", class_WxRedis_Format_methods);
	class_entry = zend_register_internal_class_ex(&ce, NULL);
	class_entry->ce_flags |= ZEND_ACC_FINAL;

	zval const_CANONICAL_value;
	zend_string *const_CANONICAL_value_str = zend_string_init("wxredis", strlen("wxredis"), 1);
	ZVAL_STR(&const_CANONICAL_value, const_CANONICAL_value_str);
	zend_string *const_CANONICAL_name = zend_string_init_interned("CANONICAL", sizeof("CANONICAL") - 1, 1);
	zend_declare_class_constant_ex(class_entry, const_CANONICAL_name, &const_CANONICAL_value, ZEND_ACC_PUBLIC, NULL);
	zend_string_release(const_CANONICAL_name);

	zval const_PHP_value;
	zend_string *const_PHP_value_str = zend_string_init("php", strlen("php"), 1);
	ZVAL_STR(&const_PHP_value, const_PHP_value_str);
	zend_string *const_PHP_name = zend_string_init_interned("PHP", sizeof("PHP") - 1, 1);
	zend_declare_class_constant_ex(class_entry, const_PHP_name, &const_PHP_value, ZEND_ACC_PUBLIC, NULL);
	zend_string_release(const_PHP_name);

	zval const_PHP_IGBINARY_value;
	zend_string *const_PHP_IGBINARY_value_str = zend_string_init("php+igbinary", strlen("php+igbinary"), 1);
	ZVAL_STR(&const_PHP_IGBINARY_value, const_PHP_IGBINARY_value_str);
	zend_string *const_PHP_IGBINARY_name = zend_string_init_interned("PHP_IGBINARY", sizeof("PHP_IGBINARY") - 1, 1);
	zend_declare_class_constant_ex(class_entry, const_PHP_IGBINARY_name, &const_PHP_IGBINARY_value, ZEND_ACC_PUBLIC, NULL);
	zend_string_release(const_PHP_IGBINARY_name);

	zval const_IGBINARY_value;
	zend_string *const_IGBINARY_value_str = zend_string_init("igbinary", strlen("igbinary"), 1);
	ZVAL_STR(&const_IGBINARY_value, const_IGBINARY_value_str);
	zend_string *const_IGBINARY_name = zend_string_init_interned("IGBINARY", sizeof("IGBINARY") - 1, 1);
	zend_declare_class_constant_ex(class_entry, const_IGBINARY_name, &const_IGBINARY_value, ZEND_ACC_PUBLIC, NULL);
	zend_string_release(const_IGBINARY_name);

	zval const_MSGPACK_value;
	zend_string *const_MSGPACK_value_str = zend_string_init("msgpack", strlen("msgpack"), 1);
	ZVAL_STR(&const_MSGPACK_value, const_MSGPACK_value_str);
	zend_string *const_MSGPACK_name = zend_string_init_interned("MSGPACK", sizeof("MSGPACK") - 1, 1);
	zend_declare_class_constant_ex(class_entry, const_MSGPACK_name, &const_MSGPACK_value, ZEND_ACC_PUBLIC, NULL);
	zend_string_release(const_MSGPACK_name);

	zval const_JSON_value;
	zend_string *const_JSON_value_str = zend_string_init("json", strlen("json"), 1);
	ZVAL_STR(&const_JSON_value, const_JSON_value_str);
	zend_string *const_JSON_name = zend_string_init_interned("JSON", sizeof("JSON") - 1, 1);
	zend_declare_class_constant_ex(class_entry, const_JSON_name, &const_JSON_value, ZEND_ACC_PUBLIC, NULL);
	zend_string_release(const_JSON_name);

	zval const_RAW_value;
	zend_string *const_RAW_value_str = zend_string_init("raw", strlen("raw"), 1);
	ZVAL_STR(&const_RAW_value, const_RAW_value_str);
	zend_string *const_RAW_name = zend_string_init_interned("RAW", sizeof("RAW") - 1, 1);
	zend_declare_class_constant_ex(class_entry, const_RAW_name, &const_RAW_value, ZEND_ACC_PUBLIC, NULL);
	zend_string_release(const_RAW_name);

	zval const_EMPTY_value;
	zend_string *const_EMPTY_value_str = zend_string_init("empty", strlen("empty"), 1);
	ZVAL_STR(&const_EMPTY_value, const_EMPTY_value_str);
	zend_string *const_EMPTY_name = zend_string_init_interned("EMPTY", sizeof("EMPTY") - 1, 1);
	zend_declare_class_constant_ex(class_entry, const_EMPTY_name, &const_EMPTY_value, ZEND_ACC_PUBLIC, NULL);
	zend_string_release(const_EMPTY_name);

	return class_entry;
}
