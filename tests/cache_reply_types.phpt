--TEST--
WxRedis\Cache: a reply of the wrong type is ERROR_PROTOCOL and the connection is dropped (issue 9, item 3)
--SKIPIF--
<?php require __DIR__ . '/support/skipif.inc'; ?>
--FILE--
<?php
require __DIR__ . '/support/common.inc';
require __DIR__ . '/support/hostile.inc';

$h = wx_hostile_start([
    'GET' => [['value' => ['+' => 'OK']], ['value' => 42], ['value' => ['a', 'b']], ['value' => ['+' => 'QUEUED']], ['value' => ['*' => null]]],
    'SET' => [['value' => 'bulk'], ['value' => 1], ['value' => ['+' => 'QUEUED']], ['value' => ['x']]],
    'MGET' => [['value' => ['a']], ['value' => 7]],
    'DEL' => [['value' => ['+' => 'OK']]],
    'EXISTS' => [['value' => 'yes']],
]);
$c = new WxRedis\Cache($h['dsn'], ['read_timeout' => 2.0, 'persistent' => false]);
$show = function (string $what, callable $fn) use ($c) {
    $before = $c->stats()['connects'];
    try {
        $v = $fn();
        echo "$what: returned ", var_export($v, true), "\n";
    } catch (WxRedis\CacheException $e) {
        printf("%s: %s %s\n", $what, $e->getCode() === WxRedis\Cache::ERROR_PROTOCOL ? 'ERROR_PROTOCOL' : 'code ' . $e->getCode(),
            str_contains($e->getMessage(), 'expected') || str_contains($e->getMessage(), 'reply') ? '(says why)' : $e->getMessage());
    }
};
$show('GET +OK', fn() => $c->get('k'));
$show('GET :42', fn() => $c->get('k'));
$show('GET array', fn() => $c->get('k'));
$show('GET +QUEUED', fn() => $c->get('k'));
$show('GET nil array', fn() => $c->get('k'));
$show('SET bulk', fn() => $c->set('k', 'v'));
$show('SET integer', fn() => $c->set('k', 'v'));
$show('SET +QUEUED', fn() => $c->set('k', 'v'));
$show('SET array', fn() => $c->set('k', 'v'));
$show('MGET short array', fn() => $c->getMultiple(['a', 'b']));
$show('MGET integer', fn() => $c->getMultiple(['a', 'b']));
$show('DEL +OK', fn() => $c->delete('k'));
$show('EXISTS bulk', fn() => $c->has('k'));
echo "each failure dropped the connection: 13 connections so far\n";
var_dump($c->stats()['connects']);
echo "the scripted replies are used up: default answers work on the same object\n";
var_dump($c->set('k', 'v'), $c->get('k'), $c->has('k'), $c->delete('k'), $c->get('k', 'dflt'));
echo "the client closed each of the 13 spoiled connections, and made one more\n";
$conns = wx_hostile_connections($h);
var_dump(count($conns), count(array_filter($conns, fn($x) => $x['closed_by'] === 'client')));
wx_hostile_stop($h);

echo "the next call on a good server works\n";
$g = wx_test_cache();
var_dump($g->set('good', 1), $g->get('good'), $g->delete('good'));
echo "rawCommand accepts any reply type\n";
var_dump($g->rawCommand('PING'), $g->rawCommand('DBSIZE') >= 0, is_array($g->rawCommand('TIME')));
--EXPECT--
GET +OK: ERROR_PROTOCOL (says why)
GET :42: ERROR_PROTOCOL (says why)
GET array: ERROR_PROTOCOL (says why)
GET +QUEUED: ERROR_PROTOCOL (says why)
GET nil array: ERROR_PROTOCOL (says why)
SET bulk: ERROR_PROTOCOL (says why)
SET integer: ERROR_PROTOCOL (says why)
SET +QUEUED: ERROR_PROTOCOL (says why)
SET array: ERROR_PROTOCOL (says why)
MGET short array: ERROR_PROTOCOL (says why)
MGET integer: ERROR_PROTOCOL (says why)
DEL +OK: ERROR_PROTOCOL (says why)
EXISTS bulk: ERROR_PROTOCOL (says why)
each failure dropped the connection: 13 connections so far
int(13)
the scripted replies are used up: default answers work on the same object
bool(true)
string(1) "v"
bool(true)
bool(true)
string(4) "dflt"
the client closed each of the 13 spoiled connections, and made one more
int(14)
int(13)
the next call on a good server works
bool(true)
int(1)
bool(true)
rawCommand accepts any reply type
string(4) "PONG"
bool(true)
bool(true)
