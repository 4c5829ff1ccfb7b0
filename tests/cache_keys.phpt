--TEST--
WxRedis\Cache: PSR-16 key rules, in every method
--SKIPIF--
<?php require __DIR__ . '/support/skipif.inc'; ?>
--FILE--
<?php
require __DIR__ . '/support/common.inc';
$c = wx_test_cache();
$bad = ['', true, null, 2, 2.5, '{str', 'rand}str', 'rand(str', 'rand)str', 'rand/str', 'rand\\str', 'rand@str', 'rand:str', new stdClass, ['a']];
$n = 0;
foreach ($bad as $key) {
    foreach ([
        fn() => $c->get($key), fn() => $c->set($key, 1), fn() => $c->has($key), fn() => $c->delete($key),
        fn() => $c->getMultiple([$key]), fn() => $c->deleteMultiple([$key]),
    ] as $call) {
        try { $call(); echo "NOT THROWN for ", var_export($key, true), "\n"; }
        catch (WxRedis\InvalidArgumentException $e) { $n += $e->getCode() === 30; }
    }
}
var_dump($n === count($bad) * 6);
wx_try(fn() => $c->get('a:b'));
wx_try(fn() => $c->get(''));
wx_try(fn() => $c->get(42));
wx_try(fn() => $c->setMultiple(['ok' => 1, 'no@' => 2]));
var_dump($c->has('ok')); // nothing of a refused batch is written
// long keys, dots, unicode and spaces are fine
$long = str_repeat('k', 300);
var_dump($c->set($long, 'long'), $c->get($long));
var_dump($c->set('open-platform.authorizer_access_token.wxA.' . md5('r'), 't'), $c->get('open-platform.authorizer_access_token.wxA.' . md5('r')));
var_dump($c->set('中文 key', 1), $c->get('中文 key'));
--EXPECT--
bool(true)
WxRedis\InvalidArgumentException(30): cache key "a:b" contains ':', which PSR-16 reserves ({}()/\@:)
WxRedis\InvalidArgumentException(30): cache key must not be empty
WxRedis\InvalidArgumentException(30): cache key must be a string, int given
WxRedis\InvalidArgumentException(30): cache key "no@" contains '@', which PSR-16 reserves ({}()/\@:)
bool(false)
bool(true)
string(4) "long"
bool(true)
string(1) "t"
bool(true)
int(1)
