--TEST--
WxRedis\OpenPlatform::getComponentAccessToken(): cached with EasyWeChat's TTL, refreshed inside refresh_margin, 40001/42001 drop only the rejected token
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
$key = wx_test_prefix() . 'open_platform.component_access_token.' . WX_PLATFORM_APPID;
$lock = wx_test_prefix() . 'wxredis.lock.component_access_token.' . WX_PLATFORM_APPID;
$calls = fn () => wx_emu_calls($emu, '/cgi-bin/component/api_component_token');
$issued = function () use ($emu) {   // the token the emulator issued last
    return wx_emu_control($emu, 'state')['current']['component'] ?? null;
};
$ticket = wx_platform_push_ticket($emu, $p);

echo "-- cold: one call, stored for expires_in - 100\n";
$t1 = $p->getComponentAccessToken();
var_dump($t1 === $issued(), $calls(), $raw->get($key) === serialize($t1), wx_platform_ttl($raw->ttl($key), 7100));
var_dump($raw->exists($lock));                     // released
$log = wx_emu_control($emu, 'log', ['path' => '/cgi-bin/component/api_component_token']);
echo json_encode($log[0]['body']) === json_encode(['component_appid' => WX_PLATFORM_APPID,
    'component_appsecret' => 'emu-secret', 'component_verify_ticket' => $ticket]) ? "request body as documented\n" : "unexpected body\n";

echo "-- warm: no call, from this object or a new one\n";
for ($i = 0; $i < 5; $i++) {
    $p->getComponentAccessToken();
}
var_dump(wx_platform($emu)->getComponentAccessToken() === $t1, $calls());

echo "-- inside refresh_margin (300 s): refreshed by the next call\n";
$raw->pexpire($key, '299000');
$t2 = $p->getComponentAccessToken();
var_dump($t2 !== $t1, $t2 === $issued(), $calls(), wx_platform_ttl($raw->ttl($key), 7100));
echo "-- refresh_margin 0: used until Redis expires it\n";
$raw->pexpire($key, '5000');
var_dump(wx_platform($emu, ['refresh_margin' => 0])->getComponentAccessToken() === $t2, $calls());
$raw->del($key);                                    // as Redis does when it expires
$t3 = wx_platform($emu, ['refresh_margin' => 0])->getComponentAccessToken();
var_dump($t3 !== $t2, $calls());
echo "-- a key without expiry is used as it is\n";
$raw->persist($key);
var_dump($p->getComponentAccessToken() === $t3, $calls());
$raw->expire($key, '7000');

echo "-- expires_in from WeChat decides the TTL\n";
wx_emu_control($emu, 'config', ['expires_in' => 3600]);
$raw->del($key);
$p->getComponentAccessToken();
var_dump(wx_platform_ttl($raw->ttl($key), 3500));
wx_emu_control($emu, 'config', ['expires_in' => 7200]);

echo "-- invalidateComponentAccessToken(): only the token that is still cached\n";
$t4 = $p->getComponentAccessToken();
var_dump($p->invalidateComponentAccessToken('some-older-token'), $raw->exists($key));
var_dump($p->invalidateComponentAccessToken($t4), $raw->exists($key));
var_dump($p->invalidateComponentAccessToken($t4));
$t5 = $p->getComponentAccessToken();
var_dump($t5 !== $t4, $calls());

echo "-- WeChat answers 42001 (expired early): dropped, refreshed, the call retried once\n";
wx_emu_control($emu, 'expire_token');
$pre = $calls();
$code = $p->createPreAuthCode();
var_dump(str_starts_with($code, 'preauthcode@@@'), $calls() - $pre, wx_emu_calls($emu, '/cgi-bin/component/api_create_preauthcode'));
var_dump($p->getComponentAccessToken() !== $t5);
echo "-- 40001 twice in a row: the second one is thrown, with its hint\n";
wx_emu_control($emu, 'fail', ['path' => '/cgi-bin/component/api_create_preauthcode', 'errcode' => 40001, 'times' => 2]);
$pre = $calls();
wx_platform_try(fn () => $p->createPreAuthCode());
var_dump($calls() - $pre);
echo "-- a token another server already replaced is not dropped\n";
$mine = $p->getComponentAccessToken();
$raw->set($key, serialize('newer-token-from-another-server'), 'EX', '7000');
var_dump($p->invalidateComponentAccessToken($mine), $p->getComponentAccessToken());
echo "-- bytes that are not a string token count as missing and are replaced\n";
$raw->set($key, 'not-php-serialize', 'EX', '7000');
$pre = $calls();
var_dump(strlen($p->getComponentAccessToken()) > 100, $calls() - $pre, str_starts_with($raw->get($key), 's:'));
wx_emu_stop($emu);
?>
--EXPECT--
-- cold: one call, stored for expires_in - 100
bool(true)
int(1)
bool(true)
int(7100)
int(0)
request body as documented
-- warm: no call, from this object or a new one
bool(true)
int(1)
-- inside refresh_margin (300 s): refreshed by the next call
bool(true)
bool(true)
int(2)
int(7100)
-- refresh_margin 0: used until Redis expires it
bool(true)
int(2)
bool(true)
int(3)
-- a key without expiry is used as it is
bool(true)
int(3)
-- expires_in from WeChat decides the TTL
int(3500)
-- invalidateComponentAccessToken(): only the token that is still cached
bool(false)
int(1)
bool(true)
int(0)
bool(false)
bool(true)
int(5)
-- WeChat answers 42001 (expired early): dropped, refreshed, the call retried once
bool(true)
int(1)
int(2)
bool(true)
-- 40001 twice in a row: the second one is thrown, with its hint
WxRedis\ApiException(40001): WeChat api_create_preauthcode failed: errcode 40001, errmsg "invalid credential, access_token is invalid or not latest rid: {rid}". Hint: WeChat rejected the access token; a cached token WeChat rejects is dropped (only if it is still the cached one) and the call is tried once more with a new one
int(1)
-- a token another server already replaced is not dropped
bool(false)
string(31) "newer-token-from-another-server"
-- bytes that are not a string token count as missing and are replaced
bool(true)
int(1)
bool(true)
