/*
 * component_verify_ticket: storing a pushed ticket, asking WeChat to push
 * one (api_start_push_ticket), the TicketException.
 */
#include "platform.h"

/* ----------------------------------------------------------------- tickets */

zend_string *wx_op_ticket_key(wx_op_t *op, wx_cache_obj_t *c)
{
    return wx_op_key(c, "open_platform.verify_ticket.%s", ZSTR_VAL(op->app_id));
}

static zend_string *wx_op_stored_at_key(wx_op_t *op, wx_cache_obj_t *c)
{
    return wx_op_key(c, "wxredis.verify_ticket_stored_at.%s", ZSTR_VAL(op->app_id));
}

zend_string *wx_op_component_lock_key(wx_op_t *op, wx_cache_obj_t *c)
{
    return wx_op_key(c, "wxredis.lock.component_access_token.%s", ZSTR_VAL(op->app_id));
}

/* Store a ticket that WeChat pushed `age` seconds ago, and when it came; a
 * new ticket also ends the back-off of a failed token refresh. */
zend_result wx_op_store_ticket(wx_op_t *op, wx_cache_obj_t *c, zend_string *ticket, zend_long age)
{
    zend_string *key = wx_op_ticket_key(op, c), *at_key = wx_op_stored_at_key(op, c);
    zend_string *lock_key = wx_op_component_lock_key(op, c);
    zend_string *v_ticket = wx_op_encode_str(ticket, key), *v_at = NULL;
    wx_op_cmd_t cmds[3] = {0};
    redisReply *replies[3];
    char ttl[24], at_ttl[24];
    zend_long secs = WX_OP_TICKET_LIFETIME - WX_OP_TICKET_SAFETY - (age > 0 ? age : 0);
    zend_result rc = FAILURE;
    zval now;

    if (secs < 60) {
        /* a push delayed for hours: nearly expired, keep what we have */
        rc = SUCCESS;
        goto out;
    }
    ZVAL_LONG(&now, (zend_long) time(NULL));
    if (!v_ticket || !(v_at = wx_codec_encode(&now, at_key))) {
        goto out;
    }
    snprintf(ttl, sizeof(ttl), ZEND_LONG_FMT, secs);
    snprintf(at_ttl, sizeof(at_ttl), "%d", WX_OP_STORED_AT_TTL);
    WX_OP_ARGS(&cmds[0], "SET"); WX_OP_ARGZ(&cmds[0], key); WX_OP_ARGZ(&cmds[0], v_ticket);
    WX_OP_ARGS(&cmds[0], "EX"); WX_OP_ARGS(&cmds[0], ttl);
    WX_OP_ARGS(&cmds[1], "SET"); WX_OP_ARGZ(&cmds[1], at_key); WX_OP_ARGZ(&cmds[1], v_at);
    WX_OP_ARGS(&cmds[1], "EX"); WX_OP_ARGS(&cmds[1], at_ttl);
    WX_OP_ARGS(&cmds[2], "EVAL"); WX_OP_ARGS(&cmds[2], wx_op_lua_del_error); WX_OP_ARGS(&cmds[2], "1");
    WX_OP_ARGZ(&cmds[2], lock_key);
    if (wx_op_redis(c, cmds, 3, replies) == SUCCESS) {
        wx_op_free_replies(replies, 3);
        rc = SUCCESS;
    }
out:
    if (v_ticket) zend_string_release(v_ticket);
    if (v_at) zend_string_release(v_at);
    zend_string_release(key);
    zend_string_release(at_key);
    zend_string_release(lock_key);
    return rc;
}

/*
 * Ask WeChat to push a ticket (api_start_push_ticket), at most once per
 * WX_OP_PUSH_INTERVAL across all servers, and describe what happened in buf
 * for an exception message. Never throws; keeps a pending exception.
 */
void wx_op_request_push(wx_op_t *op, wx_cache_obj_t *c, char *buf, size_t buflen)
{
    zend_object *pending = wx_op_stash();
    zend_string *key = wx_op_key(c, "wxredis.push_ticket_requested.%s", ZSTR_VAL(op->app_id));
    zend_string *bytes;
    wx_op_cmd_t cmd = {0};
    redisReply *r = NULL;
    char ttl[24];
    zval now;

    ZVAL_LONG(&now, (zend_long) time(NULL));
    bytes = wx_codec_encode(&now, key);
    snprintf(ttl, sizeof(ttl), "%d", WX_OP_PUSH_INTERVAL);
    WX_OP_ARGS(&cmd, "SET"); WX_OP_ARGZ(&cmd, key);
    if (bytes) WX_OP_ARGZ(&cmd, bytes);
    WX_OP_ARGS(&cmd, "NX"); WX_OP_ARGS(&cmd, "EX"); WX_OP_ARGS(&cmd, ttl);
    if (!bytes || !(r = wx_op_redis1(c, &cmd))) {
        snprintf(buf, buflen, "no new push was requested (Redis failed)");
    } else if (r->type == REDIS_REPLY_STATUS) {
        zval body, answer;
        array_init(&body);
        add_assoc_str(&body, "component_appid", zend_string_copy(op->app_id));
        add_assoc_str(&body, "component_secret", zend_string_copy(op->secret));
        if (wx_op_call(op, c, WX_OP_PATH_START_PUSH, NULL, &body, &answer) == SUCCESS) {
            snprintf(buf, buflen, "asked WeChat to push a new ticket (api_start_push_ticket)");
            zval_ptr_dtor(&answer);
        } else {
            zval rv, *m = zend_read_property_ex(EG(exception)->ce, EG(exception),
                                                 ZSTR_KNOWN(ZEND_STR_MESSAGE), 1, &rv);
            snprintf(buf, buflen, "asking WeChat to push a new ticket failed: %s",
                     Z_TYPE_P(m) == IS_STRING ? Z_STRVAL_P(m) : "?");
        }
        zval_ptr_dtor(&body);
    } else {
        char when[96];
        wx_op_get_when(c, key, when, sizeof(when), "");
        snprintf(buf, buflen, "a new push was already requested %s%s (at most one request every %d minutes)",
                 when[0] ? "at " : "recently", when, WX_OP_PUSH_INTERVAL / 60);
    }
    if (r) freeReplyObject(r);
    if (bytes) zend_string_release(bytes);
    zend_string_release(key);
    wx_op_unstash(pending);
}

/* TicketException: none stored, when the last one came, the push request. */
ZEND_COLD void wx_op_throw_no_ticket(wx_op_t *op, wx_cache_obj_t *c, zend_string *key)
{
    zend_string *at_key = wx_op_stored_at_key(op, c);
    char last[160], push[512], when[96];

    wx_op_get_when(c, at_key, when, sizeof(when), "");
    if (when[0]) {
        snprintf(last, sizeof(last), "the last one was stored at %s", when);
    } else {
        snprintf(last, sizeof(last), "none was stored in the last %d days", WX_OP_STORED_AT_TTL / 86400);
    }
    zend_string_release(at_key);
    wx_op_request_push(op, c, push, sizeof(push));
    wx_throw(wx_ce_TicketException, 0,
             "No component_verify_ticket is stored for component app id \"%s\" (key \"%s\"): %s; %s. "
             "WeChat pushes a ticket every 10 minutes to the authorization-event URL, "
             "which must reach handleCallback()",
             ZSTR_VAL(op->app_id), ZSTR_VAL(key), last, push);
}
