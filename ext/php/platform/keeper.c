/*
 * The token keeper: refreshDue() refreshes the authorizer tokens that
 * expire within refresh_margin, soonest first (ZRANGEBYSCORE on the
 * registry), each through the usual single flight (so a request that
 * refreshes the same token at the same moment makes it one refresh, not
 * two), and spreads the WeChat calls at keeper_rate per second across the
 * whole fleet: every refresh first reserves a slot on Redis's clock
 * (WX_LOCK_LUA_PACE, one key), so keepers on several servers, or cron
 * runs that overlap, share one rate and 10,000 tokens due together never
 * burst.
 */
#include "platform.h"

#include <math.h>
#include <time.h>
#include <unistd.h>

/* A failed authorizer goes this far behind the others, so that accounts
 * that cannot be refreshed do not take every pass's first places. */
#define WX_OP_KEEPER_RETRY_S 300
/* A keeper that takes a due entry moves it this far ahead (a lease): the
 * other keepers skip it, and if this one dies it is due again after that. */
#define WX_OP_KEEPER_LEASE_S 30
/* Sleeping for a slot is cut in steps this long, to notice signals. */
#define WX_OP_KEEPER_NAP_US  50000

static bool wx_op_interrupted(void)
{
    return zend_atomic_bool_load_ex(&EG(vm_interrupt));
}

zend_result wx_op_pace(wx_op_t *op, wx_cache_obj_t *c, bool *interrupted)
{
    zend_string *key = wx_op_key(op, c, WX_KEY_KEEPER_PACE, NULL, NULL);
    zend_long step = (zend_long) MAX(1.0, floor(1000.0 / op->keeper_rate + 0.5)), wait_ms = 0;
    wx_argv_t cmd;
    redisReply *r;
    double until;

    *interrupted = false;
    wx_argv_init(&cmd);
    wx_argv_add_cstr(&cmd, "EVAL"); wx_argv_add_cstr(&cmd, WX_LOCK_LUA_PACE); wx_argv_add_cstr(&cmd, "1");
    wx_argv_add_zstr(&cmd, key);
    wx_argv_add_long(&cmd, step);
    /* the key lives WX_WECHAT_KEEPER_PACE_TTL past the slot it hands out */
    wx_argv_add_long(&cmd, (zend_long) WX_WECHAT_KEEPER_PACE_TTL * 1000 - step);
    r = wx_op_redis1(c, &cmd);
    zend_string_release(key);
    if (!r) {
        return FAILURE;
    }
    wait_ms = r->type == REDIS_REPLY_INTEGER ? (zend_long) r->integer : 0;
    freeReplyObject(r);
    until = wx_http_now() + (double) wait_ms / 1000.0;
    for (;;) {
        double left = until - wx_http_now();
        if (wx_op_interrupted()) {
            *interrupted = true;   /* a signal (SIGTERM): stop where we are */
            return FAILURE;
        }
        if (left <= 0) {
            return SUCCESS;
        }
        usleep((useconds_t) MIN(left * 1e6, (double) WX_OP_KEEPER_NAP_US));
    }
}

typedef struct {
    zval refreshed, fresh, busy, failed;
    zend_long recovered;
} wx_op_pass_t;

static void wx_op_pass_failed(wx_op_pass_t *p, zend_string *appid, zend_long errcode, zend_string *message)
{
    zval e;
    array_init(&e);
    add_assoc_long(&e, "errcode", errcode);
    add_assoc_str(&e, "message", message);
    add_assoc_zval_ex(&p->failed, ZSTR_VAL(appid), ZSTR_LEN(appid), &e);
}

/* The pending exception as a failure of appid, cleared; FAILURE (kept
 * pending) when it is not about this one account (Redis failed). */
static zend_result wx_op_pass_exception(wx_op_pass_t *p, zend_string *appid)
{
    zend_object *ex = EG(exception);
    zval rv, *code;
    zend_long errcode;

    code = zend_read_property_ex(ex->ce, ex, ZSTR_KNOWN(ZEND_STR_CODE), 1, &rv);
    errcode = zval_get_long(code);
    if (!(ex->ce == wx_ce_ApiException || ex->ce == wx_ce_HttpException || ex->ce == wx_ce_TicketException
          || (errcode == WX_OP_ERR_NO_REFRESH_TOKEN && strstr(ZSTR_VAL(ex->ce->name), "InvalidArgument")))) {
        return FAILURE;
    }
    wx_op_pass_failed(p, appid, errcode, wx_exception_take_message());
    return SUCCESS;
}

/* ZADD one score (best effort inside a pass: FAILURE only on Redis). */
static zend_result wx_op_pass_score(wx_op_t *op, wx_cache_obj_t *c, zend_string *appid, zend_long score)
{
    wx_argv_t cmd;
    redisReply *r;
    wx_argv_init(&cmd);
    wx_op_registry_cmd_add(op, c, &cmd, appid, score, false);
    if (!(r = wx_op_redis1(c, &cmd))) {
        return FAILURE;
    }
    freeReplyObject(r);
    return SUCCESS;
}

/* A token served without a refresh: fresh already (score corrected from
 * its PTTL: an import or a recovery left 0), being refreshed by another
 * process (busy), or its refresh failed while it is still usable (the
 * error the lock holds for the back-off). */
static zend_result wx_op_pass_unrefreshed(wx_op_t *op, wx_cache_obj_t *c, wx_op_pass_t *p, zend_string *appid)
{
    zend_string *refresh = NULL, *tkey, *lkey;
    wx_argv_t cmds[2];
    redisReply *replies[2];
    zend_long pttl;
    zend_result rc;

    if (wx_op_get_refresh_token(op, c, appid, &refresh) == FAILURE) {
        return FAILURE;
    }
    if (!refresh) {
        add_next_index_str(&p->busy, zend_string_copy(appid));   /* revoked meanwhile */
        return SUCCESS;
    }
    tkey = wx_op_key(op, c, WX_KEY_AUTHORIZER_TOKEN, appid, refresh);
    lkey = wx_op_key(op, c, WX_KEY_AUTHORIZER_LOCK, appid, NULL);
    wx_op_argv_init(cmds, 2);
    wx_argv_add_cstr(&cmds[0], "PTTL"); wx_argv_add_zstr(&cmds[0], tkey);
    wx_argv_add_cstr(&cmds[1], "GET"); wx_argv_add_zstr(&cmds[1], lkey);
    rc = wx_op_redis(c, cmds, 2, replies);
    zend_string_release(refresh);
    if (rc == FAILURE) {
        goto out;
    }
    pttl = replies[0]->type == REDIS_REPLY_INTEGER ? (zend_long) replies[0]->integer : -2;
    if (pttl == -1 || pttl > op->margin_ms) {
        add_next_index_str(&p->fresh, zend_string_copy(appid));
        rc = wx_op_pass_score(op, c, appid, pttl == -1 ? 0 : (zend_long) time(NULL) + pttl / 1000);
    } else if (replies[1]->type == REDIS_REPLY_STRING && wx_lock_holds_error(replies[1]->str, replies[1]->len)) {
        zval marker, *code, *message;
        if (wx_op_decode(c, lkey, replies[1], &marker) == SUCCESS && Z_TYPE(marker) == IS_ARRAY) {
            code = zend_hash_str_find(Z_ARRVAL(marker), ZEND_STRL("code"));
            message = zend_hash_str_find(Z_ARRVAL(marker), ZEND_STRL("message"));
            wx_op_pass_failed(p, appid, code ? zval_get_long(code) : 0,
                              message ? zval_get_string(message) : ZSTR_INIT_LITERAL("refresh failed", 0));
        } else {
            zend_clear_exception();
            wx_op_pass_failed(p, appid, 0, ZSTR_INIT_LITERAL("refresh failed", 0));
        }
        zval_ptr_dtor(&marker);
    } else {
        add_next_index_str(&p->busy, zend_string_copy(appid));
    }
    wx_op_free_replies(replies, 2);
out:
    zend_string_release(tkey);
    zend_string_release(lkey);
    return rc;
}

/* One registry entry. FAILURE: stop the pass (Redis, or a signal with
 * *stop set and no exception). */
static zend_result wx_op_pass_one(wx_op_t *op, wx_cache_obj_t *c, wx_op_pass_t *p, zend_string *appid, bool *stop)
{
    zend_long before = op->refreshes;
    zend_string *token;

    if (wx_op_check_appid(ZSTR_VAL(appid), ZSTR_LEN(appid), "authorizer app id in the registry") == FAILURE) {
        wx_argv_t cmd;
        redisReply *r;
        wx_op_pass_failed(p, appid, WX_OP_ERR_CONFIG, wx_exception_take_message());
        /* nothing we wrote: no key can be built for it, so out it goes */
        wx_argv_init(&cmd);
        wx_op_registry_cmd_rem(op, c, &cmd, appid);
        if (!(r = wx_op_redis1(c, &cmd))) {
            return FAILURE;
        }
        freeReplyObject(r);
        return SUCCESS;
    }
    token = wx_op_authorizer_token(op, c, appid);
    if (!token) {
        if (!EG(exception)) {
            *stop = true;   /* the pace was interrupted before the refresh */
            return FAILURE;
        }
        if (wx_op_pass_exception(p, appid) == FAILURE) {
            return FAILURE;
        }
        return wx_op_pass_score(op, c, appid, (zend_long) time(NULL) + WX_OP_KEEPER_RETRY_S + op->margin_ms / 1000);
    }
    zend_string_release(token);
    if (op->refreshes > before) {
        add_next_index_str(&p->refreshed, zend_string_copy(appid));
        return SUCCESS;
    }
    if (wx_op_interrupted()) {
        *stop = true;
    }
    return wx_op_pass_unrefreshed(op, c, p, appid);
}

/* Take a due entry read with score: *taken when no other keeper did. */
static zend_result wx_op_pass_claim(wx_op_t *op, wx_cache_obj_t *c, zend_string *appid, const char *score, size_t score_len,
                                    bool *taken)
{
    wx_argv_t cmd;
    redisReply *r;

    wx_argv_init(&cmd);
    wx_argv_add_cstr(&cmd, "EVAL"); wx_argv_add_cstr(&cmd, WX_LOCK_LUA_CLAIM); wx_argv_add_cstr(&cmd, "1");
    wx_argv_add_owned(&cmd, wx_op_key(op, c, WX_KEY_AUTHORIZER_REGISTRY, NULL, NULL));
    wx_argv_add_zstr(&cmd, appid);
    wx_argv_add(&cmd, score, score_len);
    wx_argv_add_long(&cmd, (zend_long) time(NULL) + WX_OP_KEEPER_LEASE_S);
    if (!(r = wx_op_redis1(c, &cmd))) {
        return FAILURE;
    }
    *taken = r->type == REDIS_REPLY_INTEGER && r->integer == 1;
    freeReplyObject(r);
    return SUCCESS;
}

/* The registry's soonest score and how many are due now. */
static zend_result wx_op_pass_next(wx_op_t *op, wx_cache_obj_t *c, zval *result)
{
    /* due now, not when the pass began: a long pass must not hide what
     * came due while it ran */
    zend_long until = (zend_long) time(NULL) + op->margin_ms / 1000 - 1;
    zend_string *key = wx_op_key(op, c, WX_KEY_AUTHORIZER_REGISTRY, NULL, NULL);
    wx_argv_t cmds[3];
    redisReply *replies[3];
    zend_result rc;

    wx_op_argv_init(cmds, 3);
    wx_argv_add_cstr(&cmds[0], "ZRANGE"); wx_argv_add_zstr(&cmds[0], key);
    wx_argv_add_cstr(&cmds[0], "0"); wx_argv_add_cstr(&cmds[0], "0"); wx_argv_add_cstr(&cmds[0], "WITHSCORES");
    wx_argv_add_cstr(&cmds[1], "ZCOUNT"); wx_argv_add_zstr(&cmds[1], key);
    wx_argv_add_cstr(&cmds[1], "-inf"); wx_argv_add_long(&cmds[1], until);
    wx_argv_add_cstr(&cmds[2], "ZCARD"); wx_argv_add_zstr(&cmds[2], key);
    rc = wx_op_redis(c, cmds, 3, replies);
    zend_string_release(key);
    if (rc == FAILURE) {
        return FAILURE;
    }
    if (replies[0]->type == REDIS_REPLY_ARRAY && replies[0]->elements == 2
            && replies[0]->element[1]->type == REDIS_REPLY_STRING) {
        zend_long soonest = ZEND_STRTOL(replies[0]->element[1]->str, NULL, 10);
        zend_long now = (zend_long) time(NULL);
        /* when a token next enters the margin (now: already due) */
        add_assoc_long(result, "next_due", MAX(now, soonest - op->margin_ms / 1000));
    } else {
        add_assoc_null(result, "next_due");
    }
    add_assoc_long(result, "due", replies[1]->type == REDIS_REPLY_INTEGER ? (zend_long) replies[1]->integer : 0);
    add_assoc_long(result, "authorizers", replies[2]->type == REDIS_REPLY_INTEGER ? (zend_long) replies[2]->integer : 0);
    wx_op_free_replies(replies, 3);
    return SUCCESS;
}

zend_result wx_op_refresh_due(wx_op_t *op, wx_cache_obj_t *c, zend_long limit, zval *result)
{
    zend_string *key = wx_op_key(op, c, WX_KEY_AUTHORIZER_REGISTRY, NULL, NULL);
    double started = wx_http_now();
    /* due: expires before now + margin, with a second to spare so that a
     * token picked is one the single flight does refresh (its PTTL is
     * then below the margin, whatever the rounding to seconds) */
    zend_long until = (zend_long) time(NULL) + op->margin_ms / 1000 - 1;
    wx_op_pass_t p;
    wx_argv_t cmd;
    redisReply *r;
    zend_result rc = SUCCESS;
    bool stop = false;
    size_t i;

    wx_argv_init(&cmd);
    wx_argv_add_cstr(&cmd, "ZRANGEBYSCORE"); wx_argv_add_zstr(&cmd, key);
    wx_argv_add_cstr(&cmd, "-inf"); wx_argv_add_long(&cmd, until);
    wx_argv_add_cstr(&cmd, "WITHSCORES");
    wx_argv_add_cstr(&cmd, "LIMIT"); wx_argv_add_cstr(&cmd, "0"); wx_argv_add_long(&cmd, limit);
    r = wx_op_redis1(c, &cmd);
    zend_string_release(key);
    if (!r) {
        return FAILURE;
    }
    array_init(&p.refreshed);
    array_init(&p.fresh);
    array_init(&p.busy);
    array_init(&p.failed);
    op->pacing = true;
    for (i = 0; r->type == REDIS_REPLY_ARRAY && i + 1 < r->elements && !stop; i += 2) {
        redisReply *m = r->element[i], *sc = r->element[i + 1];
        zend_string *appid;
        bool taken;
        if (m->type != REDIS_REPLY_STRING || sc->type != REDIS_REPLY_STRING) {
            continue;
        }
        appid = zend_string_init(m->str, m->len, 0);
        /* another keeper took it (or it was refreshed) since we read it */
        if ((rc = wx_op_pass_claim(op, c, appid, sc->str, sc->len, &taken)) == SUCCESS) {
            if (taken) {
                rc = wx_op_pass_one(op, c, &p, appid, &stop);
            } else {
                add_next_index_str(&p.busy, zend_string_copy(appid));
            }
        }
        zend_string_release(appid);
        if (rc == FAILURE) {
            if (stop && !EG(exception)) {
                rc = SUCCESS;   /* interrupted: report what was done */
            }
            break;
        }
    }
    op->pacing = false;
    freeReplyObject(r);
    if (rc == SUCCESS) {
        array_init(result);
        add_assoc_zval(result, "refreshed", &p.refreshed);
        add_assoc_zval(result, "skipped_fresh", &p.fresh);
        add_assoc_zval(result, "skipped_busy", &p.busy);
        add_assoc_zval(result, "failed", &p.failed);
        if (wx_op_pass_next(op, c, result) == FAILURE) {
            zval_ptr_dtor(result);
            ZVAL_UNDEF(result);
            return FAILURE;
        }
        add_assoc_bool(result, "interrupted", stop);
        add_assoc_double(result, "seconds", wx_http_now() - started);
        return SUCCESS;
    }
    zval_ptr_dtor(&p.refreshed);
    zval_ptr_dtor(&p.fresh);
    zval_ptr_dtor(&p.busy);
    zval_ptr_dtor(&p.failed);
    return FAILURE;
}
