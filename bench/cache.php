<?php
/*
 * bench/cache.php: WxRedis\Cache against phpredis used directly and against
 * Symfony's Psr16Cache(RedisAdapter(phpredis)), in one process, on one Redis.
 *
 *   php -d extension=.../wxredis.so bench/cache.php [options]
 *   (bench/run-cache builds the extension and starts a private Redis for you)
 *
 * Options:
 *   --iterations N   calls per contender per round for single ops (default 2000;
 *                    batch ops run N/4 batches)
 *   --rounds N       interleaved rounds; the median is reported (default 7)
 *   --batch N        keys per getMultiple/setMultiple (default 20)
 *   --port P         Redis TCP port on 127.0.0.1
 *   --socket PATH    Redis unix socket (adds the unix-socket lines)
 *   --no-symfony     leave Symfony out
 *   --no-floor       leave out the floor (raw RESP on a plain socket, no client
 *                    library: what the kernel and redis-server alone cost)
 *   --no-consume     do not iterate getMultiple() results (by default every
 *                    contender walks its result with foreach, as callers do)
 *   --value KIND     token (default: a 227-byte serialized array, like an
 *                    access token entry), small (an int), string (40 bytes),
 *                    2k (a 2.1 KB array), large (an 8 KB array)
 * Without --port a private redis-server is started (tests/support/redis.inc).
 *
 * Only prints; exits 0 unless something errors (a wrong value read back, a
 * missing extension, Redis not reachable). It is not a test: absolute times
 * on a shared machine are noise, the ratios are what to look at.
 */
declare(strict_types=1);

error_reporting(E_ALL);
set_error_handler(function (int $no, string $msg, string $file, int $line) {
    if (!(error_reporting() & $no)) {
        return false;   // silenced with @ (tests/support/redis.inc probes ports so)
    }
    throw new ErrorException($msg, 0, $no, $file, $line);
});

// ------------------------------------------------------------------ options
$opt = ['iterations' => 2000, 'rounds' => 7, 'batch' => 20, 'port' => null, 'socket' => null,
        'symfony' => true, 'consume' => true, 'value' => 'token', 'floor' => true];
$args = array_slice($argv, 1);
while ($args) {
    $a = array_shift($args);
    if (str_contains($a, '=') && str_starts_with($a, '--')) {
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
        case '--iterations': $opt['iterations'] = max(10, (int) $need()); break;
        case '--rounds':     $opt['rounds'] = max(1, (int) $need()); break;
        case '--batch':      $opt['batch'] = max(1, (int) $need()); break;
        case '--port':       $opt['port'] = (int) $need(); break;
        case '--socket':     $opt['socket'] = $need(); break;
        case '--no-symfony': $opt['symfony'] = false; break;
        case '--no-consume': $opt['consume'] = false; break;
        case '--no-floor':   $opt['floor'] = false; break;
        case '--value':      $opt['value'] = $need(); break;
        case '-h': case '--help':
            echo preg_replace('/^ \* ?/m', '', explode('*/', explode('/*', file_get_contents(__FILE__), 2)[1], 2)[0]);
            exit(0);
        default:
            fwrite(STDERR, "unknown option $a (see --help)\n");
            exit(2);
    }
}
$N = $opt['iterations'];
$NB = max(10, intdiv($N, 4));
$R = $opt['rounds'];
$B = $opt['batch'];

foreach (['wxredis', 'redis'] as $ext) {
    if (!extension_loaded($ext)) {
        fwrite(STDERR, "extension $ext is not loaded (run bench/run-cache, or php -d extension=wxredis.so)\n");
        exit(1);
    }
}
// PSR-16 first, so that WxRedis\Cache implements it (and Symfony can load)
require_once '/usr/share/php/Psr/SimpleCache/autoload.php';
if ($opt['symfony']) {
    require_once '/usr/share/php/Symfony/Component/Cache/autoload.php';
}

// -------------------------------------------------------------------- redis
$ownRedis = null;
if ($opt['port'] === null) {
    require_once __DIR__ . '/../tests/support/redis.inc';
    $ownRedis = wx_redis_start();
    $opt['port'] = $ownRedis['port'];
    $opt['socket'] ??= $ownRedis['sock'];
}
$port = $opt['port'];
$sock = $opt['socket'];

try {
    $rc = main();
} finally {
    // (not around exit(): exit() skips finally blocks)
    if ($ownRedis) {
        wx_redis_stop($ownRedis);
    }
}
exit($rc);

// ---------------------------------------------------------------- helpers

function value_of(string $kind): mixed
{
    mt_srand(42);
    $s = fn (int $n) => substr(str_repeat(md5((string) mt_rand()), intdiv($n, 32) + 1), 0, $n);
    return match ($kind) {
        'small' => 42,
        'string' => $s(40),
        '2k' => array_map(fn ($i) => ['id' => $i, 'name' => $s(24), 'score' => $i / 7, 'tags' => ['a', 'b']], range(1, 15)),
        'token' => ['access_token' => $s(136), 'expires_in' => 7200, 'created_at' => 1700000000],
        'large' => array_map(fn ($i) => ['id' => $i, 'name' => $s(24), 'score' => $i / 7, 'tags' => ['a', 'b']], range(1, 60)),
        default => throw new InvalidArgumentException("--value must be token, small, string, 2k or large"),
    };
}

function median(array $xs): float
{
    sort($xs);
    $n = count($xs);
    return $n % 2 ? $xs[intdiv($n, 2)] : ($xs[$n / 2 - 1] + $xs[$n / 2]) / 2;
}

function fmt_ops(?float $ops): string
{
    return $ops === null ? '-' : number_format($ops, 0, '.', ',');
}

/** Per-op closures for a PSR-16 contender (WxRedis\Cache, Symfony's Psr16Cache):
 * name => fn(int $n) running $n calls. */
function contender_psr16(object $c, array $keys, array $batch, mixed $value, bool $consume): array
{
    $k = $keys[0];
    return [
        'get' => function (int $n) use ($c, $k) { for ($i = 0; $i < $n; $i++) { $c->get($k); } },
        'set' => function (int $n) use ($c, $k, $value) { for ($i = 0; $i < $n; $i++) { $c->set($k, $value, 7200); } },
        'has' => function (int $n) use ($c, $k) { for ($i = 0; $i < $n; $i++) { $c->has($k); } },
        'getMultiple' => $consume
            ? function (int $n) use ($c, $keys) { for ($i = 0; $i < $n; $i++) { foreach ($c->getMultiple($keys) as $kk => $v) {} } }
            : function (int $n) use ($c, $keys) { for ($i = 0; $i < $n; $i++) { $c->getMultiple($keys); } },
        'setMultiple' => function (int $n) use ($c, $batch) { for ($i = 0; $i < $n; $i++) { $c->setMultiple($batch, 7200); } },
        // keys nobody writes: every contender's DEL finds nothing, the server's work is alike
        'deleteMultiple' => function (int $n) use ($c, $keys) { $d = array_map(fn ($k) => "d$k", $keys); for ($i = 0; $i < $n; $i++) { $c->deleteMultiple($d); } },
    ];
}

function contender_php(Redis $r, array $keys, array $batch, mixed $value, bool $consume): array
{
    $k = $keys[0];
    return [
        'get' => function (int $n) use ($r, $k) { for ($i = 0; $i < $n; $i++) { $r->get($k); } },
        'set' => function (int $n) use ($r, $k, $value) { for ($i = 0; $i < $n; $i++) { $r->setEx($k, 7200, $value); } },
        'has' => function (int $n) use ($r, $k) { for ($i = 0; $i < $n; $i++) { $r->exists($k); } },
        'getMultiple' => $consume
            ? function (int $n) use ($r, $keys) { for ($i = 0; $i < $n; $i++) { foreach ($r->mGet($keys) as $kk => $v) {} } }
            : function (int $n) use ($r, $keys) { for ($i = 0; $i < $n; $i++) { $r->mGet($keys); } },
        'setMultiple' => function (int $n) use ($r, $batch) {
            for ($i = 0; $i < $n; $i++) {
                $r->multi(Redis::PIPELINE);
                foreach ($batch as $kk => $v) {
                    $r->setEx((string) $kk, 7200, $v);
                }
                $r->exec();
            }
        },
        'deleteMultiple' => function (int $n) use ($r, $keys) { $d = array_map(fn ($k) => "d$k", $keys); for ($i = 0; $i < $n; $i++) { $r->del($d); } },
    ];
}

/** RESP encoding of one command. */
function resp(string ...$args): string
{
    $s = '*' . count($args) . "\r\n";
    foreach ($args as $a) {
        $s .= '$' . strlen($a) . "\r\n" . $a . "\r\n";
    }
    return $s;
}

/**
 * The floor: no client library at all. Precomputed request bytes are
 * written to a plain PHP socket and exactly the known number of reply
 * bytes is read back, nothing is parsed or unserialized. What is left is
 * the kernel, the network stack and redis-server, so the floor's batch cost
 * shows what any client could reach on this machine.
 */
function contender_raw(int $port, array $keys, array $batch): array
{
    $s = stream_socket_client("tcp://127.0.0.1:$port", $errno, $errstr, 2);
    if (!$s) {
        throw new RuntimeException("raw socket: $errstr");
    }
    stream_set_write_buffer($s, 0);
    stream_set_read_buffer($s, 0);
    stream_set_timeout($s, 5);
    $readn = function (int $n) use ($s): string {
        $buf = '';
        while (($l = strlen($buf)) < $n) {
            $chunk = fread($s, $n - $l);
            if ($chunk === false || $chunk === '') {
                throw new RuntimeException('raw socket: short read');
            }
            $buf .= $chunk;
        }
        return $buf;
    };
    $blobs = array_map('serialize', $batch);
    $k = 'braw:' . array_key_first($batch);
    $bulk = fn (string $b) => '$' . strlen($b) . "\r\n$b\r\n";
    $setAll = '';
    foreach ($blobs as $kk => $b) {
        $setAll .= resp('SET', "braw:$kk", $b, 'EX', '7200');
    }
    $req = [
        'get' => [resp('GET', $k), $bulk($blobs[array_key_first($batch)])],
        'set' => [resp('SET', $k, $blobs[array_key_first($batch)], 'EX', '7200'), "+OK\r\n"],
        'has' => [resp('EXISTS', $k), ":1\r\n"],
        'getMultiple' => [resp('MGET', ...array_map(fn ($kk) => "braw:$kk", array_keys($batch))),
                          '*' . count($blobs) . "\r\n" . implode('', array_map($bulk, $blobs))],
        'setMultiple' => [$setAll, str_repeat("+OK\r\n", count($blobs))],
        'deleteMultiple' => [resp('DEL', ...array_map(fn ($kk) => "braw:d$kk", array_keys($batch))), ":0\r\n"],
    ];
    // write the keys and check every reply once, byte for byte
    fwrite($s, $setAll);
    check($readn(strlen($req['setMultiple'][1])) === $req['setMultiple'][1], 'raw setMultiple reply');
    foreach ($req as $op => [$w, $expect]) {
        fwrite($s, $w);
        check($readn(strlen($expect)) === $expect, "raw $op reply");
    }
    $out = [];
    foreach ($req as $op => [$w, $expect]) {
        $len = strlen($expect);
        $out[$op] = function (int $n) use ($s, $w, $len, $readn) {
            for ($i = 0; $i < $n; $i++) {
                fwrite($s, $w);
                $readn($len);
            }
        };
    }
    return $out;
}

/** CPU seconds (user + system) this process has used so far. */
function cpu_now(): float
{
    $u = getrusage();
    return $u['ru_utime.tv_sec'] + $u['ru_utime.tv_usec'] / 1e6 + $u['ru_stime.tv_sec'] + $u['ru_stime.tv_usec'] / 1e6;
}

/** [wall seconds, CPU seconds of this process] for one block of $n calls. */
function time_block(callable $f, int $n): array
{
    $c = cpu_now();
    $t = hrtime(true);
    $f($n);
    $t = (hrtime(true) - $t) / 1e9;
    return [$t, cpu_now() - $c];
}

function check(bool $ok, string $what): void
{
    if (!$ok) {
        throw new RuntimeException("sanity check failed: $what");
    }
}

// ------------------------------------------------------------------- main

function main(): int
{
    global $opt, $N, $NB, $R, $B, $port, $sock;

    $value = value_of($opt['value']);
    $keys = array_map(fn ($i) => "k$i", range(1, $B));
    $batch = [];
    foreach ($keys as $i => $k) {
        $batch[$k] = is_array($value) ? $value + ['n' => $i] : $value;
    }

    // --- contenders ------------------------------------------------------
    $wx = new WxRedis\Cache("redis://127.0.0.1:$port", ['prefix' => 'bench:']);

    $pr = new Redis();
    $pr->connect('127.0.0.1', $port);
    $pr->setOption(Redis::OPT_SERIALIZER, Redis::SERIALIZER_PHP);
    $pr->setOption(Redis::OPT_PREFIX, 'bphp:');

    $contenders = [
        'wxredis' => contender_psr16($wx, $keys, $batch, $value, $opt['consume']),
        'phpredis' => contender_php($pr, $keys, $batch, $value, $opt['consume']),
    ];
    $check = ['wxredis' => fn ($k) => $wx->get($k), 'phpredis' => fn ($k) => $pr->get($k)];
    $fill = ['wxredis' => fn () => $wx->setMultiple($batch, 7200), 'phpredis' => fn () => $contenders['phpredis']['setMultiple'](1)];
    $symfonyNote = '';
    if ($opt['symfony']) {
        $sr = new Redis();   // its own connection: Symfony marshals itself, no phpredis serializer
        $sr->connect('127.0.0.1', $port);
        $sym = new Symfony\Component\Cache\Psr16Cache(
            new Symfony\Component\Cache\Adapter\RedisAdapter($sr, 'bsym', 0));
        $contenders['symfony'] = contender_psr16($sym, $keys, $batch, $value, $opt['consume']);
        $check['symfony'] = fn ($k) => $sym->get($k);
        $fill['symfony'] = fn () => $sym->setMultiple($batch, 7200);
        $m = new Symfony\Component\Cache\Marshaller\DefaultMarshaller();
        $symfonyNote = 'Symfony marshals with ' . (str_starts_with($m->marshall(['x' => 1], $f)['x'], "\0\0\0\2") ? 'igbinary' : 'serialize()')
            . ' (its default here)';
    }
    if ($opt['floor']) {
        $contenders['raw'] = contender_raw($port, $keys, $batch);
    }
    $wxu = $pru = null;
    if ($sock) {
        $wxu = new WxRedis\Cache("unix://$sock", ['prefix' => 'bench:']);
        $pru = new Redis();
        $pru->connect($sock);
        $pru->setOption(Redis::OPT_SERIALIZER, Redis::SERIALIZER_PHP);
        $pru->setOption(Redis::OPT_PREFIX, 'bphp:');
        $contenders['wxredis/unix'] = contender_psr16($wxu, $keys, $batch, $value, $opt['consume']);
        $contenders['phpredis/unix'] = contender_php($pru, $keys, $batch, $value, $opt['consume']);
        $check['wxredis/unix'] = fn ($k) => $wxu->get($k);
        $check['phpredis/unix'] = fn ($k) => $pru->get($k);
        $fill['wxredis/unix'] = $fill['wxredis'];
        $fill['phpredis/unix'] = $fill['phpredis'];
    }

    // --- data and sanity: every contender reads back what it wrote -------
    $wx->clear();
    foreach ($fill as $name => $f) {
        $f();
        foreach ($keys as $i => $k) {
            check($check[$name]($k) == $batch[$k], "$name reads back $k");
        }
    }
    check($wx->has($keys[0]) && !$wx->has('nope'), 'wxredis has()');
    $gm = [];
    foreach ($wx->getMultiple($keys) as $k => $v) {
        $gm[$k] = $v;
    }
    check($gm == $batch, 'wxredis getMultiple()');
    check($pr->mGet($keys) == array_values($batch), 'phpredis mGet()');
    if ($opt['symfony']) {
        check(iterator_to_array($sym->getMultiple($keys)) == $batch, 'symfony getMultiple()');
        check($sym->has($keys[0]), 'symfony has()');
    }

    $info = $pr->info('server');
    printf("wxredis %s (hiredis %s) | phpredis %s | igbinary %s | PHP %s | redis-server %s | %d CPU\n",
        phpversion('wxredis'), wx_hiredis_version(), phpversion('redis'), phpversion('igbinary') ?: '-',
        PHP_VERSION, $info['redis_version'] ?? '?', (int) trim((string) shell_exec('nproc 2>/dev/null')) ?: 0);
    printf("value: %s (%d bytes serialized), batch %d keys, TTL 7200 s; %d calls (batch ops: %d) x %d interleaved rounds, median\n",
        $opt['value'], strlen(serialize($value)), $B, $N, $NB, $R);
    if ($symfonyNote) {
        echo "$symfonyNote; getMultiple results ", $opt['consume'] ? 'walked with foreach' : 'not walked', "\n";
    }

    // --- timing ------------------------------------------------------------
    $ops = ['get' => "get (hit)", 'set' => "set (ttl)", 'has' => "has", 'getMultiple' => "getMultiple($B)", 'setMultiple' => "setMultiple($B)",
            'deleteMultiple' => "deleteMultiple($B)"];
    $names = array_keys($contenders);
    $sec = [];    // [op][name] => list of seconds per call, one per round
    $cpus = [];   // same, CPU time of this (client) process
    $rt = [];     // [op] => [round_trips, commands, calls] of wxredis (tcp + unix)
    $pr->rawCommand('CONFIG', 'RESETSTAT');
    $t0 = microtime(true);
    $count = fn (string $op) => in_array($op, ['getMultiple', 'setMultiple', 'deleteMultiple'], true) ? $NB : $N;
    // warm-up: code paths, connections, CPU caches
    foreach ($ops as $op => $label) {
        $rt[$op] = ['round_trips' => 0, 'commands' => 0, 'reconnects' => 0, 'calls' => 0];
        foreach ($names as $name) {
            $contenders[$name][$op](max(20, intdiv($count($op), 10)));
        }
    }
    // Every round times every (op, contender) block, so that load from
    // elsewhere on the machine hits all of them alike, and per-round ratios
    // compare blocks run close together in time.
    for ($r = 0; $r < $R; $r++) {
        foreach ($ops as $op => $label) {
            $n = $count($op);
            // rotate the order every round so no contender always goes first
            $k = ($r + array_search($op, array_keys($ops), true)) % count($names);
            $order = array_merge(array_slice($names, $k), array_slice($names, 0, $k));
            foreach ($order as $name) {
                $isWx = str_starts_with($name, 'wxredis');
                if ($isWx) {
                    $s0 = $wx->stats();
                }
                [$wall, $cpu] = time_block($contenders[$name][$op], $n);
                $sec[$op][$name][] = $wall / $n;
                $cpus[$op][$name][] = $cpu / $n;
                if ($isWx) {
                    $s1 = $wx->stats();
                    foreach (['round_trips', 'commands', 'reconnects'] as $f) {
                        $rt[$op][$f] += $s1[$f] - $s0[$f];
                    }
                    $rt[$op]['calls'] += $n;
                }
            }
        }
    }
    $elapsed = microtime(true) - $t0;

    // --- report ------------------------------------------------------------
    $med = [];
    foreach ($sec as $op => $byName) {
        foreach ($byName as $name => $xs) {
            $med[$op][$name] = median($xs);
        }
    }
    // per-round ratio a/b in ops/s terms = time(b)/time(a); rounds are interleaved, so pair them
    $ratio = function (string $op, string $a, string $b) use ($sec): array {
        $rs = [];
        foreach ($sec[$op][$a] as $i => $ta) {
            $rs[] = $sec[$op][$b][$i] / $ta;
        }
        return [median($rs), min($rs), max($rs)];
    };
    $fr = fn (array $r) => sprintf('%.2f (%.2f-%.2f)', ...$r);
    // median absolute deviation, in % of the median: robust to the odd
    // round that another process on the machine stalled
    $spread = function (array $xs): string {
        $m = median($xs);
        return sprintf('±%.0f%%', 100 * median(array_map(fn ($x) => abs($x - $m), $xs)) / $m);
    };

    echo "\nops/s (median of $R rounds, ±median absolute deviation of the rounds)\n";
    $hdr = sprintf("%-17s %22s %22s", 'TCP 127.0.0.1', 'wxredis', 'phpredis');
    if ($opt['symfony']) {
        $hdr .= sprintf(" %22s", 'symfony');
    }
    $hdr .= sprintf("   %-19s", 'wx/phpredis (range)');
    if ($opt['symfony']) {
        $hdr .= sprintf("  %-19s", 'wx/symfony (range)');
    }
    echo $hdr, "\n", str_repeat('-', strlen($hdr)), "\n";
    foreach ($ops as $op => $label) {
        $line = sprintf("%-17s", $label);
        foreach (array_merge(['wxredis', 'phpredis'], $opt['symfony'] ? ['symfony'] : []) as $name) {
            $line .= sprintf(" %14s %7s", fmt_ops(1 / $med[$op][$name]), $spread($sec[$op][$name]));
        }
        $line .= sprintf("   %-19s", $fr($ratio($op, 'wxredis', 'phpredis')));
        if ($opt['symfony']) {
            $line .= sprintf("  %-19s", $fr($ratio($op, 'wxredis', 'symfony')));
        }
        echo $line, "\n";
    }
    if ($sock) {
        echo "\n";
        $hdr = sprintf("%-17s %22s %22s   %-19s", 'unix socket', 'wxredis', 'phpredis', 'wx/phpredis (range)');
        echo $hdr, "\n", str_repeat('-', strlen($hdr)), "\n";
        foreach ($ops as $op => $label) {
            printf("%-17s %14s %7s %14s %7s   %-19s\n", $label,
                fmt_ops(1 / $med[$op]['wxredis/unix']), $spread($sec[$op]['wxredis/unix']),
                fmt_ops(1 / $med[$op]['phpredis/unix']), $spread($sec[$op]['phpredis/unix']),
                $fr($ratio($op, 'wxredis/unix', 'phpredis/unix')));
        }
    }

    // batch cost in single round trips: time per batch / time per wxredis get
    echo "\nbatch cost in single round trips = time per batch op / time per wxredis get (same transport, same round);\n"
        . "median (range) over rounds\n";
    $lines = [['TCP', 'wxredis', ['wxredis', 'phpredis', 'symfony']]];
    if ($sock) {
        $lines[] = ['unix', 'wxredis/unix', ['wxredis/unix', 'phpredis/unix']];
    }
    $cost = function (string $op, string $name, string $base) use ($sec): array {
        $rs = [];
        foreach ($sec[$op][$name] as $i => $t) {
            $rs[] = $t / $sec['get'][$base][$i];
        }
        return [median($rs), min($rs), max($rs)];
    };
    foreach ($lines as [$tr, $base, $who]) {
        foreach (['getMultiple', 'setMultiple'] as $op) {
            $parts = [];
            foreach ($who as $name) {
                if (isset($med[$op][$name])) {
                    $parts[] = sprintf('%s %s', $name, $fr($cost($op, $name, $base)));
                }
            }
            printf("  %-5s %-16s %s\n", $tr, $ops[$op], implode('   ', $parts));
        }
    }

    if ($opt['floor']) {
        echo "\nfloor: raw RESP on a plain PHP socket (precomputed requests, fixed-length reads, nothing parsed), TCP\n";
        foreach ($ops as $op => $label) {
            $line = sprintf("  %-16s %9s ops/s  wxredis/raw %-19s", $label, fmt_ops(1 / $med[$op]['raw']), $fr($ratio($op, 'wxredis', 'raw')));
            if (in_array($op, ['getMultiple', 'setMultiple'], true)) {
                $line .= sprintf("  raw batch cost %s single raw round trips", $fr($cost($op, 'raw', 'raw')));
            }
            echo $line, "\n";
        }
    }

    echo "\nwxredis round trips per call (stats()['round_trips'] delta / calls, TCP + unix)\n";
    $rtOk = true;
    foreach ($ops as $op => $label) {
        $x = $rt[$op];
        $per = $x['round_trips'] / $x['calls'];
        $ok = $x['round_trips'] === $x['calls'] && $x['reconnects'] === 0;
        $rtOk = $rtOk && $ok;
        printf("  %-16s %d calls: %d round trips (%.3f per call), %d commands (%.1f per call), %d reconnects  %s\n",
            $label, $x['calls'], $x['round_trips'], $per, $x['commands'], $x['commands'] / $x['calls'],
            $x['reconnects'], $ok ? 'ok: exactly 1' : 'NOT 1');
    }

    // where the time goes: wall vs this process's CPU vs Redis's own time
    $cmd = [];
    foreach ($pr->info('commandstats') as $k => $v) {
        if (preg_match('/^cmdstat_(\w+)$/', $k, $m) && preg_match('/calls=(\d+),usec=(\d+)/', $v, $mm)) {
            $cmd[$m[1]] = [(int) $mm[1], (int) $mm[2]];
        }
    }
    echo "\nwhere the time goes, TCP, microseconds per call (median): wall | client CPU (getrusage of this process)\n";
    foreach ($ops as $op => $label) {
        $line = sprintf("  %-16s", $label);
        foreach (array_merge(['wxredis', 'phpredis'], $opt['symfony'] ? ['symfony'] : []) as $name) {
            $line .= sprintf("  %s %6.1f | %5.1f", $name, 1e6 * $med[$op][$name], 1e6 * median($cpus[$op][$name]));
        }
        echo $line, "\n";
    }
    $parts = [];
    foreach (['get', 'set', 'setex', 'exists', 'mget', 'del'] as $c) {
        if (isset($cmd[$c]) && $cmd[$c][0] > 0) {
            $parts[] = sprintf('%s %.2f', strtoupper($c), $cmd[$c][1] / $cmd[$c][0]);
        }
    }
    echo "  redis-server time per command (INFO commandstats, all contenders): ", implode(', ', $parts), "\n";

    echo "\ntargets\n";
    foreach (['get', 'set', 'has', 'getMultiple', 'deleteMultiple'] as $op) {
        [$m, $lo, $hi] = $ratio($op, 'wxredis', 'phpredis');
        $verdict = $m >= 1.0 ? 'met' : ($hi >= 1.0 ? 'met within noise (median < 1, some rounds >= 1)' : 'NOT met');
        printf("  %-16s wxredis/phpredis >= 1.0 : %.2f  %s\n", $ops[$op], $m, $verdict);
    }
    if ($sock) {
        foreach (['get', 'set', 'has'] as $op) {
            [$m, $lo, $hi] = $ratio($op, 'wxredis/unix', 'phpredis/unix');
            $verdict = $m >= 1.0 ? 'met' : ($hi >= 1.0 ? 'met within noise (median < 1, some rounds >= 1)' : 'NOT met');
            printf("  %-16s unix wxredis/phpredis >= 1.0 : %.2f  %s\n", $ops[$op], $m, $verdict);
        }
    }
    foreach (['getMultiple', 'setMultiple'] as $op) {
        [$c, $lo, $hi] = $cost($op, 'wxredis', 'wxredis');
        $verdict = $c <= 1.5 ? 'met' : ($lo <= 1.5 ? 'NOT met (median > 1.5; some rounds <= 1.5)' : 'NOT met');
        $floor = $opt['floor'] ? sprintf('  (floor, raw RESP: %.2f)', $cost($op, 'raw', 'raw')[0]) : '';
        printf("  %-16s <= 1.5 single round trips: %.2f  %s%s\n", $ops[$op], $c, $verdict, $floor);
    }
    printf("  %-16s exactly 1 round trip per call: %s\n", 'all ops', $rtOk ? 'met' : 'NOT met');
    printf("\ntimed part: %.1f s\n", $elapsed);

    $wx->clear();
    $pr->del($keys);
    $pr->setOption(Redis::OPT_PREFIX, '');
    $pr->del(array_map(fn ($k) => "braw:$k", $keys));
    if ($opt['symfony']) {
        $sym->clear();
    }
    return 0;
}

function wx_hiredis_version(): string
{
    ob_start();
    (new ReflectionExtension('wxredis'))->info();
    $s = (string) ob_get_clean();
    return preg_match('/hiredis[^\n]*?(\d+\.\d+\.\d+)/i', $s, $m) ? $m[1] : '?';
}
