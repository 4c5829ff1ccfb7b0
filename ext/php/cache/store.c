/*
 * The cache's store (store.h): the object behind a WxRedis\Cache, the argv
 * builder, the one command path, and values in the wire format.
 */
#ifdef HAVE_CONFIG_H
# include "config.h"
#endif

#include "php.h"

#include "php_wxredis.h"
#include "php/exceptions.h"
#include "php/log.h"
#include "store.h"
#include "internal.h"

/* ---------------------------------------------------------------- object */

ZEND_COLD void wx_cache_throw_uninitialized(zval *zthis)
{
    zend_throw_error(NULL, "%s object is not initialized: its constructor was not called",
                     ZSTR_VAL(Z_OBJCE_P(zthis)->name));
}

wx_cache_obj_t *wx_store_fetch(zval *zv)
{
    if (Z_TYPE_P(zv) != IS_OBJECT || !instanceof_function(Z_OBJCE_P(zv), wx_ce_CacheBase)) {
        zend_type_error("expected a WxRedis\\Cache, %s given", zend_zval_type_name(zv));
        return NULL;
    }
    return wx_cache_this(zv);
}

/* ----------------------------------------------------------------- argv */

void wx_argv_grow(wx_argv_t *a, uint32_t more)
{
    uint32_t cap = a->cap;

    while (cap - a->argc < more) {
        if (cap > UINT32_MAX / 2) {
            zend_error_noreturn(E_ERROR, "wxredis: command of more than %u arguments", UINT32_MAX / 2);
        }
        cap *= 2;
    }
    if (a->argv == a->argv_inline) {
        a->argv = safe_emalloc(cap, sizeof(*a->argv), 0);
        a->lens = safe_emalloc(cap, sizeof(*a->lens), 0);
        memcpy(a->argv, a->argv_inline, a->argc * sizeof(*a->argv));
        memcpy(a->lens, a->lens_inline, a->argc * sizeof(*a->lens));
    } else {
        a->argv = safe_erealloc(a->argv, cap, sizeof(*a->argv), 0);
        a->lens = safe_erealloc(a->lens, cap, sizeof(*a->lens), 0);
    }
    a->cap = cap;
}

void wx_argv_add_owned(wx_argv_t *a, zend_string *s)
{
    /* grows by doubling: the count is a power of two when full */
    if ((a->nowned & (a->nowned - 1)) == 0) {
        a->owned = safe_erealloc(a->owned, a->nowned ? a->nowned * 2 : 1, sizeof(*a->owned), 0);
    }
    a->owned[a->nowned++] = s;
    wx_argv_add_zstr(a, s);
}

void wx_argv_add_long(wx_argv_t *a, zend_long n)
{
    if (a->nnums < WX_ARGV_NUMS) {
        char *buf = a->nums[a->nnums++];
        wx_argv_add(a, buf, (size_t) snprintf(buf, sizeof(a->nums[0]), ZEND_LONG_FMT, n));
    } else {
        wx_argv_add_owned(a, zend_long_to_str(n));
    }
}

void wx_argv_add_strings(wx_argv_t *a, HashTable *strings)
{
    zval *s;

    wx_argv_reserve(a, zend_hash_num_elements(strings));
    ZEND_HASH_FOREACH_VAL(strings, s) {
        ZEND_ASSERT(Z_TYPE_P(s) == IS_STRING);
        wx_argv_add_zstr(a, Z_STR_P(s));
    } ZEND_HASH_FOREACH_END();
}

void wx_argv_release(wx_argv_t *a)
{
    uint32_t i;

    if (a->argv != a->argv_inline) {
        efree(a->argv);
        efree(a->lens);
    }
    for (i = 0; i < a->nowned; i++) {
        zend_string_release(a->owned[i]);
    }
    if (a->owned) {
        efree(a->owned);
    }
    wx_argv_init(a);
}

/* ------------------------------------------------------ the command path */

ZEND_COLD void wx_store_throw_reply(const wx_conn_cmd_t *cmd, const redisReply *r)
{
    WXREDIS_G(cache_stats).errors++;
    wx_throw_cache(WX_CONN_ERR_REPLY, "Redis %.*s failed: %.*s",
                   (int) cmd->argvlen[0], cmd->argv[0], (int) r->len, r->str);
}

static void wx_store_free_replies(redisReply **replies, size_t n)
{
    size_t i;
    for (i = 0; i < n; i++) {
        freeReplyObject(replies[i]);
        replies[i] = NULL;
    }
}

/* Error replies of a pipeline that came back: thrown unless the caller
 * keeps them. */
static zend_result wx_store_check_replies(const wx_conn_cmd_t *cmds, size_t n,
                                          redisReply **replies, unsigned flags)
{
    size_t i;

    if (!(flags & WX_STORE_KEEP_ERRORS)) {
        for (i = 0; i < n; i++) {
            if (UNEXPECTED(replies[i]->type == REDIS_REPLY_ERROR)) {
                wx_store_throw_reply(&cmds[i], replies[i]);
                wx_store_free_replies(replies, n);
                return FAILURE;
            }
        }
    }
    return SUCCESS;
}

zend_result wx_store_pipeline(wx_cache_obj_t *c, const wx_conn_cmd_t *cmds, size_t n,
                              redisReply **replies, unsigned flags)
{
    if (wx_client_request_split(c->client, cmds, n, replies) != WX_CONN_OK) {
        WXREDIS_G(cache_stats).errors++;
        wx_throw_cache(c->client->err, "%s", c->client->errstr);
        if (UNEXPECTED(c->logger != NULL)) {
            wx_cache_log_lost(c);
        }
        return FAILURE;
    }
    if (UNEXPECTED(c->logger != NULL) && c->logger->lost_at != 0) {
        wx_cache_log_restored(c);
    }
    return wx_store_check_replies(cmds, n, replies, flags);
}

zend_result wx_store_pipeline_at(wx_cache_obj_t *c, wx_conn_t *node, const wx_conn_cmd_t *cmds, size_t n,
                                 redisReply **replies, unsigned flags)
{
    (void) c;
    if (wx_conn_request(node, cmds, n, replies) != WX_CONN_OK) {
        WXREDIS_G(cache_stats).errors++;
        wx_throw_cache(node->err, "%s", node->errstr);
        return FAILURE;
    }
    return wx_store_check_replies(cmds, n, replies, flags);
}

wx_conn_t **wx_store_masters(wx_cache_obj_t *c, size_t *n)
{
    /* room for the usual deployments in one call; a larger cluster is
     * asked again with room for all */
    wx_conn_t *few[16], **all;
    size_t have;

    if (wx_client_masters(c->client, few, 16, &have) != WX_CONN_OK) {
        goto fail;
    }
    all = safe_emalloc(have, sizeof(*all), 0);
    if (have <= 16) {
        memcpy(all, few, have * sizeof(*all));
    } else if (wx_client_masters(c->client, all, have, n) != WX_CONN_OK) {
        efree(all);
        goto fail;
    } else if (*n < have) {
        have = *n;
    }
    *n = have;
    return all;
fail:
    WXREDIS_G(cache_stats).errors++;
    wx_throw_cache(c->client->err, "%s", c->client->errstr);
    return NULL;
}


redisReply *wx_store_keys_command(wx_cache_obj_t *c, const char *cmd, HashTable *rkeys)
{
    return wx_store_keys_request(c, cmd, rkeys, WX_EXPECT_ANY, 0);
}

redisReply *wx_store_keys_request(wx_cache_obj_t *c, const char *cmd, HashTable *rkeys,
                                  wx_conn_expect_t expect, size_t expect_n)
{
    wx_argv_t a;
    redisReply *r;

    wx_argv_init(&a);
    wx_argv_add_cstr(&a, cmd);
    wx_argv_add_strings(&a, rkeys);
    wx_argv_expect(&a, expect, expect_n);
    r = wx_store_command(c, &a);
    wx_argv_free(&a);
    return r;
}

/* ------------------------------------------------------------------ values */

/* wx_store_decode, inlined into wx_store_get (the hottest path). */
static zend_always_inline zend_result wx_store_decode_reply(wx_cache_obj_t *c, zend_string *rk,
                                                            const redisReply *r, zval *out)
{
    ZVAL_UNDEF(out);
    if (r->type != REDIS_REPLY_STRING) {
        WXREDIS_G(cache_stats).misses++;
        return SUCCESS;
    }
    WXREDIS_G(cache_stats).hits++;
    if (wx_codec_decode(&c->codec, rk, r->str, r->len, out) == FAILURE) {
        WXREDIS_G(cache_stats).errors++;
        if (UNEXPECTED(c->logger != NULL)) {
            wx_cache_log_format(c, rk);
        }
        return FAILURE;
    }
    return SUCCESS;
}

zend_result wx_store_decode(wx_cache_obj_t *c, zend_string *rk, const redisReply *r, zval *out)
{
    return wx_store_decode_reply(c, rk, r, out);
}

zend_result wx_store_get(wx_cache_obj_t *c, zend_string *rk, zval *out)
{
    redisReply *r = wx_store_key_request(c, "GET", rk, WX_EXPECT_BULK_OR_NIL);
    zend_result rc;

    if (!r) {
        ZVAL_UNDEF(out);
        return FAILURE;
    }
    rc = wx_store_decode_reply(c, rk, r, out);
    freeReplyObject(r);
    return rc;
}

/* The connection a batch is read from without a reply tree: a single
 * node's. NULL on Sentinel and Cluster, whose client follows failovers
 * and splits a batch by slot: those go through wx_store_pipeline. */
static zend_always_inline wx_conn_t *wx_store_conn(wx_cache_obj_t *c)
{
    return c->client->opts.mode == WX_TOPO_SINGLE ? wx_client_conn(c->client) : NULL;
}

/* MGET through the client's request path (Sentinel, Cluster): the reply
 * tree, each value decoded after the whole reply was read. */
static zend_result wx_store_get_tree(wx_cache_obj_t *c, uint32_t n, const char **argv, const size_t *lens,
                                     zval *def, HashTable *values)
{
    wx_conn_cmd_t cmd = { (int) n + 1, argv, lens, WX_EXPECT_BULKS, n };
    redisReply *r;
    uint32_t i;
    zval v;

    if (wx_store_pipeline(c, &cmd, 1, &r, 0) == FAILURE) {
        return FAILURE;
    }
    if (r->type != REDIS_REPLY_ARRAY || r->elements != n) {
        freeReplyObject(r);
        wx_throw_cache(WX_CONN_ERR_PROTOCOL, "unexpected reply to MGET");
        return FAILURE;
    }
    for (i = 0; i < n; i++) {
        zend_string *rk = zend_string_init(argv[i + 1], lens[i + 1], 0);
        zend_result rc = wx_store_decode_reply(c, rk, r->element[i], &v);
        zend_string_release(rk);
        if (rc == FAILURE) {
            freeReplyObject(r);
            return FAILURE;
        }
        if (Z_ISUNDEF(v)) {
            if (def) {
                ZVAL_COPY(&v, def);
            } else {
                ZVAL_NULL(&v);
            }
        }
        zend_hash_next_index_insert_new(values, &v);
    }
    freeReplyObject(r);
    return SUCCESS;
}

/* An MGET reply as it is read: every value decoded straight from the read
 * buffer into `values`, in order. A value that may load classes (user
 * code: __wakeup, autoloaders) or does not read in one pass is copied and
 * decoded after the exchange, so that no user code runs while the reply
 * is half read (it could use this very connection). */
typedef struct {
    HashTable   *values;
    zval        *def;
    uint32_t    *later;      /* indexes of the values to decode after */
    uint32_t     nlater;
    uint32_t     n;
    zend_string *error;      /* an error reply instead of the array */
} wx_store_mget_t;

static int wx_store_mget_visit(void *ud, size_t reply, const wx_resp_elem_t *e)
{
    wx_store_mget_t *x = ud;
    zval v;
    (void) reply;

    if (e->depth == 0) {
        if (e->type == WX_RESP_ERROR) {
            x->error = zend_string_init(e->str, e->len, 0);
        }
        return 0;
    }
    if (e->type != WX_RESP_BULK) {
        WXREDIS_G(cache_stats).misses++;
        if (x->def) {
            ZVAL_COPY(&v, x->def);
        } else {
            ZVAL_NULL(&v);
        }
    } else {
        WXREDIS_G(cache_stats).hits++;
        if (!wx_codec_decode_plain(e->str, e->len, &v)) {
            if (!x->later) {
                x->later = safe_emalloc(x->n, sizeof(*x->later), 0);
            }
            x->later[x->nlater++] = (uint32_t) e->index;
            ZVAL_STR(&v, zend_string_init(e->str, e->len, 0));
        }
    }
    zend_hash_next_index_insert_new(x->values, &v);
    return 0;
}

zend_result wx_store_get_argv(wx_cache_obj_t *c, uint32_t n, const char **argv, const size_t *lens,
                              zval *def, HashTable *values)
{
    wx_conn_t *conn = wx_store_conn(c);
    wx_conn_cmd_t cmd = { (int) n + 1, argv, lens, WX_EXPECT_BULKS, n };
    wx_store_mget_t x = { values, def, NULL, 0, n, NULL };
    zend_result rc = SUCCESS;
    uint32_t i;

    if (n == 0) {
        return SUCCESS;
    }
    if (!conn) {
        return wx_store_get_tree(c, n, argv, lens, def, values);
    }
    if (wx_conn_request_visit(conn, &cmd, 1, wx_store_mget_visit, &x) != WX_CONN_OK) {
        WXREDIS_G(cache_stats).errors++;
        wx_throw_cache(conn->err, "%s", conn->errstr);
        rc = FAILURE;
    } else if (x.error) {
        redisReply r = { 0 };
        r.type = REDIS_REPLY_ERROR;
        r.str = ZSTR_VAL(x.error);
        r.len = ZSTR_LEN(x.error);
        wx_store_throw_reply(&cmd, &r);
        rc = FAILURE;
    }
    for (i = 0; i < x.nlater; i++) {
        zval *slot = zend_hash_index_find(values, x.later[i]);
        zend_string *bytes = Z_STR_P(slot);
        if (rc == SUCCESS) {
            /* the Redis key, for the message, only when it is needed */
            zend_string *rk = zend_string_init(argv[x.later[i] + 1], lens[x.later[i] + 1], 0);
            ZVAL_NULL(slot);
            if (wx_codec_decode(&c->codec, rk, ZSTR_VAL(bytes), ZSTR_LEN(bytes), slot) == FAILURE) {
                WXREDIS_G(cache_stats).errors++;
                ZVAL_NULL(slot);
                rc = FAILURE;
            }
            zend_string_release(rk);
        } else {
            ZVAL_NULL(slot);
        }
        zend_string_release(bytes);
    }
    if (x.later) {
        efree(x.later);
    }
    if (x.error) {
        zend_string_release(x.error);
    }
    return rc;
}

zend_result wx_store_get_many(wx_cache_obj_t *c, HashTable *rkeys, zval *def, HashTable *values)
{
    uint32_t n = zend_hash_num_elements(rkeys), i = 1;
    const char **argv;
    size_t *lens;
    zend_result rc;
    zval *k;

    if (n == 0) {
        return SUCCESS;
    }
    argv = safe_emalloc(n + 1, sizeof(*argv), 0);
    lens = safe_emalloc(n + 1, sizeof(*lens), 0);
    argv[0] = "MGET";
    lens[0] = 4;
    ZEND_HASH_FOREACH_VAL(rkeys, k) {
        argv[i] = Z_STRVAL_P(k);
        lens[i++] = Z_STRLEN_P(k);
    } ZEND_HASH_FOREACH_END();
    rc = wx_store_get_argv(c, n, argv, lens, def, values);
    efree(argv);
    efree(lens);
    return rc;
}

/* SET rk bytes [EX ttl] appended to a builder; ttl is the number in
 * decimal (formatted once for a whole batch), NULL for no expiry. */
static zend_always_inline void wx_store_add_set(wx_argv_t *a, zend_string *rk, zend_string *bytes, const char *ttl, size_t ttl_len)
{
    wx_argv_add(a, "SET", 3);
    wx_argv_add_zstr(a, rk);
    wx_argv_add_zstr(a, bytes);
    if (ttl) {
        wx_argv_add(a, "EX", 2);
        wx_argv_add(a, ttl, ttl_len);
    }
}

/* The decimal digits of a TTL (NULL when ttl <= 0: no expiry). */
static const char *wx_store_ttl_digits(zend_long ttl, char *buf, size_t size, size_t *len)
{
    if (ttl <= 0) {
        *len = 0;
        return NULL;
    }
    *len = (size_t) snprintf(buf, size, ZEND_LONG_FMT, ttl);
    return buf;
}

zend_result wx_store_set(wx_cache_obj_t *c, zend_string *rk, zval *value, zend_long ttl,
                         zend_string *shown, bool *stored)
{
    zend_string *bytes = wx_codec_encode(value, shown ? shown : rk);
    char digits[MAX_LENGTH_OF_LONG + 1];
    const char *ex;
    size_t ex_len;
    wx_argv_t a;
    redisReply *r;

    if (!bytes) {
        return FAILURE;
    }
    ex = wx_store_ttl_digits(ttl, digits, sizeof(digits), &ex_len);
    wx_argv_init(&a);
    wx_store_add_set(&a, rk, bytes, ex, ex_len);
    wx_argv_expect(&a, WX_EXPECT_OK, 0);
    r = wx_store_command(c, &a);
    wx_argv_free(&a);
    zend_string_release(bytes);
    if (!r) {
        return FAILURE;
    }
    WXREDIS_G(cache_stats).writes++;
    if (stored) {
        *stored = r->type == REDIS_REPLY_STATUS;
    }
    freeReplyObject(r);
    return SUCCESS;
}

zend_result wx_store_set_many(wx_cache_obj_t *c, HashTable *values, zend_long ttl, bool *stored)
{
    uint32_t n = zend_hash_num_elements(values), i = 0, per = ttl > 0 ? 5 : 3;
    char digits[MAX_LENGTH_OF_LONG + 1];
    const char *ex;
    size_t ex_len;
    zend_string *rk, **blobs;
    wx_conn_cmd_t *cmds;
    redisReply **replies;
    wx_argv_t a;
    zend_result rc = SUCCESS;
    zval *v;

    *stored = true;
    if (n == 0) {
        return SUCCESS;
    }
    /* encode everything first: a value that cannot be stored must not
     * leave half the batch written */
    blobs = safe_emalloc(n, sizeof(*blobs), 0);
    ZEND_HASH_FOREACH_STR_KEY_VAL(values, rk, v) {
        ZEND_ASSERT(rk != NULL);
        if (!(blobs[i] = wx_codec_encode(v, rk))) {
            rc = FAILURE;
            break;
        }
        i++;
    } ZEND_HASH_FOREACH_END();

    if (rc == SUCCESS) {
        /* one builder for every argument, then one slice per SET */
        ex = wx_store_ttl_digits(ttl, digits, sizeof(digits), &ex_len);
        wx_argv_init(&a);
        wx_argv_reserve(&a, n * per);
        i = 0;
        ZEND_HASH_FOREACH_STR_KEY(values, rk) {
            wx_store_add_set(&a, rk, blobs[i++], ex, ex_len);
        } ZEND_HASH_FOREACH_END();
        cmds = safe_emalloc(n, sizeof(*cmds), 0);
        replies = safe_emalloc(n, sizeof(*replies), 0);
        for (i = 0; i < n; i++) {
            cmds[i] = wx_argv_slice(&a, i * per, per);
            cmds[i].expect = WX_EXPECT_OK;
        }
        rc = wx_store_pipeline(c, cmds, n, replies, WX_STORE_KEEP_ERRORS);
        if (rc == SUCCESS) {
            /* an error reply (OOM, READONLY, NOPERM) throws as set()
             * does, after every reply is read (the connection stays in
             * step); the SETs before it did run */
            uint32_t bad = n;
            for (i = 0; i < n; i++) {
                if (replies[i]->type == REDIS_REPLY_ERROR && bad == n) {
                    bad = i;
                } else if (replies[i]->type == REDIS_REPLY_STATUS) {
                    WXREDIS_G(cache_stats).writes++;
                }
            }
            if (bad < n) {
                wx_store_throw_reply(&cmds[bad], replies[bad]);
                rc = FAILURE;
            }
            for (i = 0; i < n; i++) {
                freeReplyObject(replies[i]);
            }
        }
        efree(cmds);
        efree(replies);
        wx_argv_free(&a);
        i = n;
    }
    while (i--) {
        zend_string_release(blobs[i]);
    }
    efree(blobs);
    return rc;
}

/* The reply of a DEL of n keys: counted, freed. */
static zend_result wx_store_deleted(redisReply *r, uint32_t n)
{
    if (!r) {
        return FAILURE;
    }
    WXREDIS_G(cache_stats).deletes += n;
    freeReplyObject(r);
    return SUCCESS;
}

zend_result wx_store_del(wx_cache_obj_t *c, zend_string *rk)
{
    return wx_store_deleted(wx_store_key_request(c, "DEL", rk, WX_EXPECT_INTEGER), 1);
}

zend_result wx_store_del_argv(wx_cache_obj_t *c, uint32_t n, const char **argv, const size_t *lens)
{
    wx_conn_cmd_t cmd = { (int) n + 1, argv, lens, WX_EXPECT_INTEGER, 0 };
    redisReply *r;

    if (n == 0) {
        return SUCCESS;
    }
    return wx_store_deleted(wx_store_pipeline(c, &cmd, 1, &r, 0) == SUCCESS ? r : NULL, n);
}

zend_result wx_store_del_many(wx_cache_obj_t *c, HashTable *rkeys)
{
    uint32_t n = zend_hash_num_elements(rkeys);

    if (n == 0) {
        return SUCCESS;
    }
    return wx_store_deleted(wx_store_keys_request(c, "DEL", rkeys, WX_EXPECT_INTEGER, 0), n);
}
