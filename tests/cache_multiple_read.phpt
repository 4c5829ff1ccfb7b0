--TEST--
WxRedis\Cache: getMultiple/deleteMultiple read and key paths (issue 13): objects, enums, user code reading the cache from __wakeup, bad bytes, many keys with duplicates, no prefix
--SKIPIF--
<?php require __DIR__ . '/support/skipif.inc'; ?>
--FILE--
<?php
require __DIR__ . '/support/common.inc';
enum Kind: string { case Component = 'component'; }
class Ticket { public function __construct(public string $v = '') {} }
class Reader {
    public static ?WxRedis\Cache $cache = null;
    public $seen;
    // user code that reads the cache while getMultiple's reply is being decoded
    public function __wakeup() { $this->seen = self::$cache->get('plain'); }
}
$c = wx_test_cache();
$p = wx_test_prefix();
$raw = wx_test_raw();
Reader::$cache = $c;

$c->setMultiple([
    'plain' => ['a' => 1, 'b' => [1.5, true, null, 'x']],
    'str' => 'E:not an enum, just text with O:8: inside',
    'obj' => new Ticket('t1'),
    'enum' => Kind::Component,
    'list' => [Kind::Component, new Ticket('t2')],
    'reader' => new Reader(),
]);
$got = $c->getMultiple(['plain', 'str', 'obj', 'enum', 'list', 'reader', 'missing'], 'dflt')->toArray();
var_dump($got['plain'] === ['a' => 1, 'b' => [1.5, true, null, 'x']]);
var_dump($got['str']);
var_dump($got['obj'] == new Ticket('t1'), $got['enum'] === Kind::Component);
var_dump($got['list'][0] === Kind::Component, $got['list'][1]->v);
echo "__wakeup read: ", json_encode($got['reader']->seen), "\n";
var_dump($got['missing']);

echo "allowed_classes false: objects incomplete, arrays plain\n";
$nc = wx_test_cache(['allowed_classes' => false]);
$got = $nc->getMultiple(['obj', 'plain'])->toArray();
var_dump(get_class($got['obj']), $got['plain']['a']);

echo "bad bytes in the middle of a batch\n";
$raw->set($p . 'trunc', 'a:2:{i:0;i:1;i:1;');
$raw->set($p . 'tail', 'i:5;garbage');
$raw->set($p . 'json', '{"a":1}');
$raw->set($p . 'objtrunc', 'a:2:{i:0;O:6:"Reader":0:{}i:1;');
foreach (['trunc', 'tail', 'json', 'objtrunc'] as $k) {
    wx_try(fn() => $c->getMultiple(['plain', $k, 'str'])->toArray());
}
echo "the connection is in step after: ", json_encode($c->get('plain')['a']), "\n";

echo "40 keys with duplicates and a Traversable\n";
$vals = [];
for ($i = 0; $i < 40; $i++) $vals["m$i"] = $i;
$c->setMultiple($vals);
$keys = array_merge(array_keys($vals), ['m3', 'm39', 'm0']);
$r = $c->getMultiple((function () use ($keys) { yield from $keys; })());
var_dump(count($r), array_sum($r->toArray()), array_key_first($r->toArray()), array_key_last($r->toArray()));
$s0 = $c->stats()['deletes'];
var_dump($c->deleteMultiple($keys), $c->stats()['deletes'] - $s0);
var_dump($c->getMultiple(['m1', 'm38'], 'gone')->toArray());

echo "bad key in the middle: nothing deleted\n";
$c->set('keep', 1);
wx_try(fn() => $c->deleteMultiple(['keep', 'bad{key', 'x']));
var_dump($c->get('keep'));

echo "no prefix\n";
$np = wx_test_cache(['prefix' => '']);
$q = str_replace(':', '.', $p);
$np->setMultiple([$q . 'np1' => 'one', $q . 'np2' => 'two']);
var_dump($np->getMultiple([$q . 'np1', $q . 'np2', $q . 'np1'])->toArray() === [$q . 'np1' => 'one', $q . 'np2' => 'two']);
var_dump($np->deleteMultiple([$q . 'np1', $q . 'np2']), $np->has($q . 'np1'));
var_dump(count($c->getMultiple([])), $c->deleteMultiple([]));
?>
--EXPECTF--
bool(true)
string(41) "E:not an enum, just text with O:8: inside"
bool(true)
bool(true)
bool(true)
string(2) "t2"
__wakeup read: {"a":1,"b":[1.5,true,null,"x"]}
string(4) "dflt"
allowed_classes false: objects incomplete, arrays plain
string(22) "__PHP_Incomplete_Class"
int(1)
bad bytes in the middle of a batch
WxRedis\CacheException(%d): value under key "%strunc" %s
WxRedis\CacheException(%d): value under key "%stail" %s
WxRedis\CacheException(%d): value under key "%sjson" %s
WxRedis\CacheException(%d): value under key "%sobjtrunc" %s
the connection is in step after: 1
40 keys with duplicates and a Traversable
int(40)
int(780)
string(2) "m0"
string(3) "m39"
bool(true)
int(40)
array(2) {
  ["m1"]=>
  string(4) "gone"
  ["m38"]=>
  string(4) "gone"
}
bad key in the middle: nothing deleted
WxRedis\InvalidArgumentException(%d): cache key "bad{key" contains '{', which PSR-16 reserves ({}()/\@:)
int(1)
no prefix
bool(true)
bool(true)
bool(false)
int(0)
bool(true)
