/*
 * Lost refresh tokens, asked back from WeChat: api_get_authorizer_info
 * returns authorization_info.authorizer_refresh_token, and
 * api_get_authorizer_list pages through every authorized account (its
 * refresh_token field is sometimes absent: then info is asked for that
 * one).
 *
 * What WeChat returns is stored compare-and-set against the value read
 * before the call (WX_LOCK_LUA_SET_IF_UNCHANGED): written only when the
 * key is still missing or still holds that value, so a refresh token
 * stored meanwhile (a re-authorization, a refresh that rotated it) is
 * newer and stays. One recovery runs at a time across all servers: for
 * one authorizer through single flight (its own lock, the error shared
 * for the back-off), for all under a lock renewed page by page.
 */
#include "platform.h"
#include "log.h"

#if PHP_VERSION_ID >= 80200
# include "ext/random/php_random.h"
#else
# include "ext/standard/php_random.h"
#endif

#include <sys/time.h>

/* The refresh_token.recovered event: which authorizer, its fingerprint, where from. */
static void wx_op_log_recovered(wx_op_t *op, wx_cache_obj_t *c, zend_string *authorizer, zend_string *refresh,
                                const char *source)
{
    if (wx_op_log_on(op, c)) {
        zval ctx;
        array_init(&ctx);
        add_assoc_str(&ctx, "authorizer_app_id", zend_string_copy(authorizer));
        wx_log_add_fp(&ctx, "refresh_token", ZSTR_VAL(refresh), ZSTR_LEN(refresh));
        add_assoc_string(&ctx, "source", source);
        wx_op_log(op, c, WX_EV_REFRESH_TOKEN_RECOVERED, &ctx);
    }
}

/* ------------------------------------------------------ compare-and-set */

zend_result wx_op_refresh_cas(wx_op_t *op, wx_cache_obj_t *c, zend_string *authorizer, zend_string *expected,
                              zend_string *refresh, bool *written)
{
    zend_string *key = wx_op_key(op, c, WX_KEY_REFRESH_TOKEN, authorizer, NULL);
    zend_string *v_new = wx_op_encode_str(refresh, key);
    zend_string *v_old = expected ? wx_op_encode_str(expected, key) : NULL;
    wx_argv_t cmds[3];
    redisReply *replies[3];
    zend_result rc = FAILURE;

    *written = false;
    if (v_new && (!expected || v_old)) {
        wx_op_argv_init(cmds, 3);
        wx_argv_add_cstr(&cmds[0], "EVAL"); wx_argv_add_cstr(&cmds[0], WX_LOCK_LUA_SET_IF_UNCHANGED);
        wx_argv_add_cstr(&cmds[0], "1"); wx_argv_add_zstr(&cmds[0], key);
        if (v_old) {
            wx_argv_add_zstr(&cmds[0], v_old);
        } else {
            wx_argv_add(&cmds[0], "", 0);
        }
        wx_argv_add_zstr(&cmds[0], v_new);
        /* a refresh token is stored either way (ours or a newer one); its
         * access token is keyed by it, so the expiry is unknown again
         * (NX: a newer one's known expiry stays) */
        wx_op_registry_cmd_add(op, c, &cmds[1], authorizer, 0, true);
        wx_op_missing_cmd(op, c, &cmds[2], authorizer, false);
        /* durable when min_replicas asks for it, as every refresh-token write */
        char what[WX_KEYS_APPID_MAX + 48];
        snprintf(what, sizeof(what), "the refresh token of authorizer \"%s\"", ZSTR_VAL(authorizer));
        if (wx_op_redis_durable(op, c, cmds, 3, 0, replies, what) == SUCCESS) {
            *written = replies[0]->type == REDIS_REPLY_INTEGER && replies[0]->integer == 1;
            wx_op_free_replies(replies, 3);
            rc = SUCCESS;
        }
    }
    if (v_new) zend_string_release(v_new);
    if (v_old) zend_string_release(v_old);
    zend_string_release(key);
    return rc;
}

/* ------------------------------------------------ api_get_authorizer_info */

/* The refresh token WeChat's api_get_authorizer_info gives for authorizer
 * (*out NULL when its answer has none). FAILURE: the call failed. */
static zend_result wx_op_info_refresh(wx_op_t *op, wx_cache_obj_t *c, zend_string *authorizer, zend_string **out)
{
    zval body, answer, *ai, *rt;
    zend_result rc;

    *out = NULL;
    wx_op_api_body(op, &body);
    add_assoc_str(&body, "authorizer_appid", zend_string_copy(authorizer));
    rc = wx_op_api_component(op, c, WX_WECHAT_API_AUTHORIZER_INFO, &body, &answer);
    zval_ptr_dtor(&body);
    if (rc == FAILURE) {
        return FAILURE;
    }
    ai = zend_hash_str_find(Z_ARRVAL(answer), ZEND_STRL("authorization_info"));
    if (ai && Z_TYPE_P(ai) == IS_ARRAY
            && (rt = zend_hash_str_find(Z_ARRVAL_P(ai), ZEND_STRL("authorizer_refresh_token"))) != NULL
            && Z_TYPE_P(rt) == IS_STRING && Z_STRLEN_P(rt) > 0) {
        *out = zend_string_copy(Z_STR_P(rt));
    }
    zval_ptr_dtor(&answer);
    return SUCCESS;
}

/* ------------------------------------------ one authorizer: none stored */

static zend_string *wx_op_rt_key_cb(wx_op_t *op, wx_cache_obj_t *c, wx_op_flight_t *f)
{
    return wx_op_key(op, c, WX_KEY_REFRESH_TOKEN, f->authorizer, NULL);
}

/* Under the recovery lock, with none stored: ask WeChat, store it unless
 * one came meanwhile (then that one, newer, is the answer). */
static zend_string *wx_op_rt_recover(wx_op_t *op, wx_cache_obj_t *c, wx_op_flight_t *f)
{
    zend_string *refresh, *stored = NULL;
    bool written;

    if (wx_op_info_refresh(op, c, f->authorizer, &refresh) == FAILURE) {
        return NULL;
    }
    if (!refresh) {
        wx_throw_invalid(WX_OP_ERR_NO_REFRESH_TOKEN,
            "WeChat api_get_authorizer_info answered without authorization_info.authorizer_refresh_token");
        return NULL;
    }
    if (wx_op_refresh_cas(op, c, f->authorizer, NULL, refresh, &written) == FAILURE) {
        zend_string_release(refresh);
        return NULL;
    }
    if (written) {
        wx_op_log_recovered(op, c, f->authorizer, refresh, "api_get_authorizer_info");
        return refresh;
    }
    zend_string_release(refresh);
    if (wx_op_get_refresh_token(op, c, f->authorizer, &stored) == SUCCESS && !stored) {
        wx_throw_invalid(WX_OP_ERR_NO_REFRESH_TOKEN, "the refresh token changed while it was recovered; try again");
    }
    return stored;
}

static zend_result wx_op_rt_prepare(wx_op_t *op, wx_cache_obj_t *c, wx_op_flight_t *f)
{
    zend_string *token = wx_op_component_token(op, c);
    if (!token) {
        return FAILURE;
    }
    zend_string_release(token);
    return SUCCESS;
}

static const wx_op_flight_kind_t wx_op_recover_flight = {
    "authorizer_refresh_token recovery", WX_KEY_RECOVER_LOCK, wx_op_rt_key_cb, wx_op_rt_recover, wx_op_rt_prepare
};

/* Errors that say WeChat would not or could not give it back (wrapped in
 * ERROR_NO_REFRESH_TOKEN); anything else (Redis) goes up as it is. */
static bool wx_op_recovery_error(zend_object *ex)
{
    zval rv, *code;
    if (!ex) {
        return false;
    }
    if (ex->ce == wx_ce_ApiException || ex->ce == wx_ce_HttpException || ex->ce == wx_ce_TicketException) {
        return true;
    }
    code = zend_read_property_ex(ex->ce, ex, ZSTR_KNOWN(ZEND_STR_CODE), 1, &rv);
    return instanceof_function(ex->ce, zend_ce_exception) && zval_get_long(code) == WX_OP_ERR_NO_REFRESH_TOKEN
           && strstr(ZSTR_VAL(ex->ce->name), "InvalidArgument") != NULL;
}

zend_string *wx_op_recover_missing(wx_op_t *op, wx_cache_obj_t *c, zend_string *authorizer)
{
    zend_string *refresh = wx_op_single_flight(op, c, &wx_op_recover_flight, authorizer);
    zend_string *key, *reason;
    zend_object *previous;
    zval rv;

    if (refresh || !wx_op_recovery_error(EG(exception))) {
        return refresh;
    }
    reason = zval_get_string(zend_read_property_ex(EG(exception)->ce, EG(exception), ZSTR_KNOWN(ZEND_STR_MESSAGE), 1, &rv));
    wx_op_registry_mark_missing(op, c, authorizer);
    key = wx_op_key(op, c, WX_KEY_REFRESH_TOKEN, authorizer, NULL);
    /* thrown with WeChat's error as its previous exception (set by hand:
     * the bridge declares the class lazily, which wants no exception pending) */
    previous = wx_op_stash();
    wx_throw_invalid(WX_OP_ERR_NO_REFRESH_TOKEN,
        "No authorizer_refresh_token is stored for authorizer \"%s\" of component \"%s\" (key \"%s\"), and WeChat "
        "did not give it back (%s): it is stored when the account authorizes the platform (handleCallback() or "
        "handleAuthorization()) and removed when it revokes; import one with setAuthorizerRefreshToken()",
        ZSTR_VAL(authorizer), ZSTR_VAL(op->app_id), ZSTR_VAL(key), ZSTR_VAL(reason));
    if (EG(exception) && previous) {
        zend_exception_set_previous(EG(exception), previous);
    } else if (previous) {
        OBJ_RELEASE(previous);
    }
    zend_string_release(key);
    zend_string_release(reason);
    return NULL;
}

/* --------------------------------------- one authorizer: 61023 (rejected) */

zend_string *wx_op_recover_rejected(wx_op_t *op, wx_cache_obj_t *c, zend_string *authorizer, zend_string *used)
{
    zend_object *pending = wx_op_stash();   /* the 61023, thrown again when this fails */
    zend_string *current = NULL, *stored = NULL;
    bool written = false;

    if (wx_op_info_refresh(op, c, authorizer, &current) == FAILURE) {
        zend_clear_exception();
    } else if (current && !zend_string_equals(current, used)
               && wx_op_refresh_cas(op, c, authorizer, used, current, &written) == SUCCESS) {
        if (written) {
            wx_op_log_recovered(op, c, authorizer, current, "api_get_authorizer_info after 61023");
            wx_op_unstash(pending);
            return current;
        }
        /* changed meanwhile (under our lock only a re-authorization does):
         * the stored one is newer */
        if (wx_op_get_refresh_token(op, c, authorizer, &stored) == SUCCESS && stored
                && !zend_string_equals(stored, used)) {
            zend_string_release(current);
            wx_op_unstash(pending);
            return stored;
        }
        if (stored) zend_string_release(stored);
    }
    if (current) zend_string_release(current);
    zend_clear_exception();
    wx_op_registry_mark_missing(op, c, authorizer);
    wx_op_unstash(pending);
    return NULL;
}

/* ------------------------------------------------ every authorizer (bulk) */

typedef struct {
    zend_string *lock_key;
    zend_string *owner;       /* encoded */
    double       renewed;     /* wx_http_now() of the last renewal */
    zval        *result;
    zval         recovered, kept, failed;
    zend_long    unchanged, pages, calls, total;
    HashTable   *seen;
    bool         interrupted;
} wx_op_bulk_t;

#define WX_OP_BULK_LOCK_MS   (WX_WECHAT_RECOVER_LOCK_TTL * 1000)
/* renewed this often: far inside the lock's life */
#define WX_OP_BULK_RENEW_S   10.0

static void wx_op_bulk_fail(wx_op_bulk_t *b, zend_string *appid, const char *fmt, ...)
    ZEND_ATTRIBUTE_FORMAT(printf, 3, 4);

static void wx_op_bulk_fail(wx_op_bulk_t *b, zend_string *appid, const char *fmt, ...)
{
    va_list ap;
    zend_string *msg;
    va_start(ap, fmt);
    msg = zend_vstrpprintf(0, fmt, ap);
    va_end(ap);
    add_assoc_str_ex(&b->failed, ZSTR_VAL(appid), ZSTR_LEN(appid), msg);
}

/* Keep our lock alive; FAILURE (with an exception) when it is lost. */
static zend_result wx_op_bulk_renew(wx_op_bulk_t *b, wx_cache_obj_t *c, bool force)
{
    char px[24];
    zend_long ok = 0;

    if (!force && wx_http_now() - b->renewed < WX_OP_BULK_RENEW_S) {
        return SUCCESS;
    }
    snprintf(px, sizeof(px), "%d", WX_OP_BULK_LOCK_MS);
    if (wx_op_eval(c, WX_LOCK_LUA_RENEW, b->lock_key, b->owner, NULL, px, &ok) == FAILURE) {
        return FAILURE;
    }
    if (!ok) {
        wx_throw(wx_ce_HttpException, 0, "recoverRefreshTokens() lost its lock \"%s\" (it expired: Redis or WeChat "
                 "stalled for more than %d s); what was done so far stays, run it again", ZSTR_VAL(b->lock_key),
                 WX_WECHAT_RECOVER_LOCK_TTL);
        return FAILURE;
    }
    b->renewed = wx_http_now();
    return SUCCESS;
}

/* One listed account: its refresh token (from the list, else from info)
 * stored compare-and-set against what was stored before the call.
 * FAILURE only for what stops the run (Redis, the lock). */
static zend_result wx_op_bulk_one(wx_op_t *op, wx_cache_obj_t *c, wx_op_bulk_t *b, zval *item)
{
    zval *za, *zr;
    zend_string *appid, *stored = NULL, *refresh = NULL, *msg;
    bool written;
    zend_result rc = SUCCESS;

    if (Z_TYPE_P(item) != IS_ARRAY || !(za = zend_hash_str_find(Z_ARRVAL_P(item), ZEND_STRL("authorizer_appid")))
            || Z_TYPE_P(za) != IS_STRING) {
        zend_string *none = ZSTR_INIT_LITERAL("(no authorizer_appid)", 0);
        wx_op_bulk_fail(b, none, "a list entry without authorizer_appid");
        zend_string_release(none);
        return SUCCESS;
    }
    appid = Z_STR_P(za);
    if (wx_op_check_appid(ZSTR_VAL(appid), ZSTR_LEN(appid), "authorizer_appid of api_get_authorizer_list") == FAILURE) {
        msg = wx_exception_take_message();
        wx_op_bulk_fail(b, appid, "%s", ZSTR_VAL(msg));
        zend_string_release(msg);
        return SUCCESS;
    }
    zend_hash_add_empty_element(b->seen, appid);
    /* read before the call: what the compare-and-set compares with */
    if (wx_op_get_refresh_token(op, c, appid, &stored) == FAILURE) {
        zend_object *ex = EG(exception);
        zval rv;
        if (zval_get_long(zend_read_property_ex(ex->ce, ex, ZSTR_KNOWN(ZEND_STR_CODE), 1, &rv)) != WX_CACHE_ERR_FORMAT) {
            return FAILURE;   /* Redis itself failed */
        }
        msg = wx_exception_take_message();
        wx_op_bulk_fail(b, appid, "the stored value is not wxredis's format and was left as it is: %s", ZSTR_VAL(msg));
        zend_string_release(msg);
        return SUCCESS;
    }
    zr = zend_hash_str_find(Z_ARRVAL_P(item), ZEND_STRL("refresh_token"));
    if (zr && Z_TYPE_P(zr) == IS_STRING && Z_STRLEN_P(zr) > 0) {
        refresh = zend_string_copy(Z_STR_P(zr));
    } else {
        bool interrupted = false;
        /* absent from the list: ask info, at the keeper's pace */
        if (wx_op_pace(op, c, &interrupted) == FAILURE) {
            if (stored) zend_string_release(stored);
            if (interrupted) {
                b->interrupted = true;
                return SUCCESS;
            }
            return FAILURE;
        }
        b->calls++;
        if (wx_op_info_refresh(op, c, appid, &refresh) == FAILURE) {
            msg = wx_exception_take_message();
            wx_op_bulk_fail(b, appid, "not in the list's answer, and %s", ZSTR_VAL(msg));
            zend_string_release(msg);
            if (!stored) wx_op_registry_mark_missing(op, c, appid);
            goto out;
        }
        if (!refresh) {
            wx_op_bulk_fail(b, appid, "WeChat gave no refresh token, neither in api_get_authorizer_list nor in "
                            "api_get_authorizer_info");
            if (!stored) wx_op_registry_mark_missing(op, c, appid);
            goto out;
        }
        if ((rc = wx_op_bulk_renew(b, c, false)) == FAILURE) {
            goto out;
        }
    }
    if (stored && zend_string_equals(stored, refresh)) {
        wx_argv_t cmds[2];
        redisReply *replies[2];
        b->unchanged++;
        /* known, even if the registry was lost with the tokens */
        wx_op_argv_init(cmds, 2);
        wx_op_registry_cmd_add(op, c, &cmds[0], appid, 0, true);
        wx_op_missing_cmd(op, c, &cmds[1], appid, false);
        if ((rc = wx_op_redis(c, cmds, 2, replies)) == SUCCESS) {
            wx_op_free_replies(replies, 2);
        }
        goto out;
    }
    if ((rc = wx_op_refresh_cas(op, c, appid, stored, refresh, &written)) == FAILURE) {
        goto out;
    }
    if (written) {
        wx_op_log_recovered(op, c, appid, refresh, "recoverRefreshTokens");
        add_next_index_str(&b->recovered, zend_string_copy(appid));
    } else {
        add_next_index_str(&b->kept, zend_string_copy(appid));
    }
out:
    if (stored) zend_string_release(stored);
    if (refresh) zend_string_release(refresh);
    return rc;
}

/* One page of api_get_authorizer_list at offset; *n the accounts it had. */
static zend_result wx_op_bulk_page(wx_op_t *op, wx_cache_obj_t *c, wx_op_bulk_t *b, zend_long offset, zend_long *n)
{
    zval body, answer, *list, *total, *item;
    zend_result rc;

    *n = 0;
    wx_op_api_body(op, &body);
    add_assoc_long(&body, "offset", offset);
    add_assoc_long(&body, "count", WX_WECHAT_AUTHORIZER_LIST_MAX);
    rc = wx_op_api_component(op, c, WX_WECHAT_API_AUTHORIZER_LIST, &body, &answer);
    zval_ptr_dtor(&body);
    b->calls++;
    if (rc == FAILURE) {
        return FAILURE;
    }
    b->pages++;
    list = zend_hash_str_find(Z_ARRVAL(answer), ZEND_STRL("list"));
    total = zend_hash_str_find(Z_ARRVAL(answer), ZEND_STRL("total_count"));
    if (!list || Z_TYPE_P(list) != IS_ARRAY) {
        wx_throw(wx_ce_HttpException, 200, "WeChat api_get_authorizer_list: the answer has no list");
        zval_ptr_dtor(&answer);
        return FAILURE;
    }
    if (total && (Z_TYPE_P(total) == IS_LONG || Z_TYPE_P(total) == IS_DOUBLE)) {
        b->total = zval_get_long(total);
    }
    ZEND_HASH_FOREACH_VAL(Z_ARRVAL_P(list), item) {
        if (wx_op_bulk_one(op, c, b, item) == FAILURE) {
            rc = FAILURE;
            break;
        }
        (*n)++;
        if (b->interrupted) {
            break;
        }
    } ZEND_HASH_FOREACH_END();
    zval_ptr_dtor(&answer);
    return rc;
}

/* The set of authorizers known missing that WeChat no longer lists. */
static zend_result wx_op_bulk_unlisted(wx_op_t *op, wx_cache_obj_t *c, wx_op_bulk_t *b)
{
    wx_argv_t cmd;
    redisReply *r;
    size_t i;

    wx_argv_init(&cmd);
    wx_argv_add_cstr(&cmd, "SMEMBERS");
    wx_argv_add_owned(&cmd, wx_op_key(op, c, WX_KEY_REFRESH_MISSING, NULL, NULL));
    if (!(r = wx_op_redis1(c, &cmd))) {
        return FAILURE;
    }
    for (i = 0; r->type == REDIS_REPLY_ARRAY && i < r->elements; i++) {
        redisReply *e = r->element[i];
        if (e->type == REDIS_REPLY_STRING && !zend_hash_str_exists(b->seen, e->str, e->len)
                && !zend_hash_str_exists(Z_ARRVAL(b->failed), e->str, e->len)) {
            zend_string *appid = zend_string_init(e->str, e->len, 0);
            wx_op_bulk_fail(b, appid, "its refresh token is missing and api_get_authorizer_list does not list it: "
                            "it is no longer authorized (it must authorize the platform again)");
            zend_string_release(appid);
        }
    }
    freeReplyObject(r);
    return SUCCESS;
}

static void wx_op_bulk_result(wx_op_bulk_t *b, bool busy, double started)
{
    zval *res = b->result;
    array_init(res);
    add_assoc_zval(res, "recovered", &b->recovered);
    add_assoc_long(res, "unchanged", b->unchanged);
    add_assoc_zval(res, "kept", &b->kept);
    add_assoc_zval(res, "failed", &b->failed);
    add_assoc_long(res, "total", b->total);
    add_assoc_long(res, "pages", b->pages);
    add_assoc_long(res, "calls", b->calls);
    add_assoc_double(res, "seconds", wx_http_now() - started);
    add_assoc_bool(res, "busy", busy);
    add_assoc_bool(res, "interrupted", b->interrupted);
}

zend_result wx_op_recover_all(wx_op_t *op, wx_cache_obj_t *c, zval *result)
{
    wx_op_bulk_t b = {0};
    unsigned char rnd[WX_LOCK_OWNER_BYTES];
    char hex[WX_LOCK_OWNER_HEX + 1];
    double started = wx_http_now();
    zend_string *raw;
    zend_long offset = 0, n, max_pages;
    wx_argv_t cmd;
    redisReply *r;
    zend_result rc = FAILURE;
    bool taken;

    if (php_random_bytes_throw(rnd, sizeof(rnd)) == FAILURE) {
        return FAILURE;
    }
    wx_lock_owner(rnd, hex);
    b.result = result;
    array_init(&b.recovered);
    array_init(&b.kept);
    array_init(&b.failed);
    ALLOC_HASHTABLE(b.seen);
    zend_hash_init(b.seen, 64, NULL, NULL, 0);
    b.lock_key = wx_op_key(op, c, WX_KEY_RECOVER_ALL_LOCK, NULL, NULL);
    raw = zend_string_init(hex, WX_LOCK_OWNER_HEX, 0);
    b.owner = wx_op_encode_str(raw, b.lock_key);
    zend_string_release(raw);
    if (!b.owner) {
        goto out;
    }
    /* one bulk recovery across the fleet; a second one says it is busy */
    wx_argv_init(&cmd);
    wx_argv_add_cstr(&cmd, "SET"); wx_argv_add_zstr(&cmd, b.lock_key); wx_argv_add_zstr(&cmd, b.owner);
    wx_argv_add_cstr(&cmd, "NX"); wx_argv_add_cstr(&cmd, "PX"); wx_argv_add_long(&cmd, WX_OP_BULK_LOCK_MS);
    if (!(r = wx_op_redis1(c, &cmd))) {
        goto out;
    }
    taken = r->type == REDIS_REPLY_STATUS;
    freeReplyObject(r);
    if (!taken) {
        wx_op_bulk_result(&b, true, started);
        rc = SUCCESS;
        goto out_kept;
    }
    b.renewed = wx_http_now();
    max_pages = 0;
    for (;;) {
        if (wx_op_bulk_renew(&b, c, true) == FAILURE || wx_op_bulk_page(op, c, &b, offset, &n) == FAILURE) {
            break;
        }
        offset += n;
        /* stop at an empty page or the end WeChat announced; never loop
         * on an answer that keeps repeating itself */
        if (b.interrupted || n == 0 || offset >= b.total
                || ++max_pages > b.total / WX_WECHAT_AUTHORIZER_LIST_MAX + 2) {
            rc = SUCCESS;
            break;
        }
    }
    if (rc == SUCCESS && !b.interrupted) {
        rc = wx_op_bulk_unlisted(op, c, &b);
    }
    {
        zend_object *pending = wx_op_stash();
        zend_long n_del;
        wx_op_eval(c, WX_LOCK_LUA_COMPARE_AND_DELETE, b.lock_key, b.owner, NULL, NULL, &n_del);
        wx_op_unstash(pending);
    }
    if (rc == SUCCESS) {
        wx_op_bulk_result(&b, false, started);
        goto out_kept;
    }
out:
    zval_ptr_dtor(&b.recovered);
    zval_ptr_dtor(&b.kept);
    zval_ptr_dtor(&b.failed);
out_kept:
    zend_hash_destroy(b.seen);
    FREE_HASHTABLE(b.seen);
    zend_string_release(b.lock_key);
    if (b.owner) zend_string_release(b.owner);
    return rc;
}
