/* Unit tests of wx_wechat: lifetimes, API table, errcode classes and hints. */
#include "wx_wechat.h"
#include "wx_test.h"

static void check_lifetimes(void)
{
    WX_CHECK(wx_wechat_token_ttl(7200, WX_WECHAT_COMPONENT_TTL_CUT) == 7100, "component token: expires_in - 100");
    WX_CHECK(wx_wechat_token_ttl(7200, WX_WECHAT_AUTHORIZER_TTL_CUT) == 6700, "authorizer token: expires_in - 500");
    WX_CHECK(wx_wechat_token_ttl(0, 100) == 7100, "no expires_in: WeChat's 7200");
    WX_CHECK(wx_wechat_token_ttl(-5, 100) == 7100, "negative expires_in: WeChat's 7200");
    WX_CHECK(wx_wechat_token_ttl(50, 100) == 1, "expires_in below the cut: 1 s, never 0 or negative");
    WX_CHECK(wx_wechat_token_ttl(101, 100) == 1, "one second over the cut");

    WX_CHECK(wx_wechat_ticket_ttl(0) == 41400, "fresh ticket: 11.5 h");
    WX_CHECK(wx_wechat_ticket_ttl(-30) == 41400, "push from the future (clock skew) counts as fresh");
    WX_CHECK(wx_wechat_ticket_ttl(7200) == 34200, "pushed 2 h ago: 9.5 h left");
    WX_CHECK(wx_wechat_ticket_ttl(41400 - 60) == 60, "exactly the minimum is stored");
    WX_CHECK(wx_wechat_ticket_ttl(41400 - 59) == 0, "under a minute left: not stored");
    WX_CHECK(wx_wechat_ticket_ttl(43200) == 0, "12 h old: not stored");
    {
        int dated = -1;
        long now = 1700000000;
        WX_CHECK(wx_wechat_push_ticket_ttl("1700000000", 10, now, &dated) == 41400 && dated == 1, "CreateTime now: 11.5 h");
        WX_CHECK(wx_wechat_push_ticket_ttl("1699996400", 10, now, &dated) == 37800 && dated == 1, "an hour old: 10.5 h");
        WX_CHECK(wx_wechat_push_ticket_ttl("1700000300", 10, now, &dated) == 41400 && dated == 1, "within the clock skew: fresh");
        WX_CHECK(wx_wechat_push_ticket_ttl("1700000301", 10, now, &dated) == 600 && dated == 0, "further ahead: undated");
        WX_CHECK(wx_wechat_push_ticket_ttl("1699956800", 10, now, &dated) == 0 && dated == 1, "12 h old: not stored");
        WX_CHECK(wx_wechat_push_ticket_ttl(NULL, 0, now, &dated) == 600 && dated == 0, "missing: undated");
        WX_CHECK(wx_wechat_push_ticket_ttl("", 0, now, &dated) == 600 && dated == 0, "empty: undated");
        WX_CHECK(wx_wechat_push_ticket_ttl("abc", 3, now, &dated) == 600 && dated == 0, "garbage: undated");
        WX_CHECK(wx_wechat_push_ticket_ttl("17e8", 4, now, &dated) == 600 && dated == 0, "exponent: undated");
        WX_CHECK(wx_wechat_push_ticket_ttl("-1", 2, now, &dated) == 600 && dated == 0, "negative: undated");
        WX_CHECK(wx_wechat_push_ticket_ttl("0", 1, now, &dated) == 600 && dated == 0, "zero: undated");
        WX_CHECK(wx_wechat_push_ticket_ttl("99999999999999999999", 20, now, &dated) == 600 && dated == 0, "overflow: undated");
    }
}

static void check_apis(void)
{
    WX_CHECK(strcmp(wx_wechat_api_path(WX_WECHAT_API_COMPONENT_TOKEN), "/cgi-bin/component/api_component_token") == 0,
             "component token path");
    WX_CHECK(strcmp(wx_wechat_api_name(WX_WECHAT_API_START_PUSH), "api_start_push_ticket") == 0, "api name is the last segment");
    WX_CHECK(strcmp(wx_wechat_api_name(WX_WECHAT_API_PREAUTHCODE), "api_create_preauthcode") == 0, "preauthcode name");
    WX_CHECK(!wx_wechat_api_needs_token(WX_WECHAT_API_COMPONENT_TOKEN) && !wx_wechat_api_needs_token(WX_WECHAT_API_START_PUSH),
             "token and push calls go without a token");
    WX_CHECK(wx_wechat_api_needs_token(WX_WECHAT_API_QUERY_AUTH) && wx_wechat_api_needs_token(WX_WECHAT_API_AUTHORIZER_TOKEN),
             "the others carry the component token");
    WX_CHECK(strcmp(wx_wechat_api_name(WX_WECHAT_API_CLEAR_QUOTA), "clear_quota/v2") == 0
             && !wx_wechat_api_needs_token(WX_WECHAT_API_CLEAR_QUOTA), "clear_quota/v2: named with its version, no token");
    WX_CHECK(strcmp(wx_wechat_api_name(WX_WECHAT_API_AUTHORIZER_LIST), "api_get_authorizer_list") == 0
             && wx_wechat_api_needs_token(WX_WECHAT_API_AUTHORIZER_INFO), "authorizer list and info");
    WX_CHECK(wx_wechat_errclass(WX_WECHAT_ERRCODE_REFRESH_INVALID) == WX_WECHAT_ERR_AUTHORIZATION
             && strstr(wx_wechat_hint(45009), "clearQuota()") != NULL, "61023 asks for authorization; 45009 names clearQuota()");
    WX_CHECK(strcmp(wx_wechat_api_path(WX_WECHAT_API_COUNT), "") == 0 && strcmp(wx_wechat_api_name(WX_WECHAT_API_COUNT), "") == 0,
             "out of range: empty, not a crash");
}

static void check_errcodes(void)
{
    WX_CHECK(wx_wechat_errclass(0) == WX_WECHAT_ERR_NONE, "0 is success");
    WX_CHECK(wx_wechat_errclass(40001) == WX_WECHAT_ERR_TOKEN_REJECTED && wx_wechat_errclass(42001) == WX_WECHAT_ERR_TOKEN_REJECTED,
             "40001/42001: token rejected");
    WX_CHECK(wx_wechat_errclass(61005) == WX_WECHAT_ERR_TICKET && wx_wechat_errclass(61006) == WX_WECHAT_ERR_TICKET,
             "61005/61006: ask for a ticket push");
    WX_CHECK(wx_wechat_errclass(-1) == WX_WECHAT_ERR_BUSY, "-1: busy");
    WX_CHECK(wx_wechat_errclass(45009) == WX_WECHAT_ERR_QUOTA, "45009: quota");
    WX_CHECK(wx_wechat_errclass(40125) == WX_WECHAT_ERR_CONFIG && wx_wechat_errclass(61004) == WX_WECHAT_ERR_CONFIG,
             "40125/61004: configuration");
    WX_CHECK(wx_wechat_errclass(61023) == WX_WECHAT_ERR_AUTHORIZATION, "61023: authorize again");
    WX_CHECK(wx_wechat_errclass(48001) == WX_WECHAT_ERR_OTHER && wx_wechat_hint(48001) == NULL, "unknown errcode: other, no hint");
    WX_CHECK(wx_wechat_hint(61004) && strstr(wx_wechat_hint(61004), "whitelist"), "61004 hint names the whitelist");
    WX_CHECK(wx_wechat_hint(40001) && wx_wechat_hint(40001) == wx_wechat_hint(42001), "40001 and 42001 share one hint");
    WX_CHECK(wx_wechat_hint(0) == NULL, "no hint for success");
}

static void check_pushes(void)
{
    WX_CHECK(wx_wechat_push_type("component_verify_ticket", 23) == WX_WECHAT_PUSH_TICKET, "ticket push");
    WX_CHECK(wx_wechat_push_type("authorized", 10) == WX_WECHAT_PUSH_AUTHORIZED
             && wx_wechat_push_type("updateauthorized", 16) == WX_WECHAT_PUSH_AUTHORIZED, "authorized, updateauthorized");
    WX_CHECK(wx_wechat_push_type("unauthorized", 12) == WX_WECHAT_PUSH_UNAUTHORIZED, "unauthorized");
    WX_CHECK(wx_wechat_push_type("notify_third_fasteregister", 26) == WX_WECHAT_PUSH_OTHER, "other InfoTypes: accepted");
    WX_CHECK(wx_wechat_push_type("authorize", 9) == WX_WECHAT_PUSH_OTHER, "a prefix is not a match");
    WX_CHECK(wx_wechat_push_type("authorized\0x", 12) == WX_WECHAT_PUSH_OTHER, "NUL inside is not a match");
    WX_CHECK(wx_wechat_push_type("", 0) == WX_WECHAT_PUSH_OTHER, "empty");
}

int main(void)
{
    check_pushes();
    check_lifetimes();
    check_apis();
    check_errcodes();
    return wx_test_done();
}
