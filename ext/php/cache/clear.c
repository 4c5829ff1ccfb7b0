/*
 * clear(): SCAN the prefix, UNLINK (DEL before Redis 4.0) page by page.
 */
#ifdef HAVE_CONFIG_H
# include "config.h"
#endif

#include "php.h"
#include "zend_smart_str.h"
#include "php_wxredis.h"
#include "php/exceptions.h"
#include "internal.h"

/* Keys asked for per SCAN page: big enough that a large cache clears in
 * few round trips, small enough that one UNLINK never blocks Redis long. */
#define WX_CACHE_SCAN_COUNT        1000
/* A full SCAN visits every bucket once, COUNT buckets (up to ten times as
 * many empty ones) per round, and the table holds at most a few buckets per
 * key: DBSIZE / 50 + 16 rounds is twenty times what a sane server needs.
 * More means the cursor never comes back to 0 (a broken or hostile server):
 * clear() stops instead of looping forever. Without DBSIZE (ACL) the fixed
 * cap below is used (100M buckets at COUNT 1000). A cursor sent back
 * unchanged is caught at once: Redis's next cursor is always further on in
 * reverse-binary order, so the same one again would loop forever. */
#define WX_CACHE_SCAN_SLACK        16
#define WX_CACHE_SCAN_PER_ROUND    50
#define WX_CACHE_SCAN_MAX_ROUNDS   100000
/* A SCAN cursor is an unsigned 64-bit number in decimal (at most 20 digits). */
#define WX_CACHE_SCAN_CURSOR_SIZE  32

/* Escape glob metacharacters so SCAN MATCH sees the prefix literally. */
static zend_string *wx_cache_match_pattern(zend_string *prefix)
{
    smart_str s = {0};
    size_t i;
    for (i = 0; i < ZSTR_LEN(prefix); i++) {
        char ch = ZSTR_VAL(prefix)[i];
        if (ch == '*' || ch == '?' || ch == '[' || ch == ']' || ch == '\\') {
            smart_str_appendc(&s, '\\');
        }
        smart_str_appendc(&s, ch);
    }
    smart_str_appendc(&s, '*');
    smart_str_0(&s);
    return smart_str_extract(&s);
}

/* UNLINK (or DEL on servers before 4.0) the keys of one SCAN page. */
static zend_result wx_cache_unlink_page(wx_cache_obj_t *c, redisReply *page)
{
    wx_argv_t a;
    wx_conn_cmd_t cmd;
    redisReply *r;
    zend_result rc;
    size_t i;

    if (page->elements == 0) {
        return SUCCESS;
    }
    wx_argv_init(&a);
    wx_argv_reserve(&a, (uint32_t) page->elements + 1);
    wx_argv_add_cstr(&a, c->no_unlink ? "DEL" : "UNLINK");
    for (i = 0; i < page->elements; i++) {
        wx_argv_add(&a, page->element[i]->str, page->element[i]->len);
    }
    wx_argv_expect(&a, WX_EXPECT_INTEGER, 0);
    cmd = wx_argv_cmd(&a);
    rc = wx_store_pipeline(c, &cmd, 1, &r, WX_STORE_KEEP_ERRORS);
    if (rc == SUCCESS && r->type == REDIS_REPLY_ERROR && !c->no_unlink && strstr(r->str, "unknown command")) {
        /* once per object: the next pages go straight to DEL */
        c->no_unlink = true;
        freeReplyObject(r);
        a.argv[0] = "DEL";
        a.lens[0] = 3;
        rc = wx_store_pipeline(c, &cmd, 1, &r, WX_STORE_KEEP_ERRORS);
    }
    if (rc == SUCCESS) {
        if (r->type == REDIS_REPLY_ERROR) {
            wx_store_throw_reply(&cmd, r);
            rc = FAILURE;
        } else {
            WXREDIS_G(cache_stats).deletes += (zend_long) page->elements;
        }
        freeReplyObject(r);
    }
    wx_argv_free(&a);
    return rc;
}

/* The most SCAN rounds clear() takes (see WX_CACHE_SCAN_SLACK). */
static zend_result wx_cache_scan_bound(wx_cache_obj_t *c, wx_conn_t *node, zend_long *bound, long long *dbsize)
{
    wx_argv_t a;
    wx_conn_cmd_t cmd;
    redisReply *r;

    wx_argv_init(&a);
    wx_argv_add(&a, "DBSIZE", 6);
    wx_argv_expect(&a, WX_EXPECT_INTEGER, 0);
    cmd = wx_argv_cmd(&a);
    if (wx_store_pipeline_at(c, node, &cmd, 1, &r, WX_STORE_KEEP_ERRORS) == FAILURE) {
        return FAILURE;
    }
    *dbsize = -1;
    *bound = WX_CACHE_SCAN_MAX_ROUNDS;
    if (r->type == REDIS_REPLY_INTEGER && r->integer >= 0) {
        *dbsize = r->integer;
        if (r->integer / WX_CACHE_SCAN_PER_ROUND < WX_CACHE_SCAN_MAX_ROUNDS) {
            *bound = (zend_long) (r->integer / WX_CACHE_SCAN_PER_ROUND) + WX_CACHE_SCAN_SLACK;
        }
    }
    freeReplyObject(r);
    return SUCCESS;
}

/* SCAN one node (every master of a cluster in turn) for the prefix and
 * UNLINK what it finds; the UNLINKs take the routed path, so a key that
 * moved meanwhile is followed. */
static zend_result wx_cache_clear_node(wx_cache_obj_t *c, wx_conn_t *node, zend_string *pattern)
{
    zend_long rounds = 0, bound;
    long long dbsize;
    char cursor[WX_CACHE_SCAN_CURSOR_SIZE] = "0";
    zend_result rc = SUCCESS;

    if (wx_cache_scan_bound(c, node, &bound, &dbsize) == FAILURE) {
        return FAILURE;
    }
    do {
        if (++rounds > bound) {
            wx_throw_cache(WX_CONN_ERR_PROTOCOL,
                "clear() stopped: the SCAN cursor did not return to 0 within " ZEND_LONG_FMT
                " rounds (DBSIZE %lld); the server's cursor misbehaves, some keys under the "
                "prefix may remain", bound, dbsize);
            rc = FAILURE;
            break;
        }
        wx_argv_t a;
        wx_conn_cmd_t cmd;
        redisReply *r = NULL;

        wx_argv_init(&a);
        wx_argv_add(&a, "SCAN", 4);
        wx_argv_add_cstr(&a, cursor);
        wx_argv_add(&a, "MATCH", 5);
        wx_argv_add_zstr(&a, pattern);
        wx_argv_add(&a, "COUNT", 5);
        wx_argv_add_long(&a, WX_CACHE_SCAN_COUNT);
        wx_argv_expect(&a, WX_EXPECT_SCAN, 0);
        cmd = wx_argv_cmd(&a);
        if (wx_store_pipeline_at(c, node, &cmd, 1, &r, 0) == FAILURE) {
            r = NULL;
        }
        wx_argv_free(&a);
        if (!r) {
            rc = FAILURE;
            break;
        }
        if (r->type != REDIS_REPLY_ARRAY || r->elements != 2 ||
            r->element[0]->type != REDIS_REPLY_STRING || r->element[0]->len >= sizeof(cursor) ||
            r->element[1]->type != REDIS_REPLY_ARRAY) {
            freeReplyObject(r);
            wx_throw_cache(WX_CONN_ERR_PROTOCOL, "unexpected reply to SCAN");
            rc = FAILURE;
            break;
        }
        if (rounds > 1 && r->element[0]->len == strlen(cursor) && memcmp(cursor, r->element[0]->str, r->element[0]->len) == 0) {
            freeReplyObject(r);
            wx_throw_cache(WX_CONN_ERR_PROTOCOL,
                "clear() stopped: SCAN answered cursor %s to cursor %s (it must advance); the server's "
                "cursor misbehaves, some keys under the prefix may remain", cursor, cursor);
            rc = FAILURE;
            break;
        }
        memcpy(cursor, r->element[0]->str, r->element[0]->len);
        cursor[r->element[0]->len] = '\0';
        rc = wx_cache_unlink_page(c, r->element[1]);
        freeReplyObject(r);
    } while (rc == SUCCESS && strcmp(cursor, "0") != 0);
    return rc;
}

ZEND_METHOD(WxRedis_CacheBase, clear)
{
    wx_cache_obj_t *c;
    wx_conn_t **masters;
    zend_string *pattern;
    zend_result rc = SUCCESS;
    size_t n, i;

    ZEND_PARSE_PARAMETERS_NONE();

    if (!(c = wx_cache_this(ZEND_THIS))) {
        RETURN_THROWS();
    }
    if (ZSTR_LEN(c->prefix) == 0) {
        /* Without a prefix "our" keys are every key of the database,
         * which may hold other applications' data and the refresh tokens. */
        wx_throw_cache(WX_CACHE_ERR_UNSAFE,
            "clear() refuses to run without a prefix: it would delete every key in the Redis "
            "database, not only this cache's; set the \"prefix\" option (e.g. \"easywechat:\")");
        RETURN_THROWS();
    }
    if (!(masters = wx_store_masters(c, &n))) {
        RETURN_THROWS();
    }
    pattern = wx_cache_match_pattern(c->prefix);
    for (i = 0; i < n && rc == SUCCESS; i++) {
        rc = wx_cache_clear_node(c, masters[i], pattern);
    }
    zend_string_release(pattern);
    efree(masters);
    if (rc == FAILURE) {
        RETURN_THROWS();
    }
    RETURN_TRUE;
}
