--TEST--
WxRedis\MessageCrypt: signature(), verifyUrl() and encrypt() defaults
--SKIPIF--
<?php if (!extension_loaded('wxredis')) die('skip wxredis extension not loaded'); ?>
--FILE--
<?php
use WxRedis\MessageCrypt;

$c = new MessageCrypt('spamtest', 'abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG', 'wx2c2769f8efd9abc2');
$sha = function (string ...$p): string {      // the scheme, written out in PHP
    sort($p, SORT_STRING);
    return sha1(implode('', $p));
};

echo "-- signature(): SHA-1 of the byte-sorted strings, lower-case hex\n";
var_dump($c->signature('1409735669', '1320562132', 'abc'));
var_dump($c->signature('1409735669', '1320562132', 'abc') === $sha('spamtest', '1409735669', '1320562132', 'abc'));
var_dump($c->signature('ab', 'abcd', 'b') === $sha('spamtest', 'ab', 'abcd', 'b'));        // prefixes first
var_dump($c->signature("1\0", '', "\0\xff") === $sha('spamtest', "1\0", '', "\0\xff"));   // binary safe
var_dump($c->signature('1', '2', '3') === $c->signature('3', '2', '1'));                   // order-free

echo "-- verifyUrl(): plain mode, token + timestamp + nonce\n";
$good = $sha('spamtest', '1409735669', '1320562132');
var_dump($good, $c->verifyUrl($good, '1409735669', '1320562132'));
var_dump($c->verifyUrl(strtoupper($good), '1409735669', '1320562132'));
var_dump($c->verifyUrl(substr($good, 0, 39), '1409735669', '1320562132'));
var_dump($c->verifyUrl($good . '0', '1409735669', '1320562132'));
var_dump($c->verifyUrl('', '1409735669', '1320562132'));
var_dump($c->verifyUrl($good, '1409735670', '1320562132'));
var_dump($c->verifyUrl($c->signature('1409735669', '1320562132', ''), '1409735669', '1320562132')); // an empty Encrypt adds nothing
$other = new MessageCrypt('othertoken', 'abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG', 'wx2c2769f8efd9abc2');
var_dump($other->verifyUrl($good, '1409735669', '1320562132'));

echo "-- encrypt() defaults: timestamp now, a 10-digit nonce, a fresh random prefix\n";
$t0 = time();
$a = MessageCrypt::parseXml($c->encrypt('<xml>same</xml>'));
$b = MessageCrypt::parseXml($c->encrypt('<xml>same</xml>', null, null, null));
var_dump(array_keys($a));
var_dump(abs((int) $a['TimeStamp'] - $t0) <= 2, (bool) preg_match('/^[1-9][0-9]{9}$/', $a['Nonce']));
var_dump($a['Nonce'] !== $b['Nonce'] || $a['Encrypt'] !== $b['Encrypt'], $a['Encrypt'] !== $b['Encrypt']);
var_dump($a['MsgSignature'] === $c->signature($a['TimeStamp'], $a['Nonce'], $a['Encrypt']));
var_dump($c->decrypt($a['Encrypt'], $a['MsgSignature'], $a['TimeStamp'], $a['Nonce']));
$fixed1 = $c->encrypt('<xml>same</xml>', '1', '2', str_repeat("\0", 16));
$fixed2 = $c->encrypt('<xml>same</xml>', '1', '2', str_repeat("\0", 16));
var_dump($fixed1 === $fixed2);
echo $fixed1, "\n";
?>
--EXPECTF--
-- signature(): SHA-1 of the byte-sorted strings, lower-case hex
string(40) "%x"
bool(true)
bool(true)
bool(true)
bool(true)
-- verifyUrl(): plain mode, token + timestamp + nonce
string(40) "16120ec1b8dbb870f510d87ce6bc2463eae6ca1a"
bool(true)
bool(false)
bool(false)
bool(false)
bool(false)
bool(false)
bool(true)
bool(false)
-- encrypt() defaults: timestamp now, a 10-digit nonce, a fresh random prefix
array(4) {
  [0]=>
  string(7) "Encrypt"
  [1]=>
  string(12) "MsgSignature"
  [2]=>
  string(9) "TimeStamp"
  [3]=>
  string(5) "Nonce"
}
bool(true)
bool(true)
bool(true)
bool(true)
bool(true)
string(15) "<xml>same</xml>"
bool(true)
<xml>
<Encrypt><![CDATA[%s]]></Encrypt>
<MsgSignature><![CDATA[%x]]></MsgSignature>
<TimeStamp>1</TimeStamp>
<Nonce><![CDATA[2]]></Nonce>
</xml>
