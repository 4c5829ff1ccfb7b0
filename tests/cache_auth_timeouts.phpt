--TEST--
WxRedis\Cache: AUTH (password and ACL user), wrong password, unreachable host, read timeout: clear messages
--SKIPIF--
<?php require __DIR__ . '/support/skipif.inc'; ?>
--FILE--
<?php
require __DIR__ . '/support/common.inc';
$r = wx_redis_start(['--requirepass', 's3cr@t/pw']);
$port = $r['port'];
$dsn = fn(string $cred) => "redis://{$cred}127.0.0.1:$port";

echo "password in the DSN (percent-escaped) and as an option\n";
$c = new WxRedis\Cache($dsn(':s3cr%40t%2Fpw@'), ['prefix' => 'a:']);
var_dump($c->set('k', 'v'), $c->get('k'));
$c = new WxRedis\Cache($dsn(''), ['prefix' => 'a:', 'password' => 's3cr@t/pw']);
var_dump($c->get('k'));
echo "ACL user\n";
(new WxResp("127.0.0.1:$port"))->cmd('AUTH', 's3cr@t/pw');
$admin = new WxResp("127.0.0.1:$port");
$admin->cmd('AUTH', 's3cr@t/pw');
$admin->cmd('ACL', 'SETUSER', 'wechat', 'on', '>pw2', '~*', '+@all');
$c = new WxRedis\Cache($dsn('wechat:pw2@'), ['prefix' => 'a:']);
var_dump($c->get('k'));
echo "wrong password, no password, wrong user\n";
wx_try(fn() => (new WxRedis\Cache($dsn(':nope@'), ['prefix' => 'a:']))->get('k'));
wx_try(fn() => (new WxRedis\Cache($dsn(''), ['prefix' => 'a:', 'persistent' => false]))->get('k'));
wx_try(fn() => (new WxRedis\Cache($dsn('ghost:pw2@'), ['prefix' => 'a:']))->get('k'));
echo "bad database\n";
wx_try(fn() => (new WxRedis\Cache($dsn(':s3cr%40t%2Fpw@') . '/99999', ['prefix' => 'a:']))->get('k'));
wx_redis_stop($r);

echo "unreachable\n";
$closed = wx_free_port();
wx_try(fn() => (new WxRedis\Cache("redis://127.0.0.1:$closed"))->get('k'));
wx_try(fn() => (new WxRedis\Cache('unix:///nonexistent/redis.sock'))->get('k'));
wx_try(fn() => (new WxRedis\Cache('redis://no-such-host.invalid:6379', ['connect_timeout' => 0.5]))->get('k'));

echo "a server that accepts but never answers\n";
$mute = stream_socket_server('tcp://127.0.0.1:0');
$mport = (int) substr(strrchr(stream_socket_get_name($mute, false), ':'), 1);
$c = new WxRedis\Cache("redis://127.0.0.1:$mport", ['read_timeout' => 0.3, 'prefix' => 'a:']);
$t = microtime(true);
wx_try(fn() => $c->get('k'));
$took = microtime(true) - $t;
var_dump($took >= 0.25 && $took < 3);
--EXPECTF--
password in the DSN (percent-escaped) and as an option
bool(true)
string(1) "v"
string(1) "v"
ACL user
string(1) "v"
wrong password, no password, wrong user
WxRedis\CacheException(3): Redis at 127.0.0.1:%d refused AUTH: WRONGPASS invalid username-password pair or user is disabled.
WxRedis\CacheException(7): Redis GET failed: NOAUTH Authentication required.
WxRedis\CacheException(3): Redis at 127.0.0.1:%d refused AUTH: WRONGPASS invalid username-password pair or user is disabled.
bad database
WxRedis\CacheException(4): Redis at 127.0.0.1:%d refused SELECT: ERR DB index is out of range
unreachable
WxRedis\CacheException(2): cannot connect to Redis at 127.0.0.1:%d: Connection refused
WxRedis\CacheException(2): cannot connect to Redis at unix:/nonexistent/redis.sock: No such file or directory
WxRedis\CacheException(2): cannot connect to Redis at no-such-host.invalid:6379: %s
a server that accepts but never answers
WxRedis\CacheException(5): Redis at 127.0.0.1:%d did not answer within read_timeout 0.3s while sending a command
bool(true)
