/*
 * wx_sentinel: PLACEHOLDER until the sentinel engine lands (branch i10-sentinel).
 */
#include "wx_client.h"

#pragma GCC diagnostic ignored "-Wunused-parameter"

static int wx_sentinel_init(wx_client_t *cl) { return WX_CONN_OK; }
static void wx_sentinel_free(wx_client_t *cl) { }
static int wx_sentinel_request(wx_client_t *cl, const wx_conn_cmd_t *cmds, size_t n, redisReply **replies)
{
    return wx_client_fail(cl, WX_CONN_ERR_CONNECT, "sentinel engine not built yet");
}
static int wx_sentinel_masters(wx_client_t *cl, wx_conn_t **out, size_t cap, size_t *n)
{
    return wx_client_fail(cl, WX_CONN_ERR_CONNECT, "sentinel engine not built yet");
}
static int wx_sentinel_rediscover(wx_client_t *cl) { return WX_CONN_OK; }
static void wx_sentinel_close(wx_client_t *cl) { }

const wx_client_engine_t wx_client_engine_sentinel = {
    "sentinel", wx_sentinel_init, wx_sentinel_free, wx_sentinel_request, NULL,
    wx_sentinel_masters, wx_sentinel_rediscover, wx_sentinel_close,
};
