--TEST--
WxRedis\OpenPlatform: the authorizer registry (sorted set by token expiry) is fed by the authorized push, handleAuthorization(), refreshes and imports, cleaned by unauthorized; the refresh_missing set
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
$reg = $pre . 'wxredis.authorizers.' . WX_PLATFORM_APPID;
$missing = $pre . 'wxredis.refresh_missing.' . WX_PLATFORM_APPID;
$akey = fn (string $a, string $r) => $pre . "open-platform.authorizer_access_token.$a." . md5($r);
// a score is the token's expiry: now + expires_in - 500, give or take a slow second
$expiry = function (string $a) use ($raw, $reg): string {
    $s = $raw->zscore($reg, $a);
    if ($s === null) return 'not registered';
    $d = (int) $s - time();
    return (int) $s === 0 ? 'score 0 (expiry unknown)' : ($d <= 6700 && $d >= 6690 ? 'expires in 6700 s' : "score off by $d");
};
// refresh tokens live outside the prefix: start without any of an earlier run
foreach (['wxrega1', 'wxrega2', 'wxregnobody', 'wxregimp0000000000'] as $a) $raw->del('wxredis:authorizer_refresh_token:' . WX_PLATFORM_APPID . ":$a");
wx_platform_push_ticket($emu, $p);

echo "-- the authorized push registers the account with its token's expiry\n";
wx_platform_authorize($emu, $p, 'wxrega1');
echo $expiry('wxrega1'), "\n";
echo "-- handleAuthorization() too\n";
$push = wx_emu_control($emu, 'authorize', ['authorizer_appid' => 'wxrega2']);
$info = $p->handleAuthorization($push['authorization_code']);
echo $info['authorizer_appid'], ': ', $expiry('wxrega2'), "\n";
echo "-- a refresh moves the score to the new token's expiry\n";
$raw->zadd($reg, '5', 'wxrega2');
$raw->pexpire($akey('wxrega2', $p->getAuthorizerRefreshToken('wxrega2')), '100000');   // inside the margin
$raw->pexpire(wx_platform_current_key('wxrega2'), '100000');
$p->getAuthorizerAccessToken('wxrega2');
echo $expiry('wxrega2'), ', refreshes ', wx_emu_calls($emu, '/cgi-bin/component/api_authorizer_token'), "\n";
echo "-- a token served from the cache does not touch the registry\n";
$raw->zadd($reg, '5', 'wxrega2');
$p->getAuthorizerAccessToken('wxrega2');
var_dump($raw->zscore($reg, 'wxrega2'));
echo "-- an import registers with expiry unknown and clears the missing mark\n";
$made = wx_emu_control($emu, 'create_authorizers', ['count' => 1, 'prefix' => 'wxregimp']);
$imp = $made['authorizers'][0];
$raw->sadd($missing, $imp['authorizer_appid']);
$p->setAuthorizerRefreshToken($imp['authorizer_appid'], $imp['authorizer_refresh_token']);
echo $imp['authorizer_appid'], ': ', $expiry($imp['authorizer_appid']), ', missing ', $raw->sismember($missing, $imp['authorizer_appid']), "\n";
$p->getAuthorizerAccessToken($imp['authorizer_appid']);
echo 'after its first refresh: ', $expiry($imp['authorizer_appid']), "\n";
echo "-- the refresh token is missing and WeChat cannot give it back: marked missing, registered\n";
wx_platform_try(fn () => $p->getAuthorizerAccessToken('wxregnobody'));
echo 'missing ', $raw->sismember($missing, 'wxregnobody'), ', ', $expiry('wxregnobody'), "\n";
echo "-- unauthorized removes it from both\n";
$raw->sadd($missing, 'wxrega1');
wx_platform_authorize($emu, $p, 'wxrega1', 'unauthorized');
echo 'wxrega1: ', $expiry('wxrega1'), ', missing ', $raw->sismember($missing, 'wxrega1'), "\n";
echo "-- storing a refresh token clears the missing mark (authorization again)\n";
wx_platform_authorize($emu, $p, 'wxregnobody');
echo 'wxregnobody: ', $expiry('wxregnobody'), ', missing ', $raw->sismember($missing, 'wxregnobody'), "\n";
echo "-- what is registered\n";
$all = $raw->zrange($reg, '0', '-1'); sort($all);
echo json_encode($all), ', ', $raw->type($reg), ' and ', $raw->type($missing), "\n";
echo "-- the key table knows both keys\n";
foreach ([$reg, $missing] as $k) {
    $d = WxRedis\Format::describeKey($k, $pre);
    echo $d['role'], ' ', $d['value'], ' ', $d['owner'], ' ttl ', $d['ttl'], "\n";
}
wx_emu_stop($emu);
?>
--EXPECT--
-- the authorized push registers the account with its token's expiry
expires in 6700 s
-- handleAuthorization() too
wxrega2: expires in 6700 s
-- a refresh moves the score to the new token's expiry
expires in 6700 s, refreshes 1
-- a token served from the cache does not touch the registry
string(1) "5"
-- an import registers with expiry unknown and clears the missing mark
wxregimp0000000000: score 0 (expiry unknown), missing 0
after its first refresh: expires in 6700 s
-- the refresh token is missing and WeChat cannot give it back: marked missing, registered
WxRedis\InvalidArgumentException(40): No authorizer_refresh_token is stored for authorizer "wxregnobody" of component "wx0000000000component" (key "wxredis:authorizer_refresh_token:wx0000000000component:wxregnobody"), and WeChat did not give it back (WeChat api_get_authorizer_info failed: errcode 61003, errmsg "component is not authorized by this account hint: [authorizer wxregnobody has not authorized this component] rid: {rid}". Hint: the account has not authorized this platform, or has revoked the authorization): it is stored when the account authorizes the platform (handleCallback() or handleAuthorization()) and removed when it revokes; import one with setAuthorizerRefreshToken()
missing 1, score 0 (expiry unknown)
-- unauthorized removes it from both
wxrega1: not registered, missing 0
-- storing a refresh token clears the missing mark (authorization again)
wxregnobody: expires in 6700 s, missing 0
-- what is registered
["wxrega2","wxregimp0000000000","wxregnobody"], zset and none
-- the key table knows both keys
authorizer_registry zset wxredis ttl none
refresh_missing set wxredis ttl none
