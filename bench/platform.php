<?php
/*
 * bench/platform.php: WxRedis\OpenPlatform's hot paths, for comparing two
 * builds side by side (bench/run-platform runs this with each .so in turn).
 *
 *   php -d extension=.../wxredis.so bench/platform.php --redis HOST:PORT --http PORT [--iterations N]
 *
 * Scenarios:
 *   cached token   getComponentAccessToken() with a fresh token cached
 *                  (one GET + PTTL round trip)
 *   refresh        the token dropped, then getComponentAccessToken(): lock,
 *                  ticket read, one HTTP POST to tests/support/http_server.php
 *                  (echo mode, a ~1 KiB answer), SET, unlock
 *   ticket push    handleCallback() of a component_verify_ticket push
 *                  (verify, decrypt, parse, 3 commands in one round trip)
 *   authorizer token  getAuthorizerAccessToken() with a fresh token cached
 *                  (EasyWeChat's md5-named key and, in builds that have it,
 *                  wxredis's own current key)
 *   cache get      WxRedis\Cache::get() of a 136-byte token string: the
 *                  one round trip an authorizer token is measured against
 * Then the time per authorizer token over the time per cache get, the
 * median of 9 interleaved rounds, and the round trips per call
 * (stats()['round_trips']).
 *
 * Prints one line per scenario: "name ops/s". Not a test; exits 0 unless
 * something errors.
 */
declare(strict_types=1);

error_reporting(E_ALL);
set_error_handler(function (int $no, string $msg, string $file, int $line) {
    throw new ErrorException($msg, 0, $no, $file, $line);
});
require __DIR__ . '/../tests/support/ref_crypt.php';

$opt = ['redis' => '127.0.0.1:6379', 'http' => 0, 'iterations' => 2000];
for ($i = 1; $i < $argc; $i++) {
    if (preg_match('/^--(redis|http|iterations)=?(.*)$/', $argv[$i], $m)) {
        $opt[$m[1]] = $m[2] !== '' ? $m[2] : ($argv[++$i] ?? '');
    } else {
        fwrite(STDERR, "usage: bench/platform.php --redis HOST:PORT --http PORT [--iterations N]\n");
        exit(2);
    }
}
$n = max(1, (int) $opt['iterations']);
$appId = 'wx0000000000component';
$aesKey = 'abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG';
$cache = new WxRedis\Cache("redis://{$opt['redis']}", ['prefix' => 'bench:platform:' . getmypid() . ':']);
$p = new WxRedis\OpenPlatform(['app_id' => $appId, 'secret' => 's', 'token' => 'bench', 'aes_key' => $aesKey,
    'api_base' => "http://127.0.0.1:{$opt['http']}/echo"], $cache);
$p->setVerifyTicket('ticket@@@bench');
$tokenKey = 'open_platform.component_access_token.' . $appId;

$ref = new WxRefCrypt('bench', $aesKey, $appId);
$plain = "<xml><AppId><![CDATA[$appId]]></AppId><CreateTime>" . time() . '</CreateTime>'
       . '<InfoType><![CDATA[component_verify_ticket]]></InfoType>'
       . '<ComponentVerifyTicket><![CDATA[ticket@@@' . str_repeat('x', 80) . ']]></ComponentVerifyTicket></xml>';
$encrypt = $ref->encrypt($plain);
$timestamp = (string) time();
$nonce = '1234567890';
$query = ['timestamp' => $timestamp, 'nonce' => $nonce, 'msg_signature' => $ref->signature($timestamp, $nonce, $encrypt),
          'encrypt_type' => 'aes'];
$body = "<xml><AppId><![CDATA[$appId]]></AppId><Encrypt><![CDATA[$encrypt]]></Encrypt></xml>";

$scenarios = [
    'cached token' => [$n, fn () => $p->getComponentAccessToken()],
    'refresh' => [max(1, intdiv($n, 10)), function () use ($p, $cache, $tokenKey) {
        $cache->delete($tokenKey);
        $p->getComponentAccessToken();
    }],
    'ticket push' => [$n, fn () => $p->handleCallback($query, $body)],
];
// an authorized account with a fresh token, as a refresh leaves it (both keys)
$auth = 'wxbenchauthorizer';
$atoken = str_repeat('a', 136);
$p->setAuthorizerRefreshToken($auth, 'refreshtoken@@@bench');
$cache->set("open-platform.authorizer_access_token.$auth." . md5('refreshtoken@@@bench'), $atoken, 7000);
$cache->set("wxredis.authorizer_access_token.$appId.$auth", $atoken, 7000);
$cache->set('bench-get', $atoken, 7000);
$scenarios['authorizer token'] = [$n, fn () => $p->getAuthorizerAccessToken($auth)];
$scenarios['cache get'] = [$n, fn () => $cache->get('bench-get')];
foreach ($scenarios as $name => [$count, $fn]) {
    $fn();                                        // warm up, and fail loudly before timing
    $t = hrtime(true);
    for ($i = 0; $i < $count; $i++) {
        $fn();
    }
    printf("%-14s %10.0f ops/s\n", $name, $count / ((hrtime(true) - $t) / 1e9));
}
// authorizer token against a plain get, interleaved
$block = function (callable $fn, int $count): float {
    $t = hrtime(true);
    for ($i = 0; $i < $count; $i++) {
        $fn();
    }
    return (hrtime(true) - $t) / $count;
};
$ratios = [];
for ($r = 0; $r < 9; $r++) {
    $order = $r % 2 ? ['cache get', 'authorizer token'] : ['authorizer token', 'cache get'];
    $t = [];
    foreach ($order as $name) {
        $t[$name] = $block($scenarios[$name][1], $n);
    }
    $ratios[] = $t['authorizer token'] / $t['cache get'];
}
sort($ratios);
$s0 = $cache->stats()['round_trips'];
for ($i = 0; $i < 100; $i++) {
    $p->getAuthorizerAccessToken($auth);
}
printf("authorizer token / cache get: %.2f (%.2f-%.2f) time per call, median of 9 interleaved rounds; %.2f round trips per call\n",
    $ratios[4], $ratios[0], $ratios[8], ($cache->stats()['round_trips'] - $s0) / 100);
$cache->clear();
