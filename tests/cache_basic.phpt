--TEST--
WxRedis\Cache: get/set/has/delete with PSR-16 semantics
--SKIPIF--
<?php require __DIR__ . '/support/skipif.inc'; ?>
--FILE--
<?php
require __DIR__ . '/support/common.inc';
$c = wx_test_cache();
echo "miss\n";
var_dump($c->get('missing'), $c->get('missing', 'dflt'), $c->has('missing'));
echo "string\n";
var_dump($c->set('k', 'v'), $c->get('k'), $c->has('k'));
echo "false is a value, not a miss\n";
var_dump($c->set('f', false), $c->get('f', 'dflt'), $c->has('f'));
echo "null is a value, not a miss\n";
var_dump($c->set('n', null), $c->get('n', 'dflt'), $c->has('n'));
echo "delete\n";
var_dump($c->delete('k'), $c->has('k'), $c->get('k', 'gone'), $c->delete('never-existed'));
echo "overwrite\n";
$c->set('k', 1);
$c->set('k', 2);
var_dump($c->get('k'));
--EXPECT--
miss
NULL
string(4) "dflt"
bool(false)
string
bool(true)
string(1) "v"
bool(true)
false is a value, not a miss
bool(true)
bool(false)
bool(true)
null is a value, not a miss
bool(true)
NULL
bool(true)
delete
bool(true)
bool(false)
string(4) "gone"
bool(true)
overwrite
int(2)
