--TEST--
WxRedis\Cache: Redis stopped mid-test gives a CacheException now, and the same object works after restart
--SKIPIF--
<?php require __DIR__ . '/support/skipif.inc'; ?>
--FILE--
<?php
require __DIR__ . '/support/common.inc';
$r = wx_redis_start();
foreach (['persistent' => true, 'non-persistent' => false] as $label => $persistent) {
    echo "-- $label\n";
    $c = new WxRedis\Cache($r['dsn'], ['prefix' => 'down:', 'persistent' => $persistent, 'connect_timeout' => 0.5]);
    var_dump($c->set('k', 'before'));
    wx_redis_stop($r, true);
    wx_try(fn() => $c->get('k'));
    wx_try(fn() => $c->set('k', 'during'));
    $r = wx_redis_restart($r + ['args' => []]);
    var_dump($c->get('k', 'lost with the restart'));  // nothing persisted
    var_dump($c->set('k', 'after'), $c->get('k'));
}
$s = $c->stats();
var_dump($s['reconnects'] >= 2, $s['connection_errors'] >= 4, $s['errors'] >= 4);

echo "-- restart between two calls is invisible\n";
$c = new WxRedis\Cache($r['dsn'], ['prefix' => 'down:']);
$c->set('x', 1);
$r = wx_redis_restart($r);
var_dump($c->set('x', 2), $c->get('x'));
wx_redis_stop($r);
--EXPECTF--
-- persistent
bool(true)
WxRedis\CacheException(2): cannot connect to Redis at 127.0.0.1:%d: Connection refused
WxRedis\CacheException(2): cannot connect to Redis at 127.0.0.1:%d: Connection refused
string(21) "lost with the restart"
bool(true)
string(5) "after"
-- non-persistent
bool(true)
WxRedis\CacheException(2): cannot connect to Redis at 127.0.0.1:%d: Connection refused
WxRedis\CacheException(2): cannot connect to Redis at 127.0.0.1:%d: Connection refused
string(21) "lost with the restart"
bool(true)
string(5) "after"
bool(true)
bool(true)
bool(true)
-- restart between two calls is invisible
bool(true)
int(2)
