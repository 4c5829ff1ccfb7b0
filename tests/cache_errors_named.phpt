--TEST--
WxRedis\Cache: batch methods throw what their single-key twins throw; TTL range; set() refuses what get() cannot read (issue 9, item 6)
--SKIPIF--
<?php require __DIR__ . '/support/skipif.inc'; ?>
--FILE--
<?php
require __DIR__ . '/support/common.inc';
require __DIR__ . '/support/hostile.inc';

$oom = ['-' => "OOM command not allowed when used memory > 'maxmemory'."];
$h = wx_hostile_start([
    'SET' => [['value' => $oom], ['value' => ['+' => 'OK']], ['value' => $oom], ['value' => ['+' => 'OK']]],
    'MGET' => [['value' => ['-' => 'READONLY You can\'t write against a read only replica.']]],
    'DEL' => [['value' => ['-' => 'READONLY You can\'t write against a read only replica.']], ['value' => ['-' => 'READONLY x']]],
]);
$c = new WxRedis\Cache($h['dsn'], ['persistent' => false]);
echo "OOM\n";
wx_try(fn() => $c->set('a', 1));
wx_try(fn() => $c->setMultiple(['b' => 1, 'c' => 2]));
echo "READONLY\n";
wx_try(fn() => $c->getMultiple(['a', 'b']));
wx_try(fn() => $c->delete('a'));
wx_try(fn() => $c->deleteMultiple(['a', 'b']));
echo "the connection is still usable\n";
var_dump($c->setMultiple(['d' => 1]), $c->getMultiple(['d'])->toArray());
wx_hostile_stop($h);

echo "NOPERM: an ACL user without SET\n";
$raw = wx_test_raw();
$user = 'wxt_noset_' . getmypid();
$raw->cmd('ACL', 'SETUSER', $user, 'on', '>pw', '~*', '+@all', '-set');
$n = wx_test_cache(['username' => $user, 'password' => 'pw']);
wx_try(fn() => $n->set('x', 1));
wx_try(fn() => $n->setMultiple(['x' => 1, 'y' => 2]));
var_dump($n->get('x', 'nothing written'));
$raw->cmd('ACL', 'DELUSER', $user);

echo "TTLs beyond the range\n";
$g = wx_test_cache();
foreach ([1000000000000, 1000000000001, PHP_INT_MAX] as $ttl) {
    wx_try(fn() => $g->set('t', 1, $ttl));
    wx_try(fn() => $g->setMultiple(['t' => 1], $ttl));
}
wx_try(fn() => $g->set('t', 1, new DateInterval('P99999Y')));
var_dump($raw->cmd('TTL', wx_test_prefix() . 't') > 31000000000 * 30);
echo "a value deeper than get() reads is refused, and nothing is written\n";
$deep = 'leaf';
for ($i = 0; $i < 4097; $i++) $deep = [$deep];
wx_try(fn() => $g->set('deep', $deep));
wx_try(fn() => $g->setMultiple(['deep' => $deep]));
var_dump($raw->cmd('EXISTS', wx_test_prefix() . 'deep'));
$ok = 'leaf';
for ($i = 0; $i < 4096; $i++) $ok = [$ok];
var_dump($g->set('deep', $ok), $g->get('deep') === $ok, $g->delete('deep'), $g->delete('t'));
--EXPECTF--
OOM
WxRedis\CacheException(7): Redis SET failed: OOM command not allowed when used memory > 'maxmemory'.
WxRedis\CacheException(7): Redis SET failed: OOM command not allowed when used memory > 'maxmemory'.
READONLY
WxRedis\CacheException(7): Redis MGET failed: READONLY You can't write against a read only replica.
WxRedis\CacheException(7): Redis DEL failed: READONLY You can't write against a read only replica.
WxRedis\CacheException(7): Redis DEL failed: READONLY x
the connection is still usable
bool(true)
array(1) {
  ["d"]=>
  NULL
}
NOPERM: an ACL user without SET
WxRedis\CacheException(7): Redis SET failed: NOPERM %s
WxRedis\CacheException(7): Redis SET failed: NOPERM %s
string(15) "nothing written"
TTLs beyond the range
returned true
returned true
WxRedis\InvalidArgumentException(31): TTL of 1000000000001 seconds is out of range: at most 1000000000000 seconds (about 31,700 years); use null for no expiry
WxRedis\InvalidArgumentException(31): TTL of 1000000000001 seconds is out of range: at most 1000000000000 seconds (about 31,700 years); use null for no expiry
WxRedis\InvalidArgumentException(31): TTL of %d seconds is out of range: at most 1000000000000 seconds (about 31,700 years); use null for no expiry
WxRedis\InvalidArgumentException(31): TTL of %d seconds is out of range: at most 1000000000000 seconds (about 31,700 years); use null for no expiry
WxRedis\InvalidArgumentException(31): TTL of %d seconds is out of range: at most 1000000000000 seconds (about 31,700 years); use null for no expiry
bool(true)
a value deeper than get() reads is refused, and nothing is written
WxRedis\CacheException(22): value for key "deep" cannot be stored: it nests deeper than 4096 levels, which get() (unserialize_max_depth) could not read back
WxRedis\CacheException(22): value for key "%s" cannot be stored: it nests deeper than 4096 levels, which get() (unserialize_max_depth) could not read back
int(0)
bool(true)
bool(true)
bool(true)
bool(true)
