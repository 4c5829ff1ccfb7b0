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
foreach ($scenarios as $name => [$count, $fn]) {
    $fn();                                        // warm up, and fail loudly before timing
    $t = hrtime(true);
    for ($i = 0; $i < $count; $i++) {
        $fn();
    }
    printf("%-14s %10.0f ops/s\n", $name, $count / ((hrtime(true) - $t) / 1e9));
}
$cache->clear();
