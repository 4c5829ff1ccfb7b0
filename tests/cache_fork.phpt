--TEST--
WxRedis\Cache: after pcntl_fork() a child gets its own connection and never reads its parent's replies
--SKIPIF--
<?php require __DIR__ . '/support/skipif.inc';
if (!function_exists('pcntl_fork')) die('skip pcntl'); ?>
--FILE--
<?php
require __DIR__ . '/support/common.inc';
$c = wx_test_cache();
$c->set('parent', 'P');
$connects = $c->stats()['connects'];
$children = [];
for ($i = 0; $i < 4; $i++) {
    $pid = pcntl_fork();
    if ($pid === 0) {
        // interleave many calls with the parent's on what was one socket
        $ok = true;
        for ($j = 0; $j < 200; $j++) {
            $c->set("child$i", "$i-$j");
            $ok = $ok && $c->get("child$i") === "$i-$j" && $c->get('parent') === 'P';
        }
        $s = $c->stats();
        exit($ok && $s['connects'] === $connects + 1 ? 0 : 1);
    }
    $children[] = $pid;
}
$ok = true;
for ($j = 0; $j < 200; $j++) {
    $c->set('p', $j);
    $ok = $ok && $c->get('p') === $j;
}
$codes = [];
foreach ($children as $pid) { pcntl_waitpid($pid, $st); $codes[] = pcntl_wexitstatus($st); }
var_dump($ok, $codes, $c->stats()['connects'] === $connects);
var_dump($c->get('child3'));
--EXPECT--
bool(true)
array(4) {
  [0]=>
  int(0)
  [1]=>
  int(0)
  [2]=>
  int(0)
  [3]=>
  int(0)
}
bool(true)
string(5) "3-199"
