--TEST--
WxRedis\Cache::rawCommand(): commands that would spoil the shared connection are refused (issue 9, item 2)
--SKIPIF--
<?php require __DIR__ . '/support/skipif.inc'; ?>
--FILE--
<?php
require __DIR__ . '/support/common.inc';
$raw = wx_test_raw();
$p = wx_test_prefix();

echo "refused, with the command named and why\n";
$c = wx_test_cache();
foreach ([['MULTI'], ['multi'], ['EXEC'], ['WATCH', 'k'], ['SELECT', '5'], ['SUBSCRIBE', 'ch'], ['PSUBSCRIBE', 'c*'],
          ['MONITOR'], ['CLIENT', 'REPLY', 'OFF'], ['HELLO', '3'], ['RESET'], ['BLPOP', 'l', '0'], ['AUTH', 'x'],
          ['XREAD', 'BLOCK', '0', 'STREAMS', 's', '$']] as $args) {
    try {
        $c->rawCommand(...$args);
        echo implode(' ', $args), ": NOT refused\n";
    } catch (WxRedis\InvalidArgumentException $e) {
        printf("%s: code %s, names it %s\n", implode(' ', $args),
            $e->getCode() === WxRedis\Cache::ERROR_ARGUMENT ? 'ERROR_ARGUMENT' : $e->getCode(),
            var_export(stripos($e->getMessage(), "rawCommand() refuses {$args[0]}: ") === 0, true));
    }
}
echo "plain commands still run\n";
var_dump($c->rawCommand('PING'), $c->rawCommand('SET', $p . 'r', 'v'), $c->rawCommand('GET', $p . 'r'),
    $c->rawCommand('CLIENT', 'ID') > 0, $c->rawCommand('XREAD', 'COUNT', '1', 'STREAMS', $p . 's', '0'));

echo "after a refused MULTI, a fresh Cache's set()/get() work\n";
try { $c->rawCommand('MULTI'); } catch (WxRedis\InvalidArgumentException) {}
$d = wx_test_cache();
var_dump($d->set('m', 'written'), $d->get('m'), $raw->cmd('GET', $p . 'm'));

echo "after a refused SELECT 5, writes go to database 0\n";
try { $c->rawCommand('SELECT', '5'); } catch (WxRedis\InvalidArgumentException) {}
var_dump(wx_test_cache()->set('s', 'db0'), $raw->cmd('GET', $p . 's'), wx_test_raw(5)->cmd('EXISTS', $p . 's'));

echo "php -S with 8 workers: 40 requests trying MULTI/SELECT, then 200 ordinary ones\n";
$dir = sys_get_temp_dir() . '/wxredis-rawstate-' . getmypid();
@mkdir($dir);
file_put_contents("$dir/index.php", '<?php
$c = new WxRedis\Cache(' . var_export(wx_test_server()['dsn'], true) . ', ["prefix" => ' . var_export($p, true) . ']);
if (($_GET["bad"] ?? "") !== "") {
    try { $c->rawCommand($_GET["bad"] === "select" ? "SELECT" : "MULTI", "5"); echo "ran"; }
    catch (WxRedis\InvalidArgumentException $e) { echo "refused"; }
    return; // a request aborted before any EXEC
}
$k = "n" . $_GET["i"];
$ok = $c->set($k, $_GET["i"]) && $c->get($k) === $_GET["i"] && $c->delete($k);
echo $ok ? "ok" : "bad";');
$port = wx_free_port();
$env = getenv() + ['PHP_CLI_SERVER_WORKERS' => '8'];
$srv = proc_open([PHP_BINARY, '-d', 'extension=' . wx_so(), '-S', "127.0.0.1:$port", '-t', $dir],
    [0 => ['file', '/dev/null', 'r'], 1 => ['file', '/dev/null', 'w'], 2 => ['file', '/dev/null', 'w']], $pipes, null, $env);
$up = false;
for ($i = 0; $i < 300 && !$up; $i++) { usleep(100000); $up = @file_get_contents("http://127.0.0.1:$port/?i=0") !== false; }
$bad = [];
for ($i = 0; $i < 40; $i++) {
    $r = file_get_contents("http://127.0.0.1:$port/?bad=" . ($i % 2 ? 'select' : 'multi'));
    $bad[$r] = ($bad[$r] ?? 0) + 1;
}
$good = [];
for ($i = 1; $i <= 200; $i++) {
    $r = (string) @file_get_contents("http://127.0.0.1:$port/?i=$i");
    $good[$r] = ($good[$r] ?? 0) + 1;
}
proc_terminate($srv); proc_close($srv);
array_map('unlink', glob("$dir/*")); rmdir($dir);
var_dump($up, $bad, $good, wx_test_raw(5)->cmd('KEYS', $p . '*'));
$raw->cmd('DEL', $p . 'r', $p . 'm', $p . 's');
--EXPECT--
refused, with the command named and why
MULTI: code ERROR_ARGUMENT, names it true
multi: code ERROR_ARGUMENT, names it true
EXEC: code ERROR_ARGUMENT, names it true
WATCH k: code ERROR_ARGUMENT, names it true
SELECT 5: code ERROR_ARGUMENT, names it true
SUBSCRIBE ch: code ERROR_ARGUMENT, names it true
PSUBSCRIBE c*: code ERROR_ARGUMENT, names it true
MONITOR: code ERROR_ARGUMENT, names it true
CLIENT REPLY OFF: code ERROR_ARGUMENT, names it true
HELLO 3: code ERROR_ARGUMENT, names it true
RESET: code ERROR_ARGUMENT, names it true
BLPOP l 0: code ERROR_ARGUMENT, names it true
AUTH x: code ERROR_ARGUMENT, names it true
XREAD BLOCK 0 STREAMS s $: code ERROR_ARGUMENT, names it true
plain commands still run
string(4) "PONG"
string(2) "OK"
string(1) "v"
bool(true)
NULL
after a refused MULTI, a fresh Cache's set()/get() work
bool(true)
string(7) "written"
string(14) "s:7:"written";"
after a refused SELECT 5, writes go to database 0
bool(true)
string(10) "s:3:"db0";"
int(0)
php -S with 8 workers: 40 requests trying MULTI/SELECT, then 200 ordinary ones
bool(true)
array(1) {
  ["refused"]=>
  int(40)
}
array(1) {
  ["ok"]=>
  int(200)
}
array(0) {
}
