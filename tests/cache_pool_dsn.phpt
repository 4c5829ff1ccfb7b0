--TEST--
WxRedis\Cache: a DSN constructed again finds its pooled connection by the DSN; options that shape the connection, persistent=0 and bad options still count
--SKIPIF--
<?php require __DIR__ . '/support/skipif.inc'; ?>
--FILE--
<?php
require __DIR__ . '/support/common.inc';
$dsn = wx_test_server()['dsn'];
$prefix = wx_test_prefix();
$pool = fn () => (new WxRedis\Cache($dsn))->stats()['persistent_connections'];

echo "the same DSN: one pooled connection, each object with its own prefix and decoding rules\n";
$a = new WxRedis\Cache($dsn, ['prefix' => $prefix . 'a:']);
$a->set('obj', new ArrayObject([1]));
$size = $pool();
$connects = $a->stats()['connects'];
$b = new WxRedis\Cache($dsn, ['prefix' => $prefix . 'a:', 'allowed_classes' => false]);
$c = new WxRedis\Cache($dsn, ['prefix' => $prefix . 'c:', 'legacy_formats' => true]);
var_dump(get_class($a->get('obj')), get_class($b->get('obj')), $c->get('obj'));
wx_test_raw()->set($prefix . 'c:foreign', 'plain bytes');
wx_test_raw()->set($prefix . 'a:foreign', 'plain bytes');
var_dump($c->get('foreign'));
try { $a->get('foreign'); } catch (WxRedis\CacheException $e) { echo get_class($e), '(', $e->getCode(), ")\n"; }
var_dump($pool() === $size, $a->stats()['connects'] === $connects);

echo "an option that shapes the connection is not skipped\n";
try {
    new WxRedis\Cache($dsn, ['prefix' => 'x:', 'read_timeout' => -1]);
} catch (WxRedis\InvalidArgumentException $e) {
    echo get_class($e), '(', $e->getCode(), '): ', $e->getMessage(), "\n";
}
$d = new WxRedis\Cache($dsn, ['prefix' => $prefix . 'a:', 'read_timeout' => 2.5]);
var_dump(get_class($d->get('obj')), $pool() === $size + 1);
$np = new WxRedis\Cache($dsn, ['prefix' => $prefix . 'a:', 'persistent' => false]);
var_dump(get_class($np->get('obj')), $np->stats()['connects'] === $connects + 2, $pool() === $size + 1);

echo "a bad per-object option on a known DSN throws, and the object can be constructed again\n";
final class Retry extends WxRedis\Cache {}
$r = new ReflectionClass('Retry');
$o = $r->newInstanceWithoutConstructor();
try {
    $o->__construct($dsn, ['prefix' => 42]);
} catch (WxRedis\InvalidArgumentException $e) {
    echo get_class($e), '(', $e->getCode(), '): ', $e->getMessage(), "\n";
}
try {
    $o->get('obj');
} catch (Throwable $e) {
    echo get_class($e), ': ', $e->getMessage(), "\n";
}
$o->__construct($dsn, ['prefix' => $prefix . 'a:', 'allowed_classes' => ['nothing']]);
var_dump(get_class($o->get('obj')));

echo "persistent=0 in the DSN: a connection of its own every time\n";
$sep = str_contains($dsn, '?') ? '&' : '?';
$before = (new WxRedis\Cache($dsn))->stats()['connects'];
for ($i = 0; $i < 3; $i++) {
    (new WxRedis\Cache($dsn . $sep . 'persistent=0', ['prefix' => $prefix]))->get('nothing');
}
var_dump((new WxRedis\Cache($dsn))->stats()['connects'] - $before, $pool() === $size + 1);

echo "many DSNs (databases 0..99): each still its own connection\n";
$seen = [];
for ($db = 0; $db < 100; $db++) {
    $x = new WxRedis\Cache($dsn . $sep . 'dbindex=' . ($db % 16), ['prefix' => $prefix]);
    $x->set('db', $db % 16);
    $seen[] = $x->get('db') === $db % 16;
}
var_dump(count(array_filter($seen)), wx_test_raw(15)->get($prefix . 'db') !== null);
for ($db = 0; $db < 16; $db++) wx_test_raw($db)->del($prefix . 'db');
$a->deleteMultiple(['obj']);
$c->delete('foreign');
$a->delete('foreign');
--EXPECT--
the same DSN: one pooled connection, each object with its own prefix and decoding rules
string(11) "ArrayObject"
string(22) "__PHP_Incomplete_Class"
NULL
string(11) "plain bytes"
WxRedis\CacheException(20)
bool(true)
bool(true)
an option that shapes the connection is not skipped
WxRedis\InvalidArgumentException(32): option "read_timeout" must be a number of seconds greater than 0 (at most 86400)
string(11) "ArrayObject"
bool(true)
string(11) "ArrayObject"
bool(true)
bool(true)
a bad per-object option on a known DSN throws, and the object can be constructed again
WxRedis\InvalidArgumentException(32): option "prefix" must be a string, int given
Error: Retry object is not initialized: its constructor was not called
string(22) "__PHP_Incomplete_Class"
persistent=0 in the DSN: a connection of its own every time
int(3)
bool(true)
many DSNs (databases 0..99): each still its own connection
int(100)
bool(true)
