<?php
// What the workers run with (printed in the header of the results).
require __DIR__ . '/boot.inc';
$st = function_exists('opcache_get_status') ? opcache_get_status(false) : false;
echo json_encode([
    'php' => PHP_VERSION, 'sapi' => PHP_SAPI, 'pid' => getmypid(),
    'wxredis' => phpversion('wxredis'), 'redis' => phpversion('redis'), 'igbinary' => phpversion('igbinary'),
    'opcache' => is_array($st) && !empty($st['opcache_enabled']),
    'jit' => is_array($st) && !empty($st['jit']['on']),
    'echo_check_liveness' => ini_get('redis.pconnect.echo_check_liveness'),
    'pooling_enabled' => ini_get('redis.pconnect.pooling_enabled'),
    'cache_implements_psr16' => is_subclass_of('WxRedis\Cache', 'Psr\SimpleCache\CacheInterface'),
]);
