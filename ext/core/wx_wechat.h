/*
 * wx_wechat: WeChat Open Platform policy, as data in one place.
 *
 * How long WeChat keeps tickets and tokens valid and how much of that we
 * use, how often we may ask for a ticket push, how long a failed refresh
 * pauses the next one, the API paths, and what an errcode means (a class
 * the caller acts on, and a hint for the message). Plain C, no Zend;
 * unit-tested in tests/core/test_wechat.c. Facts come from
 * shared/reference/wechat-open-platform.md and easywechat-compat.md.
 */
#ifndef WX_WECHAT_H
#define WX_WECHAT_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/* ---------------------------------------------------------- lifetimes */

/* WeChat keeps a component_verify_ticket valid 12 h from its push ... */
#define WX_WECHAT_TICKET_LIFETIME       43200
/* ... we keep it 30 min less (clock skew, delivery delay) ... */
#define WX_WECHAT_TICKET_SAFETY         1800
/* ... and do not store one that would live less than this. */
#define WX_WECHAT_TICKET_MIN_TTL        60
/* EasyWeChat 6 writes its ticket with this TTL (giving up a ticket WeChat
 * still accepts after 100 minutes without a push); 4.x/5.x with 3600. */
#define WX_WECHAT_EASYWECHAT_TICKET_TTL  6000
#define WX_WECHAT_EASYWECHAT4_TICKET_TTL 3600
/* WeChat pushes a new ticket this often. */
#define WX_WECHAT_PUSH_PERIOD           600
/* We call api_start_push_ticket at most this often across all servers. */
#define WX_WECHAT_PUSH_INTERVAL         600
/* How long we remember when the last ticket came (for messages). */
#define WX_WECHAT_STORED_AT_TTL         (30 * 86400)
/* expires_in when an answer has none (WeChat's documented value). */
#define WX_WECHAT_EXPIRES_IN_DEFAULT    7200
/* EasyWeChat 6's token TTLs are expires_in minus these (4.x/5.x: 500 for
 * every token); we write the same, so both libraries agree. */
#define WX_WECHAT_COMPONENT_TTL_CUT     100
#define WX_WECHAT_AUTHORIZER_TTL_CUT    500
#define WX_WECHAT_EASYWECHAT4_TTL_CUT   500
/* A failed refresh's error is handed to everyone for this long instead of
 * each calling WeChat again at once. */
#define WX_WECHAT_ERROR_BACKOFF_MS      1000

/* recoverRefreshTokens() holds its lock this long, renewed every page. */
#define WX_WECHAT_RECOVER_LOCK_TTL      60
/* api_get_authorizer_list pages: WeChat serves at most 500 a call. */
#define WX_WECHAT_AUTHORIZER_LIST_MAX   500
/* The keeper's pace key outlives the slots it hands out by this much. */
#define WX_WECHAT_KEEPER_PACE_TTL       60
/* keeper_rate: refreshes per second across the fleet (default, bounds). */
#define WX_WECHAT_KEEPER_RATE_DEFAULT   5.0
#define WX_WECHAT_KEEPER_RATE_MAX       1000.0
/* clearQuota(): at most once per this many seconds across the fleet by
 * default (WeChat allows a few resets a month: 10 for platforms). */
#define WX_WECHAT_CLEAR_QUOTA_INTERVAL  86400
#define WX_WECHAT_CLEAR_QUOTA_MAX_INTERVAL (31L * 86400)

/* The TTL to store a token with: expires_in (the default when <= 0)
 * minus cut, at least 1 s. */
long wx_wechat_token_ttl(long expires_in, long cut);

/* The TTL to store a ticket with that WeChat pushed age seconds ago (a
 * negative age, from clock skew, counts as 0); 0 when it would live less
 * than WX_WECHAT_TICKET_MIN_TTL, i.e. do not store it. */
long wx_wechat_ticket_ttl(long age);

/* A ticket push whose CreateTime is missing, not a decimal number, or
 * more than WX_WECHAT_CLOCK_SKEW in the future is kept this long (one
 * push period: until the next one), not the full lifetime. */
#define WX_WECHAT_TICKET_UNDATED_TTL 600
/* CreateTime up to this far ahead of our clock is taken as now. */
#define WX_WECHAT_CLOCK_SKEW         300

/* The TTL for a ticket push with CreateTime create_time (len bytes, NULL
 * when absent) received at unix time now: wx_wechat_ticket_ttl of its age
 * (0: too old, do not store), or WX_WECHAT_TICKET_UNDATED_TTL with
 * *dated = 0 when CreateTime is not usable. */
long wx_wechat_push_ticket_ttl(const char *create_time, size_t len, long now, int *dated);

/* ---------------------------------------------------------------- APIs */

#define WX_WECHAT_API_BASE    "https://api.weixin.qq.com"
#define WX_WECHAT_LOGIN_PAGE  "https://mp.weixin.qq.com/cgi-bin/componentloginpage"
/* the query parameter carrying the component token */
#define WX_WECHAT_TOKEN_PARAM "component_access_token"

typedef enum {
    WX_WECHAT_API_COMPONENT_TOKEN = 0,  /* api_component_token */
    WX_WECHAT_API_PREAUTHCODE,          /* api_create_preauthcode */
    WX_WECHAT_API_QUERY_AUTH,           /* api_query_auth */
    WX_WECHAT_API_AUTHORIZER_TOKEN,     /* api_authorizer_token */
    WX_WECHAT_API_START_PUSH,           /* api_start_push_ticket */
    WX_WECHAT_API_AUTHORIZER_INFO,      /* api_get_authorizer_info */
    WX_WECHAT_API_AUTHORIZER_LIST,      /* api_get_authorizer_list */
    WX_WECHAT_API_CLEAR_QUOTA,          /* component/clear_quota/v2: AppSecret, no token */
    WX_WECHAT_API_COUNT
} wx_wechat_api_t;

/* "/cgi-bin/component/api_component_token" */
const char *wx_wechat_api_path(wx_wechat_api_t api);
/* "api_component_token": the last segment, for messages */
const char *wx_wechat_api_name(wx_wechat_api_t api);
/* Whether the call carries the component token in its query. */
int         wx_wechat_api_needs_token(wx_wechat_api_t api);

/* ---------------------------------------------- authorization-event pushes */

/* What a push to the authorization-event URL is, by its <InfoType>. */
typedef enum {
    WX_WECHAT_PUSH_OTHER = 0,        /* anything else: accepted, nothing to do */
    WX_WECHAT_PUSH_TICKET,           /* component_verify_ticket: ComponentVerifyTicket, CreateTime */
    WX_WECHAT_PUSH_AUTHORIZED,       /* authorized, updateauthorized: AuthorizationCode */
    WX_WECHAT_PUSH_UNAUTHORIZED      /* unauthorized: AuthorizerAppid */
} wx_wechat_push_t;

wx_wechat_push_t wx_wechat_push_type(const char *info_type, size_t len);

/* ------------------------------------------------------------ errcodes */

/* What an errcode asks the caller to do. */
typedef enum {
    WX_WECHAT_ERR_NONE = 0,       /* errcode 0: success */
    WX_WECHAT_ERR_OTHER,          /* report it */
    WX_WECHAT_ERR_BUSY,           /* -1: retry later */
    WX_WECHAT_ERR_TOKEN_REJECTED, /* 40001, 42001: drop the token (if still cached), retry once */
    WX_WECHAT_ERR_TICKET,         /* 61005, 61006: the ticket is expired or invalid: ask for a push */
    WX_WECHAT_ERR_CONFIG,         /* 40013, 40125, 61004: the platform's settings are wrong */
    WX_WECHAT_ERR_QUOTA,          /* 45009: daily quota used up */
    WX_WECHAT_ERR_AUTHORIZATION   /* 61003, 61023: the account must authorize again */
} wx_wechat_errclass_t;

wx_wechat_errclass_t wx_wechat_errclass(long errcode);

/* api_authorizer_token: the refresh token is not (any more) the current one */
#define WX_WECHAT_ERRCODE_REFRESH_INVALID 61023

/* A sentence telling what to do about errcode, or NULL when we have none. */
const char *wx_wechat_hint(long errcode);

#ifdef __cplusplus
}
#endif

#endif
