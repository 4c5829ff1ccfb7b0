--TEST--
WxRedis\Cache: read_timeout bounds the whole call; clear() stops on a SCAN cursor that never returns to 0 (issue 9, item 5)
--SKIPIF--
<?php require __DIR__ . '/support/skipif.inc'; ?>
--FILE--
<?php
require __DIR__ . '/support/common.inc';
require __DIR__ . '/support/hostile.inc';

echo "a reply dripping one byte every 0.4 s: every read meets read_timeout, the call does not\n";
$h = wx_hostile_start(['GET' => [['value' => serialize('a ticket of some length'), 'drip' => 0.4]]]);
$c = new WxRedis\Cache($h['dsn'], ['read_timeout' => 1.0, 'persistent' => false]);
$t = microtime(true);
wx_try(fn() => $c->get('k'));
$took = microtime(true) - $t;
printf("took at least read_timeout: %s, under 3 s: %s\n", var_export($took >= 0.9, true), var_export($took < 3.0, true));
echo "the next call works\n";
var_dump($c->get('k', 'default'));

echo "an endless SCAN cursor\n";
// a cursor that moves but never comes back to 0 (17, 18, ... 40, then 17 again)
wx_hostile_script($h, ['SCAN' => array_merge(...array_fill(0, 20, array_map(fn($i) => ['value' => [(string) $i, ['p:a']]], range(17, 40))))]);
$p = new WxRedis\Cache($h['dsn'], ['prefix' => 'p:', 'persistent' => false]);
$t = microtime(true);
wx_try(fn() => $p->clear());
printf("stopped under 5 s: %s\n", var_export(microtime(true) - $t < 5.0, true));
$scans = count(wx_hostile_commands($h, 'SCAN'));
printf("SCAN rounds: %d\n", $scans);

echo "a cursor that does not advance, DBSIZE denied by ACL: stopped at once\n";
wx_hostile_script($h, ['SCAN' => ['value' => ['17', []]], 'DBSIZE' => ['value' => ['-' => 'NOPERM this user has no permissions to run the \'dbsize\' command']]]);
wx_try(fn() => $p->clear());
echo "a SCAN reply of the wrong shape\n";
wx_hostile_script($h, ['SCAN' => ['value' => [17, 'x']]]);
wx_try(fn() => $p->clear());
wx_hostile_stop($h);

echo "clear() on a real server still clears everything under the prefix\n";
$g = wx_test_cache();
$g->setMultiple(array_fill_keys(array_map(fn($i) => "k$i", range(1, 2500)), 1));
var_dump($g->clear(), wx_test_raw()->cmd('KEYS', wx_test_prefix() . '*'));
--EXPECTF--
a reply dripping one byte every 0.4 s: every read meets read_timeout, the call does not
WxRedis\CacheException(5): %s
took at least read_timeout: true, under 3 s: true
the next call works
string(7) "default"
an endless SCAN cursor
WxRedis\CacheException(6): clear() stopped: the SCAN cursor did not return to 0 within 16 rounds (DBSIZE 0); the server's cursor misbehaves, some keys under the prefix may remain
stopped under 5 s: true
SCAN rounds: 16
a cursor that does not advance, DBSIZE denied by ACL: stopped at once
WxRedis\CacheException(6): clear() stopped: SCAN answered cursor 17 to cursor 17 (it must advance); the server's cursor misbehaves, some keys under the prefix may remain
a SCAN reply of the wrong shape
WxRedis\CacheException(6): %s
clear() on a real server still clears everything under the prefix
bool(true)
array(0) {
}
