<?php
/*
 * bench/cluster_floor.php: what reading 30 keys spread over the 3 masters of a
 * Redis Cluster costs, from the raw floor up, so that wxredis's cluster
 * getMultiple can be put side by side with it (issue 10: within 1.3x of the
 * floor).
 *
 *   php bench/cluster_floor.php [options]
 *   scripts/ha start cluster /tmp/c && php bench/cluster_floor.php --dir /tmp/c
 *
 * Contenders, each reading the same 30 keys (10 on each master, values of
 * ~230 bytes like an access-token entry):
 *   floor        raw RESP, hand-made: three sockets, one per master; the
 *                10-GET pipeline of every node is written before any reply is
 *                read; exactly the known reply bytes are read back, nothing
 *                parsed. What any client could reach here.
 *   floor-seq    the same pipelines, one node after the other (write, read,
 *                write, read, ...): three round trips.
 *   raw-30-gets  30 single GETs on raw sockets, each to its master.
 *   phpredis-mget    RedisCluster::mget() of the 30 keys (phpredis has no
 *                    cluster pipelines: it goes slot by slot).
 *   phpredis-30-gets 30 RedisCluster::get().
 *   wxredis      WxRedis\Cache::getMultiple() with the cluster DSN (skipped,
 *                saying why, when the loaded wxredis has no cluster support).
 * and, as the unit, one raw single GET ("single GETs" below).
 * phpredis and wxredis unserialize the values (SERIALIZER_PHP / wxredis's own
 * format); the raw contenders do not.
 *
 * Options:
 *   --dir DIR          a cluster started by scripts/ha (default: env
 *                      WXREDIS_TEST_CLUSTER_DIR, else one is started here and
 *                      stopped at the end)
 *   --iterations N     calls per contender per round (default 300)
 *   --rounds N         interleaved rounds; medians are reported (default 7)
 *   --keys N           keys per batch (default 30; spread evenly over the masters)
 *   --no-phpredis      leave phpredis out
 *   --only NAME --calls N   no timing: set up, run contender NAME N times,
 *                      exit (for callgrind; bench/run-cluster subtracts a
 *                      run with --calls 0 to get instructions per call)
 * phpredis is loaded with -d extension=redis (after igbinary, which Debian's
 * build needs) when this PHP has not loaded it.
 *
 * Only prints; exits 0 unless something errors (a wrong value read back, no
 * cluster). Not a test: absolute times on a shared machine are noise, read
 * the ratios (computed per round, so blocks that ran side by side are compared).
 */
declare(strict_types=1);

error_reporting(E_ALL);
set_error_handler(function (int $no, string $msg, string $file, int $line) {
    if (!(error_reporting() & $no)) {
        return false;
    }
    throw new ErrorException($msg, 0, $no, $file, $line);
});

$opt = ['dir' => getenv('WXREDIS_TEST_CLUSTER_DIR') ?: null, 'iterations' => 300, 'rounds' => 7, 'keys' => 30,
    'phpredis' => true, 'only' => null, 'calls' => 0];
$args = array_slice($argv, 1);
while ($args) {
    $a = array_shift($args);
    if (str_starts_with($a, '--') && str_contains($a, '=')) {
        [$a, $v] = explode('=', $a, 2);
        array_unshift($args, $v);
    }
    $need = function () use (&$args, $a): string {
        if (!$args) {
            fwrite(STDERR, "$a needs a value\n");
            exit(2);
        }
        return array_shift($args);
    };
    switch ($a) {
        case '--dir': $opt['dir'] = $need(); break;
        case '--iterations': $opt['iterations'] = max(10, (int) $need()); break;
        case '--rounds': $opt['rounds'] = max(1, (int) $need()); break;
        case '--keys': $opt['keys'] = max(3, (int) $need()); break;
        case '--no-phpredis': $opt['phpredis'] = false; break;
        case '--only': $opt['only'] = $need(); break;
        case '--calls': $opt['calls'] = max(0, (int) $need()); break;
        case '-h': case '--help':
            echo preg_replace('/^ \* ?/m', '', explode('*/', explode('/*', file_get_contents(__FILE__), 2)[1], 2)[0]);
            exit(0);
        default:
            fwrite(STDERR, "unknown option $a (see --help)\n");
            exit(2);
    }
}

// phpredis: load it into a fresh PHP when this one has not (Debian enables it
// for the CLI, a bare `php -n` does not have it)
if ($opt['phpredis'] && !extension_loaded('redis') && !getenv('WX_CF_REEXEC')) {
    // the same PHP with the same options (from /proc: -n, -d extension=.../wxredis.so, ...)
    $self = explode("\0", rtrim((string) @file_get_contents('/proc/self/cmdline'), "\0"));
    $at = array_search($argv[0], $self, true);
    $phpOpts = $at === false ? [] : array_slice($self, 1, $at - 1);
    putenv('WX_CF_REEXEC=1');
    // Debian's phpredis is linked against igbinary: load that first
    $load = extension_loaded('igbinary') ? [] : ['-d', 'extension=igbinary'];
    $cmd = array_merge([PHP_BINARY], $phpOpts, $load, ['-d', 'extension=redis', __FILE__], array_slice($argv, 1));
    $p = proc_open($cmd, [STDIN, STDOUT, STDERR], $pipes);
    exit(proc_close($p));
}
if ($opt['phpredis'] && !extension_loaded('redis')) {
    fwrite(STDERR, "phpredis not available (apt-get install php-redis, or --no-phpredis)\n");
    exit(1);
}

require_once __DIR__ . '/../tests/support/ha.inc';

$own = null;
if ($opt['dir']) {
    $ha = wx_ha_load($opt['dir']);
} else {
    $own = $ha = wx_ha_start('cluster');
}
try {
    exit(main($ha, $opt));
} finally {
    if ($own) {
        wx_ha_stop($own);
    }
}

// ---------------------------------------------------------------- helpers

function median(array $xs): float
{
    sort($xs);
    $n = count($xs);
    return $n % 2 ? $xs[intdiv($n, 2)] : ($xs[$n / 2 - 1] + $xs[$n / 2]) / 2;
}

function check(bool $ok, string $what): void
{
    if (!$ok) {
        throw new RuntimeException("sanity check failed: $what");
    }
}

/** A raw socket: no buffering in PHP's stream layer. */
function raw_socket(string $addr)
{
    $s = stream_socket_client("tcp://$addr", $errno, $errstr, 2);
    if (!$s) {
        throw new RuntimeException("connect $addr: $errstr");
    }
    stream_set_write_buffer($s, 0);
    stream_set_read_buffer($s, 0);
    stream_set_timeout($s, 5);
    return $s;
}

function raw_auth($s, ?array $auth): void
{
    if ($auth) {
        fwrite($s, WxHaClient::encode('AUTH', ...$auth));
        check(read_n($s, 5) === "+OK\r\n", 'raw AUTH');
    }
}

function read_n($s, int $n): string
{
    $buf = '';
    while (($l = strlen($buf)) < $n) {
        $chunk = fread($s, $n - $l);
        if ($chunk === false || $chunk === '') {
            throw new RuntimeException('raw socket: short read');
        }
        $buf .= $chunk;
    }
    return $buf;
}

/** $n keys with the prefix, spread evenly over the masters: [key => master addr]. */
function pick_keys(array $map, string $prefix, int $n): array
{
    $masters = array_values(array_unique(array_column($map, 'master')));
    $per = intdiv($n, count($masters));
    $want = array_fill_keys($masters, $per);
    for ($i = 0; $i < $n - $per * count($masters); $i++) {
        $want[$masters[$i]]++;
    }
    $keys = [];
    for ($i = 0; count($keys) < $n; $i++) {
        $k = "k$i";
        $slot = wx_ha_keyslot($prefix . $k);
        foreach ($map as $r) {
            if ($slot >= $r['from'] && $slot <= $r['to']) {
                if ($want[$r['master']] > 0) {
                    $want[$r['master']]--;
                    $keys[$k] = $r['master'];
                }
                break;
            }
        }
    }
    return $keys;
}

function main(array $ha, array $opt): int
{
    $N = $opt['iterations'];
    $R = $opt['rounds'];
    $auth = wx_ha_auth($ha, 'data');
    $settled = wx_ha_cluster_wait_settled($ha, 10, false);
    $map = $settled['map'];
    $masters = $settled['masters'];
    $P = 'bcf:';
    $keys = pick_keys($map, $P, $opt['keys']);          // key => master
    mt_srand(42);
    $s = fn (int $n) => substr(str_repeat(md5((string) mt_rand()), intdiv($n, 32) + 1), 0, $n);
    $values = [];
    foreach (array_keys($keys) as $i => $k) {
        $values[$k] = ['access_token' => $s(136), 'expires_in' => 7200, 'created_at' => 1700000000, 'n' => $i];
    }
    $blobs = array_map('serialize', $values);

    // write the keys (serialize(): what phpredis SERIALIZER_PHP reads back)
    $byNode = [];
    foreach ($keys as $k => $m) {
        $byNode[$m][] = $k;
    }
    foreach ($byNode as $m => $ks) {
        $c = new WxHaClient($m, $auth);
        $c->pipeline(array_map(fn ($k) => ['SET', $P . $k, $blobs[$k], 'EX', '3600'], $ks));
    }

    // ---- contenders: name => fn(int $n)
    $contenders = [];
    $bulk = fn (string $b) => '$' . strlen($b) . "\r\n$b\r\n";
    $socks = [];
    $req = [];
    $expect = [];
    foreach ($byNode as $m => $ks) {
        $socks[$m] = raw_socket($m);
        raw_auth($socks[$m], $auth);
        $req[$m] = implode('', array_map(fn ($k) => WxHaClient::encode('GET', $P . $k), $ks));
        $expect[$m] = implode('', array_map(fn ($k) => $bulk($blobs[$k]), $ks));
        fwrite($socks[$m], $req[$m]);
        check(read_n($socks[$m], strlen($expect[$m])) === $expect[$m], "raw pipeline on $m");
    }
    $lens = array_map('strlen', $expect);
    $contenders['floor'] = function (int $n) use ($socks, $req, $lens) {
        for ($i = 0; $i < $n; $i++) {
            foreach ($socks as $m => $sk) {
                fwrite($sk, $req[$m]);
            }
            foreach ($socks as $m => $sk) {
                read_n($sk, $lens[$m]);
            }
        }
    };
    $contenders['floor-seq'] = function (int $n) use ($socks, $req, $lens) {
        for ($i = 0; $i < $n; $i++) {
            foreach ($socks as $m => $sk) {
                fwrite($sk, $req[$m]);
                read_n($sk, $lens[$m]);
            }
        }
    };
    $singles = [];
    foreach ($keys as $k => $m) {
        $singles[] = [$socks[$m], WxHaClient::encode('GET', $P . $k), strlen($bulk($blobs[$k]))];
    }
    $contenders['raw-30-gets'] = function (int $n) use ($singles) {
        for ($i = 0; $i < $n; $i++) {
            foreach ($singles as [$sk, $w, $len]) {
                fwrite($sk, $w);
                read_n($sk, $len);
            }
        }
    };
    $unit = $singles[0];
    $contenders['raw-1-get'] = function (int $n) use ($unit) {
        [$sk, $w, $len] = $unit;
        for ($i = 0; $i < $n; $i++) {
            fwrite($sk, $w);
            read_n($sk, $len);
        }
    };

    $pkeys = array_map(fn ($k) => $P . $k, array_keys($keys));
    $notes = [];
    if ($opt['phpredis']) {
        $rc = new RedisCluster(null, $ha['nodes'], 2.0, 2.0, false, ...($auth ? [count($auth) === 1 ? $auth[0] : $auth] : []));
        $rc->setOption(Redis::OPT_SERIALIZER, Redis::SERIALIZER_PHP);
        check($rc->mget($pkeys) == array_values($values), 'phpredis mget');
        check($rc->get($pkeys[0]) == reset($values), 'phpredis get');
        $contenders['phpredis-mget'] = function (int $n) use ($rc, $pkeys) {
            for ($i = 0; $i < $n; $i++) {
                $rc->mget($pkeys);
            }
        };
        $contenders['phpredis-30-gets'] = function (int $n) use ($rc, $pkeys) {
            for ($i = 0; $i < $n; $i++) {
                foreach ($pkeys as $k) {
                    $rc->get($k);
                }
            }
        };
    }
    if (extension_loaded('wxredis')) {
        // PSR-16 first when installed, so that WxRedis\Cache implements it (see ext/wxredis.c)
        @include_once '/usr/share/php/Psr/SimpleCache/autoload.php';
        try {
            $wx = new WxRedis\Cache($ha['env']['WXREDIS_TEST_CLUSTER_DSN'], ['prefix' => 'bwx:']);
            $wkeys = array_keys(pick_keys($map, 'bwx:', $opt['keys']));
            $wvals = array_combine($wkeys, array_values($values));
            $wx->setMultiple($wvals, 3600);
            $got = [];
            foreach ($wx->getMultiple($wkeys) as $k => $v) {
                $got[$k] = $v;
            }
            check($got == $wvals, 'wxredis getMultiple');
            $contenders['wxredis'] = function (int $n) use ($wx, $wkeys) {
                for ($i = 0; $i < $n; $i++) {
                    foreach ($wx->getMultiple($wkeys) as $k => $v) {
                    }
                }
            };
        } catch (Throwable $e) {
            $notes[] = 'wxredis: not measured (' . get_class($e) . ': ' . $e->getMessage() . ')';
        }
    } else {
        $notes[] = 'wxredis: not measured (extension not loaded; php -d extension=.../wxredis.so)';
    }

    if ($opt['only'] !== null) {
        if (!isset($contenders[$opt['only']])) {
            throw new RuntimeException("no contender {$opt['only']} (" . implode(', ', array_keys($contenders)) . ')');
        }
        $contenders[$opt['only']]($opt['calls']);
        foreach ($byNode as $m => $ks) {
            (new WxHaClient($m, $auth))->pipeline(array_map(fn ($k) => ['DEL', $P . $k], $ks));
        }
        return 0;
    }

    // ---- timing
    $names = array_keys($contenders);
    foreach ($names as $name) {
        $contenders[$name](max(10, intdiv($N, 10)));          // warm-up
    }
    $t = [];
    $t0 = microtime(true);
    for ($r = 0; $r < $R; $r++) {
        $k = $r % count($names);
        $order = array_merge(array_slice($names, $k), array_slice($names, 0, $k));
        foreach ($order as $name) {
            $n = $name === 'raw-1-get' ? $N * 3 : $N;
            $h = hrtime(true);
            $contenders[$name]($n);
            $t[$name][$r] = (hrtime(true) - $h) / 1e9 / $n;
        }
    }
    $elapsed = microtime(true) - $t0;

    // ---- report
    $nk = count($keys);
    $dist = array_count_values($keys);
    printf("redis-server %s cluster: %d masters (%s), %d keys of %d bytes serialized, keys per master %s\n",
        wx_ha_info_lines((string) wx_ha_cmd($ha, $masters[0], 'INFO', 'server'))['redis_version'] ?? '?',
        count($masters), implode(' ', $masters), $nk, strlen($blobs[array_key_first($blobs)]), implode('/', $dist));
    printf("PHP %s, phpredis %s, %d CPU, load %s; %d calls x %d interleaved rounds, medians\n",
        PHP_VERSION, phpversion('redis') ?: '-', (int) trim((string) shell_exec('nproc')),
        implode(' ', array_map(fn ($x) => sprintf('%.1f', $x), sys_getloadavg() ?: [])), $N, $R);
    foreach ($notes as $n) {
        echo "$n\n";
    }
    echo "\n";
    printf("%-18s %12s %10s %22s %22s\n", 'contender', 'us/call', '±mad', 'x floor (range)', 'single GETs (range)');
    echo str_repeat('-', 88), "\n";
    foreach ($names as $name) {
        $med = median($t[$name]);
        $mad = median(array_map(fn ($x) => abs($x - $med), $t[$name]));
        $rf = array_map(fn ($r) => $t[$name][$r] / $t['floor'][$r], array_keys($t[$name]));
        $ru = array_map(fn ($r) => $t[$name][$r] / $t['raw-1-get'][$r], array_keys($t[$name]));
        printf("%-18s %12.1f %9.0f%% %8.2f (%.2f-%.2f) %8.2f (%.2f-%.2f)\n", $name, $med * 1e6, $med ? 100 * $mad / $med : 0,
            median($rf), min($rf), max($rf), median($ru), min($ru), max($ru));
    }
    echo "\n";
    $goal = median(array_map(fn ($r) => 1.3 * $t['floor'][$r] / $t['raw-1-get'][$r], array_keys($t['floor'])));
    printf("goal (issue 10): wxredis getMultiple(%d) <= 1.3 x floor, i.e. about %.1f single GETs here\n", $nk, $goal);
    if (isset($t['wxredis'])) {
        $rf = median(array_map(fn ($r) => $t['wxredis'][$r] / $t['floor'][$r], array_keys($t['wxredis'])));
        printf("  wxredis / floor = %.2f  %s\n", $rf, $rf <= 1.3 ? 'met' : 'NOT met');
    }
    printf("timed part: %.1f s\n", $elapsed);

    foreach ($byNode as $m => $ks) {
        (new WxHaClient($m, $auth))->pipeline(array_map(fn ($k) => ['DEL', $P . $k], $ks));
    }
    return 0;
}
