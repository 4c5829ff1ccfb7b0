<?php
/*
 * TAP self-test of tests/support/ha.inc and scripts/ha against real
 * deployments: start, every event helper, settle, auth variants, stop with no
 * leftovers. Prints "ok N - ..." lines, "# timing ..." lines with what the
 * events took (what later tests' timeouts are based on), and exits non-zero
 * when anything failed.
 *
 *   php tests/support/ha_selftest.php [sentinel|cluster ...]   (both by default)
 *
 * Takes about 30 s (the manual Sentinel failover alone waits some 11 s for
 * the sentinels to demote the old master). Needs only redis-server/redis-cli.
 */
declare(strict_types=1);
require __DIR__ . '/ha.inc';

$n = 0;
$failed = 0;
$timings = [];
function ok(bool $cond, string $what): bool
{
    global $n, $failed;
    $n++;
    if (!$cond) {
        $failed++;
    }
    echo ($cond ? '' : 'not '), "ok $n - $what\n";
    return $cond;
}
function timing(string $what, array|float $v): void
{
    global $timings;
    $timings[$what] = $v;
    echo "# timing $what: ", json_encode($v, JSON_UNESCAPED_SLASHES), "\n";
}
function attempt(callable $f, string $what): mixed
{
    try {
        return $f();
    } catch (Throwable $e) {
        ok(false, "$what: " . get_class($e) . ': ' . $e->getMessage());
        return null;
    }
}
/** Ports still accepting connections. */
function open_ports(array $addrs): array
{
    return array_values(array_filter($addrs, function ($a) {
        $s = @stream_socket_client("tcp://$a", $e, $m, 0.2);
        if ($s) {
            fclose($s);
        }
        return (bool) $s;
    }));
}
function stop_and_check(array $ha, string $label): void
{
    $t = wx_ha_now();
    $pids = array_filter(array_map(fn ($a) => wx_ha_pid($ha, $a), array_merge($ha['nodes'], $ha['sentinels'])));
    wx_ha_stop($ha);
    $took = wx_ha_now() - $t;
    $alive = array_filter($pids, fn ($p) => is_dir("/proc/$p") && !str_contains((string) @file_get_contents("/proc/$p/stat"), ') Z'));
    $open = open_ports(array_merge($ha['nodes'], $ha['sentinels']));
    if (!ok(!$alive && !is_dir($ha['dir']) && !$open,
        sprintf('%s: stopped in %.2f s, no process, port or directory left', $label, $took))) {
        // a port taken again at once by another program on the machine is not ours
        printf("# alive pids: %s; dir left: %s; open ports: %s\n", implode(',', $alive) ?: '-',
            is_dir($ha['dir']) ? 'yes' : 'no', implode(',', $open) ?: '-');
    }
    timing("$label stop", round($took, 3));
}

$kinds = array_slice($argv, 1) ?: ['sentinel', 'cluster'];

// ------------------------------------------------------------------ Sentinel
if (in_array('sentinel', $kinds, true)) {
    $t = wx_ha_now();
    $ha = attempt(fn () => wx_ha_start('sentinel'), 'sentinel: start');
    if ($ha) {
        $took = wx_ha_now() - $t;
        timing('sentinel start', round($took, 3));
        ok($took < 15, sprintf('sentinel: master, 2 replicas, 3 sentinels up in %.2f s', $took));
        ok(preg_match('/^redis:\?host\[127\.0\.0\.1:\d+\]&host\[127\.0\.0\.1:\d+\]&host\[127\.0\.0\.1:\d+\]&redis_sentinel=mymaster$/',
            $ha['env']['WXREDIS_TEST_SENTINEL_DSN']) === 1, 'sentinel: DSN in the Symfony form: ' . $ha['env']['WXREDIS_TEST_SENTINEL_DSN']);
        $again = wx_ha_start('sentinel', ['dir' => $ha['dir']]);
        ok($again['nodes'] === $ha['nodes'] && $again['sentinels'] === $ha['sentinels'], 'sentinel: start again on the same dir reuses the running group');
        ok(wx_ha_sentinel_master($ha) === $ha['master'], 'sentinel: every sentinel names the master');

        $m = $ha['master'];
        $acked = wx_ha_set_wait($ha, $m, 'selftest:k', 'v1', 2);
        $got = wx_ha_cmd($ha, $ha['replicas'][0], 'GET', 'selftest:k');
        if (!ok($acked === 2 && $got === 'v1', 'sentinel: a write reaches both replicas (WAIT 2)')) {
            echo '# acked ', json_encode($acked), ', the replica has ', json_encode($got), "
";
        }

        $ev = attempt(fn () => wx_ha_sentinel_failover($ha), 'sentinel: SENTINEL FAILOVER');
        if ($ev) {
            timing('sentinel SENTINEL FAILOVER', $ev);
            ok($ev['old'] === $m && in_array($ev['new'], $ha['replicas'], true) && wx_ha_role($ha, $ev['new'])['role'] === 'master',
                "sentinel: SENTINEL FAILOVER promoted {$ev['new']}, sentinels agree after {$ev['switched']} s");
            // the window redis-ha.md describes: the old master still takes writes
            $old = wx_ha_role($ha, $m);
            echo '# old master right after the switch: ', json_encode($old), "\n";
            $s = attempt(fn () => wx_ha_sentinel_wait_settled($ha), 'sentinel: settle after failover');
            if ($s) {
                timing('sentinel failover -> old master demoted', $s['after'] + $ev['switched']);
                $r = wx_ha_role($ha, $m);
                ok($s['master'] === $ev['new'] && $r['role'] === 'slave' && $r['master'] === $ev['new'],
                    'sentinel: settled: the old master is a replica of the new one');
                wx_ha_set_wait($ha, $ev['new'], 'selftest:k', 'v2', 2);
                // a just-demoted replica may still be in its first sync: poll
                for ($t = 0, $got = null; $t < 50 && ($got = wx_ha_cmd($ha, $m, 'GET', 'selftest:k')) !== 'v2'; $t++) {
                    usleep(100000);
                }
                ok($got === 'v2', 'sentinel: writes on the new master reach the old one');
            }
        }

        $ev = attempt(fn () => wx_ha_sentinel_kill_master($ha), 'sentinel: kill -9 master');
        if ($ev) {
            timing('sentinel kill -9 master', $ev);
            ok(!wx_ha_alive($ha, $ev['old']) && wx_ha_role($ha, $ev['new'])['role'] === 'master',
                "sentinel: kill -9 of {$ev['old']}: {$ev['new']} promoted after {$ev['promoted']} s, sentinels agree after {$ev['switched']} s");
            $t = wx_ha_now();
            wx_ha_revive($ha, $ev['old']);
            $s = attempt(fn () => wx_ha_sentinel_wait_settled($ha), 'sentinel: settle after revive');
            if ($s) {
                timing('sentinel revive killed master as replica -> settled', round(wx_ha_now() - $t, 3));
                $r = wx_ha_role($ha, $ev['old']);
                ok($r['role'] === 'slave' && $r['master'] === $ev['new'] && $r['state'] === 'connected',
                    'sentinel: the killed master came back as a synced replica');
            }
        }

        // SIGSTOP: a hung replica, then resumed
        $rep = wx_ha_sentinel_unsettled($ha)[0] !== null ? array_values(array_diff($ha['nodes'], [wx_ha_sentinel_master($ha)]))[0] : null;
        if ($rep) {
            wx_ha_pause($ha, $rep);
            $hung = false;
            try {
                (new WxHaClient($rep, null, 0.3))->cmd('PING');
            } catch (WxHaConnError) {
                $hung = true;
            }
            wx_ha_resume($ha, $rep);
            ok($hung && wx_ha_alive($ha, $rep) && wx_ha_cmd($ha, $rep, 'PING') === 'PONG',
                'sentinel: a paused (SIGSTOP) replica answers nothing, and again after resume');
        }
        stop_and_check($ha, 'sentinel');
    }

    // auth: ACL users on the sentinels and on the data nodes, default users off
    $ha = attempt(fn () => wx_ha_start('sentinel', ['sentinel_user' => 'sent:sp w', 'acl_user' => 'app:ap@w']), 'sentinel with ACL users: start');
    if ($ha) {
        $s = $ha['sentinels'][0];
        $noauth = (new WxHaClient($s))->cmdOrError('SENTINEL', 'GET-MASTER-ADDR-BY-NAME', 'mymaster');
        ok($noauth instanceof WxHaError && str_starts_with($noauth->reply, 'NOAUTH'), 'sentinel ACL: a sentinel refuses a client without AUTH');
        $ok = (new WxHaClient($s, ['sent', 'sp w']))->cmd('SENTINEL', 'GET-MASTER-ADDR-BY-NAME', 'mymaster');
        ok($ok === ['127.0.0.1', (string) wx_ha_port($ha['master'])], 'sentinel ACL: with sentinel_username/sentinel_password it answers');
        try {
            new WxHaClient($ha['master'], ['app', 'wrong']);
            $w = 'accepted';
        } catch (WxHaError $e) {
            $w = $e->reply;
        }
        ok(str_starts_with($w, 'WRONGPASS'), "sentinel ACL: a wrong data password is refused ($w)");
        ok(str_starts_with($ha['env']['WXREDIS_TEST_SENTINEL_DSN'], 'redis:app:ap%40w@?host['), 'sentinel ACL: data credentials in the DSN userinfo, %-encoded');
        $ev = attempt(fn () => wx_ha_sentinel_failover($ha), 'sentinel ACL: failover');
        ok($ev !== null, 'sentinel ACL: SENTINEL FAILOVER works with AUTH everywhere');
        stop_and_check($ha, 'sentinel ACL');
    }
}

// ------------------------------------------------------------------- Cluster
if (in_array('cluster', $kinds, true)) {
    $t = wx_ha_now();
    $ha = attempt(fn () => wx_ha_start('cluster'), 'cluster: start');
    if ($ha) {
        $took = wx_ha_now() - $t;
        timing('cluster start', round($took, 3));
        ok($took < 15, sprintf('cluster: 3 masters with a replica each up in %.2f s', $took));
        $map = wx_ha_cluster_view($ha)['map'];
        $masters = array_values(array_unique(array_column($map, 'master')));
        ok(count($masters) === 3 && count($ha['replicas']) === 3 && !array_filter($map, fn ($r) => count($r['replicas']) !== 1),
            'cluster: 3 masters, every range with one replica');
        ok(str_ends_with($ha['env']['WXREDIS_TEST_CLUSTER_DSN'], '&redis_cluster=1') && substr_count($ha['env']['WXREDIS_TEST_CLUSTER_DSN'], 'host[') === 6,
            'cluster: DSN lists the 6 nodes as seeds');
        $bad = 0;
        foreach (['a', 'foo', '{user1000}.following', '', "\0\xff{x}"] as $k) {
            $bad += wx_ha_keyslot($k) !== wx_ha_cmd($ha, $masters[0], 'CLUSTER', 'KEYSLOT', $k) ? 1 : 0;
        }
        ok($bad === 0, "cluster: wx_ha_keyslot agrees with CLUSTER KEYSLOT");

        $ev = attempt(fn () => wx_ha_cluster_failover($ha), 'cluster: CLUSTER FAILOVER');
        if ($ev) {
            timing('cluster CLUSTER FAILOVER', $ev);
            $s = wx_ha_cluster_wait_settled($ha);
            $r = wx_ha_role($ha, $ev['old']);
            ok($r['role'] === 'slave' && $r['master'] === $ev['new'], "cluster: CLUSTER FAILOVER swapped {$ev['old']} and {$ev['new']} in {$ev['switched']} s");
        }

        $victim = wx_ha_cluster_masters($ha)[1];
        $slot = null;
        foreach (wx_ha_cluster_view($ha)['map'] as $r) {
            if ($r['master'] === $victim) {
                $slot = $r['from'];
                break;
            }
        }
        $key = '{' . wx_ha_tag_for_slot($slot) . '}k';
        wx_ha_set_wait($ha, $victim, $key, 'before-kill', 1);
        $ev = attempt(fn () => wx_ha_cluster_kill_master($ha, $victim), 'cluster: kill -9 master');
        if ($ev) {
            timing('cluster kill -9 master', $ev);
            ok(wx_ha_slot_owner($ha, $slot) === $ev['new'] && wx_ha_cmd($ha, $ev['new'], 'GET', $key) === 'before-kill',
                "cluster: kill -9 of {$ev['old']}: {$ev['new']} serves its slots after {$ev['switched']} s, with the acknowledged write");
            $t = wx_ha_now();
            wx_ha_revive($ha, $ev['old']);
            $s = attempt(fn () => wx_ha_cluster_wait_settled($ha), 'cluster: settle after revive');
            if ($s) {
                timing('cluster revive killed master -> settled', round(wx_ha_now() - $t, 3));
                $r = wx_ha_role($ha, $ev['old']);
                ok($r['role'] === 'slave' && $r['master'] === $ev['new'] && $r['state'] === 'connected',
                    'cluster: the killed master rejoined as a synced replica');
            }
        }

        // live slot migration, step by step: ASK while it runs, MOVED after
        $slot = 4242;
        $tag = wx_ha_tag_for_slot($slot);
        $keys = array_map(fn ($i) => "{{$tag}}m$i", range(0, 19));
        $src = wx_ha_slot_owner($ha, $slot);
        (new WxHaClient($src))->pipeline(array_map(fn ($k) => ['SET', $k, "val-$k"], $keys));
        $mig = wx_ha_migration_begin($ha, $slot);
        $moved = wx_ha_migration_move($mig, 5);
        $left = wx_ha_migration_left($mig);
        $gone = array_values(array_diff($keys, $left));
        ok($moved === 5 && count($left) === 15 && count($gone) === 5, 'migration: 5 of 20 keys moved, 15 still on the source');
        $srcC = new WxHaClient($src);
        $dstC = new WxHaClient($mig['to']);
        $ask = $srcC->cmdOrError('GET', $gone[0]);
        ok($ask instanceof WxHaError && $ask->reply === "ASK $slot {$mig['to']}", "migration: a moved key on the source answers ASK $slot {$mig['to']}");
        ok($srcC->cmd('GET', $left[0]) === "val-{$left[0]}", 'migration: a key not yet moved is still served by the source');
        $noAsking = $dstC->cmdOrError('GET', $gone[0]);
        ok($noAsking instanceof WxHaError && $noAsking->reply === "MOVED $slot $src", 'migration: the target without ASKING answers MOVED back to the source');
        [$okAsk, $val] = $dstC->pipeline([['ASKING'], ['GET', $gone[0]]]);
        ok($okAsk === 'OK' && $val === "val-{$gone[0]}", 'migration: ASKING then GET on the target returns the moved value');
        $try = $srcC->cmdOrError('MGET', $gone[0], $left[0]);
        ok($try instanceof WxHaError && str_starts_with($try->reply, 'TRYAGAIN'), 'migration: MGET over moved and unmoved keys answers TRYAGAIN');
        $fin = attempt(fn () => wx_ha_migration_finish($mig), 'migration: finish');
        if ($fin) {
            timing('cluster slot migration finish -> all nodes agree', $fin['after']);
            $mv = (new WxHaClient($src))->cmdOrError('GET', $keys[0]);
            ok($mv instanceof WxHaError && $mv->reply === "MOVED $slot {$mig['to']}", "migration: afterwards the source answers MOVED $slot {$mig['to']}");
            $vals = (new WxHaClient($mig['to']))->cmd('MGET', ...$keys);
            ok($vals === array_map(fn ($k) => "val-$k", $keys), 'migration: all 20 keys with their values on the target');
        }
        $t = wx_ha_now();
        $whole = attempt(fn () => wx_ha_migrate_slot($ha, $slot, $src), 'migration back in one call');
        if ($whole) {
            timing('cluster slot migration (20 keys) in one call', round(wx_ha_now() - $t, 3));
            ok($whole['moved'] === 20 && wx_ha_slot_owner($ha, $slot) === $src, 'migration: wx_ha_migrate_slot moved it back with its 20 keys');
        }
        stop_and_check($ha, 'cluster');
    }

    $ha = attempt(fn () => wx_ha_start('cluster', ['data_pass' => 'c p"w']), 'cluster with requirepass: start');
    if ($ha) {
        $r = (new WxHaClient($ha['nodes'][0]))->cmdOrError('GET', 'x');
        ok($r instanceof WxHaError && str_starts_with($r->reply, 'NOAUTH'), 'cluster requirepass: a client without AUTH is refused');
        $m = attempt(fn () => wx_ha_migrate_slot($ha, 100), 'cluster requirepass: migration');
        ok($m !== null && wx_ha_cluster_wait_settled($ha)['after'] >= 0, 'cluster requirepass: replicas synced and MIGRATE works with AUTH');
        stop_and_check($ha, 'cluster requirepass');
    }
}

echo "1..$n\n";
echo '# timings: ', json_encode($timings, JSON_UNESCAPED_SLASHES), "\n";
exit($failed ? 1 : 0);
