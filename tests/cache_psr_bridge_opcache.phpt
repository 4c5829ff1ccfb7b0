--TEST--
WxRedis\Cache under opcache across requests of one php -S worker: the class is built once and kept, with the interfaces of each request (none, psr/simple-cache, psr/log), after opcache_reset() and under a cached subclass
--SKIPIF--
<?php require __DIR__ . '/support/skipif.inc';
if (!is_file('/usr/share/php/Psr/SimpleCache/autoload.php') || !is_file('/usr/share/php/Psr/Log/autoload.php')) die('skip Debian php-psr-simple-cache and php-psr-log are not installed');
if (!extension_loaded('Zend OPcache') && !is_file(ini_get('extension_dir') . '/opcache.so')) die('skip opcache (php8.2-opcache) is not installed');
?>
--FILE--
<?php
require __DIR__ . '/support/common.inc';
$dir = sys_get_temp_dir() . '/wxredis-bridge-opcache-' . getmypid();
@mkdir($dir);
$dsn = wx_test_server()['dsn'];
// A subclass in its own file: opcache caches its linking against whichever
// WxRedis\Cache the request has (its inheritance cache keys on the parent).
file_put_contents("$dir/sub.php", '<?php
class SubCache extends WxRedis\Cache {
    public function get(mixed $key, mixed $default = null): mixed { return ["sub" => parent::get($key, $default)]; }
}');
file_put_contents("$dir/index.php", '<?php
if ($_GET["psr"] ?? 1) require "/usr/share/php/Psr/SimpleCache/autoload.php";
if ($_GET["log"] ?? 0) require "/usr/share/php/Psr/Log/autoload.php";
if (isset($_GET["reset"])) { echo json_encode(["reset" => opcache_reset()]); return; }
if ($_GET["sub_first"] ?? 0) require __DIR__ . "/sub.php";
$c = new WxRedis\Cache(' . var_export($dsn, true) . ', ["prefix" => ' . var_export(wx_test_prefix(), true) . ']);
class_exists("SubCache", false) || require __DIR__ . "/sub.php";
$s = new SubCache(' . var_export($dsn, true) . ', ["prefix" => ' . var_export(wx_test_prefix(), true) . ']);
$c->set("k", ["n" => (int) ($_GET["n"] ?? 0)]);
$names = function ($x) { // short names, sorted
    $n = array_map(fn ($i) => substr($i, (int) strrpos("\\\\" . $i, "\\\\")), array_keys(class_implements($x)));
    sort($n);
    return implode(",", $n);
};
$out = [
    "kept" => (new ReflectionClass("WxRedis\\\\Cache"))->isInternal(),
    "cache" => $names($c),
    "sub" => $names($s),
    "get" => $c->get("k")["n"],
    "sub_get" => $s->get("k")["sub"]["n"],
];
if (interface_exists("Psr\\\\SimpleCache\\\\CacheInterface", false)) {
    $out["psr16"] = $c instanceof Psr\SimpleCache\CacheInterface && $s instanceof Psr\SimpleCache\CacheInterface;
    try { $c->get(""); } catch (Psr\SimpleCache\InvalidArgumentException $e) { $out["invalid"] = $names($e); }
}
if ($_GET["log"] ?? 0) {
    $c->setLogger(new Psr\Log\NullLogger());
    $p = new WxRedis\OpenPlatform(["app_id" => "wx0000000000component", "secret" => "s", "token" => "t",
        "aes_key" => "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG", "api_base" => "http://127.0.0.1:9"], $c);
    $out["logger_aware"] = $c instanceof Psr\Log\LoggerAwareInterface && $p instanceof Psr\Log\LoggerAwareInterface;
    $out["platform"] = $names($p) . ((new ReflectionClass($p))->isInternal() ? " (kept)" : "");
}
$out["pid"] = getmypid();
echo json_encode($out);');

$port = wx_free_port();
$cmd = [PHP_BINARY];
if (!extension_loaded('Zend OPcache')) {
    array_push($cmd, '-d', 'zend_extension=opcache');
}
array_push($cmd, '-d', 'opcache.enable_cli=1', '-d', 'opcache.validate_timestamps=0',
    '-d', 'extension=' . wx_so(), '-S', "127.0.0.1:$port", '-t', $dir);
$srv = proc_open($cmd, [0 => ['file', '/dev/null', 'r'], 1 => ['file', '/dev/null', 'w'], 2 => ['file', "$dir/server.log", 'w']], $pipes);
$get = function (string $q) use ($port) {
    for ($i = 0; $i < 300; $i++) {
        $r = @file_get_contents("http://127.0.0.1:$port/?$q");
        if ($r !== false) {
            return json_decode($r, true) ?? $r;
        }
        usleep(100000); // the server is still starting (slow under valgrind/load)
    }
    return 'no answer';
};
$pids = [];
foreach ([
    'n=1', 'n=2',                 // built in the first request, kept for the second
    'n=3&psr=0',                  // no psr/simple-cache in this request: a plain class
    'n=4',                        // and the interface again
    'n=5&log=1', 'n=6&log=1',     // psr/log too: LoggerAwareInterface on Cache and OpenPlatform
    'reset=1', 'n=7', 'n=8&log=1',// after opcache_reset() the interfaces are loaded anew
    'n=9&sub_first=1&psr=0',      // the subclass declared before WxRedis\Cache is used
] as $q) {
    $r = $get($q);
    if (is_array($r) && isset($r['pid'])) {
        $pids[$r['pid']] = true;
        unset($r['pid']);
    }
    echo str_pad($q, 24), json_encode($r), "\n";
}
proc_terminate($srv);
proc_close($srv);
$log = file_get_contents("$dir/server.log");
array_map('unlink', glob("$dir/*"));
rmdir($dir);
echo 'one worker: ', count($pids), "\n";
// PHP's own notices and warnings would be in the server's log
echo preg_match('/(Warning|Notice|Deprecated|Fatal|error)/i', preg_replace('/.*(Accepted|Closing|\[200\]|started).*\n?/', '', $log)) ? "log: $log" : "log: clean", "\n";
--EXPECT--
n=1                     {"kept":true,"cache":"CacheInterface","sub":"CacheInterface","get":1,"sub_get":1,"psr16":true,"invalid":"CacheException,Exception,InvalidArgumentException,Stringable,Throwable"}
n=2                     {"kept":true,"cache":"CacheInterface","sub":"CacheInterface","get":2,"sub_get":2,"psr16":true,"invalid":"CacheException,Exception,InvalidArgumentException,Stringable,Throwable"}
n=3&psr=0               {"kept":true,"cache":"","sub":"","get":3,"sub_get":3}
n=4                     {"kept":true,"cache":"CacheInterface","sub":"CacheInterface","get":4,"sub_get":4,"psr16":true,"invalid":"CacheException,Exception,InvalidArgumentException,Stringable,Throwable"}
n=5&log=1               {"kept":true,"cache":"CacheInterface,LoggerAwareInterface","sub":"CacheInterface,LoggerAwareInterface","get":5,"sub_get":5,"psr16":true,"invalid":"CacheException,Exception,InvalidArgumentException,Stringable,Throwable","logger_aware":true,"platform":"LoggerAwareInterface (kept)"}
n=6&log=1               {"kept":true,"cache":"CacheInterface,LoggerAwareInterface","sub":"CacheInterface,LoggerAwareInterface","get":6,"sub_get":6,"psr16":true,"invalid":"CacheException,Exception,InvalidArgumentException,Stringable,Throwable","logger_aware":true,"platform":"LoggerAwareInterface (kept)"}
reset=1                 {"reset":true}
n=7                     {"kept":true,"cache":"CacheInterface","sub":"CacheInterface","get":7,"sub_get":7,"psr16":true,"invalid":"CacheException,Exception,InvalidArgumentException,Stringable,Throwable"}
n=8&log=1               {"kept":true,"cache":"CacheInterface,LoggerAwareInterface","sub":"CacheInterface,LoggerAwareInterface","get":8,"sub_get":8,"psr16":true,"invalid":"CacheException,Exception,InvalidArgumentException,Stringable,Throwable","logger_aware":true,"platform":"LoggerAwareInterface (kept)"}
n=9&sub_first=1&psr=0   {"kept":true,"cache":"","sub":"","get":9,"sub_get":9}
one worker: 1
log: clean
