--TEST--
WxRedis\Cache: php+php (symfony/cache >= 7.2 serialize marshaller under phpredis) is refused, unwrapped in legacy mode, never written (issue 9, item 8)
--SKIPIF--
<?php require __DIR__ . '/support/skipif.inc';
if (!extension_loaded('igbinary')) die('skip needs igbinary to write the igbinary case'); ?>
--FILE--
<?php
require __DIR__ . '/support/common.inc';
$raw = wx_test_raw();
$p = wx_test_prefix();
$ticket = 'ticket@@@' . str_repeat('x', 20);
$inner = serialize($ticket);                   // Symfony's serialize marshaller
$raw->cmd('SET', $p . 'php', serialize($inner));            // phpredis SERIALIZER_PHP
$raw->cmd('SET', $p . 'json', json_encode($inner));         // phpredis SERIALIZER_JSON
$raw->cmd('SET', $p . 'igb', igbinary_serialize($inner));   // phpredis SERIALIZER_IGBINARY
$raw->cmd('SET', $p . 'arr', serialize(serialize(['a' => 1])));
$raw->cmd('SET', $p . 'plain', serialize('s:3:"abc'));      // a string that merely starts like one: ours
$raw->cmd('SET', $p . 'num', serialize('i:42;'));

echo "strict: refused with the format named\n";
$c = wx_test_cache();
foreach (['php', 'arr', 'num'] as $k) wx_try(fn() => $c->get($k));
wx_try(fn() => $c->getMultiple(['plain', 'php'])->toArray());
var_dump($c->get('plain'));
echo "Format::detect\n";
foreach (['php', 'arr', 'num', 'plain', 'json', 'igb'] as $k) echo "$k: ", WxRedis\Format::detect($raw->cmd('GET', $p . $k)), "\n";
echo "legacy_formats: unwrapped once\n";
$l = wx_test_cache(['legacy_formats' => true]);
var_dump($l->get('php') === $ticket, $l->get('json') === $ticket, $l->get('igb') === $ticket, $l->get('arr'), $l->get('num'), $l->get('plain'));
echo "set() refuses to write what would read as php+php\n";
foreach ([$inner, serialize(['a' => 1]), 'i:42;', 'b:0;', 'N;'] as $v) wx_try(fn() => $c->set('w', $v));
wx_try(fn() => $c->setMultiple(['w' => 'ok', 'w2' => 'N;']));
var_dump($raw->cmd('EXISTS', $p . 'w', $p . 'w2'));
echo "strings that are not complete documents are stored\n";
foreach (['s:3:"abc', 'i:42', 'N', 'a:1:{', '', 'b:0;x'] as $v) var_dump($c->set('w', $v) && $c->get('w') === $v);
var_dump($c->set('w', [$inner]) && $c->get('w') === [$inner]);
$raw->cmd('DEL', $p . 'php', $p . 'json', $p . 'igb', $p . 'arr', $p . 'plain', $p . 'num', $p . 'w');
--EXPECTF--
strict: refused with the format named
WxRedis\CacheException(20): value under key "%sphp" is a PHP serialize() document inside a PHP serialize() string (format php+php: symfony/cache >= 7.2's serialize marshaller under phpredis SERIALIZER_PHP); set the legacy_formats option to read it during a migration
WxRedis\CacheException(20): value under key "%sarr" is a PHP serialize() document inside a PHP serialize() string (format php+php: %s
WxRedis\CacheException(20): value under key "%snum" is a PHP serialize() document inside a PHP serialize() string (format php+php: %s
WxRedis\CacheException(20): value under key "%sphp" is a PHP serialize() document inside a PHP serialize() string (format php+php: %s
string(8) "s:3:"abc"
Format::detect
php: php+php
arr: php+php
num: php+php
plain: wxredis
json: json
igb: igbinary
legacy_formats: unwrapped once
bool(true)
bool(true)
bool(true)
array(1) {
  ["a"]=>
  int(1)
}
int(42)
string(8) "s:3:"abc"
set() refuses to write what would read as php+php
WxRedis\InvalidArgumentException(22): value for key "w" is a string that is itself a complete PHP serialize() document, which wxredis cannot tell apart from Symfony's serialize marshaller under phpredis SERIALIZER_PHP (format php+php); store the unserialized value, or wrap or encode the string (e.g. in an array, or base64)
WxRedis\InvalidArgumentException(22): value for key "w" is a string that is itself a complete PHP serialize() document, %s
WxRedis\InvalidArgumentException(22): value for key "w" is a string that is itself a complete PHP serialize() document, %s
WxRedis\InvalidArgumentException(22): value for key "w" is a string that is itself a complete PHP serialize() document, %s
WxRedis\InvalidArgumentException(22): value for key "w" is a string that is itself a complete PHP serialize() document, %s
WxRedis\InvalidArgumentException(22): value for key "%sw2" is a string that is itself a complete PHP serialize() document, %s
int(0)
strings that are not complete documents are stored
bool(true)
bool(true)
bool(true)
bool(true)
bool(true)
bool(true)
bool(true)
