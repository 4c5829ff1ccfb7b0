<?php
/*
 * One "server" of the demo: a PHP process that stores or reads the WeChat
 * component_verify_ticket through a cache, as EasyWeChat 6 does (key
 * open_platform.verify_ticket.{appid}, string value, TTL 6000 s).
 *   php server.php write|read wxredis|symfony <phpredis serializer> <redis host:port> [ticket]
 * The phpredis serializer is this server's phpredis set-up (none, php,
 * igbinary, json); wxredis ignores it by design. Prints a JSON result.
 */
[$_, $op, $cache, $ser, $addr] = array_slice($argv, 0, 5) + [null, null, null, null, null];
$ticket = $argv[5] ?? null;
[$host, $port] = explode(':', $addr);
$key = 'open_platform.verify_ticket.wx0000000000component';

$redis = new Redis();
$redis->connect($host, (int) $port);
$redis->setOption(Redis::OPT_SERIALIZER, [
    'none' => Redis::SERIALIZER_NONE, 'php' => Redis::SERIALIZER_PHP,
    'igbinary' => Redis::SERIALIZER_IGBINARY, 'json' => Redis::SERIALIZER_JSON,
][$ser]);

if ($cache === 'wxredis') {
    $c = new WxRedis\Cache("redis://$addr", ['prefix' => 'demo-wx:']);
} else {
    require_once '/usr/share/php/Psr/SimpleCache/autoload.php';
    require_once '/usr/share/php/Symfony/Component/Cache/autoload.php';
    $c = new Symfony\Component\Cache\Psr16Cache(
        new Symfony\Component\Cache\Adapter\RedisAdapter($redis, 'demo-sf'));
}
try {
    if ($op === 'write') {
        $c->set($key, $ticket, 6000);
        echo json_encode(['ok' => true]);
    } else {
        $v = $c->get($key);
        echo json_encode(['value' => $v, 'type' => get_debug_type($v)]);
    }
} catch (Throwable $e) {
    echo json_encode(['error' => get_class($e) . ': ' . $e->getMessage()]);
}
