/*
 * The WxRedis\OpenPlatform class: its object (handlers set once, in MINIT)
 * and its methods, which only parse their arguments and call down.
 */
#include "platform.h"
#include "log.h"
#include "open_platform_arginfo.h"

zend_class_entry *wx_ce_OpenPlatformBase;   /* WxRedis\OpenPlatform is declared on first use (php/bridge.c) */
static zend_object_handlers wx_op_handlers;

/* ------------------------------------------------------------- objects */

static zend_object *wx_op_create(zend_class_entry *ce)
{
    wx_op_t *op = zend_object_alloc(sizeof(wx_op_t), ce);
    zend_object_std_init(&op->std, ce);
    object_properties_init(&op->std, ce);
    op->std.handlers = &wx_op_handlers;
    ZVAL_UNDEF(&op->cache);
    return &op->std;
}

static void wx_op_free(zend_object *obj)
{
    wx_op_t *op = wx_op_from_obj(obj);
    wx_crypt_free(op->crypt);
    op->crypt = NULL;
    if (op->token) zend_string_release(op->token);
    if (op->aes_key) zend_string_release(op->aes_key);
    if (op->previous_aes_key) zend_string_release(op->previous_aes_key);
    if (op->app_id) zend_string_release(op->app_id);
    if (op->secret) {
        ZEND_SECURE_ZERO(ZSTR_VAL(op->secret), ZSTR_LEN(op->secret));
        zend_string_release(op->secret);
    }
    if (op->api_base) zend_string_release(op->api_base);
    wx_logger_free(&op->logger);
    zval_ptr_dtor(&op->cache);
    zend_object_std_dtor(obj);
}

static HashTable *wx_op_get_gc(zend_object *obj, zval **table, int *n)
{
    wx_op_t *op = wx_op_from_obj(obj);
    zend_get_gc_buffer *buf = zend_get_gc_buffer_create();

    zend_get_gc_buffer_add_zval(buf, &op->cache);
    if (op->logger) {
        /* a logger that holds the platform is a cycle */
        zend_get_gc_buffer_add_zval(buf, wx_logger_zval(op->logger));
    }
    zend_get_gc_buffer_use(buf, table, n);
    return zend_std_get_properties(obj);
}

/* The object behind $this and its cache, without recording this server in
 * the fleet (health(): a monitor is not a member of the fleet). */
static wx_op_t *wx_op_this_quiet(zval *zthis, wx_cache_obj_t **c)
{
    wx_op_t *op = wx_op_from_obj(Z_OBJ_P(zthis));
    if (!op->app_id) {
        zend_throw_error(NULL, "%s object is not initialized: its constructor was not called",
                         ZSTR_VAL(Z_OBJCE_P(zthis)->name));
        return NULL;
    }
    *c = wx_store_fetch(&op->cache);
    return *c ? op : NULL;
}

/* The object behind $this and its cache; NULL with an Error when the
 * constructor did not run. */
static wx_op_t *wx_op_this(zval *zthis, wx_cache_obj_t **c)
{
    wx_op_t *op = wx_op_this_quiet(zthis, c);
    if (op) {
        /* once an hour per process: this server's fingerprint for the fleet view */
        wx_op_fleet_touch(op, *c);
    }
    return op;
}

/* The same, with the authorizer app id argument checked. */
static wx_op_t *wx_op_this_authorizer(zval *zthis, zend_string *appid, wx_cache_obj_t **c)
{
    wx_op_t *op = wx_op_this(zthis, c);
    if (!op || wx_op_check_appid(ZSTR_VAL(appid), ZSTR_LEN(appid), "authorizer app id") == FAILURE) {
        return NULL;
    }
    return op;
}

/* ------------------------------------------------------------- methods */

ZEND_METHOD(WxRedis_OpenPlatformBase, __construct)
{
    HashTable *config;
    zval *cache;
    wx_op_t *op = wx_op_from_obj(Z_OBJ_P(ZEND_THIS));

    ZEND_PARSE_PARAMETERS_START(2, 2)
        Z_PARAM_ARRAY_HT(config)
        Z_PARAM_OBJECT_OF_CLASS(cache, wx_ce_CacheBase)
    ZEND_PARSE_PARAMETERS_END();

    if (op->app_id) {
        zend_throw_error(NULL, "Cannot call the constructor twice");
        RETURN_THROWS();
    }
    if (!wx_store_fetch(cache) || wx_op_configure(op, config, cache) == FAILURE) {
        RETURN_THROWS();
    }
}

ZEND_METHOD(WxRedis_OpenPlatformBase, handleCallback)
{
    HashTable *query;
    zend_string *body;
    zend_fcall_info fci = empty_fcall_info;
    zend_fcall_info_cache fcc = empty_fcall_info_cache;
    wx_cache_obj_t *c;
    wx_op_t *op;

    ZEND_PARSE_PARAMETERS_START(2, 3)
        Z_PARAM_ARRAY_HT(query)
        Z_PARAM_STR(body)
        Z_PARAM_OPTIONAL
        Z_PARAM_FUNC_OR_NULL(fci, fcc)
    ZEND_PARSE_PARAMETERS_END();

    if (!(op = wx_op_this(ZEND_THIS, &c)) || wx_op_handle_callback(op, c, query, body, &fci, &fcc) == FAILURE) {
        RETURN_THROWS();
    }
    RETURN_STRINGL("success", 7);
}

ZEND_METHOD(WxRedis_OpenPlatformBase, getVerifyTicket)
{
    wx_cache_obj_t *c;
    wx_op_t *op;
    zend_string *ticket;

    ZEND_PARSE_PARAMETERS_NONE();
    if (!(op = wx_op_this(ZEND_THIS, &c)) || wx_op_get_ticket(op, c, &ticket) == FAILURE) {
        RETURN_THROWS();
    }
    if (ticket) {
        RETURN_STR(ticket);
    }
    RETURN_NULL();
}

ZEND_METHOD(WxRedis_OpenPlatformBase, setVerifyTicket)
{
    bool stored;
    wx_cache_obj_t *c;
    wx_op_t *op;
    zend_string *ticket;

    ZEND_PARSE_PARAMETERS_START(1, 1)
        Z_PARAM_STR(ticket)
    ZEND_PARSE_PARAMETERS_END();
    if (!(op = wx_op_this(ZEND_THIS, &c))) {
        RETURN_THROWS();
    }
    if (ZSTR_LEN(ticket) == 0) {
        zend_argument_value_error(1, "must not be empty");
        RETURN_THROWS();
    }
    if (wx_op_store_ticket(op, c, ticket, (zend_long) wx_wechat_ticket_ttl(0) * 1000, 0, "setVerifyTicket", &stored) == FAILURE) {
        RETURN_THROWS();
    }
}

ZEND_METHOD(WxRedis_OpenPlatformBase, getComponentAccessToken)
{
    wx_cache_obj_t *c;
    wx_op_t *op;
    zend_string *token;

    ZEND_PARSE_PARAMETERS_NONE();
    if (!(op = wx_op_this(ZEND_THIS, &c)) || !(token = wx_op_component_token(op, c))) {
        RETURN_THROWS();
    }
    RETURN_STR(token);
}

ZEND_METHOD(WxRedis_OpenPlatformBase, invalidateComponentAccessToken)
{
    wx_cache_obj_t *c;
    wx_op_t *op;
    zend_string *token;
    bool dropped;

    ZEND_PARSE_PARAMETERS_START(1, 1)
        Z_PARAM_STR(token)
    ZEND_PARSE_PARAMETERS_END();
    if (!(op = wx_op_this(ZEND_THIS, &c)) || wx_op_invalidate_component(op, c, token, &dropped) == FAILURE) {
        RETURN_THROWS();
    }
    RETURN_BOOL(dropped);
}

ZEND_METHOD(WxRedis_OpenPlatformBase, createPreAuthCode)
{
    wx_cache_obj_t *c;
    wx_op_t *op;
    zend_string *code;

    ZEND_PARSE_PARAMETERS_NONE();
    if (!(op = wx_op_this(ZEND_THIS, &c)) || !(code = wx_op_pre_auth_code(op, c))) {
        RETURN_THROWS();
    }
    RETURN_STR(code);
}

ZEND_METHOD(WxRedis_OpenPlatformBase, getPreAuthorizationUrl)
{
    wx_cache_obj_t *c;
    wx_op_t *op;
    zend_string *redirect, *biz = NULL, *url;
    zend_long auth_type = 0;
    bool auth_type_null = true;

    ZEND_PARSE_PARAMETERS_START(1, 3)
        Z_PARAM_STR(redirect)
        Z_PARAM_OPTIONAL
        Z_PARAM_LONG_OR_NULL(auth_type, auth_type_null)
        Z_PARAM_STR_OR_NULL(biz)
    ZEND_PARSE_PARAMETERS_END();
    if (!(op = wx_op_this(ZEND_THIS, &c))) {
        RETURN_THROWS();
    }
    if (ZSTR_LEN(redirect) == 0) {
        zend_argument_value_error(1, "must not be empty");
        RETURN_THROWS();
    }
    if (!(url = wx_op_pre_auth_url(op, c, redirect, auth_type_null ? NULL : &auth_type, biz))) {
        RETURN_THROWS();
    }
    RETURN_STR(url);
}

ZEND_METHOD(WxRedis_OpenPlatformBase, handleAuthorization)
{
    wx_cache_obj_t *c;
    wx_op_t *op;
    zend_string *code;

    ZEND_PARSE_PARAMETERS_START(1, 1)
        Z_PARAM_STR(code)
    ZEND_PARSE_PARAMETERS_END();
    if (!(op = wx_op_this(ZEND_THIS, &c))) {
        RETURN_THROWS();
    }
    if (ZSTR_LEN(code) == 0) {
        zend_argument_value_error(1, "must not be empty");
        RETURN_THROWS();
    }
    if (wx_op_query_auth(op, c, code, return_value) == FAILURE) {
        RETURN_THROWS();
    }
}

ZEND_METHOD(WxRedis_OpenPlatformBase, getAuthorizerAccessToken)
{
    wx_cache_obj_t *c;
    wx_op_t *op;
    zend_string *appid, *token;

    ZEND_PARSE_PARAMETERS_START(1, 1)
        Z_PARAM_STR(appid)
    ZEND_PARSE_PARAMETERS_END();
    if (!(op = wx_op_this_authorizer(ZEND_THIS, appid, &c)) || !(token = wx_op_authorizer_token(op, c, appid))) {
        RETURN_THROWS();
    }
    RETURN_STR(token);
}

ZEND_METHOD(WxRedis_OpenPlatformBase, invalidateAuthorizerAccessToken)
{
    wx_cache_obj_t *c;
    wx_op_t *op;
    zend_string *appid, *token;
    bool dropped;

    ZEND_PARSE_PARAMETERS_START(2, 2)
        Z_PARAM_STR(appid)
        Z_PARAM_STR(token)
    ZEND_PARSE_PARAMETERS_END();
    if (!(op = wx_op_this_authorizer(ZEND_THIS, appid, &c))
            || wx_op_invalidate_authorizer(op, c, appid, token, &dropped) == FAILURE) {
        RETURN_THROWS();
    }
    RETURN_BOOL(dropped);
}

ZEND_METHOD(WxRedis_OpenPlatformBase, getAuthorizerRefreshToken)
{
    wx_cache_obj_t *c;
    wx_op_t *op;
    zend_string *appid, *refresh;

    ZEND_PARSE_PARAMETERS_START(1, 1)
        Z_PARAM_STR(appid)
    ZEND_PARSE_PARAMETERS_END();
    if (!(op = wx_op_this_authorizer(ZEND_THIS, appid, &c))
            || wx_op_get_refresh_token(op, c, appid, &refresh) == FAILURE) {
        RETURN_THROWS();
    }
    if (refresh) {
        RETURN_STR(refresh);
    }
    RETURN_NULL();
}

ZEND_METHOD(WxRedis_OpenPlatformBase, setAuthorizerRefreshToken)
{
    wx_cache_obj_t *c;
    wx_op_t *op;
    zend_string *appid, *refresh;

    ZEND_PARSE_PARAMETERS_START(2, 2)
        Z_PARAM_STR(appid)
        Z_PARAM_STR(refresh)
    ZEND_PARSE_PARAMETERS_END();
    if (!(op = wx_op_this_authorizer(ZEND_THIS, appid, &c))) {
        RETURN_THROWS();
    }
    if (ZSTR_LEN(refresh) == 0) {
        zend_argument_value_error(2, "must not be empty");
        RETURN_THROWS();
    }
    if (wx_op_set_refresh_token(op, c, appid, refresh) == FAILURE) {
        RETURN_THROWS();
    }
    if (wx_op_log_on(op, c)) {
        zval ctx;
        array_init(&ctx);
        add_assoc_str(&ctx, "authorizer_app_id", zend_string_copy(appid));
        wx_log_add_fp(&ctx, "refresh_token", ZSTR_VAL(refresh), ZSTR_LEN(refresh));
        add_assoc_string(&ctx, "source", "setAuthorizerRefreshToken");
        wx_op_log(op, c, WX_EV_REFRESH_TOKEN_STORED, &ctx);
    }
}

ZEND_METHOD(WxRedis_OpenPlatformBase, setLogger)
{
    zval *logger;
    wx_op_t *op = wx_op_from_obj(Z_OBJ_P(ZEND_THIS));

    ZEND_PARSE_PARAMETERS_START(1, 1)
        Z_PARAM_OBJECT_OR_NULL(logger)
    ZEND_PARSE_PARAMETERS_END();
    if (wx_logger_set(&op->logger, logger) == FAILURE) {
        RETURN_THROWS();
    }
}

ZEND_METHOD(WxRedis_OpenPlatformBase, health)
{
    wx_cache_obj_t *c;
    wx_op_t *op;

    ZEND_PARSE_PARAMETERS_NONE();
    if (!(op = wx_op_this_quiet(ZEND_THIS, &c)) || wx_op_health(op, c, return_value) == FAILURE) {
        RETURN_THROWS();
    }
}

ZEND_METHOD(WxRedis_OpenPlatformBase, refreshDue)
{
    wx_cache_obj_t *c;
    wx_op_t *op;
    zend_long limit = 100;

    ZEND_PARSE_PARAMETERS_START(0, 1)
        Z_PARAM_OPTIONAL
        Z_PARAM_LONG(limit)
    ZEND_PARSE_PARAMETERS_END();
    if (!(op = wx_op_this(ZEND_THIS, &c))) {
        RETURN_THROWS();
    }
    if (limit < 1 || limit > 10000) {
        zend_argument_value_error(1, "must be between 1 and 10000");
        RETURN_THROWS();
    }
    if (wx_op_refresh_due(op, c, limit, return_value) == FAILURE) {
        RETURN_THROWS();
    }
}

ZEND_METHOD(WxRedis_OpenPlatformBase, recoverRefreshTokens)
{
    wx_cache_obj_t *c;
    wx_op_t *op;

    ZEND_PARSE_PARAMETERS_NONE();
    if (!(op = wx_op_this(ZEND_THIS, &c)) || wx_op_recover_all(op, c, return_value) == FAILURE) {
        RETURN_THROWS();
    }
}

ZEND_METHOD(WxRedis_OpenPlatformBase, clearQuota)
{
    wx_cache_obj_t *c;
    wx_op_t *op;

    ZEND_PARSE_PARAMETERS_NONE();
    if (!(op = wx_op_this(ZEND_THIS, &c)) || wx_op_clear_quota(op, c, return_value) == FAILURE) {
        RETURN_THROWS();
    }
}

/* -------------------------------------------------------- registration */

void wx_open_platform_register(void)
{
    wx_ce_OpenPlatformBase = register_class_WxRedis_OpenPlatformBase();
    wx_ce_OpenPlatformBase->create_object = wx_op_create;

    memcpy(&wx_op_handlers, zend_get_std_object_handlers(), sizeof(zend_object_handlers));
    wx_op_handlers.offset = XtOffsetOf(wx_op_t, std);
    wx_op_handlers.free_obj = wx_op_free;
    wx_op_handlers.get_gc = wx_op_get_gc;
    /* the secret and keys live in exactly one object */
    wx_op_handlers.clone_obj = NULL;
    wx_op_handlers.compare = zend_objects_not_comparable;
}
