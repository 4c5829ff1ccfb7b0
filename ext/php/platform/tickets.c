/*
 * component_verify_ticket: storing a pushed ticket (and when it came),
 * asking WeChat to push one (api_start_push_ticket, rate-limited across
 * servers), and the TicketException that says what happened.
 */
#include "platform.h"
#include "log.h"

#include <time.h>
#include <unistd.h>

/* "UTC time, N ago" for messages. */
static void wx_op_when(zend_long t, char *out, size_t outlen)
{
    time_t tt = (time_t) t;
    struct tm tm;
    char when[32];
    zend_long ago = (zend_long) time(NULL) - t;

    if (!gmtime_r(&tt, &tm) || !strftime(when, sizeof(when), "%Y-%m-%d %H:%M:%S UTC", &tm)) {
        snprintf(out, outlen, "at unix time " ZEND_LONG_FMT, t);
        return;
    }
    if (ago < 0) ago = 0;
    if (ago < 120) {
        snprintf(out, outlen, "%s, " ZEND_LONG_FMT " s ago", when, ago);
    } else if (ago < 7200) {
        snprintf(out, outlen, "%s, " ZEND_LONG_FMT " min ago", when, ago / 60);
    } else {
        snprintf(out, outlen, "%s, " ZEND_LONG_FMT " h " ZEND_LONG_FMT " min ago", when, ago / 3600, ago % 3600 / 60);
    }
}

/* A unix time stored under key as "<UTC time>, N ago", or "" when there
 * is none; never throws, keeps a pending exception. */
static void wx_op_get_when(wx_cache_obj_t *c, zend_string *key, char *out, size_t outlen)
{
    zend_object *pending = wx_op_stash();
    zval v;

    out[0] = '\0';
    if (wx_op_get(c, key, &v) == SUCCESS && Z_TYPE(v) == IS_LONG) {
        wx_op_when(Z_LVAL(v), out, outlen);
    }
    zval_ptr_dtor(&v);
    wx_op_unstash(pending);
}

zend_result wx_op_get_ticket(wx_op_t *op, wx_cache_obj_t *c, zend_string **ticket)
{
    zend_string *key = wx_op_key(op, c, WX_KEY_VERIFY_TICKET, NULL, NULL);
    zend_result rc = wx_op_get_string(c, key, ticket);
    zend_string_release(key);
    return rc;
}

/* ticket.stored / ticket.refused */
static void wx_op_log_ticket(wx_op_t *op, wx_cache_obj_t *c, wx_event_t ev, zend_string *ticket, zend_long px,
                             zend_long created, const char *why, zend_long now)
{
    zval ctx;

    if (!wx_op_log_on(op, c)) {
        return;
    }
    array_init(&ctx);
    wx_log_add_fp(&ctx, "ticket", ZSTR_VAL(ticket), ZSTR_LEN(ticket));
    if (why) {
        add_assoc_string(&ctx, "why", (char *) why);
    }
    if (created > 0) {
        add_assoc_long(&ctx, "age", now - created);
        add_assoc_long(&ctx, "create_time", created);
    } else {
        add_assoc_null(&ctx, "age");
        add_assoc_null(&ctx, "create_time");
    }
    if (ev == WX_EV_TICKET_STORED) {
        add_assoc_long(&ctx, "ttl", px / 1000);
    }
    wx_op_log(op, c, ev, &ctx);
}

/* Who stored the ticket, for health(): server, when, CreateTime, fingerprint. */
static zend_string *wx_op_ticket_push_record(zend_string *key, zend_string *ticket, zend_long now,
                                             zend_long created, const char *source)
{
    zend_string *bytes;
    zval rec;

    array_init(&rec);
    add_assoc_string(&rec, "server", (char *) wx_log_hostname());
    add_assoc_long(&rec, "pid", (zend_long) getpid());
    add_assoc_long(&rec, "stored_at", now);
    if (created > 0) {
        add_assoc_long(&rec, "create_time", created);
    } else {
        add_assoc_null(&rec, "create_time");
    }
    add_assoc_string(&rec, "source", (char *) source);
    wx_log_add_fp(&rec, "fingerprint", ZSTR_VAL(ticket), ZSTR_LEN(ticket));
    bytes = wx_op_encode(&rec, key);
    zval_ptr_dtor(&rec);
    return bytes;
}

/* The ticket, kept only if no newer one is stored (its expiry is its
 * CreateTime plus a constant, so the longer-lived is the newer: one
 * compare-and-set script on the ticket key); then when it came, which
 * server stored it, and the end of a failed token refresh's back-off (a
 * new ticket is worth trying at once). */
zend_result wx_op_store_ticket(wx_op_t *op, wx_cache_obj_t *c, zend_string *ticket, zend_long px,
                               zend_long created, const char *source, bool *stored)
{
    zend_string *key, *at_key, *lock_key, *push_key, *v_ticket, *v_at = NULL, *v_px = NULL, *v_push = NULL;
    wx_argv_t cmds[3];
    redisReply *replies[3];
    zend_result rc = FAILURE;
    zend_long set = 0;
    zval now;

    *stored = false;
    if (px <= 0) {
        /* a push delayed for hours: nearly expired, keep what we have */
        wx_op_log_ticket(op, c, WX_EV_TICKET_REFUSED, ticket, px, created, "expired", (zend_long) time(NULL));
        return SUCCESS;
    }
    key = wx_op_key(op, c, WX_KEY_VERIFY_TICKET, NULL, NULL);
    at_key = wx_op_key(op, c, WX_KEY_TICKET_STORED_AT, NULL, NULL);
    lock_key = wx_op_key(op, c, WX_KEY_COMPONENT_LOCK, NULL, NULL);
    push_key = wx_op_key(op, c, WX_KEY_TICKET_PUSH, NULL, NULL);
    ZVAL_LONG(&now, (zend_long) time(NULL));
    if ((v_ticket = wx_op_encode_str(ticket, key)) != NULL && (v_at = wx_op_encode(&now, at_key)) != NULL
            && (v_push = wx_op_ticket_push_record(push_key, ticket, Z_LVAL(now), created, source)) != NULL) {
        v_px = zend_long_to_str(px);
        if (wx_op_eval(c, WX_LOCK_LUA_SET_IF_NEWER, key, v_ticket, v_px, NULL, &set) == SUCCESS) {
            rc = SUCCESS;
            *stored = set == 1;
        }
    }
    if (rc == SUCCESS && *stored) {
        rc = FAILURE;
        wx_op_argv_init(cmds, 3);
        wx_argv_add_cstr(&cmds[0], "SET"); wx_argv_add_zstr(&cmds[0], at_key); wx_argv_add_zstr(&cmds[0], v_at);
        wx_argv_add_cstr(&cmds[0], "EX"); wx_argv_add_long(&cmds[0], WX_WECHAT_STORED_AT_TTL);
        wx_argv_add_cstr(&cmds[1], "EVAL"); wx_argv_add_cstr(&cmds[1], WX_LOCK_LUA_DELETE_ERROR); wx_argv_add_cstr(&cmds[1], "1");
        wx_argv_add_zstr(&cmds[1], lock_key);
        wx_argv_add_cstr(&cmds[2], "SET"); wx_argv_add_zstr(&cmds[2], push_key); wx_argv_add_zstr(&cmds[2], v_push);
        wx_argv_add_cstr(&cmds[2], "EX"); wx_argv_add_long(&cmds[2], wx_keys_def(WX_KEY_TICKET_PUSH)->ttl_seconds);
        if (wx_op_redis(c, cmds, 3, replies) == SUCCESS) {
            wx_op_free_replies(replies, 3);
            rc = SUCCESS;
        }
    }
    if (rc == SUCCESS) {
        wx_op_log_ticket(op, c, *stored ? WX_EV_TICKET_STORED : WX_EV_TICKET_REFUSED, ticket, px, created,
                         *stored ? NULL : "older", Z_LVAL(now));
    }
    if (v_px) zend_string_release(v_px);
    if (v_ticket) zend_string_release(v_ticket);
    if (v_at) zend_string_release(v_at);
    if (v_push) zend_string_release(v_push);
    zend_string_release(key);
    zend_string_release(at_key);
    zend_string_release(lock_key);
    zend_string_release(push_key);
    return rc;
}

/* api_start_push_ticket, described in buf; clears what it throws. Whether
 * WeChat said yes. */
static bool wx_op_start_push(wx_op_t *op, char *buf, size_t buflen)
{
    zval body, answer;
    bool ok = false;

    wx_op_api_body(op, &body);
    add_assoc_str(&body, "component_secret", zend_string_copy(op->secret));   /* not component_appsecret */
    if (wx_op_api(op, WX_WECHAT_API_START_PUSH, NULL, &body, &answer) == SUCCESS) {
        snprintf(buf, buflen, "asked WeChat to push a new ticket (api_start_push_ticket)");
        zval_ptr_dtor(&answer);
        ok = true;
    } else {
        zval rv, *m = zend_read_property_ex(EG(exception)->ce, EG(exception), ZSTR_KNOWN(ZEND_STR_MESSAGE), 1, &rv);
        snprintf(buf, buflen, "asking WeChat to push a new ticket failed: %s",
                 Z_TYPE_P(m) == IS_STRING ? Z_STRVAL_P(m) : "?");
        zend_clear_exception();
    }
    zval_ptr_dtor(&body);
    return ok;
}

void wx_op_request_push(wx_op_t *op, wx_cache_obj_t *c, char *buf, size_t buflen)
{
    zend_object *pending = wx_op_stash();
    zend_string *key = wx_op_key(op, c, WX_KEY_PUSH_REQUESTED, NULL, NULL);
    zend_string *bytes;
    wx_argv_t cmd;
    redisReply *r = NULL;
    const char *outcome;
    zval now;

    /* SET NX: one server per WX_WECHAT_PUSH_INTERVAL asks */
    ZVAL_LONG(&now, (zend_long) time(NULL));
    bytes = wx_op_encode(&now, key);
    wx_argv_init(&cmd);
    wx_argv_add_cstr(&cmd, "SET"); wx_argv_add_zstr(&cmd, key);
    if (bytes) wx_argv_add_zstr(&cmd, bytes);
    wx_argv_add_cstr(&cmd, "NX"); wx_argv_add_cstr(&cmd, "EX"); wx_argv_add_long(&cmd, WX_WECHAT_PUSH_INTERVAL);
    if (!bytes) {
        wx_argv_free(&cmd);
    }
    if (!bytes || !(r = wx_op_redis1(c, &cmd))) {
        snprintf(buf, buflen, "no new push was requested (Redis failed)");
        outcome = "failed";
    } else if (r->type == REDIS_REPLY_STATUS) {
        outcome = wx_op_start_push(op, buf, buflen) ? "requested" : "failed";
    } else {
        char when[96];
        wx_op_get_when(c, key, when, sizeof(when));
        snprintf(buf, buflen, "a new push was already requested %s%s (at most one request every %d minutes)",
                 when[0] ? "at " : "recently", when, WX_WECHAT_PUSH_INTERVAL / 60);
        outcome = "already_requested";
    }
    if (wx_op_log_on(op, c)) {
        zval ctx;
        array_init(&ctx);
        add_assoc_string(&ctx, "outcome", (char *) outcome);
        add_assoc_string(&ctx, "reason", buf);
        wx_op_log(op, c, WX_EV_PUSH_REQUESTED, &ctx);
    }
    if (r) freeReplyObject(r);
    if (bytes) zend_string_release(bytes);
    zend_string_release(key);
    wx_op_unstash(pending);
}

ZEND_COLD void wx_op_throw_no_ticket(wx_op_t *op, wx_cache_obj_t *c, zend_string *key)
{
    zend_string *at_key = wx_op_key(op, c, WX_KEY_TICKET_STORED_AT, NULL, NULL);
    char last[160], push[512], when[96];

    wx_op_get_when(c, at_key, when, sizeof(when));
    if (when[0]) {
        snprintf(last, sizeof(last), "the last one was stored at %s", when);
    } else {
        snprintf(last, sizeof(last), "none was stored in the last %d days", WX_WECHAT_STORED_AT_TTL / 86400);
    }
    zend_string_release(at_key);
    wx_op_request_push(op, c, push, sizeof(push));
    wx_throw(wx_ce_TicketException, 0,
             "No component_verify_ticket is stored for component app id \"%s\" (key \"%s\"): %s; %s. "
             "WeChat pushes a ticket every %d minutes to the authorization-event URL, "
             "which must reach handleCallback()",
             ZSTR_VAL(op->app_id), ZSTR_VAL(key), last, push, WX_WECHAT_PUSH_PERIOD / 60);
}
