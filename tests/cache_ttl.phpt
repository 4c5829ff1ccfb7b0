--TEST--
WxRedis\Cache: TTL as null, int seconds or DateInterval; 0 or negative removes; invalid TTLs refused
--SKIPIF--
<?php require __DIR__ . '/support/skipif.inc'; ?>
--FILE--
<?php
require __DIR__ . '/support/common.inc';
$c = wx_test_cache();
$raw = wx_test_raw();
$p = wx_test_prefix();

$c->set('forever', 'v');
var_dump($raw->ttl($p . 'forever'));             // -1: no expiry
$c->set('int', 'v', 6000);
var_dump($raw->ttl($p . 'int'));
$c->set('interval', 'v', new DateInterval('PT1H30M'));
var_dump($raw->ttl($p . 'interval'));
$c->set('days', 'v', new DateInterval('P2D'));
var_dump($raw->ttl($p . 'days'));
$c->setMultiple(['m1' => 1, 'm2' => 2], 100);
var_dump($raw->ttl($p . 'm1'), $raw->ttl($p . 'm2'));

echo "zero and negative remove the key\n";
$c->set('gone', 'v');
var_dump($c->set('gone', 'new', 0), $c->has('gone'));
$c->set('gone', 'v');
var_dump($c->set('gone', 'new', -5), $c->has('gone'));
$c->set('gone', 'v');
$neg = new DateInterval('PT10S'); $neg->invert = 1;
var_dump($c->set('gone', 'new', $neg), $c->has('gone'));
$c->setMultiple(['m1' => 1, 'm2' => 2], 0);
var_dump($c->has('m1'), $c->has('m2'));

echo "expiry happens\n";
$c->set('short', 'v', 1);
usleep(2100000);
var_dump($c->get('short', 'expired'));

echo "invalid TTLs\n";
foreach (['', true, false, 'abc', 2.5, ' 1', '12foo', '025', '60', new stdClass, ['array']] as $ttl) {
    wx_try(fn() => $c->set('bad', 'v', $ttl));
    wx_try(fn() => $c->setMultiple(['bad' => 'v'], $ttl));
}
var_dump($c->has('bad'));
--EXPECT--
int(-1)
int(6000)
int(5400)
int(172800)
int(100)
int(100)
zero and negative remove the key
bool(true)
bool(false)
bool(true)
bool(false)
bool(true)
bool(false)
bool(false)
bool(false)
expiry happens
string(7) "expired"
invalid TTLs
WxRedis\InvalidArgumentException(31): TTL must be null, an int (seconds) or a DateInterval, string given
WxRedis\InvalidArgumentException(31): TTL must be null, an int (seconds) or a DateInterval, string given
WxRedis\InvalidArgumentException(31): TTL must be null, an int (seconds) or a DateInterval, bool given
WxRedis\InvalidArgumentException(31): TTL must be null, an int (seconds) or a DateInterval, bool given
WxRedis\InvalidArgumentException(31): TTL must be null, an int (seconds) or a DateInterval, bool given
WxRedis\InvalidArgumentException(31): TTL must be null, an int (seconds) or a DateInterval, bool given
WxRedis\InvalidArgumentException(31): TTL must be null, an int (seconds) or a DateInterval, string given
WxRedis\InvalidArgumentException(31): TTL must be null, an int (seconds) or a DateInterval, string given
WxRedis\InvalidArgumentException(31): TTL must be null, an int (seconds) or a DateInterval, float given
WxRedis\InvalidArgumentException(31): TTL must be null, an int (seconds) or a DateInterval, float given
WxRedis\InvalidArgumentException(31): TTL must be null, an int (seconds) or a DateInterval, string given
WxRedis\InvalidArgumentException(31): TTL must be null, an int (seconds) or a DateInterval, string given
WxRedis\InvalidArgumentException(31): TTL must be null, an int (seconds) or a DateInterval, string given
WxRedis\InvalidArgumentException(31): TTL must be null, an int (seconds) or a DateInterval, string given
WxRedis\InvalidArgumentException(31): TTL must be null, an int (seconds) or a DateInterval, string given
WxRedis\InvalidArgumentException(31): TTL must be null, an int (seconds) or a DateInterval, string given
WxRedis\InvalidArgumentException(31): TTL must be null, an int (seconds) or a DateInterval, string given
WxRedis\InvalidArgumentException(31): TTL must be null, an int (seconds) or a DateInterval, string given
WxRedis\InvalidArgumentException(31): TTL must be null, an int (seconds) or a DateInterval, stdClass given
WxRedis\InvalidArgumentException(31): TTL must be null, an int (seconds) or a DateInterval, stdClass given
WxRedis\InvalidArgumentException(31): TTL must be null, an int (seconds) or a DateInterval, array given
WxRedis\InvalidArgumentException(31): TTL must be null, an int (seconds) or a DateInterval, array given
bool(false)
