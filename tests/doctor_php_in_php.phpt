--TEST--
wxredis-doctor: php+php keys (symfony/cache >= 7.2 under phpredis SERIALIZER_PHP) are recognised and migrated (issue 9, item 8)
--SKIPIF--
<?php require __DIR__ . '/support/skipif.inc'; ?>
--FILE--
<?php
require __DIR__ . '/support/doctor.inc';
$p = wx_test_prefix();
$raw = wx_test_raw();
$dsn = wx_test_server()['dsn'];
$ticket = 'ticket@@@' . str_repeat('Z', 20);
$raw->cmd('SET', $p . 'open_platform.verify_ticket.wxsf74', serialize(serialize($ticket)), 'EX', '3000');
$raw->cmd('SET', $p . 'open_platform.verify_ticket.wxjson', json_encode(serialize($ticket)));
$raw->cmd('SET', $p . 'canon', serialize('plain'));

echo "report\n";
$d = wx_doctor_json([$dsn, "--prefix=$p"]);
foreach ($d['by_key'] as $k => $e) echo str_replace($p, 'P:', $k), ': ', $e['format'], "\n";
var_dump($d['exit'], $d['summary']['formats']);
echo "migrate\n";
$m = wx_doctor_json([$dsn, "--prefix=$p", '--migrate']);
$changed = array_map(fn($c) => str_replace($p, 'P:', $c['key']), $m['migration']['changed']);
sort($changed);
var_dump($changed, $m['migration']['unchanged']);
$c = wx_test_cache();
var_dump($c->get('open_platform.verify_ticket.wxsf74') === $ticket, $c->get('open_platform.verify_ticket.wxjson') === $ticket,
    $raw->cmd('TTL', $p . 'open_platform.verify_ticket.wxsf74') > 2900, $raw->cmd('TTL', $p . 'open_platform.verify_ticket.wxjson'));
echo "now canonical\n";
foreach (wx_doctor_json([$dsn, "--prefix=$p"])['by_key'] as $k => $e) echo str_replace($p, 'P:', $k), ': ', $e['format'], "\n";
$raw->cmd('DEL', $p . 'open_platform.verify_ticket.wxsf74', $p . 'open_platform.verify_ticket.wxjson', $p . 'canon');
--EXPECT--
report
P:canon: wxredis
P:open_platform.verify_ticket.wxjson: json
P:open_platform.verify_ticket.wxsf74: php+php
int(1)
array(3) {
  ["json"]=>
  int(1)
  ["php+php"]=>
  int(1)
  ["wxredis"]=>
  int(1)
}
migrate
array(2) {
  [0]=>
  string(36) "P:open_platform.verify_ticket.wxjson"
  [1]=>
  string(36) "P:open_platform.verify_ticket.wxsf74"
}
int(1)
bool(true)
bool(true)
bool(true)
int(-1)
now canonical
P:canon: wxredis
P:open_platform.verify_ticket.wxjson: wxredis
P:open_platform.verify_ticket.wxsf74: wxredis
