<?php
require __DIR__ . '/boot.inc';
$cache = new WxRedis\Cache(getenv('WXBENCH_DSN'), ['prefix' => 'bench:']);
$n = 0;
foreach ($cache->getMultiple(WXBENCH_KEYS) as $k => $v) {
    $n += is_array($v) && $v['expires_in'] === 7200;
}
wxbench_answer($n === 20, "$n of 20");
