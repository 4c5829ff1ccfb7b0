/*
 * health(): the fleet's state as Redis holds it, in one round trip: the
 * ticket and which server's push stored it, the component token's life
 * left, the authorizer registry (known, expiring within refresh_margin,
 * refresh tokens missing), the last failed refresh, WeChat calls of the
 * last hour, and the servers seen with the differences between them that
 * break a mixed fleet. Values are the fleet's, not this process's.
 */
#include "log.h"
#include "ext/json/php_json.h"

#include <time.h>

/* calls of the last hour: this bucket and the five before it */
#define WX_OP_HEALTH_BUCKETS 6
/* servers seen within this long count for the differences */
#define WX_OP_HEALTH_ACTIVE  86400

enum {
    H_TICKET, H_TICKET_PTTL, H_TICKET_PUSH, H_COMPONENT_PTTL,
    H_AUTH_KNOWN, H_AUTH_EXPIRING, H_AUTH_NO_TOKEN, H_REFRESH_MISSING,
    H_LAST_ERROR, H_FLEET, H_CALLS, H_COUNT = H_CALLS + WX_OP_HEALTH_BUCKETS
};

/* A decoded value of a GET reply (UNDEF when missing or not ours). */
static void wx_op_health_value(wx_cache_obj_t *c, zend_string *key, redisReply *r, zval *out)
{
    if (wx_op_decode(c, key, r, out) == FAILURE) {
        zend_clear_exception();
        ZVAL_UNDEF(out);
    }
}

static zend_long wx_op_health_int(redisReply *r)
{
    return r && r->type == REDIS_REPLY_INTEGER ? (zend_long) r->integer : 0;
}

/* seconds of a PTTL reply: null when missing, -1 without expiry */
static void wx_op_health_ttl(zval *arr, const char *name, redisReply *r)
{
    zend_long ms = wx_op_health_int(r);
    if (ms == -2) {
        add_assoc_null(arr, name);
    } else {
        add_assoc_long(arr, name, ms < 0 ? -1 : ms / 1000);
    }
}

static void wx_op_health_ticket(wx_cache_obj_t *c, zend_string *key, zend_string *push_key, redisReply **rep,
                                time_t now, zval *out)
{
    zval t, v, push, *f;

    array_init(&t);
    wx_op_health_value(c, key, rep[H_TICKET], &v);
    add_assoc_bool(&t, "present", rep[H_TICKET]->type == REDIS_REPLY_STRING);
    if (Z_TYPE(v) == IS_STRING) {
        wx_log_add_fp(&t, "fingerprint", Z_STRVAL(v), Z_STRLEN(v));
    } else {
        add_assoc_null(&t, "fingerprint");
    }
    zval_ptr_dtor(&v);
    wx_op_health_ttl(&t, "expires_in", rep[H_TICKET_PTTL]);
    wx_op_health_value(c, push_key, rep[H_TICKET_PUSH], &push);
    if (Z_TYPE(push) == IS_ARRAY) {
        f = zend_hash_str_find(Z_ARRVAL(push), ZEND_STRL("stored_at"));
        add_assoc_long(&t, "age", f ? (zend_long) now - zval_get_long(f) : 0);
        add_assoc_long(&t, "stored_at", f ? zval_get_long(f) : 0);
        f = zend_hash_str_find(Z_ARRVAL(push), ZEND_STRL("server"));
        add_assoc_str(&t, "server", f ? zval_get_string(f) : ZSTR_EMPTY_ALLOC());
        f = zend_hash_str_find(Z_ARRVAL(push), ZEND_STRL("source"));
        add_assoc_str(&t, "source", f ? zval_get_string(f) : ZSTR_EMPTY_ALLOC());
        f = zend_hash_str_find(Z_ARRVAL(push), ZEND_STRL("create_time"));
        if (f && Z_TYPE_P(f) == IS_LONG) {
            add_assoc_long(&t, "create_time", Z_LVAL_P(f));
        } else {
            add_assoc_null(&t, "create_time");
        }
    } else {
        add_assoc_null(&t, "age");
        add_assoc_null(&t, "stored_at");
        add_assoc_null(&t, "server");
        add_assoc_null(&t, "source");
        add_assoc_null(&t, "create_time");
    }
    zval_ptr_dtor(&push);
    add_assoc_zval(out, "ticket", &t);
}

/* string keys in byte order, so the output is stable */
static int wx_op_key_compare(Bucket *a, Bucket *b)
{
    if (!a->key || !b->key) {
        return (a->key != NULL) - (b->key != NULL);
    }
    return zend_binary_strcmp(ZSTR_VAL(a->key), ZSTR_LEN(a->key), ZSTR_VAL(b->key), ZSTR_LEN(b->key));
}

static void wx_op_health_calls(redisReply **rep, time_t now, zval *out)
{
    zval calls, by_api;
    zend_long total = 0, errors = 0;
    size_t b, i;

    array_init(&calls);
    array_init(&by_api);
    for (b = 0; b < WX_OP_HEALTH_BUCKETS; b++) {
        redisReply *r = rep[H_CALLS + b];
        if (!r || r->type != REDIS_REPLY_ARRAY) {
            continue;
        }
        for (i = 0; i + 1 < r->elements; i += 2) {
            redisReply *f = r->element[i], *n = r->element[i + 1];
            const char *sp;
            zval *api, *cnt, z;
            zend_long count;

            if (f->type != REDIS_REPLY_STRING || n->type != REDIS_REPLY_STRING
                    || !(sp = memchr(f->str, ' ', f->len))) {
                continue;
            }
            count = ZEND_STRTOL(n->str, NULL, 10);
            total += count;
            if (!(sp[1] == '0' && (size_t) (sp + 2 - f->str) == f->len)) {
                errors += count;
            }
            if (!(api = zend_hash_str_find(Z_ARRVAL(by_api), f->str, sp - f->str))) {
                array_init(&z);
                api = zend_hash_str_update(Z_ARRVAL(by_api), f->str, sp - f->str, &z);
            }
            /* errcodes as string keys ("0", "45009", "http") */
            if ((cnt = zend_symtable_str_find(Z_ARRVAL_P(api), sp + 1, f->len - (sp + 1 - f->str)))) {
                ZVAL_LONG(cnt, Z_LVAL_P(cnt) + count);
            } else {
                ZVAL_LONG(&z, count);
                zend_symtable_str_update(Z_ARRVAL_P(api), sp + 1, f->len - (sp + 1 - f->str), &z);
            }
        }
    }
    add_assoc_long(&calls, "window_seconds",
                   (WX_OP_HEALTH_BUCKETS - 1) * WX_KEYS_BUCKET_SECONDS + (zend_long) (now % WX_KEYS_BUCKET_SECONDS));
    add_assoc_long(&calls, "total", total);
    add_assoc_long(&calls, "errors", errors);
    zend_hash_sort(Z_ARRVAL(by_api), wx_op_key_compare, 0);
    add_assoc_zval(&calls, "by_api", &by_api);
    add_assoc_zval(out, "wechat_calls", &calls);
}

/* Fields whose difference between servers breaks a mixed fleet, and why. */
static const struct { const char *field; const char *why; } wx_op_fleet_checks[] = {
    { "phpredis_serializers", "phpredis is built with different serializers: a cache over phpredis (Symfony, "
                              "Laravel) configured with one of them writes bytes the other servers cannot read" },
    { "igbinary", "igbinary is loaded on some servers only: Symfony's marshaller then writes igbinary that the "
                  "others cannot read" },
    { "msgpack", "msgpack is loaded on some servers only" },
    { "symfony_cache", "symfony/cache versions differ: 7.2+ marshals with serialize(), older with igbinary when "
                       "loaded (php+php vs php+igbinary values)" },
    { "phpredis", "phpredis versions differ" },
    { "wxredis", "wxredis versions differ" },
};

/* value of a fingerprint field as text: "none" for null/missing */
static zend_string *wx_op_fleet_text(HashTable *srv, const char *field)
{
    zval *v = zend_hash_str_find(srv, field, strlen(field));
    if (!v || Z_TYPE_P(v) == IS_NULL) {
        return zend_string_init("none", 4, 0);
    }
    return zval_get_string(v);
}

static int wx_op_server_compare(Bucket *a, Bucket *b)
{
    zval *ha = zend_hash_str_find(Z_ARRVAL(a->val), ZEND_STRL("hostname"));
    zval *hb = zend_hash_str_find(Z_ARRVAL(b->val), ZEND_STRL("hostname"));
    if (!ha || !hb || Z_TYPE_P(ha) != IS_STRING || Z_TYPE_P(hb) != IS_STRING) {
        return (ha != NULL) - (hb != NULL);
    }
    return zend_binary_strcmp(Z_STRVAL_P(ha), Z_STRLEN_P(ha), Z_STRVAL_P(hb), Z_STRLEN_P(hb));
}

static void wx_op_health_fleet(redisReply *r, time_t now, zval *out)
{
    zval servers, diffs;
    size_t i, k;
    php_json_error_code saved = JSON_G(error_code);

    array_init(&servers);
    array_init(&diffs);
    for (i = 0; r && r->type == REDIS_REPLY_ARRAY && i + 1 < r->elements; i += 2) {
        redisReply *v = r->element[i + 1];
        zval doc, *seen;
        if (v->type != REDIS_REPLY_STRING
                || php_json_decode_ex(&doc, v->str, v->len, PHP_JSON_OBJECT_AS_ARRAY, 8) == FAILURE) {
            continue;
        }
        if (Z_TYPE(doc) != IS_ARRAY) {
            zval_ptr_dtor(&doc);
            continue;
        }
        seen = zend_hash_str_find(Z_ARRVAL(doc), ZEND_STRL("seen_at"));
        add_assoc_long(&doc, "seen_ago", seen ? (zend_long) now - zval_get_long(seen) : -1);
        add_next_index_zval(&servers, &doc);
    }
    JSON_G(error_code) = saved;
    /* by hostname, so the output is stable */
    zend_hash_sort(Z_ARRVAL(servers), wx_op_server_compare, 1);

    for (k = 0; k < sizeof(wx_op_fleet_checks) / sizeof(wx_op_fleet_checks[0]); k++) {
        zval values, *srv, *hosts, z;
        ZVAL_UNDEF(&values);
        ZEND_HASH_FOREACH_VAL(Z_ARRVAL(servers), srv) {
            zval *ago = zend_hash_str_find(Z_ARRVAL_P(srv), ZEND_STRL("seen_ago"));
            zend_string *text, *host;
            if (ago && zval_get_long(ago) > WX_OP_HEALTH_ACTIVE) {
                continue;
            }
            if (Z_TYPE(values) != IS_ARRAY) {
                array_init(&values);
            }
            text = wx_op_fleet_text(Z_ARRVAL_P(srv), wx_op_fleet_checks[k].field);
            host = wx_op_fleet_text(Z_ARRVAL_P(srv), "hostname");
            if (!(hosts = zend_symtable_find(Z_ARRVAL(values), text))) {
                array_init(&z);
                hosts = zend_symtable_update(Z_ARRVAL(values), text, &z);
            }
            add_next_index_str(hosts, host);
            zend_string_release(text);
        } ZEND_HASH_FOREACH_END();
        if (Z_TYPE(values) == IS_ARRAY && zend_hash_num_elements(Z_ARRVAL(values)) > 1) {
            zval d;
            array_init(&d);
            add_assoc_string(&d, "field", (char *) wx_op_fleet_checks[k].field);
            add_assoc_string(&d, "why", (char *) wx_op_fleet_checks[k].why);
            add_assoc_zval(&d, "values", &values);
            add_next_index_zval(&diffs, &d);
        } else if (Z_TYPE(values) == IS_ARRAY) {
            zval_ptr_dtor(&values);
        }
    }
    add_assoc_zval(out, "servers", &servers);
    add_assoc_zval(out, "fleet_differences", &diffs);
}

static void wx_op_health_error(wx_cache_obj_t *c, zend_string *key, redisReply *r, time_t now, zval *out)
{
    zval v, *at;

    wx_op_health_value(c, key, r, &v);
    if (Z_TYPE(v) != IS_ARRAY) {
        zval_ptr_dtor(&v);
        add_assoc_null(out, "last_refresh_error");
        return;
    }
    at = zend_hash_str_find(Z_ARRVAL(v), ZEND_STRL("at"));
    add_assoc_long(&v, "ago", at ? (zend_long) now - zval_get_long(at) : -1);
    add_assoc_zval(out, "last_refresh_error", &v);
}

static void wx_op_add_key(wx_argv_t *a, const char *cmd, zend_string *key)
{
    wx_argv_init(a);
    wx_argv_add_cstr(a, cmd);
    wx_argv_add_zstr(a, key);
}

zend_result wx_op_health(wx_op_t *op, wx_cache_obj_t *c, zval *out)
{
    time_t now = time(NULL);
    zend_long margin = op->margin_ms / 1000, bucket = (zend_long) now / WX_KEYS_BUCKET_SECONDS;
    zend_string *k_ticket = wx_op_key(op, c, WX_KEY_VERIFY_TICKET, NULL, NULL);
    zend_string *k_push = wx_op_key(op, c, WX_KEY_TICKET_PUSH, NULL, NULL);
    zend_string *k_token = wx_op_key(op, c, WX_KEY_COMPONENT_TOKEN, NULL, NULL);
    zend_string *k_reg = wx_op_key(op, c, WX_KEY_AUTHORIZER_REGISTRY, NULL, NULL);
    zend_string *k_missing = wx_op_key(op, c, WX_KEY_REFRESH_MISSING, NULL, NULL);
    zend_string *k_error = wx_op_key(op, c, WX_KEY_LAST_ERROR, NULL, NULL);
    zend_string *k_fleet = wx_op_key(op, c, WX_KEY_FLEET, NULL, NULL);
    zend_string *k_calls[WX_OP_HEALTH_BUCKETS];
    wx_argv_t a[H_COUNT];
    wx_conn_cmd_t cmds[H_COUNT];
    redisReply *rep[H_COUNT];
    zend_result rc;
    bool got;
    zval x;
    int i;

    for (i = 0; i < WX_OP_HEALTH_BUCKETS; i++) {
        k_calls[i] = wx_op_calls_key(op, c, bucket - i);
    }
    wx_op_add_key(&a[H_TICKET], "GET", k_ticket);
    wx_op_add_key(&a[H_TICKET_PTTL], "PTTL", k_ticket);
    wx_op_add_key(&a[H_TICKET_PUSH], "GET", k_push);
    wx_op_add_key(&a[H_COMPONENT_PTTL], "PTTL", k_token);
    wx_op_add_key(&a[H_AUTH_KNOWN], "ZCARD", k_reg);
    /* expiring: a token that expires within refresh_margin (0 = none yet is not "expiring") */
    wx_op_add_key(&a[H_AUTH_EXPIRING], "ZCOUNT", k_reg);
    wx_argv_add_cstr(&a[H_AUTH_EXPIRING], "(0");
    wx_argv_add_long(&a[H_AUTH_EXPIRING], (zend_long) now + margin);
    wx_op_add_key(&a[H_AUTH_NO_TOKEN], "ZCOUNT", k_reg);
    wx_argv_add_cstr(&a[H_AUTH_NO_TOKEN], "0");
    wx_argv_add_cstr(&a[H_AUTH_NO_TOKEN], "0");
    wx_op_add_key(&a[H_REFRESH_MISSING], "SCARD", k_missing);
    wx_op_add_key(&a[H_LAST_ERROR], "GET", k_error);
    wx_op_add_key(&a[H_FLEET], "HGETALL", k_fleet);
    for (i = 0; i < WX_OP_HEALTH_BUCKETS; i++) {
        wx_op_add_key(&a[H_CALLS + i], "HGETALL", k_calls[i]);
    }
    for (i = 0; i < H_COUNT; i++) {
        cmds[i] = wx_argv_cmd(&a[i]);
        rep[i] = NULL;
    }
    /* one round trip; a key of another type (WRONGTYPE) is reported as empty */
    rc = wx_store_pipeline(c, cmds, H_COUNT, rep, WX_STORE_KEEP_ERRORS);
    got = rc == SUCCESS;
    if (rc == SUCCESS) {
        for (i = 0; i < H_COUNT; i++) {
            if (rep[i]->type == REDIS_REPLY_ERROR) {
                freeReplyObject(rep[i]);
                rep[i] = NULL;
            }
        }
        if (!rep[H_TICKET] || !rep[H_TICKET_PUSH] || !rep[H_LAST_ERROR]) {
            /* GETs on keys of another type are faults worth throwing */
            wx_throw_cache(WX_CONN_ERR_REPLY, "health(): a ticket, ticket push or last-error key of "
                           "component \"%s\" holds a Redis type other than a string", ZSTR_VAL(op->app_id));
            rc = FAILURE;
        }
    }
    if (rc == SUCCESS) {
        array_init(out);
        add_assoc_str(out, "app_id", zend_string_copy(op->app_id));
        add_assoc_long(out, "time", (zend_long) now);
        wx_op_health_ticket(c, k_ticket, k_push, rep, now, out);

        array_init(&x);
        add_assoc_bool(&x, "present", wx_op_health_int(rep[H_COMPONENT_PTTL]) != -2);
        wx_op_health_ttl(&x, "expires_in", rep[H_COMPONENT_PTTL]);
        add_assoc_zval(out, "component_token", &x);

        array_init(&x);
        add_assoc_long(&x, "known", wx_op_health_int(rep[H_AUTH_KNOWN]));
        add_assoc_long(&x, "expiring", wx_op_health_int(rep[H_AUTH_EXPIRING]));
        add_assoc_long(&x, "without_token", wx_op_health_int(rep[H_AUTH_NO_TOKEN]));
        add_assoc_long(&x, "refresh_tokens_missing", wx_op_health_int(rep[H_REFRESH_MISSING]));
        add_assoc_long(&x, "margin", margin);
        add_assoc_zval(out, "authorizers", &x);

        wx_op_health_error(c, k_error, rep[H_LAST_ERROR], now, out);
        wx_op_health_calls(rep, now, out);
        wx_op_health_fleet(rep[H_FLEET], now, out);
    }
    for (i = 0; i < H_COUNT; i++) {
        if (got && rep[i]) {
            freeReplyObject(rep[i]);
        }
        wx_argv_free(&a[i]);
    }
    for (i = 0; i < WX_OP_HEALTH_BUCKETS; i++) {
        zend_string_release(k_calls[i]);
    }
    zend_string_release(k_ticket);
    zend_string_release(k_push);
    zend_string_release(k_token);
    zend_string_release(k_reg);
    zend_string_release(k_missing);
    zend_string_release(k_error);
    zend_string_release(k_fleet);
    return rc;
}
