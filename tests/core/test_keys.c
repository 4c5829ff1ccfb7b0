/* Unit tests of wx_keys: the table, app ids, building and classifying keys. */
#include "wx_keys.h"
#include "wx_test.h"

#define MD5 "0123456789abcdef0123456789abcdef"

static size_t build(wx_key_id_t id, const char *c, const char *a, const char *d, char *out, size_t cap)
{
    /* a bucket for the patterns that have one (digits) */
    wx_key_args_t args = { c, c ? strlen(c) : 0, a, a ? strlen(a) : 0, d, d ? strlen(d) : 0, d ? "2941234" : NULL, d ? 7 : 0 };
    return wx_keys_build(id, &args, out, cap);
}

static void check_table(void)
{
    size_t n, i, j;
    const wx_key_def_t *t = wx_keys_table(&n);
    char buf[128];

    WX_CHECK(n == WX_KEY_COUNT, "one row per key id");
    for (i = 0; i < n; i++) {
        WX_CHECK(t[i].id == (wx_key_id_t) i && wx_keys_def(t[i].id) == &t[i], "row %zu is id %zu", i, i);
        for (j = 0; j < i; j++) {
            WX_CHECK(strcmp(t[i].pattern, t[j].pattern) != 0, "patterns %zu and %zu differ", i, j);
        }
    }
    WX_CHECK(wx_keys_def(WX_KEY_COUNT) == NULL, "out of range: NULL");
    WX_CHECK(!t[WX_KEY_REFRESH_TOKEN].in_prefix && t[WX_KEY_REFRESH_TOKEN].ttl == WX_KEY_TTL_NONE,
             "refresh tokens: outside the prefix, never expire");
    WX_CHECK(!t[WX_KEY_EW4_VERIFY_TICKET].written && !t[WX_KEY_EW4_ACCESS_TOKEN].written, "EasyWeChat 4 keys are only read");
    WX_CHECK(strcmp(wx_keys_ttl_text(&t[WX_KEY_COMPONENT_TOKEN], buf, sizeof(buf)), "expires_in - 100") == 0, "%s", buf);
    WX_CHECK(strcmp(wx_keys_ttl_text(&t[WX_KEY_AUTHORIZER_TOKEN], buf, sizeof(buf)), "expires_in - 500") == 0, "%s", buf);
    WX_CHECK(strcmp(wx_keys_ttl_text(&t[WX_KEY_TICKET_STORED_AT], buf, sizeof(buf)), "30 days") == 0, "%s", buf);
    WX_CHECK(strcmp(wx_keys_ttl_text(&t[WX_KEY_PUSH_REQUESTED], buf, sizeof(buf)), "10 min") == 0, "%s", buf);
    WX_CHECK(strcmp(wx_keys_ttl_text(&t[WX_KEY_EW4_VERIFY_TICKET], buf, sizeof(buf)), "1 h") == 0, "%s", buf);
    WX_CHECK(strncmp(wx_keys_ttl_text(&t[WX_KEY_VERIFY_TICKET], buf, sizeof(buf)), "11.5 h from", 11) == 0, "%s", buf);
    WX_CHECK(strcmp(wx_keys_ttl_text(&t[WX_KEY_REFRESH_TOKEN], buf, sizeof(buf)), "none: never expires") == 0, "%s", buf);
    WX_CHECK(strcmp(wx_keys_ttl_text(&t[WX_KEY_COMPONENT_LOCK], buf, sizeof(buf)), "lock_timeout; 1 s while it holds an error") == 0, "%s", buf);
    WX_CHECK(strcmp(wx_keys_owner_name(WX_KEY_OWNER_WXREDIS), "wxredis") == 0 && strcmp(wx_keys_value_name(WX_KEY_VALUE_ARRAY), "array") == 0
             && strcmp(wx_keys_ttl_name(WX_KEY_TTL_EXPIRES_IN), "expires_in") == 0, "names of owner, value, ttl");
}

static void check_appids(void)
{
    size_t bad = 99;
    char long_id[WX_KEYS_APPID_MAX + 2];

    WX_CHECK(wx_keys_check_appid("wx0000000000component", 21, &bad) == WX_KEYS_OK, "a WeChat app id");
    WX_CHECK(wx_keys_check_appid("", 0, &bad) == WX_KEYS_ERR_LENGTH, "empty");
    memset(long_id, 'a', sizeof(long_id));
    WX_CHECK(wx_keys_check_appid(long_id, WX_KEYS_APPID_MAX, &bad) == WX_KEYS_OK, "64 bytes");
    WX_CHECK(wx_keys_check_appid(long_id, WX_KEYS_APPID_MAX + 1, &bad) == WX_KEYS_ERR_LENGTH, "65 bytes");
    WX_CHECK(wx_keys_check_appid("wx:1", 4, &bad) == WX_KEYS_ERR_CHAR && bad == 2, "':' at 2");
    WX_CHECK(wx_keys_check_appid("wx.1", 4, &bad) == WX_KEYS_ERR_CHAR && bad == 2, "'.' at 2 (a key separator)");
    WX_CHECK(wx_keys_check_appid("w x", 3, &bad) == WX_KEYS_ERR_CHAR && bad == 1, "space");
    WX_CHECK(wx_keys_check_appid("wx\0", 3, &bad) == WX_KEYS_ERR_CHAR && bad == 2, "NUL");
    WX_CHECK(wx_keys_check_appid("wx{1}", 5, &bad) == WX_KEYS_ERR_CHAR && bad == 2, "PSR-16 reserved");
    WX_CHECK(wx_keys_check_appid("wx\xc3\xa9", 4, &bad) == WX_KEYS_ERR_CHAR && bad == 2, "non-ASCII");
}

static void check_build(void)
{
    char out[WX_KEYS_NAME_MAX];
    size_t n;

    n = build(WX_KEY_VERIFY_TICKET, "wxc", NULL, NULL, out, sizeof(out));
    WX_CHECK(n == 31 && strcmp(out, "open_platform.verify_ticket.wxc") == 0, "ticket: %s", out);
    build(WX_KEY_AUTHORIZER_TOKEN, NULL, "wxa", MD5, out, sizeof(out));
    WX_CHECK(strcmp(out, "open-platform.authorizer_access_token.wxa." MD5) == 0, "authorizer token (hyphen): %s", out);
    build(WX_KEY_REFRESH_TOKEN, "wxc", "wxa", NULL, out, sizeof(out));
    WX_CHECK(strcmp(out, "wxredis:authorizer_refresh_token:wxc:wxa") == 0, "refresh token: %s", out);
    build(WX_KEY_AUTHORIZER_LOCK, "wxc", "wxa", NULL, out, sizeof(out));
    WX_CHECK(strcmp(out, "wxredis.lock.authorizer_access_token.wxc.wxa") == 0, "authorizer lock: %s", out);
    WX_CHECK(build(WX_KEY_REFRESH_TOKEN, "wxc", NULL, NULL, out, sizeof(out)) == 0, "missing authorizer: 0");
    WX_CHECK(build(WX_KEY_VERIFY_TICKET, "wx:c", NULL, NULL, out, sizeof(out)) == 0, "bad app id: 0");
    WX_CHECK(build(WX_KEY_AUTHORIZER_TOKEN, NULL, "wxa", "ABCDEF", out, sizeof(out)) == 0, "bad digest: 0");
    WX_CHECK(build(WX_KEY_AUTHORIZER_TOKEN, NULL, "wxa", "0123456789ABCDEF0123456789abcdef", out, sizeof(out)) == 0,
             "upper-case digest: 0");
    WX_CHECK(build(WX_KEY_VERIFY_TICKET, "wxc", NULL, NULL, out, 31) == 0, "one byte short: 0");
    WX_CHECK(build(WX_KEY_VERIFY_TICKET, "wxc", NULL, NULL, out, 32) == 31, "exactly enough");
    WX_CHECK(build(WX_KEY_COUNT, "wxc", NULL, NULL, out, sizeof(out)) == 0, "unknown id: 0");
}

static int classify(const char *key, const char *prefix, wx_key_match_t *m)
{
    return wx_keys_classify(key, strlen(key), prefix, prefix ? strlen(prefix) : 0, m);
}

#define FIELD(m, f, s) ((m).f && (m).f##_len == strlen(s) && memcmp((m).f, (s), (m).f##_len) == 0)

static void check_classify(void)
{
    wx_key_match_t m;
    size_t n, i;
    const wx_key_def_t *t = wx_keys_table(&n);
    char name[WX_KEYS_NAME_MAX], key[WX_KEYS_NAME_MAX + 8];

    /* every key built classifies back to its row, with and without a prefix */
    for (i = 0; i < n; i++) {
        WX_CHECK(build(t[i].id, "wxc", "wxa", MD5, name, sizeof(name)) > 0, "build %s", t[i].pattern);
        WX_CHECK(classify(name, NULL, &m) && m.def == &t[i] && m.prefix_len == 0, "%s back, no prefix", name);
        snprintf(key, sizeof(key), "ew:%s", name);
        WX_CHECK(classify(key, NULL, &m) && m.def == &t[i] && m.prefix_len == 3, "%s back, unknown prefix", key);
        WX_CHECK(classify(t[i].in_prefix ? key : name, "ew:", &m) && m.def == &t[i], "%s back, known prefix", name);
    }
    WX_CHECK(classify("P:wxredis:authorizer_refresh_token:wxc:wxa", NULL, &m) && m.def->id == WX_KEY_REFRESH_TOKEN
             && FIELD(m, component, "wxc") && FIELD(m, authorizer, "wxa") && !m.digest, "refresh token fields");
    WX_CHECK(classify("open-platform.authorizer_access_token.wxA." MD5, NULL, &m) && FIELD(m, authorizer, "wxA")
             && !m.component && FIELD(m, digest, MD5), "authorizer token fields");
    WX_CHECK(classify("easywechat.open_platform.verify_ticket.wxc", NULL, &m) && m.def->id == WX_KEY_EW4_VERIFY_TICKET
             && m.prefix_len == 0, "unknown prefix: the longest name wins (EasyWeChat 4's ticket)");
    WX_CHECK(classify("easywechat:easywechat.open_platform.verify_ticket.wxc", NULL, &m) && m.def->id == WX_KEY_EW4_VERIFY_TICKET
             && m.prefix_len == 11, "EasyWeChat 4's ticket under a Symfony namespace");
    WX_CHECK(classify("easywechat.open_platform.verify_ticket.wxc", "easywechat.", &m) && m.def->id == WX_KEY_VERIFY_TICKET,
             "known prefix: EasyWeChat 6's ticket under the prefix easywechat.");

    WX_CHECK(!classify("open_platform.verify_ticket.", NULL, &m) && m.def == NULL, "no app id");
    WX_CHECK(!classify("open_platform.verify_ticket.wx.c", NULL, &m), "app id with a dot");
    WX_CHECK(!classify("open_platform.verify_ticket.wxc.", NULL, &m), "trailing dot");
    WX_CHECK(!classify("open-platform.authorizer_access_token.wxa.0123", NULL, &m), "short digest");
    WX_CHECK(!classify("open-platform.authorizer_access_token.wxa." MD5 "0", NULL, &m), "long digest");
    WX_CHECK(!classify("open_platform.verify_ticket.wxc", "ew:", &m), "known prefix missing");
    WX_CHECK(!classify("ew:wxredis:authorizer_refresh_token:wxc:wxa", "ew:", &m), "refresh token under a known prefix: not ours");
    WX_CHECK(!classify("", NULL, &m) && !classify("", "", &m), "empty key");
    WX_CHECK(!classify("count.php", NULL, &m), "an unrelated key");
    WX_CHECK(!wx_keys_classify("open_platform.verify_ticket.wx\0c", 32, NULL, 0, &m), "NUL inside");
    memset(key, 'a', sizeof(key) - 1);
    memcpy(key, "open_platform.verify_ticket.", 28);
    key[28 + WX_KEYS_APPID_MAX] = '\0';
    WX_CHECK(classify(key, NULL, &m), "64-byte app id");
    key[28 + WX_KEYS_APPID_MAX] = 'a';
    key[28 + WX_KEYS_APPID_MAX + 1] = '\0';
    WX_CHECK(!classify(key, NULL, &m), "65-byte app id");
}

/* The fleet's keys: {bucket} is decimal digits, and every one classifies back. */
static void check_fleet_keys(void)
{
    wx_key_args_t a = { "wxc", 3, NULL, 0, NULL, 0, "2941234", 7 };
    wx_key_match_t m;
    char out[WX_KEYS_NAME_MAX];
    size_t n = wx_keys_build(WX_KEY_CALLS, &a, out, sizeof(out));

    WX_CHECK(n > 0 && strcmp(out, "wxredis.calls.wxc.2941234") == 0, "calls bucket key: %s", out);
    WX_CHECK(wx_keys_classify(out, n, "p:", 2, &m) == 0, "outside the prefix it is not one");
    memmove(out + 2, out, n + 1);
    memcpy(out, "p:", 2);
    WX_CHECK(wx_keys_classify(out, n + 2, "p:", 2, &m) == 1 && m.def->id == WX_KEY_CALLS
             && m.bucket_len == 7 && memcmp(m.bucket, "2941234", 7) == 0 && m.component_len == 3, "classified with its bucket");
    a.bucket = "29x"; a.bucket_len = 3;
    WX_CHECK(wx_keys_build(WX_KEY_CALLS, &a, out, sizeof(out)) == 0, "a bucket that is not digits: 0");
    a.bucket = NULL; a.bucket_len = 0;
    WX_CHECK(wx_keys_build(WX_KEY_CALLS, &a, out, sizeof(out)) == 0, "no bucket: 0");
    WX_CHECK(wx_keys_classify("wxredis.calls.wxc.", 18, NULL, 0, &m) == 0, "an empty bucket is no key");
    n = wx_keys_build(WX_KEY_AUTHORIZER_REGISTRY, &a, out, sizeof(out));
    WX_CHECK(n > 0 && strcmp(out, "wxredis.authorizers.wxc") == 0 && wx_keys_def(WX_KEY_AUTHORIZER_REGISTRY)->value == WX_KEY_VALUE_ZSET,
             "registry: %s, a sorted set", out);
    n = wx_keys_build(WX_KEY_REFRESH_MISSING, &a, out, sizeof(out));
    WX_CHECK(n > 0 && strcmp(out, "wxredis.refresh_missing.wxc") == 0 && strcmp(wx_keys_value_name(WX_KEY_VALUE_SET), "set") == 0,
             "refresh_missing: %s, a set", out);
    n = wx_keys_build(WX_KEY_FLEET, &a, out, sizeof(out));
    WX_CHECK(n > 0 && strcmp(out, "wxredis.fleet.wxc") == 0 && wx_keys_classify(out, n, NULL, 0, &m) && m.def->id == WX_KEY_FLEET,
             "fleet: %s", out);
}

int main(void)
{
    check_table();
    check_appids();
    check_build();
    check_classify();
    check_fleet_keys();
    return wx_test_done();
}
