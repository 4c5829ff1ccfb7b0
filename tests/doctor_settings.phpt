--TEST--
wxredis-doctor: warns about settings that lose refresh tokens (eviction policy, no persistence), old tickets, refresh tokens with a TTL
--SKIPIF--
<?php require __DIR__ . '/support/skipif.inc'; ?>
--FILE--
<?php
require __DIR__ . '/support/doctor.inc';
$codes = fn(array $j) => implode(', ', array_column($j['warnings'], 'code')) ?: 'none';

echo "a Redis that can lose refresh tokens\n";
$r = wx_redis_start(['--maxmemory-policy', 'allkeys-lru']);
$c = new WxRedis\Cache($r['dsn'], ['prefix' => 'ew:']);
$c->rawCommand('SET', 'wxredis:authorizer_refresh_token:wxC:wxA', WxRedis\Format::encode('r1'));
$c->rawCommand('SET', 'wxredis:authorizer_refresh_token:wxC:wxB', WxRedis\Format::encode('r2'), 'EX', '100');
$c->set('open_platform.verify_ticket.wxC', 't', 6000);
$c->set('open_platform.component_access_token.wxC', 'tok', 7100);
$j = wx_doctor_json([$r['dsn']]);
echo $codes($j), "\n";
foreach ($j['warnings'] as $w) echo '  ', $w['message'], "\n";
var_dump($j['exit'], $j['server']['maxmemory_policy']);
wx_redis_stop($r);

echo "a Redis set up to keep them\n";
$r = wx_redis_start(['--maxmemory-policy', 'noeviction', '--appendonly', 'yes']);
$c = new WxRedis\Cache($r['dsn'], ['prefix' => 'ew:']);
$c->rawCommand('SET', 'wxredis:authorizer_refresh_token:wxC:wxA', WxRedis\Format::encode('r1'));
$c->set('open_platform.verify_ticket.wxC', 't', 6000);
$c->set('open_platform.component_access_token.wxC', 'tok', 7100);
$j = wx_doctor_json([$r['dsn']]);
echo $codes($j), "\n";
var_dump($j['exit']);

echo "a ticket older than 12 hours (wxredis records when it stored it)\n";
$c->rawCommand('SET', 'ew:wxredis.verify_ticket_stored_at.wxC', WxRedis\Format::encode(time() - 13 * 3600));
$j = wx_doctor_json([$r['dsn']]);
echo $codes($j), "\n";
var_dump($j['by_key']['ew:open_platform.verify_ticket.wxC']['age_source']);
wx_redis_stop($r);
--EXPECTF--
a Redis that can lose refresh tokens
refresh_token_expires, eviction, no_persistence
  refresh token wxredis:authorizer_refresh_token:wxC:wxB has a TTL of %ds: it must never expire
  maxmemory-policy is allkeys-lru: under memory pressure Redis may evict keys without expiry, such as authorizer refresh tokens (2 here); use noeviction or a volatile-* policy
  neither RDB snapshots (save) nor AOF (appendonly) are configured: a Redis restart loses every refresh token
int(1)
string(11) "allkeys-lru"
a Redis set up to keep them
none
int(0)
a ticket older than 12 hours (wxredis records when it stored it)
ticket_old
string(9) "stored_at"
