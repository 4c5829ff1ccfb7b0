--TEST--
WxRedis\OpenPlatform: 45009 says clearQuota() can reset it; clearQuota() calls component/clear_quota/v2 with the AppSecret at most once per clear_quota_interval across processes, and says when it may go again
--SKIPIF--
<?php require __DIR__ . '/support/skipif.inc'; ?>
--INI--
pcre.jit=0
--FILE--
<?php
require __DIR__ . '/support/platform.inc';
$emu = wx_emu_start();
$p = wx_platform($emu, ['clear_quota_interval' => 2]);
$raw = wx_test_raw();
$pre = wx_test_prefix();
$path = '/cgi-bin/component/api_component_token';
$clear = '/cgi-bin/component/clear_quota/v2';
wx_platform_push_ticket($emu, $p);

echo "-- the daily quota is used up: 45009 with the hint\n";
wx_emu_control($emu, 'set_quota', ['path' => $path, 'daily_limit' => 1]);
$p->getComponentAccessToken();
$raw->del($pre . 'open_platform.component_access_token.' . WX_PLATFORM_APPID);
wx_platform_try(fn () => $p->getComponentAccessToken());
$raw->del(wx_platform_lock_key());

echo "-- clearQuota(): one reset, with the AppSecret and no token\n";
$r = $p->clearQuota();
echo json_encode([$r['cleared'], $r['next_allowed_at'] - $r['last_cleared_at']]), ' ', $r['message'], "\n";
$log = wx_emu_control($emu, 'log', ['path' => $clear]);
echo json_encode(array_keys($log[0]['body'])), ' secret ', $log[0]['body']['appsecret'] === 'emu-secret' ? 'the AppSecret' : '?', ' query ', json_encode($log[0]['query']), "\n";
echo 'token again: ', strlen($p->getComponentAccessToken()) > 0 ? 'yes' : 'no', "\n";

echo "-- again at once, from 4 processes: refused, nobody calls WeChat\n";
$qkey = $pre . 'wxredis.clear_quota.' . WX_PLATFORM_APPID;
$raw->expire($qkey, '60');   // the interval still runs however slowly the processes start (valgrind)
$outs = wx_platform_wait(wx_platform_spawn(4, '$r = (new WxRedis\OpenPlatform($platformConfig + ["clear_quota_interval" => 2], wx_test_cache()))->clearQuota();'
    . 'echo json_encode($r["cleared"]), " in ", $r["next_allowed_at"] - time() <= 60 ? "<= 60 s" : "?";', $emu));
echo json_encode(wx_platform_tally($outs)), ', resets ', wx_emu_calls($emu, $clear), "\n";
$r = $p->clearQuota();
echo wx_platform_mask(preg_replace('/\d+ s ago/', 'N s ago', preg_replace('/in \d+ s/', 'in N s', $r['message']))), "\n";

echo "-- after the interval: allowed again\n";
$raw->expire($qkey, '1');
usleep(1100000);
var_dump($p->clearQuota()['cleared'], wx_emu_calls($emu, $clear));

echo "-- WeChat refuses (48006: this month's resets used up): ApiException, the interval stands\n";
usleep(2100000);
wx_emu_control($emu, 'fail', ['path' => $clear, 'errcode' => 48006]);
wx_platform_try(fn () => $p->clearQuota());
var_dump($raw->exists($qkey));    // the interval stands
echo "-- a wrong secret (40125): ApiException, nothing reset, a later call may try\n";
usleep(2100000);
$bad = wx_platform($emu, ['clear_quota_interval' => 2, 'secret' => 'wrong']);
wx_platform_try(fn () => $bad->clearQuota());
var_dump($raw->exists($pre . 'wxredis.clear_quota.' . WX_PLATFORM_APPID));
echo "-- config\n";
wx_platform_try(fn () => wx_platform($emu, ['clear_quota_interval' => 0]));
wx_platform_try(fn () => wx_platform($emu, ['clear_quota_interval' => 86400 * 40]));
wx_emu_stop($emu);
?>
--EXPECT--
-- the daily quota is used up: 45009 with the hint
WxRedis\ApiException(45009): WeChat api_component_token failed: errcode 45009, errmsg "reach max api daily quota limit rid: {rid}". Hint: this API's daily quota is used up; it resets at midnight Beijing time. Refreshes here are single-flight, so look for other programs refreshing tokens of the same app id. OpenPlatform::clearQuota() resets the platform's quota now (component/clear_quota/v2, a few times a month; at most once per clear_quota_interval across the fleet)
-- clearQuota(): one reset, with the AppSecret and no token
[true,2] cleared: the daily API quota of "wx0000000000component" starts from zero again (component/clear_quota/v2); the next reset is allowed in 2 s (clear_quota_interval)
["component_appid","appsecret"] secret the AppSecret query []
token again: yes
-- again at once, from 4 processes: refused, nobody calls WeChat
{"false in <= 60 s":4}, resets 1
not cleared: the quota of "wx0000000000component" was last reset N s ago, and clear_quota_interval (2 s) allows the next reset in N s (key "{prefix}wxredis.clear_quota.wx0000000000component"; WeChat allows a few resets a month)
-- after the interval: allowed again
bool(true)
int(2)
-- WeChat refuses (48006: this month's resets used up): ApiException, the interval stands
WxRedis\ApiException(48006): WeChat clear_quota/v2 failed: errcode 48006, errmsg "forbid to clear quota because of reaching the limit rid: {rid}"; this month's quota resets are used up
int(1)
-- a wrong secret (40125): ApiException, nothing reset, a later call may try
WxRedis\ApiException(40125): WeChat clear_quota/v2 failed: errcode 40125, errmsg "invalid appsecret rid: {rid}". Hint: config "secret" is not the platform's AppSecret (was it reset on open.weixin.qq.com?); nothing was reset
int(0)
-- config
WxRedis\InvalidArgumentException(32): config "clear_quota_interval" must be at least 1 and at most 2.6784e+6 seconds, 0 given
WxRedis\InvalidArgumentException(32): config "clear_quota_interval" must be at least 1 and at most 2.6784e+6 seconds, 3.456e+6 given
