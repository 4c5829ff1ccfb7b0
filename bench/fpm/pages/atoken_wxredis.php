<?php
// The seed stored an authorized account's tokens: getAuthorizerAccessToken()
// must not call WeChat (api_base points at a closed loopback port).
require __DIR__ . '/boot.inc';
$platform = new WxRedis\OpenPlatform([
    'app_id' => WXBENCH_COMPONENT,
    'secret' => 'bench-secret',
    'token' => 'bench-token',
    'aes_key' => 'abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG',
    'api_base' => getenv('WXBENCH_API_BASE'),
], new WxRedis\Cache(getenv('WXBENCH_DSN'), ['prefix' => 'bench:']));
$t = $platform->getAuthorizerAccessToken('wxbenchauthorizer01');
wxbench_answer(strlen($t) === 136, 'authorizer token');
