/*
 * libFuzzer harness for the decrypt path of ext/core/wx_crypt.
 *
 * The first input byte picks a mode, so one harness reaches every layer:
 *   0: the rest is an Encrypt value as received (base64 text) -> base64,
 *      block-length and padding checks;
 *   1: the rest is a raw plaintext (zero-filled to a block) that we AES-
 *      encrypt ourselves, so the fuzzer controls the decrypted bytes
 *      directly -> padding, length field and appid checks;
 *   2: the rest is a message: encrypt (fixed prefix), then decrypt, which
 *      must give it back exactly; also through the reply envelope;
 *   3: the rest is split into key / token / timestamp / nonce / signature
 *      -> key validation, signature computation and comparison.
 * Every call runs against a context with a previous key (rotation path).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>

#include "wx_crypt.h"

static const char key_cur[] = "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG";
static const char key_prev[] = "ZYXWVUTSRQPONMLKJIHGFEDCBA9876543210zyxwvut";
static const char appid[] = "wx2c2769f8efd9abc2";

static wx_crypt_t *ctx;
static unsigned char raw_key[32];

static void check_failure(wx_crypt_status_t st, char *out, size_t out_len, const wx_error_t *err)
{
    /* an error leaves no output and always says something */
    if (out != NULL || out_len != 0 || err->code != st || err->msg[0] == '\0') {
        abort();
    }
}

static void decrypt_b64(const char *b64, size_t len)
{
    char *out = NULL;
    size_t out_len = 0;
    int used = -7;
    wx_error_t err;
    wx_crypt_status_t st = wx_crypt_decrypt(ctx, WX_STR(b64, len), &out, &out_len, &used, &err);

    if (st == WX_CRYPT_OK) {
        if (out == NULL || out[out_len] != '\0' || (used != 0 && used != 1)) {
            abort();
        }
    } else {
        check_failure(st, out, out_len, &err);
        if (used != -1) {
            abort();
        }
    }
    wx_crypt_buf_free(out);
}

static void mode_raw_plaintext(const uint8_t *p, size_t n)
{
    size_t padded = (n + 15) / 16 * 16;
    unsigned char *plain, *ct;
    char *b64 = NULL;
    size_t b64_len = 0;
    int outl = 0;
    EVP_CIPHER_CTX *c;

    if (padded == 0 || padded > 1 << 16) {
        return;
    }
    plain = calloc(1, padded);
    ct = malloc(padded + 16);
    memcpy(plain, p, n);
    c = EVP_CIPHER_CTX_new();
    EVP_EncryptInit_ex(c, EVP_aes_256_cbc(), NULL, raw_key, raw_key);
    EVP_CIPHER_CTX_set_padding(c, 0);
    if (EVP_EncryptUpdate(c, ct, &outl, plain, (int)padded) != 1 || (size_t)outl != padded) {
        abort();
    }
    EVP_CIPHER_CTX_free(c);
    if (wx_crypt_base64_encode(ct, padded, &b64, &b64_len, NULL) != WX_CRYPT_OK) {
        abort();
    }
    decrypt_b64(b64, b64_len);
    wx_crypt_buf_free(b64);
    free(plain);
    free(ct);
}

static void mode_round_trip(const uint8_t *p, size_t n)
{
    static const unsigned char prefix[16] = "0123456789abcdef";
    char *enc = NULL, *out = NULL, *reply = NULL;
    size_t enc_len = 0, out_len = 0, reply_len = 0;
    int used = -1;
    int key_index = n > 0 ? (p[0] & 1) : 0;

    if (wx_crypt_encrypt(ctx, WX_STR((const char *)p, n), prefix, key_index, &enc, &enc_len, NULL)
            != WX_CRYPT_OK) {
        abort();
    }
    if (wx_crypt_decrypt(ctx, WX_STR(enc, enc_len), &out, &out_len, &used, NULL) != WX_CRYPT_OK
            || out_len != n || (n > 0 && memcmp(out, p, n) != 0) || used != key_index) {
        abort();
    }
    if (wx_crypt_encrypt_reply(ctx, WX_STR((const char *)p, n), WX_STR("1409735669", 10),
                               WX_STR("1320562132", 10), NULL, 0, &reply, &reply_len, NULL)
            != WX_CRYPT_OK) {
        abort();
    }
    wx_crypt_buf_free(enc);
    wx_crypt_buf_free(out);
    wx_crypt_buf_free(reply);
}

/* Split at 0xff bytes into up to 5 fields. */
static void mode_fields(const uint8_t *p, size_t n)
{
    wx_str_t f[5] = { { "", 0 }, { "", 0 }, { "", 0 }, { "", 0 }, { "", 0 } };
    size_t i, start = 0;
    int k = 0;
    wx_crypt_t *c = NULL;
    wx_error_t err;
    char sig[41], *out = NULL;
    size_t out_len = 0;
    wx_crypt_status_t st;

    for (i = 0; i <= n && k < 5; i++) {
        if (i == n || p[i] == 0xff) {
            f[k].ptr = (const char *)p + start;
            f[k].len = i - start;
            k++;
            start = i + 1;
        }
    }
    st = wx_crypt_new(f[1], f[0], WX_STR(appid, sizeof(appid) - 1), f[4], &c, &err);
    if (st != WX_CRYPT_OK) {
        if (c != NULL || err.code != st || err.msg[0] == '\0') {
            abort();
        }
        c = ctx;
    }
    if (wx_crypt_signature(c, f[2], f[3], f[4], sig, NULL) != WX_CRYPT_OK || strlen(sig) != 40) {
        abort();
    }
    /* the computed signature must verify, the fuzzed one almost never */
    if (wx_crypt_verify_signature(c, WX_STR(sig, 40), f[2], f[3], f[4], NULL) != WX_CRYPT_OK) {
        abort();
    }
    wx_crypt_verify_url(c, f[4], f[2], f[3], NULL);
    st = wx_crypt_decrypt_verified(c, f[4], f[2], f[3], f[1], &out, &out_len, NULL, &err);
    if (st != WX_CRYPT_OK) {
        check_failure(st, out, out_len, &err);
    }
    wx_crypt_buf_free(out);
    out = NULL;
    st = wx_crypt_build_reply(f[1], sig, f[2], f[3], &out, &out_len, &err);
    if (st != WX_CRYPT_OK) {
        check_failure(st, out, out_len, &err);
    }
    wx_crypt_buf_free(out);
    if (c != ctx) {
        wx_crypt_free(c);
    }
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc; (void)argv;
    if (wx_crypt_new(WX_STR("spamtest", 8), WX_STR(key_cur, 43), WX_STR(appid, sizeof(appid) - 1),
                     WX_STR(key_prev, 43), &ctx, NULL) != WX_CRYPT_OK
            || wx_crypt_decode_aes_key(WX_STR(key_cur, 43), raw_key, NULL) != WX_CRYPT_OK) {
        abort();
    }
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size == 0) {
        return 0;
    }
    switch (data[0] & 3) {
    case 0: decrypt_b64((const char *)data + 1, size - 1); break;
    case 1: mode_raw_plaintext(data + 1, size - 1); break;
    case 2: mode_round_trip(data + 1, size - 1); break;
    case 3: mode_fields(data + 1, size - 1); break;
    }
    return 0;
}
