--TEST--
WxRedis\OpenPlatform: lost refresh tokens come back from WeChat: one authorizer on ERROR_NO_REFRESH_TOKEN or 61023 (single flight), all with recoverRefreshTokens() (list pages, absent refresh_token fields, compare-and-set keeps a newer one)
--SKIPIF--
<?php require __DIR__ . '/support/skipif.inc'; ?>
--INI--
pcre.jit=0
--FILE--
<?php
require __DIR__ . '/support/platform.inc';
$emu = wx_emu_start();
$p = wx_platform($emu);
$raw = wx_test_raw();
$pre = wx_test_prefix();
$rkey = fn (string $a) => 'wxredis:authorizer_refresh_token:' . WX_PLATFORM_APPID . ":$a";
$missing = $pre . 'wxredis.refresh_missing.' . WX_PLATFORM_APPID;
$calls = fn (string $api) => wx_emu_calls($emu, "/cgi-bin/component/$api");
$current = fn (string $a) => wx_emu_control($emu, 'authorizers', ['appid' => $a])['list'][0]['refresh_token'];
wx_platform_push_ticket($emu, $p);
$made = wx_emu_control($emu, 'create_authorizers', ['count' => 1100, 'prefix' => 'wxrcv', 'return' => false]);
$ids = array_map(fn ($i) => sprintf('wxrcv%013d', $i), range(0, 1099));
// refresh tokens live outside the prefix: none left from an earlier run
foreach (array_chunk($ids, 500) as $chunk) $raw->del(...array_map($rkey, $chunk));

echo "-- none stored: getAuthorizerAccessToken() asks api_get_authorizer_info once, across 8 processes\n";
wx_emu_control($emu, 'delay', ['path' => '/cgi-bin/component/api_get_authorizer_info', 'ms' => 300, 'times' => 1]);
$outs = wx_platform_wait(wx_platform_spawn(8,
    'echo strlen((new WxRedis\OpenPlatform($platformConfig, wx_test_cache()))->getAuthorizerAccessToken("wxrcv0000000000000")) > 0 ? "token" : "?";', $emu));
echo json_encode(wx_platform_tally($outs)), ', info calls ', $calls('api_get_authorizer_info'), ', refreshes ', $calls('api_authorizer_token'), "\n";
var_dump($p->getAuthorizerRefreshToken('wxrcv0000000000000') === $current('wxrcv0000000000000'), $raw->ttl($rkey('wxrcv0000000000000')));

echo "-- 61023: the stored one is stale; WeChat's current one is stored (compare-and-set) and used\n";
$p->setAuthorizerRefreshToken('wxrcv0000000000001', 'refreshtoken@@@stale');
$t = $p->getAuthorizerAccessToken('wxrcv0000000000001');
var_dump($p->getAuthorizerRefreshToken('wxrcv0000000000001') === $current('wxrcv0000000000001'));
$log = wx_emu_control($emu, 'log', ['path' => '/cgi-bin/component/api_authorizer_token', 'limit' => 2]);
echo json_encode(array_map(fn ($e) => $e['result'], $log)), ', info calls ', $calls('api_get_authorizer_info'), "\n";

echo "-- 61023 and WeChat gives the same one back: the 61023 with its hint, kept, marked missing\n";
$p->setAuthorizerRefreshToken('wxrcv0000000000002', $current('wxrcv0000000000002'));
wx_emu_control($emu, 'fail', ['path' => '/cgi-bin/component/api_authorizer_token', 'errcode' => 61023]);
wx_platform_try(fn () => $p->getAuthorizerAccessToken('wxrcv0000000000002'));
var_dump($p->getAuthorizerRefreshToken('wxrcv0000000000002') === $current('wxrcv0000000000002'), $raw->sismember($missing, 'wxrcv0000000000002'));
$raw->del(wx_platform_lock_key('wxrcv0000000000002'));

echo "-- recoverRefreshTokens(): 1100 listed in 3 pages, every 100th without refresh_token (asked of info)\n";
wx_emu_control($emu, 'omit_refresh_token', ['every' => 100]);
$infoBefore = $calls('api_get_authorizer_info');
$stale = 'wxrcv0000000000005';
$raw->set($rkey($stale), serialize('refreshtoken@@@lost-and-stale'));
$raw->sadd($missing, 'wxrcvgone');            // known missing, and WeChat no longer lists it
$res = $p->recoverRefreshTokens();
printf("recovered %d, unchanged %d, kept %d, failed %s, total %d, pages %d, calls %d, busy %s\n", count($res['recovered']),
    $res['unchanged'], count($res['kept']), json_encode($res['failed']), $res['total'], $res['pages'], $res['calls'], var_export($res['busy'], true));
echo 'info calls ', $calls('api_get_authorizer_info') - $infoBefore, ', list calls ', $calls('api_get_authorizer_list'), "\n";
$ok = 0;
$view = wx_emu_control($emu, 'authorizers', ['limit' => 2000]);
foreach ($view['list'] as $a) $ok += $p->getAuthorizerRefreshToken($a['authorizer_appid']) === $a['refresh_token'];
echo "stored equal to WeChat's: $ok of ", count($view['list']), ", the stale one replaced: ", var_export(in_array($stale, $res['recovered'], true), true), "\n";
echo 'missing now: ', json_encode($raw->smembers($missing)), "\n";

echo "-- again: nothing to do\n";
$res = $p->recoverRefreshTokens();
printf("recovered %d, unchanged %d, failed %d, calls %d\n", count($res['recovered']), $res['unchanged'], count($res['failed']), $res['calls']);

echo "-- one WeChat gives no refresh token for (list and info): failed, the others untouched\n";
wx_emu_control($emu, 'omit_refresh_token', ['appids' => ['wxrcv0000000000007'], 'apis' => ['list', 'info']]);
$raw->del($rkey('wxrcv0000000000007'));
$res = $p->recoverRefreshTokens();
printf("recovered %d, unchanged %d, failed %s\n", count($res['recovered']), $res['unchanged'], json_encode($res['failed']));
var_dump($raw->exists($rkey('wxrcv0000000000007')), $raw->sismember($missing, 'wxrcv0000000000007'));

echo "-- compare-and-set: a refresh token stored while WeChat answered is newer and stays\n";
wx_emu_control($emu, 'omit_refresh_token', ['appids' => ['wxrcv0000000000008']]);
wx_emu_control($emu, 'delay', ['path' => '/cgi-bin/component/api_get_authorizer_info', 'ms' => 3000, 'times' => 1]);
$raw->del($rkey('wxrcv0000000000008'));
// the other writer stores a newer one while WeChat is answering (the info call is counted on arrival, then delayed)
$info0 = $calls('api_get_authorizer_info');
$child = wx_platform_spawn(1, '$q = new WxRedis\OpenPlatform($platformConfig, wx_test_cache());'
    . 'while (wx_emu_calls($emu, "/cgi-bin/component/api_get_authorizer_info") <= ' . $info0 . ') usleep(20000);'
    . '$q->setAuthorizerRefreshToken("wxrcv0000000000008", "refreshtoken@@@newer"); echo "stored";', $emu);
$res = $p->recoverRefreshTokens();
echo implode('', wx_platform_wait($child)), ': kept ', json_encode($res['kept']), ', recovered ', count($res['recovered']), ', stored ', $p->getAuthorizerRefreshToken('wxrcv0000000000008'), "\n";

echo "-- one run at a time across servers\n";
$raw->set($pre . 'wxredis.lock.recover_refresh_tokens.' . WX_PLATFORM_APPID, serialize('someone'), 'PX', '5000');
$before = $calls('api_get_authorizer_list');
$res = $p->recoverRefreshTokens();
var_dump($res['busy'], $res['calls'], $calls('api_get_authorizer_list') - $before);
wx_emu_stop($emu);
?>
--EXPECT--
-- none stored: getAuthorizerAccessToken() asks api_get_authorizer_info once, across 8 processes
{"token":8}, info calls 1, refreshes 1
bool(true)
int(-1)
-- 61023: the stored one is stale; WeChat's current one is stored (compare-and-set) and used
bool(true)
[61023,0], info calls 2
-- 61023 and WeChat gives the same one back: the 61023 with its hint, kept, marked missing
WxRedis\ApiException(61023): WeChat api_authorizer_token failed: errcode 61023, errmsg "refresh_token is invalid rid: {rid}". Hint: the authorizer_refresh_token is no longer valid and WeChat's api_get_authorizer_info gave no other one: the account must authorize the platform again (the stored refresh token was kept)
bool(true)
int(1)
-- recoverRefreshTokens(): 1100 listed in 3 pages, every 100th without refresh_token (asked of info)
recovered 1097, unchanged 3, kept 0, failed {"wxrcvgone":"its refresh token is missing and api_get_authorizer_list does not list it: it is no longer authorized (it must authorize the platform again)"}, total 1100, pages 3, calls 14, busy false
info calls 11, list calls 3
stored equal to WeChat's: 1100 of 1100, the stale one replaced: true
missing now: ["wxrcvgone"]
-- again: nothing to do
recovered 0, unchanged 1100, failed 1, calls 14
-- one WeChat gives no refresh token for (list and info): failed, the others untouched
recovered 0, unchanged 1099, failed {"wxrcv0000000000007":"WeChat gave no refresh token, neither in api_get_authorizer_list nor in api_get_authorizer_info","wxrcvgone":"its refresh token is missing and api_get_authorizer_list does not list it: it is no longer authorized (it must authorize the platform again)"}
int(0)
int(1)
-- compare-and-set: a refresh token stored while WeChat answered is newer and stays
stored: kept ["wxrcv0000000000008"], recovered 1, stored refreshtoken@@@newer
-- one run at a time across servers
bool(true)
int(0)
int(0)
