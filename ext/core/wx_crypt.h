/*
 * wx_crypt: the WXBizMsgCrypt scheme (WeChat message encryption) on OpenSSL.
 *
 * Plain C, no Zend types: unit-tested and fuzzed on its own (tests/core,
 * tests/fuzz) and wrapped by ext/php/message_crypt.c.
 *
 * The scheme, in one place:
 *   key       = base64_decode(EncodingAESKey + "="), 32 bytes; IV = key[0..16)
 *   plaintext = random(16) || be32(len(msg)) || msg || appid
 *   Encrypt   = base64(AES-256-CBC(PKCS#7 with block size 32 (plaintext)))
 *   signature = hex(SHA-1(concat(sort_bytes(token, timestamp, nonce, Encrypt))))
 *
 * Conventions:
 *   - every byte string is a (pointer, length) pair, wx_str_t: messages may
 *     contain NUL bytes and nothing here relies on strlen();
 *   - every function that can fail returns a wx_crypt_status_t (the official
 *     WXBizMsgCrypt codes) and, when err is not NULL, fills err with the same
 *     code and a human-readable message saying exactly what was wrong;
 *   - output buffers are malloc()ed, NUL-terminated for convenience, their
 *     length returned separately; release them with wx_crypt_buf_free().
 *
 * A wx_crypt_t keeps OpenSSL cipher contexts with the key schedule already
 * expanded (each call only resets the IV), so it is cheap per message but must
 * not be used by two threads at once (like a hiredis context). It is immutable
 * otherwise: create one per thread, or guard it.
 */
#ifndef WX_CRYPT_H
#define WX_CRYPT_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/* The official WXBizMsgCrypt error codes (Tencent's sample code, all languages). */
typedef enum {
    WX_CRYPT_OK                      = 0,
    WX_CRYPT_ERR_VALIDATE_SIGNATURE  = -40001, /* signature mismatch or missing */
    WX_CRYPT_ERR_PARSE_XML           = -40002, /* malformed / refused XML, no Encrypt */
    WX_CRYPT_ERR_COMPUTE_SIGNATURE   = -40003, /* SHA-1 failed, bad token */
    WX_CRYPT_ERR_ILLEGAL_AES_KEY     = -40004, /* EncodingAESKey not 43 chars of [A-Za-z0-9] */
    WX_CRYPT_ERR_VALIDATE_APPID      = -40005, /* trailing appid is not ours */
    WX_CRYPT_ERR_ENCRYPT_AES         = -40006, /* encryption failed (RNG, OpenSSL, size) */
    WX_CRYPT_ERR_DECRYPT_AES         = -40007, /* bad ciphertext length or PKCS#7 padding */
    WX_CRYPT_ERR_ILLEGAL_BUFFER      = -40008, /* plaintext too short, length field too large */
    WX_CRYPT_ERR_ENCODE_BASE64       = -40009,
    WX_CRYPT_ERR_DECODE_BASE64       = -40010, /* Encrypt is not strict base64 */
    WX_CRYPT_ERR_GEN_RETURN_XML      = -40011  /* reply envelope cannot be built safely */
} wx_crypt_status_t;

#define WX_ERRMSG_SIZE 256

/* Error report shared by wx_crypt and wx_xml. */
typedef struct {
    wx_crypt_status_t code;
    char msg[WX_ERRMSG_SIZE];
} wx_error_t;

/* A borrowed byte string. */
typedef struct {
    const char *ptr;
    size_t len;
} wx_str_t;

/* wx_str_t from a NUL-terminated C string (NULL gives the empty string). */
wx_str_t wx_cstr(const char *s);
#define WX_STR(ptr, len) ((wx_str_t){ (ptr), (len) })

#define WX_CRYPT_KEY_CHARS    43 /* length of an EncodingAESKey */
#define WX_CRYPT_RANDOM_LEN   16 /* random prefix of every plaintext */
#define WX_CRYPT_SIG_HEX_LEN  40 /* SHA-1 as lowercase hex */
#define WX_CRYPT_PAD_BLOCK    32 /* PKCS#7 block size of the scheme (not AES's 16) */

/* Which key a decrypt used / an encrypt should use (key rotation). */
#define WX_CRYPT_KEY_CURRENT  0
#define WX_CRYPT_KEY_PREVIOUS 1

typedef struct wx_crypt_s wx_crypt_t;

/*
 * Create a context. prev_aes_key may be empty ({NULL, 0}): when given, decrypt
 * tries it after the current key fails, so pushes encrypted with the previous
 * EncodingAESKey keep working while WeChat rolls the new one out.
 * Errors: -40004 (key), -40003 (empty token), -40006 (OpenSSL setup).
 */
wx_crypt_status_t wx_crypt_new(wx_str_t token, wx_str_t aes_key, wx_str_t appid,
                               wx_str_t prev_aes_key, wx_crypt_t **out,
                               wx_error_t *err);
void wx_crypt_free(wx_crypt_t *c);

/* 1 when a previous key was configured. */
int wx_crypt_has_previous_key(const wx_crypt_t *c);

/* Check an EncodingAESKey and decode it to 32 bytes (key32 may be NULL). -40004. */
wx_crypt_status_t wx_crypt_decode_aes_key(wx_str_t aes_key, unsigned char key32[32],
                                          wx_error_t *err);

/* msg_signature: lowercase hex SHA-1 of sorted token, timestamp, nonce, encrypt. */
wx_crypt_status_t wx_crypt_signature(wx_crypt_t *c, wx_str_t timestamp, wx_str_t nonce,
                                     wx_str_t encrypt, char out[WX_CRYPT_SIG_HEX_LEN + 1],
                                     wx_error_t *err);

/* Plain-mode URL signature: SHA-1 of sorted token, timestamp, nonce. */
wx_crypt_status_t wx_crypt_url_signature(wx_crypt_t *c, wx_str_t timestamp, wx_str_t nonce,
                                         char out[WX_CRYPT_SIG_HEX_LEN + 1],
                                         wx_error_t *err);

/* Constant-time checks of a received signature: OK or -40001. */
wx_crypt_status_t wx_crypt_verify_signature(wx_crypt_t *c, wx_str_t signature,
                                            wx_str_t timestamp, wx_str_t nonce,
                                            wx_str_t encrypt, wx_error_t *err);
wx_crypt_status_t wx_crypt_verify_url(wx_crypt_t *c, wx_str_t signature,
                                      wx_str_t timestamp, wx_str_t nonce,
                                      wx_error_t *err);

/*
 * Decrypt a base64 Encrypt value and return the message (the appid checked and
 * stripped). *key_used (may be NULL) says which key worked. Does NOT check the
 * signature: use wx_crypt_decrypt_verified for anything received.
 * Errors: -40010, -40007, -40008, -40005.
 */
wx_crypt_status_t wx_crypt_decrypt(wx_crypt_t *c, wx_str_t encrypt,
                                   char **out, size_t *out_len, int *key_used,
                                   wx_error_t *err);

/* Verify msg_signature (constant time) first, then decrypt. Adds -40001. */
wx_crypt_status_t wx_crypt_decrypt_verified(wx_crypt_t *c, wx_str_t msg_signature,
                                            wx_str_t timestamp, wx_str_t nonce,
                                            wx_str_t encrypt, char **out,
                                            size_t *out_len, int *key_used,
                                            wx_error_t *err);

/*
 * Encrypt msg with key key_index (WX_CRYPT_KEY_CURRENT or _PREVIOUS) and return
 * the base64 Encrypt value. random16 fixes the 16-byte prefix (deterministic
 * tests); NULL draws it from RAND_bytes. Errors: -40006, -40004 (no such key).
 */
wx_crypt_status_t wx_crypt_encrypt(wx_crypt_t *c, wx_str_t msg,
                                   const unsigned char *random16, int key_index,
                                   char **out, size_t *out_len, wx_error_t *err);

/*
 * The reply envelope WeChat expects, exactly:
 *   <xml>\n<Encrypt><![CDATA[..]]></Encrypt>\n<MsgSignature><![CDATA[..]]></MsgSignature>\n
 *   <TimeStamp>..</TimeStamp>\n<Nonce><![CDATA[..]]></Nonce>\n</xml>
 * timestamp must be decimal digits and nonce printable ASCII without "]]>",
 * else -40011 (they are embedded in XML unescaped, as WeChat does).
 */
wx_crypt_status_t wx_crypt_encrypt_reply(wx_crypt_t *c, wx_str_t msg, wx_str_t timestamp,
                                         wx_str_t nonce, const unsigned char *random16,
                                         int key_index, char **out, size_t *out_len,
                                         wx_error_t *err);

/* Build the envelope from an already computed Encrypt value and signature. */
wx_crypt_status_t wx_crypt_build_reply(wx_str_t encrypt, const char *signature_hex,
                                       wx_str_t timestamp, wx_str_t nonce,
                                       char **out, size_t *out_len, wx_error_t *err);

/* Strict base64 (RFC 4648 alphabet, '=' padding required, no whitespace). */
wx_crypt_status_t wx_crypt_base64_decode(wx_str_t in, unsigned char **out,
                                         size_t *out_len, wx_error_t *err);
wx_crypt_status_t wx_crypt_base64_encode(const unsigned char *in, size_t in_len,
                                         char **out, size_t *out_len, wx_error_t *err);

/* Name of a status ("ValidateSignatureError", ...), for messages and tests. */
const char *wx_crypt_status_name(wx_crypt_status_t s);

/* Release a buffer returned by this module (or wx_xml). NULL is fine. */
void wx_crypt_buf_free(void *buf);

/* Fill err (when not NULL) with code and a printf-style message; returns code. */
wx_crypt_status_t wx_error_set(wx_error_t *err, wx_crypt_status_t code,
                               const char *fmt, ...)
#if defined(__GNUC__) || defined(__clang__)
    __attribute__((format(printf, 3, 4)))
#endif
    ;

#ifdef __cplusplus
}
#endif

#endif /* WX_CRYPT_H */
