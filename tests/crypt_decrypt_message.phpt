--TEST--
WxRedis\MessageCrypt::decryptMessage(): system pushes, account messages, and every way a request can be wrong
--SKIPIF--
<?php if (!extension_loaded('wxredis')) die('skip wxredis extension not loaded'); ?>
--FILE--
<?php
require __DIR__ . '/support/ref_crypt.php';
use WxRedis\MessageCrypt;

function t(string $what, callable $f): void {
    try {
        $r = $f();
        echo "$what: ", is_string($r) ? $r : var_export($r, true), "\n";
    } catch (WxRedis\CryptException $e) {
        echo "$what: ", $e->getCode(), ' ', $e->getMessage(), "\n";
    }
}

$token = 'tok3n';
$key = 'jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C';
$appId = 'wx5823bf96d3bd56c7';
$c = new MessageCrypt($token, $key, $appId);
$ref = new WxRefCrypt($token, $key, $appId);

echo "-- a component_verify_ticket push: AppId + Encrypt, no ToUserName\n";
$ticket = '<xml><AppId><![CDATA[wx5823bf96d3bd56c7]]></AppId><CreateTime>1413192605</CreateTime>'
        . '<InfoType><![CDATA[component_verify_ticket]]></InfoType>'
        . '<ComponentVerifyTicket><![CDATA[ticket@@@xyz]]></ComponentVerifyTicket></xml>';
$push = $ref->push($ticket, '1413192605', '1234567890');
var_dump(str_contains($push['body'], 'ToUserName'));
t('ticket', fn() => MessageCrypt::parseXml($c->decryptMessage($push['query'], $push['body']))['ComponentVerifyTicket']);

echo "-- an account message: ToUserName + Encrypt, extra query parameters ignored\n";
$enc = $ref->encrypt('<xml><Content>hi</Content></xml>');
$body = "<xml>\n  <ToUserName><![CDATA[gh_abc]]></ToUserName>\n  <Encrypt><![CDATA[$enc]]></Encrypt>\n</xml>";
$q = ['signature' => 'ignored', 'timestamp' => '1700000000', 'nonce' => '42', 'openid' => 'o123',
      'encrypt_type' => 'aes', 'msg_signature' => $ref->signature('1700000000', '42', $enc)];
t('message', fn() => $c->decryptMessage($q, $body));
t('integer timestamp and nonce', fn() => $c->decryptMessage(['timestamp' => 1700000000, 'nonce' => 42] + $q, $body));
t('references are followed', function () use ($c, $q, $body) { $ts = '1700000000'; $q['timestamp'] = &$ts; return $c->decryptMessage($q, $body); });

echo "-- -40001: the query string\n";
foreach (['msg_signature', 'timestamp', 'nonce'] as $name) {
    $bad = $q;
    unset($bad[$name]);
    t("no $name", fn() => $c->decryptMessage($bad, $body));
}
t('null msg_signature', fn() => $c->decryptMessage(['msg_signature' => null] + $q, $body));
t('msg_signature[]=x', fn() => $c->decryptMessage(['msg_signature' => ['x']] + $q, $body));
t('wrong msg_signature', fn() => $c->decryptMessage(['msg_signature' => str_repeat('a', 40)] + $q, $body));
t('other nonce', fn() => $c->decryptMessage(['nonce' => '43'] + $q, $body));
t('empty query ($_GET of a plain-mode request)', fn() => $c->decryptMessage([], $body));

echo "-- -40002: the body\n";
t('empty body', fn() => $c->decryptMessage($q, ''));
t('not XML', fn() => $c->decryptMessage($q, 'success'));
t('truncated XML', fn() => $c->decryptMessage($q, substr($body, 0, 60)));
t('no Encrypt', fn() => $c->decryptMessage($q, '<xml><ToUserName>gh</ToUserName><encrypt>x</encrypt></xml>'));
t('Encrypt nested deeper', fn() => $c->decryptMessage($q, "<xml><a><Encrypt>$enc</Encrypt></a></xml>"));
t('DOCTYPE', fn() => $c->decryptMessage($q, "<!DOCTYPE xml [<!ENTITY e \"$enc\">]><xml><Encrypt>&e;</Encrypt></xml>"));
t('XXE', fn() => $c->decryptMessage($q, '<!DOCTYPE xml [<!ENTITY e SYSTEM "file:///etc/hostname">]><xml><Encrypt>&e;</Encrypt></xml>'));

echo "-- the order of checks: signature before decryption\n";
$damaged = str_replace($enc, substr($enc, 0, -4), $body);
t('damaged Encrypt, old signature', fn() => $c->decryptMessage($q, $damaged));
t('damaged Encrypt, its own signature', fn() => $c->decryptMessage(
    ['msg_signature' => $ref->signature('1700000000', '42', substr($enc, 0, -4))] + $q, $damaged));
?>
--EXPECTF--
-- a component_verify_ticket push: AppId + Encrypt, no ToUserName
bool(false)
ticket: ticket@@@xyz
-- an account message: ToUserName + Encrypt, extra query parameters ignored
message: <xml><Content>hi</Content></xml>
integer timestamp and nonce: <xml><Content>hi</Content></xml>
references are followed: <xml><Content>hi</Content></xml>
-- -40001: the query string
no msg_signature: -40001 the query string has no msg_signature parameter (is this an encrypted push?)
no timestamp: -40001 the query string has no timestamp parameter (is this an encrypted push?)
no nonce: -40001 the query string has no nonce parameter (is this an encrypted push?)
null msg_signature: -40001 the query string has no msg_signature parameter (is this an encrypted push?)
msg_signature[]=x: -40001 query parameter msg_signature must be a string, array given
wrong msg_signature: -40001 msg_signature mismatch: got 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa' (40 bytes), which is not the SHA-1 of the token, timestamp, nonce and Encrypt
other nonce: -40001 msg_signature mismatch: got '%x' (40 bytes), which is not the SHA-1 of the token, timestamp, nonce and Encrypt
empty query ($_GET of a plain-mode request): -40001 the query string has no msg_signature parameter (is this an encrypted push?)
-- -40002: the body
empty body: -40002 callback body: the envelope is empty (at byte 0)
not XML: -40002 callback body: the envelope has text outside its fields (at byte 0)
truncated XML: -40002 callback body: the envelope ends early (truncated?) (at byte 60)
no Encrypt: -40002 callback body: the envelope has an element other than ToUserName, AppId, Encrypt and AgentID (at byte 33)
Encrypt nested deeper: -40002 callback body: the envelope has an element other than ToUserName, AppId, Encrypt and AgentID (at byte 6)
DOCTYPE: -40002 callback body: the envelope has a comment, processing instruction or DOCTYPE (at byte 0)
XXE: -40002 callback body: the envelope has a comment, processing instruction or DOCTYPE (at byte 0)
-- the order of checks: signature before decryption
damaged Encrypt, old signature: -40001 msg_signature mismatch: got '%x' (40 bytes), which is not the SHA-1 of the token, timestamp, nonce and Encrypt
damaged Encrypt, its own signature: -40007 ciphertext is %d bytes, not a positive multiple of the 16-byte AES block
