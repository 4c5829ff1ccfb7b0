--TEST--
wxredis-doctor --migrate: dry run, rewrites kept with their TTL and read back by WxRedis\Cache, ambiguous keys untouched, an interrupted run resumed
--SKIPIF--
<?php require __DIR__ . '/support/skipif.inc';
foreach (['redis', 'igbinary', 'msgpack'] as $e) if (!extension_loaded($e)) die("skip needs $e");
if (!is_file('/usr/share/php/Symfony/Component/Cache/autoload.php')) die('skip needs php-symfony-cache'); ?>
--FILE--
<?php
require __DIR__ . '/support/doctor.inc';
$p = wx_test_prefix();
$sfp = wx_doctor_sf_ns($p) . ':';
wx_doctor_fill(wx_test_server()['addr'], $p);
$dsn = wx_test_server()['dsn'];
$raw = wx_test_raw();
$snapshot = function () use ($raw, $p, $sfp) {
    $s = [];
    foreach (array_merge($raw->keys($p . '*'), $raw->keys($sfp . '*')) as $k) {
        $s[$k] = [$raw->type($k) === 'string' ? $raw->get($k) : 'hash', $raw->pttl($k)];
    }
    ksort($s);
    return $s;
};

echo "dry run writes nothing\n";
$before = $snapshot();
$t0 = microtime(true);
$d = wx_doctor_json([$dsn, "--prefix=$p", '--migrate', '--dry-run']);
$values = fn($snap) => array_map(fn($e) => [$e[0], $e[1] > 0 ? 'ttl' : $e[1]], $snap);
var_dump(count($d['migration']['changed']), $values($snapshot()) == $values($before));

echo "interrupted after 2 rewrites, then resumed\n";
$first = wx_doctor_json([$dsn, "--prefix=$p", '--migrate', '--max-changes=2']);
var_dump(count($first['migration']['changed']), $first['migration']['stopped_early']);
$second = wx_doctor_json([$dsn, "--prefix=$p", '--migrate']);
$done = array_merge(array_column($first['migration']['changed'], 'key'), array_column($second['migration']['changed'], 'key'));
sort($done);
echo implode("\n", str_replace($p, 'P:', $done)), "\n";
echo "skipped, untouched:\n";
foreach ($second['migration']['skipped'] as $s) {
    echo str_replace($p, 'P:', $s['key']), ': ', $s['reason'], "\n";
    if ($raw->get($s['key']) !== $before[$s['key']][0]) echo "  CHANGED!\n";
}
echo "TTLs kept, values now canonical and read by WxRedis\\Cache\n";
$after = $snapshot();
$elapsedMs = (int) ((microtime(true) - $t0) * 1000) + 1000;
$c = wx_test_cache();
foreach ($done as $k) {
    // kept = still counting down from where it was, not reset or removed
    $ttlOk = $before[$k][1] === -1 ? $after[$k][1] === -1
        : $after[$k][1] <= $before[$k][1] && $after[$k][1] >= $before[$k][1] - $elapsedMs;
    printf("%s ttl %s, %s\n", str_replace($p, 'P:', $k), $ttlOk ? 'kept' : 'LOST', var_export($c->get(substr($k, strlen($p))), true));
}
echo "a third run has nothing left to do\n";
$third = wx_doctor_json([$dsn, "--prefix=$p", '--migrate']);
var_dump(count($third['migration']['changed']), $third['migration']['unchanged']);
echo "Symfony's double-encoded ticket\n";
$s = wx_doctor_json([$dsn, "--prefix=$sfp", '--migrate']);
var_dump(count($s['migration']['changed']));
var_dump(wx_test_cache(['prefix' => $sfp])->get('open_platform.verify_ticket.wxsymfony'));
--EXPECT--
dry run writes nothing
int(4)
bool(true)
interrupted after 2 rewrites, then resumed
int(2)
bool(true)
P:count.igbinary
P:open_platform.verify_ticket.wxigbinary
P:open_platform.verify_ticket.wxjson
P:open_platform.verify_ticket.wxnone
skipped, untouched:
P:blob.msgpack: msgpack cannot be decoded by wxredis
P:count.json: raw bytes under an unknown key: string or number? ambiguous
P:count.none: raw bytes under an unknown key: string or number? ambiguous
P:flag.empty: empty value: false, null or ""? ambiguous
TTLs kept, values now canonical and read by WxRedis\Cache
P:count.igbinary ttl kept, 42
P:open_platform.verify_ticket.wxigbinary ttl kept, 'ticket-igbinary'
P:open_platform.verify_ticket.wxjson ttl kept, 'ticket-json'
P:open_platform.verify_ticket.wxnone ttl kept, 'ticket-none'
a third run has nothing left to do
int(0)
int(10)
Symfony's double-encoded ticket
int(1)
string(14) "ticket-symfony"
