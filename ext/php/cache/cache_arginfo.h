/* This is a generated file, edit the .stub.php file instead.
 * Stub hash: 26d0b777142ed61c16ff18020bd6155aae588565 */

ZEND_BEGIN_ARG_INFO_EX(arginfo_class_WxRedis_CacheBase___construct, 0, 0, 0)
	ZEND_ARG_TYPE_INFO_WITH_DEFAULT_VALUE(0, dsn, IS_STRING, 0, "\"redis://127.0.0.1:6379\"")
	ZEND_ARG_TYPE_INFO_WITH_DEFAULT_VALUE(0, options, IS_ARRAY, 0, "[]")
ZEND_END_ARG_INFO()

ZEND_BEGIN_ARG_WITH_RETURN_TYPE_INFO_EX(arginfo_class_WxRedis_CacheBase_get, 0, 1, IS_MIXED, 0)
	ZEND_ARG_TYPE_INFO(0, key, IS_MIXED, 0)
	ZEND_ARG_TYPE_INFO_WITH_DEFAULT_VALUE(0, default, IS_MIXED, 0, "null")
ZEND_END_ARG_INFO()

ZEND_BEGIN_ARG_WITH_RETURN_TYPE_INFO_EX(arginfo_class_WxRedis_CacheBase_set, 0, 2, _IS_BOOL, 0)
	ZEND_ARG_TYPE_INFO(0, key, IS_MIXED, 0)
	ZEND_ARG_TYPE_INFO(0, value, IS_MIXED, 0)
	ZEND_ARG_TYPE_INFO_WITH_DEFAULT_VALUE(0, ttl, IS_MIXED, 0, "null")
ZEND_END_ARG_INFO()

ZEND_BEGIN_ARG_WITH_RETURN_TYPE_INFO_EX(arginfo_class_WxRedis_CacheBase_delete, 0, 1, _IS_BOOL, 0)
	ZEND_ARG_TYPE_INFO(0, key, IS_MIXED, 0)
ZEND_END_ARG_INFO()

ZEND_BEGIN_ARG_WITH_RETURN_TYPE_INFO_EX(arginfo_class_WxRedis_CacheBase_clear, 0, 0, _IS_BOOL, 0)
ZEND_END_ARG_INFO()

ZEND_BEGIN_ARG_WITH_RETURN_OBJ_TYPE_MASK_EX(arginfo_class_WxRedis_CacheBase_getMultiple, 0, 1, Traversable, MAY_BE_ARRAY)
	ZEND_ARG_TYPE_INFO(0, keys, IS_MIXED, 0)
	ZEND_ARG_TYPE_INFO_WITH_DEFAULT_VALUE(0, default, IS_MIXED, 0, "null")
ZEND_END_ARG_INFO()

ZEND_BEGIN_ARG_WITH_RETURN_TYPE_INFO_EX(arginfo_class_WxRedis_CacheBase_setMultiple, 0, 1, _IS_BOOL, 0)
	ZEND_ARG_TYPE_INFO(0, values, IS_MIXED, 0)
	ZEND_ARG_TYPE_INFO_WITH_DEFAULT_VALUE(0, ttl, IS_MIXED, 0, "null")
ZEND_END_ARG_INFO()

ZEND_BEGIN_ARG_WITH_RETURN_TYPE_INFO_EX(arginfo_class_WxRedis_CacheBase_deleteMultiple, 0, 1, _IS_BOOL, 0)
	ZEND_ARG_TYPE_INFO(0, keys, IS_MIXED, 0)
ZEND_END_ARG_INFO()

#define arginfo_class_WxRedis_CacheBase_has arginfo_class_WxRedis_CacheBase_delete

ZEND_BEGIN_ARG_WITH_RETURN_TYPE_INFO_EX(arginfo_class_WxRedis_CacheBase_stats, 0, 0, IS_ARRAY, 0)
ZEND_END_ARG_INFO()

ZEND_BEGIN_ARG_WITH_RETURN_TYPE_INFO_EX(arginfo_class_WxRedis_CacheBase_rawCommand, 0, 1, IS_MIXED, 0)
	ZEND_ARG_TYPE_INFO(0, command, IS_STRING, 0)
	ZEND_ARG_VARIADIC_TYPE_INFO(0, args, IS_STRING, 0)
ZEND_END_ARG_INFO()

ZEND_BEGIN_ARG_WITH_RETURN_TYPE_INFO_EX(arginfo_class_WxRedis_CacheBase_rawCommandAt, 0, 2, IS_MIXED, 0)
	ZEND_ARG_TYPE_INFO(0, node, IS_STRING, 0)
	ZEND_ARG_TYPE_INFO(0, command, IS_STRING, 0)
	ZEND_ARG_VARIADIC_TYPE_INFO(0, args, IS_STRING, 0)
ZEND_END_ARG_INFO()

#define arginfo_class_WxRedis_CacheBase_topology arginfo_class_WxRedis_CacheBase_stats

ZEND_BEGIN_ARG_INFO_EX(arginfo_class_WxRedis_CacheItems___construct, 0, 0, 0)
ZEND_END_ARG_INFO()

ZEND_BEGIN_ARG_WITH_RETURN_TYPE_INFO_EX(arginfo_class_WxRedis_CacheItems_current, 0, 0, IS_MIXED, 0)
ZEND_END_ARG_INFO()

ZEND_BEGIN_ARG_WITH_RETURN_TYPE_INFO_EX(arginfo_class_WxRedis_CacheItems_key, 0, 0, IS_STRING, 0)
ZEND_END_ARG_INFO()

ZEND_BEGIN_ARG_WITH_RETURN_TYPE_INFO_EX(arginfo_class_WxRedis_CacheItems_next, 0, 0, IS_VOID, 0)
ZEND_END_ARG_INFO()

#define arginfo_class_WxRedis_CacheItems_rewind arginfo_class_WxRedis_CacheItems_next

#define arginfo_class_WxRedis_CacheItems_valid arginfo_class_WxRedis_CacheBase_clear

ZEND_BEGIN_ARG_WITH_RETURN_TYPE_INFO_EX(arginfo_class_WxRedis_CacheItems_count, 0, 0, IS_LONG, 0)
ZEND_END_ARG_INFO()

#define arginfo_class_WxRedis_CacheItems_toArray arginfo_class_WxRedis_CacheBase_stats


ZEND_METHOD(WxRedis_CacheBase, __construct);
ZEND_METHOD(WxRedis_CacheBase, get);
ZEND_METHOD(WxRedis_CacheBase, set);
ZEND_METHOD(WxRedis_CacheBase, delete);
ZEND_METHOD(WxRedis_CacheBase, clear);
ZEND_METHOD(WxRedis_CacheBase, getMultiple);
ZEND_METHOD(WxRedis_CacheBase, setMultiple);
ZEND_METHOD(WxRedis_CacheBase, deleteMultiple);
ZEND_METHOD(WxRedis_CacheBase, has);
ZEND_METHOD(WxRedis_CacheBase, stats);
ZEND_METHOD(WxRedis_CacheBase, rawCommand);
ZEND_METHOD(WxRedis_CacheBase, rawCommandAt);
ZEND_METHOD(WxRedis_CacheBase, topology);
ZEND_METHOD(WxRedis_CacheItems, __construct);
ZEND_METHOD(WxRedis_CacheItems, current);
ZEND_METHOD(WxRedis_CacheItems, key);
ZEND_METHOD(WxRedis_CacheItems, next);
ZEND_METHOD(WxRedis_CacheItems, rewind);
ZEND_METHOD(WxRedis_CacheItems, valid);
ZEND_METHOD(WxRedis_CacheItems, count);
ZEND_METHOD(WxRedis_CacheItems, toArray);


static const zend_function_entry class_WxRedis_CacheBase_methods[] = {
	ZEND_ME(WxRedis_CacheBase, __construct, arginfo_class_WxRedis_CacheBase___construct, ZEND_ACC_PUBLIC)
	ZEND_ME(WxRedis_CacheBase, get, arginfo_class_WxRedis_CacheBase_get, ZEND_ACC_PUBLIC)
	ZEND_ME(WxRedis_CacheBase, set, arginfo_class_WxRedis_CacheBase_set, ZEND_ACC_PUBLIC)
	ZEND_ME(WxRedis_CacheBase, delete, arginfo_class_WxRedis_CacheBase_delete, ZEND_ACC_PUBLIC)
	ZEND_ME(WxRedis_CacheBase, clear, arginfo_class_WxRedis_CacheBase_clear, ZEND_ACC_PUBLIC)
	ZEND_ME(WxRedis_CacheBase, getMultiple, arginfo_class_WxRedis_CacheBase_getMultiple, ZEND_ACC_PUBLIC)
	ZEND_ME(WxRedis_CacheBase, setMultiple, arginfo_class_WxRedis_CacheBase_setMultiple, ZEND_ACC_PUBLIC)
	ZEND_ME(WxRedis_CacheBase, deleteMultiple, arginfo_class_WxRedis_CacheBase_deleteMultiple, ZEND_ACC_PUBLIC)
	ZEND_ME(WxRedis_CacheBase, has, arginfo_class_WxRedis_CacheBase_has, ZEND_ACC_PUBLIC)
	ZEND_ME(WxRedis_CacheBase, stats, arginfo_class_WxRedis_CacheBase_stats, ZEND_ACC_PUBLIC)
	ZEND_ME(WxRedis_CacheBase, rawCommand, arginfo_class_WxRedis_CacheBase_rawCommand, ZEND_ACC_PUBLIC)
	ZEND_ME(WxRedis_CacheBase, rawCommandAt, arginfo_class_WxRedis_CacheBase_rawCommandAt, ZEND_ACC_PUBLIC)
	ZEND_ME(WxRedis_CacheBase, topology, arginfo_class_WxRedis_CacheBase_topology, ZEND_ACC_PUBLIC)
	ZEND_FE_END
};


static const zend_function_entry class_WxRedis_CacheItems_methods[] = {
	ZEND_ME(WxRedis_CacheItems, __construct, arginfo_class_WxRedis_CacheItems___construct, ZEND_ACC_PRIVATE)
	ZEND_ME(WxRedis_CacheItems, current, arginfo_class_WxRedis_CacheItems_current, ZEND_ACC_PUBLIC)
	ZEND_ME(WxRedis_CacheItems, key, arginfo_class_WxRedis_CacheItems_key, ZEND_ACC_PUBLIC)
	ZEND_ME(WxRedis_CacheItems, next, arginfo_class_WxRedis_CacheItems_next, ZEND_ACC_PUBLIC)
	ZEND_ME(WxRedis_CacheItems, rewind, arginfo_class_WxRedis_CacheItems_rewind, ZEND_ACC_PUBLIC)
	ZEND_ME(WxRedis_CacheItems, valid, arginfo_class_WxRedis_CacheItems_valid, ZEND_ACC_PUBLIC)
	ZEND_ME(WxRedis_CacheItems, count, arginfo_class_WxRedis_CacheItems_count, ZEND_ACC_PUBLIC)
	ZEND_ME(WxRedis_CacheItems, toArray, arginfo_class_WxRedis_CacheItems_toArray, ZEND_ACC_PUBLIC)
	ZEND_FE_END
};

static zend_class_entry *register_class_WxRedis_CacheBase(void)
{
	zend_class_entry ce, *class_entry;

	INIT_NS_CLASS_ENTRY(ce, "WxRedis", "CacheBase", class_WxRedis_CacheBase_methods);
	class_entry = zend_register_internal_class_ex(&ce, NULL);
	class_entry->ce_flags |= ZEND_ACC_ABSTRACT|ZEND_ACC_NOT_SERIALIZABLE;

	zval const_ERROR_DSN_value;
	ZVAL_LONG(&const_ERROR_DSN_value, WX_CONN_ERR_DSN);
	zend_string *const_ERROR_DSN_name = zend_string_init_interned("ERROR_DSN", sizeof("ERROR_DSN") - 1, 1);
	zend_declare_class_constant_ex(class_entry, const_ERROR_DSN_name, &const_ERROR_DSN_value, ZEND_ACC_PUBLIC, NULL);
	zend_string_release(const_ERROR_DSN_name);

	zval const_ERROR_CONNECT_value;
	ZVAL_LONG(&const_ERROR_CONNECT_value, WX_CONN_ERR_CONNECT);
	zend_string *const_ERROR_CONNECT_name = zend_string_init_interned("ERROR_CONNECT", sizeof("ERROR_CONNECT") - 1, 1);
	zend_declare_class_constant_ex(class_entry, const_ERROR_CONNECT_name, &const_ERROR_CONNECT_value, ZEND_ACC_PUBLIC, NULL);
	zend_string_release(const_ERROR_CONNECT_name);

	zval const_ERROR_AUTH_value;
	ZVAL_LONG(&const_ERROR_AUTH_value, WX_CONN_ERR_AUTH);
	zend_string *const_ERROR_AUTH_name = zend_string_init_interned("ERROR_AUTH", sizeof("ERROR_AUTH") - 1, 1);
	zend_declare_class_constant_ex(class_entry, const_ERROR_AUTH_name, &const_ERROR_AUTH_value, ZEND_ACC_PUBLIC, NULL);
	zend_string_release(const_ERROR_AUTH_name);

	zval const_ERROR_SELECT_value;
	ZVAL_LONG(&const_ERROR_SELECT_value, WX_CONN_ERR_SELECT);
	zend_string *const_ERROR_SELECT_name = zend_string_init_interned("ERROR_SELECT", sizeof("ERROR_SELECT") - 1, 1);
	zend_declare_class_constant_ex(class_entry, const_ERROR_SELECT_name, &const_ERROR_SELECT_value, ZEND_ACC_PUBLIC, NULL);
	zend_string_release(const_ERROR_SELECT_name);

	zval const_ERROR_IO_value;
	ZVAL_LONG(&const_ERROR_IO_value, WX_CONN_ERR_IO);
	zend_string *const_ERROR_IO_name = zend_string_init_interned("ERROR_IO", sizeof("ERROR_IO") - 1, 1);
	zend_declare_class_constant_ex(class_entry, const_ERROR_IO_name, &const_ERROR_IO_value, ZEND_ACC_PUBLIC, NULL);
	zend_string_release(const_ERROR_IO_name);

	zval const_ERROR_PROTOCOL_value;
	ZVAL_LONG(&const_ERROR_PROTOCOL_value, WX_CONN_ERR_PROTOCOL);
	zend_string *const_ERROR_PROTOCOL_name = zend_string_init_interned("ERROR_PROTOCOL", sizeof("ERROR_PROTOCOL") - 1, 1);
	zend_declare_class_constant_ex(class_entry, const_ERROR_PROTOCOL_name, &const_ERROR_PROTOCOL_value, ZEND_ACC_PUBLIC, NULL);
	zend_string_release(const_ERROR_PROTOCOL_name);

	zval const_ERROR_REPLY_value;
	ZVAL_LONG(&const_ERROR_REPLY_value, WX_CONN_ERR_REPLY);
	zend_string *const_ERROR_REPLY_name = zend_string_init_interned("ERROR_REPLY", sizeof("ERROR_REPLY") - 1, 1);
	zend_declare_class_constant_ex(class_entry, const_ERROR_REPLY_name, &const_ERROR_REPLY_value, ZEND_ACC_PUBLIC, NULL);
	zend_string_release(const_ERROR_REPLY_name);

	zval const_ERROR_FORMAT_value;
	ZVAL_LONG(&const_ERROR_FORMAT_value, WX_CACHE_ERR_FORMAT);
	zend_string *const_ERROR_FORMAT_name = zend_string_init_interned("ERROR_FORMAT", sizeof("ERROR_FORMAT") - 1, 1);
	zend_declare_class_constant_ex(class_entry, const_ERROR_FORMAT_name, &const_ERROR_FORMAT_value, ZEND_ACC_PUBLIC, NULL);
	zend_string_release(const_ERROR_FORMAT_name);

	zval const_ERROR_CORRUPT_value;
	ZVAL_LONG(&const_ERROR_CORRUPT_value, WX_CACHE_ERR_CORRUPT);
	zend_string *const_ERROR_CORRUPT_name = zend_string_init_interned("ERROR_CORRUPT", sizeof("ERROR_CORRUPT") - 1, 1);
	zend_declare_class_constant_ex(class_entry, const_ERROR_CORRUPT_name, &const_ERROR_CORRUPT_value, ZEND_ACC_PUBLIC, NULL);
	zend_string_release(const_ERROR_CORRUPT_name);

	zval const_ERROR_SERIALIZE_value;
	ZVAL_LONG(&const_ERROR_SERIALIZE_value, WX_CACHE_ERR_SERIALIZE);
	zend_string *const_ERROR_SERIALIZE_name = zend_string_init_interned("ERROR_SERIALIZE", sizeof("ERROR_SERIALIZE") - 1, 1);
	zend_declare_class_constant_ex(class_entry, const_ERROR_SERIALIZE_name, &const_ERROR_SERIALIZE_value, ZEND_ACC_PUBLIC, NULL);
	zend_string_release(const_ERROR_SERIALIZE_name);

	zval const_ERROR_UNSAFE_value;
	ZVAL_LONG(&const_ERROR_UNSAFE_value, WX_CACHE_ERR_UNSAFE);
	zend_string *const_ERROR_UNSAFE_name = zend_string_init_interned("ERROR_UNSAFE", sizeof("ERROR_UNSAFE") - 1, 1);
	zend_declare_class_constant_ex(class_entry, const_ERROR_UNSAFE_name, &const_ERROR_UNSAFE_value, ZEND_ACC_PUBLIC, NULL);
	zend_string_release(const_ERROR_UNSAFE_name);

	zval const_ERROR_REPLICAS_value;
	ZVAL_LONG(&const_ERROR_REPLICAS_value, WX_CACHE_ERR_REPLICAS);
	zend_string *const_ERROR_REPLICAS_name = zend_string_init_interned("ERROR_REPLICAS", sizeof("ERROR_REPLICAS") - 1, 1);
	zend_declare_class_constant_ex(class_entry, const_ERROR_REPLICAS_name, &const_ERROR_REPLICAS_value, ZEND_ACC_PUBLIC, NULL);
	zend_string_release(const_ERROR_REPLICAS_name);

	zval const_ERROR_KEY_value;
	ZVAL_LONG(&const_ERROR_KEY_value, WX_CACHE_ERR_KEY);
	zend_string *const_ERROR_KEY_name = zend_string_init_interned("ERROR_KEY", sizeof("ERROR_KEY") - 1, 1);
	zend_declare_class_constant_ex(class_entry, const_ERROR_KEY_name, &const_ERROR_KEY_value, ZEND_ACC_PUBLIC, NULL);
	zend_string_release(const_ERROR_KEY_name);

	zval const_ERROR_TTL_value;
	ZVAL_LONG(&const_ERROR_TTL_value, WX_CACHE_ERR_TTL);
	zend_string *const_ERROR_TTL_name = zend_string_init_interned("ERROR_TTL", sizeof("ERROR_TTL") - 1, 1);
	zend_declare_class_constant_ex(class_entry, const_ERROR_TTL_name, &const_ERROR_TTL_value, ZEND_ACC_PUBLIC, NULL);
	zend_string_release(const_ERROR_TTL_name);

	zval const_ERROR_ARGUMENT_value;
	ZVAL_LONG(&const_ERROR_ARGUMENT_value, WX_CACHE_ERR_ARGUMENT);
	zend_string *const_ERROR_ARGUMENT_name = zend_string_init_interned("ERROR_ARGUMENT", sizeof("ERROR_ARGUMENT") - 1, 1);
	zend_declare_class_constant_ex(class_entry, const_ERROR_ARGUMENT_name, &const_ERROR_ARGUMENT_value, ZEND_ACC_PUBLIC, NULL);
	zend_string_release(const_ERROR_ARGUMENT_name);

	return class_entry;
}

static zend_class_entry *register_class_WxRedis_CacheItems(zend_class_entry *class_entry_Iterator, zend_class_entry *class_entry_Countable)
{
	zend_class_entry ce, *class_entry;

	INIT_NS_CLASS_ENTRY(ce, "WxRedis", "CacheItems", class_WxRedis_CacheItems_methods);
	class_entry = zend_register_internal_class_ex(&ce, NULL);
	class_entry->ce_flags |= ZEND_ACC_FINAL|ZEND_ACC_NO_DYNAMIC_PROPERTIES|ZEND_ACC_NOT_SERIALIZABLE;
	zend_class_implements(class_entry, 2, class_entry_Iterator, class_entry_Countable);

	return class_entry;
}
