--TEST--
WxRedis\MessageCrypt: the keys never leave the object (no dump, serialize, clone or compare)
--SKIPIF--
<?php if (!extension_loaded('wxredis')) die('skip wxredis extension not loaded'); ?>
--FILE--
<?php
use WxRedis\MessageCrypt;

$key = 'abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG';
$prev = 'ZYXWVUTSRQPONMLKJIHGFEDCBA9876543210zyxwvut';
$c = new MessageCrypt('s3cr3t-t0ken', $key, 'wx2c2769f8efd9abc2', $prev);

function leaks(string $s): bool {
    global $key, $prev;
    return str_contains($s, $key) || str_contains($s, $prev) || str_contains($s, 's3cr3t')
        || str_contains($s, base64_encode(base64_decode($key . '=')));
}
ob_start();
var_dump($c);
print_r($c);
echo "\n";
var_export($c);
echo "\n", json_encode($c), "\n";
$dump = ob_get_clean();
echo $dump;
var_dump(leaks($dump), (array) $c, get_object_vars($c));

foreach (['serialize' => fn() => serialize($c),
          'unserialize' => fn() => unserialize('O:20:"WxRedis\MessageCrypt":0:{}'),
          'clone' => fn() => clone $c,
          'compare' => fn() => $c == new MessageCrypt('t', $key, 'wx2c2769f8efd9abc2'),
          'dynamic property' => function () use ($c) { $c->key = 1; },
          'without constructor' => fn() => (new ReflectionClass(MessageCrypt::class))->newInstanceWithoutConstructor(),
         ] as $what => $f) {
    try {
        $r = $f();
        echo "$what: allowed (", var_export($r, true), ")\n";
    } catch (Throwable $e) {
        echo "$what: ", get_class($e), ': ', $e->getMessage(), "\n";
    }
}
var_dump($c === $c, $c == $c);

// a second __construct replaces the configuration, a failing one keeps it
$c->__construct('other', $prev, 'wxOTHER');
var_dump(MessageCrypt::parseXml($c->encrypt('x', '1', '2'))['Nonce']);
try { $c->__construct('other', 'short', 'wxOTHER'); } catch (WxRedis\CryptException $e) { echo $e->getCode(), "\n"; }
$env = MessageCrypt::parseXml($c->encrypt('still works', '1', '2'));
var_dump($c->decrypt($env['Encrypt'], $env['MsgSignature'], '1', '2'));
var_dump((new ReflectionClass(MessageCrypt::class))->isFinal());
?>
--EXPECTF--
object(WxRedis\MessageCrypt)#%d (0) {
}
WxRedis\MessageCrypt Object
(
)

\WxRedis\MessageCrypt::__set_state(array(
))
{}
bool(false)
array(0) {
}
array(0) {
}
serialize: Exception: Serialization of 'WxRedis\MessageCrypt' is not allowed
unserialize: Exception: Unserialization of 'WxRedis\MessageCrypt' is not allowed
clone: Error: Trying to clone an uncloneable object of class WxRedis\MessageCrypt
compare: allowed (false)
dynamic property: Error: Cannot create dynamic property WxRedis\MessageCrypt::$key
without constructor: ReflectionException: Class WxRedis\MessageCrypt is an internal class marked as final that cannot be instantiated without invoking its constructor
bool(true)
bool(true)
string(1) "2"
-40004
string(11) "still works"
bool(true)
