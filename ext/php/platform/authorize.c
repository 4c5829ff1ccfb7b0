/*
 * Authorization of accounts: the pre_auth_code and the authorization page
 * URL, exchanging an authorization code (api_query_auth) for the tokens,
 * and forgetting an account that revoked.
 */
#include "platform.h"
#include "log.h"
#include "zend_smart_str.h"
#include "ext/standard/url.h"

zend_string *wx_op_pre_auth_code(wx_op_t *op, wx_cache_obj_t *c)
{
    zval body, answer;
    zend_string *code = NULL;
    zend_result rc;

    wx_op_api_body(op, &body);
    rc = wx_op_api_component(op, c, WX_WECHAT_API_PREAUTHCODE, &body, &answer);
    zval_ptr_dtor(&body);
    if (rc == FAILURE) {
        return NULL;
    }
    if ((code = wx_op_field_str(&answer, "pre_auth_code", WX_WECHAT_API_PREAUTHCODE)) != NULL) {
        code = zend_string_copy(code);
    }
    zval_ptr_dtor(&answer);
    return code;
}

/* sep name=value, the value urlencode()d as http_build_query() does */
static void wx_op_query_append(smart_str *s, char sep, const char *name, const char *value, size_t len)
{
    zend_string *enc = php_url_encode(value, len);
    smart_str_appendc(s, sep);
    smart_str_appends(s, name);
    smart_str_appendc(s, '=');
    smart_str_append(s, enc);
    zend_string_release(enc);
}

zend_string *wx_op_pre_auth_url(wx_op_t *op, wx_cache_obj_t *c, zend_string *redirect,
                                const zend_long *auth_type, zend_string *biz_appid)
{
    zend_string *code = wx_op_pre_auth_code(op, c);
    smart_str url = {0};

    if (!code) {
        return NULL;
    }
    smart_str_appends(&url, WX_WECHAT_LOGIN_PAGE);
    wx_op_query_append(&url, '?', "component_appid", ZSTR_VAL(op->app_id), ZSTR_LEN(op->app_id));
    wx_op_query_append(&url, '&', "pre_auth_code", ZSTR_VAL(code), ZSTR_LEN(code));
    wx_op_query_append(&url, '&', "redirect_uri", ZSTR_VAL(redirect), ZSTR_LEN(redirect));
    if (auth_type) {
        smart_str_append_printf(&url, "&auth_type=" ZEND_LONG_FMT, *auth_type);
    }
    if (biz_appid) {
        wx_op_query_append(&url, '&', "biz_appid", ZSTR_VAL(biz_appid), ZSTR_LEN(biz_appid));
    }
    zend_string_release(code);
    return smart_str_extract(&url);
}

/* The string field name of ai, non-empty unless empty_ok. */
static zval *wx_op_info_str(zval *ai, const char *name, bool empty_ok)
{
    zval *v = zend_hash_str_find(Z_ARRVAL_P(ai), name, strlen(name));
    return v && Z_TYPE_P(v) == IS_STRING && (empty_ok || Z_STRLEN_P(v) > 0) ? v : NULL;
}

zend_result wx_op_query_auth(wx_op_t *op, wx_cache_obj_t *c, zend_string *code, zval *info)
{
    zval body, answer, *ai, *appid, *token, *refresh;
    zend_result rc;

    ZVAL_UNDEF(info);
    wx_op_api_body(op, &body);
    add_assoc_str(&body, "authorization_code", zend_string_copy(code));
    rc = wx_op_api_component(op, c, WX_WECHAT_API_QUERY_AUTH, &body, &answer);
    zval_ptr_dtor(&body);
    if (rc == FAILURE) {
        return FAILURE;
    }
    rc = FAILURE;
    ai = zend_hash_str_find(Z_ARRVAL(answer), ZEND_STRL("authorization_info"));
    if (!ai || Z_TYPE_P(ai) != IS_ARRAY || !(appid = wx_op_info_str(ai, "authorizer_appid", true))
            || !(token = wx_op_info_str(ai, "authorizer_access_token", false))
            || !(refresh = wx_op_info_str(ai, "authorizer_refresh_token", false))) {
        wx_throw(wx_ce_HttpException, 200, "WeChat %s: the answer has no authorization_info "
                 "with authorizer_appid, authorizer_access_token and authorizer_refresh_token",
                 wx_wechat_api_name(WX_WECHAT_API_QUERY_AUTH));
        goto out;
    }
    if (wx_op_check_appid(Z_STRVAL_P(appid), Z_STRLEN_P(appid), "authorizer_appid of api_query_auth") == FAILURE) {
        goto out;
    }
    if (wx_op_store_authorizer(op, c, Z_STR_P(appid), NULL, Z_STR_P(refresh), Z_STR_P(token),
                               wx_op_field_ttl(ai, WX_WECHAT_AUTHORIZER_TTL_CUT)) == FAILURE) {
        goto out;
    }
    if (wx_op_log_on(op, c)) {
        zval ctx;
        array_init(&ctx);
        add_assoc_str(&ctx, "authorizer_app_id", zend_string_copy(Z_STR_P(appid)));
        wx_log_add_fp(&ctx, "refresh_token", Z_STRVAL_P(refresh), Z_STRLEN_P(refresh));
        add_assoc_string(&ctx, "source", "api_query_auth");
        wx_op_log(op, c, WX_EV_REFRESH_TOKEN_STORED, &ctx);
    }
    ZVAL_COPY(info, ai);
    rc = SUCCESS;
out:
    zval_ptr_dtor(&answer);
    return rc;
}

zend_result wx_op_forget_authorizer(wx_op_t *op, wx_cache_obj_t *c, zend_string *authorizer)
{
    zend_string *rkey = wx_op_key(op, c, WX_KEY_REFRESH_TOKEN, authorizer, NULL), *tkey = NULL, *refresh = NULL;
    zend_string *hot = wx_op_key(op, c, WX_KEY_AUTHORIZER_CURRENT, authorizer, NULL);
    wx_argv_t cmds[5];
    redisReply *replies[5];
    zend_result rc = FAILURE;

    if (wx_op_get_string(c, rkey, &refresh) == FAILURE) {
        /* bytes that are not ours: delete the key anyway */
        zend_clear_exception();
    }
    /* one key per command: the refresh token lives outside the prefix,
     * so on a cluster the keys need not share a slot */
    wx_op_argv_init(cmds, 5);
    wx_argv_add_cstr(&cmds[0], "DEL");
    wx_argv_add_zstr(&cmds[0], rkey);
    wx_argv_add_cstr(&cmds[1], "DEL");
    if (refresh) {
        tkey = wx_op_key(op, c, WX_KEY_AUTHORIZER_TOKEN, authorizer, refresh);
        wx_argv_add_zstr(&cmds[1], tkey);
    } else {
        wx_argv_add_zstr(&cmds[1], rkey);
    }
    wx_argv_add_cstr(&cmds[2], "DEL");
    wx_argv_add_zstr(&cmds[2], hot);
    /* no longer an authorizer of ours: out of the registry */
    wx_op_registry_cmd_rem(op, c, &cmds[3], authorizer);
    wx_op_missing_cmd(op, c, &cmds[4], authorizer, false);
    if (wx_op_redis(c, cmds, 5, replies) == SUCCESS) {
        wx_op_free_replies(replies, 5);
        rc = SUCCESS;
        if (wx_op_log_on(op, c)) {
            zval ctx;
            array_init(&ctx);
            add_assoc_str(&ctx, "authorizer_app_id", zend_string_copy(authorizer));
            if (refresh) {
                wx_log_add_fp(&ctx, "refresh_token", ZSTR_VAL(refresh), ZSTR_LEN(refresh));
            } else {
                add_assoc_null(&ctx, "refresh_token");
            }
            add_assoc_string(&ctx, "reason", "unauthorized");
            wx_op_log(op, c, WX_EV_REFRESH_TOKEN_REMOVED, &ctx);
        }
    }
    if (refresh) zend_string_release(refresh);
    if (tkey) zend_string_release(tkey);
    zend_string_release(hot);
    zend_string_release(rkey);
    return rc;
}
