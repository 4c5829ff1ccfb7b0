--TEST--
WxRedis\OpenPlatform: a ticket handled by one PHP process (no phpredis) gives a component token in another (phpredis + igbinary serializer)
--SKIPIF--
<?php require __DIR__ . '/support/skipif.inc';
if (!extension_loaded('redis') || !extension_loaded('igbinary')) die('skip needs phpredis and igbinary in the second process'); ?>
--INI--
pcre.jit=0
--FILE--
<?php
require __DIR__ . '/support/platform.inc';
$emu = wx_emu_start();
$push = wx_emu_control($emu, 'push_ticket');
$inc = 'require ' . var_export(__DIR__ . '/support/platform.inc', true) . ';'
     . '$emu = ' . var_export($emu, true) . ';';

// server A: the callback URL, php -n (no phpredis, no igbinary, other precision)
echo wx_php_child($inc . '$push = ' . var_export($push, true) . ';'
    . 'echo extension_loaded("redis") ? "A has phpredis\n" : "A: no phpredis\n";'
    . 'echo wx_platform($emu)->handleCallback($push["query"], $push["body"]), "\n";',
    ['serialize_precision' => '5'], true);

// server B: phpredis loaded, its serializer set to igbinary and in use on the same Redis
echo wx_php_child($inc
    . '$r = new Redis(); [$h, $port] = explode(":", wx_test_server()["addr"]); $r->connect($h, (int) $port);'
    . '$r->setOption(Redis::OPT_SERIALIZER, Redis::SERIALIZER_IGBINARY);'
    . '$r->set(wx_test_prefix() . "phpredis-was-here", ["igbinary" => true]);'
    . 'echo "B: phpredis serializer ", $r->getOption(Redis::OPT_SERIALIZER) === Redis::SERIALIZER_IGBINARY ? "igbinary" : "?", "\n";'
    . '$p = wx_platform($emu);'
    . 'echo "B: ticket ", $p->getVerifyTicket() === ' . var_export($push['ticket'], true) . ' ? "intact" : "corrupted", "\n";'
    . 'file_put_contents(' . var_export($tokenFile = tempnam(sys_get_temp_dir(), 'wxtok'), true) . ', $p->getComponentAccessToken());');

$token = file_get_contents($tokenFile);
unlink($tokenFile);
$log = wx_emu_control($emu, 'log', ['path' => '/cgi-bin/component/api_component_token']);
var_dump(count($log), $log[0]['result'], $log[0]['body']['component_verify_ticket'] === $push['ticket']);
var_dump($token === wx_emu_control($emu, 'state')['current']['component']);
// and this process (phpredis loaded too) reads the same token from the cache
var_dump(wx_platform($emu)->getComponentAccessToken() === $token);
var_dump(wx_emu_calls($emu, '/cgi-bin/component/api_component_token'));
wx_emu_stop($emu);
?>
--EXPECT--
A: no phpredis
success
B: phpredis serializer igbinary
B: ticket intact
int(1)
int(0)
bool(true)
bool(true)
bool(true)
int(1)
