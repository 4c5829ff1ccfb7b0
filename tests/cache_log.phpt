--TEST--
WxRedis\Cache's logger: format errors, connection lost and restored (once each, with the failures between), LoggerAwareInterface, the platform's events to the cache's logger, a logger that logs through the cache, cycles collected
--SKIPIF--
<?php require __DIR__ . '/support/skipif.inc'; ?>
--FILE--
<?php
require __DIR__ . '/support/logger.inc';
require_once __DIR__ . '/support/redis.inc';
$log = new WxTestLogger();
$cache = wx_test_cache();
var_dump($cache instanceof Psr\Log\LoggerAwareInterface, $cache instanceof Psr\SimpleCache\CacheInterface || !interface_exists(Psr\SimpleCache\CacheInterface::class));
$cache->setLogger($log);

echo "-- a value that is not wxredis format\n";
$raw = wx_test_raw();
$raw->set(wx_test_prefix() . 'foreign', 'raw-bytes-of-someone-else');
try { $cache->get('foreign'); } catch (WxRedis\CacheException $e) { echo get_class($e), '(', $e->getCode(), ")\n"; }
[$r] = $log->events('wxredis.cache.format_error');
echo $log->shape($r), "\n";
var_dump($r['context']['key'] === wx_test_prefix() . 'foreign', $r['context']['code'] === WxRedis\Cache::ERROR_FORMAT,
         str_contains($r['context']['reason'], 'raw'), str_contains(json_encode($log->records), 'raw-bytes-of-someone-else'));
$cache->set('ok', 'fine');
var_dump($cache->get('ok'), count($log->records));            // nothing logged for what works

echo "-- connection lost, failing on, restored\n";
$srv = wx_redis_start();
$c2 = new WxRedis\Cache($srv['dsn'], ['prefix' => 'x:', 'persistent' => false, 'connect_timeout' => 0.5, 'read_timeout' => 0.5]);
$l2 = new WxTestLogger();
$c2->setLogger($l2);
$c2->set('k', 1);
wx_redis_stop($srv, true);
for ($i = 0; $i < 3; $i++) {
    try { $c2->get('k'); } catch (WxRedis\CacheException $e) { echo get_class($e), '(', $e->getCode(), ")\n"; }
}
$srv = wx_redis_restart($srv);
var_dump($c2->get('k'));                                      // empty server: a miss
var_dump($c2->set('k', 2), $c2->get('k'));
foreach ($l2->records as $r) echo $log->shape($r), "\n";
var_dump(in_array($l2->records[0]['context']['code'], [WxRedis\Cache::ERROR_CONNECT, WxRedis\Cache::ERROR_IO], true),
         $l2->records[1]['context']['failures'], $l2->records[1]['context']['down_seconds'] > 0);
wx_redis_stop($srv);

echo "-- the platform's events go to the cache's logger when it has none\n";
require __DIR__ . '/support/platform.inc';
$emu = wx_emu_start();
$log->clear();
$p = wx_platform($emu, [], $cache);
wx_platform_push_ticket($emu, $p);
echo implode(' ', $log->names()), "\n";
$own = new WxTestLogger();
$p->setLogger($own);
$p->getComponentAccessToken();
echo implode(' ', $log->names()), ' | ', implode(' ', $own->names()), "\n";
wx_emu_stop($emu);

echo "-- a logger that uses the cache it logs for\n";
$loop = new class ($cache) extends WxTestLogger {
    public function __construct(public WxRedis\Cache $cache) {}
    public function log($level, $message, array $context = []): void
    {
        parent::log($level, $message, $context);
        try { $this->cache->get('foreign'); } catch (WxRedis\CacheException) {}   // a format error again, inside log()
        $this->cache->set('logged', count($this->records));
    }
};
$cache->setLogger($loop);
try { $cache->get('foreign'); } catch (WxRedis\CacheException $e) { echo get_class($e), '(', $e->getCode(), ")\n"; }
var_dump(count($loop->records), $cache->get('logged'));      // once: events it causes inside log() are not logged again

echo "-- a logger removed from inside its own log()\n";
$self = new class ($cache) extends WxTestLogger {
    public function __construct(public WxRedis\Cache $cache) {}
    public function log($level, $message, array $context = []): void { parent::log($level, $message, $context); $this->cache->setLogger(null); }
};
$cache->setLogger($self);
try { $cache->get('foreign'); } catch (WxRedis\CacheException) {}
try { $cache->get('foreign'); } catch (WxRedis\CacheException) {}
var_dump(count($self->records));

echo "-- a cycle (logger -> cache -> logger) is collected\n";
$c3 = wx_test_cache();
$holder = new class ($c3) extends WxTestLogger { public function __construct(public WxRedis\Cache $c) {} };
$c3->setLogger($holder);
$w = WeakReference::create($holder);
unset($c3, $holder);
gc_collect_cycles();
var_dump($w->get());
?>
--EXPECTF--
bool(true)
bool(true)
-- a value that is not wxredis format
WxRedis\CacheException(20)
warning wxredis.cache.format_error "value under {key} is not in wxredis format: {reason}" [event,key,code,reason,server,pid]
bool(true)
bool(true)
bool(true)
bool(false)
string(4) "fine"
int(1)
-- connection lost, failing on, restored
WxRedis\CacheException(%d)
WxRedis\CacheException(%d)
WxRedis\CacheException(%d)
NULL
bool(true)
int(2)
error wxredis.cache.connection_lost "Redis connection lost: {reason}" [event,code,reason,server,pid]
notice wxredis.cache.connection_restored "Redis connection restored after {down_seconds} s and {failures} failed calls" [event,down_seconds,failures,server,pid]
bool(true)
int(3)
bool(true)
-- the platform's events go to the cache's logger when it has none
wxredis.ticket.stored
wxredis.ticket.stored | wxredis.token.refreshed
-- a logger that uses the cache it logs for
WxRedis\CacheException(20)
int(1)
int(1)
-- a logger removed from inside its own log()
int(1)
-- a cycle (logger -> cache -> logger) is collected
NULL
