--TEST--
WxRedis\OpenPlatform's logger, tokens: token refreshed (which, latency, lock owner), lock waited, refresh failed (errcode, served_cached), WeChat errors, refresh token stored/rotated/removed; a throwing logger never changes the result; never a token or secret
--SKIPIF--
<?php require __DIR__ . '/support/skipif.inc'; ?>
--INI--
pcre.jit=0
--FILE--
<?php
require __DIR__ . '/support/platform.inc';
require __DIR__ . '/support/logger.inc';
$emu = wx_emu_start(['rotate_refresh_token' => true]);
$raw = wx_test_raw();
$pre = wx_test_prefix();
$ckey = $pre . 'open_platform.component_access_token.' . WX_PLATFORM_APPID;
$log = new WxTestLogger();
$p = wx_platform($emu);
$p->setLogger($log);
$secrets = ['secret' => 'emu-secret', 'token' => 'emu-token', 'aes_key' => 'abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG'];
$secrets['ticket'] = wx_platform_push_ticket($emu, $p);
$fp = fn (string $s) => substr(hash('sha256', $s), 0, 8);

echo "-- component token refreshed\n";
$log->clear();
$secrets['ct1'] = $t = $p->getComponentAccessToken();
[$r] = $log->events('wxredis.token.refreshed');
echo $log->shape($r), "\n";
$c = $r['context'];
var_dump($c['token'], $c['authorizer_app_id'], is_int($c['latency_ms']) && $c['latency_ms'] >= 0,
         (bool) preg_match('/^[0-9a-f]{32}$/', $c['lock_owner']), $c['fingerprint'] === $fp($t));
$p->getComponentAccessToken();
var_dump(count($log->events('wxredis.token.refreshed')));      // a cached token: nothing more to log

echo "-- authorizer: refresh token stored, token refreshed, rotated\n";
$log->clear();
wx_platform_authorize($emu, $p, 'wxauth1');
$secrets['rt1'] = $rt1 = $p->getAuthorizerRefreshToken('wxauth1');
[$r] = $log->events('wxredis.refresh_token.stored');
echo $log->shape($r), ' ', $r['context']['source'], ' ', var_export($r['context']['refresh_token'] === $fp($rt1), true), "\n";
$secrets['at1'] = $raw->get($pre . 'open-platform.authorizer_access_token.wxauth1.' . md5($rt1));
$raw->del($pre . 'open-platform.authorizer_access_token.wxauth1.' . md5($rt1), wx_platform_current_key('wxauth1'));
$log->clear();
$secrets['at2'] = $p->getAuthorizerAccessToken('wxauth1');
$secrets['rt2'] = $rt2 = $p->getAuthorizerRefreshToken('wxauth1');
echo implode(' ', $log->names()), "\n";
[$r] = $log->events('wxredis.refresh_token.rotated');
echo $log->shape($r), "\n";
var_dump($r['context']['previous'] === $fp($rt1), $r['context']['refresh_token'] === $fp($rt2),
         $log->events('wxredis.token.refreshed')[0]['context']['authorizer_app_id']);

echo "-- import, and the unauthorized push\n";
$log->clear();
$p->setAuthorizerRefreshToken('wxauth2', $secrets['rt_import'] = 'imported-refresh-token-' . bin2hex(random_bytes(8)));
$ev = wx_emu_control($emu, 'authorize', ['authorizer_appid' => 'wxauth1', 'info_type' => 'unauthorized']);
$p->handleCallback($ev['query'], $ev['body']);
foreach ($log->records as $r) echo $log->shape($r), ' ', $r['context']['source'] ?? $r['context']['reason'], "\n";

echo "-- another server holds the lock: lock waited\n";
$raw->del($ckey);
$log->clear();
wx_emu_control($emu, 'hang', ['path' => '/cgi-bin/component/api_component_token', 'seconds' => 1, 'times' => 1]);
$child = wx_platform_spawn(1, '(new WxRedis\OpenPlatform($platformConfig, wx_test_cache()))->getComponentAccessToken();', $emu);
$deadline = microtime(true) + 20;
while (!$raw->exists(wx_platform_lock_key()) && microtime(true) < $deadline) usleep(2000);
$secrets['ct2'] = $p->getComponentAccessToken();
wx_platform_wait($child);
[$r] = $log->events('wxredis.lock.waited');
echo $log->shape($r), ' ', $r['context']['outcome'], ' ', var_export($r['context']['waited_ms'] > 100, true), "\n";
var_dump(count($log->events('wxredis.token.refreshed')));      // the other process refreshed

echo "-- WeChat fails the refresh: refresh failed, wechat error\n";
$raw->del($ckey);
$log->clear();
wx_emu_control($emu, 'fail', ['path' => '/cgi-bin/component/api_component_token', 'errcode' => 45009, 'times' => 1]);
try { $p->getComponentAccessToken(); } catch (WxRedis\ApiException $e) { echo get_class($e), '(', $e->getCode(), ")\n"; }
echo implode(' ', $log->names()), "\n";
[$r] = $log->events('wxredis.refresh.failed');
echo $log->shape($r), "\n";
$c = $r['context'];
var_dump($c['errcode'], $c['error'], $c['api'], $c['served_cached'], str_contains($c['reason'], '45009'));
[$r] = $log->events('wxredis.wechat.error');
echo $log->shape($r), ' ', $r['context']['api'], ' ', $r['context']['errcode'], "\n";

echo "-- a token inside the margin is still served when the refresh fails\n";
$raw->del(wx_platform_lock_key());
$secrets['ct3'] = $p->getComponentAccessToken();
$raw->pexpire($ckey, 200000);
$log->clear();
wx_emu_control($emu, 'fail', ['path' => '/cgi-bin/component/api_component_token', 'errcode' => -1, 'times' => 1]);
var_dump($p->getComponentAccessToken() === $secrets['ct3'], $log->events('wxredis.refresh.failed')[0]['context']['served_cached']);

echo "-- a logger that throws: the operation's result stands\n";
$raw->del(wx_platform_lock_key());
$bad = new class extends WxTestLogger {
    public function log($level, $message, array $context = []): void { parent::log($level, $message, $context); throw new LogicException('logger down'); }
};
$p->setLogger($bad);
$raw->del($ckey);
$secrets['ct4'] = $t = $p->getComponentAccessToken();
var_dump(is_string($t) && $t !== '', count($bad->events('wxredis.token.refreshed')));
$raw->del($ckey);
wx_emu_control($emu, 'fail', ['path' => '/cgi-bin/component/api_component_token', 'errcode' => 40013, 'times' => 1]);
try { $p->getComponentAccessToken(); } catch (Exception $e) { echo get_class($e), '(', $e->getCode(), ') previous: ', var_export($e->getPrevious(), true), "\n"; }
$raw->del(wx_platform_lock_key());

echo "-- setLogger(): null removes it; not a logger: TypeError\n";
$p->setLogger(null);
$raw->del($ckey);
$secrets['ct5'] = $p->getComponentAccessToken();
var_dump(count($bad->events('wxredis.token.refreshed')));
foreach ([new stdClass(), 'log', 42] as $v) {
    try { $p->setLogger($v); } catch (TypeError $e) { echo get_class($e), ': ', $e->getMessage(), "\n"; }
}

echo "-- never a token, ticket or secret; one message per event\n";
$log->records = array_merge($log->records, $bad->records);
var_dump(wx_log_leaks($log, $secrets), wx_log_static($log));
wx_emu_stop($emu);
?>
--EXPECTF--
-- component token refreshed
info wxredis.token.refreshed "{token} refreshed in {latency_ms} ms by {server}" [event,token,authorizer_app_id,latency_ms,lock_owner,fingerprint,app_id,server,pid]
string(22) "component_access_token"
NULL
bool(true)
bool(true)
bool(true)
int(1)
-- authorizer: refresh token stored, token refreshed, rotated
info wxredis.refresh_token.stored "authorizer_refresh_token of {authorizer_app_id} stored ({source})" [event,authorizer_app_id,refresh_token,source,app_id,server,pid] api_query_auth true
wxredis.refresh_token.rotated wxredis.token.refreshed
info wxredis.refresh_token.rotated "authorizer_refresh_token of {authorizer_app_id} rotated by WeChat" [event,authorizer_app_id,refresh_token,previous,app_id,server,pid]
bool(true)
bool(true)
string(7) "wxauth1"
-- import, and the unauthorized push
info wxredis.refresh_token.stored "authorizer_refresh_token of {authorizer_app_id} stored ({source})" [event,authorizer_app_id,refresh_token,source,app_id,server,pid] setAuthorizerRefreshToken
notice wxredis.refresh_token.removed "authorizer_refresh_token of {authorizer_app_id} removed ({reason})" [event,authorizer_app_id,refresh_token,reason,app_id,server,pid] unauthorized
-- another server holds the lock: lock waited
info wxredis.lock.waited "waited {waited_ms} ms for another process's {token} refresh: {outcome}" [event,token,authorizer_app_id,waited_ms,outcome,app_id,server,pid] token_read true
int(0)
-- WeChat fails the refresh: refresh failed, wechat error
WxRedis\ApiException(45009)
wxredis.wechat.error wxredis.refresh.failed
error wxredis.refresh.failed "{token} refresh failed: errcode {errcode}" [event,token,authorizer_app_id,latency_ms,errcode,error,api,reason,served_cached,app_id,server,pid]
int(45009)
string(20) "WxRedis\ApiException"
string(38) "/cgi-bin/component/api_component_token"
bool(false)
bool(true)
warning wxredis.wechat.error "WeChat {api} answered errcode {errcode}" [event,api,errcode,errmsg,app_id,server,pid] api_component_token 45009
-- a token inside the margin is still served when the refresh fails
bool(true)
bool(true)
-- a logger that throws: the operation's result stands
bool(true)
int(1)
WxRedis\ApiException(40013) previous: NULL
-- setLogger(): null removes it; not a logger: TypeError
int(1)
TypeError: WxRedis\OpenPlatformBase::setLogger(): Argument #1 ($logger) must be a logger: an object with a public log($level, $message, $context) method (Psr\Log\LoggerInterface) or null, stdClass given
TypeError: WxRedis\OpenPlatformBase::setLogger(): Argument #1 ($logger) must be of type ?object, string given
TypeError: WxRedis\OpenPlatformBase::setLogger(): Argument #1 ($logger) must be of type ?object, int given
-- never a token, ticket or secret; one message per event
array(0) {
}
bool(true)
