<?php
/*
 * WxRedis\Cache on a Sentinel group where everything needs credentials: an
 * ACL user on the data nodes (in the DSN's userinfo, as Symfony reads it)
 * and an ACL user on the sentinels (options sentinel_username /
 * sentinel_password). TAP output.
 *
 *   WXREDIS_SO=$so php -d extension=$so tests/ha/sentinel_auth.php
 *
 * Checks: set/get through the sentinels; wrong or missing sentinel
 * credentials are CacheException ERROR_CONNECT saying what each sentinel
 * said, with no password in the message; a SENTINEL FAILOVER moves the
 * writes (the server's own CONFIG GET port says which node took each one)
 * to the new master, by the time the sentinels agree at the latest.
 */
declare(strict_types=1);
require __DIR__ . '/../support/ha.inc';

require __DIR__ . '/tap.inc';

const DATA_PW = 'd@ta pw:1';
const SENT_PW = 's3nt pw?&';

$ha = wx_ha_start('sentinel', ['acl_user' => 'app:' . DATA_PW, 'sentinel_user' => 'watch:' . SENT_PW]);
$opts = ['prefix' => 'auth:', 'persistent' => false, 'connect_timeout' => 0.3, 'read_timeout' => 0.8];
$good = $opts + ['sentinel_username' => 'watch', 'sentinel_password' => SENT_PW];

$c = new WxRedis\Cache($ha['dsn'], $good);
ok($c->set('k', 'auth:k') && $c->get('k') === 'auth:k', 'set/get with ACL users on the data nodes and the sentinels');
$t = $c->topology();
ok($t['mode'] === 'sentinel' && $t['masters'] === [$ha['master']], 'the master the deployment started with: ' . json_encode($t));

foreach ([
    'a wrong sentinel password' => ['watch', 'nope' . SENT_PW, 'refused AUTH'],
    'no sentinel credentials' => [null, null, 'NOAUTH'],
] as $what => [$u, $p, $said]) {
    $o = $opts;
    if ($u !== null) {
        $o += ['sentinel_username' => $u, 'sentinel_password' => $p];
    }
    try {
        (new WxRedis\Cache($ha['dsn'], $o))->get('k');
        ok(false, "$what: no exception");
    } catch (WxRedis\CacheException $e) {
        $m = $e->getMessage();
        $each = true;
        foreach ($ha['sentinels'] as $s) {
            $each = $each && str_contains($m, "$s: ");
        }
        ok($e->getCode() === WxRedis\Cache::ERROR_CONNECT && $each && str_contains($m, $said),
           "$what: ERROR_CONNECT saying what each sentinel said: $m");
        ok(!str_contains($m, SENT_PW) && !str_contains($m, DATA_PW), "$what: no password in the message");
    }
}

// writes under a SENTINEL FAILOVER, each checked on the server
$old = $ha['master'];
$pid = pcntl_fork();
if ($pid === 0) {
    $ev = wx_ha_sentinel_failover($ha);
    file_put_contents("{$ha['dir']}/auth-event.json", json_encode($ev));
    exit(0);
}
$writes = [];
$wrong = 0;
$errors = 0;
for ($i = 0; ; $i++) {
    try {
        $c->set("k$i", "auth:k$i");
        $port = $c->rawCommand('CONFIG', 'GET', 'port')[1];
        $writes[] = [microtime(true), "127.0.0.1:$port"];
        $v = $c->get("k$i");
        if ($v !== null && $v !== "auth:k$i") $wrong++;
    } catch (WxRedis\CacheException $e) {
        $errors++;
    }
    if (pcntl_waitpid($pid, $status, WNOHANG) === $pid) break;
    usleep(2000);
}
$tEnd = microtime(true);
$ev = json_decode((string) @file_get_contents("{$ha['dir']}/auth-event.json"), true);
ok(is_array($ev) && $ev['new'] !== $old, 'the failover ran: ' . json_encode($ev));
ok($wrong === 0, count($writes) . " writes, $errors failed cleanly, no value of another key");
// the event returns once every sentinel agrees: by then we must be there
$last = end($writes);
ok($last && $last[1] === ($ev['new'] ?? ''), 'the last write before the sentinels all agreed went to the new master ' . ($last[1] ?? '-'));
$c->set('after', 'auth:after');
ok($c->rawCommand('CONFIG', 'GET', 'port')[1] === explode(':', $ev['new'] ?? ':')[1] && $c->topology()['failovers'] >= 1,
   'and so do the writes after it; topology() counts the failover: ' . json_encode($c->topology()));
echo "1..$n\n";
exit($failed ? 1 : 0);
