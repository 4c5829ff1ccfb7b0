--TEST--
WxRedis\Cache: getMultiple/setMultiple/deleteMultiple, one round trip each, string keys kept
--SKIPIF--
<?php require __DIR__ . '/support/skipif.inc'; ?>
--FILE--
<?php
require __DIR__ . '/support/common.inc';
$c = wx_test_cache();
$rt = fn() => $c->stats()['round_trips'];
$c->get('warm-up'); // connect first, so the handshake is not counted below

$values = [];
for ($i = 0; $i < 20; $i++) $values["key$i"] = ['n' => $i];
$before = $rt();
var_dump($c->setMultiple($values, 300));
echo "setMultiple(20) round trips: ", $rt() - $before, "\n";

$before = $rt();
$got = $c->getMultiple(array_merge(array_keys($values), ['absent']), 'dflt');
echo "getMultiple(21) round trips: ", $rt() - $before, "\n";
var_dump($got instanceof Traversable, count($got));
$arr = iterator_to_array($got);
var_dump($arr['key7'], $arr['absent']);

echo "numeric-string keys stay strings\n";
$c->setMultiple(['123' => 'a', '0' => 'b']);
foreach ($c->getMultiple(['123', '0', '7']) as $k => $v) { var_dump($k, $v); }

echo "generators in, iterables out\n";
$gen = (function () { yield 'g1' => 1; yield 'g2' => 2; })();
var_dump($c->setMultiple($gen));
$keys = (function () { yield 'g1'; yield 'g2'; })();
var_dump($c->getMultiple($keys)->toArray());

echo "duplicates asked once\n";
var_dump(count($c->getMultiple(['g1', 'g1', 'g2'])));

echo "deleteMultiple\n";
$before = $rt();
var_dump($c->deleteMultiple(array_keys($values)));
echo "deleteMultiple(20) round trips: ", $rt() - $before, "\n";
var_dump($c->has('key3'), $c->deleteMultiple([]), count($c->getMultiple([])));

echo "bad iterables\n";
wx_try(fn() => $c->getMultiple('key1'));
wx_try(fn() => $c->setMultiple('key1'));
wx_try(fn() => $c->deleteMultiple(42));
--EXPECT--
bool(true)
setMultiple(20) round trips: 1
getMultiple(21) round trips: 1
bool(true)
int(21)
array(1) {
  ["n"]=>
  int(7)
}
string(4) "dflt"
numeric-string keys stay strings
string(3) "123"
string(1) "a"
string(1) "0"
string(1) "b"
string(1) "7"
NULL
generators in, iterables out
bool(true)
array(2) {
  ["g1"]=>
  int(1)
  ["g2"]=>
  int(2)
}
duplicates asked once
int(2)
deleteMultiple
bool(true)
deleteMultiple(20) round trips: 1
bool(false)
bool(true)
int(0)
bad iterables
WxRedis\InvalidArgumentException(32): keys must be an array or a Traversable, string given
WxRedis\InvalidArgumentException(32): values must be an array or a Traversable, string given
WxRedis\InvalidArgumentException(32): keys must be an array or a Traversable, int given
