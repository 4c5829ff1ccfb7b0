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

/* The command's arguments into a (initialised by the caller): strings and
 * numbers as PHP would print them; FAILURE with a TypeError or
 * InvalidArgumentException (a command that changes the shared
 * connection's state). argn: the position of the first of args. */
static zend_result wx_cache_raw_argv(wx_argv_t *a, zend_string *cmd, zval *args, uint32_t nargs, uint32_t argn)
{
    const char *reason = "";
    uint32_t i;

    wx_argv_reserve(a, nargs + 1);
    wx_argv_add_zstr(a, cmd);
    /* variadic arguments of internal functions are not coerced: take
     * strings and numbers (as PHP would print them), refuse the rest */
    for (i = 0; i < nargs; i++) {
        zval *arg = &args[i];
        ZVAL_DEREF(arg);
        if (Z_TYPE_P(arg) != IS_STRING && Z_TYPE_P(arg) != IS_LONG && Z_TYPE_P(arg) != IS_DOUBLE) {
            zend_argument_type_error(i + argn, "must be of type string, %s given", zend_zval_type_name(arg));
            return FAILURE;
        }
        wx_argv_add_owned(a, zval_get_string(arg));
    }
    /* The connection is shared by every request of the process: a command
     * that leaves it in another state (MULTI, SELECT, SUBSCRIBE, BLPOP...)
     * would spoil every later call, so only PLAIN commands run. */
    if (wx_conn_command_class((int) a->argc, a->argv, a->lens, &reason) != WX_CMD_PLAIN) {
        wx_throw_invalid(WX_CACHE_ERR_ARGUMENT,
            "rawCommand() refuses %.*s: %s; the connection is shared by every request of this "
            "process, so commands that change its state are not run",
            (int) ZSTR_LEN(cmd) > 64 ? 64 : (int) ZSTR_LEN(cmd), ZSTR_VAL(cmd), reason);
        return FAILURE;
    }
    return SUCCESS;
}

/* The cache behind this, and the command into a (initialised here): NULL
 * with an exception pending (a freed). */
static wx_cache_obj_t *wx_cache_raw_begin(zval *self, wx_argv_t *a, zend_string *cmd, zval *args, uint32_t nargs,
                                          uint32_t argn)
{
    wx_cache_obj_t *c = wx_cache_this(self);

    wx_argv_init(a);
    if (!c || wx_cache_raw_argv(a, cmd, args, nargs, argn) == FAILURE) {
        wx_argv_free(a);
        return NULL;
    }
    return c;
}

/* The reply as the method's return value; frees it. */
static void wx_cache_raw_return(redisReply *r, zval *return_value)
{
    wx_cache_reply_to_zval(r, return_value);
    freeReplyObject(r);
}

/* "host:port", or the socket path, of a node. */
static void wx_cache_node_name(const wx_conn_t *node, char *buf, size_t cap)
{
    if (node->opts.unix_path) {
        snprintf(buf, cap, "%s", node->opts.unix_path);
    } else {
        snprintf(buf, cap, "%s:%d", node->opts.host ? node->opts.host : "", node->opts.port);
    }
}

ZEND_METHOD(WxRedis_CacheBase, rawCommand)
{
    zend_string *cmd;
    zval *args = NULL;
    uint32_t nargs = 0;
    wx_cache_obj_t *c;
    wx_argv_t a;
    redisReply *r;

    ZEND_PARSE_PARAMETERS_START(1, -1)
        Z_PARAM_STR(cmd)
        Z_PARAM_VARIADIC('*', args, nargs)
    ZEND_PARSE_PARAMETERS_END();

    if (!(c = wx_cache_raw_begin(ZEND_THIS, &a, cmd, args, nargs, 2))) {
        RETURN_THROWS();
    }
    /* routed by its key on a cluster (core/wx_client.h) */
    r = wx_store_command(c, &a);
    wx_argv_free(&a);
    if (!r) {
        RETURN_THROWS();
    }
    wx_cache_raw_return(r, return_value);
}

ZEND_METHOD(WxRedis_CacheBase, rawCommandAt)
{
    zend_string *node, *cmd;
    zval *args = NULL;
    uint32_t nargs = 0;
    wx_cache_obj_t *c;
    wx_conn_t **masters, *at = NULL;
    wx_conn_cmd_t one;
    wx_argv_t a;
    redisReply *r = NULL;
    char name[WX_TOPO_HOST_MAX + 16];
    size_t n, i;

    ZEND_PARSE_PARAMETERS_START(2, -1)
        Z_PARAM_STR(node)
        Z_PARAM_STR(cmd)
        Z_PARAM_VARIADIC('*', args, nargs)
    ZEND_PARSE_PARAMETERS_END();

    if (!(c = wx_cache_raw_begin(ZEND_THIS, &a, cmd, args, nargs, 3))) {
        RETURN_THROWS();
    }
    if (!(masters = wx_store_masters(c, &n))) {
        wx_argv_free(&a);
        RETURN_THROWS();
    }
    for (i = 0; i < n && !at; i++) {
        wx_cache_node_name(masters[i], name, sizeof(name));
        if (zend_string_equals_cstr(node, name, strlen(name))) {
            at = masters[i];
        }
    }
    efree(masters);
    if (!at) {
        wx_throw_invalid(WX_CACHE_ERR_ARGUMENT,
            "rawCommandAt(): \"%s\" is not a master of this deployment (topology()['masters'] lists them)",
            ZSTR_VAL(node));
        wx_argv_free(&a);
        RETURN_THROWS();
    }
    one = wx_argv_cmd(&a);
    if (wx_store_pipeline_at(c, at, &one, 1, &r, 0) == FAILURE) {
        wx_argv_free(&a);
        RETURN_THROWS();
    }
    wx_argv_free(&a);
    wx_cache_raw_return(r, return_value);
}

ZEND_METHOD(WxRedis_CacheBase, topology)
{
    static const char *const modes[] = { "single", "sentinel", "cluster" };
    wx_cache_obj_t *c;
    wx_conn_t **masters;
    wx_client_t *cl;
    char name[WX_TOPO_HOST_MAX + 16];
    size_t n, i;
    zval list;

    ZEND_PARSE_PARAMETERS_NONE();

    if (!(c = wx_cache_this(ZEND_THIS))) {
        RETURN_THROWS();
    }
    if (!(masters = wx_store_masters(c, &n))) {
        RETURN_THROWS();
    }
    cl = c->client;
    array_init(&list);
    for (i = 0; i < n; i++) {
        wx_cache_node_name(masters[i], name, sizeof(name));
        add_next_index_string(&list, name);
    }
    efree(masters);
    array_init(return_value);
    add_assoc_string(return_value, "mode", modes[cl->opts.mode]);
    add_assoc_zval(return_value, "masters", &list);
    if (cl->opts.service) {
        add_assoc_string(return_value, "service", cl->opts.service);
    }
    add_assoc_long(return_value, "failovers", (zend_long) cl->failovers);
    add_assoc_long(return_value, "redirects", (zend_long) cl->redirects);
    add_assoc_long(return_value, "map_refreshes", (zend_long) cl->map_refreshes);
    add_assoc_long(return_value, "retries", (zend_long) cl->retries);
}
