<?php
/*
 * One contender, one operation, N calls: run under callgrind by
 * bench/run-cg-cache, which takes the difference of two N to get the
 * instructions per call (start-up, connect and set-up cancel out).
 *   php -d extension=wxredis.so bench/cg-cache.php CONTENDER OP VALUE N PORT [SOCKET]
 * CONTENDER: wxredis | phpredis (| wxredis/unix | phpredis/unix with SOCKET)
 * OP: get | set | has | getMultiple | deleteMultiple | setMultiple
 * VALUE: string (a 40-byte string) | token (227 bytes) | 2k (an array of 2.1 KB)
 */
[, $who, $op, $kind, $n, $port] = $argv + [5 => 0];
$sock = $argv[6] ?? null;
$n = (int) $n;
mt_srand(42);
$s = fn (int $len) => substr(str_repeat(md5((string) mt_rand()), intdiv($len, 32) + 1), 0, $len);
$value = match ($kind) {
    'string' => $s(40),
    'token' => ['access_token' => $s(136), 'expires_in' => 7200, 'created_at' => 1700000000],
    '2k' => array_map(fn ($i) => ['id' => $i, 'name' => $s(24), 'score' => $i / 7, 'tags' => ['a', 'b']], range(1, 15)),
};
$keys = array_map(fn ($i) => "k$i", range(1, 20));
$batch = array_fill_keys($keys, $value);
$unix = str_ends_with($who, '/unix');
if (str_starts_with($who, 'wxredis')) {
    $c = new WxRedis\Cache($unix ? "unix://$sock" : "redis://127.0.0.1:$port", ['prefix' => 'cg:']);
    $c->setMultiple($batch, 7200);
    $run = match ($op) {
        'get' => function ($n) use ($c) { for ($i = 0; $i < $n; $i++) { $c->get('k1'); } },
        'set' => function ($n) use ($c, $value) { for ($i = 0; $i < $n; $i++) { $c->set('k1', $value, 7200); } },
        'has' => function ($n) use ($c) { for ($i = 0; $i < $n; $i++) { $c->has('k1'); } },
        'getMultiple' => function ($n) use ($c, $keys) { for ($i = 0; $i < $n; $i++) { foreach ($c->getMultiple($keys) as $k => $v) {} } },
        'deleteMultiple' => function ($n) use ($c, $keys) { for ($i = 0; $i < $n; $i++) { $c->deleteMultiple($keys); } },
        'setMultiple' => function ($n) use ($c, $batch) { for ($i = 0; $i < $n; $i++) { $c->setMultiple($batch, 7200); } },
    };
} else {
    $r = new Redis();
    $unix ? $r->connect($sock) : $r->connect('127.0.0.1', (int) $port);
    $r->setOption(Redis::OPT_SERIALIZER, Redis::SERIALIZER_PHP);
    $r->setOption(Redis::OPT_PREFIX, 'cgp:');
    foreach ($batch as $k => $v) { $r->setEx($k, 7200, $v); }
    $run = match ($op) {
        'get' => function ($n) use ($r) { for ($i = 0; $i < $n; $i++) { $r->get('k1'); } },
        'set' => function ($n) use ($r, $value) { for ($i = 0; $i < $n; $i++) { $r->setEx('k1', 7200, $value); } },
        'has' => function ($n) use ($r) { for ($i = 0; $i < $n; $i++) { $r->exists('k1'); } },
        'getMultiple' => function ($n) use ($r, $keys) { for ($i = 0; $i < $n; $i++) { foreach ($r->mGet($keys) as $k => $v) {} } },
        'deleteMultiple' => function ($n) use ($r, $keys) { for ($i = 0; $i < $n; $i++) { $r->del($keys); } },
        'setMultiple' => function ($n) use ($r, $batch) {
            for ($i = 0; $i < $n; $i++) {
                $r->multi(Redis::PIPELINE);
                foreach ($batch as $k => $v) { $r->setEx($k, 7200, $v); }
                $r->exec();
            }
        },
    };
}
$run(3);   // warm: first-call paths
$run($n);
