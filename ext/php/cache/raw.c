/*
 * rawCommand(): one Redis command as is, its reply as PHP values.
 */
#ifdef HAVE_CONFIG_H
# include "config.h"
#endif

#include "php.h"
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
    const char **argv;
    size_t *lens;
    zend_string **strs;
    redisReply *r;

    ZEND_PARSE_PARAMETERS_START(1, -1)
        Z_PARAM_STR(cmd)
        Z_PARAM_VARIADIC('*', args, nargs)
    ZEND_PARSE_PARAMETERS_END();

    if (!(c = wx_cache_this(ZEND_THIS))) {
        RETURN_THROWS();
    }
    /* variadic arguments of internal functions are not coerced: take
     * strings and numbers (as PHP would print them), refuse the rest */
    strs = safe_emalloc(nargs + 1, sizeof(zend_string *), 0);
    for (i = 0; i < nargs; i++) {
        zval *a = &args[i];
        ZVAL_DEREF(a);
        if (Z_TYPE_P(a) != IS_STRING && Z_TYPE_P(a) != IS_LONG && Z_TYPE_P(a) != IS_DOUBLE) {
            zend_argument_type_error(i + 2, "must be of type string, %s given", zend_zval_type_name(a));
            while (i--) zend_string_release(strs[i]);
            efree(strs);
            RETURN_THROWS();
        }
        strs[i] = zval_get_string(a);
    }
    argv = safe_emalloc(nargs + 1, sizeof(char *), 0);
    lens = safe_emalloc(nargs + 1, sizeof(size_t), 0);
    argv[0] = ZSTR_VAL(cmd);
    lens[0] = ZSTR_LEN(cmd);
    for (i = 0; i < nargs; i++) {
        argv[i + 1] = ZSTR_VAL(strs[i]);
        lens[i + 1] = ZSTR_LEN(strs[i]);
    }
    r = wx_cache_command(c, (int) nargs + 1, argv, lens);
    for (i = 0; i < nargs; i++) zend_string_release(strs[i]);
    efree(strs);
    efree(argv);
    efree(lens);
    if (!r) {
        RETURN_THROWS();
    }
    wx_cache_reply_to_zval(r, return_value);
    freeReplyObject(r);
}
