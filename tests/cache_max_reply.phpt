--TEST--
WxRedis\Cache: max_reply_bytes is checked from the reply header, before buffering (issue 9, item 4)
--SKIPIF--
<?php require __DIR__ . '/support/skipif.inc'; ?>
--INI--
memory_limit=128M
--FILE--
<?php
require __DIR__ . '/support/common.inc';
require __DIR__ . '/support/hostile.inc';
function rss_kb(string $field): int {
    preg_match("/^$field:\s+(\d+) kB/m", file_get_contents('/proc/self/status'), $m);
    return (int) $m[1];
}
$hwm0 = rss_kb('VmHWM');
$h = wx_hostile_start([
    // a huge header, then bytes forever: the client must not wait for them
    'GET' => [['reply' => "\$999999999999\r\n", 'trickle' => ['bytes' => str_repeat('x', 65536), 'every' => 0.01, 'count' => -1]],
              ['reply' => "*999999999999\r\n"],
              ['value' => str_repeat('a', 5000)],
              ['value' => serialize(str_repeat('b', 4000))]],
]);
$c = new WxRedis\Cache($h['dsn'], ['read_timeout' => 5.0, 'persistent' => false]);
$t = microtime(true);
wx_try(fn() => $c->get('k'));
printf("fails fast: %s\n", var_export(microtime(true) - $t < 1.0, true));
wx_try(fn() => $c->get('k'));
printf("peak PHP memory under 8 MB: %s\n", var_export(memory_get_peak_usage(true) < 8 << 20, true));
printf("peak RSS grew under 32 MB: %s\n", var_export(rss_kb('VmHWM') - $hwm0 < 32 * 1024, true));

echo "a smaller limit\n";
$s = new WxRedis\Cache($h['dsn'], ['max_reply_bytes' => 4096, 'persistent' => false]);
wx_try(fn() => $s->get('k'));
var_dump(strlen($s->get('k')));
wx_hostile_stop($h);

echo "bad values\n";
foreach ([0, 1023, -1, '1024', 1.5e9] as $v) {
    wx_try(fn() => new WxRedis\Cache('redis://127.0.0.1:1', ['max_reply_bytes' => $v]));
}
echo "a normal server with the default limit\n";
$g = wx_test_cache(['max_reply_bytes' => 1 << 20]);
var_dump($g->set('big', str_repeat('z', 100000)), strlen($g->get('big')), $g->delete('big'));
wx_try(function () use ($g) { $g->set('big', str_repeat('z', 2 << 20)); return $g->get('big'); });
var_dump($g->delete('big'), $g->get('big', 'gone'));
--EXPECTF--
WxRedis\CacheException(6): %s999999999999%s
fails fast: true
WxRedis\CacheException(6): %s999999999999%s
peak PHP memory under 8 MB: true
peak RSS grew under 32 MB: true
a smaller limit
WxRedis\CacheException(6): %s4096%s
int(4000)
bad values
WxRedis\InvalidArgumentException(32): option "max_reply_bytes" must be an int >= 1024 (bytes of one reply; default 536870912)
WxRedis\InvalidArgumentException(32): option "max_reply_bytes" must be an int >= 1024 (bytes of one reply; default 536870912)
WxRedis\InvalidArgumentException(32): option "max_reply_bytes" must be an int >= 1024 (bytes of one reply; default 536870912)
WxRedis\InvalidArgumentException(32): option "max_reply_bytes" must be an int >= 1024 (bytes of one reply; default 536870912)
WxRedis\InvalidArgumentException(32): option "max_reply_bytes" must be an int >= 1024 (bytes of one reply; default 536870912)
a normal server with the default limit
bool(true)
int(100000)
bool(true)
WxRedis\CacheException(6): %s1048576%s
bool(true)
string(4) "gone"
