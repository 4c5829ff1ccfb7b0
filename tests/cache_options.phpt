--TEST--
WxRedis\Cache: DSN forms and options; unknown or malformed ones are InvalidArgumentException naming them
--SKIPIF--
<?php require __DIR__ . '/support/skipif.inc'; ?>
--FILE--
<?php
require __DIR__ . '/support/common.inc';
$s = wx_test_server();
[$host, $port] = explode(':', $s['addr']);

echo "database from the DSN and from the option\n";
$c5 = new WxRedis\Cache("redis://$host:$port/5", ['prefix' => 'opt:']);
$c5->set('k', 'db5');
$c6 = new WxRedis\Cache("redis://$host:$port", ['prefix' => 'opt:', 'database' => 6]);
$c6->set('k', 'db6');
var_dump(wx_test_raw(5)->get('opt:k'), wx_test_raw(6)->get('opt:k'));
echo "unix socket\n";
$u = new WxRedis\Cache('unix://' . $s['sock'], ['prefix' => 'opt:', 'database' => 5]);
var_dump($u->get('k'));
echo "non-persistent, timeouts as int and float\n";
$np = new WxRedis\Cache("redis://$host:$port/5", ['prefix' => 'opt:', 'persistent' => false, 'connect_timeout' => 2, 'read_timeout' => 0.5]);
var_dump($np->get('k'));
wx_test_raw(5)->flushdb();
wx_test_raw(6)->flushdb();

echo "bad DSNs\n";
foreach (['', 'http://127.0.0.1', 'redis://', 'redis://host:0', 'redis://host:99999', 'redis://host:port',
          'redis://host/db', 'redis://ho st', 'unix://relative.sock', 'rediss://127.0.0.1', 'redis://u:%zz@h'] as $dsn) {
    wx_try(fn() => new WxRedis\Cache($dsn));
}
echo "bad options\n";
foreach ([['prefx' => 'a'], [0 => 'a'], ['prefix' => 1], ['connect_timeout' => 0], ['read_timeout' => 'x'],
          ['persistent' => 1], ['database' => -1], ['database' => '1'], ['password' => 1], ['username' => 'u'],
          ['allowed_classes' => 'Foo'], ['allowed_classes' => ['no such class!']], ['legacy_formats' => 'yes']] as $o) {
    wx_try(fn() => new WxRedis\Cache('redis://127.0.0.1', $o));
}
echo "constructor once\n";
wx_try(fn() => $c5->__construct());
--EXPECT--
database from the DSN and from the option
string(10) "s:3:"db5";"
string(10) "s:3:"db6";"
unix socket
string(3) "db5"
non-persistent, timeouts as int and float
string(3) "db5"
bad DSNs
WxRedis\InvalidArgumentException(1): invalid DSN "": DSN must start with redis:// or unix://
WxRedis\InvalidArgumentException(1): invalid DSN "http://127.0.0.1": DSN must start with redis:// or unix://
WxRedis\InvalidArgumentException(1): invalid DSN "redis://": DSN has no host
WxRedis\InvalidArgumentException(1): invalid DSN "redis://host:0": DSN port must be a number from 1 to 65535
WxRedis\InvalidArgumentException(1): invalid DSN "redis://host:99999": DSN port must be a number from 1 to 65535
WxRedis\InvalidArgumentException(1): invalid DSN "redis://host:port": DSN port must be a number from 1 to 65535
WxRedis\InvalidArgumentException(1): invalid DSN "redis://host/db": DSN database must be a number after '/'
WxRedis\InvalidArgumentException(1): invalid DSN "redis://ho st": DSN must not contain white space or NUL bytes
WxRedis\InvalidArgumentException(1): invalid DSN "unix://relative.sock": unix DSN needs an absolute path: unix:///path/to/redis.sock
WxRedis\InvalidArgumentException(1): invalid DSN "rediss://127.0.0.1": rediss:// (TLS) is not supported by this build (hiredis 0.14.1 without hiredis_ssl)
WxRedis\InvalidArgumentException(1): invalid DSN "redis://u:%zz@h": bad %-escape in DSN credentials
bad options
WxRedis\InvalidArgumentException(32): unknown option "prefx" (known: prefix, connect_timeout, read_timeout, persistent, username, password, database, allowed_classes, legacy_formats, max_reply_bytes, sentinel_username, sentinel_password)
WxRedis\InvalidArgumentException(32): options must be an array keyed by option name
WxRedis\InvalidArgumentException(32): option "prefix" must be a string, int given
WxRedis\InvalidArgumentException(32): option "connect_timeout" must be a number of seconds greater than 0 (at most 86400)
WxRedis\InvalidArgumentException(32): option "read_timeout" must be a number of seconds greater than 0 (at most 86400)
WxRedis\InvalidArgumentException(32): option "persistent" must be a bool, int given
WxRedis\InvalidArgumentException(32): option "database" must be an int >= 0
WxRedis\InvalidArgumentException(32): option "database" must be an int >= 0
WxRedis\InvalidArgumentException(32): option "password" must be a string without NUL bytes, or null
WxRedis\InvalidArgumentException(32): a username needs a password (Redis AUTH takes both)
WxRedis\InvalidArgumentException(32): option "allowed_classes" must be true, false or a list of class names, string given
WxRedis\InvalidArgumentException(32): option "allowed_classes" must be true, false or a list of class names
WxRedis\InvalidArgumentException(32): option "legacy_formats" must be a bool, string given
constructor once
Error(0): Cannot call the constructor twice
