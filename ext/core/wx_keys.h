/*
 * wx_keys: the one table of the Redis keys EasyWeChat and wxredis use for
 * WeChat Open Platform credentials: names, patterns, roles, who writes
 * them, what they hold and their TTL policy. WxRedis\OpenPlatform builds
 * its keys from it (wx_keys_build), WxRedis\Format::describeKey() and
 * bin/wxredis-doctor classify keys with it (wx_keys_classify), and the
 * README's key table is rendered from it (tests check they agree).
 *
 * A pattern is literal text with fields:
 *   {componentAppId}, {authorizerAppId}   an app id (wx_keys_check_appid)
 *   {md5(refreshToken)}, {md5(credentials)}  32 lowercase hex digits
 *   {bucket}                             decimal digits: unix time / 600
 * App ids cannot contain '.' or ':', the separators of the patterns, so a
 * key matches at most one way. Plain C, no Zend; unit-tested in
 * tests/core/test_keys.c, fuzzed in tests/fuzz/fuzz_keys.c (it reads keys
 * found in a Redis).
 */
#ifndef WX_KEYS_H
#define WX_KEYS_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef enum {
    WX_KEY_VERIFY_TICKET = 0,   /* EasyWeChat 6's, written by both */
    WX_KEY_COMPONENT_TOKEN,
    WX_KEY_AUTHORIZER_TOKEN,
    WX_KEY_REFRESH_TOKEN,       /* wxredis's own, outside the cache prefix */
    WX_KEY_TICKET_STORED_AT,
    WX_KEY_PUSH_REQUESTED,
    WX_KEY_COMPONENT_LOCK,
    WX_KEY_AUTHORIZER_LOCK,
    WX_KEY_AUTHORIZER_CURRENT,  /* wxredis's copy of the authorizer token, read in one round trip */
    WX_KEY_AUTHORIZER_REGISTRY, /* ZSET: authorizer app id -> its token's expiry (unix s, 0: none yet) */
    WX_KEY_REFRESH_MISSING,     /* SET: authorizers whose refresh token is known missing */
    WX_KEY_TICKET_PUSH,         /* which server's push stored the ticket, and when */
    WX_KEY_LAST_ERROR,          /* the last failed token refresh */
    WX_KEY_CALLS,               /* HASH: WeChat calls of a 10-minute bucket, "api errcode" -> count */
    WX_KEY_FLEET,               /* HASH: hostname -> the server's fingerprint (JSON) */
    WX_KEY_RECOVER_LOCK,        /* one authorizer's refresh-token recovery (api_get_authorizer_info) */
    WX_KEY_RECOVER_ALL_LOCK,    /* recoverRefreshTokens(): one bulk recovery at a time */
    WX_KEY_KEEPER_PACE,         /* refreshDue(): the next free slot of the fleet-wide keeper_rate */
    WX_KEY_CLEAR_QUOTA,         /* clearQuota(): set while the interval since the last reset runs */
    WX_KEY_EW4_VERIFY_TICKET,   /* EasyWeChat 4.x/5.x: recognised, never written by wxredis */
    WX_KEY_EW4_ACCESS_TOKEN,
    WX_KEY_COUNT
} wx_key_id_t;

typedef enum {
    WX_KEY_OWNER_EASYWECHAT = 0,  /* EasyWeChat's layout (wxredis writes it too where `written`) */
    WX_KEY_OWNER_WXREDIS
} wx_key_owner_t;

typedef enum {
    WX_KEY_TTL_NONE = 0,    /* never expires: a TTL on it is a fault */
    WX_KEY_TTL_FIXED,       /* ttl_seconds */
    WX_KEY_TTL_EXPIRES_IN,  /* WeChat's expires_in minus ttl_seconds */
    WX_KEY_TTL_TICKET,      /* ttl_seconds minus the age of WeChat's push */
    WX_KEY_TTL_LOCK         /* lock_timeout; ttl_seconds while it holds a failed refresh's error */
} wx_key_ttl_t;

typedef enum {
    WX_KEY_VALUE_STRING = 0,
    WX_KEY_VALUE_INT,        /* a unix time */
    WX_KEY_VALUE_LOCK,       /* an owner string, or an error array */
    WX_KEY_VALUE_ARRAY,
    WX_KEY_VALUE_ZSET,       /* Redis types other than strings: not in the cache's format */
    WX_KEY_VALUE_SET,
    WX_KEY_VALUE_HASH
} wx_key_value_t;

typedef struct {
    wx_key_id_t    id;
    const char    *role;        /* "ticket", "component_token", ... */
    const char    *pattern;     /* see above */
    wx_key_owner_t owner;
    const char    *layout;      /* "easywechat6", "easywechat4" or "wxredis" */
    int            in_prefix;   /* under the cache's prefix; else a key of its own */
    int            written;     /* wxredis writes it */
    wx_key_value_t value;
    const char    *what;        /* what the value is, for people */
    wx_key_ttl_t   ttl;
    long           ttl_seconds; /* see wx_key_ttl_t; 0 when it has no number */
    long           easywechat_ttl; /* the TTL EasyWeChat writes when it differs from ours, else 0 */
} wx_key_def_t;

/* The table, in a stable order (the README's). */
const wx_key_def_t *wx_keys_table(size_t *n);
/* One row; NULL for an id out of range. */
const wx_key_def_t *wx_keys_def(wx_key_id_t id);
const char *wx_keys_owner_name(wx_key_owner_t owner);      /* "easywechat", "wxredis" */
const char *wx_keys_value_name(wx_key_value_t value);      /* "string", "int", "lock", "array" */
const char *wx_keys_ttl_name(wx_key_ttl_t ttl);            /* "none", "fixed", "expires_in", "ticket", "lock" */
/* The TTL policy in words ("expires_in - 100", "30 days", ...), into out;
 * returns out. */
char *wx_keys_ttl_text(const wx_key_def_t *def, char *out, size_t cap);

/* ------------------------------------------------------------- app ids */

#define WX_KEYS_APPID_MAX 64

typedef enum {
    WX_KEYS_OK = 0,
    WX_KEYS_ERR_LENGTH,    /* empty or longer than WX_KEYS_APPID_MAX */
    WX_KEYS_ERR_CHAR       /* a byte that cannot be part of a key's app id */
} wx_keys_status_t;

/* An app id we put into keys: 1..64 printable ASCII bytes, none of PSR-16's
 * reserved ones (EasyWeChat's keys go through PSR-16 caches) nor the
 * patterns' separators '.' and ':'. On WX_KEYS_ERR_CHAR, *bad is the
 * offset of the first bad byte. */
wx_keys_status_t wx_keys_check_appid(const char *s, size_t len, size_t *bad);

/* -------------------------------------------------------------- building */

typedef struct {
    const char *component;  size_t component_len;
    const char *authorizer; size_t authorizer_len;
    const char *digest;     size_t digest_len;      /* the md5 field, as 32 lowercase hex */
    const char *bucket;     size_t bucket_len;      /* {bucket}, decimal digits */
} wx_key_args_t;

/* {bucket} of WX_KEY_CALLS: 10 minutes (WX_KEYS_BUCKET_SECONDS) of calls,
 * kept a little over an hour. */
#define WX_KEYS_BUCKET_SECONDS 600
#define WX_KEYS_BUCKET_DIGITS_MAX 12

/* Longest key name wx_keys_build writes (two app ids and a digest). */
#define WX_KEYS_NAME_MAX 256

/* The key name (without any cache prefix) of id for args, NUL-terminated
 * into out. Returns its length, or 0 when a field the pattern needs is
 * missing or invalid or out (cap bytes) is too small. */
size_t wx_keys_build(wx_key_id_t id, const wx_key_args_t *args, char *out, size_t cap);

/* ----------------------------------------------------------- classifying */

typedef struct {
    const wx_key_def_t *def;
    size_t      prefix_len;       /* bytes of key before the name */
    const char *component;  size_t component_len;   /* into key; NULL when the pattern has none */
    const char *authorizer; size_t authorizer_len;
    const char *digest;     size_t digest_len;
    const char *bucket;     size_t bucket_len;
} wx_key_match_t;

/*
 * Which key of the table key is. With prefix NULL the prefix is unknown:
 * any bytes before a name are taken as the prefix, and the longest name
 * wins (so EasyWeChat 4's "easywechat.open_platform.verify_ticket.X" is
 * its own, not 6's under a prefix "easywechat."). With a prefix, a key
 * under the prefix must be the prefix and the name exactly, and a key
 * outside the prefix (refresh tokens) the name alone. Returns 1 and fills
 * m, or 0 when it is none of them.
 */
int wx_keys_classify(const char *key, size_t len, const char *prefix, size_t prefix_len, wx_key_match_t *m);

#ifdef __cplusplus
}
#endif

#endif
