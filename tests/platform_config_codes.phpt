--TEST--
WxRedis\OpenPlatform: its own error codes (ERROR_CONFIG, ERROR_NO_REFRESH_TOKEN) on every config and app id error, api_base parsed up front, app ids that cannot be key parts
--SKIPIF--
<?php require __DIR__ . '/support/skipif.inc'; ?>
--FILE--
<?php
require __DIR__ . '/support/platform.inc';
$cache = wx_test_cache();   // lazy: nothing is sent to Redis here
$ok = wx_platform_config(['base' => 'http://127.0.0.1:1']);
var_dump(WxRedis\OpenPlatform::ERROR_CONFIG, WxRedis\OpenPlatform::ERROR_NO_REFRESH_TOKEN);
$codes = [];
foreach ([
    'user info in api_base' => ['api_base' => 'https://user:pw@api.example.com'] + $ok,
    'no host' => ['api_base' => 'https://'] + $ok,
    'bad port' => ['api_base' => 'http://127.0.0.1:99999'] + $ok,
    'space in the path' => ['api_base' => 'http://127.0.0.1/a b'] + $ok,
    'app_id with a dot' => ['app_id' => 'wx.1'] + $ok,
    'app_id of 65 bytes' => ['app_id' => str_repeat('w', 65)] + $ok,
    'float refresh_margin string' => ['refresh_margin' => '1.5'] + $ok,
] as $name => $config) {
    echo "$name: ";
    try {
        new WxRedis\OpenPlatform($config, $cache);
        echo "accepted\n";
    } catch (WxRedis\InvalidArgumentException $e) {
        $codes[] = $e->getCode();
        echo $e->getMessage(), "\n";
    }
}
var_dump(array_unique($codes) === [WxRedis\OpenPlatform::ERROR_CONFIG]);
echo "valid: ";
var_dump((new WxRedis\OpenPlatform(['api_base' => 'http://[::1]:8080/wechat/'] + $ok, $cache)) instanceof WxRedis\OpenPlatform);
$p = new WxRedis\OpenPlatform($ok, $cache);
foreach (['wx.a', 'wx:a', ''] as $id) {
    try {
        $p->getAuthorizerRefreshToken($id);
    } catch (WxRedis\InvalidArgumentException $e) {
        printf("authorizer %s: %d %s\n", json_encode($id), $e->getCode(), $e->getMessage());
    }
}
?>
--EXPECT--
int(32)
int(40)
user info in api_base: config "api_base" is not a URL wxredis can call (user info (user:password@) is not supported), "https://user:pw@api.example.com" given
no host: config "api_base" is not a URL wxredis can call (no host), "https://" given
bad port: config "api_base" is not a URL wxredis can call (a port that is not 1 to 65535), "http://127.0.0.1:99999" given
space in the path: config "api_base" is not a URL wxredis can call (a byte 0x20 in the path (a query, fragment, space or non-ASCII)), "http://127.0.0.1/a b" given
app_id with a dot: config "app_id" "wx.1" contains a character that is not allowed in an app id (byte 0x2e)
app_id of 65 bytes: config "app_id" must be 1 to 64 characters long, 65 given
float refresh_margin string: config "refresh_margin" must be a number of seconds (int or float), string given
bool(true)
valid: bool(true)
authorizer "wx.a": 32 authorizer app id "wx.a" contains a character that is not allowed in an app id (byte 0x2e)
authorizer "wx:a": 32 authorizer app id "wx:a" contains a character that is not allowed in an app id (byte 0x3a)
authorizer "": 32 authorizer app id must be 1 to 64 characters long, 0 given
