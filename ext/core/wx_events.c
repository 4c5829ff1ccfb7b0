/* wx_events: the logger's event table and the fingerprint of a secret (see wx_events.h). */
#include <string.h>

#include <openssl/evp.h>

#include "wx_events.h"

/* Context keys every event has besides its own: event, app_id (the
 * component app id; not for the cache's events), server, pid. */
static const wx_event_def_t wx_events_rows[WX_EV_COUNT] = {
    { WX_EV_TICKET_STORED, "wxredis.ticket.stored", "info",
      "component_verify_ticket stored: pushed {age} s ago, handled by {server}",
      "ticket,age,create_time,ttl" },
    { WX_EV_TICKET_REFUSED, "wxredis.ticket.refused", "notice",
      "component_verify_ticket not stored: {why}",
      "ticket,why,age,create_time" },
    { WX_EV_PUSH_REJECTED, "wxredis.push.rejected", "warning",
      "push to the authorization-event URL rejected: {reason}",
      "code,reason" },
    { WX_EV_PUSH_REQUESTED, "wxredis.push.requested", "notice",
      "ticket push requested from WeChat: {outcome}",
      "outcome,reason" },
    { WX_EV_TOKEN_REFRESHED, "wxredis.token.refreshed", "info",
      "{token} refreshed in {latency_ms} ms by {server}",
      "token,authorizer_app_id,latency_ms,lock_owner,fingerprint,ttl" },
    { WX_EV_LOCK_WAITED, "wxredis.lock.waited", "info",
      "waited {waited_ms} ms for another process's {token} refresh: {outcome}",
      "token,authorizer_app_id,waited_ms,outcome" },
    { WX_EV_REFRESH_FAILED, "wxredis.refresh.failed", "error",
      "{token} refresh failed: errcode {errcode}",
      "token,authorizer_app_id,errcode,error,api,reason,latency_ms,served_cached" },
    { WX_EV_REFRESH_TOKEN_STORED, "wxredis.refresh_token.stored", "info",
      "authorizer_refresh_token of {authorizer_app_id} stored ({source})",
      "authorizer_app_id,refresh_token,source" },
    { WX_EV_REFRESH_TOKEN_ROTATED, "wxredis.refresh_token.rotated", "info",
      "authorizer_refresh_token of {authorizer_app_id} rotated by WeChat",
      "authorizer_app_id,refresh_token,previous" },
    { WX_EV_REFRESH_TOKEN_REMOVED, "wxredis.refresh_token.removed", "notice",
      "authorizer_refresh_token of {authorizer_app_id} removed ({reason})",
      "authorizer_app_id,refresh_token,reason" },
    { WX_EV_REFRESH_TOKEN_RECOVERED, "wxredis.refresh_token.recovered", "notice",
      "authorizer_refresh_token of {authorizer_app_id} recovered from WeChat ({source})",
      "authorizer_app_id,refresh_token,source" },
    { WX_EV_WECHAT_ERROR, "wxredis.wechat.error", "warning",
      "WeChat {api} answered errcode {errcode}",
      "api,errcode,errmsg" },
    { WX_EV_FORMAT_ERROR, "wxredis.cache.format_error", "warning",
      "value under {key} is not in wxredis format: {reason}",
      "key,code,reason" },
    { WX_EV_CONNECTION_LOST, "wxredis.cache.connection_lost", "error",
      "Redis connection lost: {reason}",
      "code,reason" },
    { WX_EV_CONNECTION_RESTORED, "wxredis.cache.connection_restored", "notice",
      "Redis connection restored after {down_seconds} s and {failures} failed calls",
      "down_seconds,failures" },
};

const wx_event_def_t *wx_events_table(size_t *n)
{
    *n = WX_EV_COUNT;
    return wx_events_rows;
}

const wx_event_def_t *wx_events_def(wx_event_t id)
{
    return (unsigned) id < WX_EV_COUNT ? &wx_events_rows[id] : NULL;
}

char *wx_fingerprint(const void *data, size_t len, char out[WX_FINGERPRINT_SIZE])
{
    static const char hex[] = "0123456789abcdef";
    unsigned char md[EVP_MAX_MD_SIZE];
    unsigned int mdlen = 0;
    int i;

    if (!EVP_Digest(data, len, md, &mdlen, EVP_sha256(), NULL) || mdlen < WX_FINGERPRINT_HEX / 2) {
        memset(out, '0', WX_FINGERPRINT_HEX);
    } else {
        for (i = 0; i < WX_FINGERPRINT_HEX / 2; i++) {
            out[2 * i] = hex[md[i] >> 4];
            out[2 * i + 1] = hex[md[i] & 15];
        }
    }
    out[WX_FINGERPRINT_HEX] = '\0';
    return out;
}
