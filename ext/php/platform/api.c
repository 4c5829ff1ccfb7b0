/*
 * One WeChat API call: JSON out, JSON in, errcode -> ApiException, hints.
 */
#include "platform.h"

/* ------------------------------------------------------------------ errors */

static const char *wx_op_api_name(const char *path)
{
    const char *slash = strrchr(path, '/');
    return slash ? slash + 1 : path;
}

static const char *wx_op_hint(zend_long errcode)
{
    switch (errcode) {
    case -1:
        return "WeChat is busy; try again in a moment";
    case 40001:
    case 42001:
        return "WeChat rejected the access token; a cached token WeChat rejects is dropped (only if it is still the "
               "cached one) and the call is tried once more with a new one";
    case 40013:
        return "config \"app_id\" is not the AppID of this third-party platform";
    case 40125:
        return "config \"secret\" is not the platform's AppSecret (was it reset on open.weixin.qq.com?)";
    case 45009:
        return "this API's daily quota is used up; it resets at midnight Beijing time. Refreshes here are single-flight, "
               "so look for other programs refreshing tokens of the same app id";
    case 61003:
        return "the account has not authorized this platform, or has revoked the authorization";
    case 61004:
        return "this server's outgoing IP is not on the platform's API IP whitelist (open.weixin.qq.com, "
               "the platform's development settings); errmsg shows the IP WeChat saw";
    case 61005:
        return "the component_verify_ticket has expired: WeChat pushes a new one every 10 minutes to the "
               "authorization-event URL, and those pushes must reach handleCallback()";
    case 61006:
        return "the component_verify_ticket is not one WeChat issued to this platform (corrupted on the way, or "
               "another platform's): WeChat pushes a new one every 10 minutes to the authorization-event URL, "
               "and those pushes must reach handleCallback()";
    case 61023:
        return "the authorizer_refresh_token is no longer valid: the account must authorize the platform again "
               "(the stored refresh token was kept)";
    }
    return NULL;
}

static ZEND_COLD void wx_op_throw_api(const char *path, zend_long errcode, const char *errmsg, size_t errmsg_len,
                                      const char *message)
{
    zend_object *ex = zend_throw_exception(wx_ce_ApiException, message, errcode);
    zend_update_property_long(wx_ce_ApiException, ex, ZEND_STRL("errcode"), errcode);
    zend_update_property_stringl(wx_ce_ApiException, ex, ZEND_STRL("errmsg"), errmsg, errmsg_len);
    zend_update_property_string(wx_ce_ApiException, ex, ZEND_STRL("api"), path);
}

/* Printable excerpt of an unexpected answer for a message. */
static void wx_op_excerpt(zend_string *body, char *out, size_t outlen)
{
    size_t i, n = 0, max = outlen > 4 ? outlen - 4 : 0;
    for (i = 0; i < ZSTR_LEN(body) && n < max; i++) {
        unsigned char ch = (unsigned char) ZSTR_VAL(body)[i];
        out[n++] = (ch >= 0x20 && ch < 0x7f) ? (char) ch : '?';
    }
    if (i < ZSTR_LEN(body)) {
        memcpy(out + n, "...", 3);
        n += 3;
    }
    out[n] = '\0';
}

/* --------------------------------------------------------------- WeChat API */

static zend_result wx_op_json_encode(zval *body, smart_str *out)
{
    php_json_error_code saved = JSON_G(error_code);    /* json_last_error() is the application's */
    zend_result rc = php_json_encode(out, body, PHP_JSON_UNESCAPED_SLASHES | PHP_JSON_UNESCAPED_UNICODE);
    JSON_G(error_code) = saved;
    smart_str_0(out);
    return rc;
}

static zend_result wx_op_json_decode(zend_string *s, zval *out)
{
    php_json_error_code saved = JSON_G(error_code);
    zend_result rc = php_json_decode_ex(out, ZSTR_VAL(s), ZSTR_LEN(s), PHP_JSON_OBJECT_AS_ARRAY, 64);
    JSON_G(error_code) = saved;
    return rc;
}


/*
 * POST body (an array, sent as JSON) to api_base + path, with the access
 * token in the query when token is given. SUCCESS: *answer is the JSON
 * object as an array, without an error. FAILURE: HttpException (no usable
 * answer) or ApiException (an errcode) thrown; for 61005/61006 a ticket push
 * is requested first and the message says so.
 */
zend_result wx_op_call(wx_op_t *op, wx_cache_obj_t *c, const char *path, zend_string *token,
                              zval *body, zval *answer)
{
    smart_str url = {0}, json = {0};
    wx_http_result_t res;
    zval *errcode;
    char excerpt[160];
    zend_result rc = FAILURE;

    ZVAL_UNDEF(answer);
    smart_str_append(&url, op->api_base);
    smart_str_appends(&url, path);
    if (token) {
        zend_string *enc = php_url_encode(ZSTR_VAL(token), ZSTR_LEN(token));
        smart_str_appends(&url, "?component_access_token=");
        smart_str_append(&url, enc);
        zend_string_release(enc);
    }
    smart_str_0(&url);
    if (wx_op_json_encode(body, &json) == FAILURE) {
        wx_throw(wx_ce_HttpException, 0, "WeChat %s: the request cannot be encoded as JSON "
                 "(a value is not valid UTF-8)", wx_op_api_name(path));
        goto out;
    }
    if (wx_http_post_json(ZSTR_VAL(url.s), json.s, op->http_timeout, &res) == FAILURE) {
        wx_throw(wx_ce_HttpException, 0, "WeChat %s: POST %s%s failed: %s",
                 wx_op_api_name(path), ZSTR_VAL(op->api_base), path, res.error);
        goto out;
    }
    if (res.status != 200) {
        wx_op_excerpt(res.body, excerpt, sizeof(excerpt));
        wx_throw(wx_ce_HttpException, res.status, "WeChat %s: POST %s%s answered HTTP %d: %s",
                 wx_op_api_name(path), ZSTR_VAL(op->api_base), path, res.status, excerpt);
        wx_http_result_free(&res);
        goto out;
    }
    if (wx_op_json_decode(res.body, answer) == FAILURE || Z_TYPE_P(answer) != IS_ARRAY) {
        wx_op_excerpt(res.body, excerpt, sizeof(excerpt));
        wx_throw(wx_ce_HttpException, res.status, "WeChat %s: POST %s%s answered with a body that is not "
                 "a JSON object: \"%s\"", wx_op_api_name(path), ZSTR_VAL(op->api_base), path, excerpt);
        wx_http_result_free(&res);
        zval_ptr_dtor(answer);
        ZVAL_UNDEF(answer);
        goto out;
    }
    wx_http_result_free(&res);

    errcode = zend_hash_str_find(Z_ARRVAL_P(answer), ZEND_STRL("errcode"));
    if (errcode && zval_get_long(errcode) != 0) {
        zend_long code = zval_get_long(errcode);
        zval *m = zend_hash_str_find(Z_ARRVAL_P(answer), ZEND_STRL("errmsg"));
        zend_string *errmsg = m ? zval_get_string(m) : ZSTR_EMPTY_ALLOC();
        const char *hint = wx_op_hint(code);
        char push[256] = "";
        zend_string *msg;

        if (code == 61005 || code == 61006) {
            wx_op_request_push(op, c, push, sizeof(push));
        }
        msg = zend_strpprintf(0, "WeChat %s failed: errcode " ZEND_LONG_FMT ", errmsg \"%s\"%s%s%s%s",
                              wx_op_api_name(path), code, ZSTR_VAL(errmsg),
                              hint ? ". Hint: " : "", hint ? hint : "", push[0] ? "; " : "", push);
        wx_op_throw_api(path, code, ZSTR_VAL(errmsg), ZSTR_LEN(errmsg), ZSTR_VAL(msg));
        zend_string_release(msg);
        zend_string_release(errmsg);
        zval_ptr_dtor(answer);
        ZVAL_UNDEF(answer);
        goto out;
    }
    rc = SUCCESS;

out:
    smart_str_free(&url);
    smart_str_free(&json);
    return rc;
}

/* A non-empty string field of an answer, or NULL with HttpException. */
zend_string *wx_op_field_str(zval *answer, const char *name, const char *path)
{
    zval *v = zend_hash_str_find(Z_ARRVAL_P(answer), name, strlen(name));
    if (!v || Z_TYPE_P(v) != IS_STRING || Z_STRLEN_P(v) == 0) {
        wx_throw(wx_ce_HttpException, 200, "WeChat %s: the answer has no %s", wx_op_api_name(path), name);
        return NULL;
    }
    return Z_STR_P(v);
}

/* expires_in of an answer (7200 when absent), minus cut, at least 1. */
zend_long wx_op_field_ttl(zval *answer, zend_long cut)
{
    zval *v = zend_hash_str_find(Z_ARRVAL_P(answer), ZEND_STRL("expires_in"));
    zend_long expires = v ? zval_get_long(v) : 7200;
    if (expires <= 0) {
        expires = 7200;
    }
    return expires - cut >= 1 ? expires - cut : 1;
}
