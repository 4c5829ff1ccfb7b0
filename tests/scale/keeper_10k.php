<?php
/*
 * 10,000 authorizers (issue 12): the token keeper keeps every token fresh
 * over a simulated stretch of hours, with no burst above keeper_rate and no
 * double refresh; then Redis loses every refresh token and
 * recoverRefreshTokens() brings back each one WeChat still lists.
 *
 * Time: the emulator's clock moves with advance_clock, and Redis's TTLs
 * (real time) are moved by the same amount by the harness between keeper
 * passes: every token key's PTTL and every registry score go down by the
 * step, exactly as if that time had passed for Redis too (locks and the
 * keeper's pace key are left alone: they are about real time). The
 * extension runs unchanged on the real clock; keeper_rate is measured on
 * the real clock (the emulator's token_calls window).
 *
 * Run by scripts/test as its own step (about two minutes), TAP on stdout:
 *   WXREDIS_TEST_REDIS=127.0.0.1:6379 php -d extension=wxredis.so tests/scale/keeper_10k.php
 * Options (env): WX10K_AUTHORIZERS (10000), WX10K_HOURS (1: steps of simulated time,
 * real time passes on top), WX10K_RATE (60: keeper_rate).
 */
require __DIR__ . '/../support/platform.inc';

$N = (int) (getenv('WX10K_AUTHORIZERS') ?: 10000);
$HOURS = (float) (getenv('WX10K_HOURS') ?: 1);
$RATE = (float) (getenv('WX10K_RATE') ?: 60);
const MARGIN = 300;        // refresh_margin (the default)
const STEP = 240;          // simulated seconds per step: below the margin, so no token can lapse inside a step
const CUT = 500;           // EasyWeChat's TTL cut for authorizer tokens: Redis keeps expires_in - 500

$tap = ['n' => 0, 'failed' => 0];
function ok(bool $cond, string $name, mixed $diag = null): void
{
    global $tap;
    $tap['n']++;
    echo ($cond ? 'ok ' : 'not ok ') . $tap['n'] . " - $name\n";
    if (!$cond) {
        $tap['failed']++;
        if ($diag !== null) echo '# ', str_replace("\n", "\n# ", json_encode($diag, JSON_PRETTY_PRINT | JSON_UNESCAPED_SLASHES)), "\n";
    }
}
function note(string $s): void { echo "# $s\n"; }

$emu = wx_emu_start(['workers' => 4]);
$cfg = ['keeper_rate' => $RATE];
$cache = wx_test_cache(['read_timeout' => 10.0]);
$p = wx_platform($emu, $cfg, $cache);
$raw = wx_test_raw();
$pre = wx_test_prefix();
$reg = $pre . 'wxredis.authorizers.' . WX_PLATFORM_APPID;
$rkey = fn (string $a) => 'wxredis:authorizer_refresh_token:' . WX_PLATFORM_APPID . ":$a";
wx_platform_push_ticket($emu, $p);
$p->getComponentAccessToken();

// -------------------------------------------------------------- the fleet
$t = microtime(true);
$made = wx_emu_control($emu, 'create_authorizers', ['count' => $N, 'prefix' => 'wx10k', 'issue_tokens' => true,
    'token_expires_in' => [CUT + MARGIN + 400, 7200]]);
$accounts = $made['authorizers'];
foreach (array_chunk(array_column($accounts, 'authorizer_appid'), 1000) as $chunk) $raw->del(...array_map($rkey, $chunk));
// a platform that has been running: refresh tokens imported, access tokens
// where EasyWeChat and wxredis keep them, each with expires_in - 500
foreach ($accounts as $a) {
    $p->setAuthorizerRefreshToken($a['authorizer_appid'], $a['authorizer_refresh_token']);
    $cache->set('open-platform.authorizer_access_token.' . $a['authorizer_appid'] . '.' . md5($a['authorizer_refresh_token']),
        $a['authorizer_access_token'], $a['expires_in'] - CUT);
}
note(sprintf('%d authorizers created and imported in %.1f s (tokens expiring over %d..7200 s)', $N, microtime(true) - $t, CUT + MARGIN + 400));
ok((int) $raw->zcard($reg) === $N, "$N authorizers registered");

$drain = function (int $limit = 1000) use ($p): array {
    $sum = ['refreshed' => 0, 'fresh' => 0, 'busy' => 0, 'failed' => [], 'passes' => 0];
    do {
        $r = $p->refreshDue($limit);
        $sum['refreshed'] += count($r['refreshed']);
        $sum['fresh'] += count($r['skipped_fresh']);
        $sum['busy'] += count($r['skipped_busy']);
        $sum['failed'] += $r['failed'];
        $sum['passes']++;
        if ($r['due'] > 0 && !$r['refreshed'] && !$r['skipped_fresh']) usleep(100000);   // others hold them
    } while ($r['due'] > 0 && $sum['passes'] < 1000);
    return $sum + ['due' => $r['due']];
};

// the keeper learns the expiries an import left unknown: no WeChat call
$t = microtime(true);
$before = wx_emu_calls($emu, '/cgi-bin/component/api_authorizer_token');
$s = $drain();
note(sprintf('first pass (scores unknown after the import): %d fresh, %d refreshed in %.1f s, %d passes',
    $s['fresh'], $s['refreshed'], microtime(true) - $t, $s['passes']));
ok($s['fresh'] === $N && wx_emu_calls($emu, '/cgi-bin/component/api_authorizer_token') === $before,
    'the first pass corrects every score from the cached tokens without a WeChat call', $s);

// ------------------------------------------------------------ the stretch
$shift = <<<'LUA'
local ms = tonumber(ARGV[1]) * 1000
local n = 0
local keys = redis.call('keys', ARGV[2])
for _, k in ipairs(redis.call('keys', ARGV[5])) do keys[#keys + 1] = k end
for _, k in ipairs(keys) do
  local t = redis.call('pttl', k)
  if t > 0 then
    if t > ms then redis.call('pexpire', k, t - ms) else redis.call('del', k) end
    n = n + 1
  end
end
local z = redis.call('zrange', ARGV[4], 0, -1, 'withscores')
for i = 1, #z, 2 do
  local s = tonumber(z[i + 1])
  if s > 0 then redis.call('zadd', ARGV[4], s - tonumber(ARGV[1]), z[i]) end
end
local c = ARGV[3]
local t = redis.call('pttl', c)
if t > ms then redis.call('pexpire', c, t - ms) elseif t > 0 then redis.call('del', c) end
return n
LUA;
$glob = str_replace(['*', '?', '['], ['\\*', '\\?', '\\['], $pre) . 'open-platform.authorizer_access_token.*';
// the one-round-trip copies (wxredis.authorizer_access_token.*) age with them
$glob2 = str_replace(['*', '?', '['], ['\\*', '\\?', '\\['], $pre) . 'wxredis.authorizer_access_token.*';
$ckey = $pre . 'open_platform.component_access_token.' . WX_PLATFORM_APPID;

// a second keeper (another server's cron) and a request path, all the while
$stop = sys_get_temp_dir() . '/wx10k_stop_' . getmypid();
@unlink($stop);
$kids = wx_platform_spawn(1, '$p = new WxRedis\OpenPlatform($platformConfig, wx_test_cache(["read_timeout" => 10.0])); $n = 0;'
    . 'while (!file_exists(' . var_export($stop, true) . ')) { $r = $p->refreshDue(200); $n += count($r["refreshed"]); if (!$r["due"]) usleep(50000); }'
    . 'echo "keeper2 $n";', $emu, $cfg);
$ids = array_column($accounts, 'authorizer_appid');
// (its refresh_margin is shorter than the keepers' and than what any token
// has left after a step (MARGIN - STEP = 60 s): the keepers refresh ahead of
// it, as operators set them up, so what the rate check counts is theirs; a
// request path refresh is never paced, by design)
$kids = array_merge($kids, wx_platform_spawn(1, '$p = new WxRedis\OpenPlatform(["refresh_margin" => 30] + $platformConfig, wx_test_cache()); $n = 0;'
    . 'while (!file_exists(' . var_export($stop, true) . ')) { $p->getAuthorizerAccessToken(sprintf("wx10k%013d", mt_rand(0, ' . ($N - 1) . '))); $n++; usleep(20000); }'
    . 'echo "requests $n";', $emu, $cfg));

$seq0 = wx_emu_control($emu, 'token_calls', ['list' => false])['count'];
$steps = (int) ceil($HOURS * 3600 / STEP);
$t = microtime(true);
$worst = ['expiring' => 0, 'due' => 0, 'expired' => 0];
$refreshed = 0;
$failed = [];
for ($i = 0; $i < $steps; $i++) {
    wx_emu_advance_clock($emu, STEP);
    $raw->eval($shift, '0', (string) STEP, $glob, $ckey, $reg, $glob2);
    $s = $drain();
    $worst['due'] = max($worst['due'], (int) $raw->zcount($reg, '-inf', (string) (time() + MARGIN - 30)));
    $refreshed += $s['refreshed'];
    $failed += $s['failed'];
    // fresh: WeChat (its clock) says every token lives more than the cut plus a good part of the margin
    $view = wx_emu_control($emu, 'authorizers', ['expiring_within' => CUT + 100, 'limit' => 5]);
    $worst['expiring'] = max($worst['expiring'], $view['summary']['expiring_within']);
    $worst['expired'] = max($worst['expired'], $view['summary']['expired_tokens'] + $view['summary']['no_token']);
}
$took = microtime(true) - $t;
touch($stop);
$outs = wx_platform_wait($kids);
@unlink($stop);
$tc = wx_emu_control($emu, 'token_calls', ['since_seq' => $seq0, 'window' => 1, 'margin' => CUT + MARGIN + 60, 'list' => false]);
note(sprintf('%.1f simulated hours in %d steps of %d s: %.1f s real; refreshes %d (this keeper %d; %s), %d failed',
    $steps * STEP / 3600, $steps, STEP, $took, $tc['ok'], $refreshed, implode(', ', $outs), count($failed)));
note(sprintf('most refreshes in any real second: %d (keeper_rate %g); refreshed early (more than %d s left on WeChat): %d; shortest gap between two refreshes of one account: %s',
    $tc['window']['max_real'], $RATE, CUT + MARGIN + 60, $tc['early']['count'],
    $tc['min_gap'] === null ? 'none' : sprintf('%.0f s', $tc['min_gap']['seconds'])));
ok($worst['expired'] === 0 && $worst['expiring'] === 0 && $worst['due'] === 0,
    'after every step every token is live on WeChat with more than 600 s left, and none has less than the margin (minus 30 s) left in Redis', $worst);
ok($tc['ok'] >= (int) ($N * ($steps * STEP - 1100) / 7200), "the tokens were refreshed as they came due ({$tc['ok']} refreshes)");
ok(!$failed && $tc['count'] === $tc['ok'], 'no refresh failed', array_slice($failed, 0, 5));
// The keepers pace the start of each refresh (slots of round(1000 / rate)
// ms on Redis's clock); the emulator sees it arrive after a lock and a
// connect whose time varies by some milliseconds on a loaded machine, which
// can move a call or two from one second into the next: one more for the
// second's boundary, and rate x 50 ms of such jitter.
$bound = (int) ($RATE + 1 + ceil($RATE * 0.05));
ok($tc['window']['max_real'] <= $bound, "no burst: at most keeper_rate ($RATE) + 1 + " . ($bound - $RATE - 1)
    . " of arrival jitter refreshes in any real second, two keepers together", $tc['window']);
ok($tc['early']['count'] === 0 && ($tc['min_gap'] === null || $tc['min_gap']['seconds'] >= 7200 - CUT - MARGIN - STEP - 60),
    'no double refresh: none before its margin, none twice within a token life', [$tc['early'], $tc['min_gap']]);

// ------------------------------------------------------------ the loss
$view = wx_emu_control($emu, 'authorizers', ['limit' => $N + 10]);
$want = array_column($view['list'], 'refresh_token', 'authorizer_appid');
foreach (array_chunk($ids, 1000) as $chunk) $raw->del(...array_map($rkey, $chunk));
$raw->del($reg);
wx_emu_control($emu, 'omit_refresh_token', ['every' => 50]);   // "sometimes absent": api_get_authorizer_info for those
$t = microtime(true);
$before = wx_emu_calls($emu);
$res = $p->recoverRefreshTokens();
$took = microtime(true) - $t;
$after = wx_emu_calls($emu);
$good = 0;
foreach ($want as $a => $r) $good += $p->getAuthorizerRefreshToken($a) === $r;
note(sprintf('recoverRefreshTokens(): %d recovered, %d unchanged, %d failed in %.1f s: %d pages, %d WeChat calls (%d list, %d info at keeper_rate)',
    count($res['recovered']), $res['unchanged'], count($res['failed']), $took, $res['pages'], $res['calls'],
    ($after['/cgi-bin/component/api_get_authorizer_list'] ?? 0) - ($before['/cgi-bin/component/api_get_authorizer_list'] ?? 0),
    ($after['/cgi-bin/component/api_get_authorizer_info'] ?? 0) - ($before['/cgi-bin/component/api_get_authorizer_info'] ?? 0)));
ok(count($res['recovered']) === count($want) && !$res['failed'] && $good === count($want),
    "Redis flushed of refresh tokens: every one of the {$N} WeChat lists is back", ['good' => $good, 'failed' => array_slice($res['failed'], 0, 5)]);
ok((int) $raw->zcard($reg) === $N, 'and the registry with them');
$info = wx_emu_calls($emu, '/cgi-bin/component/api_get_authorizer_info');
$s = $drain();
note(sprintf('then the keeper: %d fresh (scores unknown after the recovery, corrected), %d refreshed (came due meanwhile)', $s['fresh'], $s['refreshed']));
ok($s['fresh'] + $s['refreshed'] >= $N && !$s['failed'] && $s['refreshed'] < $N / 20
    && wx_emu_calls($emu, '/cgi-bin/component/api_get_authorizer_info') === $info,
    'the keeper finds their access tokens still cached (keyed by the same refresh tokens) but for the few that came due', $s);

wx_emu_stop($emu);
echo "1..{$tap['n']}\n";
exit($tap['failed'] ? 1 : 0);
