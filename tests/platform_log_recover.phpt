--TEST--
WxRedis\OpenPlatform's logger, recovery: refresh token recovered (per authorizer from api_get_authorizer_info, in bulk from recoverRefreshTokens()), with its fingerprint and source, never the token
--SKIPIF--
<?php require __DIR__ . '/support/skipif.inc'; ?>
--INI--
pcre.jit=0
--FILE--
<?php
require __DIR__ . '/support/platform.inc';
require __DIR__ . '/support/logger.inc';
$emu = wx_emu_start();
$p = wx_platform($emu);
$raw = wx_test_raw();
$log = new WxTestLogger();
$p->setLogger($log);
$rkey = fn (string $a) => 'wxredis:authorizer_refresh_token:' . WX_PLATFORM_APPID . ":$a";
$fp = fn (string $s) => substr(hash('sha256', $s), 0, 8);
wx_platform_push_ticket($emu, $p);
wx_platform_authorize($emu, $p, 'wxrec1');
wx_platform_authorize($emu, $p, 'wxrec2');
$secrets = ['rt1' => $rt1 = $p->getAuthorizerRefreshToken('wxrec1'), 'rt2' => $rt2 = $p->getAuthorizerRefreshToken('wxrec2'),
            'secret' => 'emu-secret', 'aes' => 'abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG'];

echo "-- one authorizer's refresh token lost: recovered on the way to its token\n";
$raw->del($rkey('wxrec1'), wx_platform_current_key('wxrec1'));
$log->clear();
$secrets['at1'] = $p->getAuthorizerAccessToken('wxrec1');
[$r] = $log->events('wxredis.refresh_token.recovered');
echo $log->shape($r), ' ', $r['context']['source'], ' ', $r['context']['authorizer_app_id'], ' ',
    var_export($r['context']['refresh_token'] === $fp($p->getAuthorizerRefreshToken('wxrec1')), true), "\n";

echo "-- every refresh token lost: recoverRefreshTokens() logs each it writes\n";
$raw->del($rkey('wxrec1'), $rkey('wxrec2'));
$log->clear();
$res = $p->recoverRefreshTokens();
$got = $log->events('wxredis.refresh_token.recovered');
sort($res['recovered']);
echo json_encode($res['recovered']), ' ', count($got), ' ', implode(',', array_unique(array_map(fn ($r) => $r['context']['source'], $got))), "\n";
echo "-- never a secret, messages static\n";
var_dump(wx_log_leaks($log, $secrets + ['rt1b' => $p->getAuthorizerRefreshToken('wxrec1'), 'rt2b' => $p->getAuthorizerRefreshToken('wxrec2')]),
         wx_log_static($log));
wx_emu_stop($emu);
--EXPECT--
-- one authorizer's refresh token lost: recovered on the way to its token
notice wxredis.refresh_token.recovered "authorizer_refresh_token of {authorizer_app_id} recovered from WeChat ({source})" [event,authorizer_app_id,refresh_token,source,app_id,server,pid] api_get_authorizer_info wxrec1 true
-- every refresh token lost: recoverRefreshTokens() logs each it writes
["wxrec1","wxrec2"] 2 recoverRefreshTokens
-- never a secret, messages static
array(0) {
}
bool(true)
