--TEST--
wxredis-doctor: report key by key (format, TTL, what it is) for data written by phpredis, Symfony and wxredis; --json; exit codes
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

$j = wx_doctor_json([$dsn, "--prefix=$p"]);
foreach ($j['by_key'] as $key => $k) {
    printf("%-58s %-9s %-6s %-17s %s\n", str_replace($p, 'P:', $key), $k['format'] ?? $k['type'],
        $k['ttl'] < 0 ? 'none' : ($k['ttl'] > 0 ? 'set' : '0'), $k['kind'] ?? '-',
        isset($k['age']) ? 'age ' . (abs($k['age'] - 600) <= 5 ? '~600' : $k['age']) : '');
}
echo json_encode($j['summary']), "\n";
foreach ($j['warnings'] as $w) echo $w['code'], "\n";
var_dump($j['exit']);

echo "Symfony's keys live under its own namespace\n";
$s = wx_doctor_json([$dsn, "--prefix=$sfp"]);
echo json_encode(array_column($s['keys'], 'format', 'kind')), "\n";

echo "text report, help, errors\n";
[$code, $out] = wx_doctor([$dsn, "--prefix=$p"]);
var_dump($code, str_contains($out, 'verify ticket of wxnone, age 10m'), str_contains($out, 'refresh token of wxA (component wxphp)'));
[$code, $out] = wx_doctor(['--help']);
var_dump($code, str_starts_with($out, 'Usage: wxredis-doctor'));
[$code, $out] = wx_doctor(['--frobnicate']);
var_dump($code); echo trim($out), "\n";
[$code, $out] = wx_doctor(['--dry-run']);
var_dump($code);
[$code, $out] = wx_doctor(['redis://127.0.0.1:' . wx_free_port()]);
var_dump($code, str_contains($out, 'Connection refused'));
[$code, $out] = wx_doctor(['ftp://nowhere']);
var_dump($code);
--EXPECTF--
P:a.hash                                                   hash      none   -                 
P:blob.msgpack                                             msgpack   none   -                 
P:count.igbinary                                           igbinary  none   -                 
P:count.json                                               raw       none   -                 
P:count.none                                               raw       none   -                 
P:count.php                                                wxredis   none   -                 
P:flag.empty                                               empty     none   -                 
P:open-platform.authorizer_access_token.wxA.%s wxredis   set    authorizer_token  
P:open_platform.component_access_token.wxorphan            wxredis   set    component_token   
P:open_platform.component_access_token.wxphp               wxredis   set    component_token   
P:open_platform.verify_ticket.wxigbinary                   igbinary  set    ticket            age ~600
P:open_platform.verify_ticket.wxjson                       json      set    ticket            age ~600
P:open_platform.verify_ticket.wxnone                       raw       set    ticket            age ~600
P:open_platform.verify_ticket.wxphp                        wxredis   set    ticket            age ~600
P:wxredis:authorizer_refresh_token:wxphp:wxA               wxredis   none   refresh_token     
{"keys":15,"formats":{"empty":1,"hash":1,"igbinary":2,"json":1,"msgpack":1,"raw":3,"wxredis":6},"tickets":4,"component_tokens":2,"refresh_tokens":1}
token_without_ticket
no_persistence
legacy_formats
int(1)
Symfony's keys live under its own namespace
{"ticket":"php+igbinary"}
text report, help, errors
int(1)
bool(true)
bool(true)
int(0)
bool(true)
int(2)
--stderr--
wxredis-doctor: unknown option --frobnicate (see --help)
int(2)
int(3)
bool(true)
int(2)
