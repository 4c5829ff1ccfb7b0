/* wx_keys: the one table of EasyWeChat's and wxredis's keys (see wx_keys.h). */
#include <stdio.h>
#include <string.h>

#include "wx_keys.h"
#include "wx_wechat.h"

#define WX_KEYS_DIGEST_LEN 32   /* md5 as lowercase hex */

static const wx_key_def_t wx_keys_rows[WX_KEY_COUNT] = {
    { WX_KEY_VERIFY_TICKET, "ticket",
      "open_platform.verify_ticket.{componentAppId}",
      WX_KEY_OWNER_EASYWECHAT, "easywechat6", 1, 1, WX_KEY_VALUE_STRING, "the component_verify_ticket",
      WX_KEY_TTL_TICKET, WX_WECHAT_TICKET_LIFETIME - WX_WECHAT_TICKET_SAFETY, WX_WECHAT_EASYWECHAT_TICKET_TTL },
    { WX_KEY_COMPONENT_TOKEN, "component_token",
      "open_platform.component_access_token.{componentAppId}",
      WX_KEY_OWNER_EASYWECHAT, "easywechat6", 1, 1, WX_KEY_VALUE_STRING, "the component_access_token",
      WX_KEY_TTL_EXPIRES_IN, WX_WECHAT_COMPONENT_TTL_CUT, 0 },
    { WX_KEY_AUTHORIZER_TOKEN, "authorizer_token",
      "open-platform.authorizer_access_token.{authorizerAppId}.{md5(refreshToken)}",
      WX_KEY_OWNER_EASYWECHAT, "easywechat6", 1, 1, WX_KEY_VALUE_STRING, "an authorizer_access_token",
      WX_KEY_TTL_EXPIRES_IN, WX_WECHAT_AUTHORIZER_TTL_CUT, 0 },
    { WX_KEY_REFRESH_TOKEN, "refresh_token",
      "wxredis:authorizer_refresh_token:{componentAppId}:{authorizerAppId}",
      WX_KEY_OWNER_WXREDIS, "wxredis", 0, 1, WX_KEY_VALUE_STRING, "an authorizer_refresh_token",
      WX_KEY_TTL_NONE, 0, 0 },
    { WX_KEY_TICKET_STORED_AT, "ticket_stored_at",
      "wxredis.verify_ticket_stored_at.{componentAppId}",
      WX_KEY_OWNER_WXREDIS, "wxredis", 1, 1, WX_KEY_VALUE_INT, "unix time the last ticket was stored",
      WX_KEY_TTL_FIXED, WX_WECHAT_STORED_AT_TTL, 0 },
    { WX_KEY_PUSH_REQUESTED, "push_ticket_requested",
      "wxredis.push_ticket_requested.{componentAppId}",
      WX_KEY_OWNER_WXREDIS, "wxredis", 1, 1, WX_KEY_VALUE_INT, "unix time a ticket push was last requested",
      WX_KEY_TTL_FIXED, WX_WECHAT_PUSH_INTERVAL, 0 },
    { WX_KEY_COMPONENT_LOCK, "component_lock",
      "wxredis.lock.component_access_token.{componentAppId}",
      WX_KEY_OWNER_WXREDIS, "wxredis", 1, 1, WX_KEY_VALUE_LOCK, "refresh lock: its owner, or the last refresh error",
      WX_KEY_TTL_LOCK, WX_WECHAT_ERROR_BACKOFF_MS / 1000, 0 },
    { WX_KEY_AUTHORIZER_LOCK, "authorizer_lock",
      "wxredis.lock.authorizer_access_token.{componentAppId}.{authorizerAppId}",
      WX_KEY_OWNER_WXREDIS, "wxredis", 1, 1, WX_KEY_VALUE_LOCK, "refresh lock: its owner, or the last refresh error",
      WX_KEY_TTL_LOCK, WX_WECHAT_ERROR_BACKOFF_MS / 1000, 0 },
    { WX_KEY_AUTHORIZER_CURRENT, "authorizer_token_current",
      "wxredis.authorizer_access_token.{componentAppId}.{authorizerAppId}",
      WX_KEY_OWNER_WXREDIS, "wxredis", 1, 1, WX_KEY_VALUE_STRING,
      "the authorizer_access_token of EasyWeChat's md5-named key, under a name without the refresh token (one round trip)",
      WX_KEY_TTL_EXPIRES_IN, WX_WECHAT_AUTHORIZER_TTL_CUT, 0 },
    /* the authorizer registry (registry.c); health() reads it */
    { WX_KEY_AUTHORIZER_REGISTRY, "authorizer_registry",
      "wxredis.authorizers.{componentAppId}",
      WX_KEY_OWNER_WXREDIS, "wxredis", 1, 1, WX_KEY_VALUE_ZSET, "sorted set: every authorizer app id, scored by its access token's expiry (unix time, 0 = none yet)",
      WX_KEY_TTL_NONE, 0, 0 },
    { WX_KEY_REFRESH_MISSING, "refresh_missing",
      "wxredis.refresh_missing.{componentAppId}",
      WX_KEY_OWNER_WXREDIS, "wxredis", 1, 1, WX_KEY_VALUE_SET, "set: authorizer app ids whose refresh token is known missing",
      WX_KEY_TTL_NONE, 0, 0 },
    { WX_KEY_TICKET_PUSH, "ticket_push",
      "wxredis.verify_ticket_push.{componentAppId}",
      WX_KEY_OWNER_WXREDIS, "wxredis", 1, 1, WX_KEY_VALUE_ARRAY, "which server's push stored the ticket, when, its CreateTime and fingerprint",
      WX_KEY_TTL_FIXED, WX_WECHAT_STORED_AT_TTL, 0 },
    { WX_KEY_LAST_ERROR, "last_refresh_error",
      "wxredis.last_refresh_error.{componentAppId}",
      WX_KEY_OWNER_WXREDIS, "wxredis", 1, 1, WX_KEY_VALUE_ARRAY, "the last failed token refresh: when, which token, errcode, message, server",
      WX_KEY_TTL_FIXED, 7 * 86400, 0 },
    { WX_KEY_CALLS, "wechat_calls",
      "wxredis.calls.{componentAppId}.{bucket}",
      WX_KEY_OWNER_WXREDIS, "wxredis", 1, 1, WX_KEY_VALUE_HASH, "hash: WeChat calls of 10 minutes ({bucket} = unix time / 600), \"api errcode\" => count",
      WX_KEY_TTL_FIXED, 70 * 60, 0 },
    { WX_KEY_FLEET, "fleet",
      "wxredis.fleet.{componentAppId}",
      WX_KEY_OWNER_WXREDIS, "wxredis", 1, 1, WX_KEY_VALUE_HASH, "hash: hostname => that server's fingerprint (JSON: versions, serializer, extensions, when seen)",
      WX_KEY_TTL_FIXED, 30 * 86400, 0 },
    { WX_KEY_RECOVER_LOCK, "recover_lock",
      "wxredis.lock.authorizer_refresh_token.{componentAppId}.{authorizerAppId}",
      WX_KEY_OWNER_WXREDIS, "wxredis", 1, 1, WX_KEY_VALUE_LOCK, "recovery lock of a lost refresh token: its owner, or the last error",
      WX_KEY_TTL_LOCK, WX_WECHAT_ERROR_BACKOFF_MS / 1000, 0 },
    { WX_KEY_RECOVER_ALL_LOCK, "recover_all_lock",
      "wxredis.lock.recover_refresh_tokens.{componentAppId}",
      WX_KEY_OWNER_WXREDIS, "wxredis", 1, 1, WX_KEY_VALUE_STRING, "recoverRefreshTokens() lock: its owner, renewed every page",
      WX_KEY_TTL_FIXED, WX_WECHAT_RECOVER_LOCK_TTL, 0 },
    { WX_KEY_KEEPER_PACE, "keeper_pace",
      "wxredis.keeper_pace.{componentAppId}",
      WX_KEY_OWNER_WXREDIS, "wxredis", 1, 1, WX_KEY_VALUE_INT, "refreshDue(): the next free refresh slot (Redis time in ms) under keeper_rate",
      WX_KEY_TTL_FIXED, WX_WECHAT_KEEPER_PACE_TTL, 0 },
    { WX_KEY_CLEAR_QUOTA, "clear_quota",
      "wxredis.clear_quota.{componentAppId}",
      WX_KEY_OWNER_WXREDIS, "wxredis", 1, 1, WX_KEY_VALUE_INT, "unix time of the last clearQuota(); it lives clear_quota_interval",
      WX_KEY_TTL_FIXED, WX_WECHAT_CLEAR_QUOTA_INTERVAL, 0 },
    { WX_KEY_EW4_VERIFY_TICKET, "ticket",
      "easywechat.open_platform.verify_ticket.{componentAppId}",
      WX_KEY_OWNER_EASYWECHAT, "easywechat4", 1, 0, WX_KEY_VALUE_STRING, "the component_verify_ticket",
      WX_KEY_TTL_FIXED, WX_WECHAT_EASYWECHAT4_TICKET_TTL, 0 },
    { WX_KEY_EW4_ACCESS_TOKEN, "token_4x",
      "easywechat.kernel.access_token.{md5(credentials)}",
      WX_KEY_OWNER_EASYWECHAT, "easywechat4", 1, 0, WX_KEY_VALUE_ARRAY, "an access token and its expires_in, as an array",
      WX_KEY_TTL_EXPIRES_IN, WX_WECHAT_EASYWECHAT4_TTL_CUT, 0 },
};

const wx_key_def_t *wx_keys_table(size_t *n)
{
    *n = WX_KEY_COUNT;
    return wx_keys_rows;
}

const wx_key_def_t *wx_keys_def(wx_key_id_t id)
{
    return (unsigned) id < WX_KEY_COUNT ? &wx_keys_rows[id] : NULL;
}

const char *wx_keys_owner_name(wx_key_owner_t owner)
{
    return owner == WX_KEY_OWNER_WXREDIS ? "wxredis" : "easywechat";
}

const char *wx_keys_value_name(wx_key_value_t value)
{
    static const char *const names[] = { "string", "int", "lock", "array", "zset", "set", "hash" };
    return (unsigned) value < sizeof(names) / sizeof(names[0]) ? names[value] : "?";
}

const char *wx_keys_ttl_name(wx_key_ttl_t ttl)
{
    static const char *const names[] = { "none", "fixed", "expires_in", "ticket", "lock" };
    return (unsigned) ttl < sizeof(names) / sizeof(names[0]) ? names[ttl] : "?";
}

/* "30 days", "1 h", "10 min", "45 s" */
static void wx_keys_duration(long s, char *out, size_t cap)
{
    if (s >= 86400 && s % 86400 == 0) {
        snprintf(out, cap, "%ld day%s", s / 86400, s == 86400 ? "" : "s");
    } else if (s >= 3600 && s % 3600 == 0) {
        snprintf(out, cap, "%ld h", s / 3600);
    } else if (s >= 60 && s % 60 == 0) {
        snprintf(out, cap, "%ld min", s / 60);
    } else {
        snprintf(out, cap, "%ld s", s);
    }
}

char *wx_keys_ttl_text(const wx_key_def_t *def, char *out, size_t cap)
{
    char d[32];
    switch (def->ttl) {
    case WX_KEY_TTL_NONE:
        snprintf(out, cap, "none: never expires");
        break;
    case WX_KEY_TTL_FIXED:
        wx_keys_duration(def->ttl_seconds, out, cap);
        break;
    case WX_KEY_TTL_EXPIRES_IN:
        snprintf(out, cap, "expires_in - %ld", def->ttl_seconds);
        break;
    case WX_KEY_TTL_TICKET:
        /* tenths of hours by hand: %g would follow the C locale's decimal point */
        if (def->ttl_seconds % 3600 * 10 % 3600 == 0 && def->ttl_seconds % 3600) {
            snprintf(d, sizeof(d), "%ld.%ld h", def->ttl_seconds / 3600, def->ttl_seconds % 3600 * 10 / 3600);
        } else {
            wx_keys_duration(def->ttl_seconds, d, sizeof(d));
        }
        snprintf(out, cap, "%s from WeChat's push (CreateTime); EasyWeChat 6 writes %ld s", d, def->easywechat_ttl);
        break;
    case WX_KEY_TTL_LOCK:
        wx_keys_duration(def->ttl_seconds, d, sizeof(d));
        snprintf(out, cap, "lock_timeout; %s while it holds an error", d);
        break;
    default:
        snprintf(out, cap, "?");
    }
    return out;
}

/* ------------------------------------------------------------- app ids */

/* PSR-16's reserved characters and the patterns' separators, as a table:
 * every key of a token read checks its app ids byte by byte. */
static const unsigned char wx_keys_appid_sep[256] = {
    ['{'] = 1, ['}'] = 1, ['('] = 1, [')'] = 1, ['/'] = 1, ['\\'] = 1, ['@'] = 1, [':'] = 1, ['.'] = 1,
};

/* Bytes an app id may hold: printable ASCII but those. */
static int wx_keys_appid_byte(unsigned char ch)
{
    return ch > 0x20 && ch < 0x7f && !wx_keys_appid_sep[ch];
}

wx_keys_status_t wx_keys_check_appid(const char *s, size_t len, size_t *bad)
{
    size_t i;
    if (len == 0 || len > WX_KEYS_APPID_MAX) {
        return WX_KEYS_ERR_LENGTH;
    }
    for (i = 0; i < len; i++) {
        if (!wx_keys_appid_byte((unsigned char) s[i])) {
            if (bad) {
                *bad = i;
            }
            return WX_KEYS_ERR_CHAR;
        }
    }
    return WX_KEYS_OK;
}

static int wx_keys_digest_ok(const char *s, size_t len)
{
    size_t i;
    if (len != WX_KEYS_DIGEST_LEN) {
        return 0;
    }
    for (i = 0; i < len; i++) {
        if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f'))) {
            return 0;
        }
    }
    return 1;
}

/* ------------------------------------------------------- pattern fields */

typedef enum { WX_FIELD_COMPONENT, WX_FIELD_AUTHORIZER, WX_FIELD_DIGEST, WX_FIELD_BUCKET } wx_keys_field_t;

/* The field starting at p ("{name}"); *end is set past its '}'. */
static wx_keys_field_t wx_keys_field(const char *p, const char **end)
{
    const char *close = strchr(p, '}');
    *end = close + 1;
    if (strncmp(p, "{md5(", 5) == 0) {
        return WX_FIELD_DIGEST;
    }
    if (strncmp(p, "{bucket}", 8) == 0) {
        return WX_FIELD_BUCKET;
    }
    return strncmp(p, "{componentAppId}", 16) == 0 ? WX_FIELD_COMPONENT : WX_FIELD_AUTHORIZER;
}

static int wx_keys_bucket_ok(const char *s, size_t len)
{
    size_t i;
    if (len == 0 || len > WX_KEYS_BUCKET_DIGITS_MAX) {
        return 0;
    }
    for (i = 0; i < len; i++) {
        if (s[i] < '0' || s[i] > '9') {
            return 0;
        }
    }
    return 1;
}

/* Whether the value v of field f is valid. */
static int wx_keys_value_ok(wx_keys_field_t f, const char *v, size_t len)
{
    switch (f) {
    case WX_FIELD_DIGEST: return wx_keys_digest_ok(v, len);
    case WX_FIELD_BUCKET: return wx_keys_bucket_ok(v, len);
    default:              return wx_keys_check_appid(v, len, NULL) == WX_KEYS_OK;
    }
}

/* -------------------------------------------------------------- building */

size_t wx_keys_build(wx_key_id_t id, const wx_key_args_t *a, char *out, size_t cap)
{
    const wx_key_def_t *def = wx_keys_def(id);
    const char *p, *end;
    size_t n = 0;

    if (!def || cap == 0) {
        return 0;
    }
    for (p = def->pattern; *p; ) {
        const char *v;
        size_t vlen;
        wx_keys_field_t f;
        if (*p != '{') {
            if (n + 1 >= cap) {
                return 0;
            }
            out[n++] = *p++;
            continue;
        }
        f = wx_keys_field(p, &end);
        switch (f) {
        case WX_FIELD_DIGEST:    v = a->digest;     vlen = a->digest_len;     break;
        case WX_FIELD_BUCKET:    v = a->bucket;     vlen = a->bucket_len;     break;
        case WX_FIELD_COMPONENT: v = a->component;  vlen = a->component_len;  break;
        default:                 v = a->authorizer; vlen = a->authorizer_len; break;
        }
        if (!v || !wx_keys_value_ok(f, v, vlen) || n + vlen >= cap) {
            return 0;
        }
        memcpy(out + n, v, vlen);
        n += vlen;
        p = end;
    }
    out[n] = '\0';
    return n;
}

/* ----------------------------------------------------------- classifying */

/* Whether s[0..len) is def's name exactly; fills m's fields. */
static int wx_keys_match(const wx_key_def_t *def, const char *s, size_t len, wx_key_match_t *m)
{
    const char *p = def->pattern, *end;
    size_t i = 0;

    m->component = m->authorizer = m->digest = m->bucket = NULL;
    m->component_len = m->authorizer_len = m->digest_len = m->bucket_len = 0;
    while (*p) {
        size_t start = i;
        wx_keys_field_t f;
        if (*p != '{') {
            if (i >= len || s[i] != *p) {
                return 0;
            }
            i++;
            p++;
            continue;
        }
        f = wx_keys_field(p, &end);
        p = end;
        if (f == WX_FIELD_DIGEST) {
            if (len - i < WX_KEYS_DIGEST_LEN || !wx_keys_digest_ok(s + i, WX_KEYS_DIGEST_LEN)) {
                return 0;
            }
            i += WX_KEYS_DIGEST_LEN;
            m->digest = s + start;
            m->digest_len = WX_KEYS_DIGEST_LEN;
            continue;
        }
        if (f == WX_FIELD_BUCKET) {
            while (i < len && s[i] >= '0' && s[i] <= '9') {
                i++;
            }
            if (!wx_keys_bucket_ok(s + start, i - start)) {
                return 0;
            }
            m->bucket = s + start;
            m->bucket_len = i - start;
            continue;
        }
        /* an app id runs up to the next separator: the only way to match,
         * since app ids hold no separator */
        while (i < len && wx_keys_appid_byte((unsigned char) s[i])) {
            i++;
        }
        if (i == start || i - start > WX_KEYS_APPID_MAX) {
            return 0;
        }
        if (f == WX_FIELD_COMPONENT) {
            m->component = s + start;
            m->component_len = i - start;
        } else {
            m->authorizer = s + start;
            m->authorizer_len = i - start;
        }
    }
    return i == len;
}

int wx_keys_classify(const char *key, size_t len, const char *prefix, size_t prefix_len, wx_key_match_t *m)
{
    wx_key_match_t t = {0};
    size_t d, at, best = (size_t) -1;

    memset(m, 0, sizeof(*m));
    for (d = 0; d < WX_KEY_COUNT; d++) {
        const wx_key_def_t *def = &wx_keys_rows[d];
        if (prefix) {
            size_t skip = def->in_prefix ? prefix_len : 0;
            if (len >= skip && memcmp(key, prefix, skip) == 0 && wx_keys_match(def, key + skip, len - skip, &t)) {
                *m = t;
                m->def = def;
                m->prefix_len = skip;
                return 1;
            }
            continue;
        }
        /* unknown prefix: the leftmost start, i.e. the longest name, wins */
        for (at = 0; at < len && at < best; at++) {
            if (key[at] == def->pattern[0] && wx_keys_match(def, key + at, len - at, &t)) {
                best = at;
                *m = t;
                m->def = def;
                m->prefix_len = at;
                break;
            }
        }
    }
    return m->def != NULL;
}
