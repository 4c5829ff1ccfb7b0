--TEST--
WxRedis\Cache without any psr/simple-cache: a plain class, exceptions still WxRedis\Exception; with one: the interface
--SKIPIF--
<?php require __DIR__ . '/support/skipif.inc'; ?>
--FILE--
<?php
require __DIR__ . '/support/common.inc';
echo "before first use nothing is declared\n";
var_dump(class_exists('WxRedis\Cache', false), class_exists('WxRedis\CacheBase', false));
$c = wx_test_cache();
var_dump(get_class($c), get_parent_class($c), class_implements($c));
var_dump(interface_exists('Psr\SimpleCache\CacheInterface', false));
try { $c->get(''); } catch (WxRedis\Exception $e) {
    $i = class_implements($e); ksort($i);
    var_dump(get_class($e), $e instanceof InvalidArgumentException, $i);
}
var_dump(get_parent_class('WxRedis\CacheException'));
echo "a user class may extend it\n";
class MyCache extends WxRedis\Cache {}
$m = new MyCache(wx_test_server()['dsn'], ['prefix' => wx_test_prefix()]);
var_dump($m->set('k', 'mine'), $m->get('k'));
echo "not serializable, not clonable\n";
wx_try(fn() => serialize($c));
wx_try(fn() => clone $c);
echo "values that cannot be serialized\n";
wx_try(fn() => $c->set('fn', function () {}));
try { $c->set('fn', fn() => 1); } catch (WxRedis\CacheException $e) { var_dump($e->getMessage()); }
var_dump($c->has('fn'));
--EXPECT--
before first use nothing is declared
bool(false)
bool(true)
string(13) "WxRedis\Cache"
string(17) "WxRedis\CacheBase"
array(0) {
}
bool(false)
string(32) "WxRedis\InvalidArgumentException"
bool(true)
array(3) {
  ["Stringable"]=>
  string(10) "Stringable"
  ["Throwable"]=>
  string(9) "Throwable"
  ["WxRedis\Exception"]=>
  string(17) "WxRedis\Exception"
}
string(16) "RuntimeException"
a user class may extend it
bool(true)
string(4) "mine"
not serializable, not clonable
Exception(0): Serialization of 'WxRedis\Cache' is not allowed
Error(0): Trying to clone an uncloneable object of class WxRedis\Cache
values that cannot be serialized
WxRedis\CacheException(22): value for key "fn" cannot be stored: Serialization of 'Closure' is not allowed
string(78) "value for key "fn" cannot be stored: Serialization of 'Closure' is not allowed"
bool(false)
