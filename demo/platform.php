<?php
/*
 * The demo, part 2: WxRedis\OpenPlatform across servers, against the
 * WeChat API emulator (tests/support/wechat_emulator.php) on loopback.
 *   1. WeChat pushes an encrypted component_verify_ticket to server A
 *      (phpredis loaded, serializer igbinary); A's callback stores it.
 *   2. Server B (no phpredis, no igbinary: php -n) asks for the
 *      component_access_token; the emulator checks the ticket B sends.
 *   3. The token is dropped and 32 processes ask for it at the same moment:
 *      WeChat is called once, all 32 get the same token.
 *   php platform.php <redis host:port> <path to wxredis.so>
 */
[$_, $addr, $so] = $argv;
putenv("WXREDIS_TEST_REDIS=$addr");
putenv('WXREDIS_SO=' . $so);
putenv('WXREDIS_TEST_PREFIX=demo:');
require __DIR__ . '/../tests/support/platform.inc';

$emu = wx_emu_start();
$rows = [];
$row = function (string $step, string $what) use (&$rows) {
    $rows[] = [$step, $what];
    printf("  %-44s %s\n", $step, $what);
};
$base = var_export($emu['base'], true);
$platform = 'new WxRedis\OpenPlatform(["app_id" => "wx0000000000component", "secret" => "emu-secret", '
    . '"token" => "emu-token", "aes_key" => "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG", "api_base" => ' . $base . '], '
    . 'new WxRedis\Cache(' . var_export("redis://$addr", true) . ', ["prefix" => "demo:"]))';

function php_run(array $prefix, string $code): string
{
    $p = proc_open(array_merge([PHP_BINARY], $prefix, ['-r', $code]), [1 => ['pipe', 'w'], 2 => ['pipe', 'w']], $pipes);
    $out = stream_get_contents($pipes[1]) . stream_get_contents($pipes[2]);
    proc_close($p);
    return trim($out);
}

echo "\nWxRedis\\OpenPlatform: an encrypted ticket push to server A, a token for server B\n";
(new WxRedis\Cache("redis://$addr", ['prefix' => 'demo:']))->clear();

// 1. WeChat -> server A's callback URL
$push = wx_emu_control($emu, 'push_ticket');
$a = php_run(['-d', "extension=$so"], '$r = new Redis(); $r->connect(' . var_export(explode(':', $addr)[0], true) . ', ' . (int) explode(':', $addr)[1] . ');'
    . '$r->setOption(Redis::OPT_SERIALIZER, Redis::SERIALIZER_IGBINARY);'
    . '$p = ' . $platform . '; echo $p->handleCallback(' . var_export($push['query'], true) . ', ' . var_export($push['body'], true) . ');');
$row('1. server A (phpredis: igbinary) callback', "answered \"$a\" to an encrypted push (" . strlen($push['body']) . ' bytes)');

// 2. server B, another PHP set-up, asks for the component token
$b = php_run(['-n', '-d', "extension=$so"], '$p = ' . $platform . '; echo $p->getVerifyTicket() === ' . var_export($push['ticket'], true)
    . ' ? "ticket intact, " : "TICKET WRONG, "; echo "token ", substr($p->getComponentAccessToken(), 0, 12), "...";');
$row('2. server B (php -n: no phpredis)', $b);
$row('   WeChat api_component_token calls', (string) wx_emu_calls($emu, '/cgi-bin/component/api_component_token'));

// 3. the token is gone; 32 processes want it at once
$before = wx_emu_calls($emu, '/cgi-bin/component/api_component_token');
$cache = new WxRedis\Cache("redis://$addr", ['prefix' => 'demo:']);
$cache->delete('open_platform.component_access_token.wx0000000000component');
wx_emu_control($emu, 'delay', ['path' => '/cgi-bin/component/api_component_token', 'ms' => 300]);
$children = wx_platform_spawn(32, '$p = new WxRedis\OpenPlatform($platformConfig, wx_test_cache()); echo $p->getComponentAccessToken();', $emu);
$outs = wx_platform_wait($children);
$calls = wx_emu_calls($emu, '/cgi-bin/component/api_component_token') - $before;
$row('3. 32 processes ask for the token at once', sprintf('%d distinct token(s) among 32 answers; WeChat called %d time(s)',
    count(array_unique($outs)), $calls));
wx_emu_stop($emu);
exit(count(array_unique($outs)) === 1 && $calls === 1 && str_starts_with($b, 'ticket intact') && $a === 'success' ? 0 : 1);
