--TEST--
WxRedis\Format (detect/encode/decode: the cache's own format logic) and Cache::rawCommand()
--SKIPIF--
<?php require __DIR__ . '/support/skipif.inc';
if (!extension_loaded('igbinary') || !extension_loaded('msgpack')) die('skip needs igbinary and msgpack'); ?>
--FILE--
<?php
require __DIR__ . '/support/common.inc';
class T { public $a = 1; public function __wakeup() { echo "USER CODE RAN\n"; } }
echo "detect\n";
foreach ([
    'canonical string' => WxRedis\Format::encode('ticket'),
    'canonical object' => WxRedis\Format::encode(new T),
    'precision 17'     => 'd:0.10000000000000001;',
    'php+igbinary'     => serialize(igbinary_serialize('ticket')),
    'igbinary'         => igbinary_serialize('ticket'),
    'msgpack'          => msgpack_pack('ticket'),
    'json'             => json_encode(['a' => 1]),
    'raw'              => 'ticket@@@',
    'empty'            => '',
    'broken php'       => 'E:6:"No:Way";',
] as $label => $bytes) {
    printf("%-17s %s\n", $label, WxRedis\Format::detect($bytes));
}
echo "encode is what set() writes\n";
$c = wx_test_cache();
$c->set('k', ['x' => 0.1]);
var_dump($c->rawCommand('GET', wx_test_prefix() . 'k') === WxRedis\Format::encode(['x' => 0.1]));
echo "decode is what get() returns, with the same errors\n";
var_dump(WxRedis\Format::decode('s:6:"ticket";'));
wx_try(fn() => WxRedis\Format::decode('ticket@@@', false, true, 'some:key'));
var_dump(WxRedis\Format::decode(igbinary_serialize('ticket'), true));
var_dump(get_class(WxRedis\Format::decode(WxRedis\Format::encode(new T), false, false)));
wx_try(fn() => WxRedis\Format::decode('N;', false, 'nope'));
wx_try(fn() => new WxRedis\Format());
echo "rawCommand: no prefix, bytes as they are, replies mapped\n";
$p = wx_test_prefix();
var_dump($c->rawCommand('SET', "{$p}raw", "a\0b"), $c->rawCommand('GET', "{$p}raw"));
var_dump($c->rawCommand('EXPIRE', "{$p}raw", 100), $c->rawCommand('TTL', "{$p}raw"));
var_dump($c->rawCommand('GET', "{$p}nothing"));
var_dump($c->rawCommand('MGET', "{$p}raw", "{$p}nothing"));
wx_try(fn() => $c->rawCommand('NOSUCHCOMMAND'));
wx_try(fn() => $c->rawCommand('GET', ['array']));
var_dump($c->rawCommand('DEL', "{$p}raw", "{$p}k"));
--EXPECTF--
detect
canonical string  wxredis
canonical object  wxredis
precision 17      php
php+igbinary      php+igbinary
igbinary          igbinary
msgpack           msgpack
json              json
raw               raw
empty             empty
broken php        php
encode is what set() writes
bool(true)
decode is what get() returns, with the same errors
string(6) "ticket"
WxRedis\CacheException(20): value under key "some:key" is not in wxredis format (PHP serialize): it looks like raw (9 bytes), probably written by phpredis or Symfony with another serializer; set the legacy_formats option to read it during a migration
string(6) "ticket"
string(22) "__PHP_Incomplete_Class"
WxRedis\InvalidArgumentException(32): allowedClasses must be true, false or a list of class names, string given
Error(0): Call to private WxRedis\Format::__construct() from global scope
rawCommand: no prefix, bytes as they are, replies mapped
string(2) "OK"
string(3) "a%0b"
int(1)
int(100)
NULL
array(2) {
  [0]=>
  string(3) "a%0b"
  [1]=>
  NULL
}
WxRedis\CacheException(7): Redis NOSUCHCOMMAND failed: ERR unknown command 'NOSUCHCOMMAND', with args beginning with: 
TypeError(0): WxRedis\CacheBase::rawCommand(): Argument #2 must be of type string, array given
int(2)
