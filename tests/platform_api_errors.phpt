--TEST--
WxRedis\OpenPlatform: WeChat errors (40125, 61004, 45009, -1, 61023) give ApiException with errcode, errmsg and a hint; no token or refresh token is lost or overwritten
--SKIPIF--
<?php require __DIR__ . '/support/skipif.inc'; ?>
--INI--
pcre.jit=0
--FILE--
<?php
require __DIR__ . '/support/platform.inc';
$emu = wx_emu_start(['rotate_refresh_token' => true]);
$p = wx_platform($emu);
$raw = wx_test_raw();
$pre = wx_test_prefix();
$ckey = $pre . 'open_platform.component_access_token.' . WX_PLATFORM_APPID;
$path = '/cgi-bin/component/api_component_token';
wx_platform_push_ticket($emu, $p);
$show = function (callable $fn) {
    try {
        $fn();
        echo "no exception\n";
    } catch (WxRedis\ApiException $e) {
        printf("%s(%d) errcode %d api %s\n  %s\n", get_class($e), $e->getCode(), $e->getErrcode(), $e->getApi(),
            wx_platform_mask($e->getMessage()));
        printf("  errmsg: %s\n", wx_platform_mask($e->getErrmsg()));
    } catch (Throwable $e) {
        printf("%s(%d): %s\n", get_class($e), $e->getCode(), wx_platform_mask($e->getMessage()));
    }
};

echo "-- wrong secret (40125)\n";
$show(fn () => wx_platform($emu, ['secret' => 'wrong'])->getComponentAccessToken());
var_dump($raw->exists($ckey));
$raw->del(wx_platform_lock_key());
echo "-- IP not whitelisted (61004)\n";
wx_emu_control($emu, 'fail', ['path' => $path, 'errcode' => 61004]);
$show(fn () => $p->getComponentAccessToken());
$raw->del(wx_platform_lock_key());
echo "-- daily quota (45009)\n";
wx_emu_control($emu, 'fail', ['path' => $path, 'errcode' => 45009]);
$show(fn () => $p->getComponentAccessToken());
$raw->del(wx_platform_lock_key());
echo "-- system busy (-1)\n";
wx_emu_control($emu, 'fail', ['path' => $path, 'errcode' => -1]);
$show(fn () => $p->getComponentAccessToken());
$raw->del(wx_platform_lock_key());
echo "-- an errcode without a hint\n";
wx_emu_control($emu, 'fail', ['path' => $path, 'errcode' => 48001, 'errmsg' => 'api unauthorized']);
$show(fn () => $p->getComponentAccessToken());
$raw->del(wx_platform_lock_key());
var_dump($raw->exists($ckey), wx_emu_calls($emu, $path));

echo "-- a token inside refresh_margin stays served while WeChat fails\n";
$token = $p->getComponentAccessToken();
$raw->pexpire($ckey, '200000');                        // 200 s left, margin is 300 s
wx_emu_control($emu, 'fail', ['path' => $path, 'errcode' => 45009, 'times' => -1]);
$before = wx_emu_calls($emu, $path);
var_dump($p->getComponentAccessToken() === $token);    // tried once, failed, old one served
$raw->pexpire(wx_platform_lock_key(), '10000');        // a slow run is still inside the back-off
var_dump($p->getComponentAccessToken() === $token);    // within the back-off: not tried
var_dump(wx_emu_calls($emu, $path) - $before, $raw->get($ckey) === serialize($token), $raw->pttl($ckey) > 190000);
$raw->pexpire(wx_platform_lock_key(), '1000');         // the real back-off
usleep(1100000);
var_dump($p->getComponentAccessToken() === $token, wx_emu_calls($emu, $path) - $before);   // tried again
wx_emu_control($emu, 'clear_fail');
$raw->del(wx_platform_lock_key());
$new = $p->getComponentAccessToken();
var_dump($new !== $token, wx_platform_ttl($raw->ttl($ckey), 7100));

echo "-- the authorizer side: 61023 keeps the refresh token\n";
wx_platform_authorize($emu, $p, 'wxauthorizer0002');
$refresh = $p->getAuthorizerRefreshToken('wxauthorizer0002');
$akey = $pre . 'open-platform.authorizer_access_token.wxauthorizer0002.' . md5($refresh);
$atoken = $p->getAuthorizerAccessToken('wxauthorizer0002');
$raw->del($akey, wx_platform_current_key('wxauthorizer0002'));
wx_emu_control($emu, 'fail', ['path' => '/cgi-bin/component/api_authorizer_token', 'errcode' => 61023]);
$show(fn () => $p->getAuthorizerAccessToken('wxauthorizer0002'));
var_dump($p->getAuthorizerRefreshToken('wxauthorizer0002') === $refresh);
echo "-- 45009 on the authorizer refresh while its token is still valid: served\n";
$raw->del(wx_platform_lock_key('wxauthorizer0002'));
$atoken = $p->getAuthorizerAccessToken('wxauthorizer0002');     // rotated refresh token now
$refresh2 = $p->getAuthorizerRefreshToken('wxauthorizer0002');
var_dump($refresh2 !== $refresh);
$akey = $pre . 'open-platform.authorizer_access_token.wxauthorizer0002.' . md5($refresh2);
$raw->pexpire($akey, '100000');
$raw->pexpire(wx_platform_current_key('wxauthorizer0002'), '100000');
wx_emu_control($emu, 'fail', ['path' => '/cgi-bin/component/api_authorizer_token', 'errcode' => 45009]);
var_dump($p->getAuthorizerAccessToken('wxauthorizer0002') === $atoken);
var_dump($p->getAuthorizerRefreshToken('wxauthorizer0002') === $refresh2, $raw->get($akey) === serialize($atoken));
echo "-- the authorizer never authorized\n";
$show(fn () => $p->getAuthorizerAccessToken('wxnobody'));
wx_emu_stop($emu);
?>
--EXPECT--
-- wrong secret (40125)
WxRedis\ApiException(40125) errcode 40125 api /cgi-bin/component/api_component_token
  WeChat api_component_token failed: errcode 40125, errmsg "invalid appsecret rid: {rid}". Hint: config "secret" is not the platform's AppSecret (was it reset on open.weixin.qq.com?)
  errmsg: invalid appsecret rid: {rid}
int(0)
-- IP not whitelisted (61004)
WxRedis\ApiException(61004) errcode 61004 api /cgi-bin/component/api_component_token
  WeChat api_component_token failed: errcode 61004, errmsg "access clientip is not registered requestIP: 127.0.0.1 rid: {rid}". Hint: this server's outgoing IP is not on the platform's API IP whitelist (open.weixin.qq.com, the platform's development settings); errmsg shows the IP WeChat saw
  errmsg: access clientip is not registered requestIP: 127.0.0.1 rid: {rid}
-- daily quota (45009)
WxRedis\ApiException(45009) errcode 45009 api /cgi-bin/component/api_component_token
  WeChat api_component_token failed: errcode 45009, errmsg "reach max api daily quota limit rid: {rid}". Hint: this API's daily quota is used up; it resets at midnight Beijing time. Refreshes here are single-flight, so look for other programs refreshing tokens of the same app id. OpenPlatform::clearQuota() resets the platform's quota now (component/clear_quota/v2, a few times a month; at most once per clear_quota_interval across the fleet)
  errmsg: reach max api daily quota limit rid: {rid}
-- system busy (-1)
WxRedis\ApiException(-1) errcode -1 api /cgi-bin/component/api_component_token
  WeChat api_component_token failed: errcode -1, errmsg "system error rid: {rid}". Hint: WeChat is busy; try again in a moment
  errmsg: system error rid: {rid}
-- an errcode without a hint
WxRedis\ApiException(48001) errcode 48001 api /cgi-bin/component/api_component_token
  WeChat api_component_token failed: errcode 48001, errmsg "api unauthorized rid: {rid}"
  errmsg: api unauthorized rid: {rid}
int(0)
int(5)
-- a token inside refresh_margin stays served while WeChat fails
bool(true)
bool(true)
int(1)
bool(true)
bool(true)
bool(true)
int(2)
bool(true)
int(7100)
-- the authorizer side: 61023 keeps the refresh token
WxRedis\ApiException(61023) errcode 61023 api /cgi-bin/component/api_authorizer_token
  WeChat api_authorizer_token failed: errcode 61023, errmsg "refresh_token is invalid rid: {rid}". Hint: the authorizer_refresh_token is no longer valid and WeChat's api_get_authorizer_info gave no other one: the account must authorize the platform again (the stored refresh token was kept)
  errmsg: refresh_token is invalid rid: {rid}
bool(true)
-- 45009 on the authorizer refresh while its token is still valid: served
bool(true)
bool(true)
bool(true)
bool(true)
-- the authorizer never authorized
WxRedis\InvalidArgumentException(40): No authorizer_refresh_token is stored for authorizer "wxnobody" of component "wx0000000000component" (key "wxredis:authorizer_refresh_token:wx0000000000component:wxnobody"), and WeChat did not give it back (WeChat api_get_authorizer_info failed: errcode 61003, errmsg "component is not authorized by this account hint: [authorizer wxnobody has not authorized this component] rid: {rid}". Hint: the account has not authorized this platform, or has revoked the authorization): it is stored when the account authorizes the platform (handleCallback() or handleAuthorization()) and removed when it revokes; import one with setAuthorizerRefreshToken()
