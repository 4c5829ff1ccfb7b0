<?php
/*
 * bench/crypt.php: WxRedis\MessageCrypt against the same steps in PHP, in
 * one process, side by side.
 *
 *   php -d extension=.../wxredis.so bench/crypt.php [--iterations N] [--rounds N]
 *
 * The PHP contender is tests/support/ref_crypt.php, which follows
 * EasyWeChat's Encryptor: SimpleXML for the body, sha1 over the sorted
 * strings + hash_equals, openssl_decrypt(OPENSSL_RAW_DATA|OPENSSL_ZERO_PADDING),
 * PKCS#7/32 and the appid check by hand, then SimpleXML to an array.
 *
 * Scenarios (what a third-party platform does all day):
 *   ticket push   decrypt + verify + parse of a component_verify_ticket push
 *   1 KiB message decrypt + verify + parse of a 1 KiB text message
 *   encrypt reply encrypt + sign + envelope of a text reply
 *
 * Rounds are interleaved (ext, php, ext, php, ...) and the median ops/s is
 * reported, so a noisy neighbour hurts both sides alike. Before timing, each
 * scenario checks that both contenders produce the same result. Only prints;
 * it is not a test. The issue's target: ext >= 3x PHP for decrypt+parse.
 *
 * Measured 2026-11-27 (2 vCPU, shared with builds; PHP 8.2.36, OpenSSL 3.0,
 * libxml2 2.9.14), after wx_xml took CDATA contents out of libxml2's hands
 * (see the top of ext/core/wx_xml.c):
 *   ticket push   decrypt+verify+parse  3.30-3.67x the PHP op/s
 *   1 KiB message decrypt+verify+parse  3.48-4.57x
 *   encrypt reply                       1.25-1.38x (OpenSSL-bound on both sides)
 * Before that change the ratios were 2.9-3.2x and 2.7-3.0x: libxml2 2.9's
 * push parser walks every CDATA section three times byte by byte (look for
 * "]]>", check UTF-8, skip counting lines), 60% of the time for 1 KiB. The
 * reference here is leaner than EasyWeChat itself (no sanitising regex, no
 * JSON round trip), so these ratios are the conservative side.
 */
declare(strict_types=1);

error_reporting(E_ALL);
set_error_handler(function (int $no, string $msg, string $file, int $line) {
    throw new ErrorException($msg, 0, $no, $file, $line);
});

if (!extension_loaded('wxredis')) {
    fwrite(STDERR, "wxredis is not loaded: php -d extension=/path/to/wxredis.so bench/crypt.php\n");
    exit(1);
}
require __DIR__ . '/../tests/support/ref_crypt.php';

use WxRedis\MessageCrypt;

$opt = ['iterations' => 20000, 'rounds' => 5];
for ($i = 1; $i < $argc; $i++) {
    if (preg_match('/^--(iterations|rounds)(?:=(\d+))?$/', $argv[$i], $m)) {
        $opt[$m[1]] = max(1, (int) ($m[2] ?? $argv[++$i] ?? 0));
    } else {
        fwrite(STDERR, "usage: bench/crypt.php [--iterations N] [--rounds N]\n");
        exit(2);
    }
}

$token = 'benchtoken';
$aesKey = 'abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG';
$appId = 'wx2c2769f8efd9abc2';
$ext = new MessageCrypt($token, $aesKey, $appId);
$ref = new WxRefCrypt($token, $aesKey, $appId);

// ------------------------------------------------------------------ inputs
$ticket = '<xml><AppId><![CDATA[wx2c2769f8efd9abc2]]></AppId><CreateTime>1413192605</CreateTime>'
        . '<InfoType><![CDATA[component_verify_ticket]]></InfoType>'
        . '<ComponentVerifyTicket><![CDATA[ticket@@@lEHjsBEi_TPDey0IZxw4Zbb7JRYLOtEf9ksvDpSwzkwog3R6xEpdaK0yIee7JOyOXM0V7cp0dpM58GKmb8FSKA]]></ComponentVerifyTicket></xml>';
// a text message of exactly 1 KiB of plaintext, Chinese and ASCII mixed
$fmt = '<xml><ToUserName><![CDATA[gh_10f6c3c3ac5a]]></ToUserName>'
     . '<FromUserName><![CDATA[oyORnuP8q7ou2gfYjqLzSIWZf0rs]]></FromUserName>'
     . '<CreateTime>1409735668</CreateTime><MsgType><![CDATA[text]]></MsgType>'
     . '<Content><![CDATA[%s]]></Content><MsgId>6054768590064713728</MsgId></xml>';
$content = '';
while (strlen($content) + 16 <= 1024 - strlen(sprintf($fmt, ''))) {
    $content .= '你好, WeChat! ';                       // 16 bytes
}
$content .= str_repeat('x', 1024 - strlen(sprintf($fmt, $content)));
$text = sprintf($fmt, $content);
$reply = '<xml><ToUserName><![CDATA[oyORnuP8q7ou2gfYjqLzSIWZf0rs]]></ToUserName>'
       . '<FromUserName><![CDATA[gh_10f6c3c3ac5a]]></FromUserName><CreateTime>1409735669</CreateTime>'
       . '<MsgType><![CDATA[text]]></MsgType><Content><![CDATA[Thanks, got it.]]></Content></xml>';

$ticketPush = $ref->push($ticket, '1413192605', '1320562132');
$textPush = $ref->push($text, '1409735669', '1320562133');

// What a PHP callback does today (EasyWeChat style), step by step.
$phpDecryptParse = fn(array $push) => WxRefCrypt::parse($ref->decryptMessage($push['query'], $push['body']));
$extDecryptParse = fn(array $push) => MessageCrypt::parseXml($ext->decryptMessage($push['query'], $push['body']));
$phpReply = function (string $xml) use ($ref): string {
    $ts = '1409735669';
    $nonce = '1320562132';
    $enc = $ref->encrypt($xml);
    return sprintf("<xml>\n<Encrypt><![CDATA[%s]]></Encrypt>\n<MsgSignature><![CDATA[%s]]></MsgSignature>\n"
        . "<TimeStamp>%s</TimeStamp>\n<Nonce><![CDATA[%s]]></Nonce>\n</xml>",
        $enc, $ref->signature($ts, $nonce, $enc), $ts, $nonce);
};
$extReply = fn(string $xml) => $ext->encrypt($xml, '1409735669', '1320562132');

$scenarios = [
    'ticket push: decrypt+verify+parse' => [
        fn() => $extDecryptParse($ticketPush), fn() => $phpDecryptParse($ticketPush)],
    '1 KiB message: decrypt+verify+parse' => [
        fn() => $extDecryptParse($textPush), fn() => $phpDecryptParse($textPush)],
    'encrypt reply (envelope)' => [
        fn() => $extReply($reply), fn() => $phpReply($reply)],
];

// ------------------------------------------------------------------ sanity
if ($extDecryptParse($ticketPush) !== $phpDecryptParse($ticketPush)
        || $extDecryptParse($textPush) !== $phpDecryptParse($textPush)
        || strlen($text) !== 1024 || $extDecryptParse($textPush)['Content'] !== $content) {
    fwrite(STDERR, "the contenders disagree on decrypt+parse\n");
    exit(1);
}
foreach ([$extReply($reply), $phpReply($reply)] as $env) {
    $e = MessageCrypt::parseXml($env);
    if ($ref->decrypt($e['Encrypt']) !== $reply
            || $e['MsgSignature'] !== $ref->signature($e['TimeStamp'], $e['Nonce'], $e['Encrypt'])) {
        fwrite(STDERR, "a reply envelope does not decrypt back\n");
        exit(1);
    }
}

// ------------------------------------------------------------------ timing
function ops_per_sec(callable $f, int $n): float
{
    $t0 = hrtime(true);
    for ($i = 0; $i < $n; $i++) {
        $f();
    }
    return $n / ((hrtime(true) - $t0) / 1e9);
}

function median(array $v): float
{
    sort($v);
    $n = count($v);
    return $n % 2 ? $v[intdiv($n, 2)] : ($v[$n / 2 - 1] + $v[$n / 2]) / 2;
}

printf("PHP %s, OpenSSL %s, libxml2 %s; %d iterations x %d rounds, median\n",
    PHP_VERSION, OPENSSL_VERSION_TEXT, LIBXML_DOTTED_VERSION, $opt['iterations'], $opt['rounds']);
printf("ticket push body %d bytes, text push body %d bytes (plaintext %d)\n\n",
    strlen($ticketPush['body']), strlen($textPush['body']), strlen($text));
printf("%-38s %14s %14s %8s\n", 'scenario', 'MessageCrypt', 'PHP (openssl)', 'ratio');

$ratios = [];
foreach ($scenarios as $name => [$extF, $phpF]) {
    for ($i = 0; $i < 200; $i++) { $extF(); $phpF(); }        // warm up
    $e = $p = [];
    for ($r = 0; $r < $opt['rounds']; $r++) {
        $e[] = ops_per_sec($extF, $opt['iterations']);
        $p[] = ops_per_sec($phpF, $opt['iterations']);
    }
    $ratios[$name] = median($e) / median($p);
    printf("%-38s %10.0f op/s %10.0f op/s %7.2fx\n", $name, median($e), median($p), $ratios[$name]);
}
$worst = min($ratios['ticket push: decrypt+verify+parse'], $ratios['1 KiB message: decrypt+verify+parse']);
printf("\ndecrypt+parse: %.2fx the PHP ops/s at worst (target 3x): %s\n", $worst, $worst >= 3 ? 'met' : 'NOT met');
