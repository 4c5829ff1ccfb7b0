/* This is a generated file, edit the .stub.php file instead.
 * Stub hash: b71bedd57d64ce2717dc1ede5fc121f7ef06ce93 */

ZEND_BEGIN_ARG_INFO_EX(arginfo_class_WxRedis_MessageCrypt___construct, 0, 0, 3)
	ZEND_ARG_TYPE_INFO(0, token, IS_STRING, 0)
	ZEND_ARG_TYPE_INFO(0, encodingAesKey, IS_STRING, 0)
	ZEND_ARG_TYPE_INFO(0, appId, IS_STRING, 0)
	ZEND_ARG_TYPE_INFO_WITH_DEFAULT_VALUE(0, previousAesKey, IS_STRING, 1, "null")
ZEND_END_ARG_INFO()

ZEND_BEGIN_ARG_WITH_RETURN_TYPE_INFO_EX(arginfo_class_WxRedis_MessageCrypt_decryptMessage, 0, 2, IS_STRING, 0)
	ZEND_ARG_TYPE_INFO(0, query, IS_ARRAY, 0)
	ZEND_ARG_TYPE_INFO(0, body, IS_STRING, 0)
ZEND_END_ARG_INFO()

ZEND_BEGIN_ARG_WITH_RETURN_TYPE_INFO_EX(arginfo_class_WxRedis_MessageCrypt_decrypt, 0, 4, IS_STRING, 0)
	ZEND_ARG_TYPE_INFO(0, encrypt, IS_STRING, 0)
	ZEND_ARG_TYPE_INFO(0, msgSignature, IS_STRING, 0)
	ZEND_ARG_TYPE_INFO(0, timestamp, IS_STRING, 0)
	ZEND_ARG_TYPE_INFO(0, nonce, IS_STRING, 0)
ZEND_END_ARG_INFO()

ZEND_BEGIN_ARG_WITH_RETURN_TYPE_INFO_EX(arginfo_class_WxRedis_MessageCrypt_encrypt, 0, 1, IS_STRING, 0)
	ZEND_ARG_TYPE_INFO(0, plaintextXml, IS_STRING, 0)
	ZEND_ARG_TYPE_INFO_WITH_DEFAULT_VALUE(0, timestamp, IS_STRING, 1, "null")
	ZEND_ARG_TYPE_INFO_WITH_DEFAULT_VALUE(0, nonce, IS_STRING, 1, "null")
	ZEND_ARG_TYPE_INFO_WITH_DEFAULT_VALUE(0, random, IS_STRING, 1, "null")
ZEND_END_ARG_INFO()

ZEND_BEGIN_ARG_WITH_RETURN_TYPE_INFO_EX(arginfo_class_WxRedis_MessageCrypt_signature, 0, 3, IS_STRING, 0)
	ZEND_ARG_TYPE_INFO(0, timestamp, IS_STRING, 0)
	ZEND_ARG_TYPE_INFO(0, nonce, IS_STRING, 0)
	ZEND_ARG_TYPE_INFO(0, encrypt, IS_STRING, 0)
ZEND_END_ARG_INFO()

ZEND_BEGIN_ARG_WITH_RETURN_TYPE_INFO_EX(arginfo_class_WxRedis_MessageCrypt_verifyUrl, 0, 3, _IS_BOOL, 0)
	ZEND_ARG_TYPE_INFO(0, signature, IS_STRING, 0)
	ZEND_ARG_TYPE_INFO(0, timestamp, IS_STRING, 0)
	ZEND_ARG_TYPE_INFO(0, nonce, IS_STRING, 0)
ZEND_END_ARG_INFO()

ZEND_BEGIN_ARG_WITH_RETURN_TYPE_INFO_EX(arginfo_class_WxRedis_MessageCrypt_usedPreviousKey, 0, 0, _IS_BOOL, 0)
ZEND_END_ARG_INFO()

ZEND_BEGIN_ARG_WITH_RETURN_TYPE_INFO_EX(arginfo_class_WxRedis_MessageCrypt_parseXml, 0, 1, IS_ARRAY, 0)
	ZEND_ARG_TYPE_INFO(0, xml, IS_STRING, 0)
ZEND_END_ARG_INFO()


ZEND_METHOD(WxRedis_MessageCrypt, __construct);
ZEND_METHOD(WxRedis_MessageCrypt, decryptMessage);
ZEND_METHOD(WxRedis_MessageCrypt, decrypt);
ZEND_METHOD(WxRedis_MessageCrypt, encrypt);
ZEND_METHOD(WxRedis_MessageCrypt, signature);
ZEND_METHOD(WxRedis_MessageCrypt, verifyUrl);
ZEND_METHOD(WxRedis_MessageCrypt, usedPreviousKey);
ZEND_METHOD(WxRedis_MessageCrypt, parseXml);


static const zend_function_entry class_WxRedis_MessageCrypt_methods[] = {
	ZEND_ME(WxRedis_MessageCrypt, __construct, arginfo_class_WxRedis_MessageCrypt___construct, ZEND_ACC_PUBLIC)
	ZEND_ME(WxRedis_MessageCrypt, decryptMessage, arginfo_class_WxRedis_MessageCrypt_decryptMessage, ZEND_ACC_PUBLIC)
	ZEND_ME(WxRedis_MessageCrypt, decrypt, arginfo_class_WxRedis_MessageCrypt_decrypt, ZEND_ACC_PUBLIC)
	ZEND_ME(WxRedis_MessageCrypt, encrypt, arginfo_class_WxRedis_MessageCrypt_encrypt, ZEND_ACC_PUBLIC)
	ZEND_ME(WxRedis_MessageCrypt, signature, arginfo_class_WxRedis_MessageCrypt_signature, ZEND_ACC_PUBLIC)
	ZEND_ME(WxRedis_MessageCrypt, verifyUrl, arginfo_class_WxRedis_MessageCrypt_verifyUrl, ZEND_ACC_PUBLIC)
	ZEND_ME(WxRedis_MessageCrypt, usedPreviousKey, arginfo_class_WxRedis_MessageCrypt_usedPreviousKey, ZEND_ACC_PUBLIC)
	ZEND_ME(WxRedis_MessageCrypt, parseXml, arginfo_class_WxRedis_MessageCrypt_parseXml, ZEND_ACC_PUBLIC|ZEND_ACC_STATIC)
	ZEND_FE_END
};

static zend_class_entry *register_class_WxRedis_MessageCrypt(void)
{
	zend_class_entry ce, *class_entry;

	INIT_NS_CLASS_ENTRY(ce, "WxRedis", "MessageCrypt", class_WxRedis_MessageCrypt_methods);
	class_entry = zend_register_internal_class_ex(&ce, NULL);
	class_entry->ce_flags |= ZEND_ACC_FINAL|ZEND_ACC_NO_DYNAMIC_PROPERTIES|ZEND_ACC_NOT_SERIALIZABLE;

	zval const_ERROR_VALIDATE_SIGNATURE_value;
	ZVAL_LONG(&const_ERROR_VALIDATE_SIGNATURE_value, WX_CRYPT_ERR_VALIDATE_SIGNATURE);
	zend_string *const_ERROR_VALIDATE_SIGNATURE_name = zend_string_init_interned("ERROR_VALIDATE_SIGNATURE", sizeof("ERROR_VALIDATE_SIGNATURE") - 1, 1);
	zend_declare_class_constant_ex(class_entry, const_ERROR_VALIDATE_SIGNATURE_name, &const_ERROR_VALIDATE_SIGNATURE_value, ZEND_ACC_PUBLIC, NULL);
	zend_string_release(const_ERROR_VALIDATE_SIGNATURE_name);

	zval const_ERROR_PARSE_XML_value;
	ZVAL_LONG(&const_ERROR_PARSE_XML_value, WX_CRYPT_ERR_PARSE_XML);
	zend_string *const_ERROR_PARSE_XML_name = zend_string_init_interned("ERROR_PARSE_XML", sizeof("ERROR_PARSE_XML") - 1, 1);
	zend_declare_class_constant_ex(class_entry, const_ERROR_PARSE_XML_name, &const_ERROR_PARSE_XML_value, ZEND_ACC_PUBLIC, NULL);
	zend_string_release(const_ERROR_PARSE_XML_name);

	zval const_ERROR_COMPUTE_SIGNATURE_value;
	ZVAL_LONG(&const_ERROR_COMPUTE_SIGNATURE_value, WX_CRYPT_ERR_COMPUTE_SIGNATURE);
	zend_string *const_ERROR_COMPUTE_SIGNATURE_name = zend_string_init_interned("ERROR_COMPUTE_SIGNATURE", sizeof("ERROR_COMPUTE_SIGNATURE") - 1, 1);
	zend_declare_class_constant_ex(class_entry, const_ERROR_COMPUTE_SIGNATURE_name, &const_ERROR_COMPUTE_SIGNATURE_value, ZEND_ACC_PUBLIC, NULL);
	zend_string_release(const_ERROR_COMPUTE_SIGNATURE_name);

	zval const_ERROR_ILLEGAL_AES_KEY_value;
	ZVAL_LONG(&const_ERROR_ILLEGAL_AES_KEY_value, WX_CRYPT_ERR_ILLEGAL_AES_KEY);
	zend_string *const_ERROR_ILLEGAL_AES_KEY_name = zend_string_init_interned("ERROR_ILLEGAL_AES_KEY", sizeof("ERROR_ILLEGAL_AES_KEY") - 1, 1);
	zend_declare_class_constant_ex(class_entry, const_ERROR_ILLEGAL_AES_KEY_name, &const_ERROR_ILLEGAL_AES_KEY_value, ZEND_ACC_PUBLIC, NULL);
	zend_string_release(const_ERROR_ILLEGAL_AES_KEY_name);

	zval const_ERROR_VALIDATE_APPID_value;
	ZVAL_LONG(&const_ERROR_VALIDATE_APPID_value, WX_CRYPT_ERR_VALIDATE_APPID);
	zend_string *const_ERROR_VALIDATE_APPID_name = zend_string_init_interned("ERROR_VALIDATE_APPID", sizeof("ERROR_VALIDATE_APPID") - 1, 1);
	zend_declare_class_constant_ex(class_entry, const_ERROR_VALIDATE_APPID_name, &const_ERROR_VALIDATE_APPID_value, ZEND_ACC_PUBLIC, NULL);
	zend_string_release(const_ERROR_VALIDATE_APPID_name);

	zval const_ERROR_ENCRYPT_AES_value;
	ZVAL_LONG(&const_ERROR_ENCRYPT_AES_value, WX_CRYPT_ERR_ENCRYPT_AES);
	zend_string *const_ERROR_ENCRYPT_AES_name = zend_string_init_interned("ERROR_ENCRYPT_AES", sizeof("ERROR_ENCRYPT_AES") - 1, 1);
	zend_declare_class_constant_ex(class_entry, const_ERROR_ENCRYPT_AES_name, &const_ERROR_ENCRYPT_AES_value, ZEND_ACC_PUBLIC, NULL);
	zend_string_release(const_ERROR_ENCRYPT_AES_name);

	zval const_ERROR_DECRYPT_AES_value;
	ZVAL_LONG(&const_ERROR_DECRYPT_AES_value, WX_CRYPT_ERR_DECRYPT_AES);
	zend_string *const_ERROR_DECRYPT_AES_name = zend_string_init_interned("ERROR_DECRYPT_AES", sizeof("ERROR_DECRYPT_AES") - 1, 1);
	zend_declare_class_constant_ex(class_entry, const_ERROR_DECRYPT_AES_name, &const_ERROR_DECRYPT_AES_value, ZEND_ACC_PUBLIC, NULL);
	zend_string_release(const_ERROR_DECRYPT_AES_name);

	zval const_ERROR_ILLEGAL_BUFFER_value;
	ZVAL_LONG(&const_ERROR_ILLEGAL_BUFFER_value, WX_CRYPT_ERR_ILLEGAL_BUFFER);
	zend_string *const_ERROR_ILLEGAL_BUFFER_name = zend_string_init_interned("ERROR_ILLEGAL_BUFFER", sizeof("ERROR_ILLEGAL_BUFFER") - 1, 1);
	zend_declare_class_constant_ex(class_entry, const_ERROR_ILLEGAL_BUFFER_name, &const_ERROR_ILLEGAL_BUFFER_value, ZEND_ACC_PUBLIC, NULL);
	zend_string_release(const_ERROR_ILLEGAL_BUFFER_name);

	zval const_ERROR_ENCODE_BASE64_value;
	ZVAL_LONG(&const_ERROR_ENCODE_BASE64_value, WX_CRYPT_ERR_ENCODE_BASE64);
	zend_string *const_ERROR_ENCODE_BASE64_name = zend_string_init_interned("ERROR_ENCODE_BASE64", sizeof("ERROR_ENCODE_BASE64") - 1, 1);
	zend_declare_class_constant_ex(class_entry, const_ERROR_ENCODE_BASE64_name, &const_ERROR_ENCODE_BASE64_value, ZEND_ACC_PUBLIC, NULL);
	zend_string_release(const_ERROR_ENCODE_BASE64_name);

	zval const_ERROR_DECODE_BASE64_value;
	ZVAL_LONG(&const_ERROR_DECODE_BASE64_value, WX_CRYPT_ERR_DECODE_BASE64);
	zend_string *const_ERROR_DECODE_BASE64_name = zend_string_init_interned("ERROR_DECODE_BASE64", sizeof("ERROR_DECODE_BASE64") - 1, 1);
	zend_declare_class_constant_ex(class_entry, const_ERROR_DECODE_BASE64_name, &const_ERROR_DECODE_BASE64_value, ZEND_ACC_PUBLIC, NULL);
	zend_string_release(const_ERROR_DECODE_BASE64_name);

	zval const_ERROR_GEN_RETURN_XML_value;
	ZVAL_LONG(&const_ERROR_GEN_RETURN_XML_value, WX_CRYPT_ERR_GEN_RETURN_XML);
	zend_string *const_ERROR_GEN_RETURN_XML_name = zend_string_init_interned("ERROR_GEN_RETURN_XML", sizeof("ERROR_GEN_RETURN_XML") - 1, 1);
	zend_declare_class_constant_ex(class_entry, const_ERROR_GEN_RETURN_XML_name, &const_ERROR_GEN_RETURN_XML_value, ZEND_ACC_PUBLIC, NULL);
	zend_string_release(const_ERROR_GEN_RETURN_XML_name);

	return class_entry;
}
