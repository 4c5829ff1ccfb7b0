--TEST--
WxRedis\Cache: clear() removes only the prefix's keys, across SCAN pages; refuses an empty prefix
--SKIPIF--
<?php require __DIR__ . '/support/skipif.inc'; ?>
--FILE--
<?php
require __DIR__ . '/support/common.inc';
$raw = wx_test_raw(3);
$dsn = '/3';
$raw->set('other:keep', 'x');
$raw->set('wx_authorizer_refresh_token', 'precious');
$a = wx_test_cache(['prefix' => 'app*[a]:'], $dsn);
$b = wx_test_cache(['prefix' => 'app?x:'], $dsn);
$values = [];
for ($i = 0; $i < 2500; $i++) $values["k$i"] = $i;
$a->setMultiple($values);
$b->set('k1', 'b');
$raw->set('appX[a]:lookalike', 'x'); // would match an unescaped glob
var_dump($raw->dbsize());
var_dump($a->clear());
var_dump($raw->dbsize(), $a->has('k1'), $b->get('k1'), $raw->get('appX[a]:lookalike'), $raw->get('wx_authorizer_refresh_token'));
var_dump($a->clear()); // nothing left: still true

$none = wx_test_cache(['prefix' => ''], $dsn);
wx_try(fn() => $none->clear());
var_dump($raw->dbsize());
$raw->flushdb();
--EXPECT--
int(2504)
bool(true)
int(4)
bool(false)
string(1) "b"
string(1) "x"
string(8) "precious"
bool(true)
WxRedis\CacheException(23): clear() refuses to run without a prefix: it would delete every key in the Redis database, not only this cache's; set the "prefix" option (e.g. "easywechat:")
int(4)
