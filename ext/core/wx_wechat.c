/* wx_wechat: WeChat Open Platform policy (see wx_wechat.h). */
#include <string.h>

#include "wx_wechat.h"

long wx_wechat_token_ttl(long expires_in, long cut)
{
    if (expires_in <= 0) {
        expires_in = WX_WECHAT_EXPIRES_IN_DEFAULT;
    }
    return expires_in - cut >= 1 ? expires_in - cut : 1;
}

long wx_wechat_ticket_ttl(long age)
{
    long ttl = WX_WECHAT_TICKET_LIFETIME - WX_WECHAT_TICKET_SAFETY - (age > 0 ? age : 0);
    /* a push delayed for hours: nearly expired, keep what we have */
    return ttl >= WX_WECHAT_TICKET_MIN_TTL ? ttl : 0;
}

long wx_wechat_push_ticket_ttl(const char *create_time, size_t len, long now, int *dated)
{
    long t = 0;
    size_t i;

    *dated = 0;
    /* 1 to 12 digits and nothing else: no sign, blank or exponent */
    if (create_time == NULL || len == 0 || len > 12) {
        return WX_WECHAT_TICKET_UNDATED_TTL;
    }
    for (i = 0; i < len; i++) {
        if (create_time[i] < '0' || create_time[i] > '9') {
            return WX_WECHAT_TICKET_UNDATED_TTL;
        }
        t = t * 10 + (create_time[i] - '0');
    }
    if (t == 0 || t > now + WX_WECHAT_CLOCK_SKEW) {
        return WX_WECHAT_TICKET_UNDATED_TTL;
    }
    *dated = 1;
    return wx_wechat_ticket_ttl(now - t);
}

/* ---------------------------------------------------------------- APIs */

static const struct {
    const char *path;
    int         needs_token;
} wx_wechat_apis[WX_WECHAT_API_COUNT] = {
    [WX_WECHAT_API_COMPONENT_TOKEN]  = { "/cgi-bin/component/api_component_token", 0 },
    [WX_WECHAT_API_PREAUTHCODE]      = { "/cgi-bin/component/api_create_preauthcode", 1 },
    [WX_WECHAT_API_QUERY_AUTH]       = { "/cgi-bin/component/api_query_auth", 1 },
    [WX_WECHAT_API_AUTHORIZER_TOKEN] = { "/cgi-bin/component/api_authorizer_token", 1 },
    [WX_WECHAT_API_START_PUSH]       = { "/cgi-bin/component/api_start_push_ticket", 0 },
    [WX_WECHAT_API_AUTHORIZER_INFO]  = { "/cgi-bin/component/api_get_authorizer_info", 1 },
    [WX_WECHAT_API_AUTHORIZER_LIST]  = { "/cgi-bin/component/api_get_authorizer_list", 1 },
    [WX_WECHAT_API_CLEAR_QUOTA]      = { "/cgi-bin/component/clear_quota/v2", 0 },
};

const char *wx_wechat_api_path(wx_wechat_api_t api)
{
    return (unsigned) api < WX_WECHAT_API_COUNT ? wx_wechat_apis[api].path : "";
}

const char *wx_wechat_api_name(wx_wechat_api_t api)
{
    const char *path = wx_wechat_api_path(api), *p, *last = path, *before = path;
    for (p = path; *p; p++) {
        if (*p == '/') {
            before = last;
            last = p + 1;
        }
    }
    /* a version alone names nothing: "clear_quota/v2" */
    return last[0] == 'v' && last[1] >= '0' && last[1] <= '9' ? before : last;
}

int wx_wechat_api_needs_token(wx_wechat_api_t api)
{
    return (unsigned) api < WX_WECHAT_API_COUNT ? wx_wechat_apis[api].needs_token : 0;
}

/* ---------------------------------------------- authorization-event pushes */

wx_wechat_push_t wx_wechat_push_type(const char *t, size_t len)
{
    static const struct {
        const char      *name;
        wx_wechat_push_t type;
    } types[] = {
        { "component_verify_ticket", WX_WECHAT_PUSH_TICKET },
        { "authorized", WX_WECHAT_PUSH_AUTHORIZED },
        { "updateauthorized", WX_WECHAT_PUSH_AUTHORIZED },
        { "unauthorized", WX_WECHAT_PUSH_UNAUTHORIZED },
    };
    size_t i;
    for (i = 0; i < sizeof(types) / sizeof(types[0]); i++) {
        if (strlen(types[i].name) == len && memcmp(types[i].name, t, len) == 0) {
            return types[i].type;
        }
    }
    return WX_WECHAT_PUSH_OTHER;
}

/* ------------------------------------------------------------ errcodes */

#define WX_WECHAT_HINT_REJECTED \
    "WeChat rejected the access token; a cached token WeChat rejects is dropped (only if it is still the " \
    "cached one) and the call is tried once more with a new one"

/* One row per errcode we know something about, ascending. */
static const struct {
    long                 code;
    wx_wechat_errclass_t cls;
    const char          *hint;
} wx_wechat_errcodes[] = {
    { -1, WX_WECHAT_ERR_BUSY, "WeChat is busy; try again in a moment" },
    { 40001, WX_WECHAT_ERR_TOKEN_REJECTED,
      WX_WECHAT_HINT_REJECTED },
    { 40013, WX_WECHAT_ERR_CONFIG, "config \"app_id\" is not the AppID of this third-party platform" },
    { 40125, WX_WECHAT_ERR_CONFIG,
      "config \"secret\" is not the platform's AppSecret (was it reset on open.weixin.qq.com?)" },
    { 42001, WX_WECHAT_ERR_TOKEN_REJECTED,
      WX_WECHAT_HINT_REJECTED },
    { 45009, WX_WECHAT_ERR_QUOTA,
      "this API's daily quota is used up; it resets at midnight Beijing time. Refreshes here are single-flight, "
      "so look for other programs refreshing tokens of the same app id. OpenPlatform::clearQuota() resets the "
      "platform's quota now (component/clear_quota/v2, a few times a month; at most once per "
      "clear_quota_interval across the fleet)" },
    { 61003, WX_WECHAT_ERR_AUTHORIZATION,
      "the account has not authorized this platform, or has revoked the authorization" },
    { 61004, WX_WECHAT_ERR_CONFIG,
      "this server's outgoing IP is not on the platform's API IP whitelist (open.weixin.qq.com, "
      "the platform's development settings); errmsg shows the IP WeChat saw" },
    { 61005, WX_WECHAT_ERR_TICKET,
      "the component_verify_ticket has expired: WeChat pushes a new one every 10 minutes to the "
      "authorization-event URL, and those pushes must reach handleCallback()" },
    { 61006, WX_WECHAT_ERR_TICKET,
      "the component_verify_ticket is not one WeChat issued to this platform (corrupted on the way, or "
      "another platform's): WeChat pushes a new one every 10 minutes to the authorization-event URL, "
      "and those pushes must reach handleCallback()" },
    { 61023, WX_WECHAT_ERR_AUTHORIZATION,
      "the authorizer_refresh_token is no longer valid and WeChat's api_get_authorizer_info gave no other one: "
      "the account must authorize the platform again (the stored refresh token was kept)" },
};

#define WX_WECHAT_NCODES (sizeof(wx_wechat_errcodes) / sizeof(wx_wechat_errcodes[0]))

static int wx_wechat_find(long errcode)
{
    size_t i;
    for (i = 0; i < WX_WECHAT_NCODES; i++) {
        if (wx_wechat_errcodes[i].code == errcode) {
            return (int) i;
        }
    }
    return -1;
}

wx_wechat_errclass_t wx_wechat_errclass(long errcode)
{
    int i;
    if (errcode == 0) {
        return WX_WECHAT_ERR_NONE;
    }
    i = wx_wechat_find(errcode);
    return i < 0 ? WX_WECHAT_ERR_OTHER : wx_wechat_errcodes[i].cls;
}

const char *wx_wechat_hint(long errcode)
{
    int i = wx_wechat_find(errcode);
    return i < 0 ? NULL : wx_wechat_errcodes[i].hint;
}
