/*
 * clearQuota(): reset the platform's daily API quota after 45009 with
 * component/clear_quota/v2 (the AppSecret, not a token: it works while
 * api_component_token itself is over its quota). WeChat allows a few
 * resets a month, so it runs only when asked, and at most once per
 * clear_quota_interval across the fleet: SET NX EX on one key decides
 * which call may go; the others are told when the next may.
 */
#include "platform.h"

#include <time.h>

/* WeChat: this month's resets are used up */
#define WX_OP_ERRCODE_CLEAR_LIMIT 48006

static void wx_op_quota_result(zval *result, bool cleared, zend_long last, zend_long next, zend_string *message)
{
    array_init(result);
    add_assoc_bool(result, "cleared", cleared);
    add_assoc_long(result, "last_cleared_at", last);
    add_assoc_long(result, "next_allowed_at", next);
    add_assoc_str(result, "message", message);
}

zend_result wx_op_clear_quota(wx_op_t *op, wx_cache_obj_t *c, zval *result)
{
    zend_string *key = wx_op_key(op, c, WX_KEY_CLEAR_QUOTA, NULL, NULL);
    zend_long now = (zend_long) time(NULL), last = 0, ttl = 0;
    zend_string *bytes;
    wx_op_api_error_t err;
    wx_argv_t cmd;
    redisReply *r;
    zval v, body, answer;
    zend_result rc = FAILURE;
    bool taken;

    ZVAL_LONG(&v, now);
    if (!(bytes = wx_op_encode(&v, key))) {
        goto out;
    }
    wx_argv_init(&cmd);
    wx_argv_add_cstr(&cmd, "SET"); wx_argv_add_zstr(&cmd, key); wx_argv_add_zstr(&cmd, bytes);
    wx_argv_add_cstr(&cmd, "NX"); wx_argv_add_cstr(&cmd, "EX"); wx_argv_add_long(&cmd, op->clear_quota_interval);
    r = wx_op_redis1(c, &cmd);
    if (!r) {
        goto out;
    }
    taken = r->type == REDIS_REPLY_STATUS;
    freeReplyObject(r);
    if (!taken) {
        /* refused: say when the last reset was and when the next may go */
        wx_argv_t cmds[2];
        redisReply *replies[2];
        wx_op_argv_init(cmds, 2);
        wx_argv_add_cstr(&cmds[0], "GET"); wx_argv_add_zstr(&cmds[0], key);
        wx_argv_add_cstr(&cmds[1], "TTL"); wx_argv_add_zstr(&cmds[1], key);
        if (wx_op_redis(c, cmds, 2, replies) == FAILURE) {
            goto out;
        }
        if (wx_op_decode(c, key, replies[0], &v) == SUCCESS) {
            last = Z_TYPE(v) == IS_LONG ? Z_LVAL(v) : 0;
            zval_ptr_dtor(&v);
        } else {
            zend_clear_exception();
        }
        ttl = replies[1]->type == REDIS_REPLY_INTEGER && replies[1]->integer > 0 ? (zend_long) replies[1]->integer : 0;
        wx_op_free_replies(replies, 2);
        wx_op_quota_result(result, false, last, now + ttl, zend_strpprintf(0,
            "not cleared: the quota of \"%s\" was last reset %s" ZEND_LONG_FMT " s ago, and clear_quota_interval (" ZEND_LONG_FMT
            " s) allows the next reset in " ZEND_LONG_FMT " s (key \"%s\"; WeChat allows a few resets a month)",
            ZSTR_VAL(op->app_id), last ? "" : "about ", last ? now - last : op->clear_quota_interval - ttl,
            op->clear_quota_interval, ttl, ZSTR_VAL(key)));
        rc = SUCCESS;
        goto out;
    }
    /* ours: this process calls WeChat, once */
    wx_op_api_body(op, &body);
    add_assoc_str(&body, "appsecret", zend_string_copy(op->secret));
    rc = wx_op_api_call(op, WX_WECHAT_API_CLEAR_QUOTA, NULL, &body, &answer, &err);
    zval_ptr_dtor(&body);
    if (rc == SUCCESS && err.errcode == 0) {
        zval_ptr_dtor(&answer);
        wx_op_quota_result(result, true, now, now + op->clear_quota_interval, zend_strpprintf(0,
            "cleared: the daily API quota of \"%s\" starts from zero again (component/clear_quota/v2); the next "
            "reset is allowed in " ZEND_LONG_FMT " s (clear_quota_interval)", ZSTR_VAL(op->app_id),
            op->clear_quota_interval));
        goto out;
    }
    if (rc == SUCCESS) {
        /* WeChat refused: nothing was reset. After 48006 (this month's
         * resets used up) the interval stands; after anything else a
         * later call may try again */
        if (err.errcode != WX_OP_ERRCODE_CLEAR_LIMIT) {
            zend_long n;
            zend_object *pending = wx_op_stash();
            wx_op_eval(c, WX_LOCK_LUA_COMPARE_AND_DELETE, key, bytes, NULL, NULL, &n);
            wx_op_unstash(pending);
        }
        wx_op_api_throw(WX_WECHAT_API_CLEAR_QUOTA, &err,
                        err.errcode == WX_OP_ERRCODE_CLEAR_LIMIT ? "this month's quota resets are used up" : "nothing was reset");
        rc = FAILURE;
    } else {
        /* no answer: whether it was reset is unknown; the interval stands,
         * which errs on the side of WeChat's monthly limit */
    }
out:
    if (bytes) zend_string_release(bytes);
    zend_string_release(key);
    return rc;
}
