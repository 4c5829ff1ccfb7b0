--TEST--
WxRedis\OpenPlatform: configuration checks, object rules, exception classes
--SKIPIF--
<?php require __DIR__ . '/support/skipif.inc'; ?>
--INI--
pcre.jit=0
--FILE--
<?php
require __DIR__ . '/support/platform.inc';
$cache = wx_test_cache();   // lazy: nothing is sent to Redis here
$emu = ['base' => 'http://127.0.0.1:1'];
$ok = wx_platform_config($emu);

$cases = [
    'missing app_id' => array_diff_key($ok, ['app_id' => 1]),
    'missing secret' => array_diff_key($ok, ['secret' => 1]),
    'missing token' => array_diff_key($ok, ['token' => 1]),
    'missing aes_key' => array_diff_key($ok, ['aes_key' => 1]),
    'unknown key' => $ok + ['appid' => 'wx1'],
    'list' => array_values($ok),
    'int secret' => ['secret' => 123] + $ok,
    'empty token' => ['token' => ''] + $ok,
    'NUL in secret' => ['secret' => "a\0b"] + $ok,
    'app_id with colon' => ['app_id' => 'wx:1'] + $ok,
    'short aes_key' => ['aes_key' => 'abc'] + $ok,
    'bad previous_aes_key' => ['previous_aes_key' => str_repeat('!', 43)] + $ok,
    'ftp api_base' => ['api_base' => 'ftp://example.com'] + $ok,
    'api_base with query' => ['api_base' => 'https://example.com/?x=1'] + $ok,
    'string http_timeout' => ['http_timeout' => '5'] + $ok,
    'zero http_timeout' => ['http_timeout' => 0] + $ok,
    'negative refresh_margin' => ['refresh_margin' => -1] + $ok,
    'huge refresh_margin' => ['refresh_margin' => 7200] + $ok,
    'lock_timeout below http_timeout' => ['http_timeout' => 5, 'lock_timeout' => 3] + $ok,
];
foreach ($cases as $name => $config) {
    echo "$name: ";
    wx_try(fn () => new WxRedis\OpenPlatform($config, $cache));
}

echo "valid ones:\n";
foreach ([
    $ok,
    ['previous_aes_key' => null, 'http_timeout' => 0.5, 'refresh_margin' => 0, 'lock_timeout' => 1] + $ok,
    ['previous_aes_key' => '', 'api_base' => 'HTTPS://api.weixin.qq.com/'] + $ok,
    ['previous_aes_key' => 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789abcdefg', 'http_timeout' => 30] + $ok,
] as $config) {
    var_dump(new WxRedis\OpenPlatform($config, $cache) instanceof WxRedis\OpenPlatform);
}

echo "not a cache: ";
wx_try(fn () => new WxRedis\OpenPlatform($ok, new stdClass()));
$p = new WxRedis\OpenPlatform($ok, $cache);
echo "twice: ";
wx_try(fn () => $p->__construct($ok, $cache));
echo "clone: ";
wx_try(fn () => clone $p);
echo "serialize: ";
wx_try(fn () => serialize($p));
echo "compare: ";
wx_try(fn () => $p == new WxRedis\OpenPlatform($ok, $cache));
echo "no properties: ";
var_dump(get_object_vars($p), (array) $p);
echo "dynamic property: ";
wx_try(function () use ($p) { $p->x = 1; });
$raw = (new ReflectionClass(WxRedis\OpenPlatform::class))->newInstanceWithoutConstructor();
echo "without constructor: ";
wx_try(fn () => $raw->getComponentAccessToken());
echo "authorizer app id: ";
wx_try(fn () => $p->getAuthorizerRefreshToken('wx/1'));
wx_try(fn () => $p->getAuthorizerRefreshToken(''));
wx_try(fn () => $p->setAuthorizerRefreshToken('wxa', ''));

echo "exceptions:\n";
foreach (['TicketException', 'ApiException', 'HttpException'] as $c) {
    $class = "WxRedis\\$c";
    $ifaces = class_implements($class);
    sort($ifaces);
    printf("%s: %s %s\n", $c, get_parent_class($class), implode(',', $ifaces));
}
$e = new WxRedis\ApiException('m', 61004);
var_dump($e->getErrcode(), $e->getErrmsg(), $e->getApi(), WxRedis\OpenPlatform::ERROR_NO_REFRESH_TOKEN);
?>
--EXPECT--
missing app_id: WxRedis\InvalidArgumentException(32): config "app_id" is required
missing secret: WxRedis\InvalidArgumentException(32): config "secret" is required
missing token: WxRedis\InvalidArgumentException(32): config "token" is required
missing aes_key: WxRedis\InvalidArgumentException(32): config "aes_key" is required
unknown key: WxRedis\InvalidArgumentException(32): unknown config key "appid" (known: app_id, secret, token, aes_key, previous_aes_key, api_base, http_timeout, refresh_margin, lock_timeout, min_replicas, min_replicas_timeout, keeper_rate, clear_quota_interval)
list: WxRedis\InvalidArgumentException(32): config must be an array keyed by name (app_id, secret, token, aes_key, ...)
int secret: WxRedis\InvalidArgumentException(32): config "secret" must be a non-empty string without NUL bytes, int given
empty token: WxRedis\InvalidArgumentException(32): config "token" must be a non-empty string without NUL bytes, an invalid string given
NUL in secret: WxRedis\InvalidArgumentException(32): config "secret" must be a non-empty string without NUL bytes, an invalid string given
app_id with colon: WxRedis\InvalidArgumentException(32): config "app_id" "wx:1" contains a character that is not allowed in an app id (byte 0x3a)
short aes_key: WxRedis\InvalidArgumentException(32): config "aes_key" is not a valid EncodingAESKey: EncodingAESKey must be exactly 43 characters, got 3
bad previous_aes_key: WxRedis\InvalidArgumentException(32): config "previous_aes_key" is not a valid EncodingAESKey: EncodingAESKey has an invalid character 0x21 at offset 0 (only A-Z, a-z, 0-9 allowed)
ftp api_base: WxRedis\InvalidArgumentException(32): config "api_base" must be an http:// or https:// URL, "ftp://example.com" given
api_base with query: WxRedis\InvalidArgumentException(32): config "api_base" must not have a query or fragment, "https://example.com/?x=1" given
string http_timeout: WxRedis\InvalidArgumentException(32): config "http_timeout" must be a number of seconds (int or float), string given
zero http_timeout: WxRedis\InvalidArgumentException(32): config "http_timeout" must be greater than 0 and at most 600 seconds, 0 given
negative refresh_margin: WxRedis\InvalidArgumentException(32): config "refresh_margin" must be at least 0 and at most 3600 seconds, -1 given
huge refresh_margin: WxRedis\InvalidArgumentException(32): config "refresh_margin" must be at least 0 and at most 3600 seconds, 7200 given
lock_timeout below http_timeout: WxRedis\InvalidArgumentException(32): config "lock_timeout" (3 s) must be longer than "http_timeout" (5 s): the refresh lock must outlive the WeChat call it protects
valid ones:
bool(true)
bool(true)
bool(true)
bool(true)
not a cache: TypeError(0): WxRedis\OpenPlatformBase::__construct(): Argument #2 ($cache) must be of type WxRedis\CacheBase, stdClass given
twice: Error(0): Cannot call the constructor twice
clone: Error(0): Trying to clone an uncloneable object of class WxRedis\OpenPlatform
serialize: Exception(0): Serialization of 'WxRedis\OpenPlatform' is not allowed
compare: returned false
no properties: array(0) {
}
array(0) {
}
dynamic property: Error(0): Cannot create dynamic property WxRedis\OpenPlatform::$x
without constructor: Error(0): WxRedis\OpenPlatform object is not initialized: its constructor was not called
authorizer app id: WxRedis\InvalidArgumentException(32): authorizer app id "wx/1" contains a character that is not allowed in an app id (byte 0x2f)
WxRedis\InvalidArgumentException(32): authorizer app id must be 1 to 64 characters long, 0 given
ValueError(0): WxRedis\OpenPlatformBase::setAuthorizerRefreshToken(): Argument #2 ($refreshToken) must not be empty
exceptions:
TicketException: RuntimeException Stringable,Throwable,WxRedis\Exception
ApiException: RuntimeException Stringable,Throwable,WxRedis\Exception
HttpException: RuntimeException Stringable,Throwable,WxRedis\Exception
int(0)
string(0) ""
string(0) ""
int(40)
