<?php
/*
 * The real EasyWeChat 6 with setCache(new WxRedis\Cache(...)), against the
 * WeChat API emulator and a real Redis, as two servers of a fleet:
 *   server A  a web server (php -S, one process, php -n: no phpredis, no
 *             igbinary) whose EasyWeChat Server handles the encrypted pushes
 *   server B  CLI processes with Debian's php.ini (phpredis, igbinary and
 *             msgpack loaded, its own phpredis connection on
 *             SERIALIZER_IGBINARY) that ask EasyWeChat for tokens
 * then WxRedis\OpenPlatform in this process, which shares EasyWeChat's keys,
 * the README's Symfony wiring (wiring.inc), and the control: the same two
 * servers on Symfony's RedisAdapter over phpredis with differing
 * serializers, which loses the ticket.
 * Prints TAP. Run by tests/easywechat/run, which installs EasyWeChat:
 *   php -d extension=wxredis.so test.php VENDOR_DIR
 * Env: WXREDIS_SO (the module for A and B), WXREDIS_TEST_REDIS (host:port;
 * else a private redis-server is started).
 */
declare(strict_types=1);

$vendor = realpath($argv[1] ?? '') ?: exit("usage: php test.php VENDOR_DIR\n");
require $vendor . '/autoload.php';
require __DIR__ . '/../support/emulator.inc';
require __DIR__ . '/../support/redis.inc';
require __DIR__ . '/../support/resp.inc';

$n = 0;
$failures = 0;
function ok(bool $pass, string $name, string $diag = ''): bool
{
    global $n, $failures;
    $n++;
    echo ($pass ? 'ok' : 'not ok'), " $n - $name\n";
    if (!$pass) {
        $failures++;
        if ($diag !== '') echo preg_replace('/^/m', '#   ', rtrim($diag)), "\n";
    }
    return $pass;
}
function note(string $s): void
{
    echo preg_replace('/^/m', '# ', rtrim($s)), "\n";
}

$so = (string) getenv('WXREDIS_SO');
if (!is_file($so)) {
    echo "Bail out! WXREDIS_SO must name the wxredis.so under test (servers A and B load it)\n";
    exit(1);
}

// ------------------------------------------------------------------ set-up
$addr = getenv('WXREDIS_TEST_REDIS');
if (!$addr) {
    $own = wx_redis_start();
    register_shutdown_function('wx_redis_stop', $own);
    $addr = "127.0.0.1:{$own['port']}";
}
$raw = new WxResp($addr);
$run = bin2hex(random_bytes(4));
$prefix = "wxt:easywechat:$run:";
$emu = wx_emu_start();
$cfg = wx_emu_control($emu, 'config')['config'];
$component = $cfg['component_appid'];
$authorizer = 'wxauth' . $run;
$env = getenv() + [];
$env = array_merge($env, [
    'WX_EW_VENDOR' => $vendor, 'WX_EW_REDIS' => $addr, 'WX_EW_PREFIX' => $prefix,
    'WX_EW_API_BASE' => $emu['base'], 'WX_EW_APPID' => $component, 'WX_EW_SECRET' => $cfg['component_appsecret'],
    'WX_EW_TOKEN' => $cfg['token'], 'WX_EW_AES_KEY' => $cfg['encoding_aes_key'],
]);
unset($env['PHP_CLI_SERVER_WORKERS']);   // server A is one process

$versions = [];
foreach (['w7corp/easywechat', 'symfony/cache', 'symfony/http-client', 'psr/simple-cache', 'overtrue/socialite'] as $pkg) {
    $versions[] = $pkg . ' ' . (Composer\InstalledVersions::getPrettyVersion($pkg) ?? '?');
}
note('composer installed: ' . implode(', ', $versions));
note('http client: ' . get_class(Symfony\Component\HttpClient\HttpClient::create()) . (extension_loaded('curl') ? '' : ' (no ext-curl here)'));

/** The extensions a process without php.ini needs for EasyWeChat (Debian builds them shared), and opcache. */
function bare_php(string $so, array $more = []): array
{
    $cmd = [PHP_BINARY, '-n', '-d', 'display_errors=stderr', '-d', 'error_reporting=-1'];
    foreach (array_merge(['fileinfo', 'simplexml', 'ctype', 'mbstring', 'iconv', 'tokenizer'], $more) as $ext) {
        if (is_file(ini_get('extension_dir') . "/$ext.so")) array_push($cmd, '-d', "extension=$ext");
    }
    array_push($cmd, '-d', "extension=$so");
    // opcache as php-fpm has it: server A's requests then share the
    // WxRedis\Cache class kept per process (ext/php/bridge.c)
    if (is_file(ini_get('extension_dir') . '/opcache.so')) {
        array_push($cmd, '-d', 'zend_extension=opcache', '-d', 'opcache.enable_cli=1');
    }
    return $cmd;
}

/** Start a server A (php -S with callback.php as router); returns [base, proc]. */
function start_a(array $cmd, array $env): array
{
    for ($try = 0; $try < 5; $try++) {
        $port = wx_free_port();
        $log = tempnam(sys_get_temp_dir(), 'wx_ew_a_');
        $proc = proc_open(array_merge($cmd, ['-S', "127.0.0.1:$port", __DIR__ . '/callback.php']),
            [0 => ['file', '/dev/null', 'r'], 1 => ['file', $log, 'a'], 2 => ['file', $log, 'a']], $pipes, __DIR__, $env);
        $deadline = microtime(true) + 10;
        while (microtime(true) < $deadline && proc_get_status($proc)['running']) {
            if (wx_emu_http('GET', "http://127.0.0.1:$port/", '', 0.5)['status'] === 404) {
                register_shutdown_function(function () use ($proc, $log) {
                    proc_terminate($proc, 15);
                    proc_close($proc);
                    @unlink($log);
                });
                return ["http://127.0.0.1:$port", $proc, $log];
            }
            usleep(50000);
        }
        proc_terminate($proc, 9);
        proc_close($proc);
        @unlink($log);
    }
    throw new RuntimeException('server A did not start: ' . implode(' ', $cmd));
}

/** Run server B once; returns its JSON answer (or ['error' => what went wrong]). */
function run_b(string $so, array $env, string $spec, string ...$args): array
{
    $cmd = array_merge([PHP_BINARY, '-d', "extension=$so", __DIR__ . '/server_b.php', $spec], $args);
    $p = proc_open($cmd, [0 => ['file', '/dev/null', 'r'], 1 => ['pipe', 'w'], 2 => ['pipe', 'w']], $pipes, __DIR__, $env);
    stream_set_blocking($pipes[1], false);
    stream_set_blocking($pipes[2], false);
    $out = $err = '';
    $deadline = microtime(true) + 60;
    while (proc_get_status($p)['running'] && microtime(true) < $deadline) {
        $r = [$pipes[1], $pipes[2]];
        $w = $x = null;
        if (@stream_select($r, $w, $x, 1) > 0) {
            $out .= stream_get_contents($pipes[1]);
            $err .= stream_get_contents($pipes[2]);
        }
    }
    if (proc_get_status($p)['running']) {
        proc_terminate($p, 9);
        $err .= ' (killed after 60 s)';
    }
    $out .= stream_get_contents($pipes[1]);
    $err .= stream_get_contents($pipes[2]);
    proc_close($p);
    $j = json_decode(trim($out), true);
    return is_array($j) ? $j + ['stderr' => trim($err)] : ['error' => 'no JSON from server B: ' . trim($out . ' ' . $err)];
}

function calls(array $emu, string $api): int
{
    return wx_emu_calls($emu, "/cgi-bin/component/$api");
}

/** Is this a token WeChat (the emulator) accepts right now? */
function live(array $emu, string $token, string $param = 'access_token'): bool
{
    $r = wx_emu_api($emu, '/cgi-bin/openapi/quota/get', ['cgi_path' => '/cgi-bin/component/api_component_token'],
        [$param => $token]);
    return ($r['errcode'] ?? -1) === 0;
}

function show(mixed $v): string
{
    return json_encode($v, JSON_UNESCAPED_SLASHES | JSON_UNESCAPED_UNICODE | JSON_INVALID_UTF8_SUBSTITUTE);
}

// ---------------------------------------------------- the fleet on WxRedis
$probe = new WxRedis\Cache("redis://$addr", ['prefix' => $prefix]);
ok($probe instanceof Psr\SimpleCache\CacheInterface,
    'WxRedis\Cache is a Psr\SimpleCache\CacheInterface of the psr/simple-cache composer installed');

[$aBase, , $aLog] = start_a(bare_php($so), $env);
$aExt = trim((string) shell_exec(implode(' ', array_map('escapeshellarg', bare_php($so))) . ' -r ' . escapeshellarg(
    'echo implode(",", array_intersect(["wxredis", "redis", "igbinary", "msgpack"], get_loaded_extensions()));')));
note("server A: php -n with $aExt loaded (no phpredis, no igbinary)");

$push = wx_emu_control($emu, 'push_ticket');
$r = wx_emu_deliver($push, "$aBase/callback/wxredis");
ok($r['status'] === 200 && $r['body'] === 'success',
    "server A: EasyWeChat's Server handles the encrypted ticket push and answers \"success\"",
    "HTTP {$r['status']}: {$r['body']}\n" . @file_get_contents($aLog));

$ticketKey = "{$prefix}open_platform.verify_ticket.$component";
$bytes = $raw->cmd('GET', $ticketKey);
$ttl = $raw->cmd('TTL', $ticketKey);
$expected = 's:' . strlen($push['ticket']) . ':"' . $push['ticket'] . '";';
ok($bytes === $expected && $ttl > 5990 && $ttl <= 6000,
    "the ticket is in Redis in wxredis's format under EasyWeChat's key, with EasyWeChat's TTL (6000 s)",
    'GET ' . show($bytes) . ", expected " . show($expected) . ", TTL $ttl");

$b = run_b($so, $env, 'wxredis', 'component_token');
$bExt = implode(',', $b['extensions'] ?? []);
note("server B: Debian's php.ini, $bExt loaded; its own phpredis connection uses SERIALIZER_"
    . strtoupper($b['own_phpredis_serializer'] ?? 'none'));
ok(isset($b['token']) && str_contains($bExt, 'igbinary') && str_contains($bExt, 'redis'),
    'server B (phpredis + igbinary, another serializer) gets a component token through EasyWeChat', show($b));
$componentToken = $b['token'] ?? '';
$log = wx_emu_control($emu, 'log', ['path' => '/cgi-bin/component/api_component_token']);
$sent = array_column(array_column($log, 'body'), 'component_verify_ticket');
ok(calls($emu, 'api_component_token') === 1 && $sent === [$push['ticket']] && live($emu, $componentToken, 'component_access_token'),
    'B sent WeChat exactly the ticket A stored (one api_component_token call) and got a live token', show($log));

$tokenKey = "{$prefix}open_platform.component_access_token.$component";
$tb = $raw->cmd('GET', $tokenKey);
$tt = $raw->cmd('TTL', $tokenKey);
ok($tb === WxRedis\Format::encode($componentToken) && $tt > 7090 && $tt <= 7100,
    "the component token is in Redis in wxredis's format, TTL expires_in - 100 (EasyWeChat's)", show($tb) . " TTL $tt");

$r = wx_emu_http('GET', "$aBase/token/wxredis");
ok($r['status'] === 200 && (json_decode($r['body'], true)['token'] ?? null) === $componentToken
    && calls($emu, 'api_component_token') === 1,
    "server A's EasyWeChat uses B's token: no second call to WeChat", "HTTP {$r['status']} {$r['body']}");

$platform = new WxRedis\OpenPlatform(['app_id' => $component, 'secret' => $cfg['component_appsecret'],
    'token' => $cfg['token'], 'aes_key' => $cfg['encoding_aes_key'], 'api_base' => $emu['base']], $probe);
ok($platform->getVerifyTicket() === $push['ticket'] && $platform->getComponentAccessToken() === $componentToken
    && calls($emu, 'api_component_token') === 1,
    "WxRedis\\OpenPlatform reads EasyWeChat's ticket and token from the same keys, without calling WeChat");

// ------------------------------------------- an authorizer, EasyWeChat -> OpenPlatform
$pre = run_b($so, $env, 'wxredis', 'pre_auth_code');
$auth = wx_emu_control($emu, 'authorize', ['authorizer_appid' => $authorizer] + (isset($pre['pre_auth_code'])
    ? ['pre_auth_code' => $pre['pre_auth_code']] : []));
$r = wx_emu_deliver($auth, "$aBase/callback/wxredis");
ok(isset($pre['pre_auth_code']) && $r['status'] === 200 && $r['body'] === 'success',
    'an account authorizes: B creates the pre_auth_code through EasyWeChat, A handles the authorized push',
    show($pre) . " / HTTP {$r['status']} {$r['body']}");

$a = run_b($so, $env, 'wxredis', 'authorization', $auth['authorization_code']);
ok(($a['appid'] ?? null) === $authorizer && !empty($a['refresh_token']),
    "B exchanges the authorization code through EasyWeChat (getAuthorization)", show($a));
$refresh = $a['refresh_token'] ?? '';

$t = run_b($so, $env, 'wxredis', 'authorizer_token', $authorizer, $refresh);
$authorizerToken = $t['token'] ?? '';
$atKey = "{$prefix}open-platform.authorizer_access_token.$authorizer." . md5($refresh);
$ab = $raw->cmd('GET', $atKey);
$at = $raw->cmd('TTL', $atKey);
ok($authorizerToken !== '' && live($emu, $authorizerToken) && $ab === WxRedis\Format::encode($authorizerToken)
    && $at > 6690 && $at <= 6700,
    "B gets the authorizer token through EasyWeChat: live, in wxredis's format, TTL expires_in - 500",
    show($t) . ' GET ' . show($ab) . " TTL $at");

$before = calls($emu, 'api_authorizer_token');
$platform->setAuthorizerRefreshToken($authorizer, $refresh);
ok($platform->getAuthorizerAccessToken($authorizer) === $authorizerToken && calls($emu, 'api_authorizer_token') === $before,
    "WxRedis\\OpenPlatform, after importing the refresh token, reuses EasyWeChat's authorizer token (no WeChat call)");

wx_emu_control($emu, 'expire_token', ['authorizer_appid' => $authorizer]);
$dropped = $platform->invalidateAuthorizerAccessToken($authorizer, $authorizerToken);
$fresh = $platform->getAuthorizerAccessToken($authorizer);
ok($dropped && $fresh !== $authorizerToken && live($emu, $fresh) && calls($emu, 'api_authorizer_token') === $before + 1,
    'when WeChat expires it, OpenPlatform refreshes it with the imported refresh token (one call)',
    "dropped " . show($dropped) . ", new token live: " . show(live($emu, $fresh)));
$t = run_b($so, $env, 'wxredis', 'authorizer_token', $authorizer, $refresh);
ok(($t['token'] ?? null) === $fresh && calls($emu, 'api_authorizer_token') === $before + 1,
    "and B's EasyWeChat picks up OpenPlatform's new token without calling WeChat", show($t));

// ------------------------------------------------ the README's framework wiring
require __DIR__ . '/wiring.inc';

// --------------------------------------------- the control: Symfony + phpredis
// Server A' runs with phpredis (and the igbinary/msgpack it links against),
// B as before; each combination gets its own Symfony namespace.
[$sfBase, , $sfLog] = start_a(bare_php($so, ['igbinary', 'msgpack', 'redis']), $env);
$outcome = function (string $w, string $rd, string $cache) use ($emu, $so, $env, $sfBase, $aBase, $raw, $prefix, $component): array {
    static $i = 0;
    $i++;
    if ($cache === 'symfony') {
        $spec = fn($s) => "symfony-$s-ew{$GLOBALS['run']}x$i";
        $base = $sfBase;
    } else {
        // WxRedis\Cache has no serializer to choose: B's own phpredis
        // connection takes the reader's one instead; the round starts cold
        $spec = fn($s) => 'wxredis';
        $base = $aBase;
        $env['WX_EW_B_SERIALIZER'] = $rd;
        $raw->cmd('DEL', "{$prefix}open_platform.verify_ticket.$component", "{$prefix}open_platform.component_access_token.$component");
    }
    $push = wx_emu_control($emu, 'push_ticket');
    $calls = calls($emu, 'api_component_token');
    $r = wx_emu_deliver($push, "$base/callback/" . $spec($w));
    if ($r['status'] !== 200 || $r['body'] !== 'success') {
        return ['push failed', "HTTP {$r['status']} {$r['body']}"];
    }
    $b = run_b($so, $env, $spec($rd), 'component_token');
    $log = wx_emu_control($emu, 'log', ['path' => '/cgi-bin/component/api_component_token']);
    $sent = array_column(array_column($log, 'body'), 'component_verify_ticket');
    if (isset($b['token'])) {
        return end($sent) === $push['ticket'] ? ['intact', ''] : ['other', 'a token without the pushed ticket'];
    }
    if (str_contains($b['error'], 'No component_verify_ticket found.') && calls($emu, 'api_component_token') === $calls) {
        return ['missing', $b['error']];
    }
    if (str_contains($b['error'], '61006')) {
        return ['corrupted', 'B sent ' . show(end($sent)) . ' for the ticket ' . show($push['ticket'])];
    }
    return ['other', $b['error']];
};
// Which pairs lose the ticket and which corrupt it depends on the
// symfony/cache composer resolves (6.4.50 reads a SERIALIZER_NONE write on
// SERIALIZER_PHP, an older one did not): the control is that some pairs do.
$matrix = [];
$tally = [];
$pairs = [];
foreach (['none', 'php', 'igbinary', 'json'] as $w) {
    foreach (['none', 'php', 'igbinary', 'json'] as $rd) {
        [$what, $why] = $outcome($w, $rd, 'symfony');
        $matrix[] = "$w->$rd $what";
        $tally[$what] = ($tally[$what] ?? 0) + 1;
        $pairs[$what][] = "$w->$rd";
        if ($what === 'corrupted' && !isset($corruptedWhy)) $corruptedWhy = $why;
    }
}
ksort($tally);
ok(isset($pairs['missing']),
    'control, Symfony RedisAdapter over phpredis, A and B on different serializers: B says "No component_verify_ticket found." (the lost ticket) for '
    . implode(', ', $pairs['missing'] ?? ['no pair']),
    @file_get_contents($sfLog));
ok(isset($pairs['corrupted']),
    'control: B sends WeChat a corrupted ticket (61006) for ' . implode(', ', $pairs['corrupted'] ?? ['no pair']));
if (isset($corruptedWhy)) note($corruptedWhy);
note('Symfony+phpredis, all 16 writer->reader serializer pairs through EasyWeChat: '
    . implode(', ', array_map(fn($k, $v) => "$v $k", array_keys($tally), $tally)));
note(implode('; ', $matrix));
$wx = [];
foreach (['none', 'php', 'igbinary', 'json'] as $rd) {
    [$what, $why] = $outcome('-', $rd, 'wxredis');
    $wx[] = "B's phpredis on $rd: $what" . ($why !== '' ? " ($why)" : '');
}
ok(!preg_grep('/: (?!intact$)/', $wx),
    "the same two servers on WxRedis\\Cache, B's own phpredis on each serializer: the ticket arrives intact every time",
    implode("\n", $wx));

// ------------------------------------------------------------------ clean up
$keys = [];
$cursor = '0';
do {
    [$cursor, $batch] = $raw->cmd('SCAN', $cursor, 'MATCH', "wxt:easywechat:$run:*", 'COUNT', '1000');
    $keys = array_merge($keys, $batch);
} while ($cursor !== '0');
foreach (array_chunk($keys, 500) as $chunk) $raw->cmd('DEL', ...$chunk);
$raw->cmd('DEL', "wxredis:authorizer_refresh_token:$component:$authorizer");
$cursor = '0';
do {
    [$cursor, $batch] = $raw->cmd('SCAN', $cursor, 'MATCH', "ew{$run}x*", 'COUNT', '1000');
    if ($batch) $raw->cmd('DEL', ...$batch);
} while ($cursor !== '0');
wx_emu_stop($emu);
echo "1..$n\n";
exit($failures ? 1 : 0);
