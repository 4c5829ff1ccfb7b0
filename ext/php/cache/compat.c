/*
 * The five functions OpenPlatform calls today (declared in php_wxredis.h),
 * as thin wrappers over store.h with their old signatures and semantics.
 * Kept until OpenPlatform uses store.h; the lead removes this file and the
 * block in php_wxredis.h after merging both halves of issue 8.
 */
#ifdef HAVE_CONFIG_H
# include "config.h"
#endif

#include "php.h"
#include "php_wxredis.h"
#include "store.h"

wx_cache_obj_t *wx_cache_fetch(zval *zv)
{
    return wx_store_fetch(zv);
}

/* An error reply throws, as before. */
redisReply *wx_cache_command(wx_cache_obj_t *c, int argc, const char **argv, const size_t *lens)
{
    wx_conn_cmd_t cmd = { argc, argv, lens, WX_EXPECT_ANY, 0 };
    redisReply *r;
    return wx_store_pipeline(c, &cmd, 1, &r, 0) == SUCCESS ? r : NULL;
}

/* Error replies are the caller's to check, as before. Old callers fill
 * argc/argv/argvlen only: their expectations are set to ANY here rather
 * than read uninitialised. */
zend_result wx_cache_pipeline(wx_cache_obj_t *c, const wx_conn_cmd_t *cmds, size_t n, redisReply **replies)
{
    wx_conn_cmd_t *cc = safe_emalloc(n, sizeof(*cc), 0);
    zend_result rc;
    size_t i;

    for (i = 0; i < n; i++) {
        cc[i].argc = cmds[i].argc;
        cc[i].argv = cmds[i].argv;
        cc[i].argvlen = cmds[i].argvlen;
        cc[i].expect = WX_EXPECT_ANY;
        cc[i].expect_n = 0;
    }
    rc = wx_store_pipeline(c, cc, n, replies, WX_STORE_KEEP_ERRORS);
    efree(cc);
    return rc;
}

zend_string *wx_cache_prefix(const wx_cache_obj_t *c)
{
    return c->prefix;
}

const wx_codec_t *wx_cache_codec(const wx_cache_obj_t *c)
{
    return &c->codec;
}
