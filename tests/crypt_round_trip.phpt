--TEST--
WxRedis\MessageCrypt: round trip of every length 0..2048 with multi-byte UTF-8
--SKIPIF--
<?php if (!extension_loaded('wxredis')) die('skip wxredis extension not loaded'); ?>
--FILE--
<?php
use WxRedis\MessageCrypt;

$c = new MessageCrypt('round-trip', 'ZYXWVUTSRQPONMLKJIHGFEDCBA9876543210zyxwvut', 'wx0123456789abcdef');
$chars = ['a', 'é', '中', '😀', '<', '&', ']]>', "\0"];
$bad = [];
$cipherLengths = [];
for ($len = 0; $len <= 2048; $len++) {
    $msg = '';
    for ($i = 0; strlen($msg) < $len; $i++) {
        $ch = $chars[($len + $i) % count($chars)];
        $msg .= strlen($msg) + strlen($ch) <= $len ? $ch : 'x';
    }
    $reply = $c->encrypt($msg, '1700000000', 'n' . $len);
    $env = MessageCrypt::parseXml($reply);
    $out = $c->decrypt($env['Encrypt'], $env['MsgSignature'], $env['TimeStamp'], $env['Nonce']);
    if ($out !== $msg) {
        $bad[] = $len;
    }
    // PKCS#7 with a 32-byte block: 16 + 4 + len + 18 (appid) rounded up, a full block when aligned
    $ct = strlen(base64_decode($env['Encrypt']));
    if ($ct !== intdiv(16 + 4 + $len + 18, 32) * 32 + 32) {
        $bad[] = "ct:$len";
    }
}
echo count($bad) ? 'failed: ' . implode(',', array_slice($bad, 0, 10)) : 'all 2049 lengths round-trip', "\n";

// the push path too: a body as WeChat POSTs it, every 97 bytes
$fails = 0;
for ($len = 0; $len <= 2048; $len += 97) {
    $msg = str_repeat('中', intdiv($len, 3)) . str_repeat('a', $len % 3);
    $env = MessageCrypt::parseXml($c->encrypt($msg, '1', '2'));
    $body = "<xml><AppId><![CDATA[wx0123456789abcdef]]></AppId><Encrypt><![CDATA[{$env['Encrypt']}]]></Encrypt></xml>";
    $q = ['timestamp' => '1', 'nonce' => '2', 'msg_signature' => $env['MsgSignature'], 'encrypt_type' => 'aes'];
    $fails += $c->decryptMessage($q, $body) === $msg ? 0 : 1;
}
echo "decryptMessage failures: $fails\n";
?>
--EXPECT--
all 2049 lengths round-trip
decryptMessage failures: 0
