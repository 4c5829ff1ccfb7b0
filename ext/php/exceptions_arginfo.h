/* This is a generated file, edit the .stub.php file instead.
 * Stub hash: 79d8918aa71678ff4f01bd87e75c94cd3d70465a */




static const zend_function_entry class_WxRedis_Exception_methods[] = {
	ZEND_FE_END
};


static const zend_function_entry class_WxRedis_CryptException_methods[] = {
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
