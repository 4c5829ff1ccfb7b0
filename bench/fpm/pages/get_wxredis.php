<?php
require __DIR__ . '/boot.inc';
$cache = new WxRedis\Cache(getenv('WXBENCH_DSN'), ['prefix' => 'bench:']);
$v = $cache->get('k1');
wxbench_answer(is_array($v) && $v['expires_in'] === 7200, 'k1');
