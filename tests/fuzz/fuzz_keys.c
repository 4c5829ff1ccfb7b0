/* libFuzzer: classifying arbitrary Redis key names (wxredis-doctor and
 * WxRedis\Format::describeKey() run it on every key a SCAN returns).
 * Input: one byte choosing the prefix mode, then the key. A match must be
 * consistent: the name rebuilt from the fields found is the key's tail. */
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include "wx_keys.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    wx_key_match_t m;
    wx_key_args_t a;
    char name[WX_KEYS_NAME_MAX];
    const char *key;
    size_t len, n;
    int known;

    if (size < 1) return 0;
    known = data[0] & 1;
    key = (const char *) data + 1;
    len = size - 1;
    if (!wx_keys_classify(key, len, known ? "ew:" : NULL, known ? 3 : 0, &m)) {
        if (m.def) __builtin_trap();
        return 0;
    }
    if (!m.def || m.prefix_len > len) __builtin_trap();
    a.component = m.component; a.component_len = m.component_len;
    a.authorizer = m.authorizer; a.authorizer_len = m.authorizer_len;
    a.digest = m.digest; a.digest_len = m.digest_len;
    a.bucket = m.bucket; a.bucket_len = m.bucket_len;
    n = wx_keys_build(m.def->id, &a, name, sizeof(name));
    if (n == 0 || n != len - m.prefix_len || memcmp(name, key + m.prefix_len, n) != 0) __builtin_trap();
    if (known && m.def->in_prefix && (m.prefix_len != 3 || memcmp(key, "ew:", 3) != 0)) __builtin_trap();
    return 0;
}
