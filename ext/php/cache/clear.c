/*
 * clear(): SCAN the prefix, UNLINK (DEL before Redis 4.0) page by page.
 */
#ifdef HAVE_CONFIG_H
# include "config.h"
#endif

#include "php.h"
#include "zend_smart_str.h"
#include "internal.h"

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
    const char **argv;
    size_t *lens, i;
    wx_conn_cmd_t cmd;
    redisReply *r;
    zend_result rc = SUCCESS;

    if (page->elements == 0) {
        return SUCCESS;
    }
    argv = safe_emalloc(page->elements + 1, sizeof(char *), 0);
    lens = safe_emalloc(page->elements + 1, sizeof(size_t), 0);
    for (i = 0; i < page->elements; i++) {
        argv[i + 1] = page->element[i]->str;
        lens[i + 1] = page->element[i]->len;
    }
    cmd.argc = (int) page->elements + 1;
    cmd.argv = argv;
    cmd.argvlen = lens;
    for (;;) {
        argv[0] = c->no_unlink ? "DEL" : "UNLINK";
        lens[0] = strlen(argv[0]);
        if (wx_cache_pipeline(c, &cmd, 1, &r) == FAILURE) {
            rc = FAILURE;
            break;
        }
        if (r->type == REDIS_REPLY_ERROR && !c->no_unlink && strstr(r->str, "unknown command")) {
            c->no_unlink = true;
            freeReplyObject(r);
            continue;
        }
        if (r->type == REDIS_REPLY_ERROR) {
            WXREDIS_G(cache_stats).errors++;
            wx_throw_cache(WX_CONN_ERR_REPLY, "Redis %s failed: %s", argv[0], r->str);
            rc = FAILURE;
        } else {
            WXREDIS_G(cache_stats).deletes += (zend_long) page->elements;
        }
        freeReplyObject(r);
        break;
    }
    efree(argv);
    efree(lens);
    return rc;
}

ZEND_METHOD(WxRedis_CacheBase, clear)
{
    wx_cache_obj_t *c;
    zend_string *pattern;
    char cursor[32] = "0";
    zend_result rc = SUCCESS;

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
    pattern = wx_cache_match_pattern(c->prefix);
    do {
        const char *argv[6] = { "SCAN", cursor, "MATCH", ZSTR_VAL(pattern), "COUNT", "1000" };
        size_t lens[6] = { 4, strlen(cursor), 5, ZSTR_LEN(pattern), 5, 4 };
        redisReply *r = wx_cache_command(c, 6, argv, lens);
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
        memcpy(cursor, r->element[0]->str, r->element[0]->len);
        cursor[r->element[0]->len] = '\0';
        rc = wx_cache_unlink_page(c, r->element[1]);
        freeReplyObject(r);
    } while (rc == SUCCESS && strcmp(cursor, "0") != 0);
    zend_string_release(pattern);
    if (rc == FAILURE) {
        RETURN_THROWS();
    }
    RETURN_TRUE;
}
