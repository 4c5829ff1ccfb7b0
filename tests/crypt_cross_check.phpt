--TEST--
WxRedis\MessageCrypt: cross-check against the PHP reference (ext/openssl), both directions
--SKIPIF--
<?php if (!extension_loaded('wxredis')) die('skip wxredis extension not loaded'); ?>
--FILE--
<?php
require __DIR__ . '/support/ref_crypt.php';
use WxRedis\MessageCrypt;

mt_srand(20260101);
$alphabet = ['a', 'Z', '0', ' ', '<', '>', '&', "\n", 'é', '中', '文', '😀', "\0", "\xff"];
$fails = 0;
$n = 400;
for ($i = 0; $i < $n; $i++) {
    // a fresh configuration every 50 messages: key, token, appid
    if ($i % 50 === 0) {
        $chars = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
        $key = '';
        for ($k = 0; $k < 43; $k++) $key .= $chars[mt_rand(0, 61)];
        $token = 'tok' . mt_rand();
        $appId = 'wx' . bin2hex(random_bytes(8));
        $ext = new MessageCrypt($token, $key, $appId);
        $ref = new WxRefCrypt($token, $key, $appId);
    }
    $len = $i < 100 ? $i : mt_rand(0, 3000);
    $msg = '';
    while (strlen($msg) < $len) $msg .= $alphabet[mt_rand(0, count($alphabet) - 1)];
    $ts = (string) mt_rand(1, 2000000000);
    $nonce = (string) mt_rand(1, PHP_INT_MAX);
    $prefix = random_bytes(16);

    // ext encrypts, the reference decrypts
    $env = MessageCrypt::parseXml($ext->encrypt($msg, $ts, $nonce));
    $ok = $ref->signature($ts, $nonce, $env['Encrypt']) === $env['MsgSignature']
        && $ref->decrypt($env['Encrypt']) === $msg
        && $env['TimeStamp'] === $ts && $env['Nonce'] === $nonce;
    // the reference encrypts (a whole push), ext decrypts
    $push = $ref->push($msg, $ts, $nonce);
    $ok = $ok && $ext->decryptMessage($push['query'], $push['body']) === $msg;
    $ok = $ok && $ext->decrypt($ref->lastEncrypt, $push['query']['msg_signature'], $ts, $nonce) === $msg;
    // with the same random prefix both produce the same bytes
    $mine = MessageCrypt::parseXml($ext->encrypt($msg, $ts, $nonce, $prefix))['Encrypt'];
    $ok = $ok && $mine === $ref->encrypt($msg, $prefix);
    // signatures of arbitrary strings agree
    $ok = $ok && $ext->signature($ts, $msg, $nonce) === $ref->signature($ts, $msg, $nonce);
    // the URL check agrees with the reference's plain signature
    $ok = $ok && $ext->verifyUrl($push['query']['signature'], $ts, $nonce)
        && !$ext->verifyUrl(strrev($push['query']['signature']), $ts, $nonce);
    if (!$ok) {
        $fails++;
        echo "mismatch at $i (length $len)\n";
    }
}
echo "$n messages, $fails mismatches\n";

// and parseXml agrees with the reference's SimpleXML walk on WeChat shapes
$docs = [
    '<xml><AppId><![CDATA[wx1]]></AppId><CreateTime>1413192605</CreateTime><InfoType><![CDATA[component_verify_ticket]]></InfoType><ComponentVerifyTicket><![CDATA[ticket@@@x]]></ComponentVerifyTicket></xml>',
    '<xml><AppId>wx1</AppId><InfoType>notify_third_fasteregister</InfoType><appid>wx2</appid><status>0</status><info><name><![CDATA[名]]></name><code>1</code></info></xml>',
    "<xml>\n <ToUserName>gh</ToUserName>\n <Content>a &lt; b &amp;&amp; c</Content>\n</xml>",
];
foreach ($docs as $d) {
    var_dump(MessageCrypt::parseXml($d) === WxRefCrypt::parse($d));
}
?>
--EXPECT--
400 messages, 0 mismatches
bool(true)
bool(true)
bool(true)
