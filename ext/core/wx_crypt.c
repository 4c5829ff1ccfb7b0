/*
 * wx_crypt: the WXBizMsgCrypt scheme on OpenSSL. See wx_crypt.h for the API
 * and the scheme; comments here explain the choices.
 */
#include "wx_crypt.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/rand.h>

#if OPENSSL_VERSION_NUMBER >= 0x30000000L
#define WX_OPENSSL3 1
#endif

struct wx_crypt_s {
    char *token;
    size_t token_len;
    char *appid;
    size_t appid_len;
    int nkeys;                        /* 1, or 2 with a previous key */
    unsigned char key[2][32];
    /* One encrypt and one decrypt context per key, key schedule expanded once
     * in wx_crypt_new; every call only resets the IV (the IV is constant: the
     * first 16 key bytes), which saves a key expansion and, on OpenSSL 3, an
     * implicit algorithm fetch per message. */
    EVP_CIPHER_CTX *enc[2];
    EVP_CIPHER_CTX *dec[2];
    EVP_MD_CTX *md_ctx;
    const EVP_MD *md;
#ifdef WX_OPENSSL3
    EVP_CIPHER *cipher_fetched;       /* owned, freed in wx_crypt_free */
    EVP_MD *md_fetched;
#endif
};

/* ---------------------------------------------------------------- errors */

wx_crypt_status_t wx_error_set(wx_error_t *err, wx_crypt_status_t code, const char *fmt, ...)
{
    if (err != NULL) {
        va_list ap;
        err->code = code;
        va_start(ap, fmt);
        vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
        va_end(ap);
    }
    return code;
}

static void wx_error_ok(wx_error_t *err)
{
    if (err != NULL) {
        err->code = WX_CRYPT_OK;
        err->msg[0] = '\0';
    }
}

const char *wx_crypt_status_name(wx_crypt_status_t s)
{
    switch (s) {
    case WX_CRYPT_OK:                     return "OK";
    case WX_CRYPT_ERR_VALIDATE_SIGNATURE: return "ValidateSignatureError";
    case WX_CRYPT_ERR_PARSE_XML:          return "ParseXmlError";
    case WX_CRYPT_ERR_COMPUTE_SIGNATURE:  return "ComputeSignatureError";
    case WX_CRYPT_ERR_ILLEGAL_AES_KEY:    return "IllegalAesKey";
    case WX_CRYPT_ERR_VALIDATE_APPID:     return "ValidateAppidError";
    case WX_CRYPT_ERR_ENCRYPT_AES:        return "EncryptAESError";
    case WX_CRYPT_ERR_DECRYPT_AES:        return "DecryptAESError";
    case WX_CRYPT_ERR_ILLEGAL_BUFFER:     return "IllegalBuffer";
    case WX_CRYPT_ERR_ENCODE_BASE64:      return "EncodeBase64Error";
    case WX_CRYPT_ERR_DECODE_BASE64:      return "DecodeBase64Error";
    case WX_CRYPT_ERR_GEN_RETURN_XML:     return "GenReturnXmlError";
    }
    return "UnknownError";
}

wx_str_t wx_cstr(const char *s)
{
    wx_str_t r = { s != NULL ? s : "", s != NULL ? strlen(s) : 0 };
    return r;
}

void wx_crypt_buf_free(void *buf)
{
    free(buf);
}

/* Render untrusted bytes for an error message: printable ASCII as is, the
 * rest as \xNN, cut with "..." so a hostile value cannot flood the log. */
static const char *wx_escape(const unsigned char *p, size_t len, char *out, size_t outsz)
{
    static const char hex[] = "0123456789abcdef";
    size_t o = 0, i;

    for (i = 0; i < len; i++) {
        unsigned char ch = p[i];
        size_t need = (ch >= 0x20 && ch < 0x7f && ch != '\\') ? 1 : 4;
        if (o + need + 4 > outsz) {           /* room for "..." and NUL */
            memcpy(out + o, "...", 3);
            o += 3;
            break;
        }
        if (need == 1) {
            out[o++] = (char)ch;
        } else {
            out[o++] = '\\'; out[o++] = 'x';
            out[o++] = hex[ch >> 4]; out[o++] = hex[ch & 15];
        }
    }
    out[o] = '\0';
    return out;
}

/* ---------------------------------------------------------------- base64 */

static const char b64_alphabet[] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/* Decode tables, built at compile time. b64_value: 0..63 for the alphabet,
 * 64 for every other byte ('=' included). b64_d0..3: the value already
 * shifted into place for each of the four symbols of a quad, with bit 31
 * set for a non-alphabet byte, so a quad is four loads, three ORs and one
 * test. */
#define WX_B64V(c) ((c) >= 'A' && (c) <= 'Z' ? (c) - 'A'                       \
                  : (c) >= 'a' && (c) <= 'z' ? (c) - 'a' + 26                  \
                  : (c) >= '0' && (c) <= '9' ? (c) - '0' + 52                  \
                  : (c) == '+' ? 62 : (c) == '/' ? 63 : 64)
#define WX_R4(M, b)   M(b) M((b) + 1) M((b) + 2) M((b) + 3)
#define WX_R16(M, b)  WX_R4(M, b) WX_R4(M, (b) + 4) WX_R4(M, (b) + 8) WX_R4(M, (b) + 12)
#define WX_R64(M, b)  WX_R16(M, b) WX_R16(M, (b) + 16) WX_R16(M, (b) + 32) WX_R16(M, (b) + 48)
#define WX_R256(M)    WX_R64(M, 0) WX_R64(M, 64) WX_R64(M, 128) WX_R64(M, 192)
#define WX_BV(c)      (unsigned char)WX_B64V(c),
#define WX_BS(c, sh)  (WX_B64V(c) == 64 ? 0x80000000u : (uint32_t)WX_B64V(c) << (sh)),
#define WX_B0(c)      WX_BS(c, 18)
#define WX_B1(c)      WX_BS(c, 12)
#define WX_B2(c)      WX_BS(c, 6)
#define WX_B3(c)      WX_BS(c, 0)

static const unsigned char b64_value[256] = { WX_R256(WX_BV) };
static const uint32_t b64_d0[256] = { WX_R256(WX_B0) };
static const uint32_t b64_d1[256] = { WX_R256(WX_B1) };
static const uint32_t b64_d2[256] = { WX_R256(WX_B2) };
static const uint32_t b64_d3[256] = { WX_R256(WX_B3) };

wx_crypt_status_t wx_crypt_base64_encode(const unsigned char *in, size_t in_len,
                                         char **out, size_t *out_len, wx_error_t *err)
{
    size_t olen, i, o = 0;
    char *buf;

    *out = NULL;
    *out_len = 0;
    if (in_len > (SIZE_MAX - 1) / 4 * 3 - 3) {
        return wx_error_set(err, WX_CRYPT_ERR_ENCODE_BASE64,
                            "base64 encode: input of %zu bytes is too large", in_len);
    }
    olen = (in_len + 2) / 3 * 4;
    buf = malloc(olen + 1);
    if (buf == NULL) {
        return wx_error_set(err, WX_CRYPT_ERR_ENCODE_BASE64,
                            "base64 encode: out of memory (%zu bytes)", olen + 1);
    }
    for (i = 0; i + 3 <= in_len; i += 3) {
        uint32_t v = ((uint32_t)in[i] << 16) | ((uint32_t)in[i + 1] << 8) | in[i + 2];
        buf[o++] = b64_alphabet[v >> 18];
        buf[o++] = b64_alphabet[(v >> 12) & 63];
        buf[o++] = b64_alphabet[(v >> 6) & 63];
        buf[o++] = b64_alphabet[v & 63];
    }
    if (in_len - i == 1) {
        uint32_t v = (uint32_t)in[i] << 16;
        buf[o++] = b64_alphabet[v >> 18];
        buf[o++] = b64_alphabet[(v >> 12) & 63];
        buf[o++] = '=';
        buf[o++] = '=';
    } else if (in_len - i == 2) {
        uint32_t v = ((uint32_t)in[i] << 16) | ((uint32_t)in[i + 1] << 8);
        buf[o++] = b64_alphabet[v >> 18];
        buf[o++] = b64_alphabet[(v >> 12) & 63];
        buf[o++] = b64_alphabet[(v >> 6) & 63];
        buf[o++] = '=';
    }
    buf[o] = '\0';
    *out = buf;
    *out_len = o;
    wx_error_ok(err);
    return WX_CRYPT_OK;
}

/*
 * Strict: the length must be a multiple of 4, only the RFC 4648 alphabet, '='
 * only as the last one or two characters, no whitespace. WeChat always sends
 * canonical padded base64, so anything else is damage, not a dialect.
 * (Unused low bits of the last symbol are not checked, like PHP's and Java's
 * decoders: EncodingAESKeys in the wild rely on that.)
 */
/* Slow path for the error message: where is the first bad character? */
static wx_crypt_status_t b64_bad_char(const unsigned char *s, size_t data_len, const char *what,
                                      wx_error_t *err)
{
    size_t i;
    for (i = 0; i < data_len; i++) {
        if (b64_value[s[i]] == 64) {
            return wx_error_set(err, WX_CRYPT_ERR_DECODE_BASE64,
                                "%s is not valid base64: invalid character 0x%02x at "
                                "offset %zu", what, s[i], i);
        }
    }
    return wx_error_set(err, WX_CRYPT_ERR_DECODE_BASE64, "%s is not valid base64", what);
}

static wx_crypt_status_t b64_decode_into(const char *in, size_t len, unsigned char *dst,
                                         size_t *dst_len, const char *what, wx_error_t *err)
{
    const unsigned char *s = (const unsigned char *)in, *q;
    size_t pad = 0, quads, i, o = 0;
    unsigned a, b, c, d;
    uint32_t v;

    *dst_len = 0;
    if (len % 4 != 0) {
        return wx_error_set(err, WX_CRYPT_ERR_DECODE_BASE64,
                            "%s is not valid base64: length %zu is not a multiple of 4 "
                            "(truncated?)", what, len);
    }
    if (len == 0) {
        return WX_CRYPT_OK;
    }
    if (s[len - 1] == '=') {
        pad = s[len - 2] == '=' ? 2 : 1;
    }
    /* Whole quads: '=' and every non-alphabet byte set bit 31, so one test
     * per quad checks all four symbols. */
    quads = len / 4;
    for (i = 0, q = s; i + 1 < quads; i++, q += 4, o += 3) {
        v = b64_d0[q[0]] | b64_d1[q[1]] | b64_d2[q[2]] | b64_d3[q[3]];
        if (v & 0x80000000u) {
            return b64_bad_char(s, len - pad, what, err);
        }
        dst[o] = (unsigned char)(v >> 16);
        dst[o + 1] = (unsigned char)(v >> 8);
        dst[o + 2] = (unsigned char)v;
    }
    /* The last quad carries the padding. */
    q = s + len - 4;
    a = b64_value[q[0]];
    b = b64_value[q[1]];
    c = pad < 2 ? b64_value[q[2]] : 0;
    d = pad < 1 ? b64_value[q[3]] : 0;
    if ((a | b | c | d) & 64) {
        return b64_bad_char(s, len - pad, what, err);
    }
    v = (a << 18) | (b << 12) | (c << 6) | d;
    dst[o++] = (unsigned char)(v >> 16);
    if (pad < 2) {
        dst[o++] = (unsigned char)(v >> 8);
    }
    if (pad < 1) {
        dst[o++] = (unsigned char)v;
    }
    *dst_len = o;
    return WX_CRYPT_OK;
}

wx_crypt_status_t wx_crypt_base64_decode(wx_str_t in, unsigned char **out,
                                         size_t *out_len, wx_error_t *err)
{
    unsigned char *buf;
    wx_crypt_status_t st;

    *out = NULL;
    *out_len = 0;
    buf = malloc(in.len / 4 * 3 + 1);
    if (buf == NULL) {
        return wx_error_set(err, WX_CRYPT_ERR_DECODE_BASE64,
                            "base64 decode: out of memory");
    }
    st = b64_decode_into(in.ptr, in.len, buf, out_len, "input", err);
    if (st != WX_CRYPT_OK) {
        free(buf);
        *out_len = 0;
        return st;
    }
    buf[*out_len] = 0;
    *out = buf;
    wx_error_ok(err);
    return WX_CRYPT_OK;
}

/* ---------------------------------------------------------------- keys */

wx_crypt_status_t wx_crypt_decode_aes_key(wx_str_t aes_key, unsigned char key32[32],
                                          wx_error_t *err)
{
    char padded[WX_CRYPT_KEY_CHARS + 1];
    unsigned char raw[33];
    size_t raw_len = 0, i;

    if (aes_key.len != WX_CRYPT_KEY_CHARS) {
        return wx_error_set(err, WX_CRYPT_ERR_ILLEGAL_AES_KEY,
                            "EncodingAESKey must be exactly 43 characters, got %zu",
                            aes_key.len);
    }
    /* [A-Za-z0-9] only: '+' and '/' are valid base64 but WeChat never issues
     * them, and accepting them would let a mangled key through. */
    for (i = 0; i < aes_key.len; i++) {
        unsigned char ch = (unsigned char)aes_key.ptr[i];
        if (!((ch >= 'A' && ch <= 'Z') || (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9'))) {
            return wx_error_set(err, WX_CRYPT_ERR_ILLEGAL_AES_KEY,
                                "EncodingAESKey has an invalid character 0x%02x at offset "
                                "%zu (only A-Z, a-z, 0-9 allowed)", ch, i);
        }
    }
    memcpy(padded, aes_key.ptr, WX_CRYPT_KEY_CHARS);
    padded[WX_CRYPT_KEY_CHARS] = '=';
    if (b64_decode_into(padded, sizeof(padded), raw, &raw_len, "EncodingAESKey", NULL)
            != WX_CRYPT_OK || raw_len != 32) {
        /* cannot happen with 43 alphabet characters + "=", kept as a guard */
        OPENSSL_cleanse(raw, sizeof(raw));
        return wx_error_set(err, WX_CRYPT_ERR_ILLEGAL_AES_KEY,
                            "EncodingAESKey does not decode to 32 bytes (got %zu)", raw_len);
    }
    if (key32 != NULL) {
        memcpy(key32, raw, 32);
    }
    OPENSSL_cleanse(raw, sizeof(raw));
    OPENSSL_cleanse(padded, sizeof(padded));
    wx_error_ok(err);
    return WX_CRYPT_OK;
}

static int wx_cipher_ctx_init(EVP_CIPHER_CTX **ctx, const EVP_CIPHER *cipher,
                              const unsigned char *key, int enc)
{
    *ctx = EVP_CIPHER_CTX_new();
    if (*ctx == NULL) {
        return 0;
    }
    /* IV = first 16 bytes of the key, by the scheme's definition */
    if (EVP_CipherInit_ex(*ctx, cipher, NULL, key, key, enc) != 1) {
        return 0;
    }
    return EVP_CIPHER_CTX_set_padding(*ctx, 0) == 1;
}

wx_crypt_status_t wx_crypt_new(wx_str_t token, wx_str_t aes_key, wx_str_t appid,
                               wx_str_t prev_aes_key, wx_crypt_t **out, wx_error_t *err)
{
    wx_crypt_t *c;
    const EVP_CIPHER *cipher;
    wx_crypt_status_t st;
    int i;

    *out = NULL;
    if (token.len == 0) {
        /* an empty token makes every signature computable by anyone */
        return wx_error_set(err, WX_CRYPT_ERR_COMPUTE_SIGNATURE, "token must not be empty");
    }
    c = calloc(1, sizeof(*c));
    if (c == NULL) {
        return wx_error_set(err, WX_CRYPT_ERR_ENCRYPT_AES, "out of memory");
    }
    st = wx_crypt_decode_aes_key(aes_key, c->key[0], err);
    if (st != WX_CRYPT_OK) {
        goto fail;
    }
    c->nkeys = 1;
    if (prev_aes_key.len > 0) {
        st = wx_crypt_decode_aes_key(prev_aes_key, c->key[1], err);
        if (st != WX_CRYPT_OK) {
            if (err != NULL) {
                char tmp[WX_ERRMSG_SIZE];
                memcpy(tmp, err->msg, sizeof(tmp));
                wx_error_set(err, st, "previous %s", tmp);
            }
            goto fail;
        }
        c->nkeys = 2;
    }

    c->token = malloc(token.len + 1);
    c->appid = malloc(appid.len + 1);
    if (c->token == NULL || c->appid == NULL) {
        st = wx_error_set(err, WX_CRYPT_ERR_ENCRYPT_AES, "out of memory");
        goto fail;
    }
    memcpy(c->token, token.ptr, token.len);
    c->token[token.len] = '\0';
    c->token_len = token.len;
    if (appid.len > 0) {
        memcpy(c->appid, appid.ptr, appid.len);
    }
    c->appid[appid.len] = '\0';
    c->appid_len = appid.len;

#ifdef WX_OPENSSL3
    /* Fetch once: passing EVP_aes_256_cbc() to every init makes OpenSSL 3
     * look the algorithm up in the provider store on each call. */
    c->cipher_fetched = EVP_CIPHER_fetch(NULL, "AES-256-CBC", NULL);
    c->md_fetched = EVP_MD_fetch(NULL, "SHA1", NULL);
    cipher = c->cipher_fetched != NULL ? c->cipher_fetched : EVP_aes_256_cbc();
    c->md = c->md_fetched != NULL ? c->md_fetched : EVP_sha1();
#else
    cipher = EVP_aes_256_cbc();
    c->md = EVP_sha1();
#endif
    for (i = 0; i < c->nkeys; i++) {
        if (!wx_cipher_ctx_init(&c->enc[i], cipher, c->key[i], 1)
                || !wx_cipher_ctx_init(&c->dec[i], cipher, c->key[i], 0)) {
            st = wx_error_set(err, WX_CRYPT_ERR_ENCRYPT_AES,
                              "OpenSSL could not set up AES-256-CBC");
            goto fail;
        }
    }
    c->md_ctx = EVP_MD_CTX_new();
    if (c->md_ctx == NULL) {
        st = wx_error_set(err, WX_CRYPT_ERR_COMPUTE_SIGNATURE, "OpenSSL could not set up SHA-1");
        goto fail;
    }
    *out = c;
    wx_error_ok(err);
    return WX_CRYPT_OK;

fail:
    wx_crypt_free(c);
    return st;
}

void wx_crypt_free(wx_crypt_t *c)
{
    int i;

    if (c == NULL) {
        return;
    }
    for (i = 0; i < 2; i++) {
        EVP_CIPHER_CTX_free(c->enc[i]);
        EVP_CIPHER_CTX_free(c->dec[i]);
    }
    EVP_MD_CTX_free(c->md_ctx);
#ifdef WX_OPENSSL3
    EVP_CIPHER_free(c->cipher_fetched);
    EVP_MD_free(c->md_fetched);
#endif
    if (c->token != NULL) {
        OPENSSL_cleanse(c->token, c->token_len);
        free(c->token);
    }
    free(c->appid);
    OPENSSL_cleanse(c->key, sizeof(c->key));
    free(c);
}

int wx_crypt_has_previous_key(const wx_crypt_t *c)
{
    return c->nkeys > 1;
}

/* ---------------------------------------------------------------- SHA-1 */

/* Byte-wise order, a proper prefix first: what sort() does in the official
 * samples (Python sorted(), PHP sort(SORT_STRING), Java Arrays.sort). */
static int wx_str_cmp(const wx_str_t *a, const wx_str_t *b)
{
    size_t n = a->len < b->len ? a->len : b->len;
    int r = n > 0 ? memcmp(a->ptr, b->ptr, n) : 0;
    if (r != 0) {
        return r;
    }
    return (a->len > b->len) - (a->len < b->len);
}

static wx_crypt_status_t wx_sha1_sorted(wx_crypt_t *c, wx_str_t *parts, int n,
                                        char out[WX_CRYPT_SIG_HEX_LEN + 1], wx_error_t *err)
{
    static const char hex[] = "0123456789abcdef";
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned int dlen = 0;
    int i, j;

    for (i = 1; i < n; i++) {             /* insertion sort of 3 or 4 items */
        wx_str_t t = parts[i];
        for (j = i; j > 0 && wx_str_cmp(&parts[j - 1], &t) > 0; j--) {
            parts[j] = parts[j - 1];
        }
        parts[j] = t;
    }
    if (EVP_DigestInit_ex(c->md_ctx, c->md, NULL) != 1) {
        goto fail;
    }
    for (i = 0; i < n; i++) {
        if (parts[i].len > 0 && EVP_DigestUpdate(c->md_ctx, parts[i].ptr, parts[i].len) != 1) {
            goto fail;
        }
    }
    if (EVP_DigestFinal_ex(c->md_ctx, digest, &dlen) != 1 || dlen != 20) {
        goto fail;
    }
    for (i = 0; i < 20; i++) {
        out[2 * i] = hex[digest[i] >> 4];
        out[2 * i + 1] = hex[digest[i] & 15];
    }
    out[WX_CRYPT_SIG_HEX_LEN] = '\0';
    wx_error_ok(err);
    return WX_CRYPT_OK;

fail:
    out[0] = '\0';
    return wx_error_set(err, WX_CRYPT_ERR_COMPUTE_SIGNATURE, "OpenSSL SHA-1 failed");
}

wx_crypt_status_t wx_crypt_signature(wx_crypt_t *c, wx_str_t timestamp, wx_str_t nonce,
                                     wx_str_t encrypt, char out[WX_CRYPT_SIG_HEX_LEN + 1],
                                     wx_error_t *err)
{
    wx_str_t parts[4];
    parts[0] = WX_STR(c->token, c->token_len);
    parts[1] = timestamp;
    parts[2] = nonce;
    parts[3] = encrypt;
    return wx_sha1_sorted(c, parts, 4, out, err);
}

wx_crypt_status_t wx_crypt_url_signature(wx_crypt_t *c, wx_str_t timestamp, wx_str_t nonce,
                                         char out[WX_CRYPT_SIG_HEX_LEN + 1], wx_error_t *err)
{
    wx_str_t parts[3];
    parts[0] = WX_STR(c->token, c->token_len);
    parts[1] = timestamp;
    parts[2] = nonce;
    return wx_sha1_sorted(c, parts, 3, out, err);
}

/* The expected value is never put in the message: it would be a valid
 * signature handed to whoever reads the error. */
static wx_crypt_status_t wx_sig_compare(const char *expected, wx_str_t got,
                                        const char *what, wx_error_t *err)
{
    char shown[64];

    if (got.len == 0) {
        return wx_error_set(err, WX_CRYPT_ERR_VALIDATE_SIGNATURE, "%s is missing or empty", what);
    }
    /* The length is public (always 40); only the content is compared in
     * constant time so response timing reveals nothing about the expected value. */
    if (got.len != WX_CRYPT_SIG_HEX_LEN
            || CRYPTO_memcmp(expected, got.ptr, WX_CRYPT_SIG_HEX_LEN) != 0) {
        return wx_error_set(err, WX_CRYPT_ERR_VALIDATE_SIGNATURE,
                            "%s mismatch: got '%s' (%zu bytes), which is not the SHA-1 "
                            "of the token, timestamp, nonce%s", what,
                            wx_escape((const unsigned char *)got.ptr, got.len, shown, sizeof(shown)),
                            got.len, strcmp(what, "signature") == 0 ? "" : " and Encrypt");
    }
    wx_error_ok(err);
    return WX_CRYPT_OK;
}

wx_crypt_status_t wx_crypt_verify_signature(wx_crypt_t *c, wx_str_t signature,
                                            wx_str_t timestamp, wx_str_t nonce,
                                            wx_str_t encrypt, wx_error_t *err)
{
    char expected[WX_CRYPT_SIG_HEX_LEN + 1];
    wx_crypt_status_t st = wx_crypt_signature(c, timestamp, nonce, encrypt, expected, err);
    if (st != WX_CRYPT_OK) {
        return st;
    }
    return wx_sig_compare(expected, signature, "msg_signature", err);
}

wx_crypt_status_t wx_crypt_verify_url(wx_crypt_t *c, wx_str_t signature, wx_str_t timestamp,
                                      wx_str_t nonce, wx_error_t *err)
{
    char expected[WX_CRYPT_SIG_HEX_LEN + 1];
    wx_crypt_status_t st = wx_crypt_url_signature(c, timestamp, nonce, expected, err);
    if (st != WX_CRYPT_OK) {
        return st;
    }
    return wx_sig_compare(expected, signature, "signature", err);
}

/* ---------------------------------------------------------------- decrypt */

/*
 * Decrypt ct with key idx into plain (room for ct_len bytes) and check the
 * structure. On success the message is plain[*msg_off .. *msg_off + *msg_len).
 */
static wx_crypt_status_t wx_decrypt_with(wx_crypt_t *c, int idx, const unsigned char *ct,
                                         size_t ct_len, unsigned char *plain,
                                         size_t *msg_off, size_t *msg_len, wx_error_t *err)
{
    EVP_CIPHER_CTX *ctx = c->dec[idx];
    int outl = 0, finl = 0;
    size_t n, pad, i, appid_len;
    uint32_t len_field;
    unsigned char bad = 0;

    if (EVP_DecryptInit_ex(ctx, NULL, NULL, NULL, c->key[idx]) != 1
            || EVP_CIPHER_CTX_set_padding(ctx, 0) != 1
            || EVP_DecryptUpdate(ctx, plain, &outl, ct, (int)ct_len) != 1
            || EVP_DecryptFinal_ex(ctx, plain + outl, &finl) != 1) {
        return wx_error_set(err, WX_CRYPT_ERR_DECRYPT_AES, "OpenSSL AES-256-CBC decryption failed");
    }
    n = (size_t)outl + (size_t)finl;

    /* PKCS#7 with a 32-byte block: 1..32 bytes, all equal to the count. */
    pad = plain[n - 1];
    if (pad < 1 || pad > WX_CRYPT_PAD_BLOCK || pad > n) {
        return wx_error_set(err, WX_CRYPT_ERR_DECRYPT_AES,
                            "bad PKCS#7 padding: last byte is %zu, must be 1..32 "
                            "(wrong EncodingAESKey or damaged ciphertext)", pad);
    }
    for (i = n - pad; i < n; i++) {
        bad |= (unsigned char)(plain[i] ^ pad);
    }
    if (bad != 0) {
        return wx_error_set(err, WX_CRYPT_ERR_DECRYPT_AES,
                            "bad PKCS#7 padding: the last %zu bytes are not all 0x%02zx "
                            "(wrong EncodingAESKey or damaged ciphertext)", pad, pad);
    }
    n -= pad;

    if (n < WX_CRYPT_RANDOM_LEN + 4) {
        return wx_error_set(err, WX_CRYPT_ERR_ILLEGAL_BUFFER,
                            "decrypted payload is %zu bytes, shorter than the 20-byte "
                            "header (16 random + 4 length)", n);
    }
    len_field = ((uint32_t)plain[16] << 24) | ((uint32_t)plain[17] << 16)
              | ((uint32_t)plain[18] << 8) | (uint32_t)plain[19];
    if ((size_t)len_field > n - 20) {
        return wx_error_set(err, WX_CRYPT_ERR_ILLEGAL_BUFFER,
                            "length field says the message is %lu bytes but only %zu bytes "
                            "follow the header", (unsigned long)len_field, n - 20);
    }
    appid_len = n - 20 - len_field;
    if (appid_len != c->appid_len
            || (appid_len > 0 && memcmp(plain + 20 + len_field, c->appid, appid_len) != 0)) {
        char got[80], want[80];
        return wx_error_set(err, WX_CRYPT_ERR_VALIDATE_APPID,
                            "appid mismatch: expected '%s', got '%s'",
                            wx_escape((const unsigned char *)c->appid, c->appid_len, want, sizeof(want)),
                            wx_escape(plain + 20 + len_field, appid_len, got, sizeof(got)));
    }
    *msg_off = 20;
    *msg_len = len_field;
    return WX_CRYPT_OK;
}

wx_crypt_status_t wx_crypt_decrypt(wx_crypt_t *c, wx_str_t encrypt, char **out,
                                   size_t *out_len, int *key_used, wx_error_t *err)
{
    unsigned char *ct = NULL, *plain = NULL;
    size_t ct_len = 0, off = 0, mlen = 0;
    wx_crypt_status_t st, first = WX_CRYPT_OK;
    wx_error_t first_err;
    int idx;

    *out = NULL;
    *out_len = 0;
    if (key_used != NULL) {
        *key_used = -1;
    }
    first_err.code = WX_CRYPT_OK;
    first_err.msg[0] = '\0';
    /* One buffer holds the ciphertext and, after it, the plaintext; the
     * message is moved to its start and returned, so one allocation total. */
    ct_len = encrypt.len / 4 * 3;
    if (ct_len > (size_t)INT32_MAX) {
        return wx_error_set(err, WX_CRYPT_ERR_DECRYPT_AES,
                            "Encrypt of %zu bytes is too large", encrypt.len);
    }
    ct = malloc(2 * ct_len + EVP_MAX_BLOCK_LENGTH + 1);
    if (ct == NULL) {
        return wx_error_set(err, WX_CRYPT_ERR_DECRYPT_AES, "out of memory");
    }
    st = b64_decode_into(encrypt.ptr, encrypt.len, ct, &ct_len, "Encrypt", err);
    if (st != WX_CRYPT_OK) {
        free(ct);
        return st;
    }
    if (ct_len == 0 || ct_len % 16 != 0) {
        free(ct);
        return wx_error_set(err, WX_CRYPT_ERR_DECRYPT_AES,
                            "ciphertext is %zu bytes, not a positive multiple of the "
                            "16-byte AES block", ct_len);
    }
    plain = ct + ct_len;

    for (idx = 0; idx < c->nkeys; idx++) {
        st = wx_decrypt_with(c, idx, ct, ct_len, plain, &off, &mlen, err);
        if (st == WX_CRYPT_OK) {
            break;
        }
        if (idx == 0) {
            first = st;
            if (err != NULL) {
                first_err = *err;
            }
        }
    }
    if (st != WX_CRYPT_OK) {
        /* Report the current key's failure: it is the one that should work. */
        OPENSSL_cleanse(plain, ct_len);
        free(ct);
        if (c->nkeys > 1 && err != NULL) {
            wx_error_set(err, first, "%.200s (the previous EncodingAESKey failed too)",
                         first_err.msg);
        }
        return first;
    }
    memmove(ct, plain + off, mlen);
    ct[mlen] = '\0';
    *out = (char *)ct;
    *out_len = mlen;
    if (key_used != NULL) {
        *key_used = idx;
    }
    wx_error_ok(err);
    return WX_CRYPT_OK;
}

wx_crypt_status_t wx_crypt_decrypt_verified(wx_crypt_t *c, wx_str_t msg_signature,
                                            wx_str_t timestamp, wx_str_t nonce,
                                            wx_str_t encrypt, char **out, size_t *out_len,
                                            int *key_used, wx_error_t *err)
{
    wx_crypt_status_t st;

    *out = NULL;
    *out_len = 0;
    if (key_used != NULL) {
        *key_used = -1;
    }
    /* Signature first: no AES work and no padding oracle for unsigned input. */
    st = wx_crypt_verify_signature(c, msg_signature, timestamp, nonce, encrypt, err);
    if (st != WX_CRYPT_OK) {
        return st;
    }
    return wx_crypt_decrypt(c, encrypt, out, out_len, key_used, err);
}

/* ---------------------------------------------------------------- encrypt */

wx_crypt_status_t wx_crypt_encrypt(wx_crypt_t *c, wx_str_t msg, const unsigned char *random16,
                                   int key_index, char **out, size_t *out_len, wx_error_t *err)
{
    EVP_CIPHER_CTX *ctx;
    unsigned char *buf;
    size_t total, padded, pad;
    int outl = 0, finl = 0;
    wx_crypt_status_t st;

    *out = NULL;
    *out_len = 0;
    if (key_index < 0 || key_index >= c->nkeys) {
        return wx_error_set(err, WX_CRYPT_ERR_ILLEGAL_AES_KEY,
                            "no %s EncodingAESKey configured",
                            key_index == WX_CRYPT_KEY_PREVIOUS ? "previous" : "such");
    }
    /* the length field is 32 bits; OpenSSL takes an int */
    if (msg.len > (size_t)INT32_MAX - 64 - c->appid_len) {
        return wx_error_set(err, WX_CRYPT_ERR_ENCRYPT_AES,
                            "message of %zu bytes is too large to encrypt", msg.len);
    }
    total = WX_CRYPT_RANDOM_LEN + 4 + msg.len + c->appid_len;
    pad = WX_CRYPT_PAD_BLOCK - total % WX_CRYPT_PAD_BLOCK; /* 1..32: a full block when aligned */
    padded = total + pad;

    buf = malloc(padded + EVP_MAX_BLOCK_LENGTH);
    if (buf == NULL) {
        return wx_error_set(err, WX_CRYPT_ERR_ENCRYPT_AES, "out of memory");
    }
    if (random16 != NULL) {
        memcpy(buf, random16, WX_CRYPT_RANDOM_LEN);
    } else if (RAND_bytes(buf, WX_CRYPT_RANDOM_LEN) != 1) {
        free(buf);
        return wx_error_set(err, WX_CRYPT_ERR_ENCRYPT_AES,
                            "RAND_bytes could not produce the random prefix");
    }
    buf[16] = (unsigned char)(msg.len >> 24);
    buf[17] = (unsigned char)(msg.len >> 16);
    buf[18] = (unsigned char)(msg.len >> 8);
    buf[19] = (unsigned char)msg.len;
    if (msg.len > 0) {
        memcpy(buf + 20, msg.ptr, msg.len);
    }
    if (c->appid_len > 0) {
        memcpy(buf + 20 + msg.len, c->appid, c->appid_len);
    }
    memset(buf + total, (int)pad, pad);

    ctx = c->enc[key_index];
    /* in place: OpenSSL allows out == in exactly */
    if (EVP_EncryptInit_ex(ctx, NULL, NULL, NULL, c->key[key_index]) != 1
            || EVP_CIPHER_CTX_set_padding(ctx, 0) != 1
            || EVP_EncryptUpdate(ctx, buf, &outl, buf, (int)padded) != 1
            || EVP_EncryptFinal_ex(ctx, buf + outl, &finl) != 1
            || (size_t)outl + (size_t)finl != padded) {
        OPENSSL_cleanse(buf, padded);
        free(buf);
        return wx_error_set(err, WX_CRYPT_ERR_ENCRYPT_AES, "OpenSSL AES-256-CBC encryption failed");
    }
    st = wx_crypt_base64_encode(buf, padded, out, out_len, err);
    free(buf);
    return st;
}

static int wx_all_digits(wx_str_t s)
{
    size_t i;
    if (s.len == 0 || s.len > 20) {
        return 0;
    }
    for (i = 0; i < s.len; i++) {
        if (s.ptr[i] < '0' || s.ptr[i] > '9') {
            return 0;
        }
    }
    return 1;
}

/* Printable ASCII and no "]]>": safe to put inside CDATA unescaped. */
static int wx_cdata_safe(wx_str_t s)
{
    size_t i;
    for (i = 0; i < s.len; i++) {
        unsigned char ch = (unsigned char)s.ptr[i];
        if (ch < 0x20 || ch > 0x7e) {
            return 0;
        }
        if (ch == ']' && i + 2 < s.len && s.ptr[i + 1] == ']' && s.ptr[i + 2] == '>') {
            return 0;
        }
    }
    return 1;
}

/* The envelope embeds timestamp and nonce unescaped, as WeChat's own
 * samples do, so anything that could break out of the element is refused. */
static wx_crypt_status_t wx_check_reply_fields(wx_str_t timestamp, wx_str_t nonce,
                                               wx_error_t *err)
{
    if (!wx_all_digits(timestamp)) {
        return wx_error_set(err, WX_CRYPT_ERR_GEN_RETURN_XML,
                            "reply timestamp must be 1 to 20 decimal digits");
    }
    if (nonce.len == 0 || !wx_cdata_safe(nonce)) {
        return wx_error_set(err, WX_CRYPT_ERR_GEN_RETURN_XML,
                            "reply nonce must be non-empty printable ASCII without \"]]>\"");
    }
    return WX_CRYPT_OK;
}

wx_crypt_status_t wx_crypt_build_reply(wx_str_t encrypt, const char *signature_hex,
                                       wx_str_t timestamp, wx_str_t nonce,
                                       char **out, size_t *out_len, wx_error_t *err)
{
    static const char p1[] = "<xml>\n<Encrypt><![CDATA[";
    static const char p2[] = "]]></Encrypt>\n<MsgSignature><![CDATA[";
    static const char p3[] = "]]></MsgSignature>\n<TimeStamp>";
    static const char p4[] = "</TimeStamp>\n<Nonce><![CDATA[";
    static const char p5[] = "]]></Nonce>\n</xml>";
    size_t total, o = 0;
    char *buf;

    wx_crypt_status_t st;

    *out = NULL;
    *out_len = 0;
    st = wx_check_reply_fields(timestamp, nonce, err);
    if (st != WX_CRYPT_OK) {
        return st;
    }
    if (encrypt.len == 0 || !wx_cdata_safe(encrypt)) {
        return wx_error_set(err, WX_CRYPT_ERR_GEN_RETURN_XML,
                            "reply Encrypt must be non-empty printable ASCII without \"]]>\"");
    }
    if (signature_hex == NULL || strlen(signature_hex) != WX_CRYPT_SIG_HEX_LEN) {
        return wx_error_set(err, WX_CRYPT_ERR_GEN_RETURN_XML,
                            "reply signature must be 40 hex characters");
    }
    total = sizeof(p1) - 1 + encrypt.len + sizeof(p2) - 1 + WX_CRYPT_SIG_HEX_LEN
          + sizeof(p3) - 1 + timestamp.len + sizeof(p4) - 1 + nonce.len + sizeof(p5) - 1;
    buf = malloc(total + 1);
    if (buf == NULL) {
        return wx_error_set(err, WX_CRYPT_ERR_GEN_RETURN_XML, "out of memory");
    }
#define WX_PUT(p, n) do { memcpy(buf + o, (p), (n)); o += (n); } while (0)
    WX_PUT(p1, sizeof(p1) - 1);
    WX_PUT(encrypt.ptr, encrypt.len);
    WX_PUT(p2, sizeof(p2) - 1);
    WX_PUT(signature_hex, WX_CRYPT_SIG_HEX_LEN);
    WX_PUT(p3, sizeof(p3) - 1);
    WX_PUT(timestamp.ptr, timestamp.len);
    WX_PUT(p4, sizeof(p4) - 1);
    WX_PUT(nonce.ptr, nonce.len);
    WX_PUT(p5, sizeof(p5) - 1);
#undef WX_PUT
    buf[o] = '\0';
    *out = buf;
    *out_len = o;
    wx_error_ok(err);
    return WX_CRYPT_OK;
}

wx_crypt_status_t wx_crypt_encrypt_reply(wx_crypt_t *c, wx_str_t msg, wx_str_t timestamp,
                                         wx_str_t nonce, const unsigned char *random16,
                                         int key_index, char **out, size_t *out_len,
                                         wx_error_t *err)
{
    char sig[WX_CRYPT_SIG_HEX_LEN + 1];
    char *enc = NULL;
    size_t enc_len = 0;
    wx_crypt_status_t st;

    *out = NULL;
    *out_len = 0;
    st = wx_check_reply_fields(timestamp, nonce, err); /* before any AES work */
    if (st != WX_CRYPT_OK) {
        return st;
    }
    st = wx_crypt_encrypt(c, msg, random16, key_index, &enc, &enc_len, err);
    if (st != WX_CRYPT_OK) {
        return st;
    }
    st = wx_crypt_signature(c, timestamp, nonce, WX_STR(enc, enc_len), sig, err);
    if (st == WX_CRYPT_OK) {
        st = wx_crypt_build_reply(WX_STR(enc, enc_len), sig, timestamp, nonce, out, out_len, err);
    }
    free(enc);
    return st;
}
