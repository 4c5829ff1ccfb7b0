/*
 * wx_client_single: the engine for one Redis node. Everything goes to one
 * wx_conn_t; failures are the connection's (wx_conn.h says which).
 */
#include "wx_client.h"

#include <stdlib.h>

static int wx_single_init(wx_client_t *cl)
{
    cl->engine_state = wx_conn_new(&cl->opts.node, cl->stats);
    return cl->engine_state ? WX_CONN_OK : WX_CONN_ERR_OOM;
}

static void wx_single_free(wx_client_t *cl)
{
    wx_conn_free(cl->engine_state);
    cl->engine_state = NULL;
}

static int wx_single_request(wx_client_t *cl, const wx_conn_cmd_t *cmds, size_t n, redisReply **replies)
{
    wx_conn_t *c = cl->engine_state;
    if (wx_conn_request(c, cmds, n, replies) != WX_CONN_OK) {
        return wx_client_fail_conn(cl, c);
    }
    return WX_CONN_OK;
}

static wx_conn_t *wx_single_conn(wx_client_t *cl)
{
    return cl->engine_state;
}

static int wx_single_masters(wx_client_t *cl, wx_conn_t **out, size_t cap, size_t *n)
{
    wx_conn_t *c = cl->engine_state;
    if (wx_conn_ensure(c) != WX_CONN_OK) {
        return wx_client_fail_conn(cl, c);
    }
    if (cap > 0) out[0] = c;
    *n = 1;
    return WX_CONN_OK;
}

static int wx_single_rediscover(wx_client_t *cl)
{
    /* one node: nothing to find, but a fresh connection */
    wx_conn_close(cl->engine_state);
    return WX_CONN_OK;
}

static void wx_single_close(wx_client_t *cl)
{
    wx_conn_close(cl->engine_state);
}

const wx_client_engine_t wx_client_engine_single = {
    "single",
    wx_single_init,
    wx_single_free,
    wx_single_request,
    wx_single_conn,
    wx_single_masters,
    wx_single_rediscover,
    wx_single_close,
};
