--TEST--
WxRedis\OpenPlatform::refreshDue(): refreshes what expires within refresh_margin, soonest first, at keeper_rate across processes, never twice with request paths refreshing at the same time; failures reported and put behind
--SKIPIF--
<?php require __DIR__ . '/support/skipif.inc'; ?>
--INI--
pcre.jit=0
--FILE--
<?php
require __DIR__ . '/support/platform.inc';
$emu = wx_emu_start();
$rate = 20;
$p = wx_platform($emu, ['keeper_rate' => $rate]);
$raw = wx_test_raw();
$pre = wx_test_prefix();
$reg = $pre . 'wxredis.authorizers.' . WX_PLATFORM_APPID;
$rkey = fn (string $a) => 'wxredis:authorizer_refresh_token:' . WX_PLATFORM_APPID . ":$a";
$akey = fn (string $a, string $r) => $pre . "open-platform.authorizer_access_token.$a." . md5($r);
$summary = fn (array $r) => sprintf('refreshed %d, fresh %d, busy %d, failed %d, due %d, authorizers %d',
    count($r['refreshed']), count($r['skipped_fresh']), count($r['skipped_busy']), count($r['failed']), $r['due'], $r['authorizers']);
wx_platform_push_ticket($emu, $p);
$made = wx_emu_control($emu, 'create_authorizers', ['count' => 40, 'prefix' => 'wxkeep']);
foreach ($made['authorizers'] as $a) {
    $raw->del($rkey($a['authorizer_appid']));
    $p->setAuthorizerRefreshToken($a['authorizer_appid'], $a['authorizer_refresh_token']);   // imports: expiry unknown
}

echo "-- 40 imported, none has a token: all due; refreshed at $rate per second\n";
$t0 = microtime(true);
$r = $p->refreshDue();
$took = microtime(true) - $t0;
echo $summary($r), "\n";
$tc = wx_emu_control($emu, 'token_calls', ['window' => 1, 'list' => false]);
printf("calls %d, most in any second %s, took %s\n", $tc['count'], $tc['window']['max_real'] <= $rate + 1 ? "<= $rate + 1" : $tc['window']['max_real'],
    $took >= 39 / $rate - 0.1 ? 'at least 39 / rate s' : "only $took s");
$view = wx_emu_control($emu, 'authorizers', ['limit' => 100]);
echo 'live tokens ', $view['summary']['live_tokens'], ', next due in ', $r['next_due'] - time() >= 6700 - 300 - 5 ? 'about 6400 s' : ($r['next_due'] - time()), "\n";

echo "-- nothing due: nothing done\n";
echo $summary($p->refreshDue()), "\n";

echo "-- soonest first, at most \$limit\n";
$ids = array_column($made['authorizers'], 'authorizer_appid');
foreach ([5 => 100, 6 => 50, 7 => 200] as $i => $left) {
    $a = $ids[$i];
    $raw->pexpire($akey($a, $p->getAuthorizerRefreshToken($a)), (string) ($left * 1000));
    $raw->pexpire(wx_platform_current_key($a), (string) ($left * 1000));
    $raw->zadd($reg, (string) (time() + $left), $a);
}
$r = $p->refreshDue(2);
echo json_encode($r['refreshed']), ' ', $summary($r), "\n";
echo json_encode($p->refreshDue(2)['refreshed']), "\n";

echo "-- a score left low (an import of a token that is fresh): corrected, no WeChat call\n";
$before = wx_emu_control($emu, 'token_calls', ['list' => false])['count'];
$raw->zadd($reg, '0', $ids[9]);
$r = $p->refreshDue();
echo json_encode($r['skipped_fresh']), ', calls ', wx_emu_control($emu, 'token_calls', ['list' => false])['count'] - $before,
    ', score now ', $raw->zscore($reg, $ids[9]) - time() > 6000 ? 'its expiry' : $raw->zscore($reg, $ids[9]), "\n";

echo "-- 12 due while 4 request processes refresh the same accounts: each refreshed once\n";
$due = array_slice($ids, 20, 12);
foreach ($due as $a) {
    $raw->pexpire($akey($a, $p->getAuthorizerRefreshToken($a)), '100000');
    $raw->pexpire(wx_platform_current_key($a), '100000');
    $raw->zadd($reg, (string) (time() + 100), $a);
}
$seq = max(array_column(wx_emu_control($emu, 'token_calls')['calls'], 'seq'));
wx_emu_control($emu, 'delay', ['path' => '/cgi-bin/component/api_authorizer_token', 'ms' => 50]);
$kids = wx_platform_spawn(4, '$p = new WxRedis\OpenPlatform($platformConfig, wx_test_cache()); $n = 0;'
    . 'foreach (' . var_export($due, true) . ' as $a) { $n += strlen($p->getAuthorizerAccessToken($a)) > 0; } echo $n;', $emu);
$r = $p->refreshDue();
$outs = wx_platform_wait($kids);
$after = wx_emu_control($emu, 'token_calls', ['since_seq' => $seq]);
$per = array_count_values(array_column(array_filter($after['calls'], fn ($c) => $c['result'] === '0'), 'appid'));
echo 'request processes got ', json_encode($outs), ' tokens; refreshes ', $after['ok'], ' for ', count($per), ' accounts, most for one: ', max($per), "\n";
echo 'keeper: refreshed + busy + fresh = ', count($r['refreshed']) + count($r['skipped_busy']) + count($r['skipped_fresh']), "\n";
wx_emu_control($emu, 'clear_fail');

echo "-- two keepers share one rate\n";
foreach ($ids as $a) {
    $raw->del($akey($a, $p->getAuthorizerRefreshToken($a)), wx_platform_current_key($a));
    $raw->zadd($reg, '1', $a);
}
$seq = max(array_column(wx_emu_control($emu, 'token_calls')['calls'], 'seq'));
$kids = wx_platform_spawn(2, '$r = (new WxRedis\OpenPlatform($platformConfig + ["keeper_rate" => ' . $rate . '], wx_test_cache()))->refreshDue();'
    . 'echo count($r["refreshed"]), "+", count($r["skipped_busy"]) + count($r["skipped_fresh"]);', $emu);
$outs = wx_platform_wait($kids);
$tc = wx_emu_control($emu, 'token_calls', ['since_seq' => $seq, 'window' => 1, 'list' => false]);
echo 'refreshes ', $tc['ok'], ', most in any second ', $tc['window']['max_real'] <= $rate + 1 ? "<= $rate + 1" : $tc['window']['max_real'], ', keepers: ',
    array_sum(array_map(fn ($o) => (int) $o, $outs)), " refreshed between them\n";

echo "-- an account WeChat refuses: failed with its errcode, put behind the others\n";
$gone = $ids[30];
wx_emu_control($emu, 'authorize', ['authorizer_appid' => $gone, 'info_type' => 'unauthorized']);   // push lost: we still hold its refresh token
$raw->del($akey($gone, $p->getAuthorizerRefreshToken($gone)), wx_platform_current_key($gone));
$raw->zadd($reg, '0', $gone);
$r = $p->refreshDue();
echo json_encode(array_map(fn ($f) => $f['errcode'], $r['failed'])), ', score ', $raw->zscore($reg, $gone) - time() > 500 ? 'put behind' : $raw->zscore($reg, $gone), "\n";
echo json_encode($p->refreshDue()['failed']), "\n";

echo "-- bad arguments and config\n";
wx_platform_try(fn () => $p->refreshDue(0));
wx_platform_try(fn () => wx_platform($emu, ['keeper_rate' => 0]));
wx_platform_try(fn () => wx_platform($emu, ['keeper_rate' => 'fast']));
$d = WxRedis\Format::describeKey($pre . 'wxredis.keeper_pace.' . WX_PLATFORM_APPID, $pre);
echo $d['role'], ', ', $raw->exists($pre . 'wxredis.keeper_pace.' . WX_PLATFORM_APPID), "\n";
wx_emu_stop($emu);
?>
--EXPECT--
-- 40 imported, none has a token: all due; refreshed at 20 per second
refreshed 40, fresh 0, busy 0, failed 0, due 0, authorizers 40
calls 40, most in any second <= 20 + 1, took at least 39 / rate s
live tokens 40, next due in about 6400 s
-- nothing due: nothing done
refreshed 0, fresh 0, busy 0, failed 0, due 0, authorizers 40
-- soonest first, at most $limit
["wxkeep000000000006","wxkeep000000000005"] refreshed 2, fresh 0, busy 0, failed 0, due 1, authorizers 40
["wxkeep000000000007"]
-- a score left low (an import of a token that is fresh): corrected, no WeChat call
["wxkeep000000000009"], calls 0, score now its expiry
-- 12 due while 4 request processes refresh the same accounts: each refreshed once
request processes got ["12","12","12","12"] tokens; refreshes 12 for 12 accounts, most for one: 1
keeper: refreshed + busy + fresh = 12
-- two keepers share one rate
refreshes 40, most in any second <= 20 + 1, keepers: 40 refreshed between them
-- an account WeChat refuses: failed with its errcode, put behind the others
{"wxkeep000000000030":61003}, score put behind
[]
-- bad arguments and config
ValueError(0): WxRedis\OpenPlatformBase::refreshDue(): Argument #1 ($limit) must be between 1 and 10000
WxRedis\InvalidArgumentException(32): config "keeper_rate" must be greater than 0 and at most 1000 calls per second, 0 given
WxRedis\InvalidArgumentException(32): config "keeper_rate" must be a number of calls per second (int or float), string given
keeper_pace, 1
