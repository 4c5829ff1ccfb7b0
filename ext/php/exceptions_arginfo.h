/* This is a generated file, edit the .stub.php file instead.
 * Stub hash: 46bcfae8f38f53d1b45cf20c3ba6c61e1d9beaa7 */

ZEND_BEGIN_ARG_WITH_RETURN_TYPE_INFO_EX(arginfo_class_WxRedis_ApiException_getErrcode, 0, 0, IS_LONG, 0)
ZEND_END_ARG_INFO()

ZEND_BEGIN_ARG_WITH_RETURN_TYPE_INFO_EX(arginfo_class_WxRedis_ApiException_getErrmsg, 0, 0, IS_STRING, 0)
ZEND_END_ARG_INFO()

#define arginfo_class_WxRedis_ApiException_getApi arginfo_class_WxRedis_ApiException_getErrmsg


ZEND_METHOD(WxRedis_ApiException, getErrcode);
ZEND_METHOD(WxRedis_ApiException, getErrmsg);
ZEND_METHOD(WxRedis_ApiException, getApi);


static const zend_function_entry class_WxRedis_Exception_methods[] = {
	ZEND_FE_END
};


static const zend_function_entry class_WxRedis_CryptException_methods[] = {
	ZEND_FE_END
};


static const zend_function_entry class_WxRedis_TicketException_methods[] = {
	ZEND_FE_END
};


static const zend_function_entry class_WxRedis_ApiException_methods[] = {
	ZEND_ME(WxRedis_ApiException, getErrcode, arginfo_class_WxRedis_ApiException_getErrcode, ZEND_ACC_PUBLIC)
	ZEND_ME(WxRedis_ApiException, getErrmsg, arginfo_class_WxRedis_ApiException_getErrmsg, ZEND_ACC_PUBLIC)
	ZEND_ME(WxRedis_ApiException, getApi, arginfo_class_WxRedis_ApiException_getApi, ZEND_ACC_PUBLIC)
	ZEND_FE_END
};


static const zend_function_entry class_WxRedis_HttpException_methods[] = {
	ZEND_FE_END
};

static zend_class_entry *register_class_WxRedis_Exception(zend_class_entry *class_entry_Throwable)
{
	zend_class_entry ce, *class_entry;

	INIT_NS_CLASS_ENTRY(ce, "WxRedis", "Exception", class_WxRedis_Exception_methods);
	class_entry = zend_register_internal_interface(&ce);
	zend_class_implements(class_entry, 1, class_entry_Throwable);

	return class_entry;
}

static zend_class_entry *register_class_WxRedis_CryptException(zend_class_entry *class_entry_RuntimeException, zend_class_entry *class_entry_WxRedis_Exception)
{
	zend_class_entry ce, *class_entry;

	INIT_NS_CLASS_ENTRY(ce, "WxRedis", "CryptException", class_WxRedis_CryptException_methods);
	class_entry = zend_register_internal_class_ex(&ce, class_entry_RuntimeException);
	zend_class_implements(class_entry, 1, class_entry_WxRedis_Exception);

	return class_entry;
}

static zend_class_entry *register_class_WxRedis_TicketException(zend_class_entry *class_entry_RuntimeException, zend_class_entry *class_entry_WxRedis_Exception)
{
	zend_class_entry ce, *class_entry;

	INIT_NS_CLASS_ENTRY(ce, "WxRedis", "TicketException", class_WxRedis_TicketException_methods);
	class_entry = zend_register_internal_class_ex(&ce, class_entry_RuntimeException);
	zend_class_implements(class_entry, 1, class_entry_WxRedis_Exception);

	return class_entry;
}

static zend_class_entry *register_class_WxRedis_ApiException(zend_class_entry *class_entry_RuntimeException, zend_class_entry *class_entry_WxRedis_Exception)
{
	zend_class_entry ce, *class_entry;

	INIT_NS_CLASS_ENTRY(ce, "WxRedis", "ApiException", class_WxRedis_ApiException_methods);
	class_entry = zend_register_internal_class_ex(&ce, class_entry_RuntimeException);
	zend_class_implements(class_entry, 1, class_entry_WxRedis_Exception);

	zval property_errcode_default_value;
	ZVAL_LONG(&property_errcode_default_value, 0);
	zend_string *property_errcode_name = zend_string_init("errcode", sizeof("errcode") - 1, 1);
	zend_declare_typed_property(class_entry, property_errcode_name, &property_errcode_default_value, ZEND_ACC_PRIVATE, NULL, (zend_type) ZEND_TYPE_INIT_MASK(MAY_BE_LONG));
	zend_string_release(property_errcode_name);

	zval property_errmsg_default_value;
	ZVAL_EMPTY_STRING(&property_errmsg_default_value);
	zend_string *property_errmsg_name = zend_string_init("errmsg", sizeof("errmsg") - 1, 1);
	zend_declare_typed_property(class_entry, property_errmsg_name, &property_errmsg_default_value, ZEND_ACC_PRIVATE, NULL, (zend_type) ZEND_TYPE_INIT_MASK(MAY_BE_STRING));
	zend_string_release(property_errmsg_name);

	zval property_api_default_value;
	ZVAL_EMPTY_STRING(&property_api_default_value);
	zend_string *property_api_name = zend_string_init("api", sizeof("api") - 1, 1);
	zend_declare_typed_property(class_entry, property_api_name, &property_api_default_value, ZEND_ACC_PRIVATE, NULL, (zend_type) ZEND_TYPE_INIT_MASK(MAY_BE_STRING));
	zend_string_release(property_api_name);

	return class_entry;
}

static zend_class_entry *register_class_WxRedis_HttpException(zend_class_entry *class_entry_RuntimeException, zend_class_entry *class_entry_WxRedis_Exception)
{
	zend_class_entry ce, *class_entry;

	INIT_NS_CLASS_ENTRY(ce, "WxRedis", "HttpException", class_WxRedis_HttpException_methods);
	class_entry = zend_register_internal_class_ex(&ce, class_entry_RuntimeException);
	zend_class_implements(class_entry, 1, class_entry_WxRedis_Exception);

	return class_entry;
}
