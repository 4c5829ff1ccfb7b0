/*
 * wx_cluster: PLACEHOLDER until the cluster engine lands (branch i10-cluster).
 */
#include "wx_client.h"

#pragma GCC diagnostic ignored "-Wunused-parameter"

static int wx_cluster_init(wx_client_t *cl) { return WX_CONN_OK; }
static void wx_cluster_free(wx_client_t *cl) { }
static int wx_cluster_request(wx_client_t *cl, const wx_conn_cmd_t *cmds, size_t n, redisReply **replies)
{
    return wx_client_fail(cl, WX_CONN_ERR_CONNECT, "cluster engine not built yet");
}
static int wx_cluster_masters(wx_client_t *cl, wx_conn_t **out, size_t cap, size_t *n)
{
    return wx_client_fail(cl, WX_CONN_ERR_CONNECT, "cluster engine not built yet");
}
static int wx_cluster_rediscover(wx_client_t *cl) { return WX_CONN_OK; }
static void wx_cluster_close(wx_client_t *cl) { }

const wx_client_engine_t wx_client_engine_cluster = {
    "cluster", wx_cluster_init, wx_cluster_free, wx_cluster_request, NULL,
    wx_cluster_masters, wx_cluster_rediscover, wx_cluster_close,
};
