--TEST--
wxredis-doctor --platform APPID: health() printed, as JSON, in Prometheus' text format (exact values of a known state) and --fleet flagging the differences of a mixed fleet; exit codes and option errors
--SKIPIF--
<?php require __DIR__ . '/support/skipif.inc'; ?>
--INI--
pcre.jit=0
--FILE--
<?php
require __DIR__ . '/support/doctor.inc';
$raw = wx_test_raw();
$pre = wx_test_prefix();
$app = 'wxdoctorcomponent';
$dsn = wx_test_server()['dsn'];
$now = time();

// a known state, written as the fleet's processes write it
$raw->set("{$pre}open_platform.verify_ticket.$app", serialize('ticket@@@secret-ticket-bytes'), 'EX', '41000');
$raw->set("{$pre}wxredis.verify_ticket_push.$app", serialize(['server' => 'web-1', 'pid' => 42, 'stored_at' => $now - 120,
    'create_time' => $now - 125, 'source' => 'push', 'fingerprint' => 'abcdef01']), 'EX', '2592000');
$raw->set("{$pre}open_platform.component_access_token.$app", serialize('secret-component-token'), 'EX', '5000');
$raw->zadd("{$pre}wxredis.authorizers.$app", (string) ($now + 60), 'wxa1', (string) ($now + 7000), 'wxa2', '0', 'wxa3');
$raw->sadd("{$pre}wxredis.refresh_missing.$app", 'wxa3');
$raw->set("{$pre}wxredis.last_refresh_error.$app", serialize(['at' => $now - 300, 'token' => 'authorizer_access_token',
    'authorizer_app_id' => 'wxa1', 'error' => 'WxRedis\ApiException', 'errcode' => 61023, 'message' => 'WeChat api_authorizer_token failed: errcode 61023',
    'server' => 'web-2']), 'EX', '604800');
$bucket = intdiv($now, 600);
$raw->hincrby("{$pre}wxredis.calls.$app.$bucket", 'api_component_token 0', '3');
$raw->hincrby("{$pre}wxredis.calls.$app." . ($bucket - 1), 'api_authorizer_token 61023', '1');
$fp = ['php' => '8.2.7', 'sapi' => 'fpm-fcgi', 'wxredis' => '0.1.0', 'phpredis' => '5.3.7', 'phpredis_serializers' => 'php,igbinary,json',
       'igbinary' => '3.2.13', 'msgpack' => null, 'symfony_cache' => 'v6.4.0'];
$raw->hset("{$pre}wxredis.fleet.$app", 'web-1', json_encode(['hostname' => 'web-1'] + $fp + ['seen_at' => $now - 100]),
    'web-2', json_encode(['hostname' => 'web-2', 'igbinary' => null, 'symfony_cache' => 'v7.2.0'] + $fp + ['seen_at' => $now - 200]));

echo "-- text\n";
[$code, $out] = wx_doctor([$dsn, "--prefix=$pre", '--platform', $app]);
echo preg_replace('/\b\d+(?:h\d\dm|s|m)\b/', 'T', $out);
var_dump($code);

echo "-- --json: health() and the warnings\n";
[$code, $out] = wx_doctor([$dsn, "--prefix=$pre", "--platform=$app", '--json', '--margin=120']);
$j = json_decode($out, true);
var_dump($code, $j['authorizers'], array_column($j['warnings'], 'code'), $j['ticket']['server'], $j['ticket']['age'] >= 120 && $j['ticket']['age'] < 900);

echo "-- --prometheus\n";
[$code, $out] = wx_doctor([$dsn, "--prefix=$pre", '--platform', $app, '--prometheus']);
var_dump($code);
// the exposition format: every sample after its metric's HELP and TYPE
$declared = [];
$samples = [];
foreach (explode("\n", rtrim($out, "\n")) as $line) {
    if (preg_match('/^# (HELP|TYPE) (\w+) (.+)$/', $line, $m)) { $declared[$m[2]][$m[1]] = $m[3]; continue; }
    if (!preg_match('/^(\w+)(\{[^}]*\})? (-?[0-9]+)$/', $line, $m)) { echo "BAD LINE: $line\n"; continue; }
    if (!isset($declared[$m[1]]['HELP'], $declared[$m[1]]['TYPE'])) echo "UNDECLARED: $line\n";
    $samples[] = [$m[1], $m[2], (int) $m[3]];
}
foreach ($samples as [$name, $labels, $v]) {
    if (in_array($name, ['wxredis_ticket_age_seconds', 'wxredis_ticket_expires_in_seconds', 'wxredis_component_token_expires_in_seconds',
                         'wxredis_last_refresh_error_timestamp_seconds', 'wxredis_wechat_calls_window_seconds', 'wxredis_server_seen_seconds'], true)) {
        $ok = match ($name) {
            'wxredis_ticket_age_seconds' => $v >= 120 && $v < 900,   // slow runs (valgrind) take minutes
            'wxredis_ticket_expires_in_seconds' => $v > 40200 && $v <= 41000,
            'wxredis_component_token_expires_in_seconds' => $v > 4200 && $v <= 5000,
            'wxredis_last_refresh_error_timestamp_seconds' => $v === $now - 300,
            'wxredis_wechat_calls_window_seconds' => $v >= 3000 && $v < 3600,
            'wxredis_server_seen_seconds' => $v >= 100 && $v < 1000,
        };
        $v = $ok ? 'T' : "WRONG $v";
    }
    echo "$name$labels $v\n";
}
echo $declared['wxredis_ticket_age_seconds']['TYPE'], "\n";
var_dump(str_contains($out, 'secret-ticket-bytes') || str_contains($out, 'secret-component-token'));

echo "-- --fleet\n";
[$code, $out] = wx_doctor([$dsn, "--prefix=$pre", '--platform', $app, '--fleet']);
echo preg_replace('/\d+s ago|\dm ago/', 'T ago', $out);
var_dump($code);
$raw->hdel("{$pre}wxredis.fleet.$app", 'web-2');
[$code, $out] = wx_doctor([$dsn, "--prefix=$pre", '--platform', $app, '--fleet']);
echo substr($out, strrpos(rtrim($out), "\n") + 1);
var_dump($code);

echo "-- option errors\n";
foreach ([['--prometheus'], ['--fleet'], ['--platform', $app, '--migrate'], ['--platform', $app, '--prometheus', '--json'],
          ['--platform', $app, '--margin', '9999'], ['--platform=']] as $args) {
    [$code, $out] = wx_doctor(array_merge([$dsn], $args));
    echo $code, ' ', trim(str_replace('--stderr--', '', $out)), "\n";
}
?>
--EXPECTF--
-- text
Open Platform wxdoctorcomponent, fleet-wide from Redis

ticket                       present (%s), expires in T, stored T ago by web-1 (push)
component token              T left
authorizers                  3 known, 1 expiring within T, 1 without a token, 1 refresh tokens missing
last refresh error           T ago on web-2: WxRedis\ApiException 61023 (authorizer_access_token of wxa1): WeChat api_authorizer_token failed: errcode 61023
WeChat calls                 4 (1 errors) in the last %s
  api_authorizer_token       errcode 61023  1
  api_component_token        errcode 0      3
servers seen                 2

warnings:
  - [refresh_tokens_missing] 1 authorizer(s) without a refresh token: wxredis-doctor --recover, or the merchants must authorize again
  - [refresh_error] authorizer_access_token refresh failed T ago on web-2: WxRedis\ApiException 61023
  - [fleet_igbinary] igbinary is loaded on some servers only: Symfony's marshaller then writes igbinary that the others cannot read: 3.2.13 on web-1; none on web-2
  - [fleet_symfony_cache] symfony/cache versions differ: 7.2+ marshals with serialize(), older with igbinary when loaded (php+php vs php+igbinary values): v6.4.0 on web-1; v7.2.0 on web-2
int(1)
-- --json: health() and the warnings
int(1)
array(5) {
  ["known"]=>
  int(3)
  ["expiring"]=>
  int(1)
  ["without_token"]=>
  int(1)
  ["refresh_tokens_missing"]=>
  int(1)
  ["margin"]=>
  int(120)
}
array(4) {
  [0]=>
  string(22) "refresh_tokens_missing"
  [1]=>
  string(13) "refresh_error"
  [2]=>
  string(14) "fleet_igbinary"
  [3]=>
  string(19) "fleet_symfony_cache"
}
string(5) "web-1"
bool(true)
-- --prometheus
int(0)
wxredis_ticket_present{app_id="wxdoctorcomponent"} 1
wxredis_ticket_age_seconds{app_id="wxdoctorcomponent",server="web-1"} T
wxredis_ticket_expires_in_seconds{app_id="wxdoctorcomponent"} T
wxredis_component_token_present{app_id="wxdoctorcomponent"} 1
wxredis_component_token_expires_in_seconds{app_id="wxdoctorcomponent"} T
wxredis_authorizers{app_id="wxdoctorcomponent"} 3
wxredis_authorizers_expiring{app_id="wxdoctorcomponent",margin="300"} 1
wxredis_authorizers_without_token{app_id="wxdoctorcomponent"} 1
wxredis_refresh_tokens_missing{app_id="wxdoctorcomponent"} 1
wxredis_last_refresh_error_timestamp_seconds{app_id="wxdoctorcomponent"} T
wxredis_last_refresh_error_code{app_id="wxdoctorcomponent",token="authorizer_access_token",error="WxRedis\\ApiException"} 61023
wxredis_wechat_calls{app_id="wxdoctorcomponent",api="api_authorizer_token",errcode="61023"} 1
wxredis_wechat_calls{app_id="wxdoctorcomponent",api="api_component_token",errcode="0"} 3
wxredis_wechat_calls_window_seconds{app_id="wxdoctorcomponent"} T
wxredis_server_info{app_id="wxdoctorcomponent",hostname="web-1",php="8.2.7",wxredis="0.1.0",phpredis="5.3.7",phpredis_serializers="php,igbinary,json",igbinary="3.2.13",msgpack="none",symfony_cache="v6.4.0"} 1
wxredis_server_info{app_id="wxdoctorcomponent",hostname="web-2",php="8.2.7",wxredis="0.1.0",phpredis="5.3.7",phpredis_serializers="php,igbinary,json",igbinary="none",msgpack="none",symfony_cache="v7.2.0"} 1
wxredis_server_seen_seconds{app_id="wxdoctorcomponent",hostname="web-1"} T
wxredis_server_seen_seconds{app_id="wxdoctorcomponent",hostname="web-2"} T
wxredis_fleet_differences{app_id="wxdoctorcomponent"} 2
gauge
bool(false)
-- --fleet
Servers of Open Platform wxdoctorcomponent (each records itself at most once an hour)

hostname  php    sapi      wxredis  phpredis  phpredis_serializers  igbinary  msgpack  symfony_cache  seen
web-1     8.2.7  fpm-fcgi  0.1.0    5.3.7     php,igbinary,json     3.2.13    -        v6.4.0         T ago
web-2     8.2.7  fpm-fcgi  0.1.0    5.3.7     php,igbinary,json     -         -        v7.2.0         T ago

differences:
  - [igbinary] 3.2.13 on web-1; none on web-2
    igbinary is loaded on some servers only: Symfony's marshaller then writes igbinary that the others cannot read
  - [symfony_cache] v6.4.0 on web-1; v7.2.0 on web-2
    symfony/cache versions differ: 7.2+ marshals with serialize(), older with igbinary when loaded (php+php vs php+igbinary values)
int(1)
no differences that break a mixed fleet
int(0)
-- option errors
2 wxredis-doctor: --prometheus goes with --platform APPID
2 wxredis-doctor: --fleet goes with --platform APPID
2 wxredis-doctor: --platform and --migrate are separate runs
2 wxredis-doctor: --prometheus and --json are two formats: pick one
2 wxredis-doctor: --margin is 0 to 3600 seconds, as refresh_margin
2 wxredis-doctor: --platform needs an app id
