<?php
/*
 * tests/symfony/check.php v6|v7: what symfony/cache (installed by composer
 * in tests/symfony/vN) leaves in Redis through Psr16Cache over phpredis
 * SERIALIZER_PHP, and what WxRedis\Cache and wxredis-doctor make of it.
 * TAP output, then "RESULT symfony-cache-vN <passed> <failed>".
 * Run by tests/symfony/run (scripts/test) with WXREDIS_TEST_REDIS and WXREDIS_SO set.
 */
$v = $argv[1] ?? '';
require __DIR__ . "/$v/vendor/autoload.php";
require __DIR__ . '/../support/doctor.inc';

$passed = $failed = 0;
$ok = function (bool $cond, string $what) use (&$passed, &$failed) {
    $cond ? $passed++ : $failed++;
    printf("%s %d - %s\n", $cond ? 'ok' : 'not ok', $passed + $failed, $what);
};
$installed = Composer\InstalledVersions::getPrettyVersion('symfony/cache');
echo "# symfony/cache $installed\n";
[$host, $port] = explode(':', wx_test_server()['addr']);
$redis = new Redis();
$redis->connect($host, (int) $port);
$redis->setOption(Redis::OPT_SERIALIZER, Redis::SERIALIZER_PHP);
$ns = 'wxsf' . $v . getmypid();
$sf = new Symfony\Component\Cache\Psr16Cache(new Symfony\Component\Cache\Adapter\RedisAdapter($redis, $ns));
$ticket = 'ticket@@@' . bin2hex(random_bytes(10));
$key = 'open_platform.verify_ticket.wxsymfony' . $v;
$ok($sf->set($key, $ticket), 'Psr16Cache::set() over phpredis SERIALIZER_PHP');
$ok($sf->get($key) === $ticket, 'Symfony reads its own ticket back');

$raw = wx_test_raw();
$bytes = $raw->cmd('GET', "$ns:$key");
// symfony/cache >= 7.2 marshals with serialize(); 6.4 with igbinary when loaded
$expect = version_compare(ltrim($installed, 'v'), '7.2', '>=') ? 'php+php'
    : (extension_loaded('igbinary') ? 'php+igbinary' : 'php+php');
$ok(WxRedis\Format::detect($bytes) === $expect, "Format::detect() says $expect (got " . WxRedis\Format::detect($bytes) . ')');

$strict = new WxRedis\Cache(wx_test_server()['dsn'], ['prefix' => "$ns:"]);
try {
    $got = $strict->get($key);
    $ok(false, 'strict get() refuses it (returned ' . var_export($got, true) . ')');
} catch (WxRedis\CacheException $e) {
    $ok($e->getCode() === WxRedis\Cache::ERROR_FORMAT
        && ($expect !== 'php+php' || str_contains($e->getMessage(), 'php+php')), "strict get() refuses it, ERROR_FORMAT naming the format");
}
$legacy = new WxRedis\Cache(wx_test_server()['dsn'], ['prefix' => "$ns:", 'legacy_formats' => true]);
$ok($legacy->get($key) === $ticket, 'legacy_formats get() returns the exact ticket');

$d = wx_doctor_json([wx_test_server()['dsn'], "--prefix=$ns:"]);
$ok(($d['by_key']["$ns:$key"]['format'] ?? null) === $expect, "the doctor reports $expect");
$m = wx_doctor_json([wx_test_server()['dsn'], "--prefix=$ns:", '--migrate']);
$ok(in_array("$ns:$key", array_column($m['migration']['changed'], 'key'), true), 'the doctor migrates it');
$ok($strict->get($key) === $ticket, 'after migration strict get() returns the ticket');
$raw->cmd('DEL', "$ns:$key");
echo "1..", $passed + $failed, "\n";
echo "RESULT symfony-cache-$v $passed $failed\n";
exit($failed ? 1 : 0);
