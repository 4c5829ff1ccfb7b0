--TEST--
WxRedis\Cache on a Redis Cluster: each key on its slot's master, 30-key batches in the caller's order at one pipeline per master, clear() on every master, rawCommand routed by its key
--SKIPIF--
<?php require __DIR__ . '/support/skipif.inc'; ?>
--FILE--
<?php
require __DIR__ . '/support/common.inc';
require __DIR__ . '/support/ha.inc';
$ha = wx_ha_shared('cluster');
$map = wx_ha_cluster_wait_settled($ha, 20, false)['map'];
$P = wx_test_prefix();
$c = new WxRedis\Cache($ha['dsn'], ['prefix' => $P]);

function owner(array $map, string $key): string
{
    $slot = wx_ha_keyslot($key);
    foreach ($map as $r) {
        if ($slot >= $r['from'] && $slot <= $r['to']) {
            return $r['master'];
        }
    }
    throw new RuntimeException("slot $slot unserved");
}
/** Which masters hold the raw key (KEYS is local to a node; no glob characters in ours). */
function holders(array $ha, string $raw): array
{
    $on = [];
    foreach ($ha['nodes'] as $n) {
        $role = wx_ha_role($ha, $n);
        if ($role && $role['role'] === 'master' && wx_ha_cmd($ha, $n, 'KEYS', $raw) === [$raw]) {
            $on[] = $n;
        }
    }
    return $on;
}

echo "single keys land on their slot's master, and only there\n";
$ok = true;
foreach (['a', 'b', 'token.wx123', 'user1_x', 'user1_y'] as $k) {
    $c->set($k, "value of $k");
    $ok = $ok && holders($ha, $P . $k) === [owner($map, $P . $k)] && $c->get($k) === "value of $k";
}
var_dump($ok);

echo "30 keys over every master: setMultiple, then getMultiple in the caller's order\n";
$vals = [];
for ($i = 29; $i >= 0; $i--) {
    $vals["m$i"] = ['key' => "m$i", 'n' => $i];
}
$masters = array_unique(array_map(fn ($k) => owner($map, $P . $k), array_keys($vals)));
var_dump(count($masters) === 3);
var_dump($c->setMultiple($vals, 300));
$asked = array_merge(array_slice(array_keys($vals), 0, 15), ['missing1'], array_slice(array_keys($vals), 15), ['missing2']);
$rt = $c->stats()['round_trips'];
$got = [];
foreach ($c->getMultiple($asked, 'dflt') as $k => $v) {
    $got[$k] = $v;
}
echo 'round trips for 32 keys: ', $c->stats()['round_trips'] - $rt, "\n";
var_dump(array_keys($got) === $asked);
$ok = true;
foreach ($got as $k => $v) {
    $ok = $ok && ($v === ($vals[$k] ?? 'dflt'));
}
var_dump($ok);

echo "deleteMultiple and has across masters\n";
var_dump($c->deleteMultiple(['m0', 'm1', 'm2', 'nothing']));
var_dump($c->has('m0'), $c->has('m3'));

echo "rawCommand is routed by its key; same-slot multi-key commands go as they are\n";
var_dump($c->rawCommand('SET', "{$P}raw", 'r'));
var_dump($c->rawCommand('GET', "{$P}raw"));
var_dump(holders($ha, "{$P}raw") === [owner($map, "{$P}raw")]);
var_dump($c->rawCommand('MSET', "{$P}{t}1", 'x', "{$P}{t}2", 'y'));
var_dump($c->rawCommand('MGET', "{$P}{t}1", "{$P}{t}2"));

echo "clear() empties our prefix on every master and nothing else\n";
wx_ha_cmd($ha, owner($map, 'other:app'), 'SET', 'other:app', 'theirs');
var_dump($c->clear());
$left = 0;
foreach (wx_ha_cluster_masters($ha) as $m) {
    $left += count(wx_ha_cmd($ha, $m, 'KEYS', $P . '*'));
}
var_dump($left, wx_ha_cmd($ha, owner($map, 'other:app'), 'GET', 'other:app'));
wx_ha_cmd($ha, owner($map, 'other:app'), 'DEL', 'other:app');

echo "a cache whose seeds are all down says so\n";
wx_try(fn () => (new WxRedis\Cache('redis:?host[127.0.0.1:1]&host[127.0.0.1:2]&redis_cluster=1', ['prefix' => 'x:']))->get('k'));
--EXPECTF--
single keys land on their slot's master, and only there
bool(true)
30 keys over every master: setMultiple, then getMultiple in the caller's order
bool(true)
bool(true)
round trips for 32 keys: 3
bool(true)
bool(true)
deleteMultiple and has across masters
bool(true)
bool(false)
bool(true)
rawCommand is routed by its key; same-slot multi-key commands go as they are
string(2) "OK"
string(1) "r"
bool(true)
string(2) "OK"
array(2) {
  [0]=>
  string(1) "x"
  [1]=>
  string(1) "y"
}
clear() empties our prefix on every master and nothing else
bool(true)
int(0)
string(6) "theirs"
a cache whose seeds are all down says so
WxRedis\CacheException(2): no node of the Redis Cluster gave its slot map (CLUSTER SLOTS): 127.0.0.1:1: cannot connect to Redis at 127.0.0.1:1: Connection refused; 127.0.0.1:2: cannot connect to Redis at 127.0.0.1:2: Connection refused
