--TEST--
WxRedis\CacheItems: foreach with its own position (nested, repeated, yield from), Iterator methods, count, toArray
--SKIPIF--
<?php require __DIR__ . '/support/skipif.inc'; ?>
--FILE--
<?php
require __DIR__ . '/support/common.inc';
$c = wx_test_cache();
$c->setMultiple(['123' => 1, 'a' => [2], 'b' => 3]);
$r = $c->getMultiple(['123', 'a', 'zz'], 'D');
echo "nested loops each see every item\n";
foreach ($r as $k => $v) { echo var_export($k, true), ':'; foreach ($r as $k2 => $v2) echo " $k2"; echo "\n"; }
echo "yield from keeps string keys\n";
$g = (function () use ($r) { yield from $r; })();
foreach ($g as $k => $v) var_dump($k);
echo "the Iterator methods have their own position\n";
$r->rewind(); $r->next();
var_dump($r->valid(), $r->key(), $r->current());
foreach ($r as $k => $v) {}
var_dump($r->key());
$r->next(); $r->next();
var_dump($r->valid(), $r->current());
wx_try(fn() => $r->key());
echo "count, toArray, by-reference, no direct construction\n";
var_dump(count($r), $r->toArray());
wx_try(function () use ($r) { foreach ($r as &$v) {} });
wx_try(fn() => new WxRedis\CacheItems());
--EXPECT--
nested loops each see every item
'123': 123 a zz
'a': 123 a zz
'zz': 123 a zz
yield from keeps string keys
string(3) "123"
string(1) "a"
string(2) "zz"
the Iterator methods have their own position
bool(true)
string(1) "a"
array(1) {
  [0]=>
  int(2)
}
string(1) "a"
bool(false)
NULL
Error(0): CacheItems::key() called past the end
count, toArray, by-reference, no direct construction
int(3)
array(3) {
  [123]=>
  int(1)
  ["a"]=>
  array(1) {
    [0]=>
    int(2)
  }
  ["zz"]=>
  string(1) "D"
}
Error(0): An iterator cannot be used with foreach by reference
Error(0): Call to private WxRedis\CacheItems::__construct() from global scope
