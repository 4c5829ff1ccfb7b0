<?php
// EasyWeChat 6's steps for a cached component token (easywechat6.inc) over
// Psr16Cache(RedisAdapter(phpredis pconnect as shipped)), as EasyWeChat's
// docs suggest setting up its cache.
require __DIR__ . '/boot.inc';
require '/usr/share/php/Symfony/Component/Cache/autoload.php';
require __DIR__ . '/easywechat6.inc';
$app = new EasyWeChat6\Application([
    'app_id' => WXBENCH_COMPONENT,
    'secret' => 'bench-secret',
    'token' => 'bench-token',
    'aes_key' => 'abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG',
]);
$r = new Redis();
$r->pconnect(getenv('WXBENCH_HOST'), (int) getenv('WXBENCH_PORT'));
$app->setCache(new Symfony\Component\Cache\Psr16Cache(new Symfony\Component\Cache\Adapter\RedisAdapter($r)));
$t = $app->getComponentAccessToken()->getToken();
wxbench_answer(strlen($t) === 136, 'token');
