--TEST--
WxRedis\Cache: one persistent connection per process, reused across requests under php -S
--SKIPIF--
<?php require __DIR__ . '/support/skipif.inc'; ?>
--FILE--
<?php
require __DIR__ . '/support/common.inc';
echo "same options share one connection in a process\n";
$a = wx_test_cache();
$b = wx_test_cache(['prefix' => 'other:']); // prefix is not part of the connection
$a->get('x'); $b->get('x');
$s = $a->stats();
var_dump($s['connects'], $s['persistent_connections']);
$np = wx_test_cache(['persistent' => false]);
$np->get('x');
var_dump($np->stats()['connects'], $np->stats()['persistent_connections']);

echo "across requests of one php -S worker\n";
$dir = sys_get_temp_dir() . '/wxredis-persist-' . getmypid();
@mkdir($dir);
file_put_contents("$dir/index.php", '<?php
require ' . var_export(__DIR__ . '/support/common.inc', true) . ';
$c = new WxRedis\Cache(' . var_export(wx_test_server()['dsn'], true) . ', ["prefix" => "persist:"]);
$c->set("hits", ($c->get("hits") ?? 0) + 1);
echo json_encode(["pid" => getmypid(), "connects" => $c->stats()["connects"], "hits" => $c->get("hits")]);');
$port = wx_free_port();
$env = getenv() + ['WXREDIS_TEST_PREFIX' => wx_test_prefix()];
$srv = proc_open([PHP_BINARY, '-d', 'extension=' . wx_so(), '-S', "127.0.0.1:$port", '-t', $dir],
    [0 => ['file', '/dev/null', 'r'], 1 => ['file', '/dev/null', 'w'], 2 => ['file', '/dev/null', 'w']], $pipes, null, $env);
$res = [];
for ($i = 0; $i < 300 && !$res; $i++) { usleep(100000); $res = @file_get_contents("http://127.0.0.1:$port/") ?: []; } // slow under valgrind/load
$res = [json_decode($res, true)];
for ($i = 0; $i < 4; $i++) $res[] = json_decode(file_get_contents("http://127.0.0.1:$port/"), true);
proc_terminate($srv); proc_close($srv);
array_map('unlink', glob("$dir/*")); rmdir($dir);
var_dump(count(array_unique(array_column($res, 'pid'))), array_column($res, 'connects'), array_column($res, 'hits'));
wx_test_cache(['prefix' => 'persist:'])->delete('hits');
--EXPECT--
same options share one connection in a process
int(1)
int(1)
int(2)
int(1)
across requests of one php -S worker
int(1)
array(5) {
  [0]=>
  int(1)
  [1]=>
  int(1)
  [2]=>
  int(1)
  [3]=>
  int(1)
  [4]=>
  int(1)
}
array(5) {
  [0]=>
  int(1)
  [1]=>
  int(2)
  [2]=>
  int(3)
  [3]=>
  int(4)
  [4]=>
  int(5)
}
