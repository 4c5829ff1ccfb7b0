/*
 * One WeChat API call: the body as JSON, POST over php/http.c, the answer
 * as JSON, an errcode handed to the caller or thrown as ApiException with
 * wx_wechat's hint. Knows nothing of Redis, tickets or tokens: what to do
 * about an errcode (retry, ask for a push) is the caller's decision.
 */
#include "platform.h"
#include "log.h"
#include "zend_smart_str.h"
#include "ext/standard/url.h"
#include "ext/json/php_json.h"

/* WeChat's answers nest a few levels (authorization_info.func_info[]...) */
#define WX_OP_JSON_DEPTH 64

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

/* json_encode()/json_decode() without touching json_last_error(), which
 * belongs to the application. */
static zend_result wx_op_json_encode(zval *body, smart_str *out)
{
    php_json_error_code saved = JSON_G(error_code);
    zend_result rc = php_json_encode(out, body, PHP_JSON_UNESCAPED_SLASHES | PHP_JSON_UNESCAPED_UNICODE);
    JSON_G(error_code) = saved;
    smart_str_0(out);
    return rc;
}

static zend_result wx_op_json_decode(zend_string *s, zval *out)
{
    php_json_error_code saved = JSON_G(error_code);
    zend_result rc = php_json_decode_ex(out, ZSTR_VAL(s), ZSTR_LEN(s), PHP_JSON_OBJECT_AS_ARRAY, WX_OP_JSON_DEPTH);
    JSON_G(error_code) = saved;
    return rc;
}

/* The answer's body as a JSON object (an array), or NULL with HttpException. */
static zend_result wx_op_api_answer(wx_op_t *op, wx_wechat_api_t api, wx_http_result_t *res, zval *answer)
{
    const char *name = wx_wechat_api_name(api), *path = wx_wechat_api_path(api);
    char excerpt[160];

    if (res->status != 200) {
        wx_op_excerpt(res->body, excerpt, sizeof(excerpt));
        wx_throw(wx_ce_HttpException, res->status, "WeChat %s: POST %s%s answered HTTP %d: %s",
                 name, ZSTR_VAL(op->api_base), path, res->status, excerpt);
        return FAILURE;
    }
    if (wx_op_json_decode(res->body, answer) == FAILURE || Z_TYPE_P(answer) != IS_ARRAY) {
        wx_op_excerpt(res->body, excerpt, sizeof(excerpt));
        wx_throw(wx_ce_HttpException, res->status, "WeChat %s: POST %s%s answered with a body that is not "
                 "a JSON object: \"%s\"", name, ZSTR_VAL(op->api_base), path, excerpt);
        zval_ptr_dtor(answer);
        ZVAL_UNDEF(answer);
        return FAILURE;
    }
    return SUCCESS;
}

void wx_op_api_body(wx_op_t *op, zval *body)
{
    array_init(body);
    add_assoc_str(body, "component_appid", zend_string_copy(op->app_id));
}

/* Every call is counted (health()'s calls of the last hour), and an
 * errcode logged; rare next to the token reads, so one round trip each. */
static void wx_op_api_observe(wx_op_t *op, wx_wechat_api_t api, zend_long errcode, zend_string *errmsg)
{
    wx_cache_obj_t *c;

    if (Z_TYPE(op->cache) != IS_OBJECT) {
        return;
    }
    c = wx_cache_from_obj(Z_OBJ(op->cache));
    wx_op_count_call(op, c, api, errcode);
    if (errcode != 0 && errcode != WX_OP_CALL_NO_ANSWER && wx_op_log_on(op, c)) {
        zval ctx;
        array_init(&ctx);
        add_assoc_string(&ctx, "api", (char *) wx_wechat_api_name(api));
        add_assoc_long(&ctx, "errcode", errcode);
        add_assoc_str(&ctx, "errmsg", errmsg ? zend_string_copy(errmsg) : ZSTR_EMPTY_ALLOC());
        wx_op_log(op, c, WX_EV_WECHAT_ERROR, &ctx);
    }
}

zend_result wx_op_api_call(wx_op_t *op, wx_wechat_api_t api, zend_string *token, zval *body, zval *answer,
                           wx_op_api_error_t *err)
{
    const char *name = wx_wechat_api_name(api), *path = wx_wechat_api_path(api);
    smart_str target = {0}, json = {0};
    wx_http_result_t res;
    zval *errcode;
    zend_result rc = FAILURE;

    ZVAL_UNDEF(answer);
    err->errcode = 0;
    err->errmsg = NULL;
    smart_str_appends(&target, path);
    if (token) {
        zend_string *enc = php_url_encode(ZSTR_VAL(token), ZSTR_LEN(token));
        smart_str_appends(&target, "?" WX_WECHAT_TOKEN_PARAM "=");
        smart_str_append(&target, enc);
        zend_string_release(enc);
    }
    smart_str_0(&target);
    if (wx_op_json_encode(body, &json) == FAILURE) {
        wx_throw(wx_ce_HttpException, 0, "WeChat %s: the request cannot be encoded as JSON "
                 "(a value is not valid UTF-8)", name);
        goto out;
    }
    /* messages name base and path only: the query carries the token */
    if (wx_http_post_json(&op->api, ZSTR_VAL(target.s), ZSTR_LEN(target.s), json.s, op->http_timeout, &res) == FAILURE) {
        wx_throw(wx_ce_HttpException, 0, "WeChat %s: POST %s%s failed: %s",
                 name, ZSTR_VAL(op->api_base), path, res.error);
        goto out;
    }
    rc = wx_op_api_answer(op, api, &res, answer);
    wx_http_result_free(&res);
    if (rc == FAILURE) {
        goto out;
    }
    errcode = zend_hash_str_find(Z_ARRVAL_P(answer), ZEND_STRL("errcode"));
    if (errcode && zval_get_long(errcode) != 0) {
        zval *m = zend_hash_str_find(Z_ARRVAL_P(answer), ZEND_STRL("errmsg"));
        err->errcode = zval_get_long(errcode);
        err->errmsg = m ? zval_get_string(m) : ZSTR_EMPTY_ALLOC();
        zval_ptr_dtor(answer);
        ZVAL_UNDEF(answer);
    }
out:
    wx_op_api_observe(op, api, rc == SUCCESS ? err->errcode : WX_OP_CALL_NO_ANSWER, err->errmsg);
    smart_str_free(&target);
    smart_str_free(&json);
    return rc;
}

void wx_op_api_exception(const char *message, zend_long errcode, zend_string *errmsg, zend_string *api)
{
    zend_object *ex = zend_throw_exception(wx_ce_ApiException, message, errcode);
    zend_update_property_long(wx_ce_ApiException, ex, ZEND_STRL("errcode"), errcode);
    if (errmsg) {
        zend_update_property_str(wx_ce_ApiException, ex, ZEND_STRL("errmsg"), errmsg);
    }
    if (api) {
        zend_update_property_str(wx_ce_ApiException, ex, ZEND_STRL("api"), api);
    }
}

ZEND_COLD void wx_op_api_throw(wx_wechat_api_t api, wx_op_api_error_t *err, const char *note)
{
    const char *hint = wx_wechat_hint((long) err->errcode);
    zend_string *msg = zend_strpprintf(0, "WeChat %s failed: errcode " ZEND_LONG_FMT ", errmsg \"%s\"%s%s%s%s",
                                       wx_wechat_api_name(api), err->errcode, ZSTR_VAL(err->errmsg),
                                       hint ? ". Hint: " : "", hint ? hint : "",
                                       note && note[0] ? "; " : "", note ? note : "");
    zend_string *path = zend_string_init(wx_wechat_api_path(api), strlen(wx_wechat_api_path(api)), 0);

    wx_op_api_exception(ZSTR_VAL(msg), err->errcode, err->errmsg, path);
    zend_string_release(path);
    zend_string_release(msg);
    zend_string_release(err->errmsg);
    err->errmsg = NULL;
}

zend_result wx_op_api(wx_op_t *op, wx_wechat_api_t api, zend_string *token, zval *body, zval *answer)
{
    wx_op_api_error_t err;
    if (wx_op_api_call(op, api, token, body, answer, &err) == FAILURE) {
        return FAILURE;
    }
    if (err.errcode != 0) {
        wx_op_api_throw(api, &err, NULL);
        return FAILURE;
    }
    return SUCCESS;
}

zend_string *wx_op_field_str(zval *answer, const char *name, wx_wechat_api_t api)
{
    zval *v = zend_hash_str_find(Z_ARRVAL_P(answer), name, strlen(name));
    if (!v || Z_TYPE_P(v) != IS_STRING || Z_STRLEN_P(v) == 0) {
        wx_throw(wx_ce_HttpException, 200, "WeChat %s: the answer has no %s", wx_wechat_api_name(api), name);
        return NULL;
    }
    return Z_STR_P(v);
}

zend_long wx_op_field_ttl(zval *answer, zend_long cut)
{
    zval *v = zend_hash_str_find(Z_ARRVAL_P(answer), ZEND_STRL("expires_in"));
    return (zend_long) wx_wechat_token_ttl(v ? (long) zval_get_long(v) : 0, (long) cut);
}
