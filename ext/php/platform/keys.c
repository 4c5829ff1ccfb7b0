/*
 * The platform's Redis keys: names from the one table (core/wx_keys.h),
 * the cache's prefix in front of those that live under it, and the app id
 * rule they rely on.
 */
#include "platform.h"
#include "ext/standard/md5.h"

zend_string *wx_op_key(wx_op_t *op, wx_cache_obj_t *c, wx_key_id_t id, zend_string *authorizer,
                       zend_string *refresh_token)
{
    const wx_key_def_t *def = wx_keys_def(id);
    wx_key_args_t args = { ZSTR_VAL(op->app_id), ZSTR_LEN(op->app_id), NULL, 0, NULL, 0, NULL, 0 };
    char name[WX_KEYS_NAME_MAX], md5[33];
    size_t n;

    if (authorizer) {
        args.authorizer = ZSTR_VAL(authorizer);
        args.authorizer_len = ZSTR_LEN(authorizer);
    }
    if (refresh_token) {
        PHP_MD5_CTX ctx;
        unsigned char digest[16];
        PHP_MD5Init(&ctx);
        PHP_MD5Update(&ctx, ZSTR_VAL(refresh_token), ZSTR_LEN(refresh_token));
        PHP_MD5Final(digest, &ctx);
        make_digest_ex(md5, digest, 16);
        args.digest = md5;
        args.digest_len = 32;
    }
    /* the app ids were checked on the way in (wx_op_check_appid) */
    n = wx_keys_build(id, &args, name, sizeof(name));
    ZEND_ASSERT(n > 0);
    /* the refresh tokens live outside the prefix (EasyWeChat's names) */
    return def->in_prefix ? wx_store_key(c, name, n) : zend_string_init(name, n, 0);
}

zend_result wx_op_check_appid(const char *s, size_t len, const char *what)
{
    size_t bad = 0;
    switch (wx_keys_check_appid(s, len, &bad)) {
    case WX_KEYS_OK:
        return SUCCESS;
    case WX_KEYS_ERR_LENGTH:
        wx_throw_invalid(WX_OP_ERR_CONFIG,
            "%s must be 1 to %d characters long, %zu given", what, WX_KEYS_APPID_MAX, len);
        return FAILURE;
    default:
        wx_throw_invalid(WX_OP_ERR_CONFIG,
            "%s \"%.*s\" contains a character that is not allowed in an app id (byte 0x%02x)",
            what, (int) len, s, (unsigned char) s[bad]);
        return FAILURE;
    }
}
