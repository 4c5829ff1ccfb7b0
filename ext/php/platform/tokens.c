/*
 * component_access_token and authorizer_access_token: how each is found,
 * refreshed (through single flight) and stored, the retry when WeChat
 * rejects a cached token, dropping a rejected one, and the refresh tokens
 * authorizer tokens depend on.
 */
#include "platform.h"
#include "log.h"

/* ------------------------------------------------------ component token */

static zend_string *wx_op_component_key_cb(wx_op_t *op, wx_cache_obj_t *c, wx_op_flight_t *f)
{
    return wx_op_key(op, c, WX_KEY_COMPONENT_TOKEN, NULL, NULL);
}

/* api_component_token with the stored ticket. A ticket WeChat calls
 * expired or invalid (61005/61006) is worth a push request before the
 * error goes up: our decision, not the API call's. */
static zend_result wx_op_component_call(wx_op_t *op, wx_cache_obj_t *c, zval *answer)
{
    zend_string *ticket;
    wx_op_api_error_t err;
    zend_result rc;
    zval body;

    if (wx_op_get_ticket(op, c, &ticket) == FAILURE) {
        return FAILURE;
    }
    if (!ticket) {
        zend_string *key = wx_op_key(op, c, WX_KEY_VERIFY_TICKET, NULL, NULL);
        wx_op_throw_no_ticket(op, c, key);
        zend_string_release(key);
        return FAILURE;
    }
    wx_op_api_body(op, &body);
    add_assoc_str(&body, "component_appsecret", zend_string_copy(op->secret));
    add_assoc_str(&body, "component_verify_ticket", ticket);
    rc = wx_op_api_call(op, WX_WECHAT_API_COMPONENT_TOKEN, NULL, &body, answer, &err);
    zval_ptr_dtor(&body);
    if (rc == SUCCESS && err.errcode != 0) {
        char push[256] = "";
        if (wx_wechat_errclass((long) err.errcode) == WX_WECHAT_ERR_TICKET) {
            wx_op_request_push(op, c, push, sizeof(push));
        }
        wx_op_api_throw(WX_WECHAT_API_COMPONENT_TOKEN, &err, push);
        rc = FAILURE;
    }
    return rc;
}

static zend_string *wx_op_component_refresh(wx_op_t *op, wx_cache_obj_t *c, wx_op_flight_t *f)
{
    zend_string *token, *key;
    zval answer;

    if (wx_op_component_call(op, c, &answer) == FAILURE) {
        return NULL;
    }
    if ((token = wx_op_field_str(&answer, "component_access_token", WX_WECHAT_API_COMPONENT_TOKEN)) != NULL) {
        token = zend_string_copy(token);
        key = wx_op_key(op, c, WX_KEY_COMPONENT_TOKEN, NULL, NULL);
        if (wx_op_set_string(c, key, token, wx_op_field_ttl(&answer, WX_WECHAT_COMPONENT_TTL_CUT)) == FAILURE) {
            /* not stored: the caller could use it, but the next caller
             * would refresh again; report the Redis failure instead */
            zend_string_release(token);
            token = NULL;
        }
        zend_string_release(key);
    }
    zval_ptr_dtor(&answer);
    return token;
}

static const wx_op_flight_kind_t wx_op_component_flight = {
    "component_access_token", WX_KEY_COMPONENT_LOCK, wx_op_component_key_cb, wx_op_component_refresh, NULL
};

zend_string *wx_op_component_token(wx_op_t *op, wx_cache_obj_t *c)
{
    return wx_op_single_flight(op, c, &wx_op_component_flight, NULL);
}

zend_result wx_op_invalidate_component(wx_op_t *op, wx_cache_obj_t *c, zend_string *token, bool *dropped)
{
    zend_string *key = wx_op_key(op, c, WX_KEY_COMPONENT_TOKEN, NULL, NULL);
    zend_result rc = wx_op_compare_and_delete(c, key, token, dropped);
    zend_string_release(key);
    return rc;
}

/* a token WeChat rejects is replaced once, not again and again */
#define WX_OP_TOKEN_ATTEMPTS 2

zend_result wx_op_api_component(wx_op_t *op, wx_cache_obj_t *c, wx_wechat_api_t api, zval *body, zval *answer)
{
    int attempt;

    for (attempt = 0; attempt < WX_OP_TOKEN_ATTEMPTS; attempt++) {
        zend_string *token = wx_op_component_token(op, c);
        wx_op_api_error_t err;
        bool dropped;

        if (!token) {
            return FAILURE;
        }
        if (wx_op_api_call(op, api, token, body, answer, &err) == FAILURE) {
            zend_string_release(token);
            return FAILURE;
        }
        if (err.errcode == 0) {
            zend_string_release(token);
            return SUCCESS;
        }
        if (attempt == WX_OP_TOKEN_ATTEMPTS - 1 || wx_wechat_errclass((long) err.errcode) != WX_WECHAT_ERR_TOKEN_REJECTED) {
            zend_string_release(token);
            wx_op_api_throw(api, &err, NULL);
            return FAILURE;
        }
        /* 40001/42001: drop it if it is still the cached one, try once
         * more with a new one; when Redis fails, report WeChat's error */
        if (wx_op_invalidate_component(op, c, token, &dropped) == FAILURE) {
            zend_clear_exception();
            zend_string_release(token);
            wx_op_api_throw(api, &err, NULL);
            return FAILURE;
        }
        zend_string_release(err.errmsg);
        zend_string_release(token);
    }
    return FAILURE;
}

/* ----------------------------------------------------- authorizer token */

/* The durable refresh token an authorizer's access token is refreshed
 * with (and keyed by): outside the cache prefix, without expiry. */
zend_result wx_op_get_refresh_token(wx_op_t *op, wx_cache_obj_t *c, zend_string *authorizer, zend_string **out)
{
    zend_string *key = wx_op_key(op, c, WX_KEY_REFRESH_TOKEN, authorizer, NULL);
    zend_result rc = wx_op_get_string(c, key, out);
    zend_string_release(key);
    return rc;
}

/* A new refresh token makes the current token key (which a token of the
 * old one may still fill) stale: both in one pipeline. */
zend_result wx_op_set_refresh_token(wx_op_t *op, wx_cache_obj_t *c, zend_string *authorizer, zend_string *refresh)
{
    zend_string *key = wx_op_key(op, c, WX_KEY_REFRESH_TOKEN, authorizer, NULL);
    zend_string *hot = wx_op_key(op, c, WX_KEY_AUTHORIZER_CURRENT, authorizer, NULL);
    zend_string *bytes = wx_op_encode_str(refresh, key);
    wx_argv_t cmds[4];
    redisReply *replies[4];
    zend_result rc = FAILURE;

    if (bytes) {
        char what[WX_KEYS_APPID_MAX + 48];
        wx_op_argv_init(cmds, 4);
        /* no expiry; durable when min_replicas asks for it */
        wx_argv_add_cstr(&cmds[0], "SET"); wx_argv_add_zstr(&cmds[0], key); wx_argv_add_zstr(&cmds[0], bytes);
        wx_argv_expect(&cmds[0], WX_EXPECT_OK, 0);
        wx_argv_add_cstr(&cmds[1], "DEL"); wx_argv_add_zstr(&cmds[1], hot);
        wx_argv_expect(&cmds[1], WX_EXPECT_INTEGER, 0);
        /* registered; expiry unknown (0) until the keeper or a refresh looks */
        wx_op_registry_cmd_add(op, c, &cmds[2], authorizer, 0, false);
        wx_op_missing_cmd(op, c, &cmds[3], authorizer, false);
        snprintf(what, sizeof(what), "the refresh token of authorizer \"%s\"", ZSTR_VAL(authorizer));
        if ((rc = wx_op_redis_durable(op, c, cmds, 4, 0, replies, what)) == SUCCESS) {
            wx_op_free_replies(replies, 4);
        }
        zend_string_release(bytes);
    }
    zend_string_release(hot);
    zend_string_release(key);
    return rc;
}

/* The hot path reads the current token key (one round trip, no refresh
 * token needed to name it). EasyWeChat's md5-named key is read in
 * prepare, only when that one is missing or due. */
static zend_string *wx_op_authorizer_key_cb(wx_op_t *op, wx_cache_obj_t *c, wx_op_flight_t *f)
{
    return wx_op_key(op, c, WX_KEY_AUTHORIZER_CURRENT, f->authorizer, NULL);
}

/* The refresh token into f (an exception naming its key when none). */
static zend_result wx_op_authorizer_refresh_token(wx_op_t *op, wx_cache_obj_t *c, wx_op_flight_t *f)
{
    zend_string *refresh;

    if (wx_op_get_refresh_token(op, c, f->authorizer, &refresh) == FAILURE) {
        return FAILURE;
    }
    if (!refresh && !(refresh = wx_op_recover_missing(op, c, f->authorizer))) {
        return FAILURE;   /* recover.c threw ERROR_NO_REFRESH_TOKEN, saying why */
    }
    if (f->refresh_token) {
        zend_string_release(f->refresh_token);
    }
    f->refresh_token = refresh;
    return SUCCESS;
}

/* EasyWeChat's md5-named key may hold a token the current key does not
 * (EasyWeChat refreshed it, a new refresh token was set, WeChat rotated
 * the refresh token, or this is the first read after an upgrade): copy it
 * over with its remaining lifetime, still usable ones too, so that a
 * failed refresh can serve it. Over whatever the current key holds: it
 * is missing or due (the caller read it), and a refresh racing us wrote
 * the same token to both keys. *fresh says whether it needs no refresh. */
static zend_result wx_op_authorizer_adopt(wx_op_t *op, wx_cache_obj_t *c, wx_op_flight_t *f, bool *fresh)
{
    zend_string *tkey = wx_op_key(op, c, WX_KEY_AUTHORIZER_TOKEN, f->authorizer, f->refresh_token);
    zend_string *value = NULL;
    wx_argv_t cmds[2];
    redisReply *replies[2];
    zend_long pttl;
    zval v;

    *fresh = false;
    wx_op_argv_init(cmds, 2);
    wx_argv_add_cstr(&cmds[0], "GET");  wx_argv_add_zstr(&cmds[0], tkey);
    wx_argv_add_cstr(&cmds[1], "PTTL"); wx_argv_add_zstr(&cmds[1], tkey);
    if (wx_op_redis(c, cmds, 2, replies) == FAILURE) {
        zend_string_release(tkey);
        return FAILURE;
    }
    if (wx_op_decode(c, tkey, replies[0], &v) == FAILURE || wx_op_as_string(tkey, &v, &value) == FAILURE) {
        zend_clear_exception();   /* not a token: refresh it */
        value = NULL;
    }
    pttl = replies[1]->type == REDIS_REPLY_INTEGER ? (zend_long) replies[1]->integer : -2;
    wx_op_free_replies(replies, 2);
    zend_string_release(tkey);
    if (value && (pttl == -1 || pttl > 0)) {
        zend_string *hot = wx_op_key(op, c, WX_KEY_AUTHORIZER_CURRENT, f->authorizer, NULL);
        zend_string *bytes = wx_op_encode_str(value, hot);
        wx_argv_t cmd;
        redisReply *r;

        bool usable = pttl == -1 || pttl > op->margin_ms;

        if (bytes) {
            wx_argv_init(&cmd);
            wx_argv_add_cstr(&cmd, "SET"); wx_argv_add_zstr(&cmd, hot); wx_argv_add_zstr(&cmd, bytes);
            if (pttl > 0) {
                wx_argv_add_cstr(&cmd, "PX"); wx_argv_add_long(&cmd, pttl);
            }
            /* a due token only where the key is empty: a refresh that just
             * ended wrote a fresh one there, which a stale copy must not
             * replace (the waiting processes would refresh again) */
            if (!usable) {
                wx_argv_add_cstr(&cmd, "NX");
            }
            if ((r = wx_op_redis1(c, &cmd)) != NULL) {
                freeReplyObject(r);
                *fresh = usable;
            }
            zend_string_release(bytes);
        }
        zend_string_release(hot);
    }
    if (value) {
        zend_string_release(value);
    }
    return EG(exception) ? FAILURE : SUCCESS;
}

zend_result wx_op_store_authorizer(wx_op_t *op, wx_cache_obj_t *c, zend_string *authorizer,
                                   zend_string *expected, zend_string *refresh,
                                   zend_string *token, zend_long ttl)
{
    zend_string *rkey = wx_op_key(op, c, WX_KEY_REFRESH_TOKEN, authorizer, NULL);
    zend_string *tkey = wx_op_key(op, c, WX_KEY_AUTHORIZER_TOKEN, authorizer, refresh);
    zend_string *v_refresh = wx_op_encode_str(refresh, rkey);
    zend_string *v_expected = expected ? wx_op_encode_str(expected, rkey) : NULL;
    zend_string *hot = wx_op_key(op, c, WX_KEY_AUTHORIZER_CURRENT, authorizer, NULL);
    zend_string *v_token = wx_op_encode_str(token, tkey);
    wx_argv_t cmds[5];
    redisReply *replies[5];
    char what[WX_KEYS_APPID_MAX + 48];
    bool wrote_refresh = !expected || !zend_string_equals(expected, refresh);
    size_t n = 0;
    zend_result rc = FAILURE;

    if (!v_refresh || !v_token || (expected && !v_expected)) {
        goto out;
    }
    wx_op_argv_init(cmds, 5);
    if (!expected) {
        wx_argv_add_cstr(&cmds[n], "SET"); wx_argv_add_zstr(&cmds[n], rkey); wx_argv_add_zstr(&cmds[n], v_refresh);
        n++;
    } else if (!zend_string_equals(expected, refresh)) {
        /* a refresh racing a re-authorization must not put back an older one */
        wx_argv_add_cstr(&cmds[n], "EVAL"); wx_argv_add_cstr(&cmds[n], WX_LOCK_LUA_COMPARE_AND_SET); wx_argv_add_cstr(&cmds[n], "1");
        wx_argv_add_zstr(&cmds[n], rkey); wx_argv_add_zstr(&cmds[n], v_expected); wx_argv_add_zstr(&cmds[n], v_refresh);
        n++;
    }
    wx_argv_add_cstr(&cmds[n], "SET"); wx_argv_add_zstr(&cmds[n], tkey); wx_argv_add_zstr(&cmds[n], v_token);
    wx_argv_add_cstr(&cmds[n], "EX"); wx_argv_add_long(&cmds[n], ttl);
    n++;
    /* the current token key, in the same pipeline (single-key commands,
     * as a cluster needs), also when WeChat rotated the refresh token:
     * the processes waiting on this refresh re-read this key under the
     * lock, and a key left stale would make each refresh again. (Should
     * the compare-and-set above lose to a re-authorization, this token is
     * still one WeChat just issued.) */
    wx_argv_add_cstr(&cmds[n], "SET"); wx_argv_add_zstr(&cmds[n], hot); wx_argv_add_zstr(&cmds[n], v_token);
    wx_argv_add_cstr(&cmds[n], "EX"); wx_argv_add_long(&cmds[n], ttl);
    n++;
    /* the registry: the keeper refreshes it before this expiry */
    wx_op_registry_cmd_add(op, c, &cmds[n++], authorizer, wx_op_registry_score(ttl), false);
    wx_op_missing_cmd(op, c, &cmds[n++], authorizer, false);
    /* the refresh token (when written) goes first and must be durable */
    snprintf(what, sizeof(what), "the refresh token of authorizer \"%s\"", ZSTR_VAL(authorizer));
    if ((wrote_refresh ? wx_op_redis_durable(op, c, cmds, n, 0, replies, what)
                       : wx_op_redis(c, cmds, n, replies)) == SUCCESS) {
        wx_op_free_replies(replies, n);
        rc = SUCCESS;
    }
out:
    if (v_refresh) zend_string_release(v_refresh);
    if (v_expected) zend_string_release(v_expected);
    if (v_token) zend_string_release(v_token);
    zend_string_release(rkey);
    zend_string_release(tkey);
    zend_string_release(hot);
    return rc;
}

static zend_string *wx_op_authorizer_refresh(wx_op_t *op, wx_cache_obj_t *c, wx_op_flight_t *f)
{
    zend_string *token = NULL, *refresh, *used;
    zval body, answer, rv, *nr;
    zend_result rc;

    if (!f->refresh_token && wx_op_authorizer_refresh_token(op, c, f) == FAILURE) {
        return NULL;
    }
    used = zend_string_copy(f->refresh_token);   /* the one sent to WeChat */
    wx_op_api_body(op, &body);
    add_assoc_str(&body, "authorizer_appid", zend_string_copy(f->authorizer));
    add_assoc_str(&body, "authorizer_refresh_token", zend_string_copy(used));
    rc = wx_op_api_component(op, c, WX_WECHAT_API_AUTHORIZER_TOKEN, &body, &answer);
    if (rc == FAILURE && EG(exception) && EG(exception)->ce == wx_ce_ApiException
            && zval_get_long(zend_read_property(wx_ce_ApiException, EG(exception), ZEND_STRL("errcode"), 1, &rv))
               == WX_WECHAT_ERRCODE_REFRESH_INVALID) {
        /* 61023: ours is not the current one; WeChat says which is, once
         * (recover.c stored it, compare-and-set against `used`) */
        zend_string *current = wx_op_recover_rejected(op, c, f->authorizer, used);
        if (current) {
            zend_clear_exception();
            zend_string_release(used);
            used = current;
            zend_string_release(f->refresh_token);
            f->refresh_token = zend_string_copy(current);   /* what the store compares with now */
            add_assoc_str(&body, "authorizer_refresh_token", zend_string_copy(used));
            rc = wx_op_api_component(op, c, WX_WECHAT_API_AUTHORIZER_TOKEN, &body, &answer);
        }
    }
    zval_ptr_dtor(&body);
    if (rc == FAILURE) {
        zend_string_release(used);
        return NULL;
    }
    if ((token = wx_op_field_str(&answer, "authorizer_access_token", WX_WECHAT_API_AUTHORIZER_TOKEN)) != NULL) {
        /* whatever WeChat returns replaces the stored refresh token */
        nr = zend_hash_str_find(Z_ARRVAL(answer), ZEND_STRL("authorizer_refresh_token"));
        refresh = nr && Z_TYPE_P(nr) == IS_STRING && Z_STRLEN_P(nr) > 0 ? Z_STR_P(nr) : used;
        token = zend_string_copy(token);
        if (wx_op_store_authorizer(op, c, f->authorizer, f->refresh_token, refresh, token,
                                   wx_op_field_ttl(&answer, WX_WECHAT_AUTHORIZER_TTL_CUT)) == FAILURE) {
            zend_string_release(token);
            token = NULL;
        } else {
            op->refreshes++;
            if (refresh != f->refresh_token && !zend_string_equals(refresh, f->refresh_token)
                    && wx_op_log_on(op, c)) {
                zval ctx;
                array_init(&ctx);
                add_assoc_str(&ctx, "authorizer_app_id", zend_string_copy(f->authorizer));
                wx_log_add_fp(&ctx, "refresh_token", ZSTR_VAL(refresh), ZSTR_LEN(refresh));
                wx_log_add_fp(&ctx, "previous", ZSTR_VAL(f->refresh_token), ZSTR_LEN(f->refresh_token));
                wx_op_log(op, c, WX_EV_REFRESH_TOKEN_ROTATED, &ctx);
            }
        }
    }
    zval_ptr_dtor(&answer);
    zend_string_release(used);
    return token;
}

/* Before the lock: the refresh token (which names EasyWeChat's key), a
 * fresh token there copied over (then the locked read finds it, no
 * WeChat call), else the component token the refresh needs. */
static zend_result wx_op_authorizer_prepare(wx_op_t *op, wx_cache_obj_t *c, wx_op_flight_t *f)
{
    zend_string *token;
    bool fresh, interrupted;

    if (wx_op_authorizer_refresh_token(op, c, f) == FAILURE || wx_op_authorizer_adopt(op, c, f, &fresh) == FAILURE) {
        return FAILURE;
    }
    if (fresh) {
        return SUCCESS;
    }
    /* refreshDue(): the refresh waits for its keeper_rate slot (only
     * when one is needed: a token copied over above needs none) */
    if (op->pacing && wx_op_pace(op, c, &interrupted) == FAILURE) {
        return FAILURE;
    }
    token = wx_op_component_token(op, c);
    if (!token) {
        return FAILURE;
    }
    zend_string_release(token);
    return SUCCESS;
}

static const wx_op_flight_kind_t wx_op_authorizer_flight = {
    "authorizer_access_token", WX_KEY_AUTHORIZER_LOCK, wx_op_authorizer_key_cb, wx_op_authorizer_refresh,
    wx_op_authorizer_prepare
};

zend_string *wx_op_authorizer_token(wx_op_t *op, wx_cache_obj_t *c, zend_string *authorizer)
{
    return wx_op_single_flight(op, c, &wx_op_authorizer_flight, authorizer);
}

/* Both keys that may hold the token, each compare-and-delete (one key per
 * script, as a cluster needs). */
zend_result wx_op_invalidate_authorizer(wx_op_t *op, wx_cache_obj_t *c, zend_string *authorizer,
                                        zend_string *token, bool *dropped)
{
    zend_string *refresh, *key;
    zend_result rc;
    bool md5_dropped = false;

    *dropped = false;
    key = wx_op_key(op, c, WX_KEY_AUTHORIZER_CURRENT, authorizer, NULL);
    rc = wx_op_compare_and_delete(c, key, token, dropped);
    zend_string_release(key);
    if (rc == FAILURE || wx_op_get_refresh_token(op, c, authorizer, &refresh) == FAILURE) {
        return FAILURE;
    }
    if (!refresh) {
        return SUCCESS;   /* no refresh token, so no token keyed by one */
    }
    key = wx_op_key(op, c, WX_KEY_AUTHORIZER_TOKEN, authorizer, refresh);
    rc = wx_op_compare_and_delete(c, key, token, &md5_dropped);
    *dropped = *dropped || md5_dropped;
    zend_string_release(key);
    zend_string_release(refresh);
    return rc;
}
