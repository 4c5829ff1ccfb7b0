<?php
/*
 * Server B: another process with another PHP set-up. It runs with Debian's
 * php.ini, so phpredis, igbinary and msgpack are loaded, and the
 * application's own phpredis connection (its sessions, say) uses
 * Redis::SERIALIZER_IGBINARY (or WX_EW_B_SERIALIZER). None of that reaches
 * WxRedis\Cache.
 *   php server_b.php CACHE_SPEC COMMAND [ARGS...]   prints one JSON object
 * Commands: component_token | pre_auth_code | authorization CODE |
 * authorizer_token APPID REFRESH_TOKEN
 */
declare(strict_types=1);

require (getenv('WX_EW_VENDOR') ?: exit("WX_EW_VENDOR is not set\n")) . '/autoload.php';
require __DIR__ . '/app.inc';

[, $spec, $cmd] = $argv + [null, '', ''];
$args = array_slice($argv, 3);
$out = ['extensions' => array_values(array_intersect(['wxredis', 'redis', 'igbinary', 'msgpack'], get_loaded_extensions()))];
try {
    // the application's own phpredis connection; WX_EW_B_SERIALIZER picks
    // its serializer (none, php, igbinary, json; default igbinary)
    if (extension_loaded('redis')) {
        $ser = getenv('WX_EW_B_SERIALIZER') ?: 'igbinary';
        [$host, $port] = explode(':', ew_env('WX_EW_REDIS'));
        $own = new Redis();
        $own->connect($host, (int) $port, 2.0);
        $own->setOption(Redis::OPT_SERIALIZER, constant('Redis::SERIALIZER_' . strtoupper($ser)));
        $own->set(ew_env('WX_EW_PREFIX') . 'b.session', ['user' => 42], 60);
        $out['own_phpredis_serializer'] = $ser;
    }
    $app = ew_app($spec);
    switch ($cmd) {
        case 'component_token':
            $out['token'] = $app->getComponentAccessToken()->getToken();
            break;
        case 'pre_auth_code':
            $out['pre_auth_code'] = $app->createPreAuthorizationCode()['pre_auth_code'] ?? null;
            break;
        case 'authorization':
            $auth = $app->getAuthorization($args[0]);
            $out['appid'] = $auth->getAppId();
            $out['refresh_token'] = $auth->getRefreshToken();
            break;
        case 'authorizer_token':
            $out['token'] = $app->getAuthorizerAccessToken($args[0], $args[1]);
            break;
        default:
            throw new InvalidArgumentException("unknown command $cmd");
    }
} catch (Throwable $e) {
    $out['error'] = get_class($e) . ': ' . $e->getMessage();
}
echo json_encode($out, JSON_UNESCAPED_SLASHES), "\n";
