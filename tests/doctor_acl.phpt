--TEST--
wxredis-doctor: an ACL user without DBSIZE, INFO or CONFIG gets a report that says what was not checked and why (text and --json), never an uncaught exception
--SKIPIF--
<?php require __DIR__ . '/support/skipif.inc';
if (!function_exists('igbinary_serialize')) die('skip needs igbinary (a value --migrate rewrites)'); ?>
--FILE--
<?php
require __DIR__ . '/support/doctor.inc';
$r = wx_redis_start([]);
$admin = new WxRedis\Cache($r['dsn'], ['prefix' => 'ew:', 'persistent' => false]);
$admin->set('open_platform.verify_ticket.wxC', 't', 6000);
$admin->rawCommand('SET', 'wxredis:authorizer_refresh_token:wxC:wxA', WxRedis\Format::encode('r1'));
$user = fn (string $name) => str_replace('redis://', "redis://$name:pw@", $r['dsn']);

echo "-- no DBSIZE, INFO or CONFIG\n";
$admin->rawCommand('ACL', 'SETUSER', 'doc', 'on', '>pw', '~*', '+@all', '-dbsize', '-info', '-config');
$j = wx_doctor_json([$user('doc')]);
var_dump($j['exit']);
foreach ($j['unchecked'] as $u) echo $u['check'], ' / ', $u['command'], ': ', str_contains($u['reason'], 'NOPERM') ? 'NOPERM' : $u['reason'], "\n";
echo implode(', ', array_column($j['warnings'], 'code')), "\n";
var_dump(count($j['keys']), $j['server']['redis_version'], $j['server']['maxmemory_policy']);

[$code, $out] = wx_doctor([$user('doc')]);
var_dump($code);
echo preg_replace('/: NOPERM.*$/m', ': NOPERM...', substr($out, strpos($out, "\nnot checked:"))), "\n";

echo "-- only CONFIG denied: the version is known, eviction and persistence are not checked\n";
$admin->rawCommand('ACL', 'SETUSER', 'doc2', 'on', '>pw', '~*', '+@all', '-config');
$j = wx_doctor_json([$user('doc2')]);
var_dump($j['exit'], $j['server']['redis_version'] !== null);
echo implode(', ', array_column($j['unchecked'], 'check')), "\n";

echo "-- no SCAN: exit 3 with the reason, not 255\n";
$admin->rawCommand('ACL', 'SETUSER', 'doc3', 'on', '>pw', '~*', '+@all', '-scan');
[$code, $out] = wx_doctor([$user('doc3')]);
var_dump($code);
echo preg_replace('/NOPERM.*$/m', 'NOPERM...', trim($out)), "\n";

echo "-- --migrate without EVAL: exit 3 with the reason, not 255\n";
$admin->rawCommand('SET', 'ew:legacy', igbinary_serialize('x'));   // a format --migrate rewrites
$admin->rawCommand('ACL', 'SETUSER', 'doc4', 'on', '>pw', '~*', '+@all', '-eval');
[$code, $out] = wx_doctor([$user('doc4'), '--migrate']);
var_dump($code);
echo preg_replace('/NOPERM.*$/m', 'NOPERM...', trim($out)), "\n";

echo "-- an admin gets every check\n";
$j = wx_doctor_json([$r['dsn']]);
var_dump($j['unchecked']);
wx_redis_stop($r);
?>
--EXPECT--
-- no DBSIZE, INFO or CONFIG
int(1)
redis_version / INFO server: NOPERM
eviction / CONFIG GET maxmemory-policy: NOPERM
persistence / CONFIG GET save: NOPERM
key_count / DBSIZE: NOPERM
unchecked, unchecked, unchecked
int(2)
NULL
NULL
int(1)

not checked:
  - redis_version: INFO server failed: Redis INFO failed: NOPERM...
  - eviction: CONFIG GET maxmemory-policy failed: Redis CONFIG failed: NOPERM...
  - persistence: CONFIG GET save failed: Redis CONFIG failed: NOPERM...
  - key_count: DBSIZE failed: Redis DBSIZE failed: NOPERM...

-- only CONFIG denied: the version is known, eviction and persistence are not checked
int(1)
bool(true)
eviction, persistence
-- no SCAN: exit 3 with the reason, not 255
int(3)
--stderr--
wxredis-doctor: scan failed: Redis SCAN failed: NOPERM...
-- --migrate without EVAL: exit 3 with the reason, not 255
int(3)
--stderr--
wxredis-doctor: Redis EVAL failed: NOPERM...
-- an admin gets every check
array(0) {
}
