--TEST--
WxRedis\OpenPlatform: a lock holder killed mid-refresh only delays the others until its lock expires; then exactly one more call
--SKIPIF--
<?php require __DIR__ . '/support/skipif.inc'; ?>
--INI--
pcre.jit=0
--FILE--
<?php
require __DIR__ . '/support/platform.inc';
$emu = wx_emu_start();
$cfg = ['http_timeout' => 1.5, 'lock_timeout' => 4.0];
$p = wx_platform($emu, $cfg);
wx_platform_push_ticket($emu, $p);
$raw = wx_test_raw();
$lock = wx_test_prefix() . 'wxredis.lock.component_access_token.' . WX_PLATFORM_APPID;
$path = '/cgi-bin/component/api_component_token';
$get = 'echo (new WxRedis\OpenPlatform($platformConfig, wx_test_cache()))->getComponentAccessToken();';

// the holder's WeChat call is slow, and the holder dies while it waits
wx_emu_control($emu, 'delay', ['path' => $path, 'ms' => 1000, 'times' => 1]);
$holder = wx_platform_spawn(1, $get, $emu, $cfg);
$deadline = microtime(true) + 10;
while (wx_emu_calls($emu, $path) < 1 && microtime(true) < $deadline) {
    usleep(10000);
}
proc_terminate($holder[0]['proc'], 9);
$out = wx_platform_wait($holder);
echo "holder killed, printed: ", json_encode($out[0]), "\n";
$left = $raw->pttl($lock);
echo "its lock is left behind, expiring within lock_timeout: ", var_export($left > 0 && $left <= 4000, true), "\n";

// eight processes now want the token
$outs = wx_platform_wait(wx_platform_spawn(8, $get, $emu, $cfg));
$tally = wx_platform_tally($outs);
echo count($tally), " distinct answer(s) among ", count($outs), "\n";
$token = key($tally);
var_dump(wx_emu_calls($emu, $path));                   // the killed one + exactly one more
var_dump($token === wx_emu_control($emu, 'state')['current']['component']);
$log = wx_emu_control($emu, 'log', ['path' => $path]);
// the second call came only once the dead holder's lock had expired
var_dump($log[1]['t'] - $log[0]['t'] >= 4.0 - 0.3);
var_dump($raw->exists($lock), $p->getComponentAccessToken() === $token);
wx_emu_stop($emu);
?>
--EXPECT--
holder killed, printed: ""
its lock is left behind, expiring within lock_timeout: true
1 distinct answer(s) among 8
int(2)
bool(true)
bool(true)
int(0)
bool(true)
