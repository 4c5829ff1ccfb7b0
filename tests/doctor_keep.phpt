--TEST--
wxredis-doctor --keep (one pass for cron; --loop until SIGTERM, with a progress line) and --recover, on a platform given by --config
--SKIPIF--
<?php require __DIR__ . '/support/skipif.inc'; ?>
--INI--
pcre.jit=0
--FILE--
<?php
require __DIR__ . '/support/platform.inc';
require __DIR__ . '/support/doctor.inc';
$emu = wx_emu_start();
$p = wx_platform($emu, ['keeper_rate' => 50]);
$raw = wx_test_raw();
$pre = wx_test_prefix();
$rkey = fn (string $a) => 'wxredis:authorizer_refresh_token:' . WX_PLATFORM_APPID . ":$a";
wx_platform_push_ticket($emu, $p);
$made = wx_emu_control($emu, 'create_authorizers', ['count' => 5, 'prefix' => 'wxdockeep']);
foreach ($made['authorizers'] as $a) {
    $raw->del($rkey($a['authorizer_appid']));
    $p->setAuthorizerRefreshToken($a['authorizer_appid'], $a['authorizer_refresh_token']);
}
$conf = tempnam(sys_get_temp_dir(), 'wxconf') . '.php';
file_put_contents($conf, '<?php return ' . var_export(wx_platform_config($emu, ['keeper_rate' => 50]), true) . ';');
$dsn = wx_test_server()['dsn'];
$mask = fn (string $s) => preg_replace(['/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d/m', '/in \d+h\d\dm/', '/in \d+s/', '/in \d+m\b/'], ['{time}', 'in {h}', 'in {s}', 'in {m}'], $s);

echo "-- usage\n";
foreach ([['--keep'], ['--loop'], ['--recover', '--keep', "--config=$conf"], ['--keep', '--config=/nonexistent']] as $args) {
    [$code, $out] = wx_doctor(array_merge($args, [$dsn]));
    echo $code, ' ', trim(str_replace($conf, '{conf}', $out)), "\n";
}

echo "-- --keep: one pass (cron)\n";
[$code, $out] = wx_doctor(['--keep', "--config=$conf", "--prefix=$pre", $dsn]);
echo $code, ' ', $mask($out);
[$code, $out] = wx_doctor(['--keep', "--config=$conf", "--prefix=$pre", $dsn]);
echo $code, ' ', $mask($out);

echo "-- --keep --loop: stops cleanly on SIGTERM\n";
$cmd = [PHP_BINARY, '-d', 'pcre.jit=0', '-d', 'extension=' . wx_so(), __DIR__ . '/../bin/wxredis-doctor', '--keep', '--loop', "--config=$conf", "--prefix=$pre", $dsn];
$proc = proc_open($cmd, [0 => ['file', '/dev/null', 'r'], 1 => ['pipe', 'w'], 2 => ['pipe', 'w']], $pipes);
$line = fgets($pipes[1]);                 // the first pass's progress line
echo $mask($line);
proc_terminate($proc, 15);
$rest = stream_get_contents($pipes[1]);
echo $mask($rest), trim(stream_get_contents($pipes[2]));
echo 'exit ', proc_close($proc), "\n";

echo "-- --recover: the lost refresh tokens back\n";
$raw->del($rkey('wxdockeep000000001'), $rkey('wxdockeep000000003'));
[$code, $out] = wx_doctor(['--recover', "--config=$conf", "--prefix=$pre", $dsn]);
echo $code, ' ', preg_replace('/, [\d.]+ s$/m', ', {t} s', $out);
var_dump($p->getAuthorizerRefreshToken('wxdockeep000000003') === $made['authorizers'][3]['authorizer_refresh_token']);
[$code, $out] = wx_doctor(['--json', '--recover', "--config=$conf", "--prefix=$pre", $dsn]);
$j = json_decode($out, true);
echo $code, ' ', json_encode([count($j['recovered']), $j['unchanged'], $j['failed'], $j['busy']]), "\n";
unlink($conf);
wx_emu_stop($emu);
?>
--EXPECT--
-- usage
2 --stderr--
wxredis-doctor: --keep needs --config FILE (the WxRedis\OpenPlatform config)
2 --stderr--
wxredis-doctor: --loop goes with --keep
2 --stderr--
wxredis-doctor: --recover and --keep are separate runs
2 --stderr--
wxredis-doctor: --config /nonexistent: not a readable file
-- --keep: one pass (cron)
0 {time} keeper: refreshed 5, fresh 0, busy 0, failed 0; due 0 of 5 authorizers; next due in {m}
0 {time} keeper: refreshed 0, fresh 0, busy 0, failed 0; due 0 of 5 authorizers; next due in {m}
-- --keep --loop: stops cleanly on SIGTERM
{time} keeper: refreshed 0, fresh 0, busy 0, failed 0; due 0 of 5 authorizers; next due in {m}
keeper stopped by a signal after 1 pass(es): 0 refreshed, 0 failed
exit 0
-- --recover: the lost refresh tokens back
0 refresh tokens: 2 recovered, 3 unchanged, 0 kept (stored meanwhile), 0 not recovered; WeChat listed 5 in 1 page(s), 1 call(s), {t} s
  recovered wxdockeep000000001
  recovered wxdockeep000000003
bool(true)
0 [0,5,[],false]
