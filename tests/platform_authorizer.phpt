--TEST--
WxRedis\OpenPlatform: authorization (push and handleAuthorization), refresh tokens outside the prefix without expiry, rotation, unauthorized, import/export
--SKIPIF--
<?php require __DIR__ . '/support/skipif.inc'; ?>
--INI--
pcre.jit=0
--FILE--
<?php
require __DIR__ . '/support/platform.inc';
$emu = wx_emu_start(['rotate_refresh_token' => true]);
$cache = wx_test_cache();
$p = wx_platform($emu, [], $cache);
$raw = wx_test_raw();
$pre = wx_test_prefix();
$rkey = fn (string $a) => 'wxredis:authorizer_refresh_token:' . WX_PLATFORM_APPID . ":$a";
$akey = fn (string $a, string $r) => $pre . "open-platform.authorizer_access_token.$a." . md5($r);
$hkey = fn (string $a) => wx_platform_current_key($a);
$calls = fn (string $api) => wx_emu_calls($emu, "/cgi-bin/component/$api");
$current = fn (string $a) => wx_emu_control($emu, 'state')['current']["authorizer:$a"] ?? null;
wx_platform_push_ticket($emu, $p);

echo "-- the authorized push: code exchanged, both tokens stored\n";
$seen = null;
$push = wx_emu_control($emu, 'authorize', ['authorizer_appid' => 'wxa1']);
var_dump($p->handleCallback($push['query'], $push['body'], function ($m) use (&$seen) { $seen = $m['InfoType']; }), $seen);
$r1 = $p->getAuthorizerRefreshToken('wxa1');
var_dump(str_starts_with($r1, 'refreshtoken@@@'), $calls('api_query_auth'));
var_dump($raw->get($rkey('wxa1')) === serialize($r1), $raw->ttl($rkey('wxa1')));       // no expiry, no prefix
var_dump($raw->get($akey('wxa1', $r1)) === serialize($current('wxa1')), wx_platform_ttl($raw->ttl($akey('wxa1', $r1)), 6700));  // 7200 - 500
$log = wx_emu_control($emu, 'log', ['path' => '/cgi-bin/component/api_query_auth']);
echo json_encode(array_keys($log[0]['body'])), ' ', $log[0]['body']['authorization_code'] === $push['authorization_code'] ? 'the pushed code' : '?', "\n";
echo "-- the access token is served from the cache\n";
var_dump($p->getAuthorizerAccessToken('wxa1') === $current('wxa1'), $calls('api_authorizer_token'));

echo "-- clear() empties the cache but cannot touch refresh tokens\n";
var_dump($cache->clear(), $raw->get($rkey('wxa1')) === serialize($r1));
wx_platform_push_ticket($emu, $p);
$t = $p->getAuthorizerAccessToken('wxa1');
var_dump($t === $current('wxa1'), $calls('api_authorizer_token'), $calls('api_component_token'));
$log = wx_emu_control($emu, 'log', ['path' => '/cgi-bin/component/api_authorizer_token']);
echo json_encode(array_keys($log[0]['body'])), ' ', $log[0]['body']['authorizer_refresh_token'] === $r1 ? 'with the stored refresh token' : '?', "\n";

echo "-- rotation: WeChat's new refresh token replaces the stored one, the access token is keyed by it\n";
$r2 = $p->getAuthorizerRefreshToken('wxa1');
var_dump($r2 !== $r1, $raw->get($akey('wxa1', $r2)) === serialize($t), $raw->ttl($rkey('wxa1')));
var_dump($p->getAuthorizerAccessToken('wxa1') === $t, $calls('api_authorizer_token'));
echo "-- refresh inside the margin\n";
$raw->pexpire($akey('wxa1', $r2), '100000');
$raw->pexpire($hkey('wxa1'), '100000');
$t2 = $p->getAuthorizerAccessToken('wxa1');
$r3 = $p->getAuthorizerRefreshToken('wxa1');
var_dump($t2 !== $t, $r3 !== $r2, $calls('api_authorizer_token'), $raw->exists($akey('wxa1', $r3)));

echo "-- handleAuthorization() directly (the redirect after the authorization page)\n";
$push = wx_emu_control($emu, 'authorize', ['authorizer_appid' => 'wxa2', 'func_info' => [1, 15]]);
$info = $p->handleAuthorization($push['authorization_code']);
echo json_encode(array_keys($info)), "\n", json_encode($info['func_info']), "\n";
var_dump($info['authorizer_appid'], $p->getAuthorizerRefreshToken('wxa2') === $info['authorizer_refresh_token']);
var_dump($p->getAuthorizerAccessToken('wxa2') === $info['authorizer_access_token']);
echo "-- the code again: WeChat refuses, nothing changes\n";
wx_platform_try(fn () => $p->handleAuthorization($push['authorization_code']));
var_dump($p->getAuthorizerRefreshToken('wxa2') === $info['authorizer_refresh_token']);
wx_platform_try(fn () => $p->handleAuthorization(''));

echo "-- updateauthorized: a new refresh token\n";
$before = $p->getAuthorizerRefreshToken('wxa2');
wx_platform_authorize($emu, $p, 'wxa2', 'updateauthorized');
var_dump($p->getAuthorizerRefreshToken('wxa2') !== $before, $p->getAuthorizerAccessToken('wxa2') === $current('wxa2'));

echo "-- unauthorized: the authorizer's tokens are removed\n";
$r = $p->getAuthorizerRefreshToken('wxa2');
var_dump($raw->exists($akey('wxa2', $r)));
$ev = wx_emu_control($emu, 'authorize', ['authorizer_appid' => 'wxa2', 'info_type' => 'unauthorized']);
var_dump($p->handleCallback($ev['query'], $ev['body']));
var_dump($p->getAuthorizerRefreshToken('wxa2'), $raw->exists($rkey('wxa2')), $raw->exists($akey('wxa2', $r)), $raw->exists($hkey('wxa2')));
wx_platform_try(fn () => $p->getAuthorizerAccessToken('wxa2'));
echo "-- wxa1 is not affected\n";
var_dump($p->getAuthorizerRefreshToken('wxa1') === $r3);
echo "-- unauthorized for an account we never knew\n";
$ev = wx_emu_control($emu, 'authorize', ['authorizer_appid' => 'wxunknown', 'info_type' => 'unauthorized']);
var_dump($p->handleCallback($ev['query'], $ev['body']));

echo "-- export and import\n";
$exported = $p->getAuthorizerRefreshToken('wxa1');
$raw->del($rkey('wxa1'), $hkey('wxa1'));   // lost, with the one-round-trip key: found again by the refresh token
var_dump($p->getAuthorizerRefreshToken('wxa1'));
// lost: WeChat gives it back (api_get_authorizer_info), and the token keyed by it is found again
var_dump($p->getAuthorizerAccessToken('wxa1') === $t2, $p->getAuthorizerRefreshToken('wxa1') === $exported, $calls('api_get_authorizer_info'));
$raw->del($rkey('wxa1'));
$p->setAuthorizerRefreshToken('wxa1', $exported);
var_dump($raw->get($rkey('wxa1')) === serialize($exported), $raw->ttl($rkey('wxa1')));
var_dump($p->getAuthorizerAccessToken('wxa1') === $t2);             // keyed by md5(refresh token): found again

echo "-- invalidateAuthorizerAccessToken(): only the cached one\n";
var_dump($p->invalidateAuthorizerAccessToken('wxa1', 'other'), $p->invalidateAuthorizerAccessToken('wxa1', $t2));
var_dump($p->invalidateAuthorizerAccessToken('wxnobody', 'x'));
$t3 = $p->getAuthorizerAccessToken('wxa1');
var_dump($t3 !== $t2, $t3 === $current('wxa1'));

echo "-- a component token WeChat rejects during an authorizer refresh is replaced, the refresh retried\n";
wx_emu_control($emu, 'expire_token');
$raw->del($akey('wxa1', $p->getAuthorizerRefreshToken('wxa1')), $hkey('wxa1'));
$ct = $calls('api_component_token');
var_dump($p->getAuthorizerAccessToken('wxa1') === $current('wxa1'), $calls('api_component_token') - $ct);

echo "-- pre-authorization\n";
$url = $p->getPreAuthorizationUrl('https://example.com/authorized?from=wx&x=a b');
$q = [];
parse_str(parse_url($url, PHP_URL_QUERY), $q);
echo parse_url($url, PHP_URL_SCHEME), '://', parse_url($url, PHP_URL_HOST), parse_url($url, PHP_URL_PATH), "\n";
echo json_encode(array_keys($q)), ' ', $q['component_appid'], ' ', $q['redirect_uri'], "\n";
var_dump(str_starts_with($q['pre_auth_code'], 'preauthcode@@@'));
$url = $p->getPreAuthorizationUrl('https://example.com/', 2, 'wxbiz');
parse_str(parse_url($url, PHP_URL_QUERY), $q);
echo json_encode(array_keys($q)), ' ', $q['auth_type'], ' ', $q['biz_appid'], "\n";
wx_platform_try(fn () => $p->getPreAuthorizationUrl(''));
var_dump(str_starts_with($p->createPreAuthCode(), 'preauthcode@@@'));

echo "-- no ticket, no component token: an authorizer token inside the margin is still served\n";
$r = $p->getAuthorizerRefreshToken('wxa1');
$t = $p->getAuthorizerAccessToken('wxa1');
$raw->pexpire($akey('wxa1', $r), '100000');
$raw->pexpire($hkey('wxa1'), '100000');
$raw->del($pre . 'open_platform.component_access_token.' . WX_PLATFORM_APPID, $pre . 'open_platform.verify_ticket.' . WX_PLATFORM_APPID);
var_dump($p->getAuthorizerAccessToken('wxa1') === $t, $p->getAuthorizerRefreshToken('wxa1') === $r);
$raw->del($akey('wxa1', $r), $hkey('wxa1'), wx_platform_lock_key());
wx_platform_try(fn () => $p->getAuthorizerAccessToken('wxa1'));
wx_emu_stop($emu);
?>
--EXPECTF--
-- the authorized push: code exchanged, both tokens stored
string(7) "success"
string(10) "authorized"
bool(true)
int(1)
bool(true)
int(-1)
bool(true)
int(6700)
["component_appid","authorization_code"] the pushed code
-- the access token is served from the cache
bool(true)
int(0)
-- clear() empties the cache but cannot touch refresh tokens
bool(true)
bool(true)
bool(true)
int(1)
int(2)
["component_appid","authorizer_appid","authorizer_refresh_token"] with the stored refresh token
-- rotation: WeChat's new refresh token replaces the stored one, the access token is keyed by it
bool(true)
bool(true)
int(-1)
bool(true)
int(1)
-- refresh inside the margin
bool(true)
bool(true)
int(2)
int(1)
-- handleAuthorization() directly (the redirect after the authorization page)
["authorizer_appid","authorizer_access_token","expires_in","authorizer_refresh_token","func_info"]
[{"funcscope_category":{"id":1}},{"funcscope_category":{"id":15}}]
string(4) "wxa2"
bool(true)
bool(true)
-- the code again: WeChat refuses, nothing changes
WxRedis\ApiException(61010): WeChat api_query_auth failed: errcode 61010, errmsg "code is expired hint: [authorization_code already used] rid: {rid}"
bool(true)
ValueError(0): WxRedis\OpenPlatformBase::handleAuthorization(): Argument #1 ($authCode) must not be empty
-- updateauthorized: a new refresh token
bool(true)
bool(true)
-- unauthorized: the authorizer's tokens are removed
int(1)
string(7) "success"
NULL
int(0)
int(0)
int(0)
WxRedis\InvalidArgumentException(40): No authorizer_refresh_token is stored for authorizer "wxa2" of component "wx0000000000component" (key "wxredis:authorizer_refresh_token:wx0000000000component:wxa2"), and WeChat did not give it back (WeChat api_get_authorizer_info failed: errcode 61003, errmsg "component is not authorized by this account hint: [authorizer wxa2 has not authorized this component] rid: {rid}". Hint: the account has not authorized this platform, or has revoked the authorization): it is stored when the account authorizes the platform (handleCallback() or handleAuthorization()) and removed when it revokes; import one with setAuthorizerRefreshToken()
-- wxa1 is not affected
bool(true)
-- unauthorized for an account we never knew
string(7) "success"
-- export and import
NULL
bool(true)
bool(true)
int(%d)
bool(true)
int(-1)
bool(true)
-- invalidateAuthorizerAccessToken(): only the cached one
bool(false)
bool(true)
bool(false)
bool(true)
bool(true)
-- a component token WeChat rejects during an authorizer refresh is replaced, the refresh retried
bool(true)
int(1)
-- pre-authorization
https://mp.weixin.qq.com/cgi-bin/componentloginpage
["component_appid","pre_auth_code","redirect_uri"] wx0000000000component https://example.com/authorized?from=wx&x=a b
bool(true)
["component_appid","pre_auth_code","redirect_uri","auth_type","biz_appid"] 2 wxbiz
ValueError(0): WxRedis\OpenPlatformBase::getPreAuthorizationUrl(): Argument #1 ($redirectUri) must not be empty
bool(true)
-- no ticket, no component token: an authorizer token inside the margin is still served
bool(true)
bool(true)
WxRedis\TicketException(0): No component_verify_ticket is stored for component app id "wx0000000000component" (key "{prefix}open_platform.verify_ticket.wx0000000000component"): the last one was stored at {time}, N s ago; a new push was already requested at {time}, N s ago (at most one request every 10 minutes). WeChat pushes a ticket every 10 minutes to the authorization-event URL, which must reach handleCallback()
