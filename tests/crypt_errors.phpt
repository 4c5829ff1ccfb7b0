--TEST--
WxRedis\MessageCrypt: every error code reachable through the API, with its message
--SKIPIF--
<?php if (!extension_loaded('wxredis')) die('skip wxredis extension not loaded'); ?>
--FILE--
<?php
use WxRedis\MessageCrypt;
use WxRedis\CryptException;

function t(string $what, callable $f): void {
    try {
        $r = $f();
        echo "$what: no exception (", var_export($r, true), ")\n";
    } catch (CryptException $e) {
        echo "$what: ", $e->getCode(), ' ', $e->getMessage(), "\n";
    } catch (Throwable $e) {
        echo "$what: ", get_class($e), ' ', $e->getMessage(), "\n";
    }
}

$key = 'abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG';
$appId = 'wx2c2769f8efd9abc2';
$c = new MessageCrypt('spamtest', $key, $appId);

/* Encrypt an arbitrary plaintext with the scheme's key and IV but no
 * padding of our own: the way to reach every check after AES. */
function raw(string $plain): string {
    $k = base64_decode('abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG=');
    return base64_encode(openssl_encrypt($plain, 'aes-256-cbc', $k, OPENSSL_RAW_DATA | OPENSSL_ZERO_PADDING, substr($k, 0, 16)));
}
function dec(MessageCrypt $c, string $enc): string {
    return $c->decrypt($enc, $c->signature('1', '2', $enc), '1', '2');
}
$hdr = str_repeat('R', 16);

echo "-- constants\n";
var_dump(MessageCrypt::ERROR_VALIDATE_SIGNATURE, MessageCrypt::ERROR_GEN_RETURN_XML,
         (new ReflectionClass(MessageCrypt::class))->getConstants() === array_combine(
            ['ERROR_VALIDATE_SIGNATURE', 'ERROR_PARSE_XML', 'ERROR_COMPUTE_SIGNATURE', 'ERROR_ILLEGAL_AES_KEY',
             'ERROR_VALIDATE_APPID', 'ERROR_ENCRYPT_AES', 'ERROR_DECRYPT_AES', 'ERROR_ILLEGAL_BUFFER',
             'ERROR_ENCODE_BASE64', 'ERROR_DECODE_BASE64', 'ERROR_GEN_RETURN_XML'], range(-40001, -40011, -1)));
var_dump(is_subclass_of(CryptException::class, RuntimeException::class), is_subclass_of(CryptException::class, WxRedis\Exception::class));

echo "-- -40004 IllegalAesKey\n";
t('42 characters', fn() => new MessageCrypt('t', substr($key, 0, 42), $appId));
t('44 characters', fn() => new MessageCrypt('t', $key . 'H', $appId));
t('a + in the key', fn() => new MessageCrypt('t', substr($key, 0, 42) . '+', $appId));
t('a NUL in the key', fn() => new MessageCrypt('t', substr($key, 0, 42) . "\0", $appId));
t('bad previous key', fn() => new MessageCrypt('t', $key, $appId, 'nope'));
t('empty previous key means none', fn() => (new MessageCrypt('t', $key, $appId, ''))->usedPreviousKey());

echo "-- -40003 ComputeSignatureError\n";
t('empty token', fn() => new MessageCrypt('', $key, $appId));

echo "-- -40001 ValidateSignatureError\n";
$enc = MessageCrypt::parseXml($c->encrypt('<xml/>', '1', '2', str_repeat('p', 16)))['Encrypt']; // fixed prefix: deterministic
t('wrong signature', fn() => $c->decrypt($enc, str_repeat('0', 40), '1', '2'));
t('empty signature', fn() => $c->decrypt($enc, '', '1', '2'));
t('other timestamp', fn() => $c->decrypt($enc, $c->signature('1', '2', $enc), '3', '2'));
t('upper-case hex', fn() => $c->decrypt($enc, strtoupper($c->signature('1', '2', $enc)), '1', '2'));

echo "-- -40010 DecodeBase64Error\n";
t('truncated base64', fn() => dec($c, substr($enc, 0, -1)));
t('bad character', fn() => dec($c, '*' . substr($enc, 1)));
t('whitespace', fn() => dec($c, substr($enc, 0, 4) . "\n" . substr($enc, 5)));

echo "-- -40007 DecryptAESError\n";
t('empty Encrypt', fn() => dec($c, ''));
t('not a block multiple', fn() => dec($c, base64_encode(str_repeat('x', 20))));
$valid = $hdr . pack('N', 5) . 'hello' . $appId;            // 43 bytes
t('pad byte 0', fn() => dec($c, raw($valid . str_repeat("\x15", 20) . "\0")));
t('pad value 33', fn() => dec($c, raw($valid . str_repeat(chr(33), 21))));
t('inconsistent pad', fn() => dec($c, raw($valid . str_repeat("\x15", 10) . "\x14" . str_repeat("\x15", 10))));
t('control: valid', fn() => dec($c, raw($valid . str_repeat("\x15", 21))));
t('wrong key', fn() => (new MessageCrypt('spamtest', 'ZYXWVUTSRQPONMLKJIHGFEDCBA9876543210zyxwvut', $appId))
    ->decrypt($enc, $c->signature('1', '2', $enc), '1', '2'));
$tampered = base64_encode(substr_replace(base64_decode($enc), "\x00", -5, 1));
t('tampered last block', fn() => dec($c, $tampered));

echo "-- -40008 IllegalBuffer\n";
t('length field too large', fn() => dec($c, raw($hdr . pack('N', 1000) . 'hello' . $appId . str_repeat("\x15", 21))));
t('length field 2^32-1', fn() => dec($c, raw($hdr . pack('N', 0xffffffff) . 'hello' . $appId . str_repeat("\x15", 21))));
t('shorter than the header', fn() => dec($c, raw($hdr . str_repeat("\x10", 16))));

echo "-- -40005 ValidateAppidError\n";
t('wrong appid', fn() => dec(new MessageCrypt('spamtest', $key, 'wxOTHER'), $enc));
t('binary appid', fn() => dec($c, raw($hdr . pack('N', 5) . 'hello' . "\x01\xff<>" . "\x03\x03\x03")));

echo "-- -40011 GenReturnXmlError\n";
t('timestamp not digits', fn() => $c->encrypt('<xml/>', '12:00'));
t('empty timestamp', fn() => $c->encrypt('<xml/>', ''));
t('nonce with ]]>', fn() => $c->encrypt('<xml/>', '1', ']]><x>'));
t('nonce with a newline', fn() => $c->encrypt('<xml/>', '1', "a\nb"));

echo "-- -40002 ParseXmlError\n";
t('malformed', fn() => MessageCrypt::parseXml('<xml><a></xml>'));

echo "-- argument errors are not CryptException\n";
t('random prefix of 15 bytes', fn() => $c->encrypt('<xml/>', '1', '2', str_repeat('r', 15)));
t('wrong type', fn() => $c->decrypt([], '', '', ''));

echo "-- -40006 EncryptAESError and -40009 EncodeBase64Error need OpenSSL or malloc to fail:\n";
echo "-- covered by tests/core/test_crypt.c (message over 2 GiB), not reachable here\n";
?>
--EXPECT--
-- constants
int(-40001)
int(-40011)
bool(true)
bool(true)
bool(true)
-- -40004 IllegalAesKey
42 characters: -40004 EncodingAESKey must be exactly 43 characters, got 42
44 characters: -40004 EncodingAESKey must be exactly 43 characters, got 44
a + in the key: -40004 EncodingAESKey has an invalid character 0x2b at offset 42 (only A-Z, a-z, 0-9 allowed)
a NUL in the key: -40004 EncodingAESKey has an invalid character 0x00 at offset 42 (only A-Z, a-z, 0-9 allowed)
bad previous key: -40004 previous EncodingAESKey must be exactly 43 characters, got 4
empty previous key means none: no exception (false)
-- -40003 ComputeSignatureError
empty token: -40003 token must not be empty
-- -40001 ValidateSignatureError
wrong signature: -40001 msg_signature mismatch: got '0000000000000000000000000000000000000000' (40 bytes), which is not the SHA-1 of the token, timestamp, nonce and Encrypt
empty signature: -40001 msg_signature is missing or empty
other timestamp: -40001 msg_signature mismatch: got 'ad5d7db49e4145facb8886c2f4014ac91e9f177e' (40 bytes), which is not the SHA-1 of the token, timestamp, nonce and Encrypt
upper-case hex: -40001 msg_signature mismatch: got 'AD5D7DB49E4145FACB8886C2F4014AC91E9F177E' (40 bytes), which is not the SHA-1 of the token, timestamp, nonce and Encrypt
-- -40010 DecodeBase64Error
truncated base64: -40010 Encrypt is not valid base64: length 87 is not a multiple of 4 (truncated?)
bad character: -40010 Encrypt is not valid base64: invalid character 0x2a at offset 0
whitespace: -40010 Encrypt is not valid base64: invalid character 0x0a at offset 4
-- -40007 DecryptAESError
empty Encrypt: -40007 ciphertext is 0 bytes, not a positive multiple of the 16-byte AES block
not a block multiple: -40007 ciphertext is 20 bytes, not a positive multiple of the 16-byte AES block
pad byte 0: -40007 bad PKCS#7 padding: last byte is 0, must be 1..32 (wrong EncodingAESKey or damaged ciphertext)
pad value 33: -40007 bad PKCS#7 padding: last byte is 33, must be 1..32 (wrong EncodingAESKey or damaged ciphertext)
inconsistent pad: -40007 bad PKCS#7 padding: the last 21 bytes are not all 0x15 (wrong EncodingAESKey or damaged ciphertext)
control: valid: no exception ('hello')
wrong key: -40007 bad PKCS#7 padding: last byte is 95, must be 1..32 (wrong EncodingAESKey or damaged ciphertext)
tampered last block: -40007 bad PKCS#7 padding: the last 16 bytes are not all 0x10 (wrong EncodingAESKey or damaged ciphertext)
-- -40008 IllegalBuffer
length field too large: -40008 length field says the message is 1000 bytes but only 23 bytes follow the header
length field 2^32-1: -40008 length field says the message is 4294967295 bytes but only 23 bytes follow the header
shorter than the header: -40008 decrypted payload is 16 bytes, shorter than the 20-byte header (16 random + 4 length)
-- -40005 ValidateAppidError
wrong appid: -40005 appid mismatch: expected 'wxOTHER', got 'wx2c2769f8efd9abc2'
binary appid: -40005 appid mismatch: expected 'wx2c2769f8efd9abc2', got '\x01\xff<>'
-- -40011 GenReturnXmlError
timestamp not digits: -40011 reply timestamp must be 1 to 20 decimal digits
empty timestamp: -40011 reply timestamp must be 1 to 20 decimal digits
nonce with ]]>: -40011 reply nonce must be non-empty printable ASCII without "]]>"
nonce with a newline: -40011 reply nonce must be non-empty printable ASCII without "]]>"
-- -40002 ParseXmlError
malformed: -40002 malformed XML at line 1: Opening and ending tag mismatch: a line 1 and xml
-- argument errors are not CryptException
random prefix of 15 bytes: ValueError WxRedis\MessageCrypt::encrypt(): Argument #4 ($random) must be exactly 16 bytes, 15 given
wrong type: TypeError WxRedis\MessageCrypt::decrypt(): Argument #1 ($encrypt) must be of type string, array given
-- -40006 EncryptAESError and -40009 EncodeBase64Error need OpenSSL or malloc to fail:
-- covered by tests/core/test_crypt.c (message over 2 GiB), not reachable here
