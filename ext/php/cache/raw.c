/*
 * rawCommand(): one Redis command as is, its reply as PHP values.
 */
#ifdef HAVE_CONFIG_H
# include "config.h"
#endif

#include "php.h"
#include "php/exceptions.h"
#include "internal.h"

static void wx_cache_reply_to_zval(const redisReply *r, zval *out)
{
    size_t i;
    switch (r->type) {
    case REDIS_REPLY_STRING:
    case REDIS_REPLY_STATUS:
        ZVAL_STRINGL(out, r->str, r->len);
        break;
    case REDIS_REPLY_INTEGER:
        ZVAL_LONG(out, (zend_long) r->integer);
        break;
    case REDIS_REPLY_ARRAY:
        array_init_size(out, (uint32_t) r->elements);
        for (i = 0; i < r->elements; i++) {
            zval e;
            wx_cache_reply_to_zval(r->element[i], &e);
            add_next_index_zval(out, &e);
        }
        break;
    default: /* nil (and RESP3 types hiredis 1.x may add) */
        ZVAL_NULL(out);
        break;
    }
}

ZEND_METHOD(WxRedis_CacheBase, rawCommand)
{
    zend_string *cmd;
    zval *args = NULL;
    uint32_t nargs = 0, i;
    wx_cache_obj_t *c;
    wx_argv_t a;
    redisReply *r;
    const char *reason = "";

    ZEND_PARSE_PARAMETERS_START(1, -1)
        Z_PARAM_STR(cmd)
        Z_PARAM_VARIADIC('*', args, nargs)
    ZEND_PARSE_PARAMETERS_END();

    if (!(c = wx_cache_this(ZEND_THIS))) {
        RETURN_THROWS();
    }
    wx_argv_init(&a);
    wx_argv_reserve(&a, nargs + 1);
    wx_argv_add_zstr(&a, cmd);
    /* variadic arguments of internal functions are not coerced: take
     * strings and numbers (as PHP would print them), refuse the rest */
    for (i = 0; i < nargs; i++) {
        zval *arg = &args[i];
        ZVAL_DEREF(arg);
        if (Z_TYPE_P(arg) != IS_STRING && Z_TYPE_P(arg) != IS_LONG && Z_TYPE_P(arg) != IS_DOUBLE) {
            zend_argument_type_error(i + 2, "must be of type string, %s given", zend_zval_type_name(arg));
            wx_argv_free(&a);
            RETURN_THROWS();
        }
        wx_argv_add_owned(&a, zval_get_string(arg));
    }
    /* The connection is shared by every request of the process: a command
     * that leaves it in another state (MULTI, SELECT, SUBSCRIBE, BLPOP...)
     * would spoil every later call, so only PLAIN commands run. */
    if (wx_conn_command_class((int) a.argc, a.argv, a.lens, &reason) != WX_CMD_PLAIN) {
        wx_throw_invalid(WX_CACHE_ERR_ARGUMENT,
            "rawCommand() refuses %.*s: %s; the connection is shared by every request of this "
            "process, so commands that change its state are not run",
            (int) ZSTR_LEN(cmd) > 64 ? 64 : (int) ZSTR_LEN(cmd), ZSTR_VAL(cmd), reason);
        wx_argv_free(&a);
        RETURN_THROWS();
    }
    r = wx_store_command(c, &a);
    wx_argv_free(&a);
    if (!r) {
        RETURN_THROWS();
    }
    wx_cache_reply_to_zval(r, return_value);
    freeReplyObject(r);
}
