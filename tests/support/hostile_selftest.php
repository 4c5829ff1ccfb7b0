<?php
/*
 * Self-test of the hostile Redis (tests/support/hostile_redis.php): starts
 * it through hostile.inc and drives every behaviour with a raw socket
 * client written here, checking the exact bytes that come back.
 *
 *   php tests/support/hostile_selftest.php
 *
 * Prints TAP (ok N - ... / not ok N - ..., plan last); exit code 0 or 1.
 * Where time matters (delay, drip, trickle, hang) only lower bounds and
 * byte counts are asserted, never an upper bound on speed.
 */

declare(strict_types=1);

require __DIR__ . '/hostile.inc';

$tap = ['n' => 0, 'failed' => 0];

function ok(bool $cond, string $name, mixed $diag = null): bool
{
    global $tap;
    $tap['n']++;
    echo ($cond ? 'ok ' : 'not ok ') . $tap['n'] . " - $name\n";
    if (!$cond) {
        $tap['failed']++;
        if ($diag !== null) {
            $text = is_string($diag) ? $diag : var_export($diag, true);
            echo preg_replace('/^/m', '# ', addcslashes($text, "\0..\11\13..\37")), "\n";
        }
    }
    return $cond;
}

/** A raw client: one connection, bytes in, bytes out. */
final class Raw
{
    /** @var resource */
    public $s;

    public function __construct(array $h)
    {
        $s = stream_socket_client("tcp://{$h['addr']}", $errno, $errstr, 2);
        if ($s === false) {
            throw new RuntimeException("cannot connect: $errstr");
        }
        $this->s = $s;
    }

    public static function cmd(string ...$args): string
    {
        $out = '*' . count($args) . "\r\n";
        foreach ($args as $a) {
            $out .= '$' . strlen($a) . "\r\n$a\r\n";
        }
        return $out;
    }

    public function send(string ...$args): void
    {
        fwrite($this->s, self::cmd(...$args));
    }

    /** Everything that arrives until $want bytes are in, EOF, or $timeout seconds of silence. */
    public function read(int $want, float $timeout = 2.0): string
    {
        $buf = '';
        while (strlen($buf) < $want) {
            $r = [$this->s];
            $w = $e = null;
            if (@stream_select($r, $w, $e, (int) $timeout, (int) (($timeout - (int) $timeout) * 1e6)) < 1) {
                break;
            }
            $chunk = fread($this->s, $want - strlen($buf));
            if ($chunk === '' || $chunk === false) {
                break;
            }
            $buf .= $chunk;
        }
        return $buf;
    }

    /** Whatever arrives within the next $seconds (stops early at EOF). */
    public function readFor(float $seconds): string
    {
        $buf = '';
        $end = microtime(true) + $seconds;
        while (($left = $end - microtime(true)) > 0) {
            $r = [$this->s];
            $w = $e = null;
            if (@stream_select($r, $w, $e, (int) $left, (int) (($left - (int) $left) * 1e6)) < 1) {
                break;
            }
            $chunk = fread($this->s, 65536);
            if ($chunk === '' || $chunk === false) {
                break;
            }
            $buf .= $chunk;
        }
        return $buf;
    }

    private string $pending = '';

    /** The raw bytes of exactly one RESP reply ('' if none comes within 2 s). */
    public function reply(): string
    {
        $line = $this->line();
        if ($line === '') {
            return '';
        }
        $out = $line;
        $n = (int) substr($line, 1);
        if ($line[0] === '$' && $n >= 0) {
            $out .= $this->bytes($n + 2);
        } elseif ($line[0] === '*') {
            for ($i = 0; $i < $n; $i++) {
                $out .= $this->reply();
            }
        }
        return $out;
    }

    private function line(): string
    {
        while (!str_contains($this->pending, "\r\n")) {
            $more = $this->read(1, 2.0);
            if ($more === '') {
                return '';
            }
            $this->pending .= $more;
        }
        $i = strpos($this->pending, "\r\n") + 2;
        $line = substr($this->pending, 0, $i);
        $this->pending = substr($this->pending, $i);
        return $line;
    }

    private function bytes(int $n): string
    {
        while (strlen($this->pending) < $n) {
            $more = $this->read($n - strlen($this->pending), 2.0);
            if ($more === '') {
                break;
            }
            $this->pending .= $more;
        }
        $out = substr($this->pending, 0, $n);
        $this->pending = substr($this->pending, $n);
        return $out;
    }

    /** One command, its reply: exactly $len bytes when given, else one parsed RESP reply. */
    public function call(array $args, ?int $len = null): string
    {
        $this->send(...$args);
        return $len === null ? $this->reply() : $this->read($len);
    }

    /** 1 when the server closed the connection (EOF within $timeout). */
    public function closed(float $timeout = 2.0): bool
    {
        $r = [$this->s];
        $w = $e = null;
        if (@stream_select($r, $w, $e, (int) $timeout, (int) (($timeout - (int) $timeout) * 1e6)) < 1) {
            return false;
        }
        return fread($this->s, 1) === '' && feof($this->s);
    }

    public function close(): void
    {
        fclose($this->s);
    }
}

register_shutdown_function(function () {
    global $tap;
    if (empty($tap['done'])) {
        ok(false, 'the self-test died before its end');
        echo "1..{$tap['n']}\n";
    }
});

// ------------------------------------------------------------ start, handshake

$h = wx_hostile_start();
ok($h['port'] > 0 && $h['dsn'] === "redis://127.0.0.1:{$h['port']}" && is_file($h['log']),
    'wx_hostile_start: a free loopback port, a DSN, a log file', $h);
$c = new Raw($h);
ok($c->call(['PING'], 7) === "+PONG\r\n", 'PING: +PONG');
ok($c->call(['AUTH', 'anything']) === "-ERR AUTH <password> called without any password configured for the default "
    . "user. Are you sure your configuration is correct?\r\n", 'AUTH without a password configured: Redis\'s error');
ok($c->call(['SELECT', '3'], 5) === "+OK\r\n" && $c->call(['SELECT', '16']) === "-ERR DB index is out of range\r\n",
    'SELECT 3: +OK; SELECT 16: out of range');
ok($c->call(['CLIENT', 'SETNAME', 'wx']) === "+OK\r\n" && $c->call(['CLIENT', 'GETNAME']) === "\$2\r\nwx\r\n"
    && $c->call(['CLIENT', 'SETINFO', 'lib-name', 'x']) === "+OK\r\n" && preg_match('/^:\d+\r\n$/', $c->call(['CLIENT', 'ID'])),
    'CLIENT SETNAME/GETNAME/SETINFO/ID');
$hello = $c->call(['HELLO', '2']);
ok(str_starts_with($hello, "*14\r\n\$6\r\nserver\r\n\$5\r\nredis\r\n") && $c->call(['HELLO', '3']) ===
    "-NOPROTO sorry, this protocol version is not supported\r\n", 'HELLO 2: the RESP2 map as an array; HELLO 3: NOPROTO', $hello);
ok($c->call(['ECHO', "a\0b"]) === "\$3\r\na\0b\r\n" && str_contains($c->call(['INFO']), 'redis_version:7.0.0'),
    'ECHO (binary), INFO');
ok($c->call(['NOSUCH', 'x']) === "-ERR unknown command 'NOSUCH', with args beginning with: \r\n", 'unknown command: Redis\'s error');
fwrite($c->s, "PING\r\n");
ok($c->read(7) === "+PONG\r\n", 'inline commands');
fwrite($c->s, Raw::cmd('SET', 'a', '1') . Raw::cmd('GET', 'a') . Raw::cmd('DEL', 'a'));
ok($c->read(16) === "+OK\r\n\$1\r\n1\r\n:1\r\n", 'pipelined commands answered in order');
ok($c->call(['QUIT'], 5) === "+OK\r\n" && $c->closed(), 'QUIT: +OK, then the server closes');

// ------------------------------------------------------------ the default store

$c = new Raw($h);
$r = $c->call(['SET', 'k', "v\xff"]) . $c->call(['GET', 'k']) . $c->call(['EXISTS', 'k', 'nope'])
    . $c->call(['SET', 'k', 'x', 'NX']) . $c->call(['SET', 'n', '1', 'XX']) . $c->call(['MGET', 'k', 'nope']);
ok($r === "+OK\r\n\$2\r\nv\xff\r\n:1\r\n\$-1\r\n\$-1\r\n*2\r\n\$2\r\nv\xff\r\n\$-1\r\n", 'SET, GET, EXISTS, SET NX/XX, MGET', $r);
$r = $c->call(['SET', 't', '1', 'EX', '100'], 5) . $c->call(['TTL', 't'], 6) . $c->call(['PTTL', 'k'], 5)
    . $c->call(['SET', 't', '1', 'EX', '0']) . $c->call(['SET', 'p', '1', 'PX', '50'], 5);
usleep(120000);
$r .= $c->call(['GET', 'p'], 5) . $c->call(['TTL', 'p'], 5);
ok($r === "+OK\r\n:100\r\n:-1\r\n-ERR invalid expire time in 'set' command\r\n+OK\r\n\$-1\r\n:-2\r\n",
    'TTLs: EX, PX expiring, TTL/PTTL, invalid expire time as Redis says it', $r);
$c->call(['SET', 'pre:1', 'a'], 5);
$c->call(['SET', 'pre:2', 'b'], 5);
$scan = $c->call(['SCAN', '0', 'MATCH', 'pre:*', 'COUNT', '10']);
ok(str_starts_with($scan, "*2\r\n\$1\r\n0\r\n*2\r\n") && str_contains($scan, 'pre:1') && str_contains($scan, 'pre:2')
    && !str_contains($scan, "\r\nk\r\n"), 'SCAN MATCH: one page, cursor 0', $scan);
ok($c->call(['DBSIZE']) === ":4\r\n" && $c->call(['UNLINK', 'pre:1', 'pre:2', 'x']) === ":2\r\n"
    && $c->call(['SELECT', '1'], 5) === "+OK\r\n" && $c->call(['GET', 'k'], 5) === "\$-1\r\n" && $c->call(['DBSIZE']) === ":0\r\n",
    'DBSIZE, UNLINK; databases are separate');
$r = $c->call(['MULTI'], 5) . $c->call(['SET', 'm', '1'], 9) . $c->call(['GET', 'm'], 9) . $c->call(['EXEC']);
ok($r === "+OK\r\n+QUEUED\r\n+QUEUED\r\n*2\r\n+OK\r\n\$1\r\n1\r\n", 'MULTI / QUEUED / EXEC', $r);
ok($c->call(['EXEC']) === "-ERR EXEC without MULTI\r\n" && $c->call(['FLUSHALL']) === "+OK\r\n", 'EXEC without MULTI; FLUSHALL');
$c->close();

// ------------------------------------------------------------ scripted replies

wx_hostile_reset($h);
wx_hostile_script($h, [
    'GET' => [['value' => ['+' => 'OK']], ['value' => 42], ['value' => ['a', 'b']], ['value' => ['+' => 'QUEUED']]],
    'SET' => ['reply' => "\$3\r\nabc\r\n"],
    'EXISTS' => ['value' => ['-' => 'READONLY You can\'t write against a read only replica.']],
]);
$c = new Raw($h);
$r = [$c->call(['GET', 'k'], 5), $c->call(['GET', 'k'], 5), $c->call(['GET', 'k'], 18), $c->call(['GET', 'k'], 9),
      $c->call(['GET', 'k'], 5)];
ok($r === ["+OK\r\n", ":42\r\n", "*2\r\n\$1\r\na\r\n\$1\r\nb\r\n", "+QUEUED\r\n", "\$-1\r\n"],
    'GET per call: +OK, :42, an array, +QUEUED, then the default (nil)', $r);
ok($c->call(['SET', 'k', 'v'], 9) === "\$3\r\nabc\r\n" && $c->call(['SET', 'k', 'v'], 9) === "\$3\r\nabc\r\n",
    'SET every call: a bulk reply instead of +OK (raw bytes)');
ok($c->call(['EXISTS', 'k']) === "-READONLY You can't write against a read only replica.\r\n", 'an error reply');
$c->close();
$log = wx_hostile_log($h);
$gets = array_values(array_filter($log, fn($e) => ($e['cmd'][0] ?? '') === 'GET'));
ok(count($gets) === 5 && $gets[0]['rule'] === 'GET #1' && $gets[3]['rule'] === 'GET #4'
    && $gets[4]['rule'] === 'GET (#5: default)', 'the log names the rule each command met', $gets);
ok(wx_hostile_commands($h, 'set') === [['SET', 'k', 'v'], ['SET', 'k', 'v']], 'wx_hostile_commands: by name, any case');

wx_hostile_script($h, ['#2' => ['value' => ['-' => 'OOM command not allowed when used memory > \'maxmemory\'.']],
    'CLIENT SETNAME' => ['value' => ['-' => 'NOPERM no permission']], '*' => ['value' => 'star']]);
$c = new Raw($h);
$r = [$c->call(['PING']), $c->call(['PING']), $c->call(['CLIENT', 'SETNAME', 'x']), $c->call(['CLIENT', 'ID'])];
ok($r === ["\$4\r\nstar\r\n", "-OOM command not allowed when used memory > 'maxmemory'.\r\n", "-NOPERM no permission\r\n",
    "\$4\r\nstar\r\n"], "'#2' takes the second command; 'CLIENT SETNAME' a subcommand; '*' the rest", $r);
$c->close();

// ------------------------------------------------------------ endless SCAN, stray replies

wx_hostile_script($h, ['SCAN' => ['value' => ['17', ['k1', 'k2']]]]);
$c = new Raw($h);
$cursor = '0';
for ($i = 0; $i < 100; $i++) {
    $r = $c->call(['SCAN', $cursor, 'MATCH', '*'], 32);
    if (!preg_match('/^\*2\r\n\$\d+\r\n(\d+)\r\n/', $r, $m)) {
        break;
    }
    $cursor = $m[1];
}
ok($i === 100 && $cursor === '17', 'an endless SCAN: 100 pages, the cursor never comes back to 0');
$c->close();

wx_hostile_script($h, ['GET' => ['reply' => "\$1\r\na\r\n+STRAY\r\n:7\r\n"]]);
$c = new Raw($h);
ok($c->call(['GET', 'k'], 7) === "\$1\r\na\r\n" && $c->read(12, 1) === "+STRAY\r\n:7\r\n", 'stray replies after the real one');
$c->close();

// ------------------------------------------------------------ closing, hanging

wx_hostile_script($h, ['GET' => [['close' => true], ['value' => 'v', 'close' => true]]]);
$c = new Raw($h);
$c->send('GET', 'k');
ok($c->closed(), 'close: the connection closed without a reply');
$c = new Raw($h);
ok($c->call(['GET', 'k'], 7) === "\$1\r\nv\r\n" && $c->closed(), 'close after a reply');
// the server logs a close after it happened: give a loaded machine time
$byServer = 0;
for ($t = 0; $t < 50 && $byServer < 2; $t++, usleep(100000)) {
    $conns = wx_hostile_connections($h);
    $byServer = count(array_filter($conns, fn($x) => $x['closed_by'] === 'server'));
}
ok($byServer === 2, 'the log says the server closed them', $conns);

wx_hostile_script($h, ['GET' => ['hang' => true]]);
$c = new Raw($h);
$c->send('GET', 'k');
$c->send('PING');
$t0 = microtime(true);
$got = $c->read(1, 0.6);
ok($got === '' && microtime(true) - $t0 >= 0.59 && !$c->closed(0.01), 'hang: no answer, and none to later commands; still open');
$other = new Raw($h);
ok($other->call(['PING'], 7) === "+PONG\r\n", '  meanwhile another connection is answered');
$other->close();
$c->close();
$after = array_values(array_filter(wx_hostile_log($h), fn($e) => ($e['rule'] ?? '') === 'after-hang'));
ok(count($after) === 1 && $after[0]['cmd'] === ['PING'], '  the command after the hang is logged as such');

// ------------------------------------------------------------ slow replies

wx_hostile_script($h, ['GET' => ['value' => ['+' => 'OK'], 'delay' => 0.3]]);
$c = new Raw($h);
$t0 = microtime(true);
ok($c->call(['GET', 'k'], 5) === "+OK\r\n" && microtime(true) - $t0 >= 0.29, 'delay: the reply comes no sooner than asked');
$c->close();

wx_hostile_script($h, ['GET' => ['value' => 'abc', 'drip' => 0.05]]);
$c = new Raw($h);
$c->send('GET', 'k');
$t0 = microtime(true);
$pieces = [];
while (count($pieces) < 9 && ($p = $c->read(1, 1.0)) !== '') {
    $pieces[] = $p;
}
ok(implode('', $pieces) === "\$3\r\nabc\r\n" && count($pieces) === 9 && $c->read(1, 0.2) === ''
    && microtime(true) - $t0 >= 0.39,
    'drip: 9 bytes, one at a time, 0.05 s apart (at least 0.4 s in all)', $pieces);
$c->close();

wx_hostile_script($h, ['GET' => ['reply' => "\$999999999999\r\n", 'trickle' => ['bytes' => 'xxxx', 'every' => 0.05, 'count' => -1]]]);
$c = new Raw($h);
ok($c->call(['GET', 'k'], 15) === "\$999999999999\r\n", 'a huge header ($999999999999)');
$p = $c->readFor(0.5);
$n = strlen($p);
ok($n >= 4 && $n % 4 === 0 && $n <= 4 * 11 && trim($p, 'x') === '' && !$c->closed(0.01),
    "  followed by a trickle: $n bytes of x in 0.5 s (4 every 0.05 s), connection open", $p);
$c->close();

wx_hostile_script($h, ['GET' => ['value' => 'v', 'trickle' => ['+OK', 0, 3]]]);
$c = new Raw($h);
ok($c->call(['GET', 'k'], 7) === "\$1\r\nv\r\n" && $c->read(9, 1) === '+OK+OK+OK' && $c->read(1, 0.2) === '',
    'trickle with a count: exactly 3 more pieces');
$c->close();

// ------------------------------------------------------------ password, binary log, reset, stop

wx_hostile_script($h, [], ['password' => 's3cret']);
$c = new Raw($h);
ok($c->call(['GET', 'k']) === "-NOAUTH Authentication required.\r\n"
    && $c->call(['AUTH', 'nope']) === "-WRONGPASS invalid username-password pair or user is disabled.\r\n"
    && $c->call(['AUTH', 's3cret'], 5) === "+OK\r\n" && $c->call(['GET', 'k'], 5) === "\$-1\r\n",
    'password: NOAUTH, WRONGPASS, then AUTH opens the connection');
$c->close();
wx_hostile_script($h, [], ['password' => 'p', 'username' => 'wx']);
$c = new Raw($h);
ok($c->call(['AUTH', 'default', 'p']) === "-WRONGPASS invalid username-password pair or user is disabled.\r\n"
    && $c->call(['AUTH', 'wx', 'p'], 5) === "+OK\r\n", 'ACL user: AUTH username password');
$c->close();
wx_hostile_script($h, [], []);

$c = new Raw($h);
$c->call(['SET', "bin\xff\x00key", "\x00\x01\xfe"], 5);
$c->close();
$last = array_values(array_filter(wx_hostile_log($h), fn($e) => isset($e['cmd'])));
ok(end($last)['cmd'] === ['SET', "bin\xff\x00key", "\x00\x01\xfe"], 'the log keeps binary arguments byte for byte');

wx_hostile_reset($h);
ok(wx_hostile_log($h) === [] && (new Raw($h))->call(['DBSIZE']) === ":0\r\n", 'reset: an empty log and store');

$pid = $h['pid'];
wx_hostile_stop($h);
ok(!file_exists("/proc/$pid") || !preg_match('/\)\s+[RSD]/', (string) @file_get_contents("/proc/$pid/stat"))
    && @stream_socket_client("tcp://{$h['addr']}", $errno, $errstr, 0.5) === false && !file_exists($h['log']),
    'stop: the process is gone, the port refuses, the log is removed');

$h2 = wx_hostile_start([], ['lifetime' => 0.5]);
usleep(1500000);
ok(@stream_socket_client("tcp://{$h2['addr']}", $errno, $errstr, 0.5) === false, 'lifetime: it stops by itself');
wx_hostile_stop();

$tap['done'] = true;
echo "1..{$tap['n']}\n";
exit($tap['failed'] ? 1 : 0);
