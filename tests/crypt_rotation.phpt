--TEST--
WxRedis\MessageCrypt: key rotation (previous EncodingAESKey tried second, reply with the key that worked)
--SKIPIF--
<?php if (!extension_loaded('wxredis')) die('skip wxredis extension not loaded'); ?>
--FILE--
<?php
require __DIR__ . '/support/ref_crypt.php';
use WxRedis\MessageCrypt;

$token = 'rot';
$appId = 'wxrotation0000001';
$old = 'abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG';
$new = 'ZYXWVUTSRQPONMLKJIHGFEDCBA9876543210zyxwvut';
$c = new MessageCrypt($token, $new, $appId, $old);
$refOld = new WxRefCrypt($token, $old, $appId);
$refNew = new WxRefCrypt($token, $new, $appId);

echo "-- WeChat still encrypts with the old key\n";
$p = $refOld->push('<xml><n>1</n></xml>', '1', '2');
var_dump($c->decryptMessage($p['query'], $p['body']), $c->usedPreviousKey());
$env = MessageCrypt::parseXml($c->encrypt('<xml>reply</xml>', '3', '4'));
var_dump($refOld->decrypt($env['Encrypt']));        // the reply uses the key that worked
try { $refNew->decrypt($env['Encrypt']); echo "new key decrypted it too?\n"; }
catch (RuntimeException $e) { echo "the new key cannot read it: ", $e->getCode(), "\n"; }

echo "-- WeChat switched to the new key\n";
$p = $refNew->push('<xml><n>2</n></xml>', '5', '6');
var_dump($c->decryptMessage($p['query'], $p['body']), $c->usedPreviousKey());
$env = MessageCrypt::parseXml($c->encrypt('<xml>reply</xml>', '3', '4'));
var_dump($refNew->decrypt($env['Encrypt']));

echo "-- decrypt() tracks it too; a failure changes nothing\n";
$e = $refOld->encrypt('<xml>3</xml>');
var_dump($c->decrypt($e, $refOld->signature('7', '8', $e), '7', '8'), $c->usedPreviousKey());
try { $c->decrypt('AAAA', $c->signature('7', '8', 'AAAA'), '7', '8'); } catch (WxRedis\CryptException $x) { echo $x->getCode(), "\n"; }
var_dump($c->usedPreviousKey());

echo "-- neither key: the current key's error, saying both failed\n";
$other = new WxRefCrypt($token, '0000000000111111111122222222223333333333444', $appId);
$e = $other->encrypt('<xml/>', str_repeat('r', 16));
try { $c->decrypt($e, $c->signature('1', '2', $e), '1', '2'); }
catch (WxRedis\CryptException $x) { echo $x->getCode(), ' ', $x->getMessage(), "\n"; }

echo "-- without a previous key, the old key's messages are refused\n";
$c2 = new MessageCrypt($token, $new, $appId);
$p = $refOld->push('<xml/>', '1', '2');
try { $c2->decryptMessage($p['query'], $p['body']); } catch (WxRedis\CryptException $x) { echo $x->getCode() < -40004 ? "refused\n" : "wrong code\n"; }
var_dump($c2->usedPreviousKey());
?>
--EXPECTF--
-- WeChat still encrypts with the old key
string(19) "<xml><n>1</n></xml>"
bool(true)
string(16) "<xml>reply</xml>"
the new key cannot read it: -4000%d
-- WeChat switched to the new key
string(19) "<xml><n>2</n></xml>"
bool(false)
string(16) "<xml>reply</xml>"
-- decrypt() tracks it too; a failure changes nothing
string(12) "<xml>3</xml>"
bool(true)
-40007
bool(true)
-- neither key: the current key's error, saying both failed
-40007 bad PKCS#7 padding: %s (the previous EncodingAESKey failed too)
-- without a previous key, the old key's messages are refused
refused
bool(false)
