<?php
/*
 * WxRefCrypt: a short, independent PHP reference of the WXBizMsgCrypt scheme.
 *
 * It exists so the C implementation (WxRedis\MessageCrypt) can be checked
 * against a second implementation, and so the WeChat emulator can produce
 * encrypted pushes. It follows the structure of EasyWeChat's Encryptor:
 * ext/openssl with OPENSSL_RAW_DATA|OPENSSL_ZERO_PADDING (no OpenSSL padding),
 * PKCS#7 with a 32-byte block done by hand, SimpleXML for parsing.
 * It deliberately shares no code with the extension.
 *
 * Scheme (../../../shared/reference/wechat-open-platform.md):
 *   key       = base64_decode(EncodingAESKey . "="), 32 bytes, IV = key[0..16)
 *   plaintext = random(16) . pack("N", strlen(msg)) . msg . appid, PKCS#7/32
 *   Encrypt   = base64(AES-256-CBC(plaintext))
 *   signature = sha1(join(sort([token, timestamp, nonce, Encrypt], SORT_STRING)))
 *
 * Errors are RuntimeException with the official WXBizMsgCrypt code.
 */

final class WxRefCrypt
{
    private string $token;
    private string $key;
    private string $appId;
    /** The Encrypt value of the last envelope(), for query(). */
    public ?string $lastEncrypt = null;

    public function __construct(string $token, string $aesKey, string $appId)
    {
        if (!preg_match('/\A[A-Za-z0-9]{43}\z/', $aesKey)) {
            throw new RuntimeException('EncodingAESKey must be 43 characters [A-Za-z0-9]', -40004);
        }
        $key = base64_decode($aesKey . '=', true);
        if ($key === false || strlen($key) !== 32) {
            throw new RuntimeException('EncodingAESKey does not decode to 32 bytes', -40004);
        }
        $this->token = $token;
        $this->key = $key;
        $this->appId = $appId;
    }

    /** Returns the base64 Encrypt value. $random16 fixes the random prefix (tests). */
    public function encrypt(string $xml, ?string $random16 = null): string
    {
        $random16 ??= random_bytes(16);
        if (strlen($random16) !== 16) {
            throw new InvalidArgumentException('random prefix must be 16 bytes');
        }
        $plain = $random16 . pack('N', strlen($xml)) . $xml . $this->appId;
        $pad = 32 - (strlen($plain) % 32);            // 1..32, a full block when aligned
        $plain .= str_repeat(chr($pad), $pad);
        $cipher = openssl_encrypt($plain, 'aes-256-cbc', $this->key,
            OPENSSL_RAW_DATA | OPENSSL_ZERO_PADDING, substr($this->key, 0, 16));
        if ($cipher === false) {
            throw new RuntimeException('openssl_encrypt failed', -40006);
        }
        return base64_encode($cipher);
    }

    /** Decrypts a base64 Encrypt value and returns the message (appid checked). */
    public function decrypt(string $encrypt): string
    {
        $cipher = base64_decode($encrypt, true);
        if ($cipher === false) {
            throw new RuntimeException('Encrypt is not valid base64', -40010);
        }
        $plain = openssl_decrypt($cipher, 'aes-256-cbc', $this->key,
            OPENSSL_RAW_DATA | OPENSSL_ZERO_PADDING, substr($this->key, 0, 16));
        if ($plain === false || $plain === '') {
            throw new RuntimeException('AES decryption failed', -40007);
        }
        $pad = ord($plain[strlen($plain) - 1]);
        if ($pad < 1 || $pad > 32 || $pad > strlen($plain)
            || substr($plain, -$pad) !== str_repeat(chr($pad), $pad)) {
            throw new RuntimeException('bad PKCS#7 padding', -40007);
        }
        $plain = substr($plain, 0, -$pad);
        if (strlen($plain) < 20) {
            throw new RuntimeException('plaintext too short', -40008);
        }
        $len = unpack('N', substr($plain, 16, 4))[1];
        if ($len > strlen($plain) - 20) {
            throw new RuntimeException('length field larger than the message', -40008);
        }
        $msg = substr($plain, 20, $len);
        $appId = substr($plain, 20 + $len);
        if ($appId !== $this->appId) {
            throw new RuntimeException("appid mismatch: expected '{$this->appId}', got '$appId'", -40005);
        }
        return $msg;
    }

    public function signature(string $timestamp, string $nonce, string $encrypt): string
    {
        $parts = [$this->token, $timestamp, $nonce, $encrypt];
        sort($parts, SORT_STRING);
        return sha1(implode('', $parts));
    }

    /** The XML body WeChat POSTs for a system push: AppId + Encrypt, no ToUserName. */
    public function envelope(string $xml, string $timestamp, string $nonce, ?string $random16 = null): string
    {
        $this->lastEncrypt = $this->encrypt($xml, $random16);
        return "<xml>\n<AppId><![CDATA[{$this->appId}]]></AppId>\n"
            . "<Encrypt><![CDATA[{$this->lastEncrypt}]]></Encrypt>\n</xml>";
    }

    /**
     * The query string WeChat sends with a push ($_GET). $encrypt defaults to
     * the one produced by the last envelope() call.
     */
    public function query(string $timestamp, string $nonce, ?string $encrypt = null): array
    {
        $encrypt ??= $this->lastEncrypt;
        if ($encrypt === null) {
            throw new LogicException('query() needs an Encrypt value or a previous envelope()');
        }
        $plainSig = [$this->token, $timestamp, $nonce];
        sort($plainSig, SORT_STRING);
        return [
            'signature' => sha1(implode('', $plainSig)),
            'timestamp' => $timestamp,
            'nonce' => $nonce,
            'encrypt_type' => 'aes',
            'msg_signature' => $this->signature($timestamp, $nonce, $encrypt),
        ];
    }

    /** Both halves of a push at once: ['query' => array, 'body' => string]. */
    public function push(string $xml, ?string $timestamp = null, ?string $nonce = null): array
    {
        $timestamp ??= (string) time();
        $nonce ??= (string) random_int(100000000, 999999999);
        $body = $this->envelope($xml, $timestamp, $nonce);
        return ['query' => $this->query($timestamp, $nonce), 'body' => $body];
    }

    /** What a PHP callback does today: verify, read Encrypt, decrypt (EasyWeChat style). */
    public function decryptMessage(array $query, string $body): string
    {
        $xml = simplexml_load_string($body, 'SimpleXMLElement', LIBXML_NOCDATA | LIBXML_NONET);
        if ($xml === false || !isset($xml->Encrypt)) {
            throw new RuntimeException('body has no Encrypt', -40002);
        }
        $encrypt = (string) $xml->Encrypt;
        $sig = $this->signature((string) ($query['timestamp'] ?? ''), (string) ($query['nonce'] ?? ''), $encrypt);
        if (!hash_equals($sig, (string) ($query['msg_signature'] ?? ''))) {
            throw new RuntimeException('signature mismatch', -40001);
        }
        return $this->decrypt($encrypt);
    }

    /** SimpleXML to array: element text, nested arrays for nested elements. */
    public static function parse(string $xml): array
    {
        $root = simplexml_load_string($xml, 'SimpleXMLElement', LIBXML_NOCDATA | LIBXML_NONET);
        if ($root === false) {
            throw new RuntimeException('malformed XML', -40002);
        }
        return self::toArray($root);
    }

    private static function toArray(SimpleXMLElement $node): array
    {
        $out = [];
        foreach ($node->children() as $name => $child) {
            $out[$name] = $child->count() > 0 ? self::toArray($child) : (string) $child;
        }
        return $out;
    }
}
