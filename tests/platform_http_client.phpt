--TEST--
WxRedis\OpenPlatform's HTTP client: chunked and 100-continue answers, the request it sends, a server trickling bytes past http_timeout (the deadline bounds the whole call), cut, oversized and non-HTTP answers, TLS verified against openssl.cafile; no warnings, no token in messages
--SKIPIF--
<?php require __DIR__ . '/support/skipif.inc';
if (!extension_loaded('openssl')) die('skip needs ext/openssl for the TLS server'); ?>
--INI--
pcre.jit=0
--FILE--
<?php
require __DIR__ . '/support/platform.inc';
require __DIR__ . '/support/http_server.inc';
$srv = wx_http_server_start();
$raw = wx_test_raw();
$ckey = 'open_platform.component_access_token.' . WX_PLATFORM_APPID;
$warnings = [];
set_error_handler(function ($no, $msg) use (&$warnings) { $warnings[] = $msg; return true; });
// 10 s: the server may run under valgrind; the trickling cases set 1 s themselves
$at = fn (string $mode, array $o = []) => wx_platform(['base' => "http://127.0.0.1:{$srv['port']}/$mode"], $o + ['http_timeout' => 10.0]);
$fresh = function (WxRedis\OpenPlatform $p) use ($raw, $ckey) {
    $p->setVerifyTicket('ticket@@@http');
    $raw->del(wx_platform_lock_key(), wx_test_prefix() . $ckey);
    return $p;
};
$mask = fn (string $s) => str_replace((string) $srv['port'], '{port}', $s);

echo "-- chunked (1-, 3-, 7-byte chunks, an extension, a trailer) and 100 Continue\n";
var_dump($fresh($at('chunked'))->getComponentAccessToken());
var_dump($fresh($at('continue'))->getComponentAccessToken());
var_dump($raw->get(wx_test_prefix() . $ckey) === serialize('tok-continue'));

echo "-- what is sent: one HTTP/1.1 POST, Connection: close, the token only in the request line\n";
$p = $fresh($at('echo'));
$head = base64_decode($token = $p->getComponentAccessToken());
echo $mask(preg_replace('/\r\n\r\n.*$/s', '', $head)), "\n";
var_dump(json_decode(substr($head, strpos($head, "\r\n\r\n") + 4), true)['component_verify_ticket']);
$head = base64_decode($p->createPreAuthCode());
echo explode("\r\n", $head)[0] === 'POST /echo/cgi-bin/component/api_create_preauthcode?component_access_token=' . urlencode($token) . ' HTTP/1.1'
    ? "the token in the query, urlencoded\n" : "UNEXPECTED: " . explode("\r\n", $head)[0] . "\n";

echo "-- no token in any message\n";
$secret = 'secret-token-' . bin2hex(random_bytes(4));
$p = $at('close');
wx_test_cache()->set($ckey, $secret, 7000);
wx_platform_try(fn () => $p->createPreAuthCode(), [(string) $srv['port'] => '{port}']);
try { $p->createPreAuthCode(); } catch (WxRedis\HttpException $e) {
    var_dump(str_contains($e->getMessage(), $secret), str_contains($e->getMessage(), 'component_access_token='));
}
$raw->del(wx_test_prefix() . $ckey);

echo "-- a server trickling a byte every 200 ms: http_timeout bounds the whole call, not each read\n";
foreach (['trickle', 'slowhead'] as $mode) {
    $t = microtime(true);
    wx_platform_try(fn () => $fresh($at($mode, ['http_timeout' => 1.0]))->getComponentAccessToken(), [(string) $srv['port'] => '{port}']);
    $took = microtime(true) - $t;
    var_dump($took >= 0.9 && $took < 2.9);
}

echo "-- answers that are cut, too large or not HTTP\n";
foreach (['close', 'cut', 'big', 'bigchunked', 'garbage'] as $mode) {
    wx_platform_try(fn () => $fresh($at($mode))->getComponentAccessToken(), [(string) $srv['port'] => '{port}']);
}
var_dump($raw->exists(wx_test_prefix() . $ckey));
wx_http_server_stop($srv);

echo "-- TLS: the peer is verified (openssl.cafile, the host name)\n";
$dir = sys_get_temp_dir() . '/wx_tls_' . getmypid();
@mkdir($dir);
$cert = wx_http_server_cert($dir, 'localhost');
$tls = wx_http_server_start($cert);
$https = fn (string $host) => wx_platform(['base' => "https://$host:{$tls['port']}/chunked"], ['http_timeout' => 10.0]);
wx_platform_try(fn () => $fresh($https('localhost'))->getComponentAccessToken(), [(string) $tls['port'] => '{port}']);
$child = 'require ' . var_export(__DIR__ . '/support/platform.inc', true) . ';'
    . '$p = wx_platform(["base" => "https://%s:' . $tls['port'] . '/chunked"], ["http_timeout" => 10.0]);'
    . '$p->setVerifyTicket("t"); wx_test_raw()->del(wx_platform_lock_key(), wx_test_prefix() . ' . var_export($ckey, true) . ');'
    . 'wx_platform_try(fn () => $p->getComponentAccessToken(), [' . var_export((string) $tls['port'], true) . ' => "{port}"]);'
    . 'var_dump(error_get_last());';
echo "with openssl.cafile = its certificate:\n";
echo wx_php_child(sprintf($child, 'localhost'), ['openssl.cafile' => $cert[0], 'pcre.jit' => '0']);
echo "the same certificate, another host name:\n";
echo wx_php_child(sprintf($child, '127.0.0.1'), ['openssl.cafile' => $cert[0], 'pcre.jit' => '0']);
wx_http_server_stop($tls);
array_map('unlink', glob("$dir/*"));
rmdir($dir);

echo "-- no warnings, no error_get_last(), no \$http_response_header\n";
var_dump($warnings, error_get_last(), isset($http_response_header));
?>
--EXPECTF--
-- chunked (1-, 3-, 7-byte chunks, an extension, a trailer) and 100 Continue
string(11) "tok-chunked"
string(12) "tok-continue"
bool(true)
-- what is sent: one HTTP/1.1 POST, Connection: close, the token only in the request line
POST /echo/cgi-bin/component/api_component_token HTTP/1.1
Host: 127.0.0.1:{port}
User-Agent: wxredis/%s
Content-Type: application/json; charset=utf-8
Accept: application/json
Content-Length: %d
Connection: close
string(13) "ticket@@@http"
the token in the query, urlencoded
-- no token in any message
WxRedis\HttpException(0): WeChat api_create_preauthcode: POST http://127.0.0.1:{port}/close/cgi-bin/component/api_create_preauthcode failed: the server closed the connection without an answer
bool(false)
bool(false)
-- a server trickling a byte every 200 ms: http_timeout bounds the whole call, not each read
WxRedis\HttpException(0): WeChat api_component_token: POST http://127.0.0.1:{port}/trickle/cgi-bin/component/api_component_token failed: no complete answer within 1 s (http_timeout)
bool(true)
WxRedis\HttpException(0): WeChat api_component_token: POST http://127.0.0.1:{port}/slowhead/cgi-bin/component/api_component_token failed: no complete answer within 1 s (http_timeout)
bool(true)
-- answers that are cut, too large or not HTTP
WxRedis\HttpException(0): WeChat api_component_token: POST http://127.0.0.1:{port}/close/cgi-bin/component/api_component_token failed: the server closed the connection without an answer
WxRedis\HttpException(0): WeChat api_component_token: POST http://127.0.0.1:{port}/cut/cgi-bin/component/api_component_token failed: the connection closed before the answer was complete
WxRedis\HttpException(0): WeChat api_component_token: POST http://127.0.0.1:{port}/big/cgi-bin/component/api_component_token failed: the answer is larger than 4194304 bytes
WxRedis\HttpException(0): WeChat api_component_token: POST http://127.0.0.1:{port}/bigchunked/cgi-bin/component/api_component_token failed: the answer is larger than 4194304 bytes
WxRedis\HttpException(0): WeChat api_component_token: POST http://127.0.0.1:{port}/garbage/cgi-bin/component/api_component_token failed: the answer is not HTTP/1.x (no status line)
int(0)
-- TLS: the peer is verified (openssl.cafile, the host name)
WxRedis\HttpException(0): WeChat api_component_token: POST https://localhost:{port}/chunked/cgi-bin/component/api_component_token failed: %scertificate verify failed
with openssl.cafile = its certificate:
returned a string
NULL
the same certificate, another host name:
WxRedis\HttpException(0): WeChat api_component_token: POST https://127.0.0.1:{port}/chunked/cgi-bin/component/api_component_token failed: Peer certificate CN=`localhost' did not match expected CN=`127.0.0.1'
NULL
-- no warnings, no error_get_last(), no $http_response_header
array(0) {
}
NULL
bool(false)
