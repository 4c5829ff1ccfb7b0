--TEST--
WxRedis\Cache: wire format is PHP serialize() bytes, identical whatever phpredis, igbinary or serialize_precision say
--SKIPIF--
<?php require __DIR__ . '/support/skipif.inc';
if (!extension_loaded('redis') || !extension_loaded('igbinary')) die('skip needs phpredis and igbinary to prove they do not matter'); ?>
--FILE--
<?php
require __DIR__ . '/support/common.inc';
$raw = wx_test_raw();
$p = wx_test_prefix();

// 1. The Redis key is prefix + key, the value serialize() with precision -1
ini_set('serialize_precision', '17');
$c = wx_test_cache();
$c->set('open_platform.verify_ticket.wx123', 'ticket@@@xyz');
$c->set('f', 0.1);
$c->set('arr', ['a' => 1, 'b' => [true, null, 1.5]]);
var_dump($raw->get($p . 'open_platform.verify_ticket.wx123'));
var_dump($raw->get($p . 'f'));
var_dump($raw->get($p . 'arr'));
var_dump(serialize(0.1)); // what PHP itself writes with this ini

// 2. phpredis on this process set to igbinary changes nothing
$r = new Redis();
$r->connect('127.0.0.1', (int) explode(':', wx_test_server()['addr'])[1]);
$r->setOption(Redis::OPT_SERIALIZER, Redis::SERIALIZER_IGBINARY);
$c->set('after-phpredis', ['x' => 0.1]);
var_dump($raw->get($p . 'after-phpredis'));

// 3. A process without phpredis/igbinary (php -n, other precision) writes
//    the same bytes; a process with phpredis set to igbinary reads them back
echo wx_php_child('$c = wx_test_cache(); $c->set("child", ["x" => 0.1, "t" => "ticket"]);'
    . 'echo extension_loaded("redis") ? "redis\n" : "no phpredis\n";',
    ['serialize_precision' => '5'], true);
var_dump($raw->get($p . 'child'));
echo wx_php_child('$r = new Redis(); $c = wx_test_cache(); var_dump($c->get("child"));');
var_dump($c->get('child') === ['x' => 0.1, 't' => 'ticket']);
?>
--EXPECT--
string(20) "s:12:"ticket@@@xyz";"
string(6) "d:0.1;"
string(56) "a:2:{s:1:"a";i:1;s:1:"b";a:3:{i:0;b:1;i:1;N;i:2;d:1.5;}}"
string(22) "d:0.10000000000000001;"
string(20) "a:1:{s:1:"x";d:0.1;}"
no phpredis
string(41) "a:2:{s:1:"x";d:0.1;s:1:"t";s:6:"ticket";}"
array(2) {
  ["x"]=>
  float(0.1)
  ["t"]=>
  string(6) "ticket"
}
bool(true)
