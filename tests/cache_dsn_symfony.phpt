--TEST--
WxRedis\Cache: Symfony's DSN forms (host[...], dbindex, auth, timeout, redis_sentinel, redis_cluster); bad ones are InvalidArgumentException naming the fault, never the password
--SKIPIF--
<?php require __DIR__ . '/support/skipif.inc'; ?>
--FILE--
<?php
require __DIR__ . '/support/common.inc';
$s = wx_test_server();
[$host, $port] = explode(':', $s['addr']);

echo "one host in Symfony's form, dbindex and timeouts from the query\n";
$c = new WxRedis\Cache("redis:?host[$host:$port]&dbindex=4&timeout=2&read_timeout=1.5&persistent=0", ['prefix' => 'sf:']);
$c->set('k', 'in db 4');
var_dump(wx_test_raw(4)->get('sf:k') !== null, $c->get('k'));
echo "redis://host:port?dbindex= (the query form of a single URL)\n";
$d = new WxRedis\Cache("redis://$host:$port?dbindex=4", ['prefix' => 'sf:']);
var_dump($d->get('k'));
echo "Symfony knobs that mean nothing here are accepted\n";
$e = new WxRedis\Cache("redis:?host[$host:$port]&dbindex=4&lazy=1&retry_interval=100&tcp_keepalive=60&persistent_id=x", ['prefix' => 'sf:']);
var_dump($e->get('k'));
wx_test_raw(4)->flushdb();

echo "bad DSNs and options\n";
foreach ([
    "redis:?host[$host:$port]&dbindex=x",
    "redis:?host[$host:$port]&timeout=0",
    "redis:?host[$host:$port]&read_timeout=abc",
    "redis:?host[$host:$port]&persistent=maybe",
    "redis:?host[$host:$port]&frobnicate=1",
    "redis:?host[a:1]&host[b:2]",
    "redis:?host[a:1]&host[b:2]&redis_cluster=1&redis_sentinel=m",
    "redis:?host[a:1]&redis_cluster=1&dbindex=2",
    "redis://user:s3cretpw@?host[a:1]&redis_cluster=yes-please",
] as $dsn) {
    wx_try(fn() => new WxRedis\Cache($dsn));
}
wx_try(fn() => new WxRedis\Cache("redis:?host[a:1]&redis_cluster=1", ['database' => 3]));
wx_try(fn() => new WxRedis\Cache("redis://$host:$port", ['sentinel_password' => 'x']));
wx_try(fn() => new WxRedis\Cache("redis:?host[a:26379]&redis_sentinel=m", ['sentinel_username' => 'u']));
wx_try(fn() => new WxRedis\Cache("redis:?host[a:26379]&redis_sentinel=m", ['sentinel_password' => 5]));
echo "a Sentinel and a Cluster DSN are taken without connecting (lazy)\n";
var_dump(new WxRedis\Cache("redis:?host[127.0.0.1:1]&host[127.0.0.1:2]&redis_sentinel=mymaster",
    ['sentinel_username' => 'u', 'sentinel_password' => 'p']) instanceof WxRedis\Cache);
var_dump(new WxRedis\Cache("redis:?host[127.0.0.1:1]&host[127.0.0.1:2]&redis_cluster=1") instanceof WxRedis\Cache);
--EXPECT--
one host in Symfony's form, dbindex and timeouts from the query
bool(true)
string(7) "in db 4"
redis://host:port?dbindex= (the query form of a single URL)
string(7) "in db 4"
Symfony knobs that mean nothing here are accepted
string(7) "in db 4"
bad DSNs and options
WxRedis\InvalidArgumentException(1): invalid DSN: DSN dbindex must be a number, not 'x'
WxRedis\InvalidArgumentException(1): invalid DSN: timeout must be a number of seconds greater than 0 (at most 86400), not "0"
WxRedis\InvalidArgumentException(1): invalid DSN: read_timeout must be a number of seconds greater than 0 (at most 86400), not "abc"
WxRedis\InvalidArgumentException(1): invalid DSN: persistent must be 0 or 1, not "maybe"
WxRedis\InvalidArgumentException(1): invalid DSN: unknown parameter "frobnicate" (known: host[...], redis_sentinel, redis_cluster, dbindex, auth, timeout, read_timeout, persistent)
WxRedis\InvalidArgumentException(1): invalid DSN: DSN lists 2 hosts but neither redis_cluster=1 nor redis_sentinel=NAME (client-side sharding as with RedisArray is not supported)
WxRedis\InvalidArgumentException(1): invalid DSN: DSN cannot use both redis_cluster and redis_sentinel
WxRedis\InvalidArgumentException(1): invalid DSN: Redis Cluster has only database 0; DSN asks for 2
WxRedis\InvalidArgumentException(1): invalid DSN: DSN redis_cluster must be 1/true/yes/on or 0/false/no/off, not 'yes-please'
WxRedis\InvalidArgumentException(32): option "database" must be 0 on a Redis Cluster (it has only database 0)
WxRedis\InvalidArgumentException(32): option "sentinel_password" is for a Sentinel DSN (redis:?host[...]&redis_sentinel=NAME)
WxRedis\InvalidArgumentException(32): a sentinel_username needs a sentinel_password (Redis AUTH takes both)
WxRedis\InvalidArgumentException(32): option "sentinel_password" must be a string without NUL bytes, or null
a Sentinel and a Cluster DSN are taken without connecting (lazy)
bool(true)
bool(true)
