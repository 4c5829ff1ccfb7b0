/*
 * component_access_token and authorizer_access_token: their refresh, the
 * retry on a rejected token, authorization codes and refresh tokens.
 */
#include "platform.h"

/* --------------------------------------------------------- component token */

static zend_string *wx_op_component_key_cb(wx_op_t *op, wx_cache_obj_t *c, wx_op_flight_t *f)
{
    return wx_op_token_key_component(op, c);
}

static zend_string *wx_op_component_refresh(wx_op_t *op, wx_cache_obj_t *c, wx_op_flight_t *f)
{
    zend_string *ticket_key = wx_op_ticket_key(op, c), *ticket = NULL, *token = NULL, *key = NULL;
    zval body, answer;

    if (wx_op_get_string(c, ticket_key, &ticket) == FAILURE) {
        goto out;
    }
    if (!ticket) {
        wx_op_throw_no_ticket(op, c, ticket_key);
        goto out;
    }
    array_init(&body);
    add_assoc_str(&body, "component_appid", zend_string_copy(op->app_id));
    add_assoc_str(&body, "component_appsecret", zend_string_copy(op->secret));
    add_assoc_str(&body, "component_verify_ticket", zend_string_copy(ticket));
    if (wx_op_call(op, c, WX_OP_PATH_COMPONENT_TOKEN, NULL, &body, &answer) == FAILURE) {
        zval_ptr_dtor(&body);
        goto out;
    }
    zval_ptr_dtor(&body);
    if ((token = wx_op_field_str(&answer, "component_access_token", WX_OP_PATH_COMPONENT_TOKEN)) != NULL) {
        token = zend_string_copy(token);
        key = wx_op_token_key_component(op, c);
        if (wx_op_set_string(c, key, token, wx_op_field_ttl(&answer, WX_OP_COMPONENT_TTL_CUT)) == FAILURE) {
            /* not stored: the caller could use it, but the next caller
             * would refresh again; report the Redis failure instead */
            zend_string_release(token);
            token = NULL;
        }
    }
    zval_ptr_dtor(&answer);
out:
    if (ticket) zend_string_release(ticket);
    if (key) zend_string_release(key);
    zend_string_release(ticket_key);
    return token;
}

zend_string *wx_op_component_token(wx_op_t *op, wx_cache_obj_t *c)
{
    wx_op_flight_t f = {0};
    zend_string *token;

    f.what = "component_access_token";
    f.lock_key = wx_op_component_lock_key(op, c);
    f.token_key = wx_op_component_key_cb;
    f.refresh = wx_op_component_refresh;
    token = wx_op_single_flight(op, c, &f);
    zend_string_release(f.lock_key);
    return token;
}

static bool wx_op_rejected_token(void)
{
    zend_object *ex = EG(exception);
    zval rv, *code;
    zend_long n;

    if (!ex || ex->ce != wx_ce_ApiException) {
        return false;
    }
    code = zend_read_property_ex(ex->ce, ex, ZSTR_KNOWN(ZEND_STR_CODE), 1, &rv);
    n = zval_get_long(code);
    return n == 40001 || n == 42001;
}

/* Call an API with the component token. When WeChat rejects the token
 * (40001/42001), drop it if it is still the cached one and try once more
 * with a new one. */
static zend_result wx_op_call_component(wx_op_t *op, wx_cache_obj_t *c, const char *path, zval *body, zval *answer)
{
    int attempt;

    for (attempt = 0; attempt < 2; attempt++) {
        zend_string *token = wx_op_component_token(op, c);
        zend_result rc;
        zend_object *ex;
        zend_string *key;

        if (!token) {
            return FAILURE;
        }
        rc = wx_op_call(op, c, path, token, body, answer);
        if (rc == SUCCESS || attempt == 1 || !wx_op_rejected_token()) {
            zend_string_release(token);
            return rc;
        }
        ex = wx_op_stash();
        key = wx_op_token_key_component(op, c);
        if (wx_op_compare_and_delete(c, key, token) < 0) {
            wx_op_unstash(ex);   /* Redis failed: report WeChat's error */
            zend_string_release(key);
            zend_string_release(token);
            return FAILURE;
        }
        OBJ_RELEASE(ex);
        zend_string_release(key);
        zend_string_release(token);
    }
    return FAILURE;
}

/* -------------------------------------------------------- authorizer tokens */

zend_result wx_op_get_refresh_token(wx_op_t *op, wx_cache_obj_t *c, zend_string *authorizer, zend_string **out)
{
    zend_string *key = wx_op_refresh_key(op, authorizer);
    zend_result rc = wx_op_get_string(c, key, out);
    zend_string_release(key);
    return rc;
}

static zend_string *wx_op_authorizer_key_cb(wx_op_t *op, wx_cache_obj_t *c, wx_op_flight_t *f)
{
    zend_string *refresh;

    if (wx_op_get_refresh_token(op, c, f->authorizer, &refresh) == FAILURE) {
        return NULL;
    }
    if (!refresh) {
        zend_string *key = wx_op_refresh_key(op, f->authorizer);
        wx_throw_invalid(WX_OP_ERR_NO_REFRESH_TOKEN,
            "No authorizer_refresh_token is stored for authorizer \"%s\" of component \"%s\" (key \"%s\"): "
            "it is stored when the account authorizes the platform (handleCallback() or handleAuthorization()) "
            "and removed when it revokes; import one with setAuthorizerRefreshToken()",
            ZSTR_VAL(f->authorizer), ZSTR_VAL(op->app_id), ZSTR_VAL(key));
        zend_string_release(key);
        return NULL;
    }
    if (f->refresh_token) {
        zend_string_release(f->refresh_token);
    }
    f->refresh_token = refresh;
    return wx_op_token_key_authorizer(c, f->authorizer, refresh);
}

/* Store an authorizer's tokens in one round trip. The refresh token is set
 * when `expected` is NULL, else replaced only if it still is `expected`
 * (a refresh racing a re-authorization must not put back an older one). */
static zend_result wx_op_store_authorizer(wx_op_t *op, wx_cache_obj_t *c, zend_string *authorizer,
                                          zend_string *expected, zend_string *refresh,
                                          zend_string *token, zend_long ttl)
{
    zend_string *rkey = wx_op_refresh_key(op, authorizer);
    zend_string *tkey = wx_op_token_key_authorizer(c, authorizer, refresh);
    zend_string *v_refresh = wx_op_encode_str(refresh, rkey);
    zend_string *v_expected = expected ? wx_op_encode_str(expected, rkey) : NULL;
    zend_string *v_token = wx_op_encode_str(token, tkey);
    wx_op_cmd_t cmds[2] = {0};
    redisReply *replies[2];
    size_t n = 0;
    char ttlbuf[24];
    zend_result rc = FAILURE;

    if (!v_refresh || !v_token || (expected && !v_expected)) {
        goto out;
    }
    if (!expected) {
        WX_OP_ARGS(&cmds[n], "SET"); WX_OP_ARGZ(&cmds[n], rkey); WX_OP_ARGZ(&cmds[n], v_refresh);
        n++;
    } else if (!zend_string_equals(expected, refresh)) {
        WX_OP_ARGS(&cmds[n], "EVAL"); WX_OP_ARGS(&cmds[n], wx_op_lua_cas); WX_OP_ARGS(&cmds[n], "1");
        WX_OP_ARGZ(&cmds[n], rkey); WX_OP_ARGZ(&cmds[n], v_expected); WX_OP_ARGZ(&cmds[n], v_refresh);
        n++;
    }
    snprintf(ttlbuf, sizeof(ttlbuf), ZEND_LONG_FMT, ttl);
    WX_OP_ARGS(&cmds[n], "SET"); WX_OP_ARGZ(&cmds[n], tkey); WX_OP_ARGZ(&cmds[n], v_token);
    WX_OP_ARGS(&cmds[n], "EX"); WX_OP_ARGS(&cmds[n], ttlbuf);
    n++;
    if (wx_op_redis(c, cmds, n, replies) == SUCCESS) {
        wx_op_free_replies(replies, n);
        rc = SUCCESS;
    }
out:
    if (v_refresh) zend_string_release(v_refresh);
    if (v_expected) zend_string_release(v_expected);
    if (v_token) zend_string_release(v_token);
    zend_string_release(rkey);
    zend_string_release(tkey);
    return rc;
}

static zend_string *wx_op_authorizer_refresh(wx_op_t *op, wx_cache_obj_t *c, wx_op_flight_t *f)
{
    zend_string *token = NULL, *refresh;
    zval body, answer, *nr;

    array_init(&body);
    add_assoc_str(&body, "component_appid", zend_string_copy(op->app_id));
    add_assoc_str(&body, "authorizer_appid", zend_string_copy(f->authorizer));
    add_assoc_str(&body, "authorizer_refresh_token", zend_string_copy(f->refresh_token));
    if (wx_op_call_component(op, c, WX_OP_PATH_AUTHORIZER_TOKEN, &body, &answer) == FAILURE) {
        zval_ptr_dtor(&body);
        return NULL;
    }
    zval_ptr_dtor(&body);
    if ((token = wx_op_field_str(&answer, "authorizer_access_token", WX_OP_PATH_AUTHORIZER_TOKEN)) != NULL) {
        /* whatever WeChat returns replaces the stored refresh token */
        nr = zend_hash_str_find(Z_ARRVAL(answer), ZEND_STRL("authorizer_refresh_token"));
        refresh = nr && Z_TYPE_P(nr) == IS_STRING && Z_STRLEN_P(nr) > 0 ? Z_STR_P(nr) : f->refresh_token;
        token = zend_string_copy(token);
        if (wx_op_store_authorizer(op, c, f->authorizer, f->refresh_token, refresh, token,
                                   wx_op_field_ttl(&answer, WX_OP_AUTHORIZER_TTL_CUT)) == FAILURE) {
            zend_string_release(token);
            token = NULL;
        }
    }
    zval_ptr_dtor(&answer);
    return token;
}

static zend_result wx_op_authorizer_prepare(wx_op_t *op, wx_cache_obj_t *c, wx_op_flight_t *f)
{
    zend_string *token = wx_op_component_token(op, c);
    if (!token) {
        return FAILURE;
    }
    zend_string_release(token);
    return SUCCESS;
}

zend_string *wx_op_authorizer_token(wx_op_t *op, wx_cache_obj_t *c, zend_string *authorizer)
{
    wx_op_flight_t f = {0};
    zend_string *token;

    f.what = "authorizer_access_token";
    f.lock_key = wx_op_key(c, "wxredis.lock.authorizer_access_token.%s.%s",
                           ZSTR_VAL(op->app_id), ZSTR_VAL(authorizer));
    f.token_key = wx_op_authorizer_key_cb;
    f.refresh = wx_op_authorizer_refresh;
    f.prepare = wx_op_authorizer_prepare;
    f.authorizer = authorizer;
    token = wx_op_single_flight(op, c, &f);
    zend_string_release(f.lock_key);
    if (f.refresh_token) {
        zend_string_release(f.refresh_token);
    }
    return token;
}

/* api_query_auth; stores the refresh and access tokens; *info is
 * authorization_info. */
zend_result wx_op_query_auth(wx_op_t *op, wx_cache_obj_t *c, zend_string *code, zval *info)
{
    zval body, answer, *ai, *appid, *token, *refresh;
    zend_result rc = FAILURE;

    ZVAL_UNDEF(info);
    array_init(&body);
    add_assoc_str(&body, "component_appid", zend_string_copy(op->app_id));
    add_assoc_str(&body, "authorization_code", zend_string_copy(code));
    rc = wx_op_call_component(op, c, WX_OP_PATH_QUERY_AUTH, &body, &answer);
    zval_ptr_dtor(&body);
    if (rc == FAILURE) {
        return FAILURE;
    }
    rc = FAILURE;
    ai = zend_hash_str_find(Z_ARRVAL(answer), ZEND_STRL("authorization_info"));
    if (!ai || Z_TYPE_P(ai) != IS_ARRAY
            || !(appid = zend_hash_str_find(Z_ARRVAL_P(ai), ZEND_STRL("authorizer_appid")))
            || Z_TYPE_P(appid) != IS_STRING
            || !(token = zend_hash_str_find(Z_ARRVAL_P(ai), ZEND_STRL("authorizer_access_token")))
            || Z_TYPE_P(token) != IS_STRING || Z_STRLEN_P(token) == 0
            || !(refresh = zend_hash_str_find(Z_ARRVAL_P(ai), ZEND_STRL("authorizer_refresh_token")))
            || Z_TYPE_P(refresh) != IS_STRING || Z_STRLEN_P(refresh) == 0) {
        wx_throw(wx_ce_HttpException, 200, "WeChat api_query_auth: the answer has no authorization_info "
                 "with authorizer_appid, authorizer_access_token and authorizer_refresh_token");
        goto out;
    }
    if (wx_op_check_appid(Z_STRVAL_P(appid), Z_STRLEN_P(appid), "authorizer_appid of api_query_auth") == FAILURE) {
        goto out;
    }
    if (wx_op_store_authorizer(op, c, Z_STR_P(appid), NULL, Z_STR_P(refresh), Z_STR_P(token),
                               wx_op_field_ttl(ai, WX_OP_AUTHORIZER_TTL_CUT)) == FAILURE) {
        goto out;
    }
    ZVAL_COPY(info, ai);
    rc = SUCCESS;
out:
    zval_ptr_dtor(&answer);
    return rc;
}

/* unauthorized: the refresh token and the access token it keys. */
zend_result wx_op_forget_authorizer(wx_op_t *op, wx_cache_obj_t *c, zend_string *authorizer)
{
    zend_string *rkey = wx_op_refresh_key(op, authorizer), *tkey = NULL, *refresh = NULL;
    wx_op_cmd_t cmd = {0};
    redisReply *r;
    zend_result rc = FAILURE;

    if (wx_op_get_string(c, rkey, &refresh) == FAILURE) {
        /* bytes that are not ours: delete the key anyway */
        zend_clear_exception();
    }
    WX_OP_ARGS(&cmd, "DEL");
    WX_OP_ARGZ(&cmd, rkey);
    if (refresh) {
        tkey = wx_op_token_key_authorizer(c, authorizer, refresh);
        WX_OP_ARGZ(&cmd, tkey);
    }
    if ((r = wx_op_redis1(c, &cmd)) != NULL) {
        freeReplyObject(r);
        rc = SUCCESS;
    }
    if (refresh) zend_string_release(refresh);
    if (tkey) zend_string_release(tkey);
    zend_string_release(rkey);
    return rc;
}


zend_string *wx_op_pre_auth_code(wx_op_t *op, wx_cache_obj_t *c)
{
    zval body, answer;
    zend_string *code = NULL;
    zend_result rc;

    array_init(&body);
    add_assoc_str(&body, "component_appid", zend_string_copy(op->app_id));
    rc = wx_op_call_component(op, c, WX_OP_PATH_PREAUTHCODE, &body, &answer);
    zval_ptr_dtor(&body);
    if (rc == FAILURE) {
        return NULL;
    }
    if ((code = wx_op_field_str(&answer, "pre_auth_code", WX_OP_PATH_PREAUTHCODE)) != NULL) {
        code = zend_string_copy(code);
    }
    zval_ptr_dtor(&answer);
    return code;
}
