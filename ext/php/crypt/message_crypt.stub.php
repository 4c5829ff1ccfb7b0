<?php

/** @generate-class-entries */

namespace WxRedis;

/**
 * WeChat message encryption (the WXBizMsgCrypt scheme) and hardened parsing
 * of WeChat XML, in C on OpenSSL and libxml2.
 *
 * Every failure throws WxRedis\CryptException whose code is the official
 * WXBizMsgCrypt code (the ERROR_* constants) and whose message says what was
 * wrong. Signatures are compared in constant time. The AES keys and the token
 * are never exposed: the object has no properties, cannot be cloned and cannot
 * be serialized.
 *
 * Key rotation: with $previousAesKey, a message the current EncodingAESKey
 * cannot decrypt is tried with the previous one; the key that worked is
 * remembered and encrypt() uses it for the reply.
 *
 * @not-serializable
 * @strict-properties
 */
final class MessageCrypt
{
    /**
     * @var int
     * @cvalue WX_CRYPT_ERR_VALIDATE_SIGNATURE
     */
    public const ERROR_VALIDATE_SIGNATURE = UNKNOWN;
    /**
     * @var int
     * @cvalue WX_CRYPT_ERR_PARSE_XML
     */
    public const ERROR_PARSE_XML = UNKNOWN;
    /**
     * @var int
     * @cvalue WX_CRYPT_ERR_COMPUTE_SIGNATURE
     */
    public const ERROR_COMPUTE_SIGNATURE = UNKNOWN;
    /**
     * @var int
     * @cvalue WX_CRYPT_ERR_ILLEGAL_AES_KEY
     */
    public const ERROR_ILLEGAL_AES_KEY = UNKNOWN;
    /**
     * @var int
     * @cvalue WX_CRYPT_ERR_VALIDATE_APPID
     */
    public const ERROR_VALIDATE_APPID = UNKNOWN;
    /**
     * @var int
     * @cvalue WX_CRYPT_ERR_ENCRYPT_AES
     */
    public const ERROR_ENCRYPT_AES = UNKNOWN;
    /**
     * @var int
     * @cvalue WX_CRYPT_ERR_DECRYPT_AES
     */
    public const ERROR_DECRYPT_AES = UNKNOWN;
    /**
     * @var int
     * @cvalue WX_CRYPT_ERR_ILLEGAL_BUFFER
     */
    public const ERROR_ILLEGAL_BUFFER = UNKNOWN;
    /**
     * @var int
     * @cvalue WX_CRYPT_ERR_ENCODE_BASE64
     */
    public const ERROR_ENCODE_BASE64 = UNKNOWN;
    /**
     * @var int
     * @cvalue WX_CRYPT_ERR_DECODE_BASE64
     */
    public const ERROR_DECODE_BASE64 = UNKNOWN;
    /**
     * @var int
     * @cvalue WX_CRYPT_ERR_GEN_RETURN_XML
     */
    public const ERROR_GEN_RETURN_XML = UNKNOWN;

    /** Throws CryptException -40004 for a malformed key, -40003 for an empty token. */
    public function __construct(string $token, string $encodingAesKey, string $appId, ?string $previousAesKey = null) {}

    /**
     * Verify and decrypt a push as received: $query is $_GET (msg_signature,
     * timestamp, nonce), $body the raw POST body; only its Encrypt element is
     * read. Returns the decrypted XML.
     */
    public function decryptMessage(array $query, string $body): string {}

    /** Verify $msgSignature, then decrypt $encrypt; returns the plaintext. */
    public function decrypt(string $encrypt, string $msgSignature, string $timestamp, string $nonce): string {}

    /**
     * Encrypt a reply and return the envelope XML WeChat expects. $timestamp
     * defaults to now, $nonce to a random number, $random (exactly 16 bytes,
     * for deterministic tests) to 16 bytes from OpenSSL's CSPRNG.
     */
    public function encrypt(string $plaintextXml, ?string $timestamp = null, ?string $nonce = null, ?string $random = null): string {}

    /** msg_signature of an Encrypt value: SHA-1 of the sorted token, timestamp, nonce, encrypt. */
    public function signature(string $timestamp, string $nonce, string $encrypt): string {}

    /** Plain-mode URL check: SHA-1 of the sorted token, timestamp, nonce, compared in constant time. */
    public function verifyUrl(string $signature, string $timestamp, string $nonce): bool {}

    /** Whether the last successful decrypt needed the previous EncodingAESKey. */
    public function usedPreviousKey(): bool {}

    /**
     * The children of the root element as an array of strings, nested
     * elements as nested arrays, repeated elements as lists. Hardened: no
     * DOCTYPE (so no entities but the five built-in ones), no network, 4 MiB
     * and 32 levels at most. Throws CryptException -40002 on anything else.
     *
     * @return array<string, string|array>
     */
    public static function parseXml(string $xml): array {}
}
