--TEST--
WxRedis\OpenPlatform::health(): the fleet's state from Redis against a known state (ticket and the server that stored it, component token, registry counts, refresh tokens missing, last refresh error, WeChat calls of the last hour by API and errcode, servers and their differences); fingerprints recorded at most once an hour per process, skipped when equal and fresh
--SKIPIF--
<?php require __DIR__ . '/support/skipif.inc'; ?>
--INI--
pcre.jit=0
--FILE--
<?php
require __DIR__ . '/support/platform.inc';
$emu = wx_emu_start();
$raw = wx_test_raw();
$pre = wx_test_prefix();
$app = WX_PLATFORM_APPID;
$host = gethostname();
$fleetKey = "{$pre}wxredis.fleet.$app";

echo "-- an empty Redis\n";
$p = wx_platform($emu, ['refresh_margin' => 600]);
$h = $p->health();
var_dump($h['ticket']['present'], $h['component_token'], $h['authorizers'], $h['last_refresh_error'],
         $h['wechat_calls']['total'], $h['servers'], $h['fleet_differences']);
var_dump($raw->exists($fleetKey));                  // health() is not a fleet member: it records nothing

echo "-- a known state\n";
$ticket = wx_platform_push_ticket($emu, $p);        // this server's push, recorded
$p->getComponentAccessToken();                     // api_component_token 0
$raw->del($pre . "open_platform.component_access_token.$app");
wx_emu_control($emu, 'fail', ['path' => '/cgi-bin/component/api_component_token', 'errcode' => 45009, 'times' => 1]);
try { $p->getComponentAccessToken(); } catch (WxRedis\ApiException $e) {}   // api_component_token 45009, the last error
$raw->del(wx_platform_lock_key());
$token = $p->getComponentAccessToken();            // api_component_token 0
$now = time();
$reg = "{$pre}wxredis.authorizers.$app";
$raw->zadd($reg, (string) ($now + 100), 'wxa1', (string) ($now + 500), 'wxa2', (string) ($now + 5000), 'wxa3', '0', 'wxa4', (string) ($now - 10), 'wxa5');
$raw->sadd("{$pre}wxredis.refresh_missing.$app", 'wxa4', 'wxa6');
// calls of other servers: 20 minutes ago (counted), 2 hours ago (not: outside the hour)
$bucket = intdiv($now, 600);
$raw->hincrby("{$pre}wxredis.calls.$app." . ($bucket - 2), 'api_authorizer_token 0', '7');
$raw->hincrby("{$pre}wxredis.calls.$app." . ($bucket - 2), 'api_authorizer_token 61023', '2');
$raw->hincrby("{$pre}wxredis.calls.$app." . ($bucket - 12), 'api_authorizer_token 0', '1000');
// two other servers: one differs in what breaks a mixed fleet, one was last seen two days ago
$mine = json_decode($raw->hget($fleetKey, $host), true);
$other = ['hostname' => 'web-2', 'igbinary' => null, 'symfony_cache' => 'v7.2.0', 'seen_at' => $now - 600] + $mine;
$gone = ['hostname' => 'web-old', 'wxredis' => '0.0.9', 'seen_at' => $now - 2 * 86400] + $mine;
$raw->hset($fleetKey, 'web-2', json_encode($other), 'web-old', json_encode($gone));

$h = $p->health();
$t = $h['ticket'];
var_dump($h['app_id'], abs($h['time'] - $now) <= 300);      // bounds wide enough for valgrind runs
var_dump($t['present'], $t['fingerprint'] === substr(hash('sha256', $ticket), 0, 8), $t['server'] === $host, $t['source'],
         $t['age'] === $h['time'] - $t['stored_at'], $t['age'] >= 0 && $t['age'] < 600, $t['expires_in'] > 40500 && $t['expires_in'] <= 41400,
         is_int($t['create_time']));
var_dump($h['component_token']['present'], $h['component_token']['expires_in'] > 6500 && $h['component_token']['expires_in'] <= 7100);
var_dump($h['authorizers']);                        // wxa1 and wxa2 within 600 s (wxa5 already past: also due), wxa4 none yet
$e = $h['last_refresh_error'];
var_dump($e['token'], $e['authorizer_app_id'], $e['error'], $e['errcode'], $e['server'] === $host, $e['ago'] >= 0 && $e['ago'] < 600,
         str_contains($e['message'], '45009'));
$calls = $h['wechat_calls'];
var_dump($calls['by_api'], $calls['total'], $calls['errors'], $calls['window_seconds'] >= 3000 && $calls['window_seconds'] < 3600);
$names = array_column($h['servers'], 'hostname');
$sorted = $names; sort($sorted, SORT_STRING);
var_dump($names === $sorted, count($names), in_array('web-old', $names, true));
$me = $h['servers'][array_search($host, $names, true)];
var_dump($me['php'] === PHP_VERSION, $me['wxredis'] === phpversion('wxredis'), $me['phpredis'] === (phpversion('redis') ?: null),
         $me['igbinary'] === (phpversion('igbinary') ?: null), $me['sapi'], $me['symfony_cache'], $me['seen_ago'] >= 0 && $me['seen_ago'] < 600);
foreach ($h['fleet_differences'] as $d) {
    ksort($d['values']);
    echo $d['field'], ': ', json_encode($d['values']), "\n";
}

echo "-- once an hour per process\n";
$seen = json_decode($raw->hget($fleetKey, $host), true)['seen_at'];
$raw->hdel($fleetKey, $host);
$p->getVerifyTicket();
wx_platform($emu)->getComponentAccessToken();      // another object, same process: not again within the hour
var_dump($raw->hexists($fleetKey, $host));
$child = 'require ' . var_export(__DIR__ . '/support/platform.inc', true) . ';'
    . '$p = new WxRedis\OpenPlatform(wx_platform_config(' . var_export($emu, true) . '), wx_test_cache()); $p->getVerifyTicket(); $p->getVerifyTicket();';
echo wx_php_child($child);                          // a new process records itself
$doc = json_decode($raw->hget($fleetKey, $host), true);
var_dump($doc['hostname'] === $host, $doc['php'] === PHP_VERSION, $doc['seen_at'] >= $seen);
echo "-- equal and fresh: not written again\n";
$doc['seen_at'] = $now - 60;
$raw->hset($fleetKey, $host, json_encode($doc));
echo wx_php_child($child);
var_dump(json_decode($raw->hget($fleetKey, $host), true)['seen_at'] === $now - 60);
echo "-- equal but older than an hour: written\n";
$doc['seen_at'] = $now - 4000;
$raw->hset($fleetKey, $host, json_encode($doc));
echo wx_php_child($child);
var_dump(json_decode($raw->hget($fleetKey, $host), true)['seen_at'] >= $now);
echo "-- fresh but different (php -n: no phpredis, igbinary): written\n";
echo wx_php_child($child, [], true);
$bare = json_decode($raw->hget($fleetKey, $host), true);
var_dump($bare['phpredis'], $bare['igbinary'], $bare['phpredis_serializers']);
var_dump($raw->ttl($fleetKey) > 2590000);
wx_emu_stop($emu);
?>
--EXPECTF--
-- an empty Redis
bool(false)
array(2) {
  ["present"]=>
  bool(false)
  ["expires_in"]=>
  NULL
}
array(5) {
  ["known"]=>
  int(0)
  ["expiring"]=>
  int(0)
  ["without_token"]=>
  int(0)
  ["refresh_tokens_missing"]=>
  int(0)
  ["margin"]=>
  int(600)
}
NULL
int(0)
array(0) {
}
array(0) {
}
int(0)
-- a known state
string(21) "wx0000000000component"
bool(true)
bool(true)
bool(true)
bool(true)
string(4) "push"
bool(true)
bool(true)
bool(true)
bool(true)
bool(true)
bool(true)
array(5) {
  ["known"]=>
  int(5)
  ["expiring"]=>
  int(3)
  ["without_token"]=>
  int(1)
  ["refresh_tokens_missing"]=>
  int(2)
  ["margin"]=>
  int(600)
}
string(22) "component_access_token"
NULL
string(20) "WxRedis\ApiException"
int(45009)
bool(true)
bool(true)
bool(true)
array(2) {
  ["api_authorizer_token"]=>
  array(2) {
    [0]=>
    int(7)
    [61023]=>
    int(2)
  }
  ["api_component_token"]=>
  array(2) {
    [0]=>
    int(2)
    [45009]=>
    int(1)
  }
}
int(12)
int(3)
bool(true)
bool(true)
int(3)
bool(true)
bool(true)
bool(true)
bool(true)
bool(true)
string(3) "cli"
NULL
bool(true)
igbinary: {"%s":["%s"],"none":["web-2"]}
symfony_cache: {"none":["%s"],"v7.2.0":["web-2"]}
-- once an hour per process
int(0)
bool(true)
bool(true)
bool(true)
-- equal and fresh: not written again
bool(true)
-- equal but older than an hour: written
bool(true)
-- fresh but different (php -n: no phpredis, igbinary): written
NULL
NULL
NULL
bool(true)
