<?php
// Symfony's Psr16Cache over RedisAdapter over a phpredis pconnect (as shipped).
require __DIR__ . '/boot.inc';
require '/usr/share/php/Symfony/Component/Cache/autoload.php';
$r = new Redis();
$r->pconnect(getenv('WXBENCH_HOST'), (int) getenv('WXBENCH_PORT'));
$cache = new Symfony\Component\Cache\Psr16Cache(new Symfony\Component\Cache\Adapter\RedisAdapter($r, 'bsym', 0));
$v = $cache->get('k1');
wxbench_answer(is_array($v) && $v['expires_in'] === 7200, 'k1');
