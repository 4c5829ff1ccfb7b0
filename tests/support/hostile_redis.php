<?php
/*
 * A scriptable fake Redis for the tests: it answers what a test tells it
 * to (wrong reply types, huge headers, dripping bytes, endless SCAN
 * cursors, stray replies, closed connections, hangs) and otherwise behaves
 * like a small Redis (handshake, strings, SCAN, MULTI/EXEC), so a client
 * can be led into exactly the failure under test. It logs every command.
 *
 *   php -n tests/support/hostile_redis.php SCRIPT_FILE LOG_FILE [LIFETIME]
 *
 * SCRIPT_FILE holds base64(serialize(['script' => [...], 'options' =>
 * [...]])) (binary-safe; written by hostile.inc). It binds 127.0.0.1 on a
 * free port (and a second one for control commands), prints
 * "READY 127.0.0.1:PORT 127.0.0.1:CONTROL_PORT" on stdout, and serves until
 * killed or LIFETIME seconds (default 600) have passed, so a test that
 * dies cannot leave it running for long. One process, any number of
 * connections (stream_select), so a hang on one connection leaves the
 * others answering. Plain PHP 8.2, no extension beyond the core.
 *
 * Script (see tests/support/README.md):
 *   ['GET' => ACTION]                 every GET
 *   ['SET' => [ACTION, ACTION, ...]]  the 1st, 2nd, ... SET; later ones get the default
 *   ['CLIENT SETNAME' => ACTION]      a command and its first argument
 *   ['#3' => ACTION]                  the 3rd command the server receives
 *   ['*' => ACTION]                   any command no other rule takes
 * ACTION keys: value (a PHP value sent as RESP), reply (raw bytes), delay
 * (seconds before replying), drip (seconds between chunks), chunk (bytes
 * per chunk, default 1), trickle ([bytes, every, count] sent after the
 * reply; count -1 = forever), close (close after the reply), hang (never
 * answer this or any later command on the connection), pass (the default
 * answer; with delay/drip/close it applies to that).
 * Control commands, on the control port only (never logged or counted):
 * HOSTILE.PING, HOSTILE.SCRIPT <serialized script>, HOSTILE.RESET.
 */

declare(strict_types=1);

final class HostileRedis
{
    /** @var resource */
    private $server;
    /** @var resource a second port for HOSTILE.* control commands, so the
     *  helpers never show up in the log or the connection count */
    private $controlServer;
    /** @var array<int, array> per connection: sock, in, out (queue), hung, closing, db, authed, multi */
    private array $clients = [];
    private int $nextConn = 1;
    private array $script = [];
    private array $options = [];
    /** @var array<string, int> calls per rule key since the script was set */
    private array $counts = [];
    private int $calls = 0;           /* commands since the script was set */
    private int $seq = 0;             /* every command ever, for the log */
    /** @var array<int, array<string, array{0:string,1:?float}>> db => key => [value, expires_at] */
    private array $data = [];
    /** @var resource */
    private $log;

    public function __construct(private string $logPath, array $setup)
    {
        $this->setScript($setup['script'] ?? [], $setup['options'] ?? []);
        $this->log = fopen($logPath, 'a');
        $this->server = stream_socket_server('tcp://127.0.0.1:0', $errno, $errstr);
        $this->controlServer = stream_socket_server('tcp://127.0.0.1:0', $errno2, $errstr2);
        if ($this->server === false || $this->controlServer === false) {
            fwrite(STDERR, "hostile_redis: cannot listen: $errstr$errstr2\n");
            exit(1);
        }
        stream_set_blocking($this->server, false);
        stream_set_blocking($this->controlServer, false);
    }

    public function address(): string
    {
        return stream_socket_get_name($this->server, false);
    }

    public function controlAddress(): string
    {
        return stream_socket_get_name($this->controlServer, false);
    }

    private function setScript(array $script, ?array $options = null): void
    {
        foreach ($script as $key => $rule) {
            if (!is_array($rule)) {
                throw new InvalidArgumentException("hostile_redis: rule $key must be an array");
            }
        }
        $this->script = array_change_key_case($script, CASE_UPPER);
        if ($options !== null) {
            $this->options = $options;
        }
        $this->counts = [];
        $this->calls = 0;
    }

    // ------------------------------------------------------------- loop

    public function run(float $lifetime): void
    {
        $deadline = microtime(true) + $lifetime;
        while (microtime(true) < $deadline) {
            $read = [$this->server, $this->controlServer];
            $write = [];
            $now = microtime(true);
            $wake = $deadline;
            foreach ($this->clients as $id => $c) {
                $read[] = $c['sock'];
                if ($c['out']) {
                    $at = $c['out'][0]['at'];
                    if ($at <= $now) {
                        $write[] = $c['sock'];
                    } else {
                        $wake = min($wake, $at);
                    }
                }
            }
            $wait = max(0.0, min($wake - $now, 1.0));
            $except = null;
            $n = @stream_select($read, $write, $except, (int) $wait, (int) (($wait - (int) $wait) * 1e6));
            if ($n === false) {
                continue;                       /* EINTR */
            }
            foreach ($read as $s) {
                if ($s === $this->server || $s === $this->controlServer) {
                    $this->accept($s === $this->controlServer);
                } else {
                    $this->readFrom($this->idOf($s));
                }
            }
            foreach ($write as $s) {
                $id = $this->idOf($s);
                if ($id !== null) {
                    $this->flush($id);
                }
            }
        }
    }

    /** @var array<int, int> socket resource id => connection id */
    private array $bySocket = [];

    private function idOf($sock): ?int
    {
        return $this->bySocket[(int) $sock] ?? null;
    }

    private function accept(bool $control): void
    {
        $s = @stream_socket_accept($control ? $this->controlServer : $this->server, 0);
        if ($s === false) {
            return;
        }
        stream_set_blocking($s, false);
        /* data connections are numbered 1, 2, ... as the log shows them;
         * control ones count down from -1 */
        static $nextControl = -1;
        $id = $control ? $nextControl-- : $this->nextConn++;
        $this->bySocket[(int) $s] = $id;
        $this->clients[$id] = ['sock' => $s, 'in' => '', 'out' => [], 'hung' => false, 'closing' => false,
            'db' => 0, 'authed' => !isset($this->options['password']), 'multi' => null, 'name' => null,
            'control' => $control];
        if (!$control) {
            $this->logLine(['event' => 'connect', 'conn' => $id]);
        }
    }

    private function drop(int $id, string $by): void
    {
        if (!isset($this->clients[$id])) {
            return;
        }
        $control = $this->clients[$id]['control'];
        unset($this->bySocket[(int) $this->clients[$id]['sock']]);
        @fclose($this->clients[$id]['sock']);
        unset($this->clients[$id]);
        if (!$control) {
            $this->logLine(['event' => 'close', 'conn' => $id, 'by' => $by]);
        }
    }

    private function readFrom(?int $id): void
    {
        if ($id === null) {
            return;
        }
        $chunk = @fread($this->clients[$id]['sock'], 65536);
        if ($chunk === false || ($chunk === '' && feof($this->clients[$id]['sock']))) {
            $this->drop($id, 'client');
            return;
        }
        $this->clients[$id]['in'] .= $chunk;
        if (strlen($this->clients[$id]['in']) > (64 << 20)) {
            $this->drop($id, 'server');          /* a client gone mad: not what tests do */
            return;
        }
        while (isset($this->clients[$id]) && ($args = $this->parse($this->clients[$id]['in'])) !== null) {
            $this->command($id, $args);
        }
    }

    /** One command off the front of $buf (RESP array of bulk strings, or an inline line); null if incomplete. */
    private function parse(string &$buf): ?array
    {
        if ($buf === '') {
            return null;
        }
        while ($buf !== '' && $buf[0] !== '*') {
            /* an inline command, as redis-cli and telnet send them */
            $eol = strpos($buf, "\n");
            if ($eol === false) {
                return null;
            }
            $line = rtrim(substr($buf, 0, $eol), "\r");
            $buf = (string) substr($buf, $eol + 1);
            $args = preg_split('/[ \t]+/', trim($line), -1, PREG_SPLIT_NO_EMPTY);
            if ($args) {
                return $args;
            }
        }
        if ($buf === '') {
            return null;
        }
        $pos = 0;
        $eol = strpos($buf, "\r\n", $pos);
        if ($eol === false) {
            return null;
        }
        $n = (int) substr($buf, 1, $eol - 1);
        $pos = $eol + 2;
        $args = [];
        for ($i = 0; $i < $n; $i++) {
            $eol = strpos($buf, "\r\n", $pos);
            if ($eol === false) {
                return null;
            }
            if (!isset($buf[$pos]) || $buf[$pos] !== '$') {
                $buf = '';                       /* not RESP: forget it */
                return null;
            }
            $len = (int) substr($buf, $pos + 1, $eol - $pos - 1);
            $pos = $eol + 2;
            if (strlen($buf) < $pos + $len + 2) {
                return null;
            }
            $args[] = substr($buf, $pos, $len);
            $pos += $len + 2;
        }
        $buf = (string) substr($buf, $pos);
        return $args;
    }

    // ---------------------------------------------------------- commands

    private function command(int $id, array $args): void
    {
        $name = strtoupper((string) ($args[0] ?? ''));
        if ($this->clients[$id]['control']) {
            $this->control($id, $name, $args);
            return;
        }
        $this->seq++;
        $this->calls++;
        $c = &$this->clients[$id];
        if ($c['hung'] || $c['closing']) {
            $this->logLine(['n' => $this->seq, 'conn' => $id, 'cmd' => $args, 'rule' => 'after-hang']);
            return;
        }
        [$rule, $action] = $this->match($name, $args);
        $this->logLine(['n' => $this->seq, 'conn' => $id, 'cmd' => $args, 'rule' => $rule]);
        if ($action === null || !empty($action['pass'])) {
            $bytes = $this->answer($id, $args);
        } elseif (array_key_exists('value', $action)) {
            $bytes = self::resp($action['value']);
        } else {
            $bytes = (string) ($action['reply'] ?? '');
        }
        $action ??= [];
        if (!empty($action['hang'])) {
            $c['hung'] = true;
            return;
        }
        $this->schedule($id, $bytes, $action);
    }

    /** The rule for this command: [rule name for the log, action or null]. */
    private function match(string $name, array $args): array
    {
        $keys = ['#' . $this->calls];
        if (isset($args[1])) {
            $keys[] = $name . ' ' . strtoupper((string) $args[1]);
        }
        $keys[] = $name;
        $keys[] = '*';
        foreach ($keys as $key) {
            if (!isset($this->script[$key])) {
                continue;
            }
            $rule = $this->script[$key];
            $n = $this->counts[$key] = ($this->counts[$key] ?? 0) + 1;
            if (array_is_list($rule)) {
                if ($n > count($rule)) {
                    return ["$key (#$n: default)", null];
                }
                return ["$key #$n", $rule[$n - 1]];
            }
            return [$key, $rule];
        }
        return ['default', null];
    }

    /** Queue bytes for a connection as the action says (delay, drip, trickle, close). */
    private function schedule(int $id, string $bytes, array $action): void
    {
        $c = &$this->clients[$id];
        $last = $c['out'] ? end($c['out'])['at'] : 0.0;
        $at = max(microtime(true) + (float) ($action['delay'] ?? 0), $last);
        if (isset($action['drip']) && $bytes !== '') {
            $size = max(1, (int) ($action['chunk'] ?? 1));
            foreach (str_split($bytes, $size) as $i => $piece) {
                $c['out'][] = ['at' => $at + $i * (float) $action['drip'], 'bytes' => $piece];
            }
            $at += (strlen($bytes) / $size - 1) * (float) $action['drip'];
        } elseif ($bytes !== '') {
            $c['out'][] = ['at' => $at, 'bytes' => $bytes];
        }
        if (isset($action['trickle'])) {
            /* [bytes, every, count] or ['bytes' =>, 'every' =>, 'count' =>]; count < 0: forever */
            $t = $action['trickle'];
            $piece = (string) ($t['bytes'] ?? $t[0] ?? 'x');
            $every = max(0.0, (float) ($t['every'] ?? $t[1] ?? 0.1));
            $count = (int) ($t['count'] ?? $t[2] ?? -1);
            if ($count !== 0 && $piece !== '') {
                $at += $every;
                $c['out'][] = ['at' => $at, 'bytes' => $piece, 'full' => $piece,
                    'repeat' => ['every' => $every, 'left' => $count < 0 ? -1 : $count - 1]];
            }
        }
        if (!empty($action['close'])) {
            $c['out'][] = ['at' => $at, 'bytes' => '', 'close' => true];
            $c['closing'] = true;
        }
    }

    private function flush(int $id): void
    {
        while (isset($this->clients[$id]) && $this->clients[$id]['out']) {
            $c = &$this->clients[$id];
            $head = &$c['out'][0];
            if ($head['at'] > microtime(true)) {
                return;
            }
            if (!empty($head['close'])) {
                $this->drop($id, 'server');
                return;
            }
            if ($head['bytes'] !== '') {
                $w = @fwrite($c['sock'], $head['bytes']);
                if ($w === false) {
                    $this->drop($id, 'client');
                    return;
                }
                if ($w < strlen($head['bytes'])) {
                    $head['bytes'] = substr($head['bytes'], $w);
                    return;                     /* the socket is full: wait until writable */
                }
            }
            if (isset($head['repeat']) && $head['repeat']['left'] !== 0) {
                /* a trickle: the same bytes again later, until its count is spent */
                $head['at'] = microtime(true) + $head['repeat']['every'];
                if ($head['repeat']['left'] > 0) {
                    $head['repeat']['left']--;
                }
                $head['bytes'] = $head['full'];
                if ($head['repeat']['every'] > 0) {
                    return;
                }
                continue;
            }
            unset($head);
            array_shift($c['out']);
        }
    }

    private function control(int $id, string $name, array $args): void
    {
        $reply = '+OK';
        switch ($name) {
            case 'HOSTILE.PING':
                $reply = '+PONG';
                break;
            case 'HOSTILE.SCRIPT':
                $setup = @unserialize((string) ($args[1] ?? ''), ['allowed_classes' => false]);
                if (!is_array($setup)) {
                    $reply = '-ERR HOSTILE.SCRIPT needs a serialized array';
                    break;
                }
                try {
                    $this->setScript($setup['script'] ?? [], $setup['options'] ?? null);
                } catch (InvalidArgumentException $e) {
                    $reply = '-ERR ' . $e->getMessage();
                    break;
                }
                $this->logLine(['event' => 'script']);
                break;
            case 'HOSTILE.RESET':
                $this->setScript([]);
                $this->data = [];
                ftruncate($this->log, 0);
                break;
            default:
                $reply = "-ERR unknown control command $name";
        }
        $this->schedule($id, "$reply\r\n", []);
    }

    // ------------------------------------------------- a small real Redis

    private function answer(int $id, array $args): string
    {
        $c = &$this->clients[$id];
        $name = strtoupper((string) ($args[0] ?? ''));
        $n = count($args);

        if (!$c['authed'] && !in_array($name, ['AUTH', 'HELLO', 'QUIT'], true)) {
            return "-NOAUTH Authentication required.\r\n";
        }
        if ($c['multi'] !== null && !in_array($name, ['EXEC', 'DISCARD', 'MULTI', 'WATCH'], true)) {
            $c['multi'][] = $args;
            return "+QUEUED\r\n";
        }
        switch ($name) {
            case 'PING':
                return $n > 1 ? self::resp((string) $args[1]) : "+PONG\r\n";
            case 'ECHO':
                return $n === 2 ? self::resp((string) $args[1]) : self::arity($name);
            case 'AUTH':
                $password = $this->options['password'] ?? null;
                $user = $this->options['username'] ?? 'default';
                if ($n < 2 || $n > 3) {
                    return self::arity($name);
                }
                if ($password === null) {
                    return $n === 2 ? "-ERR AUTH <password> called without any password configured for the default user. "
                        . "Are you sure your configuration is correct?\r\n" : "+OK\r\n";
                }
                $givenUser = $n === 3 ? $args[1] : 'default';
                if ($args[$n - 1] !== $password || $givenUser !== $user) {
                    return "-WRONGPASS invalid username-password pair or user is disabled.\r\n";
                }
                $c['authed'] = true;
                return "+OK\r\n";
            case 'HELLO':
                if ($n > 1 && $args[1] !== '2') {
                    return "-NOPROTO sorry, this protocol version is not supported\r\n";
                }
                return self::resp(['server', 'redis', 'version', '7.0.0', 'proto', 2, 'id', $id,
                    'mode', 'standalone', 'role', 'master', 'modules', []]);
            case 'SELECT':
                if ($n !== 2) {
                    return self::arity($name);
                }
                if (!preg_match('/^\d+$/', (string) $args[1]) || (int) $args[1] > 15) {
                    return "-ERR DB index is out of range\r\n";
                }
                $c['db'] = (int) $args[1];
                return "+OK\r\n";
            case 'CLIENT':
                $sub = strtoupper((string) ($args[1] ?? ''));
                if ($sub === 'ID') {
                    return ":$id\r\n";
                }
                if ($sub === 'GETNAME') {
                    return self::resp($c['name']);
                }
                if ($sub === 'SETNAME') {
                    $c['name'] = (string) ($args[2] ?? '');
                }
                return "+OK\r\n";                      /* SETNAME, SETINFO, REPLY ON, NO-EVICT, ... */
            case 'QUIT':
                $c['closing'] = true;
                $c['out'][] = ['at' => microtime(true), 'bytes' => "+OK\r\n"];
                $c['out'][] = ['at' => microtime(true), 'bytes' => '', 'close' => true];
                return '';
            case 'INFO':
                return self::resp("# Server\r\nredis_version:7.0.0\r\nredis_mode:standalone\r\n"
                    . "# Persistence\r\naof_enabled:0\r\n# Memory\r\nmaxmemory_policy:noeviction\r\n"
                    . "# Keyspace\r\n" . $this->keyspace() . "\r\n");
            case 'COMMAND':
                return "*0\r\n";
            case 'CONFIG':
                return "*0\r\n";
            case 'MULTI':
                if ($c['multi'] !== null) {
                    return "-ERR MULTI calls can not be nested\r\n";
                }
                $c['multi'] = [];
                return "+OK\r\n";
            case 'DISCARD':
                if ($c['multi'] === null) {
                    return "-ERR DISCARD without MULTI\r\n";
                }
                $c['multi'] = null;
                return "+OK\r\n";
            case 'EXEC':
                if ($c['multi'] === null) {
                    return "-ERR EXEC without MULTI\r\n";
                }
                $queued = $c['multi'];
                $c['multi'] = null;
                $out = '*' . count($queued) . "\r\n";
                foreach ($queued as $q) {
                    $out .= $this->answer($id, $q);
                }
                return $out;
            case 'WATCH':
            case 'UNWATCH':
                return "+OK\r\n";
        }
        return $this->data($c['db'], $name, $args);
    }

    private function data(int $db, string $name, array $args): string
    {
        $n = count($args);
        $now = microtime(true);
        $store = &$this->data[$db];
        $store ??= [];
        foreach ($store as $k => [$v, $exp]) {
            if ($exp !== null && $exp <= $now) {
                unset($store[$k]);
            }
        }
        switch ($name) {
            case 'GET':
                return $n === 2 ? self::resp(isset($store[$args[1]]) ? $store[$args[1]][0] : null) : self::arity($name);
            case 'SET':
                if ($n < 3) {
                    return self::arity($name);
                }
                $exp = null;
                $nx = $xx = false;
                for ($i = 3; $i < $n; $i++) {
                    $opt = strtoupper((string) $args[$i]);
                    if (($opt === 'EX' || $opt === 'PX') && isset($args[$i + 1])) {
                        if (!preg_match('/^-?\d+$/', (string) $args[$i + 1])) {
                            return "-ERR value is not an integer or out of range\r\n";
                        }
                        $t = (int) $args[++$i];
                        if ($t <= 0) {
                            return "-ERR invalid expire time in 'set' command\r\n";
                        }
                        $exp = $now + ($opt === 'EX' ? $t : $t / 1000);
                    } elseif ($opt === 'NX') {
                        $nx = true;
                    } elseif ($opt === 'XX') {
                        $xx = true;
                    } elseif ($opt !== 'KEEPTTL') {
                        return "-ERR syntax error\r\n";
                    }
                }
                if (($nx && isset($store[$args[1]])) || ($xx && !isset($store[$args[1]]))) {
                    return "\$-1\r\n";
                }
                $store[$args[1]] = [$args[2], $exp];
                return "+OK\r\n";
            case 'SETEX':
            case 'PSETEX':
                if ($n !== 4) {
                    return self::arity($name);
                }
                $t = (int) $args[2];
                if ($t <= 0) {
                    return "-ERR invalid expire time in '" . strtolower($name) . "' command\r\n";
                }
                $store[$args[1]] = [$args[3], $now + ($name === 'SETEX' ? $t : $t / 1000)];
                return "+OK\r\n";
            case 'MGET':
                return $n >= 2 ? self::resp(array_map(fn($k) => isset($store[$k]) ? $store[$k][0] : null,
                    array_slice($args, 1))) : self::arity($name);
            case 'MSET':
                if ($n < 3 || $n % 2 === 0) {
                    return self::arity($name);
                }
                for ($i = 1; $i < $n; $i += 2) {
                    $store[$args[$i]] = [$args[$i + 1], null];
                }
                return "+OK\r\n";
            case 'DEL':
            case 'UNLINK':
            case 'EXISTS':
                if ($n < 2) {
                    return self::arity($name);
                }
                $count = 0;
                foreach (array_slice($args, 1) as $k) {
                    if (isset($store[$k])) {
                        $count++;
                        if ($name !== 'EXISTS') {
                            unset($store[$k]);
                        }
                    }
                }
                return ":$count\r\n";
            case 'EXPIRE':
            case 'PEXPIRE':
                if ($n !== 3) {
                    return self::arity($name);
                }
                if (!isset($store[$args[1]])) {
                    return ":0\r\n";
                }
                $t = (int) $args[2];
                if ($t <= 0) {
                    unset($store[$args[1]]);
                } else {
                    $store[$args[1]][1] = $now + ($name === 'EXPIRE' ? $t : $t / 1000);
                }
                return ":1\r\n";
            case 'TTL':
            case 'PTTL':
                if ($n !== 2) {
                    return self::arity($name);
                }
                if (!isset($store[$args[1]])) {
                    return ":-2\r\n";
                }
                $exp = $store[$args[1]][1];
                if ($exp === null) {
                    return ":-1\r\n";
                }
                return ':' . (int) ceil(($exp - $now) * ($name === 'TTL' ? 1 : 1000)) . "\r\n";
            case 'TYPE':
                return $n === 2 ? (isset($store[$args[1]]) ? "+string\r\n" : "+none\r\n") : self::arity($name);
            case 'DBSIZE':
                return ':' . count($store) . "\r\n";
            case 'FLUSHDB':
                $store = [];
                return "+OK\r\n";
            case 'FLUSHALL':
                $this->data = [];
                return "+OK\r\n";
            case 'KEYS':
                return $n === 2 ? self::resp(array_values(array_filter(array_map('strval', array_keys($store)),
                    fn($k) => fnmatch((string) $args[1], $k)))) : self::arity($name);
            case 'SCAN':
                /* the whole keyspace in one page: cursor 0 at once */
                $match = '*';
                for ($i = 2; $i + 1 < $n; $i += 2) {
                    if (strtoupper((string) $args[$i]) === 'MATCH') {
                        $match = (string) $args[$i + 1];
                    }
                }
                $keys = array_values(array_filter(array_map('strval', array_keys($store)), fn($k) => fnmatch($match, $k)));
                return self::resp(['0', $keys]);
        }
        return "-ERR unknown command '" . ($args[0] ?? '') . "', with args beginning with: \r\n";
    }

    private function keyspace(): string
    {
        $out = '';
        foreach ($this->data as $db => $store) {
            if ($store) {
                $out .= "db$db:keys=" . count($store) . ",expires=0,avg_ttl=0\r\n";
            }
        }
        return $out;
    }

    private static function arity(string $name): string
    {
        return "-ERR wrong number of arguments for '" . strtolower($name) . "' command\r\n";
    }

    /** A PHP value as RESP2: string bulk, int integer, null nil, list array,
     *  ['+' => s] status, ['-' => s] error, ['*' => null] nil array. */
    public static function resp(mixed $v): string
    {
        if ($v === null) {
            return "\$-1\r\n";
        }
        if (is_bool($v)) {
            return $v ? ":1\r\n" : ":0\r\n";
        }
        if (is_int($v)) {
            return ":$v\r\n";
        }
        if (is_float($v) || is_string($v)) {
            $v = (string) $v;
            return '$' . strlen($v) . "\r\n$v\r\n";
        }
        if (is_array($v) && !array_is_list($v) && count($v) === 1) {
            $k = array_key_first($v);
            if ($k === '+' || $k === '-') {
                return $k . $v[$k] . "\r\n";
            }
            if ($k === '*' && $v[$k] === null) {
                return "*-1\r\n";
            }
        }
        if (is_array($v)) {
            $out = '*' . count($v) . "\r\n";
            foreach ($v as $item) {
                $out .= self::resp($item);
            }
            return $out;
        }
        throw new InvalidArgumentException('hostile_redis: cannot send a ' . get_debug_type($v));
    }

    private function logLine(array $entry): void
    {
        $entry['t'] = round(microtime(true), 6);
        if (isset($entry['cmd'])) {
            /* binary-safe: arguments that are not UTF-8 go as base64 */
            $entry['cmd'] = array_map(fn($a) => preg_match('//u', (string) $a) ? $a : ['b64' => base64_encode((string) $a)],
                $entry['cmd']);
        }
        fwrite($this->log, json_encode($entry, JSON_UNESCAPED_SLASHES | JSON_UNESCAPED_UNICODE) . "\n");
        fflush($this->log);
    }
}

if (PHP_SAPI === 'cli' && realpath($_SERVER['SCRIPT_FILENAME'] ?? '') === __FILE__) {
    if ($argc < 3) {
        fwrite(STDERR, "usage: php -n hostile_redis.php SCRIPT_FILE LOG_FILE [LIFETIME]\n");
        exit(2);
    }
    $setup = unserialize((string) base64_decode((string) file_get_contents($argv[1]), true), ['allowed_classes' => false]);
    $server = new HostileRedis($argv[2], is_array($setup) ? $setup : []);
    echo 'READY ', $server->address(), ' ', $server->controlAddress(), "\n";
    $server->run((float) ($argv[3] ?? 600));
}
