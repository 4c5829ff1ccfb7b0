--TEST--
WxRedis\OpenPlatform: WeChat down, hanging past http_timeout, HTTP 5xx, garbage: HttpException, no warnings, nothing overwritten, $http_response_header untouched
--SKIPIF--
<?php require __DIR__ . '/support/skipif.inc'; ?>
--INI--
pcre.jit=0
--FILE--
<?php
require __DIR__ . '/support/platform.inc';
$emu = wx_emu_start();
$path = '/cgi-bin/component/api_component_token';
$p = wx_platform($emu, ['http_timeout' => 1.0]);
$raw = wx_test_raw();
$ckey = wx_test_prefix() . 'open_platform.component_access_token.' . WX_PLATFORM_APPID;
$ticket = wx_platform_push_ticket($emu, $p);
$warnings = [];
set_error_handler(function ($no, $msg) use (&$warnings) { $warnings[] = $msg; return true; });
$backoff = fn () => $raw->del(wx_platform_lock_key());   // end a failed refresh's 1 s back-off

echo "-- allow_url_fopen=0 does not stop it (the URL is configuration, not user input)\n";
echo wx_php_child('require ' . var_export(__DIR__ . '/support/platform.inc', true) . ';'
    . 'var_dump(ini_get("allow_url_fopen"), strlen(wx_platform(' . var_export($emu, true) . ')->getComponentAccessToken()) > 100);',
    ['allow_url_fopen' => '0', 'pcre.jit' => '0'], true);
$raw->del($ckey);

echo "-- WeChat down (nothing listens)\n";
$down = wx_platform($emu, ['api_base' => 'http://127.0.0.1:' . wx_free_port(), 'http_timeout' => 1.0]);
wx_platform_try(fn () => $down->getComponentAccessToken());
$backoff();
echo "-- a name that does not resolve\n";
wx_platform_try(fn () => wx_platform($emu, ['api_base' => 'http://no-such-host.invalid'])->getComponentAccessToken());
$backoff();

echo "-- hanging past http_timeout\n";
wx_emu_control($emu, 'hang', ['path' => $path, 'seconds' => 3, 'times' => 1]);
$t = microtime(true);
wx_platform_try(fn () => $p->getComponentAccessToken());
$took = microtime(true) - $t;
var_dump($took >= 0.9 && $took < 2.9);   // the emulator hangs 3 s
$backoff();

echo "-- HTTP 502 with an HTML page\n";
wx_emu_control($emu, 'http_error', ['path' => $path, 'status' => 502, 'body' => "<html><body>502 Bad Gateway</body></html>\n"]);
wx_platform_try(fn () => $p->getComponentAccessToken());
$backoff();
echo "-- HTTP 200 with garbage\n";
wx_emu_control($emu, 'http_error', ['path' => $path, 'status' => 200, 'body' => "\x00\x01not json"]);
wx_platform_try(fn () => $p->getComponentAccessToken());
$backoff();
echo "-- HTTP 200 with JSON that is not an object, and one without the token\n";
wx_emu_control($emu, 'http_error', ['path' => $path, 'status' => 200, 'body' => '"a string"']);
wx_platform_try(fn () => $p->getComponentAccessToken());
$backoff();
wx_emu_control($emu, 'http_error', ['path' => $path, 'status' => 200, 'body' => '{"expires_in":7200}']);
wx_platform_try(fn () => $p->getComponentAccessToken());
$backoff();
var_dump($raw->exists($ckey));

echo "-- a valid token is not lost or overwritten by any of these\n";
$token = $p->getComponentAccessToken();
$raw->pexpire($ckey, '100000');
foreach ([['hang', ['seconds' => 3, 'times' => 1]], ['http_error', ['status' => 500]],
          ['http_error', ['status' => 200, 'body' => 'garbage']]] as [$op, $args]) {
    wx_emu_control($emu, $op, ['path' => $path] + $args);
    var_dump($p->getComponentAccessToken() === $token, $raw->get($ckey) === serialize($token));
    $backoff();
}
$down2 = wx_platform($emu, ['api_base' => 'http://127.0.0.1:' . wx_free_port()]);
var_dump($down2->getComponentAccessToken() === $token);
$backoff();

echo "-- waiting processes get the holder's error instead of calling WeChat themselves\n";
$raw->del($ckey);
wx_emu_control($emu, 'hang', ['path' => $path, 'seconds' => 3, 'times' => 1]);
$calls = wx_emu_calls($emu, $path);
$outs = wx_platform_wait(wx_platform_spawn(8, 'try { (new WxRedis\OpenPlatform($platformConfig, wx_test_cache()))->getComponentAccessToken(); echo "token"; }'
    . ' catch (Throwable $e) { echo get_class($e), "(", $e->getCode(), "): ", str_contains($e->getMessage(), "less than 1000 ms ago") ? "shared" : "own", " ", preg_replace("/127.0.0.1:\d+/", "{emu}", explode(" (the last", $e->getMessage())[0]); }',
    $emu, ['http_timeout' => 1.0]));
print_r(wx_platform_tally($outs));
var_dump(wx_emu_calls($emu, $path) - $calls);

echo "-- no warnings, and \$http_response_header is left alone\n";
var_dump($warnings, error_get_last());
function inside(WxRedis\OpenPlatform $p) {
    $p->getComponentAccessToken();
    var_dump(isset($http_response_header));
    $http_response_header = ['mine'];
    $p->createPreAuthCode();
    var_dump($http_response_header);
}
$backoff();
inside($p);
var_dump(isset($http_response_header));
$http_response_header = 'global';
$p->createPreAuthCode();
var_dump($http_response_header);
$fn = function () use ($p) { $p->createPreAuthCode(); return get_defined_vars(); };
var_dump($fn());
wx_emu_stop($emu);
?>
--EXPECTF--
-- allow_url_fopen=0 does not stop it (the URL is configuration, not user input)
string(1) "0"
bool(true)
-- WeChat down (nothing listens)
WxRedis\HttpException(0): WeChat api_component_token: POST http://127.0.0.1:{port}/cgi-bin/component/api_component_token failed: Connection refused
-- a name that does not resolve
WxRedis\HttpException(0): WeChat api_component_token: POST http://no-such-host.invalid/cgi-bin/component/api_component_token failed: %s
-- hanging past http_timeout
WxRedis\HttpException(0): WeChat api_component_token: POST http://127.0.0.1:{port}/cgi-bin/component/api_component_token failed: no complete answer within 1 s (http_timeout)
bool(true)
-- HTTP 502 with an HTML page
WxRedis\HttpException(502): WeChat api_component_token: POST http://127.0.0.1:{port}/cgi-bin/component/api_component_token answered HTTP 502: <html><body>502 Bad Gateway</body></html>?
-- HTTP 200 with garbage
WxRedis\HttpException(200): WeChat api_component_token: POST http://127.0.0.1:{port}/cgi-bin/component/api_component_token answered with a body that is not a JSON object: "??not json"
-- HTTP 200 with JSON that is not an object, and one without the token
WxRedis\HttpException(200): WeChat api_component_token: POST http://127.0.0.1:{port}/cgi-bin/component/api_component_token answered with a body that is not a JSON object: ""a string""
WxRedis\HttpException(200): WeChat api_component_token: the answer has no component_access_token
int(0)
-- a valid token is not lost or overwritten by any of these
bool(true)
bool(true)
bool(true)
bool(true)
bool(true)
bool(true)
bool(true)
-- waiting processes get the holder's error instead of calling WeChat themselves
Array
(
    [WxRedis\HttpException(0): own WeChat api_component_token: POST http://{emu}/cgi-bin/component/api_component_token failed: no complete answer within 1 s (http_timeout)] => 1
    [WxRedis\HttpException(0): shared WeChat api_component_token: POST http://{emu}/cgi-bin/component/api_component_token failed: no complete answer within 1 s (http_timeout)] => 7
)
int(1)
-- no warnings, and $http_response_header is left alone
array(0) {
}
NULL
bool(false)
array(1) {
  [0]=>
  string(4) "mine"
}
bool(false)
string(6) "global"
array(1) {
  ["p"]=>
  object(WxRedis\OpenPlatform)#%d (0) {
  }
}
