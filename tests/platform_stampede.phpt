--TEST--
WxRedis\OpenPlatform: 32 processes with a cold cache make exactly one token call (component and authorizer), and all get the same token
--SKIPIF--
<?php require __DIR__ . '/support/skipif.inc'; ?>
--INI--
pcre.jit=0
--FILE--
<?php
require __DIR__ . '/support/platform.inc';
$emu = wx_emu_start();
// a WeChat that takes its time, so that all 32 arrive while the refresh runs
wx_emu_control($emu, 'delay', ['path' => '/cgi-bin/component/api_component_token', 'ms' => 300]);
wx_emu_control($emu, 'delay', ['path' => '/cgi-bin/component/api_authorizer_token', 'ms' => 300]);
$p = wx_platform($emu);
wx_platform_push_ticket($emu, $p);
$raw = wx_test_raw();
$show = function (array $outs, string $what) use ($emu) {
    $tally = wx_platform_tally($outs);
    printf("%s: %d processes, %d distinct answer(s), %s\n", $what, count($outs), count($tally),
        count($tally) === 1 && strlen(key($tally)) > 100 ? 'a token' : json_encode($tally));
    return key($tally);
};

echo "-- component_access_token\n";
$outs = wx_platform_wait(wx_platform_spawn(32,
    'echo (new WxRedis\OpenPlatform($platformConfig, wx_test_cache()))->getComponentAccessToken();', $emu));
$token = $show($outs, 'component');
var_dump(wx_emu_calls($emu, '/cgi-bin/component/api_component_token'));
var_dump($token === wx_emu_control($emu, 'state')['current']['component']);
var_dump($p->getComponentAccessToken() === $token);

echo "-- authorizer_access_token\n";
wx_platform_authorize($emu, $p, 'wxauthorizer0001');
// cold: the access token handleAuthorization stored is gone, the refresh token stays
$refresh = $p->getAuthorizerRefreshToken('wxauthorizer0001');
$akey = wx_test_prefix() . 'open-platform.authorizer_access_token.wxauthorizer0001.' . md5($refresh);
var_dump($raw->del($akey));
$raw->del(wx_platform_current_key('wxauthorizer0001'));
$outs = wx_platform_wait(wx_platform_spawn(32,
    'echo (new WxRedis\OpenPlatform($platformConfig, wx_test_cache()))->getAuthorizerAccessToken("wxauthorizer0001");', $emu));
$atoken = $show($outs, 'authorizer');
var_dump(wx_emu_calls($emu, '/cgi-bin/component/api_authorizer_token'));
var_dump($atoken === wx_emu_control($emu, 'state')['current']['authorizer:wxauthorizer0001']);
var_dump($raw->get($akey) === serialize($atoken));

echo "-- both cold at once: one call each\n";
$raw->del(wx_test_prefix() . 'open_platform.component_access_token.' . WX_PLATFORM_APPID);
$raw->del($akey, wx_platform_current_key('wxauthorizer0001'));
$outs = wx_platform_wait(wx_platform_spawn(16,
    '$p = new WxRedis\OpenPlatform($platformConfig, wx_test_cache());'
    . 'echo $p->getAuthorizerAccessToken("wxauthorizer0001") === $p->getAuthorizerAccessToken("wxauthorizer0001") ? "ok" : "differ";', $emu));
$show($outs, 'both');
var_dump(wx_emu_calls($emu, '/cgi-bin/component/api_component_token'), wx_emu_calls($emu, '/cgi-bin/component/api_authorizer_token'));
wx_emu_stop($emu);
?>
--EXPECT--
-- component_access_token
component: 32 processes, 1 distinct answer(s), a token
int(1)
bool(true)
bool(true)
-- authorizer_access_token
int(1)
authorizer: 32 processes, 1 distinct answer(s), a token
int(1)
bool(true)
bool(true)
-- both cold at once: one call each
both: 16 processes, 1 distinct answer(s), {"ok":16}
int(2)
int(2)
