/*
 * What the fleet leaves in Redis for health() and wxredis-doctor: each
 * server's fingerprint (WX_KEY_FLEET, at most once an hour per process),
 * WeChat calls by API and errcode in 10-minute buckets (WX_KEY_CALLS), and
 * the last failed refresh (WX_KEY_LAST_ERROR). All best effort: nothing
 * here throws or changes what the operation does.
 */
#include "log.h"
#include "zend_smart_str.h"
#include "zend_interfaces.h"
#include "ext/json/php_json.h"
#include "SAPI.h"

#include <time.h>

/* A process records its fingerprint at most this often... */
#define WX_OP_FLEET_PERIOD 3600
/* ... and skips the write when the stored one is equal and younger. */
#define WX_OP_FLEET_FRESH  3600

/* json_encode() without touching json_last_error(), the application's. */
static zend_string *wx_op_fleet_json(zval *v)
{
    php_json_error_code saved = JSON_G(error_code);
    smart_str s = {0};
    php_json_encode(&s, v, PHP_JSON_UNESCAPED_SLASHES | PHP_JSON_UNESCAPED_UNICODE | PHP_JSON_INVALID_UTF8_SUBSTITUTE);
    JSON_G(error_code) = saved;
    smart_str_0(&s);
    return s.s ? smart_str_extract(&s) : ZSTR_EMPTY_ALLOC();
}

static void wx_op_fleet_unjson(const char *s, size_t len, zval *out)
{
    php_json_error_code saved = JSON_G(error_code);
    if (php_json_decode_ex(out, s, len, PHP_JSON_OBJECT_AS_ARRAY, 8) == FAILURE || Z_TYPE_P(out) != IS_ARRAY) {
        zval_ptr_dtor(out);
        ZVAL_NULL(out);
    }
    JSON_G(error_code) = saved;
}

/* An extension's version, or null when it is not loaded. */
static void wx_op_fleet_ext(zval *doc, const char *key, const char *ext)
{
    zend_module_entry *m = zend_hash_str_find_ptr(&module_registry, ext, strlen(ext));
    if (m) {
        add_assoc_string(doc, key, (char *) (m->version ? m->version : "?"));
    } else {
        add_assoc_null(doc, key);
    }
}

/* The serializers phpredis was built with (its Redis::SERIALIZER_*
 * constants): phpredis's own default is none; what an application's
 * connection uses is its configuration (OPT_SERIALIZER), which no other
 * code in the process can see. */
static void wx_op_fleet_serializers(zval *doc)
{
    static const char *const names[] = { "php", "igbinary", "msgpack", "json" };
    static const char *const consts[] = { "SERIALIZER_PHP", "SERIALIZER_IGBINARY", "SERIALIZER_MSGPACK", "SERIALIZER_JSON" };
    zend_class_entry *ce = zend_hash_str_find_ptr(CG(class_table), "redis", 5);
    smart_str s = {0};
    size_t i;

    if (!ce) {
        add_assoc_null(doc, "phpredis_serializers");
        return;
    }
    for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
        if (zend_hash_str_exists(&ce->constants_table, consts[i], strlen(consts[i]))) {
            if (s.s) smart_str_appendc(&s, ',');
            smart_str_appends(&s, names[i]);
        }
    }
    smart_str_0(&s);
    add_assoc_str(doc, "phpredis_serializers", s.s ? smart_str_extract(&s) : ZSTR_EMPTY_ALLOC());
}

/* symfony/cache's version from Composer\InstalledVersions, only when that
 * class is already loaded (no autoloading from here); null otherwise. */
static void wx_op_fleet_symfony(zval *doc)
{
    zend_class_entry *ce = zend_hash_str_find_ptr(EG(class_table), "composer\\installedversions",
                                                  sizeof("composer\\installedversions") - 1);
    zval name, installed, version;

    add_assoc_null(doc, "symfony_cache");
    if (!ce) {
        return;
    }
    ZVAL_STRING(&name, "symfony/cache");
    ZVAL_UNDEF(&installed);
    ZVAL_UNDEF(&version);
    zend_call_method(NULL, ce, NULL, ZEND_STRL("isinstalled"), &installed, 1, &name, NULL);
    if (!EG(exception) && Z_TYPE(installed) == IS_TRUE) {
        zend_call_method(NULL, ce, NULL, ZEND_STRL("getprettyversion"), &version, 1, &name, NULL);
        if (!EG(exception) && Z_TYPE(version) == IS_STRING) {
            add_assoc_str(doc, "symfony_cache", zend_string_copy(Z_STR(version)));
        }
    }
    if (EG(exception)) {
        zend_clear_exception();
    }
    zval_ptr_dtor(&installed);
    zval_ptr_dtor(&version);
    zval_ptr_dtor(&name);
}

/* This server's fingerprint, without seen_at. */
static void wx_op_fleet_doc(zval *doc)
{
    array_init(doc);
    add_assoc_string(doc, "hostname", (char *) wx_log_hostname());
    add_assoc_string(doc, "php", PHP_VERSION);
    add_assoc_string(doc, "sapi", (char *) (sapi_module.name ? sapi_module.name : "?"));
    add_assoc_string(doc, "wxredis", PHP_WXREDIS_VERSION);
    wx_op_fleet_ext(doc, "phpredis", "redis");
    wx_op_fleet_serializers(doc);
    wx_op_fleet_ext(doc, "igbinary", "igbinary");
    wx_op_fleet_ext(doc, "msgpack", "msgpack");
    wx_op_fleet_symfony(doc);
}

static zend_string *wx_op_simple_key(wx_op_t *op, wx_cache_obj_t *c, wx_key_id_t id)
{
    return wx_op_key(op, c, id, NULL, NULL);
}

/* HGET the stored fingerprint; write ours unless it is equal and fresh. */
static void wx_op_fleet_record(wx_op_t *op, wx_cache_obj_t *c, time_t now)
{
    zend_string *key = wx_op_simple_key(op, c, WX_KEY_FLEET), *mine, *full;
    const char *host = wx_log_hostname();
    wx_argv_t cmds[2];
    redisReply *r, *replies[2];
    zval doc, stored;
    bool write = true;

    wx_op_fleet_doc(&doc);
    mine = wx_op_fleet_json(&doc);
    wx_argv_init(&cmds[0]);
    wx_argv_add_cstr(&cmds[0], "HGET"); wx_argv_add_zstr(&cmds[0], key); wx_argv_add_cstr(&cmds[0], host);
    if ((r = wx_op_redis1(c, &cmds[0])) != NULL) {
        if (r->type == REDIS_REPLY_STRING) {
            zval *seen;
            wx_op_fleet_unjson(r->str, r->len, &stored);
            if (Z_TYPE(stored) == IS_ARRAY && (seen = zend_hash_str_find(Z_ARRVAL(stored), ZEND_STRL("seen_at")))
                    && now - zval_get_long(seen) < WX_OP_FLEET_FRESH) {
                zend_string *theirs;
                zend_hash_str_del(Z_ARRVAL(stored), ZEND_STRL("seen_at"));
                theirs = wx_op_fleet_json(&stored);
                write = !zend_string_equals(theirs, mine);
                zend_string_release(theirs);
            }
            zval_ptr_dtor(&stored);
        }
        freeReplyObject(r);
    } else {
        write = false;   /* Redis failed: try again next period */
    }
    if (write) {
        add_assoc_long(&doc, "seen_at", (zend_long) now);
        full = wx_op_fleet_json(&doc);
        wx_op_argv_init(cmds, 2);
        wx_argv_add_cstr(&cmds[0], "HSET"); wx_argv_add_zstr(&cmds[0], key);
        wx_argv_add_cstr(&cmds[0], host); wx_argv_add_zstr(&cmds[0], full);
        wx_argv_add_cstr(&cmds[1], "EXPIRE"); wx_argv_add_zstr(&cmds[1], key);
        wx_argv_add_long(&cmds[1], wx_keys_def(WX_KEY_FLEET)->ttl_seconds);
        if (wx_op_redis(c, cmds, 2, replies) == SUCCESS) {
            wx_op_free_replies(replies, 2);
        }
        zend_string_release(full);
    }
    zend_string_release(mine);
    zval_ptr_dtor(&doc);
    zend_string_release(key);
}

void wx_op_fleet_touch(wx_op_t *op, wx_cache_obj_t *c)
{
    HashTable *due = WXREDIS_G(fleet_due);
    time_t now = time(NULL);   /* vDSO: no system call */
    zend_object *pending;
    zval *when, next;

    if (due && (when = zend_hash_find(due, op->app_id)) != NULL && now < Z_LVAL_P(when)) {
        return;
    }
    if (!due) {
        due = pemalloc(sizeof(HashTable), 1);
        zend_hash_init(due, 4, NULL, NULL, 1);
        WXREDIS_G(fleet_due) = due;
    }
    /* due again in an hour whatever happens now: a Redis outage must not
     * turn this into a write per call */
    ZVAL_LONG(&next, (zend_long) now + WX_OP_FLEET_PERIOD);
    zend_hash_str_update(due, ZSTR_VAL(op->app_id), ZSTR_LEN(op->app_id), &next);
    pending = wx_op_stash();
    wx_op_fleet_record(op, c, now);
    wx_op_unstash(pending);
}

/* ------------------------------------------------------------- calls */

zend_string *wx_op_calls_key(wx_op_t *op, wx_cache_obj_t *c, zend_long bucket)
{
    char name[WX_KEYS_NAME_MAX], digits[MAX_LENGTH_OF_LONG + 1];
    wx_key_args_t args = { ZSTR_VAL(op->app_id), ZSTR_LEN(op->app_id), NULL, 0, NULL, 0, digits, 0 };
    size_t n;

    args.bucket_len = (size_t) snprintf(digits, sizeof(digits), ZEND_LONG_FMT, bucket);
    n = wx_keys_build(WX_KEY_CALLS, &args, name, sizeof(name));
    ZEND_ASSERT(n > 0);
    return wx_store_key(c, name, n);
}

void wx_op_count_call(wx_op_t *op, wx_cache_obj_t *c, wx_wechat_api_t api, zend_long errcode)
{
    zend_object *pending = wx_op_stash();
    zend_long bucket = (zend_long) time(NULL) / WX_KEYS_BUCKET_SECONDS;
    zend_string *key = wx_op_calls_key(op, c, bucket);
    char field[96];
    wx_argv_t cmds[2];
    redisReply *replies[2];

    if (errcode == WX_OP_CALL_NO_ANSWER) {
        snprintf(field, sizeof(field), "%s http", wx_wechat_api_name(api));
    } else {
        snprintf(field, sizeof(field), "%s " ZEND_LONG_FMT, wx_wechat_api_name(api), errcode);
    }
    wx_op_argv_init(cmds, 2);
    wx_argv_add_cstr(&cmds[0], "HINCRBY"); wx_argv_add_zstr(&cmds[0], key);
    wx_argv_add_cstr(&cmds[0], field); wx_argv_add_cstr(&cmds[0], "1");
    wx_argv_add_cstr(&cmds[1], "EXPIRE"); wx_argv_add_zstr(&cmds[1], key);
    wx_argv_add_long(&cmds[1], wx_keys_def(WX_KEY_CALLS)->ttl_seconds);
    if (wx_op_redis(c, cmds, 2, replies) == SUCCESS) {
        wx_op_free_replies(replies, 2);
    }
    zend_string_release(key);
    wx_op_unstash(pending);
}

/* ----------------------------------------------------------- last error */

void wx_op_record_refresh_error(wx_op_t *op, wx_cache_obj_t *c, const char *token, zend_string *authorizer,
                                zend_object *ex)
{
    zend_object *pending = wx_op_stash();
    zend_string *key = wx_op_simple_key(op, c, WX_KEY_LAST_ERROR), *bytes;
    zval rec, rv, *v;
    wx_argv_t cmd;
    redisReply *r;

    array_init(&rec);
    add_assoc_long(&rec, "at", (zend_long) time(NULL));
    add_assoc_string(&rec, "token", (char *) token);
    if (authorizer) {
        add_assoc_str(&rec, "authorizer_app_id", zend_string_copy(authorizer));
    } else {
        add_assoc_null(&rec, "authorizer_app_id");
    }
    add_assoc_str(&rec, "error", zend_string_copy(ex->ce->name));
    v = zend_read_property_ex(ex->ce, ex, ZSTR_KNOWN(ZEND_STR_CODE), 1, &rv);
    add_assoc_long(&rec, "errcode", zval_get_long(v));
    add_assoc_str(&rec, "message", zend_string_copy(wx_log_exception_message(ex)));
    add_assoc_string(&rec, "server", (char *) wx_log_hostname());
    if ((bytes = wx_op_encode(&rec, key)) != NULL) {
        wx_argv_init(&cmd);
        wx_argv_add_cstr(&cmd, "SET"); wx_argv_add_zstr(&cmd, key); wx_argv_add_zstr(&cmd, bytes);
        wx_argv_add_cstr(&cmd, "EX"); wx_argv_add_long(&cmd, wx_keys_def(WX_KEY_LAST_ERROR)->ttl_seconds);
        if ((r = wx_op_redis1(c, &cmd)) != NULL) {
            freeReplyObject(r);
        }
        zend_string_release(bytes);
    }
    zval_ptr_dtor(&rec);
    zend_string_release(key);
    wx_op_unstash(pending);
}
