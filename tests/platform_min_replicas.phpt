--TEST--
WxRedis\OpenPlatform: min_replicas: a refresh token too few replicas acknowledged is CacheException ERROR_REPLICAS within min_replicas_timeout, and the authorized push is not answered "success"
--SKIPIF--
<?php require __DIR__ . '/support/skipif.inc'; ?>
--FILE--
<?php
require __DIR__ . '/support/platform.inc';
// The test Redis has no replica: every WAIT 1 answers 0.
$emu = wx_emu_start();
$cache = wx_test_cache();
$raw = wx_test_raw();
$rkey = fn (string $a) => 'wxredis:authorizer_refresh_token:' . WX_PLATFORM_APPID . ":$a";

echo "-- config\n";
wx_try(fn() => wx_platform($emu, ['min_replicas' => -1], $cache));
wx_try(fn() => wx_platform($emu, ['min_replicas' => '1'], $cache));
wx_try(fn() => wx_platform($emu, ['min_replicas' => 17], $cache));
wx_try(fn() => wx_platform($emu, ['min_replicas' => 1, 'min_replicas_timeout' => 0], $cache));
// each of the two WAITs gets half; the cache's read_timeout (1 s) must outlast one
wx_try(fn() => wx_platform($emu, ['min_replicas' => 1, 'min_replicas_timeout' => 2.5], $cache));

echo "-- min_replicas 0 (the default): no WAIT\n";
$p0 = wx_platform($emu, [], $cache);
$p0->setAuthorizerRefreshToken('wxa1', 'refreshtoken@@@one');
var_dump($p0->getAuthorizerRefreshToken('wxa1'));

echo "-- min_replicas 1 without replicas: throws within the configured time\n";
$p = wx_platform($emu, ['min_replicas' => 1, 'min_replicas_timeout' => 0.4], $cache);
$t = microtime(true);
try {
    $p->setAuthorizerRefreshToken('wxa2', 'refreshtoken@@@two');
    echo "stored?!\n";
} catch (WxRedis\CacheException $e) {
    $dt = microtime(true) - $t;
    printf("%s(%d) %s\n", get_class($e), $e->getCode(), $e->getCode() === WxRedis\Cache::ERROR_REPLICAS ? 'ERROR_REPLICAS' : '?');
    echo preg_replace('/[\d.]+s \(/', 'Ns (', $e->getMessage()), "\n";
    var_dump($dt >= 0.35, $dt < 0.4 + 0.6);   // two WAITs of 0.2 s, plus a reconnect
}
echo "-- the authorized push: the exception reaches the caller (WeChat pushes again)\n";
wx_platform_push_ticket($emu, $p0);
$push = wx_emu_control($emu, 'authorize', ['authorizer_appid' => 'wxa3']);
wx_try(fn() => $p->handleCallback($push['query'], $push['body']));
echo "-- and the cache works after\n";
var_dump($cache->set('after', 1), $cache->get('after'));
$raw->del($rkey('wxa1'), $rkey('wxa2'), $rkey('wxa3'));
wx_emu_stop($emu);
--EXPECT--
-- config
WxRedis\InvalidArgumentException(32): config "min_replicas" must be an int from 0 to 16, -1 given
WxRedis\InvalidArgumentException(32): config "min_replicas" must be an int from 0 to 16, string given
WxRedis\InvalidArgumentException(32): config "min_replicas" must be an int from 0 to 16, 17 given
WxRedis\InvalidArgumentException(32): config "min_replicas_timeout" must be greater than 0 and at most 600 seconds, 0 given
WxRedis\InvalidArgumentException(32): config "min_replicas_timeout" (2.5 s) must be under twice the cache's read_timeout (1 s): each of its two WAITs blocks the connection for half of it
-- min_replicas 0 (the default): no WAIT
string(18) "refreshtoken@@@one"
-- min_replicas 1 without replicas: throws within the configured time
WxRedis\CacheException(24) ERROR_REPLICAS
the refresh token of authorizer "wxa2" was written but only 0 of the 1 replicas min_replicas asks for acknowledged it within min_replicas_timeout Ns (twice, the master found again in between): it is not counted as stored, since a failover now could lose it
bool(true)
bool(true)
-- the authorized push: the exception reaches the caller (WeChat pushes again)
WxRedis\CacheException(24): the refresh token of authorizer "wxa3" was written but only 0 of the 1 replicas min_replicas asks for acknowledged it within min_replicas_timeout 0.4s (twice, the master found again in between): it is not counted as stored, since a failover now could lose it
-- and the cache works after
bool(true)
int(1)
