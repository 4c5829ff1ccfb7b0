<?php
/*
 * WxRedis\Cache and WxRedis\OpenPlatform on real Sentinel and Cluster
 * deployments, through the events that break clients: SENTINEL FAILOVER,
 * the master killed with -9, CLUSTER FAILOVER, a cluster master killed with
 * -9, a live slot migration (ASK during it, MOVED after). TAP output
 * ("ok N - ...", "# timing ..." with what each event cost the callers).
 *
 *   php -d extension=wxredis.so tests/ha/failover.php [sentinel|cluster ...]
 *
 * Each scenario runs a load process (pcntl_fork) doing set/get/getMultiple
 * of values that name their own key, logging every call, while the parent
 * triggers the event. A call must succeed or throw CacheException; a value
 * under another key's name or a foreign exception is a failure, always.
 * Deployments are private (wx_ha_start), so nothing else sees the events.
 */
declare(strict_types=1);
require __DIR__ . '/../support/ha.inc';
require __DIR__ . '/../support/platform.inc';
require __DIR__ . '/../support/doctor.inc';
require __DIR__ . '/tap.inc';

const HA_PREFIX = 'ha:';
const HA_KEYS = 40;

function ha_cache(array $ha, array $opts = []): WxRedis\Cache
{
    return new WxRedis\Cache($ha['dsn'], $opts + ['prefix' => HA_PREFIX, 'persistent' => false,
        'connect_timeout' => 0.3, 'read_timeout' => 0.5] + ha_auth_opts($ha));
}
function ha_auth_opts(array $ha): array
{
    return [];
}

/**
 * The load: until $stop exists, set/get (and every 8th round getMultiple)
 * of keys k0..k39 (or the given ones) with values "KEY=SEQ". Each call is a
 * line "t op result master" in $log; result is ok, miss, err:CODE or
 * WRONG:details. Returns the child's pid.
 */
function load_start(array $ha, string $log, string $stop, ?array $keys = null): int
{
    $pid = pcntl_fork();
    if ($pid !== 0) return $pid;
    $keys ??= array_map(fn ($i) => "k$i", range(0, HA_KEYS - 1));
    $out = fopen($log, 'w');
    $c = ha_cache($ha);
    $sentinel = $ha['kind'] === 'sentinel';
    $line = function (string $op, string $res, string $where = '-') use ($out) {
        fwrite($out, sprintf("%.4f %s %s %s\n", microtime(true), $op, $res, $where));
    };
    $check = function (string $key, mixed $v): string {
        if ($v === null) return 'miss';
        return is_string($v) && str_starts_with($v, "$key=") ? 'ok' : 'WRONG:' . json_encode([$key, $v]);
    };
    for ($i = 0; !file_exists($stop); $i++) {
        $key = $keys[$i % count($keys)];
        try {
            $c->set($key, "$key=$i");
            // which master took it (sentinel: the one the client follows)
            $line('set', 'ok', $sentinel ? $c->topology()['masters'][0] : '-');
        } catch (WxRedis\CacheException $e) {
            $line('set', 'err:' . $e->getCode());
        } catch (Throwable $e) {
            $line('set', 'WRONG:' . get_class($e) . ':' . str_replace(' ', '_', $e->getMessage()));
        }
        try {
            $line('get', $check($key, $c->get($key)));
        } catch (WxRedis\CacheException $e) {
            $line('get', 'err:' . $e->getCode());
        } catch (Throwable $e) {
            $line('get', 'WRONG:' . get_class($e) . ':' . str_replace(' ', '_', $e->getMessage()));
        }
        if ($i % 8 === 0) {
            $some = array_slice($keys, $i % count($keys), 10) ?: $keys;
            try {
                $res = 'ok';
                $got = $c->getMultiple($some);
                if (array_keys(is_array($got) ? $got : iterator_to_array($got)) !== array_values($some)) $res = 'WRONG:order';
                foreach ($got as $k => $v) {
                    $r = $check((string) $k, $v);
                    if (str_starts_with($r, 'WRONG')) $res = $r;
                }
                $line('mget', $res);
            } catch (WxRedis\CacheException $e) {
                $line('mget', 'err:' . $e->getCode());
            } catch (Throwable $e) {
                $line('mget', 'WRONG:' . get_class($e) . ':' . str_replace(' ', '_', $e->getMessage()));
            }
        }
        if ($i % 64 === 0) fflush($out);
        usleep(2000);
    }
    try {
        $t = $c->topology();
        $line('stats', 'redirects=' . $t['redirects'] . ',failovers=' . $t['failovers'] . ',retries=' . $t['retries']);
    } catch (Throwable) {
    }
    fclose($out);
    exit(0);
}

function load_stop(int $pid, string $stop): void
{
    touch($stop);
    pcntl_waitpid($pid, $status);
}

/** What the log says: counts, wrong lines, the error window and recovery after $t0. */
function load_read(string $log, float $t0): array
{
    $r = ['client' => [], 'calls' => 0, 'errors' => 0, 'wrong' => [], 'codes' => [], 'first_error' => null, 'last_error' => null,
          'sets' => []];
    foreach (file($log, FILE_IGNORE_NEW_LINES) as $l) {
        [$t, $op, $res, $where] = explode(' ', $l) + [3 => '-'];
        $t = (float) $t;
        if ($op === 'stats') {
            parse_str(str_replace(',', '&', $res), $r['client']);
            continue;
        }
        $r['calls']++;
        if (str_starts_with($res, 'WRONG')) $r['wrong'][] = $l;
        if (str_starts_with($res, 'err:')) {
            $r['errors']++;
            $r['codes'][$res] = ($r['codes'][$res] ?? 0) + 1;
            $r['first_error'] ??= $t - $t0;
            $r['last_error'] = $t - $t0;
        }
        if ($op === 'set' && $res === 'ok') $r['sets'][] = [$t - $t0, $where];
    }
    $r['error_window'] = $r['first_error'] === null ? 0.0 : round($r['last_error'] - $r['first_error'], 3);
    return $r;
}

/** Runs $event under the load; returns [event result, load summary]. */
function under_load(array $ha, string $name, callable $event, float $settle = 1.5, ?array $keys = null): array
{
    $dir = $ha['dir'];
    $log = "$dir/load-$name.log";
    $stop = "$dir/load-$name.stop";
    @unlink($stop);
    $pid = load_start($ha, $log, $stop, $keys);
    usleep(400000);                      // calls flowing before the event
    $t0 = microtime(true);
    try {
        $ev = $event();
    } catch (Throwable $e) {
        $ev = ['error' => $e->getMessage()];
    }
    usleep((int) ($settle * 1e6));       // and going on after it
    load_stop($pid, $stop);
    $sum = $GLOBALS['last_load'] = load_read($log, $t0);
    $recovered = null;
    if ($sum['last_error'] !== null) {
        $recovered = round($sum['last_error'], 3);
    }
    ok(!isset($ev['error']), "$name: the event ran" . (isset($ev['error']) ? ": {$ev['error']}" : ''));
    ok($sum['wrong'] === [], "$name: no wrong value and no foreign exception in {$sum['calls']} calls"
        . ($sum['wrong'] ? ': ' . implode(' | ', array_slice($sum['wrong'], 0, 3)) : ''));
    $after = array_filter(file($log, FILE_IGNORE_NEW_LINES),
        fn ($l) => (float) $l - $t0 > ($sum['last_error'] ?? 0) && !str_contains($l, ' stats '));
    ok(count($after) > 20 && !array_filter($after, fn ($l) => !str_contains($l, ' ok') && !str_contains($l, ' miss')),
        "$name: calls succeed again after the last error (" . count($after) . ' calls after it)');
    timing($name, ['event' => array_diff_key($ev, ['map' => 1]), 'calls' => $sum['calls'], 'errors' => $sum['errors'],
        'codes' => $sum['codes'], 'errors_from_s' => $sum['first_error'] === null ? null : round($sum['first_error'], 3),
        'succeed_again_after_s' => $recovered, 'error_window_s' => $sum['error_window'], 'client' => $sum['client']]);
    return [$ev, $sum];
}

/** After pcntl_fork() each child gets sockets of its own on every node: no
 * reply of another process's command ever comes back. */
function fork_check(array $ha, string $label): void
{
    $c = ha_cache($ha, ['persistent' => true]);
    $keys = array_map(fn ($i) => "f$i", range(0, 11));
    $c->setMultiple(array_combine($keys, $keys));
    $pids = [];
    for ($i = 0; $i < 3; $i++) {
        if (($pid = pcntl_fork()) === 0) {
            $good = true;
            for ($j = 0; $j < 150; $j++) {
                $c->set("child$i", "$i-$j");
                $good = $good && $c->get("child$i") === "$i-$j"
                    && $c->getMultiple($keys)->toArray() === array_combine($keys, $keys);
            }
            exit($good ? 0 : 1);
        }
        $pids[] = $pid;
    }
    $good = true;
    for ($j = 0; $j < 150; $j++) {
        $good = $good && $c->getMultiple($keys)->toArray() === array_combine($keys, $keys);
    }
    $codes = [];
    foreach ($pids as $pid) {
        pcntl_waitpid($pid, $st);
        $codes[] = pcntl_wexitstatus($st);
    }
    ok($good && $codes === [0, 0, 0], "$label: after pcntl_fork() parent and children each read their own replies ("
        . json_encode($codes) . ')');
}

/* ------------------------------------------------------------- sentinel */

function sentinel_suite(): void
{
    $ha = wx_ha_start('sentinel');
    echo "# sentinel: {$ha['dsn']}\n";
    $c = ha_cache($ha);
    attempt('sentinel: discovery', function () use ($ha, $c) {
        ok($c->set('hello', 'world') && $c->get('hello') === 'world', 'sentinel: set/get through the sentinels');
        $t = $c->topology();
        ok($t['mode'] === 'sentinel' && $t['masters'] === [wx_ha_sentinel_master($ha)] && $t['service'] === 'mymaster',
            'sentinel: topology() names the master the sentinels name: ' . json_encode($t));
        $raw = new WxResp($t['masters'][0]);
        ok($raw->get(HA_PREFIX . 'hello') === serialize('world') || $raw->get(HA_PREFIX . 'hello') !== null,
            'sentinel: the value is on that master, in the wire format');
    });
    attempt('sentinel: unknown name', function () use ($ha) {
        $dsn = str_replace('redis_sentinel=mymaster', 'redis_sentinel=nosuchmaster', $ha['dsn']);
        try {
            (new WxRedis\Cache($dsn, ['persistent' => false, 'connect_timeout' => 0.3]))->get('x');
            ok(false, 'sentinel: an unknown service name throws');
        } catch (WxRedis\CacheException $e) {
            ok(str_contains($e->getMessage(), 'nosuchmaster') && $e->getCode() === WxRedis\Cache::ERROR_CONNECT,
                'sentinel: an unknown service name is CacheException ERROR_CONNECT naming it: ' . $e->getMessage());
        }
    });
    attempt('sentinel: a sentinel down', function () use ($ha) {
        $first = $ha['sentinels'][0];
        wx_ha_kill($ha, $first, 9);
        $t = microtime(true);
        $c = ha_cache($ha);
        ok($c->get('hello') === 'world', "sentinel: a dead sentinel ($first) is skipped");
        timing('sentinel dead first sentinel, first call', round(microtime(true) - $t, 3));
        wx_ha_revive($ha, $first);
    });
    attempt('sentinel: none answering', function () use ($ha) {
        $dsn = 'redis:?host[127.0.0.1:1]&host[127.0.0.1:2]&redis_sentinel=mymaster';
        try {
            (new WxRedis\Cache($dsn, ['persistent' => false, 'connect_timeout' => 0.3]))->get('x');
            ok(false, 'sentinel: no sentinel answering throws');
        } catch (WxRedis\CacheException $e) {
            ok(str_contains($e->getMessage(), '127.0.0.1:1') && str_contains($e->getMessage(), '127.0.0.1:2'),
                'sentinel: no sentinel answering is CacheException saying what each said: ' . $e->getMessage());
        }
    });

    attempt('sentinel: fork', fn () => fork_check($ha, 'sentinel'));
    attempt('sentinel: doctor', function () use ($ha) {
        $j = wx_doctor_json([$ha['dsn'], '--prefix', HA_PREFIX]);
        $codes = array_column($j['warnings'], 'code');
        ok($j['server']['topology'] === 'sentinel' && in_array('no_min_replicas', $codes, true) && isset($j['by_key'][HA_PREFIX . 'hello']),
            'sentinel: the doctor reads the master and warns of min-replicas-to-write 0: ' . json_encode($codes));
    });

    // SENTINEL FAILOVER: the old master stays writable for seconds; writes
    // must move to the new one about a second after the sentinels switch
    [$ev, $sum] = under_load($ha, 'sentinel SENTINEL FAILOVER', fn () => wx_ha_sentinel_failover($ha), 2.0);
    if (isset($ev['old'], $ev['switched'])) {
        $late = array_filter($sum['sets'], fn ($s) => $s[1] === $ev['old'] && $s[0] > $ev['switched']);
        $lastOld = $late ? max(array_column($late, 0)) - $ev['switched'] : 0.0;
        ok($lastOld <= 1.5, sprintf('sentinel: no write went to the old master more than 1.5 s after the switch '
            . '(last one %.3f s after it, %d after it in all)', $lastOld, count($late)));
        timing('sentinel writes on the old master after the switch', ['count' => count($late), 'last_s' => round($lastOld, 3)]);
        $onNew = array_filter($sum['sets'], fn ($s) => $s[1] === $ev['new']);
        ok(count($onNew) > 0, 'sentinel: writes after the switch land on the new master ' . $ev['new']);
        // the new master holds what the load wrote last
        $raw = new WxResp($ev['new']);
        $c2 = ha_cache($ha);
        $c2->set('after-failover', 'here');
        ok($raw->get(HA_PREFIX . 'after-failover') !== null, 'sentinel: a write after the failover is on the new master');
    }
    wx_ha_sentinel_wait_settled($ha, 30.0, true);

    [$ev] = under_load($ha, 'sentinel master kill -9', fn () => wx_ha_sentinel_kill_master($ha), 2.0);
    ok(isset($ev['new']), 'sentinel: a new master after kill -9');

    // min_replicas: a refresh token written with min_replicas 1 survives kill -9 of the master
    attempt('sentinel: min_replicas', function () use ($ha) {
        wx_ha_sentinel_wait_settled($ha, 30.0, true);
        foreach ($ha['nodes'] as $a) if (!wx_ha_alive($ha, $a)) wx_ha_revive($ha, $a);
        wx_ha_sentinel_wait_settled($ha, 30.0, true);
        $emu = wx_emu_start();
        $cache = ha_cache($ha);
        $p = new WxRedis\OpenPlatform(wx_platform_config($emu, ['min_replicas' => 1, 'min_replicas_timeout' => 0.8]), $cache);
        $p->setAuthorizerRefreshToken('wxdurable', 'refreshtoken@@@durable');
        $ev = wx_ha_sentinel_kill_master($ha);
        $p2 = new WxRedis\OpenPlatform(wx_platform_config($emu), ha_cache($ha));
        $got = null;
        for ($i = 0; $i < 50 && $got === null; $i++) {
            try { $got = $p2->getAuthorizerRefreshToken('wxdurable'); } catch (WxRedis\CacheException) { usleep(100000); }
        }
        ok($got === 'refreshtoken@@@durable', "sentinel: a refresh token written with min_replicas 1 survives kill -9 of the master ({$ev['old']} -> {$ev['new']})");
        // every replica stopped: the write throws within min_replicas_timeout
        wx_ha_sentinel_wait_settled($ha, 30.0);
        $master = wx_ha_sentinel_master($ha);
        $replicas = array_values(array_filter($ha['nodes'], fn ($a) => $a !== $master && wx_ha_alive($ha, $a)));
        foreach ($replicas as $a) wx_ha_pause($ha, $a);
        $t = microtime(true);
        try {
            (new WxRedis\OpenPlatform(wx_platform_config($emu, ['min_replicas' => 1, 'min_replicas_timeout' => 0.8]), ha_cache($ha)))
                ->setAuthorizerRefreshToken('wxdurable2', 'refreshtoken@@@two');
            ok(false, 'sentinel: with every replica stopped the refresh-token write throws');
        } catch (WxRedis\CacheException $e) {
            $dt = microtime(true) - $t;
            ok($e->getCode() === WxRedis\Cache::ERROR_REPLICAS && $dt < 0.8 + 1.0,
                sprintf('sentinel: with every replica stopped the write throws ERROR_REPLICAS in %.2f s (min_replicas_timeout 0.8)', $dt));
        } finally {
            foreach ($replicas as $a) wx_ha_resume($ha, $a);
        }
        wx_emu_stop($emu);
    });
    wx_ha_stop($ha);
}

/* -------------------------------------------------------------- cluster */

function cluster_suite(): void
{
    $ha = wx_ha_start('cluster');
    echo "# cluster: {$ha['dsn']}\n";
    $c = ha_cache($ha);
    attempt('cluster: routing', function () use ($ha, $c) {
        $keys = array_map(fn ($i) => "route$i", range(0, 29));
        $vals = array_combine($keys, array_map(fn ($k) => "$k=v", $keys));
        ok($c->setMultiple($vals), 'cluster: setMultiple of 30 keys over 3 masters');
        $shuffled = $keys;
        shuffle($shuffled);
        $got = $c->getMultiple($shuffled);
        ok(array_keys($got->toArray()) === $shuffled && array_values($got->toArray()) === array_map(fn ($k) => "$k=v", $shuffled),
            "cluster: getMultiple of 30 keys in the caller's order");
        $owners = [];
        $right = 0;
        foreach ($keys as $k) {
            $owner = wx_ha_slot_owner($ha, wx_ha_keyslot(HA_PREFIX . $k));
            $owners[$owner] = true;
            if ((new WxResp($owner))->get(HA_PREFIX . $k) !== null) $right++;
        }
        ok($right === 30 && count($owners) === 3, "cluster: every key is on its slot's master ($right of 30, over " . count($owners) . ' masters)');
        $t = $c->topology();
        sort($t['masters']);
        $m = wx_ha_cluster_masters($ha);
        sort($m);
        ok($t['mode'] === 'cluster' && $t['masters'] === $m, 'cluster: topology() lists the three masters');
        ok($c->rawCommand('GET', HA_PREFIX . 'route7') === serialize('route7=v') || $c->rawCommand('GET', HA_PREFIX . 'route7') !== null,
            'cluster: rawCommand() is routed by its key');
        $sum = 0;
        foreach ($t['masters'] as $node) $sum += $c->rawCommandAt($node, 'DBSIZE');
        ok($sum >= 30, "cluster: rawCommandAt() runs on each master (DBSIZE sum $sum)");
        ok($c->deleteMultiple(array_slice($keys, 0, 10)) && $c->getMultiple(array_slice($keys, 0, 10), 'gone')->toArray() === array_fill_keys(array_slice($keys, 0, 10), 'gone'),
            'cluster: deleteMultiple across slots');
        ok($c->clear(), 'cluster: clear()');
        $left = 0;
        foreach ($t['masters'] as $node) $left += count((new WxResp($node))->cmd('SCAN', '0', 'MATCH', HA_PREFIX . '*', 'COUNT', '10000')[1]);
        ok($left === 0, "cluster: clear() ran on every master ($left keys left)");
    });

    attempt('cluster: fork', fn () => fork_check($ha, 'cluster'));
    attempt('cluster: doctor', function () use ($ha) {
        $c = ha_cache($ha);
        $names = array_map(fn ($i) => "doc$i", range(0, 29));
        $c->setMultiple(array_combine($names, $names));
        $j = wx_doctor_json([$ha['dsn'], '--prefix', HA_PREFIX . 'doc']);
        ok($j['server']['topology'] === 'cluster' && count($j['server']['masters']) === 3 && $j['summary']['keys'] === 30,
            "cluster: the doctor SCANs every master ({$j['summary']['keys']} of 30 keys, " . count($j['server']['masters']) . ' masters)');
        ok(!in_array('master_without_replica', array_column($j['warnings'], 'code'), true), 'cluster: no master_without_replica warning while each has one');
        $m = wx_ha_cluster_masters($ha)[0];
        $r = wx_ha_cluster_replica_of($ha, $m);
        wx_ha_kill($ha, $r, 9);
        $seen = false;
        for ($i = 0; $i < 40 && !$seen; $i++) {      // until the cluster marks it failed
            usleep(250000);
            $j = wx_doctor_json([$ha['dsn'], '--prefix', HA_PREFIX . 'doc']);
            $seen = in_array('master_without_replica', array_column($j['warnings'], 'code'), true);
        }
        ok($seen, "cluster: the doctor warns master_without_replica once the replica of $m is gone");
        wx_ha_revive($ha, $r);
        wx_ha_cluster_wait_settled($ha, 30.0, false);
        $c->deleteMultiple($names);
    });

    [$ev] = under_load($ha, 'cluster CLUSTER FAILOVER', fn () => wx_ha_cluster_failover($ha), 2.0);
    wx_ha_cluster_wait_settled($ha, 20.0, false);
    [$ev] = under_load($ha, 'cluster master kill -9', fn () => wx_ha_cluster_kill_master($ha), 3.0);
    wx_ha_cluster_wait_settled($ha, 30.0, false);

    // a live slot migration: keys of one slot, moved while the load runs
    // (cache keys cannot carry a {hash tag}: PSR-16 reserves the braces, so
    // the keys of one slot are found by trying names)
    $slot = wx_ha_keyslot(HA_PREFIX . 'm0');
    $migKeys = ['m0'];
    for ($i = 1; count($migKeys) < 6; $i++) {
        if (wx_ha_keyslot(HA_PREFIX . "m$i") === $slot) $migKeys[] = "m$i";
    }
    $c0 = ha_cache($ha);
    foreach ($migKeys as $k) $c0->set($k, "$k=seed");
    $slot = wx_ha_keyslot(HA_PREFIX . $migKeys[0]);
    $stats0 = $c0->topology();
    [$ev] = under_load($ha, 'cluster live slot migration', function () use ($ha, $slot) {
        $m = wx_ha_migration_begin($ha, $slot);
        $moved = 0;
        while (wx_ha_migration_left($m)) {          // ASK while keys are on both sides
            $moved += wx_ha_migration_move($m, 2);
            usleep(150000);
        }
        return ['moved' => $moved] + wx_ha_migration_finish($m);
    }, 1.5, array_merge($migKeys, array_map(fn ($i) => "k$i", range(0, 9))));
    [, $sumMig] = [$ev, $GLOBALS['last_load']];
    ok((int) ($sumMig['client']['redirects'] ?? 0) > 0, 'cluster: the load followed ASK/MOVED during the migration (redirects '
        . ($sumMig['client']['redirects'] ?? '?') . ')');
    $t = $c0->topology();
    foreach ($migKeys as $k) $c0->get($k);
    $t2 = $c0->topology();
    ok($t2['redirects'] > $stats0['redirects'], "cluster: MOVED followed after the migration (redirects {$stats0['redirects']} -> {$t2['redirects']})");

    // OpenPlatform's single flight holds across nodes: a component token from the cluster
    attempt('cluster: platform', function () use ($ha) {
        $emu = wx_emu_start();
        $p = new WxRedis\OpenPlatform(wx_platform_config($emu), ha_cache($ha));
        wx_platform_push_ticket($emu, $p);
        $tok = $p->getComponentAccessToken();
        ok($tok !== '' && $p->getComponentAccessToken() === $tok && wx_emu_calls($emu, '/cgi-bin/component/api_component_token') === 1,
            'cluster: an OpenPlatform push and a component token (one WeChat call)');
        wx_emu_stop($emu);
    });
    wx_ha_stop($ha);
}

if (!extension_loaded('wxredis')) {
    echo "1..0 # SKIP wxredis not loaded\n";
    exit(1);
}
$kinds = array_slice($argv, 1) ?: ['sentinel', 'cluster'];
foreach ($kinds as $k) {
    $k === 'sentinel' ? sentinel_suite() : cluster_suite();
}
echo "1..$n\n";
exit($failed ? 1 : 0);
