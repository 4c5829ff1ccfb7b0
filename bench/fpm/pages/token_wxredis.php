<?php
// The seed stored the component token: getComponentAccessToken() must not
// call WeChat (api_base points at a closed loopback port, so a call fails
// the page).
require __DIR__ . '/boot.inc';
$platform = new WxRedis\OpenPlatform([
    'app_id' => WXBENCH_COMPONENT,
    'secret' => 'bench-secret',
    'token' => 'bench-token',
    'aes_key' => 'abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG',
    'api_base' => getenv('WXBENCH_API_BASE'),
], new WxRedis\Cache(getenv('WXBENCH_DSN'), ['prefix' => 'bench:']));
$t = $platform->getComponentAccessToken();
wxbench_answer(strlen($t) === 136, 'token');
