<?php
require __DIR__ . '/boot.inc';
require '/usr/share/php/Symfony/Component/Cache/autoload.php';
$r = new Redis();
$r->pconnect(getenv('WXBENCH_HOST'), (int) getenv('WXBENCH_PORT'));
$cache = new Symfony\Component\Cache\Psr16Cache(new Symfony\Component\Cache\Adapter\RedisAdapter($r, 'bsym', 0));
$n = 0;
foreach ($cache->getMultiple(WXBENCH_KEYS) as $k => $v) {
    $n += is_array($v) && $v['expires_in'] === 7200;
}
wxbench_answer($n === 20, "$n of 20");
