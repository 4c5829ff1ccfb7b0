/*
 * WxRedis\OpenPlatform's config array: one table of the keys it takes,
 * each checked by its kind; errors are InvalidArgumentException with
 * OpenPlatform::ERROR_CONFIG, naming the key.
 */
#include "platform.h"
#include "zend_smart_str.h"

#include <math.h>

typedef struct {
    zend_string *app_id, *secret, *token, *aes_key, *previous_aes_key, *api_base;
    double       http_timeout, refresh_margin, lock_timeout, min_replicas_timeout, min_replicas, keeper_rate,
                 clear_quota_interval;
    bool         lock_given;
} wx_op_config_t;

typedef enum {
    WX_CFG_STRING,     /* non-empty, no NUL */
    WX_CFG_APP_ID,     /* a string that can go into keys */
    WX_CFG_AES_KEY,    /* a string that is an EncodingAESKey */
    WX_CFG_OPT_AES_KEY,/* the same, or null / "" for none */
    WX_CFG_URL,        /* http:// or https://, no query or fragment */
    WX_CFG_SECONDS,    /* int or float within [min or (min, max] */
    WX_CFG_COUNT,      /* an int within [min, max] (kept as a double) */
    WX_CFG_RATE        /* the same, per second */
} wx_cfg_kind_t;

static const struct {
    const char   *name;
    wx_cfg_kind_t kind;
    size_t        offset;
    double        min, max;
    bool          min_inclusive;
} wx_op_config_keys[] = {
    { "app_id",           WX_CFG_APP_ID,      XtOffsetOf(wx_op_config_t, app_id) },
    { "secret",           WX_CFG_STRING,      XtOffsetOf(wx_op_config_t, secret) },
    { "token",            WX_CFG_STRING,      XtOffsetOf(wx_op_config_t, token) },
    { "aes_key",          WX_CFG_AES_KEY,     XtOffsetOf(wx_op_config_t, aes_key) },
    { "previous_aes_key", WX_CFG_OPT_AES_KEY, XtOffsetOf(wx_op_config_t, previous_aes_key) },
    { "api_base",         WX_CFG_URL,         XtOffsetOf(wx_op_config_t, api_base) },
    { "http_timeout",     WX_CFG_SECONDS,     XtOffsetOf(wx_op_config_t, http_timeout), 0, WX_OP_MAX_TIMEOUT, false },
    { "refresh_margin",   WX_CFG_SECONDS,     XtOffsetOf(wx_op_config_t, refresh_margin), 0, WX_OP_MAX_REFRESH_MARGIN, true },
    { "lock_timeout",     WX_CFG_SECONDS,     XtOffsetOf(wx_op_config_t, lock_timeout), 0, WX_OP_MAX_TIMEOUT, false },
    { "min_replicas",     WX_CFG_COUNT,       XtOffsetOf(wx_op_config_t, min_replicas), 0, WX_OP_MAX_MIN_REPLICAS, true },
    { "min_replicas_timeout", WX_CFG_SECONDS, XtOffsetOf(wx_op_config_t, min_replicas_timeout), 0, WX_OP_MAX_TIMEOUT, false },
    { "keeper_rate",      WX_CFG_RATE,        XtOffsetOf(wx_op_config_t, keeper_rate), 0, WX_WECHAT_KEEPER_RATE_MAX, false },
    { "clear_quota_interval", WX_CFG_SECONDS, XtOffsetOf(wx_op_config_t, clear_quota_interval), 1,
      (double) WX_WECHAT_CLEAR_QUOTA_MAX_INTERVAL, true },
};
#define WX_OP_NCONFIG (sizeof(wx_op_config_keys) / sizeof(wx_op_config_keys[0]))

static void wx_op_config_free(wx_op_config_t *cfg)
{
    zend_string **s[] = { &cfg->app_id, &cfg->secret, &cfg->token, &cfg->aes_key, &cfg->previous_aes_key,
                          &cfg->api_base };
    size_t i;
    for (i = 0; i < sizeof(s) / sizeof(s[0]); i++) {
        if (*s[i]) {
            zend_string_release(*s[i]);
            *s[i] = NULL;
        }
    }
}

static zend_result wx_op_cfg_string(zval *v, const char *name, zend_string **dst)
{
    if (Z_TYPE_P(v) != IS_STRING || Z_STRLEN_P(v) == 0 || memchr(Z_STRVAL_P(v), '\0', Z_STRLEN_P(v))) {
        wx_throw_invalid(WX_OP_ERR_CONFIG,
            "config \"%s\" must be a non-empty string without NUL bytes, %s given", name,
            Z_TYPE_P(v) == IS_STRING ? "an invalid string" : zend_zval_type_name(v));
        return FAILURE;
    }
    if (*dst) zend_string_release(*dst);
    *dst = zend_string_copy(Z_STR_P(v));
    return SUCCESS;
}

static zend_result wx_op_cfg_seconds(zval *v, const char *name, double min, double max, bool min_inclusive,
                                     double *dst, const char *unit)
{
    double d;
    if (Z_TYPE_P(v) == IS_LONG) {
        d = (double) Z_LVAL_P(v);
    } else if (Z_TYPE_P(v) == IS_DOUBLE) {
        d = Z_DVAL_P(v);
    } else {
        wx_throw_invalid(WX_OP_ERR_CONFIG,
            "config \"%s\" must be a number of %s (int or float), %s given", name, unit, zend_zval_type_name(v));
        return FAILURE;
    }
    if (!((min_inclusive ? d >= min : d > min) && d <= max)) {
        wx_throw_invalid(WX_OP_ERR_CONFIG,
            "config \"%s\" must be %s %g and at most %g %s, %g given",
            name, min_inclusive ? "at least" : "greater than", min, max, unit, d);
        return FAILURE;
    }
    *dst = d;
    return SUCCESS;
}

static zend_result wx_op_cfg_aes_key(zend_string *key, const char *name)
{
    wx_error_t err;
    if (wx_crypt_decode_aes_key(WX_STR(ZSTR_VAL(key), ZSTR_LEN(key)), NULL, &err) != WX_CRYPT_OK) {
        wx_throw_invalid(WX_OP_ERR_CONFIG, "config \"%s\" is not a valid EncodingAESKey: %s", name, err.msg);
        return FAILURE;
    }
    return SUCCESS;
}

static zend_result wx_op_cfg_url(zend_string *base, const char *name)
{
    wx_http_url_t u;
    char err[WX_HTTP_ERR_MAX];

    if (strncasecmp(ZSTR_VAL(base), "http://", 7) != 0 && strncasecmp(ZSTR_VAL(base), "https://", 8) != 0) {
        wx_throw_invalid(WX_OP_ERR_CONFIG,
            "config \"%s\" must be an http:// or https:// URL, \"%s\" given", name, ZSTR_VAL(base));
        return FAILURE;
    }
    if (strchr(ZSTR_VAL(base), '?') || strchr(ZSTR_VAL(base), '#')) {
        wx_throw_invalid(WX_OP_ERR_CONFIG,
            "config \"%s\" must not have a query or fragment, \"%s\" given", name, ZSTR_VAL(base));
        return FAILURE;
    }
    if (wx_http_url_parse(ZSTR_VAL(base), ZSTR_LEN(base), &u, err) != WX_HTTP_OK) {
        wx_throw_invalid(WX_OP_ERR_CONFIG, "config \"%s\" is not a URL wxredis can call (%s), \"%s\" given",
                         name, err, ZSTR_VAL(base));
        return FAILURE;
    }
    return SUCCESS;
}

/* One config entry, by the kind its key has. */
static zend_result wx_op_cfg_entry(wx_op_config_t *cfg, size_t k, zval *v)
{
    const char *name = wx_op_config_keys[k].name;
    void *dst = (char *) cfg + wx_op_config_keys[k].offset;
    zend_string **s = dst;

    switch (wx_op_config_keys[k].kind) {
    case WX_CFG_COUNT:
        if (Z_TYPE_P(v) != IS_LONG || Z_LVAL_P(v) < (zend_long) wx_op_config_keys[k].min
            || Z_LVAL_P(v) > (zend_long) wx_op_config_keys[k].max) {
            if (Z_TYPE_P(v) == IS_LONG) {
                wx_throw_invalid(WX_OP_ERR_CONFIG, "config \"%s\" must be an int from %g to %g, " ZEND_LONG_FMT " given",
                                 name, wx_op_config_keys[k].min, wx_op_config_keys[k].max, Z_LVAL_P(v));
            } else {
                wx_throw_invalid(WX_OP_ERR_CONFIG, "config \"%s\" must be an int from %g to %g, %s given",
                                 name, wx_op_config_keys[k].min, wx_op_config_keys[k].max, zend_zval_type_name(v));
            }
            return FAILURE;
        }
        *(double *) dst = (double) Z_LVAL_P(v);
        return SUCCESS;
    case WX_CFG_SECONDS:
    case WX_CFG_RATE:
        if (dst == &cfg->lock_timeout) {
            cfg->lock_given = true;
        }
        return wx_op_cfg_seconds(v, name, wx_op_config_keys[k].min, wx_op_config_keys[k].max,
                                 wx_op_config_keys[k].min_inclusive, dst,
                                 wx_op_config_keys[k].kind == WX_CFG_RATE ? "calls per second" : "seconds");
    case WX_CFG_OPT_AES_KEY:
        /* null or "" mean none: configuration often passes "" */
        if (Z_TYPE_P(v) == IS_NULL || (Z_TYPE_P(v) == IS_STRING && Z_STRLEN_P(v) == 0)) {
            return SUCCESS;
        }
        /* fall through */
    case WX_CFG_AES_KEY:
        return wx_op_cfg_string(v, name, s) == SUCCESS ? wx_op_cfg_aes_key(*s, name) : FAILURE;
    case WX_CFG_APP_ID:
        if (wx_op_cfg_string(v, name, s) == FAILURE) {
            return FAILURE;
        }
        return wx_op_check_appid(ZSTR_VAL(*s), ZSTR_LEN(*s), "config \"app_id\"");
    case WX_CFG_URL:
        return wx_op_cfg_string(v, name, s) == SUCCESS ? wx_op_cfg_url(*s, name) : FAILURE;
    default:
        return wx_op_cfg_string(v, name, s);
    }
}

static ZEND_COLD void wx_op_cfg_unknown(zend_string *name)
{
    smart_str known = {0};
    size_t k;
    for (k = 0; k < WX_OP_NCONFIG; k++) {
        smart_str_appends(&known, k ? ", " : "");
        smart_str_appends(&known, wx_op_config_keys[k].name);
    }
    smart_str_0(&known);
    wx_throw_invalid(WX_OP_ERR_CONFIG, "unknown config key \"%s\" (known: %s)", ZSTR_VAL(name), ZSTR_VAL(known.s));
    smart_str_free(&known);
}

/* Every entry of config, then what must hold across them. */
static zend_result wx_op_cfg_parse(wx_op_config_t *cfg, HashTable *config)
{
    zend_string *name;
    zval *v;

    ZEND_HASH_FOREACH_STR_KEY_VAL(config, name, v) {
        size_t k;
        ZVAL_DEREF(v);
        if (!name) {
            wx_throw_invalid(WX_OP_ERR_CONFIG,
                "config must be an array keyed by name (app_id, secret, token, aes_key, ...)");
            return FAILURE;
        }
        for (k = 0; k < WX_OP_NCONFIG; k++) {
            const char *known = wx_op_config_keys[k].name;
            if (ZSTR_LEN(name) == strlen(known) && memcmp(ZSTR_VAL(name), known, ZSTR_LEN(name)) == 0) {
                break;
            }
        }
        if (k == WX_OP_NCONFIG) {
            wx_op_cfg_unknown(name);
            return FAILURE;
        }
        if (wx_op_cfg_entry(cfg, k, v) == FAILURE) {
            return FAILURE;
        }
    } ZEND_HASH_FOREACH_END();

    if (!cfg->app_id || !cfg->secret || !cfg->token || !cfg->aes_key) {
        wx_throw_invalid(WX_OP_ERR_CONFIG, "config \"%s\" is required",
            !cfg->app_id ? "app_id" : !cfg->secret ? "secret" : !cfg->token ? "token" : "aes_key");
        return FAILURE;
    }
    if (!cfg->lock_given) {
        cfg->lock_timeout = MAX(cfg->http_timeout * 2, WX_OP_MIN_DEFAULT_LOCK);
    } else if (cfg->lock_timeout <= cfg->http_timeout) {
        wx_throw_invalid(WX_OP_ERR_CONFIG,
            "config \"lock_timeout\" (%g s) must be longer than \"http_timeout\" (%g s): the refresh lock "
            "must outlive the WeChat call it protects", cfg->lock_timeout, cfg->http_timeout);
        return FAILURE;
    }
    return SUCCESS;
}

zend_result wx_op_configure(wx_op_t *op, HashTable *config, zval *cache)
{
    wx_op_config_t cfg = { NULL };
    const char *base;
    size_t len;

    cfg.http_timeout = WX_OP_DEFAULT_HTTP_TIMEOUT;
    cfg.refresh_margin = WX_OP_DEFAULT_REFRESH_MARGIN;
    cfg.min_replicas_timeout = WX_OP_DEFAULT_MIN_REPLICAS_TIMEOUT;
    cfg.keeper_rate = WX_OP_DEFAULT_KEEPER_RATE;
    cfg.clear_quota_interval = WX_WECHAT_CLEAR_QUOTA_INTERVAL;
    if (wx_op_cfg_parse(&cfg, config) == FAILURE) {
        wx_op_config_free(&cfg);
        return FAILURE;
    }
    if (cfg.min_replicas > 0) {
        wx_cache_obj_t *c = wx_store_fetch(cache);
        if (c && cfg.min_replicas_timeout / 2 >= c->client->opts.node.read_timeout) {
            /* each WAIT must end before the cache gives up on the reply */
            wx_throw_invalid(WX_OP_ERR_CONFIG,
                "config \"min_replicas_timeout\" (%g s) must be under twice the cache's read_timeout (%g s): "
                "each of its two WAITs blocks the connection for half of it",
                cfg.min_replicas_timeout, c->client->opts.node.read_timeout);
        }
        if (!c || EG(exception)) {
            wx_op_config_free(&cfg);
            return FAILURE;
        }
    }
    /* the keys were checked above; the decrypter waits for the first push */
    op->token = zend_string_copy(cfg.token);
    op->aes_key = zend_string_copy(cfg.aes_key);
    op->previous_aes_key = cfg.previous_aes_key ? zend_string_copy(cfg.previous_aes_key) : NULL;
    op->app_id = zend_string_copy(cfg.app_id);
    /* our own copy, wiped when the object goes (the config's string may
     * be shared, even interned) */
    op->secret = zend_string_init(ZSTR_VAL(cfg.secret), ZSTR_LEN(cfg.secret), 0);
    base = cfg.api_base ? ZSTR_VAL(cfg.api_base) : WX_WECHAT_API_BASE;
    len = strlen(base);
    while (len > 0 && base[len - 1] == '/') {
        len--;
    }
    op->api_base = zend_string_init(base, len, 0);
    wx_http_url_parse(base, len, &op->api, NULL);   /* checked by wx_op_cfg_url */
    op->http_timeout = cfg.http_timeout;
    op->lock_timeout = cfg.lock_timeout;
    op->margin_ms = (zend_long) (cfg.refresh_margin * 1000);
    op->min_replicas = (zend_long) cfg.min_replicas;
    op->min_replicas_ms = (zend_long) (cfg.min_replicas_timeout * 1000);
    op->keeper_rate = cfg.keeper_rate;
    /* SET EX takes whole seconds: a fraction rounds up, never to less */
    op->clear_quota_interval = (zend_long) ceil(cfg.clear_quota_interval);
    ZVAL_COPY(&op->cache, cache);
    wx_op_config_free(&cfg);
    return SUCCESS;
}

zend_result wx_op_crypt(wx_op_t *op)
{
    wx_error_t err;

    if (op->crypt) {
        return SUCCESS;
    }
    if (wx_crypt_new(WX_STR(ZSTR_VAL(op->token), ZSTR_LEN(op->token)),
                     WX_STR(ZSTR_VAL(op->aes_key), ZSTR_LEN(op->aes_key)),
                     WX_STR(ZSTR_VAL(op->app_id), ZSTR_LEN(op->app_id)),
                     op->previous_aes_key ? WX_STR(ZSTR_VAL(op->previous_aes_key), ZSTR_LEN(op->previous_aes_key))
                                          : WX_STR(NULL, 0), &op->crypt, &err) != WX_CRYPT_OK) {
        /* the config was checked: only memory or OpenSSL can fail here */
        wx_throw(wx_ce_CryptException, err.code, "%s", err.msg);
        return FAILURE;
    }
    return SUCCESS;
}
