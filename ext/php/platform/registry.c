/*
 * The authorizer registry: every authorizer app id the platform knows, in
 * a sorted set under the cache's prefix (wxredis.authorizers.{component})
 * scored by the unix time its cached access token expires (0: none yet, or
 * unknown, e.g. after an import), so the keeper finds what expires soon
 * with one ZRANGEBYSCORE. Next to it the set of authorizers whose refresh
 * token is known to be missing (wxredis.refresh_missing.{component}).
 *
 * The commands are built here and sent by the callers in the pipelines
 * they already make (store, import, unauthorized): no extra round trip
 * on the paths that feed it.
 */
#include "platform.h"

#include <time.h>

zend_long wx_op_registry_score(zend_long ttl)
{
    return (zend_long) time(NULL) + (ttl > 0 ? ttl : 0);
}

void wx_op_registry_cmd_add(wx_op_t *op, wx_cache_obj_t *c, wx_argv_t *cmd, zend_string *authorizer,
                            zend_long score, bool nx)
{
    wx_argv_add_cstr(cmd, "ZADD");
    wx_argv_add_owned(cmd, wx_op_key(op, c, WX_KEY_AUTHORIZER_REGISTRY, NULL, NULL));
    if (nx) {
        wx_argv_add_cstr(cmd, "NX");
    }
    wx_argv_add_long(cmd, score);
    wx_argv_add_zstr(cmd, authorizer);
}

void wx_op_registry_cmd_rem(wx_op_t *op, wx_cache_obj_t *c, wx_argv_t *cmd, zend_string *authorizer)
{
    wx_argv_add_cstr(cmd, "ZREM");
    wx_argv_add_owned(cmd, wx_op_key(op, c, WX_KEY_AUTHORIZER_REGISTRY, NULL, NULL));
    wx_argv_add_zstr(cmd, authorizer);
}

void wx_op_missing_cmd(wx_op_t *op, wx_cache_obj_t *c, wx_argv_t *cmd, zend_string *authorizer, bool add)
{
    wx_argv_add_cstr(cmd, add ? "SADD" : "SREM");
    wx_argv_add_owned(cmd, wx_op_key(op, c, WX_KEY_REFRESH_MISSING, NULL, NULL));
    wx_argv_add_zstr(cmd, authorizer);
}

void wx_op_registry_mark_missing(wx_op_t *op, wx_cache_obj_t *c, zend_string *authorizer)
{
    zend_object *pending = wx_op_stash();
    wx_argv_t cmds[2];
    redisReply *replies[2];

    wx_op_argv_init(cmds, 2);
    wx_op_missing_cmd(op, c, &cmds[0], authorizer, true);
    /* known, though without a token: the keeper and health() see it */
    wx_op_registry_cmd_add(op, c, &cmds[1], authorizer, 0, true);
    if (wx_op_redis(c, cmds, 2, replies) == SUCCESS) {
        wx_op_free_replies(replies, 2);
    }
    wx_op_unstash(pending);
}
