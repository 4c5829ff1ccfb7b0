<?php
/*
 * bench/fpm/bench.php: the measuring half of bench/run-fpm (which builds the
 * extension, starts redis-server and php-fpm, and stops them again). Phases,
 * each run by bench/run-fpm with the CLI and the extension loaded:
 *
 *   seed       write what every page reads, for every contender
 *   check      every page answers "ok" once, through php-fpm
 *   rps        requests per second: every (page, contender) for --seconds,
 *              --rounds times, the order rotated every round
 *   callgrind  instructions per request, against a php-fpm with one worker
 *              per pool under callgrind (see callgrind_phase())
 *   report     the tables
 *
 * State between phases is kept in --dir (JSON files). Only prints; exits
 * non-zero when a page answers anything but "ok" or a server is missing.
 */
declare(strict_types=1);

error_reporting(E_ALL);
set_error_handler(function (int $no, string $msg, string $file, int $line) {
    if (!(error_reporting() & $no)) {
        return false;
    }
    throw new ErrorException($msg, 0, $no, $file, $line);
});

const PAGES = __DIR__ . '/pages';
const COMPONENT = 'wxbenchcomponent0001';
const AUTHORIZER = 'wxbenchauthorizer01';

/**
 * id => [group, contender, pool, page, transport]. The "tuned" pool is the
 * same php-fpm with php_admin_value[redis.pconnect.echo_check_liveness] = 0.
 */
function targets(bool $unix): array
{
    $t = [
        'empty' => ['empty', 'empty page', 'ship', 'empty.php', 'tcp'],
        'get/wxredis' => ['get', 'wxredis', 'ship', 'get_wxredis.php', 'tcp'],
        'get/phpredis' => ['get', 'phpredis', 'ship', 'get_phpredis.php', 'tcp'],
        'get/phpredis-tuned' => ['get', 'phpredis-tuned', 'tuned', 'get_phpredis.php', 'tcp'],
        'get/symfony' => ['get', 'symfony', 'ship', 'get_symfony.php', 'tcp'],
        'mget/wxredis' => ['mget', 'wxredis', 'ship', 'mget_wxredis.php', 'tcp'],
        'mget/phpredis' => ['mget', 'phpredis', 'ship', 'mget_phpredis.php', 'tcp'],
        'mget/phpredis-tuned' => ['mget', 'phpredis-tuned', 'tuned', 'mget_phpredis.php', 'tcp'],
        'mget/symfony' => ['mget', 'symfony', 'ship', 'mget_symfony.php', 'tcp'],
        'token/wxredis' => ['token', 'wxredis', 'ship', 'token_wxredis.php', 'tcp'],
        'token/easywechat' => ['token', 'easywechat', 'ship', 'token_easywechat.php', 'tcp'],
        'atoken/wxredis' => ['atoken', 'wxredis', 'ship', 'atoken_wxredis.php', 'tcp'],
    ];
    if ($unix) {
        $t += [
            'get-unix/wxredis' => ['get-unix', 'wxredis', 'ship', 'get_wxredis.php', 'unix'],
            'get-unix/phpredis' => ['get-unix', 'phpredis', 'ship', 'get_phpredis.php', 'unix'],
            'get-unix/phpredis-tuned' => ['get-unix', 'phpredis-tuned', 'tuned', 'get_phpredis.php', 'unix'],
        ];
    }
    return $t;
}

const GROUPS = [
    'empty' => 'empty page (php-fpm + FastCGI, no Redis)',
    'get' => 'one cache get, TCP',
    'mget' => 'getMultiple(20), TCP',
    'token' => 'getComponentAccessToken() (cached), TCP',
    'atoken' => 'getAuthorizerAccessToken() (cached), TCP',
    'get-unix' => 'one cache get, unix socket',
];
const LABELS = [
    'empty page' => 'empty page',
    'wxredis' => 'wxredis',
    'phpredis' => 'phpredis pconnect, shipped',
    'phpredis-tuned' => 'phpredis pconnect, no ECHO',
    'symfony' => 'Symfony Psr16/phpredis',
    'easywechat' => 'EasyWeChat 6 steps/Symfony',
];

// ------------------------------------------------------------------ options
$phase = $argv[1] ?? '';
$opt = ['dir' => null, 'load' => null, 'ship' => null, 'tuned' => null, 'port' => null, 'socket' => null,
        'rounds' => 5, 'seconds' => 2.0, 'warmup' => 0.3, 'conns' => 4, 'unix' => true, 'fresh' => false,
        'requests' => 100, 'cgdir' => null, 'keep' => null, 'api-port' => null];
for ($i = 2; $i < count($argv); $i++) {
    $a = $argv[$i];
    $v = null;
    if (str_contains($a, '=')) {
        [$a, $v] = explode('=', $a, 2);
    }
    $key = substr($a, 2);
    if ($a === '--no-unix') { $opt['unix'] = false; continue; }
    if ($a === '--fresh-conn') { $opt['fresh'] = true; continue; }
    if (!str_starts_with($a, '--') || !array_key_exists($key, $opt)) {
        fwrite(STDERR, "bench.php: unknown option $a\n");
        exit(2);
    }
    $v ??= $argv[++$i] ?? null;
    if ($v === null) {
        fwrite(STDERR, "bench.php: $a needs a value\n");
        exit(2);
    }
    $opt[$key] = is_int($opt[$key]) ? (int) $v : (is_float($opt[$key]) ? (float) $v : $v);
}
if (!$opt['dir'] || !is_dir($opt['dir'])) {
    fwrite(STDERR, "bench.php: --dir DIR (a temp dir of bench/run-fpm) is required\n");
    exit(2);
}

exit(match ($phase) {
    'seed' => seed_phase(),
    'check' => check_phase(),
    'rps' => rps_phase(),
    'callgrind' => callgrind_phase(),
    'report' => report_phase(),
    default => usage(),
});

function usage(): int
{
    fwrite(STDERR, "usage: bench.php seed|check|rps|callgrind|report --dir DIR [options] (run by bench/run-fpm)\n");
    return 2;
}

// ---------------------------------------------------------------- helpers

function median(array $xs): float
{
    sort($xs);
    $n = count($xs);
    return $n % 2 ? (float) $xs[intdiv($n, 2)] : ($xs[$n / 2 - 1] + $xs[$n / 2]) / 2;
}

/** Median absolute deviation in % of the median. */
function spread(array $xs): float
{
    $m = median($xs);
    return $m > 0 ? 100 * median(array_map(fn ($x) => abs($x - $m), $xs)) / $m : 0.0;
}

function state(string $name, ?array $data = null): array
{
    global $opt;
    $f = $opt['dir'] . "/$name.json";
    if ($data !== null) {
        file_put_contents($f, json_encode($data, JSON_PRETTY_PRINT));
        return $data;
    }
    return is_file($f) ? json_decode((string) file_get_contents($f), true) : [];
}

function value(int $n): array
{
    mt_srand(42);
    $s = substr(str_repeat(md5((string) mt_rand()), 5), 0, 136);
    return ['access_token' => $s, 'expires_in' => 7200, 'created_at' => 1700000000, 'n' => $n];
}

function token(string $who): string
{
    return substr(str_repeat(hash('sha256', "component token for $who"), 3), 0, 136);
}

function redis_raw(): Redis
{
    global $opt;
    $r = new Redis();
    $r->connect('127.0.0.1', (int) $opt['port'], 2.0);
    return $r;
}

/** FastCGI params a page gets for a transport (what nginx's fastcgi_param would set). */
function params(string $transport): array
{
    global $opt;
    $p = $transport === 'unix'
        ? ['WXBENCH_DSN' => 'unix://' . $opt['socket'], 'WXBENCH_HOST' => $opt['socket'], 'WXBENCH_PORT' => '0']
        : ['WXBENCH_DSN' => 'redis://127.0.0.1:' . $opt['port'], 'WXBENCH_HOST' => '127.0.0.1', 'WXBENCH_PORT' => (string) $opt['port']];
    // where WeChat would be: a loopback port nothing listens on, so a call fails the page
    $p['WXBENCH_API_BASE'] = 'http://127.0.0.1:' . $opt['api-port'];
    return $p;
}

/**
 * Run the load generator; returns ['requests', 'errors', 'seconds', 'rps'].
 * $how: ['t' => seconds] or ['n' => requests]; throws when a page answered
 * anything but "ok".
 */
function load(string $pool, string $page, string $transport, array $how, int $conns, string $expect = 'ok'): array
{
    global $opt;
    $cmd = [$opt['load'], '-s', $opt[$pool], '-f', PAGES . "/$page", '-c', (string) $conns, '-e', $expect];
    foreach ($how as $k => $v) {
        array_push($cmd, "-$k", (string) $v);
    }
    foreach (params($transport) as $k => $v) {
        array_push($cmd, '-p', "$k=$v");
    }
    if ($opt['fresh']) {
        $cmd[] = '-K';
    }
    $p = proc_open($cmd, [1 => ['pipe', 'w'], 2 => ['pipe', 'w']], $pipes);
    $out = stream_get_contents($pipes[1]);
    $err = stream_get_contents($pipes[2]);
    $rc = proc_close($p);
    if (!preg_match('/requests=(\d+) errors=(\d+) seconds=([\d.]+) rps=([\d.]+)/', (string) $out, $m) || $rc !== 0) {
        throw new RuntimeException("$page via the $pool pool ($transport): fcgi-load exit $rc: " . trim($out . "\n" . $err)
            . "\n(see " . $opt['dir'] . '/php-errors.log and fpm.log)');
    }
    return ['requests' => (int) $m[1], 'errors' => (int) $m[2], 'seconds' => (float) $m[3], 'rps' => (float) $m[4]];
}

/** What info.php says about the worker that answered (JSON). */
function worker_info(string $pool): array
{
    global $opt;
    $p = proc_open([$opt['load'], '-s', $opt[$pool], '-f', PAGES . '/info.php', '-c', '1', '-n', '1', '-o'],
        [1 => ['pipe', 'w'], 2 => ['pipe', 'w']], $pipes);
    $out = (string) stream_get_contents($pipes[1]);
    $err = (string) stream_get_contents($pipes[2]);
    $rc = proc_close($p);
    $info = json_decode(strtok($out, "\n"), true);
    if ($rc !== 0 || !is_array($info)) {
        throw new RuntimeException("info.php via the $pool pool: exit $rc: $out $err");
    }
    return $info;
}

/**
 * Processes whose CPU time a request costs: php-fpm's master and workers and
 * redis-server (not the load generator, which does the same for everyone).
 */
function server_pids(): array
{
    global $opt;
    $master = (int) @file_get_contents($opt['dir'] . '/fpm.pid');
    $redis = (int) @file_get_contents($opt['dir'] . '/redis.pid');
    $kids = $master ? preg_split('/\s+/', trim((string) @file_get_contents("/proc/$master/task/$master/children"))) : [];
    return array_values(array_filter(array_map('intval', array_merge([$master, $redis], $kids))));
}

/** Nanoseconds these processes have run on a CPU, user and kernel (/proc/PID/schedstat). */
function cpu_ns(array $pids): int
{
    $t = 0;
    foreach ($pids as $pid) {
        $t += (int) strtok((string) @file_get_contents("/proc/$pid/schedstat"), ' ');
    }
    return $t;
}

/** Redis commands by name since the last CONFIG RESETSTAT. */
function commandstats(Redis $r): array
{
    $out = [];
    foreach ($r->info('commandstats') as $k => $v) {
        if (preg_match('/^cmdstat_(\w+)$/', $k, $m) && preg_match('/calls=(\d+)/', (string) $v, $mm)) {
            $out[strtoupper($m[1])] = (int) $mm[1];
        }
    }
    unset($out['INFO'], $out['CONFIG']);
    // socket reads the server made: one per round trip of a client (a
    // pipeline arrives in one read), whichever client library it is; less
    // the read of this INFO itself
    $out[' reads'] = max(0, (int) ($r->info('stats')['total_reads_processed'] ?? 0) - 2);
    return $out;
}

// ------------------------------------------------------------------ phases

/** What the pages read, written by each contender's own client, then read back. */
function seed_phase(): int
{
    global $opt;
    require_once '/usr/share/php/Psr/SimpleCache/autoload.php';
    require_once '/usr/share/php/Symfony/Component/Cache/autoload.php';
    $keys = array_map(fn ($i) => "k$i", range(1, 20));
    $batch = [];
    foreach ($keys as $i => $k) {
        $batch[$k] = value($i + 1);
    }
    $ttl = 7200;

    $raw = redis_raw();
    $raw->flushAll();

    $wx = new WxRedis\Cache('redis://127.0.0.1:' . $opt['port'], ['prefix' => 'bench:']);
    $wx->setMultiple($batch, $ttl);
    // the component token as OpenPlatform stores it (EasyWeChat's key, this cache's format)
    $wx->set('open_platform.component_access_token.' . COMPONENT, token('wxredis'), 7100);
    // an authorized account as a refresh leaves it: refresh token (outside
    // the prefix), EasyWeChat's md5-named key and wxredis's current key
    $raw->set('wxredis:authorizer_refresh_token:' . COMPONENT . ':' . AUTHORIZER, serialize('refreshtoken@@@bench'));
    $wx->set('open-platform.authorizer_access_token.' . AUTHORIZER . '.' . md5('refreshtoken@@@bench'), token('authorizer'), 6700);
    $wx->set('wxredis.authorizer_access_token.' . COMPONENT . '.' . AUTHORIZER, token('authorizer'), 6700);

    $pr = new Redis();
    $pr->connect('127.0.0.1', (int) $opt['port']);
    $pr->setOption(Redis::OPT_SERIALIZER, Redis::SERIALIZER_PHP);
    $pr->setOption(Redis::OPT_PREFIX, 'bphp:');
    foreach ($batch as $k => $v) {
        $pr->setEx($k, $ttl, $v);
    }

    $sr = new Redis();
    $sr->connect('127.0.0.1', (int) $opt['port']);
    $sym = new Symfony\Component\Cache\Psr16Cache(new Symfony\Component\Cache\Adapter\RedisAdapter($sr, 'bsym', 0));
    $sym->setMultiple($batch, $ttl);
    // EasyWeChat's cache as its docs set it up: RedisAdapter($redis), no namespace
    $ew = new Symfony\Component\Cache\Psr16Cache(new Symfony\Component\Cache\Adapter\RedisAdapter($sr));
    $ew->set('open_platform.component_access_token.' . COMPONENT, token('easywechat'), 7100);

    $ok = $wx->get('k20') == $batch['k20'] && $pr->get('k20') == $batch['k20'] && $sym->get('k20') == $batch['k20']
        && $ew->get('open_platform.component_access_token.' . COMPONENT) === token('easywechat');
    if (!$ok) {
        fwrite(STDERR, "seed: a contender does not read back what it wrote\n");
        return 1;
    }
    printf("seeded: 20 keys x 3 clients (%d bytes serialized each), 2 component tokens; %d keys in Redis\n",
        strlen(serialize($batch['k1'])), $raw->dbSize());
    return 0;
}

/** One request per page through php-fpm, and what the workers run with. */
function check_phase(): int
{
    global $opt;
    $info = [];
    foreach (['ship', 'tuned'] as $pool) {
        $info[$pool] = worker_info($pool);
    }
    foreach (targets($opt['unix']) as $id => [$group, $who, $pool, $page, $tr]) {
        load($pool, $page, $tr, ['n' => 3], 1);
    }
    state('info', $info);
    printf("php-fpm %s, opcache %s (JIT %s), wxredis %s, phpredis %s (pooling %s; echo_check_liveness: ship pool %s, tuned pool %s), WxRedis\\Cache implements PSR-16: %s\n",
        $info['ship']['php'], $info['ship']['opcache'] ? 'on' : 'OFF', $info['ship']['jit'] ? 'on' : 'off',
        $info['ship']['wxredis'], $info['ship']['redis'], $info['ship']['pooling_enabled'],
        $info['ship']['echo_check_liveness'], $info['tuned']['echo_check_liveness'],
        $info['ship']['cache_implements_psr16'] ? 'yes' : 'no');
    echo "every page answered ok\n";
    return 0;
}

function rps_phase(): int
{
    global $opt;
    $targets = targets($opt['unix']);
    $ids = array_keys($targets);
    $raw = redis_raw();
    $res = [];   // id => ['rps' => [per round], 'commands' => [name => calls], 'requests' => n]

    // warm-up: opcache, every worker's persistent connections, CPU caches
    foreach ($targets as $id => [$group, $who, $pool, $page, $tr]) {
        load($pool, $page, $tr, ['t' => $opt['warmup']], $opt['conns']);
    }
    $pids = server_pids();
    if (count($pids) < 3 || cpu_ns($pids) === 0) {
        fwrite(STDERR, "rps: no CPU times of php-fpm and redis-server in /proc; CPU per request left out\n");
        $pids = [];
    }
    $load0 = (float) file_get_contents('/proc/loadavg');
    $t0 = microtime(true);
    for ($r = 0; $r < $opt['rounds']; $r++) {
        // rotate so that no contender always runs first (or right after the same one)
        $k = ($r * 3) % count($ids);
        $order = array_merge(array_slice($ids, $k), array_slice($ids, 0, $k));
        foreach ($order as $id) {
            [$group, $who, $pool, $page, $tr] = $targets[$id];
            $raw->rawCommand('CONFIG', 'RESETSTAT');
            $c0 = $pids ? cpu_ns($pids) : 0;
            $x = load($pool, $page, $tr, ['t' => $opt['seconds']], $opt['conns']);
            if ($pids) {
                $res[$id]['cpu'][$r] = (cpu_ns($pids) - $c0) / 1000 / max(1, $x['requests']);
            }
            $res[$id]['rps'][$r] = $x['rps'];
            $res[$id]['requests'] = ($res[$id]['requests'] ?? 0) + $x['requests'];
            foreach (commandstats($raw) as $c => $n) {
                $res[$id]['commands'][$c] = ($res[$id]['commands'][$c] ?? 0) + $n;
            }
        }
        fprintf(STDERR, "  round %d/%d done (%.0f s)\n", $r + 1, $opt['rounds'], microtime(true) - $t0);
    }
    state('rps', ['results' => $res, 'rounds' => $opt['rounds'], 'seconds' => $opt['seconds'],
        'conns' => $opt['conns'], 'fresh' => $opt['fresh'], 'elapsed' => microtime(true) - $t0,
        'load' => [$load0, (float) file_get_contents('/proc/loadavg')]]);
    return 0;
}

/**
 * Instructions per request. php-fpm runs with one worker per pool under
 *   valgrind --tool=callgrind --dump-before=zend_gc_get_status
 * and marker.php calls gc_status(), so every marker request makes the
 * worker write the counts collected since the previous dump. For each
 * page: --requests/5 warm-up requests, a marker, --requests requests, a
 * marker; the second dump holds those requests plus the tail of the first
 * marker request and the head of the second, i.e. one marker request in
 * all, which back-to-back markers measure (the calibration). So
 *   instructions per request = (dump - marker) / requests,
 * user space of the worker only (callgrind does not see the kernel), all of
 * it: FastCGI, request start-up and shutdown, the page, the client library.
 * The empty page's figure is printed too, and subtracted.
 */
function callgrind_phase(): int
{
    global $opt;
    $cg = $opt['cgdir'];
    $n = max(1, $opt['requests']);
    $targets = array_filter(targets(false), fn ($t) => true);
    $pids = [];
    $seen = [];   // pid => number of dumps consumed
    $dumpOf = function (string $pool) use (&$pids, &$seen, $cg): int {
        // the dump the marker just made: cg.<pid>.<k>, k counting up from 1
        $pid = $pids[$pool];
        $k = ++$seen[$pid];
        $f = "$cg/cg.$pid.$k";
        for ($i = 0; $i < 100 && !is_file($f); $i++) {
            usleep(50000);
        }
        if (!is_file($f) || !preg_match('/^summary:\s+(\d+)/m', (string) file_get_contents($f), $m)) {
            throw new RuntimeException("callgrind dump $f missing or without a summary line");
        }
        return (int) $m[1];
    };
    $marker = function (string $pool) use ($dumpOf): int {
        load($pool, 'marker.php', 'tcp', ['n' => 1], 1);
        return $dumpOf($pool);
    };
    // which worker is each pool's (one each)
    foreach (['ship', 'tuned'] as $pool) {
        $pids[$pool] = (int) worker_info($pool)['pid'];
        $seen[$pids[$pool]] = 0;
        $marker($pool);   // start counting from here
    }
    $res = [];
    // calibration: back-to-back markers, the median of 3
    foreach (['ship', 'tuned'] as $pool) {
        $ms = [];
        for ($i = 0; $i < 3; $i++) {
            $ms[] = $marker($pool);
        }
        $res['marker'][$pool] = median($ms);
    }
    foreach ($targets as $id => [$group, $who, $pool, $page, $tr]) {
        load($pool, $page, $tr, ['n' => max(5, intdiv($n, 5))], 1);
        $marker($pool);
        load($pool, $page, $tr, ['n' => $n], 1);
        $d = $marker($pool);
        $res['pages'][$id] = ($d - $res['marker'][$pool]) / $n;
        if ($opt['keep']) {
            @mkdir($opt['keep'], 0777, true);
            copy("$cg/cg.{$pids[$pool]}.{$seen[$pids[$pool]]}", $opt['keep'] . '/callgrind.' . str_replace('/', '.', $id));
        }
        fprintf(STDERR, "  %-20s %8.0f instructions/request\n", $id, $res['pages'][$id]);
    }
    // every dump was a marker's: nothing else in a request calls zend_gc_get_status
    foreach ($pids as $pool => $pid) {
        $k = count(glob("$cg/cg.$pid.*"));
        if ($k !== $seen[$pid]) {
            throw new RuntimeException("callgrind: the $pool worker wrote $k dumps for {$seen[$pid]} markers");
        }
    }
    $res['requests'] = $n;
    state('callgrind', $res);
    return 0;
}

function report_phase(): int
{
    global $opt;
    $info = state('info');
    $rps = state('rps');
    $cg = state('callgrind');
    $res = $rps['results'] ?? [];
    $ir = $cg['pages'] ?? [];
    $targets = targets(true);
    $R = $rps['rounds'] ?? 0;

    $redisVersion = redis_raw()->info('server')['redis_version'] ?? '?';
    printf("\nphp-fpm %s (%s), opcache %s, JIT %s | wxredis %s | phpredis %s | igbinary %s | redis-server %s | %d CPU\n",
        $info['ship']['php'] ?? '?', 'pm static, 4 workers per pool', !empty($info['ship']['opcache']) ? 'on' : 'OFF',
        !empty($info['ship']['jit']) ? 'on' : 'off', $info['ship']['wxredis'] ?? '?', $info['ship']['redis'] ?? '?',
        $info['ship']['igbinary'] ?? '-', $redisVersion, (int) trim((string) shell_exec('nproc 2>/dev/null')));
    if ($res) {
        printf("load: fcgi-load, %d FastCGI connections (%s), %d rounds x %.1f s per (page, contender), order rotated each round\n",
            $rps['conns'], $rps['fresh'] ? 'a new one per request' : 'kept: one per worker', $R, $rps['seconds']);
        echo "ratios: per round (blocks of one round ran next to each other), median (min-max) over rounds\n";
    }

    // ratio of a's rps to b's, per round
    $ratio = function (string $a, string $b) use ($res): ?array {
        if (!isset($res[$a]['rps'], $res[$b]['rps'])) {
            return null;
        }
        $rs = [];
        foreach ($res[$a]['rps'] as $r => $x) {
            $rs[] = $x / $res[$b]['rps'][$r];
        }
        return [median($rs), min($rs), max($rs)];
    };
    $fr = fn (?array $x) => $x === null ? '' : sprintf('%.2f (%.2f-%.2f)', ...$x);
    $cmds = function (string $id) use ($res): string {
        if (empty($res[$id]['commands']) || empty($res[$id]['requests'])) {
            return '-';
        }
        $parts = [];
        $c = $res[$id]['commands'];
        $reads = $c[' reads'] ?? 0;
        unset($c[' reads']);
        arsort($c);
        $rt = sprintf('%4.2f  ', $reads / $res[$id]['requests']);
        foreach ($c as $c => $n) {
            $per = $n / $res[$id]['requests'];
            if ($per >= 0.005) {
                $parts[] = sprintf('%s %.2f', $c, $per);
            }
        }
        return $rt . ($parts ? implode(', ', $parts) : 'none');
    };

    $hdr = sprintf("%-30s %8s %4s  %-17s %-17s %7s %9s %8s  %s", '', 'req/s', '±', 'vs phpredis ships', 'vs phpredis tuned',
        'CPU µs', 'instr/req', '-empty', 'RT/req  Redis commands/req');
    echo "\n", $hdr, "\n", str_repeat('-', strlen($hdr) + 6), "\n";
    $emptyIr = $ir['empty'] ?? null;
    foreach (GROUPS as $group => $title) {
        $ids = array_keys(array_filter($targets, fn ($t) => $t[0] === $group));
        $ids = array_filter($ids, fn ($id) => isset($res[$id]) || isset($ir[$id]));
        if (!$ids) {
            continue;
        }
        echo $title, "\n";
        foreach ($ids as $id) {
            [, $who] = $targets[$id];
            $vsShip = $vsTuned = null;
            if (in_array($group, ['get', 'mget', 'get-unix'], true)) {
                $vsShip = $who === 'phpredis' ? null : $ratio($id, "$group/phpredis");
                $vsTuned = $who === 'phpredis-tuned' ? null : $ratio($id, "$group/phpredis-tuned");
            }
            // (the token pages have no phpredis contender: see the summary)
            printf("  %-28s %8s %4s  %-17s %-17s %6s %9s %8s  %s\n",
                LABELS[$who],
                isset($res[$id]) ? number_format(median($res[$id]['rps']), 0, '.', ',') : '-',
                isset($res[$id]) ? sprintf('%.0f%%', spread($res[$id]['rps'])) : '',
                $fr($vsShip), $fr($vsTuned),
                isset($res[$id]['cpu']) ? sprintf('%.1f', median($res[$id]['cpu'])) : '-',
                isset($ir[$id]) ? sprintf('%.1fk', $ir[$id] / 1000) : '-',
                isset($ir[$id], $emptyIr) && $id !== 'empty' ? sprintf('%.1fk', ($ir[$id] - $emptyIr) / 1000) : '',
                $cmds($id));
        }
    }

    // the ratios the issue sets goals for, spelled out
    echo "\nsummary\n";
    $line = function (string $what, ?array $x) use ($fr) {
        if ($x !== null) {
            printf("  %-66s %s\n", $what, $fr($x));
        }
    };
    $line('get: wxredis / phpredis pconnect as shipped (goal >= 1.15)', $ratio('get/wxredis', 'get/phpredis'));
    $line('get: wxredis / phpredis pconnect without ECHO (goal >= 1.0)', $ratio('get/wxredis', 'get/phpredis-tuned'));
    $line('get: wxredis / Symfony over phpredis', $ratio('get/wxredis', 'get/symfony'));
    $line('getMultiple(20): wxredis / phpredis mGet, shipped', $ratio('mget/wxredis', 'mget/phpredis'));
    $line('getMultiple(20): wxredis / phpredis mGet, no ECHO (goal >= 1.0)', $ratio('mget/wxredis', 'mget/phpredis-tuned'));
    $line('getMultiple(20): wxredis / Symfony', $ratio('mget/wxredis', 'mget/symfony'));
    $line('component token: wxredis / EasyWeChat 6 path over Symfony', $ratio('token/wxredis', 'token/easywechat'));
    $line('component token / one get, both wxredis (rps of get / rps of token)', ($x = $ratio('get/wxredis', 'token/wxredis')) ? $x : null);
    $line('authorizer token / one get, both wxredis (rps of get / rps of token; goal <= 1.1)', $ratio('get/wxredis', 'atoken/wxredis'));
    $line('get over unix socket: wxredis / phpredis shipped', $ratio('get-unix/wxredis', 'get-unix/phpredis'));
    $line('get over unix socket: wxredis / phpredis no ECHO (goal >= 1.0)', $ratio('get-unix/wxredis', 'get-unix/phpredis-tuned'));
    // CPU per request: less sensitive to other load on the machine than req/s
    $cpu = function (string $what, string $a, string $b) use ($res) {
        if (isset($res[$a]['cpu'], $res[$b]['cpu'])) {
            $rs = [];
            foreach ($res[$a]['cpu'] as $r => $x) {
                $rs[] = $res[$b]['cpu'][$r] / $x;
            }
            printf("  %-66s %.2f (%.2f-%.2f)  [%.1f vs %.1f µs]\n", $what, median($rs), min($rs), max($rs),
                median($res[$a]['cpu']), median($res[$b]['cpu']));
        }
    };
    $cpu('CPU/request, get: phpredis shipped / wxredis (> 1: wxredis cheaper)', 'get/wxredis', 'get/phpredis');
    $cpu('CPU/request, get: phpredis no ECHO / wxredis', 'get/wxredis', 'get/phpredis-tuned');
    $cpu('CPU/request, getMultiple(20): phpredis shipped / wxredis', 'mget/wxredis', 'mget/phpredis');
    $cpu('CPU/request, getMultiple(20): phpredis no ECHO / wxredis', 'mget/wxredis', 'mget/phpredis-tuned');
    $cpu('CPU/request, token: EasyWeChat path / wxredis', 'token/wxredis', 'token/easywechat');
    $cpu('CPU/request, unix get: phpredis no ECHO / wxredis', 'get-unix/wxredis', 'get-unix/phpredis-tuned');
    if ($ir) {
        $irl = function (string $what, string $a, string $b) use ($ir, $emptyIr) {
            if (isset($ir[$a], $ir[$b])) {
                printf("  %-52s %.1fk vs %.1fk (%.2fx); without the empty page %.1fk vs %.1fk\n", $what,
                    $ir[$a] / 1000, $ir[$b] / 1000, $ir[$a] / $ir[$b], ($ir[$a] - $emptyIr) / 1000, ($ir[$b] - $emptyIr) / 1000);
            }
        };
        $irl('instr/request, get: wxredis vs phpredis no ECHO', 'get/wxredis', 'get/phpredis-tuned');
        $irl('instr/request, get: wxredis vs phpredis shipped', 'get/wxredis', 'get/phpredis');
        $irl('instr/request, getMultiple(20): wxredis vs phpredis', 'mget/wxredis', 'mget/phpredis-tuned');
        $irl('instr/request, token: wxredis vs EasyWeChat path', 'token/wxredis', 'token/easywechat');
        $irl('instr/request, authorizer token vs get, both wxredis', 'atoken/wxredis', 'get/wxredis');
        printf("  instructions: callgrind, user space of one php-fpm worker, %d requests per page, minus one marker request\n",
            $cg['requests']);
    }
    if ($res) {
        echo "  CPU µs: php-fpm (master + workers) and redis-server, user + kernel (/proc/PID/schedstat), per request, median of rounds\n";
        $nproc = (int) trim((string) shell_exec('nproc 2>/dev/null')) ?: 1;
        printf("\ntimed part: %.0f s; load average %.1f at the start, %.1f at the end (%d CPUs)%s\n", $rps['elapsed'],
            $rps['load'][0], $rps['load'][1], $nproc,
            max($rps['load']) > $nproc ? ': other work competed for the CPUs, req/s and CPU ratios are noisy (instructions are exact)' : '');
    }
    return 0;
}
