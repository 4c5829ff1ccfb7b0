--TEST--
WxRedis\Cache: every PHP type comes back with its type; objects are copies
--SKIPIF--
<?php require __DIR__ . '/support/skipif.inc'; ?>
--FILE--
<?php
require __DIR__ . '/support/common.inc';
$c = wx_test_cache();
class Ticket { public function __construct(public string $value, public int $at) {} }
enum Kind: string { case Component = 'component'; }
$values = [
    'int' => 4711, 'neg' => -1, 'max' => PHP_INT_MAX, 'float' => 47.11, 'tenth' => 0.1,
    'inf' => INF, 'true' => true, 'false' => false, 'null' => null, 'empty' => '',
    'zero' => '0', 'utf8' => "票据 ticket ✓", 'binary' => implode('', array_map('chr', range(0, 255))),
    'array' => ['key' => 'value', 3 => [1, 2, ['deep' => true]]], 'list' => [1, 2, 3],
    'object' => new Ticket('ticket@@@', 1700000000), 'enum' => Kind::Component,
    'big' => str_repeat('x', 1 << 20),
];
$ok = true;
foreach ($values as $k => $v) {
    $c->set($k, $v);
    $got = $c->get($k);
    if ($k === 'object') {
        $same = $got == $v && $got !== $v && $got instanceof Ticket;
    } else {
        $same = $got === $v;
    }
    if (!$same) { $ok = false; echo "MISMATCH $k: ", var_export($got, true), "\n"; }
}
var_dump($ok);
// a copy: changing the original after set() does not change what is stored
$o = new stdClass; $o->a = 1;
$c->set('copy', $o);
$o->a = 2;
var_dump($c->get('copy')->a);
var_dump(is_nan($c->set('nan', NAN) ? $c->get('nan') : 0));
--EXPECT--
bool(true)
int(1)
bool(true)
