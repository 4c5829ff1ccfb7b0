/*
 * Single flight: a token that is missing or expires within refresh_margin
 * is refreshed by the one process that wins the lock (core/wx_lock.h has
 * the protocol); the others wait for the lock to go away and read the new
 * token. When the refresh fails, the winner replaces the lock with the
 * error for a short back-off, so the waiters (and newcomers) get that
 * error instead of each calling WeChat in turn; a token that is still
 * valid keeps being served meanwhile.
 */
#include "platform.h"
#include "log.h"
#if PHP_VERSION_ID >= 80200
# include "ext/random/php_random.h"
#else
# include "ext/standard/php_random.h"
#endif

#include <unistd.h>

typedef struct {
    zend_string *key;
    zend_string *value;    /* NULL when missing */
    zend_long    pttl;     /* ms; -1 no expiry, -2 missing */
} wx_op_token_t;

static void wx_op_token_clear(wx_op_token_t *t)
{
    if (t->key) zend_string_release(t->key);
    if (t->value) zend_string_release(t->value);
    t->key = t->value = NULL;
}

/* The token's value, now the caller's. */
static zend_string *wx_op_token_take(wx_op_token_t *t)
{
    zend_string *v = t->value;
    t->value = NULL;
    return v;
}

/* GET + PTTL of the token in one round trip. Bytes that do not decode to a
 * string count as missing: a token can always be fetched again. */
static zend_result wx_op_token_read(wx_op_t *op, wx_cache_obj_t *c, wx_op_flight_t *f, wx_op_token_t *t)
{
    wx_argv_t cmds[2];
    redisReply *replies[2];
    zval v;

    wx_op_token_clear(t);
    if (!(t->key = f->kind->token_key(op, c, f))) {
        return FAILURE;
    }
    wx_op_argv_init(cmds, 2);
    wx_argv_add_cstr(&cmds[0], "GET");  wx_argv_add_zstr(&cmds[0], t->key);
    wx_argv_add_cstr(&cmds[1], "PTTL"); wx_argv_add_zstr(&cmds[1], t->key);
    if (wx_op_redis(c, cmds, 2, replies) == FAILURE) {
        return FAILURE;
    }
    if (wx_op_decode(c, t->key, replies[0], &v) == FAILURE || wx_op_as_string(t->key, &v, &t->value) == FAILURE) {
        zend_clear_exception();
        t->value = NULL;
    }
    t->pttl = replies[1]->type == REDIS_REPLY_INTEGER ? (zend_long) replies[1]->integer : -2;
    wx_op_free_replies(replies, 2);
    return SUCCESS;
}

static bool wx_op_token_fresh(wx_op_t *op, const wx_op_token_t *t)
{
    return t->value && (t->pttl == -1 || t->pttl > op->margin_ms);
}

static bool wx_op_token_usable(const wx_op_token_t *t)
{
    return t->value && (t->pttl == -1 || t->pttl > 0);
}

/* SET lock owner NX PX; *taken says whether we got it. */
static zend_result wx_op_lock(wx_op_t *op, wx_cache_obj_t *c, wx_op_flight_t *f, zend_string *owner, bool *taken)
{
    wx_argv_t cmd;
    redisReply *r;

    wx_argv_init(&cmd);
    wx_argv_add_cstr(&cmd, "SET"); wx_argv_add_zstr(&cmd, f->lock_key); wx_argv_add_zstr(&cmd, owner);
    wx_argv_add_cstr(&cmd, "NX"); wx_argv_add_cstr(&cmd, "PX"); wx_argv_add_long(&cmd, (zend_long) wx_lock_px(op->lock_timeout));
    if (!(r = wx_op_redis1(c, &cmd))) {
        return FAILURE;
    }
    *taken = r->type == REDIS_REPLY_STATUS;
    freeReplyObject(r);
    return SUCCESS;
}

/* Release our lock (compare-and-delete). Best effort: it expires anyway;
 * never throws, keeps a pending exception. */
static void wx_op_unlock(wx_cache_obj_t *c, wx_op_flight_t *f, zend_string *owner)
{
    zend_object *pending = wx_op_stash();
    zend_long n;
    wx_op_eval(c, WX_LOCK_LUA_COMPARE_AND_DELETE, f->lock_key, owner, NULL, NULL, &n);
    wx_op_unstash(pending);
}

static const struct {
    const char        *name;
    zend_class_entry **ce;
} wx_op_shared_classes[] = {
    { "TicketException", &wx_ce_TicketException },
    { "ApiException",    &wx_ce_ApiException },
    { "HttpException",   &wx_ce_HttpException },
};

/* Replace our lock by the pending exception (a WeChat, HTTP or ticket
 * error) for WX_WECHAT_ERROR_BACKOFF_MS, so that others get it instead of
 * calling WeChat again at once; other errors just release the lock. Keeps
 * the pending exception. */
static void wx_op_unlock_with_error(wx_cache_obj_t *c, wx_op_flight_t *f, zend_string *owner)
{
    zend_object *ex = wx_op_stash();
    zend_string *bytes = NULL;
    const char *name = NULL;
    zval marker, rv, *m;
    zend_long n;
    size_t i;
    char px[24];

    for (i = 0; ex && i < sizeof(wx_op_shared_classes) / sizeof(wx_op_shared_classes[0]); i++) {
        if (ex->ce == *wx_op_shared_classes[i].ce) {
            name = wx_op_shared_classes[i].name;
        }
    }
    if (!name) {
        wx_op_unstash(ex);
        wx_op_unlock(c, f, owner);
        return;
    }
    array_init(&marker);
    add_assoc_string(&marker, "error", name);
    m = zend_read_property_ex(ex->ce, ex, ZSTR_KNOWN(ZEND_STR_MESSAGE), 1, &rv);
    add_assoc_str(&marker, "message", zval_get_string(m));
    m = zend_read_property_ex(ex->ce, ex, ZSTR_KNOWN(ZEND_STR_CODE), 1, &rv);
    add_assoc_long(&marker, "code", zval_get_long(m));
    if (ex->ce == wx_ce_ApiException) {
        m = zend_read_property(wx_ce_ApiException, ex, ZEND_STRL("errmsg"), 1, &rv);
        add_assoc_str(&marker, "errmsg", zval_get_string(m));
        m = zend_read_property(wx_ce_ApiException, ex, ZEND_STRL("api"), 1, &rv);
        add_assoc_str(&marker, "api", zval_get_string(m));
    }
    snprintf(px, sizeof(px), "%d", WX_WECHAT_ERROR_BACKOFF_MS);
    if ((bytes = wx_op_encode(&marker, f->lock_key)) != NULL) {
        wx_op_eval(c, WX_LOCK_LUA_COMPARE_AND_SET, f->lock_key, owner, bytes, px, &n);
        zend_string_release(bytes);
    }
    zval_ptr_dtor(&marker);
    wx_op_unstash(ex);
}

/* Throw the error another process left in the lock. */
static ZEND_COLD void wx_op_throw_shared(wx_op_flight_t *f, HashTable *marker)
{
    zval *name = zend_hash_str_find(marker, ZEND_STRL("error"));
    zval *message = zend_hash_str_find(marker, ZEND_STRL("message"));
    zval *code = zend_hash_str_find(marker, ZEND_STRL("code"));
    zend_class_entry *ce = wx_ce_HttpException;
    zend_string *msg;
    size_t i;

    for (i = 0; name && Z_TYPE_P(name) == IS_STRING
                && i < sizeof(wx_op_shared_classes) / sizeof(wx_op_shared_classes[0]); i++) {
        const char *known = wx_op_shared_classes[i].name;
        if (Z_STRLEN_P(name) == strlen(known) && memcmp(Z_STRVAL_P(name), known, Z_STRLEN_P(name)) == 0) {
            ce = *wx_op_shared_classes[i].ce;
        }
    }
    msg = zend_strpprintf(0, "%s (the last %s refresh failed with this error less than %d ms ago; "
                          "the next try comes after that back-off)",
                          message && Z_TYPE_P(message) == IS_STRING ? Z_STRVAL_P(message) : "refresh failed",
                          f->kind->what, WX_WECHAT_ERROR_BACKOFF_MS);
    if (ce == wx_ce_ApiException) {
        zval *errmsg = zend_hash_str_find(marker, ZEND_STRL("errmsg"));
        zval *api = zend_hash_str_find(marker, ZEND_STRL("api"));
        wx_op_api_exception(ZSTR_VAL(msg), code ? zval_get_long(code) : 0,
                            errmsg && Z_TYPE_P(errmsg) == IS_STRING ? Z_STR_P(errmsg) : NULL,
                            api && Z_TYPE_P(api) == IS_STRING ? Z_STR_P(api) : NULL);
    } else {
        zend_throw_exception(ce, ZSTR_VAL(msg), code ? zval_get_long(code) : 0);
    }
    zend_string_release(msg);
}

/* Wait until the lock is gone (SUCCESS: read the token again) or holds an
 * error (thrown), at most until deadline (HttpException). */
static zend_result wx_op_wait(wx_op_t *op, wx_cache_obj_t *c, wx_op_flight_t *f, double deadline)
{
    unsigned sleep_us = WX_LOCK_POLL_FIRST_US;

    for (;;) {
        wx_argv_t cmd;
        redisReply *r;
        bool gone;

        wx_argv_init(&cmd);
        wx_argv_add_cstr(&cmd, "GET");
        wx_argv_add_zstr(&cmd, f->lock_key);
        if (!(r = wx_op_redis1(c, &cmd))) {
            return FAILURE;
        }
        gone = r->type != REDIS_REPLY_STRING;
        if (!gone && wx_lock_holds_error(r->str, r->len)) {
            zval marker;
            if (wx_op_decode(c, f->lock_key, r, &marker) == SUCCESS) {
                if (Z_TYPE(marker) == IS_ARRAY) {
                    wx_op_throw_shared(f, Z_ARRVAL(marker));
                }
                zval_ptr_dtor(&marker);
            }
            if (EG(exception)) {
                freeReplyObject(r);
                return FAILURE;
            }
        }
        freeReplyObject(r);
        if (gone) {
            return SUCCESS;
        }
        if (wx_http_now() >= deadline) {
            wx_throw(wx_ce_HttpException, 0,
                     "Timed out after %.3g s waiting for another process to refresh the %s (lock \"%s\"): "
                     "its WeChat call is slow or it died; the lock expires after lock_timeout (%.3g s)",
                     wx_lock_wait_limit(op->lock_timeout, op->http_timeout), f->kind->what, ZSTR_VAL(f->lock_key),
                     op->lock_timeout);
            return FAILURE;
        }
        usleep(sleep_us);
        sleep_us = wx_lock_poll_next(sleep_us);
    }
}

/* An event's context: which token, whose. */
static void wx_op_flight_ctx(const wx_op_flight_t *f, zval *ctx)
{
    array_init(ctx);
    add_assoc_string(ctx, "token", (char *) f->kind->what);
    if (f->authorizer) {
        add_assoc_str(ctx, "authorizer_app_id", zend_string_copy(f->authorizer));
    } else {
        add_assoc_null(ctx, "authorizer_app_id");
    }
}

/* token.refreshed / refresh.failed (the pending exception), and the
 * fleet's last refresh error. */
static void wx_op_flight_log(wx_op_t *op, wx_cache_obj_t *c, wx_op_flight_t *f, zend_string *owner,
                             zend_string *fresh, double started, bool served_cached)
{
    zend_long latency = (zend_long) ((wx_http_now() - started) * 1000);
    zend_object *ex = EG(exception);
    zval ctx;

    if (!fresh && ex) {
        wx_op_record_refresh_error(op, c, f->kind->what, f->authorizer, ex);
    }
    if (!wx_op_log_on(op, c)) {
        return;
    }
    wx_op_flight_ctx(f, &ctx);
    add_assoc_long(&ctx, "latency_ms", latency);
    if (fresh) {
        /* owner is the lock value, encoded (s:32:"<hex>";): the hex is what
         * another process sees in the lock */
        const char *q = memchr(ZSTR_VAL(owner), '"', ZSTR_LEN(owner));
        size_t hl = q && ZSTR_LEN(owner) >= (size_t) (q - ZSTR_VAL(owner)) + 3
                    ? ZSTR_LEN(owner) - (size_t) (q - ZSTR_VAL(owner)) - 3 : 0;
        add_assoc_stringl(&ctx, "lock_owner", q ? q + 1 : "", hl);
        wx_log_add_fp(&ctx, "fingerprint", ZSTR_VAL(fresh), ZSTR_LEN(fresh));
        wx_op_log(op, c, WX_EV_TOKEN_REFRESHED, &ctx);
        return;
    }
    if (ex) {
        zval rv, *code;
        code = zend_read_property_ex(ex->ce, ex, ZSTR_KNOWN(ZEND_STR_CODE), 1, &rv);
        add_assoc_long(&ctx, "errcode", zval_get_long(code));
        add_assoc_str(&ctx, "error", zend_string_copy(ex->ce->name));
        if (ex->ce == wx_ce_ApiException) {
            zval *api = zend_read_property(wx_ce_ApiException, ex, ZEND_STRL("api"), 1, &rv);
            add_assoc_str(&ctx, "api", zval_get_string(api));
        } else {
            add_assoc_null(&ctx, "api");
        }
        add_assoc_str(&ctx, "reason", zend_string_copy(wx_log_exception_message(ex)));
    } else {
        add_assoc_long(&ctx, "errcode", 0);
        add_assoc_null(&ctx, "error");
        add_assoc_null(&ctx, "api");
        add_assoc_null(&ctx, "reason");
    }
    add_assoc_bool(&ctx, "served_cached", served_cached);
    wx_op_log(op, c, WX_EV_REFRESH_FAILED, &ctx);
}

/* Under our lock: read again (the previous holder may have just stored
 * it), else refresh. */
static zend_string *wx_op_refresh_locked(wx_op_t *op, wx_cache_obj_t *c, wx_op_flight_t *f,
                                         zend_string *owner, wx_op_token_t *t)
{
    zend_string *fresh;
    double started;

    if (wx_op_token_read(op, c, f, t) == FAILURE) {
        wx_op_unlock(c, f, owner);
        return NULL;
    }
    if (wx_op_token_fresh(op, t)) {
        wx_op_unlock(c, f, owner);
        return wx_op_token_take(t);
    }
    started = wx_http_now();
    if ((fresh = f->kind->refresh(op, c, f)) != NULL) {
        wx_op_unlock(c, f, owner);
        wx_op_flight_log(op, c, f, owner, fresh, started, false);
        return fresh;
    }
    wx_op_unlock_with_error(c, f, owner);
    wx_op_flight_log(op, c, f, owner, NULL, started, wx_op_token_usable(t));
    if (wx_op_token_usable(t)) {
        /* WeChat failed, but the token we have is still valid for a while:
         * serve it; the next try comes after the back-off */
        zend_clear_exception();
        return wx_op_token_take(t);
    }
    return NULL;
}

/* lock.waited: how long we waited for another process's refresh, and how it ended. */
static void wx_op_log_wait(wx_op_t *op, wx_cache_obj_t *c, wx_op_flight_t *f, double since, const char *outcome)
{
    zval ctx;

    if (!wx_op_log_on(op, c)) {
        return;
    }
    wx_op_flight_ctx(f, &ctx);
    add_assoc_long(&ctx, "waited_ms", (zend_long) ((wx_http_now() - since) * 1000));
    add_assoc_string(&ctx, "outcome", (char *) outcome);
    wx_op_log(op, c, WX_EV_LOCK_WAITED, &ctx);
}

/* The flight f, with its lock taken when the token needs a refresh. */
static zend_string *wx_op_fly(wx_op_t *op, wx_cache_obj_t *c, wx_op_flight_t *f)
{
    wx_op_token_t t = {0};
    zend_string *result = NULL, *owner = NULL, *owner_raw;
    unsigned char rnd[WX_LOCK_OWNER_BYTES];
    char hex[WX_LOCK_OWNER_HEX + 1];
    double deadline = 0, wait_start = 0;
    bool prepared = false, waited = false;

    for (;;) {
        bool taken;

        if (wx_op_token_read(op, c, f, &t) == FAILURE) {
            break;
        }
        if (wx_op_token_fresh(op, &t)) {
            result = wx_op_token_take(&t);
            break;
        }
        if (!owner) {
            if (php_random_bytes_throw(rnd, sizeof(rnd)) == FAILURE) {
                break;
            }
            wx_lock_owner(rnd, hex);
            owner_raw = zend_string_init(hex, WX_LOCK_OWNER_HEX, 0);
            owner = wx_op_encode_str(owner_raw, f->lock_key);
            zend_string_release(owner_raw);
            if (!owner) {
                break;
            }
        }
        if (f->kind->prepare && !prepared) {
            if (f->kind->prepare(op, c, f) == FAILURE) {
                if (wx_op_token_usable(&t)) {
                    /* cannot refresh now, but ours is still valid */
                    zend_clear_exception();
                    result = wx_op_token_take(&t);
                }
                break;
            }
            prepared = true;
        }
        if (wx_op_lock(op, c, f, owner, &taken) == FAILURE) {
            break;
        }
        if (taken) {
            result = wx_op_refresh_locked(op, c, f, owner, &t);
            break;
        }
        if (wx_op_token_usable(&t)) {
            /* someone else is refreshing; ours is still valid */
            result = wx_op_token_take(&t);
            break;
        }
        if (deadline == 0) {
            wait_start = wx_http_now();
            deadline = wait_start + wx_lock_wait_limit(op->lock_timeout, op->http_timeout);
        }
        if (wx_op_wait(op, c, f, deadline) == FAILURE) {
            wx_op_log_wait(op, c, f, wait_start,
                           EG(exception) && EG(exception)->ce == wx_ce_HttpException && wx_http_now() >= deadline
                           ? "timeout" : "error");
            break;
        }
        waited = true;
    }
    if (waited && result) {
        wx_op_log_wait(op, c, f, wait_start, "token_read");
    }
    wx_op_token_clear(&t);
    if (owner) {
        zend_string_release(owner);
    }
    return result;
}

zend_string *wx_op_single_flight(wx_op_t *op, wx_cache_obj_t *c, const wx_op_flight_kind_t *kind,
                                 zend_string *authorizer)
{
    wx_op_flight_t f = { kind, NULL, authorizer, NULL };
    zend_string *token;

    f.lock_key = wx_op_key(op, c, kind->lock, authorizer, NULL);
    token = wx_op_fly(op, c, &f);
    zend_string_release(f.lock_key);
    if (f.refresh_token) {
        zend_string_release(f.refresh_token);
    }
    return token;
}
