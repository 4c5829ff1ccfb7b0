<?php
/*
 * The demo: two servers behind a load balancer share one Redis. Server A
 * receives the component_verify_ticket and stores it; server B reads it to
 * ask WeChat for a component_access_token. Their phpredis set-ups differ.
 * Played for every writer/reader pair of phpredis serializers, first over
 * Symfony's Psr16Cache + RedisAdapter + phpredis (EasyWeChat's documented
 * set-up), then over WxRedis\Cache.
 *   php story.php <redis host:port> <path to wxredis.so>
 */
[$_, $addr, $so] = $argv;
$sers = ['none', 'php', 'igbinary', 'json'];
$ticket = 'ticket@@@' . bin2hex(random_bytes(12)) . '-中';

function server(string $so, array $args): array
{
    $cmd = array_merge([PHP_BINARY, '-d', "extension=$so", __DIR__ . '/server.php'], $args);
    $p = proc_open($cmd, [1 => ['pipe', 'w'], 2 => ['pipe', 'w']], $pipes);
    $out = stream_get_contents($pipes[1]);
    $err = stream_get_contents($pipes[2]);
    proc_close($p);
    return json_decode($out, true) ?? ['error' => trim($out . $err)];
}

$totals = [];
foreach (['symfony' => "Symfony Psr16Cache + RedisAdapter + phpredis", 'wxredis' => "WxRedis\\Cache"] as $cache => $label) {
    echo "\n$label: server A writes the ticket, server B reads it\n";
    printf("  %-10s | %-10s | %s\n", 'A phpredis', 'B phpredis', 'what server B gets');
    echo '  ', str_repeat('-', 70), "\n";
    $count = ['intact' => 0, 'corrupted' => 0, 'missing' => 0, 'refused' => 0];
    foreach ($sers as $w) {
        foreach ($sers as $r) {
            $wr = server($so, ['write', $cache, $w, $addr, $ticket]);
            $rd = server($so, ['read', $cache, $r, $addr]);
            if (isset($rd['error'])) {
                $what = 'refused: ' . substr($rd['error'], 0, 60); $count['refused']++;
            } elseif ($rd['value'] === $ticket) {
                $what = 'the ticket, intact'; $count['intact']++;
            } elseif ($rd['value'] === null) {
                $what = 'null -> "No component_verify_ticket found."'; $count['missing']++;
            } else {
                $what = 'CORRUPTED: ' . substr(json_encode($rd['value'], JSON_UNESCAPED_UNICODE), 0, 40); $count['corrupted']++;
            }
            printf("  %-10s | %-10s | %s\n", $w, $r, $what);
        }
    }
    $totals[$label] = $count;
}
echo "\nSummary (16 writer/reader set-ups each)\n";
printf("  %-46s %7s %10s %8s %8s\n", 'cache', 'intact', 'corrupted', 'missing', 'refused');
foreach ($totals as $label => $c) {
    printf("  %-46s %7d %10d %8d %8d\n", $label, $c['intact'], $c['corrupted'], $c['missing'], $c['refused']);
}
$wx = $totals["WxRedis\\Cache"];
exit($wx['intact'] === 16 ? 0 : 1);
