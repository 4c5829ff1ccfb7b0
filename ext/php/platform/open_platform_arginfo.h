/* This is a generated file, edit the .stub.php file instead.
 * Stub hash: ad92401619705c214111d3f070372f0cb8fa281f */

ZEND_BEGIN_ARG_INFO_EX(arginfo_class_WxRedis_OpenPlatformBase___construct, 0, 0, 2)
	ZEND_ARG_TYPE_INFO(0, config, IS_ARRAY, 0)
	ZEND_ARG_OBJ_INFO(0, cache, WxRedis\\Cache, 0)
ZEND_END_ARG_INFO()

ZEND_BEGIN_ARG_WITH_RETURN_TYPE_INFO_EX(arginfo_class_WxRedis_OpenPlatformBase_handleCallback, 0, 2, IS_STRING, 0)
	ZEND_ARG_TYPE_INFO(0, query, IS_ARRAY, 0)
	ZEND_ARG_TYPE_INFO(0, body, IS_STRING, 0)
	ZEND_ARG_TYPE_INFO_WITH_DEFAULT_VALUE(0, handler, IS_CALLABLE, 1, "null")
ZEND_END_ARG_INFO()

ZEND_BEGIN_ARG_WITH_RETURN_TYPE_INFO_EX(arginfo_class_WxRedis_OpenPlatformBase_getVerifyTicket, 0, 0, IS_STRING, 1)
ZEND_END_ARG_INFO()

ZEND_BEGIN_ARG_WITH_RETURN_TYPE_INFO_EX(arginfo_class_WxRedis_OpenPlatformBase_setVerifyTicket, 0, 1, IS_VOID, 0)
	ZEND_ARG_TYPE_INFO(0, ticket, IS_STRING, 0)
ZEND_END_ARG_INFO()

ZEND_BEGIN_ARG_WITH_RETURN_TYPE_INFO_EX(arginfo_class_WxRedis_OpenPlatformBase_getComponentAccessToken, 0, 0, IS_STRING, 0)
ZEND_END_ARG_INFO()

ZEND_BEGIN_ARG_WITH_RETURN_TYPE_INFO_EX(arginfo_class_WxRedis_OpenPlatformBase_invalidateComponentAccessToken, 0, 1, _IS_BOOL, 0)
	ZEND_ARG_TYPE_INFO(0, token, IS_STRING, 0)
ZEND_END_ARG_INFO()

#define arginfo_class_WxRedis_OpenPlatformBase_createPreAuthCode arginfo_class_WxRedis_OpenPlatformBase_getComponentAccessToken

ZEND_BEGIN_ARG_WITH_RETURN_TYPE_INFO_EX(arginfo_class_WxRedis_OpenPlatformBase_getPreAuthorizationUrl, 0, 1, IS_STRING, 0)
	ZEND_ARG_TYPE_INFO(0, redirectUri, IS_STRING, 0)
	ZEND_ARG_TYPE_INFO_WITH_DEFAULT_VALUE(0, authType, IS_LONG, 1, "null")
	ZEND_ARG_TYPE_INFO_WITH_DEFAULT_VALUE(0, bizAppId, IS_STRING, 1, "null")
ZEND_END_ARG_INFO()

ZEND_BEGIN_ARG_WITH_RETURN_TYPE_INFO_EX(arginfo_class_WxRedis_OpenPlatformBase_handleAuthorization, 0, 1, IS_ARRAY, 0)
	ZEND_ARG_TYPE_INFO(0, authCode, IS_STRING, 0)
ZEND_END_ARG_INFO()

ZEND_BEGIN_ARG_WITH_RETURN_TYPE_INFO_EX(arginfo_class_WxRedis_OpenPlatformBase_getAuthorizerAccessToken, 0, 1, IS_STRING, 0)
	ZEND_ARG_TYPE_INFO(0, authorizerAppId, IS_STRING, 0)
ZEND_END_ARG_INFO()

ZEND_BEGIN_ARG_WITH_RETURN_TYPE_INFO_EX(arginfo_class_WxRedis_OpenPlatformBase_invalidateAuthorizerAccessToken, 0, 2, _IS_BOOL, 0)
	ZEND_ARG_TYPE_INFO(0, authorizerAppId, IS_STRING, 0)
	ZEND_ARG_TYPE_INFO(0, token, IS_STRING, 0)
ZEND_END_ARG_INFO()

ZEND_BEGIN_ARG_WITH_RETURN_TYPE_INFO_EX(arginfo_class_WxRedis_OpenPlatformBase_getAuthorizerRefreshToken, 0, 1, IS_STRING, 1)
	ZEND_ARG_TYPE_INFO(0, authorizerAppId, IS_STRING, 0)
ZEND_END_ARG_INFO()

ZEND_BEGIN_ARG_WITH_RETURN_TYPE_INFO_EX(arginfo_class_WxRedis_OpenPlatformBase_setAuthorizerRefreshToken, 0, 2, IS_VOID, 0)
	ZEND_ARG_TYPE_INFO(0, authorizerAppId, IS_STRING, 0)
	ZEND_ARG_TYPE_INFO(0, refreshToken, IS_STRING, 0)
ZEND_END_ARG_INFO()

ZEND_BEGIN_ARG_WITH_RETURN_TYPE_INFO_EX(arginfo_class_WxRedis_OpenPlatformBase_setLogger, 0, 1, IS_VOID, 0)
	ZEND_ARG_TYPE_INFO(0, logger, IS_OBJECT, 1)
ZEND_END_ARG_INFO()

ZEND_BEGIN_ARG_WITH_RETURN_TYPE_INFO_EX(arginfo_class_WxRedis_OpenPlatformBase_health, 0, 0, IS_ARRAY, 0)
ZEND_END_ARG_INFO()

ZEND_BEGIN_ARG_WITH_RETURN_TYPE_INFO_EX(arginfo_class_WxRedis_OpenPlatformBase_refreshDue, 0, 0, IS_ARRAY, 0)
	ZEND_ARG_TYPE_INFO_WITH_DEFAULT_VALUE(0, limit, IS_LONG, 0, "100")
ZEND_END_ARG_INFO()

#define arginfo_class_WxRedis_OpenPlatformBase_recoverRefreshTokens arginfo_class_WxRedis_OpenPlatformBase_health

#define arginfo_class_WxRedis_OpenPlatformBase_clearQuota arginfo_class_WxRedis_OpenPlatformBase_health


ZEND_METHOD(WxRedis_OpenPlatformBase, __construct);
ZEND_METHOD(WxRedis_OpenPlatformBase, handleCallback);
ZEND_METHOD(WxRedis_OpenPlatformBase, getVerifyTicket);
ZEND_METHOD(WxRedis_OpenPlatformBase, setVerifyTicket);
ZEND_METHOD(WxRedis_OpenPlatformBase, getComponentAccessToken);
ZEND_METHOD(WxRedis_OpenPlatformBase, invalidateComponentAccessToken);
ZEND_METHOD(WxRedis_OpenPlatformBase, createPreAuthCode);
ZEND_METHOD(WxRedis_OpenPlatformBase, getPreAuthorizationUrl);
ZEND_METHOD(WxRedis_OpenPlatformBase, handleAuthorization);
ZEND_METHOD(WxRedis_OpenPlatformBase, getAuthorizerAccessToken);
ZEND_METHOD(WxRedis_OpenPlatformBase, invalidateAuthorizerAccessToken);
ZEND_METHOD(WxRedis_OpenPlatformBase, getAuthorizerRefreshToken);
ZEND_METHOD(WxRedis_OpenPlatformBase, setAuthorizerRefreshToken);
ZEND_METHOD(WxRedis_OpenPlatformBase, setLogger);
ZEND_METHOD(WxRedis_OpenPlatformBase, health);
ZEND_METHOD(WxRedis_OpenPlatformBase, refreshDue);
ZEND_METHOD(WxRedis_OpenPlatformBase, recoverRefreshTokens);
ZEND_METHOD(WxRedis_OpenPlatformBase, clearQuota);


static const zend_function_entry class_WxRedis_OpenPlatformBase_methods[] = {
	ZEND_ME(WxRedis_OpenPlatformBase, __construct, arginfo_class_WxRedis_OpenPlatformBase___construct, ZEND_ACC_PUBLIC)
	ZEND_ME(WxRedis_OpenPlatformBase, handleCallback, arginfo_class_WxRedis_OpenPlatformBase_handleCallback, ZEND_ACC_PUBLIC)
	ZEND_ME(WxRedis_OpenPlatformBase, getVerifyTicket, arginfo_class_WxRedis_OpenPlatformBase_getVerifyTicket, ZEND_ACC_PUBLIC)
	ZEND_ME(WxRedis_OpenPlatformBase, setVerifyTicket, arginfo_class_WxRedis_OpenPlatformBase_setVerifyTicket, ZEND_ACC_PUBLIC)
	ZEND_ME(WxRedis_OpenPlatformBase, getComponentAccessToken, arginfo_class_WxRedis_OpenPlatformBase_getComponentAccessToken, ZEND_ACC_PUBLIC)
	ZEND_ME(WxRedis_OpenPlatformBase, invalidateComponentAccessToken, arginfo_class_WxRedis_OpenPlatformBase_invalidateComponentAccessToken, ZEND_ACC_PUBLIC)
	ZEND_ME(WxRedis_OpenPlatformBase, createPreAuthCode, arginfo_class_WxRedis_OpenPlatformBase_createPreAuthCode, ZEND_ACC_PUBLIC)
	ZEND_ME(WxRedis_OpenPlatformBase, getPreAuthorizationUrl, arginfo_class_WxRedis_OpenPlatformBase_getPreAuthorizationUrl, ZEND_ACC_PUBLIC)
	ZEND_ME(WxRedis_OpenPlatformBase, handleAuthorization, arginfo_class_WxRedis_OpenPlatformBase_handleAuthorization, ZEND_ACC_PUBLIC)
	ZEND_ME(WxRedis_OpenPlatformBase, getAuthorizerAccessToken, arginfo_class_WxRedis_OpenPlatformBase_getAuthorizerAccessToken, ZEND_ACC_PUBLIC)
	ZEND_ME(WxRedis_OpenPlatformBase, invalidateAuthorizerAccessToken, arginfo_class_WxRedis_OpenPlatformBase_invalidateAuthorizerAccessToken, ZEND_ACC_PUBLIC)
	ZEND_ME(WxRedis_OpenPlatformBase, getAuthorizerRefreshToken, arginfo_class_WxRedis_OpenPlatformBase_getAuthorizerRefreshToken, ZEND_ACC_PUBLIC)
	ZEND_ME(WxRedis_OpenPlatformBase, setAuthorizerRefreshToken, arginfo_class_WxRedis_OpenPlatformBase_setAuthorizerRefreshToken, ZEND_ACC_PUBLIC)
	ZEND_ME(WxRedis_OpenPlatformBase, setLogger, arginfo_class_WxRedis_OpenPlatformBase_setLogger, ZEND_ACC_PUBLIC)
	ZEND_ME(WxRedis_OpenPlatformBase, health, arginfo_class_WxRedis_OpenPlatformBase_health, ZEND_ACC_PUBLIC)
	ZEND_ME(WxRedis_OpenPlatformBase, refreshDue, arginfo_class_WxRedis_OpenPlatformBase_refreshDue, ZEND_ACC_PUBLIC)
	ZEND_ME(WxRedis_OpenPlatformBase, recoverRefreshTokens, arginfo_class_WxRedis_OpenPlatformBase_recoverRefreshTokens, ZEND_ACC_PUBLIC)
	ZEND_ME(WxRedis_OpenPlatformBase, clearQuota, arginfo_class_WxRedis_OpenPlatformBase_clearQuota, ZEND_ACC_PUBLIC)
	ZEND_FE_END
};

static zend_class_entry *register_class_WxRedis_OpenPlatformBase(void)
{
	zend_class_entry ce, *class_entry;

	INIT_NS_CLASS_ENTRY(ce, "WxRedis", "OpenPlatformBase", class_WxRedis_OpenPlatformBase_methods);
	class_entry = zend_register_internal_class_ex(&ce, NULL);
	class_entry->ce_flags |= ZEND_ACC_ABSTRACT|ZEND_ACC_NO_DYNAMIC_PROPERTIES|ZEND_ACC_NOT_SERIALIZABLE;

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
