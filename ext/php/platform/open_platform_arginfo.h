/* This is a generated file, edit the .stub.php file instead.
 * Stub hash: 67c960f43931c8b818023f9cbe4b0aa69565dd95 */

ZEND_BEGIN_ARG_INFO_EX(arginfo_class_WxRedis_OpenPlatform___construct, 0, 0, 2)
	ZEND_ARG_TYPE_INFO(0, config, IS_ARRAY, 0)
	ZEND_ARG_OBJ_INFO(0, cache, WxRedis\\Cache, 0)
ZEND_END_ARG_INFO()

ZEND_BEGIN_ARG_WITH_RETURN_TYPE_INFO_EX(arginfo_class_WxRedis_OpenPlatform_handleCallback, 0, 2, IS_STRING, 0)
	ZEND_ARG_TYPE_INFO(0, query, IS_ARRAY, 0)
	ZEND_ARG_TYPE_INFO(0, body, IS_STRING, 0)
	ZEND_ARG_TYPE_INFO_WITH_DEFAULT_VALUE(0, handler, IS_CALLABLE, 1, "null")
ZEND_END_ARG_INFO()

ZEND_BEGIN_ARG_WITH_RETURN_TYPE_INFO_EX(arginfo_class_WxRedis_OpenPlatform_getVerifyTicket, 0, 0, IS_STRING, 1)
ZEND_END_ARG_INFO()

ZEND_BEGIN_ARG_WITH_RETURN_TYPE_INFO_EX(arginfo_class_WxRedis_OpenPlatform_setVerifyTicket, 0, 1, IS_VOID, 0)
	ZEND_ARG_TYPE_INFO(0, ticket, IS_STRING, 0)
ZEND_END_ARG_INFO()

ZEND_BEGIN_ARG_WITH_RETURN_TYPE_INFO_EX(arginfo_class_WxRedis_OpenPlatform_getComponentAccessToken, 0, 0, IS_STRING, 0)
ZEND_END_ARG_INFO()

ZEND_BEGIN_ARG_WITH_RETURN_TYPE_INFO_EX(arginfo_class_WxRedis_OpenPlatform_invalidateComponentAccessToken, 0, 1, _IS_BOOL, 0)
	ZEND_ARG_TYPE_INFO(0, token, IS_STRING, 0)
ZEND_END_ARG_INFO()

#define arginfo_class_WxRedis_OpenPlatform_createPreAuthCode arginfo_class_WxRedis_OpenPlatform_getComponentAccessToken

ZEND_BEGIN_ARG_WITH_RETURN_TYPE_INFO_EX(arginfo_class_WxRedis_OpenPlatform_getPreAuthorizationUrl, 0, 1, IS_STRING, 0)
	ZEND_ARG_TYPE_INFO(0, redirectUri, IS_STRING, 0)
	ZEND_ARG_TYPE_INFO_WITH_DEFAULT_VALUE(0, authType, IS_LONG, 1, "null")
	ZEND_ARG_TYPE_INFO_WITH_DEFAULT_VALUE(0, bizAppId, IS_STRING, 1, "null")
ZEND_END_ARG_INFO()

ZEND_BEGIN_ARG_WITH_RETURN_TYPE_INFO_EX(arginfo_class_WxRedis_OpenPlatform_handleAuthorization, 0, 1, IS_ARRAY, 0)
	ZEND_ARG_TYPE_INFO(0, authCode, IS_STRING, 0)
ZEND_END_ARG_INFO()

ZEND_BEGIN_ARG_WITH_RETURN_TYPE_INFO_EX(arginfo_class_WxRedis_OpenPlatform_getAuthorizerAccessToken, 0, 1, IS_STRING, 0)
	ZEND_ARG_TYPE_INFO(0, authorizerAppId, IS_STRING, 0)
ZEND_END_ARG_INFO()

ZEND_BEGIN_ARG_WITH_RETURN_TYPE_INFO_EX(arginfo_class_WxRedis_OpenPlatform_invalidateAuthorizerAccessToken, 0, 2, _IS_BOOL, 0)
	ZEND_ARG_TYPE_INFO(0, authorizerAppId, IS_STRING, 0)
	ZEND_ARG_TYPE_INFO(0, token, IS_STRING, 0)
ZEND_END_ARG_INFO()

ZEND_BEGIN_ARG_WITH_RETURN_TYPE_INFO_EX(arginfo_class_WxRedis_OpenPlatform_getAuthorizerRefreshToken, 0, 1, IS_STRING, 1)
	ZEND_ARG_TYPE_INFO(0, authorizerAppId, IS_STRING, 0)
ZEND_END_ARG_INFO()

ZEND_BEGIN_ARG_WITH_RETURN_TYPE_INFO_EX(arginfo_class_WxRedis_OpenPlatform_setAuthorizerRefreshToken, 0, 2, IS_VOID, 0)
	ZEND_ARG_TYPE_INFO(0, authorizerAppId, IS_STRING, 0)
	ZEND_ARG_TYPE_INFO(0, refreshToken, IS_STRING, 0)
ZEND_END_ARG_INFO()

ZEND_BEGIN_ARG_WITH_RETURN_TYPE_INFO_EX(arginfo_class_WxRedis_OpenPlatform_refreshDue, 0, 0, IS_ARRAY, 0)
	ZEND_ARG_TYPE_INFO_WITH_DEFAULT_VALUE(0, limit, IS_LONG, 0, "100")
ZEND_END_ARG_INFO()

ZEND_BEGIN_ARG_WITH_RETURN_TYPE_INFO_EX(arginfo_class_WxRedis_OpenPlatform_recoverRefreshTokens, 0, 0, IS_ARRAY, 0)
ZEND_END_ARG_INFO()

#define arginfo_class_WxRedis_OpenPlatform_clearQuota arginfo_class_WxRedis_OpenPlatform_recoverRefreshTokens


ZEND_METHOD(WxRedis_OpenPlatform, __construct);
ZEND_METHOD(WxRedis_OpenPlatform, handleCallback);
ZEND_METHOD(WxRedis_OpenPlatform, getVerifyTicket);
ZEND_METHOD(WxRedis_OpenPlatform, setVerifyTicket);
ZEND_METHOD(WxRedis_OpenPlatform, getComponentAccessToken);
ZEND_METHOD(WxRedis_OpenPlatform, invalidateComponentAccessToken);
ZEND_METHOD(WxRedis_OpenPlatform, createPreAuthCode);
ZEND_METHOD(WxRedis_OpenPlatform, getPreAuthorizationUrl);
ZEND_METHOD(WxRedis_OpenPlatform, handleAuthorization);
ZEND_METHOD(WxRedis_OpenPlatform, getAuthorizerAccessToken);
ZEND_METHOD(WxRedis_OpenPlatform, invalidateAuthorizerAccessToken);
ZEND_METHOD(WxRedis_OpenPlatform, getAuthorizerRefreshToken);
ZEND_METHOD(WxRedis_OpenPlatform, setAuthorizerRefreshToken);
ZEND_METHOD(WxRedis_OpenPlatform, refreshDue);
ZEND_METHOD(WxRedis_OpenPlatform, recoverRefreshTokens);
ZEND_METHOD(WxRedis_OpenPlatform, clearQuota);


static const zend_function_entry class_WxRedis_OpenPlatform_methods[] = {
	ZEND_ME(WxRedis_OpenPlatform, __construct, arginfo_class_WxRedis_OpenPlatform___construct, ZEND_ACC_PUBLIC)
	ZEND_ME(WxRedis_OpenPlatform, handleCallback, arginfo_class_WxRedis_OpenPlatform_handleCallback, ZEND_ACC_PUBLIC)
	ZEND_ME(WxRedis_OpenPlatform, getVerifyTicket, arginfo_class_WxRedis_OpenPlatform_getVerifyTicket, ZEND_ACC_PUBLIC)
	ZEND_ME(WxRedis_OpenPlatform, setVerifyTicket, arginfo_class_WxRedis_OpenPlatform_setVerifyTicket, ZEND_ACC_PUBLIC)
	ZEND_ME(WxRedis_OpenPlatform, getComponentAccessToken, arginfo_class_WxRedis_OpenPlatform_getComponentAccessToken, ZEND_ACC_PUBLIC)
	ZEND_ME(WxRedis_OpenPlatform, invalidateComponentAccessToken, arginfo_class_WxRedis_OpenPlatform_invalidateComponentAccessToken, ZEND_ACC_PUBLIC)
	ZEND_ME(WxRedis_OpenPlatform, createPreAuthCode, arginfo_class_WxRedis_OpenPlatform_createPreAuthCode, ZEND_ACC_PUBLIC)
	ZEND_ME(WxRedis_OpenPlatform, getPreAuthorizationUrl, arginfo_class_WxRedis_OpenPlatform_getPreAuthorizationUrl, ZEND_ACC_PUBLIC)
	ZEND_ME(WxRedis_OpenPlatform, handleAuthorization, arginfo_class_WxRedis_OpenPlatform_handleAuthorization, ZEND_ACC_PUBLIC)
	ZEND_ME(WxRedis_OpenPlatform, getAuthorizerAccessToken, arginfo_class_WxRedis_OpenPlatform_getAuthorizerAccessToken, ZEND_ACC_PUBLIC)
	ZEND_ME(WxRedis_OpenPlatform, invalidateAuthorizerAccessToken, arginfo_class_WxRedis_OpenPlatform_invalidateAuthorizerAccessToken, ZEND_ACC_PUBLIC)
	ZEND_ME(WxRedis_OpenPlatform, getAuthorizerRefreshToken, arginfo_class_WxRedis_OpenPlatform_getAuthorizerRefreshToken, ZEND_ACC_PUBLIC)
	ZEND_ME(WxRedis_OpenPlatform, setAuthorizerRefreshToken, arginfo_class_WxRedis_OpenPlatform_setAuthorizerRefreshToken, ZEND_ACC_PUBLIC)
	ZEND_ME(WxRedis_OpenPlatform, refreshDue, arginfo_class_WxRedis_OpenPlatform_refreshDue, ZEND_ACC_PUBLIC)
	ZEND_ME(WxRedis_OpenPlatform, recoverRefreshTokens, arginfo_class_WxRedis_OpenPlatform_recoverRefreshTokens, ZEND_ACC_PUBLIC)
	ZEND_ME(WxRedis_OpenPlatform, clearQuota, arginfo_class_WxRedis_OpenPlatform_clearQuota, ZEND_ACC_PUBLIC)
	ZEND_FE_END
};

static zend_class_entry *register_class_WxRedis_OpenPlatform(void)
{
	zend_class_entry ce, *class_entry;

	INIT_NS_CLASS_ENTRY(ce, "WxRedis", "OpenPlatform", class_WxRedis_OpenPlatform_methods);
	class_entry = zend_register_internal_class_ex(&ce, NULL);
	class_entry->ce_flags |= ZEND_ACC_NO_DYNAMIC_PROPERTIES|ZEND_ACC_NOT_SERIALIZABLE;

	zval const_ERROR_CONFIG_value;
	ZVAL_LONG(&const_ERROR_CONFIG_value, WX_OP_ERR_CONFIG);
	zend_string *const_ERROR_CONFIG_name = zend_string_init_interned("ERROR_CONFIG", sizeof("ERROR_CONFIG") - 1, 1);
	zend_declare_class_constant_ex(class_entry, const_ERROR_CONFIG_name, &const_ERROR_CONFIG_value, ZEND_ACC_PUBLIC, NULL);
	zend_string_release(const_ERROR_CONFIG_name);

	zval const_ERROR_NO_REFRESH_TOKEN_value;
	ZVAL_LONG(&const_ERROR_NO_REFRESH_TOKEN_value, WX_OP_ERR_NO_REFRESH_TOKEN);
	zend_string *const_ERROR_NO_REFRESH_TOKEN_name = zend_string_init_interned("ERROR_NO_REFRESH_TOKEN", sizeof("ERROR_NO_REFRESH_TOKEN") - 1, 1);
	zend_declare_class_constant_ex(class_entry, const_ERROR_NO_REFRESH_TOKEN_name, &const_ERROR_NO_REFRESH_TOKEN_value, ZEND_ACC_PUBLIC, NULL);
	zend_string_release(const_ERROR_NO_REFRESH_TOKEN_name);

	return class_entry;
}
